//! `testdata/errors.json`: one triggering input per error code, the same cases as the Python and Node suites.

use scaleplan::significance::*;
use scaleplan::{Error, ErrorKind, json};
use serde_json::Value;

fn root() -> String {
    format!("{}/..", env!("CARGO_MANIFEST_DIR"))
}

fn num(v: &Value) -> f64 {
    match v {
        Value::String(s) => match s.as_str() {
            "NaN" => f64::NAN,
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            other => panic!("unknown number {other}"),
        },
        v => v.as_f64().expect("number"),
    }
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(num).collect()
}

fn doc(v: &Value) -> String {
    match v {
        Value::String(s) if s.ends_with(".json") => {
            std::fs::read_to_string(format!("{}/{s}", root())).unwrap()
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What a binding does: arms arrive as float tuples and are validated by the core.
fn call(name: &str, a: &Value) -> Result<(), Error> {
    let opts = || -> Result<TestOptions, Error> {
        let mut o = TestOptions::default();
        if let Some(x) = a.get("alpha") {
            o.alpha = num(x);
        }
        if let Some(x) = a.get("alternative") {
            o.alternative = x.as_str().unwrap().parse()?;
        }
        Ok(o)
    };
    let prop = |k: &str| {
        let v = nums(&a[k]);
        Proportion::from_f64(v[0], v[1]).map_err(|e| e.in_field(k))
    };
    let mean = |k: &str| {
        let v = nums(&a[k]);
        MeanSummary::from_f64(v[0], v[1], v[2]).map_err(|e| e.in_field(k))
    };
    match name {
        "two_proportions" => {
            two_proportions(&prop("control")?, &prop("treatment")?, &opts()?).map(drop)
        }
        "welch" => welch(&mean("control")?, &mean("treatment")?, &opts()?).map(drop),
        "srm" => srm(
            &nums(&a["observed"]),
            &nums(&a["expected_weights"]),
            &SrmOptions::default(),
        )
        .map(drop),
        "holm" => holm(&nums(&a["p_values"])).map(drop),
        "benjamini_hochberg" => benjamini_hochberg(&nums(&a["p_values"])).map(drop),
        "sample_size_proportions" => {
            let mut o = PowerOptions::default();
            if let Some(p) = a.get("power") {
                o.power = num(p);
            }
            sample_size_proportions(num(&a["baseline_rate"]), num(&a["mde"]), &o).map(drop)
        }
        "two_proportions_batch" => two_proportions_batch(
            &nums(&a["control_visitors"]),
            &nums(&a["control_conversions"]),
            &nums(&a["treatment_visitors"]),
            &nums(&a["treatment_conversions"]),
            &TestOptions::default(),
        )
        .map(drop),
        "assess_readiness" => {
            let e: Experiment = json::from_str(&doc(&a["experiment"]))?;
            let p: ReadinessPolicy = json::from_str(&doc(&a["policy"]))?;
            assess_readiness(&e, &p).map(drop)
        }
        "sequential" => sequential(
            num(&a["estimate"]),
            num(&a["std_error"]),
            num(&a["sample_size"]),
            &SequentialOptions::default(),
            None,
        )
        .map(drop),
        other => estimate_call(other, a),
    }
}

/// The estimate functions, as the bindings call them (documents as JSON, the catalog from a file).
fn estimate_call(name: &str, a: &Value) -> Result<(), Error> {
    use scaleplan::estimate as est;
    let catalog = |v: &Value| {
        let text = std::fs::read_to_string(format!("{}/{}", root(), v.as_str().unwrap())).unwrap();
        est::PriceCatalog::from_toml(&text)
    };
    match name {
        "estimate" => {
            let r: est::EstimateRequest = json::from_str(&doc(&a["request"]))?;
            est::estimate(&r, &catalog(&a["catalog"])?).map(drop)
        }
        "usl_fit" => est::usl_fit(&nums(&a["concurrency"]), &nums(&a["throughput"])).map(drop),
        "erlang_c" => est::erlang_c(
            num(&a["arrival_rate"]),
            num(&a["mean_service_time"]),
            scaleplan::count_from_f64("servers", num(&a["servers"]))?,
            None,
        )
        .map(drop),
        "min_servers" => est::min_servers(
            num(&a["arrival_rate"]),
            num(&a["mean_service_time"]),
            a["criterion"].as_str().unwrap().parse()?,
            num(&a["value"]),
            None,
        )
        .map(drop),
        "cost_totals" => {
            let items: Vec<est::LineItem> = json::from_str(&doc(&a["line_items"]))?;
            est::cost_totals(&items, a["currency"].as_str().unwrap().parse()?).map(drop)
        }
        "load_catalog" => {
            let text = a["text"].as_str().unwrap();
            match a["format"].as_str().unwrap() {
                "toml" => est::PriceCatalog::from_toml(text).map(drop),
                _ => est::PriceCatalog::from_json(text).map(drop),
            }
        }
        "impact" => {
            let i: est::ImpactInput = json::from_str(&doc(&a["input"]))?;
            est::impact(&i).map(drop)
        }
        "hpa_desired_replicas" => {
            let pods: Vec<est::Pod> = json::from_str(&doc(&a["pods"]))?;
            est::hpa_desired_replicas(
                scaleplan::count_from_f64("current_replicas", num(&a["current_replicas"]))?,
                &pods,
                num(&a["target_utilization_percent"]),
                0.1,
            )
            .map(drop)
        }
        other => other_call(other, a),
    }
}

/// Anomaly, budget, replay and rollout-service calls, as the bindings make them.
fn other_call(name: &str, a: &Value) -> Result<(), Error> {
    use scaleplan::anomaly as an;
    use scaleplan::rollout as ro;
    let t = |v: &Value| ro::Timestamp::parse_field("now", v.as_str().unwrap());
    match name {
        "detect" => {
            let m: an::Method = json::from_str(r#"{"method": "auto"}"#)?;
            an::detect(
                &nums(&a["values"]),
                Some(&nums(&a["timestamps"])),
                &m,
                an::DEFAULT_COOLDOWN,
            )
            .map(drop)
        }
        "budget_status" => {
            let b: an::budget::Budget = json::from_str(&a["budget"].to_string())?;
            let e: Vec<an::budget::CostEntry> = json::from_str(&a["entries"].to_string())?;
            let d = an::budget::Date::parse("as_of", a["as_of"].as_str().unwrap())?;
            an::budget::budget_status(&b, &e, d).map(drop)
        }
        "stream_from_json" => {
            let m: an::Method = json::from_str(&format!(r#"{{"method": {}}}"#, a["method"]))?;
            let mut state: Value =
                serde_json::from_str(&an::Stream::new(&m, an::DEFAULT_COOLDOWN)?.to_json()?)
                    .unwrap();
            for (k, v) in a["set"].as_object().unwrap() {
                state[k] = v.clone();
            }
            an::Stream::from_json(&state.to_string()).map(drop)
        }
        "simulate" => ro::simulate(a["input"].as_str().unwrap()).map(drop),
        "rollout" => {
            // A fresh service (memory, or `store` as a SQLite path); every step but the last succeeds.
            if let Some(path) = a.get("store").and_then(Value::as_str) {
                let store = scaleplan::store::SqliteStore::open(path)?;
                return rollout_steps(
                    &ro::Service::new(store, scaleplan::deploy::SimulatedDeployer::new(60)),
                    a,
                    t,
                );
            }
            let svc = ro::Service::new(
                scaleplan::store::MemoryStore::new(),
                scaleplan::deploy::SimulatedDeployer::new(60),
            );
            rollout_steps(&svc, a, t)
        }
        other => panic!("unknown call {other}"),
    }
}

fn rollout_steps<S: scaleplan::store::Store>(
    svc: &scaleplan::rollout::Service<S, scaleplan::deploy::SimulatedDeployer>,
    a: &Value,
    t: impl Fn(&Value) -> Result<scaleplan::rollout::Timestamp, Error>,
) -> Result<(), Error> {
    use scaleplan::rollout as ro;
    for step in a["steps"].as_array().unwrap() {
        let id = step["id"].as_str().unwrap();
        match step["op"].as_str().unwrap() {
            "create" => {
                let plan: ro::RolloutPlan = json::from_str(&step["plan"].to_string())?;
                let who: ro::Actor = json::from_str(&step["initiator"].to_string())?;
                svc.create(id, plan, ro::GatePolicy::default(), &who, t(&step["now"])?)?;
            }
            "execute" => {
                let cmd: ro::Command = json::from_str(&step["command"].to_string())?;
                let v = step.get("expected_version").and_then(Value::as_u64);
                svc.execute(id, cmd, t(&step["now"])?, v, None)?;
            }
            "observe" => {
                let w: ro::Window = json::from_str(&step["window"].to_string())?;
                let who: ro::Actor = json::from_str(&step["actor"].to_string())?;
                svc.observe(id, &who, Some(w), Vec::new(), t(&step["now"])?, None)?;
            }
            "report_incident" => {
                let i: ro::Incident = json::from_str(&step["incident"].to_string())?;
                let who: ro::Actor = json::from_str(&step["actor"].to_string())?;
                svc.report_incident(id, &who, &i)?;
            }
            other => panic!("unknown step {other}"),
        }
    }
    Ok(())
}

fn field(e: &Error) -> Option<String> {
    match e {
        Error::NotFinite { field, .. }
        | Error::Negative { field, .. }
        | Error::NotInteger { field, .. }
        | Error::OutOfRange { field, .. }
        | Error::TooFewObservations { field, .. }
        | Error::EmptyInput { field }
        | Error::LengthMismatch { field, .. }
        | Error::UnknownVariant { field, .. } => Some(field.clone()),
        Error::ConversionsExceedVisitors { arm, .. } => Some(arm.clone()),
        _ => None,
    }
}

#[test]
fn every_error_case_gives_its_code_and_field() {
    let text = std::fs::read_to_string(format!("{}/testdata/errors.json", root())).unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    for c in fixture["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let err = call(c["call"].as_str().unwrap(), &c["args"]).expect_err(name);
        assert_eq!(err.code(), c["code"].as_str().unwrap(), "{name}: {err}");
        if let Some(f) = c["field"].as_str() {
            // A field-carrying error names exactly this field (or it, then a hint in parentheses).
            if let Some(got) = field(&err) {
                assert!(
                    got == f || got.starts_with(&format!("{f} ")),
                    "{name}: {err}"
                );
            }
            assert!(
                err.to_string().contains(f),
                "{name}: message `{err}` names the field"
            );
        }
        let kind = match c["kind"].as_str().unwrap() {
            "numerical" => ErrorKind::Numerical,
            "illegal_transition" => ErrorKind::IllegalTransition,
            "conflict" => ErrorKind::Conflict,
            "forbidden" => ErrorKind::Forbidden,
            "not_found" => ErrorKind::NotFound,
            "storage" => ErrorKind::Storage,
            "invalid_input" => ErrorKind::InvalidInput,
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(err.kind(), kind, "{name}");
        codes.insert(err.code());
    }
    // Every input-error code is reachable from the shared fixture, except those covered below.
    for code in [
        "not_finite",
        "negative",
        "not_integer",
        "conversions_exceed_visitors",
        "out_of_range",
        "too_few_observations",
        "empty_input",
        "length_mismatch",
        "zero_variance",
        "unknown_variant",
        "unknown_metric",
        "json",
        "overflow",
        "unknown_resource",
        "unknown_currency",
        "currency_mismatch",
        "capacity_unreachable",
    ] {
        assert!(codes.contains(code), "no fixture case for {code}");
    }
    // Every code the core can return has a case in the shared fixture, except the four the fixture's
    // note names (`wrong_type` is made by the bindings, `deploy` by the simulated deployer's injected
    // failure, `no_convergence` by no known input, `invalid_decimal` by Rust's `Money::parse` only),
    // tested where they arise.
    let e = scaleplan::money::Money::parse("12.3.4", scaleplan::money::Currency::USD).unwrap_err();
    assert_eq!(
        (e.code(), e.kind()),
        ("invalid_decimal", ErrorKind::InvalidInput)
    );
    let source = std::fs::read_to_string(format!("{}/core/src/error.rs", root())).unwrap();
    let all: std::collections::BTreeSet<&str> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Error::"))
        .filter_map(|l| l.split("=> \"").nth(1))
        .filter_map(|l| l.strip_suffix("\","))
        .collect();
    assert!(all.len() >= 40, "{all:?}");
    let missing: Vec<_> = all
        .iter()
        .filter(|c| {
            !codes.contains(*c)
                && !["wrong_type", "deploy", "no_convergence", "invalid_decimal"].contains(*c)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture case: {missing:?}"
    );
}

#[test]
fn duplicate_metric_names_are_rejected() {
    let text =
        std::fs::read_to_string(format!("{}/examples/data/experiment.json", root())).unwrap();
    let mut e: Experiment = json::from_str(&text).unwrap();
    e.metrics.push(e.metrics[0].clone());
    let p = ReadinessPolicy {
        primary_metric: "conversion".into(),
        ..Default::default()
    };
    let err = assess_readiness(&e, &p).unwrap_err();
    assert_eq!(err.code(), "duplicate_name");
    assert_eq!(err.to_string(), "`metrics` names `conversion` twice");
}

#[test]
fn messages_say_what_was_wrong() {
    let e = Proportion::from_f64(-5.0, 1.0).unwrap_err();
    assert_eq!(e.to_string(), "`visitors` must not be negative, got -5");
    let e = TestOptions {
        alpha: 1.5,
        ..Default::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(e.to_string(), "`alpha` must be in (0, 1), got 1.5");
    let e = json::from_str::<Proportion>("{\"visitors\": 1").unwrap_err();
    assert!(
        matches!(
            e,
            Error::Json {
                what: "Proportion",
                line: 1,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn batch_into_rejects_short_output_columns() {
    use scaleplan::significance::{ProportionsColumns, TestOptions, two_proportions_batch_into};
    let mut full = [[0.0; 2]; 7];
    let mut short = [0.0; 1];
    let [a, b, c, d, e, f, g] = &mut full;
    let cols = ProportionsColumns {
        z: a,
        p_value: &mut short,
        absolute_effect: b,
        absolute_ci_lo: c,
        absolute_ci_hi: d,
        relative_lift: e,
        relative_ci_lo: f,
        relative_ci_hi: g,
    };
    let v = [100.0, 100.0];
    let err = two_proportions_batch_into(
        &v,
        &[1.0, 2.0],
        &v,
        &[3.0, 4.0],
        &TestOptions::default(),
        cols,
    )
    .unwrap_err();
    assert_eq!(err.code(), "length_mismatch");
    assert!(err.to_string().contains("p_value"), "{err}");
}

#[test]
fn batch_reports_the_first_bad_row_after_the_fused_pass() {
    use scaleplan::significance::{TestOptions, two_proportions_batch};
    let v = [100.0, 100.0, 100.0];
    let err = two_proportions_batch(
        &v,
        &[1.0, 2.5, f64::NAN],
        &v,
        &[3.0, 4.0, 5.0],
        &TestOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "not_integer");
    assert!(err.to_string().contains("control[1].conversions"), "{err}");
}
