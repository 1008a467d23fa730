//! The planning MIP: building the model (requirements, SL tables, every
//! pass) and solving it, on the Club-Internet week (30-minute intervals,
//! 315 agents, 6 queues, an outsourcer; target: gap ≤ 1% within 60 s) and
//! on the generated large centre (2,000 agents, 10 queues, 15-minute
//! intervals; target: gap ≤ 2% within 5 minutes). Each solve is one
//! sample; besides the time, the bench prints the gap and the solver's
//! work counters. Figures in docs/performance.md.
//!
//! `cargo bench --bench plan` runs all (the large solve takes ten samples
//! of up to 5 minutes); `cargo bench --bench plan -- build` only the builds.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode};
use slaplan::input::load_instance;
use slaplan::plan::{self, Context, PlanOptions};

fn load(rel: &str) -> (slaplan::model::Instance, Vec<slaplan::model::VolumeRow>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let inst = load_instance(&path).expect("shipped instance loads");
    let rows = slaplan::pipeline::demand(&inst).expect("forecast");
    (inst, rows)
}

fn bench(c: &mut Criterion) {
    let cases = [
        (
            "club-internet",
            "instances/club-internet/week-2003-03-03.yaml",
            60.0,
            0.01,
        ),
        (
            "large-centre",
            "instances/large-centre/week.yaml",
            300.0,
            0.02,
        ),
    ];
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    for (name, rel, limit, gap) in cases {
        let (inst, rows) = load(rel);
        let opts = PlanOptions {
            time_limit_s: limit,
            gap,
            ..PlanOptions::default()
        };
        g.sampling_mode(SamplingMode::Auto);
        g.measurement_time(Duration::from_secs(10));
        g.bench_function(format!("build/{name}"), |b| {
            b.iter(|| {
                let cx = Context::new(&inst, &rows, &opts).expect("context");
                black_box(plan::build(&cx, false).0.size())
            })
        });
        // One solve per sample, ten samples.
        g.sampling_mode(SamplingMode::Flat);
        g.measurement_time(Duration::from_secs_f64(limit * 10.0));
        g.bench_function(format!("solve/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut cx = Context::new(&inst, &rows, &opts).expect("context");
                    let t = Instant::now();
                    let p = plan::plan(&mut cx);
                    total += t.elapsed();
                    eprintln!(
                        "  {name}: {:?}, gap {:?}, cost {:?}, bound {:?}, {} simplex iterations, {} nodes, {:.1} s",
                        p.stats.status,
                        p.stats.gap,
                        p.stats.objective,
                        p.stats.lower_bound,
                        p.stats.simplex_iterations,
                        p.stats.nodes,
                        p.stats.solve_seconds
                    );
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
