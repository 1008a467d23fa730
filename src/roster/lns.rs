//! Large-neighbourhood search around the MIP's roster: free a few
//! employees (or a window of days for everyone), pin the rest to the
//! incumbent, solve that small MIP exactly, keep it when it is better.
//! Runs only when the full MIP stopped before proving its roster optimal.
//! The neighbourhoods come from a seeded generator, and the search stops
//! after a fixed number of rounds as well as at the deadline, so a run
//! that ends on rounds is reproducible.

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{model, objective, Assignment, Problem, RosterOptions};

/// Rounds of the search at most.
pub const MAX_ROUNDS: usize = 2_000;

/// Seconds one neighbourhood may take.
const ROUND_LIMIT_S: f64 = 10.0;

/// Improves `a` until `deadline`; returns the best roster and the rounds
/// run.
pub fn improve(
    p: &Problem,
    mut a: Assignment,
    deadline: Instant,
    opts: &RosterOptions,
) -> (Assignment, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(u64::from(opts.seed));
    let mut best = objective(p, &a).total;
    let n = p.employees.len();
    let mut rounds = 0;
    // Neighbourhood sizes grow while rounds fail to improve, and shrink
    // back after a success.
    let mut k = 3.min(n);
    let mut window = 7.min(p.days);
    let mut stale = 0;
    while rounds < MAX_ROUNDS {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        if left < 0.05 {
            break;
        }
        rounds += 1;
        crate::progress::note(format!(
            "neighbourhood search: round {rounds}, best {best:.2}"
        ));
        let mut free = vec![vec![false; p.days]; n];
        if rounds % 2 == 1 {
            let mut who: Vec<usize> = (0..n).collect();
            who.shuffle(&mut rng);
            for &e in &who[..k] {
                free[e].iter_mut().for_each(|f| *f = true);
            }
        } else {
            let from = rng.random_range(0..=p.days - window);
            for row in &mut free {
                row[from..from + window].iter_mut().for_each(|f| *f = true);
            }
        }
        let mut sub = p.clone();
        for (e, emp) in sub.employees.iter_mut().enumerate() {
            let own: Vec<usize> = emp.pinned.iter().map(|(d, _)| *d).collect();
            emp.pinned.extend(
                (0..p.days)
                    .filter(|&d| !free[e][d] && !own.contains(&d))
                    .map(|d| (d, a.0[e][d])),
            );
        }
        let built = model::build(&sub);
        let sub_opts = RosterOptions {
            time_limit_s: left.min(ROUND_LIMIT_S),
            gap: 0.0,
            threads: opts.threads,
            seed: opts.seed,
            ..RosterOptions::default()
        };
        let (_, values) = crate::plan::solve::solve(&built.mip, &sub_opts);
        let better = values.map(|v| built.assignment(&sub, &v)).and_then(|cand| {
            let o = objective(p, &cand).total;
            (o < best - 1e-6).then_some((cand, o))
        });
        match better {
            Some((cand, o)) => {
                a = cand;
                best = o;
                stale = 0;
                k = 3.min(n);
                window = 7.min(p.days);
            }
            None => {
                stale += 1;
                if stale % 4 == 0 {
                    k = (k + 1).min(n).min(12);
                    window = (window + 2).min(p.days).min(21);
                }
            }
        }
    }
    (a, rounds)
}
