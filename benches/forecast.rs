//! Forecasting a year of 15-minute history for 10 queues: aggregation,
//! the backtest of every method over 6 weeks, auto's own nested backtest,
//! the selection and the week's rows — `forecast_instance` end to end.
//! Figure in docs/performance.md (target: under 1 s).

use std::fs;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use slaplan::forecast::forecast_instance;
use slaplan::generate;
use slaplan::input::load_instance;

fn year_of_ten_queues() -> (tempfile::TempDir, slaplan::model::Instance) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut model = String::from(
        "name: Bench\ntime_zone: Europe/Paris\ninterval: 15m\nopening_hours: { all: 07:00-22:00 }\nqueues:\n",
    );
    let mut volumes = String::new();
    for q in 0..10 {
        model.push_str(&format!(
            "  - {{ id: q{q}, channel: voice, aht: 5m, sla: {{ target: 80%, answer_within: 20s }} }}\n"
        ));
        volumes.push_str(&format!("  q{q}: {}\n", 2_000 * (q + 1)));
    }
    model.push_str(
        "skill_groups:\n  - { id: all, queues: [q0, q1, q2, q3, q4, q5, q6, q7, q8, q9] }\n\
         contracts:\n  - { id: ft, weekly_hours: { min: 35h, max: 35h }, max_days: 5, max_hours_per_day: 9h, hourly_cost: 20 }\n\
         shift_templates:\n  - { id: s, starts: 07:00-14:00, step: 15m, length: 8h }\n",
    );
    fs::write(p.join("model.yaml"), model).unwrap();
    fs::write(
        p.join("history.yaml"),
        format!(
            "model: model.yaml\nfirst_week: 2003-01-06\nweeks: 52\nseed: 52\nweekly_contacts:\n{volumes}\
             day_shares: [0.18, 0.17, 0.16, 0.16, 0.15, 0.1, 0.08]\nweekly_trend: 0.002\n"
        ),
    )
    .unwrap();
    fs::write(
        p.join("history.csv"),
        generate::history_csv(&p.join("history.yaml")).unwrap(),
    )
    .unwrap();
    fs::write(p.join("agents.csv"), "id,skill_group,contract\nA1,all,ft\n").unwrap();
    fs::write(
        p.join("week.yaml"),
        "model: model.yaml\nweek_start: 2004-01-05\ndemand: { history: history.csv }\nagents: agents.csv\n",
    )
    .unwrap();
    let inst = load_instance(&p.join("week.yaml")).unwrap();
    (dir, inst)
}

fn forecast_year(c: &mut Criterion) {
    let (_dir, inst) = year_of_ten_queues();
    let mut group = c.benchmark_group("forecast");
    group.sample_size(10);
    group.bench_function("year_15min_10_queues_auto", |b| {
        b.iter(|| {
            forecast_instance(black_box(&inst), None, 6)
                .unwrap()
                .rows
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, forecast_year);
criterion_main!(benches);
