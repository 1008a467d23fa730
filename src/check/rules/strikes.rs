//! Strikes: on a strike day, a skill group fields at most the share not
//! striking of its agents who could work.

use super::could_work;
use super::{Found, Rule, Week};

/// Flags every strike rule `w`'s roster breaks.
pub fn check(w: &Week, found: &mut Found) {
    let inst = w.inst;
    let rows = w.rows;
    let dates = &w.dates;
    let c = &inst.centre;
    // Strikes: at most the share not striking of those who could work.
    for s in &inst.strikes {
        for date in &s.dates {
            let Some(d) = dates.iter().position(|x| x == date) else {
                continue;
            };
            let members: Vec<usize> = (0..inst.agents.len())
                .filter(|&a| inst.agents[a].skill_group == s.skill_group)
                .collect();
            let can = members.iter().filter(|&&a| could_work(inst, a, d)).count() as f64;
            let allowed = can - (can * s.share - 1e-9).ceil().max(0.0);
            let working = rows
                .iter()
                .filter(|r| r.day == d && inst.agents[r.agent].skill_group == s.skill_group)
                .count() as f64;
            if working > allowed {
                found.flag(
                    &c.skill_groups[s.skill_group].id,
                    Some(d),
                    Rule::Strike,
                    format!(
                        "{working} agents work, at most {allowed} with {:.0}% on strike",
                        s.share * 100.0
                    ),
                );
            }
        }
    }
}
