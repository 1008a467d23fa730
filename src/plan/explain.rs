//! Why a week cannot be planned: the MIP is re-solved with priced slack on
//! every coverage, SLA, deadline and contract-hours row, so it always has
//! a plan; the slack it needs names the queues, times and groups that
//! cannot be served and by how much. Each shortfall then gets its cause
//! in planners' words — nobody who serves the queue can work then, every
//! available agent already works that day, or contract hours are spent —
//! and what would remedy it.

use serde::Serialize;

use super::evaluate::when;
use super::mip::Values;
use super::passes::{Period, Slack, Vars, DAYS};
use super::Context;
use crate::model::{Channel, SlaScope};

/// One thing the week cannot meet.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Shortfall {
    /// `coverage`, `sla`, `deadline` or `hours`.
    pub kind: String,
    pub queue: Option<String>,
    pub group: Option<String>,
    /// `Sun 08:00–10:00`, `Tue`, `week`.
    pub when: String,
    /// How far: agents missing (coverage), SL points (sla), agent-hours
    /// late (deadline), paid hours (hours).
    pub amount: f64,
    /// The whole sentence: what, why, what to do.
    pub message: String,
    /// For an SLA counted over a period (a day, the week, a month): its
    /// queue and period number, as the verification's aims key them.
    #[serde(skip)]
    pub period: Option<(usize, usize)>,
    /// For work short of its deadline: the interval it arrives in.
    #[serde(skip)]
    pub interval: Option<usize>,
}

/// Seconds the elastic re-solve gets at most when the week was not proven
/// infeasible, only left without a plan by the time limit.
pub const UNPROVEN_BUDGET_S: f64 = 30.0;

/// Re-solves `cx` elastically within `time_limit_s` seconds and explains
/// the slack it needs. When it needs none — the rows can all be met, the
/// search just found no plan in time — says so.
pub fn explain(cx: &Context, time_limit_s: f64) -> Vec<Shortfall> {
    let (m, v) = super::build(cx, true);
    let mut opts = cx.opts.clone();
    opts.time_limit_s = time_limit_s;
    let (_, values) = super::solve::solve(&m, &opts);
    match values {
        Some(x) => {
            let found = shortfalls(cx, &v, &x);
            if found.is_empty() {
                vec![Shortfall {
                    kind: "solver".into(),
                    queue: None,
                    group: None,
                    when: "week".into(),
                    amount: 0.0,
                    period: None,
                    interval: None,
                    message: "the elastic re-solve meets every coverage, SLA, deadline and \
                              hours row: a plan likely exists; raise --time-limit"
                        .into(),
                }]
            } else {
                found
            }
        }
        None => vec![Shortfall {
            kind: "solver".into(),
            queue: None,
            group: None,
            when: "week".into(),
            amount: 0.0,
            period: None,
            interval: None,
            message: "the elastic re-solve found no plan within the time limit either; \
                      raise --time-limit to learn which queues and times cannot be met"
                .into(),
        }],
    }
}

fn shortfalls(cx: &Context, v: &Vars, x: &Values) -> Vec<Shortfall> {
    let c = &cx.inst.centre;
    let mut out = Vec::new();
    // Coverage slack, grouped into runs of consecutive intervals per queue.
    let mut runs: Vec<(usize, usize, usize, f64)> = Vec::new(); // (queue, first, last, max)
    for (slack, col) in &v.slack {
        let amount = x.of(*col);
        if amount <= 1e-6 {
            continue;
        }
        match slack {
            Slack::Coverage { queue, interval } => match runs.last_mut() {
                Some(r)
                    if r.0 == *queue
                        && r.2 + 1 == *interval
                        && cx.req.grid[r.1].day == cx.req.grid[*interval].day =>
                {
                    r.2 = *interval;
                    r.3 = r.3.max(amount);
                }
                _ => runs.push((*queue, *interval, *interval, amount)),
            },
            Slack::Sla { queue, period } => {
                let q = &c.queues[*queue];
                let label = match period {
                    Period::Interval(i) => when(cx, *i),
                    Period::Day(d) => DAYS[*d].to_string(),
                    Period::Week => "the week".to_string(),
                    Period::Month(m) => match period.before(cx, *queue) {
                        Some(b) => format!(
                            "{} (its weeks before: {:.2}% of {:.0} contacts in time)",
                            m.format("%B %Y"),
                            100.0 * b.sl(),
                            b.contacts
                        ),
                        None => m.format("%B %Y").to_string(),
                    },
                };
                let intervals: Vec<usize> = (0..cx.intervals())
                    .filter(|&i| Period::of(cx, *queue, i) == *period)
                    .collect();
                let why = cause(cx, x, v, *queue, &intervals);
                out.push(Shortfall {
                    kind: "sla".into(),
                    queue: Some(q.id.clone()),
                    group: None,
                    when: label.clone(),
                    amount: amount * 100.0,
                    period: (!matches!(period, Period::Interval(_)))
                        .then(|| (*queue, period.number(cx))),
                    interval: None,
                    message: format!(
                        "{}, {label}: the {} SLA ({:.0}% within {}s) falls {:.1} points short; {why}",
                        q.id,
                        cx.scopes[*queue].as_str(),
                        q.sla.target * 100.0,
                        q.sla.within_s,
                        amount * 100.0
                    ),
                });
            }
            Slack::Deadline { queue, interval } => {
                let q = &c.queues[*queue];
                out.push(Shortfall {
                    kind: "deadline".into(),
                    queue: Some(q.id.clone()),
                    group: None,
                    when: when(cx, *interval),
                    amount: amount * cx.step_s() / 3600.0,
                    period: None,
                    interval: Some(*interval),
                    message: format!(
                        "{}, work arriving {}: {:.1} agent-hours cannot be {} within {}h; {}",
                        q.id,
                        when(cx, *interval),
                        amount * cx.step_s() / 3600.0,
                        if q.sla.response { "taken up" } else { "done" },
                        q.sla.within_s / 3600.0,
                        cause(cx, x, v, *queue, &[*interval])
                    ),
                });
            }
            Slack::MinHours { group } => {
                let g = &cx.groups[*group];
                out.push(Shortfall {
                    kind: "hours".into(),
                    queue: None,
                    group: Some(g.id.clone()),
                    when: "week".into(),
                    amount,
                    period: None,
                    interval: None,
                    message: format!(
                        "group {}: {:.1} of the {:.1} paid hours its contracts guarantee cannot be placed on \
                         workable shifts; allow more shift templates or days for this contract, or lower its \
                         weekly minimum",
                        g.id, amount, g.min_hours
                    ),
                });
            }
        }
    }
    for (q, first, last, most) in runs {
        let queue = &c.queues[q];
        let g_last = &cx.req.grid[last];
        let end = g_last.start_min + c.interval_min;
        let span = format!("{}–{:02}:{:02}", when(cx, first), end / 60 % 24, end % 60);
        let need = (first..=last)
            .filter_map(|i| cx.req.need(q, i).required)
            .max()
            .unwrap_or(0);
        let intervals: Vec<usize> = (first..=last).collect();
        let why = cause(cx, x, v, q, &intervals);
        let target = match queue.channel {
            _ if cx.req.given => "the requirement given".into(),
            Channel::Voice { .. } => {
                format!("{:.0}/{:.0}", queue.sla.target * 100.0, queue.sla.within_s)
            }
            Channel::Deferred => "its deadline".into(),
        };
        out.push(Shortfall {
            kind: "coverage".into(),
            queue: Some(queue.id.clone()),
            group: None,
            when: span.clone(),
            amount: most / cx.on_duty(q),
            period: None,
            interval: None,
            message: format!(
                "{}, {span}: needs {} agents for {target}, {:.1} cannot be staffed; {why}",
                queue.id, need, most
            ),
        });
    }
    out
}

/// Why queue `q` cannot be staffed in `intervals`, and what would help.
fn cause(cx: &Context, x: &Values, v: &Vars, q: usize, intervals: &[usize]) -> String {
    let c = &cx.inst.centre;
    let queue = &c.queues[q];
    let serving: Vec<usize> = cx
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| c.skill_groups[g.skill_group].queues.contains(&q))
        .map(|(i, _)| i)
        .collect();
    let outsourced = c
        .outsourcers
        .iter()
        .any(|o| o.available && o.queues.contains(&q));
    let remedy = {
        let mut r = vec!["allow more shifts then", "add agents with this skill"];
        // Requirements as given: no contacts to send away, no SLA to count.
        if !outsourced && !cx.req.given {
            r.push("outsource it");
        }
        if cx.req.given {
            r.push("or lower the requirement");
        } else if queue.channel != Channel::Deferred && cx.scopes[q] != SlaScope::Week {
            r.push("or count the SLA over the week");
        }
        r.join(", ")
    };
    if serving.is_empty() {
        return format!("no agent has the skill for {}; {remedy}", queue.id);
    }
    let coverable = |g: usize| {
        v.shifts.iter().any(|s| {
            s.group == g
                && cx.options[s.option]
                    .cover
                    .iter()
                    .any(|(i, _)| intervals.contains(i))
        })
    };
    let can: Vec<usize> = serving.iter().copied().filter(|&g| coverable(g)).collect();
    let names = |gs: &[usize]| {
        gs.iter()
            .map(|&g| cx.groups[g].id.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if can.is_empty() {
        return format!(
            "no shift that agents serving {} ({}) may work covers that time; {remedy}",
            queue.id,
            names(&serving)
        );
    }
    let day = cx.req.grid[intervals[0]].day;
    let working = |g: usize| -> u32 {
        v.shifts
            .iter()
            .filter(|s| s.group == g && cx.options[s.option].day == day)
            .map(|s| x.count(s.col))
            .sum()
    };
    let full: Vec<usize> = can
        .iter()
        .copied()
        .filter(|&g| working(g) >= cx.groups[g].available[day])
        .collect();
    if full.len() == can.len() {
        let avail: u32 = can.iter().map(|&g| cx.groups[g].available[day]).sum();
        return format!(
            "all {avail} agents of {} available on {} already work that day; {remedy}",
            names(&can),
            DAYS[day]
        );
    }
    let hours_spent: Vec<usize> = can
        .iter()
        .copied()
        .filter(|&g| {
            let h: f64 = v
                .shifts
                .iter()
                .filter(|s| s.group == g)
                .map(|s| f64::from(x.count(s.col)) * cx.options[s.option].paid_h)
                .sum();
            h + 1e-6 >= cx.groups[g].max_hours
                || v.shifts
                    .iter()
                    .filter(|s| s.group == g)
                    .map(|s| x.count(s.col))
                    .sum::<u32>()
                    >= cx.groups[g].max_shifts
        })
        .collect();
    if hours_spent.len() == can.len() {
        // Hours (not days) spent in a group that may not work overtime:
        // its policy's overtime is a lever too.
        let no_overtime = can.iter().any(|&g| {
            let group = &cx.groups[g];
            let shifts: u32 = v
                .shifts
                .iter()
                .filter(|s| s.group == g)
                .map(|s| x.count(s.col))
                .sum();
            shifts < group.max_shifts
                && cx.inst.centre.contracts[group.contract].takes_overtime()
                && cx
                    .inst
                    .centre
                    .group_policy(group.skill_group)
                    .and_then(|p| p.overtime)
                    .is_none()
        });
        let overtime = if no_overtime {
            " (or allow the group overtime: `headcount.groups[].overtime`)"
        } else {
            ""
        };
        return format!(
            "the weekly hours or days the contracts of {} allow are all planned; {remedy}{overtime}",
            names(&can)
        );
    }
    format!(
        "the agents who can serve it then ({}) are needed on other queues or at other times; {remedy}",
        names(&can)
    )
}
