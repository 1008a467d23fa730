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
    // Row by row: the shift against its template, the agent and the week.
    for r in rows {
        let a = &inst.agents[r.agent];
        let t = &c.shift_templates[r.template];
        let who = a.id.as_str();
        let d = Some(r.day);
        // On the template's clock (its site's zone).
        let start = w.local_in(c.template_zone(t), r.start);
        let minute = w.start_minute(r);
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
        // Absences are written on the agent's clock.
        let own = c.zone(a.site);
        let (from, to) = (w.local_in(own, r.start), w.local_in(own, r.end));
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
            let fits = |&(bs, be): &(i64, i64), b: &crate::model::Break| {
                let off = bs - r.start;
                off >= i64::from(b.earliest_start_min)
                    && off <= i64::from(b.latest_start_min)
                    && be - bs == i64::from(b.length_min)
            };
            // The row's breaks in the order they start; each must be one
            // of the template's, each of those taken once.
            if !matches_breaks(&placed, &t.breaks, &mut vec![false; t.breaks.len()], &fits) {
                for (k, ((bs, be), b)) in placed.iter().zip(&t.breaks).enumerate() {
                    if !fits(&(*bs, *be), b) {
                        let off = bs - r.start;
                        found.flag(who, d, Rule::Breaks, format!("break {} at +{off} min for {} min: the window is +{}..+{} min for {} min", k + 1, be - bs, b.earliest_start_min, b.latest_start_min, b.length_min));
                        break;
                    }
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

/// Whether `placed` (the first still to match) can each take a distinct
/// template break of `rules` not yet `taken` that it `fits`: the breaks
/// of a template may be taken in another order where their windows
/// overlap (a template has a handful, so the search is small).
fn matches_breaks<R>(
    placed: &[(i64, i64)],
    rules: &[R],
    taken: &mut Vec<bool>,
    fits: &dyn Fn(&(i64, i64), &R) -> bool,
) -> bool {
    let Some((first, rest)) = placed.split_first() else {
        return true;
    };
    for k in 0..rules.len() {
        if !taken[k] && fits(first, &rules[k]) {
            taken[k] = true;
            if matches_breaks(rest, rules, taken, fits) {
                return true;
            }
            taken[k] = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    /// Two 15-minute breaks whose windows overlap, taken in the other
    /// order than the template lists them: a roster keeps the rule; one
    /// outside both windows does not.
    #[test]
    fn breaks_match_the_template_s_in_any_order() {
        let windows = [(120, 240), (60, 180)];
        let fits =
            |&(bs, be): &(i64, i64), &(lo, hi): &(i64, i64)| bs >= lo && bs <= hi && be - bs == 15;
        let mut taken = vec![false; 2];
        assert!(super::matches_breaks(
            &[(70, 85), (200, 215)],
            &windows,
            &mut taken,
            &fits
        ));
        let mut taken = vec![false; 2];
        assert!(!super::matches_breaks(
            &[(70, 85), (100, 115)],
            &windows,
            &mut taken,
            &fits
        ));
        let mut taken = vec![false; 2];
        assert!(!super::matches_breaks(
            &[(250, 265), (130, 145)],
            &windows,
            &mut taken,
            &fits
        ));
    }
}
