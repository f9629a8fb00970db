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
    guard(py, || {
        scaleplan::json::from_str(&text).map_err(|e: scaleplan::Error| e.in_argument(name))
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

/// Ratio metric by the delta method; arms are dicts `{n, sum_x, sum_y, sum_x2, sum_y2, sum_xy}`.
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

/// CUPED; arms are dicts `{n, mean, variance, covariate_mean, covariate_variance, covariance}`.
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

/// Sample-ratio mismatch: chi-square goodness of fit of arm counts against the configured weights.
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

/// Holm adjusted p-values (numpy array, input order).
#[pyfunction]
fn holm<'py>(py: Python<'py>, p_values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = floats(py, p_values)?;
    let s = a.as_slice()?;
    guard(py, || sig::holm(s)).map(|v| v.into_pyarray(py))
}

/// Benjamini–Hochberg adjusted p-values (numpy array, input order).
#[pyfunction]
fn benjamini_hochberg<'py>(
    py: Python<'py>,
    p_values: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = floats(py, p_values)?;
    let s = a.as_slice()?;
    guard(py, || sig::benjamini_hochberg(s)).map(|v| v.into_pyarray(py))
}

/// Always-valid p-value and confidence sequence (mSPRT).
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

/// Beta-binomial chance to beat control and expected losses; arms are `(visitors, conversions)`.
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

/// Normal chance to beat control for means; arms are `(n, mean, variance)`; optional normal prior on the difference.
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

/// Visitors per arm (exact, fractional) to detect `mde` from `baseline_rate`.
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

/// The minimum detectable effect for `n_per_arm` visitors per arm.
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

/// Units per arm to detect `mde` in a mean with standard deviation `std_dev`.
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

/// The minimum detectable effect of a mean for `n_per_arm` units per arm.
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

/// Canonical JSON text of an `experiment`, `policy` or `readiness` document (the same bytes as Rust and Node).
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

/// Batch two-proportion tests over equal-length arrays; returns a dict of numpy arrays.
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

/// Batch Welch tests over equal-length arrays; returns a dict of numpy arrays.
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

/// Batch always-valid p-values.
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

/// Batch chances to beat control (beta-binomial).
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

/// Batch sample sizes per arm.
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
