//! The queueing core against a high-precision computation: Erlang B, the
//! Erlang C probability of waiting, service level and ASA, recomputed in
//! 256-bit binary floating point (dashu), must agree to 1e-9 relative from
//! 0.01 to 100,000 Erlangs.
//!
//! The reference runs the textbook recursion `B(n) = A·B(n−1)/(n + A·B(n−1))`
//! (not our reciprocal form) and the textbook Erlang C and service-level
//! formulas, so the test checks both the algebra and the rounding of ours.

use dashu_float::round::mode::HalfEven;
use dashu_float::FBig;
use slaplan::queueing::{erlang_b, erlang_c};

type Big = FBig<HalfEven, 2>;
const BITS: usize = 256;

fn big(x: f64) -> Big {
    Big::try_from(x)
        .expect("finite")
        .with_precision(BITS)
        .value()
}

fn to_f64(x: &Big) -> f64 {
    x.to_f64().value()
}

/// B(A, n) for every n in 0..=last, in high precision.
fn reference_blocking(load: f64, last: u32) -> Vec<Big> {
    let a = big(load);
    let mut b = big(1.0);
    let mut out = Vec::with_capacity(last as usize + 1);
    out.push(b.clone());
    for n in 1..=last {
        let ab = &a * &b;
        b = &ab / &(big(f64::from(n)) + &ab);
        out.push(b.clone());
    }
    out
}

fn rel(ours: f64, reference: f64) -> f64 {
    if reference == 0.0 {
        ours.abs()
    } else {
        ((ours - reference) / reference).abs()
    }
}

/// Loads spread evenly in log scale from 0.01 to 100,000 Erlangs.
fn loads() -> Vec<f64> {
    let steps = 28;
    (0..=steps)
        .map(|i| 10f64.powf(-2.0 + 7.0 * f64::from(i) / f64::from(steps)))
        .map(|a| (a * 1e6).round() / 1e6)
        .collect()
}

/// Agent counts to check at a load: small, around the load, around where
/// service levels are set, and well above.
fn agent_counts(load: f64) -> Vec<u32> {
    let root = load.sqrt();
    let mut ns: Vec<u32> = [
        1.0,
        load / 2.0,
        load.floor(),
        load.floor() + 1.0,
        load + 0.5 * root,
        load + root,
        load + 2.0 * root,
        load + 3.0 * root + 2.0,
        2.0 * load + 10.0,
    ]
    .iter()
    .map(|x| x.ceil().max(1.0) as u32)
    .collect();
    ns.sort_unstable();
    ns.dedup();
    ns
}

#[test]
fn erlang_b_and_c_agree_with_256_bit_reference_to_1e9() {
    let aht = 300.0;
    let within = 20.0;
    let mut worst = (0.0_f64, String::new());
    let mut checked = 0;
    for load in loads() {
        let ns = agent_counts(load);
        let reference = reference_blocking(load, *ns.last().unwrap());
        for &n in &ns {
            let b_ref = &reference[n as usize];
            let b = erlang_b::blocking(load, n);
            let e = rel(b, to_f64(b_ref));
            if e > worst.0 {
                worst = (e, format!("B({load}, {n})"));
            }
            assert!(e <= 1e-9, "B({load}, {n}): {b} vs {}", to_f64(b_ref));
            checked += 1;

            if f64::from(n) <= load {
                continue;
            }
            // C = n·B / (n − A(1 − B)); SL = 1 − C·exp(−(n−A)t/AHT);
            // ASA = C·AHT/(n − A).
            let (a, nb) = (big(load), big(f64::from(n)));
            let one = big(1.0);
            let c_ref = &(&nb * b_ref) / &(&nb - &(&a * &(&one - b_ref)));
            let spare = &nb - &a;
            let decay = (-(&spare * &big(within / aht))).exp();
            let sl_ref = &one - &(&c_ref * &decay);
            let asa_ref = &(&c_ref * &big(aht)) / &spare;
            let m = erlang_c::measures(load, aht, f64::from(n), within);
            for (what, ours, theirs) in [
                ("C", m.prob_wait, to_f64(&c_ref)),
                ("SL", m.service_level, to_f64(&sl_ref)),
                ("ASA", m.asa_s, to_f64(&asa_ref)),
            ] {
                let e = rel(ours, theirs);
                if e > worst.0 {
                    worst = (e, format!("{what}({load}, {n})"));
                }
                assert!(e <= 1e-9, "{what}({load}, {n}): {ours} vs {theirs}");
                checked += 1;
            }
        }
    }
    eprintln!(
        "{checked} values within 1e-9; worst relative error {:.2e} at {}",
        worst.0, worst.1
    );
    assert!(checked > 600);
}

#[test]
fn fractional_erlang_b_half_server_closed_form() {
    // B(A, 1/2): 1/B = 1 + (√π/2)·e^A·erfc(√A)/√A, from
    // Γ(3/2, A) = √A·e^{−A} + (√π/2)·erfc(√A). Covers both the series
    // (small A) and continued-fraction (large A) branches.
    for load in [0.01, 0.1, 0.7, 1.0, 2.4, 2.6, 5.0, 20.0, 100.0, 600.0] {
        let root = f64::sqrt(load);
        let recip = 1.0 + 0.5 * std::f64::consts::PI.sqrt() * load.exp() * libm::erfc(root) / root;
        let expected = 1.0 / recip;
        let got = erlang_b::blocking_real(load, 0.5);
        // erfc itself is good to a few ulps, its product with e^A to ~1e-13
        // at A = 600 (e^A·erfc(√A) loses log10(A) digits to cancellation).
        assert!(rel(got, expected) < 1e-11, "A={load}: {got} vs {expected}");
        // And upward by the recursion: B(A, 3.5) from B(A, 0.5).
        let mut r = recip;
        for k in 1..=3 {
            r = 1.0 + (0.5 + f64::from(k)) / load * r;
        }
        assert!(rel(erlang_b::blocking_real(load, 3.5), 1.0 / r) < 1e-11);
    }
}
