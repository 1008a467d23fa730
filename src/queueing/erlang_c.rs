//! Erlang C (M/M/n, callers wait forever): probability of waiting, service
//! level `P(wait ≤ t)`, average speed of answer and occupancy, at whole or
//! fractional agent counts.
//!
//! Computed from Erlang B, `C = n·B / (n − A·(1 − B))`, and the service level
//! in the form `(1 − C) + C·(1 − e^{−(n−A)t/AHT})` whose two terms are both
//! non-negative, so no digits are lost to cancellation near `SL = 0` or
//! `SL = 1`. At `n ≤ A` the queue is unstable and said so.

use super::erlang_b::{blocking_real, BlockingSeq};
use super::Measures;

/// Erlang C measures from a known Erlang B value `b = B(load, agents)`.
///
/// `agents` may be fractional; `aht_s > 0`; `answer_within_s ≥ 0`.
pub fn measures_from_blocking(
    load: f64,
    aht_s: f64,
    agents: f64,
    blocking: f64,
    answer_within_s: f64,
) -> Measures {
    if load <= 0.0 {
        return Measures::idle(agents);
    }
    let spare = agents - load;
    if spare <= 0.0 {
        return Measures::unstable(agents);
    }
    let denom = spare + load * blocking;
    let prob_wait = agents * blocking / denom;
    let prob_no_wait = spare * (1.0 - blocking) / denom;
    let rate = spare / aht_s;
    let service_level = prob_no_wait - prob_wait * (-rate * answer_within_s).exp_m1();
    Measures {
        agents,
        stable: true,
        prob_wait,
        service_level: service_level.clamp(0.0, 1.0),
        asa_s: prob_wait / rate,
        occupancy: load / agents,
        prob_abandon: None,
    }
}

/// Erlang C measures at `agents` (whole or fractional).
///
/// ```
/// use slaplan::queueing::erlang_c::measures;
/// // 360 calls per half hour, AHT 240 s, 55 agents, answered within 20 s.
/// let m = measures(48.0, 240.0, 55.0, 20.0);
/// assert!((m.service_level - 0.8668).abs() < 1e-4);
/// assert!((m.asa_s - 8.184).abs() < 1e-3);
/// ```
pub fn measures(load: f64, aht_s: f64, agents: f64, answer_within_s: f64) -> Measures {
    if load <= 0.0 {
        return Measures::idle(agents);
    }
    if agents <= load {
        return Measures::unstable(agents);
    }
    let b = blocking_real(load, agents);
    measures_from_blocking(load, aht_s, agents, b, answer_within_s)
}

/// Erlang C measures for every whole agent count in `first..=last`, by one
/// pass of the Erlang B recursion.
pub fn table(load: f64, aht_s: f64, first: u32, last: u32, answer_within_s: f64) -> Vec<Measures> {
    let mut seq = BlockingSeq::new(load.max(0.0));
    let mut rows = Vec::with_capacity(last.saturating_sub(first) as usize + 1);
    for n in 0..=last {
        if n > 0 {
            seq.step();
        }
        if n >= first {
            rows.push(measures_from_blocking(
                load,
                aht_s,
                f64::from(n),
                seq.blocking(),
                answer_within_s,
            ));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstable_is_stated_not_computed() {
        for agents in [0.0, 5.0, 9.99, 10.0] {
            let m = measures(10.0, 180.0, agents, 20.0);
            assert!(!m.stable);
            assert!(m.service_level.abs() < 1e-300);
            assert!(m.asa_s.is_infinite());
            assert!((m.prob_wait - 1.0).abs() < 1e-300);
            assert!(m.occupancy <= 1.0);
        }
    }

    #[test]
    fn zero_load_needs_nobody_and_waits_never() {
        let m = measures(0.0, 180.0, 0.0, 20.0);
        assert!(m.stable);
        assert!((m.service_level - 1.0).abs() < 1e-300);
        assert!(m.asa_s.abs() < 1e-300);
    }

    #[test]
    fn table_matches_pointwise() {
        let rows = table(48.0, 240.0, 45, 60, 20.0);
        assert_eq!(rows.len(), 16);
        for r in &rows {
            let p = measures(48.0, 240.0, r.agents, 20.0);
            assert_eq!(r.stable, p.stable);
            assert!((r.service_level - p.service_level).abs() < 1e-13);
        }
    }
}
