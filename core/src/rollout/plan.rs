//! Rollout plans: strategies (immediate, gradual, custom), phases with their gate criteria, target scope
//! and waves. A plan is validated on construction and carries a revision number.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::money::Money;
use crate::time::{Pct, ser_opt_num};

/// How traffic is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// One phase: 100 % at once.
    Immediate,
    /// 10 % → 25 % → 50 % → 100 % with minimum durations 2 h, 4 h, 6 h and 24 h.
    Gradual,
    /// Any strictly increasing schedule.
    #[default]
    Custom,
}

/// Per-phase overrides of the gate thresholds. Unknown keys are refused, which is how a plan that names an
/// unknown metric fails validation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseGate {
    /// Latency limit for this phase (else the policy's `p95_limit_ms`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_num"
    )]
    pub p95_limit_ms: Option<f64>,
    /// Error-rate hold threshold for this phase (else the policy's `error_hold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_hold: Option<Pct>,
    /// Inclusive bounds on rows added per window, used when a window carries none of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_bounds: Option<[u64; 2]>,
}

/// One phase of a plan. Phase numbers start at 1; phase 0 is the implicit 0 % baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    /// Share of traffic on the new version.
    pub traffic_pct: Pct,
    /// Minimum clean time in the phase before it may advance (or complete), in seconds.
    pub min_duration_secs: i64,
    /// Entering this phase needs an accepted approval for it (E6).
    #[serde(default)]
    pub requires_approval: bool,
    /// Threshold overrides for this phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<PhaseGate>,
}

impl PhaseSpec {
    /// A phase with no approval and the policy's thresholds.
    pub fn new(traffic_pct: Pct, min_duration_secs: i64) -> Self {
        PhaseSpec {
            traffic_pct,
            min_duration_secs,
            requires_approval: false,
            gate: None,
        }
    }
}

/// What a rollout reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// Every region, as one target named `all`.
    #[default]
    AllRegions,
    /// These regions, in waves.
    Regions {
        /// Region names, in wave order.
        regions: Vec<String>,
    },
    /// These teams (one wave).
    Teams {
        /// Team names.
        teams: Vec<String>,
    },
}

/// How the regions of a [`Scope::Regions`] scope roll out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WaveMode {
    /// One region after another: each runs every phase, then the next starts.
    #[default]
    Sequential,
    /// All regions together.
    Parallel,
}

/// Sizes above which starting a plan needs an approval from someone other than the initiator.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalThresholds {
    /// Plans targeting more users than this need an approval for phase 1.
    #[serde(default)]
    pub max_users: Option<u64>,
    /// Plans costing more per month than this need an approval for phase 1.
    #[serde(default)]
    pub max_monthly_cost: Option<Money>,
}

/// A validated rollout plan.
///
/// # Example
/// ```
/// use scaleplan::rollout::{RolloutPlan, Scope, WaveMode};
/// let plan = RolloutPlan::gradual(Scope::Regions { regions: vec!["eu".into(), "us".into()] }, WaveMode::Sequential)?;
/// assert_eq!(plan.phases.len(), 4);
/// assert_eq!(plan.phases[3].min_duration_secs, 86_400);
/// assert_eq!(plan.waves(), vec![vec!["eu".to_string()], vec!["us".to_string()]]);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolloutPlan {
    /// Revision number: approvals are bound to it.
    #[serde(default = "one")]
    pub revision: u64,
    /// How the schedule was built.
    #[serde(default)]
    pub strategy: Strategy,
    /// Phases 1..n, traffic strictly increasing in (0, 100].
    pub phases: Vec<PhaseSpec>,
    /// What the rollout reaches.
    #[serde(default)]
    pub scope: Scope,
    /// Sequential or parallel regions.
    #[serde(default)]
    pub waves: WaveMode,
    /// Users the plan reaches at 100 % (for approval thresholds and dashboards).
    #[serde(default)]
    pub target_users: Option<u64>,
    /// Monthly cost at 100 % (for approval thresholds).
    #[serde(default)]
    pub monthly_cost: Option<Money>,
}

fn one() -> u64 {
    1
}

fn invalid(field: String, message: impl Into<String>) -> Error {
    Error::InvalidPlan {
        field,
        message: message.into(),
    }
}

impl RolloutPlan {
    /// One phase at 100 % with no minimum duration.
    ///
    /// # Errors
    /// `invalid_plan` if the scope is empty.
    pub fn immediate(scope: Scope) -> Result<Self> {
        Self::with(
            Strategy::Immediate,
            vec![PhaseSpec::new(Pct::FULL, 0)],
            scope,
            WaveMode::Parallel,
        )
    }

    /// The default gradual plan: 10 % for 2 h, 25 % for 4 h, 50 % for 6 h, 100 % for 24 h.
    ///
    /// # Errors
    /// `invalid_plan` if the scope is empty.
    pub fn gradual(scope: Scope, waves: WaveMode) -> Result<Self> {
        let phase = |h: u32, hours: i64| PhaseSpec::new(Pct::from_hundredths(h), hours * 3600);
        Self::with(
            Strategy::Gradual,
            vec![
                phase(1000, 2),
                phase(2500, 4),
                phase(5000, 6),
                phase(10_000, 24),
            ],
            scope,
            waves,
        )
    }

    /// Any strictly increasing schedule.
    ///
    /// # Errors
    /// `invalid_plan` naming the phase that breaks a rule.
    pub fn custom(phases: Vec<PhaseSpec>, scope: Scope, waves: WaveMode) -> Result<Self> {
        Self::with(Strategy::Custom, phases, scope, waves)
    }

    fn with(
        strategy: Strategy,
        phases: Vec<PhaseSpec>,
        scope: Scope,
        waves: WaveMode,
    ) -> Result<Self> {
        let plan = RolloutPlan {
            revision: 1,
            strategy,
            phases,
            scope,
            waves,
            target_users: None,
            monthly_cost: None,
        };
        plan.validate()?;
        Ok(plan)
    }

    /// Checks the plan: at least one phase; traffic strictly increasing in (0, 100]; minimum durations not
    /// negative; finite positive latency overrides; growth bounds `lo <= hi`; a scope that names something,
    /// without blanks or repeats.
    ///
    /// # Errors
    /// `invalid_plan` naming the field, e.g. `phases[2].traffic_pct`.
    pub fn validate(&self) -> Result<()> {
        if self.phases.is_empty() {
            return Err(invalid("phases".into(), "a plan needs at least one phase"));
        }
        let mut prev = Pct::ZERO;
        for (i, ph) in self.phases.iter().enumerate() {
            if ph.traffic_pct <= prev {
                return Err(invalid(
                    format!("phases[{i}].traffic_pct"),
                    format!(
                        "traffic must increase strictly above {prev} (and above 0 %), got {}",
                        ph.traffic_pct
                    ),
                ));
            }
            prev = ph.traffic_pct;
            if ph.min_duration_secs < 0 {
                return Err(invalid(
                    format!("phases[{i}].min_duration_secs"),
                    format!("must not be negative, got {}", ph.min_duration_secs),
                ));
            }
            if let Some(g) = &ph.gate {
                if let Some(p) = g.p95_limit_ms
                    && !(p.is_finite() && p > 0.0)
                {
                    return Err(invalid(
                        format!("phases[{i}].gate.p95_limit_ms"),
                        format!("must be a positive finite number, got {p}"),
                    ));
                }
                if let Some(h) = g.error_hold
                    && h == Pct::ZERO
                {
                    return Err(invalid(
                        format!("phases[{i}].gate.error_hold"),
                        "must be above 0 %",
                    ));
                }
                if let Some([lo, hi]) = g.growth_bounds
                    && lo > hi
                {
                    return Err(invalid(
                        format!("phases[{i}].gate.growth_bounds"),
                        format!("lower bound {lo} is above upper bound {hi}"),
                    ));
                }
            }
        }
        let names = match &self.scope {
            Scope::AllRegions => return Ok(()),
            Scope::Regions { regions } => ("scope.regions", regions),
            Scope::Teams { teams } => ("scope.teams", teams),
        };
        if names.1.is_empty() {
            return Err(invalid(names.0.into(), "the scope names nothing"));
        }
        for (i, n) in names.1.iter().enumerate() {
            if n.trim().is_empty() {
                return Err(invalid(format!("{}[{i}]", names.0), "a blank name"));
            }
            if names.1[..i].contains(n) {
                return Err(invalid(format!("{}[{i}]", names.0), format!("`{n}` twice")));
            }
        }
        Ok(())
    }

    /// The targets of each wave, in order.
    pub fn waves(&self) -> Vec<Vec<String>> {
        match (&self.scope, self.waves) {
            (Scope::AllRegions, _) => vec![vec!["all".to_string()]],
            (Scope::Regions { regions }, WaveMode::Sequential) => {
                regions.iter().map(|r| vec![r.clone()]).collect()
            }
            (Scope::Regions { regions }, WaveMode::Parallel) => vec![regions.clone()],
            (Scope::Teams { teams }, _) => vec![teams.clone()],
        }
    }

    /// Traffic of phase `k` (phase 0 is the baseline, 0 %).
    pub fn traffic(&self, k: usize) -> Pct {
        if k == 0 {
            Pct::ZERO
        } else {
            self.phases.get(k - 1).map_or(Pct::FULL, |p| p.traffic_pct)
        }
    }

    /// Whether starting needs an approval under `thresholds` (target users or monthly cost above them).
    ///
    /// # Errors
    /// `currency_mismatch` if the plan's cost and the threshold are in different currencies.
    pub fn needs_start_approval(&self, thresholds: &ApprovalThresholds) -> Result<bool> {
        // A plan that does not state its size is treated as above a threshold the service sets: the
        // initiator cannot skip the approval by leaving the figure out.
        if let Some(max) = thresholds.max_users {
            match self.target_users {
                Some(users) if users <= max => {}
                _ => return Ok(true),
            }
        }
        if let Some(max) = &thresholds.max_monthly_cost {
            let Some(cost) = &self.monthly_cost else {
                return Ok(true);
            };
            if max.currency != cost.currency {
                return Err(Error::CurrencyMismatch {
                    field: "monthly_cost".into(),
                    expected: max.currency.to_string(),
                    got: cost.currency.to_string(),
                });
            }
            if cost.amount > max.amount {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
