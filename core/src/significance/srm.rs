//! Sample-ratio mismatch (SRM): was traffic split the way the experiment was configured?

use serde::{Deserialize, Serialize};

use crate::check;
use crate::dist::chi2_sf;
use crate::error::{Error, Result};

/// Options for [`srm`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SrmOptions {
    /// A mismatch is flagged when `p_value < threshold`; default 0.001 (SRM checks run on every
    /// experiment, so a strict threshold keeps false alarms rare).
    pub threshold: f64,
}

impl Default for SrmOptions {
    fn default() -> Self {
        SrmOptions { threshold: 0.001 }
    }
}

/// The result of [`srm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SrmResult {
    /// Pearson's chi-square statistic.
    pub chi2: f64,
    /// Degrees of freedom (arms - 1).
    pub df: f64,
    /// p-value of the goodness-of-fit test.
    pub p_value: f64,
    /// Whether `p_value < threshold`.
    pub mismatch: bool,
    /// The threshold used.
    pub threshold: f64,
    /// Counts expected under the configured split.
    pub expected: Vec<f64>,
}

/// Chi-square goodness-of-fit test of observed arm counts against the configured split.
///
/// `observed` are unit counts per arm (whole numbers, as floats so that numpy and JS arrays pass
/// straight through); `expected_weights` need not sum to 1 (`[50, 50]` and `[1, 1]` are the same split).
///
/// # Errors
/// `empty_input`, `not_finite` / `negative` / `not_integer` for a count, `too_few_observations` (fewer than 2 arms, or no units at all), `length_mismatch`,
/// `not_finite` / `negative` / `out_of_range` for a weight (each must be positive), `out_of_range` for
/// `threshold` outside (0, 1).
///
/// # Example
/// ```
/// use scaleplan::significance::{srm, SrmOptions};
/// let r = srm(&[50_000.0, 52_000.0], &[0.5, 0.5], &SrmOptions::default())?;
/// assert!(r.mismatch);   // 2,000 more in one arm of a 50/50 split: p = 3.8e-10, a broken assignment
/// assert!(!srm(&[50_000.0, 50_100.0], &[1.0, 1.0], &SrmOptions::default())?.mismatch);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// scipy `stats.chisquare(observed, f_exp)`; Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online
/// Controlled Experiments" (KDD 2019); fixture `testdata/significance/srm.json`.
pub fn srm(observed: &[f64], expected_weights: &[f64], opts: &SrmOptions) -> Result<SrmResult> {
    check::non_empty("observed", observed)?;
    check::at_least("observed (arms)", observed.len() as u64, 2)?;
    if expected_weights.len() != observed.len() {
        return Err(Error::LengthMismatch {
            field: "expected_weights".into(),
            expected: observed.len(),
            got: expected_weights.len(),
        });
    }
    check::open_unit("threshold", opts.threshold)?;
    for (i, &w) in expected_weights.iter().enumerate() {
        check::positive(&check::at("expected_weights", i), w)?;
    }
    for (i, &o) in observed.iter().enumerate() {
        check::count(&check::at("observed", i), o)?;
    }
    let total: f64 = observed.iter().sum();
    check::at_least("observed (total)", total as u64, 1)?;
    let wsum: f64 = expected_weights.iter().sum();
    let expected: Vec<f64> = expected_weights.iter().map(|w| total * w / wsum).collect();
    let chi2: f64 = observed
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| (o - e).powi(2) / e)
        .sum();
    // A weight so small that its expected count underflows makes chi2 infinite: refuse rather than
    // report a statistic JSON cannot carry.
    check::no_overflow(
        || "srm: the chi-square statistic (an expected count is too close to 0)".into(),
        &[chi2],
    )?;
    let df = (observed.len() - 1) as f64;
    let p_value = chi2_sf(chi2, df);
    Ok(SrmResult {
        chi2,
        df,
        p_value,
        mismatch: p_value < opts.threshold,
        threshold: opts.threshold,
        expected,
    })
}
