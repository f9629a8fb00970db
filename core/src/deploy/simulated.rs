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
    /// The rollout.
    pub rollout_id: String,
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
/// d.apply("R-1", "eu", Pct::from_hundredths(1000), Timestamp::from_unix(0))?;
/// assert_eq!(d.actual("R-1", "eu")?, Some(Pct::from_hundredths(1000)));
/// assert_eq!(d.actual("R-2", "eu")?, None); // each rollout has its own traffic
/// let confirmed = d.rollback("R-1", &["eu".to_string()], Timestamp::from_unix(300))?;
/// assert_eq!(confirmed, Some(Timestamp::from_unix(390)));
/// d.set_down(true); // the platform is unreachable until set_down(false)
/// assert_eq!(d.apply("R-1", "eu", Pct::ZERO, Timestamp::from_unix(400)).unwrap_err().code(), "deploy");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct SimulatedDeployer {
    traffic: Mutex<BTreeMap<(String, String), Pct>>,
    calls: Mutex<Vec<DeployCall>>,
    rollback_secs: i64,
    fail_next: AtomicBool,
    down: AtomicBool,
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

    /// While `down`, every call fails with `deploy` (a platform outage).
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<DeployCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn check(&self) -> Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(Error::Deploy {
                message: "simulated platform unreachable".into(),
            });
        }
        if self.fail_next.swap(false, Ordering::SeqCst) {
            return Err(Error::Deploy {
                message: "simulated platform failure".into(),
            });
        }
        Ok(())
    }

    fn set(&self, rollout_id: &str, target: &str, traffic: Pct, now: Timestamp) -> Result<()> {
        self.traffic
            .lock()
            .map_err(|_| poisoned())?
            .insert((rollout_id.to_string(), target.to_string()), traffic);
        self.calls.lock().map_err(|_| poisoned())?.push(DeployCall {
            at: now,
            rollout_id: rollout_id.to_string(),
            target: target.to_string(),
            traffic_pct: traffic,
        });
        Ok(())
    }
}

impl Deployer for SimulatedDeployer {
    fn name(&self) -> String {
        "simulated".to_string()
    }

    fn apply(&self, rollout_id: &str, target: &str, traffic: Pct, now: Timestamp) -> Result<()> {
        self.check()?;
        self.set(rollout_id, target, traffic, now)
    }

    fn actual(&self, rollout_id: &str, target: &str) -> Result<Option<Pct>> {
        if self.down.load(Ordering::SeqCst) {
            return Err(Error::Deploy {
                message: "simulated platform unreachable".into(),
            });
        }
        Ok(self
            .traffic
            .lock()
            .map_err(|_| poisoned())?
            .get(&(rollout_id.to_string(), target.to_string()))
            .copied())
    }

    fn rollback(
        &self,
        rollout_id: &str,
        targets: &[String],
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        self.check()?;
        for t in targets {
            self.set(rollout_id, t, Pct::ZERO, now)?;
        }
        Ok(Some(now.plus(self.rollback_secs)))
    }
}

fn poisoned() -> Error {
    Error::Deploy {
        message: "simulated deployer poisoned by a panic in another thread".into(),
    }
}
