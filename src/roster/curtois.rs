//! The Curtois–Qu benchmark as a rostering [`Problem`]: the benchmark's
//! rules are the engine's (see `../shared/data/curtois/README.md` for the
//! semantics that reproduce the published optima), its requests and cover
//! weights the objective, and no wages.

use super::{Allowed, Cover, Employee, Problem, Request, Shift};
use crate::input::curtois::Benchmark;

/// Price per minute below an employee's minimum: above any roster's
/// whole objective on these instances (their best known is at most
/// 40,439), so no roster short of a minimum beats one that keeps them.
pub const SHORT_MINUTE_PRICE: f64 = 1e5;

pub fn problem(b: &Benchmark) -> Problem {
    let shifts = b
        .shifts
        .iter()
        .map(|s| Shift {
            id: s.id.clone(),
            minutes: s.minutes,
            cannot_follow: s.cannot_follow.clone(),
            start_min: None,
        })
        .collect();
    let employees = b
        .staff
        .iter()
        .enumerate()
        .map(|(e, st)| Employee {
            id: st.id.clone(),
            group: 0,
            allowed: unless_off(
                b.days,
                |d| st.days_off.contains(&d),
                &(0..b.shifts.len())
                    .filter(|&s| st.max_shifts[s] > 0)
                    .collect::<Vec<_>>(),
            ),
            max_shifts: st.max_shifts.iter().map(|&m| Some(m)).collect(),
            min_minutes: st.min_minutes,
            max_minutes: st.max_minutes,
            overtime: None,
            max_days_per_week: None,
            max_consecutive: Some(st.max_consecutive),
            min_consecutive: st.min_consecutive,
            min_consecutive_off: st.min_consecutive_off,
            run_before: 0,
            off_before: crate::model::AgentCarry::SINCE_START,
            max_weekends: Some(st.max_weekends),
            half_weekend_price: 0.0,
            min_rest_min: None,
            weekly_rest_min: None,
            on_requests: requests(&b.on_requests, e),
            off_requests: requests(&b.off_requests, e),
            pinned: Vec::new(),
            same_start_weight: None,
        })
        .collect();
    let cover = b
        .cover
        .iter()
        .map(|c| Cover {
            day: c.day,
            shift: c.shift,
            group: None,
            requirement: c.requirement,
            under_weight: Some(c.under_weight),
            over_weight: Some(c.over_weight),
        })
        .collect();
    Problem {
        days: b.days,
        shifts,
        employees,
        cover,
        // The benchmark's minimums are hard: elastic only so that the
        // search has a roster to start from; any shortfall left is a
        // violation the checker reports.
        short_minute_price: Some(SHORT_MINUTE_PRICE),
        fairness: Vec::new(),
    }
}

fn requests(all: &[crate::input::curtois::BenchRequest], e: usize) -> Vec<Request> {
    all.iter()
        .filter(|r| r.staff == e)
        .map(|r| Request {
            day: r.day,
            shifts: vec![r.shift],
            weight: r.weight,
        })
        .collect()
}

/// Each day's allowed shifts: `shifts`, at no cost, on every day but the
/// days `off`.
pub(super) fn unless_off(
    days: usize,
    off: impl Fn(usize) -> bool,
    shifts: &[usize],
) -> Vec<Vec<Allowed>> {
    (0..days)
        .map(|d| {
            if off(d) {
                Vec::new()
            } else {
                shifts
                    .iter()
                    .map(|&shift| Allowed {
                        shift,
                        cost: 0.0,
                        timing: None,
                    })
                    .collect()
            }
        })
        .collect()
}
