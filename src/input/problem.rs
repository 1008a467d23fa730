//! What is wrong with an input, where, and what to do: the problems the
//! loader collects, each with a stable code (listed in `docs/errors.md`).

use std::fmt;
use std::path::{Path, PathBuf};

/// Stable problem codes. The number never changes meaning; new codes are
/// added at the end of their block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A file cannot be read: missing, unreadable, or a dangling reference.
    FileUnreadable,
    /// A file is not text (UTF-8).
    NotText,
    /// YAML syntax error.
    YamlSyntax,
    /// A key the format does not have.
    UnknownField,
    /// A required key is absent.
    MissingField,
    /// A value of the wrong kind (a list where a text is expected, …).
    WrongType,
    /// A duration without a known unit, or negative.
    BadDuration,
    /// A share that is not a percentage or fraction.
    BadShare,
    /// A number outside its allowed range.
    OutOfRange,
    /// A time of day or a time range that cannot be read.
    BadTime,
    /// A time zone that is not an IANA name.
    BadTimeZone,
    /// An interval length other than 15 or 30 minutes.
    BadInterval,
    /// A date that cannot be read.
    BadDate,
    /// A weekday or weekday range that cannot be read.
    BadWeekday,
    /// The same id twice in one list.
    DuplicateId,
    /// A reference to a queue the model lacks.
    UnknownQueue,
    /// A reference to a contract the model lacks.
    UnknownContract,
    /// A reference to a skill group the model lacks.
    UnknownSkillGroup,
    /// A reference to a site the model lacks.
    UnknownSite,
    /// A shift template longer than every contract it may be worked under allows.
    ShiftExceedsContract,
    /// An open interval of a queue that no shift template and no outsourcer can cover.
    UncoverableInterval,
    /// The week does not start on a Monday.
    WeekStartNotMonday,
    /// A list that must not be empty is.
    EmptyList,
    /// Demand must name exactly one of history or forecast.
    DemandSource,
    /// A queue that no skill group and no outsourcer serves.
    UnservedQueue,
    /// A reference to an agent the instance lacks.
    UnknownAgent,
    /// A reference to an outsourcer the model lacks.
    UnknownOutsourcer,
    /// A CSV file lacks a required column.
    CsvMissingColumn,
    /// A CSV cell that cannot be read.
    CsvBadValue,
    /// A negative contact count or volume.
    NegativeVolume,
    /// A CSV row outside the week or off the interval grid.
    CsvOffGrid,
    /// A CSV row that does not parse as CSV (wrong number of cells, …).
    CsvMalformed,
    /// The same CSV key twice (agent id, queue and interval).
    CsvDuplicate,
    /// A range whose end is not after its start.
    EmptyRange,
    /// A line of a rostering benchmark file that cannot be read.
    BenchmarkSyntax,
    /// A reference to a shift template the model lacks.
    UnknownTemplate,
    /// Tiers (queues with a priority) that cannot be planned as one pool.
    TierPool,
}

impl Code {
    /// Every code, in order: `docs/errors.md` documents each.
    pub const ALL: [Code; 37] = [
        Code::FileUnreadable,
        Code::NotText,
        Code::YamlSyntax,
        Code::UnknownField,
        Code::MissingField,
        Code::WrongType,
        Code::BadDuration,
        Code::BadShare,
        Code::OutOfRange,
        Code::BadTime,
        Code::BadTimeZone,
        Code::BadInterval,
        Code::BadDate,
        Code::BadWeekday,
        Code::DuplicateId,
        Code::UnknownQueue,
        Code::UnknownContract,
        Code::UnknownSkillGroup,
        Code::UnknownSite,
        Code::ShiftExceedsContract,
        Code::UncoverableInterval,
        Code::WeekStartNotMonday,
        Code::EmptyList,
        Code::DemandSource,
        Code::UnservedQueue,
        Code::UnknownAgent,
        Code::UnknownOutsourcer,
        Code::CsvMissingColumn,
        Code::CsvBadValue,
        Code::NegativeVolume,
        Code::CsvOffGrid,
        Code::CsvMalformed,
        Code::CsvDuplicate,
        Code::EmptyRange,
        Code::BenchmarkSyntax,
        Code::UnknownTemplate,
        Code::TierPool,
    ];

    /// The code as printed: `E` and three digits.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::FileUnreadable => "E001",
            Code::NotText => "E002",
            Code::YamlSyntax => "E003",
            Code::UnknownField => "E004",
            Code::MissingField => "E005",
            Code::WrongType => "E006",
            Code::BadDuration => "E101",
            Code::BadShare => "E102",
            Code::OutOfRange => "E103",
            Code::BadTime => "E104",
            Code::BadTimeZone => "E105",
            Code::BadInterval => "E106",
            Code::BadDate => "E107",
            Code::BadWeekday => "E108",
            Code::EmptyRange => "E109",
            Code::DuplicateId => "E201",
            Code::UnknownQueue => "E202",
            Code::UnknownContract => "E203",
            Code::UnknownSkillGroup => "E204",
            Code::UnknownSite => "E205",
            Code::UnknownAgent => "E206",
            Code::UnknownOutsourcer => "E213",
            Code::UnknownTemplate => "E214",
            Code::TierPool => "E215",
            Code::ShiftExceedsContract => "E207",
            Code::UncoverableInterval => "E208",
            Code::WeekStartNotMonday => "E209",
            Code::EmptyList => "E210",
            Code::DemandSource => "E211",
            Code::UnservedQueue => "E212",
            Code::CsvMissingColumn => "E301",
            Code::CsvBadValue => "E302",
            Code::NegativeVolume => "E303",
            Code::CsvOffGrid => "E304",
            Code::CsvMalformed => "E305",
            Code::CsvDuplicate => "E306",
            Code::BenchmarkSyntax => "E401",
        }
    }

    /// A short name, for the docs and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Code::FileUnreadable => "file-unreadable",
            Code::NotText => "not-text",
            Code::YamlSyntax => "yaml-syntax",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::BadDuration => "bad-duration",
            Code::BadShare => "bad-share",
            Code::OutOfRange => "out-of-range",
            Code::BadTime => "bad-time",
            Code::BadTimeZone => "bad-time-zone",
            Code::BadInterval => "bad-interval",
            Code::BadDate => "bad-date",
            Code::BadWeekday => "bad-weekday",
            Code::EmptyRange => "empty-range",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownQueue => "unknown-queue",
            Code::UnknownContract => "unknown-contract",
            Code::UnknownSkillGroup => "unknown-skill-group",
            Code::UnknownSite => "unknown-site",
            Code::UnknownAgent => "unknown-agent",
            Code::UnknownOutsourcer => "unknown-outsourcer",
            Code::UnknownTemplate => "unknown-template",
            Code::TierPool => "tier-pool",
            Code::ShiftExceedsContract => "shift-exceeds-contract",
            Code::UncoverableInterval => "uncoverable-interval",
            Code::WeekStartNotMonday => "week-start-not-monday",
            Code::EmptyList => "empty-list",
            Code::DemandSource => "demand-source",
            Code::UnservedQueue => "unserved-queue",
            Code::CsvMissingColumn => "csv-missing-column",
            Code::CsvBadValue => "csv-bad-value",
            Code::NegativeVolume => "negative-volume",
            Code::CsvOffGrid => "csv-off-grid",
            Code::CsvMalformed => "csv-malformed",
            Code::CsvDuplicate => "csv-duplicate",
            Code::BenchmarkSyntax => "benchmark-syntax",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// Field path (`queues[2].sla.answer_within`) or CSV column.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Problem {
    /// A problem at a line of `file` (no column or field).
    pub fn at(
        code: Code,
        file: &Path,
        line: Option<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Problem {
        Problem {
            code,
            file: file.to_path_buf(),
            line,
            column: None,
            field: String::new(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {} [{}]", self.code, self.code.name())?;
        if !self.field.is_empty() {
            write!(f, " {}:", self.field)?;
        }
        write!(f, " {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n    hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// The hint of the line that sums up the problems past
/// [`SAME_KIND_SHOWN`] of one kind.
const SUMMED_UP: &str = "correct the ones listed: the rest are alike";

/// How many problems `list` stands for: each listed one, and for each
/// "and K more like it" line its K (so that "N problems found" counts
/// them all, not the lines printed).
pub fn count(list: &[Problem]) -> usize {
    list.iter()
        .map(|p| {
            if p.hint == SUMMED_UP {
                p.message
                    .split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse().ok())
                    .unwrap_or(1)
            } else {
                1
            }
        })
        .sum()
}

/// Collects problems against one file at a time.
/// Problems of one code in one file kept in full; past these, counted
/// and summed up in one line ("and K more like it"): a million duplicated
/// rows are one mistake, not a million lines of output.
pub const SAME_KIND_SHOWN: usize = 20;

#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
    /// Per (code, file): how many were pushed.
    kinds: std::collections::BTreeMap<(Code, PathBuf), usize>,
    total: usize,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        let seen = self.kinds.entry((p.code, p.file.clone())).or_insert(0);
        *seen += 1;
        if *seen <= SAME_KIND_SHOWN {
            self.list.push(p);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Problems pushed, those summed up included.
    pub fn len(&self) -> usize {
        self.total
    }

    /// The problems sorted by file, line and code: a stable order; then,
    /// per code and file with more than [`SAME_KIND_SHOWN`], one line
    /// saying how many more.
    pub fn into_sorted(mut self) -> Vec<Problem> {
        self.list.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.field, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.field, &b.message))
        });
        self.list.dedup();
        for ((code, file), n) in self.kinds {
            if n > SAME_KIND_SHOWN {
                self.list.push(Problem {
                    code,
                    file,
                    line: None,
                    column: None,
                    field: String::new(),
                    message: format!("and {} more {code} problems like it", n - SAME_KIND_SHOWN),
                    hint: SUMMED_UP.into(),
                });
            }
        }
        self.list
    }

    /// A problem in `file` with no line (whole-file problems).
    pub fn file(
        &mut self,
        code: Code,
        file: &Path,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(Problem {
            code,
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: String::new(),
            message: message.into(),
            hint: hint.into(),
        });
    }
}
