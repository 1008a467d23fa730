//! `slaplan erlang`: the planners' calculator. Required agents for the
//! targets given, the agents to schedule after shrinkage, and a table of
//! what each agent count achieves (Erlang C, or Erlang A with a patience),
//! with trunk blocking when a line count is given.

use std::io::Write;

use clap::{ArgGroup, Args};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::{write_json, Format, RunError, UsageError};
use slaplan::queueing::calculator::{calculate, Query, QueryError, Report};
use slaplan::queueing::StaffingError;
use slaplan::units;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("volume").required(true).args(["calls", "load"])))]
pub struct ErlangArgs {
    /// Contacts offered in each period of length --per (may be fractional).
    #[arg(long, value_name = "N", requires = "per", allow_hyphen_values = true, value_parser = parse_calls)]
    calls: Option<f64>,
    /// Length of the period the --calls arrive in: 15m, 30m, 1h.
    #[arg(long, value_name = "DURATION", requires = "calls", allow_hyphen_values = true, value_parser = parse_positive_duration)]
    per: Option<f64>,
    /// Offered load in Erlangs, instead of --calls and --per.
    #[arg(long, value_name = "ERLANGS", conflicts_with = "calls", allow_hyphen_values = true, value_parser = parse_load)]
    load: Option<f64>,
    /// Average handle time (talk + hold + wrap-up): 240s, 4m.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true, value_parser = parse_positive_duration)]
    aht: f64,
    /// Service level threshold: a call counts as answered in time within it.
    #[arg(long, value_name = "DURATION", default_value = "20s", allow_hyphen_values = true, value_parser = parse_duration)]
    answer_within: f64,
    /// Service level target, the share answered within --answer-within: 0.8 or 80%.
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true, value_parser = parse_target)]
    target: Option<f64>,
    /// Mean caller patience: switches to Erlang A (callers abandon).
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true, value_parser = parse_positive_duration)]
    patience: Option<f64>,
    /// Maximum average speed of answer over all callers: 30s.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true, value_parser = parse_positive_duration)]
    max_asa: Option<f64>,
    /// Maximum share of callers abandoning (needs --patience): 5%.
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true, value_parser = parse_open_share)]
    max_abandon: Option<f64>,
    /// Maximum agent occupancy: 0.85 or 85%.
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true, value_parser = parse_open_share)]
    max_occupancy: Option<f64>,
    /// Shrinkage (absence, training, meetings) to add on top: 0.3 or 30%.
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true, value_parser = parse_shrinkage)]
    shrinkage: Option<Decimal>,
    /// Agent counts to tabulate, inclusive: 10..20 (or one count: 14).
    #[arg(long, value_name = "FIRST..LAST", value_parser = parse_range)]
    agents: Option<AgentRange>,
    /// Trunk lines into the centre: adds the Erlang B blocking of calls
    /// that find every line busy (lines are held while waiting and talking).
    #[arg(long, value_name = "LINES")]
    trunks: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// An inclusive range of agent counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentRange {
    first: u32,
    last: u32,
}

pub fn run(args: &ErlangArgs, out: &mut dyn Write) -> Result<(), RunError> {
    let load = match (args.load, args.calls, args.per) {
        (Some(load), _, _) => load,
        (None, Some(calls), Some(per)) => calls * args.aht / per,
        _ => unreachable!("clap requires --load or --calls with --per"),
    };
    let query = Query {
        load_erlangs: load,
        aht_s: args.aht,
        answer_within_s: args.answer_within,
        patience_s: args.patience,
        service_level: args.target,
        max_asa_s: args.max_asa,
        max_abandon: args.max_abandon,
        max_occupancy: args.max_occupancy,
        shrinkage: args.shrinkage,
        agents: args.agents.map(|r| (r.first, r.last)),
        trunks: args.trunks,
    };
    let report = calculate(&query).map_err(|e| match e {
        QueryError::Staffing(e) => flag_of(e),
        QueryError::NothingAsked => UsageError {
            flag: "--target",
            message: e.to_string(),
        },
        QueryError::ShrinkageWithoutTarget => UsageError {
            flag: "--shrinkage",
            message: e.to_string(),
        },
    })?;
    match args.format {
        Format::Json => write_json(out, &report),
        Format::Csv => write_csv(out, &report),
        Format::Table => write_table(out, &report),
    }
}

fn write_csv(out: &mut dyn Write, report: &Report) -> Result<(), RunError> {
    let mut w = csv::Writer::from_writer(out);
    for row in &report.rows {
        w.serialize(row).map_err(std::io::Error::other)?;
    }
    w.flush()?;
    Ok(())
}

fn write_table(out: &mut dyn Write, r: &Report) -> Result<(), RunError> {
    let model = match r.patience_s {
        Some(p) => format!("Erlang A (patience {})", seconds(p)),
        None => "Erlang C".to_string(),
    };
    writeln!(
        out,
        "{model}: load {:.4} Erlangs, AHT {}, answered within {}",
        r.load_erlangs,
        seconds(r.aht_s),
        seconds(r.answer_within_s)
    )?;
    let mut targets = Vec::new();
    if let Some(t) = r.targets.service_level {
        targets.push(format!("service level {}", percent(t)));
    }
    if let Some(a) = r.targets.max_asa_s {
        targets.push(format!("ASA at most {}", seconds(a)));
    }
    if let Some(a) = r.targets.max_abandon {
        targets.push(format!("abandonment at most {}", percent(a)));
    }
    if let Some(o) = r.targets.max_occupancy {
        targets.push(format!("occupancy at most {}", percent(o)));
    }
    if !targets.is_empty() {
        writeln!(out, "targets: {}", targets.join(", "))?;
    }
    if let Some(n) = r.required_agents {
        let set_by = if r.binding.is_empty() {
            String::new()
        } else {
            format!(" (set by {})", r.binding.join(", ").replace('_', " "))
        };
        writeln!(out, "required agents: {n}{set_by}")?;
    }
    if let (Some(s), Some(n)) = (r.shrinkage, r.scheduled_agents) {
        let pct = (s * Decimal::ONE_HUNDRED).normalize();
        writeln!(out, "scheduled agents: {n} (after {pct}% shrinkage)")?;
    }
    if let Some(t) = &r.trunks {
        match (t.offered_erlangs, t.blocking) {
            (Some(a), Some(b)) => writeln!(
                out,
                "trunks: {} lines, {:.2} Erlangs of line load at the required agents, {} of calls blocked",
                t.lines,
                a,
                percent(b)
            )?,
            _ => writeln!(out, "trunks: {} lines (blocking per row)", t.lines)?,
        }
    }
    writeln!(out)?;
    let with_abandon = r.patience_s.is_some();
    let with_trunks = r.trunks.is_some();
    write!(
        out,
        "{:>7}  {:>8}  {:>8}  {:>10}  {:>9}",
        "agents", "P(wait)", "SL", "ASA", "occupancy"
    )?;
    if with_abandon {
        write!(out, "  {:>10}", "P(abandon)")?;
    }
    if with_trunks {
        write!(out, "  {:>8}", "blocked")?;
    }
    writeln!(out)?;
    for row in &r.rows {
        let asa = row
            .asa_s
            .map_or_else(|| "unstable".to_string(), |a| format!("{a:.1} s"));
        write!(
            out,
            "{:>7}  {:>8}  {:>8}  {:>10}  {:>9}",
            row.agents,
            percent(row.prob_wait),
            percent(row.service_level),
            asa,
            percent(row.occupancy)
        )?;
        if with_abandon {
            write!(out, "  {:>10}", percent(row.prob_abandon.unwrap_or(0.0)))?;
        }
        if with_trunks {
            let b = row.trunk_blocking.map_or_else(|| "-".into(), percent);
            write!(out, "  {b:>8}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

fn seconds(s: f64) -> String {
    format!("{s} s")
}

/// Names the flag a staffing error concerns.
fn flag_of(e: StaffingError) -> UsageError {
    let flag = match &e {
        StaffingError::Load(_) => "--load",
        StaffingError::Aht(_) => "--aht",
        StaffingError::Patience(_) => "--patience",
        StaffingError::ServiceShare(_) | StaffingError::ServiceShareUnreachable => "--target",
        StaffingError::AnswerWithin(_) => "--answer-within",
        StaffingError::MaxAsa(_) => "--max-asa",
        StaffingError::MaxAbandon(_) | StaffingError::AbandonWithoutPatience => "--max-abandon",
        StaffingError::MaxOccupancy(_) => "--max-occupancy",
        StaffingError::NoTarget => "--target",
        StaffingError::Shrinkage(_) | StaffingError::ScheduledOverflow { .. } => "--shrinkage",
    };
    let message = match e {
        StaffingError::AbandonWithoutPatience => format!("{e} (give --patience)"),
        other => other.to_string(),
    };
    UsageError { flag, message }
}

fn parse_calls(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err("must be a number of contacts ≥ 0, e.g. 360".into()),
    }
}

fn parse_load(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err("must be a load in Erlangs ≥ 0, e.g. 48".into()),
    }
}

fn parse_duration(text: &str) -> Result<f64, String> {
    units::duration_s(text).map_err(|e| e.to_string())
}

fn parse_positive_duration(text: &str) -> Result<f64, String> {
    let s = parse_duration(text)?;
    if s > 0.0 {
        Ok(s)
    } else {
        Err(format!("'{text}' must be longer than zero"))
    }
}

fn share_f64(text: &str) -> Result<(Decimal, f64), String> {
    let d = units::share(text).map_err(|e| e.to_string())?;
    let f = d
        .to_f64()
        .ok_or_else(|| format!("'{text}' is out of range"))?;
    Ok((d, f))
}

fn parse_target(text: &str) -> Result<f64, String> {
    let (d, f) = share_f64(text)?;
    if d == Decimal::ONE {
        return Err(StaffingError::ServiceShareUnreachable.to_string());
    }
    if d > Decimal::ZERO && d < Decimal::ONE {
        Ok(f)
    } else {
        Err(format!(
            "'{text}' must be a share between 0 and 1 (exclusive), e.g. 0.8 or 80%"
        ))
    }
}

fn parse_open_share(text: &str) -> Result<f64, String> {
    let (d, f) = share_f64(text)?;
    if d > Decimal::ZERO && d <= Decimal::ONE {
        Ok(f)
    } else {
        Err(format!(
            "'{text}' must be a share above 0 and at most 1, e.g. 0.85 or 85%"
        ))
    }
}

fn parse_shrinkage(text: &str) -> Result<Decimal, String> {
    let d = units::share(text).map_err(|e| e.to_string())?;
    if d >= Decimal::ZERO && d < Decimal::ONE {
        Ok(d)
    } else {
        Err(format!(
            "'{text}' must be a share from 0 up to (not including) 1, e.g. 0.3 or 30%"
        ))
    }
}

fn parse_range(text: &str) -> Result<AgentRange, String> {
    let bad = || format!("'{text}' is not an agent range: write FIRST..LAST, e.g. 10..20");
    let count = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (count(a)?, count(b.trim_start_matches('='))?),
        None => {
            let n = count(text)?;
            (n, n)
        }
    };
    if first > last {
        return Err(format!(
            "'{text}': the first count must not exceed the last"
        ));
    }
    if last - first > 100_000 {
        return Err(format!("'{text}': at most 100,000 rows at a time"));
    }
    Ok(AgentRange { first, last })
}

#[cfg(test)]
mod tests {
    use super::*;
    use slaplan::queueing::staffing::Binding;

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range("10..20"),
            Ok(AgentRange {
                first: 10,
                last: 20
            })
        );
        assert_eq!(
            parse_range("10..=20"),
            Ok(AgentRange {
                first: 10,
                last: 20
            })
        );
        assert_eq!(
            parse_range("14"),
            Ok(AgentRange {
                first: 14,
                last: 14
            })
        );
        assert!(parse_range("20..10").is_err());
        assert!(parse_range("a..b").is_err());
    }

    #[test]
    fn targets_and_shares() {
        assert!(parse_target("1").unwrap_err().contains("100%"));
        assert!(parse_target("100%").unwrap_err().contains("100%"));
        assert!(parse_target("0").is_err());
        assert!(parse_target("1.5").is_err());
        assert!((parse_target("80%").unwrap() - 0.8).abs() < 1e-15);
        assert!(parse_shrinkage("1").is_err());
        assert_eq!(parse_shrinkage("30%"), Ok(Decimal::new(3, 1)));
    }

    #[test]
    fn binding_names_are_stable() {
        assert_eq!(Binding::ServiceLevel.as_str(), "service_level");
    }
}
