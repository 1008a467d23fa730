//! Large-neighbourhood search around the MIP's roster: free a part of the
//! roster (a few employees over a window of days, everyone over a short
//! window, or a few employees around a day where cover is missed), hold
//! the rest to the incumbent, solve that part exactly, keep it when the
//! whole roster is better. On a roster built window by window
//! ([`Built::ByWindows`]) each part spans only the weeks around its freed
//! days; every employee is also taken alone, the pricing program giving
//! them their cheapest row against the cover the others leave (a row
//! that costs no more is kept, a sideways step); the rounds around missed
//! cover free the two ends of a chain that could fill a short row (half of
//! them with a far week of each employee's spare work too); and the
//! kind of round that has lately paid most for its cost runs most
//! (`Paying`).
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

/// The kinds of neighbourhood.
#[derive(Clone, Copy)]
enum Kind {
    /// `k` employees over the whole horizon.
    Employees,
    /// Everyone over a window of days.
    Window,
    /// `k` employees over a window around a day whose cover is missed
    /// (on a roster built window by window, a row left short, and the
    /// employees at the two ends of a chain that could fill it: `chain`).
    Around,
    /// Every employee in turn over one window of days, each alone against
    /// the cover the others leave (the pricing program, not a MIP).
    Alone,
}

const KINDS: [Kind; 4] = [Kind::Employees, Kind::Window, Kind::Around, Kind::Alone];

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
/// [`ROUND_LIMIT_S`]; a round of employees alone costs the employees it
/// priced); returns the best roster, the rounds run and the work spent.
/// The kinds of round are taken in turn on a roster solved, and as they
/// pay (`Paying`) on one built window by window.
pub fn improve(
    p: &Problem,
    mut a: Assignment,
    deadline: Instant,
    work: Option<u64>,
    proven: impl Fn(f64) -> bool,
    built: Built,
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
            employees: window_employees(p, 3.min(p.days), built),
            window: 3.min(p.days),
            stale: 0,
        },
        Kind::Around => Sizes {
            employees: 6.min(n),
            window: 7.min(p.days),
            stale: 0,
        },
        Kind::Alone => Sizes {
            employees: n,
            window: ALONE_WINDOW.0.min(p.days),
            stale: 0,
        },
    };
    // Employees alone where the pricing program states the rules
    // (elsewhere every row would be left as it is).
    let by_windows = built == Built::ByWindows;
    let kinds = if by_windows && super::columns::programmable(p) {
        &KINDS[..]
    } else {
        &KINDS[..3]
    };
    let mut sizes: Vec<Sizes> = kinds.iter().map(|&k| start(k)).collect();
    // On a roster built window by window, the build's steer for weekends
    // worked on one day (its answers judged by the objective all the
    // same).
    let half = if by_windows {
        super::construct::half_weekend_price(p)
    } else {
        0.0
    };
    let mut paying = Paying::new(kinds.len());
    let mut rounds = 0;
    let mut spent = 0u64;
    while rounds < MAX_ROUNDS && !proven(best) && work.is_none_or(|w| spent < w) {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        if left < 0.05 {
            break;
        }
        let which = if by_windows {
            paying.choose(rounds, &mut rng)
        } else {
            rounds % kinds.len()
        };
        let round_started = Instant::now();
        rounds += 1;
        if rounds % 25 == 0 {
            crate::progress::note(format!(
                "neighbourhood search: round {rounds}, best {best:.2}"
            ));
        }
        let free = match kinds[which] {
            Kind::Alone => Vec::new(),
            kind => neighbourhood(p, &a, kind, &sizes[which], built, &mut rng),
        };
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
        let (cand, nodes) = match kinds[which] {
            Kind::Alone => employees_alone(p, &a, &sizes[which], &mut rng, deadline),
            _ => resolve(p, &a, &free, by_windows, Start::FromRoster, half, &sub_opts),
        };
        spent += nodes.max(1);
        let cost = match work {
            Some(_) => nodes.max(1) as f64,
            None => round_started.elapsed().as_secs_f64(),
        };
        // Employees alone may also leave the roster as good as it was but
        // different (a sideways step: a row that costs no more, which may
        // open a better one to another employee); that is kept too.
        let better = match cand.map(|cand| (objective(p, &cand).total, cand)) {
            Some((o, cand)) if o < best - 1e-6 => Some((cand, o)),
            Some((o, cand)) if matches!(kinds[which], Kind::Alone) && o <= best + 1e-6 => {
                a = cand;
                None
            }
            _ => None,
        };
        paying.record(which, better.as_ref().map_or(0.0, |(_, o)| best - o), cost);
        let s = &mut sizes[which];
        match better {
            Some((cand, o)) => {
                a = cand;
                best = o;
                *s = start(kinds[which]);
            }
            None => {
                s.stale += 1;
                if s.stale % 3 == 0 {
                    match kinds[which] {
                        Kind::Employees => {
                            s.employees = (s.employees + 1).min(n).min(12);
                            s.window = (s.window + 2).min(p.days);
                        }
                        Kind::Window => {
                            s.window = (s.window + 1).min(p.days).min(14);
                            s.employees = window_employees(p, s.window, built);
                        }
                        Kind::Around => {
                            s.employees = (s.employees + 1).min(n).min(16);
                            s.window = (s.window + 2).min(p.days).min(21);
                        }
                        Kind::Alone => s.window = (s.window + 7).min(p.days).min(ALONE_WINDOW.1),
                    }
                }
            }
        }
    }
    (a, rounds, spent)
}

/// Which kind of round pays on a roster built window by window: each
/// kind's gain and cost (seconds, or work units under a work budget) over
/// its recent rounds, older rounds weighing less. Every kind is tried in
/// turn at first and drawn now and then after; otherwise the kind whose
/// rounds have lately bettered the roster most for their cost runs. (On
/// Instance 22 at 600 s, taken in turn, employees alone gave 29,600 in
/// 91 s of rounds and the three other kinds 9,100 in 336 s, 2026-12-06.)
struct Paying {
    /// Per kind: decayed gain, decayed cost.
    kinds: Vec<(f64, f64)>,
}

/// How much a kind's earlier rounds count at each of its new rounds.
const PAYING_DECAY: f64 = 0.9;

/// Rounds of every kind in turn before any is preferred.
const PAYING_WARM: usize = 3;

/// Share of rounds whose kind is drawn, whatever pays.
const PAYING_EXPLORE: f64 = 0.25;

impl Paying {
    fn new(kinds: usize) -> Self {
        Paying {
            kinds: vec![(0.0, 0.0); kinds],
        }
    }

    fn choose(&self, round: usize, rng: &mut ChaCha8Rng) -> usize {
        let k = self.kinds.len();
        if round < PAYING_WARM * k || rng.random_bool(PAYING_EXPLORE) {
            return round % k;
        }
        let rate = |&(gain, cost): &(f64, f64)| gain / cost.max(1e-9);
        (0..k)
            .max_by(|&x, &y| {
                rate(&self.kinds[x])
                    .total_cmp(&rate(&self.kinds[y]))
                    .then(y.cmp(&x))
            })
            .unwrap_or(0)
    }

    fn record(&mut self, kind: usize, gain: f64, cost: f64) {
        let (g, c) = &mut self.kinds[kind];
        *g = *g * PAYING_DECAY + gain;
        *c = *c * PAYING_DECAY + cost;
    }
}

/// Employee-day-kinds a [`Kind::Window`] round frees at most: everyone
/// over a few days where that is a part HiGHS solves within a round's
/// time, fewer (drawn) where the kinds or the employees are many
/// (Instance 24, 150 employees and 32 kinds, took 1 to 16 s a round with
/// everyone and never bettered its roster, 2026-12-06).
const WINDOW_CELLS: usize = 3_000;

/// How many employees a [`Kind::Window`] round of `window` days frees:
/// everyone on a roster solved (as the table of 2026-12-06 was
/// measured), at most [`WINDOW_CELLS`] on one built window by window.
fn window_employees(p: &Problem, window: usize, built: Built) -> usize {
    let n = p.employees.len();
    match built {
        Built::Solved => n,
        Built::ByWindows => (WINDOW_CELLS / (window.max(1) * p.shifts.len().max(1))).clamp(1, n),
    }
}

/// Where the roster a search starts from came from, which decides its
/// rounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Built {
    /// By the patterns or the full MIP: the three kinds of round, each
    /// part over the whole horizon.
    Solved,
    /// Window by window ([`super::construct`]), far from the optimum and
    /// often years long: each part over its weeks only (`span`),
    /// "everyone over a window" at most `WINDOW_CELLS`, and employees
    /// also taken alone.
    ByWindows,
}

/// Days of the window each employee is taken alone over in an
/// [`Kind::Alone`] round: at first, and at most.
const ALONE_WINDOW: (usize, usize) = (28, 56);

/// One [`Kind::Alone`] round: a window of days drawn, then every employee
/// in a drawn order given their cheapest row over it against the cover
/// the others leave (`construct::cheapest_row`), kept when the whole
/// roster is no worse; the roster if it is better, or as good and
/// different (a sideways step), else `None` — and the employees priced,
/// the round's work.
fn employees_alone(
    p: &Problem,
    a: &Assignment,
    size: &Sizes,
    rng: &mut ChaCha8Rng,
    deadline: Instant,
) -> (Option<Assignment>, u64) {
    // A week's start, so that the weekends the program counts are the
    // horizon's.
    let from = 7 * rng.random_range(0..=(p.days - size.window) / 7);
    let mut who: Vec<usize> = (0..p.employees.len()).collect();
    who.shuffle(rng);
    let mut cur = a.clone();
    let mut now = objective(p, &cur).total;
    let start = now;
    let mut priced = 0;
    for e in who {
        if Instant::now() >= deadline {
            break;
        }
        priced += 1;
        let Some(row) = super::construct::cheapest_row(p, &cur, e, from, size.window, deadline)
        else {
            continue;
        };
        if row == cur.0[e] {
            continue;
        }
        let old = std::mem::replace(&mut cur.0[e], row);
        let o = objective(p, &cur).total;
        if o <= now + 1e-6 {
            now = o;
        } else {
            cur.0[e] = old;
        }
    }
    let kept = now < start - 1e-6 || (now <= start + 1e-6 && cur != *a);
    (kept.then_some(cur), priced)
}

/// Which employee-days a round frees.
fn neighbourhood(
    p: &Problem,
    a: &Assignment,
    kind: Kind,
    size: &Sizes,
    built: Built,
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
    // The round's days: around `day`, or anywhere.
    let around = |day: usize| {
        let from = day
            .saturating_sub(size.window / 2)
            .min(p.days - size.window);
        from..from + size.window
    };
    let anywhere = |rng: &mut ChaCha8Rng| {
        let from = rng.random_range(0..=p.days - size.window);
        from..from + size.window
    };
    match kind {
        Kind::Employees | Kind::Window | Kind::Alone => {
            let days = anywhere(rng);
            some(size.employees, days, rng);
        }
        Kind::Around if built == Built::ByWindows => {
            let worked = worked_rows(p, a);
            if let Some(r) = drawn_short(p, &worked, rng) {
                let days = around(p.cover[r].day);
                let far = rng.random_bool(FAR_SHARE);
                let weekend = p.cover[r].day % 7 >= 5;
                for e in chain(p, a, &worked, r, days.clone(), size.employees, rng) {
                    free[e][days.clone()].iter_mut().for_each(|f| *f = true);
                    if far {
                        if let Some(week) = spare_week(p, a, &worked, e, &days, weekend, rng) {
                            free[e][week].iter_mut().for_each(|f| *f = true);
                        }
                    }
                }
            } else {
                let days = anywhere(rng);
                some(size.employees, days, rng);
            }
        }
        Kind::Around => {
            // A day whose cover is missed (short or over), else any day.
            let missed = missed_days(p, &worked_rows(p, a));
            let day = if missed.is_empty() {
                rng.random_range(0..p.days)
            } else {
                missed[rng.random_range(0..missed.len())]
            };
            some(size.employees, around(day), rng);
        }
    }
    free
}

/// Share of the rounds around a short row, on a roster built window by
/// window, that also free each employee a far week ([`spare_week`]): the
/// part then spans the weeks between, so an employee's totals can move
/// from where the cover is spare to the row. At 600 s with half the
/// rounds so, Instances 21–24 gave 21,837, 38,458, 20,367 and 66,465,
/// against 21,842, 38,868, 20,202 and 67,635 without (one run each,
/// 2026-12-07): mixed but for 24, the farthest from its best known.
const FAR_SHARE: f64 = 0.5;

/// A week of the horizon, outside `days`, in which employee `e` works a
/// cover row over its requirement (`worked`: what each row has) — on a
/// weekend day where `weekend` and there is one — drawn; `None` where
/// there is none. Freed with a round around a short row, it lets the
/// employee give up work the cover does not need far from the row, and
/// the totals (minutes, weekends) it spends, to fill the row.
fn spare_week(
    p: &Problem,
    a: &Assignment,
    worked: &[usize],
    e: usize,
    days: &std::ops::Range<usize>,
    weekend: bool,
    rng: &mut ChaCha8Rng,
) -> Option<std::ops::Range<usize>> {
    let over: Vec<usize> = p
        .cover
        .iter()
        .zip(worked)
        .filter(|(c, &w)| w > c.requirement as usize && !days.contains(&c.day) && works(p, a, e, c))
        .map(|(c, _)| c.day)
        .collect();
    let on_weekends: Vec<usize> = over.iter().copied().filter(|d| d % 7 >= 5).collect();
    let from = if weekend && !on_weekends.is_empty() {
        &on_weekends
    } else {
        &over
    };
    (!from.is_empty()).then(|| {
        let d = from[rng.random_range(0..from.len())];
        let start = d / 7 * 7;
        start..(start + 7).min(p.days)
    })
}

/// How many work each of `p`'s cover rows in `a` (among those it counts).
fn worked_rows(p: &Problem, a: &Assignment) -> Vec<usize> {
    p.cover.iter().map(|c| held(p, a, c, |_| true)).collect()
}

/// A cover row short (one with a price for being short), drawn, by its
/// index, with `worked` ([`worked_rows`]) what each row has; `None` where
/// none is.
fn drawn_short(p: &Problem, worked: &[usize], rng: &mut ChaCha8Rng) -> Option<usize> {
    let short: Vec<usize> = (0..p.cover.len())
        .filter(|&r| {
            let c = &p.cover[r];
            c.under_weight.is_some() && worked[r] < c.requirement as usize
        })
        .collect();
    (!short.is_empty()).then(|| short[rng.random_range(0..short.len())])
}

/// `k` employees for a round around the short row `p.cover[r]` over
/// `days`, with `worked` what each row has: half
/// (rounded up) drawn from those who may work `c`'s shift on its day and
/// do not, the rest from those who work a row over its requirement within
/// the days — the two ends of a chain of moves that fills `c` from where
/// cover is spare, which employees drawn at random (150 on Instance 24,
/// with 32 kinds each may or may not work) seldom hold together. Any
/// places left are drawn from everyone.
fn chain(
    p: &Problem,
    a: &Assignment,
    worked: &[usize],
    r: usize,
    days: std::ops::Range<usize>,
    k: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<usize> {
    let n = p.employees.len();
    let c = &p.cover[r];
    let counts = |e: usize, c: &Cover| c.group.is_none_or(|g| p.employees[e].group == g);
    let mut could: Vec<usize> = (0..n)
        .filter(|&e| counts(e, c) && a.0[e][c.day] != Some(c.shift))
        .filter(|&e| {
            p.employees[e].allowed[c.day]
                .iter()
                .any(|x| x.shift == c.shift)
        })
        .collect();
    let mut spare = vec![false; n];
    for (row, _) in p
        .cover
        .iter()
        .zip(worked)
        .filter(|(row, &w)| days.contains(&row.day) && w > row.requirement as usize)
    {
        (0..n)
            .filter(|&e| works(p, a, e, row))
            .for_each(|e| spare[e] = true);
    }
    let mut spare: Vec<usize> = (0..n).filter(|&e| spare[e]).collect();
    let mut everyone: Vec<usize> = (0..n).collect();
    could.shuffle(rng);
    spare.shuffle(rng);
    everyone.shuffle(rng);
    let k = k.min(n);
    let mut chosen = vec![false; n];
    let mut out = Vec::with_capacity(k);
    let mut take = |from: &[usize], up_to: usize, out: &mut Vec<usize>| {
        for &e in from {
            if out.len() >= up_to {
                break;
            }
            if !chosen[e] {
                chosen[e] = true;
                out.push(e);
            }
        }
    };
    take(&could, k.div_ceil(2), &mut out);
    take(&spare, k, &mut out);
    take(&everyone, k, &mut out);
    out
}

/// Days with a cover row short or over, in order, with `worked`
/// ([`worked_rows`]) what each row has.
fn missed_days(p: &Problem, worked: &[usize]) -> Vec<usize> {
    let mut days: Vec<usize> = p
        .cover
        .iter()
        .zip(worked)
        .filter(|(c, &w)| w != c.requirement as usize)
        .map(|(c, _)| c.day)
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
        .filter(|&e| counted(e) && works(p, a, e, c))
        .count()
}

/// Whether employee `e` works cover row `c`'s shift on its day in `a`,
/// and the row counts them.
fn works(p: &Problem, a: &Assignment, e: usize, c: &Cover) -> bool {
    c.group.is_none_or(|g| p.employees[e].group == g) && a.0[e][c.day] == Some(c.shift)
}

/// The cover rows of days `h0..h1`, moved to start at `h0`, less what
/// the employees `held_by` (those a part leaves as they are) work in `a`.
pub(super) fn cover_left(
    p: &Problem,
    a: &Assignment,
    (h0, h1): (usize, usize),
    held_by: impl Fn(usize) -> bool,
) -> Vec<Cover> {
    p.cover
        .iter()
        .filter(|c| (h0..h1).contains(&c.day))
        .map(|c| Cover {
            day: c.day - h0,
            requirement: c.requirement.saturating_sub(held(p, a, c, &held_by) as u32),
            ..*c
        })
        .collect()
}

/// Where a part's search starts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// From the part as the roster has it: the search can only better it,
    /// and HiGHS's improving heuristics have an incumbent from the first
    /// node (at 600 s, 2026-12-07: Instance 20 4,966 against 5,199 from
    /// nothing, 21 22,010 against 23,345, 23 21,796 against 25,788).
    FromRoster,
    /// From nothing, the roster only holding the rest: for a part whose
    /// roster is no fair start — the dive's last few, each on their
    /// most-taken pattern, whatever the cover (Instance 13: 4,798). From
    /// it their part came to 1,939 in one run at 600 s; from nothing to
    /// 1,640 and 2,334 in two (2026-12-07): no gain shown, so left as it
    /// was.
    FromNothing,
}

/// Solves the part of `p` that `free` frees, the rest held to `a` — over
/// the weeks around the freed days only where `clipped` ([`span`]), else
/// over the whole horizon — from `start`, each weekend its employees work
/// on one day priced at `half` (a steer: [`Employee::half_weekend_price`],
/// zero for the part's own optimum); returns the whole roster with the
/// part's answer in it, and the branch-and-bound nodes that took.
///
/// [`Employee::half_weekend_price`]: super::Employee::half_weekend_price
pub(super) fn resolve(
    p: &Problem,
    a: &Assignment,
    free: &[Vec<bool>],
    clipped: bool,
    start: Start,
    half: f64,
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
    // The days solved: the freed ones and the weeks around them their
    // rules look on, where the rest of the horizon can be left out.
    let (h0, h1) = if clipped {
        span(p, free, &who)
    } else {
        (0, p.days)
    };
    let employees = who
        .iter()
        .map(|&e| {
            let emp = &p.employees[e];
            let totals = (emp.min_minutes, emp.max_minutes);
            let mut part = super::construct::clip(
                p,
                e,
                &a.0[e],
                (h0, h1, h1),
                |d| free[e][d],
                totals,
                (|m| m, |m| m),
            );
            part.half_weekend_price = half;
            part
        })
        .collect();
    // Cover less what the held employees work; a surplus they already
    // make is a constant the part cannot change.
    let cover = cover_left(p, a, (h0, h1), |e| !inside[e]);
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
        days: h1 - h0,
        shifts: p.shifts.clone(),
        employees,
        cover,
        short_minute_price: p.short_minute_price,
        fairness,
    };
    let built = model::build(&sub);
    let from = (start == Start::FromRoster).then(|| {
        built.start(&Assignment(
            who.iter().map(|&e| a.0[e][h0..h1].to_vec()).collect(),
        ))
    });
    let (stats, values) =
        crate::plan::solve::solve_direct_from(&built.mip, &opts.solver(), from.as_ref());
    let nodes = stats.nodes.max(0) as u64;
    let Some(values) = values else {
        return (None, nodes);
    };
    let part = built.assignment(&sub, &values);
    let mut whole = a.clone();
    for (i, &e) in who.iter().enumerate() {
        whole.0[e][h0..h1].copy_from_slice(&part.0[i]);
    }
    (Some(whole), nodes)
}

/// The days a neighbourhood's part is solved over: from the week before
/// its first freed day by the weeks its employees' rules look back on, to
/// the week after its last by as many — or the whole horizon where a term
/// counts over all of it (fairness, the same start times).
fn span(p: &Problem, free: &[Vec<bool>], who: &[usize]) -> (usize, usize) {
    let whole = (0, p.days);
    let counts_all = !p.fairness.is_empty()
        || who
            .iter()
            .any(|&e| p.employees[e].same_start_weight.is_some());
    let days = || {
        who.iter()
            .flat_map(|&e| (0..p.days).filter(move |&d| free[e][d]))
    };
    let (Some(lo), Some(hi)) = (days().min(), days().max()) else {
        return whole;
    };
    if counts_all {
        return whole;
    }
    let around = who
        .iter()
        .map(|&e| super::construct::held_around(&p.employees[e]))
        .max()
        .unwrap_or(0);
    let h0 = (lo / 7 * 7).saturating_sub(around);
    let h1 = ((hi + 1).div_ceil(7) * 7 + around).min(p.days);
    (h0, h1)
}

#[cfg(test)]
mod tests {
    use super::super::{testing, Fairness};
    use super::*;

    /// Whether every hard rule of `p` holds on `a`: the MIP with every day
    /// pinned to `a` has a solution (minimums are elastic in these
    /// problems, so only they may be missed).
    fn keeps_every_rule(p: &Problem, a: &Assignment) -> bool {
        let mut fixed = p.clone();
        for (e, emp) in fixed.employees.iter_mut().enumerate() {
            emp.pinned = (0..p.days).map(|d| (d, a.0[e][d])).collect();
        }
        let built = model::build(&fixed);
        let opts = RosterOptions {
            time_limit_s: 60.0,
            ..RosterOptions::default()
        };
        crate::plan::solve::solve_direct(&built.mip, &opts.solver())
            .1
            .is_some()
    }

    /// A roster that keeps every rule but was made for other cover (one
    /// of each shift every day): no minutes short, and room to improve.
    fn made_for_other_cover(p: &Problem, opts: &RosterOptions) -> Assignment {
        let mut other = p.clone();
        other.cover.iter_mut().for_each(|c| c.requirement = 1);
        let built = model::build(&other);
        let (_, v) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
        let a = built.assignment(&other, &v.expect("solved"));
        assert!(objective(p, &a).short_minutes.abs() < 1e-9);
        a
    }

    /// A part solved with weekends worked on one day priced works no more
    /// of them than the part solved without, and costs no less by the
    /// objective (each is the optimum of its own objective): the steer
    /// reaches the part's MIP, and it takes such weekends off somewhere.
    #[test]
    fn a_priced_part_works_fewer_one_day_weekends() {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            gap: 0.0,
            ..RosterOptions::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut fewer = 0;
        for seed in 0..8 {
            let p = testing::problem_over(300 + seed, 4, 3);
            let a = made_for_other_cover(&p, &opts);
            let size = Sizes {
                employees: 2,
                window: 21,
                stale: 0,
            };
            let free = neighbourhood(&p, &a, Kind::Employees, &size, Built::Solved, &mut rng);
            let solve = |half: f64| {
                resolve(&p, &a, &free, false, Start::FromRoster, half, &opts)
                    .0
                    .expect("the incumbent is a solution")
            };
            let (plain, priced) = (solve(0.0), solve(500.0));
            let halves =
                |r: &Assignment| -> u32 { r.0.iter().map(|row| testing::half_weekends(row)).sum() };
            let (o_plain, o_priced) = (objective(&p, &plain).total, objective(&p, &priced).total);
            assert!(halves(&priced) <= halves(&plain), "seed {seed}");
            assert!(
                o_priced >= o_plain - 1e-6,
                "seed {seed}: {o_priced} < {o_plain}"
            );
            assert!(keeps_every_rule(&p, &priced), "seed {seed}");
            fewer += usize::from(halves(&priced) < halves(&plain));
        }
        assert!(
            fewer >= 2,
            "the price took one-day weekends off in {fewer} parts of 8"
        );
    }

    /// Solving only the freed employees, against the cover the others
    /// leave, finds a roster as good as the whole problem with the held
    /// days pinned — the two formulations of a neighbourhood agree — and
    /// keeps every held day; with a fairness term, whose floor carries what
    /// the held employees work; and over six weeks, where the part is
    /// solved over the weeks around its freed days only (what the
    /// employees work outside them taken off their totals), keeping every
    /// rule.
    #[test]
    fn a_part_solves_as_the_whole_pinned() {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            gap: 0.0,
            ..RosterOptions::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut clipped = 0;
        for (seed, fortnights) in (0..6).map(|s| (s, 2)).chain((6..10).map(|s| (s, 3))) {
            let mut p = testing::problem_over(200 + seed, 6, fortnights);
            if seed % 2 == 1 && fortnights == 2 {
                p.fairness.push(Fairness {
                    name: "weekend days".into(),
                    employees: (0..6).collect(),
                    days: (0..p.days).map(|d| d % 7 >= 5).collect(),
                    kinds: vec![true; 3],
                    weight: 7.0,
                    floor: 0,
                });
            }
            let mut a = made_for_other_cover(&p, &opts);
            for round in 0..6 {
                let kind = [Kind::Employees, Kind::Window, Kind::Around][round % 3];
                let size = Sizes {
                    employees: 2,
                    window: match kind {
                        Kind::Employees if fortnights == 2 => 14,
                        Kind::Employees => 7,
                        _ => 5,
                    },
                    stale: 0,
                };
                // The longer problems as a roster built window by window
                // would have them: the rounds around a short row free the
                // ends of a chain (`chain`).
                let built = if fortnights == 3 {
                    Built::ByWindows
                } else {
                    Built::Solved
                };
                let free = neighbourhood(&p, &a, kind, &size, built, &mut rng);
                let who: Vec<usize> = (0..p.employees.len())
                    .filter(|&e| free[e].iter().any(|&f| f))
                    .collect();
                let (h0, h1) = span(&p, &free, &who);
                if h1 - h0 < p.days {
                    clipped += 1;
                }
                let part = resolve(&p, &a, &free, true, Start::FromRoster, 0.0, &opts)
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
                assert!(keeps_every_rule(&p, &part), "seed {seed} round {round}");
                a = part;
            }
        }
        assert!(clipped >= 6, "{clipped} parts solved over fewer days");
    }

    /// A round of employees alone over four weeks of six: each row the
    /// program gives keeps every rule of the whole horizon (weekends
    /// counted as the horizon counts them, the totals with what the
    /// employee works outside), the roster never worse, and better on
    /// some of the problems.
    #[test]
    fn employees_alone_keep_every_rule_and_never_worsen() {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            ..RosterOptions::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut better = 0;
        for seed in 0..6 {
            let p = testing::problem_over(300 + seed, 6, 3);
            let mut a = made_for_other_cover(&p, &opts);
            let size = Sizes {
                employees: p.employees.len(),
                window: ALONE_WINDOW.0,
                stale: 0,
            };
            let deadline = Instant::now() + std::time::Duration::from_secs(60);
            for round in 0..3 {
                let before = objective(&p, &a).total;
                let (next, priced) = employees_alone(&p, &a, &size, &mut rng, deadline);
                assert_eq!(priced, p.employees.len() as u64);
                if let Some(next) = next {
                    let after = objective(&p, &next).total;
                    assert!(
                        after <= before + 1e-6,
                        "seed {seed} round {round}: {after} vs {before}"
                    );
                    assert!(next != a, "seed {seed} round {round}: kept as it was");
                    assert!(keeps_every_rule(&p, &next), "seed {seed} round {round}");
                    if after < before - 1e-6 {
                        better += 1;
                    }
                    a = next;
                }
            }
        }
        assert!(better >= 3, "{better} rounds improved");
    }

    /// Around a short row of a roster built window by window, a round
    /// frees first employees who may work the row's shift on its day and
    /// do not, then employees who work a row over its requirement within
    /// the round's days (the two ends of a chain of moves), then anyone,
    /// as many as asked and each once.
    #[test]
    fn rounds_around_a_short_row_free_both_ends_of_a_chain() {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            ..RosterOptions::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let (mut checked, mut spare_taken) = (0, 0);
        for seed in 0..6 {
            let p = testing::problem_over(400 + seed, 8, 2);
            let a = made_for_other_cover(&p, &opts);
            for k in [3, 4, 6] {
                let worked = worked_rows(&p, &a);
                let Some(r) = drawn_short(&p, &worked, &mut rng) else {
                    continue;
                };
                let c = &p.cover[r];
                assert!(held(&p, &a, c, |_| true) < c.requirement as usize);
                let from = c.day.saturating_sub(3).min(p.days - 7);
                let days = from..from + 7;
                let who = chain(&p, &a, &worked, r, days.clone(), k, &mut rng);
                assert_eq!(who.len(), k);
                let mut once = who.clone();
                once.sort_unstable();
                once.dedup();
                assert_eq!(once.len(), k, "an employee twice: {who:?}");
                let could = |e: usize| {
                    a.0[e][c.day] != Some(c.shift)
                        && p.employees[e].allowed[c.day]
                            .iter()
                            .any(|x| x.shift == c.shift)
                };
                let spare = |e: usize| {
                    p.cover.iter().any(|r| {
                        days.contains(&r.day)
                            && a.0[e][r.day] == Some(r.shift)
                            && held(&p, &a, r, |_| true) > r.requirement as usize
                    })
                };
                let n = p.employees.len();
                let first = k.div_ceil(2).min((0..n).filter(|&e| could(e)).count());
                assert!(who[..first].iter().all(|&e| could(e)), "{who:?}");
                let spares = (0..n)
                    .filter(|&e| spare(e) && !who[..first].contains(&e))
                    .count();
                let second = (k - first).min(spares);
                assert!(who[first..first + second].iter().all(|&e| spare(e)));
                spare_taken += second;
                checked += 1;
            }
        }
        assert!(checked >= 10, "{checked} short rows drawn");
        assert!(
            spare_taken >= 5,
            "{spare_taken} employees with spare cover taken"
        );
    }

    /// The far week freed with a round around a short row is a whole
    /// week, outside the round's days, in which the employee works a row
    /// over its requirement — on a weekend day where the row short is on
    /// a weekend and there is one — and there is none only where the
    /// employee works no such row.
    #[test]
    fn a_far_week_holds_work_the_cover_does_not_need() {
        let opts = RosterOptions {
            time_limit_s: 60.0,
            ..RosterOptions::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (mut found, mut on_weekends) = (0, 0);
        for seed in 0..6 {
            let p = testing::problem_over(500 + seed, 8, 3);
            let a = made_for_other_cover(&p, &opts);
            let worked = worked_rows(&p, &a);
            let days = 14..21;
            for e in 0..p.employees.len() {
                let spare_on = |d: usize| {
                    !days.contains(&d)
                        && p.cover.iter().zip(&worked).any(|(c, &w)| {
                            c.day == d && w > c.requirement as usize && a.0[e][d] == Some(c.shift)
                        })
                };
                let any = (0..p.days).any(spare_on);
                let any_weekend = (0..p.days).any(|d| d % 7 >= 5 && spare_on(d));
                for weekend in [false, true] {
                    match spare_week(&p, &a, &worked, e, &days, weekend, &mut rng) {
                        Some(week) => {
                            assert_eq!(week.start % 7, 0);
                            assert_eq!(week.len(), 7);
                            let wanted = |d: &usize| {
                                spare_on(*d) && (!weekend || !any_weekend || d % 7 >= 5)
                            };
                            assert!(week.clone().any(|d| wanted(&d)), "e{e}: {week:?}");
                            found += 1;
                            on_weekends += usize::from(weekend && any_weekend);
                        }
                        None => assert!(!any, "seed {seed} e{e}: a spare row left out"),
                    }
                }
            }
        }
        assert!(found >= 20, "{found} far weeks");
        assert!(on_weekends >= 5, "{on_weekends} far weekends");
    }

    /// The kind of round whose rounds better the roster most for their
    /// cost runs most, the others still drawn now and then, and the
    /// preference follows when another kind starts to pay.
    #[test]
    fn the_kind_that_pays_runs_most() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut paying = Paying::new(4);
        let mut runs = [[0usize; 4]; 2];
        for round in 0..2_000 {
            let k = paying.choose(round, &mut rng);
            let half = round / 1_000;
            runs[half][k] += 1;
            let pays = if half == 0 { 3 } else { 1 };
            let gain = if k == pays { 10.0 } else { 0.0 };
            paying.record(k, gain, 1.0);
        }
        assert!(runs[0][3] > 700, "{runs:?}");
        assert!(runs[1][1] > 700, "{runs:?}");
        assert!(runs.iter().flatten().all(|&r| r >= 30), "{runs:?}");
    }
}
