//! From an instance's history to its week's forecast: aggregation of the
//! ACD export to the model's interval in local time, special days left out
//! of training, the backtest table per queue, the chosen method, and the
//! week's rows on the model's grid (the hour skipped by daylight saving has
//! none, the repeated hour two).

use std::collections::BTreeMap;

use chrono::offset::LocalResult;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike};

use super::{backtest, select, Accuracy, Choice, Day, ForecastError, Level, Method, Series};
use crate::model::{Demand, Instance, VolumeRow, DAY_MIN};

/// What the forecast of one queue rests on.
#[derive(Debug, Clone)]
pub struct QueueForecast {
    pub queue: usize,
    /// Method used for the week.
    pub chosen: Method,
    /// Each candidate's backtest over the last weeks of history.
    pub backtest: Vec<(Method, Accuracy)>,
    /// The backtest of `auto` itself (choosing per origin from earlier weeks).
    pub auto: Option<Accuracy>,
    /// Where errors were counted (daily totals for sparse queues).
    pub level: Level,
}

/// The week's forecast and how it was made.
#[derive(Debug, Clone)]
pub struct InstanceForecast {
    pub rows: Vec<VolumeRow>,
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
    let special: BTreeMap<NaiveDate, Option<f64>> = inst
        .special_days
        .iter()
        .map(|s| (s.date, s.volume_factor))
        .collect();

    // The hour repeated when clocks go back appears twice under one local
    // time: average such rows so the intraday profile is not distorted.
    let mut occurrences: BTreeMap<(usize, NaiveDateTime), u32> = BTreeMap::new();
    for r in rows {
        *occurrences.entry((r.queue, r.start)).or_insert(0) += 1;
    }
    let nq = c.queues.len();
    let mut volume = vec![vec![vec![0.0; slots]; weeks * 7]; nq];
    let mut seen = vec![vec![false; weeks * 7]; nq];
    let mut aht = vec![vec![vec![(0.0, 0.0); slots]; 7]; nq];
    let aht_from = inst.week_start - Duration::days(28);
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
        if let (Some(a), true) = (r.aht_s, date >= aht_from) {
            let cell = &mut aht[r.queue][d % 7][slot];
            cell.0 += a * r.contacts;
            cell.1 += r.contacts;
        }
    }
    let choice = match method {
        Some(m) => Choice::Fixed(m),
        None => Choice::Auto {
            selection_weeks: backtest_weeks,
        },
    };
    let n_back = backtest_weeks.min(weeks.saturating_sub(1));
    let mut out_rows = Vec::new();
    let mut queues = Vec::new();
    let mut gap_days = 0;
    // A queue following another's contacts is not forecast: its contacts
    // are the parent's share (`with_followers`).
    for q in (0..nq).filter(|&q| c.queues[q].follows.is_none()) {
        let queue = &c.queues[q];
        let days: Vec<Day> = (0..weeks * 7)
            .map(|d| {
                let date = start + Duration::days(d as i64);
                let open = !queue.opening.day(d % 7).is_empty();
                if special.contains_key(&date) {
                    None
                } else if seen[q][d] || !open {
                    Some(volume[q][d].clone())
                } else {
                    gap_days += 1;
                    None
                }
            })
            .collect();
        let series = Series { slots, days };
        let level = Level::for_series(&series);
        let mut table = Vec::new();
        for m in Method::CANDIDATES {
            let from = (weeks - n_back).max(m.min_weeks());
            if from < weeks {
                table.push((m, backtest(&series, Choice::Fixed(m), from..weeks, level)?));
            }
        }
        let auto_from = (weeks - n_back).max(2);
        let auto = (method.is_none() && auto_from < weeks)
            .then(|| backtest(&series, choice, auto_from..weeks, level))
            .transpose()?;
        let chosen = match method {
            Some(m) => m,
            None => select(&series, weeks, backtest_weeks),
        };
        let week = chosen.forecast(&series.days, slots)?;
        let queue_aht = queue_mean_aht(&aht[q]);
        for (d, date) in inst.dates().iter().enumerate() {
            let factor = special.get(date).copied().flatten().unwrap_or(1.0);
            for (s, value) in week[d].iter().enumerate() {
                let minute = s as u32 * step;
                if !queue.opening.overlaps(d, minute, step) {
                    continue;
                }
                let at = date.and_hms_opt(0, 0, 0).expect("midnight")
                    + Duration::minutes(i64::from(minute));
                let times = crate::model::occurrences(c.time_zone, at);
                let (num, den) = aht[q][d][s];
                let aht_s = if den > 0.0 {
                    Some(num / den)
                } else {
                    queue_aht
                };
                for k in 0..times {
                    out_rows.push(VolumeRow {
                        queue: q,
                        start: at,
                        repeated_hour: k == 1,
                        contacts: value * factor,
                        aht_s,
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
        });
    }
    if gap_days > 0 {
        notes.push(format!("{gap_days} open queue-days without any history row were treated as unknown, not as zero"));
    }
    for s in &inst.special_days {
        if s.date >= start && s.date < inst.week_start {
            notes.push(format!("{} ({}) left out of training", s.date, s.name));
        } else if inst.dates().contains(&s.date) {
            match s.volume_factor {
                Some(f) => notes.push(format!(
                    "{} ({}): the usual {} forecast × {f}",
                    s.date,
                    s.name,
                    s.date.weekday()
                )),
                None => notes.push(format!(
                    "{} ({}): no volume factor given, forecast as a usual {}",
                    s.date,
                    s.name,
                    s.date.weekday()
                )),
            }
        }
    }
    let mut out_rows = with_followers(inst, out_rows);
    out_rows.sort_by(|a, b| {
        (a.start, a.repeated_hour, a.queue).cmp(&(b.start, b.repeated_hour, b.queue))
    });
    Ok(InstanceForecast {
        rows: out_rows,
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

/// Contact-weighted mean AHT of a queue over its recent history.
fn queue_mean_aht(cells: &[Vec<(f64, f64)>]) -> Option<f64> {
    let (num, den) = cells
        .iter()
        .flatten()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    (den > 0.0).then(|| num / den)
}
