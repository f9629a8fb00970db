//! Exceptions: one class per `scaleplan::ErrorKind`, all under `ScaleplanError` (a `ValueError`).

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    scaleplan,
    ScaleplanError,
    PyValueError,
    "Base class of every scaleplan error; `.code` is stable."
);
create_exception!(
    scaleplan,
    InvalidInputError,
    ScaleplanError,
    "The input is invalid; `.code` says how."
);
create_exception!(
    scaleplan,
    NumericalError,
    ScaleplanError,
    "A numerical routine did not converge."
);
create_exception!(
    scaleplan,
    IllegalTransitionError,
    ScaleplanError,
    "The command is not allowed in the rollout's current state."
);
create_exception!(
    scaleplan,
    ConflictError,
    ScaleplanError,
    "The rollout changed first (stale version) or the evidence is late."
);
create_exception!(
    scaleplan,
    ForbiddenError,
    ScaleplanError,
    "The actor's role does not allow the command."
);
create_exception!(
    scaleplan,
    NotFoundError,
    ScaleplanError,
    "No rollout has this id."
);
create_exception!(
    scaleplan,
    StorageError,
    ScaleplanError,
    "The store or the deployer failed."
);
create_exception!(
    scaleplan,
    InternalError,
    ScaleplanError,
    "A bug in scaleplan (a caught panic): please report it."
);

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ScaleplanError", py.get_type::<ScaleplanError>())?;
    m.add("InvalidInputError", py.get_type::<InvalidInputError>())?;
    m.add("NumericalError", py.get_type::<NumericalError>())?;
    m.add(
        "IllegalTransitionError",
        py.get_type::<IllegalTransitionError>(),
    )?;
    m.add("ConflictError", py.get_type::<ConflictError>())?;
    m.add("ForbiddenError", py.get_type::<ForbiddenError>())?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}

fn with_code(py: Python<'_>, err: PyErr, code: &str) -> PyErr {
    let _ = err.value(py).setattr("code", code);
    err
}

pub(crate) fn to_py_err(py: Python<'_>, e: scaleplan::Error) -> PyErr {
    use scaleplan::ErrorKind;
    let msg = e.to_string();
    let err = match e.kind() {
        // exhaustive: a new kind is a compile error here, never a silent generic class
        ErrorKind::InvalidInput => InvalidInputError::new_err(msg),
        ErrorKind::Numerical => NumericalError::new_err(msg),
        ErrorKind::IllegalTransition => IllegalTransitionError::new_err(msg),
        ErrorKind::Conflict => ConflictError::new_err(msg),
        ErrorKind::Forbidden => ForbiddenError::new_err(msg),
        ErrorKind::NotFound => NotFoundError::new_err(msg),
        ErrorKind::Storage => StorageError::new_err(msg),
    };
    with_code(py, err, e.code())
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs one core call. A panic becomes `InternalError` (a `ScaleplanError`), never pyo3's
/// `PanicException` (a `BaseException` that escapes `except Exception`).
pub(crate) fn guard<T>(py: Python<'_>, f: impl FnOnce() -> scaleplan::Result<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(|e| to_py_err(py, e)),
        Err(p) => Err(with_code(
            py,
            InternalError::new_err(panic_message(&*p)),
            "internal",
        )),
    }
}
