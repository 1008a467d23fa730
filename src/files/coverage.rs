//! `coverage.csv`: per queue and interval, the forecast, the agents
//! required, those the plan staffs in-house, the contacts and seats sent
//! to outsourcers, the projected SL and the trunks' blocking. The pipeline
//! writes [`CoverageRow`]s; the report reads them back.

use std::path::Path;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::fixed;
use crate::input::{Code, Problem};

/// The header of `coverage.csv` (documented in `docs/formats.md`).
pub const COVERAGE_HEADER: &str = "queue,interval_start,repeated_hour,forecast_contacts,required_agents,staffed_in_house_agents,outsourced_contacts,projected_sl_share,trunk_blocking_share,outsourced_agents,required_in_house_agents";

/// One row of `coverage.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub queue: String,
    /// Local start, `YYYY-MM-DDTHH:MM`.
    pub interval_start: String,
    /// The second of two local hours with one name (the autumn change).
    pub repeated_hour: bool,
    pub forecast_contacts: f64,
    /// Agents for the queue's target (voice queues only).
    pub required_agents: Option<f64>,
    #[serde(rename = "staffed_in_house_agents")]
    pub staffed_in_house: f64,
    pub outsourced_contacts: f64,
    /// A share, 0 to 1.
    #[serde(rename = "projected_sl_share")]
    pub projected_sl: f64,
    /// Blocking on the trunk lines, where the centre has them (a share).
    #[serde(rename = "trunk_blocking_share")]
    pub trunk_blocking: Option<f64>,
    /// The outsourcers' seats busy with the contacts sent.
    pub outsourced_agents: f64,
    /// Voice: agents the target needs for the contacts kept in-house (the
    /// forecast less those sent out), as `required_agents` counts them.
    pub required_in_house_agents: Option<f64>,
}

impl CoverageRow {
    /// The row's local start.
    pub fn start(&self) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(&self.interval_start, "%Y-%m-%dT%H:%M").ok()
    }

    /// The row as the file carries it: fixed decimals, empty where absent.
    fn line(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            self.queue,
            self.interval_start,
            self.repeated_hour,
            fixed(self.forecast_contacts, 3),
            self.required_agents
                .map(|r| fixed(r, 3))
                .unwrap_or_default(),
            fixed(self.staffed_in_house, 3),
            fixed(self.outsourced_contacts, 3),
            fixed(self.projected_sl, 4),
            self.trunk_blocking.map(|b| fixed(b, 4)).unwrap_or_default(),
            fixed(self.outsourced_agents, 3),
            self.required_in_house_agents
                .map(|r| fixed(r, 3))
                .unwrap_or_default()
        )
    }
}

/// `coverage.csv` of `rows`.
pub fn write(rows: &[CoverageRow]) -> Vec<u8> {
    let mut out = format!("{COVERAGE_HEADER}\n");
    for r in rows {
        out.push_str(&r.line());
    }
    out.into_bytes()
}

/// Reads `coverage.csv`: its rows, or every problem with its line.
pub fn read(path: &Path) -> Result<Vec<CoverageRow>, Vec<Problem>> {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in super::read_csv(path, COVERAGE_HEADER, "see docs/formats.md")? {
        match r.deserialize::<CoverageRow>(None) {
            Ok(row) if row.start().is_some() => rows.push(row),
            Ok(row) => problems.push(bad(
                path,
                line,
                format!(
                    "'{}' is not a local date-time YYYY-MM-DDTHH:MM",
                    row.interval_start
                ),
            )),
            Err(e) => problems.push(bad(path, line, format!("not a coverage row: {e}"))),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn bad(path: &Path, line: usize, message: String) -> Problem {
    Problem::at(
        Code::CsvBadValue,
        path,
        Some(line),
        message,
        "write the file slaplan plan writes",
    )
}
