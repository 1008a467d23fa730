//! Pass 6 — deferred work (e-mail, tickets). `done[q][i]`: agent-intervals
//! of work done by the end of interval `i`; `arrived[q][i]`: work arrived
//! in-house by then (contacts × AHT, less what went to an outsourcer; times
//! one plus the verification's uplift, [`Context::work_uplift`]).
//! `deadline` rows, for a 100% target: by the last interval that meets
//! the deadline of work arriving in `i`, the work done covers all arrived
//! up to `i`. Below 100%, `late[q][i] ≥ arrived_i − done_last(i)` is the
//! work still undone at that deadline — at least the late work of the
//! contacts arriving in `i`, first in first out — and one `deadline` row
//! per SLA period (interval, day or week of arrival) keeps the late work
//! within the share the target leaves of the work arriving then with a
//! deadline in the week: never optimistic (`docs/model.md` §6). `fifo` rows: no work is done before it arrives
//! (work arriving in an interval is done from the next one). Work whose
//! deadline falls after the week is carried over.

use super::coverage::present;
use super::outsourcing::sent;
use super::{Period, Slack, Vars, SLACK_PRICE};
use crate::model::Channel;
use crate::plan::mip::{sum, Col, CostLine, Mip};
use crate::plan::Context;

/// An SLA period's late work (negated, for its row), its work due with a
/// deadline in the week, its first interval (where the explanation
/// points), and its contacts due.
type Room = (Vec<(f64, Col)>, f64, usize, f64);

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars, elastic: bool) {
    if cx.req.given {
        // Requirements as given: the service pass covers every queue.
        return;
    }
    let c = &cx.inst.centre;
    for (q, queue) in c.queues.iter().enumerate() {
        if queue.channel != Channel::Deferred {
            continue;
        }
        let n = cx.intervals();
        let target = queue.sla.target;
        let mut done = Vec::with_capacity(n);
        let mut arrived = Vec::with_capacity(n);
        for i in 0..n {
            let when = super::at(cx, i);
            let need = cx.req.need(q, i);
            // In-house work as planned: the contacts' handling time and the
            // verification's uplift on it (outsourced contacts are handed
            // over whole).
            let per_contact = need.aht_s * cx.work_uplift(q) / cx.step_s();
            let d = m.col(
                format!("done[{}][{when}]", queue.id),
                0.0,
                None,
                false,
                0.0,
                CostLine::InHouse,
            );
            let a = m.col(
                format!("arrived[{}][{when}]", queue.id),
                0.0,
                None,
                false,
                0.0,
                CostLine::InHouse,
            );
            let mut work = vec![(1.0, d)];
            work.extend(present(cx, v, q, i).into_iter().map(|(k, col)| (-k, col)));
            let mut came = vec![(1.0, a)];
            came.extend(sent(v, q, i).into_iter().map(|(_, col)| (per_contact, col)));
            if i > 0 {
                work.push((-1.0, done[i - 1]));
                came.push((-1.0, arrived[i - 1]));
            }
            m.row(format!("work[{}][{when}]", queue.id), sum(work).eq(0.0));
            m.row(
                format!("came[{}][{when}]", queue.id),
                sum(came).eq(need.contacts * per_contact),
            );
            let before = if i > 0 {
                vec![(-1.0, arrived[i - 1])]
            } else {
                Vec::new()
            };
            m.row(
                format!("fifo[{}][{when}]", queue.id),
                sum([(1.0, d)].into_iter().chain(before)).leq(0.0),
            );
            done.push(d);
            arrived.push(a);
        }
        // Below 100%: the late work of each interval, and each SLA
        // period's room (late work, work due, first interval).
        let shared = target < 1.0 - 1e-12;
        let mut periods: std::collections::BTreeMap<Period, Room> = Default::default();
        for (i, &came_by) in arrived.iter().enumerate() {
            let need = cx.req.need(q, i);
            let Some(last) = cx.planned_deadline(q, i) else {
                continue;
            };
            if need.contacts <= 0.0 {
                continue;
            }
            let when = super::at(cx, i);
            if shared {
                let late = m.col(
                    format!("late[{}][{when}]", queue.id),
                    0.0,
                    None,
                    false,
                    0.0,
                    CostLine::InHouse,
                );
                m.row(
                    format!("gap[{}][{when}]", queue.id),
                    sum([(1.0, late), (-1.0, came_by), (1.0, done[last])]).geq(0.0),
                );
                let p = periods
                    .entry(Period::of(cx, q, i))
                    .or_insert((Vec::new(), 0.0, i, 0.0));
                p.0.push((-1.0, late));
                p.1 += need.contacts * need.aht_s * cx.work_uplift(q) / cx.step_s();
                p.3 += need.contacts;
                continue;
            }
            let name = format!("deadline[{}][{when}]", queue.id);
            let mut row = vec![(1.0, done[last]), (-target, came_by)];
            if elastic {
                row.push(super::slack(
                    m,
                    v,
                    &name,
                    Slack::Deadline {
                        queue: q,
                        interval: i,
                    },
                    SLACK_PRICE,
                ));
            }
            m.row(name, sum(row).geq(0.0));
        }
        for (period, (late_work, due_work, first, due)) in periods {
            // `+`: the period's row, beside the interval's own in the LP.
            let name = format!("deadline[{}][{}+]", queue.id, period.label(cx));
            let mut row = late_work;
            if elastic {
                row.push(super::slack(
                    m,
                    v,
                    &name,
                    Slack::Deadline {
                        queue: q,
                        interval: first,
                    },
                    SLACK_PRICE,
                ));
            }
            // A month counts on from its weeks before: their contacts due
            // widen the room for late work, their late ones use it up (at
            // this period's work per contact).
            let per_contact = if due > 0.0 { due_work / due } else { 0.0 };
            let (due_before, late_before) = period
                .before(cx, q)
                .map_or((0.0, 0.0), |b| (b.contacts, b.contacts - b.in_time));
            let room = (1.0 - target) * cx.late_share[q] * (due_work + due_before * per_contact);
            m.row(name, sum(row).geq(late_before * per_contact - room));
        }
    }
}
