//! Pass 2 — breaks, implicitly (Aykin 1996): for each planned shift and
//! each break of its template, `y[group][option][break][+offset]` agents
//! start that break at that offset, and together they are all the shift's
//! agents (`brk` rows). No template is copied per break position; the
//! coverage pass subtracts the agents on break interval by interval.

use super::{BreakCol, Vars};
use crate::plan::mip::{sum, CostLine, Mip};
use crate::plan::Context;

pub fn add(cx: &Context, m: &mut Mip, v: &mut Vars) {
    let c = &cx.inst.centre;
    for (s, shift) in v.shifts.iter().enumerate() {
        let opt = &cx.options[shift.option];
        let t = &c.shift_templates[opt.template];
        let group = &cx.groups[shift.group];
        let label = opt.label(t);
        let upper = f64::from(group.available[opt.day]);
        for (k, positions) in opt.breaks.iter().enumerate() {
            let mut terms = Vec::with_capacity(positions.len() + 1);
            for (pos, p) in positions.iter().enumerate() {
                let col = m.col(
                    format!("y[{}][{label}][{k}][+{}]", group.id, p.offset_min),
                    0.0,
                    Some(upper),
                    true,
                    0.0,
                    CostLine::InHouse,
                );
                m.anchor(col);
                v.breaks.push(BreakCol {
                    shift: s,
                    k,
                    pos,
                    col,
                });
                terms.push((1.0, col));
            }
            terms.push((-1.0, shift.col));
            m.row(
                format!("brk[{}][{label}][{k}]", group.id),
                sum(terms).eq(0.0),
            );
        }
    }
}
