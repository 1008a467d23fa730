//! Agent groups: agents who share skill group, contract and site are
//! interchangeable to the MIP, which decides counts per group; the roster
//! names them afterwards. Per group and day: how many can work (absences
//! that leave no shift workable, strikes); per week: the hours and days
//! their contracts allow.

use std::borrow::Cow;

use chrono::{Duration, NaiveDateTime};

use super::options::{eligible, Clock, ShiftOption};
use crate::model::{Instance, KeptOff};

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `skill_group/contract[/site]`.
    pub id: String,
    pub skill_group: usize,
    pub contract: usize,
    pub site: Option<usize>,
    /// Indices into `Instance::agents`.
    pub agents: Vec<usize>,
    /// Agents who can work some shift on each day (after absences and
    /// strikes).
    pub available: [u32; 7],
    /// Paid hours the group must work in the week: the contract minimum per
    /// agent, pro rata for the agent-days lost to absences and strikes
    /// (over the days the group's shifts can be worked at all).
    pub min_hours: f64,
    /// Paid hours the group may work at most: per agent, the contract's
    /// maximum or what the days they can work hold, whichever is less.
    pub max_hours: f64,
    /// Paid hours before overtime ([`Instance::overtime_of`]): per agent,
    /// the contract's maximum or what the days they can work hold,
    /// whichever is less.
    pub straight_hours: f64,
    /// Shifts the group may work in the week: per agent, the contract's
    /// days or the days they can work, whichever is less.
    pub max_shifts: u32,
    /// Per agent (as `agents`), the days of the week they can work some
    /// shift (absences).
    pub agent_days: Vec<u32>,
}

/// The week's groups, ordered by skill group, contract, site.
pub fn groups(inst: &Instance, clock: &Clock, kept: &[KeptOff]) -> Vec<Group> {
    let c = &inst.centre;
    let mut keys: Vec<(usize, usize, Option<usize>)> = inst
        .agents
        .iter()
        .map(|a| (a.skill_group, a.contract, a.site))
        .collect();
    keys.sort();
    keys.dedup();
    let dates = inst.dates();
    keys.into_iter()
        .map(|(sg, k, site)| {
            let contract = &c.contracts[k];
            let agents: Vec<usize> = inst
                .agents
                .iter()
                .enumerate()
                .filter(|(_, a)| (a.skill_group, a.contract, a.site) == (sg, k, site))
                .map(|(i, _)| i)
                .collect();
            let mut available = [0u32; 7];
            for (d, date) in dates.iter().enumerate() {
                let can = agents
                    .iter()
                    .filter(|&&a| can_work(inst, clock, kept, a, d))
                    .count() as u32;
                let striking = inst
                    .strikes
                    .iter()
                    .filter(|s| s.skill_group == sg && s.dates.contains(date))
                    .map(|s| s.share)
                    .fold(0.0_f64, f64::max);
                available[d] = can - ((f64::from(can) * striking) - 1e-9).ceil().max(0.0) as u32;
            }
            let agent_days: u32 = available.iter().sum();
            // Per agent, the days they can work and the hours those days
            // can hold: the group's week is at most the sum of its agents'.
            let longest = c
                .shift_templates
                .iter()
                .filter(|t| eligible(t, k, contract, site))
                .map(|t| t.paid_min())
                .max()
                .unwrap_or(0);
            let free_days: Vec<u32> = agents
                .iter()
                .map(|&a| {
                    (0..7)
                        .filter(|&d| can_work(inst, clock, kept, a, d))
                        .count() as u32
                })
                .collect();
            let own_days: Vec<u32> = free_days
                .iter()
                .map(|&days| days.min(contract.max_days))
                .collect();
            let max_shifts: u32 = own_days.iter().sum::<u32>().min(agent_days);
            let max_min: u64 = agents
                .iter()
                .zip(&free_days)
                .zip(&own_days)
                .map(|((&a, &free), &d)| {
                    u64::from(max_minutes(inst, a, free)).min(u64::from(longest) * u64::from(d))
                })
                .sum();
            // Before overtime: per agent, the contract's maximum or what
            // their days hold.
            let straight_min: u64 = own_days
                .iter()
                .map(|&d| u64::from(contract.weekly_max_min).min(u64::from(longest) * u64::from(d)))
                .sum();
            let bank_min: u32 = agents
                .iter()
                .zip(&free_days)
                .map(|(&a, &free)| bank_extra(inst, a, free))
                .sum();
            let workable = f64::from(workable_days(inst, k, site));
            let id = match site {
                Some(s) => format!(
                    "{}/{}/{}",
                    c.skill_groups[sg].id, contract.id, c.sites[s].id
                ),
                None => format!("{}/{}", c.skill_groups[sg].id, contract.id),
            };
            Group {
                id,
                skill_group: sg,
                contract: k,
                site,
                agents,
                available,
                min_hours: f64::from(contract.weekly_min_min) / 60.0 * f64::from(agent_days)
                    / workable
                    + f64::from(bank_min) / 60.0,
                max_hours: max_min as f64 / 60.0,
                straight_hours: straight_min as f64 / 60.0,
                max_shifts,
                agent_days: free_days,
            }
        })
        .collect()
}

/// Whether agent `a` can work some shift of its contract and site that
/// starts on day `d` of the week (absences leave one workable).
pub fn can_work(inst: &Instance, clock: &Clock, kept: &[KeptOff], a: usize, d: usize) -> bool {
    can_work_despite(inst, clock, a, d, &away(inst, kept, a))
}

/// [`can_work`] with `away` the windows agent `a` cannot work (on the
/// agent's clock).
pub fn can_work_despite(
    inst: &Instance,
    clock: &Clock,
    a: usize,
    d: usize,
    away: &[(NaiveDateTime, NaiveDateTime)],
) -> bool {
    let agent = &inst.agents[a];
    let c = &inst.centre;
    let date = inst.dates()[d];
    let contract = &c.contracts[agent.contract];
    let own = c.zone(agent.site);
    c.shift_templates.iter().any(|t| {
        eligible(t, agent.contract, contract, agent.site)
            && t.days[d]
            && t.starts().any(|s| {
                clock
                    .minute_in(c.template_zone(t), date, s)
                    .is_some_and(|abs| free(away, clock.naive_in(own, abs), t.length_min))
            })
    })
}

/// The windows agent `a` cannot work, on the agent's clock: absences,
/// and the rest of the on-call duties kept off shifts before the plan
/// ([`crate::model::KeptOff`]).
pub fn away<'a>(
    inst: &'a Instance,
    kept: &[KeptOff],
    a: usize,
) -> Cow<'a, [(NaiveDateTime, NaiveDateTime)]> {
    let unavailable = &inst.agents[a].unavailable;
    let mine: Vec<_> = kept.iter().filter(|k| k.agent == a).collect();
    let rest = carried_rest(inst, a);
    if mine.is_empty() && rest.is_none() {
        // Most agents: their absences as they are, nothing copied.
        return Cow::Borrowed(unavailable);
    }
    let windows = mine.iter().flat_map(|k| k.windows.iter().copied());
    Cow::Owned(
        unavailable
            .iter()
            .copied()
            .chain(windows)
            .chain(rest)
            .collect(),
    )
}

/// In a horizon's later week, the rest agent `a` is still owed at the
/// week's start after their last shift of the week before (the contract's
/// least rest from its end), on the agent's clock: no shift may start in it.
pub fn carried_rest(inst: &Instance, a: usize) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let end = inst.carry.of(a).last_end?;
    let agent = &inst.agents[a];
    let until = end + i64::from(inst.centre.contracts[agent.contract].min_rest_min);
    (until > 0).then(|| {
        let zone = inst.centre.zone(agent.site);
        let origin = crate::plan::options::week_origin(inst);
        let at = |m: i64| {
            (origin + Duration::minutes(m))
                .with_timezone(&zone)
                .naive_local()
        };
        (at(end), at(until))
    })
}

/// Whether agent `a` is free for the whole of shift option `opt` (its
/// absences and kept-off on-call rest, on the clock of the agent's site,
/// miss it). The plan counts, and the roster offers, only such.
pub fn takes(
    inst: &Instance,
    clock: &Clock,
    kept: &[KeptOff],
    a: usize,
    opt: &ShiftOption,
) -> bool {
    let t = &inst.centre.shift_templates[opt.template];
    let agent = &inst.agents[a];
    let from = clock.naive_in(inst.centre.zone(agent.site), opt.start_abs);
    free(&away(inst, kept, a), from, t.length_min)
}

/// The least paid minutes agent `a` works in a week with `days` days
/// they can work: the contract's weekly minimum, pro rata for the days
/// lost to absences (over the days the contract's shifts can be worked at
/// all). The roster holds each agent to it; the plan's group rows sum it.
pub fn min_minutes(inst: &Instance, a: usize, days: u32) -> u32 {
    let agent = &inst.agents[a];
    let workable = workable_days(inst, agent.contract, agent.site);
    let least = pro_rata_min(inst, a, days, workable);
    match inst.bank_bounds(a, days, workable) {
        Some((lo, _)) => least.max(lo),
        None => least,
    }
}

/// The contract's weekly minimum pro rata for `days` of `workable`.
fn pro_rata_min(inst: &Instance, a: usize, days: u32, workable: u32) -> u32 {
    let contract = &inst.centre.contracts[inst.agents[a].contract];
    (u64::from(contract.weekly_min_min) * u64::from(days.min(workable)) / u64::from(workable))
        as u32
}

/// The most paid minutes agent `a` works in a week with `days` days they
/// can work: the contract's weekly maximum and the overtime their group
/// may work beyond it ([`Instance::overtime_of`]), within a horizon's
/// hours bank what the bank's period still allows
/// ([`Instance::bank_bounds`]).
pub fn max_minutes(inst: &Instance, a: usize, days: u32) -> u32 {
    let agent = &inst.agents[a];
    let workable = workable_days(inst, agent.contract, agent.site);
    match inst.bank_bounds(a, days, workable) {
        Some((_, hi)) => hi,
        None => {
            inst.centre.contracts[agent.contract].weekly_max_min
                + inst.overtime_of(a).map_or(0, |o| o.max_min)
        }
    }
}

/// Minutes the hours bank asks of agent `a` above the contract's minimum
/// pro rata (0 without a bank): what the group's weekly minimum adds.
fn bank_extra(inst: &Instance, a: usize, days: u32) -> u32 {
    let agent = &inst.agents[a];
    let workable = workable_days(inst, agent.contract, agent.site);
    min_minutes(inst, a, days) - pro_rata_min(inst, a, days, workable)
}

/// Days of the week a shift of contract `k` at `site` can start at all:
/// the contract's weekly minimum is spread over these (at least 1).
pub fn workable_days(inst: &Instance, k: usize, site: Option<usize>) -> u32 {
    let c = &inst.centre;
    (0..7)
        .filter(|&d| {
            c.shift_templates
                .iter()
                .any(|t| t.days[d] && eligible(t, k, &c.contracts[k], site))
        })
        .count()
        .max(1) as u32
}

/// Whether `[from, from + len)` misses every unavailable range.
pub fn free(
    unavailable: &[(NaiveDateTime, NaiveDateTime)],
    from: NaiveDateTime,
    len_min: u32,
) -> bool {
    let to = from + Duration::minutes(i64::from(len_min));
    unavailable.iter().all(|(a, b)| *b <= from || to <= *a)
}
