//! `slaplan bench SUITE -o DIR`: runs a bench suite (`bench/`) under
//! its work budgets and writes the results (DIR/bench.json, bench.md); `--baseline FILE` compares
//! them with a committed baseline, prints a Markdown table and exits 1 on
//! a regression. `slaplan merge` joins shards' results.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{or_report, write_files, RunError, UsageError};
use slaplan::bench::{self, Results, Shard};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The suite (YAML, docs/formats.md "Bench suites"), e.g. bench/quick.yaml.
    suite: PathBuf,
    /// Folder for bench.json (the results) and bench.md (the table),
    /// made if needed.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    #[command(flatten)]
    against: Against,
    /// Run only every N-th case, from the I-th (e.g. 2/4); `slaplan merge`
    /// joins the shards.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
}

/// What results are compared with, and where the table goes.
#[derive(Debug, Args)]
pub struct Against {
    /// Compare with this baseline: exit 1 when a case regressed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the results as the new baseline (to --baseline's file), for a
    /// reviewer to commit; never exits 1.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
    /// Also append the Markdown table to this file (e.g.
    /// $GITHUB_STEP_SUMMARY).
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' folders (slaplan bench --shard I/N -o DIR), or their
    /// bench.json files.
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Folder for the merged bench.json and bench.md, made if needed.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    #[command(flatten)]
    against: Against,
}

/// 0: ran (and no regression), 1: a regression, 2: bad input.
pub fn run(args: &BenchArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let Some(suite) = or_report(bench::load_suite(&args.suite))? else {
        return Ok(2);
    };
    // The baseline is read first: a bad one should not cost a whole run.
    let baseline = read_baseline(&args.against)?;
    same_suite(baseline.as_ref(), &suite.suite)?;
    let quiet = slaplan::progress::quiet();
    let results = bench::run(&suite, &args.suite, args.shard, |case| {
        if !quiet {
            eprintln!("bench: {}", case.id);
        }
    });
    for c in results.cases.iter().filter(|c| c.status == "skipped") {
        slaplan::progress::notice(format!("warning: case {} {}", c.id, c.note));
    }
    finish(&results, &args.output, &args.against, baseline, out)
}

/// Joins shards and compares as `bench` does.
pub fn merge(args: &MergeArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let mut parts = Vec::new();
    for p in &args.parts {
        let file = if p.is_dir() {
            p.join("bench.json")
        } else {
            p.clone()
        };
        parts.push(bench::read_results(&file).map_err(|message| UsageError {
            flag: "PARTS",
            message,
        })?);
    }
    let merged = bench::merge(&parts).map_err(|message| UsageError {
        flag: "PARTS",
        message,
    })?;
    let baseline = read_baseline(&args.against)?;
    finish(&merged, &args.output, &args.against, baseline, out)
}

fn read_baseline(a: &Against) -> Result<Option<Results>, RunError> {
    match &a.baseline {
        Some(path) if !a.update_baseline || path.exists() => {
            Ok(Some(bench::read_results(path).map_err(|message| {
                UsageError {
                    flag: "--baseline",
                    message,
                }
            })?))
        }
        _ => Ok(None),
    }
}

/// A baseline of another suite than `suite` is refused.
fn same_suite(baseline: Option<&Results>, suite: &str) -> Result<(), UsageError> {
    match baseline {
        Some(b) if b.suite != suite => Err(UsageError {
            flag: "--baseline",
            message: format!(
                "the baseline is of suite '{}', this suite is '{suite}': compare a suite with its own",
                b.suite
            ),
        }),
        _ => Ok(()),
    }
}

fn finish(
    results: &Results,
    output: &std::path::Path,
    a: &Against,
    baseline: Option<Results>,
    out: &mut dyn Write,
) -> Result<u8, RunError> {
    same_suite(baseline.as_ref(), &results.suite)?;
    let json = slaplan::files::json_bytes(results)?;
    let (table, regressions) = match &baseline {
        Some(b) => {
            let cmp = bench::compare(results, b, None);
            (cmp.markdown(), cmp.regressions())
        }
        None => (bench::markdown(results), 0),
    };
    let md = format!("{table}\n");
    write_files(
        output,
        &[("bench.json", &json), ("bench.md", md.as_bytes())],
    )?;
    writeln!(out, "{table}")?;
    if let Some(path) = &a.summary {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| UsageError {
                flag: "--summary",
                message: format!("cannot append to {}: {e}", path.display()),
            })?;
        writeln!(f, "### slaplan bench: {}\n\n{table}", results.suite)?;
    }
    if a.update_baseline {
        if let Some(path) = &a.baseline {
            slaplan::files::replace_input(path, &json).map_err(|e| UsageError {
                flag: "--baseline",
                message: format!("cannot write {}: {e}", path.display()),
            })?;
            writeln!(out, "baseline written to {}", path.display())?;
        }
        return Ok(0);
    }
    Ok(if regressions > 0 { 1 } else { 0 })
}
