//! Queueing models everything else rests on: Erlang B (loss, trunks),
//! Erlang C (waiting), Erlang A (waiting with abandonment), their measures
//! at whole or fractional agent counts, and staffing to targets.
//!
//! Pure functions over plain numbers: no I/O, no model types. Loads are in
//! Erlangs (arrival rate × AHT), times in seconds.

pub mod calculator;
pub mod erlang_a;
pub mod erlang_b;
pub mod erlang_c;
mod gamma;
pub mod priority;
pub mod staffing;

pub use staffing::{QueueModel, Requirement, StaffingError, Targets};

/// What a number of agents achieves on one queue in one interval.
///
/// Every field is a finite number in its range except `asa_s`, which is
/// infinite exactly when the queue is unstable (`stable == false`: Erlang C
/// with no more agents than the load). Then the service level is 0 and
/// every caller waits; it is never reported as a negative or NaN number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    /// Agents on the queue (may be fractional: allocated capacity).
    pub agents: f64,
    /// False when the queue grows without bound (Erlang C, agents ≤ load).
    pub stable: bool,
    /// Probability that a caller waits at all.
    pub prob_wait: f64,
    /// Share of *all* callers answered within the threshold (abandons are
    /// misses under Erlang A).
    pub service_level: f64,
    /// Mean wait over all callers, in seconds (average speed of answer).
    pub asa_s: f64,
    /// Share of agent time spent handling contacts, in [0, 1].
    pub occupancy: f64,
    /// Share of callers who hang up before an answer (Erlang A only).
    pub prob_abandon: Option<f64>,
}

impl Measures {
    /// Erlangs of trunk-line occupation at `rate_per_s` callers a second
    /// who each hold a line while waiting and, when answered, through the
    /// handle time `aht_s` too (Little's law). `None` when the queue is
    /// unstable: the wait, and so the line load, is unbounded.
    pub fn line_load(&self, rate_per_s: f64, aht_s: f64) -> Option<f64> {
        if !self.stable {
            return None;
        }
        let answered = 1.0 - self.prob_abandon.unwrap_or(0.0);
        Some(rate_per_s * (self.asa_s + answered * aht_s))
    }

    /// No load: nobody waits, nobody is busy.
    pub(crate) fn idle(agents: f64) -> Self {
        Self {
            agents,
            stable: true,
            prob_wait: 0.0,
            service_level: 1.0,
            asa_s: 0.0,
            occupancy: 0.0,
            prob_abandon: None,
        }
    }

    /// Erlang C with agents ≤ load: the queue grows without bound.
    pub(crate) fn unstable(agents: f64) -> Self {
        Self {
            agents,
            stable: false,
            prob_wait: 1.0,
            service_level: 0.0,
            asa_s: f64::INFINITY,
            occupancy: if agents > 0.0 { 1.0 } else { 0.0 },
            prob_abandon: None,
        }
    }
}
