//! Every shipped instance validates, and every shipped history is exactly
//! what its documented, seeded generator spec produces.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use slaplan::generate;
use slaplan::input::{load_instance, load_model};
use slaplan::model::Demand;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files_named(pred: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for centre in fs::read_dir(Path::new(ROOT).join("instances")).unwrap() {
        let dir = centre.unwrap().path();
        for f in fs::read_dir(&dir).unwrap() {
            let p = f.unwrap().path();
            if pred(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Week files: YAML beside a centre's data, not its history recipe nor its
/// scenario files (`scenarios-*.yaml`, read by `slaplan compare`; checked
/// in tests/compare.rs).
fn is_instance(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    p.extension().is_some_and(|e| e == "yaml")
        && name != "history.yaml"
        && !name.starts_with("scenarios")
}

#[test]
fn every_shipped_instance_validates() {
    let instances = files_named(is_instance);
    assert!(instances.len() >= 4, "{instances:?}");
    for path in &instances {
        let out = Command::new(env!("CARGO_BIN_EXE_slaplan"))
            .arg("validate")
            .arg(path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: "));
    }
    let centres: Vec<String> = instances
        .iter()
        .map(|p| {
            p.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for c in [
        "club-internet",
        "amen",
        "internet-telecom",
        "stratus",
        "it-vendor",
    ] {
        assert!(centres.iter().any(|x| x == c), "no instance for {c}");
    }
}

#[test]
fn shipped_histories_are_the_generators_output_byte_for_byte() {
    let specs = files_named(|p| p.ends_with("history.yaml"));
    assert_eq!(specs.len(), 5);
    for spec_path in specs {
        let spec = generate::read_spec(&spec_path).unwrap();
        assert!(
            spec.weeks >= 8,
            "{}: at least 8 weeks of history",
            spec_path.display()
        );
        let bytes = generate::history_csv(&spec_path).unwrap();
        let shipped = fs::read(spec_path.with_file_name("history.csv")).unwrap();
        assert!(
            bytes == shipped,
            "{}: history.csv differs from the generator's output",
            spec_path.display()
        );
    }
}

#[test]
fn generated_weekly_volumes_follow_the_spec() {
    // The mean of weekly totals over the 8 weeks is the spec's volume times
    // the mean trend factor, within Poisson noise (4 sigma).
    for spec_path in files_named(|p| p.ends_with("history.yaml")) {
        let spec = generate::read_spec(&spec_path).unwrap();
        let centre = load_model(&spec_path.parent().unwrap().join(&spec.model)).unwrap();
        let rows = generate::generate(&spec, &centre).unwrap();
        let weeks = f64::from(spec.weeks);
        let trend: f64 = (0..spec.weeks)
            .map(|w| (1.0 + spec.weekly_trend).powi(w as i32))
            .sum::<f64>()
            / weeks;
        for (queue, weekly) in &spec.weekly_contacts {
            let total: u64 = rows
                .iter()
                .filter(|r| &r.queue == queue)
                .map(|r| r.offered)
                .sum();
            let mean = total as f64 / weeks;
            let expected = weekly * trend;
            let sigma = (expected / weeks).sqrt();
            assert!(
                (mean - expected).abs() <= 4.0 * sigma + 1e-9,
                "{queue}: {mean} vs {expected}"
            );
        }
    }
}

#[test]
fn club_internet_week_is_the_published_centre() {
    let path = Path::new(ROOT).join("instances/club-internet/week-2003-03-03.yaml");
    let i = load_instance(&path).unwrap();
    assert_eq!(i.agents.len(), 315);
    assert_eq!(i.centre.trunk_lines, Some(210));
    assert_eq!(i.centre.outsourcers[0].id, "snt");
    let Demand::History(rows) = &i.demand else {
        panic!("history expected")
    };
    // 150,000 calls a month = 34,615 a week, in the voice queues.
    let voice: f64 = rows
        .iter()
        .filter(|r| i.centre.queues[r.queue].id != "email")
        .map(|r| r.contacts)
        .sum::<f64>()
        / 8.0;
    assert!(
        (voice - 150_000.0 * 12.0 / 52.0).abs() / voice < 0.03,
        "{voice}"
    );
}
