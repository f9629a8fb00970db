//! Pickling of the typed result classes (so results travel to and from Dask, Ray or multiprocessing
//! workers): a result pickles as its kind and the core's JSON of it, and is rebuilt by the core reading
//! that JSON back. No field is written here: the JSON is the one the three languages share.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::guard;

/// `__reduce__` for a result class: `(scaleplan._scaleplan._unpickle, (kind, json))`.
pub(crate) fn reduce<'py, T: serde::Serialize>(
    py: Python<'py>,
    kind: &'static str,
    inner: &T,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
    let json = guard(py, || scaleplan::json::to_string(inner))?;
    let f = py.import("scaleplan._scaleplan")?.getattr("_unpickle")?;
    Ok((f, (kind, json).into_pyobject(py)?))
}

/// The core's result of `kind` read from its JSON.
pub(crate) fn read<T: serde::de::DeserializeOwned>(py: Python<'_>, json: &str) -> PyResult<T> {
    guard(py, || scaleplan::json::from_str(json))
}

/// Rebuilds a result pickled by `reduce` (used by pickle).
#[pyfunction]
fn _unpickle(py: Python<'_>, kind: &str, json: &str) -> PyResult<Py<PyAny>> {
    if let Some(r) = crate::significance::unpickle(py, kind, json) {
        return r;
    }
    if let Some(r) = crate::forecast::unpickle(py, kind, json) {
        return r;
    }
    if let Some(r) = crate::estimate::unpickle(py, kind, json) {
        return r;
    }
    if let Some(r) = crate::anomaly::unpickle(py, kind, json) {
        return r;
    }
    Err(pyo3::exceptions::PyValueError::new_err(format!(
        "no scaleplan result class {kind:?} to unpickle"
    )))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_unpickle, m)?)
}
