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

/// Reads `T` from canonical JSON. Malformed JSON, unknown fields and invalid values give [`Error::Json`],
/// whose message names where in the document the value was (`at metrics[1].control: missing field
/// \`n\``), so that a caller can find it without counting columns.
///
/// ```
/// use scaleplan::significance::Proportion;
/// let e = scaleplan::json::from_str::<Vec<Proportion>>(r#"[{"visitors": 10, "conversions": 1}, {"visitors": 5}]"#)
///     .unwrap_err();
/// assert!(e.to_string().starts_with("invalid list JSON"), "{e}");
/// assert!(e.to_string().contains("at [1]: missing field `conversions`"), "{e}");
/// ```
pub fn from_str<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| {
        // The happy path pays nothing for the path: the document is read a second time, tracking
        // where the reader is, only to explain a failure.
        let path = {
            let de = &mut serde_json::Deserializer::from_str(s);
            match serde_path_to_error::deserialize::<_, T>(de) {
                Err(pe) => pe.path().to_string(),
                Ok(_) => ".".to_string(),
            }
        };
        let message = strip_position(&e.to_string());
        Error::Json {
            what: short_type_name::<T>(),
            line: e.line(),
            column: e.column(),
            message: match path.as_str() {
                "." | "" => message,
                p => format!("at {p}: {message}"),
            },
        }
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

/// `Proportion` for `scaleplan::significance::arm::Proportion`; `list` for a `Vec` (the path in the
/// message then says which element).
fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    if full.starts_with("alloc::vec::Vec<") {
        return "list";
    }
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}
