//! Kubernetes HPA scaling behaviour: min/max replicas, stabilisation windows and rate policies, applied
//! to the raw recommendation of [`super::hpa_desired_replicas`].
//!
//! Semantics follow `pkg/controller/podautoscaler/horizontal.go` (`stabilizeRecommendationWithBehaviors`,
//! `convertDesiredReplicasWithBehaviorRate`, `calculateScaleUpLimitWithScalingRules`,
//! `calculateScaleDownLimitWithBehaviors`):
//!
//! 1. **Stabilise**: the result lies between the lowest recommendation of the scale-up window and the
//!    highest of the scale-down window (both including the new one), as close to the current count as
//!    that allows. Defaults: 0 s up, 300 s down.
//! 2. **Rate-limit**: each policy allows, per `period_seconds`, `value` pods or `value`% of the count at
//!    the period's start (the current count minus the changes made inside the period). `select_policy`
//!    `max` takes the most permissive policy, `min` the least, `disabled` forbids that direction. Then
//!    `min_replicas`/`max_replicas` apply. Defaults: up, the larger of +4 pods or +100% per 15 s; down,
//!    −100% per 15 s.
//!
//! Time is passed in (seconds on any monotonic clock); [`HpaState`] holds the recommendation and scale
//! event history, serialises, and is all the state there is. A recommendation or event exactly at the
//! window's edge is outside it, as in Kubernetes (`After(cutoff)`).

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

/// Whether a policy counts pods or percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// A number of pods per period.
    Pods,
    /// A percentage of the count at the period's start.
    Percent,
}

/// One rate policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalingPolicy {
    /// Pods or percent.
    #[serde(rename = "type")]
    pub kind: PolicyKind,
    /// Pods or percent per period (> 0).
    pub value: u32,
    /// The period, in seconds (1..=1800, as Kubernetes validates).
    pub period_seconds: u32,
}

/// How the policies of one direction combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectPolicy {
    /// The policy allowing the largest change.
    #[default]
    Max,
    /// The policy allowing the smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

/// The rules of one direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalingRules {
    /// Stabilisation window in seconds (0..=3600).
    pub stabilization_window_seconds: u32,
    /// How the policies combine.
    #[serde(default)]
    pub select_policy: SelectPolicy,
    /// The rate policies (at least one unless disabled).
    pub policies: Vec<ScalingPolicy>,
}

impl ScalingRules {
    /// Kubernetes' scale-up default: no stabilisation, the larger of +4 pods or +100% per 15 s.
    pub fn default_scale_up() -> ScalingRules {
        ScalingRules {
            stabilization_window_seconds: 0,
            select_policy: SelectPolicy::Max,
            policies: vec![
                ScalingPolicy {
                    kind: PolicyKind::Pods,
                    value: 4,
                    period_seconds: 15,
                },
                ScalingPolicy {
                    kind: PolicyKind::Percent,
                    value: 100,
                    period_seconds: 15,
                },
            ],
        }
    }

    /// Kubernetes' scale-down default: a 300 s stabilisation window, −100% per 15 s.
    pub fn default_scale_down() -> ScalingRules {
        ScalingRules {
            stabilization_window_seconds: 300,
            select_policy: SelectPolicy::Max,
            policies: vec![ScalingPolicy {
                kind: PolicyKind::Percent,
                value: 100,
                period_seconds: 15,
            }],
        }
    }

    fn validate(&self, field: &str) -> Result<()> {
        if self.stabilization_window_seconds > 3600 {
            return Err(Error::OutOfRange {
                field: format!("{field}.stabilization_window_seconds"),
                value: f64::from(self.stabilization_window_seconds),
                allowed: "[0, 3600]",
            });
        }
        if self.select_policy != SelectPolicy::Disabled && self.policies.is_empty() {
            return Err(Error::EmptyInput {
                field: format!("{field}.policies"),
            });
        }
        for (i, p) in self.policies.iter().enumerate() {
            if p.value == 0 {
                return Err(Error::OutOfRange {
                    field: format!("{field}.policies[{i}].value"),
                    value: 0.0,
                    allowed: "[1, inf)",
                });
            }
            if !(1..=1800).contains(&p.period_seconds) {
                return Err(Error::OutOfRange {
                    field: format!("{field}.policies[{i}].period_seconds"),
                    value: f64::from(p.period_seconds),
                    allowed: "[1, 1800]",
                });
            }
        }
        Ok(())
    }

    fn longest_period(&self) -> f64 {
        f64::from(
            self.policies
                .iter()
                .map(|p| p.period_seconds)
                .max()
                .unwrap_or(0),
        )
    }
}

fn default_min() -> u32 {
    1
}

/// An HPA's bounds and behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaBehavior {
    /// Fewest replicas (default 1).
    #[serde(default = "default_min")]
    pub min_replicas: u32,
    /// Most replicas.
    pub max_replicas: u32,
    /// Scale-up rules (Kubernetes' default when absent).
    #[serde(default = "ScalingRules::default_scale_up")]
    pub scale_up: ScalingRules,
    /// Scale-down rules (Kubernetes' default when absent).
    #[serde(default = "ScalingRules::default_scale_down")]
    pub scale_down: ScalingRules,
}

impl HpaBehavior {
    /// Kubernetes' default behaviour between `min_replicas` and `max_replicas`.
    pub fn new(min_replicas: u32, max_replicas: u32) -> HpaBehavior {
        HpaBehavior {
            min_replicas,
            max_replicas,
            scale_up: ScalingRules::default_scale_up(),
            scale_down: ScalingRules::default_scale_down(),
        }
    }

    /// Checks bounds and rules.
    ///
    /// # Errors
    /// `out_of_range` for `max_replicas < max(min_replicas, 1)` or a rule outside Kubernetes' limits;
    /// `empty_input` for a direction with no policies.
    pub fn validate(&self) -> Result<()> {
        if self.max_replicas < self.min_replicas.max(1) {
            return Err(Error::OutOfRange {
                field: "max_replicas".into(),
                value: f64::from(self.max_replicas),
                allowed: "[max(min_replicas, 1), inf)",
            });
        }
        self.scale_up.validate("scale_up")?;
        self.scale_down.validate("scale_down")
    }
}

/// A past recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedRecommendation {
    /// When, in seconds.
    pub time: f64,
    /// The raw (unstabilised) recommendation.
    pub replicas: u32,
}

/// A past scale event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleEvent {
    /// When, in seconds.
    pub time: f64,
    /// Replicas added (scale-up events) or removed (scale-down events).
    pub change: u32,
}

/// The history an HPA keeps between syncs. Serialise it to store it and resume.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaState {
    /// Raw recommendations still inside a stabilisation window.
    pub recommendations: Vec<TimedRecommendation>,
    /// Scale-up events still inside a policy period.
    pub scale_up_events: Vec<ScaleEvent>,
    /// Scale-down events still inside a policy period.
    pub scale_down_events: Vec<ScaleEvent>,
}

/// Why the count came out as it did: Kubernetes' condition reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimitReason {
    /// Within every limit.
    DesiredWithinRange,
    /// Held down by the scale-up rate.
    ScaleUpLimit,
    /// Held up by the scale-down rate.
    ScaleDownLimit,
    /// Capped at `max_replicas`.
    TooManyReplicas,
    /// Raised to `min_replicas`.
    TooFewReplicas,
}

/// The result of [`HpaState::step`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviorDecision {
    /// Replicas to run now.
    pub replicas: u32,
    /// The recommendation the caller computed.
    pub recommended: u32,
    /// After stabilisation, before rate limits.
    pub stabilized: u32,
    /// What limited the rate step.
    pub limit: LimitReason,
    /// Why, in words.
    pub reason: String,
}

impl HpaState {
    /// Stabilises `recommended` against the window history and records it (Kubernetes'
    /// `stabilizeRecommendationWithBehaviors`).
    pub fn stabilize(
        &mut self,
        behavior: &HpaBehavior,
        now: f64,
        current: u32,
        recommended: u32,
    ) -> u32 {
        let up_cutoff = now - f64::from(behavior.scale_up.stabilization_window_seconds);
        let down_cutoff = now - f64::from(behavior.scale_down.stabilization_window_seconds);
        let (mut up, mut down) = (recommended, recommended);
        for r in &self.recommendations {
            if r.time > up_cutoff {
                up = up.min(r.replicas);
            }
            if r.time > down_cutoff {
                down = down.max(r.replicas);
            }
        }
        let stabilized = current.max(up).min(down);
        let oldest = up_cutoff.min(down_cutoff);
        self.recommendations.retain(|r| r.time > oldest);
        self.recommendations.push(TimedRecommendation {
            time: now,
            replicas: recommended,
        });
        stabilized
    }

    /// Applies the rate policies and the min/max bounds to `desired` (Kubernetes'
    /// `convertDesiredReplicasWithBehaviorRate`), without recording anything.
    pub fn rate_limit(
        &self,
        behavior: &HpaBehavior,
        now: f64,
        current: u32,
        desired: u32,
    ) -> (u32, LimitReason) {
        let (cur, want) = (i64::from(current), i64::from(desired));
        if want > cur {
            let limit = self.scale_up_limit(&behavior.scale_up, now, cur).max(cur);
            let (max_allowed, why) = if i64::from(behavior.max_replicas) > limit {
                (limit, LimitReason::ScaleUpLimit)
            } else {
                (
                    i64::from(behavior.max_replicas),
                    LimitReason::TooManyReplicas,
                )
            };
            if want > max_allowed {
                return (to_u32(max_allowed), why);
            }
        } else if want < cur {
            let limit = self
                .scale_down_limit(&behavior.scale_down, now, cur)
                .min(cur);
            let (min_allowed, why) = if i64::from(behavior.min_replicas) < limit {
                (limit, LimitReason::ScaleDownLimit)
            } else {
                (
                    i64::from(behavior.min_replicas),
                    LimitReason::TooFewReplicas,
                )
            };
            if want < min_allowed {
                return (to_u32(min_allowed), why);
            }
        }
        (desired, LimitReason::DesiredWithinRange)
    }

    /// One HPA sync: stabilise, rate-limit, and record the scale event the caller then applies.
    ///
    /// # Errors
    /// As [`HpaBehavior::validate`]; `not_finite` for `now`; `out_of_range` when `now` is earlier than
    /// the last recorded time (a clock going backwards would corrupt the windows).
    ///
    /// # Example
    /// ```
    /// use scaleplan::estimate::{HpaBehavior, HpaState};
    /// let b = HpaBehavior::new(1, 100);
    /// let mut s = HpaState::default();
    /// assert_eq!(s.step(&b, 0.0, 10, 50)?.replicas, 20);  // +100% per 15 s
    /// // The 300 s scale-down window still holds the earlier 50, so a drop to 5 is held at 20.
    /// assert_eq!(s.step(&b, 60.0, 20, 5)?.replicas, 20);
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    pub fn step(
        &mut self,
        behavior: &HpaBehavior,
        now: f64,
        current: u32,
        recommended: u32,
    ) -> Result<BehaviorDecision> {
        behavior.validate()?;
        check::finite("now", now)?;
        let last = self
            .recommendations
            .iter()
            .map(|r| r.time)
            .chain(self.scale_up_events.iter().map(|e| e.time))
            .chain(self.scale_down_events.iter().map(|e| e.time))
            .fold(f64::NEG_INFINITY, f64::max);
        if now < last {
            return Err(Error::OutOfRange {
                field: "now".into(),
                value: now,
                allowed: "at or after the last recorded time",
            });
        }
        let stabilized = self.stabilize(behavior, now, current, recommended);
        let (replicas, limit) = self.rate_limit(behavior, now, current, stabilized);
        self.record(behavior, now, current, replicas);
        let reason = match (stabilized == recommended, limit) {
            (true, LimitReason::DesiredWithinRange) => format!(
                "recommended {recommended} replicas is within the stabilisation window and the rate limits"
            ),
            (s, l) => {
                let mut r = String::new();
                if !s {
                    r.push_str(&format!(
                        "stabilised {recommended} to {stabilized} (the {} window holds a {} recommendation)",
                        if recommended >= current { "scale-up" } else { "scale-down" },
                        if recommended >= current { "lower" } else { "higher" }
                    ));
                }
                if l != LimitReason::DesiredWithinRange {
                    if !r.is_empty() {
                        r.push_str("; ");
                    }
                    r.push_str(&format!("limited to {replicas} ({l:?})"));
                }
                r
            }
        };
        Ok(BehaviorDecision {
            replicas,
            recommended,
            stabilized,
            limit,
            reason,
        })
    }

    fn record(&mut self, behavior: &HpaBehavior, now: f64, before: u32, after: u32) {
        let up_cut = now - behavior.scale_up.longest_period();
        let down_cut = now - behavior.scale_down.longest_period();
        self.scale_up_events.retain(|e| e.time > up_cut);
        self.scale_down_events.retain(|e| e.time > down_cut);
        if after > before {
            self.scale_up_events.push(ScaleEvent {
                time: now,
                change: after - before,
            });
        } else if after < before {
            self.scale_down_events.push(ScaleEvent {
                time: now,
                change: before - after,
            });
        }
    }

    fn changes(events: &[ScaleEvent], now: f64, period: u32) -> i64 {
        let cutoff = now - f64::from(period);
        events
            .iter()
            .filter(|e| e.time > cutoff)
            .map(|e| i64::from(e.change))
            .sum()
    }

    fn period_start(&self, now: f64, current: i64, period: u32) -> i64 {
        current - Self::changes(&self.scale_up_events, now, period)
            + Self::changes(&self.scale_down_events, now, period)
    }

    fn scale_up_limit(&self, rules: &ScalingRules, now: f64, current: i64) -> i64 {
        let pick: fn(i64, i64) -> i64 = match rules.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => i64::min,
            SelectPolicy::Max => i64::max,
        };
        rules
            .policies
            .iter()
            .map(|p| {
                let start = self.period_start(now, current, p.period_seconds);
                match p.kind {
                    PolicyKind::Pods => start + i64::from(p.value),
                    PolicyKind::Percent => {
                        (start as f64 * (1.0 + f64::from(p.value) / 100.0)).ceil() as i64
                    }
                }
            })
            .reduce(pick)
            .unwrap_or(current)
    }

    fn scale_down_limit(&self, rules: &ScalingRules, now: f64, current: i64) -> i64 {
        let pick: fn(i64, i64) -> i64 = match rules.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => i64::max,
            SelectPolicy::Max => i64::min,
        };
        rules
            .policies
            .iter()
            .map(|p| {
                let start = self.period_start(now, current, p.period_seconds);
                match p.kind {
                    PolicyKind::Pods => start - i64::from(p.value),
                    // Go's int32(float64) truncates toward zero.
                    PolicyKind::Percent => {
                        (start as f64 * (1.0 - f64::from(p.value) / 100.0)).trunc() as i64
                    }
                }
            })
            .reduce(pick)
            .unwrap_or(current)
    }
}

fn to_u32(x: i64) -> u32 {
    x.clamp(0, i64::from(u32::MAX)) as u32
}
