//! The on-call rota (`on_call.csv`) and what happened on it (a call-outs
//! file, `check --call-outs`), counted from the files: every period of
//! every rota has its agents on call, of the rota's skill group, within the
//! rota's weekly limit; no agent on call works a shift during the duty or
//! before the rest owed after a call-out at its very end has passed; and
//! every call-out falls in a duty of its agent and is followed by the full
//! rest before the agent's next shift (the French astreinte rule: an
//! intervention interrupts the daily rest, owed in full after it). The
//! roster is taken to repeat weekly, as the rota assumes, so a weekend
//! running into next Monday meets next Monday's shifts.

use std::borrow::Cow;

use chrono::Duration;

use super::{Found, Rule, Week};
use crate::files::on_call::Stretch;
use crate::model::{Instance, OnCall, Recovery, DAY_MIN};

/// Minutes in a week of real time.
const WEEK_MIN: i64 = 7 * 24 * 60;

/// A shift and the same shift a week before and after (the roster taken
/// to repeat).
fn cyclic(start: i64, end: i64) -> impl Iterator<Item = (i64, i64)> {
    [-WEEK_MIN, 0, WEEK_MIN]
        .into_iter()
        .map(move |k| (start + k, end + k))
}

/// The rota's periods that start in the week, `(start, end)` in real
/// minutes, counted minute by minute on the rota's clock (its site's, or
/// the centre's): a period
/// starts at a minute on call whose minute before is not, and ends at the
/// first minute off after it (at most a week on); a rota on call around
/// the clock has one period from Monday 00:00.
fn periods_of(w: &Week, r: &OnCall) -> Vec<(i64, i64)> {
    let day_min = i64::from(DAY_MIN);
    let on = |t: i64| {
        let day = t.div_euclid(day_min).rem_euclid(7) as usize;
        let m = t.rem_euclid(day_min) as u32;
        r.hours
            .day(day)
            .iter()
            .any(|s| s.start_min <= m && m < s.end_min)
    };
    let week = 7 * day_min;
    let mut starts: Vec<i64> = (0..week).filter(|&t| on(t) && !on(t - 1)).collect();
    if starts.is_empty() && on(0) {
        starts.push(0);
    }
    let tz = w.inst.centre.zone(r.site);
    let monday = w.dates[0].and_hms_opt(0, 0, 0).expect("midnight");
    let real = |t: i64| w.real(tz, monday + Duration::minutes(t));
    starts
        .into_iter()
        .map(|t0| {
            let t1 = (t0 + 1..t0 + week).find(|&t| !on(t)).unwrap_or(t0 + week);
            (real(t0), real(t1))
        })
        .collect()
}

/// The instance with every duty of a `recovery: paid` rota kept off
/// shifts as an absence, from the duty's start until the rest owed after
/// it has passed (and the same a week before: the roster repeats), so
/// that the contract's weekly minimum falls pro rata for the days it
/// takes, as the rota promised the agent.
/// The instance itself, not copied, where no such duty is written.
pub fn with_paid_rest<'a>(w: &Week<'a>, duties: &[Stretch]) -> Cow<'a, Instance> {
    let c = &w.inst.centre;
    let paid: Vec<&Stretch> = duties
        .iter()
        .filter(|d| c.on_call[d.rota.expect("a duty names its rota")].recovery == Recovery::Paid)
        .collect();
    if paid.is_empty() {
        return Cow::Borrowed(w.inst);
    }
    let mut inst = w.inst.clone();
    for d in paid {
        let r = &inst.centre.on_call[d.rota.expect("a duty names its rota")];
        let until = d.end + i64::from(r.rest_after_call_out_min);
        let zone = inst.centre.zone(inst.agents[d.agent].site);
        for (b, e) in cyclic(d.start, until).filter(|&(b, e)| b < WEEK_MIN && e > 0) {
            inst.agents[d.agent]
                .unavailable
                .push((w.local_in(zone, b), w.local_in(zone, e)));
        }
    }
    Cow::Owned(inst)
}

/// Each duty's rota, agent and month (that of its start on the rota's
/// clock).
pub fn months_of(w: &Week, duties: &[Stretch]) -> Vec<(usize, usize, chrono::NaiveDate)> {
    let c = &w.inst.centre;
    duties
        .iter()
        .filter_map(|d| {
            let rota = d.rota?;
            let zone = c.zone(c.on_call[rota].site);
            let start = w.local_in(zone, d.start).date();
            Some((rota, d.agent, crate::model::month_of(start)))
        })
        .collect()
}

/// Checks `duties` and `call_outs` against the rotas and the roster.
pub fn check(w: &Week, duties: &[Stretch], call_outs: &[Stretch], found: &mut Found) {
    let inst = w.inst;
    let c = &inst.centre;
    let who = |a: usize| inst.agents[a].id.as_str();
    // A real minute of the week on agent `a`'s clock.
    let local = |a: usize, abs: i64| {
        w.local_in(c.zone(inst.agents[a].site), abs)
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    };
    let centre = |abs: i64| w.local(abs).format("%a %Y-%m-%d %H:%M").to_string();
    let all: Vec<(usize, i64, i64)> = c
        .on_call
        .iter()
        .enumerate()
        .flat_map(|(k, r)| periods_of(w, r).into_iter().map(move |(a, b)| (k, a, b)))
        .collect();
    let duty_of = |d: &Stretch| &c.on_call[d.rota.expect("a duty names its rota")];
    // Every period covered, by duties that are periods of the rota.
    for &(k, start, end) in &all {
        let r = &c.on_call[k];
        let on = duties
            .iter()
            .filter(|d| d.rota == Some(k) && d.start == start && d.end == end)
            .count() as u32;
        if on < r.agents {
            found.flag(
                &r.id,
                None,
                Rule::OnCallCover,
                format!(
                    "{on} of {} agents on call {} to {}",
                    r.agents,
                    centre(start),
                    centre(end)
                ),
            );
        }
    }
    for d in duties {
        let r = duty_of(d);
        if !all
            .iter()
            .any(|&(k, a, b)| Some(k) == d.rota && a == d.start && b == d.end)
        {
            found.flag(
                who(d.agent),
                None,
                Rule::OnCallCover,
                format!(
                    "line {}: a duty of '{}' that is none of its periods",
                    d.line, r.id
                ),
            );
        }
        if inst.agents[d.agent].skill_group != r.skill_group {
            found.flag(
                who(d.agent),
                None,
                Rule::OnCallSkills,
                format!(
                    "line {}: on call for '{}', which skill group '{}' holds",
                    d.line, r.id, c.skill_groups[r.skill_group].id
                ),
            );
        }
        let rest = i64::from(r.rest_after_call_out_min);
        if let Some(s) = next_shift(w, d.agent, d.start, d.end + rest) {
            found.flag(
                who(d.agent),
                Some(s.1),
                Rule::OnCallRest,
                format!(
                    "line {}: a shift at {}, during the duty to {} or within the {} h of rest a call-out at its end would be owed",
                    d.line,
                    local(d.agent, s.0),
                    local(d.agent, d.end),
                    rest / 60
                ),
            );
        }
    }
    for (k, r) in c.on_call.iter().enumerate() {
        for a in 0..inst.agents.len() {
            let n = duties
                .iter()
                .filter(|d| d.agent == a && d.rota == Some(k))
                .count() as u32;
            if n > r.max_per_week {
                found.flag(
                    who(a),
                    None,
                    Rule::OnCallLimit,
                    format!("{n} periods of '{}', at most {}", r.id, r.max_per_week),
                );
            }
        }
    }
    // The monthly limits, the month's weeks before counted.
    let mut months: std::collections::BTreeMap<(usize, usize, chrono::NaiveDate), u32> =
        Default::default();
    for (rota, agent, month) in months_of(w, duties) {
        if c.on_call[rota].max_per_month.is_some() {
            *months
                .entry((rota, agent, month))
                .or_insert_with(|| inst.carry.on_call_so_far(rota, agent, month)) += 1;
        }
    }
    for ((k, a, month), n) in months {
        let r = &c.on_call[k];
        let max = r.max_per_month.expect("kept above");
        if n > max {
            found.flag(
                who(a),
                None,
                Rule::OnCallLimit,
                format!(
                    "{n} periods of '{}' in {} (the month's weeks before counted), at most {max}",
                    r.id,
                    month.format("%Y-%m")
                ),
            );
        }
    }
    for x in call_outs {
        let duty = duties
            .iter()
            .find(|d| d.agent == x.agent && d.start <= x.start && x.start < d.end);
        let Some(d) = duty else {
            found.flag(
                who(x.agent),
                None,
                Rule::CallOutRest,
                format!(
                    "call-out line {} at {}: the agent is not on call then",
                    x.line,
                    local(x.agent, x.start)
                ),
            );
            continue;
        };
        let rest = i64::from(duty_of(d).rest_after_call_out_min);
        if let Some(s) = next_shift(w, x.agent, x.start, x.end + rest) {
            found.flag(
                who(x.agent),
                Some(s.1),
                Rule::CallOutRest,
                format!(
                    "call-out line {} ends {}; the next shift starts {}: {:.1} h of rest where {} h are owed",
                    x.line,
                    local(x.agent, x.end),
                    local(x.agent, s.0),
                    (s.0 - x.end).max(0) as f64 / 60.0,
                    rest / 60
                ),
            );
        }
    }
}

/// The first of `agent`'s shifts (the roster repeated weekly) that starts
/// or runs within `[from, to)`: its start and day.
fn next_shift(w: &Week, agent: usize, from: i64, to: i64) -> Option<(i64, usize)> {
    w.rows
        .iter()
        .filter(|r| r.agent == agent)
        .flat_map(|r| cyclic(r.start, r.end).map(move |(b, e)| (b, e, r.day)))
        .filter(|&(b, e, _)| b < to && e > from)
        .map(|(b, _, day)| (b, day))
        .min()
}
