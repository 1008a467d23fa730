//! Forecasting contacts per queue and interval from history.
//!
//! The core works on plain [`Series`]: for one queue, consecutive days from
//! a Monday, each a vector of contacts per local-time slot (or `None` for a
//! day with no data or left out, such as a public holiday). Methods forecast
//! the next week from the weeks before it; a rolling-origin backtest scores
//! them (WAPE, bias); `auto` picks, for each origin, the method with the
//! lowest WAPE on the weeks before that origin only, so its own backtest is
//! honest. `instance.rs` builds series from an instance and writes the
//! forecast week on the model's grid.

mod holt_winters;
mod instance;

use std::fmt;

pub use instance::{
    forecast_instance, with_followers, DemandError, InstanceForecast, QueueForecast,
};

/// Contacts per slot for one day; `None` when the day is unknown or left out.
pub type Day = Option<Vec<f64>>;

/// One queue's history: whole weeks of days, Monday first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub slots: usize,
    pub days: Vec<Day>,
}

impl Series {
    pub fn weeks(&self) -> usize {
        self.days.len() / 7
    }

    /// The first `weeks` weeks.
    fn until(&self, weeks: usize) -> &[Day] {
        &self.days[..weeks * 7]
    }

    /// The days of week `w`.
    fn week(&self, w: usize) -> &[Day] {
        &self.days[w * 7..(w + 1) * 7]
    }
}

/// A forecasting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// Same interval last week.
    SeasonalNaive,
    /// Same weekday and interval over the last `weeks` weeks, the most
    /// recent weighted most (weights k, k−1, …, 1).
    WeightedAverage { weeks: usize },
    /// Holt–Winters on daily totals (damped trend, multiplicative weekly
    /// season) times each weekday's intraday profile.
    HoltWinters,
}

impl Method {
    /// The methods `auto` chooses from.
    pub const CANDIDATES: [Method; 4] = [
        Method::SeasonalNaive,
        Method::WeightedAverage { weeks: 4 },
        Method::WeightedAverage { weeks: 8 },
        Method::HoltWinters,
    ];

    /// Weeks of history the method needs.
    pub fn min_weeks(self) -> usize {
        match self {
            Method::SeasonalNaive | Method::WeightedAverage { .. } => 1,
            Method::HoltWinters => 2,
        }
    }

    /// Forecasts the week after `history` (whole weeks), 7 days of slots.
    pub fn forecast(self, history: &[Day], slots: usize) -> Result<Vec<Vec<f64>>, ForecastError> {
        let weeks = history.len() / 7;
        if weeks < self.min_weeks() {
            return Err(ForecastError::TooShort {
                method: self,
                weeks,
                needs: self.min_weeks(),
            });
        }
        Ok(match self {
            Method::SeasonalNaive => seasonal_naive(history, slots),
            Method::WeightedAverage { weeks } => weighted_average(history, slots, weeks),
            Method::HoltWinters => holt_winters::forecast(history, slots),
        })
    }

    /// The name used on the command line and in outputs.
    pub fn name(self) -> String {
        match self {
            Method::SeasonalNaive => "seasonal-naive".into(),
            Method::WeightedAverage { weeks } => format!("weighted-average-{weeks}w"),
            Method::HoltWinters => "holt-winters".into(),
        }
    }

    /// Parses a name from `name()`; `weighted-average` alone is 4 weeks.
    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "seasonal-naive" => Some(Method::SeasonalNaive),
            "weighted-average" => Some(Method::WeightedAverage { weeks: 4 }),
            "holt-winters" => Some(Method::HoltWinters),
            other => other
                .strip_prefix("weighted-average-")
                .and_then(|w| w.strip_suffix('w'))
                .and_then(|w| w.parse().ok())
                .filter(|w| *w >= 1)
                .map(|weeks| Method::WeightedAverage { weeks }),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Why a forecast cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    #[error("{method} needs {needs} week(s) of history, there are {weeks}")]
    TooShort {
        method: Method,
        weeks: usize,
        needs: usize,
    },
}

/// The most recent known same weekday, per weekday.
fn seasonal_naive(history: &[Day], slots: usize) -> Vec<Vec<f64>> {
    (0..7)
        .map(|d| {
            history
                .iter()
                .skip(d)
                .step_by(7)
                .rev()
                .find_map(|day| day.clone())
                .unwrap_or_else(|| vec![0.0; slots])
        })
        .collect()
}

fn weighted_average(history: &[Day], slots: usize, k: usize) -> Vec<Vec<f64>> {
    let weeks = history.len() / 7;
    (0..7)
        .map(|d| {
            let mut sum = vec![0.0; slots];
            let mut weight = 0.0;
            // Known days among the last k weeks; if none, the last known.
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

/// Share of each slot in its day's volume, per weekday, over the last
/// `k` known same weekdays (volume-weighted). A weekday never seen with
/// volume gets a flat profile.
pub(crate) fn intraday_profiles(history: &[Day], slots: usize, k: usize) -> Vec<Vec<f64>> {
    let weeks = history.len() / 7;
    (0..7)
        .map(|d| {
            let mut sum = vec![0.0; slots];
            let mut seen = 0;
            for j in 0..weeks {
                if seen == k {
                    break;
                }
                if let Some(day) = &history[(weeks - 1 - j) * 7 + d] {
                    sum.iter_mut().zip(day).for_each(|(s, v)| *s += v);
                    seen += 1;
                }
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

/// Weeks of history the backtest of a planned week scores its methods
/// over (`slaplan plan`, and the day error the simulation measures).
pub const BACKTEST_WEEKS: usize = 6;

/// Forecast accuracy over some weeks: pooled WAPE (Σ|F − A| / ΣA) and bias
/// (Σ(F − A) / ΣA), over the known days.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Accuracy {
    pub abs_error: f64,
    pub error: f64,
    pub actual: f64,
    pub weeks: usize,
    /// Over the known days, whatever the level: Σ((F − A)² − F) of the
    /// day totals, the squared error beyond what Poisson arrivals around
    /// the forecast explain...
    pub day_excess: f64,
    /// ...and Σ F² (see [`Accuracy::day_cv`]).
    pub day_forecast_sq: f64,
}

impl Accuracy {
    pub fn wape(&self) -> f64 {
        if self.actual > 0.0 {
            self.abs_error / self.actual
        } else {
            f64::INFINITY
        }
    }

    /// The day total's error beyond Poisson noise, as a coefficient of
    /// variation: arrivals on a day are Poisson around the forecast times
    /// a factor of mean 1 and this CV (a gamma–Poisson mix, so that
    /// Var(A) = F + cv²F², estimated by moments: cv² = Σ((F − A)² − F) /
    /// ΣF², 0 when Poisson explains it all). `None` without a forecast day.
    pub fn day_cv(&self) -> Option<f64> {
        (self.day_forecast_sq > 0.0)
            .then(|| (self.day_excess / self.day_forecast_sq).max(0.0).sqrt())
    }

    pub fn bias(&self) -> f64 {
        if self.actual > 0.0 {
            self.error / self.actual
        } else {
            0.0
        }
    }

    fn add(&mut self, forecast: &[Vec<f64>], actual: &[Day], level: Level) {
        for (f, a) in forecast.iter().zip(actual) {
            if let Some(a) = a {
                let (fd, ad): (f64, f64) = (f.iter().sum(), a.iter().sum());
                self.day_excess += (fd - ad).powi(2) - fd;
                self.day_forecast_sq += fd * fd;
                match level {
                    Level::Interval => {
                        for (f, a) in f.iter().zip(a) {
                            self.abs_error += (f - a).abs();
                            self.error += f - a;
                            self.actual += a;
                        }
                    }
                    Level::Day => {
                        let (f, a): (f64, f64) = (f.iter().sum(), a.iter().sum());
                        self.abs_error += (f - a).abs();
                        self.error += f - a;
                        self.actual += a;
                    }
                }
            }
        }
        self.weeks += 1;
    }
}

/// Where forecast errors are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Each interval's error: what staffing by interval feels.
    Interval,
    /// Each day's total: for sparse queues, where an interval's count is
    /// mostly Poisson noise and interval errors reward replaying last
    /// week's random call times over estimating the rate.
    Day,
}

impl Level {
    /// Days for a queue averaging under one contact per interval over the
    /// slots it is active in (a slot with a contact on some same weekday of
    /// the history); intervals otherwise.
    pub fn for_series(series: &Series) -> Level {
        let mut active = vec![vec![false; series.slots]; 7];
        for (d, day) in series.days.iter().enumerate() {
            if let Some(day) = day {
                for (a, v) in active[d % 7].iter_mut().zip(day) {
                    *a |= *v > 0.0;
                }
            }
        }
        let (mut total, mut intervals) = (0.0, 0usize);
        for (d, day) in series.days.iter().enumerate() {
            if let Some(day) = day {
                total += day.iter().sum::<f64>();
                intervals += active[d % 7].iter().filter(|a| **a).count();
            }
        }
        if intervals > 0 && total / (intervals as f64) < 1.0 {
            Level::Day
        } else {
            Level::Interval
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Interval => "interval",
            Level::Day => "day",
        }
    }
}

/// How a forecast of one week is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choice {
    Fixed(Method),
    /// Per origin, the candidate with the lowest WAPE over up to this many
    /// weeks before it.
    Auto {
        selection_weeks: usize,
    },
}

impl Choice {
    /// Forecasts week `origin` from the weeks before it; with `Auto`, also
    /// says which method it used.
    pub fn forecast(
        &self,
        series: &Series,
        origin: usize,
    ) -> Result<(Method, Vec<Vec<f64>>), ForecastError> {
        let method = match *self {
            Choice::Fixed(m) => m,
            Choice::Auto { selection_weeks } => select(series, origin, selection_weeks),
        };
        method
            .forecast(series.until(origin), series.slots)
            .map(|f| (method, f))
    }
}

/// The candidate with the lowest WAPE on the weeks before `origin`
/// (ties to the earlier candidate); seasonal naive when there is not enough
/// history to compare.
pub fn select(series: &Series, origin: usize, selection_weeks: usize) -> Method {
    let level = Level::for_series(series);
    let first = origin.saturating_sub(selection_weeks).max(1);
    let mut best = (f64::INFINITY, Method::SeasonalNaive);
    for m in Method::CANDIDATES {
        if first < m.min_weeks() || first >= origin {
            continue;
        }
        if let Ok(acc) = backtest(series, Choice::Fixed(m), first..origin, level) {
            let w = acc.wape();
            if w < best.0 {
                best = (w, m);
            }
        }
    }
    best.1
}

/// Rolling-origin backtest: each week in `weeks` forecast from the weeks
/// before it and compared with what happened.
pub fn backtest(
    series: &Series,
    choice: Choice,
    weeks: std::ops::Range<usize>,
    level: Level,
) -> Result<Accuracy, ForecastError> {
    let mut acc = Accuracy::default();
    for w in weeks {
        let (_, f) = choice.forecast(series, w)?;
        acc.add(&f, series.week(w), level);
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(weeks: usize, per_slot: f64) -> Series {
        Series {
            slots: 4,
            days: vec![Some(vec![per_slot; 4]); weeks * 7],
        }
    }

    #[test]
    fn constant_history_is_forecast_exactly_by_every_method() {
        let s = flat(6, 10.0);
        for m in Method::CANDIDATES {
            let f = m.forecast(&s.days, 4).unwrap();
            for day in &f {
                for v in day {
                    assert!((v - 10.0).abs() < 1e-9, "{m}: {v}");
                }
            }
        }
        let acc = backtest(
            &s,
            Choice::Auto { selection_weeks: 4 },
            2..6,
            Level::Interval,
        )
        .unwrap();
        assert!(acc.wape() < 1e-9);
    }

    #[test]
    fn the_day_error_is_what_poisson_noise_does_not_explain() {
        // Forecast 100 a day; actuals 130 and 70 by turns: each day's
        // squared error 900, less the 100 Poisson explains, over 100².
        let forecast = vec![vec![50.0, 50.0]; 7];
        let week: Vec<Day> = (0..7)
            .map(|d| Some(vec![if d % 2 == 0 { 65.0 } else { 35.0 }; 2]))
            .collect();
        let mut acc = Accuracy::default();
        acc.add(&forecast, &week, Level::Interval);
        assert!((acc.day_cv().unwrap() - 0.08f64.sqrt()).abs() < 1e-12);
        // Within Poisson's noise: no day error.
        let close: Vec<Day> = (0..7).map(|_| Some(vec![52.0, 51.0])).collect();
        let mut acc = Accuracy::default();
        acc.add(&forecast, &close, Level::Day);
        assert_eq!(acc.day_cv(), Some(0.0));
        assert_eq!(Accuracy::default().day_cv(), None);
    }

    #[test]
    fn missing_days_are_skipped_not_read_as_zero() {
        let mut s = flat(3, 10.0);
        s.days[14] = None; // the last Monday is unknown
        let f = Method::SeasonalNaive.forecast(&s.days, 4).unwrap();
        assert_eq!(f[0], vec![10.0; 4]);
        let f = Method::WeightedAverage { weeks: 4 }
            .forecast(&s.days, 4)
            .unwrap();
        assert_eq!(f[0], vec![10.0; 4]);
    }

    #[test]
    fn holt_winters_needs_two_weeks() {
        let s = flat(1, 3.0);
        assert!(matches!(
            Method::HoltWinters.forecast(&s.days, 4),
            Err(ForecastError::TooShort { needs: 2, .. })
        ));
    }

    #[test]
    fn names_round_trip() {
        for m in Method::CANDIDATES {
            assert_eq!(Method::parse(&m.name()), Some(m));
        }
        assert_eq!(
            Method::parse("weighted-average"),
            Some(Method::WeightedAverage { weeks: 4 })
        );
        assert_eq!(Method::parse("arima"), None);
    }
}
