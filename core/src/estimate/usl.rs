//! The Universal Scalability Law (Gunther): throughput at concurrency (or nodes) `N` is
//! `X(N) = λ N / (1 + σ (N − 1) + κ N (N − 1))`, with contention `σ` and coherency `κ`. Throughput peaks
//! at `N* = sqrt((1 − σ) / κ)`; past it, adding load or nodes **lowers** throughput.
//!
//! [`usl_fit`] estimates `(λ, σ, κ)` by nonlinear least squares (Levenberg–Marquardt with the bounds
//! `λ > 0`, `0 ≤ σ ≤ 1`, `κ ≥ 0`, started from Gunther's linearisation), with standard errors from
//! `s² (JᵀJ)⁻¹` and 95% intervals from the t distribution with `n − 3` degrees of freedom (the R `usl`
//! package's `confint()` uses a different quantile; we do not copy it). Checked against the R package's
//! SPEC SDM91 fit and scipy's `curve_fit` (`testdata/estimate/usl.json`).

use serde::{Deserialize, Serialize};

use crate::check;
use crate::dist::t_ppf;
use crate::error::{Error, Result};
use crate::significance::Interval;

/// A fitted USL model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UslFit {
    /// Throughput of one unit of concurrency, `λ` (`lambda` in JSON).
    #[serde(rename = "lambda")]
    pub lambda_: f64,
    /// Contention (serial fraction), `σ`.
    pub sigma: f64,
    /// Coherency (crosstalk), `κ`.
    pub kappa: f64,
    /// `N* = max(1, sqrt((1 − σ) / κ))`; `None` when `κ = 0` (throughput never falls).
    pub peak_concurrency: Option<f64>,
    /// `X(N*)`; `None` when `κ = 0`.
    pub peak_throughput: Option<f64>,
    /// `1 − SSE / SST`.
    pub r_squared: f64,
    /// Residual standard error `sqrt(SSE / (n − 3))`; `None` with exactly 3 points.
    pub residual_std_error: Option<f64>,
    /// Standard errors of `(λ, σ, κ)`, in that order; `None` with exactly 3 points (no residual degrees
    /// of freedom).
    pub std_errors: Option<[f64; 3]>,
    /// 95% intervals of `(λ, σ, κ)`: estimate ± t(0.975, n − 3) × standard error; `None` with 3 points.
    pub intervals: Option<[Interval; 3]>,
    /// Residual degrees of freedom, `n − 3`.
    pub df: u64,
}

impl UslFit {
    /// Predicted throughput at concurrency `n`.
    ///
    /// # Errors
    /// `negative` / `not_finite` for a bad `n`.
    pub fn throughput(&self, n: f64) -> Result<f64> {
        check::non_negative("n", n)?;
        Ok(model(self.lambda_, self.sigma, self.kappa, n))
    }

    /// `Some(message)` when `target` lies past the peak, where adding concurrency lowers throughput.
    pub fn past_peak_warning(&self, target: f64) -> Option<String> {
        let peak = self.peak_concurrency?;
        (target > peak).then(|| {
            format!(
                "the target {target} lies past the USL peak N* = {peak:.1}: throughput there ({:.1}) is below the peak ({:.1}), so adding nodes lowers throughput",
                model(self.lambda_, self.sigma, self.kappa, target),
                self.peak_throughput.unwrap_or(f64::NAN)
            )
        })
    }
}

fn model(l: f64, s: f64, k: f64, n: f64) -> f64 {
    l * n / (1.0 + s * (n - 1.0) + k * n * (n - 1.0))
}

/// Gradient of the model with respect to `(λ, σ, κ)`.
fn gradient(l: f64, s: f64, k: f64, n: f64) -> [f64; 3] {
    let d = 1.0 + s * (n - 1.0) + k * n * (n - 1.0);
    let x = l * n / d;
    [n / d, -x * (n - 1.0) / d, -x * n * (n - 1.0) / d]
}

/// Fits the USL to load-test points `(concurrency[i], throughput[i])`.
///
/// # Errors
/// `empty_input` for no points; `too_few_observations` for fewer than 3 points (or fewer than 3 distinct
/// concurrencies; exactly 3 fit, without standard errors);
/// `length_mismatch`; `not_finite`; `out_of_range` for a concurrency below 1 or a throughput that is
/// not positive; `no_convergence` if the optimiser does not settle in 500 iterations.
///
/// # Example
/// ```
/// use scaleplan::estimate::usl_fit;
/// // Gunther's SPEC SDM91 data (R package `usl`, `data(specsdm91)`).
/// let n = [1.0, 18.0, 36.0, 72.0, 108.0, 144.0, 216.0];
/// let x = [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2];
/// let fit = usl_fit(&n, &x)?;
/// assert!((fit.sigma - 0.02773).abs() < 1e-4 && (fit.kappa - 1.0437e-4).abs() < 1e-7);
/// assert_eq!(fit.peak_concurrency.unwrap().round(), 97.0); // R: signif(peak.scalability(u), 2) = 97
/// assert!(fit.past_peak_warning(150.0).is_some());
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn usl_fit(concurrency: &[f64], throughput: &[f64]) -> Result<UslFit> {
    let n = check::same_len(&[
        ("concurrency", concurrency.len()),
        ("throughput", throughput.len()),
    ])?;
    check::at_least("concurrency (points)", n as u64, 3)?;
    for (i, (&c, &x)) in concurrency.iter().zip(throughput).enumerate() {
        check::finite(&check::at("concurrency", i), c)?;
        check::finite(&check::at("throughput", i), x)?;
        if c < 1.0 {
            return Err(Error::OutOfRange {
                field: check::at("concurrency", i),
                value: c,
                allowed: "[1, inf)",
            });
        }
        if x <= 0.0 {
            return Err(Error::OutOfRange {
                field: check::at("throughput", i),
                value: x,
                allowed: "(0, inf)",
            });
        }
    }
    let mut distinct: Vec<f64> = concurrency.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    check::at_least("concurrency (distinct values)", distinct.len() as u64, 3)?;

    let sse = |p: [f64; 3]| -> f64 {
        concurrency
            .iter()
            .zip(throughput)
            .map(|(&c, &x)| (x - model(p[0], p[1], p[2], c)).powi(2))
            .sum()
    };
    let mut p = start(concurrency, throughput);
    let mut cur = sse(p);
    let mut mu = 1e-3;
    let mut converged = false;
    for _ in 0..500 {
        let (jtj, jtr) = normal_equations(concurrency, throughput, p);
        // Marquardt's scaling: damp each parameter by its own curvature.
        let mut a = jtj;
        for (i, row) in a.iter_mut().enumerate() {
            row[i] += mu * jtj[i][i].max(1e-300);
        }
        let Some(step) = solve3(a, jtr) else {
            mu *= 10.0;
            continue;
        };
        let trial = project([p[0] + step[0], p[1] + step[1], p[2] + step[2]]);
        let next = sse(trial);
        if next.is_finite() && next <= cur {
            let change = (cur - next) / cur.max(1e-300);
            let moved = (0..3).all(|i| (trial[i] - p[i]).abs() <= 1e-12 * p[i].abs().max(1e-12));
            p = trial;
            cur = next;
            mu = (mu / 10.0).max(1e-15);
            if change < 1e-15 || moved {
                converged = true;
                break;
            }
        } else {
            mu *= 10.0;
            if mu > 1e20 {
                converged = true; // no descent direction left: at a (bounded) minimum
                break;
            }
        }
    }
    if !converged {
        return Err(Error::NoConvergence {
            what: "usl_fit (Levenberg-Marquardt, 500 iterations)".into(),
        });
    }
    let df = (n - 3) as u64;
    let mean = throughput.iter().sum::<f64>() / n as f64;
    let sst: f64 = throughput.iter().map(|x| (x - mean).powi(2)).sum();
    let (jtj, _) = normal_equations(concurrency, throughput, p);
    // Exactly three points: a perfect fit with no residual degrees of freedom, so no error estimate.
    let std_errors = match (df, invert3(jtj)) {
        (0, _) | (_, None) => None,
        (_, Some(cov)) => {
            let s2 = cur / df as f64;
            Some([0, 1, 2].map(|i| (s2 * cov[i][i]).max(0.0).sqrt()))
        }
    };
    let intervals = std_errors.map(|se| {
        let t = t_ppf(0.975, df as f64);
        [0, 1, 2].map(|i| Interval {
            lo: p[i] - t * se[i],
            hi: p[i] + t * se[i],
        })
    });
    // Below one unit of concurrency the model means nothing: when N* < 1 (e.g. σ = 1) the curve falls
    // from N = 1 on, so the peak is N = 1.
    let peak_concurrency = (p[2] > 0.0).then(|| ((1.0 - p[1]) / p[2]).sqrt().max(1.0));
    let fit = UslFit {
        lambda_: p[0],
        sigma: p[1],
        kappa: p[2],
        peak_concurrency,
        peak_throughput: peak_concurrency.map(|m| model(p[0], p[1], p[2], m)),
        r_squared: 1.0 - cur / sst,
        residual_std_error: (df > 0).then(|| (cur / df as f64).sqrt()),
        std_errors,
        intervals,
        df,
    };
    let se = std_errors.unwrap_or([0.0; 3]);
    check::no_overflow(
        || "usl_fit: the coefficients or their standard errors".into(),
        &[
            fit.lambda_,
            fit.sigma,
            fit.kappa,
            fit.r_squared,
            se[0],
            se[1],
            se[2],
        ],
    )?;
    Ok(fit)
}

fn project(p: [f64; 3]) -> [f64; 3] {
    [p[0].max(1e-12), p[1].clamp(0.0, 1.0), p[2].max(0.0)]
}

/// Gunther's linearisation: with `λ` the best observed throughput per unit of concurrency, `N / C(N) − 1 = σ (N − 1) + κ N (N − 1)`
/// is linear in `(σ, κ)`; solve by least squares through the origin.
fn start(concurrency: &[f64], throughput: &[f64]) -> [f64; 3] {
    let lambda = throughput
        .iter()
        .zip(concurrency)
        .map(|(x, c)| x / c)
        .fold(0.0, f64::max);
    let (mut a11, mut a12, mut a22, mut b1, mut b2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (&c, &x) in concurrency.iter().zip(throughput) {
        let y = lambda * c / x - 1.0;
        let (u, v) = (c - 1.0, c * (c - 1.0));
        a11 += u * u;
        a12 += u * v;
        a22 += v * v;
        b1 += u * y;
        b2 += v * y;
    }
    let det = a11 * a22 - a12 * a12;
    let (s, k) = if det.abs() > 0.0 {
        ((b1 * a22 - b2 * a12) / det, (a11 * b2 - a12 * b1) / det)
    } else {
        (0.01, 1e-4)
    };
    project([lambda, s, k])
}

fn normal_equations(
    concurrency: &[f64],
    throughput: &[f64],
    p: [f64; 3],
) -> ([[f64; 3]; 3], [f64; 3]) {
    let mut jtj = [[0.0; 3]; 3];
    let mut jtr = [0.0; 3];
    for (&c, &x) in concurrency.iter().zip(throughput) {
        let g = gradient(p[0], p[1], p[2], c);
        let r = x - model(p[0], p[1], p[2], c);
        for i in 0..3 {
            jtr[i] += g[i] * r;
            for j in 0..3 {
                jtj[i][j] += g[i] * g[j];
            }
        }
    }
    (jtj, jtr)
}

fn det3(m: [[f64; 3]; 3]) -> f64 {
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}

fn invert3(m: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let d = det3(m);
    if d == 0.0 || !d.is_finite() {
        return None;
    }
    let c =
        |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let adj = [
        [c(1, 2, 1, 2), -c(0, 2, 1, 2), c(0, 1, 1, 2)],
        [-c(1, 2, 0, 2), c(0, 2, 0, 2), -c(0, 1, 0, 2)],
        [c(1, 2, 0, 1), -c(0, 2, 0, 1), c(0, 1, 0, 1)],
    ];
    Some(adj.map(|row| row.map(|v| v / d)))
}

fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let inv = invert3(a)?;
    let x = [0, 1, 2].map(|i| inv[i][0] * b[0] + inv[i][1] * b[1] + inv[i][2] * b[2]);
    x.iter().all(|v| v.is_finite()).then_some(x)
}
