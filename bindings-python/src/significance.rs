//! `scaleplan.significance` functions: each converts, calls one core function, converts back.

use numpy::{IntoPyArray, PyArray1, PyArrayMethods};
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use scaleplan::significance as sig;

use crate::convert::{floats, json_text, parse, to_py};
use crate::errors::{guard, to_py_err};

type Pair = (f64, f64);

fn interval(i: sig::Interval) -> Pair {
    (i.lo, i.hi)
}

fn test_options(
    py: Python<'_>,
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<sig::TestOptions> {
    let mut o = sig::TestOptions::default();
    if let Some(a) = alpha {
        o.alpha = a;
    }
    if let Some(a) = alternative {
        o.alternative = parse(py, a)?;
    }
    Ok(o)
}

fn alternative_name(a: sig::Alternative) -> &'static str {
    match a {
        sig::Alternative::TwoSided => "two-sided",
        sig::Alternative::Less => "less",
        sig::Alternative::Greater => "greater",
    }
}

/// Result of `two_proportions` (attributes mirror the Rust `ProportionsResult`; intervals are `(lo, hi)`).
#[pyclass(name = "ProportionsResult", module = "scaleplan", frozen)]
pub struct PyProportionsResult {
    #[pyo3(get)]
    control_rate: f64,
    #[pyo3(get)]
    treatment_rate: f64,
    #[pyo3(get)]
    z: f64,
    #[pyo3(get)]
    p_value: f64,
    #[pyo3(get)]
    absolute_effect: f64,
    #[pyo3(get)]
    absolute_ci: Pair,
    #[pyo3(get)]
    relative_lift: Option<f64>,
    #[pyo3(get)]
    relative_ci: Option<Pair>,
    #[pyo3(get)]
    alpha: f64,
    #[pyo3(get)]
    alternative: &'static str,
    inner: sig::ProportionsResult,
}

impl From<sig::ProportionsResult> for PyProportionsResult {
    fn from(r: sig::ProportionsResult) -> Self {
        PyProportionsResult {
            control_rate: r.control_rate,
            treatment_rate: r.treatment_rate,
            z: r.z,
            p_value: r.p_value,
            absolute_effect: r.absolute_effect,
            absolute_ci: interval(r.absolute_ci),
            relative_lift: r.relative_lift,
            relative_ci: r.relative_ci.map(interval),
            alpha: r.alpha,
            alternative: alternative_name(r.alternative),
            inner: r,
        }
    }
}

/// Result of `welch` (attributes mirror the Rust `WelchResult`; intervals are `(lo, hi)`).
#[pyclass(name = "WelchResult", module = "scaleplan", frozen)]
pub struct PyWelchResult {
    #[pyo3(get)]
    control_mean: f64,
    #[pyo3(get)]
    treatment_mean: f64,
    #[pyo3(get)]
    t: f64,
    #[pyo3(get)]
    df: f64,
    #[pyo3(get)]
    p_value: f64,
    #[pyo3(get)]
    absolute_effect: f64,
    #[pyo3(get)]
    absolute_ci: Pair,
    #[pyo3(get)]
    relative_lift: Option<f64>,
    #[pyo3(get)]
    relative_ci: Option<Pair>,
    #[pyo3(get)]
    alpha: f64,
    #[pyo3(get)]
    alternative: &'static str,
    inner: sig::WelchResult,
}

impl From<sig::WelchResult> for PyWelchResult {
    fn from(r: sig::WelchResult) -> Self {
        PyWelchResult {
            control_mean: r.control_mean,
            treatment_mean: r.treatment_mean,
            t: r.t,
            df: r.df,
            p_value: r.p_value,
            absolute_effect: r.absolute_effect,
            absolute_ci: interval(r.absolute_ci),
            relative_lift: r.relative_lift,
            relative_ci: r.relative_ci.map(interval),
            alpha: r.alpha,
            alternative: alternative_name(r.alternative),
            inner: r,
        }
    }
}

macro_rules! json_methods {
    ($t:ty, $name:literal) => {
        #[pymethods]
        impl $t {
            /// The canonical JSON (the same bytes as Rust and Node).
            fn to_json(&self, py: Python<'_>) -> PyResult<String> {
                guard(py, || scaleplan::json::to_string(&self.inner))
            }
            /// A plain dict (snake_case keys, intervals as `{"lo", "hi"}`), e.g. for `pandas.DataFrame`.
            fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                to_py(py, &self.inner)
            }
            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                Ok(format!("{}({})", $name, self.to_json(py)?))
            }
            /// Pickles as the core's JSON of the result.
            fn __reduce__<'py>(
                &self,
                py: Python<'py>,
            ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
                crate::pickle::reduce(py, $name, &self.inner)
            }
        }
    };
}
json_methods!(PyProportionsResult, "ProportionsResult");
json_methods!(PyWelchResult, "WelchResult");

/// A result without a dedicated class (SRM, ratio, CUPED, sequential, Bayesian, readiness): attribute
/// access over its canonical JSON; `kind` names the Rust type.
#[pyclass(name = "Record", module = "scaleplan", frozen)]
pub struct PyRecord {
    #[pyo3(get)]
    kind: String,
    json: String,
    data: Py<PyAny>,
}

impl PyRecord {
    pub(crate) fn new<T: serde::Serialize>(
        py: Python<'_>,
        kind: &str,
        value: &T,
    ) -> PyResult<Self> {
        let json = guard(py, || scaleplan::json::to_string(value))?;
        // Python objects straight from the typed value: exact amounts become `decimal.Decimal` by the
        // core's schema, so a name such as "2024" stays a `str`.
        let data = to_py(py, value)?;
        Ok(PyRecord {
            kind: kind.to_string(),
            json,
            data,
        })
    }

    /// The canonical JSON text this record holds (functions that take a record back read it).
    pub(crate) fn text(&self) -> &str {
        &self.json
    }
}

#[pymethods]
impl PyRecord {
    /// A pandas DataFrame of the result (`scaleplan.to_pandas`).
    fn to_pandas(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        crate::convert::table(slf.as_any(), "to_pandas")
    }
    /// A polars DataFrame of the result (`scaleplan.to_polars`).
    fn to_polars(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        crate::convert::table(slf.as_any(), "to_polars")
    }
    /// The summary Jupyter shows.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        crate::convert::table(slf.as_any(), "repr_html")
    }
    fn __getattr__(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let d = self.data.bind(py).cast::<PyDict>()?;
        match d.get_item(name)? {
            Some(v) => Ok(v.unbind()),
            None => Err(PyAttributeError::new_err(format!(
                "{} has no attribute `{name}`",
                self.kind
            ))),
        }
    }
    /// The canonical JSON (the same bytes as Rust and Node).
    fn to_json(&self) -> String {
        self.json.clone()
    }
    /// A fresh plain dict (exact amounts as `decimal.Decimal`): a deep copy, so that changing it leaves
    /// the record as it was.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(py
            .import("copy")?
            .call_method1("deepcopy", (self.data.bind(py),))?
            .unbind())
    }
    fn __dir__(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let d = self.data.bind(py).cast::<PyDict>()?;
        let mut keys: Vec<String> = d.keys().extract()?;
        keys.extend(["kind", "to_json", "to_dict", "to_pandas", "to_polars"].map(String::from));
        Ok(keys)
    }
    fn __repr__(&self) -> String {
        format!("{}({})", self.kind, self.json)
    }
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let f = py
            .import("scaleplan._scaleplan")?
            .getattr("_record_from_json")?;
        let args = (
            self.kind.clone(),
            self.json.clone(),
            self.data.clone_ref(py),
        );
        Ok((f, args.into_pyobject(py)?))
    }
}

/// The significance results rebuilt from their JSON (pickle).
pub(crate) fn unpickle(py: Python<'_>, kind: &str, json: &str) -> Option<PyResult<Py<PyAny>>> {
    let r = match kind {
        "ProportionsResult" => crate::pickle::read::<sig::ProportionsResult>(py, json)
            .and_then(|r| Py::new(py, PyProportionsResult::from(r)).map(Py::into_any)),
        "WelchResult" => crate::pickle::read::<sig::WelchResult>(py, json)
            .and_then(|r| Py::new(py, PyWelchResult::from(r)).map(Py::into_any)),
        _ => return None,
    };
    Some(r)
}

/// Rebuilds a `Record` (used by pickle): its kind, its canonical JSON and its Python objects.
#[pyfunction]
fn _record_from_json(kind: String, json: String, data: Py<PyAny>) -> PyRecord {
    PyRecord { kind, json, data }
}

fn proportion(py: Python<'_>, name: &str, arm: Pair) -> PyResult<sig::Proportion> {
    guard(py, || {
        sig::Proportion::from_f64(arm.0, arm.1).map_err(|e| e.in_field(name))
    })
}

fn mean_arm(py: Python<'_>, name: &str, arm: (f64, f64, f64)) -> PyResult<sig::MeanSummary> {
    guard(py, || {
        sig::MeanSummary::from_f64(arm.0, arm.1, arm.2).map_err(|e| e.in_field(name))
    })
}

/// The document in argument `name` (JSON text, a dict or a list) read by the core; a JSON error says
/// which argument held it.
pub(crate) fn doc<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    name: &str,
    x: &Bound<'_, PyAny>,
) -> PyResult<T> {
    let text = json_text(py, x)?;
    let typed = x.cast::<pyo3::types::PyString>().is_ok();
    guard(py, || {
        scaleplan::json::from_str(&text).map_err(|e: scaleplan::Error| {
            if typed {
                e.in_argument(name)
            } else {
                e.in_object_argument(name)
            }
        })
    })
}

/// Two-proportion z test of a treatment's conversion rate against the control's (pooled standard error for
/// the test, unpooled for the interval, as statsmodels' `test_proportions_2indep`).
///
/// Parameters
/// ----------
/// control, treatment : tuple of (int, int)
///     Each arm's `(visitors, conversions)`.
/// alpha : float, optional
///     Significance level (default 0.05).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// ProportionsResult
///     Rates, `z`, `p_value`, the absolute effect and its interval, the relative lift and its interval
///     (None when the control rate is 0).
///
/// Raises
/// ------
/// InvalidInputError
///     Negative or fractional counts, conversions above visitors (`conversions_exceed_visitors`), an
///     alpha outside (0, 1).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.two_proportions((48000, 4800), (48500, 5965))
/// >>> round(r.relative_lift, 4), r.p_value < 1e-20
/// (0.2299, True)
#[pyfunction]
#[pyo3(signature = (control, treatment, *, alpha = None, alternative = None))]
fn two_proportions(
    py: Python<'_>,
    control: Pair,
    treatment: Pair,
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<PyProportionsResult> {
    let o = test_options(py, alpha, alternative)?;
    let (c, t) = (
        proportion(py, "control", control)?,
        proportion(py, "treatment", treatment)?,
    );
    guard(py, || sig::two_proportions(&c, &t, &o)).map(Into::into)
}

/// Welch's t test of two means from summary statistics (scipy's `ttest_ind_from_stats`, `equal_var=False`).
///
/// Parameters
/// ----------
/// control, treatment : tuple of (int, float, float)
///     Each arm's `(n, mean, variance)`, the variance with ddof = 1.
/// alpha : float, optional
///     Significance level (default 0.05).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// WelchResult
///     Means, `t`, Welch–Satterthwaite `df`, `p_value`, the absolute effect and its interval, the relative
///     lift and its interval.
///
/// Raises
/// ------
/// InvalidInputError
///     `n` below 2, a negative variance, NaN or infinite values, both variances 0 (`zero_variance`).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.welch((1000, 10.0, 4.0), (1000, 10.3, 4.8))
/// >>> round(r.t, 3), round(r.df, 1)    # scipy ttest_ind_from_stats: t = 3.198
/// (3.198, 1981.6)
#[pyfunction]
#[pyo3(signature = (control, treatment, *, alpha = None, alternative = None))]
fn welch(
    py: Python<'_>,
    control: (f64, f64, f64),
    treatment: (f64, f64, f64),
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<PyWelchResult> {
    let o = test_options(py, alpha, alternative)?;
    let (c, t) = (
        mean_arm(py, "control", control)?,
        mean_arm(py, "treatment", treatment)?,
    );
    guard(py, || sig::welch(&c, &t, &o)).map(Into::into)
}

/// Ratio metric (revenue per session, clicks per view) by the delta method, unit-level sums in.
///
/// Parameters
/// ----------
/// control, treatment : dict or str
///     Each arm's sums over its units: `{n, sum_x, sum_y, sum_x2, sum_y2, sum_xy}` with x the numerator and
///     y the denominator (`experiment_from_frame` builds them from rows).
/// alpha : float, optional
///     Significance level (default 0.05).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// Record
///     `RatioResult`: `control_ratio`, `treatment_ratio`, `z`, `p_value`, `absolute_effect` and
///     `absolute_ci`, `relative_lift` and `relative_ci` (the delta method of Deng, Knoblich and Lu, KDD 2018;
/// checked against statsmodels).
///
/// Raises
/// ------
/// InvalidInputError
///     `n` below 2, a denominator sum of 0, NaN or infinite sums, a malformed dict (the message names the
///     argument and the field).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> c = {"n": 1000, "sum_x": 5200, "sum_y": 2000, "sum_x2": 32000, "sum_y2": 4600, "sum_xy": 11500}
/// >>> t = {"n": 1000, "sum_x": 5600, "sum_y": 2000, "sum_x2": 36000, "sum_y2": 4600, "sum_xy": 12300}
/// >>> r = scaleplan.ratio(c, t)
/// >>> r.control_ratio, r.treatment_ratio, round(r.z, 3)
/// (2.6, 2.8, 4.967)
#[pyfunction]
#[pyo3(signature = (control, treatment, *, alpha = None, alternative = None))]
fn ratio(
    py: Python<'_>,
    control: &Bound<'_, PyAny>,
    treatment: &Bound<'_, PyAny>,
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<PyRecord> {
    let o = test_options(py, alpha, alternative)?;
    let (c, t): (sig::RatioSummary, sig::RatioSummary) = (
        doc(py, "control", control)?,
        doc(py, "treatment", treatment)?,
    );
    let r = guard(py, || sig::ratio(&c, &t, &o))?;
    PyRecord::new(py, "RatioResult", &r)
}

/// CUPED (Deng et al. 2013): Welch's test on the metric adjusted by a pre-experiment covariate.
///
/// Parameters
/// ----------
/// control, treatment : dict or str
///     Each arm's `{n, mean, variance, covariate_mean, covariate_variance, covariance}` (variances and
///     covariance with ddof = 1).
/// alpha : float, optional
///     Significance level (default 0.05).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// Record
///     `CupedResult`: `theta` (pooled covariance over covariate variance), `variance_reduction`, and the
///     `adjusted` and `unadjusted` Welch results (dicts of `t`, `df`, `p_value`, intervals).
///
/// Raises
/// ------
/// InvalidInputError
///     `n` below 2, negative variances, a covariance that makes a variance negative, NaN or infinities.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> c = {"n": 1000, "mean": 10.0, "variance": 4.0, "covariate_mean": 9.8, "covariate_variance": 3.9,
/// ...      "covariance": 3.0}
/// >>> t = {"n": 1000, "mean": 10.3, "variance": 4.1, "covariate_mean": 9.8, "covariate_variance": 4.0,
/// ...      "covariance": 3.1}
/// >>> r = scaleplan.cuped(c, t)
/// >>> round(r.variance_reduction, 3), round(r.adjusted["t"], 2), round(r.unadjusted["t"], 2)
/// (0.581, 5.15, 3.33)
#[pyfunction]
#[pyo3(signature = (control, treatment, *, alpha = None, alternative = None))]
fn cuped(
    py: Python<'_>,
    control: &Bound<'_, PyAny>,
    treatment: &Bound<'_, PyAny>,
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<PyRecord> {
    let o = test_options(py, alpha, alternative)?;
    let (c, t): (sig::CupedArm, sig::CupedArm) = (
        doc(py, "control", control)?,
        doc(py, "treatment", treatment)?,
    );
    let r = guard(py, || sig::cuped(&c, &t, &o))?;
    PyRecord::new(py, "CupedResult", &r)
}

/// Sample-ratio mismatch: Pearson's chi-square goodness of fit of the arms' unit counts against the
/// configured split (scipy's `chisquare`).
///
/// Parameters
/// ----------
/// observed_counts : array_like of int
///     Units assigned to each arm.
/// expected_weights : array_like of float
///     The configured split (any positive scale: `[0.5, 0.5]` or `[1, 1]`).
/// threshold : float, optional
///     p-value below which the split is a mismatch (default 0.001, as the SRM literature advises).
///
/// Returns
/// -------
/// Record
///     `SrmResult`: `chi2`, `df`, `p_value`, `mismatch` (bool), `threshold`, `expected` counts.
///
/// Raises
/// ------
/// InvalidInputError
///     Fewer than two arms, lengths that differ, negative or fractional counts, weights not positive.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.srm([50000, 49000], [0.5, 0.5])
/// >>> round(r.chi2, 3), round(r.p_value, 5), r.mismatch
/// (10.101, 0.00148, False)
#[pyfunction]
#[pyo3(signature = (observed_counts, expected_weights, *, threshold = None))]
fn srm(
    py: Python<'_>,
    observed_counts: Vec<f64>,
    expected_weights: Vec<f64>,
    threshold: Option<f64>,
) -> PyResult<PyRecord> {
    let mut o = sig::SrmOptions::default();
    if let Some(t) = threshold {
        o.threshold = t;
    }
    let r = guard(py, || sig::srm(&observed_counts, &expected_weights, &o))?;
    PyRecord::new(py, "SrmResult", &r)
}

/// Holm's step-down adjusted p-values (statsmodels' `multipletests(method="holm")`), in input order.
///
/// Parameters
/// ----------
/// p_values : array_like of float
///     The raw p-values, each in [0, 1].
///
/// Returns
/// -------
/// numpy.ndarray
///     Adjusted p-values, same order and length.
///
/// Raises
/// ------
/// InvalidInputError
///     An empty list, NaN, or a value outside [0, 1] (`out_of_range`).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> scaleplan.holm([0.01, 0.04, 0.03]).tolist()
/// [0.03, 0.06, 0.06]
#[pyfunction]
fn holm<'py>(py: Python<'py>, p_values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = floats(py, p_values)?;
    let s = a.as_slice()?;
    guard(py, || sig::holm(s)).map(|v| v.into_pyarray(py))
}

/// Benjamini–Hochberg false-discovery-rate adjusted p-values (statsmodels' `multipletests(method="fdr_bh")`),
/// in input order.
///
/// Parameters
/// ----------
/// p_values : array_like of float
///     The raw p-values, each in [0, 1].
///
/// Returns
/// -------
/// numpy.ndarray
///     Adjusted p-values, same order and length.
///
/// Raises
/// ------
/// InvalidInputError
///     An empty list, NaN, or a value outside [0, 1] (`out_of_range`).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> [round(p, 4) for p in scaleplan.benjamini_hochberg([0.01, 0.04, 0.03]).tolist()]
/// [0.03, 0.04, 0.04]
#[pyfunction]
fn benjamini_hochberg<'py>(
    py: Python<'py>,
    p_values: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = floats(py, p_values)?;
    let s = a.as_slice()?;
    guard(py, || sig::benjamini_hochberg(s)).map(|v| v.into_pyarray(py))
}

/// Always-valid p-value and confidence sequence by the mixture SPRT (Johari et al. 2017): peeking at
/// every look keeps the error rate at `alpha`.
///
/// Parameters
/// ----------
/// estimate : float
///     The current effect estimate (treatment minus control).
/// std_error : float
///     Its standard error now.
/// sample_size : float
///     Units per arm so far.
/// alpha : float, optional
///     Significance level (default 0.05).
/// tuning_sample_size : float, optional
///     Sample size the mixing variance is tuned for (default 5,000).
/// previous_p_value : float, optional
///     The p-value at the last look: the always-valid p-value never increases.
///
/// Returns
/// -------
/// Record
///     `SequentialResult`: `p_value`, `confidence_sequence` (`lo`, `hi`), `log_likelihood_ratio`,
///     `mixing_variance`, `significant`.
///
/// Raises
/// ------
/// InvalidInputError
///     A standard error not positive, a sample size below 1, NaN or infinities.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.sequential(0.02, 0.008, 8000)
/// >>> round(r.p_value, 4), r.significant
/// (0.2043, False)
#[pyfunction]
#[pyo3(signature = (estimate, std_error, sample_size, *, alpha = None, tuning_sample_size = None, previous_p_value = None))]
fn sequential(
    py: Python<'_>,
    estimate: f64,
    std_error: f64,
    sample_size: f64,
    alpha: Option<f64>,
    tuning_sample_size: Option<f64>,
    previous_p_value: Option<f64>,
) -> PyResult<PyRecord> {
    let o = seq_options(alpha, tuning_sample_size);
    let r = guard(py, || {
        sig::sequential(estimate, std_error, sample_size, &o, previous_p_value)
    })?;
    PyRecord::new(py, "SequentialResult", &r)
}

fn seq_options(alpha: Option<f64>, tuning_sample_size: Option<f64>) -> sig::SequentialOptions {
    let d = sig::SequentialOptions::default();
    sig::SequentialOptions {
        alpha: alpha.unwrap_or(d.alpha),
        tuning_sample_size: tuning_sample_size.unwrap_or(d.tuning_sample_size),
    }
}

/// Bayesian chance to beat control for conversion rates: Beta posteriors, the exact probability
/// (Evan Miller's closed form) and expected losses.
///
/// Parameters
/// ----------
/// control, treatment : tuple of (int, int)
///     Each arm's `(visitors, conversions)`.
/// prior_alpha, prior_beta : float, optional
///     The Beta prior of each rate (default 1, 1: uniform).
///
/// Returns
/// -------
/// Record
///     `BayesResult`: `chance_to_beat_control`, `expected_loss_treatment`, `expected_loss_control`,
///     `difference_mean`, `difference_sd`.
///
/// Raises
/// ------
/// InvalidInputError
///     Negative counts, conversions above visitors, a prior parameter not positive.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.beta_binomial((1000, 100), (1000, 130))
/// >>> round(r.chance_to_beat_control, 4)
/// 0.9822
#[pyfunction]
#[pyo3(signature = (control, treatment, *, prior_alpha = None, prior_beta = None))]
fn beta_binomial(
    py: Python<'_>,
    control: Pair,
    treatment: Pair,
    prior_alpha: Option<f64>,
    prior_beta: Option<f64>,
) -> PyResult<PyRecord> {
    let prior = beta_prior(prior_alpha, prior_beta);
    let (c, t) = (
        proportion(py, "control", control)?,
        proportion(py, "treatment", treatment)?,
    );
    let r = guard(py, || sig::beta_binomial(&c, &t, &prior))?;
    PyRecord::new(py, "BayesResult", &r)
}

fn beta_prior(alpha: Option<f64>, beta: Option<f64>) -> sig::BetaPrior {
    let d = sig::BetaPrior::default();
    sig::BetaPrior {
        alpha: alpha.unwrap_or(d.alpha),
        beta: beta.unwrap_or(d.beta),
    }
}

/// Bayesian chance to beat control for means: the normal posterior of the difference of means.
///
/// Parameters
/// ----------
/// control, treatment : tuple of (int, float, float)
///     Each arm's `(n, mean, variance)`, the variance with ddof = 1.
/// prior_mean, prior_variance : float, optional
///     A normal prior on the difference; without `prior_variance` the prior is flat.
///
/// Returns
/// -------
/// Record
///     `BayesResult`: `chance_to_beat_control`, `expected_loss_treatment`, `expected_loss_control`,
///     `difference_mean`, `difference_sd`.
///
/// Raises
/// ------
/// InvalidInputError
///     `n` below 2, a negative variance, a prior variance not positive, NaN or infinities.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.normal_means((500, 10.0, 4.0), (500, 10.4, 4.2))
/// >>> round(r.chance_to_beat_control, 4), round(r.difference_sd, 4)
/// (0.9991, 0.1281)
#[pyfunction]
#[pyo3(signature = (control, treatment, *, prior_mean = None, prior_variance = None))]
fn normal_means(
    py: Python<'_>,
    control: (f64, f64, f64),
    treatment: (f64, f64, f64),
    prior_mean: Option<f64>,
    prior_variance: Option<f64>,
) -> PyResult<PyRecord> {
    let (c, t) = (
        mean_arm(py, "control", control)?,
        mean_arm(py, "treatment", treatment)?,
    );
    let prior = prior_variance.map(|v| sig::NormalPrior {
        mean: prior_mean.unwrap_or(0.0),
        variance: v,
    });
    let r = guard(py, || sig::normal_means(&c, &t, prior.as_ref()))?;
    PyRecord::new(py, "BayesResult", &r)
}

fn power_options(
    py: Python<'_>,
    alpha: Option<f64>,
    power: Option<f64>,
    relative: Option<bool>,
    alternative: Option<&str>,
) -> PyResult<sig::PowerOptions> {
    let mut o = sig::PowerOptions::default();
    if let Some(a) = alpha {
        o.alpha = a;
    }
    if let Some(p) = power {
        o.power = p;
    }
    if let Some(r) = relative {
        o.relative = r;
    }
    if let Some(a) = alternative {
        o.alternative = parse(py, a)?;
    }
    Ok(o)
}

/// Visitors per arm (exact, fractional: round up) to detect `mde` from `baseline_rate`
/// with the z test: pooled variance under the null, unpooled under the alternative (statsmodels'
/// `samplesize_proportions_2indep_onetail`).
///
/// Parameters
/// ----------
/// baseline_rate : float
///     The control's conversion rate, in (0, 1).
/// mde : float
///     The minimum detectable effect (relative by default).
/// alpha : float, optional
///     Significance level (default 0.05).
/// power : float, optional
///     Power, 1 - beta (default 0.8).
/// relative : bool, optional
///     Whether `mde` is relative to the baseline (default True: 0.1 is +10 %).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// float
///     Visitors per arm.
///
/// Raises
/// ------
/// InvalidInputError
///     A rate outside (0, 1), an effect that moves it outside (0, 1) or is 0, alpha or power outside (0, 1).
///
/// Examples
/// --------
/// >>> import math, scaleplan
/// >>> math.ceil(scaleplan.sample_size_proportions(0.10, 0.10))
/// 14751
#[pyfunction]
#[pyo3(signature = (baseline_rate, mde, *, alpha = None, power = None, relative = None, alternative = None))]
fn sample_size_proportions(
    py: Python<'_>,
    baseline_rate: f64,
    mde: f64,
    alpha: Option<f64>,
    power: Option<f64>,
    relative: Option<bool>,
    alternative: Option<&str>,
) -> PyResult<f64> {
    let o = power_options(py, alpha, power, relative, alternative)?;
    guard(py, || sig::sample_size_proportions(baseline_rate, mde, &o))
}

/// The minimum detectable effect for `n_per_arm` visitors per arm (the inverse of
/// `sample_size_proportions`).
///
/// Parameters
/// ----------
/// baseline_rate : float
///     The control's conversion rate, in (0, 1).
/// n_per_arm : float
///     Visitors per arm.
/// alpha : float, optional
///     Significance level (default 0.05).
/// power : float, optional
///     Power, 1 - beta (default 0.8).
/// relative : bool, optional
///     Whether `mde` is relative to the baseline (default True: 0.1 is +10 %).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// float
///     The effect (relative by default).
///
/// Raises
/// ------
/// InvalidInputError
///     A rate outside (0, 1), `n_per_arm` not positive, alpha or power outside (0, 1).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> round(scaleplan.mde_proportions(0.10, 14751), 4)
/// 0.1
#[pyfunction]
#[pyo3(signature = (baseline_rate, n_per_arm, *, alpha = None, power = None, relative = None, alternative = None))]
fn mde_proportions(
    py: Python<'_>,
    baseline_rate: f64,
    n_per_arm: f64,
    alpha: Option<f64>,
    power: Option<f64>,
    relative: Option<bool>,
    alternative: Option<&str>,
) -> PyResult<f64> {
    let o = power_options(py, alpha, power, relative, alternative)?;
    guard(py, || sig::mde_proportions(baseline_rate, n_per_arm, &o))
}

/// Units per arm to detect `mde` in a mean with standard deviation `std_dev` (two-sample z approximation).
///
/// Parameters
/// ----------
/// std_dev : float
///     The metric's standard deviation per unit.
/// baseline_mean : float
///     The control's mean (the base of a relative effect).
/// mde : float
///     The minimum detectable effect (relative by default).
/// alpha : float, optional
///     Significance level (default 0.05).
/// power : float, optional
///     Power, 1 - beta (default 0.8).
/// relative : bool, optional
///     Whether `mde` is relative to the baseline (default True: 0.1 is +10 %).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// float
///     Units per arm.
///
/// Raises
/// ------
/// InvalidInputError
///     `std_dev` not positive, an effect of 0, a relative effect on a baseline of 0, alpha or power outside
///     (0, 1).
///
/// Examples
/// --------
/// >>> import math, scaleplan
/// >>> math.ceil(scaleplan.sample_size_means(250.0, 820.0, 0.02))
/// 3648
#[pyfunction]
#[pyo3(signature = (std_dev, baseline_mean, mde, *, alpha = None, power = None, relative = None, alternative = None))]
#[allow(clippy::too_many_arguments)]
fn sample_size_means(
    py: Python<'_>,
    std_dev: f64,
    baseline_mean: f64,
    mde: f64,
    alpha: Option<f64>,
    power: Option<f64>,
    relative: Option<bool>,
    alternative: Option<&str>,
) -> PyResult<f64> {
    let o = power_options(py, alpha, power, relative, alternative)?;
    guard(py, || {
        sig::sample_size_means(std_dev, baseline_mean, mde, &o)
    })
}

/// The minimum detectable effect of a mean for `n_per_arm` units per arm (the inverse of
/// `sample_size_means`).
///
/// Parameters
/// ----------
/// std_dev : float
///     The metric's standard deviation per unit.
/// baseline_mean : float
///     The control's mean (the base of a relative effect).
/// n_per_arm : float
///     Units per arm.
/// alpha : float, optional
///     Significance level (default 0.05).
/// power : float, optional
///     Power, 1 - beta (default 0.8).
/// relative : bool, optional
///     Whether `mde` is relative to the baseline (default True: 0.1 is +10 %).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// float
///     The effect (relative by default).
///
/// Raises
/// ------
/// InvalidInputError
///     `std_dev` or `n_per_arm` not positive, alpha or power outside (0, 1).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> round(scaleplan.mde_means(250.0, 820.0, 20000), 5)
/// 0.00854
#[pyfunction]
#[pyo3(signature = (std_dev, baseline_mean, n_per_arm, *, alpha = None, power = None, relative = None, alternative = None))]
#[allow(clippy::too_many_arguments)]
fn mde_means(
    py: Python<'_>,
    std_dev: f64,
    baseline_mean: f64,
    n_per_arm: f64,
    alpha: Option<f64>,
    power: Option<f64>,
    relative: Option<bool>,
    alternative: Option<&str>,
) -> PyResult<f64> {
    let o = power_options(py, alpha, power, relative, alternative)?;
    guard(py, || sig::mde_means(std_dev, baseline_mean, n_per_arm, &o))
}

/// Whether an experiment's winner is ready to scale, rule by rule: sample-ratio mismatch, runtime, the
/// primary metric's significance and lift, guardrails, and each metric's verdict, with the reasons.
///
/// Parameters
/// ----------
/// experiment : str or dict
///     The experiment (JSON text or its dict; `experiment_from_frame` builds one from rows).
/// policy : str or dict
///     The readiness policy (primary metric, alpha, minimum lift and runtime, guardrails).
///
/// Returns
/// -------
/// Record
///     `ready` (bool), `reasons` (one per rule: `rule`, `passed`, `observed`, `threshold`, `message`),
///     `verdicts`, `srm`; `to_pandas()` gives the reasons as a table.
///
/// Raises
/// ------
/// InvalidInputError
///     A malformed document (the message says where: `at metrics[1].control: ...`), bad counts, a policy
///     naming an unknown metric (`unknown_metric`).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> exp = {"name": "x", "runtime_days": 21,
/// ...        "assignment": {"control_units": 48000, "treatment_units": 48500},
/// ...        "metrics": [{"name": "conversion", "kind": "proportion",
/// ...                     "control": {"visitors": 48000, "conversions": 4800},
/// ...                     "treatment": {"visitors": 48500, "conversions": 5965}}]}
/// >>> scaleplan.assess_readiness(exp, {"primary_metric": "conversion"}).ready
/// True
#[pyfunction]
fn assess_readiness(
    py: Python<'_>,
    experiment: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
) -> PyResult<PyRecord> {
    let (e, p): (sig::Experiment, sig::ReadinessPolicy) = (
        doc(py, "experiment", experiment)?,
        doc(py, "policy", policy)?,
    );
    let r = guard(py, || sig::assess_readiness(&e, &p))?;
    PyRecord::new(py, "Readiness", &r)
}

/// A document in its canonical JSON: the exact bytes Rust and Node write for it (field order, number
/// format), after validation.
///
/// Parameters
/// ----------
/// kind : {"experiment", "policy", "readiness"}
///     What the document is.
/// document : str or dict
///     JSON text or its dict.
///
/// Returns
/// -------
/// str
///
/// Raises
/// ------
/// InvalidInputError
///     An unknown kind, or a malformed document (the message says where).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> scaleplan.canonical_json("policy", {"primary_metric": "conversion"})[:60]
/// '{"primary_metric":"conversion","alpha":0.05,"correction":"ho'
#[pyfunction]
fn canonical_json(py: Python<'_>, kind: &str, document: &Bound<'_, PyAny>) -> PyResult<String> {
    match kind {
        "experiment" => {
            let e: sig::Experiment = doc(py, "document", document)?;
            guard(py, || scaleplan::json::to_string(&e))
        }
        "policy" => {
            let p: sig::ReadinessPolicy = doc(py, "document", document)?;
            guard(py, || scaleplan::json::to_string(&p))
        }
        "readiness" => {
            let r: sig::Readiness = doc(py, "document", document)?;
            guard(py, || scaleplan::json::to_string(&r))
        }
        other => guard(py, || {
            Err(scaleplan::Error::UnknownVariant {
                field: "kind".into(),
                value: other.into(),
                expected: "\"experiment\", \"policy\", \"readiness\"",
            })
        }),
    }
}

fn column<'py>(py: Python<'py>, v: Vec<f64>) -> Bound<'py, PyArray1<f64>> {
    v.into_pyarray(py)
}

/// `two_proportions` over arrays: one test per row (segments, experiments), numpy in and out.
///
/// Parameters
/// ----------
/// control_visitors, control_conversions, treatment_visitors, treatment_conversions : array_like
///     One value per test, whole numbers.
/// alpha : float, optional
///     Significance level (default 0.05).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// dict of numpy.ndarray
///     `z`, `p_value`, `absolute_effect`, `absolute_ci_lo`, `absolute_ci_hi`, `relative_lift`,
///     `relative_ci_lo`, `relative_ci_hi` (NaN where the control rate is 0), one value per row.
///
/// Raises
/// ------
/// InvalidInputError
///     Lengths that differ, or a row that `two_proportions` refuses (the message names the row).
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> b = scaleplan.two_proportions_batch(np.array([1000, 2000.0]), np.array([100, 210.0]),
/// ...                                     np.array([1000, 2000.0]), np.array([130, 205.0]))
/// >>> np.round(b["p_value"], 4).tolist()
/// [0.0355, 0.7954]
#[pyfunction]
#[pyo3(signature = (control_visitors, control_conversions, treatment_visitors, treatment_conversions, *, alpha = None, alternative = None))]
#[allow(clippy::too_many_arguments)]
fn two_proportions_batch<'py>(
    py: Python<'py>,
    control_visitors: &Bound<'py, PyAny>,
    control_conversions: &Bound<'py, PyAny>,
    treatment_visitors: &Bound<'py, PyAny>,
    treatment_conversions: &Bound<'py, PyAny>,
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = test_options(py, alpha, alternative)?;
    let (a, b, c, d) = (
        floats(py, control_visitors)?,
        floats(py, control_conversions)?,
        floats(py, treatment_visitors)?,
        floats(py, treatment_conversions)?,
    );
    let (a, b, c, d) = (a.as_slice()?, b.as_slice()?, c.as_slice()?, d.as_slice()?);
    // Results are written straight into numpy-owned arrays: no copy, and numpy's allocator (huge
    // pages for large arrays) avoids the page-fault cost of fresh Rust vectors.
    let names = [
        "z",
        "p_value",
        "absolute_effect",
        "absolute_ci_lo",
        "absolute_ci_hi",
        "relative_lift",
        "relative_ci_lo",
        "relative_ci_hi",
    ];
    let empty = py.import("numpy")?.getattr("empty")?;
    let col = || -> PyResult<Bound<'py, PyArray1<f64>>> {
        Ok(empty.call1((a.len(),))?.cast_into::<PyArray1<f64>>()?)
    };
    let arrays = [
        col()?,
        col()?,
        col()?,
        col()?,
        col()?,
        col()?,
        col()?,
        col()?,
    ];
    {
        let [
            mut z,
            mut p,
            mut ae,
            mut lo,
            mut hi,
            mut rl,
            mut rlo,
            mut rhi,
        ] = arrays.each_ref().map(|x| x.readwrite());
        let cols = sig::ProportionsColumns {
            z: z.as_slice_mut()?,
            p_value: p.as_slice_mut()?,
            absolute_effect: ae.as_slice_mut()?,
            absolute_ci_lo: lo.as_slice_mut()?,
            absolute_ci_hi: hi.as_slice_mut()?,
            relative_lift: rl.as_slice_mut()?,
            relative_ci_lo: rlo.as_slice_mut()?,
            relative_ci_hi: rhi.as_slice_mut()?,
        };
        guard(py, || sig::two_proportions_batch_into(a, b, c, d, &o, cols))?;
    }
    let out = PyDict::new(py);
    for (name, array) in names.into_iter().zip(arrays) {
        out.set_item(name, array)?;
    }
    Ok(out)
}

/// `welch` over arrays: one test per row, numpy in and out.
///
/// Parameters
/// ----------
/// control_n, control_mean, control_variance, treatment_n, treatment_mean, treatment_variance : array_like
///     One value per test; variances with ddof = 1.
/// alpha : float, optional
///     Significance level (default 0.05).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// dict of numpy.ndarray
///     `t`, `df`, `p_value`, `absolute_effect`, `absolute_ci_lo`, `absolute_ci_hi`, `relative_lift`,
///     `relative_ci_lo`, `relative_ci_hi`, one value per row.
///
/// Raises
/// ------
/// InvalidInputError
///     Lengths that differ, or a row that `welch` refuses.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> b = scaleplan.welch_batch([1000, 500], [10.0, 5.0], [4.0, 1.0], [1000, 500], [10.3, 5.0], [4.8, 1.1])
/// >>> np.round(b["t"], 3).tolist()
/// [3.198, 0.0]
#[pyfunction]
#[pyo3(signature = (control_n, control_mean, control_variance, treatment_n, treatment_mean, treatment_variance, *, alpha = None, alternative = None))]
#[allow(clippy::too_many_arguments)]
fn welch_batch<'py>(
    py: Python<'py>,
    control_n: &Bound<'py, PyAny>,
    control_mean: &Bound<'py, PyAny>,
    control_variance: &Bound<'py, PyAny>,
    treatment_n: &Bound<'py, PyAny>,
    treatment_mean: &Bound<'py, PyAny>,
    treatment_variance: &Bound<'py, PyAny>,
    alpha: Option<f64>,
    alternative: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = test_options(py, alpha, alternative)?;
    let cols = [
        control_n,
        control_mean,
        control_variance,
        treatment_n,
        treatment_mean,
        treatment_variance,
    ]
    .into_iter()
    .map(|x| floats(py, x))
    .collect::<PyResult<Vec<_>>>()?;
    let s = cols
        .iter()
        .map(|c| c.as_slice())
        .collect::<Result<Vec<_>, _>>()?;
    let r = guard(py, || {
        sig::welch_batch(s[0], s[1], s[2], s[3], s[4], s[5], &o)
    })?;
    let out = PyDict::new(py);
    out.set_item("t", column(py, r.t))?;
    out.set_item("df", column(py, r.df))?;
    out.set_item("p_value", column(py, r.p_value))?;
    out.set_item("absolute_effect", column(py, r.absolute_effect))?;
    out.set_item("absolute_ci_lo", column(py, r.absolute_ci_lo))?;
    out.set_item("absolute_ci_hi", column(py, r.absolute_ci_hi))?;
    out.set_item("relative_lift", column(py, r.relative_lift))?;
    out.set_item("relative_ci_lo", column(py, r.relative_ci_lo))?;
    out.set_item("relative_ci_hi", column(py, r.relative_ci_hi))?;
    Ok(out)
}

/// `sequential` over arrays: the always-valid p-value of each row.
///
/// Parameters
/// ----------
/// estimate, std_error, sample_size : array_like
///     One value per look or test.
/// alpha : float, optional
///     Significance level (default 0.05).
/// tuning_sample_size : float, optional
///     Default 5,000.
///
/// Returns
/// -------
/// numpy.ndarray
///     Always-valid p-values (each row on its own: no running minimum across rows).
///
/// Raises
/// ------
/// InvalidInputError
///     Lengths that differ, or a row that `sequential` refuses.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> [round(p, 4) for p in scaleplan.sequential_batch([0.02, 0.02], [0.008, 0.004], [8000, 32000]).tolist()]
/// [0.2043, 0.0]
#[pyfunction]
#[pyo3(signature = (estimate, std_error, sample_size, *, alpha = None, tuning_sample_size = None))]
fn sequential_batch<'py>(
    py: Python<'py>,
    estimate: &Bound<'py, PyAny>,
    std_error: &Bound<'py, PyAny>,
    sample_size: &Bound<'py, PyAny>,
    alpha: Option<f64>,
    tuning_sample_size: Option<f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let o = seq_options(alpha, tuning_sample_size);
    let (a, b, c) = (
        floats(py, estimate)?,
        floats(py, std_error)?,
        floats(py, sample_size)?,
    );
    let (a, b, c) = (a.as_slice()?, b.as_slice()?, c.as_slice()?);
    guard(py, || sig::sequential_batch(a, b, c, &o)).map(|v| column(py, v))
}

/// `beta_binomial` over arrays: the chance to beat control of each row.
///
/// Parameters
/// ----------
/// control_visitors, control_conversions, treatment_visitors, treatment_conversions : array_like
///     One value per test, whole numbers.
/// prior_alpha, prior_beta : float, optional
///     The Beta prior (default 1, 1).
///
/// Returns
/// -------
/// numpy.ndarray
///     Chance to beat control, one per row.
///
/// Raises
/// ------
/// InvalidInputError
///     Lengths that differ, or a row that `beta_binomial` refuses.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> [round(p, 4) for p in scaleplan.beta_binomial_batch([1000], [100], [1000], [130]).tolist()]
/// [0.9822]
#[pyfunction]
#[pyo3(signature = (control_visitors, control_conversions, treatment_visitors, treatment_conversions, *, prior_alpha = None, prior_beta = None))]
fn beta_binomial_batch<'py>(
    py: Python<'py>,
    control_visitors: &Bound<'py, PyAny>,
    control_conversions: &Bound<'py, PyAny>,
    treatment_visitors: &Bound<'py, PyAny>,
    treatment_conversions: &Bound<'py, PyAny>,
    prior_alpha: Option<f64>,
    prior_beta: Option<f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let prior = beta_prior(prior_alpha, prior_beta);
    let (a, b, c, d) = (
        floats(py, control_visitors)?,
        floats(py, control_conversions)?,
        floats(py, treatment_visitors)?,
        floats(py, treatment_conversions)?,
    );
    let (a, b, c, d) = (a.as_slice()?, b.as_slice()?, c.as_slice()?, d.as_slice()?);
    guard(py, || sig::beta_binomial_batch(a, b, c, d, &prior)).map(|v| column(py, v))
}

/// `sample_size_proportions` over arrays (a table of baselines and effects).
///
/// Parameters
/// ----------
/// baseline_rate, mde : array_like
///     One value per row.
/// alpha : float, optional
///     Significance level (default 0.05).
/// power : float, optional
///     Power, 1 - beta (default 0.8).
/// relative : bool, optional
///     Whether `mde` is relative to the baseline (default True: 0.1 is +10 %).
/// alternative : {"two-sided", "greater", "less"}, optional
///     Default "two-sided".
///
/// Returns
/// -------
/// numpy.ndarray
///     Visitors per arm, one per row.
///
/// Raises
/// ------
/// InvalidInputError
///     Lengths that differ, or a row that `sample_size_proportions` refuses.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> np.ceil(scaleplan.sample_size_proportions_batch([0.10, 0.05], [0.10, 0.10])).tolist()
/// [14751.0, 31234.0]
#[pyfunction]
#[pyo3(signature = (baseline_rate, mde, *, alpha = None, power = None, relative = None, alternative = None))]
fn sample_size_proportions_batch<'py>(
    py: Python<'py>,
    baseline_rate: &Bound<'py, PyAny>,
    mde: &Bound<'py, PyAny>,
    alpha: Option<f64>,
    power: Option<f64>,
    relative: Option<bool>,
    alternative: Option<&str>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let o = power_options(py, alpha, power, relative, alternative)?;
    let (a, b) = (floats(py, baseline_rate)?, floats(py, mde)?);
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    guard(py, || sig::sample_size_proportions_batch(a, b, &o)).map(|v| column(py, v))
}

/// One arm's summary from its rows, as the experiment JSON writes it: `kind` "proportion" (`a`: the
/// conversions, `b`: the visitors per row or None for one visitor per row), "mean" (`a`: per-unit
/// values) or "ratio" (`a`: numerators, `b`: denominators). `scaleplan.experiment_from_frame` calls it.
#[pyfunction]
#[pyo3(signature = (kind, a, b = None))]
fn _arm_summary(
    py: Python<'_>,
    kind: &str,
    a: &Bound<'_, PyAny>,
    b: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let a = floats(py, a)?;
    let b = b.map(|b| floats(py, b)).transpose()?;
    let (a, b) = (a.as_slice()?, b.as_ref().map(|b| b.as_slice()).transpose()?);
    match kind {
        "proportion" => to_py(py, &guard(py, || sig::proportion_from_rows(b, a))?),
        "mean" => to_py(py, &guard(py, || sig::mean_from_units(a))?),
        "ratio" => {
            let b = b.ok_or_else(|| {
                pyo3::exceptions::PyTypeError::new_err("a ratio metric needs its denominators")
            })?;
            to_py(py, &guard(py, || sig::ratio_from_units(a, b))?)
        }
        other => Err(to_py_err(
            py,
            scaleplan::Error::UnknownVariant {
                field: "kind".into(),
                value: other.into(),
                expected: "proportion, mean or ratio",
            },
        )),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProportionsResult>()?;
    m.add_class::<PyWelchResult>()?;
    m.add_class::<PyRecord>()?;
    crate::pickle::register(m)?;
    m.add_function(wrap_pyfunction!(_record_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(_arm_summary, m)?)?;
    m.add_function(wrap_pyfunction!(two_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(welch, m)?)?;
    m.add_function(wrap_pyfunction!(ratio, m)?)?;
    m.add_function(wrap_pyfunction!(cuped, m)?)?;
    m.add_function(wrap_pyfunction!(srm, m)?)?;
    m.add_function(wrap_pyfunction!(holm, m)?)?;
    m.add_function(wrap_pyfunction!(benjamini_hochberg, m)?)?;
    m.add_function(wrap_pyfunction!(sequential, m)?)?;
    m.add_function(wrap_pyfunction!(beta_binomial, m)?)?;
    m.add_function(wrap_pyfunction!(normal_means, m)?)?;
    m.add_function(wrap_pyfunction!(sample_size_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(mde_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(sample_size_means, m)?)?;
    m.add_function(wrap_pyfunction!(mde_means, m)?)?;
    m.add_function(wrap_pyfunction!(assess_readiness, m)?)?;
    m.add_function(wrap_pyfunction!(canonical_json, m)?)?;
    m.add_function(wrap_pyfunction!(two_proportions_batch, m)?)?;
    m.add_function(wrap_pyfunction!(welch_batch, m)?)?;
    m.add_function(wrap_pyfunction!(sequential_batch, m)?)?;
    m.add_function(wrap_pyfunction!(beta_binomial_batch, m)?)?;
    m.add_function(wrap_pyfunction!(sample_size_proportions_batch, m)?)?;
    Ok(())
}
