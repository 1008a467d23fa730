//! `headcount.json` and `headcount.csv`: the headcount decided for each
//! skill group and week of a horizon (`slaplan headcount`), with what it
//! costs, what goes to the outsourcers, and where each outsourcer's price
//! stops paying.

use serde::{Deserialize, Serialize};

/// `headcount.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadcountFile {
    pub centre: String,
    pub currency: String,
    /// The horizon's first Monday.
    pub first_week: chrono::NaiveDate,
    pub weeks: usize,
    /// The share of in-house paid hours taken to meet requirements.
    pub schedule_efficiency: f64,
    /// `optimal`, `within 0.0001%` of the bound, or `budget` (the node
    /// budget or the time limit stopped the search first).
    pub status: String,
    pub total: HeadcountTotal,
    /// Per skill group and week, group-major.
    pub groups: Vec<GroupWeek>,
    /// Per outsourcer and week with contacts sent.
    pub outsourced: Vec<OutsourcedWeek>,
    /// Per queue and week whose need nothing could meet (agent-hours).
    pub short: Vec<ShortWeek>,
    /// Per outsourcer available: the price at which the decision turns
    /// (below it the outsourcer takes contacts, above it none).
    pub break_even: Vec<HeadcountBreakEven>,
}

/// The horizon's cost, by kind, and its figures for finance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadcountTotal {
    pub cost: f64,
    /// Contract hours paid (trainees included).
    pub in_house: f64,
    pub overtime: f64,
    pub temps: f64,
    pub hiring: f64,
    pub severance: f64,
    pub outsourced: f64,
    /// Contacts forecast over the horizon.
    pub contacts: f64,
    pub outsourced_contacts: f64,
    pub cost_per_contact: Option<f64>,
    /// The weeks' average cost over a month (52/12 weeks) and a year.
    pub cost_per_month: f64,
    pub cost_per_year: f64,
    pub hires: u32,
    pub cuts: u32,
    /// Agent-hours of need no one met (priced as a penalty; 0 in a plan
    /// that meets every requirement).
    pub short_hours: f64,
}

/// One skill group's week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupWeek {
    pub week_start: chrono::NaiveDate,
    pub group: String,
    /// Agents on the payroll (expected: attrition is a rate): `kept` +
    /// `joined`.
    pub headcount: f64,
    /// The agents of the horizon's start still on the payroll.
    pub kept: f64,
    /// The hires on the payroll.
    pub joined: f64,
    /// Hires decided this week (they start `lead_weeks` later).
    pub hires: u32,
    /// Hires starting this week.
    pub starters: u32,
    /// Agents in training this week.
    pub trainees: u32,
    /// Expected leavers by attrition this week.
    pub leavers: f64,
    /// Cuts decided this week (they leave `notice_weeks` later).
    pub cuts: u32,
    /// Cut agents leaving this week.
    pub departures: u32,
    pub paid_hours: f64,
    pub overtime_hours: f64,
    pub temp_hours: f64,
    /// Requirement hours the group's agents meet, all queues.
    pub need_hours: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutsourcedWeek {
    pub week_start: chrono::NaiveDate,
    pub outsourcer: String,
    pub contacts: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortWeek {
    pub week_start: chrono::NaiveDate,
    pub queue: String,
    pub hours: f64,
}

/// Where an outsourcer's price turns the decision, and the decision on
/// each side of it (a cent apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadcountBreakEven {
    pub outsourcer: String,
    /// What the price is of: `contact` or `seat-hour`.
    pub unit: String,
    /// The price given in the model.
    pub price: f64,
    /// The highest price at which it still takes contacts; `None` when it
    /// takes none even free (`below` empty), or when it takes contacts at
    /// any price, meeting need nothing else can in time (`below` at the
    /// price of the hours short).
    pub break_even: Option<f64>,
    pub below: Option<Side>,
    pub above: Option<Side>,
}

/// The decision at one price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub price: f64,
    pub cost: f64,
    pub outsourced_contacts: f64,
    pub hires: u32,
    pub temp_hours: f64,
    pub overtime_hours: f64,
}

/// `headcount.csv`: the group-weeks, one row each.
pub fn headcount_csv(f: &HeadcountFile, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header = [
        "week_start",
        "group",
        "headcount",
        "kept",
        "joined",
        "hires",
        "starters",
        "trainees",
        "leavers",
        "cuts",
        "departures",
        "paid_hours",
        "overtime_hours",
        "temp_hours",
        "need_hours",
        "cost",
    ];
    w.write_record(header)?;
    for g in &f.groups {
        w.write_record([
            g.week_start.to_string(),
            g.group.clone(),
            format!("{:.2}", g.headcount),
            format!("{:.2}", g.kept),
            format!("{:.2}", g.joined),
            g.hires.to_string(),
            g.starters.to_string(),
            g.trainees.to_string(),
            format!("{:.2}", g.leavers),
            g.cuts.to_string(),
            g.departures.to_string(),
            format!("{:.1}", g.paid_hours),
            format!("{:.1}", g.overtime_hours),
            format!("{:.1}", g.temp_hours),
            format!("{:.1}", g.need_hours),
            format!("{:.2}", g.cost),
        ])?;
    }
    w.flush()
}

/// `scenarios.json` of `slaplan headcount --scenarios`: each scenario's
/// decision over the same horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadcountScenarios {
    pub scenarios: Vec<ScenarioDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioDecision {
    pub name: String,
    /// The overrides, `key=value` each.
    pub overrides: Vec<String>,
    pub decision: HeadcountFile,
}

impl ScenarioDecision {
    /// Agents on the payroll in the horizon's last week, all groups.
    pub fn final_headcount(&self) -> f64 {
        let last =
            self.decision.first_week + chrono::Days::new(7 * (self.decision.weeks as u64 - 1));
        self.decision
            .groups
            .iter()
            .filter(|g| g.week_start == last)
            .map(|g| g.headcount)
            .sum()
    }
}

/// `scenarios.csv`: one row per scenario, the horizon's totals.
pub fn scenarios_csv(f: &HeadcountScenarios, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scenario",
        "overrides",
        "weeks",
        "cost",
        "cost_per_month",
        "cost_per_year",
        "cost_per_contact",
        "hires",
        "cuts",
        "final_headcount",
        "overtime",
        "temps",
        "outsourced_contacts",
        "outsourced",
        "short_hours",
    ])?;
    for s in &f.scenarios {
        let t = &s.decision.total;
        w.write_record([
            s.name.clone(),
            s.overrides.join(";"),
            s.decision.weeks.to_string(),
            format!("{:.2}", t.cost),
            format!("{:.2}", t.cost_per_month),
            format!("{:.2}", t.cost_per_year),
            t.cost_per_contact
                .map_or(String::new(), |c| format!("{c:.4}")),
            t.hires.to_string(),
            t.cuts.to_string(),
            format!("{:.1}", s.final_headcount()),
            format!("{:.2}", t.overtime),
            format!("{:.2}", t.temps),
            format!("{:.1}", t.outsourced_contacts),
            format!("{:.2}", t.outsourced),
            format!("{:.1}", t.short_hours),
        ])?;
    }
    w.flush()
}
