//! `slaplan check <instance> <roster.csv>`: the independent checker. Reads
//! the input and the roster file again and verifies every rule, counting
//! from the files alone; lists each violation with who, when and which
//! rule. Exit 0 clean, 1 violations, 2 bad input.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{write_json, Format, RunError};
use slaplan::check::Violation;
use slaplan::input::Problem;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The instance: a centre's week (YAML), or with `--curtois` a
    /// Curtois–Qu benchmark file.
    instance: PathBuf,
    /// The roster to check (the CSV `slaplan plan` or `slaplan roster`
    /// writes), or the folder `slaplan plan --weeks N` writes: every week
    /// checked, with the rest and days in a row across its boundaries.
    roster: PathBuf,
    /// The instance is a Curtois–Qu benchmark file; also prints the
    /// roster's objective in the benchmark's terms.
    #[arg(long)]
    curtois: bool,
    /// The plan's allocation of agents to queues (default: allocation.csv
    /// beside the roster).
    #[arg(long, value_name = "FILE")]
    allocation: Option<PathBuf>,
    /// Count every queue's SLA over this scope, as the plan did with
    /// `--sla-scope`.
    #[arg(long, value_enum)]
    sla_scope: Option<super::plan::ScopeArg>,
    /// The on-call duties, for a model with on-call rotas (default:
    /// on_call.csv beside the roster; without it, every period is
    /// uncovered).
    #[arg(long, value_name = "FILE")]
    on_call: Option<PathBuf>,
    /// What happened on call: a CSV of call-outs (agent, start, end and
    /// their offsets, on the agent's clock), each checked against the
    /// agent's duty and the rest owed after it before the next shift.
    #[arg(long, value_name = "FILE")]
    call_outs: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, serde::Serialize)]
struct Report<T: serde::Serialize> {
    violations: Vec<Violation>,
    #[serde(flatten)]
    measures: T,
}

fn problems(list: &[Problem]) -> Result<u8, RunError> {
    let mut err = std::io::stderr().lock();
    for p in list {
        writeln!(err, "{p}")?;
    }
    Ok(2)
}

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    if args.curtois {
        use slaplan::check::curtois::{check, read_grid};
        let b = match slaplan::input::curtois::load_benchmark(&args.instance) {
            Ok(b) => b,
            Err(p) => return problems(&p),
        };
        let grid = match read_grid(&args.roster, &b) {
            Ok(g) => g,
            Err(p) => return problems(&p),
        };
        let (violations, objective) = check(&b, &grid);
        return finish(
            out,
            args.format,
            violations,
            serde_json::json!({ "objective": objective }),
            |out, n| {
                writeln!(
                    out,
                    "{n} violation(s); objective {} (shift-on requests {}, shift-off requests {}, cover under {}, over {})",
                    objective.total,
                    objective.shift_on_requests,
                    objective.shift_off_requests,
                    objective.cover_under,
                    objective.cover_over
                )
            },
        );
    }
    centre(args, out)
}

/// A horizon's weeks (`plan --weeks`), each checked with what the week
/// before's roster leaves; a line per week, the violations with dates.
fn horizon(args: &CheckArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let Some(inst) = super::load_or_report(&args.instance)? else {
        return Ok(2);
    };
    let (violations, weeks) = match slaplan::pipeline::horizon::check_horizon(
        &inst,
        &args.roster,
        args.sla_scope.map(Into::into),
    ) {
        Ok(x) => x,
        Err(p) => return problems(&p),
    };
    let table = |out: &mut dyn Write, n: usize| -> std::io::Result<()> {
        for w in &weeks {
            writeln!(
                out,
                "week of {}: {} violation(s); {} shifts, {} agents working, {:.2} paid hours",
                w.week_start,
                w.violations,
                w.measures.shifts,
                w.measures.agents_working,
                w.measures.paid_hours
            )?;
        }
        writeln!(out, "{n} violation(s) over {} week(s)", weeks.len())
    };
    finish(
        out,
        args.format,
        violations,
        serde_json::json!({ "weeks": weeks }),
        table,
    )
}

/// The centre's roster: rules, coverage and SLAs.
fn centre(args: &CheckArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    if args.roster.join("horizon.json").is_file() {
        return horizon(args, out);
    }
    let Some((inst, demand)) = super::load_week_as_planned(&args.instance, &args.roster)? else {
        return Ok(2);
    };
    let allocation = super::allocation_beside(&args.roster, args.allocation.as_deref());
    let on_call = slaplan::check::centre::OnCallPaths {
        duties: Some(super::beside(
            &args.roster,
            args.on_call.as_deref(),
            "on_call.csv",
        )),
        call_outs: args.call_outs.clone(),
    };
    let (violations, m) = match slaplan::check::centre::check(
        &inst,
        &demand,
        &args.roster,
        &allocation,
        args.sla_scope.map(Into::into),
        &on_call,
    ) {
        Ok(x) => x,
        Err(p) => return problems(&p),
    };
    let table = |out: &mut dyn Write, n: usize| -> std::io::Result<()> {
        for s in &m.sla {
            writeln!(
                out,
                "sla {} {}{}: worst {:.4}, target {:.4}, {} of {} periods met{}",
                s.queue,
                s.scope,
                if s.contractual { " (contract)" } else { "" },
                s.achieved,
                s.target,
                s.periods_met,
                s.periods,
                if s.priced { ", misses priced" } else { "" }
            )?;
        }
        if m.requests.granted + m.requests.not_granted > 0 {
            writeln!(
                out,
                "requests: {} granted, {} not (weight {:.2})",
                m.requests.granted, m.requests.not_granted, m.requests.weight_not_granted
            )?;
        }
        writeln!(
            out,
            "{n} violation(s); {} shifts, {} agents working, {:.2} paid hours",
            m.shifts, m.agents_working, m.paid_hours
        )
    };
    finish(out, args.format, violations, &m, table)
}

/// Prints the violations and the measures (a table, or one JSON document);
/// exit 0 when clean, 1 with violations.
fn finish<T: serde::Serialize>(
    out: &mut dyn Write,
    format: Format,
    violations: Vec<Violation>,
    measures: T,
    table: impl FnOnce(&mut dyn Write, usize) -> std::io::Result<()>,
) -> Result<u8, RunError> {
    let clean = violations.is_empty();
    match format {
        Format::Json => write_json(
            out,
            &Report {
                violations,
                measures,
            },
        )?,
        Format::Table | Format::Csv => {
            for v in &violations {
                writeln!(out, "violation {v}")?;
            }
            table(out, violations.len())?;
        }
    }
    Ok(if clean { 0 } else { 1 })
}
