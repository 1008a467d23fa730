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
//! reasons. A `recovery: paid` rota's duties were chosen before the plan
//! (`plan::on_call::keep_off`), their rest kept off shifts: they are named
//! first.
//!
//! Costs, per duty: the allowance per hour on call, per expected call-out
//! (the rota's rate times the hours) the call-out fee and the call-out's
//! worked time at the agent's hourly cost, and the paid rest of a duty
//! kept before the plan.

use crate::files::roster::Row;
use crate::model::{Instance, KeptOff};
use crate::plan::on_call::{absent, at_month_limit};
pub use crate::plan::on_call::{cyclic, periods, Period, WEEK_MIN};
use crate::plan::options::Clock;

/// An agent on call for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duty {
    pub period: usize,
    pub agent: usize,
    /// Paid minutes of the weekly minimum the duty's rest takes (a duty
    /// kept off shifts before the plan, `recovery: paid`).
    pub paid_rest_min: u32,
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
    /// Paid hours of the rest kept off shifts ([`crate::model::Recovery::Paid`]).
    pub paid_rest_hours: f64,
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
        let paid_rest_hours = f64::from(d.paid_rest_min) / 60.0;
        DutyCost {
            allowance,
            call_outs,
            paid_rest_hours,
            total: allowance + call_outs * per_call_out + paid_rest_hours * hourly,
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

/// Names the rota after the shift roster `shifts` (real-time minutes):
/// the duties kept before the plan ([`crate::plan::on_call::keep_off`]) first, each where its
/// agent indeed has no shift in its window, then the eligible agents.
pub fn assign(inst: &Instance, clock: &Clock, kept_off: &[KeptOff], shifts: &[Row]) -> Rota {
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
    let absent = |a: usize, from: i64, to: i64| absent(inst, clock, a, from, to);
    for (k, p) in periods.iter().enumerate() {
        let r = &c.on_call[p.rota];
        let rest = i64::from(r.rest_after_call_out_min);
        let mut why = [0u32; 5];
        let works = |a: usize| {
            shifts.iter().any(|s| {
                s.agent == a && cyclic(s.start, s.end).any(|(b, e)| b < p.end + rest && e > p.start)
            })
        };
        let kept: Vec<&KeptOff> = kept_off
            .iter()
            .filter(|x| x.rota == p.rota && x.start == p.start && !works(x.agent))
            .collect();
        duties.extend(kept.iter().map(|x| Duty {
            period: k,
            agent: x.agent,
            paid_rest_min: x.paid_min,
        }));
        let kept: Vec<usize> = kept.iter().map(|x| x.agent).collect();
        let wanted = (r.agents as usize).saturating_sub(kept.len());
        let mut eligible: Vec<usize> = (0..inst.agents.len())
            .filter(|&a| inst.agents[a].skill_group == r.skill_group && !kept.contains(&a))
            .filter(|&a| {
                let works = works(a);
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
                let taken = on_call.iter().map(|d| {
                    let q = &periods[d.period];
                    (q.rota, q.start)
                });
                let at_month = at_month_limit(inst, clock, a, p, taken);
                let away = absent(a, p.start, p.end);
                for (n, hit) in [works, busy, at_limit, at_month, away]
                    .into_iter()
                    .enumerate()
                {
                    if hit {
                        why[n] += 1;
                        return false;
                    }
                }
                true
            })
            .collect();
        // Fewest periods so far: this week's, and the month's before it.
        let month = crate::plan::on_call::month_at(inst, clock, p.rota, p.start);
        eligible.sort_by_key(|&a| {
            let count = duties.iter().filter(|d| d.agent == a).count() as u32
                + inst.carry.on_call_so_far(p.rota, a, month);
            (count, worked[a], a)
        });
        let taken = eligible.len().min(wanted);
        duties.extend(eligible[..taken].iter().map(|&agent| Duty {
            period: k,
            agent,
            paid_rest_min: 0,
        }));
        if taken < wanted {
            let hours = f64::from(r.rest_after_call_out_min) / 60.0;
            let parts: Vec<String> = [
                format!("work from its start to {hours:.0} h after its end"),
                "are on call then already".to_string(),
                format!("are at the rota's {} a week", r.max_per_week),
                format!(
                    "are at the rota's {} a month (the month's weeks before counted)",
                    r.max_per_month.unwrap_or(0)
                ),
                "are absent".to_string(),
            ]
            .into_iter()
            .zip(why)
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
            short.push(Short {
                period: k,
                missing: (wanted - taken) as u32,
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

/// What the rotas with a monthly limit carry into a horizon's next week
/// (see [`crate::model::on_call_after`]).
pub fn carried(inst: &Instance, clock: &Clock, rota: &Rota) -> Vec<crate::model::OnCallSoFar> {
    let duties: Vec<_> = rota
        .duties
        .iter()
        .map(|d| {
            let p = &rota.periods[d.period];
            (
                p.rota,
                d.agent,
                crate::plan::on_call::month_at(inst, clock, p.rota, p.start),
            )
        })
        .collect();
    crate::model::on_call_after(inst, &duties)
}

/// `on_call.csv`'s rows: each duty on the agent's clock.
pub fn duty_records(
    inst: &Instance,
    clock: &Clock,
    rota: &Rota,
) -> Vec<crate::files::on_call::DutyRecord> {
    rota.duties
        .iter()
        .map(|d| {
            let p = &rota.periods[d.period];
            let agent = &inst.agents[d.agent];
            let zone = inst.centre.zone(agent.site);
            let [start, end, utc_offset, end_utc_offset] =
                super::output::local_span(clock, zone, p.start, p.end);
            let cost = rota.duty_cost(inst, d);
            crate::files::on_call::DutyRecord {
                rota: inst.centre.on_call[p.rota].id.clone(),
                agent: agent.id.clone(),
                name: agent.name.clone(),
                start,
                end,
                utc_offset,
                end_utc_offset,
                hours: format!("{:.2}", p.hours()),
                expected_call_outs: format!("{:.3}", cost.call_outs),
                paid_rest_hours: format!("{:.2}", cost.paid_rest_hours),
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
                paid_rest_hours: round(costs.iter().map(|x| x.paid_rest_hours).sum()),
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
