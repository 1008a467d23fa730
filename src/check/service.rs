//! The checker's own count of service levels, from the files alone: the
//! week's calendar, the forecast volumes, the allocation file and the
//! queueing core (`crate::queueing`). Nothing here comes from the planning
//! model — not its requirements, its tables nor its evaluation — so a bug
//! there cannot hide here too. (The mathematics is the plan's exact
//! evaluation, `docs/model.md`, written again.)
//!
//! Per voice queue and open interval with calls: the in-house calls at the
//! agents allocated less shrinkage (a fractional agent is a present part
//! of the interval: SL between the neighbouring whole numbers), the calls
//! sent to each outsourcer at its seats and pooled load (a tier of a pool:
//! the pool's agents, the priority queue of the tiers' calls); per deferred
//! queue, the work done first in, first out from the next interval on,
//! against each contact's deadline. Then per interval, day and week,
//! contacts-weighted.

use std::collections::{BTreeMap, VecDeque};

use crate::model::{Backlog, Channel, Instance, SlaScope, VolumeRow};
use crate::queueing::{priority, QueueModel};
use crate::requirements::{due_interval, Interval};

/// One queue's SL over one scope: periods with contacts, those at target,
/// the worst.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub queue: usize,
    pub scope: SlaScope,
    pub periods: usize,
    pub periods_met: usize,
    pub worst: f64,
}

/// Contacts and their AHT per queue and interval (`q * n + i`), from the
/// demand rows.
fn volumes(inst: &Instance, grid: &[Interval], demand: &[VolumeRow]) -> (Vec<f64>, Vec<f64>) {
    let n = grid.len();
    let nq = inst.centre.queues.len();
    let index = crate::requirements::grid_index(grid);
    let mut contacts = vec![0.0; nq * n];
    let mut work = vec![0.0; nq * n];
    for r in demand {
        if let Some(&i) = index.get(&(r.start, r.repeated_hour)) {
            let k = r.queue * n + i;
            contacts[k] += r.contacts;
            work[k] += r.contacts * r.aht_s.unwrap_or(inst.centre.queues[r.queue].aht_s);
        }
    }
    // A field visit's travel, both ways, is part of its handling.
    let aht = (0..nq * n)
        .map(|k| {
            let queue = &inst.centre.queues[k / n];
            queue.sla.handling_s(if contacts[k] > 0.0 {
                work[k] / contacts[k]
            } else {
                queue.aht_s
            })
        })
        .collect();
    (contacts, aht)
}

/// SL at a fractional number of agents present.
fn sl_at(sl: impl Fn(u32) -> f64, present: f64) -> f64 {
    let lo = present.max(0.0).floor();
    let f = present.max(0.0) - lo;
    let a = sl(lo as u32);
    if f < 1e-12 {
        return a;
    }
    a * (1.0 - f) + sl(lo as u32 + 1) * f
}

/// Per queue and interval: (contacts counted, contacts within the SLA).
pub type PerInterval = Vec<Vec<Option<(f64, f64)>>>;

/// Per queue and interval, (contacts counted, contacts within the SLA),
/// from the agents allocated (`in_house[q][i]`), the agents present the
/// plan's calibration adds (`calibration[q][i]`, voice; see
/// `allocation.csv`) and the contacts sent (`sent[o][q][i]`); and per
/// deferred queue the contacts left undone at the week's end.
pub fn per_interval(
    inst: &Instance,
    grid: &[Interval],
    demand: &[VolumeRow],
    (in_house, calibration): (&[Vec<f64>], &[Vec<f64>]),
    sent: &[Vec<Vec<f64>>],
) -> (PerInterval, Vec<Backlog>) {
    let c = &inst.centre;
    let n = grid.len();
    let step_s = f64::from(c.interval_min) * 60.0;
    let (contacts, aht) = volumes(inst, grid, demand);
    let voice = |q: usize| matches!(c.queues[q].channel, Channel::Voice { .. });
    let sent_to = |q: usize, i: usize| sent.iter().map(|o| o[q][i]).sum::<f64>();
    let out_sl: Vec<Vec<Vec<f64>>> = c
        .outsourcers
        .iter()
        .enumerate()
        .map(|(o, out)| {
            (0..n)
                .map(|i| {
                    let load: f64 = (0..c.queues.len())
                        .filter(|&q| voice(q))
                        .map(|q| sent[o][q][i] * out.aht_s / step_s)
                        .sum();
                    let model = QueueModel::new(load, out.aht_s, None)
                        .expect("a non-negative load is a valid model");
                    c.queues
                        .iter()
                        .map(|queue| model.measures(out.seats, queue.sla.within_s).service_level)
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut result = Vec::with_capacity(c.queues.len());
    let mut left = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        let on_duty = queue.on_duty();
        let mut row = vec![None; n];
        match queue.channel {
            Channel::Voice { patience_s } => {
                for (i, g) in grid.iter().enumerate() {
                    let k = q * n + i;
                    let open = queue.opening.overlaps(g.day, g.start_min, c.interval_min);
                    if !open || contacts[k] <= 0.0 {
                        continue;
                    }
                    let away = sent_to(q, i).min(contacts[k]);
                    let own = contacts[k] - away;
                    let mut within = 0.0;
                    if own > 1e-9 {
                        let within_s = queue.sla.within_s;
                        if let Some(pool) = c.pool_of(q) {
                            // A tier: its pool's agents, every tier's kept
                            // calls as the priority queue's classes at
                            // their mean handle time.
                            let kept = |p: usize| {
                                let k = p * n + i;
                                contacts[k] - sent_to(p, i).min(contacts[k])
                            };
                            let calls: f64 = pool.iter().map(|&p| kept(p)).sum();
                            let work: f64 = pool.iter().map(|&p| kept(p) * aht[p * n + i]).sum();
                            let mean_aht = work / calls;
                            let loads: Vec<f64> =
                                pool.iter().map(|&p| kept(p) * mean_aht / step_s).collect();
                            let class = pool.iter().position(|&p| p == q).expect("a member");
                            let agents: f64 = pool
                                .iter()
                                .map(|&p| in_house[p][i] * c.queues[p].on_duty())
                                .sum();
                            let present = (agents + calibration[q][i]).max(0.0);
                            let sl = |m: u32| {
                                priority::measures(&loads, mean_aht, f64::from(m), class, within_s)
                                    .service_level
                            };
                            within += own * sl_at(sl, present);
                        } else {
                            let model = QueueModel::new(own * aht[k] / step_s, aht[k], patience_s)
                                .expect("a non-negative load is a valid model");
                            let present = (in_house[q][i] * on_duty + calibration[q][i]).max(0.0);
                            let sl = |m: u32| model.measures(m, within_s).service_level;
                            within += own * sl_at(sl, present);
                        }
                    }
                    for (o, per) in out_sl.iter().enumerate() {
                        within += sent[o][q][i] * per[i][q];
                    }
                    row[i] = Some((contacts[k], within));
                }
            }
            Channel::Deferred => {
                // (arrival interval, contacts left, AHT)
                let mut backlog: VecDeque<(usize, f64, f64)> = VecDeque::new();
                let mut on_time = vec![0.0; n];
                let mut late = vec![0.0; n];
                // A first-response contract: taken up by its deadline, so
                // done an AHT later (`Sla::done_within_s`).
                let deadlines: Vec<Option<usize>> = (0..n)
                    .map(|i| {
                        let within = queue.sla.done_within_s(aht[q * n + i]);
                        due_interval(queue, grid, inst.centre.interval_min, i, within)
                    })
                    .collect();
                for (u, &agents) in in_house[q].iter().enumerate() {
                    let mut capacity = agents * on_duty * step_s;
                    while capacity > 1e-9 {
                        let Some(front) = backlog.front_mut() else {
                            break;
                        };
                        let take = (front.1 * front.2).min(capacity);
                        capacity -= take;
                        let done = take / front.2;
                        front.1 -= done;
                        // Due after the week: on time whenever done in it.
                        match deadlines[front.0] {
                            Some(last) if u > last => late[front.0] += done,
                            _ => on_time[front.0] += done,
                        }
                        if front.1 <= 1e-9 {
                            backlog.pop_front();
                        }
                    }
                    let k = q * n + u;
                    let own = contacts[k] - sent_to(q, u).min(contacts[k]);
                    if own > 1e-12 {
                        backlog.push_back((u, own, aht[k]));
                    }
                }
                // Undone at the week's end: a horizon's next week gets it.
                let undone: f64 = backlog.iter().map(|x| x.1).sum();
                if undone > 1e-9 {
                    let work: f64 = backlog.iter().map(|x| x.1 * x.2).sum();
                    left.push(Backlog {
                        queue: q,
                        contacts: undone,
                        aht_s: work / undone,
                    });
                }
                for i in 0..n {
                    let k = q * n + i;
                    if contacts[k] <= 0.0 {
                        continue;
                    }
                    let away = sent_to(q, i).min(contacts[k]);
                    // Work due after the week and not done is carried
                    // over: neither on time nor late.
                    let counted = match deadlines[i] {
                        Some(_) => contacts[k],
                        None => on_time[i] + late[i] + away,
                    };
                    row[i] = Some(if counted > 0.0 {
                        (counted, on_time[i] + away)
                    } else {
                        (0.0, 0.0)
                    });
                }
            }
        }
        result.push(row);
    }
    (result, left)
}

/// Queue `q`'s contractual scope, or `scope` for every queue when given
/// (`--sla-scope`).
pub fn scope_of(inst: &Instance, q: usize, scope: Option<SlaScope>) -> SlaScope {
    scope.unwrap_or(inst.centre.queues[q].sla.scope)
}

/// What the week's queues counted per month carry into the next week
/// (see [`crate::model::months_after`]), from `intervals` as
/// [`per_interval`] counts them.
pub fn months_after(
    inst: &Instance,
    grid: &[Interval],
    intervals: &[Vec<Option<(f64, f64)>>],
    scope: Option<SlaScope>,
) -> Vec<crate::model::MonthSoFar> {
    let queues: Vec<usize> = (0..inst.centre.queues.len())
        .filter(|&q| scope_of(inst, q, scope) == SlaScope::Month)
        .collect();
    let parts: Vec<(usize, chrono::NaiveDate, f64, f64)> = queues
        .iter()
        .flat_map(|&q| {
            intervals[q]
                .iter()
                .enumerate()
                .filter_map(move |(i, v)| v.map(|(n, w)| (q, inst.month_of_day(grid[i].day), n, w)))
        })
        .collect();
    crate::model::months_after(inst, &queues, &parts)
}

/// SLs are compared with their targets to this much (0.001 points):
/// the precision `allocation.csv`'s six decimals carry.
pub const SL_TOLERANCE: f64 = 1e-5;

/// Per queue and scope, the periods and the worst SL.
pub fn per_scope(
    inst: &Instance,
    grid: &[Interval],
    intervals: &[Vec<Option<(f64, f64)>>],
    scope: Option<SlaScope>,
) -> Vec<Counted> {
    let mut out = Vec::new();
    for (q, queue) in inst.centre.queues.iter().enumerate() {
        // A month only where the contract counts one.
        let month = (scope_of(inst, q, scope) == SlaScope::Month).then_some(SlaScope::Month);
        for scope in [SlaScope::Interval, SlaScope::Day, SlaScope::Week]
            .into_iter()
            .chain(month)
        {
            let mut periods: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
            for (i, v) in intervals[q].iter().enumerate() {
                let Some((n, within)) = v else { continue };
                let month = inst.month_of_day(grid[i].day);
                let p = match scope {
                    SlaScope::Interval => i,
                    SlaScope::Day => grid[i].day,
                    SlaScope::Week => 0,
                    SlaScope::Month => inst.month_number(grid[i].day),
                };
                // A month counts on from its weeks before.
                let before = match scope {
                    SlaScope::Month => inst
                        .carry
                        .month_so_far(q, month)
                        .map_or((0.0, 0.0), |b| (b.contacts, b.in_time)),
                    _ => (0.0, 0.0),
                };
                let t = periods.entry(p).or_insert(before);
                t.0 += n;
                t.1 += within;
            }
            let sls: Vec<f64> = periods
                .values()
                .filter(|(n, _)| *n > 1e-12)
                .map(|(n, w)| w / n)
                .collect();
            out.push(Counted {
                queue: q,
                scope,
                periods: sls.len(),
                periods_met: sls
                    .iter()
                    .filter(|&&sl| sl + SL_TOLERANCE >= queue.sla.target)
                    .count(),
                worst: sls.iter().copied().fold(1.0, f64::min),
            });
        }
    }
    out
}
