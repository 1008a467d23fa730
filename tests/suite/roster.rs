//! The centre's roster end to end, through the real binary: `slaplan
//! check` passes the roster `slaplan plan` writes and finds each rule a
//! tampered copy breaks; a week whose rules cannot all hold is explained
//! by rule and agent; bad roster files are input errors (exit 2).

use std::path::Path;
use std::process::Output;

use crate::support::{repo, slaplan};

/// `slaplan plan` unverified: these tests are about the rules a roster
/// keeps (the verification has tests/suite/verify.rs).
fn plan(instance: &Path, dir: &Path) -> Output {
    slaplan(&[
        "plan".as_ref(),
        instance.as_os_str(),
        "-o".as_ref(),
        dir.as_os_str(),
        "--no-verify".as_ref(),
    ])
}

/// `slaplan plan`, which must succeed.
fn planned(instance: &Path, dir: &Path) {
    let out = plan(instance, dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check(instance: &Path, roster: &Path) -> (i32, serde_json::Value, String) {
    let out = slaplan(&[
        "check".as_ref(),
        instance.as_os_str(),
        roster.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The Stratus week's roster, planned once, then copies of it with one
/// thing changed: the checker passes the original and names the rule each
/// copy breaks.
#[test]
fn the_checker_passes_the_roster_and_finds_each_broken_rule() {
    let inst = repo("instances/stratus/week-2003-03-03.yaml");
    let dir = tempfile::tempdir().unwrap();
    planned(&inst, dir.path());
    let roster = dir.path().join("roster.csv");
    let (code, report, err) = check(&inst, &roster);
    assert_eq!(code, 0, "{report} {err}");
    assert!(rules(&report).is_empty());
    let text = std::fs::read_to_string(&roster).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 20, "{} roster lines", lines.len());
    assert_eq!(report["shifts"].as_u64().unwrap() as usize, lines.len() - 1);
    for s in report["sla"].as_array().unwrap() {
        if s["contractual"].as_bool().unwrap() && !s["priced"].as_bool().unwrap() {
            // Met to the precision allocation.csv carries.
            assert!(
                s["achieved"].as_f64().unwrap() + slaplan::check::service::SL_TOLERANCE
                    >= s["target"].as_f64().unwrap(),
                "{s}"
            );
        }
    }
    // Each tampered copy sits beside the original allocation.csv.
    let tampered = |name: &str, body: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let (code, report, err) = check(&inst, &path);
        assert_eq!(code, 1, "{name}: {report} {err}");
        rules(&report)
    };
    let first: Vec<&str> = lines[1].split(',').collect();
    // A shift started 30 minutes late: not a start of its template.
    assert!(first[5].ends_with(":00"), "{}", first[5]);
    let half_past = format!("{}:30", &first[5][..first[5].len() - 3]);
    let late = lines[1].replacen(first[5], &half_past, 1);
    let mut body = lines.clone();
    body[1] = &late;
    let got = tampered("late.csv", body.join("\n") + "\n");
    assert!(got.contains(&"template_start".to_string()), "{got:?}");
    assert!(got.contains(&"shift_length".to_string()), "{got:?}");
    // A break moved two hours past its window.
    let (bs, be) = first[10].split_once('-').unwrap();
    let moved = |t: &str| {
        let dt =
            chrono::NaiveTime::parse_from_str(t, "%H:%M").unwrap() + chrono::Duration::hours(3);
        dt.format("%H:%M").to_string()
    };
    let shifted = lines[1].replacen(first[10], &format!("{}-{}", moved(bs), moved(be)), 1);
    let mut body = lines.clone();
    body[1] = &shifted;
    let got = tampered("break.csv", body.join("\n") + "\n");
    assert!(got.contains(&"breaks".to_string()), "{got:?}");
    // The same shift twice.
    let mut body = lines.clone();
    body.insert(1, lines[1]);
    let got = tampered("twice.csv", body.join("\n") + "\n");
    assert!(got.contains(&"one_shift_per_day".to_string()), "{got:?}");
    // Half the shifts dropped: the allocation is not held, agents fall
    // short of their contract's hours.
    let body: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || i % 2 == 1)
        .map(|(_, l)| *l)
        .collect();
    let got = tampered("half.csv", body.join("\n") + "\n");
    assert!(got.contains(&"coverage".to_string()), "{got:?}");
    assert!(got.contains(&"weekly_hours_min".to_string()), "{got:?}");
    // An agent the instance does not have: bad input, located.
    let path = dir.path().join("stranger.csv");
    std::fs::write(
        &path,
        format!(
            "{}\n{}\n",
            lines[0],
            lines[1].replacen(first[0], "NOBODY", 1)
        ),
    )
    .unwrap();
    let (code, _, err) = check(&inst, &path);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("stranger.csv:2") && err.contains("NOBODY"),
        "{err}"
    );
}

/// Two agents, needed every day of the week, each owed a 35 h rest: the
/// plan (which counts shifts per group) exists, the roster cannot fill it,
/// and the planner reads which rule keeps which agent off which shift.
#[test]
fn a_week_the_rules_forbid_is_explained_by_rule_and_agent() {
    let dir = tempfile::tempdir().unwrap();
    let out = plan(&repo("tests/fixtures/plan/no-rest.yaml"), dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot be rostered"), "{err}");
    let p: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("plan.json")).unwrap()).unwrap();
    let unfilled = p["roster"]["unfilled"].as_array().unwrap();
    assert!(!unfilled.is_empty(), "{p}");
    for u in unfilled {
        let u = u.as_str().unwrap();
        for agent in ["R1", "R2"] {
            assert!(
                u.contains(&format!("{agent}: one rest of 35 h a week")),
                "{u}"
            );
        }
        assert!(err.contains(u), "stderr lacks {u}");
    }
    // No gap is claimed for a roster short of the plan.
    assert!(p["roster"]["gap_to_lower_bound"].is_null(), "{p}");
}

/// Rows of a roster file: (agent, date, template, local start "HH:MM").
fn shifts_of(text: &str) -> Vec<(String, String, String, String)> {
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                f[3].to_string(),
                f[4].to_string(),
                f[5][11..16].to_string(),
            )
        })
        .collect()
}

/// Pins hold, a late shift is never followed by an early one, requests
/// are weighed (an off day and a late shift granted where the week has
/// room), and the checker counts all of it again from the files — and
/// names the rule when a copy breaks a pin or a succession.
#[test]
fn pins_forbidden_successions_and_requests_hold_and_are_checked() {
    let inst = repo("tests/fixtures/plan/rules.yaml");
    let dir = tempfile::tempdir().unwrap();
    planned(&inst, dir.path());
    let roster = dir.path().join("roster.csv");
    let text = std::fs::read_to_string(&roster).unwrap();
    let rows = shifts_of(&text);
    let on = |agent: &str, date: &str| {
        rows.iter()
            .find(|r| r.0 == agent && r.1 == date)
            .map(|r| (r.2.as_str(), r.3.as_str()))
    };
    // The pins.
    assert_eq!(on("R1", "2024-03-05"), Some(("early", "07:30")), "{text}");
    assert_eq!(on("R2", "2024-03-06"), None, "{text}");
    assert_eq!(on("R3", "2024-03-07"), Some(("late", "14:00")), "{text}");
    // No early shift the day after a late one.
    for r in rows.iter().filter(|r| r.2 == "late") {
        let day: u32 = r.1[8..10].parse().unwrap();
        let next = format!("2024-03-{:02}", day + 1);
        assert_ne!(on(&r.0, &next).map(|x| x.0), Some("early"), "{text}");
    }
    // The heavier requests are granted: R4's Thursday off, R5's late
    // Friday.
    assert_eq!(on("R4", "2024-03-07"), None, "{text}");
    assert_eq!(on("R5", "2024-03-08").map(|x| x.0), Some("late"), "{text}");
    let p: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("plan.json")).unwrap()).unwrap();
    let requested = &p["roster"]["requests"];
    assert!(requested["granted"].as_u64().unwrap() >= 2, "{p}");
    // The checker: clean, and the same count of requests from the files.
    let (code, report, err) = check(&inst, &roster);
    assert_eq!(code, 0, "{report} {err}");
    assert_eq!(&report["requests"], requested);
    // A copy that moves R1's pinned start and puts R4 on an early shift
    // the day after its Wednesday late.
    assert_eq!(on("R4", "2024-03-06").map(|x| x.0), Some("late"), "{text}");
    let mut tampered: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("R1,") && l.contains(",2024-03-05,") {
                l.replace(" 07:30,", " 07:00,")
                    .replace(" 14:30,", " 14:00,")
            } else {
                l.to_string()
            }
        })
        .collect();
    let r4 = text
        .lines()
        .find(|l| l.starts_with("R4,"))
        .unwrap()
        .split(',')
        .take(3)
        .collect::<Vec<_>>()
        .join(",");
    tampered.push(format!(
        "{r4},2024-03-07,early,2024-03-07 07:00,2024-03-07 14:00,+01:00,+01:00,7.00,,line"
    ));
    let bad = dir.path().join("tampered.csv");
    std::fs::write(&bad, tampered.join("\n") + "\n").unwrap();
    let (code, report, err) = check(&inst, &bad);
    assert_eq!(code, 1, "{report} {err}");
    let found = rules(&report);
    for rule in ["pin", "forbidden_succession"] {
        assert!(found.iter().any(|r| r == rule), "{rule} not in {found:?}");
    }
    let pin = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "pin")
        .unwrap();
    assert_eq!(pin["who"], "R1");
    assert!(
        pin["detail"].as_str().unwrap().contains("early at 07:30"),
        "{pin}"
    );
}

/// A pin naming a template the model lacks, or one without its start, is
/// an input error with its code and line; nothing is written.
#[test]
fn bad_pins_and_requests_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo("tests/fixtures/plan");
    let inst = dir.path().join("bad.yaml");
    std::fs::write(
        &inst,
        format!(
            "model: {0}/rules-model.yaml\nweek_start: 2024-03-04\ndemand:\n  forecast: {0}/rules-volumes.csv\nagents: {0}/rules-agents.csv\npins:\n  - {{ agent: R1, date: 2024-03-05, template: night, start: \"07:30\" }}\n  - {{ agent: R2, date: 2024-03-05, template: early }}\nrequests:\n  - {{ agent: R9, date: 2024-03-05, off: true }}\n  - {{ agent: R3, date: 2024-03-12, off: true }}\n",
            fixtures.display()
        ),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = plan(&inst, &out_dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for (code, line) in [("E214", 7), ("E005", 8), ("E206", 10), ("E103", 11)] {
        assert!(
            err.contains(&format!("bad.yaml:{line}")) && err.contains(code),
            "{code} at line {line}: {err}"
        );
    }
    assert!(!out_dir.join("plan.json").exists());
}

/// Start times beyond the first, summed over the agents of a roster file.
fn start_changes(text: &str) -> usize {
    let rows = shifts_of(text);
    let mut agents: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    agents.dedup();
    agents
        .iter()
        .map(|a| {
            let mut starts: Vec<&String> =
                rows.iter().filter(|r| &r.0 == *a).map(|r| &r.3).collect();
            starts.sort();
            starts.dedup();
            starts.len() - 1
        })
        .sum()
}

/// Fairness of late shifts and the same start through the week are
/// priced: the same week without them puts more late shifts on one agent
/// and more start times in the agents' weeks. The checker counts both
/// again from the roster file and agrees with plan.json.
#[test]
fn late_shifts_are_shared_and_starts_kept_the_same_when_the_model_asks() {
    let fixtures = repo("tests/fixtures/plan");
    let dir = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string(fixtures.join("rules-model.yaml")).unwrap();
    assert!(model.contains("late_shifts: 10") && model.contains("same_start: 3"));
    let plain = model
        .replace("    same_start: 3\n", "")
        .replace("fairness:\n  late_shifts: 10\n", "");
    std::fs::write(dir.path().join("plain-model.yaml"), plain).unwrap();
    let instance = std::fs::read_to_string(fixtures.join("rules.yaml"))
        .unwrap()
        .replace("rules-model.yaml", "plain-model.yaml")
        .replace(
            "rules-volumes.csv",
            &fixtures.join("rules-volumes.csv").display().to_string(),
        )
        .replace(
            "rules-agents.csv",
            &fixtures.join("rules-agents.csv").display().to_string(),
        );
    let plain_inst = dir.path().join("plain.yaml");
    std::fs::write(&plain_inst, instance).unwrap();
    let run = |inst: &Path, name: &str| {
        let out_dir = dir.path().join(name);
        planned(inst, &out_dir);
        let p: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out_dir.join("plan.json")).unwrap()).unwrap();
        let text = std::fs::read_to_string(out_dir.join("roster.csv")).unwrap();
        let (code, report, err) = check(inst, &out_dir.join("roster.csv"));
        assert_eq!(code, 0, "{report} {err}");
        assert_eq!(report["fairness"], p["roster"]["fairness"]);
        assert_eq!(report["start_changes"], p["roster"]["start_changes"]);
        let late_most = p["roster"]["fairness"][0]["late_shifts"][1]
            .as_u64()
            .unwrap();
        (late_most, start_changes(&text))
    };
    let (fair_late, fair_starts) = run(&fixtures.join("rules.yaml"), "fair");
    let (plain_late, plain_starts) = run(&plain_inst, "plain");
    eprintln!("late shifts at most: {fair_late} fair, {plain_late} plain; start changes: {fair_starts} same-start, {plain_starts} plain");
    assert!(fair_late < plain_late, "{fair_late} vs {plain_late}");
    assert!(
        fair_starts < plain_starts,
        "{fair_starts} vs {plain_starts}"
    );
}

/// The progress line is for terminals only: with stderr a pipe (here, as
/// in CI and scripts) a successful plan writes nothing there, with or
/// without `--quiet`, and the roster is the same.
#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let inst = repo("tests/fixtures/plan/rules.yaml");
    let mut outs = Vec::new();
    for quiet in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "plan".as_ref(),
            inst.as_os_str(),
            "-o".as_ref(),
            dir.path().as_os_str(),
        ];
        if quiet {
            args.push("--quiet".as_ref());
        }
        let out = slaplan(&args);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text =
            String::from_utf8_lossy(&out.stdout).replace(&*dir.path().to_string_lossy(), "DIR");
        assert!(text.contains("roster:"), "{text}");
        outs.push(std::fs::read(dir.path().join("roster.csv")).unwrap());
    }
    assert_eq!(outs[0], outs[1]);
}
