//! Conversions between Python values and core types.

use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyUntypedArrayMethods};
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

/// A JSON document given as a `str` (JSON text) or as a Python object (dict/list), as canonical JSON text.
pub(crate) fn json_text(py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = x.cast::<PyString>() {
        return s.extract::<String>();
    }
    let json = py.import("json")?;
    json.call_method1("dumps", (x,))?.extract()
}

/// Parses a string option with the core's `FromStr` (which names the accepted values on error).
pub(crate) fn parse<T: std::str::FromStr<Err = scaleplan::Error>>(
    py: Python<'_>,
    s: &str,
) -> PyResult<T> {
    s.parse::<T>().map_err(|e| to_py_err(py, e))
}

/// A Python object from the canonical JSON of a core value (`json.loads`).
pub(crate) fn to_py<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let text = guard(py, || scaleplan::json::to_string(value))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}
