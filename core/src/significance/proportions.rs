//! Two-proportion z test (pooled standard error), Wald interval for the difference, delta-method
//! interval for the relative lift.

use serde::{Deserialize, Serialize};

use super::{Alternative, Interval, Proportion, TestOptions};
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
    let k = kernel(
        control.visitors() as f64,
        control.conversions() as f64,
        treatment.visitors() as f64,
        treatment.conversions() as f64,
        z_crit,
    );
    let (relative_lift, relative_ci) = if k.control_rate == 0.0 {
        (None, None)
    } else {
        (
            Some(k.relative_lift),
            Some(Interval::around(k.relative_lift, k.relative_half_width)),
        )
    };
    ProportionsResult {
        control_rate: k.control_rate,
        treatment_rate: k.treatment_rate,
        z: k.z,
        p_value: p_value(opts.alternative, k.z),
        absolute_effect: k.diff,
        absolute_ci: Interval::around(k.diff, k.absolute_half_width),
        relative_lift,
        relative_ci,
        alpha: opts.alpha,
        alternative: opts.alternative,
    }
}

/// Everything but the p-value, from validated counts. The scalar and the batch forms share this kernel,
/// so they agree bit for bit. Branch-free apart from two selects, so the batch loop vectorises.
struct Kernel {
    control_rate: f64,
    treatment_rate: f64,
    z: f64,
    diff: f64,
    absolute_half_width: f64,
    /// NaN when the control rate is 0.
    relative_lift: f64,
    /// NaN when the control rate is 0.
    relative_half_width: f64,
}

#[inline(always)]
fn kernel(nc: f64, cc: f64, nt: f64, ct: f64, z_crit: f64) -> Kernel {
    let (pc, pt) = (cc / nc, ct / nt);
    let n = nc + nt;
    let pooled = (cc + ct) / n;
    // 1/n_t + 1/n_c as one division.
    let se_pooled = (pooled * (1.0 - pooled) * (n / (nc * nt))).sqrt();
    let diff = pt - pc;
    // Both arms at 0% or both at 100%: the difference is exactly 0 and so is the pooled standard error;
    // scaleplan defines z = 0 there.
    let z = if se_pooled > 0.0 {
        diff / se_pooled
    } else {
        0.0
    };
    let (var_t, var_c) = (pt * (1.0 - pt) / nt, pc * (1.0 - pc) / nc);
    let ratio = pt / pc;
    let var_ratio = (var_t + ratio * ratio * var_c) / (pc * pc);
    let defined = pc != 0.0;
    Kernel {
        control_rate: pc,
        treatment_rate: pt,
        z,
        diff,
        absolute_half_width: z_crit * (var_t + var_c).sqrt(),
        relative_lift: if defined { ratio - 1.0 } else { f64::NAN },
        relative_half_width: if defined {
            z_crit * var_ratio.sqrt()
        } else {
            f64::NAN
        },
    }
}

#[inline(always)]
fn p_value(alternative: Alternative, z: f64) -> f64 {
    alternative.p_value(z, norm_sf)
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
    let n = control_visitors.len();
    let mut out = ProportionsBatch {
        z: vec![0.0; n],
        p_value: vec![0.0; n],
        absolute_effect: vec![0.0; n],
        absolute_ci_lo: vec![0.0; n],
        absolute_ci_hi: vec![0.0; n],
        relative_lift: vec![0.0; n],
        relative_ci_lo: vec![0.0; n],
        relative_ci_hi: vec![0.0; n],
    };
    two_proportions_batch_into(
        control_visitors,
        control_conversions,
        treatment_visitors,
        treatment_conversions,
        opts,
        ProportionsColumns {
            z: &mut out.z,
            p_value: &mut out.p_value,
            absolute_effect: &mut out.absolute_effect,
            absolute_ci_lo: &mut out.absolute_ci_lo,
            absolute_ci_hi: &mut out.absolute_ci_hi,
            relative_lift: &mut out.relative_lift,
            relative_ci_lo: &mut out.relative_ci_lo,
            relative_ci_hi: &mut out.relative_ci_hi,
        },
    )?;
    Ok(out)
}

/// Caller-owned output columns for [`two_proportions_batch_into`], one slice per field of
/// [`ProportionsBatch`], each as long as the inputs.
#[derive(Debug)]
#[allow(missing_docs)] // the fields are those of `ProportionsBatch`
pub struct ProportionsColumns<'a> {
    pub z: &'a mut [f64],
    pub p_value: &'a mut [f64],
    pub absolute_effect: &'a mut [f64],
    pub absolute_ci_lo: &'a mut [f64],
    pub absolute_ci_hi: &'a mut [f64],
    pub relative_lift: &'a mut [f64],
    pub relative_ci_lo: &'a mut [f64],
    pub relative_ci_hi: &'a mut [f64],
}

/// [`two_proportions_batch`] writing into buffers the caller owns (the bindings pass numpy arrays and
/// typed arrays, so results are never copied). On error the buffers' contents are unspecified.
///
/// # Errors
/// As [`two_proportions_batch`]; `length_mismatch` when an output column is not as long as the inputs.
///
/// # Example
/// ```
/// use scaleplan::significance::{two_proportions_batch_into, ProportionsColumns, TestOptions};
/// let mut cols = [[0.0; 1]; 8];
/// let [z, p, d, lo, hi, rl, rlo, rhi] = &mut cols;
/// let out = ProportionsColumns { z, p_value: p, absolute_effect: d, absolute_ci_lo: lo, absolute_ci_hi: hi,
///     relative_lift: rl, relative_ci_lo: rlo, relative_ci_hi: rhi };
/// two_proportions_batch_into(&[10_000.0], &[1_000.0], &[10_000.0], &[1_100.0], &TestOptions::default(), out)?;
/// assert!((cols[0][0] - 2.306_634_773_817_01).abs() < 1e-9);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn two_proportions_batch_into(
    control_visitors: &[f64],
    control_conversions: &[f64],
    treatment_visitors: &[f64],
    treatment_conversions: &[f64],
    opts: &TestOptions,
    out: ProportionsColumns<'_>,
) -> Result<()> {
    opts.validate()?;
    let n = check::same_len(&[
        ("control_visitors", control_visitors.len()),
        ("control_conversions", control_conversions.len()),
        ("treatment_visitors", treatment_visitors.len()),
        ("treatment_conversions", treatment_conversions.len()),
    ])?;
    check::same_len(&[
        ("control_visitors", n),
        ("z", out.z.len()),
        ("p_value", out.p_value.len()),
        ("absolute_effect", out.absolute_effect.len()),
        ("absolute_ci_lo", out.absolute_ci_lo.len()),
        ("absolute_ci_hi", out.absolute_ci_hi.len()),
        ("relative_lift", out.relative_lift.len()),
        ("relative_ci_lo", out.relative_ci_lo.len()),
        ("relative_ci_hi", out.relative_ci_hi.len()),
    ])?;
    let z_crit = norm_ppf(1.0 - opts.alpha / 2.0);
    // One fused pass: validity is accumulated without branching, the kernel runs on every row (on
    // invalid rows its output is garbage but finite-or-NaN, never a trap), and the precise error of the
    // first bad row is rebuilt afterwards.
    let mut all_valid = true;
    let rows = control_visitors
        .iter()
        .zip(control_conversions)
        .zip(treatment_visitors.iter().zip(treatment_conversions));
    let cols = out
        .z
        .iter_mut()
        .zip(out.p_value.iter_mut())
        .zip(out.absolute_effect.iter_mut())
        .zip(
            out.absolute_ci_lo
                .iter_mut()
                .zip(out.absolute_ci_hi.iter_mut()),
        )
        .zip(
            out.relative_lift.iter_mut().zip(
                out.relative_ci_lo
                    .iter_mut()
                    .zip(out.relative_ci_hi.iter_mut()),
            ),
        );
    for (((&nc, &cc), (&nt, &ct)), ((((z, p), d), (lo, hi)), (rl, (rlo, rhi)))) in rows.zip(cols) {
        all_valid &= valid_arm(nc, cc) & valid_arm(nt, ct);
        let k = kernel(nc, cc, nt, ct, z_crit);
        *z = k.z;
        *p = p_value(opts.alternative, k.z);
        *d = k.diff;
        *lo = k.diff - k.absolute_half_width;
        *hi = k.diff + k.absolute_half_width;
        *rl = k.relative_lift;
        *rlo = k.relative_lift - k.relative_half_width;
        *rhi = k.relative_lift + k.relative_half_width;
    }
    if !all_valid {
        for i in 0..n {
            arm(control_visitors[i], control_conversions[i], "control", i)?;
            arm(
                treatment_visitors[i],
                treatment_conversions[i],
                "treatment",
                i,
            )?;
        }
    }
    Ok(())
}

/// The fast check of one arm: finite whole counts in [0, 2^53], at least one visitor, conversions at most
/// visitors. NaN fails every comparison, so it is rejected too.
#[inline(always)]
fn valid_arm(visitors: f64, conversions: f64) -> bool {
    const MAX: f64 = 9_007_199_254_740_992.0;
    // `&` rather than `&&`: no branches, so the caller's loop stays straight-line. Counts are at most
    // 2^53, so the round trip through i64 is exact for whole numbers.
    (1.0..=MAX).contains(&visitors)
        & (conversions >= 0.0)
        & (conversions <= visitors)
        & ((visitors as i64) as f64 == visitors)
        & ((conversions as i64) as f64 == conversions)
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
