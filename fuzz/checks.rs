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

/// `stored_state`: arbitrary bytes as a stored detector stream and as a stored budget tracker (the two
/// states a service keeps between points). Whatever loads must take more points and entries without a
/// panic (typed errors only), serialise, and round-trip to an equal state; no NaN leaks into JSON.
pub fn stored_state(data: &[u8]) {
    use scaleplan::anomaly::Stream;
    use scaleplan::anomaly::budget::{BudgetTracker, CostEntry, Date};
    use scaleplan::money::{Currency, Money};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut s) = Stream::from_json(text) {
        let again = s.to_json().expect("a loaded stream serialises");
        assert_eq!(
            Stream::from_json(&again)
                .expect("round trip")
                .to_json()
                .ok(),
            Some(again.clone()),
            "stream round trip"
        );
        for x in [100.0, f64::NAN, 1e300, -1e300, 0.0, 5e-324, 250.0] {
            let _ = s.push(x);
        }
        let _ = s.push(f64::INFINITY).expect_err("infinity is refused");
        let t = s.periods() as f64;
        let _ = s.push_at(t + 3.0, 1.0);
        let text = s.to_json().expect("serialises after pushes");
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        Stream::from_json(&text).expect("a stream that ran stays loadable");
    }
    if let Ok(mut b) = scaleplan::json::from_str::<BudgetTracker>(text) {
        let again = scaleplan::json::to_string(&b).expect("a loaded tracker serialises");
        assert_eq!(
            scaleplan::json::from_str::<BudgetTracker>(&again).expect("round trip"),
            b,
            "tracker round trip"
        );
        for (d, amount, cur) in [
            ("2026-01-31", "120.50", "USD"),
            ("2026-02-01", "79228162514264337593543950335", "USD"),
            ("2026-02-02", "3", "EUR"),
            ("2027-12-31", "0", "USD"),
        ] {
            let (Ok(date), Ok(cur)) = (Date::parse("date", d), cur.parse::<Currency>()) else {
                continue;
            };
            let Ok(m) = Money::parse(amount, cur) else {
                continue;
            };
            if let Ok(alerts) = b.record(&CostEntry::new(date, m, "api", "core")) {
                let text = scaleplan::json::to_string(&alerts).expect("alerts serialise");
                assert!(!text.contains("NaN"), "{text}");
            }
            let _ = b.status(date);
        }
    }
}
