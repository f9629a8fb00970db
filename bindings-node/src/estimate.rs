//! Resource-estimation functions for Node. Inputs are plain objects with camelCase or snake_case keys
//! (converted to the core's snake_case JSON); money is a decimal **string** ("160.00") or an integer,
//! never a float. Results are plain objects with camelCase keys and money as decimal strings;
//! `estimateJson` gives the canonical snake_case bytes.

use napi::Env;
use napi::bindgen_prelude::Float64Array;
use napi::bindgen_prelude::{FromNapiValue, Function, Unknown, ValueType};
use napi_derive::napi;
use scaleplan::estimate as est;
use serde_json::Value;

use crate::errors::{Code, Result, guard};
use crate::numbers::numbers;
use crate::significance::{engine_json, object};

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for ch in key.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

pub(crate) fn snake_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (snake(&k), snake_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

/// A document that may be large (cost entries, line items, audit events, resources with their
/// utilisation), given as JSON text or as objects: objects become JSON text through the engine's own
/// `JSON.stringify` (napi's conversion to a `serde_json::Value` refuses more than 1,000,000 values), then
/// it is read as [`input`] reads it.
pub(crate) fn large_input<T: serde::de::DeserializeOwned>(env: &Env, v: Unknown<'_>) -> Result<T> {
    let internal = |e: napi::Error| napi::Error::new(Code("internal"), e.reason.clone());
    let text = if v.get_type().map_err(internal)? == ValueType::String {
        String::from_unknown(v).map_err(internal)?
    } else {
        let stringify: Function<Unknown, Option<String>> =
            engine_json(env, "stringify").map_err(internal)?;
        // A circular structure or a BigInt: the document has no JSON; `undefined` (a missing argument)
        // has none either and reads as null, which the expected type refuses as before.
        stringify
            .call(v)
            .map_err(|e| {
                napi::Error::new(
                    Code("json"),
                    format!("the document cannot be written as JSON: {}", e.reason),
                )
            })?
            .unwrap_or_else(|| "null".into())
    };
    input(guard(|| scaleplan::json::from_str::<Value>(&text))?)
}

/// A document given as JSON text or as an object (camelCase or snake_case keys).
pub(crate) fn input<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    let v = match v {
        Value::String(s) => guard(|| scaleplan::json::from_str::<Value>(&s))?,
        other => other,
    };
    let text = snake_keys(v).to_string();
    guard(|| scaleplan::json::from_str(&text))
}

fn catalog(v: Value) -> Result<est::PriceCatalog> {
    let text = match v {
        Value::String(s) => s,
        other => snake_keys(other).to_string(),
    };
    guard(|| est::PriceCatalog::from_json(&text))
}

fn count(field: &str, x: f64) -> Result<u64> {
    guard(|| scaleplan::count_from_f64(field, x))
}

fn count_u32(field: &str, x: f64) -> Result<u32> {
    guard(|| scaleplan::count_u32_from_f64(field, x))
}

/// A fitted Universal Scalability Law model.
#[napi(js_name = "UslFit")]
pub struct JsUslFit {
    inner: est::UslFit,
}

#[napi]
impl JsUslFit {
    /// Throughput of one unit of concurrency, λ.
    #[napi(getter, js_name = "lambda")]
    pub fn lambda_(&self) -> f64 {
        self.inner.lambda_
    }
    /// Contention σ.
    #[napi(getter)]
    pub fn sigma(&self) -> f64 {
        self.inner.sigma
    }
    /// Coherency κ.
    #[napi(getter)]
    pub fn kappa(&self) -> f64 {
        self.inner.kappa
    }
    /// N* = max(1, sqrt((1 - σ) / κ)); null when κ = 0.
    #[napi(getter)]
    pub fn peak_concurrency(&self) -> Option<f64> {
        self.inner.peak_concurrency
    }
    /// X(N*); null when κ = 0.
    #[napi(getter)]
    pub fn peak_throughput(&self) -> Option<f64> {
        self.inner.peak_throughput
    }
    /// 1 - SSE / SST.
    #[napi(getter)]
    pub fn r_squared(&self) -> f64 {
        self.inner.r_squared
    }
    /// sqrt(SSE / (n - 3)); null with 3 points.
    #[napi(getter)]
    pub fn residual_std_error(&self) -> Option<f64> {
        self.inner.residual_std_error
    }
    /// Coefficients held on a bound by the fit (e.g. `["kappa"]`); they have no standard error.
    #[napi(getter, ts_return_type = "Array<'lambda' | 'sigma' | 'kappa'>")]
    pub fn at_bound(&self) -> Result<Value> {
        object(&self.inner.at_bound)
    }
    /// Standard errors by name; null on a bound and with 3 points.
    #[napi(
        getter,
        ts_return_type = "{ lambda: number | null; sigma: number | null; kappa: number | null }"
    )]
    pub fn std_errors(&self) -> Result<Value> {
        object(&self.inner.std_errors)
    }
    /// 95% intervals by name (t with n - 3 df); null where the standard error is.
    #[napi(
        getter,
        ts_return_type = "{ lambda: Interval | null; sigma: Interval | null; kappa: Interval | null }"
    )]
    pub fn intervals(&self) -> Result<Value> {
        object(&self.inner.intervals)
    }
    /// Residual degrees of freedom, n - 3.
    #[napi(getter)]
    pub fn df(&self) -> f64 {
        self.inner.df as f64
    }
    /// Predicted throughput at concurrency `n`.
    #[napi]
    pub fn throughput(&self, n: f64) -> Result<f64> {
        guard(|| self.inner.throughput(n))
    }
    /// A warning when `target` lies past the peak, else null.
    #[napi]
    pub fn past_peak_warning(&self, target: f64) -> Option<String> {
        self.inner.past_peak_warning(target)
    }
    /// The canonical JSON (the same bytes as Rust and Python).
    #[napi]
    pub fn to_json(&self) -> Result<String> {
        guard(|| scaleplan::json::to_string(&self.inner))
    }
}

/// M/M/c queue metrics.
#[napi(js_name = "ErlangC")]
pub struct JsErlangC {
    inner: est::ErlangC,
}

#[napi]
impl JsErlangC {
    /// Arrival rate λ.
    #[napi(getter)]
    pub fn arrival_rate(&self) -> f64 {
        self.inner.arrival_rate
    }
    /// Mean service time.
    #[napi(getter)]
    pub fn mean_service_time(&self) -> f64 {
        self.inner.mean_service_time
    }
    /// Servers c.
    #[napi(getter)]
    pub fn servers(&self) -> f64 {
        self.inner.servers as f64
    }
    /// Offered load a = λ s, in Erlangs.
    #[napi(getter)]
    pub fn offered_load(&self) -> f64 {
        self.inner.offered_load
    }
    /// Utilisation a / c.
    #[napi(getter)]
    pub fn utilization(&self) -> f64 {
        self.inner.utilization
    }
    /// Probability of waiting, C(c, a).
    #[napi(getter)]
    pub fn p_wait(&self) -> f64 {
        self.inner.p_wait
    }
    /// Mean wait in the queue.
    #[napi(getter)]
    pub fn mean_wait(&self) -> f64 {
        self.inner.mean_wait
    }
    /// Mean number waiting (Little's law).
    #[napi(getter)]
    pub fn mean_queue_length(&self) -> f64 {
        self.inner.mean_queue_length
    }
    /// P(W <= answerTime) when an answer time was given.
    #[napi(getter)]
    pub fn service_level(&self) -> Option<f64> {
        self.inner.service_level
    }
    /// The answer time of `serviceLevel`.
    #[napi(getter)]
    pub fn answer_time(&self) -> Option<f64> {
        self.inner.answer_time
    }
    /// The p-quantile of the waiting time.
    #[napi]
    pub fn wait_percentile(&self, p: f64) -> Result<f64> {
        guard(|| self.inner.wait_percentile(p))
    }
    /// P(W <= t).
    #[napi]
    pub fn service_level_at(&self, t: f64) -> Result<f64> {
        guard(|| self.inner.service_level_at(t))
    }
    /// The canonical JSON (the same bytes as Rust and Python).
    #[napi]
    pub fn to_json(&self) -> Result<String> {
        guard(|| scaleplan::json::to_string(&self.inner))
    }
}

/// Totals of line items `{ name, quantity, unitPrice, kind }` (amounts as decimal strings).
#[napi(
    ts_return_type = "CostTotals",
    ts_args_type = "lineItems: LineItem[], currency?: string | undefined | null"
)]
pub fn cost_totals(env: &Env, line_items: Unknown, currency: Option<String>) -> Result<Value> {
    let items: Vec<est::LineItem> = large_input(env, line_items)?;
    let c: scaleplan::money::Currency = guard(|| currency.as_deref().unwrap_or("USD").parse())?;
    object(&guard(|| est::cost_totals(&items, c))?)
}

/// Fits the Universal Scalability Law to load-test points.
#[napi]
pub fn usl_fit(concurrency: Vec<f64>, throughput: Vec<f64>) -> Result<JsUslFit> {
    guard(|| est::usl_fit(&concurrency, &throughput)).map(|inner| JsUslFit { inner })
}

/// Erlang C metrics of an M/M/c queue.
#[napi]
pub fn erlang_c(
    arrival_rate: f64,
    mean_service_time: f64,
    servers: f64,
    answer_time: Option<f64>,
) -> Result<JsErlangC> {
    let c = count("servers", servers)?;
    guard(|| est::erlang_c(arrival_rate, mean_service_time, c, answer_time))
        .map(|inner| JsErlangC { inner })
}

/// The fewest servers meeting `criterion`.
#[napi(
    ts_args_type = "arrivalRate: number, meanServiceTime: number, criterion: ServerCriterion, value: number, answerTime?: number | undefined | null"
)]
pub fn min_servers(
    arrival_rate: f64,
    mean_service_time: f64,
    criterion: String,
    value: f64,
    answer_time: Option<f64>,
) -> Result<JsErlangC> {
    let c: est::ServerCriterion = guard(|| criterion.parse())?;
    guard(|| est::min_servers(arrival_rate, mean_service_time, c, value, answer_time))
        .map(|inner| JsErlangC { inner })
}

/// `minServers` for many arrival rates: the server counts, in input order.
#[napi(
    ts_args_type = "arrivalRates: Float64Array | number[], meanServiceTime: number, criterion: ServerCriterion, value: number, answerTime?: number | undefined | null"
)]
pub fn min_servers_batch(
    arrival_rates: Unknown,
    mean_service_time: f64,
    criterion: String,
    value: f64,
    answer_time: Option<f64>,
) -> Result<Float64Array> {
    let arrival_rates = numbers("arrival_rates", arrival_rates)?;
    let c: est::ServerCriterion = guard(|| criterion.parse())?;
    let out =
        guard(|| est::min_servers_batch(&arrival_rates, mean_service_time, c, value, answer_time))?;
    Ok(Float64Array::new(
        out.into_iter().map(|s| s as f64).collect(),
    ))
}

/// The Kubernetes HPA replica rule; pods are `{ state, requestMilli, usageMilli }`; `tolerance` is a
/// number or `{ scaleUp, scaleDown }` (Kubernetes 1.33), the core's default (0.1 both ways) when omitted.
#[napi(
    ts_return_type = "HpaRecommendation",
    ts_args_type = "currentReplicas: number, pods: Pod[], targetUtilizationPercent: number, tolerance?: number | { scaleUp: number; scaleDown: number } | undefined | null"
)]
pub fn hpa_desired_replicas(
    current_replicas: f64,
    pods: Value,
    target_utilization_percent: f64,
    tolerance: Option<Value>,
) -> Result<Value> {
    let current = count("current_replicas", current_replicas)?;
    let pods: Vec<est::Pod> = input(pods)?;
    let tolerance: est::HpaTolerance = match tolerance {
        Some(Value::Null) | None => est::HpaTolerance::default(),
        Some(t) => input(t)?,
    };
    object(&guard(|| {
        est::hpa_desired_replicas(current, &pods, target_utilization_percent, tolerance)
    })?)
}

/// One HPA sync with Kubernetes' behaviour; pass the returned `state` back next time.
#[napi(
    ts_return_type = "HpaScaleResult",
    ts_args_type = "behavior: HpaBehavior, now: number, currentReplicas: number, recommendedReplicas: number, state?: HpaState | undefined | null"
)]
pub fn hpa_scale(
    behavior: Value,
    now: f64,
    current_replicas: f64,
    recommended_replicas: f64,
    state: Option<Value>,
) -> Result<Value> {
    let b: est::HpaBehavior = input(behavior)?;
    let mut s: est::HpaState = match state {
        Some(v) if !v.is_null() => input(v)?,
        _ => est::HpaState::default(),
    };
    let (cur, rec) = (
        count_u32("current_replicas", current_replicas)?,
        count_u32("recommended_replicas", recommended_replicas)?,
    );
    let d = guard(|| s.step(&b, now, cur, rec))?;
    let mut out = serde_json::Map::new();
    out.insert("decision".into(), object(&d)?);
    out.insert("state".into(), object(&s)?);
    Ok(Value::Object(out))
}

/// Reads and validates a price catalog from TOML (default) or JSON text.
#[napi(
    ts_return_type = "PriceCatalog",
    ts_args_type = "text: string, format?: 'toml' | 'json' | undefined | null"
)]
pub fn load_catalog(text: String, format: Option<String>) -> Result<Value> {
    let c = guard(|| match format.as_deref().unwrap_or("toml") {
        "toml" => est::PriceCatalog::from_toml(&text),
        "json" => est::PriceCatalog::from_json(&text),
        other => Err(scaleplan::Error::UnknownVariant {
            field: "format".into(),
            value: other.into(),
            expected: "\"toml\", \"json\"",
        }),
    })?;
    object(&c)
}

/// What scaling needs and costs: line items, totals, low/expected/high range and assumptions.
#[napi(
    ts_return_type = "ResourceEstimate",
    ts_args_type = "request: EstimateRequest | string, catalog: PriceCatalog | string"
)]
pub fn estimate(request: Value, catalog: Value) -> Result<Value> {
    let r: est::EstimateRequest = input(request)?;
    let c = self::catalog(catalog)?;
    object(&guard(|| est::estimate(&r, &c))?)
}

/// The estimate as canonical JSON text (the same bytes as Rust and Python).
#[napi]
pub fn estimate_json(request_json: String, catalog_json: String) -> Result<String> {
    let r: est::EstimateRequest = guard(|| scaleplan::json::from_str(&request_json))?;
    let c = guard(|| est::PriceCatalog::from_json(&catalog_json))?;
    let e = guard(|| est::estimate(&r, &c))?;
    guard(|| scaleplan::json::to_string(&e))
}

/// The configuration and monthly run rate at each milestone `{ label, users }`.
#[napi(
    ts_return_type = "MilestonePlan[]",
    ts_args_type = "request: EstimateRequest | string, catalog: PriceCatalog | string, milestones: Milestone[]"
)]
pub fn capacity_milestones(request: Value, catalog: Value, milestones: Value) -> Result<Value> {
    let r: est::EstimateRequest = input(request)?;
    let c = self::catalog(catalog)?;
    let m: Vec<est::Milestone> = input(milestones)?;
    object(&guard(|| est::capacity_milestones(&r, &c, &m))?)
}

/// The annual value of the lift, low / expected / high.
#[napi(
    ts_return_type = "Impact",
    ts_args_type = "input: ImpactInput | string"
)]
pub fn impact(input_doc: Value) -> Result<Value> {
    let i: est::ImpactInput = input(input_doc)?;
    object(&guard(|| est::impact(&i))?)
}

/// The growth phase to be in at `users` (with hysteresis against `active`); default phases when
/// `plan` is omitted.
#[napi(
    ts_return_type = "PhaseRecommendation",
    ts_args_type = "users: number, active?: string | undefined | null, plan?: object | undefined | null"
)]
pub fn growth_phase(users: f64, active: Option<String>, plan: Option<Value>) -> Result<Value> {
    let p: est::GrowthPlan = match plan {
        Some(v) if !v.is_null() => input(v)?,
        _ => est::GrowthPlan::default(),
    };
    object(&guard(|| p.recommend(active.as_deref(), users))?)
}

/// The seed trigger rules (CPU, connections, latency, low utilisation) with evidence.
#[napi(
    ts_return_type = "TriggerReport",
    ts_args_type = "input: TriggerInput | string, rules?: object | undefined | null"
)]
pub fn scaling_triggers(input_doc: Value, rules: Option<Value>) -> Result<Value> {
    let i: est::TriggerInput = input(input_doc)?;
    let r: est::TriggerRules = match rules {
        Some(v) if !v.is_null() => input(v)?,
        _ => est::TriggerRules::default(),
    };
    object(&guard(|| est::scaling_triggers(&i, &r))?)
}

/// History and its times as the core reads them (times: numbers of seconds, `Date`s or ISO strings).
pub(crate) fn schedule_input(
    history: Unknown,
    timestamps: Unknown,
) -> Result<(Vec<f64>, Vec<scaleplan::rollout::Timestamp>)> {
    let h = numbers("history", history)?.to_vec();
    let Some(raw) = crate::numbers::opt_times("timestamps", Some(timestamps))? else {
        return guard(|| {
            Err(scaleplan::Error::EmptyInput {
                field: "timestamps".into(),
            })
        });
    };
    let t = guard(|| {
        raw.iter()
            .enumerate()
            .map(|(i, &x)| {
                scaleplan::rollout::Timestamp::from_unix_f64(&format!("timestamps[{i}]"), x)
            })
            .collect::<scaleplan::Result<Vec<_>>>()
    })?;
    Ok((h, t))
}

/// The capacity model, catalog and options of the schedule calls (objects with camelCase or snake_case
/// keys, or JSON text), shared by the synchronous and the Promise forms.
pub(crate) fn schedule_docs(
    model: Value,
    catalog: Value,
    options: Value,
) -> scaleplan::Result<(est::CapacityModel, est::PriceCatalog, est::ScheduleOptions)> {
    let doc = |v: Value| -> scaleplan::Result<String> {
        Ok(match v {
            Value::String(s) => s,
            other => snake_keys(other).to_string(),
        })
    };
    Ok((
        scaleplan::json::from_str(&doc(model)?)?,
        est::PriceCatalog::from_json(&doc(catalog)?)?,
        scaleplan::json::from_str(&doc(options)?)?,
    ))
}

/// `days` of `backtestSchedule`, the core's default when absent.
pub(crate) fn schedule_days(days: Option<f64>) -> scaleplan::Result<usize> {
    days.map_or(Ok(est::BACKTEST_DAYS), |x| {
        scaleplan::count_from_f64("days", x).map(|d| d as usize)
    })
}

/// Capacity scheduled from the forecast of `history` (requests per second per period at `timestamps`),
/// sized by the capacity `model` on `catalog`, with the reactive replay and static peak provisioning
/// priced beside it. `options`: instanceType, cpuSecondsPerRequest, horizon (48), quantile (0.9),
/// prewarmSecs (300), scaleInDelaySecs (300), minInstances, maxInstances, mode ('forecast_and_scale' |
/// 'forecast_only'), forecastModel.
#[napi(
    ts_args_type = "history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>"
)]
pub fn predictive_schedule(
    history: Unknown,
    timestamps: Unknown,
    model: Value,
    catalog: Value,
    options: Value,
) -> Result<Value> {
    let (h, t) = schedule_input(history, timestamps)?;
    let (m, c, o) = guard(|| schedule_docs(model, catalog, options))?;
    object(&guard(|| est::predictive_schedule(&h, &t, &m, &c, &o))?)
}

/// Replays `predictiveSchedule` on the last `days` days (default 7) of `history`: periods short of
/// capacity and cost, beside the reactive replay and static peak provisioning.
#[napi(
    ts_args_type = "history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>, days?: number | undefined | null"
)]
pub fn backtest_schedule(
    history: Unknown,
    timestamps: Unknown,
    model: Value,
    catalog: Value,
    options: Value,
    days: Option<f64>,
) -> Result<Value> {
    let (h, t) = schedule_input(history, timestamps)?;
    let (m, c, o) = guard(|| schedule_docs(model, catalog, options))?;
    let d = guard(|| schedule_days(days))?;
    object(&guard(|| est::backtest_schedule(&h, &t, &m, &c, &o, d))?)
}
