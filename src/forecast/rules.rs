//! The spreadsheet rules: each interval from the same interval on recent
//! same weekdays — the last one, a weighted average, a plain or trimmed
//! mean, a median. Unknown days are skipped, not read as zero.

use super::Day;

/// The last `k` known same weekdays before the end of `history`, most
/// recent first, for weekday `d`.
fn last_known(history: &[Day], d: usize, k: usize) -> Vec<&Vec<f64>> {
    history
        .iter()
        .skip(d)
        .step_by(7)
        .rev()
        .filter_map(|day| day.as_ref())
        .take(k)
        .collect()
}

/// The most recent known same weekday, per weekday; zeros if none.
pub(super) fn seasonal_naive(history: &[Day], slots: usize) -> Vec<Vec<f64>> {
    (0..7)
        .map(|d| {
            last_known(history, d, 1)
                .first()
                .map(|v| v.to_vec())
                .unwrap_or_else(|| vec![0.0; slots])
        })
        .collect()
}

/// Same weekday over the last `k` weeks, weights k, k−1, …, 1 from the
/// most recent; unknown days skipped; the last known one if none.
pub(super) fn weighted_average(history: &[Day], slots: usize, k: usize) -> Vec<Vec<f64>> {
    let weeks = history.len() / 7;
    (0..7)
        .map(|d| {
            let mut sum = vec![0.0; slots];
            let mut weight = 0.0;
            for j in 0..k.min(weeks) {
                if let Some(day) = &history[(weeks - 1 - j) * 7 + d] {
                    let w = (k - j) as f64;
                    sum.iter_mut().zip(day).for_each(|(s, v)| *s += w * v);
                    weight += w;
                }
            }
            if weight > 0.0 {
                sum.iter_mut().for_each(|s| *s /= weight);
                sum
            } else {
                seasonal_naive(history, slots).swap_remove(d)
            }
        })
        .collect()
}

/// How the last k known same weekdays are summarised, slot by slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Summary {
    Mean,
    Median,
    /// The mean without the highest and the lowest value (with at least
    /// three values).
    Trimmed,
}

pub(super) fn summary(history: &[Day], slots: usize, k: usize, how: Summary) -> Vec<Vec<f64>> {
    (0..7)
        .map(|d| {
            let days = last_known(history, d, k);
            if days.is_empty() {
                return vec![0.0; slots];
            }
            (0..slots)
                .map(|s| {
                    let mut v: Vec<f64> = days.iter().map(|day| day[s]).collect();
                    v.sort_by(f64::total_cmp);
                    let n = v.len();
                    match how {
                        Summary::Mean => v.iter().sum::<f64>() / n as f64,
                        Summary::Median => super::median(&v).unwrap_or(0.0),
                        Summary::Trimmed if n >= 3 => {
                            v[1..n - 1].iter().sum::<f64>() / (n - 2) as f64
                        }
                        Summary::Trimmed => v.iter().sum::<f64>() / n as f64,
                    }
                })
                .collect()
        })
        .collect()
}

/// Share of each slot in its day's volume, per weekday, over the last
/// `k` known same weekdays (volume-weighted). A weekday never seen with
/// volume gets a flat profile.
pub(crate) fn intraday_profiles(history: &[Day], slots: usize, k: usize) -> Vec<Vec<f64>> {
    (0..7)
        .map(|d| {
            let mut sum = vec![0.0; slots];
            for day in last_known(history, d, k) {
                sum.iter_mut().zip(day).for_each(|(s, v)| *s += v);
            }
            let total: f64 = sum.iter().sum();
            if total > 0.0 {
                sum.iter().map(|s| s / total).collect()
            } else {
                vec![1.0 / slots as f64; slots]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_of_the_last_known_same_weekdays() {
        // Mondays 1, 2, 9, unknown, 4 (most recent last); other days 0.
        let mondays = [Some(1.0), Some(2.0), Some(9.0), None, Some(4.0)];
        let history: Vec<Day> = mondays
            .iter()
            .flat_map(|m| {
                let mut week = vec![Some(vec![0.0]); 7];
                week[0] = m.map(|v| vec![v]);
                week
            })
            .collect();
        let at = |k, how| summary(&history, 1, k, how)[0][0];
        assert!((at(3, Summary::Mean) - 5.0).abs() < 1e-12); // 4, 9, 2
        assert!((at(3, Summary::Median) - 4.0).abs() < 1e-12);
        assert!((at(4, Summary::Median) - 3.0).abs() < 1e-12); // 4, 9, 2, 1
        assert!((at(4, Summary::Trimmed) - 3.0).abs() < 1e-12); // without 9 and 1
        assert!((at(2, Summary::Trimmed) - 6.5).abs() < 1e-12); // too few to trim
        assert_eq!(seasonal_naive(&history, 1)[0], vec![4.0]);
    }
}
