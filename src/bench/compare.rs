//! A bench run held against a baseline: per case, what regressed — the
//! status, the objective beyond its tolerance, the gap over the case's
//! limit, a work counter up, the time ratio (against the calibration
//! workload of each run, so a slower or busier machine does not count), a
//! quality figure down — as rows and as a Markdown
//! table fit for a CI job summary.

use serde::Serialize;

use super::{num, status_rank, CaseResult, Results, Tolerances};

/// A case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    /// Better than the baseline somewhere, worse nowhere.
    Improved,
    Regression,
    /// Not in the baseline.
    New,
    /// In the baseline, not run (its data absent): said loudly, not failed.
    Skipped,
    /// In the baseline, absent from this (unsharded) run.
    Missing,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Improved => "improved",
            Verdict::Regression => "REGRESSION",
            Verdict::New => "new",
            Verdict::Skipped => "SKIPPED",
            Verdict::Missing => "MISSING",
        }
    }
}

/// One case against its baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub verdict: Verdict,
    pub status: String,
    pub base_status: Option<String>,
    pub objective: Option<f64>,
    pub base_objective: Option<f64>,
    pub gap: Option<f64>,
    pub nodes: i64,
    pub base_nodes: Option<i64>,
    pub time_ratio: f64,
    pub base_time_ratio: Option<f64>,
    /// What regressed (or improved), in words.
    pub reasons: Vec<String>,
}

/// A run against a baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub rows: Vec<Row>,
    /// The baseline was written by another build: times not compared.
    pub other_build: Option<String>,
}

impl Comparison {
    /// Cases that regressed (a missing one counts).
    pub fn regressions(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Regression | Verdict::Missing))
            .count()
    }

    /// The table in Markdown, one row per case, with what regressed.
    pub fn markdown(&self) -> String {
        let mut s = String::from(
            "| case | verdict | status | objective | vs baseline | gap | nodes | vs baseline | time ratio | vs baseline | why |\n\
             |---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
        );
        let change = |now: f64, before: Option<f64>| match before {
            Some(b) if b.abs() > 1e-12 => format!("{:+.2}%", 100.0 * (now - b) / b.abs()),
            Some(_) if now.abs() <= 1e-12 => "+0.00%".into(),
            Some(_) => "new".into(),
            None => "–".into(),
        };
        for r in &self.rows {
            let nodes = r.nodes as f64;
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} | {} |\n",
                r.id,
                r.verdict.as_str(),
                r.status,
                num(r.objective),
                r.objective
                    .map_or("–".into(), |o| change(o, r.base_objective)),
                r.gap.map_or("–".into(), |g| format!("{:.3}%", 100.0 * g)),
                r.nodes,
                change(nodes, r.base_nodes.map(|n| n as f64)),
                r.time_ratio,
                change(r.time_ratio, r.base_time_ratio),
                r.reasons.join("; ").replace('|', "/"),
            ));
        }
        if let Some(note) = &self.other_build {
            s.push_str(&format!("\nNote: {note}.\n"));
        }
        let n = self.regressions();
        s.push_str(&if n == 0 {
            format!("\nNo regression in {} cases.\n", self.rows.len())
        } else {
            format!("\n**{n} of {} cases regressed.**\n", self.rows.len())
        });
        s
    }
}

/// `current` against `baseline`, case by case (matched by id), with the
/// baseline's tolerances unless `tol` is given. Times are compared only
/// between runs of the same build (`debug` or `release`).
pub fn compare(current: &Results, baseline: &Results, tol: Option<&Tolerances>) -> Comparison {
    let tol = tol.unwrap_or(&baseline.tolerances);
    let same_build = current.build == baseline.build;
    let mut rows: Vec<Row> = current
        .cases
        .iter()
        .map(|c| {
            let base = baseline.cases.iter().find(|b| b.id == c.id);
            row(c, base, tol, same_build)
        })
        .collect();
    if current.shard.is_none() {
        for b in &baseline.cases {
            if !current.cases.iter().any(|c| c.id == b.id) {
                rows.push(not_run(
                    b,
                    Verdict::Missing,
                    "–",
                    "in the baseline, not in the suite run",
                ));
            }
        }
    }
    Comparison {
        rows,
        other_build: (!same_build).then(|| {
            format!(
                "the baseline is of a {} build, this run of a {} one: times not compared",
                baseline.build, current.build
            )
        }),
    }
}

/// The row of baseline case `b` that did not run this time.
fn not_run(b: &CaseResult, verdict: Verdict, status: &str, why: &str) -> Row {
    Row {
        id: b.id.clone(),
        verdict,
        status: status.into(),
        base_status: Some(b.status.clone()),
        objective: None,
        base_objective: b.objective,
        gap: None,
        nodes: 0,
        base_nodes: Some(b.work.nodes()),
        time_ratio: 0.0,
        base_time_ratio: Some(b.measured.time_ratio),
        reasons: vec![why.into()],
    }
}

fn row(c: &CaseResult, base: Option<&CaseResult>, tol: &Tolerances, same_build: bool) -> Row {
    let mut worse: Vec<String> = Vec::new();
    let mut better: Vec<String> = Vec::new();
    if let Some(g) = c.gap.zip(c.max_gap).filter(|(g, m)| g > m) {
        worse.push(format!(
            "gap {:.3}% over its limit {:.3}%",
            100.0 * g.0,
            100.0 * g.1
        ));
    }
    if let Some((o, best)) = c.objective.zip(c.optimum) {
        let off = (o - best) / best.abs().max(1.0);
        if off.abs() > tol.objective {
            let side = if off > 0.0 {
                "above"
            } else {
                "below (a plan that breaks the problem's constraints?)"
            };
            worse.push(format!(
                "objective {} {:.4}% {side} the published optimum {}",
                num(Some(o)),
                100.0 * off.abs(),
                num(Some(best))
            ));
        }
    }
    let verdict_base = |worse: &Vec<String>, better: &Vec<String>| {
        if !worse.is_empty() {
            Verdict::Regression
        } else if !better.is_empty() {
            Verdict::Improved
        } else {
            Verdict::Ok
        }
    };
    let Some(b) = base else {
        let verdict = if c.status == "skipped" {
            Verdict::Skipped
        } else if worse.is_empty() {
            Verdict::New
        } else {
            Verdict::Regression
        };
        return Row {
            id: c.id.clone(),
            verdict,
            status: c.status.clone(),
            base_status: None,
            objective: c.objective,
            base_objective: None,
            gap: c.gap,
            nodes: c.work.nodes(),
            base_nodes: None,
            time_ratio: c.measured.time_ratio,
            base_time_ratio: None,
            reasons: worse,
        };
    };
    if c.status == "skipped" {
        return not_run(b, Verdict::Skipped, &c.status, &c.note);
    }
    let (rank, base_rank) = (status_rank(&c.status), status_rank(&b.status));
    if rank < base_rank {
        worse.push(format!("status {}, was {}", c.status, b.status));
    } else if rank > base_rank {
        better.push(format!("status {}, was {}", c.status, b.status));
    }
    match (c.objective, b.objective) {
        (Some(o), Some(p)) => {
            let slack = tol.objective * p.abs() + 1e-6;
            if o > p + slack {
                worse.push(format!(
                    "objective {o:.2}, was {p:.2} ({:+.3}%)",
                    100.0 * (o - p) / p.abs().max(1e-9)
                ));
            } else if o < p - slack {
                better.push(format!("objective {o:.2}, was {p:.2}"));
            }
        }
        (None, Some(p)) => worse.push(format!("no objective, was {p:.2}")),
        _ => {}
    }
    for ((name, now), (_, before)) in c.work.named().into_iter().zip(b.work.named()) {
        let slack = tol.work * before as f64 + 10.0;
        if now as f64 > before as f64 + slack {
            worse.push(format!("{name} {now}, was {before}"));
        }
    }
    if same_build
        && c.measured.wall_s >= tol.min_time_s
        && b.measured.wall_s >= tol.min_time_s
        && c.measured.time_ratio > b.measured.time_ratio * (1.0 + tol.time)
    {
        worse.push(format!(
            "time ratio {:.2}, was {:.2} ({:.2} s, was {:.2} s)",
            c.measured.time_ratio, b.measured.time_ratio, c.measured.wall_s, b.measured.wall_s
        ));
    }
    let q = (&c.quality, &b.quality);
    if let (Some(h), Some(p)) = (q.0.contracts_held, q.1.contracts_held) {
        if h < p {
            worse.push(format!("{h} contracts hold in the replay, was {p}"));
        } else if h > p {
            better.push(format!("{h} contracts hold in the replay, was {p}"));
        }
    }
    if let (Some(v), Some(p)) = (q.0.violations, q.1.violations) {
        if v > p {
            worse.push(format!("{v} rules broken, was {p}"));
        } else if v < p {
            better.push(format!("{v} rules broken, was {p}"));
        }
    }
    let verdict = verdict_base(&worse, &better);
    let mut reasons = worse;
    if verdict == Verdict::Improved {
        reasons = better;
    }
    Row {
        id: c.id.clone(),
        verdict,
        status: c.status.clone(),
        base_status: Some(b.status.clone()),
        objective: c.objective,
        base_objective: b.objective,
        gap: c.gap,
        nodes: c.work.nodes(),
        base_nodes: Some(b.work.nodes()),
        time_ratio: c.measured.time_ratio,
        base_time_ratio: Some(b.measured.time_ratio),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Counters, Measured, Quality};
    use super::*;

    fn case(id: &str, objective: f64, nodes: i64, wall_s: f64) -> CaseResult {
        CaseResult {
            id: id.into(),
            index: 0,
            kind: "plan".into(),
            status: "optimal".into(),
            note: String::new(),
            objective: Some(objective),
            bound: Some(objective * 0.99),
            gap: Some(0.01),
            max_gap: Some(0.02),
            optimum: None,
            work: Counters {
                nodes,
                ..Counters::default()
            },
            quality: Quality::default(),
            work_limit: Some(100),
            measured: Measured {
                wall_s,
                time_ratio: wall_s / 0.5,
                peak_rss_mb: Some(100.0),
            },
        }
    }

    fn results(cases: Vec<CaseResult>) -> Results {
        Results {
            suite: "t".into(),
            version: "0".into(),
            build: "debug".into(),
            commit: None,
            shard: None,
            calibration_s: 0.5,
            tolerances: Tolerances::default(),
            cases,
        }
    }

    /// Each kind of regression is named, and the same figures pass.
    #[test]
    fn every_kind_of_regression_is_caught_and_equal_figures_pass() {
        let base = results(vec![case("a", 1000.0, 100, 4.0)]);
        assert_eq!(compare(&base, &base, None).regressions(), 0);
        let check = |c: CaseResult, what: &str| {
            let cmp = compare(&results(vec![c]), &base, None);
            assert_eq!(cmp.regressions(), 1, "{what}");
            assert!(
                cmp.rows[0].reasons.iter().any(|r| r.contains(what)),
                "{what}: {:?}",
                cmp.rows[0].reasons
            );
            assert!(cmp.markdown().contains("REGRESSION"));
        };
        check(case("a", 1000.2, 100, 4.0), "objective");
        check(case("a", 1000.0, 140, 4.0), "nodes");
        check(case("a", 1000.0, 100, 8.5), "time ratio");
        let mut c = case("a", 1000.0, 100, 4.0);
        c.status = "feasible".into();
        check(c, "status");
        let mut c = case("a", 1000.0, 100, 4.0);
        c.gap = Some(0.03);
        check(c, "gap");
        // Within the tolerances: a cheaper plan, a few more nodes, a
        // slower machine whose calibration slowed alike.
        let cmp = compare(&results(vec![case("a", 990.0, 110, 4.0)]), &base, None);
        assert_eq!(cmp.regressions(), 0);
        assert_eq!(cmp.rows[0].verdict, Verdict::Improved);
        let mut slow = case("a", 1000.0, 100, 12.0);
        slow.measured.time_ratio = 8.0;
        assert_eq!(compare(&results(vec![slow]), &base, None).regressions(), 0);
        // Another build's baseline: times not compared, and said.
        let mut release = base.clone();
        release.build = "release".into();
        let cmp = compare(&results(vec![case("a", 1000.0, 100, 8.5)]), &release, None);
        assert_eq!(cmp.regressions(), 0);
        assert!(cmp.markdown().contains("times not compared"));
        // A case gone from an unsharded run is a regression.
        assert_eq!(compare(&results(vec![]), &base, None).regressions(), 1);
    }

    /// A case with a published optimum regresses off it, above or below,
    /// with or without a baseline.
    #[test]
    fn a_published_optimum_is_held_both_ways() {
        let at = |objective: f64| {
            let mut c = case("ua", objective, 1, 0.1);
            c.optimum = Some(30_610.0);
            c
        };
        let base = results(vec![at(30_610.0)]);
        assert_eq!(compare(&base, &base, None).regressions(), 0);
        for (objective, side) in [(30_700.0, "above"), (30_500.0, "below")] {
            for baseline in [&base, &results(vec![])] {
                let cmp = compare(&results(vec![at(objective)]), baseline, None);
                assert_eq!(cmp.regressions(), 1, "{objective}");
                assert!(
                    cmp.rows[0].reasons.iter().any(|r| r.contains(side)),
                    "{:?}",
                    cmp.rows[0].reasons
                );
            }
        }
    }
}
