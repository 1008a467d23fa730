//! A rostered week replayed call by call before it is called planned, and
//! the plan corrected where the replay disagrees with the queueing tables
//! (`docs/model.md`, "Verified by simulation").
//!
//! The acceptance rule, the one `plan`, `simulate` and `compare` use: a
//! contract with a day or week scope holds when, in every period with
//! contacts, the simulated mean SL is at or above its target; one with an
//! interval scope holds when at least [`INTERVAL_SHARE`] of its intervals
//! are not significantly below target (the 95% interval of the simulated
//! SL reaches the target) and none is significantly more than
//! [`INTERVAL_SLACK`] below it. Priced SLAs are reported, not required.
//!
//! Each round replays the roster, first choosing the ACD's routing (per
//! skill group, how long a call waits before agents who have its queue
//! lower in their list take it) among [`DELAYS`] for the groups whose
//! first queue misses; the routing costs nothing, so it is searched
//! before staffing changes. Then, where a contract still fails, the MIP's
//! staffing credit is calibrated per voice queue and interval — the agents
//! present at which the queueing table gives the simulated SL, less the
//! agents the plan put there — and the week planned, rostered and replayed
//! again.

use crate::files::roster::Row;
pub use crate::files::verification::{
    AgentsShort, ContractVerdict, DeadlineMargin, Round, Routing, Verification,
};
use crate::model::{Channel, SlaScope};
use crate::plan::evaluate::{self, evaluate, SlCurve};
use crate::plan::{Context, Corrections, Solution};

use crate::roster::centre::CentreRoster;
use crate::roster::output::{allocation_rows, roster_rows};
use crate::simulate::{allocation_solution, HandleTimes, Report, Setup, SimOptions};

/// An interval-scope contract holds when at least this share of its
/// intervals meets the target in simulation...
pub const INTERVAL_SHARE: f64 = 0.95;
/// ...and none is more than this far below it.
pub const INTERVAL_SLACK: f64 = 0.05;

/// Corrections at most after the first replay. The time budget is the
/// limit that matters (a round starts only within it); under a work limit
/// this count is the budget. Internet Telecom's e-mail (100% within 4 h)
/// holds after four corrections (two margins, then two work uplifts) and
/// the gain round follows: six leave it that room.
pub const ROUNDS: usize = 6;

/// Secondary delays (seconds) the routing search tries per skill group;
/// infinite: the group's agents take voice calls from their first queue
/// only (the next plan then allocates them to no other voice queue).
pub const DELAYS: [f64; 5] = [0.0, 20.0, 60.0, 120.0, f64::INFINITY];

/// How the verification replays the week.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyOptions {
    pub sim: SimOptions,
    /// Corrections at most.
    pub rounds: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            sim: SimOptions {
                // Not `simulate`'s default 7: an independent replay with
                // its default seed is a second opinion.
                seed: 11,
                ..SimOptions::default()
            },
            rounds: ROUNDS,
        }
    }
}

/// The verdicts of one replay: one per voice or deferred queue with
/// contacts. `guarded`, as the verification judges its own replays, so
/// that a week that holds there still holds in a replay with another
/// seed: a day or week period by the lower end of its 95% interval, not
/// its mean; an interval-scope contract's "none more than 5 points below"
/// by the intervals' means, not their 95% intervals.
pub fn verdicts(cx: &Context, report: &Report, guarded: bool) -> Vec<ContractVerdict> {
    let c = &cx.inst.centre;
    let mut out = Vec::new();
    for (q, queue) in c.queues.iter().enumerate() {
        let scope = cx.scopes[q];
        let rows: Vec<_> = report
            .rows
            .iter()
            .filter(|r| r.queue == q && r.scope == scope)
            .filter_map(|r| r.sl.map(|e| (r, e)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let target = queue.sla.target;
        // An interval's mean at 30 replications moves by several points:
        // it meets unless significantly below; a day or the week by its
        // mean.
        let meets = |e: &crate::files::simulation::Estimate, by: f64| match scope {
            SlaScope::Interval => e.high + 1e-9 >= by,
            SlaScope::Day | SlaScope::Week | SlaScope::Month if guarded => e.low + 1e-9 >= by,
            SlaScope::Day | SlaScope::Week | SlaScope::Month => e.mean + 1e-9 >= by,
        };
        let met = rows.iter().filter(|(_, e)| meets(e, target)).count();
        let (worst_row, worst) = rows
            .iter()
            .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean))
            .expect("rows is not empty");
        let holds = match scope {
            SlaScope::Interval => {
                let floor = target - INTERVAL_SLACK;
                met as f64 >= INTERVAL_SHARE * rows.len() as f64 - 1e-9
                    && rows.iter().all(|(_, e)| {
                        if guarded {
                            e.mean + 1e-9 >= floor
                        } else {
                            meets(e, floor)
                        }
                    })
            }
            SlaScope::Day | SlaScope::Week | SlaScope::Month => met == rows.len(),
        };
        out.push(ContractVerdict {
            queue: queue.id.clone(),
            scope: scope.as_str().into(),
            target,
            priced: queue.penalty_per_point.is_some(),
            periods: rows.len(),
            periods_met: met,
            worst: worst_row.label.clone(),
            worst_sl: worst.mean,
            worst_low: worst.low,
            worst_high: worst.high,
            half_width: rows
                .iter()
                .map(|(_, e)| (e.high - e.low) / 2.0)
                .fold(0.0, f64::max),
            holds,
            ceiling: None,
            short: None,
        });
    }
    out
}

/// Sets each failing voice contract's [`ContractVerdict::short`]: over
/// the intervals to correct (as [`calibration`] picks them), the one where
/// the agents present at which the queueing table gives the target exceed
/// those at which it gives the replay's SL by the most, in agents on duty.
pub fn with_shortfalls(
    cx: &Context,
    s: &Solution,
    verdicts: &mut [ContractVerdict],
    report: &Report,
) {
    let c = &cx.inst.centre;
    for v in verdicts.iter_mut().filter(|v| !v.holds && !v.priced) {
        let Some(q) = c.queues.iter().position(|q| q.id == v.queue) else {
            continue;
        };
        let sla = &c.queues[q].sla;
        let mut worst: Option<(f64, &str)> = None;
        for t in to_correct(cx, s, report, q) {
            if t.sim.mean + 1e-9 >= sla.target {
                continue;
            }
            let gap = agents_for(&t.model, sla.target, sla.within_s, t.present)
                - agents_for(&t.model, t.sim.mean, sla.within_s, t.present);
            let agents = gap / cx.on_duty(q).max(1e-9);
            if agents > worst.map_or(0.0, |w| w.0) {
                worst = Some((agents, t.label));
            }
        }
        v.short = worst.map(|(agents, at)| AgentsShort {
            at: at.to_string(),
            agents,
        });
    }
}

/// Sets each deferred contract's [`ContractVerdict::ceiling`] under the
/// replay's handle times.
pub fn with_ceilings(cx: &Context, verdicts: &mut [ContractVerdict], handle: &HandleTimes) {
    for v in verdicts {
        if let Some(q) = cx.inst.centre.queues.iter().position(|q| q.id == v.queue) {
            v.ceiling = ceiling(cx, q, handle);
        }
    }
}

/// A deferred queue's best possible SL over the worst period of its
/// contract's scope: each contact taken the moment it arrives (uniformly
/// within its interval) by an agent who does nothing else, done by its
/// deadline with the probability the handle times give — the replay
/// counts a contact in time when its handling ends by the deadline: the
/// contract's time after its arrival on the calendar clock, the end of
/// the interval the plan counts on the opening-hours clock; a
/// first-response contract (`responded_within`) is reachable in full.
/// `None` for a voice queue, or one without contacts.
pub fn ceiling(cx: &Context, q: usize, handle: &HandleTimes) -> Option<f64> {
    let queue = &cx.inst.centre.queues[q];
    if queue.channel != Channel::Deferred {
        return None;
    }
    let step_s = cx.step_s();
    // (contacts, contacts in time at best) per period of the scope.
    let mut periods: std::collections::BTreeMap<usize, (f64, f64)> = Default::default();
    for i in 0..cx.intervals() {
        let need = cx.req.need(q, i);
        // A deadline after the week is not counted against the week.
        let Some(last) = cx.tables.deadline[q][i].filter(|_| need.contacts > 0.0) else {
            continue;
        };
        // On the calendar clock the replay gives each contact its own
        // deadline, the contract's time after its arrival.
        // A first response is in time whenever it is taken at arrival.
        let share = if queue.sla.response {
            1.0
        } else if queue.sla.within_counts_opening_hours_only {
            in_time_at_best(
                need.aht_s,
                (i as f64 * step_s, step_s),
                (last + 1) as f64 * step_s,
                handle,
            )
        } else {
            in_time_at_best(need.aht_s, (0.0, 0.0), queue.sla.within_s, handle)
        };
        let period = crate::plan::passes::Period::of(cx, q, i);
        // A month's weeks before are what they were.
        let before = period
            .before(cx, q)
            .map_or((0.0, 0.0), |b| (b.contacts, b.in_time));
        let p = periods.entry(period.number(cx)).or_insert(before);
        p.0 += need.contacts;
        p.1 += need.contacts * share;
    }
    periods
        .values()
        .filter(|p| p.0 > 0.0)
        .map(|p| p.1 / p.0)
        .min_by(f64::total_cmp)
}

/// The share of contacts arriving uniformly over the interval
/// `(start_s, length_s)` that are done by `deadline_s` when each is taken
/// the moment it arrives, its handling drawn as `handle` says around
/// `aht_s` (the mean over 64 arrival times).
pub fn in_time_at_best(
    aht_s: f64,
    (start_s, length_s): (f64, f64),
    deadline_s: f64,
    handle: &HandleTimes,
) -> f64 {
    use statrs::distribution::{ContinuousCDF, Exp, LogNormal};
    let done_by = |x: f64| -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        match *handle {
            HandleTimes::Exponential => Exp::new(1.0 / aht_s).map_or(1.0, |d| d.cdf(x)),
            HandleTimes::LogNormal { cv } => {
                let sigma2 = (1.0 + cv * cv).ln();
                LogNormal::new(aht_s.ln() - sigma2 / 2.0, sigma2.sqrt()).map_or(1.0, |d| d.cdf(x))
            }
        }
    };
    (0..64)
        .map(|k| done_by(deadline_s - (start_s + (k as f64 + 0.5) / 64.0 * length_s)))
        .sum::<f64>()
        / 64.0
}

/// Whether `c`'s target lies above what any staffing can reach.
pub fn out_of_reach(c: &ContractVerdict) -> bool {
    c.ceiling.is_some_and(|top| c.target > top + 1e-9)
}

/// A contract that fails, in planners' words: the queue, the periods,
/// how far short, what would help.
pub fn explain(c: &ContractVerdict) -> String {
    if let (true, Some(top)) = (out_of_reach(c), c.ceiling) {
        return format!(
            "{}: {:.2}% done in time in simulation against {:.0}%, and no staffing can reach {:.0}%: even with every contact taken the moment it arrives, {:.1}% of them take longer to handle than the deadline leaves (handle times as the simulation draws them around the AHT), so at most {:.2}% are done in time. The contract's target or deadline, or how long a contact takes, must change",
            c.queue,
            100.0 * c.worst_sl,
            100.0 * c.target,
            100.0 * c.target,
            100.0 * (1.0 - top),
            100.0 * top,
        );
    }
    let short = 100.0 * (c.target - c.worst_sl);
    let periods = if c.scope == "interval" {
        format!(
            "{} of {} intervals at target (the rule asks {:.0}%, none more than {:.0} points below); worst {}",
            c.periods_met,
            c.periods,
            100.0 * INTERVAL_SHARE,
            100.0 * INTERVAL_SLACK,
            c.worst
        )
    } else {
        format!(
            "{} of {} {} periods at target; worst {}",
            c.periods_met, c.periods, c.scope, c.worst
        )
    };
    let fix = match &c.short {
        Some(x) if x.agents >= 0.05 => format!(
            "; furthest short at {}: about {:.1} more agents on duty with its skill then (the queueing table read at the replay's SL there) would bring it to target",
            x.at, x.agents
        ),
        _ => String::new(),
    };
    format!(
        "{}: {} {} in time in simulation [{:.2}%, {:.2}%] against {:.0}% ({} points short); {periods}{fix}. More agents with its skill then, its skill first in their groups' lists, or an outsourcer for it would help",
        c.queue,
        crate::files::verification::sl_text(c.worst_sl, c.target),
        // Deferred work (which has a ceiling) is done, calls answered.
        if c.ceiling.is_some() { "done" } else { "answered" },
        100.0 * c.worst_low,
        100.0 * c.worst_high,
        100.0 * c.target,
        // Short by a hair (a few late contacts against 100%): say how
        // much, not "0.0".
        if short > 0.0 && short < 0.05 {
            format!("{short:.4}")
        } else {
            format!("{:.1}", short.max(0.0))
        },
    )
}

/// Every unpriced contract holds.
pub fn all_hold(v: &[ContractVerdict]) -> bool {
    v.iter().all(|c| c.priced || c.holds)
}

/// A roster replayed: the report against the plan's projection.
pub struct Replay {
    pub report: Report,
    pub verdicts: Vec<ContractVerdict>,
}

impl Replay {
    /// Whether `queue`'s contract is unpriced and fails.
    pub fn fails(&self, queue: &str) -> bool {
        self.verdicts
            .iter()
            .any(|v| v.queue == queue && !v.priced && !v.holds)
    }
}

/// Replays `roster` with the plan `s`'s allocation, as `slaplan simulate`
/// would replay the files `slaplan plan` writes, choosing the routing:
/// from `delays` (per skill group), for each group with several queues
/// whose first queue's contract fails, each of [`DELAYS`] is tried and
/// kept when fewer contracts fail, or as many by less. Returns the
/// routing, its replay and the replications run.
pub fn replay(
    cx: &Context,
    s: &Solution,
    roster: &CentreRoster,
    opts: &SimOptions,
    delays: &[f64],
) -> (Vec<f64>, Replay, usize) {
    let c = &cx.inst.centre;
    let rows: Vec<Row> = roster_rows(cx, roster);
    let sol = allocation_solution(cx, &allocation_rows(cx, s));
    let projection = evaluate(cx, &sol);
    let run_with = |delays: &[f64], opts: &SimOptions| {
        let mut o = opts.clone();
        o.group_delay_s = delays.iter().copied().enumerate().collect();
        let setup = Setup::new(cx, &rows, &sol, &o);
        let tallies = setup.run();
        let report = Report::new(cx, &setup, &tallies, &projection);
        let mut verdicts = verdicts(cx, &report, true);
        with_ceilings(cx, &mut verdicts, &o.handle);
        with_shortfalls(cx, s, &mut verdicts, &report);
        Replay { report, verdicts }
    };
    let run = |delays: &[f64]| run_with(delays, opts);
    let mut best_delays = delays.to_vec();
    let mut best = run(&best_delays);
    let mut replays = opts.replications;
    for (g, group) in c.skill_groups.iter().enumerate() {
        // A group kept on its first queue stays there: the plan staffs the
        // queues it could help without it, and a delay chosen by one replay
        // would have the next plan count help the ACD gives only late.
        // Its first queue, or first pool of tiers.
        let first = c.primary(g);
        if first.len() == group.queues.len() || best_delays[g].is_infinite() {
            continue;
        }
        let first_fails = |r: &Replay| first.iter().any(|&q| r.fails(&c.queues[q].id));
        if !first_fails(&best) {
            continue;
        }
        // Fewer contracts failing, then by less, whichever they are. A
        // routing under which the group's first queue holds at the cost
        // of a queue it helped was preferred before 2026-12-05: the next
        // plan still counted the group's help there (its allocation
        // fractions move, the ACD's priorities do not), and Internet
        // Telecom's retail calls, which the ISP cell takes after its own,
        // fell to 47% of 80% and took four rounds to come back.
        let key = |r: &Replay| score(&r.verdicts);
        for d in DELAYS {
            if d.is_infinite() && !can_dedicate(cx, g) {
                continue;
            }
            if d.total_cmp(&best_delays[g]).is_eq() || (d - best_delays[g]).abs() < 1e-9 {
                continue;
            }
            let mut tried = best_delays.clone();
            tried[g] = d;
            let r = run(&tried);
            replays += opts.replications;
            if key(&r) < key(&best) {
                best = r;
                best_delays = tried;
            }
        }
    }
    // A week that fails only by the guard — every contract holds by the
    // rule itself — is replayed again with more replications before the
    // plan is corrected for what may be one replay's noise (an interval of
    // a few calls whose mean sits 6 points below target with a 95%
    // interval 23 points wide).
    //
    // A week that holds with a 100% deferred contract is confirmed so too:
    // each replication is then at 100% or fails, the 95% interval has no
    // width to judge by, and a plan whose weeks miss by a contact one time
    // in fifty passes 30 replications half the time (Internet Telecom's
    // e-mail, 100% within 4 opening hours: clean in the verification's 30,
    // 11 contacts late over another seed's 30). The longer replay catches
    // such a plan nine times in ten.
    let only_guard = !all_hold(&best.verdicts) && all_hold(&verdicts(cx, &best.report, false));
    if only_guard || (all_hold(&best.verdicts) && hundred_percent_deferred(cx, &best)) {
        let more = SimOptions {
            replications: opts.replications * CONFIRM_FACTOR,
            ..opts.clone()
        };
        best = run_with(&best_delays, &more);
        replays += more.replications;
    }
    (best_delays, best, replays)
}

/// Whether `replay` judges an unpriced deferred contract of 100%.
fn hundred_percent_deferred(cx: &Context, replay: &Replay) -> bool {
    let c = &cx.inst.centre;
    replay.verdicts.iter().any(|v| {
        !v.priced
            && v.target >= 1.0 - 1e-12
            && c.queues
                .iter()
                .any(|q| q.id == v.queue && q.channel == Channel::Deferred)
    })
}

/// How many times the replications a replay that fails only by the guard
/// is run again with: the 95% intervals narrow by half. The first
/// replications are the same (one stream per replication), so the longer
/// replay extends the shorter one.
pub const CONFIRM_FACTOR: usize = 4;

/// Whether skill group `g` can be kept on its first queue: it has several
/// queues and every other one is some other group's first, so the plan
/// can staff it without `g`.
pub fn can_dedicate(cx: &Context, g: usize) -> bool {
    let c = &cx.inst.centre;
    let secondary: Vec<usize> = c.skill_groups[g]
        .queues
        .iter()
        .copied()
        .filter(|&q| c.rank(g, q) != Some(0))
        .collect();
    !secondary.is_empty()
        && secondary
            .iter()
            .all(|q| (0..c.skill_groups.len()).any(|h| h != g && c.primary(h).contains(q)))
}

/// The routing the verification starts from: every group that can (see
/// [`can_dedicate`]) on its first queue only (an infinite delay), where
/// the plan's allocation is exactly what the ACD does; the others with
/// `delay_s`.
pub fn dedicated(cx: &Context, delay_s: f64) -> Vec<f64> {
    (0..cx.inst.centre.skill_groups.len())
        .map(|g| {
            if can_dedicate(cx, g) {
                f64::INFINITY
            } else {
                delay_s
            }
        })
        .collect()
}

/// The corrections the replay implies for the next plan: the calibration
/// ([`calibration`]), the groups `routing` keeps on their first queue (a
/// queue that loses such a group's help, which the plan counted, starts
/// its calibration again rather than count the loss twice), the deadline
/// margins ([`deadline_margins`]).
pub fn corrections(cx: &Context, s: &Solution, replay: &Replay, routing: &[f64]) -> Corrections {
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let mut calibration = calibration(cx, s, replay);
    let primary_only: Vec<bool> = routing.iter().map(|d| d.is_infinite()).collect();
    for (g, group) in c.skill_groups.iter().enumerate() {
        if primary_only[g] && !cx.primary_only(g) {
            for &q in group.queues.iter().filter(|&&q| c.rank(g, q) != Some(0)) {
                calibration[q * n..(q + 1) * n].fill(0.0);
            }
        }
    }
    Corrections {
        calibration,
        primary_only,
        deadline_margin_s: deadline_margins(cx, replay),
        work_uplift: work_uplifts(cx, replay),
        aim_above: aims(cx, replay),
        stable: stable(cx, replay),
        margin_eased: cx.corrections().margin_eased.clone(),
    }
}

/// The voice queues counted per day or week whose contract fails (by the
/// guarded verdict) are kept stable from then on: in-house load below
/// agents present in every interval (see [`Context::stable`]).
pub fn stable(cx: &Context, replay: &Replay) -> Vec<bool> {
    let c = &cx.inst.centre;
    (0..c.queues.len())
        .map(|q| {
            let queue = &c.queues[q];
            cx.stable(q)
                || (matches!(queue.channel, Channel::Voice { .. })
                    && cx.scopes[q] != SlaScope::Interval
                    && replay.fails(&queue.id))
        })
        .collect()
}

/// The deadline margins and work uplifts set on `cx`, as written in a
/// round.
pub fn margin_rows(cx: &Context) -> Vec<DeadlineMargin> {
    let c = cx.corrections();
    cx.inst
        .centre
        .queues
        .iter()
        .zip(c.deadline_margin_s.iter().zip(&c.work_uplift))
        .enumerate()
        .filter(|(_, (_, (&m, &u)))| m > 0.0 || u > 0.0)
        .map(|(qi, (q, (&m, &u)))| DeadlineMargin {
            queue: q.id.clone(),
            margin_s: m,
            work_uplift: u,
            eased_intervals: c
                .margin_eased
                .iter()
                .filter(|(eq, _)| *eq == qi)
                .map(|&(_, i)| cx.req.grid[i].local.format("%Y-%m-%dT%H:%M").to_string())
                .collect(),
        })
        .collect()
}

/// The routing as written: the skill groups with several queues, their
/// queues in order and their secondary delay.
pub fn routing_rows(cx: &Context, delays: &[f64]) -> Vec<Routing> {
    let c = &cx.inst.centre;
    c.skill_groups
        .iter()
        .zip(delays)
        .filter(|(g, _)| g.queues.len() > 1)
        .map(|(g, &d)| Routing {
            skill_group: g.id.clone(),
            queues: g.queues.iter().map(|&q| c.queues[q].id.clone()).collect(),
            secondary_delay_s: d.is_finite().then_some(d),
        })
        .collect()
}

/// Unpriced contracts failing, then their shortfall (ordered: fewer
/// first).
pub fn score(v: &[ContractVerdict]) -> (usize, i64) {
    let failing = v.iter().filter(|c| !c.priced && !c.holds);
    let short: f64 = failing
        .clone()
        .map(|c| {
            (c.target - c.worst_sl).max(0.0) + (c.periods - c.periods_met) as f64 / c.periods as f64
        })
        .sum();
    (failing.count(), (short * 1e6).round() as i64)
}

/// The calibration the replay implies: where a contract fails (by the
/// guarded verdict), per voice interval to correct — below target
/// (interval scope), or in a day or the week short of target — the agents
/// present at which the queueing table gives the simulated SL (or the
/// plan's belief, where the replay beats it), less those the plan
/// allocated (after shrinkage): what the queue loses on the phones.
/// (What a period short only by its 95% interval needs is [`aims`].)
/// Calibrations
/// only fall (a loss once seen stays counted); where contracts hold they
/// stay as they are. Returns every calibration (`q × intervals + i`).
pub fn calibration(cx: &Context, s: &Solution, replay: &Replay) -> Vec<f64> {
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let mut next = cx.corrections().calibration.clone();
    for (q, queue) in c.queues.iter().enumerate() {
        if !replay.fails(&queue.id) {
            continue;
        }
        for t in to_correct(cx, s, &replay.report, q) {
            // Where the replay matches or beats the plan's belief, nothing
            // is lost.
            let believed = (t.present + cx.calibration(q, t.i)).max(0.0);
            if t.sim.mean + 1e-9 >= t.model.at(believed, queue.sla.within_s).0 {
                continue;
            }
            let effective = agents_for(&t.model, t.sim.mean, queue.sla.within_s, t.present);
            let k = q * n + t.i;
            next[k] = next[k].min(effective - t.present);
        }
    }
    next
}

/// Share of the pooling gain a relaxation credits (see [`relaxation`]):
/// the next plan moves its agents, and the help one plan received need not
/// come to the next in full.
pub const GAIN_WEIGHT: f64 = 0.5;

/// Gains smaller than this (agents present) are not credited: they change
/// no shift, and a relaxation round that cannot change the plan is a wasted
/// replay.
pub const GAIN_MIN_AGENTS: f64 = 0.25;

/// The other direction, for a week whose contracts all hold: per voice
/// interval where the replay serves significantly better than the tables
/// believe (the lower end of its 95% interval above the table's SL at the
/// agents the plan counts there) — the help pooled agents give a queue the
/// fixed fractions do not credit — [`GAIN_WEIGHT`] of the agents that
/// difference is worth, where it is at least [`GAIN_MIN_AGENTS`], is
/// added to the calibration. Intervals where a loss was seen (calibration
/// below zero) keep it. `None` when nothing would change. The round
/// planned with it is kept only if it holds and costs less.
pub fn relaxation(cx: &Context, s: &Solution, replay: &Replay) -> Option<Vec<f64>> {
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let mut next = cx.corrections().calibration.clone();
    let mut changed = false;
    for (q, queue) in c.queues.iter().enumerate() {
        if replay.fails(&queue.id) {
            return None;
        }
        let within_s = queue.sla.within_s;
        for t in voice_intervals(cx, s, &replay.report, q, |i, _| cx.calibration(q, i) >= 0.0) {
            let believed = t.present + cx.calibration(q, t.i);
            if t.sim.low <= t.model.at(believed, within_s).0 + 1e-9 {
                continue;
            }
            let gain = agents_for(&t.model, t.sim.low, within_s, t.present) - believed;
            if gain >= GAIN_MIN_AGENTS {
                next[q * n + t.i] += GAIN_WEIGHT * gain;
                changed = true;
            }
        }
    }
    changed.then_some(next)
}

/// A voice interval of a failing contract to correct: its index, its
/// label, the replay's SL there, the queue's model of its in-house load,
/// and the agents present the plan put there (after shrinkage).
struct ToCorrect<'r> {
    i: usize,
    label: &'r str,
    sim: crate::files::simulation::Estimate,
    model: SlCurve,
    present: f64,
}

/// The voice intervals of queue `q` to correct after `report`: below
/// target (interval scope), or every interval of a day or the week short
/// of target as the verification judges it (the lower end of its 95%
/// interval); those with in-house contacts only. Empty for deferred
/// queues.
fn to_correct<'r>(cx: &Context, s: &Solution, report: &'r Report, q: usize) -> Vec<ToCorrect<'r>> {
    let scope = cx.scopes[q];
    let target = cx.inst.centre.queues[q].sla.target;
    let short_period = |period: usize| -> bool {
        report
            .rows
            .iter()
            .filter(|r| r.queue == q && r.scope == scope && r.period == period)
            .any(|r| r.sl.is_some_and(|e| e.low + 1e-9 < target))
    };
    voice_intervals(cx, s, report, q, |i, sim| match scope {
        SlaScope::Interval => sim.mean + 1e-9 < target,
        _ => short_period(crate::plan::passes::Period::of(cx, q, i).number(cx)),
    })
}

/// The voice intervals of queue `q` in `report` that `keep` (the
/// interval's index and its simulated SL) keeps, with in-house contacts:
/// the queue's model of its in-house load there and the agents present
/// the plan put there. Empty for deferred queues.
fn voice_intervals<'r>(
    cx: &Context,
    s: &Solution,
    report: &'r Report,
    q: usize,
    keep: impl Fn(usize, &crate::files::simulation::Estimate) -> bool,
) -> Vec<ToCorrect<'r>> {
    let queue = &cx.inst.centre.queues[q];
    let Channel::Voice { .. } = queue.channel else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in report
        .rows
        .iter()
        .filter(|r| r.queue == q && r.scope == SlaScope::Interval)
    {
        let (i, Some(sim)) = (r.period, r.sl) else {
            continue;
        };
        if !keep(i, &sim) {
            continue;
        }
        let Some(model) = SlCurve::of(cx, s, q, i) else {
            continue;
        };
        out.push(ToCorrect {
            i,
            label: &r.label,
            sim,
            model,
            present: evaluate::on_duty(cx, s, q, i),
        });
    }
    out
}

/// How many of a period's 95% half-widths the plan aims above target
/// where the period's interval reaches below it: one would put the lower
/// end at target if the replay's mean were the truth, but a replay with
/// another seed finds the day's mean spread wider than its interval says
/// (measured on Amen's Thursday over twelve seeds: 78.2% to 84.5%, its
/// intervals ±2.6 points), and the worst of several days is lower still.
pub const AIM_HALF_WIDTHS: f64 = 2.0;

/// The aims above target the replay implies: a voice contract counted per
/// day or week that fails (by the guarded verdict) has each of its periods
/// aimed at its target plus
/// [`AIM_HALF_WIDTHS`] of the period's half-width, if the plan's belief is
/// what the replay finds, which the calibration sees to. Aims only grow
/// here; they fall only where the week cannot reach them
/// ([`reachable`]).
pub fn aims(cx: &Context, replay: &Replay) -> std::collections::BTreeMap<(usize, usize), f64> {
    let c = &cx.inst.centre;
    let mut next = cx.corrections().aim_above.clone();
    for (q, queue) in c.queues.iter().enumerate() {
        let scope = cx.scopes[q];
        if !matches!(queue.channel, Channel::Voice { .. }) || scope == SlaScope::Interval {
            continue;
        }
        if !replay.fails(&queue.id) {
            continue;
        }
        let target = queue.sla.target;
        // Every period, not only those short in this replay: another seed
        // finds another day the worst.
        for r in replay
            .report
            .rows
            .iter()
            .filter(|r| r.queue == q && r.scope == scope)
        {
            let Some(e) = r.sl else {
                continue;
            };
            let half = (e.high - e.low) / 2.0;
            let above = next.entry((q, r.period)).or_insert(0.0);
            *above = above.max((AIM_HALF_WIDTHS * half).min(1.0 - target));
        }
    }
    next
}

/// The corrections a week whose corrected plan is infeasible can reach,
/// where every shortfall the elastic re-solve names is a row the
/// corrections tightened:
/// - an SLA period aimed above its target by at least what it falls short
///   (the aims asked more than the agents' contracts give: Amen's third
///   strike week, sales and billing on Friday 1.2 points short of an aim
///   2.4 above its target): that aim is lowered by its shortfall and
///   [`AIM_SLACK`];
/// - a deferred queue's work not done in time under a margin of more than
///   an interval: the intervals whose work is named are planned at most
///   an interval early ([`Corrections::margin_eased`]), the margin
///   standing elsewhere, and the capacity it was to buy comes as an
///   uplift of at least a [`WORK_UPLIFT_STEP`] (Amen's week after the
///   strike: Monday's tickets, in line behind the strike's backlog, could
///   not all be done 6.5 hours before their deadline, and Thursday's,
///   due by Friday's close, needed the margin). An interval named that
///   is so already (before any of the queue's newly eased in the list)
///   brings the margin back half a [`DEADLINE_STEP`], once, not below
///   its start; with the margin at its start, the uplift comes back a
///   step;
/// - a voice queue's occupancy row the corrections asked for
///   ([`Corrections::stable`]), where its agents cannot carry the load in
///   some interval: it is no longer asked.
///
/// `None` when a shortfall is anything else (the contract itself, or
/// another row, is out of reach: easing would not make the week
/// plannable), or when nothing is left to ease.
pub fn reachable(
    cx: &Context,
    shortfalls: &[crate::plan::explain::Shortfall],
) -> Option<crate::plan::Corrections> {
    if shortfalls.is_empty() {
        return None;
    }
    let c = &cx.inst.centre;
    let initial = initial_margins(cx);
    let mut next = cx.corrections().clone();
    let index = |f: &crate::plan::explain::Shortfall| {
        let id = f.queue.as_deref()?;
        c.queues.iter().position(|q| q.id == id)
    };
    let mut eased = std::collections::BTreeSet::new();
    let mut unstable = std::collections::BTreeSet::new();
    let mut named = std::collections::BTreeSet::new();
    let step_s = cx.step_s();
    for f in shortfalls {
        match f.kind.as_str() {
            "sla" => {
                let key = f.period?;
                let above = next.aim_above.get_mut(&key)?;
                let short = f.amount / 100.0;
                if short > *above {
                    return None;
                }
                *above = (*above - short - AIM_SLACK).max(0.0);
            }
            "deadline" => {
                let q = index(f)?;
                // Work the margin asks too early of: that interval's
                // work is planned at most an interval early, the margin
                // standing elsewhere (the capacity it was to buy comes as
                // an uplift); named already, the margin itself eases.
                let i = f.interval?;
                let margin = next.deadline_margin_s[q];
                if margin > step_s + 1e-9 && !next.margin_eased.contains(&(q, i)) {
                    next.margin_eased.insert((q, i));
                    named.insert(q);
                    next.work_uplift[q] = next.work_uplift[q].max(WORK_UPLIFT_STEP);
                    continue;
                }
                if named.contains(&q) {
                    continue;
                }
                if eased.insert(q) {
                    let half_step = DEADLINE_STEP * c.queues[q].sla.within_s / 2.0;
                    if next.deadline_margin_s[q] > initial[q] + 1e-9 {
                        next.deadline_margin_s[q] =
                            (next.deadline_margin_s[q] - half_step).max(initial[q]);
                        // The margin the replay asked for cannot all be
                        // planned: the capacity comes as an uplift instead.
                        next.work_uplift[q] = next.work_uplift[q].max(WORK_UPLIFT_STEP);
                    } else if next.work_uplift[q] > 0.0 {
                        next.work_uplift[q] = (next.work_uplift[q] - WORK_UPLIFT_STEP).max(0.0);
                    } else {
                        return None;
                    }
                }
            }
            "coverage" => {
                let q = index(f)?;
                // Its rows short on other days are the same easing.
                if !unstable.insert(q) {
                    continue;
                }
                let asked = next.stable[q] && c.queues[q].max_occupancy.is_none();
                if !asked {
                    return None;
                }
                next.stable[q] = false;
            }
            _ => return None,
        }
    }
    (next != *cx.corrections()).then_some(next)
}

/// Whether `cx`'s corrections ask anything [`reachable`] could ease: an
/// aim, a deadline margin above its start, a work uplift, an occupancy row.
pub fn easable(cx: &Context) -> bool {
    let c = cx.corrections();
    let initial = initial_margins(cx);
    !c.aim_above.is_empty()
        || c.deadline_margin_s
            .iter()
            .zip(&initial)
            .any(|(m, i)| *m > i + 1e-9)
        || c.work_uplift.iter().any(|&u| u > 0.0)
        || c.stable.contains(&true)
}

/// How much lower than the elastic re-solve's bare reach an aim is set
/// (SL share): the re-solve's own tolerance, and room for the integer
/// plan's rounding.
pub const AIM_SLACK: f64 = 0.001;

/// Share of a deferred queue's deadline by which each correction plans its
/// work earlier where its contract fails in simulation.
pub const DEADLINE_STEP: f64 = 0.25;

/// How much earlier than its contract a deferred queue's work can be
/// planned: down to two intervals after it arrives (work is done from the
/// next one), from the time the plan counts — for a first response, the
/// deadline plus the model's AHT ([`crate::model::Sla::done_within_s`]).
fn margin_room(queue: &crate::model::Queue, step_s: f64) -> f64 {
    (queue.sla.done_within_s(queue.sla.handling_s(queue.aht_s)) - 2.0 * step_s).max(0.0)
}

/// The deadline margins the verification starts from: a deferred queue
/// whose contract asks 100% has its work planned one interval early from
/// the first round (within its room, as [`deadline_margins`]). The fluid
/// plan finishes each interval's work just at its deadline; at 100% one
/// contact left late by a busier hour than forecast breaks the contract,
/// and on the large centre the correction that would have added a margin
/// never came, the time budget spent by the first plan. One interval, not
/// the [`DEADLINE_STEP`] a correction adds: that cost Amen 1.0%
/// (`docs/model.md`, "Verified by simulation", step 5).
pub fn initial_margins(cx: &Context) -> Vec<f64> {
    let step_s = cx.step_s();
    cx.inst
        .centre
        .queues
        .iter()
        .map(|queue| {
            if queue.channel != Channel::Deferred || queue.sla.target < 1.0 - 1e-12 {
                return 0.0;
            }
            step_s.min(margin_room(queue, step_s))
        })
        .collect()
}

/// The deferred queues whose contract fails in the replay (by the guarded
/// verdict) and that some staffing could make hold: the ones the
/// corrections plan earlier ([`deadline_margins`]) and with more capacity
/// ([`work_uplifts`]).
fn failing_deferred<'c>(cx: &'c Context, replay: &'c Replay) -> impl Iterator<Item = usize> + 'c {
    cx.inst
        .centre
        .queues
        .iter()
        .enumerate()
        .filter(|(_, queue)| queue.channel == Channel::Deferred && replay.fails(&queue.id))
        .filter(|(_, queue)| {
            // A target no staffing reaches is not planned for either.
            replay
                .verdicts
                .iter()
                .any(|v| v.queue == queue.id && !out_of_reach(v))
        })
        .map(|(q, _)| q)
}

/// The deadline margins the replay implies: a deferred queue whose
/// contract fails (by the guarded verdict) has its work planned done a
/// further [`DEADLINE_STEP`] of its deadline earlier — the fluid plan
/// finishes work just in time, random arrivals and handling times do not
/// — down to two intervals (work is done from the interval after it
/// arrives). Margins only grow. Returns every queue's margin (seconds).
pub fn deadline_margins(cx: &Context, replay: &Replay) -> Vec<f64> {
    let step_s = cx.step_s();
    let mut next = cx.corrections().deadline_margin_s.clone();
    for q in failing_deferred(cx, replay) {
        let queue = &cx.inst.centre.queues[q];
        next[q] = (next[q] + DEADLINE_STEP * queue.sla.within_s).min(margin_room(queue, step_s));
    }
    next
}

/// Share of a deferred queue's in-house work each correction adds where
/// its contract fails in simulation ([`work_uplifts`]).
pub const WORK_UPLIFT_STEP: f64 = 0.05;

/// The largest uplift: a third more work than the contacts bring.
pub const WORK_UPLIFT_MAX: f64 = 1.0 / 3.0;

/// The work uplifts the replay implies: a deferred queue whose contract
/// fails (by the guarded verdict) after a deadline margin was tried (or
/// with no room for one) has its in-house work planned a further
/// [`WORK_UPLIFT_STEP`] above its handling time, beside the next margin.
/// From the first failure, Club-Internet's e-mail (one contact late in 30
/// weeks, SNT at 1.50) got 5% more work at round 1, whose plan the roster
/// could not fill (the e-mail cell's agents at their days), where the
/// margin alone held. A margin moves the fluid plan's work earlier but leaves its
/// capacity exactly equal to the work; where the capacity is fully used,
/// the replay's backlog (random arrivals, handling times, spells off the
/// phones, the agents' other queues) grows like a random walk and the
/// last contacts of a busy afternoon miss a 100% deadline (Internet
/// Telecom's e-mail, `docs/model.md`, "Verified by simulation", step 5).
/// Once begun (also where a margin could not be planned, [`reachable`]),
/// an uplift grows at each failure; uplifts only grow here, up to
/// [`WORK_UPLIFT_MAX`]. Returns every queue's.
pub fn work_uplifts(cx: &Context, replay: &Replay) -> Vec<f64> {
    let step_s = cx.step_s();
    let initial = initial_margins(cx);
    let c = cx.corrections();
    let mut next = c.work_uplift.clone();
    for q in failing_deferred(cx, replay) {
        // Cheapest first: the first failure gets a margin only (it moves
        // work, the uplift buys capacity); the uplift comes once a margin
        // has been tried, or when none can be, and then grows.
        let m = c.deadline_margin_s[q];
        let room = margin_room(&cx.inst.centre.queues[q], step_s);
        if m > initial[q] + 1e-9 || m >= room - 1e-9 || next[q] > 0.0 {
            next[q] = (next[q] + WORK_UPLIFT_STEP).min(WORK_UPLIFT_MAX);
        }
    }
    next
}

/// Agents present (fractional, as the exact evaluation counts them) at
/// which `model` reaches `sl`, searched within `[0, 2·present + 4]`: the
/// table's inverse. An SL at the table's ceiling gives the least agents
/// reaching it to within half a point.
fn agents_for(model: &SlCurve, sl: f64, within_s: f64, present: f64) -> f64 {
    let top = 2.0 * present + 4.0;
    let goal = if sl >= 0.995 { sl - 0.005 } else { sl };
    if model.at(top, within_s).0 < goal {
        return top;
    }
    let (mut lo, mut hi) = (0.0, top);
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if model.at(mid, within_s).0 >= goal {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::simulation::{Estimate, PeriodRow, Verdict};

    /// The pooling fixture: `quick` counted per week (90%), `tech` per
    /// day (70%); here `quick` is counted per interval where a test says.
    fn week() -> (crate::model::Instance, Vec<crate::model::VolumeRow>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/plan/pooling.yaml");
        let inst = crate::input::load_instance(&path).expect("the fixture loads");
        let demand = crate::pipeline::demand(&inst).expect("a forecast is given");
        (inst, demand)
    }

    /// The fixture's week planned and rostered (30 s for the roster).
    fn planned(inst: &crate::model::Instance) -> crate::pipeline::PlannedWeek<'_> {
        let opts =
            crate::pipeline::WeekOptions::new(crate::plan::PlanOptions::default(), Some(30.0));
        crate::pipeline::plan_week(inst, &opts).unwrap()
    }

    /// A planned week's plan and roster, which the fixture always has.
    fn solved<'w>(
        w: &'w crate::pipeline::PlannedWeek,
    ) -> (
        &'w crate::plan::Solution,
        &'w crate::roster::centre::CentreRoster,
    ) {
        let (Some(s), Some(r)) = (w.plan.solution.as_ref(), w.roster.as_ref()) else {
            panic!("the fixture has a plan and a roster");
        };
        (s, r)
    }

    /// Stratus's shipped week and its forecast.
    fn stratus() -> (crate::model::Instance, Vec<crate::model::VolumeRow>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("instances/stratus/week-2003-03-03.yaml");
        let inst = crate::input::load_instance(&path).unwrap();
        let demand = crate::pipeline::demand(&inst).unwrap();
        (inst, demand)
    }

    fn row(queue: usize, scope: SlaScope, period: usize, mean: f64, half: f64) -> PeriodRow {
        PeriodRow {
            queue,
            scope,
            period,
            label: format!("p{period}"),
            repeated_hour: false,
            offered: 10.0,
            projected_sl: None,
            projected_asa_s: None,
            sl: Some(Estimate {
                mean,
                low: mean - half,
                high: mean + half,
                n: 30,
            }),
            asa_s: None,
            abandon_rate: None,
            occupancy: None,
            blocked: None,
            deadline_misses: None,
            verdict: Verdict::None,
            breaks: None,
            shift_edges: None,
        }
    }

    fn report(rows: Vec<PeriodRow>) -> Report {
        Report {
            rows,
            queues: Vec::new(),
            contacts: Estimate {
                mean: 0.0,
                low: 0.0,
                high: 0.0,
                n: 0,
            },
        }
    }

    fn quick(cx: &Context, r: &Report, guarded: bool) -> ContractVerdict {
        verdicts(cx, r, guarded)
            .into_iter()
            .find(|v| v.queue == "quick")
            .unwrap()
    }

    #[test]
    fn a_week_holds_by_its_mean_and_the_guard_asks_its_lower_end() {
        let (inst, demand) = week();
        let cx = Context::new(&inst, &demand, &crate::plan::PlanOptions::default()).unwrap();
        // 90.3% ± 1 point against 90%: holds; guarded, 89.3% is short.
        let r = report(vec![row(0, SlaScope::Week, 0, 0.903, 0.01)]);
        assert!(quick(&cx, &r, false).holds);
        assert!(!quick(&cx, &r, true).holds);
        let r = report(vec![row(0, SlaScope::Week, 0, 0.899, 0.001)]);
        assert!(!quick(&cx, &r, false).holds);
        let r = report(vec![row(0, SlaScope::Week, 0, 0.915, 0.01)]);
        assert!(quick(&cx, &r, true).holds);
        // A day-scope contract needs every day.
        let days = |worst: f64| {
            report(
                (0..5)
                    .map(|d| row(1, SlaScope::Day, d, if d == 3 { worst } else { 0.8 }, 0.01))
                    .collect(),
            )
        };
        let tech = |r: &Report| {
            verdicts(&cx, r, false)
                .into_iter()
                .find(|v| v.queue == "tech")
        };
        assert!(tech(&days(0.70)).unwrap().holds);
        let short = tech(&days(0.69)).unwrap();
        assert!(!short.holds);
        assert_eq!(
            (short.periods_met, short.periods, short.worst.as_str()),
            (4, 5, "p3")
        );
    }

    #[test]
    fn an_interval_contract_allows_5_percent_not_significantly_short_and_none_far_below() {
        let (inst, demand) = week();
        let opts = crate::plan::PlanOptions {
            sla_scope: Some(SlaScope::Interval),
            ..Default::default()
        };
        let cx = Context::new(&inst, &demand, &opts).unwrap();
        // 100 intervals at 92% ± 3.
        let base = |i: usize| row(0, SlaScope::Interval, i, 0.92, 0.03);
        let with = |changes: &[(usize, f64, f64)]| {
            report(
                (0..100)
                    .map(|i| match changes.iter().find(|c| c.0 == i) {
                        Some(&(_, mean, half)) => row(0, SlaScope::Interval, i, mean, half),
                        None => base(i),
                    })
                    .collect(),
            )
        };
        assert!(quick(&cx, &with(&[]), false).holds);
        // Below 90% but reaching it within the 95% interval: meets.
        let noisy: Vec<(usize, f64, f64)> = (0..20).map(|i| (i, 0.88, 0.03)).collect();
        let v = quick(&cx, &with(&noisy), false);
        assert!(v.holds);
        assert_eq!(v.periods_met, 100);
        // Five intervals significantly short (but within 5 points): holds;
        // six: fails.
        let five: Vec<(usize, f64, f64)> = (0..5).map(|i| (i, 0.87, 0.01)).collect();
        assert!(quick(&cx, &with(&five), false).holds);
        let six: Vec<(usize, f64, f64)> = (0..6).map(|i| (i, 0.87, 0.01)).collect();
        assert!(!quick(&cx, &with(&six), false).holds);
        // One interval significantly more than 5 points below: fails.
        assert!(!quick(&cx, &with(&[(7, 0.80, 0.02)]), false).holds);
        // Its mean that far below with an interval reaching 85%: holds,
        // but not guarded (the guard judges the 5 points by the mean).
        let wide = with(&[(7, 0.84, 0.02)]);
        assert!(quick(&cx, &wide, false).holds);
        assert!(!quick(&cx, &wide, true).holds);
    }

    #[test]
    fn groups_whose_other_queues_have_their_own_group_are_kept_on_their_first() {
        let (inst, demand) = week();
        let cx = Context::new(&inst, &demand, &crate::plan::PlanOptions::default()).unwrap();
        // desk [quick, tech]: tech is the technicians' first queue; techs
        // has one queue, nothing to keep it from.
        assert!(can_dedicate(&cx, 0));
        assert!(!can_dedicate(&cx, 1));
        let d = dedicated(&cx, 20.0);
        assert!(d[0].is_infinite());
        assert!((d[1] - 20.0).abs() < 1e-12);
        // Stratus's engineers are its only group: their hotline and
        // interventions have nobody else.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("instances/stratus/week-2003-03-03.yaml");
        let stratus = crate::input::load_instance(&path).unwrap();
        let demand = crate::pipeline::demand(&stratus).unwrap();
        let cx = Context::new(&stratus, &demand, &crate::plan::PlanOptions::default()).unwrap();
        assert!(!can_dedicate(&cx, 0));
    }

    #[test]
    fn a_group_kept_on_its_first_queue_takes_no_other_work_in_the_replay_or_the_plan() {
        let (inst, demand) = week();
        let w = planned(&inst);
        let (s, r) = solved(&w);
        // The desk agents alone on the phones: with the technicians'
        // queue secondary at once, they answer its calls; kept on their
        // first queue, none.
        let desk: Vec<Row> = roster_rows(&w.cx, r)
            .into_iter()
            .filter(|row| inst.agents[row.agent].skill_group == 0)
            .collect();
        assert!(!desk.is_empty());
        let sol = allocation_solution(&w.cx, &allocation_rows(&w.cx, s));
        let answered = |delay: f64| -> f64 {
            let o = SimOptions {
                replications: 2,
                group_delay_s: vec![(0, delay)],
                ..SimOptions::default()
            };
            let setup = Setup::new(&w.cx, &desk, &sol, &o);
            let n = w.cx.intervals();
            setup
                .run()
                .iter()
                .map(|t| t.answered[n..2 * n].iter().sum::<f64>())
                .sum()
        };
        assert!(answered(0.0) > 0.0);
        assert!(answered(f64::INFINITY) < 0.5);
        // The plan likewise allocates them to no other queue.
        let mut cx = Context::new(&inst, &demand, &crate::plan::PlanOptions::default()).unwrap();
        let mut corrections = cx.corrections().clone();
        corrections.primary_only = vec![true, false];
        cx.set_corrections(corrections);
        let plan = crate::plan::plan(&mut cx);
        let s = plan.solution.as_ref().expect("the fixture plans");
        let to_tech: f64 = allocation_rows(&cx, s)
            .iter()
            .filter(|a| a.queue == 1 && a.server == crate::files::roster::Server::InHouse(0))
            .map(|a| a.value)
            .sum();
        assert!(to_tech < 1e-9, "{to_tech}");
        // routing.csv says so as `never`, and reads back as infinite.
        let rows = routing_rows(&cx, &[f64::INFINITY, 0.0]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].secondary_delay_s, None);
        let csv = crate::files::routing::routing_csv(&rows);
        assert!(csv.ends_with("desk,quick;tech,never\n"), "{csv}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("routing.csv");
        std::fs::write(&path, csv).unwrap();
        let back = crate::files::routing::read_routing(&inst, &path).unwrap();
        assert_eq!(back.len(), 1);
        assert!(back[0].0 == 0 && back[0].1.is_infinite());
    }

    #[test]
    fn a_failing_voice_contract_says_where_and_how_many_agents_short() {
        let (inst, _) = week();
        let w = planned(&inst);
        let (s, r) = solved(&w);
        // Pooled at once, as the tables' plan assumes (no routing
        // searched): quick fails on the phones.
        let sim = SimOptions {
            replications: 10,
            ..SimOptions::default()
        };
        let cx = &w.cx;
        let sol = allocation_solution(cx, &allocation_rows(cx, s));
        let setup = Setup::new(cx, &roster_rows(cx, r), &sol, &sim);
        let report = Report::new(cx, &setup, &setup.run(), &evaluate(cx, &sol));
        let mut all = verdicts(cx, &report, true);
        with_shortfalls(cx, s, &mut all, &report);
        let quick = all.iter().find(|v| v.queue == "quick").unwrap();
        assert!(!quick.holds, "{quick:?}");
        let short = quick
            .short
            .as_ref()
            .expect("a failing voice contract says where");
        assert!(short.agents > 0.05 && short.agents < 20.0, "{short:?}");
        assert!(short.at.starts_with("2024-03-0"), "{short:?}");
        let words = explain(quick);
        eprintln!("{words}");
        assert!(
            words.contains(&format!("furthest short at {}", short.at)),
            "{words}"
        );
        // Contracts that hold say nothing of the kind.
        assert!(all.iter().filter(|v| v.holds).all(|v| v.short.is_none()));
    }

    #[test]
    fn a_deadline_margin_plans_deferred_work_earlier_but_never_under_two_intervals() {
        let (stratus, demand) = stratus();
        let mut cx = Context::new(&stratus, &demand, &crate::plan::PlanOptions::default()).unwrap();
        let q = |id: &str| {
            stratus
                .centre
                .queues
                .iter()
                .position(|q| q.id == id)
                .unwrap()
        };
        let (alerts, interventions) = (q("alerts"), q("interventions"));
        let i = 10;
        // Calendar clock, 30-minute intervals; first-response contracts:
        // the work planned done within the deadline plus the interval's
        // AHT (`Sla::done_within_s`), a whole number of intervals.
        let last = |q: usize, margin_s: f64| {
            let within = stratus.centre.queues[q]
                .sla
                .done_within_s(cx.req.need(q, i).aht_s);
            i + ((within - margin_s) / 1800.0).floor() as usize - 1
        };
        let contract = last(interventions, 0.0);
        let alerts_earlier = last(alerts, 1800.0).max(i + 1);
        // Four hours and about one of work: nine or ten intervals on.
        assert!((i + 8..=i + 10).contains(&contract), "{contract}");
        assert_eq!(cx.planned_deadline(interventions, i), Some(contract));
        let mut corrections = cx.corrections().clone();
        corrections.deadline_margin_s[interventions] = 3600.0;
        corrections.deadline_margin_s[alerts] = 1800.0;
        cx.set_corrections(corrections.clone());
        assert_eq!(cx.planned_deadline(interventions, i), Some(contract - 2));
        assert_eq!(cx.planned_deadline(alerts, i), Some(alerts_earlier));
        // The contract's deadline, which the replay and the check count,
        // is untouched.
        assert_eq!(cx.tables.deadline[interventions][i], Some(contract));
        // Never under two intervals: work is done from the next one.
        corrections.deadline_margin_s[interventions] = 36_000.0;
        cx.set_corrections(corrections);
        assert_eq!(cx.planned_deadline(interventions, i), Some(i + 1));
    }

    #[test]
    fn a_hundred_percent_deadline_starts_one_interval_early_within_its_room() {
        let load = |rel: &str| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
            crate::input::load_instance(&path).unwrap()
        };
        let margins = |inst: &crate::model::Instance| -> Vec<(String, f64)> {
            let demand = crate::pipeline::demand(inst).unwrap();
            let cx = Context::new(inst, &demand, &crate::plan::PlanOptions::default()).unwrap();
            let m = initial_margins(&cx);
            inst.centre
                .queues
                .iter()
                .zip(m)
                .map(|(q, m)| (q.id.clone(), m))
                .collect()
        };
        // Stratus, 30-minute intervals: the hotline is voice; the alerts
        // (99%) and the site visits (95%) start on time; interventions
        // (100% within 4 h) take one interval.
        let stratus = margins(&load("instances/stratus/week-2003-03-03.yaml"));
        assert_eq!(
            stratus,
            [
                ("hotline".to_string(), 0.0),
                ("alerts".to_string(), 0.0),
                ("interventions".to_string(), 1800.0),
                ("visits".to_string(), 0.0)
            ]
        );
        // The IT vendor: the 100% confirmation calls start early, the
        // resolutions (95%) do not.
        let it = margins(&load("instances/it-vendor/week-2003-03-03.yaml"));
        let of = |id: &str| it.iter().find(|(q, _)| q == id).unwrap().1;
        assert!((of("requests") - 1800.0).abs() < 1e-9, "{it:?}");
        assert!(of("resolutions").abs() < 1e-9, "{it:?}");
    }

    #[test]
    fn a_work_uplift_plans_more_capacity_than_the_contacts_need() {
        let (stratus, demand) = stratus();
        let mut cx = Context::new(&stratus, &demand, &crate::plan::PlanOptions::default()).unwrap();
        let q = stratus
            .centre
            .queues
            .iter()
            .position(|q| q.id == "interventions")
            .unwrap();
        // In-house capacity planned on the queue over the week against the
        // work its in-house contacts bring, both in agent-seconds.
        let ratio = |cx: &mut Context| -> f64 {
            let plan = crate::plan::plan(cx);
            let s = plan.solution.expect("Stratus has a plan");
            let (mut capacity, mut work) = (0.0, 0.0);
            for i in 0..cx.intervals() {
                let need = cx.req.need(q, i);
                capacity += s.in_house[q][i] * cx.on_duty(q) * cx.step_s();
                work += (need.contacts - s.sent_total(q, i).min(need.contacts)) * need.aht_s;
            }
            assert!(work > 0.0, "interventions are handled in-house");
            capacity / work
        };
        let before = ratio(&mut cx);
        let mut corrections = cx.corrections().clone();
        corrections.work_uplift[q] = 0.5;
        cx.set_corrections(corrections);
        assert!((cx.work_uplift(q) - 1.5).abs() < 1e-12);
        let after = ratio(&mut cx);
        // The plan allocates at least the uplifted work (the week's last
        // contacts may be carried over, so a hair of slack), and more than
        // without the uplift: the fluid rows alone finish the work exactly.
        assert!(after >= 1.5 - 0.02, "capacity {after:.3} × the work");
        assert!(after > before + 0.2, "{before:.3} then {after:.3}");
    }

    #[test]
    fn the_tables_inverse_finds_the_agents_of_an_sl() {
        let model = SlCurve::Queue(crate::queueing::QueueModel::new(5.0, 300.0, None).unwrap());
        for present in [6.0, 7.5, 9.0] {
            let (sl, _) = model.at(present, 20.0);
            let back = agents_for(&model, sl, 20.0, 4.0);
            assert!((back - present).abs() < 1e-6, "{present}: {back}");
        }
        // Beyond the search's reach: its ceiling.
        assert!((agents_for(&model, 0.9999999, 20.0, 1.0) - 6.0).abs() < 1e-12);
        // Nothing answered in time: no agents.
        assert!(agents_for(&model, 0.0, 20.0, 4.0) < 1e-9);
    }

    #[test]
    fn the_replay_reads_the_roster_and_allocation_as_their_files_say() {
        let (inst, _) = week();
        let w = planned(&inst);
        let (s, r) = solved(&w);
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("roster.csv");
        let allocation = dir.path().join("allocation.csv");
        std::fs::write(&roster, crate::roster::output::roster_csv(&w.cx, r)).unwrap();
        std::fs::write(&allocation, crate::roster::output::allocation_csv(&w.cx, s)).unwrap();
        let read = crate::files::roster::read_roster(&inst, &roster).unwrap();
        assert!(!read.is_empty());
        assert_eq!(roster_rows(&w.cx, r), read);
        let mut back =
            crate::files::roster::read_allocation(&inst, &w.cx.req.grid, &allocation).unwrap();
        for a in &mut back {
            a.line = 0;
        }
        // The file carries six decimals.
        let written = allocation_rows(&w.cx, s);
        assert_eq!(written.len(), back.len());
        for (a, b) in written.iter().zip(&back) {
            assert!((a.value - b.value).abs() <= 5e-7, "{a:?} {b:?}");
            let mut b = b.clone();
            b.value = a.value;
            assert_eq!(*a, b);
        }
        // The other files of the week read back as the rows written.
        let shifts = dir.path().join("shifts.csv");
        std::fs::write(&shifts, crate::pipeline::outputs::shifts_csv(&w.cx, s)).unwrap();
        let rows = crate::pipeline::outputs::shift_rows(&w.cx, s);
        assert!(!rows.is_empty());
        assert_eq!(crate::files::shifts::read_shifts(&shifts).unwrap(), rows);
        let records: Vec<_> = crate::files::roster::read_records(&roster)
            .unwrap()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(crate::roster::output::roster_records(&w.cx, r), records);
    }

    /// An aim the week cannot reach (the technicians' Wednesday at 100%,
    /// its contract 70%) makes the plan infeasible; the elastic re-solve's
    /// shortfall lowers that aim, and only that one, to what the week can
    /// reach, and the week plans again. A shortfall of anything but an
    /// aimed period leaves the aims alone.
    #[test]
    fn an_aim_out_of_reach_is_lowered_to_what_the_week_can_reach() {
        let (inst, demand) = week();
        let mut cx = Context::new(&inst, &demand, &crate::plan::PlanOptions::default()).unwrap();
        let tech = inst
            .centre
            .queues
            .iter()
            .position(|q| q.id == "tech")
            .unwrap();
        let above = 1.0 - inst.centre.queues[tech].sla.target;
        let mut c = cx.corrections().clone();
        c.aim_above.insert((tech, 2), above);
        c.aim_above.insert((tech, 3), 0.01);
        cx.set_corrections(c);
        let out_of_reach = crate::plan::plan(&mut cx);
        assert_eq!(
            out_of_reach.stats.status,
            crate::plan::solve::Status::Infeasible
        );
        let eased = reachable(&cx, &out_of_reach.shortfalls).expect("only the aim is short");
        assert_eq!(
            Corrections {
                aim_above: cx.corrections().aim_above.clone(),
                ..eased.clone()
            },
            *cx.corrections(),
            "only the aims are eased"
        );
        let aims = eased.aim_above;
        let lowered = aims[&(tech, 2)];
        assert!(lowered > 0.0 && lowered < above, "{lowered} of {above}");
        assert!(
            (aims[&(tech, 3)] - 0.01).abs() < 1e-12,
            "an aim the week reaches stays"
        );
        let mut c = cx.corrections().clone();
        c.aim_above = aims;
        cx.set_corrections(c);
        let reached = crate::plan::plan(&mut cx);
        assert!(reached.is_acceptable(), "{:?}", reached.stats.status);
        let mut other = out_of_reach.shortfalls.clone();
        other[0].period = None;
        assert_eq!(reachable(&cx, &other), None);
        assert_eq!(reachable(&cx, &[]), None);
    }

    /// A shortfall the elastic re-solve names on a row the corrections
    /// tightened eases that correction by a step, and only that one: the
    /// interventions' work arriving in an interval the margin asks too
    /// early of is planned at most an interval early there (the margin
    /// standing elsewhere, the capacity it was to buy an uplift); named
    /// again, the margin comes back half a step at a time down to its
    /// start, then the uplift. The hotline's occupancy row, which the
    /// corrections asked for and the re-solve names twice, is no longer
    /// asked. A row the corrections did not tighten, or nothing left to
    /// ease, gives `None`.
    #[test]
    fn a_correction_out_of_reach_is_eased_a_step_at_a_time() {
        let (inst, demand) = stratus();
        let mut cx = Context::new(&inst, &demand, &crate::plan::PlanOptions::default()).unwrap();
        let id = |name: &str| {
            inst.centre
                .queues
                .iter()
                .position(|q| q.id == name)
                .unwrap()
        };
        let (hotline, interventions) = (id("hotline"), id("interventions"));
        let initial = initial_margins(&cx)[interventions];
        let step = DEADLINE_STEP * inst.centre.queues[interventions].sla.within_s;
        let mut c = cx.corrections().clone();
        c.deadline_margin_s = initial_margins(&cx);
        c.deadline_margin_s[interventions] = initial + step;
        c.stable[hotline] = true;
        cx.set_corrections(c.clone());
        let short =
            |kind: &str, q: usize, interval: Option<usize>| crate::plan::explain::Shortfall {
                kind: kind.into(),
                queue: Some(inst.centre.queues[q].id.clone()),
                group: None,
                when: "Mon 09:00".into(),
                amount: 1.0,
                message: String::new(),
                period: None,
                interval,
            };
        // The first interval of interventions with work, and its planned
        // deadline under the margin.
        let first = (0..cx.intervals())
            .find(|&i| cx.req.need(interventions, i).contacts > 0.0)
            .unwrap();
        let planned = cx.planned_deadline(interventions, first);
        let both = [
            short("deadline", interventions, Some(first)),
            short("coverage", hotline, None),
            short("coverage", hotline, None),
        ];
        let eased = reachable(&cx, &both).expect("both rows were tightened");
        let mut expected = c.clone();
        expected.margin_eased.insert((interventions, first));
        expected.work_uplift[interventions] = WORK_UPLIFT_STEP;
        expected.stable[hotline] = false;
        assert_eq!(eased, expected);
        // The hotline's row is no longer asked: its shortfall now is the
        // contract's own. That interval's work is due later than under
        // the margin.
        cx.set_corrections(eased);
        assert!(cx.planned_deadline(interventions, first) > planned);
        assert_eq!(reachable(&cx, &both), None);
        let deadline = [short("deadline", interventions, Some(first))];
        let mut margins = Vec::new();
        let mut uplifts = Vec::new();
        while let Some(next) = reachable(&cx, &deadline) {
            margins.push(next.deadline_margin_s[interventions]);
            uplifts.push(next.work_uplift[interventions]);
            cx.set_corrections(next);
        }
        assert_eq!(margins, [initial + step / 2.0, initial, initial]);
        assert_eq!(uplifts, [WORK_UPLIFT_STEP, WORK_UPLIFT_STEP, 0.0]);
        assert!(!easable(&cx), "nothing left to ease");
        // A queue the corrections never asked to keep stable, and a row
        // they do not tighten.
        cx.set_corrections(c);
        assert_eq!(
            reachable(&cx, &[short("coverage", id("alerts"), None)]),
            None
        );
        assert_eq!(reachable(&cx, &[short("hours", hotline, None)]), None);
    }
}
