//! Pass 4 — outsourcing: `out[outsourcer][queue][interval]`, contacts sent
//! to an outsourcer in its hours, priced per handled contact (or through
//! `seats[outsourcer][interval]` booked per seat-hour). `load` rows keep
//! the voice load sent within what its seats carry at the strictest SLA
//! it serves (so the calls it takes meet their target), `seats` rows keep
//! all its work within its seats; a weekly minimum makes it all or
//! nothing through `use[outsourcer]`.

use std::collections::BTreeMap;

use super::Vars;
use crate::model::{Channel, Pricing};
use crate::plan::mip::{sum, Col, CostLine, Mip};
use crate::plan::Context;

type Terms = Vec<(f64, Col)>;

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars) {
    let c = &cx.inst.centre;
    let step_s = cx.step_s();
    let step_h = step_s / 3600.0;
    let mut per_contact: BTreeMap<(usize, usize), Vec<(f64, Col)>> = BTreeMap::new();
    for (o, out) in c.outsourcers.iter().enumerate() {
        v.used.push(None);
        if !out.available {
            continue;
        }
        let price = match out.pricing {
            Pricing::PerContact(p) => p,
            Pricing::PerSeatHour(_) => 0.0,
        };
        // Per interval: (voice terms, all terms) in Erlangs.
        let mut load: BTreeMap<usize, (Terms, Terms)> = BTreeMap::new();
        let mut all = Vec::new();
        let mut total_contacts = 0.0;
        for &q in &out.queues {
            for (i, g) in cx.req.grid.iter().enumerate() {
                let need = cx.req.need(q, i);
                if !need.open
                    || need.contacts <= 0.0
                    || !out.hours.overlaps(g.day, g.start_min, c.interval_min)
                {
                    continue;
                }
                let col = m.col(
                    format!("out[{}][{}][{}]", out.id, c.queues[q].id, super::at(cx, i)),
                    0.0,
                    Some(need.contacts),
                    false,
                    price,
                    CostLine::Outsourced,
                );
                v.sent.insert((q, i, o), col);
                per_contact.entry((q, i)).or_default().push((1.0, col));
                let erlangs = out.aht_s / step_s;
                let entry = load.entry(i).or_default();
                if matches!(c.queues[q].channel, Channel::Voice { .. }) {
                    entry.0.push((erlangs, col));
                }
                entry.1.push((erlangs, col));
                all.push((1.0, col));
                total_contacts += need.contacts;
            }
        }
        let max_load = cx.tables.outsourcer_max_load[o];
        for (i, (voice, work)) in load {
            let when = super::at(cx, i);
            if !voice.is_empty() {
                m.row(
                    format!("load[{}][{when}]", out.id),
                    sum(voice).leq(max_load),
                );
            }
            let seats = f64::from(out.seats);
            if let Pricing::PerSeatHour(p) = out.pricing {
                // Seats booked in proportion to the work, at the occupancy
                // the seats have when fully loaded at the SLA.
                let per_erlang = if max_load > 0.0 {
                    seats / max_load
                } else {
                    1.0
                };
                let b = m.col(
                    format!("seats[{}][{when}]", out.id),
                    0.0,
                    Some(seats),
                    false,
                    p * step_h,
                    CostLine::Outsourced,
                );
                v.booked.insert((o, i), b);
                let mut row = sum(work.iter().map(|&(k, col)| (k * per_erlang, col)));
                row.add_mul(-1.0, b.var);
                m.row(format!("book[{}][{when}]", out.id), row.leq(0.0));
            }
            m.row(format!("seats[{}][{when}]", out.id), sum(work).leq(seats));
        }
        if out.min_weekly_contacts > 0.0 && !all.is_empty() {
            let u = m.col(
                format!("use[{}]", out.id),
                0.0,
                Some(1.0),
                true,
                0.0,
                CostLine::Outsourced,
            );
            v.used[o] = Some(u);
            m.switch(u);
            let mut at_least = sum(all.iter().copied());
            at_least.add_mul(-out.min_weekly_contacts, u.var);
            m.row(format!("commit[{}]", out.id), at_least.geq(0.0));
            let mut only_if = sum(all);
            only_if.add_mul(-total_contacts, u.var);
            m.row(format!("only_if_used[{}]", out.id), only_if.leq(0.0));
        }
    }
    for ((q, i), terms) in per_contact {
        if terms.len() > 1 {
            m.row(
                format!("sent[{}][{}]", c.queues[q].id, super::at(cx, i)),
                sum(terms).leq(cx.req.need(q, i).contacts),
            );
        }
    }
}

/// Contacts of queue `q` sent away in interval `i`, as terms.
pub fn sent(v: &Vars, q: usize, i: usize) -> Vec<(f64, Col)> {
    v.sent
        .range((q, i, 0)..=(q, i, usize::MAX))
        .map(|(_, &col)| (1.0, col))
        .collect()
}
