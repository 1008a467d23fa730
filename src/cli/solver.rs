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
    /// HiGHS threads (1: deterministic); capped at the cores this process
    /// may use.
    #[arg(long, default_value_t = 1)]
    pub threads: u32,
    /// HiGHS random seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u32,
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
        if self.threads == 0 {
            return Err(UsageError {
                flag: "--threads",
                message: "must be at least 1".into(),
            });
        }
        Ok(PlanOptions {
            time_limit_s: self.time_limit,
            work_limit: self.work_limit,
            gap,
            threads: slaplan::cap_threads(self.threads as usize) as u32,
            seed: self.seed,
            solver_log: self.solver_log,
            ..PlanOptions::default()
        })
    }
}
