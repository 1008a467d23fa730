//! A Curtois–Qu benchmark instance rostered by the engine and counted by
//! the independent checker: the rules the roster breaks, the objective in
//! the benchmark's terms both ways, and whether they agree. What `slaplan
//! roster --curtois`, its tests and its benches report.

use crate::check::curtois::{check, BenchObjective};
use crate::check::Violation;
use crate::input::curtois::Benchmark;
use crate::roster::{self, RosterOptions, Solved};

/// One benchmark instance rostered and checked.
pub struct BenchmarkRun {
    pub solved: Solved,
    /// The rules the roster breaks, by the checker (empty without one).
    pub violations: Vec<Violation>,
    /// The benchmark's objective, counted by the checker from the roster.
    pub objective: Option<BenchObjective>,
    /// The same by the engine: its objective less the penalty on minutes
    /// short of a contract's minimum (priced so that a roster always
    /// exists; not part of the benchmark's objective, and zero in a roster
    /// that breaks no rule).
    pub engine_objective: Option<f64>,
    pub short_minutes_penalty: Option<f64>,
    /// Cover no roster can meet, by the employees' limits alone.
    pub unavoidable: roster::limits::Unavoidable,
}

impl BenchmarkRun {
    /// The engine and the checker count the same objective (or there is
    /// no roster to count).
    pub fn agree(&self) -> bool {
        match (&self.objective, self.engine_objective) {
            (Some(o), Some(e)) => (o.total - e).abs() < 1e-6,
            _ => true,
        }
    }

    /// A roster that breaks no rule, counted alike by both.
    pub fn is_clean(&self) -> bool {
        self.objective.is_some() && self.violations.is_empty() && self.agree()
    }
}

/// Rosters `b` with `opts` and checks the roster.
pub fn roster_benchmark(b: &Benchmark, opts: &RosterOptions) -> BenchmarkRun {
    let p = roster::curtois::problem(b);
    let solved = roster::solve(&p, opts);
    let checked = solved.assignment.as_ref().map(|a| check(b, &a.0));
    BenchmarkRun {
        violations: checked.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
        objective: checked.map(|c| c.1),
        engine_objective: solved.objective.map(|o| o.total - o.short_minutes),
        short_minutes_penalty: solved.objective.map(|o| o.short_minutes),
        unavoidable: roster::limits::unavoidable(&p),
        solved,
    }
}
