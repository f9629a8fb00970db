//! Arbitrary bytes as a replay (back-test) input for `simulate`; the properties live in `fuzz/checks.rs`.
//! Run on stable: `cargo fuzz run -s none replay_json fuzz/regressions/replay_json`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the shared checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::replay_json(data));
