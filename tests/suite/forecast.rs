//! Forecasting on the shipped centres and through the CLI: the generating
//! volumes are recovered, the forecast CSV reads back as a forecast
//! instance, daylight-saving weeks keep their local grid, and short or
//! coarse histories give a stated fallback or a clear error.

use std::fs;
use std::path::{Path, PathBuf};

use slaplan::forecast::{forecast_instance, Method};
use slaplan::generate;
use slaplan::input::load_instance;
use slaplan::model::Demand;

use crate::support::slaplan;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn forecast_recovers_the_generating_weekly_volume() {
    for (centre, instance) in [
        ("club-internet", "week-2003-03-03.yaml"),
        ("amen", "strike-week.yaml"),
        ("internet-telecom", "week-50-agents.yaml"),
        ("stratus", "week-2003-03-03.yaml"),
    ] {
        let dir = Path::new(ROOT).join("instances").join(centre);
        let spec = generate::read_spec(&dir.join("history.yaml")).unwrap();
        let inst = load_instance(&dir.join(instance)).unwrap();
        let f = forecast_instance(&inst, None, 6).unwrap();
        for (queue, weekly) in &spec.weekly_contacts {
            let q = inst
                .centre
                .queues
                .iter()
                .position(|x| &x.id == queue)
                .unwrap();
            // The instance week is week `weeks` of the generator's sequence.
            let expected = weekly * (1.0 + spec.weekly_trend).powi(spec.weeks as i32);
            let got: f64 = f
                .rows
                .iter()
                .filter(|r| r.queue == q)
                .map(|r| r.contacts)
                .sum();
            let error = (got - expected).abs() / expected;
            // Poisson noise of an 8-week history: 3 sigma of its mean.
            let noise = 3.0 / (expected * f64::from(spec.weeks)).sqrt();
            if noise <= 0.05 {
                assert!(
                    error <= 0.05,
                    "{centre}/{queue}: {got:.0} vs {expected:.0} ({:.1}%)",
                    error * 100.0
                );
            } else {
                // Stratus' few calls a week: 5% is below the noise itself.
                assert!(
                    error <= noise,
                    "{centre}/{queue}: {got:.1} vs {expected:.1}, noise {noise:.2}"
                );
            }
        }
    }
}

#[test]
fn forecast_csv_reads_back_as_the_weeks_demand() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(ROOT).join("instances/amen");
    for f in ["strike-week.yaml", "agents.csv", "history.csv"] {
        fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let text = fs::read_to_string(dir.path().join("strike-week.yaml")).unwrap();
    let model = Path::new(ROOT).join("models/amen.yaml");
    let text = text.replace("../../models/amen.yaml", model.to_str().unwrap());
    fs::write(dir.path().join("strike-week.yaml"), &text).unwrap();
    // `-o` is the folder: forecast.csv and forecast.json go in beside the
    // week's own files, which stay.
    let run = slaplan(&[
        "forecast",
        dir.path().join("strike-week.yaml").to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let table = String::from_utf8_lossy(&run.stdout);
    assert!(
        table.contains("<- averaged") || table.contains("<- chosen"),
        "{table}"
    );
    let backtest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("forecast.json")).unwrap())
            .unwrap();
    let queues = backtest["queues"].as_array().unwrap();
    assert!(!queues.is_empty());
    assert!(queues.iter().all(|q| q["chosen"].is_string()), "{backtest}");
    assert!(dir.path().join("history.csv").exists());

    fs::write(
        dir.path().join("given.yaml"),
        text.replace("  history: history.csv", "  forecast: forecast.csv"),
    )
    .unwrap();
    let given = load_instance(&dir.path().join("given.yaml")).unwrap();
    let Demand::Forecast(rows) = &given.demand else {
        panic!("forecast")
    };
    let from_history = forecast_instance(
        &load_instance(&dir.path().join("strike-week.yaml")).unwrap(),
        None,
        6,
    )
    .unwrap();
    assert_eq!(rows.len(), from_history.rows.len());
    for (a, b) in rows.iter().zip(&from_history.rows) {
        assert_eq!((a.queue, a.start), (b.queue, b.start));
        assert!((a.contacts - b.contacts).abs() < 5e-4);
    }
    // A given forecast is used as it is.
    let used = forecast_instance(&given, None, 6).unwrap();
    assert_eq!(&used.rows, rows);
}

/// A one-queue centre open around the clock, in Paris, with its history
/// generated from `first_week` for `weeks` weeks.
fn round_the_clock(first_week: &str, weeks: u32, week_start: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("model.yaml"),
        "name: Night desk\ntime_zone: Europe/Paris\ninterval: 30m\nopening_hours: { all: 24h }\n\
         queues:\n  - { id: desk, channel: voice, aht: 5m, sla: { target: 80%, answer_within: 20s } }\n\
         skill_groups:\n  - { id: all, queues: [desk] }\n\
         contracts:\n  - { id: ft, weekly_hours: { min: 35h, max: 40h }, max_days: 5, max_hours_per_day: 9h, hourly_cost: 20 }\n\
         shift_templates:\n  - { id: s, starts: 00:00-16:00, step: 8h, length: 8h }\n",
    )
    .unwrap();
    fs::write(
        p.join("history.yaml"),
        format!(
            "model: model.yaml\nfirst_week: {first_week}\nweeks: {weeks}\nseed: 1\n\
             weekly_contacts: {{ desk: 60000 }}\nday_shares: [0.15, 0.15, 0.15, 0.15, 0.15, 0.13, 0.12]\n"
        ),
    )
    .unwrap();
    fs::write(
        p.join("history.csv"),
        generate::history_csv(&p.join("history.yaml")).unwrap(),
    )
    .unwrap();
    fs::write(p.join("agents.csv"), "id,skill_group,contract\nA1,all,ft\n").unwrap();
    let inst = p.join("week.yaml");
    fs::write(
        &inst,
        format!("model: model.yaml\nweek_start: {week_start}\ndemand: {{ history: history.csv }}\nagents: agents.csv\n"),
    )
    .unwrap();
    (dir, inst)
}

#[test]
fn daylight_saving_keeps_the_local_grid() {
    // History through the fall-back night (Sunday 26 October 2003, 02:00
    // twice) forecasting the next week by seasonal naive: the repeated hour
    // is averaged, not doubled.
    let (_d, inst) = round_the_clock("2003-10-06", 4, "2003-11-03");
    let i = load_instance(&inst).unwrap();
    let f = forecast_instance(&i, Some(Method::SeasonalNaive), 2).unwrap();
    let at = |t: &str| {
        let rows: Vec<f64> = f
            .rows
            .iter()
            .filter(|r| r.start.format("%Y-%m-%dT%H:%M").to_string() == t)
            .map(|r| r.contacts)
            .collect();
        assert_eq!(rows.len(), 1, "{t}");
        rows[0]
    };
    let (before, repeated, after) = (
        at("2003-11-09T01:30"),
        at("2003-11-09T02:00"),
        at("2003-11-09T03:00"),
    );
    assert!(
        repeated < 1.4 * before.max(after),
        "{before} {repeated} {after}"
    );
    assert_eq!(f.rows.len(), 7 * 48);

    // A forecast week holding the spring-forward night (Sunday 28 March
    // 2004): no rows for 02:00 and 02:30, the rest of the day in place.
    let (_d, inst) = round_the_clock("2004-01-05", 11, "2004-03-22");
    let i = load_instance(&inst).unwrap();
    let f = forecast_instance(&i, None, 6).unwrap();
    let sunday: Vec<String> = f
        .rows
        .iter()
        .filter(|r| r.start.date().to_string() == "2004-03-28")
        .map(|r| r.start.format("%H:%M").to_string())
        .collect();
    assert_eq!(sunday.len(), 46);
    assert!(!sunday.contains(&"02:00".to_string()) && !sunday.contains(&"02:30".to_string()));
    assert!(sunday.contains(&"03:00".to_string()));
}

#[test]
fn short_or_coarse_histories_fall_back_or_say_why() {
    // One week: Holt-Winters needs two; auto falls back to what one week allows.
    let (_d, inst) = round_the_clock("2004-01-05", 1, "2004-01-12");
    let i = load_instance(&inst).unwrap();
    let f = forecast_instance(&i, None, 6).unwrap();
    assert_eq!(f.queues[0].chosen.as_single(), Some(Method::SeasonalNaive));
    let out = slaplan(&[
        "forecast",
        inst.to_str().unwrap(),
        "--method",
        "holt-winters",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holt-winters needs 2 week(s) of history, there are 1"),
        "{err}"
    );

    // Less than a week before the week planned.
    let (_d, inst) = round_the_clock("2004-01-05", 1, "2004-01-12");
    let history = inst.with_file_name("history.csv");
    let text = fs::read_to_string(&history).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("2004-01-05") && !l.starts_with("2004-01-06"))
        .collect();
    fs::write(&history, kept.join("\n")).unwrap();
    let out = slaplan(&["forecast", inst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least one week"));

    // 20-minute export into 30-minute intervals cannot be aggregated.
    let (_d, inst) = round_the_clock("2004-01-05", 2, "2004-01-19");
    let history = inst.with_file_name("history.csv");
    let text = fs::read_to_string(&history)
        .unwrap()
        .replace("T00:30,", "T00:20,");
    fs::write(&history, text).unwrap();
    let out = slaplan(&["forecast", inst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("20-minute intervals"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A bad row is located by the loader, not a panic.
    let (_d, inst) = round_the_clock("2004-01-05", 2, "2004-01-19");
    let history = inst.with_file_name("history.csv");
    let text =
        fs::read_to_string(&history)
            .unwrap()
            .replacen("2004-01-05T00:00", "2004-01-05X00:00", 1);
    fs::write(&history, text).unwrap();
    let out = slaplan(&["forecast", inst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("history.csv:2") && err.contains("E302"),
        "{err}"
    );
}

#[test]
fn special_days_are_left_out_of_training_and_scaled_in_the_week() {
    // Four weeks of history whose last Wednesday (2004-01-28) the centre was
    // shut: all its rows at zero.
    let (_d, inst) = round_the_clock("2004-01-05", 4, "2004-02-02");
    let history = inst.with_file_name("history.csv");
    let text: String = fs::read_to_string(&history)
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("2004-01-28") {
                let cells: Vec<&str> = l.split(',').collect();
                format!("{},{},0,\n", cells[0], cells[1])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(&history, text).unwrap();
    let wednesday = |f: &slaplan::forecast::InstanceForecast, date: &str| -> f64 {
        f.rows
            .iter()
            .filter(|r| r.start.date().to_string() == date)
            .map(|r| r.contacts)
            .sum()
    };
    let plain = load_instance(&inst).unwrap();
    let naive = forecast_instance(&plain, Some(Method::SeasonalNaive), 2).unwrap();
    assert!(
        wednesday(&naive, "2004-02-04") < 1e-9,
        "the shut day is copied when not declared"
    );

    // Declared as a special day: left out, so last week's Wednesday is the
    // one before; and a special day in the week planned scales its day.
    let text = fs::read_to_string(&inst).unwrap();
    fs::write(
        &inst,
        format!(
            "{text}special_days:\n  - {{ date: 2004-01-28, name: Shut for works }}\n  - {{ date: 2004-02-04, name: Half day, volume_factor: 0.5 }}\n"
        ),
    )
    .unwrap();
    let declared = load_instance(&inst).unwrap();
    let f = forecast_instance(&declared, Some(Method::SeasonalNaive), 2).unwrap();
    let two_weeks_before: f64 = {
        let all = forecast_instance(&plain, Some(Method::SeasonalNaive), 2).unwrap();
        // Thursday's volume as a yardstick for a normal weekday.
        all.rows
            .iter()
            .filter(|r| r.start.date().to_string() == "2004-02-05")
            .map(|r| r.contacts)
            .sum()
    };
    let got = wednesday(&f, "2004-02-04");
    assert!(
        got > 0.3 * two_weeks_before && got < 0.7 * two_weeks_before,
        "{got} vs a normal day {two_weeks_before}"
    );
    assert!(
        f.notes.iter().any(|n| n.contains("left out of training")),
        "{:?}",
        f.notes
    );
    assert!(f.notes.iter().any(|n| n.contains("× 0.5")), "{:?}", f.notes);
}

#[test]
fn same_history_same_bytes_and_json_says_what_was_chosen() {
    let inst = Path::new(ROOT).join("instances/internet-telecom/week-50-agents.yaml");
    let inst = inst.to_str().unwrap();
    let a = slaplan(&["forecast", inst, "--format", "csv"]);
    let b = slaplan(&["forecast", inst, "--format", "csv"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(text.starts_with(
        "queue,interval_start,contacts,aht_s,contacts_p10,contacts_p90,contacts_p025,contacts_p975\n"
    ));
    // Every row's intervals hold its forecast, the 95% the 80%.
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .skip(2)
            .map(|x| x.parse().unwrap())
            .collect();
        let (f, p10, p90, p025, p975) = (v[0], v[2], v[3], v[4], v[5]);
        assert!(
            p025 <= p10 && p10 <= f.ceil() && f.floor() <= p90 && p90 <= p975,
            "{line}"
        );
    }

    let json = slaplan(&["forecast", inst, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["weeks_of_history"], 8);
    for q in v["queues"].as_array().unwrap() {
        let chosen = q["chosen"].as_str().unwrap();
        let scores = q["backtest"].as_array().unwrap();
        assert!(scores.iter().any(|s| s["method"] == "auto"));
        // Auto uses the lowest WAPE of the candidates' backtests (with
        // those within 2% of it).
        let best = scores
            .iter()
            .filter(|s| s["method"] != "auto")
            .min_by(|x, y| {
                x["wape"]
                    .as_f64()
                    .unwrap()
                    .total_cmp(&y["wape"].as_f64().unwrap())
            })
            .unwrap();
        let best = best["method"].as_str().unwrap();
        assert!(
            chosen.starts_with("mean of ") && chosen.contains(best),
            "{q}"
        );
        // Each day's total with its intervals, in order around it.
        let days = q["days"].as_array().unwrap();
        assert_eq!(days.len(), 7, "{q}");
        for d in days {
            let at = |k: &str| d[k].as_f64().unwrap();
            let c = at("contacts");
            assert!(
                at("p025") <= at("p10")
                    && at("p10") <= c.ceil()
                    && c.floor() <= at("p90")
                    && at("p90") <= at("p975"),
                "{d}"
            );
        }
        // The AHT forecast's error is shown beside the volume's.
        assert!(q["aht_wape"].as_f64().is_some_and(|w| w < 0.2), "{q}");
        assert!(["interval", "day"].contains(&q["scored_by"].as_str().unwrap()));
    }
}

/// Any `-Kw` a planner asks for is forecast and backtested, not only the
/// weeks auto chooses from (a 3-week weighted average, a 12-week median).
#[test]
fn a_method_outside_auto_s_candidates_can_be_forced() {
    let inst = Path::new(ROOT).join("instances/amen/strike-week.yaml");
    for method in ["weighted-average-3w", "median-12w"] {
        let out = slaplan(&["forecast", inst.to_str().unwrap(), "--method", method]);
        let table = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{method}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            table
                .lines()
                .any(|l| l.contains(method) && l.contains("<- chosen")),
            "{table}"
        );
    }
}
