//! Power analysis: sample size per arm for a minimum detectable effect (MDE), and the MDE for a sample size.

use serde::{Deserialize, Serialize};

use super::Alternative;
use crate::check;
use crate::dist::norm_ppf;
use crate::error::{Error, Result};

/// Options for the power functions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PowerOptions {
    /// Significance level in (0, 1); default 0.05.
    pub alpha: f64,
    /// Power `1 - β` in (0, 1); default 0.8.
    pub power: f64,
    /// Whether the MDE is relative to the baseline (`0.1` = +10%) or absolute; default relative.
    pub relative: bool,
    /// Two-sided (default) halves `alpha` in the critical value.
    pub alternative: Alternative,
}

impl Default for PowerOptions {
    fn default() -> Self {
        PowerOptions {
            alpha: 0.05,
            power: 0.8,
            relative: true,
            alternative: Alternative::TwoSided,
        }
    }
}

impl PowerOptions {
    fn validate(&self) -> Result<(f64, f64)> {
        check::open_unit("alpha", self.alpha)?;
        check::open_unit("power", self.power)?;
        let a = match self.alternative {
            Alternative::TwoSided => self.alpha / 2.0,
            _ => self.alpha,
        };
        // crit = isf(alpha'), crit_power = isf(power) (negative for power > 0.5), as statsmodels.
        Ok((-norm_ppf(a), -norm_ppf(self.power)))
    }
}

fn treatment_rate(baseline: f64, mde: f64, relative: bool) -> Result<f64> {
    check::open_unit("baseline_rate", baseline)?;
    check::finite("mde", mde)?;
    let p1 = if relative {
        baseline * (1.0 + mde)
    } else {
        baseline + mde
    };
    if mde == 0.0 {
        return Err(Error::OutOfRange {
            field: "mde".into(),
            value: mde,
            allowed: "a non-zero effect",
        });
    }
    if !(p1 > 0.0 && p1 < 1.0) {
        return Err(Error::OutOfRange {
            field: "mde".into(),
            value: mde,
            allowed: "an effect that keeps the treatment rate inside (0, 1)",
        });
    }
    Ok(p1)
}

fn n_proportions(p2: f64, p1: f64, crit: f64, crit_power: f64) -> f64 {
    let diff = p1 - p2;
    let pooled = (p1 + p2) / 2.0;
    let std_null = (2.0 * pooled * (1.0 - pooled)).sqrt();
    let std_alt = (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    ((crit * std_null - crit_power * std_alt).max(0.0) / diff).powi(2)
}

/// Visitors per arm (equal split) to detect a change of `mde` from `baseline_rate` with the z test.
///
/// `n = ((z_{1-α'} σ₀ + z_{power} σ₁) / Δ)²` with `σ₀² = 2 p̄ (1 - p̄)` (pooled, under the null) and
/// `σ₁² = p₁(1-p₁) + p₂(1-p₂)` (under the alternative), `α' = α/2` when two-sided. Returns the exact
/// (fractional) value; round up for a plan: `n.ceil()`.
///
/// # Errors
/// `out_of_range` for `baseline_rate`, `alpha`, `power` outside (0, 1), an `mde` of 0 or one that moves the
/// rate outside (0, 1); `not_finite`.
///
/// # Example
/// ```
/// use scaleplan::significance::{sample_size_proportions, PowerOptions};
/// // 10% baseline, detect +10% relative (10% -> 11%) at alpha 0.05, power 0.8
/// let n = sample_size_proportions(0.10, 0.10, &PowerOptions::default())?;
/// assert_eq!(n.ceil(), 14_751.0);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// statsmodels `samplesize_proportions_2indep_onetail(diff, prop2, power, ratio=1, alpha)`; fixture
/// `testdata/significance/power.json`.
pub fn sample_size_proportions(baseline_rate: f64, mde: f64, opts: &PowerOptions) -> Result<f64> {
    let (crit, crit_power) = opts.validate()?;
    let p1 = treatment_rate(baseline_rate, mde, opts.relative)?;
    Ok(n_proportions(baseline_rate, p1, crit, crit_power))
}

/// [`sample_size_proportions`] over columns of baselines and MDEs.
///
/// # Errors
/// `empty_input`, `length_mismatch`, per-element errors naming the index.
///
/// # Example
/// ```
/// use scaleplan::significance::{sample_size_proportions_batch, PowerOptions};
/// let n = sample_size_proportions_batch(&[0.10, 0.05], &[0.10, 0.10], &PowerOptions::default())?;
/// assert!(n[1] > n[0]);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn sample_size_proportions_batch(
    baseline_rate: &[f64],
    mde: &[f64],
    opts: &PowerOptions,
) -> Result<Vec<f64>> {
    let n = check::same_len(&[("baseline_rate", baseline_rate.len()), ("mde", mde.len())])?;
    (0..n)
        .map(|i| {
            sample_size_proportions(baseline_rate[i], mde[i], opts)
                .map_err(|e| e.in_field(&format!("[{i}]")))
        })
        .collect()
}

/// The smallest effect (positive direction; relative or absolute as `opts.relative`) detectable with
/// `n_per_arm` visitors per arm: the inverse of [`sample_size_proportions`], solved by bisection to
/// machine precision.
///
/// # Errors
/// `too_few_observations` when even a jump to a rate of 1 is not detectable with `n_per_arm`; as
/// [`sample_size_proportions`] for the other inputs.
///
/// # Example
/// ```
/// use scaleplan::significance::{mde_proportions, sample_size_proportions, PowerOptions};
/// let opts = PowerOptions::default();
/// let mde = mde_proportions(0.10, 14_751.0, &opts)?;
/// assert!((sample_size_proportions(0.10, mde, &opts)? - 14_751.0).abs() < 1e-6);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn mde_proportions(baseline_rate: f64, n_per_arm: f64, opts: &PowerOptions) -> Result<f64> {
    let (crit, crit_power) = opts.validate()?;
    check::open_unit("baseline_rate", baseline_rate)?;
    check::positive("n_per_arm", n_per_arm)?;
    let mut lo = 0.0;
    let mut hi = 1.0 - baseline_rate;
    let n_at = |d: f64| n_proportions(baseline_rate, baseline_rate + d, crit, crit_power);
    let hi_eps = hi * (1.0 - 1e-12);
    if n_at(hi_eps) > n_per_arm {
        return Err(Error::TooFewObservations {
            field: "n_per_arm".into(),
            min: n_at(hi_eps).ceil() as u64,
            got: n_per_arm as u64,
        });
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if n_at(mid) > n_per_arm {
            lo = mid
        } else {
            hi = mid
        }
    }
    Ok(if opts.relative {
        hi / baseline_rate
    } else {
        hi
    })
}

/// Units per arm to detect a difference of means `mde` (absolute, or relative to `baseline_mean` when
/// `opts.relative`) for a metric with standard deviation `std_dev`: `n = 2 σ² (z_{1-α'} + z_{power})² / Δ²`.
///
/// # Errors
/// `out_of_range` / `not_finite` for non-positive `std_dev`, a zero `mde`, `alpha` or `power` outside (0, 1).
///
/// # Example
/// ```
/// use scaleplan::significance::{sample_size_means, PowerOptions};
/// let opts = PowerOptions { relative: false, ..PowerOptions::default() };
/// assert_eq!(sample_size_means(1.0, 10.0, 0.5, &opts)?.ceil(), 63.0);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// statsmodels `normal_sample_size_one_tail(diff, power, alpha', std_null=σ√2, std_alternative=σ√2)`.
pub fn sample_size_means(
    std_dev: f64,
    baseline_mean: f64,
    mde: f64,
    opts: &PowerOptions,
) -> Result<f64> {
    let (crit, crit_power) = opts.validate()?;
    check::positive("std_dev", std_dev)?;
    check::finite("baseline_mean", baseline_mean)?;
    check::finite("mde", mde)?;
    let diff = if opts.relative {
        baseline_mean * mde
    } else {
        mde
    };
    if diff == 0.0 {
        return Err(Error::OutOfRange {
            field: "mde".into(),
            value: mde,
            allowed: "a non-zero effect",
        });
    }
    Ok(2.0 * std_dev * std_dev * (crit - crit_power).powi(2) / (diff * diff))
}

/// The MDE of means for `n_per_arm` units per arm: `Δ = σ (z_{1-α'} + z_{power}) sqrt(2 / n)`, relative to
/// `baseline_mean` when `opts.relative`.
///
/// # Errors
/// As [`sample_size_means`]; `out_of_range` when `relative` and `baseline_mean` is 0.
///
/// # Example
/// ```
/// use scaleplan::significance::{mde_means, PowerOptions};
/// let opts = PowerOptions { relative: false, ..PowerOptions::default() };
/// assert!((mde_means(1.0, 10.0, 63.0, &opts)? - 0.4991).abs() < 1e-3);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn mde_means(
    std_dev: f64,
    baseline_mean: f64,
    n_per_arm: f64,
    opts: &PowerOptions,
) -> Result<f64> {
    let (crit, crit_power) = opts.validate()?;
    check::positive("std_dev", std_dev)?;
    check::finite("baseline_mean", baseline_mean)?;
    check::positive("n_per_arm", n_per_arm)?;
    let d = std_dev * (crit - crit_power) * (2.0 / n_per_arm).sqrt();
    if opts.relative {
        if baseline_mean == 0.0 {
            return Err(Error::OutOfRange {
                field: "baseline_mean".into(),
                value: 0.0,
                allowed: "a non-zero mean (relative MDE)",
            });
        }
        Ok(d / baseline_mean.abs())
    } else {
        Ok(d)
    }
}
