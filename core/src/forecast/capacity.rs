//! Capacity exhaustion: when the forecast, and its upper band, first reach a capacity.

use serde::{Deserialize, Serialize};

use super::{Forecast, ForecastOptions, forecast};
use crate::check;
use crate::error::Result;

/// When a capacity runs out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exhaustion {
    /// The capacity.
    pub capacity: f64,
    /// First period ahead (1-based) where the point forecast reaches the capacity; none within the horizon.
    pub period: Option<usize>,
    /// First period where the upper band reaches it: the earliest plausible date.
    pub upper_period: Option<usize>,
    /// The last observed value is already at or above the capacity.
    pub already_exceeded: bool,
    /// The forecast behind the answer.
    pub forecast: Forecast,
    /// In words.
    pub reason: String,
}

/// When will `values` reach `capacity`, within `horizon` periods? "Never within the horizon" is `None`.
///
/// # Errors
/// As [`forecast`]; `not_finite` for the capacity.
///
/// # Example
/// ```
/// use scaleplan::forecast::exhaustion;
/// let usage: Vec<f64> = (0..24).map(|t| 50.0 + 2.0 * t as f64).collect(); // +2 a period, now at 96
/// let e = exhaustion(&usage, 120.0, 36, None)?;
/// assert_eq!(e.period, Some(12));
/// assert!(e.upper_period.unwrap() <= 12);
/// assert_eq!(exhaustion(&usage, 1e6, 36, None)?.period, None);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn exhaustion(
    values: &[f64],
    capacity: f64,
    horizon: usize,
    season_length: Option<usize>,
) -> Result<Exhaustion> {
    check::finite("capacity", capacity)?;
    let f = forecast(
        values,
        &ForecastOptions {
            horizon,
            season_length,
            ..ForecastOptions::default()
        },
    )?;
    let first = |xs: &[f64]| xs.iter().position(|v| *v >= capacity).map(|i| i + 1);
    let period = first(&f.mean);
    let upper_period = first(&f.upper);
    let already_exceeded = values.last().is_some_and(|v| *v >= capacity);
    let reason = match (already_exceeded, period, upper_period) {
        (true, _, _) => format!("already at or above the capacity {capacity} ({})", f.model),
        (_, Some(p), Some(u)) => format!(
            "{} reaches {capacity} in {p} periods ({}% upper band: in {u})",
            f.model, f.level
        ),
        (_, None, Some(u)) => format!(
            "{} stays below {capacity} for {horizon} periods, but its {}% upper band reaches it in {u}",
            f.model, f.level
        ),
        _ => format!(
            "{} and its {}% upper band stay below {capacity} for the {horizon} periods forecast",
            f.model, f.level
        ),
    };
    Ok(Exhaustion {
        capacity,
        period,
        upper_period,
        already_exceeded,
        forecast: f,
        reason,
    })
}
