//! Reads an instance of the Curtois–Qu shift scheduling benchmark (the text
//! format of schedulingbenchmarks.org: `SECTION_HORIZON`, `SECTION_SHIFTS`,
//! `SECTION_STAFF`, `SECTION_DAYS_OFF`, `SECTION_SHIFT_ON_REQUESTS`,
//! `SECTION_SHIFT_OFF_REQUESTS`, `SECTION_COVER`) into the benchmark's own
//! terms. The rostering engine and the checker both start from this.

use std::path::Path;

use super::{Code, Problem};

/// The longest horizon read, in days: ten years. The published instances
/// run to 364 days; the pricing program counts runs and shifts of a kind
/// in 16 bits (below 2^15 for its dominance test), and a MIP over more
/// than ten years of days would not be solved in any time a user waits.
const MAX_DAYS: usize = 3_660;

/// A benchmark instance as the file states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Benchmark {
    /// Days in the horizon; day 0 is a Monday.
    pub days: usize,
    pub shifts: Vec<BenchShift>,
    pub staff: Vec<BenchStaff>,
    pub on_requests: Vec<BenchRequest>,
    pub off_requests: Vec<BenchRequest>,
    pub cover: Vec<BenchCover>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BenchShift {
    pub id: String,
    pub minutes: u32,
    /// Shifts (indices) that may not be worked the day after this one.
    pub cannot_follow: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BenchStaff {
    pub id: String,
    /// Most shifts of each type (by shift index) over the horizon.
    pub max_shifts: Vec<u32>,
    pub max_minutes: u32,
    pub min_minutes: u32,
    pub max_consecutive: u32,
    pub min_consecutive: u32,
    pub min_consecutive_off: u32,
    pub max_weekends: u32,
    /// Days the employee must not work.
    pub days_off: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchRequest {
    pub staff: usize,
    pub day: usize,
    pub shift: usize,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchCover {
    pub day: usize,
    pub shift: usize,
    pub requirement: u32,
    pub under_weight: f64,
    pub over_weight: f64,
}

impl Benchmark {
    pub fn shift_index(&self, id: &str) -> Option<usize> {
        self.shifts.iter().position(|s| s.id == id)
    }

    pub fn staff_index(&self, id: &str) -> Option<usize> {
        self.staff.iter().position(|s| s.id == id)
    }
}

/// Loads a benchmark file; every line that cannot be read is a problem with
/// its line number.
pub fn load_benchmark(path: &Path) -> Result<Benchmark, Vec<Problem>> {
    let text = match crate::input::read_input(path) {
        Ok(t) => t,
        Err(e) => {
            return Err(vec![problem(
                path,
                None,
                Code::FileUnreadable,
                format!("cannot read the benchmark file: {e}"),
                "give the path of an InstanceN.txt file of the Curtois–Qu benchmark",
            )])
        }
    };
    parse(path, &text)
}

fn problem(path: &Path, line: Option<usize>, code: Code, message: String, hint: &str) -> Problem {
    Problem::at(code, path, line, message, hint)
}

/// Lines of one section, with their 1-based line numbers.
type Lines<'t> = Vec<(usize, &'t str)>;

fn parse(path: &Path, text: &str) -> Result<Benchmark, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut sections: Vec<(String, usize, Lines)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("SECTION_") {
            sections.push((line.to_string(), i + 1, Vec::new()));
        } else if let Some(s) = sections.last_mut() {
            s.2.push((i + 1, line));
        } else {
            problems.push(problem(
                path,
                Some(i + 1),
                Code::BenchmarkSyntax,
                format!("'{line}' comes before any SECTION_ header"),
                "start the file with SECTION_HORIZON",
            ));
        }
    }
    let section = |name: &str| sections.iter().find(|s| s.0 == name).map(|s| &s.2[..]);
    let mut bad = |line: usize, message: String, hint: &str| {
        problems.push(problem(
            path,
            Some(line),
            Code::BenchmarkSyntax,
            message,
            hint,
        ))
    };
    for required in [
        "SECTION_HORIZON",
        "SECTION_SHIFTS",
        "SECTION_STAFF",
        "SECTION_COVER",
    ] {
        if section(required).is_none() {
            bad(
                1,
                format!("the file has no {required}"),
                "give every section of the benchmark format",
            );
        }
    }
    // A missing section is told above; an empty one, or a count out of
    // bounds, here.
    let days = match sections.iter().find(|s| s.0 == "SECTION_HORIZON") {
        None => None,
        Some((_, at, lines)) => {
            let (n, t) = lines.first().copied().unwrap_or((*at, ""));
            match t.parse::<usize>() {
                Ok(d) if d > 0 && d <= MAX_DAYS => Some(d),
                _ => {
                    bad(
                        n,
                        format!("horizon '{t}' is not a day count from 1 to {MAX_DAYS}"),
                        "give the horizon in days, ten years at most",
                    );
                    None
                }
            }
        }
    };
    // Without a horizon no day the file names can be judged: the
    // horizon's problem (and any missing section) alone, not one more for
    // every day.
    let Some(days) = days else {
        return Err(problems);
    };
    let shift_lines = section("SECTION_SHIFTS").unwrap_or(&[]);
    let mut shifts: Vec<BenchShift> = Vec::new();
    for &(n, t) in shift_lines {
        let cells: Vec<&str> = t.split(',').collect();
        match (
            cells.first(),
            cells.get(1).and_then(|m| m.trim().parse::<u32>().ok()),
        ) {
            (Some(id), Some(minutes)) if !id.is_empty() => shifts.push(BenchShift {
                id: id.trim().to_string(),
                minutes,
                cannot_follow: Vec::new(),
            }),
            _ => bad(
                n,
                format!("shift line '{t}' is not 'ID,minutes,followers'"),
                "give the shift id and its length in minutes",
            ),
        }
    }
    let index_of = |shifts: &[BenchShift], id: &str| shifts.iter().position(|s| s.id == id.trim());
    for (k, &(n, t)) in shift_lines.iter().enumerate().take(shifts.len()) {
        let followers = t.split(',').nth(2).unwrap_or("");
        for f in followers.split('|').filter(|f| !f.trim().is_empty()) {
            match index_of(&shifts, f) {
                Some(j) => shifts[k].cannot_follow.push(j),
                None => bad(
                    n,
                    format!("unknown shift '{f}' in the successions"),
                    "name shifts of SECTION_SHIFTS",
                ),
            }
        }
    }
    let mut staff: Vec<BenchStaff> = Vec::new();
    for &(n, t) in section("SECTION_STAFF").unwrap_or(&[]) {
        let cells: Vec<&str> = t.split(',').map(str::trim).collect();
        let nums: Vec<Option<u32>> = cells.iter().skip(2).map(|c| c.parse().ok()).collect();
        if cells.len() != 8 || nums.iter().any(Option::is_none) {
            bad(n, format!("staff line '{t}' does not have an id, max shifts and six whole numbers"), "give ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends");
            continue;
        }
        let mut max_shifts = vec![days as u32; shifts.len()];
        for part in cells[1].split('|').filter(|p| !p.is_empty()) {
            let parsed = part
                .split_once('=')
                .and_then(|(s, m)| Some((index_of(&shifts, s)?, m.trim().parse::<u32>().ok()?)));
            match parsed {
                Some((s, m)) => max_shifts[s] = m,
                None => bad(
                    n,
                    format!("max shifts '{part}' is not 'SHIFT=count' with a known shift"),
                    "write e.g. D=14|N=4",
                ),
            }
        }
        let v: Vec<u32> = nums.into_iter().flatten().collect();
        staff.push(BenchStaff {
            id: cells[0].to_string(),
            max_shifts,
            max_minutes: v[0],
            min_minutes: v[1],
            max_consecutive: v[2],
            min_consecutive: v[3],
            min_consecutive_off: v[4],
            max_weekends: v[5],
            days_off: Vec::new(),
        });
    }
    let staff_of = |staff: &[BenchStaff], id: &str| staff.iter().position(|s| s.id == id.trim());
    for &(n, t) in section("SECTION_DAYS_OFF").unwrap_or(&[]) {
        let mut cells = t.split(',');
        let who = cells.next().and_then(|id| staff_of(&staff, id));
        let Some(e) = who else {
            bad(
                n,
                format!("days off '{t}' name no known employee"),
                "name employees of SECTION_STAFF",
            );
            continue;
        };
        for c in cells.filter(|c| !c.trim().is_empty()) {
            match c.trim().parse::<usize>() {
                Ok(d) if d < days => staff[e].days_off.push(d),
                _ => bad(
                    n,
                    format!("day off '{c}' is not a day of the horizon"),
                    "give day indices from 0",
                ),
            }
        }
    }
    let mut requests = |name: &str| {
        let mut out = Vec::new();
        for &(n, t) in section(name).unwrap_or(&[]) {
            let c: Vec<&str> = t.split(',').map(str::trim).collect();
            let parsed = (c.len() == 4)
                .then(|| {
                    Some(BenchRequest {
                        staff: staff_of(&staff, c[0])?,
                        day: c[1].parse().ok().filter(|d| *d < days)?,
                        shift: index_of(&shifts, c[2])?,
                        weight: c[3].parse().ok().filter(|w: &f64| w.is_finite())?,
                    })
                })
                .flatten();
            match parsed {
                Some(r) => out.push(r),
                None => bad(
                    n,
                    format!("request '{t}' is not 'employee,day,shift,weight' with known names"),
                    "name known employees and shifts, days from 0",
                ),
            }
        }
        out
    };
    let on_requests = requests("SECTION_SHIFT_ON_REQUESTS");
    let off_requests = requests("SECTION_SHIFT_OFF_REQUESTS");
    let mut cover = Vec::new();
    for &(n, t) in section("SECTION_COVER").unwrap_or(&[]) {
        let c: Vec<&str> = t.split(',').map(str::trim).collect();
        let parsed = (c.len() == 5)
            .then(|| {
                Some(BenchCover {
                    day: c[0].parse().ok().filter(|d| *d < days)?,
                    shift: index_of(&shifts, c[1])?,
                    // Instance15 writes a zero as "-0".
                    requirement: c[2]
                        .parse::<i64>()
                        .ok()
                        .and_then(|r| u32::try_from(r).ok())?,
                    under_weight: c[3].parse().ok().filter(|w: &f64| w.is_finite())?,
                    over_weight: c[4].parse().ok().filter(|w: &f64| w.is_finite())?,
                })
            })
            .flatten();
        match parsed {
            Some(r) => cover.push(r),
            None => bad(
                n,
                format!("cover '{t}' is not 'day,shift,requirement,under,over'"),
                "give a day of the horizon, a known shift and three numbers",
            ),
        }
    }
    if problems.is_empty() {
        Ok(Benchmark {
            days,
            shifts,
            staff,
            on_requests,
            off_requests,
            cover,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "SECTION_HORIZON\n# days\n7\n\nSECTION_SHIFTS\nE,480,\nL,480,E\n\n\
        SECTION_STAFF\nA,E=7|L=2,2400,960,5,2,2,1\n\nSECTION_DAYS_OFF\nA,0,6\n\n\
        SECTION_SHIFT_ON_REQUESTS\nA,2,L,3\n\nSECTION_SHIFT_OFF_REQUESTS\n\n\
        SECTION_COVER\n0,E,1,100,1\n1,L,2,100,1\n";

    #[test]
    fn reads_every_section() {
        let b = parse(Path::new("t.txt"), SMALL).unwrap();
        assert_eq!(b.days, 7);
        assert_eq!(b.shifts[1].cannot_follow, vec![0]);
        assert_eq!(b.staff[0].max_shifts, vec![7, 2]);
        assert_eq!(b.staff[0].days_off, vec![0, 6]);
        assert_eq!((b.staff[0].min_minutes, b.staff[0].max_weekends), (960, 1));
        assert_eq!(b.on_requests[0].shift, 1);
        assert_eq!(b.cover.len(), 2);
        assert_eq!(b.cover[1].requirement, 2);
    }

    /// A horizon past ten years is refused on its line, not read (the
    /// pricing program's 16-bit counts would wrap), and alone: the days
    /// the file names are not each refused again. So is a horizon section
    /// with no count.
    #[test]
    fn a_horizon_past_ten_years_is_refused() {
        let at_most = SMALL.replace("\n7\n", &format!("\n{MAX_DAYS}\n"));
        assert_eq!(parse(Path::new("t.txt"), &at_most).unwrap().days, MAX_DAYS);
        let text = SMALL.replace("\n7\n", "\n40000\n");
        let p = parse(Path::new("t.txt"), &text).unwrap_err();
        // That one problem, not one more for every day the file names.
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, Some(3), "{:?}", p[0]);
        assert!(p[0].message.contains("40000"), "{}", p[0].message);
        // A horizon section with no count is told on its header.
        let empty = SMALL.replace("# days\n7\n", "");
        let p = parse(Path::new("t.txt"), &empty).unwrap_err();
        assert_eq!((p.len(), p[0].line), (1, Some(1)), "{p:?}");
    }

    #[test]
    fn bad_lines_are_named_with_their_line() {
        let text = SMALL.replace("1,L,2,100,1", "1,X,2,100,1");
        let p = parse(Path::new("t.txt"), &text).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].code, Code::BenchmarkSyntax);
        assert_eq!(p[0].line, Some(22));
        assert!(p[0].message.contains("1,X,2,100,1"), "{}", p[0].message);
    }
}
