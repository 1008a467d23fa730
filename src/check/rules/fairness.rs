//! Fairness and same start, counted from the rows: measures the roster
//! reports, not rules it can break.

use std::collections::BTreeMap;

use super::super::centre::Row;
use super::Week;
use crate::files::roster::FairnessCount;

/// Per planning group of two agents or more, the fewest and most weekend
/// days and late shifts; and the start times beyond each same-start
/// agent's first.
pub fn measure(w: &Week) -> (Vec<FairnessCount>, usize) {
    let inst = w.inst;
    let rows = w.rows;
    let c = &inst.centre;
    // Fairness and same start, counted from the rows.
    let mut groups: BTreeMap<(usize, usize, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, a) in inst.agents.iter().enumerate() {
        groups
            .entry((a.skill_group, a.contract, a.site))
            .or_default()
            .push(i);
    }
    let mut fairness = Vec::new();
    for ((sg, k, site), members) in &groups {
        if members.len() < 2 {
            continue;
        }
        let count = |a: usize, f: &dyn Fn(&Row) -> bool| {
            rows.iter().filter(|r| r.agent == a && f(r)).count()
        };
        let span = |f: &dyn Fn(&Row) -> bool| {
            let v: Vec<usize> = members.iter().map(|&a| count(a, f)).collect();
            (
                v.iter().copied().min().unwrap_or(0),
                v.iter().copied().max().unwrap_or(0),
            )
        };
        fairness.push(FairnessCount {
            group: format!(
                "{}/{}{}",
                c.skill_groups[*sg].id,
                c.contracts[*k].id,
                site.map(|s| format!("/{}", c.sites[s].id))
                    .unwrap_or_default()
            ),
            agents: members.len(),
            weekend_days: span(&|r: &Row| r.day >= 5),
            late_shifts: span(&|r: &Row| c.shift_templates[r.template].late),
        });
    }
    let mut start_changes = 0;
    for (i, a) in inst.agents.iter().enumerate() {
        if c.contracts[a.contract].same_start_weight.is_some() {
            let mut starts: Vec<i64> = rows
                .iter()
                .filter(|r| r.agent == i)
                .map(|r| w.start_minute(r))
                .collect();
            starts.sort_unstable();
            starts.dedup();
            start_changes += starts.len().saturating_sub(1);
        }
    }
    (fairness, start_changes)
}
