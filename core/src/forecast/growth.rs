//! Growth rate from history: ordinary least squares of `ln y` on time, so `exp(slope) - 1` is the
//! per-period compound rate, with a Student t interval on the slope.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::dist;
use crate::error::{Error, Result};

/// A compound projection `k` periods past the last value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Periods ahead.
    pub periods: u32,
    /// `last × (1 + rate)^k`.
    pub value: f64,
    /// With the rate's lower bound.
    pub lower: f64,
    /// With the rate's upper bound.
    pub upper: f64,
}

/// A per-period growth rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthRate {
    /// Per-period compound rate, e.g. 0.10 for 10 % a month.
    pub rate: f64,
    /// Its 95 % confidence interval `(lower, upper)`.
    pub ci: (f64, f64),
    /// Confidence in [0, 1]: the adjusted R² of the log-linear fit (1: growth is steady; near 0: the
    /// history does not support a compound rate).
    pub confidence: f64,
    /// `high` (≥ 0.9), `medium` (≥ 0.6) or `low`.
    pub confidence_label: String,
    /// Points used.
    pub periods: usize,
    /// 1, 3 and 12 periods ahead (a month, a quarter and a year for monthly data).
    pub projections: Vec<Projection>,
    /// In words.
    pub reason: String,
}

/// Estimates the compound growth rate per period of a positive series (oldest first).
///
/// # Errors
/// `too_few_observations` (3 needed), `not_finite`, `out_of_range` for a value ≤ 0 (no logarithm).
///
/// # Example
/// ```
/// let g = scaleplan::forecast::growth_rate(&[100.0, 110.0, 121.0, 133.0])?;
/// assert!((g.rate - 0.0997).abs() < 1e-3);
/// assert_eq!(g.confidence_label, "high");
/// assert_eq!(g.projections[2].periods, 12);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn growth_rate(values: &[f64]) -> Result<GrowthRate> {
    let n = values.len();
    check::at_least("values", n as u64, 3)?;
    for (i, &v) in values.iter().enumerate() {
        check::finite(&check::at("values", i), v)?;
        if v <= 0.0 {
            return Err(Error::OutOfRange {
                field: check::at("values", i),
                value: v,
                allowed: "(0, inf) (a compound rate needs positive values)",
            });
        }
    }
    let ys: Vec<f64> = values.iter().map(|v| v.ln()).collect();
    let nf = n as f64;
    let mx = (nf - 1.0) / 2.0;
    let my = ys.iter().sum::<f64>() / nf;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (t, y) in ys.iter().enumerate() {
        let dx = t as f64 - mx;
        let dy = y - my;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    let slope = sxy / sxx;
    let sse = (syy - slope * sxy).max(0.0);
    let df = nf - 2.0;
    let se = (sse / df / sxx).sqrt();
    let t = if df >= 1.0 {
        dist::t_ppf(0.975, df)
    } else {
        f64::NAN
    };
    let (lo, hi) = ((slope - t * se).exp() - 1.0, (slope + t * se).exp() - 1.0);
    let r2 = if syy > 0.0 { 1.0 - sse / syy } else { 1.0 };
    let adj = if n > 2 {
        1.0 - (1.0 - r2) * (nf - 1.0) / df
    } else {
        r2
    };
    let confidence = adj.clamp(0.0, 1.0);
    let label = if confidence >= 0.9 {
        "high"
    } else if confidence >= 0.6 {
        "medium"
    } else {
        "low"
    };
    let rate = slope.exp() - 1.0;
    let last = values[n - 1];
    let projections = [1u32, 3, 12]
        .iter()
        .map(|&k| Projection {
            periods: k,
            value: last * (1.0 + rate).powi(k as i32),
            lower: last * (1.0 + lo).powi(k as i32),
            upper: last * (1.0 + hi).powi(k as i32),
        })
        .collect();
    let reason = format!(
        "{:+.1}% per period (95% CI {:+.1}% to {:+.1}%) from a log-linear fit of {n} periods; adjusted R² {:.2}: {label} confidence",
        100.0 * rate,
        100.0 * lo,
        100.0 * hi,
        confidence
    );
    Ok(GrowthRate {
        rate,
        ci: (lo, hi),
        confidence,
        confidence_label: label.into(),
        periods: n,
        projections,
        reason,
    })
}
