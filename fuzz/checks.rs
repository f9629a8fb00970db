//! The properties each fuzz target checks, shared with the replay test in `core/tests/it/fuzz_replay.rs`
//! (included there by `#[path]`), so every file under `fuzz/regressions/<target>/` is re-checked by plain
//! `cargo test` on stable, without cargo-fuzz.

use scaleplan::estimate::{EstimateRequest, PriceCatalog, estimate};
use scaleplan::json;
use scaleplan::significance::{Experiment, ReadinessPolicy, assess_readiness};

/// `json_experiment`: arbitrary bytes as an experiment and as a policy. Whatever parses must serialise,
/// round-trip to an equal value, and give readiness `Ok` or a typed error; nothing may panic.
pub fn json_experiment(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(e) = json::from_str::<Experiment>(text) {
        let again = json::to_string(&e).expect("a parsed experiment serialises");
        assert_eq!(
            json::from_str::<Experiment>(&again).expect("round trip"),
            e,
            "experiment round trip"
        );
        let policy = ReadinessPolicy {
            primary_metric: e
                .metrics
                .first()
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            ..Default::default()
        };
        if let Ok(r) = assess_readiness(&e, &policy) {
            let text = json::to_string(&r).expect("a readiness result serialises");
            assert!(!text.contains("NaN"), "no NaN leaks into a result: {text}");
        }
    }
    if let Ok(p) = json::from_str::<ReadinessPolicy>(text) {
        let again = json::to_string(&p).expect("a parsed policy serialises");
        assert_eq!(
            json::from_str::<ReadinessPolicy>(&again).expect("round trip"),
            p,
            "policy round trip"
        );
    }
}

/// The sample catalog the estimate inputs are priced against.
const SAMPLE_CATALOG: &str = include_str!("../examples/data/catalog.toml");

/// `catalog_estimate`: arbitrary bytes as a TOML or JSON price catalog and as an estimate request. A
/// catalog that parses must round-trip through JSON to an equal catalog; a request that parses must
/// give an estimate or a typed error, and an estimate never carries NaN; nothing may panic.
pub fn catalog_estimate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for c in [PriceCatalog::from_toml(text), PriceCatalog::from_json(text)]
        .into_iter()
        .flatten()
    {
        let again = json::to_string(&c).expect("a parsed catalog serialises");
        assert_eq!(
            PriceCatalog::from_json(&again).expect("round trip"),
            c,
            "catalog round trip"
        );
    }
    if let Ok(req) = json::from_str::<EstimateRequest>(text) {
        let catalog = PriceCatalog::from_toml(SAMPLE_CATALOG).expect("the sample catalog loads");
        if let Ok(e) = estimate(&req, &catalog) {
            let out = json::to_string(&e).expect("an estimate serialises");
            assert!(!out.contains("NaN"), "no NaN leaks into an estimate: {out}");
            assert!(
                e.range.low.totals.monthly <= e.range.high.totals.monthly,
                "the low scenario costs no more than the high one"
            );
        }
    }
}

/// `replay_json`: arbitrary bytes as a replay (back-test) input. `simulate` gives JSON or a typed error
/// (`json`, `invalid_replay`, …), the same bytes twice, never a panic or a NaN.
pub fn replay_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match scaleplan::rollout::simulate(text) {
        Ok(out) => {
            assert!(out.starts_with("{\"decisions\":["), "{out}");
            assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
            assert_eq!(
                scaleplan::rollout::simulate(text).ok(),
                Some(out),
                "deterministic"
            );
        }
        Err(e) => assert!(!e.code().is_empty() && !e.to_string().is_empty()),
    }
}
