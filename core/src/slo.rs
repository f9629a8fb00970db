//! Service-level objectives reported: availability and error rate per period, the error budget consumed
//! and remaining (as a fraction and in minutes), the multi-window burn rates, p95 compliance, MTTR and
//! MTBF from incidents, and each objective met or missed with its evidence.
//!
//! The arithmetic is the SRE workbook's ("Implementing SLOs" and "Alerting on SLOs", Beyer et al., 2018):
//! for an availability objective `A` the error budget is `1 − A` of the requests; over a period of `P`
//! minutes it is worth `(1 − A) · P` minutes (99.9 % over 30 days: 43.2 minutes); the burn rate of a
//! window is its error rate divided by `1 − A`, so a burn rate of 14.4 sustained for one hour spends 2 %
//! of a 30-day budget. The burn rates are the gate's own ([`crate::rollout::BURN_RATE_PAIRS`], one
//! implementation: [`crate::rollout::burn_rates`]).
//!
//! ```
//! use scaleplan::rollout::{Timestamp, Window};
//! use scaleplan::slo::{slo_report, SloObjectives, SloPeriod, Status};
//! // one day of 5-minute windows, 0.3 % errors, p95 250 ms, against the 30/60/90 plan's targets
//! let windows: Vec<Window> = (0..288)
//!     .map(|i| Window::new(Timestamp::from_unix(300 * i), Timestamp::from_unix(300 * i + 300), 10_000, 30, Some(250.0)))
//!     .collect();
//! let day = SloPeriod { length_secs: 86_400, start: None };
//! let r = slo_report(&windows, &[], &SloObjectives::default(), &day)?;
//! let p = &r.periods[0];
//! assert!((p.availability_pct - 99.7).abs() < 1e-9);
//! assert!((p.budget.consumed - 0.6).abs() < 1e-9); // 0.3 % of a 0.5 % budget
//! assert!((p.budget.total_minutes - 7.2).abs() < 1e-9); // 0.5 % of 1,440 minutes
//! assert_eq!(p.objectives.iter().filter(|o| o.status == Status::Missed).count(), 1); // budget below 50 %
//! # Ok::<(), scaleplan::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rollout::{BudgetSample, BurnRate, Incident, Window, burn_rates};
use crate::time::Timestamp;

/// What the service promises. Defaults: the 30/60/90 plan's targets (availability 99.5 %, p95 under
/// 300 ms in 99 % of windows, error rate under 0.5 %, at least half the error budget left, MTTR under
/// an hour). A `null` turns a check off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SloObjectives {
    /// Availability objective in percent of requests served without error, in (0, 100), at most six
    /// decimals (99.999 is fine).
    pub availability_pct: f64,
    /// p95 latency limit in milliseconds for each window.
    pub p95_ms: Option<f64>,
    /// Share of windows (with requests and a p95) that must be under `p95_ms`, in (0, 1].
    pub p95_compliance: f64,
    /// Error-rate ceiling in percent.
    pub max_error_rate_pct: Option<f64>,
    /// Share of the period's error budget that must remain, in [0, 1].
    pub min_budget_remaining: Option<f64>,
    /// Mean time to repair ceiling, seconds.
    pub max_mttr_secs: Option<f64>,
}

impl Default for SloObjectives {
    fn default() -> Self {
        SloObjectives {
            availability_pct: 99.5,
            p95_ms: Some(300.0),
            p95_compliance: 0.99,
            max_error_rate_pct: Some(0.5),
            min_budget_remaining: Some(0.5),
            max_mttr_secs: Some(3_600.0),
        }
    }
}

impl SloObjectives {
    /// Checks every field.
    ///
    /// # Errors
    /// `not_finite` / `out_of_range` naming the field.
    pub fn validate(&self) -> Result<()> {
        let a = crate::check::finite("availability_pct", self.availability_pct)?;
        if a <= 0.0 || a >= 100.0 {
            return Err(range("availability_pct", a, "(0, 100)"));
        }
        budget_units(a)?;
        let c = crate::check::finite("p95_compliance", self.p95_compliance)?;
        if c <= 0.0 || c > 1.0 {
            return Err(range("p95_compliance", c, "(0, 1]"));
        }
        for (field, v) in [
            ("p95_ms", self.p95_ms),
            ("max_error_rate_pct", self.max_error_rate_pct),
            ("max_mttr_secs", self.max_mttr_secs),
        ] {
            if let Some(v) = v {
                crate::check::non_negative(field, v)?;
            }
        }
        if let Some(m) = self.min_budget_remaining {
            let m = crate::check::finite("min_budget_remaining", m)?;
            if !(0.0..=1.0).contains(&m) {
                return Err(range("min_budget_remaining", m, "[0, 1]"));
            }
        }
        Ok(())
    }
}

fn range(field: &str, value: f64, allowed: &'static str) -> Error {
    Error::OutOfRange {
        field: field.into(),
        value,
        allowed,
    }
}

/// The error budget `1 − A` in units of 1e-8 (exact for six decimals of a percentage).
fn budget_units(availability_pct: f64) -> Result<u64> {
    let u = (100.0 - availability_pct) * 1e6;
    let r = u.round();
    if (u - r).abs() > 1e-3 || r < 1.0 {
        return Err(range(
            "availability_pct",
            availability_pct,
            "(0, 100) with at most six decimals",
        ));
    }
    Ok(r as u64)
}

/// How the windows are cut into reporting periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SloPeriod {
    /// Period length in seconds (default 30 days; 86,400 gives a daily series for a dashboard).
    pub length_secs: i64,
    /// Where the first period starts (default: the first window's start, floored to a UTC midnight).
    pub start: Option<Timestamp>,
}

impl Default for SloPeriod {
    fn default() -> Self {
        SloPeriod {
            length_secs: 30 * 86_400,
            start: None,
        }
    }
}

/// Met, missed, or nothing to judge by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The objective holds.
    Met,
    /// The objective is missed.
    Missed,
    /// No data for it in the period (no requests, no latency, no resolved incident).
    NoData,
}

/// One objective judged over one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveCheck {
    /// `availability`, `error_rate`, `p95_latency`, `error_budget` or `mttr`.
    pub objective: String,
    /// The target (percent, share, milliseconds or seconds, as the objective reads).
    pub target: f64,
    /// What was observed (null with `no_data`).
    pub observed: Option<f64>,
    /// Met, missed or no data.
    pub status: Status,
    /// The evidence, in words.
    pub evidence: String,
}

/// The error budget of one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErrorBudget {
    /// Errors the objective allows on this period's requests: `(1 − A) · requests`.
    pub allowed_errors: f64,
    /// Errors observed.
    pub errors: u64,
    /// Share of the budget spent, `errors / allowed_errors` (above 1 when overspent; 0 without requests).
    pub consumed: f64,
    /// `1 − consumed` (negative when overspent).
    pub remaining: f64,
    /// The budget in minutes: `(1 − A) ·` the period's minutes.
    pub total_minutes: f64,
    /// `consumed · total_minutes`.
    pub consumed_minutes: f64,
    /// `total_minutes − consumed_minutes`.
    pub remaining_minutes: f64,
}

/// Incidents opened in one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IncidentStats {
    /// Incidents opened in the period.
    pub count: usize,
    /// Of which still open.
    pub open: usize,
    /// Mean time to repair (resolved − opened) of the resolved ones, seconds.
    pub mttr_secs: Option<f64>,
    /// Mean time between failures: the period's time outside incidents divided by the number of
    /// incidents, seconds (the SRE convention: uptime per failure).
    pub mtbf_secs: Option<f64>,
}

/// One period of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    /// Period start.
    pub start: Timestamp,
    /// Period end (exclusive of the next period).
    pub end: Timestamp,
    /// False for the last period when the windows stop before its end.
    pub complete: bool,
    /// Windows ending in the period.
    pub windows: usize,
    /// Requests.
    pub requests: u64,
    /// Errors.
    pub errors: u64,
    /// `100 · (1 − errors / requests)` (100 without requests).
    pub availability_pct: f64,
    /// `100 · errors / requests`.
    pub error_rate_pct: f64,
    /// The error budget.
    pub budget: ErrorBudget,
    /// Windows with requests and a p95.
    pub latency_windows: usize,
    /// Of which at or under the p95 limit.
    pub latency_windows_met: usize,
    /// Burn rates of every window pair at the period's last window end (they look back across periods).
    pub burn_rates: Vec<BurnRate>,
    /// Incidents.
    pub incidents: IncidentStats,
    /// Each objective, judged.
    pub objectives: Vec<ObjectiveCheck>,
    /// No objective missed.
    pub met: bool,
}

/// The report: one entry per period, oldest first, and the objectives used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SloReport {
    /// The objectives.
    pub objectives: SloObjectives,
    /// The period length, seconds.
    pub period_secs: i64,
    /// The periods.
    pub periods: Vec<PeriodReport>,
}

fn check_window(i: usize, w: &Window) -> Result<()> {
    let bad = |field: &str, message: String| Error::InvalidWindow {
        field: format!("windows[{i}].{field}"),
        message,
    };
    if w.end <= w.start {
        return Err(bad(
            "end",
            format!("{} is not after start {}", w.end, w.start),
        ));
    }
    w.check_figures()
        .map_err(|(field, message)| bad(field, message))
}

/// The SLO report of `windows` (request, error and p95 figures, in any order, none overlapping another)
/// and `incidents` against `objectives`, period by period.
///
/// # Errors
/// `empty_input` without windows; `invalid_window` for a window that ends before it starts, has more
/// errors than requests, a bad p95, or overlaps another; `invalid_incident`; `out_of_range` /
/// `not_finite` for an objective or a period length that is not positive.
pub fn slo_report(
    windows: &[Window],
    incidents: &[Incident],
    objectives: &SloObjectives,
    period: &SloPeriod,
) -> Result<SloReport> {
    objectives.validate()?;
    if period.length_secs <= 0 {
        return Err(range(
            "period.length_secs",
            period.length_secs as f64,
            "a positive number of seconds",
        ));
    }
    if windows.is_empty() {
        return Err(Error::EmptyInput {
            field: "windows".into(),
        });
    }
    for (i, w) in windows.iter().enumerate() {
        check_window(i, w)?;
    }
    for i in incidents {
        i.validate()?;
    }
    let mut order: Vec<usize> = (0..windows.len()).collect();
    order.sort_by_key(|&i| windows[i].start);
    for pair in order.windows(2) {
        let (a, b) = (&windows[pair[0]], &windows[pair[1]]);
        if b.start < a.end {
            return Err(Error::InvalidWindow {
                field: format!("windows[{}].start", pair[1]),
                message: format!(
                    "{} overlaps windows[{}] ({} to {})",
                    b.start, pair[0], a.start, a.end
                ),
            });
        }
    }
    let sorted: Vec<&Window> = order.iter().map(|&i| &windows[i]).collect();
    let first = sorted[0].start;
    let last_end = sorted.iter().map(|w| w.end).max().unwrap_or(first);
    let start = period
        .start
        .unwrap_or_else(|| Timestamp::from_unix(first.unix().div_euclid(86_400) * 86_400));
    if start > first {
        return Err(range(
            "period.start",
            start.unix() as f64,
            "at or before the first window's start",
        ));
    }
    let units = budget_units(objectives.availability_pct)?;
    let samples: Vec<BudgetSample> = sorted
        .iter()
        .map(|w| BudgetSample {
            end: w.end,
            requests: w.requests,
            errors: w.errors,
        })
        .collect();
    let mut periods = Vec::new();
    let mut p_start = start;
    while p_start < last_end {
        let p_end = p_start.plus(period.length_secs);
        // windows do not overlap, so sorted by start they are sorted by end: a contiguous slice
        let from = sorted.partition_point(|w| w.end <= p_start);
        let to = sorted.partition_point(|w| w.end <= p_end);
        let in_period = &sorted[from..to];
        let opened: Vec<&Incident> = incidents
            .iter()
            .filter(|i| i.opened_at >= p_start && i.opened_at < p_end)
            .collect();
        periods.push(period_report(
            (p_start, p_end, last_end),
            in_period,
            &opened,
            objectives,
            units,
            &samples,
        ));
        p_start = p_end;
    }
    Ok(SloReport {
        objectives: objectives.clone(),
        period_secs: period.length_secs,
        periods,
    })
}

fn period_report(
    (start, end, last_end): (Timestamp, Timestamp, Timestamp),
    windows: &[&Window],
    incidents: &[&Incident],
    o: &SloObjectives,
    units: u64,
    samples: &[BudgetSample],
) -> PeriodReport {
    let requests: u64 = windows
        .iter()
        .map(|w| w.requests)
        .fold(0, u64::saturating_add);
    let errors: u64 = windows
        .iter()
        .map(|w| w.errors)
        .fold(0, u64::saturating_add);
    let rate = if requests == 0 {
        0.0
    } else {
        errors as f64 / requests as f64
    };
    let budget_fraction = units as f64 * 1e-8;
    let allowed = budget_fraction * requests as f64;
    let consumed = if requests == 0 {
        0.0
    } else {
        errors as f64 / allowed
    };
    let total_minutes = budget_fraction * end.since(start) as f64 / 60.0;
    let budget = ErrorBudget {
        allowed_errors: allowed,
        errors,
        consumed,
        remaining: 1.0 - consumed,
        total_minutes,
        consumed_minutes: consumed * total_minutes,
        remaining_minutes: (1.0 - consumed) * total_minutes,
    };
    let lat: Vec<f64> = windows
        .iter()
        .filter(|w| w.requests > 0)
        .filter_map(|w| w.p95_ms)
        .collect();
    let lat_met = o
        .p95_ms
        .map_or(0, |limit| lat.iter().filter(|&&p| p <= limit).count());
    let as_of = windows.iter().map(|w| w.end).max();
    let burn = as_of.map_or_else(Vec::new, |t| burn_rates(samples, t, units));
    let incidents = incident_stats(incidents, start, end);
    let mut checks = Vec::new();
    let a = o.availability_pct;
    checks.push(if requests == 0 {
        no_data("availability", a, "no requests in the period")
    } else {
        let obs = 100.0 * (1.0 - rate);
        judged(
            "availability",
            a,
            obs,
            obs >= a,
            format!(
                "{obs:.4} % of {requests} requests served without error (objective {a} %; {errors} errors)"
            ),
        )
    });
    if let Some(max) = o.max_error_rate_pct {
        checks.push(if requests == 0 {
            no_data("error_rate", max, "no requests in the period")
        } else {
            let obs = 100.0 * rate;
            judged(
                "error_rate",
                max,
                obs,
                obs <= max,
                format!("{errors} errors in {requests} requests = {obs:.4} % (ceiling {max} %)"),
            )
        });
    }
    if let Some(limit) = o.p95_ms {
        let share = o.p95_compliance;
        checks.push(if lat.is_empty() {
            no_data("p95_latency", share, "no window with requests and a p95")
        } else {
            let obs = lat_met as f64 / lat.len() as f64;
            judged(
                "p95_latency",
                share,
                obs,
                obs >= share,
                format!(
                    "{lat_met} of {} windows had p95 <= {limit} ms ({:.2} %; {:.2} % required)",
                    lat.len(),
                    100.0 * obs,
                    100.0 * share
                ),
            )
        });
    }
    if let Some(min) = o.min_budget_remaining {
        checks.push(if requests == 0 {
            no_data("error_budget", min, "no requests in the period")
        } else {
            judged(
                "error_budget",
                min,
                budget.remaining,
                budget.remaining >= min,
                format!(
                    "{:.1} % of the error budget remains ({:.2} of {:.2} minutes spent; at least {:.0} % must remain)",
                    100.0 * budget.remaining,
                    budget.consumed_minutes,
                    budget.total_minutes,
                    100.0 * min
                ),
            )
        });
    }
    if let Some(max) = o.max_mttr_secs {
        checks.push(match incidents.mttr_secs {
            None => no_data("mttr", max, "no incident opened and resolved in the period"),
            Some(m) => judged(
                "mttr",
                max,
                m,
                m <= max,
                format!(
                    "mean time to repair {:.1} min over {} resolved incident(s) (ceiling {:.1} min)",
                    m / 60.0,
                    incidents.count - incidents.open,
                    max / 60.0
                ),
            ),
        });
    }
    let met = checks.iter().all(|c| c.status != Status::Missed);
    PeriodReport {
        start,
        end,
        complete: last_end >= end,
        windows: windows.len(),
        requests,
        errors,
        availability_pct: 100.0 * (1.0 - rate),
        error_rate_pct: 100.0 * rate,
        budget,
        latency_windows: lat.len(),
        latency_windows_met: lat_met,
        burn_rates: burn,
        incidents,
        objectives: checks,
        met,
    }
}

fn judged(
    objective: &str,
    target: f64,
    observed: f64,
    ok: bool,
    evidence: String,
) -> ObjectiveCheck {
    ObjectiveCheck {
        objective: objective.into(),
        target,
        observed: Some(observed),
        status: if ok { Status::Met } else { Status::Missed },
        evidence,
    }
}

fn no_data(objective: &str, target: f64, why: &str) -> ObjectiveCheck {
    ObjectiveCheck {
        objective: objective.into(),
        target,
        observed: None,
        status: Status::NoData,
        evidence: why.into(),
    }
}

fn incident_stats(incidents: &[&Incident], start: Timestamp, end: Timestamp) -> IncidentStats {
    let resolved: Vec<i64> = incidents
        .iter()
        .filter_map(|i| i.resolved_at.map(|r| r.since(i.opened_at)))
        .collect();
    let mttr =
        (!resolved.is_empty()).then(|| resolved.iter().sum::<i64>() as f64 / resolved.len() as f64);
    // downtime inside the period (an open incident runs to the period's end)
    let down: i64 = incidents
        .iter()
        .map(|i| {
            let to = i.resolved_at.map_or(end, |r| r.min(end));
            to.since(i.opened_at.max(start)).max(0)
        })
        .sum();
    let mtbf = (!incidents.is_empty())
        .then(|| (end.since(start) - down).max(0) as f64 / incidents.len() as f64);
    IncidentStats {
        count: incidents.len(),
        open: incidents.iter().filter(|i| i.resolved_at.is_none()).count(),
        mttr_secs: mttr,
        mtbf_secs: mtbf,
    }
}

/// What a plan's success criterion measures (and which way is good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanMetric {
    /// Concurrent users served (at least the target).
    ConcurrentUsers,
    /// p95 latency in milliseconds (at most the target).
    P95Ms,
    /// Availability in percent (at least the target).
    AvailabilityPct,
    /// Share of the error budget left, in [0, 1] (at least the target).
    ErrorBudgetRemaining,
}

impl PlanMetric {
    fn higher_is_better(self) -> bool {
        !matches!(self, PlanMetric::P95Ms)
    }

    fn as_str(self) -> &'static str {
        match self {
            PlanMetric::ConcurrentUsers => "concurrent_users",
            PlanMetric::P95Ms => "p95_ms",
            PlanMetric::AvailabilityPct => "availability_pct",
            PlanMetric::ErrorBudgetRemaining => "error_budget_remaining",
        }
    }

    fn meets(self, value: f64, target: f64) -> bool {
        if self.higher_is_better() {
            value >= target
        } else {
            value <= target
        }
    }
}

/// A success criterion of a milestone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// What is measured.
    pub metric: PlanMetric,
    /// The target (a floor, or a ceiling for `p95_ms`).
    pub target: f64,
}

/// A milestone of a 30/60/90 plan: criteria due on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMilestone {
    /// E.g. `day 30`.
    pub name: String,
    /// When the criteria must hold.
    pub due: Timestamp,
    /// The criteria.
    pub criteria: Vec<Criterion>,
}

/// A scale-up plan: its milestones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalePlan {
    /// The milestones, in any order.
    pub milestones: Vec<PlanMilestone>,
}

/// One measurement of a plan metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanObservation {
    /// When it was measured.
    pub at: Timestamp,
    /// What.
    pub metric: PlanMetric,
    /// The value.
    pub value: f64,
}

/// Where a criterion or a milestone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// The latest measurement meets the target.
    Met,
    /// Not met yet; the trend reaches the target by the due date.
    OnTrack,
    /// Not met, and the trend does not reach it by the due date (or there is too little to project).
    AtRisk,
    /// Due, and not met by the due date.
    Missed,
}

/// One criterion evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionStatus {
    /// What is measured.
    pub metric: PlanMetric,
    /// The target.
    pub target: f64,
    /// The latest measurement that counts (at or before the due date and `as_of`).
    pub latest: Option<f64>,
    /// When it was taken.
    pub latest_at: Option<Timestamp>,
    /// The least-squares linear trend of the measurements, at the due date (not yet due only).
    pub projected: Option<f64>,
    /// Where it stands.
    pub state: PlanState,
    /// Why, in words.
    pub evidence: String,
}

/// One milestone evaluated: the worst of its criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneStatus {
    /// Its name.
    pub name: String,
    /// Its due date.
    pub due: Timestamp,
    /// The worst criterion state.
    pub state: PlanState,
    /// Each criterion.
    pub criteria: Vec<CriterionStatus>,
}

/// A plan evaluated on `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanStatus {
    /// The evaluation instant.
    pub as_of: Timestamp,
    /// The milestones, by due date.
    pub milestones: Vec<MilestoneStatus>,
}

/// Evaluates a 30/60/90 plan's milestones on `as_of` from `observations` (in any order; those after
/// `as_of` are ignored): each criterion is `met` when its latest measurement (at or before the due date)
/// meets the target; past the due date otherwise `missed`; before it `on_track` when the least-squares
/// line through the metric's measurements reaches the target at the due date, else `at_risk` (also with
/// fewer than two measurements to draw a line through). A milestone is its worst criterion.
///
/// # Errors
/// `empty_input` for a plan without milestones or a milestone without criteria; `not_finite` for a
/// target or a measurement that is not a number.
///
/// # Example
/// ```
/// use scaleplan::rollout::Timestamp;
/// use scaleplan::slo::*;
/// let day = |d: i64| Timestamp::from_unix(86_400 * d);
/// let plan = ScalePlan { milestones: vec![PlanMilestone { name: "day 60".into(), due: day(60),
///     criteria: vec![Criterion { metric: PlanMetric::ConcurrentUsers, target: 25_000.0 }] }] };
/// // 10,000 users on day 0, 14,000 on day 20: 200 a day reaches 22,000 by day 60, short of 25,000
/// let obs = [PlanObservation { at: day(0), metric: PlanMetric::ConcurrentUsers, value: 10_000.0 },
///            PlanObservation { at: day(20), metric: PlanMetric::ConcurrentUsers, value: 14_000.0 }];
/// let s = plan_status(&plan, &obs, day(20))?;
/// assert_eq!(s.milestones[0].state, PlanState::AtRisk);
/// assert_eq!(s.milestones[0].criteria[0].projected, Some(22_000.0));
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn plan_status(
    plan: &ScalePlan,
    observations: &[PlanObservation],
    as_of: Timestamp,
) -> Result<PlanStatus> {
    if plan.milestones.is_empty() {
        return Err(Error::EmptyInput {
            field: "plan.milestones".into(),
        });
    }
    for (i, o) in observations.iter().enumerate() {
        crate::check::finite(&format!("observations[{i}].value"), o.value)?;
    }
    let mut milestones = Vec::with_capacity(plan.milestones.len());
    for (mi, m) in plan.milestones.iter().enumerate() {
        if m.criteria.is_empty() {
            return Err(Error::EmptyInput {
                field: format!("plan.milestones[{mi}].criteria"),
            });
        }
        let mut criteria = Vec::with_capacity(m.criteria.len());
        for (ci, c) in m.criteria.iter().enumerate() {
            crate::check::finite(
                &format!("plan.milestones[{mi}].criteria[{ci}].target"),
                c.target,
            )?;
            criteria.push(criterion_status(m, c, observations, as_of));
        }
        let state = criteria
            .iter()
            .map(|c| c.state)
            .max()
            .unwrap_or(PlanState::AtRisk);
        milestones.push(MilestoneStatus {
            name: m.name.clone(),
            due: m.due,
            state,
            criteria,
        });
    }
    milestones.sort_by_key(|m| m.due);
    Ok(PlanStatus { as_of, milestones })
}

fn criterion_status(
    m: &PlanMilestone,
    c: &Criterion,
    observations: &[PlanObservation],
    as_of: Timestamp,
) -> CriterionStatus {
    let cutoff = m.due.min(as_of);
    let mut obs: Vec<&PlanObservation> = observations
        .iter()
        .filter(|o| o.metric == c.metric && o.at <= cutoff)
        .collect();
    obs.sort_by_key(|o| o.at);
    let latest = obs.last().copied();
    let name = c.metric.as_str();
    let want = if c.metric.higher_is_better() {
        format!("{name} >= {}", c.target)
    } else {
        format!("{name} <= {}", c.target)
    };
    let mut out = CriterionStatus {
        metric: c.metric,
        target: c.target,
        latest: latest.map(|o| o.value),
        latest_at: latest.map(|o| o.at),
        projected: None,
        state: PlanState::AtRisk,
        evidence: String::new(),
    };
    if let Some(l) = latest
        && c.metric.meets(l.value, c.target)
    {
        out.state = PlanState::Met;
        out.evidence = format!("{name} {} on {} meets {want}", l.value, l.at);
        return out;
    }
    if as_of >= m.due {
        out.state = PlanState::Missed;
        out.evidence = match latest {
            Some(l) => format!(
                "due {}: {name} was {} on {}, short of {want}",
                m.due, l.value, l.at
            ),
            None => format!("due {}: no {name} measured by then ({want})", m.due),
        };
        return out;
    }
    let projected = trend_at(&obs, m.due);
    out.projected = projected;
    match projected {
        Some(p) if c.metric.meets(p, c.target) => {
            out.state = PlanState::OnTrack;
            out.evidence = format!(
                "{name} trend of {} measurements reaches {p:.2} by {} ({want})",
                obs.len(),
                m.due
            );
        }
        Some(p) => {
            out.evidence = format!(
                "{name} trend of {} measurements reaches only {p:.2} by {}: {want} would be missed",
                obs.len(),
                m.due
            );
        }
        None => {
            out.evidence = format!(
                "{} {name} measurement(s) by {as_of}: too few for a trend to {} ({want})",
                obs.len(),
                m.due
            );
        }
    }
    out
}

/// The least-squares line through `(at, value)` evaluated at `t` (None below two distinct times).
fn trend_at(obs: &[&PlanObservation], t: Timestamp) -> Option<f64> {
    if obs.len() < 2 {
        return None;
    }
    let t0 = obs[0].at.unix() as f64;
    let xs: Vec<f64> = obs.iter().map(|o| o.at.unix() as f64 - t0).collect();
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = obs.iter().map(|o| o.value).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(obs)
        .map(|(x, o)| (x - mx) * (o.value - my))
        .sum();
    let slope = sxy / sxx;
    Some(my + slope * (t.unix() as f64 - t0 - mx))
}
