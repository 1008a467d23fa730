//! The centre's roster end to end, through the real binary: `slaplan
//! check` passes the roster `slaplan plan` writes and finds each rule a
//! tampered copy breaks; a week whose rules cannot all hold is explained
//! by rule and agent; bad roster files are input errors (exit 2).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn slaplan(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slaplan"))
        .args(args)
        .output()
        .unwrap()
}

fn plan(instance: &Path, dir: &Path) -> Output {
    slaplan(&[
        "plan".as_ref(),
        instance.as_os_str(),
        "-o".as_ref(),
        dir.as_os_str(),
    ])
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
    let out = plan(&inst, dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
            assert!(
                s["achieved"].as_f64().unwrap() + 1e-9 >= s["target"].as_f64().unwrap(),
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
    let late = lines[1].replacen(first[5], &first[5].replace(":00:00+", ":30:00+"), 1);
    let mut body = lines.clone();
    body[1] = &late;
    let got = tampered("late.csv", body.join("\n") + "\n");
    assert!(got.contains(&"template_start".to_string()), "{got:?}");
    assert!(got.contains(&"shift_length".to_string()), "{got:?}");
    // A break moved two hours past its window.
    let (bs, be) = first[8].split_once('/').unwrap();
    let moved = |t: &str| {
        let dt = chrono::DateTime::parse_from_rfc3339(t).unwrap() + chrono::Duration::hours(3);
        dt.to_rfc3339()
    };
    let shifted = lines[1].replacen(first[8], &format!("{}/{}", moved(bs), moved(be)), 1);
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
