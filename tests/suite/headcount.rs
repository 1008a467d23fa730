//! Headcount as a decision over a horizon (`slaplan headcount`, issue 27):
//! the shipped Internet Telecom quarter under its scenario file, the
//! decision's books balanced week by week, growth compounding on the
//! forecast, and a policy outside its bounds refused. The decision's own
//! rules (lead time, training, notice, the break-even on both sides) are
//! unit-tested in `src/finance/headcount.rs`.

use std::fs;

use serde_json::Value;

use crate::horizon::{fixture_in, run_weeks};
use crate::support::{repo, slaplan};

/// A headcount policy for the horizon fixture's one group (16 agents of
/// 24 to 40 hours at 20 an hour).
const POLICY: &str = "
headcount:
  groups:
    - skill_group: front
      hire: { cost: 2000, lead_weeks: 1, training_weeks: 1, training_productivity: 50% }
      attrition: 20%
      cut: { severance: 3000, notice_weeks: 2 }
      overtime: { max_hours: 4h, premium: 25% }
";

fn run_json(args: &[&str]) -> Value {
    let run = slaplan(args);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

/// A decision's books: the total is its groups' weeks and the outsourcers'
/// cost; its hires and cuts are the weeks'; each week's headcount is the
/// week before's less its leavers and departures, plus its starters; and
/// the starters are the hires of `lead` weeks before.
fn balanced(d: &Value, lead: &[(&str, usize)]) {
    let t = &d["total"];
    let groups = d["groups"].as_array().unwrap();
    let outsourced: f64 = d["outsourced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| num(&o["cost"]))
        .sum();
    let weeks: f64 = groups.iter().map(|g| num(&g["cost"])).sum();
    assert!(
        (num(&t["cost"]) - weeks - outsourced).abs() < 0.05 * groups.len() as f64,
        "{t}"
    );
    let hires: u64 = groups.iter().map(|g| g["hires"].as_u64().unwrap()).sum();
    assert_eq!(t["hires"].as_u64(), Some(hires));
    for &(group, lead) in lead {
        let rows: Vec<&Value> = groups.iter().filter(|g| g["group"] == group).collect();
        assert_eq!(rows.len(), d["weeks"].as_u64().unwrap() as usize, "{group}");
        for k in 1..rows.len() {
            let (a, b) = (rows[k - 1], rows[k]);
            let flow = num(&a["headcount"]) - num(&b["leavers"]) + num(&b["starters"])
                - num(&b["departures"]);
            assert!(
                (flow - num(&b["headcount"])).abs() < 0.02,
                "{group} week {k}: {b}"
            );
            let started = if k >= lead {
                rows[k - lead]["hires"].as_u64()
            } else {
                Some(0)
            };
            assert_eq!(b["starters"].as_u64(), started, "{group} week {k}");
        }
    }
}

/// Internet Telecom's quarter under `scenarios-quarter.yaml`: one
/// decision per scenario, each balanced; the in-house scenarios send
/// nothing out; a scenario with more choices (the partner, cuts) never
/// costs more than the same without them where both meet every need; and
/// the files are written as a set.
#[test]
fn internet_telecoms_quarter_is_decided_under_each_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let all = run_json(&[
        "headcount",
        repo("instances/internet-telecom/week-50-agents.yaml")
            .to_str()
            .unwrap(),
        "--weeks",
        "13",
        "--scenarios",
        repo("instances/internet-telecom/scenarios-quarter.yaml")
            .to_str()
            .unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let scenarios = all["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 5);
    let by = |name: &str| -> &Value {
        &scenarios
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))["decision"]
    };
    let lead = [("isp", 3), ("bank", 3), ("retail", 3), ("email", 3)];
    for s in scenarios {
        let d = &s["decision"];
        assert_eq!(d["weeks"], 13);
        balanced(d, &lead);
        if s["overrides"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "outsourcing=off")
        {
            assert!(
                num(&d["total"]["outsourced_contacts"]) < 1e-9,
                "{}",
                s["name"]
            );
        }
        if s["overrides"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "cuts=off")
        {
            assert_eq!(d["total"]["cuts"], 0, "{}", s["name"]);
        }
    }
    // More choices never do worse: hours short first (priced far above
    // any cost), then the cost.
    for (more, fewer) in [
        ("80 kept, with the partner", "80 kept, in-house only"),
        ("from 80, cut where it pays", "80 kept, with the partner"),
        ("from 50, with the partner", "from 50, in-house only"),
    ] {
        let (a, b) = (&by(more)["total"], &by(fewer)["total"]);
        let (sa, sb) = (num(&a["short_hours"]), num(&b["short_hours"]));
        assert!(sa <= sb + 0.1, "{more} {a} against {fewer} {b}");
        if (sa - sb).abs() <= 0.1 {
            assert!(
                num(&a["cost"]) <= num(&b["cost"]) + 0.01,
                "{more} {a} against {fewer} {b}"
            );
        }
    }
    assert!(num(&by("from 80, cut where it pays")["total"]["short_hours"]) < 1e-9);
    // The 80 start as the agents file scaled: 80 on the payroll in week 1.
    let first: f64 = by("80 kept, in-house only")["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["week_start"] == "2003-03-03")
        .map(|g| num(&g["headcount"]))
        .sum();
    assert!((first - 80.0).abs() < 1e-6, "{first}");
    let csv = fs::read_to_string(out.join("scenarios.csv")).unwrap();
    assert_eq!(csv.lines().count(), 6, "{csv}");
    let written: Value =
        serde_json::from_slice(&fs::read(out.join("scenarios.json")).unwrap()).unwrap();
    assert_eq!(written, all);
}

/// One decision written as headcount.json and headcount.csv, one CSV row
/// per group and week, the JSON what `--format json` prints.
#[test]
fn a_decision_is_written_as_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |m| m + POLICY);
    let out = dir.path().join("out");
    let d = run_json(&[
        "headcount",
        week.to_str().unwrap(),
        "--weeks",
        "3",
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    balanced(&d, &[("front", 1)]);
    let written: Value =
        serde_json::from_slice(&fs::read(out.join("headcount.json")).unwrap()).unwrap();
    assert_eq!(written, d);
    let csv = fs::read_to_string(out.join("headcount.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    assert!(
        csv.starts_with("week_start,group,headcount,kept,joined,hires,"),
        "{csv}"
    );
}

/// `growth` compounds on each week's forecast: over two weeks at 10%, the
/// second week's contacts are its forecast's times 1.1 and the first's
/// unchanged.
#[test]
fn growth_compounds_on_the_weeks_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |m| m + POLICY);
    let contacts = |weeks: &str, extra: &[&str]| -> f64 {
        let mut args = vec![
            "headcount",
            week.to_str().unwrap(),
            "--weeks",
            weeks,
            "--format",
            "json",
        ];
        args.extend(extra);
        num(&run_json(&args)["total"]["contacts"])
    };
    let one = contacts("1", &[]);
    let two = contacts("2", &[]);
    let grown = contacts("2", &["--set", "growth=10%"]);
    assert!(two > one * 1.5, "{one} {two}");
    let expected = one + (two - one) * 1.1;
    assert!((grown - expected).abs() < 0.2, "{grown} against {expected}");
    assert!((contacts("1", &["--set", "growth=10%"]) - one).abs() < 1e-9);
}

/// A model without `headcount:` is refused with what to add; nothing is
/// written.
#[test]
fn a_model_without_a_headcount_policy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |m| m);
    let out = dir.path().join("out");
    let run = slaplan(&[
        "headcount",
        week.to_str().unwrap(),
        "--weeks",
        "2",
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no headcount policy") && err.contains("headcount:"),
        "{err}"
    );
    assert!(!out.exists());
    let run = slaplan(&["headcount", week.to_str().unwrap(), "--set", "hiring=off"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no headcount policy"));
}

/// Every bound of a policy is checked where it is written, with its
/// field's path (E103, exit 2 from `validate`).
#[test]
fn a_headcount_policy_outside_its_bounds_is_refused() {
    for (edit, field, says) in [
        ("lead_weeks: 1,", "hire.lead_weeks", "outside 0..52"),
        (
            "training_productivity: 50%",
            "hire.training_productivity",
            "outside 0..1",
        ),
        ("attrition: 20%", "attrition", "outside 0..1"),
        ("notice_weeks: 2", "cut.notice_weeks", "not a whole number"),
        ("max_hours: 4h", "overtime.max_hours", "outside 0..780"),
    ] {
        let bad = match field {
            "hire.lead_weeks" => "lead_weeks: 60,",
            "hire.training_productivity" => "training_productivity: 150%",
            "attrition" => "attrition: 120%",
            "cut.notice_weeks" => "notice_weeks: 2.5",
            _ => "max_hours: 20h",
        };
        let dir = tempfile::tempdir().unwrap();
        let week = fixture_in(dir.path(), |m| m + &POLICY.replace(edit, bad));
        let run = slaplan(&["validate", week.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{bad}: {err}");
        assert!(
            err.contains("E103")
                && err.contains(&format!("headcount.groups[0].{field}"))
                && err.contains(says),
            "{bad}: {err}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |m| {
        m + &POLICY.replace("skill_group: front", "skill_group: back")
    });
    let run = slaplan(&["validate", week.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("headcount.groups[0].skill_group") && err.contains("back"),
        "{err}"
    );
    // A group with no agents hires under a contract the policy names.
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |m| {
        m.replace(
            "  - { id: front, name: Front line, queues: [line, mail] }\n",
            "  - { id: front, name: Front line, queues: [line, mail] }\n  - { id: back, queues: [mail] }\n",
        ) + &POLICY.replace("skill_group: front", "skill_group: back")
    });
    let run = slaplan(&["validate", week.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("'back' has no agents") && err.contains("contract"),
        "{err}"
    );
}

/// The fixture's three weeks decided from 8 agents into `dir/decided`:
/// the decision, and the `headcount_plan=` override that plans it.
fn decided_from_8(dir: &std::path::Path, week: &std::path::Path) -> (Value, String) {
    let decided = dir.join("decided");
    let d = run_json(&[
        "headcount",
        week.to_str().unwrap(),
        "--weeks",
        "3",
        "--set",
        "headcount=8",
        "-o",
        decided.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let set = format!(
        "headcount_plan={}",
        decided.join("headcount.json").display()
    );
    (d, set)
}

/// The decision planned: `plan --weeks 3 --set headcount_plan=FILE` puts
/// the decided headcount on the payroll week by week. From 8 agents, the
/// decision hires 9 who start in week 2 (a week's lead time) and falls
/// short in week 1, as the plan does (infeasible); weeks 2 and 3 are
/// planned with the hires (`front-hire1`…`9`), and `check` on the folder,
/// which reads the decision again from the override's full path, finds no
/// violation across the weeks.
#[test]
fn the_decided_headcount_is_planned_week_by_week() {
    let dir = tempfile::tempdir().unwrap();
    let week = fixture_in(dir.path(), |m| m + POLICY);
    let (d, set) = decided_from_8(dir.path(), &week);
    let starters: Vec<u64> = d["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["starters"].as_u64().unwrap())
        .collect();
    assert_eq!(starters[0], 0);
    assert!(starters[1] > 0, "{starters:?}");
    let short = d["short"].as_array().unwrap();
    assert!(
        short.iter().all(|s| s["week_start"] == "2024-03-11"),
        "{short:?}"
    );
    assert!(!short.is_empty());

    let out = dir.path().join("out");
    let run = run_weeks(&week, &out, &["--set", "headcount=8", "--set", &set]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let h: Value = serde_json::from_slice(&fs::read(out.join("horizon.json")).unwrap()).unwrap();
    let acceptable: Vec<bool> = h["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["acceptable"].as_bool().unwrap())
        .collect();
    assert_eq!(acceptable, [false, true, true]);
    for (k, folder) in ["week-2024-03-18", "week-2024-03-25"].iter().enumerate() {
        let roster = fs::read_to_string(out.join(folder).join("roster.csv")).unwrap();
        let working: std::collections::BTreeSet<&str> = roster
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .collect();
        let hires = working
            .iter()
            .filter(|a| a.starts_with("front-hire"))
            .count();
        assert_eq!(hires as u64, starters[1], "{folder}");
        let headcount = num(&d["groups"][k + 1]["headcount"]);
        assert!(
            working.len() as f64 <= headcount.ceil(),
            "{folder}: {working:?}"
        );
    }
    let check = slaplan(&["check", week.to_str().unwrap(), out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{text}");
    assert!(text.contains("0 violation(s) over 2 week(s)"), "{text}");
    trainees_work_their_share(&week, &out);

    // A decision from another week is refused before any work.
    let other = slaplan(&[
        "plan",
        repo("instances/club-internet/week-2003-03-03.yaml")
            .to_str()
            .unwrap(),
        "--set",
        &set,
        "-o",
        dir.path().join("other").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&other.stderr);
    assert_eq!(other.status.code(), Some(2), "{err}");
    assert!(err.contains("decided from the week of 2024-03-11"), "{err}");
}

/// The hires' week of training (a week at 50%) is planned under
/// `front-trainee`: half their contract's 24 to 40 hours on the phones,
/// each hour at twice the pay, so that the week meets what the decision
/// counts and costs what it pays; the week after under their own
/// contract. A trainee given a shift more than their share is caught by
/// `check`.
fn trainees_work_their_share(week: &std::path::Path, out: &std::path::Path) {
    let hours = |folder: &str| -> std::collections::BTreeMap<String, (String, f64)> {
        let roster = fs::read_to_string(out.join(folder).join("roster.csv")).unwrap();
        let mut by = std::collections::BTreeMap::new();
        for line in roster
            .lines()
            .skip(1)
            .filter(|l| l.starts_with("front-hire"))
        {
            let f: Vec<&str> = line.split(',').collect();
            let e = by
                .entry(f[0].to_string())
                .or_insert((f[2].to_string(), 0.0));
            assert_eq!(e.0, f[2], "{folder}: one contract a week: {line}");
            e.1 += f[9].parse::<f64>().unwrap();
        }
        by
    };
    let training = hours("week-2024-03-18");
    let trained = hours("week-2024-03-25");
    assert!(!training.is_empty() && training.len() == trained.len());
    for (hire, (group, h)) in &training {
        assert_eq!(group, "front/front-trainee", "{hire}");
        assert!((12.0..=20.0).contains(h), "{hire}: {h} h in training");
        let (group, h) = &trained[hire];
        assert_eq!(group, "front/full", "{hire}");
        assert!((24.0..=40.0).contains(h), "{hire}: {h} h trained");
    }
    let planned = |folder: &str| fs::read_to_string(out.join(folder).join("shifts.csv")).unwrap();
    assert!(planned("week-2024-03-18").contains("front/front-trainee"));
    assert!(!planned("week-2024-03-25").contains("front-trainee"));

    // One shift more for a trainee, on a day they are off.
    let file = out.join("week-2024-03-18").join("roster.csv");
    let roster = fs::read_to_string(&file).unwrap();
    let (hire, _) = training.iter().next().unwrap();
    fs::write(&file, with_a_shift_more(&roster, hire, 18)).unwrap();
    let check = slaplan(&["check", week.to_str().unwrap(), out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{text}");
    assert!(text.contains("22.50 paid hours, at most 20.00"), "{text}");
}

/// `roster` (a week's `roster.csv` from Monday `monday`, March 2024) with
/// `agent`'s first shift copied to their first day off.
fn with_a_shift_more(roster: &str, agent: &str, monday: u32) -> String {
    let rows: Vec<&str> = roster
        .lines()
        .filter(|l| l.starts_with(&format!("{agent},")))
        .collect();
    let date = |l: &str| l.split(',').nth(3).unwrap().to_string();
    let days: Vec<u32> = rows
        .iter()
        .map(|l| date(l)[8..10].parse().unwrap())
        .collect();
    let free = (monday..monday + 7).find(|d| !days.contains(d)).unwrap();
    let more = rows[0].replace(&date(rows[0]), &format!("2024-03-{free}"));
    format!("{roster}{more}\n")
}

/// The decision's agency temps are on the week's payroll: with the hires'
/// lead time a week, 8 agents and temps, the decision buys temps from the
/// first week, and that week's plan, which had none with the 8 alone
/// (`the_decided_headcount_is_planned_week_by_week`), works `front-temp`
/// agents under the `front-temp` contract, each booked for the agency's
/// week: every week exactly as many as carry the decided temp hours at
/// their productivity. `check` on the folder is clean.
#[test]
fn the_decided_temps_work_their_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let temps =
        "      temps: { hourly_cost: 40, max_agents: 12, weekly_hours: 30h, productivity: 80% }\n";
    let week = fixture_in(dir.path(), |m| m + POLICY + temps);
    let (d, set) = decided_from_8(dir.path(), &week);
    let temp_hours: Vec<f64> = d["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| num(&g["temp_hours"]))
        .collect();
    assert!(temp_hours[0] > 0.0, "{temp_hours:?}");
    assert!(d["short"].as_array().unwrap().is_empty(), "{}", d["short"]);

    let out = dir.path().join("out");
    let run = run_weeks(&week, &out, &["--set", "headcount=8", "--set", &set]);
    let h: Value = serde_json::from_slice(&fs::read(out.join("horizon.json")).unwrap()).unwrap();
    let weeks = h["weeks"].as_array().unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (k, w) in weeks.iter().enumerate() {
        let folder = w["folder"].as_str().unwrap();
        let roster = fs::read_to_string(out.join(folder).join("roster.csv")).unwrap();
        let temps: std::collections::BTreeSet<&str> = roster
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .filter(|a| a.starts_with("front-temp"))
            .collect();
        let booked = (temp_hours[k] * 0.8 / 30.0 - 1e-6).ceil() as usize;
        assert_eq!(temps.len(), booked, "{folder}: {temps:?}");
        let shifts = fs::read_to_string(out.join(folder).join("shifts.csv")).unwrap();
        assert_eq!(
            temps.is_empty(),
            !shifts.contains("/front-temp"),
            "{folder}: {shifts}"
        );
    }
    let check = slaplan(&["check", week.to_str().unwrap(), out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{text}");
}

/// Overtime in the week's plan: the horizon fixture with 11 agents of 22.5
/// to 30 hours (four 7.5-hour shifts; `--set headcount=11`, which `check`
/// applies again from `plan.json`) cannot staff its week, and with the
/// group's policy allowing 7.5 hours of overtime at 25% it can. The plan
/// prices each hour beyond an agent's 30 at the premium on top of its
/// wages, the roster works within 37.5 and pays the same, and `check`
/// holds each agent to 37.5 — to 30 without the policy — and says why.
/// Without the policy the infeasible week names overtime as a lever.
#[test]
fn overtime_is_planned_priced_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let thirty = |m: String| {
        m.replace(
            "weekly_hours: { min: 24h, max: 40h }",
            "weekly_hours: { min: 22.5h, max: 30h }",
        )
    };
    let overtime = "
headcount:
  groups:
    - skill_group: front
      overtime: { max_hours: 7.5h, premium: 25% }
";
    let week = fixture_in(dir.path(), |m| thirty(m) + overtime);
    let model = dir.path().join("model.yaml");
    let with_overtime = fs::read_to_string(&model).unwrap();
    assert!(with_overtime.contains("max: 30h"));

    let out = dir.path().join("out");
    let plan_week = |out: &std::path::Path| {
        slaplan(&[
            "plan",
            week.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-verify",
            "-q",
            "--set",
            "headcount=11",
        ])
    };
    let run = plan_week(&out);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let plan: Value = serde_json::from_slice(&fs::read(out.join("plan.json")).unwrap()).unwrap();
    let roster = fs::read_to_string(out.join("roster.csv")).unwrap();
    let mut hours = std::collections::BTreeMap::<&str, f64>::new();
    for line in roster.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *hours.entry(f[0]).or_default() += f[9].parse::<f64>().unwrap();
    }
    assert_eq!(hours.len(), 11);
    assert!(hours.values().all(|&h| h <= 37.5), "{hours:?}");
    let beyond: f64 = hours.values().map(|&h| (h - 30.0).max(0.0)).sum();
    assert!(beyond > 0.0, "{hours:?}");
    let cost = &plan["cost"];
    assert!(
        (num(&cost["overtime"]) - beyond * 20.0 * 0.25).abs() < 0.01,
        "{cost}"
    );
    let parts = num(&cost["wages"]) + num(&cost["premiums"]) + num(&cost["overtime"]);
    assert!((parts - num(&cost["in_house"])).abs() < 0.01, "{cost}");
    assert!(
        (num(&plan["roster"]["wages"]) - num(&cost["in_house"])).abs() < 0.01,
        "{}",
        plan["roster"]
    );
    let check = |roster: &std::path::Path| {
        let run = slaplan(&["check", week.to_str().unwrap(), roster.to_str().unwrap()]);
        (
            run.status.code(),
            String::from_utf8_lossy(&run.stdout).into_owned(),
        )
    };
    let (code, text) = check(&out.join("roster.csv"));
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("0 violation(s)"), "{text}");

    // A shift more for an agent already at 37.5, on a day they are off
    // (other rules may break too: the hours are what is asserted).
    let (agent, _) = hours.iter().find(|(_, &h)| h > 37.0).unwrap();
    let more = with_a_shift_more(&roster, agent, 11);
    let tampered = dir.path().join("tampered");
    fs::create_dir(&tampered).unwrap();
    for f in fs::read_dir(&out).unwrap() {
        let f = f.unwrap().path();
        fs::copy(&f, tampered.join(f.file_name().unwrap())).unwrap();
    }
    let tampered = tampered.join("roster.csv");
    fs::write(&tampered, more).unwrap();
    let (code, text) = check(&tampered);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "45.00 paid hours, at most 37.50 (the contract's 30.00 and the group's overtime)"
        ),
        "{text}"
    );

    // Without the policy: the week cannot be staffed, and the roster's
    // overtime breaks the contract.
    fs::write(
        &model,
        thirty(fs::read_to_string(repo("tests/fixtures/horizon/model.yaml")).unwrap()),
    )
    .unwrap();
    let without = dir.path().join("without");
    let run = plan_week(&without);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let plan: Value =
        serde_json::from_slice(&fs::read(without.join("plan.json")).unwrap()).unwrap();
    let why = plan["explanation"].to_string();
    assert!(
        why.contains("are all planned") && why.contains("allow the group overtime"),
        "{why}"
    );
    let (code, text) = check(&out.join("roster.csv"));
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("37.50 paid hours, at most 30.00\n"), "{text}");
}
