//! Rollouts against a platform that fails, confirms late or is shared: deployer failures recorded and
//! retried, rollbacks confirmed only by the platform, targets owned by one active rollout, rollbacks and
//! pauses that get through concurrent writers, refusals audited, and the four-eyes rule on normalised ids.

use std::collections::BTreeMap;
use std::sync::Mutex;

use scaleplan::deploy::{Deployer, SimulatedDeployer};
use scaleplan::rollout::*;
use scaleplan::store::{MemoryStore, SqliteStore, Store};
use scaleplan::{Error, Result};

fn t(min: i64) -> Timestamp {
    Timestamp::parse("2025-06-02T00:00:00Z")
        .unwrap()
        .plus(60 * min)
}

fn carol() -> Actor {
    Actor::new("carol", Role::OperationsManager)
}

fn olga() -> Actor {
    Actor::new("olga", Role::Operator)
}

fn monitor() -> Actor {
    Actor::new("prometheus-bridge", Role::Monitor)
}

fn plan(scope: Scope) -> RolloutPlan {
    RolloutPlan::custom(
        vec![
            PhaseSpec::new(Pct::from_hundredths(1000), 900),
            PhaseSpec::new(Pct::FULL, 900),
        ],
        scope,
        WaveMode::Sequential,
    )
    .unwrap()
}

fn window(i: i64, errors: u64) -> Window {
    Window::new(t(5 * i), t(5 * i + 5), 2000, errors, Some(320.0))
}

fn rollback() -> Command {
    Command::Rollback {
        actor: olga(),
        reason: Some("errors".into()),
    }
}

/// A platform that confirms rollbacks asynchronously (never in the call), can be down, and records who
/// asked for what.
#[derive(Default)]
struct FlagService {
    traffic: Mutex<BTreeMap<(String, String), Pct>>,
    down: Mutex<bool>,
    calls: Mutex<Vec<String>>,
}

impl FlagService {
    fn check(&self) -> Result<()> {
        if *self.down.lock().unwrap() {
            return Err(Error::Deploy {
                message: "flag service: connection refused".into(),
            });
        }
        Ok(())
    }
}

impl Deployer for FlagService {
    fn name(&self) -> String {
        "flags".into()
    }
    fn apply(&self, rollout: &str, target: &str, traffic: Pct, _now: Timestamp) -> Result<()> {
        self.check()?;
        self.calls
            .lock()
            .unwrap()
            .push(format!("{rollout}/{target}={}", traffic.hundredths()));
        self.traffic
            .lock()
            .unwrap()
            .insert((rollout.into(), target.into()), traffic);
        Ok(())
    }
    fn actual(&self, rollout: &str, target: &str) -> Result<Option<Pct>> {
        self.check()?;
        Ok(self
            .traffic
            .lock()
            .unwrap()
            .get(&(rollout.to_string(), target.to_string()))
            .copied())
    }
    fn rollback(
        &self,
        rollout: &str,
        targets: &[String],
        _now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        self.check()?;
        for target in targets {
            self.traffic
                .lock()
                .unwrap()
                .insert((rollout.into(), target.clone()), Pct::ZERO);
        }
        Ok(None)
    }
}

#[test]
fn the_deployer_is_told_which_rollout_it_moves_and_targets_have_one_owner() {
    let svc = Service::new(MemoryStore::new(), FlagService::default());
    let eu = Scope::Regions {
        regions: vec!["eu".into()],
    };
    let us = Scope::Regions {
        regions: vec!["us".into()],
    };
    svc.create("A", plan(eu.clone()), GatePolicy::default(), &carol(), t(0))
        .unwrap();
    svc.create("B", plan(us), GatePolicy::default(), &carol(), t(0))
        .unwrap();
    svc.create("C", plan(eu), GatePolicy::default(), &carol(), t(0))
        .unwrap();
    for id in ["A", "B"] {
        svc.execute(id, Command::Start { actor: carol() }, t(0), None, None)
            .unwrap();
    }
    assert_eq!(
        *svc.deployer().calls.lock().unwrap(),
        vec!["A/eu=1000".to_string(), "B/us=1000".to_string()]
    );
    // C wants eu, which A holds: refused, naming the holder, and audited
    let err = svc
        .execute("C", Command::Start { actor: carol() }, t(1), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "target_held");
    assert!(err.to_string().contains("`A`"), "{err}");
    assert_eq!(
        svc.store().target_holder("eu").unwrap().as_deref(),
        Some("A")
    );
    let last = svc.store().audit("C").unwrap().pop().unwrap();
    assert_eq!(
        (last.record.action.as_str(), last.record.error.as_deref()),
        ("start", Some("target_held"))
    );
    assert_eq!(svc.rollout("C").unwrap().status, Status::Ready);
    // once A is rolled back and the platform confirmed, eu is free
    svc.execute("A", rollback(), t(2), None, None).unwrap();
    assert_eq!(svc.rollout("A").unwrap().status, Status::RollingBack);
    svc.execute("A", Command::ConfirmRollback, t(3), None, None)
        .unwrap();
    assert_eq!(svc.store().target_holder("eu").unwrap(), None);
    svc.execute("C", Command::Start { actor: carol() }, t(4), None, None)
        .unwrap();
    assert_eq!(
        svc.store().target_holder("eu").unwrap().as_deref(),
        Some("C")
    );
}

#[test]
fn a_platform_outage_is_recorded_retried_and_never_reported_as_a_confirmed_rollback() {
    for store in [
        Box::new(MemoryStore::new()) as Box<dyn Store>,
        Box::new(SqliteStore::in_memory().unwrap()),
    ] {
        let svc = Service::new(store, FlagService::default());
        svc.create(
            "R-1",
            plan(Scope::AllRegions),
            GatePolicy::default(),
            &carol(),
            t(0),
        )
        .unwrap();
        svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
            .unwrap();
        *svc.deployer().down.lock().unwrap() = true;
        // the rollback is recorded though the platform is down; the caller hears `deploy`
        let err = svc
            .execute("R-1", rollback(), t(1), None, Some("rb-1"))
            .unwrap_err();
        assert_eq!(err.code(), "deploy");
        assert!(err.to_string().contains("connection refused"), "{err}");
        let r = svc.rollout("R-1").unwrap();
        assert_eq!(r.status, Status::RollingBack);
        assert_eq!(r.platform_error.as_ref().unwrap().attempts, 1);
        // the dashboard shows the traffic the platform still serves, and the failure
        let p = svc.progress("R-1", t(2)).unwrap();
        assert_eq!(p.targets[0].status, TargetStatus::RollingBack);
        assert_eq!(p.targets[0].traffic_pct.hundredths(), 1000);
        assert_eq!(p.deployer.as_deref(), Some("flags"));
        assert_eq!(p.alerts[0].code, "deploy_failed");
        // the same key while the platform is down: still `deploy`, never a confirmation
        let err = svc
            .execute("R-1", rollback(), t(3), None, Some("rb-1"))
            .unwrap_err();
        assert_eq!(err.code(), "deploy");
        // audit and decision logs carry every failed attempt
        let failed: Vec<_> = svc
            .store()
            .audit("R-1")
            .unwrap()
            .into_iter()
            .filter(|e| e.record.kind == AuditKind::Deploy && e.record.outcome == Outcome::Failed)
            .collect();
        // the platform is asked once per call: first while it still served 10 % (`apply`, before the
        // rollback was recorded), then the rollback itself
        let actions: Vec<&str> = failed.iter().map(|e| e.record.action.as_str()).collect();
        assert_eq!(actions, vec!["apply", "rollback"]);
        let decisions = svc.store().decisions("R-1").unwrap();
        assert!(
            decisions
                .iter()
                .all(|d| d.decision == DecisionKind::DeployFailed)
        );
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[1].reasons[0].code(), "deploy_failed");
        // past the rollback objective (300 s) with no confirmation: overdue
        let p = svc.progress("R-1", t(6)).unwrap();
        let codes: Vec<&str> = p.alerts.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, vec!["rollback_overdue", "deploy_failed"]);
        // the platform comes back: the next call re-applies 0 %, the failure is cleared (audited)
        *svc.deployer().down.lock().unwrap() = false;
        let r = svc.reconcile("R-1", t(8)).unwrap();
        assert_eq!(
            (r.status, r.platform_error.is_none()),
            (Status::RollingBack, true)
        );
        assert_eq!(
            svc.deployer().actual("R-1", "all").unwrap(),
            Some(Pct::ZERO)
        );
        // only the platform's confirmation finishes it; the objective is measured decision -> confirmation
        svc.execute("R-1", Command::ConfirmRollback, t(9), None, None)
            .unwrap();
        let r = svc.rollout("R-1").unwrap();
        let rb = r.rollback.unwrap();
        assert_eq!((rb.duration_secs, rb.sla_met), (Some(480), Some(false)));
        let p = svc.progress("R-1", t(10)).unwrap();
        assert_eq!(p.alerts[0].code, "rollback_sla_breached");
        assert_eq!(p.targets[0].status, TargetStatus::RolledBack);
        // the first key now answers with its first outcome
        let out = svc
            .execute("R-1", rollback(), t(11), None, Some("rb-1"))
            .unwrap();
        assert!(out.replayed);
        assert!(svc.verify_audit("R-1").unwrap().intact);
    }
}

#[test]
fn a_tick_during_an_outage_is_recorded_and_healed_later() {
    let svc = Service::new(MemoryStore::new(), SimulatedDeployer::new(30));
    svc.create(
        "R-1",
        plan(Scope::AllRegions),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    svc.deployer().set_down(true);
    // the platform cannot even be asked what it serves: each tick is decided, recorded, and answered
    // `deploy`
    for i in 0..2 {
        let err = svc
            .observe(
                "R-1",
                &monitor(),
                Some(window(i, 4)),
                vec![t(5 * i + 5)],
                t(5 * i + 5),
                None,
            )
            .unwrap_err();
        assert_eq!(err.code(), "deploy");
    }
    assert_eq!(svc.rollout("R-1").unwrap().last_tick, Some(t(10)));
    // the third clean window advances to 100 %: committed, the platform refuses
    let err = svc
        .observe(
            "R-1",
            &monitor(),
            Some(window(2, 4)),
            vec![t(15)],
            t(15),
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "deploy");
    assert_eq!(svc.rollout("R-1").unwrap().phase, 2);
    // a rollback during the outage still gets through (recorded, not confirmed)
    let err = svc
        .execute("R-1", rollback(), t(16), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "deploy");
    assert_eq!(svc.rollout("R-1").unwrap().status, Status::RollingBack);
    svc.deployer().set_down(false);
    // the simulated platform confirms synchronously 30 s after it is asked
    let r = svc.reconcile("R-1", t(20)).unwrap();
    assert_eq!(r.status, Status::RolledBack);
    let rb = r.rollback.unwrap();
    assert_eq!(rb.confirmed_at, Some(t(20).plus(30)));
    assert_eq!(rb.duration_secs, Some(4 * 60 + 30));
}

#[test]
fn pause_and_rollback_are_valid_from_every_non_terminal_state() {
    let svc = Service::new(MemoryStore::new(), FlagService::default());
    svc.create(
        "R-1",
        plan(Scope::AllRegions),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    let pause = Command::Pause {
        actor: olga(),
        reason: None,
    };
    // ready: nothing to pause (accepted, says so)
    let out = svc.execute("R-1", pause.clone(), t(0), None, None).unwrap();
    assert_eq!(out.state, Status::Ready);
    assert!(out.no_op.unwrap().contains("not running"));
    svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    svc.execute("R-1", pause.clone(), t(1), None, None).unwrap();
    let out = svc.execute("R-1", pause, t(2), Some(0), None).unwrap();
    assert!(out.no_op.is_some());
    svc.execute("R-1", rollback(), t(3), Some(0), None).unwrap();
    let out = svc.execute("R-1", rollback(), t(4), None, None).unwrap();
    assert_eq!(out.state, Status::RollingBack);
    assert!(out.no_op.unwrap().starts_with("already rolling back"));
    // exactly one rollback changed the state
    let audit = svc.store().audit("R-1").unwrap();
    let changed = audit
        .iter()
        .filter(|e| e.record.action == "rollback" && e.record.before != e.record.after)
        .count();
    assert_eq!(changed, 1);
}

/// 8 writers (separate services, separate SQLite connections) on one rollout: ticks, pauses and one
/// rollback sent by three of them with one key. No command fails for a stale version; the rollback is
/// applied once and every caller with the key hears it applied; every refusal is in the audit log.
#[test]
fn eight_concurrent_writers_lose_nothing_and_the_rollback_gets_through() {
    let dir = std::env::temp_dir().join(format!("scaleplan-writers8-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rollouts.db");
    let setup = Service::new(
        SqliteStore::open(&path).unwrap(),
        SimulatedDeployer::new(600),
    );
    let long = RolloutPlan::custom(
        vec![
            PhaseSpec::new(Pct::from_hundredths(1000), 86_400),
            PhaseSpec::new(Pct::FULL, 86_400),
        ],
        Scope::AllRegions,
        WaveMode::Sequential,
    )
    .unwrap();
    setup
        .create("R-1", long, GatePolicy::default(), &carol(), t(0))
        .unwrap();
    setup
        .execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    let results: Vec<Vec<(String, std::result::Result<CommandOutcome, Error>)>> =
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|w| {
                    let path = path.clone();
                    s.spawn(move || {
                        let svc = Service::new(
                            SqliteStore::open(&path).unwrap(),
                            SimulatedDeployer::new(600),
                        );
                        let mut out = Vec::new();
                        for k in 0..12i64 {
                            let (name, r) = match (w, k) {
                                (0..=2, 6) => (
                                    "rollback".to_string(),
                                    svc.execute(
                                        "R-1",
                                        rollback(),
                                        t(300),
                                        None,
                                        Some("incident-42"),
                                    ),
                                ),
                                (3 | 4, _) if k % 3 == 1 => (
                                    "pause".to_string(),
                                    svc.execute(
                                        "R-1",
                                        Command::Pause {
                                            actor: olga(),
                                            reason: None,
                                        },
                                        t(200),
                                        Some(1),
                                        None,
                                    ),
                                ),
                                _ => {
                                    let i = 8 * k + w as i64;
                                    (
                                        "observe".to_string(),
                                        svc.observe(
                                            "R-1",
                                            &monitor(),
                                            Some(window(i, 4)),
                                            vec![t(5 * i + 5)],
                                            t(5 * i + 5),
                                            None,
                                        ),
                                    )
                                }
                            };
                            out.push((name, r));
                        }
                        out
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
    let all: Vec<&(String, std::result::Result<CommandOutcome, Error>)> =
        results.iter().flatten().collect();
    for (name, r) in &all {
        if let Err(e) = r {
            assert_ne!(e.code(), "conflict", "{name}: {e}");
            assert_ne!(e.code(), "storage", "{name}: {e}");
        }
        match (name.as_str(), r) {
            ("rollback", r) => assert!(r.is_ok(), "{r:?}"),
            // a pause after the rollback finished: the rollout is terminal
            ("pause", Err(e)) => assert_eq!(e.code(), "illegal_transition"),
            _ => {}
        }
    }
    let rollbacks: Vec<&CommandOutcome> = all
        .iter()
        .filter(|(n, _)| n == "rollback")
        .map(|(_, r)| r.as_ref().unwrap())
        .collect();
    assert_eq!(rollbacks.len(), 3);
    assert_eq!(rollbacks.iter().filter(|o| !o.replayed).count(), 1);
    // the replays carry the outcome stored with the key (the version the rollback committed at); the
    // first caller reports the state after its own confirmation, which other writers' commits (a
    // tick healing the rollback, say) may have moved further on.
    let first = rollbacks.iter().find(|o| !o.replayed).unwrap();
    for o in rollbacks.iter().filter(|o| o.replayed) {
        assert_eq!(o.state, Status::RollingBack);
        assert!(
            o.version <= first.version,
            "{} > {}",
            o.version,
            first.version
        );
    }
    assert_eq!(
        rollbacks
            .iter()
            .filter(|o| o.replayed)
            .map(|o| o.version)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        usize::from(rollbacks.len() > 1)
    );
    let audit = setup.store().audit("R-1").unwrap();
    let applied = audit
        .iter()
        .filter(|e| e.record.action == "rollback" && e.record.outcome == Outcome::Accepted)
        .count();
    assert_eq!(applied, 1);
    let refused = all.iter().filter(|(_, r)| r.is_err()).count();
    let rejected = audit
        .iter()
        .filter(|e| e.record.outcome == Outcome::Rejected)
        .count();
    assert_eq!(refused, rejected);
    assert!(setup.verify_audit("R-1").unwrap().intact);
    let r = setup.rollout("R-1").unwrap();
    assert!(matches!(r.status, Status::RollingBack | Status::RolledBack));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn four_eyes_compare_normalised_ids_of_the_creator_and_the_starter() {
    let svc = Service::new(MemoryStore::new(), FlagService::default()).with_approval_thresholds(
        ApprovalThresholds {
            max_users: Some(10_000),
            max_monthly_cost: None,
        },
    );
    // a viewer cannot create; a blank id names no one
    let err = svc
        .create(
            "R-0",
            plan(Scope::AllRegions),
            GatePolicy::default(),
            &Actor::new("vic", Role::Viewer),
            t(0),
        )
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = svc
        .create(
            "R-0",
            plan(Scope::AllRegions),
            GatePolicy::default(),
            &Actor::new(" \t", Role::Admin),
            t(0),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_actor");
    // the plan omits target_users: the service's threshold still applies
    let r = svc
        .create(
            "R-1",
            plan(Scope::AllRegions),
            GatePolicy::default(),
            &carol(),
            t(0),
        )
        .unwrap();
    assert!(r.plan.phases[0].requires_approval);
    let approve = |id: &str, role: Role, phase: usize| Command::Approve {
        actor: Actor::new(id, role),
        rollout_id: "R-1".into(),
        plan_revision: 1,
        target_phase: phase,
    };
    for spelling in ["Carol", "carol ", " CAROL", "carol\n"] {
        let err = svc
            .execute("R-1", approve(spelling, Role::Admin, 1), t(1), None, None)
            .unwrap_err();
        assert_eq!(err.code(), "self_approval_forbidden", "{spelling:?}");
    }
    // an admin approves, then tries to start it himself: the approver may not be the starter
    svc.execute("R-1", approve("al", Role::Admin, 1), t(1), None, None)
        .unwrap();
    let err = svc
        .execute("R-1", approve("Al", Role::Admin, 1), t(1), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "already_approved");
    let err = svc
        .execute(
            "R-1",
            Command::Start {
                actor: Actor::new(" AL", Role::Admin),
            },
            t(2),
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "self_approval_forbidden");
    let out = svc
        .execute("R-1", Command::Start { actor: carol() }, t(2), None, None)
        .unwrap();
    assert_eq!(out.state, Status::Running);
    // carol started it: she cannot approve a later phase either, under any spelling
    let err = svc
        .execute("R-1", approve("CAROL", Role::Admin, 2), t(3), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "self_approval_forbidden");
    // observations need a monitor (or above) and name who sends them
    let err = svc
        .execute(
            "R-1",
            Command::Observe {
                actor: None,
                observation: Observation {
                    window: Some(window(0, 0)),
                    events: vec![],
                },
            },
            t(5),
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_actor");
    let err = svc
        .observe(
            "R-1",
            &Actor::new("vic", Role::Viewer),
            Some(window(0, 0)),
            vec![],
            t(5),
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = svc
        .report_incident(
            "R-1",
            &Actor::new("vic", Role::Viewer),
            &Incident {
                id: "INC-1".into(),
                severity: "P0".into(),
                opened_at: t(4),
                resolved_at: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    // a pause dated before the start is refused
    let err = svc
        .execute(
            "R-1",
            Command::Pause {
                actor: olga(),
                reason: None,
            },
            t(1),
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "out_of_order");
    // every refusal above is in the audit log, with the normalised actor
    let audit = svc.store().audit("R-1").unwrap();
    let rejected: Vec<(&str, &str, Option<&str>)> = audit
        .iter()
        .filter(|e| e.record.outcome == Outcome::Rejected)
        .map(|e| {
            (
                e.record.actor_id.as_str(),
                e.record.action.as_str(),
                e.record.error.as_deref(),
            )
        })
        .collect();
    assert_eq!(rejected.len(), 11);
    assert_eq!(
        rejected[0],
        ("carol", "approve", Some("self_approval_forbidden"))
    );
    assert_eq!(
        rejected[5],
        ("al", "start", Some("self_approval_forbidden"))
    );
    assert_eq!(rejected[8], ("vic", "observe", Some("forbidden")));
}

/// A phase that cannot advance (too little traffic) keeps a bounded state: after 60 days of 5-minute
/// ticks the rollout holds only the windows of the latency streak, and its stored JSON is as small as on
/// day one; the clean stretch's totals still count every window.
#[test]
fn the_state_stays_bounded_while_a_phase_cannot_advance() {
    let plan = plan(Scope::AllRegions);
    let mut r = Rollout::new(
        "R-1",
        Some("carol".into()),
        plan,
        GatePolicy::default(),
        t(0),
    )
    .unwrap();
    r = apply(&r, &Command::Start { actor: carol() }, &Context::at(t(0)))
        .unwrap()
        .state;
    let mut size_day1 = 0;
    let ticks = 60 * 288;
    for i in 0..ticks {
        let w = Window::new(t(5 * i), t(5 * i + 5), 40, 0, Some(320.0)); // under the 100-request floor
        let obs = Command::Observe {
            actor: None,
            observation: Observation {
                window: Some(w),
                events: vec![t(5 * i + 5)],
            },
        };
        let out = apply(&r, &obs, &Context::at(t(5 * i + 5))).unwrap();
        r = out.state;
        if i == 288 {
            size_day1 = scaleplan::json::to_string(&r).unwrap().len();
        }
        assert!(
            r.windows.len() <= 3,
            "tick {i}: {} windows",
            r.windows.len()
        );
    }
    assert_eq!(r.phase, 1);
    assert_eq!(r.status, Status::Running);
    let totals = r.clean_totals.unwrap();
    assert_eq!(totals.requests, 40 * ticks as u64);
    let size = scaleplan::json::to_string(&r).unwrap().len();
    assert!(
        size <= size_day1 + 64,
        "{size} bytes after 60 days, {size_day1} after one"
    );
}
