//! The planning MIP end to end, through the real binary: the Club-Internet
//! week within 1% of its lower bound with every SLA kept under exact
//! re-evaluation; weekly against per-interval SLAs; outsourcing used only
//! when it pays; an impossible week explained; the same bytes twice. Every
//! roster written passes `slaplan check`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{repo, slaplan};

/// Runs `slaplan plan` into a fresh folder; returns (exit code, plan.json,
/// stderr, the folder).
fn plan(instance: &Path, extra: &[&str]) -> (i32, Option<Value>, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_slaplan"))
        .arg("plan")
        .arg(instance)
        .arg("-o")
        .arg(dir.path())
        .args(extra)
        .output()
        .unwrap();
    let json = std::fs::read(dir.path().join("plan.json"))
        .ok()
        .map(|b| serde_json::from_slice(&b).unwrap());
    // Every roster a plan writes passes the independent checker, counted
    // with the same SLA scope.
    let roster = dir.path().join("roster.csv");
    if out.status.code() == Some(0) && roster.exists() {
        let scope: Vec<&str> = extra
            .windows(2)
            .filter(|w| w[0] == "--sla-scope")
            .flat_map(|w| w.iter().copied())
            .collect();
        let check = Command::new(env!("CARGO_BIN_EXE_slaplan"))
            .arg("check")
            .arg(instance)
            .arg(&roster)
            .args(&scope)
            .output()
            .unwrap();
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}: the checker finds violations:\n{}",
            instance.display(),
            String::from_utf8_lossy(&check.stdout)
        );
    }
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        dir,
    )
}

fn num(v: &Value, path: &[&str]) -> f64 {
    let mut x = v;
    for p in path {
        x = &x[*p];
    }
    x.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number: {x}"))
}

/// Every contractual SLA kept what the plan promised, and met its target
/// unless its missed points are priced.
fn assert_slas_kept(p: &Value, priced: &[&str]) {
    for s in p["sla"].as_array().unwrap() {
        if !s["contractual"].as_bool().unwrap() {
            continue;
        }
        let q = s["queue"].as_str().unwrap();
        assert!(s["kept"].as_bool().unwrap(), "{q}: {s}");
        assert!(
            num(s, &["achieved"]) + 1e-9 >= num(s, &["promised"]),
            "{q}: exact SL below the plan's promise: {s}"
        );
        if !priced.contains(&q) {
            assert!(
                num(s, &["achieved"]) + 1e-9 >= num(s, &["target"]),
                "{q}: {s}"
            );
        }
    }
}

#[test]
fn club_internet_week_is_planned_within_one_percent_and_keeps_every_sla() {
    let inst = repo("instances/club-internet/week-2003-03-03.yaml");
    // The 60 s figure is measured by the bench and reported; here the
    // limit only keeps a slow machine from failing for speed.
    let (code, p, err, dir) = plan(
        &inst,
        &[
            "--time-limit",
            "300",
            "--roster-time-limit",
            "300",
            "--ics",
            "--simulate",
            // The plan as the tables make it, which this test measures
            // against its bound; the verification has tests/suite/verify.rs
            // and the bench's verified Club-Internet case.
            "--no-verify",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let p = p.unwrap();
    assert!(
        matches!(p["status"].as_str(), Some("optimal") | Some("feasible")),
        "{p}"
    );
    let gap = num(&p, &["gap"]);
    assert!(gap <= 0.01, "gap {gap}");
    let total = num(&p, &["cost", "total"]);
    let bound = num(&p, &["lower_bound"]);
    assert!(bound <= total + 1e-6 && (total - bound) / total <= 0.01 + 1e-9);
    let parts = num(&p, &["cost", "in_house"])
        + num(&p, &["cost", "outsourced"])
        + num(&p, &["cost", "penalties"]);
    assert!((parts - total).abs() < 0.05, "{parts} vs {total}");
    assert!(num(&p, &["work", "simplex_iterations"]) > 0.0);
    assert_slas_kept(&p, &["acquisition"]);
    // Never more shifts on a day than agents (315).
    for (d, n) in p["staffing"]["shifts_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert!(n.as_u64().unwrap() <= 315, "day {d}: {n} shifts");
    }
    // coverage.csv: one row per open voice interval with calls and per
    // deferred interval with contacts; staffed ≥ required where the SLA is
    // per interval.
    let cov = std::fs::read_to_string(dir.path().join("coverage.csv")).unwrap();
    let mut rows = 0;
    for line in cov.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        rows += 1;
        if matches!(f[0], "level1" | "retention") {
            let required: f64 = f[4].parse().unwrap();
            let staffed: f64 = f[5].parse().unwrap();
            let sent: f64 = f[6].parse().unwrap();
            let sl: f64 = f[7].parse().unwrap();
            assert!(staffed + 1e-6 >= required || sent > 0.0, "{line}");
            assert!(sl + 1e-6 >= 0.8, "{line}");
        }
    }
    assert!(rows > 500, "{rows} coverage rows");
    // shifts.csv: counts add up to the days' totals in plan.json.
    let shifts = std::fs::read_to_string(dir.path().join("shifts.csv")).unwrap();
    let total_shifts: u64 = shifts
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(6).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total_shifts, p["staffing"]["shifts"].as_u64().unwrap());
    // The roster of the 315 named agents: every planned shift filled,
    // within 2% of the plan's lower bound, and clean by the checker.
    let r = &p["roster"];
    assert!(r["unfilled"].as_array().unwrap().is_empty(), "{r}");
    let working = r["agents_working"].as_u64().unwrap();
    assert!(working <= 315, "{r}");
    assert!(r["shifts"].as_u64().unwrap() >= total_shifts, "{r}");
    let rgap = num(r, &["gap_to_lower_bound"]);
    assert!((0.0..=0.02).contains(&rgap), "roster gap {rgap}");
    let roster = dir.path().join("roster.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_slaplan"))
        .arg("check")
        .arg(&inst)
        .arg(&roster)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report["violations"].as_array().unwrap().is_empty());
    assert_eq!(report["shifts"], r["shifts"]);
    for s in report["sla"].as_array().unwrap() {
        if s["contractual"].as_bool().unwrap() && s["queue"] != "acquisition" {
            assert!(num(s, &["achieved"]) + 1e-9 >= num(s, &["target"]), "{s}");
        }
    }
    // One calendar per working agent, an event per shift.
    let text = std::fs::read_to_string(&roster).unwrap();
    let ics: Vec<_> = std::fs::read_dir(dir.path().join("ics")).unwrap().collect();
    assert_eq!(ics.len() as u64, working);
    let agent = text.lines().nth(1).unwrap().split(',').next().unwrap();
    let cal = std::fs::read_to_string(dir.path().join("ics").join(format!("{agent}.ics"))).unwrap();
    let rows = text
        .lines()
        .filter(|l| l.starts_with(&format!("{agent},")))
        .count();
    assert_eq!(cal.matches("BEGIN:VEVENT").count(), rows, "{cal}");
    simulated_club_internet(&inst, &p, dir.path());
    reported_club_internet(&p, dir.path());
}

/// report.html: well-formed, self-contained, every section and chart there;
/// `slaplan report` rebuilds it byte for byte from the folder; headless
/// Chromium renders it (where the machine has Chromium).
fn reported_club_internet(p: &Value, dir: &Path) {
    let path = dir.join("report.html");
    let html = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("report.html is well-formed XHTML");
    let sections: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("section"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(sections, slaplan::report::plan::SECTIONS);
    // Nothing loaded from elsewhere: one inline script, no link, no src.
    let scripts = doc.descendants().filter(|n| n.has_tag_name("script"));
    assert_eq!(scripts.count(), 1);
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(!["link", "img", "iframe"].contains(&tag), "<{tag}>");
        assert!(
            n.attribute("src").is_none() && n.attribute("href").is_none_or(|h| h.starts_with('#'))
        );
    }
    let charts = |kind: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.attribute("data-chart") == Some(kind))
            .inspect(|n| {
                let svg = n.children().find(|c| c.has_tag_name("svg"));
                let shapes = svg.map_or(0, |s| s.descendants().filter(|d| d.is_element()).count());
                assert!(shapes > 10, "{kind} chart without drawing");
            })
            .map(|n| n.attribute("data-name").unwrap().to_string())
            .collect()
    };
    let queues: Vec<String> = p["service_levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["queue"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(queues.len(), 6);
    // Where the money goes, by planning group and by day: more than one
    // bar each, and the splits add up to the in-house cost.
    assert_eq!(
        charts("cost"),
        ["cost by planning group", "in-house cost by day"]
    );
    let cost = &p["cost"];
    for split in ["by_day", "by_group"] {
        let parts = cost[split].as_array().unwrap();
        assert!(parts.len() > 1, "{split}: {parts:?}");
        let sum: f64 = parts
            .iter()
            .map(|x| x["wages"].as_f64().unwrap() + x["premiums"].as_f64().unwrap())
            .sum();
        let in_house = cost["in_house"].as_f64().unwrap();
        assert!(
            (sum - in_house).abs() < 0.01 * parts.len() as f64,
            "{split}: {sum} against {in_house}"
        );
    }
    assert_eq!(cost["by_day"][0]["of"], "Mon");
    assert_eq!(charts("sla"), queues);
    assert_eq!(charts("staffing"), queues);
    assert_eq!(charts("service"), queues);
    // One roster chart per planning group, in the roster's groups.
    let roster_csv = std::fs::read_to_string(dir.join("roster.csv")).unwrap();
    let mut groups: Vec<String> = roster_csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect();
    groups.sort();
    groups.dedup();
    assert_eq!(charts("roster"), groups);
    // A bar per shift: at least the roster's shift count of rectangles,
    // and every agent labelled beside its row.
    let (mut rects, mut labelled) = (0u64, std::collections::BTreeSet::new());
    for gantt in doc
        .descendants()
        .filter(|n| n.attribute("data-chart") == Some("roster"))
    {
        rects += gantt
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .count() as u64;
        labelled.extend(
            gantt
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .map(|t| t.trim().to_string()),
        );
    }
    assert!(rects >= p["roster"]["shifts"].as_u64().unwrap(), "{rects}");
    // The roster as a sortable table: a row per working agent, a column
    // per day; every shift of roster.csv in its agent's row.
    let sortable = doc
        .descendants()
        .find(|n| n.has_tag_name("table") && n.attribute("class") == Some("sortable"))
        .expect("the roster table");
    let cells = |row: roxmltree::Node| -> Vec<String> {
        row.children()
            .filter(|c| c.is_element())
            .map(|c| c.text().unwrap_or("").to_string())
            .collect()
    };
    let mut body = sortable
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .map(cells);
    let head = body.next().unwrap();
    assert_eq!(head[..4], ["agent", "group", "shifts", "paid hours"]);
    assert_eq!(head[4..], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    let rows: Vec<Vec<String>> = body.collect();
    assert_eq!(
        rows.len() as u64,
        p["roster"]["agents_working"].as_u64().unwrap()
    );
    let shifts: usize = rows.iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
    assert_eq!(shifts as u64, p["roster"]["shifts"].as_u64().unwrap());
    let first = roster_csv.lines().nth(1).unwrap();
    let f: Vec<&str> = first.split(',').collect();
    let row = rows.iter().find(|r| r[0] == f[0]).unwrap();
    let (start, end) = (&f[5][11..16], &f[6][11..16]);
    assert!(
        row[4..]
            .iter()
            .any(|d| d.contains(&format!("{start}–{end}"))),
        "{first}: {row:?}"
    );
    // Over and under as a heat map per voice queue: a row per open day,
    // a cell per interval, red where short.
    let maps: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("table") && n.attribute("class") == Some("heat"))
        .collect();
    let coverage = std::fs::read_to_string(dir.join("coverage.csv")).unwrap();
    let voice: Vec<&str> = p["service_levels"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["queue"].as_str())
        .filter(|q| {
            coverage
                .lines()
                .any(|l| l.starts_with(&format!("{q},")) && l.split(',').nth(4) != Some(""))
        })
        .collect();
    let mapped: Vec<&str> = maps
        .iter()
        .filter_map(|m| m.attribute("data-queue"))
        .collect();
    assert_eq!(mapped, voice);
    let rgb = |style: &str| -> Option<[u8; 3]> {
        let inner = style.split("rgb(").nth(1)?.split(')').next()?;
        let v: Vec<u8> = inner.split(',').filter_map(|x| x.parse().ok()).collect();
        v.try_into().ok()
    };
    let reds = maps
        .iter()
        .flat_map(|m| m.descendants())
        .filter_map(|n| rgb(n.attribute("style")?))
        .filter(|[r, _, b]| *r > b.saturating_add(40))
        .count();
    assert!(
        reds > 0,
        "no interval short: the shortfalls of level2 are known"
    );
    for agent in roster_csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
    {
        assert!(labelled.contains(agent), "{agent} not labelled");
    }
    // The tables carry the plan's figures.
    let text: String = doc
        .descendants()
        .filter_map(|n| n.text())
        .collect::<String>()
        .replace('\u{202f}', "");
    let total = p["cost"]["total"].as_f64().unwrap();
    assert!(text.contains(&format!("{total:.2}")), "the cost {total}");
    assert!(text.contains(p["status"].as_str().unwrap()));
    // Rebuilt from the folder: the same bytes.
    std::fs::remove_file(&path).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_slaplan"))
        .arg("report")
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), html);
    // A folder without a plan: exit 2, naming the file.
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_slaplan"))
        .arg("report")
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("plan.json"));
    assert!(!empty.path().join("report.html").exists());
    // Rendered as a reader's browser would, when there is one.
    if which("chromium").is_some() {
        let png = dir.join("report.png");
        let out = Command::new(repo(".ci/render-report"))
            .arg(&path)
            .arg(&png)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert!(
            bytes.len() > 50_000,
            "a blank page is small: {}",
            bytes.len()
        );
        // The page as Chromium built it: every section, no console error.
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
            .arg(format!("file://{}", path.canonicalize().unwrap().display()))
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&out.stdout);
        for id in slaplan::report::plan::SECTIONS {
            assert!(
                dom.contains(&format!("<section id=\"{id}\"")),
                "{id} not rendered"
            );
        }
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(
            !log.contains("Uncaught") && !log.contains("CONSOLE("),
            "console: {log}"
        );
    } else if std::env::var_os("SLAPLAN_REQUIRE_CHROMIUM").is_some() {
        panic!("SLAPLAN_REQUIRE_CHROMIUM is set and no chromium is on PATH (apt-get install -y chromium)");
    } else {
        eprintln!(
            "NOT RUN: rendering report.html in headless Chromium: no chromium on PATH (apt-get install -y chromium)"
        );
    }
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(cmd))
            .find(|p| p.is_file())
    })
}

/// The roster replayed call by call (`--simulate`): where pooling agents
/// over queues does better than the per-queue Erlang projection, where
/// breaks and shift edges do worse; the same bytes from `slaplan simulate`
/// on one thread or two.
fn simulated_club_internet(inst: &Path, p: &Value, dir: &Path) {
    let sim = &p["simulation"];
    let queues = sim["queues"].as_array().unwrap();
    assert_eq!(queues.len(), 6, "{sim}");
    let contacts = num(sim, &["contacts_per_replication", "mean"]);
    assert!((30_000.0..50_000.0).contains(&contacts), "{contacts}");
    let verdict = |q: &Value| q["week"]["verdict"].as_str().unwrap().to_string();
    // Level 1 is taken by five groups: pooled, it does better than the
    // projection, which splits agents over queues statically.
    let level1 = queues.iter().find(|q| q["queue"] == "level1").unwrap();
    assert_eq!(verdict(level1), "better", "{level1}");
    assert!(num(level1, &["intervals", "better_pooled"]) > 0.0);
    // Somewhere the simulation does worse, at breaks or shift edges.
    let worse_at_edges: f64 = queues
        .iter()
        .map(|q| num(q, &["intervals", "worse_at_breaks_or_edges"]))
        .sum();
    assert!(worse_at_edges > 0.0, "{sim}");
    for q in queues {
        let w = &q["week"];
        if let Some(sl) = w["sl"].as_object() {
            let (lo, hi) = (sl["low"].as_f64().unwrap(), sl["high"].as_f64().unwrap());
            assert!(lo <= hi && (0.0..=1.0 + 1e-9).contains(&sl["mean"].as_f64().unwrap()));
            let projected = num(w, &["projected_sl"]);
            let expected = if projected < lo - 1e-9 {
                "better"
            } else if projected > hi + 1e-9 {
                "worse"
            } else {
                "within"
            };
            assert_eq!(verdict(q), expected, "{q}");
        }
    }
    // `slaplan simulate` on the plan's files, on one thread and on two:
    // the plan's simulation.csv, byte for byte.
    let csv = std::fs::read(dir.join("simulation.csv")).unwrap();
    for threads in ["1", "2"] {
        let out = tempfile::tempdir().unwrap();
        let run = Command::new(env!("CARGO_BIN_EXE_slaplan"))
            .arg("simulate")
            .arg(inst)
            .arg(dir.join("roster.csv"))
            .args(["--threads", threads, "-o"])
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(
            std::fs::read(out.path().join("simulation.csv")).unwrap(),
            csv,
            "threads {threads}"
        );
    }
}

#[test]
fn bad_simulation_input_is_refused_without_output() {
    let inst = repo("instances/club-internet/week-2003-03-03.yaml");
    let out = tempfile::tempdir().unwrap();
    let roster = out.path().join("roster.csv");
    // A roster naming an agent the instance lacks.
    std::fs::write(
        &roster,
        "agent,name,group,date,template,start,end,utc_offset,end_utc_offset,paid_hours,breaks,queues\n\
         ZZZ,Nobody,n1,2003-03-03,early,2003-03-03 08:00,2003-03-03 16:00,+01:00,+01:00,7.00,,level1\n",
    )
    .unwrap();
    std::fs::write(
        out.path().join("allocation.csv"),
        "kind,server,queue,interval_start,repeated_hour,agents,contacts\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_slaplan"))
            .arg("simulate")
            .arg(&inst)
            .arg(&roster)
            .args(extra)
            .output()
            .unwrap()
    };
    let r = run(&[]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("ZZZ") && err.contains("roster.csv:2"), "{err}");
    let r = run(&["--replications", "1"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--replications"));
    let r = run(&["--handle-cv", "-1"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(!out.path().join("simulation.csv").exists());
    assert!(!out.path().join("simulation.json").exists());
}

#[test]
fn a_weekly_sla_costs_less_than_the_same_target_per_interval() {
    let inst = repo("instances/club-internet/week-2003-03-03.yaml");
    // Plans only: the claim is about the plans' costs and SLAs (with
    // rosters the weekly scope's roster alone searched its 120 s, twice,
    // for 250 s of this test and nothing it asserts).
    let run = |scope: &str| {
        let (code, p, err, _dir) = plan(
            &inst,
            &["--sla-scope", scope, "--time-limit", "300", "--no-roster"],
        );
        assert_eq!(code, 0, "{scope}: {err}");
        let p = p.unwrap();
        assert!(num(&p, &["gap"]) <= 0.01, "{scope}: {p}");
        assert_slas_kept(&p, &["acquisition"]);
        p
    };
    let interval = run("interval");
    let week = run("week");
    let (ci, cw) = (
        num(&interval, &["cost", "total"]),
        num(&week, &["cost", "total"]),
    );
    eprintln!("Club-Internet: per-interval SLAs cost {ci:.2}, weekly SLAs {cw:.2}");
    // Cheaper beyond the two gaps' worth of doubt.
    assert!(
        cw < num(&interval, &["lower_bound"]),
        "weekly {cw} not below the per-interval bound"
    );
    // Counted over the week, every unpriced SLA still meets its target.
    for s in week["sla"].as_array().unwrap() {
        if s["contractual"].as_bool().unwrap() {
            assert_eq!(s["scope"], "week");
        }
    }
    // A roster planned under another scope passes the checker counting
    // that scope (`plan` runs it), on a week small enough to roster fast.
    let small = repo("tests/fixtures/check/week.yaml");
    for scope in ["interval", "week"] {
        let (code, p, err, dir) = plan(&small, &["--sla-scope", scope, "--threads", "1"]);
        assert_eq!(code, 0, "{scope}: {err}");
        assert!(dir.path().join("roster.csv").exists(), "{scope}");
        let p = p.unwrap();
        assert!(p["sla"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["contractual"] == true)
            .all(|s| s["scope"] == scope));
    }
}

#[test]
fn outsourcing_is_used_only_when_it_pays() {
    let inst = repo("tests/fixtures/plan/overflow.yaml");
    let run = |price: &str| {
        let set = format!("outsourcer.price={price}");
        let (code, p, err, _out) = plan(&inst, &["--set", &set]);
        assert_eq!(code, 0, "{err}");
        let p = p.unwrap();
        assert_eq!(p["status"], "optimal");
        assert_slas_kept(&p, &[]);
        p
    };
    // An in-house contact costs about 20 EUR/h over ~8 contacts an hour.
    let cheap = run("0.50");
    let dear = run("40.00");
    let sent = |p: &Value| num(&p["outsourcers"][0], &["contacts"]);
    assert!(sent(&dear).abs() < 1e-9, "{dear}");
    assert!(num(&dear, &["cost", "outsourced"]).abs() < 1e-9);
    assert!(sent(&cheap) > 100.0, "{cheap}");
    assert!(
        num(&dear, &["cost", "in_house"]) > num(&cheap, &["cost", "in_house"]),
        "in-house cost must rise without the outsourcer"
    );
    assert!(num(&dear, &["cost", "total"]) > num(&cheap, &["cost", "total"]));
    // Never past its seats: per interval at most the load 5 seats carry at
    // 80/20 (AHT 300 s, 30-minute intervals).
    let most = slaplan::plan::tables::max_load(5, 300.0, 0.8, 20.0) * 1800.0 / 300.0;
    assert!(sent(&cheap) <= most * 100.0 + 1e-6);
}

#[test]
fn an_impossible_week_is_explained_in_planners_words() {
    let (code, p, err, dir) = plan(&repo("tests/fixtures/plan/no-sunday.yaml"), &[]);
    assert_eq!(code, 1, "{err}");
    let p = p.unwrap();
    assert_eq!(p["status"], "infeasible");
    assert!(p["lower_bound"].is_null() || p["lower_bound"].is_number());
    let explanation = p["explanation"].as_array().unwrap();
    for day in ["Sat", "Sun"] {
        let e = explanation
            .iter()
            .find(|e| e["queue"] == "level2" && e["when"].as_str().unwrap().starts_with(day))
            .unwrap_or_else(|| panic!("no level2 {day} shortfall in {explanation:?}"));
        assert_eq!(e["kind"], "coverage");
        assert_eq!(e["when"], format!("{day} 08:00–20:00"));
        assert!(num(e, &["amount"]) >= 5.0, "{e}");
        let m = e["message"].as_str().unwrap();
        assert!(m.contains("no shift that agents serving level2"), "{m}");
        assert!(m.contains("n2/weekday"), "{m}");
        assert!(err.contains(m), "stderr lacks {m}");
    }
    // Level 1 can be served at the weekend: it is not named.
    assert!(explanation.iter().all(|e| e["queue"] != "level1"));
    // No plan files for a week that has no plan.
    assert!(!dir.path().join("shifts.csv").exists());
    assert!(!dir.path().join("coverage.csv").exists());
}

/// Amen's strike week: 60% of the support technicians and half the ticket
/// desk out from Monday to Friday. The roster fields no more of them than
/// the strike leaves (the checker, run by `plan` above, agrees), and the
/// strikers' unpaid days lower their weekly minimum rather than the
/// roster paying them to work.
#[test]
fn a_strike_week_is_rostered_within_the_strike() {
    let inst = repo("instances/amen/strike-week.yaml");
    let (code, p, err, dir) = plan(&inst, &[]);
    assert_eq!(code, 0, "{err}");
    let p = p.unwrap();
    assert_eq!(p["status"], "optimal");
    let roster = std::fs::read_to_string(dir.path().join("roster.csv")).unwrap();
    // Working per group and date, from the roster's rows.
    let mut working: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for line in roster.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *working
            .entry((f[2].to_string(), f[3].to_string()))
            .or_default() += 1;
    }
    for date in [
        "2003-03-03",
        "2003-03-04",
        "2003-03-05",
        "2003-03-06",
        "2003-03-07",
    ] {
        let on = |g: &str| {
            working
                .get(&(g.to_string(), date.to_string()))
                .copied()
                .unwrap_or(0)
        };
        // 26 technicians less 60% (AM003 is away on the 5th and 6th).
        assert!(on("support/full_time") <= 10, "{date}: {working:?}");
        assert!(on("desk/full_time") <= 4, "{date}: {working:?}");
    }
    // The roster's wages are the plan's hours: nobody paid to work beyond it.
    let plan_cost = num(&p, &["cost", "total"]);
    let roster_cost = num(&p, &["roster", "cost_total"]);
    assert!(
        roster_cost <= plan_cost * 1.001,
        "{roster_cost} against {plan_cost}"
    );
}

/// Three of six agents leave at 14:00 on Monday, so they can only take the
/// 07:00 start: the plan puts three shifts there (the day's `hall` row)
/// and the roster fills the plan as it stands, without a re-plan. Counting
/// heads per day only, the plan put two there and four on the later
/// starts, which no roster could fill.
#[test]
fn agents_away_part_of_a_day_are_planned_only_where_they_are_free() {
    let inst = repo("tests/fixtures/plan/partial-absence.yaml");
    let (code, p, err, dir) = plan(&inst, &["--no-verify"]);
    assert_eq!(code, 0, "{err}");
    let p = p.unwrap();
    assert_eq!(p["roster"]["replans"], 0, "{}", p["roster"]);
    assert_eq!(p["roster"]["unfilled"], serde_json::json!([]));
    let roster = std::fs::read_to_string(dir.path().join("roster.csv")).unwrap();
    let mut monday = Vec::new();
    for line in roster.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[3] == "2024-03-04" {
            monday.push((f[0].to_string(), f[5].to_string()));
        }
    }
    assert_eq!(monday.len(), 6, "{monday:?}");
    for (agent, start) in &monday {
        if ["P4", "P5", "P6"].contains(&agent.as_str()) {
            assert!(start.ends_with(" 07:00"), "{agent} starts {start}");
        }
    }
    let early = monday.iter().filter(|(_, s)| s.ends_with(" 07:00")).count();
    assert_eq!(early, 3, "{monday:?}");
}

/// Eight agents start together, each with a 15-minute break in a one-hour
/// window: the MIP counts a break at 18:30 and one at 18:45 alike (half of
/// the 18:30 interval each), so the plan spreads them over both quarter
/// hours — at most one more in one than in the other — and the same
/// coverage stands (the roster passes `check`, in `plan`).
#[test]
fn breaks_are_spread_within_the_intervals_they_fall_in() {
    let inst = repo("tests/fixtures/plan/breaks.yaml");
    let (code, _, err, dir) = plan(&inst, &["--no-verify"]);
    assert_eq!(code, 0, "{err}");
    let shifts = std::fs::read_to_string(dir.path().join("shifts.csv")).unwrap();
    let mut rows = 0;
    for line in shifts.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        // Agents per break start, e.g. `2x15min@18:30 1x15min@18:45`.
        let mut at: std::collections::BTreeMap<u32, u32> = Default::default();
        for b in f[7].split(' ') {
            let (n, rest) = b.split_once("x15min@").unwrap();
            let (h, m) = rest.split_once(':').unwrap();
            let minute = h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap();
            *at.entry(minute).or_default() += n.parse::<u32>().unwrap();
        }
        assert_eq!(at.values().sum::<u32>(), 8, "{line}");
        for half in [18 * 60 + 30, 19 * 60] {
            let (a, b) = (
                at.get(&half).copied().unwrap_or(0),
                at.get(&(half + 15)).copied().unwrap_or(0),
            );
            assert!(
                a.abs_diff(b) <= 1,
                "{line}: {a} at {half} min, {b} a quarter later"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 5, "{shifts}");
}

/// Amen's week with its eight sales agents of old: the LP relaxation has
/// a plan, whole shifts do not (the eight cannot hold 80% in 30 s every
/// day); within a short limit HiGHS neither finds a plan nor proves there
/// is none. The planner still learns why, from the elastic re-solve.
#[test]
fn a_week_left_without_plan_by_the_time_limit_is_explained_too() {
    let (code, p, err, _dir) = plan(
        &repo("instances/amen/strike-week.yaml"),
        &[
            "--set",
            "headcount.sales=8",
            "--no-roster",
            "--time-limit",
            "5",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let p = p.unwrap();
    assert!(
        p["status"] == "no_solution" || p["status"] == "infeasible",
        "{}",
        p["status"]
    );
    let explanation = p["explanation"].as_array().unwrap();
    let e = explanation
        .iter()
        .find(|e| e["queue"] == "sales_billing")
        .unwrap_or_else(|| panic!("sales_billing not named in {explanation:?}"));
    assert_eq!(e["kind"], "sla");
    assert!(num(e, &["amount"]) > 0.0, "{e}");
    let m = e["message"].as_str().unwrap();
    assert!(m.contains("sales/full_time"), "{m}");
    assert!(err.contains(m), "stderr lacks {m}");
}

/// On a terminal the progress line follows the MIP search live — the
/// best plan, the bound and the gap as HiGHS finds them — and watching
/// does not change the search: the plan is the one a pipe gets.
#[test]
fn the_progress_line_shows_the_live_search_and_changes_nothing() {
    let Some(script) = which("script") else {
        eprintln!("NOT RUN: the live progress line: no `script` (util-linux) on PATH to give the run a terminal");
        return;
    };
    let inst = repo("instances/amen/strike-week.yaml");
    let tty_dir = tempfile::tempdir().unwrap();
    let command = format!(
        "{} plan {} -o {} --no-roster",
        env!("CARGO_BIN_EXE_slaplan"),
        inst.display(),
        tty_dir.path().display()
    );
    let out = Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let screen = String::from_utf8_lossy(&out.stdout);
    let live: Vec<&str> = screen
        .split(['\r', '\n'])
        .filter(|l| l.contains("plan: first plan: ") || l.contains("plan: search: "))
        .collect();
    assert!(!live.is_empty(), "no live search line in {screen}");
    assert!(
        live.iter()
            .any(|l| l.contains(", bound ") && l.contains(" nodes, ")),
        "{live:?}"
    );
    let (code, piped, err, _dir) = plan(&inst, &["--no-roster"]);
    assert_eq!(code, 0, "{err}");
    let watched: Value =
        serde_json::from_slice(&std::fs::read(tty_dir.path().join("plan.json")).unwrap()).unwrap();
    assert_eq!(watched["cost"], piped.unwrap()["cost"]);
}

/// Internet Telecom's bank cell (12 agents, misses priced per half-hour,
/// six days joined only by the agents' 60 shifts) is solved day by day
/// (`src/plan/blocks.rs`): under the quick bench's work limit, where
/// HiGHS's tree on the cell stopped 2.47% from its bound, the week is
/// within the 1% gap and its plan the same twice.
#[test]
fn a_priced_cell_is_solved_by_its_days_within_the_gap() {
    let inst = repo("instances/internet-telecom/week-50-agents.yaml");
    let opts = ["--no-roster", "--no-verify", "--work-limit", "40"];
    let (code, p, err, dir) = plan(&inst, &opts);
    assert_eq!(code, 0, "{err}");
    let p = p.unwrap();
    assert_eq!(p["status"], "optimal", "{}", p["stopped"]);
    assert!(num(&p, &["gap"]) <= 0.01, "{}", p["gap"]);
    let (code2, _, err2, dir2) = plan(&inst, &opts);
    assert_eq!(code2, 0, "{err2}");
    for f in ["coverage.csv", "shifts.csv", "allocation.csv"] {
        let a = std::fs::read(dir.path().join(f)).unwrap();
        let b = std::fs::read(dir2.path().join(f)).unwrap();
        assert_eq!(a, b, "{f} differs between two runs");
    }
}

/// `--exact-sl` starts from the conservative credit's plan (whose pieces
/// never exceed the table, so its shifts keep every SLA the exact credit
/// counts): never dearer than it, here cheaper, and its promises kept by
/// the exact evaluation.
#[test]
fn exact_credit_starts_from_the_conservative_plan_and_costs_no_more() {
    let inst = repo("tests/fixtures/plan/tiers.yaml");
    let opts = ["--no-roster", "--no-verify", "--work-limit", "200"];
    let (code, p, err, _dir) = plan(&inst, &opts);
    assert_eq!(code, 0, "{err}");
    let conservative = p.unwrap();
    let (code, p, err, _dir) = plan(&inst, &[&opts[..], &["--exact-sl"]].concat());
    assert_eq!(code, 0, "{err}");
    let exact = p.unwrap();
    assert_eq!(exact["status"], "optimal", "{}", exact["stopped"]);
    let stopped = exact["stopped"].as_str().unwrap();
    let from = num(&conservative, &["cost", "total"]);
    assert!(
        stopped.contains(&format!(
            "started from the conservative credit's plan, {from:.2}"
        )),
        "{stopped}"
    );
    // The tiers' day and week SLAs: the chords under the table cost 23,750
    // where the exact credit plans 22,500 (measured 2026-12-05).
    let cost = num(&exact, &["cost", "total"]);
    assert!(
        cost < from - 1.0,
        "exact {cost} against conservative {from}"
    );
    assert_slas_kept(&exact, &[]);
}

#[test]
fn same_instance_and_options_give_the_same_plan_bytes() {
    // Unverified: a verified plan's bytes are tests/suite/verify.rs's.
    let inst = repo("instances/stratus/week-2003-03-03.yaml");
    let (c1, _, e1, d1) = plan(&inst, &["--no-verify"]);
    let (c2, _, e2, d2) = plan(&inst, &["--no-verify"]);
    assert_eq!((c1, c2), (0, 0), "{e1}{e2}");
    for f in ["coverage.csv", "shifts.csv", "allocation.csv", "roster.csv"] {
        let a = std::fs::read(d1.path().join(f)).unwrap();
        let b = std::fs::read(d2.path().join(f)).unwrap();
        assert!(!a.is_empty());
        assert_eq!(a, b, "{f} differs between two runs");
    }
    // plan.json too, but for the measured time.
    let strip = |d: &Path| {
        let mut v: Value =
            serde_json::from_slice(&std::fs::read(d.join("plan.json")).unwrap()).unwrap();
        v["solve_seconds"] = Value::Null;
        v["roster"]["solve_seconds"] = Value::Null;
        v["instance"] = Value::Null;
        v
    };
    assert_eq!(strip(d1.path()), strip(d2.path()));
}

#[test]
fn bad_plan_options_are_usage_errors() {
    let inst = repo("instances/stratus/week-2003-03-03.yaml");
    for (flag, value) in [("--gap", "1.5"), ("--time-limit", "0"), ("--threads", "0")] {
        let (code, p, err, dir) = plan(&inst, &[flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {err}");
        assert!(p.is_none());
        assert!(err.contains(flag), "{err}");
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}

/// `plan --format json` prints the plan.json it wrote; `--format csv` one
/// row per queue and SLA scope, the simulated verdict beside the
/// projection, in percent with fixed decimals (issue 25).
#[test]
fn plan_prints_its_result_as_json_or_csv() {
    let week = repo("instances/stratus/week-2003-03-03.yaml");
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let out = dir.path().join(format);
        let r = slaplan(&[
            "plan",
            week.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            format,
            "-q",
        ]);
        // Stratus's week verified: exit 0.
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        (String::from_utf8(r.stdout).unwrap(), out)
    };
    let (json, out) = run("json");
    let printed: Value = serde_json::from_str(&json).unwrap();
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(printed, file);
    let (csv, _) = run("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "queue,scope,contractual,target_pct,projected_pct,periods,periods_met,kept,\
         simulated_pct,simulated_low_pct,simulated_high_pct,holds"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let alerts = rows
        .iter()
        .find(|r| r[0] == "alerts" && r[2] == "true")
        .expect("the alerts contract");
    let interventions = rows
        .iter()
        .find(|r| r[0] == "interventions" && r[2] == "true")
        .expect("the interventions contract");
    assert_eq!(interventions[3], "100.00");
    // Every intervention taken up within its four hours, in every
    // replication; the alerts (99%) at or above their target.
    assert_eq!(
        (interventions[8], interventions[11]),
        ("100.00", "true"),
        "{interventions:?}"
    );
    assert_eq!(alerts[3], "99.00");
    let simulated: f64 = alerts[8].parse().unwrap();
    assert!(simulated >= 99.0 && alerts[11] == "true", "{alerts:?}");
    let hotline = rows
        .iter()
        .find(|r| r[0] == "hotline" && r[2] == "true")
        .expect("the hotline contract");
    let sim: f64 = hotline[8].parse().unwrap();
    assert!(
        sim < 100.0 && hotline[8].split('.').nth(1).unwrap().len() == 2,
        "{hotline:?}"
    );
    for r in &rows {
        for cell in &r[3..5] {
            assert!(!cell.starts_with('-'), "{r:?}");
        }
        if !r[10].is_empty() {
            assert!(r[10].parse::<f64>().unwrap() <= 100.0, "clipped: {r:?}");
        }
    }
}

/// report.html opens with the answer: covered or not, the cost in the
/// model's currency, each contract against its target projected and
/// simulated, and the risks; a week without a plan says what stands in
/// the way (issue 25).
#[test]
fn the_report_opens_with_the_answer_and_its_risks() {
    let answer = |dir: &Path| -> (String, String) {
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        let at = html
            .find("<section id=\"answer\"")
            .expect("an answer section");
        assert!(
            html.find("<section").unwrap() == at,
            "the answer comes first"
        );
        let end = at + html[at..].find("</section>").unwrap();
        let part = &html[at..end];
        let class = part
            .split("class=\"verdict ")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        (class, part.replace('\u{202f}', ""))
    };
    let amen = repo("instances/amen/strike-week.yaml");
    let (code, p, err, dir) = plan(&amen, &[]);
    assert_eq!(code, 0, "{err}");
    let p = p.unwrap();
    let (class, text) = answer(dir.path());
    assert_eq!(class, "ok", "{text}");
    let total = p["cost"]["total"].as_f64().unwrap();
    assert!(text.contains(&format!("{total:.2} EUR")), "{text}");
    // Every contract, with its simulated worst period.
    for q in ["support", "sales_billing", "tickets"] {
        assert!(text.contains(&format!("<td>{q}</td>")), "{q}: {text}");
    }
    assert_eq!(text.matches("<td>holds</td>").count(), 3, "{text}");
    // sales_billing is counted per day: some of its intervals sit far
    // under 80%, which the risks say.
    assert!(
        text.contains("sales_billing: ")
            && text.contains("intervals projected more than 20 points under 80.00%"),
        "{text}"
    );
    // In-house only, no plan: what stands in the way, support named.
    let (code, _, _, dir) = plan(&amen, &["--set", "outsourcing=off", "--no-verify"]);
    assert_eq!(code, 1);
    let (class, text) = answer(dir.path());
    assert_eq!(class, "bad", "{text}");
    assert!(
        text.contains("What stands in the way") && text.contains("<li>support, "),
        "{text}"
    );
    // The model's currency, everywhere a cost is.
    let tmp = tempfile::tempdir().unwrap();
    let centre = tmp.path().join("c");
    assert!(slaplan(&["init", centre.to_str().unwrap()])
        .status
        .success());
    let model = centre.join("model.yaml");
    let text = std::fs::read_to_string(&model).unwrap();
    std::fs::write(
        &model,
        text.replacen(
            "name: Example centre\n",
            "name: Example centre\ncurrency: USD\n",
            1,
        ),
    )
    .unwrap();
    let (code, p, err, dir) = plan(&centre.join("week.yaml"), &["--no-roster"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(p.unwrap()["currency"], "USD");
    let (class, text) = answer(dir.path());
    assert_eq!(class, "warn", "projected only: {text}");
    assert!(text.contains(" USD") && !text.contains("EUR"), "{text}");
    std::fs::write(&model, text_with_currency(&model, "euros")).unwrap();
    let v = slaplan(&["validate", centre.join("week.yaml").to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(2));
    let said = String::from_utf8_lossy(&v.stderr);
    assert!(said.contains("'euros' is not a currency code"), "{said}");
}

fn text_with_currency(model: &Path, code: &str) -> String {
    std::fs::read_to_string(model).unwrap().replacen(
        "currency: USD",
        &format!("currency: {code}"),
        1,
    )
}

/// shifts.csv's start and end are local date-times a spreadsheet reads,
/// a night shift ending on the next date (Union Airways' 22:00 shift;
/// Stratus's US shifts read `15:30,00:30` in issue 25, when they were
/// written in Paris time); a site's shifts on the site's clock (Stratus's
/// New York shifts start 09:00–10:00 on their own date).
#[test]
fn shifts_csv_starts_and_ends_are_date_times_in_order() {
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let mut overnight = 0;
    let mut us = 0;
    for week in [
        "instances/union-airways/day.yaml",
        "instances/stratus/week-2003-03-03.yaml",
    ] {
        let (code, _, err, dir) = plan(&repo(week), &["--no-roster", "-q"]);
        assert!(matches!(code, 0 | 1), "{err}");
        let text = std::fs::read_to_string(dir.path().join("shifts.csv")).unwrap();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let (start, end) = (at(f[4]), at(f[5]));
            assert!(end > start, "{line}");
            assert_eq!(start.date().to_string(), f[2], "{line}");
            overnight += usize::from(end.date() > start.date());
            if f[0].ends_with("/us") {
                us += 1;
                let hm = start.format("%H:%M").to_string();
                assert!(("09:00"..="10:00").contains(&hm.as_str()), "{line}");
            }
        }
    }
    assert!(overnight > 0 && us > 0);
}

/// Each agent's calendar and roster rows give the times in the agent's
/// own zone: a New York engineer of Stratus read "break 21:00–22:00"
/// (Paris time) for a 10:00–19:00 day (issue 25).
#[test]
fn calendars_give_breaks_in_the_agent_s_own_time() {
    let (code, _, err, dir) = plan(
        &repo("instances/stratus/week-2003-03-03.yaml"),
        &["--ics", "--no-verify", "-q"],
    );
    assert!(matches!(code, 0 | 1), "{err}");
    let roster = std::fs::read_to_string(dir.path().join("roster.csv")).unwrap();
    let us = roster
        .lines()
        .find(|l| l.contains("/us,") && !l.split(',').nth(10).unwrap().is_empty())
        .expect("a US shift with a break");
    let f: Vec<&str> = us.split(',').collect();
    // New York's winter offset, a New York day's hours.
    assert_eq!(f[7], "-05:00", "{us}");
    let start = chrono::NaiveDateTime::parse_from_str(f[5], "%Y-%m-%d %H:%M").unwrap();
    assert!(
        start.format("%H:%M").to_string().as_str() <= "10:00",
        "{us}"
    );
    let (b0, _) = f[10].split_once('-').unwrap();
    assert!(("12:00"..="15:00").contains(&b0), "{us}");
    let ics =
        std::fs::read_to_string(dir.path().join("ics").join(format!("{}.ics", f[0]))).unwrap();
    let want = format!("break {b0}–");
    assert!(
        ics.contains(&want) && ics.contains("America/New_York"),
        "{want} in {ics}"
    );
}
