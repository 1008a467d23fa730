//! Queueing kernels: required agents for one interval from 1 to 100,000
//! Erlangs (Erlang C, 80% within 20 s, AHT 300 s), one Erlang A interval,
//! and a whole week of requirements for a centre of 10 queues in
//! quarter-hours (6,720 intervals). Figures go to docs/performance.md.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use slaplan::queueing::staffing::{required_many, ServiceTarget};
use slaplan::queueing::{QueueModel, Targets};

fn targets() -> Targets {
    Targets {
        service_level: Some(ServiceTarget {
            share: 0.8,
            answer_within_s: 20.0,
        }),
        ..Targets::default()
    }
}

fn required_agents(c: &mut Criterion) {
    let mut group = c.benchmark_group("required_agents_erlang_c");
    for load in [1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0] {
        let queue = QueueModel::new(load, 300.0, None).unwrap();
        let t = targets();
        group.bench_with_input(BenchmarkId::from_parameter(load), &queue, |b, q| {
            b.iter(|| black_box(q).required(black_box(&t)).unwrap().agents)
        });
    }
    group.finish();
    let mut group = c.benchmark_group("required_agents_erlang_a");
    for load in [10.0, 100.0, 1_000.0] {
        let queue = QueueModel::new(load, 300.0, Some(180.0)).unwrap();
        let t = targets();
        group.bench_with_input(BenchmarkId::from_parameter(load), &queue, |b, q| {
            b.iter(|| black_box(q).required(black_box(&t)).unwrap().agents)
        });
    }
    group.finish();
}

/// A week of 10 queues in 96 quarter-hours: queue sizes from 2 to 200
/// Erlangs at their peak, a two-humped intraday profile (morning and
/// afternoon), quieter weekends, closed from 22:00 to 07:00.
fn week_intervals() -> Vec<(QueueModel, Targets)> {
    let peaks = [2.0, 5.0, 8.0, 12.0, 20.0, 35.0, 50.0, 80.0, 120.0, 200.0];
    let day_factor = [1.0, 0.95, 0.9, 0.9, 0.85, 0.5, 0.3];
    let mut intervals = Vec::with_capacity(peaks.len() * 7 * 96);
    for peak in peaks {
        for day in day_factor {
            for quarter in 0..96 {
                let hour = f64::from(quarter) / 4.0;
                let open = (7.0..22.0).contains(&hour);
                let shape = (-((hour - 10.5) / 2.0).powi(2)).exp()
                    + 0.8 * (-((hour - 15.0) / 2.5).powi(2)).exp();
                let load = if open {
                    peak * day * shape.max(0.05)
                } else {
                    0.0
                };
                let aht = 240.0 + 60.0 * (peak / 200.0);
                intervals.push((QueueModel::new(load, aht, None).unwrap(), targets()));
            }
        }
    }
    intervals
}

fn week_table(c: &mut Criterion) {
    let intervals = week_intervals();
    c.bench_function("week_table_10q_7d_96qh", |b| {
        b.iter(|| required_many(black_box(&intervals)).unwrap().len())
    });
    c.bench_function("week_table_10q_7d_96qh_one_thread", |b| {
        b.iter(|| {
            black_box(&intervals)
                .iter()
                .map(|(q, t)| q.required(t).unwrap().agents)
                .sum::<u32>()
        })
    });
}

criterion_group!(benches, required_agents, week_table);
criterion_main!(benches);
