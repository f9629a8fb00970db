//! Validated per-arm inputs: a conversion count, mean summaries, ratio-metric sums, CUPED summaries.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

/// One arm of a conversion experiment: `conversions` out of `visitors`, with `conversions <= visitors`
/// and `visitors >= 1`.
///
/// # Example
/// ```
/// use scaleplan::significance::Proportion;
/// let arm = Proportion::new(1000, 50)?;
/// assert_eq!(arm.rate(), 0.05);
/// assert_eq!(Proportion::new(0, 0).unwrap_err().code(), "too_few_observations");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawProportion")]
pub struct Proportion {
    visitors: u64,
    conversions: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProportion {
    visitors: u64,
    conversions: u64,
}

impl TryFrom<RawProportion> for Proportion {
    type Error = Error;
    fn try_from(r: RawProportion) -> Result<Self> {
        Proportion::new(r.visitors, r.conversions)
    }
}

impl Proportion {
    /// A validated arm.
    ///
    /// # Errors
    /// `too_few_observations` if `visitors` is 0; `conversions_exceed_visitors`.
    pub fn new(visitors: u64, conversions: u64) -> Result<Self> {
        check::at_least("visitors", visitors, 1)?;
        if conversions > visitors {
            return Err(Error::ConversionsExceedVisitors {
                arm: "arm".into(),
                conversions,
                visitors,
            });
        }
        Ok(Proportion {
            visitors,
            conversions,
        })
    }

    /// From float counts (numpy and JS arrays): they must be finite, non-negative whole numbers.
    ///
    /// # Errors
    /// As [`Proportion::new`], plus `not_finite`, `negative`, `not_integer`.
    pub fn from_f64(visitors: f64, conversions: f64) -> Result<Self> {
        Proportion::new(
            check::count("visitors", visitors)?,
            check::count("conversions", conversions)?,
        )
    }

    /// Visitors (trials).
    pub fn visitors(&self) -> u64 {
        self.visitors
    }

    /// Conversions (successes).
    pub fn conversions(&self) -> u64 {
        self.conversions
    }

    /// `conversions / visitors`.
    pub fn rate(&self) -> f64 {
        self.conversions as f64 / self.visitors as f64
    }
}

/// Summary statistics of one arm of a continuous metric: size, mean and **sample** variance (ddof = 1).
///
/// # Example
/// ```
/// use scaleplan::significance::MeanSummary;
/// let arm = MeanSummary::new(500, 12.5, 4.0)?;
/// assert_eq!(arm.n(), 500);
/// assert_eq!(MeanSummary::new(500, 12.5, -1.0).unwrap_err().code(), "negative");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMean")]
pub struct MeanSummary {
    n: u64,
    mean: f64,
    variance: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMean {
    n: u64,
    mean: f64,
    variance: f64,
}

impl TryFrom<RawMean> for MeanSummary {
    type Error = Error;
    fn try_from(r: RawMean) -> Result<Self> {
        MeanSummary::new(r.n, r.mean, r.variance)
    }
}

impl MeanSummary {
    /// A validated summary: `n >= 2` (a sample variance needs two observations), finite mean,
    /// finite non-negative variance.
    ///
    /// # Errors
    /// `too_few_observations`, `not_finite`, `negative`.
    pub fn new(n: u64, mean: f64, variance: f64) -> Result<Self> {
        check::at_least("n", n, 2)?;
        check::finite("mean", mean)?;
        check::non_negative("variance", variance)?;
        Ok(MeanSummary { n, mean, variance })
    }

    /// From a float `n` (numpy and JS arrays).
    ///
    /// # Errors
    /// As [`MeanSummary::new`], plus `not_integer`.
    pub fn from_f64(n: f64, mean: f64, variance: f64) -> Result<Self> {
        MeanSummary::new(check::count("n", n)?, mean, variance)
    }

    /// Sample size.
    pub fn n(&self) -> u64 {
        self.n
    }
    /// Sample mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }
    /// Sample variance (ddof = 1).
    pub fn variance(&self) -> f64 {
        self.variance
    }
    /// Variance of the mean, `variance / n`.
    pub(crate) fn var_of_mean(&self) -> f64 {
        self.variance / self.n as f64
    }
}

/// Sums for a ratio metric `sum(x) / sum(y)` (e.g. revenue `x` per session `y`) over the `n` randomisation
/// units (users) of one arm, for the delta method.
///
/// # Example
/// ```
/// use scaleplan::significance::RatioSummary;
/// // 3 users: (revenue, sessions) = (10, 2), (0, 1), (5, 3)
/// let arm = RatioSummary::new(3, 15.0, 6.0, 125.0, 14.0, 35.0)?;
/// assert_eq!(arm.ratio(), 2.5);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawRatio")]
pub struct RatioSummary {
    n: u64,
    sum_x: f64,
    sum_y: f64,
    sum_x2: f64,
    sum_y2: f64,
    sum_xy: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRatio {
    n: u64,
    sum_x: f64,
    sum_y: f64,
    sum_x2: f64,
    sum_y2: f64,
    sum_xy: f64,
}

impl TryFrom<RawRatio> for RatioSummary {
    type Error = Error;
    fn try_from(r: RawRatio) -> Result<Self> {
        RatioSummary::new(r.n, r.sum_x, r.sum_y, r.sum_x2, r.sum_y2, r.sum_xy)
    }
}

impl RatioSummary {
    /// Validated sums: `n >= 2`, all finite, `sum_y > 0`, squares non-negative.
    ///
    /// # Errors
    /// `too_few_observations`, `not_finite`, `negative`, `out_of_range` (`sum_y` must be positive).
    pub fn new(
        n: u64,
        sum_x: f64,
        sum_y: f64,
        sum_x2: f64,
        sum_y2: f64,
        sum_xy: f64,
    ) -> Result<Self> {
        check::at_least("n", n, 2)?;
        check::finite("sum_x", sum_x)?;
        check::positive("sum_y", sum_y)?;
        check::non_negative("sum_x2", sum_x2)?;
        check::non_negative("sum_y2", sum_y2)?;
        check::finite("sum_xy", sum_xy)?;
        Ok(RatioSummary {
            n,
            sum_x,
            sum_y,
            sum_x2,
            sum_y2,
            sum_xy,
        })
    }

    /// Randomisation units (users).
    pub fn n(&self) -> u64 {
        self.n
    }

    /// `sum_x / sum_y`.
    pub fn ratio(&self) -> f64 {
        self.sum_x / self.sum_y
    }

    /// Delta-method variance of the ratio: `(s_x² - 2 R s_xy + R² s_y²) / (n ȳ²)` with sample
    /// (co)variances (ddof = 1).
    pub(crate) fn var_of_ratio(&self) -> f64 {
        let n = self.n as f64;
        let mx = self.sum_x / n;
        let my = self.sum_y / n;
        let vx = ((self.sum_x2 - n * mx * mx) / (n - 1.0)).max(0.0);
        let vy = ((self.sum_y2 - n * my * my) / (n - 1.0)).max(0.0);
        let cxy = (self.sum_xy - n * mx * my) / (n - 1.0);
        let r = mx / my;
        ((vx - 2.0 * r * cxy + r * r * vy) / (n * my * my)).max(0.0)
    }
}

/// Summary of one arm for CUPED: the metric `y` measured in the experiment and the covariate `x` from the
/// pre-period, over the same `n` units (sample moments, ddof = 1).
///
/// # Example
/// ```
/// use scaleplan::significance::CupedArm;
/// let arm = CupedArm::new(1000, 10.2, 4.0, 9.9, 3.8, 3.0)?;
/// // a conversion metric: 120 of 1000 converted
/// let conv = CupedArm::from_proportion(1000, 120, 0.5, 0.25, 0.05)?;
/// assert!((conv.mean() - 0.12).abs() < 1e-15);
/// # let _ = arm;
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCuped")]
pub struct CupedArm {
    n: u64,
    mean: f64,
    variance: f64,
    covariate_mean: f64,
    covariate_variance: f64,
    covariance: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCuped {
    n: u64,
    mean: f64,
    variance: f64,
    covariate_mean: f64,
    covariate_variance: f64,
    covariance: f64,
}

impl TryFrom<RawCuped> for CupedArm {
    type Error = Error;
    fn try_from(r: RawCuped) -> Result<Self> {
        CupedArm::new(
            r.n,
            r.mean,
            r.variance,
            r.covariate_mean,
            r.covariate_variance,
            r.covariance,
        )
    }
}

impl CupedArm {
    /// A validated summary: `n >= 2`, finite values, non-negative variances, and a covariance that
    /// satisfies Cauchy–Schwarz (`cov² <= var_y var_x`, with a relative slack of 1e-9 for rounding).
    ///
    /// # Errors
    /// `too_few_observations`, `not_finite`, `negative`, `out_of_range` (covariance).
    pub fn new(
        n: u64,
        mean: f64,
        variance: f64,
        covariate_mean: f64,
        covariate_variance: f64,
        covariance: f64,
    ) -> Result<Self> {
        check::at_least("n", n, 2)?;
        check::finite("mean", mean)?;
        check::non_negative("variance", variance)?;
        check::finite("covariate_mean", covariate_mean)?;
        check::non_negative("covariate_variance", covariate_variance)?;
        check::finite("covariance", covariance)?;
        if covariance * covariance > variance * covariate_variance * (1.0 + 1e-9) {
            return Err(Error::OutOfRange {
                field: "covariance".into(),
                value: covariance,
                allowed: "[-sqrt(variance * covariate_variance), +sqrt(variance * covariate_variance)]",
            });
        }
        Ok(CupedArm {
            n,
            mean,
            variance,
            covariate_mean,
            covariate_variance,
            covariance,
        })
    }

    /// For a conversion metric: `conversions` of `visitors`, whose sample variance is `p(1-p) n/(n-1)`.
    ///
    /// # Errors
    /// As [`CupedArm::new`] and [`Proportion::new`].
    pub fn from_proportion(
        visitors: u64,
        conversions: u64,
        covariate_mean: f64,
        covariate_variance: f64,
        covariance: f64,
    ) -> Result<Self> {
        let p = Proportion::new(visitors, conversions)?;
        check::at_least("visitors", visitors, 2)?;
        let n = visitors as f64;
        let rate = p.rate();
        CupedArm::new(
            visitors,
            rate,
            rate * (1.0 - rate) * n / (n - 1.0),
            covariate_mean,
            covariate_variance,
            covariance,
        )
    }

    /// Sample size.
    pub fn n(&self) -> u64 {
        self.n
    }
    /// Mean of the metric.
    pub fn mean(&self) -> f64 {
        self.mean
    }
    /// Sample variance of the metric.
    pub fn variance(&self) -> f64 {
        self.variance
    }
    /// Mean of the pre-period covariate.
    pub fn covariate_mean(&self) -> f64 {
        self.covariate_mean
    }
    /// Sample variance of the covariate.
    pub fn covariate_variance(&self) -> f64 {
        self.covariate_variance
    }
    /// Sample covariance of metric and covariate.
    pub fn covariance(&self) -> f64 {
        self.covariance
    }
}
