//! Where traffic actually moves: the [`Deployer`] trait, and [`SimulatedDeployer`] for tests and examples.
//!
//! The service records the intended traffic in the store first, then calls the deployer; on every later
//! call it compares desired and actual traffic and re-applies the difference, so a crash between the two
//! heals.

mod simulated;

pub use simulated::{DeployCall, SimulatedDeployer};

use crate::error::Result;
use crate::rollout::{Pct, Timestamp};

/// Moves traffic for a target (region or team).
pub trait Deployer: Send + Sync {
    /// Sets the new version's share of traffic for `target`.
    ///
    /// # Errors
    /// `deploy` when the platform refuses or fails.
    fn apply(&self, target: &str, traffic: Pct, now: Timestamp) -> Result<()>;

    /// The traffic the platform reports for `target` (None: never deployed).
    ///
    /// # Errors
    /// `deploy`.
    fn actual(&self, target: &str) -> Result<Option<Pct>>;

    /// Moves every target to 0 %; returns when 0 % was confirmed, if the platform confirms synchronously
    /// (the host confirms later through `confirm_rollback` otherwise).
    ///
    /// # Errors
    /// `deploy`.
    fn rollback(&self, targets: &[String], now: Timestamp) -> Result<Option<Timestamp>>;
}
