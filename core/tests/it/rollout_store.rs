//! The live service over MemoryStore and SqliteStore: transactions with audit, idempotency keys, optimistic
//! versions, deployer reconciliation, rollback timing, waves, and a SIGKILL crash test.

use scaleplan::deploy::{Deployer, SimulatedDeployer};
use scaleplan::rollout::*;
use scaleplan::store::{MemoryStore, SqliteStore, Store};

fn t(min: i64) -> Timestamp {
    Timestamp::parse("2025-06-02T00:00:00Z")
        .unwrap()
        .plus(60 * min)
}

fn window(i: i64, errors: u64, p95: f64) -> Window {
    Window::new(t(5 * i), t(5 * i + 5), 2000, errors, Some(p95))
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

fn short_plan(scope: Scope, waves: WaveMode) -> RolloutPlan {
    RolloutPlan::custom(
        vec![
            PhaseSpec::new(Pct::from_hundredths(1000), 900),
            PhaseSpec::new(Pct::from_hundredths(5000), 900),
            PhaseSpec::new(Pct::FULL, 900),
        ],
        scope,
        waves,
    )
    .unwrap()
}

fn tick<S: Store>(
    svc: &Service<S, SimulatedDeployer>,
    id: &str,
    i: i64,
    errors: u64,
) -> CommandOutcome {
    svc.observe(
        id,
        &monitor(),
        Some(window(i, errors, 320.0)),
        vec![t(5 * i + 5)],
        t(5 * i + 5),
        None,
    )
    .unwrap()
}

pub(crate) fn full_flow<S: Store>(store: S) {
    let svc = Service::new(store, SimulatedDeployer::new(90));
    svc.create(
        "R-1",
        short_plan(Scope::AllRegions, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    // an operator may not start
    let err = svc
        .execute("R-1", Command::Start { actor: olga() }, t(0), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let out = svc
        .execute(
            "R-1",
            Command::Start { actor: carol() },
            t(0),
            Some(0),
            Some("k-start"),
        )
        .unwrap();
    assert_eq!(
        (out.phase, out.traffic_pct.hundredths(), out.version),
        (1, 1000, 1)
    );
    assert_eq!(
        svc.deployer().actual("R-1", "all").unwrap(),
        Some(Pct::from_hundredths(1000))
    );
    // the same key again: the first outcome, nothing applied
    let again = svc
        .execute(
            "R-1",
            Command::Start { actor: carol() },
            t(0),
            Some(0),
            Some("k-start"),
        )
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.version, 1);
    // a stale version is a conflict for resume (and start, approve, observe) and changes nothing
    let err = svc
        .execute(
            "R-1",
            Command::Resume { actor: olga() },
            t(1),
            Some(0),
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(svc.rollout("R-1").unwrap().status, Status::Running);
    // three clean windows and 15 minutes: advance to 50 %
    for i in 0..3 {
        tick(&svc, "R-1", i, 4);
    }
    let r = svc.rollout("R-1").unwrap();
    assert_eq!((r.phase, r.traffic().hundredths()), (2, 5000));
    assert_eq!(
        svc.deployer().actual("R-1", "all").unwrap(),
        Some(Pct::from_hundredths(5000))
    );
    // late evidence
    let err = svc
        .observe(
            "R-1",
            &monitor(),
            Some(window(1, 0, 300.0)),
            vec![],
            t(10),
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "late_evidence");
    // pause and resume
    svc.execute(
        "R-1",
        Command::Pause {
            actor: olga(),
            reason: Some("check".into()),
        },
        t(16),
        None,
        None,
    )
    .unwrap();
    let out = tick(&svc, "R-1", 3, 4);
    assert_eq!(out.decision.unwrap().reasons[0].code(), "paused_manual");
    svc.execute("R-1", Command::Resume { actor: olga() }, t(21), None, None)
        .unwrap();
    // an error spike at 5 %: rollback, confirmed by the deployer 90 s later
    let out = tick(&svc, "R-1", 4, 100);
    assert_eq!(
        out.decision.as_ref().unwrap().decision,
        DecisionKind::Rollback
    );
    assert_eq!(out.state, Status::RolledBack);
    let rb = out.rollback.unwrap();
    assert_eq!((rb.duration_secs, rb.sla_met), (Some(90), Some(true)));
    assert_eq!(
        svc.deployer().actual("R-1", "all").unwrap(),
        Some(Pct::ZERO)
    );
    // terminal states absorb
    let err = svc
        .execute("R-1", Command::Resume { actor: olga() }, t(30), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "illegal_transition");
    // the log: one audit event per command (accepted or rejected) and per transition, chained
    let audit = svc.store().audit("R-1").unwrap();
    let actions: Vec<(&str, Outcome)> = audit
        .iter()
        .map(|e| (e.record.action.as_str(), e.record.outcome))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("create", Outcome::Accepted),
            ("start", Outcome::Rejected),
            ("start", Outcome::Accepted),
            ("resume", Outcome::Rejected),
            ("advance", Outcome::Accepted),
            ("observe", Outcome::Rejected),
            ("pause", Outcome::Accepted),
            ("resume", Outcome::Accepted),
            ("rollback", Outcome::Accepted),
            ("confirm_rollback", Outcome::Accepted),
            ("resume", Outcome::Rejected),
        ]
    );
    assert!(svc.verify_audit("R-1").unwrap().intact);
    assert_eq!(svc.store().decisions("R-1").unwrap().len(), 5);
    assert_eq!(svc.store().windows("R-1").unwrap().len(), 5);
}

#[test]
fn service_flow_in_memory() {
    full_flow(MemoryStore::new());
}

#[test]
fn service_flow_in_sqlite() {
    full_flow(SqliteStore::in_memory().unwrap());
}

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scaleplan-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("rollouts.db")
}

#[test]
fn two_writers_on_one_file_get_a_conflict_not_a_lost_update() {
    let path = temp_db("writers");
    let a = Service::new(
        SqliteStore::open(&path).unwrap(),
        SimulatedDeployer::new(60),
    );
    let b = Service::new(
        SqliteStore::open(&path).unwrap(),
        SimulatedDeployer::new(60),
    );
    a.create(
        "R-1",
        short_plan(Scope::AllRegions, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    a.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    // both read version 1; a commits first
    let seen = b.rollout("R-1").unwrap().version;
    a.execute(
        "R-1",
        Command::Pause {
            actor: olga(),
            reason: None,
        },
        t(1),
        Some(seen),
        None,
    )
    .unwrap();
    let err = b
        .execute(
            "R-1",
            Command::Resume { actor: olga() },
            t(1),
            Some(seen),
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(b.rollout("R-1").unwrap().status, Status::PausedManual);
    // the refusal is audited
    let last = b.store().audit("R-1").unwrap().pop().unwrap();
    assert_eq!(
        (
            last.record.action.as_str(),
            last.record.outcome,
            last.record.error.as_deref()
        ),
        ("resume", Outcome::Rejected, Some("conflict"))
    );
    // a rollback is never refused for a stale version: re-read and applied against the latest state
    let out = b
        .execute(
            "R-1",
            Command::Rollback {
                actor: olga(),
                reason: None,
            },
            t(1),
            Some(seen),
            None,
        )
        .unwrap();
    assert_eq!(out.state, Status::RolledBack);
    assert_eq!(out.deployer, "simulated");
    // the store itself refuses a commit computed from a stale state (two processes racing past the check)
    let stale = scaleplan::store::Commit {
        rollout_id: "R-1".into(),
        expected_version: seen,
        state: Some(b.rollout("R-1").unwrap()),
        audit: vec![],
        decision: None,
        window: None,
        idempotency_key: None,
        outcome: String::new(),
        claim_targets: vec![],
        release_targets: false,
    };
    assert_eq!(b.store().commit(&stale).unwrap_err().code(), "conflict");
    assert!(a.verify_audit("R-1").unwrap().intact);
}

#[test]
fn sqlite_audit_log_is_append_only_and_tamper_evident() {
    let path = temp_db("tamper");
    let svc = Service::new(
        SqliteStore::open(&path).unwrap(),
        SimulatedDeployer::new(60),
    );
    svc.create(
        "R-1",
        short_plan(Scope::AllRegions, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    svc.execute(
        "R-1",
        Command::Pause {
            actor: olga(),
            reason: None,
        },
        t(1),
        None,
        None,
    )
    .unwrap();
    let conn = raw_sql(&path, "UPDATE audit SET event = 'x' WHERE seq = 1");
    assert!(conn.contains("append-only"), "{conn}");
    let conn = raw_sql(&path, "DELETE FROM audit WHERE seq = 2");
    assert!(conn.contains("append-only"), "{conn}");
    // editing a copy in memory is detected by verify
    let mut events = svc.store().audit("R-1").unwrap();
    assert!(verify(&events).intact);
    events[1].record.actor_id = "mallory".into();
    let check = verify(&events);
    assert_eq!((check.intact, check.broken_at), (false, Some(2)));
    events.remove(1);
    assert!(!verify(&events).intact);
}

/// Runs SQL on the file behind the store's back; returns the error text ("ok" if it went through).
fn raw_sql(path: &std::path::Path, sql: &str) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    match conn.execute(sql, []) {
        Ok(_) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_crash_between_commit_and_deploy_heals_on_the_next_call() {
    let svc = Service::new(MemoryStore::new(), SimulatedDeployer::new(60));
    svc.create(
        "R-1",
        short_plan(Scope::AllRegions, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    tick(&svc, "R-1", 0, 4);
    tick(&svc, "R-1", 1, 4);
    svc.deployer().fail_next();
    let err = svc
        .observe(
            "R-1",
            &monitor(),
            Some(window(2, 4, 320.0)),
            vec![t(15)],
            t(15),
            Some("tick-2"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "deploy");
    // committed: phase 2 is the desired state, the platform still runs 10 %
    assert_eq!(svc.rollout("R-1").unwrap().phase, 2);
    assert_eq!(
        svc.deployer().actual("R-1", "all").unwrap(),
        Some(Pct::from_hundredths(1000))
    );
    // the retry with the same key applies nothing but heals the platform
    let out = svc
        .observe(
            "R-1",
            &monitor(),
            Some(window(2, 4, 320.0)),
            vec![t(15)],
            t(15),
            Some("tick-2"),
        )
        .unwrap();
    assert!(out.replayed);
    assert_eq!(
        svc.deployer().actual("R-1", "all").unwrap(),
        Some(Pct::from_hundredths(5000))
    );
}

#[test]
fn sequential_waves_and_progress() {
    let svc = Service::new(MemoryStore::new(), SimulatedDeployer::new(60));
    let scope = Scope::Regions {
        regions: vec!["eu-west".into(), "us-east".into(), "ap-south".into()],
    };
    svc.create(
        "R-1",
        short_plan(scope, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    let p = svc.progress("R-1", t(0)).unwrap();
    assert_eq!(p.remaining_min_secs, Some(3 * 2700));
    svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    let mut i = 0;
    while svc.rollout("R-1").unwrap().status != Status::Completed {
        tick(&svc, "R-1", i, 4);
        i += 1;
        if i == 9 {
            let p = svc.progress("R-1", t(45)).unwrap();
            assert_eq!(p.wave, 1);
            assert_eq!(p.targets[0].status, TargetStatus::Complete);
            assert_eq!(p.targets[1].status, TargetStatus::InProgress);
            assert_eq!(p.targets[1].traffic_pct.hundredths(), 1000);
            assert_eq!(p.targets[2].status, TargetStatus::Pending);
            assert_eq!(p.overall_pct, 36.67);
            assert_eq!(p.remaining_min_secs, Some(900 + 900 + 900 + 2700));
            assert_eq!(p.health.as_ref().unwrap().requests, 2000);
        }
        assert!(i < 100);
    }
    assert_eq!(i, 27);
    for r in ["eu-west", "us-east", "ap-south"] {
        assert_eq!(svc.deployer().actual("R-1", r).unwrap(), Some(Pct::FULL));
    }
    let p = svc.progress("R-1", t(200)).unwrap();
    assert_eq!((p.overall_pct, p.eta), (100.0, None));
}

#[test]
fn large_plans_need_an_approval_from_someone_else_to_start() {
    let svc = Service::new(MemoryStore::new(), SimulatedDeployer::new(60))
        .with_approval_thresholds(ApprovalThresholds {
            max_users: Some(10_000),
            max_monthly_cost: None,
        });
    let mut plan = short_plan(Scope::AllRegions, WaveMode::Sequential);
    plan.target_users = Some(50_000);
    svc.create("R-1", plan, GatePolicy::default(), &carol(), t(0))
        .unwrap();
    let err = svc
        .execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "approval_required");
    let approve = |who: Actor| Command::Approve {
        actor: who,
        rollout_id: "R-1".into(),
        plan_revision: 1,
        target_phase: 1,
    };
    let err = svc
        .execute(
            "R-1",
            approve(Actor::new("carol", Role::Admin)),
            t(1),
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "self_approval_forbidden");
    svc.execute(
        "R-1",
        approve(Actor::new("alice", Role::Approver)),
        t(1),
        None,
        None,
    )
    .unwrap();
    let out = svc
        .execute("R-1", Command::Start { actor: carol() }, t(2), None, None)
        .unwrap();
    assert_eq!(out.state, Status::Running);
    // rollback is allowed to operators at any time, also before the start
    let svc2 = Service::new(MemoryStore::new(), SimulatedDeployer::new(400));
    svc2.create(
        "R-2",
        short_plan(Scope::AllRegions, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    svc2.execute("R-2", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    let out = svc2
        .execute(
            "R-2",
            Command::Rollback {
                actor: olga(),
                reason: None,
            },
            t(3),
            None,
            None,
        )
        .unwrap();
    let rb = out.rollback.unwrap();
    assert_eq!((rb.duration_secs, rb.sla_met), (Some(400), Some(false)));
}

const CRASH_DB: &str = "SCALEPLAN_CRASH_DB";

#[test]
#[ignore = "child process of sqlite_loses_nothing_when_killed"]
fn crash_child() {
    use std::io::Write;
    let Ok(path) = std::env::var(CRASH_DB) else {
        return;
    };
    let svc = Service::new(
        SqliteStore::open(&path).unwrap(),
        SimulatedDeployer::new(60),
    );
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let o = if i % 7 == 3 {
            svc.execute(
                "R-1",
                Command::Pause {
                    actor: olga(),
                    reason: None,
                },
                t(5 * i + 1),
                None,
                None,
            )
            .unwrap();
            svc.execute(
                "R-1",
                Command::Resume { actor: olga() },
                t(5 * i + 2),
                None,
                None,
            )
            .unwrap();
            tick(&svc, "R-1", i, 4)
        } else {
            tick(&svc, "R-1", i, 4)
        };
        writeln!(out, "committed {}", o.version).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn sqlite_loses_nothing_when_killed() {
    use std::io::BufRead;
    let path = temp_db("crash");
    let plan = RolloutPlan::custom(
        vec![
            PhaseSpec::new(Pct::from_hundredths(1000), 900),
            PhaseSpec::new(Pct::FULL, 10_000_000),
        ],
        Scope::AllRegions,
        WaveMode::Sequential,
    )
    .unwrap();
    {
        let svc = Service::new(
            SqliteStore::open(&path).unwrap(),
            SimulatedDeployer::new(60),
        );
        svc.create("R-1", plan, GatePolicy::default(), &carol(), t(0))
            .unwrap();
        svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
            .unwrap();
    }
    for round in 0..2u64 {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "rollout_store::crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CRASH_DB, &path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut last = 0u64;
        let mut lines = 0;
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(v) = line.strip_prefix("committed ") {
                last = v.parse().unwrap();
                lines += 1;
                if lines == 40 + 13 * round {
                    child.kill().unwrap(); // SIGKILL, mid-stream
                    break;
                }
            }
        }
        child.wait().unwrap();
        // reopen: nothing committed is lost, nothing is half applied
        let store = SqliteStore::open(&path).unwrap();
        let r = store.load_rollout("R-1").unwrap().unwrap();
        assert!(
            r.version >= last,
            "round {round}: state version {} < last committed {last}",
            r.version
        );
        let audit = store.audit("R-1").unwrap();
        assert!(verify(&audit).intact);
        let decisions = store.decisions("R-1").unwrap();
        let accepted_commands = audit
            .iter()
            .filter(|e| {
                e.record.kind == AuditKind::Command
                    && e.record.outcome == Outcome::Accepted
                    && e.record.action != "create"
            })
            .count();
        // every version step is a tick (one decision) or an accepted command (one audit event)
        assert_eq!(
            r.version as usize,
            decisions.len() + accepted_commands,
            "round {round}"
        );
        assert!(decisions.last().is_some_and(|d| d.version <= r.version));
        assert_eq!(decisions.last().map(|d| d.at), r.last_tick);
        assert_eq!(store.windows("R-1").unwrap().len(), decisions.len());
        // and the next tick continues where it stopped
        let svc = Service::new(store, SimulatedDeployer::new(60));
        let next = (r.last_tick.unwrap().since(t(0))) / 300;
        let out = tick(&svc, "R-1", next, 4);
        assert_eq!(out.version, r.version + 1);
    }
}

#[test]
fn bad_plans_windows_and_files_give_typed_errors() {
    let err = RolloutPlan::custom(
        vec![
            PhaseSpec::new(Pct::from_hundredths(5000), 0),
            PhaseSpec::new(Pct::from_hundredths(2500), 0),
        ],
        Scope::AllRegions,
        WaveMode::Sequential,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_plan");
    assert!(err.to_string().contains("`phases[1].traffic_pct`"), "{err}");
    let err =
        RolloutPlan::gradual(Scope::Regions { regions: vec![] }, WaveMode::Parallel).unwrap_err();
    assert_eq!(err.code(), "invalid_plan");
    let err = RolloutPlan::gradual(
        Scope::Teams {
            teams: vec!["a".into(), "a".into()],
        },
        WaveMode::Parallel,
    )
    .unwrap_err();
    assert!(err.to_string().contains("`a` twice"), "{err}");
    let err = GatePolicy {
        error_rollback: Pct::from_hundredths(50),
        ..GatePolicy::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.code(), "out_of_range");

    let svc = Service::new(MemoryStore::new(), SimulatedDeployer::new(60));
    svc.create(
        "R-1",
        short_plan(Scope::AllRegions, WaveMode::Sequential),
        GatePolicy::default(),
        &carol(),
        t(0),
    )
    .unwrap();
    svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap();
    let mut w = window(0, 4, 320.0);
    w.errors = 3000;
    let err = svc
        .observe("R-1", &monitor(), Some(w), vec![], t(5), None)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_window");
    let mut w = window(0, 4, 320.0);
    w.start = t(1);
    let err = svc
        .observe("R-1", &monitor(), Some(w), vec![], t(5), None)
        .unwrap_err();
    assert_eq!(
        (err.code(), err.kind()),
        ("invalid_window", scaleplan::ErrorKind::InvalidInput)
    );
    let err = svc
        .execute("R-9", Command::Start { actor: carol() }, t(0), None, None)
        .unwrap_err();
    assert_eq!(
        (err.code(), err.kind()),
        ("unknown_rollout", scaleplan::ErrorKind::NotFound)
    );
    let dup = svc
        .create(
            "R-1",
            short_plan(Scope::AllRegions, WaveMode::Sequential),
            GatePolicy::default(),
            &carol(),
            t(0),
        )
        .unwrap_err();
    assert_eq!(dup.code(), "duplicate_name");

    let dir = std::env::temp_dir();
    let err = SqliteStore::open(&dir).map(|_| ()).unwrap_err();
    assert_eq!(
        (err.code(), err.kind()),
        ("storage", scaleplan::ErrorKind::Storage)
    );
}

/// With a host key the log is HMAC-chained and the row sealed: a file-level attacker who drops the
/// triggers still cannot re-chain, forge, cut, splice or edit the state without `verify` saying so.
#[test]
fn a_keyed_log_catches_what_an_unkeyed_chain_cannot() {
    use scaleplan::store::SqliteStore;
    let key = AuditKey::new(b"0123456789abcdef-host-secret".to_vec()).unwrap();
    let scenario = |name: &str, tamper: &dyn Fn(&rusqlite_free::Db)| -> ChainCheck {
        let path = temp_db(&format!("keyed-{name}"));
        let svc = Service::new(
            SqliteStore::open(&path)
                .unwrap()
                .with_audit_key(Some(key.clone())),
            SimulatedDeployer::new(60),
        );
        for id in ["R-1", "R-2"] {
            let scope = Scope::Regions {
                regions: vec![format!("{id}-eu")],
            };
            svc.create(
                id,
                short_plan(scope, WaveMode::Sequential),
                GatePolicy::default(),
                &carol(),
                t(0),
            )
            .unwrap();
            svc.execute(id, Command::Start { actor: carol() }, t(0), None, None)
                .unwrap();
            // a tick's decision and two idempotency answers, which the seal covers too
            svc.observe(
                id,
                &monitor(),
                Some(window(0, 0, 300.0)),
                vec![],
                t(5),
                Some(&format!("obs-{id}")),
            )
            .unwrap();
            svc.execute(
                id,
                Command::Pause {
                    actor: olga(),
                    reason: None,
                },
                t(6),
                None,
                Some(&format!("pause-{id}")),
            )
            .unwrap();
        }
        assert!(
            svc.verify_audit("R-1").unwrap().intact,
            "{name}: before tampering"
        );
        tamper(&rusqlite_free::Db(path.clone()));
        let check = svc.verify_audit("R-1").unwrap();
        let _ = std::fs::remove_file(&path);
        check
    };
    // an untouched keyed log verifies
    assert!(scenario("none", &|_| {}).intact);
    // the whole log re-chained with plain SHA-256 after an edit
    let c = scenario("rechain", &|db| {
        let mut events = db.events("R-1");
        events[1].record.actor_id = "mallory".into();
        let mut prev: Option<AuditEvent> = None;
        let rechained: Vec<AuditEvent> = events
            .into_iter()
            .map(|e| {
                let n = AuditEvent::chain_for(
                    "R-1",
                    prev.as_ref().map(|p| (p.seq, p.hash.as_str())),
                    e.record,
                    None,
                );
                prev = Some(n.clone());
                n
            })
            .collect();
        db.replace_log("R-1", &rechained);
    });
    assert!(!c.intact);
    assert_eq!(c.broken_at, Some(1));
    // a forged append (chained without the key)
    let c = scenario("append", &|db| {
        let mut events = db.events("R-1");
        let last = events.last().unwrap().clone();
        let mut rec = last.record.clone();
        rec.action = "approve".into();
        events.push(AuditEvent::chain_for(
            "R-1",
            Some((last.seq, last.hash.as_str())),
            rec,
            None,
        ));
        db.replace_log("R-1", &events);
    });
    assert_eq!((c.intact, c.broken_at), (false, Some(4)));
    // a cut tail
    let c = scenario("cut", &|db| {
        let mut events = db.events("R-1");
        events.pop();
        db.replace_log("R-1", &events);
    });
    assert!(!c.intact);
    assert!(c.problem.unwrap().contains("the seal records"));
    // another rollout's log copied in
    let c = scenario("splice", &|db| {
        let other = db.events("R-2");
        db.replace_log("R-1", &other);
    });
    assert!(!c.intact);
    assert!(c.problem.unwrap().contains("rollout `R-2`"));
    // the state edited (back to running, say)
    let c = scenario("state", &|db| {
        db.edit_state("R-1", "paused_manual", "running")
    });
    assert!(!c.intact);
    assert!(c.problem.unwrap().contains("does not match its MAC"));
    // a decision edited, an answer edited, an answer removed, another rollout's answer copied in
    let rows = "decisions and idempotency answers";
    for (name, sql) in [
        (
            "decision",
            "UPDATE decisions SET decision = replace(decision, '\"hold\"', '\"advance\"') \
             WHERE rollout_id = 'R-1'",
        ),
        (
            "answer",
            "UPDATE idempotency SET outcome = outcome || ' ' WHERE rollout_id = 'R-1' AND key = 'pause-R-1'",
        ),
        (
            "answer-removed",
            "DELETE FROM idempotency WHERE rollout_id = 'R-1' AND key = 'obs-R-1'",
        ),
        (
            "answer-copied",
            "INSERT INTO idempotency (rollout_id, key, outcome) \
             SELECT 'R-1', key, outcome FROM idempotency WHERE rollout_id = 'R-2' AND key = 'obs-R-2'",
        ),
    ] {
        let c = scenario(name, &|db| db.run(sql));
        assert!(!c.intact, "{name}");
        assert!(c.problem.unwrap().contains(rows), "{name}");
    }
}

/// Raw file access, as an attacker would have it (the store's own API refuses all of this).
mod rusqlite_free {
    use scaleplan::rollout::AuditEvent;
    pub struct Db(pub std::path::PathBuf);
    impl Db {
        fn conn(&self) -> rusqlite::Connection {
            let c = rusqlite::Connection::open(&self.0).unwrap();
            c.execute_batch(
                "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;",
            )
            .unwrap();
            c
        }
        pub fn events(&self, id: &str) -> Vec<AuditEvent> {
            let c = self.conn();
            let mut st = c
                .prepare("SELECT event FROM audit WHERE rollout_id = ?1 ORDER BY seq")
                .unwrap();
            st.query_map([id], |r| r.get::<_, String>(0))
                .unwrap()
                .map(|s| serde_json::from_str(&s.unwrap()).unwrap())
                .collect()
        }
        pub fn replace_log(&self, id: &str, events: &[AuditEvent]) {
            let c = self.conn();
            c.execute("DELETE FROM audit WHERE rollout_id = ?1", [id])
                .unwrap();
            for e in events {
                c.execute(
                    "INSERT INTO audit (rollout_id, seq, event, hash) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![id, e.seq as i64, serde_json::to_string(e).unwrap(), e.hash],
                )
                .unwrap();
            }
        }
        pub fn run(&self, sql: &str) {
            assert_eq!(self.conn().execute(sql, []).unwrap(), 1, "{sql}");
        }
        pub fn edit_state(&self, id: &str, from: &str, to: &str) {
            let c = self.conn();
            let s: String = c
                .query_row("SELECT state FROM rollouts WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            let edited = s.replace(&format!("\"{from}\""), &format!("\"{to}\""));
            assert_ne!(s, edited);
            c.execute(
                "UPDATE rollouts SET state = ?2 WHERE id = ?1",
                [id, &edited],
            )
            .unwrap();
        }
    }
}
