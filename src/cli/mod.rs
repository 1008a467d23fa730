//! Command-line interface: clap definitions and the dispatch to one module
//! per subcommand. Results go to stdout, diagnostics to stderr; exit codes
//! are 0 (ok), 1 (no acceptable answer), 2 (bad input or usage).

mod bench;
mod check;
mod compare;
mod erlang;
mod forecast;
mod generate;
mod headcount;
mod help;
mod init;
mod plan;
mod report;
mod roster;
mod simulate;
mod solver;
mod staff;
mod validate;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Plans a contact centre's week: queueing, staffing, shifts, outsourcing.
#[derive(Debug, Parser)]
#[command(name = "slaplan", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Write output files even where they would replace an input of the
    /// run or go through a symbolic link (the file it names is replaced,
    /// a device or FIFO written into); refused otherwise (exit 2). A
    /// directory is never replaced, and `-o` is always a folder.
    #[arg(long, global = true)]
    force: bool,
    /// No progress line and no notes on stderr (there is no progress line
    /// either when stderr is not a terminal); errors still print.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a small commented centre to start from (model, week, agents,
    /// forecast) that validates and plans in seconds.
    #[command(after_help = help::INIT)]
    Init(init::InitArgs),
    /// Erlang B/C/A calculator: agents needed for a service level, and
    /// what each agent count achieves.
    #[command(after_help = help::ERLANG)]
    Erlang(erlang::ErlangArgs),
    /// Check an instance and its model: "ok" with a summary, or every
    /// problem found with its code, place and what to do (exit 2).
    #[command(after_help = help::VALIDATE)]
    Validate(validate::ValidateArgs),
    /// Forecast the week's contacts per queue and interval from the
    /// instance's history; prints the backtest that chose the method.
    #[command(after_help = help::FORECAST)]
    Forecast(forecast::ForecastArgs),
    /// What each queue needs in each interval of the week: load, agents for
    /// its SLA target, agents after shrinkage, and trunk blocking.
    #[command(after_help = help::STAFF)]
    Staff(staff::StaffArgs),
    /// Plan the week: shifts per skill group, breaks, allocation to queues
    /// and outsourcing at minimum cost under the contractual SLAs; writes
    /// plan.json, coverage.csv, shifts.csv, allocation.csv and the roster
    /// of named agents, roster.csv (exit 1: no acceptable plan or roster).
    #[command(after_help = help::PLAN)]
    Plan(plan::PlanArgs),
    /// Rebuild report.html from a plan's output folder (plan.json,
    /// coverage.csv, roster.csv).
    #[command(after_help = help::REPORT)]
    Report(report::ReportArgs),
    /// Plan the week under named scenarios (overrides) in parallel, or a
    /// sweep of one lever; one table of cost, staffing and SLA per
    /// scenario, with the break-even outsourcer price or the marginal cost
    /// of an SLA point (table, CSV, JSON, compare.html).
    #[command(after_help = help::COMPARE)]
    Compare(compare::CompareArgs),
    /// The cheapest headcount per skill group and week over a horizon:
    /// hires (lead time, training), attrition, cuts, overtime, temps and
    /// the outsourcers, with cost per month, year and contact and each
    /// outsourcer's break-even price (headcount.json, headcount.csv).
    #[command(after_help = help::HEADCOUNT)]
    Headcount(headcount::HeadcountArgs),
    /// Check a roster against its instance, independently of the solver:
    /// every labour rule, breaks, skills, coverage and the SLAs recomputed
    /// (exit 1: violations, listed with agent, date and rule).
    #[command(after_help = help::CHECK)]
    Check(check::CheckArgs),
    /// Replay a rostered week call by call over seeded replications:
    /// simulated service levels with 95% intervals beside the plan's
    /// projection; writes simulation.csv and simulation.json.
    #[command(after_help = help::SIMULATE)]
    Simulate(simulate::SimulateArgs),
    /// Roster a Curtois–Qu benchmark instance with the rostering engine;
    /// prints the objective in the benchmark's terms and writes the roster.
    #[command(after_help = help::ROSTER)]
    Roster(roster::RosterArgs),
    /// Run a bench suite (bench/quick.yaml) under work budgets: results
    /// JSON; with --baseline, a Markdown table and exit 1 on a regression.
    #[command(after_help = help::BENCH)]
    Bench(bench::BenchArgs),
    /// Join the results of bench shards (--shard I/N) into one run's.
    #[command(after_help = help::MERGE)]
    Merge(bench::MergeArgs),
    /// Generate a seeded contact history from a centre's published figures
    /// (how the shipped centres' histories were made).
    #[command(after_help = help::GENERATE)]
    GenerateHistory(generate::GenerateArgs),
}

/// How data results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON document.
    Json,
    /// Comma-separated rows with a header.
    Csv,
}

/// A usage or input error found after argument parsing: the flag it
/// concerns and what to do.
#[derive(Debug)]
pub struct UsageError {
    pub flag: &'static str,
    pub message: String,
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version print to stdout and succeed; usage errors
            // print to stderr with exit code 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    slaplan::files::set_force(cli.force);
    slaplan::progress::set_quiet(cli.quiet);
    slaplan::threads::init_global_pool();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Init(args) => init::run(&args, &mut out).map(ExitCode::from),
        Command::Erlang(args) => erlang::run(&args, &mut out).map(|()| ExitCode::SUCCESS),
        Command::Forecast(args) => forecast::run(&args, &mut out).map(|ok| {
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }),
        Command::Staff(args) => staff::run(&args, &mut out).map(|ok| {
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }),
        Command::Plan(args) => plan::run(&args, &mut out).map(ExitCode::from),
        Command::Roster(args) => roster::run(&args, &mut out).map(ExitCode::from),
        Command::Report(args) => report::run(&args, &mut out).map(ExitCode::from),
        Command::Compare(args) => compare::run(&args, &mut out).map(ExitCode::from),
        Command::Headcount(args) => headcount::run(&args, &mut out).map(ExitCode::from),
        Command::Bench(args) => bench::run(&args, &mut out).map(ExitCode::from),
        Command::Merge(args) => bench::merge(&args, &mut out).map(ExitCode::from),
        Command::Check(args) => check::run(&args, &mut out).map(ExitCode::from),
        Command::Simulate(args) => simulate::run(&args, &mut out).map(ExitCode::from),
        Command::GenerateHistory(args) => {
            generate::run(&args, &mut out).map(|()| ExitCode::SUCCESS)
        }
        Command::Validate(args) => validate::run(&args, &mut out).map(|ok| {
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }),
    };
    match result {
        Ok(code) => match out.flush() {
            Ok(()) => code,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
            Err(e) => {
                eprintln!("error: could not write the output: {e}");
                ExitCode::from(1)
            }
        },
        Err(RunError::Usage(e)) => {
            eprintln!("error: {}: {}", e.flag, e.message);
            ExitCode::from(2)
        }
        // A reader that stopped early (`| head`) is not a failure.
        Err(RunError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        // An output path refused (an input, a link, a device): bad options.
        Err(RunError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("error: output refused: {e}");
            ExitCode::from(2)
        }
        Err(RunError::Io(e)) => {
            eprintln!("error: could not write the output: {e}");
            ExitCode::from(1)
        }
    }
}

/// How a command can fail.
#[derive(Debug)]
pub enum RunError {
    Usage(UsageError),
    Io(std::io::Error),
}

impl From<std::io::Error> for RunError {
    fn from(e: std::io::Error) -> Self {
        RunError::Io(e)
    }
}

impl From<UsageError> for RunError {
    fn from(e: UsageError) -> Self {
        RunError::Usage(e)
    }
}

pub(crate) fn write_json<T: serde::Serialize>(
    out: &mut dyn Write,
    value: &T,
) -> Result<(), RunError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

pub(crate) use slaplan::files::{write_atomic, write_files};

/// The value, or every problem printed to stderr (`None`: the command
/// exits 2).
pub(crate) fn or_report<T>(
    loaded: Result<T, Vec<slaplan::input::Problem>>,
) -> Result<Option<T>, RunError> {
    match loaded {
        Ok(v) => Ok(Some(v)),
        Err(problems) => {
            let mut err = std::io::stderr().lock();
            for p in &problems {
                writeln!(err, "{p}")?;
            }
            Ok(None)
        }
    }
}

/// Loads an instance, printing every problem to stderr when it is invalid
/// (`None`: the command exits 2).
pub(crate) fn load_or_report(
    path: &std::path::Path,
) -> Result<Option<slaplan::model::Instance>, RunError> {
    or_report(slaplan::input::load_instance(path))
}

/// The week at `path` and its demand, as the week in `roster`'s folder
/// was planned ([`slaplan::pipeline::as_planned`]: its `plan.json`'s
/// overrides applied again), saying on stderr which overrides it
/// applied; `None` when something was reported.
pub(crate) fn load_week_as_planned(
    path: &std::path::Path,
    roster: &std::path::Path,
) -> Result<Option<(slaplan::model::Instance, Vec<slaplan::model::VolumeRow>)>, RunError> {
    let Some(inst) = load_or_report(path)? else {
        return Ok(None);
    };
    let Some((inst, applied)) = or_report(slaplan::pipeline::as_planned(inst, roster))? else {
        return Ok(None);
    };
    if !applied.is_empty() {
        writeln!(
            std::io::stderr().lock(),
            "as planned, with its plan.json's overrides: {}",
            applied.join(", ")
        )?;
    }
    demand_of(path, inst)
}

/// The week's demand for `inst` (read from `path`), or the error said.
fn demand_of(
    path: &std::path::Path,
    inst: slaplan::model::Instance,
) -> Result<Option<(slaplan::model::Instance, Vec<slaplan::model::VolumeRow>)>, RunError> {
    match slaplan::pipeline::demand(&inst) {
        Ok(rows) => Ok(Some((inst, rows))),
        Err(e) => {
            writeln!(std::io::stderr().lock(), "{}: {e}", path.display())?;
            Ok(None)
        }
    }
}

/// `allocation.csv` beside a roster file, unless given.
pub(crate) fn allocation_beside(
    roster: &std::path::Path,
    given: Option<&std::path::Path>,
) -> std::path::PathBuf {
    beside(roster, given, "allocation.csv")
}

/// `given`, else the file `name` in the roster's folder.
pub(crate) fn beside(
    roster: &std::path::Path,
    given: Option<&std::path::Path>,
    name: &str,
) -> std::path::PathBuf {
    given.map_or_else(
        || {
            roster
                .parent()
                .unwrap_or(std::path::Path::new("."))
                .join(name)
        },
        std::path::Path::to_path_buf,
    )
}
