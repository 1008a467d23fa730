//! Discrete-event simulation of a rostered week, call by call, over many
//! seeded replications in parallel; the simulated service beside the
//! plan's Erlang projection, each measure with its 95% confidence interval.
//!
//! What is simulated (the model is in `docs/model.md`, "Simulation"):
//! non-stationary Poisson arrivals per queue and interval from the
//! forecast; exponential handle times (lognormal with a coefficient of
//! variation as an option); exponential patience where the queue has one;
//! routing by skill group — a free agent takes the oldest call of the first
//! queue in its group's priority list that has one, a call goes to the idle
//! agent for whom its queue ranks highest, then the longest idle (with a
//! secondary delay, agents who have the queue lower in their list take
//! only calls that have waited that long); agents log in and out and take their
//! breaks as rostered (a break or log-out due during a call starts when the
//! call ends); shrinkage as off-phone time (or as whole shifts absent); the
//! outsourcer's share of each interval, drawn call by call (or overflow
//! above a queue length), on its own seats; trunk lines that block calls
//! beyond their count; deferred work oldest first against its deadline.
//!
//! Replication `r` draws from ChaCha8 seeded with the master seed on
//! stream `r`: the numbers are the same whatever the thread count.

pub mod engine;
pub mod on_call;
pub mod report;

use rayon::prelude::*;

use crate::files::roster::Row;
use crate::model::Channel;
use crate::plan::{Context, Solution};
use crate::requirements::due_interval;

pub use engine::Tally;
pub use report::{Estimate, PeriodRow, Report, Verdict};

/// Handle-time distribution around each interval's AHT.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HandleTimes {
    Exponential,
    /// Lognormal with this coefficient of variation (sd / mean).
    LogNormal {
        cv: f64,
    },
}

/// How each queue's shrinkage takes agents off the phones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shrinkage {
    /// Spells off the phones of mean `mean_s` seconds, so many that a
    /// share equal to the shrinkage of the agent's time is spent off.
    OffPhone { mean_s: f64 },
    /// Each shift absent altogether with the shrinkage as probability.
    Absence,
    /// Every rostered agent works every rostered minute.
    None,
}

/// How far a week's contacts stray from the forecast, day by day: each
/// queue's day of arrivals is Poisson around the forecast times a factor
/// drawn per replication, queue and day — gamma with mean 1 and a
/// coefficient of variation (a gamma–Poisson mix) — so that a plan is not
/// judged only against its own point forecast.
#[derive(Debug, Clone, PartialEq)]
pub enum DayError {
    /// The forecast is the arrival rate.
    None,
    /// Every queue's days with this coefficient of variation.
    Cv(f64),
    /// Each queue's with the one its forecast's backtest measured
    /// ([`crate::forecast::Accuracy::day_cv`]): a history is needed.
    Backtest,
    /// As `Backtest`, and within the day each interval's own error on top
    /// (a second gamma factor per interval), so that an interval's count
    /// spreads as the forecast's prediction intervals say: the
    /// interval-level dispersion φ (Var = F + φF², [`crate::forecast::Spread`])
    /// less what the day factor gives, cv² = max(0, φ − day cv²).
    Intervals,
}

/// Each queue's forecast-error coefficients of variation under `error`,
/// for the week of `inst`: the day's, and each interval's own on top of it
/// (0 but with [`DayError::Intervals`]). With [`DayError::Backtest`] the
/// day's is the backtest's of the forecast used (`auto`'s own where it
/// chose by backtest); with `Intervals`, the interval's is √max(0, φ − day
/// cv²), φ the forecast's interval dispersion measured on the weeks
/// before. An error in words when the instance has no history to backtest.
pub fn error_cvs(
    inst: &crate::model::Instance,
    error: &DayError,
) -> Result<Vec<(f64, f64)>, String> {
    let n = inst.centre.queues.len();
    match error {
        DayError::None => Ok(vec![(0.0, 0.0); n]),
        DayError::Cv(cv) => Ok(vec![(*cv, 0.0); n]),
        DayError::Backtest | DayError::Intervals => {
            if !matches!(inst.demand, crate::model::Demand::History(_)) {
                return Err(
                    "the forecast's day error is measured by its backtest, which needs a history: \
                     give the instance demand: history, or a coefficient of variation"
                        .into(),
                );
            }
            let f = crate::forecast::forecast_instance(inst, None, crate::forecast::BACKTEST_WEEKS)
                .map_err(|e| e.to_string())?;
            let mut cvs = vec![(0.0, 0.0); n];
            for q in &f.queues {
                let chosen = q
                    .backtest
                    .iter()
                    .find(|(m, _)| Some(*m) == q.chosen.as_single())
                    .map(|(_, a)| a);
                let day = q
                    .auto
                    .as_ref()
                    .or(chosen)
                    .and_then(|a| a.day_cv())
                    .unwrap_or(0.0);
                let interval = match (error, q.spread) {
                    (DayError::Intervals, Some(s)) => (s.phi - day * day).max(0.0).sqrt(),
                    _ => 0.0,
                };
                cvs[q.queue] = (day, interval);
            }
            Ok(cvs)
        }
    }
}

/// `error` in words for the week of `inst`: "none", or each queue's
/// coefficient of variation ("level1 0.081, email 0.12").
pub fn describe_day_error(inst: &crate::model::Instance, error: &DayError) -> String {
    if *error == DayError::None {
        return "none".into();
    }
    let cvs = error_cvs(inst, error).unwrap_or_default();
    let per_queue: Vec<String> = inst
        .centre
        .queues
        .iter()
        .zip(&cvs)
        .map(|(queue, (cv, s))| match error {
            DayError::Intervals => format!("{} {cv:.3} (intervals {s:.3})", queue.id),
            _ => format!("{} {cv:.3}", queue.id),
        })
        .collect();
    let how = match error {
        DayError::Backtest => "backtest: ",
        DayError::Intervals => "backtest, day and intervals: ",
        _ => "",
    };
    format!("{how}{}", per_queue.join(", "))
}

/// How contacts reach an outsourcer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outsourcing {
    /// The plan's share of each interval (`allocation.csv`).
    Share,
    /// A call goes out when no agent is free and this many of its queue
    /// already wait, to an open outsourcer serving the queue.
    Overflow { waiting: u32 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimOptions {
    pub replications: usize,
    pub seed: u64,
    pub handle: HandleTimes,
    pub shrinkage: Shrinkage,
    pub outsourcing: Outsourcing,
    /// Seconds a call waits for agents whose first queue it is before
    /// agents who have it lower in their list may take it (0: at once).
    pub secondary_delay_s: f64,
    /// Per skill group, the delay for its agents instead of
    /// `secondary_delay_s` (the ACD's routing as the plan chose it:
    /// `routing.csv`); `(skill group, seconds)`, infinite: the group's
    /// agents take voice calls from their first queue only.
    pub group_delay_s: Vec<(usize, f64)>,
    /// Worker threads (rayon); `None`: rayon's default.
    pub threads: Option<usize>,
    /// How far the contacts stray from the forecast day by day.
    pub day_error: DayError,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            replications: 30,
            seed: 7,
            handle: HandleTimes::Exponential,
            shrinkage: Shrinkage::OffPhone { mean_s: 900.0 },
            outsourcing: Outsourcing::Share,
            secondary_delay_s: 0.0,
            group_delay_s: Vec::new(),
            threads: None,
            day_error: DayError::None,
        }
    }
}

/// One queue as the simulation sees it.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    pub voice: bool,
    pub patience_s: Option<f64>,
    pub within_s: f64,
    /// Skill groups that can take it, and its rank in each group's list
    /// (0: the group's first queue).
    pub groups: Vec<usize>,
    pub ranks: Vec<usize>,
    /// Per interval: expected contacts, AHT, end of the deadline (deferred;
    /// `None` after the week), the outsourcers' shares, and the outsourcers
    /// open to overflow.
    pub contacts: Vec<f64>,
    pub aht_s: Vec<f64>,
    pub deadline_s: Vec<Option<f64>>,
    pub share: Vec<Vec<(usize, f64)>>,
    pub overflow_to: Vec<Vec<usize>>,
    /// Per interval, its day of the week (0: the first); and the day
    /// error's coefficient of variation (0: none, see [`DayError`]).
    pub day: Vec<usize>,
    pub day_cv: f64,
    /// Each interval's own error on top of the day's (0: none).
    pub slot_cv: f64,
    /// A deferred contract on the calendar clock: each contact's own
    /// deadline, this long after it arrives (the contract's words), in
    /// place of its interval's `deadline_s` (which then only says whether
    /// the deadline falls within the week). `None`: the interval's
    /// deadline (the opening-hours clock, as the plan counts it).
    pub within_exact_s: Option<f64>,
    /// A first-response contract (`Sla::response`): a contact is in time
    /// when an agent takes it up by its deadline, not when its work ends.
    pub response: bool,
    /// Field visits (`Sla::travel_s`): the travel each way, part of
    /// `aht_s`; an agent is dispatched only when the visit's mean length
    /// fits before the end of their shift. 0 for any other queue.
    pub travel_s: f64,
    /// Field visits: per interval, the plan's agents on them (none given:
    /// visits go out whenever an agent is free for one). An engineer in
    /// one of their planned blocks (`Session::visits`) goes out beyond it.
    pub on_visits: Vec<f64>,
    /// The queues following this one's contacts (`Queue::follows`): a
    /// share of its contacts, once done, becomes a contact of each, due by
    /// its own deadline from the first arrival.
    pub followers: Vec<(usize, f64)>,
    /// Its contacts come from another queue's (it follows one): `contacts`
    /// is what is expected, none drawn.
    pub derived: bool,
}

#[derive(Debug, Clone)]
pub struct OutsourcerSpec {
    pub seats: u32,
    pub aht_s: f64,
}

/// One rostered shift: its agent's group, log-in, log-out and breaks, in
/// seconds after the week's start.
#[derive(Debug, Clone)]
pub struct Session {
    pub group: usize,
    pub start_s: f64,
    pub end_s: f64,
    pub breaks: Vec<(f64, f64)>,
    /// Planned field-visit blocks: (queue, leave, back), in seconds after
    /// the week's start; from a block's leave until its back the engineer
    /// goes out on a visit of that queue whatever the plan's count, and
    /// first (`Run::fits`, `Run::idle_for` in `engine.rs`).
    pub visits: Vec<(usize, f64, f64)>,
}

/// Everything a replication reads; built once.
#[derive(Debug, Clone)]
pub struct Setup {
    pub intervals: usize,
    pub step_s: f64,
    pub queues: Vec<QueueSpec>,
    pub outsourcers: Vec<OutsourcerSpec>,
    /// Per skill group: its queues, highest priority first.
    pub groups: Vec<Vec<usize>>,
    /// Per skill group, parallel to `groups`: each queue's rank (0 for
    /// the first, and for every tier of a first pool).
    pub group_ranks: Vec<Vec<usize>>,
    /// Per skill group: the shrinkage of its first queue.
    pub shrink: Vec<f64>,
    /// Per skill group: seconds a voice call waits before the group's
    /// agents take it from a queue that is not their first.
    pub delay_s: Vec<f64>,
    pub sessions: Vec<Session>,
    pub lines: Option<u32>,
    pub opts: SimOptions,
}

impl Setup {
    /// The week of `cx` with the roster `rows` and the plan `sol` (its
    /// outsourcers' shares).
    pub fn new(cx: &Context, rows: &[Row], sol: &Solution, opts: &SimOptions) -> Setup {
        let c = &cx.inst.centre;
        let n = cx.intervals();
        let step_s = cx.step_s();
        // The callers refuse a backtest the instance cannot make
        // (`error_cvs` first): none is assumed here.
        let cvs = error_cvs(cx.inst, &opts.day_error)
            .unwrap_or_else(|_| vec![(0.0, 0.0); c.queues.len()]);
        let field = crate::roster::visits::field_of(cx, sol);
        let queues = c
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| {
                let need = |i| cx.req.need(q, i);
                let share = (0..n)
                    .map(|i| {
                        let contacts = need(i).contacts;
                        (0..c.outsourcers.len())
                            .filter(|&o| sol.sent[o][q][i] > 1e-9 && contacts > 0.0)
                            .map(|o| (o, (sol.sent[o][q][i] / contacts).min(1.0)))
                            .collect()
                    })
                    .collect();
                let overflow_to = (0..n)
                    .map(|i| {
                        let g = &cx.req.grid[i];
                        c.outsourcers
                            .iter()
                            .enumerate()
                            .filter(|(_, o)| {
                                o.available
                                    && o.queues.contains(&q)
                                    && o.hours.overlaps(g.day, g.start_min, c.interval_min)
                            })
                            .map(|(o, _)| o)
                            .collect()
                    })
                    .collect();
                QueueSpec {
                    voice: matches!(queue.channel, Channel::Voice { .. }),
                    patience_s: match queue.channel {
                        Channel::Voice { patience_s } => patience_s,
                        Channel::Deferred => None,
                    },
                    within_s: queue.sla.within_s,
                    groups: c
                        .skill_groups
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| g.queues.contains(&q))
                        .map(|(g, _)| g)
                        .collect(),
                    ranks: (0..c.skill_groups.len())
                        .filter_map(|g| c.rank(g, q))
                        .collect(),
                    contacts: (0..n).map(|i| need(i).contacts.max(0.0)).collect(),
                    derived: queue.follows.is_some(),
                    followers: c
                        .queues
                        .iter()
                        .enumerate()
                        .filter_map(|(f, x)| x.follows.filter(|p| p.0 == q).map(|p| (f, p.1)))
                        .collect(),
                    aht_s: (0..n).map(|i| need(i).aht_s).collect(),
                    // The plan's deadline is when the work must be done; a
                    // first response is due by the contract's own time.
                    deadline_s: (0..n)
                        .map(|i| {
                            if queue.sla.response {
                                due_interval(
                                    queue,
                                    &cx.req.grid,
                                    c.interval_min,
                                    i,
                                    queue.sla.take_up_within_s(),
                                )
                            } else {
                                cx.tables.deadline[q][i]
                            }
                            .map(|last| (last + 1) as f64 * step_s)
                        })
                        .collect(),
                    share,
                    overflow_to,
                    day: (0..n).map(|i| cx.req.grid[i].day).collect(),
                    day_cv: cvs[q].0,
                    slot_cv: cvs[q].1,
                    within_exact_s: (queue.channel == Channel::Deferred
                        && !queue.sla.within_counts_opening_hours_only)
                        .then_some(if queue.sla.response {
                            queue.sla.take_up_within_s()
                        } else {
                            queue.sla.within_s
                        }),
                    response: queue.sla.response,
                    travel_s: queue.sla.travel_s,
                    on_visits: field[q].clone(),
                }
            })
            .collect();
        let mut visits = vec![Vec::new(); rows.len()];
        for b in crate::roster::visits::blocks(cx, rows, &field) {
            visits[b.row].push((b.queue, b.leave_s, b.back_s));
        }
        let sessions = rows
            .iter()
            .zip(visits)
            .map(|(r, visits)| {
                let s = |m: i64| (m as f64 * 60.0).max(0.0);
                let mut breaks: Vec<(f64, f64)> =
                    r.breaks.iter().map(|&(a, b)| (s(a), s(b))).collect();
                breaks.sort_by(|x, y| x.0.total_cmp(&y.0));
                Session {
                    group: cx.inst.agents[r.agent].skill_group,
                    start_s: s(r.start),
                    end_s: s(r.end),
                    breaks,
                    visits,
                }
            })
            .collect();
        Setup {
            intervals: n,
            step_s,
            queues,
            outsourcers: c
                .outsourcers
                .iter()
                .map(|o| OutsourcerSpec {
                    seats: if o.available { o.seats } else { 0 },
                    aht_s: o.aht_s,
                })
                .collect(),
            groups: c.skill_groups.iter().map(|g| g.queues.clone()).collect(),
            group_ranks: (0..c.skill_groups.len())
                .map(|g| {
                    let queues = &c.skill_groups[g].queues;
                    queues.iter().map(|&q| c.rank(g, q).unwrap_or(0)).collect()
                })
                .collect(),
            shrink: c
                .skill_groups
                .iter()
                .map(|g| g.queues.first().map_or(0.0, |&q| 1.0 - cx.on_duty(q)))
                .collect(),
            delay_s: (0..c.skill_groups.len())
                .map(|g| {
                    opts.group_delay_s
                        .iter()
                        .rev()
                        .find(|(x, _)| *x == g)
                        .map_or(opts.secondary_delay_s, |&(_, d)| d)
                })
                .collect(),
            sessions,
            lines: c.trunk_lines,
            opts: opts.clone(),
        }
    }

    /// The field-visit blocks replaced by `blocks` (on the roster's rows,
    /// as `visits.csv` gives them) in place of those derived from the
    /// plan.
    pub fn with_visits(mut self, blocks: &[crate::roster::visits::Block]) -> Setup {
        for s in &mut self.sessions {
            s.visits.clear();
        }
        for b in blocks {
            self.sessions[b.row]
                .visits
                .push((b.queue, b.leave_s, b.back_s));
        }
        self
    }

    /// Every replication, in order (in parallel, the same numbers whatever
    /// the thread count).
    pub fn run(&self) -> Vec<Tally> {
        let go = || {
            (0..self.opts.replications as u64)
                .into_par_iter()
                .map(|r| engine::replicate(self, self.opts.seed, r))
                .collect()
        };
        match self.opts.threads {
            Some(t) => rayon::ThreadPoolBuilder::new()
                .num_threads(t.max(1))
                .build()
                .map_or_else(|_| go(), |pool| pool.install(go)),
            None => go(),
        }
    }
}

/// The allocation file's calibration rows set on `cx`, so that its exact
/// evaluation is the projection the plan made.
pub fn calibrate(cx: &mut Context, rows: &[crate::files::roster::AllocationRow]) {
    for r in rows {
        if r.server == crate::files::roster::Server::Calibration {
            let now = cx.calibration(r.queue, r.interval);
            cx.calibrate(r.queue, r.interval, now + r.value);
        }
    }
}

/// The plan as the allocation file states it: agents per queue and
/// interval, contacts sent to each outsourcer.
pub fn allocation_solution(cx: &Context, rows: &[crate::files::roster::AllocationRow]) -> Solution {
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let nq = c.queues.len();
    let mut sol = Solution {
        shifts: Vec::new(),
        in_house: vec![vec![0.0; n]; nq],
        by_group: Vec::new(),
        sent: vec![vec![vec![0.0; n]; nq]; c.outsourcers.len()],
        costs: Default::default(),
        promised: Vec::new(),
    };
    for r in rows {
        match r.server {
            crate::files::roster::Server::InHouse(_) => {
                sol.in_house[r.queue][r.interval] += r.value
            }
            crate::files::roster::Server::Outsourcer(o) => {
                sol.sent[o][r.queue][r.interval] += r.value
            }
            // The projection's, not the plan's: see `calibrate`.
            crate::files::roster::Server::Calibration => {}
        }
    }
    sol
}
