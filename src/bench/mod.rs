//! `slaplan bench SUITE`: runs a suite of cases — weeks planned, rostered
//! and replayed as `slaplan plan` does them, Curtois–Qu instances rostered
//! as `slaplan roster --curtois` does — under deterministic work budgets,
//! and writes one results file: per case the objective, bound, gap,
//! status, the solver's work counters, and what was measured (wall time,
//! the time as a ratio to a calibration workload run in the same process,
//! peak memory). [`compare`] holds a run against a committed baseline and
//! names every regression; [`merge`] joins the results of shards (`--shard
//! I/N`, every N-th case) into the run they split.
//!
//! The suite file (YAML, `docs/formats.md`, "Bench suites"):
//!
//! ```yaml
//! suite: quick
//! work_limit: 200        # nodes per MIP phase, for every case unless it says
//! time_limit_s: 600      # the wall-clock safety cap per case
//! tolerances: { objective: 0.0001, work: 0.25, time: 1.0, min_time_s: 1.0 }
//! cases:
//!   - id: amen
//!     plan: ../instances/amen/strike-week.yaml   # relative to this file
//!     simulate: 10                               # replications of the roster
//!   - id: curtois-1
//!     curtois: Instance1.txt                     # in shared/data/curtois
//! ```

mod compare;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

pub use crate::files::shard::Shard;
pub use compare::{compare, Comparison, Row, Verdict};

use crate::input::Problem;
use crate::plan::{PlanOptions, Status};
use crate::scenario::Override;

/// Default wall-clock cap per case, seconds.
pub const TIME_CAP_S: f64 = 600.0;

/// The environment variable naming the shared reference data folder (the
/// Curtois–Qu instances are in its `curtois/`); else `../../shared/data`
/// from the suite file (the repository's `bench/` beside `../shared`).
pub const DATA_ENV: &str = "SLAPLAN_SHARED_DATA";

/// A suite as its file states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// The suite's name, carried into its results.
    pub suite: String,
    /// Work budget of every case that gives none (`--work-limit`, nodes).
    #[serde(default)]
    pub work_limit: Option<u64>,
    /// Wall-clock cap of every case that gives none, seconds.
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    /// What counts as a regression against a baseline.
    #[serde(default)]
    pub tolerances: Tolerances,
    pub cases: Vec<Case>,
}

/// One case: a week (`plan`) or a benchmark instance (`curtois`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    /// An instance (YAML), relative to the suite file: planned, rostered
    /// (unless `roster: false`) and written as `slaplan plan` does.
    #[serde(default)]
    pub plan: Option<PathBuf>,
    /// A Curtois–Qu instance file in the shared data's `curtois/`.
    #[serde(default)]
    pub curtois: Option<PathBuf>,
    /// Name the agents (plan cases).
    #[serde(default = "yes")]
    pub roster: bool,
    /// Replay the roster call by call with this many replications (plan
    /// cases with a roster): the contracts that hold are a quality figure.
    #[serde(default)]
    pub simulate: Option<usize>,
    /// Verify by simulation and correct, as `slaplan plan` does by default
    /// (a case without it is `plan --no-verify`).
    #[serde(default)]
    pub verify: bool,
    /// Overrides as `slaplan plan --set` takes them.
    #[serde(default)]
    pub set: serde_yaml::Mapping,
    #[serde(default)]
    pub work_limit: Option<u64>,
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    /// The gap above which the case regresses, whatever the baseline.
    #[serde(default)]
    pub max_gap: Option<f64>,
    /// The published optimum (a classic problem's): the case regresses
    /// when its objective is off it by more than the objective tolerance,
    /// whatever the baseline — above it a worse plan, below it a plan
    /// that breaks the problem's constraints.
    #[serde(default)]
    pub optimum: Option<f64>,
    /// Run the planning MIP without its RENS phase (a deliberate
    /// regression, for testing that the bench catches one).
    #[serde(default)]
    pub no_rens: bool,
}

fn yes() -> bool {
    true
}

/// Relative increases that count as a regression (objective, work
/// counters, time ratio). Peak memory is recorded, not compared: cases run
/// in one process, whose allocator keeps what earlier cases freed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tolerances {
    /// The objective may be this share worse.
    pub objective: f64,
    /// Each work counter may grow by this share (and 10 units).
    pub work: f64,
    /// The time ratio may grow by this share, for cases of at least
    /// `min_time_s` seconds (shorter ones are noise).
    pub time: f64,
    pub min_time_s: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            objective: 1e-4,
            work: 0.25,
            time: 1.0,
            min_time_s: 1.0,
        }
    }
}

/// The work the solvers did: counters that do not depend on the machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    pub simplex_iterations: i64,
    pub nodes: i64,
    pub roster_simplex_iterations: i64,
    pub roster_nodes: i64,
}

impl Counters {
    /// Simplex iterations, the plan's and the roster's.
    pub fn iterations(&self) -> i64 {
        self.simplex_iterations + self.roster_simplex_iterations
    }

    /// Branch-and-bound nodes, the plan's and the roster's.
    pub fn nodes(&self) -> i64 {
        self.nodes + self.roster_nodes
    }

    /// The counters by name, in a fixed order.
    pub fn named(&self) -> [(&'static str, i64); 4] {
        [
            ("simplex_iterations", self.simplex_iterations),
            ("nodes", self.nodes),
            ("roster_simplex_iterations", self.roster_simplex_iterations),
            ("roster_nodes", self.roster_nodes),
        ]
    }
}

/// What a case's answer is worth beyond its cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Contractual SLAs, and those that hold in the replay (`simulate`).
    pub contracts: Option<usize>,
    pub contracts_held: Option<usize>,
    /// Rules the roster breaks, by the independent checker.
    pub violations: Option<usize>,
}

/// What was measured (and differs from run to run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    pub wall_s: f64,
    /// Wall time over the run's calibration time.
    pub time_ratio: f64,
    /// The process's peak resident memory during the case, MB (Linux;
    /// `None` where it cannot be reset per case). The cases share one
    /// process: the peak counts what the allocator kept from earlier ones.
    pub peak_rss_mb: Option<f64>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    pub id: String,
    /// Position in the suite (from 0), for merging shards back in order.
    pub index: usize,
    /// `plan` or `curtois`.
    pub kind: String,
    /// `optimal`, `feasible`, `no_solution`, `infeasible`; `skipped` when
    /// its data is absent; `error` when it could not run.
    pub status: String,
    /// Why it stopped, or why it was skipped.
    pub note: String,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub max_gap: Option<f64>,
    /// The suite's published optimum for the case, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimum: Option<f64>,
    pub work: Counters,
    pub quality: Quality,
    pub work_limit: Option<u64>,
    pub measured: Measured,
}

/// One run's results (or shards merged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub suite: String,
    pub version: String,
    /// `debug` or `release`: the build that ran (time ratios compare only
    /// between runs of the same).
    pub build: String,
    /// The suite folder's git commit, when it is in a repository.
    pub commit: Option<String>,
    /// The shard this run took; `None` for the whole suite (or merged).
    pub shard: Option<Shard>,
    /// Seconds of the calibration workload (fastest of three), on this
    /// machine in this run.
    pub calibration_s: f64,
    pub tolerances: Tolerances,
    pub cases: Vec<CaseResult>,
}

/// Status as a rank: higher is better.
pub fn status_rank(status: &str) -> i32 {
    match status {
        "optimal" => 3,
        "feasible" => 2,
        "no_solution" => 1,
        "infeasible" => 0,
        _ => -1,
    }
}

/// Loads a suite file, every problem located.
pub fn load_suite(path: &Path) -> Result<Suite, Vec<Problem>> {
    let suite: Suite = crate::input::load_yaml(path)?;
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    let at = |field: String, message: String, hint: &str| Problem {
        code: crate::input::Code::OutOfRange,
        file: path.to_path_buf(),
        line: None,
        column: None,
        field,
        message,
        hint: hint.into(),
    };
    if suite.cases.is_empty() {
        problems.push(at(
            "cases".into(),
            "the suite lists no case".into(),
            "add cases, each with an id and `plan:` or `curtois:`",
        ));
    }
    for (i, c) in suite.cases.iter().enumerate() {
        if !ids.insert(c.id.clone()) {
            problems.push(at(
                format!("cases[{i}].id"),
                format!("the id '{}' is used twice", c.id),
                "give each case its own id (baselines match cases by id)",
            ));
        }
        if c.plan.is_some() == c.curtois.is_some() {
            problems.push(at(
                format!("cases[{i}]"),
                format!(
                    "case '{}' must give exactly one of `plan:` and `curtois:`",
                    c.id
                ),
                "a week to plan (an instance) or a Curtois–Qu instance to roster",
            ));
        }
        if c.work_limit
            .or(suite.work_limit)
            .is_some_and(|w| w == 0 || w > i32::MAX as u64)
        {
            problems.push(at(
                format!("cases[{i}].work_limit"),
                "a work limit must be between 1 and 2147483647 nodes".into(),
                "give a positive node count",
            ));
        }
        let cap = c.time_limit_s.or(suite.time_limit_s).unwrap_or(TIME_CAP_S);
        if !(cap.is_finite() && cap > 0.0 && cap <= 86_400.0) {
            problems.push(at(
                format!("cases[{i}].time_limit_s"),
                format!("the time cap must be between 0 and 86400 s, got {cap}"),
                "give the wall-clock cap in seconds",
            ));
        }
        if c.simulate.is_some_and(|r| r == 0 || r > 1000) {
            problems.push(at(
                format!("cases[{i}].simulate"),
                "replications must be between 1 and 1000".into(),
                "e.g. simulate: 10",
            ));
        }
    }
    let t = suite.tolerances;
    if [t.objective, t.work, t.time, t.min_time_s]
        .iter()
        .any(|x| !(x.is_finite() && *x >= 0.0))
    {
        problems.push(at(
            "tolerances".into(),
            "tolerances are shares (0.25 for 25%), finite and not negative".into(),
            "e.g. tolerances: { objective: 0.0001, work: 0.25 }",
        ));
    }
    if problems.is_empty() {
        Ok(suite)
    } else {
        Err(problems)
    }
}

/// Runs the cases of `suite` (read from `path`) that `shard` takes, in
/// order; `on_case` hears of each as it starts.
pub fn run(
    suite: &Suite,
    path: &Path,
    shard: Option<Shard>,
    mut on_case: impl FnMut(&Case),
) -> Results {
    let dir = path.parent().unwrap_or(Path::new("."));
    let calibration_s = calibrate();
    let mut cases = Vec::new();
    for (index, case) in suite.cases.iter().enumerate() {
        if shard.is_some_and(|s| !s.takes(index)) {
            continue;
        }
        on_case(case);
        let peak_known = reset_peak();
        let started = Instant::now();
        let mut result = run_case(suite, case, index, dir);
        let wall_s = started.elapsed().as_secs_f64();
        result.measured = Measured {
            wall_s: crate::files::round(wall_s, 3),
            time_ratio: crate::files::round(wall_s / calibration_s, 3),
            peak_rss_mb: peak_rss_mb().filter(|_| peak_known),
        };
        cases.push(result);
    }
    Results {
        suite: suite.suite.clone(),
        version: env!("CARGO_PKG_VERSION").into(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .into(),
        commit: commit(dir),
        shard,
        calibration_s: crate::files::round(calibration_s, 4),
        tolerances: suite.tolerances,
        cases,
    }
}

/// Reads a results file (a run's, or a committed baseline).
pub fn read_results(path: &Path) -> Result<Results, String> {
    let text = crate::input::read_input(path)
        .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a bench results file: {e} (write one with slaplan bench -o)",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// The results as a Markdown table (no baseline to compare with).
pub fn markdown(r: &Results) -> String {
    let mut s = String::from(
        "| case | status | objective | bound | gap | simplex iterations | nodes | wall s | time ratio | peak MB |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for c in &r.cases {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {} |\n",
            c.id,
            c.status,
            num(c.objective),
            num(c.bound),
            c.gap.map_or("–".into(), |g| format!("{:.3}%", 100.0 * g)),
            c.work.iterations(),
            c.work.nodes(),
            c.measured.wall_s,
            c.measured.time_ratio,
            c.measured
                .peak_rss_mb
                .map_or("–".into(), |m| format!("{m:.0}")),
        ));
    }
    s
}

/// A figure for a table: two decimals, or a dash.
fn num(x: Option<f64>) -> String {
    x.map_or("–".to_string(), |v| format!("{v:.2}"))
}

/// Joins shards' results into the results of the whole suite: cases in
/// suite order, the shards' own fields dropped, the slowest calibration
/// kept (each case's ratio was taken against its own shard's).
pub fn merge(parts: &[Results]) -> Result<Results, String> {
    let first = parts.first().ok_or("nothing to merge")?;
    let mut cases: Vec<CaseResult> = Vec::new();
    for p in parts {
        if p.suite != first.suite
            || p.version != first.version
            || p.commit != first.commit
            || p.build != first.build
        {
            return Err(format!(
                "results of suite '{}' {} {} ({}) and '{}' {} {} ({}) do not merge: one suite, one build",
                first.suite,
                first.version,
                first.build,
                first.commit.as_deref().unwrap_or("no commit"),
                p.suite,
                p.version,
                p.build,
                p.commit.as_deref().unwrap_or("no commit")
            ));
        }
        for c in &p.cases {
            if cases.iter().any(|k| k.index == c.index) {
                return Err(format!(
                    "case '{}' is in two of the results: merge each shard once",
                    c.id
                ));
            }
            cases.push(c.clone());
        }
    }
    cases.sort_by_key(|c| c.index);
    Ok(Results {
        shard: None,
        calibration_s: parts.iter().map(|p| p.calibration_s).fold(0.0, f64::max),
        cases,
        ..first.clone()
    })
}

fn run_case(suite: &Suite, case: &Case, index: usize, dir: &Path) -> CaseResult {
    let work_limit = case.work_limit.or(suite.work_limit);
    let cap = case
        .time_limit_s
        .or(suite.time_limit_s)
        .unwrap_or(TIME_CAP_S);
    let mut result = CaseResult {
        id: case.id.clone(),
        index,
        kind: if case.plan.is_some() {
            "plan"
        } else {
            "curtois"
        }
        .into(),
        status: "error".into(),
        note: String::new(),
        objective: None,
        bound: None,
        gap: None,
        max_gap: case.max_gap,
        optimum: case.optimum,
        work: Counters::default(),
        quality: Quality::default(),
        work_limit,
        measured: Measured::default(),
    };
    let opts = PlanOptions {
        time_limit_s: cap,
        work_limit,
        rens: !case.no_rens,
        ..PlanOptions::default()
    };
    let outcome = match (&case.plan, &case.curtois) {
        (Some(instance), _) => plan_case(case, &dir.join(instance), opts, &mut result),
        (None, Some(file)) => {
            let data = data_dir(dir).join("curtois").join(file);
            if !data.exists() {
                result.status = "skipped".into();
                result.note = format!(
                    "SKIPPED: {} not found (set {DATA_ENV} to the shared data folder)",
                    data.display()
                );
                return result;
            }
            curtois_case(&data, opts, &mut result)
        }
        (None, None) => Err("the case names no week and no instance".into()),
    };
    if let Err(e) = outcome {
        result.status = "error".into();
        result.note = e;
    }
    if let (Some(o), Some(b)) = (result.objective, result.bound) {
        result.gap = Some(crate::files::round(
            crate::plan::SolveStats::relative_gap(o, b),
            6,
        ));
    }
    result
}

fn plan_case(
    case: &Case,
    path: &Path,
    opts: PlanOptions,
    result: &mut CaseResult,
) -> Result<(), String> {
    use crate::pipeline::outputs::{write_week, OutputOptions};
    use crate::pipeline::{plan_week, WeekOptions};
    let mut inst = crate::input::load_instance(path).map_err(|p| {
        format!(
            "{} does not load: {}",
            path.display(),
            p.first().map(ToString::to_string).unwrap_or_default()
        )
    })?;
    let overrides: Vec<Override> = case
        .set
        .iter()
        .map(|(k, v)| match k {
            Value::String(key) => Ok(Override {
                key: key.clone(),
                value: v.clone(),
            }),
            _ => Err(format!("case '{}': `set` keys are text", case.id)),
        })
        .collect::<Result<_, _>>()?;
    crate::scenario::apply(&mut inst, &overrides)?;
    let cap = opts.time_limit_s;
    let mut week_opts = WeekOptions::new(opts, case.roster.then_some(cap));
    if case.verify {
        week_opts.verify = Some(crate::pipeline::verify::VerifyOptions::default());
    }
    let week = plan_week(&inst, &week_opts).map_err(|e| e.to_string())?;
    let out = std::env::temp_dir().join(format!(
        "slaplan-bench-{}-{}",
        std::process::id(),
        result.index
    ));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let sim = case
        .simulate
        .map(|replications| crate::simulate::SimOptions {
            replications,
            threads: Some(1),
            ..crate::simulate::SimOptions::default()
        });
    let written = write_week(
        &week,
        &out,
        &OutputOptions {
            instance: path,
            overrides: Vec::new(),
            ics: false,
            simulation: sim.as_ref().filter(|_| week.roster.is_some()),
        },
    );
    let _ = std::fs::remove_dir_all(&out);
    let file = written.map_err(|e| e.to_string())?.file;
    result.status = file.status.as_str().into();
    result.note = file.stopped.clone();
    result.bound = file.lower_bound;
    result.objective = file.cost.map(|c| c.total);
    result.work.simplex_iterations = file.work.simplex_iterations;
    result.work.nodes = file.work.nodes;
    if let Some(r) = &file.roster {
        result.objective = r.cost_total;
        result.work.roster_simplex_iterations = r.simplex_iterations;
        result.work.roster_nodes = r.nodes;
        if status_rank(r.status.as_str()) < status_rank(&result.status) {
            result.status = r.status.as_str().into();
        }
        result.note = format!("{}; roster: {}", result.note, r.stopped);
        if !r.unfilled.is_empty() {
            result.status = "no_solution".into();
            result.note = format!("{}; {} shifts unfilled", result.note, r.unfilled.len());
        }
    }
    if let Some(s) = &file.simulation {
        result.quality.contracts = Some(s.contracts.len());
        result.quality.contracts_held = Some(s.contracts.iter().filter(|c| c.holds).count());
    }
    Ok(())
}

fn curtois_case(path: &Path, opts: PlanOptions, result: &mut CaseResult) -> Result<(), String> {
    let b = crate::input::curtois::load_benchmark(path).map_err(|p| {
        format!(
            "{} does not load: {}",
            path.display(),
            p.first().map(ToString::to_string).unwrap_or_default()
        )
    })?;
    let ropts = crate::roster::RosterOptions::for_plan(&opts, opts.time_limit_s, opts.work_limit)
        .with_gap(0.0);
    let run = crate::pipeline::benchmark::roster_benchmark(&b, &ropts);
    let stats = &run.solved.stats;
    result.status = if run.objective.is_some() && !run.agree() {
        "error".into()
    } else {
        stats.status.as_str().into()
    };
    result.note = stats.stopped.clone();
    result.objective = run.objective.as_ref().map(|o| o.total);
    result.bound = stats.lower_bound;
    result.work.roster_simplex_iterations = stats.simplex_iterations;
    result.work.roster_nodes = stats.nodes;
    result.quality.violations = run.objective.as_ref().map(|_| run.violations.len());
    if run.objective.is_some() && !run.violations.is_empty() && stats.status != Status::NoSolution {
        result.note = format!("{}; {} rules broken", result.note, run.violations.len());
    }
    Ok(())
}

/// The shared data folder: `$SLAPLAN_SHARED_DATA`, else
/// `../../shared/data` from the suite's folder.
fn data_dir(suite_dir: &Path) -> PathBuf {
    std::env::var_os(DATA_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| suite_dir.join("../../shared/data"))
}

/// The fixed calibration workload, fastest of three runs, seconds: what
/// the cases do, in small — a transportation LP solved by HiGHS's simplex
/// (built the same way each time, so the same pivots; 0.20 s in a release
/// build on the reference machine) and Erlang C tables (the requirement
/// step's arithmetic; 0.05 s, and six times that in a debug build).
pub fn calibrate() -> f64 {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(transportation_lp(450));
            let mut sink = 0.0;
            for r in 0..40u32 {
                for k in 1..=400u32 {
                    let load = f64::from(k) * 2.5 + f64::from(r) * 1e-3;
                    let rows = crate::queueing::erlang_c::table(load, 180.0, 1, 2 * k + 60, 20.0);
                    sink += rows.iter().map(|m| m.service_level).sum::<f64>();
                }
            }
            std::hint::black_box(sink);
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
        .max(1e-6)
}

/// The optimum of an `n`-by-`n` transportation problem with fixed costs.
fn transportation_lp(n: usize) -> f64 {
    use highs::{ColProblem, Model, Sense};
    let mut pb = ColProblem::new();
    let supply: Vec<_> = (0..n)
        .map(|i| pb.add_row(..=(10 + (i * 7) % 13) as f64))
        .collect();
    let demand: Vec<_> = (0..n)
        .map(|j| pb.add_row((8 + (j * 5) % 11) as f64..))
        .collect();
    for (i, &s) in supply.iter().enumerate() {
        for (j, &d) in demand.iter().enumerate() {
            let cost = ((i * 37 + j * 91) % 100 + 1) as f64;
            pb.add_column(cost, 0.0.., [(s, 1.0), (d, 1.0)]);
        }
    }
    let mut model = Model::new(pb);
    model.make_quiet();
    model.set_sense(Sense::Minimise);
    model.set_option("threads", 1);
    model.set_option("presolve", "off");
    model.set_option("solver", "simplex");
    model
        .try_solve()
        .map(|s| s.objective_value())
        .unwrap_or(f64::NAN)
}

/// Resets the process's peak resident memory (Linux 4.0+); whether it
/// could.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The process's peak resident memory since the last reset, MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(crate::files::round(kb / 1024.0, 1))
}

/// The commit of the repository holding `dir`, when git can say.
fn commit(dir: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}
