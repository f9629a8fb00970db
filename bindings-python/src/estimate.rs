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

/// Totals of priced line items in exact decimals: one-time, monthly, first month and first year.
///
/// Parameters
/// ----------
/// line_items : list of dict or str
///     `{name, quantity, unit_price, kind}`, `kind` "monthly" or "one_time"; amounts as `decimal.Decimal`
///     or exact strings (a float is refused: it is not exact).
/// currency : str, optional
///     ISO 4217 code (default "USD").
///
/// Returns
/// -------
/// Record
///     `CostTotals`: `line_totals`, `one_time`, `monthly`, `first_month`, `first_year` (Decimal, rounded
///     half-even to the currency's minor unit).
///
/// Raises
/// ------
/// InvalidInputError
///     A float amount (`json`: floats are not exact), a negative quantity, an unknown currency
///     (`unknown_currency`).
///
/// Examples
/// --------
/// >>> from decimal import Decimal
/// >>> import scaleplan
/// >>> t = scaleplan.cost_totals([
/// ...     {"name": "compute", "quantity": 15, "unit_price": Decimal("160.00"), "kind": "monthly"},
/// ...     {"name": "team hours", "quantity": 40, "unit_price": Decimal("100.00"), "kind": "one_time"}])
/// >>> t.monthly, t.first_year
/// (Decimal('2400.00'), Decimal('32800.00'))
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

/// Fits Gunther's Universal Scalability Law, X(N) = λN / (1 + σ(N-1) + κN(N-1)), to load-test points by
/// bounded nonlinear least squares (checked against scipy's `curve_fit`).
///
/// Parameters
/// ----------
/// concurrency : array_like of float
///     Load levels N (virtual users, threads), at least 4 distinct.
/// throughput : array_like of float
///     Throughput measured at each N.
///
/// Returns
/// -------
/// UslFit
///     `lambda_`, `sigma`, `kappa`, their `std_errors` and `intervals`, `r_squared`, `peak_concurrency`,
///     `peak_throughput`; `throughput(n)` evaluates the fit.
///
/// Raises
/// ------
/// InvalidInputError
///     Lengths that differ, fewer than 4 points, non-positive values, NaN.
/// NumericalError
///     The fit did not converge.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> f = scaleplan.usl_fit([1, 18, 36, 72, 108, 144, 216],
/// ...                       [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2])
/// >>> round(f.peak_concurrency), round(f.peak_throughput), round(f.r_squared, 3)
/// (97, 1884, 0.99)
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

/// M/M/c queue metrics by Erlang C: probability of waiting, mean wait and queue length, and the service
/// level within `answer_time` (checked against mpmath).
///
/// Parameters
/// ----------
/// arrival_rate : float
///     Arrivals per second (λ).
/// mean_service_time : float
///     Seconds per request (1/μ).
/// servers : int
///     Servers c; the offered load λ/μ must be below c.
/// answer_time : float, optional
///     Seconds; gives `service_level`.
///
/// Returns
/// -------
/// ErlangC
///     `offered_load`, `utilization`, `p_wait`, `mean_wait`, `mean_queue_length`, `service_level`;
///     `wait_percentile(p)` and `service_level_at(t)`.
///
/// Raises
/// ------
/// InvalidInputError
///     Non-positive rates, an unstable queue (load at or above the servers: `unstable_queue`).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> q = scaleplan.erlang_c(100, 0.05, 7, answer_time=0.02)
/// >>> round(q.p_wait, 4), round(q.service_level, 4)
/// (0.3241, 0.8544)
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

/// The fewest servers of an M/M/c queue that meet `criterion`.
///
/// Parameters
/// ----------
/// arrival_rate : float
///     Arrivals per second.
/// mean_service_time : float
///     Seconds per request.
/// criterion : {"service_level_at_least", "p_wait_at_most", "wait_percentile_at_most"}
///     What must hold: the share answered within `answer_time`, the probability of waiting, or a wait
///     percentile (with `answer_time` as the percentile, e.g. 0.95, and `value` the wait in seconds).
/// value : float
///     The bound of the criterion.
/// answer_time : float, optional
///     Seconds; needed by `service_level_at_least`.
///
/// Returns
/// -------
/// ErlangC
///     The queue at that server count (`servers`).
///
/// Raises
/// ------
/// InvalidInputError
///     Non-positive rates, a bound outside its range, `answer_time` missing where it is needed.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> scaleplan.min_servers(100, 0.05, "service_level_at_least", 0.8, 0.02).servers
/// 7
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

/// `min_servers` for an array of arrival rates (an hourly demand curve), numpy in and out.
///
/// Parameters
/// ----------
/// arrival_rates : array_like of float
///     Arrivals per second, one per period.
/// mean_service_time : float
///     Seconds per request.
/// criterion : {"service_level_at_least", "p_wait_at_most", "wait_percentile_at_most"}
///     What must hold: the share answered within `answer_time`, the probability of waiting, or a wait
///     percentile (with `answer_time` as the percentile, e.g. 0.95, and `value` the wait in seconds).
/// value : float
///     The bound of the criterion.
/// answer_time : float, optional
///     Seconds; needed by `service_level_at_least`.
///
/// Returns
/// -------
/// numpy.ndarray of int64
///     Servers per period.
///
/// Raises
/// ------
/// InvalidInputError
///     As `min_servers`, naming the index of the bad rate.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> scaleplan.min_servers_batch([50.0, 100.0, 200.0], 0.05, "service_level_at_least", 0.8, 0.02).tolist()
/// [4, 7, 13]
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

/// The Kubernetes Horizontal Pod Autoscaler's replica rule (`replica_calculator.go`): usage over requests
/// of the ready pods, the tolerance band, and missing or unready pods counted as Kubernetes does.
///
/// Parameters
/// ----------
/// current_replicas : int
///     Replicas now.
/// pods : list of dict or str
///     `{state, request_milli, usage_milli}` per pod, `state` "ready", "unready" or "ignored"
///     (`usage_milli` None when the pod has no metric).
/// target_utilization_percent : float
///     The HPA's target average utilisation.
/// tolerance : float or dict, optional
///     One number for both directions or `{"scale_up": ..., "scale_down": ...}` (Kubernetes 1.33's
///     configurable tolerance); default 0.1 both ways.
///
/// Returns
/// -------
/// Record
///     `HpaResult`: `desired_replicas`, `utilization_percent`, `usage_ratio`, `reason`.
///
/// Raises
/// ------
/// InvalidInputError
///     A pod without a request, negative usage, a target not positive.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> pods = [{"state": "ready", "request_milli": 500, "usage_milli": 450}] * 4
/// >>> r = scaleplan.hpa_desired_replicas(4, pods, 60)
/// >>> r.desired_replicas, r.reason
/// (6, 'utilization 90% against a target of 60% over 4 ready pods: ceil(4 x 1.500) = 6')
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

/// One HPA sync with Kubernetes' `behavior`: stabilisation windows and scale-up / scale-down policies
/// (defaults as Kubernetes: scale up by 100 % or 4 pods per 15 s, scale down after a 300 s window).
///
/// Parameters
/// ----------
/// behavior : dict or str
///     `{min_replicas, max_replicas, scale_up, scale_down}` as the HPA's `behavior` field.
/// now : float
///     Seconds (any origin, increasing between calls).
/// current_replicas, recommended_replicas : int
///     Replicas now, and what the replica rule recommends.
/// state : dict or str, optional
///     The state the previous call returned (None on the first call).
///
/// Returns
/// -------
/// tuple of (Record, dict)
///     The decision (`replicas`, `recommended`, `stabilized`, `limit`, `reason`) and the state to pass
///     to the next call.
///
/// Raises
/// ------
/// InvalidInputError
///     `min_replicas` above `max_replicas`, a malformed policy or state.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> decision, state = scaleplan.hpa_scale({"min_replicas": 2, "max_replicas": 40}, 0.0, 10, 50)
/// >>> decision.replicas, decision.limit
/// (20, 'ScaleUpLimit')
/// >>> decision, state = scaleplan.hpa_scale({"min_replicas": 2, "max_replicas": 40}, 16.0, 20, 50, state)
/// >>> decision.replicas
/// 40
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

/// Reads and validates a price catalog: instances, storage, bandwidth, databases, caches and team rates,
/// every price an exact decimal in one currency.
///
/// Parameters
/// ----------
/// text : str
///     The catalog as TOML or JSON text (`examples/data/catalog.toml` is a sample).
/// format : {"toml", "json"}, optional
///     Default "toml".
///
/// Returns
/// -------
/// Record
///     `PriceCatalog`, to pass to `estimate`, `capacity_milestones` and the schedule calls.
///
/// Raises
/// ------
/// InvalidInputError
///     Malformed text (with its line), an unknown currency (`unknown_currency`), a negative or float
///     price, duplicate names, an unknown format.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> c = scaleplan.load_catalog('''
/// ... name = "mine"
/// ... currency = "EUR"
/// ... [[instances]]
/// ... name = "app"
/// ... vcpu = 2
/// ... memory_gib = 8
/// ... hourly = "0.10"
/// ... ''')
/// >>> c.currency, c.instances[0]["hourly"]
/// ('EUR', Decimal('0.10'))
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
/// >>> from decimal import Decimal
/// >>> import scaleplan
/// >>> catalog = {"name": "mine", "currency": "USD", "hours_per_month": "800",
/// ...            "instances": [{"name": "app", "vcpu": 2, "memory_gib": 8, "hourly": Decimal("0.20")}],
/// ...            "storage": [{"name": "ssd", "per_gb_month": Decimal("0.50")}],
/// ...            "team_rates": [{"role": "engineer", "hourly": Decimal("100.00")}]}
/// >>> request = {"target_users": 50000, "instance_type": "app", "storage": "ssd", "storage_months": 1,
/// ...            "demand": {"users": 1000, "peak_rps_per_user": 0.0042, "cpu_seconds_per_request": 0.1,
/// ...                       "storage_gb_per_user_month": 0.001},
/// ...            "team_hours": [{"role": "engineer", "hours": 40}]}
/// >>> est = scaleplan.estimate(request, catalog)
/// >>> est.configuration["sizing"]["instances"], est.totals["monthly"], est.totals["one_time"]
/// (15, Decimal('2425.00'), Decimal('4000.00'))
/// >>> est.range["low"]["totals"]["monthly"], est.range["high"]["totals"]["monthly"]
/// (Decimal('1940.00'), Decimal('2910.00'))
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

/// Capacity scheduled from the forecast of the load, ahead of it (pre-warm), sized by a capacity model on
/// a catalog, with a reactive replay and static peak provisioning priced beside it.
///
/// Parameters
/// ----------
/// history : array_like or pandas.Series
///     Requests per second per period, oldest first; a Series with a DatetimeIndex needs no `timestamps`.
/// timestamps : array_like, optional
///     The periods' times (seconds, datetimes), or None.
/// model : dict or str
///     The capacity model: `{"model": "linear", "target_utilization": 0.7}`, USL or queueing, as in
///     `estimate`.
/// catalog : Record, dict or str
///     A price catalog (`load_catalog`).
/// options : dict or str
///     `instance_type`, `cpu_seconds_per_request`, `horizon` (48), `quantile` (0.9), `prewarm_secs`
///     (300), `scale_in_delay_secs` (300), `min_instances`, `max_instances`, `mode`
///     ("forecast_and_scale" or "forecast_only"), `forecast_model` ("auto", an ETS model or
///     "seasonal_naive").
///
/// Returns
/// -------
/// dict
///     `steps` (per period: forecast, `needed`, `scheduled`), `actions` (`at`, `from`, `to`), `cost`,
///     `reactive_cost`, `static_peak_cost` (Decimal), `reactive_short_periods`.
///
/// Raises
/// ------
/// InvalidInputError
///     A history without times (a plain array and no `timestamps`), an instance the catalog does not
///     price, timestamps of another length.
///
/// Examples
/// --------
/// >>> import pandas as pd, scaleplan
/// >>> catalog = scaleplan.load_catalog('{"name": "demo", "currency": "USD", "instances": '
/// ...     '[{"name": "app.large", "vcpu": 2, "memory_gib": 8, "hourly": "0.10"}]}', "json")
/// >>> hours = pd.date_range("2026-01-01", periods=24 * 10, freq="h", tz="UTC")
/// >>> rps = pd.Series([700.0 if 9 <= t.hour < 17 else 100.0 for t in hours], index=hours)
/// >>> options = {"instance_type": "app.large", "cpu_seconds_per_request": 0.01,
/// ...            "forecast_model": "seasonal_naive", "quantile": 0.5}
/// >>> s = scaleplan.predictive_schedule(rps, None, {"model": "linear"}, catalog, options)
/// >>> [(a["at"], a["from"], a["to"]) for a in s["actions"]][:2]
/// [('2026-01-11T08:55:00Z', 1, 5), ('2026-01-11T17:05:00Z', 5, 1)]
/// >>> s["cost"]["amount"], s["static_peak_cost"]["amount"]
/// (Decimal('11.35'), Decimal('24.00'))
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

/// Replays `predictive_schedule` over the last `days` days of `history`: the periods short of capacity
/// and the cost, beside the reactive replay and static peak provisioning.
///
/// Parameters
/// ----------
/// history : array_like or pandas.Series
///     Requests per second per period, oldest first; a Series with a DatetimeIndex needs no `timestamps`.
/// timestamps : array_like, optional
///     The periods' times (seconds, datetimes), or None.
/// model : dict or str
///     The capacity model: `{"model": "linear", "target_utilization": 0.7}`, USL or queueing, as in
///     `estimate`.
/// catalog : Record, dict or str
///     A price catalog (`load_catalog`).
/// options : dict or str
///     `instance_type`, `cpu_seconds_per_request`, `horizon` (48), `quantile` (0.9), `prewarm_secs`
///     (300), `scale_in_delay_secs` (300), `min_instances`, `max_instances`, `mode`
///     ("forecast_and_scale" or "forecast_only"), `forecast_model` ("auto", an ETS model or
///     "seasonal_naive").
/// days : int, optional
///     Days replayed (default 7: every weekday once); two seasons must precede the first.
///
/// Returns
/// -------
/// dict
///     `periods`, `predictive_short_periods`, `reactive_short_periods`, and the three costs.
///
/// Raises
/// ------
/// InvalidInputError
///     As `predictive_schedule`; a history shorter than the replay.
///
/// Examples
/// --------
/// >>> import pandas as pd, scaleplan
/// >>> catalog = scaleplan.load_catalog('{"name": "demo", "currency": "USD", "instances": '
/// ...     '[{"name": "app.large", "vcpu": 2, "memory_gib": 8, "hourly": "0.10"}]}', "json")
/// >>> hours = pd.date_range("2026-01-01", periods=24 * 10, freq="h", tz="UTC")
/// >>> rps = pd.Series([700.0 if 9 <= t.hour < 17 else 100.0 for t in hours], index=hours)
/// >>> options = {"instance_type": "app.large", "cpu_seconds_per_request": 0.01,
/// ...            "forecast_model": "seasonal_naive", "quantile": 0.5}
/// >>> b = scaleplan.backtest_schedule(rps, None, {"model": "linear"}, catalog, options, days=3)
/// >>> b["periods"], b["predictive_short_periods"], b["reactive_short_periods"]
/// (72, 0, 3)
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

/// The configuration and monthly run rate at each milestone of a growth path (day 30, day 90 ...): the
/// estimate re-run at each milestone's users.
///
/// Parameters
/// ----------
/// request : str or dict
///     An `estimate` request (its `target_users` is replaced by each milestone's).
/// catalog : Record, str or dict
///     A price catalog.
/// milestones : list of dict or str
///     `{label, users}` per milestone.
///
/// Returns
/// -------
/// list of Record
///     One `MilestonePlan` per milestone: `label`, `users`, `configuration`, `totals`.
///
/// Raises
/// ------
/// InvalidInputError
///     As `estimate`; a milestone with negative users.
///
/// Examples
/// --------
/// >>> from decimal import Decimal
/// >>> import scaleplan
/// >>> catalog = {"name": "mine", "currency": "USD", "hours_per_month": "800",
/// ...            "instances": [{"name": "app", "vcpu": 2, "memory_gib": 8, "hourly": Decimal("0.20")}],
/// ...            "storage": [{"name": "ssd", "per_gb_month": Decimal("0.50")}],
/// ...            "team_rates": [{"role": "engineer", "hourly": Decimal("100.00")}]}
/// >>> request = {"target_users": 50000, "instance_type": "app", "storage": "ssd", "storage_months": 1,
/// ...            "demand": {"users": 1000, "peak_rps_per_user": 0.0042, "cpu_seconds_per_request": 0.1,
/// ...                       "storage_gb_per_user_month": 0.001},
/// ...            "team_hours": [{"role": "engineer", "hours": 40}]}
/// >>> plans = scaleplan.capacity_milestones(request, catalog, [{"label": "day 30", "users": 5000},
/// ...                                                          {"label": "day 90", "users": 50000}])
/// >>> [(p.label, p.totals["monthly"]) for p in plans]
/// [('day 30', Decimal('322.50')), ('day 90', Decimal('2425.00'))]
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

/// The annual value of a lift, low / expected / high: users x opportunities x baseline rate x lift x
/// value per conversion, in exact decimals.
///
/// Parameters
/// ----------
/// input : dict or str
///     `{users, baseline_rate, opportunities_per_user_per_year, lift: {low, expected, high},
///     value_per_conversion, currency}`.
///
/// Returns
/// -------
/// Record
///     `Impact`: `low`, `expected`, `high`, each with its `annual_value` (Decimal) and the extra
///     conversions.
///
/// Raises
/// ------
/// InvalidInputError
///     A negative count, a rate outside [0, 1], a float amount, an unknown currency.
///
/// Examples
/// --------
/// >>> from decimal import Decimal
/// >>> import scaleplan
/// >>> i = scaleplan.impact({"users": 50000, "baseline_rate": 0.1, "opportunities_per_user_per_year": 12,
/// ...                       "lift": {"low": 0.08, "expected": 0.23, "high": 0.38},
/// ...                       "value_per_conversion": Decimal("4.50"), "currency": "USD"})
/// >>> i.expected["annual_value"]
/// Decimal('62100.00')
#[pyfunction]
fn impact(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<PyRecord> {
    let i: est::ImpactInput = doc(py, "input", input)?;
    let r = guard(py, || est::impact(&i))?;
    PyRecord::new(py, "Impact", &r)
}

/// The growth phase to be in at `users`, with hysteresis against the active phase so that a count
/// hovering at a boundary does not flap.
///
/// Parameters
/// ----------
/// users : float
///     Users now.
/// active : str, optional
///     The phase in force (None: no hysteresis).
/// plan : dict or str, optional
///     `{phases: [{name, min_users, ...}], hysteresis}`; None takes the default: startup (0+), growth
///     (1,000+), scale (10,000+), enterprise (100,000+), ±10 % hysteresis.
///
/// Returns
/// -------
/// Record
///     `PhaseRecommendation`: `phase`, and `transition` (`from`, `to`, `boundary`, `threshold`, `reason`)
///     or None.
///
/// Raises
/// ------
/// InvalidInputError
///     Negative users, an unknown active phase, a plan whose boundaries do not increase.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> r = scaleplan.growth_phase(1100, "startup")
/// >>> r.phase, r.transition["reason"]
/// ('growth', 'users rose to 1100, past 1100 (the 1000 boundary with ±10% hysteresis)')
/// >>> scaleplan.growth_phase(950, "growth").transition is None
/// True
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

/// The trigger rules (CPU high, connections near the pool, latency over its limit, low utilisation) over
/// recent metrics, each recommendation with its evidence and, for a downsize, the monthly saving.
///
/// Parameters
/// ----------
/// input : dict or str
///     `{now, cpu_percent: [{time, value}], db_connections, db_max_connections, p95_ms, p99_ms,
///     instances, instance_monthly_price, currency}` (seconds; any metric may be missing).
/// rules : dict or str, optional
///     Thresholds and windows; None takes the defaults: CPU above 80 % for 5 min or averaging 70 % over an
///     hour, connections above 80 % of the limit, p95 above 2,000 ms or p99 above 5,000 ms, downsize below
///     30 % to a 70 % target, samples no more than 120 s apart.
///
/// Returns
/// -------
/// Record
///     `TriggerReport`: `recommendations` (`action`, `rule`, `reason`, `evidence`, `suggested_instances`,
///     `monthly_saving`) and `insufficient_data`.
///
/// Raises
/// ------
/// InvalidInputError
///     Unsorted or non-finite samples, a float price.
///
/// Examples
/// --------
/// >>> from decimal import Decimal
/// >>> import scaleplan
/// >>> cpu = [{"time": 60.0 * m, "value": 21.0} for m in range(61)]
/// >>> r = scaleplan.scaling_triggers({"now": 3600, "cpu_percent": cpu, "instances": 10,
/// ...                                 "instance_monthly_price": Decimal("140.16")})
/// >>> r.recommendations[0]["action"], r.recommendations[0]["monthly_saving"]
/// ('downsize', Decimal('981.12'))
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
