//! The independent checker: re-reads the input and a roster file and
//! verifies every rule, counting from the files alone. It shares nothing
//! with the solver but the input loader and the queueing maths, so a model
//! bug cannot hide in both.

pub mod centre;
pub mod curtois;
pub mod rules;
pub mod service;

use std::path::Path;

use serde::Serialize;

use crate::input::{Code, Problem};

/// One broken rule: who, when, which rule, and by how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Employee or agent id (or the queue, for service rules).
    pub who: String,
    /// The day (an index or a date), when the rule is about one.
    pub day: Option<String>,
    pub rule: rules::Rule,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.who)?;
        if let Some(d) = &self.day {
            write!(f, ", day {d}")?;
        }
        write!(f, ": {}: {}", self.rule, self.detail)
    }
}

/// Reads a roster-like CSV file whose header must be exactly `header`:
/// its rows with their line numbers, or every row that is not CSV.
pub(crate) fn read_csv(
    path: &Path,
    header: &str,
    hint: &str,
) -> Result<Vec<(usize, csv::StringRecord)>, Vec<Problem>> {
    let bad = |code, line, message: String| {
        Problem::at(
            code,
            path,
            line,
            message,
            format!("the file must have the header '{header}'; {hint}"),
        )
    };
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| vec![bad(Code::FileUnreadable, None, format!("cannot read: {e}"))])?;
    match reader.headers() {
        Ok(h) if h.iter().collect::<Vec<_>>().join(",") == header => {}
        _ => {
            return Err(vec![bad(
                Code::CsvMissingColumn,
                Some(1),
                "unexpected header".into(),
            )])
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => rows.push((r.position().map_or(0, |p| p.line() as usize), r)),
            Err(e) => problems.push(bad(
                Code::CsvMalformed,
                e.position().map(|p| p.line() as usize),
                e.to_string(),
            )),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
