//! Robust z-score: the modified z of Iglewicz and Hoaglin (1993), `0.6745 (x - median) / MAD`, over the
//! trailing window.

use serde::{Deserialize, Serialize};

use super::stream::Visit;
use super::window::SortedWindow;
use super::{Direction, Step};

/// `0.6745 = Φ⁻¹(0.75)`: makes the MAD a consistent estimate of σ for normal data.
pub(crate) const MAD_TO_SIGMA: f64 = 0.674_489_750_196_081_7;
/// The mean absolute deviation is `σ √(2/π)` for normal data; its inverse scales it to σ.
pub(crate) const MEANAD_TO_SIGMA: f64 = 1.253_314_137_315_500_3;

/// Streaming state of the robust z detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RobustZ {
    pub(crate) threshold: f64,
    pub(crate) direction: Direction,
    pub(crate) min_periods: usize,
    pub(crate) window: SortedWindow,
}

impl RobustZ {
    pub(crate) fn new(
        window: usize,
        threshold: f64,
        direction: Direction,
        min_periods: usize,
    ) -> Self {
        RobustZ {
            threshold,
            direction,
            min_periods: min_periods.max(3),
            window: SortedWindow::new(window),
        }
    }

    #[inline]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        let step = if self.window.valid() < self.min_periods {
            Step::quiet(f64::NAN)
        } else {
            let m = self.window.median();
            if x.is_nan() {
                Step::quiet(m)
            } else {
                score_step(
                    x,
                    m,
                    robust_sigma(&mut self.window, m),
                    self.threshold,
                    self.direction,
                )
            }
        };
        self.window.push(x);
        step
    }

    /// [`RobustZ::step`] for a caller that wants only the flagged points' verdicts (a stream's alerts,
    /// `detect_many_alerts`): `None` when the point surely is not flagged, without the MAD. σ is never
    /// below `mad_lower_bound / 0.6745` ([`SortedWindow::mad_lower_bound`]), so `|x - m|` within 0.999
    /// of the threshold times that cannot pass the threshold in either direction (the 0.1 % margin is
    /// far wider than the few roundings of the test). The state moves as by `step`.
    #[inline]
    pub(crate) fn step_unless_quiet(&mut self, x: f64) -> Option<Step> {
        if self.window.valid() >= self.min_periods && !x.is_nan() {
            let m = self.window.median();
            let bound = self.window.mad_lower_bound(m) * (0.999 / MAD_TO_SIGMA);
            if (x - m).abs() > self.threshold * bound || bound.is_nan() {
                return Some(self.step(x));
            }
        }
        self.window.push(x);
        None
    }

    /// The detector's loop: every point through [`RobustZ::step`] when every verdict is wanted, else
    /// through [`RobustZ::step_unless_quiet`] (a quiet point is reported only while an alert is open,
    /// to count towards its cooldown).
    #[inline]
    pub(crate) fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        for &x in xs {
            let s = if V::EVERY {
                Some(self.step(x))
            } else {
                self.step_unless_quiet(x)
            };
            match s {
                Some(s) => v.point(x, s),
                None if v.is_open() => v.point(x, Step::quiet(f64::NAN)),
                None => v.set_index(v.index() + 1),
            }
        }
    }
}

/// σ from the MAD; from the mean absolute deviation when more than half the window is equal (MAD 0);
/// never below `1e-9 max(1, |m|)`, so a perfectly flat window still gives a finite score.
pub(crate) fn robust_sigma(w: &mut SortedWindow, m: f64) -> f64 {
    let mad = w.mad(m) / MAD_TO_SIGMA;
    let s = if mad > 0.0 {
        mad
    } else {
        w.mean_abs_dev(m) * MEANAD_TO_SIGMA
    };
    s.max(1e-9 * m.abs().max(1.0))
}

/// z = (x - expected) / sigma, flagged by direction against `threshold`, critical past twice it.
#[inline]
pub(crate) fn score_step(
    x: f64,
    expected: f64,
    sigma: f64,
    threshold: f64,
    direction: Direction,
) -> Step {
    let score = (x - expected) / sigma;
    let flag = match direction {
        Direction::Up => score > threshold,
        Direction::Down => score < -threshold,
        Direction::Both => score.abs() > threshold,
    };
    Step::new(flag, flag && score.abs() > 2.0 * threshold, score, expected)
}
