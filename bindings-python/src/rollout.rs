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

/// Replays the gating policy over recorded evidence (a plan, a start state, windows, analytics events,
/// incidents, commands) and returns every decision with its reasons: the back-test of a rollout policy.
///
/// Parameters
/// ----------
/// input : str
///     The policy spec's replay JSON.
///
/// Returns
/// -------
/// str
///     The replay's result as canonical JSON (the same bytes as Rust and Node): `decisions`, `commands`,
///     `final`, `rollback`, `alerts`, `evidence_rejections`, `audit`; `scaleplan.plot.rollout` draws it.
///
/// Raises
/// ------
/// InvalidInputError
///     Malformed JSON (with its line and column, and the field), windows out of order, an illegal start
///     state.
///
/// Examples
/// --------
/// >>> import json, scaleplan
/// >>> at = lambda m: f"2025-06-02T00:{m:02d}:00Z"
/// >>> replay = {"plan": {"phases": [{"traffic_pct": 10, "min_duration_secs": 600},
/// ...                               {"traffic_pct": 100, "min_duration_secs": 600}]},
/// ...           "rollout": {"id": "R-1", "initiator": "carol"},
/// ...           "start": {"phase": 1, "attempt_start": at(0), "state": "running", "version": 0},
/// ...           "until": at(15),
/// ...           "windows": [{"start": at(m), "end": at(m + 5), "requests": 2000, "errors": 4, "p95_ms": 320}
/// ...                       for m in (0, 5, 10)],
/// ...           "events": [at(m) for m in (0, 5, 10, 15)]}
/// >>> out = json.loads(scaleplan.simulate(json.dumps(replay)))
/// >>> [(d["at"][11:16], d["decision"], d["traffic_pct"]) for d in out["decisions"]]
/// [('00:05', 'hold', 10), ('00:10', 'hold', 10), ('00:15', 'advance', 100)]
#[pyfunction]
fn simulate(py: Python<'_>, input: &str) -> PyResult<String> {
    guard(py, || py.detach(|| ro::simulate(input)))
}

/// A validated rollout plan: the gradual default (10 % -> 25 % -> 50 % -> 100 %, minimum 2 h, 4 h, 6 h,
/// 24 h), all at once, or custom phases, over one target or waves of targets.
///
/// Parameters
/// ----------
/// strategy : {"gradual", "immediate", "custom"}, optional
///     Default "gradual".
/// phases : list of dict, optional
///     With "custom": `{traffic_pct, min_duration_secs, gate, approval}` per phase.
/// scope : dict, optional
///     The targets (regions, clusters) and how they are grouped into waves.
/// waves : {"sequential", "parallel"}, optional
///     Default "sequential".
///
/// Returns
/// -------
/// dict
///     The plan with its defaults filled in (`phases`, `revision` ...).
///
/// Raises
/// ------
/// InvalidInputError
///     Traffic that does not increase or leaves (0, 100] (`invalid_plan`, naming the phase), custom without
///     phases, an unknown gate field.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> [(p["traffic_pct"], p["min_duration_secs"]) for p in scaleplan.rollout_plan()["phases"]]
/// [(10, 7200), (25, 14400), (50, 21600), (100, 86400)]
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

/// Validates a plan document and returns it with its defaults filled in.
///
/// Parameters
/// ----------
/// plan : dict or str
///
/// Returns
/// -------
/// dict
///
/// Raises
/// ------
/// InvalidInputError
///     `invalid_plan` naming the field (`phases[1].traffic_pct`), or `json` for an unknown field.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> try:
/// ...     scaleplan.validate_plan({"phases": [{"traffic_pct": 50, "min_duration_secs": 0},
/// ...                                         {"traffic_pct": 25, "min_duration_secs": 0}]})
/// ... except scaleplan.InvalidInputError as e:
/// ...     print(e.code, "phases[1].traffic_pct" in str(e))
/// invalid_plan True
#[pyfunction]
fn validate_plan(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let plan: ro::RolloutPlan = doc(py, "plan", plan)?;
    guard(py, || plan.validate())?;
    to_py(py, &plan)
}

/// Whether one metric window is "good", a "breach" (p95 or error rate over its limit) or "insufficient"
/// (too few requests to judge) under a gating policy.
///
/// Parameters
/// ----------
/// window : dict or str
///     `{start, end, requests, errors, p95_ms}` (RFC 3339 times).
/// policy : dict or str, optional
///     The gating policy's limits (`p95_limit_ms`, error-rate limits, `min_requests` ...); None takes the
///     spec's defaults (p95 500 ms, 100 requests).
///
/// Returns
/// -------
/// {"good", "breach", "insufficient"}
///
/// Raises
/// ------
/// InvalidInputError
///     A malformed window (end before start, errors above requests).
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> w = {"start": "2025-06-02T00:00:00Z", "end": "2025-06-02T00:05:00Z", "requests": 2000,
/// ...      "errors": 0, "p95_ms": 500}
/// >>> scaleplan.window_status(w), scaleplan.window_status(dict(w, p95_ms=500.5))
/// ('good', 'breach')
/// >>> scaleplan.window_status(w, {"p95_limit_ms": 400})
/// 'breach'
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

/// Checks a hash-chained audit log: every event's hash over its fields and the previous hash.
///
/// Parameters
/// ----------
/// events : list of dict
///     The events as `RolloutService.audit` returns them.
///
/// Returns
/// -------
/// dict
///     `intact` (bool), `events` (how many were checked), `broken_at` (the first bad `seq`, or None),
///     `problem` (what was wrong there, or None).
///
/// Raises
/// ------
/// InvalidInputError
///     A malformed event.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> svc = scaleplan.RolloutService()                    # in memory; a path gives SQLite
/// >>> carol = {"id": "carol", "role": "operations_manager"}
/// >>> plan = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 10, "min_duration_secs": 900},
/// ...                                                 {"traffic_pct": 100, "min_duration_secs": 900}])
/// >>> _ = svc.create("R-1", plan, carol, "2026-10-27T00:00:00Z")
/// >>> _ = svc.execute("R-1", {"kind": "start", "actor": carol}, "2026-10-27T00:00:00Z")
/// >>> events = svc.audit("R-1")
/// >>> scaleplan.verify_audit(events)["intact"]
/// True
/// >>> events[1]["actor_id"] = "mallory"
/// >>> scaleplan.verify_audit(events)["broken_at"]
/// 2
#[pyfunction]
fn verify_audit(py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let events: Vec<ro::AuditEvent> = doc(py, "events", events)?;
    to_py(py, &ro::verify(&events))
}

type Svc = ro::Service<Box<dyn Store>, Box<dyn Deployer>>;

/// The rollout service: rollouts in phases that advance, hold, pause or roll back on health evidence,
/// with roles, approvals and a hash-chained audit log, over the embedded store and a deployer. Every state
/// change is one transaction with its audit event; a concurrent writer gets a `ConflictError`.
///
/// Parameters
/// ----------
/// path : str, optional
///     None: in memory; a file path: SQLite (created if missing, shared by processes on one machine).
/// deployer : object, optional
///     The host's platform (any object with the `scaleplan.Deployer` protocol's methods); without one, a
///     simulated platform.
/// rollback_secs : int, optional
///     Seconds after which the simulated platform confirms a rollback (default 60).
/// approval_thresholds : dict, optional
///     `{max_users, max_monthly_cost}`: plans targeting more users, or costing more per month, need an
///     approval for phase 1.
/// audit_key : str or bytes, optional
///     A secret of 16 bytes or more: the audit chain is then HMAC-SHA256 instead of SHA-256.
///
/// Methods
/// -------
/// create(id, plan, initiator, now, policy=None)
///     A rollout in state ready.
/// execute(id, command, now, *, expected_version=None, idempotency_key=None)
///     start, pause, resume, rollback, approve, abort, confirm_rollback.
/// observe(id, now, window=None, events=None, *, actor, idempotency_key=None)
///     A tick with the window ending then: the gating decision and its reasons.
/// report_incident(id, incident, *, actor)
/// rollout(id), rollout_ids(), progress(id, now), decisions(id, *, limit=None, before=None), audit(id),
/// verify_audit(id), reconcile(id, now), deployed_traffic(rollout_id, target)
///
/// Raises
/// ------
/// ForbiddenError
///     A role that may not do the command (`forbidden`).
/// IllegalTransitionError
///     A command the state does not allow (resume with an incident open: `incident_still_open`).
/// ConflictError
///     A stale `expected_version`, late evidence (`late_evidence`).
/// NotFoundError
///     An unknown rollout id.
/// StorageError
///     The store failed.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> svc = scaleplan.RolloutService()
/// >>> carol, monitor = {"id": "carol", "role": "operations_manager"}, {"id": "bridge", "role": "monitor"}
/// >>> plan = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 10, "min_duration_secs": 900},
/// ...                                                 {"traffic_pct": 100, "min_duration_secs": 900}])
/// >>> svc.create("R-1", plan, carol, "2026-10-27T00:00:00Z")["status"]
/// 'ready'
/// >>> svc.execute("R-1", {"kind": "start", "actor": carol}, "2026-10-27T00:00:00Z")["traffic_pct"]
/// 10
/// >>> for i in range(3):
/// ...     start, end = f"2026-10-27T00:{5 * i:02d}:00Z", f"2026-10-27T00:{5 * i + 5:02d}:00Z"
/// ...     out = svc.observe("R-1", end, {"start": start, "end": end, "requests": 2000, "errors": 3,
/// ...                                    "p95_ms": 310}, [end], actor=monitor)
/// >>> out["decision"]["decision"], out["traffic_pct"]
/// ('advance', 100)
/// >>> scaleplan.to_pandas(svc.decisions("R-1"))["decision"].tolist()
/// ['hold', 'hold', 'advance']
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

/// A plan's canonical JSON text (the same bytes as Rust and Node write), after validation.
///
/// Parameters
/// ----------
/// plan : dict or str
///
/// Returns
/// -------
/// str
///
/// Raises
/// ------
/// InvalidInputError
///     As `validate_plan`.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> scaleplan.plan_json(scaleplan.rollout_plan("immediate"))[:40]
/// '{"revision":1,"strategy":"immediate","ph'
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
