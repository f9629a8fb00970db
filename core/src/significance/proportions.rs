//! Two-proportion z test (pooled standard error), Wald interval for the difference, delta-method
//! interval for the relative lift.

use serde::{Deserialize, Serialize};

use super::{Alternative, Interval, Proportion, TestOptions, relative_lift};
use crate::check;
use crate::dist::{norm_ppf, norm_sf};
use crate::error::{Error, Result};

/// The result of [`two_proportions`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProportionsResult {
    /// Control conversion rate.
    pub control_rate: f64,
    /// Treatment conversion rate.
    pub treatment_rate: f64,
    /// z statistic with the pooled standard error.
    pub z: f64,
    /// p-value for the chosen alternative.
    pub p_value: f64,
    /// `treatment_rate - control_rate`.
    pub absolute_effect: f64,
    /// Wald interval (unpooled standard error) for the difference, level `1 - alpha`.
    pub absolute_ci: Interval,
    /// `treatment_rate / control_rate - 1`; `None` when the control rate is 0.
    pub relative_lift: Option<f64>,
    /// Delta-method interval for the relative lift; `None` when the control rate is 0.
    pub relative_ci: Option<Interval>,
    /// The significance level used.
    pub alpha: f64,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// Two-proportion z test of `treatment` against `control`.
///
/// * `z = (p_t - p_c) / sqrt(p̂ (1 - p̂) (1/n_t + 1/n_c))` with the pooled rate `p̂`, as statsmodels
///   `proportions_ztest([conv_t, conv_c], [n_t, n_c])`.
/// * Absolute interval: `d ± z_{1-α/2} sqrt(p_t(1-p_t)/n_t + p_c(1-p_c)/n_c)`, as statsmodels
///   `confint_proportions_2indep(method="wald", compare="diff")`.
/// * Relative interval: delta method on `p_t / p_c`.
///
/// When both arms are at 0% or both at 100%, the observed difference is exactly 0 and the pooled
/// standard error is 0: scaleplan defines `z = 0`, `p_value = 1` there (statsmodels returns NaN).
///
/// # Errors
/// `out_of_range` / `not_finite` for `alpha`. Arms are validated by [`Proportion`].
///
/// # Example
/// ```
/// use scaleplan::significance::{two_proportions, Proportion, TestOptions};
/// let r = two_proportions(&Proportion::new(10_000, 1_000)?, &Proportion::new(10_000, 1_100)?, &TestOptions::default())?;
/// assert!((r.z - 2.306_634_773_817_01).abs() < 1e-9);
/// assert!(r.p_value < 0.05);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// statsmodels `proportions_ztest`, `confint_proportions_2indep`; fixture `testdata/significance/proportions.json`.
pub fn two_proportions(
    control: &Proportion,
    treatment: &Proportion,
    opts: &TestOptions,
) -> Result<ProportionsResult> {
    opts.validate()?;
    let z_crit = norm_ppf(1.0 - opts.alpha / 2.0);
    Ok(compute(control, treatment, opts, z_crit))
}

fn compute(
    control: &Proportion,
    treatment: &Proportion,
    opts: &TestOptions,
    z_crit: f64,
) -> ProportionsResult {
    let (nc, nt) = (control.visitors() as f64, treatment.visitors() as f64);
    let (pc, pt) = (control.rate(), treatment.rate());
    let pooled = (control.conversions() + treatment.conversions()) as f64 / (nc + nt);
    let se_pooled = (pooled * (1.0 - pooled) * (1.0 / nt + 1.0 / nc)).sqrt();
    let diff = pt - pc;
    let (z, p_value) = if se_pooled > 0.0 {
        let z = diff / se_pooled;
        (z, opts.alternative.p_value(z, norm_sf))
    } else {
        (0.0, 1.0)
    };
    let (var_t, var_c) = (pt * (1.0 - pt) / nt, pc * (1.0 - pc) / nc);
    let absolute_ci = Interval::around(diff, z_crit * (var_t + var_c).sqrt());
    let (relative_lift, relative_ci) = relative_lift(pt, var_t, pc, var_c, z_crit);
    ProportionsResult {
        control_rate: pc,
        treatment_rate: pt,
        z,
        p_value,
        absolute_effect: diff,
        absolute_ci,
        relative_lift,
        relative_ci,
        alpha: opts.alpha,
        alternative: opts.alternative,
    }
}

/// Column-wise results of [`two_proportions_batch`]: element `i` is the test of segment `i`.
///
/// `relative_lift`, `relative_ci_lo` and `relative_ci_hi` are NaN where the control rate is 0 (the lift
/// is undefined there); no other field is ever NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProportionsBatch {
    /// z statistics.
    pub z: Vec<f64>,
    /// p-values.
    pub p_value: Vec<f64>,
    /// Differences `p_t - p_c`.
    pub absolute_effect: Vec<f64>,
    /// Lower ends of the absolute intervals.
    pub absolute_ci_lo: Vec<f64>,
    /// Upper ends of the absolute intervals.
    pub absolute_ci_hi: Vec<f64>,
    /// Relative lifts (NaN where the control rate is 0).
    pub relative_lift: Vec<f64>,
    /// Lower ends of the relative intervals (NaN where the control rate is 0).
    pub relative_ci_lo: Vec<f64>,
    /// Upper ends of the relative intervals (NaN where the control rate is 0).
    pub relative_ci_hi: Vec<f64>,
}

/// [`two_proportions`] over many segments at once, from equal-length columns of counts (floats, as numpy
/// and JS arrays carry them; they must be whole numbers).
///
/// # Errors
/// `empty_input`, `length_mismatch`; any per-segment error names the arm, index and field, e.g.
/// `control[12].conversions`; `alpha` as in [`two_proportions`].
///
/// # Example
/// ```
/// use scaleplan::significance::{two_proportions_batch, TestOptions};
/// let b = two_proportions_batch(&[1000.0, 500.0], &[100.0, 50.0], &[1000.0, 500.0], &[130.0, 45.0], &TestOptions::default())?;
/// assert_eq!(b.p_value.len(), 2);
/// assert!(b.p_value[0] < 0.05 && b.p_value[1] > 0.05);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn two_proportions_batch(
    control_visitors: &[f64],
    control_conversions: &[f64],
    treatment_visitors: &[f64],
    treatment_conversions: &[f64],
    opts: &TestOptions,
) -> Result<ProportionsBatch> {
    opts.validate()?;
    let n = check::same_len(&[
        ("control_visitors", control_visitors.len()),
        ("control_conversions", control_conversions.len()),
        ("treatment_visitors", treatment_visitors.len()),
        ("treatment_conversions", treatment_conversions.len()),
    ])?;
    let z_crit = norm_ppf(1.0 - opts.alpha / 2.0);
    let mut out = ProportionsBatch {
        z: Vec::with_capacity(n),
        p_value: Vec::with_capacity(n),
        absolute_effect: Vec::with_capacity(n),
        absolute_ci_lo: Vec::with_capacity(n),
        absolute_ci_hi: Vec::with_capacity(n),
        relative_lift: Vec::with_capacity(n),
        relative_ci_lo: Vec::with_capacity(n),
        relative_ci_hi: Vec::with_capacity(n),
    };
    for i in 0..n {
        let c = arm(control_visitors[i], control_conversions[i], "control", i)?;
        let t = arm(
            treatment_visitors[i],
            treatment_conversions[i],
            "treatment",
            i,
        )?;
        let r = compute(&c, &t, opts, z_crit);
        out.z.push(r.z);
        out.p_value.push(r.p_value);
        out.absolute_effect.push(r.absolute_effect);
        out.absolute_ci_lo.push(r.absolute_ci.lo);
        out.absolute_ci_hi.push(r.absolute_ci.hi);
        out.relative_lift.push(r.relative_lift.unwrap_or(f64::NAN));
        let ci = r.relative_ci.unwrap_or(Interval {
            lo: f64::NAN,
            hi: f64::NAN,
        });
        out.relative_ci_lo.push(ci.lo);
        out.relative_ci_hi.push(ci.hi);
    }
    Ok(out)
}

fn arm(visitors: f64, conversions: f64, name: &str, i: usize) -> Result<Proportion> {
    // Field names are built only on the error path: this runs once per segment.
    Proportion::from_f64(visitors, conversions).map_err(|e| match e {
        Error::ConversionsExceedVisitors {
            conversions,
            visitors,
            ..
        } => Error::ConversionsExceedVisitors {
            arm: check::at(name, i),
            conversions,
            visitors,
        },
        other => other.in_field(&check::at(name, i)),
    })
}
