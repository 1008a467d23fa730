//! The MIP solver's settings, shared by every command that solves one.

use clap::Args;

use super::UsageError;
use slaplan::plan::PlanOptions;

/// The largest work limit: HiGHS's node limit is a 32-bit integer.
const WORK_LIMIT_MAX: u64 = i32::MAX as u64;

#[derive(Debug, Args)]
pub struct SolverArgs {
    /// Stop the MIP search after this many seconds (with --work-limit, a
    /// safety cap only).
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub time_limit: f64,
    /// Budget the search in solver work instead of seconds: this many
    /// branch-and-bound nodes for the plan's MIP (and as many units for
    /// the roster's search), so the same input gives the same plan on any
    /// machine and load (docs/performance.md, "Deterministic budgets").
    #[arg(long, value_name = "NODES")]
    pub work_limit: Option<u64>,
    /// Stop when the cost is within this relative gap of the lower bound
    /// [default: 0.01 for plans, 0 (proven optimal) for benchmarks].
    #[arg(long)]
    pub gap: Option<f64>,
    /// Threads the command may use, the solver's and the simulation's
    /// [default: the cores this process may use]; the results do not
    /// depend on it (HiGHS's MIP search runs on one thread and uses more
    /// only to find symmetries; the simulation draws by replication).
    #[arg(long, value_name = "N")]
    pub threads: Option<u32>,
    /// HiGHS's random seed (the simulation's is --seed).
    #[arg(long, default_value_t = 0, value_name = "SEED")]
    pub solver_seed: u32,
    /// Show the HiGHS log while solving.
    #[arg(long)]
    pub solver_log: bool,
}

impl SolverArgs {
    /// The options, checked; `gap` when `--gap` is not given.
    pub fn options(&self, gap: f64) -> Result<PlanOptions, UsageError> {
        if self.time_limit.is_nan() || self.time_limit <= 0.0 {
            return Err(UsageError {
                flag: "--time-limit",
                message: format!(
                    "must be a positive number of seconds, got {}",
                    self.time_limit
                ),
            });
        }
        let gap = self.gap.unwrap_or(gap);
        if !(0.0..1.0).contains(&gap) {
            return Err(UsageError {
                flag: "--gap",
                message: format!("must be a share in [0, 1), e.g. 0.01, got {gap}"),
            });
        }
        if let Some(w) = self.work_limit {
            if !(1..=WORK_LIMIT_MAX).contains(&w) {
                return Err(UsageError {
                    flag: "--work-limit",
                    message: format!(
                        "must be between 1 and {WORK_LIMIT_MAX} nodes (HiGHS counts nodes \
                         in 32 bits), got {w}"
                    ),
                });
            }
        }
        if self.threads == Some(0) {
            return Err(UsageError {
                flag: "--threads",
                message: "must be at least 1".into(),
            });
        }
        let threads = threads_for(self.threads.map(|t| t as usize), "--threads") as u32;
        Ok(PlanOptions {
            time_limit_s: self.time_limit,
            work_limit: self.work_limit,
            gap,
            threads,
            seed: self.solver_seed,
            solver_log: self.solver_log,
            ..PlanOptions::default()
        })
    }
}

/// The threads a command uses: `asked` (default: the cores this process
/// may use), at most what it can start; a note when fewer than asked.
pub fn threads_for(asked: Option<usize>, flag: &str) -> usize {
    let want = asked.unwrap_or_else(slaplan::threads::cores);
    let threads = slaplan::threads::cap(want);
    if let Some(asked) = asked.filter(|&a| threads < a) {
        slaplan::progress::notice(format!(
            "note: {flag} {asked}: {threads} used, the most this process may start (its cores and process limit)"
        ));
    }
    threads
}
