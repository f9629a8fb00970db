//! Rollouts for Python: plans, window status, the back-test `simulate`, audit verification, and
//! `RolloutService` over the embedded store (memory or a SQLite file) with the simulated deployer.
//! Documents are dicts or JSON text in the canonical snake_case shape; times are RFC 3339 UTC strings.
//! Store-bound calls release the GIL.

use pyo3::prelude::*;
use std::sync::Arc;

use scaleplan::deploy::{Deployer, SimulatedDeployer};
use scaleplan::rollout as ro;
use scaleplan::store::{self, Store};

use crate::convert::to_py;
use crate::errors::guard;
use crate::significance::doc;

fn time(py: Python<'_>, field: &str, s: &str) -> PyResult<ro::Timestamp> {
    guard(py, || ro::Timestamp::parse_field(field, s))
}

/// Replays the gating policy over recorded evidence: JSON text in, JSON text out (the same bytes as
/// Rust and Node).
#[pyfunction]
fn simulate(py: Python<'_>, input: &str) -> PyResult<String> {
    guard(py, || py.detach(|| ro::simulate(input)))
}

/// A validated plan as a dict: `strategy` is "gradual", "immediate" or "custom" (with `phases`).
#[pyfunction]
#[pyo3(signature = (strategy = "gradual", *, phases = None, scope = None, waves = "sequential"))]
fn rollout_plan(
    py: Python<'_>,
    strategy: &str,
    phases: Option<&Bound<'_, PyAny>>,
    scope: Option<&Bound<'_, PyAny>>,
    waves: &str,
) -> PyResult<Py<PyAny>> {
    let scope: ro::Scope = match scope {
        Some(s) => doc(py, "scope", s)?,
        None => ro::Scope::AllRegions,
    };
    let waves = match waves {
        "sequential" => ro::WaveMode::Sequential,
        "parallel" => ro::WaveMode::Parallel,
        other => {
            return Err(crate::errors::to_py_err(
                py,
                scaleplan::Error::UnknownVariant {
                    field: "waves".into(),
                    value: other.into(),
                    expected: "\"sequential\" or \"parallel\"",
                },
            ));
        }
    };
    let plan = match (strategy, phases) {
        ("gradual", None) => guard(py, || ro::RolloutPlan::gradual(scope, waves))?,
        ("immediate", None) => guard(py, || ro::RolloutPlan::immediate(scope))?,
        ("custom", Some(p)) => {
            let phases: Vec<ro::PhaseSpec> = doc(py, "phases", p)?;
            guard(py, || ro::RolloutPlan::custom(phases, scope, waves))?
        }
        _ => {
            return Err(crate::errors::to_py_err(
                py,
                scaleplan::Error::UnknownVariant {
                    field: "strategy".into(),
                    value: strategy.into(),
                    expected: "\"gradual\", \"immediate\" (without phases) or \"custom\" (with phases)",
                },
            ));
        }
    };
    to_py(py, &plan)
}

/// Validates a plan document and returns it with defaults filled in.
#[pyfunction]
fn validate_plan(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let plan: ro::RolloutPlan = doc(py, "plan", plan)?;
    guard(py, || plan.validate())?;
    to_py(py, &plan)
}

/// "good", "breach" or "insufficient" for a window under `policy` (default: the spec's).
#[pyfunction]
#[pyo3(signature = (window, policy = None))]
fn window_status(
    py: Python<'_>,
    window: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let w: ro::Window = doc(py, "window", window)?;
    let p: ro::GatePolicy = match policy {
        Some(p) => doc(py, "policy", p)?,
        None => ro::GatePolicy::default(),
    };
    guard(py, || p.validate())?;
    let s = ro::window_status(w.requests, w.p95_ms, p.min_requests, p.p95_limit_ms);
    Ok(scaleplan::json::to_string(&s)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string())
}

/// Checks an audit log (a list of events as `RolloutService.audit` returns them).
#[pyfunction]
fn verify_audit(py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let events: Vec<ro::AuditEvent> = doc(py, "events", events)?;
    to_py(py, &ro::verify(&events))
}

type Svc = ro::Service<Box<dyn Store>, Box<dyn Deployer>>;

/// The rollout service over the embedded store (`path=None`: in memory; a path: a SQLite file) and a
/// deployer: the host's own (`deployer=`, any object with the `Deployer` protocol's methods) or, without
/// one, a simulated platform whose rollbacks are confirmed `rollback_secs` later.
#[pyclass(name = "RolloutService", module = "scaleplan", frozen)]
pub struct PyRolloutService {
    svc: Svc,
    simulated: Option<Arc<SimulatedDeployer>>,
}

#[pymethods]
impl PyRolloutService {
    #[new]
    #[pyo3(signature = (path = None, *, deployer = None, rollback_secs = 60, approval_thresholds = None, audit_key = None))]
    fn new(
        py: Python<'_>,
        path: Option<&str>,
        deployer: Option<&Bound<'_, PyAny>>,
        rollback_secs: i64,
        approval_thresholds: Option<&Bound<'_, PyAny>>,
        audit_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let key = match audit_key {
            None => None,
            Some(k) => {
                let bytes: Vec<u8> = match k.extract::<String>() {
                    Ok(s) => s.into_bytes(),
                    Err(_) => k.extract::<Vec<u8>>()?,
                };
                Some(guard(py, || ro::AuditKey::new(bytes))?)
            }
        };
        let thresholds: ro::ApprovalThresholds = match approval_thresholds {
            Some(t) => doc(py, "approval_thresholds", t)?,
            None => ro::ApprovalThresholds::default(),
        };
        let store = guard(py, || py.detach(|| store::open_keyed(path, key)))?;
        let (d, simulated): (Box<dyn Deployer>, _) = match deployer {
            Some(obj) => (Box::new(crate::deployer::PyDeployer::new(obj)), None),
            None => {
                let sim = Arc::new(SimulatedDeployer::new(rollback_secs));
                (Box::new(Arc::clone(&sim)), Some(sim))
            }
        };
        Ok(PyRolloutService {
            svc: ro::Service::new(store, d).with_approval_thresholds(thresholds),
            simulated,
        })
    }

    /// Creates rollout `id` (state ready) initiated by `initiator` (`{"id", "role"}`).
    #[pyo3(signature = (id, plan, initiator, now, policy = None))]
    fn create(
        &self,
        py: Python<'_>,
        id: &str,
        plan: &Bound<'_, PyAny>,
        initiator: &Bound<'_, PyAny>,
        now: &str,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let plan: ro::RolloutPlan = doc(py, "plan", plan)?;
        let actor: ro::Actor = doc(py, "initiator", initiator)?;
        let policy: ro::GatePolicy = match policy {
            Some(p) => doc(py, "policy", p)?,
            None => ro::GatePolicy::default(),
        };
        let now = time(py, "now", now)?;
        let r = guard(py, || {
            py.detach(|| self.svc.create(id, plan, policy, &actor, now))
        })?;
        to_py(py, &r)
    }

    /// Applies a command (`{"kind": "start" | "pause" | "resume" | "rollback" | "approve" | "abort" |
    /// "observe" | "confirm_rollback", ...}`) at `now`.
    #[pyo3(signature = (id, command, now, *, expected_version = None, idempotency_key = None))]
    fn execute(
        &self,
        py: Python<'_>,
        id: &str,
        command: &Bound<'_, PyAny>,
        now: &str,
        expected_version: Option<u64>,
        idempotency_key: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let cmd: ro::Command = doc(py, "command", command)?;
        let now = time(py, "now", now)?;
        let out = guard(py, || {
            py.detach(|| {
                self.svc
                    .execute(id, cmd, now, expected_version, idempotency_key)
            })
        })?;
        to_py(py, &out)
    }

    /// A tick at `now` sent by `actor` (`{"id", "role"}`, monitor or above): the window ending then (or
    /// None) and analytics event times since the last tick.
    #[pyo3(signature = (id, now, window = None, events = None, *, actor, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn observe(
        &self,
        py: Python<'_>,
        id: &str,
        now: &str,
        window: Option<&Bound<'_, PyAny>>,
        events: Option<Vec<String>>,
        actor: &Bound<'_, PyAny>,
        idempotency_key: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let actor: ro::Actor = doc(py, "actor", actor)?;
        let window: Option<ro::Window> = window.map(|w| doc(py, "window", w)).transpose()?;
        let events = events
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, e)| time(py, &format!("events[{i}]"), e))
            .collect::<PyResult<Vec<_>>>()?;
        let now = time(py, "now", now)?;
        let out = guard(py, || {
            py.detach(|| {
                self.svc
                    .observe(id, &actor, window, events, now, idempotency_key)
            })
        })?;
        to_py(py, &out)
    }

    /// Records or updates an incident (`{"id", "severity", "opened_at", "resolved_at"}`) reported by
    /// `actor` (monitor or above).
    #[pyo3(signature = (id, incident, *, actor))]
    fn report_incident(
        &self,
        py: Python<'_>,
        id: &str,
        incident: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let i: ro::Incident = doc(py, "incident", incident)?;
        let actor: ro::Actor = doc(py, "actor", actor)?;
        guard(py, || {
            py.detach(|| self.svc.report_incident(id, &actor, &i))
        })
    }

    /// The rollout's full state.
    fn rollout(&self, py: Python<'_>, id: &str) -> PyResult<Py<PyAny>> {
        let r = guard(py, || py.detach(|| self.svc.rollout(id)))?;
        to_py(py, &r)
    }

    /// Every rollout id in the store.
    fn rollout_ids(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        guard(py, || py.detach(|| self.svc.store().rollout_ids()))
    }

    /// The dashboard view at `now`.
    fn progress(&self, py: Python<'_>, id: &str, now: &str) -> PyResult<Py<PyAny>> {
        let now = time(py, "now", now)?;
        let p = guard(py, || py.detach(|| self.svc.progress(id, now)))?;
        to_py(py, &p)
    }

    /// The audit log (hash-chained events).
    fn audit(&self, py: Python<'_>, id: &str) -> PyResult<Py<PyAny>> {
        let a = guard(py, || py.detach(|| self.svc.store().audit(id)))?;
        to_py(py, &a)
    }

    /// The decision log, oldest first; with `limit`, one page of it, newest first: at most `limit`
    /// (up to 1,000) decisions older than version `before`, read without loading the rest.
    #[pyo3(signature = (id, *, limit = None, before = None))]
    fn decisions(
        &self,
        py: Python<'_>,
        id: &str,
        limit: Option<usize>,
        before: Option<u64>,
    ) -> PyResult<Py<PyAny>> {
        let d = guard(py, || {
            py.detach(|| match limit {
                Some(n) => self.svc.decisions(id, n, before),
                None => self.svc.store().decisions(id),
            })
        })?;
        to_py(py, &d)
    }

    /// Checks the stored audit chain.
    fn verify_audit(&self, py: Python<'_>, id: &str) -> PyResult<Py<PyAny>> {
        let c = guard(py, || py.detach(|| self.svc.verify_audit(id)))?;
        to_py(py, &c)
    }

    /// Re-applies desired traffic where the deployer differs; returns the rollout.
    fn reconcile(&self, py: Python<'_>, id: &str, now: &str) -> PyResult<Py<PyAny>> {
        let now = time(py, "now", now)?;
        let r = guard(py, || py.detach(|| self.svc.reconcile(id, now)))?;
        to_py(py, &r)
    }

    /// Traffic the simulated deployer runs for rollout `rollout_id` on `target` (percent), or None.
    /// A service with the host's own deployer has no simulator to ask (`deploy` error: ask the platform).
    fn deployed_traffic(
        &self,
        py: Python<'_>,
        rollout_id: &str,
        target: &str,
    ) -> PyResult<Option<f64>> {
        let p = guard(py, || match &self.simulated {
            Some(sim) => sim.actual(rollout_id, target),
            None => Err(scaleplan::Error::Deploy {
                message: format!(
                    "this service drives the host's deployer `{}`: ask the platform for its traffic",
                    self.svc.deployer().name()
                ),
            }),
        })?;
        Ok(p.map(|p| p.as_f64()))
    }

    /// The name of the platform the service drives (`simulated` without a deployer).
    #[getter]
    fn deployer_name(&self) -> String {
        self.svc.deployer().name()
    }
}

/// Canonical JSON text of a plan (the same bytes as Rust and Node).
#[pyfunction]
fn plan_json(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<String> {
    let plan: ro::RolloutPlan = doc(py, "plan", plan)?;
    guard(py, || scaleplan::json::to_string(&plan))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(rollout_plan, m)?)?;
    m.add_function(wrap_pyfunction!(validate_plan, m)?)?;
    m.add_function(wrap_pyfunction!(plan_json, m)?)?;
    m.add_function(wrap_pyfunction!(window_status, m)?)?;
    m.add_function(wrap_pyfunction!(verify_audit, m)?)?;
    m.add_class::<PyRolloutService>()?;
    Ok(())
}
