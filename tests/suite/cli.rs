//! `slaplan erlang` driven as a planner drives it: the real binary, its
//! exit codes, its JSON/CSV/table output and its messages on bad input.

use serde_json::Value;
use slaplan::queueing::staffing::ServiceTarget;
use slaplan::queueing::{erlang_b, QueueModel, Targets};

use crate::support::{repo, slaplan};

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = slaplan(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

const WORKED: &[&str] = &[
    "erlang",
    "--calls",
    "360",
    "--per",
    "30m",
    "--aht",
    "240s",
    "--answer-within",
    "20s",
    "--target",
    "0.8",
];

fn row(report: &Value, agents: u64) -> &Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agents"].as_u64() == Some(agents))
        .unwrap_or_else(|| panic!("no row for {agents} agents"))
}

#[test]
fn worked_example_matches_the_published_erlang_c_example() {
    // 360 calls / 30 min, AHT 4 min: 48 Erlangs; the published worked
    // example gives 54 agents (81.7%) and, at 55 agents, P(wait) 0.2387,
    // SL 0.8668, ASA 8.184 s.
    let r = json(WORKED);
    assert_eq!(r["model"], "erlang_c");
    assert!((r["load_erlangs"].as_f64().unwrap() - 48.0).abs() < 1e-12);
    assert_eq!(r["required_agents"], 54);
    assert_eq!(r["binding"], serde_json::json!(["service_level"]));
    let at55 = row(&r, 55);
    assert!((at55["prob_wait"].as_f64().unwrap() - 0.23870).abs() < 1e-5);
    assert!((at55["service_level"].as_f64().unwrap() - 0.8668).abs() < 1e-4);
    assert!((at55["asa_s"].as_f64().unwrap() - 8.184).abs() < 1e-3);
    assert!((row(&r, 54)["service_level"].as_f64().unwrap() - 0.817).abs() < 5e-4);
    assert!(at55["prob_abandon"].is_null());
    // Default rows: three either side of the requirement.
    let agents: Vec<u64> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["agents"].as_u64().unwrap())
        .collect();
    assert_eq!(agents, (51..=57).collect::<Vec<_>>());
}

#[test]
fn shrinkage_is_applied_exactly() {
    // Find a load whose requirement is 21 agents, then 30% shrinkage must
    // schedule 30 (21 / 0.7 = 30 exactly; floating point says 30.000…04).
    let targets = Targets {
        service_level: Some(ServiceTarget {
            share: 0.8,
            answer_within_s: 20.0,
        }),
        ..Targets::default()
    };
    let load = (100..400)
        .map(|tenths| f64::from(tenths) / 10.0)
        .find(|&a| {
            QueueModel::new(a, 300.0, None)
                .unwrap()
                .required(&targets)
                .unwrap()
                .agents
                == 21
        })
        .expect("a load needing 21 agents");
    let load = load.to_string();
    let r = json(&[
        "erlang",
        "--load",
        &load,
        "--aht",
        "300s",
        "--target",
        "80%",
        "--shrinkage",
        "0.3",
    ]);
    assert_eq!(r["required_agents"], 21);
    assert_eq!(r["scheduled_agents"], 30);
}

#[test]
fn patience_switches_to_erlang_a() {
    // pyworkforce's exact birth-death values: 10 Erlangs, 14 agents,
    // AHT 180 s, patience 300 s, 20 s threshold.
    let r = json(&[
        "erlang",
        "--load",
        "10",
        "--aht",
        "3m",
        "--patience",
        "5m",
        "--agents",
        "14",
        "--answer-within",
        "20s",
    ]);
    assert_eq!(r["model"], "erlang_a");
    assert!(r["required_agents"].is_null());
    let at14 = row(&r, 14);
    assert!((at14["prob_abandon"].as_f64().unwrap() - 0.013983744).abs() < 1e-9);
    assert!((at14["service_level"].as_f64().unwrap() - 0.91679209).abs() < 1e-8);
    assert!((at14["asa_s"].as_f64().unwrap() - 4.19512326).abs() < 1e-6);
}

#[test]
fn unstable_rows_say_so() {
    let r = json(&["erlang", "--load", "10", "--aht", "3m", "--agents", "9..11"]);
    let at10 = row(&r, 10);
    assert_eq!(at10["stable"], false);
    assert!(at10["asa_s"].is_null());
    assert_eq!(at10["service_level"].as_f64(), Some(0.0));
    assert_eq!(row(&r, 11)["stable"], true);
}

#[test]
fn trunk_blocking_uses_line_holding_load() {
    let r = json(&[WORKED, &["--trunks", "60"]].concat());
    let t = &r["trunks"];
    assert_eq!(t["lines"], 60);
    let offered = t["offered_erlangs"].as_f64().unwrap();
    // Lines are held while talking (48 Erlangs) and while waiting (ASA).
    let asa = row(&r, 54)["asa_s"].as_f64().unwrap();
    assert!((offered - (48.0 + 0.2 * asa)).abs() < 1e-9);
    let expected = erlang_b::blocking(offered, 60);
    assert!((t["blocking"].as_f64().unwrap() - expected).abs() < 1e-15);
    assert!(expected > 0.01 && expected < 0.1, "{expected}");
}

#[test]
fn csv_and_table_formats() {
    let out = slaplan(&[WORKED, &["--format", "csv", "--agents", "50..60"]].concat());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("agents,stable,prob_wait,service_level,asa_s,occupancy,prob_abandon")
    );
    assert_eq!(lines.count(), 11);

    let out = slaplan(WORKED);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("required agents: 54 (set by service level)"),
        "{text}"
    );
    assert!(text.contains("86.68%"), "{text}");
}

#[test]
fn same_input_same_bytes() {
    let args = [
        WORKED,
        &["--patience", "4m", "--format", "json", "--trunks", "70"],
    ]
    .concat();
    let a = slaplan(&args);
    let b = slaplan(&args);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

/// Bad input: exit 2, nothing on stdout, a message naming the flag.
fn rejects(args: &[&str], flag: &str, words: &str) {
    let out = slaplan(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    assert!(err.contains(flag), "{args:?}: '{err}' does not name {flag}");
    assert!(
        err.contains(words),
        "{args:?}: '{err}' does not say '{words}'"
    );
}

#[test]
fn bad_values_exit_2_naming_the_flag() {
    let base = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["erlang", "--load", "10"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let check = |extra: &[&str], flag: &str, words: &str| {
        let args = base(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        rejects(&refs, flag, words);
    };
    check(&["--aht", "-5s", "--target", "0.8"], "--aht", "negative");
    check(
        &["--aht", "0s", "--target", "0.8"],
        "--aht",
        "longer than zero",
    );
    check(&["--aht", "5d", "--target", "0.8"], "--aht", "unknown unit");
    check(&["--aht", "180", "--target", "0.8"], "--aht", "no unit");
    check(
        &["--aht", "3m", "--target", "1.5"],
        "--target",
        "between 0 and 1",
    );
    check(
        &["--aht", "3m", "--target", "0"],
        "--target",
        "between 0 and 1",
    );
    check(&["--aht", "3m", "--target", "100%"], "--target", "100%");
    check(
        &["--aht", "3m", "--max-abandon", "5%"],
        "--max-abandon",
        "--patience",
    );
    check(
        &["--aht", "3m", "--target", "0.8", "--shrinkage", "1"],
        "--shrinkage",
        "share",
    );
    check(
        &["--aht", "3m", "--target", "0.8", "--agents", "9..x"],
        "--agents",
        "range",
    );
    check(&["--aht", "3m"], "--target", "give a target");
    check(&["--target", "0.8"], "--aht", "required");
    rejects(
        &["erlang", "--aht", "3m", "--target", "0.8"],
        "--calls",
        "required",
    );
    rejects(
        &[
            "erlang", "--calls", "-3", "--per", "30m", "--aht", "3m", "--target", "0.8",
        ],
        "--calls",
        "≥ 0",
    );
}

/// Every subcommand's `--help` ends with examples and its exit codes;
/// each example parses (its flags and values exist: clap refuses an
/// unknown one before `--help` prints) and names files that exist.
/// `generate-history -o DIR` writes `DIR/history.csv`: the shipped
/// history, byte for byte, beside what the folder held.
#[test]
fn generate_history_writes_history_csv_into_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let run = slaplan(&[
        "generate-history",
        repo("instances/amen/history.yaml").to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert_eq!(
        std::fs::read(dir.path().join("history.csv")).unwrap(),
        std::fs::read(repo("instances/amen/history.csv")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn every_help_has_examples_that_parse_and_exit_codes() {
    let commands = [
        "init",
        "erlang",
        "validate",
        "forecast",
        "staff",
        "plan",
        "report",
        "compare",
        "headcount",
        "check",
        "simulate",
        "roster",
        "bench",
        "merge",
        "generate-history",
    ];
    for c in commands {
        let help = slaplan(&[c, "--help"]);
        let text = String::from_utf8_lossy(&help.stdout).into_owned();
        assert!(text.contains("\nExamples:\n"), "{c}: {text}");
        let codes = &text[text
            .find("\nExit codes:\n")
            .unwrap_or_else(|| panic!("{c}: {text}"))..];
        for code in ["0  ", "2  "] {
            assert!(
                codes.contains(&format!("\n  {code}")),
                "{c}: exit {code}: {codes}"
            );
        }
        // One grammar: `-o` is a folder wherever it exists.
        if text.contains("--output") {
            assert!(text.contains("-o, --output <DIR>"), "{c}: {text}");
        }
        let examples: Vec<&str> = text
            .lines()
            .skip_while(|l| *l != "Examples:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(!examples.is_empty(), "{c}");
        for e in examples {
            let words: Vec<&str> = e.split_whitespace().collect();
            assert_eq!(words[..2], ["slaplan", c], "{e}");
            let mut args: Vec<&str> = words[1..].to_vec();
            args.push("--help");
            let run = slaplan(&args);
            assert_eq!(
                run.status.code(),
                Some(0),
                "{e}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            for w in &words[2..] {
                let input = (w.starts_with("instances/")
                    || w.starts_with("models/")
                    || w.starts_with("bench/"))
                    && w.contains('.');
                if input {
                    assert!(repo(w).exists(), "{e}: {w} does not exist");
                }
            }
        }
    }
}

/// Whether a CSV column names its unit (docs/formats.md, "Outputs"): an
/// identifier, a time or a flag, or a figure whose name carries its unit.
fn names_its_unit(column: &str) -> bool {
    const NOT_FIGURES: [&str; 36] = [
        "queue",
        "queues",
        "interval_start",
        "repeated_hour",
        "open",
        "scope",
        "period",
        "verdict",
        "breaks",
        "shift_edges",
        "group",
        "skill_group",
        "day",
        "date",
        "template",
        "start",
        "end",
        "agent",
        "name",
        "utc_offset",
        "end_utc_offset",
        "kind",
        "server",
        "scenario",
        "overrides",
        "value",
        "status",
        "currency",
        "sla_kept",
        "acceptable",
        "verified",
        "contractual",
        "kept",
        "holds",
        "employee",
        "shift",
    ];
    const UNITS: [&str; 12] = [
        "share", "pct", "s", "h", "hours", "contacts", "agents", "erlangs", "shifts", "fte",
        "cost", "periods",
    ];
    NOT_FIGURES.contains(&column) || column.split('_').any(|t| UNITS.contains(&t))
}

/// Issue 25: SL was a fraction in the CSVs and a percentage elsewhere,
/// with no unit in any header. Every CSV the commands write names the
/// unit of each figure it holds.
#[test]
fn every_csv_header_names_its_units() {
    let dir = tempfile::tempdir().unwrap();
    let week = repo("instances/amen/strike-week.yaml");
    let week = week.to_str().unwrap();
    let out = dir.path().to_str().unwrap();
    for args in [
        vec!["plan", week, "-o", out, "--simulate", "-q"],
        vec!["staff", week, "-o", out],
        vec!["forecast", week, "-o", out],
    ] {
        let run = slaplan(&args);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {run:?}");
    }
    let contracts = slaplan(&["plan", week, "-o", out, "--format", "csv", "-q"]);
    let mut headers = vec![(
        "plan --format csv".to_string(),
        String::from_utf8_lossy(&contracts.stdout)
            .lines()
            .next()
            .unwrap()
            .to_string(),
    )];
    let mut files = 0;
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "csv") {
            files += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            headers.push((
                path.display().to_string(),
                text.lines().next().unwrap().to_string(),
            ));
        }
    }
    // coverage, shifts, allocation, roster, simulation, requirements, forecast.
    assert!(files >= 7, "{headers:?}");
    for (file, header) in &headers {
        for column in header.split(',') {
            assert!(
                names_its_unit(column),
                "{file}: column '{column}' has no unit"
            );
        }
    }
    // A history's `aht`, as ACD exports name it, is read as the forecast's
    // `aht_s` is.
    assert!(!names_its_unit("projected_sl") && !names_its_unit("aht"));
}
