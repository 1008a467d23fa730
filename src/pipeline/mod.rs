//! One week planned end to end — forecast, requirements, the planning MIP
//! and its exact re-evaluation, the roster of named agents, and the plans
//! made again where the roster could not fill the plan's shifts. This is
//! what `slaplan plan`, each scenario of `slaplan compare`, the benches and
//! the tests call; the CLI only maps its flags to [`WeekOptions`] and
//! prints what comes back.

pub mod outputs;
pub mod simulate;

use thiserror::Error;

use crate::forecast::{forecast_instance, DemandError};
use crate::model::{Instance, VolumeRow};
use crate::plan::{self, Context, Plan, PlanOptions};
use crate::queueing::StaffingError;
use crate::roster::centre::CentreRoster;
use crate::roster::RosterOptions;

/// Plans made again at most, with caps on the shifts a roster could not
/// fill, before the planner is told which rules stand in the way.
pub const REPLANS: usize = 3;

/// Weeks of history the forecast's backtest scores its methods over.
pub const BACKTEST_WEEKS: usize = 6;

/// How a week is planned.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekOptions {
    pub plan: PlanOptions,
    /// How the agents are named; `None`: the plan alone (no roster, no
    /// re-plans), as a finance comparison may want.
    pub roster: Option<RosterOptions>,
    /// Also return the first MIP in LP format, with its variable names.
    pub write_lp: bool,
}

impl WeekOptions {
    /// A plan and its roster, the roster's MIP given `roster_time_limit_s`
    /// and otherwise the plan's solver settings.
    pub fn new(plan: PlanOptions, roster_time_limit_s: Option<f64>) -> WeekOptions {
        let roster = roster_time_limit_s.map(|s| RosterOptions::for_plan(&plan, s));
        WeekOptions {
            plan,
            roster,
            write_lp: false,
        }
    }
}

/// Why a week could not be set up for planning (the instance validated,
/// but its demand cannot be forecast or sized).
#[derive(Debug, Error)]
pub enum WeekError {
    #[error(transparent)]
    Demand(#[from] DemandError),
    #[error(transparent)]
    Staffing(#[from] StaffingError),
}

/// A week planned: the context the plan was built from (with any caps the
/// re-plans set), the demand, the plan and its roster.
pub struct PlannedWeek<'a> {
    pub cx: Context<'a>,
    /// The week's contacts per queue and interval (forecast or given).
    pub demand: Vec<VolumeRow>,
    pub plan: Plan,
    pub roster: Option<CentreRoster>,
    /// Plans made again with caps where the roster left shifts unfilled.
    pub replans: usize,
    /// The first MIP in LP format, when [`WeekOptions::write_lp`] asked.
    pub lp: Option<String>,
}

impl PlannedWeek<'_> {
    /// The plan keeps every contractual SLA and, where agents were to be
    /// named, the roster fills every planned shift.
    pub fn is_acceptable(&self) -> bool {
        self.plan.is_acceptable() && self.roster.as_ref().is_none_or(CentreRoster::is_complete)
    }
}

/// The week's demand: the instance's forecast, or one made from its
/// history with the method the backtest picks.
pub fn demand(inst: &Instance) -> Result<Vec<VolumeRow>, DemandError> {
    Ok(forecast_instance(inst, None, BACKTEST_WEEKS)?.rows)
}

/// Plans `inst`'s week as `opts` say: forecast, requirements, the plan,
/// then (with roster options) the roster and its re-plans.
pub fn plan_week<'a>(inst: &'a Instance, opts: &WeekOptions) -> Result<PlannedWeek<'a>, WeekError> {
    crate::progress::stage("forecast", "the week's contacts and requirements");
    let demand = demand(inst)?;
    let mut cx = Context::new(inst, &demand, &opts.plan)?;
    let lp = opts.write_lp.then(|| plan::build(&cx, false).0.lp());
    let (plan, roster, replans) = plan_and_roster(&mut cx, opts.roster.as_ref());
    Ok(PlannedWeek {
        cx,
        demand,
        plan,
        roster,
        replans,
        lp,
    })
}

/// The roster of an acceptable plan (every contractual SLA kept).
fn roster_of(cx: &Context, p: &Plan, opts: &RosterOptions) -> Option<CentreRoster> {
    let s = p.solution.as_ref().filter(|_| p.is_acceptable())?;
    Some(crate::roster::centre::roster(cx, s, opts))
}

/// Shifts the agents' rules leave unfilled: capped at what was filled, and
/// the group's day and week at what was rostered (agents at their weekly
/// hours or days take no more).
fn cap_unfilled(cx: &mut Context, r: &CentreRoster) {
    for u in &r.unfilled {
        cx.cap_shift(u.group, u.option, u.filled);
        let day = cx.options[u.option].day;
        let on_day = r
            .shifts
            .iter()
            .filter(|s| s.group == u.group && cx.options[s.option].day == day)
            .count() as u32;
        cx.cap_day(u.group, day, on_day);
        let week = r.shifts.iter().filter(|s| s.group == u.group).count() as u32;
        cx.cap_week(u.group, week);
    }
}

/// Plans the week, names the agents, and plans again (at most [`REPLANS`]
/// times) with caps where the roster could not fill the shifts; the
/// uncapped plan's bound stays the bound. Without roster options, the plan
/// alone.
fn plan_and_roster(
    cx: &mut Context,
    roster_opts: Option<&RosterOptions>,
) -> (Plan, Option<CentreRoster>, usize) {
    crate::progress::stage(
        "plan",
        format!("planning MIP, limit {} s", cx.opts.time_limit_s),
    );
    let mut result = plan::plan(cx);
    let Some(ropts) = roster_opts else {
        return (result, None, 0);
    };
    // The uncapped plan's bound holds for every roster; a plan re-solved
    // with caps only bounds its own, narrower week.
    let bound = result.stats.lower_bound;
    let mut replans = 0;
    crate::progress::stage(
        "roster",
        format!("naming the agents, limit {} s", ropts.time_limit_s),
    );
    let mut roster = roster_of(cx, &result, ropts);
    while let Some(r) = roster.as_ref() {
        if r.unfilled.is_empty() || r.shifts.is_empty() || replans >= REPLANS {
            break;
        }
        cap_unfilled(cx, r);
        crate::progress::stage(
            &format!("re-plan {}/{REPLANS}", replans + 1),
            "planning with the unfilled shifts capped",
        );
        let next = plan::plan(cx);
        crate::progress::stage(
            &format!("re-plan {}/{REPLANS}", replans + 1),
            "naming the agents",
        );
        let next_roster = roster_of(cx, &next, ropts);
        if next_roster.is_none() {
            // The capped week has no acceptable plan: the planner gets the
            // last roster and the rules that stand in its way.
            break;
        }
        replans += 1;
        result = next;
        roster = next_roster;
    }
    if replans > 0 {
        result.stats.lower_bound = bound;
        result.stats.set_gap();
    }
    (result, roster, replans)
}
