//! Probability distributions used by the tests: the only module that imports `statrs`.
//!
//! Normal and chi-square functions wrap `statrs`; the regularised incomplete beta function (behind the
//! Student t and Beta distributions) is our own (see [`beta`]) because statrs' continued fraction stops
//! after 140 terms, which is not enough for the parameters of an experiment with 10^9 visitors.

pub(crate) mod beta;
pub(crate) mod quadrature;

use std::f64::consts::SQRT_2;

use statrs::function::erf::erfc_inv;

use libm::erfc;
use statrs::function::gamma::gamma_ur;

/// Standard normal CDF, accurate in the lower tail.
pub(crate) fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / SQRT_2)
}

/// Standard normal survival function, accurate in the upper tail.
pub(crate) fn norm_sf(x: f64) -> f64 {
    0.5 * erfc(x / SQRT_2)
}

/// Standard normal quantile for `p` in (0, 1).
pub(crate) fn norm_ppf(p: f64) -> f64 {
    -SQRT_2 * erfc_inv(2.0 * p)
}

/// Standard normal density.
pub(crate) fn norm_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Student t survival function `P(T > t)` with `df > 0` degrees of freedom.
pub(crate) fn t_sf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    if df > 1e5 {
        return t_sf_by_quadrature(t, df);
    }
    let (x, y) = (df / (df + t * t), t * t / (df + t * t));
    // P(|T| > |t|) = I_x(df/2, 1/2) with 1 - x = t²/(df + t²) passed exactly.
    let (tail, _) = beta::beta_reg_pair_xy(df / 2.0, 0.5, x, y);
    if t >= 0.0 { 0.5 * tail } else { 1.0 - 0.5 * tail }
}

/// For very large `df` the continued fraction of `I_x(df/2, 1/2)` at `x` near 1 loses about
/// `log10(df)` digits to cancellation, so integrate the density (computed in log space) instead.
fn t_sf_by_quadrature(t: f64, df: f64) -> f64 {
    let ln_c = ln_t_norm(df);
    let pdf = |x: f64| (ln_c - 0.5 * (df + 1.0) * (x * x / df).ln_1p()).exp();
    let a = t.abs();
    // Beyond |t| + 60 the density is below e^-1800 for df > 1e5: nothing left to integrate.
    let upper = quadrature::integrate(pdf, a, a + 60.0, 12, 1e-300, 1e-14).unwrap_or(f64::NAN);
    if t >= 0.0 { upper } else { 1.0 - upper }
}

/// Student t quantile for `p` in (0, 1), by Newton steps on [`t_sf`] from the normal quantile.
pub(crate) fn t_ppf(p: f64, df: f64) -> f64 {
    if p == 0.5 {
        return 0.0;
    }
    // Solve for the upper tail q = min(p, 1-p) on the positive side, then mirror.
    let q = if p > 0.5 { 1.0 - p } else { p };
    let mut x = -norm_ppf(q).max(-1e300);
    if df < 4.0 {
        // Heavier tails: start from the exact quantile of t with 1 or 2 df, which bound the others.
        x = x.max((std::f64::consts::PI * (0.5 - q)).tan());
    }
    let ln_c = ln_t_norm(df);
    for _ in 0..200 {
        let f = t_sf(x, df) - q;
        let pdf = (ln_c - 0.5 * (df + 1.0) * (x * x / df).ln_1p()).exp();
        if pdf <= 0.0 || !pdf.is_finite() {
            break;
        }
        let mut step = f / pdf;
        // Damp steps that would cross zero.
        if x + step <= 0.0 {
            step = x / 2.0;
        }
        x += step;
        if step.abs() <= 1e-15 * x.abs() {
            break;
        }
    }
    if p > 0.5 { x } else { -x }
}

/// `ln` of the Student t density's normalising constant.
fn ln_t_norm(df: f64) -> f64 {
    // ln Γ((df+1)/2) - ln Γ(df/2) - ln(sqrt(df π)), without cancellation for large df.
    beta::ln_gamma_ratio(df / 2.0, 0.5) - 0.5 * (df * std::f64::consts::PI).ln()
}

/// Chi-square survival function with `k` degrees of freedom.
pub(crate) fn chi2_sf(x: f64, k: f64) -> f64 {
    if x <= 0.0 { 1.0 } else { gamma_ur(k / 2.0, x / 2.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_values() {
        // scipy.stats.norm.sf(1.959963984540054) = 0.025
        assert!((norm_sf(1.959963984540054) / 0.025 - 1.0).abs() < 1e-15);
        assert!((norm_ppf(0.975) - 1.959963984540054).abs() < 1e-14);
        // scipy.stats.norm.sf(10) = 7.61985302416047e-24
        // (mpmath: 7.619853024160526e-24; scipy itself is 7e-15 off, so compare at 1e-13)
        assert!((norm_sf(10.0) / 7.61985302416047e-24 - 1.0).abs() < 1e-13);
    }

    #[test]
    fn t_values() {
        // scipy.stats.t.sf(2.0, 5) = 0.050969739414929174
        assert!((t_sf(2.0, 5.0) / 0.050969739414929174 - 1.0).abs() < 1e-13);
        // scipy.stats.t.ppf(0.975, 10) = 2.228138851986274
        assert!((t_ppf(0.975, 10.0) / 2.228138851986274 - 1.0).abs() < 1e-13);
        // scipy.stats.t.ppf(0.975, 1) = 12.706204736174694
        assert!((t_ppf(0.975, 1.0) / 12.706204736174694 - 1.0).abs() < 1e-12);
        // scipy.stats.t.sf(3.0, 2e9) = 0.0013498980482495252
        assert!((t_sf(3.0, 2e9) / 0.0013498980482495252 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn chi2_values() {
        // scipy.stats.chi2.sf(3.84, 1) = 0.05004352124870519
        assert!((chi2_sf(3.84, 1.0) / 0.05004352124870519 - 1.0).abs() < 1e-12);
    }
}
