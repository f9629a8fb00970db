//! Numeric array arguments: a `Float64Array` (borrowed, no copy) or a plain array of numbers (copied
//! once); anything else is a `wrong_type` error naming the argument (or the element) and what it was, never
//! one of napi's own codes (`InvalidArg`, `NumberExpected`).

use napi::bindgen_prelude::{Float64Array, FromNapiValue, Unknown, ValueType};
use napi::{JsDate, JsValue};

use crate::errors::{Code, Result};

/// The numbers of an array argument.
pub(crate) enum Numbers {
    /// A `Float64Array`, used in place.
    Typed(Float64Array),
    /// A plain `number[]`, copied.
    Plain(Vec<f64>),
}

impl std::ops::Deref for Numbers {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        match self {
            Numbers::Typed(a) => a,
            Numbers::Plain(v) => v,
        }
    }
}

const EXPECTED: &str = "a Float64Array or an array of numbers";

fn wrong_type(field: &str, expected: &'static str, got: &str) -> napi::Error<Code> {
    let e = scaleplan::Error::WrongType {
        field: field.to_string(),
        expected,
        got: got.to_string(),
    };
    napi::Error::new(Code(e.code()), e.to_string())
}

fn type_name(v: &Unknown<'_>) -> &'static str {
    match v.get_type() {
        Ok(ValueType::Undefined) => "undefined",
        Ok(ValueType::Null) => "null",
        Ok(ValueType::Boolean) => "boolean",
        Ok(ValueType::Number) => "number",
        Ok(ValueType::String) => "string",
        Ok(ValueType::Symbol) => "symbol",
        Ok(ValueType::Object) => "object",
        Ok(ValueType::Function) => "function",
        Ok(ValueType::BigInt) => "bigint",
        _ => "unknown",
    }
}

/// Reads the array argument `field`.
pub(crate) fn numbers(field: &str, v: Unknown<'_>) -> Result<Numbers> {
    let got = type_name(&v);
    if got == "object" {
        // SAFETY-free: both conversions check the JS type and fail with an error, never UB.
        if let Ok(a) = Float64Array::from_unknown(v) {
            return Ok(Numbers::Typed(a));
        }
        if let Ok(items) = Vec::<Unknown<'_>>::from_unknown(v) {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match item.get_type() {
                    Ok(ValueType::Number) => out.push(
                        f64::from_unknown(item)
                            .map_err(|e| napi::Error::new(Code("internal"), e.reason.clone()))?,
                    ),
                    _ => {
                        return Err(wrong_type(
                            &format!("{field}[{i}]"),
                            "a number",
                            type_name(&item),
                        ));
                    }
                }
            }
            return Ok(Numbers::Plain(out));
        }
        return Err(wrong_type(field, EXPECTED, "an object that is neither"));
    }
    Err(wrong_type(field, EXPECTED, got))
}

const EXPECTED_TIMES: &str =
    "a Float64Array or an array of numbers (seconds), Dates or ISO 8601 strings";

/// Reads an optional array of times: numbers as they are (any unit), `Date`s as seconds since the
/// epoch, ISO 8601 strings by the core's `parse_time` (conversion only).
pub(crate) fn opt_times(field: &str, v: Option<Unknown<'_>>) -> Result<Option<Vec<f64>>> {
    let Some(v) = v else { return Ok(None) };
    match v.get_type() {
        Ok(ValueType::Undefined | ValueType::Null) => return Ok(None),
        Ok(ValueType::Object) => {}
        _ => return Err(wrong_type(field, EXPECTED_TIMES, type_name(&v))),
    }
    if let Ok(a) = Float64Array::from_unknown(v) {
        return Ok(Some(a.to_vec()));
    }
    let Ok(items) = Vec::<Unknown<'_>>::from_unknown(v) else {
        return Err(wrong_type(
            field,
            EXPECTED_TIMES,
            "an object that is none of these",
        ));
    };
    let internal = |e: napi::Error| napi::Error::new(Code("internal"), e.reason.clone());
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = || format!("{field}[{i}]");
        let t = match item.get_type() {
            Ok(ValueType::Number) => f64::from_unknown(item).map_err(internal)?,
            Ok(ValueType::String) => {
                let s = String::from_unknown(item).map_err(internal)?;
                crate::errors::guard(|| scaleplan::anomaly::parse_time(&at(), &s))?
            }
            Ok(ValueType::Object) if item.is_date().unwrap_or(false) => {
                // SAFETY: the value was just checked to be a Date of this env
                let d = unsafe { JsDate::from_napi_value(item.value().env, item.raw()) }
                    .map_err(internal)?;
                d.value_of().map_err(internal)? / 1000.0
            }
            _ => {
                return Err(wrong_type(
                    &at(),
                    "a number, a Date or an ISO 8601 string",
                    type_name(&item),
                ));
            }
        };
        out.push(t);
    }
    Ok(Some(out))
}

/// A panel's offsets (where each series starts, then the number of values): whole numbers from 0. The
/// core checks their order.
pub(crate) fn offsets(field: &str, v: Unknown<'_>) -> Result<Vec<usize>> {
    let n = numbers(field, v)?;
    n.iter()
        .enumerate()
        .map(|(i, &x)| {
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_992.0 {
                Ok(x as usize)
            } else {
                crate::errors::guard(|| {
                    Err(scaleplan::Error::OutOfRange {
                        field: format!("{field}[{i}]"),
                        value: x,
                        allowed: "whole numbers from 0 (where each series starts)",
                    })
                })
            }
        })
        .collect()
}

/// `threads` of the many-series calls: every core when absent, else a whole count of at least 1.
pub(crate) fn threads(t: Option<f64>) -> Result<Option<usize>> {
    match t {
        None => Ok(None),
        Some(n) if n.is_finite() && n >= 1.0 && n.fract() == 0.0 => Ok(Some(n as usize)),
        Some(n) => crate::errors::guard(|| {
            Err(scaleplan::Error::OutOfRange {
                field: "threads".into(),
                value: n,
                allowed: "a whole count of at least 1 (absent: every core)",
            })
        }),
    }
}
