//! `compare.json` and `compare.csv`: one row per scenario (cost split,
//! staffing, SLA per queue, status, gap, bound), the break-even
//! outsourcer price, the marginal cost of an SLA point and the cheapest
//! scenario. Written by `slaplan compare`, read by `compare.html`.

use serde::{Deserialize, Serialize};

use crate::plan::Status;

/// One scenario's figures, read off the same `plan.json` structure that
/// `slaplan plan` writes, so that the two agree by construction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub scenario: String,
    pub overrides: Vec<String>,
    /// The swept value, in a sweep.
    pub value: Option<f64>,
    pub status: Status,
    pub cost_total: Option<f64>,
    pub in_house: Option<f64>,
    pub outsourced: Option<f64>,
    pub penalties: Option<f64>,
    pub outsourced_contacts: f64,
    /// Agents in the week (in-house headcount).
    pub agents: usize,
    /// Agents the roster puts to work.
    pub agents_working: Option<usize>,
    /// The total with the roster's wages in place of the plan's.
    pub roster_cost: Option<f64>,
    /// The on-call rota's expected cost (`plan.json`'s `on_call.cost`):
    /// beside the total, not in it, as `slaplan plan` reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_call_cost: Option<f64>,
    /// Plans made again where the roster left shifts unfilled.
    pub replans: usize,
    pub fte: Option<f64>,
    pub shifts: Option<u32>,
    /// Per queue: its contract's SL over the worst period, exact.
    pub sla: Vec<QueueSla>,
    /// Every contractual SLA kept.
    pub sla_kept: bool,
    pub gap: Option<f64>,
    /// The plan's proven lower bound on the cost.
    pub lower_bound: Option<f64>,
    pub solve_seconds: f64,
    /// Without a plan: why, in planners' words (the plan's explanation).
    pub explanation: Vec<String>,
    /// The plan is acceptable as `slaplan plan` judges it (its exit code
    /// 0): every contractual SLA kept and, with agents named, every planned
    /// shift rostered.
    #[serde(default)]
    pub acceptable: bool,
    /// Every contract held when the roster was replayed call by call
    /// (after corrections); part of `acceptable`. Absent: not verified
    /// (`--no-verify`, `--no-roster`, or no roster to replay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// The figures finance decides on, unrounded (the file carries them
    /// rounded); `None` in a row read back from a file.
    #[serde(skip)]
    pub exact: Option<Exact>,
    /// A horizon's figures (`compare --weeks N`, N > 1): the row's costs,
    /// bounds and contacts are then the weeks' sums.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<HorizonFigures>,
}

/// A scenario planned over several weeks (see [`Row::horizon`]).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct HorizonFigures {
    pub weeks: usize,
    /// Contacts forecast over the weeks (the deferred work carried from
    /// week to week counted once).
    pub contacts: f64,
    /// The total cost per contact forecast.
    pub per_contact: Option<f64>,
    /// The weeks' average cost per week times 52 / 12, and times 52.
    pub per_month: Option<f64>,
    pub per_year: Option<f64>,
}

/// A scenario's figures before rounding: the break-even and the marginal
/// cost decide on these, never on the file's rounded ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exact {
    pub cost_total: Option<f64>,
    pub gap: Option<f64>,
    pub outsourced_contacts: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueSla {
    pub queue: String,
    pub scope: String,
    pub target: f64,
    pub achieved: f64,
    pub kept: bool,
}

impl Row {
    /// The plan sends contacts to an outsourcer (unrounded, where known).
    pub fn uses_outsourcer(&self) -> bool {
        self.exact
            .map_or(self.outsourced_contacts, |e| e.outsourced_contacts)
            > 0.0
    }

    /// The plan's cost (unrounded, where known).
    pub fn cost(&self) -> Option<f64> {
        self.exact.map_or(self.cost_total, |e| e.cost_total)
    }

    /// The plan's gap (unrounded, where known).
    pub fn gap(&self) -> Option<f64> {
        self.exact.map_or(self.gap, |e| e.gap)
    }
}

/// Where outsourcing stops paying, found by bisection inside the sweep.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BreakEven {
    /// The highest price found at which the plan still sends contacts.
    pub below: f64,
    pub contacts_below: f64,
    /// The lowest price found at which it sends none.
    pub above: f64,
    pub cost_below: Option<f64>,
    pub cost_above: Option<f64>,
}

/// The cost of one SLA point (0.01 of target) around the contract target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marginal {
    pub contract_target: f64,
    pub from: f64,
    pub to: f64,
    /// From the two plans' costs.
    pub cost_per_point: f64,
    /// What the optimal plans' costs could give, each plan being within
    /// its gap of its optimum: `[low, high]` holds the true marginal cost.
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompareFile {
    pub instance: String,
    /// The currency of every cost and price (the model's; ISO 4217).
    #[serde(default = "super::plan::euro")]
    pub currency: String,
    pub sweep: Option<String>,
    /// A shard's file (`--shard I/N`): its scenarios only, and none of
    /// the answers below, which need them all (`--merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<super::shard::Shard>,
    pub scenarios: Vec<Row>,
    /// With a price sweep: where outsourcing stops paying (none when it
    /// pays, or does not, across the whole sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_even: Option<BreakEven>,
    /// What the sweep says about the break-even when none was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_even_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marginal_sla: Option<Marginal>,
    /// The cheapest plan, and whether the plans' bounds prove it so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cheapest: Option<Cheapest>,
}

/// The cheapest scenario with a plan. It is `proven` the cheapest when no
/// other scenario's lower bound is below its cost: whatever the searches
/// would still find, none could undercut it. Otherwise `rivals` are the
/// scenarios that still might, and `unknown` those without a plan and not
/// proven infeasible (their cost is unknown).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cheapest {
    pub scenario: String,
    pub cost: f64,
    pub proven: bool,
    pub rivals: Vec<String>,
    pub unknown: Vec<String>,
}

/// The cheapest scenario in one sentence, with what its proof lacks.
impl Cheapest {
    pub fn sentence(&self, currency: &str) -> String {
        let x = self;
        let mut s = format!("{} at {:.2} {currency}", x.scenario, x.cost);
        if x.proven {
            s.push_str("; proven: every other plan's lower bound is above it");
        } else {
            s.push_str("; not proven");
            if !x.rivals.is_empty() {
                s.push_str(&format!(
                    ": the lower bound of {} is below it (raise --time-limit or lower --gap)",
                    x.rivals.join(", ")
                ));
            }
            if !x.unknown.is_empty() {
                s.push_str(&format!(
                    "{} no plan yet for {}",
                    if x.rivals.is_empty() { ":" } else { ";" },
                    x.unknown.join(", ")
                ));
            }
        }
        s
    }
}

/// The table's columns before one SL column per queue (terminal and
/// compare.html).
pub const COLUMNS: [&str; 10] = [
    "scenario",
    "status",
    "total",
    "in-house",
    "outsourced",
    "penalties",
    "contacts out",
    "agents",
    "FTE",
    "gap",
];

/// The queues of the SL columns: every queue any row has, in the order
/// they first appear (a scenario without a plan has none, and may come
/// first).
pub fn queues(rows: &[Row]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in rows.iter().flat_map(|r| &r.sla) {
        if !out.contains(&s.queue) {
            out.push(s.queue.clone());
        }
    }
    out
}

impl Row {
    /// This row's SL of `queue`, if it has a plan.
    pub fn sl_of(&self, queue: &str) -> Option<&QueueSla> {
        self.sla.iter().find(|x| x.queue == queue)
    }
}

/// The table as CSV: one row per scenario, one SL column per queue.
pub fn csv(rows: &[Row], currency: &str) -> String {
    let queues = queues(rows);
    let mut s = String::from("scenario,overrides,value,status,currency,cost_total,cost_in_house,cost_outsourced,cost_penalties,on_call_cost,outsourced_contacts,agents,fte,shifts,gap_share,sla_kept,acceptable,verified,weeks,contacts,cost_per_contact,cost_per_month,cost_per_year");
    for q in &queues {
        s.push_str(&format!(",sl_share_{q}"));
    }
    s.push('\n');
    for r in rows {
        let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            quote(&r.scenario),
            quote(&r.overrides.join("; ")),
            r.value.map_or(String::new(), |v| v.to_string()),
            r.status.as_str(),
            currency,
            opt(r.cost_total, 2),
            opt(r.in_house, 2),
            opt(r.outsourced, 2),
            opt(r.penalties, 2),
            opt(r.on_call_cost, 2),
            super::fixed(r.outsourced_contacts, 3),
            r.agents,
            opt(r.fte, 2),
            r.shifts.map_or(String::new(), |n| n.to_string()),
            opt(r.gap, 6),
            r.sla_kept,
            r.acceptable,
            r.verified.map_or(String::new(), |v| v.to_string())
        ));
        // A horizon's figures; a week's row gives its one week only.
        match &r.horizon {
            Some(h) => s.push_str(&format!(
                ",{},{},{},{},{}",
                h.weeks,
                super::fixed(h.contacts, 3),
                opt(h.per_contact, 4),
                opt(h.per_month, 2),
                opt(h.per_year, 2)
            )),
            None => s.push_str(",1,,,,"),
        }
        for q in &queues {
            let v = r.sl_of(q).map(|x| x.achieved);
            s.push_str(&format!(",{}", opt(v, 6)));
        }
        s.push('\n');
    }
    s
}

/// A number with `digits` decimals, or nothing.
pub fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or(String::new(), |v| super::fixed(v, digits))
}
