//! Requirements: from the week's demand to what each queue needs in each
//! interval — offered load, the agents its SLA target needs there (Erlang C,
//! or Erlang A with a patience), the agents to schedule after shrinkage,
//! the workload of deferred queues, and the trunk blocking of the centre's
//! lines at that staffing. The tiers of a pool (`Centre::pools`) each need
//! the pool's agents that meet their SLA in the priority queue
//! (`queueing::priority`), every tier's calls taken in priority order. The planning MIP consumes these; `slaplan staff`
//! shows them.
//!
//! The week's grid is local time: on the day clocks go forward the skipped
//! intervals are absent, on the day they go back the repeated ones appear
//! twice (the second marked `repeated_hour`).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::model::{Channel, Demand, Instance, Queue, RequirementRow, VolumeRow, DAY_MIN};
use crate::queueing::staffing::{required_many, scheduled_agents, ServiceTarget};
use crate::queueing::{erlang_b, priority, Measures, QueueModel, StaffingError, Targets};

/// One interval of the planned week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub local: NaiveDateTime,
    /// Second occurrence of a local time, when clocks go back.
    pub repeated_hour: bool,
    /// Monday-first day of the week.
    pub day: usize,
    /// Minutes after local midnight.
    pub start_min: u32,
}

/// The week's intervals in local time, daylight saving applied.
pub fn week_grid(inst: &Instance) -> Vec<Interval> {
    let step = inst.centre.interval_min;
    let mut out = Vec::new();
    for (day, date) in inst.dates().iter().enumerate() {
        for start_min in (0..DAY_MIN).step_by(step as usize) {
            let local = at(*date, start_min);
            let times = crate::model::occurrences(inst.centre.time_zone, local);
            for k in 0..times {
                out.push(Interval {
                    local,
                    repeated_hour: k == 1,
                    day,
                    start_min,
                });
            }
        }
    }
    out
}

fn at(date: NaiveDate, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(i64::from(minute))
}

/// For deferred work of `queue` arriving in interval `i` of `grid`
/// (intervals of `interval_min` minutes): the last interval by whose end
/// it is within `within_s` of the interval's start — over the calendar, or
/// over the queue's open intervals where the contract counts opening hours
/// only. `None` when that falls after the week. The plan, `check` and the
/// simulation count deadlines with this one function.
pub fn due_interval(
    queue: &Queue,
    grid: &[Interval],
    interval_min: u32,
    i: usize,
    within_s: f64,
) -> Option<usize> {
    let step = f64::from(interval_min) * 60.0;
    if queue.sla.within_counts_opening_hours_only {
        let mut spent = 0.0;
        for (u, g) in grid.iter().enumerate().skip(i) {
            if queue.opening.overlaps(g.day, g.start_min, interval_min) {
                spent += step;
            }
            if spent >= within_s - 1e-9 {
                return Some(u);
            }
        }
        None
    } else {
        let last = i as f64 + (within_s / step).floor() - 1.0;
        (last >= 0.0 && (last as usize) < grid.len()).then_some(last as usize)
    }
}

/// What one queue needs in one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub queue: usize,
    /// Index into the week grid.
    pub interval: usize,
    pub open: bool,
    pub contacts: f64,
    pub aht_s: f64,
    /// Offered load in Erlangs (contacts × AHT / interval length).
    pub load: f64,
    /// Voice: least agents meeting the SLA target in this interval (and the
    /// occupancy cap); `None` for deferred work.
    pub required: Option<u32>,
    /// Voice: what `required` agents achieve.
    pub measures: Option<Measures>,
    /// Voice: agents to schedule so that `required` remain after shrinkage.
    pub scheduled: Option<u32>,
    /// Agent-hours of handling the interval's contacts bring (all channels).
    pub workload_h: f64,
}

/// The week's needs, and the trunk blocking per interval where the model
/// states its lines.
#[derive(Debug, Clone)]
pub struct Requirements {
    pub grid: Vec<Interval>,
    /// Queue-major: `needs[q * grid.len() + i]`.
    pub needs: Vec<Need>,
    /// Per interval: (line-holding Erlangs at the required staffing, Erlang B
    /// blocking on the model's lines).
    pub trunks: Option<Vec<(f64, f64)>>,
    /// The instance gave the agents required (`demand: requirements`): no
    /// contacts, no queueing; every queue's need is its `required` agents
    /// present in each interval.
    pub given: bool,
}

impl Requirements {
    pub fn need(&self, queue: usize, interval: usize) -> &Need {
        &self.needs[queue * self.grid.len() + interval]
    }
}

/// The requirements of the week for `demand` (e.g. from
/// `forecast::forecast_instance`). Volume given for a closed interval is
/// kept (and sized): the forecast says contacts come then.
///
/// Where the instance gives its requirements (`demand: requirements`),
/// `demand` is not read: each queue needs the agents given, rounded up to
/// whole agents, present in each interval (see [`given`]).
pub fn requirements(inst: &Instance, demand: &[VolumeRow]) -> Result<Requirements, StaffingError> {
    if let Demand::Requirements(rows) = &inst.demand {
        return given(inst, rows);
    }
    let c = &inst.centre;
    let grid = week_grid(inst);
    let index = grid_index(&grid);
    let n = grid.len();
    let step_s = f64::from(c.interval_min * 60);
    let mut contacts = vec![0.0; c.queues.len() * n];
    let mut aht_num = vec![0.0; c.queues.len() * n];
    for r in demand {
        if let Some(&i) = index.get(&(r.start, r.repeated_hour)) {
            let k = r.queue * n + i;
            contacts[k] += r.contacts;
            aht_num[k] += r.contacts * r.aht_s.unwrap_or(c.queues[r.queue].aht_s);
        }
    }
    let mut needs = Vec::with_capacity(c.queues.len() * n);
    let mut voice: Vec<(usize, (QueueModel, Targets))> = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        for (i, g) in grid.iter().enumerate() {
            let k = q * n + i;
            // A field visit's travel, both ways, is part of its handling.
            let aht_s = queue.sla.handling_s(if contacts[k] > 0.0 {
                aht_num[k] / contacts[k]
            } else {
                queue.aht_s
            });
            let load = contacts[k] * aht_s / step_s;
            if let Channel::Voice { patience_s } = queue.channel {
                let model = QueueModel::new(load, aht_s, patience_s)?;
                voice.push((k, (model, targets(queue))));
            }
            needs.push(Need {
                queue: q,
                interval: i,
                open: queue.opening.overlaps(g.day, g.start_min, c.interval_min),
                contacts: contacts[k],
                aht_s,
                load,
                required: None,
                measures: None,
                scheduled: None,
                workload_h: contacts[k] * aht_s / 3600.0,
            });
        }
    }
    let models: Vec<(QueueModel, Targets)> = voice.iter().map(|v| v.1).collect();
    let sized = required_many(&models)?;
    for ((k, _), r) in voice.iter().zip(sized) {
        let need = &mut needs[*k];
        need.scheduled = Some(scheduled_agents(r.agents, c.queues[need.queue].shrinkage)?);
        need.required = Some(r.agents);
        need.measures = Some(r.measures);
    }
    for pool in &c.pools {
        for i in 0..n {
            let classes: Vec<(f64, f64)> = pool
                .iter()
                .map(|&q| (needs[q * n + i].contacts, needs[q * n + i].aht_s))
                .collect();
            let (loads, aht_s) = priority::pooled(&classes, step_s);
            for (class, &q) in pool.iter().enumerate() {
                // The pool's agents for this tier's SLA, all tiers' calls
                // taken in priority order.
                let queue = &c.queues[q];
                let target = (queue.sla.target, queue.sla.within_s);
                let (agents, measures) =
                    priority::required(&loads, aht_s, class, target, queue.max_occupancy);
                let need = &mut needs[q * n + i];
                need.scheduled = Some(scheduled_agents(agents, queue.shrinkage)?);
                need.required = Some(agents);
                need.measures = Some(measures);
            }
        }
    }
    let trunks = c.trunk_lines.map(|lines| {
        (0..n)
            .map(|i| {
                // Callers hold a line while waiting and while talking.
                let held: f64 = (0..c.queues.len())
                    .filter_map(|q| {
                        let need = &needs[q * n + i];
                        need.measures?.line_load(need.contacts / step_s, need.aht_s)
                    })
                    .sum();
                (held, erlang_b::blocking(held, lines))
            })
            .collect()
    });
    Ok(Requirements {
        grid,
        needs,
        trunks,
        given: false,
    })
}

/// What a voice queue's agents must achieve in each interval: its SLA
/// target and its occupancy cap.
pub fn targets(queue: &Queue) -> Targets {
    Targets {
        service_level: Some(ServiceTarget {
            share: queue.sla.target,
            answer_within_s: queue.sla.within_s,
        }),
        max_occupancy: queue.max_occupancy,
        ..Targets::default()
    }
}

/// The grid's index by local time and repeat (the second occurrence of
/// the hour clocks repeat apart).
pub fn grid_index(grid: &[Interval]) -> BTreeMap<(NaiveDateTime, bool), usize> {
    grid.iter()
        .enumerate()
        .map(|(i, g)| ((g.local, g.repeated_hour), i))
        .collect()
}

/// Requirements as the instance gives them: per queue and interval the
/// agents required present (a fraction rounded up: an agent answers or
/// not), the agents to schedule after the queue's shrinkage, no contacts.
/// A requirement outside the queue's opening hours opens it then.
fn given(inst: &Instance, rows: &[RequirementRow]) -> Result<Requirements, StaffingError> {
    let c = &inst.centre;
    let grid = week_grid(inst);
    let index = grid_index(&grid);
    let n = grid.len();
    let mut agents = vec![0.0_f64; c.queues.len() * n];
    for r in rows {
        if let Some(&i) = index.get(&(r.start, r.repeated_hour)) {
            agents[r.queue * n + i] = agents[r.queue * n + i].max(r.agents);
        }
    }
    let mut needs = Vec::with_capacity(c.queues.len() * n);
    for (q, queue) in c.queues.iter().enumerate() {
        for (i, g) in grid.iter().enumerate() {
            let a = agents[q * n + i];
            let required = (a > 0.0).then(|| (a - 1e-9).ceil() as u32);
            let scheduled = required
                .map(|r| scheduled_agents(r, queue.shrinkage))
                .transpose()?;
            needs.push(Need {
                queue: q,
                interval: i,
                open: a > 0.0 || queue.opening.overlaps(g.day, g.start_min, c.interval_min),
                contacts: 0.0,
                aht_s: queue.aht_s,
                load: 0.0,
                required,
                measures: None,
                scheduled,
                workload_h: 0.0,
            });
        }
    }
    Ok(Requirements {
        grid,
        needs,
        trunks: None,
        given: true,
    })
}
