//! Erlang B (M/M/n/n loss system): blocking probability by the stable
//! recursion, its inverse (traffic carried at a grade of service, lines
//! needed), and the continuous extension to fractional server counts.
//!
//! The recursion is run on the reciprocal, `1/B(n) = 1 + (n/A)·1/B(n−1)`,
//! which adds positive terms only: its relative rounding error grows at most
//! linearly in `n` (about `3·n·ε`, below 1e-10 at 100,000 servers), and it
//! needs no factorial or power. Very small blockings underflow to 0 rather
//! than overflowing.

use super::gamma::recip_erlang_b_unit_interval;

/// Blocking probability `B(A, n)` of `n` servers (lines, agents) offered
/// `load` Erlangs.
///
/// `load` must be finite and non-negative; a load of 0 blocks nothing
/// (`B = 0` for `n ≥ 1`, and `B(0, 0) = 1`: with no server every call is
/// lost).
///
/// ```
/// use slaplan::queueing::erlang_b::blocking;
/// assert!((blocking(10.0, 17) - 0.0129489).abs() < 1e-7);
/// assert!((blocking(1.0, 1) - 0.5).abs() < 1e-15);
/// ```
pub fn blocking(load: f64, servers: u32) -> f64 {
    let mut seq = BlockingSeq::new(load);
    for _ in 0..servers {
        seq.step();
    }
    seq.blocking()
}

/// The Erlang B values `B(A, 0), B(A, 1), …` one server at a time: one
/// multiplication and one addition a step. Staffing scans and service-level
/// tables walk this sequence instead of restarting the recursion.
#[derive(Debug, Clone)]
pub struct BlockingSeq {
    servers: u32,
    per_server: f64,
    recip: f64,
}

impl BlockingSeq {
    /// The sequence at `n = 0`, where `B = 1`.
    pub fn new(load: f64) -> Self {
        debug_assert!(load.is_finite() && load >= 0.0);
        let per_server = if load > 0.0 {
            1.0 / load
        } else {
            f64::INFINITY
        };
        Self {
            servers: 0,
            per_server,
            recip: 1.0,
        }
    }

    /// Advances to one more server.
    #[inline]
    pub fn step(&mut self) {
        self.servers += 1;
        self.recip = 1.0 + f64::from(self.servers) * self.per_server * self.recip;
    }

    /// The number of servers `n` of the current value.
    #[inline]
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// `B(A, n)` at the current `n`.
    #[inline]
    pub fn blocking(&self) -> f64 {
        1.0 / self.recip
    }
}

/// Erlang B at a real number of servers `x ≥ 0`, the continuous extension
/// `B(A, x) = A^x e^{−A} / Γ(x + 1, A)` (upper incomplete gamma). It equals
/// the integer recursion at whole `x` (it *is* the recursion there) and is
/// smooth and decreasing in `x` between them, so that service can be valued
/// at an allocated capacity such as 13.4 agents.
///
/// ```
/// use slaplan::queueing::erlang_b::{blocking, blocking_real};
/// assert!((blocking_real(10.0, 14.0) - blocking(10.0, 14)).abs() < 1e-15);
/// let mid = blocking_real(10.0, 14.5);
/// assert!(mid < blocking(10.0, 14) && mid > blocking(10.0, 15));
/// ```
pub fn blocking_real(load: f64, servers: f64) -> f64 {
    debug_assert!(servers.is_finite() && servers >= 0.0);
    if load <= 0.0 {
        return if servers > 0.0 { 0.0 } else { 1.0 };
    }
    let whole = servers.floor();
    let frac = servers - whole;
    // 1/B at the fractional part, then the same recursion upward: it holds
    // for real x, 1/B(x) = 1 + (x/A)·1/B(x−1).
    let mut recip = if frac > 0.0 {
        recip_erlang_b_unit_interval(load, frac)
    } else {
        1.0
    };
    let per_server = 1.0 / load;
    let steps = whole as u64;
    for k in 1..=steps {
        recip = 1.0 + (frac + k as f64) * per_server * recip;
    }
    1.0 / recip
}

/// The least number of lines whose blocking is at most `grade` for `load`
/// Erlangs (trunk sizing).
///
/// `grade` must lie in (0, 1]. Returns 0 for zero load.
pub fn lines_for_grade(load: f64, grade: f64) -> u32 {
    debug_assert!(grade > 0.0 && grade <= 1.0);
    if load <= 0.0 {
        return 0;
    }
    let mut seq = BlockingSeq::new(load);
    while seq.blocking() > grade {
        seq.step();
    }
    seq.servers()
}

/// The largest load that `lines` servers carry with blocking at most
/// `grade` (the inverse problem of the classic Erlang B traffic tables).
///
/// Found by bisection on the load, to a relative precision of 1e-12: B is
/// strictly increasing in the load for a fixed line count.
pub fn max_load_for_grade(lines: u32, grade: f64) -> f64 {
    debug_assert!(grade > 0.0 && grade < 1.0);
    if lines == 0 {
        return 0.0;
    }
    let mut lo = 0.0_f64;
    let mut hi = f64::from(lines).max(1.0);
    while blocking(hi, lines) <= grade {
        lo = hi;
        hi *= 2.0;
    }
    while hi - lo > 1e-12 * hi {
        let mid = 0.5 * (lo + hi);
        if blocking(mid, lines) <= grade {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_values_by_hand() {
        // B(A,1) = A/(1+A); B(A,2) = A²/2 / (1 + A + A²/2).
        assert!((blocking(3.0, 1) - 0.75).abs() < 1e-15);
        assert!((blocking(3.0, 2) - 4.5 / 8.5).abs() < 1e-15);
        assert!((blocking(0.0, 3)).abs() < 1e-300);
        assert!((blocking(0.0, 0) - 1.0).abs() < 1e-300);
    }

    #[test]
    fn real_extension_at_integers_and_between() {
        for &a in &[0.01, 0.5, 1.7, 2.5, 10.0, 123.0, 5000.0] {
            for n in [1_u32, 2, 7, 30, 150] {
                let int = blocking(a, n);
                let real = blocking_real(a, f64::from(n));
                assert!((int - real).abs() <= 1e-14 * int.max(1e-300), "{a} {n}");
                // Just below the integer the extension approaches the same value.
                let below = blocking_real(a, f64::from(n) - 1e-7);
                assert!(below >= real, "decreasing in servers at {a} {n}");
                assert!((below - real).abs() <= 1e-5 * real.max(1e-300) + 1e-300);
            }
        }
    }

    #[test]
    fn one_server_closed_form_for_fractional_x() {
        // B(A, x) for x in (0,1): 1/B = e^A A^{-x} Γ(x+1, A). At x = 1/2 with
        // A = 1: Γ(3/2, 1) = e^{-1} + (√π/2)·erfc(1).
        let erfc1 = 0.157_299_207_050_285_13;
        let gamma_upper = (-1.0_f64).exp() + 0.5 * std::f64::consts::PI.sqrt() * erfc1;
        let expected = 1.0 / (1.0_f64.exp() * gamma_upper);
        let got = blocking_real(1.0, 0.5);
        assert!((got - expected).abs() < 1e-14, "{got} vs {expected}");
    }

    #[test]
    fn grade_inverses() {
        assert_eq!(lines_for_grade(10.0, 0.02), 17);
        assert_eq!(lines_for_grade(0.0, 0.01), 0);
        let a = max_load_for_grade(15, 0.01);
        assert!((a - 8.108).abs() < 5e-4, "{a}");
        assert!(blocking(a, 15) <= 0.01);
    }
}
