//! `slaplan validate` on broken inputs: one fixture per problem code, each a
//! copy of the shipped Club-Internet files with one mistake, and the
//! assertion that the message carries the code, the line and the field
//! path; exit 2, nothing on stdout, the input untouched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use slaplan::input::Code;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of the shipped Club-Internet model and instance in a temp dir.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(ROOT);
        fs::create_dir_all(dir.path().join("models")).unwrap();
        fs::create_dir_all(dir.path().join("instances/club-internet")).unwrap();
        fs::copy(
            root.join("models/club-internet.yaml"),
            dir.path().join("models/club-internet.yaml"),
        )
        .unwrap();
        for f in ["week-2003-03-03.yaml", "agents.csv", "history.csv"] {
            let rel = format!("instances/club-internet/{f}");
            fs::copy(root.join(&rel), dir.path().join(&rel)).unwrap();
        }
        Fixture { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn instance(&self) -> PathBuf {
        self.path("instances/club-internet/week-2003-03-03.yaml")
    }

    /// Replaces the first `find` in `rel` with `replace`; returns the
    /// 1-based line where the replacement starts.
    fn edit(&self, rel: &str, find: &str, replace: &str) -> usize {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).unwrap();
        let at = text
            .find(find)
            .unwrap_or_else(|| panic!("'{find}' not in {rel}"));
        let line = text[..at].matches('\n').count() + 1;
        fs::write(&path, text.replacen(find, replace, 1)).unwrap();
        line
    }

    /// Every file's bytes, to show validation writes nothing.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        for sub in ["models", "instances/club-internet"] {
            for e in fs::read_dir(self.path(sub)).unwrap() {
                let p = e.unwrap().path();
                files.push((p.clone(), fs::read(&p).unwrap()));
            }
        }
        files.sort();
        files
    }
}

struct Outcome {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn validate(path: &Path, json: bool) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slaplan"));
    cmd.arg("validate").arg(path);
    if json {
        cmd.args(["--format", "json"]);
    }
    let out = cmd.output().unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn problems(f: &Fixture) -> Vec<Value> {
    problems_for(f, "")
}

fn problems_for(f: &Fixture, what: &str) -> Vec<Value> {
    let out = validate(&f.instance(), true);
    assert_eq!(out.code, 2, "{what}: not refused; stderr: {}", out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["ok"], false);
    v["problems"].as_array().unwrap().clone()
}

/// One broken fixture: the edit, and what the report must say.
struct Case {
    code: Code,
    file: &'static str,
    find: &'static str,
    replace: &'static str,
    field: &'static str,
    /// Where the problem must point: "" for the edited line, otherwise a
    /// text whose first line in the edited file is the expected line
    /// ("@header" for a CSV header, "@after" for YAML syntax found at or
    /// after the edit).
    line_at: &'static str,
}

const MODEL: &str = "models/club-internet.yaml";
const INSTANCE: &str = "instances/club-internet/week-2003-03-03.yaml";
const AGENTS: &str = "instances/club-internet/agents.csv";
const HISTORY: &str = "instances/club-internet/history.csv";

fn cases() -> Vec<Case> {
    use Code::*;
    let c = |code, file, find, replace, field, line_at| Case {
        code,
        file,
        find,
        replace,
        field,
        line_at,
    };
    vec![
        c(
            FileUnreadable,
            INSTANCE,
            "agents: agents.csv",
            "agents: nobody.csv",
            "agents",
            "",
        ),
        c(
            YamlSyntax,
            MODEL,
            "    sla: { target: 80%, answer_within: 20s, scope: interval }",
            "    sla: { target: 80%, answer_within: 20s, scope: interval",
            "",
            "@after",
        ),
        c(
            UnknownField,
            MODEL,
            "    aht: 360s",
            "    aht: 360s\n    colour: blue",
            "queues[0].colour",
            "    colour: blue",
        ),
        c(
            MissingField,
            MODEL,
            "    channel: voice\n    aht: 360s",
            "    aht: 360s",
            "queues[0]",
            "  - id: level1",
        ),
        c(
            WrongType,
            MODEL,
            "max_days: 5\n    max_hours_per_day: 10h\n    max_consecutive",
            "max_days: five\n    max_hours_per_day: 10h\n    max_consecutive",
            "contracts[0].max_days",
            "",
        ),
        c(
            BadDuration,
            MODEL,
            "aht: 360s",
            "aht: 360x",
            "queues[0].aht",
            "",
        ),
        c(
            BadShare,
            MODEL,
            "shrinkage: 30%",
            "shrinkage: thirty",
            "queues[0].shrinkage",
            "",
        ),
        c(
            OutOfRange,
            MODEL,
            "sla: { target: 80%, answer_within: 20s",
            "sla: { target: 120%, answer_within: 20s",
            "queues[0].sla.target",
            "",
        ),
        c(
            BadTime,
            MODEL,
            "  mon-fri: 08:00-22:00",
            "  mon-fri: 8h-22h",
            "opening_hours.mon-fri",
            "",
        ),
        c(
            BadTimeZone,
            MODEL,
            "time_zone: Europe/Paris",
            "time_zone: Europe/Lutece",
            "time_zone",
            "",
        ),
        c(
            BadInterval,
            MODEL,
            "interval: 30m",
            "interval: 20m",
            "interval",
            "",
        ),
        c(
            BadDate,
            INSTANCE,
            "week_start: 2003-03-03",
            "week_start: 2003-02-30",
            "week_start",
            "",
        ),
        c(
            BadWeekday,
            MODEL,
            "    days: mon-sat",
            "    days: mon-sam",
            "shift_templates[3].days",
            "",
        ),
        c(
            EmptyRange,
            MODEL,
            "weekly_hours: { min: 35h, max: 35h }",
            "weekly_hours: { min: 40h, max: 35h }",
            "contracts[0].weekly_hours",
            "",
        ),
        c(
            DuplicateId,
            MODEL,
            "{ id: n1_sales,",
            "{ id: n1,",
            "skill_groups[1].id",
            "",
        ),
        c(
            UnknownQueue,
            MODEL,
            "queues: [level1] }",
            "queues: [levle1] }",
            "skill_groups[0].queues[0]",
            "",
        ),
        c(
            UnknownContract,
            MODEL,
            "contracts: [part_time]",
            "contracts: [part_tme]",
            "shift_templates[2].contracts[0]",
            "",
        ),
        c(UnknownSkillGroup, AGENTS, ",n1,", ",nX,", "skill_group", ""),
        c(UnknownSite, AGENTS, ",paris,", ",lyon,", "site", ""),
        c(
            ShiftExceedsContract,
            MODEL,
            "    starts: 07:30-10:00\n    step: 30m\n    length: 8h",
            "    starts: 07:30-10:00\n    step: 30m\n    length: 12h",
            "shift_templates[0].length",
            "length: 12h",
        ),
        c(
            UncoverableInterval,
            MODEL,
            "  sun: 10:00-18:00",
            "  sun: 06:00-18:00",
            "queues[0].id",
            "  - id: level1",
        ),
        c(
            WeekStartNotMonday,
            INSTANCE,
            "week_start: 2003-03-03",
            "week_start: 2003-03-04",
            "week_start",
            "",
        ),
        c(
            EmptyList,
            MODEL,
            "skill_groups:                     # assumption: the multi-skill split of the 315",
            "skill_groups: []\nold_groups:",
            "skill_groups",
            "",
        ),
        c(
            DemandSource,
            INSTANCE,
            "  history: history.csv",
            "  history: history.csv\n  forecast: forecast.csv",
            "demand",
            "demand:",
        ),
        c(
            TierPool,
            MODEL,
            "    aht: 10m                      # assumption",
            "    aht: 10m\n    priority: 1",
            "queues[5].priority",
            "    priority: 1",
        ),
        c(
            UnservedQueue,
            MODEL,
            "queues: [distributors, level2]",
            "queues: [level2]",
            "queues[4].id",
            "  - id: distributors",
        ),
        c(
            UnknownOutsourcer,
            INSTANCE,
            "agents: agents.csv",
            "agents: agents.csv\noverrides:\n  outsourcers:\n    sntt: { price_per_contact: 5.0 }",
            "overrides.outsourcers.sntt",
            "sntt:",
        ),
        c(
            UnknownTemplate,
            INSTANCE,
            "agents: agents.csv",
            "agents: agents.csv\npins:\n  - { agent: A001, date: 2003-03-04, template: erly, start: \"08:00\" }",
            "pins[0].template",
            "erly",
        ),
        c(
            UnknownAgent,
            INSTANCE,
            "agents: agents.csv",
            "agents: agents.csv\nabsences:\n  - { agent: Z999, dates: [2003-03-04] }",
            "absences[0].agent",
            "agent: Z999",
        ),
        c(
            CsvMissingColumn,
            AGENTS,
            "skill_group",
            "group",
            "skill_group",
            "@header",
        ),
        c(
            CsvBadValue,
            HISTORY,
            "2003-01-06T08:00,level1,98",
            "2003-01-06T08:00,level1,lots",
            "offered",
            "",
        ),
        c(
            NegativeVolume,
            HISTORY,
            "2003-01-06T08:00,level1,98",
            "2003-01-06T08:00,level1,-98",
            "offered",
            "",
        ),
        c(
            CsvOffGrid,
            HISTORY,
            "2003-01-06T08:00,level1,98",
            "2003-03-06T08:00,level1,98",
            "interval_start",
            "",
        ),
        c(CsvMalformed, AGENTS, "A002,", "A002,extra,", "", ""),
        c(CsvDuplicate, AGENTS, "A002,", "A001,", "id", ""),
    ]
}

#[test]
fn every_code_is_documented_and_has_a_fixture() {
    let docs = fs::read_to_string(Path::new(ROOT).join("docs/errors.md")).unwrap();
    let cases = cases();
    for code in Code::ALL {
        assert!(
            docs.contains(code.as_str()) && docs.contains(code.name()),
            "{code} {} not in docs/errors.md",
            code.name()
        );
        // NotText is covered by random_bytes_are_refused_with_a_located_message;
        // BenchmarkSyntax (a Curtois–Qu file, not an instance) by the
        // loader's unit tests and tests/curtois.rs reading all 24 files.
        if code != Code::NotText && code != Code::BenchmarkSyntax {
            assert!(
                cases.iter().any(|c| c.code == code),
                "no fixture for {code} {}",
                code.name()
            );
        }
    }
}

#[test]
fn each_broken_fixture_reports_its_code_line_and_field() {
    for case in cases() {
        let f = Fixture::new();
        let line = f.edit(case.file, case.find, case.replace);
        let before = f.snapshot();
        let list = problems_for(&f, case.code.as_str());
        let hit = list
            .iter()
            .find(|p| p["code"] == case.code.as_str())
            .unwrap_or_else(|| {
                panic!(
                    "{} {}: not reported; got {:#?}",
                    case.code,
                    case.code.name(),
                    list
                )
            });
        assert!(
            hit["file"].as_str().unwrap().ends_with(case.file),
            "{}: file {}",
            case.code,
            hit["file"]
        );
        assert_eq!(hit["field"], case.field, "{}: field", case.code);
        let expected = match case.line_at {
            "" => Some(line),
            "@header" => Some(1),
            "@after" => None,
            text => {
                let edited = fs::read_to_string(f.path(case.file)).unwrap();
                let at = edited
                    .find(text)
                    .unwrap_or_else(|| panic!("{text} not in {}", case.file));
                Some(edited[..at].matches('\n').count() + 1)
            }
        };
        match expected {
            Some(l) => assert_eq!(hit["line"].as_u64(), Some(l as u64), "{}: line", case.code),
            None => assert!(
                hit["line"].as_u64().is_some_and(|l| l as usize >= line),
                "{}: line",
                case.code
            ),
        }
        assert!(!hit["message"].as_str().unwrap().is_empty());
        if case.code == Code::UncoverableInterval {
            assert_eq!(
                hit["message"],
                "queue 'level1' is open Sun 06:00–07:30 but no shift template can be worked then"
            );
        }
        assert!(
            !hit["hint"].as_str().unwrap().is_empty(),
            "{}: no hint",
            case.code
        );
        assert_eq!(
            f.snapshot(),
            before,
            "{}: validation changed the files",
            case.code
        );
    }
}

#[test]
fn text_report_names_file_line_code_and_field() {
    let f = Fixture::new();
    let line = f.edit(MODEL, "aht: 360s", "aht: 360x");
    let out = validate(&f.instance(), false);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    let expected = format!("club-internet.yaml:{line}:5: E101 [bad-duration] queues[0].aht: '360x' has an unknown unit 'x'");
    assert!(out.stderr.contains(&expected), "{}", out.stderr);
    assert!(out.stderr.contains("hint: "));
    assert!(out.stderr.contains("1 problem found"), "{}", out.stderr);
}

#[test]
fn all_problems_are_found_in_one_run() {
    let f = Fixture::new();
    f.edit(MODEL, "aht: 360s", "aht: 360x");
    f.edit(MODEL, "time_zone: Europe/Paris", "time_zone: Mars/Olympus");
    f.edit(MODEL, "queues: [level1] }", "queues: [levle1] }");
    f.edit(AGENTS, "A002,", "A001,");
    f.edit(INSTANCE, "week_start: 2003-03-03", "week_start: 2003-03-05");
    let codes: Vec<String> = problems(&f)
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    for code in [
        Code::BadDuration,
        Code::BadTimeZone,
        Code::UnknownQueue,
        Code::WeekStartNotMonday,
    ] {
        assert!(
            codes.contains(&code.as_str().to_string()),
            "{code} missing from {codes:?}"
        );
    }
}

#[test]
fn truncated_files_are_located_syntax_or_missing_key_errors() {
    let text = fs::read_to_string(Path::new(ROOT).join(MODEL)).unwrap();
    for cut in [
        text.len() / 7,
        text.len() / 3,
        text.len() / 2,
        text.len() * 4 / 5,
    ] {
        let f = Fixture::new();
        let mut cut = cut;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        fs::write(f.path(MODEL), &text[..cut]).unwrap();
        let list = problems(&f);
        assert!(!list.is_empty());
        for p in &list {
            assert!(
                p["file"].as_str().unwrap().ends_with("club-internet.yaml"),
                "{p}"
            );
        }
    }
}

#[test]
fn random_bytes_are_refused_with_a_located_message() {
    let f = Fixture::new();
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(f.path(MODEL), &bytes).unwrap();
    let list = problems(&f);
    let p = &list[0];
    assert_eq!(p["code"], Code::NotText.as_str());
    assert!(p["file"].as_str().unwrap().ends_with("club-internet.yaml"));
    fs::write(f.instance(), &bytes).unwrap();
    let out = validate(&f.instance(), false);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("E002 [not-text]"), "{}", out.stderr);
}

#[test]
fn missing_instance_file_exits_2() {
    let out = validate(Path::new("/nonexistent/week.yaml"), false);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("E001"), "{}", out.stderr);
}

/// An instance of the Club-Internet week starting `monday`, whose demand
/// is a forecast CSV with `rows` (queue,interval_start,contacts).
fn forecast_fixture(monday: &str, rows: &[&str]) -> Fixture {
    let f = Fixture::new();
    f.edit(
        INSTANCE,
        "week_start: 2003-03-03",
        &format!("week_start: {monday}"),
    );
    f.edit(
        INSTANCE,
        "  history: history.csv",
        "  forecast: forecast.csv",
    );
    let body = format!("queue,interval_start,contacts\n{}\n", rows.join("\n"));
    fs::write(f.path("instances/club-internet/forecast.csv"), body).unwrap();
    f
}

#[test]
fn daylight_saving_days_keep_the_local_grid() {
    // Spring forward, Sunday 30 March 2003 in Paris: 02:00-03:00 does not exist.
    let f = forecast_fixture(
        "2003-03-24",
        &[
            "level1,2003-03-30T01:30,3",
            "level1,2003-03-30T02:00,4",
            "level1,2003-03-30T03:00,5",
        ],
    );
    let list = problems(&f);
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!(list[0]["code"], Code::CsvOffGrid.as_str());
    assert_eq!(list[0]["line"], 3);
    assert!(list[0]["message"]
        .as_str()
        .unwrap()
        .contains("does not exist in Europe/Paris"));

    // Fall back, Sunday 26 October 2003: 02:00-03:00 happens twice, so two
    // rows per interval of that hour are right, in order; a third is not.
    let twice = [
        "level1,2003-10-26T02:00,10",
        "level1,2003-10-26T02:30,11",
        "level1,2003-10-26T02:00,12",
        "level1,2003-10-26T02:30,13",
        "level1,2003-10-26T04:00,14",
    ];
    let f = forecast_fixture("2003-10-20", &twice);
    let i = slaplan::input::load_instance(&f.instance())
        .expect("two rows in the repeated hour are valid");
    let slaplan::model::Demand::Forecast(rows) = &i.demand else {
        panic!("forecast")
    };
    let flags: Vec<bool> = rows.iter().map(|r| r.repeated_hour).collect();
    assert_eq!(flags, [false, false, true, true, false]);

    let f = forecast_fixture(
        "2003-10-20",
        &[
            twice[0],
            twice[2],
            "level1,2003-10-26T02:00,1",
            "level1,2003-10-26T04:00,2",
            "level1,2003-10-26T04:00,3",
        ],
    );
    let list = problems(&f);
    let dups: Vec<u64> = list
        .iter()
        .filter(|p| p["code"] == Code::CsvDuplicate.as_str())
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(dups, [4, 6], "{list:#?}");
}

#[test]
fn history_handled_and_abandoned_are_checked_when_present() {
    let f = Fixture::new();
    let path = f.path(HISTORY);
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[0].push_str(",handled,abandoned");
    for l in lines.iter_mut().skip(1) {
        l.push_str(",0,0");
    }
    lines[1] = lines[1].replacen(",0,0", ",500,-1", 1);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let list = problems(&f);
    let at = |code: Code, field: &str| {
        list.iter()
            .any(|p| p["code"] == code.as_str() && p["field"] == field && p["line"] == 2)
    };
    assert!(at(Code::CsvBadValue, "handled"), "{list:#?}");
    assert!(at(Code::NegativeVolume, "abandoned"), "{list:#?}");
}

/// A deferred contract counts its work done (`handled_within`) or its
/// first response (`responded_within`), one of them; voice answers
/// (`answer_within`). Each wrong combination is refused at its key's line.
#[test]
fn a_contract_states_one_clock_that_fits_its_channel() {
    let deferred =
        "    sla: { target: 100%, handled_within: 8h, scope: week, clock: opening_hours }";
    for (find, replace, field, words) in [
        (
            deferred,
            "    sla: { target: 100%, handled_within: 8h, responded_within: 1h, scope: week }",
            "queues[5].sla.responded_within",
            "not both",
        ),
        (
            "    sla: { target: 80%, answer_within: 20s, scope: interval }",
            "    sla: { target: 80%, responded_within: 20s, scope: interval }",
            "queues[0].sla.responded_within",
            "does not apply to this channel",
        ),
        (
            deferred,
            "    sla: { target: 100%, answer_within: 8h, scope: week }",
            "queues[5].sla.answer_within",
            "use 'handled_within' or 'responded_within'",
        ),
    ] {
        let f = Fixture::new();
        let line = f.edit(MODEL, find, replace);
        let list = problems_for(&f, replace);
        assert!(
            list.iter().any(|p| p["field"] == field
                && p["line"] == line
                && (p["message"].as_str().unwrap_or("").contains(words)
                    || p["hint"].as_str().unwrap_or("").contains(words))),
            "{replace}: {list:#?}"
        );
    }
    // Field visits: `on_site_within` with the visit's `travel`, both or
    // neither, the travel shorter than the deadline.
    for (replace, field, words) in [
        (
            "    sla: { target: 100%, handled_within: 8h, scope: week }\n    travel: 1h",
            "queues[5].travel",
            "'travel' applies to field visits",
        ),
        (
            "    sla: { target: 100%, on_site_within: 8h, scope: week }",
            "queues[5]",
            "needs the visit's travel",
        ),
        (
            "    sla: { target: 100%, on_site_within: 1h, scope: week }\n    travel: 1h",
            "queues[5].travel",
            "leaves no time",
        ),
    ] {
        let f = Fixture::new();
        f.edit(MODEL, deferred, replace);
        let list = problems_for(&f, replace);
        assert!(
            list.iter().any(|p| p["field"] == field
                && p["message"].as_str().unwrap_or("").contains(words)),
            "{replace}: {list:#?}"
        );
    }
    let f = Fixture::new();
    f.edit(
        MODEL,
        deferred,
        "    sla: { target: 100%, on_site_within: 8h, scope: week }\n    travel: 1h",
    );
    assert_eq!(validate(&f.instance(), true).code, 0);
    // Alone, `responded_within` is a deferred contract the loader takes.
    let f = Fixture::new();
    f.edit(
        MODEL,
        deferred,
        "    sla: { target: 100%, responded_within: 2h, scope: week, clock: opening_hours }",
    );
    assert_eq!(validate(&f.instance(), true).code, 0);
}
