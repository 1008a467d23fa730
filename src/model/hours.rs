//! Weekly opening hours: for each weekday the spans of the day that are
//! open, in local minutes after midnight. A span that crosses midnight is
//! split onto the next day (Sunday night runs into Monday).

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// `minute` after midnight of `date` on clock `from`, read on clock `to`
/// (naive local time there). A local time the clocks skip is taken an hour
/// later, a repeated one at its first occurrence.
pub fn moved(from: Tz, to: Tz, date: NaiveDate, minute: u32) -> NaiveDateTime {
    let local =
        date.and_hms_opt(0, 0, 0).expect("midnight") + chrono::Duration::minutes(i64::from(minute));
    let instant = from
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            from.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .expect("an hour after a skipped time exists");
    instant.with_timezone(&to).naive_local()
}

/// A span of the day in minutes after midnight, `[start, end)`. `end` may
/// exceed 1440 for a span that crosses midnight (e.g. night hours
/// 22:00–06:00 are 1320..1800).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start_min: u32,
    pub end_min: u32,
}

impl Span {
    pub fn len_min(self) -> u32 {
        self.end_min - self.start_min
    }

    /// Whether a minute of the day (0..1440) falls in the span, counting a
    /// span past midnight as covering the small hours too.
    pub fn contains_minute_of_day(self, minute: u32) -> bool {
        let m = minute % super::DAY_MIN;
        (self.start_min..self.end_min).contains(&m)
            || (self.start_min..self.end_min).contains(&(m + super::DAY_MIN))
    }
}

/// Open spans per weekday, Monday first, sorted and merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekHours {
    days: [Vec<Span>; 7],
}

impl WeekHours {
    /// Open around the clock.
    pub fn always() -> Self {
        let mut w = Self::default();
        for d in 0..7 {
            w.add(
                d,
                Span {
                    start_min: 0,
                    end_min: super::DAY_MIN,
                },
            );
        }
        w
    }

    /// Opens `span` on weekday `day` (0 = Monday); the part past midnight
    /// goes onto the next day.
    pub fn add(&mut self, day: usize, span: Span) {
        let day_len = super::DAY_MIN;
        if span.end_min > day_len {
            self.add(
                day,
                Span {
                    start_min: span.start_min,
                    end_min: day_len,
                },
            );
            let rest = Span {
                start_min: 0,
                end_min: span.end_min - day_len,
            };
            self.add((day + 1) % 7, rest);
            return;
        }
        if span.end_min <= span.start_min {
            return;
        }
        let spans = &mut self.days[day];
        spans.push(span);
        spans.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans.drain(..) {
            match merged.last_mut() {
                Some(last) if s.start_min <= last.end_min => {
                    last.end_min = last.end_min.max(s.end_min);
                }
                _ => merged.push(s),
            }
        }
        *spans = merged;
    }

    /// Closes the whole of weekday `day`.
    pub fn close(&mut self, day: usize) {
        self.days[day].clear();
    }

    /// The open spans of weekday `day`.
    pub fn day(&self, day: usize) -> &[Span] {
        &self.days[day]
    }

    /// Whether `[minute, minute + len)` of weekday `day` is open at all.
    pub fn overlaps(&self, day: usize, minute: u32, len: u32) -> bool {
        self.days[day]
            .iter()
            .any(|s| s.start_min < minute + len && minute < s.end_min)
    }

    /// Open minutes in the week.
    pub fn open_minutes(&self) -> u32 {
        self.days.iter().flatten().map(|s| s.len_min()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_past_midnight_move_to_the_next_day() {
        let mut w = WeekHours::default();
        w.add(
            6,
            Span {
                start_min: 22 * 60,
                end_min: 26 * 60,
            },
        );
        assert_eq!(
            w.day(6),
            &[Span {
                start_min: 1320,
                end_min: 1440
            }]
        );
        assert_eq!(
            w.day(0),
            &[Span {
                start_min: 0,
                end_min: 120
            }]
        );
        assert_eq!(w.open_minutes(), 240);
        w.add(
            0,
            Span {
                start_min: 60,
                end_min: 300,
            },
        );
        assert_eq!(
            w.day(0),
            &[Span {
                start_min: 0,
                end_min: 300
            }]
        );
        assert!(w.overlaps(0, 290, 30));
        assert!(!w.overlaps(0, 300, 30));
    }
}
