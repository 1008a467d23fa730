//! `slaplan validate <instance>`: loads an instance with its model and
//! files, and prints "ok" with a one-screen summary, or every problem
//! found (exit 2).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{write_json, Format, RunError};
use slaplan::files::validate::{channel_name, ProblemOut, ValidateSummary};
use slaplan::input::load_instance;
use slaplan::model::{Channel, Instance, Pricing};

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
    let loaded = load_instance(&args.instance).and_then(|instance| {
        slaplan::pipeline::ready(&instance, &args.instance)
            .map(|()| instance)
            .map_err(|p| vec![*p])
    });
    match loaded {
        Ok(instance) => {
            match args.format {
                Format::Json => write_json(out, &ValidateSummary::of(&instance))?,
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
                    let n = slaplan::input::problem::count(&problems);
                    writeln!(err, "{n} problem{} found", if n == 1 { "" } else { "s" })?;
                }
            }
            Ok(false)
        }
    }
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
    let summary = ValidateSummary::of(i);
    let kind = summary.demand;
    if kind == "requirements" {
        writeln!(
            out,
            "\nqueues ({}), agent-hours required per week (given: no forecast, no queueing, the SLAs not applied):",
            c.queues.len()
        )?;
        for (q, s) in c.queues.iter().zip(&summary.queues) {
            writeln!(
                out,
                "  {:<16} {:>9.1}",
                q.id,
                s.required_agent_hours.unwrap_or(0.0)
            )?;
        }
    } else {
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
        for (q, s) in c.queues.iter().zip(&summary.queues) {
            let within = if q.sla.field() {
                "on site"
            } else if q.sla.response {
                "taken up"
            } else if matches!(q.channel, Channel::Deferred) {
                "handled"
            } else {
                "answered"
            };
            writeln!(
                out,
                "  {:<16} {:<13} {:>9.0}  AHT {:>4.0} s{}  SLA {:.0}% {within} within {} per {}  open {:.1} h/week",
                q.id,
                channel_name(q.channel),
                s.contacts,
                q.aht_s,
                if q.sla.field() {
                    format!(" + travel {} each way", duration(q.sla.travel_s))
                } else {
                    String::new()
                },
                q.sla.target * 100.0,
                duration(q.sla.within_s),
                q.sla.scope.as_str(),
                f64::from(q.opening.open_minutes()) / 60.0
            )?;
        }
    }
    writeln!(
        out,
        "\nagents: {} in {} skill groups",
        i.agents.len(),
        c.skill_groups.len()
    )?;
    let counts = &summary.agents_by_group;
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
    writeln!(out, "\ndemand: {kind}, {} rows", summary.demand_rows)?;
    if i.weeks > 1 {
        writeln!(
            out,
            "horizon: {} weeks from {} (plan plans them one after another)",
            i.weeks, i.week_start
        )?;
    }
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
