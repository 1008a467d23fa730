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
                m.row(
                    format!("heads[{}][{day}]", group.id),
                    sum(on_day).leq(f64::from(
                        cx.day_cap(g, d)
                            .map_or(group.available[d], |c| c.min(group.available[d])),
                    )),
                );
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
        let mut min = hours();
        let name = format!("hours_min[{}]", group.id);
        if elastic {
            let (_, s) = super::slack(m, v, &name, Slack::MinHours { group: g }, SLACK_PRICE);
            min.add_mul(1.0, s.var);
        }
        m.row(name, min.geq(group.min_hours));
        rest(cx, m, &mine, g);
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
