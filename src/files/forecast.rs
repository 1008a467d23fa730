//! What `slaplan forecast` writes: the forecast CSV the loader reads back
//! (`demand.forecast`) and the backtest report (its JSON).

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::forecast::InstanceForecast;
use crate::model::{Instance, VolumeRow};

/// The forecast CSV the loader reads back (`demand.forecast`).
pub fn write_forecast_csv(
    inst: &Instance,
    rows: &[VolumeRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "queue,interval_start,contacts,aht_s")?;
    for r in rows {
        let aht = r.aht_s.map(|a| super::fixed(a, 1)).unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{aht}",
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
}

/// One method's backtest errors.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MethodScore {
    pub method: String,
    pub wape: f64,
    pub bias: f64,
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
                        .map(|(m, a)| MethodScore {
                            method: m.name(),
                            wape: a.wape(),
                            bias: a.bias(),
                        })
                        .collect();
                    if let Some(a) = q.auto {
                        scores.push(MethodScore {
                            method: "auto".into(),
                            wape: a.wape(),
                            bias: a.bias(),
                        });
                    }
                    QueueReport {
                        queue: inst.centre.queues[q.queue].id.clone(),
                        chosen: q.chosen.name(),
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
