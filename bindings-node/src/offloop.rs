//! Promise forms of the calls that can take more than a millisecond (`estimateAsync`,
//! `assessReadinessAsync`, `simulateAsync`, `predictiveScheduleAsync`, `backtestScheduleAsync`, `forecastAsync`, `backtestAsync`, `detectAsync`, `forecastManyAsync`, `detectManyAsync`, `detectManyAlertsAsync`): the same core call, run on libuv's thread pool, resolving
//! to the same value as the synchronous form and rejecting (never throwing) with the core's `code`.
//! Inputs are read inside the task, so a bad input rejects too.

use std::collections::BTreeMap;

use napi::bindgen_prelude::{AsyncTask, Either4, JsObjectValue, JsValue, Null, Unknown};
use napi::bindgen_prelude::{ToNapiValue, TypeName};
use napi::{Env, Status, Task};
use napi_derive::napi;
use scaleplan::estimate as est;
use scaleplan::significance as sig;
use serde_json::Value;

type Work = TypedWork<Value>;

/// One pure computation off the event loop.
pub struct Compute {
    work: Option<Work>,
    /// An input that could not be read on the event loop (a typed array, a Date): the rejection.
    early: Option<(&'static str, String)>,
}

impl Task for Compute {
    type Output = std::result::Result<Value, (&'static str, String)>;
    type JsValue = Either4<BTreeMap<String, Value>, Vec<Value>, String, Null>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(run(&mut self.early, &mut self.work))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(Value::Object(m)) => Ok(Either4::A(m.into_iter().collect())),
            Ok(Value::Array(a)) => Ok(Either4::B(a)),
            Ok(Value::String(s)) => Ok(Either4::C(s)),
            Ok(_) => Ok(Either4::D(Null)),
            Err((code, message)) => Err(rejection(env, code, message)),
        }
    }
}

/// The JS `Error` a Promise rejects with: the message and the core's `code`.
fn rejection(env: Env, code: &str, message: String) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let mut err =
            env.create_error(napi::Error::new(Status::GenericFailure, message.clone()))?;
        err.set_named_property("code", code)?;
        Ok(napi::Error::from(err.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

type TypedWork<R> = Box<dyn FnOnce() -> scaleplan::Result<R> + Send>;

/// Runs a task's work once, on libuv's pool: the early rejection if there is one, else the core call
/// with a panic caught as an `internal` error.
fn run<R>(
    early: &mut Option<(&'static str, String)>,
    work: &mut Option<TypedWork<R>>,
) -> std::result::Result<R, (&'static str, String)> {
    if let Some(e) = early.take() {
        return Err(e);
    }
    let Some(work) = work.take() else {
        return Err(("internal", "a task ran twice".to_string()));
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err((e.code(), e.to_string())),
        Err(_) => Err((
            "internal",
            "a bug in scaleplan (a caught panic)".to_string(),
        )),
    }
}

/// One pure computation off the event loop whose result becomes the synchronous form's JS value on the
/// loop (typed arrays and all), so that the Promise resolves to what the synchronous call returns.
pub struct Typed<R, J> {
    work: Option<TypedWork<R>>,
    early: Option<(&'static str, String)>,
    to_js: fn(R) -> crate::errors::JsResult<J>,
}

impl<R: Send + 'static, J: ToNapiValue + TypeName + 'static> Task for Typed<R, J> {
    type Output = std::result::Result<R, (&'static str, String)>;
    type JsValue = J;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(run(&mut self.early, &mut self.work))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<J> {
        match output {
            Ok(r) => (self.to_js)(r).map_err(|e| rejection(env, e.status.0, e.reason.clone())),
            Err((code, message)) => Err(rejection(env, code, message)),
        }
    }
}

fn typed<R: Send + 'static, J: ToNapiValue + TypeName + 'static>(
    input: crate::errors::JsResult<TypedWork<R>>,
    to_js: fn(R) -> crate::errors::JsResult<J>,
) -> AsyncTask<Typed<R, J>> {
    let (work, early) = match input {
        Ok(w) => (Some(w), None),
        Err(e) => (None, Some((e.status.0, e.reason.clone()))),
    };
    AsyncTask::new(Typed { work, early, to_js })
}

/// `forecast` off the event loop: resolves to what `forecast` returns.
#[napi(
    ts_return_type = "Promise<Forecast>",
    ts_args_type = "values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastOptions | undefined | null"
)]
pub fn forecast_async(
    values: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<crate::forecast::ForecastOptions>,
) -> AsyncTask<Typed<scaleplan::forecast::Forecast, crate::forecast::Forecast>> {
    let input = crate::forecast::forecast_input(values, horizon, season_length, level, options)
        .map(|(v, o)| -> TypedWork<_> { Box::new(move || scaleplan::forecast::forecast(&v, &o)) });
    typed(input, crate::forecast::to_js)
}

/// `detect` off the event loop: resolves to `detect`'s result (alerts and ingest as plain objects).
#[napi(
    ts_return_type = "Promise<DetectionResult>",
    ts_args_type = "values: Float64Array | number[], timestamps?: Float64Array | (number | Date | string)[] | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null"
)]
pub fn detect_async(
    values: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> AsyncTask<Typed<scaleplan::anomaly::Detection, crate::anomaly::DetectionResult>> {
    let input = crate::anomaly::detect_input(values, timestamps, method, params)
        .map(|i| -> TypedWork<_> { Box::new(move || i.run()) });
    typed(input, crate::anomaly::detection_result)
}

/// `forecastMany` off the event loop: resolves to what `forecastMany` returns.
#[napi(
    ts_return_type = "Promise<Forecast[]>",
    ts_args_type = "values: Float64Array | number[], offsets: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastManyOptions | undefined | null"
)]
pub fn forecast_many_async(
    values: Unknown,
    offsets: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<crate::forecast::ForecastManyOptions>,
) -> AsyncTask<Typed<Vec<scaleplan::forecast::Forecast>, Vec<crate::forecast::Forecast>>> {
    let input = crate::forecast::forecast_many_input(
        values,
        offsets,
        horizon,
        season_length,
        level,
        options,
    )
    .map(|i| -> TypedWork<_> { Box::new(move || i.run()) });
    typed(input, crate::forecast::many_to_js)
}

/// `detectMany` off the event loop: resolves to what `detectMany` returns.
#[napi(
    ts_return_type = "Promise<DetectionResult[]>",
    ts_args_type = "values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | (number | Date | string)[] | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null"
)]
pub fn detect_many_async(
    values: Unknown,
    offsets: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> AsyncTask<Typed<Vec<scaleplan::anomaly::Detection>, Vec<crate::anomaly::DetectionResult>>> {
    let input = crate::anomaly::detect_many_input(values, offsets, timestamps, method, params)
        .map(|i| -> TypedWork<_> { Box::new(move || i.run()) });
    typed(input, crate::anomaly::detection_results)
}

/// `detectManyAlerts` off the event loop: resolves to what `detectManyAlerts` returns.
#[napi(
    ts_return_type = "Promise<Alert[][]>",
    ts_args_type = "values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | (number | Date | string)[] | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null"
)]
pub fn detect_many_alerts_async(
    values: Unknown,
    offsets: Unknown,
    timestamps: Option<Unknown>,
    method: Option<String>,
    params: Option<Value>,
) -> AsyncTask<Compute> {
    match crate::anomaly::detect_many_input(values, offsets, timestamps, method, params) {
        Ok(i) => task(Box::new(move || camel(&i.run_alerts()?))),
        Err(e) => rejected(e),
    }
}

fn task(work: Work) -> AsyncTask<Compute> {
    AsyncTask::new(Compute {
        work: Some(work),
        early: None,
    })
}

/// A task that rejects with the error met while reading its inputs on the event loop.
fn rejected(e: napi::Error<crate::errors::Code>) -> AsyncTask<Compute> {
    AsyncTask::new(Compute {
        work: None,
        early: Some((e.status.0, e.reason.clone())),
    })
}

fn catalog(v: Value) -> scaleplan::Result<est::PriceCatalog> {
    match v {
        Value::String(s) => est::PriceCatalog::from_json(&s),
        other => est::PriceCatalog::from_json(&crate::estimate::snake_keys(other).to_string()),
    }
}

/// A document: an object (camelCase or snake_case keys) or JSON text.
fn doc<T: serde::de::DeserializeOwned>(v: Value) -> scaleplan::Result<T> {
    let v = match v {
        Value::String(s) => scaleplan::json::from_str::<Value>(&s)?,
        other => other,
    };
    scaleplan::json::from_str(&crate::estimate::snake_keys(v).to_string())
}

fn camel<T: serde::Serialize>(v: &T) -> scaleplan::Result<Value> {
    let text = scaleplan::json::to_string(v)?;
    Ok(crate::significance::camel_keys(scaleplan::json::from_str(
        &text,
    )?))
}

/// `estimate` off the event loop.
#[napi(
    ts_return_type = "Promise<ResourceEstimate>",
    ts_args_type = "request: EstimateRequest | string, catalog: PriceCatalog | string"
)]
pub fn estimate_async(request: Value, catalog: Value) -> AsyncTask<Compute> {
    task(Box::new(move || {
        let r: est::EstimateRequest = doc(request)?;
        let c = self::catalog(catalog)?;
        camel(&est::estimate(&r, &c)?)
    }))
}

/// `assessReadiness` off the event loop.
#[napi(
    ts_return_type = "Promise<Readiness>",
    ts_args_type = "experiment: string | object, policy: string | object"
)]
pub fn assess_readiness_async(experiment: Value, policy: Value) -> AsyncTask<Compute> {
    task(Box::new(move || {
        let text = |v: Value| match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        let e: sig::Experiment = scaleplan::json::from_str(&text(experiment))?;
        let p: sig::ReadinessPolicy = scaleplan::json::from_str(&text(policy))?;
        camel(&sig::assess_readiness(&e, &p)?)
    }))
}

/// `simulate` (a replay of up to 366 days) off the event loop: resolves to the same JSON text.
#[napi(ts_return_type = "Promise<string>")]
pub fn simulate_async(input: String) -> AsyncTask<Compute> {
    task(Box::new(move || {
        Ok(Value::String(scaleplan::rollout::simulate(&input)?))
    }))
}

/// `predictiveSchedule` off the event loop (the forecast fit can take tens of milliseconds).
#[napi(
    ts_return_type = "Promise<Record<string, unknown>>",
    ts_args_type = "history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>"
)]
pub fn predictive_schedule_async(
    history: Unknown,
    timestamps: Unknown,
    model: Value,
    catalog: Value,
    options: Value,
) -> AsyncTask<Compute> {
    match crate::estimate::schedule_input(history, timestamps) {
        Err(e) => rejected(e),
        Ok((h, t)) => task(Box::new(move || {
            let (m, c, o) = crate::estimate::schedule_docs(model, catalog, options)?;
            camel(&est::predictive_schedule(&h, &t, &m, &c, &o)?)
        })),
    }
}

/// `backtestSchedule` off the event loop (one forecast fit per replayed day).
#[napi(
    ts_return_type = "Promise<Record<string, unknown>>",
    ts_args_type = "history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>, days?: number | undefined | null"
)]
pub fn backtest_schedule_async(
    history: Unknown,
    timestamps: Unknown,
    model: Value,
    catalog: Value,
    options: Value,
    days: Option<f64>,
) -> AsyncTask<Compute> {
    match crate::estimate::schedule_input(history, timestamps) {
        Err(e) => rejected(e),
        Ok((h, t)) => task(Box::new(move || {
            let (m, c, o) = crate::estimate::schedule_docs(model, catalog, options)?;
            let d = crate::estimate::schedule_days(days)?;
            camel(&est::backtest_schedule(&h, &t, &m, &c, &o, d)?)
        })),
    }
}

/// `backtest` off the event loop (one forecast fit per origin): resolves to what `backtest` returns.
#[napi(
    ts_return_type = "Promise<Backtest>",
    ts_args_type = "values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: BacktestOptions | undefined | null"
)]
pub fn backtest_async(
    values: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<crate::forecast::BacktestOptions>,
) -> AsyncTask<Compute> {
    match crate::forecast::backtest_input(values, horizon, season_length, level, options) {
        Err(e) => rejected(e),
        Ok(i) => task(Box::new(move || camel(&i.run()?))),
    }
}
