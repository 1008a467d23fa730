//! Reading models and instances: the YAML/CSV wire format, and its one-way
//! conversion into validated domain types (`crate::model`).
//!
//! Loading collects every problem it can find in one run, each with a
//! stable code, the file, the line and column, the field path, what is
//! wrong and what to do. Structural problems (unknown or missing keys,
//! wrong types) are found per list element, so one bad queue does not hide
//! the next; value and reference problems are all reported.

mod centre;
pub(crate) mod csvfile;
pub mod curtois;
mod instance;
pub mod problem;
pub mod spans;
mod values;
mod wire;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_yaml::Value;

pub use instance::load_instance;
pub use problem::{Code, Problem, Problems};
use spans::Spans;

/// Loads and validates a model file on its own.
pub fn load_model(path: &Path) -> Result<crate::model::Centre, Vec<Problem>> {
    let mut problems = Problems::default();
    match centre::load_centre(path, &mut problems) {
        Some(c) if problems.is_empty() => Ok(c),
        _ => Err(problems.into_sorted()),
    }
}

/// One YAML file being read: its path, where its fields stand, and the
/// problems found so far (shared across files).
pub(crate) struct Ctx<'p> {
    pub file: PathBuf,
    pub spans: Spans,
    pub problems: &'p mut Problems,
}

impl<'p> Ctx<'p> {
    /// Records a problem at a field path of this file.
    pub fn at(
        &mut self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let place = self.spans.locate(path);
        self.problems.push(Problem {
            code,
            file: self.file.clone(),
            line: place.map(|p| p.0),
            column: place.map(|p| p.1),
            field: path.to_string(),
            message: message.into(),
            hint: hint.into(),
        });
    }

    /// Deserialises `value` (found at `path`) into `T`, recording a located
    /// problem and returning `None` on failure.
    pub fn section<T: DeserializeOwned>(&mut self, value: &Value, path: &str) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(v) => Some(v),
            Err(e) => {
                let inner = e.path().to_string();
                let inner = if inner == "." { String::new() } else { inner };
                let full = match (path.is_empty(), inner.is_empty()) {
                    (_, true) => path.to_string(),
                    (true, false) => inner,
                    (false, false) if inner.starts_with('[') => format!("{path}{inner}"),
                    (false, false) => format!("{path}.{inner}"),
                };
                let message = e.into_inner().to_string();
                self.serde_problem(&full, &message);
                None
            }
        }
    }

    /// Classifies a serde message into a code, a place and a hint.
    fn serde_problem(&mut self, path: &str, message: &str) {
        let quoted = message.split('`').nth(1).unwrap_or("").to_string();
        if message.starts_with("unknown field") {
            // serde_path_to_error's path already ends at the unknown key.
            let key_path = if path == quoted || path.ends_with(&format!(".{quoted}")) {
                path.to_string()
            } else {
                spans::join(path, &quoted)
            };
            let expected = message.split_once("expected").map_or("", |x| x.1).trim();
            self.at(
                Code::UnknownField,
                &key_path,
                format!("unknown key '{quoted}'"),
                format!(
                    "remove it or correct its spelling (expected {expected}); see docs/formats.md"
                ),
            );
        } else if message.starts_with("missing field") {
            self.at(
                Code::MissingField,
                path,
                format!("required key '{quoted}' is missing"),
                format!("add '{quoted}:' here; see docs/formats.md"),
            );
        } else if message.starts_with("unknown variant") {
            let expected = message.split_once("expected").map_or("", |x| x.1).trim();
            self.at(
                Code::WrongType,
                path,
                format!("'{quoted}' is not one of the allowed values"),
                format!("use {expected}"),
            );
        } else {
            self.at(
                Code::WrongType,
                path,
                plain(message),
                "give a value of the kind docs/formats.md describes for this field",
            );
        }
    }

    /// Deserialises each element of a YAML list on its own.
    pub fn list<T: DeserializeOwned>(
        &mut self,
        value: Option<&Value>,
        path: &str,
    ) -> Vec<(String, T)> {
        let Some(value) = value else {
            return Vec::new();
        };
        let Some(items) = value.as_sequence() else {
            self.at(
                Code::WrongType,
                path,
                "expected a list",
                format!("write {path} as a list of '- ' entries"),
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let p = spans::index(path, i);
                self.section(item, &p).map(|t| (p, t))
            })
            .collect()
    }
}

/// Longest id, in characters.
pub const MAX_ID_LEN: usize = 64;

/// What to do about a bad id.
pub const ID_HINT: &str =
    "write ids with letters, digits, '_', '-' and '.' only (at most 64), e.g. level1, AM001; names may say anything";

/// Why `id` cannot be an id, if it cannot: ids go into CSV cells, `;`
/// lists, `group/contract` labels, file names (`ics/`) and terminals, so
/// they are ASCII letters, digits, `_`, `-` and `.` — no spaces, tabs,
/// control characters, separators or emoji (a `name` carries the rest).
pub fn bad_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("is empty")
    } else if id.chars().count() > MAX_ID_LEN {
        Some("is longer than 64 characters")
    } else if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        Some("has characters other than letters, digits, '_', '-' and '.'")
    } else {
        None
    }
}

/// A deserialiser's message in the format's words: no type names of ours
/// (`struct DemandW`) nor Rust's (`u32`, `u128`).
pub(crate) fn plain(message: &str) -> String {
    let mut out = message.replacen("invalid type: ", "found ", 1);
    out = out.replacen("invalid value: ", "found ", 1);
    for (kind, says) in [
        ("expected struct ", "expected a map of keys"),
        ("expected enum ", "expected one of the allowed values"),
    ] {
        while let Some(at) = out.find(kind) {
            let rest = &out[at + kind.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out = format!("{}{says}{}", &out[..at], &rest[end..]);
        }
    }
    for (rust, says) in [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65535"),
        ("u32", "a whole number from 0 to 4294967295"),
        ("u64", "a whole number 0 or more"),
        ("u128", "a whole number 0 or more"),
        ("usize", "a whole number 0 or more"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
        ("a string", "text"),
        ("a sequence", "a list"),
        ("a borrowed string", "text"),
    ] {
        // Whole words only: `u32` but not `u32x`.
        for pattern in [format!("expected {rust}"), format!(" as {rust}")] {
            let mut from = 0;
            while let Some(k) = out[from..].find(&pattern).map(|k| k + from) {
                let end = k + pattern.len();
                if out[end..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                    from = end;
                    continue;
                }
                let with = if pattern.starts_with(" as") {
                    String::new()
                } else {
                    format!("expected {says}")
                };
                out.replace_range(k..end, &with);
                from = k + with.len();
            }
        }
    }
    out
}

/// Every input file this process has read (canonical paths), so that no
/// output replaces one (`files::refuse_clobbering`).
static READ: std::sync::Mutex<std::collections::BTreeSet<std::path::PathBuf>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Whether `path` is a file this process read as an input.
pub fn was_read(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| {
        READ.lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&real)
    })
}

/// The largest input file read, bytes (1 GiB): five years of a large
/// centre's 5-minute history is a fifth of it.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// A regular file's bytes, at most [`MAX_INPUT_BYTES`]: a directory, a
/// device, a FIFO or a socket is named as what it is, not read (reading
/// `/dev/zero` would never end).
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    if let Ok(real) = std::fs::canonicalize(path) {
        READ.lock().unwrap_or_else(|e| e.into_inner()).insert(real);
    }
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("it is a directory, not a file".into());
    }
    if !meta.is_file() {
        return Err("it is a device, FIFO or socket, not a regular file".into());
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "it is {} MB, more than the {} MB an input may be",
            meta.len() >> 20,
            MAX_INPUT_BYTES >> 20
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "it grew past the {} MB an input may be while being read",
            MAX_INPUT_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// A file's text, bounded as [`read_bounded`] reads it: for every input
/// besides the instance's own (results, scenarios, rosters, benchmark
/// files, specs). The error says why, without the path.
pub fn read_input(path: &Path) -> Result<String, String> {
    utf8(read_bounded(path)?)
}

/// Bytes as text, or where they stop being UTF-8.
fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads a text file, recording why it cannot be read.
pub(crate) fn read_text(
    problems: &mut Problems,
    path: &Path,
    referenced_from: Option<(&Path, &Spans, &str)>,
) -> Option<String> {
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(e) => {
            let message = format!("cannot read {}: {e}", path.display());
            let hint = "check the path (relative paths are taken from the file that names them)";
            match referenced_from {
                Some((file, spans, field)) => {
                    let place = spans.locate(field);
                    problems.push(Problem {
                        code: Code::FileUnreadable,
                        file: file.to_path_buf(),
                        line: place.map(|p| p.0),
                        column: place.map(|p| p.1),
                        field: field.to_string(),
                        message,
                        hint: hint.into(),
                    });
                }
                None => problems.file(Code::FileUnreadable, path, message, hint),
            }
            return None;
        }
    };
    utf8(bytes)
        .map_err(|message| {
            problems.file(Code::NotText, path, message, "save the file as UTF-8 text")
        })
        .ok()
}

/// Parses YAML text into a value, recording a located syntax problem.
pub(crate) fn parse_yaml(problems: &mut Problems, path: &Path, text: &str) -> Option<Value> {
    match serde_yaml::from_str::<Value>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let loc = e.location();
            let message = e.to_string();
            // serde_yaml appends " at line L column C"; keep only the cause.
            let cause = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            let (cause, loc) = if cause.contains("more than one document") {
                // Said in words, at the first `---` after some content:
                // where the second document starts.
                let mut content = false;
                let second = text.lines().enumerate().find_map(|(i, l)| {
                    let marker = l.trim_end() == "---" || l.starts_with("--- ");
                    if marker && content {
                        return Some(i + 1);
                    }
                    content |= !marker && !l.trim().is_empty() && !l.starts_with('#');
                    None
                });
                (
                    "the file holds more than one YAML document (a '---' line starts another): keep one".to_string(),
                    second.map(|l| (l, 1)),
                )
            } else {
                (plain(&cause), loc.as_ref().map(|l| (l.line(), l.column())))
            };
            let loc = loc.or(Some((1, 1)));
            problems.push(Problem {
                code: Code::YamlSyntax,
                file: path.to_path_buf(),
                line: loc.map(|l| l.0),
                column: loc.map(|l| l.1),
                field: String::new(),
                message: format!("YAML syntax: {cause}"),
                hint: "fix the YAML at that place (indentation, a missing ':' or quote, a truncated file)".into(),
            });
            None
        }
    }
}

/// Opening hours written as in a model file (`{mon-fri: 08:00-20:00, sun:
/// closed}`), read on their own: what a scenario override gives.
pub fn week_hours_text(text: &str) -> Result<crate::model::WeekHours, String> {
    let spec: wire::WeekSpec = serde_yaml::from_str(text).map_err(|e| {
        format!("'{text}' is not a map of days to hours like {{mon-fri: 08:00-20:00, sun: closed}}: {e}")
    })?;
    let mut problems = Problems::default();
    let mut ctx = Ctx {
        file: PathBuf::from("override"),
        spans: Spans::build(""),
        problems: &mut problems,
    };
    match centre::week_hours(&mut ctx, "", &spec) {
        Some(w) if problems.is_empty() => Ok(w),
        _ => Err(problems
            .into_sorted()
            .iter()
            .map(|p| format!("{} ({})", p.message, p.hint))
            .collect::<Vec<_>>()
            .join("; ")),
    }
}

/// Reads a YAML file of the tool's own (a bench suite) into `T`, with
/// every problem located as an instance's are (code, file, line, field).
pub fn load_yaml<T: DeserializeOwned>(path: &Path) -> Result<T, Vec<Problem>> {
    let mut problems = Problems::default();
    let parsed = read_text(&mut problems, path, None).and_then(|text| {
        let value = parse_yaml(&mut problems, path, &text)?;
        let mut ctx = Ctx {
            file: path.to_path_buf(),
            spans: Spans::build(&text),
            problems: &mut problems,
        };
        ctx.section::<T>(&value, "")
    });
    match parsed {
        Some(v) if problems.is_empty() => Ok(v),
        _ => Err(problems.into_sorted()),
    }
}

#[cfg(test)]
mod plain_tests {
    use super::plain;

    /// Issue 24: messages leaked `struct DemandW`, `u32`, `as u128`.
    #[test]
    fn messages_name_no_type_of_ours_or_rust_s() {
        assert_eq!(
            plain("invalid type: integer `5`, expected struct DemandW"),
            "found integer `5`, expected a map of keys"
        );
        assert_eq!(
            plain("invalid value: integer `-1`, expected u32"),
            "found integer `-1`, expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            plain("invalid type: string \"x\", expected a sequence"),
            "found string \"x\", expected a list"
        );
        assert_eq!(
            plain("number too large to fit in target type as u128"),
            "number too large to fit in target type"
        );
        assert_eq!(plain("expected u32x"), "expected u32x");
    }
}
