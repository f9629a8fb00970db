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

/// From this many degrees of freedom on, [`t_sf`] uses Hill's normalising expansion instead of the
/// incomplete beta: measured against scipy (Boost) its relative error is below 7e-13 over |t| ≤ 40 for
/// every df from 20,000 to 10^9 (and below 1.3e-12 at 10,000), while the continued fraction of
/// `I_x(df/2, 1/2)` needs about `sqrt(df)` terms there. `testdata/significance/student_t.json` checks both
/// sides of the switch.
const T_HILL_DF: f64 = 20_000.0;

/// Student t survival function `P(T > t)` with `df > 0` degrees of freedom.
///
/// Below [`T_HILL_DF`] degrees of freedom: `I_x(df/2, 1/2) / 2` with `x = df / (df + t²)`; above, Hill's
/// expansion (G. W. Hill, "Algorithm 395: Student's t-distribution", CACM 13(10), 1970): with
/// `a = df - 1/2`, `y = a ln(1 + t²/df)`, `z = sqrt(y) (1 + (y + 3 + (((−0.4y − 3.3)y − 24)y − 85.5) /
/// (0.8y² + 100 + 48a²)) / (48a²))` is standard normal to O(df⁻³), and `P(T > |t|) = Φ(−z)`.
pub(crate) fn t_sf(t: f64, df: f64) -> f64 {
    // NaN in, NaN out at once (the callers turn it into a typed error); never iterate on NaN.
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    let upper = if df >= T_HILL_DF {
        norm_sf(hill_z(t.abs(), df))
    } else if t.abs() > 1e150 {
        // t² overflows: the power-law tail c ν^((ν-1)/2) |t|^-ν, whose relative error O(ν²/t²) is nil here.
        (ln_t_norm(df) + 0.5 * (df - 1.0) * df.ln() - df * t.abs().ln()).exp()
    } else {
        let (x, y) = (df / (df + t * t), t * t / (df + t * t));
        // P(|T| > |t|) = I_x(df/2, 1/2) with 1 - x = t²/(df + t²) passed exactly.
        let (tail, _) = beta::beta_reg_pair_xy(df / 2.0, 0.5, x, y);
        0.5 * tail
    };
    if t >= 0.0 { upper } else { 1.0 - upper }
}

/// Hill's normal deviate for `|t|` at `df` degrees of freedom (see [`t_sf`]).
fn hill_z(t_abs: f64, df: f64) -> f64 {
    let a = df - 0.5;
    let b = 48.0 * a * a;
    let y = a * (t_abs * t_abs / df).ln_1p();
    let poly = (((-0.4 * y - 3.3) * y - 24.0) * y - 85.5) / (0.8 * y * y + 100.0 + b);
    ((poly + y + 3.0) / b + 1.0) * y.sqrt()
}

/// Student t density, given the normalising constant `ln_c` ([`ln_t_norm`]).
fn t_pdf_with(ln_c: f64, x: f64, df: f64) -> f64 {
    // ln(1 + x²/df), without overflowing x² for |x| > 1e150 (where it is 2 ln|x| - ln df to the last bit).
    let l = if x.abs() > 1e150 {
        2.0 * x.abs().ln() - df.ln()
    } else {
        (x * x / df).ln_1p()
    };
    (ln_c - 0.5 * (df + 1.0) * l).exp()
}

/// The Cornish–Fisher expansion of the upper quantile `t_{1-q}` from the normal one `z = z_{1-q}`
/// (Abramowitz & Stegun 26.7.5, four terms): a start for Newton's method.
fn cornish_fisher(z: f64, df: f64) -> f64 {
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92_160.0;
    z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

/// Student t quantile for `p` in (0, 1).
///
/// `df = 1` and `df = 2` have closed forms. Otherwise Newton's method on `ln P(T > e^u) = ln q` in
/// `u = ln t` (nearly linear in both the power-law tail of small df and the normal body of large df),
/// started from the Cornish–Fisher expansion and kept inside a bracket, to a relative step of 1e-15.
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
    let x = if df == 1.0 {
        1.0 / (std::f64::consts::PI * q).tan()
    } else if df == 2.0 {
        (1.0 - 2.0 * q) / (2.0 * q * (1.0 - q)).sqrt()
    } else {
        t_upper_quantile(q, df)
    };
    if p > 0.5 { x } else { -x }
}

/// The `x > 0` with `P(T > x) = q`, `0 < q < 1/2`.
fn t_upper_quantile(q: f64, df: f64) -> f64 {
    let z = -norm_ppf(q);
    let start = cornish_fisher(z, df);
    // From 20,000 df on, the expansion itself is the answer for |z| <= 10: its first omitted term is
    // O(z^11 / df^5), below 1e-14 relative there (checked against scipy in student_t.json).
    if df >= T_HILL_DF && z <= 10.0 {
        return start;
    }
    let ln_c = ln_t_norm(df);
    let ln_q = q.ln();
    let mut u = if start.is_finite() && start > 0.0 {
        start.ln()
    } else {
        0.0
    };
    // Bracket in u: h(u) = ln sf(e^u) - ln q decreases in u.
    let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
    for _ in 0..200 {
        let x = u.exp();
        let sf = t_sf(x, df);
        let h = sf.ln() - ln_q;
        if h == 0.0 {
            return x;
        }
        if h > 0.0 {
            lo = u
        } else {
            hi = u
        }
        // h'(u) = -x pdf(x) / sf(x)
        let slope = x * t_pdf_with(ln_c, x, df) / sf;
        let newton = u + h / slope;
        let next = if slope > 0.0 && newton.is_finite() && newton > lo && newton < hi {
            newton
        } else if lo.is_finite() && hi.is_finite() {
            0.5 * (lo + hi)
        } else if lo.is_finite() {
            lo + 1.0
        } else {
            hi - 1.0
        };
        if (next - u).abs() <= 1e-15 * u.abs().max(1.0) {
            return next.exp();
        }
        u = next;
    }
    u.exp()
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

    /// `testdata/significance/student_t.json`: scipy's t.sf and t.ppf over df from 1 to 1e9, both sides of
    /// the switch to Hill's expansion, tails down to 1e-280, at 1e-9 relative (the fixture's tolerance).
    #[test]
    fn t_matches_scipy_at_every_df() {
        let doc: serde_json::Value = serde_json::from_str(include_str!(
            "../../../testdata/significance/student_t.json"
        ))
        .unwrap();
        let rel = doc["tolerance"]["rel"].as_f64().unwrap();
        let mut worst = (0.0f64, String::new());
        for c in doc["cases"].as_array().unwrap() {
            let df = c["df"].as_f64().unwrap();
            let mut check = |what: &str, x: f64, got: f64, want: f64| {
                let e = if want == 0.0 {
                    got.abs()
                } else {
                    (got / want - 1.0).abs()
                };
                assert!(e <= rel, "{what}({x}, df {df}) = {got}, scipy {want}");
                if e > worst.0 {
                    worst = (e, format!("{what}({x}, df {df})"));
                }
            };
            for pair in c["sf"].as_array().unwrap() {
                let (t, want) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
                check("sf", t, t_sf(t, df), want);
            }
            for pair in c["ppf"].as_array().unwrap() {
                let (p, want) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
                check("ppf", p, t_ppf(p, df), want);
            }
        }
        // The worst case is the incomplete beta at df 1, t = 1e-6 (2.8e-11), well inside the tolerance.
        assert!(worst.0 < 1e-10, "worst {worst:?}");
    }

    #[test]
    fn chi2_values() {
        // scipy.stats.chi2.sf(3.84, 1) = 0.05004352124870519
        assert!((chi2_sf(3.84, 1.0) / 0.05004352124870519 - 1.0).abs() < 1e-12);
    }
}
