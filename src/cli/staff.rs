//! `slaplan staff <instance>`: what each queue needs in each interval of
//! the week — load, agents for its SLA target, agents to schedule after
//! shrinkage, deferred workload — and where the trunk lines, not the
//! agents, limit service.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{load_or_report, write_atomic, write_json, Format, RunError, UsageError};
use slaplan::forecast::forecast_instance;
use slaplan::model::Instance;
use slaplan::requirements::{requirements, Requirements};

/// Trunk blocking above which an interval is flagged.
const BLOCKING_FLAG: f64 = 0.01;

#[derive(Debug, Args)]
pub struct StaffArgs {
    /// The instance (YAML); its history is forecast first when it gives one.
    instance: PathBuf,
    /// Write the per-interval requirements CSV here.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// table: per queue and day; json: the same as data; csv: per interval on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &StaffArgs, out: &mut dyn Write) -> Result<bool, RunError> {
    let Some(inst) = load_or_report(&args.instance)? else {
        return Ok(false);
    };
    let bad = |message: String| UsageError {
        flag: "INSTANCE",
        message,
    };
    let demand = forecast_instance(&inst, None, 6)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    let req = requirements(&inst, &demand.rows)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    let mut csv = Vec::new();
    write_csv(&inst, &req, &mut csv)?;
    if let Some(path) = &args.output {
        write_atomic(path, &csv)?;
    }
    match args.format {
        Format::Csv => out.write_all(&csv)?,
        Format::Json => write_json(out, &summary(&inst, &req))?,
        Format::Table => write_table(out, &inst, &req)?,
    }
    Ok(true)
}

fn write_csv(inst: &Instance, req: &Requirements, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "queue,interval_start,repeated_hour,open,contacts,aht_s,load_erlangs,required_agents,scheduled_agents,projected_sl,workload_h,trunk_blocking"
    )?;
    for need in &req.needs {
        let g = &req.grid[need.interval];
        let opt = |v: Option<String>| v.unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{},{:.3},{:.1},{:.4},{},{},{},{:.4},{}",
            inst.centre.queues[need.queue].id,
            g.local.format("%Y-%m-%dT%H:%M"),
            g.repeated_hour,
            need.open,
            need.contacts,
            need.aht_s,
            need.load,
            opt(need.required.map(|r| r.to_string())),
            opt(need.scheduled.map(|r| r.to_string())),
            opt(need.measures.map(|m| format!("{:.4}", m.service_level))),
            need.workload_h,
            opt(req
                .trunks
                .as_ref()
                .map(|t| format!("{:.6}", t[need.interval].1))),
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Summary {
    centre: String,
    week_start: String,
    queues: Vec<QueueDay>,
    /// Intervals where the trunk lines block more than 1% of calls at the
    /// required staffing: lines, not agents, limit service there.
    trunk_limited: Vec<TrunkFlag>,
}

#[derive(Serialize)]
struct QueueDay {
    queue: String,
    date: String,
    contacts: f64,
    peak_required: Option<u32>,
    peak_scheduled: Option<u32>,
    /// Σ required agents × interval length (voice), or handling hours (deferred).
    agent_hours: f64,
}

#[derive(Serialize)]
struct TrunkFlag {
    interval_start: String,
    line_erlangs: f64,
    blocking: f64,
}

fn summary(inst: &Instance, req: &Requirements) -> Summary {
    let c = &inst.centre;
    let hours = f64::from(c.interval_min) / 60.0;
    let mut queues = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        for (d, date) in inst.dates().iter().enumerate() {
            let day: Vec<_> = (0..req.grid.len())
                .filter(|&i| req.grid[i].day == d)
                .map(|i| req.need(q, i))
                .collect();
            let voice = day.iter().any(|n| n.required.is_some());
            queues.push(QueueDay {
                queue: queue.id.clone(),
                date: date.to_string(),
                contacts: day.iter().map(|n| n.contacts).sum(),
                peak_required: day.iter().filter_map(|n| n.required).max(),
                peak_scheduled: day.iter().filter_map(|n| n.scheduled).max(),
                agent_hours: if voice {
                    day.iter()
                        .filter_map(|n| n.required)
                        .map(|r| f64::from(r) * hours)
                        .sum()
                } else {
                    day.iter().map(|n| n.workload_h).sum()
                },
            });
        }
    }
    let trunk_limited = req
        .trunks
        .iter()
        .flat_map(|t| t.iter().enumerate())
        .filter(|(_, (_, b))| *b > BLOCKING_FLAG)
        .map(|(i, (held, b))| TrunkFlag {
            interval_start: req.grid[i].local.format("%Y-%m-%dT%H:%M").to_string(),
            line_erlangs: *held,
            blocking: *b,
        })
        .collect();
    Summary {
        centre: c.name.clone(),
        week_start: inst.week_start.to_string(),
        queues,
        trunk_limited,
    }
}

fn write_table(out: &mut dyn Write, inst: &Instance, req: &Requirements) -> Result<(), RunError> {
    let s = summary(inst, req);
    writeln!(
        out,
        "{} — requirements for the week of {}",
        s.centre, s.week_start
    )?;
    writeln!(
        out,
        "\n{:<16} {:<10} {:>9} {:>13} {:>14} {:>12}",
        "queue", "date", "contacts", "peak agents", "peak scheduled", "agent-hours"
    )?;
    for q in &s.queues {
        let show = |v: Option<u32>| v.map_or_else(|| "-".to_string(), |x| x.to_string());
        writeln!(
            out,
            "{:<16} {:<10} {:>9.0} {:>13} {:>14} {:>12.1}",
            q.queue,
            q.date,
            q.contacts,
            show(q.peak_required),
            show(q.peak_scheduled),
            q.agent_hours
        )?;
    }
    match (&inst.centre.trunk_lines, s.trunk_limited.is_empty()) {
        (Some(lines), true) => writeln!(
            out,
            "\ntrunks: {lines} lines block at most 1% of calls in every interval"
        )?,
        (Some(lines), false) => {
            writeln!(
                out,
                "\ntrunks: {lines} lines limit service in {} intervals (blocking above 1%):",
                s.trunk_limited.len()
            )?;
            for t in s.trunk_limited.iter().take(10) {
                writeln!(
                    out,
                    "  {}  {:.1} Erlangs on the lines, {:.2}% blocked",
                    t.interval_start,
                    t.line_erlangs,
                    t.blocking * 100.0
                )?;
            }
        }
        (None, _) => {}
    }
    Ok(())
}
