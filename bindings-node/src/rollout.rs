//! Rollouts for Node: `simulate` (replay JSON text in and out, the same bytes as Rust and Python), plans,
//! window status, audit verification, and `RolloutService` over the embedded store (memory or a SQLite
//! file) with the simulated deployer. Store-bound methods return Promises and run on libuv's thread pool,
//! off the event loop; a failure rejects with an `Error` whose `code` is the core's.

use std::sync::Arc;

use std::collections::BTreeMap;

use napi::bindgen_prelude::{AsyncTask, Either3, JsObjectValue, JsValue, Null, Unknown};
use napi::{Env, Status, Task};
use napi_derive::napi;
use scaleplan::deploy::{Deployer, SimulatedDeployer};
use scaleplan::rollout as ro;
use scaleplan::store::{self, Store};
use serde_json::Value;

use crate::errors::{Result, guard};
use crate::estimate::{input, large_input};
use crate::significance::object;

/// Replays the gating policy over recorded evidence (the policy spec's replay format).
#[napi]
pub fn simulate(input: String) -> Result<String> {
    guard(|| ro::simulate(&input))
}

/// A validated plan: `strategy` "gradual" (default), "immediate", or "custom" with `options.phases`.
#[napi(
    ts_args_type = "strategy?: 'gradual' | 'immediate' | 'custom', options?: { phases?: object[]; scope?: object; waves?: 'sequential' | 'parallel' }",
    ts_return_type = "RolloutPlan"
)]
pub fn rollout_plan(strategy: Option<String>, options: Option<Value>) -> Result<Value> {
    let o = options.unwrap_or(Value::Null);
    let scope: ro::Scope = match o.get("scope") {
        Some(s) if !s.is_null() => input(s.clone())?,
        _ => ro::Scope::AllRegions,
    };
    let waves: ro::WaveMode = match o.get("waves") {
        Some(w) if !w.is_null() => input(w.clone())?,
        _ => ro::WaveMode::Sequential,
    };
    let phases = o.get("phases").filter(|p| !p.is_null()).cloned();
    let strategy = strategy.unwrap_or_else(|| "gradual".into());
    let plan = match (strategy.as_str(), phases) {
        ("gradual", None) => guard(|| ro::RolloutPlan::gradual(scope, waves))?,
        ("immediate", None) => guard(|| ro::RolloutPlan::immediate(scope))?,
        ("custom", Some(p)) => {
            let phases: Vec<ro::PhaseSpec> = input(p)?;
            guard(|| ro::RolloutPlan::custom(phases, scope, waves))?
        }
        _ => {
            return guard(|| {
                Err(scaleplan::Error::UnknownVariant {
                    field: "strategy".into(),
                    value: strategy.clone(),
                    expected: "\"gradual\", \"immediate\" (without phases) or \"custom\" (with phases)",
                })
            });
        }
    };
    object(&plan)
}

/// Validates a plan (object or JSON text) and returns it with defaults filled in.
#[napi(ts_args_type = "plan: object | string", ts_return_type = "RolloutPlan")]
pub fn validate_plan(plan: Value) -> Result<Value> {
    let plan: ro::RolloutPlan = input(plan)?;
    guard(|| plan.validate())?;
    object(&plan)
}

/// "good", "breach" or "insufficient" for a window under `policy` (default: the spec's).
#[napi(
    ts_args_type = "window: object, policy?: object",
    ts_return_type = "'good' | 'breach' | 'insufficient'"
)]
pub fn window_status(window: Value, policy: Option<Value>) -> Result<String> {
    let w: ro::Window = input(window)?;
    let p: ro::GatePolicy = match policy {
        Some(p) => input(p)?,
        None => ro::GatePolicy::default(),
    };
    guard(|| p.validate())?;
    let s = ro::window_status(w.requests, w.p95_ms, p.min_requests, p.p95_limit_ms);
    Ok(guard(|| scaleplan::json::to_string(&s))?
        .trim_matches('"')
        .to_string())
}

/// Checks an audit log (events as `RolloutService.audit` returns them).
#[napi(ts_args_type = "events: AuditEvent[]", ts_return_type = "ChainCheck")]
pub fn verify_audit(env: &Env, events: Unknown) -> Result<Value> {
    let events: Vec<ro::AuditEvent> = large_input(env, events)?;
    object(&ro::verify(&events))
}

type Svc = ro::Service<Box<dyn Store>, SimulatedDeployer>;
type Op = Box<dyn FnOnce(&Svc) -> scaleplan::Result<Value> + Send>;

/// One store-bound call, run on the thread pool.
pub struct Job {
    svc: Arc<Svc>,
    op: Option<Op>,
}

impl Task for Job {
    type Output = std::result::Result<Value, (&'static str, String)>;
    type JsValue = Either3<BTreeMap<String, Value>, Vec<Value>, Null>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let op = self.op.take();
        let svc = Arc::clone(&self.svc);
        let run = move || match op {
            Some(f) => f(&svc),
            None => Ok(Value::Null),
        };
        Ok(
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(e)) => Err((e.code(), e.to_string())),
                Err(_) => Err((
                    "internal",
                    "a bug in scaleplan (a caught panic)".to_string(),
                )),
            },
        )
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(Value::Object(m)) => Ok(Either3::A(m.into_iter().collect())),
            Ok(Value::Array(a)) => Ok(Either3::B(a)),
            Ok(_) => Ok(Either3::C(Null)),
            Err((code, message)) => {
                let mut err =
                    env.create_error(napi::Error::new(Status::GenericFailure, message))?;
                err.set_named_property("code", code)?;
                Err(napi::Error::from(err.to_unknown()))
            }
        }
    }
}

fn js<T: serde::Serialize>(v: &T) -> scaleplan::Result<Value> {
    let text = scaleplan::json::to_string(v)?;
    let v: Value = scaleplan::json::from_str(&text)?;
    Ok(crate::significance::camel_keys(v))
}

fn time(field: &str, s: &str) -> scaleplan::Result<ro::Timestamp> {
    ro::Timestamp::parse_field(field, s)
}

/// Rollouts through the embedded store (no path or ":memory:": in memory; a path: a SQLite file) and a
/// simulated deployer whose rollbacks are confirmed `rollbackSecs` later.
#[napi]
pub struct RolloutService {
    svc: Arc<Svc>,
}

/// Options of `execute` and `observe`.
#[napi(object)]
pub struct CommandOptions {
    /// The version last seen; a different current version rejects with `conflict`.
    pub expected_version: Option<i64>,
    /// A retry with the same key returns the first outcome and applies nothing.
    pub idempotency_key: Option<String>,
}

fn opts(o: Option<CommandOptions>) -> (Option<u64>, Option<String>) {
    match o {
        Some(o) => (
            o.expected_version.map(|v| v.max(0) as u64),
            o.idempotency_key,
        ),
        None => (None, None),
    }
}

#[napi]
impl RolloutService {
    /// Opens the store. `options.approvalThresholds`: `{ maxUsers, maxMonthlyCost }`.
    #[napi(
        constructor,
        ts_args_type = "path?: string | null, options?: { rollbackSecs?: number; approvalThresholds?: object }"
    )]
    pub fn new(path: Option<String>, options: Option<Value>) -> Result<Self> {
        let o = options.unwrap_or(Value::Null);
        let secs = match o.get("rollbackSecs").or_else(|| o.get("rollback_secs")) {
            Some(v) => v.as_i64().unwrap_or(60),
            None => 60,
        };
        let thresholds: ro::ApprovalThresholds = match o
            .get("approvalThresholds")
            .or_else(|| o.get("approval_thresholds"))
        {
            Some(t) if !t.is_null() => input(t.clone())?,
            _ => ro::ApprovalThresholds::default(),
        };
        let store = guard(|| store::open(path.as_deref()))?;
        Ok(RolloutService {
            svc: Arc::new(
                ro::Service::new(store, SimulatedDeployer::new(secs))
                    .with_approval_thresholds(thresholds),
            ),
        })
    }

    fn job(&self, op: Op) -> AsyncTask<Job> {
        AsyncTask::new(Job {
            svc: Arc::clone(&self.svc),
            op: Some(op),
        })
    }

    /// Creates rollout `id` (state ready) initiated by `initiator` (`{ id, role }`).
    #[napi(
        ts_args_type = "id: string, plan: object | string, initiator: { id: string; role: string }, now: string, policy?: object",
        ts_return_type = "Promise<Record<string, any>>"
    )]
    pub fn create(
        &self,
        id: String,
        plan: Value,
        initiator: Value,
        now: String,
        policy: Option<Value>,
    ) -> Result<AsyncTask<Job>> {
        let plan: ro::RolloutPlan = input(plan)?;
        let actor: ro::Actor = input(initiator)?;
        let policy: ro::GatePolicy = match policy {
            Some(p) => input(p)?,
            None => ro::GatePolicy::default(),
        };
        Ok(self.job(Box::new(move |s| {
            let now = time("now", &now)?;
            js(&s.create(&id, plan, policy, &actor, now)?)
        })))
    }

    /// Applies a command (`{ kind: 'start' | 'pause' | 'resume' | 'rollback' | 'approve' | 'abort' |
    /// 'observe' | 'confirm_rollback', ... }`) at `now`.
    #[napi(
        ts_args_type = "id: string, command: object, now: string, options?: CommandOptions",
        ts_return_type = "Promise<CommandOutcome>"
    )]
    pub fn execute(
        &self,
        id: String,
        command: Value,
        now: String,
        options: Option<CommandOptions>,
    ) -> Result<AsyncTask<Job>> {
        let cmd: ro::Command = input(command)?;
        let (ev, key) = opts(options);
        Ok(self.job(Box::new(move |s| {
            let now = time("now", &now)?;
            js(&s.execute(&id, cmd, now, ev, key.as_deref())?)
        })))
    }

    /// A tick at `now` with the window ending then (or null) and analytics event times since the last tick.
    #[napi(
        ts_args_type = "id: string, now: string, window?: object | null, events?: string[], options?: CommandOptions",
        ts_return_type = "Promise<CommandOutcome>"
    )]
    pub fn observe(
        &self,
        id: String,
        now: String,
        window: Option<Value>,
        events: Option<Vec<String>>,
        options: Option<CommandOptions>,
    ) -> Result<AsyncTask<Job>> {
        let window: Option<ro::Window> = match window {
            Some(w) if !w.is_null() => Some(input(w)?),
            _ => None,
        };
        let (_, key) = opts(options);
        let events = events.unwrap_or_default();
        Ok(self.job(Box::new(move |s| {
            let now = time("now", &now)?;
            let events = events
                .iter()
                .enumerate()
                .map(|(i, e)| time(&format!("events[{i}]"), e))
                .collect::<scaleplan::Result<Vec<_>>>()?;
            js(&s.observe(&id, window, events, now, key.as_deref())?)
        })))
    }

    /// Records or updates an incident (`{ id, severity, openedAt, resolvedAt }`).
    #[napi(
        ts_args_type = "id: string, incident: object",
        ts_return_type = "Promise<null>"
    )]
    pub fn report_incident(&self, id: String, incident: Value) -> Result<AsyncTask<Job>> {
        let i: ro::Incident = input(incident)?;
        Ok(self.job(Box::new(move |s| {
            s.report_incident(&id, &i)?;
            Ok(Value::Null)
        })))
    }

    /// The rollout's full state.
    #[napi(ts_return_type = "Promise<Record<string, any>>")]
    pub fn rollout(&self, id: String) -> AsyncTask<Job> {
        self.job(Box::new(move |s| js(&s.rollout(&id)?)))
    }

    /// Every rollout id in the store.
    #[napi(ts_return_type = "Promise<string[]>")]
    pub fn rollout_ids(&self) -> AsyncTask<Job> {
        self.job(Box::new(|s| js(&s.store().rollout_ids()?)))
    }

    /// The dashboard view at `now`.
    #[napi(ts_return_type = "Promise<RolloutProgress>")]
    pub fn progress(&self, id: String, now: String) -> AsyncTask<Job> {
        self.job(Box::new(move |s| js(&s.progress(&id, time("now", &now)?)?)))
    }

    /// The audit log (hash-chained events).
    #[napi(ts_return_type = "Promise<AuditEvent[]>")]
    pub fn audit(&self, id: String) -> AsyncTask<Job> {
        self.job(Box::new(move |s| js(&s.store().audit(&id)?)))
    }

    /// The decision log.
    #[napi(ts_return_type = "Promise<RolloutDecision[]>")]
    pub fn decisions(&self, id: String) -> AsyncTask<Job> {
        self.job(Box::new(move |s| js(&s.store().decisions(&id)?)))
    }

    /// Checks the stored audit chain.
    #[napi(ts_return_type = "Promise<ChainCheck>")]
    pub fn verify_audit(&self, id: String) -> AsyncTask<Job> {
        self.job(Box::new(move |s| js(&s.verify_audit(&id)?)))
    }

    /// Re-applies desired traffic where the deployer differs; resolves to the rollout.
    #[napi(ts_return_type = "Promise<Record<string, any>>")]
    pub fn reconcile(&self, id: String, now: String) -> AsyncTask<Job> {
        self.job(Box::new(
            move |s| js(&s.reconcile(&id, time("now", &now)?)?),
        ))
    }

    /// Traffic (percent) the simulated deployer runs for `target`, or null.
    #[napi]
    pub fn deployed_traffic(&self, target: String) -> Result<Option<f64>> {
        Ok(guard(|| self.svc.deployer().actual(&target))?.map(|p| p.as_f64()))
    }
}
