//! `routing.csv`: the ACD routing the plan's verification chose — per
//! skill group with several queues, its queues in priority order and the
//! seconds a call waits before the group's agents take it from a queue
//! that is not their first. `slaplan simulate` replays with it when it
//! lies beside the roster; set the ACD to it.

use std::path::Path;

use super::verification::Routing;
use crate::input::{Code, Problem};
use crate::model::Instance;

/// The header of `routing.csv` (documented in `docs/formats.md`).
pub const ROUTING_HEADER: &str = "skill_group,queues,secondary_delay_s";

/// The delay of a group that takes voice calls from its first queue only.
pub const NEVER: &str = "never";

/// `routing.csv` of `rows`.
pub fn routing_csv(rows: &[Routing]) -> String {
    let mut out = format!("{ROUTING_HEADER}\n");
    for r in rows {
        let delay = r
            .secondary_delay_s
            .map_or_else(|| NEVER.to_string(), |d| d.to_string());
        out.push_str(&format!(
            "{},{},{delay}\n",
            r.skill_group,
            r.queues.join(";"),
        ));
    }
    out
}

/// Reads `routing.csv`: per skill group named, its secondary delay in
/// seconds (infinite for `never`); the queues must be the group's, in the
/// instance's order.
pub fn read_routing(inst: &Instance, path: &Path) -> Result<Vec<(usize, f64)>, Vec<Problem>> {
    let c = &inst.centre;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in super::read_csv(path, ROUTING_HEADER, "see docs/formats.md")? {
        let bad = |message: String, hint: &str| {
            Problem::at(Code::CsvBadValue, path, Some(line), message, hint)
        };
        let Some(g) = c.skill_groups.iter().position(|g| g.id == r[0]) else {
            problems.push(bad(
                format!("no skill group '{}'", &r[0]),
                "use the skill groups' ids of the instance",
            ));
            continue;
        };
        let order: Vec<&str> = c.skill_groups[g]
            .queues
            .iter()
            .map(|&q| c.queues[q].id.as_str())
            .collect();
        if r[1].split(';').collect::<Vec<_>>() != order {
            problems.push(bad(
                format!(
                    "'{}' is not {}'s queues in its order ({})",
                    &r[1],
                    &r[0],
                    order.join(";")
                ),
                "the routing keeps each group's priority list; write it as the model has it",
            ));
            continue;
        }
        if &r[2] == NEVER {
            out.push((g, f64::INFINITY));
            continue;
        }
        match r[2].parse::<f64>() {
            Ok(d) if d.is_finite() && (0.0..=86_400.0).contains(&d) => out.push((g, d)),
            _ => problems.push(bad(
                format!("'{}' is not a delay in seconds", &r[2]),
                "write seconds from 0 to 86400 (a day), or never",
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
