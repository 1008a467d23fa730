//! CSV inputs (forecast, history, agents) read with every problem located
//! by file, line and column name. Columns are found by header name, in any
//! order; columns the format does not use are ignored (ACD exports carry
//! many).

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{read_text, spans::Spans, Code, Problem, Problems};

pub(crate) struct CsvTable {
    pub file: PathBuf,
    headers: Vec<String>,
    pub rows: Vec<(usize, csv::StringRecord)>,
}

/// Reads a CSV file, checking that the `required` columns are there.
pub(crate) fn read_csv(
    problems: &mut Problems,
    path: &Path,
    referenced_from: (&Path, &Spans, &str),
    required: &[&str],
) -> Option<CsvTable> {
    let text = read_text(problems, path, Some(referenced_from))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.to_ascii_lowercase()).collect(),
        Err(e) => {
            problems.file(
                Code::CsvMalformed,
                path,
                format!("unreadable header: {e}"),
                "the first line must name the columns",
            );
            return None;
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        problems.push(Problem {
            code: Code::CsvMissingColumn,
            file: path.to_path_buf(),
            line: Some(1),
            column: None,
            field: missing.join(", "),
            message: format!(
                "missing column(s) {} (found: {})",
                missing.join(", "),
                headers.join(", ")
            ),
            hint: format!("the header must name at least: {}", required.join(", ")),
        });
        return None;
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                rows.push((line, r));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(Problem {
                    code: Code::CsvMalformed,
                    file: path.to_path_buf(),
                    line,
                    column: None,
                    field: String::new(),
                    message: format!("not a valid CSV row: {e}"),
                    hint: "every row needs as many cells as the header; quote cells that contain commas".into(),
                });
            }
        }
    }
    Some(CsvTable {
        file: path.to_path_buf(),
        headers,
        rows,
    })
}

impl CsvTable {
    /// Whether the header names `column`.
    pub fn has(&self, column: &str) -> bool {
        self.headers.iter().any(|h| h == column)
    }

    /// The header's columns, lower-cased.
    pub fn columns(&self) -> &[String] {
        &self.headers
    }

    /// The cell of `column` in `record`, if the column exists and the cell
    /// is not empty.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        let i = self.headers.iter().position(|h| h == column)?;
        record.get(i).filter(|s| !s.is_empty())
    }

    pub fn problem(
        &self,
        problems: &mut Problems,
        line: usize,
        column: &str,
        code: Code,
        message: String,
        hint: &str,
    ) {
        problems.push(Problem {
            code,
            file: self.file.clone(),
            line: Some(line),
            column: None,
            field: column.to_string(),
            message,
            hint: hint.to_string(),
        });
    }

    /// A required cell.
    pub fn text<'r>(
        &self,
        problems: &mut Problems,
        line: usize,
        r: &'r csv::StringRecord,
        column: &str,
    ) -> Option<&'r str> {
        let v = self.get(r, column);
        if v.is_none() {
            self.problem(
                problems,
                line,
                column,
                Code::CsvBadValue,
                format!("empty {column}"),
                "fill in the cell",
            );
        }
        v
    }

    /// A required cell naming an id of `ids`; an unknown one is reported
    /// with the ids allowed.
    pub fn reference(
        &self,
        problems: &mut Problems,
        line: usize,
        r: &csv::StringRecord,
        column: &str,
        ids: &std::collections::BTreeMap<String, usize>,
        code: Code,
    ) -> Option<usize> {
        let v = self.text(problems, line, r, column)?;
        let found = ids.get(v).copied();
        if found.is_none() {
            let known: Vec<&str> = ids.keys().map(String::as_str).collect();
            self.problem(
                problems,
                line,
                column,
                code,
                format!("unknown {column} '{v}'"),
                &format!("use one of: {}", known.join(", ")),
            );
        }
        found
    }

    /// A number ≥ 0 (contacts, seconds).
    pub fn count(
        &self,
        problems: &mut Problems,
        line: usize,
        r: &csv::StringRecord,
        column: &str,
    ) -> Option<f64> {
        let text = self.text(problems, line, r, column)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            Ok(v) if v < 0.0 => {
                self.problem(
                    problems,
                    line,
                    column,
                    Code::NegativeVolume,
                    format!("{column} is negative ({text})"),
                    "volumes and times cannot be negative",
                );
                None
            }
            _ => {
                self.problem(
                    problems,
                    line,
                    column,
                    Code::CsvBadValue,
                    format!("'{text}' is not a number"),
                    "write a plain number such as 42 or 37.5",
                );
                None
            }
        }
    }

    /// A local date-time `YYYY-MM-DDTHH:MM` (or with a space, or seconds).
    pub fn datetime(
        &self,
        problems: &mut Problems,
        line: usize,
        r: &csv::StringRecord,
        column: &str,
    ) -> Option<NaiveDateTime> {
        let text = self.text(problems, line, r, column)?;
        let parsed = parse_datetime(text);
        if parsed.is_none() {
            self.problem(
                problems,
                line,
                column,
                Code::CsvBadValue,
                format!("'{text}' is not a local date and time"),
                "write YYYY-MM-DDTHH:MM, e.g. 2003-03-03T08:30",
            );
        }
        parsed
    }
}

/// Local date-time in the forms ACD exports use.
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text.trim(), f).ok())
}
