//! Conversions between Python values and core types.

use numpy::{
    Element, IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::errors::{guard, to_py_err};

/// A float64 view of any array-like: zero-copy for a C-contiguous float64 numpy array, one copy
/// (through `numpy.ascontiguousarray(x, dtype=float64)`) for anything else (lists, int arrays).
pub(crate) fn floats<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
) -> PyResult<PyReadonlyArray1<'py, f64>> {
    if let Ok(a) = x.cast::<PyArray1<f64>>()
        && a.is_c_contiguous()
    {
        return Ok(a.readonly());
    }
    let np = py.import("numpy")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("dtype", np.getattr("float64")?)?;
    let arr = np.call_method("ascontiguousarray", (x,), Some(&kwargs))?;
    Ok(arr.cast_into::<PyArray1<f64>>()?.readonly())
}

/// A result's array, handed to numpy without a copy and made read-only, so that the result (a frozen
/// object) returns the same unchanging array on every access.
pub(crate) fn frozen_array<T: Element>(py: Python<'_>, v: Vec<T>) -> PyResult<Py<PyArray1<T>>> {
    let a = v.into_pyarray(py);
    let kwargs = PyDict::new(py);
    kwargs.set_item("write", false)?;
    a.call_method("setflags", (), Some(&kwargs))?;
    Ok(a.unbind())
}

/// A JSON document given as a `str` (JSON text) or as a Python object (dict/list), as canonical JSON text.
pub(crate) fn json_text(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = x.cast::<PyString>() {
        return s.extract::<String>();
    }
    if let Ok(r) = x.cast::<crate::significance::PyRecord>() {
        return Ok(r.get().text().to_string());
    }
    // `default=str` writes a `decimal.Decimal` as its exact string; the core refuses floats for money.
    let json = py.import("json")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("default", py.get_type::<PyString>())?;
    json.call_method("dumps", (x,), Some(&kwargs))?.extract()
}

/// Is `s` a plain decimal number (`-12.50`)? In scaleplan JSON only exact amounts are written so.
pub(crate) fn is_decimal(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    let mut parts = t.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Python objects from canonical JSON text, with every decimal string (money, exact quantities) as a
/// `decimal.Decimal`: the one rule that turns the core's exact amounts into Python's exact type.
pub(crate) fn loads(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let v: serde_json::Value = guard(py, || scaleplan::json::from_str(text))?;
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    value(py, &v, &decimal).map(Bound::unbind)
}

fn value<'py>(
    py: Python<'py>,
    v: &serde_json::Value,
    decimal: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_bound_py_any(py)?,
            (None, Some(i)) => i.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        Value::String(s) if is_decimal(s) => decimal.call1((s.as_str(),))?,
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(a) => {
            let items = a
                .iter()
                .map(|x| value(py, x, decimal))
                .collect::<PyResult<Vec<_>>>()?;
            pyo3::types::PyList::new(py, items)?.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, value(py, x, decimal)?)?;
            }
            d.into_any()
        }
    })
}

/// Parses a string option with the core's `FromStr` (which names the accepted values on error).
pub(crate) fn parse<T: std::str::FromStr<Err = scaleplan::Error>>(
    py: Python<'_>,
    s: &str,
) -> PyResult<T> {
    s.parse::<T>().map_err(|e| to_py_err(py, e))
}

/// A Python object from a core value: what `loads` gives for its canonical JSON, built directly (see
/// `to_python`).
pub(crate) fn to_py<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    use crate::to_python::{ConvertError, ToPython};
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    match value.serialize(ToPython {
        py,
        decimal: &decimal,
    }) {
        Ok(v) => Ok(v.unbind()),
        Err(ConvertError::Python(e)) => Err(e),
        Err(ConvertError::Unsupported(message)) => Err(to_py_err(
            py,
            scaleplan::Error::Json {
                what: std::any::type_name::<T>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("value"),
                line: 0,
                column: 0,
                message,
            },
        )),
    }
}
