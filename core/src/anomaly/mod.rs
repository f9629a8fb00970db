//! Anomaly detection on cost, usage and performance series, in batch ([`detect`]) and streaming
//! ([`Stream`]) forms that agree point for point, plus performance [`regression`] against a load-test
//! baseline and [`budget`] tracking.
//!
//! | method | expected value | score | flagged when |
//! |---|---|---|---|
//! | `baseline_ratio` | trailing mean or median of `window` periods | `x / expected` | `≥ ratio` (or `≤ 1/ratio`) |
//! | `robust_z` | trailing median | `0.6745 (x - median) / MAD` | `> threshold` |
//! | `ewma` | in-control mean μ₀ | EWMA statistic in σ_z units | `> limit` |
//! | `seasonal` | median of the same phase over the last `seasons` cycles | robust z of the residual | `> threshold` |
//! | `seasonal_esd` | seasonal + median (batch only: S-H-ESD) | robust z of the residual | generalized ESD |
//! | `threshold` | the threshold | run length / duration | run `≥ duration` |
//! | `calibrated` | the same phase's median over 4 seasons (when there is a season), plus the trailing median of `window` periods of the residuals, before the last 1, 8 and 48 | mean of the last k values in robust σ | past the SPOT threshold learnt from the series' own scores for the alert budget |
//! | `auto` | `calibrated` on 1,200 periods or more (and in a stream); below that `seasonal` when a season is given, inferred from the timestamps' step, or found in the data, `robust_z` over 50 periods (scored once 38 hold values) otherwise, with a cut-off for the alert budget that allows for a window's estimation error ([`short_series_cutoff`]) | | |
//!
//! Every detector scores a point against the periods **before** it (a spike does not hide itself).
//! Missing points are NaN in the values, or gaps in the timestamps: they are never flagged, occupy their
//! period in every window, and `expected` is NaN where a detector has no baseline yet (its warm-up).
//! Flagged points become [`Alert`]s: one ongoing anomaly is one alert, opened, updated while it lasts and
//! closed after `cooldown` quiet periods, never a flood.
//!
//! # Example
//! ```
//! use scaleplan::anomaly::{detect, Method};
//! let mut cost = vec![100.0; 30];
//! cost[20] = 180.0; // one spike
//! let d = detect(&cost, None, &Method::baseline_ratio(7, 1.5), 1)?;
//! assert!(d.flags[20] && d.flags.iter().filter(|f| **f).count() == 1);
//! assert_eq!(d.alerts.len(), 1);
//! assert_eq!(d.alerts[0].reason, "180 is 1.80x the trailing 7-period mean 100 (threshold 1.5x)");
//! # Ok::<(), scaleplan::Error>(())
//! ```

mod alert;
mod baseline;
pub mod budget;
mod calibrated;
mod ewma;
pub(crate) mod nan_serde;
mod regression;
mod robust_z;
mod seasonal;
mod series;
mod stream;
mod threshold;
mod window;

use serde::{Deserialize, Serialize};

pub use alert::{Alert, AlertEvent, AlertKind, EventKind, Severity};
pub use baseline::Statistic;
pub use regression::{PercentileChange, Regression, RegressionOptions, regression};
pub use series::{Aggregate, Ingest, parse_time};
pub use stream::{Stream, StreamIngest};

pub(crate) use regression::quantile_sorted;
pub(crate) use seasonal::seasonal_decomposition;

use crate::check;
use crate::error::{Error, Result};
use window::median_sorted;

/// Which side of the expected value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Only values above (cost and usage spikes).
    Up,
    /// Only values below (traffic drops).
    Down,
    /// Both sides.
    #[default]
    Both,
}

/// One point's verdict. The score and the expected value are kept as fractions and divided only when
/// read ([`Step::score`], [`Step::expected`]): detectors decide the flag and the severity by
/// multiplication, so a stream pays for the divisions only on the points it reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    pub(crate) flag: bool,
    pub(crate) critical: bool,
    pub(crate) score_num: f64,
    pub(crate) score_den: f64,
    pub(crate) expected_num: f64,
    pub(crate) expected_den: f64,
    /// The threshold crossed, for detectors whose threshold moves (`calibrated`); 0 otherwise.
    pub(crate) threshold: f64,
    /// The scale (periods averaged) that scored the point (`calibrated`); 0 otherwise.
    pub(crate) scale: u32,
    /// Raised in the refractory period of an earlier alert, as a stronger anomaly (`calibrated`).
    pub(crate) escalated: bool,
}

impl Step {
    /// A verdict with its score and expected value already computed.
    #[inline]
    pub(crate) fn new(flag: bool, critical: bool, score: f64, expected: f64) -> Step {
        Step {
            flag,
            critical,
            score_num: score,
            score_den: 1.0,
            expected_num: expected,
            expected_den: 1.0,
            threshold: 0.0,
            scale: 0,
            escalated: false,
        }
    }

    /// Not scored: a missing point or a warm-up.
    #[inline]
    pub(crate) fn quiet(expected: f64) -> Step {
        Step::new(false, false, 0.0, expected)
    }

    /// The score, capped to the finite range (a ratio to a baseline near zero can overflow).
    #[inline]
    pub(crate) fn score(&self) -> f64 {
        (self.score_num / self.score_den).clamp(-f64::MAX, f64::MAX)
    }

    /// The expected value.
    #[inline]
    pub(crate) fn expected(&self) -> f64 {
        self.expected_num / self.expected_den
    }
}

/// A detector and its parameters; JSON `{"method": "robust_z", "window": 50, ...}`, every parameter
/// optional with the default shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Method {
    /// The default detector, needing no tuning.
    Auto(AutoParams),
    /// Value against a trailing mean or median.
    BaselineRatio(BaselineParams),
    /// Modified z-score over a trailing window.
    RobustZ(RobustZParams),
    /// EWMA control chart.
    Ewma(EwmaParams),
    /// Online seasonal median with a robust z on the residuals.
    Seasonal(SeasonalParams),
    /// Seasonal Hybrid ESD (batch only).
    SeasonalEsd(EsdParams),
    /// Past a threshold for a duration.
    Threshold(ThresholdParams),
    /// Multi-scale robust scores with an alert threshold learnt from the series' own scores (SPOT).
    Calibrated(CalibratedParams),
}

/// Parameters of [`Method::Calibrated`]: the detector that controls its own false-alarm rate.
///
/// Each scale's score is the mean of the last k values against the median of the `window` periods
/// before them, in robust standard deviations. Its threshold is the upper quantile of the series' own
/// scores with tail probability `1 / (expected_false_alarms_per × scales)`, read from a generalized
/// Pareto fit of the excesses over their 98th percentile (peaks over threshold, as SPOT: Siffer et
/// al., KDD 2017), re-estimated every 64 periods from the last 8,640 scores. A score past twice its
/// threshold is an anomaly and is not learnt (SPOT keeps anomalies out of the fit too), and no threshold
/// is below what Gaussian noise passes with the same probability. No alert during the `warmup` (with a
/// season, not before four cycles are in), and none for `refractory` periods after one, unless a new
/// anomaly is clearly the stronger: once the longest scale no longer averages over the alert's period,
/// a score past its threshold and past twice the largest score-to-threshold ratio seen since the alert
/// is raised (an escalation; its reason says so). The scores of the alert's own span (the first
/// longest-scale periods after it, while that scale's mean still holds the alert) are not learnt.
///
/// ```
/// use scaleplan::anomaly::{detect, CalibratedParams, Method};
/// let mut x: Vec<f64> = (0..3000).map(|i| 100.0 + ((i * 7919) % 13) as f64).collect();
/// x[2500] = 400.0;
/// let d = detect(&x, None, &Method::Calibrated(CalibratedParams::default()), 1)?;
/// assert_eq!(d.alerts.len(), 1);
/// assert_eq!(d.alerts[0].start_index, 2500);
/// assert!(d.alerts[0].reason.contains("calibrated threshold"));
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalibratedParams {
    /// The alert budget: on a series with no anomaly, about one false alarm per this many periods
    /// (default 10,000: one a month on a 5-minute metric).
    pub expected_false_alarms_per: f64,
    /// Baseline periods for the median and the MAD (default 288: a day of 5-minute periods, so a daily
    /// cycle the season did not take out is inside the baseline). A level shift that lasts becomes the
    /// new normal after half of it.
    pub window: usize,
    /// Periods averaged by each score (default 1, 8 and 48: spikes, shifts, slow changes).
    pub scales: Vec<usize>,
    /// Quiet periods after an alert (default 288: a day of 5-minute periods), but for a stronger
    /// anomaly's escalation (see above).
    pub refractory: usize,
    /// Periods learnt before the first alert (default 150; at least 100, the fewest scores a tail fit
    /// takes: the excesses over the 98th percentile, or the 8 largest scores when those are fewer).
    pub warmup: usize,
    /// Default both.
    pub direction: Direction,
    /// A season (periods per cycle) whose same-phase median over the last four cycles is taken out
    /// before scoring. `None`: `detect` finds it from the data as `auto` does (a stream, which cannot
    /// look ahead, then has none: give a stream its season).
    pub season_length: Option<usize>,
}

impl Default for CalibratedParams {
    fn default() -> Self {
        CalibratedParams {
            expected_false_alarms_per: 10_000.0,
            window: 288,
            scales: vec![1, 8, 48],
            refractory: 288,
            warmup: 150,
            direction: Direction::Both,
            season_length: None,
        }
    }
}

/// Parameters of [`Method::Auto`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AutoParams {
    /// Season in periods; inferred when absent. The candidates are the day and the week when the
    /// timestamps' step is a known one (5 min → 288 and 2016, 30 min → 48 and 336, 1 h → 24 and 168,
    /// 1 day → 7), else 7, 12, 24, 48, 52, 96, 168, 288. A candidate needs four cycles in the series and a
    /// lag-m autocorrelation above 0.4 of the series minus its centred moving average; the strongest
    /// wins, but the day is kept over the week unless the week's per-phase profile leaves residuals 25 %
    /// smaller (a weekly pattern on top of the daily one). No season: `robust_z`.
    pub season_length: Option<usize>,
    /// Which side counts (default both).
    pub direction: Direction,
    /// The alert budget, as [`CalibratedParams::expected_false_alarms_per`] (default 10,000 periods). On
    /// a series shorter than [`AUTO_CALIBRATED_MIN`] it sets the fixed rule's cut-off: the two-sided
    /// `1 / budget` quantile of the robust z over a window of `w` values ([`short_series_cutoff`], to
    /// two decimals: 5.02 for the default budget and `robust_z`'s 50 periods).
    pub expected_false_alarms_per: Option<f64>,
}

impl AutoParams {
    /// The budget given, or the calibrated detector's default.
    pub(crate) fn budget(&self) -> f64 {
        self.expected_false_alarms_per
            .unwrap_or_else(|| CalibratedParams::default().expected_false_alarms_per)
    }

    /// The cut-off of the fixed rules on short series whose robust z takes its scale from `w` values,
    /// to two decimals (so that the method's text, `robust_z(window=50, threshold=5.02)`, is the rule
    /// applied).
    fn cutoff(&self, w: usize) -> f64 {
        (short_series_cutoff(self.budget(), w) * 100.0).round() / 100.0
    }
}

/// Parameters of [`Method::BaselineRatio`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BaselineParams {
    /// Trailing periods (default 7).
    pub window: usize,
    /// Mean (default) or median.
    pub statistic: Statistic,
    /// Flag at `x ≥ ratio × baseline` (default 1.5: "50 % above its 7-day average").
    pub ratio: f64,
    /// Default up.
    pub direction: Direction,
    /// Valid periods needed before scoring (default: half the window, at least 1).
    pub min_periods: Option<usize>,
}

impl Default for BaselineParams {
    fn default() -> Self {
        BaselineParams {
            window: 7,
            statistic: Statistic::Mean,
            ratio: 1.5,
            direction: Direction::Up,
            min_periods: None,
        }
    }
}

/// Parameters of [`Method::RobustZ`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RobustZParams {
    /// Trailing periods (default 50).
    pub window: usize,
    /// Flag at `|z| > threshold` (default 3.5, Iglewicz and Hoaglin's cut-off).
    pub threshold: f64,
    /// Default both.
    pub direction: Direction,
    /// Valid periods needed before scoring (default: a fifth of the window, at least 3).
    pub min_periods: Option<usize>,
}

impl Default for RobustZParams {
    fn default() -> Self {
        RobustZParams {
            window: 50,
            threshold: 3.5,
            direction: Direction::Both,
            min_periods: None,
        }
    }
}

/// Parameters of [`Method::Ewma`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EwmaParams {
    /// Smoothing λ in (0, 1] (default 0.2).
    pub lambda: f64,
    /// Control limit L in σ_z (default 3).
    pub limit: f64,
    /// Points that estimate μ₀ and σ when not given (default 20).
    pub warmup: usize,
    /// Known in-control mean.
    pub target: Option<f64>,
    /// Known in-control standard deviation.
    pub sigma: Option<f64>,
    /// Default both.
    pub direction: Direction,
}

impl Default for EwmaParams {
    fn default() -> Self {
        EwmaParams {
            lambda: 0.2,
            limit: 3.0,
            warmup: 20,
            target: None,
            sigma: None,
            direction: Direction::Both,
        }
    }
}

/// Parameters of [`Method::Seasonal`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeasonalParams {
    /// Periods per season: 24 for hourly data with a daily cycle, 168 for a weekly one, 7 for daily data.
    pub season_length: usize,
    /// Cycles whose same-phase values form the expected value (2 to 16, default 4).
    pub seasons: usize,
    /// Flag at `|z| > threshold` of the residual (default 3.5).
    pub threshold: f64,
    /// Residuals in the robust scale (default `max(50, 2 × season_length)`, at most 10,000).
    pub window: Option<usize>,
    /// Default both.
    pub direction: Direction,
}

impl Default for SeasonalParams {
    fn default() -> Self {
        SeasonalParams {
            season_length: 7,
            seasons: 4,
            threshold: 3.5,
            window: None,
            direction: Direction::Both,
        }
    }
}

/// Parameters of [`Method::SeasonalEsd`] (Twitter's defaults: `max_anoms = 0.10`, `alpha = 0.05`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EsdParams {
    /// Periods per season (as for [`SeasonalParams`]); when the series is shorter than two seasons the
    /// decomposition is skipped and the test runs on the deseasoned-by-nothing residuals.
    pub season_length: Option<usize>,
    /// Largest share of points that may be anomalies, in (0, 0.5] (default 0.10).
    pub max_anoms: f64,
    /// Level of the test (default 0.05).
    pub alpha: f64,
    /// Default both.
    pub direction: Direction,
}

impl Default for EsdParams {
    fn default() -> Self {
        EsdParams {
            season_length: None,
            max_anoms: 0.10,
            alpha: 0.05,
            direction: Direction::Both,
        }
    }
}

/// Parameters of [`Method::Threshold`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThresholdParams {
    /// The level (default 80, as in "CPU above 80 %").
    pub threshold: f64,
    /// Consecutive periods past it before flagging (default 5).
    pub duration: usize,
    /// Up: above; down: below; both: different (default up).
    pub direction: Direction,
}

impl Default for ThresholdParams {
    fn default() -> Self {
        ThresholdParams {
            threshold: 80.0,
            duration: 5,
            direction: Direction::Up,
        }
    }
}

/// Quiet periods that close an alert when the caller does not say (the bindings use it): one quiet period
/// is tolerated inside an anomaly, two end it.
pub const DEFAULT_COOLDOWN: usize = 1;

const MAX_WINDOW: usize = 10_000_000;
/// Bound on the counters of a stored state (periods, alert ids, run lengths): 2^53, exact in f64 and far
/// from overflow, so a loaded state can never overflow one.
pub(crate) const MAX_COUNT: u64 = 1 << 53;
const MAX_SEASON: usize = 100_000;
/// From this many periods `auto` is `calibrated`: its warm-up (150 periods, or four cycles of a season)
/// is then a small part of the series, and the series long enough to learn its own score tail. Shorter
/// series keep the fixed rules below.
pub const AUTO_CALIBRATED_MIN: usize = 1200;
/// The window of `auto`'s robust z on a short series without a season.
const AUTO_WINDOW: usize = 50;
/// It scores once three quarters of the window hold values, as `seasonal` does with its residuals (at
/// 10 values, the old start, the MAD is worth about 4 degrees of freedom; a full window would silence it
/// on a series with a few percent of missing points).
const AUTO_MIN_PERIODS: usize = (3 * AUTO_WINDOW).div_ceil(4);

/// The seasonal detector's residual window when not given: two seasons, within [50, 10,000] periods.
pub(crate) fn seasonal_residual_window(season_length: usize) -> usize {
    (2 * season_length).clamp(50, 10_000)
}

/// The cut-off on `|z|` that `auto` gives its fixed rules on a short series, for one false alarm per
/// `budget` periods of Gaussian noise when the robust z takes its median and MAD from `w` values.
///
/// The Gaussian quantile alone (3.9 for 10,000) ignores that the median and the MAD are themselves
/// estimated from `w` values: over 50, `|z| > 4` fires once per about 1,000 periods of Gaussian noise,
/// not once per 16,000. So `z` is treated as Student's t: its scale `1.4826 MAD` has the Gaussian
/// efficiency of the MAD, 0.3675 (Rousseeuw and Croux 1993, JASA 88, "Alternatives to the median
/// absolute deviation"), so it is worth as much as a standard deviation on `ν = 0.3675 w` degrees of
/// freedom (`Var(s)/σ² ≈ 1/2ν`), and the median's own error adds `π/2w` to the numerator's variance:
///
/// `cut-off = t_ν⁻¹(1 − 1/(2 budget)) · √(1 + π/(2w))`
///
/// (a Satterthwaite-style approximation). An independent numpy simulation of the statistic
/// (`testdata/anomaly/make_reference.py`, 2,000,000 windows) finds one false alarm per 12,700 periods at
/// the default budget of 10,000 and one per 2,190 at 2,000; through `auto` on 1.1 million Gaussian
/// periods, the default (a cut-off of 5.02) gives one per 10,700 for `robust_z` and one per 10,400 to
/// 11,500 for `seasonal` (seasons of 7, 24 and 48).
///
/// ```
/// use scaleplan::anomaly::short_series_cutoff;
/// let c = short_series_cutoff(10_000.0, 50);
/// assert!((c - 5.0160).abs() < 1e-3);
/// ```
pub fn short_series_cutoff(budget: f64, w: usize) -> f64 {
    const MAD_EFFICIENCY: f64 = 0.3675;
    let w = w.max(2) as f64;
    crate::dist::t_ppf(1.0 - 0.5 / budget, MAD_EFFICIENCY * w)
        * (1.0 + std::f64::consts::PI / (2.0 * w)).sqrt()
}

impl Method {
    /// Baseline ratio with a trailing mean of `window` periods, flagging `x ≥ ratio × mean`.
    pub fn baseline_ratio(window: usize, ratio: f64) -> Method {
        Method::BaselineRatio(BaselineParams {
            window,
            ratio,
            ..BaselineParams::default()
        })
    }

    /// The method's name as in JSON (`"robust_z"`).
    pub fn name(&self) -> &'static str {
        match self {
            Method::Auto(_) => "auto",
            Method::BaselineRatio(_) => "baseline_ratio",
            Method::RobustZ(_) => "robust_z",
            Method::Ewma(_) => "ewma",
            Method::Seasonal(_) => "seasonal",
            Method::SeasonalEsd(_) => "seasonal_esd",
            Method::Threshold(_) => "threshold",
            Method::Calibrated(_) => "calibrated",
        }
    }

    /// Checks every parameter.
    ///
    /// # Errors
    /// `out_of_range` (a window of 0 or above 10^7, a ratio ≤ 1, a threshold ≤ 0, λ outside (0, 1], a
    /// season below 2 or above 10^5, `seasons` outside 2..=16, `max_anoms` outside (0, 0.5], ...) and
    /// `not_finite`.
    pub fn validate(&self) -> Result<()> {
        let range = |field: &str, v: usize, lo: usize, hi: usize, allowed: &'static str| {
            if v < lo || v > hi {
                Err(Error::OutOfRange {
                    field: field.to_string(),
                    value: v as f64,
                    allowed,
                })
            } else {
                Ok(())
            }
        };
        let above = |field: &str, v: f64, lo: f64, allowed: &'static str| {
            check::finite(field, v)?;
            if v <= lo {
                Err(Error::OutOfRange {
                    field: field.to_string(),
                    value: v,
                    allowed,
                })
            } else {
                Ok(())
            }
        };
        match self {
            Method::Auto(p) => {
                if let Some(m) = p.season_length {
                    range("season_length", m, 2, MAX_SEASON, "[2, 100000]")?;
                }
                if let Some(b) = p.expected_false_alarms_per {
                    budget_range(b)?;
                }
            }
            Method::BaselineRatio(p) => {
                range("window", p.window, 1, MAX_WINDOW, "[1, 10000000]")?;
                above("ratio", p.ratio, 1.0, "(1, inf)")?;
                if let Some(mp) = p.min_periods {
                    range("min_periods", mp, 1, p.window, "[1, window]")?;
                }
            }
            Method::RobustZ(p) => {
                range("window", p.window, 3, MAX_WINDOW, "[3, 10000000]")?;
                above("threshold", p.threshold, 0.0, "(0, inf)")?;
                if let Some(mp) = p.min_periods {
                    range("min_periods", mp, 3, p.window, "[3, window]")?;
                }
            }
            Method::Ewma(p) => {
                check::finite("lambda", p.lambda)?;
                if !(p.lambda > 0.0 && p.lambda <= 1.0) {
                    return Err(Error::OutOfRange {
                        field: "lambda".into(),
                        value: p.lambda,
                        allowed: "(0, 1]",
                    });
                }
                above("limit", p.limit, 0.0, "(0, inf)")?;
                range("warmup", p.warmup, 2, MAX_WINDOW, "[2, 10000000]")?;
                if let Some(t) = p.target {
                    check::finite("target", t)?;
                }
                if let Some(s) = p.sigma {
                    above("sigma", s, 0.0, "(0, inf)")?;
                }
            }
            Method::Seasonal(p) => {
                range(
                    "season_length",
                    p.season_length,
                    2,
                    MAX_SEASON,
                    "[2, 100000]",
                )?;
                range("seasons", p.seasons, 2, 16, "[2, 16]")?;
                above("threshold", p.threshold, 0.0, "(0, inf)")?;
                if let Some(w) = p.window {
                    range("window", w, 8, MAX_WINDOW, "[8, 10000000]")?;
                }
            }
            Method::SeasonalEsd(p) => {
                if let Some(m) = p.season_length {
                    range("season_length", m, 2, MAX_SEASON, "[2, 100000]")?;
                }
                check::finite("max_anoms", p.max_anoms)?;
                if !(p.max_anoms > 0.0 && p.max_anoms <= 0.5) {
                    return Err(Error::OutOfRange {
                        field: "max_anoms".into(),
                        value: p.max_anoms,
                        allowed: "(0, 0.5]",
                    });
                }
                check::open_unit("alpha", p.alpha)?;
            }
            Method::Threshold(p) => {
                check::finite("threshold", p.threshold)?;
                range("duration", p.duration, 1, MAX_WINDOW, "[1, 10000000]")?;
            }
            Method::Calibrated(p) => {
                budget_range(p.expected_false_alarms_per)?;
                range("window", p.window, 8, 100_000, "[8, 100000]")?;
                if p.scales.is_empty() || p.scales.len() > 8 {
                    return Err(Error::OutOfRange {
                        field: "scales".into(),
                        value: p.scales.len() as f64,
                        allowed: "1 to 8 scales",
                    });
                }
                for (i, &k) in p.scales.iter().enumerate() {
                    range(&check::at("scales", i), k, 1, p.window, "[1, window]")?;
                }
                range("refractory", p.refractory, 0, MAX_WINDOW, "[0, 10000000]")?;
                range("warmup", p.warmup, 100, MAX_WINDOW, "[100, 10000000]")?;
                if let Some(m) = p.season_length {
                    range("season_length", m, 2, MAX_SEASON, "[2, 100000]")?;
                }
            }
        }
        Ok(())
    }
}

/// The result of [`detect`]: arrays aligned with the input points, and the alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// The detector that ran, with its resolved parameters (`auto` says what it chose).
    pub method: String,
    /// Season used, if any.
    pub season_length: Option<usize>,
    /// Anomalous points.
    pub flags: Vec<bool>,
    /// Each point's score (0 for missing points and during the warm-up).
    pub scores: Vec<f64>,
    /// Each point's expected value (NaN, `null` in JSON, where there is no baseline yet).
    #[serde(with = "nan_serde::vec")]
    pub expected: Vec<f64>,
    /// The anomalies, each one alert however long it lasts.
    pub alerts: Vec<Alert>,
    /// Periods without a value: NaN values plus gaps in the timestamps.
    pub missing: usize,
    /// The timestamps' step (their median difference), when timestamps were given and the grid is
    /// not a calendar one.
    pub step: Option<f64>,
    /// How the points were placed on the grid: sorted, combined, calendar steps.
    #[serde(default)]
    pub ingest: Ingest,
}

/// Runs a detector over a whole series.
///
/// `values` may hold NaN (missing). `timestamps`, when given, must be finite, in any unit; they are
/// placed on a grid as a monitoring export needs (see [`detect_with`]): sorted, repeated timestamps
/// combined by their mean, irregular sampling put on the grid of the median step with gaps as missing
/// periods, calendar months and quarters as steps. `cooldown`: quiet periods that close an alert
/// (flags closer than this join one alert).
///
/// # Errors
/// `empty_input`; `not_finite` for an infinite value or a NaN timestamp; `length_mismatch`;
/// `invalid_timestamps` (gaps that would make the grid more than 16 times longer than the series); the
/// parameter errors of [`Method::validate`].
pub fn detect(
    values: &[f64],
    timestamps: Option<&[f64]>,
    method: &Method,
    cooldown: usize,
) -> Result<Detection> {
    detect_with(values, timestamps, method, cooldown, Aggregate::Mean)
}

/// [`detect_with`] on every series of a panel (timestamps, when given, cut the same way), in parallel
/// (`threads`: that many, else every core or `RAYON_NUM_THREADS`); the detections in series order.
/// `auto` chooses its detector and season per series.
///
/// ```
/// use scaleplan::anomaly::{detect_many, Aggregate, Method};
/// use scaleplan::panel::Panel;
/// let mut values = vec![10.0; 200];
/// values[150] = 90.0; // in the second series
/// let p = Panel::new(&values, &[0, 100, 200])?;
/// let d = detect_many(&p, None, &Method::baseline_ratio(7, 1.5), 1, Aggregate::Mean, None)?;
/// assert_eq!((d[0].alerts.len(), d[1].alerts.len()), (0, 1));
/// assert_eq!(d[1].alerts[0].start_index, 50);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// `length_mismatch` when the timestamps are not as long as the values; else the first failing
/// series' error (by index), its field prefixed with `series[i]`.
pub fn detect_many(
    panel: &crate::panel::Panel<'_>,
    timestamps: Option<&[f64]>,
    method: &Method,
    cooldown: usize,
    aggregate: Aggregate,
    threads: Option<usize>,
) -> Result<Vec<Detection>> {
    let times = timestamps
        .map(|t| panel.same_cuts("timestamps", t))
        .transpose()?;
    panel.map(threads, |i| {
        let t = times.as_ref().map(|t| t.series(i));
        detect_with(panel.series(i), t, method, cooldown, aggregate)
    })
}

/// The signature [`detect_many`] and [`detect_many_alerts`] share (panel, timestamps, method, cooldown,
/// aggregate, threads), for a caller that runs either on the same inputs.
///
/// ```
/// use scaleplan::anomaly::{Alert, PanelDetect, detect_many_alerts};
/// let run: PanelDetect<Vec<Alert>> = detect_many_alerts;
/// # let _ = run;
/// ```
pub type PanelDetect<T> = fn(
    &crate::panel::Panel<'_>,
    Option<&[f64]>,
    &Method,
    usize,
    Aggregate,
    Option<usize>,
) -> Result<Vec<T>>;

/// The alerts of [`detect_many`], and only those: the per-point flags, scores and expected values
/// are not computed, so a point that surely is not flagged costs less (with `robust_z`, `auto`'s rule on
/// short series, no MAD is taken for it). The same alerts as `detect_many`'s, field for field.
///
/// ```
/// use scaleplan::anomaly::{detect_many, detect_many_alerts, Aggregate, Method};
/// use scaleplan::panel::Panel;
/// let mut values = vec![100.0; 1000];
/// values[700] = 400.0; // in the second series
/// let p = Panel::new(&values, &[0, 500, 1000])?;
/// let m = Method::Auto(Default::default());
/// let alerts = detect_many_alerts(&p, None, &m, 1, Aggregate::Mean, None)?;
/// let full = detect_many(&p, None, &m, 1, Aggregate::Mean, None)?;
/// assert_eq!(alerts, vec![full[0].alerts.clone(), full[1].alerts.clone()]);
/// assert_eq!((alerts[0].len(), alerts[1][0].start_index), (0, 200));
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// As [`detect_many`].
pub fn detect_many_alerts(
    panel: &crate::panel::Panel<'_>,
    timestamps: Option<&[f64]>,
    method: &Method,
    cooldown: usize,
    aggregate: Aggregate,
    threads: Option<usize>,
) -> Result<Vec<Vec<Alert>>> {
    let times = timestamps
        .map(|t| panel.same_cuts("timestamps", t))
        .transpose()?;
    panel.map(threads, |i| {
        let t = times.as_ref().map(|t| t.series(i));
        alerts_with(panel.series(i), t, method, cooldown, aggregate)
    })
}

/// [`detect_with`]'s alerts without its per-point arrays: the detector reports only the points the
/// alert tracker needs (flagged ones, and every one while an alert is open), as a stream's does.
fn alerts_with(
    values: &[f64],
    timestamps: Option<&[f64]>,
    method: &Method,
    cooldown: usize,
    aggregate: Aggregate,
) -> Result<Vec<Alert>> {
    check::non_empty("values", values)?;
    check::no_infinity("values", values, 0)?;
    method.validate()?;
    let grid = series::Grid::new(values, timestamps, aggregate)?;
    let resolved = resolve(method, &grid.slots, grid.step);
    if let Method::SeasonalEsd(_) = &resolved {
        // batch only: its verdicts come all at once
        return Ok(detect_with(values, timestamps, &resolved, cooldown, aggregate)?.alerts);
    }
    let mut state = stream::State::new(&resolved)?;
    let mut sink = GridSink::new(&grid, timestamps, &resolved, cooldown);
    stream::with_detector!(&mut state, d => stream::Detect::feed(d, &grid.slots, &mut sink));
    Ok(sink.finish())
}

/// The alert tracker of a batch detection: the verdicts of the periods it needs (flagged ones, and
/// every one while an alert is open), from [`detect_with`]'s arrays or from a detector's loop
/// ([`alerts_with`]). A gap period counts towards the cooldown; a point is reported with its input
/// index and time.
struct GridSink<'a> {
    tracker: alert::Tracker,
    explain: alert::Explainer<'a>,
    grid: &'a series::Grid<'a>,
    timestamps: Option<&'a [f64]>,
    alerts: Vec<Alert>,
    next: u64,
}

impl<'a> GridSink<'a> {
    fn new(
        grid: &'a series::Grid<'a>,
        timestamps: Option<&'a [f64]>,
        method: &'a Method,
        cooldown: usize,
    ) -> Self {
        GridSink {
            tracker: alert::Tracker::new(cooldown, method.name()),
            explain: alert::Explainer::new(method),
            grid,
            timestamps,
            alerts: Vec::new(),
            next: 0,
        }
    }

    /// The closed alerts, and the one still open at the end of the series.
    fn finish(mut self) -> Vec<Alert> {
        if let Some(a) = self.tracker.finish() {
            self.alerts.push(a);
        }
        self.alerts
    }
}

impl stream::Visit for GridSink<'_> {
    const EVERY: bool = false;

    #[inline(always)]
    fn index(&self) -> u64 {
        self.next
    }

    #[inline(always)]
    fn set_index(&mut self, index: u64) {
        self.next = index;
    }

    #[inline(always)]
    fn is_open(&self) -> bool {
        self.tracker.is_open()
    }

    /// Out of line and cold: kernels stay small.
    #[cold]
    #[inline(never)]
    fn put_at(&mut self, index: u64, x: f64, s: Step) {
        let slot = index as usize;
        match self.grid.point_at(slot) {
            None => {
                if let Some(a) = self.tracker.quiet() {
                    self.alerts.push(a);
                }
            }
            Some(i) => {
                let time = self.timestamps.map_or(i as f64, |t| t[i]);
                if let Some(ev) = self.tracker.observe(i as u64, time, x, s, &self.explain)
                    && ev.event == EventKind::Closed
                {
                    self.alerts.push(ev.alert);
                }
            }
        }
    }
}

/// [`detect`], saying how points that share a period are combined (`Aggregate::Sum` for counts and
/// costs). The result's arrays stay aligned with the input points, in input order: points combined
/// into one period share its verdict; [`Detection::ingest`] says what was sorted and combined.
///
/// # Example
/// ```
/// use scaleplan::anomaly::{detect_with, Aggregate, Method};
/// // an export with a clock step backwards and a repeated timestamp
/// let ts = [0.0, 60.0, 120.0, 60.0, 180.0, 240.0];
/// let xs = [1.0, 2.0, 3.0, 2.0, 4.0, 5.0];
/// let d = detect_with(&xs, Some(&ts), &Method::baseline_ratio(2, 1.5), 1, Aggregate::Sum)?;
/// assert_eq!((d.ingest.out_of_order, d.ingest.aggregated, d.ingest.periods), (1, 1, 5));
/// assert_eq!(d.flags.len(), 6);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// As [`detect`].
pub fn detect_with(
    values: &[f64],
    timestamps: Option<&[f64]>,
    method: &Method,
    cooldown: usize,
    aggregate: Aggregate,
) -> Result<Detection> {
    check::non_empty("values", values)?;
    check::no_infinity("values", values, 0)?;
    method.validate()?;
    let grid = series::Grid::new(values, timestamps, aggregate)?;
    let resolved = resolve(method, &grid.slots, grid.step);
    let len = grid.slots.len();
    let mut flags = vec![false; len];
    let mut scores = vec![0.0; len];
    // Every period is written below (zeroed pages cost no pass to fill).
    let mut expected = vec![0.0; len];
    let mut critical = vec![false; len];
    // the threshold, scale and escalation behind each verdict (for the explanations of `calibrated`)
    let mut crossed = vec![(0.0, 0u32, false); len];
    if let Method::SeasonalEsd(p) = &resolved {
        let m = p.season_length.unwrap_or(1);
        let out = seasonal::shesd(&grid.slots, m, p.max_anoms, p.alpha, p.direction);
        flags = out.flags;
        scores = out.scores;
        expected = out.expected;
        critical = out.critical;
    } else {
        let mut state = stream::State::new(&resolved)?;
        let mut out = Outputs {
            flags: &mut flags,
            scores: &mut scores,
            expected: &mut expected,
            critical: &mut critical,
            crossed: &mut crossed,
            next: 0,
        };
        stream::with_detector!(&mut state, d => stream::Detect::feed(d, &grid.slots, &mut out));
    }
    let mut sink = GridSink::new(&grid, timestamps, &resolved, cooldown);
    let mut slot = 0;
    while slot < len {
        if !sink.tracker.is_open() {
            // Nothing to track until the next flag.
            match flags[slot..].iter().position(|&f| f) {
                Some(k) => slot += k,
                None => break,
            }
        }
        let mut s = Step::new(flags[slot], critical[slot], scores[slot], expected[slot]);
        (s.threshold, s.scale, s.escalated) = crossed[slot];
        stream::Visit::put_at(&mut sink, slot as u64, grid.slots[slot], s);
        slot += 1;
    }
    let alerts = sink.finish();
    let season_length = match &resolved {
        Method::Seasonal(p) => Some(p.season_length),
        Method::Calibrated(p) => p.season_length,
        Method::SeasonalEsd(p) => p.season_length,
        _ => None,
    };
    let missing = grid.slots.iter().filter(|v| v.is_nan()).count();
    let (flags, scores, expected) = if grid.is_identity() {
        (flags, scores, expected)
    } else {
        let n = values.len();
        let at = |i: usize| grid.slot_of(i);
        (
            (0..n).map(|i| flags[at(i)]).collect(),
            (0..n).map(|i| scores[at(i)]).collect(),
            (0..n).map(|i| expected[at(i)]).collect(),
        )
    };
    Ok(Detection {
        method: describe(&resolved),
        season_length,
        flags,
        scores,
        expected,
        alerts,
        missing,
        step: grid.step,
        ingest: grid.ingest,
    })
}

/// The per-point outputs of [`detect`], filled by a detector's loop (period i is point i).
struct Outputs<'a> {
    flags: &'a mut [bool],
    scores: &'a mut [f64],
    expected: &'a mut [f64],
    critical: &'a mut [bool],
    crossed: &'a mut [(f64, u32, bool)],
    next: u64,
}

impl stream::Visit for Outputs<'_> {
    const EVERY: bool = true;

    #[inline(always)]
    fn index(&self) -> u64 {
        self.next
    }

    #[inline(always)]
    fn set_index(&mut self, index: u64) {
        self.next = index;
    }

    #[inline(always)]
    fn is_open(&self) -> bool {
        false
    }

    #[inline(always)]
    fn put_at(&mut self, index: u64, _x: f64, s: Step) {
        let i = index as usize;
        if i < self.flags.len()
            && i < self.scores.len()
            && i < self.expected.len()
            && i < self.critical.len()
            && i < self.crossed.len()
        {
            self.crossed[i] = (s.threshold, s.scale, s.escalated);
            self.flags[i] = s.flag;
            self.scores[i] = s.score();
            self.expected[i] = s.expected();
            self.critical[i] = s.critical;
        }
    }
}

/// An alert budget is finite and in [10, 1e12] periods per false alarm.
fn budget_range(b: f64) -> Result<()> {
    check::finite("expected_false_alarms_per", b)?;
    if !(10.0..=1e12).contains(&b) {
        return Err(Error::OutOfRange {
            field: "expected_false_alarms_per".into(),
            value: b,
            allowed: "[10, 1e12] periods per false alarm",
        });
    }
    Ok(())
}

/// `auto` made concrete for this series; other methods with their defaults filled in.
pub(crate) fn resolve(method: &Method, slots: &[f64], step: Option<f64>) -> Method {
    match method {
        Method::Auto(p) if slots.len() >= AUTO_CALIBRATED_MIN => {
            Method::Calibrated(CalibratedParams {
                direction: p.direction,
                season_length: p.season_length.or_else(|| season_from_data(slots, step)),
                expected_false_alarms_per: p.budget(),
                ..CalibratedParams::default()
            })
        }
        Method::Calibrated(p) if p.season_length.is_none() && !slots.is_empty() => {
            Method::Calibrated(CalibratedParams {
                season_length: season_from_data(slots, step),
                ..p.clone()
            })
        }
        Method::Auto(p) => {
            let m = p.season_length.or_else(|| season_from_data(slots, step));
            match m {
                Some(m) => Method::Seasonal(SeasonalParams {
                    season_length: m,
                    seasons: 4,
                    threshold: p.cutoff(seasonal_residual_window(m)),
                    window: None,
                    direction: p.direction,
                }),
                None => Method::RobustZ(RobustZParams {
                    window: AUTO_WINDOW,
                    threshold: p.cutoff(AUTO_WINDOW),
                    direction: p.direction,
                    min_periods: Some(AUTO_MIN_PERIODS),
                }),
            }
        }
        Method::SeasonalEsd(p) if p.season_length.is_none() => Method::SeasonalEsd(EsdParams {
            season_length: season_from_data(slots, step),
            ..p.clone()
        }),
        other => other.clone(),
    }
}

/// The daily cycle, in periods, for common steps (in seconds or milliseconds).
fn daily_from_step(step: f64) -> Option<usize> {
    let known = [(300.0, 288), (1800.0, 48), (3600.0, 24), (86_400.0, 1)];
    known.iter().find_map(|&(secs, m)| {
        let close = |s: f64| (step - s).abs() <= 0.01 * s;
        (close(secs) || close(secs * 1000.0)).then_some(m)
    })
}

/// Candidate seasons: the day and the week when the step is a known one, else common cycles.
fn season_candidates(step: Option<f64>) -> Vec<usize> {
    match step.and_then(daily_from_step) {
        Some(d) => [d, 7 * d].into_iter().filter(|&m| m >= 2).collect(),
        None => vec![7, 12, 24, 48, 52, 96, 168, 288],
    }
}

/// Autocorrelation a season must show (lag m, after removing a centred moving average of m).
const SEASON_MIN_ACF: f64 = 0.4;
/// A longer season that contains a shorter one (a week of days) is kept only when its per-phase profile
/// leaves residuals this much smaller (by their median absolute value) than the shorter one's.
const LONGER_SEASON_GAIN: f64 = 0.75;

/// The season of the series, if it shows one: among the candidates the series holds four cycles of, those
/// with a lag-m autocorrelation over 0.4 of the detrended series; of the strongest one's family (the
/// strong seasons it divides or that divide it: the day and the week) the shortest is preferred unless a
/// longer profile explains clearly more (a week pattern on top of the day's). Missing values are
/// interpolated for the test.
fn season_from_data(x: &[f64], step: Option<f64>) -> Option<usize> {
    let filled = seasonal::interpolate(x);
    if filled.first().is_none_or(|v| v.is_nan()) {
        // all missing: nothing to test
        return None;
    }
    // One pass of running sums and one buffer for every candidate's detrended series (interpolated, the
    // series has no gap: the detrended values are those where the moving average fits), times m.
    let prefix = seasonal::prefix_sums(&filled);
    let mut d = Vec::with_capacity(filled.len());
    let strong: Vec<(usize, f64)> = season_candidates(step)
        .into_iter()
        .filter(|&m| x.len() >= 4 * m)
        .map(|m| {
            seasonal::scaled_detrended_into(&filled, &prefix, m, &mut d);
            (m, autocorrelation(&d, m))
        })
        .filter(|&(_, r)| r > SEASON_MIN_ACF)
        .collect();
    let &(best, _) = strong
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
    // The strongest season's family: the strong seasons it divides or that divide it, shortest first.
    // From the shortest, a longer one (a multiple of the current choice) is taken only when its profile
    // explains clearly more. The day's autocorrelation is often the higher even when the week adds a
    // pattern (a weekend dip), so the week is weighed whichever of the two is the stronger.
    let mut family: Vec<usize> = strong
        .iter()
        .map(|&(m, _)| m)
        .filter(|&m| m % best == 0 || best % m == 0)
        .collect();
    family.sort_unstable();
    let mut choice = *family.first()?;
    for &m in &family[1..] {
        if m % choice == 0 {
            let d = detrended(&filled, m);
            if profile_spread(&d, m) < LONGER_SEASON_GAIN * profile_spread(&d, choice) {
                choice = m;
            }
        }
    }
    Some(choice)
}

/// The series minus its centred moving average of m (NaN at the ends).
fn detrended(x: &[f64], m: usize) -> Vec<f64> {
    let trend = seasonal::centred_ma(x, m);
    x.iter().zip(&trend).map(|(v, t)| v - t).collect()
}

/// How far values fall from the profile of period m: the median of `|v - median of the other values at
/// v's phase|`. Leaving the value out makes the comparison fair between a short season with many values a
/// phase and a long one with few: the in-sample median of five values sits on one of them and would
/// flatter the longer profile.
fn profile_spread(d: &[f64], m: usize) -> f64 {
    let mut phases: Vec<Vec<f64>> = vec![Vec::new(); m];
    for (i, v) in d.iter().enumerate() {
        if !v.is_nan() {
            phases[i % m].push(*v);
        }
    }
    let mut resid = Vec::with_capacity(d.len());
    for p in &mut phases {
        p.sort_unstable_by(f64::total_cmp);
        for i in 0..p.len() {
            if let Some(others) = median_without(p, i) {
                resid.push((p[i] - others).abs());
            }
        }
    }
    resid.sort_unstable_by(f64::total_cmp);
    median_sorted(&resid)
}

/// The median of a sorted slice without its element `i` (none when nothing is left).
fn median_without(sorted: &[f64], i: usize) -> Option<f64> {
    let n = sorted.len().checked_sub(1).filter(|&n| n > 0)?;
    let at = |j: usize| if j < i { sorted[j] } else { sorted[j + 1] };
    Some(if n % 2 == 1 {
        at(n / 2)
    } else {
        0.5 * (at(n / 2 - 1) + at(n / 2))
    })
}

/// Lag-k autocorrelation of a series with no gap (0 when it has fewer than `2 k` values or no spread).
/// The sums run in four interleaved lanes, added in a fixed order (the same value on every machine,
/// without one long chain of dependent additions), and the variance and the lagged covariance share
/// one pass.
fn autocorrelation(d: &[f64], k: usize) -> f64 {
    let n = d.len();
    if n < 2 * k || n == 0 {
        return 0.0;
    }
    let mut acc = [0.0f64; 4];
    let chunks = d.chunks_exact(4);
    for (j, v) in chunks.remainder().iter().enumerate() {
        acc[j] += v;
    }
    for c in chunks {
        for j in 0..4 {
            acc[j] += c[j];
        }
    }
    let mean = ((acc[0] + acc[1]) + (acc[2] + acc[3])) / n as f64;
    let (mut var, mut cov) = ([0.0f64; 4], [0.0f64; 4]);
    let head = d[..n - k].chunks_exact(4);
    let lagged = d[k..].chunks_exact(4);
    let rest = n - k - head.remainder().len();
    for (a, b) in head.zip(lagged) {
        for j in 0..4 {
            let (e, f) = (a[j] - mean, b[j] - mean);
            var[j] += e * e;
            cov[j] += e * f;
        }
    }
    for (j, i) in (rest..n - k).enumerate() {
        let (e, f) = (d[i] - mean, d[i + k] - mean);
        var[j] += e * e;
        cov[j] += e * f;
    }
    // the last k values have no lagged partner: the variance only
    for (j, v) in d[n - k..].iter().enumerate() {
        var[j % 4] += (v - mean) * (v - mean);
    }
    let var = (var[0] + var[1]) + (var[2] + var[3]);
    if var.is_nan() || var <= 0.0 {
        return 0.0;
    }
    let r = ((cov[0] + cov[1]) + (cov[2] + cov[3])) / var;
    if r.is_nan() { 0.0 } else { r }
}

fn describe(m: &Method) -> String {
    match m {
        Method::Auto(_) => "auto".into(),
        Method::BaselineRatio(p) => format!(
            "baseline_ratio(window={}, statistic={}, ratio={})",
            p.window,
            match p.statistic {
                Statistic::Mean => "mean",
                Statistic::Median => "median",
            },
            p.ratio
        ),
        Method::RobustZ(p) => format!("robust_z(window={}, threshold={})", p.window, p.threshold),
        Method::Ewma(p) => format!("ewma(lambda={}, limit={})", p.lambda, p.limit),
        Method::Seasonal(p) => format!(
            "seasonal(season_length={}, seasons={}, threshold={})",
            p.season_length, p.seasons, p.threshold
        ),
        Method::SeasonalEsd(p) => match p.season_length {
            Some(m) => format!(
                "seasonal_esd(season_length={m}, max_anoms={}, alpha={})",
                p.max_anoms, p.alpha
            ),
            None => format!(
                "seasonal_esd(no season, max_anoms={}, alpha={})",
                p.max_anoms, p.alpha
            ),
        },
        Method::Threshold(p) => format!(
            "threshold(threshold={}, duration={})",
            p.threshold, p.duration
        ),
        Method::Calibrated(p) => format!(
            "calibrated(expected_false_alarms_per={}, window={}, scales={:?}, refractory={}, season_length={})",
            p.expected_false_alarms_per,
            p.window,
            p.scales,
            p.refractory,
            p.season_length
                .map_or_else(|| "none".to_string(), |m| m.to_string())
        ),
    }
}
