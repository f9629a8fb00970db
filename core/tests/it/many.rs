//! Many series at once: the `*_many` calls give, series by series, what the one-series calls give, in
//! series order whatever the thread count, and name the failing series.

use scaleplan::anomaly::{
    Aggregate, AutoParams, Method, detect_many, detect_many_alerts, detect_with,
};
use scaleplan::forecast::{
    ForecastOptions, backtest, backtest_many, exhaustion, exhaustion_many, forecast, forecast_many,
};
use scaleplan::panel::Panel;

/// `count` series of different lengths and shapes, end to end, with their offsets and timestamps.
fn panel(count: usize) -> (Vec<f64>, Vec<usize>, Vec<f64>) {
    let (mut v, mut o, mut t) = (Vec::new(), vec![0], Vec::new());
    let mut state = 99u64;
    for s in 0..count {
        let n = 60 + 37 * s;
        for i in 0..n {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            let season = (2.0 * std::f64::consts::PI * i as f64 / 12.0).sin();
            let spike = if i == n - 7 { 25.0 } else { 0.0 };
            v.push(100.0 + s as f64 + 0.3 * i as f64 + 5.0 * season + noise + spike);
            t.push(1.7e9 + 3600.0 * i as f64);
        }
        o.push(v.len());
    }
    (v, o, t)
}

#[test]
fn detect_many_is_detect_per_series_in_order_on_any_pool() {
    let (v, o, t) = panel(40);
    let p = Panel::new(&v, &o).unwrap();
    let auto = Method::Auto(AutoParams::default());
    for threads in [None, Some(1), Some(3)] {
        let many = detect_many(&p, Some(&t), &auto, 1, Aggregate::Mean, threads).unwrap();
        assert_eq!(many.len(), 40);
        for (i, d) in many.iter().enumerate() {
            let one = detect_with(
                p.series(i),
                Some(&t[o[i]..o[i + 1]]),
                &auto,
                1,
                Aggregate::Mean,
            )
            .unwrap();
            // (compared as JSON: the expected values hold NaN in the warm-up)
            assert_eq!(json(d), json(&one), "series {i}, threads {threads:?}");
        }
    }
}

/// Series that alert often, with missing points, runs of spikes (alerts that stay open), gaps and
/// repeated timestamps, and spread from flat to noisy: the case where the alerts-only path skips most.
fn alerting_panel(count: usize) -> (Vec<f64>, Vec<usize>, Vec<f64>) {
    let (mut v, mut o, mut t) = (Vec::new(), vec![0], Vec::new());
    let mut state = 7u64;
    let mut time = 1.7e9;
    for s in 0..count {
        let n = 40 + 97 * s;
        for i in 0..n {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let noise = match s % 4 {
                0 => (u - 0.5) * 0.01,
                1 => (u - 0.5).powi(3) * 40.0,
                2 => (u * 5.0).floor(),
                _ => (u - 0.5) * 3.0,
            };
            let burst = if (i / 9) % 13 == 5 { 30.0 } else { 0.0 };
            let dip = if i % 71 == 40 { -50.0 } else { 0.0 };
            v.push(if (state >> 58) == 3 {
                f64::NAN
            } else {
                50.0 + noise + burst + dip
            });
            // mostly regular, sometimes a gap, sometimes a repeated time
            time += match (state >> 40) % 40 {
                0 => 0.0,
                1 => 7.0 * 60.0,
                _ => 60.0,
            };
            t.push(time);
        }
        o.push(v.len());
    }
    (v, o, t)
}

#[test]
fn detect_many_alerts_are_detect_many_s_alerts() {
    let (v, o, t) = alerting_panel(14);
    let p = Panel::new(&v, &o).unwrap();
    let rz = |threshold: f64, dir: &str| -> Method {
        serde_json::from_value(serde_json::json!({
            "method": "robust_z", "window": 30, "threshold": threshold, "direction": dir,
        }))
        .unwrap()
    };
    let methods = [
        Method::Auto(AutoParams::default()),
        rz(3.5, "both"),
        rz(2.0, "up"),
        rz(2.5, "down"),
        Method::baseline_ratio(7, 1.5),
        serde_json::from_value(serde_json::json!({"method": "seasonal", "season_length": 12}))
            .unwrap(),
        serde_json::from_value(serde_json::json!({"method": "seasonal_esd", "season_length": 12}))
            .unwrap(),
        serde_json::from_value(serde_json::json!({"method": "ewma"})).unwrap(),
        serde_json::from_value(serde_json::json!({"method": "calibrated", "window": 50})).unwrap(),
    ];
    let mut alerts = 0;
    for m in &methods {
        for cooldown in [0, 1, 4] {
            for times in [None, Some(&t[..])] {
                let full = detect_many(&p, times, m, cooldown, Aggregate::Mean, Some(2)).unwrap();
                let only =
                    detect_many_alerts(&p, times, m, cooldown, Aggregate::Mean, Some(2)).unwrap();
                assert_eq!(only.len(), full.len());
                for (i, (a, d)) in only.iter().zip(&full).enumerate() {
                    assert_eq!(
                        json(a),
                        json(&d.alerts),
                        "{m:?}, cooldown {cooldown}, series {i}"
                    );
                    alerts += a.len();
                }
            }
        }
    }
    assert!(alerts > 1000, "the panel should alert: {alerts}");
    // the errors are detect_many's
    let mut bad = v.clone();
    bad[o[5] + 2] = f64::INFINITY;
    let p = Panel::new(&bad, &o).unwrap();
    let auto = Method::Auto(AutoParams::default());
    let e = detect_many_alerts(&p, None, &auto, 1, Aggregate::Mean, None).unwrap_err();
    let f = detect_many(&p, None, &auto, 1, Aggregate::Mean, None).unwrap_err();
    assert_eq!((e.code(), e.to_string()), (f.code(), f.to_string()));
    let e = detect_many_alerts(&p, Some(&t[1..]), &auto, 1, Aggregate::Mean, None).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
}

/// A result as its canonical JSON (compared so, because NaN != NaN).
fn json<T: serde::Serialize>(x: &T) -> String {
    scaleplan::json::to_string(x).unwrap()
}

#[test]
fn forecast_backtest_and_exhaustion_many_are_the_one_series_calls() {
    let (v, o, _) = panel(6);
    let p = Panel::new(&v, &o).unwrap();
    let opts = ForecastOptions {
        horizon: 6,
        season_length: Some(12),
        ..ForecastOptions::default()
    };
    let f = forecast_many(&p, &opts, Some(2)).unwrap();
    let b = backtest_many(&p, &opts, 2, None, None).unwrap();
    let e = exhaustion_many(&p, 200.0, 24, Some(12), None).unwrap();
    for i in 0..p.len() {
        assert_eq!(
            json(&f[i]),
            json(&forecast(p.series(i), &opts).unwrap()),
            "series {i}"
        );
        let one = backtest(p.series(i), &opts, 2, None).unwrap();
        assert_eq!(json(&b[i]), json(&one), "series {i}");
        let one = exhaustion(p.series(i), 200.0, 24, Some(12)).unwrap();
        assert_eq!(json(&e[i]), json(&one), "series {i}");
    }
}

#[test]
fn the_failing_series_is_named_and_bad_offsets_are_refused() {
    let (mut v, o, t) = panel(12);
    v[o[7] + 3] = f64::INFINITY;
    v[o[9] + 1] = f64::INFINITY;
    let p = Panel::new(&v, &o).unwrap();
    let e = detect_many(
        &p,
        None,
        &Method::Auto(AutoParams::default()),
        1,
        Aggregate::Mean,
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "not_finite");
    assert!(e.to_string().contains("series[7].values[3]"), "{e}");
    let e = forecast_many(&p, &ForecastOptions::default(), None).unwrap_err();
    assert!(e.to_string().contains("series[7]"), "{e}");
    let e = detect_many(
        &p,
        Some(&t[1..]),
        &Method::baseline_ratio(7, 1.5),
        1,
        Aggregate::Mean,
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    for (offsets, field) in [
        (vec![1, 5], "offsets[0]"),
        (vec![0, 5], "offsets[1]"),
        (vec![0, 30, 20, v.len()], "offsets[2]"),
        (vec![0], "offsets"),
    ] {
        let e = Panel::new(&v, &offsets).unwrap_err();
        assert_eq!(e.code(), "out_of_range");
        assert!(e.to_string().contains(field), "{e}");
    }
    let e = forecast_many(
        &Panel::new(&v[..0], &[0, 0]).unwrap(),
        &ForecastOptions::default(),
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("series[0]"), "{e}");
}
