//! Quantities with explicit units, as planners write them: durations
//! (`300s`, `4m`, `1.5h`) and shares (`80%` or `0.8`). Parsed in exact
//! decimal arithmetic so that `30%` is three tenths, not a binary
//! approximation of it.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use thiserror::Error;

/// Why a quantity could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitError {
    #[error("'{0}' has no unit: write it with s, m or h, e.g. '{0}s'")]
    MissingUnit(String),
    #[error("'{text}' has an unknown unit '{unit}': use s, m or h (e.g. 300s, 5m, 1.5h)")]
    UnknownUnit { text: String, unit: String },
    #[error("'{0}' is not a number")]
    NotANumber(String),
    #[error("'{0}' is negative: a duration is 0 or more")]
    NegativeDuration(String),
    #[error("'{0}' is longer than a year ({MAX_DURATION_H}h): no duration in a contact centre's week is")]
    TooLong(String),
    #[error("'{0}' is in exponent form: write a plain number with its unit, e.g. 300s, 5m, 1.5h")]
    Exponent(String),
    #[error("'{0}' is not a share: write a percentage such as 80% or a fraction such as 0.8")]
    NotAShare(String),
}

/// The longest duration read, in hours (a leap year): handle times,
/// deadlines, patience and spells are all far shorter, and the bound keeps
/// the arithmetic exact.
pub const MAX_DURATION_H: u32 = 366 * 24;

/// A duration in seconds from text with units: `s`, `m` (or `min`), `h`,
/// alone or combined from the largest unit down (`1h30m`, `2m30s`).
///
/// ```
/// use slaplan::units::duration_s;
/// assert_eq!(duration_s("300s"), Ok(300.0));
/// assert_eq!(duration_s("1.5h"), Ok(5400.0));
/// assert_eq!(duration_s("1h30m"), Ok(5400.0));
/// assert!(duration_s("20").is_err());
/// ```
pub fn duration_s(text: &str) -> Result<f64, UnitError> {
    let trimmed = text.trim();
    if let Some(rest) = trimmed.strip_prefix('-') {
        if duration_s(rest).is_ok_and(|v| v > 0.0) {
            return Err(UnitError::NegativeDuration(text.to_string()));
        }
    }
    // `1e9s` would otherwise read as 1 of unit "e".
    let b = trimmed.as_bytes();
    if (1..b.len().saturating_sub(1)).any(|k| {
        b[k - 1].is_ascii_digit()
            && matches!(b[k], b'e' | b'E')
            && (b[k + 1].is_ascii_digit() || matches!(b[k + 1], b'+' | b'-'))
    }) {
        return Err(UnitError::Exponent(text.to_string()));
    }
    let too_long = || UnitError::TooLong(text.to_string());
    let max = Decimal::from(MAX_DURATION_H) * Decimal::from(3600);
    let mut total = Decimal::ZERO;
    let mut rest = trimmed;
    let mut last_factor: Option<Decimal> = None;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let after = after.trim_start();
        let unit_len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let value = Decimal::from_str(number.trim())
            .map_err(|_| UnitError::NotANumber(text.to_string()))?;
        let factor = match unit.trim() {
            "" => return Err(UnitError::MissingUnit(text.to_string())),
            "s" => Decimal::ONE,
            "m" | "min" => Decimal::from(60),
            "h" => Decimal::from(3600),
            other => {
                return Err(UnitError::UnknownUnit {
                    text: text.to_string(),
                    unit: other.to_string(),
                })
            }
        };
        // Parts go from the largest unit down, each unit once: 1h30m.
        if last_factor.is_some_and(|f| factor >= f) {
            return Err(UnitError::UnknownUnit {
                text: text.to_string(),
                unit: unit.to_string(),
            });
        }
        last_factor = Some(factor);
        total = value
            .checked_mul(factor)
            .and_then(|v| total.checked_add(v))
            .filter(|t| *t <= max)
            .ok_or_else(too_long)?;
        rest = next.trim_start();
    }
    if last_factor.is_none() {
        return Err(UnitError::NotANumber(text.to_string()));
    }
    total
        .to_f64()
        .ok_or_else(|| UnitError::NotANumber(text.to_string()))
}

/// A share from `80%`, `12.5%` or `0.8`, exactly. The range is the
/// caller's to check: a share of 1.2 parses.
///
/// ```
/// use rust_decimal::Decimal;
/// use slaplan::units::share;
/// assert_eq!(share("30%"), Ok(Decimal::new(3, 1)));
/// assert_eq!(share("0.3"), Ok(Decimal::new(3, 1)));
/// ```
pub fn share(text: &str) -> Result<Decimal, UnitError> {
    let trimmed = text.trim();
    let (number, scale) = match trimmed.strip_suffix('%') {
        Some(n) => (n.trim(), Decimal::ONE_HUNDRED),
        None => (trimmed, Decimal::ONE),
    };
    let value = Decimal::from_str(number).map_err(|_| UnitError::NotAShare(text.to_string()))?;
    Ok((value / scale).normalize())
}

#[cfg(test)]
mod tests {
    /// Issue 24's panics: a duration past the decimal range overflowed
    /// (exit 101); now every over-long one is refused in words.
    #[test]
    fn over_long_and_exponent_durations_are_refused_not_panicking() {
        use super::*;
        for text in [
            "99999999999999999999999999h",
            "79228162514264337593543950335s",
            "8785h",
            "1h99999999999999999999999m",
        ] {
            assert_eq!(
                duration_s(text),
                Err(UnitError::TooLong(text.into())),
                "{text}"
            );
        }
        assert_eq!(duration_s("8784h"), Ok(8784.0 * 3600.0));
        assert_eq!(duration_s("1e9s"), Err(UnitError::Exponent("1e9s".into())));
        assert_eq!(
            duration_s("2E+3m"),
            Err(UnitError::Exponent("2E+3m".into()))
        );
        assert!(duration_s("-5s")
            .unwrap_err()
            .to_string()
            .contains("0 or more"));
    }

    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_s("240s"), Ok(240.0));
        assert_eq!(duration_s("5m"), Ok(300.0));
        assert_eq!(duration_s(" 2 min "), Ok(120.0));
        assert_eq!(duration_s("0s"), Ok(0.0));
        assert!(matches!(
            duration_s("-5s"),
            Err(UnitError::NegativeDuration(_))
        ));
        assert!(matches!(
            duration_s("5d"),
            Err(UnitError::UnknownUnit { .. })
        ));
        assert!(matches!(duration_s("20"), Err(UnitError::MissingUnit(_))));
        assert!(matches!(duration_s("abc"), Err(UnitError::NotANumber(_))));
        assert!(matches!(duration_s("s"), Err(UnitError::NotANumber(_))));
        assert_eq!(duration_s("1h30m"), Ok(5400.0));
        assert_eq!(duration_s("2m30s"), Ok(150.0));
        assert!(duration_s("30m1h").is_err());
        assert!(duration_s("").is_err());
    }

    #[test]
    fn shares() {
        assert_eq!(share("80%"), Ok(Decimal::new(8, 1)));
        assert_eq!(share("0.8"), Ok(Decimal::new(8, 1)));
        assert_eq!(share("12.5%"), Ok(Decimal::new(125, 3)));
        assert!(share("eighty").is_err());
        assert!(share("%").is_err());
    }
}
