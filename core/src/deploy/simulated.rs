//! [`SimulatedDeployer`]: keeps traffic in memory, confirms rollbacks after a set delay, and can be told
//! to fail the next call (to test crash healing).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::Deployer;
use crate::error::{Error, Result};
use crate::rollout::{Pct, Timestamp};

/// One call the simulated platform received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployCall {
    /// When.
    pub at: Timestamp,
    /// Target.
    pub target: String,
    /// Traffic set.
    pub traffic_pct: Pct,
}

/// An in-memory deployment platform.
///
/// # Example
/// ```
/// use scaleplan::deploy::{Deployer, SimulatedDeployer};
/// use scaleplan::rollout::{Pct, Timestamp};
/// let d = SimulatedDeployer::new(90);
/// d.apply("eu", Pct::from_hundredths(1000), Timestamp::from_unix(0))?;
/// assert_eq!(d.actual("eu")?, Some(Pct::from_hundredths(1000)));
/// let confirmed = d.rollback(&["eu".to_string()], Timestamp::from_unix(300))?;
/// assert_eq!(confirmed, Some(Timestamp::from_unix(390)));
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct SimulatedDeployer {
    traffic: Mutex<BTreeMap<String, Pct>>,
    calls: Mutex<Vec<DeployCall>>,
    rollback_secs: i64,
    fail_next: AtomicBool,
}

impl SimulatedDeployer {
    /// A platform whose rollbacks are confirmed `rollback_secs` after they are asked for.
    pub fn new(rollback_secs: i64) -> Self {
        SimulatedDeployer {
            rollback_secs,
            ..Default::default()
        }
    }

    /// Makes the next `apply` or `rollback` fail (as a crash between commit and deploy would).
    pub fn fail_next(&self) {
        self.fail_next.store(true, Ordering::SeqCst);
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<DeployCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn check(&self) -> Result<()> {
        if self.fail_next.swap(false, Ordering::SeqCst) {
            return Err(Error::Deploy {
                message: "simulated platform failure".into(),
            });
        }
        Ok(())
    }

    fn set(&self, target: &str, traffic: Pct, now: Timestamp) -> Result<()> {
        self.traffic
            .lock()
            .map_err(|_| poisoned())?
            .insert(target.to_string(), traffic);
        self.calls.lock().map_err(|_| poisoned())?.push(DeployCall {
            at: now,
            target: target.to_string(),
            traffic_pct: traffic,
        });
        Ok(())
    }
}

impl Deployer for SimulatedDeployer {
    fn apply(&self, target: &str, traffic: Pct, now: Timestamp) -> Result<()> {
        self.check()?;
        self.set(target, traffic, now)
    }

    fn actual(&self, target: &str) -> Result<Option<Pct>> {
        Ok(self
            .traffic
            .lock()
            .map_err(|_| poisoned())?
            .get(target)
            .copied())
    }

    fn rollback(&self, targets: &[String], now: Timestamp) -> Result<Option<Timestamp>> {
        self.check()?;
        for t in targets {
            self.set(t, Pct::ZERO, now)?;
        }
        Ok(Some(now.plus(self.rollback_secs)))
    }
}

fn poisoned() -> Error {
    Error::Deploy {
        message: "simulated deployer poisoned by a panic in another thread".into(),
    }
}
