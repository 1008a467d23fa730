//! The seeded generator that turns a centre's published figures into an
//! ACD-style history: contacts per queue and interval over several weeks.
//!
//! For week `w`, day `d` and an open interval `i` of queue `q`, the expected
//! volume is
//!
//! `weekly(q) · (1 + trend)^w · day_share(d) · profile(i) / Σ_{open i'} profile(i')`
//!
//! and the count drawn is Poisson with that mean. The intraday profile is a
//! floor plus a morning and an afternoon peak (the double hump of inbound
//! service lines), evaluated at each interval's midpoint; only the queue's
//! open intervals carry volume. The AHT of an interval is the queue's AHT
//! times a small normal noise. A ChaCha8 generator seeded from the spec
//! makes the output the same bytes on every machine.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Poisson};
use serde::Deserialize;

use crate::model::{Centre, DAY_MIN};

/// What the generator is given (`instances/<centre>/history.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySpec {
    /// The model file, relative to the spec.
    pub model: String,
    /// Monday of the first week of history.
    pub first_week: NaiveDate,
    pub weeks: u32,
    pub seed: u64,
    /// Contacts per week for each queue id (the published figure, split).
    pub weekly_contacts: BTreeMap<String, f64>,
    /// Share of the week's contacts on each day, Monday first (sums to 1
    /// over the days a queue is open; renormalised otherwise).
    pub day_shares: [f64; 7],
    /// Growth per week (0.005 = +0.5% a week).
    #[serde(default)]
    pub weekly_trend: f64,
    /// Morning and afternoon peaks (hours, e.g. 10.5 and 14.5) and the
    /// afternoon peak's height relative to the morning's.
    #[serde(default = "default_peaks")]
    pub peaks: [f64; 3],
    /// Relative noise on the interval AHT.
    #[serde(default = "default_aht_noise")]
    pub aht_noise: f64,
}

fn default_peaks() -> [f64; 3] {
    [10.5, 14.5, 0.85]
}

fn default_aht_noise() -> f64 {
    0.05
}

/// One generated row.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub start: chrono::NaiveDateTime,
    pub queue: String,
    pub offered: u64,
    pub aht_s: Option<u32>,
}

/// The intraday weight of the interval centred at `hour`.
pub fn profile(hour: f64, peaks: [f64; 3]) -> f64 {
    let bump = |centre: f64, width: f64| (-((hour - centre) / width).powi(2)).exp();
    0.25 + bump(peaks[0], 1.8) + peaks[2] * bump(peaks[1], 2.2)
}

/// Errors the spec can have that the model's validation does not cover.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SpecError {
    #[error("weekly_contacts names queue '{0}', which the model lacks")]
    UnknownQueue(String),
    #[error("first_week {0} is not a Monday")]
    NotMonday(NaiveDate),
    #[error("day_shares must be ≥ 0 and not all zero")]
    DayShares,
    #[error("weekly_contacts for '{0}' must be ≥ 0")]
    Negative(String),
}

/// Generates the history, rows in time then queue order.
pub fn generate(spec: &HistorySpec, centre: &Centre) -> Result<Vec<HistoryRow>, SpecError> {
    if spec.first_week.weekday() != Weekday::Mon {
        return Err(SpecError::NotMonday(spec.first_week));
    }
    if spec.day_shares.iter().any(|s| *s < 0.0 || !s.is_finite())
        || spec.day_shares.iter().sum::<f64>() <= 0.0
    {
        return Err(SpecError::DayShares);
    }
    let mut queues = Vec::new();
    for (id, weekly) in &spec.weekly_contacts {
        let q = centre
            .queues
            .iter()
            .position(|q| &q.id == id)
            .ok_or_else(|| SpecError::UnknownQueue(id.clone()))?;
        if *weekly < 0.0 || !weekly.is_finite() {
            return Err(SpecError::Negative(id.clone()));
        }
        queues.push((q, *weekly));
    }
    // Queue order as in the model, for stable output.
    queues.sort_by_key(|(q, _)| *q);
    let step = centre.interval_min;
    let slots = DAY_MIN / step;
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let noise = Normal::new(0.0, spec.aht_noise.max(0.0)).expect("finite noise");

    let mut rows = Vec::new();
    for week in 0..spec.weeks {
        let growth = (1.0 + spec.weekly_trend).powi(week as i32);
        // Opening hours written on a site's clock follow that week's dates.
        let monday = spec.first_week + Duration::days(i64::from(week) * 7);
        let weights = week_weights(spec, centre, &queues, monday);
        for day in 0..7_usize {
            let date = spec.first_week + Duration::days(i64::from(week) * 7 + day as i64);
            for slot in 0..slots {
                let start = date.and_hms_opt(0, 0, 0).expect("midnight")
                    + Duration::minutes(i64::from(slot * step));
                // The hour the clocks skip has no rows; the hour they repeat has two.
                let occurrences = crate::model::occurrences(centre.time_zone, start);
                for _ in 0..occurrences {
                    for (k, &(q, weekly)) in queues.iter().enumerate() {
                        let w = weights[k][day * slots as usize + slot as usize];
                        if w <= 0.0 {
                            continue;
                        }
                        let mean = weekly * growth * w;
                        let offered = if mean > 0.0 {
                            Poisson::new(mean).expect("positive mean").sample(&mut rng) as u64
                        } else {
                            0
                        };
                        let aht = centre.queues[q].aht_s;
                        let aht_s = (offered > 0).then(|| {
                            (aht * (1.0 + noise.sample(&mut rng))).max(1.0).round() as u32
                        });
                        rows.push(HistoryRow {
                            start,
                            queue: centre.queues[q].id.clone(),
                            offered,
                            aht_s,
                        });
                    }
                }
            }
        }
    }
    Ok(rows)
}

/// Per queue: the normalised weight of each (day, slot) of the week of
/// `monday`, over the queue's open slots that week.
fn week_weights(
    spec: &HistorySpec,
    centre: &Centre,
    queues: &[(usize, f64)],
    monday: NaiveDate,
) -> Vec<Vec<f64>> {
    let step = centre.interval_min;
    let slots = DAY_MIN / step;
    queues
        .iter()
        .map(|&(q, _)| {
            let opening = centre.opening_in_week(q, monday);
            let mut w = vec![0.0; 7 * slots as usize];
            for day in 0..7 {
                let open: Vec<u32> = (0..slots)
                    .filter(|s| opening.overlaps(day, s * step, step))
                    .collect();
                let total: f64 = open
                    .iter()
                    .map(|s| profile(mid_hour(*s, step), spec.peaks))
                    .sum();
                for s in open {
                    w[day * slots as usize + s as usize] =
                        spec.day_shares[day] * profile(mid_hour(s, step), spec.peaks) / total;
                }
            }
            let sum: f64 = w.iter().sum();
            if sum > 0.0 {
                w.iter_mut().for_each(|x| *x /= sum);
            }
            w
        })
        .collect()
}

fn mid_hour(slot: u32, step: u32) -> f64 {
    (f64::from(slot * step) + f64::from(step) / 2.0) / 60.0
}

/// Writes rows as the history CSV the loader reads.
pub fn write_csv(rows: &[HistoryRow], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "interval_start,queue,offered,aht")?;
    for r in rows {
        let aht = r.aht_s.map(|a| a.to_string()).unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{aht}",
            r.start.format("%Y-%m-%dT%H:%M"),
            r.queue,
            r.offered
        )?;
    }
    Ok(())
}

/// Reads a spec file.
pub fn read_spec(path: &Path) -> Result<HistorySpec, String> {
    let text = crate::input::read_input(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The history CSV a spec file describes: reads the spec, loads its model
/// (relative to the spec), generates and formats. The error says which file
/// and what is wrong, the model's problems listed.
pub fn history_csv(spec_path: &Path) -> Result<Vec<u8>, String> {
    let spec = read_spec(spec_path)?;
    let model_path = spec_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(&spec.model);
    let centre = crate::input::load_model(&model_path).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        format!("the model does not load:\n{}", list.join("\n"))
    })?;
    let rows = generate(&spec, &centre).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let mut bytes = Vec::new();
    write_csv(&rows, &mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}
