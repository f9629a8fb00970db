//! One store contract, run against MemoryStore, SqliteStore and (feature `postgres`, with
//! SCALEPLAN_TEST_PG_URL pointing at a server `.ci/run` starts) PostgresStore: versions, idempotency
//! keys answered before the version check, audit-only commits, target ownership, upserts, the chained
//! audit log. PostgreSQL also gets the service flow, 8 writer processes on one rollout, a server restart
//! mid-stream and a migration race.

use scaleplan::rollout::*;
use scaleplan::store::{Commit, Committed, DocumentKind, MemoryStore, SqliteStore, Store};

fn t(min: i64) -> Timestamp {
    Timestamp::parse("2025-06-02T00:00:00Z")
        .unwrap()
        .plus(60 * min)
}

fn record(action: &str, at: Timestamp) -> AuditRecord {
    let side = PhaseState {
        phase: 0,
        state: Status::Ready,
    };
    AuditRecord {
        at,
        actor_id: "carol".into(),
        kind: AuditKind::Command,
        action: action.into(),
        outcome: Outcome::Accepted,
        error: None,
        before: side,
        after: side,
        reason: None,
    }
}

fn rollout(id: &str) -> Rollout {
    let plan = RolloutPlan::gradual(Scope::AllRegions, WaveMode::Sequential).unwrap();
    Rollout::new(id, Some("carol".into()), plan, GatePolicy::default(), t(0)).unwrap()
}

fn next(r: &Rollout) -> Rollout {
    let mut s = r.clone();
    s.version += 1;
    s
}

/// The contract every store keeps.
fn contract(store: &dyn Store) {
    let r = rollout("R-1");
    store.create_rollout(&r, &[record("create", t(0))]).unwrap();
    assert_eq!(
        store
            .create_rollout(&r, &[record("create", t(0))])
            .unwrap_err()
            .code(),
        "duplicate_name"
    );
    assert_eq!(store.load_rollout("R-1").unwrap().unwrap(), r);
    assert_eq!(store.load_rollout("nope").unwrap(), None);
    // a state change with a key
    let s1 = next(&r);
    let c = Commit {
        state: Some(s1.clone()),
        expected_version: 0,
        idempotency_key: Some("k1".into()),
        outcome: "first".into(),
        claim_targets: vec!["eu".into()],
        ..Commit::audit_only("R-1", vec![record("start", t(1))])
    };
    assert_eq!(store.commit(&c).unwrap(), Committed::Applied);
    // the same key again, even with a stale version: the first outcome, never `conflict`
    assert_eq!(
        store.commit(&c).unwrap(),
        Committed::Duplicate {
            outcome: "first".into()
        }
    );
    assert_eq!(
        store.idempotent_outcome("R-1", "k1").unwrap().as_deref(),
        Some("first")
    );
    // a stale version without a key: conflict, nothing written
    let stale = Commit {
        state: Some(next(&r)),
        expected_version: 0,
        ..Commit::audit_only("R-1", vec![record("pause", t(2))])
    };
    assert_eq!(store.commit(&stale).unwrap_err().code(), "conflict");
    assert_eq!(store.audit("R-1").unwrap().len(), 2);
    // an audit-only commit (a refusal) is appended whatever the version
    store
        .commit(&Commit::audit_only("R-1", vec![record("resume", t(2))]))
        .unwrap();
    assert_eq!(store.audit("R-1").unwrap().len(), 3);
    assert_eq!(store.load_rollout("R-1").unwrap().unwrap().version, 1);
    // targets: one active holder
    let r2 = rollout("R-2");
    store.create_rollout(&r2, &[]).unwrap();
    let claim = Commit {
        state: Some(next(&r2)),
        expected_version: 0,
        claim_targets: vec!["eu".into()],
        ..Commit::audit_only("R-2", vec![record("start", t(3))])
    };
    let e = store.commit(&claim).unwrap_err();
    assert_eq!(e.code(), "target_held");
    assert!(e.to_string().contains("`R-1`"), "{e}");
    assert_eq!(store.load_rollout("R-2").unwrap().unwrap().version, 0);
    assert!(store.audit("R-2").unwrap().is_empty());
    assert_eq!(store.target_holder("eu").unwrap().as_deref(), Some("R-1"));
    let release = Commit {
        state: Some(next(&s1)),
        expected_version: 1,
        release_targets: true,
        ..Commit::audit_only("R-1", vec![record("abort", t(4))])
    };
    store.commit(&release).unwrap();
    assert_eq!(store.target_holder("eu").unwrap(), None);
    store.commit(&claim).unwrap();
    assert_eq!(store.target_holder("eu").unwrap().as_deref(), Some("R-2"));
    // decisions and windows
    let w = Window::new(t(0), t(5), 2000, 4, Some(320.0));
    let d = Decision {
        at: t(5),
        decision: DecisionKind::Hold,
        phase: 1,
        traffic_pct: Pct::from_hundredths(1000),
        state: Status::Running,
        version: 3,
        reasons: vec![],
    };
    let tick = Commit {
        state: Some(next(&next(&s1))),
        expected_version: 2,
        decision: Some(d.clone()),
        window: Some(w.clone()),
        ..Commit::audit_only("R-1", vec![])
    };
    store.commit(&tick).unwrap();
    assert_eq!(store.decisions("R-1").unwrap(), vec![d.clone()]);
    assert_eq!(store.windows("R-1").unwrap(), vec![w.clone()]);
    // more ticks: the latest window and pages of the decision log, newest first
    let mut state = next(&next(&s1));
    let mut all = vec![d];
    for k in 1..=4 {
        let mut dk = all[0].clone();
        dk.version = state.version + 1;
        dk.at = t(5 + 5 * k);
        let wk = Window::new(t(5 * k), t(5 * k + 5), 2000 + k as u64, 4, Some(320.0));
        let c = Commit {
            state: Some(next(&state)),
            expected_version: state.version,
            decision: Some(dk.clone()),
            window: Some(wk),
            ..Commit::audit_only("R-1", vec![])
        };
        store.commit(&c).unwrap();
        state = next(&state);
        all.push(dk);
    }
    assert_eq!(store.latest_window("R-1").unwrap().unwrap().requests, 2004);
    assert_eq!(store.latest_window("R-2").unwrap(), None);
    let page = store.decisions_page("R-1", 2, None).unwrap();
    assert_eq!(
        page.iter().map(|d| d.version).collect::<Vec<_>>(),
        vec![7, 6]
    );
    let page = store.decisions_page("R-1", 2, Some(6)).unwrap();
    assert_eq!(
        page.iter().map(|d| d.version).collect::<Vec<_>>(),
        vec![5, 4]
    );
    let page = store.decisions_page("R-1", 10, Some(4)).unwrap();
    assert_eq!(page.iter().map(|d| d.version).collect::<Vec<_>>(), vec![3]);
    // incidents and documents are upserts
    let mut i = Incident {
        id: "INC-1".into(),
        severity: "P1".into(),
        opened_at: t(1),
        resolved_at: None,
    };
    store.put_incident("R-1", &i).unwrap();
    i.resolved_at = Some(t(2));
    store.put_incident("R-1", &i).unwrap();
    assert_eq!(store.incidents("R-1").unwrap(), vec![i]);
    store
        .put_document(DocumentKind::Plan, "R-1", "{\"a\":1}")
        .unwrap();
    store
        .put_document(DocumentKind::Plan, "R-1", "{\"a\":2}")
        .unwrap();
    assert_eq!(
        store
            .document(DocumentKind::Plan, "R-1")
            .unwrap()
            .as_deref(),
        Some("{\"a\":2}")
    );
    assert_eq!(store.rollout_ids().unwrap(), vec!["R-1", "R-2"]);
    // the log is chained and intact
    let log = store.audit("R-1").unwrap();
    assert_eq!(
        log.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    let check = store.verify_log("R-1").unwrap();
    assert!(check.intact, "{check:?}");
    assert_eq!(check.events, 4);
}

fn key() -> AuditKey {
    AuditKey::new(b"contract-test-secret-0123".to_vec()).unwrap()
}

#[test]
fn memory_store_keeps_the_contract() {
    contract(&MemoryStore::new());
    contract(&MemoryStore::new().with_audit_key(Some(key())));
}

#[test]
fn sqlite_store_keeps_the_contract() {
    contract(&SqliteStore::in_memory().unwrap());
    contract(
        &SqliteStore::in_memory()
            .unwrap()
            .with_audit_key(Some(key())),
    );
}

#[cfg(feature = "postgres")]
pub(crate) mod pg {
    use super::*;
    use scaleplan::deploy::SimulatedDeployer;
    use scaleplan::store::PostgresStore;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The server's URL, or None (skip) outside CI; CI sets SCALEPLAN_REQUIRE_PG so that a missing
    /// server fails instead of skipping.
    fn server() -> Option<String> {
        match std::env::var("SCALEPLAN_TEST_PG_URL") {
            Ok(u) => Some(u),
            Err(_) if std::env::var_os("SCALEPLAN_REQUIRE_PG").is_some() => {
                panic!("SCALEPLAN_REQUIRE_PG is set but SCALEPLAN_TEST_PG_URL is not")
            }
            Err(_) => {
                eprintln!("skipped: no SCALEPLAN_TEST_PG_URL (bash scripts/pg-start)");
                None
            }
        }
    }

    static DBS: AtomicUsize = AtomicUsize::new(0);

    /// The restart test takes this for writing; every other PostgreSQL test for reading.
    static SERVER: std::sync::RwLock<()> = std::sync::RwLock::new(());

    fn shared() -> std::sync::RwLockReadGuard<'static, ()> {
        SERVER.read().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh database on the test server: its URL.
    pub(crate) fn fresh_db(tag: &str) -> Option<String> {
        let url = server()?;
        let name = format!(
            "sp_{tag}_{}_{}",
            std::process::id(),
            DBS.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b.to_string(), format!("?{q}")),
            None => (url.clone(), String::new()),
        };
        let base = base
            .rsplit_once('/')
            .map_or(base.clone(), |(b, _)| b.to_string());
        Some(format!("{base}/{name}{query}"))
    }

    #[test]
    fn postgres_store_keeps_the_contract() {
        let _server = shared();
        let Some(url) = fresh_db("contract") else {
            return;
        };
        contract(&PostgresStore::connect(&url).unwrap());
        // the audit table refuses UPDATE, DELETE and TRUNCATE
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        for sql in [
            "UPDATE audit SET event = 'x'",
            "DELETE FROM audit",
            "TRUNCATE audit",
        ] {
            let e = c.batch_execute(sql).unwrap_err();
            assert!(
                e.to_string().contains("append-only") || format!("{e:?}").contains("append-only"),
                "{sql}: {e:?}"
            );
        }
    }

    /// A keyed PostgreSQL store: the contract holds, and an edited decision or stored answer (by someone
    /// with table access but not the key) fails `verify_log`.
    #[test]
    fn a_keyed_postgres_store_seals_decisions_and_answers() {
        let _server = shared();
        for (name, sql) in [
            (
                "keyed_decision",
                "UPDATE decisions SET decision = replace(decision, '\"hold\"', '\"advance\"') \
                 WHERE rollout_id = 'R-1' AND decision LIKE '%\"hold\"%'",
            ),
            (
                "keyed_answer",
                "UPDATE idempotency SET outcome = 'applied' WHERE rollout_id = 'R-1' AND key = 'k1'",
            ),
        ] {
            let Some(url) = fresh_db(name) else { return };
            let store = PostgresStore::connect(&url)
                .unwrap()
                .with_audit_key(Some(key()));
            contract(&store);
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            assert!(c.execute(sql, &[]).unwrap() >= 1, "{sql}");
            let check = store.verify_log("R-1").unwrap();
            assert!(!check.intact, "{name}");
            assert!(
                check
                    .problem
                    .unwrap()
                    .contains("decisions and idempotency answers"),
                "{name}"
            );
        }
    }

    /// Over TLS, the server's certificate verified against a private CA (`sslrootcert`): the contract
    /// holds and the session is encrypted (`pg_stat_ssl`); without the CA the connection is refused
    /// (the Mozilla roots do not know it), and a bad CA file is a typed `storage` error naming it.
    #[test]
    fn postgres_over_tls_with_a_private_ca() {
        let _server = shared();
        let Some(plain) = fresh_db("tls") else { return };
        let Ok(tls) = std::env::var("SCALEPLAN_TEST_PG_TLS_URL") else {
            assert!(
                std::env::var_os("SCALEPLAN_REQUIRE_PG").is_none(),
                "SCALEPLAN_REQUIRE_PG is set but SCALEPLAN_TEST_PG_TLS_URL is not"
            );
            return;
        };
        // the fresh database, reached over TLS
        let db = plain.split('?').next().unwrap().rsplit('/').next().unwrap();
        let (base, query) = tls.split_once('?').unwrap();
        let base = base.rsplit_once('/').unwrap().0;
        let url = format!("{base}/{db}?{query}");
        let store = PostgresStore::connect(&url).unwrap();
        contract(&store);
        let ca = query
            .split('&')
            .find_map(|p| p.strip_prefix("sslrootcert="))
            .unwrap();
        // the same server, asked what this session is: rustls over TLS 1.3 or 1.2
        let client_tls = {
            use rustls::pki_types::{CertificateDer, pem::PemObject};
            let mut roots = rustls::RootCertStore::empty();
            for c in CertificateDer::pem_file_iter(ca).unwrap() {
                roots.add(c.unwrap()).unwrap();
            }
            let cfg = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
            tokio_postgres_rustls::MakeRustlsConnect::new(cfg)
        };
        let raw = format!("{base}/{db}?sslmode=require");
        let mut c = postgres::Client::connect(&raw, client_tls).unwrap();
        let ssl: bool = c
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0);
        assert!(ssl);
        // the store's own sessions are encrypted too
        let encrypted: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid \
                 WHERE a.datname = $1 AND s.ssl AND s.pid <> pg_backend_pid()",
                &[&db],
            )
            .unwrap()
            .get(0);
        assert!(encrypted >= 1, "{encrypted}");
        // without the private CA: refused, not silently downgraded
        let err = PostgresStore::connect(&raw).map(|_| ()).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(
            format!("{err}").to_lowercase().contains("certificate"),
            "{err}"
        );
        // a CA file that is not there
        let missing = format!("{base}/{db}?sslmode=require&sslrootcert=/nonexistent/ca.pem");
        let err = PostgresStore::connect(&missing).map(|_| ()).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(format!("{err}").contains("/nonexistent/ca.pem"), "{err}");
    }

    #[test]
    fn postgres_service_flow() {
        let _server = shared();
        let Some(url) = fresh_db("flow") else { return };
        crate::rollout_store::full_flow(PostgresStore::connect(&url).unwrap());
    }

    #[test]
    fn two_instances_migrating_at_once_migrate_once() {
        let _server = shared();
        let Some(url) = fresh_db("migrate") else {
            return;
        };
        let stores: Vec<_> = std::thread::scope(|s| {
            let h: Vec<_> = (0..4)
                .map(|_| s.spawn(|| PostgresStore::connect(&url)))
                .collect();
            h.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(
            stores.iter().all(|s| s.is_ok()),
            "{:?}",
            stores
                .iter()
                .filter_map(|s| s.as_ref().err())
                .collect::<Vec<_>>()
        );
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let rows = c
            .query("SELECT version FROM scaleplan_schema", &[])
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get::<_, i32>(0), 2);
    }

    fn carol() -> Actor {
        Actor::new("carol", Role::OperationsManager)
    }

    fn window(i: i64) -> Window {
        Window::new(t(5 * i), t(5 * i + 5), 2000, 4, Some(320.0))
    }

    const CHILD_URL: &str = "SCALEPLAN_PG_CHILD_URL";
    const CHILD_ID: &str = "SCALEPLAN_PG_CHILD_ID";

    /// One writer process: 12 commands on R-1 (ticks, pauses, and the keyed rollback for writers 0-2);
    /// prints one line per command: `<name> ok <replayed>` or `<name> err <code>`.
    #[test]
    #[ignore = "child process of eight_writer_processes_on_postgres"]
    fn pg_writer_child() {
        let (Ok(url), Ok(w)) = (std::env::var(CHILD_URL), std::env::var(CHILD_ID)) else {
            return;
        };
        let w: i64 = w.parse().unwrap();
        let svc = Service::new(
            PostgresStore::connect(&url).unwrap(),
            SimulatedDeployer::new(600),
        );
        let monitor = Actor::new("prometheus-bridge", Role::Monitor);
        for k in 0..12i64 {
            let (name, r) = match (w, k) {
                (0..=2, 6) => (
                    "rollback",
                    svc.execute(
                        "R-1",
                        Command::Rollback {
                            actor: Actor::new("olga", Role::Operator),
                            reason: None,
                        },
                        t(300),
                        None,
                        Some("incident-42"),
                    ),
                ),
                (3 | 4, _) if k % 3 == 1 => (
                    "pause",
                    svc.execute(
                        "R-1",
                        Command::Pause {
                            actor: Actor::new("olga", Role::Operator),
                            reason: None,
                        },
                        t(300),
                        Some(1),
                        None,
                    ),
                ),
                _ => {
                    let i = 8 * k + w;
                    (
                        "observe",
                        svc.observe(
                            "R-1",
                            &monitor,
                            Some(window(i)),
                            vec![t(5 * i + 5)],
                            t(5 * i + 5),
                            None,
                        ),
                    )
                }
            };
            match r {
                Ok(o) => println!("RESULT {name} ok {}", o.replayed),
                Err(e) => println!("RESULT {name} err {}", e.code()),
            }
        }
    }

    #[test]
    fn eight_writer_processes_on_postgres() {
        let _server = shared();
        let Some(url) = fresh_db("writers") else {
            return;
        };
        let setup = Service::new(
            PostgresStore::connect(&url).unwrap(),
            SimulatedDeployer::new(600),
        );
        let plan = RolloutPlan::custom(
            vec![
                PhaseSpec::new(Pct::from_hundredths(1000), 86_400),
                PhaseSpec::new(Pct::FULL, 86_400),
            ],
            Scope::AllRegions,
            WaveMode::Sequential,
        )
        .unwrap();
        setup
            .create("R-1", plan, GatePolicy::default(), &carol(), t(0))
            .unwrap();
        setup
            .execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
            .unwrap();
        // two "hosts" of four processes each; every process has its own connections
        let children: Vec<_> = (0..8)
            .map(|w| {
                std::process::Command::new(std::env::current_exe().unwrap())
                    .args([
                        "--ignored",
                        "--exact",
                        "store_contract::pg::pg_writer_child",
                        "--nocapture",
                        "--test-threads=1",
                    ])
                    .env(CHILD_URL, &url)
                    .env(CHILD_ID, w.to_string())
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut lines = Vec::new();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            // libtest prints "test <name> ... " before the first line: look for the marker anywhere
            lines.extend(
                text.lines()
                    .filter_map(|l| l.split_once("RESULT ").map(|(_, r)| r.to_string())),
            );
        }
        assert_eq!(lines.len(), 96);
        for l in &lines {
            assert!(!l.ends_with(" conflict") && !l.ends_with(" storage"), "{l}");
            if l.starts_with("rollback") {
                assert!(l.contains(" ok "), "{l}");
            }
        }
        let rollbacks: Vec<&String> = lines.iter().filter(|l| l.starts_with("rollback")).collect();
        assert_eq!(rollbacks.len(), 3);
        assert_eq!(rollbacks.iter().filter(|l| l.ends_with("false")).count(), 1);
        let audit = setup.store().audit("R-1").unwrap();
        let applied = audit
            .iter()
            .filter(|e| e.record.action == "rollback" && e.record.outcome == Outcome::Accepted)
            .count();
        assert_eq!(applied, 1);
        let refused = lines.iter().filter(|l| l.contains(" err ")).count();
        let rejected = audit
            .iter()
            .filter(|e| e.record.outcome == Outcome::Rejected)
            .count();
        assert_eq!(refused, rejected);
        assert!(setup.verify_audit("R-1").unwrap().intact);
    }

    fn restart_server() {
        let dir = std::env::var("SCALEPLAN_PG_DIR").expect("SCALEPLAN_PG_DIR (scripts/pg-start)");
        let bin = std::env::var("SCALEPLAN_PG_BIN").expect("SCALEPLAN_PG_BIN (scripts/pg-start)");
        let pg_ctl = format!("{bin}/pg_ctl");
        let data = format!("{dir}/data");
        let args = ["-D", data.as_str(), "-m", "fast", "-w", "restart"];
        let status = if unsafe_is_root() {
            std::process::Command::new("runuser")
                .args(["-u", "postgres", "--", pg_ctl.as_str()])
                .args(args)
                .stdout(std::process::Stdio::null())
                .status()
        } else {
            std::process::Command::new(&pg_ctl)
                .args(args)
                .stdout(std::process::Stdio::null())
                .status()
        }
        .unwrap();
        assert!(status.success());
    }

    fn unsafe_is_root() -> bool {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false)
    }

    /// A stream of keyed ticks across a server restart: calls during the restart fail with `storage`
    /// and succeed on retry with the same key; every acknowledged tick is in the logs exactly once.
    #[test]
    fn a_server_restart_mid_stream_loses_no_acknowledged_command() {
        let _server = SERVER.write().unwrap_or_else(|p| p.into_inner());
        let Some(url) = fresh_db("restart") else {
            return;
        };
        let svc = Service::new(
            PostgresStore::connect(&url).unwrap(),
            SimulatedDeployer::new(60),
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
        svc.create("R-1", long, GatePolicy::default(), &carol(), t(0))
            .unwrap();
        svc.execute("R-1", Command::Start { actor: carol() }, t(0), None, None)
            .unwrap();
        let monitor = Actor::new("prometheus-bridge", Role::Monitor);
        let mut storage_errors = 0;
        let mut acknowledged = 0;
        for i in 0..40 {
            if i == 20 {
                restart_server();
            }
            let key = format!("tick-{i}");
            let mut tries = 0;
            loop {
                tries += 1;
                match svc.observe(
                    "R-1",
                    &monitor,
                    Some(window(i)),
                    vec![t(5 * i + 5)],
                    t(5 * i + 5),
                    Some(&key),
                ) {
                    Ok(_) => {
                        acknowledged += 1;
                        break;
                    }
                    Err(e) => {
                        assert_eq!(e.code(), "storage", "{e}");
                        storage_errors += 1;
                        assert!(tries < 50, "no recovery: {e}");
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                }
            }
        }
        assert_eq!(acknowledged, 40);
        assert!(storage_errors >= 1, "the restart was not seen");
        let decisions = svc.store().decisions("R-1").unwrap();
        assert_eq!(decisions.len(), 40);
        assert_eq!(svc.rollout("R-1").unwrap().version, 41);
        assert!(svc.verify_audit("R-1").unwrap().intact);
    }
}
