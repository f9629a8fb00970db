//! The one integration-test binary (compiles once on 2 cores).

mod anomaly;
mod errors;
mod estimate;
mod forecast;
mod fuzz_replay;
mod json;
mod many;
mod properties;
mod readiness;
mod reference;
mod rollout;
mod rollout_platform;
mod rollout_props;
mod rollout_store;
mod schedule;
mod slo;
mod store_contract;
mod tolerance;
