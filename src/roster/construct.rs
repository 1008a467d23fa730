//! A first roster that keeps every rule, where nothing else gave one: the
//! horizon in windows of [`WINDOW`] days, and in each window the
//! employees one at a time, each solved exactly (the pricing program of
//! [`super::columns`] for one employee, or their MIP, their minimum priced
//! far above everything else) against the cover the roster so far
//! leaves — a rolling, sequential construction; then whoever it left
//! short of their minimum mended ([`MEND`] days of their row solved again
//! at a time, the rest held, [`mend`]), and whoever is still short built
//! again over the whole horizon.
//!
//! Each step is a problem of its own over a short horizon: the days
//! before the window that its rules look back on (whole weeks, so that
//! weekends stay weekends), held to the roster so far; the window; and
//! [`LOOKAHEAD`] days after it, solved but only provisionally (the next
//! window solves them again), so that a stretch the window ends can still
//! be closed by the rules after it. What the employee worked before the
//! step's horizon is taken off their totals (minutes, shifts of each
//! kind, weekends), and the totals are held to the share of the horizon
//! the step reaches — the minimum pro rata and a shift ahead, the maxima
//! pro rata (minutes with room) — so that no window works ahead what the
//! later ones need, and none leaves them more than they can work. The last window holds the
//! totals exactly. A 364-day employee is then thirteen programs of six
//! weeks (milliseconds each), not one of 364 days (whose states the
//! program cannot hold on Instance 24, and whose MIP HiGHS solves in
//! 3 to 10 s).

use std::time::Instant;

use super::{model, Assignment, Cover, Employee, Problem, Request, RosterOptions};

/// Days a window commits.
pub const WINDOW: usize = 28;

/// Days after a window solved with it, provisionally.
pub const LOOKAHEAD: usize = 7;

/// The relative gap each step stops at: a first roster, to be improved.
const STEP_GAP: f64 = 0.01;

/// Shifts (of the longest) a window aims ahead of the pro-rata minimum.
const AHEAD: u32 = 1;

/// Room above the pro-rata share of the maximum minutes, in longest
/// shifts (shifts of a kind and weekends have none: what a window spends
/// ahead the last ones lack).
const ROOM: u32 = 2;

/// Builds the roster from `a` (its days are the ones held before the
/// first window: pass nobody working but the pinned days), window by
/// window and employee by employee; then mends each employee the windows
/// left short of their minimum ([`mend`]; a step at most [`MEND_LIMIT_S`]
/// seconds), and builds again over the whole horizon whoever is still
/// short, until `deadline`. A window's step has half an even share of the
/// time left (the rest is kept for the employees mended and built again),
/// an employee built again an even share; with a `work` budget each has
/// `nodes_per_step` nodes, the seconds a cap. A step that finds nothing
/// leaves its employee's days as they were. Returns the roster and the
/// nodes spent.
pub fn construct(
    p: &Problem,
    mut a: Assignment,
    deadline: Instant,
    work: Option<u64>,
    nodes_per_step: u64,
    opts: &RosterOptions,
) -> (Assignment, u64) {
    let n = p.employees.len();
    let mut spent = 0u64;
    // Runs one step with `share` of the time left; returns the nodes it
    // spent, `None` once out of time.
    let run = |a: &mut Assignment, e: usize, from: usize, len: usize, share: f64| {
        let nodes = work.map(|_| nodes_per_step);
        let sub_opts = step_options(deadline, nodes, |left| left * share, opts)?;
        let (mut row, mut nodes) = step(p, a, e, from, len, Hold::ProRata, &sub_opts);
        if row.is_none() && from + len < p.days {
            // The pro-rata maxima can leave no way to close a run the
            // last window left open (and leaving its provisional days
            // would keep a run that ended at that step's horizon, exempt
            // there, short here): the step again, held only to what the
            // days after it could not make up.
            let (again, more) = step(p, a, e, from, len, Hold::MakeUp, &sub_opts);
            row = again;
            nodes += more;
        }
        if let Some((start, days)) = row {
            a.0[e][start..start + days.len()].copy_from_slice(&days);
        }
        Some(nodes.max(1))
    };
    let windows: Vec<usize> = (0..p.days).step_by(WINDOW).collect();
    let steps = windows.len() * n;
    for (w, &from) in windows.iter().enumerate() {
        for e in 0..n {
            let done = w * n + e;
            let share = 0.5 / (steps - done) as f64;
            match run(&mut a, e, from, WINDOW + LOOKAHEAD, share) {
                Some(nodes) => spent += nodes,
                None => return (a, spent),
            }
        }
        crate::progress::note(format!(
            "first roster: day {} of {}",
            (from + WINDOW).min(p.days),
            p.days
        ));
    }
    let short = |a: &Assignment| {
        (0..n)
            .filter(|&e| p.minutes(&a.0[e]) < p.employees[e].min_minutes)
            .collect()
    };
    // Whoever the windows left short: first mended window by window (a
    // few weeks of theirs solved again, everything else held), then built
    // again over the whole horizon.
    let left: Vec<usize> = short(&a);
    for &e in &left {
        if Instant::now() >= deadline {
            return (a, spent);
        }
        spent += mend(p, &mut a, e, deadline, work.map(|_| nodes_per_step), opts);
    }
    let short: Vec<usize> = short(&a);
    for (i, &e) in short.iter().enumerate() {
        match run(&mut a, e, 0, p.days, 1.0 / (short.len() - i) as f64) {
            Some(nodes) => spent += nodes,
            None => break,
        }
    }
    (a, spent)
}

/// Days a mending step solves again, and the days between two of them.
const MEND: usize = 56;
const MEND_STRIDE: usize = 14;

/// Mends employee `e`, short of their minimum in `a`: windows of [`MEND`]
/// days of their row (every [`MEND_STRIDE`] days) solved again, one at a
/// time, the days around held and their totals held exactly, each window
/// asked for the whole shortfall and settling for the most it can gain
/// (a shift of the longest less at a time); passes over the windows until
/// the minimum is met or a pass gains nothing. A window's answer is kept
/// only if the employee works more. Returns the nodes spent.
pub fn mend(
    p: &Problem,
    a: &mut Assignment,
    e: usize,
    deadline: Instant,
    nodes: Option<u64>,
    opts: &RosterOptions,
) -> u64 {
    let emp = &p.employees[e];
    let starts: Vec<usize> = (0..p.days.saturating_sub(MEND) + MEND_STRIDE)
        .step_by(MEND_STRIDE)
        .filter(|&d| d < p.days)
        .collect();
    let mut spent = 0u64;
    loop {
        let mut gained = false;
        for &from in &starts {
            let now = p.minutes(&a.0[e]);
            if now >= emp.min_minutes {
                return spent;
            }
            let Some(sub_opts) = step_options(deadline, nodes, |l| l.min(MEND_LIMIT_S), opts)
            else {
                return spent;
            };
            let len = MEND.min(p.days - from);
            let (row, used) = step(p, a, e, from, len, Hold::Mend, &sub_opts);
            spent += used.max(1);
            if let Some((start, days)) = row {
                let mut tried = a.0[e].clone();
                tried[start..start + days.len()].copy_from_slice(&days);
                if p.minutes(&tried) > now {
                    a.0[e] = tried;
                    gained = true;
                }
            }
        }
        if !gained {
            break;
        }
    }
    spent
}

/// Employee `e`'s cheapest row over the `len` days from `from` against
/// the cover everyone else leaves in `a`, the days around held and their
/// totals exactly (the pricing program alone, milliseconds over a few
/// weeks): the whole row, or `None` where the program does not state the
/// rules or finds nothing by `deadline`. The row `a` has is one the
/// program could return, so the answer costs at most what it does.
pub(super) fn cheapest_row(
    p: &Problem,
    a: &Assignment,
    e: usize,
    from: usize,
    len: usize,
    deadline: Instant,
) -> Option<Vec<Option<usize>>> {
    let opts = RosterOptions {
        time_limit_s: deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64(),
        ..RosterOptions::default()
    };
    let (start, days) = step(p, a, e, from, len, Hold::Exact, &opts).0?;
    let mut row = a.0[e].clone();
    row[start..start + days.len()].copy_from_slice(&days);
    Some(row)
}

/// Employee `e` over days `h0..h1` only (`h0` a week's start, so that
/// weekends stay weekends; `h1` one too, or the horizon's end), `row` as
/// they work now: what they work outside `h0..after` taken off their
/// totals — `minutes` (least, most), the maxima of shifts of each kind as
/// `cap` makes them and of weekends as `weekend_cap` does; their requests
/// and pinned days in
/// the span moved to it, and the days of it outside `free` pinned to
/// `row`. With `after` the horizon's end the days after `h1` are left out
/// of the totals (a later step's to build).
pub(super) fn clip(
    p: &Problem,
    e: usize,
    row: &[Option<usize>],
    (h0, h1, after): (usize, usize, usize),
    free: impl Fn(usize) -> bool,
    (min_minutes, max_minutes): (u32, u32),
    (cap, weekend_cap): (impl Fn(u32) -> u32, impl Fn(u32) -> u32),
) -> Employee {
    let emp = &p.employees[e];
    let outside = || row[..h0].iter().chain(&row[after..]);
    let minutes_before = p.minutes(outside());
    let weekends_before = super::weekends_worked(&row[..h0])
        + (super::weekends_worked(row) - super::weekends_worked(&row[..after]));
    let shifted = |list: &[Request]| -> Vec<Request> {
        list.iter()
            .filter(|r| (h0..h1).contains(&r.day))
            .map(|r| Request {
                day: r.day - h0,
                ..r.clone()
            })
            .collect()
    };
    let mut pinned: Vec<(usize, Option<usize>)> = emp
        .pinned
        .iter()
        .filter(|(d, _)| (h0..h1).contains(d))
        .map(|&(d, s)| (d - h0, s))
        .collect();
    for d in (h0..h1).filter(|&d| !free(d)) {
        if !pinned.iter().any(|(pd, _)| *pd == d - h0) {
            pinned.push((d - h0, row[d]));
        }
    }
    Employee {
        id: emp.id.clone(),
        group: emp.group,
        allowed: emp.allowed[h0..h1].to_vec(),
        max_shifts: emp
            .max_shifts
            .iter()
            .enumerate()
            .map(|(s, m)| {
                m.map(|m| {
                    let used = outside().filter(|&&x| x == Some(s)).count() as u32;
                    cap(m).saturating_sub(used)
                })
            })
            .collect(),
        min_minutes: min_minutes.saturating_sub(minutes_before),
        max_minutes: max_minutes.saturating_sub(minutes_before),
        overtime: emp
            .overtime
            .map(|(from, price)| (from.saturating_sub(minutes_before), price)),
        max_weekends: emp
            .max_weekends
            .map(|m| weekend_cap(m).saturating_sub(weekends_before)),
        on_requests: shifted(&emp.on_requests),
        off_requests: shifted(&emp.off_requests),
        pinned,
        // From a later day the days held before it carry the stretches.
        run_before: if h0 == 0 { emp.run_before } else { 0 },
        off_before: if h0 == 0 {
            emp.off_before
        } else {
            crate::model::AgentCarry::SINCE_START
        },
        ..emp.clone()
    }
}

/// Days (whole weeks) a step holds around what it solves: enough for the
/// longest of `e`'s rules that looks back or ahead.
pub(super) fn held_around(e: &Employee) -> usize {
    let back = [
        e.max_consecutive.unwrap_or(0),
        e.min_consecutive,
        e.min_consecutive_off,
    ]
    .into_iter()
    .max()
    .unwrap_or(0) as usize
        + 1;
    back.div_ceil(7) * 7
}

/// A step's options: `seconds` of the time left until `deadline` (all of
/// it, a cap only, under a budget of `nodes`); `None` once out of time.
fn step_options(
    deadline: Instant,
    nodes: Option<u64>,
    seconds: impl Fn(f64) -> f64,
    opts: &RosterOptions,
) -> Option<RosterOptions> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    (left >= 0.01).then(|| RosterOptions {
        time_limit_s: if nodes.is_some() { left } else { seconds(left) },
        work_limit: nodes,
        gap: STEP_GAP,
        threads: opts.threads,
        seed: opts.seed,
        ..RosterOptions::default()
    })
}

/// Seconds one mending step may take.
const MEND_LIMIT_S: f64 = 5.0;

/// What a step holds its employee's totals to.
#[derive(Clone, Copy, PartialEq)]
enum Hold {
    /// Building: the share of the horizon the step reaches (pro rata).
    ProRata,
    /// Building: only what the days after the step could not make up.
    MakeUp,
    /// Mending a window of a built row, the days around it held: the
    /// employee's totals exactly (the minimum lowered, a shift of the
    /// longest at a time, to the most the window can gain).
    Mend,
    /// Improving a window of a built row, the days around it held: the
    /// employee's totals exactly, by the program alone.
    Exact,
}

/// How much of a window's share of the totals follows the cover, the rest
/// following the working days ([`reached`]). All of it by the cover, the
/// last four weeks of Instance 24 were left more than the employees' runs
/// can work there (about 27 shifts in 28 days each): they ended short of
/// their minimums, mending them took 150 s (the first roster 3 min 14 s,
/// against 1 min 3 s), and the roster ended at 79,607 in 600 s; half of it
/// by the cover, at 68,801 (2026-12-07, with the half-weekend price).
const PACE_BY_COVER: f64 = 0.5;

/// The share of employee `e`'s horizon that days `0..to` are:
/// [`PACE_BY_COVER`] of it the share of the cover they could work there
/// (each day weighing the minutes its cover rows require of the shifts
/// `e` may work that day, counting `e`'s group), the rest the share of
/// their working days (days not off) — so that where the cover grows
/// through the horizon the totals are spent more as it grows. (Instance
/// 24 asks 735,000 minutes in its first four weeks and 1,666,000 in its
/// last; paced by working days alone, its first roster over-covered the
/// first weeks and left the last 1,071 rows short of its 1,583,
/// 2026-12-07.) Where no cover is one `e` could work, the working days
/// alone.
fn reached(p: &Problem, e: usize, to: usize) -> f64 {
    let emp = &p.employees[e];
    let mut weight = vec![0.0; p.days];
    for c in p.cover.iter().filter(|c| could_work(emp, c)) {
        weight[c.day] += f64::from(c.requirement) * f64::from(p.shifts[c.shift].minutes);
    }
    let open = |days: std::ops::Range<usize>| {
        emp.allowed[days]
            .iter()
            .filter(|a| !a.is_empty())
            .count()
            .max(1) as f64
    };
    let by_days = open(0..to) / open(0..p.days);
    let total: f64 = weight.iter().sum();
    if total == 0.0 {
        return by_days;
    }
    let by_cover = weight[..to].iter().sum::<f64>() / total;
    PACE_BY_COVER * by_cover + (1.0 - PACE_BY_COVER) * by_days
}

/// Whether `emp` could work cover row `c`: its shift allowed them that
/// day, and the row for anyone or for their group.
fn could_work(emp: &Employee, c: &Cover) -> bool {
    emp.allowed[c.day].iter().any(|a| a.shift == c.shift) && c.group.is_none_or(|g| emp.group == g)
}

/// The share of employee `e`'s weekends that those before day `to` are,
/// each weekend weighing its busier day's cover rows that `e` could work
/// (requirements, counting `e`'s group): the pace of their weekends. The
/// weekends' cover need not grow as the rest does: Instance 24's last
/// four weeks ask 476 employee-weekends of the 3,448 of the year (14%),
/// against 13% of its cover and 8% of its days; paced with the cover
/// and days, its first roster left 127 of 150 employees no weekend to
/// work by the last four weeks, and 321 weekend rows short there; paced
/// so, 106 and 155 (2026-12-07, both with the weekend surplus price at
/// 30%). Where no weekend's cover is one `e` could work, [`reached`].
fn weekends_reached(p: &Problem, e: usize, to: usize) -> f64 {
    let emp = &p.employees[e];
    let weekends = p.days.div_ceil(7);
    let mut need = vec![[0u32; 2]; weekends];
    for c in p
        .cover
        .iter()
        .filter(|c| c.day % 7 >= 5 && could_work(emp, c))
    {
        need[c.day / 7][c.day % 7 - 5] += c.requirement;
    }
    let weight = |w: &[u32; 2]| f64::from(w[0].max(w[1]));
    let total: f64 = need.iter().map(weight).sum();
    if total == 0.0 {
        return reached(p, e, to);
    }
    // A weekend counts once its Saturday is before `to`.
    let before = need
        .iter()
        .enumerate()
        .filter(|(w, _)| 7 * w + 5 < to)
        .map(|(_, n)| weight(n))
        .sum::<f64>();
    before / total
}

/// Weekends are scarce where the employees working them must be at least
/// this share of the weekends they may work ([`scarce_weekend_row_price`]).
const SCARCE_WEEKENDS: f64 = 0.9;

/// The half-weekend price, as a share of what a weekend's cover row left
/// short costs (on average).
const HALF_WEEKEND_SHARE: f64 = 0.3;

/// What a weekend cover row over adds to its price, as a share of the
/// same: less than [`HALF_WEEKEND_SHARE`] by more than a row's over
/// weight, so that a weekend worked for one day's cover is worked whole
/// rather than on one day where the other's row is met. At 30%, one-day
/// weekends rose from 35 to 352 on Instance 23 and from 142 to 545 on 24,
/// and 23 ended 3% to 5% higher (2026-12-07).
const WEEKEND_SURPLUS_SHARE: f64 = 0.2;

/// The average price of a weekend cover row left short, where weekends
/// are scarce — the cover of the horizon's weekends needs, each weekend,
/// as many employees as its busier day, and those come to
/// [`SCARCE_WEEKENDS`] of all the weekends the employees may work or
/// more; zero where they are plentiful. Instances 22 (50 employees, 1,548
/// employee-weekends needed against 1,320 allowed) and 24 (3,448 against
/// 3,426) are scarce.
fn scarce_weekend_row_price(p: &Problem) -> f64 {
    let weekends = p.days / 7;
    let mut busiest = vec![[0u32; 2]; weekends];
    let (mut priced, mut rows) = (0.0, 0usize);
    for c in &p.cover {
        let (w, k) = (c.day / 7, c.day % 7);
        if w < weekends && k >= 5 {
            if let Some(under) = c.under_weight {
                busiest[w][k - 5] += c.requirement;
                priced += under;
                rows += 1;
            }
        }
    }
    let needed: u32 = busiest.iter().map(|d| d[0].max(d[1])).sum();
    let allowed: u32 = p
        .employees
        .iter()
        .map(|e| {
            e.max_weekends
                .map_or(weekends as u32, |m| m.min(weekends as u32))
        })
        .sum();
    if rows == 0 || f64::from(needed) < SCARCE_WEEKENDS * f64::from(allowed) {
        return 0.0;
    }
    priced / rows as f64
}

/// What a step prices a weekend worked on one day only at
/// ([`Employee::half_weekend_price`]): [`HALF_WEEKEND_SHARE`] of the
/// price of a weekend cover row short where weekends are scarce
/// ([`scarce_weekend_row_price`]), nothing elsewhere. A weekend worked on
/// one day spends a weekend of the employee's limit on half the cover it
/// could serve, and the windows built later run short of weekends:
/// Instances 22 and 24, paced as before, left 353 and 896 weekends
/// worked on one day in their first rosters (2026-12-07).
pub(super) fn half_weekend_price(p: &Problem) -> f64 {
    HALF_WEEKEND_SHARE * scarce_weekend_row_price(p)
}

/// What a step adds to the price of a weekend cover row over (where a
/// surplus is priced): [`WEEKEND_SURPLUS_SHARE`] of the price of a
/// weekend cover row short where weekends are scarce, nothing elsewhere.
/// Where employees must work about their maximum minutes, a window works
/// more than its cover asks (1 a row over on Instances 22 and 24); on a
/// weekend that surplus spends one of the employee's weekends, which a
/// later window with its weekend rows short (100 each) then lacks.
/// Instance 24's searched roster had 526 weekend rows over in its first
/// eleven four-week blocks and 425 short in its last five; 22, 160 over
/// and 354 short (2026-12-07).
pub(super) fn weekend_surplus_price(p: &Problem) -> f64 {
    WEEKEND_SURPLUS_SHARE * scarce_weekend_row_price(p)
}

/// The cover a step of employee `e` over days `h0..h1` (`h0` a week's
/// start) works against: what the others leave
/// ([`super::lns::cover_left`]), each weekend row's surplus dearer by
/// `surplus` ([`weekend_surplus_price`]).
fn step_cover(
    p: &Problem,
    a: &Assignment,
    e: usize,
    (h0, h1): (usize, usize),
    surplus: f64,
) -> Vec<Cover> {
    let mut cover = super::lns::cover_left(p, a, (h0, h1), |o| o != e);
    for c in cover.iter_mut().filter(|c| (h0 + c.day) % 7 >= 5) {
        if let Some(w) = c.over_weight.as_mut() {
            *w += surplus;
        }
    }
    cover
}

/// A step's answer: the first day it solved and the days from it.
type Days = (usize, Vec<Option<usize>>);

/// One step: employee `e` over the window from day `from`, the others as
/// `a` has them, the totals held pro rata (`pro_rata`) or only to what
/// the days after the step could not make up. Returns the first day
/// solved and the days from it, and the nodes spent.
fn step(
    p: &Problem,
    a: &Assignment,
    e: usize,
    from: usize,
    len: usize,
    hold: Hold,
    opts: &RosterOptions,
) -> (Option<Days>, u64) {
    let emp = &p.employees[e];
    let to = (from + len).min(p.days);
    // Whole weeks back, enough for the longest rule that looks back.
    let back = held_around(emp);
    let h0 = from.saturating_sub(back);
    // Mending, the days after the window its rules look ahead on are held
    // too (whole weeks again).
    let around = matches!(hold, Hold::Mend | Hold::Exact);
    let h1 = if around { (to + back).min(p.days) } else { to };
    let row = &a.0[e];
    // What is worked outside the step's horizon (taken off the totals):
    // before it, and — around a window — after it (building, the days
    // after are the later windows' to build).
    let after = if around { h1 } else { p.days };
    // The share of the employee's working horizon (days not off) the step
    // reaches.
    let pro_rata = hold == Hold::ProRata;
    let last = to == p.days || around;
    let share = reached(p, e, to);
    let weekend_share = weekends_reached(p, e, to);
    let longest = p.shifts.iter().map(|s| s.minutes).max().unwrap_or(0);
    let upto_by = |share: f64, max: u32, room: u32| -> u32 {
        if last || !pro_rata {
            max
        } else {
            ((f64::from(max) * share).ceil() as u32 + room).min(max)
        }
    };
    let upto = |max: u32, room: u32| upto_by(share, max, room);
    // A shift ahead of the pro-rata minimum (within the maximum): what
    // falls behind in one window is hard to catch up in the next.
    let max_minutes = upto(emp.max_minutes, ROOM * longest);
    // What the days after the step could still work at most: the step
    // must leave no more than that to them.
    let most: Vec<Option<u32>> = emp
        .allowed
        .iter()
        .map(|day| day.iter().map(|al| p.shifts[al.shift].minutes).max())
        .collect();
    let needed = emp
        .min_minutes
        .saturating_sub(super::columns::reachable(emp, &most)[to]);
    let min_minutes = if last {
        emp.min_minutes
    } else if !pro_rata {
        needed
    } else {
        ((f64::from(emp.min_minutes) * share).floor() as u32 + AHEAD * longest)
            .max(needed)
            .min(max_minutes)
    };
    let mut part = clip(
        p,
        e,
        row,
        (h0, h1, after),
        |d| (from..to).contains(&d),
        (min_minutes, max_minutes),
        (|m| upto(m, 0), |m| upto_by(weekend_share, m, 0)),
    );
    part.half_weekend_price = half_weekend_price(p);
    let cover = step_cover(p, a, e, (h0, h1), weekend_surplus_price(p));
    let sub = Problem {
        days: h1 - h0,
        shifts: p.shifts.clone(),
        employees: vec![part],
        cover,
        short_minute_price: p.short_minute_price,
        fairness: Vec::new(),
    };
    // The pricing program where it states the rules (exact, and far
    // faster than a MIP); the MIP, with the minimum elastic, where it does
    // not or finds nothing.
    let deadline = Instant::now() + std::time::Duration::from_secs_f64(opts.time_limit_s);
    // Where the pro-rata minimum cannot be met this window (days off
    // bunched in it), a shift less at a time, a few times.
    let mut days = None;
    // Mending, a shift less at a time down to a minute more than the
    // employee works there now: the most the window can gain.
    let floor = match hold {
        Hold::Mend => Some(p.minutes(&row[h0..h1]) + 1),
        _ => None,
    };
    let programmable = super::columns::programmable(&sub);
    if programmable {
        let mut lower = sub.clone();
        loop {
            days = super::columns::cheapest_alone(&lower, 0, deadline);
            let e = &mut lower.employees[0];
            let at_floor = floor.is_some_and(|f| e.min_minutes <= f);
            if days.is_some()
                || (last && floor.is_none())
                || at_floor
                || e.min_minutes == 0
                || Instant::now() >= deadline
            {
                break;
            }
            e.min_minutes = e
                .min_minutes
                .saturating_sub(longest)
                .max(floor.unwrap_or(0));
        }
    }
    // The step answers for the days from the window's first to the
    // horizon's last (held days after the window included: as they were).
    // Mending, the program is exact: nothing found is nothing to gain.
    if days.is_some() || (programmable && floor.is_some()) || hold == Hold::Exact {
        return (days.map(|days| (from, days[from - h0..].to_vec())), 0);
    }
    let built = model::build(&sub);
    let (stats, values) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
    let nodes = stats.nodes.max(0) as u64;
    let solved = values.map(|v| {
        let days = built.assignment(&sub, &v).0.remove(0);
        (from, days[from - h0..].to_vec())
    });
    (solved, nodes)
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use super::*;

    /// The share a window reaches follows the cover the employee could
    /// work there by half, their working days by the other: the share of
    /// their open days where the cover is even, less where it grows later.
    #[test]
    fn windows_are_paced_by_the_cover() {
        let mut p = testing::problem_over(3, 3, 2);
        for c in &mut p.cover {
            c.requirement = 1;
        }
        let open = |p: &Problem, e: usize, days: std::ops::Range<usize>| {
            p.employees[e].allowed[days]
                .iter()
                .filter(|a| !a.is_empty())
                .count() as f64
        };
        for e in 0..3 {
            let (first, second) = (open(&p, e, 0..14), open(&p, e, 14..28));
            let even = reached(&p, e, 14);
            assert!(
                (even - first / (first + second)).abs() < 1e-9,
                "e{e}: {even}"
            );
            let mut grown = p.clone();
            for c in grown.cover.iter_mut().filter(|c| c.day >= 14) {
                c.requirement = 2;
            }
            let later = reached(&grown, e, 14);
            let expected = PACE_BY_COVER * first / (first + 2.0 * second)
                + (1.0 - PACE_BY_COVER) * first / (first + second);
            assert!((later - expected).abs() < 1e-9, "e{e}: {later}");
            assert!(later < even);
            assert!((reached(&p, e, 28) - 1.0).abs() < 1e-12);
        }
    }

    /// Weekends are paced by their own cover: each weekend weighs its
    /// busier day's rows the employee could work, whatever the weekdays
    /// ask; a weekend counts from its Saturday.
    #[test]
    fn weekends_are_paced_by_their_own_cover() {
        let mut p = testing::problem_over(3, 3, 2);
        let every = super::super::curtois::unless_off(p.days, |_| false, &[0, 1, 2]);
        for c in &mut p.cover {
            // Weekend k: 1 + k of each shift on Saturday, 1 on Sunday; 5
            // of each every weekday.
            c.requirement = match c.day % 7 {
                5 => 1 + (c.day / 7) as u32,
                6 => 1,
                _ => 5,
            };
        }
        for e in 0..3 {
            for d in (0..p.days).filter(|d| d % 7 >= 5) {
                p.employees[e].allowed[d] = every[d].clone();
            }
            // Busier days of 3, 6, 9 and 12 rows: 30.
            for (to, share) in [(12, 0.1), (13, 0.3), (19, 0.3), (20, 0.6), (28, 1.0)] {
                let got = weekends_reached(&p, e, to);
                assert!((got - share).abs() < 1e-12, "e{e} to {to}: {got}");
            }
            // The cover's pace (weekdays outweigh) is not the weekends'.
            assert!(reached(&p, e, 13) > weekends_reached(&p, e, 13));
        }
        // No weekend cover: the cover's pace.
        for c in p.cover.iter_mut().filter(|c| c.day % 7 >= 5) {
            c.requirement = 0;
        }
        for e in 0..3 {
            assert!((weekends_reached(&p, e, 13) - reached(&p, e, 13)).abs() < 1e-12);
        }
    }

    /// The weekend steers are priced only where weekends are scarce:
    /// where their cover needs about as many employees as may work them.
    /// There a step's cover makes a weekend row's surplus dearer, and no
    /// weekday's.
    #[test]
    fn weekend_steers_are_priced_where_weekends_are_scarce() {
        let mut p = testing::problem_over(5, 3, 2);
        for (e, emp) in p.employees.iter_mut().enumerate() {
            emp.max_weekends = Some(2 + u32::from(e == 0));
        }
        let at = |requirement: u32| {
            let mut q = p.clone();
            for c in &mut q.cover {
                c.requirement = if c.day % 7 >= 5 && c.shift == 0 {
                    requirement
                } else {
                    0
                };
                c.under_weight = Some(50.0);
                c.over_weight = Some(1.0);
            }
            q
        };
        // Four weekends, each needing 2 employees (8) of the 7 allowed:
        // scarce; each needing 1 (4 of 7): plentiful.
        let (scarce, plentiful) = (at(2), at(1));
        assert!((half_weekend_price(&scarce) - HALF_WEEKEND_SHARE * 50.0).abs() < 1e-9);
        assert!(half_weekend_price(&plentiful).abs() < 1e-12);
        let surplus = WEEKEND_SURPLUS_SHARE * 50.0;
        assert!((weekend_surplus_price(&scarce) - surplus).abs() < 1e-9);
        assert!(weekend_surplus_price(&plentiful).abs() < 1e-12);
        // A weekend's second day worked over its cover (1 over, and the
        // surplus price) costs less than leaving it a one-day weekend.
        assert!(1.0 + weekend_surplus_price(&scarce) < half_weekend_price(&scarce));
        let nobody = super::super::pinned_only(&scarce);
        for (q, extra) in [(&scarce, surplus), (&plentiful, 0.0)] {
            // The second week's step: its days from 7, weekends at 5 and 6.
            let cover = step_cover(q, &nobody, 0, (7, 21), weekend_surplus_price(q));
            assert_eq!(
                cover.len(),
                q.cover.iter().filter(|c| (7..21).contains(&c.day)).count()
            );
            for c in &cover {
                let weekend = (7 + c.day) % 7 >= 5;
                let over = c.over_weight.unwrap();
                let want = 1.0 + if weekend { extra } else { 0.0 };
                assert!((over - want).abs() < 1e-9, "day {}: {over}", c.day);
            }
        }
    }
}
