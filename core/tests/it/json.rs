//! The canonical JSON: round trips, and the committed canonical bytes every binding must reproduce.

use scaleplan::json;
use scaleplan::significance::*;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `testdata/json/*.canonical.json` are the exact bytes Rust, Python and Node must produce. Regenerate with
/// `SCALEPLAN_BLESS=1 cargo test -p scaleplan --test it json` after an intended change.
fn compare_or_bless(path: &str, actual: &str) {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("SCALEPLAN_BLESS").is_some() {
        std::fs::write(&full, format!("{actual}\n")).unwrap();
    }
    assert_eq!(
        read(path).trim_end(),
        actual,
        "{path} differs from the canonical output"
    );
}

#[test]
fn experiment_and_readiness_canonical_bytes() {
    let e: Experiment = json::from_str(&read("examples/data/experiment.json")).unwrap();
    let p: ReadinessPolicy = json::from_str(&read("examples/data/policy.json")).unwrap();
    let e_json = json::to_string(&e).unwrap();
    compare_or_bless("testdata/json/experiment.canonical.json", &e_json);
    let r = assess_readiness(&e, &p).unwrap();
    compare_or_bless(
        "testdata/json/readiness.canonical.json",
        &json::to_string(&r).unwrap(),
    );
    compare_or_bless(
        "testdata/json/policy.canonical.json",
        &json::to_string(&p).unwrap(),
    );
    // Round trips.
    assert_eq!(json::from_str::<Experiment>(&e_json).unwrap(), e);
    let r2: Readiness = json::from_str(&json::to_string(&r).unwrap()).unwrap();
    assert_eq!(r2, r);
}

#[test]
fn results_round_trip() {
    let r = two_proportions(
        &Proportion::new(1000, 100).unwrap(),
        &Proportion::new(1000, 0).unwrap(),
        &TestOptions::default(),
    )
    .unwrap();
    let s = json::to_string(&r).unwrap();
    assert!(s.contains("\"alternative\":\"two-sided\""), "{s}");
    assert_eq!(json::from_str::<ProportionsResult>(&s).unwrap(), r);
}

#[test]
fn unknown_fields_are_rejected() {
    let e = json::from_str::<Proportion>(r#"{"visitors": 10, "conversions": 1, "extra": 1}"#)
        .unwrap_err();
    assert_eq!(e.code(), "json");
    let e =
        json::from_str::<ReadinessPolicy>(r#"{"primary_metric": "x", "alfa": 0.1}"#).unwrap_err();
    assert!(e.to_string().contains("alfa"), "{e}");
}
