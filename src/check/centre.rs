//! The centre's roster checked against its instance, from the files alone:
//! `roster.csv` (one row per agent and shift) and `allocation.csv` (how the
//! plan splits each skill group's present agents over the queues, and what
//! it sends to each outsourcer, interval by interval).
//!
//! Every rule is counted here again from the times in the roster — the
//! templates and their starts, the contract's hours, days, consecutive
//! days, rest between shifts, weekly rest, days off in a row, weekends,
//! absences, strikes, skills, breaks inside their windows. Then the agents
//! present per skill group and interval (shift time less breaks) must hold
//! the allocation, and the service levels are recomputed from the
//! allocation with the queueing core (the same exact evaluation `slaplan
//! plan` reports, fed only from these files, never from the solver).

use std::path::Path;

use serde::Serialize;

use super::rules::{self, Found, Week};
use super::Violation;
use crate::input::Problem;
use crate::model::{Instance, SlaScope};

pub use crate::files::roster::{
    read_allocation, read_roster, AllocationRow, FairnessCount, RequestCount, Row, Server,
    ALLOCATION_HEADER,
};

/// What the checker measured beside the violations.
#[derive(Debug, Clone, Serialize)]
pub struct Measures {
    pub shifts: usize,
    pub agents_working: usize,
    pub paid_hours: f64,
    pub requests: RequestCount,
    /// Per planning group of two agents or more (skill group, contract,
    /// site): the fewest and most weekend days and late shifts an agent
    /// works.
    pub fairness: Vec<FairnessCount>,
    /// Start times beyond each agent's first, summed over the agents whose
    /// contract asks for the same start.
    pub start_changes: usize,
    pub sla: Vec<SlaCheck>,
    /// Per deferred queue, the contacts the recomputed count leaves undone
    /// at the week's end (a horizon's next week receives them).
    pub left_over: Vec<LeftOver>,
    /// Per queue whose contract counts per month, when the month goes on
    /// into the next week: its contacts so far, and those in time, the
    /// weeks before included (a horizon's next week counts on from them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub month_so_far: Vec<MonthCounted>,
    /// The two above as a horizon's next week receives them (its agents'
    /// state is read from the roster).
    #[serde(skip)]
    pub next: crate::model::Carry,
}

/// A month's contacts so far on one queue, and those in time.
#[derive(Debug, Clone, Serialize)]
pub struct MonthCounted {
    pub queue: String,
    /// `YYYY-MM`.
    pub month: String,
    pub contacts: f64,
    pub in_time: f64,
}

/// Deferred contacts undone at the week's end.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOver {
    pub queue: String,
    pub contacts: f64,
    pub aht_s: f64,
}

/// One queue's SLA over one scope, recomputed.
#[derive(Debug, Clone, Serialize)]
pub struct SlaCheck {
    pub queue: String,
    pub scope: &'static str,
    /// The scope the contract (or `--sla-scope`) counts.
    pub contractual: bool,
    pub target: f64,
    /// The worst period's SL.
    pub achieved: f64,
    pub periods: usize,
    pub periods_met: usize,
    /// The contract prices missed points instead of forbidding them.
    pub priced: bool,
}

/// Where the on-call duties (`on_call.csv`) and the call-outs are read
/// from, for a model with on-call rotas.
#[derive(Debug, Clone, Default)]
pub struct OnCallPaths {
    pub duties: Option<std::path::PathBuf>,
    pub call_outs: Option<std::path::PathBuf>,
}

/// Checks `roster` (and the allocation at `allocation`) against `inst`.
/// `scope` overrides every queue's SLA scope, as `slaplan plan
/// --sla-scope` does.
pub fn check(
    inst: &Instance,
    demand: &[crate::model::VolumeRow],
    roster: &Path,
    allocation: &Path,
    scope: Option<SlaScope>,
    on_call: &OnCallPaths,
) -> Result<(Vec<Violation>, Measures), Vec<Problem>> {
    let rows = read_roster(inst, roster)?;
    let c = &inst.centre;
    let w = Week::new(inst, &rows);
    let mut found = Found::new(&w.dates);
    // No duties file: every period is uncovered.
    let duties = match &on_call.duties {
        Some(p) if p.exists() && !c.on_call.is_empty() => {
            crate::files::on_call::read_duties(inst, p)?
        }
        _ => Vec::new(),
    };
    rules::shifts::check(&w, &mut found);
    // The weekly minimum falls pro rata for the days a `recovery: paid`
    // duty's rest takes, counted from the duties as written.
    let rested = rules::on_call::with_paid_rest(&w, &duties);
    rules::contract_week::check(&Week::new(&rested, &rows), &mut found);
    rules::strikes::check(&w, &mut found);
    let requests = rules::wishes::check(&w, &mut found);
    let (fairness, start_changes) = rules::fairness::measure(&w);
    let (measures, next) =
        rules::service::check(inst, demand, &rows, allocation, scope, &mut found)?;
    if !c.on_call.is_empty() {
        let call_outs = match &on_call.call_outs {
            Some(p) => crate::files::on_call::read_call_outs(inst, p)?,
            None => Vec::new(),
        };
        rules::on_call::check(&w, &duties, &call_outs, &mut found);
    }
    // The field-visit blocks beside the roster, where the model has field
    // queues.
    let visits = roster.with_file_name("visits.csv");
    if c.has_field_queues() && visits.exists() {
        let blocks = crate::files::visits::read_visits(inst, &visits)?;
        rules::visits::check(&w, &blocks, &mut found);
    }
    let mut agents: Vec<usize> = rows.iter().map(|r| r.agent).collect();
    agents.dedup();
    let m = Measures {
        shifts: rows.len(),
        agents_working: agents.len(),
        requests,
        fairness,
        start_changes,
        paid_hours: rows
            .iter()
            .map(|r| f64::from(c.shift_templates[r.template].paid_min()))
            .sum::<f64>()
            / 60.0,
        sla: measures,
        left_over: next
            .backlog
            .iter()
            .map(|b| LeftOver {
                queue: c.queues[b.queue].id.clone(),
                contacts: crate::files::round(b.contacts, 6),
                aht_s: crate::files::round(b.aht_s, 3),
            })
            .collect(),
        month_so_far: next
            .months
            .iter()
            .map(|m| MonthCounted {
                queue: c.queues[m.queue].id.clone(),
                month: m.month.format("%Y-%m").to_string(),
                contacts: crate::files::round(m.contacts, 6),
                in_time: crate::files::round(m.in_time, 6),
            })
            .collect(),
        next: crate::model::Carry {
            on_call: crate::model::on_call_after(inst, &rules::on_call::months_of(&w, &duties)),
            ..next
        },
    };
    Ok((found.list, m))
}
