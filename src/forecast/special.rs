//! Special days (public holidays, events): left out of every method's
//! training, and forecast as their weekday's usual day times the effect
//! of the same special day in the history.
//!
//! A special day's effect is learned from the earlier days of the same
//! name: the volume of each over its *usual* — the median of the last
//! [`USUAL_DAYS`] known ordinary same weekdays before it — pooled
//! (Σ volume / Σ usual), with the shape of the day (an eve that closes at
//! noon) from their pooled intraday profile, blended with the usual
//! profile as n : 1 for n earlier days. A factor the instance gives wins;
//! with neither, the day is forecast as a usual one.
//!
//! The ordinary days just before and after a special day (the catch-up
//! after a bank holiday) get the effect of the days in the same place
//! around the earlier days of that name: the mean ratio of their volume to
//! their usual, shrunk toward 1 by one pseudo-observation (they are
//! ordinary days, kept in training; the effect is weaker and noisier).

use super::{median, Series};

/// Ordinary same weekdays a special day's usual volume is taken from.
pub const USUAL_DAYS: usize = 4;

/// What is known of special day `i` of `series`, and how it will be
/// forecast from the days before `before`.
pub enum Effect {
    /// The instance's factor.
    Given(f64),
    /// Learned from `days` earlier days of the same name: the day's volume
    /// factor and its intraday profile.
    Learned {
        days: usize,
        factor: f64,
        profile: Vec<f64>,
    },
    /// Nothing to go by: a usual day.
    None,
}

/// The effect of special day `i`, learned from the days before `before`.
pub fn effect(series: &Series, i: usize, before: usize) -> Effect {
    let Some(special) = series.special.get(&i) else {
        return Effect::None;
    };
    if let Some(f) = special.factor {
        return Effect::Given(f);
    }
    let (mut volume, mut usual) = (0.0, 0.0);
    let mut shape = vec![0.0; series.slots];
    let mut days = 0;
    for (&j, earlier) in series.special.range(..before.min(i)) {
        let Some(observed) = &earlier.observed else {
            continue;
        };
        if earlier.name != special.name {
            continue;
        }
        let Some(u) = usual_total(series, j) else {
            continue;
        };
        volume += observed.iter().sum::<f64>();
        usual += u;
        shape.iter_mut().zip(observed).for_each(|(s, v)| *s += v);
        days += 1;
    }
    if days == 0 || usual <= 0.0 {
        return Effect::None;
    }
    let total: f64 = shape.iter().sum();
    if total > 0.0 {
        shape.iter_mut().for_each(|s| *s /= total);
    }
    Effect::Learned {
        days,
        factor: volume / usual,
        profile: shape,
    }
}

/// The median total of the last known ordinary same weekdays before day `j`.
fn usual_total(series: &Series, j: usize) -> Option<f64> {
    let totals: Vec<f64> = (0..j / 7)
        .rev()
        .filter_map(|w| series.days[w * 7 + j % 7].as_ref())
        .take(USUAL_DAYS)
        .map(|d| d.iter().sum())
        .collect();
    median(&totals)
}

/// What ordinary day `i` is next to ("the day before X", or after) and its
/// factor, learned from the days in the same place around the earlier days
/// named X, before `before`; `None` when `i` is not next to a special day
/// or nothing is known. The day before a special day is looked at first.
pub fn around(series: &Series, i: usize, before: usize) -> Option<(String, f64)> {
    if series.special.contains_key(&i) {
        return None;
    }
    for side in [1isize, -1] {
        let Some(next) = i.checked_add_signed(side) else {
            continue;
        };
        let Some(special) = series.special.get(&next) else {
            continue;
        };
        let (mut sum, mut n) = (0.0, 0.0);
        for (&j, earlier) in series.special.range(..before.min(i)) {
            if earlier.name != special.name {
                continue;
            }
            let Some(k) = j.checked_add_signed(-side).filter(|&k| k < before) else {
                continue;
            };
            let (Some(day), Some(u)) = (
                series.days.get(k).and_then(|d| d.as_ref()),
                usual_total(series, k),
            ) else {
                continue;
            };
            if u > 0.0 && !series.special.contains_key(&k) {
                sum += day.iter().sum::<f64>() / u;
                n += 1.0;
            }
        }
        if n > 0.0 {
            let place = if side > 0 { "before" } else { "after" };
            return Some((
                format!("the day {place} {}", special.name),
                (sum + 1.0) / (n + 1.0),
            ));
        }
    }
    None
}

/// Applies the special days of week `origin`, and the days around them,
/// to its usual forecast.
pub fn adjust(series: &Series, origin: usize, week: &mut [Vec<f64>]) {
    for (d, day) in week.iter_mut().enumerate() {
        if let Some((_, f)) = around(series, origin * 7 + d, origin * 7) {
            day.iter_mut().for_each(|v| *v *= f);
        }
        match effect(series, origin * 7 + d, origin * 7) {
            Effect::Given(f) => day.iter_mut().for_each(|v| *v *= f),
            Effect::Learned {
                days,
                factor,
                profile,
            } => {
                let total: f64 = day.iter().sum();
                let n = days as f64;
                for (v, p) in day.iter_mut().zip(&profile) {
                    let usual = if total > 0.0 { *v / total } else { 0.0 };
                    *v = factor * total * (n * p + usual) / (n + 1.0);
                }
            }
            Effect::None => {}
        }
    }
}
