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

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

use super::Violation;
use crate::input::{Code, Problem};
use crate::model::{Instance, ShiftTemplate, SlaScope, Wish};

/// The header of `allocation.csv` (documented in `docs/formats.md`).
pub const ALLOCATION_HEADER: &str = "kind,server,queue,interval_start,repeated_hour,value";

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

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FairnessCount {
    pub group: String,
    pub agents: usize,
    pub weekend_days: (usize, usize),
    pub late_shifts: (usize, usize),
}

/// The instance's shift-on and shift-off requests against the roster.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct RequestCount {
    pub granted: usize,
    pub not_granted: usize,
    /// Sum of the weights of those not granted.
    pub weight_not_granted: f64,
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

/// The week's first instant.
fn week_start(inst: &Instance) -> DateTime<Utc> {
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

fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// Reads `roster.csv`: every row placed in real time, sorted by agent and
/// start; or every problem with its line.
pub fn read_roster(inst: &Instance, path: &Path) -> Result<Vec<Row>, Vec<Problem>> {
    let c = &inst.centre;
    let header = crate::roster::output::ROSTER_HEADER;
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

/// Whether `t` may be worked by contract `k` at `site`.
fn eligible(inst: &Instance, t: &ShiftTemplate, k: usize, site: Option<usize>) -> bool {
    (t.contracts.is_empty() || t.contracts.contains(&k))
        && (t.site.is_none() || site.is_none() || t.site == site)
        && t.paid_min() <= inst.centre.contracts[k].max_day_min
}

/// Agent-days the week's strikes leave agent `a`'s peers (same skill
/// group, contract and site), and those they could work without strikes:
/// per day, those who could work less the striking share, rounded up.
fn strike_left(inst: &Instance, a: usize) -> (u64, u64) {
    let me = &inst.agents[a];
    let dates = inst.dates();
    let peers: Vec<usize> = (0..inst.agents.len())
        .filter(|&b| {
            let x = &inst.agents[b];
            (x.skill_group, x.contract, x.site) == (me.skill_group, me.contract, me.site)
        })
        .collect();
    (0..7).fold((0, 0), |(kept, could), d| {
        let can = peers.iter().filter(|&&b| could_work(inst, b, d)).count() as u64;
        let share = inst
            .strikes
            .iter()
            .filter(|s| s.skill_group == me.skill_group && s.dates.contains(&dates[d]))
            .map(|s| s.share)
            .fold(0.0_f64, f64::max);
        let out = ((can as f64 * share) - 1e-9).ceil().max(0.0) as u64;
        (kept + can - out.min(can), could + can)
    })
}

/// Whether agent `a` could start some shift on day `d` (a template of
/// theirs runs then and some start leaves them free).
fn could_work(inst: &Instance, a: usize, d: usize) -> bool {
    let agent = &inst.agents[a];
    let date = inst.dates()[d];
    let tz = inst.centre.time_zone;
    inst.centre.shift_templates.iter().any(|t| {
        eligible(inst, t, agent.contract, agent.site)
            && t.days[d]
            && t.starts().any(|s| {
                let from =
                    date.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(i64::from(s));
                let to = from + Duration::minutes(i64::from(t.length_min));
                tz.from_local_datetime(&from).single().is_some()
                    && agent
                        .unavailable
                        .iter()
                        .all(|(x, y)| *y <= from || to <= *x)
            })
    })
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
    let dates = inst.dates();
    let mut v: Vec<Violation> = Vec::new();
    let mut flag = |who: &str, day: Option<usize>, rule: &'static str, detail: String| {
        v.push(Violation {
            who: who.into(),
            day: day.map(|d| dates[d].to_string()),
            rule,
            detail,
        });
    };
    let origin = week_start(inst);
    let local = |m: i64| {
        (origin + Duration::minutes(m))
            .with_timezone(&c.time_zone)
            .naive_local()
    };
    // Row by row: the shift against its template, the agent and the week.
    for r in &rows {
        let a = &inst.agents[r.agent];
        let t = &c.shift_templates[r.template];
        let who = a.id.as_str();
        let d = Some(r.day);
        let start = local(r.start);
        let minute = (start - dates[r.day].and_hms_opt(0, 0, 0).expect("midnight")).num_minutes();
        if !t.days[r.day] {
            flag(
                who,
                d,
                "template_day",
                format!("{} does not run on {}", t.id, dates[r.day].weekday()),
            );
        }
        if !t.starts().any(|s| i64::from(s) == minute) {
            flag(
                who,
                d,
                "template_start",
                format!("{} cannot start at {}", t.id, start.format("%H:%M")),
            );
        }
        if r.end - r.start != i64::from(t.length_min) {
            flag(
                who,
                d,
                "shift_length",
                format!(
                    "{} lasts {} min, not {}",
                    t.id,
                    r.end - r.start,
                    t.length_min
                ),
            );
        }
        if !eligible(inst, t, a.contract, a.site) {
            flag(
                who,
                d,
                "contract",
                format!(
                    "{} is not a shift of contract {}{}",
                    t.id,
                    c.contracts[a.contract].id,
                    a.site
                        .map(|s| format!(" at {}", c.sites[s].id))
                        .unwrap_or_default()
                ),
            );
        }
        let (from, to) = (local(r.start), local(r.end));
        for (x, y) in &a.unavailable {
            if *x < to && from < *y {
                flag(
                    who,
                    d,
                    "availability",
                    format!(
                        "works {}–{} but is unavailable {}–{}",
                        from.format("%a %H:%M"),
                        to.format("%a %H:%M"),
                        x.format("%a %H:%M"),
                        y.format("%a %H:%M")
                    ),
                );
            }
        }
        if r.breaks.len() != t.breaks.len() {
            flag(
                who,
                d,
                "breaks",
                format!(
                    "{} breaks, the template has {}",
                    r.breaks.len(),
                    t.breaks.len()
                ),
            );
        } else {
            let mut placed: Vec<(i64, i64)> = r.breaks.clone();
            placed.sort_unstable();
            for (k, ((bs, be), b)) in r.breaks.iter().zip(&t.breaks).enumerate() {
                let off = bs - r.start;
                if off < i64::from(b.earliest_start_min)
                    || off > i64::from(b.latest_start_min)
                    || be - bs != i64::from(b.length_min)
                {
                    flag(who, d, "breaks", format!("break {} at +{off} min for {} min: the window is +{}..+{} min for {} min", k + 1, be - bs, b.earliest_start_min, b.latest_start_min, b.length_min));
                }
            }
            if placed.windows(2).any(|w| w[1].0 < w[0].1) {
                flag(who, d, "breaks", "breaks overlap".into());
            }
        }
        let skills = &c.skill_groups[a.skill_group].queues;
        for q in r.queues.iter().filter(|q| !skills.contains(q)) {
            flag(
                who,
                d,
                "skills",
                format!(
                    "serves {} outside skill group {}",
                    c.queues[*q].id, c.skill_groups[a.skill_group].id
                ),
            );
        }
    }
    // Agent by agent: the contract's week.
    for (ai, a) in inst.agents.iter().enumerate() {
        let agent_rows: Vec<&Row> = rows.iter().filter(|r| r.agent == ai).collect();
        let k = &c.contracts[a.contract];
        let who = a.id.as_str();
        let mut days = [false; 7];
        for w in agent_rows.windows(2) {
            if w[0].day == w[1].day {
                flag(
                    who,
                    Some(w[1].day),
                    "one_shift_per_day",
                    "two shifts start the same day".into(),
                );
            }
            let rest = w[1].start - w[0].end;
            if rest < i64::from(k.min_rest_min) {
                flag(
                    who,
                    Some(w[1].day),
                    "min_rest",
                    format!(
                        "{} min of rest before this shift, the contract asks {}",
                        rest, k.min_rest_min
                    ),
                );
            }
        }
        let mut paid = 0u32;
        for r in &agent_rows {
            days[r.day] = true;
            let t = &c.shift_templates[r.template];
            paid += t.paid_min();
            if t.paid_min() > k.max_day_min {
                flag(
                    who,
                    Some(r.day),
                    "max_day_hours",
                    format!(
                        "{} paid min in the day, at most {}",
                        t.paid_min(),
                        k.max_day_min
                    ),
                );
            }
        }
        if paid > k.weekly_max_min {
            flag(
                who,
                None,
                "weekly_hours_max",
                format!(
                    "{:.2} paid hours, at most {:.2}",
                    f64::from(paid) / 60.0,
                    f64::from(k.weekly_max_min) / 60.0
                ),
            );
        }
        let workable = (0..7)
            .filter(|&d| {
                c.shift_templates
                    .iter()
                    .any(|t| t.days[d] && eligible(inst, t, a.contract, a.site))
            })
            .count()
            .max(1) as u64;
        let can = (0..7).filter(|&d| could_work(inst, ai, d)).count() as u64;
        let mut min = u64::from(k.weekly_min_min) * can.min(workable) / workable;
        let mut why = "the contract's minimum pro rata for days absent";
        // Strikers are not paid: where a strike keeps some of the agent's
        // peers (skill group, contract, site) at home, the minimum shrinks
        // with the agent-days it leaves them, in whole longest shifts.
        let (kept, could) = strike_left(inst, ai);
        if kept < could {
            let longest = c
                .shift_templates
                .iter()
                .filter(|t| eligible(inst, t, a.contract, a.site))
                .map(|t| u64::from(t.paid_min()))
                .max()
                .unwrap_or(0);
            if let Some(shifts) = (min * kept / could).checked_div(longest) {
                min = shifts * longest;
                why = "the contract's minimum pro rata for days absent and the agent-days the strike leaves, in whole shifts";
            }
        }
        if u64::from(paid) < min {
            flag(
                who,
                None,
                "weekly_hours_min",
                format!(
                    "{:.2} paid hours, at least {:.2} ({why})",
                    f64::from(paid) / 60.0,
                    min as f64 / 60.0
                ),
            );
        }
        let worked = days.iter().filter(|x| **x).count() as u32;
        if worked > k.max_days {
            flag(
                who,
                None,
                "max_days",
                format!("{worked} working days, at most {}", k.max_days),
            );
        }
        let runs = runs(&days);
        for &(on, from, len) in &runs {
            if on && len > k.max_consecutive_days as usize {
                flag(
                    who,
                    Some(from),
                    "max_consecutive_days",
                    format!(
                        "{len} working days in a row, at most {}",
                        k.max_consecutive_days
                    ),
                );
            }
            let inside = from > 0 && from + len < 7;
            if !on && inside && len < k.min_consecutive_days_off as usize {
                flag(
                    who,
                    Some(from),
                    "min_consecutive_days_off",
                    format!(
                        "{len} day(s) off in a row, at least {}",
                        k.min_consecutive_days_off
                    ),
                );
            }
        }
        if let Some(max) = k.max_weekends {
            let weekend = u32::from(days[5] || days[6]);
            if weekend > max {
                flag(
                    who,
                    Some(5),
                    "max_weekends",
                    format!("works the weekend, at most {max} weekend(s)"),
                );
            }
        }
        if k.weekly_rest_min > 0 {
            // The weeks around are unknown: a day off at either end rests.
            let longest = agent_rows
                .windows(2)
                .map(|w| w[1].start - w[0].end)
                .max()
                .unwrap_or(0);
            if days[0] && days[6] && longest < i64::from(k.weekly_rest_min) {
                flag(
                    who,
                    None,
                    "weekly_rest",
                    format!(
                        "the longest rest is {:.1} h, the contract asks {:.1} h once a week",
                        longest as f64 / 60.0,
                        f64::from(k.weekly_rest_min) / 60.0
                    ),
                );
            }
        }
    }
    // Strikes: at most the share not striking of those who could work.
    for s in &inst.strikes {
        for date in &s.dates {
            let Some(d) = dates.iter().position(|x| x == date) else {
                continue;
            };
            let members: Vec<usize> = (0..inst.agents.len())
                .filter(|&a| inst.agents[a].skill_group == s.skill_group)
                .collect();
            let can = members.iter().filter(|&&a| could_work(inst, a, d)).count() as f64;
            let allowed = can - (can * s.share - 1e-9).ceil().max(0.0);
            let working = rows
                .iter()
                .filter(|r| r.day == d && inst.agents[r.agent].skill_group == s.skill_group)
                .count() as f64;
            if working > allowed {
                flag(
                    &c.skill_groups[s.skill_group].id,
                    Some(d),
                    "strike",
                    format!(
                        "{working} agents work, at most {allowed} with {:.0}% on strike",
                        s.share * 100.0
                    ),
                );
            }
        }
    }
    // Pins, forbidden successions and requests, from the instance's own
    // lists and the rows' templates and local start times.
    let start_minute = |r: &Row| {
        (local(r.start) - dates[r.day].and_hms_opt(0, 0, 0).expect("midnight")).num_minutes()
    };
    let on_day = |a: usize, d: usize| rows.iter().find(|r| r.agent == a && r.day == d);
    let name = |t: usize| c.shift_templates[t].id.as_str();
    let wish_met = |a: usize, d: usize, wish: Wish| match (wish, on_day(a, d)) {
        (Wish::Off, worked) => worked.is_none(),
        (Wish::Work { .. }, None) => false,
        (
            Wish::Work {
                template,
                start_min,
            },
            Some(r),
        ) => r.template == template && start_min.is_none_or(|m| i64::from(m) == start_minute(r)),
    };
    for pin in &inst.pins {
        if !wish_met(pin.agent, pin.day, pin.wish) {
            let wanted = match pin.wish {
                Wish::Off => "off".to_string(),
                Wish::Work {
                    template,
                    start_min,
                } => {
                    let m = start_min.unwrap_or(0);
                    format!("on {} at {:02}:{:02}", name(template), m / 60, m % 60)
                }
            };
            let has = on_day(pin.agent, pin.day).map_or("nothing".to_string(), |r| {
                let m = start_minute(r);
                format!("{} at {:02}:{:02}", name(r.template), m / 60, m % 60)
            });
            flag(
                &inst.agents[pin.agent].id,
                Some(pin.day),
                "pin",
                format!("pinned {wanted}, the roster has {has}"),
            );
        }
    }
    for w in rows.windows(2) {
        if w[0].agent == w[1].agent
            && w[1].day == w[0].day + 1
            && c.forbidden_successions
                .contains(&(w[0].template, w[1].template))
        {
            flag(
                &inst.agents[w[1].agent].id,
                Some(w[1].day),
                "forbidden_succession",
                format!(
                    "{} the day after {}",
                    name(w[1].template),
                    name(w[0].template)
                ),
            );
        }
    }
    let mut requests = RequestCount::default();
    for r in &inst.requests {
        if wish_met(r.agent, r.day, r.wish) {
            requests.granted += 1;
        } else {
            requests.not_granted += 1;
            requests.weight_not_granted += r.weight;
        }
    }
    // Fairness and same start, counted from the rows.
    let mut groups: BTreeMap<(usize, usize, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, a) in inst.agents.iter().enumerate() {
        groups
            .entry((a.skill_group, a.contract, a.site))
            .or_default()
            .push(i);
    }
    let mut fairness = Vec::new();
    for ((sg, k, site), members) in &groups {
        if members.len() < 2 {
            continue;
        }
        let count = |a: usize, f: &dyn Fn(&Row) -> bool| {
            rows.iter().filter(|r| r.agent == a && f(r)).count()
        };
        let span = |f: &dyn Fn(&Row) -> bool| {
            let v: Vec<usize> = members.iter().map(|&a| count(a, f)).collect();
            (
                v.iter().copied().min().unwrap_or(0),
                v.iter().copied().max().unwrap_or(0),
            )
        };
        fairness.push(FairnessCount {
            group: format!(
                "{}/{}{}",
                c.skill_groups[*sg].id,
                c.contracts[*k].id,
                site.map(|s| format!("/{}", c.sites[s].id))
                    .unwrap_or_default()
            ),
            agents: members.len(),
            weekend_days: span(&|r: &Row| r.day >= 5),
            late_shifts: span(&|r: &Row| c.shift_templates[r.template].late),
        });
    }
    let mut start_changes = 0;
    for (i, a) in inst.agents.iter().enumerate() {
        if c.contracts[a.contract].same_start_weight.is_some() {
            let mut starts: Vec<i64> = rows
                .iter()
                .filter(|r| r.agent == i)
                .map(start_minute)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            start_changes += starts.len().saturating_sub(1);
        }
    }
    let measures = service(inst, demand, &rows, allocation, scope, &mut flag)?;
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
    Ok((v, m))
}

/// Stretches of equal days: `(working, first day, length)`.
fn runs(days: &[bool; 7]) -> Vec<(bool, usize, usize)> {
    let mut out: Vec<(bool, usize, usize)> = Vec::new();
    for (d, &x) in days.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.0 == x => last.2 += 1,
            _ => out.push((x, d, 1)),
        }
    }
    out
}

/// Records a violation: who, day, rule, detail.
type Flag<'a> = dyn FnMut(&str, Option<usize>, &'static str, String) + 'a;

/// The allocation against the agents present, then the SLAs recomputed
/// with the checker's own count (`super::service`).
fn service(
    inst: &Instance,
    demand: &[crate::model::VolumeRow],
    rows: &[Row],
    allocation: &Path,
    scope: Option<SlaScope>,
    flag: &mut Flag<'_>,
) -> Result<Vec<SlaCheck>, Vec<Problem>> {
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
    for r in &read_allocation(inst, &grid, allocation)? {
        let when = grid[r.interval].local.format("%Y-%m-%dT%H:%M");
        let day = Some(grid[r.interval].day);
        match r.server {
            Server::InHouse(sg) => {
                if !c.skill_groups[sg].queues.contains(&r.queue) {
                    flag(
                        &c.skill_groups[sg].id,
                        day,
                        "skills",
                        format!(
                            "allocated to {} at {when}, outside its skills",
                            c.queues[r.queue].id
                        ),
                    );
                }
                allocated[sg][r.interval] += r.value;
                in_house[r.queue][r.interval] += r.value;
            }
            Server::Outsourcer(o) => {
                if !c.outsourcers[o].queues.contains(&r.queue) {
                    flag(
                        &c.outsourcers[o].id,
                        day,
                        "outsourcer_queue",
                        format!(
                            "sent {} contacts of {} it does not serve",
                            r.value, c.queues[r.queue].id
                        ),
                    );
                }
                sent[o][r.queue][r.interval] += r.value;
            }
        }
    }
    for (sg, per) in allocated.iter().enumerate() {
        for (i, &x) in per.iter().enumerate() {
            if x > present[sg][i] + 1e-6 {
                flag(
                    &c.skill_groups[sg].id,
                    Some(grid[i].day),
                    "coverage",
                    format!(
                        "{x:.3} agents allocated at {}, {:.3} present on the roster",
                        grid[i].local.format("%a %H:%M"),
                        present[sg][i]
                    ),
                );
            }
        }
    }
    let intervals = super::service::per_interval(inst, &grid, demand, &in_house, &sent);
    let mut out = Vec::new();
    for s in super::service::per_scope(inst, &grid, &intervals) {
        let queue = &c.queues[s.queue];
        let priced = queue.penalty_per_point.is_some();
        let contractual = match queue.channel {
            crate::model::Channel::Deferred => true,
            crate::model::Channel::Voice { .. } => scope.unwrap_or(queue.sla.scope) == s.scope,
        };
        if contractual && !priced && s.worst + 1e-7 < queue.sla.target {
            flag(
                &queue.id,
                None,
                "sla",
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
    Ok(out)
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
