//! `slaplan roster --curtois <InstanceN.txt>`: the rostering engine on a
//! Curtois–Qu benchmark instance. Prints the objective in the benchmark's
//! terms (counted by the checker from the roster, and by the engine: they
//! must agree), the lower bound and the gap; writes the roster as
//! `employee,day,shift` rows.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::solver::SolverArgs;
use super::{write_files, write_json, Format, RunError};
use slaplan::check::curtois::{write_grid, BenchObjective};
use slaplan::check::Violation;
use slaplan::input::curtois::load_benchmark;
use slaplan::pipeline::benchmark::roster_benchmark;
use slaplan::plan::solve::SolveStats;
use slaplan::roster;

#[derive(Debug, Args)]
pub struct RosterArgs {
    /// A Curtois–Qu benchmark instance (InstanceN.txt).
    #[arg(long, value_name = "FILE")]
    curtois: PathBuf,
    /// Folder for roster.csv (employee,day,shift) and roster.json (the
    /// objective, the solve, any rule broken), made if needed.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    #[command(flatten)]
    solver: SolverArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Serialize)]
struct Report {
    instance: String,
    employees: usize,
    days: usize,
    /// The benchmark objective, counted by the checker from the roster.
    objective: Option<BenchObjective>,
    /// The engine's own count less any priced shortfall of minimum
    /// minutes (must equal `objective.total`).
    engine_objective: Option<f64>,
    /// Minutes below employees' minimums, priced by the engine's elastic
    /// minimums (zero for every roster that keeps the rules).
    short_minutes_penalty: Option<f64>,
    /// Cover no roster can meet by the employees' limits alone: by shift
    /// kind and by minutes, each with the least it adds to the objective.
    unavoidable: roster::limits::Unavoidable,
    solve: SolveStats,
    violations: Vec<Violation>,
}

/// Exit 0 with a roster, 1 without one (or one that breaks a rule: a bug),
/// 2 on bad input.
pub fn run(args: &RosterArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    slaplan::progress::start();
    slaplan::progress::stage(
        "roster",
        format!(
            "{}, limit {} s",
            args.curtois.display(),
            args.solver.time_limit
        ),
    );
    let result = solve_benchmark(args, out);
    slaplan::progress::finish();
    result
}

fn solve_benchmark(args: &RosterArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let opts = args.solver.options(0.0)?;
    let Some(bench) = super::or_report(load_benchmark(&args.curtois))? else {
        return Ok(2);
    };
    let run = roster_benchmark(
        &bench,
        &roster::RosterOptions::for_plan(&opts, opts.time_limit_s, opts.work_limit)
            .with_gap(opts.gap),
    );
    slaplan::progress::finish();
    let report = Report {
        instance: args.curtois.display().to_string(),
        employees: bench.staff.len(),
        days: bench.days,
        objective: run.objective,
        engine_objective: run.engine_objective,
        short_minutes_penalty: run.short_minutes_penalty,
        unavoidable: run.unavoidable.clone(),
        solve: run.solved.stats.clone(),
        violations: run.violations.clone(),
    };
    if let Some(dir) = &args.output {
        // No roster found: roster.json alone says so.
        let grid = run
            .solved
            .assignment
            .as_ref()
            .map(|a| write_grid(&bench, &a.0));
        let json = slaplan::files::json_bytes(&report)?;
        let mut files: Vec<(&str, &[u8])> = vec![("roster.json", &json)];
        if let Some(g) = &grid {
            files.push(("roster.csv", g.as_bytes()));
        }
        write_files(dir, &files)?;
    }
    match args.format {
        Format::Json => write_json(out, &report)?,
        Format::Table | Format::Csv => print(out, &report)?,
    }
    if !run.agree() {
        eprintln!("error: the engine and the checker count different objectives: a bug");
    }
    let ok = run.is_clean();
    Ok(if ok { 0 } else { 1 })
}

fn print(out: &mut dyn Write, r: &Report) -> Result<(), RunError> {
    writeln!(
        out,
        "instance    {} ({} employees, {} days)",
        r.instance, r.employees, r.days
    )?;
    writeln!(
        out,
        "status      {} ({})",
        r.solve.status.as_str(),
        r.solve.stopped
    )?;
    match &r.objective {
        Some(o) => writeln!(
            out,
            "objective   {} (shift-on requests {}, shift-off requests {}, cover under {}, over {})",
            o.total, o.shift_on_requests, o.shift_off_requests, o.cover_under, o.cover_over
        )?,
        None => writeln!(out, "objective   none: no roster within the limit")?,
    }
    if let Some(b) = r.solve.lower_bound {
        writeln!(out, "lower bound {b:.2}")?;
    }
    if let Some(g) = r.solve.gap {
        writeln!(out, "gap         {:.3}%", 100.0 * g)?;
    }
    for k in &r.unavoidable.kinds {
        writeln!(
            out,
            "unavoidable {}: {} rows short in every roster ({} asked, the employees may work {}; {} of the objective at least)",
            k.shift, k.short, k.asked, k.allowed, k.cost
        )?;
    }
    if let Some(m) = &r.unavoidable.minutes {
        writeln!(
            out,
            "unavoidable minutes: {} short in every roster ({} asked, the employees may work {}; {} rows, {} of the objective at least)",
            m.short, m.asked, m.allowed, m.rows, m.cost
        )?;
    }
    writeln!(
        out,
        "solve       {:.2} s, {} simplex iterations, {} nodes",
        r.solve.solve_seconds, r.solve.simplex_iterations, r.solve.nodes
    )?;
    for v in &r.violations {
        writeln!(out, "violation   {v}")?;
    }
    Ok(())
}
