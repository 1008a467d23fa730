//! Reads a solved MIP back into a plan: the shifts worked per group with
//! their break starts, the agents on each queue in each interval, the
//! contacts sent to outsourcers, the cost lines and the SL the plan
//! promises per SLA period.

use serde::Serialize;

use super::mip::{CostLine, Prices, Values};
use super::passes::{Period, Vars};
use super::Context;

/// Agents of a group working one shift option.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedShift {
    pub group: usize,
    pub option: usize,
    pub count: u32,
    /// Per break of the template: `(minutes after the start, agents)`.
    pub breaks: Vec<Vec<(u32, u32)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Costs {
    pub total: f64,
    pub in_house: f64,
    pub outsourced: f64,
    pub penalties: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub shifts: Vec<PlannedShift>,
    /// `in_house[q][i]`: agents (before shrinkage) on queue `q` in `i`.
    pub in_house: Vec<Vec<f64>>,
    /// `by_group[g]`: `(queue, interval, agents)` of group `g`.
    pub by_group: Vec<Vec<(usize, usize, f64)>>,
    /// `sent[o][q][i]`: contacts sent to outsourcer `o`.
    pub sent: Vec<Vec<Vec<f64>>>,
    pub costs: Costs,
    /// SL the plan promises per table-counted SLA period: `(queue,
    /// period, promised)`; per-interval SLAs promise their target.
    pub promised: Vec<(usize, Period, f64)>,
}

impl Solution {
    /// Contacts of `q` sent away in `i`, all outsourcers together.
    pub fn sent_total(&self, q: usize, i: usize) -> f64 {
        self.sent.iter().map(|o| o[q][i]).sum()
    }
}

pub fn extract(cx: &Context, prices: &Prices, v: &Vars, x: &Values) -> Solution {
    let c = &cx.inst.centre;
    let n = cx.intervals();
    let nq = c.queues.len();
    let mut shifts: Vec<PlannedShift> = v
        .shifts
        .iter()
        .map(|s| PlannedShift {
            group: s.group,
            option: s.option,
            count: x.count(s.col),
            breaks: cx.options[s.option]
                .breaks
                .iter()
                .map(|_| Vec::new())
                .collect(),
        })
        .collect();
    for b in &v.breaks {
        let k = x.count(b.col);
        if k > 0 {
            let offset = cx.options[v.shifts[b.shift].option].breaks[b.k][b.pos].offset_min;
            shifts[b.shift].breaks[b.k].push((offset, k));
        }
    }
    shifts.retain(|s| s.count > 0);
    let mut in_house = vec![vec![0.0; n]; nq];
    let mut by_group = vec![Vec::new(); cx.groups.len()];
    for (&(q, i, g), &col) in &v.alloc {
        let a = x.of(col).max(0.0);
        if a > 1e-9 {
            in_house[q][i] += a;
            by_group[g].push((q, i, a));
        }
    }
    let mut sent = vec![vec![vec![0.0; n]; nq]; c.outsourcers.len()];
    for (&(q, i, o), &col) in &v.sent {
        sent[o][q][i] = x.of(col).max(0.0);
    }
    let in_house_cost = prices.line_cost(x, CostLine::InHouse);
    let outsourced = prices.line_cost(x, CostLine::Outsourced);
    let penalties = prices.line_cost(x, CostLine::Penalties);
    let promised = v
        .short
        .iter()
        .map(|(q, p, col)| {
            // Never below 0: a solver's tolerance may miss a hair more than all.
            let promise = (c.queues[*q].sla.target - x.of(*col)).max(0.0);
            (*q, p.clone(), promise)
        })
        .collect();
    Solution {
        shifts,
        in_house,
        by_group,
        sent,
        costs: Costs {
            total: in_house_cost + outsourced + penalties,
            in_house: in_house_cost,
            outsourced,
            penalties,
        },
        promised,
    }
}
