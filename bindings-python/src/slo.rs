//! `scaleplan` SLO tracking: `slo_report`. Conversion only: the objectives' defaults, the periods and
//! every rule are the core's (`scaleplan::slo`).

use pyo3::prelude::*;
use scaleplan::slo;

use crate::convert::to_py;
use crate::errors::guard;
use crate::significance::doc;

/// SLO report of metric windows (dicts with start, end, requests, errors, p95_ms) and incidents (id,
/// severity, opened_at, resolved_at) against objectives (default: availability 99.5 %, p95 300 ms in
/// 99 % of windows, error rate 0.5 %, half the budget left, MTTR 1 h), per period (default 30 days).
#[pyfunction]
#[pyo3(signature = (windows, objectives = None, period = None, incidents = None))]
fn slo_report(
    py: Python<'_>,
    windows: &Bound<'_, PyAny>,
    objectives: Option<&Bound<'_, PyAny>>,
    period: Option<&Bound<'_, PyAny>>,
    incidents: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let w: Vec<scaleplan::rollout::Window> = doc(py, "windows", windows)?;
    let o: slo::SloObjectives = match objectives {
        Some(x) => doc(py, "objectives", x)?,
        None => slo::SloObjectives::default(),
    };
    let p: slo::SloPeriod = match period {
        Some(x) => doc(py, "period", x)?,
        None => slo::SloPeriod::default(),
    };
    let i: Vec<scaleplan::rollout::Incident> = match incidents {
        Some(x) => doc(py, "incidents", x)?,
        None => Vec::new(),
    };
    let r = guard(py, || slo::slo_report(&w, &i, &o, &p))?;
    to_py(py, &r)
}

/// A 30/60/90 plan's milestones (name, due, criteria of concurrent_users, p95_ms, availability_pct,
/// error_budget_remaining) on `as_of` (ISO 8601) from observations (at, metric, value): each criterion
/// met, on_track, at_risk (the trend misses the due date) or missed.
#[pyfunction]
fn plan_status(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    observations: &Bound<'_, PyAny>,
    as_of: &str,
) -> PyResult<Py<PyAny>> {
    let p: slo::ScalePlan = doc(py, "plan", plan)?;
    let o: Vec<slo::PlanObservation> = doc(py, "observations", observations)?;
    let t = guard(py, || {
        scaleplan::rollout::Timestamp::parse_field("as_of", as_of)
    })?;
    let r = guard(py, || slo::plan_status(&p, &o, t))?;
    to_py(py, &r)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(slo_report, m)?)?;
    m.add_function(wrap_pyfunction!(plan_status, m)?)?;
    Ok(())
}
