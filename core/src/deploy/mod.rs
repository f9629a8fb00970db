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
