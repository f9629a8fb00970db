//! The gating policy's parameters (spec §2), roles and actors.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::{Pct, ser_num};

/// The parameters of the default gating policy (`../shared/spec/gating-policy.md` §2). Every field has the
/// spec's default; JSON names are the spec's (`window`, `latency_grace`, `max_gap` and `rollback_sla` in
/// seconds; `error_hold` and `error_rollback` in percent).
///
/// # Example
/// ```
/// use scaleplan::rollout::GatePolicy;
/// let p: GatePolicy = scaleplan::json::from_str(r#"{"p95_limit_ms": 400}"#)?;
/// assert_eq!(p.p95_limit_ms, 400.0);
/// assert_eq!(p.window, 300);
/// assert_eq!(p.error_rollback.hundredths(), 200);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatePolicy {
    /// Window length in seconds (windows are wall-clock aligned, half open). Default 300.
    pub window: i64,
    /// A window with fewer requests is Insufficient. Default 100.
    pub min_requests: u64,
    /// Window latency is Good iff `p95 <= p95_limit_ms`. Default 500.
    #[serde(serialize_with = "ser_num")]
    pub p95_limit_ms: f64,
    /// Consecutive Good windows needed to advance. Default 3.
    pub good_streak: u32,
    /// An evaluated error pool at or above this rate is a spike; the phase rate must stay below it. Default 1 %.
    pub error_hold: Pct,
    /// An evaluated error pool at or above this rate rolls back. Default 2 %.
    pub error_rollback: Pct,
    /// Seconds a latency spike may last before the phase is reverted. Default 900.
    pub latency_grace: i64,
    /// Longest gap, in seconds, allowed between analytics events. Default 600.
    pub max_gap: i64,
    /// Incident severities that block. Default `["P0", "P1"]`.
    pub blocking_severities: Vec<String>,
    /// Seconds from a rollback decision to confirmed 0 % traffic. Default 300.
    pub rollback_sla: i64,
    /// Error budget of the service's SLO in percent (0.1 for a 99.9 % SLO). When set, an extra check (E7)
    /// holds the rollout while a multi-window, multi-burn-rate alert fires (Google SRE workbook, "Alerting
    /// on SLOs"). Default: none (the spec's policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_budget_pct: Option<Pct>,
    /// When set, an extra check (E8) compares the new version's error rate with the control's (windows
    /// carrying `control_requests` and `control_errors`) by the always-valid sequential test of
    /// [`crate::significance::sequential`], and holds while the new version is significantly worse. Safe to
    /// look at every tick: the confidence sequence is valid at any stopping time. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment_vs_control: Option<crate::significance::SequentialOptions>,
}

impl Default for GatePolicy {
    fn default() -> Self {
        GatePolicy {
            window: 300,
            min_requests: 100,
            p95_limit_ms: 500.0,
            good_streak: 3,
            error_hold: Pct::from_hundredths(100),
            error_rollback: Pct::from_hundredths(200),
            latency_grace: 900,
            max_gap: 600,
            blocking_severities: vec!["P0".into(), "P1".into()],
            rollback_sla: 300,
            error_budget_pct: None,
            treatment_vs_control: None,
        }
    }
}

impl GatePolicy {
    /// Checks the parameters: positive window and streak, non-negative durations, a finite positive latency
    /// limit, `0 < error_hold <= error_rollback`.
    ///
    /// # Errors
    /// `out_of_range` or `not_finite`, naming the field.
    pub fn validate(&self) -> Result<()> {
        let range = |field: &str, value: f64, allowed: &'static str| Error::OutOfRange {
            field: field.to_string(),
            value,
            allowed,
        };
        if self.window <= 0 {
            return Err(range("window", self.window as f64, "(0, inf) seconds"));
        }
        for (field, v) in [
            ("latency_grace", self.latency_grace),
            ("max_gap", self.max_gap),
            ("rollback_sla", self.rollback_sla),
        ] {
            if v < 0 {
                return Err(range(field, v as f64, "[0, inf) seconds"));
            }
        }
        if !self.p95_limit_ms.is_finite() {
            return Err(Error::NotFinite {
                field: "p95_limit_ms".into(),
                value: self.p95_limit_ms,
            });
        }
        if self.p95_limit_ms <= 0.0 {
            return Err(range("p95_limit_ms", self.p95_limit_ms, "(0, inf)"));
        }
        if self.good_streak == 0 {
            return Err(range("good_streak", 0.0, "[1, inf)"));
        }
        if self.error_hold == Pct::ZERO {
            return Err(range("error_hold", 0.0, "(0, 100]"));
        }
        if self.error_budget_pct == Some(Pct::ZERO) {
            return Err(range("error_budget_pct", 0.0, "(0, 100]"));
        }
        if self.error_rollback < self.error_hold {
            return Err(range(
                "error_rollback",
                self.error_rollback.as_f64(),
                "[error_hold, 100]",
            ));
        }
        Ok(())
    }

    /// Whether incidents of `severity` block (E5, R3).
    pub fn blocks(&self, severity: &str) -> bool {
        self.blocking_severities.iter().any(|s| s == severity)
    }
}

/// Who may do what: `viewer < monitor < operator < operations_manager < approver < admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads only.
    Viewer,
    /// Pushes health evidence (`observe`) and reports incidents: what a monitoring integration needs.
    Monitor,
    /// Also pauses, resumes and rolls back.
    Operator,
    /// Also starts rollouts.
    OperationsManager,
    /// Also approves phases of large plans (never their own).
    Approver,
    /// Everything.
    Admin,
}

impl Role {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Monitor => "monitor",
            Role::Operator => "operator",
            Role::OperationsManager => "operations_manager",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
}

/// A person (or system) issuing a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Stable identifier (a user name).
    pub id: String,
    /// Their role.
    pub role: Role,
}

impl Actor {
    /// An actor.
    pub fn new(id: impl Into<String>, role: Role) -> Self {
        Actor {
            id: id.into(),
            role,
        }
    }

    /// The normalised id every rule compares and the audit log records: surrounding whitespace removed
    /// and lower-cased (Unicode), so that "Carol" and "carol " are one person.
    ///
    /// # Errors
    /// `invalid_actor` for a blank id.
    ///
    /// # Example
    /// ```
    /// use scaleplan::rollout::{Actor, Role};
    /// assert_eq!(Actor::new(" Carol\t", Role::Operator).key("actor")?, "carol");
    /// assert_eq!(Actor::new("  ", Role::Operator).key("actor").unwrap_err().code(), "invalid_actor");
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    pub fn key(&self, field: &str) -> Result<String> {
        let k = self.id.trim().to_lowercase();
        if k.is_empty() {
            return Err(Error::InvalidActor {
                field: field.to_string(),
                message: "the id is blank".into(),
            });
        }
        if k == "system" || k == "deployer" {
            return Err(Error::InvalidActor {
                field: field.to_string(),
                message: format!("`{k}` is reserved for the service's own audit events"),
            });
        }
        Ok(k)
    }
}

/// Normalises an actor id as [`Actor::key`] does (for ids stored before normalisation).
pub(crate) fn normalise_id(id: &str) -> String {
    id.trim().to_lowercase()
}
