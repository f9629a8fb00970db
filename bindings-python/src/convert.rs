//! Conversions between Python values and core types.

use numpy::{
    Element, IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::errors::to_py_err;

/// A float64 view of any array-like: zero-copy for an aligned C-contiguous float64 numpy array, one
/// copy (through `numpy.require(x, float64, "CA")`) for anything else (lists, int arrays, and arrays
/// over a misaligned buffer, as Dask and pickle protocol 5 hand them to a worker).
pub(crate) fn floats<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
) -> PyResult<PyReadonlyArray1<'py, f64>> {
    if let Ok(a) = x.cast::<PyArray1<f64>>()
        && a.is_c_contiguous()
    {
        let r = a.readonly();
        if r.as_slice().is_ok() {
            return Ok(r);
        }
    }
    let np = py.import("numpy")?;
    let arr = np.call_method1("require", (x, np.getattr("float64")?, "CA"))?;
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
    let mut path = String::new();
    let v = json_value(py, x, &mut path)?;
    Ok(v.to_string())
}

/// A Python object as a JSON value, the same as `json.dumps` would write it, plus what notebooks hand over:
/// numpy scalars and arrays as the numbers and lists they hold, `decimal.Decimal` as its exact string (the
/// core reads money from decimal strings and refuses floats), and a float with a whole value as that
/// integer (`623.0` from a pandas float column is the count 623), a date or time as its `isoformat()` (an
/// aware one in UTC with `Z`), a
/// pandas or polars DataFrame as its rows (records; a missing cell as None).
/// Anything else is a `wrong_type` error that
/// names where it was (`metrics[0].control.visitors`) and its Python type.
pub(crate) fn json_value(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    path: &mut String,
) -> PyResult<serde_json::Value> {
    use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyTuple};
    use serde_json::Value;
    if x.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = x.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if x.is_instance_of::<PyInt>() {
        return int_value(py, x, path);
    }
    if let Ok(f) = x.cast::<PyFloat>() {
        return float_value(py, f.value(), path);
    }
    if let Ok(s) = x.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if let Ok(d) = x.cast::<PyDict>() {
        let mut m = serde_json::Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => s.extract::<String>()?,
                Err(_) => return Err(wrong_type(py, path, "a dict with string keys", &k)),
            };
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            let value = json_value(py, &v, path)?;
            path.truncate(len);
            m.insert(key, value);
        }
        return Ok(Value::Object(m));
    }
    if x.is_instance_of::<PyList>() || x.is_instance_of::<PyTuple>() {
        return seq_value(py, x, path);
    }
    // numpy, decimal, and other well-known number and array types, by what they are.
    let ty = x.get_type();
    let module: String = ty.getattr("__module__")?.extract().unwrap_or_default();
    let name: String = ty.name()?.extract()?;
    match (module.as_str(), name.as_str()) {
        ("decimal", "Decimal") => Ok(Value::String(x.str()?.extract::<String>()?)),
        ("numpy", "bool" | "bool_") => Ok(Value::Bool(x.is_truthy()?)),
        ("numpy", "ndarray") => {
            let list = x.call_method0("tolist")?;
            json_value(py, &list, path)
        }
        // numpy's integers have `__index__`; its floats (float32, float16) only `__float__`.
        ("numpy", _) if x.hasattr("__index__")? => {
            int_value(py, &x.call_method0("__index__")?, path)
        }
        ("numpy", _) if x.hasattr("__float__")? => float_value(py, x.extract::<f64>()?, path),
        // A frame where records are taken (cost entries, windows, line items, pods ...): one record per
        // row, a missing cell (NaN, NaT, None, pd.NA) as a missing value.
        (m, "DataFrame") if m.starts_with("pandas") => {
            let present = x.call_method0("notna")?;
            let none = py.None();
            let rows = x
                .call_method1("astype", ("object",))?
                .call_method1("where", (present, none))?
                .call_method1("to_dict", ("records",))?;
            json_value(py, &rows, path)
        }
        (m, "DataFrame") if m.starts_with("polars") => {
            json_value(py, &x.call_method0("to_dicts")?, path)
        }
        // datetime, date, pandas.Timestamp: their ISO text, which the core reads or refuses by field;
        // an aware time as the UTC instant it names, written with `Z` as the core's times are.
        _ if x.hasattr("isoformat")? => {
            let aware = x.hasattr("tzinfo")? && !x.getattr("tzinfo")?.is_none();
            if aware {
                let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
                let text: String = x
                    .call_method1("astimezone", (utc,))?
                    .call_method0("isoformat")?
                    .extract()?;
                let text = text
                    .strip_suffix("+00:00")
                    .map_or(text.clone(), |t| format!("{t}Z"));
                return Ok(Value::String(text));
            }
            Ok(Value::String(
                x.call_method0("isoformat")?.extract::<String>()?,
            ))
        }
        _ => Err(wrong_type(
            py,
            path,
            "a number, a string, a bool, None, a list or a dict",
            x,
        )),
    }
}

fn seq_value(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    path: &mut String,
) -> PyResult<serde_json::Value> {
    let mut out = Vec::new();
    for (i, item) in x.try_iter()?.enumerate() {
        let len = path.len();
        path.push_str(&format!("[{i}]"));
        out.push(json_value(py, &item?, path)?);
        path.truncate(len);
    }
    Ok(serde_json::Value::Array(out))
}

fn int_value(py: Python<'_>, x: &Bound<'_, PyAny>, path: &str) -> PyResult<serde_json::Value> {
    if let Ok(i) = x.extract::<i64>() {
        return Ok(i.into());
    }
    if let Ok(u) = x.extract::<u64>() {
        return Ok(u.into());
    }
    Err(wrong_type(py, path, "an integer within 64 bits", x))
}

/// A float: a whole value within ±2^53 becomes the integer (exact either way); NaN and ±∞, which JSON
/// cannot hold, are `not_finite` errors naming the field.
fn float_value(py: Python<'_>, f: f64, path: &str) -> PyResult<serde_json::Value> {
    if !f.is_finite() {
        return Err(to_py_err(
            py,
            scaleplan::Error::NotFinite {
                field: field_name(path),
                value: f,
            },
        ));
    }
    if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
        return Ok((f as i64).into());
    }
    Ok(serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number))
}

fn field_name(path: &str) -> String {
    if path.is_empty() {
        "document".to_string()
    } else {
        path.to_string()
    }
}

fn wrong_type(py: Python<'_>, path: &str, expected: &'static str, x: &Bound<'_, PyAny>) -> PyErr {
    let got = x
        .get_type()
        .fully_qualified_name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    to_py_err(
        py,
        scaleplan::Error::WrongType {
            field: field_name(path),
            expected,
            got,
        },
    )
}

/// Parses a string option with the core's `FromStr` (which names the accepted values on error).
pub(crate) fn parse<T: std::str::FromStr<Err = scaleplan::Error>>(
    py: Python<'_>,
    s: &str,
) -> PyResult<T> {
    s.parse::<T>().map_err(|e| to_py_err(py, e))
}

/// A Python object from a core value, built directly by the `to_python` serializer (exact amounts as
/// `decimal.Decimal`, by the core's schema).
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

/// joblib's `n_jobs` as the core's thread count: `None` or -1, every core (rayon's pool); n ≥ 1, n.
pub(crate) fn n_jobs(n: Option<i64>) -> PyResult<Option<usize>> {
    match n {
        None | Some(-1) => Ok(None),
        Some(n) if n >= 1 => Ok(Some(n as usize)),
        Some(n) => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "n_jobs must be -1 (every core) or a count >= 1, got {n}"
        ))),
    }
}

/// `scaleplan._tables.<what>(result)`: the tables and HTML views are built from the result's own
/// attributes in Python (pandas and polars are optional dependencies, imported when asked for).
pub(crate) fn table(result: &Bound<'_, PyAny>, what: &str) -> PyResult<Py<PyAny>> {
    let py = result.py();
    let f = py.import("scaleplan._tables")?.getattr(what)?;
    Ok(f.call1((result,))?.unbind())
}
