//! Column generation over work patterns: the roster as a choice of one
//! whole-horizon pattern per employee (the formulation of the published
//! branch-and-price on the Curtois–Qu benchmark). The master LP picks
//! patterns to meet cover; each employee's pricing problem — their
//! cheapest pattern under their own rules, with the cover rows' duals as
//! prices on their days and shifts — is solved exactly by dynamic
//! programming over the days. Its value, when no pattern prices out, is a
//! lower bound; the patterns found are then searched as a MIP for a
//! roster (price and branch).
//!
//! Serves problems whose employees are linked only by cover (no fairness
//! terms), whose cover is priced both ways, and whose rules the program
//! below states: shifts allowed per day and pins, successions, shifts of
//! each kind, minutes, consecutive working days (most and least), least
//! consecutive days off, weekends — the benchmark's rules. Rest times,
//! working days per week and same-start wishes are left to the MIP.

use std::time::Instant;

use highs::{ColProblem, HighsModelStatus, Model, Sense};
use rustc_hash::FxHashMap;

use super::{objective, Assignment, Problem, RosterOptions};

/// Kinds of shift whose maximum a pattern's states carry, at most (the
/// limits that bind at the prices; the others are relaxed, see
/// [`Tracked`]). Column generation serves employees with at most this
/// many kinds limited at all.
const COUNTED: usize = 8;
// A pricing state packs its counts one per 16-bit lane of a u128.
const _: () = assert!(COUNTED * 16 <= 128);

/// The [`Tracked`] bit of the weekends' limit: kinds of shift limited
/// take the bits below it.
const WEEKENDS: usize = 63;

/// Rounds of generation a dive step is planned for: a step without a
/// pattern taken whole fixes one employee, or as many as the time left
/// needs, steps of this many rounds, to fix everyone.
const DIVE_ROUNDS: usize = 5;
/// Employees the dive leaves to an exact completion: this many, or one
/// in DIVE_LAST_SHARE of them if fewer.
const DIVE_LAST: usize = 10;
const DIVE_LAST_SHARE: usize = 5;
/// Steps of the dive after which its own pace sizes the rest.
const DIVE_PACE_AFTER: usize = 3;

/// Rounds of generation after a dive step, at most (within the step's
/// share of the time left).
const DIVE_ROUNDS_MAX: usize = 20;

/// Patterns a dive step tries after the first when each costs the master
/// more than `DIVE_SLACK` (or a thousandth of its value, if more).
const DIVE_TRIES: usize = 2;
const DIVE_SLACK: f64 = 1.0;

/// Labels the pricing program may hold over the horizon, at most (about
/// 50 bytes each): beyond it the pricing gives up, and the round gives no
/// bound.
const MAX_LABELS: usize = 4_000_000;

/// Dual smoothing (Wentges 1997) in the root generation: the pricing runs
/// at `SMOOTHING × centre + (1 − SMOOTHING) × the master's duals`, the
/// centre being the duals with the best Lagrangian bound so far.
const SMOOTHING: f64 = 0.8;

/// Patterns besides the cheapest a pricing offers: the next cheapest ends
/// of its program that price out and keep every limit.
const EXTRA_PATTERNS: usize = 4;

/// What the generation found.
pub struct Generated {
    /// The best roster over the patterns found, if the MIP found one.
    pub assignment: Option<Assignment>,
    /// A lower bound on the objective (Lagrangian, or the master's value
    /// once no pattern prices out).
    pub bound: Option<f64>,
    /// Whether no pattern priced out at the end.
    pub converged: bool,
    pub patterns: usize,
    pub rounds: usize,
    /// Simplex iterations of the master LPs and the MIPs, and
    /// branch-and-bound nodes of the MIPs (over the patterns, and the
    /// part the dive left): the generation's work.
    pub simplex_iterations: i64,
    pub nodes: i64,
}

/// Whether `p` has the shape column generation serves: rules the
/// pricing program states, and few kinds of shift limited for the
/// horizon's length (at most `COUNTED`, and at most `LIMITED_DAYS`
/// kinds limited times days) — or a horizon of at most
/// [`ANY_KINDS_DAYS`], where the program's states stay few however many
/// kinds are limited (it carries only the limits that bind at the duals;
/// Instance 13, 14 kinds limited for some employees over 28 days,
/// `docs/benchmarks.md`).
pub fn serves(p: &Problem) -> bool {
    programmable(p)
        && (p.days <= ANY_KINDS_DAYS
            || p.employees.iter().all(|e| {
                let limited = counted(p, e).len();
                limited <= COUNTED && limited * p.days <= LIMITED_DAYS
            }))
}

/// Kinds of shift limited times the horizon's days above which the
/// pricing program's states grow past what a round of generation can
/// price in its share of the time, for any employee. Measured with
/// `--time-limit 300` (2026-12-06): Instance 15 (5 kinds limited over 42
/// days, 210) and 19 (2 over 84, 168) run tens of rounds; 21 (3 over 182,
/// 546) one round in 29 s and no roster from it; 22 (7 over 364) not one
/// employee priced in its 60 s. The search on a roster built window by
/// window has that time instead.
const LIMITED_DAYS: usize = 256;

/// The longest horizon column generation serves with any number of kinds
/// of shift limited: four weeks.
const ANY_KINDS_DAYS: usize = 28;

/// Whether the pricing program states `p`'s rules: employees linked only
/// by cover, priced both ways; no rest times, working days per week,
/// same-start wishes or overtime; fewer than 255 kinds of shift (a state
/// holds one in a byte).
pub(super) fn programmable(p: &Problem) -> bool {
    p.shifts.len() < usize::from(u8::MAX)
        && p.fairness.is_empty()
        && p.cover
            .iter()
            .all(|c| c.under_weight.is_some() && c.over_weight.is_some())
        && p.employees.iter().all(|e| {
            e.min_rest_min.is_none()
                && e.weekly_rest_min.is_none()
                && e.max_days_per_week.is_none()
                && e.same_start_weight.is_none()
                && e.overtime.is_none()
                && e.run_before == 0
                && e.off_before == crate::model::AgentCarry::SINCE_START
        })
}

/// The cheapest pattern of employee `e` alone against `p`'s cover as it
/// stands (each cover row priced at the margin: its under weight while
/// short, less its over weight once met), under every rule; `None` when
/// the program finds none by `deadline` or grows too large. `p` must be
/// [`programmable`].
pub(super) fn cheapest_alone(
    p: &Problem,
    e: usize,
    deadline: Instant,
) -> Option<Vec<Option<usize>>> {
    let mut duals: Vec<f64> = p
        .cover
        .iter()
        .map(|c| {
            if c.requirement > 0 {
                c.under_weight.unwrap_or(0.0)
            } else {
                -c.over_weight.unwrap_or(0.0)
            }
        })
        .collect();
    duals.resize(p.cover.len() + p.employees.len(), 0.0);
    let mut tracked = Tracked::default();
    price_tracking(p, e, &[], &duals, deadline, &mut tracked).map(|(days, _, _)| days)
}

/// Shift kinds whose maximum can bind for `e`: fewer than the horizon's
/// days, and a kind the employee may work on some day (a kind never
/// allowed, as a maximum of 0 makes it on the benchmark, cannot exceed
/// any).
fn counted(p: &Problem, e: &super::Employee) -> Vec<usize> {
    (0..p.shifts.len())
        .filter(|&s| e.max_shifts[s].is_some_and(|m| (m as usize) < p.days))
        .filter(|&s| e.allowed.iter().flatten().any(|a| a.shift == s))
        .collect()
}

/// One employee's pattern: the shift (or none) on each day.
struct Pattern {
    employee: usize,
    days: Vec<Option<usize>>,
    cost: f64,
}

/// The employee's own cost of a pattern: wages, requests and minutes short
/// — the objective of the employee alone, without cover.
fn own_cost(p: &Problem, e: usize, days: &[Option<usize>]) -> f64 {
    let alone = Problem {
        days: p.days,
        shifts: p.shifts.clone(),
        employees: vec![p.employees[e].clone()],
        cover: Vec::new(),
        short_minute_price: p.short_minute_price,
        fairness: Vec::new(),
    };
    objective(&alone, &Assignment(vec![days.to_vec()])).total
}

/// The cover rows a pattern of employee `e` counts in.
fn cover_rows_of(p: &Problem, e: usize, days: &[Option<usize>]) -> Vec<usize> {
    p.cover
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.group.is_none_or(|g| p.employees[e].group == g) && days[c.day] == Some(c.shift)
        })
        .map(|(i, _)| i)
        .collect()
}

/// A pattern (a shift or a day off per day).
type Days = Vec<Option<usize>>;

/// What one employee's pricing offers: the cheapest pattern, its reduced
/// cost, and up to [`EXTRA_PATTERNS`] more that price out.
type Offer = (Days, f64, Vec<Days>);

/// What a pricing of every employee found: the patterns added, and the
/// Lagrangian bound at the duals priced when every pricing was exact.
struct Priced {
    found: usize,
    bound: Option<f64>,
}

/// The patterns found so far and the days a dive has pinned.
struct Generation<'a> {
    p: &'a Problem,
    patterns: Vec<Pattern>,
    /// Per employee, the days a dive pinned and what they hold (a shift or
    /// a day off): patterns that disagree are held at zero, and pricing
    /// keeps to them.
    pins: Vec<Vec<(usize, Option<usize>)>>,

    /// The master's row duals, and its value at them (none before the
    /// first master).
    duals: Vec<f64>,
    value: Option<f64>,
    /// The master's pattern values at its last solve.
    lambda: Vec<f64>,
    /// The duals with the best Lagrangian bound so far, and that bound:
    /// the stabilisation centre (`None` when not smoothing, or none yet).
    centre: Option<(Vec<f64>, f64)>,
    /// Whether rounds smooth the duals (the root generation only: a dive's
    /// pins change the problem, and its bounds with it).
    smooth: bool,
    /// The master LP kept between rounds, so that HiGHS starts each solve
    /// from the last basis (new patterns come in as new columns).
    lp: Option<Lp>,
    /// Per employee, the limits their pricing carries (see [`Tracked`]).
    tracked: Vec<Tracked>,
    rounds: usize,
    /// Simplex iterations and nodes so far (see [`Generated`]).
    iterations: i64,
    nodes: i64,
}

impl<'a> Generation<'a> {
    /// No patterns yet, nothing pinned, smoothing on.
    fn new(p: &'a Problem) -> Self {
        let n = p.employees.len();
        Generation {
            p,
            patterns: Vec::new(),
            pins: vec![Vec::new(); n],
            duals: vec![0.0; p.cover.len() + n],
            value: None,
            lambda: Vec::new(),
            centre: None,
            smooth: true,
            tracked: vec![Tracked::default(); n],
            lp: None,
            rounds: 0,
            iterations: 0,
            nodes: 0,
        }
    }

    /// Adds employee `e`'s pattern `days`, of its own cost `cost`
    /// ([`own_cost`]), unless the master has it already.
    fn add(&mut self, e: usize, days: Vec<Option<usize>>, cost: f64) -> bool {
        if self
            .patterns
            .iter()
            .any(|q| q.employee == e && q.days == days)
        {
            return false;
        }
        self.patterns.push(Pattern {
            employee: e,
            days,
            cost,
        });
        true
    }

    /// Adds every row of `a` as its employee's pattern (those the master
    /// has already aside).
    fn add_rows(&mut self, a: &Assignment) {
        for (e, row) in a.0.iter().enumerate() {
            self.add(e, row.clone(), own_cost(self.p, e, row));
        }
    }

    /// Whether pattern `j` keeps its employee's pins.
    fn open(&self, j: usize) -> bool {
        let q = &self.patterns[j];
        self.pins[q.employee].iter().all(|&(d, o)| q.days[d] == o)
    }

    /// One round: price every employee (in parallel; each
    /// pricing is exact and deterministic), add the patterns that price
    /// out, solve the master LP. Returns the patterns added and, when every
    /// pricing was exact, the Lagrangian bound at the duals priced; `None`
    /// when the master could not be solved.
    fn round(&mut self, deadline: Instant, opts: &RosterOptions) -> Option<(usize, Option<f64>)> {
        let smoothed = match (&self.centre, self.smooth && self.value.is_some()) {
            (Some((centre, _)), true) => Some(
                centre
                    .iter()
                    .zip(&self.duals)
                    .map(|(c, d)| SMOOTHING * c + (1.0 - SMOOTHING) * d)
                    .collect::<Vec<f64>>(),
            ),
            _ => None,
        };
        let was_smoothed = smoothed.is_some();
        let mut at = smoothed.unwrap_or_else(|| self.duals.clone());
        let mut priced = self.price(&at, deadline);
        if was_smoothed && priced.found == 0 {
            // Mispriced: nothing at the smoothed duals prices out at the
            // master's own; price at those (the convergence test).
            if let Some(b) = priced.bound {
                self.recentre(at, b);
            }
            at = self.duals.clone();
            priced = self.price(&at, deadline);
        }
        if let (Some(b), true) = (priced.bound, self.smooth) {
            self.recentre(at, b);
        }
        let found = priced.found;
        self.rounds += 1;
        let bound = priced.bound.filter(|_| self.value.is_some());
        if found > 0 || self.value.is_none() {
            let (value, duals, lambda) = self.solve_lp(deadline, opts)?;
            self.duals = duals;
            self.value = Some(value);
            self.lambda = lambda;
        }
        Some((found, bound))
    }

    /// Keeps `duals` as the centre if their bound `b` is the best so far.
    fn recentre(&mut self, duals: Vec<f64>, b: f64) {
        if self.centre.as_ref().is_none_or(|(_, old)| b > *old) {
            self.centre = Some((duals, b));
        }
    }

    /// Prices every employee at `duals` (in parallel; each pricing is
    /// exact and deterministic) and adds the patterns whose reduced cost
    /// at the master's own duals is negative (before the first master,
    /// every employee's best, so that each has one). The Lagrangian bound
    /// at `duals` when every pricing was exact.
    fn price(&mut self, duals: &[f64], deadline: Instant) -> Priced {
        use rayon::prelude::*;
        let p = self.p;
        let pins = &self.pins;
        let tracked = &self.tracked;
        let results: Vec<_> = (0..p.employees.len())
            .into_par_iter()
            .map(|e| {
                let mut t = tracked[e];
                let r = price_tracking(p, e, &pins[e], duals, deadline, &mut t);
                (e, t, r)
            })
            .collect();
        // The Lagrangian bound at the cover rows' duals: what the cover
        // rows price, plus each employee's cheapest pattern at those
        // prices (their pricing's value, before their own row's dual). It
        // needs no optimality of the master, nor its bounds' duals (the
        // duals priced stay within the shortfall and surplus prices).
        let mut lagrange: f64 = p
            .cover
            .iter()
            .zip(duals)
            .map(|(c, y)| f64::from(c.requirement) * y)
            .sum();
        let mut exact = true;
        let mut found = 0;
        for (e, t, r) in results {
            self.tracked[e] = t;
            match r {
                Some((days, reduced, others)) => {
                    lagrange += reduced + duals[p.cover.len() + e];
                    let first = self.value.is_none();
                    for (k, days) in std::iter::once(days).chain(others).enumerate() {
                        let cost = own_cost(p, e, &days);
                        let own = cost
                            - cover_rows_of(p, e, &days)
                                .into_iter()
                                .map(|i| self.duals[i])
                                .sum::<f64>()
                            - self.duals[p.cover.len() + e];
                        if (own < -1e-6 || (first && k == 0)) && self.add(e, days, cost) {
                            found += 1;
                        }
                    }
                }
                None => exact = false,
            }
        }
        Priced {
            found,
            bound: exact.then_some(lagrange),
        }
    }

    /// Rounds until no pattern prices out (true), `deadline`,
    /// `max_rounds`, the master's value is `enough`, or the master fails;
    /// the best Lagrangian bound met on the way.
    fn converge(
        &mut self,
        deadline: Instant,
        max_rounds: usize,
        enough: f64,
        opts: &RosterOptions,
    ) -> (bool, Option<f64>) {
        let mut bound: Option<f64> = None;
        let last = self.rounds + max_rounds;
        while Instant::now() < deadline && self.rounds < last {
            let Some((found, b)) = self.round(deadline, opts) else {
                break;
            };
            if let Some(b) = b {
                bound = Some(bound.map_or(b, |old| old.max(b)));
            }
            crate::progress::note(format!(
                "column generation: round {}, {} patterns, LP {:.2}",
                self.rounds,
                self.patterns.len(),
                self.value.unwrap_or(f64::NAN)
            ));
            if found == 0 && b.is_some() {
                return (true, bound);
            }
            if self.value.is_some_and(|v| v <= enough) {
                break;
            }
        }
        (false, bound)
    }

    /// The master LP over the patterns found, those not [`Self::open`]
    /// held at zero: its value, row duals and pattern values; `None` when
    /// HiGHS does not solve it to optimality by `deadline`.
    fn solve_lp(
        &mut self,
        deadline: Instant,
        opts: &RosterOptions,
    ) -> Option<(f64, Vec<f64>, Vec<f64>)> {
        let p = self.p;
        let mut lp = self.lp.take().unwrap_or_else(|| Lp::new(p, opts));
        let mut held = false;
        for j in 0..self.patterns.len() {
            let open = self.open(j);
            let upper = if open { 1.0 } else { 0.0 };
            if j < lp.cols.len() {
                if lp.open[j] != open {
                    lp.model.change_column_bounds(lp.cols[j], 0.0..=upper);
                    lp.open[j] = open;
                    held = true;
                }
                continue;
            }
            let q = &self.patterns[j];
            let mut factors: Vec<_> = cover_rows_of(p, q.employee, &q.days)
                .into_iter()
                .map(|i| (lp.cover_rows[i], 1.0))
                .collect();
            factors.push((lp.one_each[q.employee], 1.0));
            lp.cols
                .push(lp.model.try_add_column(q.cost, 0.0..=upper, factors).ok()?);
            lp.open.push(open);
        }
        // Primal simplex after new patterns (they leave the last basis
        // primal feasible), dual after holds (bounds that change leave it
        // dual feasible).
        lp.model
            .set_option("simplex_strategy", if held { 1 } else { 4 });
        // HiGHS's run clock adds up over the runs of one model: its limit
        // is the time spent so far (ours, measured around each run, a
        // little over its own) plus what is left.
        let left = deadline.saturating_duration_since(Instant::now());
        lp.model
            .set_option("time_limit", (lp.spent + left).as_secs_f64().max(0.01));
        let Lp {
            model,
            cover_rows,
            one_each,
            cols,
            open,
            mut spent,
        } = lp;
        let started = Instant::now();
        let solved = model.try_solve().ok()?;
        spent += started.elapsed();
        self.iterations += solved.simplex_iteration_count().max(0);
        let optimal = solved.status() == HighsModelStatus::Optimal;
        let result = optimal.then(|| {
            let sol = solved.get_solution();
            (
                solved.objective_value(),
                sol.dual_rows().to_vec(),
                sol.columns()[2 * p.cover.len()..].to_vec(),
            )
        });
        self.lp = Some(Lp {
            model: solved.into(),
            cover_rows,
            one_each,
            cols,
            open,
            spent,
        });
        result
    }

    /// The patterns found as a MIP (all open), started from `start`: the
    /// best roster HiGHS finds by `deadline`.
    fn mip(
        &mut self,
        start: Option<&Assignment>,
        deadline: Instant,
        opts: &RosterOptions,
    ) -> Option<Assignment> {
        let p = self.p;
        // The start's rows as patterns: those the last few were given
        // exactly (`lns::resolve`) are none of the generation's, and a
        // start with a row HiGHS has no column for is one it cannot take
        // (Instance 15: 8 of its 45 employees so, and a MIP that searched
        // from nothing to 17,218 against a start of 4,665).
        if let Some(a) = start {
            self.add_rows(a);
        }
        let (lambda, iterations, nodes) = patterns_mip(p, &self.patterns, start, deadline, opts);
        self.iterations += iterations;
        self.nodes += nodes;
        let lambda = lambda?;
        let mut a = Assignment(vec![vec![None; p.days]; p.employees.len()]);
        for (q, l) in self.patterns.iter().zip(lambda) {
            if l > 0.5 {
                a.0[q.employee] = q.days.clone();
            }
        }
        Some(a)
    }

    /// Holds employee `e` to pattern `j`.
    fn hold(&mut self, e: usize, j: usize) {
        self.pins[e] = self.patterns[j].days.iter().copied().enumerate().collect();
    }

    /// After pins change: a round that lets every employee in again (by
    /// `hard`), then generation until `deadline`, DIVE_ROUNDS_MAX rounds
    /// or the master's value is `enough` (the dive needs a master no
    /// dearer than that, not a converged one). False when the master
    /// failed.
    fn settle(
        &mut self,
        deadline: Instant,
        hard: Instant,
        enough: f64,
        opts: &RosterOptions,
    ) -> bool {
        self.value = None;
        if self.round(hard, opts).is_none() {
            return false;
        }
        if self.value.is_some_and(|v| v > enough) {
            self.converge(deadline, DIVE_ROUNDS_MAX, enough, opts);
        }
        self.value.is_some()
    }

    /// Each employee's most-taken pattern at the last master: the roster
    /// the master's solution is, when it is whole.
    fn roster(&self) -> Assignment {
        let mut a = Assignment(vec![vec![None; self.p.days]; self.p.employees.len()]);
        let mut best = vec![0.0; self.p.employees.len()];
        for (q, &l) in self.patterns.iter().zip(&self.lambda) {
            if l > best[q.employee] {
                best[q.employee] = l;
                a.0[q.employee] = q.days.clone();
            }
        }
        a
    }
}

/// Generates patterns from `seeds` (rosters already known, whose patterns
/// start the master) until none prices out or `deadline`; then dives —
/// holds employees to the pattern the LP takes most, generates again, and
/// so on until the LP's solution is a roster — until `dive_deadline`; then
/// solves all the patterns found as a MIP, started from the best roster so
/// far, until `mip_deadline` — unless that roster already meets the bound
/// (`step`: the objective's whole-number step, if it has one).
pub fn generate(
    p: &Problem,
    seeds: &[&Assignment],
    step: Option<f64>,
    deadline: Instant,
    dive_deadline: Instant,
    mip_deadline: Instant,
    opts: &RosterOptions,
) -> Generated {
    let n = p.employees.len();
    let mut g = Generation::new(p);
    for a in seeds {
        g.add_rows(a);
    }
    let root = Instant::now();
    let (converged, bound) = g.converge(deadline, usize::MAX, f64::NEG_INFINITY, opts);
    g.smooth = false;
    // What a round of generation takes here, on average.
    let per_round = root.elapsed() / g.rounds.max(1) as u32;
    // A converged master is itself a bound.
    let bound = match (converged, g.value, bound) {
        (true, Some(v), b) => Some(b.map_or(v, |b| b.max(v))),
        (_, _, b) => b,
    };
    // Dive: hold employees to the patterns the master takes most, one at
    // a time while time allows (trying the next when one costs more than
    // DIVE_SLACK, and keeping the cheapest tried when all do), generating
    // again after each, until the master's solution is a roster or only
    // the last few (DIVE_LAST) are left.
    let mut dived = None;
    let dive_started = Instant::now();
    let mut stepped = 0;
    if g.value.is_some() {
        while Instant::now() < dive_deadline {
            // Each employee not yet held: their most-taken open pattern.
            let mut most: Vec<(usize, usize, f64)> = (0..n)
                .filter(|&e| g.pins[e].len() < p.days)
                .filter_map(|e| {
                    (0..g.patterns.len())
                        .filter(|&j| g.patterns[j].employee == e && g.open(j))
                        .map(|j| (e, j, g.lambda.get(j).copied().unwrap_or(0.0)))
                        .max_by(|a, b| a.2.total_cmp(&b.2))
                })
                .collect();
            if most.is_empty() {
                dived = Some(g.roster());
                break;
            }
            if most.len() <= DIVE_LAST.min(n / DIVE_LAST_SHARE) {
                // The last few: completed exactly below.
                break;
            }
            let whole: Vec<_> = most.iter().filter(|m| m.2 > 1.0 - 1e-6).copied().collect();
            if !whole.is_empty() {
                // Taken whole already: holding them leaves the master as it is.
                for (e, j, _) in whole {
                    g.hold(e, j);
                }
                continue;
            }
            let left = dive_deadline.saturating_duration_since(Instant::now());
            // The steps the time left affords, at the pace of the steps
            // so far (DIVE_ROUNDS rounds each, at the root's pace, for the
            // first few).
            let pace = if stepped >= DIVE_PACE_AFTER {
                dive_started.elapsed().as_secs_f64() / stepped as f64
            } else {
                per_round.as_secs_f64() * DIVE_ROUNDS as f64
            };
            // Under a work budget, no pace: one employee per step.
            let steps = match opts.work_limit {
                None => (left.as_secs_f64() / pace.max(1e-3)).floor().max(1.0) as usize,
                Some(_) => most.len(),
            };
            most.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
            let k = most.len().div_ceil(steps);
            stepped += 1;
            let before = g.value.unwrap_or(f64::INFINITY);
            let enough = before + DIVE_SLACK.max(before.abs() * 1e-3);
            let step_end = |now: Instant| (now + left / steps as u32).min(dive_deadline);
            if k > 1 {
                // Short of time: as many as the time left needs, untried.
                for &(e, j, _) in most.iter().take(k) {
                    g.hold(e, j);
                }
                if !g.settle(step_end(Instant::now()), dive_deadline, enough, opts) {
                    break;
                }
                continue;
            }
            let mut tried: Vec<(f64, usize, usize)> = Vec::new();
            let mut settled = false;
            for &(e, j, _) in most.iter().take(1 + DIVE_TRIES) {
                g.hold(e, j);
                if !g.settle(step_end(Instant::now()), dive_deadline, enough, opts) {
                    break;
                }
                let after = g.value.unwrap_or(f64::INFINITY);
                if after <= enough {
                    settled = true;
                    break;
                }
                tried.push((after, e, j));
                g.pins[e].clear();
            }
            if !settled {
                let Some(&(_, e, j)) = tried.iter().min_by(|a, b| a.0.total_cmp(&b.0)) else {
                    break;
                };
                g.hold(e, j);
                if !g.settle(step_end(Instant::now()), dive_deadline, enough, opts) {
                    break;
                }
            }
        }
    }
    // The employees the dive did not hold (out of time, or the last few,
    // where holding one at a time grows dear): the roster they complete,
    // solved exactly (the full model, the held ones fixed) by half the
    // time between the dive's and the MIP's deadlines. If that finds
    // nothing, each one's most-taken pattern at the last master.
    if dived.is_none() && !g.lambda.is_empty() {
        let most = g.roster();
        let free: Vec<Vec<bool>> = g
            .pins
            .iter()
            .map(|pins| vec![pins.len() < p.days; p.days])
            .collect();
        let end = dive_deadline.max(Instant::now())
            + mip_deadline.saturating_duration_since(dive_deadline) / 2;
        let part_opts = RosterOptions {
            time_limit_s: end
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                .max(0.01),
            work_limit: opts.work_limit.map(pattern_nodes),
            gap: 0.0,
            ..opts.clone()
        };
        let (completed, nodes) = super::lns::resolve(
            p,
            &most,
            &free,
            false,
            super::lns::Start::FromNothing,
            0.0,
            &part_opts,
        );
        g.nodes += nodes as i64;
        dived = best_of(p, [completed, Some(most)]);
    }
    let start = best_of(p, [dived, seeds.first().map(|&a| a.clone())]);
    let at_bound = start
        .as_ref()
        .zip(bound)
        .is_some_and(|(a, b)| super::meets_bound(step, objective(p, a).total, b));
    let assignment = if at_bound {
        start
    } else {
        let from_mip = g.mip(start.as_ref(), mip_deadline, opts);
        best_of(p, [from_mip, start])
    };
    Generated {
        assignment,
        bound,
        converged,
        patterns: g.patterns.len(),
        rounds: g.rounds,
        simplex_iterations: g.iterations,
        nodes: g.nodes,
    }
}

/// The master LP as HiGHS holds it: the cover rows (each with its
/// shortfall and surplus columns first), one row per employee, and a
/// column per pattern with whether it is open.
struct Lp {
    model: Model,
    cover_rows: Vec<highs::Row>,
    one_each: Vec<highs::Row>,
    cols: Vec<highs::Col>,
    open: Vec<bool>,
    /// Time spent in HiGHS's runs of this model.
    spent: std::time::Duration,
}

/// The master's rows on `pb`: one per cover row, each with its shortfall
/// and surplus columns (in that order, cover row by cover row — the first
/// columns), and one per employee (a pattern each).
fn master_rows(p: &Problem, pb: &mut ColProblem) -> (Vec<highs::Row>, Vec<highs::Row>) {
    let cover_rows: Vec<_> = p
        .cover
        .iter()
        .map(|c| {
            let r = f64::from(c.requirement);
            pb.add_row(r..=r)
        })
        .collect();
    let one_each: Vec<_> = (0..p.employees.len())
        .map(|_| pb.add_row(1.0..=1.0))
        .collect();
    for (i, c) in p.cover.iter().enumerate() {
        pb.add_column(c.under_weight.unwrap_or(0.0), 0.0.., [(cover_rows[i], 1.0)]);
        pb.add_column(c.over_weight.unwrap_or(0.0), 0.0.., [(cover_rows[i], -1.0)]);
    }
    (cover_rows, one_each)
}

impl Lp {
    fn new(p: &Problem, opts: &RosterOptions) -> Lp {
        let mut pb = ColProblem::new();
        let (cover_rows, one_each) = master_rows(p, &mut pb);
        let mut model = Model::new(pb);
        model.make_quiet();
        model.set_sense(Sense::Minimise);
        model.set_option("threads", opts.threads.max(1) as i32);
        model.set_option("random_seed", opts.seed.min(i32::MAX as u32) as i32);
        Lp {
            model,
            cover_rows,
            one_each,
            cols: Vec::new(),
            open: Vec::new(),
            spent: std::time::Duration::ZERO,
        }
    }
}

/// The cheapest of some rosters.
fn best_of<const N: usize>(p: &Problem, rosters: [Option<Assignment>; N]) -> Option<Assignment> {
    rosters
        .into_iter()
        .flatten()
        .min_by(|a, b| objective(p, a).total.total_cmp(&objective(p, b).total))
}

/// A state of employee's pattern at the end of a day.
#[derive(Clone, Copy, PartialEq, Eq)]
struct State {
    /// The class of the shift worked that day plus one, 0 off: shifts
    /// after which the same shifts cannot follow are one class (a day's
    /// shift matters to the days after only through what may follow it;
    /// the shift itself is the label's).
    last: u8,
    /// Length of the run (working or off) that day ends; off runs are
    /// counted up to the least allowed only.
    run: u16,
    minutes: u32,
    weekends: u16,
    /// Shifts of each kind tracked so far, one per 16-bit lane (the
    /// first slot lowest): a count kept never passes its maximum, below
    /// the horizon's days (a benchmark file's at most 3,660), so a lane
    /// stays below 2^15 and never carries into the next.
    counts: u128,
}

/// Hashed as three words, not field by field (the pricing hashes every
/// state it reaches, a good share of its time): the shift's class, the
/// run, the weekends and the minutes (below 2^24: ten years of whole
/// days; more only hashes worse) in one, the counts in two.
impl std::hash::Hash for State {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(
            u64::from(self.last)
                | u64::from(self.run) << 8
                | u64::from(self.weekends) << 24
                | u64::from(self.minutes) << 40,
        );
        h.write_u128(self.counts);
    }
}

struct Label {
    state: State,
    /// The shift worked that day plus one; 0 off.
    shift: u8,
    cost: f64,
    parent: u32,
}

/// Which of an employee's counted limits the pricing program carries in
/// its states: bit `k` the `k`-th counted shift kind, bit [`WEEKENDS`]
/// the weekends. Limits left out are relaxed; where the program's best
/// pattern breaks one, it goes in and the program runs again (state-space
/// relaxation, made exact by that check), so a limit that never binds at
/// the duals never multiplies the states. Kept per employee between
/// rounds: what bound once tends to bind again.
#[derive(Clone, Copy, Default)]
struct Tracked(u64);

impl Tracked {
    fn has(self, bit: usize) -> bool {
        self.0 & (1 << bit) != 0
    }
}

/// The cheapest pattern for employee `e` at the master's duals, with the
/// days of `pins` held, and its reduced cost; `None` when the employee
/// has no such pattern that keeps their rules, the program grows too
/// large (more than [`COUNTED`] kinds to carry, or [`MAX_LABELS`]
/// states), or `deadline` passes. Carries in the states only the limits
/// `tracked` names, adding to it those the best pattern breaks, until the
/// best pattern keeps them all.
fn price_tracking(
    p: &Problem,
    e: usize,
    pins: &[(usize, Option<usize>)],
    duals: &[f64],
    deadline: Instant,
    tracked: &mut Tracked,
) -> Option<Offer> {
    loop {
        let (pattern, reduced, others) = price_relaxed(p, e, pins, duals, deadline, *tracked)?;
        let broken = broken_limits(p, e, &pattern);
        if broken.0 & !tracked.0 == 0 {
            let others = others
                .into_iter()
                .filter(|o| broken_limits(p, e, o).0 == 0)
                .collect();
            return Some((pattern, reduced, others));
        }
        tracked.0 |= broken.0;
    }
}

/// The counted limits (as [`Tracked`] bits) `days` breaks for employee
/// `e`: shifts of a kind over its most, weekends over the most.
fn broken_limits(p: &Problem, e: usize, days: &[Option<usize>]) -> Tracked {
    let emp = &p.employees[e];
    let mut broken = Tracked::default();
    for (k, &s) in counted(p, emp).iter().enumerate().take(WEEKENDS) {
        let n = days.iter().filter(|&&o| o == Some(s)).count() as u32;
        if emp.max_shifts[s].is_some_and(|m| n > m) {
            broken.0 |= 1 << k;
        }
    }
    if let Some(max) = emp.max_weekends {
        if super::weekends_worked(days) > max {
            broken.0 |= 1 << WEEKENDS;
        }
    }
    broken
}

/// The pricing program with the limits not in `tracked` relaxed, the
/// days of `pins` (a dive's, beside the employee's own) held.
fn price_relaxed(
    p: &Problem,
    e: usize,
    pins: &[(usize, Option<usize>)],
    duals: &[f64],
    deadline: Instant,
    tracked: Tracked,
) -> Option<Offer> {
    let emp = &p.employees[e];
    let days = p.days;
    // The kinds tracked, each in a slot of the states' counts.
    let kinds = counted(p, emp);
    if kinds.len() > WEEKENDS {
        return None;
    }
    let mut slots = vec![None; p.shifts.len()];
    let mut used = 0;
    for (k, &s) in kinds.iter().enumerate() {
        if tracked.has(k) {
            if used == COUNTED {
                return None;
            }
            slots[s] = Some(used);
            used += 1;
        }
    }
    let slot = |s: usize| slots[s];
    let weekends_tracked = emp.max_weekends.is_some() && tracked.has(WEEKENDS);
    let off_cap = emp.min_consecutive_off.max(1) as u16;
    let (class, barred) = classes(p);
    // Each day's options and what each costs: wages, requests not granted,
    // less the duals of the cover rows it counts in.
    let options: Vec<Vec<(Option<usize>, f64)>> = (0..days)
        .map(|d| {
            let pinned = emp
                .pinned
                .iter()
                .chain(pins)
                .find(|(pd, _)| *pd == d)
                .map(|(_, s)| *s);
            let mut opts: Vec<Option<usize>> = vec![None];
            opts.extend(emp.allowed[d].iter().map(|a| Some(a.shift)));
            opts.into_iter()
                .filter(|o| pinned.is_none_or(|ps| ps == *o))
                .map(|o| {
                    let mut cost = o
                        .and_then(|s| emp.allowed[d].iter().find(|a| a.shift == s))
                        .map_or(0.0, |a| a.cost);
                    for (list, on) in [(&emp.on_requests, true), (&emp.off_requests, false)] {
                        cost += list
                            .iter()
                            .filter(|r| r.day == d && !r.granted(o, on))
                            .map(|r| r.weight)
                            .sum::<f64>();
                    }
                    if let Some(s) = o {
                        cost -= p
                            .cover
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| {
                                c.day == d && c.shift == s && c.group.is_none_or(|g| emp.group == g)
                            })
                            .map(|(i, _)| duals[i])
                            .sum::<f64>();
                    }
                    (o, cost)
                })
                .collect()
        })
        .collect();
    let most: Vec<Option<u32>> = options
        .iter()
        .map(|day| {
            day.iter()
                .filter_map(|(o, _)| o.map(|s| p.shifts[s].minutes))
                .max()
        })
        .collect();
    let reach = reachable(emp, &most);
    // Day by day, the cheapest way into each state.
    let start = State {
        last: 0,
        run: 0,
        minutes: 0,
        weekends: 0,
        counts: 0,
    };
    let mut layers: Vec<Vec<Label>> = Vec::with_capacity(days);
    let mut held = 0;
    let mut prev = vec![Label {
        state: start,
        shift: 0,
        cost: 0.0,
        parent: 0,
    }];
    for (d, today) in options.iter().enumerate() {
        if Instant::now() >= deadline {
            return None;
        }
        let mut next: Vec<Label> = Vec::with_capacity(prev.len() * 2);
        let mut index: FxHashMap<State, usize> =
            FxHashMap::with_capacity_and_hasher(prev.len() * 2, Default::default());
        for (pi, l) in prev.iter().enumerate() {
            let st = l.state;
            let worked = st.last > 0;
            for &(o, cost) in today {
                let mut ns = st;
                let mut step = cost;
                let worked_today = o.map_or(0, |s| s as u8 + 1);
                // A weekend worked on one of its days only.
                if d % 7 == 6 && d >= 1 && worked != o.is_some() {
                    step += emp.half_weekend_price;
                }
                match o {
                    None => {
                        // A working run ends: too short inside the horizon?
                        if worked && (d as u16) > st.run && u32::from(st.run) < emp.min_consecutive
                        {
                            continue;
                        }
                        ns.last = 0;
                        ns.run = if worked { 1 } else { (st.run + 1).min(off_cap) };
                    }
                    Some(s) => {
                        if worked && barred[usize::from(st.last - 1)][s] {
                            continue;
                        }
                        if !worked && st.run < off_cap && (d as u16) > st.run {
                            // An off run inside the horizon, too short.
                            if u32::from(st.run) < emp.min_consecutive_off {
                                continue;
                            }
                        }
                        ns.last = class[s] + 1;
                        ns.run = if worked { st.run + 1 } else { 1 };
                        if emp.max_consecutive.is_some_and(|m| u32::from(ns.run) > m) {
                            continue;
                        }
                        ns.minutes += p.shifts[s].minutes;
                        if ns.minutes > emp.max_minutes {
                            continue;
                        }
                        if let Some(k) = slot(s) {
                            ns.counts += 1 << (16 * k);
                            let count = (ns.counts >> (16 * k)) as u16;
                            if emp.max_shifts[s].is_some_and(|m| u32::from(count) > m) {
                                continue;
                            }
                        }
                        let weekend = d % 7 == 5 || (d % 7 == 6 && !(worked && d >= 1));
                        if weekends_tracked && weekend {
                            ns.weekends += 1;
                            if emp.max_weekends.is_some_and(|m| u32::from(ns.weekends) > m) {
                                continue;
                            }
                        }
                    }
                }
                // Minutes still reachable.
                if ns.minutes + reach[d + 1] < emp.min_minutes {
                    continue;
                }
                let c = l.cost + step;
                match index.get(&ns) {
                    Some(&i) => {
                        if c < next[i].cost - 1e-9 {
                            next[i].cost = c;
                            next[i].shift = worked_today;
                            next[i].parent = pi as u32;
                        }
                    }
                    None => {
                        index.insert(ns, next.len());
                        next.push(Label {
                            state: ns,
                            shift: worked_today,
                            cost: c,
                            parent: pi as u32,
                        });
                    }
                }
            }
        }
        if weekends_tracked || used > 0 {
            next = undominated(next);
        }
        held += next.len();
        if next.is_empty() || held > MAX_LABELS {
            return None;
        }
        layers.push(std::mem::replace(&mut prev, next));
    }
    layers.push(prev);
    // The cheapest ends that keep the minimum; each back to day 0.
    let last = &layers[days];
    let mut ends: Vec<(usize, f64)> = last
        .iter()
        .enumerate()
        .filter(|(_, l)| l.state.minutes >= emp.min_minutes)
        .map(|(i, l)| (i, l.cost))
        .collect();
    ends.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let own = duals[p.cover.len() + e];
    let back = |mut at: usize| {
        let mut pattern = vec![None; days];
        for d in (0..days).rev() {
            let l = &layers[d + 1][at];
            pattern[d] = (l.shift > 0).then(|| usize::from(l.shift - 1));
            at = l.parent as usize;
        }
        pattern
    };
    let &(best, cost) = ends.first()?;
    let others = ends[1..]
        .iter()
        .take(EXTRA_PATTERNS)
        .take_while(|(_, c)| c - own < -1e-6)
        .map(|&(i, _)| back(i))
        .collect();
    Some((back(best), cost - own, others))
}

/// The shifts' classes (see [`State::last`]): each shift's, and per
/// class, the shifts that cannot follow one of it.
fn classes(p: &Problem) -> (Vec<u8>, Vec<Vec<bool>>) {
    let mut lists: Vec<Vec<usize>> = Vec::new();
    let class = p
        .shifts
        .iter()
        .map(|sh| {
            let mut list = sh.cannot_follow.clone();
            list.sort_unstable();
            list.dedup();
            let k = lists.iter().position(|l| *l == list).unwrap_or_else(|| {
                lists.push(list);
                lists.len() - 1
            });
            k as u8
        })
        .collect();
    let barred = lists
        .iter()
        .map(|list| (0..p.shifts.len()).map(|s| list.contains(&s)).collect())
        .collect();
    (class, barred)
}

/// The labels of a day that no other dominates: one with the same class
/// of shift, run and minutes, no dearer, and no more shifts of any kind
/// counted nor weekends (limits that only cap, so fewer never keeps a
/// pattern from the rules). The labels kept stay in the order they came, so that ties
/// between equally cheap patterns break as they did without the cut.
fn undominated(labels: Vec<Label>) -> Vec<Label> {
    // Sorted by the shift's class, run and minutes (one word), then cost,
    // then the order they came (so the order is the stable sort's); with the
    // weekends and the counts, for the dominance test below without going
    // back to the labels.
    let mut order: Vec<(u64, f64, u32, u16, u128)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let st = &l.state;
            let key = u64::from(st.last) << 48 | u64::from(st.run) << 32 | u64::from(st.minutes);
            (key, l.cost, i as u32, st.weekends, st.counts)
        })
        .collect();
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut keep = vec![false; labels.len()];
    // The kept labels of the current key: their weekends and counts.
    let mut group: Vec<(u16, u128)> = Vec::new();
    let mut key = None;
    for &(k, _, i, weekends, counts) in &order {
        if key != Some(k) {
            group.clear();
            key = Some(k);
        }
        let dominated = group
            .iter()
            .any(|&(w, c)| w <= weekends && lanes_at_most(c, counts));
        if !dominated {
            keep[i as usize] = true;
            group.push((weekends, counts));
        }
    }
    labels
        .into_iter()
        .zip(keep)
        .filter_map(|(l, k)| k.then_some(l))
        .collect()
}

/// Whether every 16-bit lane of `a` is at most the same lane of `b`, the
/// lanes below 2^15 (counts of shifts): each lane of `b` with its top bit
/// set, less `a`'s, keeps that bit exactly where `a`'s lane is no more,
/// and never borrows from the lane above.
fn lanes_at_most(a: u128, b: u128) -> bool {
    const TOP: u128 = 0x8000_8000_8000_8000_8000_8000_8000_8000;
    ((b | TOP) - a) & TOP == TOP
}

/// Per day `d`, the most minutes the employee could still work from day
/// `d` to the end (`d` = the horizon's length: none), under the days they
/// may work (`most`: the longest shift they may work that day, `None`
/// where they may not) and their runs —
/// at most their longest run of working days, then at least their least
/// run of days off — from whichever state day `d` starts in: a bound, as
/// each day counts its longest shift and every other rule is left out.
/// It prunes the states that can no longer reach the minimum, so that an
/// employee whose minimum is close to all they can work (Instance 22) has
/// few states a day.
pub(super) fn reachable(emp: &super::Employee, most: &[Option<u32>]) -> Vec<u32> {
    let days = most.len();
    let c = (emp.max_consecutive.unwrap_or(u32::MAX) as usize).clamp(1, days.max(1));
    let o = emp.min_consecutive_off.max(1) as usize;
    // States: working run k (index k − 1, k = 1..=c), days-off run j
    // (index c + j − 1, j = 1..=o, o meaning o or more).
    let states = c + o;
    let mut next = vec![0u32; states];
    let mut reach = vec![0u32; days + 1];
    for d in (0..days).rev() {
        let mut here = vec![0u32; states];
        for (st, value) in here.iter_mut().enumerate() {
            let off = if st < c {
                next[c]
            } else {
                next[(st + 1).min(states - 1)]
            };
            let work = most[d].and_then(|m| {
                if st + 1 < c {
                    Some(m + next[st + 1])
                } else if st == states - 1 {
                    Some(m + next[0])
                } else {
                    None
                }
            });
            *value = work.map_or(off, |w| w.max(off));
        }
        reach[d] = here.iter().copied().max().unwrap_or(0);
        next = here;
    }
    reach
}

/// Under a work budget of `w`, the nodes the patterns' MIP may explore,
/// and the dive's last part: a quarter each.
fn pattern_nodes(w: u64) -> u64 {
    (w / 4).max(1)
}

/// The master over `patterns` as a MIP, started from `start`'s patterns
/// where given: the patterns' values in the best solution HiGHS finds by
/// `deadline`, and the simplex iterations and nodes that took.
fn patterns_mip(
    p: &Problem,
    patterns: &[Pattern],
    start: Option<&Assignment>,
    deadline: Instant,
    opts: &RosterOptions,
) -> (Option<Vec<f64>>, i64, i64) {
    let n = p.employees.len();
    let mut pb = ColProblem::new();
    let (cover_rows, one_each) = master_rows(p, &mut pb);
    let mut values = Vec::new();
    for c in &p.cover {
        if let Some(a) = start {
            let worked = (0..n)
                .filter(|&e| {
                    c.group.is_none_or(|g| p.employees[e].group == g)
                        && a.0[e][c.day] == Some(c.shift)
                })
                .count() as f64;
            let r = f64::from(c.requirement);
            values.push((r - worked).max(0.0));
            values.push((worked - r).max(0.0));
        }
    }
    for q in patterns {
        let mut factors: Vec<_> = cover_rows_of(p, q.employee, &q.days)
            .into_iter()
            .map(|i| (cover_rows[i], 1.0))
            .collect();
        factors.push((one_each[q.employee], 1.0));
        pb.add_column_with_integrality(q.cost, 0.0..=1.0, factors, true);
        if let Some(a) = start {
            values.push(if a.0[q.employee] == q.days { 1.0 } else { 0.0 });
        }
    }
    let mut model = Model::new(pb);
    model.make_quiet();
    model.set_sense(Sense::Minimise);
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    model.set_option("time_limit", left.max(0.01));
    if let Some(w) = opts.work_limit {
        model.set_option(
            "mip_max_nodes",
            pattern_nodes(w).min(i32::MAX as u64) as i32,
        );
    }
    model.set_option("threads", opts.threads.max(1) as i32);
    model.set_option("random_seed", opts.seed.min(i32::MAX as u32) as i32);
    model.set_option("mip_rel_gap", opts.gap);
    if start.is_some() {
        // A start HiGHS cannot take is only a lost hint.
        let _ = model.try_set_solution(Some(&values), None, None, None);
    }
    let Ok(solved) = model.try_solve() else {
        return (None, 0, 0);
    };
    let iterations = crate::plan::solve::int64_info(&solved, c"mip_total_lp_iterations")
        .unwrap_or(0)
        .max(0);
    let nodes = crate::plan::solve::int64_info(&solved, c"mip_node_count")
        .unwrap_or(0)
        .max(0);
    let values = (solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible)
        .then(|| solved.get_solution().columns()[2 * p.cover.len()..].to_vec());
    (values, iterations, nodes)
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::super::{model, testing};
    use super::*;

    proptest::proptest! {
        /// The dominance test on counts packed one per 16-bit lane (as a
        /// pricing state holds them) says what the counts say, lane by
        /// lane (counts below 2^15; small ones, so that equal lanes come
        /// often).
        #[test]
        fn packed_counts_compare_lane_by_lane(
            a in proptest::array::uniform8(0u16..4),
            b in proptest::array::uniform8(0u16..4),
            big in proptest::array::uniform8(0u16..0x8000),
            lane in 0usize..COUNTED,
        ) {
            let naive = |a: &[u16; COUNTED], b: &[u16; COUNTED]| a.iter().zip(b).all(|(x, y)| x <= y);
            let packed = |c: &[u16; COUNTED]| c.iter().rev().fold(0u128, |acc, &x| acc << 16 | u128::from(x));
            proptest::prop_assert_eq!(lanes_at_most(packed(&a), packed(&b)), naive(&a, &b));
            let mut c = big;
            c[lane] = c[lane].saturating_add(1).min(0x7fff);
            proptest::prop_assert_eq!(lanes_at_most(packed(&big), packed(&c)), naive(&big, &c));
            proptest::prop_assert_eq!(lanes_at_most(packed(&c), packed(&big)), naive(&c, &big));
        }
    }

    /// Column generation serves a horizon of four weeks however many kinds
    /// of shift are limited (the pricing carries only those that bind),
    /// a longer one only with few kinds that can bind ([`COUNTED`],
    /// [`LIMITED_DAYS`]); a kind the employee is never allowed (the
    /// benchmark's maximum of 0) is not one of them.
    #[test]
    fn generation_serves_many_kinds_limited_over_four_weeks() {
        let mut p = testing::problem(3, 4);
        for k in 0..10 {
            p.shifts.push(crate::roster::Shift {
                id: format!("X{k}"),
                minutes: 480,
                cannot_follow: Vec::new(),
                start_min: None,
            });
        }
        let kinds = p.shifts.len();
        for e in &mut p.employees {
            e.max_shifts.resize(kinds, Some(2));
            for day in e.allowed.iter_mut().filter(|d| !d.is_empty()) {
                day.extend((3..kinds).map(|shift| crate::roster::Allowed {
                    shift,
                    cost: 0.0,
                    timing: None,
                }));
            }
        }
        assert!(counted(&p, &p.employees[0]).len() > COUNTED);
        assert!(serves(&p), "two weeks");
        let mut long = p.clone();
        long.days = 8 * 7;
        for e in &mut long.employees {
            e.allowed = e.allowed.iter().cycle().take(long.days).cloned().collect();
        }
        assert!(!serves(&long), "eight weeks, twelve kinds limited");
        for e in &mut long.employees {
            e.max_shifts[3..].fill(Some(0));
            for day in &mut e.allowed {
                day.retain(|a| a.shift < 3);
            }
        }
        assert!(serves(&long), "the ten kinds never allowed are not counted");
        // Two kinds limited serve over eight weeks, not over a year.
        for e in &mut long.employees {
            e.max_shifts[..3].fill(Some(20));
            e.max_shifts[2] = None;
        }
        assert_eq!(counted(&long, &long.employees[0]).len(), 2);
        assert!(serves(&long), "eight weeks, two kinds limited");
        let mut year = long.clone();
        year.days = 52 * 7;
        for e in &mut year.employees {
            e.allowed = e.allowed.iter().cycle().take(year.days).cloned().collect();
            e.max_shifts[..2].fill(Some(100));
        }
        assert!(!serves(&year), "a year, two kinds limited");
    }

    /// `p` with a shift more: a twin of shift `of` (what cannot follow it
    /// the same, so one class with it, see [`State::last`]) but an hour
    /// longer, allowed where `of` is at a cost drawn, its own maximum.
    fn twinned(mut p: Problem, of: usize, rng: &mut ChaCha8Rng) -> Problem {
        let twin = p.shifts.len();
        let mut shift = p.shifts[of].clone();
        shift.id = format!("{}2", shift.id);
        shift.minutes += 60;
        p.shifts.push(shift);
        for e in &mut p.employees {
            e.max_shifts.push(Some(rng.random_range(1..6)));
            for day in &mut e.allowed {
                if let Some(a) = day.iter().find(|a| a.shift == of).cloned() {
                    day.push(crate::roster::Allowed {
                        shift: twin,
                        cost: rng.random_range(0.0..3.0),
                        ..a
                    });
                }
            }
        }
        p
    }

    /// The pricing program finds what the employee's own MIP (the rules
    /// as [`model::build`] states them, the duals on the shifts' costs)
    /// proves cheapest, whatever the duals, with and without a dive's pins
    /// (and whatever limits it starts out carrying), and where two shifts
    /// are one class; the other patterns it offers price out and keep
    /// every rule too.
    #[test]
    fn pricing_agrees_with_the_mip() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut compared = 0;
        let mut offered = 0;
        for seed in 0..12 {
            let mut p = match seed % 3 {
                0 => testing::problem(seed, 3),
                of => twinned(testing::problem(seed, 3), of as usize, &mut rng),
            };
            // A half-weekend price on every other problem: the program and
            // the MIP count it alike.
            for emp in &mut p.employees {
                emp.half_weekend_price = if seed % 2 == 1 { 25.0 } else { 0.0 };
            }
            assert!(serves(&p));
            let (mut class, _) = classes(&p);
            class.sort_unstable();
            class.dedup();
            assert_eq!(
                class.len(),
                3,
                "seed {seed}: a twin is of its shift's class"
            );
            for e in 0..p.employees.len() {
                let duals: Vec<f64> = (0..p.cover.len() + p.employees.len())
                    .map(|_| rng.random_range(-20.0..60.0))
                    .collect();
                let mut emp = p.employees[e].clone();
                let half = emp.half_weekend_price;
                // Up to two pins a dive might set, on days the employee's
                // own pins leave free.
                let mut pins: Vec<(usize, Option<usize>)> = Vec::new();
                for _ in 0..rng.random_range(0..3) {
                    let d = rng.random_range(0..p.days);
                    if emp.pinned.iter().chain(&pins).any(|(pd, _)| *pd == d) {
                        continue;
                    }
                    let options: Vec<Option<usize>> = std::iter::once(None)
                        .chain(emp.allowed[d].iter().map(|a| Some(a.shift)))
                        .collect();
                    pins.push((d, options[rng.random_range(0..options.len())]));
                }
                emp.pinned.extend(pins.iter().copied());
                let mut tracked = Tracked(
                    rng.random_range(0..1 << COUNTED)
                        | if rng.random_bool(0.5) {
                            1 << WEEKENDS
                        } else {
                            0
                        },
                );
                for (d, day) in emp.allowed.iter_mut().enumerate() {
                    for al in day.iter_mut() {
                        al.cost -= p
                            .cover
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.day == d && c.shift == al.shift)
                            .map(|(i, _)| duals[i])
                            .sum::<f64>();
                    }
                }
                let alone = Problem {
                    employees: vec![emp],
                    cover: Vec::new(),
                    short_minute_price: None,
                    ..p.clone()
                };
                let built = model::build(&alone);
                let opts = RosterOptions {
                    time_limit_s: 60.0,
                    gap: 0.0,
                    ..RosterOptions::default()
                };
                let (stats, values) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
                let by_dp = price_tracking(
                    &p,
                    e,
                    &pins,
                    &duals,
                    Instant::now() + std::time::Duration::from_secs(60),
                    &mut tracked,
                );
                match values {
                    None => assert!(
                        by_dp.is_none(),
                        "seed {seed} e{e}: the MIP finds no pattern"
                    ),
                    Some(v) => {
                        assert_eq!(stats.status, crate::plan::solve::Status::Optimal);
                        let priced = |row: &[Option<usize>]| {
                            objective(&alone, &Assignment(vec![row.to_vec()])).total
                                + half * f64::from(testing::half_weekends(row))
                                - duals[p.cover.len() + e]
                        };
                        let mip = priced(&built.assignment(&alone, &v).0[0]);
                        let (days, reduced, others) = by_dp.expect("the MIP found a pattern");
                        assert!(
                            (reduced - mip).abs() < 1e-6,
                            "seed {seed} e{e}: program {reduced}, MIP {mip}, pattern {days:?}"
                        );
                        // The others offered price out, cost no less than
                        // the cheapest, and differ from it and each other.
                        for (k, o) in others.iter().enumerate() {
                            let r = priced(o);
                            assert!(
                                r >= reduced - 1e-6 && r < -1e-6,
                                "seed {seed} e{e}: another pattern at {r}, the best {reduced}"
                            );
                            assert!(*o != days && !others[..k].contains(o));
                        }
                        offered += others.len();
                        for days in std::iter::once(&days).chain(&others) {
                            for &(d, o) in &pins {
                                assert_eq!(days[d], o, "seed {seed} e{e}: pin on day {d}");
                            }
                            // The pattern itself keeps every rule: the MIP
                            // pinned to it is feasible.
                            let mut pinned = alone.clone();
                            pinned.employees[0].pinned =
                                days.iter().enumerate().map(|(d, s)| (d, *s)).collect();
                            let check = model::build(&pinned);
                            let (st, _) =
                                crate::plan::solve::solve_direct(&check.mip, &opts.solver());
                            assert_eq!(st.status, crate::plan::solve::Status::Optimal, "{days:?}");
                        }
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared >= 30, "only {compared} employees had a pattern");
        assert!(offered >= 30, "only {offered} other patterns offered");
    }

    /// Options for an exact solve, and `p`'s roster by the whole MIP
    /// under them, with the status the solve ended in.
    fn by_the_whole_mip(p: &Problem) -> (RosterOptions, crate::plan::solve::Status, Assignment) {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            gap: 0.0,
            ..RosterOptions::default()
        };
        let built = model::build(p);
        let (stats, values) = crate::plan::solve::solve(&built.mip, &opts.solver());
        let a = built.assignment(p, &values.expect("solved"));
        (opts, stats.status, a)
    }

    /// The MIP over the patterns keeps the roster it starts from even
    /// where that roster's rows are none of the patterns (as the rows the
    /// dive's last few are given exactly are none): it returns one no
    /// dearer, though its pool held only rows of nobody working and one
    /// node is all it may search.
    #[test]
    fn the_patterns_mip_keeps_a_start_of_rows_not_generated() {
        for seed in 0..3 {
            let p = testing::problem(200 + seed, 5);
            let (opts, _, best) = by_the_whole_mip(&p);
            let off = vec![None; p.days];
            assert!(best.0.iter().any(|row| *row != off), "seed {seed}");
            let mut g = Generation::new(&p);
            for e in 0..p.employees.len() {
                g.add(e, off.clone(), own_cost(&p, e, &off));
            }
            let one_node = RosterOptions {
                work_limit: Some(4),
                ..opts.clone()
            };
            assert_eq!(pattern_nodes(4), 1);
            let far = Instant::now() + std::time::Duration::from_secs(60);
            let a = g.mip(Some(&best), far, &one_node).expect("a roster");
            let (o, b) = (objective(&p, &a).total, objective(&p, &best).total);
            assert!(o <= b + 1e-6, "seed {seed}: {o} from a start of {b}");
        }
    }

    /// Converged, the generation's bound is at most the best roster (the
    /// whole MIP's optimum), and its roster is no better than that optimum.
    #[test]
    fn bound_and_roster_bracket_the_optimum() {
        for seed in 0..4 {
            let p = testing::problem(100 + seed, 5);
            let (opts, status, best) = by_the_whole_mip(&p);
            assert_eq!(status, crate::plan::solve::Status::Optimal, "seed {seed}");
            let best = objective(&p, &best).total;
            let far = Instant::now() + std::time::Duration::from_secs(60);
            let g = generate(&p, &[], None, far, far, far, &opts);
            assert!(g.converged, "seed {seed}");
            let b = g.bound.expect("a bound");
            let o = objective(&p, g.assignment.as_ref().expect("a roster")).total;
            assert!(
                b <= best + 1e-6,
                "seed {seed}: bound {b} above the optimum {best}"
            );
            assert!(
                o >= best - 1e-6,
                "seed {seed}: roster {o} below the optimum {best}"
            );
        }
    }
}
