//! EWMA control chart (Roberts 1959; Montgomery, *Introduction to Statistical Quality Control*, §9.2).
//!
//! `z_t = λ x_t + (1 - λ) z_{t-1}`, `z_0 = μ₀`, with limits `μ₀ ± L σ √(λ/(2-λ) (1 - (1-λ)^{2t}))`.
//! `μ₀` and `σ` are given, or estimated from the first `warmup` valid points (the mean, and the average
//! moving range over `d₂ = 1.128`, the individuals-chart estimate of σ that a slow drift does not inflate).

use serde::{Deserialize, Serialize};

use super::stream::Visit;
use super::{Direction, Step};

/// Directions as kernel parameters.
const UP: u8 = 0;
const DOWN: u8 = 1;
const BOTH: u8 = 2;

/// The individuals-chart constant d₂ for moving ranges of two.
const D2: f64 = 1.128;

/// Streaming state of the EWMA chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ewma {
    pub(crate) lambda: f64,
    pub(crate) limit: f64,
    pub(crate) direction: Direction,
    pub(crate) warmup: usize,
    /// In-control mean μ₀ (set by the caller, or after the warm-up).
    pub(crate) target: Option<f64>,
    /// In-control σ.
    pub(crate) sigma: Option<f64>,
    /// Points seen in the warm-up: count, sum, sum of moving ranges, last value.
    seen: usize,
    sum: f64,
    mr_sum: f64,
    #[serde(with = "super::nan_serde::scalar")]
    last: f64,
    /// The chart statistic and `(1-λ)^{2t}`.
    #[serde(with = "super::nan_serde::scalar")]
    z: f64,
    decay2: f64,
    /// The limits' width `σ √(λ/(2-λ) (1 - (1-λ)^{2t}))` at the last step (0: not yet computed); constant
    /// once `(1-λ)^{2t}` has vanished, so the steady state needs no square root.
    #[serde(default)]
    width: f64,
}

impl Ewma {
    pub(crate) fn new(
        lambda: f64,
        limit: f64,
        direction: Direction,
        warmup: usize,
        target: Option<f64>,
        sigma: Option<f64>,
    ) -> Self {
        Ewma {
            lambda,
            limit,
            direction,
            warmup: warmup.max(2),
            target,
            sigma,
            seen: 0,
            sum: 0.0,
            mr_sum: 0.0,
            last: f64::NAN,
            z: target.unwrap_or(f64::NAN),
            decay2: 1.0,
            width: 0.0,
        }
    }

    #[inline(always)]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        if x.is_nan() {
            return Step::quiet(self.target.unwrap_or(f64::NAN));
        }
        let (Some(mu), Some(sigma)) = (self.target, self.sigma) else {
            self.learn(x);
            return Step::quiet(self.target.unwrap_or(f64::NAN));
        };
        let l = self.lambda;
        self.z = l * x + (1.0 - l) * self.z;
        // Once (1-λ)^{2t} is below f64's resolution the limits are the asymptotic ones: no square root,
        // and no subnormal products on the way to zero.
        if self.decay2 != 0.0 || self.width == 0.0 {
            (self.decay2, self.width) = limit_width(l, sigma, self.decay2);
        }
        self.verdict(self.z - mu, self.width, mu)
    }

    /// The verdict for the chart at `d = z - μ₀` with limits `μ₀ ± L width`: flag and severity by
    /// multiplication; the score's division only where it is used.
    #[inline(always)]
    fn verdict(&self, d: f64, width: f64, mu: f64) -> Step {
        let lim = self.limit * width;
        let flag = match self.direction {
            Direction::Up => d > lim,
            Direction::Down => d < -lim,
            Direction::Both => d.abs() > lim,
        };
        Step {
            flag,
            critical: flag && d.abs() > 2.0 * lim,
            score_num: d,
            score_den: width,
            expected_num: mu,
            expected_den: 1.0,
            threshold: 0.0,
            scale: 0,
            escalated: false,
        }
    }

    /// μ₀ and σ are known and the limits have their steady width: [`Ewma::feed_steady`] applies.
    pub(crate) fn is_steady(&self) -> bool {
        self.target.is_some() && self.sigma.is_some() && self.decay2 == 0.0 && self.width != 0.0
    }

    /// [`Stream::extend`](super::Stream::extend)'s and the batch's loop: point by point until μ₀ and σ
    /// are known and the limits have their steady width, then [`Ewma::feed_steady`].
    pub(crate) fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        let mut i = 0;
        while i < xs.len() && !self.is_steady() {
            let s = self.step(xs[i]);
            v.point(xs[i], s);
            i += 1;
        }
        if i < xs.len() {
            self.feed_steady(&xs[i..], v);
        }
    }

    /// [`Stream::extend`](super::Stream::extend)'s loop once [`Ewma::is_steady`], with the chart
    /// statistic in a register: the same verdicts, events and final state as [`Ewma::step`] on each
    /// point (point by point if the chart is not steady). Compiled per direction, so a stream's loop
    /// decides the flag alone and builds a verdict only for the tracker.
    fn feed_steady<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        match self.direction {
            Direction::Up => self.feed_steady_in::<UP, V>(xs, v),
            Direction::Down => self.feed_steady_in::<DOWN, V>(xs, v),
            Direction::Both => self.feed_steady_in::<BOTH, V>(xs, v),
        }
    }

    #[inline(never)]
    fn feed_steady_in<const DIR: u8, V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        let (true, Some(mu)) = (self.is_steady(), self.target) else {
            for &x in xs {
                let s = self.step(x);
                v.point(x, s);
            }
            return;
        };
        let (l, width) = (self.lambda, self.width);
        let k = 1.0 - l;
        let lim = self.limit * width;
        let mut z = self.z;
        let mut index = v.index();
        let mut open = v.is_open();
        for &x in xs {
            if x.is_nan() {
                if V::EVERY || open {
                    v.put_at(index, x, Step::quiet(mu));
                    open = v.is_open();
                }
            } else {
                z = l * x + k * z;
                let d = z - mu;
                // As in `verdict`.
                let flag = match DIR {
                    UP => d > lim,
                    DOWN => d < -lim,
                    _ => d.abs() > lim,
                };
                if V::EVERY || flag | open {
                    v.put_at(index, x, self.verdict(d, width, mu));
                    open = v.is_open();
                }
            }
            index += 1;
        }
        self.z = z;
        v.set_index(index);
    }

    /// The invariants a deserialised chart must hold (finite state, counters within their bounds).
    pub(crate) fn is_consistent(&self) -> bool {
        // μ₀ and σ are learnt when the warm-up completes: without both it is still running.
        ((self.sigma.is_some() && self.target.is_some()) || self.seen < self.warmup)
            && self.seen <= self.warmup
            && self.sigma.is_none_or(|s| s.is_finite() && s > 0.0)
            && self.target.is_none_or(f64::is_finite)
            && !self.z.is_infinite()
            && (0.0..=1.0).contains(&self.decay2)
            && self.width.is_finite()
            && self.width >= 0.0
            // A stored steady-state width must be the one σ and λ give (it is not recomputed).
            && (self.decay2 != 0.0
                || self.width == 0.0
                || self.sigma.is_some_and(|s| {
                    let (_, w) = limit_width(self.lambda, s, 0.0);
                    (self.width - w).abs() <= 1e-12 * w
                }))
            && !self.sum.is_nan()
            && !self.mr_sum.is_nan()
            && !self.last.is_infinite()
    }

    fn learn(&mut self, x: f64) {
        if !self.last.is_nan() {
            self.mr_sum += (x - self.last).abs();
        }
        self.last = x;
        self.seen += 1;
        self.sum += x;
        if self.seen < self.warmup {
            return;
        }
        let mean = self.sum / self.seen as f64;
        let mr = self.mr_sum / (self.seen - 1) as f64 / D2;
        let target = *self.target.get_or_insert(mean);
        // A flat warm-up has no spread: fall back to a tiny σ relative to the level.
        self.sigma
            .get_or_insert(mr.max(1e-9 * target.abs().max(1.0)));
        self.z = target;
    }
}

/// `(1-λ)^{2t}` advanced one step (unless it has vanished: below 1e-18 it is 0) and the limits' width
/// `σ √(λ/(2-λ) (1 - (1-λ)^{2t}))` for it. A pure function, so the chart's state can stay in registers
/// in a loop.
#[inline(never)]
fn limit_width(l: f64, sigma: f64, decay2: f64) -> (f64, f64) {
    let mut d = decay2;
    if d != 0.0 {
        d *= (1.0 - l) * (1.0 - l);
        if d < 1e-18 {
            d = 0.0;
        }
    }
    (d, (sigma * (l / (2.0 - l) * (1.0 - d)).sqrt()).max(1e-300))
}
