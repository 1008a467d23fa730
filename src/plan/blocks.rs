//! A part whose rows fall into blocks once a few rows are set aside, where
//! those few rows all count one integer quantity summed over the blocks, is
//! solved block by block and joined exactly by dynamic programming.
//!
//! Internet Telecom's bank cell is the case: its 12 full-time agents work
//! exactly 60 shifts a week (the `days` and `hours` rows, three multiples
//! of one count of shifts), and nothing else joins its six days. Each
//! day's priced service (which half-hours to serve, one `on` binary each)
//! is a MIP of 150 columns HiGHS solves in a fraction of a second for a
//! given number of shifts; the week is the cheapest choice of a count per
//! day that adds up to what the weekly rows allow. HiGHS on the whole cell
//! cannot close that gap: its LP spreads the shifts fractionally over the
//! days, and its tree branches on the `on` binaries of all six days at
//! once (`docs/model.md` §5, "Priced SLAs" in `docs/performance.md`).
//!
//! The method (a resource-constrained decomposition; with one shared
//! resource, Lagrangian relaxation and this enumeration agree only when
//! each block's cost is convex in it, which the `on` binaries make it not):
//! 1. Set aside the largest rows, one at a time, up to [`MAX_LINKS`], until
//!    the other rows split the part into blocks. Every row set aside must
//!    be a multiple `αᵣ g·x` of one form `g` with integer coefficients on
//!    integer columns, so that each block contributes an integer
//!    `y_b = g·x_b` and the rows set aside bound `Y = Σ y_b` alone.
//! 2. Each block's range of `y_b` from its LP (minimum and maximum of
//!    `g·x_b`), narrowed by what the other blocks can contribute.
//! 3. For every block and value, the LP of the block's MIP with
//!    `g·x_b = y`: a bound `L_b(y)` on its cost for almost nothing.
//! 4. The week, lazily: the cheapest choice of one value per block whose
//!    sum the rows set aside allow, by the bounds `L_b`; each block MIP it
//!    uses that is not yet solved is solved (its cost `F_b(y)`, its bound
//!    raising `L_b(y)`), and the choice made again, until the cheapest
//!    choice by bounds uses solved block MIPs only, or the cheapest by
//!    the costs found is within the gap asked of it. The plan is the
//!    cheapest choice by `F_b`, the bound the cheapest by `L_b`: exact when
//!    the block MIPs it uses close their gaps. On the bank cell about four
//!    in five of its 78 block MIPs are solved before that (a day's LP
//!    with few shifts bounds it weakly), in about 10 s at `--gap 0.0001`.
//!
//! Deterministic: each block's MIP is capped in nodes ([`BLOCK_NODES`]),
//! the wall clock only a safety cap, and the blocks are solved in order.
//! A block MIP solved before in the same process is recalled, not solved
//! again ([`solve_cell`]): the verification's rounds re-plan parts their
//! corrections leave as they were. The block MIPs one choice uses are
//! solved side by side on rayon's pool.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;

use good_lp::IntoAffineExpression;
use highs::HighsModelStatus;

use super::mip::{sum, Mip, Values};
use super::parts::{join_row, root, sub_mip, within, Part};
use super::solve::{run, Limits, Phase, Run};
use super::PlanOptions;

/// The most rows set aside to split a part into blocks.
pub const MAX_LINKS: usize = 8;
/// The most values over all blocks (one LP each, and a MIP for those the
/// week may use).
pub const MAX_SOLVES: usize = 400;
/// Branch-and-bound nodes per block MIP: the bank cell's days need up to
/// 76 at a gap of 0 (measured with HiGHS 1.16 on the model `--write-lp`
/// writes).
pub const BLOCK_NODES: u64 = 5_000;

/// A part split into blocks joined by rows on one integer form.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocks {
    /// Each block's columns and rows, by number in the part.
    pub blocks: Vec<Part>,
    /// The form `g`: integer coefficient per column (absent: 0).
    pub form: Vec<(usize, f64)>,
    /// The rows set aside, as bounds on `Y = Σ g·x`: `alpha · Y + constant
    /// ≤ 0` (`= 0` where `equality`).
    pub links: Vec<Link>,
}

/// One row set aside: `alpha · Y + constant ≤ 0` (or `= 0`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub row: usize,
    pub alpha: f64,
    pub constant: f64,
    pub equality: bool,
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The blocks of `m`, if it has them (module docs, step 1).
pub fn decompose(m: &Mip) -> Option<Blocks> {
    let terms = m.row_terms();
    let mut order: Vec<usize> = (0..terms.len()).filter(|&r| !terms[r].is_empty()).collect();
    order.sort_by(|&a, &b| terms[b].len().cmp(&terms[a].len()).then(a.cmp(&b)));
    let mut form: Vec<(usize, f64)> = Vec::new();
    let mut links = Vec::new();
    for l in 0..MAX_LINKS.min(order.len().saturating_sub(1)) {
        let r = order[l];
        let t = &terms[r];
        let alpha = if form.is_empty() {
            if t.iter().any(|&(c, _)| !m.columns[c].integer) {
                return None;
            }
            let base = t.iter().map(|(_, k)| k.abs()).fold(f64::INFINITY, f64::min);
            for &(c, k) in t {
                let g = k / base;
                if !near(g, g.round()) {
                    return None;
                }
                form.push((c, g.round()));
            }
            base
        } else {
            if t.len() != form.len() || t.iter().zip(&form).any(|(a, b)| a.0 != b.0) {
                return None;
            }
            let alpha = t[0].1 / form[0].1;
            if t.iter().zip(&form).any(|(a, b)| !near(a.1, alpha * b.1)) {
                return None;
            }
            alpha
        };
        let row = &m.rows[r];
        links.push(Link {
            row: r,
            alpha,
            constant: row.expression().constant(),
            equality: row.is_equality(),
        });
        match split(m.columns.len(), &terms, &order[l + 1..]) {
            Split::Blocks(blocks) if blocks.len() >= 2 => {
                return Some(Blocks {
                    blocks,
                    form,
                    links,
                })
            }
            Split::Blocks(_) => {}
            Split::Stranded => return None,
        }
    }
    None
}

enum Split {
    Blocks(Vec<Part>),
    /// A column in none of the rows left: setting more rows aside strands
    /// more.
    Stranded,
}

/// The parts `rows` join the `n` columns into.
fn split(n: usize, terms: &[Vec<(usize, f64)>], rows: &[usize]) -> Split {
    let mut parent: Vec<usize> = (0..n).collect();
    let mut seen = vec![false; n];
    for &r in rows {
        for &(c, _) in &terms[r] {
            seen[c] = true;
        }
        join_row(&mut parent, terms[r].iter().map(|t| t.0));
    }
    if seen.iter().any(|s| !s) {
        return Split::Stranded;
    }
    let mut by_root: std::collections::BTreeMap<usize, Part> = Default::default();
    for c in 0..n {
        let r = root(&mut parent, c);
        by_root
            .entry(r)
            .or_insert_with(|| Part {
                cols: Vec::new(),
                rows: Vec::new(),
            })
            .cols
            .push(c);
    }
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    for r in sorted {
        let root = root(&mut parent, terms[r][0].0);
        if let Some(p) = by_root.get_mut(&root) {
            p.rows.push(r);
        }
    }
    Split::Blocks(by_root.into_values().collect())
}

/// One block at one value of its form: its LP's bound, then its MIP's
/// outcome.
struct Cell {
    /// Best cost found (`None`: none found, or infeasible).
    cost: Option<f64>,
    /// A lower bound (`+∞` when proven infeasible; `None`: not known).
    bound: Option<f64>,
    values: Option<Values>,
    /// Solved to the gap, or proven infeasible.
    closed: bool,
    /// Solved as a MIP (or its LP infeasible).
    solved: bool,
}

/// The cheapest choice of one value per block (module docs, step 4):
/// `of(b, y)` the cost of block `b` at `lo[b] + y`, `None` where none;
/// the total's allowed range `[total_lo, total_hi]`. Returns the total and
/// each block's offset.
fn join(
    lo: &[i64],
    widths: &[usize],
    total: (i64, i64),
    of: impl Fn(usize, usize) -> Option<f64>,
) -> Option<(f64, Vec<usize>)> {
    let base: i64 = lo.iter().sum();
    let span: usize = widths.iter().map(|w| w - 1).sum::<usize>() + 1;
    // best[s]: cheapest cost of the blocks so far adding up to base + s.
    let mut best: Vec<Option<f64>> = vec![None; span];
    best[0] = Some(0.0);
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(widths.len());
    for (b, &w) in widths.iter().enumerate() {
        let mut next: Vec<Option<f64>> = vec![None; span];
        let mut choice = vec![usize::MAX; span];
        for (s, cost) in best.iter().enumerate() {
            let Some(c) = cost else { continue };
            for y in 0..w {
                if let Some(f) = of(b, y) {
                    let t = s + y;
                    if next[t].is_none_or(|n| c + f < n) {
                        next[t] = Some(c + f);
                        choice[t] = y;
                    }
                }
            }
        }
        back.push(choice);
        best = next;
    }
    let (mut s, cost) = best
        .iter()
        .enumerate()
        .filter(|(s, _)| {
            let t = base + *s as i64;
            t >= total.0 && t <= total.1
        })
        .filter_map(|(s, c)| c.map(|c| (s, c)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))?;
    let mut ys = vec![0; widths.len()];
    for b in (0..widths.len()).rev() {
        ys[b] = back[b][s];
        s -= ys[b];
    }
    Some((cost, ys))
}

/// Block MIPs solved in this process, by their fingerprint and the
/// options that steer HiGHS (gap, seed, threads).
static SOLVED: Mutex<BTreeMap<Vec<u64>, Run>> = Mutex::new(BTreeMap::new());

/// [`SOLVED`], whatever a thread that panicked holding it left (entries are
/// whole outcomes, inserted at once).
fn solved() -> std::sync::MutexGuard<'static, BTreeMap<Vec<u64>, Run>> {
    SOLVED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The most block MIPs kept in [`SOLVED`] (then it starts afresh): on
/// Internet Telecom's bank cell a key is about 3,200 numbers and an
/// outcome 150, some 27 KB in all, so at most about 28 MB; one plan of
/// that cell solves 60 to 80 of them (measured 2026-12-05).
pub const MEMO_CELLS: usize = 1_024;

/// One block MIP at one value, or its outcome from an earlier solve of
/// the same MIP in this process. The verification's rounds plan the week
/// again with corrections that most often leave a part untouched
/// (Internet Telecom's bank cell is priced, so never corrected): its block
/// MIPs are the same problems, and their deterministic solves (capped in
/// nodes, [`BLOCK_NODES`]) the same outcomes. Outcomes cut by the wall
/// clock are not kept (another run could get further). A kept outcome
/// counts the work it took when solved, so the plan's counters do not
/// depend on what ran before it.
fn solve_cell(m: &Mip, limits: Limits, opts: &PlanOptions) -> Run {
    let mut key = m.fingerprint();
    key.extend([
        opts.gap.to_bits(),
        u64::from(opts.seed),
        u64::from(opts.threads),
    ]);
    if let Some(r) = solved().get(&key).cloned() {
        return r;
    }
    let r = run(m, Phase::Block, None, limits, opts, None);
    if r.model_status != HighsModelStatus::ReachedTimeLimit {
        let mut s = solved();
        if s.len() >= MEMO_CELLS {
            s.clear();
        }
        s.insert(key, r.clone());
    }
    r
}

/// Solves `m` by its blocks `b` within `limits` (module docs, steps 2–4).
/// `None` where the method does not apply after all (a block's range
/// unbounded, too many values, no total the rows set aside allow), so the
/// caller searches the part whole.
pub(super) fn solve(m: &Mip, b: &Blocks, limits: &Limits, opts: &PlanOptions) -> Option<Run> {
    let started = std::time::Instant::now();
    let g: HashMap<usize, f64> = b.form.iter().copied().collect();
    let mut iterations = 0;
    let mut nodes = 0;
    let relaxed = |sub: &Mip| {
        run(
            sub,
            Phase::Relaxed,
            None,
            Limits::seconds(limits.seconds),
            opts,
            None,
        )
    };
    // Step 2: each block's range of g·x from its LP.
    let mut range = Vec::with_capacity(b.blocks.len());
    for block in &b.blocks {
        let mut ends = [0.0; 2];
        for (k, sign) in [1.0, -1.0].into_iter().enumerate() {
            let mut sub = sub_mip(m, block);
            for (i, &c) in block.cols.iter().enumerate() {
                sub.columns[i].cost = sign * g.get(&c).copied().unwrap_or(0.0);
            }
            let lp = relaxed(&sub);
            iterations += lp.iterations;
            if lp.model_status != HighsModelStatus::Optimal {
                return None;
            }
            ends[k] = sign * lp.objective?;
        }
        range.push((
            (ends[0] - 1e-6).ceil() as i64,
            (ends[1] + 1e-6).floor() as i64,
        ));
    }
    // The total the rows set aside allow.
    let (sum_lo, sum_hi) = (
        range.iter().map(|r| r.0).sum::<i64>(),
        range.iter().map(|r| r.1).sum::<i64>(),
    );
    let (mut total_lo, mut total_hi) = (sum_lo, sum_hi);
    for l in &b.links {
        let at = -l.constant / l.alpha;
        if l.equality || l.alpha < 0.0 {
            total_lo = total_lo.max((at - 1e-6).ceil() as i64);
        }
        if l.equality || l.alpha > 0.0 {
            total_hi = total_hi.min((at + 1e-6).floor() as i64);
        }
    }
    if total_lo > total_hi {
        return None;
    }
    let narrowed: Vec<(i64, i64)> = range
        .iter()
        .map(|&(lo, hi)| {
            (
                lo.max(total_lo - (sum_hi - hi)),
                hi.min(total_hi - (sum_lo - lo)),
            )
        })
        .collect();
    if narrowed.iter().any(|(lo, hi)| lo > hi) {
        return None;
    }
    let widths: Vec<usize> = narrowed
        .iter()
        .map(|(lo, hi)| (hi - lo + 1) as usize)
        .collect();
    let solves: usize = widths.iter().sum();
    if solves > MAX_SOLVES {
        return None;
    }
    // Step 3: every block at every value, in its LP first: a bound on
    // each cell for nothing, and the cells no cheapest week can use are
    // never solved as MIPs.
    let lo: Vec<i64> = narrowed.iter().map(|r| r.0).collect();
    let total = (total_lo, total_hi);
    let cell_mip = |k: usize, y: usize| {
        let block = &b.blocks[k];
        let mut sub = sub_mip(m, block);
        let terms: Vec<(f64, super::mip::Col)> = block
            .cols
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                g.get(c).map(|&k| {
                    (
                        k,
                        super::mip::Col {
                            index: i,
                            var: sub.columns[i].var,
                        },
                    )
                })
            })
            .collect();
        sub.row("form".into(), sum(terms).eq((lo[k] + y as i64) as f64));
        sub
    };
    let mut cells: Vec<Vec<Cell>> = Vec::with_capacity(b.blocks.len());
    for (k, &w) in widths.iter().enumerate() {
        let mut row = Vec::with_capacity(w);
        for y in 0..w {
            let lp = relaxed(&cell_mip(k, y));
            iterations += lp.iterations;
            let infeasible = lp.model_status == HighsModelStatus::Infeasible;
            row.push(Cell {
                cost: None,
                bound: if infeasible {
                    Some(f64::INFINITY)
                } else {
                    lp.objective
                        .filter(|_| lp.model_status == HighsModelStatus::Optimal)
                },
                values: None,
                closed: infeasible,
                solved: infeasible,
            });
        }
        cells.push(row);
    }
    if cells.iter().flatten().any(|c| c.bound.is_none()) {
        // A cell's LP without an optimum (unbounded): not this method's case.
        return None;
    }
    // Step 4, lazily: the cheapest week by the cells' bounds; where it
    // uses a cell not yet solved as a MIP, solve it and look again. When
    // the week by bounds uses only solved cells, its bound is the week's.
    let lower = |cells: &Vec<Vec<Cell>>| {
        join(&lo, &widths, total, |k, y| {
            cells[k][y].bound.filter(|b| b.is_finite())
        })
    };
    let mut solved = 0;
    while let Some((bound, ys)) = lower(&cells) {
        let open: Vec<usize> = (0..widths.len())
            .filter(|&k| !cells[k][ys[k]].solved)
            .collect();
        if open.is_empty() {
            break;
        }
        // The best week of the solved cells is already within the gap of
        // the bound: no cell solved more can matter to the gap asked.
        let plan = join(&lo, &widths, total, |k, y| cells[k][y].cost);
        if plan.is_some_and(|(cost, _)| within(cost, bound, opts)) {
            break;
        }
        let left = limits.seconds - started.elapsed().as_secs_f64();
        if left <= 0.0 {
            break;
        }
        crate::progress::note(format!(
            "blocks {} at {} (block MIPs {} to {})",
            open.iter()
                .map(|k| (k + 1).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            open.iter()
                .map(|&k| (lo[k] + ys[k] as i64).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            solved + 1,
            solved + open.len()
        ));
        // The cells one choice uses are independent MIPs: solved side by
        // side (each capped in nodes, so each outcome is the same however
        // many run at once), taken in block order.
        let runs: Vec<Run> = open
            .par_iter()
            .map(|&k| {
                let cell_limits = Limits {
                    seconds: left,
                    nodes: Some(BLOCK_NODES),
                    first_only: false,
                };
                solve_cell(&cell_mip(k, ys[k]), cell_limits, opts)
            })
            .collect();
        for (&k, r) in open.iter().zip(runs) {
            let y = ys[k];
            iterations += r.iterations;
            nodes += r.nodes;
            solved += 1;
            let infeasible = r.model_status == HighsModelStatus::Infeasible;
            let c = &mut cells[k][y];
            c.cost = r.objective;
            c.values = r.values;
            c.solved = true;
            c.closed = infeasible || r.model_status == HighsModelStatus::Optimal;
            c.bound = if infeasible {
                Some(f64::INFINITY)
            } else {
                // HiGHS's bound, never below the LP's.
                match (c.bound, r.bound) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                }
            };
        }
        if limits.seconds <= started.elapsed().as_secs_f64() {
            break;
        }
    }
    let best = join(&lo, &widths, total, |k, y| cells[k][y].cost);
    // No value allowed has a plan: the part has none.
    let bound = Some(lower(&cells).map_or(f64::INFINITY, |(b, _)| b));
    let closed =
        lower(&cells).is_none_or(|(_, ys)| (0..widths.len()).all(|k| cells[k][ys[k]].closed));
    let (objective, values) = match best {
        Some((cost, ys)) => {
            let mut v = vec![0.0; m.columns.len()];
            for (k, block) in b.blocks.iter().enumerate() {
                let cell = &cells[k][ys[k]];
                let p = cell.values.as_ref().expect("a cell with a cost has values");
                for (i, &c) in block.cols.iter().enumerate() {
                    v[c] = p.0[i];
                }
            }
            (Some(cost), Some(Values(v)))
        }
        None => (None, None),
    };
    let model_status = match (&objective, bound, closed) {
        (None, Some(b), true) if b == f64::INFINITY => HighsModelStatus::Infeasible,
        (Some(_), Some(_), true) => HighsModelStatus::Optimal,
        (Some(o), Some(b), false) if within(*o, b, opts) => HighsModelStatus::Optimal,
        _ if started.elapsed().as_secs_f64() >= limits.seconds => {
            HighsModelStatus::ReachedTimeLimit
        }
        _ => HighsModelStatus::ReachedSolutionLimit,
    };
    Some(Run {
        model_status,
        has_solution: values.is_some(),
        objective,
        bound: bound.filter(|b| b.is_finite()),
        iterations,
        nodes,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::mip::CostLine;
    use crate::plan::solve::run;

    /// Three days, each of whose service is bought in whole shifts with a
    /// step (a day served only from two shifts on), joined by a weekly
    /// count of shifts: not convex per day, so a price per shift alone
    /// would not find the week's optimum; the blocks do, and match HiGHS
    /// on the whole.
    fn week(total: f64, equality: bool) -> Mip {
        let mut m = Mip::new();
        let mut shifts = Vec::new();
        for (d, (need, miss)) in [(2.0, 50.0), (3.0, 40.0), (1.0, 30.0)]
            .into_iter()
            .enumerate()
        {
            let x = m.col(
                format!("x{d}"),
                0.0,
                Some(4.0),
                true,
                10.0,
                CostLine::InHouse,
            );
            let on = m.col(
                format!("on{d}"),
                0.0,
                Some(1.0),
                true,
                0.0,
                CostLine::InHouse,
            );
            let short = m.col(
                format!("s{d}"),
                0.0,
                Some(1.0),
                false,
                miss,
                CostLine::Penalties,
            );
            // Served only when x ≥ need: on ≤ x / need; a miss costs `miss`.
            m.row(format!("on{d}"), sum([(need, on), (-1.0, x)]).leq(0.0));
            m.row(format!("miss{d}"), sum([(1.0, short), (1.0, on)]).geq(1.0));
            shifts.push(x);
        }
        let all = sum(shifts.iter().map(|&x| (1.0, x)));
        if equality {
            m.row("week".into(), all.eq(total));
        } else {
            m.row("week".into(), all.clone().leq(total));
            m.row(
                "hours".into(),
                sum(shifts.iter().map(|&x| (-7.0, x))).leq(-7.0 * total),
            );
        }
        m
    }

    #[test]
    fn days_joined_by_a_weekly_count_are_solved_by_blocks_to_the_whole_optimum() {
        let opts = PlanOptions {
            gap: 0.0,
            ..PlanOptions::default()
        };
        for (total, equality) in [(5.0, true), (4.0, false), (6.0, true), (3.0, false)] {
            let m = week(total, equality);
            let b = decompose(&m).expect("three days joined by the week's rows");
            assert_eq!(b.blocks.len(), 3);
            assert_eq!(b.links.len(), if equality { 1 } else { 2 });
            let blocks = solve(&m, &b, &Limits::seconds(60.0), &opts).expect("the method applies");
            let whole = run(&m, Phase::Full, None, Limits::seconds(60.0), &opts, None);
            assert_eq!(blocks.model_status, HighsModelStatus::Optimal, "{total}");
            let (o, w) = (blocks.objective.unwrap(), whole.objective.unwrap());
            assert!((o - w).abs() < 1e-6, "total {total}: blocks {o}, whole {w}");
            assert!((blocks.bound.unwrap() - w).abs() < 1e-6);
            let v = blocks.values.unwrap();
            let used: f64 = (0..3).map(|d| v.0[3 * d]).sum();
            assert!((used - total).abs() < 1e-6, "{:?}", v.0);
        }
        // 5 shifts: days 0 and 1 served (2 + 3), day 2 missed (30): 80.
        let m = week(5.0, true);
        let r = solve(&m, &decompose(&m).unwrap(), &Limits::seconds(60.0), &opts).unwrap();
        assert!((r.objective.unwrap() - 80.0).abs() < 1e-6);
    }

    /// Block MIPs solved so far with HiGHS's seed `seed` (each test its
    /// own: the memo is the process's, and tests run side by side).
    fn memo(seed: u32) -> usize {
        solved()
            .keys()
            .filter(|k| k[k.len() - 2] == u64::from(seed))
            .count()
    }

    /// The verification's rounds plan a part its corrections did not touch
    /// again: its block MIPs come from the memo, with the same plan and the
    /// same counters, and nothing is solved twice.
    #[test]
    fn a_block_mip_solved_before_is_not_solved_again() {
        let opts = PlanOptions {
            gap: 0.0,
            seed: 101,
            ..PlanOptions::default()
        };
        let m = week(5.0, true);
        let b = decompose(&m).unwrap();
        let first = solve(&m, &b, &Limits::seconds(60.0), &opts).unwrap();
        let solved = memo(101);
        assert!(solved >= 3, "one block MIP per day at least: {solved}");
        let again = solve(&m, &b, &Limits::seconds(60.0), &opts).unwrap();
        assert_eq!(memo(101), solved, "nothing solved twice");
        assert_eq!(again.objective, first.objective);
        assert_eq!(again.values.unwrap().0, first.values.unwrap().0);
        assert_eq!(
            (again.iterations, again.nodes),
            (first.iterations, first.nodes)
        );
        // Another gap asks HiGHS another question: solved anew.
        let looser = PlanOptions { gap: 0.5, ..opts };
        let _ = solve(&m, &b, &Limits::seconds(60.0), &looser).unwrap();
        assert!(memo(101) > solved);
    }

    /// The lazy search stops once the best week of the block MIPs solved
    /// is within the gap of the bound: a loose gap solves fewer of them.
    #[test]
    fn the_blocks_stop_at_the_gap_asked() {
        let m = week(5.0, true);
        let b = decompose(&m).unwrap();
        let count = |gap: f64, seed: u32| {
            let opts = PlanOptions {
                gap,
                seed,
                ..PlanOptions::default()
            };
            let r = solve(&m, &b, &Limits::seconds(60.0), &opts).unwrap();
            let (o, bound) = (r.objective.unwrap(), r.bound.unwrap());
            assert!(within(o, bound, &opts), "gap {gap}: {o} against {bound}");
            (memo(seed), o)
        };
        let (exact, best) = count(0.0, 102);
        let (loose, plan) = count(0.9, 103);
        assert!(loose < exact, "{loose} block MIPs at 90%, {exact} at 0");
        assert!(plan >= best - 1e-9);
    }

    #[test]
    fn rows_that_count_different_things_are_not_set_aside() {
        let mut m = week(5.0, true);
        // A second weekly row weighting day 0's shifts differently.
        let cols: Vec<_> = [0usize, 3, 6]
            .iter()
            .map(|&i| super::super::mip::Col {
                index: i,
                var: m.columns[i].var,
            })
            .collect();
        m.row(
            "weighted".into(),
            sum([(2.0, cols[0]), (1.0, cols[1]), (1.0, cols[2])]).leq(9.0),
        );
        assert_eq!(decompose(&m), None);
    }

    #[test]
    fn a_weekly_count_no_day_can_reach_leaves_the_week_without_a_plan() {
        let m = week(13.0, true);
        // Each day at most 4 shifts: 13 is out of reach before any MIP.
        let b = decompose(&m).unwrap();
        assert!(solve(&m, &b, &Limits::seconds(60.0), &PlanOptions::default()).is_none());
    }
}
