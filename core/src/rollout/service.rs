//! The live service: applies [`super::apply`] through a [`Store`] (one transaction per command, with the
//! audit records, an expected version and an idempotency key) and then tells the [`Deployer`]. On every
//! call it first reconciles desired and actual traffic, so a crash between commit and deploy heals.

use serde::{Deserialize, Serialize};

use super::audit::{AuditKind, AuditRecord, ChainCheck, Outcome, verify};
use super::gate::{Incident, Window};
use super::machine::{
    Command, Context, Decision, Observation, RollbackRecord, Rollout, Status, apply, rejection,
};
use super::plan::{ApprovalThresholds, RolloutPlan};
use super::policy::{Actor, GatePolicy};
use super::progress::{Progress, progress};
use super::timestamp::{Pct, Timestamp};
use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::store::{Commit, Committed, DocumentKind, Store, from_json, to_json};

/// What a command did, as returned (and stored with its idempotency key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandOutcome {
    /// The rollout.
    pub rollout_id: String,
    /// The command (`observe`, `pause`, …).
    pub command: String,
    /// Version after it.
    pub version: u64,
    /// State after it (after a synchronous rollback confirmation, if the deployer gave one).
    pub state: Status,
    /// Phase after it.
    pub phase: usize,
    /// Traffic after it.
    pub traffic_pct: Pct,
    /// The tick's decision.
    pub decision: Option<Decision>,
    /// The rollback's timing, once one was decided.
    pub rollback: Option<RollbackRecord>,
    /// True when this outcome was stored earlier under the same idempotency key (nothing was applied now).
    #[serde(default)]
    pub replayed: bool,
}

/// Rollouts through a store and a deployer.
///
/// # Example
/// ```
/// use scaleplan::deploy::SimulatedDeployer;
/// use scaleplan::rollout::*;
/// use scaleplan::store::{MemoryStore, Store};
/// let svc = Service::new(MemoryStore::new(), SimulatedDeployer::new(60));
/// let t0 = Timestamp::parse("2025-06-02T00:00:00Z").unwrap();
/// let carol = Actor::new("carol", Role::OperationsManager);
/// let plan = RolloutPlan::gradual(Scope::AllRegions, WaveMode::Sequential)?;
/// svc.create("R-1", plan, GatePolicy::default(), &carol, t0)?;
/// let out = svc.execute("R-1", Command::Start { actor: carol }, t0, Some(0), Some("start-1"))?;
/// assert_eq!((out.state, out.traffic_pct.hundredths()), (Status::Running, 1000));
/// // the same key again applies nothing
/// let again = svc.execute("R-1", Command::Rollback { actor: Actor::new("ops", Role::Operator), reason: None },
///                         t0, None, Some("start-1"))?;
/// assert!(again.replayed);
/// assert_eq!(svc.store().load_rollout("R-1")?.unwrap().status, Status::Running);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub struct Service<S: Store, D: Deployer> {
    store: S,
    deployer: D,
    thresholds: ApprovalThresholds,
}

impl<S: Store, D: Deployer> Service<S, D> {
    /// A service with no approval thresholds (no plan needs a start approval unless it says so).
    pub fn new(store: S, deployer: D) -> Self {
        Service {
            store,
            deployer,
            thresholds: ApprovalThresholds::default(),
        }
    }

    /// Plans above these sizes need an approval from someone else before they start.
    pub fn with_approval_thresholds(mut self, thresholds: ApprovalThresholds) -> Self {
        self.thresholds = thresholds;
        self
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The deployer.
    pub fn deployer(&self) -> &D {
        &self.deployer
    }

    /// Creates a rollout in state Ready (audited as `create`). A plan above the approval thresholds gets
    /// `requires_approval` on its first phase.
    ///
    /// # Errors
    /// `invalid_plan`, the policy's errors, `currency_mismatch`, `duplicate_name` (id taken), `storage`.
    pub fn create(
        &self,
        id: &str,
        mut plan: RolloutPlan,
        policy: GatePolicy,
        initiator: &Actor,
        now: Timestamp,
    ) -> Result<Rollout> {
        if plan.needs_start_approval(&self.thresholds)?
            && let Some(first) = plan.phases.first_mut()
        {
            first.requires_approval = true;
        }
        let r = Rollout::new(id, Some(initiator.id.clone()), plan, policy, now)?;
        let side = r.phase_state();
        let rec = AuditRecord {
            at: now,
            actor_id: initiator.id.clone(),
            kind: AuditKind::Command,
            action: "create".into(),
            outcome: Outcome::Accepted,
            error: None,
            before: side,
            after: side,
            reason: None,
        };
        self.store.create_rollout(&r, &[rec])?;
        self.store
            .put_document(DocumentKind::Plan, id, &to_json(&r.plan)?)?;
        Ok(r)
    }

    fn load(&self, id: &str) -> Result<Rollout> {
        self.store
            .load_rollout(id)?
            .ok_or_else(|| Error::UnknownRollout { id: id.to_string() })
    }

    /// Applies a command at `now`. `expected_version` (if given) must be the current version;
    /// `idempotency_key` makes a retry safe: the same key returns the first outcome and applies nothing.
    /// A refused command is audited (outcome `rejected`) and its typed error returned.
    ///
    /// # Errors
    /// Every error of [`super::apply`], `unknown_rollout`, `storage`, `deploy`.
    pub fn execute(
        &self,
        id: &str,
        cmd: Command,
        now: Timestamp,
        expected_version: Option<u64>,
        idempotency_key: Option<&str>,
    ) -> Result<CommandOutcome> {
        let r = self.load(id)?;
        if !matches!(cmd, Command::ConfirmRollback)
            && let Some(healed) = self.reconcile_loaded(&r, now)?
        {
            if let Some(key) = idempotency_key
                && let Some(o) = self.store.idempotent_outcome(id, key)?
            {
                return replayed(&o);
            }
            // the heal confirmed a rollback: the command now runs against the new state
            if healed.version != r.version {
                return self.execute(id, cmd, now, expected_version, idempotency_key);
            }
        }
        if let Some(key) = idempotency_key
            && let Some(o) = self.store.idempotent_outcome(id, key)?
        {
            return replayed(&o);
        }
        let known: Vec<Incident> = self
            .store
            .incidents(id)?
            .iter()
            .filter_map(|i| i.as_known_at(now))
            .collect();
        let ctx = Context {
            now,
            incidents: &known,
            expected_version,
        };
        match apply(&r, &cmd, &ctx) {
            Err(e) => {
                let c = Commit {
                    rollout_id: id.to_string(),
                    expected_version: r.version,
                    state: None,
                    audit: vec![rejection(&r, &cmd, now, &e)],
                    decision: None,
                    window: None,
                    idempotency_key: None,
                    outcome: String::new(),
                };
                self.store.commit(&c)?;
                Err(e)
            }
            Ok(applied) => {
                let s = applied.state;
                let mut outcome = CommandOutcome {
                    rollout_id: id.to_string(),
                    command: cmd.name().to_string(),
                    version: s.version,
                    state: s.status,
                    phase: s.phase,
                    traffic_pct: s.traffic(),
                    decision: applied.decision.clone(),
                    rollback: s.rollback.clone(),
                    replayed: false,
                };
                let window = match &cmd {
                    Command::Observe { observation } => observation.window.clone(),
                    _ => None,
                };
                let c = Commit {
                    rollout_id: id.to_string(),
                    expected_version: r.version,
                    state: Some(s.clone()),
                    audit: applied.audit,
                    decision: applied.decision,
                    window,
                    idempotency_key: idempotency_key.map(str::to_string),
                    outcome: to_json(&outcome)?,
                };
                if let Committed::Duplicate { outcome } = self.store.commit(&c)? {
                    return replayed(&outcome);
                }
                if let Some(after) = self.deploy(&s, now)? {
                    outcome.version = after.version;
                    outcome.state = after.status;
                    outcome.phase = after.phase;
                    outcome.traffic_pct = after.traffic();
                    outcome.rollback = after.rollback;
                }
                Ok(outcome)
            }
        }
    }

    /// A tick at `now` with the window ending then (if any) and analytics events since the last tick.
    ///
    /// # Errors
    /// As [`Service::execute`]; `late_evidence` for a window at or before the last tick.
    pub fn observe(
        &self,
        id: &str,
        window: Option<Window>,
        events: Vec<Timestamp>,
        now: Timestamp,
        idempotency_key: Option<&str>,
    ) -> Result<CommandOutcome> {
        let cmd = Command::Observe {
            observation: Observation { window, events },
        };
        self.execute(id, cmd, now, None, idempotency_key)
    }

    /// Records (or updates) an incident; it counts from the next command or tick.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn report_incident(&self, id: &str, incident: &Incident) -> Result<()> {
        self.load(id)?;
        self.store.put_incident(id, incident)
    }

    /// Tells the deployer what the committed state wants. Returns the state after a synchronous rollback
    /// confirmation, if there was one.
    fn deploy(&self, s: &Rollout, now: Timestamp) -> Result<Option<Rollout>> {
        if s.status == Status::RollingBack {
            let targets: Vec<String> = s.target_traffic().into_iter().map(|(t, _)| t).collect();
            if let Some(confirmed) = self.deployer.rollback(&targets, now)? {
                let at = confirmed.max(now);
                self.execute(&s.id, Command::ConfirmRollback, at, None, None)?;
                return Ok(Some(self.load(&s.id)?));
            }
            return Ok(None);
        }
        for (target, pct) in s.target_traffic() {
            if self.drifts(&target, pct)? {
                self.deployer.apply(&target, pct, now)?;
            }
        }
        Ok(None)
    }

    /// The platform's traffic for `target` differs from `desired` (never deployed counts as 0 %).
    fn drifts(&self, target: &str, desired: Pct) -> Result<bool> {
        let actual = self.deployer.actual(target)?;
        Ok(actual.unwrap_or(Pct::ZERO) != desired)
    }

    fn reconcile_loaded(&self, r: &Rollout, now: Timestamp) -> Result<Option<Rollout>> {
        let mut drift = false;
        for (target, pct) in r.target_traffic() {
            drift |= self.drifts(&target, pct)?;
        }
        if !drift && r.status != Status::RollingBack {
            return Ok(None);
        }
        Ok(Some(self.deploy(r, now)?.unwrap_or_else(|| r.clone())))
    }

    /// Re-applies desired traffic where the platform differs (after a crash between commit and deploy) and
    /// finishes a rollback the platform confirms. Returns the rollout afterwards.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`, `deploy`.
    pub fn reconcile(&self, id: &str, now: Timestamp) -> Result<Rollout> {
        let r = self.load(id)?;
        Ok(self.reconcile_loaded(&r, now)?.unwrap_or(r))
    }

    /// The dashboard view at `now`.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn progress(&self, id: &str, now: Timestamp) -> Result<Progress> {
        let r = self.load(id)?;
        let windows = self.store.windows(id)?;
        Ok(progress(&r, windows.last(), now))
    }

    /// The rollout.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn rollout(&self, id: &str) -> Result<Rollout> {
        self.load(id)
    }

    /// Checks the rollout's audit chain.
    ///
    /// # Errors
    /// `storage`.
    pub fn verify_audit(&self, id: &str) -> Result<ChainCheck> {
        Ok(verify(&self.store.audit(id)?))
    }
}

fn replayed(stored: &str) -> Result<CommandOutcome> {
    let mut o: CommandOutcome = from_json(stored)?;
    o.replayed = true;
    Ok(o)
}
