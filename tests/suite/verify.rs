//! Plans verified by simulation (`docs/model.md`, "Verified by
//! simulation") on `tests/fixtures/plan/pooling.yaml`: desk agents take
//! short calls first and 15-minute technical calls when idle, so the plan
//! the queueing tables make misses the short calls' contract on the
//! phones. The unverified plan must fail in simulation, the verified one
//! hold — in its own replays and in an independent `slaplan simulate`
//! with another seed — and the same options must give the same files.

use serde_json::Value;

use crate::support::{repo, slaplan};

fn fixture() -> std::path::PathBuf {
    repo("tests/fixtures/plan/pooling.yaml")
}

fn plan(dir: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let fx = fixture();
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "plan".as_ref(),
        fx.as_os_str(),
        "-o".as_ref(),
        dir.as_os_str(),
        "-q".as_ref(),
    ];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    let out = slaplan(&args);
    let json = serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
    (out.status.code().unwrap_or(-1), json)
}

/// The contract of `queue` in a list of verdicts.
fn contract<'a>(verdicts: &'a Value, queue: &str) -> &'a Value {
    verdicts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["queue"] == queue)
        .unwrap_or_else(|| panic!("no verdict for {queue}: {verdicts}"))
}

#[test]
fn the_tables_plan_misses_on_the_phones_and_the_verified_plan_holds() {
    let tmp = tempfile::tempdir().unwrap();
    // Unverified: the projection keeps 90% in 10 s; the replay does not.
    let raw = tmp.path().join("raw");
    let (code, p) = plan(&raw, &["--simulate"]);
    assert_eq!(code, 0, "{p}");
    assert!(p["verification"].is_null());
    let quick = &p["sla"].as_array().unwrap()[0];
    assert_eq!(quick["queue"], "quick");
    assert!(quick["kept"].as_bool().unwrap(), "{quick}");
    let sim = contract(&p["simulation"]["contracts"], "quick");
    assert_eq!(sim["holds"], false, "{sim}");
    assert!(sim["worst_high"].as_f64().unwrap() < 0.9, "{sim}");

    // Verified: round 0 is that plan and fails; the kept round holds.
    let verified = tmp.path().join("verified");
    let (code, p) = plan(&verified, &["--verify"]);
    assert_eq!(code, 0, "{p}");
    let v = &p["verification"];
    assert_eq!(v["holds"], true, "{v}");
    let rounds = v["rounds"].as_array().unwrap();
    assert_eq!(rounds[0]["holds"], false, "{v}");
    let kept = &rounds[v["chosen"].as_u64().unwrap() as usize];
    assert!(contract(&kept["verdicts"], "quick")["holds"]
        .as_bool()
        .unwrap());
    // Holding costs more than the plan that does not.
    assert!(kept["cost"].as_f64().unwrap() > rounds[0]["cost"].as_f64().unwrap());
    // The desk agents answer quick questions only (the technicians' queue
    // has its own group): routing.csv sets their secondary skill off.
    assert_eq!(v["dedicated"], serde_json::json!(["desk"]), "{v}");
    assert_eq!(v["dedicated_failed"], false);
    let routing = std::fs::read_to_string(verified.join("routing.csv")).unwrap();
    assert!(routing.contains("desk,quick;tech,never"), "{routing}");

    // An independent replay, simulate's own seed and the routing written
    // beside the roster: every contract holds.
    let roster = verified.join("roster.csv");
    let sim_dir = tmp.path().join("sim");
    let fx = fixture();
    let out = slaplan(&[
        "simulate".as_ref(),
        fx.as_os_str(),
        roster.as_os_str(),
        "-o".as_ref(),
        sim_dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let s: Value =
        serde_json::from_slice(&std::fs::read(sim_dir.join("simulation.json")).unwrap()).unwrap();
    assert_ne!(s["seed"], v["seed"]);
    for c in s["contracts"].as_array().unwrap() {
        assert_eq!(c["holds"], true, "{c}");
    }
}

#[test]
fn a_verified_plan_is_the_same_bytes_run_to_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (ca, pa) = plan(&a, &["--verify", "--threads", "1"]);
    let (cb, pb) = plan(&b, &["--verify", "--threads", "1"]);
    assert_eq!((ca, cb), (0, 0));
    for f in [
        "roster.csv",
        "allocation.csv",
        "routing.csv",
        "coverage.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    // plan.json less its clocks.
    let strip = |mut p: Value| {
        p["solve_seconds"] = Value::Null;
        p["roster"]["solve_seconds"] = Value::Null;
        for r in p["verification"]["rounds"].as_array_mut().unwrap() {
            r["seconds"] = Value::Null;
        }
        p
    };
    assert_eq!(strip(pa), strip(pb));
}
