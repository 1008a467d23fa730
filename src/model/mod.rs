//! The centre and its week as validated domain types: queues, skill groups,
//! contracts, shift templates, sites, outsourcers, agents and demand. No
//! serde and no files here: `input` builds these from the wire format, and
//! everything downstream can rely on them being consistent (references
//! resolved to indices, units converted, ranges checked).

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use chrono_tz::Tz;
use rust_decimal::Decimal;

pub mod hours;

pub use hours::{Span, WeekHours};

/// Minutes in a day.
pub const DAY_MIN: u32 = 24 * 60;

/// Most agents a week may have (the agents file, `--set headcount`): ten
/// times the large centre we measure (2,000 agents, `docs/performance.md`);
/// the plan's and roster's work grow with them.
pub const MAX_AGENTS: u32 = 20_000;

/// Most seats an outsourcer may offer: a load beyond 100,000 Erlangs is
/// outside the queueing core's exact range, so more seats carry nothing
/// more, and the seat tables grow with the count.
pub const MAX_SEATS: u32 = 100_000;

/// How far before the week a history may reach, in weeks (five years):
/// the forecast weighs recent weeks, and each week of history costs memory
/// and time.
pub const MAX_HISTORY_WEEKS: i64 = 260;

/// A centre's standing structure (the model file).
#[derive(Debug, Clone)]
pub struct Centre {
    pub name: String,
    /// The currency of every price and cost (ISO 4217; `EUR` unless the
    /// model says).
    pub currency: String,
    pub time_zone: Tz,
    /// Planning interval length in minutes (15 or 30).
    pub interval_min: u32,
    pub queues: Vec<Queue>,
    pub skill_groups: Vec<SkillGroup>,
    pub contracts: Vec<Contract>,
    pub shift_templates: Vec<ShiftTemplate>,
    pub sites: Vec<Site>,
    pub outsourcers: Vec<Outsourcer>,
    /// Trunk lines into the ACD, if the model states them.
    pub trunk_lines: Option<u32>,
    /// Template pairs `(a, b)`: a shift of template `a` may not be followed
    /// the next day by a shift of template `b`.
    pub forbidden_successions: Vec<(usize, usize)>,
    /// Fairness among the agents of a planning group: the price of one
    /// more weekend day, and of one more late shift, for the agent who
    /// works the most of them.
    pub fairness_weekends: Option<f64>,
    pub fairness_late: Option<f64>,
    /// On-call rotas outside opening hours.
    pub on_call: Vec<OnCall>,
    /// Tier pools: queues with a priority served by the same skill groups,
    /// two or more, highest priority first. Their agents are pooled: a
    /// free agent takes the highest tier waiting (non-preemptive), so the
    /// plan staffs the pool, each tier's SL from the priority queue
    /// (`queueing::priority`).
    pub pools: Vec<Vec<usize>>,
    /// How each skill group's headcount may move over a horizon (hiring,
    /// attrition, cuts, overtime, temporary staff), for `slaplan
    /// headcount`; `None` when the model does not say.
    pub headcount: Option<HeadcountPolicy>,
}

impl Centre {
    /// Skill group `g`'s headcount policy, where the model gives one.
    pub fn group_policy(&self, g: usize) -> Option<&GroupPolicy> {
        self.headcount.as_ref().and_then(|h| h.groups[g].as_ref())
    }

    /// Whether any queue is field work (`Sla::field`: visits with their
    /// travel), whose visits `visits.csv` names as blocks.
    pub fn has_field_queues(&self) -> bool {
        self.queues.iter().any(|q| q.sla.field())
    }

    /// The zone of site `site`'s clock: the site's own, or the centre's
    /// for no site.
    pub fn zone(&self, site: Option<usize>) -> Tz {
        site.map_or(self.time_zone, |s| self.sites[s].time_zone)
    }

    /// The zone a template's starts are written in: its site's, else the
    /// centre's (follow-the-sun shifts keep their local hours all year).
    pub fn template_zone(&self, t: &ShiftTemplate) -> Tz {
        self.zone(t.site)
    }

    /// Queue `q`'s opening hours on the centre's clock in the week of
    /// `monday`: its hours on the centre's clock, and each site's hours
    /// taken from the site's clock on that week's own dates (so that a
    /// Tokyo 09:00 is 01:00 in Paris in March and 02:00 in July). A site
    /// span that falls before the week's Monday or after its Sunday on the
    /// centre's clock wraps onto the other end, as every week's hours do.
    pub fn opening_in_week(&self, q: usize, monday: NaiveDate) -> WeekHours {
        let queue = &self.queues[q];
        let mut week = queue.hours.clone();
        for (site, local) in &queue.site_hours {
            let zone = self.sites[*site].time_zone;
            for d in 0..7 {
                let date = monday + chrono::Duration::days(d as i64);
                for span in local.day(d) {
                    let start = hours::moved(zone, self.time_zone, date, span.start_min);
                    let end = hours::moved(zone, self.time_zone, date, span.end_min);
                    let len = (end - start).num_minutes();
                    if len <= 0 {
                        continue;
                    }
                    let day = (start.date() - monday).num_days().rem_euclid(7) as usize;
                    let start_min = (start - start.date().and_hms_opt(0, 0, 0).expect("midnight"))
                        .num_minutes() as u32;
                    week.add(
                        day,
                        Span {
                            start_min,
                            end_min: start_min + len as u32,
                        },
                    );
                }
            }
        }
        week
    }

    /// Every queue's opening hours resolved for the week of `monday`.
    pub fn resolve_week(&mut self, monday: NaiveDate) {
        for q in 0..self.queues.len() {
            self.queues[q].opening = self.opening_in_week(q, monday);
        }
    }

    /// The tier pool queue `q` belongs to, highest priority first.
    pub fn pool_of(&self, q: usize) -> Option<&[usize]> {
        self.pools
            .iter()
            .find(|p| p.contains(&q))
            .map(Vec::as_slice)
    }

    /// Where skill group `g` ranks queue `q` (0 its first): the position
    /// of `q` in the group's list, or for a tier of its pool's first
    /// member — a group whose first queue is a tier has its whole pool
    /// first (the ACD takes the tiers in priority order, as one skill).
    pub fn rank(&self, g: usize, q: usize) -> Option<usize> {
        let list = &self.skill_groups[g].queues;
        let at = |x: usize| list.iter().position(|&y| y == x);
        at(q)?;
        self.pooled_with(q).into_iter().filter_map(at).min()
    }

    /// The queues skill group `g` ranks first (see [`Self::rank`]).
    pub fn primary(&self, g: usize) -> Vec<usize> {
        self.skill_groups[g]
            .queues
            .iter()
            .copied()
            .filter(|&q| self.rank(g, q) == Some(0))
            .collect()
    }

    /// The queues whose agents serve `q`'s calls: its pool, or itself.
    pub fn pooled_with(&self, q: usize) -> Vec<usize> {
        self.pool_of(q).map_or_else(|| vec![q], <[usize]>::to_vec)
    }
}

/// How contacts on a queue are answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Channel {
    /// Calls wait in a queue; with a patience, callers abandon (Erlang A).
    Voice { patience_s: Option<f64> },
    /// E-mail, tickets: work handled before a deadline, not live.
    Deferred,
}

/// Over which period a contract counts its service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SlaScope {
    Interval,
    Day,
    Week,
    /// The calendar month (in the centre's time zone). A week planned
    /// alone counts the part of each month it holds as that month; in a
    /// horizon each week counts on from what the month's weeks before it
    /// achieved ([`Carry::months`]).
    Month,
}

impl SlaScope {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaScope::Interval => "interval",
            SlaScope::Day => "day",
            SlaScope::Week => "week",
            SlaScope::Month => "month",
        }
    }
}

/// A contractual service level: `target` share handled within `within_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sla {
    pub target: f64,
    /// Voice: answered within; deferred: handled within.
    pub within_s: f64,
    pub scope: SlaScope,
    /// Deferred work: the deadline runs in opening hours only.
    pub within_counts_opening_hours_only: bool,
    /// Deferred work: the deadline is a first response — a contact is in
    /// time when an agent takes it up by then (`responded_within`), not
    /// when its handling ends (`handled_within`).
    pub response: bool,
    /// Field work (`on_site_within`): the travel to the site, each way.
    /// The deadline is the arrival on site, `travel_s` after an engineer
    /// takes the visit up; the visit (the queue's handling, with both
    /// travels) keeps them off the phones. 0 for any other queue.
    pub travel_s: f64,
}

impl Sla {
    /// The time within which a contact's work must be *done* for the
    /// contract to count it in time, in the fluid view the plan and
    /// `check` take: the deadline itself, or for a first-response clock
    /// the deadline plus the contact's handle time (`aht_s`): taken up at
    /// the deadline, its work ends that much later.
    pub fn done_within_s(&self, aht_s: f64) -> f64 {
        if self.response {
            self.take_up_within_s() + aht_s
        } else {
            self.within_s
        }
    }

    /// A first response's deadline for taking the contact up: the
    /// contract's time, less the travel of a field visit (the contract
    /// counts the arrival on site).
    pub fn take_up_within_s(&self) -> f64 {
        self.within_s - self.travel_s
    }

    /// What a contact of `work_s` on its own keeps an agent busy: with a
    /// field visit's travel there and back.
    pub fn handling_s(&self, work_s: f64) -> f64 {
        work_s + 2.0 * self.travel_s
    }

    /// Whether the contacts are field visits (`on_site_within`).
    pub fn field(&self) -> bool {
        self.travel_s > 0.0
    }
}

#[derive(Debug, Clone)]
pub struct Queue {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    pub aht_s: f64,
    pub sla: Sla,
    /// Price of one missed SL point when the SLA is soft.
    pub penalty_per_point: Option<f64>,
    pub max_occupancy: Option<f64>,
    pub shrinkage: Decimal,
    /// Open hours on the centre's clock in the planned week: `hours` and
    /// each of `site_hours` on its site's clock, resolved for the week's
    /// dates ([`Centre::resolve_week`]; a January week for a model read
    /// alone).
    pub opening: WeekHours,
    /// The hours written on the centre's clock.
    pub hours: WeekHours,
    /// Hours written on a site's clock (follow-the-sun business hours):
    /// the site, its hours in its local time.
    pub site_hours: Vec<(usize, WeekHours)>,
    /// A later clock of a parent's contacts: `(parent queue, share)` — a
    /// share of the parent's contacts needs this queue's work once the
    /// parent's is done, each by its own deadline counted from the
    /// parent contact's arrival (first response, then remote resolution,
    /// then on-site arrival). Its contacts are the parent's times the
    /// share, not forecast.
    pub follows: Option<(usize, f64)>,
    /// The ACD's call priority (1 the highest): tiers of customers on
    /// queues served by the same skill groups, planned as one pool of
    /// agents whose classes each keep their own SLA ([`Centre::pools`]).
    pub priority: Option<u32>,
}

impl Queue {
    /// Share of an agent's allocated time really available to the queue:
    /// one less its shrinkage (absence at short notice, meetings,
    /// coaching; breaks are planned explicitly).
    pub fn on_duty(&self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        1.0 - self.shrinkage.to_f64().unwrap_or(0.0)
    }
}

/// An on-call rota ("astreinte"): over its hours, agents of a skill group
/// stay reachable and are called out when something cannot wait for the
/// opening (`roster::on_call`).
#[derive(Debug, Clone)]
pub struct OnCall {
    pub id: String,
    pub name: String,
    pub skill_group: usize,
    /// The site whose clock `hours` are on (`None`: the centre's): a rota
    /// written in Tokyo's hours keeps them through Europe's and America's
    /// clock changes.
    pub site: Option<usize>,
    /// When the rota runs, on the clock of `site`.
    pub hours: WeekHours,
    /// Agents on call at once.
    pub agents: u32,
    /// Allowance per hour on call.
    pub pay_per_hour: f64,
    /// Fee per call-out, beside the call-out's worked time at the agent's
    /// hourly cost.
    pub pay_per_call_out: f64,
    /// Expected call-outs per 24 hours on call.
    pub call_outs_per_day: f64,
    /// Mean worked time of a call-out, in minutes.
    pub call_out_min: u32,
    /// Time within which a call-out must be answered by the agent on call.
    pub response_within_s: f64,
    /// Rest owed after a call-out before the agent's next shift, in
    /// minutes (an intervention interrupts the daily rest).
    pub rest_after_call_out_min: u32,
    /// Periods of this rota one agent may take in the week.
    pub max_per_week: u32,
    /// Periods of this rota one agent may take in a calendar month (the
    /// month of the period's start on the rota's clock), counted across a
    /// horizon's weeks ([`Carry::on_call`]); a week alone counts its own.
    pub max_per_month: Option<u32>,
    /// How the rest a duty owes is found: among agents free anyway, or
    /// kept off before the plan and paid.
    pub recovery: Recovery,
}

/// How an on-call duty's rest (from the period's start until the rest
/// owed after a call-out at its end has passed) meets the shift roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recovery {
    /// The duty is named after the roster, among the agents with no shift
    /// in that window (a weekend rota's agents who are off anyway).
    #[default]
    Free,
    /// The duty's agent is chosen before the plan and kept off every shift
    /// in the window, as if absent: the weekly minimum falls pro rata for
    /// the days this takes, and their hours are paid with the duty
    /// (compensatory rest). A weeknight rota whose next morning is a
    /// working day needs this.
    Paid,
}

/// An on-call duty chosen before the plan for a [`Recovery::Paid`] rota:
/// its agent works no shift from the period's start until the rest owed
/// after it has passed.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptOff {
    pub rota: usize,
    /// The period, in real minutes after the week's start.
    pub start: i64,
    pub end: i64,
    pub agent: usize,
    /// The window kept off shifts on the agent's clock, and the same a
    /// week before (the roster taken to repeat weekly).
    pub windows: Vec<(NaiveDateTime, NaiveDateTime)>,
    /// Paid minutes of the contract's weekly minimum the window takes
    /// (pro rata for the days it leaves no shift to start), paid with the
    /// duty.
    pub paid_min: u32,
}

/// Highest priority number a queue may carry: nine tiers are more than any
/// hotline sells, and ACDs offer a handful of call priority levels.
pub const MAX_PRIORITY: u32 = 9;

/// Agents who can serve the same queues, in priority order.
#[derive(Debug, Clone)]
pub struct SkillGroup {
    pub id: String,
    pub name: String,
    /// Indices into `Centre::queues`, highest priority first.
    pub queues: Vec<usize>,
}

/// Labour rules and pay of a contract.
#[derive(Debug, Clone)]
pub struct Contract {
    pub id: String,
    pub weekly_min_min: u32,
    pub weekly_max_min: u32,
    pub max_days: u32,
    pub max_day_min: u32,
    pub max_consecutive_days: u32,
    pub min_rest_min: u32,
    pub weekly_rest_min: u32,
    pub min_consecutive_days_off: u32,
    /// Weekends worked at most in the planning horizon, if limited.
    pub max_weekends: Option<u32>,
    pub hourly_cost: f64,
    /// Extra share of the hourly cost for night hours.
    pub night_premium: f64,
    pub night_hours: Span,
    /// Extra share of the hourly cost on Sundays.
    pub sunday_premium: f64,
    /// Same start time across the week: the price of each start time an
    /// agent works beyond the first.
    pub same_start_weight: Option<f64>,
    /// Hours banked across a horizon's weeks (annualised hours, French
    /// "modulation"), each week still between the weekly minimum and
    /// maximum.
    pub hours_bank: Option<HoursBank>,
    /// Whether the agents under it may work their group's overtime
    /// ([`Instance::overtime_of`]): every contract of a model may; the
    /// decision's temps (booked for the agency's hours) and trainees
    /// (their hours on the phones a share of their paid week) may not.
    pub overtime: bool,
}

impl Contract {
    /// Whether its agents may work their group's overtime: not under an
    /// hours bank (its bounds stand), nor where [`Contract::overtime`]
    /// says not.
    pub fn takes_overtime(&self) -> bool {
        self.overtime && self.hours_bank.is_none()
    }
}

/// An hours bank: over each run of `weeks` weeks of a horizon (from its
/// first), an agent's paid hours add up to `average_min` a week, pro rata
/// for the days they cannot work (as the weekly minimum falls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursBank {
    pub weeks: u32,
    pub average_min: u32,
}

impl HoursBank {
    /// The minutes a week of `can` of `workable` days owes the bank.
    pub fn due(&self, can: u32, workable: u32) -> i64 {
        i64::from(self.average_min) * i64::from(can.min(workable)) / i64::from(workable.max(1))
    }

    /// Whether week `k` (0: the horizon's first) ends a period.
    pub fn ends(&self, k: usize) -> bool {
        self.weeks_left(k) == 1
    }

    /// Weeks of the period from week `k` on, `k` included (1 in its last).
    pub fn weeks_left(&self, k: usize) -> u32 {
        self.weeks - (k as u32 % self.weeks)
    }
}

/// Headcount as a decision over a horizon (`headcount:` in the model): what
/// each skill group may hire, lose, cut, add as overtime or borrow as
/// temporary staff, week by week (`finance::headcount`).
#[derive(Debug, Clone, PartialEq)]
pub struct HeadcountPolicy {
    /// Share of the in-house hours paid that meet a requirement: shifts of
    /// whole hours and breaks never follow the intraday curve exactly.
    pub schedule_efficiency: f64,
    /// Per skill group, in the model's order; `None`: the group keeps the
    /// agents file's headcount, at its contracts' hours.
    pub groups: Vec<Option<GroupPolicy>>,
}

/// The schedule efficiency a model that does not state one gets: the
/// plans of the shipped centres pay about 1.2 hours for each hour their
/// requirements ask (`docs/model.md`, headcount).
pub const DEFAULT_SCHEDULE_EFFICIENCY: f64 = 0.85;

/// How one skill group's headcount may move.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPolicy {
    /// The contract new hires sign; `None`: the group's most common.
    pub contract: Option<usize>,
    pub hire: Option<Hiring>,
    /// Share of the group leaving in a year (spread evenly over its weeks).
    pub attrition_per_year: f64,
    pub cut: Option<Cutting>,
    pub overtime: Option<Overtime>,
    pub temps: Option<Temps>,
    /// The group's headcount stays within these in every week.
    pub min_agents: u32,
    pub max_agents: u32,
    /// The group's own schedule efficiency, where its queues' intraday
    /// curve fits shifts worse (or better) than the centre's.
    pub schedule_efficiency: Option<f64>,
}

/// Hiring: a hire decided in week `k` starts in week `k + lead_weeks`,
/// then works `training_weeks` at `training_productivity` of an agent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hiring {
    pub cost: f64,
    pub lead_weeks: u32,
    pub training_weeks: u32,
    pub training_productivity: f64,
    pub max_per_week: u32,
}

/// Cuts: a cut decided in week `k` leaves after `notice_weeks`, paid
/// until then, and costs its severance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cutting {
    pub severance: f64,
    pub notice_weeks: u32,
}

/// Overtime: up to `max_min` a week per agent beyond the contract's
/// weekly maximum, paid at `1 + premium` the hourly cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overtime {
    pub max_min: u32,
    pub premium: f64,
}

/// Temporary staff from an agency: up to `max_agents` a week, each
/// working `weekly_min` at `hourly_cost` and `productivity` of an agent,
/// available at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Temps {
    pub hourly_cost: f64,
    pub max_agents: u32,
    pub weekly_min: u32,
    pub productivity: f64,
}

/// A break inside a shift: its length and the window, counted from the
/// shift's start, in which it must begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub length_min: u32,
    pub earliest_start_min: u32,
    pub latest_start_min: u32,
    pub paid: bool,
}

/// A family of shifts: every start in a window, at a step, of one length.
#[derive(Debug, Clone)]
pub struct ShiftTemplate {
    pub id: String,
    /// Earliest and latest start, minutes after midnight (the latest may be
    /// past midnight of the start day: a night shift).
    pub earliest_start_min: u32,
    pub latest_start_min: u32,
    pub step_min: u32,
    pub length_min: u32,
    pub breaks: Vec<Break>,
    /// Start days allowed, Monday first.
    pub days: [bool; 7],
    /// Site the shift is worked at, when restricted.
    pub site: Option<usize>,
    /// Contracts that may work it; empty means all.
    pub contracts: Vec<usize>,
    /// A late shift, for fairness.
    pub late: bool,
}

impl ShiftTemplate {
    /// Worked minutes: length less unpaid breaks.
    pub fn paid_min(&self) -> u32 {
        self.length_min
            - self
                .breaks
                .iter()
                .filter(|b| !b.paid)
                .map(|b| b.length_min)
                .sum::<u32>()
    }

    /// Every allowed start, in minutes after midnight of the start day.
    pub fn starts(&self) -> impl Iterator<Item = u32> + '_ {
        (self.earliest_start_min..=self.latest_start_min).step_by(self.step_min.max(1) as usize)
    }
}

#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub time_zone: Tz,
}

/// How an outsourcer charges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pricing {
    PerContact(f64),
    PerSeatHour(f64),
}

#[derive(Debug, Clone)]
pub struct Outsourcer {
    pub id: String,
    pub name: String,
    /// Indices into `Centre::queues`.
    pub queues: Vec<usize>,
    pub hours: WeekHours,
    pub pricing: Pricing,
    pub seats: u32,
    /// Contacts the centre commits to send each week, at least.
    pub min_weekly_contacts: f64,
    pub aht_s: f64,
    pub available: bool,
}

/// One named agent.
#[derive(Debug, Clone)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub skill_group: usize,
    pub contract: usize,
    pub site: Option<usize>,
    /// Local date-times `[from, to)` the agent cannot work.
    pub unavailable: Vec<(NaiveDateTime, NaiveDateTime)>,
    /// Changes of contract within a horizon, by date: from each week
    /// starting on or after the date, the contract given (a decided
    /// hire's training contract, then the hires' own). Empty for every
    /// agent read from a file: `contract` holds throughout.
    pub contract_from: Vec<(NaiveDate, usize)>,
}

/// Contacts per queue and interval, given or to forecast; or the agents
/// each queue needs per interval, given as other tools export them (no
/// forecast and no queueing: see [`RequirementRow`]).
#[derive(Debug, Clone)]
pub enum Demand {
    Forecast(Vec<VolumeRow>),
    History(Vec<VolumeRow>),
    Requirements(Vec<RequirementRow>),
}

impl Demand {
    /// `history`, `forecast` or `requirements`, as the instance file says.
    pub fn kind(&self) -> &'static str {
        match self {
            Demand::History(_) => "history",
            Demand::Forecast(_) => "forecast",
            Demand::Requirements(_) => "requirements",
        }
    }
}

/// Agents a queue needs present (answering, after shrinkage) in the
/// interval starting at `start` (local time): a requirement exported by
/// another tool or a spreadsheet, or a published shift-scheduling problem.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementRow {
    pub queue: usize,
    pub start: NaiveDateTime,
    /// The second occurrence of a local time on the day clocks go back.
    pub repeated_hour: bool,
    pub agents: f64,
}

/// Contacts offered on a queue in the interval starting at `start` (local
/// time), with the AHT where known.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeRow {
    pub queue: usize,
    pub start: NaiveDateTime,
    /// On the day clocks go back, the local hour before the change happens
    /// twice: this marks a row of its second occurrence (standard time).
    pub repeated_hour: bool,
    pub contacts: f64,
    pub aht_s: Option<f64>,
}

/// A share of a skill group off work on some days (a strike).
#[derive(Debug, Clone)]
pub struct Strike {
    pub skill_group: usize,
    pub share: f64,
    pub dates: Vec<NaiveDate>,
}

/// A day the forecast treats apart (public holiday, event).
#[derive(Debug, Clone)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub name: String,
    /// Volume relative to a normal day of that weekday, if known.
    pub volume_factor: Option<f64>,
}

/// What an agent asks for (or is pinned to) on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wish {
    /// The day off.
    Off,
    /// A shift of `template`, at `start_min` (local minutes after midnight)
    /// when given, at any of its starts otherwise.
    Work {
        template: usize,
        start_min: Option<u32>,
    },
}

/// A soft wish of an agent for a day of the week, with its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShiftRequest {
    pub agent: usize,
    /// Monday-first day of the week.
    pub day: usize,
    pub wish: Wish,
    pub weight: f64,
}

/// A fixed assignment: the agent works that shift (template and start) or
/// is off that day, whatever else the roster does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pin {
    pub agent: usize,
    pub day: usize,
    pub wish: Wish,
}

/// One week to plan: the centre, its demand, its people, its facts.
#[derive(Debug, Clone)]
pub struct Instance {
    pub centre: Centre,
    pub week_start: NaiveDate,
    pub demand: Demand,
    pub agents: Vec<Agent>,
    pub strikes: Vec<Strike>,
    pub special_days: Vec<SpecialDay>,
    /// Shift-on and shift-off requests (soft).
    pub requests: Vec<ShiftRequest>,
    /// Pinned assignments (hard).
    pub pins: Vec<Pin>,
    /// Weeks the instance plans from `week_start` (`weeks:`, default 1):
    /// its strikes may fall in any of them (`slaplan plan --weeks`).
    pub weeks: usize,
    /// What the weeks before leave the agents at the week's start, in a
    /// horizon of several weeks; empty for a week planned alone.
    pub carry: Carry,
    /// Growth of the forecast contacts per week, compounding from a
    /// horizon's first week (scenario key `growth`; 0 unless set): week
    /// `k`'s forecast is the history's times `(1 + growth)^k`, on top of
    /// the trend the forecast reads in the history.
    pub growth: f64,
}

/// Most growth a week a scenario may ask: 20% a week is ten times the
/// volume in a quarter, past any centre's ramp-up.
pub const MAX_GROWTH_PER_WEEK: f64 = 0.2;

/// Most weeks a horizon may span: a year, the longest roster the engine
/// is measured on (Curtois–Qu's 364 days), and as far ahead as a forecast
/// from the history before the first week is worth reading.
pub const MAX_HORIZON_WEEKS: usize = 52;

/// What the weeks before leave each agent at the week's start, where the
/// week is one of a horizon (`slaplan plan --weeks`): the rest owed after
/// their last shift, the days worked or off in a row up to the Sunday
/// before. Empty for a week planned alone, whose edges are exempt (the
/// weeks around it unknown).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Carry {
    /// Per agent, in the instance's order (empty: nothing carried).
    pub agents: Vec<AgentCarry>,
    /// Deferred work the week before left undone at its end, per queue:
    /// it arrives again with the week's first contacts of the queue.
    pub backlog: Vec<Backlog>,
    /// Per queue whose contract counts per month: what the weeks before
    /// achieved in the month the week begins in (none when the week
    /// begins a month).
    pub months: Vec<MonthSoFar>,
    /// Per rota with a monthly limit and agent: the periods taken in the
    /// month the week begins in, by the weeks before.
    pub on_call: Vec<OnCallSoFar>,
    /// The week's place in a horizon (0: its first); `None` for a week
    /// planned alone.
    pub week: Option<usize>,
}

/// An agent's periods of one rota so far in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnCallSoFar {
    pub rota: usize,
    pub agent: usize,
    /// The month's first day.
    pub month: NaiveDate,
    pub periods: u32,
}

/// What the rotas with a monthly limit carry into the week after
/// `inst`'s: per rota and agent, the periods taken in the month the next
/// week begins in — by the weeks before ([`Carry::on_call`]) and by this
/// week's `duties` (rota, agent, month of the period's start).
pub fn on_call_after(inst: &Instance, duties: &[(usize, usize, NaiveDate)]) -> Vec<OnCallSoFar> {
    let next = month_of(inst.week_start + chrono::Days::new(7));
    let mut count: std::collections::BTreeMap<(usize, usize), u32> = Default::default();
    for c in inst.carry.on_call.iter().filter(|c| c.month == next) {
        *count.entry((c.rota, c.agent)).or_default() += c.periods;
    }
    for &(rota, agent, month) in duties {
        if month == next && inst.centre.on_call[rota].max_per_month.is_some() {
            *count.entry((rota, agent)).or_default() += 1;
        }
    }
    count
        .into_iter()
        .map(|((rota, agent), periods)| OnCallSoFar {
            rota,
            agent,
            month: next,
            periods,
        })
        .collect()
}

/// What contracts counted per month carry into the week after `inst`'s:
/// per queue of `queues`, the month the next week begins in — its weeks
/// before ([`Carry::months`]) and this week's part of it, from `parts`
/// (queue, month, contacts, in time). Nothing when the week ends its
/// month.
pub fn months_after(
    inst: &Instance,
    queues: &[usize],
    parts: &[(usize, NaiveDate, f64, f64)],
) -> Vec<MonthSoFar> {
    let next = month_of(inst.week_start + chrono::Days::new(7));
    if inst.month_of_day(6) != next {
        return Vec::new();
    }
    queues
        .iter()
        .map(|&q| {
            let mut m = inst
                .carry
                .month_so_far(q, next)
                .copied()
                .unwrap_or(MonthSoFar {
                    queue: q,
                    month: next,
                    contacts: 0.0,
                    in_time: 0.0,
                });
            for &(pq, month, contacts, in_time) in parts {
                if pq == q && month == next {
                    m.contacts += contacts;
                    m.in_time += in_time;
                }
            }
            m
        })
        .collect()
}

/// A month's contacts so far on one queue, and how many were answered
/// (or done) in time, for a contract counted per month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthSoFar {
    pub queue: usize,
    /// The month's first day.
    pub month: chrono::NaiveDate,
    pub contacts: f64,
    pub in_time: f64,
}

impl MonthSoFar {
    /// The share in time, 1 without contacts.
    pub fn sl(&self) -> f64 {
        if self.contacts > 0.0 {
            self.in_time / self.contacts
        } else {
            1.0
        }
    }
}

/// Deferred contacts left undone at a week's end, and their mean
/// handling time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backlog {
    pub queue: usize,
    pub contacts: f64,
    pub aht_s: f64,
}

impl Carry {
    /// What agent `a` carries into the week (nothing for a week alone).
    pub fn of(&self, a: usize) -> AgentCarry {
        self.agents.get(a).copied().unwrap_or_default()
    }

    /// Periods of rota `rota` agent `agent` took in the month beginning
    /// `month` before the week.
    pub fn on_call_so_far(&self, rota: usize, agent: usize, month: NaiveDate) -> u32 {
        self.on_call
            .iter()
            .filter(|c| c.rota == rota && c.agent == agent && c.month == month)
            .map(|c| c.periods)
            .sum()
    }

    /// What queue `q`'s month beginning `month` achieved before the week.
    pub fn month_so_far(&self, q: usize, month: chrono::NaiveDate) -> Option<&MonthSoFar> {
        self.months
            .iter()
            .find(|m| m.queue == q && m.month == month)
    }

    /// Whether the week follows weeks of the same horizon.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }
}

/// One agent's state at the week's start (see [`Carry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentCarry {
    /// Days worked in a row up to the Sunday before (0: off that Sunday).
    pub run: u32,
    /// Days off in a row up to the Sunday before (0: worked that Sunday);
    /// [`AgentCarry::SINCE_START`] where the stretch reaches back to the
    /// horizon's first day, whose edge is exempt.
    pub off_run: u32,
    /// When the agent's last shift before the week ended, minutes of real
    /// time after the week's start (negative); `None`: none in the horizon.
    pub last_end: Option<i64>,
    /// Paid minutes worked above what the hours bank's period so far
    /// owed (negative: owed), 0 at a period's start.
    pub banked_min: i64,
}

impl AgentCarry {
    /// A stretch of days off reaching back to the horizon's start: as long
    /// as any rule asks.
    pub const SINCE_START: u32 = u32::MAX;
}

impl Default for AgentCarry {
    /// Nothing known before the week: as a week alone.
    fn default() -> Self {
        AgentCarry {
            run: 0,
            off_run: AgentCarry::SINCE_START,
            last_end: None,
            banked_min: 0,
        }
    }
}

impl Instance {
    /// The contract hires into skill group `g` sign: its headcount
    /// policy's, else the group's most common (the first of those tied);
    /// `None` for a group with neither.
    pub fn hire_contract(&self, g: usize) -> Option<usize> {
        let named = self.centre.group_policy(g).and_then(|p| p.contract);
        let count = |k: usize| {
            self.agents
                .iter()
                .filter(|a| a.skill_group == g && a.contract == k)
                .count()
        };
        named.or_else(|| {
            (0..self.centre.contracts.len())
                .filter(|&k| count(k) > 0)
                .max_by_key(|&k| (count(k), usize::MAX - k))
        })
    }

    /// The overtime agent `a` may work this week: their skill group's
    /// (the headcount policy's `overtime`), beyond their contract's
    /// weekly maximum, where the contract takes any
    /// ([`Contract::takes_overtime`]).
    pub fn overtime_of(&self, a: usize) -> Option<Overtime> {
        let agent = &self.agents[a];
        if !self.centre.contracts[agent.contract].takes_overtime() {
            return None;
        }
        self.centre
            .group_policy(agent.skill_group)
            .and_then(|p| p.overtime)
            .filter(|o| o.max_min > 0)
    }

    /// What an hour of agent `a`'s overtime costs on top of its wage: their
    /// contract's hourly cost times their group's overtime premium
    /// ([`Instance::overtime_of`]); `None` where they work none.
    pub fn overtime_premium_per_hour(&self, a: usize) -> Option<f64> {
        let hourly = self.centre.contracts[self.agents[a].contract].hourly_cost;
        self.overtime_of(a).map(|o| hourly * o.premium)
    }

    /// The seven dates of the week, Monday first.
    pub fn dates(&self) -> [NaiveDate; 7] {
        std::array::from_fn(|i| self.week_start + chrono::Days::new(i as u64))
    }

    /// The hours bank's bounds on agent `a`'s paid minutes this week, for
    /// `can` days they can work of `workable`: what the period still owes
    /// after the minutes banked, less what its weeks left could absorb at
    /// the contract's weekly maximum, and more what they could give back
    /// at its minimum — the last week of a period owes exactly its
    /// balance. Within the contract's maximum; `None` without a bank or in
    /// a week planned alone (its contract's weekly bounds stand).
    pub fn bank_bounds(&self, a: usize, can: u32, workable: u32) -> Option<(u32, u32)> {
        let k = self.carry.week?;
        let contract = &self.centre.contracts[self.agents[a].contract];
        let bank = contract.hours_bank?;
        let owed = bank.due(can, workable) - self.carry.of(a).banked_min;
        let later = i64::from(bank.weeks_left(k) - 1);
        let (min, max, avg) = (
            i64::from(contract.weekly_min_min),
            i64::from(contract.weekly_max_min),
            i64::from(bank.average_min),
        );
        let lo = (owed - later * (max - avg)).clamp(0, max);
        let hi = (owed + later * (avg - min)).clamp(lo, max);
        Some((lo as u32, hi as u32))
    }

    /// The first day of the month day `day` (0 Monday) of the week is in.
    pub fn month_of_day(&self, day: usize) -> NaiveDate {
        month_of(self.week_start + chrono::Days::new(day as u64))
    }

    /// The number of day `day`'s month among the week's: 0 for the month
    /// the week begins in, 1 for the next.
    pub fn month_number(&self, day: usize) -> usize {
        usize::from(self.month_of_day(day) != self.month_of_day(0))
    }
}

/// The first day of `d`'s month.
pub fn month_of(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    d.with_day(1).expect("every month has a first day")
}

/// How many times a local time happens in `tz` that day: 0 in the hour
/// clocks skip, 2 in the hour they repeat, 1 otherwise.
pub fn occurrences(tz: Tz, local: NaiveDateTime) -> usize {
    use chrono::offset::LocalResult;
    use chrono::TimeZone;
    match tz.from_local_datetime(&local) {
        LocalResult::None => 0,
        LocalResult::Single(_) => 1,
        LocalResult::Ambiguous(..) => 2,
    }
}

/// Monday-first index of a weekday.
pub fn day_index(d: Weekday) -> usize {
    d.num_days_from_monday() as usize
}
