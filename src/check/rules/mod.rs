//! The checker's rules, one file per family: the shift against its
//! template ([`shifts`]), the contract's week ([`contract_week`]),
//! strikes ([`strikes`]), pins and forbidden successions ([`wishes`]), the
//! allocation and the SLAs recomputed ([`service`]); and the counts that
//! are measures, not rules ([`fairness`]). Every rule is a [`Rule`]: the
//! docs and the tests list them from the enum.

pub mod contract_week;
pub mod fairness;
pub mod on_call;
pub mod service;
pub mod shifts;
pub mod strikes;
pub mod visits;
pub mod wishes;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::centre::Row;
use super::Violation;
use crate::model::{Instance, ShiftTemplate};

/// A rule the checker verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A shift on a day its template does not run.
    TemplateDay,
    /// A shift starting at a time its template does not offer.
    TemplateStart,
    /// A shift longer or shorter than its template.
    ShiftLength,
    /// A template the agent's contract (or site) does not allow.
    Contract,
    /// A shift overlapping the agent's unavailability.
    Availability,
    /// Breaks missing, outside their windows, of the wrong length or overlapping.
    Breaks,
    /// An agent (or a skill group's allocation) serving a queue outside its skills.
    Skills,
    /// Two shifts starting the same day.
    OneShiftPerDay,
    /// Less rest between two shifts than the contract asks.
    MinRest,
    /// More paid hours in a day than the contract allows.
    MaxDayHours,
    /// More paid hours in the week than the contract allows.
    WeeklyHoursMax,
    /// Fewer paid hours than the contract's minimum (pro rata for absences and strikes).
    WeeklyHoursMin,
    /// More working days than the contract allows.
    MaxDays,
    /// More working days in a row than the contract allows.
    MaxConsecutiveDays,
    /// Fewer days off in a row than the contract asks (inside the week).
    MinConsecutiveDaysOff,
    /// A weekend worked beyond the contract's.
    MaxWeekends,
    /// No rest as long as the contract's weekly rest when the week is worked at both ends.
    WeeklyRest,
    /// More agents of a group working on a strike day than the strike leaves.
    Strike,
    /// A pinned shift or day off not as pinned.
    Pin,
    /// A shift the model forbids the day after another.
    ForbiddenSuccession,
    /// Contacts sent to an outsourcer for a queue it does not serve.
    OutsourcerQueue,
    /// More agents allocated to the queues than the roster has present.
    Coverage,
    /// A contractual, unpriced SLA below target in its worst period, recomputed (counting a verified plan's calibration).
    Sla,
    /// An on-call period with fewer agents on call than its rota asks (or a duty that is no period of the rota).
    OnCallCover,
    /// An agent on call for a rota of another skill group.
    OnCallSkills,
    /// A shift during an on-call duty, or before the rest owed after a call-out at its end has passed (the roster taken to repeat weekly).
    OnCallRest,
    /// More periods of a rota for one agent in the week, or the month, than it allows.
    OnCallLimit,
    /// A call-out (`--call-outs`) off the agent's duty, or followed by a shift before the rest owed after it has passed.
    CallOutRest,
    /// A field-visit block (`visits.csv`) outside its engineer's shifts, in a shift not serving its queue, too short for the drives, or overlapping another.
    VisitBlock,
    /// (Curtois–Qu) a shift on an employee's day off.
    DayOff,
    /// (Curtois–Qu) a shift the benchmark forbids after another.
    Succession,
    /// (Curtois–Qu) more shifts of a type than allowed.
    MaxShifts,
    /// (Curtois–Qu) total minutes outside the employee's bounds.
    TotalMinutes,
    /// (Curtois–Qu) more working days in a row than allowed.
    MaxConsecutive,
    /// (Curtois–Qu) fewer working days in a row than required.
    MinConsecutive,
    /// (Curtois–Qu) fewer days off in a row than required.
    MinDaysOff,
}

impl Rule {
    /// Every rule of a centre's roster, in the order they are checked.
    pub const CENTRE: [Rule; 23] = [
        Rule::TemplateDay,
        Rule::TemplateStart,
        Rule::ShiftLength,
        Rule::Contract,
        Rule::Availability,
        Rule::Breaks,
        Rule::Skills,
        Rule::OneShiftPerDay,
        Rule::MinRest,
        Rule::MaxDayHours,
        Rule::WeeklyHoursMax,
        Rule::WeeklyHoursMin,
        Rule::MaxDays,
        Rule::MaxConsecutiveDays,
        Rule::MinConsecutiveDaysOff,
        Rule::MaxWeekends,
        Rule::WeeklyRest,
        Rule::Strike,
        Rule::Pin,
        Rule::ForbiddenSuccession,
        Rule::OutsourcerQueue,
        Rule::Coverage,
        Rule::Sla,
    ];
    /// The rules of the on-call rota (`on_call.csv`) and its call-outs.
    pub const ON_CALL: [Rule; 5] = [
        Rule::OnCallCover,
        Rule::OnCallSkills,
        Rule::OnCallRest,
        Rule::OnCallLimit,
        Rule::CallOutRest,
    ];
    /// The rules of the field-visit blocks (`visits.csv`).
    pub const VISITS: [Rule; 1] = [Rule::VisitBlock];
    /// Every hard rule of a Curtois–Qu benchmark roster (with
    /// [`Rule::MaxWeekends`], which centres share).
    pub const CURTOIS: [Rule; 8] = [
        Rule::DayOff,
        Rule::Succession,
        Rule::MaxShifts,
        Rule::TotalMinutes,
        Rule::MaxConsecutive,
        Rule::MinConsecutive,
        Rule::MinDaysOff,
        Rule::MaxWeekends,
    ];

    /// The name in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::TemplateDay => "template_day",
            Rule::TemplateStart => "template_start",
            Rule::ShiftLength => "shift_length",
            Rule::Contract => "contract",
            Rule::Availability => "availability",
            Rule::Breaks => "breaks",
            Rule::Skills => "skills",
            Rule::OneShiftPerDay => "one_shift_per_day",
            Rule::MinRest => "min_rest",
            Rule::MaxDayHours => "max_day_hours",
            Rule::WeeklyHoursMax => "weekly_hours_max",
            Rule::WeeklyHoursMin => "weekly_hours_min",
            Rule::MaxDays => "max_days",
            Rule::MaxConsecutiveDays => "max_consecutive_days",
            Rule::MinConsecutiveDaysOff => "min_consecutive_days_off",
            Rule::MaxWeekends => "max_weekends",
            Rule::WeeklyRest => "weekly_rest",
            Rule::Strike => "strike",
            Rule::Pin => "pin",
            Rule::ForbiddenSuccession => "forbidden_succession",
            Rule::OutsourcerQueue => "outsourcer_queue",
            Rule::Coverage => "coverage",
            Rule::Sla => "sla",
            Rule::OnCallCover => "on_call_cover",
            Rule::OnCallSkills => "on_call_skills",
            Rule::OnCallRest => "on_call_rest",
            Rule::OnCallLimit => "on_call_limit",
            Rule::CallOutRest => "call_out_rest",
            Rule::VisitBlock => "visit_block",
            Rule::DayOff => "day_off",
            Rule::Succession => "succession",
            Rule::MaxShifts => "max_shifts",
            Rule::TotalMinutes => "total_minutes",
            Rule::MaxConsecutive => "max_consecutive",
            Rule::MinConsecutive => "min_consecutive",
            Rule::MinDaysOff => "min_days_off",
        }
    }

    /// The file of `check/rules/` (or `check/curtois.rs`) that checks it.
    pub fn family(self) -> &'static str {
        match self {
            Rule::TemplateDay => "shifts",
            Rule::TemplateStart => "shifts",
            Rule::ShiftLength => "shifts",
            Rule::Contract => "shifts",
            Rule::Availability => "shifts",
            Rule::Breaks => "shifts",
            Rule::Skills => "shifts",
            Rule::OneShiftPerDay => "contract_week",
            Rule::MinRest => "contract_week",
            Rule::MaxDayHours => "contract_week",
            Rule::WeeklyHoursMax => "contract_week",
            Rule::WeeklyHoursMin => "contract_week",
            Rule::MaxDays => "contract_week",
            Rule::MaxConsecutiveDays => "contract_week",
            Rule::MinConsecutiveDaysOff => "contract_week",
            Rule::MaxWeekends => "contract_week",
            Rule::WeeklyRest => "contract_week",
            Rule::Strike => "strikes",
            Rule::Pin => "wishes",
            Rule::ForbiddenSuccession => "wishes",
            Rule::OutsourcerQueue => "service",
            Rule::Coverage => "service",
            Rule::Sla => "service",
            Rule::DayOff => "curtois",
            Rule::Succession => "curtois",
            Rule::OnCallCover => "on_call",
            Rule::OnCallSkills => "on_call",
            Rule::OnCallRest => "on_call",
            Rule::OnCallLimit => "on_call",
            Rule::CallOutRest => "on_call",
            Rule::VisitBlock => "visits",
            Rule::MaxShifts => "curtois",
            Rule::TotalMinutes => "curtois",
            Rule::MaxConsecutive => "curtois",
            Rule::MinConsecutive => "curtois",
            Rule::MinDaysOff => "curtois",
        }
    }

    /// What breaks it, in a planner's words.
    pub fn description(self) -> &'static str {
        match self {
            Rule::TemplateDay => "a shift on a day its template does not run",
            Rule::TemplateStart => "a shift starting at a time its template does not offer",
            Rule::ShiftLength => "a shift longer or shorter than its template",
            Rule::Contract => "a template the agent's contract (or site) does not allow",
            Rule::Availability => "a shift overlapping the agent's unavailability",
            Rule::Breaks => {
                "breaks missing, outside their windows, of the wrong length or overlapping"
            }
            Rule::Skills => {
                "an agent (or a skill group's allocation) serving a queue outside its skills"
            }
            Rule::OneShiftPerDay => "two shifts starting the same day",
            Rule::MinRest => "less rest between two shifts than the contract asks",
            Rule::MaxDayHours => "more paid hours in a day than the contract allows",
            Rule::WeeklyHoursMax => "more paid hours in the week than the contract allows",
            Rule::WeeklyHoursMin => {
                "fewer paid hours than the contract's minimum (pro rata for absences and strikes)"
            }
            Rule::MaxDays => "more working days than the contract allows",
            Rule::MaxConsecutiveDays => "more working days in a row than the contract allows",
            Rule::MinConsecutiveDaysOff => {
                "fewer days off in a row than the contract asks (inside the week, and from the week before in a horizon)"
            }
            Rule::MaxWeekends => "a weekend worked beyond the contract's",
            Rule::WeeklyRest => {
                "no rest as long as the contract's weekly rest when the week is worked at both ends"
            }
            Rule::Strike => "more agents of a group working on a strike day than the strike leaves",
            Rule::Pin => "a pinned shift or day off not as pinned",
            Rule::ForbiddenSuccession => "a shift the model forbids the day after another",
            Rule::OutsourcerQueue => "contacts sent to an outsourcer for a queue it does not serve",
            Rule::Coverage => "more agents allocated to the queues than the roster has present",
            Rule::Sla => "a contractual, unpriced SLA below target in its worst period, recomputed (counting the calibration a verified plan writes in `allocation.csv`)",
            Rule::OnCallCover => "an on-call period with fewer agents on call than its rota asks (or a duty that is no period of the rota)",
            Rule::OnCallSkills => "an agent on call for a rota of another skill group",
            Rule::OnCallRest => "a shift during an on-call duty, or before the rest owed after a call-out at its end has passed (the roster taken to repeat weekly)",
            Rule::OnCallLimit => "more periods of a rota for one agent in the week, or the month, than it allows",
            Rule::CallOutRest => "a call-out (`--call-outs`) off the agent's duty, or followed by a shift before the rest owed after it has passed",
            Rule::VisitBlock => "a field-visit block (`visits.csv`) outside its engineer's shifts, in a shift not serving its queue, no longer than the drives, or overlapping another",
            Rule::DayOff => "(Curtois–Qu) a shift on an employee's day off",
            Rule::Succession => "(Curtois–Qu) a shift the benchmark forbids after another",
            Rule::MaxShifts => "(Curtois–Qu) more shifts of a type than allowed",
            Rule::TotalMinutes => "(Curtois–Qu) total minutes outside the employee's bounds",
            Rule::MaxConsecutive => "(Curtois–Qu) more working days in a row than allowed",
            Rule::MinConsecutive => "(Curtois–Qu) fewer working days in a row than required",
            Rule::MinDaysOff => "(Curtois–Qu) fewer days off in a row than required",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The roster's week as the rules read it: the instance, the rows placed in
/// time, the dates and the week's first instant.
pub struct Week<'a> {
    pub inst: &'a Instance,
    pub rows: &'a [Row],
    pub dates: [NaiveDate; 7],
    origin: DateTime<Utc>,
}

impl<'a> Week<'a> {
    pub fn new(inst: &'a Instance, rows: &'a [Row]) -> Week<'a> {
        Week {
            inst,
            rows,
            dates: inst.dates(),
            origin: crate::files::roster::week_start(inst),
        }
    }

    /// Minutes of real time after the week's start at wall-clock `local`
    /// in `zone` (a time the clocks skip is read an hour later).
    pub fn real(&self, zone: chrono_tz::Tz, local: NaiveDateTime) -> i64 {
        let at = zone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                zone.from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .expect("an hour after a skipped time exists");
        (at.with_timezone(&Utc) - self.origin).num_minutes()
    }

    /// Local time at `m` minutes of real time after the week's start.
    pub fn local(&self, m: i64) -> NaiveDateTime {
        self.local_in(self.inst.centre.time_zone, m)
    }

    /// Wall-clock time in `zone` at `m` minutes after the week's start.
    pub fn local_in(&self, zone: chrono_tz::Tz, m: i64) -> NaiveDateTime {
        (self.origin + Duration::minutes(m))
            .with_timezone(&zone)
            .naive_local()
    }

    /// The row's start in minutes after its day's midnight, on its
    /// template's clock (the site's zone for a site's template).
    pub fn start_minute(&self, r: &Row) -> i64 {
        let c = &self.inst.centre;
        let zone = c.template_zone(&c.shift_templates[r.template]);
        (self.local_in(zone, r.start) - self.dates[r.day].and_hms_opt(0, 0, 0).expect("midnight"))
            .num_minutes()
    }
}

/// The violations found, each with its date.
pub struct Found<'a> {
    dates: &'a [NaiveDate],
    pub list: Vec<Violation>,
}

impl<'a> Found<'a> {
    pub fn new(dates: &'a [NaiveDate]) -> Found<'a> {
        Found {
            dates,
            list: Vec::new(),
        }
    }

    /// Records that `who` broke `rule` (on `day`, when it is about one).
    pub fn flag(&mut self, who: &str, day: Option<usize>, rule: Rule, detail: String) {
        self.list.push(Violation {
            who: who.into(),
            day: day.map(|d| self.dates[d].to_string()),
            rule,
            detail,
        });
    }
}

/// Whether `t` may be worked by contract `k` at `site`.
pub(crate) fn eligible(inst: &Instance, t: &ShiftTemplate, k: usize, site: Option<usize>) -> bool {
    (t.contracts.is_empty() || t.contracts.contains(&k))
        && (t.site.is_none() || site.is_none() || t.site == site)
        && t.paid_min() <= inst.centre.contracts[k].max_day_min
}

/// Agent-days the week's strikes leave agent `a`'s peers (same skill
/// group, contract and site), and those they could work without strikes:
/// per day, those who could work less the striking share, rounded up.
pub(crate) fn strike_left(inst: &Instance, a: usize) -> (u64, u64) {
    let me = &inst.agents[a];
    let dates = inst.dates();
    let peers: Vec<usize> = (0..inst.agents.len())
        .filter(|&b| {
            let x = &inst.agents[b];
            (x.skill_group, x.contract, x.site) == (me.skill_group, me.contract, me.site)
        })
        .collect();
    (0..7).fold((0, 0), |(kept, could), d| {
        let can = peers.iter().filter(|&&b| could_work(inst, b, d)).count() as u64;
        let share = inst
            .strikes
            .iter()
            .filter(|s| s.skill_group == me.skill_group && s.dates.contains(&dates[d]))
            .map(|s| s.share)
            .fold(0.0_f64, f64::max);
        let out = ((can as f64 * share) - 1e-9).ceil().max(0.0) as u64;
        (kept + can - out.min(can), could + can)
    })
}

/// Whether agent `a` could start some shift on day `d` (a template of
/// theirs runs then and some start leaves them free).
pub(crate) fn could_work(inst: &Instance, a: usize, d: usize) -> bool {
    let agent = &inst.agents[a];
    let date = inst.dates()[d];
    let c = &inst.centre;
    // Absences are written on the agent's clock, starts on the template's.
    let own = c.zone(agent.site);
    c.shift_templates.iter().any(|t| {
        eligible(inst, t, agent.contract, agent.site)
            && t.days[d]
            && t.starts().any(|s| {
                let at =
                    date.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(i64::from(s));
                let Some(start) = c.template_zone(t).from_local_datetime(&at).single() else {
                    return false;
                };
                let from = start.with_timezone(&own).naive_local();
                let to = from + Duration::minutes(i64::from(t.length_min));
                // In a horizon's later week, no start within the rest owed
                // after the week before's last shift.
                let rested = inst.carry.of(a).last_end.is_none_or(|end| {
                    let origin = crate::files::roster::week_start(inst);
                    let at = (start.with_timezone(&Utc) - origin).num_minutes();
                    at >= end + i64::from(c.contracts[agent.contract].min_rest_min)
                });
                rested
                    && agent
                        .unavailable
                        .iter()
                        .all(|(x, y)| *y <= from || to <= *x)
            })
    })
}

/// Stretches of equal days: `(working, first day, length)`.
pub(crate) fn runs(days: &[bool; 7]) -> Vec<(bool, usize, usize)> {
    let mut out: Vec<(bool, usize, usize)> = Vec::new();
    for (d, &x) in days.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.0 == x => last.2 += 1,
            _ => out.push((x, d, 1)),
        }
    }
    out
}
