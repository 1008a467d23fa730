//! The MIP as named passes over one [`Mip`], run in this order:
//!
//! 1. [`shifts`]: agents per group and shift option; headcount per day,
//!    shifts and hours per week, rest between consecutive days; wages.
//! 2. [`breaks`]: where each planned shift's breaks start (Aykin's implicit
//!    break variables: per shift option and break, a count per start).
//! 3. [`coverage`]: working agents' time split over their group's queues,
//!    within each group's capacity net of breaks.
//! 4. [`outsourcing`]: contacts sent to outsourcers, their seat capacity,
//!    price and weekly commitment.
//! 5. [`service`]: voice SLAs per interval, or counted over a day or the
//!    week from SL tables; priced SLAs and their penalties.
//! 6. [`deferred`]: backlog of deferred work and its deadline.
//!
//! Every column and row carries a name that reads in an LP dump, e.g.
//! `x[n1/full_time][early_Mon_0800]` or `sla[level2][Tue]`.

pub mod breaks;
pub mod coverage;
pub mod deferred;
pub mod outsourcing;
pub mod service;
pub mod shifts;

use std::collections::BTreeMap;

use super::mip::{Col, Mip};
use super::Context;

/// Price of one unit of elastic slack: far above any wage, so that the
/// elastic re-solve first minimises what cannot be met.
pub const SLACK_PRICE: f64 = 1.0e4;

/// One shift option worked by one group.
#[derive(Debug, Clone, Copy)]
pub struct ShiftCol {
    pub group: usize,
    pub option: usize,
    pub col: Col,
}

/// Agents of a planned shift taking break `k` at position `pos`.
#[derive(Debug, Clone, Copy)]
pub struct BreakCol {
    /// Index into `Vars::shifts`.
    pub shift: usize,
    pub k: usize,
    pub pos: usize,
    pub col: Col,
}

/// The period an SLA is counted over.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Interval(usize),
    Day(usize),
    Week,
    /// The calendar month beginning that day (the part of it in the week).
    Month(chrono::NaiveDate),
}

impl Period {
    /// The period of queue `q`'s SLA scope that interval `i` falls in.
    pub fn of(cx: &Context, q: usize, i: usize) -> Period {
        Period::of_scope(cx, cx.scopes[q], i)
    }

    /// The period of `scope` that interval `i` falls in.
    pub fn of_scope(cx: &Context, scope: crate::model::SlaScope, i: usize) -> Period {
        match scope {
            crate::model::SlaScope::Interval => Period::Interval(i),
            crate::model::SlaScope::Day => Period::Day(cx.req.grid[i].day),
            crate::model::SlaScope::Week => Period::Week,
            crate::model::SlaScope::Month => {
                Period::Month(cx.inst.month_of_day(cx.req.grid[i].day))
            }
        }
    }

    /// Its name in rows: the interval's start, the weekday, `week`, or
    /// the month (`2003-03`).
    pub fn label(&self, cx: &Context) -> String {
        match self {
            Period::Interval(i) => at(cx, *i),
            Period::Day(d) => DAYS[*d].to_string(),
            Period::Week => "week".to_string(),
            Period::Month(m) => m.format("%Y-%m").to_string(),
        }
    }

    /// Its number among the week's periods of its kind, as the
    /// verification's aims are keyed: the day, 0 for the week, and 0 or 1
    /// for the month the week begins in or the next.
    pub fn number(&self, cx: &Context) -> usize {
        match self {
            Period::Interval(i) => *i,
            Period::Day(d) => *d,
            Period::Week => 0,
            Period::Month(m) => usize::from(*m != cx.inst.month_of_day(0)),
        }
    }

    /// What the month's weeks before this one achieved (a horizon's
    /// carry), for a month's period of queue `q`.
    pub fn before<'c>(&self, cx: &'c Context, q: usize) -> Option<&'c crate::model::MonthSoFar> {
        match self {
            Period::Month(m) => cx.inst.carry.month_so_far(q, *m),
            _ => None,
        }
    }
}

/// What a unit of elastic slack stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Slack {
    /// Agents missing in an interval for a per-interval SLA.
    Coverage { queue: usize, interval: usize },
    /// Share of calls missing from an SLA counted over a period.
    Sla { queue: usize, period: Period },
    /// Agent-intervals of deferred work late for the deadline of work
    /// arriving in `interval`.
    Deadline { queue: usize, interval: usize },
    /// Paid hours a group cannot reach of its contract minimum.
    MinHours { group: usize },
}

/// The columns the passes create, by what they mean.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    pub shifts: Vec<ShiftCol>,
    pub breaks: Vec<BreakCol>,
    /// Agents of group `g` on queue `q` in interval `i`: key `(q, i, g)`.
    pub alloc: BTreeMap<(usize, usize, usize), Col>,
    /// Contacts of queue `q` in interval `i` sent to outsourcer `o`: key
    /// `(q, i, o)`.
    pub sent: BTreeMap<(usize, usize, usize), Col>,
    /// Per outsourcer, whether it is used (when it has a weekly minimum).
    pub used: Vec<Option<Col>>,
    /// Seats booked per outsourcer and interval (seat-hour pricing).
    pub booked: BTreeMap<(usize, usize), Col>,
    /// Credited SL of voice queue `q` in interval `i` (table-counted SLAs).
    pub credit: BTreeMap<(usize, usize), Col>,
    /// Shortfall of a priced SLA below its target over a period.
    pub short: Vec<(usize, Period, Col)>,
    /// Elastic slack (only in the elastic re-solve).
    pub slack: Vec<(Slack, Col)>,
}

/// Runs every pass in order.
pub fn run_all(cx: &Context, m: &mut Mip, v: &mut Vars, elastic: bool) {
    shifts::add(cx, m, v, elastic);
    breaks::add(cx, m, v);
    coverage::add(cx, m, v);
    outsourcing::add(cx, m, v);
    service::add(cx, m, v, elastic);
    deferred::add(cx, m, v, elastic);
}

/// Adds an elastic slack column for row `row` standing for `what`, priced
/// `price` per unit, and records it; returns the term to add to the row.
pub fn slack(m: &mut Mip, v: &mut Vars, row: &str, what: Slack, price: f64) -> (f64, Col) {
    let s = m.col(
        format!("slack_{row}"),
        0.0,
        None,
        false,
        price,
        super::mip::CostLine::Slack,
    );
    v.slack.push((what, s));
    (1.0, s)
}

/// Short day names for column and row names.
pub const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `Mon_0830` for interval `i` (with `b` for the repeated hour).
pub fn at(cx: &Context, i: usize) -> String {
    let g = &cx.req.grid[i];
    format!(
        "{}_{:02}{:02}{}",
        DAYS[g.day],
        g.start_min / 60,
        g.start_min % 60,
        if g.repeated_hour { "b" } else { "" }
    )
}
