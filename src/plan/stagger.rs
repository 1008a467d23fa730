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
use super::Context;

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Spreads `s`'s breaks (see the module's note); deterministic.
pub fn stagger(cx: &Context, s: &mut Solution) {
    let c = &cx.inst.centre;
    let clock = Clock::new(cx.inst, &cx.req.grid);
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
            let step = gcd(c.interval_min, rule.length_min).max(1) as usize;
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
    for p in &mut s.shifts {
        for placed in &mut p.breaks {
            placed.sort_unstable();
        }
    }
}
