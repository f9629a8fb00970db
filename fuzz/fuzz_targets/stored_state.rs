//! Arbitrary bytes as a stored detector stream and budget tracker; the properties live in
//! `fuzz/checks.rs`. Run on stable: `cargo fuzz run -s none stored_state fuzz/regressions/stored_state`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the shared checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::stored_state(data));
