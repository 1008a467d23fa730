//! Finance's questions, each answered by planning weeks end to end: the
//! week under named scenarios (overrides) and sweeps of one lever, in
//! parallel; where outsourcing stops paying (the break-even price, by
//! bisection to a cent); the marginal cost of an SLA point; the cheapest
//! scenario and whether the plans' bounds prove it. Decisions are taken on
//! the rows' values as the files carry them.

pub mod headcount;

use std::path::Path;

use rayon::prelude::*;

use crate::files::compare::{
    BreakEven, Cheapest, CompareFile, Exact, HorizonFigures, Marginal, QueueSla, Row,
};
use crate::files::plan::PlanFile;
use crate::files::round;
use crate::files::shard::Shard;
use crate::model::{Channel, Instance};
use crate::pipeline::{self, WeekOptions};
use crate::plan::Status;
use crate::scenario::{self, Override, Scenario, Sweep};

/// A row read off the scenario's `plan.json`, so that compare and `slaplan
/// plan` agree by construction.
fn row_of(
    name: &str,
    overrides: &[Override],
    value: Option<f64>,
    agents: usize,
    j: &PlanFile,
) -> Row {
    let sla: Vec<QueueSla> = j
        .sla
        .iter()
        .filter(|s| s.contractual)
        .map(|s| QueueSla {
            queue: s.queue.clone(),
            scope: s.scope.clone(),
            target: s.target,
            achieved: s.achieved,
            kept: s.kept,
        })
        .collect();
    Row {
        scenario: name.to_string(),
        overrides: overrides.iter().map(ToString::to_string).collect(),
        value,
        status: j.status,
        cost_total: j.cost.as_ref().map(|c| c.total),
        in_house: j.cost.as_ref().map(|c| c.in_house),
        outsourced: j.cost.as_ref().map(|c| c.outsourced),
        penalties: j.cost.as_ref().map(|c| c.penalties),
        outsourced_contacts: round(j.outsourcers.iter().map(|o| o.contacts).sum(), 3),
        agents,
        agents_working: j.roster.as_ref().map(|r| r.agents_working),
        roster_cost: j.roster.as_ref().and_then(|r| r.cost_total),
        on_call_cost: j.on_call.as_ref().map(|o| o.cost),
        replans: j.roster.as_ref().map_or(0, |r| r.replans),
        fte: j.staffing.as_ref().map(|s| s.fte),
        shifts: j.staffing.as_ref().map(|s| s.shifts),
        sla_kept: !sla.is_empty() && sla.iter().all(|s| s.kept),
        sla,
        gap: j.gap,
        lower_bound: j.lower_bound,
        solve_seconds: j.solve_seconds,
        explanation: j
            .explanation
            .iter()
            .map(|s| s.message.clone())
            .chain(j.roster.iter().flat_map(|r| r.unfilled.iter().cloned()))
            .collect(),
        acceptable: false,
        verified: None,
        exact: None,
        horizon: None,
    }
}

/// The cheapest acceptable row of `rows` (a plan that keeps its contracts,
/// rostered, and verified where asked: finance does not rank plans that
/// break them), and what stands between it and a proof: acceptable rivals
/// whose bound lies below it, and scenarios left without an acceptable
/// plan that might still have a cheaper one (no plan and not proven
/// infeasible, or a plan that is not acceptable with a bound below).
pub fn cheapest(rows: &[Row]) -> Option<Cheapest> {
    let best = rows
        .iter()
        .filter(|r| r.acceptable)
        .filter_map(|r| r.cost().map(|c| (c, r)))
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    let (_, best) = best;
    // The file's (rounded) cost, which the bounds are compared with.
    let cost = best.cost_total?;
    let below = |r: &Row| r.lower_bound.is_none_or(|b| b < cost - 0.005);
    let rivals: Vec<String> = rows
        .iter()
        .filter(|r| !std::ptr::eq(*r, best) && r.acceptable && r.cost_total.is_some())
        .filter(|r| below(r))
        .map(|r| r.scenario.clone())
        .collect();
    let unknown: Vec<String> = rows
        .iter()
        .filter(|r| match r.cost_total {
            None => r.status != Status::Infeasible,
            Some(_) => !r.acceptable && below(r),
        })
        .map(|r| r.scenario.clone())
        .collect();
    Some(Cheapest {
        scenario: best.scenario.clone(),
        cost,
        proven: rivals.is_empty() && unknown.is_empty(),
        rivals,
        unknown,
    })
}

/// One scenario to solve: its name, overrides and swept value.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub name: String,
    pub overrides: Vec<Override>,
    pub value: Option<f64>,
}

/// Plans one scenario exactly as `slaplan plan --set …` would: forecast,
/// context, the planning MIP and its exact evaluation, the roster and its
/// re-plans.
pub fn solve(inst: &Instance, path: &Path, job: &Job, opts: &WeekOptions) -> Result<Row, String> {
    let mut inst = inst.clone();
    scenario::apply(&mut inst, &job.overrides)?;
    if inst.weeks > 1 {
        return solve_horizon(&inst, path, job, opts);
    }
    let week = pipeline::plan_week(&inst, opts).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(week_row(&inst, path, job, &week))
}

/// The row of one planned week of `job`.
fn week_row(inst: &Instance, path: &Path, job: &Job, week: &pipeline::PlannedWeek) -> Row {
    let overrides: Vec<String> = job.overrides.iter().map(ToString::to_string).collect();
    let j = pipeline::outputs::plan_file(week, path, &overrides);
    let mut row = row_of(&job.name, &job.overrides, job.value, inst.agents.len(), &j);
    row.acceptable = week.is_acceptable();
    row.verified = week
        .verification
        .as_ref()
        .filter(|v| !v.rounds.is_empty())
        .map(|v| v.holds);
    row.exact = Some(Exact {
        cost_total: week.plan.solution.as_ref().map(|s| s.costs.total),
        gap: week.plan.stats.gap,
        outsourced_contacts: week
            .plan
            .solution
            .as_ref()
            .map_or(0.0, |s| s.sent.iter().flatten().flatten().sum()),
    });
    row
}

/// Plans `job` over the instance's `weeks` as `slaplan plan --weeks`
/// does (a rolling sequence, `pipeline::horizon::roll`), nothing written:
/// one row adding the weeks up (see [`horizon_row`]).
fn solve_horizon(
    inst: &Instance,
    path: &Path,
    job: &Job,
    opts: &WeekOptions,
) -> Result<Row, String> {
    let mut weeks = Vec::with_capacity(inst.weeks);
    pipeline::horizon::roll(inst, inst.weeks, opts, |w, week, _, _| {
        let contacts = week.demand.iter().map(|r| r.contacts).sum::<f64>()
            - w.carry.backlog.iter().map(|b| b.contacts).sum::<f64>();
        weeks.push((week_row(w, path, job, week), contacts));
        Ok::<(), pipeline::horizon::HorizonError>(())
    })
    .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(horizon_row(weeks))
}

/// The weeks' rows (each with its contacts forecast) as one: costs,
/// bounds, contacts, shifts, re-plans and seconds summed (a week without a
/// plan leaves the sums unknown); the worst status; each contract's worst
/// week; acceptable and verified when every week is; the per-contact,
/// per-month and per-year figures.
pub fn horizon_row(weeks: Vec<(Row, f64)>) -> Row {
    let n = weeks.len();
    let sum = |f: &dyn Fn(&Row) -> Option<f64>| -> Option<f64> {
        weeks.iter().map(|(r, _)| f(r)).sum::<Option<f64>>()
    };
    let severity = |s: Status| match s {
        Status::Optimal => 0,
        Status::Feasible => 1,
        Status::NoSolution => 2,
        Status::Infeasible => 3,
    };
    let contacts: f64 = weeks.iter().map(|(_, c)| c).sum();
    let cost_total = sum(&|r| r.cost_total).map(|c| round(c, 2));
    let lower_bound = sum(&|r| r.lower_bound).map(|c| round(c, 2));
    let exact_cost = sum(&|r| r.exact.and_then(|e| e.cost_total));
    let mut sla: Vec<QueueSla> = Vec::new();
    for (r, _) in &weeks {
        for s in &r.sla {
            match sla.iter_mut().find(|x| x.queue == s.queue) {
                Some(x) => {
                    x.achieved = x.achieved.min(s.achieved);
                    x.kept &= s.kept;
                }
                None => sla.push(s.clone()),
            }
        }
    }
    let first = &weeks[0].0;
    let gap = |c: Option<f64>, b: Option<f64>| {
        c.zip(b)
            .map(|(c, b)| crate::plan::SolveStats::relative_gap(c, b))
    };
    Row {
        scenario: first.scenario.clone(),
        overrides: first.overrides.clone(),
        value: first.value,
        status: weeks
            .iter()
            .map(|(r, _)| r.status)
            .max_by_key(|&s| severity(s))
            .unwrap_or(Status::NoSolution),
        cost_total,
        in_house: sum(&|r| r.in_house).map(|c| round(c, 2)),
        outsourced: sum(&|r| r.outsourced).map(|c| round(c, 2)),
        penalties: sum(&|r| r.penalties).map(|c| round(c, 2)),
        outsourced_contacts: round(weeks.iter().map(|(r, _)| r.outsourced_contacts).sum(), 3),
        agents: first.agents,
        agents_working: weeks.iter().filter_map(|(r, _)| r.agents_working).max(),
        roster_cost: sum(&|r| r.roster_cost).map(|c| round(c, 2)),
        on_call_cost: sum(&|r| r.on_call_cost).map(|c| round(c, 2)),
        replans: weeks.iter().map(|(r, _)| r.replans).sum(),
        fte: sum(&|r| r.fte).map(|f| round(f / n as f64, 2)),
        shifts: weeks.iter().map(|(r, _)| r.shifts).sum::<Option<u32>>(),
        sla_kept: !sla.is_empty() && sla.iter().all(|s| s.kept),
        sla,
        gap: gap(cost_total, lower_bound).map(|g| round(g, 6)),
        lower_bound,
        solve_seconds: round(weeks.iter().map(|(r, _)| r.solve_seconds).sum(), 3),
        explanation: weeks
            .iter()
            .flat_map(|(r, _)| r.explanation.iter().cloned())
            .collect(),
        acceptable: weeks.iter().all(|(r, _)| r.acceptable),
        verified: weeks
            .iter()
            .map(|(r, _)| r.verified)
            .collect::<Option<Vec<bool>>>()
            .map(|held| held.iter().all(|&h| h)),
        exact: Some(Exact {
            cost_total: exact_cost,
            gap: gap(exact_cost, sum(&|r| r.lower_bound)),
            outsourced_contacts: weeks
                .iter()
                .map(|(r, _)| {
                    r.exact
                        .map_or(r.outsourced_contacts, |e| e.outsourced_contacts)
                })
                .sum(),
        }),
        horizon: Some(HorizonFigures {
            weeks: n,
            contacts: round(contacts, 3),
            per_contact: cost_total
                .filter(|_| contacts > 0.0)
                .map(|c| round(c / contacts, 4)),
            per_month: cost_total.map(|c| round(c / n as f64 * 52.0 / 12.0, 2)),
            per_year: cost_total.map(|c| round(c / n as f64 * 52.0, 2)),
        }),
    }
}

/// Plans every job, in parallel on the current rayon pool, in the jobs'
/// order.
pub fn solve_all(
    inst: &Instance,
    path: &Path,
    jobs: &[Job],
    opts: &WeekOptions,
) -> Result<Vec<Row>, String> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    crate::progress::outer("compare", format!("0/{} scenarios planned", jobs.len()));
    jobs.par_iter()
        .map(|j| {
            let row = solve(inst, path, j, opts)?;
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            crate::progress::outer(
                "compare",
                format!(
                    "{k}/{} scenarios planned; last: {} ({})",
                    jobs.len(),
                    row.scenario,
                    row.status.as_str()
                ),
            );
            Ok(row)
        })
        .collect::<Result<Vec<_>, _>>()
}

pub fn is_price(key: &str) -> bool {
    key.starts_with("outsourcer.") && key.ends_with(".price")
}

/// The contract target a target sweep moves (the first voice queue it
/// touches), to measure the marginal cost around.
pub fn contract_target(inst: &Instance, key: &str) -> Option<f64> {
    let rest = key.strip_prefix("sla.")?.strip_suffix("target")?;
    let queue = rest.strip_suffix('.');
    inst.centre
        .queues
        .iter()
        .find(|q| match queue {
            Some(id) => q.id == id,
            None => q.channel != Channel::Deferred,
        })
        .map(|q| q.sla.target)
}

/// Last step of the sweep from a price that uses the outsourcer to one
/// that does not, narrowed by bisection to a cent.
pub fn break_even(
    inst: &Instance,
    path: &Path,
    base: &Scenario,
    sw: &Sweep,
    curve: &[&Row],
    opts: &WeekOptions,
) -> Result<(Option<BreakEven>, Option<String>), String> {
    let Some(k) = (0..curve.len().saturating_sub(1))
        .rev()
        .find(|&k| curve[k].uses_outsourcer() && !curve[k + 1].uses_outsourcer())
    else {
        let note = if curve.iter().all(|r| r.uses_outsourcer()) {
            format!(
                "the plan uses the outsourcer at every price up to {}: it still pays there",
                sw.to
            )
        } else if curve.iter().all(|r| !r.uses_outsourcer()) {
            format!(
                "the plan uses the outsourcer at no price from {}: it does not pay in this range",
                sw.from
            )
        } else {
            "no price in the sweep is followed by one without outsourcing".into()
        };
        return Ok((None, Some(note)));
    };
    let (mut lo, mut hi) = ((*curve[k]).clone(), (*curve[k + 1]).clone());
    let at = |x: f64| -> Result<Row, String> {
        let mut o = base.overrides.clone();
        o.push(sw.at(x));
        solve(
            inst,
            path,
            &Job {
                name: format!("{}={x}", sw.key),
                overrides: o,
                value: Some(x),
            },
            opts,
        )
    };
    while hi.value.unwrap_or(0.0) - lo.value.unwrap_or(0.0) > 0.01 + 1e-9 {
        let (a, b) = (lo.value.unwrap_or(0.0), hi.value.unwrap_or(0.0));
        let mid = ((a + b) / 2.0 * 100.0).round() / 100.0;
        if mid <= a || mid >= b {
            break;
        }
        crate::progress::outer(
            "break-even",
            format!("between {a:.2} and {b:.2}: planning at {mid:.2}"),
        );
        let r = at(mid)?;
        if r.uses_outsourcer() {
            lo = r;
        } else {
            hi = r;
        }
    }
    Ok((
        Some(BreakEven {
            below: lo.value.unwrap_or(0.0),
            contacts_below: lo.outsourced_contacts,
            above: hi.value.unwrap_or(0.0),
            cost_below: lo.cost_total,
            cost_above: hi.cost_total,
        }),
        None,
    ))
}

/// The cost of one SLA point (0.01) between the sweep points around `t0`:
/// central where `t0` is a point with neighbours on both sides.
pub fn marginal(curve: &[&Row], t0: f64) -> Option<Marginal> {
    // Plans stopped by the time limit say little about the curve.
    let pts: Vec<(f64, f64, f64)> = curve
        .iter()
        .filter(|r| r.status == Status::Optimal && r.sla_kept)
        .filter_map(|r| Some((r.value?, r.cost()?, r.gap().unwrap_or(0.0))))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let exact = pts.iter().position(|p| (p.0 - t0).abs() < 1e-9);
    let (a, b) = match exact {
        Some(i) if i > 0 && i + 1 < pts.len() => (pts[i - 1], pts[i + 1]),
        Some(0) => (pts[0], pts[1]),
        Some(i) => (pts[i - 1], pts[i]),
        None => {
            let j = pts
                .iter()
                .position(|p| p.0 > t0)
                .unwrap_or(pts.len() - 1)
                .max(1);
            (pts[j - 1], pts[j])
        }
    };
    let points = (b.0 - a.0) * 100.0;
    Some(Marginal {
        contract_target: t0,
        from: a.0,
        to: b.0,
        cost_per_point: round((b.1 - a.1) / points, 2),
        low: round((b.1 * (1.0 - b.2) - a.1) / points, 2),
        high: round((b.1 - a.1 * (1.0 - a.2)) / points, 2),
    })
}

/// The jobs of a comparison: each scenario as it is, or each at every
/// point of the sweep. `from_file`: the scenarios come from a file (their
/// names prefix the sweep's points even when there is one).
pub fn jobs(scenarios: &[Scenario], sweep: Option<&Sweep>, from_file: bool) -> Vec<Job> {
    let mut jobs = Vec::new();
    for s in scenarios {
        match sweep {
            None => jobs.push(Job {
                name: s.name.clone(),
                overrides: s.overrides.clone(),
                value: None,
            }),
            Some(sw) => {
                for x in sw.points() {
                    let mut o = s.overrides.clone();
                    o.push(sw.at(x));
                    jobs.push(Job {
                        name: if scenarios.len() == 1 && !from_file {
                            format!("{}={x}", sw.key)
                        } else {
                            format!("{} {}={x}", s.name, sw.key)
                        },
                        overrides: o,
                        value: Some(x),
                    });
                }
            }
        }
    }
    jobs
}

/// Compares the week under `scenarios` (each with the `sweep` when given):
/// every job planned, the cheapest named, and with a sweep the first
/// scenario's finance answers — the break-even outsourcer price (a price
/// sweep) or the marginal cost of an SLA point (a target sweep). Runs on
/// the current rayon pool. With a `shard`, only its jobs, and none of the
/// answers that need them all: [`merge`] joins the shards.
pub fn compare(
    inst: &Instance,
    path: &Path,
    scenarios: &[Scenario],
    sweep: Option<&Sweep>,
    from_file: bool,
    opts: &WeekOptions,
    shard: Option<Shard>,
) -> Result<CompareFile, String> {
    let jobs: Vec<Job> = jobs(scenarios, sweep, from_file)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shard.is_none_or(|s| s.takes(*i)))
        .map(|(_, j)| j)
        .collect();
    let rows = solve_all(inst, path, &jobs, opts)?;
    if shard.is_some() {
        return Ok(CompareFile {
            shard,
            ..file(inst, path, sweep, rows)
        });
    }
    summarise(inst, path, scenarios, sweep, rows, opts)
}

/// The comparison from shards' files (`--shard I/N`), as the whole run
/// would have made it: every job's row from the one shard that took it, in
/// the jobs' order, then the same answers (a price sweep's break-even may
/// plan more weeks, as the whole run does).
pub fn merge(
    inst: &Instance,
    path: &Path,
    scenarios: &[Scenario],
    sweep: Option<&Sweep>,
    from_file: bool,
    parts: &[CompareFile],
    opts: &WeekOptions,
) -> Result<CompareFile, String> {
    let jobs = jobs(scenarios, sweep, from_file);
    let sweep_text = file(inst, path, sweep, Vec::new()).sweep;
    let Some(count) = parts.first().and_then(|p| p.shard).map(|s| s.count) else {
        return Err("the first folder is not a shard's (compare --shard I/N -o DIR)".into());
    };
    for p in parts {
        match p.shard {
            None => return Err("a folder is not a shard's (compare --shard I/N -o DIR)".into()),
            Some(s) if s.count != count => {
                return Err(format!("shards of {count} and of {} do not merge", s.count))
            }
            Some(s) if parts.iter().filter(|q| q.shard == Some(s)).count() > 1 => {
                return Err(format!("shard {}/{} is given twice", s.index, s.count))
            }
            _ => {}
        }
        if p.sweep != sweep_text {
            return Err(format!(
                "a shard swept {}, this merge {}: give the options the shards ran with",
                p.sweep.as_deref().unwrap_or("nothing"),
                sweep_text.as_deref().unwrap_or("nothing")
            ));
        }
    }
    let mut rows = Vec::with_capacity(jobs.len());
    for (i, j) in jobs.iter().enumerate() {
        let part = parts
            .iter()
            .find(|p| p.shard.is_some_and(|s| s.takes(i)))
            .ok_or_else(|| {
                format!(
                    "scenario '{}' (number {} of {}) is in none of the shards given: give all {count}",
                    j.name,
                    i + 1,
                    jobs.len()
                )
            })?;
        let row = part
            .scenarios
            .iter()
            .find(|r| r.scenario == j.name)
            .ok_or_else(|| {
                format!(
                    "scenario '{}' is not in its shard's file: give the scenarios the shards ran with",
                    j.name
                )
            })?;
        rows.push(row.clone());
    }
    summarise(inst, path, scenarios, sweep, rows, opts)
}

/// A comparison of `rows` with no answers yet.
fn file(inst: &Instance, path: &Path, sweep: Option<&Sweep>, rows: Vec<Row>) -> CompareFile {
    CompareFile {
        instance: path.display().to_string(),
        currency: inst.centre.currency.clone(),
        sweep: sweep.map(|s| format!("{}={}..{}:{}", s.key, s.from, s.to, s.step)),
        shard: None,
        scenarios: rows,
        break_even: None,
        break_even_note: None,
        marginal_sla: None,
        cheapest: None,
    }
}

/// The answers over every job's row: the cheapest, and with a sweep the
/// break-even or the marginal cost of an SLA point.
fn summarise(
    inst: &Instance,
    path: &Path,
    scenarios: &[Scenario],
    sweep: Option<&Sweep>,
    rows: Vec<Row>,
    opts: &WeekOptions,
) -> Result<CompareFile, String> {
    let mut report = file(inst, path, sweep, rows);
    report.cheapest = cheapest(&report.scenarios);
    if let (Some(sw), Some(base)) = (sweep, scenarios.first()) {
        let curve: Vec<&Row> = report.scenarios.iter().take(sw.points().len()).collect();
        if is_price(&sw.key) {
            let (b, note) = break_even(inst, path, base, sw, &curve, opts)?;
            report.break_even = b;
            report.break_even_note = note;
        }
        if let Some(t0) = contract_target(inst, &sw.key) {
            report.marginal_sla = marginal(&curve, t0);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: f64, cost: f64, sent: f64) -> Row {
        Row {
            scenario: format!("p={value}"),
            overrides: Vec::new(),
            value: Some(value),
            status: Status::Optimal,
            cost_total: Some(round(cost, 2)),
            in_house: None,
            outsourced: None,
            penalties: None,
            outsourced_contacts: round(sent, 3),
            agents: 1,
            agents_working: None,
            roster_cost: None,
            on_call_cost: None,
            replans: 0,
            fte: None,
            shifts: None,
            sla: Vec::new(),
            sla_kept: true,
            gap: Some(0.0),
            lower_bound: Some(round(cost, 2)),
            solve_seconds: 0.0,
            explanation: Vec::new(),
            acceptable: true,
            verified: None,
            exact: Some(Exact {
                cost_total: Some(cost),
                gap: Some(0.0),
                outsourced_contacts: sent,
            }),
            horizon: None,
        }
    }

    /// A cheaper plan that breaks its contracts on the phones is not the
    /// cheapest; with a bound below the chosen one it leaves the choice
    /// unproven.
    #[test]
    fn only_acceptable_plans_are_ranked() {
        let fails = Row {
            acceptable: false,
            verified: Some(false),
            lower_bound: Some(95.0),
            ..row(1.0, 100.0, 0.0)
        };
        let holds = Row {
            verified: Some(true),
            ..row(2.0, 110.0, 0.0)
        };
        let c = cheapest(&[fails.clone(), holds.clone()]).unwrap();
        assert_eq!(c.scenario, "p=2");
        assert!(!c.proven);
        assert_eq!(c.unknown, vec!["p=1".to_string()]);
        // Its bound above the choice: the choice stands proven.
        let far = Row {
            lower_bound: Some(120.0),
            ..fails
        };
        let c = cheapest(&[far, holds]).unwrap();
        assert!(c.proven, "{c:?}");
        // Nothing acceptable: nothing to rank.
        let none = Row {
            acceptable: false,
            ..row(3.0, 90.0, 0.0)
        };
        assert!(cheapest(&[none]).is_none());
    }

    /// A plan that sends 0.0004 contacts out uses the outsourcer, though
    /// the file rounds what it sends to 0.000.
    #[test]
    fn decisions_read_the_unrounded_figures() {
        let r = row(1.0, 100.0, 0.0004);
        assert!(r.outsourced_contacts.abs() < 1e-12);
        assert!(r.uses_outsourcer());
        let read_back = Row { exact: None, ..r };
        assert!(!read_back.uses_outsourcer());
    }

    /// The marginal cost is the slope between the unrounded costs: 0.99
    /// a point between 100.004 and 100.996, where the rounded costs
    /// (100.00 and 101.00) would say 1.00.
    #[test]
    fn the_marginal_cost_is_taken_before_rounding() {
        let a = row(0.80, 100.004, 0.0);
        let b = row(0.81, 100.996, 0.0);
        assert_eq!((a.cost_total, b.cost_total), (Some(100.0), Some(101.0)));
        let m = marginal(&[&a, &b], 0.80).expect("two points");
        assert!((m.cost_per_point - 0.99).abs() < 1e-9, "{m:?}");
    }
}
