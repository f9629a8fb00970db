//! Sequential testing: always-valid p-values and confidence sequences by the mixture sequential
//! probability ratio test (mSPRT), so a rollout may look at the data at every tick.

use serde::{Deserialize, Serialize};

use super::Interval;
use crate::check;
use crate::error::{Error, Result};

/// Options for [`sequential`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SequentialOptions {
    /// Significance level in (0, 1); default 0.05.
    pub alpha: f64,
    /// The tuning parameter: the total sample size (both arms) at which the confidence sequence is
    /// tightest; default 5,000 (GrowthBook's default). It sets the mixing variance of the mSPRT.
    pub tuning_sample_size: f64,
}

impl Default for SequentialOptions {
    fn default() -> Self {
        SequentialOptions {
            alpha: 0.05,
            tuning_sample_size: 5000.0,
        }
    }
}

/// The result of [`sequential`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequentialResult {
    /// The estimate (e.g. `treatment - control`).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Always-valid p-value: `min(previous, 1 / Λ)`, valid at any stopping time.
    pub p_value: f64,
    /// The confidence sequence at level `1 - alpha`, valid simultaneously over all looks.
    pub confidence_sequence: Interval,
    /// `ln Λ`, the log of the mixture likelihood ratio against "no difference".
    pub log_likelihood_ratio: f64,
    /// Mixing variance `τ²` of the normal mixture on the effect.
    pub mixing_variance: f64,
    /// Whether `p_value < alpha` (equivalently, the confidence sequence excludes 0).
    pub significant: bool,
}

/// The mSPRT for an asymptotically normal estimate `θ̂ ~ N(θ, s²)` after `sample_size` units in total.
///
/// With a normal mixture `θ ~ N(0, τ²)` under the alternative, the likelihood ratio against `θ = 0` is
/// `Λ = sqrt(s² / (s² + τ²)) exp(τ² θ̂² / (2 s² (s² + τ²)))` (Johari et al. 2017, eq. 11 with `V/n = s²`),
/// and `p = min(1, 1/Λ)` is an always-valid p-value. The mixing variance is `τ² = ρ² N s²` with
/// `ρ² = (-2 ln α + ln(1 - 2 ln α)) / N*` (Howard et al. 2021, eq. 3.16, tuned to be tightest at
/// `N* = tuning_sample_size`), which makes the confidence sequence
/// `θ̂ ± s sqrt((1 + r)/r · (ln(1 + r) + 2 ln(1/α)))`, `r = τ²/s²`, the one GrowthBook and Eppo report.
///
/// Pass the previous look's p-value as `previous_p_value` to keep the running minimum.
///
/// # Errors
/// `not_finite`; `zero_variance` when `std_error` is 0; `out_of_range` for `alpha`, `tuning_sample_size`,
/// `sample_size` (must be positive) or `previous_p_value` (outside [0, 1]).
///
/// # Example
/// ```
/// use scaleplan::significance::{sequential, SequentialOptions};
/// // difference 0.01 with standard error 0.003 after 20,000 users
/// let r = sequential(0.01, 0.003, 20_000.0, &SequentialOptions::default(), None)?;
/// assert!(r.significant);
/// assert!(r.p_value > 0.000_858);   // larger than the fixed-horizon p = 0.000858
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// Johari, Pekelis, Walsh, "Always Valid Inference" (2017); Howard, Ramdas, McAuliffe, Sekhon,
/// "Time-uniform, nonparametric, nonasymptotic confidence sequences" (Ann. Statist. 2021); checked against
/// `scipy.integrate.quad` of the mixture in `testdata/significance/sequential.json`.
pub fn sequential(
    estimate: f64,
    std_error: f64,
    sample_size: f64,
    opts: &SequentialOptions,
    previous_p_value: Option<f64>,
) -> Result<SequentialResult> {
    check::finite("estimate", estimate)?;
    check::non_negative("std_error", std_error)?;
    check::positive("sample_size", sample_size)?;
    check::open_unit("alpha", opts.alpha)?;
    check::positive("tuning_sample_size", opts.tuning_sample_size)?;
    if let Some(p) = previous_p_value {
        check::closed_unit("previous_p_value", p)?;
    }
    if std_error == 0.0 {
        return Err(Error::ZeroVariance {
            what: "sequential test".into(),
        });
    }
    let l = -2.0 * opts.alpha.ln();
    let rho2 = (l + (1.0 + l).ln()) / opts.tuning_sample_size;
    let r = rho2 * sample_size;
    let s2 = std_error * std_error;
    let z = estimate / std_error;
    let log_lr = -0.5 * r.ln_1p() + 0.5 * z * z * r / (1.0 + r);
    let p_now = (-log_lr).exp().min(1.0);
    let p_value = previous_p_value.map_or(p_now, |p| p.min(p_now));
    let half = std_error * ((1.0 + r) / r * (r.ln_1p() + l)).sqrt();
    check::no_overflow(
        || "sequential: the likelihood ratio or the confidence sequence".into(),
        &[log_lr, half, estimate - half, estimate + half, r * s2],
    )?;
    Ok(SequentialResult {
        estimate,
        std_error,
        p_value,
        confidence_sequence: Interval::around(estimate, half),
        log_likelihood_ratio: log_lr,
        mixing_variance: r * s2,
        significant: p_value < opts.alpha,
    })
}

/// [`sequential`] over columns of estimates, standard errors and sample sizes; returns the always-valid
/// p-values.
///
/// # Errors
/// `empty_input`, `length_mismatch`, and per-element errors naming the column and index.
///
/// # Example
/// ```
/// use scaleplan::significance::{sequential_batch, SequentialOptions};
/// let p = sequential_batch(&[0.01, 0.0], &[0.003, 0.003], &[20_000.0, 20_000.0], &SequentialOptions::default())?;
/// assert!(p[0] < 0.05 && p[1] == 1.0);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn sequential_batch(
    estimate: &[f64],
    std_error: &[f64],
    sample_size: &[f64],
    opts: &SequentialOptions,
) -> Result<Vec<f64>> {
    let n = check::same_len(&[
        ("estimate", estimate.len()),
        ("std_error", std_error.len()),
        ("sample_size", sample_size.len()),
    ])?;
    (0..n)
        .map(|i| {
            sequential(estimate[i], std_error[i], sample_size[i], opts, None)
                .map(|r| r.p_value)
                .map_err(|e| e.in_field(&format!("[{i}]")))
        })
        .collect()
}
