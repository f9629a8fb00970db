//! The Universal Scalability Law (Gunther): throughput at concurrency (or nodes) `N` is
//! `X(N) = λ N / (1 + σ (N − 1) + κ N (N − 1))`, with contention `σ` and coherency `κ`. Throughput peaks
//! at `N* = sqrt((1 − σ) / κ)`; past it, adding load or nodes **lowers** throughput.
//!
//! [`usl_fit`] estimates `(λ, σ, κ)` by nonlinear least squares: an active-set (projected)
//! Levenberg–Marquardt within the bounds `λ > 0`, `0 ≤ σ ≤ 1`, `κ ≥ 0`, started from Gunther's
//! linearisation. A coefficient whose best value lies on its bound (κ = 0 for near-linear scaling with
//! contention only) is held there and reported in [`UslFit::at_bound`]; it gets no standard error and no
//! interval, as R `usl` (through `nlsr::nlxb`) reports none for a bounded parameter. The free coefficients'
//! standard errors come from `s² (J_freeᵀ J_free)⁻¹` with `s² = SSE / (n − 3)`, and their 95% intervals
//! from the t distribution with `n − 3` degrees of freedom (the R package's `confint()` uses a different
//! quantile; we do not copy it). Checked against the R package's SPEC SDM91 and raytracer fits and
//! scipy's `curve_fit` / bounded `least_squares` (`testdata/estimate/usl.json`).

use serde::{Deserialize, Serialize};

use crate::check;
use crate::dist::t_ppf;
use crate::error::{Error, Result};
use crate::significance::Interval;

/// One of the three USL coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UslCoefficient {
    /// `λ`, throughput of one unit of concurrency.
    Lambda,
    /// `σ`, contention.
    Sigma,
    /// `κ`, coherency.
    Kappa,
}

impl UslCoefficient {
    const ALL: [UslCoefficient; 3] = [
        UslCoefficient::Lambda,
        UslCoefficient::Sigma,
        UslCoefficient::Kappa,
    ];
}

/// A value for each USL coefficient, keyed by name: `{"lambda": …, "sigma": …, "kappa": …}` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UslCoefficients<T> {
    /// For `λ` (`lambda` in JSON).
    #[serde(rename = "lambda")]
    pub lambda_: T,
    /// For `σ`.
    pub sigma: T,
    /// For `κ`.
    pub kappa: T,
}

impl<T: Copy> UslCoefficients<T> {
    fn from_fn(mut f: impl FnMut(usize) -> T) -> Self {
        UslCoefficients {
            lambda_: f(0),
            sigma: f(1),
            kappa: f(2),
        }
    }
}

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
    /// The coefficients whose best value lies on a bound (`σ = 0`, `σ = 1` or `κ = 0`), held there by the
    /// fit; empty when the optimum is interior.
    pub at_bound: Vec<UslCoefficient>,
    /// Standard errors by coefficient; `None` for a coefficient on its bound, and for all of them with
    /// exactly 3 points (no residual degrees of freedom).
    pub std_errors: UslCoefficients<Option<f64>>,
    /// 95% intervals by coefficient: estimate ± t(0.975, n − 3) × standard error; `None` where the
    /// standard error is.
    pub intervals: UslCoefficients<Option<Interval>>,
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
/// not positive; `no_convergence` if the optimiser does not settle in 1,000 iterations.
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
/// assert!(fit.at_bound.is_empty() && fit.std_errors.kappa.is_some());
///
/// // Gunther's ray tracer (R `usl`, `data(raytracer)`): contention only, κ sits on its bound 0.
/// let n = [1.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0, 48.0, 64.0];
/// let x = [20.0, 78.0, 130.0, 170.0, 190.0, 200.0, 210.0, 230.0, 260.0, 280.0, 310.0];
/// let fit = usl_fit(&n, &x)?;
/// assert_eq!(fit.kappa, 0.0);
/// assert_eq!(fit.at_bound, [scaleplan::estimate::UslCoefficient::Kappa]);
/// assert!((fit.sigma - 0.0578).abs() < 5e-5 && (fit.lambda_ - 21.8488).abs() < 5e-5); // R: coef(u)
/// assert!(fit.std_errors.kappa.is_none() && fit.intervals.kappa.is_none());
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
    let mut active = [false; 3];
    for _ in 0..1000 {
        let (jtj, jtr) = normal_equations(concurrency, throughput, p);
        // Active set: a coefficient on a bound whose gradient points out of the box is held there (its
        // step is 0); the others take the damped Gauss-Newton step (projected Levenberg-Marquardt).
        active =
            [0, 1, 2].map(|i| at_bound(i, p[i]).is_some_and(|lower| pushes_out(lower, jtr[i])));
        // Marquardt's scaling: damp each parameter by its own curvature.
        let mut a = jtj;
        let mut b = jtr;
        for i in 0..3 {
            if active[i] {
                hold(&mut a, i);
                b[i] = 0.0;
            } else {
                a[i][i] += mu * jtj[i][i].max(1e-300);
            }
        }
        let Some(step) = solve3(a, b) else {
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
            what: "usl_fit (projected Levenberg-Marquardt, 1,000 iterations)".into(),
        });
    }
    // The final active set at the solution: on a bound and held there by the gradient.
    let (_, jtr) = normal_equations(concurrency, throughput, p);
    for i in 0..3 {
        active[i] =
            at_bound(i, p[i]).is_some_and(|lower| pushes_out(lower, jtr[i]) || jtr[i] == 0.0);
    }
    let df = (n - 3) as u64;
    let mean = throughput.iter().sum::<f64>() / n as f64;
    let sst: f64 = throughput.iter().map(|x| (x - mean).powi(2)).sum();
    let (mut jtj, _) = normal_equations(concurrency, throughput, p);
    // A coefficient on its bound is not estimated: drop its row and column (nlsr's summary zeroes its
    // Jacobian column and reports no standard error), so the free ones' covariance is s² (J_freeᵀ J_free)⁻¹.
    for i in (0..3).filter(|&i| active[i]) {
        hold(&mut jtj, i);
    }
    // Exactly three points: a perfect fit with no residual degrees of freedom, so no error estimate.
    let cov = if df == 0 { None } else { invert3(jtj) };
    let s2 = cur / df.max(1) as f64;
    let se = [0, 1, 2].map(|i| {
        cov.filter(|_| !active[i])
            .map(|c| (s2 * c[i][i]).max(0.0).sqrt())
    });
    let t = if df > 0 {
        t_ppf(0.975, df as f64)
    } else {
        f64::NAN
    };
    let interval = |i: usize| {
        se[i].map(|e| Interval {
            lo: p[i] - t * e,
            hi: p[i] + t * e,
        })
    };
    let std_errors = UslCoefficients::from_fn(|i| se[i]);
    let intervals = UslCoefficients::from_fn(interval);
    let at_bound = UslCoefficient::ALL
        .into_iter()
        .zip(active)
        .filter_map(|(c, a)| a.then_some(c))
        .collect();
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
        at_bound,
        std_errors,
        intervals,
        df,
    };
    let se = se.map(|e| e.unwrap_or(0.0));
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

/// Replaces row and column `i` of a symmetric 3×3 system by those of the identity, so that coefficient `i`
/// takes no step and drops out of the others' solution.
fn hold(m: &mut [[f64; 3]; 3], i: usize) {
    m[i] = [0.0; 3];
    for row in m.iter_mut() {
        row[i] = 0.0;
    }
    m[i][i] = 1.0;
}

/// The box: `λ ≥ 1e-12` (strictly positive), `0 ≤ σ ≤ 1`, `κ ≥ 0`.
const LOWER: [f64; 3] = [1e-12, 0.0, 0.0];
const UPPER: [f64; 3] = [f64::INFINITY, 1.0, f64::INFINITY];

fn project(p: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| p[i].clamp(LOWER[i], UPPER[i]))
}

/// `Some(true)` on the lower bound, `Some(false)` on the upper one, `None` inside.
fn at_bound(i: usize, v: f64) -> Option<bool> {
    if v <= LOWER[i] {
        Some(true)
    } else if v >= UPPER[i] {
        Some(false)
    } else {
        None
    }
}

/// Whether the descent direction `Jᵀr` (the negative gradient of SSE/2) points out of the box at a bound.
fn pushes_out(lower: bool, jtr: f64) -> bool {
    if lower { jtr < 0.0 } else { jtr > 0.0 }
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
