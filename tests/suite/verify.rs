//! Plans verified by simulation (`docs/model.md`, "Verified by
//! simulation") on `tests/fixtures/plan/pooling.yaml`: desk agents take
//! short calls first and 15-minute technical calls when idle, so the plan
//! the queueing tables make misses the short calls' contract on the
//! phones. The unverified plan must fail in simulation, the verified one
//! hold — in its own replays and in an independent `slaplan simulate`
//! with another seed — and the same options must give the same files.

use std::process::Command;

use serde_json::Value;

use crate::support::{repo, slaplan};

fn fixture() -> std::path::PathBuf {
    repo("tests/fixtures/plan/pooling.yaml")
}

fn plan(dir: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    plan_of(&fixture(), dir, extra)
}

/// `slaplan plan FX -o DIR -q EXTRA…`: its exit code and plan.json.
fn plan_of(fx: &std::path::Path, dir: &std::path::Path, extra: &[&str]) -> (i32, Value) {
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
    let (code, p) = plan(&raw, &["--simulate", "--no-verify"]);
    assert_eq!(code, 0, "{p}");
    assert!(p["verification"].is_null());
    // plan.json says the plan is the tables' word only.
    assert!(
        p["unverified"].as_str().unwrap().contains("not asked"),
        "{p}"
    );
    let raw_cost = p["cost"]["total"].as_f64().unwrap();
    let quick = &p["sla"].as_array().unwrap()[0];
    assert_eq!(quick["queue"], "quick");
    assert!(quick["kept"].as_bool().unwrap(), "{quick}");
    let sim = contract(&p["simulation"]["contracts"], "quick");
    assert_eq!(sim["holds"], false, "{sim}");
    assert!(sim["worst_high"].as_f64().unwrap() < 0.9, "{sim}");
    // The report says the promise is the tables' only.
    let report = std::fs::read_to_string(raw.join("report.html")).unwrap();
    assert!(
        report.contains("Not verified by simulation: verification by simulation not asked for"),
        "{report}"
    );

    // Verified (the default): the kept round holds. Round 0 is already
    // the plan with the desk kept on its first queue; judged by the guard
    // at 30 replications it may fail by a hair, and the second look at
    // 120 decides (docs/model.md, "Verified by simulation").
    let verified = tmp.path().join("verified");
    let (code, p) = plan(&verified, &[]);
    assert_eq!(code, 0, "{p}");
    assert!(p["unverified"].is_null(), "{p}");
    let v = &p["verification"];
    assert_eq!(v["holds"], true, "{v}");
    let rounds = v["rounds"].as_array().unwrap();
    let kept = &rounds[v["chosen"].as_u64().unwrap() as usize];
    assert!(contract(&kept["verdicts"], "quick")["holds"]
        .as_bool()
        .unwrap());
    // Keeping the desk on quick costs more than the tables' pooled plan
    // (round 0); the rounds after it credit what the replay over-serves
    // (tech's days, planned by conservative chords), and one is kept only
    // if it holds and costs less.
    let first = rounds[0]["cost"].as_f64().unwrap();
    assert!(first > raw_cost, "{v}");
    let cost = p["cost"]["total"].as_f64().unwrap();
    assert_eq!(kept["cost"], p["cost"]["total"]);
    assert!(cost <= first, "{v}");
    for r in &rounds[1..] {
        assert_eq!(r["relaxed"], true, "{v}");
    }
    // The desk agents answer quick questions only (the technicians' queue
    // has its own group): routing.csv sets their secondary skill off.
    assert_eq!(v["dedicated"], serde_json::json!(["desk"]), "{v}");
    assert_eq!(v["dedicated_failed"], false);
    // The report opens on the verdicts against the targets.
    let report = std::fs::read_to_string(verified.join("report.html")).unwrap();
    assert!(
        report.contains("Every contract holds when the roster is replayed call by call"),
        "{report}"
    );
    assert!(!report.contains("Not verified"));
    let routing = std::fs::read_to_string(verified.join("routing.csv")).unwrap();
    assert!(routing.contains("desk,quick;tech,never"), "{routing}");

    // An independent replay, simulate's own seed and the routing written
    // beside the roster: every contract holds.
    let contracts = independent_replay(&fixture(), &verified, v);
    assert_eq!(contracts.len(), 2);
}

/// `slaplan simulate FX DIR/roster.csv` (its own seed, not the
/// verification's `v["seed"]`; the routing written beside the roster):
/// every contract holds. Returns the contracts' verdicts.
fn independent_replay(fx: &std::path::Path, dir: &std::path::Path, v: &Value) -> Vec<Value> {
    let roster = dir.join("roster.csv");
    let sim_dir = dir.with_extension("sim");
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
    let contracts = s["contracts"].as_array().unwrap().clone();
    for c in &contracts {
        assert_eq!(c["holds"], true, "{c}");
    }
    contracts
}

#[test]
fn a_verified_plan_is_the_same_bytes_run_to_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    // `--verify`, from when verification was asked for, is the default.
    let (ca, pa) = plan(&a, &["--threads", "1"]);
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

/// Stratus's week with its deferred contracts counted when the work is
/// done (`handled_within`) instead of when an engineer takes it up (the
/// shipped `responded_within`), in `dir`: the instance's path.
fn stratus_counted_when_done(dir: &std::path::Path) -> std::path::PathBuf {
    let model = std::fs::read_to_string(repo("models/stratus.yaml")).unwrap();
    assert_eq!(model.matches("responded_within:").count(), 2);
    std::fs::write(
        dir.join("model.yaml"),
        model.replace("responded_within:", "handled_within:"),
    )
    .unwrap();
    let src = repo("instances/stratus");
    std::fs::write(
        dir.join("week.yaml"),
        format!(
            "model: model.yaml\nweek_start: 2003-03-03\ndemand:\n  history: {}\nagents: {}\n",
            src.join("history.csv").display(),
            src.join("agents.csv").display()
        ),
    )
    .unwrap();
    dir.join("week.yaml")
}

/// Counted when done, Stratus's alerts promise 99% handled within an
/// hour of half-hour handlings: no staffing reaches it (docs/model.md,
/// "Verified by simulation", the ceiling). `plan` says so in those words,
/// exits 1, and spends no correction on it.
#[test]
fn a_contract_no_staffing_can_reach_is_explained_not_corrected() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = stratus_counted_when_done(tmp.path());
    let dir = tmp.path().join("stratus");
    let out = slaplan(&[
        "plan".as_ref(),
        inst.as_os_str(),
        "-o".as_ref(),
        dir.as_os_str(),
        "-q".as_ref(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let p: Value = serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
    let v = &p["verification"];
    assert_eq!(v["holds"], false);
    let rounds = v["rounds"].as_array().unwrap();
    let alerts = contract(&rounds[0]["verdicts"], "alerts");
    let top = alerts["ceiling"].as_f64().unwrap();
    // An hour after each alert arrives (the calendar clock), exponential
    // handling of mean 30 minutes: about 1 − e^-2 = 86.5%, less where the
    // forecast AHT runs longer.
    assert!(top > 0.8 && top < 0.87, "{alerts}");
    assert!(
        alerts["worst_sl"].as_f64().unwrap() <= top + 0.05,
        "{alerts}"
    );
    // The hotline (voice) has no ceiling.
    assert!(contract(&rounds[0]["verdicts"], "hotline")["ceiling"].is_null());
    // No correction is spent on it: no round plans the alerts earlier, and
    // the rounds stop once nothing the corrections reach fails (the site
    // visits may take one, the hotline's routing another: with the
    // engineers' visit blocks first, the hotline is short at round 1 by
    // about an agent on the Friday).
    for r in rounds {
        let margins = r["deadline_margins"].as_array().unwrap();
        assert!(margins.iter().all(|m| m["queue"] != "alerts"), "{v}");
    }
    assert!(rounds.len() <= 3, "{v}");
    assert_eq!(v["stopped"], "nothing the corrections reach fails", "{v}");
    assert!(
        err.contains("alerts") && err.contains("no staffing can reach 100%"),
        "{err}"
    );
    // The report shows it red, with what is reachable at best.
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        report.contains("this plan does not deliver what it promises")
            && report.contains("<td class=\"bad\">FAILS</td>")
            && report.contains("best reachable"),
        "{report}"
    );
}

#[test]
fn the_forecast_error_option_is_checked_against_the_instance() {
    let tmp = tempfile::tempdir().unwrap();
    // The fixture gives its forecast: no backtest to measure the error.
    for (value, says) in [("backtest", "needs a history"), ("2", "from 0 to 1")] {
        let dir = tmp.path().join(value);
        let fx = fixture();
        let out = slaplan(&[
            "plan".as_ref(),
            fx.as_os_str(),
            "-o".as_ref(),
            dir.as_os_str(),
            "--forecast-error".as_ref(),
            value.as_ref(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("--forecast-error") && err.contains(says),
            "{err}"
        );
        assert!(!dir.exists());
    }
    // A given CV: the verification records it, and the plan holds.
    let dir = tmp.path().join("cv");
    let (code, p) = plan(&dir, &["--forecast-error", "0.05"]);
    assert_eq!(code, 0, "{p}");
    assert_eq!(
        p["verification"]["forecast_error"], "quick 0.050, tech 0.050",
        "{p}"
    );
}

/// The verification's rounds live within `--time-limit`, counted from the
/// command's start: Amen's strike week needs two corrections (round 0
/// misses sales on the phones); with a budget its first plan alone spends,
/// the first plan stands, no correction starts, and `stopped` says why.
#[test]
fn corrections_start_only_while_the_time_budget_lasts() {
    let amen = repo("instances/amen/strike-week.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let run = |dir: &std::path::Path, extra: &[&str]| -> (i32, Value) {
        let out = Command::new(env!("CARGO_BIN_EXE_slaplan"))
            .arg("plan")
            .arg(&amen)
            .arg("-o")
            .arg(dir)
            .args(extra)
            .output()
            .unwrap();
        let p = serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
        (out.status.code().unwrap(), p)
    };
    let (code, p) = run(&tmp.path().join("ample"), &[]);
    assert_eq!(code, 0, "{}", p["verification"]);
    let v = &p["verification"];
    let rounds = v["rounds"].as_array().unwrap();
    assert!(rounds.len() > 1, "{v}");
    assert_eq!(v["holds"], true, "{v}");
    // Round 1 corrects round 0's misses; any round after it credits the
    // pooling gain of a week that holds.
    assert_eq!(rounds[1]["relaxed"], false, "{v}");
    assert!(!v["stopped"]
        .as_str()
        .unwrap()
        .starts_with("the time budget"));

    let (code, p) = run(&tmp.path().join("short"), &["--time-limit", "0.3"]);
    let v = &p["verification"];
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["rounds"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["holds"], false);
    let stopped = v["stopped"].as_str().unwrap();
    assert!(
        stopped.starts_with("the time budget is spent") && stopped.contains("--time-limit 0.3 s"),
        "{stopped}"
    );
}

/// One desk answers two queues (`tests/fixtures/plan/gain.yaml`): the
/// tables staff each as if the desk's time were split in fixed fractions
/// (8 + 8 agents), while on the phones 16 agents form one pool and both
/// queues are served far above target. The verification plans again with
/// the pooling gain credited (docs/model.md, "Verified by simulation",
/// the other direction): the week costs less, and still holds in its own
/// replay and in an independent one.
#[test]
fn correction_removes_over_staffing_where_pooling_over_serves() {
    let fx = repo("tests/fixtures/plan/gain.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let (code, raw) = plan_of(&fx, &tmp.path().join("raw"), &["--no-verify"]);
    assert_eq!(code, 0, "{raw}");
    let raw_cost = raw["cost"]["total"].as_f64().unwrap();

    let dir = tmp.path().join("verified");
    let (code, p) = plan_of(&fx, &dir, &[]);
    let v = &p["verification"];
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["holds"], true, "{v}");
    // The desk cannot be kept on orders: billing has no other group.
    assert_eq!(v["dedicated"], serde_json::json!([]), "{v}");
    let rounds = v["rounds"].as_array().unwrap();
    // Round 0 is the tables' plan, and it holds with room to spare.
    assert_eq!(rounds[0]["relaxed"], false);
    assert_eq!(rounds[0]["holds"], true, "{v}");
    assert_eq!(rounds[0]["cost"], raw["cost"]["total"]);
    for c in rounds[0]["verdicts"].as_array().unwrap() {
        assert!(c["worst_low"].as_f64().unwrap() > 0.85, "{c}");
    }
    // The round kept credits the gain, holds, and costs at least one
    // agent's week (40 h at 20.00) less.
    let k = v["chosen"].as_u64().unwrap() as usize;
    assert!(k > 0, "{v}");
    let kept = &rounds[k];
    assert_eq!(kept["relaxed"], true, "{v}");
    assert_eq!(kept["holds"], true, "{v}");
    let cost = p["cost"]["total"].as_f64().unwrap();
    assert_eq!(kept["cost"], p["cost"]["total"]);
    assert!(cost <= raw_cost - 800.0 + 1e-6, "{cost} against {raw_cost}");
    // The calibration written for check carries the credit.
    let allocation = std::fs::read_to_string(dir.join("allocation.csv")).unwrap();
    assert!(
        allocation.lines().any(|l| l.starts_with("calibration,")
            && l.rsplit(',').nth(1).unwrap().parse::<f64>().unwrap() > 0.0),
        "{allocation}"
    );

    // An independent replay (simulate's own seed): both contracts hold.
    assert_eq!(independent_replay(&fx, &dir, v).len(), 2);
}

/// Stratus as shipped counts its alerts (1 h) and interventions (4 h) by
/// the first response, as the contracts say (`responded_within`): every
/// contract reachable (ceiling 100%), the week verified, exit 0; and an
/// independent replay with another seed finds every alert and
/// intervention taken up in time. A week that holds with 100% contracts
/// is accepted only on a replay four times as long (at 100% the 95%
/// interval has no width to judge by).
#[test]
fn first_response_contracts_are_reachable_and_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = repo("instances/stratus/week-2003-03-03.yaml");
    let dir = tmp.path().join("stratus");
    let (code, p) = plan_of(&inst, &dir, &[]);
    assert_eq!(code, 0, "{}", p["verification"]);
    let rounds = p["verification"]["rounds"].as_array().unwrap();
    let chosen = p["verification"]["chosen"].as_u64().expect("a round kept") as usize;
    let kept = &rounds[chosen];
    for q in ["alerts", "interventions"] {
        let c = contract(&kept["verdicts"], q);
        assert_eq!(c["ceiling"].as_f64(), Some(1.0), "{c}");
        assert_eq!(c["holds"], true, "{c}");
    }
    let replications = p["verification"]["replications"].as_u64().unwrap();
    assert!(
        kept["replays"].as_u64().unwrap() >= replications * 5,
        "30 replications, then at least 120 to confirm the 100% contracts: {kept}"
    );
    let out = slaplan(&[
        "simulate".as_ref(),
        inst.as_os_str(),
        dir.join("roster.csv").as_os_str(),
        "--seed".as_ref(),
        "23".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sim: Value = serde_json::from_slice(&out.stdout).unwrap();
    for q in ["alerts", "interventions"] {
        let c = contract(&sim["contracts"], q);
        assert_eq!(c["holds"], true, "{c}");
    }
}

/// Amen's strike week with the provider at 18.50 and the support misses
/// priced at 5.00: the dedicated routing's rounds keep a week far dearer
/// than the pooled routing's LP bound, so the pooled routing gets rounds
/// of its own, and the week kept is theirs — cheaper than every dedicated
/// round that held, and holding.
#[test]
fn the_pooled_routing_gets_its_own_rounds_when_the_dedicated_week_is_far_dearer() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = repo("instances/amen/strike-week.yaml");
    let dir = tmp.path().join("amen");
    let (code, p) = plan_of(
        &inst,
        &dir,
        &[
            "--set",
            "outsourcer.provider.price=18.50",
            "--set",
            "sla.support.penalty=5.00",
            "--verify-rounds",
            "1",
        ],
    );
    let v = &p["verification"];
    assert_eq!(code, 0, "{v}");
    let from = v["pooled_from"]
        .as_u64()
        .expect("the pooled routing's rounds") as usize;
    let rounds = v["rounds"].as_array().unwrap();
    assert!(from >= 1 && from < rounds.len(), "{v}");
    // The dedicated rounds route the three cells on their first queue.
    let never = |r: &Value| {
        r["routing"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["secondary_delay_s"].is_null())
    };
    assert!(rounds[..from].iter().all(never), "{v}");
    assert!(!never(&rounds[from]), "{v}");
    let chosen = v["chosen"].as_u64().unwrap() as usize;
    assert!(chosen >= from, "the pooled routing's week is kept: {v}");
    let kept = rounds[chosen]["cost"].as_f64().unwrap();
    assert_eq!(v["holds"], true, "{v}");
    for r in rounds[..from].iter().filter(|r| r["holds"] == true) {
        assert!(
            kept < 0.9 * r["cost"].as_f64().unwrap(),
            "kept {kept} against a dedicated round that held: {r}"
        );
    }
}
