//! `slaplan erlang`: the planners' calculator. Required agents for the
//! targets given, the agents to schedule after shrinkage, and a table of
//! what each agent count achieves (Erlang C, or Erlang A with a patience),
//! with trunk blocking when a line count is given.

use std::io::Write;

use clap::{ArgGroup, Args};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{write_json, Format, RunError, UsageError};
use slaplan::queueing::staffing::{scheduled_agents, ServiceTarget};
use slaplan::queueing::{erlang_b, Measures, QueueModel, StaffingError, Targets};
use slaplan::units;

/// Rows shown either side of the requirement when `--agents` is not given.
const ROWS_AROUND: u32 = 3;

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

/// What `slaplan erlang` reports, in the JSON field names of the docs.
#[derive(Debug, Serialize)]
struct Report {
    model: &'static str,
    load_erlangs: f64,
    aht_s: f64,
    answer_within_s: f64,
    patience_s: Option<f64>,
    targets: TargetsOut,
    required_agents: Option<u32>,
    binding: Vec<&'static str>,
    shrinkage: Option<Decimal>,
    scheduled_agents: Option<u32>,
    trunks: Option<TrunksOut>,
    rows: Vec<Row>,
}

#[derive(Debug, Serialize)]
struct TargetsOut {
    service_level: Option<f64>,
    max_asa_s: Option<f64>,
    max_abandon: Option<f64>,
    max_occupancy: Option<f64>,
}

#[derive(Debug, Serialize)]
struct TrunksOut {
    lines: u32,
    /// Line-holding load at the required agents: callers hold a line while
    /// they wait and while they talk.
    offered_erlangs: Option<f64>,
    blocking: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Row {
    agents: u32,
    stable: bool,
    prob_wait: f64,
    service_level: f64,
    /// `None` (JSON null) when the queue is unstable: the wait is unbounded.
    asa_s: Option<f64>,
    occupancy: f64,
    prob_abandon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trunk_blocking: Option<f64>,
}

pub fn run(args: &ErlangArgs, out: &mut dyn Write) -> Result<(), RunError> {
    let load = match (args.load, args.calls, args.per) {
        (Some(load), _, _) => load,
        (None, Some(calls), Some(per)) => calls * args.aht / per,
        _ => unreachable!("clap requires --load or --calls with --per"),
    };
    let model = QueueModel::new(load, args.aht, args.patience).map_err(flag_of)?;
    let targets = Targets {
        service_level: args.target.map(|share| ServiceTarget {
            share,
            answer_within_s: args.answer_within,
        }),
        max_asa_s: args.max_asa,
        max_abandon: args.max_abandon,
        max_occupancy: args.max_occupancy,
    };
    let has_target = targets != Targets::default();
    if !has_target && args.agents.is_none() {
        return Err(UsageError {
            flag: "--target",
            message: "give a target (--target, --max-asa, --max-abandon, --max-occupancy) \
                      to size the queue, or an --agents range to tabulate"
                .into(),
        }
        .into());
    }
    let requirement = if has_target {
        Some(model.required(&targets).map_err(flag_of)?)
    } else {
        None
    };
    let required = requirement.as_ref().map(|r| r.agents);
    let scheduled = match (args.shrinkage, required) {
        (Some(s), Some(n)) => Some(scheduled_agents(n, s).map_err(flag_of)?),
        (Some(_), None) => {
            return Err(UsageError {
                flag: "--shrinkage",
                message: "shrinkage applies to the required agents: give a target too".into(),
            }
            .into())
        }
        (None, _) => None,
    };
    let range = args.agents.unwrap_or_else(|| {
        let n = required.unwrap_or(0);
        AgentRange {
            first: n.saturating_sub(ROWS_AROUND),
            last: n + ROWS_AROUND,
        }
    });
    let rows: Vec<Row> = model
        .table(range.first, range.last, args.answer_within)
        .iter()
        .map(|m| Row::new(m, &model, args.trunks))
        .collect();
    let trunks = args.trunks.map(|lines| {
        let at = requirement.as_ref().map(|r| &r.measures);
        let offered = at.and_then(|m| line_load(m, &model));
        TrunksOut {
            lines,
            offered_erlangs: offered,
            blocking: offered.map(|a| erlang_b::blocking(a, lines)),
        }
    });
    let report = Report {
        model: if args.patience.is_some() {
            "erlang_a"
        } else {
            "erlang_c"
        },
        load_erlangs: load,
        aht_s: args.aht,
        answer_within_s: args.answer_within,
        patience_s: args.patience,
        targets: TargetsOut {
            service_level: args.target,
            max_asa_s: args.max_asa,
            max_abandon: args.max_abandon,
            max_occupancy: args.max_occupancy,
        },
        required_agents: required,
        binding: requirement
            .as_ref()
            .map(|r| r.binding.iter().map(|b| b.as_str()).collect())
            .unwrap_or_default(),
        shrinkage: args.shrinkage,
        scheduled_agents: scheduled,
        trunks,
        rows,
    };
    match args.format {
        Format::Json => write_json(out, &report),
        Format::Csv => write_csv(out, &report),
        Format::Table => write_table(out, &report),
    }
}

impl Row {
    fn new(m: &Measures, model: &QueueModel, trunks: Option<u32>) -> Self {
        Row {
            agents: m.agents as u32,
            stable: m.stable,
            prob_wait: m.prob_wait,
            service_level: m.service_level,
            asa_s: m.asa_s.is_finite().then_some(m.asa_s),
            occupancy: m.occupancy,
            prob_abandon: m.prob_abandon,
            trunk_blocking: trunks
                .and_then(|lines| line_load(m, model).map(|a| erlang_b::blocking(a, lines))),
        }
    }
}

/// Erlangs of line occupation at `m` on `model`'s queue.
fn line_load(m: &Measures, model: &QueueModel) -> Option<f64> {
    m.line_load(model.load() / model.aht_s(), model.aht_s())
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
