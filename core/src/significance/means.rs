//! Welch's t test from summary statistics, with Welch–Satterthwaite degrees of freedom.

use serde::{Deserialize, Serialize};

use super::{Alternative, Interval, MeanSummary, TestOptions, check_relative, relative_lift};
use rayon::prelude::*;

use crate::check;
use crate::dist::{TQuantileAt, t_ppf, t_sf};
use crate::error::{Error, Result};

/// The result of [`welch`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WelchResult {
    /// Control mean.
    pub control_mean: f64,
    /// Treatment mean.
    pub treatment_mean: f64,
    /// t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// p-value for the chosen alternative.
    pub p_value: f64,
    /// `treatment_mean - control_mean`.
    pub absolute_effect: f64,
    /// `d ± t_{1-α/2, df} · se`.
    pub absolute_ci: Interval,
    /// `(treatment_mean - control_mean) / |control_mean|` (`treatment / control - 1` for a positive control);
    /// `None` when the control mean is 0.
    pub relative_lift: Option<f64>,
    /// Delta-method interval for the relative lift, `lift ± t_{1-α/2, df} · se` with the same
    /// Welch–Satterthwaite `df` as the absolute interval (as GrowthBook's gbstats); `None` when the control
    /// mean is 0.
    pub relative_ci: Option<Interval>,
    /// The significance level used.
    pub alpha: f64,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// Welch's unequal-variance t test of `treatment` against `control` from summary statistics.
///
/// `t = (m_t - m_c) / sqrt(v_t/n_t + v_c/n_c)`, `df = (v_t/n_t + v_c/n_c)² / ((v_t/n_t)²/(n_t-1) + (v_c/n_c)²/(n_c-1))`,
/// as scipy `ttest_ind_from_stats(..., equal_var=False)`.
///
/// # Errors
/// `zero_variance` when both arms have variance 0 (the statistic is undefined); `alpha` as
/// [`TestOptions::validate`].
///
/// # Example
/// ```
/// use scaleplan::significance::{welch, MeanSummary, TestOptions};
/// let r = welch(&MeanSummary::new(50, 10.0, 4.0)?, &MeanSummary::new(60, 11.0, 9.0)?, &TestOptions::default())?;
/// assert!((r.t - 2.085_144_140_570_747).abs() < 1e-9);
/// let flat = MeanSummary::new(10, 1.0, 0.0)?;
/// assert_eq!(welch(&flat, &flat, &TestOptions::default()).unwrap_err().code(), "zero_variance");
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// scipy `ttest_ind_from_stats(equal_var=False)`, and `ttest_ind(...).confidence_interval()` for the interval;
/// fixture `testdata/significance/welch.json`.
pub fn welch(
    control: &MeanSummary,
    treatment: &MeanSummary,
    opts: &TestOptions,
) -> Result<WelchResult> {
    opts.validate()?;
    let level = 1.0 - opts.alpha / 2.0;
    let m = Moments::of(control, treatment)?;
    m.finish(opts, t_ppf(level, m.df))
}

/// What a Welch test needs before its two quantiles: the effect, its standard error and the df.
#[derive(Debug, Clone, Copy)]
struct Moments {
    control_mean: f64,
    treatment_mean: f64,
    var_c: f64,
    var_t: f64,
    var: f64,
    se: f64,
    diff: f64,
    t: f64,
    df: f64,
}

impl Moments {
    fn of(control: &MeanSummary, treatment: &MeanSummary) -> Result<Moments> {
        let (vc, vt) = (control.var_of_mean(), treatment.var_of_mean());
        let var = vc + vt;
        if var <= 0.0 {
            return Err(Error::ZeroVariance {
                what: "welch".into(),
            });
        }
        let se = var.sqrt();
        let diff = treatment.mean() - control.mean();
        let df = var * var
            / (vt * vt / (treatment.n() as f64 - 1.0) + vc * vc / (control.n() as f64 - 1.0));
        Ok(Moments {
            control_mean: control.mean(),
            treatment_mean: treatment.mean(),
            var_c: vc,
            var_t: vt,
            var,
            se,
            diff,
            t: diff / se,
            df,
        })
    }

    /// The p-value and both intervals, given `t_crit`, the Student t quantile at `self.df`.
    fn finish(&self, opts: &TestOptions, t_crit: f64) -> Result<WelchResult> {
        let Moments {
            t, df, se, diff, ..
        } = *self;
        let p_value = opts.alternative.p_value(t, |x| t_sf(x, df));
        let (relative_lift, relative_ci) = relative_lift(
            self.treatment_mean,
            self.var_t,
            self.control_mean,
            self.var_c,
            t_crit,
        );
        check::no_overflow(
            || "welch: the difference of the means or its variance".into(),
            &[self.var, diff, t, df, p_value, t_crit * se],
        )?;
        check_relative("welch", relative_lift, relative_ci)?;
        Ok(WelchResult {
            control_mean: self.control_mean,
            treatment_mean: self.treatment_mean,
            t,
            df,
            p_value,
            absolute_effect: diff,
            absolute_ci: Interval::around(diff, t_crit * se),
            relative_lift,
            relative_ci,
            alpha: opts.alpha,
            alternative: opts.alternative,
        })
    }
}

/// Column-wise results of [`welch_batch`]. Relative columns are NaN where the control mean is 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WelchBatch {
    /// t statistics.
    pub t: Vec<f64>,
    /// Degrees of freedom.
    pub df: Vec<f64>,
    /// p-values.
    pub p_value: Vec<f64>,
    /// Differences of means.
    pub absolute_effect: Vec<f64>,
    /// Lower ends of the absolute intervals.
    pub absolute_ci_lo: Vec<f64>,
    /// Upper ends of the absolute intervals.
    pub absolute_ci_hi: Vec<f64>,
    /// Relative lifts (NaN where the control mean is 0).
    pub relative_lift: Vec<f64>,
    /// Lower ends of the relative intervals.
    pub relative_ci_lo: Vec<f64>,
    /// Upper ends of the relative intervals.
    pub relative_ci_hi: Vec<f64>,
}

/// [`welch`] over many segments, from equal-length columns.
///
/// # Errors
/// `empty_input`, `length_mismatch`, and per-segment errors naming the column and index.
///
/// # Example
/// ```
/// use scaleplan::significance::{welch_batch, TestOptions};
/// let b = welch_batch(&[50.0], &[10.0], &[4.0], &[60.0], &[11.0], &[9.0], &TestOptions::default())?;
/// assert!((b.t[0] - 2.085_144_140_570_747).abs() < 1e-9);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn welch_batch(
    control_n: &[f64],
    control_mean: &[f64],
    control_variance: &[f64],
    treatment_n: &[f64],
    treatment_mean: &[f64],
    treatment_variance: &[f64],
    opts: &TestOptions,
) -> Result<WelchBatch> {
    opts.validate()?;
    let n = check::same_len(&[
        ("control_n", control_n.len()),
        ("control_mean", control_mean.len()),
        ("control_variance", control_variance.len()),
        ("treatment_n", treatment_n.len()),
        ("treatment_mean", treatment_mean.len()),
        ("treatment_variance", treatment_variance.len()),
    ])?;
    let cols = Columns {
        control_n,
        control_mean,
        control_variance,
        treatment_n,
        treatment_mean,
        treatment_variance,
    };
    // One level for every row: its quantile as a function of df, fitted once (see `TQuantileAt`) when
    // the batch is long enough to repay the fit's 49 quantiles.
    let level = 1.0 - opts.alpha / 2.0;
    let quantile = if n >= 64 {
        TQuantileAt::new(level)
    } else {
        TQuantileAt::exact(level)
    };
    if n < 2 * PARALLEL_CHUNK {
        return cols.rows(0..n, opts, &quantile);
    }
    // Long batches: chunks of rows on rayon's pool (every core, or `RAYON_NUM_THREADS`), joined in
    // order; the same numbers as one pass, and the first failing row (by index) is the error.
    let starts: Vec<usize> = (0..n).step_by(PARALLEL_CHUNK).collect();
    let parts: Vec<Result<WelchBatch>> = starts
        .into_par_iter()
        .map(|s| cols.rows(s..(s + PARALLEL_CHUNK).min(n), opts, &quantile))
        .collect();
    let mut out = WelchBatch::with_capacity(n);
    for part in parts {
        out.append(part?);
    }
    Ok(out)
}

/// Rows per task of a parallel [`welch_batch`]: large enough that a task costs far more than its
/// scheduling (about 0.5 ms), small enough to keep both halves of a 2-core machine busy from 4,096 rows.
const PARALLEL_CHUNK: usize = 1024;

/// The six input columns of [`welch_batch`], validated to one length.
struct Columns<'a> {
    control_n: &'a [f64],
    control_mean: &'a [f64],
    control_variance: &'a [f64],
    treatment_n: &'a [f64],
    treatment_mean: &'a [f64],
    treatment_variance: &'a [f64],
}

impl Columns<'_> {
    /// The tests of the rows in `range`, in three passes so that the quantiles (a fixed polynomial per
    /// row) run as one tight loop.
    fn rows(
        &self,
        range: std::ops::Range<usize>,
        opts: &TestOptions,
        quantile: &TQuantileAt,
    ) -> Result<WelchBatch> {
        let mut moments = Vec::with_capacity(range.len());
        for i in range.clone() {
            let c = MeanSummary::from_f64(
                self.control_n[i],
                self.control_mean[i],
                self.control_variance[i],
            )
            .map_err(|e| e.in_field(&check::at("control", i)))?;
            let t = MeanSummary::from_f64(
                self.treatment_n[i],
                self.treatment_mean[i],
                self.treatment_variance[i],
            )
            .map_err(|e| e.in_field(&check::at("treatment", i)))?;
            moments.push(Moments::of(&c, &t).map_err(|e| match e {
                Error::ZeroVariance { .. } => Error::ZeroVariance {
                    what: format!("welch segment {i}"),
                },
                other => other,
            })?);
        }
        let df: Vec<f64> = moments.iter().map(|m| m.df).collect();
        let t_crit = quantile.at_many(&df);
        let mut out = WelchBatch::with_capacity(range.len());
        for (m, &k) in moments.iter().zip(&t_crit) {
            out.push(&m.finish(opts, k)?);
        }
        Ok(out)
    }
}

impl WelchBatch {
    fn with_capacity(n: usize) -> WelchBatch {
        WelchBatch {
            t: Vec::with_capacity(n),
            df: Vec::with_capacity(n),
            p_value: Vec::with_capacity(n),
            absolute_effect: Vec::with_capacity(n),
            absolute_ci_lo: Vec::with_capacity(n),
            absolute_ci_hi: Vec::with_capacity(n),
            relative_lift: Vec::with_capacity(n),
            relative_ci_lo: Vec::with_capacity(n),
            relative_ci_hi: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, r: &WelchResult) {
        self.t.push(r.t);
        self.df.push(r.df);
        self.p_value.push(r.p_value);
        self.absolute_effect.push(r.absolute_effect);
        self.absolute_ci_lo.push(r.absolute_ci.lo);
        self.absolute_ci_hi.push(r.absolute_ci.hi);
        self.relative_lift.push(r.relative_lift.unwrap_or(f64::NAN));
        let ci = r.relative_ci.unwrap_or(Interval {
            lo: f64::NAN,
            hi: f64::NAN,
        });
        self.relative_ci_lo.push(ci.lo);
        self.relative_ci_hi.push(ci.hi);
    }

    fn append(&mut self, mut other: WelchBatch) {
        self.t.append(&mut other.t);
        self.df.append(&mut other.df);
        self.p_value.append(&mut other.p_value);
        self.absolute_effect.append(&mut other.absolute_effect);
        self.absolute_ci_lo.append(&mut other.absolute_ci_lo);
        self.absolute_ci_hi.append(&mut other.absolute_ci_hi);
        self.relative_lift.append(&mut other.relative_lift);
        self.relative_ci_lo.append(&mut other.relative_ci_lo);
        self.relative_ci_hi.append(&mut other.relative_ci_hi);
    }
}
