//! `slaplan generate-history <spec.yaml> -o DIR` (DIR/history.csv): the seeded
//! generator that builds the shipped centres' histories from their
//! published figures (see `src/generate.rs` and `docs/formats.md`).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{write_files, RunError, UsageError};
use slaplan::generate;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The generator spec (YAML): model, first week, weeks, seed, volumes.
    spec: PathBuf,
    /// Folder for history.csv, made if needed (standard output when
    /// absent).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
}

pub fn run(args: &GenerateArgs, out: &mut dyn Write) -> Result<(), RunError> {
    let bytes = generate::history_csv(&args.spec).map_err(|message| UsageError {
        flag: "SPEC",
        message,
    })?;
    match &args.output {
        Some(dir) => write_files(dir, &[("history.csv", &bytes)])?,
        None => out.write_all(&bytes)?,
    }
    Ok(())
}
