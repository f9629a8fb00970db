//! The live service: applies [`super::apply`] through a [`Store`] (one transaction per command, with the
//! audit records, an expected version and an idempotency key) and then tells the [`Deployer`]. On every
//! call it first reconciles desired and actual traffic, so a crash between commit and deploy heals.

use serde::{Deserialize, Serialize};

use super::audit::{AuditKind, AuditRecord, ChainCheck, Outcome};
use super::gate::{Incident, Reason, Window};
use super::machine::{
    Command, Context, Decision, DecisionKind, Observation, PlatformError, RollbackRecord, Rollout,
    Status, apply, rejection,
};
use super::plan::{ApprovalThresholds, RolloutPlan};
use super::policy::{Actor, GatePolicy, Role};
use super::progress::{Progress, progress};
use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::store::{Commit, Committed, DocumentKind, Store, from_json, to_json};
use crate::time::{Pct, Timestamp};

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
    /// The platform the service drives (`simulated` for [`crate::deploy::SimulatedDeployer`]).
    #[serde(default)]
    pub deployer: String,
    /// Set when the command was accepted but changed nothing (a rollback of a rollout already rolling
    /// back, a pause of one not running): why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_op: Option<String>,
}

/// The largest page of [`Service::decisions`].
pub const MAX_PAGE: usize = 1_000;

/// How often a command is re-read and re-applied after a conflict before `conflict` is returned.
const COMMIT_ATTEMPTS: usize = 64;

/// Why a pause, rollback or abort would change nothing in state `r`, if so.
fn no_op(r: &Rollout, cmd: &Command) -> Option<String> {
    match (cmd, r.status) {
        (Command::Rollback { .. } | Command::Abort { .. }, Status::RollingBack) => Some(format!(
            "already rolling back since {}",
            r.rollback
                .as_ref()
                .map_or(r.status_since, |rb| rb.decided_at)
        )),
        (Command::Rollback { .. } | Command::Abort { .. }, Status::RolledBack) => {
            Some(format!("already rolled back (since {})", r.status_since))
        }
        // two instances both heard the platform confirm: the second confirmation changes nothing
        (Command::ConfirmRollback, Status::RolledBack) => Some(format!(
            "rollback already confirmed at {}",
            r.rollback
                .as_ref()
                .and_then(|rb| rb.confirmed_at)
                .unwrap_or(r.status_since)
        )),
        (Command::Pause { .. }, st) if st != Status::Running && !st.is_terminal() => Some(format!(
            "not running (state {}): nothing to pause",
            st.as_str()
        )),
        _ => None,
    }
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

    /// Creates a rollout in state Ready (audited as `create`), initiated by `initiator` (operations manager
    /// or above). A plan above the service's approval thresholds, or one that does not state the size a
    /// threshold measures, gets `requires_approval` on its first phase.
    ///
    /// # Errors
    /// `invalid_actor`, `forbidden`, `invalid_plan`, the policy's errors, `currency_mismatch`,
    /// `duplicate_name` (id taken), `storage`.
    pub fn create(
        &self,
        id: &str,
        mut plan: RolloutPlan,
        policy: GatePolicy,
        initiator: &Actor,
        now: Timestamp,
    ) -> Result<Rollout> {
        let key = initiator.key("initiator.id")?;
        if initiator.role < Role::OperationsManager {
            return Err(Error::Forbidden {
                actor: key,
                role: initiator.role.as_str(),
                command: "create",
                required: Role::OperationsManager.as_str(),
            });
        }
        if plan.needs_start_approval(&self.thresholds)?
            && let Some(first) = plan.phases.first_mut()
        {
            first.requires_approval = true;
        }
        let r = Rollout::new(id, Some(key.clone()), plan, policy, now)?;
        let side = r.phase_state();
        let rec = AuditRecord {
            at: now,
            actor_id: key,
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

    /// Appends the audit record of a refused command (no state change, no version check) and returns the
    /// error.
    fn refuse(
        &self,
        r: &Rollout,
        cmd: &Command,
        now: Timestamp,
        e: Error,
    ) -> Result<CommandOutcome> {
        self.store
            .commit(&Commit::audit_only(&r.id, vec![rejection(r, cmd, now, &e)]))?;
        Err(e)
    }

    /// Applies a command at `now`, audited whether accepted or refused (a refusal appends one event and
    /// changes nothing else).
    ///
    /// * `expected_version` (optimistic concurrency) applies to `start`, `resume`, `approve` and `observe`:
    ///   a different current version is `conflict`. Without it the command is re-read and re-applied
    ///   against the latest state until it commits.
    /// * `pause`, `rollback` and `abort` never fail for a stale version: `expected_version` is ignored,
    ///   they are re-applied against the latest state, and they are valid from every non-terminal state (a
    ///   rollback of a rollout already rolling back, or a pause of one that is not running, is accepted and
    ///   changes nothing; the reason says so).
    /// * `idempotency_key` makes a retry safe: a key seen before answers with the first outcome
    ///   (`replayed`) and applies nothing, whoever sent it and however often.
    ///
    /// After the commit the deployer is told. A platform failure is recorded (audit and decision logs,
    /// `platform_error` on the rollout) and returned as `deploy`: the command stands, and every later call
    /// re-applies the state (the reconcile loop) until the platform takes it.
    ///
    /// # Errors
    /// Every error of [`super::apply`], `invalid_actor` (an `observe` without an actor), `target_held`,
    /// `unknown_rollout`, `storage`, `deploy`.
    pub fn execute(
        &self,
        id: &str,
        cmd: Command,
        now: Timestamp,
        expected_version: Option<u64>,
        idempotency_key: Option<&str>,
    ) -> Result<CommandOutcome> {
        let always = matches!(
            cmd,
            Command::Pause { .. } | Command::Rollback { .. } | Command::Abort { .. }
        );
        let occ = if always { None } else { expected_version };
        let mut r = self.load(id)?;
        // the platform is asked once per call: when healing finds it down, the command is still
        // recorded (a rollback must get through an outage) and answered with that failure
        let mut down = None;
        if !matches!(cmd, Command::ConfirmRollback) {
            (r, down) = self.heal(&r, now)?;
        }
        for _ in 0..COMMIT_ATTEMPTS {
            if let Some(key) = idempotency_key
                && let Some(o) = self.store.idempotent_outcome(id, key)?
            {
                if let Some(e) = &down {
                    return Err(self.deploy_error(e, "the command was applied earlier"));
                }
                return replayed(&o);
            }
            if let Command::Observe { actor: None, .. } = &cmd {
                let e = Error::InvalidActor {
                    field: "actor".into(),
                    message: "an observation through the service names who sends it (role monitor or above)".into(),
                };
                return self.refuse(&r, &cmd, now, e);
            }
            if (always || matches!(cmd, Command::ConfirmRollback))
                && let Some(reason) = no_op(&r, &cmd)
            {
                match self.accept_no_op(&r, &cmd, now, reason, idempotency_key)? {
                    Some(out) => return Ok(out),
                    None => {
                        r = self.load(id)?;
                        continue;
                    }
                }
            }
            // only a tick and a resume read incidents (a rollback must not wait on them)
            let known: Vec<Incident> =
                if matches!(cmd, Command::Observe { .. } | Command::Resume { .. }) {
                    self.store
                        .incidents(id)?
                        .iter()
                        .filter_map(|i| i.as_known_at(now))
                        .collect()
                } else {
                    Vec::new()
                };
            let ctx = Context {
                now,
                incidents: &known,
                expected_version: occ,
            };
            let applied = match apply(&r, &cmd, &ctx) {
                Err(e) => return self.refuse(&r, &cmd, now, e),
                Ok(a) => a,
            };
            let s = applied.state;
            let mut outcome = self.outcome(&s, &cmd, applied.decision.clone());
            let window = match &cmd {
                Command::Observe { observation, .. } => observation.window.clone(),
                _ => None,
            };
            let claim_targets = if matches!(cmd, Command::Start { .. }) {
                s.plan.waves().into_iter().flatten().collect()
            } else {
                Vec::new()
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
                claim_targets,
                release_targets: s.status.is_terminal(),
            };
            match self.store.commit(&c) {
                Ok(Committed::Duplicate { outcome }) => return replayed(&outcome),
                Ok(Committed::Applied) => {
                    if let Some(pe) = &down {
                        return Err(self.deploy_error(
                            pe,
                            &format!(
                                "the {} is recorded; every later call re-applies it",
                                cmd.name()
                            ),
                        ));
                    }
                    if let Some(after) = self.push(&s, now, cmd.name())? {
                        outcome.version = after.version;
                        outcome.state = after.status;
                        outcome.phase = after.phase;
                        outcome.traffic_pct = after.traffic();
                        outcome.rollback = after.rollback;
                    }
                    return Ok(outcome);
                }
                Err(Error::Conflict { .. }) if occ.is_none() => {
                    // another writer committed first: re-read and re-apply against the latest state
                    r = self.load(id)?;
                }
                Err(e @ (Error::Conflict { .. } | Error::TargetHeld { .. })) => {
                    let latest = self.load(id)?;
                    return self.refuse(&latest, &cmd, now, e);
                }
                Err(e) => return Err(e),
            }
        }
        let e = Error::Conflict {
            rollout: id.to_string(),
            expected: r.version,
            found: self.load(id)?.version,
        };
        self.refuse(&r, &cmd, now, e)
    }

    fn outcome(&self, s: &Rollout, cmd: &Command, decision: Option<Decision>) -> CommandOutcome {
        CommandOutcome {
            rollout_id: s.id.clone(),
            command: cmd.name().to_string(),
            version: s.version,
            state: s.status,
            phase: s.phase,
            traffic_pct: s.traffic(),
            decision,
            rollback: s.rollback.clone(),
            replayed: false,
            deployer: self.deployer.name(),
            no_op: None,
        }
    }

    /// Accepts a pause or rollback that changes nothing (audit record and key only). None: the rollout
    /// moved on meanwhile (retry).
    fn accept_no_op(
        &self,
        r: &Rollout,
        cmd: &Command,
        now: Timestamp,
        reason: String,
        key: Option<&str>,
    ) -> Result<Option<CommandOutcome>> {
        let side = r.phase_state();
        let mut out = self.outcome(r, cmd, None);
        out.no_op = Some(reason.clone());
        let rec = AuditRecord {
            at: now,
            actor_id: cmd.actor_id(),
            kind: AuditKind::Command,
            action: cmd.name().into(),
            outcome: Outcome::Accepted,
            error: None,
            before: side,
            after: side,
            reason: Some(reason),
        };
        // a state equal to the current one, so that the store checks the version: a no-op decided on a
        // state that changed since is re-decided
        let c = Commit {
            state: Some(r.clone()),
            expected_version: r.version,
            idempotency_key: key.map(str::to_string),
            outcome: to_json(&out)?,
            ..Commit::audit_only(&r.id, vec![rec])
        };
        match self.store.commit(&c) {
            Ok(Committed::Applied) => Ok(Some(out)),
            Ok(Committed::Duplicate { outcome }) => replayed(&outcome).map(Some),
            Err(Error::Conflict { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A tick at `now` sent by `actor` (monitor or above) with the window ending then (if any) and
    /// analytics events since the last tick.
    ///
    /// # Errors
    /// As [`Service::execute`]; `late_evidence` for a window at or before the last tick.
    pub fn observe(
        &self,
        id: &str,
        actor: &Actor,
        window: Option<Window>,
        events: Vec<Timestamp>,
        now: Timestamp,
        idempotency_key: Option<&str>,
    ) -> Result<CommandOutcome> {
        let cmd = Command::Observe {
            actor: Some(actor.clone()),
            observation: Observation { window, events },
        };
        self.execute(id, cmd, now, None, idempotency_key)
    }

    /// Records (or updates) an incident reported by `actor` (monitor or above); it counts from the next
    /// command or tick. A refusal is audited.
    ///
    /// # Errors
    /// `invalid_actor`, `forbidden`, `invalid_window` (resolved before it opened), `unknown_rollout`,
    /// `storage`.
    pub fn report_incident(&self, id: &str, actor: &Actor, incident: &Incident) -> Result<()> {
        let r = self.load(id)?;
        let side = r.phase_state();
        let mut rec = AuditRecord {
            at: incident.opened_at,
            actor_id: super::policy::normalise_id(&actor.id),
            kind: AuditKind::Command,
            action: "report_incident".into(),
            outcome: Outcome::Accepted,
            error: None,
            before: side,
            after: side,
            reason: Some(format!("incident {} ({})", incident.id, incident.severity)),
        };
        let check = actor.key("actor.id").and_then(|_| {
            if actor.role < Role::Monitor {
                return Err(Error::Forbidden {
                    actor: rec.actor_id.clone(),
                    role: actor.role.as_str(),
                    command: "report_incident",
                    required: Role::Monitor.as_str(),
                });
            }
            incident.validate()
        });
        if let Err(e) = check {
            rec.outcome = Outcome::Rejected;
            rec.error = Some(e.code().into());
            rec.reason = Some(e.to_string());
            self.store.commit(&Commit::audit_only(id, vec![rec]))?;
            return Err(e);
        }
        self.store.put_incident(id, incident)?;
        self.store.commit(&Commit::audit_only(id, vec![rec]))?;
        Ok(())
    }

    /// Tells the deployer what the committed state `s` wants. Returns the state afterwards when it changed
    /// (a rollback the platform confirmed, a recorded failure cleared). A platform failure is recorded and
    /// returned as `deploy`.
    fn push(&self, s: &Rollout, now: Timestamp, command: &str) -> Result<Option<Rollout>> {
        match self.call_platform(s, now) {
            Ok(confirmed) => {
                let mut changed = None;
                if s.platform_error.is_some() {
                    changed = self.record_platform(&s.id, now, None)?;
                }
                if let Some(at) = confirmed {
                    self.execute(&s.id, Command::ConfirmRollback, at.max(now), None, None)?;
                    changed = Some(self.load(&s.id)?);
                }
                Ok(changed)
            }
            Err(e) => {
                let message = match &e {
                    Error::Deploy { message } => message.clone(),
                    other => other.to_string(),
                };
                let action = if s.status == Status::RollingBack {
                    "rollback"
                } else {
                    "apply"
                };
                let after = self.record_platform(&s.id, now, Some((action, message)))?;
                match after.and_then(|a| a.platform_error) {
                    Some(pe) => Err(self.deploy_error(
                        &pe,
                        &format!("the {command} is recorded; every later call re-applies it"),
                    )),
                    None => Err(e),
                }
            }
        }
    }

    fn deploy_error(&self, e: &PlatformError, what: &str) -> Error {
        Error::Deploy {
            message: format!(
                "{} ({} failed attempt(s) since {}): {}; {what}",
                e.deployer, e.attempts, e.since, e.message
            ),
        }
    }

    /// The deployer calls for `s`: a rollback (with the platform's confirmation time, if it gave one) or
    /// the traffic of every target that drifts.
    fn call_platform(&self, s: &Rollout, now: Timestamp) -> Result<Option<Timestamp>> {
        if s.status == Status::RollingBack {
            let targets: Vec<String> = s.target_traffic().into_iter().map(|(t, _)| t).collect();
            return self.deployer.rollback(&s.id, &targets, now);
        }
        for (target, pct) in s.target_traffic() {
            if self.deployer.actual(&s.id, &target)?.unwrap_or(Pct::ZERO) != pct {
                self.deployer.apply(&s.id, &target, pct, now)?;
            }
        }
        Ok(None)
    }

    /// Records a platform failure (`Some`) or the first success after failures (`None`) as a state change
    /// with its audit event (and, for a failure, a decision), re-read on conflict. Returns the state after.
    fn record_platform(
        &self,
        id: &str,
        now: Timestamp,
        failure: Option<(&str, String)>,
    ) -> Result<Option<Rollout>> {
        for _ in 0..COMMIT_ATTEMPTS {
            let r = self.load(id)?;
            if failure.is_none() && r.platform_error.is_none() {
                return Ok(Some(r));
            }
            let mut s = r.clone();
            s.version += 1;
            let side = s.phase_state();
            let deployer = self.deployer.name();
            let (rec, decision) = match &failure {
                Some((action, message)) => {
                    let (since, attempts) = r
                        .platform_error
                        .as_ref()
                        .map_or((now, 1), |e| (e.since, e.attempts + 1));
                    s.platform_error = Some(PlatformError {
                        deployer: deployer.clone(),
                        since,
                        at: now,
                        attempts,
                        message: message.clone(),
                    });
                    let rec = AuditRecord {
                        at: now,
                        actor_id: "deployer".into(),
                        kind: AuditKind::Deploy,
                        action: (*action).into(),
                        outcome: Outcome::Failed,
                        error: Some("deploy".into()),
                        before: side,
                        after: side,
                        reason: Some(format!("{deployer}: {message}")),
                    };
                    let d = Decision {
                        at: now,
                        decision: DecisionKind::DeployFailed,
                        phase: s.phase,
                        traffic_pct: s.traffic(),
                        state: s.status,
                        version: s.version,
                        reasons: vec![Reason::DeployFailed {
                            deployer: deployer.clone(),
                            action: (*action).into(),
                            message: message.clone(),
                            attempts,
                        }],
                    };
                    (rec, Some(d))
                }
                None => {
                    let attempts = r.platform_error.as_ref().map_or(0, |e| e.attempts);
                    s.platform_error = None;
                    let rec = AuditRecord {
                        at: now,
                        actor_id: "deployer".into(),
                        kind: AuditKind::Deploy,
                        action: "recovered".into(),
                        outcome: Outcome::Accepted,
                        error: None,
                        before: side,
                        after: side,
                        reason: Some(format!(
                            "{deployer} applied the state after {attempts} failed attempt(s)"
                        )),
                    };
                    (rec, None)
                }
            };
            let c = Commit {
                state: Some(s.clone()),
                expected_version: r.version,
                decision,
                ..Commit::audit_only(id, vec![rec])
            };
            match self.store.commit(&c) {
                Ok(_) => return Ok(Some(s)),
                Err(Error::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// Re-applies what `r` wants where the platform differs, before a command. A platform failure is
    /// recorded and does not stop the command (a rollback must get through an outage). Returns the latest
    /// state.
    fn heal(&self, r: &Rollout, now: Timestamp) -> Result<(Rollout, Option<PlatformError>)> {
        match self.push(r, now, "previous command") {
            Ok(Some(after)) => Ok((after, None)),
            Ok(None) => Ok((r.clone(), None)),
            Err(Error::Deploy { message }) => {
                let latest = self.load(&r.id)?;
                let pe = latest.platform_error.clone().unwrap_or(PlatformError {
                    deployer: self.deployer.name(),
                    since: now,
                    at: now,
                    attempts: 1,
                    message,
                });
                Ok((latest, Some(pe)))
            }
            Err(e) => Err(e),
        }
    }

    /// Re-applies desired traffic where the platform differs (after a crash or an outage between commit
    /// and deploy) and finishes a rollback the platform confirms. Returns the rollout afterwards.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`, `deploy` (recorded).
    pub fn reconcile(&self, id: &str, now: Timestamp) -> Result<Rollout> {
        let r = self.load(id)?;
        Ok(self.push(&r, now, "reconcile")?.unwrap_or(r))
    }

    /// The dashboard view at `now`.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn progress(&self, id: &str, now: Timestamp) -> Result<Progress> {
        let r = self.load(id)?;
        let latest = self.store.latest_window(id)?;
        let mut p = progress(&r, latest.as_ref(), now);
        p.deployer = Some(self.deployer.name());
        Ok(p)
    }

    /// The rollout.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn rollout(&self, id: &str) -> Result<Rollout> {
        self.load(id)
    }

    /// One page of the decision log, newest first: at most `limit` (capped at 1,000) decisions older than
    /// version `before` (the newest when None), read from the store without loading the rest.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn decisions(&self, id: &str, limit: usize, before: Option<u64>) -> Result<Vec<Decision>> {
        if self.store.load_rollout(id)?.is_none() {
            return Err(Error::UnknownRollout { id: id.to_string() });
        }
        self.store.decisions_page(id, limit.min(MAX_PAGE), before)
    }

    /// Checks the rollout's audit chain ([`Store::verify_log`]: keyed and sealed when the store has a
    /// key), then the stored state against the log replayed to its end: the phase and state after the
    /// last event must be the rollout's.
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    pub fn verify_audit(&self, id: &str) -> Result<ChainCheck> {
        let check = self.store.verify_log(id)?;
        if !check.intact {
            return Ok(check);
        }
        let r = self.load(id)?;
        if let Some(last) = self.store.audit(id)?.last()
            && last.record.after != r.phase_state()
        {
            return Ok(ChainCheck {
                intact: false,
                events: check.events,
                broken_at: None,
                problem: Some(format!(
                    "the stored state (phase {}, {}) is not where the log ends (phase {}, {})",
                    r.phase,
                    r.status.as_str(),
                    last.record.after.phase,
                    last.record.after.state.as_str()
                )),
            });
        }
        Ok(check)
    }
}

/// An expected version given as a number (a JavaScript `number`): a whole number >= 0.
///
/// # Errors
/// `not_finite`, `negative` or `not_integer`, naming `field`.
///
/// # Example
/// ```
/// use scaleplan::rollout::expected_version;
/// assert_eq!(expected_version("expectedVersion", 3.0)?, 3);
/// assert_eq!(expected_version("expectedVersion", -1.0).unwrap_err().code(), "negative");
/// assert_eq!(expected_version("expectedVersion", f64::NAN).unwrap_err().code(), "not_finite");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn expected_version(field: &str, x: f64) -> Result<u64> {
    crate::check::count(field, x)
}

fn replayed(stored: &str) -> Result<CommandOutcome> {
    let mut o: CommandOutcome = from_json(stored)?;
    o.replayed = true;
    Ok(o)
}
