//! Parses arbitrary bytes as an experiment and a readiness policy through `scaleplan::json`; whatever
//! parses must round-trip, and readiness must return Ok or a typed error, never panic.
//! Run on stable: `cargo fuzz run -s none json_experiment`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scaleplan::json;
use scaleplan::significance::{Experiment, ReadinessPolicy, assess_readiness};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(e) = json::from_str::<Experiment>(text) {
        let again = json::to_string(&e).expect("serialises");
        assert_eq!(json::from_str::<Experiment>(&again).expect("round trip"), e);
        let _ = assess_readiness(&e, &ReadinessPolicy { primary_metric: e.metrics.first().map(|m| m.name.clone()).unwrap_or_default(), ..Default::default() });
    }
    if let Ok(p) = json::from_str::<ReadinessPolicy>(text) {
        let again = json::to_string(&p).expect("serialises");
        assert_eq!(json::from_str::<ReadinessPolicy>(&again).expect("round trip"), p);
    }
});
