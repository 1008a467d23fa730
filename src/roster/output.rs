//! The centre's roster as files: `roster.csv` (one row per agent and
//! shift, times with their UTC offsets) and one iCalendar file per agent.

use chrono::{DateTime, Duration};
use chrono_tz::Tz;

use super::centre::CentreRoster;
use crate::plan::options::Clock;
use crate::plan::Context;

/// The header of `roster.csv` (documented in `docs/formats.md`).
pub use crate::files::roster::ROSTER_HEADER;

/// Local time with its offset at `abs` minutes after the week's start.
fn at(clock: &Clock, abs: i64) -> DateTime<Tz> {
    (clock.start + Duration::minutes(abs)).with_timezone(&clock.tz)
}

/// One shift's times: start, end, and per break `(start, end)`.
struct Times {
    start: DateTime<Tz>,
    end: DateTime<Tz>,
    breaks: Vec<(DateTime<Tz>, DateTime<Tz>)>,
}

fn times(cx: &Context, clock: &Clock, s: &super::centre::AgentShift) -> Times {
    let opt = &cx.options[s.option];
    let t = &cx.inst.centre.shift_templates[opt.template];
    Times {
        start: at(clock, opt.start_abs),
        end: at(clock, opt.start_abs + i64::from(t.length_min)),
        breaks: s
            .breaks
            .iter()
            .zip(&t.breaks)
            .map(|(&off, b)| {
                let from = opt.start_abs + i64::from(off);
                (at(clock, from), at(clock, from + i64::from(b.length_min)))
            })
            .collect(),
    }
}

/// `roster.csv`: agent, name, group, date, template, start and end
/// (RFC 3339 with offset), paid hours, breaks as `start/end` intervals
/// joined by `;`, queues served joined by `;`.
pub fn roster_csv(cx: &Context, r: &CentreRoster) -> String {
    let c = &cx.inst.centre;
    let clock = Clock::new(cx.inst, &cx.req.grid);
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = ROSTER_HEADER.split(',').collect();
    w.write_record(&header).expect("in memory");
    for s in &r.shifts {
        let agent = &cx.inst.agents[s.agent];
        let opt = &cx.options[s.option];
        let t = &c.shift_templates[opt.template];
        let tm = times(cx, &clock, s);
        let breaks: Vec<String> = tm
            .breaks
            .iter()
            .map(|(a, b)| format!("{}/{}", a.to_rfc3339(), b.to_rfc3339()))
            .collect();
        let queues: Vec<&str> = s.queues.iter().map(|&q| c.queues[q].id.as_str()).collect();
        w.write_record([
            agent.id.as_str(),
            agent.name.as_str(),
            cx.groups[s.group].id.as_str(),
            &cx.inst.dates()[opt.day].to_string(),
            t.id.as_str(),
            &tm.start.to_rfc3339(),
            &tm.end.to_rfc3339(),
            &format!("{:.2}", f64::from(t.paid_min()) / 60.0),
            &breaks.join(";"),
            &queues.join(";"),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 fields")
}

/// One iCalendar file per agent who works: `(agent id, file text)`. One
/// event per shift in UTC, breaks in the description; UID and DTSTAMP are
/// derived from the roster (not the clock), so the files are the same
/// bytes run to run.
pub fn ics(cx: &Context, r: &CentreRoster) -> Vec<(String, String)> {
    use icalendar::{Calendar, Component, EventLike};
    let c = &cx.inst.centre;
    let clock = Clock::new(cx.inst, &cx.req.grid);
    let utc = |t: &DateTime<Tz>| t.with_timezone(&chrono::Utc);
    let mut out: Vec<(String, String)> = Vec::new();
    for shifts in r.shifts.chunk_by(|a, b| a.agent == b.agent) {
        let a = &cx.inst.agents[shifts[0].agent];
        let mut cal = Calendar::new();
        cal.name(&format!("{} — {}", a.name, c.name));
        for sh in shifts {
            let opt = &cx.options[sh.option];
            let t = &c.shift_templates[opt.template];
            let tm = times(cx, &clock, sh);
            let breaks: Vec<String> = tm
                .breaks
                .iter()
                .map(|(b0, b1)| format!("break {}–{}", b0.format("%H:%M"), b1.format("%H:%M")))
                .collect();
            let queues: Vec<&str> = sh.queues.iter().map(|&q| c.queues[q].id.as_str()).collect();
            cal.push(
                icalendar::Event::new()
                    .uid(&format!(
                        "{}-{}@slaplan",
                        a.id,
                        utc(&tm.start).format("%Y%m%dT%H%M%SZ")
                    ))
                    .timestamp(clock.start)
                    .starts(utc(&tm.start))
                    .ends(utc(&tm.end))
                    .summary(&format!("{} shift ({})", t.id, queues.join(", ")))
                    .description(&breaks.join("; "))
                    .done(),
            );
        }
        out.push((a.id.clone(), cal.done().to_string()));
    }
    out
}

/// `allocation.csv`: per interval, the agents of each skill group the plan
/// puts on each queue (`in_house`, agents before shrinkage) and the
/// contacts it sends to each outsourcer (`outsourcer`). `slaplan check`
/// verifies the roster's agents hold it and recomputes the SLAs from it.
pub fn allocation_csv(cx: &Context, s: &crate::plan::Solution) -> String {
    use std::collections::BTreeMap;
    let c = &cx.inst.centre;
    let mut out = format!("{}\n", crate::files::roster::ALLOCATION_HEADER);
    // (skill group, queue, interval) -> agents, in a fixed order.
    let mut by_sg: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    for (g, list) in s.by_group.iter().enumerate() {
        for &(q, i, n) in list {
            *by_sg.entry((cx.groups[g].skill_group, q, i)).or_default() += n;
        }
    }
    let when = |i: usize| {
        let g = &cx.req.grid[i];
        format!("{},{}", g.local.format("%Y-%m-%dT%H:%M"), g.repeated_hour)
    };
    for ((sg, q, i), n) in by_sg.into_iter().filter(|(_, n)| *n > 1e-9) {
        out.push_str(&format!(
            "in_house,{},{},{},{n}\n",
            c.skill_groups[sg].id,
            c.queues[q].id,
            when(i)
        ));
    }
    for (o, per_q) in s.sent.iter().enumerate() {
        for (q, per_i) in per_q.iter().enumerate() {
            for (i, &k) in per_i.iter().enumerate().filter(|(_, k)| **k > 1e-9) {
                out.push_str(&format!(
                    "outsourcer,{},{},{},{k}\n",
                    c.outsourcers[o].id,
                    c.queues[q].id,
                    when(i)
                ));
            }
        }
    }
    out
}
