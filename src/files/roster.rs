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
pub const ROSTER_HEADER: &str =
    "agent,name,group,date,template,start,end,utc_offset,end_utc_offset,paid_hours,breaks,queues";

/// The header of `allocation.csv` (documented in `docs/formats.md`).
pub const ALLOCATION_HEADER: &str =
    "kind,server,queue,interval_start,repeated_hour,agents,contacts";

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
    /// Local start, `YYYY-MM-DD HH:MM` (a date-time a spreadsheet reads).
    pub start: String,
    /// Local end, the same way.
    pub end: String,
    /// The start's offset from UTC, `+01:00`.
    pub utc_offset: String,
    /// The end's (another than the start's when the clocks change during
    /// the shift).
    pub end_utc_offset: String,
    pub paid_hours: String,
    /// Local `HH:MM-HH:MM` breaks in the order they start, joined by `;`.
    pub breaks: String,
    /// Queue ids joined by `;`, in the skill group's priority order.
    pub queues: String,
}

/// A shift's instants as a roster row states them.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTimes {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    /// In the order they start.
    pub breaks: Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
}

/// The local date-time format of `start` and `end`.
pub const LOCAL_FORMAT: &str = "%Y-%m-%d %H:%M";

impl RosterRecord {
    /// `start`, `end` and `breaks` as instants: the local times with
    /// their offsets; a break's clock times are the first at or after the
    /// shift's start (past midnight, the next day's), at the start's offset
    /// or, when the clocks change during the shift and only the end's puts
    /// it within the shift, the end's. `Err` is the field that does not
    /// read and why.
    pub fn times(&self) -> Result<ShiftTimes, (&'static str, String)> {
        let at = |local: &str, offset: &str, field: &'static str| {
            DateTime::parse_from_str(&format!("{local} {offset}"), "%Y-%m-%d %H:%M %:z").map_err(|_| {
                (
                    field,
                    format!("'{local}' at offset '{offset}' is not a local date-time YYYY-MM-DD HH:MM with an offset like +01:00"),
                )
            })
        };
        let start = at(&self.start, &self.utc_offset, "start")?;
        let end = at(&self.end, &self.end_utc_offset, "end")?;
        if end <= start {
            return Err(("end", format!("{} is not after {}", self.end, self.start)));
        }
        let offsets = [*start.offset(), *end.offset()];
        let mut breaks = Vec::new();
        for b in self.breaks.split(';').filter(|b| !b.is_empty()) {
            let bad = || {
                (
                    "breaks",
                    format!("'{b}' is not a break HH:MM-HH:MM within the shift"),
                )
            };
            let (a, z) = b.split_once('-').ok_or_else(bad)?;
            let clock = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| bad());
            let (a, z) = (clock(a)?, clock(z)?);
            // The first such clock time at or after `from`, local.
            let next = |from: chrono::NaiveDateTime, t: chrono::NaiveTime| {
                let same = from.date().and_time(t);
                if same < from {
                    same + chrono::Duration::days(1)
                } else {
                    same
                }
            };
            let la = next(start.naive_local(), a);
            let lz = next(la, z);
            // At the offset that puts it within the shift, if one does
            // (the checker flags a break outside its window).
            let real = |local: chrono::NaiveDateTime| {
                let at = |o: &FixedOffset| o.from_local_datetime(&local).single();
                offsets
                    .iter()
                    .filter_map(at)
                    .find(|t| start <= *t && *t <= end)
                    .or_else(|| at(&offsets[0]))
            };
            match (real(la), real(lz)) {
                (Some(x), Some(y)) if x < y => breaks.push((x, y)),
                _ => return Err(bad()),
            }
        }
        Ok(ShiftTimes { start, end, breaks })
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
        // One quantity per column: agents for a skill group (and a
        // calibration), contacts for an outsourcer.
        let value = super::fixed(r.value, 6);
        let (agents, contacts) = match r.server {
            Server::Outsourcer(_) => ("", value.as_str()),
            _ => (value.as_str(), ""),
        };
        out.push_str(&format!(
            "{kind},{server},{},{},{},{agents},{contacts}\n",
            c.queues[r.queue].id,
            g.local.format("%Y-%m-%dT%H:%M"),
            g.repeated_hour,
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
    crate::plan::options::week_origin(inst)
}

/// What `rows`, the roster of `before`'s week, leave each agent at the
/// start of the week after (see [`crate::model::Carry`]): the days worked
/// or off in a row up to the Sunday (a whole week of them adds to what
/// `before` carried), and when the last shift ended, in the next week's
/// minutes. Agents are matched by their order, as a horizon plans the same
/// agents every week.
pub fn carry(before: &Instance, rows: &[Row]) -> crate::model::Carry {
    let next = crate::plan::options::origin_of(before, before.week_start + chrono::Days::new(7));
    let shift = (next - week_start(before)).num_minutes();
    let agents = (0..before.agents.len())
        .map(|a| {
            let prior = before.carry.of(a);
            let mut days = [false; 7];
            let mut last_end = prior.last_end.map(|e| e - shift);
            for r in rows.iter().filter(|r| r.agent == a) {
                days[r.day] = true;
                last_end = Some(last_end.map_or(r.end - shift, |e| e.max(r.end - shift)));
            }
            let on = days.iter().rev().take_while(|&&x| x).count() as u32;
            let off = days.iter().rev().take_while(|&&x| !x).count() as u32;
            crate::model::AgentCarry {
                run: if on == 7 { prior.run + 7 } else { on },
                off_run: if off == 7 {
                    prior.off_run.saturating_add(7)
                } else {
                    off
                },
                last_end,
                banked_min: 0,
            }
        })
        .collect();
    // The work left undone and the months' counts are the service
    // count's, the on-call duties the rota's, the hours bank the
    // horizon's (`pipeline::horizon`), not the roster's alone.
    crate::model::Carry {
        agents,
        ..crate::model::Carry::default()
    }
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

/// Reads `roster.csv`: every row placed in real time, sorted by agent and
/// start; or every problem with its line.
pub fn read_roster(inst: &Instance, path: &Path) -> Result<Vec<Row>, Vec<Problem>> {
    let c = &inst.centre;
    // Every field a string: a row that is CSV reads as a record.
    let rows = read_records(path)?;
    let origin = week_start(inst);
    let dates = inst.dates();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in rows {
        let l = Some(line);
        let mut bad = |field: &str, message: String, hint: &str| {
            problems.push(problem(path, l, field, message, hint))
        };
        let Some(agent) = inst.agents.iter().position(|a| a.id == r.agent) else {
            bad(
                "agent",
                format!("no agent '{}' in the instance", &r.agent),
                "use the agents' ids of the instance",
            );
            continue;
        };
        let Some(template) = c.shift_templates.iter().position(|t| t.id == r.template) else {
            bad(
                "template",
                format!("no shift template '{}'", &r.template),
                "use the templates' ids of the instance",
            );
            continue;
        };
        let Some(day) = NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
            .ok()
            .and_then(|d| dates.iter().position(|x| *x == d))
        else {
            bad(
                "date",
                format!("'{}' is not a date of the week", &r.date),
                "write YYYY-MM-DD, within the instance's week",
            );
            continue;
        };
        let times = match r.times() {
            Ok(t) => t,
            Err((field, message)) => {
                bad(
                    field,
                    message,
                    "write local times as 2003-03-03 08:00 with their offsets (+01:00), breaks as 12:00-12:30 joined by ';'",
                );
                continue;
            }
        };
        let (start, end) = (times.start, times.end);
        // The paid hours the row states are the template's (length less
        // unpaid breaks): anything else is a roster claiming what it is not.
        let pays = f64::from(c.shift_templates[template].paid_min()) / 60.0;
        match r.paid_hours.trim().parse::<f64>() {
            Ok(h) if h.is_finite() && (h - pays).abs() < 0.005 => {}
            Ok(h) if h.is_finite() => bad(
                "paid_hours",
                format!(
                    "{h} paid hours, but template '{}' pays {pays:.2}",
                    &r.template
                ),
                "write the template's paid hours (its length less unpaid breaks)",
            ),
            _ => bad(
                "paid_hours",
                format!("'{}' is not a number of hours", &r.paid_hours),
                "write the template's paid hours, e.g. 7.00",
            ),
        }
        let real = |t: &DateTime<FixedOffset>| (t.with_timezone(&Utc) - origin).num_minutes();
        let breaks: Vec<(i64, i64)> = times
            .breaks
            .iter()
            .map(|(a, z)| (real(a), real(z)))
            .collect();
        let mut queues = Vec::new();
        for q in r.queues.split(';').filter(|s| !s.is_empty()) {
            match c.queues.iter().position(|x| x.id == q) {
                Some(q) => queues.push(q),
                None => bad(
                    "queues",
                    format!("no queue '{q}'"),
                    "use the queues' ids of the instance",
                ),
            }
        }
        // The local time must carry the offset of the agent's zone (their
        // site's, else the centre's) at that time.
        let zone = c.zone(inst.agents[agent].site);
        if let Some((field, t)) = [("start", start), ("end", end)]
            .into_iter()
            .find(|(_, t)| t.with_timezone(&zone).naive_local() != t.naive_local())
        {
            bad(
                field,
                format!("{t} does not carry {zone}'s offset, the agent's clock"),
                "write each agent's local times with the offset their site's zone has then",
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
        // A calibration may be negative; agents and contacts may not. An
        // outsourcer's row counts contacts, every other agents, never both.
        let signed = &r[0] == "calibration";
        let (given, other) = if &r[0] == "outsourcer" {
            (&r[6], &r[5])
        } else {
            (&r[5], &r[6])
        };
        let value = given
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && (signed || *x >= 0.0) && other.is_empty());
        let (Some(queue), Some(interval), Some(value)) = (q, i, value) else {
            problems.push(problem(
                path,
                l,
                "",
                format!(
                    "'{}' names no queue, interval and quantity of the week (agents for a skill group or a calibration, contacts for an outsourcer, never both; non-negative but for a calibration)",
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

#[cfg(test)]
mod record_tests {
    use super::*;

    fn night(breaks: &str) -> RosterRecord {
        RosterRecord {
            agent: "A1".into(),
            name: "A".into(),
            group: "g/c".into(),
            date: "2024-10-26".into(),
            template: "night".into(),
            start: "2024-10-26 22:00".into(),
            end: "2024-10-27 06:00".into(),
            utc_offset: "+02:00".into(),
            end_utc_offset: "+01:00".into(),
            paid_hours: "8.00".into(),
            breaks: breaks.into(),
            queues: "q".into(),
        }
    }

    /// Paris falls back at 03:00 on 27 October 2024: a night shift of 22:00
    /// to 06:00 lasts nine real hours; a break past midnight is the next
    /// day's, and one in the repeated hour is placed within the shift.
    #[test]
    fn local_times_with_offsets_read_as_instants_over_midnight_and_a_clock_change() {
        let t = night("23:30-23:45;00:15-00:30;02:30-02:45")
            .times()
            .unwrap();
        assert_eq!((t.end - t.start).num_hours(), 9);
        let utc = |d: &DateTime<FixedOffset>| d.with_timezone(&Utc).format("%d %H:%M").to_string();
        assert_eq!(utc(&t.start), "26 20:00");
        let b: Vec<String> = t
            .breaks
            .iter()
            .map(|(a, z)| format!("{}-{}", utc(a), utc(z)))
            .collect();
        assert_eq!(
            b,
            [
                "26 21:30-26 21:45",
                "26 22:15-26 22:30",
                "27 00:30-27 00:45"
            ]
        );
        let (field, why) = night("12h00").times().unwrap_err();
        assert_eq!(field, "breaks");
        assert!(why.contains("'12h00'"), "{why}");
        let mut r = night("");
        r.start = "2024-10-26T22:00:00+02:00".into();
        assert_eq!(r.times().unwrap_err().0, "start");
    }
}
