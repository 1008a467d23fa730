//! Hands a built MIP to HiGHS with the CLI's settings (time limit, relative
//! gap, threads, seed) and reads back the outcome as data: status and why
//! the search stopped, objective, lower bound, gap, and the work done
//! (simplex iterations, branch-and-bound nodes) — counters CI can watch
//! independent of machine speed.

use std::ffi::CStr;
use std::time::Instant;

use good_lp::{variable, ProblemVariables, SolverModel};
use highs::HighsModelStatus;
use serde::Serialize;

use super::mip::{Mip, Values};
use super::PlanOptions;

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal within the requested gap.
    Optimal,
    /// A plan, but the search stopped (time limit) before the gap closed.
    Feasible,
    /// No plan found within the limit; infeasibility not proven either.
    NoSolution,
    /// Proven infeasible.
    Infeasible,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::NoSolution => "no_solution",
            Status::Infeasible => "infeasible",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SolveStats {
    pub status: Status,
    /// Why the search stopped, in HiGHS's terms.
    pub stopped: String,
    pub objective: Option<f64>,
    /// The best proven lower bound on the cost.
    pub lower_bound: Option<f64>,
    /// `(objective − bound) / objective`.
    pub gap: Option<f64>,
    pub solve_seconds: f64,
    pub simplex_iterations: i64,
    pub nodes: i64,
}

impl SolveStats {
    /// The relative gap of an objective `o` to a lower bound `b`:
    /// `(o − b) / |o|`, never negative, 0 at a zero objective.
    pub fn relative_gap(o: f64, b: f64) -> f64 {
        if o.abs() > 1e-9 {
            ((o - b) / o.abs()).max(0.0)
        } else {
            0.0
        }
    }

    /// Sets `gap` from `objective` and `lower_bound`, when both are known.
    pub fn set_gap(&mut self) {
        if let (Some(o), Some(b)) = (self.objective, self.lower_bound) {
            self.gap = Some(Self::relative_gap(o, b));
        }
    }
}

/// The optimum of `m`'s LP relaxation (integrality dropped), within
/// `opts`'s time limit: a lower bound on the cost of any plan of `m`.
/// `None` when the relaxation is infeasible or not solved in time.
pub fn relaxed_bound(m: &Mip, opts: &PlanOptions) -> Option<f64> {
    let lp = run(
        m,
        Phase::Relaxed,
        None,
        Limits::seconds(opts.time_limit_s),
        opts,
        None,
    );
    match lp.model_status {
        HighsModelStatus::Optimal => lp.objective,
        _ => None,
    }
}

/// Solves `m` and returns the statistics and, when a plan was found, the
/// value of every column.
///
/// A MIP goes through three phases within the budget: the LP
/// relaxation (its optimum is a lower bound); RENS — the MIP with every
/// shift and break count held within one of the integers around its LP
/// value, which finds a good plan fast;
/// then the full MIP started from that plan, until the gap or the budget.
/// The budget is seconds (`time_limit_s`, RENS a share of it) or, with
/// `work_limit`, branch-and-bound nodes (RENS the same share of them) with
/// the seconds as a safety cap only. The phases run single-threaded and in
/// a fixed order, so a search that ends on the gap or on nodes is
/// reproducible on any machine.
///
/// When neither search found a plan (nor proved there is none), the
/// search goes on for a first plan and stops at it — RENS's (in time mode
/// for at most [`FIRST_PLAN_S`], or `time_limit_s` if longer), then the
/// full MIP's (in time mode for at most `time_limit_s` more); in work mode
/// unbudgeted but for the cap — so a slow or loaded machine does not turn
/// a solvable week into "no plan". In time mode the LP relaxation is not
/// cut by the limit either (up to [`FIRST_PLAN_S`]), and when it outlasts
/// the limit RENS runs on to its first plan; when RENS's share of a time
/// limit ends without a plan, RENS runs on to its first plan at once,
/// before the full search.
pub fn solve(m: &Mip, opts: &PlanOptions) -> (SolveStats, Option<Values>) {
    solve_from(m, opts, None)
}

/// [`solve`] from a plan already known (its cost and values): the search
/// keeps it unless it finds better, and stops at once when it is within
/// the gap of the LP's bound.
pub(super) fn solve_from(
    m: &Mip,
    opts: &PlanOptions,
    start: Option<(f64, Values)>,
) -> (SolveStats, Option<Values>) {
    let started = Instant::now();
    let integer = m.columns.iter().any(|c| c.integer);
    let left = |opts: &PlanOptions| (opts.time_limit_s - started.elapsed().as_secs_f64()).max(0.0);
    if !integer {
        let run = run(
            m,
            Phase::Full,
            None,
            Limits::seconds(opts.time_limit_s),
            opts,
            None,
        );
        return (run.stats(started, None), run.values);
    }
    // Under a time limit the LP relaxation is not cut by it (up to
    // `FIRST_PLAN_S`, at most `OVERRUN_FACTOR` times the limit): without
    // its optimum no plan follows, and a week whose LP alone outlasts the
    // limit on a slow or loaded machine must still get one.
    let time_mode = opts.work_limit.is_none() && opts.first_plan_past_limit;
    let overrun_s = (OVERRUN_FACTOR * opts.time_limit_s).min(FIRST_PLAN_S.max(opts.time_limit_s));
    let lp_limit = if time_mode {
        left(opts).max(overrun_s)
    } else {
        left(opts)
    };
    let lp = run(
        m,
        Phase::Relaxed,
        None,
        Limits::seconds(lp_limit),
        opts,
        None,
    );
    let mut work = (0, 0);
    // Whether the wall-clock cap cut a run that a work limit budgets.
    let mut cut = false;
    tally(&mut work, &mut cut, &lp, opts);
    let lp_bound = match lp.model_status {
        HighsModelStatus::Optimal => lp.objective,
        HighsModelStatus::Infeasible => {
            let mut stats = lp.stats(started, None);
            stats.stopped = "the LP relaxation is infeasible".into();
            return (stats, None);
        }
        _ => None,
    };
    if let Some(b) = lp_bound {
        crate::progress::note(format!("LP bound {b:.2}; looking for a first solution"));
    }
    let mut best: Option<(f64, Values)> = start;
    // What RENS without a fixed charge gave, when it ran.
    let mut switched: Option<String> = None;
    // Whether a search ran past the time limit for a first plan.
    let mut extended = false;
    let close_enough = |o: f64, b: f64| {
        super::parts::within(o, b, opts)
            || m.objective_step
                .is_some_and(|step| o - b < step * (1.0 - 1e-6))
    };
    // A start within the gap already: nothing to search.
    let started_within =
        matches!((&best, lp_bound), (Some((o, _)), Some(b)) if close_enough(*o, b));
    // The MIP's parts, once (their blocks probed before RENS).
    let mut pieces = super::parts::split(m);
    let rens_bounds = lp
        .values
        .as_ref()
        .filter(|_| opts.rens)
        .map(|lp_values| rens_around(m, lp_values));
    // RENS's sub-MIP, near the LP's optimum, may search up to
    // `FIRST_PLAN_S` past a time limit; the full MIP's first-plan search
    // the time limit again (a week HiGHS can neither solve nor prove
    // infeasible must not keep the planner waiting ten minutes).
    let first = |seconds: f64| Limits {
        seconds: match opts.work_limit {
            None => seconds,
            Some(_) => left(opts).max(1.0),
        },
        nodes: None,
        first_only: true,
    };
    let rens_first_plan = |bounds: Vec<(f64, Option<f64>)>| {
        run(
            m,
            Phase::Rens(bounds),
            None,
            first(overrun_s),
            opts,
            lp_bound,
        )
    };
    // RENS's first plans: the one its budget finds, and (the fallback
    // below) the first one past the budget.
    let mut rens_first = false;
    if let (Some(bounds), false) = (rens_bounds.clone(), started_within) {
        let limits = match opts.work_limit {
            // The LP outlasted the limit: RENS, the quickest way to a
            // plan near the LP's, goes on to its first plan.
            None if left(opts) < 1.0 && opts.first_plan_past_limit => {
                extended = true;
                rens_first = true;
                Limits {
                    seconds: overrun_s,
                    nodes: None,
                    first_only: true,
                }
            }
            None => Limits::seconds(left(opts).min(opts.time_limit_s * m.rens_share)),
            Some(w) => Limits::nodes(left(opts), share_of(w, m.rens_share)),
        };
        // A part the blocks will solve (`blocks.rs`) leaves RENS a
        // neighbourhood it cannot close: RENS gives its first plan only,
        // and the parts' searches have the rest of the budget.
        let (hard, probe) = super::parts::hard_blocks(&mut pieces, &limits, opts);
        tally(&mut work, &mut cut, &probe, opts);
        let limits = Limits {
            first_only: limits.first_only || hard,
            ..limits
        };
        let only_first = limits.first_only;
        let share = Limits { ..limits };
        let rens = run(m, Phase::Rens(bounds.clone()), None, limits, opts, lp_bound);
        tally(&mut work, &mut cut, &rens, opts);
        // RENS's share of a time limit ended without a plan: its first
        // plan now, for as long as the fallback below would give it,
        // before the parts' searches — which would start from nothing
        // and, on the large centre, found none in the rest of the budget
        // while RENS needed a few seconds more than its share (68 s to a
        // plan, now 49 s). Under a work limit the order stays: the parts'
        // searches have their nodes first.
        let rens = if opts.work_limit.is_none()
            && opts.first_plan_past_limit
            && best.is_none()
            && !rens.has_solution
            && !only_first
            && rens.model_status != HighsModelStatus::Infeasible
        {
            crate::progress::note("no plan in RENS's share; searching on for RENS's first plan");
            rens_first = true;
            let again = rens_first_plan(bounds.clone());
            tally(&mut work, &mut cut, &again, opts);
            extended |= started.elapsed().as_secs_f64() > opts.time_limit_s;
            again
        } else {
            rens
        };
        if let (Some(o), Some(v)) = (rens.objective, rens.values) {
            if let Some(b) = lp_bound {
                crate::progress::note(format!(
                    "first solution {o:.2}, bound {b:.2}, gap {:.3}%; searching for better",
                    100.0 * SolveStats::relative_gap(o, b)
                ));
            }
            if best.as_ref().is_none_or(|(b, _)| o < *b) {
                best = Some((o, v));
            }
        }
        // RENS's plan pays a fixed charge (an outsourcer's minimum) the LP
        // hardly took: RENS again with it off, for as long again.
        let off: Vec<usize> = match (&best, &lp.values) {
            (Some((_, v)), Some(x)) => switches_to_try_off(m, v, x),
            _ => Vec::new(),
        };
        if !off.is_empty()
            && !best
                .as_ref()
                .zip(lp_bound)
                .is_some_and(|((o, _), b)| close_enough(*o, b))
        {
            // Around the LP's optimum without the charge: the LP with it
            // sent work there that the plan's shifts must now take, which
            // the first LP's neighbourhood may not reach (Club-Internet's
            // weeks found no plan there).
            let mut within: Vec<_> = m.columns.iter().map(|c| (c.lower, c.upper)).collect();
            hold_off(&mut within, &off);
            crate::progress::note("the LP again without the fixed charge the LP hardly used");
            let relaxed = run(
                m,
                Phase::RelaxedWithin(within),
                None,
                Limits::seconds(left(opts).max(1.0)),
                opts,
                None,
            );
            tally(&mut work, &mut cut, &relaxed, opts);
            let mut bounds = match (&relaxed.values, relaxed.model_status) {
                (Some(x), HighsModelStatus::Optimal) => rens_around(m, x),
                _ => bounds,
            };
            hold_off(&mut bounds, &off);
            crate::progress::note("RENS again without the fixed charge the LP hardly used");
            let without = run(m, Phase::Rens(bounds), None, share, opts, lp_bound);
            tally(&mut work, &mut cut, &without, opts);
            let before = best.as_ref().map_or(f64::NAN, |b| b.0);
            switched = Some(format!(
                "RENS again without the fixed charge: {} against {before:.2}",
                without
                    .objective
                    .map_or("no plan".to_string(), |o| format!("{o:.2}"))
            ));
            if let (Some(o), Some(v)) = (without.objective, without.values) {
                if best.as_ref().is_none_or(|(b, _)| o < *b - 1e-9) {
                    best = Some((o, v));
                }
            }
        }
    }
    if let (Some((o, _)), Some(b)) = (&best, lp_bound) {
        if close_enough(*o, b) {
            let (o, values) = best.expect("checked");
            let stats = SolveStats {
                status: Status::Optimal,
                stopped: format!(
                    "gap reached: {} against the LP bound{}",
                    if started_within {
                        "the plan started from"
                    } else {
                        "RENS plan"
                    },
                    if extended {
                        " (searching past the time limit for a first plan)"
                    } else {
                        ""
                    }
                ) + &switched.map_or(String::new(), |x| format!("; {x}")),
                objective: Some(o),
                lower_bound: Some(b),
                gap: Some(SolveStats::relative_gap(o, b)),
                solve_seconds: started.elapsed().as_secs_f64(),
                simplex_iterations: work.0,
                nodes: work.1,
            };
            return (stats, Some(values));
        }
    }
    let limits = match opts.work_limit {
        None => Limits::seconds(left(opts).max(1.0)),
        Some(w) => Limits::nodes(
            left(opts).max(1.0),
            w.saturating_sub(work.1.max(0) as u64).max(1),
        ),
    };
    // Independent parts (a cell serving its own queue) are searched apart.
    let (mut full, parts) = super::parts::search(
        m,
        pieces,
        best.as_ref().map(|b| &b.1),
        limits,
        opts,
        lp_bound,
    );
    tally(&mut work, &mut cut, &full, opts);
    if opts.first_plan_past_limit
        && best.is_none()
        && !full.has_solution
        && full.model_status != HighsModelStatus::Infeasible
    {
        // Budget spent without a plan: search on for a first one, RENS's
        // first (near the LP's optimum, and a smaller MIP), then the full
        // MIP's.
        crate::progress::note("no plan within the budget; searching on for a first plan");
        extended = true;
        if let (Some(bounds), false) = (rens_bounds, rens_first) {
            let rens = rens_first_plan(bounds);
            tally(&mut work, &mut cut, &rens, opts);
            if let (Some(o), Some(v)) = (rens.objective, rens.values) {
                best = Some((o, v));
            }
        }
        if best.is_none() {
            let more = run(
                m,
                Phase::Full,
                None,
                first(opts.time_limit_s),
                opts,
                lp_bound,
            );
            tally(&mut work, &mut cut, &more, opts);
            full = more;
        }
    }
    let mut stats = full.stats(started, lp_bound);
    if parts > 1 {
        stats.stopped = format!(
            "{} ({parts} independent parts searched apart)",
            stats.stopped
        );
    }
    stats.simplex_iterations = work.0;
    stats.nodes = work.1;
    if let (Some(w), HighsModelStatus::ReachedSolutionLimit, false) =
        (opts.work_limit, full.model_status, extended)
    {
        stats.stopped = format!("work limit reached ({w} nodes)");
    }
    if extended {
        stats.stopped = format!(
            "{} (searching past the {} for a first plan)",
            stats.stopped,
            if opts.work_limit.is_some() {
                "work limit"
            } else {
                "time limit"
            }
        );
    }
    if cut {
        stats.stopped = format!("{}; {CAP_CUT}", stats.stopped);
    }
    let mut values = full.values;
    // HiGHS keeps the start it was given unless it finds better; still,
    // never return worse than the RENS plan.
    if let Some((o, v)) = best {
        if stats.objective.is_none_or(|f| o < f - 1e-9) {
            stats.objective = Some(o);
            values = Some(v);
            if stats.status == Status::NoSolution {
                stats.status = Status::Feasible;
            }
        }
    }
    stats.set_gap();
    // A first plan found past the budget may already be within the gap.
    if let (Status::Feasible, Some(o), Some(b)) = (stats.status, stats.objective, stats.lower_bound)
    {
        if close_enough(o, b) {
            stats.status = Status::Optimal;
            stats.stopped = format!("gap reached ({})", stats.stopped);
        }
    }
    if let Some(x) = switched {
        stats.stopped = format!("{}; {x}", stats.stopped);
    }
    (stats, values)
}

/// RENS's neighbourhood around the LP values `lp`: each anchored integer
/// column within `rens_reach` of the integers around its value, the
/// others as the MIP has them.
fn rens_around(m: &Mip, lp: &Values) -> Vec<(f64, Option<f64>)> {
    m.columns
        .iter()
        .zip(&lp.0)
        .map(|(c, &v)| {
            if c.integer && c.anchored {
                let lo = ((v - 1e-6).floor() - m.rens_reach).max(c.lower);
                let hi = (v + 1e-6).ceil() + m.rens_reach;
                (lo, Some(c.upper.map_or(hi, |u| hi.min(u))))
            } else {
                (c.lower, c.upper)
            }
        })
        .collect()
}

/// Holds the columns `off` (switches tried off) at zero in `bounds`.
fn hold_off(bounds: &mut [(f64, Option<f64>)], off: &[usize]) {
    for &k in off {
        bounds[k] = (0.0, Some(0.0));
    }
}

/// The switches (fixed charges, [`super::mip::Column::switch`]) the plan
/// `plan` has on where the LP relaxation `lp` had them below one half:
/// the ones RENS is tried again without.
fn switches_to_try_off(m: &Mip, plan: &Values, lp: &Values) -> Vec<usize> {
    m.columns
        .iter()
        .enumerate()
        .filter(|&(k, c)| c.switch && plan.0[k] > 0.5 && lp.0[k] < 0.5)
        .map(|(k, _)| k)
        .collect()
}

/// What `stopped` says when the wall-clock cap ended a search that a work
/// budget was to end: its result depends on the machine's speed and load.
pub const CAP_CUT: &str = "the wall-clock cap (--time-limit) cut the work budget: not reproducible";

/// Adds run `r`'s work to `work` (simplex iterations, nodes), and to
/// `cut` whether the wall-clock cap cut the work budget it had.
fn tally(work: &mut (i64, i64), cut: &mut bool, r: &Run, opts: &PlanOptions) {
    work.0 += r.iterations;
    work.1 += r.nodes;
    *cut |= opts.work_limit.is_some() && r.model_status == HighsModelStatus::ReachedTimeLimit;
}

/// Seconds a search may run past a time limit that ended without a plan,
/// looking for a first one (or the time limit, if longer): the LP
/// relaxation and RENS's first plan (the full MIP's first-plan search
/// gets the time limit again). A loaded machine must
/// not turn a solvable week into "no plan" (the large centre's RENS
/// needs more than its 18 s share of the default 60 s).
pub const FIRST_PLAN_S: f64 = 600.0;

/// ...and at most this many times the time limit: a planner who asked
/// for 5 s waits at most about a minute for a week that has no plan.
pub const OVERRUN_FACTOR: f64 = 10.0;

/// `share` of a work budget of `w` nodes, at least one.
pub(crate) fn share_of(w: u64, share: f64) -> u64 {
    ((w as f64 * share).ceil() as u64).max(1)
}

/// What stops one HiGHS run.
pub(super) struct Limits {
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Branch-and-bound nodes (HiGHS's `mip_max_nodes`).
    pub nodes: Option<u64>,
    /// Stop at the first plan found.
    pub first_only: bool,
}

impl Limits {
    pub(super) fn seconds(seconds: f64) -> Limits {
        Limits {
            seconds,
            nodes: None,
            first_only: false,
        }
    }

    /// `nodes`, with `seconds` as the cap.
    pub(super) fn nodes(seconds: f64, nodes: u64) -> Limits {
        Limits {
            nodes: Some(nodes),
            ..Limits::seconds(seconds)
        }
    }
}

/// Solves `m` in one HiGHS run, without the LP and RENS phases: for the
/// small MIPs a neighbourhood search solves by the hundred, where the
/// phases would cost more than they find.
pub fn solve_direct(m: &Mip, opts: &PlanOptions) -> (SolveStats, Option<Values>) {
    solve_direct_from(m, opts, None)
}

/// [`solve_direct`] from `start`: values HiGHS keeps unless it finds
/// better; columns left undefined (infinite) it completes first, with
/// the others held.
pub fn solve_direct_from(
    m: &Mip,
    opts: &PlanOptions,
    start: Option<&Values>,
) -> (SolveStats, Option<Values>) {
    let started = Instant::now();
    let limits = Limits {
        seconds: opts.time_limit_s,
        nodes: opts.work_limit,
        first_only: false,
    };
    let full = run(m, Phase::Full, start, limits, opts, None);
    let mut stats = full.stats(started, None);
    stats.set_gap();
    (stats, full.values)
}

pub(super) enum Phase {
    /// Integrality dropped.
    Relaxed,
    /// Integrality dropped, the columns within these ranges.
    RelaxedWithin(Vec<(f64, Option<f64>)>),
    /// Integer columns bounded to these ranges.
    Rens(Vec<(f64, Option<f64>)>),
    Full,
    /// As `Full`, without the progress line: one of the many small MIPs
    /// of a part solved by blocks (`blocks.rs`), or the root-node probe
    /// that decides whether to use them, whose best and bound are not the
    /// week's.
    Block,
}

#[derive(Clone)]
pub(super) struct Run {
    pub model_status: HighsModelStatus,
    pub has_solution: bool,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub iterations: i64,
    pub nodes: i64,
    pub values: Option<Values>,
}

impl Run {
    /// A run with no plan, no bound and no work, ending in `model_status`.
    pub(super) fn nothing(model_status: HighsModelStatus) -> Run {
        Run {
            model_status,
            has_solution: false,
            objective: None,
            bound: None,
            iterations: 0,
            nodes: 0,
            values: None,
        }
    }

    fn stats(&self, started: Instant, lp_bound: Option<f64>) -> SolveStats {
        let status = match self.model_status {
            HighsModelStatus::Optimal if self.has_solution => Status::Optimal,
            HighsModelStatus::Infeasible => Status::Infeasible,
            _ if self.has_solution => Status::Feasible,
            _ => Status::NoSolution,
        };
        let lower_bound = match (self.bound, lp_bound) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        SolveStats {
            status,
            stopped: format!("{:?}", self.model_status),
            objective: self.objective,
            lower_bound,
            gap: None,
            solve_seconds: started.elapsed().as_secs_f64(),
            simplex_iterations: self.iterations,
            nodes: self.nodes,
        }
    }
}

/// What the progress line last showed of a running MIP search.
struct Live {
    /// `first plan` (RENS) or `search` (the full MIP).
    what: &'static str,
    /// HiGHS's running time at the last update, seconds.
    shown: f64,
    /// The bound known before this run (the LP relaxation's).
    floor: f64,
    /// Whether HiGHS's own bound is one on the week's cost: not in RENS,
    /// whose bound holds only within its narrowed ranges.
    global: bool,
}

/// HiGHS's MIP callback: every half second of solver time at most, puts
/// the search's best plan, bound and gap on the progress line. Reads only;
/// never interrupts, so the search is the same with or without it.
#[allow(unsafe_code)]
unsafe extern "C" fn on_mip(
    _kind: std::ffi::c_int,
    _message: *const std::ffi::c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    _input: *mut highs_sys::HighsCallbackDataIn,
    user: *mut std::ffi::c_void,
) {
    // SAFETY: HiGHS hands a valid `out` for the length of the call, and
    // `user` is the `Live` that `run` registered and keeps alive past the
    // solve (HiGHS calls back only from the solving thread).
    let (Some(out), Some(live)) = (unsafe { out.as_ref() }, unsafe {
        user.cast::<Live>().as_mut()
    }) else {
        return;
    };
    if out.running_time - live.shown < 0.5 {
        return;
    }
    live.shown = out.running_time;
    let bound = if live.global && out.mip_dual_bound.is_finite() {
        out.mip_dual_bound.max(live.floor)
    } else {
        live.floor
    };
    let best = match (out.mip_primal_bound.is_finite(), bound.is_finite()) {
        (true, true) => format!(
            "best {:.2}, bound {bound:.2}, gap {:.2}%",
            out.mip_primal_bound,
            100.0 * SolveStats::relative_gap(out.mip_primal_bound, bound)
        ),
        (true, false) => format!("best {:.2}", out.mip_primal_bound),
        (false, true) => format!("no plan yet, bound {bound:.2}"),
        (false, false) => "no plan yet".to_string(),
    };
    crate::progress::note(format!(
        "{}: {best}; {} nodes, {:.0} s in this phase",
        live.what, out.mip_node_count, out.running_time
    ));
}

/// Registers [`on_mip`] on `model` when the progress line shows.
#[allow(unsafe_code)]
fn watch(model: &mut highs::Model, live: &mut Live) {
    if !crate::progress::active() {
        return;
    }
    let ptr = model.as_mut_ptr();
    // SAFETY: `ptr` is the live HiGHS instance `model` owns; `live`
    // outlives the solve (declared before the model in `run`).
    unsafe {
        highs_sys::Highs_setCallback(ptr, Some(on_mip), std::ptr::from_mut(live).cast());
        highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackMipInterrupt);
    }
}

/// One HiGHS solve of `m` as `phase` asks, from `start` if given.
/// `floor`: a lower bound known before (the LP relaxation's), for the
/// progress line.
pub(super) fn run(
    m: &Mip,
    phase: Phase,
    start: Option<&Values>,
    limits: Limits,
    opts: &PlanOptions,
    floor: Option<f64>,
) -> Run {
    let mut live = Live {
        what: match phase {
            Phase::Rens(_) => "first plan",
            _ => "search",
        },
        shown: f64::NEG_INFINITY,
        floor: floor.unwrap_or(f64::NEG_INFINITY),
        global: !matches!(phase, Phase::Rens(_)),
    };
    let mut vars = ProblemVariables::new();
    for (i, c) in m.columns.iter().enumerate() {
        let (lower, upper) = match &phase {
            Phase::Rens(b) | Phase::RelaxedWithin(b) => b[i],
            _ => (c.lower, c.upper),
        };
        let mut def = variable().min(lower);
        if let Some(u) = upper {
            def = def.max(u);
        }
        if c.integer && !matches!(phase, Phase::Relaxed | Phase::RelaxedWithin(_)) {
            def = def.integer();
        }
        // Same creation order, so the same variables the rows refer to.
        let v = vars.add(def);
        debug_assert!(v == c.var);
    }
    let integer = m.columns.iter().any(|c| c.integer)
        && !matches!(phase, Phase::Relaxed | Phase::RelaxedWithin(_));
    let mut problem = vars
        .minimise(m.objective())
        .using(good_lp::solvers::highs::highs);
    for r in &m.rows {
        problem.add_constraint(r.clone());
    }
    let mut model = problem.into_inner();
    model.make_quiet();
    if opts.solver_log {
        model.set_option("output_flag", true);
        model.set_option("log_to_console", true);
    }
    model.set_option("time_limit", limits.seconds.max(0.01));
    if let Some(n) = limits.nodes {
        model.set_option("mip_max_nodes", n.min(i32::MAX as u64) as i32);
    }
    if limits.first_only {
        model.set_option("mip_max_improving_sols", 1);
    }
    if matches!(phase, Phase::Relaxed | Phase::RelaxedWithin(_)) {
        // Large relaxations solve faster by interior point (with crossover
        // to a vertex, which RENS rounds around).
        model.set_option("solver", "ipm");
    }
    model.set_option("mip_rel_gap", opts.gap);
    if let Some(step) = m.objective_step {
        model.set_option("mip_abs_gap", step * (1.0 - 1e-6));
    }
    model.set_option("threads", opts.threads.max(1) as i32);
    model.set_option("random_seed", opts.seed.min(i32::MAX as u32) as i32);
    if let Some(v) = start {
        if model
            .try_set_solution(Some(&v.0), None, None, None)
            .is_err()
        {
            // A start HiGHS cannot take is only a lost hint.
        }
    }
    if integer && !matches!(phase, Phase::Block) {
        watch(&mut model, &mut live);
    }
    let solved = match model.try_solve() {
        Ok(s) => s,
        Err(_) => return Run::nothing(HighsModelStatus::SolveError),
    };
    let model_status = solved.status();
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let objective = has_solution.then(|| solved.objective_value());
    let bound = if integer {
        solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
    } else if model_status == HighsModelStatus::Optimal {
        objective
    } else {
        None
    };
    Run {
        model_status,
        has_solution,
        objective,
        bound,
        iterations: solved.simplex_iteration_count().max(0),
        nodes: if integer {
            int64_info(&solved, c"mip_node_count").unwrap_or(0)
        } else {
            0
        },
        values: has_solution.then(|| Values(solved.get_solution().columns().to_vec())),
    }
}

/// A 64-bit HiGHS info value (node and LP-iteration counts of the MIP
/// search), which the `highs` crate's safe API does not read.
#[allow(unsafe_code)]
pub(crate) fn int64_info(solved: &highs::SolvedModel, name: &CStr) -> Option<i64> {
    let mut value: i64 = -1;
    // SAFETY: `solved` owns a live HiGHS instance for the whole call; `name`
    // is NUL-terminated; `value` is a valid i64 HiGHS writes at most once.
    let status =
        unsafe { highs_sys::Highs_getInt64InfoValue(solved.as_ptr(), name.as_ptr(), &mut value) };
    (status == highs_sys::kHighsStatusOk).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::mip::{sum, CostLine};

    /// RENS is tried again without a fixed charge only where its plan
    /// pays it and the LP hardly did: not for other integer columns, nor
    /// a switch off in the plan or at one half or more in the LP.
    #[test]
    fn only_switches_on_in_the_plan_and_below_half_in_the_lp_are_tried_off() {
        let mut m = Mip::new();
        let cols: Vec<_> = (0..5)
            .map(|k| {
                m.col(
                    format!("c{k}"),
                    0.0,
                    Some(1.0),
                    true,
                    1.0,
                    CostLine::Outsourced,
                )
            })
            .collect();
        for &c in &cols[..4] {
            m.switch(c);
        }
        // On in the plan: c0 (LP 0.1), c2 (LP 0.5), c4 (not a switch, LP 0).
        let plan = Values(vec![1.0, 0.0, 1.0, 1.0, 1.0]);
        let lp = Values(vec![0.1, 0.1, 0.5, 0.9, 0.0]);
        assert_eq!(switches_to_try_off(&m, &plan, &lp), vec![0]);
    }

    /// RENS without a switch searches around the LP solved without it:
    /// around the first LP, which sent the work to the outsourcer, the
    /// shifts cannot reach the demand and RENS has no plan; around the LP
    /// without the switch, it has.
    #[test]
    fn rens_without_a_switch_searches_around_the_lp_without_it() {
        let mut m = Mip::new();
        let x = m.col("x".into(), 0.0, Some(10.0), true, 10.0, CostLine::InHouse);
        let o = m.col(
            "o".into(),
            0.0,
            Some(10.0),
            false,
            1.0,
            CostLine::Outsourced,
        );
        let u = m.col("u".into(), 0.0, Some(1.0), true, 20.0, CostLine::Outsourced);
        m.anchor(x);
        m.switch(u);
        m.row("demand".into(), sum([(1.0, x), (1.0, o)]).geq(3.5));
        m.row("minimum".into(), sum([(1.0, o), (-10.0, u)]).leq(0.0));
        let opts = PlanOptions::default();
        let limits = || Limits::seconds(10.0);
        let lp = run(&m, Phase::Relaxed, None, limits(), &opts, None);
        let lp = lp.values.expect("the LP solves");
        assert!(lp.of(u) > 0.3 && lp.of(u) < 0.5 && lp.of(x) < 1e-9);
        let off = [u.index];
        // Around the first LP, without the switch: x within [0, 2].
        let mut near_first = rens_around(&m, &lp);
        hold_off(&mut near_first, &off);
        assert_eq!(near_first[x.index], (0.0, Some(2.0)));
        assert_eq!(near_first[u.index], (0.0, Some(0.0)));
        let r = run(&m, Phase::Rens(near_first), None, limits(), &opts, None);
        assert!(r.objective.is_none());
        // The LP without the switch puts x at 3.5: RENS around it finds 4.
        let mut within: Vec<_> = m.columns.iter().map(|c| (c.lower, c.upper)).collect();
        hold_off(&mut within, &off);
        let lp_off = run(
            &m,
            Phase::RelaxedWithin(within),
            None,
            limits(),
            &opts,
            None,
        );
        assert!((lp_off.objective.unwrap() - 35.0).abs() < 1e-6);
        let mut near = rens_around(&m, &lp_off.values.unwrap());
        hold_off(&mut near, &off);
        assert_eq!(near[x.index], (2.0, Some(5.0)));
        let r = run(&m, Phase::Rens(near), None, limits(), &opts, None);
        assert!((r.objective.unwrap() - 40.0).abs() < 1e-6);
    }

    /// good_lp numbers columns in creation order; the plan relies on it.
    #[test]
    fn values_are_read_by_creation_order() {
        let mut m = Mip::new();
        let a = m.col("a".into(), 0.0, Some(10.0), true, 2.0, CostLine::InHouse);
        let b = m.col("b".into(), 0.0, Some(0.5), false, 1.0, CostLine::Outsourced);
        let c = m.col("c".into(), 0.0, None, false, 0.0, CostLine::InHouse);
        m.row("ab".into(), sum([(1.0, a), (1.0, b)]).geq(3.5));
        m.row("c".into(), sum([(1.0, c)]).geq(7.0));
        let (stats, values) = solve(&m, &PlanOptions::default());
        let v = values.unwrap();
        assert_eq!(stats.status, Status::Optimal);
        assert_eq!(v.count(a), 3);
        assert!((v.of(b) - 0.5).abs() < 1e-9);
        assert!((v.of(c) - 7.0).abs() < 1e-9);
        assert!((stats.objective.unwrap() - 6.5).abs() < 1e-9);
    }
}
