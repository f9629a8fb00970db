//! What a dashboard shows: overall traffic, per-target status, latest health, start and ETA.

use serde::{Deserialize, Serialize};

use super::gate::Window;
use super::machine::{PlatformError, Rollout, Status};
use crate::time::{Pct, Timestamp, ser_opt_num};

/// Where one target (region or team) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// At the plan's final traffic.
    Complete,
    /// In its wave, at some traffic.
    InProgress,
    /// Its wave has not started.
    Pending,
    /// A rollback was decided and the platform has not confirmed 0 % yet: `traffic_pct` is what it served
    /// when the rollback was decided.
    RollingBack,
    /// Rolled back: the platform confirmed 0 %.
    RolledBack,
}

/// Something a person should act on, as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressAlert {
    /// `rollback_overdue` (no confirmation by `decided_at + rollback_sla`), `rollback_sla_breached`
    /// (confirmed late) or `deploy_failed` (the platform failed to apply the current state).
    pub code: String,
    /// When it began.
    pub at: Timestamp,
    /// What happened, in words.
    pub message: String,
}

/// One target's line on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetProgress {
    /// Region or team.
    pub name: String,
    /// Status.
    pub status: TargetStatus,
    /// Desired traffic (rolling back: the traffic the platform served when the rollback was decided,
    /// until it confirms 0 %).
    pub traffic_pct: Pct,
}

/// Figures of the latest window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// End of the window.
    pub window_end: Timestamp,
    /// Requests.
    pub requests: u64,
    /// Errors.
    pub errors: u64,
    /// Error rate in percent (display only; gates compare integers).
    pub error_rate_pct: f64,
    /// p95 latency.
    #[serde(serialize_with = "ser_opt_num")]
    pub p95_ms: Option<f64>,
}

/// A rollout's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Rollout id.
    pub rollout_id: String,
    /// State.
    pub state: Status,
    /// Phase.
    pub phase: usize,
    /// Phases per wave.
    pub phases: usize,
    /// Current wave (0-based).
    pub wave: usize,
    /// Mean traffic over all targets, in percent.
    pub overall_pct: f64,
    /// Per target.
    pub targets: Vec<TargetProgress>,
    /// The latest window.
    pub health: Option<Health>,
    /// When it started.
    pub started_at: Option<Timestamp>,
    /// Seconds of minimum durations still ahead (current phase's remainder included), if it runs clean.
    pub remaining_min_secs: Option<i64>,
    /// `now + remaining_min_secs`: the earliest completion.
    pub eta: Option<Timestamp>,
    /// The platform the service drives (`simulated` for the simulator); None from [`progress`] alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,
    /// The platform's last failure to apply the state, while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_error: Option<PlatformError>,
    /// Open alerts.
    #[serde(default)]
    pub alerts: Vec<ProgressAlert>,
}

/// Progress of `r` at `now`, with the latest window's figures.
///
/// # Example
/// ```
/// use scaleplan::rollout::*;
/// let t0 = Timestamp::from_unix(0);
/// let plan = RolloutPlan::gradual(Scope::Regions { regions: vec!["eu".into(), "us".into()] }, WaveMode::Sequential)?;
/// let r = Rollout::new("R-1", None, plan, GatePolicy::default(), t0)?;
/// let p = progress(&r, None, t0);
/// assert_eq!(p.remaining_min_secs, Some(2 * 36 * 3600)); // two waves of 2 + 4 + 6 + 24 h
/// assert_eq!(p.targets[1].status, TargetStatus::Pending);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn progress(r: &Rollout, latest: Option<&Window>, now: Timestamp) -> Progress {
    let waves = r.plan.waves();
    let per_wave: i64 = r.plan.phases.iter().map(|p| p.min_duration_secs).sum();
    let full = r.plan.traffic(r.plan.phases.len());
    let mut targets = Vec::new();
    for (i, wave) in waves.iter().enumerate() {
        for name in wave {
            let (status, pct) = match r.status {
                Status::RollingBack => {
                    let was = r.rollback.as_ref().and_then(|rb| {
                        rb.from
                            .iter()
                            .find(|f| f.target == *name)
                            .map(|f| f.traffic_pct)
                    });
                    (TargetStatus::RollingBack, was.unwrap_or(Pct::ZERO))
                }
                Status::RolledBack => (TargetStatus::RolledBack, Pct::ZERO),
                Status::Completed => (TargetStatus::Complete, full),
                _ if i < r.wave => (TargetStatus::Complete, full),
                _ if i == r.wave && r.status != Status::Ready => {
                    (TargetStatus::InProgress, r.traffic())
                }
                _ => (TargetStatus::Pending, Pct::ZERO),
            };
            targets.push(TargetProgress {
                name: name.clone(),
                status,
                traffic_pct: pct,
            });
        }
    }
    let overall = if targets.is_empty() {
        0.0
    } else {
        let sum: u64 = targets
            .iter()
            .map(|t| u64::from(t.traffic_pct.hundredths()))
            .sum();
        (sum as f64 / targets.len() as f64).round() / 100.0
    };
    let remaining = match r.status {
        Status::Completed | Status::RolledBack | Status::RollingBack => None,
        Status::Ready => Some(per_wave * waves.len() as i64),
        _ => {
            let k = r.phase.max(1);
            let current = r.plan.phases.get(k - 1).map_or(0, |p| {
                (p.min_duration_secs - now.since(r.clean_since)).max(0)
            });
            let later: i64 = r
                .plan
                .phases
                .iter()
                .skip(k)
                .map(|p| p.min_duration_secs)
                .sum();
            let more_waves = waves.len().saturating_sub(r.wave + 1) as i64;
            Some(current + later + more_waves * per_wave)
        }
    };
    let mut alerts = Vec::new();
    if let Some(rb) = &r.rollback {
        let due = rb.decided_at.plus(r.policy.rollback_sla);
        match (r.status, rb.confirmed_at) {
            (Status::RollingBack, None) if now >= due => alerts.push(ProgressAlert {
                code: "rollback_overdue".into(),
                at: due,
                message: format!(
                    "rollback decided at {} not confirmed by the platform within {} s",
                    rb.decided_at, r.policy.rollback_sla
                ),
            }),
            (_, Some(at)) if rb.sla_met == Some(false) => alerts.push(ProgressAlert {
                code: "rollback_sla_breached".into(),
                at,
                message: format!(
                    "rollback confirmed {} s after the decision (objective {} s)",
                    rb.duration_secs.unwrap_or_default(),
                    r.policy.rollback_sla
                ),
            }),
            _ => {}
        }
    }
    if let Some(e) = &r.platform_error {
        alerts.push(ProgressAlert {
            code: "deploy_failed".into(),
            at: e.since,
            message: format!(
                "{} failed {} time(s) since {}: {}",
                e.deployer, e.attempts, e.since, e.message
            ),
        });
    }
    Progress {
        rollout_id: r.id.clone(),
        state: r.status,
        phase: r.phase,
        phases: r.plan.phases.len(),
        wave: r.wave,
        overall_pct: overall,
        targets,
        health: latest.map(|w| Health {
            window_end: w.end,
            requests: w.requests,
            errors: w.errors,
            error_rate_pct: if w.requests == 0 {
                0.0
            } else {
                100.0 * w.errors as f64 / w.requests as f64
            },
            p95_ms: w.p95_ms,
        }),
        started_at: r.started_at,
        remaining_min_secs: remaining,
        eta: remaining.map(|s| now.plus(s)),
        deployer: None,
        platform_error: r.platform_error.clone(),
        alerts,
    }
}
