//! Prediction intervals: how far an interval's count may fall from its
//! forecast.
//!
//! A count is taken as negative binomial around the forecast F — Poisson
//! arrivals at a rate that is itself uncertain (a gamma–Poisson mix), with
//! Var = F + φF² — where φ comes from the errors of the same forecasting
//! rule over the weeks before (moments: φ = Σ((F − A)² − F) / ΣF², 0 when
//! Poisson explains it all). Counts are integers and a bank's night slots
//! hold a call or two, so an interval between the distribution's α/2 and
//! 1 − α/2 quantiles covers more than 1 − α; the tail probability is
//! therefore calibrated on those same past weeks — the largest that would
//! have covered at least the nominal share of their counts — and then
//! applied to the week forecast. Nothing of the week forecast is used.

use statrs::distribution::{DiscreteCDF, NegativeBinomial, Poisson};

/// Nominal coverages of the intervals: 80% and 95%.
pub const LEVELS: [f64; 2] = [0.8, 0.95];

/// A forecast's spread, estimated from past errors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Overdispersion φ of a count around its forecast.
    pub phi: f64,
    /// For each of [`LEVELS`], the tail probability each side.
    pub tails: [f64; 2],
}

enum Count {
    Zero,
    Poisson(Poisson),
    Mix(NegativeBinomial),
}

impl Count {
    fn new(mean: f64, phi: f64) -> Count {
        if mean <= 1e-12 {
            Count::Zero
        } else if phi <= 1e-9 {
            Count::Poisson(Poisson::new(mean).expect("a positive mean"))
        } else {
            let r = 1.0 / phi;
            Count::Mix(NegativeBinomial::new(r, r / (r + mean)).expect("r > 0, 0 < p ≤ 1"))
        }
    }

    fn cdf(&self, k: u64) -> f64 {
        match self {
            Count::Zero => 1.0,
            Count::Poisson(d) => d.cdf(k),
            Count::Mix(d) => d.cdf(k),
        }
    }

    fn quantile(&self, p: f64) -> u64 {
        match self {
            Count::Zero => 0,
            Count::Poisson(d) => d.inverse_cdf(p),
            Count::Mix(d) => d.inverse_cdf(p),
        }
    }
}

impl Spread {
    /// The spread of a rule whose past forecasts and outcomes are `past`
    /// (forecast, actual count) pairs; `None` without any.
    pub fn estimate(past: &[(f64, f64)]) -> Option<Spread> {
        let (excess, sq) = past.iter().fold((0.0, 0.0), |(e, s), (f, a)| {
            (e + (f - a).powi(2) - f, s + f * f)
        });
        if past.is_empty() || sq <= 0.0 {
            return None;
        }
        let phi = (excess / sq).max(0.0);
        // For each count, the tail probabilities p for which the interval
        // [q(p), q(1 − p)] holds it: p ≤ F(a) and p < 1 − F(a − 1).
        let bounds: Vec<(f64, f64)> = past
            .iter()
            .map(|&(f, a)| {
                let a = a.round().max(0.0) as u64;
                let c = Count::new(f, phi);
                let below = if a == 0 { 0.0 } else { c.cdf(a - 1) };
                (c.cdf(a), 1.0 - below)
            })
            .collect();
        let covered = |p: f64| {
            bounds.iter().filter(|(le, lt)| p <= *le && p < *lt).count() as f64
                / bounds.len() as f64
        };
        let tails = LEVELS.map(|level| {
            // Coverage falls as p grows: the largest p still covering.
            let (mut lo, mut hi) = (0.0, 0.5);
            for _ in 0..40 {
                let mid = (lo + hi) / 2.0;
                if covered(mid) >= level {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lo.max(1e-6)
        });
        Some(Spread { phi, tails })
    }

    /// The interval at `LEVELS[level]` around a forecast of `mean`.
    pub fn interval(&self, mean: f64, level: usize) -> (f64, f64) {
        let c = Count::new(mean, self.phi);
        let p = self.tails[level];
        (c.quantile(p) as f64, c.quantile(1.0 - p) as f64)
    }

    /// Whether `actual` falls in the interval at `LEVELS[level]`:
    /// q(p) ≤ a ≤ q(1 − p), i.e. p ≤ F(a) and F(a − 1) < 1 − p (two
    /// distribution values, no quantile search).
    pub fn covers(&self, mean: f64, actual: f64, level: usize) -> bool {
        let c = Count::new(mean, self.phi);
        let a = actual.round().max(0.0) as u64;
        let p = self.tails[level];
        let below = if a == 0 { 0.0 } else { c.cdf(a - 1) };
        p <= c.cdf(a) && below < 1.0 - p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::Distribution;

    #[test]
    fn intervals_cover_what_they_say_on_counts_drawn_as_assumed() {
        // Rates with a 20% day error, counts Poisson around them: the
        // spread estimated on one sample covers the nominal share of
        // another, at small counts (discrete) and large.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let gamma = rand_distr::Gamma::new(25.0, 1.0 / 25.0).unwrap();
        let mut draw = |n: usize| -> Vec<(f64, f64)> {
            (0..n)
                .map(|i| {
                    let f = [0.5, 3.0, 20.0, 120.0][i % 4];
                    let rate = f * gamma.sample(&mut rng);
                    let a = rand_distr::Poisson::new(rate).unwrap().sample(&mut rng);
                    (f, a)
                })
                .collect()
        };
        let s = Spread::estimate(&draw(4000)).unwrap();
        assert!((s.phi - 0.04).abs() < 0.01, "{s:?}");
        let test = draw(4000);
        for (level, nominal) in LEVELS.iter().enumerate() {
            let share = test.iter().filter(|(f, a)| s.covers(*f, *a, level)).count() as f64
                / test.len() as f64;
            assert!((share - nominal).abs() < 0.025, "{nominal}: {share}");
        }
        // `covers` says what the interval says.
        for (f, a) in test.iter().take(400) {
            for level in 0..2 {
                let (lo, hi) = s.interval(*f, level);
                assert_eq!(s.covers(*f, *a, level), lo <= *a && *a <= hi, "{f} {a}");
            }
        }
        // Wider at 95% than at 80%.
        let (lo80, hi80) = s.interval(100.0, 0);
        let (lo95, hi95) = s.interval(100.0, 1);
        assert!(lo95 < lo80 && hi80 < hi95 && lo80 < 100.0 && 100.0 < hi80);
    }
}
