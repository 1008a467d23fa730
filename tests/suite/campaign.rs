//! A mutation campaign, as issue 24's was run by hand: copies of the
//! shipped Amen week (model, instance, history, agents) mutated one input
//! at a time — numbers made huge, negative, NaN or in exponent form,
//! durations overflowing, dates moved to year 1 or 9999, paths pointed at
//! devices and folders, lines cut, swapped and duplicated, junk and
//! control characters inserted — then `validate`, and where it says ok
//! `staff` and a budgeted `plan`, each under a time and memory cap.
//!
//! Every run must end with exit 0, 1 or 2 (no panic, no abort, no hang),
//! every exit 2 with a code or a flag and the file it is about, and every
//! input byte for byte as it was. `SLAPLAN_CAMPAIGN=N` sets the number of
//! mutants (default 24, seeded: the same every run); `SLAPLAN_BIN` a
//! binary to run instead of this build's (a release build runs a large
//! campaign faster). `docs/errors.md` gives the measured figures.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::repo;

/// A small deterministic generator (xorshift64*): the campaign is seeded.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FILES: [&str; 4] = ["model.yaml", "week.yaml", "history.csv", "agents.csv"];

const NUMBERS: [&str; 12] = [
    "0",
    "-1",
    "1e308",
    "99999999999999999999999999",
    "NaN",
    "inf",
    "",
    "1e-9",
    "4294967296",
    "0.5",
    "-0",
    "1000000000",
];

const DURATIONS: [&str; 7] = [
    "99999999999999999999999999h",
    "-5s",
    "1e9s",
    "0s",
    "8785h",
    "0.0001s",
    "5x",
];

const DATES: [&str; 5] = [
    "0001-01-01",
    "1900-01-01",
    "9999-12-31",
    "2003-02-30",
    "2003-03-04",
];

const PATHS: [&str; 5] = ["/dev/zero", "/", "missing.csv", "week.yaml", "/dev/null"];

const JUNK: [&str; 8] = [
    "\u{0}",
    "\t",
    " \u{1F600} ",
    ": [",
    "&a *a",
    "\n---\n",
    ",,,,",
    "{{{{",
];

/// Byte ranges of the tokens of `text` that `is` accepts.
fn tokens(text: &str, is: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let part = c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':';
        match (start, part) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                if is(&text[s..i]) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn replace_token(
    rng: &mut Rng,
    text: &str,
    is: impl Fn(&str) -> bool,
    with: &str,
) -> Option<String> {
    let found = tokens(text, is);
    if found.is_empty() {
        return None;
    }
    let (a, b) = found[rng.below(found.len())];
    Some(format!("{}{with}{}", &text[..a], &text[b..]))
}

/// One mutation of `text`, and what it was.
fn mutate(rng: &mut Rng, text: &str, file: &str) -> (String, String) {
    let number = |t: &str| t.parse::<f64>().is_ok();
    let duration = |t: &str| {
        t.len() > 1 && t.ends_with(['s', 'm', 'h']) && t[..t.len() - 1].parse::<f64>().is_ok()
    };
    let date =
        |t: &str| t.len() >= 10 && chrono::NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d").is_ok();
    for _ in 0..8 {
        let kind = rng.below(7);
        let out = match kind {
            0 => {
                let v = rng.pick(&NUMBERS);
                replace_token(rng, text, number, v).map(|t| (t, format!("number -> {v:?}")))
            }
            1 => {
                let v = rng.pick(&DURATIONS);
                replace_token(rng, text, duration, v).map(|t| (t, format!("duration -> {v}")))
            }
            2 => {
                let v = rng.pick(&DATES);
                replace_token(rng, text, date, v).map(|t| (t, format!("date -> {v}")))
            }
            3 if file == "week.yaml" => {
                let v = rng.pick(&PATHS);
                replace_token(
                    rng,
                    text,
                    |t| t.ends_with(".csv") || t.ends_with(".yaml"),
                    v,
                )
                .map(|t| (t, format!("path -> {v}")))
            }
            4 => {
                let lines: Vec<&str> = text.lines().collect();
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                let mut l = lines.clone();
                let what = match rng.below(3) {
                    0 => {
                        l.remove(i);
                        format!("line {} cut", i + 1)
                    }
                    1 => {
                        l.insert(i, lines[i]);
                        format!("line {} duplicated", i + 1)
                    }
                    _ => {
                        l.swap(i, j);
                        format!("lines {} and {} swapped", i + 1, j + 1)
                    }
                };
                Some((l.join("\n") + "\n", what))
            }
            5 => {
                let v = rng.pick(&JUNK);
                let mut at = rng.below(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                Some((
                    format!("{}{v}{}", &text[..at], &text[at..]),
                    format!("{v:?} inserted at byte {at}"),
                ))
            }
            _ => {
                // A row repeated many times: floods and duplicates.
                let lines: Vec<&str> = text.lines().collect();
                let i = 1 + rng.below(lines.len().saturating_sub(1));
                let mut l: Vec<&str> = lines.clone();
                for _ in 0..5000 {
                    l.insert(i, lines[i.min(lines.len() - 1)]);
                }
                Some((
                    l.join("\n") + "\n",
                    format!("line {} repeated 5000 times", i + 1),
                ))
            }
        };
        if let Some(o) = out {
            return o;
        }
    }
    (text.to_string(), "unchanged".into())
}

/// The Amen week in `dir`, model beside the instance.
fn amen(dir: &Path) {
    fs::copy(repo("models/amen.yaml"), dir.join("model.yaml")).unwrap();
    for f in ["history.csv", "agents.csv"] {
        fs::copy(repo("instances/amen").join(f), dir.join(f)).unwrap();
    }
    let week = fs::read_to_string(repo("instances/amen/strike-week.yaml"))
        .unwrap()
        .replace("../../models/amen.yaml", "model.yaml");
    fs::write(dir.join("week.yaml"), week).unwrap();
}

fn binary() -> PathBuf {
    std::env::var_os("SLAPLAN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_slaplan")))
}

/// Runs slaplan in `dir` under 60 s and 4 GiB; (exit, stderr, stdout).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let bin = binary();
    let cmd = format!(
        "ulimit -v 4194304; exec timeout -s KILL 60 {} {}",
        bin.display(),
        args.join(" ")
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .output()
        .expect("sh runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// What was wrong with one run, if anything.
fn judge(what: &str, (code, err, out): &(i32, String, String)) -> Option<String> {
    let text = format!("{out}{err}");
    if text.contains("panicked") {
        return Some(format!("{what}: panic: {text}"));
    }
    match code {
        0 | 1 => None,
        2 => {
            let coded = text.contains(" E0")
                || text.contains(" E1")
                || text.contains(" E2")
                || text.contains(" E3")
                || text.contains(" E4")
                || text.contains("error: ");
            let placed = [".yaml", ".csv", "/dev/", "error: --", "error: INSTANCE"]
                .iter()
                .any(|p| text.contains(p));
            (!(coded && placed))
                .then(|| format!("{what}: exit 2 without a code and a place: {text}"))
        }
        -1 | 137 => Some(format!(
            "{what}: killed (hang past 60 s or memory past 4 GiB)"
        )),
        c => Some(format!("{what}: exit {c}: {text}")),
    }
}

fn hash(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = FILES
        .iter()
        .map(|f| (f.to_string(), fs::read(dir.join(f)).unwrap_or_default()))
        .collect();
    v.sort();
    v
}

#[test]
fn mutated_inputs_never_panic_hang_or_change() {
    let n: usize = std::env::var("SLAPLAN_CAMPAIGN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut failures = Vec::new();
    let (mut ok, mut refused, mut planned) = (0, 0, 0);
    // Rosters to mutate: Union Airways planned once (a fraction of a second).
    let ua = repo("instances/union-airways/day.yaml");
    let planned_ua = tempfile::tempdir().unwrap();
    let out = run(
        planned_ua.path(),
        &["plan", ua.to_str().unwrap(), "-o", "ua"],
    );
    assert_eq!(out.0, 0, "{}", out.1);
    let (mut rosters, mut rosters_refused) = (0, 0);
    for k in 0..n {
        let dir = tempfile::tempdir().unwrap();
        if k % 5 == 4 {
            // Every fifth mutant is a roster, checked against its week.
            for f in ["roster.csv", "allocation.csv"] {
                fs::copy(planned_ua.path().join("ua").join(f), dir.path().join(f)).unwrap();
            }
            let text = fs::read_to_string(dir.path().join("roster.csv")).unwrap();
            let (mutant, what) = mutate(&mut rng, &text, "roster.csv");
            fs::write(dir.path().join("roster.csv"), &mutant).unwrap();
            let what = format!("mutant {k} (roster.csv: {what})");
            let r = run(dir.path(), &["check", ua.to_str().unwrap(), "roster.csv"]);
            failures.extend(judge(&format!("{what}, check"), &r));
            rosters += 1;
            rosters_refused += usize::from(r.0 == 2);
            if fs::read_to_string(dir.path().join("roster.csv")).unwrap() != mutant {
                failures.push(format!("{what}: the roster changed"));
            }
            continue;
        }
        amen(dir.path());
        let file = FILES[k % FILES.len()];
        let text = fs::read_to_string(dir.path().join(file)).unwrap();
        let (mutant, what) = mutate(&mut rng, &text, file);
        fs::write(dir.path().join(file), mutant).unwrap();
        let what = format!("mutant {k} ({file}: {what})");
        let before = hash(dir.path());
        let v = run(dir.path(), &["validate", "week.yaml"]);
        failures.extend(judge(&format!("{what}, validate"), &v));
        if v.0 == 0 {
            ok += 1;
            for args in [
                vec!["staff", "week.yaml", "-o", "req"],
                vec![
                    "plan",
                    "week.yaml",
                    "-o",
                    "out",
                    "--no-roster",
                    "--work-limit",
                    "20",
                    "--time-limit",
                    "30",
                ],
            ] {
                let r = run(dir.path(), &args);
                // validate said ok: the work must not fail on the input.
                if r.0 == 2 {
                    failures.push(format!(
                        "{what}, {}: validate said ok, then exit 2: {}",
                        args[0], r.1
                    ));
                }
                failures.extend(judge(&format!("{what}, {}", args[0]), &r));
                planned += usize::from(args[0] == "plan" && r.0 == 0);
            }
        } else {
            refused += 1;
        }
        if hash(dir.path()) != before {
            failures.push(format!("{what}: an input changed"));
        }
    }
    eprintln!(
        "campaign: {n} mutants: {} of the week's files, {ok} validated ({planned} planned), {refused} refused; \
         {rosters} rosters checked, {rosters_refused} refused; {} failures",
        n - rosters,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
