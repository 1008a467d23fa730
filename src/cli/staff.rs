//! `slaplan staff <instance>`: what each queue needs in each interval of
//! the week — load, agents for its SLA target, agents to schedule after
//! shrinkage, deferred workload — and where the trunk lines, not the
//! agents, limit service.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{load_or_report, write_files, write_json, Format, RunError, UsageError};
use slaplan::files::staff::{requirements_csv, StaffSummary};
use slaplan::model::Instance;
use slaplan::requirements::{requirements, Requirements};

#[derive(Debug, Args)]
pub struct StaffArgs {
    /// The instance (YAML); its history is forecast first when it gives one.
    instance: PathBuf,
    /// Folder for requirements.csv (per queue and interval) and
    /// requirements.json (per queue and day), made if needed.
    #[arg(short, long, value_name = "DIR")]
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
    let demand = slaplan::pipeline::demand(&inst)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    let req = requirements(&inst, &demand)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    let mut csv = Vec::new();
    requirements_csv(&inst, &req, &mut csv)?;
    if let Some(dir) = &args.output {
        let json = slaplan::files::json_bytes(&StaffSummary::of(&inst, &req))?;
        write_files(
            dir,
            &[("requirements.csv", &csv), ("requirements.json", &json)],
        )?;
    }
    match args.format {
        Format::Csv => out.write_all(&csv)?,
        Format::Json => write_json(out, &StaffSummary::of(&inst, &req))?,
        Format::Table => write_table(out, &inst, &req)?,
    }
    Ok(true)
}

fn write_table(out: &mut dyn Write, inst: &Instance, req: &Requirements) -> Result<(), RunError> {
    let s = StaffSummary::of(inst, req);
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
