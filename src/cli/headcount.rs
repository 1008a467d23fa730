//! `slaplan headcount <instance> --weeks N`: the cheapest headcount per
//! skill group and week over a horizon — hires, attrition, cuts, overtime,
//! temporary staff and the outsourcers — with finance's figures and each
//! outsourcer's break-even price ([`slaplan::finance::headcount`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{load_or_report, write_files, write_json, Format, RunError, UsageError};
use slaplan::files::headcount::{
    headcount_csv, scenarios_csv, HeadcountFile, HeadcountScenarios, ScenarioDecision,
};
use slaplan::finance::headcount::{decide, week_needs, HeadcountError};

#[derive(Debug, Args)]
pub struct HeadcountArgs {
    /// The instance (YAML) whose model has a `headcount:` policy; its
    /// history is forecast for each week.
    instance: PathBuf,
    /// Weeks of the horizon from the instance's (13: a quarter). Default:
    /// the instance's `weeks:`.
    #[arg(long, value_name = "N")]
    weeks: Option<usize>,
    /// Change the instance first, e.g. `--set outsourcing=off --set
    /// max_agents.level1=50` (repeatable; the keys are in docs/formats.md,
    /// "Scenarios").
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<slaplan::scenario::Override>,
    /// Decide under each scenario of a file (`scenarios:` with `{name,
    /// set: {key: value}}` each, after `--set`): one row each, and
    /// scenarios.json and scenarios.csv with -o.
    #[arg(long, value_name = "FILE")]
    scenarios: Option<PathBuf>,
    /// Folder for headcount.json and headcount.csv, made if needed.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// table: per group and week, and the totals; json: headcount.json;
    /// csv: headcount.csv.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &HeadcountArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let Some(mut inst) = load_or_report(&args.instance)? else {
        return Ok(2);
    };
    slaplan::scenario::apply(&mut inst, &args.set).map_err(|message| UsageError {
        flag: "--set",
        message,
    })?;
    if inst.centre.headcount.is_none() {
        return Err(UsageError {
            flag: "INSTANCE",
            message: format!(
                "{}: its model has no headcount policy; add `headcount:` with each skill group's hiring, attrition, cuts, overtime and temps (docs/formats.md)",
                args.instance.display()
            ),
        }
        .into());
    }
    let weeks = args.weeks.unwrap_or(inst.weeks);
    let refused = |e: HeadcountError| UsageError {
        flag: if matches!(e, HeadcountError::Refused(_)) && args.weeks.is_some() {
            "--weeks"
        } else {
            "INSTANCE"
        },
        message: format!("{}: {e}", args.instance.display()),
    };
    if let Some(path) = &args.scenarios {
        let scenarios = slaplan::scenario::load_scenarios(path).map_err(|message| UsageError {
            flag: "--scenarios",
            message,
        })?;
        // Every scenario's overrides checked before any decision.
        let mut cases = Vec::new();
        for s in scenarios {
            let mut case = inst.clone();
            slaplan::scenario::apply(&mut case, &s.overrides).map_err(|m| UsageError {
                flag: "--scenarios",
                message: format!("{}: scenario '{}': {m}", path.display(), s.name),
            })?;
            cases.push((s, case));
        }
        let mut all = Vec::new();
        for (s, case) in cases {
            let needs = week_needs(&case, weeks).map_err(refused)?;
            all.push(ScenarioDecision {
                name: s.name,
                overrides: s.overrides.iter().map(ToString::to_string).collect(),
                decision: decide(&case, &needs).map_err(refused)?,
            });
        }
        let all = HeadcountScenarios { scenarios: all };
        let mut csv = Vec::new();
        scenarios_csv(&all, &mut csv)?;
        if let Some(dir) = &args.output {
            let json = slaplan::files::json_bytes(&all)?;
            write_files(dir, &[("scenarios.json", &json), ("scenarios.csv", &csv)])?;
        }
        match args.format {
            Format::Csv => out.write_all(&csv)?,
            Format::Json => write_json(out, &all)?,
            Format::Table => write_scenarios(out, &all)?,
        }
        return Ok(0);
    }
    let needs = week_needs(&inst, weeks).map_err(refused)?;
    let file = decide(&inst, &needs).map_err(refused)?;
    let mut csv = Vec::new();
    headcount_csv(&file, &mut csv)?;
    if let Some(dir) = &args.output {
        let json = slaplan::files::json_bytes(&file)?;
        write_files(dir, &[("headcount.json", &json), ("headcount.csv", &csv)])?;
    }
    match args.format {
        Format::Csv => out.write_all(&csv)?,
        Format::Json => write_json(out, &file)?,
        Format::Table => write_table(out, &file)?,
    }
    Ok(0)
}

fn write_table(out: &mut dyn Write, f: &HeadcountFile) -> Result<(), RunError> {
    writeln!(
        out,
        "{} — headcount over {} weeks from {} ({}; schedule efficiency {:.0}%)",
        f.centre,
        f.weeks,
        f.first_week,
        f.status,
        f.schedule_efficiency * 100.0
    )?;
    writeln!(
        out,
        "\n{:<10} {:<12} {:>9} {:>5} {:>8} {:>8} {:>7} {:>4} {:>9} {:>8} {:>8} {:>11}",
        "week",
        "group",
        "headcount",
        "hire",
        "starters",
        "trainees",
        "leavers",
        "cut",
        "paid h",
        "overtime",
        "temps h",
        "cost"
    )?;
    for g in &f.groups {
        writeln!(
            out,
            "{:<10} {:<12} {:>9.1} {:>5} {:>8} {:>8} {:>7.2} {:>4} {:>9.0} {:>8.0} {:>8.0} {:>11.2}",
            g.week_start,
            g.group,
            g.headcount,
            g.hires,
            g.starters,
            g.trainees,
            g.leavers,
            g.cuts,
            g.paid_hours,
            g.overtime_hours,
            g.temp_hours,
            g.cost
        )?;
    }
    for o in &f.outsourced {
        writeln!(
            out,
            "{:<10} outsourcer {}: {:.0} contacts, {:.2} {}",
            o.week_start, o.outsourcer, o.contacts, o.cost, f.currency
        )?;
    }
    let t = &f.total;
    writeln!(
        out,
        "\ntotal {:.2} {}: in-house {:.2}, overtime {:.2}, temps {:.2}, hiring {:.2} ({} hires), severance {:.2} ({} cuts), outsourced {:.2} ({:.0} contacts)",
        t.cost,
        f.currency,
        t.in_house,
        t.overtime,
        t.temps,
        t.hiring,
        t.hires,
        t.severance,
        t.cuts,
        t.outsourced,
        t.outsourced_contacts
    )?;
    writeln!(
        out,
        "per month {:.2}, per year {:.2}{}",
        t.cost_per_month,
        t.cost_per_year,
        t.cost_per_contact
            .map_or(String::new(), |c| format!(", per contact {c:.2}"))
    )?;
    for s in &f.short {
        writeln!(
            out,
            "short: {} {} needs {:.1} agent-hours nothing can meet (no group, hire, temp or outsourcer reaches it)",
            s.week_start, s.queue, s.hours
        )?;
    }
    for b in &f.break_even {
        match (b.break_even, &b.below, &b.above) {
            (Some(p), Some(lo), Some(hi)) => writeln!(
                out,
                "break-even {}: {:.2} {} a {} (priced {:.2}); below it {:.0} contacts sent and {} hires, above it {:.0} and {} hires",
                b.outsourcer,
                p,
                f.currency,
                b.unit,
                b.price,
                lo.outsourced_contacts,
                lo.hires,
                hi.outsourced_contacts,
                hi.hires
            )?,
            (None, Some(_), _) => writeln!(
                out,
                "break-even {}: none — at any price it meets need nothing else can in time ({:.0} contacts)",
                b.outsourcer,
                b.below.as_ref().map_or(0.0, |s| s.outsourced_contacts)
            )?,
            _ => writeln!(
                out,
                "break-even {}: none — it takes no contact even free",
                b.outsourcer
            )?,
        }
    }
    Ok(())
}

fn write_scenarios(out: &mut dyn Write, all: &HeadcountScenarios) -> Result<(), RunError> {
    let Some(first) = all.scenarios.first() else {
        return Ok(());
    };
    let f = &first.decision;
    writeln!(
        out,
        "{} — headcount over {} weeks from {}, {} scenarios ({})",
        f.centre,
        f.weeks,
        f.first_week,
        all.scenarios.len(),
        f.currency
    )?;
    writeln!(
        out,
        "\n{:<34} {:>12} {:>11} {:>8} {:>5} {:>4} {:>6} {:>10} {:>9}",
        "scenario",
        "cost",
        "per month",
        "/contact",
        "hire",
        "cut",
        "final",
        "outsourced",
        "short h"
    )?;
    for s in &all.scenarios {
        let t = &s.decision.total;
        writeln!(
            out,
            "{:<34} {:>12.2} {:>11.2} {:>8} {:>5} {:>4} {:>6.1} {:>10.0} {:>9.1}",
            s.name,
            t.cost,
            t.cost_per_month,
            t.cost_per_contact
                .map_or("-".to_string(), |c| format!("{c:.2}")),
            t.hires,
            t.cuts,
            s.final_headcount(),
            t.outsourced_contacts,
            t.short_hours
        )?;
    }
    if let Some(best) = all
        .scenarios
        .iter()
        .filter(|s| s.decision.total.short_hours == 0.0)
        .min_by(|a, b| a.decision.total.cost.total_cmp(&b.decision.total.cost))
    {
        writeln!(
            out,
            "\nleast cost with every need met: {} ({:.2})",
            best.name, best.decision.total.cost
        )?;
    } else {
        writeln!(
            out,
            "\nno scenario meets every need: each falls short somewhere (headcount.json's short lists where)"
        )?;
    }
    Ok(())
}
