//! The gating policy's scenarios (testdata/rollout/scenarios.json, hand-derived from the spec) replayed
//! through `simulate`, plus the replay's error cases.

use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/rollout/scenarios.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every key of `expected` equals the same key of `actual` (numbers compared as f64).
fn check_partial(ctx: &str, expected: &Value, actual: &Value) {
    let Value::Object(exp) = expected else {
        assert_eq!(expected, actual, "{ctx}");
        return;
    };
    for (k, v) in exp {
        if k == "reason_codes" {
            let codes: Vec<&str> = actual["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["code"].as_str().unwrap())
                .collect();
            let want: Vec<&str> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert_eq!(codes, want, "{ctx}: reason codes");
            continue;
        }
        let got = &actual[k];
        if let (Some(a), Some(b)) = (v.as_f64(), got.as_f64()) {
            assert_eq!(a, b, "{ctx}.{k}");
        } else if v.is_array() || v.is_object() {
            assert_eq!(normalise(v), normalise(got), "{ctx}.{k}");
        } else {
            assert_eq!(v, got, "{ctx}.{k}");
        }
    }
}

/// Integers written as floats (`500.0`) become integers, so that JSON from Python compares with Rust's.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        _ => v.clone(),
    }
}

fn check_scenario(s: &Value) {
    let name = s["name"].as_str().unwrap();
    let input = serde_json::to_string(&s["input"]).unwrap();
    let out: Value = serde_json::from_str(&scaleplan::rollout::simulate(&input).unwrap()).unwrap();
    let exp = &s["expect"];
    let decisions = out["decisions"].as_array().unwrap();
    if let Some(list) = exp.get("decisions") {
        for d in list.as_array().unwrap() {
            let at = d["at"].as_str().unwrap();
            let got = decisions
                .iter()
                .find(|x| x["at"] == at)
                .unwrap_or_else(|| panic!("{name}: no decision at {at}"));
            check_partial(&format!("{name} @ {at}"), d, got);
        }
    }
    if let Some(n) = exp.get("decision_count") {
        assert_eq!(
            decisions.len() as u64,
            n.as_u64().unwrap(),
            "{name}: decision count"
        );
    }
    if let Some(list) = exp.get("commands") {
        let got = out["commands"].as_array().unwrap();
        let want = list.as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{name}: command count");
        for (i, (w, g)) in want.iter().zip(got).enumerate() {
            check_partial(&format!("{name} command {i}"), w, g);
        }
    }
    for key in ["final"] {
        if let Some(f) = exp.get(key) {
            check_partial(&format!("{name} {key}"), f, &out[key]);
        }
    }
    for key in ["rollback", "alerts", "evidence_rejections"] {
        if let Some(v) = exp.get(key) {
            assert_eq!(normalise(v), normalise(&out[key]), "{name}: {key}");
        }
    }
    if let Some(list) = exp.get("audit") {
        assert_eq!(normalise(list), normalise(&out["audit"]), "{name}: audit");
    }
}

#[test]
fn every_policy_scenario_replays_as_the_spec_says() {
    let f = fixture();
    let scenarios = f["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 20);
    for s in scenarios {
        check_scenario(s);
    }
}

#[test]
fn invalid_replays_name_the_field() {
    let f = fixture();
    for case in f["errors"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let err = scaleplan::rollout::simulate(case["input"].as_str().unwrap()).unwrap_err();
        assert_eq!(err.code(), case["code"].as_str().unwrap(), "{name}: {err}");
        if let (Some(field), scaleplan::Error::InvalidReplay { field: got, .. }) =
            (case["field"].as_str(), &err)
        {
            assert_eq!(got, field, "{name}: {err}");
        }
    }
}

#[test]
fn replay_is_deterministic_and_compact() {
    let f = fixture();
    let input = serde_json::to_string(&f["scenarios"][1]["input"]).unwrap();
    let a = scaleplan::rollout::simulate(&input).unwrap();
    let b = scaleplan::rollout::simulate(&input).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with(r#"{"decisions":[{"at":"2025-06-02T00:05:00Z","decision":"hold","phase":1,"traffic_pct":10,"state":"running","version":1,"reasons":[{"code":"min_duration_not_elapsed","clean_since":"2025-06-02T00:00:00Z","remaining_secs":6900}"#), "{}", &a[..200]);
}

/// `testdata/rollout/golden.json` holds the replay output of every scenario as Rust writes it; the Python
/// and Node suites compare their bytes with it (one JSON in three languages). `SCALEPLAN_BLESS=1`
/// rewrites it after an intended change (the scenario expectations above stay the reference).
#[test]
fn replay_outputs_match_the_goldens_byte_for_byte() {
    let f = fixture();
    let mut golden = serde_json::Map::new();
    for s in f["scenarios"].as_array().unwrap() {
        let input = serde_json::to_string(&s["input"]).unwrap();
        let out = scaleplan::rollout::simulate(&input).unwrap();
        golden.insert(s["name"].as_str().unwrap().to_string(), Value::String(out));
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/rollout/golden.json"
    );
    let text = serde_json::to_string_pretty(&Value::Object(golden)).unwrap() + "\n";
    if std::env::var_os("SCALEPLAN_BLESS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        text,
        "run with SCALEPLAN_BLESS=1 to rewrite"
    );
}
