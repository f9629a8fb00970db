//! Seasonal detectors: an online seasonal median with a robust z on its residuals (streaming and batch),
//! and the Seasonal Hybrid ESD test of Twitter's AnomalyDetection package (batch).

use serde::{Deserialize, Serialize};

use super::nan_serde;
use super::robust_z::{MAD_TO_SIGMA, robust_sigma, score_step};
use super::window::{SortedWindow, mad_sorted, median_sorted};
use super::{Direction, Step};
use crate::dist;

/// Streaming state of the seasonal-median detector: for every phase of the season, the values of the
/// last `seasons` cycles; the expected value is their median (O(seasons) per point, independent of the
/// season's length), and the residuals feed a robust z over the last `window` periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Seasonal {
    pub(crate) season_length: usize,
    pub(crate) seasons: usize,
    pub(crate) threshold: f64,
    pub(crate) direction: Direction,
    /// `season_length * seasons` values, phase-major.
    #[serde(with = "nan_serde::vec")]
    history: Vec<f64>,
    /// Periods seen (missing included), so the phase is `t % season_length`.
    t: u64,
    residuals: SortedWindow,
}

impl Seasonal {
    pub(crate) fn new(
        season_length: usize,
        seasons: usize,
        threshold: f64,
        direction: Direction,
        window: usize,
    ) -> Self {
        let m = season_length.max(1);
        let k = seasons.max(2);
        Seasonal {
            season_length: m,
            seasons: k,
            threshold,
            direction,
            history: vec![f64::NAN; m * k],
            t: 0,
            residuals: SortedWindow::new(window.max(8)),
        }
    }

    pub(crate) fn is_consistent(&self) -> bool {
        self.season_length >= 1
            && self.t <= super::MAX_COUNT
            && (2..=16).contains(&self.seasons)
            && self.history.len() == self.season_length * self.seasons
            && self.history.iter().all(|v| !v.is_infinite())
            && self.residuals.is_consistent()
    }

    pub(crate) fn residual_capacity(&self) -> usize {
        self.residuals.capacity()
    }

    #[inline]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        let (m, k) = (self.season_length as u64, self.seasons);
        let phase = (self.t % m) as usize;
        let cycle = ((self.t / m) % k as u64) as usize;
        let slot = &mut self.history[phase * k..(phase + 1) * k];
        let mut same: [f64; 16] = [0.0; 16];
        let mut n = 0;
        for v in slot.iter().filter(|v| !v.is_nan()).take(16) {
            same[n] = *v;
            n += 1;
        }
        // Three cycles of history before the same-phase median is trusted.
        let expected = if n >= 3.min(k) {
            let s = &mut same[..n];
            s.sort_unstable_by(f64::total_cmp);
            median_sorted(s)
        } else {
            f64::NAN
        };
        slot[cycle] = x;
        self.t += 1;
        if expected.is_nan() || x.is_nan() {
            if !expected.is_nan() {
                self.residuals.push(f64::NAN);
            }
            return Step::quiet(expected);
        }
        let r = x - expected;
        // Scored once three quarters of the residual window hold values (missing periods leave holes).
        let step = if 4 * self.residuals.valid() >= 3 * self.residuals.capacity() {
            let c = self.residuals.median();
            let mut s = score_step(
                r,
                c,
                robust_sigma(&mut self.residuals, c),
                self.threshold,
                self.direction,
            );
            s.expected_num = expected + c;
            s.expected_den = 1.0;
            s
        } else {
            Step::quiet(expected)
        };
        self.residuals.push(r);
        step
    }
}

/// Result of the Seasonal Hybrid ESD test on a whole series.
pub(crate) struct EsdOutcome {
    pub(crate) flags: Vec<bool>,
    pub(crate) scores: Vec<f64>,
    pub(crate) expected: Vec<f64>,
    pub(crate) critical: Vec<bool>,
}

/// Seasonal Hybrid ESD (Hochenbaum, Vallis and Kejariwal 2017, "Automatic Anomaly Detection in the
/// Cloud Via Statistical Learning"; Twitter's R package AnomalyDetection):
///
/// 1. seasonal component: the per-phase median of the series minus a centred moving average of one season
///    (a seasonal-median decomposition, as STL with a periodic seasonal window but robust);
/// 2. residual `x - seasonal - level`, the level being the median of the deseasonalised series over
///    pieces of `max(4m, 64)` periods (as the package's `longterm` option splits a long series);
/// 3. generalized ESD (Rosner 1983) with median and MAD in place of mean and standard deviation, for at
///    most `max_anoms · n` outliers at level `alpha`.
///
/// Missing points (NaN) are interpolated for the decomposition and never flagged.
pub(crate) fn shesd(
    x: &[f64],
    m: usize,
    max_anoms: f64,
    alpha: f64,
    direction: Direction,
) -> EsdOutcome {
    let n = x.len();
    let filled = interpolate(x);
    let seasonal = if m >= 2 && n >= 2 * m {
        seasonal_component(&filled, m)
    } else {
        vec![0.0; n]
    };
    let level = piecewise_level(x, &seasonal, m);
    let resid: Vec<f64> = (0..n).map(|i| x[i] - seasonal[i] - level[i]).collect();
    let expected: Vec<f64> = (0..n).map(|i| seasonal[i] + level[i]).collect();

    // Sorted residuals (valid ones) with their indexes.
    let mut order: Vec<(f64, usize)> = resid
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_nan())
        .map(|(i, r)| (*r, i))
        .collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let valid = order.len();
    let mut vals: Vec<f64> = order.iter().map(|p| p.0).collect();

    // Robust z of every residual against the full sample: the reported score.
    let med = median_sorted(&vals);
    let sigma = (mad_sorted(&vals, med) / MAD_TO_SIGMA).max(1e-9 * med.abs().max(1.0));
    let scores: Vec<f64> = resid
        .iter()
        .map(|r| if r.is_nan() { 0.0 } else { (r - med) / sigma })
        .collect();

    let k = ((max_anoms * valid as f64).floor() as usize).min(valid.saturating_sub(3));
    let mut removed: Vec<usize> = Vec::with_capacity(k);
    let mut last_significant = 0;
    for i in 1..=k {
        if vals.len() < 3 {
            break;
        }
        let med = median_sorted(&vals);
        let mad = mad_sorted(&vals, med);
        if mad <= 0.0 {
            break;
        }
        let lo = med - vals[0];
        let hi = vals[vals.len() - 1] - med;
        let pick_hi = match direction {
            Direction::Up => true,
            Direction::Down => false,
            Direction::Both => hi >= lo,
        };
        let (dev, pos) = if pick_hi {
            (hi, vals.len() - 1)
        } else {
            (lo, 0)
        };
        let r_stat = dev / (mad / MAD_TO_SIGMA);
        // Position of the removed value among `order` (which shrinks with `vals`).
        removed.push(order[pos].1);
        vals.remove(pos);
        order.remove(pos);
        let nn = valid as f64;
        let fi = i as f64;
        let p = if direction == Direction::Both {
            1.0 - alpha / (2.0 * (nn - fi + 1.0))
        } else {
            1.0 - alpha / (nn - fi + 1.0)
        };
        let df = nn - fi - 1.0;
        if df < 1.0 {
            break;
        }
        let t = dist::t_ppf(p, df);
        let lambda = (nn - fi) * t / ((df + t * t) * (nn - fi + 1.0)).sqrt();
        if r_stat > lambda {
            last_significant = i;
        }
    }
    let mut flags = vec![false; n];
    let mut critical = vec![false; n];
    for &i in &removed[..last_significant] {
        flags[i] = true;
        critical[i] = scores[i].abs() > 7.0;
    }
    EsdOutcome {
        flags,
        scores,
        expected,
        critical,
    }
}

/// Periods per piece of [`piecewise_level`]: four seasons, at least 64.
pub(crate) fn level_piece(m: usize) -> usize {
    (4 * m).max(64)
}

/// The level of the deseasonalised series: its median over consecutive pieces of [`level_piece`] periods
/// (a last piece shorter than half of that joins the one before), as the `longterm` option of Twitter's
/// package splits a long series, so that a trend or a level shift does not swamp the residuals.
fn piecewise_level(x: &[f64], seasonal: &[f64], m: usize) -> Vec<f64> {
    let n = x.len();
    let len = level_piece(m);
    let mut bounds: Vec<usize> = (0..n).step_by(len).collect();
    if bounds.len() > 1 && n - bounds[bounds.len() - 1] < len / 2 {
        bounds.pop();
    }
    bounds.push(n);
    let mut level = vec![f64::NAN; n];
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut d: Vec<f64> = (a..b)
            .map(|i| x[i] - seasonal[i])
            .filter(|v| !v.is_nan())
            .collect();
        d.sort_unstable_by(f64::total_cmp);
        let med = median_sorted(&d);
        level[a..b].fill(med);
    }
    level
}

/// Linear interpolation over NaN runs; constant extension at the ends; all-NaN stays NaN.
pub(crate) fn interpolate(x: &[f64]) -> Vec<f64> {
    let mut out = x.to_vec();
    if !x.iter().any(|v| v.is_nan()) {
        return out;
    }
    let known: Vec<usize> = (0..x.len()).filter(|&i| !x[i].is_nan()).collect();
    let (Some(&first), Some(&last)) = (known.first(), known.last()) else {
        return out;
    };
    for v in out.iter_mut().take(first) {
        *v = x[first];
    }
    for v in out.iter_mut().skip(last + 1) {
        *v = x[last];
    }
    for w in known.windows(2) {
        let (a, b) = (w[0], w[1]);
        for (j, v) in out.iter_mut().enumerate().take(b).skip(a + 1) {
            let f = (j - a) as f64 / (b - a) as f64;
            *v = x[a] + f * (x[b] - x[a]);
        }
    }
    out
}

/// Per-phase median of the series minus its centred moving average (a 2×m MA for even m), centred to
/// sum to zero over a season; repeated over the series.
pub(crate) fn seasonal_component(x: &[f64], m: usize) -> Vec<f64> {
    let trend = centred_ma(x, m);
    let mut by_phase: Vec<Vec<f64>> = vec![Vec::new(); m];
    for (i, (v, t)) in x.iter().zip(&trend).enumerate() {
        if !t.is_nan() && !v.is_nan() {
            by_phase[i % m].push(v - t);
        }
    }
    let mut s: Vec<f64> = by_phase
        .iter_mut()
        .map(|p| {
            p.sort_unstable_by(f64::total_cmp);
            let v = median_sorted(p);
            if v.is_nan() { 0.0 } else { v }
        })
        .collect();
    let mean = s.iter().sum::<f64>() / m as f64;
    s.iter_mut().for_each(|v| *v -= mean);
    (0..x.len()).map(|i| s[i % m]).collect()
}

/// Centred moving average of one season; NaN where the window does not fit.
pub(crate) fn centred_ma(x: &[f64], m: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    centred_ma_into(x, &prefix_sums(x), m, &mut out);
    out
}

/// `prefix[i]` = the sum of `x[..i]` (the running sums [`centred_ma_into`] reads).
pub(crate) fn prefix_sums(x: &[f64]) -> Vec<f64> {
    let mut prefix = vec![0.0; x.len() + 1];
    for i in 0..x.len() {
        prefix[i + 1] = prefix[i] + x[i];
    }
    prefix
}

/// [`centred_ma`] into `out` (as long as `x`) from `x`'s [`prefix_sums`], so that several seasons'
/// averages share one pass of sums and no allocation.
pub(crate) fn centred_ma_into(x: &[f64], prefix: &[f64], m: usize, out: &mut [f64]) {
    let n = x.len();
    out.fill(f64::NAN);
    if n < m + 1 {
        return;
    }
    let sum = |a: usize, b: usize| prefix[b] - prefix[a];
    if m % 2 == 1 {
        let h = m / 2;
        for (i, o) in out.iter_mut().enumerate().take(n - h).skip(h) {
            *o = sum(i - h, i + h + 1) / m as f64;
        }
    } else {
        let h = m / 2;
        for (i, o) in out.iter_mut().enumerate().take(n - h).skip(h) {
            // 2×m MA: half weight on both ends.
            let inner = sum(i + 1 - h, i + h);
            *o = (inner + 0.5 * (x[i - h] + x[i + h])) / m as f64;
        }
    }
}

/// `m` times the series minus its [`centred_ma`] of m, where that average fits (`x[h..n - h]`,
/// h = m / 2), into `out`, from `x`'s [`prefix_sums`]: the detrended series without its undefined ends,
/// scaled by m so that no point needs a division (an autocorrelation does not see the scale).
pub(crate) fn scaled_detrended_into(x: &[f64], prefix: &[f64], m: usize, out: &mut Vec<f64>) {
    out.clear();
    let n = x.len();
    if n < m + 1 {
        return;
    }
    let h = m / 2;
    let mf = m as f64;
    if m % 2 == 1 {
        // x[i], prefix[i + h + 1], prefix[i - h] for i in h..n - h
        let it = x[h..n - h]
            .iter()
            .zip(&prefix[m..=n])
            .zip(&prefix[..=n - m]);
        out.extend(it.map(|((v, hi), lo)| mf * v - (hi - lo)));
    } else {
        // x[i], prefix[i + h], prefix[i + 1 - h], x[i - h], x[i + h] for i in h..n - h (a 2×m MA)
        let it = x[h..n - h]
            .iter()
            .zip(&prefix[m..n])
            .zip(&prefix[1..=n - m])
            .zip(x[..n - m].iter().zip(&x[m..n]));
        out.extend(it.map(|(((v, hi), lo), (a, b))| mf * v - ((hi - lo) + 0.5 * (a + b))));
    }
}

/// Classical decomposition's seasonal indices (R's `decompose`): the per-phase mean of the series minus
/// (or over) its centred moving average, centred to sum 0 (or to average 1). Index `t mod m`.
/// `None` when the series is shorter than two seasons or a multiplicative ratio is undefined.
pub(crate) fn seasonal_decomposition(
    y: &[f64],
    m: usize,
    multiplicative: bool,
) -> Option<Vec<f64>> {
    if m < 2 || y.len() < 2 * m {
        return None;
    }
    let trend = centred_ma(y, m);
    let mut sum = vec![0.0; m];
    let mut count = vec![0usize; m];
    for (t, (v, tr)) in y.iter().zip(&trend).enumerate() {
        if tr.is_nan() {
            continue;
        }
        let d = if multiplicative {
            if *tr <= 0.0 {
                return None;
            }
            v / tr
        } else {
            v - tr
        };
        sum[t % m] += d;
        count[t % m] += 1;
    }
    if count.contains(&0) {
        return None;
    }
    let mut s: Vec<f64> = sum.iter().zip(&count).map(|(a, c)| a / *c as f64).collect();
    let mean = s.iter().sum::<f64>() / m as f64;
    if multiplicative {
        if mean <= 0.0 || s.iter().any(|v| *v <= 0.0) {
            return None;
        }
        s.iter_mut().for_each(|v| *v /= mean);
    } else {
        s.iter_mut().for_each(|v| *v -= mean);
    }
    Some(s)
}
