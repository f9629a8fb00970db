//! Probability distributions used by the tests: the only module that imports `statrs`.
//!
//! Normal and chi-square functions wrap `statrs`; the regularised incomplete beta function (behind the
//! Student t and Beta distributions) is our own (see [`beta`]) because statrs' continued fraction stops
//! after 140 terms, which is not enough for the parameters of an experiment with 10^9 visitors.

pub(crate) mod beta;
pub(crate) mod quadrature;
mod student;

pub(crate) use student::{TQuantileAt, t_ppf, t_sf};

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
