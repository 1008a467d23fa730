//! `slaplan validate <instance>`: loads an instance with its model and
//! files, and prints "ok" with a one-screen summary, or every problem
//! found (exit 2).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{write_json, Format, RunError};
use slaplan::input::{load_instance, Problem};
use slaplan::model::{Channel, Demand, Instance, Pricing};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The instance file (YAML) to check, with the model and files it names.
    instance: PathBuf,
    /// Output format (table is for people; json lists problems with their fields).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Outcome of `validate`: Ok(()) when the input is valid.
pub fn run(args: &ValidateArgs, out: &mut dyn Write) -> Result<bool, RunError> {
    match load_instance(&args.instance) {
        Ok(instance) => {
            match args.format {
                Format::Json => write_json(out, &Summary::of(&instance))?,
                _ => write_summary(out, &args.instance, &instance)?,
            }
            Ok(true)
        }
        Err(problems) => {
            match args.format {
                Format::Json => {
                    let list: Vec<ProblemOut> = problems.iter().map(ProblemOut::from).collect();
                    write_json(out, &serde_json::json!({ "ok": false, "problems": list }))?;
                }
                _ => {
                    let mut err = std::io::stderr().lock();
                    for p in &problems {
                        writeln!(err, "{p}")?;
                    }
                    writeln!(
                        err,
                        "{} problem{} found",
                        problems.len(),
                        if problems.len() == 1 { "" } else { "s" }
                    )?;
                }
            }
            Ok(false)
        }
    }
}

#[derive(Serialize)]
struct ProblemOut {
    code: &'static str,
    name: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    field: String,
    message: String,
    hint: String,
}

impl From<&Problem> for ProblemOut {
    fn from(p: &Problem) -> Self {
        ProblemOut {
            code: p.code.as_str(),
            name: p.code.name(),
            file: p.file.display().to_string(),
            line: p.line,
            column: p.column,
            field: p.field.clone(),
            message: p.message.clone(),
            hint: p.hint.clone(),
        }
    }
}

#[derive(Serialize)]
struct Summary {
    ok: bool,
    centre: String,
    week_start: String,
    time_zone: String,
    interval_min: u32,
    queues: Vec<QueueSummary>,
    agents_by_group: BTreeMap<String, usize>,
    demand: &'static str,
    demand_rows: usize,
}

#[derive(Serialize)]
struct QueueSummary {
    id: String,
    channel: &'static str,
    open_hours_per_week: f64,
    contacts: f64,
}

impl Summary {
    fn of(i: &Instance) -> Self {
        let (kind, rows) = demand_rows(i);
        let volume = volume_by_queue(i);
        Summary {
            ok: true,
            centre: i.centre.name.clone(),
            week_start: i.week_start.to_string(),
            time_zone: i.centre.time_zone.to_string(),
            interval_min: i.centre.interval_min,
            queues: i
                .centre
                .queues
                .iter()
                .enumerate()
                .map(|(k, q)| QueueSummary {
                    id: q.id.clone(),
                    channel: channel_name(q.channel),
                    open_hours_per_week: f64::from(q.opening.open_minutes()) / 60.0,
                    contacts: volume[k],
                })
                .collect(),
            agents_by_group: agents_by_group(i),
            demand: kind,
            demand_rows: rows.len(),
        }
    }
}

fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Voice { patience_s: None } => "voice",
        Channel::Voice {
            patience_s: Some(_),
        } => "voice+abandon",
        Channel::Deferred => "deferred",
    }
}

fn demand_rows(i: &Instance) -> (&'static str, &[slaplan::model::VolumeRow]) {
    match &i.demand {
        Demand::Forecast(r) => ("forecast", r),
        Demand::History(r) => ("history", r),
    }
}

/// Contacts per queue: the week's forecast, or the history's weekly mean.
fn volume_by_queue(i: &Instance) -> Vec<f64> {
    let (kind, rows) = demand_rows(i);
    let mut v = vec![0.0; i.centre.queues.len()];
    for r in rows {
        v[r.queue] += r.contacts;
    }
    if kind == "history" {
        let first = rows.iter().map(|r| r.start).min();
        let last = rows.iter().map(|r| r.start).max();
        if let (Some(a), Some(b)) = (first, last) {
            let weeks = ((b - a).num_minutes() as f64 / (7.0 * 1440.0))
                .max(1.0)
                .round();
            v.iter_mut().for_each(|x| *x /= weeks);
        }
    }
    v
}

fn agents_by_group(i: &Instance) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for a in &i.agents {
        *m.entry(i.centre.skill_groups[a.skill_group].id.clone())
            .or_insert(0) += 1;
    }
    m
}

fn write_summary(
    out: &mut dyn Write,
    path: &std::path::Path,
    i: &Instance,
) -> Result<(), RunError> {
    let c = &i.centre;
    writeln!(out, "ok: {}", path.display())?;
    writeln!(
        out,
        "{} — week of {} ({}, {}-minute intervals)",
        c.name, i.week_start, c.time_zone, c.interval_min
    )?;
    let (kind, rows) = demand_rows(i);
    let volume = volume_by_queue(i);
    let per = if kind == "history" {
        " (weekly mean of the history)"
    } else {
        ""
    };
    writeln!(
        out,
        "\nqueues ({}), contacts per week{per}:",
        c.queues.len()
    )?;
    for (k, q) in c.queues.iter().enumerate() {
        let within = if matches!(q.channel, Channel::Deferred) {
            "handled"
        } else {
            "answered"
        };
        writeln!(
            out,
            "  {:<16} {:<13} {:>9.0}  AHT {:>4.0} s  SLA {:.0}% {within} within {} per {}  open {:.1} h/week",
            q.id,
            channel_name(q.channel),
            volume[k],
            q.aht_s,
            q.sla.target * 100.0,
            duration(q.sla.within_s),
            q.sla.scope.as_str(),
            f64::from(q.opening.open_minutes()) / 60.0
        )?;
    }
    writeln!(
        out,
        "\nagents: {} in {} skill groups",
        i.agents.len(),
        c.skill_groups.len()
    )?;
    let counts = agents_by_group(i);
    for g in &c.skill_groups {
        let qs: Vec<&str> = g.queues.iter().map(|&q| c.queues[q].id.as_str()).collect();
        writeln!(
            out,
            "  {:<16} {:>4}  serves {}",
            g.id,
            counts.get(&g.id).copied().unwrap_or(0),
            qs.join(" > ")
        )?;
    }
    writeln!(out, "\ndemand: {kind}, {} rows", rows.len())?;
    for o in &c.outsourcers {
        let qs: Vec<&str> = o.queues.iter().map(|&q| c.queues[q].id.as_str()).collect();
        let price = match o.pricing {
            Pricing::PerContact(p) => format!("{p:.2} per contact"),
            Pricing::PerSeatHour(p) => format!("{p:.2} per seat-hour"),
        };
        let state = if o.available {
            ""
        } else {
            " (not available this week)"
        };
        writeln!(
            out,
            "outsourcer {}: {} seats, {price}, serves {}{state}",
            o.id,
            o.seats,
            qs.join(", ")
        )?;
    }
    if let Some(lines) = c.trunk_lines {
        writeln!(out, "trunks: {lines} lines")?;
    }
    for s in &i.strikes {
        let dates: Vec<String> = s.dates.iter().map(|d| d.to_string()).collect();
        writeln!(
            out,
            "strike: {:.0}% of {} off on {}",
            s.share * 100.0,
            c.skill_groups[s.skill_group].id,
            dates.join(", ")
        )?;
    }
    Ok(())
}

/// `20s`, `90s`, `4h`, `1h30m`: a duration as planners write it.
fn duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, 0) if s >= 600 => format!("{m}m"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, 0) if h > 0 => format!("{h}h{m}m"),
        _ => format!("{s}s"),
    }
}
