//! Placing points on a regular grid of periods: irregular timestamps and gaps made explicit.

use std::borrow::Cow;

use crate::check;
use crate::error::{Error, Result};

/// A series on a grid of equal periods; empty periods hold NaN. Without gaps the grid is the series
/// itself (borrowed, no index maps).
pub(crate) struct Grid<'a> {
    /// One value per period (NaN: missing).
    pub(crate) slots: Cow<'a, [f64]>,
    /// The period of each input point.
    slot_of: Vec<usize>,
    /// The input point of each period (`usize::MAX` for a gap).
    point_at: Vec<usize>,
    /// The median step of the timestamps, if any.
    pub(crate) step: Option<f64>,
}

/// The grid may be at most this many times longer than the series (gaps are not free).
const MAX_STRETCH: usize = 16;

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

    /// Empty periods between input point `i - 1` and input point `i` (`i ≥ 1`).
    #[inline]
    pub(crate) fn gap_before(&self, i: usize) -> usize {
        if self.slot_of.is_empty() {
            0
        } else {
            self.slot_of[i] - self.slot_of[i - 1] - 1
        }
    }

    /// Whether every period holds an input point (period i is point i).
    pub(crate) fn is_dense(&self) -> bool {
        self.point_at.is_empty() || self.slots.len() == self.slot_of.len()
    }

    pub(crate) fn new(values: &'a [f64], timestamps: Option<&[f64]>) -> Result<Grid<'a>> {
        let n = values.len();
        let Some(ts) = timestamps else {
            return Ok(Grid {
                slots: Cow::Borrowed(values),
                slot_of: Vec::new(),
                point_at: Vec::new(),
                step: None,
            });
        };
        check::same_len(&[("values", n), ("timestamps", ts.len())])?;
        for (i, t) in ts.iter().enumerate() {
            check::finite(&check::at("timestamps", i), *t)?;
            if i > 0 && *t <= ts[i - 1] {
                return Err(Error::InvalidTimestamps {
                    field: check::at("timestamps", i),
                    reason: format!(
                        "{t} does not come after the previous timestamp {}",
                        ts[i - 1]
                    ),
                });
            }
        }
        if n == 1 {
            return Ok(Grid {
                slots: Cow::Borrowed(values),
                slot_of: Vec::new(),
                point_at: Vec::new(),
                step: None,
            });
        }
        let mut diffs: Vec<f64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
        diffs.sort_unstable_by(f64::total_cmp);
        let step = diffs[diffs.len() / 2];
        let mut slot_of = Vec::with_capacity(n);
        for (i, t) in ts.iter().enumerate() {
            let k = ((t - ts[0]) / step).round();
            if k > (MAX_STRETCH * n) as f64 {
                return Err(Error::InvalidTimestamps {
                    field: check::at("timestamps", i),
                    reason: format!(
                        "{t} lies {k} periods of {step} after the first point: the gaps make the series more than {MAX_STRETCH} times longer than its {n} points"
                    ),
                });
            }
            let k = k as usize;
            if i > 0 && k <= slot_of[i - 1] {
                return Err(Error::InvalidTimestamps {
                    field: check::at("timestamps", i),
                    reason: format!(
                        "{t} falls in the same period of {step} as the point before ({}); aggregate to one value per period first",
                        ts[i - 1]
                    ),
                });
            }
            slot_of.push(k);
        }
        let len = slot_of[n - 1] + 1;
        let mut slots = vec![f64::NAN; len];
        let mut point_at = vec![usize::MAX; len];
        for (i, &k) in slot_of.iter().enumerate() {
            slots[k] = values[i];
            point_at[k] = i;
        }
        Ok(Grid {
            slots: Cow::Owned(slots),
            slot_of,
            point_at,
            step: Some(step),
        })
    }
}
