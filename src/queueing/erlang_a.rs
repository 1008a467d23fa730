//! Erlang A (M/M/n+M: exponential patience, callers abandon): probability
//! of waiting and of abandoning, service level and ASA over *all* arrivals
//! (an abandoned call is a miss; its waiting time counts in the ASA),
//! occupancy.
//!
//! Exact birth–death computation. With the state probabilities taken
//! relative to `π_n` (all agents busy, nobody waiting):
//! - below `n` they sum to `1/B(A, n) − 1` (Erlang B, no factorials);
//! - above, `π_{n+j}/π_n = Π_{i=1..j} A/(n + iγ)` with `γ = AHT/patience`,
//!   summed with periodic rescaling so that long queues of overloaded,
//!   patient callers neither overflow nor lose digits.
//!
//! The service level adds to `P(no wait)` the callers served within `t`
//! after waiting. By a level-crossing argument (Baccelli & Hebuterne 1981)
//! the offered wait `V` has density
//! `f(v) = λ π_{n−1} exp(λ(1 − e^{−θv})/θ − nμv)` for `v > 0`, and a caller
//! is served if patience outlasts `V`: `∫_0^t e^{−θv} f(v) dv`. The integral
//! is taken by double-exponential quadrature over the part of `[0, t]`
//! where the integrand is within `e^{−60}` of its peak.

use super::erlang_b::blocking;
use super::Measures;

/// Erlang A measures for `agents` whole agents.
///
/// ```
/// use slaplan::queueing::erlang_a::measures;
/// // 10 Erlangs, 14 agents, AHT 180 s, mean patience 300 s, 20 s threshold.
/// let m = measures(10.0, 180.0, 300.0, 14, 20.0);
/// assert!((m.prob_abandon.unwrap() - 0.013983744).abs() < 1e-9);
/// assert!((m.service_level - 0.91679209).abs() < 1e-8);
/// ```
pub fn measures(
    load: f64,
    aht_s: f64,
    patience_s: f64,
    agents: u32,
    answer_within_s: f64,
) -> Measures {
    measures_from_blocking(
        load,
        aht_s,
        patience_s,
        agents,
        blocking(load.max(0.0), agents),
        answer_within_s,
    )
}

/// Erlang A measures given `b = B(load, agents)` (Erlang B), so that tables
/// over consecutive agent counts share one recursion.
pub fn measures_from_blocking(
    load: f64,
    aht_s: f64,
    patience_s: f64,
    agents: u32,
    blocking: f64,
    answer_within_s: f64,
) -> Measures {
    let n = f64::from(agents);
    if load <= 0.0 {
        let mut m = Measures::idle(n);
        m.prob_abandon = Some(0.0);
        return m;
    }
    // Time in units of the AHT: service rate 1, arrival rate A, abandonment γ.
    let gamma = aht_s / patience_s;
    let t = answer_within_s / aht_s;

    // Tail sums relative to π_n, kept as value · e^{shift}.
    let mut shift = 0.0_f64;
    let mut term = 1.0_f64;
    let mut tail = 0.0_f64; // Σ_{j≥1} π_{n+j}/π_n
    let mut tail_len = 0.0_f64; // Σ_{j≥1} j·π_{n+j}/π_n
    const RESCALE: f64 = 1e200;
    let peak = (load - n) / gamma; // terms grow until j passes this
    let mut j = 1_u64;
    loop {
        let jf = j as f64;
        term *= load / (n + jf * gamma);
        tail += term;
        tail_len += jf * term;
        if term > RESCALE {
            term /= RESCALE;
            tail /= RESCALE;
            tail_len /= RESCALE;
            shift += RESCALE.ln();
        }
        if jf > peak && term <= 1e-17 * tail {
            break;
        }
        if term == 0.0 {
            break;
        }
        j += 1;
    }
    // head = Σ_{k≤n} π_k/π_n = 1/B, in the same scale.
    let scale = (-shift).exp();
    let head = if agents == 0 { 1.0 } else { 1.0 / blocking } * scale;
    let total = head + tail; // = e^{-shift}/π_n
    let prob_wait = (scale + tail) / total;
    let mean_queue = tail_len / total; // E[Q]
    let prob_abandon = (gamma * mean_queue / load).clamp(0.0, 1.0);

    // Served within t after waiting: n·π_n·∫_0^t exp(g(v)) dv (rates in
    // units of μ; λπ_{n−1} = nπ_n), with
    // g(v) = (A/γ)(1 − e^{−γv}) − (n + γ)v.
    let served_late = if agents == 0 || t <= 0.0 {
        0.0
    } else {
        let log_pi_n = -shift - total.ln();
        let waited = served_within(load, n, gamma, t);
        match waited {
            Some((log_peak, integral)) if integral > 0.0 => {
                (n.ln() + log_pi_n + log_peak + integral.ln()).exp()
            }
            _ => 0.0,
        }
    };
    let service_level = ((1.0 - prob_wait) + served_late).clamp(0.0, 1.0);
    let asa_s = mean_queue / load * aht_s;
    let occupancy = if agents == 0 {
        0.0
    } else {
        (load * (1.0 - prob_abandon) / n).min(1.0)
    };
    Measures {
        agents: n,
        stable: true,
        prob_wait: prob_wait.clamp(0.0, 1.0),
        service_level,
        asa_s,
        occupancy,
        prob_abandon: Some(prob_abandon),
    }
}

/// `∫_0^t exp(g(v)) dv` as `(log of the peak of exp(g), ∫ exp(g − peak))`.
fn served_within(load: f64, n: f64, gamma: f64, t: f64) -> Option<(f64, f64)> {
    let g = |v: f64| -(load / gamma) * (-gamma * v).exp_m1() - (n + gamma) * v;
    // g is concave; its maximum on [0, t]:
    let v_top = if load > n + gamma {
        ((load / (n + gamma)).ln() / gamma).min(t)
    } else {
        0.0
    };
    let top = g(v_top);
    const DEPTH: f64 = 60.0;
    // Where exp(g − top) falls below e^{-60}, on either side of the top.
    let edge = |inside: f64, outside: f64| -> f64 {
        if g(outside) - top >= -DEPTH {
            return outside;
        }
        let (mut a, mut b) = (inside, outside);
        for _ in 0..200 {
            let m = 0.5 * (a + b);
            if g(m) - top >= -DEPTH {
                a = m;
            } else {
                b = m;
            }
        }
        b
    };
    let lo = if v_top > 0.0 { edge(v_top, 0.0) } else { 0.0 };
    let hi = edge(v_top, t);
    if hi <= lo {
        return None;
    }
    let f = |v: f64| (g(v) - top).exp();
    Some((top, integrate(&f, lo, hi, 0)))
}

/// Adaptive double-exponential quadrature of a smooth positive function
/// whose peak is 1, to about 1e-13 relative; halves the range where the
/// rule's own error estimate is not met.
fn integrate(f: &dyn Fn(f64) -> f64, a: f64, b: f64, depth: u32) -> f64 {
    let target = 1e-14 * (b - a);
    let out = quadrature::double_exponential::integrate(f, a, b, target);
    if out.error_estimate <= target || depth >= 12 {
        out.integral
    } else {
        let m = 0.5 * (a + b);
        integrate(f, a, m, depth + 1) + integrate(f, m, b, depth + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_pyworkforce_point() {
        let m = measures(10.0, 180.0, 300.0, 14, 20.0);
        assert!((m.prob_wait - 0.14526011).abs() < 1e-8);
        assert!((m.occupancy - 0.70429733).abs() < 1e-8);
        assert!((m.asa_s - 4.19512326).abs() < 1e-7);
    }

    #[test]
    fn overloaded_and_patient_callers_do_not_overflow() {
        // 10,000 Erlangs on 9,000 agents, patience 100 AHTs: the queue is
        // long but finite; everything stays a probability.
        let m = measures(10_000.0, 300.0, 30_000.0, 9_000, 20.0);
        assert!(m.prob_wait > 0.999 && m.prob_wait <= 1.0);
        let ab = m.prob_abandon.unwrap();
        // Throughput cannot exceed the agents: abandonment at least 10%.
        assert!((0.0999..1.0).contains(&ab), "{ab}");
        assert!(m.service_level >= 0.0 && m.service_level < 0.05);
        assert!(m.asa_s.is_finite());
    }

    #[test]
    fn no_agents_everyone_abandons() {
        let m = measures(5.0, 180.0, 60.0, 0, 20.0);
        assert!((m.prob_abandon.unwrap() - 1.0).abs() < 1e-12);
        assert!(m.service_level.abs() < 1e-12);
    }
}
