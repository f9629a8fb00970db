//! `scaleplan` forecasting: `forecast`, `growth_rate`, `exhaustion`, `savings`.

use numpy::{PyArray1, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use scaleplan::forecast as fc;

use crate::convert::{floats, frozen_array, to_py};
use crate::errors::guard;
use crate::significance::doc;

/// A forecast: `mean`, `lower`, `upper` (numpy arrays) and the `model` it used.
#[pyclass(name = "Forecast", module = "scaleplan", frozen)]
pub struct PyForecast {
    /// The core's result without its three arrays, which live in the numpy arrays below.
    inner: fc::Forecast,
    mean: Py<PyArray1<f64>>,
    lower: Py<PyArray1<f64>>,
    upper: Py<PyArray1<f64>>,
}

impl PyForecast {
    /// The core's forecast with its arrays back in.
    fn whole(&self, py: Python<'_>) -> PyResult<fc::Forecast> {
        let mut f = self.inner.clone();
        f.mean = self.mean.bind(py).to_vec()?;
        f.lower = self.lower.bind(py).to_vec()?;
        f.upper = self.upper.bind(py).to_vec()?;
        Ok(f)
    }

    pub(crate) fn new(py: Python<'_>, mut inner: fc::Forecast) -> PyResult<Self> {
        Ok(PyForecast {
            mean: frozen_array(py, std::mem::take(&mut inner.mean))?,
            lower: frozen_array(py, std::mem::take(&mut inner.lower))?,
            upper: frozen_array(py, std::mem::take(&mut inner.upper))?,
            inner,
        })
    }
}

#[pymethods]
impl PyForecast {
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
    /// Pickles as the core's JSON of the forecast, its arrays included.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        crate::pickle::reduce(py, "Forecast", &self.whole(py)?)
    }
    /// Point forecasts.
    #[getter]
    fn mean<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.mean.bind(py).clone()
    }
    /// Lower bounds of the interval.
    #[getter]
    fn lower<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.lower.bind(py).clone()
    }
    /// Upper bounds of the interval.
    #[getter]
    fn upper<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.upper.bind(py).clone()
    }
    /// E.g. "ETS(M,Ad,M)" or "SeasonalNaive(12)".
    #[getter]
    fn model(&self) -> String {
        self.inner.model.clone()
    }
    /// The interval level in percent.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }
    /// The season used, if any.
    #[getter]
    fn season_length(&self) -> Option<usize> {
        self.inner.season_length
    }
    /// AICc of the chosen ETS model.
    #[getter]
    fn aicc(&self) -> Option<f64> {
        self.inner.aicc
    }
    /// Standard deviation of the one-step errors.
    #[getter]
    fn sigma(&self) -> f64 {
        self.inner.sigma
    }
    /// Smoothing parameters (dict: alpha, beta, gamma, phi, and `initial_season`: "first_seasons",
    /// "whole_series", "searched" or None) or None.
    #[getter]
    fn params(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.params)
    }
    /// The models compared, best first.
    #[getter]
    fn candidates(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.candidates)
    }
    /// What was done differently from the request, and why.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.inner.notes.clone()
    }
    /// Everything as a dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut whole = self.inner.clone();
        whole.mean = self.mean.bind(py).to_vec()?;
        whole.lower = self.lower.bind(py).to_vec()?;
        whole.upper = self.upper.bind(py).to_vec()?;
        to_py(py, &whole)
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Forecast(model={:?}, horizon={}, level={})",
            self.inner.model,
            self.mean.bind(py).len(),
            self.inner.level
        )
    }
}

/// A forecast `horizon` periods ahead with its prediction interval (exponential smoothing, as R's
/// `forecast::ets` and statsforecast's AutoETS).
///
/// Parameters
/// ----------
/// values : array-like
///     The history, oldest first (positive for multiplicative models).
/// horizon : int
///     Periods ahead.
/// season_length : int, optional
///     Periods per season (12 for monthly data with a yearly cycle); none by default.
/// level : float, default 95.0
///     The interval's level in percent.
/// model : str, default "auto"
///     "auto" (the lowest AICc over the admissible ETS models), an ETS model such as "ETS(A,Ad,N)", or
///     "seasonal_naive".
/// thorough : bool, default False
///     Search the initial seasonal states by likelihood, as R does (slower; on M3 less accurate).
///
/// Returns
/// -------
/// Forecast
///     `mean`, `lower`, `upper` (numpy arrays), `model`, `params`; `to_pandas()` and `scaleplan.plot.forecast`.
///
/// Raises
/// ------
/// InvalidInputError
///     Too few values for the model (`too_few_observations`, with the minimum), NaN or infinite values,
///     an unknown model name.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> f = scaleplan.forecast(100 + 2.0 * np.arange(36), 3)
/// >>> f.model, np.round(f.mean, 1).tolist()
/// ('ETS(A,A,N)', [172.0, 174.0, 176.0])
#[pyfunction]
#[pyo3(signature = (values, horizon, season_length = None, level = 95.0, *, model = "auto", thorough = false))]
fn forecast(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    horizon: usize,
    season_length: Option<usize>,
    level: f64,
    model: &str,
    thorough: bool,
) -> PyResult<PyForecast> {
    let o = options(horizon, season_length, level, model, thorough);
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    let inner = guard(py, || py.detach(|| fc::forecast(v, &o)))?;
    PyForecast::new(py, inner)
}

/// The core's options from the keyword arguments `forecast` and `backtest` share.
fn options(
    horizon: usize,
    season_length: Option<usize>,
    level: f64,
    model: &str,
    thorough: bool,
) -> fc::ForecastOptions {
    fc::ForecastOptions {
        horizon,
        season_length,
        level,
        model: match model {
            "auto" => fc::ModelChoice::Auto,
            "seasonal_naive" => fc::ModelChoice::SeasonalNaive,
            other => fc::ModelChoice::Ets(other.to_string()),
        },
        thorough,
    }
}

/// Rolling-origin backtest of `forecast`: `windows` origins `step` periods apart, the last one `horizon`
/// periods before the end; each window's forecast, sMAPE, MASE and interval coverage, beside the
/// seasonal-naive benchmark from the same origins (statsforecast's `cross_validation`).
///
/// Parameters
/// ----------
/// values : array_like
///     The history, oldest first.
/// horizon : int
///     Periods ahead at each origin.
/// season_length : int, optional
///     Periods per season.
/// level : float, optional
///     The interval's level in percent (default 95).
/// windows : int, optional
///     Origins (default 3).
/// step : int, optional
///     Periods between origins (default: the horizon).
/// model : str, optional
///     As `forecast` (default "auto").
/// thorough : bool, optional
///     As `forecast`.
///
/// Returns
/// -------
/// dict
///     `horizon`, `step`, `windows` (each `cutoff`, `actual`, `model`, `mean`, `lower`, `upper`,
///     `accuracy`, `benchmark`), the pooled `accuracy` and `benchmark`, `summary`; `scaleplan.to_pandas(b)` gives one row per window.
///
/// Raises
/// ------
/// InvalidInputError
///     Too few values for the windows and the model (`too_few_observations`), NaN.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> t = np.arange(120)
/// >>> y = 100 + 0.5 * t + 5 * np.sin(t * np.pi / 6) + np.random.default_rng(1).normal(0, 1, 120)
/// >>> b = scaleplan.backtest(y, 12, season_length=12, windows=2)
/// >>> [w["cutoff"] for w in b["windows"]], [round(w["accuracy"]["smape"], 3) for w in b["windows"]]
/// ([96, 108], [0.51, 0.409])
#[pyfunction]
#[pyo3(signature = (values, horizon, season_length = None, level = 95.0, *, windows = 3, step = None, model = "auto", thorough = false))]
#[allow(clippy::too_many_arguments)]
fn backtest(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    horizon: usize,
    season_length: Option<usize>,
    level: f64,
    windows: usize,
    step: Option<usize>,
    model: &str,
    thorough: bool,
) -> PyResult<Py<PyAny>> {
    let o = options(horizon, season_length, level, model, thorough);
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    let b = guard(py, || py.detach(|| fc::backtest(v, &o, windows, step)))?;
    to_py(py, &b)
}

/// `forecast` of every series of a panel (`values` end to end, series i is
/// `values[offsets[i]:offsets[i+1]]`) in parallel with the GIL released (`n_jobs`: -1 or None for every
/// core); the forecasts in series order. `scaleplan.forecast_many` takes a long DataFrame.
#[pyfunction]
#[pyo3(signature = (values, offsets, horizon, season_length = None, level = 95.0, *, model = "auto", thorough = false, n_jobs = None))]
#[allow(clippy::too_many_arguments)]
fn _forecast_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    offsets: Vec<usize>,
    horizon: usize,
    season_length: Option<usize>,
    level: f64,
    model: &str,
    thorough: bool,
    n_jobs: Option<i64>,
) -> PyResult<Vec<PyForecast>> {
    let o = options(horizon, season_length, level, model, thorough);
    let threads = crate::convert::n_jobs(n_jobs)?;
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    let fs = guard(py, || {
        let p = scaleplan::panel::Panel::new(v, &offsets)?;
        py.detach(|| fc::forecast_many(&p, &o, threads))
    })?;
    fs.into_iter().map(|f| PyForecast::new(py, f)).collect()
}

/// `backtest` of every series of a panel in parallel (as `_forecast_many`); the backtests as dicts.
#[pyfunction]
#[pyo3(signature = (values, offsets, horizon, season_length = None, level = 95.0, *, windows = 3, step = None, model = "auto", thorough = false, n_jobs = None))]
#[allow(clippy::too_many_arguments)]
fn _backtest_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    offsets: Vec<usize>,
    horizon: usize,
    season_length: Option<usize>,
    level: f64,
    windows: usize,
    step: Option<usize>,
    model: &str,
    thorough: bool,
    n_jobs: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let o = options(horizon, season_length, level, model, thorough);
    let threads = crate::convert::n_jobs(n_jobs)?;
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    let bs = guard(py, || {
        let p = scaleplan::panel::Panel::new(v, &offsets)?;
        py.detach(|| fc::backtest_many(&p, &o, windows, step, threads))
    })?;
    to_py(py, &bs)
}

/// `exhaustion` of every series of a panel against one capacity, in parallel (as `_forecast_many`).
#[pyfunction]
#[pyo3(signature = (values, offsets, capacity, horizon, season_length = None, *, n_jobs = None))]
fn _exhaustion_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    offsets: Vec<usize>,
    capacity: f64,
    horizon: usize,
    season_length: Option<usize>,
    n_jobs: Option<i64>,
) -> PyResult<Vec<PyExhaustion>> {
    let threads = crate::convert::n_jobs(n_jobs)?;
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    let es = guard(py, || {
        let p = scaleplan::panel::Panel::new(v, &offsets)?;
        py.detach(|| fc::exhaustion_many(&p, capacity, horizon, season_length, threads))
    })?;
    es.into_iter()
        .map(|inner| {
            let forecast = Py::new(py, PyForecast::new(py, inner.forecast.clone())?)?;
            Ok(PyExhaustion { inner, forecast })
        })
        .collect()
}

/// A compound growth rate per period.
#[pyclass(name = "GrowthRate", module = "scaleplan", frozen)]
pub struct PyGrowth {
    inner: fc::GrowthRate,
}

#[pymethods]
impl PyGrowth {
    /// Pickles as the core's JSON of the estimate.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        crate::pickle::reduce(py, "GrowthRate", &self.inner)
    }

    /// Per-period rate (0.10 is 10 %).
    #[getter]
    fn rate(&self) -> f64 {
        self.inner.rate
    }
    /// 95 % confidence interval of the rate.
    #[getter]
    fn ci(&self) -> (f64, f64) {
        self.inner.ci
    }
    /// In [0, 1]: adjusted R² of the log-linear fit.
    #[getter]
    fn confidence(&self) -> f64 {
        self.inner.confidence
    }
    /// "high", "medium" or "low".
    #[getter]
    fn confidence_label(&self) -> String {
        self.inner.confidence_label.clone()
    }
    /// Projections 1, 3 and 12 periods ahead (dicts).
    #[getter]
    fn projections(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.projections)
    }
    /// In words.
    #[getter]
    fn reason(&self) -> String {
        self.inner.reason.clone()
    }
    /// Everything as a dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "GrowthRate(rate={:.4}, confidence={:.3})",
            self.inner.rate, self.inner.confidence
        )
    }
}

/// The forecasting results rebuilt from their JSON (pickle).
pub(crate) fn unpickle(py: Python<'_>, kind: &str, json: &str) -> Option<PyResult<Py<PyAny>>> {
    let r = match kind {
        "Forecast" => crate::pickle::read::<fc::Forecast>(py, json)
            .and_then(|f| Py::new(py, PyForecast::new(py, f)?).map(Py::into_any)),
        "GrowthRate" => crate::pickle::read::<fc::GrowthRate>(py, json)
            .and_then(|inner| Py::new(py, PyGrowth { inner }).map(Py::into_any)),
        "Exhaustion" => crate::pickle::read::<fc::Exhaustion>(py, json).and_then(|inner| {
            let forecast = Py::new(py, PyForecast::new(py, inner.forecast.clone())?)?;
            Py::new(py, PyExhaustion { inner, forecast }).map(Py::into_any)
        }),
        _ => return None,
    };
    Some(r)
}

/// The compound growth rate per period of a positive series (a log-linear least-squares fit) with its
/// 95 % confidence interval.
///
/// Parameters
/// ----------
/// values : array-like
///     Positive values, oldest first, at least 3.
///
/// Returns
/// -------
/// GrowthRate
///     `rate` (0.10 is 10 % per period), `ci`, `doubling_periods` and the fit's figures.
///
/// Raises
/// ------
/// InvalidInputError
///     Fewer than 3 values, a value ≤ 0, NaN or infinite values.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> round(scaleplan.growth_rate(100 * 1.05 ** np.arange(24)).rate, 6)
/// 0.05
#[pyfunction]
fn growth_rate(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<PyGrowth> {
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    Ok(PyGrowth {
        inner: guard(py, || fc::growth_rate(v))?,
    })
}

/// When a capacity runs out.
#[pyclass(name = "Exhaustion", module = "scaleplan", frozen)]
pub struct PyExhaustion {
    inner: fc::Exhaustion,
    /// The forecast behind the answer, made once.
    forecast: Py<PyForecast>,
}

#[pymethods]
impl PyExhaustion {
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
    /// Pickles as the core's JSON of the answer (its forecast included).
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        crate::pickle::reduce(py, "Exhaustion", &self.inner)
    }

    /// First period (1-based) the forecast reaches the capacity, or None within the horizon.
    #[getter]
    fn period(&self) -> Option<usize> {
        self.inner.period
    }
    /// First period the upper band reaches it, or None.
    #[getter]
    fn upper_period(&self) -> Option<usize> {
        self.inner.upper_period
    }
    /// The last value is already at or above the capacity.
    #[getter]
    fn already_exceeded(&self) -> bool {
        self.inner.already_exceeded
    }
    /// The capacity.
    #[getter]
    fn capacity(&self) -> f64 {
        self.inner.capacity
    }
    /// The forecast behind the answer.
    #[getter]
    fn forecast<'py>(&self, py: Python<'py>) -> Bound<'py, PyForecast> {
        self.forecast.bind(py).clone()
    }
    /// In words.
    #[getter]
    fn reason(&self) -> String {
        self.inner.reason.clone()
    }
    /// Everything as a dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Exhaustion(period={}, upper_period={})",
            py_option(self.inner.period),
            py_option(self.inner.upper_period)
        )
    }
}

/// An optional count as Python writes it (`None`, `12`), not as Rust does (`Some(12)`).
fn py_option(x: Option<usize>) -> String {
    x.map_or_else(|| "None".to_string(), |v| v.to_string())
}

/// When a series reaches a capacity: the first forecast period at or above it, and the first period its
/// upper band does (the early warning).
///
/// Parameters
/// ----------
/// values : array-like
///     The history of the used quantity (requests, GB, cores).
/// capacity : float
///     The limit.
/// horizon : int
///     Periods to look ahead.
/// season_length : int, optional
///     As `forecast`.
///
/// Returns
/// -------
/// Exhaustion
///     `period` and `upper_period` (1-based periods ahead, None when not within the horizon),
///     `already_exceeded`, `forecast`, `reason`.
///
/// Raises
/// ------
/// InvalidInputError
///     As `forecast`, and a capacity that is NaN or infinite.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> e = scaleplan.exhaustion(100 + 2.0 * np.arange(36), 180.0, 12)
/// >>> e.period
/// 5
#[pyfunction]
#[pyo3(signature = (values, capacity, horizon, season_length = None))]
fn exhaustion(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    capacity: f64,
    horizon: usize,
    season_length: Option<usize>,
) -> PyResult<PyExhaustion> {
    let v = floats(py, values)?;
    let v = v.as_slice()?;
    let inner = guard(py, || {
        py.detach(|| fc::exhaustion(v, capacity, horizon, season_length))
    })?;
    let forecast = Py::new(py, PyForecast::new(py, inner.forecast.clone())?)?;
    Ok(PyExhaustion { inner, forecast })
}

/// Savings recommendations for under-used resources: downsize where the 95th percentile of utilisation is
/// low, and reserved capacity for steady use, each with its monthly saving, confidence and expiry.
///
/// Parameters
/// ----------
/// resources : list of dict
///     `{id, units, unit_monthly_cost: {amount, currency}, utilisation: [percent ...], observed_days,
///     reserved_discount}`.
/// options : dict
///     `as_of` ("YYYY-MM-DD"), `downsize_below` (30), `target_utilisation` (60), `valid_days` (30),
///     `full_confidence_days` (30).
///
/// Returns
/// -------
/// list of dict
///     `id`, `action`, `monthly_saving` (Decimal), `confidence`, `status` ("pending"), `created`,
///     `expires`, `reason`, `history`; `recommendation_step` moves one through its lifecycle.
///
/// Raises
/// ------
/// InvalidInputError
///     Utilisation outside [0, 100], an empty history, a float amount, a bad date.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> recs = scaleplan.savings(
/// ...     [{"id": "web", "units": 10, "unit_monthly_cost": {"amount": "70.00", "currency": "USD"},
/// ...       "utilisation": [12, 15, 18, 14, 16, 13, 17], "observed_days": 30, "reserved_discount": "0.30"}],
/// ...     {"as_of": "2026-07-01"})
/// >>> [(r["action"]["kind"], r["monthly_saving"]["amount"]) for r in recs]
/// [('downsize', Decimal('490.00')), ('reserve', Decimal('63.00'))]
#[pyfunction]
fn savings(
    py: Python<'_>,
    resources: &Bound<'_, PyAny>,
    options: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let r: Vec<fc::savings::ResourceUsage> = doc(py, "resources", resources)?;
    let o: fc::savings::SavingsOptions = doc(py, "options", options)?;
    let recs = guard(py, || fc::savings::recommend(&r, &o))?;
    to_py(py, &recs)
}

/// A savings recommendation after one lifecycle step: pending -> approved -> implemented, or rejected, or
/// expired; the step is added to its history and the input is not changed.
///
/// Parameters
/// ----------
/// recommendation : dict
///     As `savings` returns it.
/// step : {"approve", "implement", "reject", "expire"}
/// date : str
///     "YYYY-MM-DD".
/// actor : str, optional
///     Who took the step.
///
/// Returns
/// -------
/// dict
///     The recommendation with its new `status` and `history`.
///
/// Raises
/// ------
/// IllegalTransitionError
///     A step its status does not allow (rejecting an implemented one).
/// InvalidInputError
///     An unknown step (`unknown_variant`), a bad date.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> rec = scaleplan.savings(
/// ...     [{"id": "web", "units": 10, "unit_monthly_cost": {"amount": "70.00", "currency": "USD"},
/// ...       "utilisation": [12, 15, 18, 14, 16, 13, 17], "observed_days": 30}], {"as_of": "2026-07-01"})[0]
/// >>> r = scaleplan.recommendation_step(rec, "approve", "2026-07-01", "lead")
/// >>> r["status"], rec["status"], [h["actor"] for h in r["history"]]
/// ('approved', 'pending', ['', 'lead'])
#[pyfunction]
#[pyo3(signature = (recommendation, step, date, actor = ""))]
fn recommendation_step(
    py: Python<'_>,
    recommendation: &Bound<'_, PyAny>,
    step: &str,
    date: &str,
    actor: &str,
) -> PyResult<Py<PyAny>> {
    let mut r: fc::savings::Recommendation = doc(py, "recommendation", recommendation)?;
    let s: fc::savings::Step = guard(py, || step.parse())?;
    let d = guard(py, || scaleplan::anomaly::budget::Date::parse("date", date))?;
    guard(py, || r.apply(s, d, actor))?;
    to_py(py, &r)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(recommendation_step, m)?)?;
    m.add_class::<PyForecast>()?;
    m.add_class::<PyGrowth>()?;
    m.add_class::<PyExhaustion>()?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(growth_rate, m)?)?;
    m.add_function(wrap_pyfunction!(exhaustion, m)?)?;
    m.add_function(wrap_pyfunction!(savings, m)?)?;
    m.add_function(wrap_pyfunction!(_forecast_many, m)?)?;
    m.add_function(wrap_pyfunction!(_backtest_many, m)?)?;
    m.add_function(wrap_pyfunction!(_exhaustion_many, m)?)?;
    Ok(())
}
