//! Non-preemptive priority M/M/n: several classes of callers share the
//! agents and one exponential handle time; a free agent takes the oldest
//! waiting call of the highest class that has one, and never interrupts a
//! call for a higher class (the ACD's call priority, and our simulation's).
//!
//! The waiting-time distribution of class `k` (Davis 1966, Operations
//! Research 14(1):133–136; its means are Cobham's, 1954): a call waits
//! with the probability that all `n` agents are busy, Erlang C at the
//! total load `A`. While they are, agents free at rate `n/AHT`, so the
//! calls waiting of classes `1..=k` form an M/M/1 queue with that service
//! rate, geometric with ratio `ρ = A_{≤k}/n` when a call arrives (by
//! PASTA). The tagged call waits for those ahead of it and for itself,
//! and every call of a higher class arriving meanwhile goes before it: its
//! wait is a busy period of an M/M/1 queue (arrivals `A_{<k}/AHT`, service
//! `n/AHT`) started by a geometric number `N + 1` of calls. So
//!
//! - `P(W_k > t) = C(n, A) · P(T_k > t)`, with `T_k`'s Laplace–Stieltjes
//!   transform `G(β(s))`, `G(z) = (1 − ρ) z / (1 − ρ z)` and `β` the busy
//!   period's, `β(s) = 2μ / (s + λ + μ + √((s + λ + μ)² − 4λμ))`;
//! - for the highest class (`λ = 0`) that is `e^{−(n − A_1) t/AHT}`, and for
//!   one class Erlang C's own service level;
//! - the mean wait is `C · AHT · n / ((n − A_{<k})(n − A_{≤k}))` (Cobham).
//!
//! `P(T_k > t)` is inverted numerically from its transform by the Euler
//! algorithm of Abate & Whitt (1995, ORSA Journal on Computing 7(1):36–43),
//! whose discretisation error is about `e^{−18.4} ≈ 10⁻⁸`. Tested against
//! the closed forms, against Cobham's means by integrating the tail, against
//! Kleinrock's conservation law, and against the simulation
//! (`tests/suite/simulate.rs`).
//!
//! A class is stable while `A_{≤k} < n`, even when the lower classes are
//! not (then every agent is always busy, `C = 1`).

use num_complex::Complex64;

use super::{erlang_c, Measures};

/// Measures of class `class` (0 the highest) of the classes whose loads in
/// Erlangs are `loads` (highest first), all handled in `aht_s` on average,
/// with `agents` (whole or fractional) and the service level counted as
/// answered within `within_s`.
///
/// ```
/// use slaplan::queueing::{erlang_c, priority};
/// // One class is Erlang C.
/// let one = priority::measures(&[48.0], 240.0, 55.0, 0, 20.0);
/// assert!((one.service_level - erlang_c::measures(48.0, 240.0, 55.0, 20.0).service_level).abs() < 1e-9);
/// // A premium tenth of the calls waits far less than the rest.
/// let premium = priority::measures(&[4.8, 43.2], 240.0, 55.0, 0, 20.0);
/// let basic = priority::measures(&[4.8, 43.2], 240.0, 55.0, 1, 20.0);
/// assert!(premium.service_level > 0.97 && basic.service_level < one.service_level);
/// ```
pub fn measures(loads: &[f64], aht_s: f64, agents: f64, class: usize, within_s: f64) -> Measures {
    let total: f64 = loads.iter().sum();
    if total <= 0.0 {
        return Measures::idle(agents);
    }
    let ahead: f64 = loads[..class].iter().sum();
    let upto = ahead + loads[class];
    if agents <= upto {
        return Measures::unstable(agents);
    }
    let all_busy = if agents > total {
        erlang_c::measures(total, aht_s, agents, 0.0).prob_wait
    } else {
        1.0
    };
    let late = all_busy * tail(ahead, upto, agents, aht_s, within_s);
    let asa_s = all_busy * aht_s * agents / ((agents - ahead) * (agents - upto));
    Measures {
        agents,
        stable: true,
        prob_wait: all_busy,
        service_level: (1.0 - late).clamp(0.0, 1.0),
        asa_s,
        occupancy: (total / agents).min(1.0),
        prob_abandon: None,
    }
}

/// The least agents with which class `class` answers a share `target`
/// within `within_s` and, with `max_occupancy`, keeps the agents' occupancy
/// at most that; with the measures there. SL rises with the agents, so the
/// first count that meets both is the least.
pub fn required(
    loads: &[f64],
    aht_s: f64,
    class: usize,
    (target, within_s): (f64, f64),
    max_occupancy: Option<f64>,
) -> (u32, Measures) {
    let total: f64 = loads.iter().sum();
    if total <= 0.0 {
        return (0, Measures::idle(0.0));
    }
    let upto: f64 = loads[..=class].iter().sum();
    let occupancy_floor = max_occupancy.map_or(0.0, |occ| total / occ);
    let mut n = (upto.floor() as u32 + 1).max(occupancy_floor.ceil() as u32);
    loop {
        let m = measures(loads, aht_s, f64::from(n), class, within_s);
        if m.stable && m.service_level >= target && f64::from(n) >= occupancy_floor {
            return (n, m);
        }
        n += 1;
    }
}

/// The classes' loads in Erlangs at one handle time, from each class's
/// contacts and AHT in an interval of `step_s` seconds: the model has one
/// handle-time distribution, so every class takes the contacts-weighted
/// mean AHT (the total load is kept).
pub fn pooled(classes: &[(f64, f64)], step_s: f64) -> (Vec<f64>, f64) {
    let contacts: f64 = classes.iter().map(|c| c.0).sum();
    let work: f64 = classes.iter().map(|c| c.0 * c.1).sum();
    let aht_s = if contacts > 0.0 {
        work / contacts
    } else {
        classes.first().map_or(1.0, |c| c.1)
    };
    let loads = classes.iter().map(|c| c.0 * aht_s / step_s).collect();
    (loads, aht_s)
}

/// `P(T > t)` for the wait of a call that found every agent busy: a busy
/// period of the higher classes' arrivals (`ahead` Erlangs) started by a
/// geometric number of calls of ratio `upto / agents`.
fn tail(ahead: f64, upto: f64, agents: f64, aht_s: f64, t: f64) -> f64 {
    if t <= 0.0 {
        return 1.0;
    }
    // Rates per second.
    let mu = agents / aht_s;
    let lambda = ahead / aht_s;
    let rho = upto / agents;
    if lambda <= 0.0 {
        return (-(agents - upto) / aht_s * t).exp();
    }
    let lst = |s: Complex64| {
        let b = s + lambda + mu;
        let beta = 2.0 * mu / (b + (b * b - 4.0 * lambda * mu).sqrt());
        (1.0 - rho) * beta / (1.0 - rho * beta)
    };
    // The tail's Laplace transform: (1 − E[e^{−sT}]) / s.
    let survival = |s: Complex64| (1.0 - lst(s)) / s;
    euler_inversion(survival, t).clamp(0.0, 1.0)
}

/// The Euler algorithm (Abate & Whitt 1995): the Bromwich integral by the
/// trapezoidal rule with step `π/t`, its alternating series summed to
/// `N + M` terms and averaged binomially over the last `M + 1` partial
/// sums.
fn euler_inversion(transform: impl Fn(Complex64) -> Complex64, t: f64) -> f64 {
    const A: f64 = 18.4;
    const N: usize = 15;
    const M: usize = 11;
    let x = A / (2.0 * t);
    let h = std::f64::consts::PI / t;
    let scale = (A / 2.0).exp() / t;
    let mut partial = Vec::with_capacity(N + M + 1);
    let mut s = 0.5 * transform(Complex64::new(x, 0.0)).re;
    partial.push(s);
    for k in 1..=(N + M) {
        let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
        s += sign * transform(Complex64::new(x, k as f64 * h)).re;
        partial.push(s);
    }
    // Binomial average of the partial sums N..=N+M.
    let mut weight = 1.0;
    let mut total = 0.0;
    for j in 0..=M {
        total += weight * partial[N + j];
        weight *= (M - j) as f64 / (j + 1) as f64;
    }
    scale * total / 2f64.powi(M as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_class_is_erlang_c_and_the_first_class_its_closed_form() {
        for (load, agents, within) in [(48.0, 55.0, 20.0), (2.0, 3.0, 60.0), (0.4, 1.0, 5.0)] {
            let one = measures(&[load], 240.0, agents, 0, within);
            let c = erlang_c::measures(load, 240.0, agents, within);
            assert!((one.service_level - c.service_level).abs() < 1e-12);
            assert!((one.asa_s - c.asa_s).abs() < 1e-9 * c.asa_s.max(1.0));
        }
    }

    #[test]
    fn the_inversion_matches_the_closed_form_where_one_exists() {
        // With no higher class the tail is exponential; the inversion of
        // the same transform (a vanishing higher load) must agree.
        for (upto, agents, t) in [(1.8, 2.0, 600.0), (40.0, 55.0, 20.0), (5.0, 6.0, 3.0)] {
            let closed = tail(0.0, upto, agents, 300.0, t);
            let inverted = tail(1e-9, upto, agents, 300.0, t);
            assert!(
                (closed - inverted).abs() < 1e-7,
                "{upto} {agents} {t}: {closed} vs {inverted}"
            );
        }
    }

    /// The textbook case: nine customers an hour, a third in each of three
    /// classes, two servers at five an hour. Cobham's means by hand:
    /// `C(2, 1.8) = 0.852632`, `W_0 = C/(cμ) = 0.0852632 h`, `σ = 0.3, 0.6,
    /// 0.9`, so `W_k = W_0/((1 − σ_{k−1})(1 − σ_k))`: 0.121805 h,
    /// 0.304511 h and 2.131579 h; their mean 0.852632 h is the first come,
    /// first served wait `C/(cμ − λ)` (the conservation law).
    #[test]
    fn cobham_means_and_the_conservation_law() {
        let aht = 3600.0 / 5.0;
        let loads = [0.6, 0.6, 0.6];
        let hours = [0.121805, 0.304511, 2.131579];
        for (k, want) in hours.iter().enumerate() {
            let got = measures(&loads, aht, 2.0, k, 0.0).asa_s / 3600.0;
            assert!((got - want).abs() < 1e-6, "class {k}: {got} h");
        }
        let fcfs = erlang_c::measures(1.8, aht, 2.0, 0.0).asa_s;
        let mean: f64 = (0..3)
            .map(|k| measures(&loads, aht, 2.0, k, 0.0).asa_s)
            .sum::<f64>()
            / 3.0;
        assert!((mean - fcfs).abs() < 1e-9 * fcfs);
    }

    /// The tail's integral is the mean wait: `∫ P(W > t) dt = E[W]`, which
    /// ties the inverted distribution to Cobham's mean.
    #[test]
    fn the_tail_integrates_to_the_mean_wait() {
        let aht = 300.0;
        let loads = [3.0, 5.0, 8.0];
        let agents = 18.0;
        for k in 0..3 {
            let m = measures(&loads, aht, agents, k, 0.0);
            let late = |t: f64| 1.0 - measures(&loads, aht, agents, k, t).service_level;
            // Trapezoids on a fine grid to where the tail is negligible.
            let (step, end) = (1.0, 40.0 * m.asa_s.max(aht));
            let mut integral = 0.0;
            let mut t = 0.0;
            while t < end {
                integral += 0.5 * step * (late(t) + late(t + step));
                t += step;
            }
            assert!(
                (integral - m.asa_s).abs() < 1e-3 * m.asa_s,
                "class {k}: ∫ = {integral}, mean {}",
                m.asa_s
            );
        }
    }

    #[test]
    fn the_requirement_is_the_least_count_meeting_target_and_occupancy() {
        let loads = [2.0, 10.0];
        for class in 0..2 {
            let (n, m) = required(&loads, 300.0, class, (0.8, 20.0), Some(0.85));
            assert!(m.service_level >= 0.8 && 12.0 / f64::from(n) <= 0.85);
            let fewer = measures(&loads, 300.0, f64::from(n - 1), class, 20.0);
            assert!(!fewer.stable || fewer.service_level < 0.8 || 12.0 / f64::from(n - 1) > 0.85);
        }
        // The premium tier needs fewer agents than the basic one.
        assert!(
            required(&loads, 300.0, 0, (0.8, 20.0), None).0
                < required(&loads, 300.0, 1, (0.8, 20.0), None).0
        );
        let (loads, aht) = pooled(&[(10.0, 600.0), (30.0, 200.0)], 1800.0);
        assert!((aht - 300.0).abs() < 1e-12);
        assert!((loads.iter().sum::<f64>() - 12000.0 / 1800.0).abs() < 1e-12);
    }

    #[test]
    fn a_class_is_stable_while_the_classes_above_it_leave_room() {
        // Ten agents, loads 4 and 7: the first class is stable, the second
        // is not (every agent always busy for it).
        let first = measures(&[4.0, 7.0], 300.0, 10.0, 0, 20.0);
        let second = measures(&[4.0, 7.0], 300.0, 10.0, 1, 20.0);
        assert!(first.stable && (first.prob_wait - 1.0).abs() < 1e-15);
        let want = 1.0 - (-(10.0 - 4.0) / 300.0 * 20.0_f64).exp();
        assert!((first.service_level - want).abs() < 1e-12);
        assert!(!second.stable && second.service_level == 0.0);
    }
}
