//! `roster.csv` and `allocation.csv`: their headers and readers (the
//! roster writes them; the checker, the simulation and the benches read
//! them back through [`read_roster`] and [`read_allocation`]), and the
//! counts of the roster that `plan.json` and `slaplan check` both report.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::input::{Code, Problem};
use crate::model::Instance;

/// The header of `roster.csv` (documented in `docs/formats.md`).
pub const ROSTER_HEADER: &str = "agent,name,group,date,template,start,end,paid_hours,breaks,queues";

/// The header of `allocation.csv` (documented in `docs/formats.md`).
pub const ALLOCATION_HEADER: &str = "kind,server,queue,interval_start,repeated_hour,value";

/// Weekend days and late shifts per agent, fewest and most, for one
/// planning group of two agents or more (skill group, contract, site).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FairnessCount {
    pub group: String,
    pub agents: usize,
    pub weekend_days: (usize, usize),
    pub late_shifts: (usize, usize),
}

/// The instance's shift-on and shift-off requests against the roster.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct RequestCount {
    pub granted: usize,
    pub not_granted: usize,
    /// Sum of the weights of those not granted.
    pub weight_not_granted: f64,
}

/// One `roster.csv` row as written, before it is resolved against an
/// instance (what the report reads; [`read_roster`] resolves it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterRecord {
    pub agent: String,
    pub name: String,
    /// `skill group/contract[/site]`.
    pub group: String,
    pub date: String,
    pub template: String,
    /// Local start with its offset (RFC 3339).
    pub start: String,
    pub end: String,
    pub paid_hours: String,
    /// `start/end` pairs joined by `;`.
    pub breaks: String,
    /// Queue ids joined by `;`, in the skill group's priority order.
    pub queues: String,
}

impl RosterRecord {
    /// The breaks as `(start, end)` texts; `Err` names a part that is not
    /// `start/end`.
    pub fn break_pairs(&self) -> Result<Vec<(&str, &str)>, String> {
        self.breaks
            .split(';')
            .filter(|b| !b.is_empty())
            .map(|b| b.split_once('/').ok_or_else(|| b.to_string()))
            .collect()
    }
}

/// `roster.csv` of `records`, in their order.
pub fn roster_csv(records: &[RosterRecord]) -> String {
    super::csv_of(ROSTER_HEADER, records)
}

/// `allocation.csv` of `rows` on the week's intervals `grid`.
pub fn allocation_csv(
    inst: &Instance,
    grid: &[crate::requirements::Interval],
    rows: &[AllocationRow],
) -> String {
    let c = &inst.centre;
    let mut out = format!("{ALLOCATION_HEADER}\n");
    for r in rows {
        let g = &grid[r.interval];
        let (kind, server) = match r.server {
            Server::InHouse(sg) => ("in_house", c.skill_groups[sg].id.as_str()),
            Server::Outsourcer(o) => ("outsourcer", c.outsourcers[o].id.as_str()),
            Server::Calibration => ("calibration", "simulation"),
        };
        out.push_str(&format!(
            "{kind},{server},{},{},{},{}\n",
            c.queues[r.queue].id,
            g.local.format("%Y-%m-%dT%H:%M"),
            g.repeated_hour,
            r.value
        ));
    }
    out
}

/// Reads `roster.csv` as written: each row with its line, or every
/// problem found.
pub fn read_records(path: &Path) -> Result<Vec<(usize, RosterRecord)>, Vec<Problem>> {
    super::read_rows(path, ROSTER_HEADER, "roster")
}

/// The week's first instant (midnight of its Monday in the model's zone).
pub fn week_start(inst: &Instance) -> DateTime<Utc> {
    let midnight = inst.week_start.and_hms_opt(0, 0, 0).expect("midnight");
    inst.centre
        .time_zone
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
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
    /// Not a server: the agents present the queue gains (negative: loses)
    /// against the queueing tables, as the plan's verification by
    /// simulation calibrated it; the projection counts them.
    Calibration,
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
    let header = ROSTER_HEADER;
    let rows = super::read_csv(path, header, "see docs/formats.md")?;
    let origin = week_start(inst);
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
        // The paid hours the row states are the template's (length less
        // unpaid breaks): anything else is a roster claiming what it is not.
        let pays = f64::from(c.shift_templates[template].paid_min()) / 60.0;
        match r[7].trim().parse::<f64>() {
            Ok(h) if h.is_finite() && (h - pays).abs() < 0.005 => {}
            Ok(h) if h.is_finite() => bad(
                "paid_hours",
                format!("{h} paid hours, but template '{}' pays {pays:.2}", &r[4]),
                "write the template's paid hours (its length less unpaid breaks)",
            ),
            _ => bad(
                "paid_hours",
                format!("'{}' is not a number of hours", &r[7]),
                "write the template's paid hours, e.g. 7.00",
            ),
        }
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

/// Reads `allocation.csv` against the week's intervals `grid`: every row resolved to
/// its server, queue and interval; or every problem with its line.
pub fn read_allocation(
    inst: &Instance,
    grid: &[crate::requirements::Interval],
    path: &Path,
) -> Result<Vec<AllocationRow>, Vec<Problem>> {
    let c = &inst.centre;
    let index = crate::requirements::grid_index(grid);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in super::read_csv(path, ALLOCATION_HEADER, "see docs/formats.md")? {
        let l = Some(line);
        let q = c.queues.iter().position(|x| x.id == r[2]);
        let i = crate::input::csvfile::parse_datetime(&r[3])
            .and_then(|t| index.get(&(t, &r[4] == "true")).copied());
        // A calibration may be negative; agents and contacts may not.
        let signed = &r[0] == "calibration";
        let value = r[5]
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && (signed || *x >= 0.0));
        let (Some(queue), Some(interval), Some(value)) = (q, i, value) else {
            problems.push(problem(
                path,
                l,
                "",
                format!(
                    "'{}' names no queue, interval and value of the week (non-negative but for a calibration)",
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
            "calibration" => Server::Calibration,
            other => {
                problems.push(problem(
                    path,
                    l,
                    "kind",
                    format!("'{other}' is none of in_house, outsourcer, calibration"),
                    "write in_house, outsourcer or calibration",
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
