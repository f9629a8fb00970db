//! Placing points on a regular grid of periods, as monitoring systems export them: unsorted, with
//! repeated timestamps (aggregated), clock steps backwards (sorted and counted), irregular sampling and
//! gaps (missing periods), calendar months and quarters.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

/// How the values of points that fall in one period are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Their mean (the default: a gauge such as CPU or latency sampled twice).
    #[default]
    Mean,
    /// Their sum (counts and costs: two exports of one period's requests add up).
    Sum,
    /// Their maximum.
    Max,
    /// The latest one (input order among equal timestamps: a corrected resend replaces the first value).
    Last,
}

impl Aggregate {
    /// The name as in JSON (`"mean"`).
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Sum => "sum",
            Aggregate::Max => "max",
            Aggregate::Last => "last",
        }
    }

    /// Parses `mean`, `sum`, `max` or `last`.
    ///
    /// # Errors
    /// `unknown_variant` naming the accepted values.
    pub fn parse(s: &str) -> Result<Aggregate> {
        match s {
            "mean" => Ok(Aggregate::Mean),
            "sum" => Ok(Aggregate::Sum),
            "max" => Ok(Aggregate::Max),
            "last" => Ok(Aggregate::Last),
            other => Err(Error::UnknownVariant {
                field: "aggregate".into(),
                value: other.into(),
                expected: "mean, sum, max, last",
            }),
        }
    }
}

/// Seconds since the Unix epoch (with their fraction) of an ISO 8601 / RFC 3339 time as monitoring
/// exports and JavaScript write them: `2014-02-14T14:30:00Z`, `2014-02-14T14:30:00.250+02:00`,
/// `2014-02-14 14:30:00` (no offset: UTC), or a date alone (`2014-02-14`, midnight UTC).
///
/// ```
/// use scaleplan::anomaly::parse_time;
/// assert_eq!(parse_time("t", "1970-01-02T00:00:01.5Z")?, 86_401.5);
/// assert_eq!(parse_time("t", "1970-01-01T02:00:00+02:00")?, 0.0);
/// assert_eq!(parse_time("t", "1970-01-01 00:01:00")?, 60.0);
/// assert_eq!(parse_time("t", "yesterday").unwrap_err().code(), "invalid_timestamps");
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// `invalid_timestamps` naming `field` and showing the accepted forms.
pub fn parse_time(field: &str, text: &str) -> Result<f64> {
    parse_iso(text.trim()).ok_or_else(|| Error::InvalidTimestamps {
        field: field.to_string(),
        reason: format!(
            "\"{text}\" is not a time: expected ISO 8601 such as \"2014-02-14T14:30:00Z\", \"2014-02-14T14:30:00.250+02:00\", \"2014-02-14 14:30:00\" (UTC) or \"2014-02-14\""
        ),
    })
}

fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        let mut v = 0i64;
        for &c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > crate::time::days_in_month(y, m) {
        return None;
    }
    let day = crate::time::days_from_civil(y, m, d) as f64 * 86_400.0;
    if b.len() == 10 {
        return Some(day);
    }
    if !(b[10] == b'T' || b[10] == b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac = 0.0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == start {
            return None;
        }
        frac = s[i..j].parse::<f64>().ok()?;
        i = j;
    }
    let offset = match &b[i..] {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let two = |a: u8, c: u8| -> Option<i64> {
                (a.is_ascii_digit() && c.is_ascii_digit())
                    .then(|| i64::from(a - b'0') * 10 + i64::from(c - b'0'))
            };
            let (oh, om) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'+' { o } else { -o }
        }
        _ => return None,
    };
    Some(day + (hh * 3600 + mm * 60 + ss - offset) as f64 + frac)
}

/// What placing the points on the grid did, reported with every [`super::Detection`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Ingest {
    /// The grid's step: `"seconds"` (the median difference, in the timestamps' unit), `"month"` or
    /// `"quarter"` (calendar steps, for timestamps in Unix seconds or milliseconds); `"index"` without
    /// timestamps.
    pub grid: String,
    /// Points whose timestamp came before the previous point's (clock steps backwards, merged
    /// exports): the series was sorted.
    pub out_of_order: usize,
    /// Points that shared a period with another point and were combined.
    pub aggregated: usize,
    /// How they were combined.
    pub aggregate: Aggregate,
    /// Periods of the grid (the series' length once placed).
    pub periods: usize,
}

/// A series on a grid of equal periods; empty periods hold NaN. Without timestamps (or when sorted,
/// regular and unique) the grid is the series itself (borrowed, no index maps).
pub(crate) struct Grid<'a> {
    /// One value per period (NaN: missing).
    pub(crate) slots: Cow<'a, [f64]>,
    /// The period of each input point (empty: point i is period i).
    slot_of: Vec<usize>,
    /// The input point that stands for each period (its first in time order; `usize::MAX` for a gap).
    point_at: Vec<usize>,
    /// The median step of the timestamps, if any (in their unit; for calendar grids, the step in
    /// seconds a day-based season detection should assume).
    pub(crate) step: Option<f64>,
    /// What placing did.
    pub(crate) ingest: Ingest,
}

/// The grid may be at most this many times longer than the series (gaps are not free).
const MAX_STRETCH: usize = 16;

/// A calendar step: months or quarters.
#[derive(Clone, Copy)]
enum Calendar {
    Month,
    Quarter,
}

/// The civil (year, month 1..=12) of a day count from 1970-01-01 (the rollout layer's
/// `civil_from_days`, Howard Hinnant's algorithm).
fn year_month(days: i64) -> (i64, i64) {
    let (y, m, _) = crate::time::civil_from_days(days);
    (y, m)
}

/// The calendar step a median difference stands for, with the timestamps' unit (seconds per unit):
/// 28 to 31 days is a month, 89 to 92 days a quarter, in seconds or in milliseconds.
fn calendar_step(step: f64) -> Option<(Calendar, f64)> {
    const DAY: f64 = 86_400.0;
    for unit in [1.0, 0.001] {
        let days = step * unit / DAY;
        if (27.5..=31.5).contains(&days) {
            return Some((Calendar::Month, unit));
        }
        if (88.5..=92.5).contains(&days) {
            return Some((Calendar::Quarter, unit));
        }
    }
    None
}

impl<'a> Grid<'a> {
    /// The input point in period `slot`, if any.
    #[inline]
    pub(crate) fn point_at(&self, slot: usize) -> Option<usize> {
        if self.point_at.is_empty() {
            (slot < self.slots.len()).then_some(slot)
        } else {
            self.point_at
                .get(slot)
                .copied()
                .filter(|&i| i != usize::MAX)
        }
    }

    /// The period of input point `i`.
    #[inline]
    pub(crate) fn slot_of(&self, i: usize) -> usize {
        if self.slot_of.is_empty() {
            i
        } else {
            self.slot_of[i]
        }
    }

    /// Whether period i is input point i for every point (sorted, unique, no gaps).
    pub(crate) fn is_identity(&self) -> bool {
        self.point_at.is_empty()
    }

    fn identity(values: &'a [f64], grid: &str, step: Option<f64>) -> Grid<'a> {
        Grid {
            slots: Cow::Borrowed(values),
            slot_of: Vec::new(),
            point_at: Vec::new(),
            step,
            ingest: Ingest {
                grid: grid.into(),
                periods: values.len(),
                ..Ingest::default()
            },
        }
    }

    pub(crate) fn new(
        values: &'a [f64],
        timestamps: Option<&[f64]>,
        aggregate: Aggregate,
    ) -> Result<Grid<'a>> {
        let n = values.len();
        let Some(ts) = timestamps else {
            return Ok(Grid::identity(values, "index", None));
        };
        check::same_len(&[("values", n), ("timestamps", ts.len())])?;
        let mut out_of_order = 0;
        for (i, t) in ts.iter().enumerate() {
            check::finite(&check::at("timestamps", i), *t)?;
            if i > 0 && *t < ts[i - 1] {
                out_of_order += 1;
            }
        }
        // Time order, stable: points with one timestamp keep their input order (for `last`).
        let order: Vec<usize> = if out_of_order == 0 {
            (0..n).collect()
        } else {
            let mut o: Vec<usize> = (0..n).collect();
            o.sort_by(|&a, &b| ts[a].total_cmp(&ts[b]));
            o
        };
        let mut diffs: Vec<f64> = order
            .windows(2)
            .map(|w| ts[w[1]] - ts[w[0]])
            .filter(|d| *d > 0.0)
            .collect();
        let step = if diffs.is_empty() {
            None
        } else {
            diffs.sort_unstable_by(f64::total_cmp);
            Some(diffs[diffs.len() / 2])
        };
        let calendar = step.and_then(calendar_step);
        let t0 = ts[order[0]];
        let period = |t: f64| -> f64 {
            match (calendar, step) {
                (Some((cal, unit)), _) => {
                    let days = |t: f64| (t * unit / 86_400.0).floor() as i64;
                    let (y0, m0) = year_month(days(t0));
                    let (y, m) = year_month(days(t));
                    let months = (y - y0) * 12 + (m - m0);
                    match cal {
                        Calendar::Month => months as f64,
                        // quarters counted from the first point's quarter
                        Calendar::Quarter => {
                            ((y * 12 + m - 1).div_euclid(3) - (y0 * 12 + m0 - 1).div_euclid(3))
                                as f64
                        }
                    }
                }
                (None, Some(step)) => ((t - t0) / step).round(),
                (None, None) => 0.0,
            }
        };
        let mut slot_of = vec![0usize; n];
        let mut aggregated = 0;
        let mut prev_slot: Option<usize> = None;
        for &i in &order {
            let t = ts[i];
            let k = period(t);
            if k > (MAX_STRETCH * n) as f64 {
                return Err(Error::InvalidTimestamps {
                    field: check::at("timestamps", i),
                    reason: format!(
                        "{t} lies {k} periods of {} after the first point: the gaps make the series more than {MAX_STRETCH} times longer than its {n} points",
                        step.unwrap_or(0.0)
                    ),
                });
            }
            let k = k.max(0.0) as usize;
            if prev_slot == Some(k) {
                aggregated += 1;
            }
            prev_slot = Some(k);
            slot_of[i] = k;
        }
        let grid_name = match calendar {
            Some((Calendar::Month, _)) => "month",
            Some((Calendar::Quarter, _)) => "quarter",
            None => "seconds",
        };
        // The step a season search should assume: a calendar step is one month or quarter.
        let season_step = match calendar {
            Some(_) => None,
            None => step,
        };
        let len = slot_of.iter().copied().max().map_or(0, |m| m + 1);
        if out_of_order == 0 && aggregated == 0 && len == n {
            let mut g = Grid::identity(values, grid_name, season_step);
            g.ingest.aggregate = aggregate;
            return Ok(g);
        }
        let mut slots = vec![f64::NAN; len];
        let mut point_at = vec![usize::MAX; len];
        let mut count = vec![0u32; len];
        for &i in &order {
            let k = slot_of[i];
            let x = values[i];
            if point_at[k] == usize::MAX {
                point_at[k] = i;
            }
            if x.is_nan() {
                continue;
            }
            let s = &mut slots[k];
            *s = match (aggregate, count[k]) {
                (_, 0) => x,
                (Aggregate::Mean | Aggregate::Sum, _) => *s + x,
                (Aggregate::Max, _) => s.max(x),
                (Aggregate::Last, _) => x,
            };
            count[k] += 1;
        }
        if aggregate == Aggregate::Mean {
            for (s, &c) in slots.iter_mut().zip(&count) {
                if c > 1 {
                    *s /= f64::from(c);
                }
            }
        }
        Ok(Grid {
            slots: Cow::Owned(slots),
            slot_of,
            point_at,
            step: season_step,
            ingest: Ingest {
                grid: grid_name.into(),
                out_of_order,
                aggregated,
                aggregate,
                periods: len,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_months() {
        // 2024-02-29 is day 19782; 1969-12-31 is day -1
        assert_eq!(year_month(19_782), (2024, 2));
        assert_eq!(year_month(-1), (1969, 12));
        assert_eq!(year_month(0), (1970, 1));
    }
}
