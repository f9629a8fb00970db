//! Resource estimation: what scaling a winner needs and costs.
//!
//! * [`PriceCatalog`]: exact prices from JSON or TOML.
//! * [`estimate`]: demand ([`DemandProfile`]) at the target scope through a [`CapacityModel`] (linear,
//!   USL, queueing) into line items, one-time / monthly / first-month / first-year totals, a
//!   low / expected / high range and the assumptions ([`ResourceEstimate`]).
//! * [`impact`]: the annual value of the lift, low / expected / high.
//! * [`capacity_milestones`] and [`GrowthPlan`]: configuration along a growth path; phases with
//!   hysteresis.
//! * [`cost_totals`]: exact totals of line items (`Decimal`, half-even per line, then summed).
//! * [`erlang_c`], [`min_servers`]: M/M/c queueing by the Erlang-B recursion.
//! * [`usl_fit`]: the Universal Scalability Law fitted to load-test points.
//! * [`hpa_desired_replicas`], [`HpaState::step`]: the Kubernetes HPA replica rule and its scaling
//!   behaviour (stabilisation windows, rate policies, min/max), with Kubernetes' semantics.
//! * [`scaling_triggers`]: the seed rules (CPU, connections, latency, low utilisation) with evidence.

mod autoscale;
mod behavior;
mod capacity;
mod catalog;
mod impact;
mod phases;
mod queueing;
mod resources;
mod schedule;
mod totals;
mod triggers;
mod usl;

pub use autoscale::{HpaRecommendation, HpaTolerance, Pod, PodState, hpa_desired_replicas};
pub use behavior::{
    BehaviorDecision, HpaBehavior, HpaState, LimitReason, PolicyKind, ScaleEvent, ScalingPolicy,
    ScalingRules, SelectPolicy, TimedRecommendation,
};
pub use capacity::{CapacityModel, DemandProfile, Sizing, SizingDetail};
pub use catalog::{
    BandwidthClass, CacheTier, DatabaseTier, InstanceType, PriceCatalog, StorageClass, TeamRate,
};
pub use impact::{Impact, ImpactInput, ImpactScenario, impact};
pub use phases::{GrowthPhase, GrowthPlan, PhaseRecommendation, PhaseTransition};
pub use queueing::{
    ErlangC, MAX_SERVERS, ServerCriterion, erlang_c, min_servers, min_servers_batch,
};
pub use resources::{
    Configuration, CostRange, EstimateRequest, LiftRange, Milestone, MilestonePlan,
    ResourceEstimate, ScenarioCost, TeamHours, TierChoice, capacity_milestones, estimate,
};
pub use schedule::{
    BACKTEST_DAYS, PredictiveSchedule, ScalingAction, ScheduleBacktest, ScheduleMode,
    ScheduleOptions, ScheduleStep, backtest_schedule, predictive_schedule,
};
pub use totals::{CostKind, CostTotals, LineItem, LineTotal, cost_totals};
pub use triggers::{
    Evidence, Sample, TriggerAction, TriggerInput, TriggerRecommendation, TriggerReport,
    TriggerRules, scaling_triggers,
};
pub use usl::{UslCoefficient, UslCoefficients, UslFit, usl_fit};
