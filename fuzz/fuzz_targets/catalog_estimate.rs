//! Arbitrary bytes as a price catalog (TOML, JSON) and an estimate request; the properties live in
//! `fuzz/checks.rs`. Run on stable: `cargo fuzz run -s none catalog_estimate fuzz/regressions/catalog_estimate`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the shared checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::catalog_estimate(data));
