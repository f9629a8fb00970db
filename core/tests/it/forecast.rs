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
