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
    // NaN in, NaN out at once (the callers turn it into a typed error); never iterate on NaN.
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    if df > 1e5 {
        return t_sf_by_quadrature(t, df);
    }
    let (x, y) = (df / (df + t * t), t * t / (df + t * t));
    // P(|T| > |t|) = I_x(df/2, 1/2) with 1 - x = t²/(df + t²) passed exactly.
    let (tail, _) = beta::beta_reg_pair_xy(df / 2.0, 0.5, x, y);
    if t >= 0.0 {
        0.5 * tail
    } else {
        1.0 - 0.5 * tail
    }
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

/// Student t quantile for `p` in (0, 1): bracket the upper-tail root, then safeguarded Newton steps
/// (bisection whenever a step would leave the bracket).
pub(crate) fn t_ppf(p: f64, df: f64) -> f64 {
    let p_in_open_unit = p > 0.0 && p < 1.0;
    if !p_in_open_unit || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    // Solve sf(x) = q for x > 0 with q = min(p, 1 - p), then mirror.
    let q = if p > 0.5 { 1.0 - p } else { p };
    let ln_c = ln_t_norm(df);
    let pdf = |x: f64| (ln_c - 0.5 * (df + 1.0) * (x * x / df).ln_1p()).exp();
    let (mut lo, mut hi) = (0.0, (-norm_ppf(q)).max(1.0));
    while t_sf(hi, df) > q && hi < 1e300 {
        lo = hi;
        hi *= 4.0;
    }
    let mut x = 0.5 * (lo + hi);
    for _ in 0..400 {
        let f = t_sf(x, df) - q;
        if f > 0.0 {
            lo = x
        } else {
            hi = x
        }
        let d = pdf(x);
        let newton = x + f / d;
        let next = if d > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= 4.0 * f64::EPSILON * hi {
            x = next;
            break;
        }
        x = next;
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
    // statrs' gamma_ur panics outside its domain: answer the edges here.
    if x.is_nan() || k.is_nan() || k <= 0.0 || k.is_infinite() {
        f64::NAN
    } else if x <= 0.0 {
        1.0
    } else if x == f64::INFINITY {
        0.0
    } else {
        gamma_ur(k / 2.0, x / 2.0)
    }
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
