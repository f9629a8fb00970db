//! `predictive_schedule` and `backtest_schedule`, derived by hand: a load of 100 req/s at night and
//! 700 req/s from 09:00 to 17:00, 0.01 CPU-s per request, the linear model at 70 % of 2 vCPU (so 1 and 5
//! instances), $0.10 an hour, the seasonal-naive forecast (which repeats the last day exactly) sized at
//! its median, 5 minutes of pre-warm and of scale-in delay.

use scaleplan::estimate::{
    CapacityModel, PriceCatalog, ScheduleMode, ScheduleOptions, backtest_schedule,
    predictive_schedule,
};
use scaleplan::forecast::ModelChoice;
use scaleplan::rollout::Timestamp;

fn catalog() -> PriceCatalog {
    PriceCatalog::from_json(
        r#"{"name": "demo", "currency": "USD",
            "instances": [{"name": "app.large", "vcpu": 2, "memory_gib": 8, "hourly": "0.10"}]}"#,
    )
    .unwrap()
}

fn days(n: i64) -> (Vec<f64>, Vec<Timestamp>) {
    let h: Vec<f64> = (0..24 * n)
        .map(|h| {
            if (9..17).contains(&(h % 24)) {
                700.0
            } else {
                100.0
            }
        })
        .collect();
    let t = (0..24 * n)
        .map(|h| Timestamp::from_unix(3_600 * h))
        .collect();
    (h, t)
}

fn options() -> ScheduleOptions {
    ScheduleOptions {
        instance_type: "app.large".into(),
        cpu_seconds_per_request: 0.01,
        forecast_model: ModelChoice::SeasonalNaive,
        quantile: 0.5,
        ..ScheduleOptions::default()
    }
}

#[test]
fn the_schedule_its_price_and_the_reactive_baseline() {
    let (h, t) = days(3);
    let s = predictive_schedule(&h, &t, &CapacityModel::default(), &catalog(), &options()).unwrap();
    assert_eq!(s.steps.len(), 48);
    assert_eq!(s.season_length, Some(24));
    assert_eq!(s.period_secs, 3_600);
    // four actions: up at 08:55 and down at 17:05, each day
    let acts: Vec<(String, u64, u64)> = s
        .actions
        .iter()
        .map(|a| (a.at.to_string(), a.from, a.to))
        .collect();
    assert_eq!(
        acts,
        vec![
            ("1970-01-04T08:55:00Z".into(), 1, 5),
            ("1970-01-04T17:05:00Z".into(), 5, 1),
            ("1970-01-05T08:55:00Z".into(), 1, 5),
            ("1970-01-05T17:05:00Z".into(), 5, 1),
        ]
    );
    // predictive: 1 instance over 48 h 10 min plus 4 more for 8 h 10 min twice = 113.5 instance-hours
    assert_eq!(s.cost.amount.normalize().to_string(), "11.35");
    // reactive: each 09:00 hour runs on the night's 1 instance (short), the 17:00 hour still on 5; 5
    // from 10:00 to 18:05: 48 h 5 min + 2 x 4 x 8 h 5 min = 112.75 instance-hours
    assert_eq!(s.reactive_short_periods, 2);
    assert_eq!(s.reactive_cost.amount.normalize().to_string(), "11.275");
    // static peak: 5 for 48 h
    assert_eq!(s.static_peak_cost.amount.normalize().to_string(), "24");
    assert!(
        s.steps[9].reason.contains("SeasonalNaive"),
        "{}",
        s.steps[9].reason
    );
    assert!(
        s.steps[9]
            .reason
            .contains("5 x app.large by the linear model")
    );
    // the instances running at each period's start cover its need
    assert!(s.steps.iter().all(|x| x.instances >= x.needed));
}

#[test]
fn forecast_only_reports_without_acting_and_the_ceiling_is_honoured() {
    let (h, t) = days(3);
    let o = ScheduleOptions {
        mode: ScheduleMode::ForecastOnly,
        max_instances: Some(3),
        ..options()
    };
    let s = predictive_schedule(&h, &t, &CapacityModel::default(), &catalog(), &o).unwrap();
    assert!(s.actions.is_empty());
    assert_eq!(s.steps[9].needed, 3);
    assert_eq!(s.capped_periods, 16);
    assert!(s.notes.iter().any(|n| n.contains("max_instances 3")));
    // a higher quantile never plans less than the median
    let q = ScheduleOptions {
        quantile: 0.95,
        forecast_model: ModelChoice::Auto,
        ..options()
    };
    let hi = predictive_schedule(&h, &t, &CapacityModel::default(), &catalog(), &q).unwrap();
    assert!(hi.steps.iter().all(|x| x.planned_rps >= x.forecast - 1e-9));
}

#[test]
fn the_backtest_counts_short_periods_and_costs() {
    let (h, t) = days(10);
    let b =
        backtest_schedule(&h, &t, &CapacityModel::default(), &catalog(), &options(), 3).unwrap();
    assert_eq!((b.origins.len(), b.periods), (3, 72));
    // the seasonal naive forecast is exact on a repeating day: never short; reactive is short at each
    // 09:00 hour
    assert_eq!(
        (b.predictive_short_periods, b.reactive_short_periods),
        (0, 3)
    );
    // static: 5 for 72 h
    assert_eq!(b.static_peak_cost.amount.normalize().to_string(), "36");
    assert!(b.predictive_cost.amount < b.static_peak_cost.amount);
}

#[test]
fn bad_input_is_a_typed_error() {
    let (h, mut t) = days(3);
    let m = CapacityModel::default();
    let code = |h: &[f64], t: &[Timestamp], o: &ScheduleOptions| {
        predictive_schedule(h, t, &m, &catalog(), o)
            .unwrap_err()
            .code()
    };
    assert_eq!(
        code(
            &h,
            &t,
            &ScheduleOptions {
                instance_type: "app.huge".into(),
                ..options()
            }
        ),
        "unknown_resource"
    );
    assert_eq!(
        code(
            &h,
            &t,
            &ScheduleOptions {
                quantile: 1.0,
                ..options()
            }
        ),
        "out_of_range"
    );
    let mut neg = h.clone();
    neg[5] = -1.0;
    assert_eq!(code(&neg, &t, &options()), "negative");
    assert_eq!(code(&h[..10], &t, &options()), "length_mismatch");
    t[7] = Timestamp::from_unix(7 * 3_600 + 60);
    assert_eq!(code(&h, &t, &options()), "invalid_timestamps");
    let (h, t) = days(3);
    assert_eq!(
        backtest_schedule(&h, &t, &m, &catalog(), &options(), 3)
            .unwrap_err()
            .code(),
        "too_few_observations"
    );
}
