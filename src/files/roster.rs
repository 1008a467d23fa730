//! `roster.csv` and `allocation.csv`: their headers (written by the
//! roster, read by the checker and the simulation) and the counts of the
//! roster that `plan.json` and `slaplan check` both report.

use serde::{Deserialize, Serialize};

/// The header of `roster.csv` (documented in `docs/formats.md`).
pub const ROSTER_HEADER: &str = "agent,name,group,date,template,start,end,paid_hours,breaks,queues";

/// The header of `allocation.csv` (documented in `docs/formats.md`).
pub const ALLOCATION_HEADER: &str = "kind,server,queue,interval_start,repeated_hour,value";

/// Weekend days and late shifts per agent, fewest and most, for one
/// planning group of two agents or more (skill group, contract, site).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FairnessCount {
    pub group: String,
    pub agents: usize,
    pub weekend_days: (usize, usize),
    pub late_shifts: (usize, usize),
}

/// The instance's shift-on and shift-off requests against the roster.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct RequestCount {
    pub granted: usize,
    pub not_granted: usize,
    /// Sum of the weights of those not granted.
    pub weight_not_granted: f64,
}
