//! Node bindings for scaleplan (napi-rs): argument conversion, one core call, result conversion, error
//! mapping. No statistics, rules or defaults live here (DESIGN rule 6).
#![deny(clippy::all)]

mod anomaly;
mod errors;
mod estimate;
mod forecast;
mod numbers;
mod offloop;
mod rollout;
mod significance;
mod slo;
