//! Arbitrary bytes as an experiment and a readiness policy; the properties live in `fuzz/checks.rs`.
//! Run on stable: `cargo fuzz run -s none json_experiment fuzz/regressions/json_experiment`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the shared checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::json_experiment(data));
