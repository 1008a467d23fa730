//! The on-call rota ("astreinte", issue 26): Stratus's weekend rota is
//! named after the roster, costed in `plan.json` and the report, written
//! to `on_call.csv`, and checked — a call-out that leaves less than the
//! rest owed before the next shift, a duty given to an engineer who works
//! next Monday morning, a call-out off duty and a rota left empty are each
//! caught by `slaplan check`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::{repo, slaplan};

const WEEK: &str = "instances/stratus/week-2003-03-03.yaml";

fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "check".to_string(),
        repo(WEEK).display().to_string(),
        dir.join("roster.csv").display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = slaplan(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Stratus's week planned (not verified) into `dir`.
fn planned(dir: &Path) {
    let run = slaplan(&[
        "plan",
        repo(WEEK).to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--no-verify",
        "-q",
    ]);
    assert!(run.status.success(), "{run:?}");
}

#[test]
fn the_weekend_rota_is_named_costed_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("plan.json")).unwrap()).unwrap();
    let o = &plan["on_call"];
    let rota = &o["rotas"][0];
    assert_eq!(
        (rota["periods"].as_u64(), rota["duties"].as_u64()),
        (Some(1), Some(1))
    );
    // Saturday 01:00 to Monday 01:00 in Paris: 48 hours at 4.00 an hour,
    // and 0.8 call-outs a day expected, each 60.00 and an hour's work at
    // the engineer's 52.00 (a New York engineer: the Paris and Tokyo ones
    // work within 11 hours of the period's end next Monday).
    assert_eq!(rota["hours_on_call"].as_f64(), Some(48.0));
    assert_eq!(rota["allowances"].as_f64(), Some(192.0));
    let expected = 192.0 + 48.0 / 24.0 * 0.8 * (60.0 + 52.0);
    assert!(
        (o["cost"].as_f64().unwrap() - expected).abs() < 0.005,
        "{o}"
    );
    let duties = fs::read_to_string(dir.path().join("on_call.csv")).unwrap();
    let duty: Vec<&str> = duties.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(
        (duty[0], duty[3], duty[4], duty[5]),
        ("weekend", "2003-03-07 19:00", "2003-03-09 19:00", "-05:00"),
        "{duties}"
    );
    let agents = fs::read_to_string(repo("instances/stratus/agents.csv")).unwrap();
    let site = agents
        .lines()
        .find(|l| l.starts_with(&format!("{},", duty[1])))
        .unwrap();
    assert!(site.contains(",us,"), "{site}");
    let report = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(report.contains("<h3>On call</h3>") && report.contains(duty[1]));
    let (code, said) = check(dir.path(), &[]);
    assert_eq!(code, Some(0), "{said}");

    // A call-out late on Sunday night on the agent's clock, ending 23:30:
    // the next shift, Monday 09:00 or 10:00, leaves under 11 hours.
    let call_outs = dir.path().join("call-outs.csv");
    fs::write(
        &call_outs,
        format!(
            "agent,start,end,utc_offset,end_utc_offset\n{a},2003-03-08 10:00,2003-03-08 11:00,-05:00,-05:00\n{a},2003-03-09 18:30,2003-03-09 23:30,-05:00,-05:00\n",
            a = duty[1]
        ),
    )
    .unwrap();
    let (code, said) = check(dir.path(), &["--call-outs", call_outs.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{said}");
    let broken: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("violation"))
        .collect();
    assert_eq!(broken.len(), 1, "{said}");
    assert!(
        broken[0].contains("call_out_rest") && broken[0].contains("call-out line 3"),
        "{said}"
    );

    // A call-out of an engineer not on call.
    fs::write(
        &call_outs,
        "agent,start,end,utc_offset,end_utc_offset\nST002,2003-03-08 10:00,2003-03-08 11:00,+01:00,+01:00\n",
    )
    .unwrap();
    let (code, said) = check(dir.path(), &["--call-outs", call_outs.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        said.contains("ST002: call_out_rest") && said.contains("not on call"),
        "{said}"
    );

    // The weekend given to a Paris engineer who works Monday 09:00 (the
    // roster repeated next week): 8 hours after the period's end.
    let paris = duties.replacen(&format!("weekend,{},", duty[1]), "weekend,ST001,", 1);
    let paris = paris.replace(
        "2003-03-07 19:00,2003-03-09 19:00,-05:00,-05:00",
        "2003-03-08 01:00,2003-03-10 01:00,+01:00,+01:00",
    );
    let edited = dir.path().join("edited.csv");
    fs::write(&edited, paris).unwrap();
    let (code, said) = check(dir.path(), &["--on-call", edited.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        said.contains("ST001, day 2003-03-03: on_call_rest"),
        "{said}"
    );

    // No rota at all: the weekend is uncovered.
    fs::remove_file(dir.path().join("on_call.csv")).unwrap();
    let (code, said) = check(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        said.contains("weekend: on_call_cover: 0 of 1 agents on call"),
        "{said}"
    );
}

/// The call-outs replayed on the rota (`slaplan simulate`, `on_call.csv`
/// beside the roster): over 400 replications the call-outs and their
/// hours are the rota's rate (0.8 a day over 48 hours: 1.6, of an hour
/// each) within the 95% interval, and none leaves less than the rest owed
/// before the next shift; the same weekend given to a Paris engineer who
/// starts Monday 09:00 breaks it after some call-outs late on Sunday.
#[test]
fn call_outs_replayed_keep_the_rest_the_rota_promises() {
    let dir = tempfile::tempdir().unwrap();
    planned(dir.path());
    let replay = |dir: &Path| -> Value {
        let out = dir.join("sim");
        let run = slaplan(&[
            "simulate",
            repo(WEEK).to_str().unwrap(),
            dir.join("roster.csv").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--replications",
            "400",
            "-q",
        ]);
        assert!(matches!(run.status.code(), Some(0 | 1)), "{run:?}");
        let j: Value =
            serde_json::from_str(&fs::read_to_string(out.join("simulation.json")).unwrap())
                .unwrap();
        j["on_call"][0].clone()
    };
    let inside =
        |e: &Value, x: f64| e["low"].as_f64().unwrap() <= x && x <= e["high"].as_f64().unwrap();
    let o = replay(dir.path());
    assert!(inside(&o["call_outs"], 1.6), "{o}");
    assert!(inside(&o["worked_h"], 1.6), "{o}");
    assert_eq!(o["rest_broken"]["high"].as_f64(), Some(0.0), "{o}");

    let duties = fs::read_to_string(dir.path().join("on_call.csv")).unwrap();
    let row = duties.lines().nth(1).unwrap();
    let agent = row.split(',').nth(1).unwrap();
    let paris = duties
        .replacen(&format!("weekend,{agent},"), "weekend,ST001,", 1)
        .replace(
            "2003-03-07 19:00,2003-03-09 19:00,-05:00,-05:00",
            "2003-03-08 01:00,2003-03-10 01:00,+01:00,+01:00",
        );
    fs::write(dir.path().join("on_call.csv"), paris).unwrap();
    let o = replay(dir.path());
    assert!(o["rest_broken"]["mean"].as_f64().unwrap() > 0.0, "{o}");
}

/// The IT vendor's weeknight rota (`recovery: paid`): the engineer on call
/// Monday to Thursday night would owe 11 hours of rest from 08:00, past
/// the next day's every shift, so the duty is chosen before the plan and
/// the next day is a paid day off — no shift then, the weekly minimum of
/// 35 hours pro rata (28 over four days, which `check` accepts), and the
/// 7 hours it takes priced with the duty. Friday night's rest falls on the
/// closed Saturday and takes nothing. An engineer away Tuesday 08:00–19:00 takes
/// Monday night, losing no day; a shift moved onto a rest day is caught.
#[test]
fn a_weeknight_duty_keeps_its_engineer_off_the_next_day_paid() {
    let dir = tempfile::tempdir().unwrap();
    let week = fs::read_to_string(repo("instances/it-vendor/week-2003-03-03.yaml"))
        .unwrap()
        .replace("../../models", repo("models").to_str().unwrap())
        .replace(
            "history.csv",
            repo("instances/it-vendor/history.csv").to_str().unwrap(),
        );
    // EN003 is away on Tuesday's opening hours anyway (a training day).
    let agents = fs::read_to_string(repo("instances/it-vendor/agents.csv"))
        .unwrap()
        .replace(
            "EN003,Engineer 003,engineers,engineer,lyon,",
            "EN003,Engineer 003,engineers,engineer,lyon,2003-03-04T08:00/2003-03-04T19:00",
        );
    assert!(agents.contains("lyon,2003-03-04T08:00"));
    fs::write(dir.path().join("week.yaml"), week).unwrap();
    fs::write(dir.path().join("agents.csv"), agents).unwrap();
    let week = dir.path().join("week.yaml");
    let out = dir.path().join("out");
    let run = slaplan(&[
        "plan",
        week.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-verify",
        "-q",
    ]);
    assert!(run.status.success(), "{run:?}");
    let duties = fs::read_to_string(out.join("on_call.csv")).unwrap();
    let roster = fs::read_to_string(out.join("roster.csv")).unwrap();
    let rows: Vec<Vec<&str>> = duties
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 5, "{duties}");
    let mut agents: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    agents.sort();
    agents.dedup();
    assert_eq!(agents.len(), 5, "one night each: {duties}");
    // Monday night to EN003, who loses no working day to it.
    assert_eq!((rows[0][1], rows[0][9]), ("EN003", "0.00"), "{duties}");
    let mut rest_hours = 0.0;
    for (k, r) in rows.iter().enumerate() {
        let next = format!("2003-03-{:02}", 4 + k);
        let works_next = roster
            .lines()
            .any(|l| l.starts_with(&format!("{},", r[1])) && l.contains(&format!(",{next},")));
        assert!(!works_next, "{} works {next}: {roster}", r[1]);
        // Tuesday to Friday are working days; Saturday is closed.
        let lost = if k == 0 || k == 4 { "0.00" } else { "7.00" };
        assert_eq!(r[9], lost, "{duties}");
        let paid: f64 = r[9].parse().unwrap();
        rest_hours += paid;
        let shifts = roster
            .lines()
            .filter(|l| l.starts_with(&format!("{},", r[1])))
            .count();
        assert_eq!(shifts, if k == 4 { 5 } else { 4 }, "{roster}");
    }
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    let rota = &plan["on_call"]["rotas"][0];
    assert_eq!(rota["paid_rest_hours"].as_f64(), Some(rest_hours), "{rota}");
    // 65 hours at 3.00, 0.5 call-outs a day at 50.00 and an hour at the
    // engineer's 38.00, and the rest's hours at 38.00.
    let expected = 65.0 * 3.0 + 65.0 / 24.0 * 0.5 * (50.0 + 38.0) + rest_hours * 38.0;
    assert!(
        (plan["on_call"]["cost"].as_f64().unwrap() - expected).abs() < 0.01,
        "{}",
        plan["on_call"]
    );
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check".to_string(),
            week.display().to_string(),
            out.join("roster.csv").display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let run = slaplan(&args);
        (
            run.status.code(),
            String::from_utf8_lossy(&run.stdout).into_owned(),
        )
    };
    // Clean: the engineers on four days work 28 hours, the minimum pro
    // rata for the day their rest takes.
    let (code, said) = check(&[]);
    assert_eq!(code, Some(0), "{said}");

    // Wednesday's engineer (Tuesday night) moved onto Wednesday: the rest
    // is broken, and without the paid rest the minimum is 35 hours.
    let tuesday = rows[1][1];
    let line = roster
        .lines()
        .find(|l| l.starts_with(&format!("{tuesday},")) && l.contains(",2003-03-06,"))
        .unwrap();
    let edited = roster.replace(line, &line.replace("2003-03-06", "2003-03-05"));
    fs::write(out.join("roster.csv"), edited).unwrap();
    let (code, said) = check(&[]);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains(&format!("{tuesday}, day 2003-03-05: on_call_rest")),
        "{said}"
    );
    let empty = dir.path().join("none.csv");
    fs::write(
        &empty,
        "rota,agent,name,start,end,utc_offset,end_utc_offset,hours,expected_call_outs,paid_rest_hours,expected_cost\n",
    )
    .unwrap();
    fs::write(out.join("roster.csv"), &roster).unwrap();
    let (code, said) = check(&["--on-call", empty.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains(&format!("{}: weekly_hours_min", rows[1][1]))
            && said.contains("at least 35.00"),
        "{said}"
    );
}

/// `compare` carries each scenario's on-call cost beside its total, as
/// `plan` does: the IT vendor's nights, 65 hours at 3.00, 0.5 call-outs a
/// day at 50.00 and an hour at 38.00, and four days of rest paid (28 h at
/// 38.00) — the same with six field engineers or seven.
#[test]
fn compare_reports_the_on_call_cost_beside_each_total() {
    let dir = tempfile::tempdir().unwrap();
    let run = slaplan(&[
        "compare",
        repo("instances/it-vendor/week-2003-03-03.yaml")
            .to_str()
            .unwrap(),
        "--sweep",
        "headcount.field=6..7:1",
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "csv",
        "-q",
    ]);
    assert!(run.status.success(), "{run:?}");
    let csv = String::from_utf8(run.stdout).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "on_call_cost").unwrap();
    let expected = 65.0 * 3.0 + 65.0 / 24.0 * 0.5 * (50.0 + 38.0) + 28.0 * 38.0;
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    for row in rows {
        let cost: f64 = row.split(',').nth(at).unwrap().parse().unwrap();
        assert!((cost - expected).abs() < 0.01, "{row}");
    }
}
