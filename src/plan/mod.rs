//! The planning MIP: how many agents of each group work which shift on
//! which day, where their breaks go, how their time is split over the
//! queues interval by interval, and what goes to the outsourcer — so that
//! every contractual SLA holds at minimum cost. The mathematics is in
//! `docs/model.md`; each family of variables and constraints is one pass
//! in [`passes`], run in order over one [`mip::Mip`].
//!
//! The outcome is data ([`Status`]); an infeasible week is re-solved with
//! priced slack and explained ([`explain`]); every plan is re-evaluated
//! with the queueing core ([`evaluate`]), independent of the linearisation.

pub mod blocks;
pub mod evaluate;
pub mod explain;
pub mod extract;
pub mod groups;
pub mod mip;
pub mod on_call;
pub mod options;
pub mod parts;
pub mod passes;
pub mod solve;
pub mod stagger;
pub mod tables;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Instance, SlaScope, VolumeRow};
use crate::queueing::StaffingError;
use crate::requirements::{requirements, Requirements};

pub use evaluate::Evaluation;
pub use explain::Shortfall;
pub use extract::{PlannedShift, Solution};
pub use groups::Group;
pub use options::ShiftOption;
pub use solve::{SolveStats, Status};

/// Solver settings, from the CLI.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    /// Wall-clock limit for the MIP, seconds: the budget, or with a
    /// `work_limit` only a safety cap (the solve says when it cut).
    pub time_limit_s: f64,
    /// Budget in solver work instead of seconds: branch-and-bound nodes
    /// over RENS and the full search, so the same binary finds the same
    /// plan on any machine, load and thread count (docs/performance.md,
    /// "Deterministic budgets").
    pub work_limit: Option<u64>,
    /// Run the RENS phase before the full MIP (off only to measure what
    /// it is worth: `slaplan bench` cases with `no_rens`).
    pub rens: bool,
    /// Stop when the relative gap to the lower bound is at most this.
    pub gap: f64,
    /// HiGHS threads; 1 makes the search deterministic.
    pub threads: u32,
    /// HiGHS random seed.
    pub seed: u32,
    /// Count every queue's SLA over this scope instead of its contract's.
    pub sla_scope: Option<SlaScope>,
    /// Print HiGHS's log (to stdout, as HiGHS does).
    pub solver_log: bool,
    /// Credit SL counted over a period exactly from the tables (binaries
    /// below the concave region, one piece per agent) instead of the
    /// conservative pieces.
    pub exact_sl: bool,
    /// Whether a solve still without a plan at its time limit searches
    /// on for a first one (the LP, RENS's first plan, the full MIP's; up
    /// to [`solve::FIRST_PLAN_S`]). Off where a plan is in hand already
    /// and the solve may only better it: the roster's full MIP after the
    /// patterns' roster.
    pub first_plan_past_limit: bool,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            time_limit_s: 60.0,
            work_limit: None,
            rens: true,
            gap: 0.01,
            threads: 1,
            seed: 0,
            sla_scope: None,
            solver_log: false,
            exact_sl: false,
            first_plan_past_limit: true,
        }
    }
}

/// The verification's corrections of a plan (`docs/model.md`, "Verified
/// by simulation"); none until the verification sets them.
#[derive(Debug, Clone, PartialEq)]
pub struct Corrections {
    /// Per voice queue and interval (`q × intervals + i`): agents present
    /// the queue gains (positive) or loses (negative) against the queueing
    /// tables when the roster is replayed call by call — pooling over
    /// queues by the skill groups' priorities, breaks, log-outs. The MIP's
    /// credit and the exact evaluation count `present + calibration`.
    pub calibration: Vec<f64>,
    /// Per skill group: its agents take work from their first queue only
    /// (the routing the verification chose: the ACD never gives them work
    /// from a queue lower in their list), so the MIP allocates them to no
    /// other queue.
    pub primary_only: Vec<bool>,
    /// Per deferred queue, how much earlier than its contract the MIP
    /// plans its work done (seconds; the verification's margin against
    /// random arrivals and handling times; see
    /// [`Context::planned_deadline`]).
    pub deadline_margin_s: Vec<f64>,
    /// Per deferred queue, the share by which the MIP plans its in-house
    /// work above the contacts' handling time (0.05: 5% more
    /// agent-intervals): the fluid rows finish the work exactly with the
    /// capacity planned, so at 100% utilisation the random arrivals,
    /// handling times and spells off the phones of the replay leave a
    /// backlog that a deadline margin alone does not clear (see
    /// [`Context::work_uplift`]).
    pub work_uplift: Vec<f64>,
    /// Per voice queue counted per day or week, and period (the day, or 0
    /// for the week): how far above its target the MIP aims, so that the
    /// replay's 95% interval clears the target (see [`Context::aim`]).
    pub aim_above: std::collections::BTreeMap<(usize, usize), f64>,
    /// Per voice queue: the MIP keeps its in-house load below its agents
    /// present in every interval (occupancy at most 1). An overloaded
    /// interval, which a day or week SL may trade away, spills its queue
    /// into the next ones, which the stationary tables do not see.
    pub stable: Vec<bool>,
    /// Per deferred queue, the intervals whose work the plan cannot get
    /// done its margin early (the week's capacity is spent there: Amen's
    /// Monday after the strike, its backlog in line first): planned at
    /// most one interval early, the margin standing everywhere else.
    pub margin_eased: std::collections::BTreeSet<(usize, usize)>,
}

impl Corrections {
    /// No correction: the plan as the queueing tables make it.
    fn none(inst: &Instance, intervals: usize) -> Self {
        let queues = inst.centre.queues.len();
        Corrections {
            calibration: vec![0.0; queues * intervals],
            primary_only: vec![false; inst.centre.skill_groups.len()],
            deadline_margin_s: vec![0.0; queues],
            work_uplift: vec![0.0; queues],
            aim_above: Default::default(),
            stable: vec![false; queues],
            margin_eased: Default::default(),
        }
    }
}

/// Everything the MIP is built from.
pub struct Context<'a> {
    pub inst: &'a Instance,
    pub req: Requirements,
    /// The week's real time on the centre's grid (made once).
    pub clock: options::Clock,
    pub groups: Vec<Group>,
    pub options: Vec<ShiftOption>,
    pub tables: tables::Tables,
    /// Effective SLA scope per queue (the contract's, or the override).
    pub scopes: Vec<SlaScope>,
    pub opts: PlanOptions,
    /// Per voice queue and interval (`q × intervals + i`): agents of relief
    /// per Erlang sent to an outsourcer (1 until the repair loop lowers it).
    pub relief: Vec<f64>,
    /// Per deferred queue: the share of `1 − target` its rows below 100%
    /// let be late work (1 until the repair loop lowers it: the rows count
    /// work, the contract contacts, `docs/model.md` §6).
    pub late_share: Vec<f64>,
    /// What the verification by simulation set (none until it does).
    corrections: Corrections,
    /// Per deferred queue and arrival interval, the last interval by which
    /// the MIP plans the work done (the contract's deadline less the
    /// queue's margin, see [`Context::planned_deadline`]).
    planned_deadline: Vec<Vec<Option<usize>>>,
    /// Most agents per (group, shift option), set when a roster could not
    /// fill what an earlier plan put there (see `docs/model.md`).
    caps: std::collections::BTreeMap<(usize, usize), u32>,
    /// Most agents per (group, day), likewise.
    day_caps: std::collections::BTreeMap<(usize, usize), u32>,
    /// Most shifts per group in the week, likewise.
    week_caps: std::collections::BTreeMap<usize, u32>,
    /// Least agents per (group, shift option): the instance's pinned
    /// shifts.
    pub floors: std::collections::BTreeMap<(usize, usize), u32>,
    /// Whether a week without a plan is explained (the elastic re-solve);
    /// off where the plan is only a trial the caller discards.
    explain: bool,
    /// On-call duties chosen before the plan (`recovery: paid` rotas),
    /// whose agents the plan and the roster keep off shifts for the rest
    /// they owe ([`on_call::keep_off`]).
    pub kept_off: Vec<crate::model::KeptOff>,
}

impl<'a> Context<'a> {
    pub fn new(
        inst: &'a Instance,
        demand: &[VolumeRow],
        opts: &PlanOptions,
    ) -> Result<Self, StaffingError> {
        let req = requirements(inst, demand)?;
        let clock = options::Clock::new(inst, &req.grid);
        let kept_off = on_call::keep_off(inst, &clock);
        let groups = groups::groups(inst, &clock, &kept_off);
        let options = options::shift_options(inst, &clock);
        let scopes = inst
            .centre
            .queues
            .iter()
            .map(|q| opts.sla_scope.unwrap_or(q.sla.scope))
            .collect::<Vec<_>>();
        let tables = tables::Tables::new(inst, &req, &scopes, &clock)?;
        let relief = vec![1.0; inst.centre.queues.len() * req.grid.len()];
        let floors = pinned_floors(inst, &groups, &options);
        Ok(Context {
            corrections: Corrections::none(inst, req.grid.len()),
            planned_deadline: tables.deadline.clone(),
            relief,
            late_share: vec![1.0; inst.centre.queues.len()],
            kept_off,
            floors,
            caps: Default::default(),
            day_caps: Default::default(),
            week_caps: Default::default(),
            explain: true,
            inst,
            req,
            clock,
            groups,
            options,
            tables,
            scopes,
            opts: opts.clone(),
        })
    }

    /// Whether a week without a plan gets its explanation (on unless set
    /// off): a trial plan the caller discards when it has none — the
    /// verification's week with every group on its first queue — need not
    /// spend up to the time limit again on the elastic re-solve.
    pub fn set_explain(&mut self, on: bool) {
        self.explain = on;
    }

    /// At most `n` agents of `group` on shift option `option` from now on.
    pub fn cap_shift(&mut self, group: usize, option: usize, n: u32) {
        self.caps.insert((group, option), n);
    }

    /// At most `n` agents of `group` working on `day`.
    pub fn cap_day(&mut self, group: usize, day: usize, n: u32) {
        self.day_caps.insert((group, day), n);
    }

    /// At most `n` shifts of `group` in the week.
    pub fn cap_week(&mut self, group: usize, n: u32) {
        self.week_caps.insert(group, n);
    }

    /// The cap on (group, option), if any.
    pub fn shift_cap(&self, group: usize, option: usize) -> Option<u32> {
        self.caps.get(&(group, option)).copied()
    }

    /// The cap on (group, day), if any.
    pub fn day_cap(&self, group: usize, day: usize) -> Option<u32> {
        self.day_caps.get(&(group, day)).copied()
    }

    /// The cap on a group's week, if any.
    pub fn week_cap(&self, group: usize) -> Option<u32> {
        self.week_caps.get(&group).copied()
    }

    /// Agents present queue `q` gains in interval `i` beyond what it is
    /// allocated (negative: loses), as the simulation calibrated it.
    pub fn calibration(&self, q: usize, i: usize) -> f64 {
        self.corrections.calibration[q * self.intervals() + i]
    }

    /// Sets the calibration of `(q, i)` (see [`Context::calibration`]).
    pub fn calibrate(&mut self, q: usize, i: usize, agents: f64) {
        let n = self.intervals();
        self.corrections.calibration[q * n + i] = agents;
    }

    /// Whether skill group `sg`'s agents take work from their first queue
    /// only (see [`Corrections::primary_only`]).
    pub fn primary_only(&self, sg: usize) -> bool {
        self.corrections.primary_only[sg]
    }

    /// The last interval by which the MIP plans deferred work arriving in
    /// `i` done: the contract's deadline less the queue's margin.
    pub fn planned_deadline(&self, q: usize, i: usize) -> Option<usize> {
        self.planned_deadline[q][i]
    }

    /// Deferred queue `q`'s in-house work as the MIP plans it, per unit
    /// of its contacts' handling time: one plus the verification's uplift
    /// (see [`Corrections::work_uplift`]).
    pub fn work_uplift(&self, q: usize) -> f64 {
        1.0 + self.corrections.work_uplift[q]
    }

    /// Whether the MIP keeps voice queue `q`'s load below its agents
    /// present (see [`Corrections::stable`]).
    pub fn stable(&self, q: usize) -> bool {
        self.corrections.stable[q]
    }

    /// The SL the MIP requires of voice queue `q` over a day (`period`:
    /// the day) or the week (`period` 0): its target, plus the margin the
    /// verification set, at most 1.
    pub fn aim(&self, q: usize, period: usize) -> f64 {
        let target = self.inst.centre.queues[q].sla.target;
        let above = self
            .corrections
            .aim_above
            .get(&(q, period))
            .copied()
            .unwrap_or(0.0);
        (target + above).min(1.0)
    }

    /// What the verification by simulation has set on the plan.
    pub fn corrections(&self) -> &Corrections {
        &self.corrections
    }

    /// Sets the corrections (as [`Context::corrections`] returns them) and
    /// the planned deadlines their margins imply.
    pub fn set_corrections(&mut self, c: Corrections) {
        let none = Corrections::none(self.inst, self.intervals());
        assert_eq!(
            c.calibration.len(),
            none.calibration.len(),
            "one per queue and interval"
        );
        assert_eq!(
            c.primary_only.len(),
            none.primary_only.len(),
            "one per skill group"
        );
        assert_eq!(
            c.deadline_margin_s.len(),
            none.deadline_margin_s.len(),
            "one per queue"
        );
        assert_eq!(c.work_uplift.len(), none.work_uplift.len(), "one per queue");
        assert_eq!(c.stable.len(), none.stable.len(), "one per queue");
        for (q, queue) in self.inst.centre.queues.iter().enumerate() {
            if queue.channel == crate::model::Channel::Deferred {
                let margin = c.deadline_margin_s[q];
                let step = self.step_s();
                self.planned_deadline[q] =
                    tables::deadlines(self.inst, &self.req, q, &self.clock, |i| {
                        if c.margin_eased.contains(&(q, i)) {
                            margin.min(step)
                        } else {
                            margin
                        }
                    });
            }
        }
        self.corrections = c;
    }

    pub fn intervals(&self) -> usize {
        self.req.grid.len()
    }

    /// Share of an agent's allocated time that is really available to the
    /// queue: one less the queue's shrinkage (absence at short notice,
    /// meetings, coaching; breaks are planned explicitly).
    pub fn on_duty(&self, q: usize) -> f64 {
        self.inst.centre.queues[q].on_duty()
    }

    /// Interval length in seconds.
    pub fn step_s(&self) -> f64 {
        f64::from(self.inst.centre.interval_min * 60)
    }
}

/// The shift option of a pinned shift: its template, day and start.
pub fn pinned_option(
    options: &[ShiftOption],
    day: usize,
    wish: crate::model::Wish,
) -> Option<usize> {
    match wish {
        crate::model::Wish::Work {
            template,
            start_min: Some(start),
        } => options
            .iter()
            .position(|o| o.template == template && o.day == day && o.start_min == start),
        _ => None,
    }
}

/// Agents pinned per (group, option).
fn pinned_floors(
    inst: &Instance,
    groups: &[Group],
    options: &[ShiftOption],
) -> std::collections::BTreeMap<(usize, usize), u32> {
    let mut out = std::collections::BTreeMap::new();
    for pin in &inst.pins {
        let (Some(g), Some(o)) = (
            groups.iter().position(|g| g.agents.contains(&pin.agent)),
            pinned_option(options, pin.day, pin.wish),
        ) else {
            continue;
        };
        *out.entry((g, o)).or_insert(0) += 1;
    }
    out
}

/// A solved (or explained) week.
#[derive(Debug, Clone)]
pub struct Plan {
    pub stats: SolveStats,
    /// The plan found, if any.
    pub solution: Option<Solution>,
    /// Its exact re-evaluation.
    pub evaluation: Option<Evaluation>,
    /// Why no acceptable plan exists, when none does.
    pub shortfalls: Vec<Shortfall>,
    pub model_size: ModelSize,
    /// Rounds of the repair loop it took.
    pub repairs: usize,
}

impl Plan {
    /// A plan was found and its exact re-evaluation keeps every
    /// contractual SLA: the one test of an acceptable plan.
    pub fn is_acceptable(&self) -> bool {
        matches!(self.stats.status, Status::Optimal | Status::Feasible)
            && self.evaluation.as_ref().is_some_and(|e| e.all_kept)
    }
}

/// Rows, columns and integer columns of the MIP.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ModelSize {
    pub columns: usize,
    pub integer_columns: usize,
    pub rows: usize,
}

/// Builds the MIP for `cx`: every pass in order. With `elastic`, coverage
/// and SLA rows carry priced slack so that the model is always feasible.
pub fn build(cx: &Context, elastic: bool) -> (mip::Mip, passes::Vars) {
    let mut m = mip::Mip::new();
    let mut v = passes::Vars::default();
    passes::run_all(cx, &mut m, &mut v, elastic);
    (m, v)
}

/// How much further than the ratio found the repair loop lowers a
/// deferred contract's late work: the late contacts do not fall exactly
/// with the late work.
const LATE_MARGIN: f64 = 0.01;

/// Repair rounds at most: after these the relief of outsourced contacts
/// is dropped altogether where a promise broke.
const REPAIRS: usize = 4;

/// Plans the week: solve; if infeasible (or no plan was found in the time
/// limit), explain by an elastic re-solve;
/// re-evaluate what was found. When the exact evaluation finds a promise
/// broken where contacts went to an outsourcer, the relief counted for them
/// there is halved (dropped after the last round) and the week solved
/// again, within the same time limit.
pub fn plan(cx: &mut Context) -> Plan {
    let started = std::time::Instant::now();
    let limit = cx.opts.time_limit_s;
    let mut repairs = 0;
    loop {
        let (m, v) = build(cx, false);
        let model_size = m.size();
        let prices = m.prices();
        let mut opts = cx.opts.clone();
        opts.time_limit_s = (limit - started.elapsed().as_secs_f64()).max(1.0);
        let (mut stats, values) = if opts.exact_sl {
            solve_exact(cx, &m, &opts)
        } else {
            solve::solve(&m, &opts)
        };
        stats.solve_seconds = started.elapsed().as_secs_f64();
        let solution = values.as_ref().map(|x| {
            let mut s = extract::extract(cx, &prices, &v, x);
            stagger::stagger(cx, &mut s);
            s
        });
        let evaluation = solution.as_ref().map(|s| evaluate::evaluate(cx, s));
        if let (Some(s), Some(e)) = (&solution, &evaluation) {
            if !e.all_kept && tighten(cx, s, e, repairs + 1 >= REPAIRS) > 0 {
                repairs += 1;
                continue;
            }
        }
        // The explanation gets what is left of the limit, and at least a
        // quarter of it (at most 30 s) when the search used it all: a
        // failed week ends within 1.25 × --time-limit.
        let left = limit - started.elapsed().as_secs_f64();
        let budget = left.max((limit / 4.0).min(explain::UNPROVEN_BUDGET_S));
        let shortfalls = match stats.status {
            _ if !cx.explain => Vec::new(),
            Status::Infeasible => explain::explain(cx, budget),
            // Not proven infeasible, but no plan either: the elastic
            // re-solve (which always has a plan) says what stands in the way.
            Status::NoSolution => explain::explain(cx, budget.min(explain::UNPROVEN_BUDGET_S)),
            _ => Vec::new(),
        };
        return Plan {
            stats,
            solution,
            evaluation,
            shortfalls,
            model_size,
            repairs,
        };
    }
}

/// Share of the time (or work) limit `--exact-sl` gives the conservative
/// credit's plan it starts from ([`solve_exact`]).
pub const CONSERVATIVE_SHARE: f64 = 0.5;

/// Share of the work limit the exact credit's completion of that plan may
/// take (a MIP whose shifts and breaks are fixed: its binaries only say
/// which pieces of each interval's table the fixed agents reach).
const COMPLETION_SHARE: f64 = 0.1;

/// `--exact-sl`: the exact credit's MIP `m` searched from the plan of the
/// conservative credit (the default). The conservative pieces never
/// exceed the table, so that plan's shifts, breaks and allocations keep
/// every SLA the exact credit counts: its integer columns, matched by
/// name, are fixed in `m` and the rest completed (which pieces each
/// interval reaches), and the exact search starts from there — at a gap
/// no wider than what the chords cost against the exact bound. Without
/// it HiGHS found no plan of Club-Internet's week in 120 s
/// (`docs/model.md`, §5). The conservative plan gets
/// [`CONSERVATIVE_SHARE`] of the budget; its work is counted.
fn solve_exact(
    cx: &mut Context,
    m: &mip::Mip,
    opts: &PlanOptions,
) -> (SolveStats, Option<mip::Values>) {
    let started = std::time::Instant::now();
    cx.opts.exact_sl = false;
    let (conservative, _) = build(cx, false);
    cx.opts.exact_sl = true;
    let share = PlanOptions {
        time_limit_s: opts.time_limit_s * CONSERVATIVE_SHARE,
        work_limit: opts
            .work_limit
            .map(|w| solve::share_of(w, CONSERVATIVE_SHARE)),
        exact_sl: false,
        ..opts.clone()
    };
    crate::progress::note("the conservative credit's plan first");
    let (first, values) = solve::solve(&conservative, &share);
    let mut work = (first.simplex_iterations, first.nodes);
    let left = |opts: &PlanOptions| (opts.time_limit_s - started.elapsed().as_secs_f64()).max(1.0);
    let start = values.and_then(|x| {
        // Names made unique by the passes; one seen twice is not matched.
        let mut by_name: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        for (k, c) in conservative.columns.iter().enumerate() {
            by_name
                .entry(c.name.as_str())
                .and_modify(|e| *e = None)
                .or_insert(Some(k));
        }
        let bounds = m
            .columns
            .iter()
            .map(|c| match by_name.get(c.name.as_str()) {
                Some(&Some(k)) if c.integer && conservative.columns[k].integer => {
                    let v = x.0[k].round();
                    (v, Some(v))
                }
                _ => (c.lower, c.upper),
            })
            .collect();
        let limits = match opts.work_limit {
            None => solve::Limits::seconds(left(opts)),
            Some(w) => solve::Limits::nodes(left(opts), solve::share_of(w, COMPLETION_SHARE)),
        };
        crate::progress::note("the exact credit of the conservative plan");
        let r = solve::run(m, solve::Phase::Rens(bounds), None, limits, opts, None);
        work.0 += r.iterations;
        work.1 += r.nodes;
        Some((r.objective?, r.values?))
    });
    let from = first.objective.zip(start.as_ref().map(|(o, _)| *o));
    let rest = PlanOptions {
        time_limit_s: left(opts),
        work_limit: opts
            .work_limit
            .map(|w| w.saturating_sub(work.1.max(0) as u64).max(1)),
        ..opts.clone()
    };
    let (mut stats, values) = solve::solve_from(m, &rest, start);
    stats.simplex_iterations += work.0;
    stats.nodes += work.1;
    if let Some((c, o)) = from {
        stats.stopped = format!(
            "{} (started from the conservative credit's plan, {c:.2}, {o:.2} under the exact credit)",
            stats.stopped
        );
    }
    (stats, values)
}

/// A lower bound on the cost of any plan of the week as `cx` stands (its
/// corrections included): the optimum of the MIP's LP relaxation.
pub fn lp_bound(cx: &Context) -> Option<f64> {
    let (m, _) = build(cx, false);
    solve::relaxed_bound(&m, &cx.opts)
}

/// Greatest common divisor (`gcd(a, 0) = a`).
pub(crate) fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Lowers the relief of outsourced contacts in every interval of a broken
/// promise that sent some, and the late work a deferred contract below
/// 100% allows where its contacts missed the promise (by the ratio of the
/// late contacts allowed to those found, less [`LATE_MARGIN`]); returns
/// how many intervals and queues changed.
fn tighten(cx: &mut Context, s: &Solution, e: &Evaluation, last: bool) -> usize {
    let n = cx.intervals();
    let mut changed = 0;
    for x in e.sla.iter().filter(|x| x.contractual && !x.kept) {
        let queue = &cx.inst.centre.queues[x.queue];
        if queue.channel == crate::model::Channel::Deferred && x.achieved < x.promised {
            let ratio = (1.0 - x.promised) / (1.0 - x.achieved);
            cx.late_share[x.queue] *= ratio * (1.0 - LATE_MARGIN);
            changed += 1;
        }
    }
    for (q, i) in evaluate::broken(cx, s, e) {
        let r = &mut cx.relief[q * n + i];
        if *r > 0.0 {
            *r = if last { 0.0 } else { *r / 2.0 };
            changed += 1;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A week that cannot be planned is explained, unless the caller asked
    /// for none (a trial it discards): the same verdict either way.
    #[test]
    fn an_infeasible_week_is_explained_unless_asked_not_to() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/plan/no-sunday.yaml");
        let inst = crate::input::load_instance(&path).expect("the fixture loads");
        let demand = crate::pipeline::demand(&inst).expect("a forecast is given");
        let mut cx = Context::new(&inst, &demand, &PlanOptions::default()).unwrap();
        let explained = plan(&mut cx);
        assert_eq!(explained.stats.status, Status::Infeasible);
        assert!(
            explained
                .shortfalls
                .iter()
                .any(|s| format!("{s:?}").contains("level2")),
            "{:?}",
            explained.shortfalls
        );
        cx.set_explain(false);
        let trial = plan(&mut cx);
        assert_eq!(trial.stats.status, Status::Infeasible);
        assert!(trial.shortfalls.is_empty());
    }

    /// A contract counted per month counts on from the month's weeks
    /// before (a horizon's carry): a surplus there lets the week fall below
    /// the target and cost less; a shortfall makes it aim above the target
    /// and cost more; the month holds either way.
    #[test]
    fn a_month_counts_on_from_its_weeks_before() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/horizon/week.yaml");
        let mut inst = crate::input::load_instance(&path).expect("the fixture loads");
        let line = inst
            .centre
            .queues
            .iter()
            .position(|q| q.id == "line")
            .unwrap();
        inst.centre.queues[line].sla.scope = crate::model::SlaScope::Month;
        let demand = crate::pipeline::demand(&inst).expect("a history");
        let opts = PlanOptions {
            gap: 0.02,
            ..PlanOptions::default()
        };
        // (cost, its lower bound, the week's own SL, the month's SL, the
        // week's contacts)
        let run = |inst: &Instance| -> (f64, f64, f64, f64, f64) {
            let mut cx = Context::new(inst, &demand, &opts).unwrap();
            let p = plan(&mut cx);
            let e = p.evaluation.expect("a plan");
            let parts = evaluate::month_parts(&cx, &e);
            assert_eq!(parts.len(), 1, "the week is in March only: {parts:?}");
            let (_, _, contacts, in_time) = parts[0];
            let month = e
                .sla
                .iter()
                .find(|x| x.queue == line && x.scope == crate::model::SlaScope::Month)
                .expect("the month is counted");
            assert!(month.contractual && month.kept);
            (
                p.stats.objective.unwrap(),
                p.stats.lower_bound.unwrap(),
                in_time / contacts,
                month.achieved,
                contacts,
            )
        };
        let alone = run(&inst);
        assert!(alone.2 >= 0.8 - 1e-6, "{alone:?}");
        assert!((alone.2 - alone.3).abs() < 1e-9, "{alone:?}");
        let before = |sl: f64, weeks: f64| crate::model::MonthSoFar {
            queue: line,
            month: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            contacts: weeks * alone.4,
            in_time: sl * weeks * alone.4,
        };
        inst.carry.months = vec![before(0.95, 1.5)];
        let ahead = run(&inst);
        // Whatever the search's gap (2%): the cheaper plan beneath the
        // other's bound.
        assert!(ahead.0 < alone.1, "{ahead:?} against {alone:?}");
        assert!(ahead.2 < 0.8, "the week spends the surplus: {ahead:?}");
        assert!(ahead.3 >= 0.8 - 1e-6, "{ahead:?}");
        inst.carry.months = vec![before(0.75, 1.0)];
        let behind = run(&inst);
        assert!(behind.1 > alone.0, "{behind:?} against {alone:?}");
        assert!(
            behind.2 >= 0.85 - 1e-6,
            "the week makes up the shortfall: {behind:?}"
        );
        assert!(behind.3 >= 0.8 - 1e-6, "{behind:?}");
    }
}
