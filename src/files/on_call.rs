//! `on_call.csv` (the week's on-call duties), `plan.json`'s `on_call`
//! section, and the call-outs file `check --call-outs` reads: their rows,
//! writers and readers (documented in `docs/formats.md`).

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::input::{Code, Problem};
use crate::model::Instance;

/// The header of `on_call.csv`.
pub const ON_CALL_HEADER: &str =
    "rota,agent,name,start,end,utc_offset,end_utc_offset,hours,expected_call_outs,paid_rest_hours,expected_cost";

/// The header of a call-outs file.
pub const CALL_OUTS_HEADER: &str = "agent,start,end,utc_offset,end_utc_offset";

/// One duty as `on_call.csv` writes it: local times on the agent's clock
/// with their offsets, as `roster.csv` writes shifts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyRecord {
    pub rota: String,
    pub agent: String,
    pub name: String,
    pub start: String,
    pub end: String,
    pub utc_offset: String,
    pub end_utc_offset: String,
    pub hours: String,
    pub expected_call_outs: String,
    /// Paid hours of the rest kept off shifts (a `recovery: paid` rota).
    pub paid_rest_hours: String,
    pub expected_cost: String,
}

/// One call-out as a call-outs file records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallOutRecord {
    pub agent: String,
    pub start: String,
    pub end: String,
    pub utc_offset: String,
    pub end_utc_offset: String,
}

/// `plan.json`'s on-call section: per rota its periods and cost, the
/// duties, and the periods short of agents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnCallFile {
    pub rotas: Vec<RotaFigures>,
    /// Expected cost of every duty (allowances, call-out fees, the
    /// call-outs' worked time and the paid rest kept off shifts).
    pub cost: f64,
    pub short: Vec<ShortPeriod>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RotaFigures {
    pub id: String,
    pub skill_group: String,
    pub periods: usize,
    pub duties: usize,
    pub hours_on_call: f64,
    pub allowances: f64,
    /// Paid hours of rest kept off shifts (`recovery: paid` rotas).
    #[serde(default)]
    pub paid_rest_hours: f64,
    pub expected_call_outs: f64,
    pub expected_cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortPeriod {
    pub rota: String,
    /// Local start and end on the centre's clock.
    pub start: String,
    pub end: String,
    pub missing: u32,
    pub why: String,
}

/// An on-call duty or call-out read back: the agent and its instants in
/// real minutes after the week's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    pub line: usize,
    /// The rota (duties only).
    pub rota: Option<usize>,
    pub agent: usize,
    pub start: i64,
    pub end: i64,
}

/// Reads `on_call.csv`.
pub fn read_duties(inst: &Instance, path: &Path) -> Result<Vec<Stretch>, Vec<Problem>> {
    read_stretches(
        inst,
        path,
        ON_CALL_HEADER,
        (
            "on_call",
            "rota",
            "give the id of one of the model's on-call rotas",
        ),
        |r: &DutyRecord| {
            let rota = inst.centre.on_call.iter().position(|o| o.id == r.rota);
            let rota = rota
                .map(Some)
                .ok_or_else(|| format!("no on-call rota '{}' in the model", r.rota));
            (
                rota,
                &r.agent,
                (&r.start, &r.end, &r.utc_offset, &r.end_utc_offset),
            )
        },
    )
}

/// Reads a call-outs file (what happened while agents were on call).
pub fn read_call_outs(inst: &Instance, path: &Path) -> Result<Vec<Stretch>, Vec<Problem>> {
    read_stretches(
        inst,
        path,
        CALL_OUTS_HEADER,
        ("call-out", "rota", ""),
        |r: &CallOutRecord| {
            (
                Ok(None),
                &r.agent,
                (&r.start, &r.end, &r.utc_offset, &r.end_utc_offset),
            )
        },
    )
}

type Times<'a> = (&'a String, &'a String, &'a String, &'a String);

/// Reads rows of `header` as stretches: `parts` gives a row's rota (or
/// the `slot` field's index, or why it names none the model has, with
/// `hint`), agent and times; `what` names a row in messages.
pub(crate) fn read_stretches<T: serde::de::DeserializeOwned>(
    inst: &Instance,
    path: &Path,
    header: &str,
    (what, slot, hint): (&str, &str, &str),
    parts: impl for<'r> Fn(&'r T) -> (Result<Option<usize>, String>, &'r String, Times<'r>),
) -> Result<Vec<Stretch>, Vec<Problem>> {
    let rows: Vec<(usize, T)> = super::read_rows(path, header, what)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in &rows {
        let (rota, agent, times) = parts(r);
        let rota = match rota {
            Ok(x) => x,
            Err(message) => {
                let mut p = bad(path, *line, slot, message);
                p.hint = hint.into();
                problems.push(p);
                continue;
            }
        };
        match stretch(inst, agent, times) {
            Ok((agent, start, end)) => out.push(Stretch {
                line: *line,
                rota,
                agent,
                start,
                end,
            }),
            Err((field, message)) => problems.push(bad(path, *line, field, message)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn bad(path: &Path, line: usize, field: &str, message: String) -> Problem {
    let mut p = Problem::at(
        Code::CsvBadValue,
        path,
        Some(line),
        message,
        "write local times as 2003-03-08 01:00 with their offsets (+01:00), on the agent's clock",
    );
    p.field = field.into();
    p
}

/// An agent id and local times with offsets, as real minutes after the
/// week's start; `Err` names the field.
fn stretch(
    inst: &Instance,
    agent: &str,
    (start, end, offset, end_offset): Times,
) -> Result<(usize, i64, i64), (&'static str, String)> {
    let Some(a) = inst.agents.iter().position(|x| x.id == agent) else {
        return Err(("agent", format!("no agent '{agent}' in the instance")));
    };
    let at = |local: &str, offset: &str, field: &'static str| {
        DateTime::parse_from_str(&format!("{local} {offset}"), "%Y-%m-%d %H:%M %:z").map_err(|_| {
            (
                field,
                format!("'{local}' at offset '{offset}' is not a local date-time YYYY-MM-DD HH:MM with an offset like +01:00"),
            )
        })
    };
    let (s, e): (DateTime<FixedOffset>, DateTime<FixedOffset>) =
        (at(start, offset, "start")?, at(end, end_offset, "end")?);
    if e <= s {
        return Err(("end", format!("{end} is not after {start}")));
    }
    let origin = super::roster::week_start(inst);
    let real = |t: DateTime<FixedOffset>| (t.with_timezone(&Utc) - origin).num_minutes();
    Ok((a, real(s), real(e)))
}
