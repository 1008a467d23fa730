//! `slaplan generate-history <spec.yaml> -o history.csv`: the seeded
//! generator that builds the shipped centres' histories from their
//! published figures (see `src/generate.rs` and `docs/formats.md`).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{write_atomic, RunError, UsageError};
use crate::generate;
use crate::input::load_model;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The generator spec (YAML): model, first week, weeks, seed, volumes.
    spec: PathBuf,
    /// Where to write the history CSV (standard output when absent).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &GenerateArgs, out: &mut dyn Write) -> Result<(), RunError> {
    let bad = |message: String| UsageError {
        flag: "SPEC",
        message,
    };
    let spec = generate::read_spec(&args.spec).map_err(bad)?;
    let model_path = args
        .spec
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(&spec.model);
    let centre = load_model(&model_path).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bad(format!("the model does not load:\n{}", list.join("\n")))
    })?;
    let rows = generate::generate(&spec, &centre)
        .map_err(|e| bad(format!("{}: {e}", args.spec.display())))?;
    let mut bytes = Vec::new();
    generate::write_csv(&rows, &mut bytes)?;
    match &args.output {
        Some(path) => write_atomic(path, &bytes)?,
        None => out.write_all(&bytes)?,
    }
    Ok(())
}
