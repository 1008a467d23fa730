//! Small rostering problems drawn at random, for the unit tests that hold
//! one formulation against another (the pricing program and the
//! neighbourhoods against the MIP of [`super::model`]).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Cover, Employee, Problem, Request, Shift};

/// A problem of `n` employees over two weeks, three kinds of shift (one
/// longer, one counted), the benchmark's rules with values drawn from
/// `seed`, requests, days off, a pin, and priced cover.
pub fn problem(seed: u64, n: usize) -> Problem {
    problem_over(seed, n, 2)
}

/// The same over `fortnights` of two weeks, the totals (minutes, shifts
/// of a kind, weekends) in proportion.
pub fn problem_over(seed: u64, n: usize, fortnights: u32) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let days = 14 * fortnights as usize;
    let f = fortnights;
    let shifts = vec![
        Shift {
            id: "E".into(),
            minutes: 480,
            cannot_follow: Vec::new(),
            start_min: None,
        },
        Shift {
            id: "L".into(),
            minutes: 480,
            cannot_follow: vec![0],
            start_min: None,
        },
        Shift {
            id: "N".into(),
            minutes: 600,
            cannot_follow: vec![0, 1],
            start_min: None,
        },
    ];
    let employees = (0..n)
        .map(|e| {
            let off: Vec<usize> = (0..days).filter(|_| rng.random_bool(0.1)).collect();
            let request = |rng: &mut ChaCha8Rng| Request {
                day: rng.random_range(0..days),
                shifts: vec![rng.random_range(0..3)],
                weight: f64::from(rng.random_range(1..4)),
            };
            let on_requests = (0..3).map(|_| request(&mut rng)).collect();
            let off_requests = (0..3).map(|_| request(&mut rng)).collect();
            let pin_day = rng.random_range(0..days);
            Employee {
                id: format!("e{e}"),
                group: 0,
                allowed: super::curtois::unless_off(days, |d| off.contains(&d), &[0, 1, 2]),
                max_shifts: vec![None, Some(6 * f), Some(f * rng.random_range(1..4))],
                min_minutes: 480 * f * rng.random_range(3..6),
                max_minutes: 480 * f * rng.random_range(7..10),
                overtime: None,
                max_days_per_week: None,
                max_consecutive: Some(rng.random_range(3..6)),
                min_consecutive: rng.random_range(1..3),
                min_consecutive_off: rng.random_range(1..3),
                run_before: 0,
                off_before: crate::model::AgentCarry::SINCE_START,
                max_weekends: Some(f),
                half_weekend_price: 0.0,
                min_rest_min: None,
                weekly_rest_min: None,
                on_requests,
                off_requests,
                // A pin off, or on a day whose neighbours may be worked (a
                // lone working day between days off could break the least
                // run of working days).
                pinned: if off.contains(&pin_day) {
                    Vec::new()
                } else if rng.random_bool(0.5)
                    && !off.contains(&(pin_day + 1))
                    && pin_day.checked_sub(1).is_none_or(|d| !off.contains(&d))
                {
                    vec![(pin_day, Some(0))]
                } else {
                    vec![(pin_day, None)]
                },
                same_start_weight: None,
            }
        })
        .collect();
    let cover = (0..days)
        .flat_map(|day| (0..3).map(move |shift| (day, shift)))
        .map(|(day, shift)| Cover {
            day,
            shift,
            group: None,
            requirement: rng.random_range(0..3),
            under_weight: Some(f64::from(rng.random_range(10..100))),
            over_weight: Some(f64::from(rng.random_range(1..3))),
        })
        .collect();
    Problem {
        days,
        shifts,
        employees,
        cover,
        short_minute_price: Some(1e4),
        fairness: Vec::new(),
    }
}

/// Weekends of `row` worked on one of their two days only (what
/// [`Employee::half_weekend_price`] prices).
pub fn half_weekends(row: &[Option<usize>]) -> u32 {
    (0..row.len() / 7)
        .filter(|w| row[7 * w + 5].is_some() != row[7 * w + 6].is_some())
        .count() as u32
}
