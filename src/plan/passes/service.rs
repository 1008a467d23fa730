//! Pass 5 — voice service levels.
//!
//! Per interval (`cov` rows): agents present after shrinkage, plus the
//! relief of contacts sent away, at least the agents the SLA needs there.
//! A contact sent away counts as its own load (AHT / interval) in agents,
//! times the interval's relief factor (1 at first): for Erlang C with whole
//! agents, `n` agents at load `A − x` never do worse than `n + x` at `A`;
//! where patience or fractional agents make the exact evaluation find a
//! promise broken, [`crate::plan::plan`] halves the factor there and
//! solves again.
//!
//! Over a day or the week, or when missed points are priced: the credited
//! SL `sl[q][i]` of each interval is at most every linear piece of its SL
//! table at the agents present (`slp` rows) and zero unless `on[q][i]` (the
//! pieces run below zero when few agents are there); `sla` rows count the
//! period's calls, `Σ calls × SL ≥ target × Σ calls`, with calls sent away
//! answered at their target at least and taken off in-house calls without
//! credit (`− (1 − target) × sent`), which only errs low.

use super::coverage::present;
use super::outsourcing::sent;
use super::{Period, Slack, Vars, DAYS, SLACK_PRICE};
use crate::model::{Channel, SlaScope};
use crate::plan::mip::{sum, Col, CostLine, Mip};
use crate::plan::tables::by_table;
use crate::plan::Context;

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars, elastic: bool) {
    let c = &cx.inst.centre;
    for (q, queue) in c.queues.iter().enumerate() {
        if !matches!(queue.channel, Channel::Voice { .. }) {
            continue;
        }
        if by_table(queue, cx.scopes[q]) {
            by_tables(cx, m, v, q, elastic);
            continue;
        }
        for i in 0..cx.intervals() {
            let need = cx.req.need(q, i);
            let required = f64::from(need.required.unwrap_or(0));
            if !need.open || need.contacts <= 0.0 || required <= 0.0 {
                continue;
            }
            let mut row = agents_with_relief(cx, v, q, i);
            let name = format!("cov[{}][{}]", queue.id, super::at(cx, i));
            if elastic {
                row.push(super::slack(
                    m,
                    v,
                    &name,
                    Slack::Coverage {
                        queue: q,
                        interval: i,
                    },
                    SLACK_PRICE,
                ));
            }
            m.row(name, sum(row).geq(required));
        }
    }
}

/// Agents present on `q` in `i` plus the relief of contacts sent away
/// (each worth its load in agents, scaled by the interval's relief factor).
fn agents_with_relief(cx: &Context, v: &Vars, q: usize, i: usize) -> Vec<(f64, Col)> {
    let need = cx.req.need(q, i);
    let per_contact = need.aht_s / cx.step_s() * cx.relief[q * cx.intervals() + i];
    let mut terms = present(cx, v, q, i);
    terms.extend(sent(v, q, i).into_iter().map(|(_, col)| (per_contact, col)));
    terms
}

fn by_tables(cx: &Context, m: &mut Mip, v: &mut Vars, q: usize, elastic: bool) {
    let queue = &cx.inst.centre.queues[q];
    let target = queue.sla.target;
    let mut periods: std::collections::BTreeMap<Period, Vec<usize>> = Default::default();
    for i in 0..cx.intervals() {
        let Some(table) = &cx.tables.voice[q][i] else {
            continue;
        };
        let when = super::at(cx, i);
        let pieces = table.pieces();
        let floor = pieces
            .iter()
            .map(|&(n_j, sl_j, d_j)| sl_j - d_j * n_j)
            .fold(0.0_f64, f64::min);
        let agents = agents_with_relief(cx, v, q, i);
        // Where few agents are there the pieces run below zero. A hard SLA
        // lets the credit follow them (pessimistic, no binary); a priced
        // one must not pay for points below zero, so its credit is zero
        // unless `on[q][i]`, which relaxes the pieces by M (1 − on).
        let priced = queue.penalty_per_point.is_some();
        let lower = if priced { 0.0 } else { floor };
        let s = m.col(
            format!("sl[{}][{when}]", queue.id),
            lower,
            Some(1.0),
            false,
            0.0,
            CostLine::InHouse,
        );
        v.credit.insert((q, i), s);
        let on = (priced && floor < 0.0).then(|| {
            let on = m.col(
                format!("on[{}][{when}]", queue.id),
                0.0,
                Some(1.0),
                true,
                0.0,
                CostLine::InHouse,
            );
            m.row(
                format!("slon[{}][{when}]", queue.id),
                sum([(1.0, s), (-1.0, on)]).leq(0.0),
            );
            on
        });
        for (j, &(n_j, sl_j, d_j)) in pieces.iter().enumerate() {
            // s ≤ sl_j + d_j (n − n_j) [+ M (1 − on)]
            let big = if on.is_some() {
                (d_j * n_j - sl_j).max(0.0)
            } else {
                0.0
            };
            let mut row = vec![(1.0, s)];
            row.extend(agents.iter().map(|&(k, col)| (-d_j * k, col)));
            if let (Some(on), true) = (on, big > 0.0) {
                row.push((big, on));
            }
            m.row(
                format!("slp[{}][{when}][{j}]", queue.id),
                sum(row).leq(sl_j - d_j * n_j + big),
            );
        }
        if let Some(occ) = queue.max_occupancy {
            let need = cx.req.need(q, i);
            let per_contact = need.aht_s / cx.step_s() / occ;
            let mut row = present(cx, v, q, i);
            row.extend(sent(v, q, i).into_iter().map(|(_, col)| (per_contact, col)));
            let name = format!("occ[{}][{when}]", queue.id);
            if elastic {
                row.push(super::slack(
                    m,
                    v,
                    &name,
                    Slack::Coverage {
                        queue: q,
                        interval: i,
                    },
                    SLACK_PRICE,
                ));
            }
            m.row(name, sum(row).geq(need.load / occ));
        }
        let period = match cx.scopes[q] {
            SlaScope::Interval => Period::Interval(i),
            SlaScope::Day => Period::Day(cx.req.grid[i].day),
            SlaScope::Week => Period::Week,
        };
        periods.entry(period).or_default().push(i);
    }
    for (period, intervals) in periods {
        let calls: f64 = intervals.iter().map(|&i| cx.req.need(q, i).contacts).sum();
        let label = match period {
            Period::Interval(i) => super::at(cx, i),
            Period::Day(d) => DAYS[d].to_string(),
            Period::Week => "week".to_string(),
        };
        let mut row = Vec::new();
        for &i in &intervals {
            row.push((cx.req.need(q, i).contacts, v.credit[&(q, i)]));
            row.extend(
                sent(v, q, i)
                    .into_iter()
                    .map(|(_, col)| (-(1.0 - target), col)),
            );
        }
        let name = format!("sla[{}][{label}]", queue.id);
        if let Some(price) = queue.penalty_per_point {
            let s = m.col(
                format!("short_{name}"),
                0.0,
                None,
                false,
                price * 100.0,
                CostLine::Penalties,
            );
            row.push((calls, s));
            v.short.push((q, period.clone(), s));
        } else if elastic {
            let what = Slack::Sla {
                queue: q,
                period: period.clone(),
            };
            let (_, s) = super::slack(m, v, &name, what, SLACK_PRICE * 100.0);
            row.push((calls, s));
        }
        m.row(name, sum(row).geq(target * calls));
    }
}
