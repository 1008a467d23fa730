//! `slaplan init`: the centre it writes validates, plans and keeps its
//! contracts on the phones; it never overwrites a centre already there.
//! Its e-mail contract (90% within four opening hours, per day) found the
//! deferred rows' defect below 100% (`docs/model.md` §6).

use std::fs;

use serde_json::Value;

use crate::support::slaplan;

fn init(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["init", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    slaplan(&args)
}

fn plan(week: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "plan",
        week.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let r = slaplan(&args);
    let p = serde_json::from_str(&fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    (
        r.status.code().unwrap_or(-1),
        p,
        String::from_utf8_lossy(&r.stderr).into_owned(),
    )
}

#[test]
fn init_writes_a_centre_that_validates_plans_and_holds_on_the_phones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("centre");
    let r = init(&dir, &[]);
    assert_eq!(r.status.code(), Some(0));
    let said = String::from_utf8_lossy(&r.stdout);
    for f in ["model.yaml", "week.yaml", "agents.csv", "forecast.csv"] {
        assert!(
            said.contains(&format!("written {}", dir.join(f).display())),
            "{said}"
        );
    }
    let week = dir.join("week.yaml");
    let v = slaplan(&["validate", week.to_str().unwrap()]);
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let (code, p, err) = plan(&week, &dir.join("out"), &[]);
    assert_eq!(code, 0, "{err}");
    let sla = p["sla"].as_array().unwrap();
    let contracts: Vec<&Value> = sla.iter().filter(|s| s["contractual"] == true).collect();
    assert_eq!(contracts.len(), 2, "{sla:?}");
    assert!(contracts.iter().all(|s| s["kept"] == true), "{sla:?}");
    let email = contracts.iter().find(|s| s["queue"] == "email").unwrap();
    assert_eq!(email["scope"], "day", "the contract's own scope: {email}");
    assert_eq!(p["verification"]["holds"], true, "{}", p["verification"]);
    // A second init over it writes nothing; --force replaces the files.
    let model = fs::read(dir.join("model.yaml")).unwrap();
    fs::write(dir.join("model.yaml"), "# mine\n").unwrap();
    let again = init(&dir, &[]);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("model.yaml: exists"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("model.yaml")).unwrap(),
        "# mine\n"
    );
    assert_eq!(init(&dir, &["--force"]).status.code(), Some(0));
    assert_eq!(fs::read(dir.join("model.yaml")).unwrap(), model);
    assert!(fs::read_dir(&dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with(".slaplan")));
}

/// A deferred contract below 100% is kept as the exact evaluation counts
/// it, in each scope: the plan used to promise 90% and deliver 12.5%
/// ("a defect: please report it", exit 1).
#[test]
fn a_deferred_target_below_100_is_kept_by_the_evaluation_in_every_scope() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("centre");
    assert_eq!(init(&dir, &[]).status.code(), Some(0));
    let week = dir.join("week.yaml");
    for scope in [None, Some("interval"), Some("week")] {
        let mut extra = vec!["--no-roster"];
        if let Some(s) = scope {
            extra.extend(["--sla-scope", s]);
        }
        let out = dir.join(format!("out-{}", scope.unwrap_or("own")));
        let (code, p, err) = plan(&week, &out, &extra);
        assert_eq!(code, 0, "{scope:?}: {err}");
        let email = p["sla"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["queue"] == "email" && s["contractual"] == true)
            .cloned()
            .unwrap();
        assert_eq!(email["scope"], scope.unwrap_or("day"), "{email}");
        assert_eq!(email["kept"], true, "{scope:?}: {email}");
        assert!(email["achieved"].as_f64().unwrap() >= 0.9 - 1e-7, "{email}");
    }
}
