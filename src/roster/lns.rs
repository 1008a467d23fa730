//! Large-neighbourhood search around the MIP's roster: free a part of the
//! roster (a few employees over the whole horizon, everyone over a window
//! of days, or a few employees around a day where cover is missed), hold
//! the rest to the incumbent, solve that part exactly, keep it when the
//! whole roster is better.
//!
//! The part is a problem of its own: only the employees with a freed day,
//! their other days pinned, and the cover less what the held employees
//! already work — so a neighbourhood of three employees is a MIP of three
//! employees, however many the roster has, and solves in milliseconds.
//! Runs only when the full MIP stopped before proving its roster optimal.
//! The neighbourhoods come from a seeded generator, and the search stops
//! after a fixed number of rounds as well as at the deadline, so a run
//! that ends on rounds is reproducible.

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{model, objective, Assignment, Cover, Problem, RosterOptions};

/// Rounds of the search at most.
pub const MAX_ROUNDS: usize = 20_000;

/// Seconds one neighbourhood may take.
const ROUND_LIMIT_S: f64 = 1.0;

/// Under a work budget, the branch-and-bound nodes one neighbourhood may
/// take (most solve at the root).
pub const ROUND_NODES: u64 = 200;

/// The kinds of neighbourhood, taken in turn.
#[derive(Clone, Copy)]
enum Kind {
    /// `k` employees over the whole horizon.
    Employees,
    /// Everyone over a window of days.
    Window,
    /// `k` employees over a window around a day whose cover is missed.
    Around,
}

const KINDS: [Kind; 3] = [Kind::Employees, Kind::Window, Kind::Around];

/// Neighbourhood sizes per kind: they grow while rounds of that kind fail
/// to improve, and shrink back after a success.
struct Sizes {
    employees: usize,
    window: usize,
    stale: usize,
}

/// Improves `a` until `deadline`, or until its objective is one `proven`
/// optimal (by the bound known), or — with a `work` budget — until the
/// rounds have spent that many units (a round costs its sub-MIP's nodes,
/// at least one, and is limited to [`ROUND_NODES`] instead of
/// [`ROUND_LIMIT_S`]); returns the best roster, the rounds run and the
/// work spent.
pub fn improve(
    p: &Problem,
    mut a: Assignment,
    deadline: Instant,
    work: Option<u64>,
    proven: impl Fn(f64) -> bool,
    opts: &RosterOptions,
) -> (Assignment, usize, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(u64::from(opts.seed));
    let mut best = objective(p, &a).total;
    let n = p.employees.len();
    let start = |kind: Kind| match kind {
        Kind::Employees => Sizes {
            employees: 4.min(n),
            window: 14.min(p.days),
            stale: 0,
        },
        Kind::Window => Sizes {
            employees: n,
            window: 3.min(p.days),
            stale: 0,
        },
        Kind::Around => Sizes {
            employees: 6.min(n),
            window: 7.min(p.days),
            stale: 0,
        },
    };
    let mut sizes: Vec<Sizes> = KINDS.iter().map(|&k| start(k)).collect();
    let mut rounds = 0;
    let mut spent = 0u64;
    while rounds < MAX_ROUNDS && !proven(best) && work.is_none_or(|w| spent < w) {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        if left < 0.05 {
            break;
        }
        let which = rounds % KINDS.len();
        rounds += 1;
        if rounds % 25 == 0 {
            crate::progress::note(format!(
                "neighbourhood search: round {rounds}, best {best:.2}"
            ));
        }
        let free = neighbourhood(p, &a, KINDS[which], &sizes[which], &mut rng);
        let sub_opts = RosterOptions {
            time_limit_s: if work.is_some() {
                left
            } else {
                left.min(ROUND_LIMIT_S)
            },
            work_limit: work.map(|_| ROUND_NODES),
            gap: 0.0,
            threads: opts.threads,
            seed: opts.seed,
            ..RosterOptions::default()
        };
        let (cand, nodes) = resolve(p, &a, &free, &sub_opts);
        spent += nodes.max(1);
        let better = cand.and_then(|cand| {
            let o = objective(p, &cand).total;
            (o < best - 1e-6).then_some((cand, o))
        });
        let s = &mut sizes[which];
        match better {
            Some((cand, o)) => {
                a = cand;
                best = o;
                *s = start(KINDS[which]);
            }
            None => {
                s.stale += 1;
                if s.stale % 3 == 0 {
                    match KINDS[which] {
                        Kind::Employees => {
                            s.employees = (s.employees + 1).min(n).min(12);
                            s.window = (s.window + 2).min(p.days);
                        }
                        Kind::Window => s.window = (s.window + 1).min(p.days).min(14),
                        Kind::Around => {
                            s.employees = (s.employees + 1).min(n).min(16);
                            s.window = (s.window + 2).min(p.days).min(21);
                        }
                    }
                }
            }
        }
    }
    (a, rounds, spent)
}

/// Which employee-days a round frees.
fn neighbourhood(
    p: &Problem,
    a: &Assignment,
    kind: Kind,
    size: &Sizes,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<bool>> {
    let n = p.employees.len();
    let mut free = vec![vec![false; p.days]; n];
    let mut some = |k: usize, days: std::ops::Range<usize>, rng: &mut ChaCha8Rng| {
        let mut who: Vec<usize> = (0..n).collect();
        who.shuffle(rng);
        for &e in &who[..k.min(n)] {
            free[e][days.clone()].iter_mut().for_each(|f| *f = true);
        }
    };
    match kind {
        Kind::Employees => {
            let from = rng.random_range(0..=p.days - size.window);
            some(size.employees, from..from + size.window, rng);
        }
        Kind::Window => {
            let from = rng.random_range(0..=p.days - size.window);
            some(n, from..from + size.window, rng);
        }
        Kind::Around => {
            // A day whose cover is missed (short or over), else any day.
            let missed = missed_days(p, a);
            let day = if missed.is_empty() {
                rng.random_range(0..p.days)
            } else {
                missed[rng.random_range(0..missed.len())]
            };
            let half = size.window / 2;
            let from = day.saturating_sub(half).min(p.days - size.window);
            some(size.employees, from..from + size.window, rng);
        }
    }
    free
}

/// Days with a cover row short or over in `a`, in order.
fn missed_days(p: &Problem, a: &Assignment) -> Vec<usize> {
    let mut days: Vec<usize> = p
        .cover
        .iter()
        .filter(|c| {
            let worked = held(p, a, c, |_| true);
            worked != c.requirement as usize
        })
        .map(|c| c.day)
        .collect();
    days.dedup();
    days
}

/// How many of the employees `counted` work cover row `c`'s shift on its
/// day, among those it counts.
pub(super) fn held(
    p: &Problem,
    a: &Assignment,
    c: &Cover,
    counted: impl Fn(usize) -> bool,
) -> usize {
    (0..p.employees.len())
        .filter(|&e| counted(e) && c.group.is_none_or(|g| p.employees[e].group == g))
        .filter(|&e| a.0[e][c.day] == Some(c.shift))
        .count()
}

/// Solves the part of `p` that `free` frees, the rest held to `a`;
/// returns the whole roster with the part's answer in it, and the
/// branch-and-bound nodes that took.
pub(super) fn resolve(
    p: &Problem,
    a: &Assignment,
    free: &[Vec<bool>],
    opts: &RosterOptions,
) -> (Option<Assignment>, u64) {
    let who: Vec<usize> = (0..p.employees.len())
        .filter(|&e| free[e].iter().any(|&f| f))
        .collect();
    if who.is_empty() {
        return (None, 0);
    }
    let mut inside = vec![false; p.employees.len()];
    who.iter().for_each(|&e| inside[e] = true);
    let employees = who
        .iter()
        .map(|&e| {
            let mut emp = p.employees[e].clone();
            let own: Vec<usize> = emp.pinned.iter().map(|(d, _)| *d).collect();
            emp.pinned.extend(
                (0..p.days)
                    .filter(|&d| !free[e][d] && !own.contains(&d))
                    .map(|d| (d, a.0[e][d])),
            );
            emp
        })
        .collect();
    // Cover less what the held employees work; a surplus they already
    // make is a constant the part cannot change.
    let cover = p
        .cover
        .iter()
        .map(|c| Cover {
            requirement: c
                .requirement
                .saturating_sub(held(p, a, c, |e| !inside[e]) as u32),
            ..*c
        })
        .collect();
    let fairness = p
        .fairness
        .iter()
        .map(|f| {
            let mut part = f.clone();
            part.floor = f
                .employees
                .iter()
                .filter(|&&e| !inside[e])
                .map(|&e| f.count(a, e))
                .max()
                .unwrap_or(0)
                .max(f.floor);
            part.employees = f
                .employees
                .iter()
                .filter_map(|e| who.iter().position(|w| w == e))
                .collect();
            part
        })
        .collect();
    let sub = Problem {
        days: p.days,
        shifts: p.shifts.clone(),
        employees,
        cover,
        short_minute_price: p.short_minute_price,
        fairness,
    };
    let built = model::build(&sub);
    let (stats, values) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
    let nodes = stats.nodes.max(0) as u64;
    let Some(values) = values else {
        return (None, nodes);
    };
    let part = built.assignment(&sub, &values);
    let mut whole = a.clone();
    for (i, &e) in who.iter().enumerate() {
        whole.0[e] = part.0[i].clone();
    }
    (Some(whole), nodes)
}

#[cfg(test)]
mod tests {
    use super::super::{testing, Fairness};
    use super::*;

    /// Solving only the freed employees, against the cover the others
    /// leave, finds a roster as good as the whole problem with the held
    /// days pinned — the two formulations of a neighbourhood agree — and
    /// keeps every held day; with a fairness term, whose floor carries what
    /// the held employees work.
    #[test]
    fn a_part_solves_as_the_whole_pinned() {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            gap: 0.0,
            ..RosterOptions::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for seed in 0..6 {
            let mut p = testing::problem(200 + seed, 6);
            if seed % 2 == 1 {
                p.fairness.push(Fairness {
                    name: "weekend days".into(),
                    employees: (0..6).collect(),
                    days: (0..p.days).map(|d| d % 7 >= 5).collect(),
                    kinds: vec![true; 3],
                    weight: 7.0,
                    floor: 0,
                });
            }
            // Start from a roster that keeps every rule but was made for
            // other cover (one of each shift every day): no minutes short,
            // and room to improve.
            let mut other = p.clone();
            other.cover.iter_mut().for_each(|c| c.requirement = 1);
            let built = model::build(&other);
            let (_, v) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
            let mut a = built.assignment(&other, &v.expect("solved"));
            assert!(objective(&p, &a).short_minutes.abs() < 1e-9);
            for round in 0..6 {
                let kind = KINDS[round % KINDS.len()];
                let size = Sizes {
                    employees: 2,
                    window: if matches!(kind, Kind::Employees) {
                        14
                    } else {
                        5
                    },
                    stale: 0,
                };
                let free = neighbourhood(&p, &a, kind, &size, &mut rng);
                let part = resolve(&p, &a, &free, &opts)
                    .0
                    .expect("the incumbent is a solution");
                let mut whole = p.clone();
                for (e, emp) in whole.employees.iter_mut().enumerate() {
                    let own: Vec<usize> = emp.pinned.iter().map(|(d, _)| *d).collect();
                    emp.pinned.extend(
                        (0..p.days)
                            .filter(|&d| !free[e][d] && !own.contains(&d))
                            .map(|d| (d, a.0[e][d])),
                    );
                }
                let built = model::build(&whole);
                let (_, v) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
                let pinned = built.assignment(&whole, &v.expect("solved"));
                let (o_part, o_whole) = (objective(&p, &part).total, objective(&p, &pinned).total);
                assert!(
                    (o_part - o_whole).abs() < 1e-6,
                    "seed {seed} round {round}: part {o_part}, whole pinned {o_whole}"
                );
                assert!(o_part <= objective(&p, &a).total + 1e-6);
                for (e, row) in free.iter().enumerate() {
                    for (d, &freed) in row.iter().enumerate() {
                        if !freed {
                            assert_eq!(part.0[e][d], a.0[e][d], "held day moved");
                        }
                    }
                }
                a = part;
            }
        }
    }
}
