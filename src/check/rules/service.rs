//! The allocation against the agents the roster has present (skills,
//! outsourcers' queues, coverage), then the SLAs recomputed from it with
//! the checker's own count (`check::service`).

use std::path::Path;

use super::super::centre::{read_allocation, Row, Server, SlaCheck};
use super::{Found, Rule};
use crate::input::Problem;
use crate::model::{Instance, SlaScope};

/// The allocation against the agents present, then the SLAs recomputed
/// with the checker's own count (`super::service`), and what that count
/// leaves the next week: the deferred work undone at the week's end, and
/// the month so far of the contracts counted per month (no agents).
pub fn check(
    inst: &Instance,
    demand: &[crate::model::VolumeRow],
    rows: &[Row],
    allocation: &Path,
    scope: Option<SlaScope>,
    found: &mut Found,
) -> Result<(Vec<SlaCheck>, crate::model::Carry), Vec<Problem>> {
    let c = &inst.centre;
    let grid = crate::requirements::week_grid(inst);
    let n = grid.len();
    let step = i64::from(c.interval_min);
    // Agents present per skill group and interval: shift less breaks.
    let mut present = vec![vec![0.0; n]; c.skill_groups.len()];
    let mut add = |sg: usize, from: i64, to: i64, sign: f64| {
        let mut i = from.div_euclid(step).max(0);
        while i * step < to && (i as usize) < n {
            let lo = from.max(i * step);
            let hi = to.min((i + 1) * step);
            if hi > lo {
                present[sg][i as usize] += sign * (hi - lo) as f64 / step as f64;
            }
            i += 1;
        }
    };
    for r in rows {
        let sg = inst.agents[r.agent].skill_group;
        add(sg, r.start, r.end, 1.0);
        for &(a, b) in &r.breaks {
            add(sg, a, b, -1.0);
        }
    }
    let nq = c.queues.len();
    let mut in_house = vec![vec![0.0; n]; nq];
    let mut sent = vec![vec![vec![0.0; n]; nq]; c.outsourcers.len()];
    let mut allocated = vec![vec![0.0; n]; c.skill_groups.len()];
    let mut rows = vec![vec![0u32; n]; c.skill_groups.len()];
    let mut calibration = vec![vec![0.0; n]; nq];
    for r in &read_allocation(inst, &grid, allocation)? {
        let when = grid[r.interval].local.format("%Y-%m-%dT%H:%M");
        let day = Some(grid[r.interval].day);
        match r.server {
            Server::InHouse(sg) => {
                if !c.skill_groups[sg].queues.contains(&r.queue) {
                    found.flag(
                        &c.skill_groups[sg].id,
                        day,
                        Rule::Skills,
                        format!(
                            "allocated to {} at {when}, outside its skills",
                            c.queues[r.queue].id
                        ),
                    );
                }
                allocated[sg][r.interval] += r.value;
                rows[sg][r.interval] += 1;
                in_house[r.queue][r.interval] += r.value;
            }
            Server::Outsourcer(o) => {
                if !c.outsourcers[o].queues.contains(&r.queue) {
                    found.flag(
                        &c.outsourcers[o].id,
                        day,
                        Rule::OutsourcerQueue,
                        format!(
                            "sent {} contacts of {} it does not serve",
                            r.value, c.queues[r.queue].id
                        ),
                    );
                }
                sent[o][r.queue][r.interval] += r.value;
            }
            Server::Calibration => calibration[r.queue][r.interval] += r.value,
        }
    }
    for (sg, per) in allocated.iter().enumerate() {
        for (i, &x) in per.iter().enumerate() {
            // Each row is written to six decimals: its rounding, half a
            // millionth, per row summed, beside the solver's tolerance.
            let tolerance = 1e-6 + 5e-7 * f64::from(rows[sg][i]);
            if x > present[sg][i] + tolerance {
                found.flag(
                    &c.skill_groups[sg].id,
                    Some(grid[i].day),
                    Rule::Coverage,
                    format!(
                        "{x:.3} agents allocated at {}, {:.3} present on the roster",
                        grid[i].local.format("%a %H:%M"),
                        present[sg][i]
                    ),
                );
            }
        }
    }
    if let crate::model::Demand::Requirements(given) = &inst.demand {
        return Ok((
            requirements_covered(inst, &grid, given, (&in_house, &calibration), found),
            crate::model::Carry::default(),
        ));
    }
    let (intervals, backlog) =
        crate::check::service::per_interval(inst, &grid, demand, (&in_house, &calibration), &sent);
    let next = crate::model::Carry {
        backlog,
        months: crate::check::service::months_after(inst, &grid, &intervals, scope),
        ..crate::model::Carry::default()
    };
    let mut out = Vec::new();
    for s in crate::check::service::per_scope(inst, &grid, &intervals, scope) {
        let queue = &c.queues[s.queue];
        let priced = queue.penalty_per_point.is_some();
        let contractual = crate::check::service::scope_of(inst, s.queue, scope) == s.scope;
        if contractual
            && !priced
            && s.worst + crate::check::service::SL_TOLERANCE < queue.sla.target
        {
            found.flag(
                &queue.id,
                None,
                Rule::Sla,
                format!(
                    "{} SL {:.4} in the worst period, the contract asks {:.4} ({} of {} periods met)",
                    s.scope.as_str(),
                    s.worst,
                    queue.sla.target,
                    s.periods_met,
                    s.periods
                ),
            );
        }
        out.push(SlaCheck {
            queue: queue.id.clone(),
            scope: s.scope.as_str(),
            contractual,
            target: queue.sla.target,
            achieved: s.worst,
            periods: s.periods,
            periods_met: s.periods_met,
            priced,
        });
    }
    Ok((out, next))
}

/// Requirements given (`demand: requirements`): per queue and interval the
/// agents allocated less shrinkage (and the calibration) against the
/// requirement rounded up to whole agents, read from the instance's rows
/// and not from the plan's requirements. One contractual count per queue,
/// per interval, of target 1 (every requirement met).
fn requirements_covered(
    inst: &Instance,
    grid: &[crate::requirements::Interval],
    given: &[crate::model::RequirementRow],
    (in_house, calibration): (&[Vec<f64>], &[Vec<f64>]),
    found: &mut Found,
) -> Vec<SlaCheck> {
    let c = &inst.centre;
    let index = crate::requirements::grid_index(grid);
    let mut required = vec![vec![0.0_f64; grid.len()]; c.queues.len()];
    for r in given {
        if let Some(&i) = index.get(&(r.start, r.repeated_hour)) {
            required[r.queue][i] = required[r.queue][i].max((r.agents - 1e-9).ceil());
        }
    }
    let mut out = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        let on_duty = queue.on_duty();
        let (mut periods, mut met, mut worst) = (0, 0, 1.0_f64);
        for (i, &need) in required[q].iter().enumerate() {
            if need <= 0.0 {
                continue;
            }
            let present = (in_house[q][i] * on_duty + calibration[q][i]).max(0.0);
            periods += 1;
            if present + 1e-6 >= need {
                met += 1;
                continue;
            }
            worst = worst.min(present / need);
            found.flag(
                &queue.id,
                Some(grid[i].day),
                Rule::Sla,
                format!(
                    "{present:.3} agents present at {}, {need} required",
                    grid[i].local.format("%a %H:%M")
                ),
            );
        }
        out.push(SlaCheck {
            queue: queue.id.clone(),
            scope: SlaScope::Interval.as_str(),
            contractual: true,
            target: 1.0,
            achieved: worst,
            periods,
            periods_met: met,
            priced: false,
        });
    }
    out
}
