//! Criterion benches for resource estimation. Ids: `estimate/<function>/<case>`. In CI they run once in
//! test mode; the assertion inside each timed closure makes sure a bench never times a wrong answer.
//! The seed asks for an estimate in under 2 seconds; report ops/s from `target/criterion`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scaleplan::estimate::*;
use scaleplan_benches::big_catalog_json;
use std::hint::black_box;

fn estimate_bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("estimate");
    let text = big_catalog_json(1000);
    let catalog = PriceCatalog::from_json(&text).expect("valid catalog");
    assert_eq!(
        catalog.instances.len()
            + catalog.databases.len()
            + catalog.caches.len()
            + catalog.storage.len(),
        1000
    );
    let req: EstimateRequest = scaleplan::json::from_str(
        r#"{"target_users": 50000, "instance_type": "app.245", "storage": "ssd.200",
            "demand": {"users": 1000, "peak_rps_per_user": 0.05, "cpu_seconds_per_request": 0.02,
                       "db_connections_per_instance": 20, "cache_gib_per_user": 0.0001,
                       "storage_gb_per_user_month": 0.01},
            "database": {"current": "db.3"}, "cache": {},
            "team_hours": [{"role": "engineer", "hours": 40}],
            "lift": {"low": 0.05, "expected": 0.2, "high": 0.35}}"#,
    )
    .expect("valid request");
    g.bench_function("estimate/catalog=1000", |b| {
        b.iter(|| {
            let e = estimate(black_box(&req), black_box(&catalog)).expect("estimate");
            assert!(e.configuration.sizing.instances > 0);
            e
        })
    });
    g.bench_function("catalog_from_json/items=1000", |b| {
        b.iter(|| PriceCatalog::from_json(black_box(&text)).expect("valid catalog"))
    });

    // USL on 100 load-test points from a known model with a small deterministic wiggle.
    let n: Vec<f64> = (1..=100).map(|i| i as f64 * 2.0).collect();
    let x: Vec<f64> = n
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            90.0 * k / (1.0 + 0.03 * (k - 1.0) + 0.0001 * k * (k - 1.0))
                * (1.0 + 0.01 * ((i * 7919) % 13) as f64 / 13.0)
        })
        .collect();
    g.bench_function("usl_fit/points=100", |b| {
        b.iter(|| {
            let f = usl_fit(black_box(&n), black_box(&x)).expect("fit");
            assert!((f.sigma - 0.03).abs() < 0.01, "{}", f.sigma);
            f
        })
    });

    // 1,000,000 HPA recommendations over 3-pod deployments with varying usage.
    let m = if cfg!(debug_assertions) {
        1_000
    } else {
        1_000_000
    };
    let pods: Vec<[Pod; 3]> = (0..997)
        .map(|i| {
            let p = |u: f64| Pod {
                state: PodState::Ready,
                request_milli: 1000.0,
                usage_milli: Some(u),
            };
            [
                p(200.0 + (i % 600) as f64),
                p(300.0 + (i % 500) as f64),
                p(400.0 + (i % 400) as f64),
            ]
        })
        .collect();
    g.throughput(Throughput::Elements(m as u64));
    g.bench_function(format!("hpa_desired_replicas/n={m}"), |b| {
        b.iter(|| {
            let mut total = 0u64;
            for k in 0..m {
                let r =
                    hpa_desired_replicas(3, black_box(&pods[k % 997]), 50.0, 0.1).expect("valid");
                total += r.desired_replicas;
            }
            assert!(total >= m as u64);
            total
        })
    });
    g.finish();
}

criterion_group!(benches, estimate_bench);
criterion_main!(benches);
