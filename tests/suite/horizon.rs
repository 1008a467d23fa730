//! Several weeks planned as a rolling sequence (`slaplan plan --weeks N`,
//! issue 27): each week's roster keeps the rest and the days in a row the
//! week before left its agents, the e-mail it left undone arrives with the
//! next week's first, `slaplan check` on the horizon's folder counts them
//! across the boundaries — a rest broken over a Sunday night is caught —
//! and `horizon.json` adds the weeks up.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{repo, slaplan};

const WEEK: &str = "tests/fixtures/horizon/week.yaml";

/// The fixture's three weeks, planned once (not verified: the replays are
/// the verification's tests; to a 2% gap, which the weeks prove in
/// seconds) into a folder kept for the process.
fn planned() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp folder");
        plan_weeks(&dir.path().join("out"), &[]);
        dir
    })
    .path()
}

/// The fixture's three weeks planned into `out` (as [`planned`] says),
/// with `extra` options, all acceptable.
fn plan_weeks(out: &Path, extra: &[&str]) {
    let run = run_weeks(&repo(WEEK), out, extra);
    assert_eq!(
        run.status.code(),
        Some(0),
        "the horizon plans: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `slaplan plan WEEK -o OUT --weeks 3` as [`planned`] runs it, with
/// `extra` options.
pub(crate) fn run_weeks(week: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "plan",
        week.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--weeks",
        "3",
        "--no-verify",
        "--gap",
        "0.02",
        "-q",
    ];
    args.extend(extra);
    slaplan(&args)
}

fn out() -> std::path::PathBuf {
    planned().join("out")
}

fn horizon() -> Value {
    serde_json::from_str(&fs::read_to_string(out().join("horizon.json")).unwrap()).unwrap()
}

/// `slaplan check` on a horizon folder: exit code and stdout.
fn check(dir: &Path) -> (Option<i32>, String) {
    check_with(&repo(WEEK), dir)
}

/// `slaplan check WEEK DIR`: exit code and stdout.
fn check_with(week: &Path, dir: &Path) -> (Option<i32>, String) {
    let run = slaplan(&["check", week.to_str().unwrap(), dir.to_str().unwrap()]);
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stdout).into_owned(),
    )
}

/// `slaplan ARGS`, which exits 0, its stdout read as JSON.
fn json_of(args: &[&str]) -> Value {
    let run = slaplan(args);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn the_weeks_follow_each_other_and_add_up() {
    let h = horizon();
    let weeks = h["weeks"].as_array().unwrap();
    let starts: Vec<&str> = weeks
        .iter()
        .map(|w| w["week_start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["2024-03-11", "2024-03-18", "2024-03-25"]);
    for w in weeks {
        let folder = out().join(w["folder"].as_str().unwrap());
        assert!(
            folder.join("roster.csv").is_file(),
            "{folder:?} has its roster"
        );
        let plan: Value =
            serde_json::from_str(&fs::read_to_string(folder.join("plan.json")).unwrap()).unwrap();
        assert_eq!(plan["week_start"], w["week_start"]);
        assert_eq!(plan["cost"]["total"], w["cost"]);
        assert_eq!(w["acceptable"], true);
    }
    let sum: f64 = weeks.iter().map(|w| w["cost"].as_f64().unwrap()).sum();
    let total = h["total"]["cost"].as_f64().unwrap();
    assert!((sum - total).abs() < 0.01, "{sum} vs {total}");
    let bound = h["total"]["lower_bound"].as_f64().unwrap();
    assert!(bound <= total + 1e-6);
    // The week before reaches into the next: Sunday's late shifts leave
    // rest owed on Monday morning, Sunday's workers a run of days.
    for w in &weeks[1..] {
        assert!(w["carried_rest"].as_u64().unwrap() > 0, "{w}");
        assert!(w["carried_runs"].as_u64().unwrap() > 0, "{w}");
    }
    assert_eq!(weeks[0]["carried_rest"], 0);
    // Every week falls in March by its Thursday.
    assert_eq!(h["months"][0]["month"], "2024-03");
    assert_eq!(h["months"][0]["weeks"], 3);
    let csv = fs::read_to_string(out().join("horizon.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
}

#[test]
fn the_horizon_checks_clean_across_its_boundaries() {
    let (code, text) = check(&out());
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("0 violation(s) over 3 week(s)"), "{text}");
}

/// The fixture's week starting `start` alone, written into `dir`.
fn week_alone(dir: &Path, start: &str) -> std::path::PathBuf {
    let fixture = repo("tests/fixtures/horizon");
    let path = dir.join(format!("week-{start}.yaml"));
    fs::write(
        &path,
        format!(
            "model: {m}\nweek_start: {start}\ndemand:\n  history: {h}\nagents: {a}\n",
            m = fixture.join("model.yaml").display(),
            h = fixture.join("history.csv").display(),
            a = fixture.join("agents.csv").display()
        ),
    )
    .unwrap();
    path
}

/// The e-mail a week leaves undone (its contract lets a fifth be late, and
/// what is due after Sunday is not the week's) is handed on: it arrives
/// with the next week's first e-mail, in the plan's demand, and the
/// checker, counting the week again from its files, leaves the same undone.
#[test]
fn deferred_work_left_undone_is_carried_into_the_next_week() {
    let h = horizon();
    let weeks = h["weeks"].as_array().unwrap();
    assert_eq!(weeks[0]["backlog_in"].as_array().unwrap().len(), 0);
    let contacts = |v: &Value| -> f64 {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|b| b["queue"] == "mail")
            .map(|b| b["contacts"].as_f64().unwrap())
            .sum()
    };
    for k in 0..2 {
        let out = contacts(&weeks[k]["backlog_out"]);
        assert!(out > 1.0, "week {k} leaves e-mail undone: {out}");
        assert_eq!(weeks[k + 1]["backlog_in"], weeks[k]["backlog_out"]);
    }
    // In the second week's demand: Monday 06:00's e-mail is the forecast's
    // and the first week's undone.
    let dir = tempfile::tempdir().unwrap();
    let forecast_dir = dir.path().join("forecast");
    let run = slaplan(&[
        "forecast",
        week_alone(dir.path(), "2024-03-18").to_str().unwrap(),
        "-o",
        forecast_dir.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let first_mail = |path: &Path, column: usize| -> f64 {
        fs::read_to_string(path)
            .unwrap()
            .lines()
            .find(|l| l.starts_with("mail,2024-03-18T06:00,"))
            .map(|l| l.split(',').nth(column).unwrap().parse().unwrap())
            .expect("Monday 06:00's e-mail row")
    };
    let forecast = first_mail(&forecast_dir.join("forecast.csv"), 2);
    let planned = first_mail(&out().join("week-2024-03-18/coverage.csv"), 3);
    let carried = contacts(&weeks[0]["backlog_out"]);
    assert!(
        (planned - forecast - carried).abs() < 0.01,
        "{planned} planned = {forecast} forecast + {carried} carried"
    );
    // The checker's own count leaves the same undone.
    let run = slaplan(&[
        "check",
        repo(WEEK).to_str().unwrap(),
        out().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    for (k, w) in report["weeks"].as_array().unwrap().iter().enumerate() {
        let checked = contacts(&w["measures"]["left_over"]);
        let planned = contacts(&weeks[k]["backlog_out"]);
        assert!(
            (checked - planned).abs() < 0.01,
            "week {k}: {checked} vs {planned}"
        );
    }
}

/// An agent who worked Sunday's late shift given Monday's early shift of
/// the next week: 8 hours of rest where 11 are owed, caught on that Monday
/// — and only because the weeks are read together.
#[test]
fn a_rest_broken_across_the_boundary_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("out");
    copy_dir(&out(), &copy);
    let first = fs::read_to_string(copy.join("week-2024-03-11/roster.csv")).unwrap();
    let second_path = copy.join("week-2024-03-18/roster.csv");
    let second = fs::read_to_string(&second_path).unwrap();
    let fields = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let monday: Vec<Vec<String>> = second
        .lines()
        .skip(1)
        .map(fields)
        .filter(|r| r[3] == "2024-03-18")
        .collect();
    let late_sunday = first
        .lines()
        .skip(1)
        .map(fields)
        .find(|r| r[3] == "2024-03-17" && r[4] == "late" && !monday.iter().any(|m| m[0] == r[0]))
        .expect("someone works Sunday late and is off Monday");
    let early = monday
        .iter()
        .find(|r| r[4] == "early")
        .expect("someone works Monday early");
    let moved: Vec<String> = second
        .lines()
        .map(|l| {
            let r = fields(l);
            if r[0] == early[0] && r[3] == "2024-03-18" {
                let mut r = r;
                r[0] = late_sunday[0].clone();
                r[1] = late_sunday[1].clone();
                r.join(",")
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(&second_path, moved.join("\n") + "\n").unwrap();
    let (code, text) = check(&copy);
    assert_eq!(code, Some(1), "{text}");
    let who = &late_sunday[0];
    assert!(
        text.lines().any(
            |l| l.starts_with(&format!("violation {who}, day 2024-03-18: min_rest"))
                && l.contains("week before")
        ),
        "{text}"
    );
    // The second week alone (its edges exempt) sees no broken rest.
    let week2 = week_alone(dir.path(), "2024-03-18");
    let alone = slaplan(&[
        "check",
        week2.to_str().unwrap(),
        second_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&alone.stdout).unwrap();
    assert!(
        !report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["rule"] == "min_rest"),
        "{report}"
    );
}

#[test]
fn horizons_outside_their_bounds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (weeks, instance, says) in [
        ("53", WEEK, "1 to 52 weeks"),
        ("0", WEEK, "1 to 52 weeks"),
        (
            "2",
            "tests/fixtures/check/week.yaml",
            "forecasts each week from a history",
        ),
    ] {
        let run = slaplan(&[
            "plan",
            repo(instance).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--weeks",
            weeks,
            "-q",
        ]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{weeks}: {err}");
        assert!(err.contains(says), "{weeks}: {err}");
        assert!(!out.exists(), "nothing written for {weeks} weeks");
    }
}

/// `weeks:` in the instance: the strikes' dates may fall in any of its
/// weeks (and only there), it needs a history, and it is a year at most.
#[test]
fn an_instance_states_its_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = repo("tests/fixtures/horizon");
    let write = |name: &str, extra: &str, demand: &str| {
        let path = dir.path().join(name);
        fs::write(
            &path,
            format!(
                "model: {m}\nweek_start: 2024-03-11\n{extra}demand:\n  {demand}\nagents: {a}\nstrikes:\n  - {{ skill_group: front, share: 25%, dates: [2024-03-20] }}\n",
                m = fixture.join("model.yaml").display(),
                a = fixture.join("agents.csv").display()
            ),
        )
        .unwrap();
        path
    };
    let history = format!("history: {}", fixture.join("history.csv").display());
    let validate = |path: &Path| {
        let run = slaplan(&["validate", path.to_str().unwrap()]);
        (
            run.status.code(),
            String::from_utf8_lossy(&run.stderr).into_owned(),
        )
    };
    // The strike on the second week's Wednesday: in a horizon of two.
    let (code, err) = validate(&write("two.yaml", "weeks: 2\n", &history));
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = validate(&write("one.yaml", "", &history));
    assert_eq!(code, Some(2));
    assert!(err.contains("E103") && err.contains("2024-03-20"), "{err}");
    let (code, err) = validate(&write("long.yaml", "weeks: 53\n", &history));
    assert_eq!(code, Some(2));
    assert!(err.contains("1 to 52 weeks"), "{err}");
    let forecast = format!(
        "forecast: {}",
        repo("tests/fixtures/check/volumes.csv").display()
    );
    let (code, err) = validate(&write("given.yaml", "weeks: 2\n", &forecast));
    assert_eq!(code, Some(2));
    assert!(
        err.contains("E211") && err.contains("need a history"),
        "{err}"
    );
}

/// A contract counted per month (`--set sla.line.scope=month`) over the
/// fixture's three weeks of March: each week counts on from the month so
/// far — the plan's projection and the checker's own count agree on the
/// month — and the month ends with the third week's Sunday, the 31st.
#[test]
fn a_monthly_sla_is_counted_across_the_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    plan_weeks(&out, &["--set", "sla.line.scope=month"]);
    let h: Value =
        serde_json::from_str(&fs::read_to_string(out.join("horizon.json")).unwrap()).unwrap();
    let months = h["month_sla"].as_array().unwrap();
    assert_eq!(months.len(), 1, "{months:?}");
    let march = &months[0];
    assert_eq!(march["month"], "2024-03");
    assert_eq!(march["queue"], "line");
    // 1–10 March are before the horizon.
    assert_eq!(march["whole"], false);
    assert_eq!(march["met"], true);
    let sl = march["sl"].as_f64().unwrap();
    assert!(sl >= 0.8 - 1e-6, "{march}");
    // The checker, the weeks read together (the override from horizon.json).
    let report = json_of(&[
        "check",
        repo(WEEK).to_str().unwrap(),
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let weeks = report["weeks"].as_array().unwrap();
    let so_far = |k: usize| -> Option<f64> {
        let rows = weeks[k]["measures"]["month_so_far"].as_array()?;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["month"], "2024-03");
        rows[0]["contacts"].as_f64()
    };
    let (first, second) = (so_far(0).unwrap(), so_far(1).unwrap());
    assert!(first > 0.0 && second > 1.5 * first, "{first} then {second}");
    assert_eq!(so_far(2), None, "March ends with the third week");
    let contacts = march["contacts"].as_f64().unwrap();
    assert!(
        contacts > 1.3 * second,
        "{contacts} in March, {second} by the 24th"
    );
    // The third week's month, as the checker counts it, is the whole
    // horizon's March as the plans project it.
    let checked = weeks[2]["measures"]["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["queue"] == "line" && s["scope"] == "month")
        .expect("the month is counted");
    assert_eq!(checked["contractual"], true);
    let achieved = checked["achieved"].as_f64().unwrap();
    assert!(
        (achieved - sl).abs() < 1e-3,
        "checked {achieved}, planned {sl}"
    );
}

/// The fixture with a night rota (23:00 to 06:00, one agent, 11 hours of
/// rest after it) of at most one night a month per agent, in `dir`: its
/// week file.
fn with_night_rota(dir: &Path) -> std::path::PathBuf {
    fixture_in(dir, |model| {
        model
            + "on_call:\n  - { id: night, skill_group: front, hours: { all: [00:00-06:00, 23:00-24:00] },\n      pay_per_hour: 3.00, call_outs_per_day: 0.5, call_out_length: 1h, response_within: 1h,\n      rest_after_call_out: 11h, max_per_month: 1 }\n"
    })
}

/// The fixture copied into `dir`, its model as `edit` makes it: the week
/// file.
pub(crate) fn fixture_in(dir: &Path, edit: impl FnOnce(String) -> String) -> std::path::PathBuf {
    let fixture = repo("tests/fixtures/horizon");
    for f in ["history.csv", "agents.csv", "week.yaml"] {
        fs::copy(fixture.join(f), dir.join(f)).unwrap();
    }
    let model = fs::read_to_string(fixture.join("model.yaml")).unwrap();
    fs::write(dir.join("model.yaml"), edit(model)).unwrap();
    dir.join("week.yaml")
}

/// At most K on-call periods a month (`max_per_month`), counted across a
/// horizon's weeks: with one night a month each, the first week's nights
/// are covered and the later weeks run short where the agents free that
/// night had theirs already, said in the rota's words; no agent has two
/// nights in March; and a night given in the second week to an agent who
/// had one in the first is caught by `check` on the horizon, not on that
/// week alone.
#[test]
fn on_call_periods_a_month_are_counted_across_the_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let week = with_night_rota(dir.path());
    let out = dir.path().join("out");
    let run = run_weeks(&week, &out, &[]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(1),
        "the later weeks run short: {err}"
    );
    let weeks = ["2024-03-11", "2024-03-18", "2024-03-25"];
    let plan = |w: &str| -> Value {
        let text = fs::read_to_string(out.join(format!("week-{w}/plan.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let first = plan(weeks[0]);
    assert_eq!(first["on_call"]["short"].as_array().unwrap().len(), 0);
    assert_eq!(first["on_call"]["rotas"][0]["duties"], 7);
    // The later weeks run short where the agents free that night had
    // theirs already, and the third more than the second.
    let short: Vec<usize> = weeks[1..]
        .iter()
        .map(|w| {
            let p = plan(w);
            let short = p["on_call"]["short"].as_array().unwrap().clone();
            assert!(
                short.iter().all(|s| s["why"]
                    .as_str()
                    .unwrap()
                    .contains("at the rota's 1 a month")),
                "{short:?}"
            );
            short.len()
        })
        .collect();
    assert!(short[1] >= 2 && short[1] > short[0], "{short:?}");
    // Every night of March so far, one agent each, nobody twice.
    let duties = |w: &str| -> Vec<Vec<String>> {
        let text = fs::read_to_string(out.join(format!("week-{w}/on_call.csv"))).unwrap();
        text.lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let mut agents: Vec<String> = weeks
        .iter()
        .flat_map(|w| duties(w))
        .map(|r| r[1].clone())
        .collect();
    let nights = agents.len();
    assert_eq!(nights, 21 - short[0] - short[1]);
    agents.sort();
    agents.dedup();
    assert_eq!(agents.len(), nights, "one night each in March");
    // The second week's first night given to the first week's first agent.
    let first_agent = duties(weeks[0])[0][1].clone();
    let path = out.join(format!("week-{}/on_call.csv", weeks[1]));
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut row: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    row[1] = first_agent.clone();
    lines[1] = row.join(",");
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let says = "periods of 'night' in 2024-03 (the month's weeks before counted), at most 1";
    let horizon = slaplan(&["check", week.to_str().unwrap(), out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&horizon.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("violation {first_agent}")) && l.contains(says)),
        "{text}"
    );
    // The second week alone: its own count, one night.
    let alone = week_alone(dir.path(), weeks[1]);
    let model = dir.path().join("model.yaml");
    let original = repo("tests/fixtures/horizon").join("model.yaml");
    fs::write(
        &alone,
        fs::read_to_string(&alone)
            .unwrap()
            .replace(original.to_str().unwrap(), model.to_str().unwrap()),
    )
    .unwrap();
    let roster = out.join(format!("week-{}/roster.csv", weeks[1]));
    let run = slaplan(&["check", alone.to_str().unwrap(), roster.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(!text.contains("in 2024-03"), "{text}");
    assert!(!text.contains("'night'"), "{text}");
}

/// `max_per_month` is a whole number of periods from 1 to 31 (one a day
/// at most): anything else is refused where it is written.
#[test]
fn a_monthly_on_call_limit_outside_its_bounds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let week = with_night_rota(dir.path());
    let model = dir.path().join("model.yaml");
    let text = fs::read_to_string(&model).unwrap();
    for (value, says) in [
        ("0", "outside 1..31"),
        ("32", "outside 1..31"),
        ("1.5", "not a whole number"),
    ] {
        fs::write(
            &model,
            text.replace("max_per_month: 1", &format!("max_per_month: {value}")),
        )
        .unwrap();
        let run = slaplan(&["validate", week.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{value}: {err}");
        assert!(
            err.contains("E103") && err.contains("on_call[0].max_per_month") && err.contains(says),
            "{value}: {err}"
        );
    }
}

/// An hours bank (`hours_bank: { weeks: 3, average: 32.5h }`, shifts of
/// 7.5 paid hours, weeks of 24 to 40 hours): no week of 32.5 hours exists,
/// so each agent's weeks differ, and over the three they add up to 97.5
/// hours; the horizon checks clean, and an agent's shift taken off in the
/// last week is caught as the bank left short — on the horizon only (the
/// week alone is within 24 to 40 hours).
#[test]
fn hours_banked_over_the_weeks_add_up_to_the_average() {
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |model| {
        model.replace(
            "weekly_hours: { min: 24h, max: 40h }\n",
            "weekly_hours: { min: 24h, max: 40h }\n    hours_bank: { weeks: 3, average: 32.5h }\n",
        )
    });
    let out = dir.path().join("out");
    let run = run_weeks(&week, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let weeks = ["2024-03-11", "2024-03-18", "2024-03-25"];
    let roster = |w: &str| out.join(format!("week-{w}/roster.csv"));
    let hours = |w: &str| -> std::collections::BTreeMap<String, f64> {
        let text = fs::read_to_string(roster(w)).unwrap();
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        let paid = head.iter().position(|h| *h == "paid_hours").unwrap();
        let mut out = std::collections::BTreeMap::new();
        for l in lines {
            let r: Vec<&str> = l.split(',').collect();
            *out.entry(r[0].to_string()).or_insert(0.0) += r[paid].parse::<f64>().unwrap();
        }
        out
    };
    let per_week: Vec<_> = weeks.iter().map(|w| hours(w)).collect();
    assert_eq!(per_week[0].len(), 16);
    for agent in per_week[0].keys() {
        let h: Vec<f64> = per_week
            .iter()
            .map(|p| p.get(agent).copied().unwrap_or(0.0))
            .collect();
        assert!(
            (h.iter().sum::<f64>() - 97.5).abs() < 1e-6,
            "{agent}: {h:?}"
        );
        assert!(
            h.iter().all(|&x| (24.0..=40.0).contains(&x)),
            "{agent}: {h:?}"
        );
    }
    let (code, text) = check_with(&week, &out);
    assert_eq!(code, Some(0), "{text}");
    // One shift of the first agent off in the last week.
    let last = roster(weeks[2]);
    let text = fs::read_to_string(&last).unwrap();
    let agent = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let mut dropped = false;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let drop = !dropped && l.starts_with(&format!("{agent},"));
            dropped |= drop;
            !drop
        })
        .collect();
    fs::write(&last, kept.join("\n") + "\n").unwrap();
    let (code, text) = check_with(&week, &out);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("violation {agent}"))
                && l.contains("weekly_hours_min")
                && l.contains("the hours bank")),
        "{text}"
    );
    let alone = slaplan(&["check", week.to_str().unwrap(), last.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&alone.stdout);
    assert!(!text.contains("weekly_hours_min"), "{text}");
}

/// An hours bank runs 2 to 52 whole weeks and averages within the
/// contract's weekly hours: anything else is refused where it is written.
#[test]
fn an_hours_bank_outside_its_bounds_is_refused() {
    for (bank, says) in [
        ("{ weeks: 1, average: 32h }", "outside 2..52"),
        ("{ weeks: 53, average: 32h }", "outside 2..52"),
        ("{ weeks: 2.5, average: 32h }", "not a whole number"),
        (
            "{ weeks: 4, average: 45h }",
            "outside the weekly hours 24.0h to 40.0h",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let week = fixture_in(dir.path(), |model| {
            model.replace(
                "weekly_hours: { min: 24h, max: 40h }\n",
                &format!("weekly_hours: {{ min: 24h, max: 40h }}\n    hours_bank: {bank}\n"),
            )
        });
        let run = slaplan(&["validate", week.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{bank}: {err}");
        assert!(
            err.contains("E103") && err.contains("contracts[0].hours_bank") && err.contains(says),
            "{bank}: {err}"
        );
    }
}

/// `slaplan simulate` on a horizon's folder replays each week from what
/// the weeks before left it, as `check` counts it: the second week's
/// e-mail offered is the week alone's and the first week's undone, each
/// week's files in its folder under `-o`.
#[test]
fn a_horizon_is_replayed_week_by_week_with_its_carry() {
    let dir = tempfile::tempdir().unwrap();
    let sims = dir.path().join("sims");
    let report = json_of(&[
        "simulate",
        repo(WEEK).to_str().unwrap(),
        out().to_str().unwrap(),
        "-o",
        sims.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let weeks = report["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 3);
    let offered = |sim: &Value, queue: &str| -> f64 {
        sim["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["queue"] == queue)
            .unwrap()["week"]["offered"]
            .as_f64()
            .unwrap()
    };
    let second = &weeks[1]["simulation"];
    assert_eq!(weeks[1]["week_start"], "2024-03-18");
    let file: Value = serde_json::from_str(
        &fs::read_to_string(sims.join("week-2024-03-18/simulation.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(&file, second);
    // The second week's roster replayed alone.
    let alone_dir = dir.path().join("alone");
    let alone = json_of(&[
        "simulate",
        week_alone(dir.path(), "2024-03-18").to_str().unwrap(),
        out().join("week-2024-03-18/roster.csv").to_str().unwrap(),
        "-o",
        alone_dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let carried: f64 = horizon()["weeks"][0]["backlog_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["contacts"].as_f64().unwrap())
        .sum();
    let more = offered(second, "mail") - offered(&alone, "mail");
    // 30 replications of some 720 e-mails: the mean moves by about 5.
    assert!(carried > 25.0, "{carried}");
    assert!(
        (more - carried).abs() < 15.0,
        "{more} more e-mails, {carried} carried"
    );
    assert!((offered(second, "line") - offered(&alone, "line")).abs() < 1e-9);
}

/// `slaplan compare --weeks 3`: each scenario planned over the horizon as
/// `plan --weeks 3` plans it, its row the weeks' sums — the same total as
/// the horizon's file — with the contacts forecast over the weeks (the
/// e-mail carried counted once) and the cost per contact, per month and
/// per year.
#[test]
fn compare_adds_a_horizons_weeks_up() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios.yaml");
    fs::write(&scenarios, "scenarios:\n  - { name: as is, set: {} }\n").unwrap();
    let report = json_of(&[
        "compare",
        repo(WEEK).to_str().unwrap(),
        "--scenarios",
        scenarios.to_str().unwrap(),
        "--weeks",
        "3",
        "--no-verify",
        "--gap",
        "0.02",
        "--format",
        "json",
        "-o",
        dir.path().join("cmp").to_str().unwrap(),
    ]);
    let row = &report["scenarios"][0];
    let h = horizon();
    let total = row["cost_total"].as_f64().unwrap();
    assert!(
        (total - h["total"]["cost"].as_f64().unwrap()).abs() < 0.01,
        "{total} against {}",
        h["total"]["cost"]
    );
    let figures = &row["horizon"];
    assert_eq!(figures["weeks"], 3);
    // The contacts planned, each week's carried e-mail taken off.
    let (mut planned, mut rows) = (0.0, 0);
    for w in h["weeks"].as_array().unwrap() {
        let text = fs::read_to_string(
            out()
                .join(w["folder"].as_str().unwrap())
                .join("coverage.csv"),
        )
        .unwrap();
        rows += text.lines().count() - 1;
        planned += text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap().parse::<f64>().unwrap())
            .sum::<f64>();
        planned -= w["backlog_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["contacts"].as_f64().unwrap())
            .sum::<f64>();
    }
    // coverage.csv's contacts to 3 decimals: half a thousandth a row.
    let contacts = figures["contacts"].as_f64().unwrap();
    assert!(
        (contacts - planned).abs() < 0.0005 * rows as f64 + 0.01,
        "{contacts} against {planned} over {rows} rows"
    );
    let near = |key: &str, want: f64| {
        let got = figures[key].as_f64().unwrap();
        assert!((got - want).abs() < 0.01, "{key}: {got} against {want}");
    };
    near("per_contact", total / contacts);
    near("per_month", total / 3.0 * 52.0 / 12.0);
    near("per_year", total / 3.0 * 52.0);
    // compare.csv carries them, finance's spreadsheet.
    let csv = fs::read_to_string(dir.path().join("cmp/compare.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
    assert_eq!(at("weeks"), "3");
    let per_year = at("cost_per_year").parse::<f64>().unwrap();
    assert!((per_year - figures["per_year"].as_f64().unwrap()).abs() < 0.005);
}
