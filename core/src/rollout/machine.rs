//! The rollout state machine: a pure function `(state, command, context) -> Result<(state, decision,
//! audit records)>` implementing the default gating policy (`../shared/spec/gating-policy.md` §3–§5).
//!
//! Ticks ([`Command::Observe`]) take one decision each (R1–R6, first match wins); commands (pause,
//! resume, rollback, approve, start, abort, confirm_rollback) are validated in the spec's order and either
//! applied or refused with a typed error that changes nothing. Terminal states absorb. The live service
//! ([`crate::rollout::Service`]) and the back-test ([`crate::rollout::simulate`]) both call [`apply`].

use serde::{Deserialize, Serialize};

use super::audit::{AuditKind, AuditRecord, Outcome, PhaseState};
use super::gate::{
    BURN_HORIZON_SECS, BudgetSample, Incident, Reason, Thresholds, Window, WindowStatus,
    burn_rate_alerts, rate_at_least, window_status,
};
use super::plan::RolloutPlan;
use super::policy::{Actor, GatePolicy, Role, normalise_id};
use crate::error::{Error, Result};
use crate::time::{Pct, Timestamp, ser_opt_num};

/// Where a rollout is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Created, not started (0 % traffic).
    Ready,
    /// In a phase, gated on evidence.
    Running,
    /// Paused by a person.
    PausedManual,
    /// Paused for a blocking incident.
    PausedIncident,
    /// Paused for a latency spike; resumes or reverts when the grace period ends.
    PausedLatencySpike,
    /// Reverted to the previous phase after an unresolved latency spike; needs a resume.
    PausedReverted,
    /// Reverted from phase 1 to the 0 % baseline; needs a resume.
    PausedRevertedToBaseline,
    /// Traffic is going to 0 %; waits for the host's confirmation.
    RollingBack,
    /// Terminal: traffic confirmed at 0 %.
    RolledBack,
    /// Terminal: the last phase completed.
    Completed,
}

impl Status {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Running => "running",
            Status::PausedManual => "paused_manual",
            Status::PausedIncident => "paused_incident",
            Status::PausedLatencySpike => "paused_latency_spike",
            Status::PausedReverted => "paused_reverted",
            Status::PausedRevertedToBaseline => "paused_reverted_to_baseline",
            Status::RollingBack => "rolling_back",
            Status::RolledBack => "rolled_back",
            Status::Completed => "completed",
        }
    }

    /// RolledBack or Completed: nothing changes any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::RolledBack | Status::Completed)
    }

    /// One of the paused states.
    pub fn is_paused(self) -> bool {
        matches!(
            self,
            Status::PausedManual
                | Status::PausedIncident
                | Status::PausedLatencySpike
                | Status::PausedReverted
                | Status::PausedRevertedToBaseline
        )
    }
}

/// The decision of one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Nothing changes (R6); the reasons say what is missing.
    Hold,
    /// Next phase (R5), or the next wave's first phase.
    Advance,
    /// Pause (R3 incident, R4 latency spike, R2 incident after recovery).
    Pause,
    /// The latency spike recovered within its grace period (R2).
    Resume,
    /// The spike did not recover: back to the previous phase (R2).
    RevertToPreviousPhase,
    /// Errors at or above the rollback rate (R1).
    Rollback,
    /// The last phase completed (R5).
    Complete,
    /// The platform failed to apply the state (recorded by the service; the state is unchanged but for
    /// its `platform_error`, and the service retries).
    DeployFailed,
}

impl DecisionKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Hold => "hold",
            DecisionKind::Advance => "advance",
            DecisionKind::Pause => "pause",
            DecisionKind::Resume => "resume",
            DecisionKind::RevertToPreviousPhase => "revert_to_previous_phase",
            DecisionKind::Rollback => "rollback",
            DecisionKind::Complete => "complete",
            DecisionKind::DeployFailed => "deploy_failed",
        }
    }
}

/// One entry of the decision log: what was decided at a tick, the state after it, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The tick.
    pub at: Timestamp,
    /// What was decided.
    pub decision: DecisionKind,
    /// Phase after it.
    pub phase: usize,
    /// Traffic after it.
    pub traffic_pct: Pct,
    /// State after it.
    pub state: Status,
    /// Version after it.
    pub version: u64,
    /// The rule or state reason, then disqualifying events found at this tick, then unmet checks.
    pub reasons: Vec<Reason>,
}

/// A window of the current attempt, as the gate keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowRecord {
    /// Start.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
    /// Requests.
    pub requests: u64,
    /// Errors.
    pub errors: u64,
    /// p95 latency.
    #[serde(serialize_with = "ser_opt_num")]
    pub p95_ms: Option<f64>,
    /// Control requests and errors, when the window carried them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<(u64, u64)>,
}

/// Requests and errors of the windows since `clean_since`, and of those carrying control counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CleanTotals {
    /// Requests.
    pub requests: u64,
    /// Errors.
    pub errors: u64,
    /// New-version requests of the windows that carry control counts.
    pub treatment_requests: u64,
    /// New-version errors of those windows.
    pub treatment_errors: u64,
    /// Control requests.
    pub control_requests: u64,
    /// Control errors (at most the control requests, window by window).
    pub control_errors: u64,
}

impl CleanTotals {
    fn add(&mut self, r: &WindowRecord) {
        self.requests = self.requests.saturating_add(r.requests);
        self.errors = self.errors.saturating_add(r.errors);
        if let Some((cr, ce)) = r.control {
            self.treatment_requests = self.treatment_requests.saturating_add(r.requests);
            self.treatment_errors = self.treatment_errors.saturating_add(r.errors);
            self.control_requests = self.control_requests.saturating_add(cr);
            self.control_errors = self.control_errors.saturating_add(ce.min(cr));
        }
    }

    fn of<'a>(windows: impl Iterator<Item = &'a WindowRecord>) -> Self {
        let mut t = CleanTotals::default();
        for r in windows {
            t.add(r);
        }
        t
    }
}

/// Windows whose errors are pooled until they reach `min_requests` (§4).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorPool {
    /// Start of the first pooled window.
    pub first_start: Option<Timestamp>,
    /// Pooled requests.
    pub requests: u64,
    /// Pooled errors.
    pub errors: u64,
}

/// An accepted approval, valid until the advance into its phase consumes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The approver.
    pub actor_id: String,
    /// The phase it authorises.
    pub target_phase: usize,
    /// The plan revision it is bound to.
    pub plan_revision: u64,
    /// When it was given.
    pub at: Timestamp,
}

/// A platform failure the service recorded (the `deploy` error), kept until a deploy succeeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformError {
    /// The deployer's name.
    pub deployer: String,
    /// First failure of this streak.
    pub since: Timestamp,
    /// Latest failure.
    pub at: Timestamp,
    /// Failed attempts in this streak.
    pub attempts: u32,
    /// The platform's message.
    pub message: String,
}

/// Timing of a rollback: decision to confirmed 0 %, against the rollback SLA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollbackRecord {
    /// When it was decided (tick or command).
    pub decided_at: Timestamp,
    /// When the host confirmed 0 % traffic.
    pub confirmed_at: Option<Timestamp>,
    /// Seconds from decision to confirmation.
    pub duration_secs: Option<i64>,
    /// `duration_secs < rollback_sla`.
    pub sla_met: Option<bool>,
    /// Traffic per target when the rollback was decided: what the platform serves until it confirms 0 %.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<TargetTraffic>,
}

/// One target's traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetTraffic {
    /// Region or team.
    pub target: String,
    /// Traffic on the new version.
    pub traffic_pct: Pct,
}

/// The whole state of one rollout. Everything the gate needs lives here, so a tick is a pure function of
/// this state and the evidence of that tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollout {
    /// Identifier.
    pub id: String,
    /// Who created it (cannot approve it).
    pub initiator: Option<String>,
    /// The plan.
    pub plan: RolloutPlan,
    /// The gating policy.
    pub policy: GatePolicy,
    /// Current phase (0 = baseline).
    pub phase: usize,
    /// Current wave (0-based) of a sequential multi-region plan.
    pub wave: usize,
    /// Current state.
    pub status: Status,
    /// When the state was entered.
    pub status_since: Timestamp,
    /// Start of the latency spike being waited out.
    pub spike_at: Option<Timestamp>,
    /// Grows by one per tick, per accepted command and at the rollback confirmation.
    pub version: u64,
    /// Start of the current phase attempt.
    pub attempt_start: Timestamp,
    /// Start of the current clean stretch (moved by D1–D4).
    pub clean_since: Timestamp,
    /// The last decided tick.
    pub last_tick: Option<Timestamp>,
    /// The latest analytics event seen.
    pub last_event: Option<Timestamp>,
    /// The error pool.
    pub pool: ErrorPool,
    /// Windows of the attempt still needed by E2, E3 or R2.
    pub windows: Vec<WindowRecord>,
    /// Approvals not yet consumed.
    pub approvals: Vec<Approval>,
    /// The rollback, once one was decided.
    pub rollback: Option<RollbackRecord>,
    /// When it started.
    pub started_at: Option<Timestamp>,
    /// Who started it (normalised id): with the creator, never its approver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    /// The platform's last failure to apply this state, until a deploy succeeds again (set by the service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_error: Option<PlatformError>,
    /// Totals of the clean stretch's windows (E3, E8), so that the windows themselves need only be kept
    /// for the latency streak and a spike's grace period: a tick costs the same on day 1 and day 300.
    /// Absent in states written before it existed (then summed from `windows` once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clean_totals: Option<CleanTotals>,
    /// The last 3 days of windows, kept only when the policy has an error budget (E7).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budget_samples: Vec<BudgetSample>,
}

/// What a tick observes: the window ending at the tick (if it arrived) and analytics events.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The window ending at the tick.
    #[serde(default)]
    pub window: Option<Window>,
    /// Analytics event times since the previous tick (sorted or not).
    #[serde(default)]
    pub events: Vec<Timestamp>,
}

/// Everything that changes a rollout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Ready → Running at phase 1 (operations manager or above).
    Start {
        /// Who.
        actor: Actor,
    },
    /// A tick: evidence up to `now`, one decision (monitor or above, through the service).
    Observe {
        /// Who pushes the evidence: required by the service (a replay has none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actor: Option<Actor>,
        /// The evidence.
        #[serde(flatten)]
        observation: Observation,
    },
    /// Running → Paused(Manual) (operator or above).
    Pause {
        /// Who.
        actor: Actor,
        /// Why.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Paused → Running (operator or above; refused while a blocking incident is open).
    Resume {
        /// Who.
        actor: Actor,
    },
    /// Any non-terminal state → RollingBack (operator or above).
    Rollback {
        /// Who.
        actor: Actor,
        /// Why.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Authorises entering `target_phase` (approver or above, not the initiator).
    Approve {
        /// Who.
        actor: Actor,
        /// The rollout it is meant for.
        rollout_id: String,
        /// The plan revision it is bound to.
        plan_revision: u64,
        /// The phase it authorises.
        target_phase: usize,
    },
    /// Ready → RolledBack (never started); otherwise as `rollback` (operator or above).
    Abort {
        /// Who.
        actor: Actor,
        /// Why.
        #[serde(default)]
        reason: Option<String>,
    },
    /// The host confirmed 0 % traffic: RollingBack → RolledBack.
    ConfirmRollback,
}

impl Command {
    /// The snake_case name (the audit `action` of a command).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Start { .. } => "start",
            Command::Observe { .. } => "observe",
            Command::Pause { .. } => "pause",
            Command::Resume { .. } => "resume",
            Command::Rollback { .. } => "rollback",
            Command::Approve { .. } => "approve",
            Command::Abort { .. } => "abort",
            Command::ConfirmRollback => "confirm_rollback",
        }
    }

    /// The actor, for commands a person gives.
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Command::Start { actor }
            | Command::Pause { actor, .. }
            | Command::Resume { actor }
            | Command::Rollback { actor, .. }
            | Command::Approve { actor, .. }
            | Command::Abort { actor, .. } => Some(actor),
            Command::Observe { actor, .. } => actor.as_ref(),
            Command::ConfirmRollback => None,
        }
    }

    /// The audit log's actor: the normalised id of the person (the raw id, trimmed, when it is invalid),
    /// `system` for a tick without an actor, `deployer` for the confirmation.
    pub(crate) fn actor_id(&self) -> String {
        match (self, self.actor()) {
            (Command::ConfirmRollback, _) => "deployer".into(),
            (_, Some(a)) => super::policy::normalise_id(&a.id),
            (_, None) => "system".into(),
        }
    }

    /// The least role that may give this command.
    pub fn required_role(&self) -> Option<Role> {
        match self {
            Command::Start { .. } => Some(Role::OperationsManager),
            Command::Approve { .. } => Some(Role::Approver),
            Command::Pause { .. }
            | Command::Resume { .. }
            | Command::Rollback { .. }
            | Command::Abort { .. } => Some(Role::Operator),
            Command::Observe { .. } => Some(Role::Monitor),
            Command::ConfirmRollback => None,
        }
    }
}

/// What the machine needs besides the state and the command.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The instant of the command (a tick's time for [`Command::Observe`]).
    pub now: Timestamp,
    /// Incidents as known at `now`.
    pub incidents: &'a [Incident],
    /// The version the caller last saw; a different current version is a `conflict`.
    pub expected_version: Option<u64>,
}

impl<'a> Context<'a> {
    /// A context with no incidents and no expected version.
    pub fn at(now: Timestamp) -> Self {
        Context {
            now,
            incidents: &[],
            expected_version: None,
        }
    }
}

/// The result of an accepted command.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The new state.
    pub state: Rollout,
    /// The tick's decision (only for [`Command::Observe`]).
    pub decision: Option<Decision>,
    /// Audit records to append in the same transaction.
    pub audit: Vec<AuditRecord>,
}

impl Rollout {
    /// A new rollout in state Ready, after validating the plan and the policy.
    ///
    /// # Errors
    /// `invalid_plan`, or the policy's `out_of_range` / `not_finite`.
    ///
    /// # Example
    /// ```
    /// use scaleplan::rollout::{GatePolicy, Rollout, RolloutPlan, Scope, Status, Timestamp, WaveMode};
    /// let plan = RolloutPlan::gradual(Scope::AllRegions, WaveMode::Sequential)?;
    /// let r = Rollout::new("R-1", Some("carol".into()), plan, GatePolicy::default(), Timestamp::from_unix(0))?;
    /// assert_eq!(r.status, Status::Ready);
    /// assert_eq!(r.traffic().hundredths(), 0);
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    pub fn new(
        id: impl Into<String>,
        initiator: Option<String>,
        plan: RolloutPlan,
        policy: GatePolicy,
        now: Timestamp,
    ) -> Result<Self> {
        plan.validate()?;
        policy.validate()?;
        Ok(Rollout {
            id: id.into(),
            initiator,
            plan,
            policy,
            phase: 0,
            wave: 0,
            status: Status::Ready,
            status_since: now,
            spike_at: None,
            version: 0,
            attempt_start: now,
            clean_since: now,
            last_tick: None,
            last_event: None,
            pool: ErrorPool::default(),
            windows: Vec::new(),
            approvals: Vec::new(),
            rollback: None,
            started_at: None,
            started_by: None,
            platform_error: None,
            clean_totals: Some(CleanTotals::default()),
            budget_samples: Vec::new(),
        })
    }

    /// Traffic on the new version in the current wave: 0 % when ready or rolling back.
    pub fn traffic(&self) -> Pct {
        match self.status {
            Status::Ready | Status::RollingBack | Status::RolledBack => Pct::ZERO,
            _ => self.plan.traffic(self.phase),
        }
    }

    /// Desired traffic per target (region or team): earlier waves at the last phase's traffic, the current
    /// wave at [`Rollout::traffic`], later waves at 0 %.
    pub fn target_traffic(&self) -> Vec<(String, Pct)> {
        let full = self.plan.traffic(self.plan.phases.len());
        let rolled_back = matches!(self.status, Status::RollingBack | Status::RolledBack);
        let mut out = Vec::new();
        for (i, wave) in self.plan.waves().into_iter().enumerate() {
            let pct = if rolled_back {
                Pct::ZERO
            } else if i < self.wave {
                full
            } else if i == self.wave {
                self.traffic()
            } else {
                Pct::ZERO
            };
            out.extend(wave.into_iter().map(|t| (t, pct)));
        }
        out
    }

    /// Totals of the clean stretch (from `windows` for a state written before they were kept).
    fn clean_sums(&self) -> CleanTotals {
        self.clean_totals.unwrap_or_else(|| {
            CleanTotals::of(self.windows.iter().filter(|r| r.start >= self.clean_since))
        })
    }

    /// Phase and state, as the audit log records them.
    pub fn phase_state(&self) -> PhaseState {
        PhaseState {
            phase: self.phase,
            state: self.status,
        }
    }

    fn thresholds(&self) -> Thresholds {
        let gate = self
            .phase
            .checked_sub(1)
            .and_then(|i| self.plan.phases.get(i))
            .and_then(|p| p.gate.as_ref());
        Thresholds::of(&self.policy, gate)
    }

    fn new_attempt(&mut self, t: Timestamp) {
        self.attempt_start = t;
        self.clean_since = t;
        self.pool = ErrorPool::default();
        self.windows.clear();
        self.clean_totals = Some(CleanTotals::default());
        self.status = Status::Running;
        self.status_since = t;
        self.spike_at = None;
    }

    fn enter_rollback(&mut self, t: Timestamp) {
        let from = self
            .target_traffic()
            .into_iter()
            .map(|(target, traffic_pct)| TargetTraffic {
                target,
                traffic_pct,
            })
            .collect();
        self.status = Status::RollingBack;
        self.status_since = t;
        self.phase = 0;
        self.spike_at = None;
        self.rollback = Some(RollbackRecord {
            decided_at: t,
            confirmed_at: None,
            duration_secs: None,
            sla_met: None,
            from,
        });
    }

    fn blocking_open<'i>(&self, incidents: &'i [Incident], t: Timestamp) -> Vec<&'i Incident> {
        incidents
            .iter()
            .filter(|i| self.policy.blocks(&i.severity) && i.open_at(t))
            .collect()
    }

    fn record_status(&self, r: &WindowRecord, th: &Thresholds) -> WindowStatus {
        window_status(
            r.requests,
            r.p95_ms,
            self.policy.min_requests,
            th.p95_limit_ms,
        )
    }
}

fn incident_open(i: &Incident) -> Reason {
    Reason::IncidentOpen {
        id: i.id.clone(),
        severity: i.severity.clone(),
    }
}

/// Checks a window against the policy: `end = start + window`, `start` aligned, `errors <= requests`, a
/// finite non-negative `p95_ms` (null only when Insufficient), growth bounds `lo <= hi`.
///
/// # Errors
/// `invalid_window` naming the field.
pub fn validate_window(w: &Window, policy: &GatePolicy) -> Result<()> {
    let bad = |field: &str, message: String| Error::InvalidWindow {
        field: field.to_string(),
        message,
    };
    if w.start.unix().rem_euclid(policy.window) != 0 {
        return Err(bad(
            "start",
            format!(
                "{} is not a multiple of the {} s window",
                w.start, policy.window
            ),
        ));
    }
    if w.end.since(w.start) != policy.window {
        return Err(bad(
            "end",
            format!("must be start + {} s, got {}", policy.window, w.end),
        ));
    }
    w.check_figures()
        .map_err(|(field, message)| bad(field, message))?;
    match w.p95_ms {
        None if w.requests >= policy.min_requests => {
            return Err(bad(
                "p95_ms",
                format!(
                    "may be null only for a window under {} requests (it has {})",
                    policy.min_requests, w.requests
                ),
            ));
        }
        _ => {}
    }
    if let Some([lo, hi]) = w.growth_bounds
        && lo > hi
    {
        return Err(bad(
            "growth_bounds",
            format!("lower bound {lo} is above upper bound {hi}"),
        ));
    }
    match (w.control_requests, w.control_errors) {
        (Some(r), Some(e)) if e > r => Err(bad(
            "control_errors",
            format!("{e} errors exceed {r} control requests"),
        )),
        (Some(_), None) | (None, Some(_)) => Err(bad(
            "control_errors",
            "control_requests and control_errors go together".into(),
        )),
        _ => Ok(()),
    }
}

/// Applies one command at `ctx.now`. Pure: the state is not modified; the new state, the tick's decision
/// and the audit records come back together, or a typed error and nothing changed.
///
/// Checks, first failure wins: `conflict` (stale `expected_version`), `invalid_actor` (blank id),
/// `forbidden` (role), `out_of_order` (a person's command dated before the start, or before the creation
/// of a rollout not started; one dated after that but before the latest tick is applied at that tick's
/// time), `late_evidence`
/// (a tick at or before the last one), `illegal_transition`, `incident_still_open` (resume), then for
/// approve `self_approval_forbidden`, `unknown_rollout`, `stale_approval`, `invalid_target_phase`; a start
/// whose first phase needs an approval without one is `approval_required`.
///
/// # Example
/// ```
/// use scaleplan::rollout::*;
/// let t0 = Timestamp::parse("2025-06-02T00:00:00Z").unwrap();
/// let plan = RolloutPlan::gradual(Scope::AllRegions, WaveMode::Sequential)?;
/// let r = Rollout::new("R-1", Some("carol".into()), plan, GatePolicy::default(), t0)?;
/// let carol = Actor::new("carol", Role::OperationsManager);
/// let r = apply(&r, &Command::Start { actor: carol }, &Context::at(t0))?.state;
/// assert_eq!((r.status, r.phase, r.traffic().hundredths()), (Status::Running, 1, 1000));
/// let w = Window::new(t0, t0.plus(300), 2000, 60, Some(320.0)); // 3 % errors
/// let obs = Command::Observe { actor: None, observation: Observation { window: Some(w), events: vec![] } };
/// let out = apply(&r, &obs, &Context::at(t0.plus(300)))?;
/// let d = out.decision.unwrap();
/// assert_eq!(d.decision, DecisionKind::Rollback);
/// assert_eq!(d.reasons[0].code(), "error_rate_at_or_above_rollback");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn apply(state: &Rollout, cmd: &Command, ctx: &Context<'_>) -> Result<Applied> {
    let now = ctx.now;
    if let Some(expected) = ctx.expected_version
        && expected != state.version
    {
        return Err(Error::Conflict {
            rollout: state.id.clone(),
            expected,
            found: state.version,
        });
    }
    let actor_key = match cmd.actor() {
        Some(a) => Some(a.key("actor.id")?),
        None => None,
    };
    if let (Some(actor), Some(key), Some(required)) =
        (cmd.actor(), actor_key.as_ref(), cmd.required_role())
        && actor.role < required
    {
        return Err(Error::Forbidden {
            actor: key.clone(),
            role: actor.role.as_str(),
            command: cmd.name(),
            required: required.as_str(),
        });
    }
    // A person's command dated before the rollout began (its start, or its creation while ready) is
    // refused; one dated between then and the latest recorded change (clocks of two hosts a little
    // apart) is applied at the time of that change, so that the log stays in order.
    let mut now = now;
    if !matches!(cmd, Command::Observe { .. } | Command::ConfirmRollback) {
        let floor = match state.started_at {
            Some(s) => s,
            None if state.status == Status::Ready => state.status_since,
            None => Timestamp::from_unix(i64::MIN / 2),
        };
        if now < floor {
            return Err(Error::OutOfOrder {
                rollout: state.id.clone(),
                command: cmd.name(),
                at: now.to_string(),
                latest: floor.to_string(),
            });
        }
        let latest = state
            .last_tick
            .map_or(state.status_since, |t| t.max(state.status_since));
        now = now.max(latest);
    }
    let illegal = || Error::IllegalTransition {
        rollout: state.id.clone(),
        state: state.status.as_str(),
        command: cmd.name(),
    };
    let mut s = state.clone();
    let before = s.phase_state();
    let mut decision = None;
    match cmd {
        Command::Observe { observation, .. } => {
            if let Some(last) = s.last_tick {
                let end = observation.window.as_ref().map_or(now, |w| w.end);
                if end <= last || now <= last {
                    return Err(Error::LateEvidence {
                        rollout: s.id.clone(),
                        window_end: end.to_string(),
                        last_tick: last.to_string(),
                    });
                }
            }
            if s.status == Status::Ready || s.status.is_terminal() {
                return Err(illegal());
            }
            if let Some(w) = &observation.window {
                validate_window(w, &s.policy)?;
                if w.end != now {
                    return Err(Error::InvalidWindow {
                        field: "end".into(),
                        message: format!(
                            "a tick at {now} observes the window ending then, got {}",
                            w.end
                        ),
                    });
                }
            }
            decision = Some(tick(
                &mut s,
                observation.window.as_ref(),
                &observation.events,
                ctx.incidents,
                now,
            ));
        }
        Command::Start { .. } => {
            if s.status != Status::Ready {
                return Err(illegal());
            }
            let needs = s.plan.phases.first().is_some_and(|p| p.requires_approval);
            let approval = s.approvals.iter().position(|a| a.target_phase == 1);
            if needs && approval.is_none() {
                return Err(Error::ApprovalRequired {
                    rollout: s.id.clone(),
                    target_phase: 1,
                });
            }
            if let (true, Some(i)) = (needs, approval) {
                let starter = actor_key.clone().unwrap_or_default();
                if normalise_id(&s.approvals[i].actor_id) == starter {
                    return Err(Error::SelfApprovalForbidden {
                        rollout: s.id.clone(),
                        actor: starter,
                    });
                }
                s.approvals.remove(i);
            }
            s.phase = 1;
            s.new_attempt(now);
            s.started_at = Some(now);
            s.started_by = actor_key.clone();
            s.version += 1;
        }
        Command::Pause { .. } => {
            if s.status != Status::Running {
                return Err(illegal());
            }
            s.status = Status::PausedManual;
            s.status_since = now;
            s.version += 1;
        }
        Command::Resume { .. } => {
            if !s.status.is_paused() {
                return Err(illegal());
            }
            if let Some(i) = s.blocking_open(ctx.incidents, now).first() {
                return Err(Error::IncidentStillOpen {
                    rollout: s.id.clone(),
                    id: i.id.clone(),
                    severity: i.severity.clone(),
                });
            }
            match s.status {
                Status::PausedReverted => s.new_attempt(now),
                Status::PausedRevertedToBaseline => {
                    s.phase = 1;
                    s.new_attempt(now);
                }
                _ => {
                    s.status = Status::Running;
                    s.status_since = now;
                    s.spike_at = None;
                }
            }
            s.version += 1;
        }
        Command::Rollback { .. } | Command::Abort { .. } => {
            if s.status == Status::RollingBack || s.status.is_terminal() {
                return Err(illegal());
            }
            if matches!(cmd, Command::Abort { .. }) && s.status == Status::Ready {
                s.status = Status::RolledBack;
                s.status_since = now;
            } else {
                s.enter_rollback(now);
            }
            s.version += 1;
        }
        Command::Approve {
            rollout_id,
            plan_revision,
            target_phase,
            ..
        } => {
            if s.status == Status::RollingBack || s.status.is_terminal() {
                return Err(illegal());
            }
            let approver = actor_key.clone().unwrap_or_default();
            let own =
                |who: &Option<String>| who.as_deref().map(normalise_id) == Some(approver.clone());
            if own(&s.initiator) || own(&s.started_by) {
                return Err(Error::SelfApprovalForbidden {
                    rollout: s.id.clone(),
                    actor: approver,
                });
            }
            if *rollout_id != s.id {
                return Err(Error::UnknownRollout {
                    id: rollout_id.clone(),
                });
            }
            if *plan_revision != s.plan.revision {
                return Err(Error::StaleApproval {
                    rollout: s.id.clone(),
                    current: s.plan.revision,
                    got: *plan_revision,
                });
            }
            let n = s.plan.phases.len();
            if *target_phase <= s.phase || *target_phase > n {
                return Err(Error::InvalidTargetPhase {
                    rollout: s.id.clone(),
                    target: *target_phase,
                    allowed: format!("({}, {n}]", s.phase),
                });
            }
            if s.approvals
                .iter()
                .any(|a| a.target_phase == *target_phase && normalise_id(&a.actor_id) == approver)
            {
                return Err(Error::AlreadyApproved {
                    rollout: s.id.clone(),
                    actor: approver,
                    target_phase: *target_phase,
                });
            }
            s.approvals.retain(|a| a.target_phase != *target_phase);
            s.approvals.push(Approval {
                actor_id: approver.clone(),
                target_phase: *target_phase,
                plan_revision: *plan_revision,
                at: now,
            });
            s.version += 1;
        }
        Command::ConfirmRollback => {
            if s.status != Status::RollingBack {
                return Err(illegal());
            }
            s.status = Status::RolledBack;
            s.status_since = now;
            let sla = s.policy.rollback_sla;
            if let Some(rb) = s.rollback.as_mut() {
                let d = now.since(rb.decided_at);
                rb.confirmed_at = Some(now);
                rb.duration_secs = Some(d);
                rb.sla_met = Some(d < sla);
            }
            s.version += 1;
        }
    }
    let after = s.phase_state();
    let mut audit = Vec::new();
    match (&decision, cmd) {
        (Some(d), _) => {
            if before != after {
                audit.push(AuditRecord {
                    at: now,
                    actor_id: "system".into(),
                    kind: AuditKind::Transition,
                    action: d.decision.as_str().into(),
                    outcome: Outcome::Accepted,
                    error: None,
                    before,
                    after,
                    reason: d.reasons.first().map(|r| r.code().to_string()),
                });
            }
        }
        (None, Command::ConfirmRollback) => audit.push(AuditRecord {
            at: now,
            actor_id: "deployer".into(),
            kind: AuditKind::Transition,
            action: "confirm_rollback".into(),
            outcome: Outcome::Accepted,
            error: None,
            before,
            after,
            reason: None,
        }),
        (None, _) => audit.push(AuditRecord {
            at: now,
            actor_id: cmd.actor_id(),
            kind: AuditKind::Command,
            action: cmd.name().into(),
            outcome: Outcome::Accepted,
            error: None,
            before,
            after,
            reason: match cmd {
                Command::Pause { reason, .. }
                | Command::Rollback { reason, .. }
                | Command::Abort { reason, .. } => reason.clone(),
                _ => None,
            },
        }),
    }
    Ok(Applied {
        state: s,
        decision,
        audit,
    })
}

/// The audit record of a refused command: phase and state unchanged, the error's code and message.
pub fn rejection(state: &Rollout, cmd: &Command, now: Timestamp, err: &Error) -> AuditRecord {
    let side = state.phase_state();
    AuditRecord {
        at: now,
        actor_id: cmd.actor_id(),
        kind: AuditKind::Command,
        action: cmd.name().into(),
        outcome: Outcome::Rejected,
        error: Some(err.code().into()),
        before: side,
        after: side,
        reason: Some(err.to_string()),
    }
}

/// One tick at `t` (§5 and the replay semantics): pool the window ending `t`, detect D1–D4, apply R1–R6.
fn tick(
    s: &mut Rollout,
    window: Option<&Window>,
    events: &[Timestamp],
    incidents: &[Incident],
    t: Timestamp,
) -> Decision {
    let prev = s
        .last_tick
        .map_or(s.attempt_start, |l| l.max(s.attempt_start));
    s.last_tick = Some(t);
    s.version += 1;
    if s.status == Status::RollingBack {
        let reasons = vec![Reason::RollingBack {
            since: s.status_since,
        }];
        return decide(s, t, DecisionKind::Hold, reasons);
    }
    let th = s.thresholds();
    let policy = s.policy.clone();
    let mut found = Vec::new();
    let mut clean = s.clean_since;
    let mut rollback = None;
    if policy.error_budget_pct.is_some()
        && let Some(w) = window.filter(|w| w.end == t)
    {
        s.budget_samples.push(BudgetSample {
            end: w.end,
            requests: w.requests,
            errors: w.errors,
        });
        let horizon = t.plus(-BURN_HORIZON_SECS);
        s.budget_samples.retain(|b| b.end > horizon);
    }
    let current = window.filter(|w| w.end == t && w.start >= s.attempt_start);
    let mut current_status = None;
    if let Some(w) = current {
        let rec = WindowRecord {
            start: w.start,
            end: w.end,
            requests: w.requests,
            errors: w.errors,
            p95_ms: w.p95_ms,
            control: w.control_requests.zip(w.control_errors),
        };
        current_status = Some(s.record_status(&rec, &th));
        let mut totals = s.clean_sums();
        totals.add(&rec);
        s.clean_totals = Some(totals);
        s.windows.push(rec);
        // (1) the error pool (D1, R1)
        let pool = &mut s.pool;
        pool.first_start.get_or_insert(w.start);
        pool.requests = pool.requests.saturating_add(w.requests);
        pool.errors = pool.errors.saturating_add(w.errors);
        if pool.requests >= policy.min_requests {
            let (errors, requests) = (pool.errors, pool.requests);
            let window_start = pool.first_start.unwrap_or(w.start);
            *pool = ErrorPool::default();
            if rate_at_least(errors, requests, policy.error_rollback) {
                rollback = Some(Reason::ErrorRateAtOrAboveRollback {
                    errors,
                    requests,
                    threshold_pct: policy.error_rollback,
                    window_start,
                    window_end: t,
                });
            } else if rate_at_least(errors, requests, th.error_hold) {
                found.push(Reason::ErrorSpike {
                    errors,
                    requests,
                    window_start,
                    window_end: t,
                });
                clean = clean.max(t);
            }
        }
    }
    // (2) D2: gaps between analytics events in (prev, t]
    let mut pred = s
        .last_event
        .map_or(s.attempt_start, |e| e.max(s.attempt_start));
    let mut sorted: Vec<Timestamp> = events
        .iter()
        .copied()
        .filter(|&e| e > prev && e <= t)
        .collect();
    sorted.sort_unstable();
    for e in sorted {
        if e <= pred {
            continue;
        }
        let gap = e.since(pred);
        if gap > policy.max_gap {
            found.push(Reason::DataGapClosed {
                from: pred,
                to: e,
                length_secs: gap,
            });
            clean = clean.max(e);
        }
        pred = e;
        s.last_event = Some(e);
    }
    // D3: growth and duplicates of the window ending t
    if let Some(w) = current {
        if let (Some(rows), Some([lo, hi])) = (w.rows_added, w.growth_bounds.or(th.growth_bounds))
            && (rows < lo || rows > hi)
        {
            found.push(Reason::GrowthOutOfBounds {
                window_end: w.end,
                rows_added: rows,
                lo,
                hi,
            });
            clean = clean.max(w.end);
        }
        if w.duplicates > 0 {
            found.push(Reason::DuplicateWrites {
                window_end: w.end,
                count: w.duplicates,
            });
            clean = clean.max(w.end);
        }
    }
    // D4: blocking incidents resolved in (prev, t]
    for i in incidents {
        if let Some(r) = i.resolved_at
            && policy.blocks(&i.severity)
            && r > prev
            && r <= t
            && i.opened_at <= r
        {
            found.push(Reason::IncidentResolved {
                id: i.id.clone(),
                severity: i.severity.clone(),
                resolved_at: r,
            });
            clean = clean.max(r);
        }
    }
    if clean != s.clean_since {
        // the stretch restarts at `clean` (at most the tick): only windows the log still holds can
        // start at or after it (every dropped one ended before the previous tick)
        s.clean_since = clean;
        s.clean_totals = Some(CleanTotals::of(
            s.windows.iter().filter(|r| r.start >= clean),
        ));
    }

    // (3) rules, first match wins
    let open = s.blocking_open(incidents, t);
    let (kind, mut reasons) = if let Some(r) = rollback {
        s.enter_rollback(t);
        (DecisionKind::Rollback, vec![r])
    } else {
        match s.status {
            Status::PausedLatencySpike => {
                let spike = s.spike_at.unwrap_or(s.status_since);
                let deadline = spike.plus(policy.latency_grace);
                if t >= deadline {
                    let mut bad = None;
                    let mut end = spike.plus(policy.window);
                    while end <= deadline {
                        let good = s
                            .windows
                            .iter()
                            .rev()
                            .find(|r| r.end == end)
                            .is_some_and(|r| s.record_status(r, &th) == WindowStatus::Good);
                        if !good {
                            bad = Some(end);
                            break;
                        }
                        end = end.plus(policy.window);
                    }
                    s.spike_at = None;
                    s.status_since = t;
                    match bad {
                        None if !open.is_empty() => {
                            s.status = Status::PausedIncident;
                            let mut r = vec![Reason::LatencyRecovered { spike_at: spike }];
                            r.extend(open.iter().map(|i| incident_open(i)));
                            (DecisionKind::Pause, r)
                        }
                        None => {
                            s.status = Status::Running;
                            (
                                DecisionKind::Resume,
                                vec![Reason::LatencyRecovered { spike_at: spike }],
                            )
                        }
                        Some(bad_window) => {
                            s.phase = s.phase.saturating_sub(1);
                            s.status = if s.phase == 0 {
                                Status::PausedRevertedToBaseline
                            } else {
                                Status::PausedReverted
                            };
                            (
                                DecisionKind::RevertToPreviousPhase,
                                vec![Reason::LatencySpikeUnresolved {
                                    spike_at: spike,
                                    bad_window,
                                }],
                            )
                        }
                    }
                } else {
                    let mut r = vec![Reason::PausedLatencySpike {
                        spike_at: spike,
                        deadline,
                        time_left_secs: deadline.since(t),
                    }];
                    r.append(&mut found);
                    r.extend(open.iter().map(|i| incident_open(i)));
                    (DecisionKind::Hold, r)
                }
            }
            Status::Running => {
                if !open.is_empty() {
                    s.status = Status::PausedIncident;
                    s.status_since = t;
                    (
                        DecisionKind::Pause,
                        open.iter().map(|i| incident_open(i)).collect(),
                    )
                } else if let (Some(WindowStatus::Breach), Some(w)) = (current_status, current) {
                    s.status = Status::PausedLatencySpike;
                    s.status_since = t;
                    s.spike_at = Some(t);
                    (
                        DecisionKind::Pause,
                        vec![Reason::LatencySpike {
                            window_end: t,
                            p95_ms: w.p95_ms.unwrap_or(f64::INFINITY),
                            deadline: t.plus(policy.latency_grace),
                        }],
                    )
                } else {
                    let unmet = eligibility(s, t, &th);
                    if unmet.is_empty() {
                        advance(s, t)
                    } else {
                        let mut r = std::mem::take(&mut found);
                        r.extend(unmet);
                        (DecisionKind::Hold, r)
                    }
                }
            }
            paused => {
                let since = s.status_since;
                let mut r = vec![match paused {
                    Status::PausedManual => Reason::PausedManual { since },
                    Status::PausedIncident => Reason::PausedIncident { since },
                    Status::PausedReverted => Reason::PausedReverted { since },
                    _ => Reason::PausedRevertedToBaseline { since },
                }];
                r.append(&mut found);
                r.extend(open.iter().map(|i| incident_open(i)));
                if open.is_empty() {
                    r.push(Reason::AwaitingResume);
                }
                if let (Some(WindowStatus::Breach), Some(w)) = (current_status, current) {
                    r.push(Reason::LatencyBreach {
                        window_end: t,
                        p95_ms: w.p95_ms,
                    });
                }
                (DecisionKind::Hold, r)
            }
        }
    };
    reasons.append(&mut found);
    prune(s, t);
    decide(s, t, kind, reasons)
}

fn decide(s: &Rollout, t: Timestamp, kind: DecisionKind, reasons: Vec<Reason>) -> Decision {
    Decision {
        at: t,
        decision: kind,
        phase: s.phase,
        traffic_pct: s.traffic(),
        state: s.status,
        version: s.version,
        reasons,
    }
}

/// E1–E6 at tick `t` in state Running: every unmet check, in order.
fn eligibility(s: &Rollout, t: Timestamp, th: &Thresholds) -> Vec<Reason> {
    let p = &s.policy;
    let mut unmet = Vec::new();
    let k = s.phase;
    let n = s.plan.phases.len();
    // E1
    let min = s
        .plan
        .phases
        .get(k.saturating_sub(1))
        .map_or(0, |ph| ph.min_duration_secs);
    let elapsed = t.since(s.clean_since);
    if elapsed < min {
        unmet.push(Reason::MinDurationNotElapsed {
            clean_since: s.clean_since,
            remaining_secs: min - elapsed,
        });
    }
    // E2. With fewer windows than the streak, a latest window under the volume floor is named too, so
    // that a low-traffic rollout says why it cannot advance from its first tick (spec §6: insufficient_volume,
    // "E2, latest Insufficient").
    let mut found = 0u32;
    let mut worst = None;
    let mut latest_low = None;
    for i in 0..p.good_streak {
        let end = t.plus(-(i64::from(i)) * p.window);
        if let Some(r) = s.windows.iter().rev().find(|r| r.end == end) {
            found += 1;
            if i == 0 && s.record_status(r, th) == WindowStatus::Insufficient {
                latest_low = Some(Reason::InsufficientVolume {
                    window_end: r.end,
                    requests: r.requests,
                });
            }
            if worst.is_none() {
                worst = match s.record_status(r, th) {
                    WindowStatus::Good => None,
                    WindowStatus::Insufficient => Some(Reason::InsufficientVolume {
                        window_end: r.end,
                        requests: r.requests,
                    }),
                    WindowStatus::Breach => Some(Reason::LatencyStreakBroken {
                        window_end: r.end,
                        p95_ms: r.p95_ms,
                    }),
                };
            }
        }
    }
    if found < p.good_streak {
        unmet.push(Reason::InsufficientWindows {
            found,
            required: p.good_streak,
        });
        unmet.extend(latest_low);
    } else if let Some(w) = worst {
        unmet.push(w);
    }
    // E3
    let sums = s.clean_sums();
    let (errors, requests) = (sums.errors, sums.requests);
    if requests == 0 {
        unmet.push(Reason::NoRequests);
    } else if rate_at_least(errors, requests, th.error_hold) {
        unmet.push(Reason::PhaseErrorRateTooHigh { errors, requests });
    }
    // E4
    let last = s
        .last_event
        .map_or(s.attempt_start, |e| e.max(s.attempt_start));
    if t.since(last) > p.max_gap {
        unmet.push(Reason::DataGapOngoing {
            since: last,
            length_secs: t.since(last),
        });
    }
    // E5 (R3 pauses first while running; kept for completeness)
    // E6
    if k < n
        && s.plan.phases.get(k).is_some_and(|ph| ph.requires_approval)
        && !s
            .approvals
            .iter()
            .any(|a| a.target_phase == k + 1 && a.plan_revision == s.plan.revision)
    {
        unmet.push(Reason::AwaitingApproval {
            target_phase: k + 1,
        });
    }
    // E8 (extension, only with treatment_vs_control): not significantly worse than the control
    if let Some(opts) = &p.treatment_vs_control
        && let Some(r) = worse_than_control(s, opts)
    {
        unmet.push(r);
    }
    // E7 (extension, only with an error budget): no burn-rate alert firing
    if let Some(budget) = p.error_budget_pct {
        for a in burn_rate_alerts(&s.budget_samples, t, budget) {
            unmet.push(Reason::ErrorBudgetBurn {
                severity: a.severity,
                long_window_secs: a.long_window_secs,
                short_window_secs: a.short_window_secs,
                threshold: a.threshold,
                burn_long: a.burn_long,
                burn_short: a.burn_short,
            });
        }
    }
    unmet
}

/// E8: the difference of error proportions (new − control) over the clean stretch's windows that carry
/// control counts, by the always-valid sequential test; `Some` when it is significant and positive.
fn worse_than_control(
    s: &Rollout,
    opts: &crate::significance::SequentialOptions,
) -> Option<Reason> {
    let sums = s.clean_sums();
    let (nt, et, nc, ec) = (
        sums.treatment_requests,
        sums.treatment_errors,
        sums.control_requests,
        sums.control_errors,
    );
    if nt == 0 || nc == 0 {
        return None;
    }
    let (pt, pc) = (et as f64 / nt as f64, ec as f64 / nc as f64);
    let se = (pt * (1.0 - pt) / nt as f64 + pc * (1.0 - pc) / nc as f64).sqrt();
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let r = crate::significance::sequential(pt - pc, se, (nt + nc) as f64, opts, None).ok()?;
    (r.significant && pt > pc).then_some(Reason::TreatmentWorseThanControl {
        treatment_error_pct: 100.0 * pt,
        control_error_pct: 100.0 * pc,
        p_value: r.p_value,
    })
}

/// R5: advance to the next phase (consuming its approval), to the next wave, or complete.
fn advance(s: &mut Rollout, t: Timestamp) -> (DecisionKind, Vec<Reason>) {
    let mut reasons = vec![Reason::CriteriaMet {
        clean_since: s.clean_since,
    }];
    let k = s.phase;
    let n = s.plan.phases.len();
    if k < n {
        if s.plan.phases.get(k).is_some_and(|ph| ph.requires_approval)
            && let Some(i) = s.approvals.iter().position(|a| a.target_phase == k + 1)
        {
            let a = s.approvals.remove(i);
            reasons.push(Reason::ApprovalConsumed {
                actor_id: a.actor_id,
                target_phase: k + 1,
            });
        }
        s.phase = k + 1;
        s.new_attempt(t);
        return (DecisionKind::Advance, reasons);
    }
    let waves = s.plan.waves();
    if s.wave + 1 < waves.len() {
        s.wave += 1;
        s.phase = 1;
        s.new_attempt(t);
        reasons.push(Reason::NextWave {
            wave: s.wave,
            targets: waves.get(s.wave).cloned().unwrap_or_default(),
        });
        return (DecisionKind::Advance, reasons);
    }
    s.status = Status::Completed;
    s.status_since = t;
    (DecisionKind::Complete, reasons)
}

/// Drops windows no rule can need again: older than the latency streak and not inside a running
/// latency-spike grace period (the clean stretch lives on in `clean_totals`). The state stays bounded
/// however long a phase cannot advance.
fn prune(s: &mut Rollout, t: Timestamp) {
    if s.clean_totals.is_none() {
        s.clean_totals = Some(s.clean_sums());
    }
    let horizon = t.plus(-(i64::from(s.policy.good_streak)) * s.policy.window);
    let spike = s.spike_at;
    s.windows
        .retain(|r| r.end > horizon || spike.is_some_and(|sp| r.end > sp));
}
