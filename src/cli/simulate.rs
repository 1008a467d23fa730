//! `slaplan simulate <instance> <roster.csv>`: the rostered week replayed
//! call by call over seeded replications; prints the projected against the
//! simulated service, flagged where the projection lies outside the 95%
//! interval, and writes `simulation.csv` and `simulation.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{write_files, write_json, Format, RunError, UsageError};
use slaplan::pipeline::simulate::{simulate_files, Simulated};
use slaplan::simulate::{DayError, HandleTimes, Outsourcing, Shrinkage, SimOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ShrinkageArg {
    /// Spells off the phones, a shrinkage share of each agent's time.
    OffPhone,
    /// Whole shifts absent, each with the shrinkage as probability.
    Absence,
    /// No shrinkage: every rostered minute on the phones.
    None,
}

/// Most replications of a week: the 95% interval narrows as 1/√n, and
/// each replication's tallies are held until the report.
pub const MAX_REPLICATIONS: usize = 10_000;

/// Largest coefficient of variation of lognormal handle times: past it
/// nearly all the work sits in a handful of calls (measured call centres
/// are 0.5–1.5), and the lognormal's parameters lose precision.
pub const MAX_HANDLE_CV: f64 = 10.0;

/// The simulation's model, shared by `simulate` and `plan --simulate`.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Replications of the week (at least 2, for the intervals).
    #[arg(long, default_value_t = 30)]
    replications: usize,
    /// Lognormal handle times with this coefficient of variation (sd/mean)
    /// instead of exponential ones.
    #[arg(long, value_name = "CV")]
    handle_cv: Option<f64>,
    /// How shrinkage takes agents off the phones.
    #[arg(long, value_enum, default_value_t = ShrinkageArg::OffPhone)]
    shrinkage: ShrinkageArg,
    /// Mean length of a spell off the phones (with --shrinkage off-phone).
    #[arg(long, default_value = "15m", value_name = "DURATION")]
    off_phone_mean: String,
    /// Send a call to an open outsourcer serving its queue when no agent
    /// is free and this many calls of the queue already wait, instead of
    /// the plan's share (allocation.csv).
    #[arg(long, value_name = "CALLS")]
    overflow: Option<u32>,
    /// How long a call waits for agents whose first queue it is before
    /// agents with the queue lower in their skills may take it.
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    secondary_delay: String,
    /// How far each queue's day of contacts strays from the forecast: a
    /// coefficient of variation (e.g. 0.1; a gamma factor of mean 1 per
    /// replication, queue and day), `backtest` for the one the forecast's
    /// backtest measured per queue (instances with a history), `intervals`
    /// for that and each interval's own error as the forecast's prediction
    /// intervals measure it, or `none` (the forecast is the arrival rate).
    #[arg(
        long,
        default_value = "none",
        value_name = "CV|backtest|intervals|none"
    )]
    forecast_error: String,
}

/// `--forecast-error` as `opts` hold it can be applied to the week of
/// `inst` (a backtest needs a history).
pub(super) fn day_error_applies(
    inst: &slaplan::model::Instance,
    opts: &SimOptions,
) -> Result<(), UsageError> {
    slaplan::simulate::error_cvs(inst, &opts.day_error)
        .map(|_| ())
        .map_err(|message| UsageError {
            flag: "--forecast-error",
            message,
        })
}

/// Largest day-error coefficient of variation: past it the forecast says
/// next to nothing about the day (measured backtests: 0.05 to 0.3).
pub const MAX_DAY_CV: f64 = 1.0;

impl ModelArgs {
    /// The replay's options; `threads` as the caller resolved them
    /// (`solver::threads_for`).
    pub fn options(&self, seed: u64, threads: usize) -> Result<SimOptions, UsageError> {
        if !(2..=MAX_REPLICATIONS).contains(&self.replications) {
            return Err(UsageError {
                flag: "--replications",
                message: format!(
                    "must be 2 to {MAX_REPLICATIONS} (at least 2 for a confidence interval; \
                     the interval narrows as 1/√n, so more than {MAX_REPLICATIONS} buys nothing \
                     but time and memory), got {}",
                    self.replications
                ),
            });
        }
        let handle = match self.handle_cv {
            None => HandleTimes::Exponential,
            Some(cv) if cv.is_finite() && cv > 0.0 && cv <= MAX_HANDLE_CV => {
                HandleTimes::LogNormal { cv }
            }
            Some(cv) => {
                return Err(UsageError {
                    flag: "--handle-cv",
                    message: format!(
                        "must be above 0 and at most {MAX_HANDLE_CV} (call centres measure 0.5 to 1.5), e.g. 0.8, got {cv:e}"
                    ),
                })
            }
        };
        let day = 24.0 * 3600.0;
        let within_day = |text: &str, flag: &'static str, positive: bool| {
            slaplan::units::duration_s(text)
                .map_err(|e| e.to_string())
                .and_then(|s| {
                    if (positive && s <= 0.0) || s > day {
                        Err(format!(
                            "'{text}' must be {} and at most 24h",
                            if positive { "above 0" } else { "0 or more" }
                        ))
                    } else {
                        Ok(s)
                    }
                })
                .map_err(|message| UsageError { flag, message })
        };
        let mean_s = within_day(&self.off_phone_mean, "--off-phone-mean", true)?;
        let secondary_delay_s = within_day(&self.secondary_delay, "--secondary-delay", false)?;
        let day_error = match self.forecast_error.trim() {
            "none" => DayError::None,
            "backtest" => DayError::Backtest,
            "intervals" => DayError::Intervals,
            text => match text.parse::<f64>() {
                Ok(0.0) => DayError::None,
                Ok(cv) if cv > 0.0 && cv <= MAX_DAY_CV => DayError::Cv(cv),
                _ => {
                    return Err(UsageError {
                        flag: "--forecast-error",
                        message: format!(
                            "must be a coefficient of variation from 0 to {MAX_DAY_CV} (backtests measure 0.05 to 0.3), `backtest`, `intervals` or `none`, got '{text}'"
                        ),
                    })
                }
            },
        };
        Ok(SimOptions {
            day_error,
            replications: self.replications,
            seed,
            handle,
            shrinkage: match self.shrinkage {
                ShrinkageArg::OffPhone => Shrinkage::OffPhone { mean_s },
                ShrinkageArg::Absence => Shrinkage::Absence,
                ShrinkageArg::None => Shrinkage::None,
            },
            outsourcing: self.overflow.map_or(Outsourcing::Share, |waiting| {
                Outsourcing::Overflow { waiting }
            }),
            secondary_delay_s,
            group_delay_s: Vec::new(),
            threads: Some(threads),
        })
    }
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The instance (YAML).
    instance: PathBuf,
    /// The roster to replay (roster.csv as `slaplan plan` writes it), or
    /// a horizon's folder (`plan --weeks`): each week replayed from what
    /// the weeks before left it.
    roster: PathBuf,
    /// The plan's allocation: the outsourcers' shares and the projection
    /// (default: allocation.csv beside the roster).
    #[arg(long, value_name = "FILE")]
    allocation: Option<PathBuf>,
    /// The ACD routing the plan chose (per skill group, the secondary
    /// delay); default: routing.csv beside the roster when it is there.
    /// Its delays replace --secondary-delay for the groups it names.
    #[arg(long, value_name = "FILE")]
    routing: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// Master seed: replication r draws from stream r of this seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Threads the replay may use [default: the cores this process may
    /// use]; the numbers do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Folder for simulation.csv and simulation.json (default: the
    /// roster's folder).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{:.2}%", 100.0 * v))
}

/// Each contract against its target by the acceptance rule: the worst
/// period's simulated SL with its 95% interval, the periods at target.
pub fn contracts(
    out: &mut dyn Write,
    verdicts: &[slaplan::files::verification::ContractVerdict],
) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<13} {:<8} {:>6} {:>9} {:>21} {:<16} {:>7}  verdict",
        "contract", "scope", "target", "worst", "95% interval", "worst period", "met"
    )?;
    for c in verdicts {
        writeln!(
            out,
            "{:<13} {:<8} {:>5.1}% {:>9} {:>21} {:<16} {:>7}  {}",
            c.queue,
            c.scope,
            c.target * 100.0,
            slaplan::files::verification::sl_text(c.worst_sl, c.target),
            format!(
                "[{:.2}%, {:.2}%]",
                c.worst_low * 100.0,
                c.worst_high * 100.0
            ),
            c.worst,
            format!("{}/{}", c.periods_met, c.periods),
            match (c.holds, c.priced) {
                (true, _) => "holds",
                (false, true) => "missed (priced)",
                (false, false) => "FAILS",
            }
        )?;
    }
    Ok(())
}

/// The comparison for people: per queue the week and its days, projected
/// against simulated, then how its intervals compare.
pub fn table(out: &mut dyn Write, s: &Simulated) -> std::io::Result<()> {
    let j = &s.json;
    writeln!(
        out,
        "{} replications (seed {}), {:.0} contacts each on average, {:.2} s; handle times {}, shrinkage {}, outsourcing {}, days around the forecast: {}",
        j.replications,
        j.seed,
        j.contacts_per_replication.mean,
        s.seconds,
        j.handle_times,
        j.shrinkage,
        j.outsourcing,
        j.forecast_error
    )?;
    writeln!(
        out,
        "{:<13} {:<10} {:>9} {:>9} {:>21} {:>8} {:>8} {:>9}  verdict",
        "queue",
        "period",
        "projected",
        "simulated",
        "95% interval",
        "ASA s",
        "abandon",
        "occupancy"
    )?;
    for q in &j.queues {
        for r in std::iter::once(&q.week).chain(&q.days) {
            let ci = r.sl.map_or("-".into(), |e| {
                format!("[{:.2}%, {:.2}%]", 100.0 * e.low, 100.0 * e.high)
            });
            writeln!(
                out,
                "{:<13} {:<10} {:>9} {:>9} {:>21} {:>8} {:>8} {:>9}  {}",
                q.queue,
                if r.scope == slaplan::model::SlaScope::Week {
                    "week".to_string()
                } else {
                    r.label.clone()
                },
                pct(r.projected_sl),
                pct(r.sl.map(|e| e.mean)),
                ci,
                r.asa_s.map_or("-".into(), |e| format!("{:.1}", e.mean)),
                pct(r.abandon_rate.map(|e| e.mean)),
                pct(r.occupancy.map(|e| e.mean)),
                r.verdict.as_str()
            )?;
        }
        let c = &q.intervals;
        writeln!(
            out,
            "{:<13} intervals: {} compared, {} better than projected{}, {} within, {} worse ({} at breaks or shift edges)",
            q.queue,
            c.compared,
            c.better,
            if c.better_pooled > 0 { " (agents pooled over queues)" } else { "" },
            c.within,
            c.worse,
            c.worse_at_breaks_or_edges
        )?;
    }
    for o in &j.on_call {
        // `top`: the most a measure can be (a share's interval clipped).
        let est = |e: &Option<slaplan::files::simulation::Estimate>, scale: f64, unit: &str| {
            let top = if unit == "%" { 1.0 } else { f64::INFINITY };
            e.map_or("-".into(), |e| {
                format!(
                    "{:.2}{unit} [{:.2}, {:.2}]",
                    scale * e.mean,
                    scale * e.low.max(0.0),
                    scale * e.high.min(top)
                )
            })
        };
        writeln!(
            out,
            "on call ({}): {} call-outs, answered within {:.0} min {}, {} h worked, rest broken after {}",
            o.rota,
            est(&o.call_outs, 1.0, ""),
            o.response_within_s / 60.0,
            est(&o.in_time_share, 100.0, "%"),
            est(&o.worked_h, 1.0, ""),
            est(&o.rest_broken, 1.0, "")
        )?;
    }
    writeln!(
        out,
        "\nagainst the contracts (docs/model.md, \"Verified by simulation\"):"
    )?;
    contracts(out, &j.contracts)
}

pub fn run(args: &SimulateArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    if args.threads == Some(0) {
        return Err(UsageError {
            flag: "--threads",
            message: "must be at least 1".into(),
        }
        .into());
    }
    let threads = super::solver::threads_for(args.threads, "--threads");
    let opts = args.model.options(args.seed, threads)?;
    if args.roster.join("horizon.json").is_file() {
        return horizon(args, &opts, out);
    }
    let Some((inst, demand)) = super::load_week_as_planned(&args.instance, &args.roster)? else {
        return Ok(2);
    };
    slaplan::pipeline::simulate::replayable(&inst).map_err(|e| super::UsageError {
        flag: "INSTANCE",
        message: format!("{}: {e}", args.instance.display()),
    })?;
    day_error_applies(&inst, &opts)?;
    let allocation = super::allocation_beside(&args.roster, args.allocation.as_deref());
    let folder = args
        .roster
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let routing = args.routing.clone().or_else(|| {
        let beside = folder.join("routing.csv");
        beside.exists().then_some(beside)
    });
    let files = (
        args.roster.as_path(),
        allocation.as_path(),
        routing.as_deref(),
    );
    let Some(s) = super::or_report(simulate_files(&inst, &demand, files, &opts))? else {
        return Ok(2);
    };
    write_simulation(&args.output.clone().unwrap_or(folder), &s)?;
    match args.format {
        Format::Json => write_json(out, &s.json)?,
        Format::Csv => out.write_all(s.csv.as_bytes())?,
        Format::Table => table(out, &s)?,
    }
    Ok(0)
}

/// A horizon's folder (`plan --weeks`): each week replayed from what the
/// weeks before left it, as `check` counts it; each week's
/// `simulation.csv` and `simulation.json` in its folder (or in
/// `-o DIR`'s `week-YYYY-MM-DD/`); a block of contracts per week.
fn horizon(args: &SimulateArgs, opts: &SimOptions, out: &mut dyn Write) -> Result<u8, RunError> {
    if args.format == Format::Csv || args.allocation.is_some() || args.routing.is_some() {
        return Err(UsageError {
            flag: "ROSTER",
            message: "a horizon's folder is replayed week by week from each week's own allocation.csv and routing.csv, and printed as a table or JSON: drop --allocation, --routing and --format csv".into(),
        }
        .into());
    }
    let Some(inst) = super::load_or_report(&args.instance)? else {
        return Ok(2);
    };
    day_error_applies(&inst, opts)?;
    let Some(weeks) = super::or_report(slaplan::pipeline::horizon::simulate_horizon(
        &inst,
        &args.roster,
        opts,
    ))?
    else {
        return Ok(2);
    };
    let base = args.output.clone().unwrap_or_else(|| args.roster.clone());
    for (start, s) in &weeks {
        let dir = base.join(slaplan::pipeline::horizon::folder(
            start.parse().expect("a date"),
        ));
        write_simulation(&dir, s)?;
    }
    match args.format {
        Format::Json => write_json(
            out,
            &serde_json::json!({
                "weeks": weeks
                    .iter()
                    .map(|(start, s)| serde_json::json!({ "week_start": start, "simulation": s.json }))
                    .collect::<Vec<_>>()
            }),
        )?,
        _ => {
            for (start, s) in &weeks {
                writeln!(
                    out,
                    "week of {start}: {} replications (seed {}), {:.0} contacts each on average, {:.2} s",
                    s.json.replications, s.json.seed, s.json.contacts_per_replication.mean, s.seconds
                )?;
                contracts(out, &s.json.contracts)?;
            }
            let held = weeks
                .iter()
                .filter(|(_, s)| s.json.contracts.iter().all(|c| c.holds || c.priced))
                .count();
            writeln!(
                out,
                "{held} of {} week(s) hold every unpriced contract in the replay",
                weeks.len()
            )?;
        }
    }
    Ok(0)
}

/// A replay's `simulation.csv` and `simulation.json`, written into `dir`.
fn write_simulation(dir: &Path, s: &Simulated) -> Result<(), RunError> {
    write_files(
        dir,
        &[
            ("simulation.csv", s.csv.as_bytes()),
            ("simulation.json", &slaplan::files::json_bytes(&s.json)?),
        ],
    )?;
    Ok(())
}
