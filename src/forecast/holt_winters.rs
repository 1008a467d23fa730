//! Holt–Winters exponential smoothing of daily totals: level, damped trend
//! and a multiplicative weekly season, the smoothing constants chosen by
//! the least squared one-step-ahead error in sample over a fixed grid. The
//! week's daily totals are then spread over the slots by each weekday's
//! recent intraday profile.
//!
//! Unknown days (gaps, special days) are replaced by the model's own
//! one-step forecast, so they neither pull the level down nor break the
//! season.

use super::{intraday_profiles, Day};

const ALPHAS: [f64; 5] = [0.05, 0.1, 0.2, 0.3, 0.5];
const BETAS: [f64; 4] = [0.0, 0.01, 0.05, 0.1];
const GAMMAS: [f64; 4] = [0.05, 0.1, 0.2, 0.3];
const DAMPING: f64 = 0.98;
const PROFILE_WEEKS: usize = 8;

pub(super) fn forecast(history: &[Day], slots: usize) -> Vec<Vec<f64>> {
    let totals: Vec<Option<f64>> = history
        .iter()
        .map(|d| d.as_ref().map(|v| v.iter().sum()))
        .collect();
    let mut best: Option<(f64, State)> = None;
    for &a in &ALPHAS {
        for &b in &BETAS {
            for &g in &GAMMAS {
                let (sse, state) = run(&totals, a, b, g);
                if best.as_ref().is_none_or(|(e, _)| sse < *e) {
                    best = Some((sse, state));
                }
            }
        }
    }
    let state = best
        .map(|b| b.1)
        .unwrap_or_else(|| run(&totals, 0.2, 0.01, 0.1).1);
    let profiles = intraday_profiles(history, slots, PROFILE_WEEKS);
    (0..7)
        .map(|d| {
            let daily = state.ahead(d + 1).max(0.0);
            profiles[d].iter().map(|p| daily * p).collect()
        })
        .collect()
}

/// The smoothing state after the last day, and where the season stands.
#[derive(Debug, Clone)]
struct State {
    level: f64,
    trend: f64,
    /// Season factor per weekday (Monday first).
    season: [f64; 7],
    /// Weekday of the next day to forecast.
    next_weekday: usize,
}

impl State {
    /// The total `h` days ahead (h ≥ 1).
    fn ahead(&self, h: usize) -> f64 {
        let damped: f64 = (1..=h).map(|i| DAMPING.powi(i as i32)).sum();
        (self.level + damped * self.trend) * self.season[(self.next_weekday + h - 1) % 7]
    }
}

/// Runs the smoother over the totals; returns the in-sample SSE of the
/// one-step forecasts after the first week, and the final state.
fn run(totals: &[Option<f64>], alpha: f64, beta: f64, gamma: f64) -> (f64, State) {
    let first: Vec<f64> = totals[..7].iter().map(|t| t.unwrap_or(0.0)).collect();
    let known: Vec<f64> = totals[..7].iter().flatten().copied().collect();
    let level0 = if known.is_empty() {
        0.0
    } else {
        known.iter().sum::<f64>() / known.len() as f64
    };
    let mut season = [1.0; 7];
    if level0 > 0.0 {
        for (d, s) in season.iter_mut().enumerate() {
            *s = if totals[d].is_some() {
                first[d] / level0
            } else {
                1.0
            };
        }
    }
    let mut trend = 0.0;
    if totals.len() >= 14 {
        let second: Vec<f64> = totals[7..14].iter().flatten().copied().collect();
        if !second.is_empty() && !known.is_empty() {
            trend = (second.iter().sum::<f64>() / second.len() as f64 - level0) / 7.0;
        }
    }
    let mut level = level0;
    let mut sse = 0.0;
    for (t, y) in totals.iter().enumerate().skip(7) {
        let d = t % 7;
        let s = season[d];
        let predicted = (level + DAMPING * trend) * s;
        let y = match y {
            Some(y) => {
                sse += (y - predicted).powi(2);
                *y
            }
            None => predicted,
        };
        let previous = level;
        level = if s > 1e-9 {
            alpha * (y / s) + (1.0 - alpha) * (level + DAMPING * trend)
        } else {
            level + DAMPING * trend
        };
        trend = beta * (level - previous) + (1.0 - beta) * DAMPING * trend;
        if level > 1e-9 {
            season[d] = gamma * (y / level) + (1.0 - gamma) * s;
        }
    }
    (
        sse,
        State {
            level,
            trend,
            season,
            next_weekday: totals.len() % 7,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_a_linear_trend_and_weekly_pattern() {
        // Daily totals grow 1% a week with a fixed weekday pattern.
        let pattern = [1.2, 1.1, 1.0, 1.0, 0.9, 0.5, 0.3];
        let days: Vec<Day> = (0..8 * 7)
            .map(|t| {
                let level = 1000.0 * (1.0 + 0.01 * (t / 7) as f64);
                Some(vec![level * pattern[t % 7] / 2.0; 2])
            })
            .collect();
        let f = forecast(&days, 2);
        let expected_week: f64 = pattern.iter().map(|p| 1080.0 * p).sum();
        let got: f64 = f.iter().flatten().sum();
        assert!(
            (got - expected_week).abs() / expected_week < 0.02,
            "{got} vs {expected_week}"
        );
        // Monday stays the busiest day.
        let day_totals: Vec<f64> = f.iter().map(|d| d.iter().sum()).collect();
        assert!(day_totals[0] > day_totals[2] && day_totals[2] > day_totals[6]);
    }
}
