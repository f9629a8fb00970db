//! Forecasting: model choice, intervals, benchmarks, exhaustion, errors, invariants.

use proptest::prelude::*;
use scaleplan::forecast::{
    ForecastOptions, ModelChoice, exhaustion, forecast, growth_rate, seasonal_naive,
};

fn seasonal_series(n: usize, m: usize) -> Vec<f64> {
    (0..n)
        .map(|t| {
            let phase = (t % m) as f64 / m as f64;
            (500.0 + 3.0 * t as f64) * (1.0 + 0.3 * (2.0 * std::f64::consts::PI * phase).sin())
                + ((t * 7919) % 17) as f64
        })
        .collect()
}

#[test]
fn the_result_names_its_model_and_holds_its_band() {
    let y = seasonal_series(96, 12);
    let f = forecast(
        &y,
        &ForecastOptions {
            horizon: 24,
            season_length: Some(12),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        f.model.starts_with("ETS(") && !f.model.ends_with(",N)"),
        "{}",
        f.model
    );
    assert_eq!(f.candidates[0].model, f.model);
    assert!(f.candidates.windows(2).all(|w| w[0].aicc <= w[1].aicc));
    for i in 0..24 {
        assert!(f.lower[i] <= f.mean[i] && f.mean[i] <= f.upper[i]);
    }
    // The seasonal pattern carries on: next year's peak month is above its trough.
    let peak = f.mean[15] - f.mean[21];
    assert!(peak > 200.0, "{peak}");
    let one = forecast(
        &y,
        &ForecastOptions {
            horizon: 6,
            season_length: Some(12),
            model: ModelChoice::Ets("ETS(A,Ad,A)".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(one.model, "ETS(A,Ad,A)");
    assert!(one.params.unwrap().phi >= 0.8);
}

#[test]
fn the_trend_smoothing_stays_under_its_cap() {
    // A slope that jumps every 8 periods: the likelihood alone would chase it with a large β.
    let mut level = 100.0;
    let y: Vec<f64> = (0..120)
        .map(|t| {
            let slope = if (t / 8) % 2 == 0 { 4.0 } else { -3.0 };
            level += slope;
            level + ((t * 7919) % 13) as f64
        })
        .collect();
    for (season, m, name) in [(None, 1, "ETS(A,A,N)"), (Some(12), 12, "ETS(A,A,A)")] {
        let f = forecast(
            &y,
            &ForecastOptions {
                horizon: 12,
                season_length: season,
                model: ModelChoice::Ets(name.into()),
                ..Default::default()
            },
        )
        .unwrap();
        let p = f.params.unwrap();
        assert!(
            p.beta > 0.0 && p.beta < 0.2 / m as f64 && p.beta < p.alpha,
            "{name}: {p:?}"
        );
    }
}

#[test]
fn long_seasons_work_and_short_histories_fall_back_visibly() {
    let y = seasonal_series(168 * 3, 168);
    let auto = forecast(
        &y,
        &ForecastOptions {
            horizon: 168,
            season_length: Some(168),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        auto.candidates.iter().any(|c| c.model == "ETS(M,A,M)"),
        "{:?}",
        auto.candidates
    );
    let options = ForecastOptions {
        horizon: 168,
        season_length: Some(168),
        model: ModelChoice::Ets("MAM".into()),
        ..Default::default()
    };
    let f = forecast(&y, &options).unwrap();
    assert_eq!(f.season_length, Some(168), "{}", f.model);
    let naive = seasonal_naive(&y, 168, Some(168), 95.0).unwrap();
    let truth = seasonal_series(168 * 4, 168);
    let mae = |m: &[f64]| {
        m.iter()
            .zip(&truth[168 * 3..])
            .map(|(a, b)| (a - b).abs())
            .sum::<f64>()
            / 168.0
    };
    assert!(
        mae(&f.mean) < mae(&naive.mean),
        "ETS {} vs naive {}",
        mae(&f.mean),
        mae(&naive.mean)
    );
    let short = forecast(
        &y[..200],
        &ForecastOptions {
            horizon: 5,
            season_length: Some(168),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        short.notes[0].starts_with("season 168 needs at least 336 values, got 200"),
        "{:?}",
        short.notes
    );
    assert_eq!(short.season_length, None);
    let tiny = forecast(
        &[5.0, 6.0, 7.0],
        &ForecastOptions {
            horizon: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(tiny.model, "Naive");
    assert!(tiny.notes[0].contains("too few"));
}

#[test]
fn bad_input_gets_typed_errors() {
    let o = ForecastOptions::default();
    assert_eq!(
        forecast(&[1.0], &o).unwrap_err().code(),
        "too_few_observations"
    );
    assert_eq!(
        forecast(&[1.0, f64::NAN, 3.0], &o).unwrap_err().code(),
        "not_finite"
    );
    assert_eq!(
        forecast(
            &[1.0, 2.0],
            &ForecastOptions {
                horizon: 0,
                ..o.clone()
            }
        )
        .unwrap_err()
        .code(),
        "out_of_range"
    );
    assert_eq!(
        forecast(
            &[1.0, 2.0],
            &ForecastOptions {
                level: 100.0,
                ..o.clone()
            }
        )
        .unwrap_err()
        .code(),
        "out_of_range"
    );
    let bad_model = ForecastOptions {
        model: ModelChoice::Ets("ETS(X,N,N)".into()),
        ..o.clone()
    };
    assert_eq!(
        forecast(&[1.0, 2.0, 3.0], &bad_model).unwrap_err().code(),
        "unknown_variant"
    );
    assert_eq!(
        growth_rate(&[1.0, 0.0, 2.0]).unwrap_err().code(),
        "out_of_range"
    );
    assert_eq!(
        exhaustion(&[1.0, 2.0, 3.0], f64::NAN, 5, None)
            .unwrap_err()
            .code(),
        "not_finite"
    );
}

#[test]
fn exhaustion_says_never_within_the_horizon() {
    let y: Vec<f64> = (0..36).map(|t| 1000.0 + ((t * 13) % 7) as f64).collect();
    let e = exhaustion(&y, 2000.0, 24, None).unwrap();
    assert_eq!(
        (e.period, e.upper_period, e.already_exceeded),
        (None, None, false)
    );
    assert!(e.reason.contains("stay below 2000"), "{}", e.reason);
    assert!(exhaustion(&y, 900.0, 24, None).unwrap().already_exceeded);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn intervals_widen_with_the_horizon(xs in prop::collection::vec(100.0..200.0f64, 8..60)) {
        // Exact intervals (the additive-error class) never narrow; simulated ones carry sampling noise.
        let f = forecast(&xs, &ForecastOptions { horizon: 12, model: ModelChoice::Ets("AAdN".into()), ..Default::default() }).unwrap();
        let width: Vec<f64> = f.upper.iter().zip(&f.lower).map(|(u, l)| u - l).collect();
        for w in width.windows(2) {
            // Simulated bands (multiplicative models) may wobble by sampling noise; exact ones never shrink.
            prop_assert!(w[1] >= w[0] - 1e-9, "{} then {} ({})", w[0], w[1], f.model);
        }
        prop_assert!(f.mean.iter().all(|v| v.is_finite()));
    }
}

#[test]
fn recommendation_lifecycle_by_named_steps() {
    use rust_decimal::Decimal;
    use scaleplan::anomaly::budget::Date;
    use scaleplan::forecast::savings::{ResourceUsage, SavingsOptions, Status, Step, recommend};
    use scaleplan::money::{Currency, Money};
    let web = ResourceUsage {
        id: "web".into(),
        units: 10,
        unit_monthly_cost: Money::parse("70.00", Currency::USD).unwrap(),
        utilisation: vec![12.0, 15.0, 18.0, 14.0, 16.0, 13.0, 17.0],
        observed_days: 30,
        reserved_discount: Some(Decimal::new(30, 2)),
    };
    let today = Date::new(2026, 7, 1).unwrap();
    let recs = recommend(&[web], &SavingsOptions::new(today)).unwrap();
    let step = |s: &str| s.parse::<Step>().unwrap();

    // pending -> approved -> implemented, each step recorded with its actor.
    let mut r = recs[0].clone();
    r.apply(step("approve"), today, "lead").unwrap();
    r.apply(step("implement"), today.add_days(2), "sre")
        .unwrap();
    assert_eq!(r.status, Status::Implemented);
    assert_eq!(
        r.apply(step("reject"), today, "lead").unwrap_err().code(),
        "illegal_transition"
    );
    // implement before approve is illegal; reject from approved is allowed.
    let mut r = recs[1].clone();
    assert_eq!(
        r.apply(step("implement"), today, "sre").unwrap_err().code(),
        "illegal_transition"
    );
    r.apply(step("approve"), today, "lead").unwrap();
    r.apply(step("reject"), today, "cfo").unwrap();
    assert_eq!(r.status, Status::Rejected);
    // expiry: no change before the day, expired on it, and then nothing can be approved.
    let mut r = recs[0].clone();
    let due = r.expires;
    r.apply(step("expire"), due.add_days(-1), "").unwrap();
    assert_eq!(r.status, Status::Pending);
    r.apply(step("expire"), due, "").unwrap();
    assert_eq!(r.status, Status::Expired);
    assert_eq!(
        r.apply(step("approve"), due, "lead").unwrap_err().code(),
        "illegal_transition"
    );
    assert_eq!(
        "undo".parse::<Step>().unwrap_err().code(),
        "unknown_variant"
    );
}

/// The backtest's windows, seasonal-naive forecasts, intervals and errors against statsforecast's
/// `cross_validation` and utilsforecast's losses (`testdata/forecast/make_backtest.py`, 1e-9 relative).
#[test]
fn backtest_matches_statsforecast_cross_validation() {
    use crate::tolerance::close;
    use scaleplan::forecast::backtest;
    let path = format!(
        "{}/../testdata/forecast/backtest.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON");
    let tol = doc["tolerance"].as_f64().expect("tolerance");
    let near = |a: f64, e: &serde_json::Value| close(a, e.as_f64().expect("number"), tol, 0.0);
    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let values: Vec<f64> = serde_json::from_value(case["values"].clone()).expect("values");
        let n = |k: &str| case[k].as_u64().expect(k) as usize;
        let options = ForecastOptions {
            horizon: n("horizon"),
            season_length: case["season_length"].as_u64().map(|m| m as usize),
            model: ModelChoice::SeasonalNaive,
            ..Default::default()
        };
        let b = backtest(&values, &options, n("windows"), Some(n("step"))).expect(name);
        let expected = case["expected"].as_array().expect("expected");
        assert_eq!(b.windows.len(), expected.len(), "{name}");
        for (w, e) in b.windows.iter().zip(expected) {
            assert_eq!(
                w.cutoff as u64,
                e["cutoff"].as_u64().expect("cutoff"),
                "{name}"
            );
            for (field, ours) in [("mean", &w.mean), ("lower", &w.lower), ("upper", &w.upper)] {
                let theirs = e[field].as_array().expect(field);
                assert_eq!(ours.len(), theirs.len());
                for (a, x) in ours.iter().zip(theirs) {
                    assert!(near(*a, x), "{name} {} {field}: {a} against {x}", w.cutoff);
                }
            }
            // The forecast is the benchmark here: both match the reference.
            for acc in [&w.accuracy, &w.benchmark] {
                assert!(
                    near(acc.smape, &e["smape"]),
                    "{name} {}: sMAPE {}",
                    w.cutoff,
                    acc.smape
                );
                assert!(
                    near(acc.mase.expect("mase"), &e["mase"]),
                    "{name} {}",
                    w.cutoff
                );
                assert!(near(acc.coverage, &e["coverage"]), "{name} {}", w.cutoff);
            }
        }
        let mean = |k: &str| {
            expected
                .iter()
                .map(|e| e[k].as_f64().expect(k))
                .sum::<f64>()
                / expected.len() as f64
        };
        assert!(close(b.accuracy.smape, mean("smape"), tol, 0.0));
        assert!(close(
            b.accuracy.mase.expect("mase"),
            mean("mase"),
            tol,
            0.0
        ));
        assert!(close(b.accuracy.coverage, mean("coverage"), tol, 0.0));
        assert!(
            b.summary
                .contains("does not beat the seasonal-naive benchmark"),
            "{}",
            b.summary
        );
    }
}

/// An ETS backtest scores the same windows against the same benchmark, and says which won.
#[test]
fn backtest_of_the_automatic_model_names_its_models_and_its_verdict() {
    let y = seasonal_series(96, 12);
    let options = ForecastOptions {
        horizon: 12,
        season_length: Some(12),
        ..Default::default()
    };
    let b = scaleplan::forecast::backtest(&y, &options, 3, None).unwrap();
    assert_eq!(
        b.windows.iter().map(|w| w.cutoff).collect::<Vec<_>>(),
        [60, 72, 84]
    );
    assert!(b.windows.iter().all(|w| w.model.starts_with("ETS(")));
    let naive = ForecastOptions {
        model: ModelChoice::SeasonalNaive,
        ..options.clone()
    };
    let n = scaleplan::forecast::backtest(&y, &naive, 3, None).unwrap();
    assert_eq!(b.benchmark, n.accuracy);
    // A trending seasonal series: the ETS model should beat repeating last year.
    let (ets, bench) = (b.accuracy.mase.unwrap(), b.benchmark.mase.unwrap());
    assert!(ets < bench, "{ets} against {bench}");
    assert!(b.summary.contains(&format!(
        "beats the seasonal-naive benchmark (MASE {ets:.3} against {bench:.3})"
    )));
}

#[test]
fn backtest_refuses_what_it_cannot_do_with_typed_errors() {
    use scaleplan::forecast::backtest;
    let y: Vec<f64> = (0..30).map(|t| 10.0 + t as f64).collect();
    let o = ForecastOptions {
        horizon: 6,
        model: ModelChoice::SeasonalNaive,
        ..Default::default()
    };
    assert_eq!(
        backtest(&y, &o, 0, None).unwrap_err().code(),
        "out_of_range"
    );
    assert_eq!(
        backtest(&y, &o, 2, Some(0)).unwrap_err().code(),
        "out_of_range"
    );
    // 5 windows 6 apart and 6 ahead need 6 + 4 x 6 + 2 = 32 values.
    let e = backtest(&y, &o, 5, None).unwrap_err();
    assert_eq!(e.code(), "too_few_observations");
    assert!(e.to_string().contains("32"), "{e}");
    assert!(backtest(&y, &o, 4, None).is_ok());
    assert_eq!(
        backtest(&y, &o, 3, Some(usize::MAX)).unwrap_err().code(),
        "too_few_observations"
    );
    let mut gap = y.clone();
    gap[3] = f64::NAN;
    assert_eq!(
        backtest(&gap, &o, 2, None).unwrap_err().code(),
        "not_finite"
    );
    // A flat history: MASE has no scale (None, never NaN); sMAPE of 0 against 0 is 0.
    let flat = vec![0.0; 20];
    let b = backtest(&flat, &o, 2, None).unwrap();
    assert_eq!(b.accuracy.mase, None);
    assert_eq!(b.accuracy.smape, 0.0);
    assert_eq!(b.accuracy.coverage, 1.0);
    assert!(b.summary.contains("MASE undefined"), "{}", b.summary);
}

/// The automatic forecast is the Akaike-weighted mean of the candidates' point forecasts (Kolassa 2011),
/// each candidate carrying its weight; the interval is the best model's, around the combination.
#[test]
fn auto_combines_candidates_by_akaike_weight() {
    // Quarterly-like: level with a mild trend and noise, where several models are close in AICc.
    let y: Vec<f64> = (0..40)
        .map(|t| 100.0 + 0.8 * t as f64 + ((t * 7919) % 13) as f64 - 6.0)
        .collect();
    let o = ForecastOptions {
        horizon: 8,
        season_length: Some(4),
        ..Default::default()
    };
    let f = forecast(&y, &o).unwrap();
    let total: f64 = f.candidates.iter().map(|c| c.weight).sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    let best = f.candidates[0].aicc;
    let members: Vec<_> = f.candidates.iter().filter(|c| c.weight > 0.0).collect();
    assert!(members.len() > 1, "{:?}", f.candidates);
    // Akaike weights: ratio exp(-Δ/2) between members, and none under 1 %.
    for c in &members {
        let ratio = c.weight / members[0].weight;
        assert!((ratio - (-0.5 * (c.aicc - best)).exp()).abs() < 1e-9);
        assert!(c.weight >= scaleplan::forecast::MIN_WEIGHT);
    }
    // The mean is the weighted mean of each member's own forecast.
    let mut mean = vec![0.0; 8];
    for c in &members {
        let single = forecast(
            &y,
            &ForecastOptions {
                model: ModelChoice::Ets(c.model.clone()),
                ..o.clone()
            },
        )
        .unwrap();
        for (m, s) in mean.iter_mut().zip(&single.mean) {
            *m += c.weight * s;
        }
    }
    for (a, b) in f.mean.iter().zip(&mean) {
        assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
    }
    // The interval: the best model's bounds relative to its forecast, around the combination.
    let best_alone = forecast(
        &y,
        &ForecastOptions {
            model: ModelChoice::Ets(f.model.clone()),
            ..o.clone()
        },
    )
    .unwrap();
    for j in 0..8 {
        let own = best_alone.upper[j] - best_alone.mean[j];
        assert!((f.upper[j] - f.mean[j] - own).abs() <= 1e-9 * own.abs().max(1.0));
        assert!(f.lower[j] <= f.mean[j] && f.mean[j] <= f.upper[j]);
    }
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("Akaike-weighted combination")),
        "{:?}",
        f.notes
    );
    // An explicit model is that model alone.
    assert_eq!(best_alone.candidates.len(), 0);
}
