//! The on-call rota ("astreinte"): outside opening hours, an agent of a
//! skill group stays reachable and, when called out, works from home or
//! goes in. Each rota of the model (`on_call:`) runs over its hours; a
//! *period* is one stretch of them that starts in the week (a weekend from
//! Saturday 01:00 to Monday 01:00 is one period, running past the week's
//! end when it wraps round Sunday night). Every period needs the rota's
//! number of agents on call.
//!
//! The rota is named after the shift roster, deterministically: periods in
//! time order, each given to the eligible agents with the fewest periods so
//! far, then the fewest worked minutes in the week, then the first listed.
//! An agent is eligible when not absent then, not on call already, under
//! the rota's weekly limit, and with no shift from the period's start until
//! the rest owed after a call-out has passed since its end — so that a
//! call-out at any moment of the period still leaves the full rest before
//! the next shift (the French astreinte rule: an intervention interrupts
//! the daily rest, which is then owed in full). The roster is taken to
//! repeat from week to week, so a weekend running into next Monday meets
//! next Monday's shifts. A period nobody can take is reported with the
//! reasons.
//!
//! Costs, per duty: the allowance per hour on call, and per expected
//! call-out (the rota's rate times the hours) the call-out fee and the
//! call-out's worked time at the agent's hourly cost.

use crate::files::roster::Row;
use crate::model::{Instance, OnCall};
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

/// An agent on call for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duty {
    pub period: usize,
    pub agent: usize,
}

/// A period short of agents on call, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Short {
    pub period: usize,
    pub missing: u32,
    pub why: String,
}

/// The week's rota: its periods, who is on call, what is short.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rota {
    pub periods: Vec<Period>,
    pub duties: Vec<Duty>,
    pub short: Vec<Short>,
}

/// What one duty is expected to cost: the allowance, the expected number
/// of call-outs, and the total with their fees and worked time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DutyCost {
    pub allowance: f64,
    pub call_outs: f64,
    pub total: f64,
}

impl Rota {
    pub fn duty_cost(&self, inst: &Instance, d: &Duty) -> DutyCost {
        let p = &self.periods[d.period];
        let r = &inst.centre.on_call[p.rota];
        let hourly = inst.centre.contracts[inst.agents[d.agent].contract].hourly_cost;
        let allowance = r.pay_per_hour * p.hours();
        let call_outs = r.call_outs_per_day * p.hours() / 24.0;
        let per_call_out = r.pay_per_call_out + f64::from(r.call_out_min) / 60.0 * hourly;
        DutyCost {
            allowance,
            call_outs,
            total: allowance + call_outs * per_call_out,
        }
    }

    /// The expected cost of every duty.
    pub fn cost(&self, inst: &Instance) -> f64 {
        self.duties
            .iter()
            .map(|d| self.duty_cost(inst, d).total)
            .sum()
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
    // Around the clock all week: one stretch from Monday 00:00.
    let always = (0..7).all(|d| spans(d).first().is_some_and(|s| s.start_min == 0) && runs_on(d));
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

/// Names the rota after the shift roster `shifts` (real-time minutes).
pub fn assign(inst: &Instance, clock: &Clock, shifts: &[Row]) -> Rota {
    let c = &inst.centre;
    let periods = periods(inst, clock);
    let mut duties: Vec<Duty> = Vec::new();
    let mut short = Vec::new();
    let worked: Vec<i64> = (0..inst.agents.len())
        .map(|a| {
            shifts
                .iter()
                .filter(|s| s.agent == a)
                .map(|s| s.end - s.start)
                .sum()
        })
        .collect();
    let absent = |a: usize, from: i64, to: i64| {
        let agent = &inst.agents[a];
        let zone = c.zone(agent.site);
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
    };
    for (k, p) in periods.iter().enumerate() {
        let r = &c.on_call[p.rota];
        let rest = i64::from(r.rest_after_call_out_min);
        let mut why = [0u32; 4];
        let mut eligible: Vec<usize> = (0..inst.agents.len())
            .filter(|&a| inst.agents[a].skill_group == r.skill_group)
            .filter(|&a| {
                let works = shifts.iter().any(|s| {
                    s.agent == a
                        && cyclic(s.start, s.end).any(|(b, e)| b < p.end + rest && e > p.start)
                });
                let on_call = duties.iter().filter(|d| d.agent == a).collect::<Vec<_>>();
                let busy = on_call.iter().any(|d| {
                    let q = &periods[d.period];
                    q.start < p.end && q.end > p.start
                });
                let at_limit = on_call
                    .iter()
                    .filter(|d| periods[d.period].rota == p.rota)
                    .count() as u32
                    >= r.max_per_week;
                let away = absent(a, p.start, p.end);
                for (n, hit) in [works, busy, at_limit, away].into_iter().enumerate() {
                    if hit {
                        why[n] += 1;
                        return false;
                    }
                }
                true
            })
            .collect();
        eligible.sort_by_key(|&a| {
            let count = duties.iter().filter(|d| d.agent == a).count();
            (count, worked[a], a)
        });
        let taken = eligible.len().min(r.agents as usize);
        duties.extend(
            eligible[..taken]
                .iter()
                .map(|&agent| Duty { period: k, agent }),
        );
        if taken < r.agents as usize {
            let hours = f64::from(r.rest_after_call_out_min) / 60.0;
            let parts: Vec<String> = [
                format!("work from its start to {hours:.0} h after its end"),
                "are on call then already".to_string(),
                format!("are at the rota's {} a week", r.max_per_week),
                "are absent".to_string(),
            ]
            .into_iter()
            .zip(why)
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
            short.push(Short {
                period: k,
                missing: r.agents - taken as u32,
                why: if parts.is_empty() {
                    "the skill group has no agent".to_string()
                } else {
                    parts.join("; ")
                },
            });
        }
    }
    duties.sort_by_key(|d| (d.period, d.agent));
    Rota {
        periods,
        duties,
        short,
    }
}

/// `on_call.csv`'s rows: each duty on the agent's clock.
pub fn duty_records(
    inst: &Instance,
    clock: &Clock,
    rota: &Rota,
) -> Vec<crate::files::on_call::DutyRecord> {
    use crate::files::roster::LOCAL_FORMAT;
    rota.duties
        .iter()
        .map(|d| {
            let p = &rota.periods[d.period];
            let agent = &inst.agents[d.agent];
            let zone = inst.centre.zone(agent.site);
            let (start, end) = (clock.at(zone, p.start), clock.at(zone, p.end));
            let cost = rota.duty_cost(inst, d);
            crate::files::on_call::DutyRecord {
                rota: inst.centre.on_call[p.rota].id.clone(),
                agent: agent.id.clone(),
                name: agent.name.clone(),
                start: start.format(LOCAL_FORMAT).to_string(),
                end: end.format(LOCAL_FORMAT).to_string(),
                utc_offset: start.format("%:z").to_string(),
                end_utc_offset: end.format("%:z").to_string(),
                hours: format!("{:.2}", p.hours()),
                expected_call_outs: format!("{:.3}", cost.call_outs),
                expected_cost: format!("{:.2}", cost.total),
            }
        })
        .collect()
}

/// `on_call.csv`.
pub fn on_call_csv(inst: &Instance, clock: &Clock, rota: &Rota) -> String {
    crate::files::csv_of(
        crate::files::on_call::ON_CALL_HEADER,
        &duty_records(inst, clock, rota),
    )
}

/// `plan.json`'s on-call section.
pub fn figures(inst: &Instance, clock: &Clock, rota: &Rota) -> crate::files::on_call::OnCallFile {
    use crate::files::on_call::{OnCallFile, RotaFigures, ShortPeriod};
    let c = &inst.centre;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let rotas = c
        .on_call
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let duties: Vec<&Duty> = rota
                .duties
                .iter()
                .filter(|d| rota.periods[d.period].rota == k)
                .collect();
            let costs: Vec<DutyCost> = duties.iter().map(|d| rota.duty_cost(inst, d)).collect();
            RotaFigures {
                id: r.id.clone(),
                skill_group: c.skill_groups[r.skill_group].id.clone(),
                periods: rota.periods.iter().filter(|p| p.rota == k).count(),
                duties: duties.len(),
                hours_on_call: round(duties.iter().map(|d| rota.periods[d.period].hours()).sum()),
                allowances: round(costs.iter().map(|x| x.allowance).sum()),
                expected_call_outs: (costs.iter().map(|x| x.call_outs).sum::<f64>() * 1000.0)
                    .round()
                    / 1000.0,
                expected_cost: round(costs.iter().map(|x| x.total).sum()),
            }
        })
        .collect();
    let local = |abs: i64| {
        clock
            .at(c.time_zone, abs)
            .format(crate::files::roster::LOCAL_FORMAT)
            .to_string()
    };
    OnCallFile {
        rotas,
        cost: round(rota.cost(inst)),
        short: rota
            .short
            .iter()
            .map(|s| {
                let p = &rota.periods[s.period];
                ShortPeriod {
                    rota: c.on_call[p.rota].id.clone(),
                    start: local(p.start),
                    end: local(p.end),
                    missing: s.missing,
                    why: s.why.clone(),
                }
            })
            .collect(),
    }
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
    }
}
