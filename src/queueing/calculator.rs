//! The planners' calculator (`slaplan erlang`): for one queue, the agents
//! the targets require, the agents to schedule after shrinkage, and what
//! each agent count achieves (Erlang C, or Erlang A with a patience), with
//! trunk blocking when a line count is given.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::staffing::{scheduled_agents, ServiceTarget};
use super::{erlang_b, Measures, QueueModel, StaffingError, Targets};

/// Rows shown either side of the requirement when no agent range is given.
pub const ROWS_AROUND: u32 = 3;

/// One question to the calculator.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub load_erlangs: f64,
    pub aht_s: f64,
    pub answer_within_s: f64,
    pub patience_s: Option<f64>,
    /// Share answered within `answer_within_s`.
    pub service_level: Option<f64>,
    pub max_asa_s: Option<f64>,
    pub max_abandon: Option<f64>,
    pub max_occupancy: Option<f64>,
    pub shrinkage: Option<Decimal>,
    /// Agent counts to tabulate, inclusive.
    pub agents: Option<(u32, u32)>,
    pub trunks: Option<u32>,
}

/// Why a query has no answer.
#[derive(Debug, Error)]
pub enum QueryError {
    #[error(transparent)]
    Staffing(#[from] StaffingError),
    /// Neither a target to size the queue nor agent counts to tabulate.
    #[error("give a target (--target, --max-asa, --max-abandon, --max-occupancy) to size the queue, or an --agents range to tabulate")]
    NothingAsked,
    #[error("shrinkage applies to the required agents: give a target too")]
    ShrinkageWithoutTarget,
}

/// What `slaplan erlang` reports, in the JSON field names of the docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub model: String,
    pub load_erlangs: f64,
    pub aht_s: f64,
    pub answer_within_s: f64,
    pub patience_s: Option<f64>,
    pub targets: TargetsOut,
    pub required_agents: Option<u32>,
    pub binding: Vec<String>,
    pub shrinkage: Option<Decimal>,
    pub scheduled_agents: Option<u32>,
    pub trunks: Option<TrunksOut>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetsOut {
    pub service_level: Option<f64>,
    pub max_asa_s: Option<f64>,
    pub max_abandon: Option<f64>,
    pub max_occupancy: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrunksOut {
    pub lines: u32,
    /// Line-holding load at the required agents: callers hold a line while
    /// they wait and while they talk.
    pub offered_erlangs: Option<f64>,
    pub blocking: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub agents: u32,
    pub stable: bool,
    pub prob_wait: f64,
    pub service_level: f64,
    /// `None` (JSON null) when the queue is unstable: the wait is unbounded.
    pub asa_s: Option<f64>,
    pub occupancy: f64,
    pub prob_abandon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_blocking: Option<f64>,
}

/// Answers `q`.
pub fn calculate(q: &Query) -> Result<Report, QueryError> {
    let model = QueueModel::new(q.load_erlangs, q.aht_s, q.patience_s)?;
    let targets = Targets {
        service_level: q.service_level.map(|share| ServiceTarget {
            share,
            answer_within_s: q.answer_within_s,
        }),
        max_asa_s: q.max_asa_s,
        max_abandon: q.max_abandon,
        max_occupancy: q.max_occupancy,
    };
    let has_target = targets != Targets::default();
    if !has_target && q.agents.is_none() {
        return Err(QueryError::NothingAsked);
    }
    let requirement = if has_target {
        Some(model.required(&targets)?)
    } else {
        None
    };
    let required = requirement.as_ref().map(|r| r.agents);
    let scheduled = match (q.shrinkage, required) {
        (Some(s), Some(n)) => Some(scheduled_agents(n, s)?),
        (Some(_), None) => return Err(QueryError::ShrinkageWithoutTarget),
        (None, _) => None,
    };
    let (first, last) = q.agents.unwrap_or_else(|| {
        let n = required.unwrap_or(0);
        (n.saturating_sub(ROWS_AROUND), n + ROWS_AROUND)
    });
    let rows: Vec<Row> = model
        .table(first, last, q.answer_within_s)
        .iter()
        .map(|m| Row::new(m, &model, q.trunks))
        .collect();
    let trunks = q.trunks.map(|lines| {
        let at = requirement.as_ref().map(|r| &r.measures);
        let offered = at.and_then(|m| line_load(m, &model));
        TrunksOut {
            lines,
            offered_erlangs: offered,
            blocking: offered.map(|a| erlang_b::blocking(a, lines)),
        }
    });
    Ok(Report {
        model: if q.patience_s.is_some() {
            "erlang_a"
        } else {
            "erlang_c"
        }
        .into(),
        load_erlangs: q.load_erlangs,
        aht_s: q.aht_s,
        answer_within_s: q.answer_within_s,
        patience_s: q.patience_s,
        targets: TargetsOut {
            service_level: q.service_level,
            max_asa_s: q.max_asa_s,
            max_abandon: q.max_abandon,
            max_occupancy: q.max_occupancy,
        },
        required_agents: required,
        binding: requirement
            .as_ref()
            .map(|r| r.binding.iter().map(|b| b.as_str().to_string()).collect())
            .unwrap_or_default(),
        shrinkage: q.shrinkage,
        scheduled_agents: scheduled,
        trunks,
        rows,
    })
}

impl Row {
    fn new(m: &Measures, model: &QueueModel, trunks: Option<u32>) -> Self {
        Row {
            agents: m.agents as u32,
            stable: m.stable,
            prob_wait: m.prob_wait,
            service_level: m.service_level,
            asa_s: m.asa_s.is_finite().then_some(m.asa_s),
            occupancy: m.occupancy,
            prob_abandon: m.prob_abandon,
            trunk_blocking: trunks
                .and_then(|lines| line_load(m, model).map(|a| erlang_b::blocking(a, lines))),
        }
    }
}

/// Erlangs of line occupation at `m` on `model`'s queue.
fn line_load(m: &Measures, model: &QueueModel) -> Option<f64> {
    m.line_load(model.load() / model.aht_s(), model.aht_s())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> Query {
        Query {
            load_erlangs: 48.0,
            aht_s: 240.0,
            answer_within_s: 20.0,
            patience_s: None,
            service_level: Some(0.8),
            max_asa_s: None,
            max_abandon: None,
            max_occupancy: None,
            shrinkage: None,
            agents: None,
            trunks: None,
        }
    }

    #[test]
    fn the_requirement_is_the_least_agents_meeting_the_target_with_rows_around_it() {
        let r = calculate(&query()).unwrap();
        let n = r.required_agents.unwrap();
        let row = |a: u32| r.rows.iter().find(|x| x.agents == a).unwrap();
        assert!(row(n).service_level >= 0.8);
        assert!(row(n - 1).service_level < 0.8);
        assert_eq!(r.rows.first().unwrap().agents, n - ROWS_AROUND);
        assert_eq!(r.rows.last().unwrap().agents, n + ROWS_AROUND);
        assert_eq!(r.binding, vec!["service_level".to_string()]);
        // 55 agents at 48 Erlangs: SL 0.8668 (the published Erlang C
        // point the simulation tests reproduce).
        assert!((row(55).service_level - 0.8668).abs() < 5e-4);
    }

    #[test]
    fn shrinkage_schedules_more_and_needs_a_target() {
        let with = calculate(&Query {
            shrinkage: Some(Decimal::new(3, 1)),
            ..query()
        })
        .unwrap();
        let n = with.required_agents.unwrap();
        assert_eq!(
            with.scheduled_agents,
            Some((f64::from(n) / 0.7).ceil() as u32)
        );
        let no_target = Query {
            service_level: None,
            agents: Some((50, 52)),
            shrinkage: Some(Decimal::new(3, 1)),
            ..query()
        };
        assert!(matches!(
            calculate(&no_target),
            Err(QueryError::ShrinkageWithoutTarget)
        ));
        let nothing = Query {
            service_level: None,
            ..query()
        };
        assert!(matches!(calculate(&nothing), Err(QueryError::NothingAsked)));
    }
}
