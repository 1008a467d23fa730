//! The centre's roster as files: `roster.csv` (one row per agent and
//! shift, times with their UTC offsets) and one iCalendar file per agent.

use chrono::DateTime;
use chrono_tz::Tz;

use super::centre::CentreRoster;
use crate::files::roster::{AllocationRow, RosterRecord, Server, LOCAL_FORMAT};
use crate::plan::Context;

/// The header of `roster.csv` (documented in `docs/formats.md`).
pub use crate::files::roster::ROSTER_HEADER;

/// One shift's times: start, end, and per break `(start, end)`.
struct Times {
    start: DateTime<Tz>,
    end: DateTime<Tz>,
    breaks: Vec<(DateTime<Tz>, DateTime<Tz>)>,
}

/// One shift in real minutes after the week's start: start, end, and per
/// break `(start, end)`.
fn minutes(cx: &Context, s: &super::centre::AgentShift) -> (i64, i64, Vec<(i64, i64)>) {
    let opt = &cx.options[s.option];
    let t = &cx.inst.centre.shift_templates[opt.template];
    // In the order they start (the template's breaks may be taken in
    // another order where their windows overlap).
    let mut breaks: Vec<(i64, i64)> = s
        .breaks
        .iter()
        .zip(&t.breaks)
        .map(|(&off, b)| {
            let from = opt.start_abs + i64::from(off);
            (from, from + i64::from(b.length_min))
        })
        .collect();
    breaks.sort_unstable();
    (
        opt.start_abs,
        opt.start_abs + i64::from(t.length_min),
        breaks,
    )
}

/// The shift's times on the clock of the agent's site (the centre's for
/// an agent without one).
fn times(cx: &Context, s: &super::centre::AgentShift) -> Times {
    let clock = &cx.clock;
    let (start, end, breaks) = minutes(cx, s);
    let zone = cx.inst.centre.zone(cx.inst.agents[s.agent].site);
    Times {
        start: clock.at(zone, start),
        end: clock.at(zone, end),
        breaks: breaks
            .into_iter()
            .map(|(a, b)| (clock.at(zone, a), clock.at(zone, b)))
            .collect(),
    }
}

/// `roster.csv`: agent, name, group, date, template, start and end
/// (local `YYYY-MM-DD HH:MM`) with their UTC offsets, paid hours, breaks
/// as local `HH:MM-HH:MM` in the order they start joined by `;`, queues
/// served joined by `;`.
pub fn roster_csv(cx: &Context, r: &CentreRoster) -> String {
    crate::files::roster::roster_csv(&roster_records(cx, r))
}

/// The roster's rows as `roster.csv` states them.
pub fn roster_records(cx: &Context, r: &CentreRoster) -> Vec<RosterRecord> {
    let c = &cx.inst.centre;
    r.shifts
        .iter()
        .map(|s| {
            let agent = &cx.inst.agents[s.agent];
            let opt = &cx.options[s.option];
            let t = &c.shift_templates[opt.template];
            let tm = times(cx, s);
            let breaks: Vec<String> = tm
                .breaks
                .iter()
                .map(|(a, b)| format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")))
                .collect();
            let queues: Vec<&str> = s.queues.iter().map(|&q| c.queues[q].id.as_str()).collect();
            RosterRecord {
                agent: agent.id.clone(),
                name: agent.name.clone(),
                group: cx.groups[s.group].id.clone(),
                date: cx.inst.dates()[opt.day].to_string(),
                template: t.id.clone(),
                start: tm.start.format(LOCAL_FORMAT).to_string(),
                end: tm.end.format(LOCAL_FORMAT).to_string(),
                utc_offset: tm.start.format("%:z").to_string(),
                end_utc_offset: tm.end.format("%:z").to_string(),
                paid_hours: format!("{:.2}", f64::from(t.paid_min()) / 60.0),
                breaks: breaks.join(";"),
                queues: queues.join(";"),
            }
        })
        .collect()
}

/// One iCalendar file per agent who works: `(agent id, file text)`. One
/// event per shift in UTC, breaks in the description in the agent's own
/// time (their site's zone, else the centre's, named); UID and DTSTAMP
/// are derived from the roster (not the clock), so the files are the same
/// bytes run to run.
pub fn ics(
    cx: &Context,
    r: &CentreRoster,
    visits: &[(usize, &super::visits::Block)],
) -> Vec<(String, String)> {
    use icalendar::{Calendar, Component, EventLike};
    let c = &cx.inst.centre;
    let utc = |t: &DateTime<Tz>| t.with_timezone(&chrono::Utc);
    let mut out: Vec<(String, String)> = Vec::new();
    for shifts in r.shifts.chunk_by(|a, b| a.agent == b.agent) {
        let a = &cx.inst.agents[shifts[0].agent];
        // A New York agent's breaks in New York time (the times are on
        // the agent's clock), the zone named.
        let zone = c.zone(a.site);
        let mut cal = Calendar::new();
        cal.name(&format!("{} — {}", a.name, c.name));
        for sh in shifts {
            let opt = &cx.options[sh.option];
            let t = &c.shift_templates[opt.template];
            let tm = times(cx, sh);
            let breaks: Vec<String> = tm
                .breaks
                .iter()
                .map(|(b0, b1)| {
                    format!(
                        "break {}–{} {}",
                        b0.format("%H:%M"),
                        b1.format("%H:%M"),
                        zone
                    )
                })
                .collect();
            let queues: Vec<&str> = sh.queues.iter().map(|&q| c.queues[q].id.as_str()).collect();
            cal.push(
                icalendar::Event::new()
                    .uid(&format!(
                        "{}-{}@slaplan",
                        a.id,
                        utc(&tm.start).format("%Y%m%dT%H%M%SZ")
                    ))
                    .timestamp(cx.clock.start)
                    .starts(utc(&tm.start))
                    .ends(utc(&tm.end))
                    .summary(&format!("{} shift ({})", t.id, queues.join(", ")))
                    .description(&breaks.join("; "))
                    .done(),
            );
        }
        // The engineer's field-visit blocks (`visits.csv`): out of the
        // office from leaving to back.
        for (_, b) in visits.iter().filter(|(agent, _)| *agent == shifts[0].agent) {
            let at = |s: f64| cx.clock.at(zone, (s / 60.0).round() as i64);
            let (leave, back) = (at(b.leave_s), at(b.back_s));
            let travel = c.queues[b.queue].sla.travel_s;
            cal.push(
                icalendar::Event::new()
                    .uid(&format!(
                        "{}-visit-{}@slaplan",
                        a.id,
                        utc(&leave).format("%Y%m%dT%H%M%SZ")
                    ))
                    .timestamp(cx.clock.start)
                    .starts(utc(&leave))
                    .ends(utc(&back))
                    .summary(&format!("field visit block ({})", c.queues[b.queue].id))
                    .description(&format!(
                        "leave {}, on site {}–{}, back {} {}",
                        leave.format("%H:%M"),
                        at(b.leave_s + travel).format("%H:%M"),
                        at(b.back_s - travel).format("%H:%M"),
                        back.format("%H:%M"),
                        zone
                    ))
                    .done(),
            );
        }
        out.push((a.id.clone(), cal.done().to_string()));
    }
    out
}

/// `allocation.csv`'s rows: per interval, the agents of each skill group
/// the plan puts on each queue (agents before shrinkage), the contacts it
/// sends to each outsourcer, and the agents present the verification by
/// simulation found each voice queue to gain or lose (`calibration`).
pub fn allocation_rows(cx: &Context, s: &crate::plan::Solution) -> Vec<AllocationRow> {
    use std::collections::BTreeMap;
    let c = &cx.inst.centre;
    // (skill group, queue, interval) -> agents, in a fixed order.
    let mut by_sg: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    for (g, list) in s.by_group.iter().enumerate() {
        for &(q, i, n) in list {
            *by_sg.entry((cx.groups[g].skill_group, q, i)).or_default() += n;
        }
    }
    let row = |server, queue, interval, value| AllocationRow {
        line: 0,
        server,
        queue,
        interval,
        value,
    };
    let mut out: Vec<AllocationRow> = by_sg
        .into_iter()
        .filter(|(_, n)| *n > 1e-9)
        .map(|((sg, q, i), n)| row(Server::InHouse(sg), q, i, n))
        .collect();
    for (o, per_q) in s.sent.iter().enumerate() {
        for (q, per_i) in per_q.iter().enumerate() {
            for (i, &k) in per_i.iter().enumerate().filter(|(_, k)| **k > 1e-9) {
                out.push(row(Server::Outsourcer(o), q, i, k));
            }
        }
    }
    for q in 0..c.queues.len() {
        for i in 0..cx.intervals() {
            let gained = cx.calibration(q, i);
            if gained.abs() > 1e-9 {
                out.push(row(Server::Calibration, q, i, gained));
            }
        }
    }
    out
}

/// `allocation.csv` (see [`allocation_rows`]); `slaplan check` verifies
/// the roster's agents hold it and recomputes the SLAs from it.
pub fn allocation_csv(cx: &Context, s: &crate::plan::Solution) -> String {
    crate::files::roster::allocation_csv(cx.inst, &cx.req.grid, &allocation_rows(cx, s))
}

/// The roster as `read_roster` reads `roster.csv` back: one row per shift
/// in real minutes after the week's start, sorted by agent and start.
pub fn roster_rows(cx: &Context, r: &CentreRoster) -> Vec<crate::files::roster::Row> {
    let mut rows: Vec<crate::files::roster::Row> = r
        .shifts
        .iter()
        .map(|s| {
            let opt = &cx.options[s.option];
            let (start, end, breaks) = minutes(cx, s);
            crate::files::roster::Row {
                agent: s.agent,
                day: opt.day,
                template: opt.template,
                start,
                end,
                breaks,
                queues: s.queues.clone(),
            }
        })
        .collect();
    rows.sort_by_key(|r| (r.agent, r.start));
    rows
}

/// A stretch of real minutes `[start, end)` after the week's start on
/// `zone`'s clock, as the files write it: local start and end
/// (`LOCAL_FORMAT`) and their UTC offsets.
pub fn local_span(
    clock: &crate::plan::options::Clock,
    zone: Tz,
    start: i64,
    end: i64,
) -> [String; 4] {
    let (s, e) = (clock.at(zone, start), clock.at(zone, end));
    [
        s.format(LOCAL_FORMAT).to_string(),
        e.format(LOCAL_FORMAT).to_string(),
        s.format("%:z").to_string(),
        e.format("%:z").to_string(),
    ]
}
