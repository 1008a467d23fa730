//! What the MIP reads from the queueing core: per voice queue and interval
//! the service level as a function of the agents present (a table over
//! whole agents, linear in between: a fractional agent is one who is there
//! part of the interval), its linear upper pieces for SLAs counted over a
//! day or week, the per-interval requirement; per outsourcer the largest
//! load its seats carry at the SLA; per deferred queue and interval the
//! last interval that still meets the deadline.

use super::options::Clock;
use crate::model::{Channel, Instance, Queue, SlaScope};
use crate::queueing::{priority, QueueModel, StaffingError};
use crate::requirements::Requirements;

/// SL at 0, 1, 2, … agents present, up to where it stops rising.
#[derive(Debug, Clone, PartialEq)]
pub struct SlTable {
    pub sl: Vec<f64>,
}

/// Slope below which the table is treated as flat (it has reached 1).
const FLAT: f64 = 1e-7;

/// Pieces flatter than this are left out and the credit capped where they
/// begin: a conservative cut at most this much SL per agent, which keeps
/// the MIP's coefficients in a range the simplex handles well.
pub const STEEP: f64 = 1e-4;

/// Chords per table above the steepest segment, at most: fewer rows for
/// large loads at a small, conservative loss of credit between chords.
pub const MAX_CHORDS: usize = 8;

impl SlTable {
    /// The table of `model` for answers within `within_s`.
    pub fn new(model: &QueueModel, within_s: f64) -> Self {
        Self::from_fn(model.load(), |n| model.measures(n, within_s).service_level)
    }

    /// The table of a tier of a pool (`queueing::priority`): class `class`
    /// of the classes' `loads`, over the pool's agents.
    pub fn tier(loads: &[f64], aht_s: f64, class: usize, within_s: f64) -> Self {
        Self::from_fn(loads.iter().sum(), |n| {
            priority::measures(loads, aht_s, f64::from(n), class, within_s).service_level
        })
    }

    /// The table of `sl(n)` at a total `load`, up to where it stops rising.
    fn from_fn(load: f64, sl_at: impl Fn(u32) -> f64) -> Self {
        let mut sl = Vec::new();
        let mut n = 0u32;
        loop {
            let v = sl_at(n).clamp(0.0, 1.0);
            let stop = n as f64 > load + 1.0
                && (v >= 1.0 - 1e-9 || sl.last().is_some_and(|&p: &f64| v - p < FLAT));
            sl.push(v);
            if stop || n > 100_000 {
                break;
            }
            n += 1;
        }
        SlTable { sl }
    }

    /// SL with `agents` present (linear between whole agents, flat past
    /// the table's end).
    pub fn at(&self, agents: f64) -> f64 {
        sl_between(&self.sl, agents)
    }

    /// Linear pieces `(n_j, sl_j, slope_j)` whose minimum never exceeds the
    /// table: the chords from the steepest one upward (exact where SL is
    /// concave in the agents), the steepest extended below it (under the
    /// curve there, so the credit is conservative).
    pub fn pieces(&self) -> Vec<(f64, f64, f64)> {
        self.pieces_with(MAX_CHORDS, STEEP)
    }

    /// The index of the steepest segment (from `p` to `p + 1` agents).
    pub fn steepest(&self) -> Option<usize> {
        let slopes: Vec<f64> = self.sl.windows(2).map(|w| w[1] - w[0]).collect();
        slopes
            .iter()
            .enumerate()
            .fold(None::<(usize, f64)>, |best, (j, &s)| match best {
                Some((_, b)) if b >= s => best,
                _ => Some((j, s)),
            })
            .map(|(j, _)| j)
    }

    /// As [`Self::pieces`], with at most `max_chords` chords above the
    /// steepest segment (`usize::MAX`: one per agent, exact for the table)
    /// and the cap where segments get flatter than `steep`.
    pub fn pieces_with(&self, max_chords: usize, steep: f64) -> Vec<(f64, f64, f64)> {
        let Some(steepest) = self.steepest() else {
            return Vec::new();
        };
        let slopes: Vec<f64> = self.sl.windows(2).map(|w| w[1] - w[0]).collect();
        // The steepest segment itself (its extension below must stay under
        // the curve), then chords over `stride` agents up to where the table
        // flattens, then a cap: chords of a concave curve lie under it.
        let end = (steepest..slopes.len())
            .find(|&j| slopes[j] < steep)
            .unwrap_or(slopes.len());
        let mut pieces = vec![(steepest as f64, self.sl[steepest], slopes[steepest])];
        let first = steepest + 1;
        let stride = (end.saturating_sub(first))
            .div_ceil(max_chords.max(1))
            .max(1);
        let mut j = first;
        while j < end {
            let k = (j + stride).min(end);
            pieces.push((
                j as f64,
                self.sl[j],
                (self.sl[k] - self.sl[j]) / (k - j) as f64,
            ));
            j = k;
        }
        pieces.push((end as f64, self.sl[end], 0.0));
        pieces
    }
}

/// Linear interpolation in a table over whole agents.
pub fn sl_between(sl: &[f64], agents: f64) -> f64 {
    if sl.is_empty() {
        return 0.0;
    }
    let x = agents.max(0.0);
    let lo = x.floor() as usize;
    if lo + 1 >= sl.len() {
        return *sl.last().expect("non-empty");
    }
    let f = x - lo as f64;
    sl[lo] * (1.0 - f) + sl[lo + 1] * f
}

/// The whole week's tables.
#[derive(Debug, Clone)]
pub struct Tables {
    /// `voice[q][i]`: the SL table where the queue is voice, counted by
    /// table (day/week scope or a priced SLA), and has contacts then.
    pub voice: Vec<Vec<Option<SlTable>>>,
    /// `deadline[q][i]`: last interval whose work still counts for work
    /// arriving in interval `i` of deferred queue `q` (`None` past the week).
    pub deadline: Vec<Vec<Option<usize>>>,
    /// Per outsourcer: the most Erlangs its seats carry while meeting the
    /// strictest voice SLA it serves.
    pub outsourcer_max_load: Vec<f64>,
}

/// Whether the queue's SLA is counted from SL tables rather than as a
/// per-interval requirement.
pub fn by_table(queue: &Queue, scope: SlaScope) -> bool {
    matches!(queue.channel, Channel::Voice { .. })
        && (scope != SlaScope::Interval || queue.penalty_per_point.is_some())
}

impl Tables {
    pub fn new(
        inst: &Instance,
        req: &Requirements,
        scopes: &[SlaScope],
        clock: &Clock,
    ) -> Result<Self, StaffingError> {
        use rayon::prelude::*;
        let c = &inst.centre;
        let n = req.grid.len();
        let voice = c
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| {
                let Channel::Voice { patience_s } = queue.channel else {
                    return Ok(vec![None; n]);
                };
                if !by_table(queue, scopes[q]) {
                    return Ok(vec![None; n]);
                }
                let pool = c.pool_of(q);
                (0..n)
                    .into_par_iter()
                    .map(|i| {
                        let need = req.need(q, i);
                        if !need.open || need.contacts <= 0.0 {
                            return Ok(None);
                        }
                        if let Some(pool) = pool {
                            let step_s = f64::from(c.interval_min * 60);
                            let all = |q: usize| req.need(q, i).contacts;
                            let (loads, aht_s) = tier_loads(req, pool, i, step_s, all);
                            let class = pool.iter().position(|&p| p == q).expect("a member");
                            return Ok(Some(SlTable::tier(
                                &loads,
                                aht_s,
                                class,
                                queue.sla.within_s,
                            )));
                        }
                        let model = QueueModel::new(need.load, need.aht_s, patience_s)?;
                        Ok(Some(SlTable::new(&model, queue.sla.within_s)))
                    })
                    .collect::<Result<Vec<_>, StaffingError>>()
            })
            .collect::<Result<Vec<_>, StaffingError>>()?;
        let deadline = c
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| match queue.channel {
                Channel::Deferred => deadlines(inst, req, q, clock, |_| 0.0),
                Channel::Voice { .. } => vec![None; n],
            })
            .collect();
        let outsourcer_max_load = c
            .outsourcers
            .iter()
            .map(|o| {
                let strictest = o
                    .queues
                    .iter()
                    .filter(|&&q| matches!(c.queues[q].channel, Channel::Voice { .. }))
                    .map(|&q| (c.queues[q].sla.target, c.queues[q].sla.within_s))
                    .fold(None::<(f64, f64)>, |acc, (t, w)| match acc {
                        None => Some((t, w)),
                        Some((t0, w0)) => Some((t0.max(t), w0.min(w))),
                    });
                match strictest {
                    None => f64::from(o.seats),
                    Some((target, within)) => max_load(o.seats, o.aht_s, target, within),
                }
            })
            .collect();
        Ok(Tables {
            voice,
            deadline,
            outsourcer_max_load,
        })
    }
}

/// A pool's tiers in interval `i` as the priority queue's classes: their
/// loads at the pool's mean AHT, highest priority first.
/// `contacts(q)` gives each tier's contacts (all of them, or those kept
/// in-house).
pub fn tier_loads(
    req: &Requirements,
    pool: &[usize],
    i: usize,
    step_s: f64,
    contacts: impl Fn(usize) -> f64,
) -> (Vec<f64>, f64) {
    let classes: Vec<(f64, f64)> = pool
        .iter()
        .map(|&q| (contacts(q), req.need(q, i).aht_s))
        .collect();
    priority::pooled(&classes, step_s)
}

/// The largest offered load (Erlangs) `seats` agents carry with SL at
/// least `target` (Erlang C, bisection: SL falls as load rises).
pub fn max_load(seats: u32, aht_s: f64, target: f64, within_s: f64) -> f64 {
    let ok = |load: f64| {
        QueueModel::new(load, aht_s, None)
            .map(|m| m.measures(seats, within_s).service_level >= target)
            .unwrap_or(false)
    };
    let (mut lo, mut hi) = (0.0, f64::from(seats));
    if seats == 0 {
        return 0.0;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// For each interval, the last interval in which work arriving then can
/// still be done by its deadline ([`crate::requirements::due_interval`];
/// for a first-response contract, the deadline plus the interval's AHT:
/// [`crate::model::Sla::done_within_s`]). `margin_s` earlier than the
/// contract's (the verification's margin for the work arriving in each
/// interval), but never less than two intervals: work is done from the
/// interval after it arrives.
pub fn deadlines(
    inst: &Instance,
    req: &Requirements,
    q: usize,
    clock: &Clock,
    margin_s: impl Fn(usize) -> f64,
) -> Vec<Option<usize>> {
    let queue = &inst.centre.queues[q];
    let step = f64::from(clock.step_min) * 60.0;
    (0..req.grid.len())
        .map(|i| {
            let contract = queue.sla.done_within_s(req.need(q, i).aht_s);
            let within = (contract - margin_s(i)).max((2.0 * step).min(contract));
            crate::requirements::due_interval(queue, &req.grid, inst.centre.interval_min, i, within)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_never_exceed_the_table() {
        for load in [0.5, 3.0, 12.0, 48.0] {
            for patience in [None, Some(180.0)] {
                let m = QueueModel::new(load, 240.0, patience).unwrap();
                let t = SlTable::new(&m, 20.0);
                let pieces = t.pieces();
                assert!(!pieces.is_empty());
                for k in 0..(t.sl.len() * 4) {
                    let x = k as f64 / 4.0;
                    let credit = pieces
                        .iter()
                        .map(|&(n, s, d)| s + d * (x - n))
                        .fold(1.0_f64, f64::min)
                        .max(0.0);
                    assert!(
                        credit <= t.at(x) + 1e-12,
                        "load {load} at {x}: {credit} > {}",
                        t.at(x)
                    );
                }
                // Exact at every breakpoint of the pieces.
                for &(n, sl, _) in &pieces {
                    let credit = pieces
                        .iter()
                        .map(|&(m, s, d)| s + d * (n - m))
                        .fold(1.0_f64, f64::min);
                    assert!(
                        (credit - sl).abs() < 1e-12,
                        "load {load} at {n}: {credit} vs {sl}"
                    );
                }
                assert!(pieces.len() <= MAX_CHORDS + 2);
            }
        }
    }

    #[test]
    fn outsourcer_load_meets_its_target_and_no_more() {
        let l = max_load(20, 300.0, 0.8, 20.0);
        let sl = |a: f64| {
            QueueModel::new(a, 300.0, None)
                .unwrap()
                .measures(20, 20.0)
                .service_level
        };
        assert!(sl(l) >= 0.8);
        assert!(sl(l + 0.01) < 0.8);
    }
}
