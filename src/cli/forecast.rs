//! `slaplan forecast <instance>`: the week's contacts (and AHT) per queue
//! and interval from the instance's history, with the backtest that chose
//! the method. Writes forecast.csv and forecast.json into `-o DIR`,
//! prints the backtest.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{load_or_report, write_files, write_json, Format, RunError, UsageError};
use slaplan::files::forecast::{write_forecast_csv, ForecastReport};
use slaplan::forecast::{forecast_instance, InstanceForecast, Method};
use slaplan::model::Instance;

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The instance (YAML) whose history to forecast from.
    instance: PathBuf,
    /// Folder for forecast.csv (queue, interval_start, contacts, aht) and
    /// forecast.json (the backtest), made if needed.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Force a method: seasonal-naive, weighted-average[-Kw], holt-winters
    /// (default: auto, the lowest backtest WAPE per queue).
    #[arg(long, value_name = "METHOD", value_parser = parse_method)]
    method: Option<Method>,
    /// Weeks of history each method is backtested on.
    #[arg(long, value_name = "WEEKS", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=52))]
    backtest_weeks: u32,
    /// table: the backtest for people; json: backtest and forecast; csv: the forecast on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn parse_method(text: &str) -> Result<Method, String> {
    Method::parse(text).ok_or_else(|| {
        format!("unknown method '{text}': use seasonal-naive, weighted-average[-Kw], mean-Kw, median-Kw, trimmed-mean-Kw, holt-winters or calendar")
    })
}

/// Loads, forecasts and reports; `Ok(false)` when the input is invalid
/// (its problems already printed).
pub fn run(args: &ForecastArgs, out: &mut dyn Write) -> Result<bool, RunError> {
    let Some(instance) = load_or_report(&args.instance)? else {
        return Ok(false);
    };
    let f =
        forecast_instance(&instance, args.method, args.backtest_weeks as usize).map_err(|e| {
            UsageError {
                flag: "demand",
                message: format!("{}: {e}", args.instance.display()),
            }
        })?;
    let mut csv = Vec::new();
    write_forecast_csv(&instance, &f.rows, &f.bands, &mut csv)?;
    if let Some(dir) = &args.output {
        let json = slaplan::files::json_bytes(&ForecastReport::of(&instance, &f))?;
        write_files(dir, &[("forecast.csv", &csv), ("forecast.json", &json)])?;
    }
    match args.format {
        Format::Csv => out.write_all(&csv)?,
        Format::Json => write_json(out, &ForecastReport::of(&instance, &f))?,
        Format::Table => write_table(out, &instance, &f)?,
    }
    Ok(true)
}

fn write_table(out: &mut dyn Write, inst: &Instance, f: &InstanceForecast) -> Result<(), RunError> {
    let report = ForecastReport::of(inst, f);
    writeln!(
        out,
        "{} — forecast for the week of {} from {} weeks of history; backtest over the last {} weeks",
        inst.centre.name, inst.week_start, report.weeks_of_history, report.backtest_weeks
    )?;
    writeln!(
        out,
        "\n{:<16} {:<22} {:>8} {:>8}  {:>7} {:>7}",
        "queue", "method", "WAPE", "bias", "PI 80%", "PI 95%"
    )?;
    for (q, qf) in report.queues.iter().zip(&f.queues) {
        for s in &q.backtest {
            let used = Method::parse(&s.method).is_some_and(|m| qf.chosen.uses(m));
            let mark = match (used, qf.chosen.as_single()) {
                (false, _) => "",
                (true, Some(_)) => "<- chosen",
                (true, None) => "<- averaged",
            };
            let coverage = match (s.coverage_80, s.coverage_95) {
                (Some(a), Some(b)) => format!("{:>6.1}% {:>6.1}%", a * 100.0, b * 100.0),
                _ => format!("{:>7} {:>7}", "", ""),
            };
            writeln!(
                out,
                "{:<16} {:<22} {:>7.1}% {:>+7.1}%  {coverage}  {mark}",
                q.queue,
                s.method,
                s.wape * 100.0,
                s.bias * 100.0
            )?;
        }
        if let (Some(w), Some(b)) = (q.aht_wape, q.aht_bias) {
            writeln!(
                out,
                "{:<16} {:<22} {:>7.1}% {:>+7.1}%",
                q.queue,
                "AHT (last 4 weeks)",
                w * 100.0,
                b * 100.0
            )?;
        }
        writeln!(
            out,
            "{:<16} {:<22} {:>8.0} contacts forecast for the week ({})",
            q.queue, "", q.weekly_contacts, q.chosen
        )?;
    }
    for n in &report.notes {
        writeln!(out, "note: {n}")?;
    }
    Ok(())
}
