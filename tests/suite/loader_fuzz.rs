//! Whatever the bytes, the loader answers with problems, never a panic:
//! arbitrary bytes, and random edits (cuts, insertions, swapped and
//! duplicated lines) of the shipped model, instance and CSV files (history,
//! forecast, requirements, agents), a roster as `check` and `simulate`
//! read it, a scenario file as `compare` reads it, and the durations and
//! shares every file and the command line parse (issue 24's fuzz targets,
//! run as property tests on stable: the seeds are the shipped files, each
//! `cargo test` a bounded run).

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use slaplan::input::{load_instance, load_model, Problem};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn shipped(rel: &str) -> String {
    fs::read_to_string(Path::new(ROOT).join(rel)).unwrap()
}

/// An edit applied to a text at a relative position.
#[derive(Debug, Clone)]
enum Edit {
    Cut(f64, usize),
    Insert(f64, String),
    SwapLines(f64, f64),
    DuplicateLine(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..1.0, 1usize..40).prop_map(|(at, n)| Edit::Cut(at, n)),
        (0.0..1.0, "[ -~\n\t:{}\\[\\]\\-#%'\"&*!|>]{1,12}").prop_map(|(at, s)| Edit::Insert(at, s)),
        (0.0..1.0, 0.0..1.0).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (0.0..1.0).prop_map(Edit::DuplicateLine),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut t = text.to_string();
    for e in edits {
        let pos = |f: f64, len: usize| -> usize { ((f * len as f64) as usize).min(len) };
        match e {
            Edit::Cut(at, n) => {
                let mut a = pos(*at, t.len());
                while !t.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (a + n).min(t.len());
                while !t.is_char_boundary(b) {
                    b += 1;
                }
                t.replace_range(a..b, "");
            }
            Edit::Insert(at, s) => {
                let mut a = pos(*at, t.len());
                while !t.is_char_boundary(a) {
                    a -= 1;
                }
                t.insert_str(a, s);
            }
            Edit::SwapLines(x, y) => {
                let mut lines: Vec<&str> = t.lines().collect();
                if !lines.is_empty() {
                    let (i, j) = (pos(*x, lines.len() - 1), pos(*y, lines.len() - 1));
                    lines.swap(i, j);
                }
                t = lines.join("\n");
            }
            Edit::DuplicateLine(x) => {
                let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
                if !lines.is_empty() {
                    let i = pos(*x, lines.len() - 1);
                    lines.insert(i, lines[i].clone());
                }
                t = lines.join("\n");
            }
        }
    }
    t
}

fn well_formed(problems: &[Problem]) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty());
    for p in problems {
        prop_assert!(!p.message.is_empty(), "{p:?}");
        prop_assert!(!p.hint.is_empty(), "{p:?}");
        prop_assert!(p.file.file_name().is_some(), "{p:?}");
    }
    Ok(())
}

/// The Club-Internet files in a temp dir, with `rel` replaced by `bytes`.
fn centre_with(rel: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("models")).unwrap();
    fs::create_dir_all(dir.path().join("instances/club-internet")).unwrap();
    for f in [
        "models/club-internet.yaml",
        "instances/club-internet/week-2003-03-03.yaml",
        "instances/club-internet/agents.csv",
        "instances/club-internet/history.csv",
    ] {
        fs::copy(Path::new(ROOT).join(f), dir.path().join(f)).unwrap();
    }
    fs::write(dir.path().join(rel), bytes).unwrap();
    dir
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_as_a_model(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.yaml");
        fs::write(&path, &bytes).unwrap();
        if let Err(problems) = load_model(&path) {
            well_formed(&problems)?;
        }
    }

    #[test]
    fn edited_model(edits in prop::collection::vec(edit(), 1..6)) {
        let text = apply(&shipped("models/club-internet.yaml"), &edits);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.yaml");
        fs::write(&path, &text).unwrap();
        if let Err(problems) = load_model(&path) {
            well_formed(&problems)?;
        }
    }

    #[test]
    fn edited_instance_and_csv(
        which in 0usize..3,
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let rel = [
            "instances/club-internet/week-2003-03-03.yaml",
            "instances/club-internet/agents.csv",
            "instances/club-internet/history.csv",
        ][which];
        let text = apply(&shipped(rel), &edits);
        let dir = centre_with(rel, text.as_bytes());
        let instance = dir.path().join("instances/club-internet/week-2003-03-03.yaml");
        if let Err(problems) = load_instance(&instance) {
            well_formed(&problems)?;
        }
    }

    #[test]
    fn edited_forecast_requirements_and_agents(
        which in 0usize..4,
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let (instance, rel) = [
            ("tests/fixtures/check/week.yaml", "tests/fixtures/check/volumes.csv"),
            ("instances/union-airways/day.yaml", "instances/union-airways/requirements.csv"),
            ("instances/union-airways/day.yaml", "instances/union-airways/agents.csv"),
            ("tests/fixtures/plan/pooling.yaml", "tests/fixtures/plan/pooling-volumes.csv"),
        ][which];
        let dir = tree_with(instance, rel, apply(&shipped(rel), &edits).as_bytes());
        if let Err(problems) = load_instance(&dir.path().join(instance)) {
            well_formed(&problems)?;
        }
    }

    #[test]
    fn edited_roster(edits in prop::collection::vec(edit(), 1..5)) {
        let instance = "tests/fixtures/plan/pooling.yaml";
        let rel = "tests/fixtures/plan/pooling-roster.csv";
        let inst = load_instance(&Path::new(ROOT).join(instance)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.csv");
        fs::write(&path, apply(&shipped(rel), &edits)).unwrap();
        if let Err(problems) = slaplan::files::roster::read_roster(&inst, &path) {
            well_formed(&problems)?;
            for p in &problems {
                prop_assert!(p.file == path, "{p:?}");
            }
        }
    }

    #[test]
    fn arbitrary_bytes_as_a_roster(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let inst =
            load_instance(&Path::new(ROOT).join("tests/fixtures/plan/pooling.yaml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.csv");
        fs::write(&path, &bytes).unwrap();
        if let Err(problems) = slaplan::files::roster::read_roster(&inst, &path) {
            well_formed(&problems)?;
        }
    }

    #[test]
    fn edited_scenario_file(
        which in 0usize..3,
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let rel = [
            "instances/amen/scenarios-strike.yaml",
            "instances/club-internet/scenarios-snt.yaml",
            "instances/internet-telecom/scenarios-headcount.yaml",
        ][which];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scenarios.yaml");
        let text = apply(&shipped(rel), &edits);
        fs::write(&path, &text).unwrap();
        if let Err(e) = slaplan::scenario::load_scenarios(&path) {
            // Named by its file, in our words: no type of ours or serde's.
            prop_assert!(e.contains("scenarios.yaml"), "{e}");
            // The temporary directory's random name is no leak (CI's was
            // `.tmpf64RSV`): judge the message without the path.
            let said = e.replace(&path.display().to_string(), "");
            prop_assert!(!ours_or_serdes(&said, &text), "{e}");
        }
    }

    #[test]
    fn durations_and_shares_parse_or_refuse(
        text in prop_oneof![
            "[ -~]{0,16}",
            "-?[0-9]{1,40}(\\.[0-9]{0,10})?([eE][-+]?[0-9]{1,4})?(ms|s|m|h|d|%)?",
            "([0-9]{1,30}[hms]){1,4}",
        ],
    ) {
        match slaplan::units::duration_s(&text) {
            Ok(v) => prop_assert!(v.is_finite() && v >= 0.0, "{text:?} gave {v}"),
            Err(e) => {
                // The input is quoted back: judge the rest.
                let said = e.to_string().replace(text.trim(), "");
                prop_assert!(!said.is_empty() && !ours_or_serdes(&said, ""), "{said}");
            }
        }
        if let Err(e) = slaplan::units::share(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}

/// Whether a message leaks a type name of ours (the `…W` wire structs) or
/// serde's wording about Rust types. A message may quote the `input` back
/// (an unknown key, say), so a pattern the input itself contains is not
/// judged: a quotation cannot be told from a leak (the fuzzer inserted
/// "0W`" before a comment and the unknown key quoted it).
fn ours_or_serdes(message: &str, input: &str) -> bool {
    // A name quoted back from the input (`nameW`, an edited field's) is
    // the planner's own text, not one of our types: judge the message
    // without it.
    let said: Vec<&str> = message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 && !part.is_empty() && input.contains(part) {
                ""
            } else {
                part
            }
        })
        .collect();
    let said = said.join("`");
    ["struct ", "enum ", "W`", "u128", "u64", "f64"]
        .iter()
        .any(|leak| said.contains(leak) && !input.contains(leak))
}

/// `instance` and the files it names, copied to a temp dir with `rel`
/// replaced by `bytes` (the paths kept, so the files still find each other).
fn tree_with(instance: &str, rel: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = shipped(instance);
    let inst_dir = Path::new(instance).parent().unwrap();
    let mut files = vec![instance.to_string()];
    for line in text.lines() {
        let Some((_, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        if v.ends_with(".csv") || v.ends_with(".yaml") {
            let f = inst_dir.join(v);
            files.push(normalise(&f));
        }
    }
    for f in files {
        let to = dir.path().join(&f);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(Path::new(ROOT).join(&f), &to).unwrap();
    }
    fs::write(dir.path().join(rel), bytes).unwrap();
    dir
}

/// `a/b/../c` as `a/c`.
fn normalise(p: &Path) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.iter() {
        match c.to_str().unwrap() {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}
