//! The centre's roster checked against its instance, from the files alone:
//! `roster.csv` (one row per agent and shift) and `allocation.csv` (how the
//! plan splits each skill group's present agents over the queues, and what
//! it sends to each outsourcer, interval by interval).
//!
//! Every rule is counted here again from the times in the roster — the
//! templates and their starts, the contract's hours, days, consecutive
//! days, rest between shifts, weekly rest, days off in a row, weekends,
//! absences, strikes, skills, breaks inside their windows. Then the agents
//! present per skill group and interval (shift time less breaks) must hold
//! the allocation, and the service levels are recomputed from the
//! allocation with the queueing core (the same exact evaluation `slaplan
//! plan` reports, fed only from these files, never from the solver).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;

use super::rules::{self, Found, Week};
use super::Violation;
use crate::input::{Code, Problem};
use crate::model::{Instance, SlaScope};

pub use crate::files::roster::{FairnessCount, RequestCount, ALLOCATION_HEADER};

/// What the checker measured beside the violations.
#[derive(Debug, Clone, Serialize)]
pub struct Measures {
    pub shifts: usize,
    pub agents_working: usize,
    pub paid_hours: f64,
    pub requests: RequestCount,
    /// Per planning group of two agents or more (skill group, contract,
    /// site): the fewest and most weekend days and late shifts an agent
    /// works.
    pub fairness: Vec<FairnessCount>,
    /// Start times beyond each agent's first, summed over the agents whose
    /// contract asks for the same start.
    pub start_changes: usize,
    pub sla: Vec<SlaCheck>,
}

/// One queue's SLA over one scope, recomputed.
#[derive(Debug, Clone, Serialize)]
pub struct SlaCheck {
    pub queue: String,
    pub scope: &'static str,
    /// The scope the contract (or `--sla-scope`) counts.
    pub contractual: bool,
    pub target: f64,
    /// The worst period's SL.
    pub achieved: f64,
    pub periods: usize,
    pub periods_met: usize,
    /// The contract prices missed points instead of forbidding them.
    pub priced: bool,
}

/// One roster row, read and placed in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub agent: usize,
    pub day: usize,
    pub template: usize,
    /// Minutes of real time after the week's start.
    pub start: i64,
    pub end: i64,
    pub breaks: Vec<(i64, i64)>,
    pub queues: Vec<usize>,
}

/// Who an `allocation.csv` row gives work to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// A skill group's present agents.
    InHouse(usize),
    Outsourcer(usize),
}

/// One `allocation.csv` row, resolved against the instance's week.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationRow {
    pub line: usize,
    pub server: Server,
    pub queue: usize,
    pub interval: usize,
    /// Agents (in-house) or contacts (outsourcer).
    pub value: f64,
}

fn problem(file: &Path, line: Option<usize>, field: &str, message: String, hint: &str) -> Problem {
    Problem {
        code: Code::CsvBadValue,
        file: file.to_path_buf(),
        line,
        column: None,
        field: field.into(),
        message,
        hint: hint.into(),
    }
}

fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// Reads `roster.csv`: every row placed in real time, sorted by agent and
/// start; or every problem with its line.
pub fn read_roster(inst: &Instance, path: &Path) -> Result<Vec<Row>, Vec<Problem>> {
    let c = &inst.centre;
    let header = crate::files::roster::ROSTER_HEADER;
    let rows = super::read_csv(path, header, "see docs/formats.md")?;
    let origin = super::rules::week_start(inst);
    let dates = inst.dates();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in rows {
        let l = Some(line);
        let mut bad = |field: &str, message: String, hint: &str| {
            problems.push(problem(path, l, field, message, hint))
        };
        let Some(agent) = inst.agents.iter().position(|a| a.id == r[0]) else {
            bad(
                "agent",
                format!("no agent '{}' in the instance", &r[0]),
                "use the agents' ids of the instance",
            );
            continue;
        };
        let Some(template) = c.shift_templates.iter().position(|t| t.id == r[4]) else {
            bad(
                "template",
                format!("no shift template '{}'", &r[4]),
                "use the templates' ids of the instance",
            );
            continue;
        };
        let Some(day) = NaiveDate::parse_from_str(&r[3], "%Y-%m-%d")
            .ok()
            .and_then(|d| dates.iter().position(|x| *x == d))
        else {
            bad(
                "date",
                format!("'{}' is not a date of the week", &r[3]),
                "write YYYY-MM-DD, within the instance's week",
            );
            continue;
        };
        let (Some(start), Some(end)) = (parse_time(&r[5]), parse_time(&r[6])) else {
            bad(
                "start",
                format!("'{}' or '{}' is not an RFC 3339 time", &r[5], &r[6]),
                "write e.g. 2003-03-03T08:00:00+01:00",
            );
            continue;
        };
        let real = |t: &DateTime<FixedOffset>| (t.with_timezone(&Utc) - origin).num_minutes();
        let mut breaks = Vec::new();
        for b in r[8].split(';').filter(|s| !s.is_empty()) {
            match b
                .split_once('/')
                .and_then(|(a, z)| Some((parse_time(a)?, parse_time(z)?)))
            {
                Some((a, z)) => breaks.push((real(&a), real(&z))),
                None => bad(
                    "breaks",
                    format!("'{b}' is not a start/end pair of RFC 3339 times"),
                    "write start/end, pairs joined by ';'",
                ),
            }
        }
        let mut queues = Vec::new();
        for q in r[9].split(';').filter(|s| !s.is_empty()) {
            match c.queues.iter().position(|x| x.id == q) {
                Some(q) => queues.push(q),
                None => bad(
                    "queues",
                    format!("no queue '{q}'"),
                    "use the queues' ids of the instance",
                ),
            }
        }
        // The local time must carry the zone's offset at that time.
        if start.with_timezone(&c.time_zone).naive_local() != start.naive_local() {
            bad(
                "start",
                format!("{start} does not carry {}'s offset", c.time_zone),
                "write local times with their offset",
            );
            continue;
        }
        out.push(Row {
            agent,
            day,
            template,
            start: real(&start),
            end: real(&end),
            breaks,
            queues,
        });
        // Templates start at a local minute of the row's date.
        if start.date_naive() != dates[day] {
            problems.push(problem(
                path,
                l,
                "start",
                format!("{start} is not on {}", dates[day]),
                "the date column is the shift's start date",
            ));
        }
    }
    if problems.is_empty() {
        out.sort_by_key(|r| (r.agent, r.start));
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Checks `roster` (and the allocation at `allocation`) against `inst`.
/// `scope` overrides every queue's SLA scope, as `slaplan plan
/// --sla-scope` does.
pub fn check(
    inst: &Instance,
    demand: &[crate::model::VolumeRow],
    roster: &Path,
    allocation: &Path,
    scope: Option<SlaScope>,
) -> Result<(Vec<Violation>, Measures), Vec<Problem>> {
    let rows = read_roster(inst, roster)?;
    let c = &inst.centre;
    let w = Week::new(inst, &rows);
    let mut found = Found::new(&w.dates);
    rules::shifts::check(&w, &mut found);
    rules::contract_week::check(&w, &mut found);
    rules::strikes::check(&w, &mut found);
    let requests = rules::wishes::check(&w, &mut found);
    let (fairness, start_changes) = rules::fairness::measure(&w);
    let measures = rules::service::check(inst, demand, &rows, allocation, scope, &mut found)?;
    let mut agents: Vec<usize> = rows.iter().map(|r| r.agent).collect();
    agents.dedup();
    let m = Measures {
        shifts: rows.len(),
        agents_working: agents.len(),
        requests,
        fairness,
        start_changes,
        paid_hours: rows
            .iter()
            .map(|r| f64::from(c.shift_templates[r.template].paid_min()))
            .sum::<f64>()
            / 60.0,
        sla: measures,
    };
    Ok((found.list, m))
}

/// Reads `allocation.csv` against the week's intervals `grid`: every row resolved to
/// its server, queue and interval; or every problem with its line.
pub fn read_allocation(
    inst: &Instance,
    grid: &[crate::requirements::Interval],
    path: &Path,
) -> Result<Vec<AllocationRow>, Vec<Problem>> {
    let c = &inst.centre;
    let index: BTreeMap<(NaiveDateTime, bool), usize> = grid
        .iter()
        .enumerate()
        .map(|(i, g)| ((g.local, g.repeated_hour), i))
        .collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in super::read_csv(path, ALLOCATION_HEADER, "see docs/formats.md")? {
        let l = Some(line);
        let q = c.queues.iter().position(|x| x.id == r[2]);
        let i = crate::input::csvfile::parse_datetime(&r[3])
            .and_then(|t| index.get(&(t, &r[4] == "true")).copied());
        let value = r[5]
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0);
        let (Some(queue), Some(interval), Some(value)) = (q, i, value) else {
            problems.push(problem(
                path,
                l,
                "",
                format!(
                    "'{}' names no queue, interval and non-negative value of the week",
                    r.iter().collect::<Vec<_>>().join(",")
                ),
                "write the file slaplan plan writes",
            ));
            continue;
        };
        let server = match &r[0] {
            "in_house" => match c.skill_groups.iter().position(|x| x.id == r[1]) {
                Some(sg) => Server::InHouse(sg),
                None => {
                    problems.push(problem(
                        path,
                        l,
                        "server",
                        format!("no skill group '{}'", &r[1]),
                        "use the skill groups' ids",
                    ));
                    continue;
                }
            },
            "outsourcer" => match c.outsourcers.iter().position(|x| x.id == r[1]) {
                Some(o) => Server::Outsourcer(o),
                None => {
                    problems.push(problem(
                        path,
                        l,
                        "server",
                        format!("no outsourcer '{}'", &r[1]),
                        "use the outsourcers' ids",
                    ));
                    continue;
                }
            },
            other => {
                problems.push(problem(
                    path,
                    l,
                    "kind",
                    format!("'{other}' is neither in_house nor outsourcer"),
                    "write in_house or outsourcer",
                ));
                continue;
            }
        };
        out.push(AllocationRow {
            line,
            server,
            queue,
            interval,
            value,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
