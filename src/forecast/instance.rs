//! From an instance's history to its week's forecast: aggregation of the
//! ACD export to the model's interval in local time, special days left out
//! of training, the backtest table per queue, the chosen method, and the
//! week's rows on the model's grid (the hour skipped by daylight saving has
//! none, the repeated hour two).

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::offset::LocalResult;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike};

use super::{
    Accuracy, Backtest, Blend, Choice, ForecastError, Level, Method, Series, Special, Spread,
};
use crate::model::{Demand, Instance, VolumeRow, DAY_MIN};

/// What the forecast of one queue rests on.
#[derive(Debug, Clone)]
pub struct QueueForecast {
    pub queue: usize,
    /// The method, or auto's blend of candidates, used for the week.
    pub chosen: Blend,
    /// Each candidate's backtest over the last weeks of history.
    pub backtest: Vec<(Method, Accuracy)>,
    /// The backtest of `auto` itself (choosing per origin from earlier weeks).
    pub auto: Option<Accuracy>,
    /// Where errors were counted (daily totals for sparse queues).
    pub level: Level,
    /// The spread of the week's counts around the forecast (from the
    /// errors of the weeks before), if any week could be scored.
    pub spread: Option<Spread>,
    /// The AHT forecast's errors over the backtest weeks, when the history
    /// gives AHT.
    pub aht: Option<AhtAccuracy>,
    /// Each day of the week: its contacts and their prediction intervals
    /// (from the day totals' errors of the weeks before).
    pub days: Vec<(NaiveDate, f64, Option<Band>)>,
}

/// The AHT forecast's error, weighted by the contacts that had the AHT:
/// WAPE = Σ c·|F − A| / Σ c·A, bias = Σ c·(F − A) / Σ c·A.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AhtAccuracy {
    pub abs_error: f64,
    pub error: f64,
    pub actual: f64,
}

impl AhtAccuracy {
    pub fn wape(&self) -> f64 {
        self.abs_error / self.actual
    }
    pub fn bias(&self) -> f64 {
        self.error / self.actual
    }
}

/// Weeks of history the AHT forecast averages.
pub const AHT_WEEKS: usize = 4;

/// A row's prediction intervals: 80% (p10, p90) and 95% (p2.5, p97.5).
pub type Band = [f64; 4];

/// The week's forecast and how it was made.
#[derive(Debug, Clone)]
pub struct InstanceForecast {
    pub rows: Vec<VolumeRow>,
    /// Prediction intervals of the forecast rows (not of queues that
    /// follow others), by queue, start and repeated hour.
    pub bands: BTreeMap<(usize, NaiveDateTime, bool), Band>,
    pub queues: Vec<QueueForecast>,
    pub weeks_of_history: usize,
    pub backtest_weeks: usize,
    /// What was done differently from the plain method, in words.
    pub notes: Vec<String>,
}

/// Why an instance's demand cannot be forecast.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DemandError {
    #[error("the history has no whole week before {0}: at least one week is needed")]
    NoWeek(NaiveDate),
    #[error(
        "the history comes in {source_min}-minute intervals (or off their grid), which do not add up to the model's {interval_min}-minute interval"
    )]
    Granularity { source_min: u32, interval_min: u32 },
    #[error("{0}")]
    Method(#[from] ForecastError),
    #[error(
        "the instance gives the agents required per interval, not contacts: there are no contacts to forecast or replay call by call"
    )]
    RequirementsGiven,
}

/// Forecasts the instance's week. A given forecast is returned as it is;
/// from a history, `method` forces a method (otherwise auto), scored over
/// the last `backtest_weeks` weeks.
pub fn forecast_instance(
    inst: &Instance,
    method: Option<Method>,
    backtest_weeks: usize,
) -> Result<InstanceForecast, DemandError> {
    let rows = match &inst.demand {
        Demand::Forecast(rows) => {
            return Ok(InstanceForecast {
                rows: with_followers(inst, rows.clone()),
                bands: BTreeMap::new(),
                queues: Vec::new(),
                weeks_of_history: 0,
                backtest_weeks: 0,
                notes: vec!["the instance gives its forecast: used as it is".into()],
            })
        }
        Demand::History(rows) => rows,
        Demand::Requirements(_) => return Err(DemandError::RequirementsGiven),
    };
    let c = &inst.centre;
    let step = c.interval_min;
    // The export's interval: the smallest gap between consecutive starts of
    // a queue within a day (a day when there is one row a day). Every start
    // must sit on that grid, and it must divide the model's interval, or
    // rows would straddle two planning intervals.
    let mut starts: Vec<(usize, NaiveDateTime)> = rows.iter().map(|r| (r.queue, r.start)).collect();
    starts.sort();
    let source_min = starts
        .windows(2)
        .filter(|w| w[0].0 == w[1].0 && w[0].1.date() == w[1].1.date())
        .map(|w| (w[1].1 - w[0].1).num_minutes() as u32)
        .filter(|m| *m > 0)
        .min()
        .unwrap_or(DAY_MIN);
    let off_grid = starts
        .iter()
        .any(|(_, t)| (t.hour() * 60 + t.minute()) % source_min != 0);
    if step % source_min != 0 || off_grid {
        return Err(DemandError::Granularity {
            source_min,
            interval_min: step,
        });
    }
    let slots = (DAY_MIN / step) as usize;
    let Some(first) = rows.iter().map(|r| r.start.date()).min() else {
        return Err(DemandError::NoWeek(inst.week_start));
    };
    // Whole weeks only: a history starting mid-week starts at the next Monday.
    let first_monday =
        first + Duration::days(i64::from((7 - first.weekday().num_days_from_monday()) % 7));
    let days = (inst.week_start - first_monday).num_days().max(0) as usize;
    let weeks = days / 7;
    let start = inst.week_start - Duration::days((weeks * 7) as i64);
    if weeks == 0 {
        return Err(DemandError::NoWeek(inst.week_start));
    }
    let mut notes = Vec::new();
    if start > first {
        notes.push(format!(
            "history before {start} (a partial week) is not used"
        ));
    }
    let special: BTreeMap<NaiveDate, &crate::model::SpecialDay> =
        inst.special_days.iter().map(|s| (s.date, s)).collect();

    // The hour repeated when clocks go back appears twice under one local
    // time: average such rows so the intraday profile is not distorted.
    let mut occurrences: BTreeMap<(usize, NaiveDateTime), u32> = BTreeMap::new();
    for r in rows {
        *occurrences.entry((r.queue, r.start)).or_insert(0) += 1;
    }
    let nq = c.queues.len();
    let mut volume = vec![vec![vec![0.0; slots]; weeks * 7]; nq];
    let mut seen = vec![vec![false; weeks * 7]; nq];
    // Per queue, day and slot: Σ AHT × contacts and Σ contacts.
    let mut aht = vec![vec![vec![(0.0, 0.0); slots]; weeks * 7]; nq];
    for r in rows {
        let date = r.start.date();
        if date < start || date >= inst.week_start {
            continue;
        }
        let d = (date - start).num_days() as usize;
        let slot = ((r.start.hour() * 60 + r.start.minute()) / step) as usize;
        let n = f64::from(occurrences[&(r.queue, r.start)]);
        let ambiguous = matches!(
            c.time_zone.from_local_datetime(&r.start),
            LocalResult::Ambiguous(..)
        );
        let share = if ambiguous { 1.0 / n } else { 1.0 };
        volume[r.queue][d][slot] += r.contacts * share;
        seen[r.queue][d] = true;
        if let Some(a) = r.aht_s {
            let cell = &mut aht[r.queue][d][slot];
            cell.0 += a * r.contacts;
            cell.1 += r.contacts;
        }
    }
    let choice = match method {
        Some(m) => Choice::Fixed(m),
        None => Choice::Auto,
    };
    let n_back = backtest_weeks.min(weeks.saturating_sub(1));
    let mut out_rows = Vec::new();
    let mut bands = BTreeMap::new();
    let mut queues = Vec::new();
    let mut gap_days = 0;
    // A queue following another's contacts is not forecast: its contacts
    // are the parent's share (`with_followers`).
    for q in (0..nq).filter(|&q| c.queues[q].follows.is_none()) {
        let queue = &c.queues[q];
        let mut series = Series::new(slots, Vec::new());
        series.first = Some(start);
        for (d, date) in (0..(weeks + 1) * 7).map(|d| (d, start + Duration::days(d as i64))) {
            let observed = (d < weeks * 7).then(|| volume[q][d].clone());
            if let Some(sd) = special.get(&date) {
                series.special.insert(
                    d,
                    Special {
                        name: sd.name.clone(),
                        observed: observed.clone().filter(|_| seen[q][d]),
                        factor: sd.volume_factor,
                    },
                );
            }
            if d >= weeks * 7 {
                continue;
            }
            let open = !queue.opening.day(d % 7).is_empty();
            series.days.push(if special.contains_key(&date) {
                None
            } else if seen[q][d] || !open {
                observed
            } else {
                gap_days += 1;
                None
            });
        }
        let level = Level::for_series(&series);
        // Only the weeks the table, auto's selection and the spread's
        // calibration read: the last `n_back` scored, each with its spread
        // from the weeks before, each of those auto's from its own.
        let selection = backtest_weeks.max(1);
        let first = (weeks - n_back).saturating_sub(super::SPREAD_WEEKS + selection);
        let runs = Backtest::new(&series, first..=weeks, level, selection, method);
        let mut table = Vec::new();
        for &m in runs.methods() {
            let from = (weeks - n_back).max(m.min_weeks());
            if from < weeks {
                let coverage = method == Some(m);
                table.push((m, runs.score(Choice::Fixed(m), from..weeks, coverage)?));
            }
        }
        let auto_from = (weeks - n_back).max(2);
        let auto = (method.is_none() && auto_from < weeks)
            .then(|| runs.score(choice, auto_from..weeks, true))
            .transpose()?;
        let Some((chosen, week)) = runs.forecast(choice, weeks) else {
            let m = method.unwrap_or(Method::SeasonalNaive);
            return Err(ForecastError::TooShort {
                method: m,
                weeks,
                needs: m.min_weeks(),
            }
            .into());
        };
        let spread = runs.spread(choice, weeks);
        for (d, date) in inst.dates().iter().enumerate() {
            if let Some((what, f)) = super::special::around(&series, weeks * 7 + d, weeks * 7) {
                notes.push(format!(
                    "{date}, {}: {what}, the usual {} × {f:.2} (from the same day around the earlier ones)",
                    queue.id,
                    date.weekday()
                ));
            }
            let Some(sd) = special.get(date).filter(|s| s.volume_factor.is_none()) else {
                continue;
            };
            notes.push(match super::special::effect(&series, weeks * 7 + d, weeks * 7) {
                super::special::Effect::Learned { days, factor, .. } => format!(
                    "{date} ({}), {}: the usual {} × {factor:.2}, learned from {days} earlier day(s) of that name",
                    sd.name,
                    queue.id,
                    date.weekday()
                ),
                _ => format!(
                    "{date} ({}), {}: no volume factor given and no earlier day of that name, forecast as a usual {}",
                    sd.name,
                    queue.id,
                    date.weekday()
                ),
            });
        }
        let day_spread = runs.day_spread(choice, weeks);
        let mut day_totals = vec![0.0; 7];
        let aht_week = aht_forecast(&aht[q], weeks);
        let aht_error = aht_backtest(&aht[q], (weeks - n_back).max(1)..weeks);
        for (d, date) in inst.dates().iter().enumerate() {
            for (s, value) in week[d].iter().enumerate() {
                let minute = s as u32 * step;
                if !queue.opening.overlaps(d, minute, step) {
                    continue;
                }
                let at = date.and_hms_opt(0, 0, 0).expect("midnight")
                    + Duration::minutes(i64::from(minute));
                let times = crate::model::occurrences(c.time_zone, at);
                day_totals[d] += *value * times as f64;
                for k in 0..times {
                    if let Some(sp) = &spread {
                        let (p10, p90) = sp.interval(*value, 0);
                        let (p025, p975) = sp.interval(*value, 1);
                        bands.insert((q, at, k == 1), [p10, p90, p025, p975]);
                    }
                    out_rows.push(VolumeRow {
                        queue: q,
                        start: at,
                        repeated_hour: k == 1,
                        contacts: *value,
                        aht_s: aht_week[d][s],
                    });
                }
            }
        }
        queues.push(QueueForecast {
            queue: q,
            chosen,
            backtest: table,
            auto,
            level,
            spread,
            aht: aht_error,
            days: inst
                .dates()
                .iter()
                .zip(&day_totals)
                .map(|(date, &total)| {
                    let band = day_spread.map(|sp| {
                        let (p10, p90) = sp.interval(total, 0);
                        let (p025, p975) = sp.interval(total, 1);
                        [p10, p90, p025, p975]
                    });
                    (*date, total, band)
                })
                .collect(),
        });
    }
    if gap_days > 0 {
        notes.push(format!("{gap_days} open queue-days without any history row were treated as unknown, not as zero"));
    }
    for s in &inst.special_days {
        if s.date >= start && s.date < inst.week_start {
            notes.push(format!("{} ({}) left out of training", s.date, s.name));
        } else if inst.dates().contains(&s.date) {
            // Without a factor, learned per queue: said in the queue loop.
            if let Some(f) = s.volume_factor {
                notes.push(format!(
                    "{} ({}): the usual {} forecast × {f}",
                    s.date,
                    s.name,
                    s.date.weekday()
                ));
            }
        }
    }
    let mut out_rows = with_followers(inst, out_rows);
    out_rows.sort_by(|a, b| {
        (a.start, a.repeated_hour, a.queue).cmp(&(b.start, b.repeated_hour, b.queue))
    });
    Ok(InstanceForecast {
        rows: out_rows,
        bands,
        queues,
        weeks_of_history: weeks,
        backtest_weeks: n_back,
        notes,
    })
}

/// The contacts of the queues that follow others (a later clock of the
/// same contacts: `Queue::follows`): their parent's in each interval times
/// the share, at their own AHT; rows given, in the history or forecast for
/// them are not read. Parents come first along each chain.
pub fn with_followers(inst: &Instance, mut rows: Vec<VolumeRow>) -> Vec<VolumeRow> {
    let queues = &inst.centre.queues;
    let depth = |mut q: usize| {
        let mut d = 0;
        while let Some((p, _)) = queues[q].follows {
            q = p;
            d += 1;
        }
        d
    };
    rows.retain(|r| queues[r.queue].follows.is_none());
    let mut order: Vec<usize> = (0..queues.len())
        .filter(|&q| queues[q].follows.is_some())
        .collect();
    order.sort_by_key(|&q| (depth(q), q));
    for q in order {
        let (parent, share) = queues[q].follows.expect("a follower");
        let derived: Vec<VolumeRow> = rows
            .iter()
            .filter(|r| r.queue == parent)
            .map(|r| VolumeRow {
                queue: q,
                start: r.start,
                repeated_hour: r.repeated_hour,
                contacts: r.contacts * share,
                aht_s: None,
            })
            .collect();
        rows.extend(derived);
    }
    rows
}

/// The AHT of week `origin` per weekday and slot from the [`AHT_WEEKS`]
/// weeks before it: the contact-weighted mean of the same weekday and
/// slot; where there is none, the queue's over those weeks; `None` where
/// the history gives no AHT.
fn aht_forecast(cells: &[Vec<(f64, f64)>], origin: usize) -> Vec<Vec<Option<f64>>> {
    let from = origin.saturating_sub(AHT_WEEKS) * 7;
    let recent = &cells[from..origin * 7];
    let (num, den) = recent
        .iter()
        .flatten()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let queue = (den > 0.0).then(|| num / den);
    (0..7)
        .map(|d| {
            (0..cells.first().map_or(0, Vec::len))
                .map(|s| {
                    let (num, den) = recent
                        .iter()
                        .skip(d)
                        .step_by(7)
                        .fold((0.0, 0.0), |(a, b), day| (a + day[s].0, b + day[s].1));
                    if den > 0.0 {
                        Some(num / den)
                    } else {
                        queue
                    }
                })
                .collect()
        })
        .collect()
}

/// The AHT forecast's errors over `weeks`, each forecast from the weeks
/// before it; `None` when no AHT was recorded in them.
fn aht_backtest(cells: &[Vec<(f64, f64)>], weeks: Range<usize>) -> Option<AhtAccuracy> {
    let mut acc = AhtAccuracy::default();
    for w in weeks {
        let f = aht_forecast(cells, w);
        for d in 0..7 {
            for (s, &(num, den)) in cells[w * 7 + d].iter().enumerate() {
                if let (true, Some(f)) = (den > 0.0, f[d][s]) {
                    let a = num / den;
                    acc.abs_error += den * (f - a).abs();
                    acc.error += den * (f - a);
                    acc.actual += den * a;
                }
            }
        }
    }
    (acc.actual > 0.0).then_some(acc)
}
