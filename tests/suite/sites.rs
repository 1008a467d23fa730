//! Follow-the-sun: a site's shift templates are written on its own clock
//! (issue 26). Stratus's Tokyo and New York shifts keep their local hours
//! when Paris, Tokyo and New York change their clocks on different dates.

use std::fs;

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};

use crate::support::{repo, slaplan};
use slaplan::input::load_instance;
use slaplan::plan::options::{shift_options, Clock};
use slaplan::requirements::week_grid;

/// Every option of `template` at its first start begins at `local` on its
/// site's clock, on the day it is filed under, and at `paris` on the
/// centre's.
fn starts(week: &str, template: &str, local: &str, paris: &str) {
    let mut inst = load_instance(&repo("instances/stratus/week-2003-03-03.yaml")).unwrap();
    inst.week_start = NaiveDate::parse_from_str(week, "%Y-%m-%d").unwrap();
    let c = &inst.centre;
    let ti = c
        .shift_templates
        .iter()
        .position(|t| t.id == template)
        .unwrap();
    let t = &c.shift_templates[ti];
    let zone = c.template_zone(t);
    let first = t.starts().next().unwrap();
    let clock = Clock::new(&inst, &week_grid(&inst));
    let options: Vec<_> = shift_options(&inst, &clock)
        .into_iter()
        .filter(|o| o.template == ti && o.start_min == first)
        .collect();
    assert_eq!(options.len(), 5, "{template} runs Monday to Friday");
    for o in &options {
        let there = clock.naive_in(zone, o.start_abs);
        assert_eq!(
            there.format("%H:%M").to_string(),
            local,
            "{week} {template}"
        );
        assert_eq!(there.date(), inst.dates()[o.day]);
        let here = clock.naive_in(c.time_zone, o.start_abs);
        assert_eq!(here.format("%H:%M").to_string(), paris, "{week} {template}");
    }
}

#[test]
fn a_tokyo_shift_keeps_its_local_hours_in_march_and_in_july() {
    // Tokyo has no daylight saving, Paris does: 01:00 in Paris in March,
    // 02:00 in July, 09:00 in Tokyo both times.
    starts("2003-03-03", "japan_day", "09:00", "01:00");
    starts("2003-07-07", "japan_day", "09:00", "02:00");
    // New York and Paris both change: six hours apart in both weeks.
    starts("2003-03-03", "us_day", "09:00", "15:00");
    starts("2003-07-07", "us_day", "09:00", "15:00");
    // The week of 31 March 2003: Paris on summer time since the 30th, New
    // York not before 6 April: seven hours apart, the shift an hour later
    // in Paris, still 09:00 in New York.
    starts("2003-03-31", "us_day", "09:00", "16:00");
}

/// The whole pipeline in a July week: plan, roster, check. A Tokyo agent's
/// rostered shift is written on the agent's clock, 09:00 at `+09:00`
/// (02:00 in Paris); the checker, reading the offsets, finds no template
/// start broken; the report places it at 02:00 on the centre's clock.
#[test]
fn a_july_week_is_rostered_on_each_site_s_clock_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let src = repo("instances/stratus");
    fs::copy(src.join("agents.csv"), dir.path().join("agents.csv")).unwrap();
    // March's forecast moved 18 weeks on, to the week of 7 July.
    let out = slaplan(&[
        "forecast",
        src.join("week-2003-03-03.yaml").to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let march = fs::read_to_string(dir.path().join("forecast.csv")).unwrap();
    let mut july = String::new();
    for (k, line) in march.lines().enumerate() {
        if k == 0 {
            july.push_str(line);
        } else {
            let cells: Vec<&str> = line.split(',').collect();
            let at = NaiveDateTime::parse_from_str(cells[1], "%Y-%m-%dT%H:%M").unwrap()
                + Duration::weeks(18);
            july.push_str(&format!(
                "\n{},{},{}",
                cells[0],
                at.format("%Y-%m-%dT%H:%M"),
                cells[2..].join(",")
            ));
        }
    }
    fs::write(dir.path().join("july.csv"), july + "\n").unwrap();
    let model = repo("models/stratus.yaml");
    fs::write(
        dir.path().join("week.yaml"),
        format!(
            "model: {}\nweek_start: 2003-07-07\ndemand:\n  forecast: july.csv\nagents: agents.csv\n",
            model.display()
        ),
    )
    .unwrap();
    let week = dir.path().join("week.yaml");
    let plan = dir.path().join("out");
    let run = slaplan(&[
        "plan",
        week.to_str().unwrap(),
        "-o",
        plan.to_str().unwrap(),
        "--no-verify",
        "-q",
    ]);
    let roster = fs::read_to_string(plan.join("roster.csv"))
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&run.stderr)));
    let tokyo: Vec<&str> = roster
        .lines()
        .filter(|l| l.contains(",japan_day,"))
        .collect();
    assert!(!tokyo.is_empty(), "{roster}");
    for l in &tokyo {
        let cells: Vec<&str> = l.split(',').collect();
        let start = NaiveDateTime::parse_from_str(cells[5], "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            (start.hour(), start.minute(), cells[7]),
            (9, 0, "+09:00"),
            "{l}"
        );
        assert_eq!(start.date().to_string(), cells[3], "{l}");
    }
    let agent = tokyo[0].split(',').next().unwrap();
    let report = fs::read_to_string(plan.join("report.html")).unwrap();
    let row = report
        .lines()
        .find(|l| l.starts_with(&format!("<tr><td>{agent}</td>")))
        .unwrap();
    assert!(row.contains("<td>02:00–11:00</td>"), "{row}");
    let check = slaplan(&[
        "check",
        week.to_str().unwrap(),
        plan.join("roster.csv").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&check.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&check.stderr)));
    let broken: Vec<&serde_json::Value> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] != "sla")
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
    // The same instant on the centre's clock is not the agent's: refused,
    // the agent's zone named.
    let first = tokyo[0];
    let cells: Vec<&str> = first.split(',').collect();
    let paris = format!(
        "{},2003-07-07 02:00,2003-07-07 11:00,+02:00,+02:00,{}",
        cells[..5].join(","),
        cells[9..].join(",")
    );
    let edited = dir.path().join("edited.csv");
    fs::write(&edited, roster.replacen(first, &paris, 1)).unwrap();
    let check = slaplan(&["check", week.to_str().unwrap(), edited.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(2), "{err}");
    assert!(err.contains("Asia/Tokyo's offset"), "{err}");
}

/// The Stratus queue's hours in the week of `monday`: its first open
/// minute on Monday and its last on Friday night, on the centre's clock.
fn stratus_hours(monday: &str) -> (u32, u32, u32) {
    let dir = tempfile::tempdir().unwrap();
    let src = repo("instances/stratus");
    fs::write(
        dir.path().join("week.yaml"),
        format!(
            "model: {}\nweek_start: {monday}\ndemand:\n  history: {}\nagents: {}\n",
            repo("models/stratus.yaml").display(),
            src.join("history.csv").display(),
            src.join("agents.csv").display()
        ),
    )
    .unwrap();
    let inst = load_instance(&dir.path().join("week.yaml")).unwrap();
    let hours = &inst.centre.queues[0].opening;
    let monday_opens = hours.day(0)[0].start_min;
    let saturday_closes = hours.day(5).last().map_or(0, |s| s.end_min);
    (monday_opens, saturday_closes, hours.open_minutes())
}

/// Stratus's hours are written per site on each site's clock
/// (`opening_hours_by_site`): Tokyo opens the week at 09:00 its time, 01:00
/// in Paris in March and 02:00 in July, when Tokyo's 09:00 is Paris's
/// 02:00; New York closes it at 19:00 its time, 01:00 Saturday in Paris in
/// both. The week of 31 March 2003, with Paris on summer time and New York
/// not yet, opens at 02:00 and closes at 02:00.
#[test]
fn opening_hours_on_each_site_s_clock_follow_the_week_s_offsets() {
    assert_eq!(stratus_hours("2003-03-03"), (60, 60, 120 * 60));
    assert_eq!(stratus_hours("2003-07-07"), (120, 60, 115 * 60));
    let (opens, closes, _) = stratus_hours("2003-03-31");
    assert_eq!((opens, closes), (120, 120));
}

/// The first period of Stratus's weekend rota written on `site`'s clock
/// (Saturday 08:00 to Monday 09:00 there) in the week of `week`: its start
/// on that clock and on the centre's (Paris).
fn rota_start(week: &str, site: Option<&str>) -> (String, String) {
    use slaplan::model::{Span, WeekHours};
    let mut inst = load_instance(&repo("instances/stratus/week-2003-03-03.yaml")).unwrap();
    inst.week_start = NaiveDate::parse_from_str(week, "%Y-%m-%d").unwrap();
    let s = site.map(|id| inst.centre.sites.iter().position(|x| x.id == id).unwrap());
    let mut hours = WeekHours::default();
    for (day, start_min, end_min) in [(5, 8 * 60, 24 * 60), (6, 0, 24 * 60), (0, 0, 9 * 60)] {
        hours.add(day, Span { start_min, end_min });
    }
    let rota = &mut inst.centre.on_call[0];
    rota.site = s;
    rota.hours = hours;
    let clock = Clock::new(&inst, &week_grid(&inst));
    let periods = slaplan::roster::on_call::periods(&inst, &clock);
    assert_eq!(periods.len(), 1, "one weekend");
    let zone = inst.centre.zone(s);
    let at = |z, abs| clock.naive_in(z, abs).format("%a %H:%M").to_string();
    (
        at(zone, periods[0].start),
        at(inst.centre.time_zone, periods[0].start),
    )
}

#[test]
fn an_on_call_rota_on_a_site_s_clock_keeps_its_local_hours() {
    // On Tokyo's clock: Saturday 08:00 in Tokyo in March and in July,
    // midnight in Paris in March and 01:00 in July (Paris on summer time).
    let march = rota_start("2003-03-03", Some("japan"));
    let july = rota_start("2003-07-07", Some("japan"));
    assert_eq!(march, ("Sat 08:00".into(), "Sat 00:00".into()));
    assert_eq!(july, ("Sat 08:00".into(), "Sat 01:00".into()));
    // Without a site the hours are Paris's, whatever the season.
    assert_eq!(rota_start("2003-07-07", None).1, "Sat 08:00");
}

/// A rota naming a site the model does not declare is refused by
/// `validate`, with where and what.
#[test]
fn an_on_call_rota_on_an_unknown_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = repo("instances/stratus");
    for f in [
        "agents.csv",
        "history.csv",
        "history.yaml",
        "week-2003-03-03.yaml",
    ] {
        fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let model = fs::read_to_string(repo("models/stratus.yaml")).unwrap();
    let edited = model.replacen(
        "    skill_group: engineers\n",
        "    skill_group: engineers\n    site: mars\n",
        1,
    );
    assert_ne!(edited, model, "the rota's skill_group line");
    fs::create_dir_all(dir.path().join("models")).unwrap();
    fs::write(dir.path().join("models/stratus.yaml"), edited).unwrap();
    let week = fs::read_to_string(dir.path().join("week-2003-03-03.yaml"))
        .unwrap()
        .replace("../../models/stratus.yaml", "models/stratus.yaml");
    fs::write(dir.path().join("week.yaml"), week).unwrap();
    let out = slaplan(&["validate", dir.path().join("week.yaml").to_str().unwrap()]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("mars") && text.contains("on_call"), "{text}");
}
