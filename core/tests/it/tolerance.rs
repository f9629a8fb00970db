//! Tolerances: each fixture states its own (`tolerance.rel`, `tolerance.abs`); this is the one comparison.

use serde_json::Value;

/// `|actual - expected| <= abs + rel * |expected|`.
pub fn close(actual: f64, expected: f64, rel: f64, abs: f64) -> bool {
    (actual - expected).abs() <= abs + rel * expected.abs()
}

/// Loads `testdata/significance/<name>` and returns (rel, abs, cases).
pub fn fixture(name: &str) -> (f64, f64, Value) {
    let path = format!(
        "{}/../testdata/significance/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let rel = doc["tolerance"]["rel"].as_f64().expect("tolerance.rel");
    let abs = doc["tolerance"]["abs"].as_f64().expect("tolerance.abs");
    (rel, abs, doc["cases"].clone())
}

/// Asserts `actual` matches the fixture value `expected` (a number or null for `None`).
#[track_caller]
pub fn check(case: &str, field: &str, actual: Option<f64>, expected: &Value, rel: f64, abs: f64) {
    match (actual, expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!(
            close(a, e, rel, abs),
            "{case}: {field} = {a:e}, expected {e:e} (rel {rel}, abs {abs})"
        ),
        (a, _) => panic!("{case}: {field} = {a:?}, expected {expected}"),
    }
}
