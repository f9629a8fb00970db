//! The shared layer below the pillars: instants, calendar arithmetic and percentages that the rollout
//! gate, the anomaly detectors, the budgets and the SLO reports all use. Instants are whole Unix seconds
//! written as RFC 3339 UTC (`2025-06-02T00:00:00Z`); traffic, error and availability percentages have at
//! most two decimals, kept as whole hundredths so that rates compare with integer arithmetic (gating
//! policy §2). `rollout::{Timestamp, Pct}` are the same types, re-exported.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant in whole seconds since the Unix epoch, read and written as RFC 3339 UTC with `Z`.
///
/// The core has no clock: every `now` is a `Timestamp` the caller passes in.
///
/// # Example
/// ```
/// use scaleplan::rollout::Timestamp;
/// let t = Timestamp::parse("2025-06-02T00:05:00Z").unwrap();
/// assert_eq!(t.unix(), 1_748_822_700);
/// assert_eq!(t.plus(3600).to_string(), "2025-06-02T01:05:00Z");
/// assert!(Timestamp::parse("2025-06-02 00:05:00").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// The earliest instant written with a four-digit year (0000-01-01T00:00:00Z).
const MIN_UNIX: i64 = -62_167_219_200;
/// The latest instant written with a four-digit year (9999-12-31T23:59:59Z).
const MAX_UNIX: i64 = 253_402_300_799;

impl Timestamp {
    /// The instant `secs` seconds after the Unix epoch, clamped to years 0000..=9999.
    pub const fn from_unix(secs: i64) -> Self {
        Timestamp(if secs < MIN_UNIX {
            MIN_UNIX
        } else if secs > MAX_UNIX {
            MAX_UNIX
        } else {
            secs
        })
    }

    /// The instant `secs` seconds after the epoch, from a float (numbers, dates and ISO strings reach
    /// the bindings as epoch seconds): whole seconds within years 0000..=9999 (a part of a second under
    /// a microsecond is binary noise and dropped).
    ///
    /// # Errors
    /// `invalid_timestamps` naming `field` for NaN, an infinity, a fraction of a second or a year
    /// outside 0000..=9999.
    ///
    /// # Example
    /// ```
    /// use scaleplan::rollout::Timestamp;
    /// assert_eq!(Timestamp::from_unix_f64("t", 3600.0)?.to_string(), "1970-01-01T01:00:00Z");
    /// assert_eq!(Timestamp::from_unix_f64("t", 0.5).unwrap_err().code(), "invalid_timestamps");
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    pub fn from_unix_f64(field: &str, secs: f64) -> crate::Result<Self> {
        let r = secs.round();
        let why = if !secs.is_finite() {
            Some(format!("{secs} is not a time"))
        } else if (secs - r).abs() > 1e-6 {
            Some(format!("{secs} s is not a whole second"))
        } else if r < MIN_UNIX as f64 || r > MAX_UNIX as f64 {
            Some(format!("{secs} s is outside the years 0000 to 9999"))
        } else {
            None
        };
        match why {
            Some(reason) => Err(crate::Error::InvalidTimestamps {
                field: field.to_string(),
                reason,
            }),
            None => Ok(Timestamp(r as i64)),
        }
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// `self + secs`, clamped to the representable years.
    pub const fn plus(self, secs: i64) -> Self {
        Timestamp::from_unix(self.0.saturating_add(secs))
    }

    /// Seconds from `earlier` to `self` (negative if `earlier` is later).
    pub const fn since(self, earlier: Timestamp) -> i64 {
        self.0 - earlier.0
    }

    /// [`Timestamp::parse`] for an argument named `field`: the bindings' one way to read a time.
    ///
    /// # Errors
    /// `invalid_replay` naming `field` and showing the expected form.
    pub fn parse_field(field: &str, s: &str) -> crate::Result<Self> {
        Timestamp::parse(s).ok_or_else(|| crate::Error::InvalidReplay {
            field: field.to_string(),
            message: format!(
                "expected an RFC 3339 UTC time such as \"2025-06-02T00:00:00Z\" (a fraction of a second is dropped), got \"{s}\""
            ),
        })
    }

    /// Reads `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC), also with a fraction of a second
    /// (`2025-06-02T00:05:00.123Z`, as JavaScript's `Date.prototype.toISOString` writes it), which is
    /// dropped: instants are whole seconds, floored. Anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let fraction_ok = match b.len() {
            20 => true,
            n if n >= 22 => b[19] == b'.' && b[20..n - 1].iter().all(u8::is_ascii_digit),
            _ => false,
        };
        if !fraction_ok
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[b.len() - 1] != b'Z'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let mut v = 0i64;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i64::from(c - b'0');
            }
            Some(v)
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&m)
            || d < 1
            || d > days_in_month(y, m)
            || hh > 23
            || mm > 59
            || ss > 59
        {
            return None;
        }
        Some(Timestamp(
            days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss,
        ))
    }
}

pub(crate) fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date
/// Algorithms").
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected an RFC 3339 UTC time such as \"2025-06-02T00:00:00Z\" (a fraction of a second is dropped), got \"{s}\""
            ))
        })
    }
}

/// A percentage with at most two decimals (`10`, `12.5`, `0.25`), held as whole hundredths of a percent
/// so that thresholds compare exactly: `rate >= 2 %` is `100 * 100 * errors >= 200 * requests`.
///
/// # Example
/// ```
/// use scaleplan::rollout::Pct;
/// let p = Pct::new(12.5).unwrap();
/// assert_eq!(p.hundredths(), 1250);
/// assert!(p.reached_by(125, 1000));  // 12.5 % of 1000 is exactly 125
/// assert!(!p.reached_by(124, 1000));
/// assert!(Pct::new(1.005).is_none()); // three decimals
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pct(u32);

impl Pct {
    /// 100 %.
    pub const FULL: Pct = Pct(10_000);
    /// 0 %.
    pub const ZERO: Pct = Pct(0);

    /// A percentage in `[0, 100]` with at most two decimals; `None` otherwise (NaN, infinite, negative,
    /// above 100, or a third decimal).
    pub fn new(pct: f64) -> Option<Pct> {
        if !pct.is_finite() || !(0.0..=100.0).contains(&pct) {
            return None;
        }
        let h = (pct * 100.0).round();
        if (pct * 100.0 - h).abs() > 1e-6 {
            return None;
        }
        Some(Pct(h as u32))
    }

    /// A percentage from whole hundredths (`1250` is 12.5 %), clamped to 100 %.
    pub const fn from_hundredths(h: u32) -> Pct {
        Pct(if h > 10_000 { 10_000 } else { h })
    }

    /// Whole hundredths of a percent.
    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// The percentage as a float (for display only).
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// `part / whole >= self`, exactly (integer arithmetic); false when `whole` is 0.
    pub fn reached_by(self, part: u64, whole: u64) -> bool {
        whole > 0 && 10_000u128 * u128::from(part) >= u128::from(self.0) * u128::from(whole)
    }
}

impl fmt::Display for Pct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(100) {
            write!(f, "{}%", self.0 / 100)
        } else {
            write!(f, "{}%", self.as_f64())
        }
    }
}

impl Serialize for Pct {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            s.serialize_u32(self.0 / 100)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Pct {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        Pct::new(x).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a percentage in [0, 100] with at most 2 decimals, got {x}"
            ))
        })
    }
}

/// Writes a float that holds a whole number as an integer (`320`, not `320.0`), others as they are.
pub(crate) fn ser_num<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        s.serialize_i64(*x as i64)
    } else {
        s.serialize_f64(*x)
    }
}

/// [`ser_num`] for an optional float.
pub(crate) fn ser_opt_num<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => ser_num(v, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates_across_eras() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2025-06-02T00:05:00Z",
            "1969-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            let t = Timestamp::parse(s).unwrap();
            assert_eq!(t.to_string(), s);
        }
        assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z").unwrap().unix(), 0);
        assert!(Timestamp::parse("2025-02-29T00:00:00Z").is_none());
        // new Date(...).toISOString(): milliseconds, dropped (floored).
        assert_eq!(
            Timestamp::parse("2025-06-02T00:05:00.999Z"),
            Timestamp::parse("2025-06-02T00:05:00Z")
        );
        assert_eq!(
            Timestamp::parse("1969-12-31T23:59:59.5Z").unwrap().unix(),
            -1
        );
        assert!(Timestamp::parse("2025-06-02T00:05:00.Z").is_none());
        assert!(Timestamp::parse("2025-06-02T00:05:00.12x4Z").is_none());
        assert!(Timestamp::parse("2025-06-02T00:05:00,123Z").is_none());
        assert!(Timestamp::parse("2025-06-02T24:00:00Z").is_none());
        assert!(Timestamp::parse("2025-06-02T00:00:00.5Z").is_some());
        assert!(Timestamp::parse("2025-06-02T00:00:00+00:00").is_none());
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(Pct::new(2.0).unwrap().hundredths(), 200);
        assert!(Pct::new(2.0).unwrap().reached_by(2, 100));
        assert!(!Pct::new(2.0).unwrap().reached_by(199, 10_000));
        assert!(Pct::new(0.07).is_some());
        assert!(Pct::new(f64::NAN).is_none());
        assert!(Pct::new(100.01).is_none());
    }
}
