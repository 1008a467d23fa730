//! Each shift against its template, the agent's contract and site, their
//! unavailability, the template's breaks and the agent's skills.

use chrono::Datelike;

use super::eligible;
use super::{Found, Rule, Week};

/// Flags every shift rule `w`'s roster breaks.
pub fn check(w: &Week, found: &mut Found) {
    let inst = w.inst;
    let rows = w.rows;
    let dates = &w.dates;
    let c = &inst.centre;
    let local = |m: i64| w.local(m);
    // Row by row: the shift against its template, the agent and the week.
    for r in rows {
        let a = &inst.agents[r.agent];
        let t = &c.shift_templates[r.template];
        let who = a.id.as_str();
        let d = Some(r.day);
        let start = local(r.start);
        let minute = (start - dates[r.day].and_hms_opt(0, 0, 0).expect("midnight")).num_minutes();
        if !t.days[r.day] {
            found.flag(
                who,
                d,
                Rule::TemplateDay,
                format!("{} does not run on {}", t.id, dates[r.day].weekday()),
            );
        }
        if !t.starts().any(|s| i64::from(s) == minute) {
            found.flag(
                who,
                d,
                Rule::TemplateStart,
                format!("{} cannot start at {}", t.id, start.format("%H:%M")),
            );
        }
        if r.end - r.start != i64::from(t.length_min) {
            found.flag(
                who,
                d,
                Rule::ShiftLength,
                format!(
                    "{} lasts {} min, not {}",
                    t.id,
                    r.end - r.start,
                    t.length_min
                ),
            );
        }
        if !eligible(inst, t, a.contract, a.site) {
            found.flag(
                who,
                d,
                Rule::Contract,
                format!(
                    "{} is not a shift of contract {}{}",
                    t.id,
                    c.contracts[a.contract].id,
                    a.site
                        .map(|s| format!(" at {}", c.sites[s].id))
                        .unwrap_or_default()
                ),
            );
        }
        let (from, to) = (local(r.start), local(r.end));
        for (x, y) in &a.unavailable {
            if *x < to && from < *y {
                found.flag(
                    who,
                    d,
                    Rule::Availability,
                    format!(
                        "works {}–{} but is unavailable {}–{}",
                        from.format("%a %H:%M"),
                        to.format("%a %H:%M"),
                        x.format("%a %H:%M"),
                        y.format("%a %H:%M")
                    ),
                );
            }
        }
        if r.breaks.len() != t.breaks.len() {
            found.flag(
                who,
                d,
                Rule::Breaks,
                format!(
                    "{} breaks, the template has {}",
                    r.breaks.len(),
                    t.breaks.len()
                ),
            );
        } else {
            let mut placed: Vec<(i64, i64)> = r.breaks.clone();
            placed.sort_unstable();
            for (k, ((bs, be), b)) in r.breaks.iter().zip(&t.breaks).enumerate() {
                let off = bs - r.start;
                if off < i64::from(b.earliest_start_min)
                    || off > i64::from(b.latest_start_min)
                    || be - bs != i64::from(b.length_min)
                {
                    found.flag(who, d, Rule::Breaks, format!("break {} at +{off} min for {} min: the window is +{}..+{} min for {} min", k + 1, be - bs, b.earliest_start_min, b.latest_start_min, b.length_min));
                }
            }
            if placed.windows(2).any(|w| w[1].0 < w[0].1) {
                found.flag(who, d, Rule::Breaks, "breaks overlap".into());
            }
        }
        let skills = &c.skill_groups[a.skill_group].queues;
        for q in r.queues.iter().filter(|q| !skills.contains(q)) {
            found.flag(
                who,
                d,
                Rule::Skills,
                format!(
                    "serves {} outside skill group {}",
                    c.queues[*q].id, c.skill_groups[a.skill_group].id
                ),
            );
        }
    }
}
