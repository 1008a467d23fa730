//! Headcount as a decision over a horizon (`slaplan headcount`): per skill
//! group and week, how many agents to keep, hire, cut, add as overtime or
//! borrow as temporary staff, and how many contacts to send each
//! outsourcer, at minimum total cost over the horizon.
//!
//! The model is the capacity plan of workforce management, one level above
//! the week's MIP: each week's need is its requirements ([`requirements`],
//! the same queueing the week's plan staffs to) summed into agent-hours per
//! queue; a group's agents meet it with their paid hours times the schedule
//! efficiency (shifts never follow the intraday curve exactly). Hires start
//! after their lead time and work their training weeks at reduced
//! productivity; attrition takes a share of the payroll each week; a cut
//! leaves after its notice and costs its severance; every agent on the
//! payroll is paid at least the contract's weekly minimum. One MIP over all
//! weeks (hires and cuts whole), solved single-threaded under a node
//! budget, so the same input gives the same decision on any machine.

use chrono::NaiveDate;
use good_lp::{
    constraint, variable, Expression, ProblemVariables, Solution, SolutionStatus, SolverModel,
    Variable,
};

use crate::files::headcount::{
    GroupWeek, HeadcountBreakEven, HeadcountFile, HeadcountTotal, OutsourcedWeek, ShortWeek, Side,
};
use crate::files::round;
use crate::model::{Channel, GroupPolicy, Instance, Pricing, DEFAULT_SCHEDULE_EFFICIENCY};
use crate::pipeline::horizon::{plannable, week_instance};
use crate::requirements::requirements;

/// Nodes the headcount MIP may explore: its integers are a few hires and
/// cuts per group and week, which HiGHS closes in far fewer; the budget
/// keeps the answer the same on a loaded machine.
const NODE_BUDGET: i32 = 200_000;

/// A safety net only (the node budget decides): a minute.
const TIME_LIMIT_S: f64 = 60.0;

/// Weeks in a month and a year, for finance's figures.
const WEEKS_PER_YEAR: f64 = 52.0;

/// Why a headcount decision could not be made.
#[derive(Debug, thiserror::Error)]
pub enum HeadcountError {
    #[error("{0}")]
    Refused(String),
    #[error("week of {0}: {1}")]
    Week(NaiveDate, String),
    #[error("the solver stopped without a decision ({0})")]
    Solver(String),
}

/// One week's need, as the decision reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekNeed {
    pub week_start: NaiveDate,
    /// Per queue: agent-hours to schedule (after shrinkage) for its SLA in
    /// every interval; a tier pool's need on its first queue.
    pub hours: Vec<f64>,
    /// Per queue: contacts forecast.
    pub contacts: Vec<f64>,
    /// Per outsourcer and queue: contacts arriving while it is open.
    pub open_contacts: Vec<Vec<f64>>,
    /// Per skill group: the share of its agents not on strike.
    pub available: Vec<f64>,
}

/// Each week's need over `weeks` weeks from `base`'s, each forecast from
/// the history as `plan --weeks` forecasts it.
pub fn week_needs(base: &Instance, weeks: usize) -> Result<Vec<WeekNeed>, HeadcountError> {
    plannable(base, weeks).map_err(HeadcountError::Refused)?;
    (0..weeks)
        .map(|k| {
            let inst = week_instance(base, k, Default::default());
            need_of(&inst).map_err(|e| HeadcountError::Week(inst.week_start, e))
        })
        .collect()
}

/// `inst`'s week's need.
pub fn need_of(inst: &Instance) -> Result<WeekNeed, String> {
    let c = &inst.centre;
    let demand = crate::pipeline::demand(inst).map_err(|e| e.to_string())?;
    let req = requirements(inst, &demand).map_err(|e| e.to_string())?;
    let n = req.grid.len();
    let step_h = f64::from(c.interval_min) / 60.0;
    let mut hours = vec![0.0; c.queues.len()];
    let mut contacts = vec![0.0; c.queues.len()];
    for (q, queue) in c.queues.iter().enumerate() {
        let pool = c.pool_of(q);
        if pool.is_some_and(|p| p[0] != q) {
            // A tier's agents are its pool's: counted on the pool's first.
        } else {
            let members = c.pooled_with(q);
            hours[q] = (0..n)
                .map(|i| match queue.channel {
                    Channel::Voice { .. } => {
                        members
                            .iter()
                            .map(|&m| {
                                let need = req.need(m, i);
                                if need.open {
                                    f64::from(need.scheduled.unwrap_or(0))
                                } else {
                                    0.0
                                }
                            })
                            .fold(0.0, f64::max)
                            * step_h
                    }
                    Channel::Deferred => req.need(q, i).workload_h / queue.on_duty().max(0.01),
                })
                .sum();
        }
        contacts[q] = (0..n).map(|i| req.need(q, i).contacts).sum();
    }
    let open_contacts = c
        .outsourcers
        .iter()
        .map(|o| {
            (0..c.queues.len())
                .map(|q| {
                    if !o.queues.contains(&q) {
                        return 0.0;
                    }
                    (0..n)
                        .filter(|&i| {
                            let g = &req.grid[i];
                            o.hours.overlaps(g.day, g.start_min, c.interval_min)
                        })
                        .map(|i| req.need(q, i).contacts)
                        .sum()
                })
                .collect()
        })
        .collect();
    let available = (0..c.skill_groups.len())
        .map(|g| {
            let off: f64 = inst
                .strikes
                .iter()
                .filter(|s| s.skill_group == g)
                .map(|s| s.share * s.dates.len() as f64 / 7.0)
                .sum();
            (1.0 - off).clamp(0.0, 1.0)
        })
        .collect();
    Ok(WeekNeed {
        week_start: inst.week_start,
        hours,
        contacts,
        open_contacts,
        available,
    })
}

/// The weekly hours and pay of a stock of agents.
#[derive(Debug, Clone, Copy, Default)]
struct Terms {
    min_h: f64,
    max_h: f64,
    hourly: f64,
}

impl Terms {
    fn of(c: &crate::model::Contract) -> Terms {
        Terms {
            min_h: f64::from(c.weekly_min_min) / 60.0,
            max_h: f64::from(c.weekly_max_min) / 60.0,
            hourly: c.hourly_cost,
        }
    }
}

/// What a group starts with and works under.
#[derive(Debug, Clone)]
struct GroupFacts {
    start: f64,
    policy: GroupPolicy,
    /// The agents file's agents: their contracts' hours and pay averaged.
    existing: Terms,
    /// Hires: the contract they sign.
    hired: Terms,
    /// Whether the policy says anything (else the headcount is fixed).
    moves: bool,
}

impl GroupFacts {
    /// Overtime's hourly base: the present agents', else the hires'.
    fn overtime_hourly(&self) -> f64 {
        if self.start > 0.0 {
            self.existing.hourly
        } else {
            self.hired.hourly
        }
    }
}

fn group_facts(inst: &Instance) -> Result<Vec<GroupFacts>, HeadcountError> {
    let c = &inst.centre;
    (0..c.skill_groups.len())
        .map(|g| {
            let agents: Vec<usize> = inst
                .agents
                .iter()
                .filter(|a| a.skill_group == g)
                .map(|a| a.contract)
                .collect();
            let policy = inst.centre.group_policy(g).cloned();
            let contract = inst.hire_contract(g);
            let moves = policy.is_some();
            let policy = policy.unwrap_or(GroupPolicy {
                contract: None,
                hire: None,
                attrition_per_year: 0.0,
                cut: None,
                overtime: None,
                temps: None,
                min_agents: 0,
                max_agents: crate::model::MAX_AGENTS,
                schedule_efficiency: None,
            });
            if contract.is_none() && policy.hire.is_some() {
                return Err(HeadcountError::Refused(format!(
                    "skill group '{}' has no agents and its headcount policy names no contract: give headcount.groups[].contract, the contract its hires sign",
                    c.skill_groups[g].id
                )));
            }
            let n = agents.len().max(1) as f64;
            let mean = |f: fn(&Terms) -> f64| {
                agents.iter().map(|&k| f(&Terms::of(&c.contracts[k]))).sum::<f64>() / n
            };
            Ok(GroupFacts {
                start: agents.len() as f64,
                policy,
                existing: Terms {
                    min_h: mean(|t| t.min_h),
                    max_h: mean(|t| t.max_h),
                    hourly: mean(|t| t.hourly),
                },
                hired: contract.map_or_else(Terms::default, |k| Terms::of(&c.contracts[k])),
                moves,
            })
        })
        .collect()
}

/// The variables of one group-week: the agents present at the horizon's
/// start still there (`[0]`) and the hires (`[1]`), each with its paid
/// hours.
struct GroupVars {
    stock: [Variable; 2],
    paid: [Variable; 2],
    overtime: Option<Variable>,
    temps: Option<Variable>,
    /// Hires decided this week, if any can still start in the horizon.
    hires: Option<Variable>,
    cuts: Option<Variable>,
    /// Hours met, per queue the group serves.
    meets: Vec<(usize, Variable)>,
}

impl GroupVars {
    fn headcount(&self) -> Expression {
        self.stock[0] + self.stock[1]
    }
}

/// The cheapest headcount over the horizon `needs` spans, for `inst`'s
/// centre and agents.
pub fn decide(inst: &Instance, needs: &[WeekNeed]) -> Result<HeadcountFile, HeadcountError> {
    let mut file = solve(inst, needs, None)?;
    file.break_even = inst
        .centre
        .outsourcers
        .iter()
        .enumerate()
        .filter(|(_, o)| o.available)
        .map(|(o, _)| break_even(inst, needs, o))
        .collect::<Result<_, _>>()?;
    Ok(file)
}

/// Outsourcer `o`'s break-even over the horizon: the price (a contact's
/// or a seat-hour's, as it charges), to a cent, at which its contacts
/// fall to none — by bisection, since what it takes
/// can only fall as its price rises.
fn break_even(
    inst: &Instance,
    needs: &[WeekNeed],
    o: usize,
) -> Result<HeadcountBreakEven, HeadcountError> {
    let out = &inst.centre.outsourcers[o];
    let (price, unit) = match out.pricing {
        Pricing::PerContact(p) => (p, "contact"),
        Pricing::PerSeatHour(p) => (p, "seat-hour"),
    };
    let side = |p: f64| -> Result<Side, HeadcountError> {
        let f = solve(inst, needs, Some((o, p)))?;
        let taken: f64 = f
            .outsourced
            .iter()
            .filter(|w| w.outsourcer == out.id)
            .map(|w| w.contacts)
            .sum();
        Ok(Side {
            price: round(p, 2),
            cost: f.total.cost,
            outsourced_contacts: round(taken, 1),
            hires: f.total.hires,
            temp_hours: round(f.groups.iter().map(|g| g.temp_hours).sum(), 1),
            overtime_hours: round(f.groups.iter().map(|g| g.overtime_hours).sum(), 1),
        })
    };
    let takes = |s: &Side| s.outsourced_contacts > 0.5;
    let none = HeadcountBreakEven {
        outsourcer: out.id.clone(),
        unit: unit.to_string(),
        price,
        break_even: None,
        below: None,
        above: None,
    };
    let free = side(0.0)?;
    if !takes(&free) {
        return Ok(none);
    }
    // A price above which nothing is sent: doubled from the given one, up
    // to where a contact (or a seat-hour) costs what the hours it meets
    // would cost short. Still taking contacts there, the outsourcer meets
    // need nothing else can (a lead time, a cap): no price turns it.
    let limit = short_price(&group_facts(inst)?)
        * match out.pricing {
            Pricing::PerContact(_) => out
                .queues
                .iter()
                .flat_map(|&q| needs.iter().map(move |n| hours_per_contact(n, q)))
                .fold(0.0, f64::max),
            Pricing::PerSeatHour(_) => 1.0,
        };
    let mut hi = price.max(1.0).min(limit);
    let mut at_hi = side(hi)?;
    while takes(&at_hi) {
        if hi >= limit {
            return Ok(HeadcountBreakEven {
                below: Some(at_hi),
                ..none
            });
        }
        hi = (hi * 2.0).min(limit);
        at_hi = side(hi)?;
    }
    let mut lo = 0.0;
    let mut at_lo = free;
    while hi - lo > 0.01 {
        let mid = (lo + hi) / 2.0;
        let s = side(mid)?;
        if takes(&s) {
            lo = mid;
            at_lo = s;
        } else {
            hi = mid;
            at_hi = s;
        }
    }
    Ok(HeadcountBreakEven {
        outsourcer: out.id.clone(),
        unit: unit.to_string(),
        price,
        break_even: Some(round(lo, 2)),
        below: Some(at_lo),
        above: Some(at_hi),
    })
}

/// One solve of the horizon's MIP, at the model's prices or with `priced`
/// `(o, p)`: outsourcer `o` at `p` a contact.
fn solve(
    inst: &Instance,
    needs: &[WeekNeed],
    priced: Option<(usize, f64)>,
) -> Result<HeadcountFile, HeadcountError> {
    let c = &inst.centre;
    let weeks = needs.len();
    if weeks == 0 {
        return Err(HeadcountError::Refused("a horizon of no week".into()));
    }
    let efficiency = c
        .headcount
        .as_ref()
        .map_or(DEFAULT_SCHEDULE_EFFICIENCY, |h| h.schedule_efficiency);
    let facts = group_facts(inst)?;
    let mut vars = ProblemVariables::new();
    let mut cost = Expression::default();
    let mut rows = Vec::new();
    let short_price = short_price(&facts);

    // Per group, per week.
    let mut g_vars: Vec<Vec<GroupVars>> = Vec::new();
    for (g, f) in facts.iter().enumerate() {
        let p = &f.policy;
        let mut weeks_vars = Vec::with_capacity(weeks);
        for (k, need) in needs.iter().enumerate() {
            let alpha = need.available[g];
            let stock = [vars.add(variable().min(0.0)), vars.add(variable().min(0.0))];
            let paid = [vars.add(variable().min(0.0)), vars.add(variable().min(0.0))];
            for (s, t) in [f.existing, f.hired].iter().enumerate() {
                cost += t.hourly * paid[s];
                rows.push(constraint!(paid[s] >= alpha * t.min_h * stock[s]));
                rows.push(constraint!(paid[s] <= alpha * t.max_h * stock[s]));
            }
            let overtime = p.overtime.filter(|_| f.moves).map(|o| {
                let v = vars.add(variable().min(0.0));
                cost += f.overtime_hourly() * (1.0 + o.premium) * v;
                rows.push(constraint!(
                    v <= alpha * f64::from(o.max_min) / 60.0 * (stock[0] + stock[1])
                ));
                v
            });
            let temps = p.temps.filter(|_| f.moves).map(|t| {
                let v = vars.add(
                    variable()
                        .min(0.0)
                        .max(f64::from(t.max_agents) * f64::from(t.weekly_min) / 60.0),
                );
                cost += t.hourly_cost * v;
                v
            });
            let hires = p
                .hire
                .filter(|h| f.moves && k + (h.lead_weeks as usize) < weeks)
                .map(|h| {
                    let v = vars.add(variable().integer().min(0.0).max(f64::from(h.max_per_week)));
                    cost += h.cost * v;
                    v
                });
            let cuts = p
                .cut
                .filter(|h| f.moves && k + (h.notice_weeks as usize) < weeks)
                .map(|h| {
                    let v = vars.add(variable().integer().min(0.0));
                    cost += h.severance * v;
                    v
                });
            let meets = c.skill_groups[g]
                .queues
                .iter()
                .map(|&q| (q, vars.add(variable().min(0.0))))
                .collect();
            weeks_vars.push(GroupVars {
                stock,
                paid,
                overtime,
                temps,
                hires,
                cuts,
                meets,
            });
        }
        g_vars.push(weeks_vars);
    }
    // Headcount flow, bounds and capacity.
    for (g, f) in facts.iter().enumerate() {
        let p = &f.policy;
        let weekly_attrition = if f.moves {
            1.0 - (1.0 - p.attrition_per_year).powf(1.0 / WEEKS_PER_YEAR)
        } else {
            0.0
        };
        for k in 0..weeks {
            let arrivals = sum_of(&g_vars[g], starting(p, k), |v| v.hires);
            let departures = sum_of(&g_vars[g], leaving(p, k), |v| v.cuts);
            let [present, hired] = g_vars[g][k].stock;
            if k == 0 {
                rows.push(constraint!(present == f.start - departures));
                rows.push(constraint!(hired == arrivals));
            } else {
                let [p0, h0] = g_vars[g][k - 1].stock;
                let keep = 1.0 - weekly_attrition;
                rows.push(constraint!(present == keep * p0 - departures));
                rows.push(constraint!(hired == keep * h0 + arrivals));
            }
            let h = g_vars[g][k].headcount();
            // The policy's bounds bind where a move can reach them.
            if p.hire.is_some() && f.moves {
                let lead = p.hire.map_or(0, |h| h.lead_weeks as usize);
                if k >= lead {
                    rows.push(constraint!(h.clone() >= f64::from(p.min_agents)));
                }
            }
            if p.cut.is_some() && f.moves {
                let notice = p.cut.map_or(0, |c| c.notice_weeks as usize);
                if k >= notice {
                    rows.push(constraint!(h.clone() <= f64::from(p.max_agents)));
                }
            }
            if p.hire.is_some() && f.moves {
                // Hiring never takes the group past its maximum.
                rows.push(constraint!(h <= f64::from(p.max_agents).max(f.start)));
            }
            let v = &g_vars[g][k];
            let alpha = needs[k].available[g];
            let mut capacity: Expression = v.paid[0] + v.paid[1];
            if let Some(o) = v.overtime {
                capacity += o;
            }
            if let (Some(t), Some(tp)) = (v.temps, p.temps) {
                capacity += tp.productivity * t;
            }
            if let Some(hire) = p.hire.filter(|h| h.training_productivity < 1.0) {
                // The trainees present (the starters of the last
                // `training_weeks`, less attrition since) and their paid
                // hours, within their contract like any hire's: each of
                // their hours meets `training_productivity` of one.
                let trainees: Expression = training(p, k)
                    .into_iter()
                    .enumerate()
                    .filter_map(|(t, j)| {
                        let kept = (1.0 - weekly_attrition).powi(t as i32);
                        g_vars[g][j].hires.map(|v| kept * v)
                    })
                    .sum();
                let w = vars.add(variable().min(0.0));
                let trained = v.paid[1] - w;
                let (lo, hi) = (alpha * f.hired.min_h, alpha * f.hired.max_h);
                rows.push(constraint!(w >= lo * trainees.clone()));
                rows.push(constraint!(w <= hi * trainees.clone()));
                rows.push(constraint!(
                    trained.clone() >= lo * (v.stock[1] - trainees.clone())
                ));
                rows.push(constraint!(trained <= hi * (v.stock[1] - trainees)));
                capacity -= (1.0 - hire.training_productivity) * w;
            }
            let met: Expression = v.meets.iter().map(|&(_, m)| m).sum();
            let e = p.schedule_efficiency.unwrap_or(efficiency);
            rows.push(constraint!(met <= e * capacity));
        }
    }
    // Outsourcers.
    let mut sent: Vec<Vec<Vec<(usize, Variable)>>> = Vec::new();
    for (o, out) in c.outsourcers.iter().enumerate() {
        let mut per_week = Vec::new();
        for need in needs {
            let mut xs = Vec::new();
            if out.available {
                let price = priced_at(out.pricing, priced, o);
                let mut seat_hours = Expression::default();
                for &q in &out.queues {
                    let cap = need.open_contacts[o][q];
                    if cap <= 0.0 {
                        continue;
                    }
                    let x = vars.add(variable().min(0.0).max(cap));
                    seat_hours += seat_hours_per_contact(c, need, q) * x;
                    cost += contact_cost(price, c, need, q) * x;
                    xs.push((q, x));
                }
                let open_h = f64::from(out.hours.open_minutes()) / 60.0;
                rows.push(constraint!(seat_hours <= f64::from(out.seats) * open_h));
                if out.min_weekly_contacts > 0.0 && !xs.is_empty() {
                    let used = vars.add(variable().binary());
                    let total: Expression = xs.iter().map(|&(_, x)| x).sum();
                    let room: f64 = xs.iter().map(|&(q, _)| need.open_contacts[o][q]).sum();
                    rows.push(constraint!(total.clone() >= out.min_weekly_contacts * used));
                    rows.push(constraint!(total <= room * used));
                }
            }
            per_week.push(xs);
        }
        sent.push(per_week);
    }
    // Coverage per queue and week.
    let mut shorts: Vec<Vec<Variable>> = Vec::new();
    for (k, need) in needs.iter().enumerate() {
        let mut row_shorts = Vec::new();
        for q in 0..c.queues.len() {
            let s = vars.add(variable().min(0.0));
            cost += short_price * s;
            let mut met: Expression = s.into();
            for gv in &g_vars {
                for &(mq, m) in &gv[k].meets {
                    if mq == q {
                        met += m;
                    }
                }
            }
            for per_week in &sent {
                for &(sq, x) in &per_week[k] {
                    if sq == q {
                        met += hours_per_contact(need, q) * x;
                    }
                }
            }
            rows.push(constraint!(met >= need.hours[q]));
            row_shorts.push(s);
        }
        shorts.push(row_shorts);
    }

    let mut problem = vars.minimise(cost).using(good_lp::solvers::highs::highs);
    for r in rows {
        problem.add_constraint(r);
    }
    let problem = problem
        .set_option("threads", 1)
        .set_option("random_seed", 0)
        .set_option("mip_max_nodes", NODE_BUDGET)
        .set_option("time_limit", TIME_LIMIT_S)
        .set_option("mip_rel_gap", 1e-6);
    let sol = problem
        .solve()
        .map_err(|e| HeadcountError::Solver(e.to_string()))?;
    let status = match sol.status() {
        SolutionStatus::Optimal => "optimal",
        SolutionStatus::GapLimit => "within 0.0001%",
        SolutionStatus::TimeLimit => "budget",
    }
    .to_string();
    let val = |v: Variable| sol.value(v).max(0.0);
    let whole = |v: Option<Variable>| v.map_or(0, |v| val(v).round() as u32);

    let mut groups = Vec::new();
    let mut total = HeadcountTotal {
        cost: 0.0,
        in_house: 0.0,
        overtime: 0.0,
        temps: 0.0,
        hiring: 0.0,
        severance: 0.0,
        outsourced: 0.0,
        contacts: needs.iter().flat_map(|n| &n.contacts).sum(),
        outsourced_contacts: 0.0,
        cost_per_contact: None,
        cost_per_month: 0.0,
        cost_per_year: 0.0,
        hires: 0,
        cuts: 0,
        short_hours: 0.0,
    };
    for (g, f) in facts.iter().enumerate() {
        let p = &f.policy;
        let mut before = f.start;
        for (k, need) in needs.iter().enumerate() {
            let v = &g_vars[g][k];
            let (kept, joined) = (val(v.stock[0]), val(v.stock[1]));
            let headcount = kept + joined;
            let paid = val(v.paid[0]) + val(v.paid[1]);
            let paid_cost = f.existing.hourly * val(v.paid[0]) + f.hired.hourly * val(v.paid[1]);
            let overtime = v.overtime.map_or(0.0, val);
            let temps = v.temps.map_or(0.0, val);
            let hires = whole(v.hires);
            let cuts = whole(v.cuts);
            let starters = starting(p, k).map_or(0, |j| whole(g_vars[g][j].hires));
            let departures = leaving(p, k).map_or(0, |j| whole(g_vars[g][j].cuts));
            let trainees: u32 = training(p, k)
                .into_iter()
                .map(|j| whole(g_vars[g][j].hires))
                .sum();
            let leavers = if k == 0 {
                0.0
            } else {
                (before - headcount + f64::from(starters) - f64::from(departures)).max(0.0)
            };
            before = headcount;
            let overtime_cost =
                f.overtime_hourly() * (1.0 + p.overtime.map_or(0.0, |o| o.premium)) * overtime;
            let temp_cost = p.temps.map_or(0.0, |t| t.hourly_cost) * temps;
            let hire_cost = p.hire.map_or(0.0, |h| h.cost) * f64::from(hires);
            let cut_cost = p.cut.map_or(0.0, |c| c.severance) * f64::from(cuts);
            total.in_house += paid_cost;
            total.overtime += overtime_cost;
            total.temps += temp_cost;
            total.hiring += hire_cost;
            total.severance += cut_cost;
            total.hires += hires;
            total.cuts += cuts;
            groups.push(GroupWeek {
                week_start: need.week_start,
                group: c.skill_groups[g].id.clone(),
                headcount: round(headcount, 2),
                kept: round(kept, 2),
                joined: round(joined, 2),
                hires,
                starters,
                trainees,
                leavers: round(leavers, 2),
                cuts,
                departures,
                paid_hours: round(paid, 1),
                overtime_hours: round(overtime, 1),
                temp_hours: round(temps, 1),
                need_hours: round(v.meets.iter().map(|&(_, m)| val(m)).sum(), 1),
                cost: round(
                    paid_cost + overtime_cost + temp_cost + hire_cost + cut_cost,
                    2,
                ),
            });
        }
    }
    let mut outsourced = Vec::new();
    for (o, out) in c.outsourcers.iter().enumerate() {
        for (k, need) in needs.iter().enumerate() {
            let contacts: f64 = sent[o][k].iter().map(|&(_, x)| val(x)).sum();
            if contacts < 1e-6 {
                continue;
            }
            let price = priced_at(out.pricing, priced, o);
            let cost: f64 = sent[o][k]
                .iter()
                .map(|&(q, x)| contact_cost(price, c, need, q) * val(x))
                .sum();
            total.outsourced += cost;
            total.outsourced_contacts += contacts;
            outsourced.push(OutsourcedWeek {
                week_start: need.week_start,
                outsourcer: out.id.clone(),
                contacts: round(contacts, 1),
                cost: round(cost, 2),
            });
        }
    }
    let mut short = Vec::new();
    for (k, need) in needs.iter().enumerate() {
        for (q, &s) in shorts[k].iter().enumerate() {
            let hours = val(s);
            if hours > 0.05 {
                total.short_hours += hours;
                short.push(ShortWeek {
                    week_start: need.week_start,
                    queue: c.queues[q].id.clone(),
                    hours: round(hours, 1),
                });
            }
        }
    }
    total.cost = total.in_house
        + total.overtime
        + total.temps
        + total.hiring
        + total.severance
        + total.outsourced;
    let per_week = total.cost / weeks as f64;
    total.cost_per_contact = (total.contacts > 0.0).then(|| round(total.cost / total.contacts, 4));
    total.cost_per_month = round(per_week * WEEKS_PER_YEAR / 12.0, 2);
    total.cost_per_year = round(per_week * WEEKS_PER_YEAR, 2);
    for x in [
        &mut total.cost,
        &mut total.in_house,
        &mut total.overtime,
        &mut total.temps,
        &mut total.hiring,
        &mut total.severance,
        &mut total.outsourced,
    ] {
        *x = round(*x, 2);
    }
    total.contacts = round(total.contacts, 1);
    total.outsourced_contacts = round(total.outsourced_contacts, 1);
    total.short_hours = round(total.short_hours, 1);
    Ok(HeadcountFile {
        centre: c.name.clone(),
        currency: c.currency.clone(),
        first_week: needs[0].week_start,
        weeks,
        schedule_efficiency: efficiency,
        status,
        total,
        groups,
        outsourced,
        short,
        break_even: Vec::new(),
    })
}

/// The price of an agent-hour of need nothing meets: a thousand times the
/// dearest hour an agent, overtime or temp costs, so that the decision
/// falls short only where no move reaches (and says so).
fn short_price(facts: &[GroupFacts]) -> f64 {
    let dearest = facts
        .iter()
        .map(|f| {
            f.existing.hourly.max(f.hired.hourly)
                * (1.0 + f.policy.overtime.map_or(0.0, |o| o.premium))
        })
        .chain(
            facts
                .iter()
                .filter_map(|f| f.policy.temps.map(|t| t.hourly_cost)),
        )
        .fold(1.0, f64::max);
    1000.0 * dearest
}

/// Outsourcer `o`'s pricing, at `priced`'s price where it names `o`.
fn priced_at(pricing: Pricing, priced: Option<(usize, f64)>, o: usize) -> Pricing {
    match (priced, pricing) {
        (Some((po, p)), Pricing::PerContact(_)) if po == o => Pricing::PerContact(p),
        (Some((po, p)), Pricing::PerSeatHour(_)) if po == o => Pricing::PerSeatHour(p),
        (_, pricing) => pricing,
    }
}

/// Agent-hours one contact of queue `q` brings in the week (its need over
/// its contacts); 0 without contacts.
fn hours_per_contact(need: &WeekNeed, q: usize) -> f64 {
    if need.contacts[q] > 0.0 {
        need.hours[q] / need.contacts[q]
    } else {
        0.0
    }
}

/// Seat-hours one contact of queue `q` takes an outsourcer in the week:
/// the hours it brings, less the shrinkage its seats do not have.
fn seat_hours_per_contact(c: &crate::model::Centre, need: &WeekNeed, q: usize) -> f64 {
    hours_per_contact(need, q) * c.queues[q].on_duty()
}

/// What one contact of queue `q` sent out at `price` costs: the price, or
/// its seat-hours at the seat-hour price.
fn contact_cost(price: Pricing, c: &crate::model::Centre, need: &WeekNeed, q: usize) -> f64 {
    match price {
        Pricing::PerContact(p) => p,
        Pricing::PerSeatHour(p) => p * seat_hours_per_contact(c, need, q),
    }
}

/// The week whose hires start in week `k` (`lead_weeks` before).
fn starting(p: &GroupPolicy, k: usize) -> Option<usize> {
    p.hire.and_then(|h| k.checked_sub(h.lead_weeks as usize))
}

/// The week whose cuts leave in week `k` (`notice_weeks` before).
fn leaving(p: &GroupPolicy, k: usize) -> Option<usize> {
    p.cut.and_then(|c| k.checked_sub(c.notice_weeks as usize))
}

/// The weeks whose hires are in training in week `k`: those starting in
/// its last `training_weeks` weeks, `k` included.
fn training(p: &GroupPolicy, k: usize) -> Vec<usize> {
    p.hire.map_or_else(Vec::new, |h| {
        (0..h.training_weeks as usize)
            .filter_map(|t| k.checked_sub(t + h.lead_weeks as usize))
            .collect()
    })
}

/// A group's hires (or cuts, by `pick`) of the weeks `from`, as a sum.
fn sum_of(
    g: &[GroupVars],
    from: impl IntoIterator<Item = usize>,
    pick: fn(&GroupVars) -> Option<Variable>,
) -> Expression {
    from.into_iter()
        .filter_map(|j| pick(&g[j]))
        .map(Expression::from)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HeadcountPolicy, Hiring, Outsourcer, Temps};

    /// The horizon fixture's centre (16 agents of 24 to 40 hours at 20 an
    /// hour, one group on the line and the e-mail) with `policy` for its
    /// group.
    fn fixture(policy: GroupPolicy) -> Instance {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/horizon/week.yaml");
        let mut inst = crate::input::load_instance(&path).expect("the fixture loads");
        inst.centre.headcount = Some(HeadcountPolicy {
            schedule_efficiency: 0.85,
            groups: vec![Some(policy)],
        });
        inst
    }

    fn policy(hire: Hiring, temps: Option<Temps>) -> GroupPolicy {
        GroupPolicy {
            contract: Some(0),
            hire: Some(hire),
            attrition_per_year: 0.0,
            cut: None,
            overtime: None,
            temps,
            min_agents: 0,
            max_agents: 100,
            schedule_efficiency: None,
        }
    }

    /// `line[k]` agent-hours on the line in week `k` (0.1 hour a contact),
    /// no e-mail, `outsourcers` of them open all week.
    fn needs(line: &[f64], outsourcers: usize) -> Vec<WeekNeed> {
        let monday = NaiveDate::from_ymd_opt(2024, 3, 11).unwrap();
        line.iter()
            .enumerate()
            .map(|(k, &h)| WeekNeed {
                week_start: monday + chrono::Days::new(7 * k as u64),
                hours: vec![h, 0.0],
                contacts: vec![h * 10.0, 0.0],
                open_contacts: vec![vec![h * 10.0, 0.0]; outsourcers],
                available: vec![1.0],
            })
            .collect()
    }

    fn weekly<T>(f: &HeadcountFile, pick: impl Fn(&GroupWeek) -> T) -> Vec<T> {
        f.groups.iter().map(pick).collect()
    }

    /// The need jumps in week 2 beyond what the 16 agents can work. With
    /// hires three weeks away, temps carry week 2 and the hires decided
    /// in week 0 start in week 3; with no lead time the hires start in
    /// week 2 and no temp is needed.
    #[test]
    fn hires_start_after_their_lead_time() {
        let hire = |lead_weeks| Hiring {
            cost: 1000.0,
            lead_weeks,
            training_weeks: 0,
            training_productivity: 1.0,
            max_per_week: 50,
        };
        let temps = Temps {
            hourly_cost: 60.0,
            max_agents: 20,
            weekly_min: 40 * 60,
            productivity: 1.0,
        };
        let line = [
            300.0, 300.0, 800.0, 800.0, 800.0, 800.0, 800.0, 800.0, 800.0, 800.0,
        ];
        let late = decide(&fixture(policy(hire(3), Some(temps))), &needs(&line, 0)).unwrap();
        let starters = weekly(&late, |g| g.starters);
        let hires = weekly(&late, |g| g.hires);
        let temps_h = weekly(&late, |g| g.temp_hours);
        assert_eq!(&starters[..3], &[0, 0, 0], "{starters:?}");
        assert!(starters[3] > 0, "{starters:?}");
        for k in 3..line.len() {
            assert_eq!(
                starters[k],
                hires[k - 3],
                "week {k}: {starters:?} {hires:?}"
            );
        }
        assert!(temps_h[2] > 200.0, "{temps_h:?}");
        assert!(temps_h[3..].iter().all(|&t| t < temps_h[2]), "{temps_h:?}");
        assert!(late.total.short_hours < 1e-9);
        // Week 2's need met: the agents' hours and the temps' at 85%.
        let paid2 = late.groups[2].paid_hours + temps_h[2];
        assert!(0.85 * paid2 >= 800.0 - 0.5, "{paid2}");

        let at_once = decide(&fixture(policy(hire(0), Some(temps))), &needs(&line, 0)).unwrap();
        let starters = weekly(&at_once, |g| g.starters);
        assert!(starters[2] > 0, "{starters:?}");
        assert!(weekly(&at_once, |g| g.temp_hours).iter().all(|&t| t < 0.05));
        assert!(at_once.total.cost < late.total.cost);
    }

    /// Hires train: two weeks at half an agent's work mean more hires (or
    /// earlier ones) than the same need with trained hires.
    #[test]
    fn training_weeks_cost_productivity() {
        let hire = |training_weeks| Hiring {
            cost: 1000.0,
            lead_weeks: 1,
            training_weeks,
            training_productivity: 0.5,
            max_per_week: 50,
        };
        let line = [300.0, 300.0, 800.0, 800.0, 800.0, 800.0, 800.0, 800.0];
        let trained = decide(&fixture(policy(hire(0), None)), &needs(&line, 0)).unwrap();
        let training = decide(&fixture(policy(hire(2), None)), &needs(&line, 0)).unwrap();
        let trainees = weekly(&training, |g| g.trainees);
        assert!(trainees[2] > 0 && trainees[3] > 0, "{trainees:?}");
        assert!(training.total.hires > trained.total.hires);
        assert!(training.total.cost > trained.total.cost);
    }

    /// A trainee meets `training_productivity` of each hour they work, up
    /// to their contract's maximum like any hire: the 16 agents' 40 hours
    /// meet 0.85 × 640 of the 800 hours asked, and each hire, in training
    /// to the horizon's end, half of 0.85 × 40 — 16 hires at least (11 if
    /// only the contract's minimum hours were at half).
    #[test]
    fn a_trainees_every_hour_meets_their_share() {
        let hire = Hiring {
            cost: 1000.0,
            lead_weeks: 1,
            training_weeks: 8,
            training_productivity: 0.5,
            max_per_week: 50,
        };
        let line = [300.0, 300.0, 800.0, 800.0];
        let f = decide(&fixture(policy(hire, None)), &needs(&line, 0)).unwrap();
        let least = ((800.0_f64 / 0.85 - 640.0) / (0.5 * 40.0)).ceil() as u32;
        assert_eq!(least, 16);
        assert!(f.total.hires >= least, "{} hires", f.total.hires);
        assert!(f.total.short_hours < 1e-6, "{}", f.total.short_hours);
        assert_eq!(weekly(&f, |g| g.trainees)[2], f.total.hires);
    }

    /// An outsourcer on the line, priced per contact, against hiring for
    /// a need that grows in week 1: below its break-even it takes contacts
    /// and fewer agents are hired; above it none, and more are hired —
    /// each side solved again at the price a few cents away.
    #[test]
    fn the_decision_turns_at_the_outsourcers_break_even() {
        let hire = Hiring {
            cost: 1500.0,
            lead_weeks: 0,
            training_weeks: 0,
            training_productivity: 1.0,
            max_per_week: 50,
        };
        let mut inst = fixture(policy(hire, None));
        inst.centre.outsourcers = vec![Outsourcer {
            id: "partner".into(),
            name: "Partner".into(),
            queues: vec![0],
            hours: crate::input::week_hours_text("{all: 24h}").unwrap(),
            pricing: Pricing::PerContact(3.0),
            seats: 1000,
            min_weekly_contacts: 0.0,
            aht_s: 300.0,
            available: true,
        }];
        let line = [400.0, 700.0, 700.0, 700.0, 700.0, 700.0, 700.0, 700.0];
        let needs = needs(&line, 1);
        let f = decide(&inst, &needs).unwrap();
        let b = &f.break_even[0];
        let p = b.break_even.expect("a break-even");
        // The 16 agents meet 544 hours at most; 156 more a week are four
        // hires at 34 (4.6 hires' worth) and 20 hours over. An hour met
        // in-house costs at least 20 / 0.85 = 23.53 (2.35 a contact of
        // 0.1 hour); a fifth hire for those 20 hours costs 1,500 and its
        // 24 paid hours a week, 4,860 over 7 weeks for 140 hours met
        // (3.47 a contact). The break-even lies between.
        assert!(p > 2.35 && p < 3.47, "{p}");
        let (below, above) = (b.below.as_ref().unwrap(), b.above.as_ref().unwrap());
        assert!(below.outsourced_contacts > 0.0 && above.outsourced_contacts == 0.0);
        assert!(below.hires < above.hires, "{below:?} {above:?}");
        for (price, sends) in [(p - 0.05, true), (p + 0.05, false)] {
            inst.centre.outsourcers[0].pricing = Pricing::PerContact(price);
            let at = solve(&inst, &needs, None).unwrap();
            assert_eq!(at.total.outsourced_contacts > 0.0, sends, "{price}");
            if sends {
                assert!(at.total.hires <= below.hires, "{price}");
            } else {
                assert_eq!(at.total.hires, above.hires, "{price}");
            }
        }
    }

    /// A cut leaves after its notice, and is paid until then.
    #[test]
    fn cuts_leave_after_their_notice() {
        let mut p = policy(
            Hiring {
                cost: 1000.0,
                lead_weeks: 0,
                training_weeks: 0,
                training_productivity: 1.0,
                max_per_week: 50,
            },
            None,
        );
        p.hire = None;
        p.cut = Some(crate::model::Cutting {
            severance: 500.0,
            notice_weeks: 2,
        });
        let line = [100.0; 10];
        let f = decide(&fixture(p), &needs(&line, 0)).unwrap();
        let heads = weekly(&f, |g| g.headcount);
        let cuts = weekly(&f, |g| g.cuts);
        let gone = weekly(&f, |g| g.departures);
        assert!(cuts[0] > 0, "{cuts:?}");
        let near = |a: f64, b: f64| (a - b).abs() < 1e-6;
        assert!(near(heads[0], 16.0) && near(heads[1], 16.0), "{heads:?}");
        assert_eq!(gone[2], cuts[0]);
        assert!(near(heads[2], 16.0 - f64::from(cuts[0])), "{heads:?}");
        // 100 hours a week need 100 / 0.85 / 24 = 4.9 agents at the
        // minimum: the rest are cut at once.
        assert!(heads[9] >= 4.9 && heads[9] < 6.0, "{heads:?}");
    }
}
