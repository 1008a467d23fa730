//! Shift options: every template × day × start of the week, with the
//! intervals it covers (in real time, so a shift over a clock change lasts
//! its true length), the break positions its windows allow, and the wall-
//! clock minutes that earn night or Sunday premiums.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::model::{Contract, Instance, ShiftTemplate, DAY_MIN};
use crate::requirements::Interval;

/// Real time across the week: interval `i` of the local grid starts `i ×
/// step` minutes after the week's first instant (the grid already drops
/// the skipped hour and repeats the doubled one).
#[derive(Debug, Clone)]
pub struct Clock {
    pub tz: Tz,
    pub step_min: u32,
    pub intervals: usize,
    pub start: DateTime<Utc>,
}

/// The week's first instant: Monday 00:00 on the centre's clock.
pub fn week_origin(inst: &Instance) -> DateTime<Utc> {
    origin_of(inst, inst.week_start)
}

/// Midnight starting `day` on `inst`'s centre clock (the earliest, where
/// the clocks repeat it; UTC's where they skip it).
pub fn origin_of(inst: &Instance, day: chrono::NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight");
    inst.centre
        .time_zone
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

impl Clock {
    pub fn new(inst: &Instance, grid: &[Interval]) -> Self {
        Clock {
            tz: inst.centre.time_zone,
            step_min: inst.centre.interval_min,
            intervals: grid.len(),
            start: week_origin(inst),
        }
    }

    /// Minutes from the week's start to local `minute` of `date` (the first
    /// occurrence when the hour repeats); `None` in a skipped hour.
    pub fn minute_of(&self, date: NaiveDate, minute: u32) -> Option<i64> {
        self.minute_in(self.tz, date, minute)
    }

    /// [`Clock::minute_of`] on the clock of `zone` (a site's): `date` and
    /// `minute` are that zone's.
    pub fn minute_in(&self, zone: Tz, date: NaiveDate, minute: u32) -> Option<i64> {
        let local = date.and_hms_opt(0, 0, 0)? + chrono::Duration::minutes(i64::from(minute));
        let t = zone.from_local_datetime(&local).earliest()?;
        Some((t.with_timezone(&Utc) - self.start).num_minutes())
    }

    /// Local weekday (Monday 0, relative to the week: 7 is next Monday) and
    /// minute of the day at `abs` minutes after the week's start.
    pub fn local(&self, abs: i64) -> (i64, u32) {
        self.local_in(self.tz, abs)
    }

    /// [`Clock::local`] on the clock of `zone`, the days counted from the
    /// week's first date in that zone.
    pub fn local_in(&self, zone: Tz, abs: i64) -> (i64, u32) {
        let t = self.at(zone, abs);
        let first = self.start.with_timezone(&self.tz).date_naive();
        let day = (t.date_naive() - first).num_days();
        (day, t.hour() * 60 + t.minute())
    }

    /// The time in `zone`, with its offset, at `abs` minutes after the
    /// week's start.
    pub fn at(&self, zone: Tz, abs: i64) -> DateTime<Tz> {
        (self.start + chrono::Duration::minutes(abs)).with_timezone(&zone)
    }

    /// The wall-clock time in `zone` at `abs` minutes after the week's
    /// start.
    pub fn naive_in(&self, zone: Tz, abs: i64) -> chrono::NaiveDateTime {
        self.at(zone, abs).naive_local()
    }

    /// Intervals overlapped by `[from, from + len)` absolute minutes, with
    /// the share of each interval covered; clipped to the week.
    pub fn cover(&self, from: i64, len: u32) -> Vec<(usize, f64)> {
        let step = i64::from(self.step_min);
        let to = from + i64::from(len);
        let first = from.max(0).div_euclid(step);
        let last = (to - 1).min(step * self.intervals as i64 - 1);
        if last < 0 || to <= 0 {
            return Vec::new();
        }
        let last = last.div_euclid(step);
        (first..=last)
            .filter_map(|i| {
                let (a, b) = (i * step, (i + 1) * step);
                let overlap = (to.min(b) - from.max(a)) as f64;
                (overlap > 0.0).then(|| (i as usize, overlap / step as f64))
            })
            .collect()
    }
}

/// Where one break of a shift may start.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakPosition {
    /// Minutes after the shift's start.
    pub offset_min: u32,
    pub cover: Vec<(usize, f64)>,
}

/// One template started on one day at one time.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftOption {
    pub template: usize,
    /// Monday-first day the shift starts, on its template's clock (the
    /// site's zone, else the centre's).
    pub day: usize,
    /// Minutes after midnight of the start day, on the template's clock.
    pub start_min: u32,
    /// Absolute minutes after the week's start.
    pub start_abs: i64,
    /// Intervals worked (before breaks) with the share of each.
    pub cover: Vec<(usize, f64)>,
    /// Per break of the template, its allowed positions.
    pub breaks: Vec<Vec<BreakPosition>>,
    /// Paid hours.
    pub paid_h: f64,
    /// Paid hours falling in night hours / on a Sunday, per contract (the
    /// night span is the contract's).
    pub night_h: Vec<f64>,
    pub sunday_h: f64,
}

impl ShiftOption {
    /// Wage cost of one agent on this option under `contract` (index `k`).
    pub fn cost(&self, contract: &Contract, k: usize) -> f64 {
        contract.hourly_cost
            * (self.paid_h
                + contract.night_premium * self.night_h[k]
                + contract.sunday_premium * self.sunday_h)
    }

    /// Start as local minutes since Monday 00:00 (for naming and ordering).
    pub fn label(&self, t: &ShiftTemplate) -> String {
        use super::passes::DAYS;
        format!(
            "{}_{}_{:02}{:02}",
            t.id,
            DAYS[self.day],
            self.start_min / 60,
            self.start_min % 60
        )
    }
}

/// Every shift option of the week, template-major, then day, then start.
/// A start in the hour the clocks skip does not exist and is left out.
pub fn shift_options(inst: &Instance, clock: &Clock) -> Vec<ShiftOption> {
    let c = &inst.centre;
    let dates = inst.dates();
    let mut out = Vec::new();
    for (ti, t) in c.shift_templates.iter().enumerate() {
        // A site's shifts start at its own hours, whatever the offsets.
        let zone = c.template_zone(t);
        for (day, date) in dates.iter().enumerate() {
            if !t.days[day] {
                continue;
            }
            for start_min in t.starts() {
                let Some(start_abs) = clock.minute_in(zone, *date, start_min) else {
                    continue;
                };
                let cover = clock.cover(start_abs, t.length_min);
                if cover.is_empty() {
                    continue;
                }
                let breaks = t
                    .breaks
                    .iter()
                    .map(|b| {
                        (b.earliest_start_min..=b.latest_start_min)
                            .step_by(c.interval_min as usize)
                            .map(|offset_min| BreakPosition {
                                offset_min,
                                cover: clock.cover(start_abs + i64::from(offset_min), b.length_min),
                            })
                            .collect()
                    })
                    .collect();
                let paid_share = f64::from(t.paid_min()) / f64::from(t.length_min);
                let mut night = vec![0u32; c.contracts.len()];
                let mut sunday = 0u32;
                // Nights and Sundays on the worker's clock.
                for m in 0..t.length_min {
                    let (d, minute) = clock.local_in(zone, start_abs + i64::from(m));
                    if d == 6 {
                        sunday += 1;
                    }
                    for (k, contract) in c.contracts.iter().enumerate() {
                        if contract.night_hours.len_min() > 0
                            && contract
                                .night_hours
                                .contains_minute_of_day(minute % DAY_MIN)
                        {
                            night[k] += 1;
                        }
                    }
                }
                out.push(ShiftOption {
                    template: ti,
                    day,
                    start_min,
                    start_abs,
                    cover,
                    breaks,
                    paid_h: f64::from(t.paid_min()) / 60.0,
                    night_h: night
                        .iter()
                        .map(|&n| f64::from(n) / 60.0 * paid_share)
                        .collect(),
                    sunday_h: f64::from(sunday) / 60.0 * paid_share,
                });
            }
        }
    }
    out
}

/// Whether agents of `contract` at `site` may work template `t`.
pub fn eligible(
    t: &ShiftTemplate,
    contract_idx: usize,
    contract: &Contract,
    site: Option<usize>,
) -> bool {
    (t.contracts.is_empty() || t.contracts.contains(&contract_idx))
        && (t.site.is_none() || site.is_none() || t.site == site)
        && t.paid_min() <= contract.max_day_min
}

/// The weekday of `date` counted from Monday.
pub fn weekday(date: NaiveDate) -> usize {
    date.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(step: u32, n: usize) -> Clock {
        Clock {
            tz: chrono_tz::Europe::Paris,
            step_min: step,
            intervals: n,
            start: Utc.with_ymd_and_hms(2003, 3, 2, 23, 0, 0).unwrap(),
        }
    }

    #[test]
    fn cover_splits_partial_intervals_and_clips_to_the_week() {
        let c = clock(30, 4);
        assert_eq!(c.cover(15, 30), vec![(0, 0.5), (1, 0.5)]);
        assert_eq!(c.cover(90, 60), vec![(3, 1.0)]);
        assert!(c.cover(120, 30).is_empty());
        assert_eq!(c.cover(-30, 45), vec![(0, 0.5)]);
    }

    #[test]
    fn local_time_follows_the_zone() {
        let c = clock(30, 336);
        assert_eq!(c.local(0), (0, 0));
        assert_eq!(c.local(6 * 1440 + 90), (6, 90));
        assert_eq!(
            c.minute_of(NaiveDate::from_ymd_opt(2003, 3, 4).unwrap(), 600),
            Some(1440 + 600)
        );
    }
}
