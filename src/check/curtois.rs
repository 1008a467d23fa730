//! Checks a roster against a Curtois–Qu benchmark instance and counts its
//! objective, from the instance file and the roster file alone: walks each
//! employee's days, measures stretches and counts penalties directly. No
//! code of the rostering engine is used.

use std::path::Path;

use serde::Serialize;

use super::rules::Rule;
use super::Violation;
use crate::input::curtois::Benchmark;
use crate::input::{Code, Problem};

/// Per employee and day, the shift index worked.
pub type Grid = Vec<Vec<Option<usize>>>;

/// The benchmark's objective of a roster, and its parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct BenchObjective {
    pub total: f64,
    pub shift_on_requests: f64,
    pub shift_off_requests: f64,
    pub cover_under: f64,
    pub cover_over: f64,
}

/// Every hard rule broken, and the objective.
pub fn check(b: &Benchmark, grid: &Grid) -> (Vec<Violation>, BenchObjective) {
    let mut v = Vec::new();
    let mut flag = |e: usize, day: Option<usize>, rule: Rule, detail: String| {
        v.push(Violation {
            who: b.staff[e].id.clone(),
            day: day.map(|d| d.to_string()),
            rule,
            detail,
        })
    };
    for (e, st) in b.staff.iter().enumerate() {
        let days = &grid[e];
        for &d in &st.days_off {
            if let Some(s) = days[d] {
                flag(
                    e,
                    Some(d),
                    Rule::DayOff,
                    format!("works {} on a day off", b.shifts[s].id),
                );
            }
        }
        for d in 1..b.days {
            if let (Some(a), Some(c)) = (days[d - 1], days[d]) {
                if b.shifts[a].cannot_follow.contains(&c) {
                    flag(
                        e,
                        Some(d),
                        Rule::Succession,
                        format!("{} follows {}", b.shifts[c].id, b.shifts[a].id),
                    );
                }
            }
        }
        for (s, shift) in b.shifts.iter().enumerate() {
            let n = days.iter().filter(|x| **x == Some(s)).count() as u32;
            if n > st.max_shifts[s] {
                flag(
                    e,
                    None,
                    Rule::MaxShifts,
                    format!("{n} {} shifts, at most {}", shift.id, st.max_shifts[s]),
                );
            }
        }
        let minutes: u32 = days.iter().flatten().map(|&s| b.shifts[s].minutes).sum();
        if minutes < st.min_minutes || minutes > st.max_minutes {
            flag(
                e,
                None,
                Rule::TotalMinutes,
                format!(
                    "{minutes} min, allowed {}–{}",
                    st.min_minutes, st.max_minutes
                ),
            );
        }
        // Stretches of equal working status: (working, first day, length).
        let mut stretches: Vec<(bool, usize, usize)> = Vec::new();
        for (d, x) in days.iter().enumerate() {
            match stretches.last_mut() {
                Some(last) if last.0 == x.is_some() => last.2 += 1,
                _ => stretches.push((x.is_some(), d, 1)),
            }
        }
        for &(working, first, len) in &stretches {
            let inside = first > 0 && first + len < b.days;
            if working && len as u32 > st.max_consecutive {
                flag(
                    e,
                    Some(first),
                    Rule::MaxConsecutive,
                    format!("{len} days in a row, at most {}", st.max_consecutive),
                );
            }
            if working && inside && (len as u32) < st.min_consecutive {
                flag(
                    e,
                    Some(first),
                    Rule::MinConsecutive,
                    format!("{len} days in a row, at least {}", st.min_consecutive),
                );
            }
            if !working && inside && (len as u32) < st.min_consecutive_off {
                flag(
                    e,
                    Some(first),
                    Rule::MinDaysOff,
                    format!(
                        "{len} days off in a row, at least {}",
                        st.min_consecutive_off
                    ),
                );
            }
        }
        let weekends = (0..b.days)
            .step_by(7)
            .filter(|&a| {
                [a + 5, a + 6]
                    .iter()
                    .any(|&d| d < b.days && days[d].is_some())
            })
            .count() as u32;
        if weekends > st.max_weekends {
            flag(
                e,
                None,
                Rule::MaxWeekends,
                format!("{weekends} weekends, at most {}", st.max_weekends),
            );
        }
    }
    let mut o = BenchObjective::default();
    for r in &b.on_requests {
        if grid[r.staff][r.day] != Some(r.shift) {
            o.shift_on_requests += r.weight;
        }
    }
    for r in &b.off_requests {
        if grid[r.staff][r.day] == Some(r.shift) {
            o.shift_off_requests += r.weight;
        }
    }
    for c in &b.cover {
        let n = grid.iter().filter(|g| g[c.day] == Some(c.shift)).count() as u32;
        o.cover_under += c.under_weight * f64::from(c.requirement.saturating_sub(n));
        o.cover_over += c.over_weight * f64::from(n.saturating_sub(c.requirement));
    }
    o.total = o.shift_on_requests + o.shift_off_requests + o.cover_under + o.cover_over;
    (v, o)
}

/// Reads a benchmark roster: CSV with `employee,day,shift`, one row per
/// shift worked (days without a row are off).
pub fn read_grid(path: &Path, b: &Benchmark) -> Result<Grid, Vec<Problem>> {
    let mut grid: Grid = vec![vec![None; b.days]; b.staff.len()];
    let mut problems = Vec::new();
    let bad = |line: Option<usize>, code: Code, message: String| {
        Problem::at(
            code,
            path,
            line,
            message,
            "write one row per shift: employee,day,shift with the instance's ids and days from 0",
        )
    };
    let rows = crate::files::read_csv(
        path,
        "employee,day,shift",
        "one row per shift worked, with the instance's ids and days from 0",
    )?;
    for (line, rec) in rows {
        let line = Some(line);
        let e = b.staff_index(&rec[0]);
        let d = rec[1].parse::<usize>().ok().filter(|d| *d < b.days);
        let s = b.shift_index(&rec[2]);
        match (e, d, s) {
            (Some(e), Some(d), Some(s)) if grid[e][d].is_none() => grid[e][d] = Some(s),
            (Some(_), Some(d), Some(_)) => problems.push(bad(
                line,
                Code::CsvDuplicate,
                format!("employee {} has two shifts on day {d}", &rec[0]),
            )),
            _ => problems.push(bad(
                line,
                Code::CsvBadValue,
                format!(
                    "'{},{},{}' names no employee, day and shift of the instance",
                    &rec[0], &rec[1], &rec[2]
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(grid)
    } else {
        Err(problems)
    }
}

/// Writes a benchmark roster in the form [`read_grid`] reads.
pub fn write_grid(b: &Benchmark, grid: &Grid) -> String {
    let mut s = String::from("employee,day,shift\n");
    for (e, days) in grid.iter().enumerate() {
        for (d, x) in days.iter().enumerate() {
            if let Some(x) = x {
                s.push_str(&format!("{},{d},{}\n", b.staff[e].id, b.shifts[*x].id));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    //! Each benchmark rule caught on a one-employee week that breaks it,
    //! and none on one that keeps them all.

    use super::*;
    use crate::input::curtois::load_benchmark;

    /// One employee over a week: early (E) and late (L) shifts of 8 h, no
    /// early after a late, at most 2 lates, 16–40 h, 2–5 days in a row,
    /// days off at least 2 in a row, at most `weekends` weekends, off on
    /// days 0 and 6.
    fn week(weekends: u32) -> Benchmark {
        let text = format!(
            "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nE,480,\nL,480,E\n\n\
             SECTION_STAFF\nA,E=7|L=2,2400,960,5,2,2,{weekends}\n\nSECTION_DAYS_OFF\nA,0,6\n\n\
             SECTION_SHIFT_ON_REQUESTS\n\nSECTION_SHIFT_OFF_REQUESTS\n\nSECTION_COVER\n0,E,1,100,1\n"
        );
        let dir = tempfile::tempdir().expect("temp folder");
        let path = dir.path().join("week.txt");
        std::fs::write(&path, text).expect("write");
        load_benchmark(&path).expect("the test week reads")
    }

    /// The rules broken by employee A working `days` (`.` off, `E`, `L`).
    fn broken(b: &Benchmark, days: &str) -> Vec<Rule> {
        let row = days
            .chars()
            .map(|c| match c {
                'E' => Some(0),
                'L' => Some(1),
                _ => None,
            })
            .collect();
        let mut rules: Vec<Rule> = check(b, &vec![row]).0.iter().map(|v| v.rule).collect();
        rules.sort();
        rules.dedup();
        rules
    }

    #[test]
    fn a_week_that_keeps_every_rule_breaks_none() {
        assert_eq!(broken(&week(1), ".EEEE.."), Vec::<Rule>::new());
        assert_eq!(broken(&week(0), ".LLEE.."), vec![Rule::Succession]);
    }

    #[test]
    fn every_benchmark_rule_is_caught_where_it_is_broken() {
        let cases = [
            (Rule::DayOff, 1, "EEEE..."),
            (Rule::Succession, 1, ".LEEE.."),
            (Rule::MaxShifts, 1, ".LLL..."),
            (Rule::TotalMinutes, 1, ".E....."),
            (Rule::MaxConsecutive, 1, ".EEEEEE"),
            (Rule::MinConsecutive, 1, ".E.EE.."),
            (Rule::MinDaysOff, 1, ".EE.EE."),
            (Rule::MaxWeekends, 0, "...EEE."),
        ];
        for r in Rule::CURTOIS {
            let (_, weekends, days) = cases
                .iter()
                .find(|c| c.0 == r)
                .unwrap_or_else(|| panic!("{r} has no case"));
            let found = broken(&week(*weekends), days);
            assert!(found.contains(&r), "{r} not caught in {days}: {found:?}");
        }
    }
}
