//! CUPED (Controlled-experiment Using Pre-Experiment Data): variance reduction with a pre-period covariate.

use serde::{Deserialize, Serialize};

use super::{CupedArm, MeanSummary, TestOptions, WelchResult, welch};
use crate::check;
use crate::error::{Error, Result};

/// The result of [`cuped`]: the Welch test on the adjusted metric, with the adjustment's figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CupedResult {
    /// `θ = cov(x, y) / var(x)` over both arms pooled.
    pub theta: f64,
    /// `1 - se_adjusted² / se_unadjusted²`: the share of the variance of the difference removed.
    pub variance_reduction: f64,
    /// Welch's test on the adjusted metric `y - θ (x - x̄)`.
    pub adjusted: WelchResult,
    /// Welch's test on the raw metric, for comparison.
    pub unadjusted: WelchResult,
}

/// CUPED-adjusted comparison of two arms.
///
/// `θ` comes from the pooled data of both arms (pooled covariance over pooled variance of the covariate,
/// including the between-arm spread), so that it does not depend on the treatment. Each arm's metric is
/// replaced by `y - θ (x - x̄_pooled)`: mean `ȳ - θ (x̄_arm - x̄_pooled)`, variance
/// `s_y² - 2 θ s_xy + θ² s_x²`. Then [`welch`] runs on the adjusted summaries.
///
/// # Errors
/// `zero_variance` when the pooled covariate has no variance, or the adjusted arms both have none.
///
/// # Example
/// ```
/// use scaleplan::significance::{cuped, CupedArm, TestOptions};
/// let c = CupedArm::new(1000, 10.0, 4.0, 9.9, 3.8, 3.0)?;
/// let t = CupedArm::new(1000, 10.3, 4.1, 9.95, 3.9, 3.1)?;
/// let r = cuped(&c, &t, &TestOptions::default())?;
/// assert!(r.variance_reduction > 0.5);
/// assert!(r.adjusted.p_value < r.unadjusted.p_value);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// Deng, Xu, Kohavi, Walker, "Improving the Sensitivity of Online Controlled Experiments by Utilizing
/// Pre-Experiment Data" (WSDM 2013); checked against scipy's Welch test on the adjusted raw samples in
/// `testdata/significance/cuped.json`.
pub fn cuped(control: &CupedArm, treatment: &CupedArm, opts: &TestOptions) -> Result<CupedResult> {
    opts.validate()?;
    let (nc, nt) = (control.n() as f64, treatment.n() as f64);
    let n = nc + nt;
    let mx = (nc * control.covariate_mean() + nt * treatment.covariate_mean()) / n;
    let my = (nc * control.mean() + nt * treatment.mean()) / n;
    let ss = |arm: &CupedArm, na: f64| {
        (
            (na - 1.0) * arm.covariate_variance() + na * (arm.covariate_mean() - mx).powi(2),
            (na - 1.0) * arm.covariance() + na * (arm.covariate_mean() - mx) * (arm.mean() - my),
        )
    };
    let (sxx_c, sxy_c) = ss(control, nc);
    let (sxx_t, sxy_t) = ss(treatment, nt);
    let sxx = sxx_c + sxx_t;
    if sxx <= 0.0 {
        return Err(Error::ZeroVariance {
            what: "cuped covariate".into(),
        });
    }
    let theta = (sxy_c + sxy_t) / sxx;
    check::no_overflow(
        || "cuped: the pooled moments of the covariate".into(),
        &[mx, my, sxx, sxy_c + sxy_t, theta],
    )?;
    let adjust = |arm: &CupedArm| {
        let mean = arm.mean() - theta * (arm.covariate_mean() - mx);
        let var = (arm.variance() - 2.0 * theta * arm.covariance()
            + theta * theta * arm.covariate_variance())
        .max(0.0);
        MeanSummary::new(arm.n(), mean, var)
    };
    let raw = |arm: &CupedArm| MeanSummary::new(arm.n(), arm.mean(), arm.variance());
    let unadjusted = welch(&raw(control)?, &raw(treatment)?, opts)?;
    let adjusted = welch(&adjust(control)?, &adjust(treatment)?, opts)?;
    let se2 = |r: &WelchResult| ((r.absolute_effect) / r.t).powi(2);
    let variance_reduction = if unadjusted.t != 0.0 && adjusted.t != 0.0 {
        1.0 - se2(&adjusted) / se2(&unadjusted)
    } else {
        let v = |a: &CupedArm| a.variance() / a.n() as f64;
        let va = |a: &CupedArm| {
            (a.variance() - 2.0 * theta * a.covariance() + theta * theta * a.covariate_variance())
                .max(0.0)
                / a.n() as f64
        };
        1.0 - (va(control) + va(treatment)) / (v(control) + v(treatment))
    };
    check::no_overflow(
        || "cuped: the variance reduction".into(),
        &[variance_reduction],
    )?;
    Ok(CupedResult {
        theta,
        variance_reduction,
        adjusted,
        unadjusted,
    })
}
