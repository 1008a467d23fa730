//! `plan.json`: the plan's status, cost, bound and gap, the SLAs under
//! exact re-evaluation, staffing, outsourcing, the roster's figures and,
//! with `--simulate`, the simulated week. Written by `slaplan plan` (and
//! each scenario of `slaplan compare` makes one), read by the report and
//! by compare's rows.

use serde::{Deserialize, Serialize};

use super::simulation::SimulationFile;
use crate::plan::{ModelSize, Shortfall, Status};

/// What `plan.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanFile {
    pub instance: String,
    /// The `--set` overrides applied to the week, in order.
    pub overrides: Vec<String>,
    pub centre: String,
    /// The currency of every cost below (the model's; ISO 4217).
    #[serde(default = "euro")]
    pub currency: String,
    /// The centre's clock (IANA zone): the week's days and hours, opening
    /// hours and SLAs; `roster.csv` gives each agent's own.
    #[serde(default)]
    pub time_zone: String,
    pub week_start: String,
    /// Where the week's demand came from: `history` (forecast here),
    /// `forecast` (given) or `requirements` (agents given per interval:
    /// the SLAs then read "requirement covered", target 1).
    #[serde(default)]
    pub demand: String,
    pub status: Status,
    pub stopped: String,
    pub cost: Option<Cost>,
    pub lower_bound: Option<f64>,
    pub gap: Option<f64>,
    pub solve_seconds: f64,
    pub work: Work,
    /// Rounds of the repair loop (outsourcing relief tightened and solved
    /// again where the exact evaluation found a promise broken).
    pub repairs: usize,
    pub model: ModelSize,
    pub options: PlanOptionsFile,
    pub sla: Vec<Sla>,
    /// SL achieved per queue by day and over the week (exact evaluation),
    /// whatever scope the contract counts.
    pub service_levels: Vec<Service>,
    pub staffing: Option<Staffing>,
    pub outsourcers: Vec<Outsourcer>,
    pub trunks: Option<Trunks>,
    pub explanation: Vec<Shortfall>,
    /// The named agents on the plan's shifts.
    pub roster: Option<RosterFigures>,
    /// The roster replayed call by call (`--simulate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimulationFile>,
    /// The plan verified by simulation and corrected (`slaplan plan`'s
    /// default; absent with `--no-verify`, see `unverified`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<super::verification::Verification>,
    /// Why the plan was not verified by simulation (absent when it was):
    /// its service levels are then the queueing tables' projection only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// The on-call rota (`on_call.csv`) and its expected cost, where the
    /// model has rotas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_call: Option<super::on_call::OnCallFile>,
    /// The field visits as named blocks (`visits.csv`), per field queue,
    /// where the model has field queues and the week a roster.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visits: Vec<super::visits::VisitFigures>,
}

/// The roster's figures in `plan.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RosterFigures {
    pub status: Status,
    pub stopped: String,
    pub shifts: usize,
    pub agents_working: usize,
    /// Wages of the rostered shifts.
    pub wages: f64,
    /// The plan's total with the roster's wages in place of the plan's.
    pub cost_total: Option<f64>,
    /// `(cost_total − plan lower bound) / cost_total`.
    pub gap_to_lower_bound: Option<f64>,
    pub solve_seconds: f64,
    pub simplex_iterations: i64,
    pub nodes: i64,
    /// Planned shifts no agent could be given, in planners' words.
    pub unfilled: Vec<String>,
    /// Plans made again with caps where a roster left shifts unfilled.
    pub replans: usize,
    /// The instance's shift-on and shift-off requests, granted or not.
    pub requests: super::roster::RequestCount,
    /// Weekend days and late shifts per agent, fewest and most, per group.
    pub fairness: Vec<super::roster::FairnessCount>,
    /// Start times beyond the first, agents with a same-start contract.
    pub start_changes: usize,
}

/// The solver's work.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Work {
    pub simplex_iterations: i64,
    pub nodes: i64,
}

/// The options the plan was made with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanOptionsFile {
    pub time_limit_s: f64,
    /// The work budget in nodes (`--work-limit`); absent when the budget
    /// was seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_limit: Option<u64>,
    pub gap: f64,
    pub threads: u32,
    pub seed: u32,
    pub sla_scope: Option<String>,
    pub exact_sl: bool,
}

/// The plan's cost lines; `in_house` is `wages` (paid hours at the hourly
/// cost) plus `premiums` (night and Sunday).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cost {
    pub total: f64,
    pub in_house: f64,
    pub wages: f64,
    /// Night and Sunday premiums of the shifts.
    pub premiums: f64,
    /// The premium on the hours beyond the agents' contract maxima (their
    /// group's overtime), on top of those hours' wages.
    #[serde(default)]
    pub overtime: f64,
    pub outsourced: f64,
    pub penalties: f64,
    /// The in-house cost per day of the week (Monday first), by the day a
    /// shift starts.
    #[serde(default)]
    pub by_day: Vec<InHouseCost>,
    /// The in-house cost per planning group (`skill_group/contract[/site]`).
    #[serde(default)]
    pub by_group: Vec<InHouseCost>,
}

/// Wages and premiums of a part of the week's shifts: a day or a group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InHouseCost {
    /// `Mon` … `Sun`, or the planning group.
    pub of: String,
    pub wages: f64,
    pub premiums: f64,
    /// The group's overtime premium (a week's, so 0 for a day).
    #[serde(default)]
    pub overtime: f64,
}

/// One queue's SLA over one scope under exact re-evaluation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sla {
    pub queue: String,
    pub scope: String,
    pub contractual: bool,
    pub target: f64,
    /// The worst period's SL under exact evaluation.
    pub achieved: f64,
    pub promised: f64,
    pub periods: usize,
    pub periods_met: usize,
    pub kept: bool,
}

/// One queue's SL by day and over the week.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Service {
    pub queue: String,
    /// The contract's scope and target.
    pub scope: String,
    pub target: f64,
    /// Monday first; `None` on a day without contacts.
    pub days: [Option<f64>; 7],
    pub week: Option<f64>,
}

/// Shifts, hours and agents of the plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Staffing {
    pub shifts: u32,
    pub shifts_per_day: [u32; 7],
    pub paid_hours: f64,
    /// Paid hours over each group's contract week (its weekly maximum).
    pub fte: f64,
    /// The most shifts worked on one day.
    pub agents_working: u32,
    /// Agents in the week (the in-house headcount).
    pub agents: usize,
}

/// What one outsourcer takes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outsourcer {
    pub id: String,
    pub contacts: f64,
    /// Contacts per queue.
    pub queues: Vec<(String, f64)>,
}

/// The trunk lines' blocking.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trunks {
    pub lines: u32,
    pub max_blocking: f64,
    /// Intervals where the lines block more than 1% of calls.
    pub limited: Vec<String>,
}

/// The currency of a plan.json written before the field existed.
pub(crate) fn euro() -> String {
    "EUR".into()
}

/// `plan --format csv`: one row per queue and SLA scope — the contract,
/// the plan's projection (exact re-evaluation, the worst period) and,
/// when the roster was replayed, the kept round's verdict (the worst
/// period's simulated SL and its 95% interval). SLs in percent with two
/// decimals; empty cells where there is no figure.
pub fn contracts_csv(p: &PlanFile) -> String {
    #[derive(Serialize)]
    struct Row<'a> {
        queue: &'a str,
        scope: &'a str,
        contractual: bool,
        target_pct: String,
        projected_pct: String,
        periods: usize,
        periods_met: usize,
        kept: bool,
        simulated_pct: String,
        simulated_low_pct: String,
        simulated_high_pct: String,
        holds: Option<bool>,
    }
    let kept = p.verification.as_ref().and_then(|v| v.kept());
    let pct = |x: f64| super::fixed(100.0 * x, 2);
    let rows: Vec<Row> = p
        .sla
        .iter()
        .map(|s| {
            let v = kept.and_then(|r| r.verdict(&s.queue, &s.scope));
            Row {
                queue: &s.queue,
                scope: &s.scope,
                contractual: s.contractual,
                target_pct: pct(s.target),
                projected_pct: pct(s.achieved),
                periods: s.periods,
                periods_met: s.periods_met,
                kept: s.kept,
                simulated_pct: v.map_or(String::new(), |v| pct(v.worst_sl)),
                simulated_low_pct: v.map_or(String::new(), |v| pct(v.worst_low.max(0.0))),
                simulated_high_pct: v.map_or(String::new(), |v| pct(v.worst_high.min(1.0))),
                holds: v.map(|v| v.holds),
            }
        })
        .collect();
    super::csv_of(
        "queue,scope,contractual,target_pct,projected_pct,periods,periods_met,kept,\
         simulated_pct,simulated_low_pct,simulated_high_pct,holds",
        &rows,
    )
}
