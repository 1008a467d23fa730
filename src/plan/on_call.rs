//! On-call periods in the week's real time, and the duties of rotas whose
//! rest is kept and paid (`recovery: paid`), chosen before the plan so
//! that the plan and the roster keep their agents off shifts
//! (`docs/model.md`, "On call"). The roster names the rest after it
//! (`roster::on_call`).

use crate::model::{Instance, KeptOff, OnCall, Recovery};
use crate::plan::options::Clock;

/// One stretch of a rota's hours, in minutes of real time after the
/// week's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub rota: usize,
    pub start: i64,
    pub end: i64,
}

impl Period {
    pub fn hours(&self) -> f64 {
        (self.end - self.start) as f64 / 60.0
    }
}

/// Minutes in a week of real time (a week without a clock change).
pub const WEEK_MIN: i64 = 7 * 24 * 60;

/// A shift `[start, end)` and the same shift a week before and after: the
/// roster is taken to repeat, so that a period running into next Monday
/// meets next Monday's shift (the rest it owes cannot be left to a week
/// nobody planned).
pub fn cyclic(start: i64, end: i64) -> impl Iterator<Item = (i64, i64)> {
    [-WEEK_MIN, 0, WEEK_MIN]
        .into_iter()
        .map(move |k| (start + k, end + k))
}

/// The periods of every rota that start in the week, in time order.
pub fn periods(inst: &Instance, clock: &Clock) -> Vec<Period> {
    let c = &inst.centre;
    let mut out = Vec::new();
    for (rota, r) in c.on_call.iter().enumerate() {
        out.extend(
            stretches(r)
                .into_iter()
                .filter_map(|(day, from, days, to)| {
                    let date = |d: usize| inst.week_start + chrono::Duration::days(d as i64);
                    let zone = c.zone(r.site);
                    let start = clock.minute_in(zone, date(day), from)?;
                    let end = clock.minute_in(zone, date(days), to)?;
                    (end > start).then_some(Period { rota, start, end })
                }),
        );
    }
    out.sort_by_key(|p| (p.start, p.rota));
    out
}

/// The rota's open stretches that start in the week: `(day, minute, end
/// day, end minute)`, a stretch running on over midnight (and round Sunday
/// night into the next week's Monday, day 7 on) until its hours close.
fn stretches(r: &OnCall) -> Vec<(usize, u32, usize, u32)> {
    let day_min = crate::model::DAY_MIN;
    let spans = |d: usize| r.hours.day(d % 7);
    let runs_on = |d: usize| spans(d).last().is_some_and(|s| s.end_min >= day_min);
    // Around the clock all week: one stretch from Monday 00:00. (Every
    // day open from 00:00 to 24:00 in one span: a nightly rota's days
    // also open at 00:00 and close at 24:00, with their day between.)
    let always =
        (0..7).all(|d| matches!(spans(d), [s] if s.start_min == 0 && s.end_min >= day_min));
    let mut out = Vec::new();
    for day in 0..7 {
        for (k, s) in spans(day).iter().enumerate() {
            // The continuation of the day before's stretch.
            if k == 0 && s.start_min == 0 && runs_on(day + 6) && !(always && day == 0) {
                continue;
            }
            let (mut end_day, mut end) = (day, s.end_min);
            // Over midnight while the next day opens at 00:00 (a week at most).
            while end >= day_min && end_day + 1 < day + 7 {
                match spans(end_day + 1).first() {
                    Some(n) if n.start_min == 0 => {
                        end_day += 1;
                        end = n.end_min;
                    }
                    _ => break,
                }
            }
            out.push((day, s.start_min, end_day, end));
        }
    }
    out
}

/// The month a period of rota `rota` starting at `start` (real minutes)
/// counts in: that of its start on the rota's clock.
pub fn month_at(inst: &Instance, clock: &Clock, rota: usize, start: i64) -> chrono::NaiveDate {
    let zone = inst.centre.zone(inst.centre.on_call[rota].site);
    crate::model::month_of(clock.naive_in(zone, start).date())
}

/// Whether agent `a` has reached its rota's monthly limit in the month of
/// period `p`: the periods the weeks before gave it in that month
/// ([`crate::model::Carry::on_call`]) and those it has in this week so
/// far (`taken`: rota and start of each).
pub fn at_month_limit(
    inst: &Instance,
    clock: &Clock,
    a: usize,
    p: &Period,
    taken: impl Iterator<Item = (usize, i64)>,
) -> bool {
    let Some(max) = inst.centre.on_call[p.rota].max_per_month else {
        return false;
    };
    let month = month_at(inst, clock, p.rota, p.start);
    let this_week = taken
        .filter(|&(rota, start)| rota == p.rota && month_at(inst, clock, rota, start) == month)
        .count() as u32;
    inst.carry.on_call_so_far(p.rota, a, month) + this_week >= max
}

/// Whether agent `a` is absent at some time in `[from, to)` (real
/// minutes after the week's start; absences on the agent's clock).
pub fn absent(inst: &Instance, clock: &Clock, a: usize, from: i64, to: i64) -> bool {
    let agent = &inst.agents[a];
    let zone = inst.centre.zone(agent.site);
    agent.unavailable.iter().any(|(f, t)| {
        let at = |x: &chrono::NaiveDateTime| {
            let m = (*x - x.date().and_hms_opt(0, 0, 0).expect("midnight")).num_minutes();
            clock.minute_in(zone, x.date(), m as u32)
        };
        match (at(f), at(t)) {
            (Some(f), Some(t)) => f < to && t > from,
            _ => false,
        }
    })
}

/// The duties of [`Recovery::Paid`] rotas, chosen before the plan: per
/// period in time order, the rota's number of agents of its skill group,
/// not absent during the period, not kept for an overlapping one, under
/// the rota's weekly limit — those whose window (the period and the rest
/// a call-out at its end owes) takes the fewest working days first (an
/// agent absent the next day anyway loses none), then the fewest duties
/// so far, then the first listed. A period nobody can take is left to
/// the naming after the roster (`roster::on_call::assign`), which reports
/// it short.
pub fn keep_off(inst: &Instance, clock: &Clock) -> Vec<KeptOff> {
    let c = &inst.centre;
    if !c.on_call.iter().any(|r| r.recovery == Recovery::Paid) {
        return Vec::new();
    }
    let periods = periods(inst, clock);
    let mut out: Vec<KeptOff> = Vec::new();
    let days = |a: usize, w: &[(chrono::NaiveDateTime, chrono::NaiveDateTime)]| {
        (0..7)
            .filter(|&d| crate::plan::groups::can_work_despite(inst, clock, a, d, w))
            .count() as u32
    };
    for p in periods.iter() {
        let r = &c.on_call[p.rota];
        if r.recovery != Recovery::Paid {
            continue;
        }
        let until = p.end + i64::from(r.rest_after_call_out_min);
        let mut candidates: Vec<(u32, usize, usize, KeptOff)> = (0..inst.agents.len())
            .filter(|&a| inst.agents[a].skill_group == r.skill_group)
            .filter(|&a| !absent(inst, clock, a, p.start, p.end))
            .filter_map(|a| {
                let mine: Vec<&KeptOff> = out.iter().filter(|k| k.agent == a).collect();
                let busy = mine.iter().any(|k| k.start < p.end && k.end > p.start);
                let at_limit = mine.iter().filter(|k| k.rota == p.rota).count() as u32
                    >= r.max_per_week
                    || at_month_limit(inst, clock, a, p, mine.iter().map(|k| (k.rota, k.start)));
                if busy || at_limit {
                    return None;
                }
                let zone = c.zone(inst.agents[a].site);
                let windows: Vec<_> = cyclic(p.start, until)
                    .filter(|&(b, e)| b < WEEK_MIN && e > 0)
                    .map(|(b, e)| (clock.naive_in(zone, b), clock.naive_in(zone, e)))
                    .collect();
                // The windows the agent cannot work, with those kept.
                let before = crate::plan::groups::away(inst, &out, a);
                let mut after = before.to_vec();
                after.extend(windows.iter().copied());
                let (had, has) = (days(a, &before), days(a, &after));
                let paid_min = crate::plan::groups::min_minutes(inst, a, had)
                    - crate::plan::groups::min_minutes(inst, a, has);
                Some((
                    had - has,
                    mine.len(),
                    a,
                    KeptOff {
                        rota: p.rota,
                        start: p.start,
                        end: p.end,
                        agent: a,
                        windows,
                        paid_min,
                    },
                ))
            })
            .collect();
        candidates.sort_by_key(|x| (x.0, x.1, x.2));
        out.extend(candidates.into_iter().take(r.agents as usize).map(|x| x.3));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Span, WeekHours};

    fn rota(spans: &[(usize, u32, u32)]) -> OnCall {
        let mut hours = WeekHours::default();
        for &(d, a, b) in spans {
            hours.add(
                d,
                Span {
                    start_min: a,
                    end_min: b,
                },
            );
        }
        OnCall {
            id: "r".into(),
            name: "r".into(),
            skill_group: 0,
            site: None,
            hours,
            agents: 1,
            pay_per_hour: 0.0,
            pay_per_call_out: 0.0,
            call_outs_per_day: 0.0,
            call_out_min: 60,
            response_within_s: 3600.0,
            rest_after_call_out_min: 660,
            max_per_week: 1,
            max_per_month: None,
            recovery: crate::model::Recovery::Free,
        }
    }

    #[test]
    fn stretches_start_in_the_week_and_run_over_midnight_and_sunday_night() {
        // Saturday 01:00 to Monday 01:00: one stretch, into next Monday.
        let weekend = rota(&[(5, 60, 1440), (6, 0, 1440), (0, 0, 60)]);
        assert_eq!(stretches(&weekend), vec![(5, 60, 7, 60)]);
        // Weeknights 19:00 to 08:00: five stretches, each into the next day.
        let nights: Vec<(usize, u32, u32)> = (0..5).map(|d| (d, 19 * 60, 32 * 60)).collect();
        let want: Vec<_> = (0..5).map(|d| (d, 19 * 60, d + 1, 8 * 60)).collect();
        assert_eq!(stretches(&rota(&nights)), want);
        // Around the clock: one week-long stretch from Monday.
        let always: Vec<(usize, u32, u32)> = (0..7).map(|d| (d, 0, 1440)).collect();
        assert_eq!(stretches(&rota(&always)), vec![(0, 0, 6, 1440)]);
        // Every night 23:00 to 06:00, each day open at 00:00 and at 24:00
        // but not around the clock: seven stretches, Sunday's into next
        // Monday, none from this Monday 00:00 (last week's Sunday night).
        let every: Vec<(usize, u32, u32)> = (0..7).map(|d| (d, 23 * 60, 30 * 60)).collect();
        let want: Vec<_> = (0..7).map(|d| (d, 23 * 60, d + 1, 6 * 60)).collect();
        assert_eq!(stretches(&rota(&every)), want);
    }
}
