//! A rollout driving a user-written platform from two service instances on one database.
//!
//! The deployer below is a feature-flag service kept in memory (a real one would call its API); the
//! store is PostgreSQL when a URL is given (`SCALEPLAN_PG_URL` or the first argument), else a SQLite
//! file, both shared by two `Service` instances as two app servers would share them. The flag service
//! goes down in the middle: the rollback is still recorded, the failure is in the audit and decision
//! logs, and the next call after the platform returns re-applies it; the rollback counts as confirmed
//! only when the platform says so.
//!
//! Run: cargo run -p scaleplan-examples --example rollout_platform [-- postgresql://user@host/db]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use scaleplan::Error;
use scaleplan::deploy::Deployer;
use scaleplan::rollout::*;
use scaleplan::store::{self, Store};

/// The host's platform: one flag weight per (rollout, target); `down` simulates an outage.
#[derive(Default)]
struct FlagService {
    weights: Mutex<BTreeMap<(String, String), Pct>>,
    down: Mutex<bool>,
}

impl FlagService {
    fn reachable(&self) -> scaleplan::Result<()> {
        if *self.down.lock().map_err(|_| unreachable_flags())? {
            return Err(unreachable_flags());
        }
        Ok(())
    }
}

fn unreachable_flags() -> Error {
    Error::Deploy {
        message: "flag service: 503 Service Unavailable".into(),
    }
}

impl Deployer for FlagService {
    fn name(&self) -> String {
        "flag-service".into()
    }
    fn apply(
        &self,
        rollout: &str,
        target: &str,
        traffic: Pct,
        _now: Timestamp,
    ) -> scaleplan::Result<()> {
        self.reachable()?;
        self.weights
            .lock()
            .map_err(|_| unreachable_flags())?
            .insert((rollout.into(), target.into()), traffic);
        Ok(())
    }
    fn actual(&self, rollout: &str, target: &str) -> scaleplan::Result<Option<Pct>> {
        self.reachable()?;
        Ok(self
            .weights
            .lock()
            .map_err(|_| unreachable_flags())?
            .get(&(rollout.to_string(), target.to_string()))
            .copied())
    }
    fn rollback(
        &self,
        rollout: &str,
        targets: &[String],
        now: Timestamp,
    ) -> scaleplan::Result<Option<Timestamp>> {
        for t in targets {
            self.apply(rollout, t, Pct::ZERO, now)?;
        }
        Ok(Some(now.plus(20))) // the flag service confirms 20 s after the change
    }
}

/// Two app servers' services over one store location, driving the same platform.
type Instance = Service<Box<dyn Store>, Arc<FlagService>>;

fn instance(location: &str, flags: &Arc<FlagService>) -> scaleplan::Result<Instance> {
    Ok(Service::new(
        store::open(Some(location))?,
        Arc::clone(flags),
    ))
}

fn main() -> scaleplan::Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("SCALEPLAN_PG_URL").ok());
    let dir = std::env::temp_dir().join(format!("scaleplan-platform-{}", std::process::id()));
    let location = match &url {
        Some(u) => u.clone(),
        None => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::Storage {
                message: e.to_string(),
            })?;
            dir.join("rollouts.db").display().to_string()
        }
    };
    println!(
        "store: {}",
        if url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite file"
        }
    );
    let flags = Arc::new(FlagService::default());
    let (a, b) = (instance(&location, &flags)?, instance(&location, &flags)?);
    let t0 = Timestamp::parse_field("t0", "2025-06-02T00:00:00Z")?;
    let id = format!("checkout-v2-{}", std::process::id());
    let region = format!("eu-west-{}", std::process::id());
    let plan = RolloutPlan::custom(
        vec![
            PhaseSpec::new(Pct::from_hundredths(1000), 900),
            PhaseSpec::new(Pct::FULL, 900),
        ],
        Scope::Regions {
            regions: vec![region.clone()],
        },
        WaveMode::Sequential,
    )?;
    let carol = Actor::new("carol", Role::OperationsManager);
    let olga = Actor::new("olga", Role::Operator);
    let monitor = Actor::new("prometheus-bridge", Role::Monitor);
    a.create(&id, plan, GatePolicy::default(), &carol, t0)?;
    let out = b.execute(
        &id,
        Command::Start { actor: carol },
        t0,
        Some(0),
        Some("start"),
    )?;
    println!(
        "instance B started {id}: {} on {} ({})",
        out.traffic_pct, region, out.deployer
    );
    let w = Window::new(t0, t0.plus(300), 2000, 4, Some(320.0));
    let out = a.observe(
        &id,
        &monitor,
        Some(w),
        vec![t0.plus(300)],
        t0.plus(300),
        None,
    )?;
    println!("instance A tick: {:?}", out.decision.map(|d| d.decision));
    *flags.down.lock().map_err(|_| unreachable_flags())? = true;
    let err = b
        .execute(
            &id,
            Command::Rollback {
                actor: olga,
                reason: Some("checkout errors".into()),
            },
            t0.plus(360),
            None,
            Some("rb-1"),
        )
        .unwrap_err();
    println!(
        "instance B rollback during the outage: [{}] {err}",
        err.code()
    );
    let p = a.progress(&id, t0.plus(420))?;
    println!(
        "dashboard: {:?}, {} at {} (the platform has not confirmed), alerts {:?}",
        p.state,
        p.targets[0].name,
        p.targets[0].traffic_pct,
        p.alerts.iter().map(|x| x.code.as_str()).collect::<Vec<_>>()
    );
    *flags.down.lock().map_err(|_| unreachable_flags())? = false;
    let r = a.reconcile(&id, t0.plus(480))?;
    let rb = r
        .rollback
        .clone()
        .unwrap_or_else(|| unreachable!("a rollback was decided"));
    println!(
        "instance A reconciled: {:?}, confirmed {} s after the decision (objective {} s met: {:?})",
        r.status,
        rb.duration_secs.unwrap_or_default(),
        r.policy.rollback_sla,
        rb.sla_met
    );
    let check = b.verify_audit(&id)?;
    let log = b.store().audit(&id)?;
    for e in &log {
        println!(
            "  audit {:>2} {:<10} {:<16} {:?} {}",
            e.seq,
            e.record.actor_id,
            e.record.action,
            e.record.outcome,
            e.record.reason.as_deref().unwrap_or("")
        );
    }
    println!(
        "audit chain intact: {} ({} events)",
        check.intact, check.events
    );
    if url.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
