//! `scaleplan` SLO tracking: `slo_report`. Conversion only: the objectives' defaults, the periods and
//! every rule are the core's (`scaleplan::slo`).

use pyo3::prelude::*;
use scaleplan::slo;

use crate::convert::to_py;
use crate::errors::guard;
use crate::significance::doc;

/// SLO report of metric windows and incidents against objectives, per period: availability, the error
/// budget and its multi-window burn rates (the SRE workbook's 14.4 / 6 / 3 / 1 alerts), p95 compliance,
/// MTTR and MTBF, each objective met or missed with its evidence.
///
/// Parameters
/// ----------
/// windows : list of dict
///     `{start, end, requests, errors, p95_ms}` (RFC 3339 times).
/// objectives : dict, optional
///     Default: availability 99.5 %, p95 300 ms in 99 % of windows, error rate 0.5 %, half the budget
///     left, MTTR 1 h.
/// period : dict, optional
///     `{length_secs}` (default 30 days).
/// incidents : list of dict, optional
///     `{id, severity, opened_at, resolved_at}`.
///
/// Returns
/// -------
/// dict
///     `periods`, each with `budget` (`total_minutes`, `consumed` ...), `burn_rates`, `objectives`
///     (`objective`, `status`, `evidence`), `incidents`, `met`.
///
/// Raises
/// ------
/// InvalidInputError
///     No windows (`empty_input`), errors above requests, overlapping windows.
///
/// Examples
/// --------
/// >>> from datetime import datetime, timedelta, timezone
/// >>> import scaleplan
/// >>> t0 = datetime(2025, 6, 1, tzinfo=timezone.utc)
/// >>> iso = lambda h: (t0 + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ")
/// >>> windows = [{"start": iso(h), "end": iso(h + 1), "requests": 100_000,
/// ...             "errors": 1_440 if h == 719 else 0, "p95_ms": 250.0} for h in range(720)]
/// >>> (p,) = scaleplan.slo_report(windows, {"availability_pct": 99.9})["periods"]
/// >>> round(p["budget"]["total_minutes"], 1), round(p["budget"]["consumed"], 3), p["met"]
/// (43.2, 0.02, True)
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

/// A 30/60/90 plan's milestones on a date: each criterion met, on track, at risk (its trend misses the
/// due date) or missed, from observations.
///
/// Parameters
/// ----------
/// plan : dict or str
///     `{milestones: [{name, due, criteria: [{metric, target}]}]}`, metrics `concurrent_users`,
///     `p95_ms`, `availability_pct`, `error_budget_remaining`.
/// observations : list of dict
///     `{at, metric, value}`.
/// as_of : str
///     RFC 3339 time.
///
/// Returns
/// -------
/// dict
///     `milestones`, each with `state` and `criteria` (`state`, `latest`, `latest_at`, `projected`,
///     `evidence`).
///
/// Raises
/// ------
/// InvalidInputError
///     A plan without milestones (`empty_input`), an unknown metric, a bad time.
///
/// Examples
/// --------
/// >>> import scaleplan
/// >>> plan = {"milestones": [{"name": "day 60", "due": "2025-07-31T00:00:00Z",
/// ...                         "criteria": [{"metric": "concurrent_users", "target": 25000}]}]}
/// >>> obs = [{"at": f"2025-06-{d:02d}T00:00:00Z", "metric": "concurrent_users", "value": 4000 + 300 * d}
/// ...        for d in (1, 11, 21)]
/// >>> m = scaleplan.plan_status(plan, obs, "2025-06-21T00:00:00Z")["milestones"][0]
/// >>> m["state"], round(m["criteria"][0]["projected"])
/// ('at_risk', 22300)
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
