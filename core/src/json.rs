//! The one canonical JSON path, used by every binding, fixture and fuzz target.
//!
//! Field names are snake_case; enums are snake_case strings (the test alternative uses scipy's
//! `"two-sided"`, `"less"`, `"greater"`); optional values that are absent are `null`. Output is compact
//! (no spaces), with fields in declaration order, so that Rust, Python and Node produce the same bytes.
//!
//! # Example
//! ```
//! use scaleplan::significance::Proportion;
//! let arm: Proportion = scaleplan::json::from_str(r#"{"visitors": 1000, "conversions": 50}"#)?;
//! assert_eq!(scaleplan::json::to_string(&arm)?, r#"{"visitors":1000,"conversions":50}"#);
//! let bad = scaleplan::json::from_str::<Proportion>(r#"{"visitors": 10, "conversions": 50}"#);
//! assert_eq!(bad.unwrap_err().code(), "json");
//! # Ok::<(), scaleplan::Error>(())
//! ```

use serde::{Serialize, de::DeserializeOwned};

use crate::error::{Error, Result};

/// Reads `T` from canonical JSON. Malformed JSON, unknown fields and invalid values give [`Error::Json`].
pub fn from_str<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::Json {
        what: short_type_name::<T>(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })
}

/// Writes `T` as canonical JSON (compact, fields in declaration order).
///
/// # Errors
/// `json` if serialisation fails (a map with non-string keys; no scaleplan type has one).
pub fn to_string<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Json {
        what: short_type_name::<T>(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}
