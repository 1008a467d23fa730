//! `slaplan plan <instance> -o <dir>`: forecast (when the instance gives
//! history), requirements, the planning MIP, exact re-evaluation; writes
//! `plan.json`, `coverage.csv` and `shifts.csv`. Exit 1 when no acceptable
//! plan exists, with the explanation on stderr and in `plan.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::solver::SolverArgs;
use super::{load_or_report, write_atomic, write_json, Format, RunError, UsageError};
use slaplan::files::plan::PlanFile;
use slaplan::files::round;
use slaplan::model::SlaScope;
use slaplan::pipeline::outputs::{OutputError, OutputOptions};
use slaplan::pipeline::simulate::Simulated;
use slaplan::pipeline::{self, WeekOptions};
use slaplan::plan::{Context, Plan, PlanOptions, SolveStats, Status};

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The instance (YAML).
    instance: PathBuf,
    /// Folder for plan.json, coverage.csv and shifts.csv (created if needed).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    #[command(flatten)]
    solver: SolverArgs,
    /// Count every queue's SLA over this scope instead of its contract's.
    #[arg(long, value_enum)]
    sla_scope: Option<ScopeArg>,
    /// Count day/week (and priced) SLAs exactly from the SL tables, with
    /// binaries where SL is not concave in the agents, instead of the
    /// faster conservative pieces; searched from the conservative plan,
    /// so never dearer than it (docs/model.md).
    #[arg(long)]
    exact_sl: bool,
    /// Seconds for naming the agents (the rostering MIP).
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    roster_time_limit: f64,
    /// Plan only: no roster of named agents (and no re-plans), as a
    /// finance comparison may want; plan.json has `roster: null`.
    #[arg(long, conflicts_with_all = ["ics", "simulate"])]
    no_roster: bool,
    /// Also write one iCalendar file per agent who works (DIR/ics/).
    #[arg(long)]
    ics: bool,
    /// Also write the MIP in LP format, with its variable names.
    #[arg(long, value_name = "FILE")]
    write_lp: Option<PathBuf>,
    /// Replay the roster call by call after planning (simulation.csv, and
    /// `simulation` in plan.json); the options below shape it.
    #[arg(long)]
    simulate: bool,
    #[command(flatten)]
    simulation: super::simulate::ModelArgs,
    /// How the result is printed: the summary for people (table), the
    /// plan.json document (json), or one row per queue and SLA scope with
    /// its projection and simulated verdict (csv).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// The master seed of --simulate's replay, as `slaplan simulate
    /// --seed` (HiGHS's is --solver-seed; the verification's --verify-seed).
    #[arg(long, default_value_t = 7, value_name = "SEED")]
    seed: u64,
    /// Skip the verification: take the queueing tables' projection at its
    /// word. By default the roster is replayed call by call and the plan
    /// corrected where the replay misses a contract (docs/model.md,
    /// "Verified by simulation"); exit 1 when a contract still fails.
    #[arg(long)]
    no_verify: bool,
    /// The default (kept for scripts written when verification was asked
    /// for): refused with --no-roster or on an instance with no contacts.
    #[arg(long, hide = true, conflicts_with_all = ["no_roster", "no_verify"])]
    verify: bool,
    /// Rounds at most after the first replay (each plans, rosters and
    /// replays the week again: a correction where a contract fails, or,
    /// in a week that holds, a plan crediting the pooling gain).
    #[arg(long, default_value_t = slaplan::pipeline::verify::ROUNDS, value_name = "N")]
    verify_rounds: usize,
    /// The verification's master seed (its replications and model are the
    /// simulation options above).
    #[arg(long, default_value_t = 11, value_name = "SEED")]
    verify_seed: u64,
    /// Change the week before planning, e.g. `--set outsourcer.price=3.5
    /// --set outsourcing=off` (repeatable; the keys are in docs/formats.md,
    /// "Scenarios").
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<slaplan::scenario::Override>,
    /// Plan this many consecutive weeks from the instance's, one at a
    /// time, each from what the week before's roster left its agents (rest
    /// owed, days in a row): DIR/week-YYYY-MM-DD/ per week beside
    /// horizon.json and horizon.csv. Each week is forecast from the
    /// instance's history; requests and pins apply to the first week.
    /// Default: the instance's `weeks:` (1 unless it says).
    #[arg(long, value_name = "N", conflicts_with = "write_lp")]
    weeks: Option<usize>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum ScopeArg {
    Interval,
    Day,
    Week,
    Month,
}

impl From<ScopeArg> for SlaScope {
    fn from(s: ScopeArg) -> Self {
        match s {
            ScopeArg::Interval => SlaScope::Interval,
            ScopeArg::Day => SlaScope::Day,
            ScopeArg::Week => SlaScope::Week,
            ScopeArg::Month => SlaScope::Month,
        }
    }
}

impl PlanArgs {
    fn options(&self) -> Result<PlanOptions, UsageError> {
        Ok(PlanOptions {
            sla_scope: self.sla_scope.map(Into::into),
            exact_sl: self.exact_sl,
            ..self.solver.options(0.01)?
        })
    }
}

/// Runs the command; the exit code is 0 (a plan), 1 (none), 2 (bad input).
pub fn run(args: &PlanArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    slaplan::progress::start();
    let result = plan_week(args, out);
    slaplan::progress::finish();
    result
}

fn plan_week(args: &PlanArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let opts = args.options()?;
    let sim_opts = if args.simulate {
        Some(args.simulation.options(args.seed, opts.threads as usize)?)
    } else {
        None
    };
    let Some(mut inst) = load_or_report(&args.instance)? else {
        return Ok(2);
    };
    // A file an override names is recorded by its full path, so that
    // `check` on the folder reads it again from anywhere.
    let set = slaplan::scenario::with_full_paths(&args.set);
    slaplan::scenario::apply(&mut inst, &set).map_err(|message| UsageError {
        flag: "--set",
        message,
    })?;
    let bad = |message: String| UsageError {
        flag: "INSTANCE",
        message,
    };
    // Refused before any work: an LP dump over an input, a link or a device.
    if let Some(path) = &args.write_lp {
        slaplan::files::refuse_clobbering(path, false)?;
    }
    for (asked, flag) in [(args.simulate, "--simulate"), (args.verify, "--verify")] {
        if asked {
            pipeline::simulate::replayable(&inst).map_err(|e| UsageError {
                flag,
                message: format!("{}: {e}", args.instance.display()),
            })?;
        }
    }
    // The verification's replays and --simulate share the model options.
    let verify_sim = if args.simulate || !args.no_verify {
        Some(
            args.simulation
                .options(args.verify_seed, opts.threads as usize)?,
        )
    } else {
        None
    };
    let replays = args.simulate || !(args.no_verify || args.no_roster);
    if let Some(sim) = verify_sim.as_ref().filter(|_| replays) {
        if pipeline::simulate::replayable(&inst).is_ok() {
            super::simulate::day_error_applies(&inst, sim)?;
        }
    }
    let mut week_opts = WeekOptions::new(opts, (!args.no_roster).then_some(args.roster_time_limit));
    week_opts.write_lp = args.write_lp.is_some();
    if let Some(sim) = verify_sim.filter(|_| !args.no_verify) {
        week_opts.verify = Some(slaplan::pipeline::verify::VerifyOptions {
            sim,
            rounds: args.verify_rounds,
        });
    }
    let out_opts = OutputOptions {
        instance: &args.instance,
        overrides: set.iter().map(ToString::to_string).collect(),
        ics: args.ics,
        simulation: sim_opts.as_ref(),
    };
    let weeks = args.weeks.unwrap_or(inst.weeks);
    if weeks != 1 {
        return horizon(args, weeks, &inst, &week_opts, &out_opts, out);
    }
    let week = pipeline::plan_week(&inst, &week_opts)
        .map_err(|e| bad(format!("{}: {e}", args.instance.display())))?;
    if let (Some(path), Some(lp)) = (&args.write_lp, &week.lp) {
        write_atomic(path, lp.as_bytes())?;
    }
    let written =
        pipeline::outputs::write_week(&week, &args.output, &out_opts).map_err(|e| match e {
            OutputError::Io(e) => RunError::Io(e),
            OutputError::ReadBack(m) => bad(m).into(),
        })?;
    let (cx, result) = (&week.cx, &week.plan);
    let report = &written.file;
    let simulated = &written.simulated;
    slaplan::progress::finish();
    match args.format {
        Format::Json => write_json(out, report)?,
        Format::Csv => out.write_all(slaplan::files::plan::contracts_csv(report).as_bytes())?,
        Format::Table => table(out, cx, result, report, simulated.as_ref(), &args.output)?,
    }
    status(args, &week, report)
}

/// `--weeks N`: the horizon planned week by week and written as one set;
/// a line per week and the sums; exit 1 when a week is not acceptable.
fn horizon(
    args: &PlanArgs,
    weeks: usize,
    inst: &slaplan::model::Instance,
    week_opts: &WeekOptions,
    out_opts: &OutputOptions,
    out: &mut dyn Write,
) -> Result<u8, RunError> {
    use slaplan::pipeline::horizon::{plan_horizon, HorizonError};
    let h = match plan_horizon(inst, weeks, week_opts, &args.output, out_opts) {
        Ok(h) => h,
        Err(HorizonError::Output(OutputError::Io(e))) => return Err(RunError::Io(e)),
        // Checked before any work (`pipeline::horizon::plannable`).
        Err(HorizonError::Refused(message)) => {
            return Err(UsageError {
                flag: "--weeks",
                message: format!("{}: {message}", args.instance.display()),
            }
            .into())
        }
        Err(e) => {
            return Err(UsageError {
                flag: "INSTANCE",
                message: format!("{}: {e}", args.instance.display()),
            }
            .into())
        }
    };
    slaplan::progress::finish();
    match args.format {
        Format::Json => write_json(out, &h)?,
        Format::Csv => out.write_all(slaplan::files::horizon::horizon_csv(&h).as_bytes())?,
        Format::Table => {
            let money = |x: Option<f64>| x.map_or("–".into(), |v| format!("{v:.2}"));
            for w in &h.weeks {
                writeln!(
                    out,
                    "week of {}: {} cost {} bound {} {} ({} carrying rest, {} days in a row) {:.1} s",
                    w.week_start,
                    w.status.as_str(),
                    money(w.cost),
                    money(w.lower_bound),
                    if w.acceptable { "acceptable" } else { "NOT acceptable" },
                    w.carried_rest,
                    w.carried_runs,
                    w.seconds
                )?;
            }
            for m in &h.months {
                writeln!(
                    out,
                    "month {}: {} week(s), cost {:.2}",
                    m.month, m.weeks, m.cost
                )?;
            }
            for m in &h.month_sla {
                writeln!(
                    out,
                    "month {} SLA, {}: {:.2}% of {:.0} contacts in time, target {:.0}%, {}{}",
                    m.month,
                    m.queue,
                    100.0 * m.sl,
                    m.contacts,
                    100.0 * m.target,
                    if m.met { "met" } else { "MISSED" },
                    if m.whole {
                        ""
                    } else {
                        " (the horizon's days of the month)"
                    }
                )?;
            }
            let t = &h.total;
            writeln!(
                out,
                "horizon: {} weeks ({} acceptable), cost {:.2} {} (in-house {:.2}, outsourced {:.2}, penalties {:.2}), bound {:.2}, gap {}, {:.1} s; files in {}",
                t.weeks,
                t.acceptable_weeks,
                t.cost,
                h.currency,
                t.in_house,
                t.outsourced,
                t.penalties,
                t.lower_bound,
                t.gap.map_or("–".into(), |g| format!("{:.2}%", 100.0 * g)),
                t.seconds,
                args.output.display()
            )?;
        }
    }
    Ok(if h.total.acceptable_weeks == h.total.weeks {
        0
    } else {
        1
    })
}

/// The plan for people: its summary, the verification's rounds, the
/// replay's table and the roster's line.
fn table(
    out: &mut dyn Write,
    cx: &Context,
    result: &Plan,
    report: &PlanFile,
    simulated: Option<&Simulated>,
    dir: &Path,
) -> std::io::Result<()> {
    summary(out, cx, result, dir)?;
    if let Some(v) = report
        .verification
        .as_ref()
        .filter(|v| !v.rounds.is_empty())
    {
        verification(out, v)?;
    }
    if let Some(why) = &report.unverified {
        writeln!(
            out,
            "\nnot verified by simulation: {why}; the service levels above are the queueing tables' projection"
        )?;
    }
    if let Some(s) = simulated {
        super::simulate::table(out, s)?;
    }
    if let Some(r) = &report.roster {
        writeln!(
            out,
            "roster: {} shifts for {} agents, {:.1} s ({}); cost {} with the roster's wages, {} from the lower bound",
            r.shifts,
            r.agents_working,
            r.solve_seconds,
            r.status.as_str(),
            r.cost_total.map_or("-".into(), |c| format!("{c:.2}")),
            r.gap_to_lower_bound.map_or("-".into(), |g| format!("{:.3}%", 100.0 * g))
        )?;
    }
    for v in &report.visits {
        writeln!(
            out,
            "field visits ({}): {} blocks for {} engineers, {:.1} h (the plan's {:.1} h on the queue); visits.csv",
            v.queue, v.blocks, v.engineers, v.hours, v.planned_hours
        )?;
    }
    if let Some(o) = &report.on_call {
        for r in &o.rotas {
            writeln!(
                out,
                "on call ({}, {}): {} duties over {} periods, {:.1} h; expected cost {:.2} {} (allowances {:.2}, {:.2} call-outs expected, {:.1} h of rest paid)",
                r.id,
                r.skill_group,
                r.duties,
                r.periods,
                r.hours_on_call,
                r.expected_cost,
                report.currency,
                r.allowances,
                r.expected_call_outs,
                r.paid_rest_hours
            )?;
        }
    }
    Ok(())
}

/// The exit code, with the reason on stderr when it is not 0: a plan not
/// rostered, no acceptable plan, or a contract failing on the phones.
fn status(
    args: &PlanArgs,
    week: &pipeline::PlannedWeek,
    report: &PlanFile,
) -> Result<u8, RunError> {
    let (inst, result) = (week.cx.inst, &week.plan);
    if let Some(r) = &report.roster {
        if !r.unfilled.is_empty() || r.shifts == 0 {
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "the plan cannot be rostered on the agents as it stands:"
            )?;
            for u in &r.unfilled {
                writeln!(err, "  - {u}")?;
            }
            if r.shifts == 0 {
                writeln!(
                    err,
                    "  - no roster within {} s: raise --roster-time-limit",
                    args.roster_time_limit
                )?;
            }
            return Ok(1);
        }
    }
    if !week.plan.is_acceptable() {
        let mut err = std::io::stderr().lock();
        writeln!(err, "no acceptable plan: {}", status_line(&result.stats))?;
        if result.stats.status == Status::NoSolution && !result.shortfalls.is_empty() {
            writeln!(
                err,
                "  not proven infeasible; a re-solve with priced slack points at:"
            )?;
        }
        for s in &result.shortfalls {
            writeln!(err, "  - {}", s.message)?;
        }
        if let Some(e) = &result.evaluation {
            for s in e.sla.iter().filter(|s| s.contractual && !s.kept) {
                writeln!(
                    err,
                    "  - {}: the exact evaluation finds {:.2}% where the plan promised {:.2}% (a defect: please report it)",
                    inst.centre.queues[s.queue].id,
                    s.achieved * 100.0,
                    s.promised * 100.0
                )?;
            }
        }
        return Ok(1);
    }
    if let Some(o) = report.on_call.as_ref().filter(|o| !o.short.is_empty()) {
        let mut err = std::io::stderr().lock();
        writeln!(err, "the on-call rota cannot be filled:")?;
        for s in &o.short {
            writeln!(
                err,
                "  - {} {} to {}: {} agent(s) short; of the group, {}",
                s.rota, s.start, s.end, s.missing, s.why
            )?;
        }
        return Ok(1);
    }
    if let Some(v) = report.verification.as_ref().filter(|v| !v.holds) {
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "the roster does not keep every contract when replayed call by call ({} replications, {} corrections):",
            v.replications,
            v.rounds.len().saturating_sub(1)
        )?;
        let kept = v.kept();
        for c in kept
            .iter()
            .flat_map(|r| &r.verdicts)
            .filter(|c| !c.priced && !c.holds)
        {
            writeln!(err, "  - {}", slaplan::pipeline::verify::explain(c))?;
        }
        return Ok(1);
    }
    Ok(0)
}

/// The verification rounds: cost and contracts held, then the kept
/// round's contracts against their targets.
fn verification(
    out: &mut dyn Write,
    v: &slaplan::files::verification::Verification,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nverified by simulation ({} replications, seed {}{}):",
        v.replications,
        v.seed,
        if v.forecast_error == "none" || v.forecast_error.is_empty() {
            String::new()
        } else {
            format!("; days around the forecast, CV {}", v.forecast_error)
        }
    )?;
    if v.dedicated_failed {
        writeln!(
            out,
            "  the week with groups on their first queue only has no acceptable plan: routed pooled"
        )?;
    } else if !v.dedicated.is_empty() {
        writeln!(
            out,
            "  on their first queue only (secondary skills off): {}",
            v.dedicated.join(", ")
        )?;
    }
    for (k, r) in v.rounds.iter().enumerate() {
        if v.pooled_from == Some(k) {
            writeln!(
                out,
                "  then from the pooled routing (the week kept failed, or cost a fifth or more above its LP bound):"
            )?;
        }
        let held = r.verdicts.iter().filter(|c| c.priced || c.holds).count();
        writeln!(
            out,
            "  round {k} ({}): cost {:.2}, {held}/{} contracts hold; {:.1} s, {} replications{}",
            v.kind(k),
            r.cost,
            r.verdicts.len(),
            r.seconds,
            r.replays,
            if v.chosen == Some(k) { "  <- kept" } else { "" }
        )?;
    }
    if !v.stopped.is_empty() && (!v.holds || v.rounds.len() > 1) {
        writeln!(out, "  stopped: {}", v.stopped)?;
    }
    let Some(r) = v.kept() else {
        return Ok(());
    };
    super::simulate::contracts(out, &r.verdicts)?;
    Ok(())
}

fn status_line(s: &SolveStats) -> String {
    match s.status {
        Status::Optimal => "optimal".into(),
        Status::Feasible => format!("feasible, search stopped: {}", s.stopped),
        Status::NoSolution => format!("no plan found before the search stopped ({})", s.stopped),
        Status::Infeasible => "infeasible: the week cannot be planned as stated".into(),
    }
}

fn summary(out: &mut dyn Write, cx: &Context, p: &Plan, dir: &Path) -> std::io::Result<()> {
    let c = &cx.inst.centre;
    writeln!(
        out,
        "{} — plan for the week of {}",
        c.name, cx.inst.week_start
    )?;
    writeln!(
        out,
        "status: {}; {:.1} s, {} simplex iterations, {} nodes; model {} columns ({} integer), {} rows",
        status_line(&p.stats),
        p.stats.solve_seconds,
        p.stats.simplex_iterations,
        p.stats.nodes,
        p.model_size.columns,
        p.model_size.integer_columns,
        p.model_size.rows
    )?;
    if let Some(s) = &p.solution {
        writeln!(
            out,
            "cost: {:.2} (in-house {:.2}, outsourced {:.2}, penalties {:.2}); lower bound {}; gap {}",
            round(s.costs.total, 2),
            round(s.costs.in_house, 2),
            round(s.costs.outsourced, 2),
            round(s.costs.penalties, 2),
            p.stats.lower_bound.map_or("-".into(), |b| format!("{b:.2}")),
            p.stats.gap.map_or("-".into(), |g| format!("{:.3}%", g * 100.0))
        )?;
    }
    if let Some(e) = &p.evaluation {
        writeln!(
            out,
            "\nqueue          scope     target  achieved  promised  periods met"
        )?;
        for s in e.sla.iter().filter(|s| s.contractual) {
            writeln!(
                out,
                "{:<14} {:<8} {:>6.1}% {:>8.2}% {:>8.2}%  {:>4}/{:<4} {}",
                c.queues[s.queue].id,
                s.scope.as_str(),
                s.target * 100.0,
                s.achieved * 100.0,
                s.promised * 100.0,
                s.periods_met,
                s.periods,
                if s.kept { "" } else { "NOT KEPT" }
            )?;
        }
    }
    writeln!(out, "\nwritten to {}", dir.display())
}
