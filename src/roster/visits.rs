//! Field visits as planned blocks: the plan gives its field queues agents
//! per interval (fluid, §6 of `docs/model.md`); the roster names the
//! engineers on shift; here each planned visit becomes a block of one
//! named engineer — leave, drive, work on site, drive back — placed inside
//! their shift where the plan has its field hours. The replay sends an
//! engineer out in their blocks first (and others as the plan's count
//! allows), and `check` holds the blocks to the shifts.

use crate::files::on_call::Stretch;
use crate::files::roster::Row;
use crate::files::visits::VisitRecord;
use crate::plan::Context;

/// One planned visit block: the engineer's shift (an index into the
/// roster's rows), the field queue, and when they leave and are back, in
/// seconds after the week's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub row: usize,
    pub queue: usize,
    pub leave_s: f64,
    pub back_s: f64,
}

/// The blocks that cover `field[q][i]` — the plan's agents on each field
/// queue `q` per interval `i` — with the shifts of `rows`, day by day,
/// greedily and deterministically: as many blocks as the day's planned
/// agent-intervals on the queue make whole visits (rounded), each where
/// it covers most of what is left uncovered (an interval counts up to one
/// agent), ties to the earliest start, then the first shift. The plan's
/// rows are fluid (deferred work may be done in any interval before its
/// deadline), so the day's hours are kept, their shape as far as the
/// shifts allow. A block is the queue's mean visit at its start (`aht`,
/// both drives included), in whole intervals, inside the shift (a break
/// falling in it is taken after the visit, as the replay does), never
/// overlapping another block of the same shift, and only on a shift that
/// serves the queue.
pub fn blocks(cx: &Context, rows: &[Row], field: &[Vec<f64>]) -> Vec<Block> {
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let step = cx.step_s();
    let step_min = i64::from(c.interval_min);
    let mut out: Vec<Block> = Vec::new();
    // Intervals each shift already spends on a block (of any field queue),
    // filled on a shift's first block.
    let mut taken: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
    for (q, queue) in c.queues.iter().enumerate() {
        if !queue.sla.field() || field.get(q).is_none_or(|x| x.iter().all(|&a| a <= 1e-9)) {
            continue;
        }
        let serves = |r: &Row| {
            if r.queues.is_empty() {
                c.skill_groups[cx.inst.agents[r.agent].skill_group]
                    .queues
                    .contains(&q)
            } else {
                r.queues.contains(&q)
            }
        };
        let shifts: Vec<usize> = (0..rows.len()).filter(|&r| serves(&rows[r])).collect();
        let mut left: Vec<f64> = field[q].iter().map(|&a| a.max(0.0)).collect();
        let days = cx.req.grid.last().map_or(0, |g| g.day + 1);
        for day in 0..days {
            // The day's planned agent-intervals on the queue, as blocks.
            let budget: f64 = (0..n)
                .filter(|&i| cx.req.grid[i].day == day)
                .map(|i| left[i])
                .sum();
            let mut placed = 0.0;
            loop {
                // (gain, start, shift position, length)
                let mut best: Option<(f64, usize, usize, usize)> = None;
                for (k, &r) in shifts.iter().enumerate() {
                    let row = &rows[r];
                    if row.start < 0 || row.end <= row.start {
                        continue;
                    }
                    let first = (row.start / step_min) as usize;
                    let last = ((row.end / step_min) as usize).min(n);
                    for b in (first..last).filter(|&b| cx.req.grid[b].day == day) {
                        let len = ((cx.req.need(q, b).aht_s / step).ceil() as usize).max(1);
                        if b + len > last || (b..b + len).any(|i| taken[r].get(i) == Some(&true)) {
                            continue;
                        }
                        let gain: f64 = (b..b + len).map(|i| left[i].min(1.0)).sum();
                        let better = match best {
                            None => true,
                            Some((g, s, kk, _)) => {
                                gain > g + 1e-9 || ((gain - g).abs() <= 1e-9 && (b, k) < (s, kk))
                            }
                        };
                        if better {
                            best = Some((gain, b, k, len));
                        }
                    }
                }
                let Some((_, b, k, len)) = best else { break };
                if budget - placed < 0.5 * len as f64 {
                    break;
                }
                placed += len as f64;
                let busy = &mut taken[shifts[k]];
                if busy.is_empty() {
                    *busy = vec![false; n];
                }
                for i in b..b + len {
                    left[i] = (left[i] - 1.0).max(0.0);
                    busy[i] = true;
                }
                out.push(Block {
                    row: shifts[k],
                    queue: q,
                    leave_s: b as f64 * step,
                    back_s: (b + len) as f64 * step,
                });
            }
        }
    }
    out.sort_by(|x, y| {
        (x.row, x.queue)
            .cmp(&(y.row, y.queue))
            .then(x.leave_s.total_cmp(&y.leave_s))
    });
    out
}

/// The plan's agents per interval on each field queue (empty for the
/// other queues): what [`blocks`] covers.
pub fn field_of(cx: &Context, sol: &crate::plan::Solution) -> Vec<Vec<f64>> {
    cx.inst
        .centre
        .queues
        .iter()
        .enumerate()
        .map(|(q, queue)| {
            if queue.sla.field() {
                sol.in_house[q].clone()
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// `plan.json`'s `visits`: per field queue with blocks or planned hours,
/// the blocks (`blocks`, on the shifts `rows`) against the plan's
/// agent-hours (`field`, as [`field_of`] gives them).
pub fn figures(
    cx: &Context,
    rows: &[Row],
    field: &[Vec<f64>],
    blocks: &[Block],
) -> Vec<crate::files::visits::VisitFigures> {
    let hours = |x: f64| (x / 3600.0 * 100.0).round() / 100.0;
    cx.inst
        .centre
        .queues
        .iter()
        .enumerate()
        .filter(|(q, queue)| queue.sla.field() && field.get(*q).is_some_and(|x| !x.is_empty()))
        .map(|(q, queue)| {
            let mine: Vec<&Block> = blocks.iter().filter(|b| b.queue == q).collect();
            let mut engineers: Vec<usize> = mine.iter().map(|b| rows[b.row].agent).collect();
            engineers.sort_unstable();
            engineers.dedup();
            crate::files::visits::VisitFigures {
                queue: queue.id.clone(),
                blocks: mine.len(),
                engineers: engineers.len(),
                hours: hours(mine.iter().map(|b| b.back_s - b.leave_s).sum()),
                planned_hours: hours(field[q].iter().sum::<f64>() * cx.step_s()),
            }
        })
        .collect()
}

/// `visits.csv`'s rows for `blocks` of the shifts `rows`: local times on
/// each engineer's clock.
pub fn records(cx: &Context, rows: &[Row], blocks: &[Block]) -> Vec<VisitRecord> {
    use crate::files::roster::LOCAL_FORMAT;
    let inst = cx.inst;
    blocks
        .iter()
        .map(|b| {
            let agent = &inst.agents[rows[b.row].agent];
            let zone = inst.centre.zone(agent.site);
            let min = |s: f64| (s / 60.0).round() as i64;
            let at = |s: f64| cx.clock.at(zone, min(s));
            let travel = inst.centre.queues[b.queue].sla.travel_s;
            let [start, end, utc_offset, end_utc_offset] =
                super::output::local_span(&cx.clock, zone, min(b.leave_s), min(b.back_s));
            VisitRecord {
                queue: inst.centre.queues[b.queue].id.clone(),
                agent: agent.id.clone(),
                name: agent.name.clone(),
                start,
                end,
                utc_offset,
                end_utc_offset,
                on_site: at(b.leave_s + travel).format(LOCAL_FORMAT).to_string(),
                on_site_until: at(b.back_s - travel).format(LOCAL_FORMAT).to_string(),
            }
        })
        .collect()
}

/// `visits.csv`.
pub fn visits_csv(cx: &Context, rows: &[Row], blocks: &[Block]) -> String {
    crate::files::csv_of(
        crate::files::visits::VISITS_HEADER,
        &records(cx, rows, blocks),
    )
}

/// The blocks of `visits.csv` (`stretches`, read by
/// [`crate::files::visits::read_visits`]) on the shifts `rows`: each in
/// the shift of its engineer that holds it whole; `Err` gives, per block
/// that lies in none, its line and why.
pub fn on_shifts(rows: &[Row], stretches: &[Stretch]) -> Result<Vec<Block>, Vec<(usize, String)>> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for s in stretches {
        match (crate::files::visits::shift_of(rows, s), s.rota) {
            (Some(row), Some(queue)) => out.push(Block {
                row,
                queue,
                leave_s: s.start as f64 * 60.0,
                back_s: s.end as f64 * 60.0,
            }),
            _ => bad.push((
                s.line,
                "the block lies in none of its engineer's shifts in roster.csv".to_string(),
            )),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}
