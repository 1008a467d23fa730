//! Scenarios: named sets of overrides applied to a loaded week before it is
//! planned (`slaplan plan --set`, `slaplan compare --scenarios`, sweeps).
//!
//! An override is `key=value`; the keys are the levers a finance analyst
//! pulls (docs/formats.md, "Scenarios"): outsourcing on or off, the
//! outsourcer's price and seats, SLA targets and scopes, in-house
//! headcount, strike and absence shares, opening hours. Values are read as
//! YAML scalars (`0.8`, `80%`, `off`) or, for hours, a YAML map.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_yaml::Value;

use crate::model::{Agent, Instance, SlaScope, Strike};

/// One `key=value` change to a week.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub key: String,
    pub value: Value,
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, value_text(&self.value))
    }
}

/// A value as one line of text: scalars as written, maps in flow style.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "null".into(),
        Value::Mapping(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", value_text(k), value_text(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Sequence(s) => {
            let parts: Vec<String> = s.iter().map(value_text).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Tagged(t) => value_text(&t.value),
    }
}

impl std::str::FromStr for Override {
    type Err = String;

    /// `key=value`, the value read as YAML.
    fn from_str(text: &str) -> Result<Self, String> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}' is not key=value, e.g. outsourcer.price=3.5"))?;
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("'{text}' has no key before '='"));
        }
        let value: Value = serde_yaml::from_str(value.trim())
            .map_err(|e| format!("the value of {key} does not read: {e}"))?;
        Ok(Override {
            key: key.to_string(),
            value,
        })
    }
}

/// A named set of overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub overrides: Vec<Override>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileW {
    scenarios: Vec<ScenarioW>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioW {
    name: String,
    #[serde(default)]
    set: serde_yaml::Mapping,
}

/// Reads a scenario file: `scenarios: [{name, set: {key: value}}]`.
pub fn load_scenarios(path: &Path) -> Result<Vec<Scenario>, String> {
    let text = crate::input::read_input(path)
        .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    let file: FileW = serde_yaml::from_str(&text).map_err(|e| {
        let at = e
            .location()
            .map_or(String::new(), |l| format!(":{}:{}", l.line(), l.column()));
        format!(
            "{}{at}: {} (a scenario file is `scenarios:` with a list of {{name, set: {{key: value}}}}; see docs/formats.md)",
            path.display(),
            crate::input::plain(&e.to_string())
        )
    })?;
    if file.scenarios.is_empty() {
        return Err(format!("{}: lists no scenario", path.display()));
    }
    let mut names = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, s) in file.scenarios.into_iter().enumerate() {
        if !names.insert(s.name.clone()) {
            return Err(format!(
                "{}: scenarios[{i}]: the name '{}' is used twice; give each scenario its own",
                path.display(),
                s.name
            ));
        }
        let mut overrides = Vec::new();
        for (k, v) in s.set {
            let Value::String(key) = k else {
                return Err(format!(
                    "{}: scenarios[{i}].set: keys are text like outsourcer.price",
                    path.display()
                ));
            };
            overrides.push(Override { key, value: v });
        }
        out.push(Scenario {
            name: s.name,
            overrides,
        });
    }
    Ok(out)
}

/// A sweep: one key over `from..=to` in steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub key: String,
    pub from: f64,
    pub to: f64,
    pub step: f64,
}

impl std::str::FromStr for Sweep {
    type Err = String;

    /// `key=from..to:step`.
    fn from_str(text: &str) -> Result<Self, String> {
        let bad =
            || format!("'{text}' is not key=from..to:step, e.g. outsourcer.price=1.5..4.0:0.25");
        let (key, range) = text.split_once('=').ok_or_else(bad)?;
        let (span, step) = range.split_once(':').ok_or_else(bad)?;
        let (from, to) = span.split_once("..").ok_or_else(bad)?;
        let num = |s: &str| s.trim().parse::<f64>().map_err(|_| bad());
        let (from, to, step) = (num(from)?, num(to)?, num(step)?);
        if !(step > 0.0 && to >= from && from.is_finite() && to.is_finite()) {
            return Err(format!(
                "'{text}': the step must be positive and the range run upwards"
            ));
        }
        if (to - from) / step > 200.0 {
            return Err(format!("'{text}': more than 200 points; use a larger step"));
        }
        Ok(Sweep {
            key: key.trim().to_string(),
            from,
            to,
            step,
        })
    }
}

impl Sweep {
    /// The points, `from` then every step up to `to` (inclusive, with a
    /// little room for rounding), each rounded to 1e-9.
    pub fn points(&self) -> Vec<f64> {
        let n = ((self.to - self.from) / self.step + 1e-9).floor() as usize;
        (0..=n)
            .map(|k| ((self.from + k as f64 * self.step) * 1e9).round() / 1e9)
            .collect()
    }

    /// The override at one point.
    pub fn at(&self, x: f64) -> Override {
        Override {
            key: self.key.clone(),
            value: Value::Number(x.into()),
        }
    }
}

fn as_f64(o: &Override) -> Result<f64, String> {
    match &o.value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
    .ok_or_else(|| format!("{o}: give a number"))
}

fn as_share(o: &Override) -> Result<f64, String> {
    let x = match &o.value {
        Value::String(s) if s.trim_end().ends_with('%') => s
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<f64>()
            .ok()
            .map(|p| p / 100.0),
        _ => as_f64(o).ok(),
    };
    x.filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| format!("{o}: give a share between 0 and 1, or a percentage like 80%"))
}

fn as_bool(o: &Override) -> Result<bool, String> {
    match &o.value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "on" | "yes" | "true" => Ok(true),
            "off" | "no" | "false" => Ok(false),
            _ => Err(format!("{o}: give on or off")),
        },
        _ => Err(format!("{o}: give on or off")),
    }
}

fn as_count(o: &Override) -> Result<u32, String> {
    let x = as_f64(o)?;
    if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) {
        Ok(x as u32)
    } else {
        Err(format!("{o}: give a whole number, 0 or more"))
    }
}

/// A whole number from 0 to `max` (`what` names it in the message).
fn as_count_max(o: &Override, max: u32, what: &str) -> Result<u32, String> {
    let n = as_count(o)?;
    if n > max {
        return Err(format!("{o}: at most {max} {what}"));
    }
    Ok(n)
}

/// A headcount: at most [`crate::model::MAX_AGENTS`] in the week.
fn as_agents(o: &Override) -> Result<u32, String> {
    as_count_max(o, crate::model::MAX_AGENTS, "agents in a week")
}

/// Indices of the items whose id is `id`, or all of them when `id` is
/// `None`; an unknown id is an error naming the ones there are.
fn select<T>(
    o: &Override,
    items: &[T],
    id: Option<&str>,
    id_of: impl Fn(&T) -> &str,
    what: &str,
) -> Result<Vec<usize>, String> {
    match id {
        None => Ok((0..items.len()).collect()),
        Some(id) => match items.iter().position(|t| id_of(t) == id) {
            Some(i) => Ok(vec![i]),
            None => Err(format!(
                "{o}: no {what} '{id}' in this week (there are: {})",
                items.iter().map(&id_of).collect::<Vec<_>>().join(", ")
            )),
        },
    }
}

/// Applies the overrides in order.
pub fn apply(inst: &mut Instance, overrides: &[Override]) -> Result<(), String> {
    for o in overrides {
        apply_one(inst, o)?;
    }
    Ok(())
}

/// Applies overrides as a plan recorded them (`KEY=VALUE` strings, in
/// `plan.json` or `horizon.json`), in order.
pub fn apply_recorded(inst: &mut Instance, recorded: &[String]) -> Result<(), String> {
    let overrides = recorded
        .iter()
        .map(|o| o.parse::<Override>())
        .collect::<Result<Vec<_>, _>>()?;
    apply(inst, &overrides)
}

const KEYS: &str = "outsourcing, outsourcer[.ID].price, outsourcer[.ID].seats, outsourcer[.ID].available, sla[.QUEUE].target, sla[.QUEUE].scope, sla[.QUEUE].penalty, headcount[.GROUP], min_agents[.GROUP], max_agents[.GROUP], hiring, cuts, growth, headcount_plan, strike.GROUP, strike.share, absence, opening[.QUEUE]";

fn apply_one(inst: &mut Instance, o: &Override) -> Result<(), String> {
    let parts: Vec<&str> = o.key.split('.').collect();
    let c = &mut inst.centre;
    // `head.ID.field` or `head.field`: the id is the middle, if any.
    let (head, id, field) = match parts.as_slice() {
        [h] => (*h, None, None),
        [h, f] => (*h, None, Some(*f)),
        [h, id, f] => (*h, Some(*id), Some(*f)),
        _ => (o.key.as_str(), None, None),
    };
    match (head, field) {
        ("outsourcing", None) => {
            let on = as_bool(o)?;
            for out in &mut c.outsourcers {
                out.available = on;
            }
        }
        ("outsourcer", Some(f @ ("price" | "seats" | "available"))) => {
            let which = select(o, &c.outsourcers, id, |x| &x.id, "outsourcer")?;
            if which.is_empty() {
                return Err(format!("{o}: this week has no outsourcer"));
            }
            for k in which {
                let out = &mut c.outsourcers[k];
                match f {
                    "price" => {
                        let p = as_f64(o)?;
                        if p < 0.0 {
                            return Err(format!("{o}: a price is 0 or more"));
                        }
                        out.pricing = match out.pricing {
                            crate::model::Pricing::PerContact(_) => {
                                crate::model::Pricing::PerContact(p)
                            }
                            crate::model::Pricing::PerSeatHour(_) => {
                                crate::model::Pricing::PerSeatHour(p)
                            }
                        };
                    }
                    "seats" => out.seats = as_count_max(o, crate::model::MAX_SEATS, "seats")?,
                    _ => out.available = as_bool(o)?,
                }
            }
        }
        ("sla", Some(f @ ("target" | "scope" | "penalty"))) => {
            let which = select(o, &c.queues, id, |q| &q.id, "queue")?;
            for q in which {
                let queue = &mut c.queues[q];
                // Without a queue named, deferred work keeps its own SLA.
                if id.is_none() && queue.channel == crate::model::Channel::Deferred {
                    continue;
                }
                if f == "penalty" {
                    if queue.channel == crate::model::Channel::Deferred {
                        return Err(format!(
                            "{o}: misses are priced on voice queues; deferred work keeps its deadline"
                        ));
                    }
                    let p = as_f64(o)?;
                    if p < 0.0 {
                        return Err(format!("{o}: a price is 0 or more"));
                    }
                    queue.penalty_per_point = Some(p);
                } else if f == "target" {
                    let t = as_share(o)?;
                    if t <= 0.0 {
                        return Err(format!("{o}: a target is above 0"));
                    }
                    queue.sla.target = t;
                } else {
                    queue.sla.scope = match &o.value {
                        Value::String(s) if s == "interval" => SlaScope::Interval,
                        Value::String(s) if s == "day" => SlaScope::Day,
                        Value::String(s) if s == "week" => SlaScope::Week,
                        Value::String(s) if s == "month" => SlaScope::Month,
                        _ => return Err(format!("{o}: give interval, day, week or month")),
                    };
                    if queue.channel == crate::model::Channel::Deferred
                        && queue.sla.scope < SlaScope::Week
                    {
                        return Err(format!(
                            "{o}: deferred work is counted over the week or the month"
                        ));
                    }
                }
            }
        }
        ("headcount", None) => headcount(inst, None, as_agents(o)?, o)?,
        ("headcount", Some(g)) if id.is_none() => headcount(inst, Some(g), as_agents(o)?, o)?,
        (bound @ ("min_agents" | "max_agents"), g) if id.is_none() => {
            let n = as_agents(o)?;
            let which = select(o, &c.skill_groups, g, |x| &x.id, "skill group")?;
            let policy = policy_of(c, o)?;
            let mut set = 0;
            for g in which {
                if let Some(p) = policy.groups[g].as_mut() {
                    if bound == "min_agents" {
                        p.min_agents = n;
                    } else {
                        p.max_agents = n;
                    }
                    set += 1;
                }
            }
            if set == 0 {
                return Err(format!(
                    "{o}: no skill group named has a headcount policy (headcount.groups in the model file)"
                ));
            }
            if let Some(p) = policy
                .groups
                .iter()
                .flatten()
                .find(|p| p.min_agents > p.max_agents)
            {
                return Err(format!(
                    "{o}: min_agents {} above max_agents {}",
                    p.min_agents, p.max_agents
                ));
            }
        }
        (what @ ("hiring" | "cuts"), None) => {
            let on = as_bool(o)?;
            let policy = policy_of(c, o)?;
            for p in policy.groups.iter_mut().flatten() {
                // Off drops the move; on keeps the model's (it cannot
                // invent a cost the model does not state).
                if !on {
                    if what == "hiring" {
                        p.hire = None;
                    } else {
                        p.cut = None;
                    }
                }
            }
        }
        ("headcount_plan", None) => {
            let path = value_text(&o.value);
            let text = crate::input::read_input(Path::new(&path))
                .map_err(|e| format!("{o}: cannot be read: {e}"))?;
            let plan: crate::files::headcount::HeadcountFile = serde_json::from_str(&text)
                .map_err(|e| format!("{o}: not a headcount.json of `slaplan headcount`: {e}"))?;
            realize(inst, &plan).map_err(|e| format!("{o}: {e}"))?;
        }
        ("growth", None) => {
            let g = as_share(o)?;
            if g > crate::model::MAX_GROWTH_PER_WEEK {
                return Err(format!(
                    "{o}: at most {}% a week (ten times the volume in a quarter)",
                    crate::model::MAX_GROWTH_PER_WEEK * 100.0
                ));
            }
            inst.growth = g;
        }
        ("strike", Some("share")) if id.is_none() => {
            let share = as_share(o)?;
            if inst.strikes.is_empty() {
                return Err(format!(
                    "{o}: this week has no strike; use strike.GROUP=share to add one"
                ));
            }
            for s in &mut inst.strikes {
                s.share = share;
            }
        }
        ("strike", Some(g)) if id.is_none() => {
            let share = as_share(o)?;
            let which = select(o, &c.skill_groups, Some(g), |x| &x.id, "skill group")?;
            let group = which[0];
            inst.strikes.retain(|s| s.skill_group != group);
            let dates = inst.dates().to_vec();
            inst.strikes.push(Strike {
                skill_group: group,
                share,
                dates,
            });
        }
        ("absence", None) => {
            let share = as_share(o)?;
            let dates = inst.dates().to_vec();
            for g in 0..inst.centre.skill_groups.len() {
                inst.strikes.push(Strike {
                    skill_group: g,
                    share,
                    dates: dates.clone(),
                });
            }
        }
        ("opening", f) if id.is_none() => {
            let text = value_text(&o.value);
            let hours = crate::input::week_hours_text(&text).map_err(|e| format!("{o}: {e}"))?;
            let which = select(o, &c.queues, f, |q| &q.id, "queue")?;
            for q in which {
                c.queues[q].opening = hours.clone();
            }
        }
        _ => return Err(format!("{o}: unknown key '{}'; the keys are {KEYS}", o.key)),
    }
    Ok(())
}

/// The model's headcount policy, which `o` changes.
fn policy_of<'c>(
    c: &'c mut crate::model::Centre,
    o: &Override,
) -> Result<&'c mut crate::model::HeadcountPolicy, String> {
    c.headcount.as_mut().ok_or_else(|| {
        format!("{o}: the model has no headcount policy (headcount: in the model file)")
    })
}

/// `overrides` with the file `headcount_plan` names as its full path
/// (unchanged where it cannot be found: applying it then says so).
pub fn with_full_paths(overrides: &[Override]) -> Vec<Override> {
    overrides
        .iter()
        .map(|o| match (o.key.as_str(), &o.value) {
            ("headcount_plan", Value::String(p)) => std::fs::canonicalize(p).map_or_else(
                |_| o.clone(),
                |full| Override {
                    key: o.key.clone(),
                    value: Value::String(full.display().to_string()),
                },
            ),
            _ => o.clone(),
        })
        .collect()
}

/// The headcount `plan` decided, week by week, as agents on the payroll:
/// in each group, its agents of the horizon's start in file order, the
/// first `kept` of them on the payroll each week, and `GROUP-hireJ` agents
/// added for the hires (the contract they sign, the site of the group's
/// first agent), the first `joined` of them on each week — both rounded
/// up: an expected 30.2 agents (attrition is a rate) are 31 people until
/// the 31st leaves. An agent off the payroll in a week cannot work any of
/// it (an absence: paid nothing), so the agents stay the same list across
/// the horizon and what each week leaves the next is carried as for any
/// agent. Weeks past the decision's, to the longest horizon, keep its last
/// week's counts.
///
/// The decision's agency temps are `GROUP-tempJ` agents under a contract
/// of their own (`GROUP-temp`: the hires' contract, booked for the
/// agency's weekly hours): as many each week as carry
/// its temp hours at their productivity, each hour priced at the agency's
/// rate over that productivity, so that the plan buys the decision's
/// effective hours at the decision's price. The hires work their
/// training weeks under a contract of their own too (`GROUP-trainee`,
/// [`trainee_contract`]), the weeks after under the hires'. The policy's
/// overtime needs nothing here: every week's plan works it
/// ([`Instance::overtime_of`]).
fn realize(
    inst: &mut Instance,
    plan: &crate::files::headcount::HeadcountFile,
) -> Result<(), String> {
    if plan.first_week != inst.week_start {
        return Err(format!(
            "decided from the week of {}, and the instance's week is {}: decide from the same week",
            plan.first_week, inst.week_start
        ));
    }
    // Every week a horizon may plan, whatever `--weeks` asks.
    let weeks = plan.weeks.max(crate::model::MAX_HORIZON_WEEKS);
    let mut added = Vec::new();
    let mut off: Vec<(usize, usize)> = Vec::new();
    for g in 0..inst.centre.skill_groups.len() {
        let group = inst.centre.skill_groups[g].id.clone();
        let rows: Vec<&crate::files::headcount::GroupWeek> =
            plan.groups.iter().filter(|r| r.group == group).collect();
        if rows.is_empty() {
            continue;
        }
        let at = |k: usize| rows[k.min(rows.len() - 1)];
        let members: Vec<usize> = (0..inst.agents.len())
            .filter(|&a| inst.agents[a].skill_group == g)
            .collect();
        if rows[0].kept.ceil() as usize > members.len() {
            return Err(format!(
                "group {group} starts with {} agents in the decision and {} in the instance: decide from the same agents",
                rows[0].kept.ceil(),
                members.len()
            ));
        }
        for k in 0..weeks {
            let kept = at(k).kept.ceil() as usize;
            for &a in members.iter().skip(kept) {
                off.push((a, k));
            }
        }
        let site = members.first().and_then(|&a| inst.agents[a].site);
        let joined = |k: usize| at(k).joined.ceil() as usize;
        if (0..weeks).any(|k| joined(k) > 0) {
            let contract = inst.hire_contract(g).ok_or_else(|| {
                format!("group {group} hires, and no contract is known for its hires")
            })?;
            let training = inst
                .centre
                .group_policy(g)
                .and_then(|p| p.hire)
                .filter(|h| h.training_weeks > 0 && h.training_productivity < 1.0);
            let trainee = training
                .map(|h| trainee_contract(inst, &group, contract, site, h.training_productivity))
                .transpose()?;
            let new = Named {
                group: &group,
                g,
                kind: "hire",
                name: "Hire",
                contract: trainee.unwrap_or(contract),
                site,
            };
            let first = added.len();
            new.add(inst, &mut added, weeks, joined)?;
            if let Some(h) = training {
                // Hire `j` starts in the first week that has `j + 1`, and
                // works under the hires' own contract from
                // `training_weeks` later.
                for (j, a) in added[first..].iter_mut().enumerate() {
                    let start = (0..weeks).find(|&k| joined(k) > j).unwrap_or(weeks);
                    let trained = week_of(inst, start + h.training_weeks as usize).0.date();
                    a.contract_from.push((trained, contract));
                }
            }
        }
        let temps = inst.centre.group_policy(g).and_then(|p| p.temps);
        if let Some(t) = temps.filter(|t| t.weekly_min > 0) {
            let weekly_h = f64::from(t.weekly_min) / 60.0;
            let temps_in = |k: usize| {
                (at(k).temp_hours * t.productivity / weekly_h - 1e-6)
                    .ceil()
                    .max(0.0) as usize
            };
            if (0..weeks).any(|k| temps_in(k) > 0) {
                let contract = temp_contract(inst, g, &group, &t)?;
                let new = Named {
                    group: &group,
                    g,
                    kind: "temp",
                    name: "Temp",
                    contract,
                    site,
                };
                new.add(inst, &mut added, weeks, temps_in)?;
            }
        }
    }
    for (a, k) in off {
        let week = week_of(inst, k);
        inst.agents[a].unavailable.push(week);
    }
    inst.agents.extend(added);
    Ok(())
}

/// Week `k` of the horizon from `inst`'s, Monday to Monday.
fn week_of(inst: &Instance, k: usize) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    let monday = |k: usize| {
        (inst.week_start + chrono::Days::new(7 * k as u64))
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
    };
    (monday(k), monday(k + 1))
}

/// Agents a decision adds to a group: `GROUP-kindJ`, named "Name J of
/// GROUP", under `contract` at `site`.
struct Named<'a> {
    group: &'a str,
    g: usize,
    kind: &'a str,
    name: &'a str,
    contract: usize,
    site: Option<usize>,
}

impl Named<'_> {
    /// Adds as many as `count` ever asks to `added`, the `j`-th (from 0)
    /// off the payroll in the weeks `k` where `j >= count(k)`.
    fn add(
        &self,
        inst: &Instance,
        added: &mut Vec<Agent>,
        weeks: usize,
        count: impl Fn(usize) -> usize,
    ) -> Result<(), String> {
        let most = (0..weeks).map(&count).max().unwrap_or(0);
        for j in 0..most {
            let id = format!("{}-{}{}", self.group, self.kind, j + 1);
            if inst.agents.iter().chain(added.iter()).any(|a| a.id == id) {
                return Err(format!("the agent id {id} is taken: rename that agent"));
            }
            added.push(Agent {
                id,
                name: format!("{} {} of {}", self.name, j + 1, self.group),
                skill_group: self.g,
                contract: self.contract,
                site: self.site,
                unavailable: (0..weeks)
                    .filter(|&k| j >= count(k))
                    .map(|k| week_of(inst, k))
                    .collect(),
                contract_from: Vec::new(),
            });
        }
        Ok(())
    }
}

/// The contract of group `g`'s agency temps, added to the centre: the
/// hires' contract (or the group's), booked for the agency's weekly hours
/// (its minimum and maximum), and each hour at the agency's rate over
/// the temps' productivity; the shift templates open to that contract are
/// open to it.
fn temp_contract(
    inst: &mut Instance,
    g: usize,
    group: &str,
    t: &crate::model::Temps,
) -> Result<usize, String> {
    let from = inst
        .hire_contract(g)
        .ok_or_else(|| format!("group {group} takes temps, and no contract is known for them"))?;
    derived_contract(inst, from, format!("{group}-temp"), |c| {
        c.weekly_min_min = t.weekly_min;
        c.weekly_max_min = t.weekly_min;
        c.hourly_cost = t.hourly_cost / t.productivity.max(0.01);
    })
}

/// The contract group `group`'s decided hires work under in their
/// training weeks (`GROUP-trainee`): the hires' contract `from`, its
/// weekly hours at `productivity` of their own (the rest of the paid
/// week is training, off the phones) and each hour on the phones at the
/// hourly cost over `productivity`, so that a trainee's week costs what
/// a hire's does and meets the share of it the decision counts. Where no
/// whole number of the contract's shifts (at `site`) falls within those
/// hours, they widen to the nearest totals its shifts make.
fn trainee_contract(
    inst: &mut Instance,
    group: &str,
    from: usize,
    site: Option<usize>,
    productivity: f64,
) -> Result<usize, String> {
    let c = &inst.centre.contracts[from];
    let lengths: std::collections::BTreeSet<u32> = inst
        .centre
        .shift_templates
        .iter()
        .filter(|t| crate::plan::options::eligible(t, from, c, site))
        .map(|t| t.paid_min())
        .collect();
    // The weekly totals whole shifts make, one a day at most.
    let mut totals = std::collections::BTreeSet::from([0u32]);
    for _ in 0..c.max_days.min(7) {
        let more: Vec<u32> = totals
            .iter()
            .flat_map(|&s| lengths.iter().map(move |&l| s + l))
            .collect();
        totals.extend(more);
    }
    let at = |m: u32| (f64::from(m) * productivity).round() as u32;
    let (mut lo, mut hi) = (at(c.weekly_min_min), at(c.weekly_max_min));
    if totals.range(lo..=hi).next().is_none() {
        lo = totals.range(..=lo).next_back().copied().unwrap_or(lo);
        hi = totals.range(hi..).next().copied().unwrap_or(hi);
    }
    derived_contract(inst, from, format!("{group}-trainee"), |c| {
        c.weekly_min_min = lo;
        c.weekly_max_min = hi;
        c.hourly_cost /= productivity.max(0.01);
    })
}

/// A contract added to the centre: contract `from`'s, under `id`, as
/// `edit` changes it, without an hours bank nor overtime; the shift
/// templates open to `from` are open to it.
fn derived_contract(
    inst: &mut Instance,
    from: usize,
    id: String,
    edit: impl FnOnce(&mut crate::model::Contract),
) -> Result<usize, String> {
    if inst.centre.contracts.iter().any(|c| c.id == id) {
        return Err(format!(
            "the contract id {id} is taken: rename that contract"
        ));
    }
    let mut c = inst.centre.contracts[from].clone();
    c.id = id;
    edit(&mut c);
    c.hours_bank = None;
    c.overtime = false;
    let k = inst.centre.contracts.len();
    inst.centre.contracts.push(c);
    for template in &mut inst.centre.shift_templates {
        if template.contracts.contains(&from) {
            template.contracts.push(k);
        }
    }
    Ok(k)
}

/// Sets the in-house headcount of one skill group (or of the centre, in
/// proportion to the groups' sizes, largest remainders first): agents
/// beyond the count are left out in file order, and missing ones are new
/// hires copied from the group's agents (contract, site; no absences).
fn headcount(inst: &mut Instance, group: Option<&str>, n: u32, o: &Override) -> Result<(), String> {
    let c = &inst.centre;
    let sizes: Vec<usize> = (0..c.skill_groups.len())
        .map(|g| inst.agents.iter().filter(|a| a.skill_group == g).count())
        .collect();
    let targets: Vec<usize> = match group {
        Some(id) => {
            let g = select(o, &c.skill_groups, Some(id), |x| &x.id, "skill group")?[0];
            let mut t = sizes.clone();
            t[g] = n as usize;
            t
        }
        None => {
            let total: usize = sizes.iter().sum();
            if total == 0 {
                return Err(format!("{o}: the week has no agent to scale"));
            }
            let exact: Vec<f64> = sizes
                .iter()
                .map(|&s| s as f64 * f64::from(n) / total as f64)
                .collect();
            let mut t: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
            let mut order: Vec<usize> = (0..t.len()).collect();
            order.sort_by(|&a, &b| {
                (exact[b] - exact[b].floor())
                    .total_cmp(&(exact[a] - exact[a].floor()))
                    .then(a.cmp(&b))
            });
            let short = n as usize - t.iter().sum::<usize>();
            for &g in order.iter().take(short) {
                t[g] += 1;
            }
            t
        }
    };
    let mut keep = vec![true; inst.agents.len()];
    let mut added: Vec<Agent> = Vec::new();
    for (g, &want) in targets.iter().enumerate() {
        let members: Vec<usize> = (0..inst.agents.len())
            .filter(|&a| inst.agents[a].skill_group == g)
            .collect();
        for &a in members.iter().skip(want) {
            keep[a] = false;
        }
        if want > members.len() {
            if members.is_empty() {
                return Err(format!(
                    "{o}: skill group {} has no agent to copy a new hire from",
                    c.skill_groups[g].id
                ));
            }
            for k in 0..want - members.len() {
                let model = &inst.agents[members[k % members.len()]];
                added.push(Agent {
                    id: format!("{}-new{}", c.skill_groups[g].id, k + 1),
                    name: format!("New hire {} ({})", k + 1, c.skill_groups[g].name),
                    unavailable: Vec::new(),
                    contract_from: Vec::new(),
                    ..model.clone()
                });
            }
        }
    }
    // Requests and pins follow their agents to the new indices.
    let mut new_index = vec![None; inst.agents.len()];
    let mut next = 0;
    for (a, k) in keep.iter().enumerate() {
        if *k {
            new_index[a] = Some(next);
            next += 1;
        }
    }
    let mut a = 0;
    inst.agents.retain(|_| {
        a += 1;
        keep[a - 1]
    });
    inst.agents.extend(added);
    inst.requests.retain_mut(|r| match new_index[r.agent] {
        Some(i) => {
            r.agent = i;
            true
        }
        None => false,
    });
    inst.pins.retain_mut(|p| match new_index[p.agent] {
        Some(i) => {
            p.agent = i;
            true
        }
        None => false,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_read_key_and_yaml_value() {
        let o: Override = "outsourcer.price=3.5".parse().unwrap();
        assert_eq!(o.key, "outsourcer.price");
        assert!((as_f64(&o).unwrap() - 3.5).abs() < 1e-12);
        let o: Override = "sla.target=85%".parse().unwrap();
        assert!((as_share(&o).unwrap() - 0.85).abs() < 1e-12);
        let o: Override = "outsourcing=off".parse().unwrap();
        assert!(!as_bool(&o).unwrap());
        assert!("no-equals".parse::<Override>().is_err());
        let o: Override = "opening={mon-fri: 08:00-20:00, sun: closed}"
            .parse()
            .unwrap();
        assert_eq!(o.to_string(), "opening={mon-fri: 08:00-20:00, sun: closed}");
    }

    #[test]
    fn sweeps_include_both_ends() {
        let s: Sweep = "outsourcer.price=1.5..4.0:0.25".parse().unwrap();
        let p = s.points();
        assert_eq!(p.len(), 11);
        assert!((p[10] - 4.0).abs() < 1e-12);
        let s: Sweep = "sla.target=0.7..0.95:0.05".parse().unwrap();
        assert_eq!(s.points().len(), 6);
        assert!("x=4..1:1".parse::<Sweep>().is_err());
        assert!("x=1..4".parse::<Sweep>().is_err());
    }
}
