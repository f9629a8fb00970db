//! Python bindings for scaleplan: argument conversion, one core call, result conversion, error mapping.
//! No statistics, rules or defaults live here (DESIGN rule 6).

mod anomaly;
mod convert;
mod deployer;
mod errors;
mod estimate;
mod forecast;
mod pickle;
mod rollout;
mod significance;
mod slo;
mod to_python;

use pyo3::prelude::*;

/// The compiled core of the `scaleplan` package.
#[pymodule]
fn _scaleplan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    anomaly::register(m)?;
    forecast::register(m)?;
    significance::register(m)?;
    estimate::register(m)?;
    rollout::register(m)?;
    slo::register(m)?;
    Ok(())
}
