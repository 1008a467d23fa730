//! Pass 3 — coverage: `a[group][queue][interval]`, agent-equivalents of a
//! group working a queue in an interval (continuous: an agent may split an
//! interval between queues). `cap` rows: a group's allocation in an
//! interval is at most its agents on shift there, less those on break.

use std::collections::BTreeMap;

use super::Vars;
use crate::model::Channel;
use crate::plan::mip::{sum, Col, CostLine, Mip};
use crate::plan::Context;

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars) {
    let c = &cx.inst.centre;
    let mut cap: BTreeMap<(usize, usize), Vec<(f64, Col)>> = BTreeMap::new();
    for shift in &v.shifts {
        for &(i, share) in &cx.options[shift.option].cover {
            cap.entry((shift.group, i))
                .or_default()
                .push((share, shift.col));
        }
    }
    for b in &v.breaks {
        let shift = &v.shifts[b.shift];
        let pos = &cx.options[shift.option].breaks[b.k][b.pos];
        for &(i, share) in &pos.cover {
            cap.entry((shift.group, i))
                .or_default()
                .push((-share, b.col));
        }
    }
    for ((g, i), terms) in cap {
        let group = &cx.groups[g];
        let mut used = Vec::new();
        let primary_only = cx.primary_only(group.skill_group);
        for &q in &c.skill_groups[group.skill_group].queues {
            let need = cx.req.need(q, i);
            let secondary = c.rank(group.skill_group, q) != Some(0);
            let wanted = match c.queues[q].channel {
                // A group routed to its first queue (or pool) only takes
                // no other queue's work.
                _ if primary_only && secondary => false,
                // Requirements as given: wherever one is stated.
                _ if cx.req.given => need.required.is_some(),
                Channel::Voice { .. } => need.open && need.contacts > 0.0,
                Channel::Deferred => need.open,
            };
            if !wanted {
                continue;
            }
            let col = m.col(
                format!("a[{}][{}][{}]", group.id, c.queues[q].id, super::at(cx, i)),
                0.0,
                None,
                false,
                0.0,
                CostLine::InHouse,
            );
            v.alloc.insert((q, i, g), col);
            used.push((1.0, col));
        }
        if used.is_empty() {
            continue;
        }
        let mut row = sum(used);
        for (share, col) in terms {
            row.add_mul(-share, col.var);
        }
        m.row(
            format!("cap[{}][{}]", group.id, super::at(cx, i)),
            row.leq(0.0),
        );
    }
}

/// Agents present on queue `q` in interval `i` after shrinkage, as terms:
/// for a tier, its pool's agents (the ACD pools them; how the plan splits
/// them between tiers is no decision).
pub fn present(cx: &Context, v: &Vars, q: usize, i: usize) -> Vec<(f64, Col)> {
    let mut terms = Vec::new();
    for p in cx.inst.centre.pooled_with(q) {
        let keep = cx.on_duty(p);
        terms.extend(
            v.alloc
                .range((p, i, 0)..=(p, i, usize::MAX))
                .map(|(_, &col)| (keep, col)),
        );
    }
    terms
}

/// The most agents of each group on shift in each interval, key
/// `(group, interval)`: every shift option covering the interval at its
/// upper bound, and no more than the heads of the days those shifts start
/// on. Bounds only (breaks not taken off): what tightens a priced SLA's
/// credit where a group cannot reach the staffing its table rewards.
pub fn most_on_shift(cx: &Context, m: &Mip, v: &Vars) -> BTreeMap<(usize, usize), f64> {
    let mut by_shifts: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut days: BTreeMap<(usize, usize), std::collections::BTreeSet<usize>> = BTreeMap::new();
    for shift in &v.shifts {
        let option = &cx.options[shift.option];
        let upper = m.columns[shift.col.index].upper.unwrap_or(f64::INFINITY);
        for &(i, share) in &option.cover {
            *by_shifts.entry((shift.group, i)).or_default() += share * upper;
            days.entry((shift.group, i)).or_default().insert(option.day);
        }
    }
    by_shifts
        .into_iter()
        .map(|((g, i), most)| {
            let heads: u32 = days[&(g, i)]
                .iter()
                .map(|&d| super::shifts::heads(cx, g, d))
                .sum();
            ((g, i), most.min(f64::from(heads)))
        })
        .collect()
}
