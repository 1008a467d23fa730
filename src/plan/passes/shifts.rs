//! Pass 1 — shifts: `x[group][option]`, the agents of a group working a
//! shift option, with their wages (hourly cost, night and Sunday premiums).
//! Rows: one shift a day per available agent (`heads`), days per week
//! (`days`), contract hours per week (`hours_max`, `hours_min`), and rest
//! between consecutive days (`rest`): an agent who ends after `E` on day
//! `d` cannot start before `E + min_rest` on day `d + 1`, so those two sets
//! of shifts together hold each agent at most once.

use std::collections::BTreeSet;

use super::{ShiftCol, Slack, Vars, DAYS, SLACK_PRICE};
use crate::plan::mip::{sum, CostLine, Mip};
use crate::plan::options::eligible;
use crate::plan::Context;

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars, elastic: bool) {
    let c = &cx.inst.centre;
    for (g, group) in cx.groups.iter().enumerate() {
        let contract = &c.contracts[group.contract];
        let first = v.shifts.len();
        let mut upper = Vec::new();
        for (o, opt) in cx.options.iter().enumerate() {
            let t = &c.shift_templates[opt.template];
            let floor = cx.floors.get(&(g, o)).copied().unwrap_or(0);
            let avail = cx
                .shift_cap(g, o)
                .map_or(group.available[opt.day], |c| {
                    c.min(group.available[opt.day])
                })
                .max(floor);
            if avail == 0 || !eligible(t, group.contract, contract, group.site) {
                continue;
            }
            let col = m.col(
                format!("x[{}][{}]", group.id, opt.label(t)),
                f64::from(floor),
                Some(f64::from(avail)),
                true,
                opt.cost(contract, group.contract),
                CostLine::InHouse,
            );
            m.anchor(col);
            upper.push(avail);
            v.shifts.push(ShiftCol {
                group: g,
                option: o,
                col,
            });
        }
        let mine = v.shifts[first..].to_vec();
        if mine.is_empty() {
            continue;
        }
        for (d, day) in DAYS.iter().enumerate() {
            let on_day: Vec<_> = mine
                .iter()
                .filter(|s| cx.options[s.option].day == d)
                .map(|s| (1.0, s.col))
                .collect();
            if !on_day.is_empty() {
                let heads = heads(cx, g, d);
                m.row(
                    format!("heads[{}][{day}]", group.id),
                    sum(on_day).leq(f64::from(heads)),
                );
                let today: Vec<(ShiftCol, u32)> = mine
                    .iter()
                    .zip(&upper)
                    .filter(|(s, _)| cx.options[s.option].day == d)
                    .map(|(s, &u)| (*s, u))
                    .collect();
                partial_absences(cx, m, g, day, &today, heads);
            }
        }
        m.row(
            format!("days[{}]", group.id),
            sum(mine.iter().map(|s| (1.0, s.col))).leq(f64::from(
                cx.week_cap(g)
                    .map_or(group.max_shifts, |c| c.min(group.max_shifts)),
            )),
        );
        let hours = || sum(mine.iter().map(|s| (cx.options[s.option].paid_h, s.col)));
        m.row(
            format!("hours_max[{}]", group.id),
            hours().leq(group.max_hours),
        );
        // Overtime: the hours beyond the agents' contract maxima, at the
        // premium on top of the hourly cost the shifts already pay.
        if let Some(price) = group
            .agents
            .first()
            .and_then(|&a| cx.inst.overtime_premium_per_hour(a))
        {
            let over = m.col(
                format!("overtime[{}]", group.id),
                0.0,
                None,
                false,
                price,
                CostLine::InHouse,
            );
            let mut within = hours();
            within.add_mul(-1.0, over.var);
            m.row(
                format!("overtime_from[{}]", group.id),
                within.leq(group.straight_hours),
            );
        }
        let mut min = hours();
        let name = format!("hours_min[{}]", group.id);
        if elastic {
            let (_, s) = super::slack(m, v, &name, Slack::MinHours { group: g }, SLACK_PRICE);
            min.add_mul(1.0, s.var);
        }
        m.row(name, min.geq(group.min_hours));
        two_lengths(cx, m, g, &mine);
        rest(cx, m, &mine, g);
    }
}

/// The most agents of group `g` who may start a shift on day `d`: those
/// available, within the day's cap when a re-plan set one.
pub fn heads(cx: &Context, g: usize, d: usize) -> u32 {
    let available = cx.groups[g].available[d];
    cx.day_cap(g, d).map_or(available, |c| c.min(available))
}

/// Rows for a group whose shifts come in two paid lengths
/// (`mix[group][n]`): per agent, the weeks the rules allow — `a` long and
/// `b` short shifts with `a + b ≤` the days they can work (at most the
/// contract's), paid hours within the weekly maximum and at least the
/// agent's minimum (the roster's, pro rata for absences; none in a week
/// of strikes, where the roster lowers it) — in whole shifts, summed over
/// the group's agents along each facet of that set's convex hull (the
/// sum of the agents' support functions, which bounds any sum of their
/// weeks). The group's `hours_max` and `hours_min` are the same sets
/// without whole shifts: Internet Telecom's part-timers (20 to 28 h in at
/// most 5 days; 7-hour and 4-hour shifts) may each work three long and
/// one short (25 h) but not three long and two short (29 h), and one long
/// and three short (19 h) is too little, which the hours rows allow on
/// average over the group; the roster then left a shift unfilled. Groups
/// with one paid length are held by `days` and the hours rows; three or
/// more are not cut (a three-dimensional hull).
fn two_lengths(cx: &Context, m: &mut Mip, g: usize, mine: &[ShiftCol]) {
    let group = &cx.groups[g];
    let contract = &cx.inst.centre.contracts[group.contract];
    let paid = |s: &ShiftCol| (cx.options[s.option].paid_h * 60.0).round() as i64;
    let lengths: BTreeSet<i64> = mine.iter().map(paid).collect();
    let (Some(&short), Some(&long)) = (lengths.first(), lengths.last()) else {
        return;
    };
    if lengths.len() != 2 || short <= 0 {
        return;
    }
    let struck = cx
        .inst
        .strikes
        .iter()
        .any(|s| s.skill_group == group.skill_group);
    // Agents alike in days, minimum and maximum share one hull.
    let mut alike: std::collections::BTreeMap<(i64, i64, i64), i64> = Default::default();
    for (&a, &days) in group.agents.iter().zip(&group.agent_days) {
        let least = if struck {
            0
        } else {
            i64::from(crate::plan::groups::min_minutes(cx.inst, a, days))
        };
        let most = i64::from(crate::plan::groups::max_minutes(cx.inst, a, days));
        *alike
            .entry((i64::from(days.min(contract.max_days)), least, most))
            .or_default() += 1;
    }
    let mut hulls = Vec::new();
    for (&(days, least, most), &n) in &alike {
        let weeks: Vec<(i64, i64)> = (0..=days)
            .flat_map(|a| (0..=days - a).map(move |b| (a, b)))
            .filter(|&(a, b)| (least..=most).contains(&(long * a + short * b)))
            .collect();
        if weeks.is_empty() {
            // Some agent has no week these shifts make: the roster says
            // which rule; no row here would be valid.
            return;
        }
        hulls.push((hull(weeks), n));
    }
    let normals: BTreeSet<(i64, i64)> = hulls
        .iter()
        .flat_map(|(h, _)| facets(h))
        .filter(|&u| u != (1, 1))
        .collect();
    for (k, (ua, ub)) in normals.into_iter().enumerate() {
        let rhs: i64 = hulls
            .iter()
            .map(|(h, n)| {
                let best = h.iter().map(|&(a, b)| ua * a + ub * b).max().unwrap_or(0);
                best * n
            })
            .sum();
        let terms = mine.iter().map(|s| {
            let u = if paid(s) == long { ua } else { ub };
            (u as f64, s.col)
        });
        m.row(
            format!("mix[{}][{k}]", group.id),
            sum(terms).leq(rhs as f64),
        );
    }
}

/// The convex hull of `points`, counter-clockwise, vertices only
/// (Andrew's monotone chain).
fn hull(mut points: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    points.sort_unstable();
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let cross = |o: (i64, i64), p: (i64, i64), q: (i64, i64)| {
        (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0)
    };
    let mut out: Vec<(i64, i64)> = Vec::new();
    for pass in [points.clone(), points.into_iter().rev().collect()] {
        let start = out.len();
        for p in pass {
            while out.len() >= start + 2 && cross(out[out.len() - 2], out[out.len() - 1], p) <= 0 {
                out.pop();
            }
            out.push(p);
        }
        out.pop();
    }
    out
}

/// The outward normals of a counter-clockwise hull's edges, in lowest
/// terms, and the four axes' (so that a point or a segment is bounded on
/// every side).
fn facets(hull: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = vec![(1, 0), (-1, 0), (0, 1), (0, -1)];
    if hull.len() >= 2 {
        for (i, p) in hull.iter().enumerate() {
            let q = hull[(i + 1) % hull.len()];
            let (ua, ub) = (q.1 - p.1, p.0 - q.0);
            let k = (crate::plan::gcd(ua.unsigned_abs(), ub.unsigned_abs()) as i64).max(1);
            out.push((ua / k, ub / k));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Subsets of a day's options at most this many distinct sets of agents
/// free for them are combined over (2^n rows at most); beyond, each set
/// alone.
const HALL_SETS: usize = 10;

/// Rows for agents absent part of a day (`hall[group][day][n]`): the shifts
/// of any set `T` of the day's options hold at most the agents free for
/// some shift in `T` (Hall's condition, which makes the group's shifts
/// fillable by its agents one shift each; the day's `heads` row is the
/// set of all options). Without them an agent away 08:00–13:00 counts as
/// one who can start at 07:30, and the roster leaves an early shift
/// unfilled. Only the sets whose bound is below what the columns' bounds
/// and `heads` already imply.
fn partial_absences(
    cx: &Context,
    m: &mut Mip,
    g: usize,
    day: &str,
    today: &[(ShiftCol, u32)],
    heads: u32,
) {
    use std::collections::BTreeMap;
    let group = &cx.groups[g];
    // Per distinct set of the day's options an agent is free for, the
    // agents with that set (agents free for none count nowhere).
    let mut sets: BTreeMap<Vec<bool>, u32> = BTreeMap::new();
    for &a in &group.agents {
        let set: Vec<bool> = today
            .iter()
            .map(|(s, _)| {
                crate::plan::groups::takes(
                    cx.inst,
                    &cx.clock,
                    &cx.kept_off,
                    a,
                    &cx.options[s.option],
                )
            })
            .collect();
        if set.iter().any(|&b| b) {
            *sets.entry(set).or_default() += 1;
        }
    }
    let partial: Vec<&Vec<bool>> = sets.keys().filter(|s| s.iter().any(|&b| !b)).collect();
    if partial.is_empty() {
        return;
    }
    // `T` is the options outside the sets of a subset `W` of the partial
    // sets: the agents free for nothing in `T` are exactly those whose sets
    // lie inside the union of `W`.
    let subsets: Vec<Vec<usize>> = if partial.len() <= HALL_SETS {
        (1..1usize << partial.len())
            .map(|w| (0..partial.len()).filter(|i| w >> i & 1 == 1).collect())
            .collect()
    } else {
        (0..partial.len()).map(|i| vec![i]).collect()
    };
    let mut seen = std::collections::BTreeSet::new();
    for w in subsets {
        let t: Vec<bool> = (0..today.len())
            .map(|o| w.iter().all(|&i| !partial[i][o]))
            .collect();
        if !t.iter().any(|&b| b) || !seen.insert(t.clone()) {
            continue;
        }
        let free: u32 = sets
            .iter()
            .filter(|(set, _)| set.iter().zip(&t).any(|(&a, &b)| a && b))
            .map(|(_, n)| n)
            .sum();
        let implied: u32 = today
            .iter()
            .zip(&t)
            .filter(|(_, &b)| b)
            .map(|((_, u), _)| u)
            .sum::<u32>()
            .min(heads);
        if free >= implied {
            continue;
        }
        m.row(
            format!("hall[{}][{day}][{}]", group.id, seen.len()),
            sum(today
                .iter()
                .zip(&t)
                .filter(|(_, &b)| b)
                .map(|((s, _), _)| (1.0, s.col)))
            .leq(f64::from(free)),
        );
    }
}

fn rest(cx: &Context, m: &mut Mip, mine: &[ShiftCol], g: usize) {
    let group = &cx.groups[g];
    let rest = i64::from(cx.inst.centre.contracts[group.contract].min_rest_min);
    if rest == 0 {
        return;
    }
    let end = |s: &ShiftCol| {
        let o = &cx.options[s.option];
        o.start_abs + i64::from(cx.inst.centre.shift_templates[o.template].length_min)
    };
    for (d, day) in DAYS.iter().enumerate().take(6) {
        let today: Vec<&ShiftCol> = mine
            .iter()
            .filter(|s| cx.options[s.option].day == d)
            .collect();
        let tomorrow: Vec<&ShiftCol> = mine
            .iter()
            .filter(|s| cx.options[s.option].day == d + 1)
            .collect();
        let ends: BTreeSet<i64> = today.iter().map(|s| end(s)).collect();
        let mut last: Option<(usize, usize)> = None;
        for e in ends {
            let late: Vec<_> = today
                .iter()
                .filter(|s| end(s) >= e)
                .map(|s| (1.0, s.col))
                .collect();
            let early: Vec<_> = tomorrow
                .iter()
                .filter(|s| cx.options[s.option].start_abs < e + rest)
                .map(|s| (1.0, s.col))
                .collect();
            // Only where a pair of shifts really conflicts, and once per
            // distinct pair of sets.
            if late.is_empty() || early.is_empty() || last == Some((late.len(), early.len())) {
                continue;
            }
            last = Some((late.len(), early.len()));
            let (h, mm) = ((e.rem_euclid(1440)) / 60, e.rem_euclid(1440) % 60);
            m.row(
                format!("rest[{}][{day}_{h:02}{mm:02}]", group.id),
                sum(late.into_iter().chain(early)).leq(group.agents.len() as f64),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{facets, hull};

    /// A part-timer of 20 to 28 h in 5 days, shifts of 7 and 4 paid hours:
    /// the weeks (a long, b short) within the rules, and the hull's facets
    /// against the hours rows alone.
    #[test]
    fn a_part_timers_weeks_have_the_facets_of_whole_shifts() {
        let weeks: Vec<(i64, i64)> = (0..=5i64)
            .flat_map(|a| (0..=5 - a).map(move |b| (a, b)))
            .filter(|&(a, b)| (20..=28).contains(&(7 * a + 4 * b)))
            .collect();
        let h = hull(weeks.clone());
        assert_eq!(h, vec![(0, 5), (3, 0), (4, 0), (2, 3)]);
        let f = facets(&h);
        // 3a + 2b ≤ 12 cuts (3, 1.75), which `7a + 4b ≤ 28` lets in;
        // 5a + 3b ≥ 15 cuts (1, 3.25), which `7a + 4b ≥ 20` lets in.
        assert!(f.contains(&(3, 2)), "{f:?}");
        assert!(f.contains(&(-5, -3)), "{f:?}");
        assert!(f.contains(&(1, 1)), "{f:?}");
        // Every week within the rules is inside every facet, and each
        // facet is tight at some week.
        for &(ua, ub) in &f {
            let best = h.iter().map(|&(a, b)| ua * a + ub * b).max().unwrap();
            assert!(weeks.iter().all(|&(a, b)| ua * a + ub * b <= best));
            assert!(weeks.iter().any(|&(a, b)| ua * a + ub * b == best));
        }
    }

    /// One week only (a point), or weeks on a line: bounded on every side.
    #[test]
    fn a_single_week_or_a_line_of_weeks_is_bounded_on_every_side() {
        assert_eq!(hull(vec![(0, 1)]), vec![(0, 1)]);
        assert_eq!(facets(&[(0, 1)]), vec![(-1, 0), (0, -1), (0, 1), (1, 0)]);
        let line = hull(vec![(0, 2), (1, 1), (2, 0)]);
        assert_eq!(line, vec![(0, 2), (2, 0)]);
        let f = facets(&line);
        assert!(f.contains(&(1, 1)) && f.contains(&(-1, -1)), "{f:?}");
    }
}
