//! The replications summed per queue and period (interval, day, week),
//! each measure with its 95% confidence interval over the replications
//! (Student's t), beside the plan's projection; written as
//! `simulation.csv`, JSON and a terminal comparison.

pub use crate::files::simulation::{Estimate, IntervalCounts, PeriodRow, QueueSummary, Verdict};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::{Setup, Tally};
use crate::model::SlaScope;
use crate::plan::evaluate::Evaluation;
use crate::plan::Context;

impl Estimate {
    /// Mean and t-interval of `xs`; `None` when empty. With one value the
    /// interval is that value.
    pub fn of(xs: &[f64]) -> Option<Estimate> {
        let n = xs.len();
        if n == 0 {
            return None;
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Some(Estimate {
                mean,
                low: mean,
                high: mean,
                n,
            });
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .expect("positive degrees of freedom")
            .inverse_cdf(0.975);
        let half = t * (var / n as f64).sqrt();
        Some(Estimate {
            mean,
            low: mean - half,
            high: mean + half,
            n,
        })
    }

    pub fn contains(&self, x: f64) -> bool {
        self.low - 1e-9 <= x && x <= self.high + 1e-9
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub rows: Vec<PeriodRow>,
    pub queues: Vec<QueueSummary>,
    /// Contacts per replication, all queues.
    pub contacts: Estimate,
}

/// Sums of the tally over some cells of one queue, for one replication.
#[derive(Default, Clone, Copy)]
struct Sums {
    offered: f64,
    within: f64,
    answered: f64,
    wait: f64,
    abandoned: f64,
    blocked: f64,
    late: f64,
    carried: f64,
    busy: f64,
    idle: f64,
}

impl Report {
    pub fn new(cx: &Context, setup: &Setup, tallies: &[Tally], eval: &Evaluation) -> Report {
        let c = &cx.inst.centre;
        let n = setup.intervals;
        let nq = setup.queues.len();
        // Queues with contacts per interval: how a group's idle time is
        // shared out.
        let live = |q: usize, i: usize| setup.queues[q].contacts[i] > 0.0;
        let idle_of = |t: &Tally, q: usize, i: usize| -> f64 {
            setup.queues[q]
                .groups
                .iter()
                .map(|&g| {
                    let m = setup.groups[g].iter().filter(|&&x| live(x, i)).count();
                    if live(q, i) {
                        t.idle_s[g * n + i] / m.max(1) as f64
                    } else {
                        0.0
                    }
                })
                .sum()
        };
        let sums = |t: &Tally, q: usize, cells: &[usize]| {
            let mut s = Sums::default();
            for &i in cells {
                let k = q * n + i;
                s.offered += t.offered[k];
                s.within += t.within[k];
                s.answered += t.answered[k];
                s.wait += t.wait_s[k];
                s.abandoned += t.abandoned[k];
                s.blocked += t.blocked[k];
                s.late += t.late[k];
                s.carried += t.carried[k];
                s.busy += t.busy_s[k];
                s.idle += idle_of(t, q, i);
            }
            s
        };
        // Projection per queue and interval: (contacts, sl, asa).
        let mut proj = vec![vec![None; n]; nq];
        for e in &eval.intervals {
            proj[e.queue][e.interval] = Some((e.contacts, e.sl, e.asa_s));
        }
        // Breaks and shift edges per group and interval.
        let mut breaks = vec![vec![0u32; n]; setup.groups.len()];
        let mut edges = vec![vec![0u32; n]; setup.groups.len()];
        let at = |t: f64| ((t / setup.step_s) as usize).min(n - 1);
        for s in &setup.sessions {
            edges[s.group][at(s.start_s)] += 1;
            edges[s.group][at((s.end_s - 1.0).max(0.0))] += 1;
            for &(a, b) in &s.breaks {
                breaks[s.group][at(a)] += 1;
                breaks[s.group][at((b - 1.0).max(0.0))] += 1;
            }
        }
        let mut rows = Vec::new();
        let mut queues = Vec::new();
        for (q, queue) in c.queues.iter().enumerate() {
            let spec = &setup.queues[q];
            if spec.contacts.iter().all(|&x| x <= 0.0) {
                continue;
            }
            let row = |scope: SlaScope, period: usize, cells: &[usize]| -> PeriodRow {
                // A month counts on from its weeks before (a horizon's
                // carry): their contacts and those in time join each
                // replication's, and the projection's.
                let month = cx.inst.month_of_day(cx.req.grid[cells[0]].day);
                let before = (scope == SlaScope::Month)
                    .then(|| cx.inst.carry.month_so_far(q, month))
                    .flatten();
                let per: Vec<Sums> = tallies
                    .iter()
                    .map(|t| {
                        let mut s = sums(t, q, cells);
                        if let Some(b) = before {
                            s.offered += b.contacts;
                            s.within += b.in_time;
                        }
                        s
                    })
                    .collect();
                let defined = |f: &dyn Fn(&Sums) -> Option<f64>| -> Option<Estimate> {
                    Estimate::of(&per.iter().filter_map(f).collect::<Vec<_>>())
                };
                let sl = defined(&|s| {
                    let d = s.offered - s.carried;
                    (d > 0.0).then(|| s.within / d)
                });
                let voice = spec.voice;
                let asa = defined(&|s| (voice && s.answered > 0.0).then(|| s.wait / s.answered));
                let abandon =
                    defined(&|s| (voice && s.offered > 0.0).then(|| s.abandoned / s.offered));
                let occupancy = defined(&|s| {
                    let d = s.busy + s.idle;
                    (d > 0.0).then(|| s.busy / d)
                });
                let blocked = defined(&|s| voice.then_some(s.blocked));
                let misses = defined(&|s| (!voice).then_some(s.late));
                let (mut pc, mut ps, mut pa, mut pac) = (0.0, 0.0, 0.0, 0.0);
                for &i in cells {
                    if let Some((k, sl, asa)) = proj[q][i] {
                        pc += k;
                        ps += k * sl;
                        if let Some(a) = asa {
                            pa += k * a;
                            pac += k;
                        }
                    }
                }
                if let Some(b) = before {
                    pc += b.contacts;
                    ps += b.in_time;
                }
                let projected_sl = (pc > 0.0).then(|| ps / pc);
                let projected_asa_s = (voice && pac > 0.0).then(|| pa / pac);
                let verdict = match (projected_sl, sl) {
                    (Some(p), Some(e)) if e.n >= 2 => {
                        if p < e.low - 1e-9 {
                            Verdict::Better
                        } else if p > e.high + 1e-9 {
                            Verdict::Worse
                        } else {
                            Verdict::Within
                        }
                    }
                    _ => Verdict::None,
                };
                let (b, e) = if scope == SlaScope::Interval {
                    let i = cells[0];
                    let sum = |per: &Vec<Vec<u32>>| spec.groups.iter().map(|&g| per[g][i]).sum();
                    (Some(sum(&breaks)), Some(sum(&edges)))
                } else {
                    (None, None)
                };
                let (label, repeated_hour) = match scope {
                    SlaScope::Interval => {
                        let g = &cx.req.grid[period];
                        (
                            g.local.format("%Y-%m-%dT%H:%M").to_string(),
                            g.repeated_hour,
                        )
                    }
                    SlaScope::Day => (cx.inst.dates()[period].to_string(), false),
                    SlaScope::Week => (cx.inst.week_start.to_string(), false),
                    SlaScope::Month => (month.format("%Y-%m").to_string(), false),
                };
                PeriodRow {
                    queue: q,
                    scope,
                    period,
                    label,
                    repeated_hour,
                    offered: per.iter().map(|s| s.offered).sum::<f64>() / per.len().max(1) as f64,
                    projected_sl,
                    projected_asa_s,
                    sl,
                    asa_s: asa,
                    abandon_rate: abandon,
                    occupancy,
                    blocked,
                    deadline_misses: misses,
                    verdict,
                    breaks: b,
                    shift_edges: e,
                }
            };
            let week = row(SlaScope::Week, 0, &(0..n).collect::<Vec<_>>());
            let days: Vec<PeriodRow> = (0..7)
                .filter_map(|d| {
                    let cells: Vec<usize> = (0..n)
                        .filter(|&i| cx.req.grid[i].day == d && spec.contacts[i] > 0.0)
                        .collect();
                    (!cells.is_empty()).then(|| row(SlaScope::Day, d, &cells))
                })
                .collect();
            let pooled = spec.groups.iter().any(|&g| setup.groups[g].len() > 1);
            let mut counts = IntervalCounts::default();
            let mut per_interval = Vec::new();
            for i in (0..n).filter(|&i| spec.contacts[i] > 0.0) {
                let r = row(SlaScope::Interval, i, &[i]);
                match r.verdict {
                    Verdict::Better => {
                        counts.better += 1;
                        counts.better_pooled += usize::from(pooled);
                    }
                    Verdict::Within => counts.within += 1,
                    Verdict::Worse => {
                        counts.worse += 1;
                        if r.breaks.unwrap_or(0) + r.shift_edges.unwrap_or(0) > 0 {
                            counts.worse_at_breaks_or_edges += 1;
                        }
                    }
                    Verdict::None => continue,
                }
                counts.compared += 1;
                per_interval.push(r);
            }
            // The months the week holds, where the contract counts them.
            let mut months: Vec<(usize, Vec<usize>)> = Vec::new();
            if cx.scopes[q] == SlaScope::Month {
                for i in (0..n).filter(|&i| spec.contacts[i] > 0.0) {
                    let k = cx.inst.month_number(cx.req.grid[i].day);
                    match months.iter_mut().find(|(m, _)| *m == k) {
                        Some((_, cells)) => cells.push(i),
                        None => months.push((k, vec![i])),
                    }
                }
            }
            rows.push(week.clone());
            rows.extend(
                months
                    .iter()
                    .map(|(k, cells)| row(SlaScope::Month, *k, cells)),
            );
            rows.extend(days.iter().cloned());
            rows.extend(per_interval);
            queues.push(QueueSummary {
                queue: queue.id.clone(),
                channel: if spec.voice { "voice" } else { "deferred" }.into(),
                target: queue.sla.target,
                within_s: queue.sla.within_s,
                week,
                days,
                intervals: counts,
            });
        }
        let totals: Vec<f64> = tallies
            .iter()
            .map(|t| t.offered.iter().sum::<f64>() + t.blocked.iter().sum::<f64>())
            .collect();
        Report {
            rows,
            queues,
            contacts: Estimate::of(&totals).unwrap_or(Estimate {
                mean: 0.0,
                low: 0.0,
                high: 0.0,
                n: 0,
            }),
        }
    }
}

pub use crate::files::simulation::SIMULATION_HEADER;

/// `simulation.csv`: the week, the days and the intervals of every queue.
pub fn csv(cx: &Context, report: &Report) -> String {
    let ids: Vec<&str> = cx
        .inst
        .centre
        .queues
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    crate::files::simulation::simulation_csv(&ids, &report.rows)
}
