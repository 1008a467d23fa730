//! Requirements as demand (`demand: { requirements: file.csv }`): a
//! published shift-scheduling problem reaches its published optimum, the
//! requirements `slaplan staff` writes plan exactly as the forecast they
//! came from, the checker counts coverage from the instance's own rows,
//! and what cannot apply (a replay, outsourcing, SL scopes) is refused or
//! said.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{repo, slaplan};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = slaplan(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn plan_json(dir: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap()
}

fn union_airways() -> PathBuf {
    repo("instances/union-airways/day.yaml")
}

/// Hillier & Lieberman, "Introduction to Operations Research", §3.4: the
/// Union Airways personnel-scheduling problem's optimum is 48, 31, 39, 43
/// and 15 agents on its five shifts, $30,610 a day (the book's figures).
const PUBLISHED_OPTIMUM: f64 = 30_610.0;
const PUBLISHED_AGENTS: u32 = 48 + 31 + 39 + 43 + 15;

#[test]
fn union_airways_reaches_its_published_optimum_and_the_checker_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let (code, stdout, stderr) = run(&[
        "plan",
        union_airways().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let j = plan_json(&out);
    assert_eq!(j["demand"], "requirements");
    assert_eq!(j["status"], "optimal");
    // No calls to replay: planned unverified, and plan says why.
    assert!(j["verification"].is_null());
    let why = j["unverified"].as_str().unwrap();
    assert!(why.contains("requirements"), "{why}");
    assert!(stdout.contains("not verified by simulation"), "{stdout}");
    let cost = j["cost"]["total"].as_f64().unwrap();
    assert!((cost - PUBLISHED_OPTIMUM).abs() < 1e-6, "cost {cost}");
    assert!((j["lower_bound"].as_f64().unwrap() - PUBLISHED_OPTIMUM).abs() < 1e-6);
    // Every period's requirement covered, as one "SLA" per queue.
    let sla = &j["sla"][0];
    assert_eq!(sla["scope"], "interval");
    assert_eq!(sla["target"], 1.0);
    assert_eq!(sla["periods"], 48);
    assert_eq!(sla["periods_met"], 48);
    // The roster names as many agents as the book's optimum has.
    let shifts = fs::read_to_string(out.join("shifts.csv")).unwrap();
    let count: u32 = shifts
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(6).unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(count, PUBLISHED_AGENTS);
    let roster = out.join("roster.csv");
    let check = || {
        run(&[
            "check",
            union_airways().to_str().unwrap(),
            roster.to_str().unwrap(),
        ])
    };
    let (code, stdout, stderr) = check();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("48 of 48 periods met"), "{stdout}");

    // One night-shift agent less on the roster: the checker, counting
    // from the instance's requirement rows, finds Tuesday's early periods
    // short (allocation.csv still claims the plan's 15 agents there).
    let text = fs::read_to_string(&roster).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let night = lines
        .iter()
        .position(|l| l.contains(",shift5,"))
        .expect("a night shift on the roster");
    lines.remove(night);
    fs::write(&roster, lines.join("\n") + "\n").unwrap();
    let (code, stdout, _) = check();
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("present on the roster"), "{stdout}");
    // And with the allocation lowered to match, the requirement itself is
    // found short at Tuesday 00:00 (14 present, 15 required).
    let alloc = out.join("allocation.csv");
    let text = fs::read_to_string(&alloc).unwrap();
    assert!(
        text.contains("agents,2024-01-02T00:00,false,15.000000,\n"),
        "{text}"
    );
    fs::write(
        &alloc,
        text.replace(
            "agents,2024-01-02T00:00,false,15.000000,\n",
            "agents,2024-01-02T00:00,false,14.000000,\n",
        ),
    )
    .unwrap();
    let (code, stdout, _) = check();
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("14.000 agents present at Tue 00:00, 15 required"),
        "{stdout}"
    );
    assert!(stdout.contains("47 of 48 periods met"), "{stdout}");
}

#[test]
fn requirements_from_slaplan_staff_plan_exactly_as_their_forecast() {
    // Two voice queues, no deferred work, no outsourcer: with every SLA
    // counted per interval, the forecast's plan covers the per-interval
    // requirement; the same requirement given must give the same MIP and
    // the same cost.
    let fixtures = repo("tests/fixtures/plan");
    let forecast = fixtures.join("pooling.yaml");
    let dir = tempfile::tempdir().unwrap();
    let staff = slaplan(&["staff", forecast.to_str().unwrap(), "--format", "csv"]);
    assert!(staff.status.success());
    fs::write(dir.path().join("required.csv"), &staff.stdout).unwrap();
    let given = dir.path().join("week.yaml");
    fs::write(
        &given,
        format!(
            "model: {}\nweek_start: 2024-03-04\ndemand: {{ requirements: required.csv }}\nagents: {}\n",
            fixtures.join("pooling-model.yaml").display(),
            fixtures.join("pooling-agents.csv").display()
        ),
    )
    .unwrap();
    let plan = |inst: &Path, out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec![
            "plan",
            inst.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-roster",
        ];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{stdout}{stderr}");
        plan_json(&out)
    };
    let a = plan(&forecast, "a", &["--sla-scope", "interval"]);
    let b = plan(&given, "b", &[]);
    assert_eq!(a["status"], "optimal");
    assert_eq!(b["status"], "optimal");
    assert_eq!(b["demand"], "requirements");
    assert_eq!(a["model"], b["model"], "the same MIP, row for row");
    let cost = |j: &Value| j["cost"]["total"].as_f64().unwrap();
    assert!(
        (cost(&a) - cost(&b)).abs() < 1e-6,
        "{} vs {}",
        cost(&a),
        cost(&b)
    );
}

/// A copy of the Union Airways instance in `dir` with its requirements
/// CSV replaced by `csv` and its agents by the first `agents` rows.
fn edited(dir: &Path, csv: &str, agents: Option<usize>) -> PathBuf {
    let src = repo("instances/union-airways");
    fs::write(dir.join("requirements.csv"), csv).unwrap();
    let all = fs::read_to_string(src.join("agents.csv")).unwrap();
    let keep: Vec<&str> = match agents {
        Some(n) => all.lines().take(n + 1).collect(),
        None => all.lines().collect(),
    };
    fs::write(dir.join("agents.csv"), keep.join("\n") + "\n").unwrap();
    let inst = dir.join("day.yaml");
    fs::write(
        &inst,
        format!(
            "model: {}\nweek_start: 2024-01-01\ndemand: {{ requirements: requirements.csv }}\nagents: agents.csv\n",
            repo("models/union-airways.yaml").display()
        ),
    )
    .unwrap();
    inst
}

#[test]
fn a_requirement_no_agent_can_meet_is_explained_in_its_terms() {
    let dir = tempfile::tempdir().unwrap();
    let csv = fs::read_to_string(repo("instances/union-airways/requirements.csv")).unwrap();
    // Shift 1's 60 agents only: the afternoon and the night cannot be met.
    let inst = edited(dir.path(), &csv, Some(60));
    let out = dir.path().join("out");
    let (code, stdout, stderr) =
        run(&["plan", inst.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains("Tue 00:00–06:00: needs 15 agents for the requirement given"),
        "{all}"
    );
    assert!(all.contains("lower the requirement"), "{all}");
    assert!(
        !all.contains("outsource it") && !all.contains("count the SLA"),
        "{all}"
    );
}

#[test]
fn requirements_refuse_what_cannot_apply_and_bad_rows() {
    let ua = union_airways();
    let ua = ua.to_str().unwrap();
    // No contacts: nothing to forecast or replay; nothing written.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    for args in [
        vec!["forecast", ua],
        vec!["plan", ua, "-o", out.to_str().unwrap(), "--verify"],
        vec!["plan", ua, "-o", out.to_str().unwrap(), "--simulate"],
        vec!["simulate", ua, "roster.csv"],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("not contacts"), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // Bad requirement files: code, line, column.
    let header = "queue,interval_start,agents\n";
    for (csv, code, line) in [
        (format!("{header}agents,2024-01-01T06:00,-3\n"), "E303", 2),
        (format!("{header}agents,2024-01-01T06:00,lots\n"), "E302", 2),
        (
            format!("{header}agents,2024-01-01T06:00,1\nagents,2024-01-01T06:15,1\n"),
            "E304",
            3,
        ),
        (
            format!("{header}agents,2024-01-01T06:00,1\nagents,2024-01-01T06:00,2\n"),
            "E306",
            3,
        ),
        (format!("{header}agents,2024-01-01T06:00,1e6\n"), "E302", 2),
        (
            "queue,interval_start,count\nagents,2024-01-01T06:00,1\n".to_string(),
            "E301",
            1,
        ),
    ] {
        let d = tempfile::tempdir().unwrap();
        let inst = edited(d.path(), &csv, None);
        let before = fs::read(d.path().join("requirements.csv")).unwrap();
        let out = slaplan(&["validate", inst.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{csv}");
        let j: Value = serde_json::from_slice(&out.stdout).unwrap();
        let p = j["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap_or_else(|| panic!("{code} for {csv}: {j}"));
        assert_eq!(p["line"], line, "{csv}: {p}");
        assert_eq!(fs::read(d.path().join("requirements.csv")).unwrap(), before);
    }
    // Two demand sources.
    let d = tempfile::tempdir().unwrap();
    let inst = edited(d.path(), "queue,interval_start,agents\n", None);
    let text = fs::read_to_string(&inst).unwrap();
    fs::write(
        &inst,
        text.replace("demand: {", "demand: { forecast: f.csv,"),
    )
    .unwrap();
    let out = slaplan(&["validate", inst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("E211")
            || String::from_utf8_lossy(&out.stdout).contains("E211")
    );
}
