//! Call-outs replayed on the on-call rota (`on_call.csv`): per duty,
//! call-outs arrive as a Poisson process at the rota's rate over the duty,
//! each taking an exponential time of the rota's mean length; a period's
//! agents on call take them first come, first served, so a call-out that
//! finds every one of them busy waits. Counted per rota and replication:
//! the call-outs, the share answered within the rota's `response_within`
//! (the wait for a free agent; the agent on call answers at once when
//! free), the hours worked, and the call-outs after which the rest owed
//! before the agent's next shift (the roster taken to repeat weekly) is not
//! there — none when the rota was named by `slaplan plan`, whatever the
//! draws.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, Poisson};

use crate::files::on_call::Stretch;
use crate::files::roster::Row;
use crate::files::simulation::{Estimate, OnCallSummary};
use crate::model::Instance;

/// Streams of the call-out replay: apart from the calls' (`0..R`).
const STREAM: u64 = 1 << 40;

/// Minutes in a week of real time (the roster taken to repeat).
const WEEK_MIN: f64 = 7.0 * 24.0 * 60.0;

/// One replication's counts for one rota.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    call_outs: f64,
    in_time: f64,
    worked_min: f64,
    rest_broken: f64,
}

/// Replays the call-outs of `duties` over `replications` replications.
pub fn replay(
    inst: &Instance,
    rows: &[Row],
    duties: &[Stretch],
    replications: usize,
    seed: u64,
) -> Vec<OnCallSummary> {
    let c = &inst.centre;
    let per_rep: Vec<Vec<Counts>> = (0..replications as u64)
        .map(|rep| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(STREAM + rep);
            one(inst, rows, duties, &mut rng)
        })
        .collect();
    c.on_call
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let of = |f: &dyn Fn(&Counts) -> Option<f64>| {
                let xs: Vec<f64> = per_rep.iter().filter_map(|v| f(&v[k])).collect();
                Estimate::of(&xs)
            };
            OnCallSummary {
                rota: r.id.clone(),
                response_within_s: r.response_within_s,
                call_outs: of(&|x| Some(x.call_outs)),
                in_time_share: of(&|x| (x.call_outs > 0.0).then(|| x.in_time / x.call_outs)),
                worked_h: of(&|x| Some(x.worked_min / 60.0)),
                rest_broken: of(&|x| Some(x.rest_broken)),
            }
        })
        .collect()
}

/// One replication: per rota, its counts.
fn one(inst: &Instance, rows: &[Row], duties: &[Stretch], rng: &mut ChaCha8Rng) -> Vec<Counts> {
    let c = &inst.centre;
    let mut out = vec![Counts::default(); c.on_call.len()];
    // The duties of one period (same rota, start and end) share its
    // call-outs.
    let mut periods: Vec<(usize, i64, i64, Vec<usize>)> = Vec::new();
    for d in duties {
        let Some(k) = d.rota else { continue };
        match periods
            .iter_mut()
            .find(|p| (p.0, p.1, p.2) == (k, d.start, d.end))
        {
            Some(p) => p.3.push(d.agent),
            None => periods.push((k, d.start, d.end, vec![d.agent])),
        }
    }
    for (k, start, end, agents) in periods {
        let r = &c.on_call[k];
        let hours = (end - start) as f64 / 60.0;
        let mean = r.call_outs_per_day * hours / 24.0;
        let n = if mean > 0.0 {
            Poisson::new(mean).expect("positive mean").sample(rng) as usize
        } else {
            0
        };
        let mut arrivals: Vec<f64> = (0..n)
            .map(|_| start as f64 + rng.random::<f64>() * (end - start) as f64)
            .collect();
        arrivals.sort_by(f64::total_cmp);
        // When each agent on call is free again, in minutes.
        let mut free: Vec<(f64, usize)> = agents.iter().map(|&a| (f64::MIN, a)).collect();
        let counts = &mut out[k];
        for t in arrivals {
            free.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            let (at, agent) = free[0];
            let begin = at.max(t);
            let e: f64 = Exp1.sample(rng);
            let length = f64::from(r.call_out_min) * e;
            let done = begin + length;
            free[0].0 = done;
            counts.call_outs += 1.0;
            if (begin - t) * 60.0 <= r.response_within_s {
                counts.in_time += 1.0;
            }
            counts.worked_min += length;
            let owed = done + f64::from(r.rest_after_call_out_min);
            let next_too_soon = rows.iter().filter(|s| s.agent == agent).any(|s| {
                [-WEEK_MIN, 0.0, WEEK_MIN]
                    .iter()
                    .any(|k| s.end as f64 + k > t && (s.start as f64 + k) < owed)
            });
            if next_too_soon {
                counts.rest_broken += 1.0;
            }
        }
    }
    out
}
