//! `slaplan report <dir>`: rebuilds `report.html` from a plan's output
//! folder, reading only the files `slaplan plan` wrote there.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{write_json, Format, RunError};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The folder `slaplan plan -o` wrote (plan.json, coverage.csv,
    /// roster.csv).
    dir: PathBuf,
    /// How the result (the file written) is printed.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Exit 0 with the report written, 2 when the folder does not read.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    match slaplan::report::plan::write(&args.dir) {
        Ok(path) => {
            match args.format {
                Format::Table => writeln!(out, "written {}", path.display())?,
                Format::Json => write_json(
                    out,
                    &serde_json::json!({ "written": [path.display().to_string()] }),
                )?,
                Format::Csv => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(["written"]).map_err(std::io::Error::other)?;
                    w.write_record([path.display().to_string()])
                        .map_err(std::io::Error::other)?;
                    out.write_all(&w.into_inner().map_err(std::io::Error::other)?)?;
                }
            }
            Ok(0)
        }
        Err(p) => {
            writeln!(std::io::stderr().lock(), "{p}")?;
            Ok(2)
        }
    }
}
