//! The rostering MIP. Columns: `x[e,d,s]` (binary: employee `e` works
//! shift `s` on day `d`), one per shift the employee may work that day;
//! `weekend[e,k]` (binary: weekend `k` worked); `rest[e,d]` (binary: the
//! week's long rest is taken around day `d`); cover shortfall and surplus.
//! `w[e,d] = Σ_s x[e,d,s]` (at most one shift a day) is an expression.
//! Each rule is a family of rows named after it, so an LP dump reads.

use good_lp::Expression;

use super::{Assignment, Problem};
use crate::plan::mip::{sum, Col, CostLine, Mip, Values};

/// The built MIP and where its columns are.
pub struct Built {
    pub mip: Mip,
    /// Per employee and day: (shift, column).
    x: Vec<Vec<Vec<(usize, Col)>>>,
}

impl Built {
    /// Reads an assignment from a solution.
    pub fn assignment(&self, p: &Problem, v: &Values) -> Assignment {
        Assignment(
            (0..p.employees.len())
                .map(|e| {
                    (0..p.days)
                        .map(|d| {
                            self.x[e][d]
                                .iter()
                                .find(|(_, c)| v.of(*c) > 0.5)
                                .map(|(s, _)| *s)
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// `a` as a start for HiGHS: each shift column at what `a` works,
    /// every other column undefined (infinite), which HiGHS completes
    /// with the shifts held before its search (the weekends, the rest,
    /// the cover's shortfall and surplus follow from them).
    pub fn start(&self, a: &Assignment) -> Values {
        let mut v = vec![f64::INFINITY; self.mip.columns.len()];
        for (days, row) in self.x.iter().zip(&a.0) {
            for (shifts, worked) in days.iter().zip(row) {
                for &(s, c) in shifts {
                    v[c.index] = if *worked == Some(s) { 1.0 } else { 0.0 };
                }
            }
        }
        Values(v)
    }
}

/// Days of the calendar weeks in the horizon (the last may be short).
fn weeks(days: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..days).step_by(7).map(move |a| a..(a + 7).min(days))
}

/// Per employee and day: (shift, column).
type Shifts = Vec<Vec<Vec<(usize, Col)>>>;

/// States `p` as a MIP, in passes: the shift columns, then each
/// employee's rules (days, totals, runs, weekends, weekly rest, same
/// start), then fairness, cover and the requests' constant. The passes
/// run in this order so that columns and rows keep their numbering.
pub fn build(p: &Problem) -> Built {
    let mut m = Mip::new();
    // Yes/no columns: RENS proper fixes what the LP already decided.
    m.rens_reach = 0.0;
    // Small models: most of the time is better spent proving.
    m.rens_share = 0.1;
    if integral_objective(p) {
        m.objective_step = Some(1.0);
    }
    let x = shift_columns(&mut m, p);
    for (e, emp) in p.employees.iter().enumerate() {
        days(&mut m, p, &x, e);
        totals(&mut m, p, &x, e);
        runs(&mut m, p, &x, e);
        weekends(&mut m, p, &x, e, emp.max_weekends);
        if let Some(rest) = emp.weekly_rest_min {
            weekly_rest(&mut m, p, &x, e, i64::from(rest));
        }
        if let Some(w) = emp.same_start_weight.filter(|&w| w > 0.0) {
            same_start(&mut m, p, &x, e, w);
        }
    }
    fairness(&mut m, p, &x);
    cover(&mut m, p, &x);
    request_constant(&mut m, p);
    Built { mip: m, x }
}

/// Whether every price is a whole number, so that objectives step by one.
fn integral_objective(p: &Problem) -> bool {
    p.employees.iter().all(|e| {
        e.allowed.iter().flatten().all(|a| a.cost.fract() == 0.0)
            && e.on_requests
                .iter()
                .chain(&e.off_requests)
                .all(|r| r.weight.fract() == 0.0)
    }) && p.cover.iter().all(|c| {
        c.under_weight.unwrap_or(0.0).fract() == 0.0 && c.over_weight.unwrap_or(0.0).fract() == 0.0
    }) && p.fairness.iter().all(|f| f.weight.fract() == 0.0)
        && p.employees
            .iter()
            .all(|e| e.same_start_weight.unwrap_or(0.0).fract() == 0.0)
}

/// `x[e,d,s]` for every shift an employee may work on a day (pinned days
/// keep only the pinned shift, at a lower bound of one); requests priced
/// on them.
fn shift_columns(m: &mut Mip, p: &Problem) -> Shifts {
    let mut x: Shifts = Vec::with_capacity(p.employees.len());
    for emp in &p.employees {
        let mut per_day = Vec::with_capacity(p.days);
        for d in 0..p.days {
            let pinned = emp.pinned.iter().find(|(pd, _)| *pd == d).map(|(_, s)| *s);
            let mut cols = Vec::new();
            for a in &emp.allowed[d] {
                if matches!(pinned, Some(ps) if ps != Some(a.shift)) {
                    continue;
                }
                // Requests are priced on x; an on-request's constant is
                // added back in `objective`.
                let request: f64 = emp
                    .off_requests
                    .iter()
                    .filter(|r| r.day == d && r.shifts.contains(&a.shift))
                    .map(|r| r.weight)
                    .sum::<f64>()
                    - emp
                        .on_requests
                        .iter()
                        .filter(|r| r.day == d && r.shifts.contains(&a.shift))
                        .map(|r| r.weight)
                        .sum::<f64>();
                let lower = if pinned == Some(Some(a.shift)) {
                    1.0
                } else {
                    0.0
                };
                let col = m.col(
                    format!("x[{},{d},{}]", emp.id, p.shifts[a.shift].id),
                    lower,
                    Some(1.0),
                    true,
                    a.cost + request,
                    CostLine::InHouse,
                );
                m.anchor(col);
                cols.push((a.shift, col));
            }
            per_day.push(cols);
        }
        x.push(per_day);
    }
    x
}

/// `w[e,d]`: whether employee `e` works day `d`.
fn work(x: &Shifts, e: usize, d: usize) -> Expression {
    sum(x[e][d].iter().map(|(_, c)| (1.0, *c)))
}

/// At most one shift a day, and successions: fixed ones, and those too
/// close for the rest.
fn days(m: &mut Mip, p: &Problem, x: &Shifts, e: usize) {
    let emp = &p.employees[e];
    let id = &emp.id;
    for d in 0..p.days {
        if x[e][d].len() > 1 {
            m.row(format!("one_shift[{id},{d}]"), work(x, e, d).leq(1.0));
        }
    }
    // Successions: fixed ones, and those too close for the rest.
    for d in 0..p.days.saturating_sub(1) {
        for &(s, col) in &x[e][d] {
            let timing = emp.allowed[d]
                .iter()
                .find(|a| a.shift == s)
                .and_then(|a| a.timing);
            let banned: Vec<(f64, Col)> = x[e][d + 1]
                .iter()
                .filter(|(t, _)| {
                    p.shifts[s].cannot_follow.contains(t)
                        || match (emp.min_rest_min, timing) {
                            (Some(rest), Some(here)) => emp.allowed[d + 1]
                                .iter()
                                .find(|a| a.shift == *t)
                                .and_then(|a| a.timing)
                                .is_some_and(|next| next.start - here.end < i64::from(rest)),
                            _ => false,
                        }
                })
                .map(|(_, c)| (1.0, *c))
                .collect();
            if !banned.is_empty() {
                let mut e1 = sum(banned);
                e1.add_mul(1.0, col.var);
                m.row(
                    format!("succession[{id},{d},{}]", p.shifts[s].id),
                    e1.leq(1.0),
                );
            }
        }
    }
}

/// Shifts of each kind, minutes and days over the horizon, days a week.
fn totals(m: &mut Mip, p: &Problem, x: &Shifts, e: usize) {
    let emp = &p.employees[e];
    let id = &emp.id;
    for (s, max) in emp.max_shifts.iter().enumerate() {
        let Some(max) = max else { continue };
        let cols: Vec<(f64, Col)> = x[e]
            .iter()
            .flatten()
            .filter(|(t, _)| *t == s)
            .map(|(_, c)| (1.0, *c))
            .collect();
        if cols.len() as u32 > *max {
            m.row(
                format!("max_shifts[{id},{}]", p.shifts[s].id),
                sum(cols).leq(f64::from(*max)),
            );
        }
    }
    // Minutes over the horizon.
    let minutes = sum(x[e]
        .iter()
        .flatten()
        .map(|(s, c)| (f64::from(p.shifts[*s].minutes), *c)));
    let mut at_least = minutes.clone();
    let short_col = p.short_minute_price.map(|price| {
        let c = m.col(
            format!("short_minutes[{id}]"),
            0.0,
            None,
            false,
            price,
            CostLine::Penalties,
        );
        at_least.add_mul(1.0, c.var);
        c
    });
    m.row(
        format!("min_minutes[{id}]"),
        at_least.geq(f64::from(emp.min_minutes)),
    );
    m.row(
        format!("max_minutes[{id}]"),
        minutes.clone().leq(f64::from(emp.max_minutes)),
    );
    if let Some((from, price)) = emp.overtime {
        let over = m.col(
            format!("overtime[{id}]"),
            0.0,
            None,
            false,
            price,
            CostLine::InHouse,
        );
        let mut within = minutes;
        within.add_mul(-1.0, over.var);
        m.row(format!("overtime_from[{id}]"), within.leq(f64::from(from)));
    }
    // The same in days (valid for integers, tighter for the LP): at
    // least ⌈min / longest⌉ and at most ⌊max / shortest⌋ shifts.
    let lengths = x[e].iter().flatten().map(|(s, _)| p.shifts[*s].minutes);
    if let (Some(short), Some(long)) = (lengths.clone().min(), lengths.max()) {
        let mut days = Expression::from(0.0);
        for d in 0..p.days {
            days += work(x, e, d);
        }
        if long > 0 {
            // Elastic: a day short for every `long` minutes short (this
            // may charge up to a day's minutes more than the shortfall;
            // it only prices rosters that break the minimum anyway).
            let mut at_least = days.clone();
            if let Some(c) = short_col {
                at_least.add_mul(1.0 / f64::from(long), c.var);
            }
            m.row(
                format!("min_days[{id}]"),
                at_least.geq(f64::from(emp.min_minutes.div_ceil(long))),
            );
        }
        if let Some(most) = emp.max_minutes.checked_div(short) {
            m.row(format!("max_days[{id}]"), days.leq(f64::from(most)));
        }
    }
    if let Some(max) = emp.max_days_per_week {
        for wk in weeks(p.days) {
            if wk.len() as u32 > max {
                let mut e1 = Expression::from(0.0);
                for d in wk.clone() {
                    e1 += work(x, e, d);
                }
                m.row(
                    format!("max_days[{id},{}]", wk.start / 7),
                    e1.leq(f64::from(max)),
                );
            }
        }
    }
}

/// Runs of working days and of days off.
fn runs(m: &mut Mip, p: &Problem, x: &Shifts, e: usize) {
    let emp = &p.employees[e];
    let id = &emp.id;
    if let Some(c) = emp.max_consecutive.map(|c| c as usize) {
        for d in 0..p.days.saturating_sub(c) {
            let mut e1 = Expression::from(0.0);
            for i in d..=d + c {
                e1 += work(x, e, i);
            }
            m.row(format!("max_consecutive[{id},{d}]"), e1.leq(c as f64));
        }
        // The days worked just before the horizon start the first stretch.
        let left = c.saturating_sub(emp.run_before as usize);
        if emp.run_before > 0 && left < p.days {
            let mut e1 = Expression::from(0.0);
            for i in 0..=left {
                e1 += work(x, e, i);
            }
            m.row(format!("max_consecutive_before[{id}]"), e1.leq(left as f64));
        }
    }
    // No stretch of l < k working days strictly inside the horizon:
    // off, on × l, off is cut off.
    for l in 1..emp.min_consecutive as usize {
        for d in 1..p.days {
            if d + l >= p.days {
                break;
            }
            let mut e1 = Expression::from(0.0);
            for i in d..d + l {
                e1 += work(x, e, i);
            }
            e1 -= work(x, e, d - 1);
            e1 -= work(x, e, d + l);
            m.row(
                format!("min_consecutive[{id},{d},{l}]"),
                e1.leq(l as f64 - 1.0),
            );
        }
    }
    for l in 1..emp.min_consecutive_off as usize {
        for d in 1..p.days {
            if d + l >= p.days {
                break;
            }
            let mut e1 = work(x, e, d - 1) + work(x, e, d + l);
            for i in d..d + l {
                e1 -= work(x, e, i);
            }
            m.row(format!("min_days_off[{id},{d},{l}]"), e1.leq(1.0));
        }
    }
    // Days off just before the horizon (or a day worked, none): a first
    // stretch of `l` days off then a working day is `before + l` long.
    let before = emp.off_before;
    if before < crate::model::AgentCarry::SINCE_START {
        let first = usize::from(before == 0);
        let last = (emp.min_consecutive_off.saturating_sub(before) as usize).min(p.days);
        for l in first..last {
            let mut e1 = work(x, e, l);
            for i in 0..l {
                e1 -= work(x, e, i);
            }
            m.row(format!("min_days_off_before[{id},{l}]"), e1.leq(0.0));
        }
    }
}

/// At most `max` weekends worked: `weekend[e,k]` is one when any day of
/// weekend `k` is worked; a weekend worked on one day only costs the
/// employee's half-weekend price (`half[e,k] ≥ 2 weekend[e,k] − the days
/// worked`).
fn weekends(m: &mut Mip, p: &Problem, x: &Shifts, e: usize, max: Option<u32>) {
    let id = &p.employees[e].id;
    let weekends: Vec<Vec<usize>> = (0..p.days)
        .step_by(7)
        .map(|a| {
            [a + 5, a + 6]
                .into_iter()
                .filter(|&d| d < p.days)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let price = p.employees[e].half_weekend_price;
    let binding = max.is_some_and(|max| weekends.len() as u32 > max);
    if binding || price > 0.0 {
        let mut total = Expression::from(0.0);
        for (k, days) in weekends.iter().enumerate() {
            let b = m.col(
                format!("weekend[{id},{k}]"),
                0.0,
                Some(1.0),
                true,
                0.0,
                CostLine::InHouse,
            );
            for &d in days {
                let mut e1 = work(x, e, d);
                e1.add_mul(-1.0, b.var);
                m.row(format!("weekend_worked[{id},{k},{d}]"), e1.leq(0.0));
            }
            total.add_mul(1.0, b.var);
            if price > 0.0 && days.len() == 2 {
                let half = m.col(
                    format!("half_weekend[{id},{k}]"),
                    0.0,
                    None,
                    false,
                    price,
                    CostLine::InHouse,
                );
                let mut e1 = Expression::from(0.0);
                e1.add_mul(2.0, b.var);
                for &d in days {
                    e1 -= work(x, e, d);
                }
                e1.add_mul(-1.0, half.var);
                m.row(format!("half_weekend[{id},{k}]"), e1.leq(0.0));
            }
        }
        if let Some(max) = max.filter(|_| binding) {
            m.row(format!("max_weekends[{id}]"), total.leq(f64::from(max)));
        }
    }
}

/// Fairness: `most ≥` what each employee of the set works of the counted
/// days and kinds; `most` is priced.
fn fairness(m: &mut Mip, p: &Problem, x: &Shifts) {
    for (f, fair) in p.fairness.iter().enumerate() {
        let most = m.col(
            format!("fair_most[{f}]"),
            fair.floor as f64,
            None,
            false,
            fair.weight,
            CostLine::Penalties,
        );
        for &e in &fair.employees {
            let terms: Vec<(f64, Col)> = (0..p.days)
                .filter(|&d| fair.days[d])
                .flat_map(|d| {
                    x[e][d]
                        .iter()
                        .filter(|(s, _)| fair.kinds[*s])
                        .map(|(_, c)| (1.0, *c))
                })
                .collect();
            if terms.is_empty() {
                continue;
            }
            let mut e1 = sum(terms);
            e1.add_mul(-1.0, most.var);
            m.row(format!("fair[{f},{}]", p.employees[e].id), e1.leq(0.0));
        }
    }
}

/// Cover: `Σx + under − over = requirement`.
fn cover(m: &mut Mip, p: &Problem, x: &Shifts) {
    for c in &p.cover {
        let cols: Vec<(f64, Col)> = p
            .employees
            .iter()
            .enumerate()
            .filter(|(_, emp)| c.group.is_none_or(|g| emp.group == g))
            .flat_map(|(e, _)| {
                x[e][c.day]
                    .iter()
                    .filter(|(s, _)| *s == c.shift)
                    .map(|(_, col)| (1.0, *col))
            })
            .collect();
        let name = format!(
            "cover[{},{}{}]",
            c.day,
            p.shifts[c.shift].id,
            c.group.map(|g| format!(",g{g}")).unwrap_or_default()
        );
        let mut e1 = sum(cols);
        if let Some(w) = c.under_weight {
            let under = m.col(
                format!("under{name}"),
                0.0,
                None,
                false,
                w,
                CostLine::Penalties,
            );
            e1.add_mul(1.0, under.var);
        }
        if let Some(w) = c.over_weight {
            let over = m.col(
                format!("over{name}"),
                0.0,
                None,
                false,
                w,
                CostLine::Penalties,
            );
            e1.add_mul(-1.0, over.var);
        }
        // `Σx + under − over = requirement`: without an under column no
        // shortfall, without an over column no surplus.
        m.row(name, e1.eq(f64::from(c.requirement)));
    }
}

/// The on-requests' weights, less what granting them saves on x: a column
/// held at one carries the constant.
fn request_constant(m: &mut Mip, p: &Problem) {
    let constant: f64 = p
        .employees
        .iter()
        .flat_map(|e| &e.on_requests)
        .map(|r| r.weight)
        .sum();
    if constant != 0.0 {
        // The on-requests' weights, less what granting them saves on x: a
        // column held at one carries the constant.
        m.col(
            "request_constant".into(),
            1.0,
            Some(1.0),
            false,
            constant,
            CostLine::Penalties,
        );
    }
}

/// Once per calendar week, a rest of at least `rest` minutes: some day `d`
/// off whose neighbours leave it (`rest[e,d]`). A day off at either end of
/// the horizon counts (the weeks around are not known here, and are taken
/// as rested at the boundary).
fn weekly_rest(m: &mut Mip, p: &Problem, x: &Shifts, e: usize, rest: i64) {
    let emp = &p.employees[e];
    let id = &emp.id;
    let timing = |d: usize, s: usize| {
        emp.allowed[d]
            .iter()
            .find(|a| a.shift == s)
            .and_then(|a| a.timing)
    };
    for wk in weeks(p.days) {
        let mut any = Expression::from(0.0);
        for d in wk.clone() {
            let r = m.col(
                format!("rest[{id},{d}]"),
                0.0,
                Some(1.0),
                true,
                0.0,
                CostLine::InHouse,
            );
            any.add_mul(1.0, r.var);
            let mut off = sum(x[e][d].iter().map(|(_, c)| (1.0, *c)));
            off.add_mul(1.0, r.var);
            m.row(format!("rest_off[{id},{d}]"), off.leq(1.0));
            if d == 0 || d + 1 >= p.days {
                continue;
            }
            for &(s, col) in &x[e][d - 1] {
                let Some(before) = timing(d - 1, s) else {
                    continue;
                };
                let short: Vec<(f64, Col)> = x[e][d + 1]
                    .iter()
                    .filter(|(t, _)| {
                        timing(d + 1, *t).is_some_and(|after| after.start - before.end < rest)
                    })
                    .map(|(_, c)| (1.0, *c))
                    .collect();
                if !short.is_empty() {
                    let mut e1 = sum(short);
                    e1.add_mul(1.0, col.var);
                    e1.add_mul(1.0, r.var);
                    m.row(
                        format!("rest_length[{id},{d},{}]", p.shifts[s].id),
                        e1.leq(2.0),
                    );
                }
            }
        }
        m.row(format!("weekly_rest[{id},{}]", wk.start / 7), any.geq(1.0));
    }
}

/// Same start across the horizon: `used[e,t]` is one when employee `e`
/// starts some shift at local time `t`; `changes[e] ≥ Σ_t used[e,t] − 1`
/// is priced at `w`.
fn same_start(m: &mut Mip, p: &Problem, x: &Shifts, e: usize, w: f64) {
    let id = &p.employees[e].id;
    let mut starts: Vec<u32> = x[e]
        .iter()
        .flatten()
        .filter_map(|(s, _)| p.shifts[*s].start_min)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    if starts.len() < 2 {
        return;
    }
    let changes = m.col(
        format!("start_changes[{id}]"),
        0.0,
        None,
        false,
        w,
        CostLine::Penalties,
    );
    let mut used_total = Expression::from(0.0);
    for &t in &starts {
        let used = m.col(
            format!("start_used[{id},{t}]"),
            0.0,
            Some(1.0),
            true,
            0.0,
            CostLine::Penalties,
        );
        for (d, day) in x[e].iter().enumerate() {
            let at: Vec<(f64, Col)> = day
                .iter()
                .filter(|(s, _)| p.shifts[*s].start_min == Some(t))
                .map(|(_, c)| (1.0, *c))
                .collect();
            if !at.is_empty() {
                let mut e1 = sum(at);
                e1.add_mul(-1.0, used.var);
                m.row(format!("start_at[{id},{d},{t}]"), e1.leq(0.0));
            }
        }
        used_total.add_mul(1.0, used.var);
    }
    used_total.add_mul(-1.0, changes.var);
    m.row(format!("start_changes[{id}]"), used_total.leq(1.0));
}

#[cfg(test)]
mod tests {
    use super::super::{testing, why_not, Employee, RosterOptions};
    use super::*;

    /// Whether `p` has a roster: optimal, or proven infeasible.
    fn feasible(p: &Problem) -> bool {
        let built = build(p);
        let opts = RosterOptions {
            time_limit_s: 60.0,
            gap: 0.0,
            ..RosterOptions::default()
        };
        let (stats, _) = crate::plan::solve::solve_direct(&built.mip, &opts.solver());
        match stats.status {
            crate::plan::solve::Status::Optimal => true,
            crate::plan::solve::Status::Infeasible => false,
            s => panic!("neither optimal nor infeasible: {s:?}"),
        }
    }

    /// A roster as a start ([`Built::start`]: the shifts only, the other
    /// columns left to HiGHS) is one HiGHS completes and keeps: a search
    /// stopped before its first node returns the optimum it was started
    /// from, and nothing when started from nothing.
    #[test]
    fn a_roster_started_from_is_completed_and_kept() {
        let whole = RosterOptions {
            time_limit_s: 60.0,
            gap: 0.0,
            ..RosterOptions::default()
        };
        let stopped = RosterOptions {
            work_limit: Some(0),
            ..whole.clone()
        };
        for seed in 0..4 {
            let p = testing::problem_over(40 + seed, 12, 2);
            let built = build(&p);
            let (stats, v) = crate::plan::solve::solve_direct(&built.mip, &whole.solver());
            assert_eq!(stats.status, crate::plan::solve::Status::Optimal);
            let best = built.assignment(&p, &v.expect("solved"));
            let start = built.start(&best);
            assert_eq!(built.assignment(&p, &start), best, "seed {seed}");
            let from = |start: Option<&Values>| {
                crate::plan::solve::solve_direct_from(&built.mip, &stopped.solver(), start)
                    .1
                    .map(|v| built.assignment(&p, &v))
            };
            assert_eq!(from(Some(&start)), Some(best), "seed {seed}");
            assert_eq!(from(None), None, "seed {seed}");
        }
    }

    /// What the week before carries (a horizon's later week) binds the
    /// first days: an employee at the most days in a row cannot work
    /// Monday, one a day short cannot work Monday and Tuesday, one a day
    /// into a stretch of three days off cannot work Tuesday — each
    /// feasible without the carry, infeasible with it, and `why_not`
    /// names the run.
    #[test]
    fn the_weeks_before_bind_the_first_days() {
        type Edit = fn(&mut Employee);
        type Pins = Vec<(usize, Option<usize>)>;
        let cases: [(&str, Edit, Pins); 3] = [
            (
                "a full run",
                |e| e.run_before = e.max_consecutive.unwrap(),
                vec![(0, Some(0))],
            ),
            (
                "a run a day short",
                |e| e.run_before = e.max_consecutive.unwrap() - 1,
                vec![(0, Some(0)), (1, Some(0))],
            ),
            (
                "a day off of three",
                |e| e.off_before = 1,
                vec![(0, None), (1, Some(0))],
            ),
        ];
        let mut checked = 0;
        for seed in 0..6 {
            let base = testing::problem(300 + seed, 1);
            for (what, edit, pins) in &cases {
                let mut p = base.clone();
                let e = &mut p.employees[0];
                e.pinned = pins.clone();
                e.min_consecutive = 1;
                e.min_consecutive_off = 3;
                e.min_minutes = 0;
                e.on_requests.clear();
                e.off_requests.clear();
                if pins
                    .iter()
                    .any(|&(d, s)| s.is_some_and(|s| !e.allowed[d].iter().any(|a| a.shift == s)))
                {
                    continue;
                }
                if !feasible(&p) {
                    continue;
                }
                edit(&mut p.employees[0]);
                assert!(!feasible(&p), "seed {seed}, {what}: the carry must bind");
                checked += 1;
            }
        }
        assert!(
            checked >= 9,
            "only {checked} cases had a roster without the carry"
        );
        // The reason a planner reads.
        let mut p = (300..)
            .map(|seed| testing::problem(seed, 1))
            .find(|p| !p.employees[0].allowed[0].is_empty())
            .expect("some seed lets Monday be worked");
        let e = &mut p.employees[0];
        e.run_before = e.max_consecutive.unwrap();
        let s = e.allowed[0][0].shift;
        let idle = super::super::Assignment(vec![vec![None; p.days]]);
        assert!(why_not(&p, &idle, 0, 0, s)
            .iter()
            .any(|r| r.contains("days in a row")));
    }
}
