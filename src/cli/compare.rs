//! `slaplan compare <instance> --scenarios <file> [--sweep key=a..b:step]`:
//! the week planned under each scenario's overrides, in parallel; one table
//! of cost (in-house, outsourced, penalties), headcount and FTE, SLA per
//! queue, status and gap — in the terminal, as CSV, JSON and compare.html.
//! A price sweep states the break-even outsourcer price; a target sweep the
//! marginal cost of one SLA point around the contract target.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;
use serde::Serialize;

use super::plan::{plan_and_roster, round, PlanJson};
use super::solver::SolverArgs;
use super::{load_or_report, write_atomic, write_json, Format, RunError, UsageError};
use crate::model::{Channel, Instance};
use crate::plan::{Context, PlanOptions, Status};
use crate::scenario::{self, Override, Scenario, Sweep};

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
    /// Scenarios solved at once (default: one per core); each solve uses
    /// --threads HiGHS threads.
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
    /// No progress line on stderr (there is none either when stderr is
    /// not a terminal).
    #[arg(long, short)]
    quiet: bool,
}

/// One scenario's figures, read off the same `plan.json` structure that
/// `slaplan plan` writes, so that the two agree by construction.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub scenario: String,
    pub overrides: Vec<String>,
    /// The swept value, in a sweep.
    pub value: Option<f64>,
    pub status: Status,
    pub cost_total: Option<f64>,
    pub in_house: Option<f64>,
    pub outsourced: Option<f64>,
    pub penalties: Option<f64>,
    pub outsourced_contacts: f64,
    /// Agents in the week (in-house headcount).
    pub agents: usize,
    /// Agents the roster puts to work.
    pub agents_working: Option<usize>,
    /// The total with the roster's wages in place of the plan's.
    pub roster_cost: Option<f64>,
    /// Plans made again where the roster left shifts unfilled.
    pub replans: usize,
    pub fte: Option<f64>,
    pub shifts: Option<u32>,
    /// Per queue: its contract's SL over the worst period, exact.
    pub sla: Vec<QueueSla>,
    /// Every contractual SLA kept.
    pub sla_kept: bool,
    pub gap: Option<f64>,
    /// The plan's proven lower bound on the cost.
    pub lower_bound: Option<f64>,
    pub solve_seconds: f64,
    /// Without a plan: why, in planners' words (the plan's explanation).
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueSla {
    pub queue: String,
    pub scope: &'static str,
    pub target: f64,
    pub achieved: f64,
    pub kept: bool,
}

impl Row {
    fn of(
        name: &str,
        overrides: &[Override],
        value: Option<f64>,
        agents: usize,
        j: &PlanJson,
    ) -> Row {
        let sla: Vec<QueueSla> = j
            .sla
            .iter()
            .filter(|s| s.contractual)
            .map(|s| QueueSla {
                queue: s.queue.clone(),
                scope: s.scope,
                target: s.target,
                achieved: s.achieved,
                kept: s.kept,
            })
            .collect();
        Row {
            scenario: name.to_string(),
            overrides: overrides.iter().map(ToString::to_string).collect(),
            value,
            status: j.status,
            cost_total: j.cost.as_ref().map(|c| c.total),
            in_house: j.cost.as_ref().map(|c| c.in_house),
            outsourced: j.cost.as_ref().map(|c| c.outsourced),
            penalties: j.cost.as_ref().map(|c| c.penalties),
            outsourced_contacts: round(j.outsourcers.iter().map(|o| o.contacts).sum(), 3),
            agents,
            agents_working: j.roster.as_ref().map(|r| r.agents_working),
            roster_cost: j.roster.as_ref().and_then(|r| r.cost_total),
            replans: j.roster.as_ref().map_or(0, |r| r.replans),
            fte: j.staffing.as_ref().map(|s| s.fte),
            shifts: j.staffing.as_ref().map(|s| s.shifts),
            sla_kept: !sla.is_empty() && sla.iter().all(|s| s.kept),
            sla,
            gap: j.gap,
            lower_bound: j.lower_bound,
            solve_seconds: j.solve_seconds,
            explanation: j
                .explanation
                .iter()
                .map(|s| s.message.clone())
                .chain(j.roster.iter().flat_map(|r| r.unfilled.iter().cloned()))
                .collect(),
        }
    }

    /// The plan sends contacts to an outsourcer.
    pub fn uses_outsourcer(&self) -> bool {
        self.outsourced_contacts > 0.0
    }
}

/// Where outsourcing stops paying, found by bisection inside the sweep.
#[derive(Debug, Clone, Serialize)]
pub struct BreakEven {
    /// The highest price found at which the plan still sends contacts.
    pub below: f64,
    pub contacts_below: f64,
    /// The lowest price found at which it sends none.
    pub above: f64,
    pub cost_below: Option<f64>,
    pub cost_above: Option<f64>,
}

/// The cost of one SLA point (0.01 of target) around the contract target.
#[derive(Debug, Clone, Serialize)]
pub struct Marginal {
    pub contract_target: f64,
    pub from: f64,
    pub to: f64,
    /// From the two plans' costs.
    pub cost_per_point: f64,
    /// What the optimal plans' costs could give, each plan being within
    /// its gap of its optimum: `[low, high]` holds the true marginal cost.
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Serialize)]
pub struct CompareJson {
    pub instance: String,
    pub sweep: Option<String>,
    pub scenarios: Vec<Row>,
    /// With a price sweep: where outsourcing stops paying (none when it
    /// pays, or does not, across the whole sweep).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even: Option<BreakEven>,
    /// What the sweep says about the break-even when none was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marginal_sla: Option<Marginal>,
    /// The cheapest plan, and whether the plans' bounds prove it so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cheapest: Option<Cheapest>,
}

/// The cheapest scenario with a plan. It is `proven` the cheapest when no
/// other scenario's lower bound is below its cost: whatever the searches
/// would still find, none could undercut it. Otherwise `rivals` are the
/// scenarios that still might, and `unknown` those without a plan and not
/// proven infeasible (their cost is unknown).
#[derive(Debug, Clone, Serialize)]
pub struct Cheapest {
    pub scenario: String,
    pub cost: f64,
    pub proven: bool,
    pub rivals: Vec<String>,
    pub unknown: Vec<String>,
}

/// The cheapest of `rows`, and what stands between it and a proof.
pub fn cheapest(rows: &[Row]) -> Option<Cheapest> {
    let best = rows
        .iter()
        .filter_map(|r| r.cost_total.map(|c| (c, r)))
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    let (cost, best) = best;
    let rivals: Vec<String> = rows
        .iter()
        .filter(|r| !std::ptr::eq(*r, best) && r.cost_total.is_some())
        .filter(|r| r.lower_bound.is_none_or(|b| b < cost - 0.005))
        .map(|r| r.scenario.clone())
        .collect();
    let unknown: Vec<String> = rows
        .iter()
        .filter(|r| r.cost_total.is_none() && r.status != Status::Infeasible)
        .map(|r| r.scenario.clone())
        .collect();
    Some(Cheapest {
        scenario: best.scenario.clone(),
        cost,
        proven: rivals.is_empty() && unknown.is_empty(),
        rivals,
        unknown,
    })
}

/// How each scenario is planned and rostered.
struct Opts {
    plan: PlanOptions,
    roster_s: Option<f64>,
}

/// One scenario to solve: its name, overrides and swept value.
struct Job {
    name: String,
    overrides: Vec<Override>,
    value: Option<f64>,
}

/// Plans one scenario exactly as `slaplan plan --set …` would: forecast,
/// context, the planning MIP and its exact evaluation, the roster and its
/// re-plans.
fn solve(inst: &Instance, path: &Path, job: &Job, opts: &Opts) -> Result<Row, String> {
    let mut inst = inst.clone();
    scenario::apply(&mut inst, &job.overrides)?;
    let demand = crate::forecast::forecast_instance(&inst, None, 6)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut cx = Context::new(&inst, &demand.rows, &opts.plan)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let p = plan_and_roster(&mut cx, &opts.plan, opts.roster_s);
    let mut j = PlanJson::new(&cx, path, &p.result, p.roster.as_ref(), p.replans);
    j.overrides = job.overrides.iter().map(ToString::to_string).collect();
    Ok(Row::of(
        &job.name,
        &job.overrides,
        job.value,
        inst.agents.len(),
        &j,
    ))
}

fn solve_all(inst: &Instance, path: &Path, jobs: &[Job], opts: &Opts) -> Result<Vec<Row>, String> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    crate::progress::outer("compare", format!("0/{} scenarios planned", jobs.len()));
    jobs.par_iter()
        .map(|j| {
            let row = solve(inst, path, j, opts)?;
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            crate::progress::outer(
                "compare",
                format!(
                    "{k}/{} scenarios planned; last: {} ({})",
                    jobs.len(),
                    row.scenario,
                    row.status.as_str()
                ),
            );
            Ok(row)
        })
        .collect::<Result<Vec<_>, _>>()
}

/// Runs the command; 0 when every scenario has a plan that keeps its
/// contractual SLAs, 1 when one has not, 2 on bad input.
pub fn run(args: &CompareArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    crate::progress::start(args.quiet);
    let result = compare(args, out);
    crate::progress::finish();
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
    let opts = Opts {
        plan: args.solver.options(0.01)?,
        roster_s: (!args.no_roster).then_some(args.roster_time_limit),
    };
    if args.jobs == Some(0) {
        return Err(UsageError {
            flag: "--jobs",
            message: "must be at least 1".into(),
        }
        .into());
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
    let Some(inst) = load_or_report(&args.instance)? else {
        return Ok(2);
    };
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
    let mut jobs = Vec::new();
    for s in &scenarios {
        match &args.sweep {
            None => jobs.push(Job {
                name: s.name.clone(),
                overrides: s.overrides.clone(),
                value: None,
            }),
            Some(sw) => {
                for x in sw.points() {
                    let mut o = s.overrides.clone();
                    o.push(sw.at(x));
                    jobs.push(Job {
                        name: if scenarios.len() == 1 && args.scenarios.is_none() {
                            format!("{}={x}", sw.key)
                        } else {
                            format!("{} {}={x}", s.name, sw.key)
                        },
                        overrides: o,
                        value: Some(x),
                    });
                }
            }
        }
    }
    // Every scenario's overrides checked before any solve starts.
    for j in &jobs {
        let mut probe = inst.clone();
        scenario::apply(&mut probe, &j.overrides).map_err(|m| UsageError {
            flag: "--scenarios",
            message: format!("{}: {m}", j.name),
        })?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let bad = |message: String| UsageError {
        flag: "INSTANCE",
        message,
    };
    let rows = pool
        .install(|| solve_all(&inst, &args.instance, &jobs, &opts))
        .map_err(bad)?;
    let mut report = CompareJson {
        instance: args.instance.display().to_string(),
        sweep: args
            .sweep
            .as_ref()
            .map(|s| format!("{}={}..{}:{}", s.key, s.from, s.to, s.step)),
        scenarios: rows,
        break_even: None,
        break_even_note: None,
        marginal_sla: None,
        cheapest: None,
    };
    report.cheapest = cheapest(&report.scenarios);
    if let Some(sw) = &args.sweep {
        // The first scenario's sweep carries the finance answers.
        let base = &scenarios[0];
        let curve: Vec<&Row> = report.scenarios.iter().take(sw.points().len()).collect();
        if is_price(&sw.key) {
            let (b, note) = pool
                .install(|| break_even(&inst, &args.instance, base, sw, &curve, &opts))
                .map_err(bad)?;
            report.break_even = b;
            report.break_even_note = note;
        }
        if let Some(t0) = contract_target(&inst, &sw.key) {
            report.marginal_sla = marginal(&curve, t0);
        }
    }
    if let Some(dir) = &args.output {
        std::fs::create_dir_all(dir)?;
        write_atomic(&dir.join("compare.csv"), csv(&report.scenarios).as_bytes())?;
        let mut json = serde_json::to_vec_pretty(&report).map_err(std::io::Error::from)?;
        json.push(b'\n');
        write_atomic(&dir.join("compare.json"), &json)?;
        write_atomic(
            &dir.join("compare.html"),
            crate::report::compare::html(&report).as_bytes(),
        )?;
    }
    crate::progress::finish();
    match args.format {
        Format::Json => write_json(out, &report)?,
        Format::Csv => out.write_all(csv(&report.scenarios).as_bytes())?,
        Format::Table => table(out, &report)?,
    }
    // As `slaplan plan`'s exit code: a plan that keeps every contractual
    // SLA, or not.
    let all = report
        .scenarios
        .iter()
        .all(|r| matches!(r.status, Status::Optimal | Status::Feasible) && r.sla_kept);
    Ok(if all { 0 } else { 1 })
}

fn is_price(key: &str) -> bool {
    key.starts_with("outsourcer.") && key.ends_with(".price")
}

/// The contract target a target sweep moves (the first voice queue it
/// touches), to measure the marginal cost around.
fn contract_target(inst: &Instance, key: &str) -> Option<f64> {
    let rest = key.strip_prefix("sla.")?.strip_suffix("target")?;
    let queue = rest.strip_suffix('.');
    inst.centre
        .queues
        .iter()
        .find(|q| match queue {
            Some(id) => q.id == id,
            None => q.channel != Channel::Deferred,
        })
        .map(|q| q.sla.target)
}

/// Last step of the sweep from a price that uses the outsourcer to one
/// that does not, narrowed by bisection to a cent.
fn break_even(
    inst: &Instance,
    path: &Path,
    base: &Scenario,
    sw: &Sweep,
    curve: &[&Row],
    opts: &Opts,
) -> Result<(Option<BreakEven>, Option<String>), String> {
    let Some(k) = (0..curve.len().saturating_sub(1))
        .rev()
        .find(|&k| curve[k].uses_outsourcer() && !curve[k + 1].uses_outsourcer())
    else {
        let note = if curve.iter().all(|r| r.uses_outsourcer()) {
            format!(
                "the plan uses the outsourcer at every price up to {}: it still pays there",
                sw.to
            )
        } else if curve.iter().all(|r| !r.uses_outsourcer()) {
            format!(
                "the plan uses the outsourcer at no price from {}: it does not pay in this range",
                sw.from
            )
        } else {
            "no price in the sweep is followed by one without outsourcing".into()
        };
        return Ok((None, Some(note)));
    };
    let (mut lo, mut hi) = ((*curve[k]).clone(), (*curve[k + 1]).clone());
    let at = |x: f64| -> Result<Row, String> {
        let mut o = base.overrides.clone();
        o.push(sw.at(x));
        solve(
            inst,
            path,
            &Job {
                name: format!("{}={x}", sw.key),
                overrides: o,
                value: Some(x),
            },
            opts,
        )
    };
    while hi.value.unwrap_or(0.0) - lo.value.unwrap_or(0.0) > 0.01 + 1e-9 {
        let (a, b) = (lo.value.unwrap_or(0.0), hi.value.unwrap_or(0.0));
        let mid = ((a + b) / 2.0 * 100.0).round() / 100.0;
        if mid <= a || mid >= b {
            break;
        }
        crate::progress::outer(
            "break-even",
            format!("between {a:.2} and {b:.2}: planning at {mid:.2}"),
        );
        let r = at(mid)?;
        if r.uses_outsourcer() {
            lo = r;
        } else {
            hi = r;
        }
    }
    Ok((
        Some(BreakEven {
            below: lo.value.unwrap_or(0.0),
            contacts_below: lo.outsourced_contacts,
            above: hi.value.unwrap_or(0.0),
            cost_below: lo.cost_total,
            cost_above: hi.cost_total,
        }),
        None,
    ))
}

/// The cost of one SLA point (0.01) between the sweep points around `t0`:
/// central where `t0` is a point with neighbours on both sides.
fn marginal(curve: &[&Row], t0: f64) -> Option<Marginal> {
    // Plans stopped by the time limit say little about the curve.
    let pts: Vec<(f64, f64, f64)> = curve
        .iter()
        .filter(|r| r.status == Status::Optimal && r.sla_kept)
        .filter_map(|r| Some((r.value?, r.cost_total?, r.gap.unwrap_or(0.0))))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let exact = pts.iter().position(|p| (p.0 - t0).abs() < 1e-9);
    let (a, b) = match exact {
        Some(i) if i > 0 && i + 1 < pts.len() => (pts[i - 1], pts[i + 1]),
        Some(0) => (pts[0], pts[1]),
        Some(i) => (pts[i - 1], pts[i]),
        None => {
            let j = pts
                .iter()
                .position(|p| p.0 > t0)
                .unwrap_or(pts.len() - 1)
                .max(1);
            (pts[j - 1], pts[j])
        }
    };
    let points = (b.0 - a.0) * 100.0;
    Some(Marginal {
        contract_target: t0,
        from: a.0,
        to: b.0,
        cost_per_point: round((b.1 - a.1) / points, 2),
        low: round((b.1 * (1.0 - b.2) - a.1) / points, 2),
        high: round((b.1 - a.1 * (1.0 - a.2)) / points, 2),
    })
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or(String::new(), |v| format!("{v:.digits$}"))
}

/// The table's columns before one SL column per queue (terminal and
/// compare.html).
pub const COLUMNS: [&str; 10] = [
    "scenario",
    "status",
    "total",
    "in-house",
    "outsourced",
    "penalties",
    "contacts out",
    "agents",
    "FTE",
    "gap",
];

/// Terminal widths of the columns after the scenario.
const WIDTHS: [usize; 9] = [11, 12, 12, 11, 11, 12, 6, 7, 7];

/// The queues of the SL columns (every row has the same).
pub fn queues(rows: &[Row]) -> Vec<String> {
    rows.first()
        .map(|r| r.sla.iter().map(|s| s.queue.clone()).collect())
        .unwrap_or_default()
}

/// The table as CSV: one row per scenario, one SL column per queue.
pub fn csv(rows: &[Row]) -> String {
    let queues = queues(rows);
    let mut s = String::from("scenario,overrides,value,status,cost_total,in_house,outsourced,penalties,outsourced_contacts,agents,fte,shifts,gap,sla_kept");
    for q in &queues {
        s.push_str(&format!(",sl_{q}"));
    }
    s.push('\n');
    for r in rows {
        let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{:.3},{},{},{},{},{}",
            quote(&r.scenario),
            quote(&r.overrides.join("; ")),
            r.value.map_or(String::new(), |v| v.to_string()),
            r.status.as_str(),
            opt(r.cost_total, 2),
            opt(r.in_house, 2),
            opt(r.outsourced, 2),
            opt(r.penalties, 2),
            r.outsourced_contacts,
            r.agents,
            opt(r.fte, 2),
            r.shifts.map_or(String::new(), |n| n.to_string()),
            opt(r.gap, 6),
            r.sla_kept
        ));
        for q in &queues {
            let v = r.sla.iter().find(|x| &x.queue == q).map(|x| x.achieved);
            s.push_str(&format!(",{}", opt(v, 6)));
        }
        s.push('\n');
    }
    s
}

fn table(out: &mut dyn Write, c: &CompareJson) -> std::io::Result<()> {
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
    for q in &queues {
        write!(out, " {:>9}", truncate(q, 9))?;
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
        for s in &r.sla {
            let mark = if s.kept { ' ' } else { '!' };
            write!(out, " {:>8.2}%{mark}", 100.0 * s.achieved)?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "SL: each queue's contract scope, worst period, exact evaluation; ! = below what the contract asks"
    )?;
    for r in c.scenarios.iter().filter(|r| !r.explanation.is_empty()) {
        writeln!(out, "{}: no plan ({}):", r.scenario, r.status.as_str())?;
        for m in &r.explanation {
            writeln!(out, "  - {m}")?;
        }
    }
    if let Some(b) = &c.break_even {
        writeln!(
            out,
            "break-even outsourcer price: between {:.2} and {:.2} — at {:.2} the plan sends {:.0} contacts out, at {:.2} none",
            b.below, b.above, b.below, b.contacts_below, b.above
        )?;
    }
    if let Some(n) = &c.break_even_note {
        writeln!(out, "break-even: {n}")?;
    }
    if let Some(x) = &c.cheapest {
        writeln!(out, "cheapest: {}", cheapest_sentence(x))?;
    }
    if let Some(m) = &c.marginal_sla {
        writeln!(
            out,
            "marginal cost of one SLA point around the contract target {:.0}%: {:.2} (between {:.0}% and {:.0}%; the plans' gaps allow {:.2} to {:.2})",
            100.0 * m.contract_target,
            m.cost_per_point,
            100.0 * m.from,
            100.0 * m.to,
            m.low,
            m.high
        )?;
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The cheapest scenario in one sentence, with what its proof lacks.
pub fn cheapest_sentence(x: &Cheapest) -> String {
    let mut s = format!("{} at {:.2}", x.scenario, x.cost);
    if x.proven {
        s.push_str("; proven: every other plan's lower bound is above it");
    } else {
        s.push_str("; not proven");
        if !x.rivals.is_empty() {
            s.push_str(&format!(
                ": the lower bound of {} is below it (raise --time-limit or lower --gap)",
                x.rivals.join(", ")
            ));
        }
        if !x.unknown.is_empty() {
            s.push_str(&format!(
                "{} no plan yet for {}",
                if x.rivals.is_empty() { ":" } else { ";" },
                x.unknown.join(", ")
            ));
        }
    }
    s
}
