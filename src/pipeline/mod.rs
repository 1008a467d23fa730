//! One week planned end to end — forecast, requirements, the planning MIP
//! and its exact re-evaluation, the roster of named agents, and the plans
//! made again where the roster could not fill the plan's shifts. This is
//! what `slaplan plan`, each scenario of `slaplan compare`, the benches and
//! the tests call; the CLI only maps its flags to [`WeekOptions`] and
//! prints what comes back.

pub mod benchmark;
pub mod horizon;
pub mod outputs;
pub mod simulate;
pub mod verify;

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
pub use crate::forecast::BACKTEST_WEEKS;

/// How a week is planned.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekOptions {
    pub plan: PlanOptions,
    /// How the agents are named; `None`: the plan alone (no roster, no
    /// re-plans), as a finance comparison may want.
    pub roster: Option<RosterOptions>,
    /// Also return the first MIP in LP format, with its variable names.
    pub write_lp: bool,
    /// Replay the roster call by call and correct the plan where the
    /// replay misses or over-serves a contract (with roster options only);
    /// `None`: the queueing tables' projection is taken at its word.
    pub verify: Option<verify::VerifyOptions>,
    /// Corrections the verification starts from instead of the queueing
    /// tables' (a horizon's week before's kept corrections: consecutive
    /// weeks replay alike), where they fit the week's intervals.
    pub start: Option<plan::Corrections>,
}

impl WeekOptions {
    /// A plan and its roster, the roster's MIP given `roster_time_limit_s`
    /// and otherwise the plan's solver settings — its work limit too: under
    /// `--work-limit N` the plan's MIP and the roster's search get N units
    /// each.
    pub fn new(plan: PlanOptions, roster_time_limit_s: Option<f64>) -> WeekOptions {
        let roster =
            roster_time_limit_s.map(|s| RosterOptions::for_plan(&plan, s, plan.work_limit));
        WeekOptions {
            plan,
            roster,
            write_lp: false,
            verify: None,
            start: None,
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
    /// The replays and corrections, when [`WeekOptions::verify`] asked and
    /// there was a roster to replay.
    pub verification: Option<verify::Verification>,
    /// Why the week was not verified by simulation (`None`: it was, see
    /// `verification`), in planners' words.
    pub unverified: Option<String>,
    /// The on-call rota named after a complete roster, where the model
    /// has rotas.
    pub on_call: Option<crate::roster::on_call::Rota>,
}

impl PlannedWeek<'_> {
    /// The plan keeps every contractual SLA and, where agents were to be
    /// named, the roster fills every planned shift.
    pub fn is_acceptable(&self) -> bool {
        self.plan.is_acceptable()
            && self.roster.as_ref().is_none_or(CentreRoster::is_complete)
            && self.verification.as_ref().is_none_or(|v| v.holds)
            && self.on_call.as_ref().is_none_or(|r| r.short.is_empty())
    }
}

/// `inst` as the week in `roster`'s folder was planned: the overrides
/// (`--set`, a scenario's) its `plan.json` lists applied again, so that
/// `check` and `simulate` judge the roster against the week it was made
/// for (a `--set headcount=11` roster has 11 agents, not the file's 16);
/// those overrides, in order. Unchanged where no `plan.json` lies beside
/// the roster.
pub fn as_planned(
    mut inst: Instance,
    roster: &std::path::Path,
) -> Result<(Instance, Vec<String>), Vec<crate::input::Problem>> {
    use crate::input::{Code, Problem};
    let file = roster
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .join("plan.json");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok((inst, Vec::new()));
    };
    let problem = |m: String| {
        vec![Problem::at(
            Code::FileUnreadable,
            &file,
            None,
            m,
            "give the folder `slaplan plan` wrote, or move the roster out of it",
        )]
    };
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
    let listed: Vec<String> = match doc.get("overrides") {
        None => Vec::new(),
        Some(v) => {
            serde_json::from_value(v.clone()).map_err(|e| problem(format!("overrides: {e}")))?
        }
    };
    crate::scenario::apply_recorded(&mut inst, &listed)
        .map_err(|m| problem(format!("its overrides do not apply to this instance: {m}")))?;
    Ok((inst, listed))
}

/// The week's demand: the instance's forecast, or one made from its
/// history with the method the backtest picks; no contacts where the
/// instance gives its requirements (the plan reads them from the instance).
pub fn demand(inst: &Instance) -> Result<Vec<VolumeRow>, DemandError> {
    if matches!(inst.demand, crate::model::Demand::Requirements(_)) {
        return Ok(Vec::new());
    }
    let mut rows = forecast_instance(inst, None, BACKTEST_WEEKS)?.rows;
    let k = inst.carry.week.unwrap_or(0);
    if inst.growth != 0.0 && k > 0 {
        let factor = (1.0 + inst.growth).powi(k as i32);
        for r in &mut rows {
            r.contacts *= factor;
        }
    }
    carry_in(inst, &mut rows);
    Ok(rows)
}

/// The deferred work the week before left undone ([`crate::model::Carry`]'s
/// backlog, a horizon's later week) arrives again with the queue's first
/// contacts of the week — the earliest interval the forecast gives it
/// contacts (else its earliest row) — its handling time averaged in. It
/// is then the oldest work in line, so the week's own contacts are on time
/// only once it is done; its deadline runs from there.
fn carry_in(inst: &Instance, rows: &mut [VolumeRow]) {
    for b in &inst.carry.backlog {
        let first = |busy: bool| {
            rows.iter()
                .enumerate()
                .filter(|(_, r)| r.queue == b.queue && (!busy || r.contacts > 0.0))
                .min_by_key(|(_, r)| (r.start, r.repeated_hour))
                .map(|(i, _)| i)
        };
        let Some(i) = first(true).or_else(|| first(false)) else {
            continue;
        };
        let r = &mut rows[i];
        let aht = r.aht_s.unwrap_or(inst.centre.queues[b.queue].aht_s);
        let total = r.contacts + b.contacts;
        r.aht_s = Some((r.contacts * aht + b.contacts * b.aht_s) / total);
        r.contacts = total;
    }
}

/// What `validate` runs after loading, so that "ok" means the week can be
/// planned: the forecast (or the given demand) and every interval's
/// requirement sized. A failure is a problem against the instance file's
/// `demand` (E211), in the forecast's or the queueing's words.
pub fn ready(inst: &Instance, path: &std::path::Path) -> Result<(), Box<crate::input::Problem>> {
    let problem = |message: String| {
        let mut p = crate::input::Problem::at(
            crate::input::Code::DemandSource,
            path,
            None,
            message,
            "correct the demand's file (docs/formats.md), or give a forecast",
        );
        p.field = "demand".into();
        Box::new(p)
    };
    let demand =
        demand(inst).map_err(|e| problem(format!("the demand cannot be forecast: {e}")))?;
    crate::requirements::requirements(inst, &demand)
        .map_err(|e| problem(format!("the week's requirements cannot be sized: {e}")))?;
    Ok(())
}

/// Plans `inst`'s week as `opts` say: forecast, requirements, the plan,
/// then (with roster options) the roster and its re-plans.
pub fn plan_week<'a>(inst: &'a Instance, opts: &WeekOptions) -> Result<PlannedWeek<'a>, WeekError> {
    let begun = std::time::Instant::now();
    crate::progress::stage("forecast", "the week's contacts and requirements");
    let unverified = unverified(inst, opts);
    let verify_opts = opts.verify.as_ref().filter(|_| unverified.is_none());
    let demand = demand(inst)?;
    let mut cx = Context::new(inst, &demand, &opts.plan)?;
    let lp = opts.write_lp.then(|| plan::build(&cx, false).0.lp());
    let (plan, roster, replans, verification) = plan_verified(
        &mut cx,
        opts.roster.as_ref(),
        verify_opts,
        opts.start.as_ref(),
        begun,
    );
    // A week with no roster to replay (no acceptable plan, or one the
    // agents cannot fill) says so too.
    let unverified = unverified.or_else(|| {
        verification
            .as_ref()
            .is_some_and(|v| v.rounds.is_empty())
            .then(|| "there was no complete roster to replay".to_string())
    });
    let on_call = roster
        .as_ref()
        .filter(|r| r.is_complete() && !inst.centre.on_call.is_empty())
        .map(|r| {
            let rows = crate::roster::output::roster_rows(&cx, r);
            crate::roster::on_call::assign(inst, &cx.clock, &cx.kept_off, &rows)
        });
    Ok(PlannedWeek {
        cx,
        demand,
        plan,
        roster,
        replans,
        lp,
        verification,
        unverified,
        on_call,
    })
}

/// Why `opts` leave the week of `inst` unverified by simulation, if they
/// do: not asked, no roster to replay, or no contacts to replay.
pub fn unverified(inst: &Instance, opts: &WeekOptions) -> Option<String> {
    if opts.verify.is_none() {
        Some("verification by simulation not asked for".into())
    } else if opts.roster.is_none() {
        Some("plan only: no roster of named agents to replay".into())
    } else if simulate::replayable(inst).is_err() {
        Some(
            "the instance gives its requirements (agents per interval), not contacts: \
             no calls to replay"
                .into(),
        )
    } else {
        None
    }
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

/// A plan the verification can replay: acceptable, and a roster that
/// fills it.
fn replayable(plan: &Plan, roster: Option<&CentreRoster>) -> bool {
    plan.is_acceptable() && roster.is_some_and(CentreRoster::is_complete)
}

/// Plans the week and names the agents (see [`plan_and_roster`]); with
/// verification options, replays the roster and corrects the plan (see
/// [`verify`]), keeping the cheapest round whose contracts all hold in the
/// replay, else the one that fails least.
///
/// The time budget is the plan's `time_limit_s`, counted from `begun` (the
/// week's start): the first plan and its roster come whatever the time; a
/// correction starts only while the budget lasts. Each solve keeps its own
/// limit — a MIP cut short plans worse (RENS has a share of the limit),
/// and a correction planned worse costs more than the seconds it saves —
/// so the run ends at most one round past the budget. Under a work limit
/// the corrections are counted, not timed
/// (`verify::VerifyOptions::rounds`), so that the same input gives the
/// same plan on any machine.
fn plan_verified(
    cx: &mut Context,
    roster_opts: Option<&RosterOptions>,
    verify_opts: Option<&verify::VerifyOptions>,
    inherited: Option<&plan::Corrections>,
    begun: std::time::Instant,
) -> (
    Plan,
    Option<CentreRoster>,
    usize,
    Option<verify::Verification>,
) {
    let (Some(ropts), Some(vopts)) = (roster_opts, verify_opts) else {
        let (plan, roster, replans) = plan_and_roster(cx, roster_opts, None);
        return (plan, roster, replans, None);
    };
    // The routing starts with every group that can on its first queue
    // only, where the plan's allocation is what the ACD does.
    let mut pooled = vec![vopts.sim.secondary_delay_s; cx.inst.centre.skill_groups.len()];
    let delays = verify::dedicated(cx, vopts.sim.secondary_delay_s);
    let groups = &cx.inst.centre.skill_groups;
    let mut dedicated: Vec<String> = groups
        .iter()
        .zip(&delays)
        .filter(|(_, d)| d.is_infinite())
        .map(|(g, _)| g.id.clone())
        .collect();
    // 100% deadlines planned early from the first round.
    let mut start = cx.corrections().clone();
    start.deadline_margin_s = verify::initial_margins(cx);
    if let Some(learned) = inherited.filter(|c| c.calibration.len() == start.calibration.len()) {
        start = inherit(learned.clone(), start, &delays, &mut pooled);
    }
    let mut state = Rounds {
        ropts,
        vopts,
        begun,
        budget: cx.opts.work_limit.is_none().then_some(cx.opts.time_limit_s),
        rounds: Vec::new(),
        kept: None,
        stopped: Vec::new(),
    };
    let mut dedicated_failed = false;
    let mut pooled_from = None;
    if dedicated.is_empty() {
        state.start(cx, start, pooled, None);
    } else {
        let mut corrections = start.clone();
        corrections.primary_only = delays.iter().map(|d| d.is_infinite()).collect();
        cx.set_corrections(corrections);
        // A trial: without a plan the pooled week follows, so the elastic
        // re-solve that would explain this one is not run — unless the
        // corrections (inherited) ask more than the tables' plan, where it
        // finds what the week can reach.
        cx.set_explain(verify::easable(cx));
        let started = std::time::Instant::now();
        let first = plan_and_roster(cx, Some(ropts), None);
        cx.set_explain(true);
        if replayable(&first.0, first.1.as_ref()) {
            state.run(cx, delays.clone(), started, first);
            // The pooled routing's own rounds, while the budget lasts,
            // when its LP bound leaves room for a cheaper week than the
            // one kept (or none held).
            if state.in_time() {
                cx.set_corrections(start.clone());
                let kept = state.kept_round();
                let worth = match (kept, plan::lp_bound(cx)) {
                    (Some(k), Some(b)) => !k.holds || k.cost > b * (1.0 + POOLED_TRIAL_GAP),
                    (None, _) => true,
                    (Some(_), None) => false,
                };
                if worth {
                    crate::progress::stage("verify", "the pooled routing: planning its own rounds");
                    pooled_from = Some(state.rounds.len());
                    let deadline = state.deadline();
                    state.start(cx, start, pooled, deadline);
                }
            }
        } else {
            // Too few agents to staff every queue without the groups'
            // secondary skills (Internet Telecom's 50): the pooled week.
            dedicated_failed = true;
            dedicated.clear();
            state.start(cx, start, pooled, None);
        }
    }
    let Rounds {
        rounds,
        kept,
        stopped,
        ..
    } = state;
    let (chosen, plan, roster, replans, corrections) = kept.expect("a round is kept");
    cx.set_corrections(corrections);
    let holds = rounds.get(chosen).is_some_and(|r| r.holds);
    let verification = verify::Verification {
        replications: vopts.sim.replications,
        seed: vopts.sim.seed,
        forecast_error: crate::simulate::describe_day_error(cx.inst, &vopts.sim.day_error),
        dedicated,
        dedicated_failed,
        pooled_from,
        chosen: rounds.get(chosen).map(|_| chosen),
        holds,
        rounds,
        stopped: stopped.join("; then, from the pooled routing, "),
    };
    (plan, roster, replans, Some(verification))
}

/// The corrections a week like the one before starts from: `learned`, the
/// week before's, over `fresh`. Where the week before kept some groups on
/// their first queue, and not as the `dedicated` routing tried first does,
/// the `pooled` routing starts with them there too (their delays made
/// infinite): the calibration was learned with them there. Pooled again,
/// the first replay would keep them there anyway and, the plan having
/// counted their help, start the queues they left from no calibration
/// (Amen's third strike week: the support line from 163 agent-intervals of
/// loss to none, 100 of 114 intervals held to 71). Otherwise the routing
/// starts afresh from `fresh`'s. The intervals where a margin was eased
/// ([`plan::Corrections::margin_eased`]) are the week before's own, and
/// are `fresh`'s.
fn inherit(
    learned: plan::Corrections,
    fresh: plan::Corrections,
    dedicated: &[f64],
    pooled: &mut [f64],
) -> plan::Corrections {
    let dedicated_routing: Vec<bool> = dedicated.iter().map(|d| d.is_infinite()).collect();
    let learned = plan::Corrections {
        margin_eased: fresh.margin_eased.clone(),
        ..learned
    };
    if learned.primary_only.contains(&true) && learned.primary_only != dedicated_routing {
        for (d, &kept) in pooled.iter_mut().zip(&learned.primary_only) {
            if kept {
                *d = f64::INFINITY;
            }
        }
        learned
    } else {
        plan::Corrections {
            primary_only: fresh.primary_only,
            ..learned
        }
    }
}

/// How much dearer than the pooled routing's LP bound the week kept from
/// the dedicated routing may be before the pooled routing gets rounds of
/// its own: what the corrections of a pooled week have been seen to add
/// to its tables' plan (Amen's strike week, pooled: 28,763.45 corrected
/// to 33,951.27 holding, +18%, at 351a21e). Amen's week as shipped keeps
/// its dedicated 32,655.37 (13.6% over the pooled bound; the pooled
/// rounds, tried at a 2% gap, held nothing in 58 s); with the provider at
/// 18.50 and the support misses priced at 5.00 the dedicated rounds keep
/// 45,366.30, and the pooled routing holds at 34,481.59 (2026-12-05).
pub const POOLED_TRIAL_GAP: f64 = 0.2;

/// (round, plan, roster, replans, corrections) of the round kept.
type Kept = (usize, Plan, Option<CentreRoster>, usize, plan::Corrections);

/// The rounds of a verification, over one routing's start or two.
struct Rounds<'o> {
    ropts: &'o RosterOptions,
    vopts: &'o verify::VerifyOptions,
    /// When the week began, and its time budget (none under a work limit).
    begun: std::time::Instant,
    budget: Option<f64>,
    rounds: Vec<verify::Round>,
    kept: Option<Kept>,
    /// Why each start's rounds stopped.
    stopped: Vec<String>,
}

impl Rounds<'_> {
    fn kept_round(&self) -> Option<&verify::Round> {
        self.kept.as_ref().and_then(|k| self.rounds.get(k.0))
    }

    /// The end of the time budget, if there is one.
    fn deadline(&self) -> Option<std::time::Instant> {
        self.budget
            .map(|b| self.begun + std::time::Duration::from_secs_f64(b))
    }

    /// Whether the time budget (if any) lasts.
    fn in_time(&self) -> bool {
        self.deadline()
            .is_none_or(|d| std::time::Instant::now() < d)
    }

    /// Plans the week with `corrections` (re-plans only before
    /// `deadline`) and runs its rounds routed by `delays` (see
    /// [`Rounds::run`]).
    fn start(
        &mut self,
        cx: &mut Context,
        corrections: plan::Corrections,
        delays: Vec<f64>,
        deadline: Option<std::time::Instant>,
    ) {
        cx.set_corrections(corrections);
        let started = std::time::Instant::now();
        let first = plan_and_roster(cx, Some(self.ropts), deadline);
        self.run(cx, delays, started, first);
    }

    /// From `current` (a plan and roster made with `cx`'s corrections,
    /// begun at `started`), replays and corrects round after round (the
    /// rounds counted from this start), keeping over every start the
    /// cheapest round whose contracts all hold, else the one that fails
    /// least.
    fn run(
        &mut self,
        cx: &mut Context,
        mut delays: Vec<f64>,
        mut started: std::time::Instant,
        mut current: (Plan, Option<CentreRoster>, usize),
    ) {
        let (ropts, vopts) = (self.ropts, self.vopts);
        let first_round = self.rounds.len();
        let mut stopped = String::new();
        // Whether the round's plan credits the previous round's pooling gain.
        let mut relaxed = false;
        loop {
            let (plan, roster, replans) = current;
            let can = replayable(&plan, roster.as_ref());
            let (Some(s), Some(r), true) = (plan.solution.as_ref(), roster.as_ref(), can) else {
                // Nothing to replay (no plan, or a roster short of it): the
                // last replayed round stands, or this one unverified.
                if self.kept.is_none() {
                    self.kept = Some((
                        self.rounds.len(),
                        plan,
                        roster,
                        replans,
                        cx.corrections().clone(),
                    ));
                }
                break;
            };
            crate::progress::stage(
                &format!(
                    "verify {}/{}",
                    self.rounds.len() - first_round + 1,
                    vopts.rounds + 1
                ),
                format!(
                    "replaying the roster, {} replications",
                    vopts.sim.replications
                ),
            );
            let (routing, replay, replays) = verify::replay(cx, s, r, &vopts.sim, &delays);
            let holds = verify::all_hold(&replay.verdicts);
            let cost = plan.stats.objective.unwrap_or(f64::INFINITY);
            let better = match self.kept_round() {
                None => true,
                Some(before) => {
                    // The cheapest round that holds; until one does, the
                    // round that fails least.
                    match (holds, before.holds) {
                        (true, false) => true,
                        (true, true) => cost < before.cost,
                        (false, true) => false,
                        (false, false) => {
                            verify::score(&replay.verdicts) < verify::score(&before.verdicts)
                        }
                    }
                }
            };
            // A week that holds, in the round kept, is planned once more
            // with the pooling gain the replay found credited (the other
            // direction, `verify::relaxation`); otherwise the replay's
            // corrections.
            let relaxation = (holds && better)
                .then(|| verify::relaxation(cx, s, &replay))
                .flatten();
            let next = match &relaxation {
                Some(calibration) => plan::Corrections {
                    calibration: calibration.clone(),
                    ..cx.corrections().clone()
                },
                None => verify::corrections(cx, s, &replay, &routing),
            };
            self.rounds.push(verify::Round {
                cost,
                holds,
                relaxed,
                seconds: started.elapsed().as_secs_f64(),
                replays,
                routing: verify::routing_rows(cx, &routing),
                deadline_margins: verify::margin_rows(cx),
                verdicts: replay.verdicts,
            });
            delays = routing;
            let index = self.rounds.len() - 1;
            if better {
                self.kept = Some((index, plan, roster, replans, cx.corrections().clone()));
            }
            // Stop once the week holds (corrections only add where a
            // contract fails, so a further round would plan the same
            // week), after the last correction, when nothing the
            // corrections reach fails (priced misses, a deadline as short
            // as two intervals), or when the time budget is spent.
            let spent = self.budget.map(|b| (self.begun.elapsed().as_secs_f64(), b));
            stopped = if relaxed && !holds {
                "the plan crediting the pooling gain fails in the replay (the round before it is kept)"
                    .into()
            } else if relaxed && !better {
                "the plan crediting the pooling gain costs no less (the round before it is kept)"
                    .into()
            } else if holds && relaxation.is_none() {
                "every contract holds in the replay".into()
            } else if index - first_round >= vopts.rounds {
                format!("the corrections are spent ({} at most)", vopts.rounds)
            } else if next == *cx.corrections() {
                "nothing the corrections reach fails".into()
            } else if let Some((t, b)) = spent.filter(|(t, b)| t >= b) {
                format!("the time budget is spent ({t:.1} s, --time-limit {b} s)")
            } else {
                String::new()
            };
            if !stopped.is_empty() {
                break;
            }
            cx.set_corrections(next);
            started = std::time::Instant::now();
            relaxed = relaxation.is_some();
            crate::progress::stage(
                &format!("correct {}/{}", index - first_round + 1, vopts.rounds),
                if relaxed {
                    "every contract holds: planning with the pooling gain credited"
                } else {
                    "planning with the replay's corrections"
                },
            );
            current = plan_and_roster(cx, Some(ropts), self.deadline());
        }
        if stopped.is_empty() {
            stopped = if self.rounds.len() == first_round {
                "no complete roster to replay".into()
            } else {
                "the last correction's plan has no complete roster to replay".into()
            };
        }
        self.stopped.push(stopped);
    }
}

/// Times a corrected plan found infeasible is eased and planned again, at
/// most ([`verify::reachable`]: an aim, an occupancy row, a margin or an
/// uplift by a step each time).
const EASINGS: usize = 4;

/// Plans the week, names the agents, and plans again (at most [`REPLANS`]
/// times, and only before `deadline` when there is one: a correction's
/// re-plans within the week's time budget) with caps where the roster
/// could not fill the shifts; the uncapped plan's bound stays the bound.
/// Without roster options, the plan alone.
fn plan_and_roster(
    cx: &mut Context,
    roster_opts: Option<&RosterOptions>,
    deadline: Option<std::time::Instant>,
) -> (Plan, Option<CentreRoster>, usize) {
    crate::progress::stage(
        "plan",
        format!("planning MIP, limit {} s", cx.opts.time_limit_s),
    );
    let mut result = plan::plan(cx);
    // Corrections that ask more than the agents' contracts reach are eased
    // where the elastic re-solve says, and the week planned again (each
    // easing takes a row back toward the tables' plan, so a few suffice).
    for _ in 0..EASINGS {
        let reach = (result.stats.status == plan::solve::Status::Infeasible)
            .then(|| verify::reachable(cx, &result.shortfalls))
            .flatten();
        let Some(eased) = reach else {
            break;
        };
        cx.set_corrections(eased);
        crate::progress::stage("plan", "planning with the corrections the week can reach");
        result = plan::plan(cx);
    }
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
        let late = deadline.is_some_and(|d| std::time::Instant::now() >= d);
        if r.unfilled.is_empty() || r.shifts.is_empty() || replans >= REPLANS || late {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn corrections(primary_only: Vec<bool>, calibration: f64) -> plan::Corrections {
        plan::Corrections {
            calibration: vec![calibration; 4],
            primary_only,
            deadline_margin_s: vec![0.0],
            work_uplift: vec![0.0],
            aim_above: Default::default(),
            stable: vec![false],
            margin_eased: Default::default(),
        }
    }

    /// Amen's groups: support and the desk pooled, sales kept on its own
    /// queue the week before. The next week's pooled routing keeps sales
    /// there, with what was learned so; a week before that kept every
    /// group as the dedicated trial does hands on its calibration, and the
    /// pooled routing starts pooled.
    #[test]
    fn a_week_starts_from_the_routing_its_calibration_was_learned_with() {
        let dedicated = [f64::INFINITY; 3];
        let mut pooled = vec![0.0; 3];
        let fresh = corrections(vec![false; 3], 0.0);
        let start = inherit(
            corrections(vec![false, true, false], -2.0),
            fresh.clone(),
            &dedicated,
            &mut pooled,
        );
        assert_eq!(start.primary_only, [false, true, false]);
        assert_eq!(start.calibration, [-2.0; 4]);
        assert_eq!(pooled, [0.0, f64::INFINITY, 0.0]);

        let mut pooled = vec![0.0; 3];
        let start = inherit(
            corrections(vec![true; 3], -1.0),
            fresh.clone(),
            &dedicated,
            &mut pooled,
        );
        assert_eq!(start.primary_only, [false; 3]);
        assert_eq!(start.calibration, [-1.0; 4]);
        assert_eq!(pooled, [0.0; 3]);

        let mut pooled = vec![0.0; 3];
        let start = inherit(
            corrections(vec![false; 3], -1.0),
            fresh,
            &dedicated,
            &mut pooled,
        );
        assert_eq!(start.primary_only, [false; 3]);
        assert_eq!(pooled, [0.0; 3]);
    }
}
