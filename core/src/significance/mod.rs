//! Significance: is this experiment a real winner, and is it ready to scale?
//!
//! | question | function | reference it matches |
//! |---|---|---|
//! | conversion rates differ? | [`two_proportions`] | statsmodels `proportions_ztest`, `confint_proportions_2indep(method="wald")` |
//! | means differ (summary statistics)? | [`welch`] | scipy `ttest_ind_from_stats(equal_var=False)` |
//! | ratio metric (revenue per session) differs? | [`ratio`] | delta method, Deng et al. (2018); statsmodels `NonlinearDeltaCov` |
//! | same, with less variance? | [`cuped`] | CUPED, Deng et al. (2013); scipy Welch on the adjusted data |
//! | was traffic split as configured? | [`srm`] (sample-ratio mismatch) | scipy `chisquare` |
//! | many metrics at once? | [`holm`], [`benjamini_hochberg`] | statsmodels `multipletests` |
//! | may we look every day? | [`sequential`] (mixture SPRT) | Johari et al. (2017), Howard et al. (2021) |
//! | how likely is B better? | [`beta_binomial`], [`normal_means`] | `scipy.integrate.quad` of the posteriors |
//! | how many visitors do we need? | [`sample_size_proportions`], [`mde_proportions`] | statsmodels `samplesize_proportions_2indep_onetail` |
//! | ready to scale? | [`assess_readiness`] | the rules of [`ReadinessPolicy`] |
//!
//! Every comparison is **treatment minus control**; a positive effect means the treatment's value is higher.
//! Every function has a batch form over slices (`*_batch`), which the bindings use for numpy and typed arrays.

mod arm;
mod bayes;
mod correction;
mod cuped;
mod means;
mod power;
mod proportions;
mod ratio;
mod readiness;
mod sequential;
mod srm;
mod units;

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

pub use arm::{CupedArm, MeanSummary, Proportion, RatioSummary};
pub use bayes::{
    BayesResult, BetaPrior, NormalPrior, beta_binomial, beta_binomial_batch, normal_means,
};
pub use correction::{Correction, benjamini_hochberg, correct, holm};
pub use cuped::{CupedResult, cuped};
pub use means::{WelchBatch, WelchResult, welch, welch_batch};
pub use power::{
    PowerOptions, mde_means, mde_proportions, sample_size_means, sample_size_proportions,
    sample_size_proportions_batch,
};
pub use proportions::{
    ProportionsBatch, ProportionsColumns, ProportionsResult, two_proportions,
    two_proportions_batch, two_proportions_batch_into,
};
pub use ratio::{RatioResult, ratio};
pub use readiness::{
    CorrectionFamily, Direction, Experiment, GuardrailRule, Metric, MetricData, MetricRole,
    MetricVerdict, Readiness, ReadinessPolicy, Reason, Verdict, assess_readiness,
};
pub use sequential::{SequentialOptions, SequentialResult, sequential, sequential_batch};
pub use srm::{SrmOptions, SrmResult, srm};
pub use units::{mean_from_units, proportion_from_rows, ratio_from_units};

/// The alternative hypothesis about `treatment - control`, with scipy's names.
///
/// # Example
/// ```
/// use scaleplan::significance::Alternative;
/// assert_eq!("greater".parse::<Alternative>()?, Alternative::Greater);
/// assert_eq!("sideways".parse::<Alternative>().unwrap_err().code(), "unknown_variant");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Alternative {
    /// The arms differ (either direction).
    #[default]
    #[serde(rename = "two-sided")]
    TwoSided,
    /// The treatment is lower than the control (statsmodels: `"smaller"`).
    #[serde(rename = "less", alias = "smaller")]
    Less,
    /// The treatment is higher than the control (statsmodels: `"larger"`).
    #[serde(rename = "greater", alias = "larger")]
    Greater,
}

impl std::str::FromStr for Alternative {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "two-sided" | "two_sided" => Ok(Alternative::TwoSided),
            "less" | "smaller" => Ok(Alternative::Less),
            "greater" | "larger" => Ok(Alternative::Greater),
            _ => Err(Error::UnknownVariant {
                field: "alternative".into(),
                value: s.into(),
                expected: "\"two-sided\", \"less\", \"greater\"",
            }),
        }
    }
}

impl Alternative {
    /// The p-value of a statistic whose null distribution has survival function `sf` (symmetric about 0).
    pub(crate) fn p_value(self, stat: f64, sf: impl Fn(f64) -> f64) -> f64 {
        match self {
            Alternative::TwoSided => (2.0 * sf(stat.abs())).min(1.0),
            Alternative::Greater => sf(stat),
            Alternative::Less => sf(-stat),
        }
    }
}

/// A confidence interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Interval {
    pub(crate) fn around(center: f64, half_width: f64) -> Self {
        Interval {
            lo: center - half_width,
            hi: center + half_width,
        }
    }

    /// Whether `x` lies in the closed interval.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }
}

/// Options shared by the frequentist tests.
///
/// Confidence intervals are always two-sided at level `1 - alpha` (as statsmodels' `confint_*`), also
/// for a one-sided `alternative`, so that they never have an infinite end.
///
/// # Example
/// ```
/// use scaleplan::significance::{Alternative, TestOptions};
/// let opts = TestOptions { alpha: 0.01, alternative: Alternative::Greater };
/// assert!(opts.validate().is_ok());
/// assert_eq!(TestOptions { alpha: 1.5, ..opts }.validate().unwrap_err().code(), "out_of_range");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TestOptions {
    /// Significance level in (0, 1); default 0.05.
    pub alpha: f64,
    /// The alternative hypothesis; default two-sided.
    pub alternative: Alternative,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            alpha: 0.05,
            alternative: Alternative::TwoSided,
        }
    }
}

impl TestOptions {
    /// Checks `alpha` in (0, 1).
    ///
    /// # Errors
    /// `not_finite` or `out_of_range` naming `alpha`.
    pub fn validate(&self) -> Result<()> {
        check::open_unit("alpha", self.alpha).map(|_| ())
    }
}

/// Overflow check of a [`relative_lift`] result (a control value near 0 can make the ratio infinite).
pub(crate) fn check_relative(
    what: &str,
    lift: Option<f64>,
    ci: Option<Interval>,
) -> crate::error::Result<()> {
    match (lift, ci) {
        (Some(l), Some(ci)) => crate::check::no_overflow(
            || format!("{what}: the relative lift (control value too close to 0)"),
            &[l, ci.lo, ci.hi],
        ),
        _ => Ok(()),
    }
}

/// A relative change and its delta-method standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RelativeChange {
    /// `(t - c) / |c|`.
    pub(crate) lift: f64,
    /// `sqrt(Var(t)/c² + t² Var(c)/c⁴)`.
    pub(crate) se: f64,
}

impl RelativeChange {
    /// The interval `lift ± crit · se`.
    pub(crate) fn interval(self, crit: f64) -> Interval {
        Interval::around(self.lift, crit * self.se)
    }
}

/// Relative change `(t - c) / |c|` and its delta-method standard error, given the estimates and their
/// variances; `None` when the control estimate is 0.
///
/// The change is taken against `|c|`, so that a treatment above the control is a positive change
/// whatever the control's sign (a revenue-change metric with a negative control mean, say), as GrowthBook
/// does since its issue 6658. For `c > 0` this is the usual `t / c - 1`. The gradient of `(t - c)/|c|` is
/// `(1/|c|, -t/(c |c|))`, so `Var ≈ Var(t)/c² + t² Var(c)/c⁴` (independent arms) for either sign.
pub(crate) fn relative_change(t: f64, var_t: f64, c: f64, var_c: f64) -> Option<RelativeChange> {
    if c == 0.0 {
        return None;
    }
    let ratio = t / c;
    let var = var_t / (c * c) + ratio * ratio * var_c / (c * c);
    Some(RelativeChange {
        lift: (t - c) / c.abs(),
        se: var.sqrt(),
    })
}

/// [`relative_change`] with its interval at the critical value `crit` (the normal quantile for z tests,
/// Student's t at the test's degrees of freedom for Welch's test).
pub(crate) fn relative_lift(
    t: f64,
    var_t: f64,
    c: f64,
    var_c: f64,
    crit: f64,
) -> (Option<f64>, Option<Interval>) {
    match relative_change(t, var_t, c, var_c) {
        None => (None, None),
        Some(r) => (Some(r.lift), Some(r.interval(crit))),
    }
}
