//! Instance files (`instances/<centre>/*.yaml`): the week's Monday, the
//! model it uses, demand (history or forecast CSV), agents (CSV), strikes,
//! special days and overrides — loaded with the model and checked against
//! it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};
use rust_decimal::Decimal;

use super::centre::{id_index, load_centre, resolve, top_level};
use super::csvfile::{parse_datetime, read_csv, CsvTable};
use super::spans::{index, join, Spans};
use super::wire::*;
use super::{parse_yaml, read_text, Code, Ctx, Problem, Problems};
use crate::model::*;

/// Loads an instance and its model, files it names, and checks them
/// together. On failure, every problem found, sorted by file and line.
pub fn load_instance(path: &Path) -> Result<Instance, Vec<Problem>> {
    let mut problems = Problems::default();
    let instance = load(path, &mut problems);
    match instance {
        Some(i) if problems.is_empty() => Ok(i),
        _ => {
            if problems.is_empty() {
                problems.file(
                    Code::FileUnreadable,
                    path,
                    "the instance could not be loaded",
                    "see the problems above",
                );
            }
            Err(problems.into_sorted())
        }
    }
}

fn load(path: &Path, problems: &mut Problems) -> Option<Instance> {
    let text = read_text(problems, path, None)?;
    let root = parse_yaml(problems, path, &text)?;
    let spans = Spans::build(&text);
    let mut ctx = Ctx {
        file: path.to_path_buf(),
        spans: spans.clone(),
        problems,
    };
    let top = top_level(
        &mut ctx,
        &root,
        INSTANCE_KEYS,
        &["model", "week_start", "demand", "agents"],
    )?;
    let base = path.parent().unwrap_or(Path::new("."));
    let relative = |p: &str| -> PathBuf { base.join(p) };

    let model_path: Option<String> = top.get("model").and_then(|v| ctx.section(v, "model"));
    let week_start = top
        .get("week_start")
        .and_then(|v| ctx.section::<Scalar>(v, "week_start"))
        .and_then(|s| ctx.date("week_start", &s.0))
        .and_then(|d| {
            if d.weekday() == Weekday::Mon {
                Some(d)
            } else {
                ctx.at(
                    Code::WeekStartNotMonday,
                    "week_start",
                    format!("{d} is a {}", d.weekday()),
                    format!(
                        "weeks start on Monday: use {}",
                        d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
                    ),
                );
                None
            }
        });
    // Weeks the instance plans (`slaplan plan --weeks` may say otherwise):
    // its dated entries may fall in any of them.
    let weeks = match top
        .get("weeks")
        .and_then(|v| ctx.section::<u32>(v, "weeks"))
    {
        Some(w) if (1..=MAX_HORIZON_WEEKS as u32).contains(&w) => w as usize,
        Some(w) => {
            ctx.at(
                Code::OutOfRange,
                "weeks",
                format!("{w} weeks: a horizon is 1 to {MAX_HORIZON_WEEKS} weeks (a year)"),
                "plan a year at most; longer, plan it year by year",
            );
            1
        }
        None => 1,
    };
    let demand: Option<DemandW> = top.get("demand").and_then(|v| ctx.section(v, "demand"));
    let agents_file: Option<String> = top.get("agents").and_then(|v| ctx.section(v, "agents"));
    let absences_w = ctx.list::<AbsenceW>(top.get("absences").copied(), "absences");
    let strikes_w = ctx.list::<StrikeW>(top.get("strikes").copied(), "strikes");
    let special_w = ctx.list::<SpecialDayW>(top.get("special_days").copied(), "special_days");
    let requests_w = ctx.list::<WishW>(top.get("requests").copied(), "requests");
    let pins_w = ctx.list::<WishW>(top.get("pins").copied(), "pins");
    let overrides: OverridesW = top
        .get("overrides")
        .and_then(|v| ctx.section(v, "overrides"))
        .unwrap_or_default();

    let mut centre = match &model_path {
        Some(m) => {
            let mp = relative(m);
            if mp.is_file() {
                load_centre(&mp, ctx.problems)
            } else if mp.exists() {
                ctx.at(
                    Code::FileUnreadable,
                    "model",
                    format!(
                        "{} is a directory or a device, not a model file",
                        mp.display()
                    ),
                    "give the model's path relative to this instance file",
                );
                None
            } else {
                ctx.at(
                    Code::FileUnreadable,
                    "model",
                    format!("model file {} not found", mp.display()),
                    "give the model's path relative to this instance file",
                );
                None
            }
        }
        None => None,
    };
    if let Some(c) = centre.as_mut() {
        apply_overrides(&mut ctx, c, &overrides);
    }

    // Demand: exactly one source.
    let demand_source = demand.as_ref().and_then(|d| {
        match (&d.history, &d.forecast, &d.requirements) {
            (Some(h), None, None) => Some((DemandKind::History, h.clone())),
            (None, Some(f), None) => Some((DemandKind::Forecast, f.clone())),
            (None, None, Some(r)) => Some((DemandKind::Requirements, r.clone())),
            _ => {
                ctx.at(Code::DemandSource, "demand", "give exactly one of history, forecast and requirements", "history: a CSV to forecast from; forecast: a CSV of contacts per queue and interval; requirements: a CSV of agents required per queue and interval");
                None
            }
        }
    });

    if weeks > 1
        && demand_source
            .as_ref()
            .is_some_and(|(k, _)| *k != DemandKind::History)
    {
        ctx.at(
            Code::DemandSource,
            "weeks",
            format!("{weeks} weeks need a history to forecast each week from"),
            "give demand: { history: FILE }, or plan one week",
        );
    }
    let (Some(mut centre), Some(week_start)) = (centre, week_start) else {
        return None;
    };
    // Hours written on a site's clock, on the centre's for this week.
    centre.resolve_week(week_start);
    let dates: BTreeSet<NaiveDate> = (0..7 * weeks as i64)
        .map(|i| week_start + Duration::days(i))
        .collect();

    let strikes = strikes(&mut ctx, strikes_w, &centre, &dates);
    let special_days: Vec<SpecialDay> = special_w
        .into_iter()
        .filter_map(|(p, s)| {
            let date = ctx.date(&join(&p, "date"), &s.date)?;
            let factor = match s.volume_factor {
                Some(f) => Some(ctx.number(&join(&p, "volume_factor"), f, 0.0, 100.0)?),
                None => None,
            };
            Some(SpecialDay {
                date,
                name: s.name,
                volume_factor: factor,
            })
        })
        .collect();

    let from = (path, &spans, "");
    let demand = demand_source.and_then(|(kind, file)| {
        let rows = volumes(
            ctx.problems,
            &relative(&file),
            (from.0, from.1, kind.field()),
            &centre,
            week_start,
            kind,
        )?;
        Some(match kind {
            DemandKind::History => Demand::History(rows),
            DemandKind::Forecast => Demand::Forecast(rows),
            DemandKind::Requirements => Demand::Requirements(
                rows.into_iter()
                    .map(|r| RequirementRow {
                        queue: r.queue,
                        start: r.start,
                        repeated_hour: r.repeated_hour,
                        agents: r.contacts,
                    })
                    .collect(),
            ),
        })
    });
    let agents = agents_file.and_then(|f| {
        agents(
            ctx.problems,
            &relative(&f),
            (from.0, from.1, "agents"),
            &centre,
        )
    });
    let mut agents = agents?;
    apply_absences(&mut ctx, absences_w, &mut agents);
    let requests = wishes(&mut ctx, requests_w, &centre, &agents, week_start, false)
        .into_iter()
        .map(|(_, agent, day, wish, weight)| ShiftRequest {
            agent,
            day,
            wish,
            weight,
        })
        .collect();
    let pins = pins(&mut ctx, pins_w, &centre, &agents, week_start);
    let inst = Instance {
        centre,
        week_start,
        demand: demand?,
        agents,
        strikes,
        special_days,
        requests,
        pins,
        weeks,
        carry: crate::model::Carry::default(),
        growth: 0.0,
    };
    hires_have_a_contract(&mut ctx, &inst);
    Some(inst)
}

/// A headcount policy that hires into a group must know the contract its
/// hires sign: its own, or the group's most common
/// ([`Instance::hire_contract`]), which a group with no agents lacks.
fn hires_have_a_contract(ctx: &mut Ctx, inst: &Instance) {
    let Some(policy) = &inst.centre.headcount else {
        return;
    };
    for (g, p) in policy.groups.iter().enumerate() {
        if p.as_ref().is_some_and(|p| p.hire.is_some()) && inst.hire_contract(g).is_none() {
            ctx.at(
                Code::MissingField,
                "agents",
                format!(
                    "skill group '{}' has no agents, and its headcount policy names no contract for its hires",
                    inst.centre.skill_groups[g].id
                ),
                "give headcount.groups[].contract in the model, or agents of the group",
            );
        }
    }
}

fn apply_overrides(ctx: &mut Ctx, c: &mut Centre, o: &OverridesW) {
    let queue_ids = id_index(c.queues.iter().map(|q| q.id.as_str()));
    for (id, q) in &o.queues {
        let p = join("overrides.queues", id);
        let Some(i) = resolve(ctx, &queue_ids, Code::UnknownQueue, "queue", &p, id) else {
            continue;
        };
        if let Some(t) = &q.target {
            if let Some(v) = ctx.share_f64(
                &join(&p, "target"),
                t,
                Decimal::new(1, 2),
                Decimal::new(9999, 4),
            ) {
                c.queues[i].sla.target = v;
            }
        }
        if let Some(s) = q.scope {
            c.queues[i].sla.scope = SlaScope::from(s);
        }
    }
    let out_ids = id_index(c.outsourcers.iter().map(|o| o.id.as_str()));
    for (id, ov) in &o.outsourcers {
        let p = join("overrides.outsourcers", id);
        let Some(i) = resolve(ctx, &out_ids, Code::UnknownOutsourcer, "outsourcer", &p, id) else {
            continue;
        };
        let out = &mut c.outsourcers[i];
        if let Some(a) = ov.available {
            out.available = a;
        }
        if let Some(x) = ov.price_per_contact {
            if let Some(x) = ctx.number(&join(&p, "price_per_contact"), x, 0.0, 1e6) {
                out.pricing = Pricing::PerContact(x);
            }
        }
        if let Some(x) = ov.price_per_seat_hour {
            if let Some(x) = ctx.number(&join(&p, "price_per_seat_hour"), x, 0.0, 1e6) {
                out.pricing = Pricing::PerSeatHour(x);
            }
        }
        if let Some(s) = ov.seats {
            out.seats = s;
        }
    }
}

fn strikes(
    ctx: &mut Ctx,
    list: Vec<(String, StrikeW)>,
    c: &Centre,
    week: &BTreeSet<NaiveDate>,
) -> Vec<Strike> {
    let group_ids = id_index(c.skill_groups.iter().map(|g| g.id.as_str()));
    let mut out = Vec::new();
    for (p, s) in list {
        let g = resolve(
            ctx,
            &group_ids,
            Code::UnknownSkillGroup,
            "skill group",
            &join(&p, "skill_group"),
            &s.skill_group,
        );
        let share = ctx.share_f64(&join(&p, "share"), &s.share, Decimal::ZERO, Decimal::ONE);
        let mut dates = Vec::new();
        for (i, d) in s.dates.iter().enumerate() {
            let dp = index(&join(&p, "dates"), i);
            if let Some(date) = ctx.date(&dp, d) {
                if week.contains(&date) {
                    dates.push(date);
                } else {
                    ctx.at(
                        Code::OutOfRange,
                        &dp,
                        format!("{date} is not in the planned week(s)"),
                        "give dates from the first week's Monday to the last week's Sunday (`weeks:` says how many)",
                    );
                }
            }
        }
        if let (Some(skill_group), Some(share)) = (g, share) {
            out.push(Strike {
                skill_group,
                share,
                dates,
            });
        }
    }
    out
}

/// Forecast or history rows, checked against the model and the week.
/// Where an instance's demand comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DemandKind {
    History,
    Forecast,
    Requirements,
}

/// Most agents one queue may require in one interval: the queueing core is
/// exact up to 100,000 Erlangs, and no centre staffs more on one queue.
pub const MAX_REQUIRED_AGENTS: f64 = crate::queueing::staffing::MAX_LOAD;

impl DemandKind {
    fn field(self) -> &'static str {
        match self {
            DemandKind::History => "demand.history",
            DemandKind::Forecast => "demand.forecast",
            DemandKind::Requirements => "demand.requirements",
        }
    }
}

/// The rows of a demand CSV: contacts offered (history), contacts
/// forecast, or agents required (`agents`, or `required_agents` as
/// `slaplan staff` writes it; an empty cell is no requirement) — the last
/// in `VolumeRow::contacts` for the caller to convert.
fn volumes(
    problems: &mut Problems,
    path: &Path,
    from: (&Path, &Spans, &str),
    c: &Centre,
    week_start: NaiveDate,
    kind: DemandKind,
) -> Option<Vec<VolumeRow>> {
    let is_history = kind == DemandKind::History;
    let given = kind == DemandKind::Requirements;
    let (queue_col, start_col) = ("queue", "interval_start");
    let count_col = match kind {
        DemandKind::History => "offered",
        DemandKind::Forecast => "contacts",
        // `agents`, or the column `slaplan staff` writes: found below.
        DemandKind::Requirements => "",
    };
    let required = [queue_col, start_col, count_col];
    let table = read_csv(problems, path, from, &required[..if given { 2 } else { 3 }])?;
    let count_col = match kind {
        DemandKind::Requirements => {
            let Some(col) = ["agents", "required_agents"]
                .into_iter()
                .find(|c| table.has(c))
            else {
                problems.push(Problem {
                    code: Code::CsvMissingColumn,
                    file: path.to_path_buf(),
                    line: Some(1),
                    column: None,
                    field: "agents".into(),
                    message: format!(
                        "missing column agents (found: {})",
                        table.columns().join(", ")
                    ),
                    hint: "the header must name queue, interval_start and agents (or required_agents, as slaplan staff writes)".into(),
                });
                return None;
            };
            col
        }
        _ => count_col,
    };
    // Seconds: `aht_s` as slaplan writes it, or `aht` as ACD exports do.
    let aht_col = if table.has("aht_s") { "aht_s" } else { "aht" };
    let queue_ids = id_index(c.queues.iter().map(|q| q.id.as_str()));
    let mut seen = BTreeSet::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    let before = problems.len();
    for (line, r) in &table.rows {
        let line = *line;
        if given && table.get(r, count_col).is_none() {
            // No requirement for that queue then (a deferred queue's row
            // in `slaplan staff`'s CSV).
            continue;
        }
        let queue = table.reference(problems, line, r, queue_col, &queue_ids, Code::UnknownQueue);
        let start = table.datetime(problems, line, r, start_col);
        let contacts = table.count(problems, line, r, count_col);
        let contacts = contacts.filter(|&a| {
            let ok = !given || a <= MAX_REQUIRED_AGENTS;
            if !ok {
                table.problem(
                    problems,
                    line,
                    count_col,
                    Code::CsvBadValue,
                    format!("{a} agents on one queue in one interval"),
                    "at most 100000 agents per queue and interval (the queueing core's range); is the column agents, not agent-minutes?",
                );
            }
            ok
        });
        let aht = match (given, table.get(r, aht_col)) {
            (false, Some(_)) => table.count(problems, line, r, aht_col).map(Some),
            _ => Some(None),
        };
        // ACD exports may add handled and abandoned counts: checked, not used.
        if is_history {
            for col in ["handled", "abandoned"] {
                if table.get(r, col).is_some() {
                    if let (Some(n), Some(offered)) =
                        (table.count(problems, line, r, col), contacts)
                    {
                        if n > offered {
                            table.problem(
                                problems,
                                line,
                                col,
                                Code::CsvBadValue,
                                format!("{col} ({n}) exceeds offered ({offered})"),
                                "a row cannot handle or lose more contacts than were offered",
                            );
                        }
                    }
                }
            }
        }
        let (Some(queue), Some(start), Some(contacts), Some(aht_s)) = (queue, start, contacts, aht)
        else {
            continue;
        };
        // Contacts and handle time within what the queueing sizes: a day's
        // AHT at most, and the interval's load within its exact range.
        if let Some(a) = aht_s.filter(|&a| a > crate::queueing::staffing::MAX_AHT_S) {
            table.problem(
                problems,
                line,
                aht_col,
                Code::CsvBadValue,
                format!("an AHT of {a} s is longer than a day"),
                "give the AHT in seconds, at most 86400",
            );
            continue;
        }
        let load =
            contacts * aht_s.unwrap_or(c.queues[queue].aht_s) / f64::from(c.interval_min * 60);
        if !given && load > crate::queueing::staffing::MAX_LOAD {
            table.problem(
                problems,
                line,
                count_col,
                Code::CsvBadValue,
                format!(
                    "{contacts} contacts at this AHT are {load:.3e} Erlangs in one {}-minute interval",
                    c.interval_min
                ),
                "the queueing is exact up to 100000 Erlangs per queue and interval: check the units (contacts, not seconds)",
            );
            continue;
        }
        if let Some((message, hint)) = off_grid(c, start, week_start, is_history) {
            table.problem(problems, line, start_col, Code::CsvOffGrid, message, hint);
            continue;
        }
        let mut repeated_hour = false;
        if !is_history {
            // The hour repeated when clocks go back has two rows, in order.
            let repeated = seen.contains(&(queue, start, false));
            let twice = crate::model::occurrences(c.time_zone, start) == 2;
            if !seen.insert((queue, start, repeated)) || (repeated && !twice) {
                table.problem(
                    problems,
                    line,
                    start_col,
                    Code::CsvDuplicate,
                    format!("a second row for {} at {start}", c.queues[queue].id),
                    "give each queue and interval one row (two only for the hour repeated when clocks go back)",
                );
                continue;
            }
            repeated_hour = repeated;
        }
        rows.push(VolumeRow {
            queue,
            start,
            repeated_hour,
            contacts,
            aht_s,
        });
    }
    (problems.len() == before).then_some(rows)
}

fn agents(
    problems: &mut Problems,
    path: &Path,
    from: (&Path, &Spans, &str),
    c: &Centre,
) -> Option<Vec<Agent>> {
    let table: CsvTable = read_csv(problems, path, from, &["id", "skill_group", "contract"])?;
    if table.rows.len() > MAX_AGENTS as usize {
        table.problem(
            problems,
            table.rows[MAX_AGENTS as usize].0,
            "id",
            Code::CsvBadValue,
            format!(
                "{} agents: at most {MAX_AGENTS} in a week",
                table.rows.len()
            ),
            "plan large centres site by site, or by skill groups",
        );
        return None;
    }
    let groups = id_index(c.skill_groups.iter().map(|g| g.id.as_str()));
    let contracts = id_index(c.contracts.iter().map(|k| k.id.as_str()));
    let sites = id_index(c.sites.iter().map(|s| s.id.as_str()));
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let before = problems.len();
    for (line, r) in &table.rows {
        let line = *line;
        let id = table.text(problems, line, r, "id");
        let id = id.filter(|id| match crate::input::bad_id(id) {
            Some(why) => {
                table.problem(
                    problems,
                    line,
                    "id",
                    Code::CsvBadValue,
                    format!("agent id {id:?} {why}"),
                    crate::input::ID_HINT,
                );
                false
            }
            None => true,
        });
        if let Some(id) = id {
            if !seen.insert(id.to_string()) {
                table.problem(
                    problems,
                    line,
                    "id",
                    Code::CsvDuplicate,
                    format!("agent id '{id}' appears twice"),
                    "give each agent one row and a unique id",
                );
            }
        }
        let lookup =
            |problems: &mut Problems, col: &str, map: &BTreeMap<String, usize>, code: Code| {
                table.reference(problems, line, r, col, map, code)
            };
        let g = lookup(problems, "skill_group", &groups, Code::UnknownSkillGroup);
        let k = lookup(problems, "contract", &contracts, Code::UnknownContract);
        let s = match table.get(r, "site") {
            Some(_) => lookup(problems, "site", &sites, Code::UnknownSite).map(Some),
            None => Some(None),
        };
        let unavailable = match table.get(r, "unavailable") {
            Some(text) => parse_unavailable(text).or_else(|| {
                table.problem(
                    problems,
                    line,
                    "unavailable",
                    Code::CsvBadValue,
                    format!("'{text}' is not a list of dates or date-time ranges"),
                    "separate items with ';': a date 2003-03-04, or a range 2003-03-05T08:00/2003-03-05T12:00",
                );
                None
            }),
            None => Some(Vec::new()),
        };
        if let (Some(id), Some(g), Some(k), Some(s), Some(unavailable)) = (id, g, k, s, unavailable)
        {
            out.push(Agent {
                id: id.to_string(),
                name: table.get(r, "name").unwrap_or(id).to_string(),
                skill_group: g,
                contract: k,
                site: s,
                unavailable,
                contract_from: Vec::new(),
            });
        }
    }
    if out.is_empty() && problems.len() == before {
        table.problem(
            problems,
            1,
            "id",
            Code::EmptyList,
            "no agents".into(),
            "list the centre's agents, one per row",
        );
    }
    (problems.len() == before).then_some(out)
}

/// Why a demand row's start does not belong, if it does not: forecast rows
/// must lie in the week, on the interval grid, at a local time that exists;
/// history rows must precede the week.
fn off_grid(
    c: &Centre,
    start: NaiveDateTime,
    week_start: NaiveDate,
    is_history: bool,
) -> Option<(String, &'static str)> {
    let week_begin = week_start.and_hms_opt(0, 0, 0).expect("midnight exists");
    let week_end = week_begin + Duration::days(7);
    if is_history {
        if start < week_begin - Duration::weeks(MAX_HISTORY_WEEKS) {
            return Some((
                format!(
                    "{start} is more than {MAX_HISTORY_WEEKS} weeks (five years) before the planned week ({week_start})"
                ),
                "drop history older than five years: the forecast weighs recent weeks",
            ));
        }
        return (start >= week_begin).then(|| {
            (
                format!("{start} is not before the planned week ({week_start})"),
                "history must precede the week it forecasts",
            )
        });
    }
    if start < week_begin || start >= week_end {
        Some((
            format!(
                "{start} is outside the week {week_start}..{}",
                week_start + Duration::days(6)
            ),
            "forecast and requirement rows cover the planned week only",
        ))
    } else if (start.hour() * 60 + start.minute()) % c.interval_min != 0 || start.second() != 0 {
        Some((
            format!(
                "{} is not on the {}-minute grid",
                start.time(),
                c.interval_min
            ),
            "interval starts must be whole intervals after midnight",
        ))
    } else if crate::model::occurrences(c.time_zone, start) == 0 {
        Some((
            format!(
                "{start} does not exist in {} (the clocks go forward)",
                c.time_zone
            ),
            "drop the rows of the skipped hour",
        ))
    } else {
        None
    }
}

/// Absences listed in the instance, added to the agents' unavailability.
fn apply_absences(ctx: &mut Ctx, list: Vec<(String, AbsenceW)>, agents: &mut [Agent]) {
    for (p, a) in list {
        let Some(k) = agents.iter().position(|x| x.id == a.agent) else {
            ctx.at(
                Code::UnknownAgent,
                &join(&p, "agent"),
                format!("no agent '{}' in the agents file", a.agent),
                "use an id from the agents CSV",
            );
            continue;
        };
        for (i, d) in a.dates.iter().enumerate() {
            if let Some(date) = ctx.date(&index(&join(&p, "dates"), i), d) {
                let start = date.and_hms_opt(0, 0, 0).expect("midnight");
                agents[k]
                    .unavailable
                    .push((start, start + Duration::days(1)));
            }
        }
        match (&a.from, &a.to) {
            (Some(f), Some(t)) => match (parse_datetime(f), parse_datetime(t)) {
                (Some(f), Some(t)) if f < t => agents[k].unavailable.push((f, t)),
                (Some(_), Some(_)) => ctx.at(
                    Code::EmptyRange,
                    &join(&p, "to"),
                    "the absence ends before it starts",
                    "give 'to' after 'from'",
                ),
                _ => ctx.at(
                    Code::BadDate,
                    &join(&p, "from"),
                    "from/to must be local date-times",
                    "write YYYY-MM-DDTHH:MM",
                ),
            },
            (None, None) if !a.dates.is_empty() => {}
            _ => ctx.at(
                Code::MissingField,
                &p,
                "an absence needs dates, or both from and to",
                "give dates: [...] or from: and to:",
            ),
        }
    }
}

/// `2003-03-04;2003-03-05T08:00/2003-03-05T12:00`: whole days and ranges.
fn parse_unavailable(text: &str) -> Option<Vec<(NaiveDateTime, NaiveDateTime)>> {
    let mut out = Vec::new();
    for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        match item.split_once('/') {
            Some((a, b)) => {
                let (a, b) = (parse_datetime(a)?, parse_datetime(b)?);
                if b <= a {
                    return None;
                }
                out.push((a, b));
            }
            None => {
                let d = NaiveDate::parse_from_str(item, "%Y-%m-%d").ok()?;
                let a = d.and_hms_opt(0, 0, 0)?;
                out.push((a, a + Duration::days(1)));
            }
        }
    }
    Some(out)
}

/// Pins: at most one per agent and day, a template pin with its start.
fn pins(
    ctx: &mut Ctx,
    list: Vec<(String, WishW)>,
    centre: &Centre,
    agents: &[Agent],
    week_start: NaiveDate,
) -> Vec<Pin> {
    let mut out: Vec<Pin> = Vec::new();
    for (path, agent, day, wish, _) in wishes(ctx, list, centre, agents, week_start, true) {
        if out.iter().any(|p| p.agent == agent && p.day == day) {
            ctx.at(
                Code::DuplicateId,
                &path,
                format!("{} is pinned twice on one day", agents[agent].id),
                "give one pin per agent and day",
            );
            continue;
        }
        out.push(Pin { agent, day, wish });
    }
    out
}

/// Requests (`pins` false) or pins, resolved: (path, agent, day, wish,
/// weight).
/// A wish names `off: true` or a template that runs that day, that the
/// agent's contract and site may work, at one of its starts when given.
fn wishes(
    ctx: &mut Ctx,
    list: Vec<(String, WishW)>,
    centre: &Centre,
    agents: &[Agent],
    week_start: NaiveDate,
    pins: bool,
) -> Vec<(String, usize, usize, Wish, f64)> {
    let mut out = Vec::new();
    for (p, w) in list {
        let Some(agent) = agents.iter().position(|a| a.id == w.agent) else {
            ctx.at(
                Code::UnknownAgent,
                &join(&p, "agent"),
                format!("no agent '{}' in the agents file", w.agent),
                "use an id from the agents CSV",
            );
            continue;
        };
        let Some(date) = ctx.date(&join(&p, "date"), &w.date) else {
            continue;
        };
        let day = (date - week_start).num_days();
        if !(0..7).contains(&day) {
            ctx.at(
                Code::OutOfRange,
                &join(&p, "date"),
                format!("{date} is not in the week of {week_start}"),
                "give a date of the instance's week",
            );
            continue;
        }
        let day = day as usize;
        let weight = match w.weight {
            Some(_) if pins => {
                ctx.at(
                    Code::UnknownField,
                    &join(&p, "weight"),
                    "a pin has no weight: it always holds",
                    "remove weight, or make it a request",
                );
                continue;
            }
            Some(x) if x.is_finite() && x > 0.0 => x,
            Some(x) => {
                ctx.at(
                    Code::OutOfRange,
                    &join(&p, "weight"),
                    format!("weight {x}"),
                    "give a positive weight (the price of not granting it)",
                );
                continue;
            }
            None => 1.0,
        };
        let wish = match (w.off, &w.template) {
            (true, None) if w.start.is_none() => Wish::Off,
            (false, Some(id)) => {
                let Some(template) = centre.shift_templates.iter().position(|t| &t.id == id) else {
                    ctx.at(
                        Code::UnknownTemplate,
                        &join(&p, "template"),
                        format!("no shift template '{id}'"),
                        "use the id of one of the model's shift_templates",
                    );
                    continue;
                };
                let t = &centre.shift_templates[template];
                let a = &agents[agent];
                if !t.days[day] {
                    ctx.at(
                        Code::OutOfRange,
                        &join(&p, "date"),
                        format!("{id} does not run on {}", date.weekday()),
                        "give a day the template runs on",
                    );
                    continue;
                }
                let contract = &centre.contracts[a.contract];
                if !(t.contracts.is_empty() || t.contracts.contains(&a.contract))
                    || (t.site.is_some() && a.site.is_some() && t.site != a.site)
                    || t.paid_min() > contract.max_day_min
                {
                    ctx.at(
                        Code::OutOfRange,
                        &join(&p, "template"),
                        format!(
                            "{} may not work {id} (contract {}, site)",
                            a.id, contract.id
                        ),
                        "give a template of the agent's contract and site",
                    );
                    continue;
                }
                let start_min = match &w.start {
                    Some(text) => {
                        let Some(m) = ctx.time_of_day(&join(&p, "start"), text) else {
                            continue;
                        };
                        if !t.starts().any(|s| s == m) {
                            ctx.at(
                                Code::OutOfRange,
                                &join(&p, "start"),
                                format!("{id} cannot start at {text}"),
                                "give one of the template's starts (its window, at its step)",
                            );
                            continue;
                        }
                        Some(m)
                    }
                    None if pins => {
                        ctx.at(
                            Code::MissingField,
                            &p,
                            "a pinned shift needs its start",
                            "give start: HH:MM",
                        );
                        continue;
                    }
                    None => None,
                };
                Wish::Work {
                    template,
                    start_min,
                }
            }
            _ => {
                ctx.at(
                    Code::MissingField,
                    &p,
                    "give either off: true, or a template (and start)",
                    "e.g. { agent: A017, date: 2003-03-04, off: true } or { agent: A017, date: 2003-03-04, template: early, start: 08:00 }",
                );
                continue;
            }
        };
        out.push((p, agent, day, wish, weight));
    }
    out
}
