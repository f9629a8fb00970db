//! Anomaly detection for Node: `detect`, `DetectorStream`, `regression`, `budgetStatus`. Series are
//! `Float64Array`s (NaN: missing); parameters are plain objects (camelCase or snake_case keys).

use napi::Env;
use napi::bindgen_prelude::{Float64Array, Uint8Array, Unknown};
use napi_derive::napi;
use scaleplan::anomaly as an;
use serde_json::Value;

use crate::errors::{Result, guard};
use crate::estimate::{input, large_input};
use crate::numbers::{numbers, opt_times};
use crate::significance::{object, parsed};

/// The method and its parameters, and the cooldown.
fn method_of(
    name: Option<String>,
    mut map: serde_json::Map<String, Value>,
) -> Result<(an::Method, usize)> {
    let cooldown = match map.remove("cooldown") {
        Some(v) => guard(|| {
            v.as_f64()
                .ok_or_else(|| scaleplan::Error::UnknownVariant {
                    field: "cooldown".into(),
                    value: v.to_string(),
                    expected: "a whole number of periods",
                })
                .and_then(|x| scaleplan::count_from_f64("cooldown", x))
        })? as usize,
        None => an::DEFAULT_COOLDOWN,
    };
    map.insert(
        "method".into(),
        Value::String(name.unwrap_or_else(|| "auto".into())),
    );
    Ok((input(Value::Object(map))?, cooldown))
}

/// The result of `detect`: arrays aligned with the input, and the alerts.
#[napi(object)]
pub struct Detection<'e> {
    /// The detector that ran, with its parameters.
    pub method: String,
    /// The season used, if any.
    pub season_length: Option<u32>,
    /// 1 for an anomalous point, 0 otherwise.
    pub flags: Uint8Array,
    /// Scores (0 where missing or warming up).
    pub scores: Float64Array,
    /// Expected values (NaN before a baseline exists).
    pub expected: Float64Array,
    /// One alert per anomaly.
    #[napi(ts_type = "Alert[]")]
    pub alerts: Unknown<'e>,
    /// Periods without a value.
    pub missing: u32,
    /// The timestamps' median step, when timestamps were given.
    pub step: Option<f64>,
    /// How the points were placed on the grid: `grid`, `out_of_order`, `aggregated`, `aggregate`,
    /// `periods`.
    #[napi(ts_type = "Ingest")]
    pub ingest: Unknown<'e>,
}

/// Runs a detector over a series: `method` is "auto" (default), "calibrated", "baseline_ratio",
/// "robust_z", "ewma", "seasonal", "seasonal_esd" or "threshold"; `params` its parameters, `cooldown`
/// and `aggregate` ("mean", "sum", "max", "last"). Timestamps may be numbers, `Date`s or ISO strings;
/// they are sorted and combined as the core's `detect_with` says.
#[napi(
    ts_args_type = "values: Float64Array | number[], timestamps?: Float64Array | Array<number | Date | string> | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null"
)]
pub fn detect<'e>(
    env: &'e Env,
    values: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> Result<Detection<'e>> {
    let i = detect_input(values, timestamps, method, params)?;
    let d = guard(|| i.run())?;
    Ok(Detection {
        alerts: parsed(env, &d.alerts)?,
        method: d.method,
        season_length: d.season_length.map(|m| m as u32),
        flags: Uint8Array::new(d.flags.iter().map(|f| u8::from(*f)).collect()),
        scores: Float64Array::new(d.scores),
        expected: Float64Array::new(d.expected),
        missing: d.missing as u32,
        step: d.step,
        ingest: parsed(env, &d.ingest)?,
    })
}

/// The arguments of `detect` as the core reads them (shared with `detectAsync`).
pub(crate) struct DetectInput {
    values: Vec<f64>,
    timestamps: Option<Vec<f64>>,
    method: an::Method,
    cooldown: usize,
    aggregate: an::Aggregate,
}

impl DetectInput {
    pub(crate) fn run(&self) -> scaleplan::Result<an::Detection> {
        an::detect_with(
            &self.values,
            self.timestamps.as_deref(),
            &self.method,
            self.cooldown,
            self.aggregate,
        )
    }
}

/// `aggregate` belongs to the series, not to the detector: taken out of the parameters (default mean).
fn take_aggregate(map: &mut serde_json::Map<String, Value>) -> Result<an::Aggregate> {
    match map.remove("aggregate") {
        Some(Value::String(a)) => guard(|| an::Aggregate::parse(&a)),
        Some(other) => guard(|| an::Aggregate::parse(&other.to_string())),
        None => Ok(an::Aggregate::default()),
    }
}

pub(crate) fn detect_input(
    values: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> Result<DetectInput> {
    let values = numbers("values", values)?.to_vec();
    let timestamps = opt_times("timestamps", timestamps)?;
    let mut map = match params {
        Some(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let aggregate = take_aggregate(&mut map)?;
    let (method, cooldown) = method_of(method, map)?;
    Ok(DetectInput {
        values,
        timestamps,
        method,
        cooldown,
        aggregate,
    })
}

/// `detect` on every series of a panel, in parallel over the cores: series `i` is
/// `values[offsets[i]..offsets[i + 1]]` (and its timestamps, when given, the same slice of
/// `timestamps`); `params` as `detect`'s, plus `threads` (default: every core). The detections in series
/// order, as `detectAsync` resolves them (alerts and ingest as plain objects).
#[napi(
    ts_args_type = "values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | Array<number | Date | string> | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null"
)]
pub fn detect_many(
    values: Unknown,
    offsets: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> Result<Vec<DetectionResult>> {
    let i = detect_many_input(values, offsets, timestamps, method, params)?;
    detection_results(guard(|| i.run())?)
}

/// `detectMany`'s alerts alone: per series, in series order, the alerts `detectMany(...)[i].alerts`
/// holds, field for field, without the per-point arrays (flags, scores, expected values), which the core
/// then does not compute (`scaleplan::anomaly::detect_many_alerts`). The same arguments as
/// `detectMany`.
#[napi(
    ts_args_type = "values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | Array<number | Date | string> | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null",
    ts_return_type = "Alert[][]"
)]
pub fn detect_many_alerts<'e>(
    env: &'e Env,
    values: Unknown,
    offsets: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> Result<Unknown<'e>> {
    let i = detect_many_input(values, offsets, timestamps, method, params)?;
    let alerts = guard(|| i.run_alerts())?;
    parsed(env, &alerts)
}

/// The arguments of `detectMany` as the core reads them (shared with `detectManyAsync`).
pub(crate) struct DetectManyInput {
    one: DetectInput,
    offsets: Vec<usize>,
    threads: Option<usize>,
}

impl DetectManyInput {
    pub(crate) fn run(&self) -> scaleplan::Result<Vec<an::Detection>> {
        self.call(an::detect_many)
    }

    /// The alerts only (`detectManyAlerts`).
    pub(crate) fn run_alerts(&self) -> scaleplan::Result<Vec<Vec<an::Alert>>> {
        self.call(an::detect_many_alerts)
    }

    fn call<R>(&self, f: an::PanelDetect<R>) -> scaleplan::Result<Vec<R>> {
        let p = scaleplan::panel::Panel::new(&self.one.values, &self.offsets)?;
        f(
            &p,
            self.one.timestamps.as_deref(),
            &self.one.method,
            self.one.cooldown,
            self.one.aggregate,
            self.threads,
        )
    }
}

pub(crate) fn detect_many_input(
    values: Unknown,
    offsets: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> Result<DetectManyInput> {
    let offsets = crate::numbers::offsets("offsets", offsets)?;
    // `threads` belongs to the run, not to the detector.
    let (params, threads) = match params {
        Some(Value::Object(mut m)) => {
            let t = match m.remove("threads") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => n.as_f64(),
                Some(_) => Some(f64::NAN),
            };
            (Some(Value::Object(m)), t)
        }
        other => (other, None),
    };
    Ok(DetectManyInput {
        one: detect_input(values, timestamps, method, params)?,
        offsets,
        threads: crate::numbers::threads(threads)?,
    })
}

/// Every detection of `detectMany` as its JS object.
pub(crate) fn detection_results(ds: Vec<an::Detection>) -> Result<Vec<DetectionResult>> {
    ds.into_iter().map(detection_result).collect()
}

/// The result of `detectAsync`: `detect`'s, with the alerts and the ingest as plain objects.
#[napi(object)]
pub struct DetectionResult {
    /// The detector that ran, with its parameters.
    pub method: String,
    /// The season used, if any.
    pub season_length: Option<u32>,
    /// 1 for an anomalous point, 0 otherwise.
    pub flags: Uint8Array,
    /// Scores (0 where missing or warming up).
    pub scores: Float64Array,
    /// Expected values (NaN before a baseline exists).
    pub expected: Float64Array,
    /// One alert per anomaly.
    #[napi(ts_type = "Alert[]")]
    pub alerts: Value,
    /// Periods without a value.
    pub missing: u32,
    /// The timestamps' median step, when timestamps were given.
    pub step: Option<f64>,
    /// How the points were placed on the grid.
    #[napi(ts_type = "Ingest")]
    pub ingest: Value,
}

pub(crate) fn detection_result(d: an::Detection) -> Result<DetectionResult> {
    Ok(DetectionResult {
        alerts: object(&d.alerts)?,
        method: d.method,
        season_length: d.season_length.map(|m| m as u32),
        flags: Uint8Array::new(d.flags.iter().map(|f| u8::from(*f)).collect()),
        scores: Float64Array::new(d.scores),
        expected: Float64Array::new(d.expected),
        missing: d.missing as u32,
        step: d.step,
        ingest: object(&d.ingest)?,
    })
}

/// A streaming detector: `push(value)` gives an alert event or null; `toJson()` / `DetectorStream.fromJson`
/// store and resume the state.
#[napi]
pub struct DetectorStream {
    inner: an::Stream,
}

#[napi]
impl DetectorStream {
    /// A stream for `method` with `params` (as `detect`).
    #[napi(
        constructor,
        ts_args_type = "method?: string | undefined | null, params?: Record<string, unknown> | undefined | null"
    )]
    pub fn new(method: Option<String>, params: Option<Value>) -> Result<Self> {
        let mut map = match params {
            Some(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let aggregate = take_aggregate(&mut map)?;
        let step = map.remove("step");
        let (m, cooldown) = method_of(method, map)?;
        let inner = guard(|| {
            let s = an::Stream::new(&m, cooldown)?.with_aggregate(aggregate);
            match step {
                None | Some(Value::Null) => Ok(s),
                Some(v) => s.with_step(v.as_f64().unwrap_or(f64::NAN)),
            }
        })?;
        Ok(DetectorStream { inner })
    }

    /// Pushes the next value (NaN: missing): `{ event, alert }` or null.
    #[napi(ts_return_type = "AlertEvent | null")]
    pub fn push(&mut self, value: f64) -> Result<Value> {
        match guard(|| self.inner.push(value))? {
            Some(ev) => object(&ev),
            None => Ok(Value::Null),
        }
    }

    /// Pushes a value observed at `time` (seconds): the events of the periods it closed (a period is
    /// scored when a point of a later one arrives, or at `flush()`).
    #[napi(ts_return_type = "AlertEvent[]")]
    pub fn push_at<'e>(&mut self, env: &'e Env, time: f64, value: f64) -> Result<Unknown<'e>> {
        let evs = guard(|| self.inner.push_at(time, value))?;
        parsed(env, &evs)
    }

    /// Scores the period `pushAt` holds open: its events.
    #[napi(ts_return_type = "AlertEvent[]")]
    pub fn flush<'e>(&mut self, env: &'e Env) -> Result<Unknown<'e>> {
        let evs = self.inner.flush();
        parsed(env, &evs)
    }

    /// What `pushAt` did with the timestamps: `{ aggregated, outOfOrder, late }`.
    #[napi(
        getter,
        ts_return_type = "{ aggregated: number; outOfOrder: number; late: number }"
    )]
    pub fn ingest(&self) -> Result<Value> {
        object(&self.inner.ingest())
    }

    /// Pushes many values in order (the detector chosen once for the whole array); the events.
    #[napi(
        ts_args_type = "values: Float64Array | number[]",
        ts_return_type = "AlertEvent[]"
    )]
    pub fn extend<'e>(&mut self, env: &'e Env, values: Unknown) -> Result<Unknown<'e>> {
        let values = numbers("values", values)?;
        let evs = guard(|| self.inner.extend(&values))?;
        parsed(env, &evs)
    }

    /// Periods seen (missing included).
    #[napi(getter)]
    pub fn periods(&self) -> f64 {
        self.inner.periods() as f64
    }

    /// The whole state as JSON text.
    #[napi]
    pub fn to_json(&self) -> Result<String> {
        guard(|| self.inner.to_json())
    }

    /// Resumes a stream saved with `toJson`.
    #[napi(factory)]
    pub fn from_json(text: String) -> Result<Self> {
        Ok(DetectorStream {
            inner: guard(|| an::Stream::from_json(&text))?,
        })
    }
}

/// Options of `regression`.
#[napi(object)]
pub struct RegressionOptions {
    /// Percentiles compared (default [50, 95, 99]).
    pub percentiles: Option<Vec<f64>>,
    /// Relative degradation that counts (default 0.10).
    pub tolerance: Option<f64>,
    /// Level of the Mann-Whitney test (default 0.05).
    pub alpha: Option<f64>,
}

/// Performance regression of `current` latencies against a load-test `baseline`.
#[napi(
    ts_args_type = "baseline: Float64Array | number[], current: Float64Array | number[], options?: RegressionOptions | undefined | null",
    ts_return_type = "Regression"
)]
pub fn regression(
    baseline: Unknown,
    current: Unknown,
    options: Option<RegressionOptions>,
) -> Result<Value> {
    let baseline = numbers("baseline", baseline)?;
    let current = numbers("current", current)?;
    let mut o = an::RegressionOptions::default();
    if let Some(x) = options {
        if let Some(p) = x.percentiles {
            o.percentiles = p;
        }
        if let Some(t) = x.tolerance {
            o.tolerance = t;
        }
        if let Some(a) = x.alpha {
            o.alpha = a;
        }
    }
    let r = guard(|| an::regression(&baseline, &current, &o))?;
    object(&r)
}

/// Budget status on `asOf` ("YYYY-MM-DD") from cost entries; amounts are decimal strings.
#[napi(
    ts_args_type = "budget: Record<string, unknown>, entries: Record<string, unknown>[], asOf: string"
)]
pub fn budget_status(env: &Env, budget: Value, entries: Unknown, as_of: String) -> Result<Value> {
    let b: an::budget::Budget = input(budget)?;
    let e: Vec<an::budget::CostEntry> = large_input(env, entries)?;
    let d = guard(|| an::budget::Date::parse("as_of", &as_of))?;
    let s = guard(|| an::budget::budget_status(&b, &e, d))?;
    object(&s)
}

/// A budget followed entry by entry: `record(entry)` gives the alerts it fires, `status(asOf)` the spend,
/// projection and attribution; `toJson()` / `BudgetTracker.fromJson` store and resume it (a stored state
/// is checked: an edited one is `invalid_state`).
#[napi]
pub struct BudgetTracker {
    inner: an::budget::BudgetTracker,
}

#[napi]
impl BudgetTracker {
    /// A tracker for `budget` (as `budgetStatus`).
    #[napi(constructor, ts_args_type = "budget: Record<string, unknown>")]
    pub fn new(budget: Value) -> Result<Self> {
        let b: an::budget::Budget = input(budget)?;
        Ok(BudgetTracker {
            inner: guard(|| an::budget::BudgetTracker::new(b))?,
        })
    }

    /// Records one cost entry (entries in date order): the alerts it fires.
    #[napi(
        ts_args_type = "entry: Record<string, unknown>",
        ts_return_type = "Record<string, unknown>[]"
    )]
    pub fn record(&mut self, entry: Value) -> Result<Value> {
        let e: an::budget::CostEntry = input(entry)?;
        object(&guard(|| self.inner.record(&e))?)
    }

    /// The status on `asOf` ("YYYY-MM-DD").
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn status(&self, as_of: String) -> Result<Value> {
        let d = guard(|| an::budget::Date::parse("as_of", &as_of))?;
        object(&guard(|| self.inner.status(d))?)
    }

    /// The whole state as JSON text.
    #[napi]
    pub fn to_json(&self) -> Result<String> {
        guard(|| scaleplan::json::to_string(&self.inner))
    }

    /// Resumes a tracker saved with `toJson()`.
    #[napi(factory)]
    pub fn from_json(text: String) -> Result<Self> {
        Ok(BudgetTracker {
            inner: guard(|| scaleplan::json::from_str(&text))?,
        })
    }
}
