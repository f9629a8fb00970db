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
    #[inline]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        let (valid, base) = match &self.window {
            Trailing::Mean(w) => (w.valid(), w.mean()),
            Trailing::Median(w) => (w.valid(), w.median()),
        };
        let step = if valid < self.min_periods || x.is_nan() {
            Step::quiet(if valid < self.min_periods {
                f64::NAN
            } else {
                base
            })
        } else {
            self.judge(x, base)
        };
        match &mut self.window {
            Trailing::Mean(w) => w.push(x),
            Trailing::Median(w) => w.push(x),
        }
        step
    }

    #[inline]
    fn judge(&self, x: f64, base: f64) -> Step {
        // score = x / baseline; a baseline of 0 (or below) has no ratio: any positive value is "up".
        let score = if base > 0.0 {
            // A baseline near zero (a subnormal) can overflow the ratio: the largest finite one instead.
            (x / base).clamp(-f64::MAX, f64::MAX)
        } else if x > base {
            f64::MAX
        } else {
            1.0
        };
        let up = score >= self.ratio;
        let down = score <= 1.0 / self.ratio;
        let flag = match self.direction {
            Direction::Up => up,
            Direction::Down => down,
            Direction::Both => up || down,
        };
        // Critical: twice as far past the threshold as the threshold is from 1.
        let critical = score >= 2.0 * self.ratio - 1.0 || score <= 1.0 / (2.0 * self.ratio - 1.0);
        Step {
            flag,
            score,
            expected: base,
            critical: flag && critical,
        }
    }
}
