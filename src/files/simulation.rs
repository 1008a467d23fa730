//! `simulation.json` (and `plan.json`'s `simulation`): the simulated week
//! per queue and period, each measure with its 95% interval over the
//! replications, beside the plan's projection. The simulation writes these
//! types; the report and `plan.json` read them back.

use serde::{Deserialize, Serialize};

use crate::model::SlaScope;

fn week() -> SlaScope {
    SlaScope::Week
}

/// A mean over the replications with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    /// Replications in which the measure is defined.
    pub n: usize,
}

/// The projection against the simulated interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Simulated service above the projection's (its interval lies above).
    Better,
    Within,
    /// Simulated service below the projection's.
    Worse,
    /// No projection or no simulated SL to compare.
    None,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Within => "within",
            Verdict::Worse => "worse",
            Verdict::None => "",
        }
    }
}

/// One queue over one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodRow {
    #[serde(skip)]
    pub queue: usize,
    #[serde(skip, default = "week")]
    pub scope: SlaScope,
    /// Interval index, day index (Monday 0), or 0 for the week.
    #[serde(skip)]
    pub period: usize,
    /// The interval's local start, the date, or the week's Monday.
    #[serde(rename = "period")]
    pub label: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeated_hour: bool,
    /// Contacts per replication (not blocked), mean.
    pub offered: f64,
    pub projected_sl: Option<f64>,
    pub projected_asa_s: Option<f64>,
    pub sl: Option<Estimate>,
    pub asa_s: Option<Estimate>,
    pub abandon_rate: Option<Estimate>,
    pub occupancy: Option<Estimate>,
    pub blocked: Option<Estimate>,
    pub deadline_misses: Option<Estimate>,
    pub verdict: Verdict,
    /// Intervals only: rostered breaks starting or ending, and shifts
    /// starting or ending, among the agents who can take the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaks: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift_edges: Option<u32>,
}

/// How the intervals of one queue compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IntervalCounts {
    pub compared: usize,
    pub better: usize,
    pub within: usize,
    pub worse: usize,
    /// Worse intervals with a break or a shift edge among its agents.
    pub worse_at_breaks_or_edges: usize,
    /// Better intervals of a queue whose agents also take other queues.
    pub better_pooled: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueSummary {
    pub queue: String,
    pub channel: String,
    pub target: f64,
    pub within_s: f64,
    pub week: PeriodRow,
    pub days: Vec<PeriodRow>,
    pub intervals: IntervalCounts,
}

/// What `simulation.json` (and `plan.json`'s `simulation`) holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimulationFile {
    pub replications: usize,
    pub seed: u64,
    pub handle_times: String,
    pub shrinkage: String,
    pub outsourcing: String,
    pub secondary_delay_s: f64,
    /// How far each queue's days strayed from the forecast (`--forecast-error`):
    /// "none", or per queue its coefficient of variation.
    #[serde(default)]
    pub forecast_error: String,
    /// Contacts per replication, all queues (blocked ones included).
    pub contacts_per_replication: Estimate,
    pub queues: Vec<QueueSummary>,
    /// Each contract against its target by the acceptance rule
    /// (`docs/model.md`, "Verified by simulation").
    #[serde(default)]
    pub contracts: Vec<super::verification::ContractVerdict>,
    /// Call-outs replayed on the on-call rota (`on_call.csv` beside the
    /// roster), per rota.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_call: Vec<OnCallSummary>,
}

/// One rota's call-outs over the replications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnCallSummary {
    pub rota: String,
    pub response_within_s: f64,
    /// Call-outs per replication.
    pub call_outs: Option<Estimate>,
    /// Share answered within `response_within_s` (replications with
    /// call-outs).
    pub in_time_share: Option<Estimate>,
    /// Hours worked on call-outs per replication.
    pub worked_h: Option<Estimate>,
    /// Call-outs per replication after which the rest owed before the
    /// agent's next shift is not there.
    pub rest_broken: Option<Estimate>,
}

/// The header of `simulation.csv` (documented in `docs/formats.md`).
pub const SIMULATION_HEADER: &str = "queue,scope,period,repeated_hour,offered_contacts,projected_sl_share,sl_share,sl_share_low,sl_share_high,projected_asa_s,asa_s,asa_s_low,asa_s_high,abandon_share,abandon_share_low,abandon_share_high,occupancy_share,occupancy_share_low,occupancy_share_high,blocked_contacts,blocked_contacts_low,blocked_contacts_high,late_contacts,late_contacts_low,late_contacts_high,verdict,breaks,shift_edges";

fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| super::fixed(v, 6))
}

/// A share's mean and 95% interval, the interval clipped to [0, 1]: the
/// t-interval of 30 replications can reach past what a share can be.
fn share(e: &Option<Estimate>) -> String {
    within(e, 1.0)
}

/// A non-negative figure's (seconds, contacts), clipped at 0.
fn amount(e: &Option<Estimate>) -> String {
    within(e, f64::INFINITY)
}

fn within(e: &Option<Estimate>, top: f64) -> String {
    format!(
        "{},{},{}",
        num(e.map(|e| e.mean)),
        num(e.map(|e| e.low.clamp(0.0, top))),
        num(e.map(|e| e.high.clamp(0.0, top)))
    )
}

/// `simulation.csv` of `rows`, the queues named by `queue_ids` (by index).
pub fn simulation_csv(queue_ids: &[&str], rows: &[PeriodRow]) -> String {
    let mut out = String::from(SIMULATION_HEADER);
    out.push('\n');
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            queue_ids[r.queue],
            r.scope.as_str(),
            r.label,
            r.repeated_hour,
            super::fixed(r.offered, 3),
            num(r.projected_sl),
            share(&r.sl),
            num(r.projected_asa_s),
            amount(&r.asa_s),
            share(&r.abandon_rate),
            share(&r.occupancy),
            amount(&r.blocked),
            amount(&r.deadline_misses),
            r.verdict.as_str(),
            r.breaks.map_or(String::new(), |b| b.to_string()),
            r.shift_edges.map_or(String::new(), |b| b.to_string()),
        ));
    }
    out
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    /// The intervals 30 replications gave where issue 25 saw them written
    /// as they came (`sl_high 1.000504`, `asa_low -0.039`): clipped to
    /// what a share or a wait can be; the mean as computed; no `-0`.
    #[test]
    fn intervals_are_clipped_to_their_range_and_zero_has_no_sign() {
        let e = |mean, low, high| {
            Some(Estimate {
                mean,
                low,
                high,
                n: 30,
            })
        };
        let row = PeriodRow {
            queue: 0,
            scope: SlaScope::Interval,
            period: 0,
            label: "2003-03-03T08:00".into(),
            repeated_hour: false,
            offered: 12.0,
            projected_sl: Some(0.97),
            projected_asa_s: Some(-0.0000001),
            sl: e(0.9925, 0.984496, 1.000504),
            asa_s: e(0.41, -0.039, 0.859),
            abandon_rate: e(0.001, -0.0005, 0.0025),
            occupancy: e(0.8, 0.7, 0.9),
            blocked: None,
            deadline_misses: None,
            verdict: Verdict::Within,
            breaks: Some(0),
            shift_edges: Some(1),
        };
        let text = simulation_csv(&["level1"], &[row]);
        let cells: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
        let header: Vec<&str> = SIMULATION_HEADER.split(',').collect();
        let cell = |name: &str| cells[header.iter().position(|h| *h == name).unwrap()];
        assert_eq!(cell("sl_share"), "0.992500");
        assert_eq!(cell("sl_share_high"), "1.000000");
        assert_eq!(cell("sl_share_low"), "0.984496");
        assert_eq!(cell("asa_s_low"), "0.000000");
        assert_eq!(cell("abandon_share_low"), "0.000000");
        assert_eq!(cell("projected_asa_s"), "0.000000");
        assert_eq!(cell("blocked_contacts"), "");
    }
}
