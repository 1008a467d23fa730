//! Each agent's week against their contract: one shift a day, rest between
//! shifts, hours a day and a week (the minimum pro rata for absences and
//! strikes), working days, days in a row, days off in a row, weekends, and
//! the weekly rest.

use super::super::centre::Row;
use super::{could_work, eligible, runs, strike_left};
use super::{Found, Rule, Week};
use crate::model::AgentCarry;

/// Flags every contract-week rule `w`'s roster breaks.
pub fn check(w: &Week, found: &mut Found) {
    let inst = w.inst;
    let rows = w.rows;
    let c = &inst.centre;
    // Agent by agent: the contract's week.
    for (ai, a) in inst.agents.iter().enumerate() {
        let agent_rows: Vec<&Row> = rows.iter().filter(|r| r.agent == ai).collect();
        let k = &c.contracts[a.contract];
        let who = a.id.as_str();
        let mut days = [false; 7];
        // A horizon's later week: the rest after the week before's last
        // shift, and the stretches running into the week, count.
        let carried = inst.carry.of(ai);
        if let (Some(end), Some(first)) = (carried.last_end, agent_rows.first()) {
            let rest = first.start - end;
            if rest < i64::from(k.min_rest_min) {
                found.flag(
                    who,
                    Some(first.day),
                    Rule::MinRest,
                    format!(
                        "{} min of rest since the last shift of the week before, the contract asks {}",
                        rest, k.min_rest_min
                    ),
                );
            }
        }
        for w in agent_rows.windows(2) {
            if w[0].day == w[1].day {
                found.flag(
                    who,
                    Some(w[1].day),
                    Rule::OneShiftPerDay,
                    "two shifts start the same day".into(),
                );
            }
            let rest = w[1].start - w[0].end;
            if rest < i64::from(k.min_rest_min) {
                found.flag(
                    who,
                    Some(w[1].day),
                    Rule::MinRest,
                    format!(
                        "{} min of rest before this shift, the contract asks {}",
                        rest, k.min_rest_min
                    ),
                );
            }
        }
        let mut paid = 0u32;
        for r in &agent_rows {
            days[r.day] = true;
            let t = &c.shift_templates[r.template];
            paid += t.paid_min();
            if t.paid_min() > k.max_day_min {
                found.flag(
                    who,
                    Some(r.day),
                    Rule::MaxDayHours,
                    format!(
                        "{} paid min in the day, at most {}",
                        t.paid_min(),
                        k.max_day_min
                    ),
                );
            }
        }
        let workable = (0..7)
            .filter(|&d| {
                c.shift_templates
                    .iter()
                    .any(|t| t.days[d] && eligible(inst, t, a.contract, a.site))
            })
            .count()
            .max(1) as u64;
        let can = (0..7).filter(|&d| could_work(inst, ai, d)).count() as u64;
        // A horizon's hours bank: what its period still owes and allows.
        let bank = inst.bank_bounds(ai, can as u32, workable as u32);
        let bank_why = || {
            let b = k.hours_bank.expect("bounds come from a bank");
            format!(
                "the hours bank: {:+.2} h banked before the week, {} week(s) of its {} left, {:.2} h a week on average",
                inst.carry.of(ai).banked_min as f64 / 60.0,
                b.weeks_left(inst.carry.week.unwrap_or(0)),
                b.weeks,
                f64::from(b.average_min) / 60.0
            )
        };
        let (max, max_why) = match (bank, inst.overtime_of(ai)) {
            (Some((_, hi)), _) if hi < k.weekly_max_min => (hi, format!(" ({})", bank_why())),
            (_, Some(o)) => (
                k.weekly_max_min + o.max_min,
                format!(
                    " (the contract's {:.2} and the group's overtime)",
                    f64::from(k.weekly_max_min) / 60.0
                ),
            ),
            _ => (k.weekly_max_min, String::new()),
        };
        if paid > max {
            found.flag(
                who,
                None,
                Rule::WeeklyHoursMax,
                format!(
                    "{:.2} paid hours, at most {:.2}{max_why}",
                    f64::from(paid) / 60.0,
                    f64::from(max) / 60.0
                ),
            );
        }
        let mut min = u64::from(k.weekly_min_min) * can.min(workable) / workable;
        let mut why = std::borrow::Cow::Borrowed("the contract's minimum pro rata for days absent");
        if let Some((lo, _)) = bank.filter(|&(lo, _)| u64::from(lo) > min) {
            min = u64::from(lo);
            why = bank_why().into();
        }
        // Strikers are not paid: where a strike keeps some of the agent's
        // peers (skill group, contract, site) at home, the minimum shrinks
        // with the agent-days it leaves them, in whole longest shifts.
        let (kept, could) = strike_left(inst, ai);
        if kept < could {
            let longest = c
                .shift_templates
                .iter()
                .filter(|t| eligible(inst, t, a.contract, a.site))
                .map(|t| u64::from(t.paid_min()))
                .max()
                .unwrap_or(0);
            if let Some(shifts) = (min * kept / could).checked_div(longest) {
                min = shifts * longest;
                why = format!("{why} and the agent-days the strike leaves, in whole shifts").into();
            }
        }
        if u64::from(paid) < min {
            found.flag(
                who,
                None,
                Rule::WeeklyHoursMin,
                format!(
                    "{:.2} paid hours, at least {:.2} ({why})",
                    f64::from(paid) / 60.0,
                    min as f64 / 60.0
                ),
            );
        }
        let worked = days.iter().filter(|x| **x).count() as u32;
        if worked > k.max_days {
            found.flag(
                who,
                None,
                Rule::MaxDays,
                format!("{worked} working days, at most {}", k.max_days),
            );
        }
        let runs = runs(&days);
        for &(on, from, len) in &runs {
            let ends_week = from + len >= 7;
            // The first stretch continues the week before's last.
            let len = match (from, on) {
                (0, true) => len + carried.run as usize,
                (0, false) => len.saturating_add(carried.off_run as usize),
                _ => len,
            };
            // Days off up to Sunday, ended by Monday's shift: a stretch
            // the week before left open, complete now.
            let open = carried.off_run as usize;
            if on && from == 0 && open > 0 && open < k.min_consecutive_days_off as usize {
                found.flag(
                    who,
                    Some(0),
                    Rule::MinConsecutiveDaysOff,
                    format!(
                        "{open} day(s) off in a row up to the week's start, at least {}",
                        k.min_consecutive_days_off
                    ),
                );
            }
            if on && len > k.max_consecutive_days as usize {
                found.flag(
                    who,
                    Some(from),
                    Rule::MaxConsecutiveDays,
                    format!(
                        "{len} working days in a row, at most {}",
                        k.max_consecutive_days
                    ),
                );
            }
            let inside = (from > 0 || carried.off_run < AgentCarry::SINCE_START) && !ends_week;
            if !on && inside && len < k.min_consecutive_days_off as usize {
                found.flag(
                    who,
                    Some(from),
                    Rule::MinConsecutiveDaysOff,
                    format!(
                        "{len} day(s) off in a row, at least {}",
                        k.min_consecutive_days_off
                    ),
                );
            }
        }
        if let Some(max) = k.max_weekends {
            let weekend = u32::from(days[5] || days[6]);
            if weekend > max {
                found.flag(
                    who,
                    Some(5),
                    Rule::MaxWeekends,
                    format!("works the weekend, at most {max} weekend(s)"),
                );
            }
        }
        if k.weekly_rest_min > 0 {
            // The weeks around are unknown: a day off at either end rests.
            let longest = agent_rows
                .windows(2)
                .map(|w| w[1].start - w[0].end)
                .max()
                .unwrap_or(0);
            if days[0] && days[6] && longest < i64::from(k.weekly_rest_min) {
                found.flag(
                    who,
                    None,
                    Rule::WeeklyRest,
                    format!(
                        "the longest rest is {:.1} h, the contract asks {:.1} h once a week",
                        longest as f64 / 60.0,
                        f64::from(k.weekly_rest_min) / 60.0
                    ),
                );
            }
        }
    }
}
