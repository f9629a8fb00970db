//! # scaleplan
//!
//! Decide whether an experiment's winner is **ready to scale**, with every number matched against an
//! independent reference and every decision carrying its reasons.
//!
//! ```
//! use scaleplan::significance::{two_proportions, Proportion, TestOptions};
//! let control = Proportion::new(10_000, 1_000)?;   // 10.0% conversion
//! let treatment = Proportion::new(10_000, 1_150)?; // 11.5%
//! let r = two_proportions(&control, &treatment, &TestOptions::default())?;
//! assert!(r.p_value < 0.001);
//! println!("lift {:+.1}% (95% CI {:+.1}% to {:+.1}%)", 100.0 * r.relative_lift.unwrap(),
//!          100.0 * r.relative_ci.unwrap().lo, 100.0 * r.relative_ci.unwrap().hi);
//! # Ok::<(), scaleplan::Error>(())
//! ```
//!
//! ## Overview
//! - [`significance`]: two-proportion and Welch tests, ratio metrics, CUPED, sample-ratio mismatch,
//!   Holm and Benjamini–Hochberg, sequential (always-valid) inference, Bayesian chance to win, power and
//!   MDE, and the readiness flag.
//!
//! - [`estimate`]: price catalogs, demand and capacity models (linear, USL, Erlang C), cost estimates
//!   with ranges and assumptions, impact, milestones, growth phases, the Kubernetes HPA rule and its
//!   behaviour, and rule-based scaling triggers. Money is [`money`]: exact `Decimal` with a currency.
//!
//! - [`rollout`]: phased rollouts gated on health evidence (the default gating policy, exactly), the pure
//!   state machine with roles and approvals, the hash-chained audit log, the back-test [`rollout::simulate`]
//!   and the live [`rollout::Service`] over a [`store::Store`] (memory, SQLite) and a [`deploy::Deployer`].
//!
//! - [`anomaly`]: detectors (baseline ratio, robust z, EWMA chart, seasonal median, S-H-ESD, threshold for
//!   a duration) in batch and streaming forms, alerts grouped per anomaly, performance regression against a
//!   load-test baseline, and budgets in `Decimal`.
//!
//! - [`forecast`]: growth rates, ETS forecasts chosen by AICc with intervals, the seasonal-naive benchmark,
//!   capacity exhaustion and savings recommendations.
//!
//! ## Usage
//! The core is pure: no I/O, no clock, no global state. Inputs are validated once, at the boundary, into
//! types that cannot be invalid ([`significance::Proportion`] has `conversions <= visitors`). Every
//! statistic has a scalar form and a batch form over slices (`*_batch`) that the bindings use for numpy
//! and typed arrays.
//!
//! ## Errors
//! One [`Error`] enum (`#[non_exhaustive]`) whose variants carry the offending field and value; a stable
//! snake_case [`Error::code`] shared with Python (`err.code`, class by [`ErrorKind`]) and Node (`err.code`).
//! Bad input never panics and never yields a silent NaN.
//!
//! ## Precision and references
//! Closed-form results match scipy/statsmodels to 1e-9 relative (most to 1e-12); fixtures in `testdata/`
//! carry their source, their tolerance and the script that generated them.
//!
//! ## Crate features
//! - `sqlite` (default): [`store::SqliteStore`], with SQLite bundled (no system library needed).
//!
//! serde is not optional, because one JSON is a rule ([`json`]).
//!
//! ## Bindings
//! Python (`pip install scaleplan`, module `scaleplan`) and Node (`npm install scaleplan`) wrap this crate
//! and add no logic.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::print_stdout))]

pub mod anomaly;
mod check;
pub mod deploy;
pub(crate) mod dist;
mod error;
pub mod estimate;
pub mod forecast;
pub mod json;
pub mod money;
pub mod panel;
pub mod rollout;
pub mod significance;
pub mod slo;
pub mod store;
pub mod time;

pub use error::{Error, ErrorKind, Result};

/// A whole, non-negative count carried as a float (numpy arrays, JavaScript numbers, Python floats),
/// as the bindings receive replica and server counts.
///
/// # Errors
/// `negative`, `not_finite`, or `not_integer` (also beyond 2^53, where not every whole number exists).
///
/// # Example
/// ```
/// assert_eq!(scaleplan::count_from_f64("servers", 7.0)?, 7);
/// assert_eq!(scaleplan::count_from_f64("servers", 7.5).unwrap_err().code(), "not_integer");
/// assert_eq!(scaleplan::count_from_f64("servers", -1.0).unwrap_err().code(), "negative");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn count_from_f64(field: &str, x: f64) -> Result<u64> {
    check::count(field, x)
}

/// Like [`count_from_f64`] for counts held in 32 bits (HPA replica counts, as Kubernetes' `int32`).
///
/// # Errors
/// As [`count_from_f64`]; `out_of_range` above `u32::MAX`.
pub fn count_u32_from_f64(field: &str, x: f64) -> Result<u32> {
    u32::try_from(check::count(field, x)?).map_err(|_| Error::OutOfRange {
        field: field.to_string(),
        value: x,
        allowed: "[0, 4294967295]",
    })
}

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
