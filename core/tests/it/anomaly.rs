//! Anomaly detection: reference values (scipy), stream = batch, invariants, alerts, budgets.

use proptest::prelude::*;
use scaleplan::anomaly::budget::{
    Budget, BudgetPeriod, BudgetTracker, CostEntry, Date, budget_status,
};
use scaleplan::anomaly::{
    Aggregate, AutoParams, BaselineParams, CalibratedParams, Direction, EsdParams, EventKind,
    EwmaParams, Method, RegressionOptions, RobustZParams, SeasonalParams, Statistic, Stream,
    ThresholdParams, detect, detect_with, regression, short_series_cutoff,
};
use scaleplan::money::{Currency, Money};
use serde_json::Value;

fn reference() -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../testdata/anomaly/reference.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn mann_whitney_and_percentiles_match_scipy() {
    for c in reference()["regression"].as_array().unwrap() {
        let (b, cur) = (floats(&c["baseline"]), floats(&c["current"]));
        let r = regression(&b, &cur, &RegressionOptions::default()).unwrap();
        let name = c["name"].as_str().unwrap();
        assert!(
            close(r.u, c["u"].as_f64().unwrap(), 1e-12),
            "{name}: U {}",
            r.u
        );
        assert!(
            close(r.p_value, c["p_value"].as_f64().unwrap(), 1e-9),
            "{name}: p {} vs {}",
            r.p_value,
            c["p_value"]
        );
        for p in &r.percentiles {
            let want = &c["percentiles"][format!("{}", p.percentile as u32)];
            assert!(
                close(p.baseline, want[0].as_f64().unwrap(), 1e-12),
                "{name} p{}",
                p.percentile
            );
            assert!(
                close(p.current, want[1].as_f64().unwrap(), 1e-12),
                "{name} p{}",
                p.percentile
            );
        }
        match name {
            "shifted" => assert!(r.regressed, "{name}: {}", r.reason),
            "same" => assert!(!r.regressed, "{name}: {}", r.reason),
            _ => {}
        }
    }
}

#[test]
fn noise_in_one_percentile_is_not_a_regression() {
    // Same distribution, but the current sample's tail holds one slow request: p99 degrades, the test does not.
    let base: Vec<f64> = (0..100).map(|i| 100.0 + ((i * 37) % 50) as f64).collect();
    let mut cur = base.clone();
    cur[0] = 1000.0;
    cur[1] = 1000.0;
    let r = regression(&base, &cur, &RegressionOptions::default()).unwrap();
    assert!(r.percentiles[2].degraded && !r.regressed, "{}", r.reason);
    assert!(
        r.reason.starts_with("not a regression: p99"),
        "{}",
        r.reason
    );
}

#[test]
fn growth_rate_matches_scipy_linregress() {
    for g in reference()["growth"].as_array().unwrap() {
        let r = scaleplan::forecast::growth_rate(&floats(&g["values"])).unwrap();
        assert!(close(r.rate, g["rate"].as_f64().unwrap(), 1e-9));
        assert!(close(r.ci.0, g["ci"][0].as_f64().unwrap(), 1e-9));
        assert!(close(r.ci.1, g["ci"][1].as_f64().unwrap(), 1e-9));
    }
}

fn methods() -> Vec<Method> {
    vec![
        Method::baseline_ratio(7, 1.5),
        Method::BaselineRatio(BaselineParams {
            statistic: Statistic::Median,
            direction: Direction::Both,
            ..BaselineParams::default()
        }),
        Method::RobustZ(RobustZParams::default()),
        Method::Ewma(EwmaParams::default()),
        Method::Seasonal(SeasonalParams {
            season_length: 12,
            ..SeasonalParams::default()
        }),
        Method::Threshold(ThresholdParams {
            threshold: 50.0,
            duration: 3,
            direction: Direction::Up,
        }),
    ]
}

fn series() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![8 => -1e6..1e6f64, 1 => Just(f64::NAN), 1 => Just(0.0)],
        1..300,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn stream_and_batch_agree_and_nothing_panics(xs in series(), which in 0usize..6) {
        let m = &methods()[which];
        let d = detect(&xs, None, m, 1).unwrap();
        let mut s = Stream::new(m, 1).unwrap();
        let mut opened = 0;
        for (i, x) in xs.iter().enumerate() {
            if let Some(ev) = s.push(*x).unwrap() {
                if ev.event == EventKind::Opened { opened += 1; }
                prop_assert!(d.flags[ev.alert.end_index as usize] || ev.event == EventKind::Closed);
            }
            prop_assert!(d.scores[i].is_finite());
            prop_assert!(!(d.flags[i] && xs[i].is_nan()));
        }
        prop_assert_eq!(opened, d.alerts.len());
        // The state survives a JSON round trip mid-stream.
        let mut resumed = Stream::from_json(&s.to_json().unwrap()).unwrap();
        prop_assert_eq!(resumed.push(1.0).unwrap(), s.push(1.0).unwrap());
    }

    #[test]
    fn flags_do_not_move_when_the_series_shifts(xs in prop::collection::vec(0.0..100.0f64, 20..200), c in -1e3..1e3f64) {
        // Robust z, EWMA, seasonal and S-H-ESD promise shift invariance (the ratio and threshold detectors do not).
        let shifted: Vec<f64> = xs.iter().map(|v| v + c).collect();
        for m in [Method::RobustZ(RobustZParams::default()), Method::Ewma(EwmaParams::default()),
                  Method::Seasonal(SeasonalParams { season_length: 7, ..SeasonalParams::default() }),
                  Method::SeasonalEsd(EsdParams { season_length: Some(7), ..EsdParams::default() })] {
            let a = detect(&xs, None, &m, 1).unwrap();
            let b = detect(&shifted, None, &m, 1).unwrap();
            let differ: Vec<usize> = (0..xs.len()).filter(|&i| a.flags[i] != b.flags[i]
                // a score on the threshold itself may round either way
                && (a.scores[i].abs() - 3.5).abs() > 1e-6 && (a.scores[i].abs() - 3.0).abs() > 1e-6).collect();
            prop_assert!(differ.is_empty(), "{} differs at {:?}", m.name(), differ);
        }
    }
}

#[test]
fn one_ongoing_anomaly_is_one_alert() {
    let mut y = vec![100.0; 60];
    for v in &mut y[30..36] {
        *v = 400.0; // six periods of a spike
    }
    let d = detect(&y, None, &Method::baseline_ratio(7, 1.5), 1).unwrap();
    assert_eq!(d.alerts.len(), 1);
    let a = &d.alerts[0];
    assert_eq!((a.start_index, a.points), (30, a.points));
    assert!(a.points >= 3, "{a:?}");
}

#[test]
fn seasonal_detectors_find_a_spike_hidden_in_the_daily_cycle() {
    // Hourly data with a daily cycle: the spike at hour 3 of day 9 is below the daily peak but far from its
    // own hour's usual value.
    let y: Vec<f64> = (0..24 * 14)
        .map(|t| {
            100.0
                + 50.0 * ((t % 24) as f64 * std::f64::consts::PI / 12.0).sin()
                + ((t * 7919) % 11) as f64
        })
        .collect();
    let mut y2 = y.clone();
    let at = 24 * 9 + 3;
    y2[at] += 60.0;
    let ts: Vec<f64> = (0..y2.len())
        .map(|i| 1_700_000_000.0 + 3600.0 * i as f64)
        .collect();
    let auto = detect(&y2, Some(&ts), &Method::Auto(AutoParams::default()), 1).unwrap();
    assert_eq!(auto.season_length, Some(24));
    assert!(auto.flags[at], "{}", auto.method);
    assert_eq!(auto.alerts.len(), 1, "{:?}", auto.alerts);
    let esd = detect(
        &y2,
        None,
        &Method::SeasonalEsd(EsdParams {
            season_length: Some(24),
            ..EsdParams::default()
        }),
        1,
    )
    .unwrap();
    assert!(esd.flags[at]);
    assert_eq!(esd.flags.iter().filter(|f| **f).count(), 1);
}

#[test]
fn gaps_in_timestamps_are_missing_periods() {
    let ts = [0.0, 60.0, 120.0, 300.0, 360.0];
    let d = detect(
        &[1.0, 2.0, 3.0, 4.0, 5.0],
        Some(&ts),
        &Method::RobustZ(RobustZParams::default()),
        1,
    )
    .unwrap();
    assert_eq!((d.missing, d.step), (2, Some(60.0)));
    let bad = detect(
        &[1.0, 2.0, 3.0, 4.0],
        Some(&[0.0, 60.0, 120.0, 6.0e6]),
        &Method::RobustZ(RobustZParams::default()),
        1,
    )
    .unwrap_err();
    assert_eq!(bad.code(), "invalid_timestamps");
    assert!(bad.to_string().contains("16 times longer"), "{bad}");
    let nan = detect(
        &[1.0, 2.0],
        Some(&[0.0, f64::NAN]),
        &Method::RobustZ(RobustZParams::default()),
        1,
    )
    .unwrap_err();
    assert_eq!(nan.code(), "not_finite");
    assert!(nan.to_string().contains("timestamps[1]"), "{nan}");
    assert_eq!(
        detect(
            &[1.0, f64::INFINITY],
            None,
            &Method::Auto(AutoParams::default()),
            1
        )
        .unwrap_err()
        .code(),
        "not_finite"
    );
    assert_eq!(
        detect(&[], None, &Method::Auto(AutoParams::default()), 1)
            .unwrap_err()
            .code(),
        "empty_input"
    );
    let mut s = Stream::new(
        &Method::Threshold(ThresholdParams {
            threshold: 80.0,
            duration: 2,
            direction: Direction::Up,
        }),
        0,
    )
    .unwrap();
    // a period is scored when a point of a later one arrives (or at flush)
    assert!(s.push_at(0.0, 90.0).unwrap().is_empty());
    assert!(s.push_at(60.0, 95.0).unwrap().is_empty());
    assert_eq!(s.flush()[0].event, EventKind::Opened);
    assert!(s.flush().is_empty(), "a period is scored once");
    // A 3-minute gap: two missing periods, and the alert closes at the first (cooldown 0) quiet one.
    let evs = s.push_at(240.0, 10.0).unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].event, EventKind::Closed);
    // a point for a period already scored is counted, not scored and not an error
    assert!(s.push_at(200.0, 1.0).unwrap().is_empty());
    assert_eq!(s.ingest().late, 1);
    assert_eq!(s.ingest().out_of_order, 1);
    assert_eq!(s.push_at(f64::NAN, 1.0).unwrap_err().code(), "not_finite");
}

/// A stream fed a real export point by point (repeated timestamps, two points in one period, a clock
/// step backwards within a period, a gap) gives the alerts the batch form gives on the whole export,
/// for each way of combining a period's points, and its state, saved mid-way, resumes to the same.
#[test]
fn a_stream_of_a_real_export_gives_the_batch_alerts() {
    let mut noise = lcg(17);
    let mut t = Vec::new();
    let mut v = Vec::new();
    for i in 0..3000usize {
        if (1200..1210).contains(&i) {
            continue; // a gap of 10 periods
        }
        let base = 1.7e9 + 300.0 * i as f64;
        let x = 100.0 + 3.0 * noise() + if i == 2500 { 60.0 } else { 0.0 };
        if i % 97 == 0 {
            // a repeated export of the same period
            t.push(base);
            v.push(x + 1.0);
        }
        if i % 101 == 0 {
            // a later point of the period sent first: a clock step backwards within the period
            t.push(base + 120.0);
            v.push(x - 1.0);
            t.push(base);
            v.push(x);
            continue;
        }
        t.push(base);
        v.push(x);
    }
    let method = Method::Calibrated(CalibratedParams {
        season_length: None,
        ..CalibratedParams::default()
    });
    for agg in [
        Aggregate::Mean,
        Aggregate::Sum,
        Aggregate::Max,
        Aggregate::Last,
    ] {
        let batch = detect_with(&v, Some(&t), &method, 1, agg).unwrap();
        assert!(batch.ingest.aggregated > 50 && batch.ingest.out_of_order > 20);
        let mut s = Stream::new(&method, 1)
            .unwrap()
            .with_aggregate(agg)
            .with_step(300.0)
            .unwrap();
        let mut opened = Vec::new();
        for (k, (&ti, &xi)) in t.iter().zip(&v).enumerate() {
            if k == 100 || k == t.len() / 2 {
                // a saved stream resumes (before the warm-up too: thresholds not yet learnt, no
                // baseline yet, and the open period, all round-trip)
                s = Stream::from_json(&s.to_json().unwrap()).unwrap();
            }
            for ev in s.push_at(ti, xi).unwrap() {
                if ev.event == EventKind::Opened {
                    opened.push(ev.alert.time);
                }
            }
        }
        for ev in s.flush() {
            if ev.event == EventKind::Opened {
                opened.push(ev.alert.time);
            }
        }
        // the batch form's alert index is the input point's; both give the period's time
        let want: Vec<f64> = batch.alerts.iter().map(|a| a.time).collect();
        assert_eq!(opened, want, "{agg:?}");
        // (summed, a repeated export doubles its period: that, not the spike, is what stands out)
        if agg != Aggregate::Sum {
            assert!(
                want.contains(&(1.7e9 + 300.0 * 2500.0)),
                "{agg:?}: {want:?}"
            );
        }
        assert_eq!(s.ingest().aggregated as usize, batch.ingest.aggregated);
        assert_eq!(s.ingest().out_of_order as usize, batch.ingest.out_of_order);
        assert_eq!(s.ingest().late, 0);
    }
}

#[test]
fn corrupted_stream_state_is_refused() {
    let s = Stream::new(&Method::RobustZ(RobustZParams::default()), 1).unwrap();
    let json = s
        .to_json()
        .unwrap()
        .replacen("\"head\":0", "\"head\":999", 1);
    assert_eq!(
        Stream::from_json(&json).unwrap_err().code(),
        "invalid_state"
    );
    assert_eq!(Stream::from_json("{").unwrap_err().code(), "json");
    // A misspelt key inside the detector's state is refused, not ignored.
    let misspelt = s
        .to_json()
        .unwrap()
        .replacen("\"head\":0", "\"head\":0,\"haed\":0", 1);
    let e = Stream::from_json(&misspelt).unwrap_err();
    assert_eq!(e.code(), "json");
    assert!(e.to_string().contains("haed"), "{e}");
}

#[test]
fn budgets_fire_each_threshold_once_per_period() {
    let usd = Currency::USD;
    let b = Budget::new(
        "web",
        BudgetPeriod::Quarterly,
        Money::parse("9000.00", usd).unwrap(),
    );
    let mut t = BudgetTracker::new(b.clone()).unwrap();
    let mut fired = Vec::new();
    let mut entries = Vec::new();
    let mut d = Date::new(2026, 4, 1).unwrap();
    for i in 0..120 {
        let amount = Money::parse(if i % 2 == 0 { "120.00" } else { "80.00" }, usd).unwrap();
        let mut e = CostEntry::new(d, amount, if i % 3 == 0 { "db" } else { "api" }, "core");
        e.feature = Some("checkout".into());
        fired.extend(t.record(&e).unwrap());
        entries.push(e);
        d = d.add_days(1);
    }
    // 100 a day on average (120, 80, ...): 4520 on day 45 (May 15), 6800 on day 68 (June 7), 8120 on day 81
    // (June 20), 9000 on day 90 (June 29); the third quarter starts afresh and reaches none.
    let projected: Vec<String> = fired
        .iter()
        .filter(|a| a.kind == scaleplan::anomaly::budget::BudgetAlertKind::Projected)
        .map(|a| a.date.to_string())
        .collect();
    assert_eq!(projected, ["2026-04-01", "2026-07-02"]);
    let actual: Vec<(String, u32)> = fired
        .iter()
        .filter(|a| a.kind == scaleplan::anomaly::budget::BudgetAlertKind::Threshold)
        .map(|a| (a.date.to_string(), a.threshold))
        .collect();
    assert_eq!(
        actual,
        [
            ("2026-05-15", 50),
            ("2026-06-07", 75),
            ("2026-06-20", 90),
            ("2026-06-29", 100)
        ]
        .map(|(d, t)| (d.to_string(), t))
    );
    let s = budget_status(&b, &entries, Date::new(2026, 6, 30).unwrap()).unwrap();
    assert_eq!(s.spent.to_string(), "9120.00 USD");
    assert_eq!(s.projected.to_string(), "9120.00 USD");
    assert_eq!(s.attribution.by_service[0].name, "api");
    assert_eq!(s.attribution.by_feature[0].percent, 100.0);
    let eur = CostEntry::new(
        d,
        Money::parse("1", "EUR".parse().unwrap()).unwrap(),
        "api",
        "core",
    );
    assert_eq!(t.record(&eur).unwrap_err().code(), "currency_mismatch");
    let late = CostEntry::new(
        Date::new(2026, 4, 1).unwrap(),
        Money::parse("1", usd).unwrap(),
        "api",
        "core",
    );
    assert_eq!(t.record(&late).unwrap_err().code(), "invalid_timestamps");
    assert_eq!(
        Date::parse("day", "2026-02-30").unwrap_err().code(),
        "invalid_date"
    );
}

#[test]
fn edited_stored_states_are_refused_with_invalid_state() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/stored_state");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    for f in [
        "seed-stream-seasonal-max-t.json",
        "seed-stream-method-state-mismatch.json",
        "seed-stream-head-out-of-range.json",
        "seed-stream-unsorted-window.json",
    ] {
        let e = Stream::from_json(&read(f)).unwrap_err();
        assert_eq!(e.code(), "invalid_state", "{f}: {e}");
    }
    Stream::from_json(&read("seed-stream-seasonal-running.json")).unwrap();
    let zero = scaleplan::json::from_str::<BudgetTracker>(&read("seed-tracker-zero-budget.json"))
        .unwrap_err();
    assert!(zero.to_string().contains("amount"), "{zero}");
    for f in [
        "seed-tracker-bad-thresholds.json",
        "seed-tracker-mixed-currency.json",
        "seed-tracker-reversed-period.json",
    ] {
        assert!(
            scaleplan::json::from_str::<BudgetTracker>(&read(f)).is_err(),
            "{f}"
        );
    }
    let ok: BudgetTracker = scaleplan::json::from_str(&read("seed-tracker-running.json")).unwrap();
    let again = scaleplan::json::to_string(&ok).unwrap();
    assert_eq!(
        scaleplan::json::from_str::<BudgetTracker>(&again).unwrap(),
        ok
    );
}

#[test]
fn a_subnormal_baseline_gives_a_finite_ratio() {
    let y = [5e-324, 5e-324, 5e-324, 250.0];
    let d = detect(&y, None, &Method::baseline_ratio(3, 1.5), 1).unwrap();
    assert!(d.flags[3] && d.scores[3] == f64::MAX);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn extend_is_push_on_each_point(
        xs in proptest::collection::vec(prop_oneof![4 => 0.0f64..200.0, 1 => Just(f64::NAN), 1 => Just(900.0)], 1..300),
        split in 0usize..300,
    ) {
        let methods = [
            Method::baseline_ratio(7, 1.5),
            Method::BaselineRatio(BaselineParams { window: 5, statistic: Statistic::Median, ratio: 1.5, ..BaselineParams::default() }),
            Method::RobustZ(RobustZParams { window: 20, ..RobustZParams::default() }),
            Method::Ewma(EwmaParams::default()),
            Method::Ewma(EwmaParams { lambda: 0.6, direction: Direction::Up, ..EwmaParams::default() }),
            Method::Ewma(EwmaParams { lambda: 0.3, direction: Direction::Down, target: Some(100.0), sigma: Some(20.0), ..EwmaParams::default() }),
            Method::BaselineRatio(BaselineParams { window: 4, ratio: 2.0, direction: Direction::Down, ..BaselineParams::default() }),
            Method::BaselineRatio(BaselineParams { window: 6, ratio: 1.2, direction: Direction::Up, min_periods: Some(6), ..BaselineParams::default() }),
            Method::Seasonal(SeasonalParams { season_length: 7, ..SeasonalParams::default() }),
            Method::Threshold(ThresholdParams { threshold: 150.0, duration: 2, ..ThresholdParams::default() }),
        ];
        for m in &methods {
            let mut one = Stream::new(m, 1).unwrap();
            let pushed: Vec<_> = xs.iter().filter_map(|x| one.push(*x).unwrap()).collect();
            let mut many = Stream::new(m, 1).unwrap();
            let k = split.min(xs.len());
            let mut extended = many.extend(&xs[..k]).unwrap();
            extended.extend(many.extend(&xs[k..]).unwrap());
            prop_assert_eq!(&pushed, &extended);
            prop_assert_eq!(one.to_json().unwrap(), many.to_json().unwrap());
        }
    }
}

/// Long slices are checked and fed in runs: the kernels' state carries across runs, and an infinity in a
/// later run leaves the stream as it was.
#[test]
fn a_long_slice_is_fed_as_pushes_and_an_infinity_late_in_it_changes_nothing() {
    let xs: Vec<f64> = (0..10_000)
        .map(|i| match i % 997 {
            0 => f64::NAN,
            500 => 400.0,
            _ => 100.0 + ((i * 37) % 23) as f64,
        })
        .collect();
    for m in [
        Method::baseline_ratio(288, 1.5),
        Method::Ewma(EwmaParams::default()),
        Method::Threshold(ThresholdParams {
            threshold: 150.0,
            duration: 1,
            ..ThresholdParams::default()
        }),
    ] {
        let mut one = Stream::new(&m, 2).unwrap();
        let pushed: Vec<_> = xs.iter().filter_map(|x| one.push(*x).unwrap()).collect();
        let mut many = Stream::new(&m, 2).unwrap();
        assert_eq!(pushed, many.extend(&xs).unwrap());
        assert!(pushed.len() >= 20, "{}: {}", m.name(), pushed.len());
        assert_eq!(one.to_json().unwrap(), many.to_json().unwrap());

        let before = many.to_json().unwrap();
        let mut bad = xs.clone();
        bad[7_001] = f64::NEG_INFINITY;
        let e = many.extend(&bad).unwrap_err();
        assert!(e.to_string().contains("values[7001]"), "{e}");
        assert_eq!(many.to_json().unwrap(), before);
    }
}

#[test]
fn extend_refuses_infinity_before_pushing_anything() {
    let mut s = Stream::new(&Method::baseline_ratio(3, 1.5), 1).unwrap();
    let before = s.to_json().unwrap();
    let e = s.extend(&[1.0, 2.0, f64::INFINITY]).unwrap_err();
    assert_eq!(e.code(), "not_finite");
    assert!(e.to_string().contains("values[2]"), "{e}");
    assert_eq!(s.to_json().unwrap(), before);
}

/// Hourly traffic with a daily cycle and a weekend dip: the day's autocorrelation is the higher, but the
/// week explains clearly more, so `auto` takes the week and flags no weekend; the same cycle without the
/// dip keeps the day. (The example `examples/python/cost_watch.py` raised 27 weekend alerts before.)
#[test]
fn auto_takes_the_week_when_a_weekend_dip_rides_on_the_daily_cycle() {
    let mut state = 7u64;
    let mut noise = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64 * 20.0 - 10.0
    };
    let n = 24 * 7 * 10;
    let ts: Vec<f64> = (0..n).map(|t| 1.7e9 + 3600.0 * t as f64).collect();
    let shape = |t: usize, dip: f64| {
        let day = 1.0 + 0.35 * (2.0 * std::f64::consts::PI * ((t % 24) as f64 - 6.0) / 24.0).sin();
        let weekend = if (t / 24) % 7 >= 5 { dip } else { 1.0 };
        (800.0 + 0.5 * t as f64) * day * weekend
    };
    let auto = Method::Auto(AutoParams::default());
    let week: Vec<f64> = (0..n).map(|t| shape(t, 0.8) + noise()).collect();
    // ten weeks: long enough for `auto` to be `calibrated`, which needs no season and flags no weekend
    let d = detect(&week, Some(&ts), &auto, 1).unwrap();
    assert!(d.method.starts_with("calibrated"), "{}", d.method);
    assert!(d.alerts.is_empty(), "{:?}", d.alerts.first());
    // six weeks less a period (below 1,200 periods): the seasonal rule, with the week chosen
    let short = 999;
    let d = detect(&week[..short], Some(&ts[..short]), &auto, 1).unwrap();
    assert_eq!(d.season_length, Some(168));
    assert!(d.alerts.is_empty(), "{:?}", d.alerts.first());
    let day: Vec<f64> = (0..n).map(|t| shape(t, 1.0) + noise()).collect();
    assert_eq!(
        detect(&day[..short], Some(&ts[..short]), &auto, 1)
            .unwrap()
            .season_length,
        Some(24)
    );
}

/// What monitoring systems export: a clock step backwards is sorted and counted, repeated timestamps
/// are combined (mean by default, sum on request), and the verdicts stay aligned with the input rows.
#[test]
fn real_exports_are_sorted_combined_and_counted() {
    use scaleplan::anomaly::{Aggregate, detect_with};
    let mut ts: Vec<f64> = (0..40).map(|i| 300.0 * f64::from(i)).collect();
    let mut xs = vec![10.0; 40];
    xs[30] = 50.0;
    // a clock step back: rows 20 and 21 swapped; row 25 sent twice
    ts.swap(20, 21);
    ts.insert(26, ts[25]);
    xs.insert(26, 10.0);
    let m = Method::baseline_ratio(7, 1.5);
    let d = detect(&xs, Some(&ts), &m, 1).unwrap();
    assert_eq!(d.ingest.out_of_order, 1);
    assert_eq!(d.ingest.aggregated, 1);
    assert_eq!(d.ingest.aggregate, Aggregate::Mean);
    assert_eq!((d.ingest.periods, d.missing, d.step), (40, 0, Some(300.0)));
    assert_eq!(d.flags.len(), 41);
    // the spike (input row 31 after the insertion) is the only flag, and the alert names its row
    assert_eq!(
        d.flags
            .iter()
            .enumerate()
            .filter(|(_, f)| **f)
            .map(|(i, _)| i)
            .collect::<Vec<_>>(),
        vec![31]
    );
    assert_eq!(d.alerts.len(), 1);
    assert_eq!(d.alerts[0].start_index, 31);
    assert_eq!(d.alerts[0].time, 300.0 * 30.0);
    // counts: the duplicate period holds the sum and is flagged (20 is 2x the trailing mean of 10)
    let s = detect_with(&xs, Some(&ts), &m, 1, Aggregate::Sum).unwrap();
    assert_eq!(s.ingest.aggregate, Aggregate::Sum);
    assert!(s.flags[25] && s.flags[26], "{:?}", &s.flags[20..32]);
    assert_eq!(Aggregate::parse("sum").unwrap(), Aggregate::Sum);
    assert_eq!(
        Aggregate::parse("median").unwrap_err().code(),
        "unknown_variant"
    );
}

/// Calendar months and quarters are steps of the grid: February is one period, not 0.9 of a 31-day
/// one; a missing month is one missing period. Unix seconds and milliseconds.
#[test]
fn calendar_months_and_quarters_are_steps() {
    // first of each month, 2023-01 .. 2026-12 (48 months), in Unix seconds; 2024-07 missing
    let days_from_civil = |y: i64, m: i64| {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    };
    let mut ts = Vec::new();
    for y in 2023..2027 {
        for m in 1..=12 {
            if (y, m) != (2024, 7) {
                ts.push(86_400.0 * days_from_civil(y, m) as f64);
            }
        }
    }
    let xs = vec![100.0; ts.len()];
    let m = Method::Auto(AutoParams::default());
    let d = detect(&xs, Some(&ts), &m, 1).unwrap();
    assert_eq!(
        (d.ingest.grid.as_str(), d.ingest.periods, d.missing),
        ("month", 48, 1)
    );
    let ms: Vec<f64> = ts.iter().map(|t| t * 1000.0).collect();
    let d = detect(&xs, Some(&ms), &m, 1).unwrap();
    assert_eq!((d.ingest.grid.as_str(), d.ingest.periods), ("month", 48));
    // month ends (pandas "ME"): the 28th to the 31st
    let ends: Vec<f64> = (0..36)
        .map(|k| 86_400.0 * (days_from_civil(2023 + (k + 1) / 12, (k + 1) % 12 + 1) - 1) as f64)
        .collect();
    let d = detect(&[1.0; 36], Some(&ends), &m, 1).unwrap();
    assert_eq!(
        (d.ingest.grid.as_str(), d.ingest.periods, d.missing),
        ("month", 36, 0)
    );
    let quarters: Vec<f64> = (0..20)
        .map(|k| 86_400.0 * days_from_civil(2020 + k / 4, 3 * (k % 4) + 1) as f64)
        .collect();
    let d = detect(&[1.0; 20], Some(&quarters), &m, 1).unwrap();
    assert_eq!(
        (d.ingest.grid.as_str(), d.ingest.periods, d.missing),
        ("quarter", 20, 0)
    );
}

/// A deterministic noise source in [-1, 1) (an LCG; the tests need no statistics of it).
fn lcg(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// The calibrated detector with its defaults, no timestamps, cooldown 1.
fn calibrated(x: &[f64]) -> scaleplan::anomaly::Detection {
    detect(x, None, &Method::Calibrated(CalibratedParams::default()), 1).unwrap()
}

/// SPOT keeps anomalies out of the calibration: a first incident far past the threshold does not raise
/// the bar for a second, smaller one a week later (with the incident learnt, the tail fit of the
/// single-value scale jumped to the first incident's size and the second was missed).
#[test]
fn one_incident_does_not_raise_the_bar_for_the_next() {
    let mut noise = lcg(11);
    let mut x: Vec<f64> = (0..6000).map(|_| 100.0 + 5.0 * noise()).collect();
    x[2000] = 100.0 + 5.0 * 400.0;
    x[4000] = 100.0 + 5.0 * 12.0;
    let d = calibrated(&x);
    let starts: Vec<u64> = d.alerts.iter().map(|a| a.start_index).collect();
    assert_eq!(starts, vec![2000, 4000], "{:?}", d.alerts.first());
    assert!(d.alerts[1].reason.contains("calibrated threshold"));
}

/// One ongoing anomaly is one alert, but a new and clearly stronger one in the refractory period is
/// raised: 100 periods after a first incident (past the longest scale, 48) a second one more than twice
/// as far past its threshold escalates, with a reason that says so; a weaker one, or a stronger one
/// within 48 periods of the alert (the same incident growing), is not raised. A stream, saved and
/// resumed in the refractory period, gives the same alerts.
#[test]
fn a_stronger_anomaly_in_the_refractory_period_escalates() {
    let method = Method::Calibrated(CalibratedParams::default());
    let series = |second: usize, size: f64| {
        let mut noise = lcg(23);
        let mut x: Vec<f64> = (0..4000).map(|_| 100.0 + 5.0 * noise()).collect();
        x[2000] = 100.0 + 5.0 * 15.0;
        x[second] = 100.0 + 5.0 * size;
        x
    };
    let starts = |x: &[f64]| -> Vec<u64> {
        let d = detect(x, None, &method, 1).unwrap();
        d.alerts.iter().map(|a| a.start_index).collect()
    };
    let x = series(2100, 200.0);
    let d = detect(&x, None, &method, 1).unwrap();
    let got: Vec<u64> = d.alerts.iter().map(|a| a.start_index).collect();
    assert_eq!(got, vec![2000, 2100], "{:?}", d.alerts);
    assert!(!d.alerts[0].reason.contains("refractory"));
    assert!(
        d.alerts[1]
            .reason
            .contains("raised in the refractory period of an earlier alert"),
        "{}",
        d.alerts[1].reason
    );
    // weaker than the first: quiet, as before escalation
    assert_eq!(starts(&series(2100, 12.0)), vec![2000]);
    // as strong, but 30 periods after the alert (the 48-period mean still holds it): one incident
    assert_eq!(starts(&series(2030, 200.0)), vec![2000]);
    // the stream, saved and resumed between the two, raises the same two
    let mut s = Stream::new(&method, 1).unwrap();
    let mut opened = Vec::new();
    for (i, &xi) in x.iter().enumerate() {
        if i == 2050 {
            s = Stream::from_json(&s.to_json().unwrap()).unwrap();
        }
        if let Some(ev) = s.push(xi).unwrap()
            && ev.event == EventKind::Opened
        {
            opened.push(ev.alert.start_index);
        }
    }
    assert_eq!(opened, vec![2000, 2100]);
}

/// An alert's aftermath is not learnt: for the longest scale's span after an alert (48 periods), the
/// longer scales' means still hold the alerting spike, and those scores are the incident's, not the
/// normal tail's. Learnt, a dozen moderate spikes raised the 48-period scale's threshold enough that a
/// later small level shift (0.6 of the noise's half-width for 200 periods) went unseen.
#[test]
fn an_alerts_aftermath_does_not_raise_the_bar() {
    let mut noise = lcg(29);
    let mut x: Vec<f64> = (0..6000).map(|_| 100.0 + 5.0 * noise()).collect();
    for i in (1000..5000).step_by(350) {
        x[i] += 50.0;
    }
    for v in &mut x[5500..5700] {
        *v += 3.0;
    }
    let d = calibrated(&x);
    let starts: Vec<u64> = d.alerts.iter().map(|a| a.start_index).collect();
    let spikes: Vec<u64> = (1000..5000).step_by(350).collect();
    assert_eq!(&starts[..spikes.len()], &spikes[..], "{starts:?}");
    assert_eq!(starts.len(), spikes.len() + 1, "{starts:?}");
    let shift = &d.alerts[spikes.len()];
    assert!((5500..5560).contains(&shift.start_index), "{shift:?}");
    assert!(
        shift.reason.contains("the mean of the last"),
        "{}",
        shift.reason
    );
}

/// A series of mostly equal values has scores with no spread, and a threshold at its largest score
/// would alert on any change at all (a zero-valued disk metric alerted every day, refractory apart).
/// No threshold is below the Gaussian one for the same budget: here 4.15 robust σ for one value.
#[test]
fn a_flat_series_alerts_only_past_the_gaussian_floor() {
    let mut noise = lcg(5);
    // a quantised metric: 0 nine periods in ten, 1 the tenth, and a few small bumps
    let mut x: Vec<f64> = (0..5000)
        .map(|i| if i % 10 == 0 { 1.0 } else { 0.0 })
        .collect();
    for i in (1000..4000).step_by(97) {
        x[i] = 0.5 + 0.1 * noise();
    }
    let d = calibrated(&x);
    assert!(d.alerts.is_empty(), "{:?}", d.alerts.first());
    x[4500] = 40.0;
    let d = calibrated(&x);
    assert_eq!(d.alerts.len(), 1, "{:?}", d.alerts);
    assert_eq!(d.alerts[0].start_index, 4500);
}

/// The short-series cut-off matches scipy's Student t quantile (1e-9 relative), and the independent
/// numpy simulation beside it finds the budget it was chosen for within a factor of 1.5.
#[test]
fn the_short_series_cutoff_matches_scipy() {
    for c in reference()["short_series_cutoff"].as_array().unwrap() {
        let (b, w) = (c["budget"].as_f64().unwrap(), c["window"].as_u64().unwrap());
        let got = short_series_cutoff(b, w as usize);
        let want = c["cutoff"].as_f64().unwrap();
        assert!(
            close(got, want, 1e-9),
            "budget {b}, window {w}: {got} vs {want}"
        );
        if let Some(rate) = c["simulated_periods_per_alarm"].as_f64() {
            assert!((b / 1.5..b * 1.5).contains(&rate), "{b}: {rate}");
        }
    }
}

/// On Gaussian noise shorter than 1,200 periods, `auto`'s fixed rules alert about once per budget:
/// 400 series of 1,100 periods (about 425,000 scored) at the default 10,000 give 20 to 85 alerts (the
/// Gaussian cut-off of 4 gave over 400), with 3 % of the points missing too (a rule that waited for a
/// full window would be nearly silent there).
#[test]
fn auto_on_short_gaussian_series_keeps_its_budget() {
    let mut u = lcg(11);
    let mut gauss = move || {
        let (a, b) = ((u() + 1.0) * 0.5, (u() + 1.0) * 0.5);
        (-2.0 * a.max(1e-300).ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    };
    let mut u2 = lcg(12);
    for (season, missing) in [(None, 0.0), (Some(24), 0.0), (None, 0.03)] {
        let method = Method::Auto(AutoParams {
            season_length: season,
            ..AutoParams::default()
        });
        let mut alerts = 0;
        for _ in 0..400 {
            let x: Vec<f64> = (0..1100)
                .map(|_| {
                    let v = 100.0 + gauss();
                    if (u2() + 1.0) * 0.5 < missing {
                        f64::NAN
                    } else {
                        v
                    }
                })
                .collect();
            alerts += detect(&x, None, &method, 1).unwrap().alerts.len();
        }
        assert!(
            (20..=85).contains(&alerts),
            "season {season:?}, missing {missing}: {alerts} alerts"
        );
    }
}

/// `auto` takes the alert budget: on a long series it is the calibrated detector's budget, on a short
/// one it sets the fixed rule's cut-off ([`short_series_cutoff`]); out-of-range budgets are refused as
/// for `calibrated`.
#[test]
fn auto_takes_the_alert_budget() {
    let mut noise = lcg(3);
    let x: Vec<f64> = (0..3000).map(|_| 50.0 + noise()).collect();
    let auto = |b: Option<f64>| {
        Method::Auto(AutoParams {
            expected_false_alarms_per: b,
            ..AutoParams::default()
        })
    };
    let d = detect(&x, None, &auto(Some(2000.0)), 1).unwrap();
    assert!(
        d.method.contains("expected_false_alarms_per=2000"),
        "{}",
        d.method
    );
    let d = detect(&x, None, &auto(None), 1).unwrap();
    assert!(
        d.method.contains("expected_false_alarms_per=10000"),
        "{}",
        d.method
    );
    // 500 periods: robust_z over a full window of 50 with the cut-off for 1 in 2,000 to two decimals
    // (scipy, in testdata/anomaly/reference.json: 4.2808415)
    let d = detect(&x[..500], None, &auto(Some(2000.0)), 1).unwrap();
    assert!(
        d.method.starts_with("robust_z(window=50, threshold=4.28)"),
        "{}",
        d.method
    );
    let d = detect(&x[..500], None, &auto(None), 1).unwrap();
    assert!(
        d.method.starts_with("robust_z(window=50, threshold=5.02)"),
        "{}",
        d.method
    );
    for bad in [5.0, f64::NAN, f64::INFINITY] {
        let e = detect(&x, None, &auto(Some(bad)), 1).unwrap_err();
        assert!(e.to_string().contains("expected_false_alarms_per"), "{e}");
    }
    let s = Stream::new(&auto(Some(2000.0)), 1).unwrap();
    assert!(s.to_json().unwrap().contains("\"budget\":2000"));
}
