//! Rollouts for Node: `simulate` (replay JSON text in and out, the same bytes as Rust and Python), plans,
//! window status, audit verification, and `RolloutService` over the embedded store (memory or a SQLite
//! file) with the simulated deployer. Store-bound methods return Promises and run on libuv's thread pool,
//! off the event loop; a failure rejects with an `Error` whose `code` is the core's.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use napi::bindgen_prelude::{
    Either4, Function, JsObjectValue, JsValue, Null, Object, PromiseRaw, Unknown,
};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use scaleplan::deploy::{Deployer, PlatformAnswer, PlatformCall, SimulatedDeployer};
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

type Svc = ro::Service<Box<dyn Store>, Box<dyn Deployer>>;
type Op = Box<dyn FnOnce(&Svc) -> scaleplan::Result<Value> + Send>;
type Reply = Either4<BTreeMap<String, Value>, Vec<Value>, f64, Null>;

/// Threads per service that run store-bound calls (and wait on a JavaScript deployer's Promises), so
/// that neither the event loop nor libuv's pool (which the deployer's own I/O may need) is blocked.
const WORKERS: usize = 8;

struct Work {
    op: Op,
    deferred: napi::JsDeferred<Reply, Box<dyn FnOnce(Env) -> napi::Result<Reply> + Send>>,
}

/// The service and its workers.
struct Pool {
    svc: Arc<Svc>,
    queue: Mutex<mpsc::Sender<Work>>,
}

impl Pool {
    fn new(svc: Svc) -> Self {
        let svc = Arc::new(svc);
        let (tx, rx) = mpsc::channel::<Work>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..WORKERS {
            let rx = Arc::clone(&rx);
            let svc = Arc::clone(&svc);
            std::thread::spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok(work) = next else { return };
                    let op = work.op;
                    let out =
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| op(&svc))) {
                            Ok(Ok(v)) => Ok(v),
                            Ok(Err(e)) => Err((e.code(), e.to_string())),
                            Err(_) => Err((
                                "internal",
                                "a bug in scaleplan (a caught panic)".to_string(),
                            )),
                        };
                    work.deferred.resolve(Box::new(move |env| settle(env, out)));
                }
            });
        }
        Pool {
            svc,
            queue: Mutex::new(tx),
        }
    }
}

fn settle(
    env: Env,
    out: std::result::Result<Value, (&'static str, String)>,
) -> napi::Result<Reply> {
    match out {
        Ok(Value::Object(m)) => Ok(Either4::A(m.into_iter().collect())),
        Ok(Value::Array(a)) => Ok(Either4::B(a)),
        Ok(Value::Number(n)) => Ok(Either4::C(n.as_f64().unwrap_or(f64::NAN))),
        Ok(_) => Ok(Either4::D(Null)),
        Err((code, message)) => {
            let mut err = env.create_error(napi::Error::new(Status::GenericFailure, message))?;
            err.set_named_property("code", code)?;
            Err(napi::Error::from(err.to_unknown()))
        }
    }
}

/// A JavaScript deployer, called through the package entry's bridge: one function that takes a
/// `PlatformCall` as JSON and resolves to `{"ok": answer}` or `{"error": message}` (it never rejects).
struct JsDeployer {
    name: String,
    bridge: ThreadsafeFunction<String, PromiseRaw<'static, String>, String, Status, false, true>,
}

/// How long a worker waits for the JavaScript deployer's Promise before it counts as a platform failure.
const DEPLOYER_TIMEOUT: Duration = Duration::from_secs(120);

impl JsDeployer {
    fn call(&self, call: &PlatformCall) -> scaleplan::Result<Value> {
        let method = match call {
            PlatformCall::Apply { .. } => "apply",
            PlatformCall::Actual { .. } => "actual",
            PlatformCall::Rollback { .. } => "rollback",
        };
        let fail = |message: String| scaleplan::Error::Deploy {
            message: format!("{method}: {message}"),
        };
        let text = serde_json::to_string(call).map_err(|e| fail(e.to_string()))?;
        let (tx, rx) = mpsc::sync_channel::<std::result::Result<String, String>>(1);
        let status = self.bridge.call_with_return_value(
            text,
            ThreadsafeFunctionCallMode::Blocking,
            move |ret, _env| {
                match ret {
                    Ok(promise) => {
                        promise.then(move |ctx| {
                            let _ = tx.send(Ok(ctx.value));
                            Ok(())
                        })?;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                    }
                }
                Ok(())
            },
        );
        if status != Status::Ok {
            return Err(fail(format!("the deployer could not be called ({status})")));
        }
        let answer = match rx.recv_timeout(DEPLOYER_TIMEOUT) {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => return Err(fail(e)),
            Err(_) => {
                return Err(fail(format!(
                    "no answer within {} s",
                    DEPLOYER_TIMEOUT.as_secs()
                )));
            }
        };
        let v: Value = serde_json::from_str(&answer).map_err(|e| fail(e.to_string()))?;
        match (v.get("ok"), v.get("error")) {
            (_, Some(Value::String(e))) => Err(fail(e.clone())),
            (Some(ok), _) => Ok(ok.clone()),
            _ => Err(fail(format!("unreadable answer {answer}"))),
        }
    }
}

impl Deployer for JsDeployer {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn apply(
        &self,
        rollout_id: &str,
        target: &str,
        traffic: ro::Pct,
        now: ro::Timestamp,
    ) -> scaleplan::Result<()> {
        self.call(&PlatformCall::Apply {
            rollout_id: rollout_id.into(),
            target: target.into(),
            traffic_pct: traffic,
            now,
        })
        .map(|_| ())
    }

    fn actual(&self, rollout_id: &str, target: &str) -> scaleplan::Result<Option<ro::Pct>> {
        let v = self.call(&PlatformCall::Actual {
            rollout_id: rollout_id.into(),
            target: target.into(),
        })?;
        PlatformAnswer::traffic(&self.name, &v)
    }

    fn rollback(
        &self,
        rollout_id: &str,
        targets: &[String],
        now: ro::Timestamp,
    ) -> scaleplan::Result<Option<ro::Timestamp>> {
        let v = self.call(&PlatformCall::Rollback {
            rollout_id: rollout_id.into(),
            targets: targets.to_vec(),
            now,
        })?;
        PlatformAnswer::confirmation(&self.name, &v)
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

/// A document inside a worker: an object (camelCase or snake_case keys) or JSON text.
fn doc<T: serde::de::DeserializeOwned>(v: Value) -> scaleplan::Result<T> {
    let v = match v {
        Value::String(s) => scaleplan::json::from_str::<Value>(&s)?,
        other => other,
    };
    scaleplan::json::from_str(&crate::estimate::snake_keys(v).to_string())
}

/// `options` of `execute`, `observe` and `reportIncident`: `expectedVersion`, `idempotencyKey`, `actor`.
struct Opts {
    expected_version: Option<u64>,
    idempotency_key: Option<String>,
    actor: Option<ro::Actor>,
}

fn opts(o: Option<Value>) -> scaleplan::Result<Opts> {
    let o = o.unwrap_or(Value::Null);
    let get = |camel: &str, snake: &str| {
        o.get(camel)
            .or_else(|| o.get(snake))
            .filter(|v| !v.is_null())
            .cloned()
    };
    let expected_version = match get("expectedVersion", "expected_version") {
        None => None,
        Some(Value::Number(n)) => Some(ro::expected_version(
            "expectedVersion",
            n.as_f64().unwrap_or(f64::NAN),
        )?),
        Some(other) => {
            return Err(scaleplan::Error::WrongType {
                field: "expectedVersion".into(),
                expected: "a whole number",
                got: format!("{other}"),
            });
        }
    };
    let idempotency_key = match get("idempotencyKey", "idempotency_key") {
        None => None,
        Some(Value::String(k)) => Some(k),
        Some(other) => {
            return Err(scaleplan::Error::WrongType {
                field: "idempotencyKey".into(),
                expected: "a string",
                got: format!("{other}"),
            });
        }
    };
    let actor = get("actor", "actor").map(doc).transpose()?;
    Ok(Opts {
        expected_version,
        idempotency_key,
        actor,
    })
}

fn needs_actor(o: &Opts, what: &str) -> scaleplan::Result<ro::Actor> {
    o.actor
        .clone()
        .ok_or_else(|| scaleplan::Error::InvalidActor {
            field: "options.actor".into(),
            message: format!("{what} names who sends it: {{ id, role }} (monitor or above)"),
        })
}

/// Rollouts through the embedded store (no path or ":memory:": in memory; a path: a SQLite file) and a
/// deployer: the host's own (`options.deployer`, an object whose `apply`, `actual` and `rollback` return
/// values or Promises) or, without one, a simulated platform whose rollbacks are confirmed
/// `rollbackSecs` later. Every method returns a Promise, runs on the service's worker threads (never on
/// the event loop) and rejects, never throws, with an `Error` whose `code` is the core's.
#[napi]
pub struct RolloutService {
    pool: Pool,
    simulated: Option<Arc<SimulatedDeployer>>,
}

#[napi]
impl RolloutService {
    /// Opens the store. `options`: `{ deployer?, rollbackSecs?, approvalThresholds?: { maxUsers,
    /// maxMonthlyCost } }`. (The package entry turns `options.deployer` into the bridge function.)
    #[napi(
        constructor,
        ts_args_type = "path?: string | null, options?: RolloutServiceOptions"
    )]
    pub fn new(
        path: Option<String>,
        options: Option<Value>,
        bridge: Option<Function<'_, String, PromiseRaw<'static, String>>>,
        deployer_name: Option<String>,
    ) -> Result<Self> {
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
        let key = match o.get("auditKey").or_else(|| o.get("audit_key")) {
            Some(Value::String(k)) => Some(guard(|| ro::AuditKey::new(k.clone().into_bytes()))?),
            Some(Value::Null) | None => None,
            Some(other) => {
                return guard(|| {
                    Err(scaleplan::Error::WrongType {
                        field: "options.auditKey".into(),
                        expected: "a string (the host's secret, 16 bytes or more)",
                        got: format!("{other}"),
                    })
                });
            }
        };
        let store = guard(|| store::open_keyed(path.as_deref(), key))?;
        let (deployer, simulated): (Box<dyn Deployer>, _) = match bridge {
            Some(f) => {
                let tsfn = f
                    .build_threadsafe_function::<String>()
                    .callee_handled::<false>()
                    .weak::<true>()
                    .build()
                    .map_err(|e| {
                        napi::Error::new(crate::errors::Code("internal"), e.to_string())
                    })?;
                let name = deployer_name.unwrap_or_else(|| "deployer".into());
                (Box::new(JsDeployer { name, bridge: tsfn }), None)
            }
            None => {
                let sim = Arc::new(SimulatedDeployer::new(secs));
                (Box::new(Arc::clone(&sim)), Some(sim))
            }
        };
        Ok(RolloutService {
            pool: Pool::new(ro::Service::new(store, deployer).with_approval_thresholds(thresholds)),
            simulated,
        })
    }

    fn job<'env>(&self, env: &'env Env, op: Op) -> napi::Result<Object<'env>> {
        let (deferred, promise) = env.create_deferred()?;
        let queue = self
            .pool
            .queue
            .lock()
            .map_err(|_| napi::Error::from_reason("rollout service workers poisoned"))?;
        if let Err(mpsc::SendError(work)) = queue.send(Work { op, deferred }) {
            work.deferred.resolve(Box::new(|env| {
                settle(
                    env,
                    Err(("internal", "rollout service workers stopped".to_string())),
                )
            }));
        }
        Ok(promise)
    }

    /// The name of the platform the service drives (`simulated` without a deployer).
    #[napi(getter)]
    pub fn deployer_name(&self) -> String {
        self.pool.svc.deployer().name()
    }

    /// Creates rollout `id` (state ready) initiated by `initiator` (`{ id, role }`, operations manager or
    /// above).
    #[napi(
        ts_args_type = "id: string, plan: RolloutPlanInput | string, initiator: Actor, now: string, policy?: object",
        ts_return_type = "Promise<Record<string, any>>"
    )]
    pub fn create<'env>(
        &self,
        env: &'env Env,
        id: String,
        plan: Value,
        initiator: Value,
        now: String,
        policy: Option<Value>,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| {
                let plan: ro::RolloutPlan = doc(plan)?;
                let actor: ro::Actor = doc(initiator)?;
                let policy: ro::GatePolicy = match policy {
                    Some(p) if !p.is_null() => doc(p)?,
                    _ => ro::GatePolicy::default(),
                };
                let now = time("now", &now)?;
                js(&s.create(&id, plan, policy, &actor, now)?)
            }),
        )
    }

    /// Applies a command at `now`. `pause`, `rollback` and `abort` ignore `expectedVersion` (they are
    /// re-applied against the latest state); the others reject with `conflict` on a stale one.
    #[napi(
        ts_args_type = "id: string, command: RolloutCommand, now: string, options?: CommandOptions",
        ts_return_type = "Promise<CommandOutcome>"
    )]
    pub fn execute<'env>(
        &self,
        env: &'env Env,
        id: String,
        command: Value,
        now: String,
        options: Option<Value>,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| {
                let cmd: ro::Command = doc(command)?;
                let o = opts(options)?;
                let now = time("now", &now)?;
                js(&s.execute(
                    &id,
                    cmd,
                    now,
                    o.expected_version,
                    o.idempotency_key.as_deref(),
                )?)
            }),
        )
    }

    /// A tick at `now` sent by `options.actor` (monitor or above) with the window ending then (or null)
    /// and analytics event times since the last tick.
    #[napi(
        ts_args_type = "id: string, now: string, window: RolloutWindow | null | undefined, events: string[] | null | undefined, options: ObserveOptions",
        ts_return_type = "Promise<CommandOutcome>"
    )]
    pub fn observe<'env>(
        &self,
        env: &'env Env,
        id: String,
        now: String,
        window: Option<Value>,
        events: Option<Vec<String>>,
        options: Option<Value>,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| {
                let window: Option<ro::Window> = match window {
                    Some(w) if !w.is_null() => Some(doc(w)?),
                    _ => None,
                };
                let o = opts(options)?;
                let actor = needs_actor(&o, "an observation")?;
                let now = time("now", &now)?;
                let events = events
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| time(&format!("events[{i}]"), e))
                    .collect::<scaleplan::Result<Vec<_>>>()?;
                js(&s.observe(
                    &id,
                    &actor,
                    window,
                    events,
                    now,
                    o.idempotency_key.as_deref(),
                )?)
            }),
        )
    }

    /// Records or updates an incident (`{ id, severity, openedAt, resolvedAt }`) reported by
    /// `options.actor` (monitor or above).
    #[napi(
        ts_args_type = "id: string, incident: RolloutIncident, options: { actor: Actor }",
        ts_return_type = "Promise<null>"
    )]
    pub fn report_incident<'env>(
        &self,
        env: &'env Env,
        id: String,
        incident: Value,
        options: Option<Value>,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| {
                let i: ro::Incident = doc(incident)?;
                let o = opts(options)?;
                let actor = needs_actor(&o, "an incident report")?;
                s.report_incident(&id, &actor, &i)?;
                Ok(Value::Null)
            }),
        )
    }

    /// The rollout's full state.
    #[napi(ts_return_type = "Promise<Record<string, any>>")]
    pub fn rollout<'env>(&self, env: &'env Env, id: String) -> napi::Result<Object<'env>> {
        self.job(env, Box::new(move |s| js(&s.rollout(&id)?)))
    }

    /// Every rollout id in the store.
    #[napi(ts_return_type = "Promise<string[]>")]
    pub fn rollout_ids<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        self.job(env, Box::new(|s| js(&s.store().rollout_ids()?)))
    }

    /// The dashboard view at `now`.
    #[napi(ts_return_type = "Promise<RolloutProgress>")]
    pub fn progress<'env>(
        &self,
        env: &'env Env,
        id: String,
        now: String,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| js(&s.progress(&id, time("now", &now)?)?)),
        )
    }

    /// The audit log (hash-chained events).
    #[napi(ts_return_type = "Promise<AuditEvent[]>")]
    pub fn audit<'env>(&self, env: &'env Env, id: String) -> napi::Result<Object<'env>> {
        self.job(env, Box::new(move |s| js(&s.store().audit(&id)?)))
    }

    /// The decision log, oldest first; with `options.limit`, one page, newest first: at most `limit` (up to
    /// 1,000) decisions older than version `options.before`, read without loading the rest.
    #[napi(
        ts_args_type = "id: string, options?: { limit?: number; before?: number }",
        ts_return_type = "Promise<RolloutDecision[]>"
    )]
    pub fn decisions<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<Value>,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| {
                let o = options.unwrap_or(Value::Null);
                let num = |k: &str| -> scaleplan::Result<Option<u64>> {
                    match o.get(k) {
                        None | Some(Value::Null) => Ok(None),
                        Some(v) => {
                            ro::expected_version(k, v.as_f64().unwrap_or(f64::NAN)).map(Some)
                        }
                    }
                };
                match num("limit")? {
                    Some(n) => js(&s.decisions(&id, n as usize, num("before")?)?),
                    None => js(&s.store().decisions(&id)?),
                }
            }),
        )
    }

    /// Checks the stored audit chain.
    #[napi(ts_return_type = "Promise<ChainCheck>")]
    pub fn verify_audit<'env>(&self, env: &'env Env, id: String) -> napi::Result<Object<'env>> {
        self.job(env, Box::new(move |s| js(&s.verify_audit(&id)?)))
    }

    /// Re-applies desired traffic where the platform differs; resolves to the rollout.
    #[napi(ts_return_type = "Promise<Record<string, any>>")]
    pub fn reconcile<'env>(
        &self,
        env: &'env Env,
        id: String,
        now: String,
    ) -> napi::Result<Object<'env>> {
        self.job(
            env,
            Box::new(move |s| js(&s.reconcile(&id, time("now", &now)?)?)),
        )
    }

    /// Traffic (percent) the simulated deployer runs for rollout `rolloutId` on `target`, or null. A
    /// service with the host's own deployer rejects with `deploy` (ask the platform).
    #[napi(ts_return_type = "Promise<number | null>")]
    pub fn deployed_traffic<'env>(
        &self,
        env: &'env Env,
        rollout_id: String,
        target: String,
    ) -> napi::Result<Object<'env>> {
        let sim = self.simulated.clone();
        self.job(
            env,
            Box::new(move |s| match sim {
                Some(sim) => Ok(match sim.actual(&rollout_id, &target)? {
                    Some(p) => serde_json::json!(p.as_f64()),
                    None => Value::Null,
                }),
                None => Err(scaleplan::Error::Deploy {
                    message: format!(
                        "this service drives the host's deployer `{}`: ask the platform for its traffic",
                        s.deployer().name()
                    ),
                }),
            }),
        )
    }
}
