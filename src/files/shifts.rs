//! `shifts.csv`: the plan's shifts per planning group and shift option,
//! with the breaks' starts (`docs/formats.md`).

use serde::{Deserialize, Serialize};

/// The header of `shifts.csv`.
pub const SHIFTS_HEADER: &str = "group,day,date,template,start,end,agents,breaks";

/// One row: a group's agents on one shift option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftRow {
    /// `skill_group/contract[/site]`.
    pub group: String,
    /// `Mon` … `Sun`.
    pub day: String,
    pub date: String,
    pub template: String,
    /// Local `YYYY-MM-DD HH:MM` in the model's time zone; a night shift's
    /// `end` on the next day.
    pub start: String,
    pub end: String,
    /// Agents on this shift option.
    #[serde(rename = "agents")]
    pub count: u32,
    /// Space-separated `NxLENmin@HH:MM`: `N` agents start a break of that
    /// length then.
    pub breaks: String,
}

/// `shifts.csv` of `rows`, in their order.
pub fn shifts_csv(rows: &[ShiftRow]) -> String {
    super::csv_of(SHIFTS_HEADER, rows)
}

/// Reads `shifts.csv`; every problem with its line.
pub fn read_shifts(path: &std::path::Path) -> Result<Vec<ShiftRow>, Vec<crate::input::Problem>> {
    let rows = super::read_rows(path, SHIFTS_HEADER, "shifts")?;
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}
