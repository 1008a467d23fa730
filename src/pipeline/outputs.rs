//! The files of a planned week: `plan.json` ([`PlanFile`]), `coverage.csv`,
//! `shifts.csv`, `allocation.csv`, `roster.csv` and the calendars, made
//! from a [`PlannedWeek`] and written as one set. Numbers are rounded here,
//! where they become file fields, and nowhere before.

use std::path::Path;

use crate::files::coverage::CoverageRow;
use crate::files::plan::{
    Cost, InHouseCost, Outsourcer, PlanFile, PlanOptionsFile, RosterFigures, Service, Sla,
    Staffing, Trunks, Work,
};
use crate::files::{json_bytes, round, write_atomic};
use crate::model::Instance;
use crate::plan::evaluate::{when, Evaluation};
use crate::plan::extract::Solution;
use crate::plan::{Context, Plan, SolveStats};
use crate::roster::centre::CentreRoster;
use crate::roster::output;
use crate::simulate::SimOptions;

use super::simulate::Simulated;
use super::PlannedWeek;

/// `plan.json` of `week`, planned from the instance at `path` with the
/// `overrides` given.
pub fn plan_file(week: &PlannedWeek, path: &Path, overrides: &[String]) -> PlanFile {
    plan_file_with(week, path, overrides, visit_blocks(week).as_ref())
}

/// [`plan_file`] with the week's field-visit blocks already placed.
fn plan_file_with(
    week: &PlannedWeek,
    path: &Path,
    overrides: &[String],
    visits: Option<&VisitBlocks>,
) -> PlanFile {
    let mut f = PlanFile::new(
        &week.cx,
        path,
        &week.plan,
        week.roster.as_ref(),
        week.replans,
    );
    f.overrides = overrides.to_vec();
    f.verification = week.verification.as_ref().map(|v| v.rounded());
    f.unverified = week.unverified.clone();
    f.on_call = week
        .on_call
        .as_ref()
        .map(|r| crate::roster::on_call::figures(week.cx.inst, &week.cx.clock, r));
    if let Some(v) = visits {
        f.visits = crate::roster::visits::figures(&week.cx, &v.rows, &v.field, &v.blocks);
    }
    f
}

/// The roster's rows, the plan's field agents and the field-visit blocks
/// placed on them (`visits.csv`).
struct VisitBlocks {
    rows: Vec<crate::files::roster::Row>,
    field: Vec<Vec<f64>>,
    blocks: Vec<crate::roster::visits::Block>,
}

/// The week's field-visit blocks, where it has a roster with shifts, a
/// plan, and the model field queues.
fn visit_blocks(week: &PlannedWeek) -> Option<VisitBlocks> {
    let cx = &week.cx;
    let r = week.roster.as_ref().filter(|r| !r.shifts.is_empty())?;
    let s = week.plan.solution.as_ref()?;
    if !cx.inst.centre.has_field_queues() {
        return None;
    }
    let rows = output::roster_rows(cx, r);
    // The plan as the verification replayed it (its allocation's rows), so
    // that the blocks written are the blocks verified.
    let sol = crate::simulate::allocation_solution(cx, &output::allocation_rows(cx, s));
    let field = crate::roster::visits::field_of(cx, &sol);
    let blocks = crate::roster::visits::blocks(cx, &rows, &field);
    Some(VisitBlocks {
        rows,
        field,
        blocks,
    })
}

impl RosterFigures {
    fn new(cx: &Context, p: &Plan, r: &CentreRoster, replans: usize) -> Self {
        let mut agents: Vec<usize> = r.shifts.iter().map(|s| s.agent).collect();
        agents.dedup();
        let cost_total = p
            .solution
            .as_ref()
            .filter(|_| !r.shifts.is_empty())
            .map(|s| s.costs.total - s.costs.in_house + r.wages);
        // A roster short of the plan's shifts is not the plan's week: no
        // gap to its bound is claimed.
        let gap = match (cost_total, p.stats.lower_bound) {
            (Some(c), Some(b)) if c > 0.0 && r.unfilled.is_empty() => {
                Some(SolveStats::relative_gap(c, b))
            }
            _ => None,
        };
        let c = &cx.inst.centre;
        let (fairness, start_changes) = crate::roster::centre::fairness_of(cx, &r.shifts);
        RosterFigures {
            replans,
            requests: crate::roster::centre::requests_granted(cx, &r.shifts),
            fairness,
            start_changes,
            status: r.stats.status,
            stopped: r.stats.stopped.clone(),
            shifts: r.shifts.len(),
            agents_working: agents.len(),
            wages: round(r.wages, 2),
            cost_total: cost_total.map(|x| round(x, 2)),
            gap_to_lower_bound: gap.map(|g| round(g, 6)),
            solve_seconds: round(r.stats.solve_seconds, 3),
            simplex_iterations: r.stats.simplex_iterations,
            nodes: r.stats.nodes,
            unfilled: r
                .unfilled
                .iter()
                .map(|u| {
                    let o = &cx.options[u.option];
                    let why: Vec<String> = u
                        .why
                        .iter()
                        .map(|(a, rules)| {
                            let rules = if rules.is_empty() {
                                "no single rule; taking it would shift the rest of their week".to_string()
                            } else {
                                rules.join(", ")
                            };
                            format!("{}: {rules}", cx.inst.agents[*a].id)
                        })
                        .collect();
                    format!(
                        "{}: {} planned on {} {}, {} rostered — {}; re-plan with more agents of the group, other shifts, or the rule relaxed",
                        cx.groups[u.group].id,
                        u.planned,
                        crate::plan::passes::DAYS[o.day],
                        o.label(&c.shift_templates[o.template]),
                        u.filled,
                        why.join("; ")
                    )
                })
                .collect(),
        }
    }
}

impl PlanFile {
    fn new(
        cx: &Context,
        path: &Path,
        p: &Plan,
        roster: Option<&CentreRoster>,
        replans: usize,
    ) -> Self {
        let c = &cx.inst.centre;
        let sla = p
            .evaluation
            .iter()
            .flat_map(|e| &e.sla)
            .map(|s| Sla {
                queue: c.queues[s.queue].id.clone(),
                scope: s.scope.as_str().into(),
                contractual: s.contractual,
                target: s.target,
                achieved: round(s.achieved, 6),
                promised: round(s.promised, 6),
                periods: s.periods,
                periods_met: s.periods_met,
                kept: s.kept,
            })
            .collect();
        let staffing = p.solution.as_ref().map(|s| staffing(cx.inst, cx, s));
        let outsourcers = p
            .solution
            .as_ref()
            .map(|s| {
                c.outsourcers
                    .iter()
                    .enumerate()
                    .map(|(o, out)| Outsourcer {
                        id: out.id.clone(),
                        contacts: round(s.sent[o].iter().flatten().sum(), 3),
                        queues: c
                            .queues
                            .iter()
                            .enumerate()
                            .filter(|(q, _)| out.queues.contains(q))
                            .map(|(q, queue)| {
                                (queue.id.clone(), round(s.sent[o][q].iter().sum(), 3))
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let trunks = match (c.trunk_lines, &p.evaluation) {
            (Some(lines), Some(e)) => Some(Trunks {
                lines,
                max_blocking: round(e.trunks.iter().map(|t| t.blocking).fold(0.0, f64::max), 6),
                limited: e
                    .trunks
                    .iter()
                    .filter(|t| t.lines_limit)
                    .map(|t| when(cx, t.interval))
                    .collect(),
            }),
            _ => None,
        };
        let service_levels = p
            .evaluation
            .as_ref()
            .map(|e| service_levels(cx, e))
            .unwrap_or_default();
        PlanFile {
            instance: path.display().to_string(),
            overrides: Vec::new(),
            centre: c.name.clone(),
            currency: c.currency.clone(),
            time_zone: c.time_zone.name().to_string(),
            week_start: cx.inst.week_start.to_string(),
            demand: cx.inst.demand.kind().into(),
            status: p.stats.status,
            stopped: p.stats.stopped.clone(),
            cost: p.solution.as_ref().map(|s| {
                let (wages, overtime, by_day, by_group) = in_house_split(cx, s);
                Cost {
                    total: round(s.costs.total, 2),
                    in_house: round(s.costs.in_house, 2),
                    wages: round(wages, 2),
                    premiums: round(s.costs.in_house - wages - overtime, 2),
                    overtime: round(overtime, 2),
                    outsourced: round(s.costs.outsourced, 2),
                    penalties: round(s.costs.penalties, 2),
                    by_day,
                    by_group,
                }
            }),
            lower_bound: p.stats.lower_bound.map(|b| round(b, 2)),
            gap: p.stats.gap.map(|g| round(g, 6)),
            solve_seconds: round(p.stats.solve_seconds, 3),
            work: Work {
                simplex_iterations: p.stats.simplex_iterations,
                nodes: p.stats.nodes,
            },
            repairs: p.repairs,
            model: p.model_size,
            options: PlanOptionsFile {
                time_limit_s: cx.opts.time_limit_s,
                work_limit: cx.opts.work_limit,
                gap: cx.opts.gap,
                threads: cx.opts.threads,
                seed: cx.opts.seed,
                sla_scope: cx.opts.sla_scope.map(|s| s.as_str().into()),
                exact_sl: cx.opts.exact_sl,
            },
            sla,
            service_levels,
            staffing,
            outsourcers,
            trunks,
            explanation: p.shortfalls.clone(),
            roster: roster.map(|r| RosterFigures::new(cx, p, r, replans)),
            simulation: None,
            verification: None,
            unverified: None,
            on_call: None,
            visits: Vec::new(),
        }
    }
}

/// The shifts' wages (paid hours at each contract's hourly cost, before
/// premiums) and the overtime premium (the hours each group works beyond
/// its agents' contract maxima, at its policy's premium: what the plan's
/// `overtime` columns price), then their wages and premiums per day of
/// the week (the day a shift starts) and per planning group, in the
/// groups' order, the groups' with their overtime; a group without
/// shifts is left out.
fn in_house_split(cx: &Context, s: &Solution) -> (f64, f64, Vec<InHouseCost>, Vec<InHouseCost>) {
    let contracts = &cx.inst.centre.contracts;
    let mut days = [(0.0, 0.0, 0.0); 7];
    let mut groups = vec![(0.0, 0.0, 0.0); cx.groups.len()];
    let mut hours = vec![0.0; cx.groups.len()];
    for sh in &s.shifts {
        let k = cx.groups[sh.group].contract;
        let o = &cx.options[sh.option];
        let n = f64::from(sh.count);
        let wage = n * o.paid_h * contracts[k].hourly_cost;
        let all = n * o.cost(&contracts[k], k);
        hours[sh.group] += n * o.paid_h;
        for slot in [&mut days[o.day], &mut groups[sh.group]] {
            slot.0 += wage;
            slot.1 += all - wage;
        }
    }
    for (g, group) in cx.groups.iter().enumerate() {
        if let Some(price) = group
            .agents
            .first()
            .and_then(|&a| cx.inst.overtime_premium_per_hour(a))
        {
            groups[g].2 = (hours[g] - group.straight_hours).max(0.0) * price;
        }
    }
    let wages = groups.iter().map(|g| g.0).sum();
    let overtime = groups.iter().map(|g| g.2).sum();
    let line = |of: String, (w, all, over): (f64, f64, f64)| InHouseCost {
        of,
        wages: round(w, 2),
        premiums: round(all, 2),
        overtime: round(over, 2),
    };
    let by_day = days
        .iter()
        .zip(crate::plan::passes::DAYS)
        .map(|(d, name)| line(name.to_string(), *d))
        .collect();
    let by_group = groups
        .iter()
        .zip(&cx.groups)
        .filter(|(g, _)| g.0 + g.1 > 0.0)
        .map(|(g, grp)| line(grp.id.clone(), *g))
        .collect();
    (wages, overtime, by_day, by_group)
}

/// Contact-weighted SL per queue and day and over the week, as the
/// evaluation counts its day and week periods.
fn service_levels(cx: &Context, e: &Evaluation) -> Vec<Service> {
    cx.inst
        .centre
        .queues
        .iter()
        .enumerate()
        .map(|(q, queue)| {
            let mut days = [(0.0, 0.0); 7];
            for ev in e.intervals.iter().filter(|ev| ev.queue == q) {
                let d = &mut days[cx.req.grid[ev.interval].day];
                d.0 += ev.contacts * ev.sl;
                d.1 += ev.contacts;
            }
            let ratio = |(ok, n): (f64, f64)| (n > 1e-12).then(|| round(ok / n, 6));
            let week = days.iter().fold((0.0, 0.0), |a, d| (a.0 + d.0, a.1 + d.1));
            Service {
                queue: queue.id.clone(),
                scope: cx.scopes[q].as_str().into(),
                target: queue.sla.target,
                days: days.map(ratio),
                week: ratio(week),
            }
        })
        .collect()
}

fn staffing(inst: &Instance, cx: &Context, s: &Solution) -> Staffing {
    let mut per_day = [0u32; 7];
    let mut hours = 0.0;
    let mut fte = 0.0;
    for sh in &s.shifts {
        let o = &cx.options[sh.option];
        per_day[o.day] += sh.count;
        hours += f64::from(sh.count) * o.paid_h;
        let k = &inst.centre.contracts[cx.groups[sh.group].contract];
        fte += f64::from(sh.count) * o.paid_h * 60.0 / f64::from(k.weekly_max_min.max(1));
    }
    Staffing {
        shifts: per_day.iter().sum(),
        shifts_per_day: per_day,
        paid_hours: round(hours, 2),
        fte: round(fte, 2),
        agents_working: *per_day.iter().max().unwrap_or(&0),
        agents: inst.agents.len(),
    }
}

/// `coverage.csv` of the plan `s` under its evaluation `e`.
pub fn coverage_csv(cx: &Context, s: &Solution, e: &Evaluation) -> Vec<u8> {
    let c = &cx.inst.centre;
    // The outsourcers' seats the contacts sent away take: their workload
    // in Erlangs at each outsourcer's own handle time.
    let outsourced_agents = |q: usize, i: usize| -> f64 {
        c.outsourcers
            .iter()
            .enumerate()
            .map(|(o, out)| s.sent[o][q][i] * out.aht_s / cx.step_s())
            .sum()
    };
    // Where contacts go out, the agents the target needs for those kept
    // in-house (staffed equivalent, as `required`).
    let in_house_need = |q: usize, i: usize, sent: f64| -> Option<f64> {
        let need = cx.req.need(q, i);
        let required = need.required.map(f64::from)?;
        if sent <= 1e-9 {
            return Some(required / cx.on_duty(q));
        }
        let queue = &c.queues[q];
        let crate::model::Channel::Voice { patience_s } = queue.channel else {
            return None;
        };
        if let Some(pool) = c.pool_of(q) {
            // The pool's agents this tier needs with the tiers' contacts
            // kept in-house.
            let kept = |p: usize| {
                let need = cx.req.need(p, i);
                (need.contacts - s.sent_total(p, i).min(need.contacts)).max(0.0)
            };
            let (loads, aht_s) =
                crate::plan::tables::tier_loads(&cx.req, pool, i, cx.step_s(), kept);
            let class = pool.iter().position(|&p| p == q)?;
            let target = (queue.sla.target, queue.sla.within_s);
            let (agents, _) = crate::queueing::priority::required(
                &loads,
                aht_s,
                class,
                target,
                queue.max_occupancy,
            );
            return Some(f64::from(agents) / cx.on_duty(q));
        }
        let own = (need.contacts - sent).max(0.0);
        let model = crate::queueing::QueueModel::new(
            own * need.aht_s / cx.step_s(),
            need.aht_s,
            patience_s,
        )
        .ok()?;
        let r = model.required(&crate::requirements::targets(queue)).ok()?;
        Some(f64::from(r.agents) / cx.on_duty(q))
    };
    let rows: Vec<CoverageRow> = e
        .intervals
        .iter()
        .map(|ev| {
            let g = &cx.req.grid[ev.interval];
            CoverageRow {
                queue: c.queues[ev.queue].id.clone(),
                interval_start: g.local.format("%Y-%m-%dT%H:%M").to_string(),
                repeated_hour: g.repeated_hour,
                forecast_contacts: cx.req.need(ev.queue, ev.interval).contacts,
                required_agents: ev.required,
                staffed_in_house: ev.staffed,
                outsourced_contacts: ev.sent,
                projected_sl: ev.sl,
                trunk_blocking: e
                    .trunks
                    .iter()
                    .find(|t| t.interval == ev.interval)
                    .map(|t| t.blocking),
                outsourced_agents: outsourced_agents(ev.queue, ev.interval),
                required_in_house_agents: ev
                    .required
                    .and_then(|_| in_house_need(ev.queue, ev.interval, ev.sent)),
            }
        })
        .collect();
    crate::files::coverage::write(&rows)
}

pub fn shifts_csv(cx: &Context, s: &Solution) -> Vec<u8> {
    crate::files::shifts::shifts_csv(&shift_rows(cx, s)).into_bytes()
}

/// The plan's shifts as `shifts.csv` states them.
pub fn shift_rows(cx: &Context, s: &Solution) -> Vec<crate::files::shifts::ShiftRow> {
    let c = &cx.inst.centre;
    let dates = cx.inst.dates();
    let hm = |m: u32| format!("{:02}:{:02}", m / 60 % 24, m % 60);
    s.shifts
        .iter()
        .map(|sh| {
            let o = &cx.options[sh.option];
            // A date-time a spreadsheet reads: a night shift ends the next
            // day, on the clock of its start (nominal over a clock change).
            let local = |m: u32| {
                (dates[o.day].and_time(chrono::NaiveTime::MIN)
                    + chrono::Duration::minutes(i64::from(m)))
                .format(crate::files::roster::LOCAL_FORMAT)
                .to_string()
            };
            let t = &c.shift_templates[o.template];
            let breaks: Vec<String> = sh
                .breaks
                .iter()
                .enumerate()
                .flat_map(|(k, list)| {
                    list.iter().map(move |&(offset, n)| {
                        format!(
                            "{n}x{}min@{}",
                            t.breaks[k].length_min,
                            hm(o.start_min + offset)
                        )
                    })
                })
                .collect();
            crate::files::shifts::ShiftRow {
                group: cx.groups[sh.group].id.clone(),
                day: crate::plan::passes::DAYS[o.day].to_string(),
                date: dates[o.day].to_string(),
                template: t.id.clone(),
                start: local(o.start_min),
                end: local(o.start_min + t.length_min),
                count: sh.count,
                breaks: breaks.join(" "),
            }
        })
        .collect()
}

/// What [`write_week`] writes beside the plan's own files.
pub struct OutputOptions<'a> {
    /// The instance the week was planned from, as `plan.json` names it.
    pub instance: &'a Path,
    /// The overrides applied to the instance, as `plan.json` lists them.
    pub overrides: Vec<String>,
    /// One iCalendar file per agent who works (`ics/`).
    pub ics: bool,
    /// Replay the roster call by call (`simulation.csv`).
    pub simulation: Option<&'a SimOptions>,
}

/// Why the week's files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("could not write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The files just written do not read back (a defect).
    #[error("{0}")]
    ReadBack(String),
}

/// What was written: `plan.json`'s content, and the simulation when asked.
pub struct WrittenWeek {
    pub file: PlanFile,
    pub simulated: Option<Simulated>,
}

/// The files a plan's folder may hold: what [`write_week`] writes. Any
/// of them not in this run's set is an earlier run's and goes.
pub const SET: [&str; 11] = [
    "coverage.csv",
    "shifts.csv",
    "allocation.csv",
    "routing.csv",
    "roster.csv",
    "on_call.csv",
    "visits.csv",
    "ics",
    "simulation.csv",
    "plan.json",
    "report.html",
];

/// Writes the week's files as one set into `dir` (created with its
/// parents if needed): `coverage.csv`, `shifts.csv` and `allocation.csv`
/// with a plan, `roster.csv` (and `ics/`) with a roster, `simulation.csv`
/// when asked, `plan.json`, and last `report.html`, built from the folder
/// as `slaplan report` would.
///
/// The set is written into a sibling staging folder and swapped in for
/// `dir` (whose other files move along), so the files appear together or
/// not at all and none of an earlier run's is left beside them (a new
/// `plan.json` saying infeasible never sits beside last week's
/// `roster.csv`). A kill leaves at most a `.NAME.slaplan-PID.*` sibling,
/// removed by the next run. Where `dir` holds an input of the run or the
/// working directory, it is not swapped: the files are moved in one by
/// one and the earlier run's removed.
pub fn write_week(
    week: &PlannedWeek,
    dir: &Path,
    opts: &OutputOptions,
) -> Result<WrittenWeek, OutputError> {
    let stage = staging(dir)?;
    let written = write_set(week, &stage, opts).and_then(|w| {
        publish(&stage, dir, &|name: &str, _| SET.contains(&name))?;
        Ok(w)
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&stage);
    }
    written
}

/// A fresh staging folder beside `dir`, earlier runs' leftovers removed.
pub(super) fn staging(dir: &Path) -> std::io::Result<std::path::PathBuf> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let prefix = format!(".{name}.slaplan-");
    for e in std::fs::read_dir(parent)?.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    let stage = parent.join(format!("{prefix}{}.new", std::process::id()));
    std::fs::create_dir(&stage)?;
    Ok(stage)
}

/// Puts the staged set in place of `dir`'s (see [`write_week`]); `ours`
/// says which of `dir`'s entries (name, whether a folder) an earlier run
/// of the same kind wrote.
pub(super) fn publish(
    stage: &Path,
    dir: &Path,
    ours: &dyn Fn(&str, bool) -> bool,
) -> std::io::Result<()> {
    if std::fs::symlink_metadata(dir).is_err() {
        return std::fs::rename(stage, dir);
    }
    if !std::fs::metadata(dir)?.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: is not a folder; give a folder for the plan's files",
                dir.display()
            ),
        ));
    }
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.flatten().collect();
    let ours = |e: &std::fs::DirEntry| {
        let folder = e.file_type().is_ok_and(|t| t.is_dir());
        ours(e.file_name().to_string_lossy().as_ref(), folder)
    };
    let real = std::fs::canonicalize(dir)?;
    let holds_cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok())
        .is_some_and(|c| c.starts_with(&real));
    let holds_input = entries
        .iter()
        .any(|e| !ours(e) && crate::input::was_read(&e.path()));
    if holds_cwd || holds_input {
        // In place: the earlier set's files go, the new ones move in.
        for e in entries.iter().filter(|e| ours(e)) {
            let p = e.path();
            if p.is_dir() {
                std::fs::remove_dir_all(&p)?;
            } else {
                std::fs::remove_file(&p)?;
            }
        }
        for e in std::fs::read_dir(stage)?.flatten() {
            std::fs::rename(e.path(), dir.join(e.file_name()))?;
        }
        return std::fs::remove_dir(stage);
    }
    // The folder's other files join the new set; then one swap.
    for e in entries.iter().filter(|e| !ours(e)) {
        std::fs::rename(e.path(), stage.join(e.file_name()))?;
    }
    let old = stage.with_extension("old");
    std::fs::rename(dir, &old)?;
    std::fs::rename(stage, dir)?;
    std::fs::remove_dir_all(&old)
}

/// Writes the week's files into `dir` (see [`write_week`]), not as a set.
pub(super) fn write_set(
    week: &PlannedWeek,
    dir: &Path,
    opts: &OutputOptions,
) -> Result<WrittenWeek, OutputError> {
    let cx = &week.cx;
    let v = visit_blocks(week);
    let mut file = plan_file_with(week, opts.instance, &opts.overrides, v.as_ref());
    if let (Some(s), Some(e)) = (&week.plan.solution, &week.plan.evaluation) {
        write_atomic(&dir.join("coverage.csv"), &coverage_csv(cx, s, e))?;
        write_atomic(&dir.join("shifts.csv"), &shifts_csv(cx, s))?;
        write_atomic(
            &dir.join("allocation.csv"),
            output::allocation_csv(cx, s).as_bytes(),
        )?;
    }
    let routing = week.verification.as_ref().and_then(|v| {
        let kept = v.kept()?;
        Some(dir.join("routing.csv"))
            .filter(|_| !kept.routing.is_empty())
            .map(|p| (p, kept))
    });
    // An earlier plan's routing is simply not in the new set.
    if let Some((path, kept)) = &routing {
        write_atomic(
            path,
            crate::files::routing::routing_csv(&kept.routing).as_bytes(),
        )?;
    }
    let mut simulated = None;
    if let Some(r) = week.roster.as_ref().filter(|r| !r.shifts.is_empty()) {
        let path = dir.join("roster.csv");
        write_atomic(&path, output::roster_csv(cx, r).as_bytes())?;
        if let Some(rota) = &week.on_call {
            let csv = crate::roster::on_call::on_call_csv(cx.inst, &cx.clock, rota);
            write_atomic(&dir.join("on_call.csv"), csv.as_bytes())?;
        }
        if let Some(v) = v.as_ref().filter(|v| !v.blocks.is_empty()) {
            let csv = crate::roster::visits::visits_csv(cx, &v.rows, &v.blocks);
            write_atomic(&dir.join("visits.csv"), csv.as_bytes())?;
        }
        if opts.ics {
            let ics = dir.join("ics");
            std::fs::create_dir_all(&ics)?;
            let visits: Vec<(usize, &crate::roster::visits::Block)> = v
                .iter()
                .flat_map(|v| v.blocks.iter().map(|b| (v.rows[b.row].agent, b)))
                .collect();
            for (agent, text) in output::ics(cx, r, &visits) {
                write_atomic(&ics.join(format!("{agent}.ics")), text.as_bytes())?;
            }
        }
        if let Some(sim) = opts.simulation {
            crate::progress::stage(
                "simulate",
                format!("{} replications of the week", sim.replications),
            );
            // The files just written, replayed as `slaplan simulate` would.
            let s = super::simulate::simulate_files(
                cx.inst,
                &week.demand,
                (
                    &path,
                    &dir.join("allocation.csv"),
                    routing.as_ref().map(|(p, _)| p.as_path()),
                ),
                sim,
            )
            .map_err(|p| {
                OutputError::ReadBack(format!("the plan's own files do not read back: {}", p[0]))
            })?;
            write_atomic(&dir.join("simulation.csv"), s.csv.as_bytes())?;
            file.simulation = Some(s.json.clone());
            simulated = Some(s);
        }
    }
    write_atomic(&dir.join("plan.json"), &json_bytes(&file)?)?;
    // The report reads the folder just written, as `slaplan report` does.
    crate::report::plan::write(dir).map_err(|p| {
        OutputError::ReadBack(format!("the plan's own files do not make a report: {p}"))
    })?;
    Ok(WrittenWeek { file, simulated })
}
