//! Exact re-evaluation of a plan with the queueing core, independent of the
//! MIP's linear pieces: per voice queue and interval the SL of the in-house
//! calls at the agents present (Erlang C or A at the in-house load; a
//! fractional agent is one present part of the interval, so SL is taken
//! between the neighbouring whole numbers in proportion) and of the calls
//! sent to each outsourcer (Erlang C on its seats at its pooled load);
//! per deferred queue the work done first-in first-out against each
//! contact's deadline. Then per interval, day and week, calls-weighted,
//! beside what the contract asks and what the plan promised; and the trunk
//! blocking at the planned staffing.

use super::extract::Solution;
use super::passes::{Period, DAYS};
use super::tables::tier_loads;
use super::Context;
use crate::model::{Channel, SlaScope};
use crate::queueing::{erlang_b, priority, QueueModel};

/// Trunk blocking above which an interval is flagged: the lines, not the
/// agents, limit service there.
pub const BLOCKING_FLAG: f64 = 0.01;

#[derive(Debug, Clone, PartialEq)]
pub struct IntervalEval {
    pub queue: usize,
    pub interval: usize,
    pub contacts: f64,
    pub sent: f64,
    /// Agents allocated (before shrinkage).
    pub staffed: f64,
    /// Agents the per-interval SLA needs after shrinkage (voice).
    pub required: Option<f64>,
    /// Share handled within the SLA's time (voice: answered within; deferred:
    /// done by the deadline).
    pub sl: f64,
    pub asa_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlaEval {
    pub queue: usize,
    pub scope: SlaScope,
    /// Whether this is the scope the contract (or `--sla-scope`) counts.
    pub contractual: bool,
    /// Periods of the scope with contacts.
    pub periods: usize,
    /// Periods at or above target.
    pub periods_met: usize,
    pub target: f64,
    /// The worst period's SL (the only one, for the week).
    pub achieved: f64,
    /// The worst the plan promised for a period (the target unless missed
    /// points are priced).
    pub promised: f64,
    /// Contractual scope: no period below what the plan promised.
    pub kept: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrunkEval {
    pub interval: usize,
    /// Erlangs holding lines (waiting or talking).
    pub held: f64,
    pub blocking: f64,
    pub lines_limit: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub intervals: Vec<IntervalEval>,
    pub sla: Vec<SlaEval>,
    pub trunks: Vec<TrunkEval>,
    /// Every contractual SLA kept what the plan promised.
    pub all_kept: bool,
    /// Contractual SLAs below their target (priced ones may be).
    pub below_target: usize,
}

/// SL at a fractional number of agents present: in proportion between the
/// neighbouring whole numbers.
pub fn sl_present(model: &QueueModel, present: f64, within_s: f64) -> (f64, f64) {
    between(present, |n| {
        let m = model.measures(n as u32, within_s);
        (m.service_level, m.asa_s)
    })
}

/// `(SL, ASA)` at a fractional number of agents present, in proportion
/// between the values `at` gives at the neighbouring whole numbers.
fn between(present: f64, at: impl Fn(f64) -> (f64, f64)) -> (f64, f64) {
    let lo = present.max(0.0).floor();
    let f = present.max(0.0) - lo;
    let a = at(lo);
    if f < 1e-12 {
        return a;
    }
    let b = at(lo + 1.0);
    (a.0 * (1.0 - f) + b.0 * f, a.1 * (1.0 - f) + b.1 * f)
}

/// A voice queue's SL and ASA in one interval as functions of the agents
/// present: Erlang C or A at its in-house load, or for a tier the priority
/// queue of its pool's in-house loads.
#[derive(Debug, Clone)]
pub enum SlCurve {
    Queue(QueueModel),
    Tier {
        loads: Vec<f64>,
        aht_s: f64,
        class: usize,
    },
}

impl SlCurve {
    /// The curve of voice queue `q` in `i` under plan `s`; `None` for
    /// deferred work or when no contact stays in-house.
    pub fn of(cx: &Context, s: &Solution, q: usize, i: usize) -> Option<Self> {
        let c = &cx.inst.centre;
        let Channel::Voice { patience_s } = c.queues[q].channel else {
            return None;
        };
        let kept = |p: usize| {
            let need = cx.req.need(p, i);
            need.contacts - s.sent_total(p, i).min(need.contacts)
        };
        if kept(q) <= 1e-9 {
            return None;
        }
        if let Some(pool) = c.pool_of(q) {
            let (loads, aht_s) = tier_loads(&cx.req, pool, i, cx.step_s(), kept);
            let class = pool.iter().position(|&p| p == q).expect("a member");
            return Some(SlCurve::Tier {
                loads,
                aht_s,
                class,
            });
        }
        let need = cx.req.need(q, i);
        let load = kept(q) * need.aht_s / cx.step_s();
        QueueModel::new(load, need.aht_s, patience_s)
            .ok()
            .map(SlCurve::Queue)
    }

    /// `(SL, ASA)` with `present` agents (linear between whole numbers).
    pub fn at(&self, present: f64, within_s: f64) -> (f64, f64) {
        match self {
            SlCurve::Queue(model) => sl_present(model, present, within_s),
            SlCurve::Tier {
                loads,
                aht_s,
                class,
            } => between(present, |n| {
                let m = priority::measures(loads, *aht_s, n, *class, within_s);
                (m.service_level, m.asa_s)
            }),
        }
    }
}

/// Agents (before shrinkage) serving queue `q` in `i`: a tier's, its
/// pool's.
pub fn staffed(cx: &Context, s: &Solution, q: usize, i: usize) -> f64 {
    cx.inst
        .centre
        .pooled_with(q)
        .iter()
        .map(|&p| s.in_house[p][i])
        .sum()
}

/// Agents present (after shrinkage) serving queue `q` in `i`.
pub fn on_duty(cx: &Context, s: &Solution, q: usize, i: usize) -> f64 {
    cx.inst
        .centre
        .pooled_with(q)
        .iter()
        .map(|&p| s.in_house[p][i] * cx.on_duty(p))
        .sum()
}

pub fn evaluate(cx: &Context, s: &Solution) -> Evaluation {
    if cx.req.given {
        return evaluate_given(cx, s);
    }
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let step_s = cx.step_s();
    let mut intervals = Vec::new();
    // Outsourcer SL per (outsourcer, interval, queue within).
    let out_load: Vec<Vec<f64>> = c
        .outsourcers
        .iter()
        .enumerate()
        .map(|(o, out)| {
            (0..n)
                .map(|i| {
                    c.queues
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| matches!(q.channel, Channel::Voice { .. }))
                        .map(|(q, _)| s.sent[o][q][i] * out.aht_s / step_s)
                        .sum()
                })
                .collect()
        })
        .collect();
    for (q, queue) in c.queues.iter().enumerate() {
        match queue.channel {
            Channel::Voice { .. } => {
                for i in (0..n).filter(|&i| cx.req.need(q, i).open) {
                    let need = cx.req.need(q, i);
                    if !need.open || need.contacts <= 0.0 {
                        continue;
                    }
                    let sent = s.sent_total(q, i).min(need.contacts);
                    let own = need.contacts - sent;
                    let staffed = staffed(cx, s, q, i);
                    let present = (on_duty(cx, s, q, i) + cx.calibration(q, i)).max(0.0);
                    let (mut answered, mut asa_w) = (0.0, 0.0);
                    if let Some(curve) = SlCurve::of(cx, s, q, i) {
                        let (sl, asa) = curve.at(present, queue.sla.within_s);
                        answered += own * sl;
                        asa_w += own * asa;
                    }
                    for (o, out) in c.outsourcers.iter().enumerate() {
                        let k = s.sent[o][q][i];
                        if k <= 1e-9 {
                            continue;
                        }
                        let model = QueueModel::new(out_load[o][i], out.aht_s, None)
                            .expect("a non-negative load is a valid model");
                        let m = model.measures(out.seats, queue.sla.within_s);
                        answered += k * m.service_level;
                        asa_w += k * m.asa_s;
                    }
                    intervals.push(IntervalEval {
                        queue: q,
                        interval: i,
                        contacts: need.contacts,
                        sent,
                        staffed,
                        required: need.required.map(|r| f64::from(r) / cx.on_duty(q)),
                        sl: answered / need.contacts,
                        asa_s: Some(asa_w / need.contacts).filter(|a| a.is_finite()),
                    });
                }
            }
            Channel::Deferred => intervals.extend(deferred(cx, s, q)),
        }
    }
    let sla = slas(cx, s, &intervals);
    let trunks = trunks(cx, &intervals);
    Evaluation {
        all_kept: sla.iter().filter(|e| e.contractual).all(|e| e.kept),
        below_target: sla
            .iter()
            .filter(|e| e.contractual && e.achieved + 1e-9 < e.target)
            .count(),
        intervals,
        sla,
        trunks,
    }
}

/// Requirements as given: per queue and interval with a requirement, the
/// share of it the agents present cover (1 when covered); one contractual
/// "SLA" per queue, counted per interval, kept when every interval is
/// covered. No contacts, so no SL, ASA nor trunk load.
fn evaluate_given(cx: &Context, s: &Solution) -> Evaluation {
    let c = &cx.inst.centre;
    let mut intervals = Vec::new();
    let mut sla = Vec::new();
    for q in 0..c.queues.len() {
        let (mut periods, mut met, mut worst) = (0, 0, 1.0_f64);
        for i in 0..cx.intervals() {
            let Some(required) = cx.req.need(q, i).required.filter(|&r| r > 0) else {
                continue;
            };
            let staffed = s.in_house[q][i];
            let present = (staffed * cx.on_duty(q) + cx.calibration(q, i)).max(0.0);
            let covered = (present / f64::from(required)).min(1.0);
            // The solver's feasibility tolerance, not a shortfall.
            let covered = if covered > 1.0 - 1e-6 { 1.0 } else { covered };
            periods += 1;
            met += usize::from(covered >= 1.0);
            worst = worst.min(covered);
            intervals.push(IntervalEval {
                queue: q,
                interval: i,
                contacts: 0.0,
                sent: 0.0,
                staffed,
                required: Some(f64::from(required) / cx.on_duty(q)),
                sl: covered,
                asa_s: None,
            });
        }
        sla.push(SlaEval {
            queue: q,
            scope: SlaScope::Interval,
            contractual: true,
            periods,
            periods_met: met,
            target: 1.0,
            achieved: worst,
            promised: 1.0,
            kept: met == periods,
        });
    }
    Evaluation {
        all_kept: sla.iter().all(|e| e.kept),
        below_target: sla.iter().filter(|e| !e.kept).count(),
        intervals,
        sla,
        trunks: Vec::new(),
    }
}

/// First-in first-out over the week: the work of each interval's contacts
/// is done from the next interval on, oldest first; a contact is on time
/// when its work is finished by the end of its deadline interval.
fn deferred(cx: &Context, s: &Solution, q: usize) -> Vec<IntervalEval> {
    let (on_time, done_late, _) = fifo(cx, s, q);
    deferred_rows(cx, s, q, &on_time, &done_late)
}

/// The queues counted per month (`cx`'s scopes).
pub fn month_queues(cx: &Context) -> Vec<usize> {
    (0..cx.inst.centre.queues.len())
        .filter(|&q| cx.scopes[q] == SlaScope::Month)
        .collect()
}

/// Per queue counted per month and month the week holds: the contacts of
/// the week's part of it and those in time under the evaluation `e` (the
/// plan's projection), as (queue, month, contacts, in time).
pub fn month_parts(cx: &Context, e: &Evaluation) -> Vec<(usize, chrono::NaiveDate, f64, f64)> {
    let queues = month_queues(cx);
    let mut parts: std::collections::BTreeMap<(usize, chrono::NaiveDate), (f64, f64)> =
        Default::default();
    for ev in e.intervals.iter().filter(|ev| queues.contains(&ev.queue)) {
        let month = cx.inst.month_of_day(cx.req.grid[ev.interval].day);
        let t = parts.entry((ev.queue, month)).or_default();
        t.0 += ev.contacts;
        t.1 += ev.contacts * ev.sl;
    }
    parts
        .into_iter()
        .map(|((q, m), (n, w))| (q, m, n, w))
        .collect()
}

/// What the queues counted per month carry into a horizon's next week
/// under the evaluation `e` (see [`crate::model::months_after`]).
pub fn months_after(cx: &Context, e: &Evaluation) -> Vec<crate::model::MonthSoFar> {
    crate::model::months_after(cx.inst, &month_queues(cx), &month_parts(cx, e))
}

/// Deferred work each deferred queue leaves undone at the week's end
/// under plan `s` (first in first out, as [`evaluate`] counts it): what a
/// horizon's next week receives ([`crate::model::Carry::backlog`]).
pub fn left_over(cx: &Context, s: &Solution) -> Vec<crate::model::Backlog> {
    if cx.req.given {
        return Vec::new();
    }
    let c = &cx.inst.centre;
    (0..c.queues.len())
        .filter(|&q| c.queues[q].channel == Channel::Deferred)
        .filter_map(|q| {
            let (_, _, left) = fifo(cx, s, q);
            let contacts: f64 = left.iter().map(|x| x.1).sum();
            let work: f64 = left.iter().map(|x| x.1 * x.2).sum();
            (contacts > 1e-9).then(|| crate::model::Backlog {
                queue: q,
                contacts,
                aht_s: work / contacts,
            })
        })
        .collect()
}

/// (Arrival interval, contacts left, AHT) of the work not done yet.
type Line = std::collections::VecDeque<(usize, f64, f64)>;

/// The week's deferred work of queue `q` done first in first out: per
/// arrival interval the contacts done on time and late, and the line left
/// at the week's end.
fn fifo(cx: &Context, s: &Solution, q: usize) -> (Vec<f64>, Vec<f64>, Line) {
    let n = cx.intervals();
    let step_s = cx.step_s();
    let mut backlog = Line::default();
    let mut on_time = vec![0.0; n];
    let mut done_late = vec![0.0; n];
    for u in 0..n {
        let mut capacity_s = s.in_house[q][u] * cx.on_duty(q) * step_s;
        while capacity_s > 1e-9 {
            let Some(front) = backlog.front_mut() else {
                break;
            };
            let work = front.1 * front.2;
            let take = work.min(capacity_s);
            capacity_s -= take;
            let contacts = take / front.2;
            front.1 -= contacts;
            // Work due after the week is on time whenever it is done
            // within it.
            match cx.tables.deadline[q][front.0] {
                Some(last) if u > last => done_late[front.0] += contacts,
                _ => on_time[front.0] += contacts,
            }
            if front.1 <= 1e-9 {
                backlog.pop_front();
            }
        }
        let need = cx.req.need(q, u);
        let own = need.contacts - s.sent_total(q, u).min(need.contacts);
        if own > 1e-12 {
            backlog.push_back((u, own, need.aht_s));
        }
    }
    (on_time, done_late, backlog)
}

/// The deferred queue's interval rows from its first-in first-out count.
fn deferred_rows(
    cx: &Context,
    s: &Solution,
    q: usize,
    on_time: &[f64],
    done_late: &[f64],
) -> Vec<IntervalEval> {
    let n = cx.intervals();
    (0..n)
        .filter_map(|i| {
            let need = cx.req.need(q, i);
            if need.contacts <= 0.0 {
                return None;
            }
            let sent = s.sent_total(q, i).min(need.contacts);
            // Work whose deadline is after the week and is not done yet is
            // carried over, neither on time nor late.
            let counted = match cx.tables.deadline[q][i] {
                Some(_) => need.contacts,
                None => on_time[i] + done_late[i] + sent,
            };
            let sl = if counted > 0.0 {
                (on_time[i] + sent) / counted
            } else {
                1.0
            };
            Some(IntervalEval {
                queue: q,
                interval: i,
                contacts: counted,
                sent,
                staffed: s.in_house[q][i],
                required: None,
                sl,
                asa_s: None,
            })
        })
        .collect()
}

fn slas(cx: &Context, s: &Solution, intervals: &[IntervalEval]) -> Vec<SlaEval> {
    let c = &cx.inst.centre;
    let mut out = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        let mine: Vec<&IntervalEval> = intervals.iter().filter(|e| e.queue == q).collect();
        // A month only where the contract counts one.
        let month = (cx.scopes[q] == SlaScope::Month).then_some(SlaScope::Month);
        for scope in [SlaScope::Interval, SlaScope::Day, SlaScope::Week]
            .into_iter()
            .chain(month)
        {
            let mut periods: std::collections::BTreeMap<Period, (f64, f64)> = Default::default();
            for e in &mine {
                let t = periods
                    .entry(Period::of_scope(cx, scope, e.interval))
                    .or_default();
                t.0 += e.contacts * e.sl;
                t.1 += e.contacts;
            }
            // A month counts on from its weeks before.
            for (p, t) in periods.iter_mut() {
                if let Some(b) = p.before(cx, q) {
                    t.0 += b.in_time;
                    t.1 += b.contacts;
                }
            }
            let contractual = cx.scopes[q] == scope;
            let target = queue.sla.target;
            let promised_of = |p: &Period| {
                s.promised
                    .iter()
                    .find(|(pq, pp, _)| *pq == q && pp == p)
                    .map_or(target, |x| x.2)
            };
            let mut achieved = 1.0_f64;
            let mut promised = target;
            let mut kept = true;
            let mut met = 0;
            let mut counted = 0;
            for (p, (ok, calls)) in &periods {
                if *calls <= 1e-12 {
                    continue;
                }
                counted += 1;
                let sl = ok / calls;
                achieved = achieved.min(sl);
                let promise = promised_of(p);
                promised = promised.min(promise);
                if sl + 1e-7 < promise {
                    kept = false;
                }
                if sl + 1e-9 >= target {
                    met += 1;
                }
            }
            out.push(SlaEval {
                queue: q,
                scope,
                contractual,
                periods: counted,
                periods_met: met,
                target,
                achieved,
                promised,
                kept: !contractual || kept,
            });
        }
    }
    out
}

/// Voice intervals that sent contacts away inside a contractual period
/// whose exact SL fell below what the plan promised.
pub fn broken(cx: &Context, s: &Solution, e: &Evaluation) -> Vec<(usize, usize)> {
    let c = &cx.inst.centre;
    let mut out = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        if queue.channel == Channel::Deferred {
            continue;
        }
        let mut periods: std::collections::BTreeMap<Period, Vec<&IntervalEval>> =
            Default::default();
        for ev in e.intervals.iter().filter(|ev| ev.queue == q) {
            periods
                .entry(Period::of(cx, q, ev.interval))
                .or_default()
                .push(ev);
        }
        for (p, evs) in periods {
            let (before, before_in_time) = p
                .before(cx, q)
                .map_or((0.0, 0.0), |b| (b.contacts, b.in_time));
            let calls: f64 = evs.iter().map(|ev| ev.contacts).sum::<f64>() + before;
            if calls <= 1e-12 {
                continue;
            }
            let sl =
                (evs.iter().map(|ev| ev.contacts * ev.sl).sum::<f64>() + before_in_time) / calls;
            let promise = s
                .promised
                .iter()
                .find(|(pq, pp, _)| *pq == q && *pp == p)
                .map_or(queue.sla.target, |x| x.2);
            if sl + 1e-7 < promise {
                out.extend(
                    evs.iter()
                        .filter(|ev| ev.sent > 1e-9)
                        .map(|ev| (q, ev.interval)),
                );
            }
        }
    }
    out
}

fn trunks(cx: &Context, intervals: &[IntervalEval]) -> Vec<TrunkEval> {
    let Some(lines) = cx.inst.centre.trunk_lines else {
        return Vec::new();
    };
    let step_s = cx.step_s();
    let mut held = vec![0.0; cx.intervals()];
    for e in intervals {
        let need = cx.req.need(e.queue, e.interval);
        if let Channel::Voice { .. } = cx.inst.centre.queues[e.queue].channel {
            // In-house callers hold a line while waiting (the whole interval
            // at most: an unstable queue has no finite ASA) and talking;
            // calls sent away are routed in the network.
            let own = e.contacts - e.sent;
            let wait = e.asa_s.unwrap_or(step_s).min(step_s);
            held[e.interval] += own / step_s * (wait + need.aht_s);
        }
    }
    held.into_iter()
        .enumerate()
        .map(|(i, h)| {
            let blocking = erlang_b::blocking(h, lines);
            TrunkEval {
                interval: i,
                held: h,
                blocking,
                lines_limit: blocking > BLOCKING_FLAG,
            }
        })
        .collect()
}

/// `Mon 08:00` for interval `i`.
pub fn when(cx: &Context, i: usize) -> String {
    let g = &cx.req.grid[i];
    format!(
        "{} {:02}:{:02}",
        DAYS[g.day],
        g.start_min / 60,
        g.start_min % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The service pass counts a contact sent away as its own load in
    /// agents. For Erlang C with whole agents that is safe: `n > A − x` at
    /// load `A − x` never does worse than `n + x` at `A`. With patience
    /// (Erlang A) or fractional agents it can do slightly worse: the plan's
    /// repair loop then tightens the relief where the exact evaluation
    /// finds a promise broken.
    #[test]
    fn a_contact_sent_away_is_worth_its_load_in_agents_for_erlang_c() {
        let mut erlang_a_breaks = 0;
        for &aht in &[240.0, 600.0] {
            for &patience in &[None, Some(120.0)] {
                for &load in &[2.0, 7.5, 24.0, 80.0, 250.0] {
                    let full = QueueModel::new(load, aht, patience).unwrap();
                    for x in 1..(load.floor() as u32) {
                        let less = QueueModel::new(load - f64::from(x), aht, patience).unwrap();
                        // In-house stable: more agents than its load.
                        for n in ((load - f64::from(x)).floor() as u32 + 1)..(load as u32 + 30) {
                            let relieved = less.measures(n, 20.0).service_level;
                            let added = full.measures(n + x, 20.0).service_level;
                            if patience.is_none() {
                                assert!(
                                    relieved + 1e-12 >= added,
                                    "aht {aht} load {load} x {x} n {n}: {relieved} < {added}"
                                );
                            } else if relieved + 1e-12 < added {
                                erlang_a_breaks += 1;
                            }
                        }
                    }
                }
            }
        }
        // With patience it does break somewhere: the loop is needed.
        assert!(erlang_a_breaks > 0);
    }
}
