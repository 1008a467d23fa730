//! The field-visit blocks (`visits.csv`), counted from the files: each
//! block lies whole in a shift of its engineer that serves the block's
//! field queue, is long enough for the drive there and back, and overlaps
//! no other block of the same engineer.

use super::{Found, Rule, Week};
use crate::files::on_call::Stretch;

/// Checks `blocks` (read by [`crate::files::visits::read_visits`]; the
/// queue in `rota`) against the roster of `w`.
pub fn check(w: &Week, blocks: &[Stretch], found: &mut Found) {
    let inst = w.inst;
    let c = &inst.centre;
    let at = |a: usize, abs: i64| {
        w.local_in(c.zone(inst.agents[a].site), abs)
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    };
    for b in blocks {
        let agent = &inst.agents[b.agent];
        let Some(q) = b.rota else { continue };
        let queue = &c.queues[q];
        let span = format!("{} to {}", at(b.agent, b.start), at(b.agent, b.end));
        match crate::files::visits::shift_of(w.rows, b).map(|r| &w.rows[r]) {
            None => found.flag(
                &agent.id,
                None,
                Rule::VisitBlock,
                format!(
                    "line {}: a block of '{}' {span} outside the engineer's shifts",
                    b.line, queue.id
                ),
            ),
            Some(r) => {
                let serves = if r.queues.is_empty() {
                    c.skill_groups[agent.skill_group].queues.contains(&q)
                } else {
                    r.queues.contains(&q)
                };
                if !serves {
                    found.flag(
                        &agent.id,
                        Some(r.day),
                        Rule::VisitBlock,
                        format!(
                            "line {}: a block of '{}' {span} in a shift that does not serve it",
                            b.line, queue.id
                        ),
                    );
                }
            }
        }
        let travel_min = (queue.sla.travel_s / 60.0).round() as i64;
        if b.end - b.start <= 2 * travel_min {
            found.flag(
                &agent.id,
                None,
                Rule::VisitBlock,
                format!(
                    "line {}: a block of '{}' {span}, {} min, no longer than the drive there and back ({} min)",
                    b.line,
                    queue.id,
                    b.end - b.start,
                    2 * travel_min
                ),
            );
        }
        if let Some(o) = blocks
            .iter()
            .find(|o| o.line < b.line && o.agent == b.agent && o.start < b.end && b.start < o.end)
        {
            found.flag(
                &agent.id,
                None,
                Rule::VisitBlock,
                format!(
                    "line {}: a block {span} overlapping the block of line {}",
                    b.line, o.line
                ),
            );
        }
    }
}
