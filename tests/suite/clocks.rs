//! Several clocks for one contact (issue 26): a deferred queue may follow
//! another's contacts (`follows`), a share of them needing its work once
//! the first is done, each by its own deadline from the first arrival —
//! the IT vendor's confirmation call within four hours, then for half the
//! requests a remote resolution within eight business hours.

use std::fs;

use serde_json::Value;

use crate::support::{repo, slaplan};

const WEEK: &str = "instances/it-vendor/week-2003-03-03.yaml";

/// The plan sizes the later clock on its share of the first's contacts,
/// interval by interval; the replay spawns it from the first's completed
/// contacts, so over the week it offers that share within Poisson noise.
#[test]
fn a_later_clock_takes_its_share_of_the_first_one_s_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let run = slaplan(&[
        "plan",
        repo(WEEK).to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--no-verify",
        "-q",
    ]);
    assert!(run.status.success(), "{run:?}");
    let coverage = fs::read_to_string(dir.path().join("coverage.csv")).unwrap();
    let contacts = |queue: &str| -> Vec<(String, f64)> {
        coverage
            .lines()
            .filter(|l| l.starts_with(&format!("{queue},")))
            .map(|l| {
                let c: Vec<&str> = l.split(',').collect();
                (c[1].to_string(), c[3].parse::<f64>().unwrap())
            })
            .collect()
    };
    let (requests, resolutions) = (contacts("requests"), contacts("resolutions"));
    assert!(!resolutions.is_empty());
    for (at, n) in &resolutions {
        let parent = requests.iter().find(|r| &r.0 == at).map_or(0.0, |r| r.1);
        assert!((n - 0.5 * parent).abs() < 1e-3, "{at}: {n} vs {parent}");
    }
    let out = dir.path().join("sim");
    let sim = slaplan(&[
        "simulate",
        repo(WEEK).to_str().unwrap(),
        dir.path().join("roster.csv").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--replications",
        "40",
        "-q",
    ]);
    assert!(matches!(sim.status.code(), Some(0 | 1)), "{sim:?}");
    let j: Value =
        serde_json::from_str(&fs::read_to_string(out.join("simulation.json")).unwrap()).unwrap();
    let offered = |queue: &str| {
        j["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["queue"] == queue)
            .unwrap()["week"]["offered"]
            .as_f64()
            .unwrap()
    };
    let (first, later) = (offered("requests"), offered("resolutions"));
    // 40 replications of about 350 requests: the mean of a binomial half
    // lies within 4 standard errors of half the requests.
    let sigma = (0.25 * first / 40.0).sqrt();
    assert!(
        (later - 0.5 * first).abs() < 4.0 * sigma + 1.0,
        "{later} vs {first}"
    );
}

/// A later clock must be deferred work following deferred work, and no
/// chain may come back to where it starts.
#[test]
fn clocks_that_cannot_follow_are_refused() {
    let model = fs::read_to_string(repo("models/it-vendor.yaml")).unwrap();
    let follows = "follows: { queue: requests, share: 50% }";
    assert!(model.contains(follows));
    for (to, says) in [
        (
            "follows: { queue: platinum, share: 50% }",
            "follows voice queue",
        ),
        (
            "follows: { queue: resolutions, share: 50% }",
            "follows itself",
        ),
        ("follows: { queue: nowhere, share: 50% }", "nowhere"),
        ("follows: { queue: requests, share: 150% }", "150%"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.yaml");
        fs::write(&path, model.replacen(follows, to, 1)).unwrap();
        let problems = slaplan::input::load_model(&path).expect_err(to);
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains(says) && p.field.starts_with("queues[4].follows")),
            "{to}: {problems:#?}"
        );
    }
}
