//! The centre's week as a rostering problem: the plan's shift counts per
//! skill group, day and start become cover each agent of the group can
//! fill, under their contract's rules (hours, days, consecutive days, rest
//! between shifts, weekly rest, days off in a row, weekends) and absences.
//! A shortfall is priced far above any wage, so the roster keeps every
//! planned shift when the rules allow it and says which it could not fill
//! otherwise. Breaks then go to the named agents in the plan's numbers, so
//! the plan's coverage holds shift for shift.

use super::{
    Allowed, Assignment, Cover, Employee, Fairness, Problem, Request, RosterOptions, Shift, Timing,
};
use crate::plan::extract::Solution;
use crate::plan::groups::{can_work, min_minutes, takes};
use crate::plan::options::eligible;
use crate::plan::solve::SolveStats;
use crate::plan::Context;

/// Price of one planned shift the roster leaves unfilled.
pub const SHORT_PRICE: f64 = 1e4;

/// One agent's shift in the roster.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentShift {
    pub agent: usize,
    pub group: usize,
    /// The shift option (template, day, start) of the plan.
    pub option: usize,
    /// Per break of the template, its start in minutes after the shift's.
    pub breaks: Vec<u32>,
    /// Queues the plan gives the agent's group time on during the shift,
    /// in the skill group's priority order.
    pub queues: Vec<usize>,
}

/// A planned shift the roster could not fill.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfilled {
    pub group: usize,
    pub option: usize,
    pub planned: u32,
    pub filled: u32,
    /// Per agent of the group, the rules that keep them off it.
    pub why: Vec<(usize, Vec<String>)>,
}

#[derive(Debug, Clone)]
pub struct CentreRoster {
    pub stats: SolveStats,
    /// Sorted by agent, then start.
    pub shifts: Vec<AgentShift>,
    pub wages: f64,
    pub unfilled: Vec<Unfilled>,
}

impl CentreRoster {
    /// Every planned shift has its agent (and there are shifts at all: an
    /// empty roster is one the search did not find in time).
    pub fn is_complete(&self) -> bool {
        self.unfilled.is_empty() && !self.shifts.is_empty()
    }
}

/// Names the agents of the plan `sol`.
pub fn roster(cx: &Context, sol: &Solution, opts: &RosterOptions) -> CentreRoster {
    let (p, kinds) = problem(cx, sol);
    let solved = super::solve(&p, opts);
    let mut out = CentreRoster {
        stats: solved.stats,
        shifts: Vec::new(),
        wages: 0.0,
        unfilled: Vec::new(),
    };
    let Some(a) = solved.assignment else {
        return out;
    };
    out.wages = solved.objective.map_or(0.0, |o| o.wages);
    out.shifts = place(cx, sol, &kinds, &a);
    for ps in sol.shifts.iter().filter(|s| s.count > 0) {
        let filled = out
            .shifts
            .iter()
            .filter(|s| s.group == ps.group && s.option == ps.option)
            .count() as u32;
        if filled < ps.count {
            let kind = kinds
                .binary_search(&ps.option)
                .expect("a kind per planned option");
            let day = cx.options[ps.option].day;
            let why = cx.groups[ps.group]
                .agents
                .iter()
                .map(|&e| (e, super::why_not(&p, &a, e, day, kind)))
                .collect();
            out.unfilled.push(Unfilled {
                group: ps.group,
                option: ps.option,
                planned: ps.count,
                filled,
                why,
            });
        }
    }
    out
}

/// The rostering problem of a plan, and the shift option of each kind.
pub fn problem(cx: &Context, sol: &Solution) -> (Problem, Vec<usize>) {
    let inst = cx.inst;
    let c = &inst.centre;
    let clock = &cx.clock;
    let mut kinds: Vec<usize> = sol
        .shifts
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| s.option)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let kind_of = |o: usize| kinds.binary_search(&o).ok();
    let shifts = kinds
        .iter()
        .map(|&o| {
            let opt = &cx.options[o];
            let t = &c.shift_templates[opt.template];
            // The model's forbidden successions: kinds of the templates
            // that may not follow this one (they lie on other days, so
            // only the next day's count).
            let cannot_follow = kinds
                .iter()
                .enumerate()
                .filter(|(_, &o2)| {
                    c.forbidden_successions
                        .contains(&(opt.template, cx.options[o2].template))
                })
                .map(|(k, _)| k)
                .collect();
            Shift {
                id: opt.label(t),
                minutes: t.paid_min(),
                cannot_follow,
                start_min: Some(opt.start_min),
            }
        })
        .collect();
    let matching = |day: usize, wish: crate::model::Wish| -> Vec<usize> {
        kinds
            .iter()
            .enumerate()
            .filter(|(_, &o)| {
                let opt = &cx.options[o];
                opt.day == day
                    && match wish {
                        crate::model::Wish::Off => true,
                        crate::model::Wish::Work {
                            template,
                            start_min,
                        } => {
                            opt.template == template && start_min.is_none_or(|m| m == opt.start_min)
                        }
                    }
            })
            .map(|(k, _)| k)
            .collect()
    };
    let mut group_of = vec![0; inst.agents.len()];
    for (g, grp) in cx.groups.iter().enumerate() {
        for &a in &grp.agents {
            group_of[a] = g;
        }
    }
    // Per group and day: whether a strike keeps some of those who could
    // work at home (the plan's `available` is below them); then the
    // group's share of agent-days the strike leaves.
    let can: Vec<[u32; 7]> = cx
        .groups
        .iter()
        .map(|grp| {
            std::array::from_fn(|d| {
                grp.agents
                    .iter()
                    .filter(|&&a| can_work(inst, clock, &cx.kept_off, a, d))
                    .count() as u32
            })
        })
        .collect();
    let struck = |g: usize, d: usize| cx.groups[g].available[d] < can[g][d];
    // Agent-days the strikes leave the group, of those its agents could work.
    let left = |g: usize| -> (u64, u64) {
        (0..7).fold((0, 0), |(l, k), d| {
            (
                l + u64::from(cx.groups[g].available[d]),
                k + u64::from(can[g][d]),
            )
        })
    };
    // The longest paid shift of each group's contract and site.
    let longest: Vec<u32> = cx
        .groups
        .iter()
        .map(|grp| {
            c.shift_templates
                .iter()
                .filter(|t| eligible(t, grp.contract, &c.contracts[grp.contract], grp.site))
                .map(|t| t.paid_min())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let employees = inst
        .agents
        .iter()
        .enumerate()
        .map(|(a, agent)| {
            let g = group_of[a];
            let contract = &c.contracts[agent.contract];
            // The weekly minimum, pro rata for days lost to absences; in a
            // group on strike, also for the agent-days the strike takes
            // (strikers are not paid), in whole shifts of the group's
            // longest, so that the agents' minimums fit the days left.
            let days = (0..7)
                .filter(|&d| can_work(inst, clock, &cx.kept_off, a, d))
                .count() as u32;
            let mut min_minutes = min_minutes(inst, a, days);
            let (kept, could) = left(g);
            if (0..7).any(|d| struck(g, d)) && longest[g] > 0 && could > 0 {
                let share = (u64::from(min_minutes) * kept / could) as u32;
                min_minutes = share / longest[g] * longest[g];
            }
            let allowed = (0..7)
                .map(|d| {
                    sol.shifts
                        .iter()
                        .filter(|s| s.group == g && s.count > 0 && cx.options[s.option].day == d)
                        .filter_map(|s| {
                            let opt = &cx.options[s.option];
                            let t = &c.shift_templates[opt.template];
                            takes(inst, clock, &cx.kept_off, a, opt).then(|| Allowed {
                                shift: kind_of(s.option).expect("a kind per planned option"),
                                cost: opt.cost(contract, agent.contract),
                                timing: Some(Timing {
                                    start: opt.start_abs,
                                    end: opt.start_abs + i64::from(t.length_min),
                                }),
                            })
                        })
                        .collect()
                })
                .collect();
            Employee {
                id: agent.id.clone(),
                group: g,
                allowed,
                max_shifts: vec![None; kinds.len()],
                min_minutes,
                max_minutes: crate::plan::groups::max_minutes(inst, a, days),
                overtime: inst
                    .overtime_premium_per_hour(a)
                    .map(|price| (contract.weekly_max_min, price / 60.0)),
                max_days_per_week: Some(contract.max_days),
                max_consecutive: Some(contract.max_consecutive_days),
                min_consecutive: 1,
                min_consecutive_off: contract.min_consecutive_days_off,
                run_before: inst.carry.of(a).run,
                off_before: inst.carry.of(a).off_run,
                max_weekends: contract.max_weekends,
                half_weekend_price: 0.0,
                min_rest_min: Some(contract.min_rest_min),
                weekly_rest_min: (contract.weekly_rest_min > 0).then_some(contract.weekly_rest_min),
                on_requests: inst
                    .requests
                    .iter()
                    .filter(|r| r.agent == a && r.wish != crate::model::Wish::Off)
                    .map(|r| Request {
                        day: r.day,
                        shifts: matching(r.day, r.wish),
                        weight: r.weight,
                    })
                    .collect(),
                off_requests: inst
                    .requests
                    .iter()
                    .filter(|r| r.agent == a && r.wish == crate::model::Wish::Off)
                    .map(|r| Request {
                        day: r.day,
                        shifts: matching(r.day, r.wish),
                        weight: r.weight,
                    })
                    .collect(),
                pinned: inst
                    .pins
                    .iter()
                    .filter(|pin| pin.agent == a)
                    .filter_map(|pin| match pin.wish {
                        crate::model::Wish::Off => Some((pin.day, None)),
                        wish => crate::plan::pinned_option(&cx.options, pin.day, wish)
                            .and_then(kind_of)
                            .map(|k| (pin.day, Some(k))),
                    })
                    .collect(),
                same_start_weight: contract.same_start_weight,
            }
        })
        .collect();
    // Fairness within each planning group: weekend days, late shifts.
    let mut fairness = Vec::new();
    for grp in &cx.groups {
        if grp.agents.len() < 2 {
            continue;
        }
        let all_days = vec![true; 7];
        let all_kinds = vec![true; kinds.len()];
        let weekend: Vec<bool> = (0..7).map(|d| d >= 5).collect();
        let late: Vec<bool> = kinds
            .iter()
            .map(|&o| c.shift_templates[cx.options[o].template].late)
            .collect();
        for (what, weight, days, counted) in [
            ("weekend days", c.fairness_weekends, weekend, all_kinds),
            ("late shifts", c.fairness_late, all_days, late),
        ] {
            if let Some(w) = weight.filter(|&w| w > 0.0) {
                fairness.push(Fairness {
                    name: format!("{} {what}", grp.id),
                    employees: grp.agents.clone(),
                    days,
                    kinds: counted,
                    weight: w,
                    floor: 0,
                });
            }
        }
    }
    let cover = sol
        .shifts
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| Cover {
            day: cx.options[s.option].day,
            shift: kind_of(s.option).expect("a kind per planned option"),
            group: Some(s.group),
            requirement: s.count,
            under_weight: Some(SHORT_PRICE),
            // Extra shifts cost their wages (a contract minimum may need
            // them); nothing more — except on a strike day, where the plan's
            // count is all the group may field.
            over_weight: (!struck(s.group, cx.options[s.option].day)).then_some(0.0),
        })
        .collect();
    (
        Problem {
            days: 7,
            shifts,
            employees,
            cover,
            short_minute_price: None,
            fairness,
        },
        kinds,
    )
}

/// Agents' shifts from an assignment, with breaks dealt out in the plan's
/// numbers per position and the queues their group serves meanwhile.
fn place(cx: &Context, sol: &Solution, kinds: &[usize], a: &Assignment) -> Vec<AgentShift> {
    let c = &cx.inst.centre;
    let mut out = Vec::new();
    for ps in sol.shifts.iter().filter(|s| s.count > 0) {
        let opt = &cx.options[ps.option];
        let t = &c.shift_templates[opt.template];
        let agents: Vec<usize> = cx.groups[ps.group]
            .agents
            .iter()
            .copied()
            .filter(|&ag| a.0[ag][opt.day].map(|k| kinds[k]) == Some(ps.option))
            .collect();
        // Per break, the positions in the plan's numbers, earliest first;
        // agents past the planned count take the last position again.
        let positions: Vec<Vec<u32>> = ps
            .breaks
            .iter()
            .enumerate()
            .map(|(b, counts)| {
                let mut v: Vec<u32> = counts
                    .iter()
                    .flat_map(|&(off, n)| std::iter::repeat_n(off, n as usize))
                    .collect();
                if v.is_empty() {
                    v.push(t.breaks[b].earliest_start_min);
                }
                v
            })
            .collect();
        let cover = &opt.cover;
        let mut queues: Vec<usize> = c.skill_groups[cx.groups[ps.group].skill_group]
            .queues
            .iter()
            .copied()
            .filter(|&q| {
                sol.by_group[ps.group]
                    .iter()
                    .any(|&(bq, i, n)| bq == q && n > 1e-6 && cover.iter().any(|&(ci, _)| ci == i))
            })
            .collect();
        if queues.is_empty() {
            queues = c.skill_groups[cx.groups[ps.group].skill_group]
                .queues
                .clone();
        }
        for (k, &agent) in agents.iter().enumerate() {
            out.push(AgentShift {
                agent,
                group: ps.group,
                option: ps.option,
                breaks: positions.iter().map(|v| v[k.min(v.len() - 1)]).collect(),
                queues: queues.clone(),
            });
        }
    }
    out.sort_by_key(|s| (s.agent, cx.options[s.option].start_abs));
    out
}

/// The instance's requests against the roster's shifts (the engine's
/// count; `slaplan check` counts them again from the file).
pub fn requests_granted(cx: &Context, shifts: &[AgentShift]) -> crate::files::roster::RequestCount {
    let mut out = crate::files::roster::RequestCount::default();
    for r in &cx.inst.requests {
        let worked = shifts
            .iter()
            .find(|s| s.agent == r.agent && cx.options[s.option].day == r.day)
            .map(|s| &cx.options[s.option]);
        let met = match (r.wish, worked) {
            (crate::model::Wish::Off, w) => w.is_none(),
            (crate::model::Wish::Work { .. }, None) => false,
            (
                crate::model::Wish::Work {
                    template,
                    start_min,
                },
                Some(o),
            ) => o.template == template && start_min.is_none_or(|m| m == o.start_min),
        };
        if met {
            out.granted += 1;
        } else {
            out.not_granted += 1;
            out.weight_not_granted += r.weight;
        }
    }
    out
}

/// Per planning group of two agents or more, the fewest and most weekend
/// days and late shifts an agent works; and the start times beyond each
/// agent's first, over agents whose contract asks for the same start.
pub fn fairness_of(
    cx: &Context,
    shifts: &[AgentShift],
) -> (Vec<crate::files::roster::FairnessCount>, usize) {
    let c = &cx.inst.centre;
    let mut out = Vec::new();
    for grp in cx.groups.iter().filter(|g| g.agents.len() >= 2) {
        let span = |f: &dyn Fn(&AgentShift) -> bool| {
            let v: Vec<usize> = grp
                .agents
                .iter()
                .map(|&a| shifts.iter().filter(|s| s.agent == a && f(s)).count())
                .collect();
            (
                v.iter().copied().min().unwrap_or(0),
                v.iter().copied().max().unwrap_or(0),
            )
        };
        out.push(crate::files::roster::FairnessCount {
            group: grp.id.clone(),
            agents: grp.agents.len(),
            weekend_days: span(&|s: &AgentShift| cx.options[s.option].day >= 5),
            late_shifts: span(&|s: &AgentShift| {
                c.shift_templates[cx.options[s.option].template].late
            }),
        });
    }
    let mut changes = 0;
    for (a, agent) in cx.inst.agents.iter().enumerate() {
        if c.contracts[agent.contract].same_start_weight.is_some() {
            let mut starts: Vec<u32> = shifts
                .iter()
                .filter(|s| s.agent == a)
                .map(|s| cx.options[s.option].start_min)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            changes += starts.len().saturating_sub(1);
        }
    }
    (out, changes)
}
