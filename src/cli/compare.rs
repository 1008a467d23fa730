//! `slaplan compare <instance> --scenarios <file> [--sweep key=a..b:step]`:
//! the week planned under each scenario's overrides, in parallel; one table
//! of cost (in-house, outsourced, penalties), headcount and FTE, SLA per
//! queue, status and gap — in the terminal, as CSV, JSON and compare.html.
//! A price sweep states the break-even outsourcer price; a target sweep the
//! marginal cost of one SLA point around the contract target.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::solver::SolverArgs;
use super::{load_or_report, write_files, write_json, Format, RunError, UsageError};
use slaplan::files::compare::{csv, opt, queues, CompareFile, COLUMNS};
use slaplan::pipeline::WeekOptions;
use slaplan::scenario::{self, Override, Scenario, Sweep};

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The instance (YAML) every scenario starts from.
    instance: PathBuf,
    /// Scenario file: `scenarios:` with `{name, set: {key: value}}` each
    /// (docs/formats.md, "Scenarios").
    #[arg(long, value_name = "FILE")]
    scenarios: Option<PathBuf>,
    /// One key over a range, e.g. `outsourcer.price=1.5..4.0:0.25` or
    /// `sla.target=0.7..0.95:0.05`; on top of each scenario, or of the
    /// instance as it is when no file is given.
    #[arg(long, value_name = "KEY=FROM..TO:STEP")]
    sweep: Option<Sweep>,
    /// Change the week under every scenario, before its own overrides, e.g.
    /// `--set sla.support.penalty=5` (repeatable; keys as `slaplan plan
    /// --set`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<Override>,
    /// Folder for compare.csv, compare.json and compare.html.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// How the table is printed.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    solver: SolverArgs,
    /// Exit 1 when a scenario has no acceptable plan (infeasible, a
    /// contract failing, a shift unrostered), as `slaplan plan` would;
    /// by default only a scenario left undecided exits 1.
    #[arg(long)]
    fail_on_infeasible: bool,
    /// Scenarios solved at once (default: one per core); each scenario's
    /// solver and simulation use --threads (default: the cores left to
    /// each, at least one).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Seconds for naming the agents of each scenario, as `slaplan plan`
    /// does (its re-plans included).
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    roster_time_limit: f64,
    /// Plan only, as `slaplan plan --no-roster`: faster, but no agents
    /// named, no re-plans, no agents-working figure.
    #[arg(long)]
    no_roster: bool,
    /// Skip the verification by simulation that `slaplan plan` makes by
    /// default: the scenarios are then ranked on the queueing tables'
    /// projection, and the table says so. Verified, a scenario whose
    /// contracts fail on the phones is not acceptable and is not ranked.
    #[arg(long)]
    no_verify: bool,
    /// The default (kept for scripts written when it was asked for).
    #[arg(long, hide = true, conflicts_with_all = ["no_roster", "no_verify"])]
    verify: bool,
    /// Plan only every N-th scenario, from the I-th (e.g. 2/4), and write
    /// that shard's compare.json; `--merge` joins the shards (docs/ci.md).
    #[arg(long, value_name = "I/N", requires = "output")]
    shard: Option<slaplan::files::shard::Shard>,
    /// Join the folders that `--shard` runs wrote (with the same instance,
    /// scenarios, sweep and options) into the whole comparison, as one run
    /// makes it.
    #[arg(long, value_name = "DIR", num_args = 1.., conflicts_with = "shard")]
    merge: Vec<PathBuf>,
    /// Plan each scenario over this many consecutive weeks, as `slaplan
    /// plan --weeks` does (nothing written but the comparison): each row
    /// adds the weeks up, with the cost per contact, per month and per
    /// year. Default: the instance's `weeks:` (1 unless it says).
    #[arg(long, value_name = "N")]
    weeks: Option<usize>,
}

/// Runs the command; 0 when every scenario has a plan that keeps its
/// contractual SLAs, 1 when one has not, 2 on bad input.
pub fn run(args: &CompareArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    slaplan::progress::start();
    let result = compare(args, out);
    slaplan::progress::finish();
    result
}

fn compare(args: &CompareArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    if args.roster_time_limit.is_nan() || args.roster_time_limit <= 0.0 {
        return Err(UsageError {
            flag: "--roster-time-limit",
            message: format!(
                "must be a positive number of seconds, got {}",
                args.roster_time_limit
            ),
        }
        .into());
    }
    if args.jobs == Some(0) {
        return Err(UsageError {
            flag: "--jobs",
            message: "must be at least 1".into(),
        }
        .into());
    }
    let jobs = super::solver::threads_for(args.jobs, "--jobs");
    let mut solver = args.solver.options(0.01)?;
    if args.solver.threads.is_none() {
        // The cores go to the scenarios first.
        solver.threads = (slaplan::threads::cores() / jobs).max(1) as u32;
    }
    let mut opts = WeekOptions::new(solver, (!args.no_roster).then_some(args.roster_time_limit));
    if !args.no_verify {
        opts.verify = Some(slaplan::pipeline::verify::VerifyOptions::default());
    }
    let scenarios: Vec<Scenario> = match &args.scenarios {
        Some(p) => scenario::load_scenarios(p).map_err(|message| UsageError {
            flag: "--scenarios",
            message,
        })?,
        None if args.sweep.is_some() => vec![Scenario {
            name: "as given".into(),
            overrides: Vec::new(),
        }],
        None => {
            return Err(UsageError {
                flag: "--scenarios",
                message: "give a scenario file, a --sweep, or both".into(),
            }
            .into())
        }
    };
    let Some(mut inst) = load_or_report(&args.instance)? else {
        return Ok(2);
    };
    inst.weeks = args.weeks.unwrap_or(inst.weeks);
    slaplan::pipeline::horizon::plannable(&inst, inst.weeks).map_err(|message| UsageError {
        flag: "--weeks",
        message: format!("{}: {message}", args.instance.display()),
    })?;
    scenario::apply(&mut inst.clone(), &args.set).map_err(|message| UsageError {
        flag: "--set",
        message,
    })?;
    // `--set` goes under every scenario, before its own overrides.
    let scenarios: Vec<Scenario> = scenarios
        .into_iter()
        .map(|mut s| {
            s.overrides = args.set.iter().cloned().chain(s.overrides).collect();
            s
        })
        .collect();
    // Every scenario's overrides checked before any solve starts.
    for j in slaplan::finance::jobs(&scenarios, args.sweep.as_ref(), args.scenarios.is_some()) {
        let mut probe = inst.clone();
        scenario::apply(&mut probe, &j.overrides).map_err(|m| UsageError {
            flag: "--scenarios",
            message: format!("{}: {m}", j.name),
        })?;
    }
    let mut parts = Vec::new();
    for dir in &args.merge {
        let path = dir.join("compare.json");
        let part: CompareFile = slaplan::input::read_input(&path)
            .and_then(|b| serde_json::from_str(&b).map_err(|e| e.to_string()))
            .map_err(|e| UsageError {
                flag: "--merge",
                message: format!("{}: not a compare shard's file: {e}", path.display()),
            })?;
        parts.push(part);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let (flag, report) = pool.install(|| {
        if parts.is_empty() {
            (
                "INSTANCE",
                slaplan::finance::compare(
                    &inst,
                    &args.instance,
                    &scenarios,
                    args.sweep.as_ref(),
                    args.scenarios.is_some(),
                    &opts,
                    args.shard,
                ),
            )
        } else {
            (
                "--merge",
                slaplan::finance::merge(
                    &inst,
                    &args.instance,
                    &scenarios,
                    args.sweep.as_ref(),
                    args.scenarios.is_some(),
                    &parts,
                    &opts,
                ),
            )
        }
    });
    let report = report.map_err(|message| UsageError { flag, message })?;
    if let Some(dir) = &args.output {
        write_files(
            dir,
            &[
                (
                    "compare.csv",
                    csv(&report.scenarios, &report.currency).as_bytes(),
                ),
                ("compare.json", &slaplan::files::json_bytes(&report)?),
                (
                    "compare.html",
                    slaplan::report::compare::html(&report).as_bytes(),
                ),
            ],
        )?;
    }
    slaplan::progress::finish();
    match args.format {
        Format::Json => write_json(out, &report)?,
        Format::Csv => out.write_all(csv(&report.scenarios, &report.currency).as_bytes())?,
        Format::Table => table(out, &report)?,
    }
    Ok(exit_code(&report, args.fail_on_infeasible))
}

/// 0 when the comparison was made — every scenario decided, a week that
/// cannot be planned as stated marked in it; 1 when a scenario could not
/// be decided (no plan within the budget, infeasibility not proven), or
/// with `--fail-on-infeasible` when a scenario has no acceptable plan.
fn exit_code(report: &CompareFile, fail_on_infeasible: bool) -> u8 {
    let undecided = report
        .scenarios
        .iter()
        .any(|r| r.status == slaplan::plan::Status::NoSolution);
    let unacceptable = report.scenarios.iter().any(|r| !r.acceptable);
    u8::from(undecided || (fail_on_infeasible && unacceptable))
}

/// Terminal widths of the columns after the scenario.
const WIDTHS: [usize; 9] = [11, 12, 12, 11, 11, 12, 6, 7, 7];

fn table(out: &mut dyn Write, c: &CompareFile) -> std::io::Result<()> {
    let w = c
        .scenarios
        .iter()
        .map(|r| r.scenario.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let queues = queues(&c.scenarios);
    write!(out, "{:<w$} ", COLUMNS[0])?;
    for (c, width) in COLUMNS[1..].iter().zip(WIDTHS) {
        if *c == "status" {
            write!(out, " {c:<width$}")?;
        } else {
            write!(out, " {c:>width$}")?;
        }
    }
    // As wide as a value: "  85.00%!" is ten characters with its mark.
    for q in &queues {
        write!(out, " {:>10}", truncate(q, 10))?;
    }
    writeln!(out)?;
    for r in &c.scenarios {
        write!(
            out,
            "{:<w$}  {:<11} {:>12} {:>12} {:>11} {:>11} {:>12.0} {:>6} {:>7} {:>7}",
            r.scenario,
            r.status.as_str(),
            opt(r.cost_total, 2),
            opt(r.in_house, 2),
            opt(r.outsourced, 2),
            opt(r.penalties, 2),
            r.outsourced_contacts,
            r.agents,
            opt(r.fte, 1),
            r.gap
                .map_or(String::new(), |g| format!("{:.2}%", 100.0 * g))
        )?;
        for q in &queues {
            match r.sl_of(q) {
                Some(s) => {
                    let mark = if s.kept { ' ' } else { '!' };
                    write!(out, " {:>8.2}%{mark}", 100.0 * s.achieved)?;
                }
                None => write!(out, " {:>10}", "-")?,
            }
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "costs in {}; SL: each queue's contract scope, worst period, exact evaluation; ! = below what the contract asks",
        c.currency
    )?;
    for r in &c.scenarios {
        if let Some(h) = &r.horizon {
            writeln!(
                out,
                "{}: {} weeks, {:.0} contacts; {} per contact, {} a month, {} a year at the weeks' average",
                r.scenario,
                h.weeks,
                h.contacts,
                opt(h.per_contact, 4),
                opt(h.per_month, 2),
                opt(h.per_year, 2)
            )?;
        }
    }
    for r in c.scenarios.iter().filter(|r| r.on_call_cost.is_some()) {
        writeln!(
            out,
            "{}: on call {} {} expected beside the total (allowances, call-outs, paid rest)",
            r.scenario,
            opt(r.on_call_cost, 2),
            c.currency
        )?;
    }
    for r in c.scenarios.iter().filter(|r| r.verified == Some(false)) {
        writeln!(
            out,
            "{}: a contract fails when its roster is replayed call by call: not ranked",
            r.scenario
        )?;
    }
    let unverified: Vec<&str> = c
        .scenarios
        .iter()
        .filter(|r| r.cost_total.is_some() && r.verified.is_none())
        .map(|r| r.scenario.as_str())
        .collect();
    let costed = c
        .scenarios
        .iter()
        .filter(|r| r.cost_total.is_some())
        .count();
    if !unverified.is_empty() {
        writeln!(
            out,
            "not verified by simulation ({}): ranked on the queueing tables' projection",
            if unverified.len() == costed {
                "any scenario".to_string()
            } else {
                unverified.join(", ")
            }
        )?;
    }
    // The first shortfalls per scenario, as compare.html lists them; all
    // of them are in compare.json.
    for r in c.scenarios.iter().filter(|r| !r.explanation.is_empty()) {
        writeln!(out, "{}: no plan ({}):", r.scenario, r.status.as_str())?;
        let (shown, more) = slaplan::report::capped(&r.explanation);
        for m in shown {
            writeln!(out, "  - {m}")?;
        }
        if more > 0 {
            writeln!(out, "  - and {more} more (compare.json, or --format json)")?;
        }
    }
    if let Some(b) = &c.break_even {
        writeln!(
            out,
            "break-even outsourcer price: between {:.2} and {:.2} {cur} — at {:.2} the plan sends {:.0} contacts out, at {:.2} none",
            b.below,
            b.above,
            b.below,
            b.contacts_below,
            b.above,
            cur = c.currency
        )?;
    }
    if let Some(n) = &c.break_even_note {
        writeln!(out, "break-even: {n}")?;
    }
    if let Some(x) = &c.cheapest {
        writeln!(out, "cheapest: {}", x.sentence(&c.currency))?;
    }
    if let Some(m) = &c.marginal_sla {
        writeln!(
            out,
            "marginal cost of one SLA point around the contract target {:.0}%: {:.2} {cur} (between {:.0}% and {:.0}%; the plans' gaps allow {:.2} to {:.2})",
            100.0 * m.contract_target,
            m.cost_per_point,
            100.0 * m.from,
            100.0 * m.to,
            m.low,
            m.high,
            cur = c.currency
        )?;
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
