//! `slaplan plan <instance> -o <dir>`: forecast (when the instance gives
//! history), requirements, the planning MIP, exact re-evaluation; writes
//! `plan.json`, `coverage.csv` and `shifts.csv`. Exit 1 when no acceptable
//! plan exists, with the explanation on stderr and in `plan.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::solver::SolverArgs;
use super::{load_or_report, write_atomic, RunError, UsageError};
use crate::forecast::forecast_instance;
use crate::model::{Instance, SlaScope};
use crate::plan::evaluate::{when, Evaluation};
use crate::plan::extract::Solution;
use crate::plan::{self, Context, Plan, PlanOptions, Shortfall, SolveStats, Status};
use crate::roster::{self, centre::CentreRoster};

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The instance (YAML).
    instance: PathBuf,
    /// Folder for plan.json, coverage.csv and shifts.csv (created if needed).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    #[command(flatten)]
    solver: SolverArgs,
    /// Count every queue's SLA over this scope instead of its contract's.
    #[arg(long, value_enum)]
    sla_scope: Option<ScopeArg>,
    /// Count day/week (and priced) SLAs exactly from the SL tables, with
    /// binaries where SL is not concave in the agents, instead of the
    /// faster conservative pieces (docs/model.md).
    #[arg(long)]
    exact_sl: bool,
    /// Seconds for naming the agents (the rostering MIP).
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    roster_time_limit: f64,
    /// Plan only: no roster of named agents (and no re-plans), as a
    /// finance comparison may want; plan.json has `roster: null`.
    #[arg(long, conflicts_with_all = ["ics", "simulate"])]
    no_roster: bool,
    /// Also write one iCalendar file per agent who works (DIR/ics/).
    #[arg(long)]
    ics: bool,
    /// Also write the MIP in LP format, with its variable names.
    #[arg(long, value_name = "FILE")]
    write_lp: Option<PathBuf>,
    /// Replay the roster call by call after planning (simulation.csv, and
    /// `simulation` in plan.json); the options below shape it.
    #[arg(long)]
    simulate: bool,
    #[command(flatten)]
    simulation: super::simulate::ModelArgs,
    /// The simulation's master seed.
    #[arg(long, default_value_t = 7, value_name = "SEED")]
    simulation_seed: u64,
    /// No progress line on stderr (there is none either when stderr is
    /// not a terminal).
    #[arg(long, short)]
    quiet: bool,
    /// Change the week before planning, e.g. `--set outsourcer.price=3.5
    /// --set outsourcing=off` (repeatable; the keys are in docs/formats.md,
    /// "Scenarios").
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<crate::scenario::Override>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum ScopeArg {
    Interval,
    Day,
    Week,
}

impl From<ScopeArg> for SlaScope {
    fn from(s: ScopeArg) -> Self {
        match s {
            ScopeArg::Interval => SlaScope::Interval,
            ScopeArg::Day => SlaScope::Day,
            ScopeArg::Week => SlaScope::Week,
        }
    }
}

impl PlanArgs {
    fn options(&self) -> Result<PlanOptions, UsageError> {
        Ok(PlanOptions {
            sla_scope: self.sla_scope.map(Into::into),
            exact_sl: self.exact_sl,
            ..self.solver.options(0.01)?
        })
    }
}

/// The roster of an acceptable plan (every contractual SLA kept).
fn roster_of(cx: &Context, p: &Plan, opts: &PlanOptions, limit_s: f64) -> Option<CentreRoster> {
    let planned = matches!(p.stats.status, Status::Optimal | Status::Feasible)
        && p.evaluation.as_ref().is_some_and(|e| e.all_kept);
    let s = p.solution.as_ref().filter(|_| planned)?;
    let ropts = PlanOptions {
        time_limit_s: limit_s,
        gap: 1e-4,
        ..opts.clone()
    };
    Some(roster::centre::roster(cx, s, &ropts))
}

/// Plans made again at most, with caps on the shifts a roster could not
/// fill, before the planner is told which rules stand in the way.
const REPLANS: usize = 3;

/// A plan with its roster: what `slaplan plan` and each scenario of
/// `slaplan compare` compute.
pub(super) struct Planned {
    pub result: Plan,
    pub roster: Option<CentreRoster>,
    /// Plans made again with caps where the roster left shifts unfilled.
    pub replans: usize,
}

/// Plans the week, names the agents, and plans again (at most
/// [`REPLANS`] times) with caps where the roster could not fill the shifts;
/// the uncapped plan's bound stays the bound. Without a roster time limit,
/// the plan alone.
pub(super) fn plan_and_roster(
    cx: &mut Context,
    opts: &PlanOptions,
    roster_limit: Option<f64>,
) -> Planned {
    crate::progress::stage(
        "plan",
        format!("planning MIP, limit {} s", cx.opts.time_limit_s),
    );
    let mut result = plan::plan(cx);
    let Some(roster_limit) = roster_limit else {
        return Planned {
            result,
            roster: None,
            replans: 0,
        };
    };
    // The uncapped plan's bound holds for every roster; a plan re-solved
    // with caps only bounds its own, narrower week.
    let bound = result.stats.lower_bound;
    let mut replans = 0;
    crate::progress::stage(
        "roster",
        format!("naming the agents, limit {roster_limit} s"),
    );
    let mut roster = roster_of(cx, &result, opts, roster_limit);
    while let Some(r) = roster.as_ref() {
        if r.unfilled.is_empty() || r.shifts.is_empty() || replans >= REPLANS {
            break;
        }
        // Shifts the agents' rules leave unfilled: cap them at what was
        // filled, and the group's day and week at what was rostered; plan
        // again.
        for u in &r.unfilled {
            cx.caps.insert((u.group, u.option), u.filled);
            let day = cx.options[u.option].day;
            let on_day = r
                .shifts
                .iter()
                .filter(|s| s.group == u.group && cx.options[s.option].day == day)
                .count() as u32;
            cx.day_caps.insert((u.group, day), on_day);
            // Agents at their weekly hours or days: the group's week holds
            // no more shifts than its agents took.
            let week = r.shifts.iter().filter(|s| s.group == u.group).count() as u32;
            cx.week_caps.insert(u.group, week);
        }
        crate::progress::stage(
            &format!("re-plan {}/{REPLANS}", replans + 1),
            "planning with the unfilled shifts capped",
        );
        let next = plan::plan(cx);
        crate::progress::stage(
            &format!("re-plan {}/{REPLANS}", replans + 1),
            "naming the agents",
        );
        let next_roster = roster_of(cx, &next, opts, roster_limit);
        if next_roster.is_none() {
            // The capped week has no acceptable plan: the planner gets the
            // last roster and the rules that stand in its way.
            break;
        }
        replans += 1;
        result = next;
        roster = next_roster;
    }
    if replans > 0 {
        result.stats.lower_bound = bound;
        result.stats.set_gap();
    }
    Planned {
        result,
        roster,
        replans,
    }
}

/// Runs the command; the exit code is 0 (a plan), 1 (none), 2 (bad input).
pub fn run(args: &PlanArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    crate::progress::start(args.quiet);
    let result = plan_week(args, out);
    crate::progress::finish();
    result
}

fn plan_week(args: &PlanArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let opts = args.options()?;
    let sim_opts = if args.simulate {
        Some(args.simulation.options(args.simulation_seed, None)?)
    } else {
        None
    };
    let Some(mut inst) = load_or_report(&args.instance)? else {
        return Ok(2);
    };
    crate::scenario::apply(&mut inst, &args.set).map_err(|message| UsageError {
        flag: "--set",
        message,
    })?;
    let bad = |message: String| UsageError {
        flag: "INSTANCE",
        message,
    };
    crate::progress::stage("forecast", "the week's contacts and requirements");
    let demand = forecast_instance(&inst, None, 6)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    let mut cx = Context::new(&inst, &demand.rows, &opts)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    std::fs::create_dir_all(&args.output)?;
    if let Some(lp) = &args.write_lp {
        let (m, _) = plan::build(&cx, false);
        write_atomic(lp, m.lp().as_bytes())?;
    }
    let Planned {
        result,
        roster,
        replans,
    } = plan_and_roster(
        &mut cx,
        &opts,
        (!args.no_roster).then_some(args.roster_time_limit),
    );
    let planned = matches!(result.stats.status, Status::Optimal | Status::Feasible)
        && result.evaluation.as_ref().is_some_and(|e| e.all_kept);
    let roster = roster.as_ref();
    let mut report = PlanJson::new(&cx, &args.instance, &result, roster, replans);
    report.overrides = args.set.iter().map(ToString::to_string).collect();
    if let (Some(s), Some(e)) = (&result.solution, &result.evaluation) {
        write_atomic(&args.output.join("coverage.csv"), &coverage_csv(&cx, s, e))?;
        write_atomic(&args.output.join("shifts.csv"), &shifts_csv(&cx, s))?;
        write_atomic(
            &args.output.join("allocation.csv"),
            roster::output::allocation_csv(&cx, s).as_bytes(),
        )?;
    }
    let mut simulated = None;
    if let Some(r) = roster.filter(|r| !r.shifts.is_empty()) {
        let path = args.output.join("roster.csv");
        write_atomic(&path, roster::output::roster_csv(&cx, r).as_bytes())?;
        if args.ics {
            let dir = args.output.join("ics");
            std::fs::create_dir_all(&dir)?;
            for (agent, text) in roster::output::ics(&cx, r) {
                write_atomic(&dir.join(format!("{agent}.ics")), text.as_bytes())?;
            }
        }
        if let Some(sim) = &sim_opts {
            crate::progress::stage(
                "simulate",
                format!("{} replications of the week", sim.replications),
            );
            // The files just written, replayed as `slaplan simulate` would.
            let s = super::simulate::simulate_files(
                &inst,
                &demand.rows,
                &path,
                &args.output.join("allocation.csv"),
                sim,
            )
            .map_err(|p| bad(format!("the plan's own files do not read back: {}", p[0])))?;
            write_atomic(&args.output.join("simulation.csv"), s.csv.as_bytes())?;
            report.simulation = Some(s.json.clone());
            simulated = Some(s);
        }
    }
    let mut json = serde_json::to_vec_pretty(&report).map_err(std::io::Error::from)?;
    json.push(b'\n');
    write_atomic(&args.output.join("plan.json"), &json)?;
    // The report reads the folder just written, as `slaplan report` does.
    if let Err(p) = crate::report::plan::write(&args.output) {
        return Err(bad(format!("the plan's own files do not make a report: {p}")).into());
    }
    crate::progress::finish();
    summary(out, &cx, &result, &args.output)?;
    if let Some(s) = &simulated {
        super::simulate::table(out, s)?;
    }
    if let Some(r) = &report.roster {
        writeln!(
            out,
            "roster: {} shifts for {} agents, {:.1} s ({}); cost {} with the roster's wages, {} from the lower bound",
            r.shifts,
            r.agents_working,
            r.solve_seconds,
            r.status.as_str(),
            r.cost_total.map_or("-".into(), |c| format!("{c:.2}")),
            r.gap_to_lower_bound.map_or("-".into(), |g| format!("{:.3}%", 100.0 * g))
        )?;
    }
    if let Some(r) = &report.roster {
        if !r.unfilled.is_empty() || r.shifts == 0 {
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "the plan cannot be rostered on the agents as it stands:"
            )?;
            for u in &r.unfilled {
                writeln!(err, "  - {u}")?;
            }
            if r.shifts == 0 {
                writeln!(
                    err,
                    "  - no roster within {} s: raise --roster-time-limit",
                    args.roster_time_limit
                )?;
            }
            return Ok(1);
        }
    }
    if !planned {
        let mut err = std::io::stderr().lock();
        writeln!(err, "no acceptable plan: {}", status_line(&result.stats))?;
        if result.stats.status == Status::NoSolution && !result.shortfalls.is_empty() {
            writeln!(
                err,
                "  not proven infeasible; a re-solve with priced slack points at:"
            )?;
        }
        for s in &result.shortfalls {
            writeln!(err, "  - {}", s.message)?;
        }
        if let Some(e) = &result.evaluation {
            for s in e.sla.iter().filter(|s| s.contractual && !s.kept) {
                writeln!(
                    err,
                    "  - {}: the exact evaluation finds {:.2}% where the plan promised {:.2}% (a defect: please report it)",
                    inst.centre.queues[s.queue].id,
                    s.achieved * 100.0,
                    s.promised * 100.0
                )?;
            }
        }
        return Ok(1);
    }
    Ok(0)
}

fn status_line(s: &SolveStats) -> String {
    match s.status {
        Status::Optimal => "optimal".into(),
        Status::Feasible => format!("feasible, search stopped: {}", s.stopped),
        Status::NoSolution => format!("no plan found before the search stopped ({})", s.stopped),
        Status::Infeasible => "infeasible: the week cannot be planned as stated".into(),
    }
}

#[derive(Serialize)]
pub(super) struct PlanJson<'a> {
    pub instance: String,
    /// The `--set` overrides applied to the week, in order.
    pub overrides: Vec<String>,
    pub centre: &'a str,
    pub week_start: String,
    pub status: Status,
    pub stopped: &'a str,
    pub cost: Option<CostJson>,
    pub lower_bound: Option<f64>,
    pub gap: Option<f64>,
    pub solve_seconds: f64,
    work: Work,
    /// Rounds of the repair loop (outsourcing relief tightened and solved
    /// again where the exact evaluation found a promise broken).
    repairs: usize,
    model: plan::ModelSize,
    options: OptionsJson,
    pub sla: Vec<SlaJson>,
    /// SL achieved per queue by day and over the week (exact evaluation),
    /// whatever scope the contract counts.
    pub service_levels: Vec<ServiceJson>,
    pub staffing: Option<StaffingJson>,
    pub outsourcers: Vec<OutsourcerJson>,
    trunks: Option<TrunksJson>,
    pub explanation: &'a [Shortfall],
    /// The named agents on the plan's shifts.
    pub roster: Option<RosterJson>,
    /// The roster replayed call by call (`--simulate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    simulation: Option<super::simulate::SimulationJson>,
}

#[derive(Serialize)]
pub(super) struct RosterJson {
    status: Status,
    stopped: String,
    shifts: usize,
    pub agents_working: usize,
    /// Wages of the rostered shifts.
    wages: f64,
    /// The plan's total with the roster's wages in place of the plan's.
    pub cost_total: Option<f64>,
    /// `(cost_total − plan lower bound) / cost_total`.
    gap_to_lower_bound: Option<f64>,
    solve_seconds: f64,
    simplex_iterations: i64,
    nodes: i64,
    /// Planned shifts no agent could be given, in planners' words.
    pub unfilled: Vec<String>,
    /// Plans made again with caps where a roster left shifts unfilled.
    pub replans: usize,
    /// The instance's shift-on and shift-off requests, granted or not.
    requests: crate::check::centre::RequestCount,
    /// Weekend days and late shifts per agent, fewest and most, per group.
    fairness: Vec<crate::check::centre::FairnessCount>,
    /// Start times beyond the first, agents with a same-start contract.
    start_changes: usize,
}

impl RosterJson {
    fn new(cx: &Context, p: &Plan, r: &CentreRoster, replans: usize) -> Self {
        let mut agents: Vec<usize> = r.shifts.iter().map(|s| s.agent).collect();
        agents.dedup();
        let cost_total = p
            .solution
            .as_ref()
            .filter(|_| !r.shifts.is_empty())
            .map(|s| s.costs.total - s.costs.in_house + r.wages);
        // A roster short of the plan's shifts is not the plan's week: no
        // gap to its bound is claimed.
        let gap = match (cost_total, p.stats.lower_bound) {
            (Some(c), Some(b)) if c > 0.0 && r.unfilled.is_empty() => {
                Some(SolveStats::relative_gap(c, b))
            }
            _ => None,
        };
        let c = &cx.inst.centre;
        let (fairness, start_changes) = roster::centre::fairness_of(cx, &r.shifts);
        RosterJson {
            replans,
            requests: roster::centre::requests_granted(cx, &r.shifts),
            fairness,
            start_changes,
            status: r.stats.status,
            stopped: r.stats.stopped.clone(),
            shifts: r.shifts.len(),
            agents_working: agents.len(),
            wages: round(r.wages, 2),
            cost_total: cost_total.map(|x| round(x, 2)),
            gap_to_lower_bound: gap.map(|g| round(g, 6)),
            solve_seconds: round(r.stats.solve_seconds, 3),
            simplex_iterations: r.stats.simplex_iterations,
            nodes: r.stats.nodes,
            unfilled: r
                .unfilled
                .iter()
                .map(|u| {
                    let o = &cx.options[u.option];
                    let why: Vec<String> = u
                        .why
                        .iter()
                        .map(|(a, rules)| {
                            let rules = if rules.is_empty() {
                                "no single rule; taking it would shift the rest of their week".to_string()
                            } else {
                                rules.join(", ")
                            };
                            format!("{}: {rules}", cx.inst.agents[*a].id)
                        })
                        .collect();
                    format!(
                        "{}: {} planned on {} {}, {} rostered — {}; re-plan with more agents of the group, other shifts, or the rule relaxed",
                        cx.groups[u.group].id,
                        u.planned,
                        crate::plan::passes::DAYS[o.day],
                        o.label(&c.shift_templates[o.template]),
                        u.filled,
                        why.join("; ")
                    )
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Work {
    simplex_iterations: i64,
    nodes: i64,
}

#[derive(Serialize)]
struct OptionsJson {
    time_limit_s: f64,
    gap: f64,
    threads: u32,
    seed: u32,
    sla_scope: Option<&'static str>,
    exact_sl: bool,
}

/// The plan's cost lines; `in_house` is `wages` (paid hours at the hourly
/// cost) plus `premiums` (night and Sunday).
#[derive(Serialize)]
pub(super) struct CostJson {
    pub total: f64,
    pub in_house: f64,
    pub wages: f64,
    pub premiums: f64,
    pub outsourced: f64,
    pub penalties: f64,
}

#[derive(Serialize)]
pub(super) struct SlaJson {
    pub queue: String,
    pub scope: &'static str,
    pub contractual: bool,
    pub target: f64,
    /// The worst period's SL under exact evaluation.
    pub achieved: f64,
    promised: f64,
    periods: usize,
    periods_met: usize,
    pub kept: bool,
}

#[derive(Serialize)]
pub(super) struct ServiceJson {
    pub queue: String,
    /// The contract's scope and target.
    pub scope: &'static str,
    pub target: f64,
    /// Monday first; `None` on a day without contacts.
    pub days: [Option<f64>; 7],
    pub week: Option<f64>,
}

#[derive(Serialize)]
pub(super) struct StaffingJson {
    pub shifts: u32,
    shifts_per_day: [u32; 7],
    pub paid_hours: f64,
    /// Paid hours over each group's contract week (its weekly maximum).
    pub fte: f64,
    /// The most shifts worked on one day.
    agents_working: u32,
    /// Agents in the week (the in-house headcount).
    pub agents: usize,
}

#[derive(Serialize)]
pub(super) struct OutsourcerJson {
    pub id: String,
    pub contacts: f64,
    /// Contacts per queue.
    queues: Vec<(String, f64)>,
}

#[derive(Serialize)]
struct TrunksJson {
    lines: u32,
    max_blocking: f64,
    /// Intervals where the lines block more than 1% of calls.
    limited: Vec<String>,
}

impl<'a> PlanJson<'a> {
    pub(super) fn new(
        cx: &'a Context,
        path: &Path,
        p: &'a Plan,
        roster: Option<&CentreRoster>,
        replans: usize,
    ) -> Self {
        let c = &cx.inst.centre;
        let sla = p
            .evaluation
            .iter()
            .flat_map(|e| &e.sla)
            .map(|s| SlaJson {
                queue: c.queues[s.queue].id.clone(),
                scope: s.scope.as_str(),
                contractual: s.contractual,
                target: s.target,
                achieved: round(s.achieved, 6),
                promised: round(s.promised, 6),
                periods: s.periods,
                periods_met: s.periods_met,
                kept: s.kept,
            })
            .collect();
        let staffing = p.solution.as_ref().map(|s| staffing(cx.inst, cx, s));
        let outsourcers = p
            .solution
            .as_ref()
            .map(|s| {
                c.outsourcers
                    .iter()
                    .enumerate()
                    .map(|(o, out)| OutsourcerJson {
                        id: out.id.clone(),
                        contacts: round(s.sent[o].iter().flatten().sum(), 3),
                        queues: c
                            .queues
                            .iter()
                            .enumerate()
                            .filter(|(q, _)| out.queues.contains(q))
                            .map(|(q, queue)| {
                                (queue.id.clone(), round(s.sent[o][q].iter().sum(), 3))
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let trunks = match (c.trunk_lines, &p.evaluation) {
            (Some(lines), Some(e)) => Some(TrunksJson {
                lines,
                max_blocking: round(e.trunks.iter().map(|t| t.blocking).fold(0.0, f64::max), 6),
                limited: e
                    .trunks
                    .iter()
                    .filter(|t| t.lines_limit)
                    .map(|t| when(cx, t.interval))
                    .collect(),
            }),
            _ => None,
        };
        let service_levels = p
            .evaluation
            .as_ref()
            .map(|e| service_levels(cx, e))
            .unwrap_or_default();
        PlanJson {
            instance: path.display().to_string(),
            overrides: Vec::new(),
            centre: &c.name,
            week_start: cx.inst.week_start.to_string(),
            status: p.stats.status,
            stopped: &p.stats.stopped,
            cost: p.solution.as_ref().map(|s| {
                let wages = wages(cx, s);
                CostJson {
                    total: round(s.costs.total, 2),
                    in_house: round(s.costs.in_house, 2),
                    wages: round(wages, 2),
                    premiums: round(s.costs.in_house - wages, 2),
                    outsourced: round(s.costs.outsourced, 2),
                    penalties: round(s.costs.penalties, 2),
                }
            }),
            lower_bound: p.stats.lower_bound.map(|b| round(b, 2)),
            gap: p.stats.gap.map(|g| round(g, 6)),
            solve_seconds: round(p.stats.solve_seconds, 3),
            work: Work {
                simplex_iterations: p.stats.simplex_iterations,
                nodes: p.stats.nodes,
            },
            repairs: p.repairs,
            model: p.model_size,
            options: OptionsJson {
                time_limit_s: cx.opts.time_limit_s,
                gap: cx.opts.gap,
                threads: cx.opts.threads,
                seed: cx.opts.seed,
                sla_scope: cx.opts.sla_scope.map(SlaScope::as_str),
                exact_sl: cx.opts.exact_sl,
            },
            sla,
            service_levels,
            staffing,
            outsourcers,
            trunks,
            explanation: &p.shortfalls,
            roster: roster.map(|r| RosterJson::new(cx, p, r, replans)),
            simulation: None,
        }
    }
}

/// Paid hours at each contract's hourly cost, before premiums.
fn wages(cx: &Context, s: &Solution) -> f64 {
    s.shifts
        .iter()
        .map(|sh| {
            let k = &cx.inst.centre.contracts[cx.groups[sh.group].contract];
            f64::from(sh.count) * cx.options[sh.option].paid_h * k.hourly_cost
        })
        .sum()
}

/// Contact-weighted SL per queue and day and over the week, as the
/// evaluation counts its day and week periods.
fn service_levels(cx: &Context, e: &Evaluation) -> Vec<ServiceJson> {
    cx.inst
        .centre
        .queues
        .iter()
        .enumerate()
        .map(|(q, queue)| {
            let mut days = [(0.0, 0.0); 7];
            for ev in e.intervals.iter().filter(|ev| ev.queue == q) {
                let d = &mut days[cx.req.grid[ev.interval].day];
                d.0 += ev.contacts * ev.sl;
                d.1 += ev.contacts;
            }
            let ratio = |(ok, n): (f64, f64)| (n > 1e-12).then(|| round(ok / n, 6));
            let week = days.iter().fold((0.0, 0.0), |a, d| (a.0 + d.0, a.1 + d.1));
            ServiceJson {
                queue: queue.id.clone(),
                scope: cx.scopes[q].as_str(),
                target: queue.sla.target,
                days: days.map(ratio),
                week: ratio(week),
            }
        })
        .collect()
}

fn staffing(inst: &Instance, cx: &Context, s: &Solution) -> StaffingJson {
    let mut per_day = [0u32; 7];
    let mut hours = 0.0;
    let mut fte = 0.0;
    for sh in &s.shifts {
        let o = &cx.options[sh.option];
        per_day[o.day] += sh.count;
        hours += f64::from(sh.count) * o.paid_h;
        let k = &inst.centre.contracts[cx.groups[sh.group].contract];
        fte += f64::from(sh.count) * o.paid_h * 60.0 / f64::from(k.weekly_max_min.max(1));
    }
    StaffingJson {
        shifts: per_day.iter().sum(),
        shifts_per_day: per_day,
        paid_hours: round(hours, 2),
        fte: round(fte, 2),
        agents_working: *per_day.iter().max().unwrap_or(&0),
        agents: inst.agents.len(),
    }
}

pub(super) fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    // `+ 0.0` turns a negative zero into zero.
    (x * k).round() / k + 0.0
}

fn coverage_csv(cx: &Context, s: &Solution, e: &Evaluation) -> Vec<u8> {
    let c = &cx.inst.centre;
    let mut out = String::from(
        "queue,interval_start,repeated_hour,forecast_contacts,required_agents,staffed_in_house,outsourced_contacts,projected_sl,trunk_blocking,outsourced_agents\n",
    );
    // The outsourcers' seats the contacts sent away take: their workload
    // in Erlangs at each outsourcer's own handle time.
    let outsourced_agents = |q: usize, i: usize| -> f64 {
        c.outsourcers
            .iter()
            .enumerate()
            .map(|(o, out)| s.sent[o][q][i] * out.aht_s / cx.step_s())
            .sum()
    };
    let blocking = |i: usize| {
        e.trunks
            .iter()
            .find(|t| t.interval == i)
            .map(|t| format!("{:.4}", t.blocking))
            .unwrap_or_default()
    };
    for ev in &e.intervals {
        let g = &cx.req.grid[ev.interval];
        out.push_str(&format!(
            "{},{},{},{:.3},{},{:.3},{:.3},{:.4},{},{:.3}\n",
            c.queues[ev.queue].id,
            g.local.format("%Y-%m-%dT%H:%M"),
            g.repeated_hour,
            cx.req.need(ev.queue, ev.interval).contacts,
            ev.required.map(|r| format!("{r:.3}")).unwrap_or_default(),
            s.in_house[ev.queue][ev.interval],
            ev.sent,
            ev.sl,
            blocking(ev.interval),
            outsourced_agents(ev.queue, ev.interval)
        ));
    }
    out.into_bytes()
}

fn shifts_csv(cx: &Context, s: &Solution) -> Vec<u8> {
    let c = &cx.inst.centre;
    let mut out = String::from("group,day,date,template,start,end,count,breaks\n");
    let dates = cx.inst.dates();
    for sh in &s.shifts {
        let o = &cx.options[sh.option];
        let t = &c.shift_templates[o.template];
        let end = o.start_min + t.length_min;
        let breaks: Vec<String> = sh
            .breaks
            .iter()
            .enumerate()
            .flat_map(|(k, list)| {
                list.iter().map(move |&(offset, n)| {
                    let at = o.start_min + offset;
                    format!(
                        "{n}x{}min@{:02}:{:02}",
                        t.breaks[k].length_min,
                        at / 60 % 24,
                        at % 60
                    )
                })
            })
            .collect();
        out.push_str(&format!(
            "{},{},{},{},{:02}:{:02},{:02}:{:02},{},{}\n",
            cx.groups[sh.group].id,
            crate::plan::passes::DAYS[o.day],
            dates[o.day],
            t.id,
            o.start_min / 60,
            o.start_min % 60,
            end / 60 % 24,
            end % 60,
            sh.count,
            breaks.join(" ")
        ));
    }
    out.into_bytes()
}

fn summary(out: &mut dyn Write, cx: &Context, p: &Plan, dir: &Path) -> std::io::Result<()> {
    let c = &cx.inst.centre;
    writeln!(
        out,
        "{} — plan for the week of {}",
        c.name, cx.inst.week_start
    )?;
    writeln!(
        out,
        "status: {}; {:.1} s, {} simplex iterations, {} nodes; model {} columns ({} integer), {} rows",
        status_line(&p.stats),
        p.stats.solve_seconds,
        p.stats.simplex_iterations,
        p.stats.nodes,
        p.model_size.columns,
        p.model_size.integer_columns,
        p.model_size.rows
    )?;
    if let Some(s) = &p.solution {
        writeln!(
            out,
            "cost: {:.2} (in-house {:.2}, outsourced {:.2}, penalties {:.2}); lower bound {}; gap {}",
            round(s.costs.total, 2),
            round(s.costs.in_house, 2),
            round(s.costs.outsourced, 2),
            round(s.costs.penalties, 2),
            p.stats.lower_bound.map_or("-".into(), |b| format!("{b:.2}")),
            p.stats.gap.map_or("-".into(), |g| format!("{:.3}%", g * 100.0))
        )?;
    }
    if let Some(e) = &p.evaluation {
        writeln!(
            out,
            "\nqueue          scope     target  achieved  promised  periods met"
        )?;
        for s in e.sla.iter().filter(|s| s.contractual) {
            writeln!(
                out,
                "{:<14} {:<8} {:>6.1}% {:>8.2}% {:>8.2}%  {:>4}/{:<4} {}",
                c.queues[s.queue].id,
                s.scope.as_str(),
                s.target * 100.0,
                s.achieved * 100.0,
                s.promised * 100.0,
                s.periods_met,
                s.periods,
                if s.kept { "" } else { "NOT KEPT" }
            )?;
        }
    }
    writeln!(out, "\nwritten to {}", dir.display())
}
