//! Staffing: the least number of agents meeting every target given
//! (service level at a threshold, ASA, abandonment, occupancy), shrinkage
//! applied in exact decimal arithmetic, and service tables over a range of
//! agent counts for the planner.

use rayon::prelude::*;
use rust_decimal::Decimal;
use thiserror::Error;

use super::erlang_b::BlockingSeq;
use super::{erlang_a, erlang_c, Measures};

/// One queue in one interval: offered load, handle time, and (for Erlang A)
/// the callers' mean patience.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueModel {
    load: f64,
    aht_s: f64,
    patience_s: Option<f64>,
}

/// A service level target: `share` of callers answered within
/// `answer_within_s` seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceTarget {
    pub share: f64,
    pub answer_within_s: f64,
}

/// Targets the staffing must meet; any subset, at least one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Targets {
    pub service_level: Option<ServiceTarget>,
    pub max_asa_s: Option<f64>,
    pub max_abandon: Option<f64>,
    pub max_occupancy: Option<f64>,
}

/// Which condition set the requirement: one fewer agent would break it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Binding {
    /// Fewer agents than this leave the queue unstable (Erlang C).
    Stability,
    ServiceLevel,
    Asa,
    Abandon,
    Occupancy,
}

impl Binding {
    /// A name planners read and JSON keeps stable.
    pub fn as_str(self) -> &'static str {
        match self {
            Binding::Stability => "stability",
            Binding::ServiceLevel => "service_level",
            Binding::Asa => "asa",
            Binding::Abandon => "abandon",
            Binding::Occupancy => "occupancy",
        }
    }
}

/// The least staffing that meets the targets, what it achieves, and which
/// targets set it.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub agents: u32,
    pub measures: Measures,
    pub binding: Vec<Binding>,
}

/// Why a queue or a target cannot be used.
/// The largest offered load, in Erlangs, sized or tabulated: the range in
/// which the queueing core is exact (README, `tests/high_precision.rs`),
/// and far above any one queue of a centre. Past it work would grow with
/// the load while nothing real asks for it.
pub const MAX_LOAD: f64 = 100_000.0;

/// A number as a person reads it: exponent form when huge.
fn short(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e7 {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The longest handle time, seconds: a day.
pub const MAX_AHT_S: f64 = 86_400.0;

/// The lowest occupancy cap: at 1% a queue already needs a hundred agents
/// per Erlang; lower caps only make the search for agents run long.
pub const MIN_OCCUPANCY_CAP: f64 = 0.01;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum StaffingError {
    #[error("load must be a number of Erlangs from 0 to {MAX_LOAD} (the range where the queueing is exact and a centre's queue can be), got {}", short(*.0))]
    Load(f64),
    #[error("AHT must be a duration above 0 s and at most 24 h, got {0} s")]
    Aht(f64),
    #[error("patience must be a finite duration > 0 s, got {0} s")]
    Patience(f64),
    #[error("service level target must be a share in (0, 1), got {0}")]
    ServiceShare(f64),
    #[error(
        "a 100% service level target cannot be met by any finite number of agents \
         (some callers always wait); use a target below 100%, e.g. 0.99"
    )]
    ServiceShareUnreachable,
    #[error("answer-within threshold must be a finite duration ≥ 0 s, got {0} s")]
    AnswerWithin(f64),
    #[error(
        "maximum ASA must be a duration > 0 s (no finite staffing gives zero wait), got {0} s"
    )]
    MaxAsa(f64),
    #[error(
        "maximum abandonment must be a share in (0, 1] (no finite staffing gives zero), got {0}"
    )]
    MaxAbandon(f64),
    #[error("an abandonment target needs a patience (Erlang A); without patience nobody abandons")]
    AbandonWithoutPatience,
    #[error("maximum occupancy must be a share from 1% to 100% (below 1%, more than a hundred agents per Erlang), got {0}")]
    MaxOccupancy(f64),
    #[error("no target given: give a service level, ASA, abandonment or occupancy target")]
    NoTarget,
    #[error("shrinkage must be a share in [0, 1), got {0}")]
    Shrinkage(Decimal),
    #[error("{productive} productive agents at {shrinkage} shrinkage exceed the countable range")]
    ScheduledOverflow { productive: u32, shrinkage: Decimal },
}

impl QueueModel {
    /// A queue with Poisson arrivals of `load` Erlangs and exponential
    /// handle times of mean `aht_s`; with `patience_s`, callers abandon
    /// after an exponential patience of that mean (Erlang A), otherwise
    /// they wait forever (Erlang C).
    pub fn new(load: f64, aht_s: f64, patience_s: Option<f64>) -> Result<Self, StaffingError> {
        if !(load.is_finite() && (0.0..=MAX_LOAD).contains(&load)) {
            return Err(StaffingError::Load(load));
        }
        if !(aht_s.is_finite() && aht_s > 0.0 && aht_s <= MAX_AHT_S) {
            return Err(StaffingError::Aht(aht_s));
        }
        if let Some(p) = patience_s {
            if !(p.is_finite() && p > 0.0) {
                return Err(StaffingError::Patience(p));
            }
        }
        Ok(Self {
            load,
            aht_s,
            patience_s,
        })
    }

    pub fn load(&self) -> f64 {
        self.load
    }

    pub fn aht_s(&self) -> f64 {
        self.aht_s
    }

    pub fn patience_s(&self) -> Option<f64> {
        self.patience_s
    }

    /// Measures at `agents` whole agents.
    pub fn measures(&self, agents: u32, answer_within_s: f64) -> Measures {
        match self.patience_s {
            None => erlang_c::measures(self.load, self.aht_s, f64::from(agents), answer_within_s),
            Some(p) => erlang_a::measures(self.load, self.aht_s, p, agents, answer_within_s),
        }
    }

    /// Measures for every agent count in `first..=last`, sharing one Erlang
    /// B recursion: the SL(n) table the planner consumes.
    pub fn table(&self, first: u32, last: u32, answer_within_s: f64) -> Vec<Measures> {
        let Some(patience) = self.patience_s else {
            return erlang_c::table(self.load, self.aht_s, first, last, answer_within_s);
        };
        let mut seq = BlockingSeq::new(self.load);
        let mut rows = Vec::with_capacity(last.saturating_sub(first) as usize + 1);
        for n in 0..=last {
            if n > 0 {
                seq.step();
            }
            if n >= first {
                rows.push(erlang_a::measures_from_blocking(
                    self.load,
                    self.aht_s,
                    patience,
                    n,
                    seq.blocking(),
                    answer_within_s,
                ));
            }
        }
        rows
    }

    /// The least number of agents meeting every target in `targets`.
    ///
    /// ```
    /// use slaplan::queueing::{QueueModel, Targets, staffing::ServiceTarget};
    /// let q = QueueModel::new(48.0, 240.0, None).unwrap();
    /// let t = Targets {
    ///     service_level: Some(ServiceTarget { share: 0.8, answer_within_s: 20.0 }),
    ///     ..Targets::default()
    /// };
    /// assert_eq!(q.required(&t).unwrap().agents, 54);
    /// ```
    pub fn required(&self, targets: &Targets) -> Result<Requirement, StaffingError> {
        targets.validate(self.patience_s.is_some())?;
        let answer_within = targets.service_level.map_or(0.0, |s| s.answer_within_s);
        if self.load <= 0.0 {
            return Ok(Requirement {
                agents: 0,
                measures: self.measures(0, answer_within),
                binding: Vec::new(),
            });
        }
        let agents = match self.patience_s {
            None => self.scan_erlang_c(targets, answer_within),
            Some(_) => self.gallop(targets, answer_within),
        };
        let measures = self.measures(agents, answer_within);
        let binding = if agents == 0 {
            Vec::new()
        } else {
            targets.broken_by(&self.measures(agents - 1, answer_within))
        };
        Ok(Requirement {
            agents,
            measures,
            binding,
        })
    }

    /// Erlang C: walk the recursion upward from the stability bound; every
    /// measure improves with each agent, so the first hit is the least.
    fn scan_erlang_c(&self, targets: &Targets, answer_within: f64) -> u32 {
        let mut seq = BlockingSeq::new(self.load);
        loop {
            seq.step();
            let n = seq.servers();
            if f64::from(n) <= self.load {
                continue;
            }
            let m = erlang_c::measures_from_blocking(
                self.load,
                self.aht_s,
                f64::from(n),
                seq.blocking(),
                answer_within,
            );
            if targets.broken_by(&m).is_empty() {
                return n;
            }
        }
    }

    /// Erlang A: doubling then bisection on the agent count (each
    /// evaluation is a full birth–death computation).
    fn gallop(&self, targets: &Targets, answer_within: f64) -> u32 {
        let ok = |n: u32| {
            targets
                .broken_by(&self.measures(n, answer_within))
                .is_empty()
        };
        let (mut lo, mut hi) = (0_u32, 1_u32);
        while !ok(hi) {
            lo = hi;
            hi *= 2;
        }
        // Invariant: lo fails (0 always fails under load), hi meets.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

impl Targets {
    fn validate(&self, has_patience: bool) -> Result<(), StaffingError> {
        if self.service_level.is_none()
            && self.max_asa_s.is_none()
            && self.max_abandon.is_none()
            && self.max_occupancy.is_none()
        {
            return Err(StaffingError::NoTarget);
        }
        if let Some(s) = self.service_level {
            if !(s.share > 0.0 && s.share < 1.0) {
                return Err(if (s.share - 1.0).abs() < 1e-12 {
                    StaffingError::ServiceShareUnreachable
                } else {
                    StaffingError::ServiceShare(s.share)
                });
            }
            if !(s.answer_within_s.is_finite() && s.answer_within_s >= 0.0) {
                return Err(StaffingError::AnswerWithin(s.answer_within_s));
            }
        }
        if let Some(a) = self.max_asa_s {
            if !(a > 0.0 && a.is_finite()) {
                return Err(StaffingError::MaxAsa(a));
            }
        }
        if let Some(a) = self.max_abandon {
            if !has_patience {
                return Err(StaffingError::AbandonWithoutPatience);
            }
            if !(a > 0.0 && a <= 1.0) {
                return Err(StaffingError::MaxAbandon(a));
            }
        }
        if let Some(o) = self.max_occupancy {
            if !((MIN_OCCUPANCY_CAP..=1.0).contains(&o)) {
                return Err(StaffingError::MaxOccupancy(o));
            }
        }
        Ok(())
    }

    /// The targets that `m` fails, in a fixed order.
    pub fn broken_by(&self, m: &Measures) -> Vec<Binding> {
        let mut broken = Vec::new();
        if !m.stable {
            broken.push(Binding::Stability);
        }
        if let Some(s) = self.service_level {
            if m.service_level < s.share {
                broken.push(Binding::ServiceLevel);
            }
        }
        if let Some(a) = self.max_asa_s {
            if m.asa_s > a {
                broken.push(Binding::Asa);
            }
        }
        if let (Some(a), Some(p)) = (self.max_abandon, m.prob_abandon) {
            if p > a {
                broken.push(Binding::Abandon);
            }
        }
        if let Some(o) = self.max_occupancy {
            if m.occupancy > o {
                broken.push(Binding::Occupancy);
            }
        }
        broken
    }
}

/// Requirements for many queue-intervals at once (a week of a centre),
/// computed in parallel; the results are in input order whatever the
/// thread count, and the first error in input order is returned.
pub fn required_many(
    intervals: &[(QueueModel, Targets)],
) -> Result<Vec<Requirement>, StaffingError> {
    intervals
        .par_iter()
        .map(|(queue, targets)| queue.required(targets))
        .collect()
}

/// Agents to schedule so that `productive` remain after `shrinkage`
/// (absence, training, meetings): the least `s` with `s·(1 − shrinkage) ≥
/// productive`, in exact decimal arithmetic.
///
/// ```
/// use rust_decimal::Decimal;
/// use slaplan::queueing::staffing::scheduled_agents;
/// // 21 / 0.7 is exactly 30; a float computes 30.000000000000004.
/// assert_eq!(scheduled_agents(21, Decimal::new(3, 1)).unwrap(), 30);
/// ```
pub fn scheduled_agents(productive: u32, shrinkage: Decimal) -> Result<u32, StaffingError> {
    if shrinkage < Decimal::ZERO || shrinkage >= Decimal::ONE {
        return Err(StaffingError::Shrinkage(shrinkage));
    }
    let overflow = StaffingError::ScheduledOverflow {
        productive,
        shrinkage,
    };
    let scheduled = Decimal::from(productive)
        .checked_div(Decimal::ONE - shrinkage)
        .ok_or(overflow.clone())?
        .ceil();
    u32::try_from(scheduled).map_err(|_| overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sl(share: f64, within: f64) -> Targets {
        Targets {
            service_level: Some(ServiceTarget {
                share,
                answer_within_s: within,
            }),
            ..Targets::default()
        }
    }

    #[test]
    fn zero_volume_needs_zero_agents() {
        let q = QueueModel::new(0.0, 300.0, None).unwrap();
        assert_eq!(q.required(&sl(0.8, 20.0)).unwrap().agents, 0);
        let q = QueueModel::new(0.0, 300.0, Some(60.0)).unwrap();
        assert_eq!(q.required(&sl(0.8, 20.0)).unwrap().agents, 0);
    }

    #[test]
    fn full_service_is_refused_with_a_reason() {
        let q = QueueModel::new(5.0, 300.0, None).unwrap();
        let err = q.required(&sl(1.0, 20.0)).unwrap_err();
        assert_eq!(err, StaffingError::ServiceShareUnreachable);
        assert!(err.to_string().contains("100%"));
        assert!(matches!(
            q.required(&sl(1.2, 20.0)),
            Err(StaffingError::ServiceShare(_))
        ));
        assert_eq!(
            q.required(&Targets::default()),
            Err(StaffingError::NoTarget)
        );
    }

    #[test]
    fn requirement_is_least_and_names_its_binding_target() {
        let q = QueueModel::new(48.0, 240.0, None).unwrap();
        let r = q.required(&sl(0.8, 20.0)).unwrap();
        assert_eq!(r.agents, 54);
        assert!(r.measures.service_level >= 0.8);
        assert!(q.measures(53, 20.0).service_level < 0.8);
        assert_eq!(r.binding, vec![Binding::ServiceLevel]);

        let occ = Targets {
            max_occupancy: Some(0.85),
            ..sl(0.8, 20.0)
        };
        let r = q.required(&occ).unwrap();
        assert_eq!(r.agents, 57); // 48/0.85 = 56.47
        assert_eq!(r.binding, vec![Binding::Occupancy]);
    }

    #[test]
    fn erlang_a_needs_an_abandonment_target_with_patience() {
        let c = QueueModel::new(10.0, 180.0, None).unwrap();
        let t = Targets {
            max_abandon: Some(0.05),
            ..Targets::default()
        };
        assert_eq!(c.required(&t), Err(StaffingError::AbandonWithoutPatience));
        let a = QueueModel::new(10.0, 180.0, Some(300.0)).unwrap();
        let r = a.required(&t).unwrap();
        assert!(r.measures.prob_abandon.unwrap() <= 0.05);
        let fewer = a.measures(r.agents - 1, 0.0);
        assert!(fewer.prob_abandon.unwrap() > 0.05);
    }

    #[test]
    fn many_at_once_keep_input_order() {
        let t = sl(0.8, 20.0);
        let intervals: Vec<_> = (0..200)
            .map(|i| (QueueModel::new(f64::from(i) * 0.7, 300.0, None).unwrap(), t))
            .collect();
        let many = required_many(&intervals).unwrap();
        for ((q, t), r) in intervals.iter().zip(&many) {
            assert_eq!(q.required(t).unwrap().agents, r.agents);
        }
        let bad = [(
            QueueModel::new(1.0, 300.0, None).unwrap(),
            Targets::default(),
        )];
        assert_eq!(required_many(&bad), Err(StaffingError::NoTarget));
    }

    #[test]
    fn shrinkage_is_exact() {
        assert_eq!(scheduled_agents(21, Decimal::new(3, 1)).unwrap(), 30);
        assert_eq!(scheduled_agents(22, Decimal::new(3, 1)).unwrap(), 32);
        assert_eq!(scheduled_agents(7, Decimal::ZERO).unwrap(), 7);
        assert_eq!(scheduled_agents(0, Decimal::new(5, 1)).unwrap(), 0);
        assert!(scheduled_agents(7, Decimal::ONE).is_err());
        assert!(scheduled_agents(7, Decimal::new(-1, 1)).is_err());
    }

    #[test]
    fn tables_agree_with_pointwise_measures() {
        let a = QueueModel::new(10.0, 180.0, Some(300.0)).unwrap();
        for r in a.table(8, 18, 20.0) {
            let p = a.measures(r.agents as u32, 20.0);
            assert!((r.service_level - p.service_level).abs() < 1e-12);
        }
    }
}
