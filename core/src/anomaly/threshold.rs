//! Threshold for a duration: "CPU above 80 % for 5 minutes" is `threshold = 80`, `duration = 5` periods
//! of one minute. A missing point neither extends nor breaks a run (the run is unknown there, and a lost
//! scrape must not reset an alert that is about to fire).

use serde::{Deserialize, Serialize};

use super::stream::Visit;
use super::{Direction, Step};

/// Directions as kernel parameters.
const UP: u8 = 0;
const DOWN: u8 = 1;
const BOTH: u8 = 2;

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
        self.verdict(self.run)
    }

    /// The verdict for a run of `run` points past the threshold.
    #[inline(always)]
    fn verdict(&self, run: usize) -> Step {
        Step {
            flag: run >= self.duration,
            critical: run >= self.duration.saturating_mul(2),
            score_num: run as f64,
            score_den: self.duration as f64,
            expected_num: self.threshold,
            expected_den: 1.0,
            threshold: 0.0,
            scale: 0,
            escalated: false,
        }
    }

    /// [`Stream::extend`](super::Stream::extend)'s and the batch's loop, with the run length in a register
    /// and the direction compiled in: the same verdicts and final state as [`Threshold::step`] on each
    /// point.
    pub(crate) fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        match self.direction {
            Direction::Up => self.feed_in::<UP, V>(xs, v),
            Direction::Down => self.feed_in::<DOWN, V>(xs, v),
            Direction::Both => self.feed_in::<BOTH, V>(xs, v),
        }
    }

    #[inline(never)]
    fn feed_in<const DIR: u8, V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        let t = self.threshold;
        let mut run = self.run;
        let mut index = v.index();
        let mut open = v.is_open();
        for &x in xs {
            if x.is_nan() {
                if V::EVERY || open {
                    v.put_at(index, x, Step::quiet(t));
                    open = v.is_open();
                }
            } else {
                // As in `step`.
                let past = match DIR {
                    UP => x > t,
                    DOWN => x < t,
                    _ => x != t,
                };
                run = if past { run + 1 } else { 0 };
                if V::EVERY || (run >= self.duration) | open {
                    v.put_at(index, x, self.verdict(run));
                    open = v.is_open();
                }
            }
            index += 1;
        }
        self.run = run;
        v.set_index(index);
    }
}
