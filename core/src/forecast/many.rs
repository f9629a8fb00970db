//! Many series at once: [`forecast`], [`backtest`] and [`exhaustion`] over a [`Panel`], one series per
//! task on rayon's pool.

use super::{Backtest, Exhaustion, Forecast, ForecastOptions, backtest, exhaustion, forecast};
use crate::error::Result;
use crate::panel::Panel;

/// [`forecast`] of every series of the panel with the same options, in parallel (`threads`: that many,
/// else every core or `RAYON_NUM_THREADS`); the forecasts in series order.
///
/// ```
/// use scaleplan::forecast::{forecast_many, ForecastOptions};
/// use scaleplan::panel::Panel;
/// let values: Vec<f64> = (0..48).map(|i| 100.0 + i as f64).chain((0..36).map(|i| 50.0 - 0.5 * i as f64)).collect();
/// let p = Panel::new(&values, &[0, 48, 84])?;
/// let f = forecast_many(&p, &ForecastOptions { horizon: 6, ..ForecastOptions::default() }, None)?;
/// assert_eq!(f.len(), 2);
/// assert!(f[0].mean[0] > 140.0 && f[1].mean[0] < 35.0);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// The first failing series' error (by index), its field prefixed with `series[i]`.
pub fn forecast_many(
    panel: &Panel<'_>,
    options: &ForecastOptions,
    threads: Option<usize>,
) -> Result<Vec<Forecast>> {
    panel.map(threads, |i| forecast(panel.series(i), options))
}

/// [`backtest`] of every series of the panel, in parallel; the backtests in series order.
///
/// # Errors
/// As [`forecast_many`].
pub fn backtest_many(
    panel: &Panel<'_>,
    options: &ForecastOptions,
    windows: usize,
    step: Option<usize>,
    threads: Option<usize>,
) -> Result<Vec<Backtest>> {
    panel.map(threads, |i| {
        backtest(panel.series(i), options, windows, step)
    })
}

/// [`exhaustion`] of every series of the panel against the same capacity, in parallel.
///
/// # Errors
/// As [`forecast_many`].
pub fn exhaustion_many(
    panel: &Panel<'_>,
    capacity: f64,
    horizon: usize,
    season_length: Option<usize>,
    threads: Option<usize>,
) -> Result<Vec<Exhaustion>> {
    panel.map(threads, |i| {
        exhaustion(panel.series(i), capacity, horizon, season_length)
    })
}
