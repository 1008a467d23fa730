//! The simulation's speed: 30 replications of the Club-Internet week
//! (about 40,000 contacts each) replayed call by call on the roster
//! `slaplan plan` names (target: under 10 s on 2 cores). Planning and
//! rostering happen once, before the measurement; each sample is one
//! `Setup::run` of all replications, in parallel over the cores. Figure in
//! docs/performance.md.
//!
//! `cargo bench --bench simulate`.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use slaplan::files::roster::{read_allocation, read_roster};
use slaplan::input::load_instance;
use slaplan::pipeline::{plan_week, WeekOptions};
use slaplan::plan::PlanOptions;
use slaplan::roster;
use slaplan::simulate::{allocation_solution, Setup, SimOptions};

fn bench(c: &mut Criterion) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/club-internet/week-2003-03-03.yaml");
    let inst = load_instance(&path).expect("shipped instance loads");
    // Planned and rostered as `slaplan plan` does, re-plans included.
    let week = plan_week(
        &inst,
        &WeekOptions::new(PlanOptions::default(), Some(120.0)),
    )
    .expect("the shipped week plans");
    let (cx, sol) = (&week.cx, week.plan.solution.as_ref().expect("a plan"));
    let r = week.roster.as_ref().expect("a roster");
    // Through the files, as `slaplan simulate` reads them.
    let dir = std::env::temp_dir().join(format!("slaplan-bench-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let roster_csv = dir.join("roster.csv");
    let allocation_csv = dir.join("allocation.csv");
    std::fs::write(&roster_csv, roster::output::roster_csv(cx, r)).expect("write roster");
    std::fs::write(&allocation_csv, roster::output::allocation_csv(cx, sol))
        .expect("write allocation");
    let shifts = read_roster(&inst, &roster_csv).expect("roster reads back");
    let alloc =
        read_allocation(&inst, &cx.req.grid, &allocation_csv).expect("allocation reads back");
    let _ = std::fs::remove_dir_all(&dir);
    let setup = Setup::new(
        cx,
        &shifts,
        &allocation_solution(cx, &alloc),
        &SimOptions::default(),
    );
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("club-internet/30-replications", |b| {
        b.iter(|| {
            let tallies = setup.run();
            let contacts: f64 = tallies
                .iter()
                .map(|t| t.offered.iter().sum::<f64>() + t.blocked.iter().sum::<f64>())
                .sum();
            assert_eq!(tallies.len(), 30);
            contacts
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
