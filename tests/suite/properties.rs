//! Properties the queueing core must keep on any input, checked by
//! proptest: measures stay probabilities and improve with every agent,
//! Erlang B agrees with an independent log-space formula, the fractional
//! extension meets the integers, Erlang A tends to Erlang C as patience
//! grows, and staffing returns the least count that meets its targets.

use proptest::prelude::*;
use slaplan::queueing::staffing::ServiceTarget;
use slaplan::queueing::{erlang_a, erlang_b, erlang_c, QueueModel, Targets};

/// Loads from 0.01 to 10,000 Erlangs, spread in log scale.
fn load() -> impl Strategy<Value = f64> {
    (-2.0_f64..4.0).prop_map(|e| 10f64.powf(e))
}

/// log B(A, n) from the Poisson terms: n ln A − ln n! − log Σ_k A^k/k!,
/// summed by log-sum-exp. Shares no code with the recursion.
fn log_space_blocking(load: f64, n: u32) -> f64 {
    let term = |k: u32| f64::from(k) * load.ln() - libm::lgamma(f64::from(k) + 1.0);
    let top = (0..=n).map(term).fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = (0..=n).map(|k| (term(k) - top).exp()).sum();
    term(n) - (top + sum.ln())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn erlang_c_measures_are_probabilities_and_improve_with_agents(
        a in load(), extra in 0.0_f64..3.0, aht in 30.0_f64..1200.0, t in 0.0_f64..120.0,
    ) {
        let first = (a * (1.0 - extra / 4.0)).floor() as u32;
        let rows = erlang_c::table(a, aht, first, first + 40, t);
        for w in rows.windows(2) {
            let (m, next) = (&w[0], &w[1]);
            for p in [m.prob_wait, m.service_level, m.occupancy] {
                prop_assert!((0.0..=1.0).contains(&p), "{m:?}");
            }
            prop_assert!(m.asa_s >= 0.0 && !m.asa_s.is_nan());
            prop_assert_eq!(m.stable, m.agents > a);
            prop_assert!(next.service_level >= m.service_level - 1e-15);
            prop_assert!(next.prob_wait <= m.prob_wait + 1e-15);
            prop_assert!(next.asa_s <= m.asa_s);
        }
    }

    #[test]
    fn recursion_agrees_with_log_space_formula(a in load(), spread in -3.0_f64..5.0) {
        let n = (a + spread * a.sqrt()).max(1.0).round() as u32;
        let n = n.min(20_000);
        let ours = erlang_b::blocking(a, n);
        let other = log_space_blocking(a, n).exp();
        if other > 1e-300 {
            // lgamma and the sum of n terms each cost a few ulps: ~n·ε.
            let tol = 1e-12 * (f64::from(n) + 10.0);
            prop_assert!(((ours - other) / other).abs() < tol, "B({a},{n}) {ours} vs {other}");
        }
    }

    #[test]
    fn fractional_extension_meets_the_integers_and_decreases(a in load(), n in 1_u32..400, f in 0.0_f64..1.0) {
        let at = erlang_b::blocking(a, n);
        let real_at = erlang_b::blocking_real(a, f64::from(n));
        prop_assert!((at - real_at).abs() <= 1e-14 * at);
        let x = f64::from(n) + f;
        let between = erlang_b::blocking_real(a, x);
        let next = erlang_b::blocking(a, n + 1);
        prop_assert!(between <= at * (1.0 + 1e-14) && between >= next * (1.0 - 1e-14),
            "B({a},{x}) = {between} not in [{next}, {at}]");
        // Continuity at the integer from below.
        // (Relative error is meaningless once B underflows below ~1e-290.)
        let below = erlang_b::blocking_real(a, f64::from(n) - 1e-9);
        if at > 1e-290 {
            prop_assert!(((below - at) / at).abs() < 1e-6, "{below} vs {at}");
        }
        // Erlang C at fractional agents sits between its neighbours too.
        if x - 1.0 > a {
            let c = erlang_c::measures(a, 300.0, x, 20.0);
            let lo = erlang_c::measures(a, 300.0, f64::from(n), 20.0);
            let hi = erlang_c::measures(a, 300.0, f64::from(n + 1), 20.0);
            prop_assert!(c.service_level >= lo.service_level - 1e-12);
            prop_assert!(c.service_level <= hi.service_level + 1e-12);
        }
    }

    #[test]
    fn erlang_a_measures_are_probabilities_and_improve_with_agents(
        a in (-1.0_f64..3.0).prop_map(|e| 10f64.powf(e)),
        ratio in 0.05_f64..20.0, t in 0.0_f64..120.0,
    ) {
        let aht = 240.0;
        let model = QueueModel::new(a, aht, Some(ratio * aht)).unwrap();
        let rows = model.table(0, (a * 1.5 + 10.0) as u32, t);
        for w in rows.windows(2) {
            let (m, next) = (&w[0], &w[1]);
            let ab = m.prob_abandon.unwrap();
            for p in [m.prob_wait, m.service_level, m.occupancy, ab] {
                prop_assert!((0.0..=1.0).contains(&p), "{m:?}");
            }
            prop_assert!(m.stable);
            prop_assert!(m.asa_s.is_finite() && m.asa_s >= 0.0);
            prop_assert!(next.service_level >= m.service_level - 1e-12, "{m:?} -> {next:?}");
            prop_assert!(next.prob_wait <= m.prob_wait + 1e-12);
            prop_assert!(next.prob_abandon.unwrap() <= ab + 1e-12);
        }
    }

    #[test]
    fn erlang_a_served_eventually_is_one_minus_abandonment(
        a in (-1.0_f64..3.0).prop_map(|e| 10f64.powf(e)), ratio in 0.05_f64..20.0, spread in -2.0_f64..3.0,
    ) {
        // Two paths: the SL integral over all waits (t → ∞) against the
        // abandonment from the queue-length sum.
        let aht = 240.0;
        let n = (a + spread * a.sqrt()).max(1.0).round() as u32;
        let m = erlang_a::measures(a, aht, ratio * aht, n, 1e7 * aht);
        let ab = m.prob_abandon.unwrap();
        prop_assert!((m.service_level - (1.0 - ab)).abs() < 1e-9, "{m:?}");
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_as_patience_grows(
        a in (-1.0_f64..3.0).prop_map(|e| 10f64.powf(e)), spread in 0.5_f64..4.0, t in 0.0_f64..60.0,
    ) {
        let aht = 180.0;
        let n = (a + spread * a.sqrt() + 1.0).ceil() as u32;
        let c = erlang_c::measures(a, aht, f64::from(n), t);
        let far = erlang_a::measures(a, aht, 1e9 * aht, n, t);
        let near = erlang_a::measures(a, aht, 1e3 * aht, n, t);
        prop_assert!((far.service_level - c.service_level).abs() < 1e-6, "{far:?} vs {c:?}");
        prop_assert!((far.prob_wait - c.prob_wait).abs() < 1e-6);
        prop_assert!((far.asa_s - c.asa_s).abs() < 1e-6 * aht);
        // Closer as patience grows.
        prop_assert!((far.prob_wait - c.prob_wait).abs() <= (near.prob_wait - c.prob_wait).abs() + 1e-12);
    }

    #[test]
    fn staffing_is_the_least_count_meeting_every_target(
        a in (-1.0_f64..3.5).prop_map(|e| 10f64.powf(e)),
        share in 0.5_f64..0.99, t in 0.0_f64..60.0, occ in 0.6_f64..1.0,
        patience in prop::option::of(30.0_f64..1200.0),
    ) {
        let model = QueueModel::new(a, 240.0, patience).unwrap();
        let targets = Targets {
            service_level: Some(ServiceTarget { share, answer_within_s: t }),
            max_occupancy: Some(occ),
            ..Targets::default()
        };
        let r = model.required(&targets).unwrap();
        prop_assert!(targets.broken_by(&model.measures(r.agents, t)).is_empty());
        prop_assert!(r.agents >= 1);
        let fewer = model.measures(r.agents - 1, t);
        prop_assert!(!targets.broken_by(&fewer).is_empty());
        prop_assert_eq!(targets.broken_by(&fewer), r.binding);
    }
}
