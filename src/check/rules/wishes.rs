//! The instance's pins and the model's forbidden successions, from the
//! rows' templates and local start times; and the requests granted (a
//! count, not a rule: requests are weighed, not promised).

use super::super::centre::Row;
use super::{Found, Rule, Week};
use crate::files::roster::RequestCount;
use crate::model::Wish;

/// Flags every pin and succession rule `w`'s roster breaks.
pub fn check(w: &Week, found: &mut Found) -> RequestCount {
    let inst = w.inst;
    let rows = w.rows;
    let c = &inst.centre;
    // Pins, forbidden successions and requests, from the instance's own
    // lists and the rows' templates and local start times.
    let start_minute = |r: &Row| w.start_minute(r);
    let on_day = |a: usize, d: usize| rows.iter().find(|r| r.agent == a && r.day == d);
    let name = |t: usize| c.shift_templates[t].id.as_str();
    let wish_met = |a: usize, d: usize, wish: Wish| match (wish, on_day(a, d)) {
        (Wish::Off, worked) => worked.is_none(),
        (Wish::Work { .. }, None) => false,
        (
            Wish::Work {
                template,
                start_min,
            },
            Some(r),
        ) => r.template == template && start_min.is_none_or(|m| i64::from(m) == start_minute(r)),
    };
    for pin in &inst.pins {
        if !wish_met(pin.agent, pin.day, pin.wish) {
            let wanted = match pin.wish {
                Wish::Off => "off".to_string(),
                Wish::Work {
                    template,
                    start_min,
                } => {
                    let m = start_min.unwrap_or(0);
                    format!("on {} at {:02}:{:02}", name(template), m / 60, m % 60)
                }
            };
            let has = on_day(pin.agent, pin.day).map_or("nothing".to_string(), |r| {
                let m = start_minute(r);
                format!("{} at {:02}:{:02}", name(r.template), m / 60, m % 60)
            });
            found.flag(
                &inst.agents[pin.agent].id,
                Some(pin.day),
                Rule::Pin,
                format!("pinned {wanted}, the roster has {has}"),
            );
        }
    }
    for w in rows.windows(2) {
        if w[0].agent == w[1].agent
            && w[1].day == w[0].day + 1
            && c.forbidden_successions
                .contains(&(w[0].template, w[1].template))
        {
            found.flag(
                &inst.agents[w[1].agent].id,
                Some(w[1].day),
                Rule::ForbiddenSuccession,
                format!(
                    "{} the day after {}",
                    name(w[1].template),
                    name(w[0].template)
                ),
            );
        }
    }
    let mut requests = RequestCount::default();
    for r in &inst.requests {
        if wish_met(r.agent, r.day, r.wish) {
            requests.granted += 1;
        } else {
            requests.not_granted += 1;
            requests.weight_not_granted += r.weight;
        }
    }
    requests
}
