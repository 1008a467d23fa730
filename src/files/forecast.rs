//! What `slaplan forecast` writes: the forecast CSV the loader reads back
//! (`demand.forecast`) and the backtest report (its JSON).

use std::io::Write;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::forecast::{Accuracy, Band, InstanceForecast};
use crate::model::{Instance, VolumeRow};

/// The forecast CSV the loader reads back (`demand.forecast`).
/// With the forecast's prediction intervals where it has them (`bands`):
/// `contacts_p10`, `contacts_p90` (80%) and `contacts_p025`,
/// `contacts_p975` (95%), empty where there are none.
pub fn write_forecast_csv(
    inst: &Instance,
    rows: &[VolumeRow],
    bands: &BTreeMap<(usize, NaiveDateTime, bool), Band>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "queue,interval_start,contacts,aht_s,contacts_p10,contacts_p90,contacts_p025,contacts_p975"
    )?;
    for r in rows {
        let aht = r.aht_s.map(|a| super::fixed(a, 1)).unwrap_or_default();
        let band = bands
            .get(&(r.queue, r.start, r.repeated_hour))
            .map(|b| b.map(|v| super::fixed(v, 0)).join(","))
            .unwrap_or_else(|| ",,,".into());
        writeln!(
            out,
            "{},{},{},{aht},{band}",
            inst.centre.queues[r.queue].id,
            r.start.format("%Y-%m-%dT%H:%M"),
            super::fixed(r.contacts, 3)
        )?;
    }
    Ok(())
}

/// What `slaplan forecast --format json` prints: the backtest that chose
/// each queue's method.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForecastReport {
    pub weeks_of_history: usize,
    pub backtest_weeks: usize,
    pub queues: Vec<QueueReport>,
    pub notes: Vec<String>,
    pub rows: usize,
}

/// One queue's forecast and backtest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueReport {
    pub queue: String,
    pub chosen: String,
    /// Where errors were counted: interval, or day for sparse queues.
    pub scored_by: String,
    pub weekly_contacts: f64,
    pub backtest: Vec<MethodScore>,
    /// Overdispersion φ of an interval's count around the forecast
    /// (Var = F + φF²), from the errors of the weeks before.
    pub dispersion: Option<f64>,
    /// The AHT forecast's contact-weighted WAPE and bias over the backtest
    /// weeks, when the history gives AHT.
    pub aht_wape: Option<f64>,
    pub aht_bias: Option<f64>,
    /// Each day's contacts with their 80% and 95% prediction intervals.
    pub days: Vec<DayReport>,
}

/// One day of a queue's forecast.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayReport {
    pub date: String,
    pub contacts: f64,
    pub p10: Option<f64>,
    pub p90: Option<f64>,
    pub p025: Option<f64>,
    pub p975: Option<f64>,
}

/// One method's backtest errors.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MethodScore {
    pub method: String,
    pub wape: f64,
    pub bias: f64,
    /// Share of the interval counts inside the 80% and 95% prediction
    /// intervals (each week's from the weeks before it), for the forecast
    /// used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_80: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_95: Option<f64>,
    /// The same for the day totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_coverage_80: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_coverage_95: Option<f64>,
}

impl MethodScore {
    fn of(method: String, a: &Accuracy) -> MethodScore {
        MethodScore {
            method,
            wape: a.wape(),
            bias: a.bias(),
            coverage_80: a.coverage(0),
            coverage_95: a.coverage(1),
            day_coverage_80: a.day_coverage(0),
            day_coverage_95: a.day_coverage(1),
        }
    }
}

impl ForecastReport {
    /// The report of `f`, the forecast of `inst`'s week.
    pub fn of(inst: &Instance, f: &InstanceForecast) -> Self {
        ForecastReport {
            weeks_of_history: f.weeks_of_history,
            backtest_weeks: f.backtest_weeks,
            queues: f
                .queues
                .iter()
                .map(|q| {
                    let mut scores: Vec<MethodScore> = q
                        .backtest
                        .iter()
                        .map(|(m, a)| MethodScore::of(m.name(), a))
                        .collect();
                    if let Some(a) = &q.auto {
                        scores.push(MethodScore::of("auto".into(), a));
                    }
                    QueueReport {
                        queue: inst.centre.queues[q.queue].id.clone(),
                        chosen: q.chosen.describe(),
                        dispersion: q.spread.map(|s| s.phi),
                        aht_wape: q.aht.map(|a| a.wape()),
                        aht_bias: q.aht.map(|a| a.bias()),
                        days: q
                            .days
                            .iter()
                            .map(|(date, contacts, band)| DayReport {
                                date: date.to_string(),
                                contacts: *contacts,
                                p10: band.map(|b| b[0]),
                                p90: band.map(|b| b[1]),
                                p025: band.map(|b| b[2]),
                                p975: band.map(|b| b[3]),
                            })
                            .collect(),
                        scored_by: q.level.as_str().into(),
                        weekly_contacts: f
                            .rows
                            .iter()
                            .filter(|r| r.queue == q.queue)
                            .map(|r| r.contacts)
                            .sum(),
                        backtest: scores,
                    }
                })
                .collect(),
            notes: f.notes.clone(),
            rows: f.rows.len(),
        }
    }
}
