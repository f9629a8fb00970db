//! Ratio metrics (revenue per session, errors per request) by the delta method.

use serde::{Deserialize, Serialize};

use super::{Alternative, Interval, RatioSummary, TestOptions, check_relative, relative_lift};
use crate::check;
use crate::dist::{norm_ppf, norm_sf};
use crate::error::{Error, Result};

/// The result of [`ratio`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioResult {
    /// Control ratio `sum_x / sum_y`.
    pub control_ratio: f64,
    /// Treatment ratio.
    pub treatment_ratio: f64,
    /// z statistic `(R_t - R_c) / sqrt(Var R_t + Var R_c)`.
    pub z: f64,
    /// p-value for the chosen alternative.
    pub p_value: f64,
    /// `treatment_ratio - control_ratio`.
    pub absolute_effect: f64,
    /// Normal interval for the difference.
    pub absolute_ci: Interval,
    /// `(treatment_ratio - control_ratio) / |control_ratio|`; `None` when the control ratio is 0.
    pub relative_lift: Option<f64>,
    /// Delta-method interval for the relative lift (normal quantile, as the absolute interval).
    pub relative_ci: Option<Interval>,
    /// The significance level used.
    pub alpha: f64,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// Compares a ratio metric between arms when the randomisation unit (user) differs from the analysis
/// unit (session), so that sessions of one user are not treated as independent.
///
/// Each arm's variance is the delta-method variance of `x̄ / ȳ` over users:
/// `Var(R) ≈ (s_x² - 2 R s_xy + R² s_y²) / (n ȳ²)`.
///
/// # Errors
/// `zero_variance` when both ratios have variance 0; `alpha` as [`TestOptions::validate`].
///
/// # Example
/// ```
/// use scaleplan::significance::{ratio, RatioSummary, TestOptions};
/// let c = RatioSummary::new(1000, 5200.0, 2100.0, 61000.0, 6100.0, 15500.0)?;
/// let t = RatioSummary::new(1000, 5900.0, 2150.0, 72000.0, 6300.0, 17800.0)?;
/// let r = ratio(&c, &t, &TestOptions::default())?;
/// assert!(r.treatment_ratio > r.control_ratio);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// Deng, Knoblich, Lu, "Applying the Delta Method in Metric Analytics" (KDD 2018), section 3; checked against
/// statsmodels `NonlinearDeltaCov` in `testdata/significance/ratio.json`.
pub fn ratio(
    control: &RatioSummary,
    treatment: &RatioSummary,
    opts: &TestOptions,
) -> Result<RatioResult> {
    opts.validate()?;
    let z_crit = norm_ppf(1.0 - opts.alpha / 2.0);
    let (rc, rt) = (control.ratio(), treatment.ratio());
    let (vc, vt) = (control.var_of_ratio(), treatment.var_of_ratio());
    let var = vc + vt;
    if var <= 0.0 {
        return Err(Error::ZeroVariance {
            what: "ratio".into(),
        });
    }
    let diff = rt - rc;
    let z = diff / var.sqrt();
    let (relative_lift, relative_ci) = relative_lift(rt, vt, rc, vc, z_crit);
    check::no_overflow(
        || "ratio: the ratios, their difference or its variance".into(),
        &[rc, rt, var, diff, z, z_crit * var.sqrt()],
    )?;
    check_relative("ratio", relative_lift, relative_ci)?;
    Ok(RatioResult {
        control_ratio: rc,
        treatment_ratio: rt,
        z,
        p_value: opts.alternative.p_value(z, norm_sf),
        absolute_effect: diff,
        absolute_ci: Interval::around(diff, z_crit * var.sqrt()),
        relative_lift,
        relative_ci,
        alpha: opts.alpha,
        alternative: opts.alternative,
    })
}
