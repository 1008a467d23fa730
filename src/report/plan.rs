//! `report.html` of a plan, built from its output folder alone: plan.json,
//! coverage.csv and roster.csv (and the simulation in plan.json when
//! present). `slaplan plan` writes it last; `slaplan report <dir>` rebuilds
//! it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::files::plan::{PlanFile, Sla};
use crate::files::simulation::QueueSummary;
use chrono::{NaiveDate, NaiveDateTime};

use super::charts::{self, GanttRow, StaffingSeries};
use super::{figure, money, page, pct, table};
use crate::input::{Code, Problem};

use crate::plan::passes::DAYS;

fn problem(file: &Path, line: Option<usize>, field: &str, message: String, hint: &str) -> Bad {
    Box::new(Problem {
        code: if line.is_some() {
            Code::CsvBadValue
        } else {
            Code::FileUnreadable
        },
        file: file.to_path_buf(),
        line,
        column: None,
        field: field.to_string(),
        message,
        hint: hint.to_string(),
    })
}

/// A problem with the output folder (boxed: it is large).
pub type Bad = Box<Problem>;

const REPLAN: &str = "run `slaplan plan <instance> -o <dir>` again to write the folder";

/// One row of coverage.csv.
struct Cover {
    queue: String,
    /// The interval's local start, as coverage.csv writes it.
    start: String,
    contacts: f64,
    hour: f64,
    required: Option<f64>,
    /// Agents the target needs for the contacts kept in-house.
    required_in_house: Option<f64>,
    in_house: f64,
    outsourced: f64,
    /// Contacts sent to outsourcers.
    sent: f64,
    sl: f64,
}

/// One shift of roster.csv.
struct Shift {
    agent: String,
    group: String,
    paid_h: f64,
    from: f64,
    to: f64,
    breaks: Vec<(f64, f64)>,
}

fn hours_since(week: NaiveDate, t: NaiveDateTime) -> f64 {
    (t - week.and_hms_opt(0, 0, 0).unwrap_or_default()).num_minutes() as f64 / 60.0
}

fn coverage(path: &Path, week: NaiveDate) -> Result<Vec<Cover>, Bad> {
    let rows = crate::files::coverage::read(path).map_err(|mut p| Box::new(p.remove(0)))?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Cover {
                hour: hours_since(week, r.start()?),
                start: r.interval_start.replace('T', " "),
                contacts: r.forecast_contacts,
                queue: r.queue,
                required: r.required_agents,
                required_in_house: r.required_in_house_agents,
                in_house: r.staffed_in_house,
                outsourced: r.outsourced_agents,
                sent: r.outsourced_contacts,
                sl: r.projected_sl,
            })
        })
        .collect())
}

/// The roster's shifts in hours since Monday 00:00 on the centre's clock
/// (`zone`; each row's own local time for a plan.json without one).
fn roster(path: &Path, week: NaiveDate, zone: Option<chrono_tz::Tz>) -> Result<Vec<Shift>, Bad> {
    let rows = crate::files::roster::read_records(path).map_err(|mut p| Box::new(p.remove(0)))?;
    let mut list = Vec::new();
    for (line, r) in rows {
        let times = r
            .times()
            .map_err(|(field, message)| problem(path, Some(line), field, message, REPLAN))?;
        let h = |d: chrono::DateTime<chrono::FixedOffset>| {
            let local = zone.map_or(d.naive_local(), |z| d.with_timezone(&z).naive_local());
            hours_since(week, local)
        };
        list.push(Shift {
            paid_h: r.paid_hours.trim().parse().unwrap_or(0.0),
            from: h(times.start),
            to: h(times.end),
            agent: r.agent,
            group: r.group,
            breaks: times.breaks.iter().map(|&(a, z)| (h(a), h(z))).collect(),
        });
    }
    Ok(list)
}

fn opt(x: Option<f64>, show: impl Fn(f64) -> String) -> String {
    x.map_or("–".into(), show)
}

/// Builds the report of the output folder `dir`.
pub fn build(dir: &Path) -> Result<String, Bad> {
    let plan_path = dir.join("plan.json");
    let text = crate::input::read_input(&plan_path)
        .map_err(|e| problem(&plan_path, None, "", format!("cannot be read: {e}"), REPLAN))?;
    let j: PlanFile = serde_json::from_str(&text).map_err(|e| {
        Box::new(Problem {
            code: Code::WrongType,
            file: plan_path.clone(),
            line: Some(e.line()),
            column: Some(e.column()),
            field: String::new(),
            message: format!("is not the JSON `slaplan plan` writes: {e}"),
            hint: REPLAN.into(),
        })
    })?;
    let week = NaiveDate::parse_from_str(&j.week_start, "%Y-%m-%d").map_err(|_| {
        Box::new(Problem {
            code: Code::BadDate,
            file: plan_path.clone(),
            line: None,
            column: None,
            field: "week_start".into(),
            message: format!("'{}' is not a date", j.week_start),
            hint: REPLAN.into(),
        })
    })?;
    let cov_path = dir.join("coverage.csv");
    let cover = if cov_path.exists() {
        coverage(&cov_path, week)?
    } else {
        Vec::new()
    };
    let roster_path: PathBuf = dir.join("roster.csv");
    let shifts = if roster_path.exists() {
        roster(&roster_path, week, j.time_zone.parse().ok())?
    } else {
        Vec::new()
    };
    let sections = vec![
        ("answer", "Is the week covered?", answer(&j, &cover)),
        (
            "verified",
            "On the phones: the contracts replayed call by call",
            verified(&j),
        ),
        ("cost", "Cost", cost(&j)),
        ("sla", "SLA by day and week", sla(&j)),
        ("staffing", "Requirement and staffing", staffing(&j, &cover)),
        ("service", "Service level per interval", service(&j, &cover)),
        (
            "roster",
            "Roster",
            gantt(&shifts) + &visits(&j) + &on_call(&dir.join("on_call.csv"), &j)?,
        ),
        ("outcome", "Solver details", outcome(&j)),
    ];
    let title = format!("{} — week of {}", j.centre, j.week_start);
    let subtitle = format!(
        "Plan of {}{}. Figures from plan.json, coverage.csv and roster.csv beside this report.",
        j.instance,
        if j.overrides.is_empty() {
            String::new()
        } else {
            format!(" with {}", j.overrides.join(", "))
        },
    );
    Ok(page(&title, &subtitle, &sections))
}

/// The answer first: is the week covered (every contract kept by the
/// plan and holding when its roster is replayed), what it costs, each
/// contract against its target as projected and as simulated, and the
/// risks — periods under target on the phones, intervals projected far
/// below target, open intervals with contacts and nobody on the queue.
fn answer(j: &PlanFile, cover: &[Cover]) -> String {
    let cur = |x: f64| format!("{} {}", money(x), j.currency);
    let kept_round = j.verification.as_ref().and_then(|v| v.kept());
    let contracts: Vec<&Sla> = j.sla.iter().filter(|s| s.contractual).collect();
    let planned = j.cost.is_some() && contracts.iter().all(|s| s.kept);
    let failing: Vec<&str> = kept_round
        .iter()
        .flat_map(|r| &r.verdicts)
        .filter(|c| !c.holds && !c.priced)
        .map(|c| c.queue.as_str())
        .collect();
    let (class, words) = match (&j.cost, kept_round) {
        (None, _) => (
            "bad",
            format!("No: no plan ({}).", j.status.as_str()),
        ),
        _ if !planned => ("bad", "No: the plan does not keep every contract.".to_string()),
        (Some(_), Some(_)) if failing.is_empty() => (
            "ok",
            "Yes: every contract holds when the roster is replayed call by call.".to_string(),
        ),
        (Some(_), Some(_)) => (
            "bad",
            format!(
                "No: on the phones {} fall short of the contract; do not publish this roster as it stands.",
                failing.join(", ")
            ),
        ),
        (Some(_), None) => (
            "warn",
            format!(
                "Projected only: every contract is kept by the queueing tables, but the roster was not replayed ({}).",
                j.unverified.as_deref().unwrap_or("no verification")
            ),
        ),
    };
    let mut h = format!("<p class=\"verdict {class}\">{}</p>\n", super::esc(&words));
    let Some(c) = &j.cost else {
        // No plan: what stands in the way, in the planner's words.
        h.push_str("<h3>What stands in the way</h3>\n");
        let mut why: Vec<String> = j.explanation.iter().map(|x| x.message.clone()).collect();
        if why.is_empty() {
            why.push(j.stopped.clone());
        }
        h.push_str(&super::capped_list(&why, "plan.json, explanation"));
        return h;
    };
    h.push_str(&format!(
        "<p>The week costs <b>{}</b>: in-house {}, outsourced {}, penalties {}.</p>\n",
        super::esc(&cur(c.total)),
        super::esc(&cur(c.in_house)),
        super::esc(&cur(c.outsourced)),
        super::esc(&cur(c.penalties)),
    ));
    let rows: Vec<Vec<String>> = contracts
        .iter()
        .map(|s| {
            let v = kept_round.and_then(|r| r.verdict(&s.queue, &s.scope));
            let bad = |x: String, short: bool| if short { format!("!{x}") } else { x };
            vec![
                s.queue.clone(),
                format!("{} per {}", pct(s.target), s.scope),
                bad(pct(s.achieved), !s.kept),
                v.map_or("not replayed".into(), |v| {
                    bad(
                        format!(
                            "{} [{}, {}]",
                            crate::files::verification::sl_text(v.worst_sl, v.target),
                            pct(v.worst_low.max(0.0)),
                            pct(v.worst_high.min(1.0))
                        ),
                        !v.holds && !v.priced,
                    )
                }),
                match v {
                    Some(v) if v.holds => "holds".into(),
                    Some(v) if v.priced => "missed (priced)".into(),
                    Some(_) => "!FAILS".into(),
                    None if s.kept => "kept (projected)".into(),
                    None => "!not kept".into(),
                },
            ]
        })
        .collect();
    h.push_str(&table(
        &[
            "queue",
            "contract",
            "projected, worst period",
            "simulated, worst period [95%]",
            "verdict",
        ],
        &rows,
    ));
    h.push_str("<h3>Risks</h3>\n");
    let mut risks = Vec::new();
    for c in kept_round.iter().flat_map(|r| &r.verdicts) {
        if c.periods_met < c.periods {
            risks.push(format!(
                "{}: {} of {} {} periods under {} on the phones (worst {}: {})",
                c.queue,
                c.periods - c.periods_met,
                c.periods,
                c.scope,
                pct(c.target),
                c.worst,
                crate::files::verification::sl_text(c.worst_sl, c.target)
            ));
        }
    }
    for q in &j.service_levels {
        // Voice queues (those with a requirement per interval): deferred
        // work may wait for a later interval by design.
        let rows: Vec<&Cover> = cover
            .iter()
            .filter(|c| c.queue == q.queue && c.contacts > 1e-9 && c.required.is_some())
            .collect();
        let far: Vec<&&Cover> = rows.iter().filter(|c| c.sl + 0.2 < q.target).collect();
        if let Some(w) = far.iter().min_by(|a, b| a.sl.total_cmp(&b.sl)) {
            risks.push(format!(
                "{}: {} intervals projected more than 20 points under {} (worst {}: {}, {:.1} contacts)",
                q.queue,
                far.len(),
                pct(q.target),
                w.start,
                pct(w.sl),
                w.contacts
            ));
        }
        let nobody: Vec<&&Cover> = rows
            .iter()
            .filter(|c| c.contacts >= 0.5 && c.in_house < 1e-9 && c.outsourced < 1e-9)
            .collect();
        if let Some(first) = nobody.first() {
            risks.push(format!(
                "{}: {} intervals with contacts and nobody on the queue, in-house or outsourced (first {}: {:.1} contacts)",
                q.queue,
                nobody.len(),
                first.start,
                first.contacts
            ));
        }
    }
    if risks.is_empty() {
        risks.push("none found: every period at target on the phones, no interval projected more than 20 points under target, none with contacts and nobody on the queue".into());
    }
    h.push_str(&super::capped_list(&risks, "the sections below"));
    h
}

fn outcome(j: &PlanFile) -> String {
    let mut rows = vec![
        vec!["status".into(), j.status.as_str().to_string()],
        vec!["search stopped".into(), j.stopped.clone()],
        vec!["cost".into(), opt(j.cost.as_ref().map(|c| c.total), money)],
        vec!["lower bound".into(), opt(j.lower_bound, money)],
        vec!["gap".into(), opt(j.gap, pct)],
        vec!["solve time".into(), format!("{:.1} s", j.solve_seconds)],
        vec![
            "model".into(),
            format!(
                "{} columns ({} integer), {} rows",
                j.model.columns, j.model.integer_columns, j.model.rows
            ),
        ],
    ];
    if let Some(r) = &j.roster {
        rows.push(vec![
            "roster".into(),
            format!(
                "{}: {} shifts for {} agents in {:.1} s",
                r.status.as_str(),
                r.shifts,
                r.agents_working,
                r.solve_seconds
            ),
        ]);
        rows.push(vec![
            "roster cost, gap to the plan's bound".into(),
            format!(
                "{}, {}",
                opt(r.cost_total, money),
                opt(r.gap_to_lower_bound, pct)
            ),
        ]);
        for x in &r.unfilled {
            rows.push(vec!["!unfilled".into(), format!("!{x}")]);
        }
    }
    for x in &j.explanation {
        rows.push(vec!["!shortfall".into(), format!("!{}", x.message)]);
    }
    table(&["", ""], &rows)
}

/// The verification's verdicts against each contract's target (the kept
/// round), the rounds it took; or why the plan was not verified.
fn verified(j: &PlanFile) -> String {
    let Some(v) = j.verification.as_ref().filter(|v| !v.rounds.is_empty()) else {
        let why = j
            .unverified
            .as_deref()
            .unwrap_or("no verification in plan.json");
        return format!(
            "<p>Not verified by simulation: {}. The service levels below are the queueing tables' projection only.</p>\n",
            super::esc(why)
        );
    };
    let mut h = format!(
        "<p>{} — {} replications (seed {}), each contract judged against its target by the acceptance rule (docs/model.md, \"Verified by simulation\").</p>\n",
        if v.holds {
            "Every contract holds when the roster is replayed call by call"
        } else {
            "A contract fails when the roster is replayed call by call: this plan does not deliver what it promises"
        },
        v.replications,
        v.seed
    );
    let rounds: Vec<Vec<String>> = v
        .rounds
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let held = r.verdicts.iter().filter(|c| c.priced || c.holds).count();
            vec![
                format!(
                    "{k}, {}{}",
                    v.kind(k),
                    if v.chosen == Some(k) { " (kept)" } else { "" }
                ),
                money(r.cost),
                format!("{held} of {}", r.verdicts.len()),
                format!("{:.1} s", r.seconds),
            ]
        })
        .collect();
    h.push_str(&table(
        &["round", "plan cost", "contracts holding", "time"],
        &rounds,
    ));
    let Some(kept) = v.kept() else {
        return h;
    };
    let rows: Vec<Vec<String>> = kept
        .verdicts
        .iter()
        .map(|c| {
            let bad = !c.holds && !c.priced;
            let red = |x: String| if bad { format!("!{x}") } else { x };
            vec![
                c.queue.clone(),
                c.scope.clone(),
                pct(c.target),
                c.worst.clone(),
                red(format!(
                    "{} [{}, {}]",
                    pct(c.worst_sl),
                    pct(c.worst_low),
                    pct(c.worst_high)
                )),
                format!("{} of {}", c.periods_met, c.periods),
                opt(c.ceiling, pct),
                c.short.as_ref().map_or("–".into(), |x| {
                    format!("{:.1} agents at {}", x.agents, x.at)
                }),
                red(if c.holds {
                    "holds"
                } else if c.priced {
                    "missed (priced)"
                } else {
                    "FAILS"
                }
                .into()),
            ]
        })
        .collect();
    h.push_str(&table(
        &[
            "queue",
            "scope",
            "target",
            "worst period",
            "simulated [95%]",
            "periods at target",
            "best reachable",
            "furthest short",
            "verdict",
        ],
        &rows,
    ));
    h
}

fn cost(j: &PlanFile) -> String {
    let Some(c) = &j.cost else {
        return "<p>No plan, so no cost.</p>\n".into();
    };
    let cur = &j.currency;
    let lines = [
        ("wages", c.wages),
        ("premiums", c.premiums),
        ("overtime", c.overtime),
        ("outsourcing", c.outsourced),
        ("penalties", c.penalties),
    ];
    // Overtime only where a group's policy allows it and the plan used it.
    let mut rows: Vec<Vec<String>> = lines
        .iter()
        .filter(|(n, v)| *n != "overtime" || *v > 0.0)
        .map(|(n, v)| vec![(*n).to_string(), money(*v)])
        .collect();
    rows.push(vec!["total".into(), money(c.total)]);
    if let Some(r) = &j.roster {
        rows.push(vec![
            "total with the roster's wages".into(),
            opt(r.cost_total, money),
        ]);
    }
    if let Some(o) = &j.on_call {
        rows.push(vec![
            "on call, expected (beside the total)".into(),
            money(o.cost),
        ]);
    }
    let layers = ["wages", "premiums", "overtime", "outsourcing", "penalties"];
    let mut h = String::new();
    // Where the week's money goes: each planning group's shifts, then the
    // outsourcers and the penalties where there are any.
    let mut labels: Vec<String> = c.by_group.iter().map(|g| g.of.clone()).collect();
    let mut stacks: Vec<Vec<f64>> = c
        .by_group
        .iter()
        .map(|g| vec![g.wages, g.premiums, g.overtime, 0.0, 0.0])
        .collect();
    for (k, (name, v)) in lines.iter().enumerate().skip(3) {
        if *v > 0.0 {
            labels.push((*name).to_string());
            let mut stack = vec![0.0; layers.len()];
            stack[k] = *v;
            stacks.push(stack);
        }
    }
    let totals = |stacks: &[Vec<f64>]| -> Vec<Option<f64>> {
        stacks.iter().map(|s| Some(s.iter().sum())).collect()
    };
    if !labels.is_empty() {
        h.push_str(&figure(
            "cost",
            "cost by planning group",
            charts::stacked_bars(
                &format!("Where the week's cost goes ({cur})"),
                &labels,
                &stacks,
                &layers,
                None,
                false,
                Some(&totals(&stacks)),
            ),
        ));
    }
    if !c.by_day.is_empty() {
        let labels: Vec<String> = c.by_day.iter().map(|d| d.of.clone()).collect();
        let stacks: Vec<Vec<f64>> = c.by_day.iter().map(|d| vec![d.wages, d.premiums]).collect();
        h.push_str(&figure(
            "cost",
            "in-house cost by day",
            charts::stacked_bars(
                &format!("In-house cost by day the shift starts ({cur})"),
                &labels,
                &stacks,
                &layers[..2],
                None,
                false,
                Some(&totals(&stacks)),
            ),
        ));
    }
    let head = format!("cost ({cur})");
    h.push_str(&table(&["line", &head], &rows));
    h
}

fn sla(j: &PlanFile) -> String {
    let mut h = String::new();
    let sim: BTreeMap<&str, &QueueSummary> = j
        .simulation
        .iter()
        .flat_map(|s| &s.queues)
        .map(|q| (q.queue.as_str(), q))
        .collect();
    let contract: BTreeMap<&str, &Sla> = j
        .sla
        .iter()
        .filter(|x| x.contractual)
        .map(|x| (x.queue.as_str(), x))
        .collect();
    let mut rows = Vec::new();
    let mut figs = String::new();
    for q in &j.service_levels {
        let id = q.queue.as_str();
        let target = q.target;
        let days: Vec<Option<f64>> = q.days.to_vec();
        let week = q.week;
        let c = contract.get(id);
        let worst = c.map(|c| c.achieved);
        let kept = c.is_some_and(|c| c.kept);
        let mark = |v: Option<f64>| match v {
            Some(x) if x + 1e-9 < target => format!("!{}", pct(x)),
            Some(x) => pct(x),
            None => "–".into(),
        };
        let mut row = vec![id.to_string(), q.scope.clone(), pct(target)];
        row.extend(days.iter().map(|&d| mark(d)));
        row.push(mark(week));
        row.push(if kept {
            opt(worst, pct)
        } else {
            format!("!{}", opt(worst, pct))
        });
        // The whole week replayed (`--simulate`); the verification's
        // verdicts per contract are in the section above.
        if j.simulation.is_some() {
            row.push(sim.get(id).and_then(|x| x.week.sl).map_or("–".into(), |e| {
                format!("{} [{}, {}]", pct(e.mean), pct(e.low), pct(e.high))
            }));
        }
        rows.push(row);
        let mut labels: Vec<String> = DAYS.iter().map(|d| (*d).to_string()).collect();
        labels.push("week".into());
        let mut values = days.clone();
        values.push(week);
        figs.push_str(&figure(
            "sla",
            id,
            charts::bars(
                &format!("{id}: SL achieved by day and week"),
                &labels,
                &values,
                Some(target),
                true,
            ),
        ));
    }
    let mut header = vec!["queue", "contract scope", "target"];
    header.extend(DAYS);
    header.extend(["week", "contract (worst period)"]);
    if j.simulation.is_some() {
        header.push("simulated week [95%]");
    }
    h.push_str(&table(&header, &rows));
    h.push_str("<p class=\"note\">Exact evaluation of the plan (contact-weighted over each day and the week); the contract column is its own scope's worst period; red: below target.</p>\n");
    h.push_str(&figs);
    h
}

/// The weekday (Monday 0) of `hour` hours after Monday 00:00, within the
/// week.
fn day_of(hour: f64) -> usize {
    ((hour / 24.0).floor().max(0.0) as usize).min(6)
}

/// Interval length in hours, from the first two rows of a queue.
fn step_h(rows: &[&Cover]) -> f64 {
    rows.windows(2)
        .map(|w| w[1].hour - w[0].hour)
        .filter(|d| *d > 1e-9)
        .fold(f64::INFINITY, f64::min)
        .min(1.0)
}

fn by_queue<'a>(j: &PlanFile, cover: &'a [Cover]) -> Vec<(String, f64, Vec<&'a Cover>)> {
    j.service_levels
        .iter()
        .map(|q| {
            let rows: Vec<&Cover> = cover.iter().filter(|c| c.queue == q.queue).collect();
            (q.queue.clone(), q.target, rows)
        })
        .collect()
}

/// Over and under per queue, day and time of day: the in-house agents
/// less those the interval's target needs for the contacts kept in-house
/// (the outsourcer answers the rest), as a table of coloured cells — red
/// short, blue over, blank where the queue is closed or has no
/// requirement (deferred work is planned over the day, not per interval).
/// The figure in each cell is the difference in whole agents.
fn heat_map(id: &str, rows: &[&Cover]) -> String {
    // (day, time) → the worst difference there (the repeated hour of a
    // clock change has two intervals with one name).
    let mut cells: BTreeMap<(usize, &str), (f64, &Cover)> = BTreeMap::new();
    for c in rows {
        let (Some(req), Some(t)) = (c.required_in_house, c.start.get(11..16)) else {
            continue;
        };
        let diff = c.in_house - req;
        let e = cells.entry((day_of(c.hour), t)).or_insert((diff, c));
        if diff < e.0 {
            *e = (diff, c);
        }
    }
    let mut times: Vec<&str> = cells.keys().map(|(_, t)| *t).collect();
    times.sort_unstable();
    times.dedup();
    if times.is_empty() {
        return String::new();
    }
    let scale = cells.values().map(|(d, _)| d.abs()).fold(1.0_f64, f64::max);
    let mut h = format!(
        "<table class=\"heat\" data-queue=\"{}\">\n<caption>{}: in-house agents less required, per interval</caption>\n<thead><tr><th></th>",
        super::esc(id),
        super::esc(id)
    );
    for t in &times {
        // Hours labelled, half hours and quarters by their place.
        let label = if t.ends_with(":00") { &t[..2] } else { "" };
        h.push_str(&format!("<th title=\"{t}\">{label}</th>"));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (day, name) in DAYS.iter().enumerate() {
        if !cells.keys().any(|(d, _)| *d == day) {
            continue;
        }
        h.push_str(&format!("<tr><th>{name}</th>"));
        for t in &times {
            match cells.get(&(day, *t)) {
                Some((diff, c)) => {
                    let share = (diff.abs() / scale).min(1.0);
                    // White to red (short) or to blue (over).
                    let (r, g, b) = if *diff < 0.0 {
                        (215, 48, 39)
                    } else {
                        (69, 117, 180)
                    };
                    let mix = |full: u8| (255.0 - (255.0 - f64::from(full)) * share).round() as u8;
                    let ink = if share > 0.55 { "#fff" } else { "#222" };
                    let shown = diff.round();
                    let text = if shown.abs() >= 1.0 {
                        format!("{shown:+.0}")
                    } else {
                        String::new()
                    };
                    h.push_str(&format!(
                        "<td style=\"background:rgb({},{},{});color:{ink}\" title=\"{} {t}: in-house {:.1} agents, {:.1} required for the {:.1} contacts kept in-house ({:.1} sent out)\">{text}</td>",
                        mix(r),
                        mix(g),
                        mix(b),
                        name,
                        c.in_house,
                        c.required_in_house.unwrap_or(0.0),
                        c.contacts - c.sent,
                        c.sent
                    ));
                }
                None => h.push_str("<td class=\"closed\"></td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h
}

fn staffing(j: &PlanFile, cover: &[Cover]) -> String {
    let mut h = String::new();
    let mut maps = String::new();
    for (id, _, rows) in by_queue(j, cover) {
        if rows.is_empty() {
            continue;
        }
        maps.push_str(&heat_map(&id, &rows));
        let step = step_h(&rows);
        let series = StaffingSeries {
            title: &format!("{id}: required agents, in-house agents and outsourced seats"),
            step_h: if step.is_finite() { step } else { 0.5 },
            required: rows
                .iter()
                .map(|c| (c.hour, c.required.unwrap_or(0.0)))
                .collect(),
            in_house: rows.iter().map(|c| (c.hour, c.in_house)).collect(),
            outsourced: rows.iter().map(|c| (c.hour, c.outsourced)).collect(),
        };
        h.push_str(&figure("staffing", &id, charts::staffing(&series)));
    }
    if h.is_empty() {
        h.push_str("<p>No coverage: the plan has no solution.</p>\n");
    } else {
        h.push_str("<p class=\"note\">Required: agents for the queue's SLA target at the forecast (after shrinkage). In-house: agents the plan puts on the queue. Outsourced: the outsourcer's seats busy with the contacts sent, at its handle time.</p>\n");
    }
    if !maps.is_empty() {
        maps.insert_str(0, "<p>Over and under, per queue, day and time of day: the in-house agents on the queue less those the interval's SLA target needs for the contacts kept in-house (the outsourcer answers those sent out). <span class=\"under\">Red: short</span>, <span class=\"over\">blue: over</span>, blank: closed; the figure is whole agents, the cell's tooltip the numbers. Short intervals can be by design: where the contract counts a day or the week, where the outsourcer's faster answer lifts the interval's service level, or where agents of other queues' groups answer the queue when idle (pooling, credited by the verification).</p>\n");
        h.insert_str(0, &maps);
    }
    h
}

fn service(j: &PlanFile, cover: &[Cover]) -> String {
    let mut h = String::new();
    for (id, target, rows) in by_queue(j, cover) {
        if rows.is_empty() {
            continue;
        }
        let step = step_h(&rows);
        let pts: Vec<(f64, f64)> = rows.iter().map(|c| (c.hour, c.sl)).collect();
        h.push_str(&figure(
            "service",
            &id,
            charts::service(
                &format!("{id}: projected SL per interval"),
                if step.is_finite() { step } else { 0.5 },
                &pts,
                target,
            ),
        ));
    }
    if h.is_empty() {
        h.push_str("<p>No coverage: the plan has no solution.</p>\n");
    }
    h
}

fn gantt(shifts: &[Shift]) -> String {
    if shifts.is_empty() {
        return "<p>No roster in this folder.</p>\n".into();
    }
    let mut groups: Vec<&str> = shifts.iter().map(|s| s.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut agents: BTreeMap<(usize, &str), GanttRow> = BTreeMap::new();
    for sh in shifts {
        let g = groups.iter().position(|x| *x == sh.group).unwrap_or(0);
        let row = agents
            .entry((g, sh.agent.as_str()))
            .or_insert_with(|| GanttRow {
                label: sh.agent.clone(),
                colour: g,
                shifts: Vec::new(),
                breaks: Vec::new(),
            });
        row.shifts.push((sh.from, sh.to));
        row.breaks.extend(sh.breaks.iter().copied());
    }
    let rows: Vec<GanttRow> = agents.into_values().collect();
    let legend: Vec<Vec<String>> = groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let n = shifts.iter().filter(|s| s.group == *name).count();
            let agents = rows.iter().filter(|r| r.colour == g).count();
            vec![(*name).to_string(), agents.to_string(), n.to_string()]
        })
        .collect();
    let mut h = format!(
        "<p>{} agents, {} shifts; one chart per planning group (its colour), every agent labelled; breaks in grey; days and hours above and below.</p>\n",
        rows.len(),
        shifts.len()
    );
    h.push_str(&table(&["group", "agents", "shifts"], &legend));
    h.push_str(&roster_table(shifts));
    for (g, name) in groups.iter().enumerate() {
        let mine: Vec<&GanttRow> = rows.iter().filter(|r| r.colour == g).collect();
        h.push_str(&figure(
            "roster",
            name,
            charts::gantt(&format!("{name}: {} agents", mine.len()), &mine),
        ));
    }
    h
}

/// The week per agent, a column per day (local start–end of each shift),
/// sortable by any column (a click on its head).
fn roster_table(shifts: &[Shift]) -> String {
    let clock = |h: f64| {
        let m = (h.rem_euclid(24.0) * 60.0).round() as u32 % (24 * 60);
        format!("{:02}:{:02}", m / 60, m % 60)
    };
    /// One agent's shifts, paid hours and each day's start–end.
    #[derive(Default)]
    struct Week {
        shifts: usize,
        paid_h: f64,
        days: [Vec<String>; 7],
    }
    let mut agents: BTreeMap<(&str, &str), Week> = BTreeMap::new();
    for s in shifts {
        let e = agents
            .entry((s.group.as_str(), s.agent.as_str()))
            .or_default();
        e.shifts += 1;
        e.paid_h += s.paid_h;
        e.days[day_of(s.from)].push(format!("{}–{}", clock(s.from), clock(s.to)));
    }
    let mut header = vec!["agent", "group", "shifts", "paid hours"];
    header.extend(DAYS);
    let rows: Vec<Vec<String>> = agents
        .into_iter()
        .map(|((group, agent), w)| {
            let mut row = vec![
                agent.to_string(),
                group.to_string(),
                w.shifts.to_string(),
                format!("{:.2}", w.paid_h),
            ];
            row.extend(w.days.iter().map(|d| d.join(", ")));
            row
        })
        .collect();
    format!(
        "<p>Every agent's week on the centre's clock (each agent's own hours are in roster.csv; click a column's head to sort by it):</p>\n{}",
        super::table_with(&header, &rows, "sortable")
    )
}

/// Writes `report.html` into `dir` (through a temporary file).
pub fn write(dir: &Path) -> Result<PathBuf, Bad> {
    let html = build(dir)?;
    let path = dir.join("report.html");
    crate::files::write_atomic(&path, html.as_bytes()).map_err(|e| {
        problem(
            &path,
            None,
            "",
            format!("cannot be written: {e}"),
            "check the folder can be written",
        )
    })?;
    Ok(path)
}

/// The field visits as named blocks, where the model has field queues:
/// per queue its blocks against the plan's hours (each block in
/// `visits.csv` and the engineers' calendars).
fn visits(j: &PlanFile) -> String {
    if j.visits.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = j
        .visits
        .iter()
        .map(|v| {
            vec![
                v.queue.clone(),
                v.blocks.to_string(),
                v.engineers.to_string(),
                format!("{:.1}", v.hours),
                format!("{:.1}", v.planned_hours),
            ]
        })
        .collect();
    String::from("<h3>Field visits</h3>\n")
        + &table(
            &[
                "queue",
                "blocks (visits.csv)",
                "engineers",
                "hours out (leave to back)",
                "plan's hours on the queue",
            ],
            &rows,
        )
}

/// The on-call rota, where the model has one: per rota its duties and
/// expected cost, then every duty from `on_call.csv` on the agent's
/// clock, and any period nobody could take.
fn on_call(path: &Path, j: &PlanFile) -> Result<String, Bad> {
    let Some(o) = &j.on_call else {
        return Ok(String::new());
    };
    let mut h = String::from("<h3>On call</h3>\n");
    let money = |x: f64| format!("{x:.2} {}", j.currency);
    let rows: Vec<Vec<String>> = o
        .rotas
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.skill_group.clone(),
                format!("{} of {}", r.duties, r.periods),
                format!("{:.1}", r.hours_on_call),
                money(r.allowances),
                format!("{:.2}", r.expected_call_outs),
                format!("{:.1}", r.paid_rest_hours),
                money(r.expected_cost),
            ]
        })
        .collect();
    h.push_str(&table(
        &[
            "rota",
            "skill group",
            "periods filled",
            "hours on call",
            "allowances",
            "call-outs expected",
            "paid rest (h)",
            "expected cost",
        ],
        &rows,
    ));
    for s in &o.short {
        h.push_str(&format!(
            "<p class=\"verdict bad\">{} {} to {}: {} short ({})</p>\n",
            super::esc(&s.rota),
            super::esc(&s.start),
            super::esc(&s.end),
            s.missing,
            super::esc(&s.why)
        ));
    }
    if path.exists() {
        let duties: Vec<(usize, crate::files::on_call::DutyRecord)> =
            crate::files::read_rows(path, crate::files::on_call::ON_CALL_HEADER, "on_call")
                .map_err(|p| Box::new(p[0].clone()))?;
        let rows: Vec<Vec<String>> = duties
            .into_iter()
            .map(|(_, d)| {
                vec![
                    d.rota,
                    d.agent,
                    d.name,
                    format!("{} ({})", d.start, d.utc_offset),
                    format!("{} ({})", d.end, d.end_utc_offset),
                    d.hours,
                    d.expected_call_outs,
                    d.paid_rest_hours,
                    d.expected_cost,
                ]
            })
            .collect();
        h.push_str(&table(
            &[
                "rota",
                "agent",
                "name",
                "from (agent's clock)",
                "to",
                "hours",
                "call-outs expected",
                "paid rest (h)",
                "expected cost",
            ],
            &rows,
        ));
    }
    Ok(h)
}

/// Names for tests: the sections every report has, in order.
pub const SECTIONS: [&str; 8] = [
    "answer", "verified", "cost", "sla", "staffing", "service", "roster", "outcome",
];
