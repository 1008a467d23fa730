//! Model files (`models/*.yaml`) into a validated `Centre`: units read,
//! ids unique, references resolved, and every open interval of every queue
//! coverable by some shift or outsourcer.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde_yaml::Value;

use super::spans::{index, join, Spans};
use super::wire::*;
use super::{parse_yaml, read_text, Code, Ctx, Problems};
use crate::model::*;

const ZERO: Decimal = Decimal::ZERO;
const ONE: Decimal = Decimal::ONE;

/// Loads and validates a model file. `None` when any problem was found
/// (they are in `problems`).
pub fn load_centre(path: &Path, problems: &mut Problems) -> Option<Centre> {
    let before = problems.len();
    let text = read_text(problems, path, None)?;
    let root = parse_yaml(problems, path, &text)?;
    let mut ctx = Ctx {
        file: path.to_path_buf(),
        spans: Spans::build(&text),
        problems,
    };
    let centre = build(&mut ctx, &root);
    if ctx.problems.len() > before {
        None
    } else {
        centre
    }
}

/// The top-level mapping, with unknown and missing keys reported.
pub(crate) fn top_level<'v>(
    ctx: &mut Ctx,
    root: &'v Value,
    known: &[&str],
    required: &[&str],
) -> Option<BTreeMap<String, &'v Value>> {
    let Some(map) = root.as_mapping() else {
        ctx.at(
            Code::WrongType,
            "",
            "the file is not a YAML mapping of keys to values",
            "see docs/formats.md for the layout",
        );
        return None;
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else {
            ctx.at(
                Code::WrongType,
                "",
                format!("a key that is not text: {k:?}"),
                "keys are names such as queues:",
            );
            continue;
        };
        if known.contains(&key) {
            out.insert(key.to_string(), v);
        } else {
            ctx.at(
                Code::UnknownField,
                key,
                format!("unknown key '{key}'"),
                format!(
                    "remove it or correct its spelling (expected one of: {})",
                    known.join(", ")
                ),
            );
        }
    }
    for key in required {
        if !out.contains_key(*key) {
            ctx.at(
                Code::MissingField,
                "",
                format!("required key '{key}' is missing"),
                format!("add '{key}:'; see docs/formats.md"),
            );
        }
    }
    Some(out)
}

fn build(ctx: &mut Ctx, root: &Value) -> Option<Centre> {
    let before = ctx.problems.len();
    let top = top_level(
        ctx,
        root,
        MODEL_KEYS,
        &[
            "name",
            "time_zone",
            "interval",
            "queues",
            "skill_groups",
            "contracts",
            "shift_templates",
        ],
    )?;
    let name: Option<String> = top.get("name").and_then(|v| ctx.section(v, "name"));
    // The currency every price and cost is in, an ISO 4217 code.
    let currency: String = top
        .get("currency")
        .and_then(|v| ctx.section::<String>(v, "currency"))
        .and_then(|c| {
            if c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()) {
                Some(c)
            } else {
                ctx.at(
                    Code::WrongType,
                    "currency",
                    format!("'{c}' is not a currency code"),
                    "write its three-letter ISO 4217 code, e.g. EUR, USD, GBP",
                );
                None
            }
        })
        .unwrap_or_else(|| "EUR".to_string());
    let tz_text: Option<String> = top
        .get("time_zone")
        .and_then(|v| ctx.section(v, "time_zone"));
    let time_zone = tz_text.and_then(|t| ctx.time_zone("time_zone", &t));
    let interval_min = top
        .get("interval")
        .and_then(|v| ctx.section::<Scalar>(v, "interval"))
        .and_then(|s| ctx.minutes("interval", &s))
        .and_then(|m| {
            if m == 15 || m == 30 {
                Some(m)
            } else {
                ctx.at(
                    Code::BadInterval,
                    "interval",
                    format!("an interval of {m} minutes"),
                    "use 15m or 30m",
                );
                None
            }
        });
    let sites = sites(ctx, top.get("sites").copied());
    let site_ids = ids(ctx, &sites, "sites", |s| &s.1.id);
    let site_refs = (site_ids, declared(top.get("sites").copied()));
    let default_hours = top
        .get("opening_hours")
        .and_then(|v| ctx.section::<WeekSpec>(v, "opening_hours"))
        .and_then(|w| week_hours(ctx, "opening_hours", &w));
    let default_site_hours = top
        .get("opening_hours_by_site")
        .and_then(|v| ctx.section::<SiteHoursSpec>(v, "opening_hours_by_site"))
        .and_then(|w| site_hours(ctx, "opening_hours_by_site", &w, &site_refs));
    let defaults = match (default_hours, default_site_hours) {
        (None, None) => {
            if !top.contains_key("opening_hours") && !top.contains_key("opening_hours_by_site") {
                ctx.at(
                    Code::MissingField,
                    "",
                    "required key 'opening_hours' is missing",
                    "add 'opening_hours:' (e.g. mon-fri: 08:00-20:00), or 'opening_hours_by_site:' with each site's hours on its own clock",
                );
            }
            None
        }
        (hours, by_site) => {
            let hours = hours.unwrap_or_default();
            let by_site = by_site.unwrap_or_default();
            // Reported once here, not again for each queue it opens.
            let open = hours.open_minutes() > 0 || by_site.iter().any(|s| s.1.open_minutes() > 0);
            if !open {
                ctx.at(
                    Code::EmptyList,
                    "opening_hours",
                    "the model's opening_hours are never open",
                    "give the days and hours the queues open, e.g. mon-fri: 08:00-20:00",
                );
            }
            open.then_some((hours, by_site))
        }
    };

    let (queues, raw_follows) = queues(
        ctx,
        top.get("queues").copied(),
        defaults.as_ref(),
        &site_refs,
    );
    let queue_ids = ids(ctx, &queues, "queues", |q| &q.1.id);
    let queue_refs = (queue_ids, declared(top.get("queues").copied()));
    let mut queues = queues;
    follows(ctx, &raw_follows, &mut queues, &queue_refs);
    let skill_groups = skill_groups(ctx, top.get("skill_groups").copied(), &queue_refs);
    let group_refs = (
        id_index(skill_groups.iter().map(|g| g.1.id.as_str())),
        declared(top.get("skill_groups").copied()),
    );
    let on_call = on_call(ctx, top.get("on_call").copied(), &group_refs, &site_refs);
    ids(ctx, &on_call, "on_call", |o| &o.1.id);
    let contracts = contracts(ctx, top.get("contracts").copied());
    let contract_ids = ids(ctx, &contracts, "contracts", |c| &c.1.id);
    let contract_refs = (contract_ids, declared(top.get("contracts").copied()));
    let templates = templates(
        ctx,
        top.get("shift_templates").copied(),
        &contract_refs,
        &site_refs,
    );
    let template_ids = ids(ctx, &templates, "shift_templates", |t| &t.1.id);
    let forbidden_successions = ctx
        .list::<SuccessionW>(
            top.get("forbidden_successions").copied(),
            "forbidden_successions",
        )
        .into_iter()
        .filter_map(|(p, w)| {
            let mut find = |field: &str, id: &str| {
                let found = template_ids.get(id).copied();
                if found.is_none() {
                    ctx.at(
                        Code::UnknownTemplate,
                        &join(&p, field),
                        format!("no shift template '{id}'"),
                        "use the id of one of the model's shift_templates",
                    );
                }
                found
            };
            let after = find("after", &w.after);
            let then = find("then", &w.then);
            Some((after?, then?))
        })
        .collect();
    let fairness: Option<FairnessW> = top.get("fairness").and_then(|v| ctx.section(v, "fairness"));
    if let Some(f) = &fairness {
        for (key, w) in [("weekends", f.weekends), ("late_shifts", f.late_shifts)] {
            if w.is_some_and(|w| !(w.is_finite() && w >= 0.0)) {
                ctx.at(
                    Code::OutOfRange,
                    &join("fairness", key),
                    format!("weight {}", w.unwrap_or_default()),
                    "give a weight of 0 or more",
                );
            }
        }
    }
    let outsourcers = outsourcers(ctx, top.get("outsourcers").copied(), &queue_refs);
    ids(ctx, &outsourcers, "outsourcers", |o| &o.1.id);
    let headcount = top
        .get("headcount")
        .and_then(|v| headcount(ctx, v, &group_refs, &contract_refs, skill_groups.len()));
    let trunk_lines = top
        .get("trunks")
        .and_then(|v| ctx.section::<TrunksW>(v, "trunks"))
        .map(|t| t.lines);

    for (list, key) in [
        (queues.is_empty(), "queues"),
        (skill_groups.is_empty(), "skill_groups"),
        (contracts.is_empty(), "contracts"),
        (templates.is_empty(), "shift_templates"),
    ] {
        // Entries that were there but failed have said why (and what
        // rests on them follows): only a list with no entry is reported.
        let entries = top
            .get(key)
            .and_then(|v| v.as_sequence())
            .map_or(0, |s| s.len());
        if list && top.contains_key(key) && entries == 0 {
            ctx.at(
                Code::EmptyList,
                key,
                format!("{key} has no entry"),
                format!("give at least one entry under {key}"),
            );
        }
    }
    let centre = Centre {
        name: name?,
        currency,
        time_zone: time_zone?,
        interval_min: interval_min?,
        queues: strip(queues),
        skill_groups: strip(skill_groups),
        contracts: strip(contracts),
        shift_templates: strip(templates),
        sites: strip(sites),
        outsourcers: strip(outsourcers),
        trunk_lines,
        forbidden_successions,
        fairness_weekends: fairness.as_ref().and_then(|f| f.weekends),
        fairness_late: fairness.as_ref().and_then(|f| f.late_shifts),
        on_call: strip(on_call),
        pools: Vec::new(),
        headcount: None,
    };
    // Cross-checks only on a model whose parts all read: on a partial one
    // they would report the consequences of problems already listed.
    let mut centre = centre;
    // A model read alone has its site hours on a January week's clocks;
    // an instance resolves them for its own week.
    centre.resolve_week(chrono::NaiveDate::from_ymd_opt(2001, 1, 8).expect("a Monday"));
    if ctx.problems.len() == before {
        check_templates_fit_contracts(ctx, &centre);
        check_coverage(ctx, &centre);
        centre.pools = tier_pools(ctx, &centre);
    }
    centre.headcount = headcount;
    Some(centre)
}

/// Id → position of the ids of a validated list.
pub(crate) fn id_index<'a>(ids: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.to_string(), i)).collect()
}

/// Resolves every queue id of a list at `path`; `None` if any is unknown.
fn resolve_queues(ctx: &mut Ctx, refs: &Refs, path: &str, queues: &[String]) -> Option<Vec<usize>> {
    let resolved: Vec<Option<usize>> = queues
        .iter()
        .enumerate()
        .map(|(i, q)| resolve_refs(ctx, refs, Code::UnknownQueue, "queue", &index(path, i), q))
        .collect();
    resolved.into_iter().collect()
}

/// Drops the field paths kept for reporting.
fn strip<T>(v: Vec<(String, T)>) -> Vec<T> {
    v.into_iter().map(|(_, x)| x).collect()
}

/// Id → index, reporting duplicates.
fn ids<T>(
    ctx: &mut Ctx,
    items: &[(String, T)],
    list: &str,
    id: impl Fn(&(String, T)) -> &String,
) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let key = id(item).clone();
        if let Some(why) = crate::input::bad_id(&key) {
            ctx.at(
                Code::WrongType,
                &join(&item.0, "id"),
                format!("{list} id {key:?} {why}"),
                crate::input::ID_HINT,
            );
        }
        if map.insert(key.clone(), i).is_some() {
            ctx.at(
                Code::DuplicateId,
                &join(&item.0, "id"),
                format!("{list} id '{key}' is used twice"),
                "give each entry its own id",
            );
        }
    }
    map
}

/// The ids written in a YAML list, valid entries or not: a reference to
/// an entry that failed to read is not reported again as unknown.
fn declared(v: Option<&Value>) -> std::collections::BTreeSet<String> {
    v.and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("id").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// Resolves a reference, reporting an unknown one.
pub(crate) fn resolve(
    ctx: &mut Ctx,
    ids: &BTreeMap<String, usize>,
    code: Code,
    what: &str,
    path: &str,
    id: &str,
) -> Option<usize> {
    resolve_declared(ctx, ids, None, code, what, path, id)
}

/// Valid ids of a list, and every id declared in it (read or not).
type Refs = (BTreeMap<String, usize>, std::collections::BTreeSet<String>);

fn resolve_refs(
    ctx: &mut Ctx,
    refs: &Refs,
    code: Code,
    what: &str,
    path: &str,
    id: &str,
) -> Option<usize> {
    resolve_declared(ctx, &refs.0, Some(&refs.1), code, what, path, id)
}

/// As `resolve`, staying silent for ids declared by entries that did not read.
fn resolve_declared(
    ctx: &mut Ctx,
    ids: &BTreeMap<String, usize>,
    declared: Option<&std::collections::BTreeSet<String>>,
    code: Code,
    what: &str,
    path: &str,
    id: &str,
) -> Option<usize> {
    match ids.get(id) {
        Some(&i) => Some(i),
        None if declared.is_some_and(|d| d.contains(id)) => None,
        None => {
            let known: Vec<&str> = ids.keys().map(String::as_str).collect();
            ctx.at(
                code,
                path,
                format!("unknown {what} '{id}'"),
                format!("use one of: {}", known.join(", ")),
            );
            None
        }
    }
}

/// Opening hours from day keys; later keys override earlier ones in the
/// order written is not kept by YAML maps, so keys are applied from the
/// widest (all) to the narrowest (one day).
/// Hours per site, each on its site's clock.
fn site_hours(
    ctx: &mut Ctx,
    path: &str,
    spec: &SiteHoursSpec,
    site_refs: &Refs,
) -> Option<Vec<(usize, WeekHours)>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (site, hours) in spec {
        let p = join(path, site);
        let s = resolve_refs(ctx, site_refs, Code::UnknownSite, "site", &p, site);
        match (s, week_hours(ctx, &p, hours)) {
            (Some(s), Some(h)) => out.push((s, h)),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

pub(crate) fn week_hours(ctx: &mut Ctx, path: &str, spec: &WeekSpec) -> Option<WeekHours> {
    let mut parsed = Vec::new();
    let mut ok = true;
    for (key, hours) in spec {
        let p = join(path, key);
        let Some(days) = ctx.weekdays(&p, key) else {
            ok = false;
            continue;
        };
        let texts: Vec<String> = match hours {
            HoursSpec::One(t) => vec![t.clone()],
            HoursSpec::Many(v) => v.clone(),
        };
        let mut spans = Vec::new();
        for t in texts {
            match t.trim() {
                "closed" => {}
                "24h" => spans.push(Span {
                    start_min: 0,
                    end_min: DAY_MIN,
                }),
                other => match ctx.time_span(&p, other) {
                    Some(s) => spans.push(s),
                    None => ok = false,
                },
            }
        }
        let width = days.iter().filter(|d| **d).count();
        parsed.push((width, days, spans));
    }
    if !ok {
        return None;
    }
    parsed.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut week = WeekHours::default();
    let mut spans_of: [Vec<Span>; 7] = Default::default();
    for (_, days, spans) in parsed {
        for (d, on) in days.iter().enumerate() {
            if *on {
                spans_of[d] = spans.clone();
            }
        }
    }
    for (d, spans) in spans_of.iter().enumerate() {
        for s in spans {
            week.add(d, *s);
        }
    }
    Some(week)
}

/// The model's default hours: on the centre's clock, and per site.
type Hours = (WeekHours, Vec<(usize, WeekHours)>);

fn queues(
    ctx: &mut Ctx,
    v: Option<&Value>,
    defaults: Option<&Hours>,
    site_refs: &Refs,
) -> (Vec<(String, Queue)>, Vec<Option<FollowsW>>) {
    let mut out = Vec::new();
    let mut follows = Vec::new();
    for (p, q) in ctx.list::<QueueW>(v, "queues") {
        let aht = ctx.positive_s(&join(&p, "aht"), &q.aht);
        let patience = match &q.patience {
            Some(s) => ctx.positive_s(&join(&p, "patience"), s).map(Some),
            None => Some(None),
        };
        let channel = match (q.channel, patience) {
            (ChannelW::Voice, Some(patience_s)) => Some(Channel::Voice { patience_s }),
            (ChannelW::Deferred, Some(None)) => Some(Channel::Deferred),
            (ChannelW::Deferred, Some(Some(_))) => {
                ctx.at(
                    Code::OutOfRange,
                    &join(&p, "patience"),
                    "deferred work has no caller patience",
                    "remove patience, or make the queue voice",
                );
                None
            }
            _ => None,
        };
        let sla = sla(ctx, &join(&p, "sla"), &q.sla, q.channel).and_then(|s| field(ctx, &p, &q, s));
        let penalty = match q.penalty_per_point {
            Some(x) => ctx
                .number(&join(&p, "penalty_per_point"), x, 0.0, f64::MAX)
                .map(Some),
            None => Some(None),
        };
        let occ = match &q.max_occupancy {
            Some(s) => ctx
                .share_f64(&join(&p, "max_occupancy"), s, Decimal::new(1, 2), ONE)
                .map(Some),
            None => Some(None),
        };
        let shrink = match &q.shrinkage {
            Some(s) => ctx.share(&join(&p, "shrinkage"), s, ZERO, Decimal::new(95, 2)),
            None => Some(ZERO),
        };
        let priority = match q.priority {
            Some(x) if x.fract() == 0.0 && (1.0..=f64::from(MAX_PRIORITY)).contains(&x) => {
                let refused = match channel {
                    Some(Channel::Voice { patience_s: None }) | None => None,
                    Some(Channel::Voice { .. }) => Some((
                        format!("tiered queue '{}' has a patience", q.id),
                        "tiers are planned as a priority queue without abandonment: remove patience, or the priority",
                    )),
                    Some(Channel::Deferred) => Some((
                        format!("deferred queue '{}' has a call priority", q.id),
                        "give priorities to voice queues only (deferred work is done oldest first by its deadline)",
                    )),
                };
                if let Some((message, hint)) = &refused {
                    ctx.at(Code::TierPool, &join(&p, "priority"), message, *hint);
                }
                let tiered = refused.is_none();
                tiered.then_some(Some(x as u32))
            }
            Some(x) => {
                ctx.at(
                    Code::OutOfRange,
                    &join(&p, "priority"),
                    format!("priority {x} is not a whole number from 1 to {MAX_PRIORITY}"),
                    "give 1 to the highest tier, 2 to the next, and so on",
                );
                None
            }
            None => Some(None),
        };
        let opening = match (&q.opening_hours, &q.opening_hours_by_site) {
            (None, None) => defaults.cloned(),
            (hours, by_site) => {
                let hours = match hours {
                    Some(w) => week_hours(ctx, &join(&p, "opening_hours"), w),
                    None => Some(WeekHours::default()),
                };
                let by_site = match by_site {
                    Some(w) => site_hours(ctx, &join(&p, "opening_hours_by_site"), w, site_refs),
                    None => Some(Vec::new()),
                };
                hours.zip(by_site)
            }
        }
        .filter(|(hours, by_site)| {
            // A queue never open is never planned for, whatever its demand.
            let open = hours.open_minutes() > 0 || by_site.iter().any(|s| s.1.open_minutes() > 0);
            if !open {
                ctx.at(
                    Code::EmptyList,
                    &join(&p, "opening_hours"),
                    format!("queue '{}' is never open", q.id),
                    "give its opening hours, e.g. mon-fri: 08:00-20:00",
                );
            }
            open
        });
        if let (
            Some(aht_s),
            Some(channel),
            Some(sla),
            Some(penalty),
            Some(occ),
            Some(shrink),
            Some(opening),
            Some(priority),
        ) = (aht, channel, sla, penalty, occ, shrink, opening, priority)
        {
            out.push((
                p,
                Queue {
                    name: q.name.unwrap_or_else(|| q.id.clone()),
                    id: q.id,
                    channel,
                    aht_s,
                    sla,
                    penalty_per_point: penalty,
                    max_occupancy: occ,
                    shrinkage: shrink,
                    opening: opening.0.clone(),
                    hours: opening.0,
                    site_hours: opening.1,
                    follows: None,
                    priority,
                },
            ));
            follows.push(q.follows);
        }
    }
    (out, follows)
}

/// Longest travel to a site each way: a day's drive is the most a visit
/// under a response contract can take.
const MAX_TRAVEL_S: f64 = 12.0 * 3600.0;

/// A field queue's travel (`travel:`, with an `on_site_within` contract):
/// both or neither, the travel shorter than the deadline, so that a visit
/// taken up at once arrives in time.
fn field(ctx: &mut Ctx, p: &str, q: &QueueW, mut s: Sla) -> Option<Sla> {
    let on_site = q.sla.on_site_within.is_some();
    match (&q.travel, on_site) {
        (None, false) => Some(s),
        (None, true) => {
            ctx.at(
                Code::MissingField,
                p,
                "an 'on_site_within' contract needs the visit's travel",
                "add 'travel:' to the queue (each way, e.g. 1h)",
            );
            None
        }
        (Some(_), false) => {
            ctx.at(
                Code::UnknownField,
                &join(p, "travel"),
                "'travel' applies to field visits, whose contract counts the arrival on site",
                "give the queue's sla 'on_site_within:' (e.g. 8h), or remove travel",
            );
            None
        }
        (Some(t), true) => {
            let travel = ctx.duration_s(&join(p, "travel"), t)?;
            let travel = ctx.number(&join(p, "travel"), travel, 60.0, MAX_TRAVEL_S)?;
            if travel >= s.within_s {
                ctx.at(
                    Code::OutOfRange,
                    &join(p, "travel"),
                    format!(
                        "a travel of {:.0} min leaves no time within the {:.0} min of 'on_site_within'",
                        travel / 60.0,
                        s.within_s / 60.0
                    ),
                    "give a travel shorter than the contract's time on site",
                );
                return None;
            }
            s.travel_s = travel;
            Some(s)
        }
    }
}

fn sla(ctx: &mut Ctx, p: &str, s: &SlaW, channel: ChannelW) -> Option<Sla> {
    // Voice states when a call is answered; deferred work either when it
    // is done or when it is first taken up (a first response), not both.
    let keys: [(&str, &Option<Scalar>); 4] = [
        ("answer_within", &s.answer_within),
        ("handled_within", &s.handled_within),
        ("responded_within", &s.responded_within),
        ("on_site_within", &s.on_site_within),
    ];
    let allowed: &[&str] = match channel {
        ChannelW::Voice => &["answer_within"],
        ChannelW::Deferred => &["handled_within", "responded_within", "on_site_within"],
    };
    let given: Vec<(&str, &Scalar)> = keys
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v)))
        .collect();
    for (k, _) in given.iter().filter(|(k, _)| !allowed.contains(k)) {
        ctx.at(
            Code::UnknownField,
            &join(p, k),
            format!("'{k}' does not apply to this channel"),
            format!("use '{}'", allowed.join("' or '")),
        );
    }
    let mine: Vec<(&str, &Scalar)> = given
        .iter()
        .copied()
        .filter(|(k, _)| allowed.contains(k))
        .collect();
    if mine.len() > 1 {
        ctx.at(
            Code::UnknownField,
            &join(p, mine[1].0),
            "a deferred contract counts one clock, not both: the work done ('handled_within'), its first response ('responded_within') or an engineer on site ('on_site_within')",
            "keep one; a second clock for the same contacts is a queue that follows this one ('follows:')",
        );
    }
    let Some(&(key, within)) = mine.first() else {
        let key = allowed[0];
        ctx.at(
            Code::MissingField,
            p,
            format!("required key '{key}' is missing"),
            match channel {
                ChannelW::Voice => "add 'answer_within:' (e.g. 20s)".to_string(),
                ChannelW::Deferred => "add 'handled_within:' (the work done, e.g. 4h) or 'responded_within:' (first taken up, e.g. 1h)".to_string(),
            },
        );
        return None;
    };
    let within_s = ctx.duration_s(&join(p, key), within);
    let (hi, hint_100) = match channel {
        // No finite staffing answers every call within t.
        ChannelW::Voice => (Decimal::new(9999, 4), true),
        ChannelW::Deferred => (ONE, false),
    };
    let target = match crate::units::share(&s.target.0) {
        Ok(d) if hint_100 && d >= ONE => {
            ctx.at(
                Code::OutOfRange,
                &join(p, "target"),
                format!(
                    "a voice target of {} cannot be met by any finite staffing",
                    s.target.0
                ),
                "use a target below 100%, e.g. 80% or 95%",
            );
            None
        }
        _ => ctx.share_f64(&join(p, "target"), &s.target, Decimal::new(1, 2), hi),
    };
    let scope = SlaScope::from(s.scope.unwrap_or(ScopeW::Interval));
    if s.clock.is_some() && channel == ChannelW::Voice {
        ctx.at(
            Code::UnknownField,
            &join(p, "clock"),
            "'clock' applies to deferred work only",
            "remove it",
        );
    }
    Some(Sla {
        target: target?,
        within_s: within_s?,
        scope,
        within_counts_opening_hours_only: s.clock == Some(ClockW::OpeningHours),
        response: key == "responded_within" || key == "on_site_within",
        travel_s: 0.0,
    })
}

fn skill_groups(ctx: &mut Ctx, v: Option<&Value>, queue_ids: &Refs) -> Vec<(String, SkillGroup)> {
    let mut out = Vec::new();
    for (p, g) in ctx.list::<SkillGroupW>(v, "skill_groups") {
        let qs = resolve_queues(ctx, queue_ids, &join(&p, "queues"), &g.queues);
        if g.queues.is_empty() {
            ctx.at(
                Code::EmptyList,
                &join(&p, "queues"),
                "a skill group that serves no queue",
                "list the queues its agents serve, highest priority first",
            );
        }
        if let Some(queues) = qs.filter(|q| !q.is_empty()) {
            out.push((
                p,
                SkillGroup {
                    name: g.name.unwrap_or_else(|| g.id.clone()),
                    id: g.id,
                    queues,
                },
            ));
        }
    }
    ids(ctx, &out, "skill_groups", |g| &g.1.id);
    out
}

/// A contract's hours bank: 2 to 52 weeks (a year, the French
/// "annualisation"; one week banks nothing), its average within the
/// contract's weekly hours (`weekly`, when they read).
fn hours_bank(
    ctx: &mut Ctx,
    p: &str,
    b: &crate::input::wire::HoursBankW,
    weekly: (Option<u32>, Option<u32>),
) -> Option<crate::model::HoursBank> {
    let weeks = whole_number(ctx, &join(p, "weeks"), b.weeks, 2.0, 52.0);
    let average = ctx.minutes(&join(p, "average"), &b.average);
    if let (Some(a), (Some(lo), Some(hi))) = (average, weekly) {
        if a < lo || a > hi {
            ctx.at(
                Code::OutOfRange,
                &join(p, "average"),
                format!(
                    "{} a week on average, outside the weekly hours {:.1}h to {:.1}h",
                    b.average.0,
                    f64::from(lo) / 60.0,
                    f64::from(hi) / 60.0
                ),
                "give an average between the contract's weekly minimum and maximum",
            );
            return None;
        }
    }
    Some(crate::model::HoursBank {
        weeks: weeks?,
        average_min: average?,
    })
}

fn contracts(ctx: &mut Ctx, v: Option<&Value>) -> Vec<(String, Contract)> {
    let mut out = Vec::new();
    for (p, c) in ctx.list::<ContractW>(v, "contracts") {
        let wmin = ctx.minutes(&join(&p, "weekly_hours.min"), &c.weekly_hours.min);
        let wmax = ctx.minutes(&join(&p, "weekly_hours.max"), &c.weekly_hours.max);
        if let (Some(a), Some(b)) = (wmin, wmax) {
            if a > b {
                ctx.at(
                    Code::EmptyRange,
                    &join(&p, "weekly_hours"),
                    format!(
                        "min {} above max {}",
                        c.weekly_hours.min.0, c.weekly_hours.max.0
                    ),
                    "make min at most max",
                );
            }
        }
        let day_max = ctx.minutes(&join(&p, "max_hours_per_day"), &c.max_hours_per_day);
        let min_rest = match &c.min_rest {
            Some(s) => ctx.minutes(&join(&p, "min_rest"), s),
            None => Some(11 * 60),
        };
        let weekly_rest = match &c.weekly_rest {
            Some(s) => ctx.minutes(&join(&p, "weekly_rest"), s),
            None => Some(35 * 60),
        };
        if c.max_days == 0 || c.max_days > 7 {
            ctx.at(
                Code::OutOfRange,
                &join(&p, "max_days"),
                format!("{} working days a week", c.max_days),
                "give 1 to 7",
            );
        }
        let cost = ctx.number(&join(&p, "hourly_cost"), c.hourly_cost, 0.0, 1e6);
        let bank = match &c.hours_bank {
            None => Some(None),
            Some(b) => hours_bank(ctx, &join(&p, "hours_bank"), b, (wmin, wmax)).map(Some),
        };
        if let Some(w) = c.same_start {
            ctx.number(&join(&p, "same_start"), w, 0.0, 1e9);
        }
        let (mut night, mut night_hours, mut sunday) = (
            Some(0.0),
            Some(Span {
                start_min: 22 * 60,
                end_min: 30 * 60,
            }),
            Some(0.0),
        );
        if let Some(pr) = &c.premiums {
            let pp = join(&p, "premiums");
            if let Some(n) = &pr.night {
                night = ctx.share_f64(&join(&pp, "night"), n, ZERO, Decimal::from(5));
            }
            if let Some(h) = &pr.night_hours {
                night_hours = ctx.time_span(&join(&pp, "night_hours"), h);
            }
            if let Some(s) = &pr.sunday {
                sunday = ctx.share_f64(&join(&pp, "sunday"), s, ZERO, Decimal::from(5));
            }
        }
        if let (
            Some(wmin),
            Some(wmax),
            Some(day_max),
            Some(min_rest),
            Some(weekly_rest),
            Some(cost),
            Some(night),
            Some(night_hours),
            Some(sunday),
            Some(hours_bank),
        ) = (
            wmin,
            wmax,
            day_max,
            min_rest,
            weekly_rest,
            cost,
            night,
            night_hours,
            sunday,
            bank,
        ) {
            if (1..=7).contains(&c.max_days) {
                out.push((
                    p,
                    Contract {
                        id: c.id,
                        weekly_min_min: wmin,
                        weekly_max_min: wmax,
                        max_days: c.max_days,
                        max_day_min: day_max,
                        max_consecutive_days: c.max_consecutive_days.unwrap_or(6),
                        min_rest_min: min_rest,
                        weekly_rest_min: weekly_rest,
                        min_consecutive_days_off: c.min_consecutive_days_off.unwrap_or(1),
                        max_weekends: c.max_weekends,
                        hourly_cost: cost,
                        night_premium: night,
                        night_hours,
                        sunday_premium: sunday,
                        same_start_weight: c.same_start,
                        hours_bank,
                        overtime: true,
                    },
                ));
            }
        }
    }
    out
}

fn sites(ctx: &mut Ctx, v: Option<&Value>) -> Vec<(String, Site)> {
    let mut out = Vec::new();
    for (p, s) in ctx.list::<SiteW>(v, "sites") {
        if let Some(tz) = ctx.time_zone(&join(&p, "time_zone"), &s.time_zone) {
            out.push((
                p,
                Site {
                    name: s.name.unwrap_or_else(|| s.id.clone()),
                    id: s.id,
                    time_zone: tz,
                },
            ));
        }
    }
    out
}

fn templates(
    ctx: &mut Ctx,
    v: Option<&Value>,
    contract_refs: &Refs,
    site_refs: &Refs,
) -> Vec<(String, ShiftTemplate)> {
    let mut out = Vec::new();
    for (p, t) in ctx.list::<ShiftTemplateW>(v, "shift_templates") {
        let starts = start_window(ctx, &join(&p, "starts"), &t.starts);
        let step = ctx.minutes(&join(&p, "step"), &t.step).filter(|s| {
            *s > 0 || {
                ctx.at(
                    Code::OutOfRange,
                    &join(&p, "step"),
                    "a step of zero",
                    "give a step such as 15m or 30m",
                );
                false
            }
        });
        let length = ctx.minutes(&join(&p, "length"), &t.length).filter(|l| {
            (1..=DAY_MIN).contains(l) || {
                ctx.at(
                    Code::OutOfRange,
                    &join(&p, "length"),
                    format!("a shift of {} minutes", l),
                    "give a length from 1m to 24h",
                );
                false
            }
        });
        let mut breaks = Vec::new();
        let mut breaks_ok = true;
        for (i, b) in t.breaks.iter().enumerate() {
            let bp = index(&join(&p, "breaks"), i);
            let len = ctx.minutes(&join(&bp, "length"), &b.length);
            let window = b.after.split_once('-').and_then(|(a, z)| {
                let a = ctx.minutes(&join(&bp, "after"), &Scalar(a.trim().into()))?;
                let z = ctx.minutes(&join(&bp, "after"), &Scalar(z.trim().into()))?;
                Some((a, z))
            });
            if b.after.split_once('-').is_none() {
                ctx.at(
                    Code::BadDuration,
                    &join(&bp, "after"),
                    format!("'{}' is not a window", b.after),
                    "write the window of break starts after the shift start, e.g. 2h-4h",
                );
            }
            match (len, window, length) {
                (Some(len), Some((a, z)), Some(length)) if a <= z && z + len <= length => breaks
                    .push(Break {
                        length_min: len,
                        earliest_start_min: a,
                        latest_start_min: z,
                        paid: b.paid,
                    }),
                (Some(_), Some((a, z)), Some(_)) => {
                    breaks_ok = false;
                    let msg = if a > z {
                        "the window ends before it starts".to_string()
                    } else {
                        "the break can end after the shift".to_string()
                    };
                    ctx.at(
                        Code::EmptyRange,
                        &join(&bp, "after"),
                        msg,
                        "keep the window inside the shift, e.g. 2h-4h for an 8h shift",
                    );
                }
                _ => breaks_ok = false,
            }
        }
        let days = match &t.days {
            Some(d) => ctx.weekdays(&join(&p, "days"), d),
            None => Some([true; 7]),
        };
        let site = match &t.site {
            Some(s) => resolve_refs(
                ctx,
                site_refs,
                Code::UnknownSite,
                "site",
                &join(&p, "site"),
                s,
            )
            .map(Some),
            None => Some(None),
        };
        let mut contracts = Vec::new();
        let mut contracts_ok = true;
        for (i, c) in t.contracts.iter().flatten().enumerate() {
            match resolve_refs(
                ctx,
                contract_refs,
                Code::UnknownContract,
                "contract",
                &index(&join(&p, "contracts"), i),
                c,
            ) {
                Some(ix) => contracts.push(ix),
                None => contracts_ok = false,
            }
        }
        if let (
            Some((earliest, latest)),
            Some(step),
            Some(length),
            Some(days),
            Some(site),
            true,
            true,
        ) = (starts, step, length, days, site, breaks_ok, contracts_ok)
        {
            out.push((
                p,
                ShiftTemplate {
                    id: t.id,
                    earliest_start_min: earliest,
                    latest_start_min: latest,
                    step_min: step,
                    length_min: length,
                    breaks,
                    days,
                    site,
                    contracts,
                    late: t.late,
                },
            ));
        }
    }
    out
}

/// `07:00-11:00`: earliest and latest start (inclusive); a latest before
/// the earliest runs past midnight.
fn start_window(ctx: &mut Ctx, path: &str, text: &str) -> Option<(u32, u32)> {
    let Some((a, z)) = text.split_once('-') else {
        ctx.at(
            Code::BadTime,
            path,
            format!("'{text}' is not a start window"),
            "write the earliest and latest start, e.g. 07:00-11:00",
        );
        return None;
    };
    let a = ctx.time_of_day(path, a)?;
    let z = ctx.time_of_day(path, z)?;
    if a >= DAY_MIN {
        ctx.at(Code::BadTime, path, "a start at 24:00", "use 00:00");
        return None;
    }
    Some((a, if z < a { z + DAY_MIN } else { z }))
}

fn outsourcers(ctx: &mut Ctx, v: Option<&Value>, queue_ids: &Refs) -> Vec<(String, Outsourcer)> {
    let mut out = Vec::new();
    for (p, o) in ctx.list::<OutsourcerW>(v, "outsourcers") {
        let qs = resolve_queues(ctx, queue_ids, &join(&p, "queues"), &o.queues);
        let hours = week_hours(ctx, &join(&p, "hours"), &o.hours);
        let pricing = match (o.price_per_contact, o.price_per_seat_hour) {
            (Some(x), None) => ctx
                .number(&join(&p, "price_per_contact"), x, 0.0, 1e6)
                .map(Pricing::PerContact),
            (None, Some(x)) => ctx
                .number(&join(&p, "price_per_seat_hour"), x, 0.0, 1e6)
                .map(Pricing::PerSeatHour),
            _ => {
                ctx.at(
                    Code::MissingField,
                    &p,
                    "give exactly one of price_per_contact and price_per_seat_hour",
                    "an outsourcer charges per handled contact or per seat-hour",
                );
                None
            }
        };
        let min_weekly = match o.min_weekly_contacts {
            Some(x) => ctx.number(&join(&p, "min_weekly_contacts"), x, 0.0, 1e9),
            None => Some(0.0),
        };
        let aht = ctx.positive_s(&join(&p, "aht"), &o.aht);
        let seats = ctx
            .number(
                &join(&p, "seats"),
                f64::from(o.seats),
                0.0,
                f64::from(MAX_SEATS),
            )
            .map(|_| o.seats);
        if let (
            Some(queues),
            Some(hours),
            Some(pricing),
            Some(min_weekly),
            Some(aht_s),
            Some(seats),
        ) = (qs, hours, pricing, min_weekly, aht, seats)
        {
            out.push((
                p,
                Outsourcer {
                    name: o.name.unwrap_or_else(|| o.id.clone()),
                    id: o.id,
                    queues,
                    hours,
                    pricing,
                    seats,
                    min_weekly_contacts: min_weekly,
                    aht_s,
                    available: true,
                },
            ));
        }
    }
    out
}

/// Longest rest a rota may ask after a call-out: a full weekly rest (the
/// French 35 hours) is the most any labour rule owes.
const MAX_REST_MIN: f64 = 35.0 * 60.0;

fn on_call(
    ctx: &mut Ctx,
    v: Option<&Value>,
    group_refs: &Refs,
    site_refs: &Refs,
) -> Vec<(String, OnCall)> {
    let mut out = Vec::new();
    for (p, o) in ctx.list::<OnCallW>(v, "on_call") {
        let at = |k: &str| join(&p, k);
        // `Some(None)`: the centre's clock; `None`: an unknown site.
        let site = match &o.site {
            None => Some(None),
            Some(id) => {
                resolve_refs(ctx, site_refs, Code::UnknownSite, "site", &at("site"), id).map(Some)
            }
        };
        let group = resolve_refs(
            ctx,
            group_refs,
            Code::UnknownSkillGroup,
            "skill group",
            &at("skill_group"),
            &o.skill_group,
        );
        let hours = week_hours(ctx, &at("hours"), &o.hours).filter(|h| {
            let open = h.open_minutes() > 0;
            if !open {
                ctx.at(
                    Code::EmptyList,
                    &at("hours"),
                    format!("on-call rota '{}' never runs", o.id),
                    "give the hours outside opening, e.g. sat-sun: 24h",
                );
            }
            open
        });
        // Bounds: a rota of more agents than any centre keeps on call, or
        // prices and rates past these, is a typing slip.
        let agents = ctx.number(&at("agents"), o.agents.unwrap_or(1.0), 1.0, 100.0);
        let per_hour = ctx.number(&at("pay_per_hour"), o.pay_per_hour, 0.0, 1e4);
        let per_call_out = ctx.number(
            &at("pay_per_call_out"),
            o.pay_per_call_out.unwrap_or(0.0),
            0.0,
            1e5,
        );
        let rate = ctx.number(&at("call_outs_per_day"), o.call_outs_per_day, 0.0, 100.0);
        let length = ctx
            .minutes(&at("call_out_length"), &o.call_out_length)
            .filter(|&m| {
                ctx.number(&at("call_out_length"), f64::from(m), 1.0, 24.0 * 60.0)
                    .is_some()
            });
        let response = ctx.positive_s(&at("response_within"), &o.response_within);
        let rest = ctx
            .minutes(&at("rest_after_call_out"), &o.rest_after_call_out)
            .filter(|&m| {
                ctx.number(&at("rest_after_call_out"), f64::from(m), 0.0, MAX_REST_MIN)
                    .is_some()
            });
        // One period a day at most: the rest owed after one leaves no
        // second that day.
        let max = ctx.number(&at("max_per_week"), o.max_per_week.unwrap_or(7.0), 1.0, 7.0);
        let monthly = o
            .max_per_month
            .map(|m| ctx.number(&at("max_per_month"), m, 1.0, 31.0));
        let agents = whole(ctx, &at("agents"), agents);
        let max = whole(ctx, &at("max_per_week"), max);
        let monthly = monthly.map(|m| whole(ctx, &at("max_per_month"), m));
        if let (
            Some(skill_group),
            Some(site),
            Some(hours),
            Some(agents),
            Some(pay_per_hour),
            Some(pay_per_call_out),
            Some(call_outs_per_day),
            Some(call_out_min),
            Some(response_within_s),
            Some(rest_after_call_out_min),
            Some(max_per_week),
            Some(max_per_month),
        ) = (
            group,
            site,
            hours,
            agents,
            per_hour,
            per_call_out,
            rate,
            length,
            response,
            rest,
            max,
            monthly.map_or(Some(None), |m| m.map(Some)),
        ) {
            out.push((
                p,
                OnCall {
                    name: o.name.unwrap_or_else(|| o.id.clone()),
                    id: o.id,
                    skill_group,
                    site,
                    hours,
                    agents,
                    pay_per_hour,
                    pay_per_call_out,
                    call_outs_per_day,
                    call_out_min,
                    response_within_s,
                    rest_after_call_out_min,
                    max_per_week,
                    max_per_month,
                    recovery: match o.recovery {
                        Some(crate::input::wire::RecoveryW::Paid) => crate::model::Recovery::Paid,
                        _ => crate::model::Recovery::Free,
                    },
                },
            ));
        }
    }
    out
}

/// A template whose worked time exceeds the daily maximum of every contract
/// allowed to work it can never be worked.
fn check_templates_fit_contracts(ctx: &mut Ctx, c: &Centre) {
    for (i, t) in c.shift_templates.iter().enumerate() {
        let allowed: Vec<&Contract> = if t.contracts.is_empty() {
            c.contracts.iter().collect()
        } else {
            t.contracts.iter().map(|&k| &c.contracts[k]).collect()
        };
        let most = allowed.iter().map(|k| k.max_day_min).max().unwrap_or(0);
        if t.paid_min() > most {
            ctx.at(
                Code::ShiftExceedsContract,
                &join(&index("shift_templates", i), "length"),
                format!(
                    "shift '{}' works {} but no contract allowed to work it permits more than {} a day",
                    t.id,
                    hm(t.paid_min()),
                    hm(most)
                ),
                "shorten the shift, add an unpaid break, or allow a contract with longer days",
            );
        }
    }
}

/// Each queue's `follows`: the parent resolved, deferred both, the share
/// in (0, 100%], and no queue following itself through others.
fn follows(ctx: &mut Ctx, raw: &[Option<FollowsW>], queues: &mut [(String, Queue)], refs: &Refs) {
    for ((path, q), f) in queues.iter_mut().zip(raw) {
        let Some(f) = f else {
            continue;
        };
        let at = join(path, "follows");
        let parent = resolve_refs(
            ctx,
            refs,
            Code::UnknownQueue,
            "queue",
            &join(&at, "queue"),
            &f.queue,
        );
        let share = ctx.share_f64(&join(&at, "share"), &f.share, Decimal::new(1, 4), ONE);
        if q.channel != Channel::Deferred {
            ctx.at(
                Code::OutOfRange,
                &at,
                format!("voice queue '{}' cannot follow another's contacts", q.id),
                "make the later clock a deferred queue (a call back, a remote fix, a visit)",
            );
            continue;
        }
        if let (Some(parent), Some(share)) = (parent, share) {
            q.follows = Some((parent, share));
        }
    }
    let parents: Vec<Option<usize>> = queues.iter().map(|q| q.1.follows.map(|f| f.0)).collect();
    for (i, (path, q)) in queues.iter().enumerate() {
        let Some(first) = parents[i] else { continue };
        if queues[first].1.channel != Channel::Deferred {
            ctx.at(
                Code::OutOfRange,
                &join(&join(path, "follows"), "queue"),
                format!("'{}' follows voice queue '{}'", q.id, queues[first].1.id),
                "follow a deferred queue: the first response is work with a deadline",
            );
        }
        let mut at = Some(first);
        for _ in 0..queues.len() {
            at = at.and_then(|p| parents[p]);
        }
        if at.is_some() {
            ctx.at(
                Code::OutOfRange,
                &join(&join(path, "follows"), "queue"),
                format!("'{}' follows itself through other queues", q.id),
                "make the chain of clocks end at a queue that follows none",
            );
        }
    }
}

/// The tier pools: queues with a priority, grouped by the skill groups
/// serving them (two or more to a pool), highest priority first. Tiers
/// pooled by a group must be served by exactly the same groups (the
/// priority queue pools all of their agents), carry different priorities,
/// and stand in each group's list in priority order (the ACD serves a
/// group's list in order: the list and the priorities must agree).
fn tier_pools(ctx: &mut Ctx, c: &Centre) -> Vec<Vec<usize>> {
    let serving = |q: usize| -> Vec<usize> {
        (0..c.skill_groups.len())
            .filter(|&g| c.skill_groups[g].queues.contains(&q))
            .collect()
    };
    let tiered: Vec<usize> = (0..c.queues.len())
        .filter(|&q| c.queues[q].priority.is_some())
        .collect();
    let mut pools: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for &q in &tiered {
        let groups = serving(q);
        match pools.iter_mut().find(|(g, _)| *g == groups) {
            Some((_, members)) => members.push(q),
            None => pools.push((groups, vec![q])),
        }
    }
    let mut out = Vec::new();
    for (groups, mut members) in pools {
        members.sort_by_key(|&q| (c.queues[q].priority, q));
        let qpath = |q: usize| join(&index("queues", q), "priority");
        for w in members.windows(2) {
            if c.queues[w[0]].priority == c.queues[w[1]].priority {
                ctx.at(
                    Code::TierPool,
                    &qpath(w[1]),
                    format!(
                        "tiers '{}' and '{}' share their agents and the same priority",
                        c.queues[w[0]].id, c.queues[w[1]].id
                    ),
                    "give each tier of a pool its own priority (1 the highest)",
                );
            }
        }
        for &g in &groups {
            let order: Vec<usize> = c.skill_groups[g]
                .queues
                .iter()
                .copied()
                .filter(|q| members.contains(q))
                .collect();
            if members.len() > 1 && order != members {
                ctx.at(
                    Code::TierPool,
                    &join(&index("skill_groups", g), "queues"),
                    format!(
                        "skill group '{}' lists its tiers out of priority order",
                        c.skill_groups[g].id
                    ),
                    format!(
                        "list them as {} (the ACD serves a group's list in order)",
                        members
                            .iter()
                            .map(|&q| c.queues[q].id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        out.push((groups, members));
    }
    // Tiers pooled by one group must be pooled by all of theirs.
    for (a, (ga, ma)) in out.iter().enumerate() {
        for (gb, mb) in &out[a + 1..] {
            if let Some(&g) = ga.iter().find(|g| gb.contains(g)) {
                ctx.at(
                    Code::TierPool,
                    &join(&index("skill_groups", g), "queues"),
                    format!(
                        "skill group '{}' serves tiers '{}' and '{}', which other groups serve apart",
                        c.skill_groups[g].id, c.queues[ma[0]].id, c.queues[mb[0]].id
                    ),
                    "serve the tiers of one pool by the same skill groups, or drop a priority",
                );
            }
        }
    }
    out.into_iter()
        .map(|(_, members)| members)
        .filter(|m| m.len() > 1)
        .collect()
}

/// Every open interval of every queue must be reachable by some shift
/// start (on that day or the day before, for night shifts) of an agent
/// group that serves the queue, or by an outsourcer serving it then.
fn check_coverage(ctx: &mut Ctx, c: &Centre) {
    let step = c.interval_min;
    let ahead: Vec<Vec<i64>> = c
        .shift_templates
        .iter()
        .map(|t| offsets_ahead(c, t))
        .collect();
    for (qi, q) in c.queues.iter().enumerate() {
        let served_in_house = c.skill_groups.iter().any(|g| g.queues.contains(&qi));
        let outsourced: Vec<&Outsourcer> = c
            .outsourcers
            .iter()
            .filter(|o| o.queues.contains(&qi))
            .collect();
        let qpath = index("queues", qi);
        if !served_in_house && outsourced.is_empty() {
            ctx.at(
                Code::UnservedQueue,
                &join(&qpath, "id"),
                format!("no skill group and no outsourcer serves queue '{}'", q.id),
                "add the queue to a skill group's queues, or to an outsourcer's",
            );
            continue;
        }
        for (day, day_name) in DAY_NAMES.iter().enumerate() {
            let mut gap: Option<(u32, u32)> = None;
            let mut gaps = Vec::new();
            let mut m = 0;
            while m < DAY_MIN {
                let open = q.opening.overlaps(day, m, step);
                let covered = !open
                    || (served_in_house
                        && c.shift_templates
                            .iter()
                            .zip(&ahead)
                            .any(|(t, offs)| offs.iter().any(|&a| covers(t, day, m, step, a))))
                    || outsourced.iter().any(|o| o.hours.overlaps(day, m, step));
                if covered {
                    if let Some(g) = gap.take() {
                        gaps.push(g);
                    }
                } else {
                    gap = Some(gap.map_or((m, m + step), |(a, _)| (a, m + step)));
                }
                m += step;
            }
            gaps.extend(gap);
            for (a, z) in gaps {
                ctx.at(
                    Code::UncoverableInterval,
                    &join(&qpath, "id"),
                    format!(
                        "queue '{}' is open {} {}–{} but no shift template can be worked then",
                        q.id,
                        day_name,
                        hm_clock(a),
                        hm_clock(z)
                    ),
                    "add a shift template (or widen a start window) covering those hours, allow that day, or let an outsourcer serve the queue then",
                );
            }
        }
    }
}

/// Whether a shift of template `t` can cover `[m, m+len)` on weekday `day`.
/// Whether a start of `t` covers `[m, m + len)` of `day` on the centre's
/// clock, the template's clock `ahead` minutes ahead of it (a site's
/// zone east of the centre's); the week wraps, Sunday night into Monday.
fn covers(t: &ShiftTemplate, day: usize, m: u32, len: u32, ahead: i64) -> bool {
    let week = 7 * i64::from(DAY_MIN);
    let at = day as i64 * i64::from(DAY_MIN) + i64::from(m);
    (0..7).filter(|&d| t.days[d]).any(|d| {
        t.starts().any(|s| {
            let start = (d as i64 * i64::from(DAY_MIN) + i64::from(s) - ahead).rem_euclid(week);
            (at - start).rem_euclid(week) + i64::from(len) <= i64::from(t.length_min)
        })
    })
}

/// How far a template's clock runs ahead of the centre's, in minutes, in
/// winter and in summer (a site's zone keeps its own daylight saving).
fn offsets_ahead(c: &Centre, t: &ShiftTemplate) -> Vec<i64> {
    use chrono::{Offset, TimeZone};
    let zone = c.template_zone(t);
    let mut out: Vec<i64> = [(1, 15), (7, 15)]
        .iter()
        .filter_map(|&(month, day)| {
            let noon = chrono::NaiveDate::from_ymd_opt(2025, month, day)?.and_hms_opt(12, 0, 0)?;
            let utc = chrono::Utc.from_utc_datetime(&noon);
            let off = |z: chrono_tz::Tz| {
                i64::from(utc.with_timezone(&z).offset().fix().local_minus_utc()) / 60
            };
            Some(off(zone) - off(c.time_zone))
        })
        .collect();
    out.dedup();
    out
}

pub(crate) const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn hm(min: u32) -> String {
    format!("{}h{:02}", min / 60, min % 60)
}

fn hm_clock(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// Longest lead time, notice or training a headcount policy may state, in
/// weeks: a year, the longest horizon (`MAX_HORIZON_WEEKS`); past it the
/// move never lands inside one.
const MAX_POLICY_WEEKS: f64 = MAX_HORIZON_WEEKS as f64;

/// Most overtime a week per agent: 48 hours a week is the European Working
/// Time Directive's ceiling, 13 above the French 35.
const MAX_OVERTIME_MIN: f64 = 13.0 * 60.0;

/// `headcount:`: each listed skill group's policy, by the model's group
/// order; `None` (reported) where any part fails.
fn headcount(
    ctx: &mut Ctx,
    v: &Value,
    group_refs: &Refs,
    contract_refs: &Refs,
    groups: usize,
) -> Option<HeadcountPolicy> {
    let w: HeadcountW = ctx.section(v, "headcount")?;
    let before = ctx.problems.len();
    // Below 30%, more than two paid hours in three would meet no need:
    // no rota is that poor; above 100% is more than the hours paid.
    let efficiency_at = |ctx: &mut Ctx, path: &str, v: &Scalar| {
        ctx.share_f64(path, v, Decimal::new(3, 1), Decimal::ONE)
    };
    let efficiency = match &w.schedule_efficiency {
        Some(s) => efficiency_at(ctx, "headcount.schedule_efficiency", s),
        None => Some(DEFAULT_SCHEDULE_EFFICIENCY),
    };
    let mut out: Vec<Option<GroupPolicy>> = vec![None; groups];
    for (p, g) in ctx.list::<GroupHeadcountW>(Some(&w.groups), "headcount.groups") {
        let at = |k: &str| join(&p, k);
        let group = resolve_refs(
            ctx,
            group_refs,
            Code::UnknownSkillGroup,
            "skill group",
            &at("skill_group"),
            &g.skill_group,
        );
        let contract = match &g.contract {
            None => Some(None),
            Some(id) => resolve_refs(
                ctx,
                contract_refs,
                Code::UnknownContract,
                "contract",
                &at("contract"),
                id,
            )
            .map(Some),
        };
        let weeks = |ctx: &mut Ctx, k: &str, x: Option<f64>| {
            whole_number(ctx, &at(k), x.unwrap_or(0.0), 0.0, MAX_POLICY_WEEKS)
        };
        let hire = g.hire.as_ref().map(|h| {
            let cost = ctx.number(&at("hire.cost"), h.cost, 0.0, 1e6);
            let lead = weeks(ctx, "hire.lead_weeks", h.lead_weeks);
            let training = weeks(ctx, "hire.training_weeks", h.training_weeks);
            let productivity = match &h.training_productivity {
                Some(s) => ctx.share_f64(
                    &at("hire.training_productivity"),
                    s,
                    Decimal::ZERO,
                    Decimal::ONE,
                ),
                None => Some(1.0),
            };
            let most = whole_number(
                ctx,
                &at("hire.max_per_week"),
                h.max_per_week.unwrap_or(f64::from(MAX_AGENTS)),
                1.0,
                f64::from(MAX_AGENTS),
            );
            Some(Hiring {
                cost: cost?,
                lead_weeks: lead?,
                training_weeks: training?,
                training_productivity: productivity?,
                max_per_week: most?,
            })
        });
        let attrition = match &g.attrition {
            Some(s) => ctx.share_f64(&at("attrition"), s, Decimal::ZERO, Decimal::ONE),
            None => Some(0.0),
        };
        let cut = g.cut.as_ref().map(|c| {
            let severance = ctx.number(&at("cut.severance"), c.severance, 0.0, 1e7);
            let notice = weeks(ctx, "cut.notice_weeks", c.notice_weeks);
            Some(Cutting {
                severance: severance?,
                notice_weeks: notice?,
            })
        });
        let overtime = g.overtime.as_ref().map(|o| {
            let max = ctx
                .minutes(&at("overtime.max_hours"), &o.max_hours)
                .filter(|&m| {
                    ctx.number(
                        &at("overtime.max_hours"),
                        f64::from(m),
                        0.0,
                        MAX_OVERTIME_MIN,
                    )
                    .is_some()
                });
            // Overtime is paid at least at the hourly rate, and no
            // collective agreement asks more than four times it.
            let premium = ctx.share_f64(
                &at("overtime.premium"),
                &o.premium,
                Decimal::ZERO,
                Decimal::new(3, 0),
            );
            Some(Overtime {
                max_min: max?,
                premium: premium?,
            })
        });
        let temps = g.temps.as_ref().map(|t| {
            let cost = ctx.number(&at("temps.hourly_cost"), t.hourly_cost, 0.0, 1e6);
            let max = whole_number(
                ctx,
                &at("temps.max_agents"),
                t.max_agents,
                1.0,
                f64::from(MAX_AGENTS),
            );
            // A temp's week: an hour at least, 48 at most (the EU ceiling).
            let hours = ctx
                .minutes(&at("temps.weekly_hours"), &t.weekly_hours)
                .filter(|&m| {
                    ctx.number(&at("temps.weekly_hours"), f64::from(m), 60.0, 48.0 * 60.0)
                        .is_some()
                });
            let productivity = match &t.productivity {
                Some(s) => ctx.share_f64(&at("temps.productivity"), s, Decimal::ZERO, Decimal::ONE),
                None => Some(1.0),
            };
            Some(Temps {
                hourly_cost: cost?,
                max_agents: max?,
                weekly_min: hours?,
                productivity: productivity?,
            })
        });
        let own_efficiency = g
            .schedule_efficiency
            .as_ref()
            .map(|e| efficiency_at(ctx, &at("schedule_efficiency"), e));
        let least = whole_number(
            ctx,
            &at("min_agents"),
            g.min_agents.unwrap_or(0.0),
            0.0,
            f64::from(MAX_AGENTS),
        );
        let most = whole_number(
            ctx,
            &at("max_agents"),
            g.max_agents.unwrap_or(f64::from(MAX_AGENTS)),
            0.0,
            f64::from(MAX_AGENTS),
        );
        if let (Some(a), Some(b)) = (least, most) {
            if a > b {
                ctx.at(
                    Code::EmptyRange,
                    &p,
                    format!("min_agents {a} above max_agents {b}"),
                    "make min_agents at most max_agents",
                );
            }
        }
        let Some(group) = group else { continue };
        if out[group].is_some() {
            ctx.at(
                Code::DuplicateId,
                &at("skill_group"),
                format!("skill group '{}' has two headcount policies", g.skill_group),
                "give each skill group one entry under headcount.groups",
            );
            continue;
        }
        let (Some(contract), Some(attrition), Some(min_agents), Some(max_agents), Some(own)) = (
            contract,
            attrition,
            least,
            most,
            own_efficiency.map_or(Some(None), |e| e.map(Some)),
        ) else {
            continue;
        };
        let (Some(hire), Some(cut), Some(overtime), Some(temps)) = (
            hire.map_or(Some(None), |h| h.map(Some)),
            cut.map_or(Some(None), |c| c.map(Some)),
            overtime.map_or(Some(None), |o| o.map(Some)),
            temps.map_or(Some(None), |t| t.map(Some)),
        ) else {
            continue;
        };
        out[group] = Some(GroupPolicy {
            contract,
            hire,
            attrition_per_year: attrition,
            cut,
            overtime,
            temps,
            min_agents,
            max_agents,
            schedule_efficiency: own,
        });
    }
    (ctx.problems.len() == before).then_some(HeadcountPolicy {
        schedule_efficiency: efficiency?,
        groups: out,
    })
}

/// A whole number within `[lo, hi]` at `path`.
fn whole_number(ctx: &mut Ctx, path: &str, x: f64, lo: f64, hi: f64) -> Option<u32> {
    let x = ctx.number(path, x, lo, hi);
    whole(ctx, path, x)
}

/// `x` (already read at `path`) as a whole number, reported if it is not.
fn whole(ctx: &mut Ctx, path: &str, x: Option<f64>) -> Option<u32> {
    let x = x?;
    if x.fract() != 0.0 {
        ctx.at(
            Code::OutOfRange,
            path,
            format!("{x} is not a whole number"),
            "give a whole number",
        );
        return None;
    }
    Some(x as u32)
}
