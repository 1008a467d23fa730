//! Breaks spread within the intervals they fall in. The MIP counts a
//! break by the share of each interval it covers, so a 15-minute break at
//! 18:30 and one at 18:45 are the same to it (half of the 18:30 interval
//! each) and it picks among them arbitrarily: Club-Internet's retention
//! cell had seven of its eight late agents on break from 18:30 to 18:45,
//! one agent on the phones, and the replay found 65% where the tables
//! promised 85%. This pass moves each planned break among the starts its
//! template's window allows — on a finer step than the MIP's (the
//! greatest common divisor of the interval and the break's length: 15
//! minutes for a 15-minute break in half-hour intervals) — that cover the
//! very same intervals in the very same shares, so that nothing the MIP,
//! the exact evaluation or `check` counts changes, and as few of a skill
//! group's agents as possible are on break at once, minute by minute.

use super::extract::Solution;
use super::options::Clock;
use super::{gcd, Context};

/// Spreads `s`'s breaks (see the module's note); deterministic.
pub fn stagger(cx: &Context, s: &mut Solution) {
    let c = &cx.inst.centre;
    let clock = &cx.clock;
    let minutes = cx.intervals() * c.interval_min as usize;
    let sgs = c.skill_groups.len();
    // Agents on break per skill group and minute of the week.
    let mut load = vec![vec![0u32; minutes]; sgs];
    let span = |o: usize, k: usize, offset: u32| -> (i64, i64) {
        let opt = &cx.options[o];
        let from = opt.start_abs + i64::from(offset);
        let len = i64::from(c.shift_templates[opt.template].breaks[k].length_min);
        (from, from + len)
    };
    let add = |load: &mut Vec<Vec<u32>>, sg: usize, (from, to): (i64, i64), n: u32| {
        for t in from.max(0)..to.min(minutes as i64) {
            load[sg][t as usize] += n;
        }
    };
    // The breaks to place: (shift, break, positions alike, agents), each
    // removed from the plan until placed; the rest count as they are.
    let mut free: Vec<(usize, usize, Vec<u32>, u32)> = Vec::new();
    for (si, p) in s.shifts.iter_mut().enumerate() {
        let sg = cx.groups[p.group].skill_group;
        let opt = &cx.options[p.option];
        let t = &c.shift_templates[opt.template];
        for (k, placed) in p.breaks.iter_mut().enumerate() {
            let rule = &t.breaks[k];
            let step = gcd(u64::from(c.interval_min), u64::from(rule.length_min)).max(1) as usize;
            let cover =
                |offset: u32| clock.cover(opt.start_abs + i64::from(offset), rule.length_min);
            let mut kept = Vec::new();
            for &(offset, n) in placed.iter() {
                let here = cover(offset);
                let alike: Vec<u32> = (rule.earliest_start_min..=rule.latest_start_min)
                    .step_by(step)
                    .filter(|&o| cover(o) == here)
                    .collect();
                if alike.len() < 2 {
                    kept.push((offset, n));
                    add(&mut load, sg, span(p.option, k, offset), n);
                    continue;
                }
                match free
                    .iter_mut()
                    .find(|f| f.0 == si && f.1 == k && f.2 == alike)
                {
                    Some(f) => f.3 += n,
                    None => free.push((si, k, alike, n)),
                }
            }
            *placed = kept;
        }
    }
    // Narrowest choices first; one agent at a time, where the most agents
    // of the group already on break over the break's minutes is least
    // (the earliest position on a tie).
    free.sort_by_key(|f| {
        (
            f.2.len(),
            cx.options[s.shifts[f.0].option].start_abs,
            f.0,
            f.1,
        )
    });
    for (si, k, alike, n) in free {
        let (o, sg) = (
            s.shifts[si].option,
            cx.groups[s.shifts[si].group].skill_group,
        );
        for _ in 0..n {
            let best = *alike
                .iter()
                .min_by_key(|&&offset| {
                    let (from, to) = span(o, k, offset);
                    let most = (from.max(0)..to.min(minutes as i64))
                        .map(|t| load[sg][t as usize])
                        .max()
                        .unwrap_or(0);
                    (most, offset)
                })
                .expect("two positions at least");
            add(&mut load, sg, span(o, k, best), 1);
            let placed = &mut s.shifts[si].breaks[k];
            match placed.iter_mut().find(|(off, _)| *off == best) {
                Some(b) => b.1 += 1,
                None => placed.push((best, 1)),
            }
        }
    }
    move_within_slack(cx, s, clock, &mut load);
    for p in &mut s.shifts {
        for placed in &mut p.breaks {
            placed.retain(|b| b.1 > 0);
            placed.sort_unstable();
        }
    }
}

/// The second pass: a break at the edge of its window, where no start
/// covers the same shares (eleven late agents all on break at 19:30, the
/// window's last start), moves one agent at a time to any start of its
/// window whose intervals keep the group's capacity at or above its
/// allocation there (the `cap` rows, with the plan's allocation as it is:
/// nothing the exact evaluation or `check` counts gets short), where the
/// fewest of its skill group are on break (nearest its first start on a
/// tie). Each move keeps the plan feasible, so the pass never fails.
fn move_within_slack(cx: &Context, s: &mut Solution, clock: &Clock, load: &mut [Vec<u32>]) {
    let c = &cx.inst.centre;
    let minutes = load.first().map_or(0, Vec::len) as i64;
    let n = cx.intervals();
    // Capacity left per group and interval: shifts, less breaks, less the
    // allocation.
    let mut slack = vec![vec![0.0f64; n]; cx.groups.len()];
    let cover_of = |o: usize, k: usize, offset: u32| {
        let opt = &cx.options[o];
        let len = c.shift_templates[opt.template].breaks[k].length_min;
        clock.cover(opt.start_abs + i64::from(offset), len)
    };
    for p in &s.shifts {
        for &(i, share) in &cx.options[p.option].cover {
            slack[p.group][i] += f64::from(p.count) * share;
        }
        for (k, placed) in p.breaks.iter().enumerate() {
            for &(offset, m) in placed {
                for (i, share) in cover_of(p.option, k, offset) {
                    slack[p.group][i] -= f64::from(m) * share;
                }
            }
        }
    }
    for (g, alloc) in s.by_group.iter().enumerate() {
        for &(_, i, a) in alloc {
            slack[g][i] -= a;
        }
    }
    let mut units: Vec<(i64, usize, usize, u32)> = Vec::new();
    for (si, p) in s.shifts.iter().enumerate() {
        for (k, placed) in p.breaks.iter().enumerate() {
            for &(offset, m) in placed {
                for _ in 0..m {
                    units.push((cx.options[p.option].start_abs, si, k, offset));
                }
            }
        }
    }
    units.sort_unstable();
    for (_, si, k, from) in units {
        let (g, o) = (s.shifts[si].group, s.shifts[si].option);
        let sg = cx.groups[g].skill_group;
        let opt = &cx.options[o];
        let rule = &c.shift_templates[opt.template].breaks[k];
        let span = |offset: u32| {
            let a = opt.start_abs + i64::from(offset);
            (a.max(0), (a + i64::from(rule.length_min)).min(minutes))
        };
        // Take the agent's break out.
        let (a, b) = span(from);
        for t in a..b {
            load[sg][t as usize] = load[sg][t as usize].saturating_sub(1);
        }
        for (i, share) in cover_of(o, k, from) {
            slack[g][i] += share;
        }
        let step = gcd(u64::from(c.interval_min), u64::from(rule.length_min)).max(1) as usize;
        let best = (rule.earliest_start_min..=rule.latest_start_min)
            .step_by(step)
            .filter(|&offset| {
                offset == from
                    || cover_of(o, k, offset)
                        .iter()
                        .all(|&(i, share)| slack[g][i] - share >= -1e-7)
            })
            .min_by_key(|&offset| {
                let (a, b) = span(offset);
                let most = (a..b).map(|t| load[sg][t as usize]).max().unwrap_or(0);
                (most, offset.abs_diff(from), offset)
            })
            .unwrap_or(from);
        let (a, b) = span(best);
        for t in a..b {
            load[sg][t as usize] += 1;
        }
        for (i, share) in cover_of(o, k, best) {
            slack[g][i] -= share;
        }
        if best != from {
            let placed = &mut s.shifts[si].breaks[k];
            if let Some(x) = placed.iter_mut().find(|x| x.0 == from) {
                x.1 -= 1;
            }
            match placed.iter_mut().find(|x| x.0 == best) {
                Some(x) => x.1 += 1,
                None => placed.push((best, 1)),
            }
        }
    }
}
