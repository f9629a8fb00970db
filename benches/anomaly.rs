//! Criterion benches for anomaly detection. Ids: `anomaly/stream/<method>` (points pushed one at a time
//! through [`Stream::push`], the streaming form's cost per point), `anomaly/extend/<method>` (the same
//! stream fed the series as one slice by [`Stream::extend`], as a pipeline delivering batches would) and
//! `anomaly/detect/<method>` (a whole series through [`detect`]: flags, scores, expected values and
//! alerts). Throughput is in points; the
//! series is 1,000,000 points of seeded noise around 100 with a spike every 5,000 points, so alerts are
//! opened and closed as in real use. Targets (issue 5): streaming O(1) detectors over 200 M points/s per
//! core; the pandas comparison (same outputs, speed ratio) is `benches/compare/rolling.py`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scaleplan::anomaly::{
    EwmaParams, Method, RobustZParams, SeasonalParams, Stream, ThresholdParams, detect,
};
use std::hint::black_box;

/// A million points (a tenth in unoptimised builds: `cargo test --benches` runs every bench once).
const N: usize = if cfg!(debug_assertions) {
    100_000
} else {
    1_000_000
};

/// Seeded noise (SplitMix64 → uniform sum, roughly normal with σ ≈ 5) with a spike every 5,000 points.
fn series() -> Vec<f64> {
    let mut s: u64 = 42;
    let mut next = || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..N)
        .map(|i| {
            let noise: f64 = (0..4).map(|_| next()).sum::<f64>() - 2.0;
            100.0 + 8.66 * noise + if i % 5000 == 4999 { 80.0 } else { 0.0 }
        })
        .collect()
}

fn methods() -> Vec<(&'static str, Method)> {
    vec![
        ("baseline_mean_288", Method::baseline_ratio(288, 1.5)),
        (
            "ewma",
            Method::Ewma(EwmaParams {
                target: Some(100.0),
                sigma: Some(5.0),
                ..EwmaParams::default()
            }),
        ),
        (
            "threshold",
            Method::Threshold(ThresholdParams {
                threshold: 150.0,
                duration: 3,
                ..ThresholdParams::default()
            }),
        ),
        (
            "robust_z_50",
            Method::RobustZ(RobustZParams {
                window: 50,
                ..RobustZParams::default()
            }),
        ),
        (
            "seasonal_288",
            Method::Seasonal(SeasonalParams {
                season_length: 288,
                ..SeasonalParams::default()
            }),
        ),
    ]
}

/// The work under the batch rolling-mean detector's outputs with everything else taken away: one pass
/// writing an expected value, a score (one division), a flag and a critical mark a point into buffers
/// already allocated and touched (no page faults, no rolling state, no alerts). `detect` cannot run
/// faster than this; README compares it with 20x pandas.
fn outputs_floor(
    y: &[f64],
    expected: &mut [f64],
    scores: &mut [f64],
    flags: &mut [bool],
    critical: &mut [bool],
) {
    let c = 100.0;
    for ((((x, e), s), f), k) in y
        .iter()
        .zip(expected.iter_mut())
        .zip(scores.iter_mut())
        .zip(flags.iter_mut())
        .zip(critical.iter_mut())
    {
        let r = x / c;
        *e = c;
        *s = r;
        *f = r > 1.5;
        *k = r > 3.0;
    }
}

fn bench(c: &mut Criterion) {
    let y = series();
    let mut g = c.benchmark_group("anomaly");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    g.bench_function("floor/outputs_only", |b| {
        // Allocated here and dropped after, so that they change nothing in the other benches' heap.
        let (mut e, mut s) = (vec![0.0; N], vec![0.0; N]);
        let (mut f, mut k) = (vec![false; N], vec![false; N]);
        b.iter(|| {
            outputs_floor(black_box(&y), &mut e, &mut s, &mut f, &mut k);
            black_box((&e, &s, &f, &k));
        })
    });
    for (name, m) in methods() {
        g.bench_function(format!("stream/{name}"), |b| {
            b.iter(|| {
                let mut s = Stream::new(&m, 1).expect("stream");
                let mut events = 0usize;
                for &x in &y {
                    if s.push(x).expect("finite").is_some() {
                        events += 1;
                    }
                }
                black_box(events)
            })
        });
        g.bench_function(format!("extend/{name}"), |b| {
            b.iter(|| {
                let mut s = Stream::new(&m, 1).expect("stream");
                black_box(s.extend(&y).expect("finite").len())
            })
        });
        g.bench_function(format!("detect/{name}"), |b| {
            b.iter(|| black_box(detect(&y, None, &m, 1).expect("detect").alerts.len()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
