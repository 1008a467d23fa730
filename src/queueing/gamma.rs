//! The scaled upper incomplete gamma function that starts the continuous
//! Erlang B extension: `1/B(A, x) = e^A · A^{−x} · Γ(x + 1, A)` for a
//! fractional server count `x` in (0, 1).
//!
//! Libraries offer `Γ(s, A)` or its regularised form, but at the loads of a
//! large centre `e^{−A}` underflows (A = 100,000), so the product above is
//! evaluated here in scaled form: a continued fraction for `A ≥ x + 2`,
//! the power series of the lower function otherwise (Numerical Recipes'
//! split, §6.2). Both converge to full double precision.

/// `1/B(load, x)` for `x` in (0, 1) and `load > 0`.
pub(crate) fn recip_erlang_b_unit_interval(load: f64, x: f64) -> f64 {
    debug_assert!(x > 0.0 && x < 1.0 && load > 0.0);
    let s = x + 1.0;
    if load >= s + 1.0 {
        load * scaled_upper_gamma_cf(s, load)
    } else {
        // Γ(s, A) = Γ(s) − γ(s, A); e^A A^{−x} γ(s, A) = A · Σ_k A^k / (s(s+1)…(s+k)).
        let whole = load.exp() * load.powf(-x) * libm::tgamma(s);
        whole - load * lower_gamma_series(s, load)
    }
}

/// `Γ(s, a) · e^a · a^{−s}` by the modified Lentz continued fraction
/// `1/(a+1−s− 1·(1−s)/(a+3−s− 2·(2−s)/(a+5−s−…)))`.
fn scaled_upper_gamma_cf(s: f64, a: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = a + 1.0 - s;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..10_000 {
        let i = f64::from(i);
        let an = -i * (i - s);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// `Σ_{k≥0} a^k / (s(s+1)…(s+k))`, the scaled lower incomplete gamma series.
fn lower_gamma_series(s: f64, a: f64) -> f64 {
    let mut term = 1.0 / s;
    let mut sum = term;
    let mut denom = s;
    for _ in 0..10_000 {
        denom += 1.0;
        term *= a / denom;
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_branches_agree_where_they_meet() {
        // Around the split point the two methods must give the same value.
        for &x in &[0.1, 0.5, 0.9] {
            let a = x + 2.0;
            let cf = a * scaled_upper_gamma_cf(x + 1.0, a);
            let series =
                a.exp() * a.powf(-x) * libm::tgamma(x + 1.0) - a * lower_gamma_series(x + 1.0, a);
            assert!((cf - series).abs() < 1e-13 * cf, "{x}: {cf} vs {series}");
        }
    }

    #[test]
    fn tends_to_integer_values_at_the_ends() {
        // x -> 0: 1/B(A,0) = 1; x -> 1: 1/B(A,1) = 1 + 1/A.
        for &a in &[0.3, 1.0, 2.5, 40.0, 1e5] {
            let near0 = recip_erlang_b_unit_interval(a, 1e-9);
            let near1 = recip_erlang_b_unit_interval(a, 1.0 - 1e-9);
            assert!((near0 - 1.0).abs() < 1e-6, "{a}: {near0}");
            assert!(
                (near1 - (1.0 + 1.0 / a)).abs() < 1e-6 * near1,
                "{a}: {near1}"
            );
        }
    }
}
