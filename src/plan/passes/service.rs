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

use std::collections::BTreeMap;

use super::coverage::{most_on_shift, present};
use super::outsourcing::sent;
use super::{Period, Slack, Vars, SLACK_PRICE};
use crate::model::Channel;
use crate::plan::mip::{sum, Col, CostLine, Mip};
use crate::plan::tables::{by_table, SlTable};
use crate::plan::Context;

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars, elastic: bool) {
    let c = &cx.inst.centre;
    // Each allocation column's bound, its group's most on shift: for the
    // priced credits (the same for every queue, so found once).
    let priced = c.queues.iter().any(|q| q.penalty_per_point.is_some());
    let alloc_most: BTreeMap<usize, f64> = if priced && !cx.opts.exact_sl {
        let most = most_on_shift(cx, m, v);
        v.alloc
            .iter()
            .filter_map(|(&(_, i, g), col)| Some((col.index, *most.get(&(g, i))?)))
            .collect()
    } else {
        BTreeMap::new()
    };
    for (q, queue) in c.queues.iter().enumerate() {
        // Requirements as given cover every queue, deferred too, per
        // interval: no contacts, no SL tables.
        let given = cx.req.given;
        if !given && !matches!(queue.channel, Channel::Voice { .. }) {
            continue;
        }
        if !given && by_table(queue, cx.scopes[q]) {
            by_tables(cx, m, v, (q, &alloc_most), elastic);
            continue;
        }
        for i in 0..cx.intervals() {
            let need = cx.req.need(q, i);
            let required = f64::from(need.required.unwrap_or(0));
            if required <= 0.0 || (!given && (!need.open || need.contacts <= 0.0)) {
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
            m.row(name, sum(row).geq(required - cx.calibration(q, i)));
        }
    }
}

/// Agents present on `q` in `i` plus the relief of contacts sent away
/// (each worth its load in agents, scaled by the interval's relief factor);
/// for a tier, the contacts of every tier of its pool.
fn agents_with_relief(cx: &Context, v: &Vars, q: usize, i: usize) -> Vec<(f64, Col)> {
    let relief = cx.relief[q * cx.intervals() + i];
    let mut terms = present(cx, v, q, i);
    for p in cx.inst.centre.pooled_with(q) {
        let per_contact = cx.req.need(p, i).aht_s / cx.step_s() * relief;
        terms.extend(sent(v, p, i).into_iter().map(|(_, col)| (per_contact, col)));
    }
    terms
}

/// A priced SLA's credit: the most agents-with-relief its interval can
/// have (every group at its most on shift, every contact sent away), if
/// bounded.
#[derive(Debug, Clone, Copy)]
struct Priced {
    most: Option<f64>,
}

/// The most `terms` (agents with relief) can add up to: an allocation at
/// its group's most on shift (`alloc_most`, by column number), any other
/// column at its upper bound; `None` if one is unbounded.
fn most_of(m: &Mip, terms: &[(f64, Col)], alloc_most: &BTreeMap<usize, f64>) -> Option<f64> {
    terms
        .iter()
        .map(|&(k, col)| {
            alloc_most
                .get(&col.index)
                .copied()
                .or(m.columns[col.index].upper)
                .map(|u| k * u)
        })
        .sum()
}

/// The credited SL of one interval from the conservative pieces: chords
/// above the steepest segment, that segment extended below. Where few
/// agents are there the pieces run below zero. A hard SLA lets the credit
/// follow them (pessimistic, no binary); a priced one must not pay for
/// points below zero, so its credit is zero unless `on[q][i]`, which
/// relaxes the pieces by M (1 − on).
fn credit_conservative(
    m: &mut Mip,
    (queue, when): (&str, &str),
    table: &SlTable,
    (agents, gained): (&[(f64, Col)], f64),
    priced: Option<Priced>,
) -> Col {
    // The table at `present + gained`: each piece moves `gained` agents
    // to the left.
    let pieces: Vec<(f64, f64, f64)> = table
        .pieces()
        .into_iter()
        .map(|(n_j, sl_j, d_j)| (n_j - gained, sl_j, d_j))
        .collect();
    let floor = pieces
        .iter()
        .map(|&(n_j, sl_j, d_j)| sl_j - d_j * n_j)
        .fold(0.0_f64, f64::min);
    let lower = if priced.is_some() { 0.0 } else { floor };
    let s = m.col(
        format!("sl[{queue}][{when}]"),
        lower,
        Some(1.0),
        false,
        0.0,
        CostLine::InHouse,
    );
    // The credit the pieces give with `x` agents (capped at 1).
    let credit = |x: f64| {
        pieces
            .iter()
            .map(|&(n_j, sl_j, d_j)| sl_j + d_j * (x - n_j))
            .fold(1.0_f64, f64::min)
    };
    // With at most `u` agents (`most`) short of where the pieces flatten,
    // the credit is at most `credit(u)`; and where the ratio credit/agents
    // still grows at `u` (the interval cannot reach the staffing its table
    // rewards best), at `x ≤ u` agents it is zero below the pieces' root
    // and at most `(credit(u)/u) x` above it (the pieces are concave: their
    // slope left of `u` is at least the ratio there). The big-M pieces
    // alone let a fractional `on` earn the steepest ray's credit, at more
    // agents than the interval can have.
    let (cap, ray) = match priced.and_then(|p| p.most) {
        Some(u) if u.is_finite() && u > 0.0 && floor < 0.0 => {
            let top = credit(u).clamp(0.0, 1.0);
            let eps = 1e-6 * u.max(1.0);
            let slope_left = (credit(u) - credit(u - eps)) / eps;
            let rising = top < 1.0 && slope_left > 1e-9;
            (
                if rising { top } else { 1.0 },
                (rising && top > 0.0 && slope_left >= top / u).then_some(top / u),
            )
        }
        _ => (1.0, None),
    };
    let on = (priced.is_some() && floor < 0.0).then(|| {
        let on = m.col(
            format!("on[{queue}][{when}]"),
            0.0,
            Some(1.0),
            true,
            0.0,
            CostLine::InHouse,
        );
        m.row(
            format!("slon[{queue}][{when}]"),
            sum([(1.0, s), (-cap, on)]).leq(0.0),
        );
        on
    });
    if let Some(ratio) = ray {
        let mut row = vec![(1.0, s)];
        row.extend(agents.iter().map(|&(k, col)| (-k * ratio, col)));
        m.row(format!("slray[{queue}][{when}]"), sum(row).leq(0.0));
    }
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
            format!("slp[{queue}][{when}][{j}]"),
            sum(row).leq(sl_j - d_j * n_j + big),
        );
    }
    s
}

/// SL below which a table point earns no credit in the exact mode (the
/// flat start of the table, where no binary is spent).
const NO_CREDIT: f64 = 1e-4;

/// In the exact mode the table is capped where a further agent adds less
/// than this.
const EXACT_FLAT: f64 = 1e-6;

/// The credited SL of one interval, exactly the table (linear between whole
/// agents): incremental binaries below the steepest segment, where SL is
/// not concave in the agents, and one piece per agent above it.
///
/// `fill` (`r`) takes the first `z` agents that earn nothing; `seg[j]`
/// (`δ_j`) fills segment `j` of the convex stretch, in order (binary
/// `full[j]`: `δ_j ≥ full_j ≥ δ_{j+1}`); `above` (`h`) the agents past the
/// steepest segment's start `p`, allowed once the stretch is full.
/// `r + Σ δ + h ≤ n` and `s ≤ Σ d_j δ_j + min_k (f(k) − f(p) + d_k (p + h − k))`.
fn credit_exact(
    m: &mut Mip,
    (queue, when): (&str, &str),
    table: &SlTable,
    (agents, gained): (&[(f64, Col)], f64),
) -> Col {
    let s = m.col(
        format!("sl[{queue}][{when}]"),
        0.0,
        Some(1.0),
        false,
        0.0,
        CostLine::InHouse,
    );
    let Some(p) = table.steepest() else {
        return s;
    };
    let f = &table.sl;
    let z = (0..=p)
        .take_while(|&n| f[n] < NO_CREDIT)
        .count()
        .saturating_sub(1)
        .min(p);
    let top = f.len() as f64;
    let integer =
        |m: &mut Mip, name: String| m.col(name, 0.0, Some(1.0), true, 0.0, CostLine::InHouse);
    let mut used = Vec::new();
    let mut gate: Option<Col> = None;
    if z > 0 {
        let r = m.col(
            format!("fill[{queue}][{when}]"),
            0.0,
            Some(z as f64),
            false,
            0.0,
            CostLine::InHouse,
        );
        let w = integer(m, format!("full[{queue}][{when}][0]"));
        m.row(
            format!("fillord[{queue}][{when}]"),
            sum([(1.0, r), (-(z as f64), w)]).geq(0.0),
        );
        used.push((1.0, r));
        gate = Some(w);
    }
    let mut credit = vec![(1.0, s)];
    for j in z..p {
        let d = m.col(
            format!("seg[{queue}][{when}][{j}]"),
            0.0,
            Some(1.0),
            false,
            0.0,
            CostLine::InHouse,
        );
        if let Some(g) = gate {
            m.row(
                format!("segord[{queue}][{when}][{j}]"),
                sum([(1.0, d), (-1.0, g)]).leq(0.0),
            );
        }
        let w = integer(m, format!("full[{queue}][{when}][{}]", j + 1));
        m.row(
            format!("segfull[{queue}][{when}][{j}]"),
            sum([(1.0, d), (-1.0, w)]).geq(0.0),
        );
        used.push((1.0, d));
        credit.push((-(f[j + 1] - f[j]), d));
        gate = Some(w);
    }
    let h = m.col(
        format!("above[{queue}][{when}]"),
        0.0,
        Some(top),
        false,
        0.0,
        CostLine::InHouse,
    );
    if let Some(g) = gate {
        m.row(
            format!("aboveord[{queue}][{when}]"),
            sum([(1.0, h), (-top, g)]).leq(0.0),
        );
    }
    used.push((1.0, h));
    let mut cap = used;
    cap.extend(agents.iter().map(|&(k, col)| (-k, col)));
    // The credit's agents are those present plus those pooling gains.
    m.row(format!("slcap[{queue}][{when}]"), sum(cap).leq(gained));
    for (k, &(n_k, sl_k, d_k)) in table.pieces_with(usize::MAX, EXACT_FLAT).iter().enumerate() {
        // s − Σ d_j δ_j − d_k h ≤ f(k) − f(p) − d_k (k − p)
        let mut row = credit.clone();
        row.push((-d_k, h));
        m.row(
            format!("slx[{queue}][{when}][{k}]"),
            sum(row).leq(sl_k - f[p] - d_k * (n_k - p as f64)),
        );
    }
    s
}

fn by_tables(
    cx: &Context,
    m: &mut Mip,
    v: &mut Vars,
    (q, alloc_most): (usize, &BTreeMap<usize, f64>),
    elastic: bool,
) {
    let queue = &cx.inst.centre.queues[q];
    let target = queue.sla.target;
    let mut periods: std::collections::BTreeMap<Period, Vec<usize>> = Default::default();
    for i in 0..cx.intervals() {
        let Some(table) = &cx.tables.voice[q][i] else {
            continue;
        };
        let when = super::at(cx, i);
        let agents = agents_with_relief(cx, v, q, i);
        let names = (queue.id.as_str(), when.as_str());
        let s = if cx.opts.exact_sl {
            credit_exact(m, names, table, (&agents, cx.calibration(q, i)))
        } else {
            let priced = queue.penalty_per_point.map(|_| Priced {
                most: most_of(m, &agents, alloc_most),
            });
            let credit = (agents.as_slice(), cx.calibration(q, i));
            credit_conservative(m, names, table, credit, priced)
        };
        v.credit.insert((q, i), s);
        // Occupancy at most 1 (a stable queue) when the verification asks.
        let occupancy = match queue.max_occupancy {
            Some(occ) => Some(occ),
            None => cx.stable(q).then_some(1.0),
        };
        if let Some(occ) = occupancy {
            // A tier's agents are its pool's, and so is the load on them.
            let mut row = present(cx, v, q, i);
            let mut load = 0.0;
            for p in cx.inst.centre.pooled_with(q) {
                let need = cx.req.need(p, i);
                let per_contact = need.aht_s / cx.step_s() / occ;
                row.extend(sent(v, p, i).into_iter().map(|(_, col)| (per_contact, col)));
                load += need.load;
            }
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
            m.row(name, sum(row).geq(load / occ));
        }
        periods.entry(Period::of(cx, q, i)).or_default().push(i);
    }
    for (period, intervals) in periods {
        let calls: f64 = intervals.iter().map(|&i| cx.req.need(q, i).contacts).sum();
        let label = period.label(cx);
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
        // The verification's aim above target for a day, the week or a
        // month.
        let aim = match period {
            Period::Interval(_) => target,
            _ => cx.aim(q, period.number(cx)),
        };
        // A month counts on from its weeks before: their contacts and
        // those in time join the week's (a surplus carried spends here, a
        // shortfall must be made up).
        let (before, before_in_time) = period
            .before(cx, q)
            .map_or((0.0, 0.0), |b| (b.contacts, b.in_time));
        let calls = calls + before;
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
        m.row(name, sum(row).geq(aim * calls - before_in_time));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::mip::Mip;
    use crate::plan::solve::solve;
    use crate::plan::PlanOptions;
    use crate::queueing::QueueModel;

    /// The most SL each credit gives with `agents` present.
    fn best_credit(table: &SlTable, agents: f64, exact: bool) -> f64 {
        if exact {
            credit_at(agents, false, |m, n| {
                credit_exact(m, ("q", "t"), table, (&[(1.0, n)], 0.0))
            })
        } else {
            priced_credit(table, agents, None, false)
        }
    }

    /// The most SL the conservative priced credit gives with `agents`
    /// present when the interval can have at most `most`; `relaxed`: the
    /// `on` binary as a fraction (the LP relaxation).
    fn priced_credit(table: &SlTable, agents: f64, most: Option<f64>, relaxed: bool) -> f64 {
        credit_at(agents, relaxed, |m, n| {
            let priced = Some(Priced { most });
            credit_conservative(m, ("q", "t"), table, (&[(1.0, n)], 0.0), priced)
        })
    }

    /// The most SL the credit `build` makes gives with `agents` present.
    fn credit_at(agents: f64, relaxed: bool, build: impl FnOnce(&mut Mip, Col) -> Col) -> f64 {
        let mut m = Mip::new();
        let n = m.col(
            "n".into(),
            agents,
            Some(agents),
            false,
            0.0,
            CostLine::InHouse,
        );
        let s = build(&mut m, n);
        m.columns[s.index].cost = -1.0;
        if relaxed {
            for c in &mut m.columns {
                c.integer = false;
            }
        }
        let (_, values) = solve(&m, &PlanOptions::default());
        values.unwrap().of(s)
    }

    #[test]
    fn exact_credit_is_the_table_and_conservative_credit_never_exceeds_it() {
        for (load, patience) in [
            (0.8, None),
            (6.0, None),
            (6.0, Some(180.0)),
            (30.0, Some(300.0)),
        ] {
            let table = SlTable::new(&QueueModel::new(load, 300.0, patience).unwrap(), 20.0);
            let top = table.sl.len() as f64;
            for k in 0..=(top as usize * 3) {
                let x = k as f64 / 3.0;
                let truth = table.at(x);
                let exact = best_credit(&table, x, true);
                let loose = best_credit(&table, x, false);
                // Exact but for the first points below NO_CREDIT.
                assert!(
                    (exact - truth).abs() <= NO_CREDIT + 1e-7,
                    "load {load} {patience:?} at {x}: exact credit {exact} vs {truth}"
                );
                assert!(
                    loose <= truth + 1e-7,
                    "load {load} at {x}: {loose} > {truth}"
                );
            }
        }
    }

    /// The bound on the agents an interval can have cuts no plan off — the
    /// credit at every staffing up to it is the same with and without it —
    /// and tightens the relaxation: a fractional `on` no longer earns the
    /// steepest ray's credit but at most the ray through the bound's point.
    #[test]
    fn the_most_agents_bound_cuts_no_plan_and_tightens_the_relaxation() {
        // 12 Erlangs (AHT 300 s): the credit starts near 13 agents and its
        // best ratio credit/agents lies beyond 14.
        let table = SlTable::new(&QueueModel::new(12.0, 300.0, None).unwrap(), 20.0);
        let pieces = table.pieces();
        let g = |x: f64| {
            pieces
                .iter()
                .map(|&(n_j, sl_j, d_j)| sl_j + d_j * (x - n_j))
                .fold(1.0_f64, f64::min)
                .max(0.0)
        };
        // The steepest ray from the origin under the pieces.
        let best_ratio = (1..=400)
            .map(|k| g(k as f64 / 10.0) / (k as f64 / 10.0))
            .fold(0.0_f64, f64::max);
        let u = 14.0;
        assert!(
            g(u) > 0.0 && g(u) / u < best_ratio * 0.95,
            "the bound must bind"
        );
        for k in 0..=(u as usize * 4) {
            let x = k as f64 / 4.0;
            let free = priced_credit(&table, x, None, false);
            let bounded = priced_credit(&table, x, Some(u), false);
            assert!(
                (free - bounded).abs() < 1e-7,
                "at {x} agents: {bounded} with the bound, {free} without"
            );
            assert!(
                (bounded - g(x)).abs() < 1e-6,
                "at {x}: {bounded} vs {}",
                g(x)
            );
        }
        // Half the bound's agents, `on` fractional: the steepest ray without
        // the bound, the ray through (u, g(u)) with it.
        let x = u / 2.0;
        let loose = priced_credit(&table, x, None, true);
        let tight = priced_credit(&table, x, Some(u), true);
        assert!(
            (loose - best_ratio * x).abs() < 0.02,
            "{loose} vs {}",
            best_ratio * x
        );
        assert!(tight <= g(u) / u * x + 1e-7, "{tight} > {}", g(u) / u * x);
        assert!(tight < loose * 0.95);
        // A bound past the table's flat changes nothing.
        let far = table.sl.len() as f64 + 5.0;
        assert!(
            (priced_credit(&table, 20.0, Some(far), true)
                - priced_credit(&table, 20.0, None, true))
            .abs()
                < 1e-9
        );
    }
}
