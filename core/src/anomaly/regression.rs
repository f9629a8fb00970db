//! Performance regression against a load-test baseline: percentiles degraded by more than a tolerance
//! **and** a one-sided Mann-Whitney U test saying the current sample is stochastically larger, so that
//! noise in one percentile is not called a regression.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::dist;
use crate::error::Result;

/// Options of [`regression`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegressionOptions {
    /// Percentiles compared, in (0, 100); default p50, p95, p99.
    pub percentiles: Vec<f64>,
    /// Relative degradation that counts, default 0.10 (10 %).
    pub tolerance: f64,
    /// Level of the Mann-Whitney test, default 0.05.
    pub alpha: f64,
}

impl Default for RegressionOptions {
    fn default() -> Self {
        RegressionOptions {
            percentiles: vec![50.0, 95.0, 99.0],
            tolerance: 0.10,
            alpha: 0.05,
        }
    }
}

/// One percentile, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PercentileChange {
    /// The percentile, e.g. 95.
    pub percentile: f64,
    /// Its value in the baseline (numpy's default linear interpolation).
    pub baseline: f64,
    /// Its value now.
    pub current: f64,
    /// `current / baseline - 1` (0 when both are 0).
    pub change: f64,
    /// Whether `change > tolerance`.
    pub degraded: bool,
}

/// Verdict of [`regression`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regression {
    /// Degraded percentiles and a significant test.
    pub regressed: bool,
    /// Each percentile compared.
    pub percentiles: Vec<PercentileChange>,
    /// Mann-Whitney U of the current sample (scipy's `U1` for `mannwhitneyu(current, baseline)`).
    pub u: f64,
    /// One-sided p-value for "current is larger" (normal approximation with tie and continuity
    /// correction, scipy's `method="asymptotic"`).
    pub p_value: f64,
    /// Common-language effect size `U / (n1 n2)`: the chance a current latency exceeds a baseline one.
    pub effect: f64,
    /// Why, in words.
    pub reason: String,
}

/// Compares a current latency sample with a load-test baseline.
///
/// # Errors
/// `empty_input` / `too_few_observations` (each sample needs 2 values), `not_finite` for NaN or infinite
/// values, `out_of_range` for percentiles outside (0, 100), a tolerance ≤ 0 or alpha outside (0, 1).
///
/// # Example
/// ```
/// use scaleplan::anomaly::{regression, RegressionOptions};
/// let baseline: Vec<f64> = (0..200).map(|i| 100.0 + (i % 20) as f64).collect();
/// let slower: Vec<f64> = baseline.iter().map(|v| v * 1.25).collect();
/// let r = regression(&baseline, &slower, &RegressionOptions::default())?;
/// assert!(r.regressed && r.p_value < 1e-6);
/// let same = regression(&baseline, &baseline, &RegressionOptions::default())?;
/// assert!(!same.regressed);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn regression(
    baseline: &[f64],
    current: &[f64],
    options: &RegressionOptions,
) -> Result<Regression> {
    for (name, xs) in [("baseline", baseline), ("current", current)] {
        check::at_least(name, xs.len() as u64, 2)?;
        for (i, &v) in xs.iter().enumerate() {
            check::finite(&check::at(name, i), v)?;
        }
    }
    check::positive("tolerance", options.tolerance)?;
    check::open_unit("alpha", options.alpha)?;
    check::non_empty("percentiles", &options.percentiles)?;
    for (i, &p) in options.percentiles.iter().enumerate() {
        check::finite(&check::at("percentiles", i), p)?;
        if p <= 0.0 || p >= 100.0 {
            return Err(crate::Error::OutOfRange {
                field: check::at("percentiles", i),
                value: p,
                allowed: "(0, 100)",
            });
        }
    }
    let mut b = baseline.to_vec();
    let mut c = current.to_vec();
    b.sort_unstable_by(f64::total_cmp);
    c.sort_unstable_by(f64::total_cmp);
    let percentiles: Vec<PercentileChange> = options
        .percentiles
        .iter()
        .map(|&p| {
            let (pb, pc) = (
                quantile_sorted(&b, p / 100.0),
                quantile_sorted(&c, p / 100.0),
            );
            let change = if pb == 0.0 {
                if pc == 0.0 {
                    0.0
                } else {
                    pc.signum() * f64::MAX
                }
            } else {
                pc / pb - 1.0
            };
            PercentileChange {
                percentile: p,
                baseline: pb,
                current: pc,
                change,
                degraded: change > options.tolerance,
            }
        })
        .collect();
    let (u, p_value) = mann_whitney_greater(&c, &b);
    let effect = u / (b.len() as f64 * c.len() as f64);
    let degraded: Vec<String> = percentiles
        .iter()
        .filter(|p| p.degraded)
        .map(|p| format!("p{} {:+.1}%", p.percentile, 100.0 * p.change))
        .collect();
    let significant = p_value < options.alpha;
    let regressed = !degraded.is_empty() && significant;
    let reason = match (degraded.is_empty(), significant) {
        (false, true) => format!(
            "regression: {} (tolerance {:.0}%), Mann-Whitney p = {:.3e} < {}",
            degraded.join(", "),
            100.0 * options.tolerance,
            p_value,
            options.alpha
        ),
        (false, false) => format!(
            "not a regression: {} degraded but Mann-Whitney p = {:.3} >= {} (could be noise)",
            degraded.join(", "),
            p_value,
            options.alpha
        ),
        (true, _) => format!(
            "no regression: no percentile degraded by more than {:.0}%",
            100.0 * options.tolerance
        ),
    };
    Ok(Regression {
        regressed,
        percentiles,
        u,
        p_value,
        effect,
        reason,
    })
}

/// numpy's default (`linear`, Hyndman-Fan type 7) quantile of a sorted, non-empty slice.
pub(crate) fn quantile_sorted(s: &[f64], q: f64) -> f64 {
    let h = (s.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(s.len() - 1);
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}

/// `(U1, p)` for "x is stochastically greater than y", both sorted: midranks, tie-corrected variance,
/// continuity correction (scipy.stats.mannwhitneyu, `alternative="greater"`, `method="asymptotic"`).
fn mann_whitney_greater(x: &[f64], y: &[f64]) -> (f64, f64) {
    let (n1, n2) = (x.len(), y.len());
    let n = n1 + n2;
    // Merge, assigning midranks to tied runs; sum x's ranks and Σ(t³ - t).
    let (mut i, mut j) = (0, 0);
    let mut rank_sum_x = 0.0;
    let mut ties = 0.0;
    let mut next_rank = 1.0;
    while i < n1 || j < n2 {
        let v = match (x.get(i), y.get(j)) {
            (Some(a), Some(b)) => a.min(*b),
            (Some(a), None) => *a,
            (None, Some(b)) => *b,
            (None, None) => break,
        };
        let (mut cx, mut cy) = (0usize, 0usize);
        while i < n1 && x[i] == v {
            cx += 1;
            i += 1;
        }
        while j < n2 && y[j] == v {
            cy += 1;
            j += 1;
        }
        let t = (cx + cy) as f64;
        let mid = next_rank + (t - 1.0) / 2.0;
        rank_sum_x += cx as f64 * mid;
        ties += t * t * t - t;
        next_rank += t;
    }
    let (f1, f2, fnn) = (n1 as f64, n2 as f64, n as f64);
    let u1 = rank_sum_x - f1 * (f1 + 1.0) / 2.0;
    let mu = f1 * f2 / 2.0;
    let var = f1 * f2 / 12.0 * ((fnn + 1.0) - ties / (fnn * (fnn - 1.0)));
    if var <= 0.0 {
        return (u1, 1.0);
    }
    let z = (u1 - mu - 0.5) / var.sqrt();
    (u1, dist::norm_sf(z))
}
