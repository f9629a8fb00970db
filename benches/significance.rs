//! Criterion benches for the significance pillar. Ids: `significance/<function>/<case>/<impl>`.
//! In CI they run once in test mode (`cargo test -p scaleplan-benches --benches`); the assertion inside
//! each timed closure makes sure a bench never times a wrong answer.

use criterion::{Criterion, criterion_group, criterion_main};
use scaleplan::significance::*;
use scaleplan_benches::segments;
use std::hint::black_box;

fn proportions(c: &mut Criterion) {
    let mut g = c.benchmark_group("significance");
    let n = if cfg!(debug_assertions) {
        1_000
    } else {
        1_000_000
    };
    let [cv, cc, tv, tc] = segments(n);
    let opts = TestOptions::default();
    g.bench_function(format!("two_proportions_batch/n={n}/scaleplan"), |b| {
        b.iter(|| {
            let r = two_proportions_batch(black_box(&cv), &cc, &tv, &tc, &opts)
                .expect("valid segments");
            assert_eq!(r.p_value.len(), n);
            r
        })
    });
    let (c0, t0) = (
        Proportion::new(10_000, 1_000).expect("valid"),
        Proportion::new(10_000, 1_100).expect("valid"),
    );
    g.bench_function("two_proportions/scalar/scaleplan", |b| {
        b.iter(|| {
            let r = two_proportions(black_box(&c0), black_box(&t0), &opts).expect("valid");
            assert!((r.z - 2.306_634_773_817_01).abs() < 1e-12);
            r
        })
    });
    let (m0, m1) = (
        MeanSummary::new(50, 10.0, 4.0).expect("valid"),
        MeanSummary::new(60, 11.0, 9.0).expect("valid"),
    );
    g.bench_function("welch/scalar/scaleplan", |b| {
        b.iter(|| {
            let r = welch(black_box(&m0), black_box(&m1), &opts).expect("valid");
            assert!((r.t - 2.085_144_140_570_747).abs() < 1e-12);
            r
        })
    });
    let (b0, b1) = (
        Proportion::new(1000, 100).expect("valid"),
        Proportion::new(1000, 130).expect("valid"),
    );
    g.bench_function("beta_binomial/scalar/scaleplan", |b| {
        b.iter(|| {
            let r = beta_binomial(black_box(&b0), black_box(&b1), &BetaPrior::default())
                .expect("valid");
            assert!(r.chance_to_beat_control > 0.98);
            r
        })
    });
    g.finish();
}

criterion_group!(benches, proportions);
criterion_main!(benches);
