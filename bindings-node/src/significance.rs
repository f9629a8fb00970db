//! Significance functions for Node. Results are plain objects with camelCase keys, converted from the
//! core's canonical JSON; `canonicalJson` / `assessReadinessJson` give the canonical snake_case bytes.

use napi::Env;
use napi::bindgen_prelude::{
    Float64Array, FromNapiValue, Function, JsObjectValue, JsValuesTupleIntoVec, Object, Unknown,
};
use napi_derive::napi;
use scaleplan::significance as sig;
use serde_json::Value;

use crate::errors::{Code, Result, guard};
use crate::numbers::numbers;

/// Conversions arm: `{ visitors, conversions }`.
#[napi(object)]
pub struct ProportionArm {
    /// Visitors (trials).
    pub visitors: f64,
    /// Conversions (successes).
    pub conversions: f64,
}

/// Mean arm: `{ n, mean, variance }` with the sample variance (ddof = 1).
#[napi(object)]
pub struct MeanArm {
    /// Sample size.
    pub n: f64,
    /// Sample mean.
    pub mean: f64,
    /// Sample variance.
    pub variance: f64,
}

/// Options of the frequentist tests; omitted fields take the core's defaults (alpha 0.05, two-sided).
#[napi(object)]
pub struct TestOptions {
    /// Significance level in (0, 1).
    pub alpha: Option<f64>,
    /// `"two-sided"`, `"less"` or `"greater"`.
    pub alternative: Option<String>,
}

/// Options of the power functions.
#[napi(object)]
pub struct PowerOptions {
    /// Significance level.
    pub alpha: Option<f64>,
    /// Power (1 - beta).
    pub power: Option<f64>,
    /// Whether the MDE is relative to the baseline.
    pub relative: Option<bool>,
    /// `"two-sided"`, `"less"` or `"greater"`.
    pub alternative: Option<String>,
}

/// Options of the sequential test.
#[napi(object)]
pub struct SequentialOptions {
    /// Significance level.
    pub alpha: Option<f64>,
    /// Total sample size at which the confidence sequence is tightest.
    pub tuning_sample_size: Option<f64>,
    /// The previous look's always-valid p-value (keeps the running minimum).
    pub previous_p_value: Option<f64>,
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut up = false;
    for ch in key.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

pub(crate) fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (camel(&k), camel_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(camel_keys).collect()),
        other => other,
    }
}

/// A core value as a JSON tree with camelCase keys: the canonical JSON's values (NaN and ±∞ as null),
/// built without writing and parsing the text.
pub(crate) fn object<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map(camel_keys)
        .map_err(|e| napi::Error::new(Code("json"), e.to_string()))
}

/// A result that may be large (alert events, alerts) as a JS value, through the engine's own
/// `JSON.parse` of the camelCase JSON: napi's conversion of a `serde_json::Value` refuses more than
/// 1,000,000 values (about 55,000 alert events), and makes one N-API call per key and value.
pub(crate) fn parsed<'e, T: serde::Serialize>(env: &'e Env, value: &T) -> Result<Unknown<'e>> {
    let text = object(value)?.to_string();
    let internal = |e: napi::Error| napi::Error::new(Code("internal"), e.reason.clone());
    let parse: Function<String, Unknown> = engine_json(env, "parse").map_err(internal)?;
    parse.call(text).map_err(internal)
}

/// The engine's own `JSON.parse` or `JSON.stringify`.
pub(crate) fn engine_json<'e, A, R>(env: &'e Env, name: &str) -> napi::Result<Function<'e, A, R>>
where
    A: JsValuesTupleIntoVec,
    R: FromNapiValue,
{
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    json.get_named_property_unchecked(name)
}

fn test_options(o: Option<TestOptions>) -> Result<sig::TestOptions> {
    let mut out = sig::TestOptions::default();
    if let Some(o) = o {
        if let Some(a) = o.alpha {
            out.alpha = a;
        }
        if let Some(a) = o.alternative {
            out.alternative = guard(|| a.parse())?;
        }
    }
    Ok(out)
}

fn proportion(name: &str, a: &ProportionArm) -> Result<sig::Proportion> {
    guard(|| sig::Proportion::from_f64(a.visitors, a.conversions).map_err(|e| e.in_field(name)))
}

fn mean_arm(name: &str, a: &MeanArm) -> Result<sig::MeanSummary> {
    guard(|| sig::MeanSummary::from_f64(a.n, a.mean, a.variance).map_err(|e| e.in_field(name)))
}

fn document<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    let text = match v {
        Value::String(s) => s,
        other => other.to_string(),
    };
    guard(|| scaleplan::json::from_str(&text))
}

/// Two-proportion z test (pooled SE; Wald and delta-method intervals).
#[napi(ts_return_type = "ProportionsResult")]
pub fn two_proportions(
    control: ProportionArm,
    treatment: ProportionArm,
    options: Option<TestOptions>,
) -> Result<Value> {
    let o = test_options(options)?;
    let (c, t) = (
        proportion("control", &control)?,
        proportion("treatment", &treatment)?,
    );
    object(&guard(|| sig::two_proportions(&c, &t, &o))?)
}

/// Welch's t test from summary statistics.
#[napi(ts_return_type = "WelchResult")]
pub fn welch(control: MeanArm, treatment: MeanArm, options: Option<TestOptions>) -> Result<Value> {
    let o = test_options(options)?;
    let (c, t) = (
        mean_arm("control", &control)?,
        mean_arm("treatment", &treatment)?,
    );
    object(&guard(|| sig::welch(&c, &t, &o))?)
}

/// Ratio metric by the delta method; arms `{ n, sum_x, sum_y, sum_x2, sum_y2, sum_xy }`.
#[napi(
    ts_return_type = "RatioResult",
    ts_args_type = "control: RatioArm, treatment: RatioArm, options?: TestOptions | undefined | null"
)]
pub fn ratio(control: Value, treatment: Value, options: Option<TestOptions>) -> Result<Value> {
    let o = test_options(options)?;
    let (c, t): (sig::RatioSummary, sig::RatioSummary) = (document(control)?, document(treatment)?);
    object(&guard(|| sig::ratio(&c, &t, &o))?)
}

/// CUPED; arms `{ n, mean, variance, covariate_mean, covariate_variance, covariance }`.
#[napi(
    ts_return_type = "CupedResult",
    ts_args_type = "control: CupedArm, treatment: CupedArm, options?: TestOptions | undefined | null"
)]
pub fn cuped(control: Value, treatment: Value, options: Option<TestOptions>) -> Result<Value> {
    let o = test_options(options)?;
    let (c, t): (sig::CupedArm, sig::CupedArm) = (document(control)?, document(treatment)?);
    object(&guard(|| sig::cuped(&c, &t, &o))?)
}

/// Sample-ratio mismatch test.
#[napi(ts_return_type = "SrmResult")]
pub fn srm(
    observed_counts: Vec<f64>,
    expected_weights: Vec<f64>,
    threshold: Option<f64>,
) -> Result<Value> {
    let mut o = sig::SrmOptions::default();
    if let Some(t) = threshold {
        o.threshold = t;
    }
    object(&guard(|| {
        sig::srm(&observed_counts, &expected_weights, &o)
    })?)
}

/// Holm adjusted p-values.
#[napi(ts_args_type = "pValues: Float64Array | number[]")]
pub fn holm(p_values: Unknown) -> Result<Float64Array> {
    let p = numbers("p_values", p_values)?;
    guard(|| sig::holm(&p)).map(Float64Array::new)
}

/// Benjamini–Hochberg adjusted p-values.
#[napi(ts_args_type = "pValues: Float64Array | number[]")]
pub fn benjamini_hochberg(p_values: Unknown) -> Result<Float64Array> {
    let p = numbers("p_values", p_values)?;
    guard(|| sig::benjamini_hochberg(&p)).map(Float64Array::new)
}

/// Always-valid p-value and confidence sequence (mSPRT).
#[napi(ts_return_type = "SequentialResult")]
pub fn sequential(
    estimate: f64,
    std_error: f64,
    sample_size: f64,
    options: Option<SequentialOptions>,
) -> Result<Value> {
    let mut o = sig::SequentialOptions::default();
    let mut prev = None;
    if let Some(x) = options {
        if let Some(a) = x.alpha {
            o.alpha = a;
        }
        if let Some(n) = x.tuning_sample_size {
            o.tuning_sample_size = n;
        }
        prev = x.previous_p_value;
    }
    object(&guard(|| {
        sig::sequential(estimate, std_error, sample_size, &o, prev)
    })?)
}

/// Beta-binomial chance to beat control and expected losses (prior `{ alpha, beta }`, default 1, 1).
#[napi(
    ts_return_type = "BetaBinomialResult",
    ts_args_type = "control: ProportionArm, treatment: ProportionArm, prior?: Partial<BetaPrior> | undefined | null"
)]
pub fn beta_binomial(
    control: ProportionArm,
    treatment: ProportionArm,
    prior: Option<Value>,
) -> Result<Value> {
    let p: sig::BetaPrior = match prior {
        Some(v) => document(v)?,
        None => sig::BetaPrior::default(),
    };
    let (c, t) = (
        proportion("control", &control)?,
        proportion("treatment", &treatment)?,
    );
    object(&guard(|| sig::beta_binomial(&c, &t, &p))?)
}

fn power_options(o: Option<PowerOptions>) -> Result<sig::PowerOptions> {
    let mut out = sig::PowerOptions::default();
    if let Some(o) = o {
        if let Some(a) = o.alpha {
            out.alpha = a;
        }
        if let Some(p) = o.power {
            out.power = p;
        }
        if let Some(r) = o.relative {
            out.relative = r;
        }
        if let Some(a) = o.alternative {
            out.alternative = guard(|| a.parse())?;
        }
    }
    Ok(out)
}

/// Visitors per arm (exact, fractional) to detect `mde` from `baselineRate`.
#[napi]
pub fn sample_size_proportions(
    baseline_rate: f64,
    mde: f64,
    options: Option<PowerOptions>,
) -> Result<f64> {
    let o = power_options(options)?;
    guard(|| sig::sample_size_proportions(baseline_rate, mde, &o))
}

/// The minimum detectable effect for `nPerArm` visitors per arm.
#[napi]
pub fn mde_proportions(
    baseline_rate: f64,
    n_per_arm: f64,
    options: Option<PowerOptions>,
) -> Result<f64> {
    let o = power_options(options)?;
    guard(|| sig::mde_proportions(baseline_rate, n_per_arm, &o))
}

/// Readiness of an experiment under a policy (JSON strings or objects in the canonical snake_case shape).
#[napi(
    ts_return_type = "Readiness",
    ts_args_type = "experiment: string | object, policy: string | object"
)]
pub fn assess_readiness(experiment: Value, policy: Value) -> Result<Value> {
    let (e, p): (sig::Experiment, sig::ReadinessPolicy) =
        (document(experiment)?, document(policy)?);
    object(&guard(|| sig::assess_readiness(&e, &p))?)
}

/// Readiness as canonical JSON text (the same bytes as Rust and Python).
#[napi]
pub fn assess_readiness_json(experiment: String, policy: String) -> Result<String> {
    let (e, p): (sig::Experiment, sig::ReadinessPolicy) = (
        guard(|| scaleplan::json::from_str(&experiment))?,
        guard(|| scaleplan::json::from_str(&policy))?,
    );
    let r = guard(|| sig::assess_readiness(&e, &p))?;
    guard(|| scaleplan::json::to_string(&r))
}

/// Canonical JSON text of an `experiment`, `policy` or `readiness` document.
#[napi]
pub fn canonical_json(kind: String, document_json: String) -> Result<String> {
    guard(|| match kind.as_str() {
        "experiment" => scaleplan::json::to_string(&scaleplan::json::from_str::<sig::Experiment>(
            &document_json,
        )?),
        "policy" => scaleplan::json::to_string(&scaleplan::json::from_str::<sig::ReadinessPolicy>(
            &document_json,
        )?),
        "readiness" => scaleplan::json::to_string(&scaleplan::json::from_str::<sig::Readiness>(
            &document_json,
        )?),
        other => Err(scaleplan::Error::UnknownVariant {
            field: "kind".into(),
            value: other.into(),
            expected: "\"experiment\", \"policy\", \"readiness\"",
        }),
    })
}

/// Column-wise batch results.
#[napi(object)]
pub struct ProportionsBatch {
    /// z statistics.
    pub z: Float64Array,
    /// p-values.
    pub p_value: Float64Array,
    /// Differences.
    pub absolute_effect: Float64Array,
    /// Lower ends of the absolute intervals.
    pub absolute_ci_lo: Float64Array,
    /// Upper ends of the absolute intervals.
    pub absolute_ci_hi: Float64Array,
    /// Relative lifts (NaN where the control rate is 0).
    pub relative_lift: Float64Array,
    /// Lower ends of the relative intervals.
    pub relative_ci_lo: Float64Array,
    /// Upper ends of the relative intervals.
    pub relative_ci_hi: Float64Array,
}

/// Batch two-proportion tests over equal-length arrays (`Float64Array`s or plain arrays of numbers).
#[napi(
    ts_args_type = "controlVisitors: Float64Array | number[], controlConversions: Float64Array | number[], treatmentVisitors: Float64Array | number[], treatmentConversions: Float64Array | number[], options?: TestOptions | undefined | null"
)]
pub fn two_proportions_batch(
    control_visitors: Unknown,
    control_conversions: Unknown,
    treatment_visitors: Unknown,
    treatment_conversions: Unknown,
    options: Option<TestOptions>,
) -> Result<ProportionsBatch> {
    let control_visitors = numbers("control_visitors", control_visitors)?;
    let control_conversions = numbers("control_conversions", control_conversions)?;
    let treatment_visitors = numbers("treatment_visitors", treatment_visitors)?;
    let treatment_conversions = numbers("treatment_conversions", treatment_conversions)?;
    let o = test_options(options)?;
    let r = guard(|| {
        sig::two_proportions_batch(
            &control_visitors,
            &control_conversions,
            &treatment_visitors,
            &treatment_conversions,
            &o,
        )
    })?;
    Ok(ProportionsBatch {
        z: Float64Array::new(r.z),
        p_value: Float64Array::new(r.p_value),
        absolute_effect: Float64Array::new(r.absolute_effect),
        absolute_ci_lo: Float64Array::new(r.absolute_ci_lo),
        absolute_ci_hi: Float64Array::new(r.absolute_ci_hi),
        relative_lift: Float64Array::new(r.relative_lift),
        relative_ci_lo: Float64Array::new(r.relative_ci_lo),
        relative_ci_hi: Float64Array::new(r.relative_ci_hi),
    })
}

/// Batch always-valid p-values.
#[napi(
    ts_args_type = "estimate: Float64Array | number[], stdError: Float64Array | number[], sampleSize: Float64Array | number[], options?: SequentialOptions | undefined | null"
)]
pub fn sequential_batch(
    estimate: Unknown,
    std_error: Unknown,
    sample_size: Unknown,
    options: Option<SequentialOptions>,
) -> Result<Float64Array> {
    let estimate = numbers("estimate", estimate)?;
    let std_error = numbers("std_error", std_error)?;
    let sample_size = numbers("sample_size", sample_size)?;
    let mut o = sig::SequentialOptions::default();
    if let Some(x) = options {
        if let Some(a) = x.alpha {
            o.alpha = a;
        }
        if let Some(n) = x.tuning_sample_size {
            o.tuning_sample_size = n;
        }
    }
    guard(|| sig::sequential_batch(&estimate, &std_error, &sample_size, &o)).map(Float64Array::new)
}
