//! `visits.csv`: the week's field-visit blocks, one row per block of a
//! named engineer (documented in `docs/formats.md`); written by `plan`,
//! read by `simulate` and `check`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::on_call::{read_stretches, Stretch};
use crate::input::Problem;
use crate::model::Instance;

/// The header of `visits.csv`.
pub const VISITS_HEADER: &str =
    "queue,agent,name,start,end,utc_offset,end_utc_offset,on_site,on_site_until";

/// One block as `visits.csv` writes it: the engineer leaves at `start`
/// and is back at `end` (local times on the engineer's clock with their
/// offsets, as `roster.csv` writes shifts); on site between `on_site` and
/// `on_site_until` (the same day, the same clock) for a visit of mean
/// length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub queue: String,
    pub agent: String,
    pub name: String,
    pub start: String,
    pub end: String,
    pub utc_offset: String,
    pub end_utc_offset: String,
    pub on_site: String,
    pub on_site_until: String,
}

/// `plan.json`'s `visits`: per field queue, its blocks against the
/// plan's hours on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitFigures {
    pub queue: String,
    pub blocks: usize,
    /// Engineers with at least one block.
    pub engineers: usize,
    /// The blocks' hours, leaving to back.
    pub hours: f64,
    /// The plan's agent-hours on the queue (its allocation, fluid).
    pub planned_hours: f64,
}

/// The roster row (of `rows`) of the shift that holds block `b` whole:
/// its engineer's, from before the block leaves until after it is back.
pub fn shift_of(rows: &[super::roster::Row], b: &Stretch) -> Option<usize> {
    rows.iter()
        .position(|r| r.agent == b.agent && r.start <= b.start && b.end <= r.end)
}

/// Reads `visits.csv`: each block's field queue (in `rota`), engineer and
/// instants in real minutes after the week's start.
pub fn read_visits(inst: &Instance, path: &Path) -> Result<Vec<Stretch>, Vec<Problem>> {
    read_stretches(
        inst,
        path,
        VISITS_HEADER,
        (
            "visit block",
            "queue",
            "give the id of one of the model's field queues",
        ),
        |r: &VisitRecord| {
            let q = inst
                .centre
                .queues
                .iter()
                .position(|x| x.id == r.queue && x.sla.field())
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "no field queue '{}' in the model (a queue with 'travel' and an 'on_site_within' contract)",
                        r.queue
                    )
                });
            (
                q,
                &r.agent,
                (&r.start, &r.end, &r.utc_offset, &r.end_utc_offset),
            )
        },
    )
}
