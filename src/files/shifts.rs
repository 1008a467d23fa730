//! `shifts.csv`: the plan's shifts per planning group and shift option,
//! with the breaks' starts (`docs/formats.md`).

use serde::{Deserialize, Serialize};

/// The header of `shifts.csv`.
pub const SHIFTS_HEADER: &str = "group,day,date,template,start,end,count,breaks";

/// One row: a group's agents on one shift option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftRow {
    /// `skill_group/contract[/site]`.
    pub group: String,
    /// `Mon` … `Sun`.
    pub day: String,
    pub date: String,
    pub template: String,
    /// `HH:MM`, the model's time zone; `end` past midnight for night shifts.
    pub start: String,
    pub end: String,
    pub count: u32,
    /// Space-separated `NxLENmin@HH:MM`: `N` agents start a break of that
    /// length then.
    pub breaks: String,
}

/// `shifts.csv` of `rows`, in their order.
pub fn shifts_csv(rows: &[ShiftRow]) -> String {
    // The header from the constant, also for an empty file; rows
    // without the one serde would write again.
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(SHIFTS_HEADER.split(',')).expect("in memory");
    for r in rows {
        w.serialize(r).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 fields")
}

/// Reads `shifts.csv`; every problem with its line.
pub fn read_shifts(path: &std::path::Path) -> Result<Vec<ShiftRow>, Vec<crate::input::Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in super::read_csv(path, SHIFTS_HEADER, "see docs/formats.md")? {
        match r.deserialize::<ShiftRow>(None) {
            Ok(x) => out.push(x),
            Err(e) => problems.push(crate::input::Problem::at(
                crate::input::Code::CsvBadValue,
                path,
                Some(line),
                format!("not a shifts row: {e}"),
                "write the file slaplan plan writes",
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
