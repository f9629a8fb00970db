//! Baseline ratio: each value against the trailing mean or median of the last `window` periods.

use serde::{Deserialize, Serialize};

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
        let (valid, num, den) = match &self.window {
            Trailing::Mean(w) => (w.valid(), w.sum(), w.valid() as f64),
            Trailing::Median(w) => (w.valid(), w.median(), 1.0),
        };
        let step = if valid < self.min_periods || x.is_nan() {
            Step::quiet(if valid < self.min_periods {
                f64::NAN
            } else {
                num / den
            })
        } else {
            self.judge(x, num, den)
        };
        match &mut self.window {
            Trailing::Mean(w) => w.push(x),
            Trailing::Median(w) => w.push(x),
        }
        step
    }

    /// `x` against the baseline `num / den` (`den > 0`): score `x / baseline`, flagged at `≥ ratio` (up) or
    /// `≤ 1/ratio` (down), critical twice as far past the threshold as the threshold is from 1. A baseline
    /// of 0 (or below) has no ratio: any larger value is "up".
    #[inline(always)]
    fn judge(&self, x: f64, num: f64, den: f64) -> Step {
        if num > 0.0 {
            let r = self.ratio;
            let xd = x * den;
            let (up, down) = (xd >= r * num, xd * r <= num);
            let c = 2.0 * r - 1.0;
            let critical = xd >= c * num || xd * c <= num;
            // score = x / (num / den) = x den / num.
            let flag = self.flagged(up, down);
            return Step {
                flag,
                critical: flag && critical,
                score_num: xd,
                score_den: num,
                expected_num: num,
                expected_den: den,
            };
        }
        let base = num / den;
        let up = x > base;
        let flag = self.flagged(up, false);
        Step::new(flag, flag, if up { f64::MAX } else { 1.0 }, base)
    }

    #[inline]
    fn flagged(&self, up: bool, down: bool) -> bool {
        match self.direction {
            Direction::Up => up,
            Direction::Down => down,
            Direction::Both => up || down,
        }
    }
}
