//! Rolling-origin backtest: how accurate would the forecast have been on this series? The history is cut
//! at a few origins near its end; from each, the forecast is made on the values before it and compared
//! with the values that followed, and so is the seasonal-naive benchmark. Windows are placed as
//! statsforecast's `cross_validation(h, n_windows, step_size)` places them, and the errors are the M3/M4
//! competitions' (sMAPE, MASE) and the share of actual values inside the interval.

use serde::{Deserialize, Serialize};

use super::{Forecast, ForecastOptions, forecast, seasonal_naive};
use crate::check;
use crate::error::{Error, Result};

/// The errors of a forecast against what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    /// Symmetric MAPE in percent, `200 mean(|y - f| / (|y| + |f|))` (a term with `y = f = 0` counts 0).
    pub smape: f64,
    /// Mean absolute scaled error: the mean absolute error over the in-sample mean absolute error of the
    /// seasonal-naive forecast (lag: the season, else 1) on the values before the origin. None when that
    /// scale is 0 (a history that repeats itself exactly).
    pub mase: Option<f64>,
    /// Share of actual values inside the prediction interval.
    pub coverage: f64,
}

/// One origin of a backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestWindow {
    /// Values before the origin (the forecast is made on `values[..cutoff]`).
    pub cutoff: usize,
    /// The values that followed, `values[cutoff..cutoff + horizon]`.
    pub actual: Vec<f64>,
    /// The model the forecast chose from this origin.
    pub model: String,
    /// Point forecasts.
    pub mean: Vec<f64>,
    /// Lower bounds.
    pub lower: Vec<f64>,
    /// Upper bounds.
    pub upper: Vec<f64>,
    /// The forecast's errors.
    pub accuracy: Accuracy,
    /// The seasonal-naive benchmark's errors from the same origin.
    pub benchmark: Accuracy,
}

/// A rolling-origin backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// Periods ahead in each window.
    pub horizon: usize,
    /// Periods between origins.
    pub step: usize,
    /// The windows, oldest origin first.
    pub windows: Vec<BacktestWindow>,
    /// The forecast's errors over all windows: mean sMAPE and MASE of the windows, coverage over all
    /// points (MASE: none if any window has none).
    pub accuracy: Accuracy,
    /// The seasonal-naive benchmark's, the same way.
    pub benchmark: Accuracy,
    /// In words: the errors, and whether the forecast beat the benchmark.
    pub summary: String,
}

/// Backtests the forecast `options` describe on `values`: `windows` origins (at least 1), `step` periods
/// apart (default: the horizon, so the windows do not overlap), the last one `horizon` periods before the
/// end.
///
/// # Errors
/// As [`forecast`] (for the whole series and for each origin); `out_of_range` for 0 windows or a step of
/// 0; `too_few_observations` when the first origin would leave fewer than 2 values to fit on.
///
/// # Example
/// ```
/// use scaleplan::forecast::{backtest, ForecastOptions, ModelChoice};
/// let y: Vec<f64> = (0..60).map(|t| 100.0 + 2.0 * t as f64 + [0.0, 5.0, -5.0][t % 3]).collect();
/// let options = ForecastOptions { horizon: 6, season_length: Some(3), model: ModelChoice::SeasonalNaive, ..Default::default() };
/// let b = backtest(&y, &options, 3, None)?;
/// assert_eq!(b.windows.iter().map(|w| w.cutoff).collect::<Vec<_>>(), [42, 48, 54]);
/// // The trend is +2 a period: the naive value one season back is 6 short one season ahead, 12 two.
/// assert_eq!(b.windows[2].mean[0], y[53 - 2]);
/// assert!((b.accuracy.mase.unwrap() - 1.5).abs() < 1e-12);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn backtest(
    values: &[f64],
    options: &ForecastOptions,
    windows: usize,
    step: Option<usize>,
) -> Result<Backtest> {
    super::validate(values, options)?;
    let h = options.horizon;
    let step = step.unwrap_or(h);
    for (field, v) in [("windows", windows), ("step", step)] {
        if v == 0 {
            return Err(Error::OutOfRange {
                field: field.into(),
                value: 0.0,
                allowed: "[1, ∞)",
            });
        }
    }
    // The first origin leaves n - h - (windows - 1) step values to fit on.
    let span = (windows - 1)
        .checked_mul(step)
        .and_then(|s| s.checked_add(h))
        .and_then(|s| s.checked_add(2))
        .unwrap_or(usize::MAX);
    check::at_least("values", values.len() as u64, span as u64)?;
    let m = options.season_length.unwrap_or(1);
    let first = values.len() - h - (windows - 1) * step;
    let mut out = Vec::with_capacity(windows);
    for i in 0..windows {
        let cutoff = first + i * step;
        let (train, actual) = (&values[..cutoff], &values[cutoff..cutoff + h]);
        let f = forecast(train, options)?;
        // The benchmark repeats the last season when the history holds one, else the last value.
        let lag = if train.len() > m { m } else { 1 };
        let naive = seasonal_naive(train, h, (lag >= 2).then_some(lag), options.level)?;
        out.push(BacktestWindow {
            cutoff,
            actual: actual.to_vec(),
            accuracy: accuracy(train, actual, &f, m),
            benchmark: accuracy(train, actual, &naive, m),
            model: f.model,
            mean: f.mean,
            lower: f.lower,
            upper: f.upper,
        });
    }
    let (accuracy, benchmark) = (
        overall(out.iter().map(|w| &w.accuracy)),
        overall(out.iter().map(|w| &w.benchmark)),
    );
    let summary = summary(windows, h, &accuracy, &benchmark);
    Ok(Backtest {
        horizon: h,
        step,
        windows: out,
        accuracy,
        benchmark,
        summary,
    })
}

/// sMAPE, MASE and coverage of one forecast from the values before its origin.
fn accuracy(train: &[f64], actual: &[f64], f: &Forecast, m: usize) -> Accuracy {
    let h = actual.len() as f64;
    let smape = 200.0
        * actual
            .iter()
            .zip(&f.mean)
            .map(|(y, p)| {
                let d = y.abs() + p.abs();
                if d == 0.0 { 0.0 } else { (y - p).abs() / d }
            })
            .sum::<f64>()
        / h;
    let lag = if train.len() > m { m } else { 1 };
    let scale = train
        .windows(lag + 1)
        .map(|w| (w[lag] - w[0]).abs())
        .sum::<f64>()
        / (train.len() - lag) as f64;
    let mae = actual
        .iter()
        .zip(&f.mean)
        .map(|(y, p)| (y - p).abs())
        .sum::<f64>()
        / h;
    let inside = actual
        .iter()
        .zip(f.lower.iter().zip(&f.upper))
        .filter(|(y, (lo, hi))| *lo <= *y && *y <= *hi)
        .count();
    Accuracy {
        smape,
        mase: (scale > 0.0 && scale.is_finite()).then(|| mae / scale),
        coverage: inside as f64 / h,
    }
}

/// Means over the windows (equal horizons, so the mean coverage is the coverage over all points).
fn overall<'a>(windows: impl ExactSizeIterator<Item = &'a Accuracy> + Clone) -> Accuracy {
    let n = windows.len() as f64;
    Accuracy {
        smape: windows.clone().map(|a| a.smape).sum::<f64>() / n,
        mase: windows
            .clone()
            .map(|a| a.mase)
            .sum::<Option<f64>>()
            .map(|s| s / n),
        coverage: windows.map(|a| a.coverage).sum::<f64>() / n,
    }
}

fn summary(windows: usize, h: usize, a: &Accuracy, b: &Accuracy) -> String {
    let verdict = match (a.mase, b.mase) {
        (Some(x), Some(y)) if x < y => {
            format!("beats the seasonal-naive benchmark (MASE {x:.3} against {y:.3})")
        }
        (Some(x), Some(y)) => format!(
            "does not beat the seasonal-naive benchmark (MASE {x:.3} against {y:.3}): prefer the benchmark"
        ),
        _ if a.smape < b.smape => format!(
            "beats the seasonal-naive benchmark on sMAPE ({:.2} against {:.2}; MASE undefined: the history repeats itself)",
            a.smape, b.smape
        ),
        _ => format!(
            "does not beat the seasonal-naive benchmark on sMAPE ({:.2} against {:.2}; MASE undefined: the history repeats itself)",
            a.smape, b.smape
        ),
    };
    format!(
        "over {windows} origin(s), {h} period(s) ahead: sMAPE {:.2}, interval coverage {:.0} %; the forecast {verdict}",
        a.smape,
        100.0 * a.coverage
    )
}
