//! Criterion benches for phase gating. Ids: `rollout/<what>`. Gate evaluations per second (one tick of the
//! state machine: pool, D1–D4, R1–R6, E1–E6), a 36-hour replay through `simulate`, and the latency of a
//! rollback command through SqliteStore with a durable commit (WAL, `synchronous=FULL`), beside the same
//! command through MemoryStore (the store's share of the cost, measured in the same run).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use scaleplan::deploy::SimulatedDeployer;
use scaleplan::rollout::*;
use scaleplan::store::{MemoryStore, SqliteStore, Store};
use std::hint::black_box;

fn t0() -> Timestamp {
    Timestamp::parse("2025-06-02T00:00:00Z").expect("time")
}

fn window(i: i64) -> Window {
    Window::new(
        t0().plus(300 * i),
        t0().plus(300 * (i + 1)),
        2000,
        4,
        Some(320.0),
    )
}

fn running(ticks: i64) -> Rollout {
    let plan = RolloutPlan::gradual(Scope::AllRegions, WaveMode::Sequential).expect("plan");
    let r = Rollout::new(
        "R-1",
        Some("carol".into()),
        plan,
        GatePolicy::default(),
        t0(),
    )
    .expect("rollout");
    let carol = Actor::new("carol", Role::OperationsManager);
    let mut r = apply(&r, &Command::Start { actor: carol }, &Context::at(t0()))
        .expect("start")
        .state;
    for i in 0..ticks {
        let obs = Observation {
            window: Some(window(i)),
            events: vec![window(i).end],
        };
        r = apply(
            &r,
            &Command::Observe {
                actor: None,
                observation: obs,
            },
            &Context::at(window(i).end),
        )
        .expect("tick")
        .state;
    }
    r
}

fn replay_input(ticks: i64) -> String {
    let windows: Vec<String> = (0..ticks)
        .map(|i| {
            let w = window(i);
            format!(
                r#"{{"start":"{}","end":"{}","requests":2000,"errors":4,"p95_ms":320}}"#,
                w.start, w.end
            )
        })
        .collect();
    let events: Vec<String> = (0..ticks)
        .map(|i| format!("\"{}\"", window(i).end))
        .collect();
    format!(
        r#"{{"plan":{{"phases":[{{"traffic_pct":10,"min_duration_secs":7200}},{{"traffic_pct":25,"min_duration_secs":14400}},{{"traffic_pct":50,"min_duration_secs":21600}},{{"traffic_pct":100,"min_duration_secs":86400}}]}},"start":{{"phase":1,"attempt_start":"{}","state":"running"}},"until":"{}","windows":[{}],"events":[{}]}}"#,
        t0(),
        t0().plus(300 * ticks),
        windows.join(","),
        events.join(",")
    )
}

fn gate_bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("rollout");
    g.throughput(Throughput::Elements(1));
    // a rollout 23 windows into phase 1: the next tick is a full evaluation (every check passes at 02:00)
    let r = running(23);
    let obs = Command::Observe {
        actor: None,
        observation: Observation {
            window: Some(window(23)),
            events: vec![window(23).end],
        },
    };
    let ctx = Context::at(window(23).end);
    g.bench_function("gate_tick/advance", |b| {
        b.iter(|| {
            let out = apply(black_box(&r), black_box(&obs), &ctx).expect("tick");
            assert_eq!(out.state.phase, 2);
            out
        })
    });
    let r = running(5);
    let obs = Command::Observe {
        actor: None,
        observation: Observation {
            window: Some(window(5)),
            events: vec![window(5).end],
        },
    };
    let ctx = Context::at(window(5).end);
    g.bench_function("gate_tick/hold", |b| {
        b.iter(|| {
            let out = apply(black_box(&r), black_box(&obs), &ctx).expect("tick");
            assert_eq!(
                out.decision.as_ref().map(|d| d.decision),
                Some(DecisionKind::Hold)
            );
            out
        })
    });
    let input = replay_input(432); // 36 h: phases 1-3 and 12 h of phase 4
    g.throughput(Throughput::Elements(432));
    g.bench_function("simulate/ticks=432", |b| {
        b.iter(|| {
            let out = simulate(black_box(&input)).expect("replay");
            assert!(out.contains(r#""phase":4,"traffic_pct":100"#));
            out
        })
    });
    g.finish();
}

fn rollback_latency<S: Store>(c: &mut Criterion, name: &str, svc: Service<S, SimulatedDeployer>) {
    let mut g = c.benchmark_group("rollout");
    let carol = Actor::new("carol", Role::OperationsManager);
    let olga = Actor::new("olga", Role::Operator);
    let mut n = 0u64;
    g.bench_function(format!("rollback_command/{name}"), |b| {
        b.iter_batched(
            || {
                n += 1;
                let id = format!("R-{}-{n}", std::process::id());
                // one region per rollout: criterion starts a batch of them before rolling them back
                let scope = Scope::Regions {
                    regions: vec![format!("region-{id}")],
                };
                let plan = RolloutPlan::gradual(scope, WaveMode::Sequential).expect("plan");
                svc.create(&id, plan, GatePolicy::default(), &carol, t0())
                    .expect("create");
                svc.execute(
                    &id,
                    Command::Start {
                        actor: carol.clone(),
                    },
                    t0(),
                    None,
                    None,
                )
                .expect("start");
                id
            },
            |id| {
                let out = svc
                    .execute(
                        &id,
                        Command::Rollback {
                            actor: olga.clone(),
                            reason: None,
                        },
                        t0().plus(60),
                        Some(1),
                        None,
                    )
                    .expect("rollback");
                assert_eq!(out.state, Status::RolledBack); // decision committed, deployer called, confirmation committed
                out
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn store_bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("scaleplan-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sqlite = SqliteStore::open(dir.join("bench.db")).expect("sqlite");
    rollback_latency(
        c,
        "sqlite_durable",
        Service::new(sqlite, SimulatedDeployer::new(30)),
    );
    rollback_latency(
        c,
        "memory",
        Service::new(MemoryStore::new(), SimulatedDeployer::new(30)),
    );
    // PostgreSQL (the server `.ci/run` or `scripts/pg-start` runs; fsync on): a durable rollback through
    // a shared database, beside SQLite's and memory's in the same run
    if let Ok(url) = std::env::var("SCALEPLAN_TEST_PG_URL") {
        let pg = scaleplan::store::PostgresStore::connect(&url).expect("postgres");
        rollback_latency(
            c,
            "postgres_durable",
            Service::new(pg, SimulatedDeployer::new(30)),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, gate_bench, store_bench);
criterion_main!(benches);
