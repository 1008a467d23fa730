//! What `slaplan validate --format json` prints: the problems found, or
//! the summary of a valid instance (queues with their weekly contacts,
//! agents per skill group, the demand given).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::input::Problem;
use crate::model::{Channel, Demand, Instance};

/// A problem as `slaplan validate --format json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemOut {
    pub code: &'static str,
    pub name: &'static str,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: String,
    pub message: String,
    pub hint: String,
}

impl From<&Problem> for ProblemOut {
    fn from(p: &Problem) -> Self {
        ProblemOut {
            code: p.code.as_str(),
            name: p.code.name(),
            file: p.file.display().to_string(),
            line: p.line,
            column: p.column,
            field: p.field.clone(),
            message: p.message.clone(),
            hint: p.hint.clone(),
        }
    }
}

/// What `slaplan validate --format json` prints for a valid instance.
#[derive(Debug, Clone, Serialize)]
pub struct ValidateSummary {
    pub ok: bool,
    pub centre: String,
    pub week_start: String,
    pub time_zone: String,
    pub interval_min: u32,
    pub queues: Vec<QueueSummary>,
    pub agents_by_group: BTreeMap<String, usize>,
    pub demand: &'static str,
    pub demand_rows: usize,
}

/// One queue of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct QueueSummary {
    pub id: String,
    pub channel: &'static str,
    pub open_hours_per_week: f64,
    pub contacts: f64,
    /// Agent-hours the given requirements ask for in the week (demand
    /// given as requirements only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_agent_hours: Option<f64>,
}

impl ValidateSummary {
    /// The summary of a valid instance.
    pub fn of(i: &Instance) -> Self {
        let (kind, rows) = demand_rows(i);
        let volume = volume_by_queue(i);
        let required = required_hours_by_queue(i);
        ValidateSummary {
            ok: true,
            centre: i.centre.name.clone(),
            week_start: i.week_start.to_string(),
            time_zone: i.centre.time_zone.to_string(),
            interval_min: i.centre.interval_min,
            queues: i
                .centre
                .queues
                .iter()
                .enumerate()
                .map(|(k, q)| QueueSummary {
                    id: q.id.clone(),
                    channel: channel_name(q.channel),
                    open_hours_per_week: f64::from(q.opening.open_minutes()) / 60.0,
                    contacts: volume[k],
                    required_agent_hours: required.as_ref().map(|h| h[k]),
                })
                .collect(),
            agents_by_group: agents_by_group(i),
            demand: kind,
            demand_rows: rows,
        }
    }
}

pub fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Voice { patience_s: None } => "voice",
        Channel::Voice {
            patience_s: Some(_),
        } => "voice+abandon",
        Channel::Deferred => "deferred",
    }
}

fn demand_rows(i: &Instance) -> (&'static str, usize) {
    let rows = match &i.demand {
        Demand::Forecast(r) | Demand::History(r) => r.len(),
        Demand::Requirements(r) => r.len(),
    };
    (i.demand.kind(), rows)
}

/// Contacts per queue: the week's forecast, or the history's weekly mean
/// (none where the demand is given as requirements).
fn volume_by_queue(i: &Instance) -> Vec<f64> {
    let mut v = vec![0.0; i.centre.queues.len()];
    let rows = match &i.demand {
        Demand::Forecast(r) | Demand::History(r) => r,
        Demand::Requirements(_) => return v,
    };
    let rows = crate::forecast::with_followers(i, rows.clone());
    for r in &rows {
        v[r.queue] += r.contacts;
    }
    if matches!(i.demand, Demand::History(_)) {
        let first = rows.iter().map(|r| r.start).min();
        let last = rows.iter().map(|r| r.start).max();
        if let (Some(a), Some(b)) = (first, last) {
            let weeks = ((b - a).num_minutes() as f64 / (7.0 * 1440.0))
                .max(1.0)
                .round();
            v.iter_mut().for_each(|x| *x /= weeks);
        }
    }
    v
}

/// Agent-hours per queue the given requirements ask for.
fn required_hours_by_queue(i: &Instance) -> Option<Vec<f64>> {
    let Demand::Requirements(rows) = &i.demand else {
        return None;
    };
    let mut v = vec![0.0; i.centre.queues.len()];
    let hours = f64::from(i.centre.interval_min) / 60.0;
    for r in rows {
        v[r.queue] += r.agents * hours;
    }
    Some(v)
}

fn agents_by_group(i: &Instance) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for a in &i.agents {
        *m.entry(i.centre.skill_groups[a.skill_group].id.clone())
            .or_insert(0) += 1;
    }
    m
}
