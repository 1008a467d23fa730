//! `slaplan report <dir>`: rebuilds `report.html` from a plan's output
//! folder, reading only the files `slaplan plan` wrote there.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::RunError;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The folder `slaplan plan -o` wrote (plan.json, coverage.csv,
    /// roster.csv).
    dir: PathBuf,
}

/// Exit 0 with the report written, 2 when the folder does not read.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    match slaplan::report::plan::write(&args.dir) {
        Ok(path) => {
            writeln!(out, "written {}", path.display())?;
            Ok(0)
        }
        Err(p) => {
            writeln!(std::io::stderr().lock(), "{p}")?;
            Ok(2)
        }
    }
}
