//! Rolling windows with O(1) (sum) or O(log w) (order statistics) work per point.
//!
//! Missing points (NaN) occupy a slot of the window, so the window always spans the last `w` periods,
//! but they contribute nothing: the mean and the median are over the valid points only.

use serde::{Deserialize, Serialize};

use super::nan_serde;

/// A ring buffer of the last `w` periods with a running sum over the valid ones.
///
/// The sum is updated by adding the new and subtracting the leaving value, and recomputed exactly every
/// `8 w` points, so that rounding cannot drift (the error stays below `8 w` ulps of the window's scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RingSum {
    #[serde(with = "nan_serde::vec")]
    pub(super) buf: Vec<f64>,
    pub(super) head: usize,
    pub(super) filled: usize,
    pub(super) valid: usize,
    pub(super) sum: f64,
    pub(super) since_exact: usize,
}

impl RingSum {
    pub(crate) fn new(w: usize) -> Self {
        RingSum {
            buf: vec![f64::NAN; w.max(1)],
            head: 0,
            filled: 0,
            valid: 0,
            sum: 0.0,
            since_exact: 0,
        }
    }

    /// Number of valid points in the window.
    #[inline]
    pub(crate) fn valid(&self) -> usize {
        self.valid
    }

    /// The window's length in periods.
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// The invariants a deserialised window must hold.
    pub(crate) fn is_consistent(&self) -> bool {
        let w = self.buf.len();
        let valid = self
            .buf
            .iter()
            .take(self.filled)
            .filter(|v| !v.is_nan())
            .count();
        w >= 1
            && self.head < w
            && self.filled <= w
            && (self.filled == w || self.head == self.filled)
            && valid == self.valid
            && self.sum.is_finite()
            && self.buf.iter().skip(self.filled).all(|v| v.is_nan())
    }

    /// Sum of the valid points.
    #[inline]
    pub(crate) fn sum(&self) -> f64 {
        self.sum
    }

    /// Pushes `x` (NaN: missing), dropping the oldest period once the window is full.
    #[inline(always)]
    pub(crate) fn push(&mut self, x: f64) {
        let w = self.buf.len();
        // The slots past `filled` hold NaN, so a window not yet full drops nothing. One addition of the
        // difference: the running sum has one rounding per point.
        let old = std::mem::replace(&mut self.buf[self.head], x);
        self.sum += Self::contribution(x) - Self::contribution(old);
        self.valid = self.valid + usize::from(!x.is_nan()) - usize::from(!old.is_nan());
        self.head = if self.head + 1 == w { 0 } else { self.head + 1 };
        if self.filled < w {
            self.filled += 1;
        }
        self.since_exact += 1;
        if self.since_exact >= 8 * w {
            self.since_exact = 0;
            self.sum = self.exact_sum();
        }
    }

    /// What a slot adds to the sum (a missing value adds nothing).
    #[inline(always)]
    pub(super) fn contribution(x: f64) -> f64 {
        if x.is_nan() { 0.0 } else { x }
    }

    /// The sum of the valid points, added afresh.
    pub(super) fn exact_sum(&self) -> f64 {
        self.buf.iter().filter(|v| !v.is_nan()).sum()
    }
}

/// The last `w` periods, with the valid values also kept sorted: median and MAD in O(log w) comparisons
/// (plus one `memmove` of at most `w` values on insert and remove).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SortedWindow {
    #[serde(with = "nan_serde::vec")]
    ring: Vec<f64>,
    head: usize,
    filled: usize,
    sorted: Vec<f64>,
}

impl SortedWindow {
    pub(crate) fn new(w: usize) -> Self {
        let w = w.max(1);
        SortedWindow {
            ring: vec![f64::NAN; w],
            head: 0,
            filled: 0,
            sorted: Vec::with_capacity(w),
        }
    }

    /// Number of valid points in the window.
    #[inline]
    pub(crate) fn valid(&self) -> usize {
        self.sorted.len()
    }

    /// The window's length in periods.
    pub(crate) fn capacity(&self) -> usize {
        self.ring.len()
    }

    /// The invariants a deserialised window must hold: `sorted` is exactly the valid ring values, sorted.
    pub(crate) fn is_consistent(&self) -> bool {
        let w = self.ring.len();
        if w == 0
            || self.head >= w
            || self.filled > w
            || !(self.filled == w || self.head == self.filled)
        {
            return false;
        }
        let mut valid: Vec<f64> = self.ring.iter().copied().filter(|v| !v.is_nan()).collect();
        valid.sort_unstable_by(f64::total_cmp);
        valid == self.sorted && self.ring.iter().all(|v| !v.is_infinite())
    }

    /// Pushes `x` (NaN: missing). When a value leaves and one arrives, the sorted values between their
    /// two places move by one slot (one `copy_within`, as a removal then an insertion would leave them).
    pub(crate) fn push(&mut self, x: f64) {
        let w = self.ring.len();
        let old = self.ring[self.head];
        let leaving = self.filled == w && !old.is_nan();
        match (leaving, !x.is_nan()) {
            (true, true) => {
                let from = self.sorted.partition_point(|v| *v < old);
                let to = self.sorted.partition_point(|v| *v < x);
                if from < self.sorted.len() {
                    if to <= from {
                        // x ≤ old: [to, from) moves up one slot, x goes to `to`.
                        self.sorted.copy_within(to..from, to + 1);
                        self.sorted[to] = x;
                    } else {
                        // old < x: (from, to) moves down one slot, x goes just before `to`.
                        self.sorted.copy_within(from + 1..to, from);
                        self.sorted[to - 1] = x;
                    }
                }
            }
            (true, false) => {
                let i = self.sorted.partition_point(|v| *v < old);
                if i < self.sorted.len() {
                    self.sorted.remove(i);
                }
            }
            (false, true) => {
                let i = self.sorted.partition_point(|v| *v < x);
                self.sorted.insert(i, x);
            }
            (false, false) => {}
        }
        self.ring[self.head] = x;
        self.head = if self.head + 1 == w { 0 } else { self.head + 1 };
        if self.filled < w {
            self.filled += 1;
        }
    }

    /// Median of the valid points (the mean of the two middle ones for an even count).
    pub(crate) fn median(&self) -> f64 {
        median_sorted(&self.sorted)
    }

    /// Median absolute deviation from `m` (the window's median), unscaled, in O(log w): the deviations
    /// below and above the median form two sorted sequences, and the k-th smallest of two sorted
    /// sequences is found by bisection.
    pub(crate) fn mad(&self, m: f64) -> f64 {
        mad_sorted(&self.sorted, m)
    }

    /// Mean absolute deviation from `m` (the fallback scale when more than half the window is equal).
    pub(crate) fn mean_abs_dev(&self, m: f64) -> f64 {
        if self.sorted.is_empty() {
            return 0.0;
        }
        self.sorted.iter().map(|v| (v - m).abs()).sum::<f64>() / self.sorted.len() as f64
    }
}

/// Median of a sorted slice (NaN for an empty one).
pub(crate) fn median_sorted(s: &[f64]) -> f64 {
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

/// Median of `|s_i - m|` over a sorted slice, without building the deviations: the deviations below
/// and above `m` form two ascending sequences, the k-th smallest of their merge is found by bisection,
/// and for an even count the next one is the smaller of the two candidates that follow it.
pub(crate) fn mad_sorted(s: &[f64], m: f64) -> f64 {
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    // Where m falls: at the middle when m is the median (checked), else by binary search.
    let c = n / 2;
    let split = if s[c] >= m && (c == 0 || s[c - 1] < m) {
        c
    } else {
        s.partition_point(|v| *v < m)
    };
    let (below, above) = s.split_at(split);
    let (na, nb) = (below.len(), above.len());
    // a(i) = m - below[na - 1 - i], b(j) = above[j] - m, both ascending; +∞ past their ends.
    let a = |i: usize| {
        if i < na {
            m - below[na - 1 - i]
        } else {
            f64::INFINITY
        }
    };
    let b = |j: usize| above.get(j).map_or(f64::INFINITY, |v| v - m);
    // The k-th smallest (0-based) of the merge takes i from a and k - i from b: the least i in
    // [lo, hi] with a(i) ≥ b(k - i - 1) (the test is true, then false, as i grows). A branch-free
    // search: the outcomes are data, so a branch would be mispredicted half the time.
    let k = (n - 1) / 2;
    let (lo, hi) = (k.saturating_sub(nb), k.min(na));
    let mut base = lo;
    let mut size = hi - lo;
    while size > 1 {
        let half = size / 2;
        let mid = base + half;
        base = std::hint::select_unpredictable(a(mid) < b(k - mid - 1), mid, base);
        size -= half;
    }
    let lo = if size == 1 {
        base + usize::from(a(base) < b(k - base - 1))
    } else {
        lo
    };
    let (i, j) = (lo, k - lo);
    let (ai, bj) = (a(i), b(j));
    let kth = ai.min(bj);
    if n % 2 == 1 {
        return kth;
    }
    let next = if ai <= bj {
        a(i + 1).min(bj)
    } else {
        ai.min(b(j + 1))
    };
    0.5 * (kth + next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_mad(xs: &[f64]) -> f64 {
        let mut s = xs.to_vec();
        s.sort_by(f64::total_cmp);
        let m = median_sorted(&s);
        let mut d: Vec<f64> = s.iter().map(|v| (v - m).abs()).collect();
        d.sort_by(f64::total_cmp);
        median_sorted(&d)
    }

    #[test]
    fn mad_matches_the_definition() {
        let mut state = 12345u64;
        for n in 1..70 {
            for _ in 0..20 {
                let xs: Vec<f64> = (0..n)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        // Few distinct values (ties everywhere) in half the cases, spread ones in the rest.
                        if n % 2 == 0 {
                            ((state >> 33) % 7) as f64
                        } else {
                            (state >> 11) as f64 / (1u64 << 53) as f64 * 100.0 - 30.0
                        }
                    })
                    .collect();
                let mut s = xs.clone();
                s.sort_by(f64::total_cmp);
                let m = median_sorted(&s);
                assert_eq!(mad_sorted(&s, m), naive_mad(&xs), "{xs:?}");
            }
        }
    }

    #[test]
    fn the_sorted_window_stays_the_sorted_valid_values() {
        let mut state = 99u64;
        for w in [1, 2, 5, 50] {
            let mut s = SortedWindow::new(w);
            for _ in 0..2_000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let x = match (state >> 60) % 8 {
                    0 => f64::NAN,
                    1 => -0.0,
                    2 => 0.0,
                    _ => ((state >> 33) % 11) as f64 - 5.0,
                };
                s.push(x);
                assert!(s.is_consistent(), "w {w}: {:?}", s);
            }
        }
    }

    #[test]
    fn windows_skip_missing_points() {
        let mut r = RingSum::new(3);
        let mut s = SortedWindow::new(3);
        for x in [1.0, f64::NAN, 3.0, 5.0] {
            r.push(x);
            s.push(x);
        }
        assert_eq!((r.valid(), r.sum() / r.valid() as f64), (2, 4.0));
        assert_eq!((s.valid(), s.median()), (2, 4.0));
    }
}
