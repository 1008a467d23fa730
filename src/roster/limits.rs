//! Cover that no roster can meet, by counting alone: what the cover asks
//! of each shift kind and of minutes, against the most the employees' own
//! limits let them work. It tells a planner why rows are short in every
//! roster (Instance 15 of the benchmark asks 104 night shifts `n1` of
//! employees who may work 84), and it is a floor under the objective that
//! needs no solve.
//!
//! Only the rows for anyone (no group) with a price for being short
//! count, one per day and shift (the largest where several ask of the
//! same): an employee works one shift a day, so over those rows the
//! shifts of a kind worked are at most what the employees may work of it,
//! and the minutes at most their maximum minutes.

use serde::Serialize;

use super::{Cover, Problem};

/// A shift kind the cover asks more of than the employees may work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindShort {
    /// The shift's id.
    pub shift: String,
    /// Shifts of the kind the rows ask over the horizon.
    pub asked: u64,
    /// The most the employees may work of it: each one's most of the
    /// kind, or the days of those rows they may work it where fewer.
    pub allowed: u64,
    /// Rows short in every roster (`asked − allowed`).
    pub short: u64,
    /// Of the objective at least: the short rows at the kind's cheapest
    /// price for being short.
    pub cost: f64,
}

/// Minutes the cover asks beyond the employees' maximum minutes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinutesShort {
    /// Minutes the rows ask over the horizon.
    pub asked: u64,
    /// The employees' maximum minutes, summed.
    pub allowed: u64,
    /// Minutes short in every roster (`asked − allowed`).
    pub short: u64,
    /// Rows short at least: the minutes short in lengths of the rows'
    /// longest shift, rounded up.
    pub rows: u64,
    /// Of the objective at least: those rows at the cheapest price for
    /// being short.
    pub cost: f64,
}

/// What no roster of a problem can cover (empty where the limits allow
/// the whole cover).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Unavoidable {
    /// By shift kind, in the problem's order of shifts.
    pub kinds: Vec<KindShort>,
    pub minutes: Option<MinutesShort>,
}

impl Unavoidable {
    /// The least the objective can be by these counts: the dearer of the
    /// kinds' floor (their costs summed: each kind's rows are other rows)
    /// and the minutes' floor (the two may count the same rows).
    pub fn floor(&self) -> f64 {
        let kinds: f64 = self.kinds.iter().map(|k| k.cost).sum();
        kinds.max(self.minutes.as_ref().map_or(0.0, |m| m.cost))
    }
}

/// What no roster of `p` can cover, by counting.
pub fn unavoidable(p: &Problem) -> Unavoidable {
    // One row per day and shift: where two ask of the same, the larger
    // (each employee there counts in both, so only one may be summed).
    let mut by_day_shift: std::collections::BTreeMap<(usize, usize), &Cover> =
        std::collections::BTreeMap::new();
    for c in p
        .cover
        .iter()
        .filter(|c| c.group.is_none() && c.requirement > 0 && c.under_weight.is_some())
    {
        let kept = by_day_shift.entry((c.day, c.shift)).or_insert(c);
        if c.requirement > kept.requirement {
            *kept = c;
        }
    }
    let rows: Vec<(&Cover, f64)> = by_day_shift
        .into_values()
        .filter_map(|c| c.under_weight.map(|w| (c, w)))
        .collect();
    let kinds = (0..p.shifts.len())
        .filter_map(|s| {
            let of_kind: Vec<_> = rows.iter().filter(|(c, _)| c.shift == s).collect();
            let asked: u64 = of_kind.iter().map(|(c, _)| u64::from(c.requirement)).sum();
            let allowed: u64 = p
                .employees
                .iter()
                .map(|e| {
                    // One row of the kind a day: its rows' days are distinct.
                    let days = of_kind
                        .iter()
                        .filter(|(c, _)| e.allowed[c.day].iter().any(|x| x.shift == s))
                        .count() as u64;
                    e.max_shifts
                        .get(s)
                        .copied()
                        .flatten()
                        .map_or(days, |m| days.min(u64::from(m)))
                })
                .sum();
            (asked > allowed).then(|| {
                let short = asked - allowed;
                KindShort {
                    shift: p.shifts[s].id.clone(),
                    asked,
                    allowed,
                    short,
                    cost: short as f64 * cheapest(of_kind.iter().map(|(_, w)| *w)),
                }
            })
        })
        .collect();
    let asked: u64 = rows
        .iter()
        .map(|(c, _)| u64::from(c.requirement) * u64::from(p.shifts[c.shift].minutes))
        .sum();
    let allowed: u64 = p.employees.iter().map(|e| u64::from(e.max_minutes)).sum();
    let longest = rows
        .iter()
        .map(|(c, _)| u64::from(p.shifts[c.shift].minutes))
        .max()
        .unwrap_or(0);
    let minutes = (asked > allowed && longest > 0).then(|| {
        let short = asked - allowed;
        let rows_short = short.div_ceil(longest);
        MinutesShort {
            asked,
            allowed,
            short,
            rows: rows_short,
            cost: rows_short as f64 * cheapest(rows.iter().map(|(_, w)| *w)),
        }
    });
    Unavoidable { kinds, minutes }
}

/// The least of some prices for being short.
fn cheapest(prices: impl Iterator<Item = f64>) -> f64 {
    prices.fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{solve, testing, RosterOptions};

    /// Limits cut below the cover: the counts say what is short by kind
    /// and by minutes, every roster the engine finds is short of at least
    /// that many rows of the kind, and its objective is no less than the
    /// floor.
    #[test]
    fn no_roster_covers_what_the_limits_forbid() {
        // Any roster is held to the floor, not only an optimal one: a small
        // budget of work, the same roster on any machine.
        let opts = RosterOptions {
            time_limit_s: 60.0,
            work_limit: Some(50),
            ..RosterOptions::default()
        };
        for seed in 0..4 {
            let mut p = testing::problem_over(40 + seed, 6, 2);
            // Shift 0 has no most of its kind: never short by kind.
            let before = unavoidable(&p);
            assert!(
                before.kinds.iter().all(|k| k.shift != p.shifts[0].id),
                "seed {seed}: {before:?}"
            );
            // Nobody may work more than two of shift 0; a tight cap on
            // minutes for all.
            for e in &mut p.employees {
                e.max_shifts[0] = Some(2);
                e.max_minutes = e.max_minutes.min(e.min_minutes).min(2_400);
                e.min_minutes = e.min_minutes.min(e.max_minutes);
            }
            let u = unavoidable(&p);
            let asked: u64 = p
                .cover
                .iter()
                .filter(|c| c.shift == 0 && c.group.is_none() && c.under_weight.is_some())
                .map(|c| u64::from(c.requirement))
                .sum();
            let k = u.kinds.iter().find(|k| k.shift == p.shifts[0].id);
            if asked > 12 {
                let k = k.expect("shift 0 short");
                assert_eq!((k.asked, k.allowed, k.short), (asked, 12, asked - 12));
            } else {
                assert!(k.is_none(), "seed {seed}");
            }
            let solved = solve(&p, &opts);
            let a = solved.assignment.expect("a roster");
            let worked = |c: &crate::roster::Cover| {
                a.0.iter().filter(|row| row[c.day] == Some(c.shift)).count() as u64
            };
            let short_of_kind: u64 = p
                .cover
                .iter()
                .filter(|c| c.shift == 0 && c.group.is_none() && c.under_weight.is_some())
                .map(|c| u64::from(c.requirement).saturating_sub(worked(c)))
                .sum();
            assert!(short_of_kind >= k.map_or(0, |k| k.short), "seed {seed}");
            let m = u.minutes.as_ref().expect("minutes short");
            assert_eq!(
                m.allowed,
                p.employees
                    .iter()
                    .map(|e| u64::from(e.max_minutes))
                    .sum::<u64>()
            );
            let o = crate::roster::objective(&p, &a);
            assert!(
                o.total - o.short_minutes >= u.floor() - 1e-6,
                "seed {seed}: {} below the floor {}",
                o.total,
                u.floor()
            );
            assert!(u.floor() > 0.0, "seed {seed}");
        }
    }
}
