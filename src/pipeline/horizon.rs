//! Several consecutive weeks planned as a rolling sequence (`slaplan plan
//! --weeks N`): each week is planned end to end as [`super::plan_week`]
//! plans one, from what the week before left its agents — the rest owed
//! after their last shift, the days worked or off in a row up to Sunday
//! ([`crate::model::Carry`], derived from the roster just written, as the
//! checker derives it from the file). The weeks' files go into one folder
//! each, `week-YYYY-MM-DD/`, beside `horizon.json` and `horizon.csv`, and
//! the whole horizon is written as one set.
//!
//! Why a rolling sequence and not one model: a week's plan depends on the
//! weeks before only through the agents' state at its edge, which only
//! the roster sees; one MIP over a quarter of Club-Internet would be 13
//! times the week's (about 13 × 60,000 columns), and its roster 315 agents
//! × 91 days, past what the roster's MIP closes. Each week's bound is a
//! bound of that week whatever it inherits (the carry only narrows it), so
//! their sum bounds the horizon.

use std::path::Path;

use chrono::Datelike;

use super::outputs::{publish, staging, write_set, OutputError, OutputOptions};
use super::{plan_week, WeekError, WeekOptions};
use crate::files::horizon::{
    horizon_csv, Carried, HorizonFile, HorizonMonth, HorizonTotal, HorizonWeek,
};
use crate::files::{json_bytes, write_atomic};
use crate::model::{Carry, Demand, Instance};

pub use crate::model::MAX_HORIZON_WEEKS as MAX_WEEKS;

/// Why a horizon could not be planned or written.
#[derive(Debug, thiserror::Error)]
pub enum HorizonError {
    #[error("{0}")]
    Refused(String),
    #[error("week of {0}: {1}")]
    Week(chrono::NaiveDate, WeekError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl From<std::io::Error> for HorizonError {
    fn from(e: std::io::Error) -> Self {
        HorizonError::Output(OutputError::Io(e))
    }
}

/// Whether `inst` can be planned over `weeks` weeks: between 1 and
/// [`MAX_WEEKS`], and its demand a history, forecast afresh for each week
/// (a given forecast or requirements are one week's).
pub fn plannable(inst: &Instance, weeks: usize) -> Result<(), String> {
    if !(1..=MAX_WEEKS).contains(&weeks) {
        return Err(format!(
            "{weeks} weeks: a horizon is 1 to {MAX_WEEKS} weeks (a year)"
        ));
    }
    if weeks > 1 && !matches!(inst.demand, Demand::History(_)) {
        return Err(format!(
            "the instance gives its {} for one week; a horizon of {weeks} weeks forecasts each week from a history (demand: {{ history: FILE }})",
            inst.demand.kind()
        ));
    }
    Ok(())
}

/// Week `k` (0 first) of the horizon starting at `base`'s week: its dates
/// and the strikes on them, what the weeks before leave its agents
/// (`carry`), and the requests and pins only in the first week (they name
/// its days).
pub fn week_instance(base: &Instance, k: usize, carry: Carry) -> Instance {
    let mut inst = base.clone();
    inst.week_start = base.week_start + chrono::Days::new(7 * k as u64);
    if k > 0 {
        inst.requests.clear();
        inst.pins.clear();
    }
    // The strikes of the horizon's other weeks are not this week's.
    let dates = inst.dates();
    for s in &mut inst.strikes {
        s.dates.retain(|d| dates.contains(d));
    }
    inst.strikes.retain(|s| !s.dates.is_empty());
    // Each agent under the contract of this week.
    for a in &mut inst.agents {
        if let Some(&(_, contract)) = a
            .contract_from
            .iter()
            .filter(|(from, _)| *from <= inst.week_start)
            .max_by_key(|(from, _)| *from)
        {
            a.contract = contract;
        }
    }
    inst.carry = Carry {
        week: Some(k),
        ..carry
    };
    inst
}

/// Agent `a`'s hours bank after `before`'s week, worked as `rows` say:
/// the balance carried, plus the week's paid minutes, less what the week
/// owed (the bank's average pro rata for the days the agent could work);
/// 0 when the week ends the bank's period (its last week owed exactly the
/// balance), outside a horizon, or without a bank.
fn banked(before: &Instance, a: usize, rows: &[crate::files::roster::Row]) -> i64 {
    let agent = &before.agents[a];
    let c = &before.centre;
    let (Some(k), Some(bank)) = (before.carry.week, c.contracts[agent.contract].hours_bank) else {
        return 0;
    };
    if bank.ends(k) {
        return 0;
    }
    let paid: i64 = rows
        .iter()
        .filter(|r| r.agent == a)
        .map(|r| i64::from(c.shift_templates[r.template].paid_min()))
        .sum();
    let workable = crate::plan::groups::workable_days(before, agent.contract, agent.site);
    let can = (0..7)
        .filter(|&d| crate::check::rules::could_work(before, a, d))
        .count() as u32;
    before.carry.of(a).banked_min + paid - bank.due(can, workable)
}

/// What `before`'s week leaves the week after: for its agents, what
/// `rows` (its roster) leave them ([`crate::files::roster::carry`]) and
/// each one's hours bank ([`banked`]); the rest — the deferred work
/// undone, the months so far, the on-call periods — as counted in
/// `service` (by the plan for the engine, by `check` for the checker).
fn carry_after(before: &Instance, rows: &[crate::files::roster::Row], service: Carry) -> Carry {
    let mut agents = crate::files::roster::carry(before, rows).agents;
    for (a, c) in agents.iter_mut().enumerate() {
        c.banked_min = banked(before, a, rows);
    }
    Carry {
        agents,
        week: None,
        ..service
    }
}

/// The folder of the week starting `start`, within the horizon's.
pub fn folder(start: chrono::NaiveDate) -> String {
    format!("week-{start}")
}

/// Whether `name` is an entry a horizon writes (see [`plan_horizon`]).
fn ours(name: &str, is_dir: bool) -> bool {
    match name.strip_prefix("week-") {
        Some(date) if is_dir => chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        _ => name == "horizon.json" || name == "horizon.csv",
    }
}

/// Plans `weeks` consecutive weeks from `base`'s, one at a time, each
/// from what the week before's roster left (see the module), and writes
/// them with `horizon.json` and `horizon.csv` into `dir` as one set.
pub fn plan_horizon(
    base: &Instance,
    weeks: usize,
    opts: &WeekOptions,
    dir: &Path,
    out: &OutputOptions,
) -> Result<HorizonFile, HorizonError> {
    plannable(base, weeks).map_err(HorizonError::Refused)?;
    let stage = staging(dir)?;
    let result = plan_into(base, weeks, opts, &stage, out).and_then(|h| {
        write_atomic(&stage.join("horizon.json"), &json_bytes(&h)?)?;
        write_atomic(&stage.join("horizon.csv"), horizon_csv(&h).as_bytes())?;
        publish(&stage, dir, &ours)?;
        Ok(h)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&stage);
    }
    result
}

fn plan_into(
    base: &Instance,
    weeks: usize,
    opts: &WeekOptions,
    stage: &Path,
    out: &OutputOptions,
) -> Result<HorizonFile, HorizonError> {
    let begun = std::time::Instant::now();
    let mut list = Vec::with_capacity(weeks);
    // Per month and queue counted per month: contacts, in time.
    let mut month_parts: std::collections::BTreeMap<(chrono::NaiveDate, usize), (f64, f64)> =
        Default::default();
    roll(base, weeks, opts, |inst, week, left, seconds| {
        let name = folder(inst.week_start);
        let written = write_set(week, &stage.join(&name), out)?;
        let f = &written.file;
        list.push(HorizonWeek {
            week_start: inst.week_start.to_string(),
            folder: name,
            status: f.status,
            acceptable: week.is_acceptable(),
            cost: f.cost.as_ref().map(|c| c.total),
            in_house: f.cost.as_ref().map(|c| c.in_house),
            outsourced: f.cost.as_ref().map(|c| c.outsourced),
            penalties: f.cost.as_ref().map(|c| c.penalties),
            lower_bound: f.lower_bound,
            gap: f.gap,
            carried_rest: (0..inst.agents.len())
                .filter(|&a| crate::plan::groups::carried_rest(inst, a).is_some())
                .count(),
            carried_runs: inst.carry.agents.iter().filter(|c| c.run > 0).count(),
            backlog_in: Carried::rows(&base.centre, &inst.carry.backlog),
            backlog_out: Carried::rows(&base.centre, left),
            seconds: crate::files::round(seconds, 1),
        });
        if let Some(e) = &week.plan.evaluation {
            for (q, month, n, w) in crate::plan::evaluate::month_parts(&week.cx, e) {
                let t = month_parts.entry((month, q)).or_default();
                t.0 += n;
                t.1 += w;
            }
        }
        Ok::<(), HorizonError>(())
    })?;
    let mut h = summary(base, list, out, begun.elapsed().as_secs_f64());
    h.month_sla = month_sla(base, weeks, &month_parts);
    Ok(h)
}

/// Plans `weeks` consecutive weeks from `base`'s, one at a time, each
/// from what the week before left (see the module), and hands each to
/// `each`: its instance (the carry in it), its plan, the deferred work it
/// leaves undone, and the seconds it took.
pub fn roll<E: From<HorizonError>>(
    base: &Instance,
    weeks: usize,
    opts: &WeekOptions,
    mut each: impl FnMut(&Instance, &super::PlannedWeek, &[crate::model::Backlog], f64) -> Result<(), E>,
) -> Result<(), E> {
    let mut carry = Carry::default();
    let mut opts = opts.clone();
    for k in 0..weeks {
        let inst = week_instance(base, k, std::mem::take(&mut carry));
        crate::progress::stage(
            &format!("week {}/{weeks}", k + 1),
            format!("the week of {}", inst.week_start),
        );
        let started = std::time::Instant::now();
        let week = plan_week(&inst, &opts).map_err(|e| HorizonError::Week(inst.week_start, e))?;
        // The next week's verification starts from the corrections of the
        // last week that held in the replay: a week whose corrections
        // ended short would hand its failed calibration on.
        if week.verification.as_ref().is_some_and(|v| v.holds) {
            opts.start = Some(week.cx.corrections().clone());
        }
        let rows = week
            .roster
            .as_ref()
            .map(|r| crate::roster::output::roster_rows(&week.cx, r))
            .unwrap_or_default();
        // A week without a plan hands on no backlog: its contacts were not
        // planned at all.
        let left = week
            .plan
            .solution
            .as_ref()
            .map(|s| crate::plan::evaluate::left_over(&week.cx, s))
            .unwrap_or_default();
        each(&inst, &week, &left, started.elapsed().as_secs_f64())?;
        let service = Carry {
            backlog: left,
            on_call: week
                .on_call
                .as_ref()
                .map(|rota| crate::roster::on_call::carried(&inst, &week.cx.clock, rota))
                .unwrap_or_default(),
            months: week
                .plan
                .evaluation
                .as_ref()
                .map(|e| crate::plan::evaluate::months_after(&week.cx, e))
                .unwrap_or_default(),
            ..Carry::default()
        };
        carry = carry_after(&inst, &rows, service);
    }
    Ok(())
}

/// The SL of each month and queue counted per month, from the weeks'
/// parts (see [`HorizonFile::month_sla`]).
fn month_sla(
    base: &Instance,
    weeks: usize,
    parts: &std::collections::BTreeMap<(chrono::NaiveDate, usize), (f64, f64)>,
) -> Vec<crate::files::horizon::MonthSla> {
    let first = base.week_start;
    let last = first + chrono::Days::new(7 * weeks as u64 - 1);
    parts
        .iter()
        .map(|(&(month, q), &(contacts, in_time))| {
            let queue = &base.centre.queues[q];
            let next = crate::model::month_of(month + chrono::Days::new(31));
            let sl = if contacts > 0.0 {
                in_time / contacts
            } else {
                1.0
            };
            crate::files::horizon::MonthSla {
                month: month.format("%Y-%m").to_string(),
                queue: queue.id.clone(),
                contacts: crate::files::round(contacts, 3),
                in_time: crate::files::round(in_time, 3),
                sl: crate::files::round(sl, 6),
                target: queue.sla.target,
                met: sl + crate::check::service::SL_TOLERANCE >= queue.sla.target,
                whole: first <= month && next.pred_opt().is_some_and(|end| end <= last),
            }
        })
        .collect()
}

/// The horizon's file from its weeks.
fn summary(
    base: &Instance,
    weeks: Vec<HorizonWeek>,
    out: &OutputOptions,
    seconds: f64,
) -> HorizonFile {
    let planned = || weeks.iter().filter(|w| w.cost.is_some());
    let sum = |f: fn(&HorizonWeek) -> Option<f64>| {
        crate::files::round(planned().filter_map(f).sum::<f64>(), 2)
    };
    let cost = sum(|w| w.cost);
    let lower_bound = sum(|w| w.lower_bound.or(w.cost));
    let mut months: Vec<HorizonMonth> = Vec::new();
    for w in &weeks {
        let start: chrono::NaiveDate = w.week_start.parse().expect("a date we wrote");
        let thursday = start + chrono::Days::new(3);
        let month = format!("{:04}-{:02}", thursday.year(), thursday.month());
        if months.last().is_none_or(|m| m.month != month) {
            months.push(HorizonMonth {
                month,
                weeks: 0,
                cost: 0.0,
            });
        }
        let m = months.last_mut().expect("just pushed");
        m.weeks += 1;
        m.cost = crate::files::round(m.cost + w.cost.unwrap_or(0.0), 2);
    }
    HorizonFile {
        instance: out.instance.display().to_string(),
        overrides: out.overrides.clone(),
        centre: base.centre.name.clone(),
        currency: base.centre.currency.clone(),
        method: "rolling".into(),
        total: HorizonTotal {
            weeks: weeks.len(),
            acceptable_weeks: weeks.iter().filter(|w| w.acceptable).count(),
            cost,
            in_house: sum(|w| w.in_house),
            outsourced: sum(|w| w.outsourced),
            penalties: sum(|w| w.penalties),
            lower_bound,
            gap: (cost > 0.0).then(|| crate::files::round((cost - lower_bound) / cost, 6)),
            seconds: crate::files::round(seconds, 1),
        },
        months,
        weeks,
        month_sla: Vec::new(),
    }
}

/// One week of a horizon as the checker found it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckedWeek {
    pub week_start: String,
    pub violations: usize,
    pub measures: crate::check::centre::Measures,
}

/// Checks the horizon written in `dir`, planned from `base` (the
/// overrides `horizon.json` lists applied again): every week's files as
/// `slaplan check` checks a week, each week read with what the week
/// before's `roster.csv` leaves its agents — so a rest or a run of days
/// broken across a boundary is caught. Violations carry their dates.
pub fn check_horizon(
    base: &Instance,
    dir: &Path,
    scope: Option<crate::model::SlaScope>,
) -> Result<(Vec<crate::check::Violation>, Vec<CheckedWeek>), Vec<crate::input::Problem>> {
    walk(base, dir, scope, |_, _, _| Ok(()))
}

/// Replays each week of the horizon in `dir` with its roster and
/// allocation ([`super::simulate::simulate_files`], `routing.csv` beside
/// them where there), each week from what the weeks before left as
/// [`check_horizon`] counts it — the deferred work undone arriving with
/// its first contacts, the months so far of contracts counted per month.
/// Per week with a roster: its start and its replay.
pub fn simulate_horizon(
    base: &Instance,
    dir: &Path,
    opts: &crate::simulate::SimOptions,
) -> Result<Vec<(String, super::simulate::Simulated)>, Vec<crate::input::Problem>> {
    let mut out = Vec::new();
    walk(base, dir, None, |inst, demand, week_dir| {
        let roster = week_dir.join("roster.csv");
        if !roster.exists() {
            return Ok(());
        }
        let routing = week_dir.join("routing.csv");
        let files = (
            roster.as_path(),
            &*week_dir.join("allocation.csv"),
            routing.exists().then_some(routing.as_path()),
        );
        let s = super::simulate::simulate_files(inst, demand, files, opts)?;
        out.push((inst.week_start.to_string(), s));
        Ok(())
    })?;
    Ok(out)
}

/// Each week of the horizon in `dir`, checked ([`check_horizon`]) and
/// handed to `visit` with its instance (what the weeks before left it, as
/// the checker counts it), demand and folder.
fn walk(
    base: &Instance,
    dir: &Path,
    scope: Option<crate::model::SlaScope>,
    mut visit: impl FnMut(
        &Instance,
        &[crate::model::VolumeRow],
        &Path,
    ) -> Result<(), Vec<crate::input::Problem>>,
) -> Result<(Vec<crate::check::Violation>, Vec<CheckedWeek>), Vec<crate::input::Problem>> {
    use crate::input::{Code, Problem};
    let problem = |code: Code, path: &Path, message: String, what: &str| {
        vec![Problem::at(code, path, None, message, what)]
    };
    let file = dir.join("horizon.json");
    let h = crate::files::horizon::read(dir).map_err(|m| {
        problem(
            Code::FileUnreadable,
            &file,
            m,
            "give the folder `slaplan plan --weeks N` wrote",
        )
    })?;
    let mut base = base.clone();
    crate::scenario::apply_recorded(&mut base, &h.overrides)
        .map_err(|m| problem(Code::FileUnreadable, &file, m, "plan the horizon again"))?;
    let mut carry = Carry::default();
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for (k, w) in h.weeks.iter().enumerate() {
        let inst = week_instance(&base, k, std::mem::take(&mut carry));
        if inst.week_start.to_string() != w.week_start {
            return Err(problem(
                Code::BadDate,
                &file,
                format!(
                    "week {} starts {} in the file, {} from the instance",
                    k + 1,
                    w.week_start,
                    inst.week_start
                ),
                "check the horizon against the instance it was planned from",
            ));
        }
        let week_dir = dir.join(&w.folder);
        let roster = week_dir.join("roster.csv");
        let demand = super::demand(&inst).map_err(|e| {
            problem(
                Code::DemandSource,
                &file,
                format!("the week of {}: {e}", w.week_start),
                "plan the horizon again",
            )
        })?;
        let mut next = Carry::default();
        let rows = if roster.exists() {
            let on_call = crate::check::centre::OnCallPaths {
                duties: Some(week_dir.join("on_call.csv")),
                call_outs: None,
            };
            let (v, m) = crate::check::centre::check(
                &inst,
                &demand,
                &roster,
                &week_dir.join("allocation.csv"),
                scope,
                &on_call,
            )?;
            next = m.next.clone();
            checked.push(CheckedWeek {
                week_start: w.week_start.clone(),
                violations: v.len(),
                measures: m,
            });
            violations.extend(v);
            crate::files::roster::read_roster(&inst, &roster)?
        } else {
            // A week with no roster (no acceptable plan): nobody works it.
            Vec::new()
        };
        visit(&inst, &demand, &week_dir)?;
        carry = carry_after(&inst, &rows, next);
    }
    Ok((violations, checked))
}
