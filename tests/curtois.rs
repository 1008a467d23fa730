//! The rostering engine on the Curtois–Qu shift scheduling benchmark
//! (`../shared/data/curtois/`): Instances 1–4 solved to their published
//! optima and proven optimal; the independent checker counts the same
//! objective from the roster and finds no broken rule; all 24 files read;
//! a roster that breaks rules is caught, rule by rule; the first roster
//! built window by window keeps every rule on Instances 13 and 20; the
//! cover the employees' limits forbid lies under every published optimum.
//!
//! A custom harness (libtest-mimic) so that a missing data folder shows as
//! *ignored* tests with the reason, not as passes.

mod support;

use std::path::{Path, PathBuf};

use libtest_mimic::{Failed, Trial};
use slaplan::check::curtois::{check, read_grid, write_grid};
use slaplan::check::rules::Rule;
use slaplan::input::curtois::load_benchmark;
use slaplan::pipeline::benchmark::roster_benchmark;
use slaplan::plan::solve::Status;
use slaplan::roster;
use slaplan::roster::RosterOptions;

/// Best-known objective per instance, 1 to 24 (proven optimal for 1–23):
/// the benchmark site's results table, as transcribed in
/// `../shared/data/curtois/README.md`.
const BEST: [f64; 24] = [
    607.0, 828.0, 1001.0, 1716.0, 1143.0, 1950.0, 1056.0, 1300.0, 439.0, 4631.0, 3443.0, 4040.0,
    1348.0, 1278.0, 3828.0, 3225.0, 5746.0, 4459.0, 3149.0, 4769.0, 21133.0, 30241.0, 17285.0,
    40439.0,
];

fn main() {
    let names: Vec<String> = (1..=4)
        .map(|i| format!("curtois::instance{i}_proven_optimal"))
        .chain([
            "curtois::all_24_read".into(),
            "curtois::checker_catches_broken_rules".into(),
            "curtois::cli_writes_roster_and_its_report_into_the_folder".into(),
            "curtois::first_roster_keeps_every_rule_over_long_horizons".into(),
            "curtois::mending_brings_a_year_long_row_to_its_minimum".into(),
            "curtois::cover_no_roster_meets_lies_under_the_best_known".into(),
        ])
        .collect();
    support::run_with_data("the Curtois–Qu benchmark tests", names.clone(), |dir| {
        let dir = dir.join("curtois");
        let mut trials = Vec::new();
        for i in 1..=4 {
            let d = dir.clone();
            trials.push(Trial::test(names[i - 1].clone(), move || optimal(&d, i)));
        }
        let d = dir.clone();
        trials.push(Trial::test(names[4].clone(), move || all_read(&d)));
        let d = dir.clone();
        trials.push(Trial::test(names[5].clone(), move || catches(&d)));
        let d = dir.clone();
        trials.push(Trial::test(names[6].clone(), move || cli_folder(&d)));
        let d = dir.clone();
        trials.push(Trial::test(names[7].clone(), move || first_roster(&d)));
        let d = dir.clone();
        trials.push(Trial::test(names[8].clone(), move || mending(&d)));
        trials.push(Trial::test(names[9].clone(), move || unavoidable(&dir)));
        trials
    })
}

/// `slaplan roster --curtois … -o DIR` writes `roster.csv` and
/// `roster.json` into the folder, and `slaplan check` counts from the
/// roster file the objective the JSON reports.
fn cli_folder(dir: &Path) -> Result<(), Failed> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = tmp.path().join("instance1");
    let inst = instance(dir, 1);
    let run = support::slaplan(&[
        "roster".as_ref(),
        "--curtois".as_ref(),
        inst.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--work-limit".as_ref(),
        "20".as_ref(),
        "-q".as_ref(),
    ]);
    if run.status.code() != Some(0) {
        return Err(format!("roster: {}", String::from_utf8_lossy(&run.stderr)).into());
    }
    let json = |bytes: &[u8]| -> Result<serde_json::Value, Failed> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string().into())
    };
    let report = json(&std::fs::read(out.join("roster.json")).map_err(|e| e.to_string())?)?;
    let check = support::slaplan(&[
        "check".as_ref(),
        "--curtois".as_ref(),
        inst.as_os_str(),
        out.join("roster.csv").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let checked = json(&check.stdout)?;
    let (a, b) = (
        &report["objective"]["total"],
        &checked["objective"]["total"],
    );
    if check.status.code() != Some(0) || !a.is_number() || a != b {
        return Err(format!("roster.json says {a}, the checker {b}: {checked}").into());
    }
    Ok(())
}

fn instance(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("Instance{i}.txt"))
}

/// Solved with no gap allowed, the engine proves the published optimum,
/// and the checker, counting from the roster alone, agrees.
fn optimal(dir: &Path, i: usize) -> Result<(), Failed> {
    let b = load_benchmark(&instance(dir, i)).map_err(|p| format!("{p:?}"))?;
    let opts = RosterOptions {
        time_limit_s: 900.0,
        gap: 0.0,
        ..RosterOptions::default()
    };
    let run = roster_benchmark(&b, &opts);
    let (Some(objective), true) = (run.objective, run.violations.is_empty()) else {
        return Err(format!(
            "Instance{i}: no roster, or {} rules broken: {:?}",
            run.violations.len(),
            run.violations
        )
        .into());
    };
    let best = BEST[i - 1];
    if (objective.total - best).abs() > 1e-9 {
        return Err(format!(
            "Instance{i}: objective {} by the checker, published {best}",
            objective.total
        )
        .into());
    }
    if !run.agree() {
        return Err(format!(
            "Instance{i}: engine counts {:?}, checker {}",
            run.engine_objective, objective.total
        )
        .into());
    }
    let solved = run.solved;
    let bound = solved.stats.lower_bound.ok_or("no bound")?;
    if solved.stats.status != Status::Optimal || (bound - best).abs() > 1e-6 {
        return Err(format!(
            "Instance{i}: not proven: {:?}, bound {bound} (whole-number objectives: the bound rounds up)",
            solved.stats.status
        )
        .into());
    }
    Ok(())
}

/// The first roster built window by window and employee by employee
/// (`roster::construct`), alone, breaks no rule the independent checker
/// counts — on Instance 13 (120 employees, 18 kinds of shift, 4 weeks),
/// whose full MIP left minimums broken, and on Instance 20 (50 × 182
/// days, seven windows). Under a work budget: the same roster on any
/// machine.
fn first_roster(dir: &Path) -> Result<(), Failed> {
    for i in [13, 20] {
        let b = load_benchmark(&instance(dir, i)).map_err(|p| format!("{p:?}"))?;
        let p = roster::curtois::problem(&b);
        let opts = RosterOptions {
            time_limit_s: 600.0,
            work_limit: Some(u64::MAX),
            ..RosterOptions::default()
        };
        let empty = roster::Assignment(vec![vec![None; p.days]; p.employees.len()]);
        let far = std::time::Instant::now() + std::time::Duration::from_secs(600);
        let (a, _) = roster::construct::construct(
            &p,
            empty,
            far,
            opts.work_limit,
            roster::lns::ROUND_NODES,
            &opts,
        );
        let (v, counted) = check(&b, &a.0);
        if !v.is_empty() {
            return Err(format!(
                "Instance{i}: {} rules broken: {:?}",
                v.len(),
                &v[..v.len().min(5)]
            )
            .into());
        }
        // The checker's objective is the engine's: nothing short.
        let engine = roster::objective(&p, &a);
        if engine.short_minutes != 0.0 || (engine.total - counted.total).abs() > 1e-6 {
            return Err(format!("Instance{i}: engine {engine:?}, checker {counted:?}").into());
        }
    }
    Ok(())
}

/// Mending (`roster::construct::mend`, what mends the employees the
/// windows left short) on Instance 22, whose employees must work 232 to
/// 234 of 364 days (at most 5 in a row, at least 2 off after, at most 26
/// weekends, at most 46 or 58 of most kinds of shift): from a year with
/// nobody working, three employees mended one after the other reach their
/// minimum and break no rule the independent checker counts; the others,
/// left at nothing, are short and nothing else. Under a work budget.
fn mending(dir: &Path) -> Result<(), Failed> {
    let b = load_benchmark(&instance(dir, 22)).map_err(|p| format!("{p:?}"))?;
    let p = roster::curtois::problem(&b);
    let opts = RosterOptions {
        time_limit_s: 600.0,
        work_limit: Some(u64::MAX),
        ..RosterOptions::default()
    };
    let mut a = roster::Assignment(vec![vec![None; p.days]; p.employees.len()]);
    let far = std::time::Instant::now() + std::time::Duration::from_secs(600);
    let mended = 0..3;
    for e in mended.clone() {
        roster::construct::mend(&p, &mut a, e, far, Some(roster::lns::ROUND_NODES), &opts);
    }
    let (v, _) = check(&b, &a.0);
    let ids: Vec<&str> = mended.map(|e| p.employees[e].id.as_str()).collect();
    let on_mended: Vec<_> = v.iter().filter(|x| ids.contains(&x.who.as_str())).collect();
    if !on_mended.is_empty() {
        return Err(format!("mended employees break rules: {on_mended:?}").into());
    }
    let others = p.employees.len() - ids.len();
    let short = v.iter().filter(|x| x.rule == Rule::TotalMinutes).count();
    if v.len() != others || short != others {
        return Err(format!(
            "expected {others} employees short and nothing else, got {:?}",
            &v[..v.len().min(5)]
        )
        .into());
    }
    Ok(())
}

/// Every instance reads, with one cover row per day and shift (as the
/// published instance characteristics count them).
fn all_read(dir: &Path) -> Result<(), Failed> {
    for i in 1..=24 {
        let b = load_benchmark(&instance(dir, i)).map_err(|p| format!("Instance{i}: {p:?}"))?;
        if b.cover.len() != b.days * b.shifts.len() || b.staff.is_empty() {
            return Err(format!(
                "Instance{i}: {} cover rows for {} days × {} shifts",
                b.cover.len(),
                b.days,
                b.shifts.len()
            )
            .into());
        }
    }
    Ok(())
}

/// What the limits forbid the cover (`roster::limits`), counted on all 24
/// instances, is a floor no published optimum goes below (Instance 24's
/// best known stands above its optimum, so the check holds there too).
/// Instance 15 asks 104 and 94 of the nights `n1` and `n2` of employees
/// who may work 84 and 78 (36 rows at 100: 3,600 of its 3,828); Instance
/// 13 asks 941,160 minutes of employees who may work 939,000 (2,160
/// short, three 720-minute rows at least) — both counted from the files
/// by hand.
fn unavoidable(dir: &Path) -> Result<(), Failed> {
    for i in 1..=24 {
        let b = load_benchmark(&instance(dir, i)).map_err(|p| format!("Instance{i}: {p:?}"))?;
        let u = roster::limits::unavoidable(&roster::curtois::problem(&b));
        if u.floor() > BEST[i - 1] + 1e-9 {
            return Err(format!("Instance{i}: floor {} above {}", u.floor(), BEST[i - 1]).into());
        }
        let kinds: Vec<_> = u
            .kinds
            .iter()
            .map(|k| (k.shift.as_str(), k.asked, k.allowed, k.short))
            .collect();
        let minutes = u
            .minutes
            .as_ref()
            .map(|m| (m.asked, m.allowed, m.short, m.rows));
        match i {
            15 if kinds != [("n1", 104, 84, 20), ("n2", 94, 78, 16)]
                || (u.floor() - 3600.0).abs() > 1e-9 =>
            {
                return Err(format!("Instance15: {u:?}").into())
            }
            13 if minutes != Some((941_160, 939_000, 2_160, 3)) => {
                return Err(format!("Instance13: {u:?}").into())
            }
            _ => {}
        }
    }
    Ok(())
}

/// A roster of Instance 1 broken on purpose, one rule at a time, through
/// the file the CLI writes: the checker names each rule.
fn catches(dir: &Path) -> Result<(), Failed> {
    let b = load_benchmark(&instance(dir, 1)).map_err(|p| format!("{p:?}"))?;
    let opts = RosterOptions {
        time_limit_s: 60.0,
        gap: 0.05,
        ..RosterOptions::default()
    };
    let solved = roster::solve(&roster::curtois::problem(&b), &opts);
    let good = solved.assignment.ok_or("no roster")?.0;
    let tmp = tempfile::tempdir()?;
    let path = tmp.path().join("roster.csv");
    std::fs::write(&path, write_grid(&b, &good))?;
    let read = read_grid(&path, &b).map_err(|p| format!("{p:?}"))?;
    assert_eq!(read, good, "the roster file reads back as written");
    let (v, _) = check(&b, &read);
    assert!(v.is_empty(), "{v:?}");
    // Employee A's day off (day 0) worked.
    let mut bad = good.clone();
    bad[0][0] = Some(0);
    let rules: Vec<&str> = check(&b, &bad).0.iter().map(|v| v.rule.as_str()).collect();
    assert!(rules.contains(&"day_off"), "{rules:?}");
    // Everyone works every day: too many days in a row and minutes.
    let all = vec![vec![Some(0); b.days]; b.staff.len()];
    let rules: Vec<&str> = check(&b, &all).0.iter().map(|v| v.rule.as_str()).collect();
    for r in ["max_consecutive", "total_minutes", "max_weekends"] {
        assert!(rules.contains(&r), "{r} missing from {rules:?}");
    }
    // One lone working day inside the horizon: too short a stretch.
    let mut lone = vec![None; b.days];
    lone[3] = Some(0);
    let mut one = good.clone();
    one[1] = lone;
    let rules: Vec<&str> = check(&b, &one).0.iter().map(|v| v.rule.as_str()).collect();
    assert!(rules.contains(&"min_consecutive"), "{rules:?}");
    Ok(())
}
