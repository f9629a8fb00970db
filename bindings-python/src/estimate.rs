//! `scaleplan` resource-estimation functions: each converts, calls one core function, converts back.
//! Money goes in as `decimal.Decimal` (or an exact string or int; floats are refused by the core) and
//! comes out as `decimal.Decimal`.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use scaleplan::estimate as est;

use crate::convert::{floats, json_text, parse, to_py};
use crate::errors::guard;
use crate::significance::{PyRecord, doc};

fn count(py: Python<'_>, field: &str, x: f64) -> PyResult<u64> {
    guard(py, || scaleplan::count_from_f64(field, x))
}

fn catalog(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<est::PriceCatalog> {
    let text = json_text(py, x)?;
    guard(py, || est::PriceCatalog::from_json(&text))
}

/// A fitted Universal Scalability Law model (attributes mirror the Rust `UslFit`).
#[pyclass(name = "UslFit", module = "scaleplan", frozen)]
pub struct PyUslFit {
    inner: est::UslFit,
}

#[pymethods]
impl PyUslFit {
    /// Pickles as the core's JSON of the fit.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        crate::pickle::reduce(py, "UslFit", &self.inner)
    }

    /// Throughput of one unit of concurrency, λ (`lambda` in JSON).
    #[getter]
    fn lambda_(&self) -> f64 {
        self.inner.lambda_
    }
    /// Contention σ.
    #[getter]
    fn sigma(&self) -> f64 {
        self.inner.sigma
    }
    /// Coherency κ.
    #[getter]
    fn kappa(&self) -> f64 {
        self.inner.kappa
    }
    /// N* = max(1, sqrt((1 - σ) / κ)); None when κ = 0.
    #[getter]
    fn peak_concurrency(&self) -> Option<f64> {
        self.inner.peak_concurrency
    }
    /// X(N*); None when κ = 0.
    #[getter]
    fn peak_throughput(&self) -> Option<f64> {
        self.inner.peak_throughput
    }
    /// 1 - SSE / SST.
    #[getter]
    fn r_squared(&self) -> f64 {
        self.inner.r_squared
    }
    /// sqrt(SSE / (n - 3)); None with 3 points.
    #[getter]
    fn residual_std_error(&self) -> Option<f64> {
        self.inner.residual_std_error
    }
    /// Coefficients held on a bound by the fit (e.g. ["kappa"]); they have no standard error.
    #[getter]
    fn at_bound(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.at_bound)
    }
    /// Standard errors by name ({"lambda", "sigma", "kappa"}); None on a bound and with 3 points.
    #[getter]
    fn std_errors(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.std_errors)
    }
    /// 95% intervals by name, each {"lo", "hi"} (t with n - 3 df); None where the standard error is.
    #[getter]
    fn intervals(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.intervals)
    }
    /// Residual degrees of freedom, n - 3.
    #[getter]
    fn df(&self) -> u64 {
        self.inner.df
    }
    /// Predicted throughput at concurrency `n`.
    fn throughput(&self, py: Python<'_>, n: f64) -> PyResult<f64> {
        guard(py, || self.inner.throughput(n))
    }
    /// A warning when `target` lies past the peak (adding nodes lowers throughput), else None.
    fn past_peak_warning(&self, target: f64) -> Option<String> {
        self.inner.past_peak_warning(target)
    }
    /// The canonical JSON (the same bytes as Rust and Node).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || scaleplan::json::to_string(&self.inner))
    }
    /// A plain dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner)
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("UslFit({})", self.to_json(py)?))
    }
}

/// M/M/c queue metrics (attributes mirror the Rust `ErlangC`).
#[pyclass(name = "ErlangC", module = "scaleplan", frozen)]
pub struct PyErlangC {
    inner: est::ErlangC,
}

#[pymethods]
impl PyErlangC {
    /// Pickles as the core's JSON of the model.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        crate::pickle::reduce(py, "ErlangC", &self.inner)
    }

    /// Arrival rate λ.
    #[getter]
    fn arrival_rate(&self) -> f64 {
        self.inner.arrival_rate
    }
    /// Mean service time.
    #[getter]
    fn mean_service_time(&self) -> f64 {
        self.inner.mean_service_time
    }
    /// Servers c.
    #[getter]
    fn servers(&self) -> u64 {
        self.inner.servers
    }
    /// Offered load a = λ s, in Erlangs.
    #[getter]
    fn offered_load(&self) -> f64 {
        self.inner.offered_load
    }
    /// Utilisation a / c.
    #[getter]
    fn utilization(&self) -> f64 {
        self.inner.utilization
    }
    /// Probability of waiting, C(c, a).
    #[getter]
    fn p_wait(&self) -> f64 {
        self.inner.p_wait
    }
    /// Mean wait in the queue.
    #[getter]
    fn mean_wait(&self) -> f64 {
        self.inner.mean_wait
    }
    /// Mean number waiting (Little's law).
    #[getter]
    fn mean_queue_length(&self) -> f64 {
        self.inner.mean_queue_length
    }
    /// P(W <= answer_time) when an answer time was given.
    #[getter]
    fn service_level(&self) -> Option<f64> {
        self.inner.service_level
    }
    /// The answer time of `service_level`.
    #[getter]
    fn answer_time(&self) -> Option<f64> {
        self.inner.answer_time
    }
    /// The p-quantile of the waiting time.
    fn wait_percentile(&self, py: Python<'_>, p: f64) -> PyResult<f64> {
        guard(py, || self.inner.wait_percentile(p))
    }
    /// P(W <= t).
    fn service_level_at(&self, py: Python<'_>, t: f64) -> PyResult<f64> {
        guard(py, || self.inner.service_level_at(t))
    }
    /// The canonical JSON (the same bytes as Rust and Node).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || scaleplan::json::to_string(&self.inner))
    }
    /// A plain dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner)
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("ErlangC({})", self.to_json(py)?))
    }
}

/// Totals of line items `{name, quantity, unit_price, kind}` (amounts as Decimal or exact strings).
#[pyfunction]
#[pyo3(signature = (line_items, currency = "USD"))]
fn cost_totals(
    py: Python<'_>,
    line_items: &Bound<'_, PyAny>,
    currency: &str,
) -> PyResult<PyRecord> {
    let items: Vec<est::LineItem> = doc(py, "line_items", line_items)?;
    let c: scaleplan::money::Currency = parse(py, currency)?;
    let t = guard(py, || est::cost_totals(&items, c))?;
    PyRecord::new(py, "CostTotals", &t)
}

/// Fits the USL to load-test points.
#[pyfunction]
fn usl_fit(
    py: Python<'_>,
    concurrency: &Bound<'_, PyAny>,
    throughput: &Bound<'_, PyAny>,
) -> PyResult<PyUslFit> {
    let (n, x) = (floats(py, concurrency)?, floats(py, throughput)?);
    let (n, x) = (n.as_slice()?, x.as_slice()?);
    guard(py, || est::usl_fit(n, x)).map(|inner| PyUslFit { inner })
}

/// Erlang C metrics of an M/M/c queue.
#[pyfunction]
#[pyo3(signature = (arrival_rate, mean_service_time, servers, answer_time = None))]
fn erlang_c(
    py: Python<'_>,
    arrival_rate: f64,
    mean_service_time: f64,
    servers: f64,
    answer_time: Option<f64>,
) -> PyResult<PyErlangC> {
    let c = count(py, "servers", servers)?;
    guard(py, || {
        est::erlang_c(arrival_rate, mean_service_time, c, answer_time)
    })
    .map(|inner| PyErlangC { inner })
}

/// The fewest servers meeting `criterion` (`service_level_at_least`, `p_wait_at_most`,
/// `wait_percentile_at_most`).
#[pyfunction]
#[pyo3(signature = (arrival_rate, mean_service_time, criterion, value, answer_time = None))]
fn min_servers(
    py: Python<'_>,
    arrival_rate: f64,
    mean_service_time: f64,
    criterion: &str,
    value: f64,
    answer_time: Option<f64>,
) -> PyResult<PyErlangC> {
    let c: est::ServerCriterion = parse(py, criterion)?;
    guard(py, || {
        est::min_servers(arrival_rate, mean_service_time, c, value, answer_time)
    })
    .map(|inner| PyErlangC { inner })
}

/// `min_servers` for an array of arrival rates; returns the server counts as a numpy int64 array.
#[pyfunction]
#[pyo3(signature = (arrival_rates, mean_service_time, criterion, value, answer_time = None))]
fn min_servers_batch<'py>(
    py: Python<'py>,
    arrival_rates: &Bound<'py, PyAny>,
    mean_service_time: f64,
    criterion: &str,
    value: f64,
    answer_time: Option<f64>,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let c: est::ServerCriterion = parse(py, criterion)?;
    let rates = floats(py, arrival_rates)?;
    let rates = rates.as_slice()?;
    let out = guard(py, || {
        est::min_servers_batch(rates, mean_service_time, c, value, answer_time)
    })?;
    Ok(out
        .into_iter()
        .map(|s| i64::try_from(s).unwrap_or(i64::MAX))
        .collect::<Vec<_>>()
        .into_pyarray(py))
}

/// The Kubernetes HPA replica rule; pods are `{state, request_milli, usage_milli}`; `tolerance` is a
/// number or `{scale_up, scale_down}` (the core's default when omitted).
#[pyfunction]
#[pyo3(signature = (current_replicas, pods, target_utilization_percent, tolerance = None))]
fn hpa_desired_replicas(
    py: Python<'_>,
    current_replicas: f64,
    pods: &Bound<'_, PyAny>,
    target_utilization_percent: f64,
    tolerance: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyRecord> {
    let current = count(py, "current_replicas", current_replicas)?;
    let pods: Vec<est::Pod> = doc(py, "pods", pods)?;
    let tolerance: est::HpaTolerance = match tolerance {
        Some(t) => doc(py, "tolerance", t)?,
        None => est::HpaTolerance::default(),
    };
    let r = guard(py, || {
        est::hpa_desired_replicas(current, &pods, target_utilization_percent, tolerance)
    })?;
    PyRecord::new(py, "HpaRecommendation", &r)
}

/// One HPA sync with Kubernetes' behaviour: returns `(decision, state)`; pass the state back next time.
#[pyfunction]
#[pyo3(signature = (behavior, now, current_replicas, recommended_replicas, state = None))]
fn hpa_scale<'py>(
    py: Python<'py>,
    behavior: &Bound<'py, PyAny>,
    now: f64,
    current_replicas: f64,
    recommended_replicas: f64,
    state: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let b: est::HpaBehavior = doc(py, "behavior", behavior)?;
    let mut s: est::HpaState = match state {
        Some(s) if !s.is_none() => doc(py, "state", s)?,
        _ => est::HpaState::default(),
    };
    let (cur, rec) = (
        guard(py, || {
            scaleplan::count_u32_from_f64("current_replicas", current_replicas)
        })?,
        guard(py, || {
            scaleplan::count_u32_from_f64("recommended_replicas", recommended_replicas)
        })?,
    );
    let d = guard(py, || s.step(&b, now, cur, rec))?;
    let decision = Py::new(py, PyRecord::new(py, "BehaviorDecision", &d)?)?;
    PyTuple::new(py, [decision.into_any(), to_py(py, &s)?])
}

/// Reads and validates a price catalog from TOML or JSON text.
#[pyfunction]
#[pyo3(signature = (text, format = "toml"))]
fn load_catalog(py: Python<'_>, text: &str, format: &str) -> PyResult<PyRecord> {
    let c = guard(py, || match format {
        "toml" => est::PriceCatalog::from_toml(text),
        "json" => est::PriceCatalog::from_json(text),
        other => Err(scaleplan::Error::UnknownVariant {
            field: "format".into(),
            value: other.into(),
            expected: "\"toml\", \"json\"",
        }),
    })?;
    PyRecord::new(py, "PriceCatalog", &c)
}

/// What scaling from the measured users to the target needs and costs, priced from a catalog in exact
/// decimals: line items, one-time and monthly totals, a low / expected / high range and the assumptions.
///
/// Parameters
/// ----------
/// request : str or dict
///     The estimate request: `target_users`, `instance_type`, `current_instances`, `demand` (per-user
///     figures measured at `users`), the capacity `model` (linear, USL or queueing), storage, bandwidth,
///     database, cache and team hours.
/// catalog : Record, str or dict
///     A price catalog (`load_catalog`).
///
/// Returns
/// -------
/// Record
///     `line_items`, `totals` (money as `decimal.Decimal`), `range`, `assumptions`, `warnings`;
///     `to_pandas()` gives the line items.
///
/// Raises
/// ------
/// InvalidInputError
///     A malformed request (the message says where), a resource the catalog does not price
///     (`unknown_resource`), a currency other than the catalog's (`currency_mismatch`).
///
/// Examples
/// --------
/// >>> import json, pathlib, scaleplan
/// >>> data = pathlib.Path("examples/data")
/// >>> catalog = scaleplan.load_catalog((data / "catalog.toml").read_text())   # doctest: +SKIP
/// >>> est = scaleplan.estimate(json.loads((data / "estimate.json").read_text())["request"], catalog)  # doctest: +SKIP
/// >>> est.totals["monthly"]   # doctest: +SKIP
/// Decimal('4562.88')
#[pyfunction]
fn estimate(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    catalog: &Bound<'_, PyAny>,
) -> PyResult<PyRecord> {
    let req: est::EstimateRequest = doc(py, "request", request)?;
    let cat = self::catalog(py, catalog)?;
    let e = guard(py, || est::estimate(&req, &cat))?;
    PyRecord::new(py, "ResourceEstimate", &e)
}

/// History (requests per second per period) and its timestamps as the core reads them: the timestamps
/// given (numbers, datetimes, numpy / pandas times), else a pandas Series' DatetimeIndex.
fn schedule_input(
    py: Python<'_>,
    history: &Bound<'_, PyAny>,
    timestamps: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Vec<f64>, Vec<scaleplan::rollout::Timestamp>)> {
    let values = floats(py, history)?.as_slice()?.to_vec();
    let index = crate::anomaly::time_index(history)?;
    let raw = match (timestamps, index) {
        (Some(t), _) => crate::anomaly::times(py, t)?,
        (None, Some(i)) => crate::anomaly::times(py, &i)?,
        (None, None) => {
            return Err(crate::errors::to_py_err(
                py,
                scaleplan::Error::EmptyInput {
                    field: "timestamps (or a pandas Series with a DatetimeIndex)".into(),
                },
            ));
        }
    };
    let ts = guard(py, || {
        raw.iter()
            .enumerate()
            .map(|(i, &x)| {
                scaleplan::rollout::Timestamp::from_unix_f64(&format!("timestamps[{i}]"), x)
            })
            .collect::<scaleplan::Result<Vec<_>>>()
    })?;
    Ok((values, ts))
}

/// The capacity model, catalog and options of the schedule calls.
type ScheduleDocs = (est::CapacityModel, est::PriceCatalog, est::ScheduleOptions);

fn schedule_docs(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    catalog: &Bound<'_, PyAny>,
    options: &Bound<'_, PyAny>,
) -> PyResult<ScheduleDocs> {
    Ok((
        doc(py, "model", model)?,
        self::catalog(py, catalog)?,
        doc(py, "options", options)?,
    ))
}

/// Capacity scheduled from the forecast of `history` (requests per second per period; a pandas Series
/// with a DatetimeIndex needs no `timestamps`), sized by the capacity `model` on `catalog`, with the
/// reactive replay and static peak provisioning priced beside it. `options`: instance_type,
/// cpu_seconds_per_request, horizon (48), quantile (0.9), prewarm_secs (300), scale_in_delay_secs
/// (300), min_instances, max_instances, mode ("forecast_and_scale" | "forecast_only"), forecast_model.
#[pyfunction]
#[pyo3(signature = (history, timestamps, model, catalog, options))]
fn predictive_schedule(
    py: Python<'_>,
    history: &Bound<'_, PyAny>,
    timestamps: Option<&Bound<'_, PyAny>>,
    model: &Bound<'_, PyAny>,
    catalog: &Bound<'_, PyAny>,
    options: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let (h, t) = schedule_input(py, history, timestamps)?;
    let (m, cat, o) = schedule_docs(py, model, catalog, options)?;
    let s = guard(py, || est::predictive_schedule(&h, &t, &m, &cat, &o))?;
    to_py(py, &s)
}

/// Replays `predictive_schedule` on the last `days` days of `history`: periods short of capacity and
/// cost, beside the reactive replay and static peak provisioning.
#[pyfunction]
#[pyo3(signature = (history, timestamps, model, catalog, options, days = None))]
fn backtest_schedule(
    py: Python<'_>,
    history: &Bound<'_, PyAny>,
    timestamps: Option<&Bound<'_, PyAny>>,
    model: &Bound<'_, PyAny>,
    catalog: &Bound<'_, PyAny>,
    options: &Bound<'_, PyAny>,
    days: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let (h, t) = schedule_input(py, history, timestamps)?;
    let (m, cat, o) = schedule_docs(py, model, catalog, options)?;
    let days = days.unwrap_or(est::BACKTEST_DAYS);
    let s = guard(py, || est::backtest_schedule(&h, &t, &m, &cat, &o, days))?;
    to_py(py, &s)
}

/// The configuration and monthly run rate at each milestone `{label, users}` of a growth path.
#[pyfunction]
fn capacity_milestones(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    catalog: &Bound<'_, PyAny>,
    milestones: &Bound<'_, PyAny>,
) -> PyResult<Vec<PyRecord>> {
    let req: est::EstimateRequest = doc(py, "request", request)?;
    let cat = self::catalog(py, catalog)?;
    let m: Vec<est::Milestone> = doc(py, "milestones", milestones)?;
    let plans = guard(py, || est::capacity_milestones(&req, &cat, &m))?;
    plans
        .iter()
        .map(|p| PyRecord::new(py, "MilestonePlan", p))
        .collect()
}

/// The annual value of the lift, low / expected / high.
#[pyfunction]
fn impact(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<PyRecord> {
    let i: est::ImpactInput = doc(py, "input", input)?;
    let r = guard(py, || est::impact(&i))?;
    PyRecord::new(py, "Impact", &r)
}

/// The growth phase to be in at `users` (hysteresis against the active phase); default phases when
/// `plan` is None.
#[pyfunction]
#[pyo3(signature = (users, active = None, plan = None))]
fn growth_phase(
    py: Python<'_>,
    users: f64,
    active: Option<&str>,
    plan: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyRecord> {
    let p: est::GrowthPlan = match plan {
        Some(p) if !p.is_none() => doc(py, "plan", p)?,
        _ => est::GrowthPlan::default(),
    };
    let r = guard(py, || p.recommend(active, users))?;
    PyRecord::new(py, "PhaseRecommendation", &r)
}

/// The seed trigger rules (CPU, connections, latency, low utilisation) with evidence.
#[pyfunction]
#[pyo3(signature = (input, rules = None))]
fn scaling_triggers(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    rules: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyRecord> {
    let i: est::TriggerInput = doc(py, "input", input)?;
    let r: est::TriggerRules = match rules {
        Some(r) if !r.is_none() => doc(py, "rules", r)?,
        _ => est::TriggerRules::default(),
    };
    let out = guard(py, || est::scaling_triggers(&i, &r))?;
    PyRecord::new(py, "TriggerReport", &out)
}

/// The estimation results rebuilt from their JSON (pickle).
pub(crate) fn unpickle(py: Python<'_>, kind: &str, json: &str) -> Option<PyResult<Py<PyAny>>> {
    let r = match kind {
        "UslFit" => crate::pickle::read::<est::UslFit>(py, json)
            .and_then(|inner| Py::new(py, PyUslFit { inner }).map(Py::into_any)),
        "ErlangC" => crate::pickle::read::<est::ErlangC>(py, json)
            .and_then(|inner| Py::new(py, PyErlangC { inner }).map(Py::into_any)),
        _ => return None,
    };
    Some(r)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyUslFit>()?;
    m.add_class::<PyErlangC>()?;
    m.add_function(wrap_pyfunction!(cost_totals, m)?)?;
    m.add_function(wrap_pyfunction!(usl_fit, m)?)?;
    m.add_function(wrap_pyfunction!(erlang_c, m)?)?;
    m.add_function(wrap_pyfunction!(min_servers, m)?)?;
    m.add_function(wrap_pyfunction!(min_servers_batch, m)?)?;
    m.add_function(wrap_pyfunction!(hpa_desired_replicas, m)?)?;
    m.add_function(wrap_pyfunction!(hpa_scale, m)?)?;
    m.add_function(wrap_pyfunction!(load_catalog, m)?)?;
    m.add_function(wrap_pyfunction!(predictive_schedule, m)?)?;
    m.add_function(wrap_pyfunction!(backtest_schedule, m)?)?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    m.add_function(wrap_pyfunction!(capacity_milestones, m)?)?;
    m.add_function(wrap_pyfunction!(impact, m)?)?;
    m.add_function(wrap_pyfunction!(growth_phase, m)?)?;
    m.add_function(wrap_pyfunction!(scaling_triggers, m)?)?;
    Ok(())
}
