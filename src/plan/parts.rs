//! A week whose MIP falls into independent parts — no row joins them, as
//! when a skill group serves one queue alone that no one else serves
//! (Internet Telecom's bank cell) — is solved part by part: each part's
//! branch-and-bound explores its own tree, whose nodes cost a fraction of
//! the whole model's, and a part that closes its gap at once leaves its
//! budget to the others. The plan is the parts' plans side by side, its
//! cost and bound their sums, so every part within the gap puts the week
//! within it.

use std::collections::HashMap;

use good_lp::{Expression, IntoAffineExpression, Variable};

use highs::HighsModelStatus;

use super::mip::{Col, Mip, Values};
use super::solve::{run, Limits, Phase, Run};
use super::PlanOptions;

/// One independent part of a MIP: its columns and its rows, by number, in
/// creation order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub cols: Vec<usize>,
    pub rows: Vec<usize>,
}

/// The MIP's independent parts, ordered by integer columns, most first
/// (ties: first column first). Columns in no row join the first part.
pub fn parts(m: &Mip) -> Vec<Part> {
    let n = m.columns.len();
    let index = m.column_numbers();
    let mut parent: Vec<usize> = (0..n).collect();
    // Each row's first column, to find its part once the columns are joined.
    let mut row_first: Vec<Option<usize>> = Vec::with_capacity(m.rows.len());
    for r in &m.rows {
        let cols = r.expression().linear_coefficients().map(|(v, _)| index[&v]);
        row_first.push(join_row(&mut parent, cols));
    }
    let mut by_root: std::collections::BTreeMap<usize, Part> = Default::default();
    for (r, first) in row_first.iter().enumerate() {
        // A row without terms constrains nothing the solver can change.
        if let Some(&c) = first.as_ref() {
            let root = root(&mut parent, c);
            by_root
                .entry(root)
                .or_insert_with(|| Part {
                    cols: Vec::new(),
                    rows: Vec::new(),
                })
                .rows
                .push(r);
        }
    }
    let mut loose = Vec::new();
    for c in 0..n {
        match by_root.get_mut(&root(&mut parent, c)) {
            Some(part) => part.cols.push(c),
            None => loose.push(c),
        }
    }
    let mut out: Vec<Part> = by_root.into_values().collect();
    let integers = |p: &Part| p.cols.iter().filter(|&&c| m.columns[c].integer).count();
    out.sort_by(|a, b| {
        integers(b)
            .cmp(&integers(a))
            .then(a.cols[0].cmp(&b.cols[0]))
    });
    match out.first_mut() {
        Some(first) => {
            first.cols.extend(loose);
            first.cols.sort_unstable();
        }
        None if !loose.is_empty() => out.push(Part {
            cols: loose,
            rows: Vec::new(),
        }),
        None => {}
    }
    out
}

/// One part of a MIP as [`search`] solves it: the part, its own MIP, its
/// blocks (`blocks.rs`) if it has them, and whether HiGHS's root node was
/// already tried on it and did not settle it ([`hard_blocks`]).
pub(super) struct Piece {
    part: Part,
    sub: Mip,
    blocks: Option<super::blocks::Blocks>,
    probed: bool,
}

/// `m`'s parts, each as its own MIP with its blocks, those with blocks
/// first: computed once per solve, for [`hard_blocks`] and [`search`].
/// Empty when `m` is one part without blocks, which is searched whole
/// (no copy made).
pub(super) fn split(m: &Mip) -> Vec<Piece> {
    let parts = parts(m);
    if parts.len() < 2 && super::blocks::decompose(m).is_none() {
        return Vec::new();
    }
    let mut pieces: Vec<Piece> = parts
        .into_iter()
        .map(|part| {
            let sub = sub_mip(m, &part);
            let blocks = super::blocks::decompose(&sub);
            Piece {
                part,
                sub,
                blocks,
                probed: false,
            }
        })
        .collect();
    pieces.sort_by_key(|p| p.blocks.is_none());
    pieces
}

/// Tries HiGHS's root node on each piece with blocks and marks those it
/// does not settle (`probed`): the parts the blocks will solve, whose hard
/// binaries RENS's neighbourhood leaves free (Internet Telecom's bank
/// cell, on which RENS spent its whole share). Returns whether there is
/// one, and the root nodes' work. [`search`] does not probe them again.
pub(super) fn hard_blocks(
    pieces: &mut [Piece],
    limits: &Limits,
    opts: &PlanOptions,
) -> (bool, Run) {
    let mut work = Run::nothing(HighsModelStatus::Optimal);
    let mut hard = false;
    for p in pieces.iter_mut().filter(|p| p.blocks.is_some()) {
        let root = run(&p.sub, Phase::Block, None, root_only(limits), opts, None);
        work.iterations += root.iterations;
        work.nodes += root.nodes;
        p.probed = !settled(&root, opts);
        hard |= p.probed;
    }
    (hard, work)
}

/// `limits` for HiGHS's root node alone.
fn root_only(limits: &Limits) -> Limits {
    Limits {
        seconds: limits.seconds,
        nodes: Some(1),
        first_only: false,
    }
}

/// Union–find: joins the columns `cols` of one row into one set of
/// `parent`; returns the row's first column (`None`: no terms).
pub(super) fn join_row(
    parent: &mut [usize],
    cols: impl IntoIterator<Item = usize>,
) -> Option<usize> {
    let mut first = None;
    for c in cols {
        match first {
            None => first = Some(c),
            Some(f) => {
                let (a, b) = (root(parent, f), root(parent, c));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    first
}

/// Union–find: the representative of `i` (paths halved on the way).
pub(super) fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The share of the budget a part with blocks leaves each part searched
/// by HiGHS after it.
const BLOCKS_RESERVE: f64 = 0.2;

/// `part` of `m` as a MIP of its own (creation order kept).
pub(super) fn sub_mip(m: &Mip, part: &Part) -> Mip {
    let mut sub = Mip {
        rens_reach: m.rens_reach,
        rens_share: m.rens_share,
        objective_step: m.objective_step,
        ..Mip::new()
    };
    let mut to_new: HashMap<Variable, Col> = HashMap::new();
    for &c in &part.cols {
        let col = &m.columns[c];
        let new = sub.col(
            col.name.clone(),
            col.lower,
            col.upper,
            col.integer,
            col.cost,
            col.line,
        );
        sub.columns[new.index].anchored = col.anchored;
        sub.columns[new.index].switch = col.switch;
        to_new.insert(col.var, new);
    }
    for &r in &part.rows {
        let row = &m.rows[r];
        let e = row.expression();
        let mut expr = Expression::with_capacity(8);
        for (var, k) in e.linear_coefficients() {
            expr.add_mul(k, to_new[&var].var);
        }
        // Stored as `expression ≤ 0` (or `= 0`), the constant inside.
        let constant = e.constant();
        let new = if row.is_equality() {
            expr.eq(-constant)
        } else {
            expr.leq(-constant)
        };
        sub.rows
            .push(new.set_name(row.name().unwrap_or("r").to_string()));
    }
    sub
}

/// The full MIP's search ([`run`]), part by part when `m` has
/// independent parts: each from `start` restricted to it, with an equal
/// share of what is left of `limits` (seconds, and nodes under a work
/// limit), so a part that closes its gap early leaves the rest to those
/// after it. The parts' results side by side: statuses combined (every
/// part optimal: optimal), costs and bounds summed (a part without a bound
/// of its own leaves none; the whole's LP bound, `floor`, is for a single
/// part's progress line, and [`Run::stats`] takes the better of the two).
pub(super) fn search(
    m: &Mip,
    pieces: Vec<Piece>,
    start: Option<&Values>,
    limits: Limits,
    opts: &PlanOptions,
    floor: Option<f64>,
) -> (Run, usize) {
    if pieces.is_empty() {
        return (run(m, Phase::Full, start, limits, opts, floor), 1);
    }
    let started = std::time::Instant::now();
    let count = pieces.len();
    let mut values = vec![0.0; m.columns.len()];
    let mut all = Run {
        has_solution: true,
        objective: Some(0.0),
        bound: Some(0.0),
        ..Run::nothing(HighsModelStatus::Optimal)
    };
    // Parts with blocks first ([`split`]), with all that is left but a
    // fifth for each part after them: their lazy search stops at the gap
    // (seconds at Internet Telecom's 50 agents, even at a gap of 0.01%;
    // about 40 s at 80), and HiGHS's trees, which may spend any budget
    // proving the last hundredth of a percent, share the rest equally.
    let trees = pieces.iter().filter(|p| p.blocks.is_none()).count();
    for (k, piece) in pieces.into_iter().enumerate() {
        let Piece {
            part,
            sub,
            blocks,
            probed,
        } = piece;
        let cols = &part.cols;
        let after = (count - k - 1) as f64;
        // The share of what is left this part may use.
        let share = if blocks.is_some() {
            (1.0 - BLOCKS_RESERVE * trees as f64).max(1.0 / (after + 1.0))
        } else {
            1.0 / (after + 1.0)
        };
        let part_limits = Limits {
            seconds: ((limits.seconds - started.elapsed().as_secs_f64()) * share).max(0.5),
            nodes: limits.nodes.map(|n| {
                let left = n.saturating_sub(all.nodes.max(0) as u64);
                ((left as f64 * share).ceil() as u64).max(1)
            }),
            first_only: limits.first_only,
        };
        let part_start = start.map(|v| Values(cols.iter().map(|&c| v.0[c]).collect()));
        crate::progress::note(format!(
            "searching part {} of {count} ({} columns, {} integer)",
            k + 1,
            cols.len(),
            sub.columns.iter().filter(|c| c.integer).count()
        ));
        let r = search_part(&sub, blocks, probed, part_start.as_ref(), part_limits, opts);
        all.iterations += r.iterations;
        all.nodes += r.nodes;
        all.objective = all.objective.zip(r.objective).map(|(a, b)| a + b);
        all.bound = all.bound.zip(r.bound).map(|(a, b)| a + b);
        all.has_solution &= r.has_solution;
        all.model_status = match (all.model_status, r.model_status) {
            (_, HighsModelStatus::Infeasible) => HighsModelStatus::Infeasible,
            (HighsModelStatus::Optimal, s) => s,
            (s, _) => s,
        };
        if let Some(p) = &r.values {
            for (j, &c) in cols.iter().enumerate() {
                values[c] = p.0[j];
            }
        }
        if all.model_status == HighsModelStatus::Infeasible {
            // One part without a plan is a week without one.
            all.has_solution = false;
            break;
        }
    }
    if !all.has_solution {
        all.objective = None;
    }
    all.values = all.has_solution.then_some(Values(values));
    (all, count)
}

/// One part's search. A part with blocks (`blocks.rs`) is first given to
/// HiGHS for its root node only, unless `probed` says it was and was not
/// settled: a part HiGHS closes there (Amen's days, whose every block is
/// solved at its root) keeps HiGHS's plan, as before blocks existed. Otherwise the blocks, then HiGHS on the whole part
/// from the best plan so far with what is left of `limits` unless the
/// blocks closed the gap; the better plan and the better bound of all.
fn search_part(
    sub: &Mip,
    blocks: Option<super::blocks::Blocks>,
    probed: bool,
    start: Option<&Values>,
    limits: Limits,
    opts: &PlanOptions,
) -> Run {
    let started = std::time::Instant::now();
    let Some(blocks) = blocks else {
        return run(sub, Phase::Full, start, limits, opts, None);
    };
    let left = |used: i64| Limits {
        seconds: (limits.seconds - started.elapsed().as_secs_f64()).max(0.5),
        nodes: limits
            .nodes
            .map(|n| n.saturating_sub(used.max(0) as u64).max(1)),
        first_only: limits.first_only,
    };
    let root = (!probed).then(|| run(sub, Phase::Full, start, root_only(&left(0)), opts, None));
    if let Some(r) = root.as_ref().filter(|r| settled(r, opts)) {
        return r.clone();
    }
    let root_nodes = root.as_ref().map_or(0, |r| r.nodes);
    let with_root = |r: Run| match root.clone() {
        Some(root) => better(root, r, opts),
        None => r,
    };
    let Some(d) = super::blocks::solve(sub, &blocks, &left(root_nodes), opts) else {
        let r = run(sub, Phase::Full, start, left(root_nodes), opts, None);
        return with_root(r);
    };
    let d = with_root(d);
    if settled(&d, opts) {
        crate::progress::note(format!(
            "solved by blocks: {}",
            d.objective
                .map_or("no plan".to_string(), |o| format!("{o:.2}"))
        ));
        return d;
    }
    let from = d.values.clone();
    let r = run(
        sub,
        Phase::Full,
        from.as_ref().or(start),
        left(d.nodes),
        opts,
        None,
    );
    better(d, r, opts)
}

/// Whether a run needs no more search: proven infeasible, or within the
/// gap.
fn settled(r: &Run, opts: &PlanOptions) -> bool {
    match r.model_status {
        HighsModelStatus::Infeasible | HighsModelStatus::Optimal => true,
        _ => r
            .objective
            .zip(r.bound)
            .is_some_and(|(o, b)| within(o, b, opts)),
    }
}

/// Whether a plan costing `o` is within the gap asked of a bound `b`.
pub(super) fn within(o: f64, b: f64, opts: &PlanOptions) -> bool {
    o - b <= opts.gap * o.abs().max(1e-9)
}

/// Two searches of one part as one: the better plan, the better bound,
/// the work of both; optimal when the two together are within the gap.
fn better(a: Run, b: Run, opts: &PlanOptions) -> Run {
    let infeasible = [&a, &b]
        .iter()
        .any(|r| r.model_status == HighsModelStatus::Infeasible);
    let (best, other) = match (a.objective, b.objective) {
        (Some(x), Some(y)) if y < x => (b, a),
        (None, Some(_)) => (b, a),
        _ => (a, b),
    };
    let mut r = best;
    r.iterations += other.iterations;
    r.nodes += other.nodes;
    r.bound = match (r.bound, other.bound) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    if infeasible && r.objective.is_none() {
        r.model_status = HighsModelStatus::Infeasible;
    } else if r
        .objective
        .zip(r.bound)
        .is_some_and(|(o, b)| within(o, b, opts))
    {
        r.model_status = HighsModelStatus::Optimal;
    } else if r.model_status == HighsModelStatus::Optimal {
        // The better plan came from a search that was not.
        r.model_status = other.model_status;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::mip::{sum, CostLine};

    fn limits() -> Limits {
        Limits {
            seconds: 60.0,
            nodes: None,
            first_only: false,
        }
    }

    /// Two covering problems that share nothing: searched apart, the same
    /// optimum as the whole, every row held, and a column in no row kept at
    /// its cheapest bound.
    #[test]
    fn independent_parts_are_searched_apart_to_the_whole_optimum() {
        let mut m = Mip::new();
        let int = |m: &mut Mip, name: &str, cost: f64| {
            m.col(name.into(), 0.0, Some(10.0), true, cost, CostLine::InHouse)
        };
        let a = int(&mut m, "a", 3.0);
        let c = int(&mut m, "c", 4.0);
        let b = int(&mut m, "b", 5.0);
        let d = m.col("d".into(), 0.0, Some(9.0), false, 1.0, CostLine::InHouse);
        let loose = m.col("e".into(), 2.0, Some(9.0), false, 1.0, CostLine::InHouse);
        // 2a + 5b ≥ 7: a = 1, b = 1 costs 8, the optimum.
        m.row("ab".into(), sum([(2.0, a), (5.0, b)]).geq(7.0));
        // 3c + d ≥ 4.5, d ≤ 1 + c: c = 1, d = 1.5 costs 5.5.
        m.row("cd".into(), sum([(3.0, c), (1.0, d)]).geq(4.5));
        m.row("dc".into(), sum([(1.0, d), (-1.0, c)]).leq(1.0));
        let found: Vec<Vec<usize>> = parts(&m).into_iter().map(|p| p.cols).collect();
        assert_eq!(found, vec![vec![0, 2, 4], vec![1, 3]]);
        let opts = PlanOptions::default();
        let whole = run(&m, Phase::Full, None, limits(), &opts, None);
        let (apart, count) = search(&m, split(&m), None, limits(), &opts, None);
        assert_eq!(count, 2);
        assert_eq!(apart.model_status, HighsModelStatus::Optimal);
        let (wv, av) = (whole.values.unwrap(), apart.values.unwrap());
        let cost = |v: &Values| -> f64 {
            m.columns
                .iter()
                .zip(&v.0)
                .map(|(col, x)| col.cost * x)
                .sum()
        };
        assert!((cost(&av) - 15.5).abs() < 1e-6, "{:?}", av.0);
        assert!((cost(&wv) - cost(&av)).abs() < 1e-6);
        assert!((apart.objective.unwrap() - 15.5).abs() < 1e-6);
        assert!((apart.bound.unwrap() - 15.5).abs() < 1e-6);
        assert!((av.of(loose) - 2.0).abs() < 1e-9);
        assert!(2.0 * av.of(a) + 5.0 * av.of(b) >= 7.0 - 1e-6);
        assert!(3.0 * av.of(c) + av.of(d) >= 4.5 - 1e-6);
        assert!(av.of(d) - av.of(c) <= 1.0 + 1e-6);
    }

    /// A part with no plan leaves the week without one.
    #[test]
    fn an_infeasible_part_makes_the_week_infeasible() {
        let mut m = Mip::new();
        let a = m.col("a".into(), 0.0, Some(1.0), true, 1.0, CostLine::InHouse);
        let b = m.col("b".into(), 0.0, Some(1.0), true, 1.0, CostLine::InHouse);
        m.row("a".into(), sum([(1.0, a)]).geq(0.5));
        m.row("b".into(), sum([(2.0, b)]).eq(1.0));
        let (r, count) = search(&m, split(&m), None, limits(), &PlanOptions::default(), None);
        assert_eq!(count, 2);
        assert_eq!(r.model_status, HighsModelStatus::Infeasible);
        assert!(r.values.is_none() && r.objective.is_none());
    }
}
