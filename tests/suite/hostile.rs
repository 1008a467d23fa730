//! Issue 24's reproducers, each a regression test: inputs that panicked,
//! aborted, hung or clobbered files now get a refusal with a code (or a
//! flag), a place and exit code 2 — quickly, with every input untouched.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{repo, slaplan};

/// A copy of the shipped Amen model and strike week (history, agents) in
/// a temp dir: `model.yaml`, `week.yaml`, `history.csv`, `agents.csv`.
struct Amen {
    dir: tempfile::TempDir,
}

impl Amen {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(repo("models/amen.yaml"), dir.path().join("model.yaml")).unwrap();
        for f in ["history.csv", "agents.csv"] {
            fs::copy(repo("instances/amen").join(f), dir.path().join(f)).unwrap();
        }
        let week = fs::read_to_string(repo("instances/amen/strike-week.yaml"))
            .unwrap()
            .replace("../../models/amen.yaml", "model.yaml");
        fs::write(dir.path().join("week.yaml"), week).unwrap();
        Amen { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn week(&self) -> String {
        self.path("week.yaml").to_string_lossy().into_owned()
    }

    fn edit(&self, rel: &str, find: &str, replace: &str) {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(find), "'{find}' not in {rel}");
        fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    }

    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<_> = fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| (p.clone(), fs::read(&p).unwrap()))
            .collect();
        out.sort();
        out
    }
}

/// Runs slaplan; asserts exit 2 (not 101, not an abort) and returns
/// stdout and stderr together.
fn refused(args: &[&str]) -> String {
    let out = slaplan(args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
    assert!(!text.contains("panicked"), "{args:?}: {text}");
    text
}

/// The JSON problems `validate` reports.
fn problems(week: &str) -> Vec<Value> {
    let out = slaplan(&["validate", week, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    j["problems"].as_array().unwrap().clone()
}

fn has(problems: &[Value], code: &str, message: &str) -> bool {
    problems
        .iter()
        .any(|p| p["code"] == code && p["message"].as_str().is_some_and(|m| m.contains(message)))
}

#[test]
fn durations_past_any_week_are_refused_not_overflowing() {
    let a = Amen::new();
    a.edit("model.yaml", "aht: 9m", "aht: 99999999999999999999999999h");
    let p = problems(&a.week());
    assert!(has(&p, "E101", "longer than a year"), "{p:?}");
    assert!(p.iter().all(|x| x["line"].is_number()), "{p:?}");
    let text = refused(&[
        "erlang",
        "--load",
        "10",
        "--aht",
        "99999999999999999999999999h",
    ]);
    assert!(text.contains("longer than a year"), "{text}");
    let text = refused(&["erlang", "--load", "10", "--aht", "1e9s"]);
    assert!(text.contains("exponent form"), "{text}");
    let text = refused(&["erlang", "--load", "10", "--aht", "-5s"]);
    assert!(text.contains("0 or more"), "{text}");
}

#[test]
fn simulation_options_have_bounds_with_reasons() {
    let a = Amen::new();
    let roster = a.path("roster.csv");
    let roster = roster.to_str().unwrap();
    for (flag, value, says) in [
        ("--handle-cv", "1e155", "at most 10"),
        ("--replications", "4294967296", "2 to 10000"),
        (
            "--off-phone-mean",
            "99999999999999999999999999h",
            "longer than a year",
        ),
        ("--secondary-delay", "25h", "at most 24h"),
    ] {
        let text = refused(&["simulate", &a.week(), roster, flag, value]);
        assert!(text.contains(flag) && text.contains(says), "{flag}: {text}");
    }
}

#[test]
fn sizes_beyond_what_a_week_can_use_are_refused_before_any_work() {
    let a = Amen::new();
    // Headcount: a billion agents grew to 5 GB and aborted.
    let text = refused(&[
        "plan",
        &a.week(),
        "-o",
        a.path("out").to_str().unwrap(),
        "--set",
        "headcount=1000000000",
    ]);
    assert!(text.contains("at most 20000"), "{text}");
    assert!(!a.path("out").exists());
    // Seats: a billion spent minutes in the seat tables.
    a.edit("model.yaml", "seats: 25", "seats: 1000000000");
    let p = problems(&a.week());
    assert!(has(&p, "E103", "outside 0..100000"), "{p:?}");
}

#[test]
fn loads_outside_the_exact_range_are_refused_with_their_row() {
    let a = Amen::new();
    // One row of 1e12 contacts, one AHT of 1e300 s: staff and plan ran
    // for minutes and wrote nothing.
    a.edit(
        "history.csv",
        "2003-01-06T09:00,support,32,539",
        "2003-01-06T09:00,support,1000000000000,539",
    );
    a.edit(
        "history.csv",
        "2003-01-06T09:00,sales_billing,8,348",
        "2003-01-06T09:00,sales_billing,8,1e300",
    );
    let p = problems(&a.week());
    for (field, says) in [("offered", "Erlangs"), ("aht", "longer than a day")] {
        let x = p
            .iter()
            .find(|x| x["field"] == field && x["message"].as_str().unwrap().contains(says))
            .unwrap_or_else(|| panic!("{field}: {p:?}"));
        assert_eq!(x["code"], "E302");
        assert!(x["line"].is_number());
    }
    for args in [
        vec!["erlang", "--load", "1e308", "--aht", "4m"],
        vec!["erlang", "--calls", "1e12", "--per", "30m", "--aht", "4m"],
        vec![
            "erlang",
            "--load",
            "100000",
            "--aht",
            "4m",
            "--max-occupancy",
            "1e-9",
        ],
    ] {
        refused(&args);
    }
}

#[test]
fn an_ancient_history_or_a_device_is_refused_not_read() {
    let a = Amen::new();
    a.edit(
        "history.csv",
        "2003-01-06T09:00,support,32,539",
        "0001-01-01T09:00,support,32,539",
    );
    let p = problems(&a.week());
    assert!(has(&p, "E304", "more than 260 weeks"), "{p:?}");
    // /dev/zero as a CSV would be read until memory ran out.
    let a = Amen::new();
    a.edit("week.yaml", "history: history.csv", "history: /dev/zero");
    let p = problems(&a.week());
    assert!(has(&p, "E001", "not a regular file"), "{p:?}");
    // A directory as the model is named as one, not "not found".
    let a = Amen::new();
    fs::create_dir(a.path("dir.yaml")).unwrap();
    a.edit("week.yaml", "model: model.yaml", "model: dir.yaml");
    let text = refused(&["validate", &a.week()]);
    assert!(text.contains("is a directory"), "{text}");
}

#[test]
fn a_model_never_open_is_one_problem_not_an_optimal_empty_plan() {
    let a = Amen::new();
    let model = fs::read_to_string(a.path("model.yaml")).unwrap();
    let start = model.find("opening_hours:").unwrap();
    let end = model[start..].find("\n\n").unwrap() + start;
    fs::write(
        a.path("model.yaml"),
        format!("{}opening_hours: ~{}", &model[..start], &model[end..]),
    )
    .unwrap();
    let p = problems(&a.week());
    assert_eq!(p.len(), 1, "one root cause, no cascade: {p:?}");
    assert!(has(&p, "E210", "never open"), "{p:?}");
}

/// The week's history under the name `slaplan forecast` writes, so that
/// `forecast -o` into the week's own folder would replace an input.
fn history_named_forecast(a: &Amen) {
    fs::rename(a.path("history.csv"), a.path("forecast.csv")).unwrap();
    a.edit("week.yaml", "history: history.csv", "history: forecast.csv");
}

#[test]
fn outputs_never_replace_an_input_a_link_or_a_device() {
    let a = Amen::new();
    history_named_forecast(&a);
    let before = a.snapshot();
    let week = a.week();
    let root = a.dir.path().to_string_lossy().into_owned();
    let path = |rel: &str| a.path(rel).to_string_lossy().into_owned();
    for (args, says) in [
        // `-o` is a folder: a file given as one is not written over.
        (
            vec!["staff", &week, "-o", &path("model.yaml")],
            "is not a folder",
        ),
        (vec!["staff", &week, "-o", "/dev/null"], "is not a folder"),
        // forecast.csv, the file forecast writes, is the week's history.
        (
            vec!["forecast", &week, "-o", &root],
            "is an input of this run",
        ),
        (
            vec![
                "plan",
                &week,
                "-o",
                &path("out"),
                "--write-lp",
                &path("agents.csv"),
                "--no-roster",
            ],
            "is an input of this run",
        ),
    ] {
        let text = refused(&args);
        assert!(text.contains("output refused"), "{args:?}: {text}");
        assert!(text.contains(says), "{args:?}: {text}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(a.path("elsewhere.csv"), a.path("requirements.csv")).unwrap();
        let text = refused(&["staff", &week, "-o", &root]);
        assert!(text.contains("symbolic link"), "{text}");
        assert!(
            !a.path("requirements.json").exists(),
            "half the set written before the refusal"
        );
        fs::remove_file(a.path("requirements.csv")).unwrap();
    }
    assert_eq!(a.snapshot(), before, "an input changed");
    assert!(
        !a.path("out").exists(),
        "plan created its folder before refusing"
    );
}

/// What `--force` says otherwise (docs/errors.md): the same outputs that
/// are refused above are written — through a link to the file it names
/// (a device too), over an input of the run; a directory never, and `-o`
/// stays a folder.
#[test]
fn force_writes_through_links_into_devices_and_over_inputs() {
    let a = Amen::new();
    history_named_forecast(&a);
    let week = a.week();
    let root = a.dir.path().to_string_lossy().into_owned();
    let ok = |args: &[&str]| {
        let out = slaplan(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(a.path("elsewhere.csv"), a.path("requirements.csv")).unwrap();
        ok(&["staff", &week, "-o", &root, "--force"]);
        let meta = fs::symlink_metadata(a.path("requirements.csv")).unwrap();
        assert!(meta.file_type().is_symlink(), "the link was replaced");
        let written = fs::read_to_string(a.path("elsewhere.csv")).unwrap();
        assert!(written.starts_with("queue,"), "{written}");
        // A link to a device: written into it.
        fs::remove_file(a.path("requirements.csv")).unwrap();
        std::os::unix::fs::symlink("/dev/null", a.path("requirements.csv")).unwrap();
        ok(&["staff", &week, "-o", &root, "--force"]);
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
        fs::remove_file(a.path("requirements.csv")).unwrap();
    }
    let text = refused(&["staff", &week, "-o", "/dev/null", "--force"]);
    assert!(text.contains("is not a folder"), "{text}");
    // A directory, never.
    fs::create_dir(a.path("requirements.csv")).unwrap();
    let text = refused(&["staff", &week, "-o", &root, "--force"]);
    assert!(text.contains("is a directory"), "{text}");
    // Over an input of the run: the history is replaced by the forecast.
    let history = fs::read_to_string(a.path("forecast.csv")).unwrap();
    ok(&["forecast", &week, "-o", &root, "--force"]);
    assert_ne!(fs::read_to_string(a.path("forecast.csv")).unwrap(), history);
}

#[test]
fn threads_beyond_the_cores_are_capped_not_aborting() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = slaplan(&[
        "plan",
        repo("instances/union-airways/day.yaml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--threads",
        "1000",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let j: Value =
        serde_json::from_str(&fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    let cores = std::thread::available_parallelism().unwrap().get() as u64;
    assert!(
        j["options"]["threads"].as_u64().unwrap() <= cores,
        "{}",
        j["options"]
    );
}

#[test]
fn a_roster_s_paid_hours_and_header_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let inst = repo("instances/union-airways/day.yaml");
    let inst = inst.to_str().unwrap();
    assert!(slaplan(&["plan", inst, "-o", out.to_str().unwrap()])
        .status
        .success());
    let roster = out.join("roster.csv");
    let text = fs::read_to_string(&roster).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (k, bad) in [(1, "abc"), (2, "NaN"), (3, "-8")] {
        lines[k] = lines[k].replacen(",8.00,", &format!(",{bad},"), 1);
    }
    fs::write(&roster, lines.join("\n") + "\n").unwrap();
    let text = refused(&["check", inst, roster.to_str().unwrap()]);
    assert_eq!(text.matches("E302").count(), 3, "{text}");
    assert!(text.contains("'abc' is not a number of hours"), "{text}");
    assert!(text.contains("-8 paid hours, but template"), "{text}");
    // A wrong header names what was expected.
    fs::write(&roster, "who,when\nx,y\n").unwrap();
    let text = refused(&["check", inst, roster.to_str().unwrap()]);
    assert!(
        text.contains("unexpected header 'who,when', expected 'agent,name,group"),
        "{text}"
    );
}

#[test]
fn ids_are_plain_and_messages_are_ours() {
    let a = Amen::new();
    a.edit("model.yaml", "- id: support\n", "- id: \"sup port\"\n");
    let p = problems(&a.week());
    assert!(has(&p, "E006", "has characters other than"), "{p:?}");
    let a = Amen::new();
    a.edit("agents.csv", "AM002,", "AM\u{1F600}2,");
    let p = problems(&a.week());
    assert!(has(&p, "E302", "agent id"), "{p:?}");
    // A wrong type names no struct of ours; a second document is said in
    // words, at its line.
    let a = Amen::new();
    a.edit("week.yaml", "demand:\n  history: history.csv", "demand: 5");
    let p = problems(&a.week());
    let text = format!("{p:?}");
    assert!(
        text.contains("expected a map of keys") && !text.contains("DemandW"),
        "{text}"
    );
    let a = Amen::new();
    let model = fs::read_to_string(a.path("model.yaml")).unwrap();
    fs::write(a.path("model.yaml"), format!("{model}---\nname: again\n")).unwrap();
    let p = problems(&a.week());
    let two = p
        .iter()
        .find(|x| x["code"] == "E003")
        .unwrap_or_else(|| panic!("{p:?}"));
    assert!(two["message"]
        .as_str()
        .unwrap()
        .contains("more than one YAML document"));
    assert!(two["line"].as_u64().unwrap() > 1, "{two}");
}

#[test]
fn a_flood_of_one_mistake_is_summed_up() {
    // A week a century off: every history row is after it. Once 2,736
    // lines; now twenty, and one line for the rest.
    let a = Amen::new();
    a.edit(
        "week.yaml",
        "week_start: 2003-03-03",
        "week_start: 1900-01-01",
    );
    let p = problems(&a.week());
    let e304: Vec<&Value> = p.iter().filter(|x| x["code"] == "E304").collect();
    assert_eq!(e304.len(), 21, "{e304:?}");
    assert!(e304.iter().any(|x| x["message"]
        .as_str()
        .unwrap()
        .starts_with("and 2716 more E304 problems like it")));
    // The count line counts them all, not the lines printed.
    let out = slaplan(&["validate", &a.week()]);
    let err = String::from_utf8_lossy(&out.stderr);
    let summed = p
        .iter()
        .filter(|x| x["message"].as_str().unwrap().contains(" more E"))
        .count();
    assert_eq!(summed, 1, "{p:?}");
    let total = p.len() - 1 + 2716;
    assert!(
        err.trim_end().ends_with(&format!("{total} problems found")),
        "{err}"
    );
}

#[test]
fn validate_ok_means_the_demand_can_be_forecast() {
    // A history row off every grid (09:07) validated, then staff failed.
    let a = Amen::new();
    a.edit(
        "history.csv",
        "2003-01-06T09:00,support",
        "2003-01-06T09:07,support",
    );
    let p = problems(&a.week());
    assert!(has(&p, "E211", "cannot be forecast"), "{p:?}");
}

#[test]
fn a_plan_s_files_are_one_set_never_beside_an_earlier_run_s() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("week");
    let ua = repo("instances/union-airways/day.yaml");
    let plan = |inst: &str| slaplan(&["plan", inst, "-o", out.to_str().unwrap()]);
    assert!(plan(ua.to_str().unwrap()).status.success());
    assert!(out.join("roster.csv").exists());
    fs::write(out.join("my-notes.txt"), "mine").unwrap();
    // A leftover of a killed run beside the folder.
    fs::create_dir(root.path().join(".week.slaplan-999999.new")).unwrap();
    // The same day with shift 1's agents only: infeasible, no roster.
    let dir = tempfile::tempdir().unwrap();
    let agents = fs::read_to_string(repo("instances/union-airways/agents.csv")).unwrap();
    let first: Vec<&str> = agents.lines().take(61).collect();
    fs::write(dir.path().join("agents.csv"), first.join("\n") + "\n").unwrap();
    fs::copy(
        repo("instances/union-airways/requirements.csv"),
        dir.path().join("requirements.csv"),
    )
    .unwrap();
    let week = fs::read_to_string(&ua)
        .unwrap()
        .replace("../../models", repo("models").to_str().unwrap());
    let inst = dir.path().join("day.yaml");
    fs::write(&inst, week).unwrap();
    assert_eq!(plan(inst.to_str().unwrap()).status.code(), Some(1));
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The earlier roster, shifts, coverage and allocation are gone; the
    // planner's own file stays.
    assert_eq!(
        names,
        ["my-notes.txt", "plan.json", "report.html"],
        "{names:?}"
    );
    let siblings: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["week"], "staging left behind: {siblings:?}");
    // Into the instance's own folder: not swapped, its inputs untouched.
    let before: Vec<Vec<u8>> = ["agents.csv", "requirements.csv", "day.yaml"]
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    assert_eq!(
        slaplan(&[
            "plan",
            ua.to_str().unwrap(),
            "-o",
            dir.path().to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    let after: Vec<Vec<u8>> = ["agents.csv", "requirements.csv", "day.yaml"]
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert!(dir.path().join("roster.csv").exists());
}

/// Under a process limit (`ulimit -u`, a container's pids limit) rayon's
/// pool panicked and HiGHS's pool aborted (`std::system_error`) when they
/// could not start their threads; both are now sized from what the
/// process can start. Needs root (to run as `nobody` under `prlimit`,
/// which root itself ignores), `setpriv` and `prlimit`.
#[test]
fn a_process_limit_caps_the_threads_not_aborting() {
    let tools = ["setpriv", "prlimit"].iter().all(|t| {
        std::process::Command::new(t)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !(tools && root) {
        eprintln!(
            "SKIPPED a_process_limit_caps_the_threads_not_aborting: needs root, setpriv and prlimit \
             (root {root}, tools {tools})"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // `nobody` must reach the binary and write the output.
    let bin = dir.path().join("slaplan");
    fs::copy(env!("CARGO_BIN_EXE_slaplan"), &bin).unwrap();
    let open = |p: &std::path::Path, mode| {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap()
    };
    open(dir.path(), 0o777);
    open(&bin, 0o755);
    let week = repo("instances/stratus/week-2003-03-03.yaml");
    for nproc in [1, 2] {
        let out = dir.path().join(format!("out{nproc}"));
        let run = |args: &[&str]| {
            let limit = format!("--nproc={nproc}");
            let mut all = vec![
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "prlimit",
                &limit,
                bin.to_str().unwrap(),
            ];
            all.extend_from_slice(args);
            std::process::Command::new("setpriv")
                .args(&all)
                .output()
                .unwrap()
        };
        let plan = run(&[
            "plan",
            week.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--threads",
            "2",
        ]);
        let err = String::from_utf8_lossy(&plan.stderr);
        // Stratus's week verified: exit 0, a plan.
        assert_eq!(plan.status.code(), Some(0), "nproc {nproc}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("terminate called"),
            "{err}"
        );
        let j: Value =
            serde_json::from_str(&fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
        assert_eq!(j["options"]["threads"], 1, "nproc {nproc}");
        assert!(err.contains("--threads 2: 1 used"), "{err}");
        let sim = run(&[
            "simulate",
            week.to_str().unwrap(),
            out.join("roster.csv").to_str().unwrap(),
            "--threads",
            "2",
            "--replications",
            "4",
        ]);
        let err = String::from_utf8_lossy(&sim.stderr);
        assert_eq!(sim.status.code(), Some(0), "nproc {nproc}: {err}");
        assert!(String::from_utf8_lossy(&sim.stdout).contains("alerts"));
    }
}
