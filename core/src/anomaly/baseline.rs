//! Baseline ratio: each value against the trailing mean or median of the last `window` periods.

use serde::{Deserialize, Serialize};

use super::stream::Visit;
use super::window::{RingSum, SortedWindow};
use super::{Direction, Step};

/// Which trailing statistic is the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Trailing mean (O(1) per point).
    #[default]
    Mean,
    /// Trailing median (O(log w) per point), robust to earlier spikes in the window.
    Median,
}

/// Streaming state of the baseline-ratio detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Baseline {
    pub(crate) ratio: f64,
    pub(crate) direction: Direction,
    pub(crate) min_periods: usize,
    pub(crate) window: Trailing,
}

/// The trailing window, by statistic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Trailing {
    Mean(RingSum),
    Median(SortedWindow),
}

impl Baseline {
    pub(crate) fn new(
        window: usize,
        statistic: Statistic,
        ratio: f64,
        direction: Direction,
        min_periods: usize,
    ) -> Self {
        Baseline {
            ratio,
            direction,
            min_periods: min_periods.max(1),
            window: match statistic {
                Statistic::Mean => Trailing::Mean(RingSum::new(window)),
                Statistic::Median => Trailing::Median(SortedWindow::new(window)),
            },
        }
    }

    /// Statistic and window length, to check a deserialised state against its method.
    pub(crate) fn shape(&self) -> (bool, usize) {
        match &self.window {
            Trailing::Mean(w) => (true, w.capacity()),
            Trailing::Median(w) => (false, w.capacity()),
        }
    }

    /// Scores `x` against the baseline of the periods before it, then adds `x` to the window.
    #[inline(always)]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        // The baseline as a fraction num / den (sum / count for the mean, median / 1), so that the flag is
        // decided by multiplications and the divisions happen only where the score or baseline is used.
        let rule = self.rule();
        let step = match &self.window {
            Trailing::Mean(w) => rule.verdict(x, w.valid(), w.sum(), w.valid() as f64),
            Trailing::Median(w) => rule.verdict(x, w.valid(), w.median(), 1.0),
        };
        match &mut self.window {
            Trailing::Mean(w) => w.push(x),
            Trailing::Median(w) => w.push(x),
        }
        step
    }

    fn rule(&self) -> Rule {
        Rule {
            ratio: self.ratio,
            direction: self.direction,
            min_periods: self.min_periods,
        }
    }

    /// [`Stream::extend`](super::Stream::extend)'s loop with a trailing mean (the kernel [`feed_mean`]);
    /// `false`, having done nothing, with a median.
    pub(crate) fn feed_kernel<V: Visit>(&mut self, xs: &[f64], v: &mut V) -> bool {
        let rule = self.rule();
        if let Trailing::Mean(w) = &mut self.window {
            feed_mean(rule, w, xs, v);
            return true;
        }
        false
    }
}

/// The thresholds of a baseline detector, apart from its window.
#[derive(Debug, Clone, Copy)]
struct Rule {
    ratio: f64,
    direction: Direction,
    min_periods: usize,
}

impl Rule {
    /// `x` against the baseline `num / den` of `valid` points: quiet (expected NaN) before `min_periods`
    /// and on a missing `x`.
    #[inline(always)]
    fn verdict(self, x: f64, valid: usize, num: f64, den: f64) -> Step {
        if valid < self.min_periods {
            Step::quiet(f64::NAN)
        } else if x.is_nan() {
            Step::quiet(num / den)
        } else {
            self.judge(x, num, den)
        }
    }

    /// The flag alone, as [`Rule::verdict`] decides it, for direction `dir` (a constant in a kernel).
    #[inline(always)]
    fn flag(self, dir: Direction, x: f64, valid: usize, num: f64, den: f64) -> bool {
        if valid < self.min_periods || x.is_nan() {
            return false;
        }
        if num > 0.0 {
            let xd = x * den;
            flagged(dir, xd >= self.ratio * num, xd * self.ratio <= num)
        } else {
            flagged(dir, x > num / den, false)
        }
    }

    /// `x` against the baseline `num / den` (`den > 0`): score `x / baseline`, flagged at `≥ ratio` (up) or
    /// `≤ 1/ratio` (down), critical twice as far past the threshold as the threshold is from 1. A baseline
    /// of 0 (or below) has no ratio: any larger value is "up".
    #[inline(always)]
    fn judge(self, x: f64, num: f64, den: f64) -> Step {
        if num > 0.0 {
            let r = self.ratio;
            let xd = x * den;
            let (up, down) = (xd >= r * num, xd * r <= num);
            let c = 2.0 * r - 1.0;
            let critical = xd >= c * num || xd * c <= num;
            // score = x / (num / den) = x den / num.
            let flag = flagged(self.direction, up, down);
            return Step {
                flag,
                critical: flag && critical,
                score_num: xd,
                score_den: num,
                expected_num: num,
                expected_den: den,
                threshold: 0.0,
                scale: 0,
                escalated: false,
            };
        }
        let base = num / den;
        let up = x > base;
        let flag = flagged(self.direction, up, false);
        Step::new(flag, flag, if up { f64::MAX } else { 1.0 }, base)
    }
}

/// The flag for a direction, from the up and down tests.
#[inline(always)]
fn flagged(dir: Direction, up: bool, down: bool) -> bool {
    match dir {
        Direction::Up => up,
        Direction::Down => down,
        Direction::Both => up || down,
    }
}

/// The trailing-mean detector over a slice, with the window's sum, count and position in registers: the
/// same verdicts, events and final state as [`Baseline::step`] on each point (the ring is walked in
/// contiguous runs that end where it wraps or where the sum is recomputed exactly). Compiled per
/// direction, so a stream's loop decides the flag alone and builds a verdict only for the tracker.
fn feed_mean<V: Visit>(rule: Rule, w: &mut RingSum, xs: &[f64], v: &mut V) {
    match rule.direction {
        Direction::Up => feed_mean_in::<UP, V>(rule, w, xs, v),
        Direction::Down => feed_mean_in::<DOWN, V>(rule, w, xs, v),
        Direction::Both => feed_mean_in::<BOTH, V>(rule, w, xs, v),
    }
}

const UP: u8 = 0;
const DOWN: u8 = 1;
const BOTH: u8 = 2;

#[inline(never)]
fn feed_mean_in<const DIR: u8, V: Visit>(rule: Rule, w: &mut RingSum, xs: &[f64], v: &mut V) {
    let dir = match DIR {
        UP => Direction::Up,
        DOWN => Direction::Down,
        _ => Direction::Both,
    };
    let cap = w.buf.len();
    let period = 8 * cap;
    let (mut sum, mut valid, mut head, mut since) = (w.sum, w.valid, w.head, w.since_exact);
    // The count as a float too (exact: counts are far below 2^53), so the loop converts nothing.
    let mut den = valid as f64;
    let mut index = v.index();
    let mut open = v.is_open();
    let mut rest = xs;
    while !rest.is_empty() && head < cap {
        let n = (cap - head)
            .min(rest.len())
            .min(period.saturating_sub(since).max(1));
        let (run, tail) = rest.split_at(n);
        for (slot, &x) in w.buf[head..head + n].iter_mut().zip(run) {
            if V::EVERY {
                v.put_at(index, x, rule.verdict(x, valid, sum, den));
            } else if rule.flag(dir, x, valid, sum, den) | open {
                v.put_at(index, x, rule.verdict(x, valid, sum, den));
                open = v.is_open();
            }
            index += 1;
            let old = std::mem::replace(slot, x);
            sum += RingSum::contribution(x) - RingSum::contribution(old);
            let change = usize::from(!x.is_nan()) as isize - usize::from(!old.is_nan()) as isize;
            valid = valid.wrapping_add_signed(change);
            den += change as f64;
        }
        rest = tail;
        head += n;
        if head == cap {
            head = 0;
        }
        since += n;
        if since >= period {
            since = 0;
            sum = w.exact_sum();
        }
    }
    w.filled = (w.filled + xs.len()).min(cap);
    (w.sum, w.valid, w.head, w.since_exact) = (sum, valid, head, since);
    v.set_index(index);
}
