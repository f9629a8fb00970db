//! Gate evidence and reasons: metric windows, incidents, window status, and the [`Reason`] every decision
//! carries (gating policy §3–§5 and its reason table).

use serde::{Deserialize, Serialize};

use super::policy::GatePolicy;
use crate::error::{Error, Result};
use crate::time::{Pct, Timestamp, ser_num, ser_opt_num};

/// One metric window `[start, end)` of the new version's traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Start (a multiple of the policy's window since the epoch).
    pub start: Timestamp,
    /// End = start + window.
    pub end: Timestamp,
    /// Requests served.
    pub requests: u64,
    /// Failed requests (5xx), at most `requests`.
    pub errors: u64,
    /// 95th percentile latency in milliseconds; may be null only for an Insufficient window.
    #[serde(default, serialize_with = "ser_opt_num")]
    pub p95_ms: Option<f64>,
    /// Rows added to the watched collection in the window (null: not checked).
    #[serde(default)]
    pub rows_added: Option<u64>,
    /// Inclusive bounds for `rows_added` (null: the phase's bounds, if any).
    #[serde(default)]
    pub growth_bounds: Option<[u64; 2]>,
    /// Duplicate writes seen in the window.
    #[serde(default)]
    pub duplicates: u64,
    /// When the window reached scaleplan (default: its end). After its end it missed its tick.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<Timestamp>,
    /// Requests served by the control (old version) in the window, for the treatment-vs-control check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_requests: Option<u64>,
    /// Control errors in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_errors: Option<u64>,
}

impl Window {
    /// The checks every window passes whatever the policy: at most as many errors as requests and a
    /// finite, non-negative p95; the failing field and why.
    pub(crate) fn check_figures(&self) -> std::result::Result<(), (&'static str, String)> {
        if self.errors > self.requests {
            return Err((
                "errors",
                format!("{} errors exceed {} requests", self.errors, self.requests),
            ));
        }
        match self.p95_ms {
            Some(p) if !p.is_finite() || p < 0.0 => {
                Err(("p95_ms", format!("must be a finite number >= 0, got {p}")))
            }
            _ => Ok(()),
        }
    }

    /// A window with only the request, error and latency figures.
    pub fn new(
        start: Timestamp,
        end: Timestamp,
        requests: u64,
        errors: u64,
        p95_ms: Option<f64>,
    ) -> Self {
        Window {
            start,
            end,
            requests,
            errors,
            p95_ms,
            rows_added: None,
            growth_bounds: None,
            duplicates: 0,
            received_at: None,
            control_requests: None,
            control_errors: None,
        }
    }
}

/// Latency status of a window (§4). Latency is never pooled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowStatus {
    /// `requests >= min_requests` and `p95 <= limit`.
    Good,
    /// `requests >= min_requests` and `p95 > limit`.
    Breach,
    /// `requests < min_requests`: proves nothing.
    Insufficient,
}

/// The status of a window with `requests` and `p95_ms` under `min_requests` and `limit`.
///
/// # Example
/// ```
/// use scaleplan::rollout::{window_status, WindowStatus};
/// assert_eq!(window_status(2000, Some(500.0), 100, 500.0), WindowStatus::Good); // exactly 500 ms is Good
/// assert_eq!(window_status(2000, Some(500.5), 100, 500.0), WindowStatus::Breach);
/// assert_eq!(window_status(99, Some(900.0), 100, 500.0), WindowStatus::Insufficient);
/// ```
pub fn window_status(
    requests: u64,
    p95_ms: Option<f64>,
    min_requests: u64,
    limit: f64,
) -> WindowStatus {
    if requests < min_requests {
        return WindowStatus::Insufficient;
    }
    match p95_ms {
        Some(p) if p <= limit => WindowStatus::Good,
        _ => WindowStatus::Breach,
    }
}

/// An incident as known at some instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// Identifier, e.g. `INC-7`.
    pub id: String,
    /// Severity, e.g. `P0`; blocking iff in the policy's `blocking_severities`.
    pub severity: String,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// When it was resolved (null: open).
    pub resolved_at: Option<Timestamp>,
}

impl Incident {
    /// Checks the incident: an id and a severity, and not resolved before it opened.
    ///
    /// # Errors
    /// `invalid_incident`.
    ///
    /// # Example
    /// ```
    /// use scaleplan::rollout::{Incident, Timestamp};
    /// let i = Incident { id: "INC-7".into(), severity: "P1".into(), opened_at: Timestamp::from_unix(600),
    ///                    resolved_at: Some(Timestamp::from_unix(300)) };
    /// assert_eq!(i.validate().unwrap_err().code(), "invalid_incident");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let bad = |message: String| Error::InvalidIncident {
            id: self.id.clone(),
            message,
        };
        if self.id.trim().is_empty() {
            return Err(bad("the id is blank".into()));
        }
        if self.severity.trim().is_empty() {
            return Err(bad("the severity is blank".into()));
        }
        if let Some(r) = self.resolved_at
            && r < self.opened_at
        {
            return Err(bad(format!(
                "resolved at {r}, before it opened at {}",
                self.opened_at
            )));
        }
        Ok(())
    }

    /// Open at `t`: `opened_at <= t < resolved_at`.
    pub fn open_at(&self, t: Timestamp) -> bool {
        self.opened_at <= t && self.resolved_at.is_none_or(|r| t < r)
    }

    /// The incident as it was known at `t`: `None` if not yet opened, unresolved if resolved after `t`.
    pub fn as_known_at(&self, t: Timestamp) -> Option<Incident> {
        if self.opened_at > t {
            return None;
        }
        let mut i = self.clone();
        if i.resolved_at.is_some_and(|r| r > t) {
            i.resolved_at = None;
        }
        Some(i)
    }
}

/// Why a decision was taken, or what stands in the way (the spec's reason table). Serialised with its
/// `code` and its fields, so an operator can print why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// R1: an evaluated error pool at or above the rollback rate.
    ErrorRateAtOrAboveRollback {
        /// Errors in the pool.
        errors: u64,
        /// Requests in the pool.
        requests: u64,
        /// The rollback threshold.
        threshold_pct: Pct,
        /// Start of the pool's first window.
        window_start: Timestamp,
        /// End of its last window (the tick).
        window_end: Timestamp,
    },
    /// R4: the window ending at the tick breached the latency limit.
    LatencySpike {
        /// The window's end.
        window_end: Timestamp,
        /// Its p95.
        #[serde(serialize_with = "ser_num")]
        p95_ms: f64,
        /// When the spike must have resolved.
        deadline: Timestamp,
    },
    /// R2: every window of the grace period was Good.
    LatencyRecovered {
        /// When the spike began.
        spike_at: Timestamp,
    },
    /// R2: the spike did not resolve in time.
    LatencySpikeUnresolved {
        /// When the spike began.
        spike_at: Timestamp,
        /// End of the first missing or non-Good window of the grace period.
        bad_window: Timestamp,
    },
    /// R5: every eligibility check passed.
    CriteriaMet {
        /// Start of the clean stretch.
        clean_since: Timestamp,
    },
    /// R5: an approval was used by this advance.
    ApprovalConsumed {
        /// The approver.
        actor_id: String,
        /// The phase it authorised.
        target_phase: usize,
    },
    /// R5 on the last phase of a wave when another wave follows: the next wave starts at phase 1.
    NextWave {
        /// The wave now starting (0-based).
        wave: usize,
        /// Its targets.
        targets: Vec<String>,
    },
    /// D1: an evaluated pool with `error_hold <= rate < error_rollback`.
    ErrorSpike {
        /// Errors in the pool.
        errors: u64,
        /// Requests in the pool.
        requests: u64,
        /// Start of the pool's first window.
        window_start: Timestamp,
        /// The tick.
        window_end: Timestamp,
    },
    /// D2: a gap longer than `max_gap` between analytics events closed.
    DataGapClosed {
        /// Previous event (or the attempt start).
        from: Timestamp,
        /// The event that closed the gap.
        to: Timestamp,
        /// Its length in seconds.
        length_secs: i64,
    },
    /// D3: rows added outside the growth bounds.
    GrowthOutOfBounds {
        /// The window's end.
        window_end: Timestamp,
        /// Rows added.
        rows_added: u64,
        /// Lower bound.
        lo: u64,
        /// Upper bound.
        hi: u64,
    },
    /// D3: duplicate writes.
    DuplicateWrites {
        /// The window's end.
        window_end: Timestamp,
        /// How many.
        count: u64,
    },
    /// D4: a blocking incident overlapping the attempt was resolved.
    IncidentResolved {
        /// Incident id.
        id: String,
        /// Its severity.
        severity: String,
        /// When.
        resolved_at: Timestamp,
    },
    /// E1.
    MinDurationNotElapsed {
        /// Start of the clean stretch.
        clean_since: Timestamp,
        /// Seconds still needed.
        remaining_secs: i64,
    },
    /// E2: a window of the streak is missing.
    InsufficientWindows {
        /// Windows of the streak present.
        found: u32,
        /// Windows required.
        required: u32,
    },
    /// E2: the latest non-Good window of the streak had too few requests.
    InsufficientVolume {
        /// The window's end.
        window_end: Timestamp,
        /// Its requests.
        requests: u64,
    },
    /// E2: the latest non-Good window of the streak breached.
    LatencyStreakBroken {
        /// The window's end.
        window_end: Timestamp,
        /// Its p95.
        #[serde(serialize_with = "ser_opt_num")]
        p95_ms: Option<f64>,
    },
    /// E3: no requests since the clean stretch began.
    NoRequests,
    /// E3: the phase's error rate since `clean_since` is at or above `error_hold`.
    PhaseErrorRateTooHigh {
        /// Errors.
        errors: u64,
        /// Requests.
        requests: u64,
    },
    /// E4: no analytics event for longer than `max_gap`.
    DataGapOngoing {
        /// The last event (or the attempt start).
        since: Timestamp,
        /// Seconds since.
        length_secs: i64,
    },
    /// E5, R3, R2 pause, paused: a blocking incident is open.
    IncidentOpen {
        /// Incident id.
        id: String,
        /// Its severity.
        severity: String,
    },
    /// E6: the next phase needs an approval.
    AwaitingApproval {
        /// The phase to be approved.
        target_phase: usize,
    },
    /// R6 while paused by hand.
    PausedManual {
        /// Paused since.
        since: Timestamp,
    },
    /// R6 while paused for an incident.
    PausedIncident {
        /// Paused since.
        since: Timestamp,
    },
    /// R6 while paused after a revert.
    PausedReverted {
        /// Paused since.
        since: Timestamp,
    },
    /// R6 while paused after a revert to the baseline.
    PausedRevertedToBaseline {
        /// Paused since.
        since: Timestamp,
    },
    /// R6 while rolling back.
    RollingBack {
        /// Rolling back since.
        since: Timestamp,
    },
    /// R6 while a latency spike's grace period runs.
    PausedLatencySpike {
        /// When the spike began.
        spike_at: Timestamp,
        /// End of the grace period.
        deadline: Timestamp,
        /// Seconds until then.
        time_left_secs: i64,
    },
    /// Paused, not for latency, no incident open: waiting for a resume.
    AwaitingResume,
    /// E7 (only with `error_budget_pct`): a multi-window burn-rate alert fires.
    ErrorBudgetBurn {
        /// `page` (fast burn) or `ticket` (slow burn).
        severity: BurnSeverity,
        /// The long window, seconds.
        long_window_secs: i64,
        /// The short window, seconds.
        short_window_secs: i64,
        /// Burn-rate threshold (both windows must exceed it).
        #[serde(serialize_with = "ser_num")]
        threshold: f64,
        /// Burn rate over the long window.
        #[serde(serialize_with = "ser_num")]
        burn_long: f64,
        /// Burn rate over the short window.
        #[serde(serialize_with = "ser_num")]
        burn_short: f64,
    },
    /// E8 (only with `treatment_vs_control`): the new version's error rate is significantly above the
    /// control's by the always-valid sequential test.
    TreatmentWorseThanControl {
        /// New version's error rate since the clean stretch began, percent.
        #[serde(serialize_with = "ser_num")]
        treatment_error_pct: f64,
        /// Control's error rate over the same windows, percent.
        #[serde(serialize_with = "ser_num")]
        control_error_pct: f64,
        /// Always-valid p-value.
        #[serde(serialize_with = "ser_num")]
        p_value: f64,
    },
    /// The platform failed to apply the committed state (recorded by the service, not by the gate); the
    /// service re-applies it on its next call.
    DeployFailed {
        /// The deployer's name.
        deployer: String,
        /// What the rollout wanted: `apply` (traffic) or `rollback` (0 %).
        action: String,
        /// The platform's message.
        message: String,
        /// Failed attempts in a row.
        attempts: u32,
    },
    /// Paused (no timer), and the window ending at the tick breached.
    LatencyBreach {
        /// The window's end.
        window_end: Timestamp,
        /// Its p95.
        #[serde(serialize_with = "ser_opt_num")]
        p95_ms: Option<f64>,
    },
}

impl Reason {
    /// The reason's snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::ErrorRateAtOrAboveRollback { .. } => "error_rate_at_or_above_rollback",
            Reason::LatencySpike { .. } => "latency_spike",
            Reason::LatencyRecovered { .. } => "latency_recovered",
            Reason::LatencySpikeUnresolved { .. } => "latency_spike_unresolved",
            Reason::CriteriaMet { .. } => "criteria_met",
            Reason::ApprovalConsumed { .. } => "approval_consumed",
            Reason::NextWave { .. } => "next_wave",
            Reason::ErrorSpike { .. } => "error_spike",
            Reason::DataGapClosed { .. } => "data_gap_closed",
            Reason::GrowthOutOfBounds { .. } => "growth_out_of_bounds",
            Reason::DuplicateWrites { .. } => "duplicate_writes",
            Reason::IncidentResolved { .. } => "incident_resolved",
            Reason::MinDurationNotElapsed { .. } => "min_duration_not_elapsed",
            Reason::InsufficientWindows { .. } => "insufficient_windows",
            Reason::InsufficientVolume { .. } => "insufficient_volume",
            Reason::LatencyStreakBroken { .. } => "latency_streak_broken",
            Reason::NoRequests => "no_requests",
            Reason::PhaseErrorRateTooHigh { .. } => "phase_error_rate_too_high",
            Reason::DataGapOngoing { .. } => "data_gap_ongoing",
            Reason::IncidentOpen { .. } => "incident_open",
            Reason::AwaitingApproval { .. } => "awaiting_approval",
            Reason::PausedManual { .. } => "paused_manual",
            Reason::PausedIncident { .. } => "paused_incident",
            Reason::PausedReverted { .. } => "paused_reverted",
            Reason::PausedRevertedToBaseline { .. } => "paused_reverted_to_baseline",
            Reason::RollingBack { .. } => "rolling_back",
            Reason::PausedLatencySpike { .. } => "paused_latency_spike",
            Reason::AwaitingResume => "awaiting_resume",
            Reason::ErrorBudgetBurn { .. } => "error_budget_burn",
            Reason::TreatmentWorseThanControl { .. } => "treatment_worse_than_control",
            Reason::LatencyBreach { .. } => "latency_breach",
            Reason::DeployFailed { .. } => "deploy_failed",
        }
    }
}

/// Errors of a pool or a phase against a threshold, exactly: `100 * errors >= pct * requests`.
pub(crate) fn rate_at_least(errors: u64, requests: u64, pct: Pct) -> bool {
    pct.reached_by(errors, requests)
}

/// Effective thresholds of one phase: the policy, with the phase's overrides.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    pub p95_limit_ms: f64,
    pub error_hold: Pct,
    pub growth_bounds: Option<[u64; 2]>,
}

impl Thresholds {
    pub(crate) fn of(policy: &GatePolicy, gate: Option<&super::plan::PhaseGate>) -> Self {
        Thresholds {
            p95_limit_ms: gate
                .and_then(|g| g.p95_limit_ms)
                .unwrap_or(policy.p95_limit_ms),
            error_hold: gate.and_then(|g| g.error_hold).unwrap_or(policy.error_hold),
            growth_bounds: gate.and_then(|g| g.growth_bounds),
        }
    }
}

/// How urgent a burn-rate alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BurnSeverity {
    /// Fast burn: a person should act now.
    Page,
    /// Slow burn: a ticket.
    Ticket,
}

/// Requests and errors of one window, as the burn-rate check keeps them (any window of the rollout, not
/// only the current attempt's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetSample {
    /// Window end.
    pub end: Timestamp,
    /// Requests.
    pub requests: u64,
    /// Errors.
    pub errors: u64,
}

/// The SRE workbook's multi-window, multi-burn-rate pairs ("Alerting on SLOs", recommended parameters
/// for a 99.9 % SLO, extended with its 1 d / 2 h ticket): (long window, short window, burn rate in tenths,
/// severity).
pub const BURN_RATE_PAIRS: [(i64, i64, u32, BurnSeverity); 4] = [
    (3_600, 300, 144, BurnSeverity::Page),
    (21_600, 1_800, 60, BurnSeverity::Page),
    (86_400, 7_200, 30, BurnSeverity::Ticket),
    (259_200, 21_600, 10, BurnSeverity::Ticket),
];

/// A firing burn-rate alert.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BurnAlert {
    /// Page or ticket.
    pub severity: BurnSeverity,
    /// The long window, seconds.
    pub long_window_secs: i64,
    /// The short window, seconds.
    pub short_window_secs: i64,
    /// The threshold both windows exceed.
    pub threshold: f64,
    /// Burn rate over the long window (rounded to 0.001 for display).
    pub burn_long: f64,
    /// Burn rate over the short window (rounded to 0.001 for display).
    pub burn_short: f64,
}

/// The longest window the burn-rate check looks at (3 days).
pub const BURN_HORIZON_SECS: i64 = 259_200;

fn sums(samples: &[BudgetSample], t: Timestamp, secs: i64) -> (u64, u64) {
    let from = t.plus(-secs);
    samples
        .iter()
        .filter(|s| s.end > from && s.end <= t)
        .fold((0, 0), |(r, e), s| {
            (r.saturating_add(s.requests), e.saturating_add(s.errors))
        })
}

/// One window pair of [`BURN_RATE_PAIRS`] evaluated at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BurnRate {
    /// Page or ticket.
    pub severity: BurnSeverity,
    /// The long window, seconds.
    pub long_window_secs: i64,
    /// The short window, seconds.
    pub short_window_secs: i64,
    /// The threshold.
    pub threshold: f64,
    /// Burn rate over the long window (rounded to 0.001 for display).
    pub burn_long: f64,
    /// Burn rate over the short window (rounded to 0.001 for display).
    pub burn_short: f64,
    /// Both windows exceed the threshold (compared exactly, in integers).
    pub firing: bool,
}

/// Every pair of [`BURN_RATE_PAIRS`] at `t` for an error budget of `budget_e8` units of 1e-8 (0.1 % is
/// 100,000): the burn rate of a window is `(errors / requests) / budget`, and a pair fires when it
/// exceeds the threshold over both its long and its short window, compared exactly in integers
/// (`10⁹ · errors > threshold_tenths · budget_e8 · requests`). Windows without requests never fire. The
/// one implementation behind the gate's [`burn_rate_alerts`] and the SLO report.
///
/// # Example
/// ```
/// use scaleplan::rollout::{burn_rates, BudgetSample, Timestamp};
/// let t = Timestamp::from_unix(86_400);
/// // the SRE workbook's page: 1.5 % errors for an hour against a 99.9 % objective burns at 15 > 14.4
/// // after five clean hours
/// let samples: Vec<BudgetSample> = (0..72).map(|i| BudgetSample {
///     end: t.plus(-300 * i), requests: 2000, errors: if i < 12 { 30 } else { 0 } }).collect();
/// let r = burn_rates(&samples, t, 100_000);
/// assert!(r[0].firing && r[0].burn_long == 15.0);
/// assert!(!r[1].firing && r[1].burn_long == 2.5); // 6 h: 15 x 1 h / 6 h = 2.5 < 6
/// ```
pub fn burn_rates(samples: &[BudgetSample], t: Timestamp, budget_e8: u64) -> Vec<BurnRate> {
    let over = |errors: u64, requests: u64, tenths: u32| {
        requests > 0
            && budget_e8 > 0
            && 1_000_000_000u128 * u128::from(errors)
                > u128::from(tenths) * u128::from(budget_e8) * u128::from(requests)
    };
    let burn = |errors: u64, requests: u64| {
        if requests == 0 || budget_e8 == 0 {
            0.0
        } else {
            let b = errors as f64 / requests as f64 / (budget_e8 as f64 * 1e-8);
            (b * 1000.0).round() / 1000.0
        }
    };
    BURN_RATE_PAIRS
        .iter()
        .map(|&(long, short, tenths, severity)| {
            let (rl, el) = sums(samples, t, long);
            let (rs, es) = sums(samples, t, short);
            BurnRate {
                severity,
                long_window_secs: long,
                short_window_secs: short,
                threshold: f64::from(tenths) / 10.0,
                burn_long: burn(el, rl),
                burn_short: burn(es, rs),
                firing: over(el, rl, tenths) && over(es, rs, tenths),
            }
        })
        .collect()
}

/// Burn-rate alerts firing at `t` for an SLO whose error budget is `budget` (0.1 % for 99.9 %): the
/// firing pairs of [`burn_rates`].
///
/// # Example
/// ```
/// use scaleplan::rollout::{burn_rate_alerts, BudgetSample, BurnSeverity, Pct, Timestamp};
/// let t = Timestamp::from_unix(86_400);
/// // one hour at 1.5 % errors against a 0.1 % budget: burn rate 15 > 14.4 on 1 h and on 5 min
/// let samples: Vec<BudgetSample> = (0..12).map(|i| BudgetSample {
///     end: t.plus(-300 * i), requests: 2000, errors: 30 }).collect();
/// let alerts = burn_rate_alerts(&samples, t, Pct::new(0.1).unwrap());
/// assert_eq!(alerts[0].severity, BurnSeverity::Page);
/// assert_eq!((alerts[0].long_window_secs, alerts[0].burn_short), (3600, 15.0));
/// ```
pub fn burn_rate_alerts(samples: &[BudgetSample], t: Timestamp, budget: Pct) -> Vec<BurnAlert> {
    // hundredths of a percent are units of 1e-4: 10,000 units of 1e-8 each
    burn_rates(samples, t, u64::from(budget.hundredths()) * 10_000)
        .into_iter()
        .filter(|r| r.firing)
        .map(|r| BurnAlert {
            severity: r.severity,
            long_window_secs: r.long_window_secs,
            short_window_secs: r.short_window_secs,
            threshold: r.threshold,
            burn_long: r.burn_long,
            burn_short: r.burn_short,
        })
        .collect()
}
