//! Threshold for a duration: "CPU above 80 % for 5 minutes" is `threshold = 80`, `duration = 5` periods
//! of one minute. A missing point neither extends nor breaks a run (the run is unknown there, and a lost
//! scrape must not reset an alert that is about to fire).

use serde::{Deserialize, Serialize};

use super::{Direction, Step};

/// Streaming state of the threshold detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Threshold {
    pub(crate) threshold: f64,
    pub(crate) duration: usize,
    pub(crate) direction: Direction,
    /// Consecutive valid points past the threshold.
    run: usize,
}

impl Threshold {
    pub(crate) fn new(threshold: f64, duration: usize, direction: Direction) -> Self {
        Threshold {
            threshold,
            duration: duration.max(1),
            direction,
            run: 0,
        }
    }

    /// The run counter is bounded (a stored state cannot overflow it).
    pub(crate) fn is_consistent(&self) -> bool {
        self.run as u64 <= super::MAX_COUNT
    }

    /// Score: the run length in units of the duration (flagged from 1 on). The flag and the severity are
    /// integer comparisons, so the score's division is only done where it is used.
    #[inline(always)]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        if x.is_nan() {
            return Step::quiet(self.threshold);
        }
        let past = match self.direction {
            Direction::Up => x > self.threshold,
            Direction::Down => x < self.threshold,
            Direction::Both => x != self.threshold,
        };
        self.run = if past { self.run + 1 } else { 0 };
        let flag = self.run >= self.duration;
        Step {
            flag,
            critical: self.run >= self.duration.saturating_mul(2),
            score_num: self.run as f64,
            score_den: self.duration as f64,
            expected_num: self.threshold,
            expected_den: 1.0,
        }
    }
}
