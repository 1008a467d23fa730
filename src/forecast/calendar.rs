//! Day totals by weekday and calendar effects, spread over the day by the
//! weekday's profile.
//!
//! A day's total is a level × its weekday's factor × its day-of-month
//! effect:
//! - weekday factors: the median, over the last [`FACTOR_WEEKS`] weeks, of
//!   each day's total over its week's mean known day;
//! - day-of-month effects (when the series' dates are known): each known
//!   day's total over the median of the same weekday up to four weeks
//!   either side (within the history), averaged per day of the month and
//!   shrunk toward 1 by one pseudo-observation — the start-of-month and
//!   pay-day peaks of a bank;
//! - the level: the median of the last [`LEVEL_DAYS`] known days, each
//!   divided by its weekday factor and calendar effect — robust to the odd
//!   day, slow to follow noise;
//! - the intraday profile: the weekday's volume-weighted profile over its
//!   last [`PROFILE_WEEKS`] known days (a long mean, so that a 30-minute
//!   slot's Poisson noise averages out).
//!
//! The windows are the ones measured best on the 1999 bank
//! (`docs/forecasting.md`).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::{intraday_profiles, median, Day};

pub const FACTOR_WEEKS: usize = 20;
pub const LEVEL_DAYS: usize = 35;
pub const PROFILE_WEEKS: usize = 12;
/// Pseudo-observations of "no effect" each day-of-month effect is shrunk by.
const SHRINK: f64 = 1.0;

pub(super) fn forecast(history: &[Day], slots: usize, first: Option<NaiveDate>) -> Vec<Vec<f64>> {
    let totals: Vec<Option<f64>> = history
        .iter()
        .map(|d| d.as_ref().map(|v| v.iter().sum()))
        .collect();
    let weeks = totals.len() / 7;
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); 7];
    for w in weeks.saturating_sub(FACTOR_WEEKS)..weeks {
        let week = &totals[w * 7..(w + 1) * 7];
        let known: Vec<f64> = week.iter().flatten().copied().collect();
        let mean = known.iter().sum::<f64>() / known.len().max(1) as f64;
        if mean > 0.0 {
            for (d, t) in week.iter().enumerate() {
                if let Some(t) = t {
                    ratios[d].push(t / mean);
                }
            }
        }
    }
    let factor: Vec<f64> = ratios.iter().map(|r| median(r).unwrap_or(1.0)).collect();
    let effects = first.map(|f| day_of_month(&totals, f)).unwrap_or_default();
    let effect = |i: usize| -> f64 {
        first
            .and_then(|f| effects.get(&(f + Duration::days(i as i64)).day()))
            .copied()
            .unwrap_or(1.0)
    };
    let normalised: Vec<f64> = totals
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let scale = factor[i % 7] * effect(i);
            t.filter(|_| scale > 1e-9).map(|t| t / scale)
        })
        .collect();
    let level = median(&normalised[normalised.len().saturating_sub(LEVEL_DAYS)..]).unwrap_or(0.0);
    let profiles = intraday_profiles(history, slots, PROFILE_WEEKS);
    (0..7)
        .map(|d| {
            let total = level * factor[d] * effect(totals.len() + d);
            profiles[d].iter().map(|p| total * p).collect()
        })
        .collect()
}

/// Per day of the month, the mean ratio of a day's total to its weekday's
/// usual (the median of the same weekday up to four weeks either side),
/// shrunk toward 1.
fn day_of_month(totals: &[Option<f64>], first: NaiveDate) -> BTreeMap<u32, f64> {
    let mut sums: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    let weeks = totals.len() / 7;
    for (i, t) in totals.iter().enumerate() {
        let Some(t) = t else { continue };
        let (w, d) = (i / 7, i % 7);
        let around: Vec<f64> = (w.saturating_sub(4)..(w + 5).min(weeks))
            .filter(|&v| v != w)
            .filter_map(|v| totals[v * 7 + d])
            .collect();
        if let Some(usual) = median(&around).filter(|u| *u > 0.0) {
            let e = sums
                .entry((first + Duration::days(i as i64)).day())
                .or_insert((0.0, 0.0));
            e.0 += t / usual;
            e.1 += 1.0;
        }
    }
    sums.into_iter()
        .map(|(day, (sum, n))| (day, (sum + SHRINK) / (n + SHRINK)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_of_month_peak_is_learned_and_forecast() {
        // 20 weeks from Monday 2024-01-01, 100 a day, 160 on the 1st of
        // the month; forecast the week of Monday 2024-05-20 .. 26 and the
        // one holding 1 June 2024 (a Saturday).
        let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let day = |i: usize| {
            let date = first + Duration::days(i as i64);
            Some(vec![if date.day() == 1 { 80.0 } else { 50.0 }; 2])
        };
        let history: Vec<Day> = (0..20 * 7).map(day).collect();
        let f = forecast(&history, 2, Some(first));
        for d in &f {
            assert!((d.iter().sum::<f64>() - 100.0).abs() < 1.0, "{d:?}");
        }
        let history: Vec<Day> = (0..21 * 7).map(day).collect();
        let f = forecast(&history, 2, Some(first));
        let saturday: f64 = f[5].iter().sum();
        // Five 1sts seen (ratio 1.6 each), shrunk by one: (8 + 1) / 6.
        assert!((saturday - 150.0).abs() < 2.0, "{saturday}");
        // Without dates, no calendar effect.
        let f = forecast(&history, 2, None);
        assert!((f[5].iter().sum::<f64>() - 100.0).abs() < 2.0);
    }
}
