//! Every file the tool writes and reads back, as types that serialise and
//! deserialise — `plan.json`, `simulation.json`, `compare.json`, the CSV
//! headers the roster and the checker share — and how a file is written
//! (whole or not at all). The writers (the pipeline, the simulation,
//! compare) and the readers (the report, the checker, the simulation) use
//! these types and nothing else, so a renamed field fails to compile
//! instead of printing "–". Rounding happens when these are made, never
//! in the computations behind them.

pub mod compare;
pub mod coverage;
pub mod forecast;
pub mod headcount;
pub mod horizon;
pub mod on_call;
pub mod plan;
pub mod roster;
pub mod routing;
pub mod shard;
pub mod shifts;
pub mod simulation;
pub mod staff;
pub mod validate;
pub mod verification;
pub mod visits;

use std::path::Path;

use crate::input::{Code, Problem};

/// `--force`: outputs may replace an input of the run, be written through
/// a symbolic link to the file it names, or into a device or FIFO
/// (a link to `/dev/stdout`). A directory is never replaced.
static FORCE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets `--force` for the rest of the process (see [`FORCE`]).
pub fn set_force(on: bool) {
    FORCE.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Whether `--force` was given.
pub fn forced() -> bool {
    FORCE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that a failure never leaves a partial file behind. Under
/// `--force` a symbolic link is written through (the file it names, so
/// replaced) and a device or FIFO written directly.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    refuse_clobbering(path, false)?;
    if forced() {
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            let with_path = |e: std::io::Error| {
                std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
            };
            if meta.file_type().is_symlink() {
                return write_atomic(&link_target(path).map_err(with_path)?, bytes);
            }
            if !meta.file_type().is_file() {
                return std::fs::write(path, bytes).map_err(with_path);
            }
        }
    }
    write_unchecked(path, bytes)
}

/// Writes a command's files into the folder `dir` (`-o DIR`, which every
/// command takes as a folder), made if needed, as a set: every file is
/// checked before any is written (an input, a link, a device refused as
/// [`write_atomic`] does), then each goes in by a rename. The folder's
/// other files stay: several commands may write into one folder.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> std::io::Result<()> {
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: is not a folder; -o takes a folder, where this command writes {}",
                dir.display(),
                files
                    .iter()
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    for (name, _) in files {
        refuse_clobbering(&dir.join(name), false)?;
    }
    for (name, bytes) in files {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// As [`write_atomic`], for the one file a command is asked to replace
/// although it read it (`bench --update-baseline`'s baseline).
pub fn replace_input(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    refuse_clobbering(path, true)?;
    write_unchecked(path, bytes)
}

/// The file a symbolic link names, following links (at most 40, as the
/// kernel does), whether or not it exists yet.
fn link_target(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        if !std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Ok(at);
        }
        let next = std::fs::read_link(&at)?;
        at = match at.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

fn write_unchecked(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // A file output's folder is made as `plan -o` makes its own.
    let result = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// An output path that must not be written: an input this run read (a
/// model, an instance, a CSV), or something other than a regular file — a
/// symlink, a FIFO, a device, a directory — which a rename would replace.
/// Refused as `InvalidInput`, naming the path (the CLI's exit code 2).
pub fn refuse_clobbering(path: &Path, may_be_input: bool) -> std::io::Result<()> {
    let refuse = |why: &str| {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: {why}; give another output path, or --force to write it anyway",
                path.display()
            ),
        ))
    };
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(()); // nothing there yet
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        // Not even under --force.
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: is a directory; give another output path",
                path.display()
            ),
        ));
    }
    if forced() {
        return Ok(());
    }
    if kind.is_symlink() {
        return refuse("is a symbolic link, not replaced");
    }
    if !kind.is_file() {
        return refuse("is a device, FIFO or socket, not a regular file");
    }
    if !may_be_input && crate::input::was_read(path) {
        return refuse("is an input of this run, not overwritten");
    }
    Ok(())
}

/// `value` as pretty JSON with a final newline, as every JSON file is
/// written.
pub fn json_bytes<T: serde::Serialize>(value: &T) -> std::io::Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(value).map_err(std::io::Error::from)?;
    json.push(b'\n');
    Ok(json)
}

/// Rounds `x` to `digits` decimals, as the files carry numbers; a negative
/// zero becomes zero.
pub fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k + 0.0
}

/// `x` with `decimals` fixed decimals, as every CSV writes its figures:
/// never `-0.00` (a value that rounds to zero has no sign), never `NaN`
/// or infinite (an empty cell: no figure).
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// A CSV file of `rows` (serialised in field order) under `header`, which
/// is written also when there are no rows.
pub(crate) fn csv_of<T: serde::Serialize>(header: &str, rows: &[T]) -> String {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header.split(',')).expect("in memory");
    for r in rows {
        w.serialize(r).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 fields")
}

/// Reads a CSV file of `header` as typed rows with their line numbers, or
/// every row that is not a `what` row.
pub(crate) fn read_rows<T: serde::de::DeserializeOwned>(
    path: &Path,
    header: &str,
    what: &str,
) -> Result<Vec<(usize, T)>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in read_csv(path, header, "see docs/formats.md")? {
        match r.deserialize::<T>(None) {
            Ok(x) => out.push((line, x)),
            Err(e) => problems.push(Problem::at(
                Code::CsvBadValue,
                path,
                Some(line),
                format!("not a {what} row: {e}"),
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
    let text = crate::input::read_input(path)
        .map_err(|e| vec![bad(Code::FileUnreadable, None, format!("cannot read: {e}"))])?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().collect::<Vec<_>>().join(",") == header => {}
        found => {
            let found = found.map_or(String::new(), |h| h.iter().collect::<Vec<_>>().join(","));
            return Err(vec![bad(
                Code::CsvMissingColumn,
                Some(1),
                format!("unexpected header '{found}', expected '{header}'"),
            )]);
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

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_decimals_never_show_a_negative_zero() {
        assert_eq!(super::fixed(-0.0004, 3), "0.000");
        assert_eq!(super::fixed(-0.0006, 3), "-0.001");
        assert_eq!(super::fixed(1.0 / 3.0, 2), "0.33");
        assert_eq!(super::fixed(f64::NAN, 2), "");
    }
}
