//! An arm's summary from its rows: per-unit values (one row per user) or aggregated rows (one per day
//! or segment, with counts), so an experiment can be built from the table a warehouse query returns.

use crate::check;
use crate::error::Result;

use super::arm::{MeanSummary, Proportion, RatioSummary};

/// Visitors and conversions summed over rows. Per-unit rows: `visitors` is `None` (each row one
/// visitor) and `conversions` the 0/1 outcome; aggregated rows: both are counts per row.
///
/// ```
/// use scaleplan::significance::proportion_from_rows;
/// let p = proportion_from_rows(Some(&[1000.0, 1200.0]), &[90.0, 130.0])?; // two days
/// assert_eq!((p.visitors(), p.conversions()), (2200, 220));
/// let q = proportion_from_rows(None, &[1.0, 0.0, 0.0, 1.0])?;           // four users
/// assert_eq!((q.visitors(), q.conversions()), (4, 2));
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// `not_finite`, `negative` or `not_integer` for a bad row (named `conversions[i]`), `empty_input`,
/// `length_mismatch`, and the errors of [`Proportion::new`] (`conversions_exceed_visitors`).
pub fn proportion_from_rows(visitors: Option<&[f64]>, conversions: &[f64]) -> Result<Proportion> {
    check::non_empty("conversions", conversions)?;
    let conv = count_sum("conversions", conversions)?;
    let vis = match visitors {
        Some(v) => {
            check::same_len(&[("conversions", conversions.len()), ("visitors", v.len())])?;
            count_sum("visitors", v)?
        }
        None => conversions.len() as u64,
    };
    Proportion::new(vis, conv)
}

/// The mean and sample variance (ddof = 1, Welford's update) of per-unit values.
///
/// ```
/// use scaleplan::significance::mean_from_units;
/// let m = mean_from_units(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])?;
/// assert_eq!((m.n(), m.mean()), (8, 5.0));
/// assert!((m.variance() - 32.0 / 7.0).abs() < 1e-12);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// `not_finite` for a NaN or infinite value (named `values[i]`), `too_few_observations` below 2.
pub fn mean_from_units(values: &[f64]) -> Result<MeanSummary> {
    let (mut n, mut mean, mut m2) = (0u64, 0.0f64, 0.0f64);
    for (i, &x) in values.iter().enumerate() {
        check::finite(&check::at("values", i), x)?;
        n += 1;
        let d = x - mean;
        mean += d / n as f64;
        m2 += d * (x - mean);
    }
    let variance = if n > 1 { m2 / (n - 1) as f64 } else { 0.0 };
    MeanSummary::new(n, mean, variance.max(0.0))
}

/// The sums a ratio metric needs from per-unit numerators `x` and denominators `y` (revenue and
/// sessions per user): n, Σx, Σy, Σx², Σy², Σxy.
///
/// ```
/// use scaleplan::significance::ratio_from_units;
/// let r = ratio_from_units(&[10.0, 0.0, 30.0], &[2.0, 1.0, 3.0])?;
/// assert_eq!(r.n(), 3);
/// assert!((r.ratio() - 40.0 / 6.0).abs() < 1e-12);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # Errors
/// `not_finite` (named `numerator[i]` / `denominator[i]`), `empty_input`, `length_mismatch`, and the
/// errors of [`RatioSummary::new`].
pub fn ratio_from_units(x: &[f64], y: &[f64]) -> Result<RatioSummary> {
    check::same_len(&[("numerator", x.len()), ("denominator", y.len())])?;
    let (mut sx, mut sy, mut sx2, mut sy2, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, (&a, &b)) in x.iter().zip(y).enumerate() {
        check::finite(&check::at("numerator", i), a)?;
        check::finite(&check::at("denominator", i), b)?;
        sx += a;
        sy += b;
        sx2 += a * a;
        sy2 += b * b;
        sxy += a * b;
    }
    RatioSummary::new(x.len() as u64, sx, sy, sx2, sy2, sxy)
}

/// The sum of counts, each a finite non-negative whole number.
fn count_sum(field: &str, v: &[f64]) -> Result<u64> {
    let mut s = 0u64;
    for (i, &x) in v.iter().enumerate() {
        s = s.saturating_add(check::count(&check::at(field, i), x)?);
    }
    Ok(s)
}
