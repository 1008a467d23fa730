//! `slaplan init DIR`: writes a small commented centre to start from.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{RunError, UsageError};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write into (made if missing); its other files stay.
    dir: PathBuf,
}

/// Exit 0 with the files written; 2 when one of them exists already.
pub fn run(args: &InitArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let written = slaplan::init::write(&args.dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => RunError::Usage(UsageError {
            flag: "DIR",
            message: e.to_string(),
        }),
        _ => RunError::Io(e),
    })?;
    for path in &written {
        writeln!(out, "written {}", path.display())?;
    }
    let week = args.dir.join("week.yaml");
    writeln!(
        out,
        "\nnext:\n  slaplan validate {w}\n  slaplan plan {w} -o {o}\nthen edit the model (comments on every key; docs/formats.md) and plan again",
        w = week.display(),
        o = args.dir.join("out").display()
    )?;
    Ok(0)
}
