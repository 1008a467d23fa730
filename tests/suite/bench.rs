//! `slaplan bench` and `slaplan merge` through the real binary: a run
//! holds against its own baseline, a deliberate regression (a change of
//! the planning MIP's search that makes a plan dearer) is caught and named, shards run as separate
//! processes merge into the whole run, and under a work limit the same
//! roster comes out on one thread and on two, run at the same time.

use std::ffi::OsString;
use std::path::Path;

use serde_json::Value;

use crate::support::{repo, shared_data, slaplan, DataDir};

/// A suite of small weeks (planned without a roster: fractions of a
/// second each) written into `dir`; `rens` on the dearer Amen case (off in
/// the baseline suite).
fn suite(dir: &Path, name: &str, rens: bool) -> std::path::PathBuf {
    let no_rens = !rens;
    let inst = |rel: &str| repo(rel).display().to_string();
    let text = format!(
        "suite: small\nwork_limit: 100\n\
         # Times are not compared here: the tests run side by side.\n\
         tolerances: {{ min_time_s: 1000000 }}\ncases:\n\
         - id: stratus\n  plan: {stratus}\n  roster: false\n\
         - id: amen\n  plan: {amen}\n  roster: false\n\
         - id: amen-dear\n  plan: {amen}\n  roster: false\n  set: {{ outsourcer.price: 9.5 }}\n  no_rens: {no_rens}\n\
         - id: stratus-rostered\n  plan: {stratus}\n",
        stratus = inst("instances/stratus/week-2003-03-03.yaml"),
        amen = inst("instances/amen/strike-week.yaml"),
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `slaplan bench SUITE -o OUT -q` and `extra`.
fn bench(suite: &Path, out: &Path, extra: &[&Path]) -> std::process::Output {
    let mut args = vec![
        std::ffi::OsStr::new("bench"),
        suite.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ];
    args.extend(extra.iter().map(|p| p.as_os_str()));
    slaplan(&args)
}

/// Runs `slaplan` once per argument list, all started before any is
/// waited for (they run side by side); their outputs in order.
fn at_once(runs: Vec<Vec<OsString>>) -> Vec<std::process::Output> {
    let children: Vec<_> = runs
        .into_iter()
        .map(|args| {
            std::process::Command::new(env!("CARGO_BIN_EXE_slaplan"))
                .args(args)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

/// `items` as the arguments of one run.
fn argv<I: IntoIterator<Item = T>, T: Into<OsString>>(items: I) -> Vec<OsString> {
    items.into_iter().map(Into::into).collect()
}

/// The results a run wrote into its folder (`-o DIR`).
fn results(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("bench.json")).unwrap()).unwrap()
}

/// The results without what is measured (times, memory, calibration).
fn decided(mut v: Value) -> Value {
    v["calibration_s"] = Value::Null;
    for c in v["cases"].as_array_mut().unwrap() {
        c["measured"] = Value::Null;
    }
    v
}

#[test]
fn a_run_holds_against_its_baseline_and_a_dearer_search_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let s = suite(dir.path(), "suite.yaml", false);
    let base = dir.path().join("base");
    let out = bench(&s, &base, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let b = results(&base);
    assert_eq!(b["cases"].as_array().unwrap().len(), 4);
    for c in b["cases"].as_array().unwrap() {
        assert_eq!(c["status"], "optimal", "{c}");
        assert!(c["objective"].as_f64().unwrap() > 0.0);
        assert!(c["work"]["simplex_iterations"].as_i64().unwrap() > 0);
    }
    // A dearer outsourcer (9.50 a contact, 7.50 as shipped) costs more.
    assert!(b["cases"][2]["objective"].as_f64() > b["cases"][1]["objective"].as_f64());
    // Unchanged: the same decisions and counters, no regression.
    let again = dir.path().join("again");
    let summary = dir.path().join("summary.md");
    let baseline = base.join("bench.json");
    let out = bench(
        &s,
        &again,
        &[
            "--baseline".as_ref(),
            &baseline,
            "--summary".as_ref(),
            &summary,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(decided(results(&again)), decided(b.clone()));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("No regression in 4 cases"), "{md}");
    // The run's folder holds the same table beside its results.
    let table = std::fs::read_to_string(again.join("bench.md")).unwrap();
    assert!(md.ends_with(&table), "{table}");
    // The dearer Amen week's search changed: with RENS its first plan is
    // already within the MIP's 1% gap and the search stops there, dearer
    // than the full search's under the same work limit (31,545.44 against
    // 31,386.03): caught.
    let worse = suite(dir.path(), "worse.yaml", true);
    let out = bench(
        &worse,
        &dir.path().join("worse"),
        &["--baseline".as_ref(), &baseline],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let table = String::from_utf8_lossy(&out.stdout);
    let row = table
        .lines()
        .find(|l| l.starts_with("| amen-dear |"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        row.contains("REGRESSION") && row.contains("objective"),
        "{row}"
    );
    assert!(table.contains("| stratus | ok |"), "{table}");
    assert!(table.contains("1 of 4 cases regressed"), "{table}");
}

#[test]
fn four_shards_in_separate_processes_merge_into_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = suite(dir.path(), "suite.yaml", false);
    let whole = dir.path().join("whole");
    let out = bench(&s, &whole, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let shards = at_once(
        (1..=4)
            .map(|i| {
                argv([
                    OsString::from("bench"),
                    s.clone().into(),
                    "-o".into(),
                    dir.path().join(format!("shard-{i}")).into(),
                    "--shard".into(),
                    format!("{i}/4").into(),
                    "-q".into(),
                ])
            })
            .collect(),
    );
    for c in shards {
        assert_eq!(c.status.code(), Some(0));
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge".into(), "-o".into(), merged.clone().into_os_string()];
    // The shards' folders, and one shard's results file: both are read.
    args.extend((1..=3).map(|i| dir.path().join(format!("shard-{i}")).into_os_string()));
    args.push(dir.path().join("shard-4/bench.json").into_os_string());
    let out = slaplan(&args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(decided(results(&merged)), decided(results(&whole)));
    // A shard given twice is refused.
    let twice = slaplan(&[
        "merge".as_ref(),
        "-o".as_ref(),
        dir.path().join("bad").as_os_str(),
        dir.path().join("shard-1").as_os_str(),
        dir.path().join("shard-1").as_os_str(),
    ]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("in two of the results"));
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn a_bad_suite_is_refused_with_its_place_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("bad.yaml");
    std::fs::write(
        &s,
        "suite: bad\ncases:\n  - id: a\n    plan: x.yaml\n    wrok_limit: 5\n",
    )
    .unwrap();
    let out_file = dir.path().join("r");
    let out = bench(&s, &out_file, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrok_limit") && err.contains(":5"), "{err}");
    assert!(!out_file.exists());
    // A case that names both a week and a benchmark instance.
    std::fs::write(
        &s,
        "suite: bad\ncases:\n  - id: a\n    plan: x.yaml\n    curtois: Instance1.txt\n",
    )
    .unwrap();
    let out = bench(&s, &out_file, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exactly one of"));
    // A baseline of another suite is refused before any case runs.
    let small = suite(dir.path(), "small.yaml", false);
    let out = bench(
        &small,
        &out_file,
        &["--baseline".as_ref(), &repo("bench/quick-baseline.json")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("of suite 'quick'"));
    assert!(!out_file.exists());
}

/// Under a work limit a centre's plan and roster (the full MIP, then the
/// neighbourhood search, spending exactly the budget) are the same on one
/// thread and on two, the two runs at the same time.
#[test]
fn a_work_limit_gives_the_same_week_on_one_thread_and_two_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let instance = repo("instances/amen/strike-week.yaml");
    let runs = at_once(
        [1, 2]
            .iter()
            .map(|t| {
                argv([
                    OsString::from("plan"),
                    instance.clone().into(),
                    "-o".into(),
                    dir.path().join(format!("t{t}")).into(),
                    "--work-limit".into(),
                    "50".into(),
                    "--threads".into(),
                    t.to_string().into(),
                    "-q".into(),
                ])
            })
            .collect(),
    );
    for c in runs {
        assert_eq!(
            c.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&c.stderr)
        );
    }
    let read = |t: u32, f: &str| std::fs::read(dir.path().join(format!("t{t}")).join(f)).unwrap();
    for f in [
        "roster.csv",
        "shifts.csv",
        "coverage.csv",
        "allocation.csv",
        "routing.csv",
    ] {
        assert_eq!(read(1, f), read(2, f), "{f}");
    }
    let plan = |t: u32| {
        let mut v: Value = serde_json::from_slice(&read(t, "plan.json")).unwrap();
        v["solve_seconds"] = Value::Null;
        v["roster"]["solve_seconds"] = Value::Null;
        v["options"]["threads"] = Value::Null;
        // The verification (on by default) times its rounds too.
        for r in v["verification"]["rounds"].as_array_mut().unwrap() {
            r["seconds"] = Value::Null;
        }
        v
    };
    let one = plan(1);
    assert!(one["verification"]["holds"].is_boolean(), "{one}");
    assert_eq!(one, plan(2));
    assert_eq!(one["options"]["work_limit"], 50);
    assert!(one["roster"]["nodes"].as_i64().unwrap() <= 50, "{one}");
}

/// Under a work limit the roster is the same on one thread and on two,
/// the two runs at the same time (each loads the other's core).
#[test]
fn a_work_limit_gives_the_same_roster_on_one_thread_and_two_under_load() {
    let dir = match shared_data() {
        DataDir::Found(d) => d,
        DataDir::Missing(why) => {
            eprintln!("SKIPPED: {why}");
            return;
        }
        DataDir::Required(why) => panic!("{why}"),
    };
    let instance = dir.join("curtois/Instance1.txt");
    let outs = at_once(
        [1, 2]
            .iter()
            .map(|t| {
                argv([
                    OsString::from("roster"),
                    "--curtois".into(),
                    instance.clone().into(),
                    "--work-limit".into(),
                    "20".into(),
                    "--threads".into(),
                    t.to_string().into(),
                    "--format".into(),
                    "json".into(),
                    "-q".into(),
                ])
            })
            .collect(),
    );
    let mut reports: Vec<Value> = outs
        .iter()
        .map(|o| serde_json::from_slice(&o.stdout).unwrap())
        .collect();
    for r in &mut reports {
        assert_eq!(r["solve"]["nodes"], 20, "the budget is spent exactly: {r}");
        r["solve"]["solve_seconds"] = Value::Null;
    }
    assert_eq!(reports[0], reports[1]);
}

/// `slaplan compare --shard I/N` in four processes, joined by `--merge`:
/// the same table, CSV and HTML as one run, and the same compare.json but
/// for the measured seconds; a missing shard is refused.
#[test]
fn four_compare_shards_merge_into_the_whole_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let instance = repo("instances/amen/strike-week.yaml");
    let common = |out: &Path| -> Vec<std::ffi::OsString> {
        let mut a: Vec<std::ffi::OsString> = vec!["compare".into(), instance.clone().into()];
        for s in [
            "--sweep",
            "outsourcer.price=6..9:1",
            "--no-roster",
            "--work-limit",
            "100",
            "-q",
            "-o",
        ] {
            a.push(s.into());
        }
        a.push(out.into());
        a
    };
    let whole = dir.path().join("whole");
    let one = slaplan(&common(&whole));
    assert_eq!(one.status.code(), Some(0), "{one:?}");
    let shards = at_once(
        (1..=4)
            .map(|i| {
                let mut a = common(&dir.path().join(format!("s{i}")));
                a.extend(argv(["--shard".to_string(), format!("{i}/4")]));
                a
            })
            .collect(),
    );
    for c in shards {
        assert!(c.status.success());
    }
    let merged = dir.path().join("merged");
    let mut args = common(&merged);
    args.push("--merge".into());
    args.extend((1..=4).map(|i| dir.path().join(format!("s{i}")).into_os_string()));
    let joined = slaplan(&args);
    assert_eq!(joined.status.code(), Some(0), "{joined:?}");
    assert_eq!(joined.stdout, one.stdout);
    for f in ["compare.csv", "compare.html"] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    let without_seconds = |p: &Path| {
        let mut v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        for r in v["scenarios"].as_array_mut().unwrap() {
            r["solve_seconds"] = Value::Null;
        }
        v
    };
    let w = without_seconds(&whole.join("compare.json"));
    assert_eq!(w, without_seconds(&merged.join("compare.json")));
    assert_eq!(w["scenarios"].as_array().unwrap().len(), 4);
    assert!(w["cheapest"].is_object(), "{w}");
    // Three of four shards: refused, nothing written.
    let short = dir.path().join("short");
    let mut args = common(&short);
    args.push("--merge".into());
    args.extend((1..=3).map(|i| dir.path().join(format!("s{i}")).into_os_string()));
    let out = slaplan(&args);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("in none of the shards given"));
    assert!(!short.join("compare.json").exists());
}
