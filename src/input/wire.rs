//! The files exactly as written: serde structs with `deny_unknown_fields`.
//! Quantities with units stay text here (`Scalar`) and are read, with their
//! field path, when converted into domain types. Every field is documented
//! in `docs/formats.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A scalar as the text it was written as: `300s`, `80%`, `0.8` or `12`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            Text(String),
            Int(i64),
            Float(f64),
        }
        Ok(Scalar(match Any::deserialize(d)? {
            Any::Text(s) => s,
            Any::Int(i) => i.to_string(),
            Any::Float(f) => f.to_string(),
        }))
    }
}

/// Opening hours of one day key: `08:00-20:00`, `closed`, `24h`, or a list
/// of ranges.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum HoursSpec {
    One(String),
    Many(Vec<String>),
}

/// Day keys (`mon-fri`, `sat`, `all`) to hours.
pub type WeekSpec = BTreeMap<String, HoursSpec>;

/// The top-level keys of a model file; each is read on its own.
pub const MODEL_KEYS: &[&str] = &[
    "name",
    "currency",
    "time_zone",
    "interval",
    "opening_hours",
    "opening_hours_by_site",
    "on_call",
    "queues",
    "skill_groups",
    "contracts",
    "shift_templates",
    "sites",
    "outsourcers",
    "trunks",
    "forbidden_successions",
    "fairness",
    "headcount",
];

/// `headcount:` — how each skill group's headcount may move over a
/// horizon (`slaplan headcount`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadcountW {
    #[serde(default)]
    pub schedule_efficiency: Option<Scalar>,
    pub groups: serde_yaml::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupHeadcountW {
    pub skill_group: String,
    #[serde(default)]
    pub contract: Option<String>,
    #[serde(default)]
    pub hire: Option<HireW>,
    /// A share of the group a year.
    #[serde(default)]
    pub attrition: Option<Scalar>,
    #[serde(default)]
    pub cut: Option<CutW>,
    #[serde(default)]
    pub overtime: Option<OvertimeW>,
    #[serde(default)]
    pub temps: Option<TempsW>,
    #[serde(default)]
    pub min_agents: Option<f64>,
    #[serde(default)]
    pub max_agents: Option<f64>,
    #[serde(default)]
    pub schedule_efficiency: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HireW {
    pub cost: f64,
    #[serde(default)]
    pub lead_weeks: Option<f64>,
    #[serde(default)]
    pub training_weeks: Option<f64>,
    #[serde(default)]
    pub training_productivity: Option<Scalar>,
    #[serde(default)]
    pub max_per_week: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CutW {
    pub severance: f64,
    #[serde(default)]
    pub notice_weeks: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvertimeW {
    pub max_hours: Scalar,
    pub premium: Scalar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TempsW {
    pub hourly_cost: f64,
    pub max_agents: f64,
    pub weekly_hours: Scalar,
    #[serde(default)]
    pub productivity: Option<Scalar>,
}

/// Fairness weights: the price per unit of the most weekend days, or late
/// shifts, any agent of a planning group works.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairnessW {
    #[serde(default)]
    pub weekends: Option<f64>,
    #[serde(default)]
    pub late_shifts: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessionW {
    /// A shift of this template on one day…
    pub after: String,
    /// …may not be followed by one of this template the next day.
    pub then: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueW {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub channel: ChannelW,
    pub aht: Scalar,
    #[serde(default)]
    pub patience: Option<Scalar>,
    pub sla: SlaW,
    #[serde(default)]
    pub penalty_per_point: Option<f64>,
    #[serde(default)]
    pub max_occupancy: Option<Scalar>,
    #[serde(default)]
    pub shrinkage: Option<Scalar>,
    #[serde(default)]
    pub opening_hours: Option<WeekSpec>,
    #[serde(default)]
    pub priority: Option<f64>,
    #[serde(default)]
    pub opening_hours_by_site: Option<SiteHoursSpec>,
    #[serde(default)]
    pub follows: Option<FollowsW>,
    /// Field work: the travel to the site, and back, of each visit.
    #[serde(default)]
    pub travel: Option<Scalar>,
}

/// A later clock of another queue's contacts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowsW {
    pub queue: String,
    pub share: Scalar,
}

/// Site id → that site's hours on its own clock.
pub type SiteHoursSpec = BTreeMap<String, WeekSpec>;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChannelW {
    Voice,
    Deferred,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ScopeW {
    Interval,
    Day,
    Week,
    Month,
}

impl From<ScopeW> for crate::model::SlaScope {
    fn from(s: ScopeW) -> Self {
        match s {
            ScopeW::Interval => Self::Interval,
            ScopeW::Day => Self::Day,
            ScopeW::Week => Self::Week,
            ScopeW::Month => Self::Month,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ClockW {
    OpeningHours,
    Calendar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaW {
    pub target: Scalar,
    #[serde(default)]
    pub answer_within: Option<Scalar>,
    #[serde(default)]
    pub handled_within: Option<Scalar>,
    #[serde(default)]
    pub responded_within: Option<Scalar>,
    /// Field work: an engineer on site within this time of the request.
    #[serde(default)]
    pub on_site_within: Option<Scalar>,
    #[serde(default)]
    pub scope: Option<ScopeW>,
    #[serde(default)]
    pub clock: Option<ClockW>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillGroupW {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub queues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeW {
    pub min: Scalar,
    pub max: Scalar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremiumsW {
    #[serde(default)]
    pub night: Option<Scalar>,
    #[serde(default)]
    pub night_hours: Option<String>,
    #[serde(default)]
    pub sunday: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractW {
    pub id: String,
    pub weekly_hours: RangeW,
    pub max_days: u32,
    pub max_hours_per_day: Scalar,
    #[serde(default)]
    pub max_consecutive_days: Option<u32>,
    #[serde(default)]
    pub min_rest: Option<Scalar>,
    #[serde(default)]
    pub weekly_rest: Option<Scalar>,
    #[serde(default)]
    pub min_consecutive_days_off: Option<u32>,
    #[serde(default)]
    pub max_weekends: Option<u32>,
    pub hourly_cost: f64,
    #[serde(default)]
    pub premiums: Option<PremiumsW>,
    /// The price of each start time beyond the first in an agent's week.
    #[serde(default)]
    pub same_start: Option<f64>,
    #[serde(default)]
    pub hours_bank: Option<HoursBankW>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursBankW {
    pub weeks: f64,
    pub average: Scalar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakW {
    pub length: Scalar,
    /// `2h-4h`: the break starts between 2 and 4 hours after the shift starts.
    pub after: String,
    #[serde(default)]
    pub paid: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftTemplateW {
    pub id: String,
    /// `07:00-11:00`: the window of allowed starts.
    pub starts: String,
    pub step: Scalar,
    pub length: Scalar,
    #[serde(default)]
    pub breaks: Vec<BreakW>,
    #[serde(default)]
    pub days: Option<String>,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub contracts: Option<Vec<String>>,
    /// A late shift (fairness counts them).
    #[serde(default)]
    pub late: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteW {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub time_zone: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutsourcerW {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub queues: Vec<String>,
    pub hours: WeekSpec,
    #[serde(default)]
    pub price_per_contact: Option<f64>,
    #[serde(default)]
    pub price_per_seat_hour: Option<f64>,
    pub seats: u32,
    #[serde(default)]
    pub min_weekly_contacts: Option<f64>,
    pub aht: Scalar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnCallW {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub skill_group: String,
    pub hours: WeekSpec,
    /// The site whose clock `hours` are written on (the centre's if none).
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub agents: Option<f64>,
    pub pay_per_hour: f64,
    #[serde(default)]
    pub pay_per_call_out: Option<f64>,
    pub call_outs_per_day: f64,
    pub call_out_length: Scalar,
    pub response_within: Scalar,
    pub rest_after_call_out: Scalar,
    #[serde(default)]
    pub max_per_week: Option<f64>,
    pub max_per_month: Option<f64>,
    #[serde(default)]
    pub recovery: Option<RecoveryW>,
}

/// Whether an on-call duty's rest is kept as a paid day off (`paid`) or
/// left to agents free anyway (`free`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecoveryW {
    Free,
    Paid,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrunksW {
    pub lines: u32,
}

/// The top-level keys of an instance file.
pub const INSTANCE_KEYS: &[&str] = &[
    "model",
    "week_start",
    "weeks",
    "demand",
    "agents",
    "absences",
    "strikes",
    "special_days",
    "overrides",
    "requests",
    "pins",
];

/// A shift-on or shift-off request, or a pin: `off: true`, or a template
/// (with a start, required for pins).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WishW {
    pub agent: String,
    pub date: String,
    #[serde(default)]
    pub off: bool,
    #[serde(default)]
    pub template: Option<String>,
    /// `08:30`: the shift's start.
    #[serde(default)]
    pub start: Option<String>,
    /// Requests only: the price of not granting it (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandW {
    #[serde(default)]
    pub history: Option<String>,
    #[serde(default)]
    pub forecast: Option<String>,
    /// Agents required per queue and interval: planned as given, with no
    /// forecast and no queueing.
    #[serde(default)]
    pub requirements: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceW {
    pub agent: String,
    /// Whole days off.
    #[serde(default)]
    pub dates: Vec<String>,
    /// Or a time range: `2003-03-05T08:00/2003-03-05T12:00`.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrikeW {
    pub skill_group: String,
    pub share: Scalar,
    pub dates: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialDayW {
    pub date: String,
    pub name: String,
    #[serde(default)]
    pub volume_factor: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverridesW {
    #[serde(default)]
    pub queues: BTreeMap<String, QueueOverrideW>,
    #[serde(default)]
    pub outsourcers: BTreeMap<String, OutsourcerOverrideW>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueOverrideW {
    #[serde(default)]
    pub target: Option<Scalar>,
    #[serde(default)]
    pub scope: Option<ScopeW>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutsourcerOverrideW {
    #[serde(default)]
    pub available: Option<bool>,
    #[serde(default)]
    pub price_per_contact: Option<f64>,
    #[serde(default)]
    pub price_per_seat_hour: Option<f64>,
    #[serde(default)]
    pub seats: Option<u32>,
}
