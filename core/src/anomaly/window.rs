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

/// Up to this many sorted values, a push finds the leaving and the new value's places by counting.
const COUNT_MAX: usize = 64;

/// The last `w` periods, with the valid values also kept sorted: median and MAD in O(log w) comparisons
/// (plus one `memmove` of at most `w` values on insert and remove; up to 64 values, the places are
/// found by counting, which has no branch to mispredict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SortedWindow {
    #[serde(with = "nan_serde::vec")]
    ring: Vec<f64>,
    head: usize,
    filled: usize,
    sorted: Vec<f64>,
    /// Where the last MAD search ended, to start the next one from (not state: not serialised, and
    /// two windows are equal whatever it holds).
    #[serde(skip)]
    hint: SplitHint,
}

/// A search hint that compares equal to any other: it changes how fast a value is found, never the value.
#[derive(Debug, Clone, Copy, Default)]
struct SplitHint(Option<usize>);

impl PartialEq for SplitHint {
    fn eq(&self, _: &SplitHint) -> bool {
        true
    }
}

impl SortedWindow {
    pub(crate) fn new(w: usize) -> Self {
        let w = w.max(1);
        SortedWindow {
            ring: vec![f64::NAN; w],
            head: 0,
            filled: 0,
            sorted: Vec::with_capacity(w),
            hint: SplitHint::default(),
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
                // the two places, `partition_point`'s: by counting for a short window (branch-free, in
                // vector registers), else by two branch-free bisections side by side
                let s = &mut self.sorted;
                let (from, to) = if s.len() <= COUNT_MAX {
                    let (mut from, mut to) = (0usize, 0usize);
                    for v in s.iter() {
                        from += usize::from(*v < old);
                        to += usize::from(*v < x);
                    }
                    (from, to)
                } else {
                    lower_bounds(s, old, x)
                };
                if from < s.len() {
                    if s.len() <= COUNT_MAX {
                        // x carried through the places between: each value moves one slot and the
                        // leaving one drops out at the end (a short loop, no `memmove` call)
                        let mut carry = x;
                        if to <= from {
                            for v in &mut s[to..=from] {
                                std::mem::swap(v, &mut carry);
                            }
                        } else {
                            for v in s[from..to].iter_mut().rev() {
                                std::mem::swap(v, &mut carry);
                            }
                        }
                    } else if to <= from {
                        s.copy_within(to..from, to + 1);
                        s[to] = x;
                    } else {
                        s.copy_within(from + 1..to, from);
                        s[to - 1] = x;
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
    /// sequences is found by bisection, or by a walk from where the last call's search ended.
    pub(crate) fn mad(&mut self, m: f64) -> f64 {
        let (mad, split) = mad_sorted_near(&self.sorted, m, self.hint.0);
        self.hint.0 = Some(split);
        mad
    }

    /// A lower bound of [`SortedWindow::mad`] from `m` (the window's median) in O(1): the distance from
    /// the median to the nearer of two order statistics `j` places out on each side, with `j` chosen so
    /// that fewer than half the values lie strictly between them (then every deviation up to that
    /// distance leaves fewer than half the values within it, so the MAD is at least it).
    #[inline]
    pub(crate) fn mad_lower_bound(&self, m: f64) -> f64 {
        let s = &self.sorted;
        let n = s.len();
        if n < 2 {
            return 0.0;
        }
        // k: the MAD is the (k+1)-th smallest deviation (the mean of it and the next for an even count);
        // the values strictly between places a and b number 2j - 1 (odd n) or 2j (even n), at most k.
        let k = (n - 1) / 2;
        let (lo, hi, j) = if n % 2 == 1 {
            (k, k, k.div_ceil(2))
        } else {
            (k, k + 1, k / 2)
        };
        let (a, b) = (s[lo - j], s[hi + j]);
        (m - a).min(b - m).max(0.0)
    }

    /// Mean absolute deviation from `m` (the fallback scale when more than half the window is equal).
    pub(crate) fn mean_abs_dev(&self, m: f64) -> f64 {
        if self.sorted.is_empty() {
            return 0.0;
        }
        self.sorted.iter().map(|v| (v - m).abs()).sum::<f64>() / self.sorted.len() as f64
    }
}

/// `(s.partition_point(|v| v < a), s.partition_point(|v| v < b))`, by two branch-free bisections run
/// side by side (their loads overlap; the outcomes, being data, would mispredict as branches).
#[inline]
fn lower_bounds(s: &[f64], a: f64, b: f64) -> (usize, usize) {
    let (mut ba, mut bb) = (0usize, 0usize);
    let mut size = s.len();
    if size == 0 {
        return (0, 0);
    }
    while size > 1 {
        let half = size / 2;
        ba = std::hint::select_unpredictable(s[ba + half - 1] < a, ba + half, ba);
        bb = std::hint::select_unpredictable(s[bb + half - 1] < b, bb + half, bb);
        size -= half;
    }
    (ba + usize::from(s[ba] < a), bb + usize::from(s[bb] < b))
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
    mad_sorted_near(s, m, None).0
}

/// [`mad_sorted`], starting the search from `hint` (the split a previous call returned) when given:
/// a window that moves by one point moves the split by a step or two, so a walk from the last one
/// takes fewer comparisons than a bisection. The same value either way; also the split found.
pub(crate) fn mad_sorted_near(s: &[f64], m: f64, hint: Option<usize>) -> (f64, usize) {
    let n = s.len();
    if n == 0 {
        return (f64::NAN, 0);
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
    // p(i): a(i) < b(k - i - 1), for i in [lo, hi)
    let p = |i: usize| a(i) < b(k - i - 1);
    let lo = match hint {
        Some(h) => {
            // the walk: down while the one below fails the test, else up while this one passes it
            let mut i = h.clamp(lo, hi);
            if i > lo && !p(i - 1) {
                i -= 1;
                while i > lo && !p(i - 1) {
                    i -= 1;
                }
            } else {
                while i < hi && p(i) {
                    i += 1;
                }
            }
            i
        }
        None => {
            let mut base = lo;
            let mut size = hi - lo;
            while size > 1 {
                let half = size / 2;
                let mid = base + half;
                base = std::hint::select_unpredictable(p(mid), mid, base);
                size -= half;
            }
            if size == 1 {
                base + usize::from(p(base))
            } else {
                lo
            }
        }
    };
    let (i, j) = (lo, k - lo);
    let (ai, bj) = (a(i), b(j));
    let kth = ai.min(bj);
    if n % 2 == 1 {
        return (kth, lo);
    }
    let next = if ai <= bj {
        a(i + 1).min(bj)
    } else {
        ai.min(b(j + 1))
    };
    (0.5 * (kth + next), lo)
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
                let want = naive_mad(&xs);
                assert_eq!(mad_sorted(&s, m), want, "{xs:?}");
                // from any starting split, and off the median too (m need not be the median)
                let (_, split) = mad_sorted_near(&s, m, None);
                for h in [0, 1, split, split + 1, n / 3, n, 10 * n] {
                    assert_eq!(
                        mad_sorted_near(&s, m, Some(h)),
                        (want, split),
                        "{xs:?} from {h}"
                    );
                }
                let off = m + 0.3;
                let (v, sp) = mad_sorted_near(&s, off, None);
                for h in [0, split, n] {
                    assert_eq!(
                        mad_sorted_near(&s, off, Some(h)),
                        (v, sp),
                        "{xs:?} off the median"
                    );
                }
            }
        }
    }

    #[test]
    fn the_sorted_window_stays_the_sorted_valid_values() {
        let mut state = 99u64;
        for w in [1, 2, 5, 50, 64, 65, 100, 300] {
            let mut s = SortedWindow::new(w);
            // the places found by counting or by the paired bisections are `partition_point`'s: the
            // same sorted values, bit for bit (signed zeros included), as two binary searches give
            let mut reference: Vec<f64> = Vec::new();
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
                if s.filled == w && !s.ring[s.head].is_nan() {
                    let old = s.ring[s.head];
                    let i = reference.partition_point(|v| *v < old);
                    reference.remove(i);
                }
                if !x.is_nan() {
                    let i = reference.partition_point(|v| *v < x);
                    reference.insert(i, x);
                }
                s.push(x);
                assert!(s.is_consistent(), "w {w}: {:?}", s);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&s.sorted), bits(&reference), "w {w}");
            }
        }
    }

    #[test]
    fn the_mad_lower_bound_is_never_above_the_mad() {
        let mut state = 4242u64;
        for w in [1, 2, 3, 4, 5, 6, 7, 49, 50, 51] {
            let mut s = SortedWindow::new(w);
            for _ in 0..3_000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let x = match (state >> 60) % 8 {
                    0 => f64::NAN,
                    1 => 3.0,
                    _ => ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5).powi(3) * 100.0,
                };
                s.push(x);
                if s.valid() > 0 {
                    let m = s.median();
                    let bound = s.mad_lower_bound(m);
                    assert!(bound <= s.mad(m), "w {w}: {bound} > {}", s.mad(m));
                }
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
