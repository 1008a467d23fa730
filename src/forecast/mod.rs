//! Forecasting contacts per queue and interval from history.
//!
//! The core works on plain [`Series`]: for one queue, consecutive days from
//! a Monday, each a vector of contacts per local-time slot (or `None` for a
//! day with no data or left out, such as a public holiday). Methods forecast
//! the next week from the weeks before it; special days are then forecast
//! from the earlier days of the same name ([`special`]). A rolling-origin
//! backtest ([`Backtest`]) scores them (WAPE, bias, prediction-interval
//! coverage); `auto` averages, for each origin, the [`TOP`] candidates
//! with the lowest WAPE over the weeks before that origin only (6 by
//! default), so its own backtest is honest.
//! `instance.rs` builds series from an instance and writes the forecast
//! week on the model's grid.

mod calendar;
mod holt_winters;
mod instance;
mod rules;
pub mod special;
pub mod spread;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Range, RangeInclusive};

use chrono::NaiveDate;

pub use instance::{
    forecast_instance, with_followers, AhtAccuracy, Band, DemandError, InstanceForecast,
    QueueForecast,
};
pub(crate) use rules::intraday_profiles;
pub use spread::Spread;

/// Contacts per slot for one day; `None` when the day is unknown or left out.
pub type Day = Option<Vec<f64>>;

/// A week's forecast: seven days (Monday first) of contacts per slot.
pub type Week = Vec<Vec<f64>>;

/// A special day of a series: a public holiday or an event, named so that
/// the same day in other years (or days of a kind named alike) share an
/// effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Special {
    pub name: String,
    /// What happened that day, if known (not for the week forecast).
    pub observed: Day,
    /// The volume relative to a usual day of its weekday, when given.
    pub factor: Option<f64>,
}

/// One queue's history: whole weeks of days, Monday first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub slots: usize,
    /// The days, `None` where unknown or special (out of training).
    pub days: Vec<Day>,
    /// The date of the first day, for calendar effects (day of the month).
    pub first: Option<NaiveDate>,
    /// Special days by index, in the history and in the week after it.
    pub special: BTreeMap<usize, Special>,
}

impl Series {
    /// A series without dates or special days.
    pub fn new(slots: usize, days: Vec<Day>) -> Series {
        Series {
            slots,
            days,
            first: None,
            special: BTreeMap::new(),
        }
    }

    pub fn weeks(&self) -> usize {
        self.days.len() / 7
    }

    /// The first `weeks` weeks.
    fn until(&self, weeks: usize) -> &[Day] {
        &self.days[..weeks * 7]
    }

    /// What happened on day `i`: the day, or a special day's volume.
    pub fn actual(&self, i: usize) -> Option<&Vec<f64>> {
        self.days
            .get(i)
            .and_then(|d| d.as_ref())
            .or_else(|| self.special.get(&i).and_then(|s| s.observed.as_ref()))
    }
}

/// The median of `values`; `None` when empty.
pub(crate) fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
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
    /// Same weekday and interval: the plain mean of the last `weeks` known
    /// same weekdays.
    Mean { weeks: usize },
    /// ... their median.
    Median { weeks: usize },
    /// ... their mean without the highest and the lowest.
    TrimmedMean { weeks: usize },
    /// Holt–Winters on daily totals (damped trend, multiplicative weekly
    /// season) times each weekday's intraday profile.
    HoltWinters,
    /// Day totals from a level, weekday factors and day-of-month effects,
    /// times the weekday's long intraday profile (`calendar.rs`).
    Calendar,
}

impl Method {
    /// The methods `auto` combines.
    pub const CANDIDATES: [Method; 10] = [
        Method::SeasonalNaive,
        Method::WeightedAverage { weeks: 4 },
        Method::WeightedAverage { weeks: 8 },
        Method::Mean { weeks: 4 },
        Method::Mean { weeks: 8 },
        Method::Median { weeks: 4 },
        Method::Median { weeks: 8 },
        Method::TrimmedMean { weeks: 8 },
        Method::HoltWinters,
        Method::Calendar,
    ];

    /// Weeks of history the method needs.
    pub fn min_weeks(self) -> usize {
        match self {
            Method::HoltWinters => 2,
            _ => 1,
        }
    }

    /// Forecasts week `origin` of `series` from the weeks before it, special
    /// days included.
    pub fn forecast(self, series: &Series, origin: usize) -> Result<Week, ForecastError> {
        if origin < self.min_weeks() {
            return Err(ForecastError::TooShort {
                method: self,
                weeks: origin,
                needs: self.min_weeks(),
            });
        }
        let history = series.until(origin);
        let slots = series.slots;
        let mut week = match self {
            Method::SeasonalNaive => rules::seasonal_naive(history, slots),
            Method::WeightedAverage { weeks } => rules::weighted_average(history, slots, weeks),
            Method::Mean { weeks } => rules::summary(history, slots, weeks, rules::Summary::Mean),
            Method::Median { weeks } => {
                rules::summary(history, slots, weeks, rules::Summary::Median)
            }
            Method::TrimmedMean { weeks } => {
                rules::summary(history, slots, weeks, rules::Summary::Trimmed)
            }
            Method::HoltWinters => holt_winters::forecast(history, slots),
            Method::Calendar => calendar::forecast(history, slots, series.first),
        };
        // A weekday never known in the history (a queue open on Saturdays
        // whose export has no Saturday) has nothing to go by: zero, as
        // the last-known rule says, whatever a model's level would give.
        for (d, day) in week.iter_mut().enumerate() {
            if history.iter().skip(d).step_by(7).all(Option::is_none) {
                day.iter_mut().for_each(|v| *v = 0.0);
            }
        }
        special::adjust(series, origin, &mut week);
        Ok(week)
    }

    /// The name used on the command line and in outputs.
    pub fn name(self) -> String {
        match self {
            Method::SeasonalNaive => "seasonal-naive".into(),
            Method::WeightedAverage { weeks } => format!("weighted-average-{weeks}w"),
            Method::Mean { weeks } => format!("mean-{weeks}w"),
            Method::Median { weeks } => format!("median-{weeks}w"),
            Method::TrimmedMean { weeks } => format!("trimmed-mean-{weeks}w"),
            Method::HoltWinters => "holt-winters".into(),
            Method::Calendar => "calendar".into(),
        }
    }

    /// Parses a name from `name()`; `weighted-average` alone is 4 weeks.
    pub fn parse(text: &str) -> Option<Method> {
        let weeks = |prefix: &str| -> Option<usize> {
            text.strip_prefix(prefix)
                .and_then(|w| w.strip_suffix('w'))
                .and_then(|w| w.parse().ok())
                .filter(|w| (1..=52).contains(w))
        };
        match text {
            "seasonal-naive" => Some(Method::SeasonalNaive),
            "weighted-average" => Some(Method::WeightedAverage { weeks: 4 }),
            "holt-winters" => Some(Method::HoltWinters),
            "calendar" => Some(Method::Calendar),
            _ => weeks("weighted-average-")
                .map(|weeks| Method::WeightedAverage { weeks })
                .or_else(|| weeks("mean-").map(|weeks| Method::Mean { weeks }))
                .or_else(|| weeks("median-").map(|weeks| Method::Median { weeks }))
                .or_else(|| weeks("trimmed-mean-").map(|weeks| Method::TrimmedMean { weeks })),
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

/// Weeks of history the backtest of a planned week scores its methods
/// over (`slaplan plan`, and the day error the simulation measures).
pub const BACKTEST_WEEKS: usize = 6;

/// Weeks before an origin over which the prediction intervals are
/// estimated and calibrated.
pub const SPREAD_WEEKS: usize = 12;

/// Candidates `auto` averages, at most...
pub const TOP: usize = 3;

/// ...of those whose WAPE is within this share of the best's: a candidate
/// clearly behind the best would only dilute it.
pub const CLOSE: f64 = 0.02;

/// Forecast accuracy over some weeks: pooled WAPE (Σ|F − A| / ΣA) and bias
/// (Σ(F − A) / ΣA), over the known days; and how often the prediction
/// intervals held the actual count.
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
    /// Interval counts scored for coverage (forecast or actual above 0)...
    pub cells: usize,
    /// ...and of them, inside the 80% and the 95% prediction interval.
    pub covered: [usize; 2],
    /// The same for day totals.
    pub day_cells: usize,
    pub day_covered: [usize; 2],
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

    /// Share of interval counts inside the prediction interval at
    /// `spread::LEVELS[level]`; `None` when none was scored.
    pub fn coverage(&self, level: usize) -> Option<f64> {
        (self.cells > 0).then(|| self.covered[level] as f64 / self.cells as f64)
    }

    /// The same for day totals and their intervals.
    pub fn day_coverage(&self, level: usize) -> Option<f64> {
        (self.day_cells > 0).then(|| self.day_covered[level] as f64 / self.day_cells as f64)
    }

    fn add(&mut self, forecast: &[Vec<f64>], actual: &[Option<&Vec<f64>>], level: Level) {
        for (f, a) in forecast.iter().zip(actual) {
            if let Some(a) = a {
                let (fd, ad): (f64, f64) = (f.iter().sum(), a.iter().sum());
                self.day_excess += (fd - ad).powi(2) - fd;
                self.day_forecast_sq += fd * fd;
                match level {
                    Level::Interval => {
                        for (f, a) in f.iter().zip(a.iter()) {
                            self.abs_error += (f - a).abs();
                            self.error += f - a;
                            self.actual += a;
                        }
                    }
                    Level::Day => {
                        self.abs_error += (fd - ad).abs();
                        self.error += fd - ad;
                        self.actual += ad;
                    }
                }
            }
        }
        self.weeks += 1;
    }

    fn add_coverage(
        &mut self,
        forecast: &[Vec<f64>],
        actual: &[Option<&Vec<f64>>],
        interval: Option<&Spread>,
        day: Option<&Spread>,
    ) {
        for (f, a) in forecast.iter().zip(actual) {
            let Some(a) = a else { continue };
            if let Some(s) = interval {
                for (f, a) in f.iter().zip(a.iter()) {
                    if *f > 0.0 || *a > 0.0 {
                        self.cells += 1;
                        for (level, c) in self.covered.iter_mut().enumerate() {
                            *c += usize::from(s.covers(*f, *a, level));
                        }
                    }
                }
            }
            let (fd, ad): (f64, f64) = (f.iter().sum(), a.iter().sum());
            if let (Some(s), true) = (day, fd > 0.0 || ad > 0.0) {
                self.day_cells += 1;
                for (level, c) in self.day_covered.iter_mut().enumerate() {
                    *c += usize::from(s.covers(fd, ad, level));
                }
            }
        }
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

/// The candidates a forecast averages (one: the method alone), in the
/// candidates' order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blend {
    pub methods: Vec<Method>,
}

impl Blend {
    pub fn single(m: Method) -> Blend {
        Blend { methods: vec![m] }
    }

    /// The one method used, if so.
    pub fn as_single(&self) -> Option<Method> {
        match self.methods[..] {
            [m] => Some(m),
            _ => None,
        }
    }

    pub fn uses(&self, m: Method) -> bool {
        self.methods.contains(&m)
    }

    /// In words: the method, or "mean of a, b, c".
    pub fn describe(&self) -> String {
        match self.as_single() {
            Some(m) => m.name(),
            None => {
                let names: Vec<String> = self.methods.iter().map(|m| m.name()).collect();
                format!("mean of {}", names.join(", "))
            }
        }
    }
}

/// How a forecast of one week is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choice {
    Fixed(Method),
    /// Per origin, the mean of the [`TOP`] candidates with the lowest WAPE
    /// over the `selection_weeks` weeks before the origin (those the
    /// backtest [`Backtest`] was made with).
    Auto,
}

/// Every candidate's forecast of every week of a series (from the weeks
/// before it), `auto`'s from those, and their scores.
pub struct Backtest<'a> {
    series: &'a Series,
    level: Level,
    selection_weeks: usize,
    /// The candidates, then a method forced from outside them.
    methods: Vec<Method>,
    /// Per method, per origin `0..=last`: the forecast, if possible.
    candidates: Vec<Vec<Option<Week>>>,
    auto: Vec<Option<(Blend, Week)>>,
}

impl<'a> Backtest<'a> {
    /// Forecasts the weeks `origins` of `series` (the last may be the week
    /// after the history) by every candidate and by `forced` (a method
    /// asked for, any `-Kw`), and by `auto` (ranking the candidates over the
    /// `selection_weeks` weeks before each) where its whole window is among
    /// them; errors counted at `level`.
    pub fn new(
        series: &'a Series,
        origins: RangeInclusive<usize>,
        level: Level,
        selection_weeks: usize,
        forced: Option<Method>,
    ) -> Backtest<'a> {
        let (first, last) = (*origins.start(), *origins.end());
        let mut methods = Method::CANDIDATES.to_vec();
        methods.extend(forced.filter(|m| !methods.contains(m)));
        let candidates = methods
            .iter()
            .map(|m| {
                (0..=last)
                    .map(|w| (w >= first).then(|| m.forecast(series, w).ok()).flatten())
                    .collect()
            })
            .collect();
        let mut b = Backtest {
            series,
            level,
            selection_weeks,
            methods,
            candidates,
            auto: Vec::new(),
        };
        let auto_from = if first == 0 {
            0
        } else {
            first + selection_weeks
        };
        b.auto = (0..=last)
            .map(|w| (w >= auto_from).then(|| b.combine(w)).flatten())
            .collect();
        b
    }

    /// The methods forecast: the candidates, then the one forced.
    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    fn actual_week(&self, w: usize) -> Vec<Option<&'a Vec<f64>>> {
        (w * 7..(w + 1) * 7)
            .map(|i| self.series.actual(i))
            .collect()
    }

    /// `auto` at `origin`: the best [`TOP`] candidates over the weeks
    /// before (all weekdays pooled; seasonal naive with no week to judge
    /// by), averaged.
    fn combine(&self, origin: usize) -> Option<(Blend, Week)> {
        let window = origin.saturating_sub(self.selection_weeks)..origin;
        let actual: Vec<_> = window.clone().map(|w| self.actual_week(w)).collect();
        let mut ranked: Vec<(f64, usize)> = Vec::new();
        let candidates = &self.candidates[..Method::CANDIDATES.len()];
        for (c, runs) in candidates.iter().enumerate() {
            if runs.get(origin).is_none_or(|f| f.is_none()) {
                continue;
            }
            let mut acc = Accuracy::default();
            for (w, a) in window.clone().zip(&actual) {
                if let Some(f) = &runs[w] {
                    acc.add(f, a, self.level);
                }
            }
            if acc.actual > 0.0 {
                ranked.push((acc.wape(), c));
            }
        }
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let chosen: Vec<usize> = match ranked.first() {
            None => vec![0],
            Some(&(best, _)) => ranked
                .iter()
                .take(TOP)
                .filter(|r| r.0 <= best * (1.0 + CLOSE))
                .map(|r| r.1)
                .collect(),
        };
        let mut week = vec![vec![0.0; self.series.slots]; 7];
        for &c in &chosen {
            let f = self.candidates[c][origin].as_ref()?;
            for (day, fd) in week.iter_mut().zip(f) {
                day.iter_mut().zip(fd).for_each(|(s, v)| *s += v);
            }
        }
        let n = chosen.len() as f64;
        week.iter_mut().flatten().for_each(|s| *s /= n);
        let mut methods: Vec<Method> = chosen.iter().map(|&c| Method::CANDIDATES[c]).collect();
        methods.sort();
        Some((Blend { methods }, week))
    }

    /// The forecast of week `origin` by `choice`, and what made it.
    pub fn forecast(&self, choice: Choice, origin: usize) -> Option<(Blend, &Week)> {
        match choice {
            Choice::Auto => self.auto.get(origin)?.as_ref().map(|(b, w)| (b.clone(), w)),
            Choice::Fixed(m) => {
                let c = self.methods.iter().position(|x| *x == m)?;
                self.candidates[c]
                    .get(origin)?
                    .as_ref()
                    .map(|w| (Blend::single(m), w))
            }
        }
    }

    /// The spread of `choice`'s interval counts over the weeks before
    /// `origin`.
    pub fn spread(&self, choice: Choice, origin: usize) -> Option<Spread> {
        Spread::estimate(&self.past(choice, origin, false))
    }

    /// The spread of `choice`'s day totals over the weeks before `origin`.
    pub fn day_spread(&self, choice: Choice, origin: usize) -> Option<Spread> {
        Spread::estimate(&self.past(choice, origin, true))
    }

    /// (forecast, actual) over the [`SPREAD_WEEKS`] weeks before `origin`:
    /// each interval's count, or with `days` each day's total, where either
    /// is above zero.
    fn past(&self, choice: Choice, origin: usize, days: bool) -> Vec<(f64, f64)> {
        let mut past = Vec::new();
        for w in origin.saturating_sub(SPREAD_WEEKS)..origin {
            let Some((_, f)) = self.forecast(choice, w) else {
                continue;
            };
            for (fd, a) in f.iter().zip(self.actual_week(w)) {
                let Some(a) = a else { continue };
                if days {
                    past.push((fd.iter().sum(), a.iter().sum()));
                } else {
                    past.extend(fd.iter().zip(a.iter()).map(|(f, a)| (*f, *a)));
                }
            }
        }
        past.retain(|(f, a)| *f > 0.0 || *a > 0.0);
        past
    }

    /// `choice`'s accuracy over `weeks`; with `coverage`, its prediction
    /// intervals' too (each week's from the weeks before it).
    pub fn score(
        &self,
        choice: Choice,
        weeks: Range<usize>,
        coverage: bool,
    ) -> Result<Accuracy, ForecastError> {
        let mut acc = Accuracy::default();
        for w in weeks {
            let Some((_, f)) = self.forecast(choice, w) else {
                let method = match choice {
                    Choice::Fixed(m) => m,
                    Choice::Auto => Method::SeasonalNaive,
                };
                return Err(ForecastError::TooShort {
                    method,
                    weeks: w,
                    needs: method.min_weeks(),
                });
            };
            let actual = self.actual_week(w);
            acc.add(f, &actual, self.level);
            if coverage {
                let interval = self.spread(choice, w);
                let day = self.day_spread(choice, w);
                acc.add_coverage(f, &actual, interval.as_ref(), day.as_ref());
            }
        }
        Ok(acc)
    }
}

/// Rolling-origin backtest: each week in `weeks` forecast by `choice` from
/// the weeks before it and compared with what happened.
pub fn backtest(
    series: &Series,
    choice: Choice,
    weeks: Range<usize>,
    level: Level,
) -> Result<Accuracy, ForecastError> {
    let forced = match choice {
        Choice::Fixed(m) => Some(m),
        Choice::Auto => None,
    };
    Backtest::new(
        series,
        0..=weeks.end.saturating_sub(1),
        level,
        BACKTEST_WEEKS,
        forced,
    )
    .score(choice, weeks, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(weeks: usize, per_slot: f64) -> Series {
        Series::new(4, vec![Some(vec![per_slot; 4]); weeks * 7])
    }

    fn refs(week: &[Day]) -> Vec<Option<&Vec<f64>>> {
        week.iter().map(|d| d.as_ref()).collect()
    }

    #[test]
    fn constant_history_is_forecast_exactly_by_every_method() {
        let s = flat(6, 10.0);
        for m in Method::CANDIDATES {
            let f = m.forecast(&s, 6).unwrap();
            for day in &f {
                for v in day {
                    assert!((v - 10.0).abs() < 1e-9, "{m}: {v}");
                }
            }
        }
        let acc = backtest(&s, Choice::Auto, 2..6, Level::Interval).unwrap();
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
        acc.add(&forecast, &refs(&week), Level::Interval);
        assert!((acc.day_cv().unwrap() - 0.08f64.sqrt()).abs() < 1e-12);
        // Within Poisson's noise: no day error.
        let close: Vec<Day> = (0..7).map(|_| Some(vec![52.0, 51.0])).collect();
        let mut acc = Accuracy::default();
        acc.add(&forecast, &refs(&close), Level::Day);
        assert_eq!(acc.day_cv(), Some(0.0));
        assert_eq!(Accuracy::default().day_cv(), None);
    }

    #[test]
    fn missing_days_are_skipped_not_read_as_zero() {
        let mut s = flat(3, 10.0);
        s.days[14] = None; // the last Monday is unknown
        for m in Method::CANDIDATES {
            let f = m.forecast(&s, 3).unwrap();
            assert_eq!(f[0], vec![10.0; 4], "{m}");
        }
    }

    /// A method asked for outside the candidates (any `-Kw`) is backtested
    /// and forecast, and auto does not rank it.
    #[test]
    fn a_method_outside_the_candidates_can_be_asked_for() {
        let s = flat(6, 10.0);
        let m = Method::WeightedAverage { weeks: 3 };
        assert!(!Method::CANDIDATES.contains(&m));
        let acc = backtest(&s, Choice::Fixed(m), 2..6, Level::Interval).unwrap();
        assert_eq!(acc.weeks, 4);
        let b = Backtest::new(&s, 0..=6, Level::Interval, BACKTEST_WEEKS, Some(m));
        let (blend, week) = b.forecast(Choice::Fixed(m), 6).unwrap();
        assert_eq!(blend.as_single(), Some(m));
        assert!(week.iter().flatten().all(|v| (v - 10.0).abs() < 1e-9));
        let (auto, _) = b.forecast(Choice::Auto, 6).unwrap();
        assert!(!auto.uses(m), "{auto:?}");
    }

    #[test]
    fn holt_winters_needs_two_weeks() {
        let s = flat(1, 3.0);
        assert!(matches!(
            Method::HoltWinters.forecast(&s, 1),
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
        assert_eq!(Method::parse("median-0w"), None);
        assert_eq!(Method::parse("arima"), None);
    }

    /// Every Monday 100 a slot but one odd Monday in three (300): the
    /// medians and the calendar model's robust level ignore it, the means
    /// and the last-week rule do not; auto ranks on the weeks before only
    /// and averages the best (those within 2% of the best, at most three).
    #[test]
    fn auto_averages_the_candidates_that_did_best_before() {
        let days: Vec<Day> = (0..16 * 7)
            .map(|i| {
                let odd = i % 7 == 0 && (i / 7) % 3 == 2;
                Some(vec![if odd { 300.0 } else { 100.0 }; 4])
            })
            .collect();
        let s = Series::new(4, days);
        let b = Backtest::new(&s, 0..=16, Level::Interval, BACKTEST_WEEKS, None);
        let score = |c: Choice| b.score(c, 10..16, false).unwrap().wape();
        let (blend, week) = b.forecast(Choice::Auto, 16).unwrap();
        let members = &blend.methods;
        assert!(!members.is_empty() && members.len() <= TOP, "{blend:?}");
        for m in [
            Method::SeasonalNaive,
            Method::Mean { weeks: 4 },
            Method::WeightedAverage { weeks: 4 },
        ] {
            assert!(!members.contains(&m), "{m} in {blend:?}");
        }
        // Other weekdays are constant, so exact.
        assert!(week[1].iter().all(|v| (v - 100.0).abs() < 1e-6));
        // Closer to the usual Monday than the last four Mondays' mean (150).
        assert!(week[0][0] < 130.0, "{:?}", week[0]);
        // Auto's own backtest beats the rules that follow the odd Mondays.
        let auto = score(Choice::Auto);
        for m in [Method::SeasonalNaive, Method::Mean { weeks: 4 }] {
            assert!(auto < score(Choice::Fixed(m)), "{auto} against {m}");
        }
    }

    /// A holiday named alike in the history: its effect (a fifth of the
    /// usual day, all of it in the morning) is learned and applied by every
    /// method; a given factor wins; an unseen name is a usual day.
    #[test]
    fn a_special_day_is_forecast_from_the_earlier_days_of_its_name() {
        let mut days: Vec<Day> = vec![Some(vec![50.0; 4]); 10 * 7];
        let mut s = Series::new(4, Vec::new());
        for i in [23, 51] {
            days[i] = None;
            s.special.insert(
                i,
                Special {
                    name: "bank holiday".into(),
                    observed: Some(vec![40.0, 0.0, 0.0, 0.0]),
                    factor: None,
                },
            );
        }
        s.days = days;
        let holiday = |name: &str, factor| Special {
            name: name.into(),
            observed: None,
            factor,
        };
        s.special.insert(72, holiday("bank holiday", None));
        s.special.insert(73, holiday("bank holiday", Some(0.5)));
        s.special.insert(74, holiday("strike", None));
        for m in Method::CANDIDATES {
            let f = m.forecast(&s, 10).unwrap();
            let tue: f64 = f[2].iter().sum();
            assert!((tue - 40.0).abs() < 1e-9, "{m}: {:?}", f[2]);
            // Two days seen: the morning's share is (2·1 + 0.25)/3.
            assert!((f[2][0] - 40.0 * 0.75).abs() < 1e-9, "{m}: {:?}", f[2]);
            assert_eq!(f[3], vec![25.0; 4], "{m}");
            assert_eq!(f[4], vec![50.0; 4], "{m}");
        }
        // Before the second one, only the first is known.
        match special::effect(&s, 51, 51) {
            special::Effect::Learned { days, factor, .. } => {
                assert_eq!(days, 1);
                assert!((factor - 0.2).abs() < 1e-12);
            }
            _ => panic!("the first holiday is not learned from"),
        }
        // The day after: Thursdays after the two earlier holidays took 150%
        // (catch-up), shrunk toward 1 by one: (1.5 + 1.5 + 1) / 3. Here the
        // Thursday is itself special (given 0.5), so check the next week's.
        let mut t = s.clone();
        for i in [24, 52] {
            t.days[i] = Some(vec![75.0; 4]);
        }
        t.special.remove(&73);
        t.special.remove(&74);
        let f = Method::Median { weeks: 8 }.forecast(&t, 10).unwrap();
        assert!((f[3][0] - 50.0 * 4.0 / 3.0).abs() < 1e-9, "{:?}", f[3]);
        assert_eq!(
            special::around(&t, 73, 70).map(|a| a.0),
            Some("the day after bank holiday".to_string())
        );
        assert_eq!(f[1], vec![50.0; 4], "the days before were usual days");
        // Scored against what happened, not skipped.
        assert_eq!(s.actual(23), Some(&vec![40.0, 0.0, 0.0, 0.0]));
    }
}
