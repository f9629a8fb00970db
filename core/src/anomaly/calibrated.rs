//! The calibrated detector: multi-scale robust scores whose alert threshold is learnt from the series'
//! own score distribution, by peaks over threshold (SPOT, Siffer, Fouque, Termier and Largouët,
//! "Anomaly detection in streams with extreme value theory", KDD 2017).
//!
//! For each scale k (1, 8 and 48 periods by default) the statistic is the mean of the last k values
//! against the median of the `window` periods before them, in robust standard deviations (MAD). A
//! single spike moves the k = 1 score, a level shift or a change of variance the longer ones. Each
//! scale's threshold is the `1 / (budget × scales)` upper quantile of its scores on this series: the
//! excesses over their 98th percentile are fitted by a generalized Pareto distribution (method of
//! moments, Hosking and Wallis 1987) and the quantile read from the fit, as SPOT does. It is
//! re-estimated every 64 periods from the last 8,640 scores, so the false-alarm rate stays near the
//! budget however heavy the series' tails. After an alert the detector is quiet for `refractory`
//! periods: one ongoing anomaly is one alert. A new anomaly in that period is still raised when it is
//! clearly the stronger: once the longest scale no longer averages over the alert's period, a score
//! past its threshold and past twice the largest score (to threshold) seen since the alert escalates.
//! Until then (the alert's own span) the scores are the incident's, so they are not learnt: a moderate
//! spike left the 48-period mean high for 48 periods, and learnt, that aftermath raised its threshold.
//! A persistent level shift becomes the new normal once it fills half the window (the median moves),
//! after at most `window / 2` periods.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::robust_z::robust_sigma;
use super::window::{RingSum, SortedWindow};
use super::{Direction, Step};

/// Scores kept for the calibration (30 days of 5-minute periods).
pub(crate) const HISTORY: usize = 8640;
/// Periods between two re-estimations of the thresholds.
pub(crate) const RECALIBRATE: u64 = 64;
/// The peaks-over-threshold level: excesses over this quantile of the scores are fitted (or over the
/// 8 largest scores, when 2 % of the scores are fewer).
const INIT_QUANTILE: f64 = 0.98;
/// Excesses the fit needs; fewer and no threshold is set (no alert yet).
const MIN_EXCESSES: usize = 8;
/// Scores past this multiple of the threshold are not learnt.
const EXCLUDE_PAST: f64 = 2.0;
/// Scores the first fit needs.
pub(crate) const MIN_SCORES: usize = 100;
/// In the refractory period, a score (to its threshold) past this multiple of the largest one since the
/// alert is a new, stronger anomaly and is raised.
pub(crate) const ESCALATION: f64 = 2.0;

/// A fixed-capacity ring of the last scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ring {
    buf: Vec<f64>,
    head: usize,
    cap: usize,
}

impl Ring {
    fn new(cap: usize) -> Ring {
        Ring {
            buf: Vec::new(),
            head: 0,
            cap,
        }
    }

    fn push(&mut self, x: f64) {
        if self.buf.len() < self.cap {
            self.buf.push(x);
        } else {
            self.buf[self.head] = x;
            self.head = (self.head + 1) % self.cap;
        }
    }

    fn is_consistent(&self) -> bool {
        self.cap >= 1
            && self.buf.len() <= self.cap
            && self.head < self.cap.max(1)
            && (self.buf.len() == self.cap || self.head == 0)
            && self.buf.iter().all(|v| v.is_finite())
    }
}

/// What a tail fit gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tail {
    /// The quantile read from the generalized Pareto fit.
    Fitted(f64),
    /// Fewer than 8 scores exceed the percentile (a few repeated values: a flat, quantised or perfectly
    /// periodic series): nothing to fit; the largest score seen.
    Bounded(f64),
}

/// The threshold a generalized Pareto fit of the excesses over the 98th percentile (or over the 8
/// largest scores, when 2 % are fewer) gives for an upper tail of probability `q` (SPOT's
/// `z_q = t + σ/γ ((q n / N_t)^-γ - 1)`); `None` below 100 scores.
pub(crate) fn spot_threshold(scores: &[f64], q: f64) -> Option<Tail> {
    let n = scores.len();
    if n < MIN_SCORES {
        return None;
    }
    let mut s = scores.to_vec();
    let k = ((INIT_QUANTILE * (n - 1) as f64).floor() as usize)
        .min(n - 1 - MIN_EXCESSES)
        .min(n - 1);
    let (_, t, _) = s.select_nth_unstable_by(k, f64::total_cmp);
    let t = *t;
    let exc: Vec<f64> = scores.iter().filter(|&&v| v > t).map(|v| v - t).collect();
    let nt = exc.len();
    if nt < MIN_EXCESSES {
        return s
            .iter()
            .copied()
            .max_by(f64::total_cmp)
            .filter(|m| m.is_finite())
            .map(Tail::Bounded);
    }
    let mean = exc.iter().sum::<f64>() / nt as f64;
    let var = exc.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / (nt - 1) as f64;
    if mean.is_nan() || mean <= 0.0 {
        return None;
    }
    // Method of moments: γ = (1 - m²/v) / 2, σ = m (m²/v + 1) / 2 (γ = 0, σ = m for an exponential
    // tail, which is also the limit when the variance is 0).
    let (gamma, sigma) = if var > 0.0 {
        let r = mean * mean / var;
        (0.5 * (1.0 - r), 0.5 * mean * (r + 1.0))
    } else {
        (0.0, mean)
    };
    // A fitted short tail (γ < 0) puts an upper bound just past the largest excesses seen, and a far
    // quantile then sits on it: Gaussian-like scores would alarm far above the budget. The tail is
    // taken as at least exponential (γ ≥ 0), the conservative choice at quantiles beyond the data.
    let gamma = gamma.max(0.0);
    let ratio = q * n as f64 / nt as f64;
    let z = if gamma.abs() < 1e-9 {
        t - sigma * ratio.ln()
    } else {
        t + sigma / gamma * (ratio.powf(-gamma) - 1.0)
    };
    z.is_finite().then_some(Tail::Fitted(z.max(t)))
}

/// The least threshold of scale `k`: the score independent Gaussian noise passes with probability `q`
/// (both tails; the mean of k values has σ/√k). A series whose scores have no spread (mostly equal
/// values, a quantised or perfectly periodic signal) would otherwise get a threshold at its largest
/// score, 0 for a flat one, and alert on any change at all.
fn gaussian_floor(q: f64, k: usize) -> f64 {
    crate::dist::norm_ppf(1.0 - 0.5 * q) / (k as f64).sqrt()
}

/// Cycles whose same-phase values give the seasonal expected value.
pub(crate) const SEASONS: usize = 4;

/// The last `SEASONS × m` values, for the seasonal expected value: the median of the values at the same
/// phase of the last four cycles (those present).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeasonRing {
    pub(crate) m: usize,
    #[serde(with = "super::nan_serde::vec")]
    buf: Vec<f64>,
    head: usize,
}

impl SeasonRing {
    fn new(m: usize) -> SeasonRing {
        SeasonRing {
            m,
            buf: vec![f64::NAN; SEASONS * m],
            head: 0,
        }
    }

    /// The seasonal expected value of the next period (NaN before a cycle has passed), then `x` kept.
    fn next(&mut self, x: f64) -> f64 {
        let len = self.buf.len();
        let mut same = [0.0f64; SEASONS];
        let mut k = 0;
        for j in 1..=SEASONS {
            // `head` is where the value of `len` periods ago sits; j cycles ago is j·m back from `head`
            let v = self.buf[(self.head + len - j * self.m) % len];
            if !v.is_nan() {
                same[k] = v;
                k += 1;
            }
        }
        self.buf[self.head] = x;
        self.head = (self.head + 1) % len;
        if k == 0 {
            return f64::NAN;
        }
        let v = &mut same[..k];
        v.sort_unstable_by(f64::total_cmp);
        if k % 2 == 1 {
            v[k / 2]
        } else {
            0.5 * (v[k / 2 - 1] + v[k / 2])
        }
    }

    fn is_consistent(&self) -> bool {
        self.m >= 2
            && self.buf.len() == SEASONS * self.m
            && self.head < self.buf.len()
            && self.buf.iter().all(|v| !v.is_infinite())
    }
}

/// Streaming state of [`super::Method::Calibrated`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Calibrated {
    pub(crate) window_len: usize,
    pub(crate) scales: Vec<usize>,
    pub(crate) budget: f64,
    pub(crate) refractory: u64,
    pub(crate) warmup: u64,
    pub(crate) direction: Direction,
    /// The season whose same-phase median is taken out first, if any.
    pub(crate) season: Option<SeasonRing>,
    window: SortedWindow,
    /// The baselines (median, σ) of the last `max scale` periods, newest last (NaN: none yet).
    #[serde(with = "super::nan_serde::pairs")]
    baselines: VecDeque<(f64, f64)>,
    sums: Vec<RingSum>,
    history: Vec<Ring>,
    /// Each scale's threshold; +∞ (JSON `null`) until its first fit.
    #[serde(with = "super::nan_serde::inf_vec")]
    thresholds: Vec<f64>,
    /// Periods seen.
    t: u64,
    /// Periods left in the refractory period.
    quiet_for: u64,
    /// The largest score-to-threshold ratio since the last alert (its own included); absent in a
    /// state saved before escalation existed: 0.
    #[serde(default)]
    peak: f64,
}

impl Calibrated {
    pub(crate) fn new(
        window: usize,
        scales: &[usize],
        budget: f64,
        refractory: u64,
        warmup: u64,
        direction: Direction,
        season_length: Option<usize>,
    ) -> Calibrated {
        let max_scale = scales.iter().copied().max().unwrap_or(1);
        // With a season the expected value is the median of the cycles seen so far, and each cycle added
        // moves it (by half a cycle of trend on a growing series): the warm-up lasts until all four
        // cycles are in, so that step is not an alert.
        let warmup = season_length.map_or(warmup, |m| warmup.max((SEASONS * m) as u64));
        Calibrated {
            window_len: window,
            scales: scales.to_vec(),
            budget,
            refractory,
            warmup,
            direction,
            season: season_length.map(SeasonRing::new),
            window: SortedWindow::new(window),
            baselines: VecDeque::with_capacity(max_scale + 1),
            sums: scales.iter().map(|&k| RingSum::new(k)).collect(),
            history: scales.iter().map(|_| Ring::new(HISTORY)).collect(),
            thresholds: vec![f64::INFINITY; scales.len()],
            t: 0,
            quiet_for: 0,
            peak: 0.0,
        }
    }

    pub(crate) fn is_consistent(&self) -> bool {
        let max_scale = self.scales.iter().copied().max().unwrap_or(0);
        self.window.is_consistent()
            && self.season.as_ref().is_none_or(SeasonRing::is_consistent)
            && self.window.capacity() == self.window_len
            && !self.scales.is_empty()
            && self.sums.len() == self.scales.len()
            && self.history.len() == self.scales.len()
            && self.thresholds.len() == self.scales.len()
            && self
                .sums
                .iter()
                .zip(&self.scales)
                .all(|(s, &k)| s.capacity() == k && s.is_consistent())
            && self
                .history
                .iter()
                .all(|h| h.cap == HISTORY && h.is_consistent())
            && self.baselines.len() <= max_scale
            && self.thresholds.iter().all(|t| !t.is_nan())
            && self.t <= super::MAX_COUNT
            && self.quiet_for <= self.refractory
            && self.peak.is_finite()
            && self.peak >= 0.0
    }

    fn recalibrate(&mut self) {
        let q = 1.0 / (self.budget * self.scales.len() as f64);
        for ((h, thr), &k) in self
            .history
            .iter()
            .zip(self.thresholds.iter_mut())
            .zip(&self.scales)
        {
            let floor = gaussian_floor(q, k);
            *thr = match spot_threshold(&h.buf, q) {
                Some(Tail::Fitted(z)) => z.max(floor),
                // scores with no tail: a departure past the largest one by what noise would need
                Some(Tail::Bounded(z)) => z + floor,
                None => f64::INFINITY,
            };
        }
    }

    #[inline]
    pub(crate) fn step(&mut self, raw: f64) -> Step {
        // With a season, the detector works on the residual from the same phase's median of the last
        // four cycles; the expected value reported is that median plus the residuals' baseline.
        let seasonal = match &mut self.season {
            Some(ring) => ring.next(raw),
            None => 0.0,
        };
        let x = raw - seasonal;
        // the baseline of this period: the window before it
        let baseline = if self.window.valid() >= (self.window_len / 4).max(3) {
            let m = self.window.median();
            let s = robust_sigma(&mut self.window, m)
                .max(self.window.mean_abs_dev(m) * super::robust_z::MEANAD_TO_SIGMA);
            Some((m, s))
        } else {
            None
        };
        self.window.push(x);
        let longest = self.scales.iter().copied().max().unwrap_or(1);
        if self.baselines.len() == longest {
            self.baselines.pop_front();
        }
        self.baselines
            .push_back(baseline.unwrap_or((f64::NAN, f64::NAN)));
        for s in &mut self.sums {
            s.push(x);
        }
        self.t += 1;
        if self.t >= self.warmup && (self.t - self.warmup).is_multiple_of(RECALIBRATE) {
            self.recalibrate();
        }
        let expected = baseline.map_or(f64::NAN, |b| b.0) + seasonal;
        if x.is_nan() {
            self.quiet_for = self.quiet_for.saturating_sub(1);
            return Step::quiet(expected);
        }
        // each scale's statistic: the mean of the last k values against the baseline before them; the
        // scale furthest past its threshold (by ratio) speaks for the point
        let mut best: Option<(usize, f64, f64, f64)> = None; // (scale index, z, threshold, z / threshold)
        let len = self.baselines.len();
        // The alert's own span: the first `longest` periods of the refractory period, while the longest
        // scale's mean still holds the alerting period. Its scores are the incident's, not the normal
        // tail's: they are not learnt (nor can they escalate, below).
        let in_alert_span = self.quiet_for > 0 && self.refractory - self.quiet_for < longest as u64;
        for (j, &k) in self.scales.iter().enumerate() {
            let sum = &self.sums[j];
            if len < k || sum.valid() < k.div_ceil(2) {
                continue;
            }
            let (m, sigma) = self.baselines[len - k];
            if m.is_nan() {
                continue;
            }
            let z = (sum.sum() / sum.valid() as f64 - m) / sigma;
            let signed = match self.direction {
                Direction::Up => z,
                Direction::Down => -z,
                Direction::Both => z.abs(),
            };
            if !signed.is_finite() {
                continue;
            }
            let thr = self.thresholds[j];
            // As SPOT does, a score past the threshold is an anomaly, not a sample of the normal tail:
            // it is not learnt, so one incident does not raise the bar for the next; nor is the
            // aftermath an alert leaves in the longer scales' means.
            if signed <= EXCLUDE_PAST * thr && !in_alert_span {
                self.history[j].push(signed);
            }
            let ratio = signed / thr;
            if best.is_none_or(|b| ratio > b.3) {
                best = Some((j, z, thr, ratio));
            }
        }
        let mut escalated = false;
        if self.quiet_for > 0 {
            self.quiet_for -= 1;
            let Some(b) = best else {
                return Step::quiet(expected);
            };
            // past the alert's own span, a clearly stronger score is a new anomaly
            escalated = !in_alert_span && b.3 > 1.0 && b.3 > ESCALATION * self.peak;
            self.peak = self.peak.max(b.3.min(f64::MAX));
            if !escalated {
                return Step::quiet(expected);
            }
        }
        let Some((j, z, thr, ratio)) = best else {
            return Step::quiet(expected);
        };
        let (m, _) = self.baselines[len - self.scales[j]];
        let flag = ratio > 1.0;
        if flag {
            self.quiet_for = self.refractory;
            self.peak = ratio.min(f64::MAX);
        }
        let mut s = Step::new(flag, flag && ratio > 2.0, z, m + seasonal);
        s.threshold = thr;
        s.scale = self.scales[j] as u32;
        s.escalated = escalated;
        s
    }
}
