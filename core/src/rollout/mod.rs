//! Phased rollouts: plans, the gating policy, the pure state machine, approvals and roles, the hash-chained
//! audit log, the back-test ([`simulate`]) and the live [`Service`] over a [`crate::store::Store`] and a
//! [`crate::deploy::Deployer`].
//!
//! The default policy is `../shared/spec/gating-policy.md`, implemented exactly: phases 10 % → 25 % → 50 %
//! → 100 % with minimum clean durations of 2 h, 4 h, 6 h and 24 h; p95 ≤ 500 ms over three consecutive
//! 5-minute windows; errors pooled until 100 requests, a pool at ≥ 2 % rolls back and one at ≥ 1 % resets
//! the clean stretch; analytics gaps over 10 minutes, growth out of bounds, duplicates and P0/P1 incidents
//! hold or pause; a latency spike pauses and reverts after 15 minutes if unresolved. Every parameter is a
//! field of [`GatePolicy`]. Rates compare with integer arithmetic ([`Pct`]).
//!
//! # Example
//! ```
//! use scaleplan::rollout::*;
//! let t0 = Timestamp::parse("2025-06-02T00:00:00Z").unwrap();
//! let plan = RolloutPlan::gradual(Scope::AllRegions, WaveMode::Sequential)?;
//! let mut r = Rollout::new("R-1", Some("carol".into()), plan, GatePolicy::default(), t0)?;
//! r = apply(&r, &Command::Start { actor: Actor::new("carol", Role::OperationsManager) }, &Context::at(t0))?.state;
//! // 24 clean windows (2 h) with events every 5 minutes: the gate advances to 25 % at 02:00
//! for i in 0..24 {
//!     let (s, e) = (t0.plus(300 * i), t0.plus(300 * (i + 1)));
//!     let obs = Observation { window: Some(Window::new(s, e, 2000, 4, Some(320.0))), events: vec![e] };
//!     let out = apply(&r, &Command::Observe { actor: None, observation: obs }, &Context::at(e))?;
//!     r = out.state;
//!     if i < 23 { assert_eq!(out.decision.unwrap().decision, DecisionKind::Hold); }
//! }
//! assert_eq!((r.phase, r.traffic().hundredths()), (2, 2500));
//! # Ok::<(), scaleplan::Error>(())
//! ```

mod audit;
mod gate;
mod machine;
mod plan;
mod policy;
mod progress;
mod replay;
mod service;

pub use crate::time::{Pct, Timestamp};
pub use audit::{
    AuditEvent, AuditKey, AuditKind, AuditRecord, ChainCheck, GENESIS_HASH, Outcome, PhaseState,
    RowSum, Seal, SealedRow, verify, verify_sealed,
};
pub use gate::{
    BURN_HORIZON_SECS, BURN_RATE_PAIRS, BudgetSample, BurnAlert, BurnRate, BurnSeverity, Incident,
    Reason, Window, WindowStatus, burn_rate_alerts, burn_rates, window_status,
};
pub use machine::{
    Applied, Approval, CleanTotals, Command, Context, Decision, DecisionKind, ErrorPool,
    Observation, PlatformError, RollbackRecord, Rollout, Status, TargetTraffic, WindowRecord,
    apply, rejection, validate_window,
};
pub use plan::{ApprovalThresholds, PhaseGate, PhaseSpec, RolloutPlan, Scope, Strategy, WaveMode};
pub use policy::{Actor, GatePolicy, Role};
pub use progress::{Health, Progress, ProgressAlert, TargetProgress, TargetStatus, progress};
pub use replay::{
    Alert, CommandResult, EvidenceRejection, FinalState, MAX_TICKS, Replay, ReplayAudit,
    ReplayOutput, simulate,
};
pub use service::{CommandOutcome, Service, expected_version};
