//! `scaleplan` anomaly detection: `detect`, `DetectorStream`, `regression`, `budget_status`.

use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use scaleplan::anomaly as an;

use crate::convert::{floats, frozen_array, json_text, to_py};
use crate::errors::guard;
use crate::significance::doc;

/// The method and its parameters as the core's JSON, and the cooldown.
fn method(
    py: Python<'_>,
    name: &str,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<(an::Method, usize)> {
    let d = PyDict::new(py);
    let mut cooldown = an::DEFAULT_COOLDOWN;
    if let Some(p) = params {
        for (k, v) in p.iter() {
            if k.extract::<String>()? == "cooldown" {
                cooldown = v.extract()?;
            } else {
                d.set_item(k, v)?;
            }
        }
    }
    d.set_item("method", name)?;
    let text = json_text(py, d.as_any())?;
    Ok((guard(py, || scaleplan::json::from_str(&text))?, cooldown))
}

/// Timestamps as float64: numbers as they are; `datetime64` (numpy, pandas) and timezone-aware pandas
/// times as seconds since the epoch (UTC); `datetime` objects by their `timestamp()`.
pub(crate) fn times(py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let np = py.import("numpy")?;
    // a timezone-aware pandas index or Series: to UTC, then naive
    let aware = |x: &Bound<'_, PyAny>| -> PyResult<bool> {
        Ok(x.hasattr("tz")? && !x.getattr("tz")?.is_none())
    };
    let t = if t.hasattr("dt")? && t.getattr("dt").is_ok_and(|d| aware(&d).unwrap_or(false)) {
        t.getattr("dt")?
            .call_method1("tz_convert", ("UTC",))?
            .getattr("dt")?
            .call_method1("tz_localize", (py.None(),))?
    } else if !t.hasattr("dt")? && t.hasattr("tz_convert")? && aware(t)? {
        t.call_method1("tz_convert", ("UTC",))?
            .call_method1("tz_localize", (py.None(),))?
    } else {
        t.clone()
    };
    let arr = np.call_method1("asarray", (&t,))?;
    let kind = arr.getattr("dtype")?.getattr("kind")?.extract::<String>()?;
    if kind == "M" {
        let ns = arr
            .call_method1("astype", ("datetime64[ns]",))?
            .call_method1("astype", ("int64",))?;
        let secs = ns.call_method1("__truediv__", (1e9,))?;
        return Ok(floats(py, &secs)?.as_slice()?.to_vec());
    }
    if kind == "O" {
        // datetime objects (naive or aware): their own timestamp()
        let mut out = Vec::with_capacity(arr.len()?);
        for item in arr.try_iter()? {
            let item = item?;
            out.push(if item.hasattr("timestamp")? {
                item.call_method0("timestamp")?.extract()?
            } else {
                item.extract()?
            });
        }
        return Ok(out);
    }
    Ok(floats(py, &arr)?.as_slice()?.to_vec())
}

/// The index of a pandas Series of values when it holds times (a `DatetimeIndex`, aware or naive).
pub(crate) fn time_index<'py>(values: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    if !values.hasattr("index")? || !values.hasattr("dtype")? {
        return Ok(None);
    }
    let index = values.getattr("index")?;
    let is_time = index.hasattr("dtype")?
        && index.getattr("dtype")?.hasattr("kind")?
        && index
            .getattr("dtype")?
            .getattr("kind")?
            .extract::<String>()?
            == "M"
        || index.hasattr("tz_convert")?;
    Ok(is_time.then_some(index))
}

/// The result of `detect`: numpy arrays aligned with the input (made once, read-only), and the alerts
/// as dicts.
#[pyclass(name = "Detection", module = "scaleplan", frozen)]
pub struct PyDetection {
    /// The core's result without its three arrays, which live in the numpy arrays below.
    inner: an::Detection,
    flags: Py<PyArray1<bool>>,
    scores: Py<PyArray1<f64>>,
    expected: Py<PyArray1<f64>>,
    /// The alerts as a list of dicts, made on first access.
    alerts: PyOnceLock<Py<PyAny>>,
}

impl PyDetection {
    fn new(py: Python<'_>, mut inner: an::Detection) -> PyResult<Self> {
        Ok(PyDetection {
            flags: frozen_array(py, std::mem::take(&mut inner.flags))?,
            scores: frozen_array(py, std::mem::take(&mut inner.scores))?,
            expected: frozen_array(py, std::mem::take(&mut inner.expected))?,
            alerts: PyOnceLock::new(),
            inner,
        })
    }
}

#[pymethods]
impl PyDetection {
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
    /// Pickles as the core's JSON of the detection, its arrays included.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let mut d = self.inner.clone();
        d.flags = self.flags.bind(py).to_vec()?;
        d.scores = self.scores.bind(py).to_vec()?;
        d.expected = self.expected.bind(py).to_vec()?;
        crate::pickle::reduce(py, "Detection", &d)
    }
    /// Anomalous points (bool array).
    #[getter]
    fn flags<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<bool>> {
        self.flags.bind(py).clone()
    }
    /// Scores (0 where missing or warming up).
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.scores.bind(py).clone()
    }
    /// Expected values (NaN before a baseline exists).
    #[getter]
    fn expected<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.expected.bind(py).clone()
    }
    /// Alerts, one per anomaly (list of dicts, made once; `pandas.DataFrame(result.alerts)` makes a table).
    #[getter]
    fn alerts(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.alerts
            .get_or_try_init(py, || to_py(py, &self.inner.alerts))
            .map(|a| a.clone_ref(py))
    }
    /// The detector that ran, with its parameters.
    #[getter]
    fn method(&self) -> String {
        self.inner.method.clone()
    }
    /// The season used, if any.
    #[getter]
    fn season_length(&self) -> Option<usize> {
        self.inner.season_length
    }
    /// Periods without a value.
    #[getter]
    fn missing(&self) -> usize {
        self.inner.missing
    }
    /// The timestamps' median step, when timestamps were given.
    #[getter]
    fn step(&self) -> Option<f64> {
        self.inner.step
    }
    /// How the points were placed on the grid (dict: `grid`, `out_of_order`, `aggregated`, `aggregate`,
    /// `periods`).
    #[getter]
    fn ingest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.ingest)
    }
    /// Everything as a dict (the core's JSON).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut whole = self.inner.clone();
        whole.flags = self.flags.bind(py).to_vec()?;
        whole.scores = self.scores.bind(py).to_vec()?;
        whole.expected = self.expected.bind(py).to_vec()?;
        to_py(py, &whole)
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let flags = self.flags.bind(py).readonly();
        let flags = flags.as_slice()?;
        Ok(format!(
            "Detection(method={:?}, points={}, flagged={}, alerts={})",
            self.inner.method,
            flags.len(),
            flags.iter().filter(|f| **f).count(),
            self.inner.alerts.len()
        ))
    }
}

/// Anomalies in a series: one alert per ongoing anomaly, each saying the threshold it crossed and why.
///
/// Parameters
/// ----------
/// values : array-like or pandas.Series
///     The series (NaN: missing). A Series with a DatetimeIndex gives its index as the timestamps.
/// timestamps : array-like, optional
///     Seconds since the epoch, numpy/pandas datetimes (tz-aware read as UTC) or `datetime` objects, as
///     exported: sorted, repeated ones combined, irregular ones placed on the grid (`Detection.ingest`).
/// method : str, default "auto"
///     "auto" (the calibrated detector on 1,200 periods or more, a seasonal or robust rule on shorter
///     series, its cut-off set for the same budget), "calibrated", "baseline_ratio", "robust_z", "ewma", "seasonal", "seasonal_esd", "threshold".
/// **params
///     The method's parameters (`expected_false_alarms_per`, the alert budget, default one false alarm per
///     10,000 periods; `season_length`; `window` ...), `cooldown` (quiet periods that close an alert) and
///     `aggregate` ("mean", "sum", "max", "last": how points sharing a period combine).
///
/// Returns
/// -------
/// Detection
///     `alerts` (dicts), `flags`, `scores`, `expected` (numpy arrays), `method` (resolved), `ingest`;
///     `to_pandas()` gives the alerts as a table.
///
/// Raises
/// ------
/// InvalidInputError
///     An empty series, infinite values or NaN timestamps (`not_finite`), a parameter out of range,
///     timestamps too sparse for a grid (`invalid_timestamps`).
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> y = 100 + np.sin(np.arange(3000) / 7.0)
/// >>> y[2500] = 130
/// >>> d = scaleplan.detect(y)
/// >>> [a["start_index"] for a in d.alerts], d.method.split("(")[0]
/// ([2500], 'calibrated')
#[pyfunction]
#[pyo3(signature = (values, timestamps = None, method = "auto", **params))]
fn detect(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    timestamps: Option<&Bound<'_, PyAny>>,
    method: &str,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDetection> {
    let (params, aggregate) = take_aggregate(py, params)?;
    let (m, cooldown) = self::method(py, method, params.as_ref())?;
    let v = floats(py, values)?;
    let t = match timestamps {
        Some(t) => Some(times(py, t)?),
        None => match time_index(values)? {
            Some(index) => Some(times(py, &index)?),
            None => None,
        },
    };
    let v = v.as_slice()?;
    let inner = guard(py, || {
        py.detach(|| an::detect_with(v, t.as_deref(), &m, cooldown, aggregate))
    })?;
    PyDetection::new(py, inner)
}

/// `detect` on every series of a panel (`values` end to end, series i is
/// `values[offsets[i]:offsets[i+1]]`; `timestamps`, when given, cut the same way) in parallel with the
/// GIL released (`n_jobs`: -1 or None for every core); the detections in series order.
/// `scaleplan.detect_many` takes a long DataFrame.
#[pyfunction]
#[pyo3(signature = (values, offsets, timestamps = None, method = "auto", n_jobs = None, **params))]
fn _detect_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    offsets: Vec<usize>,
    timestamps: Option<&Bound<'_, PyAny>>,
    method: &str,
    n_jobs: Option<i64>,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<PyDetection>> {
    let ds = on_panel(
        py,
        values,
        offsets,
        timestamps,
        method,
        n_jobs,
        params,
        an::detect_many,
    )?;
    ds.into_iter().map(|d| PyDetection::new(py, d)).collect()
}

/// `run` (the core's `detect_many` or `detect_many_alerts`) on the panel the many-series calls take,
/// with the GIL released.
#[allow(clippy::too_many_arguments)]
fn on_panel<T: Send>(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    offsets: Vec<usize>,
    timestamps: Option<&Bound<'_, PyAny>>,
    method: &str,
    n_jobs: Option<i64>,
    params: Option<&Bound<'_, PyDict>>,
    run: an::PanelDetect<T>,
) -> PyResult<Vec<T>> {
    let threads = crate::convert::n_jobs(n_jobs)?;
    let v = floats(py, values)?;
    let t = timestamps.map(|t| times(py, t)).transpose()?;
    let (params, aggregate) = take_aggregate(py, params)?;
    let (m, cooldown) = self::method(py, method, params.as_ref())?;
    let v = v.as_slice()?;
    guard(py, || {
        let p = scaleplan::panel::Panel::new(v, &offsets)?;
        py.detach(|| run(&p, t.as_deref(), &m, cooldown, aggregate, threads))
    })
}

/// `_detect_many`'s alerts as columns, one entry per alert in series order (`series`: the series'
/// place), the fields in the order of an alert's dict: what `scaleplan.detect_many` makes its frame of,
/// without a dict and a `Detection` per series (the core's `detect_many_alerts`, which computes no
/// per-point arrays).
#[pyfunction]
#[pyo3(signature = (values, offsets, timestamps = None, method = "auto", n_jobs = None, **params))]
fn _detect_many_alerts<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    offsets: Vec<usize>,
    timestamps: Option<&Bound<'py, PyAny>>,
    method: &str,
    n_jobs: Option<i64>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let per_series = on_panel(
        py,
        values,
        offsets,
        timestamps,
        method,
        n_jobs,
        params,
        an::detect_many_alerts,
    )?;
    let alerts: Vec<(usize, &an::Alert)> = per_series
        .iter()
        .enumerate()
        .flat_map(|(i, alerts)| alerts.iter().map(move |a| (i, a)))
        .collect();
    let out = PyDict::new(py);
    let ints = |f: &dyn Fn(&an::Alert) -> u64| -> Vec<i64> {
        alerts.iter().map(|(_, a)| f(a) as i64).collect()
    };
    let reals =
        |f: &dyn Fn(&an::Alert) -> f64| -> Vec<f64> { alerts.iter().map(|(_, a)| f(a)).collect() };
    let texts = |f: &dyn Fn(&an::Alert) -> String| -> Vec<String> {
        alerts.iter().map(|(_, a)| f(a)).collect()
    };
    out.set_item(
        "series",
        PyArray1::from_vec(py, alerts.iter().map(|(i, _)| *i as i64).collect()),
    )?;
    out.set_item("id", PyArray1::from_vec(py, ints(&|a| a.id)))?;
    out.set_item("kind", texts(&|a| variant(&a.kind)))?;
    out.set_item("detector", texts(&|a| a.detector.clone()))?;
    out.set_item("time", PyArray1::from_vec(py, reals(&|a| a.time)))?;
    out.set_item("end", PyArray1::from_vec(py, reals(&|a| a.end)))?;
    out.set_item("peak_time", PyArray1::from_vec(py, reals(&|a| a.peak_time)))?;
    out.set_item(
        "start_index",
        PyArray1::from_vec(py, ints(&|a| a.start_index)),
    )?;
    out.set_item("end_index", PyArray1::from_vec(py, ints(&|a| a.end_index)))?;
    out.set_item("observed", PyArray1::from_vec(py, reals(&|a| a.observed)))?;
    out.set_item("expected", PyArray1::from_vec(py, reals(&|a| a.expected)))?;
    out.set_item("score", PyArray1::from_vec(py, reals(&|a| a.score)))?;
    out.set_item("severity", texts(&|a| variant(&a.severity)))?;
    out.set_item("points", PyArray1::from_vec(py, ints(&|a| a.points)))?;
    out.set_item(
        "ongoing",
        PyArray1::from_vec(py, alerts.iter().map(|(_, a)| a.ongoing).collect()),
    )?;
    out.set_item("reason", texts(&|a| a.reason.clone()))?;
    Ok(out)
}

/// A unit enum's serialised name (`spike`, `critical`).
fn variant<T: serde::Serialize>(x: &T) -> String {
    match serde_json::to_value(x) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Keyword arguments, and one taken out of them.
type Split<'py> = (Option<Bound<'py, PyDict>>, Option<Bound<'py, PyAny>>);

/// A copy of `params` without `name`, and its value: `aggregate` and `step` belong to the series, not
/// to the detector.
fn take<'py>(params: Option<&Bound<'py, PyDict>>, name: &str) -> PyResult<Split<'py>> {
    let Some(p) = params else {
        return Ok((None, None));
    };
    let p = p.copy()?;
    let v = p.get_item(name)?;
    if v.is_some() {
        p.del_item(name)?;
    }
    Ok((Some(p), v))
}

/// `params` without `aggregate`, and the aggregate it names (default mean).
fn take_aggregate<'py>(
    py: Python<'py>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Option<Bound<'py, PyDict>>, an::Aggregate)> {
    let (params, a) = take(params, "aggregate")?;
    let aggregate = match a {
        Some(a) => {
            let a: String = a.extract()?;
            guard(py, || an::Aggregate::parse(&a))?
        }
        None => an::Aggregate::default(),
    };
    Ok((params, aggregate))
}

/// A streaming anomaly detector: the batch `detect`'s alerts, point by point, with its state saved and
/// resumed as JSON (checked on load).
///
/// Parameters
/// ----------
/// method : str, optional
///     As `detect` (default "auto").
/// **params
///     As `detect`; `aggregate=` and `step=` for `push_at`.
///
/// Methods
/// -------
/// push(value)
///     The next period's value: an alert event (`{"event": "opened" | "closed", "alert": ...}`) or None.
/// extend(values)
///     Many values: the events.
/// push_at(time, value)
///     An exported point: a period is scored when a point of a later period arrives, or at `flush()`;
///     repeated times are combined, a point for a scored period is counted in `ingest["late"]`.
/// flush()
///     Scores the open period.
/// to_json(), from_json(text)
///     The state, and a stream resumed from it.
///
/// Raises
/// ------
/// InvalidInputError
///     An unknown method or parameter; a state that fails its checks on load.
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> s = scaleplan.DetectorStream("robust_z", window=50)
/// >>> y = 10 + np.sin(np.arange(200)); y[150] = 40
/// >>> events = [e for e in (s.push(v) for v in y) if e]
/// >>> [(e["event"], e["alert"]["start_index"]) for e in events]
/// [('opened', 150), ('closed', 150)]
/// >>> t = scaleplan.DetectorStream.from_json(s.to_json())      # resumes where it stopped
#[pyclass(name = "DetectorStream", module = "scaleplan")]
pub struct PyStream {
    inner: an::Stream,
}

#[pymethods]
impl PyStream {
    #[new]
    #[pyo3(signature = (method = "auto", **params))]
    fn new(py: Python<'_>, method: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let (params, aggregate) = take_aggregate(py, params)?;
        let (params, step) = take(params.as_ref(), "step")?;
        let step: Option<f64> = step.map(|s| s.extract()).transpose()?;
        let (m, cooldown) = self::method(py, method, params.as_ref())?;
        let inner = guard(py, || {
            let s = an::Stream::new(&m, cooldown)?.with_aggregate(aggregate);
            match step {
                Some(step) => s.with_step(step),
                None => Ok(s),
            }
        })?;
        Ok(PyStream { inner })
    }
    /// Pushes the next value (NaN: missing); an event dict (`event`, `alert`) or None.
    fn push(&mut self, py: Python<'_>, value: f64) -> PyResult<Option<Py<PyAny>>> {
        match guard(py, || self.inner.push(value))? {
            Some(ev) => Ok(Some(to_py(py, &ev)?)),
            None => Ok(None),
        }
    }
    /// Pushes a value observed at `time` (seconds); the events of the periods it closed.
    fn push_at(&mut self, py: Python<'_>, time: f64, value: f64) -> PyResult<Py<PyAny>> {
        let evs = guard(py, || self.inner.push_at(time, value))?;
        to_py(py, &evs)
    }
    /// Scores the period `push_at` holds open; its events.
    fn flush(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.flush())
    }
    /// What `push_at` did with the timestamps (dict: `aggregated`, `out_of_order`, `late`).
    #[getter]
    fn ingest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.ingest())
    }
    /// Pushes many values; the events, in order.
    fn extend(&mut self, py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let v = floats(py, values)?;
        let v = v.as_slice()?;
        let evs = guard(py, || self.inner.extend(v))?;
        to_py(py, &evs)
    }
    /// The open alert as a dict, or None.
    #[getter]
    fn open_alert(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner.open_alert().map(|a| to_py(py, a)).transpose()
    }
    /// Periods seen (missing included).
    #[getter]
    fn periods(&self) -> u64 {
        self.inner.periods()
    }
    /// The whole state as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || self.inner.to_json())
    }
    /// Resumes a stream saved with `to_json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PyStream {
            inner: guard(py, || an::Stream::from_json(text))?,
        })
    }
}

/// Performance regression of `current` latencies against a load-test `baseline`: each percentile's change
/// against the tolerance, and a one-sided Mann-Whitney U test (scipy's `mannwhitneyu`, asymptotic, with
/// tie correction).
///
/// Parameters
/// ----------
/// baseline, current : array_like of float
///     Latencies (ms), at least 2 each.
/// percentiles : list of float, optional
///     Default [50, 95, 99].
/// tolerance : float, optional
///     Relative slow-down allowed at a percentile (default 0.10).
/// alpha : float, optional
///     Significance level of the test (default 0.05).
///
/// Returns
/// -------
/// dict
///     `regressed` (a percentile past the tolerance and a significant test), `percentiles`, `u`,
///     `p_value`, `effect` (the chance a current latency exceeds a baseline one), `reason`.
///
/// Raises
/// ------
/// InvalidInputError
///     Fewer than 2 values, NaN or infinities, a percentile outside (0, 100).
///
/// Examples
/// --------
/// >>> import numpy as np, scaleplan
/// >>> base = np.linspace(100, 150, 200)
/// >>> r = scaleplan.regression(base, base * 1.2)
/// >>> r["regressed"], r["reason"]
/// (True, 'regression: p50 +20.0%, p95 +20.0%, p99 +20.0% (tolerance 10%), Mann-Whitney p = 8.156e-34 < 0.05')
#[pyfunction]
#[pyo3(signature = (baseline, current, *, percentiles = None, tolerance = None, alpha = None))]
fn regression(
    py: Python<'_>,
    baseline: &Bound<'_, PyAny>,
    current: &Bound<'_, PyAny>,
    percentiles: Option<Vec<f64>>,
    tolerance: Option<f64>,
    alpha: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let mut o = an::RegressionOptions::default();
    if let Some(p) = percentiles {
        o.percentiles = p;
    }
    if let Some(t) = tolerance {
        o.tolerance = t;
    }
    if let Some(a) = alpha {
        o.alpha = a;
    }
    let (b, c) = (floats(py, baseline)?, floats(py, current)?);
    let (b, c) = (b.as_slice()?, c.as_slice()?);
    let r = guard(py, || an::regression(b, c, &o))?;
    to_py(py, &r)
}

/// A budget's status on a date: spent, projected at the run rate, the thresholds crossed, and the spend by
/// service, team and feature.
///
/// Parameters
/// ----------
/// budget : dict
///     `name`, `period` ("monthly", "quarterly", ...), `amount` (`{"amount": Decimal or exact string,
///     "currency": "USD"}`), optional `thresholds` (percent, default 50, 75, 90, 100).
/// entries : list of dict
///     Cost entries: `date` ("YYYY-MM-DD"), `amount`, `service`, `team`, optional `feature`.
/// as_of : str
///     The day of the status, "YYYY-MM-DD".
///
/// Returns
/// -------
/// dict
///     `spent`, `projected`, `run_rate` (money as `Decimal`), `spent_percent`, `projected_percent`, `alerts`,
///     `attribution`; `scaleplan.plot.budget(status, entries)` draws its burn.
///
/// Raises
/// ------
/// InvalidInputError
///     A malformed entry (the message says which: ``in `entries`, at [3]: missing field ...``), an unknown currency, a
///     currency other than the budget's (`currency_mismatch`), a bad date.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
/// >>> entries = [{"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
/// ...             "service": "api", "team": "core"} for d in range(1, 21)]
/// >>> s = scaleplan.budget_status(budget, entries, "2026-06-20")
/// >>> s["spent"]["amount"], s["projected_percent"]
/// (Decimal('2000.00'), 100.0)
#[pyfunction]
fn budget_status(
    py: Python<'_>,
    budget: &Bound<'_, PyAny>,
    entries: &Bound<'_, PyAny>,
    as_of: &str,
) -> PyResult<Py<PyAny>> {
    let b: an::budget::Budget = doc(py, "budget", budget)?;
    let e: Vec<an::budget::CostEntry> = doc(py, "entries", entries)?;
    let d = guard(py, || an::budget::Date::parse("as_of", as_of))?;
    let s = guard(py, || an::budget::budget_status(&b, &e, d))?;
    to_py(py, &s)
}

/// A budget followed entry by entry: each recorded cost entry returns the alerts it fires (a threshold
/// crossed, a projected overrun), once each; the state round-trips through JSON.
///
/// Parameters
/// ----------
/// budget : dict or str
///     As `budget_status`: `name`, `period`, `amount`, optional `thresholds`.
///
/// Methods
/// -------
/// record(entry)
///     One cost entry (dates in order): the alerts it fires.
/// status(as_of)
///     As `budget_status`.
/// to_json(), from_json(text)
///     The state, and a tracker resumed from it (checked on load).
///
/// Raises
/// ------
/// InvalidInputError
///     A date before the last one (`invalid_timestamps`), another currency (`currency_mismatch`), a
///     malformed entry.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> t = scaleplan.BudgetTracker({"name": "web", "period": "monthly",
/// ...                              "amount": {"amount": "3000.00", "currency": "USD"}})
/// >>> fired = []
/// >>> for d in range(1, 21):
/// ...     fired += t.record({"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
/// ...                        "service": "api", "team": "core"})
/// >>> [(a["kind"], a["threshold"]) for a in fired]
/// [('projected', 100), ('threshold', 50)]
/// >>> t.status("2026-06-20")["spent"]["amount"]
/// Decimal('2000.00')
#[pyclass(name = "BudgetTracker", module = "scaleplan")]
pub struct PyBudgetTracker {
    inner: an::budget::BudgetTracker,
}

#[pymethods]
impl PyBudgetTracker {
    #[new]
    fn new(py: Python<'_>, budget: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b: an::budget::Budget = doc(py, "budget", budget)?;
        Ok(PyBudgetTracker {
            inner: guard(py, || an::budget::BudgetTracker::new(b))?,
        })
    }
    /// Records one cost entry (entries in date order); the alerts it fires.
    fn record(&mut self, py: Python<'_>, entry: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let e: an::budget::CostEntry = doc(py, "entry", entry)?;
        let alerts = guard(py, || self.inner.record(&e))?;
        to_py(py, &alerts)
    }
    /// The status on `as_of` (`YYYY-MM-DD`).
    fn status(&self, py: Python<'_>, as_of: &str) -> PyResult<Py<PyAny>> {
        let d = guard(py, || an::budget::Date::parse("as_of", as_of))?;
        let s = guard(py, || self.inner.status(d))?;
        to_py(py, &s)
    }
    /// The whole state as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || scaleplan::json::to_string(&self.inner))
    }
    /// Resumes a tracker saved with `to_json()` (checked: an edited state is `invalid_state`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PyBudgetTracker {
            inner: guard(py, || scaleplan::json::from_str(text))?,
        })
    }
}

/// A detection rebuilt from its JSON (pickle).
pub(crate) fn unpickle(py: Python<'_>, kind: &str, json: &str) -> Option<PyResult<Py<PyAny>>> {
    (kind == "Detection").then(|| {
        crate::pickle::read::<an::Detection>(py, json)
            .and_then(|d| Py::new(py, PyDetection::new(py, d)?).map(Py::into_any))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBudgetTracker>()?;
    m.add_class::<PyDetection>()?;
    m.add_class::<PyStream>()?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(_detect_many, m)?)?;
    m.add_function(wrap_pyfunction!(_detect_many_alerts, m)?)?;
    m.add_function(wrap_pyfunction!(regression, m)?)?;
    m.add_function(wrap_pyfunction!(budget_status, m)?)?;
    Ok(())
}
