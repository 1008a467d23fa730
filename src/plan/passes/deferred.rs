//! Pass 6 — deferred work (e-mail, tickets). `done[q][i]`: agent-intervals
//! of work done by the end of interval `i`; `arrived[q][i]`: work arrived
//! in-house by then (contacts × AHT, less what went to an outsourcer).
//! `deadline` rows: by the last interval that meets the deadline of work
//! arriving in `i`, the work done covers the target share of all arrived
//! up to `i`; `fifo` rows: no work is done before it arrives (work arriving
//! in an interval is done from the next one). Work whose deadline falls
//! after the week is carried over.

use super::coverage::present;
use super::outsourcing::sent;
use super::{Slack, Vars, SLACK_PRICE};
use crate::model::Channel;
use crate::plan::mip::{sum, CostLine, Mip};
use crate::plan::Context;

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
            let per_contact = need.aht_s / cx.step_s();
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
        for (i, &came_by) in arrived.iter().enumerate() {
            let need = cx.req.need(q, i);
            let Some(last) = cx.planned_deadline(q, i) else {
                continue;
            };
            if need.contacts <= 0.0 {
                continue;
            }
            let name = format!("deadline[{}][{}]", queue.id, super::at(cx, i));
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
    }
}
