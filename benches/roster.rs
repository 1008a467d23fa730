//! The rostering engine: naming the Club-Internet week's 315 agents on the
//! plan's shifts (target: within 2% of the plan's lower bound in at most
//! 120 s on 2 cores), and the Curtois–Qu benchmark instances 1–4 (target:
//! the published optima, proven). One solve per sample; besides the time,
//! the bench prints the objective, bound and solver work. Figures in
//! docs/performance.md and docs/benchmarks.md.
//!
//! `cargo bench --bench roster` runs all; the benchmark instances are read
//! from `../shared/data/curtois` (or `$SLAPLAN_SHARED_DATA/curtois`) and
//! skipped, with a message, where absent.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use slaplan::input::load_instance;
use slaplan::pipeline::{plan_week, WeekOptions};
use slaplan::plan::PlanOptions;
use slaplan::roster::{self, RosterOptions};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("roster");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/club-internet/week-2003-03-03.yaml");
    let inst = load_instance(&path).expect("shipped instance loads");
    // The plan alone, as `slaplan plan --no-roster` makes it; the bench
    // names its agents.
    let week = plan_week(&inst, &WeekOptions::new(PlanOptions::default(), None))
        .expect("the shipped week plans");
    let (cx, p) = (&week.cx, &week.plan);
    let sol = p.solution.as_ref().expect("the shipped week has a plan");
    let bound = p.stats.lower_bound.expect("a bound");
    let ropts = RosterOptions::for_plan(&PlanOptions::default(), 120.0, None);
    g.measurement_time(Duration::from_secs(120));
    g.bench_function("centre/club-internet", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                let r = roster::centre::roster(cx, sol, &ropts);
                total += t.elapsed();
                let cost = sol.costs.total - sol.costs.in_house + r.wages;
                eprintln!(
                    "  club-internet: {:?}, {} shifts, {} unfilled, cost {cost:.2}, {:.3}% from the plan's bound, {} simplex iterations, {} nodes",
                    r.stats.status,
                    r.shifts.len(),
                    r.unfilled.len(),
                    100.0 * (cost - bound) / cost,
                    r.stats.simplex_iterations,
                    r.stats.nodes
                );
            }
            total
        })
    });
    let data: PathBuf = std::env::var_os("SLAPLAN_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
        .join("curtois");
    if !data.is_dir() {
        eprintln!(
            "SKIPPED: the Curtois–Qu instances are not at {}",
            data.display()
        );
        return;
    }
    let opts = RosterOptions {
        time_limit_s: 900.0,
        gap: 0.0,
        ..RosterOptions::default()
    };
    for i in 1..=4 {
        let b = slaplan::input::curtois::load_benchmark(&data.join(format!("Instance{i}.txt")))
            .expect("benchmark reads");
        let problem = roster::curtois::problem(&b);
        g.measurement_time(Duration::from_secs(60));
        g.bench_function(format!("curtois/{i}"), |bch| {
            bch.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    let s = roster::solve(&problem, &opts);
                    total += t.elapsed();
                    eprintln!(
                        "  Instance{i}: {:?}, objective {:?}, bound {:?}, {} simplex iterations, {} nodes",
                        s.stats.status,
                        s.objective.map(|o| o.total),
                        s.stats.lower_bound,
                        s.stats.simplex_iterations,
                        s.stats.nodes
                    );
                }
                total
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
