//! Where traffic actually moves: the [`Deployer`] trait, and [`SimulatedDeployer`] for tests and examples.
//!
//! The service records the intended traffic in the store first, then calls the deployer; on every later
//! call it compares desired and actual traffic and re-applies the difference (the reconcile loop), so a
//! crash or a platform outage between the two heals. A platform error is the typed `deploy` error: the
//! service records it in the audit and decision logs and retries on the next call. A rollback is
//! confirmed only by the platform (the answer of [`Deployer::rollback`], or the host's `confirm_rollback`).

mod simulated;

pub use simulated::{DeployCall, SimulatedDeployer};

use crate::error::Result;
use crate::rollout::{Pct, Timestamp};

/// Moves traffic for one rollout on a target (region or team).
///
/// Every method is told which rollout it moves, so that a platform keeps one flag or weight per rollout.
/// Calls may repeat (the service re-applies after a failure): implementations must be idempotent.
pub trait Deployer: Send + Sync {
    /// What the outcomes and the dashboard name the platform by (`simulated` for [`SimulatedDeployer`]).
    fn name(&self) -> String {
        "platform".to_string()
    }

    /// Sets rollout `rollout_id`'s share of traffic on `target`.
    ///
    /// # Errors
    /// `deploy` when the platform refuses or fails.
    fn apply(&self, rollout_id: &str, target: &str, traffic: Pct, now: Timestamp) -> Result<()>;

    /// The traffic the platform reports for the rollout on `target` (None: never deployed).
    ///
    /// # Errors
    /// `deploy`.
    fn actual(&self, rollout_id: &str, target: &str) -> Result<Option<Pct>>;

    /// Moves the rollout to 0 % on every target; returns when the platform confirmed 0 %, if it confirms
    /// synchronously (None: the host confirms later through `confirm_rollback`, or a later call here does).
    ///
    /// # Errors
    /// `deploy`.
    fn rollback(
        &self,
        rollout_id: &str,
        targets: &[String],
        now: Timestamp,
    ) -> Result<Option<Timestamp>>;
}

/// A boxed deployer is a deployer (the bindings choose the simulator or the host's own at run time).
impl<D: Deployer + ?Sized> Deployer for Box<D> {
    fn name(&self) -> String {
        (**self).name()
    }
    fn apply(&self, rollout_id: &str, target: &str, traffic: Pct, now: Timestamp) -> Result<()> {
        (**self).apply(rollout_id, target, traffic, now)
    }
    fn actual(&self, rollout_id: &str, target: &str) -> Result<Option<Pct>> {
        (**self).actual(rollout_id, target)
    }
    fn rollback(
        &self,
        rollout_id: &str,
        targets: &[String],
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        (**self).rollback(rollout_id, targets, now)
    }
}

/// A shared deployer is a deployer (a host keeps a handle to the simulator it gave the service).
impl<D: Deployer + ?Sized> Deployer for std::sync::Arc<D> {
    fn name(&self) -> String {
        (**self).name()
    }
    fn apply(&self, rollout_id: &str, target: &str, traffic: Pct, now: Timestamp) -> Result<()> {
        (**self).apply(rollout_id, target, traffic, now)
    }
    fn actual(&self, rollout_id: &str, target: &str) -> Result<Option<Pct>> {
        (**self).actual(rollout_id, target)
    }
    fn rollback(
        &self,
        rollout_id: &str,
        targets: &[String],
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        (**self).rollback(rollout_id, targets, now)
    }
}

/// What a deployer written in another language answers, as JSON: the bindings call the host's object
/// with a [`PlatformCall`] and read its answer through [`PlatformAnswer::read`] (one rule for Python and
/// Node).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum PlatformCall {
    /// [`Deployer::apply`].
    Apply {
        /// The rollout.
        rollout_id: String,
        /// The target.
        target: String,
        /// Percent.
        traffic_pct: Pct,
        /// When.
        now: Timestamp,
    },
    /// [`Deployer::actual`].
    Actual {
        /// The rollout.
        rollout_id: String,
        /// The target.
        target: String,
    },
    /// [`Deployer::rollback`].
    Rollback {
        /// The rollout.
        rollout_id: String,
        /// The targets.
        targets: Vec<String>,
        /// When.
        now: Timestamp,
    },
}

/// Reads a host deployer's answer (JSON) to a [`PlatformCall`].
pub struct PlatformAnswer;

impl PlatformAnswer {
    /// `actual`: null or a percentage in [0, 100].
    ///
    /// # Errors
    /// `deploy` naming the deployer when the answer is not one.
    pub fn traffic(deployer: &str, answer: &serde_json::Value) -> Result<Option<Pct>> {
        if answer.is_null() {
            return Ok(None);
        }
        serde_json::from_value::<Pct>(answer.clone())
            .map(Some)
            .map_err(|e| {
                bad_answer(
                    deployer,
                    "actual",
                    "null or a percentage in [0, 100]",
                    answer,
                    e,
                )
            })
    }

    /// `rollback`: null (not confirmed yet) or the RFC 3339 time the platform confirmed 0 %.
    ///
    /// # Errors
    /// `deploy` naming the deployer when the answer is not one.
    pub fn confirmation(deployer: &str, answer: &serde_json::Value) -> Result<Option<Timestamp>> {
        match answer {
            serde_json::Value::Null | serde_json::Value::Bool(false) => Ok(None),
            serde_json::Value::String(s) => Timestamp::parse_field("rollback", s)
                .map(Some)
                .map_err(|e| {
                    bad_answer(deployer, "rollback", "null or an RFC 3339 time", answer, e)
                }),
            other => Err(bad_answer(
                deployer,
                "rollback",
                "null or an RFC 3339 time",
                other,
                "wrong type",
            )),
        }
    }
}

fn bad_answer(
    deployer: &str,
    method: &str,
    expected: &str,
    got: &serde_json::Value,
    e: impl std::fmt::Display,
) -> crate::Error {
    crate::Error::Deploy {
        message: format!("{deployer}.{method} answered {got}, expected {expected} ({e})"),
    }
}
