//! What `slaplan staff` writes: the per-interval requirements CSV and the
//! summary per queue and day (its JSON), with the intervals where the
//! trunk lines, not the agents, limit service.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::model::Instance;
use crate::requirements::Requirements;

/// Trunk blocking above which an interval is flagged.
pub const BLOCKING_FLAG: f64 = 0.01;

/// The per-interval requirements CSV (`slaplan staff -o`, `--format csv`).
pub fn requirements_csv(
    inst: &Instance,
    req: &Requirements,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "queue,interval_start,repeated_hour,open,contacts,aht_s,load_erlangs,required_agents,scheduled_agents,projected_sl_share,workload_h,trunk_blocking_share"
    )?;
    for need in &req.needs {
        let g = &req.grid[need.interval];
        let opt = |v: Option<String>| v.unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            inst.centre.queues[need.queue].id,
            g.local.format("%Y-%m-%dT%H:%M"),
            g.repeated_hour,
            need.open,
            super::fixed(need.contacts, 3),
            super::fixed(need.aht_s, 1),
            super::fixed(need.load, 4),
            opt(need.required.map(|r| r.to_string())),
            opt(need.scheduled.map(|r| r.to_string())),
            opt(need.measures.map(|m| super::fixed(m.service_level, 4))),
            super::fixed(need.workload_h, 4),
            opt(req
                .trunks
                .as_ref()
                .map(|t| super::fixed(t[need.interval].1, 6))),
        )?;
    }
    Ok(())
}

/// What `slaplan staff --format json` prints: per queue and day, and the
/// intervals the trunks limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffSummary {
    pub centre: String,
    pub week_start: String,
    pub queues: Vec<QueueDay>,
    /// Intervals where the trunk lines block more than 1% of calls at the
    /// required staffing: lines, not agents, limit service there.
    pub trunk_limited: Vec<TrunkFlag>,
}

/// One queue's day.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueDay {
    pub queue: String,
    pub date: String,
    pub contacts: f64,
    pub peak_required: Option<u32>,
    pub peak_scheduled: Option<u32>,
    /// Σ required agents × interval length (voice), or handling hours (deferred).
    pub agent_hours: f64,
}

/// An interval where the lines block more than [`BLOCKING_FLAG`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrunkFlag {
    pub interval_start: String,
    pub line_erlangs: f64,
    pub blocking: f64,
}

impl StaffSummary {
    /// The summary of `req`, the requirements of `inst`'s week.
    pub fn of(inst: &Instance, req: &Requirements) -> StaffSummary {
        let c = &inst.centre;
        let hours = f64::from(c.interval_min) / 60.0;
        let mut queues = Vec::new();
        for (q, queue) in c.queues.iter().enumerate() {
            for (d, date) in inst.dates().iter().enumerate() {
                let day: Vec<_> = (0..req.grid.len())
                    .filter(|&i| req.grid[i].day == d)
                    .map(|i| req.need(q, i))
                    .collect();
                let voice = day.iter().any(|n| n.required.is_some());
                queues.push(QueueDay {
                    queue: queue.id.clone(),
                    date: date.to_string(),
                    contacts: day.iter().map(|n| n.contacts).sum(),
                    peak_required: day.iter().filter_map(|n| n.required).max(),
                    peak_scheduled: day.iter().filter_map(|n| n.scheduled).max(),
                    agent_hours: if voice {
                        day.iter()
                            .filter_map(|n| n.required)
                            .map(|r| f64::from(r) * hours)
                            .sum()
                    } else {
                        day.iter().map(|n| n.workload_h).sum()
                    },
                });
            }
        }
        let trunk_limited = req
            .trunks
            .iter()
            .flat_map(|t| t.iter().enumerate())
            .filter(|(_, (_, b))| *b > BLOCKING_FLAG)
            .map(|(i, (held, b))| TrunkFlag {
                interval_start: req.grid[i].local.format("%Y-%m-%dT%H:%M").to_string(),
                line_erlangs: *held,
                blocking: *b,
            })
            .collect();
        StaffSummary {
            centre: c.name.clone(),
            week_start: inst.week_start.to_string(),
            queues,
            trunk_limited,
        }
    }
}
