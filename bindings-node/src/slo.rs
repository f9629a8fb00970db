//! SLO tracking for Node: `sloReport`. Conversion only: the objectives' defaults, the periods and every
//! rule are the core's (`scaleplan::slo`).

use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use scaleplan::slo;
use serde_json::Value;

use crate::errors::{Result, guard};
use crate::estimate::{input, large_input};
use crate::significance::object;

/// SLO report of metric windows (`{ start, end, requests, errors, p95Ms }`, times as ISO strings) and
/// incidents (`{ id, severity, openedAt, resolvedAt }`) against objectives (default: availability
/// 99.5 %, p95 300 ms in 99 % of windows, error rate 0.5 %, half the budget left, MTTR 1 h), per period
/// (default 30 days; `{ lengthSecs: 86400 }` for a daily series).
#[napi(
    ts_args_type = "windows: Record<string, unknown>[], objectives?: Record<string, unknown> | null, period?: Record<string, unknown> | null, incidents?: Record<string, unknown>[] | null"
)]
pub fn slo_report(
    env: &Env,
    windows: Unknown,
    objectives: Option<Value>,
    period: Option<Value>,
    incidents: Option<Value>,
) -> Result<Value> {
    let w: Vec<scaleplan::rollout::Window> = large_input(env, windows)?;
    let o: slo::SloObjectives = match objectives {
        Some(Value::Null) | None => slo::SloObjectives::default(),
        Some(v) => input(v)?,
    };
    let p: slo::SloPeriod = match period {
        Some(Value::Null) | None => slo::SloPeriod::default(),
        Some(v) => input(v)?,
    };
    let i: Vec<scaleplan::rollout::Incident> = match incidents {
        Some(Value::Null) | None => Vec::new(),
        Some(v) => input(v)?,
    };
    let r = guard(|| slo::slo_report(&w, &i, &o, &p))?;
    object(&r)
}

/// A 30/60/90 plan's milestones (`{ name, due, criteria: [{ metric, target }] }`) on `asOf` (ISO 8601)
/// from observations (`{ at, metric, value }`): each criterion met, on_track, at_risk (the trend misses
/// the due date) or missed.
#[napi(
    ts_args_type = "plan: Record<string, unknown>, observations: Record<string, unknown>[], asOf: string"
)]
pub fn plan_status(plan: Value, observations: Value, as_of: String) -> Result<Value> {
    let p: slo::ScalePlan = input(plan)?;
    let o: Vec<slo::PlanObservation> = input(observations)?;
    let t = guard(|| scaleplan::rollout::Timestamp::parse_field("as_of", &as_of))?;
    object(&guard(|| slo::plan_status(&p, &o, t))?)
}
