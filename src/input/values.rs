//! Field values with units and calendars, read at a field path so that
//! every problem is located: durations, shares, times of day and ranges,
//! weekday specs, dates and time zones.

use chrono::{NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::wire::Scalar;
use super::{Code, Ctx};
use crate::model::{Span, DAY_MIN};
use crate::units;

impl Ctx<'_> {
    /// A duration in seconds (`300s`, `5m`, `1.5h`).
    pub fn duration_s(&mut self, path: &str, v: &Scalar) -> Option<f64> {
        match units::duration_s(&v.0) {
            Ok(s) => Some(s),
            Err(e) => {
                self.at(
                    Code::BadDuration,
                    path,
                    e.to_string(),
                    "write a duration with its unit: 300s, 5m, 1.5h",
                );
                None
            }
        }
    }

    /// A duration > 0 in seconds.
    pub fn positive_s(&mut self, path: &str, v: &Scalar) -> Option<f64> {
        let s = self.duration_s(path, v)?;
        if s > 0.0 {
            Some(s)
        } else {
            self.at(
                Code::OutOfRange,
                path,
                format!("'{}' must be longer than zero", v.0),
                "give a positive duration",
            );
            None
        }
    }

    /// A whole number of minutes (`30m`, `8h`, `90m`).
    pub fn minutes(&mut self, path: &str, v: &Scalar) -> Option<u32> {
        let s = self.duration_s(path, v)?;
        let m = s / 60.0;
        if m.fract().abs() > 1e-9 || m > f64::from(u32::MAX) {
            self.at(
                Code::BadDuration,
                path,
                format!("'{}' is not a whole number of minutes", v.0),
                "give whole minutes: 30m, 1h, 90m",
            );
            return None;
        }
        Some(m.round() as u32)
    }

    /// A share in exact decimals (`80%`, `0.8`), within `[lo, hi]`.
    pub fn share(&mut self, path: &str, v: &Scalar, lo: Decimal, hi: Decimal) -> Option<Decimal> {
        match units::share(&v.0) {
            Ok(d) if d >= lo && d <= hi => Some(d),
            Ok(_) => {
                self.at(
                    Code::OutOfRange,
                    path,
                    format!(
                        "'{}' is outside {}..{}",
                        v.0,
                        lo.normalize(),
                        hi.normalize()
                    ),
                    format!(
                        "give a share from {} to {} (e.g. 80% or 0.8)",
                        lo.normalize(),
                        hi.normalize()
                    ),
                );
                None
            }
            Err(e) => {
                self.at(
                    Code::BadShare,
                    path,
                    e.to_string(),
                    "write a percentage (80%) or a fraction (0.8)",
                );
                None
            }
        }
    }

    /// A share as f64, within `[lo, hi]`.
    pub fn share_f64(&mut self, path: &str, v: &Scalar, lo: Decimal, hi: Decimal) -> Option<f64> {
        self.share(path, v, lo, hi).and_then(|d| d.to_f64())
    }

    /// A number within `[lo, hi]`.
    pub fn number(&mut self, path: &str, v: f64, lo: f64, hi: f64) -> Option<f64> {
        if v.is_finite() && v >= lo && v <= hi {
            Some(v)
        } else {
            self.at(
                Code::OutOfRange,
                path,
                format!("{v} is outside {lo}..{hi}"),
                format!("give a number from {lo} to {hi}"),
            );
            None
        }
    }

    /// A time of day `HH:MM` as minutes after midnight; `24:00` is 1440.
    pub fn time_of_day(&mut self, path: &str, text: &str) -> Option<u32> {
        let t = text.trim();
        if t == "24:00" {
            return Some(DAY_MIN);
        }
        match NaiveTime::parse_from_str(t, "%H:%M") {
            Ok(time) => Some(time.hour() * 60 + time.minute()),
            Err(_) => {
                self.at(
                    Code::BadTime,
                    path,
                    format!("'{t}' is not a time of day"),
                    "write HH:MM, e.g. 08:30 (24:00 for midnight at the end of a day)",
                );
                None
            }
        }
    }

    /// `HH:MM-HH:MM`; an end at or before the start crosses midnight.
    pub fn time_span(&mut self, path: &str, text: &str) -> Option<Span> {
        let Some((a, b)) = text.split_once('-') else {
            self.at(
                Code::BadTime,
                path,
                format!("'{text}' is not a time range"),
                "write HH:MM-HH:MM, e.g. 08:00-20:00",
            );
            return None;
        };
        let start = self.time_of_day(path, a)?;
        let end = self.time_of_day(path, b)?;
        if start >= DAY_MIN {
            self.at(
                Code::BadTime,
                path,
                format!("'{text}' starts at 24:00"),
                "start at 00:00 of the next day instead",
            );
            return None;
        }
        let end = if end <= start { end + DAY_MIN } else { end };
        Some(Span {
            start_min: start,
            end_min: end,
        })
    }

    /// Weekdays from `mon`, `mon-fri`, `sat,sun`, `all`, or `weekdays`.
    pub fn weekdays(&mut self, path: &str, text: &str) -> Option<[bool; 7]> {
        let mut days = [false; 7];
        for part in text.split(',') {
            let part = part.trim().to_ascii_lowercase();
            match part.as_str() {
                "all" | "daily" => days = [true; 7],
                "weekdays" => days[..5].iter_mut().for_each(|d| *d = true),
                "weekend" => days[5..].iter_mut().for_each(|d| *d = true),
                _ => {
                    let (a, b) = part.split_once('-').unwrap_or((&part, &part));
                    match (day_of(a), day_of(b)) {
                        (Some(a), Some(b)) => {
                            let mut d = a;
                            loop {
                                days[d] = true;
                                if d == b {
                                    break;
                                }
                                d = (d + 1) % 7;
                            }
                        }
                        _ => {
                            self.at(
                                Code::BadWeekday,
                                path,
                                format!("'{part}' is not a weekday or range of weekdays"),
                                "use mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or all",
                            );
                            return None;
                        }
                    }
                }
            }
        }
        Some(days)
    }

    /// An ISO date.
    pub fn date(&mut self, path: &str, text: &str) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.at(
                    Code::BadDate,
                    path,
                    format!("'{text}' is not a date"),
                    "write dates as YYYY-MM-DD",
                );
                None
            }
        }
    }

    /// An IANA time zone name.
    pub fn time_zone(&mut self, path: &str, text: &str) -> Option<Tz> {
        match text.trim().parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.at(
                    Code::BadTimeZone,
                    path,
                    format!("'{text}' is not an IANA time zone"),
                    "use a name such as Europe/Paris, America/New_York or Asia/Tokyo",
                );
                None
            }
        }
    }
}

/// Monday-first index of a three-letter (or full) day name.
pub fn day_of(text: &str) -> Option<usize> {
    let t = text.trim().to_ascii_lowercase();
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    names
        .iter()
        .position(|n| t == *n || (t.len() > 3 && t.starts_with(n)))
}
