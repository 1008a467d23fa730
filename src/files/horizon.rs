//! `horizon.json` and `horizon.csv`: several consecutive weeks planned as
//! a rolling sequence (`slaplan plan --weeks N`), each week's own files in
//! a folder `week-YYYY-MM-DD/` beside them. The checker reads the list of
//! weeks from here to check each against the one before.

use serde::{Deserialize, Serialize};

use crate::plan::Status;

/// The horizon's file: its weeks in order and what they add up to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HorizonFile {
    pub instance: String,
    /// The `--set` overrides applied to every week, in order.
    pub overrides: Vec<String>,
    pub centre: String,
    pub currency: String,
    /// How the weeks were planned: `rolling` (one week at a time, each
    /// from what the week before left its agents).
    pub method: String,
    pub weeks: Vec<HorizonWeek>,
    pub total: HorizonTotal,
    /// Calendar months, each counting the weeks whose Thursday falls in it
    /// (ISO 8601's rule for the month and year a week belongs to).
    pub months: Vec<HorizonMonth>,
    /// Per contract counted per month (`scope: month`) and calendar month
    /// the horizon holds: its SL over the horizon's days of the month, as
    /// the weeks' plans project it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub month_sla: Vec<MonthSla>,
}

/// One queue's SL over one calendar month (see [`HorizonFile::month_sla`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MonthSla {
    /// `YYYY-MM`.
    pub month: String,
    pub queue: String,
    pub contacts: f64,
    pub in_time: f64,
    pub sl: f64,
    pub target: f64,
    pub met: bool,
    /// Whether the horizon holds every day of the month (else the SL is
    /// that of its days in the horizon).
    pub whole: bool,
}

/// One week of the horizon, as its `plan.json` says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HorizonWeek {
    pub week_start: String,
    /// The week's folder, relative to the horizon's.
    pub folder: String,
    pub status: Status,
    /// The plan keeps every contract and the roster fills it (and holds
    /// in the replay, when verified).
    pub acceptable: bool,
    pub cost: Option<f64>,
    pub in_house: Option<f64>,
    pub outsourced: Option<f64>,
    pub penalties: Option<f64>,
    /// The week's bound: no plan of the week costs less, whatever the
    /// week before left (what it carries only narrows the week).
    pub lower_bound: Option<f64>,
    pub gap: Option<f64>,
    /// Agents the week before left short of their rest at the week's
    /// start, and agents carrying days worked in a row into it.
    pub carried_rest: usize,
    pub carried_runs: usize,
    /// Deferred work the week before left undone, arriving with the
    /// week's first contacts of its queue.
    pub backlog_in: Vec<Carried>,
    /// Deferred work this week leaves undone at its end (the plan's count),
    /// handed to the next week.
    pub backlog_out: Vec<Carried>,
    pub seconds: f64,
}

/// Deferred contacts carried over a week's edge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Carried {
    pub queue: String,
    pub contacts: f64,
    pub aht_s: f64,
}

impl Carried {
    /// The file's rows of `backlog` (queues by the model's ids).
    pub fn rows(c: &crate::model::Centre, backlog: &[crate::model::Backlog]) -> Vec<Carried> {
        backlog
            .iter()
            .map(|b| Carried {
                queue: c.queues[b.queue].id.clone(),
                contacts: super::round(b.contacts, 3),
                aht_s: super::round(b.aht_s, 1),
            })
            .collect()
    }
}

/// The horizon's sums.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HorizonTotal {
    pub weeks: usize,
    pub acceptable_weeks: usize,
    /// Sums over the weeks with a plan.
    pub cost: f64,
    pub in_house: f64,
    pub outsourced: f64,
    pub penalties: f64,
    /// The sum of the weeks' bounds: no sequence of the weeks' plans
    /// costs less.
    pub lower_bound: f64,
    /// `(cost − lower_bound) / cost`.
    pub gap: Option<f64>,
    pub seconds: f64,
}

/// One calendar month of the horizon.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HorizonMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub weeks: usize,
    pub cost: f64,
}

/// The header of `horizon.csv`.
pub const HORIZON_HEADER: &str = "week_start,status,acceptable,cost,in_house,outsourced,penalties,lower_bound,gap_share,carried_rest_agents,carried_run_agents,backlog_in_contacts,backlog_out_contacts,elapsed_s";

/// One `horizon.csv` row: a week, its figures at their fixed decimals
/// (money 2, the gap 6, contacts 3, seconds 1; empty where the week has no
/// plan).
#[derive(Serialize)]
struct Row {
    week_start: String,
    status: &'static str,
    acceptable: bool,
    cost: String,
    in_house: String,
    outsourced: String,
    penalties: String,
    lower_bound: String,
    gap_share: String,
    carried_rest_agents: usize,
    carried_run_agents: usize,
    backlog_in_contacts: String,
    backlog_out_contacts: String,
    elapsed_s: String,
}

/// `horizon.csv`: one row per week, as in `horizon.json`.
pub fn horizon_csv(h: &HorizonFile) -> String {
    let opt = |x: Option<f64>, d: usize| x.map(|v| super::fixed(v, d)).unwrap_or_default();
    let rows: Vec<Row> = h
        .weeks
        .iter()
        .map(|w| Row {
            week_start: w.week_start.clone(),
            status: w.status.as_str(),
            acceptable: w.acceptable,
            cost: opt(w.cost, 2),
            in_house: opt(w.in_house, 2),
            outsourced: opt(w.outsourced, 2),
            penalties: opt(w.penalties, 2),
            lower_bound: opt(w.lower_bound, 2),
            gap_share: opt(w.gap, 6),
            carried_rest_agents: w.carried_rest,
            carried_run_agents: w.carried_runs,
            backlog_in_contacts: super::fixed(w.backlog_in.iter().map(|b| b.contacts).sum(), 3),
            backlog_out_contacts: super::fixed(w.backlog_out.iter().map(|b| b.contacts).sum(), 3),
            elapsed_s: super::fixed(w.seconds, 1),
        })
        .collect();
    super::csv_of(HORIZON_HEADER, &rows)
}

/// Reads `horizon.json` in `dir`.
pub fn read(dir: &std::path::Path) -> Result<HorizonFile, String> {
    let path = dir.join("horizon.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
