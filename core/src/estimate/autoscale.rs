//! The Kubernetes Horizontal Pod Autoscaler's replica rule, with Kubernetes' own semantics:
//! `desired = ceil(ready_pods × utilization / target)` where utilization is the **integer** percentage
//! `floor(100 × Σ usage / Σ request)` over the ready pods that report metrics, no change while
//! `1 − scale_down ≤ ratio ≤ 1 + scale_up` (inclusive; Kubernetes 1.33's `HPAConfigurableTolerance`, a
//! single tolerance being the same on both sides), and the second pass for missing metrics and unready
//! pods (a missing pod counts as `max(100%, target)` of its request on a scale-down and 0% on a scale-up;
//! unready pods as 0% on a scale-up; no change when that second pass would reverse the direction).
//!
//! Source: `pkg/controller/podautoscaler/replica_calculator.go` (`GetResourceReplicas`) and
//! `metrics/utilization.go` (`GetResourceUtilizationRatio`) in kubernetes/kubernetes; the tests in
//! `core/tests/it/estimate.rs` are that package's `replica_calculator_test.go` cases, named after them.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

/// How the HPA classifies a pod (the caller applies Kubernetes' rules, which depend on clocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PodState {
    /// Running and ready: its metric counts.
    Ready,
    /// Pending, or (for CPU) not yet ready within the initialisation period / never ready: left out of
    /// the first pass, counted at 0% on a scale-up.
    Unready,
    /// Failed or being deleted: left out entirely.
    Ignored,
}

/// One pod as the HPA sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pod {
    /// Its classification.
    pub state: PodState,
    /// Resource request in milli-units (e.g. 1000 for one CPU); must be positive.
    pub request_milli: f64,
    /// Measured usage in milli-units; `None` when the metrics API returned nothing for the pod.
    #[serde(default)]
    pub usage_milli: Option<f64>,
}

/// The band around a usage ratio of 1 inside which the HPA does not scale: `1 − scale_down ≤ ratio ≤
/// 1 + scale_up`. JSON: a number (the same tolerance both ways, as before Kubernetes 1.33) or
/// `{"scale_up": 0.05, "scale_down": 0.1}` (`behavior.scaleUp.tolerance` / `behavior.scaleDown.tolerance`).
/// Default 0.1 both ways (the kube-controller-manager's `--horizontal-pod-autoscaler-tolerance`).
///
/// # Example
/// ```
/// use scaleplan::estimate::HpaTolerance;
/// let t: HpaTolerance = scaleplan::json::from_str(r#"{"scale_up": 0.0, "scale_down": 0.2}"#)?;
/// assert_eq!(t, HpaTolerance { scale_up: 0.0, scale_down: 0.2 });
/// assert_eq!(scaleplan::json::from_str::<HpaTolerance>("0.1")?, HpaTolerance::default());
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HpaTolerance {
    /// Largest ratio above 1 that does not scale up.
    pub scale_up: f64,
    /// Largest ratio below 1 that does not scale down.
    pub scale_down: f64,
}

impl HpaTolerance {
    /// The same tolerance both ways.
    pub fn symmetric(tolerance: f64) -> Self {
        HpaTolerance {
            scale_up: tolerance,
            scale_down: tolerance,
        }
    }

    fn validate(&self) -> Result<()> {
        check::non_negative("tolerance.scale_up", self.scale_up)?;
        check::non_negative("tolerance.scale_down", self.scale_down)?;
        Ok(())
    }

    /// `Tolerances.isWithin` of `replica_calculator.go`.
    fn is_within(&self, ratio: f64) -> bool {
        1.0 - self.scale_down <= ratio && ratio <= 1.0 + self.scale_up
    }
}

impl Default for HpaTolerance {
    fn default() -> Self {
        HpaTolerance::symmetric(0.1)
    }
}

impl From<f64> for HpaTolerance {
    fn from(t: f64) -> Self {
        HpaTolerance::symmetric(t)
    }
}

impl<'de> Deserialize<'de> for HpaTolerance {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Sides {
            scale_up: f64,
            scale_down: f64,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(f64),
            Sides(Sides),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "a tolerance is a number or {\"scale_up\": number, \"scale_down\": number}",
            )
        })? {
            Raw::One(t) => Ok(HpaTolerance::symmetric(t)),
            Raw::Sides(s) => Ok(HpaTolerance {
                scale_up: s.scale_up,
                scale_down: s.scale_down,
            }),
        }
    }
}

/// The result of [`hpa_desired_replicas`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaRecommendation {
    /// Replicas the HPA would ask for (before min/max and behaviour policies).
    pub desired_replicas: u64,
    /// The integer utilisation percentage over ready pods with metrics, as Kubernetes reports it.
    pub utilization_percent: u64,
    /// `utilization_percent / target`.
    pub usage_ratio: f64,
    /// Why: which branch of the rule decided.
    pub reason: String,
}

/// The HPA's desired replica count for a resource-utilisation target (see the module docs).
///
/// # Errors
/// `empty_input` when no pod is given or no ready pod reports a metric; `out_of_range` for a
/// `target_utilization_percent` that is not a positive whole number; `negative` / `not_finite` for a
/// tolerance below 0 or NaN (any non-negative tolerance is valid, as in the HPA API);
/// `not_finite` / `negative` / `not_integer` for bad milli-values (naming `pods[i].usage_milli`).
///
/// # Example
/// ```
/// use scaleplan::estimate::{hpa_desired_replicas, Pod, PodState};
/// // TestReplicaCalcScaleUp: 3 pods at 300m, 500m, 700m of 1 CPU each, target 30% -> 5 replicas.
/// let pods: Vec<Pod> = [300.0, 500.0, 700.0].iter()
///     .map(|&u| Pod { state: PodState::Ready, request_milli: 1000.0, usage_milli: Some(u) }).collect();
/// let r = hpa_desired_replicas(3, &pods, 30.0, 0.1)?;
/// assert_eq!((r.desired_replicas, r.utilization_percent), (5, 50));
/// // A scale-up tolerance of 200% holds at a ratio of 1.67 (TestReplicaCalcConfigurableTolerance).
/// let wide = scaleplan::estimate::HpaTolerance { scale_up: 2.0, scale_down: 0.1 };
/// assert_eq!(hpa_desired_replicas(3, &pods, 30.0, wide)?.desired_replicas, 3);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn hpa_desired_replicas(
    current_replicas: u64,
    pods: &[Pod],
    target_utilization_percent: f64,
    tolerance: impl Into<HpaTolerance>,
) -> Result<HpaRecommendation> {
    let tolerance: HpaTolerance = tolerance.into();
    check::non_empty("pods", pods)?;
    let target = check::count("target_utilization_percent", target_utilization_percent)?;
    if target == 0 {
        return Err(Error::OutOfRange {
            field: "target_utilization_percent".into(),
            value: target_utilization_percent,
            allowed: "whole numbers >= 1",
        });
    }
    tolerance.validate()?;
    // Group as groupPods does: ignored pods vanish, unready pods wait for the second pass, ready pods
    // without a metric are "missing". Only sums and counts are needed, so nothing is allocated.
    let fallback = target.max(100);
    let mut ready = Group::default(); // usage and request sums of ready pods with a metric
    let (mut unready, mut missing) = (Group::default(), Group::default()); // request sums
    for (i, pod) in pods.iter().enumerate() {
        let request = milli(pod.request_milli).filter(|&r| r >= 1).map_or_else(
            || pod_error(i, "request_milli", pod.request_milli, true),
            Ok,
        )?;
        let usage = match pod.usage_milli {
            Some(u) => Some(milli(u).map_or_else(|| pod_error(i, "usage_milli", u, false), Ok)?),
            None => None,
        };
        match (pod.state, usage) {
            (PodState::Ignored, _) => {}
            (PodState::Unready, _) => unready.add(0, request),
            (PodState::Ready, None) => {
                missing.add(0, request);
                missing.fallback = missing
                    .fallback
                    .saturating_add(request.saturating_mul(fallback as i64) / 100);
            }
            (PodState::Ready, Some(u)) => ready.add(u, request),
        }
    }
    if ready.n == 0 {
        return Err(Error::EmptyInput {
            field: "usage_milli of ready pods (the HPA did not receive metrics for any ready pod)"
                .into(),
        });
    }
    let (utilization, ratio) = utilization_ratio(ready, target);
    let rec = |desired: u64, reason: String| HpaRecommendation {
        desired_replicas: desired,
        utilization_percent: utilization,
        usage_ratio: ratio,
        reason,
    };
    let band = format!(
        "[{:.0}%, {:.0}%]",
        100.0 * (1.0 - tolerance.scale_down),
        100.0 * (1.0 + tolerance.scale_up)
    );
    let scale_up_with_unready = unready.n > 0 && ratio > 1.0;
    if !scale_up_with_unready && missing.n == 0 {
        if tolerance.is_within(ratio) {
            return Ok(rec(
                current_replicas,
                format!(
                    "utilization {utilization}% against a target of {target}%: the ratio {ratio:.3} is within the tolerance band {band}; no change"
                ),
            ));
        }
        let desired = (ratio * ready.n as f64).ceil() as u64;
        return Ok(rec(
            desired,
            format!(
                "utilization {utilization}% against a target of {target}% over {} ready pods: ceil({} x {ratio:.3}) = {desired}",
                ready.n, ready.n
            ),
        ));
    }
    // Second pass: fill in the pods the first pass left out, conservatively.
    let mut all = ready;
    // On a scale-down a pod without metrics counts at 100% of its request, or at the target when the
    // target is above 100% (`fallbackUtilization := max(100, targetUtilization)`), pod by pod with
    // Kubernetes' integer division (summed in `missing.fallback` above).
    if ratio < 1.0 {
        all.add_all(missing.fallback, missing.request, missing.n);
    } else if ratio > 1.0 {
        all.add_all(0, missing.request, missing.n);
    }
    if scale_up_with_unready {
        all.add_all(0, unready.request, unready.n);
    }
    let (_, new_ratio) = utilization_ratio(all, target);
    let unready_counted = if scale_up_with_unready { unready.n } else { 0 };
    let missing_at = if ratio < 1.0 {
        format!("{fallback}%")
    } else {
        "0%".into()
    };
    let assumption = format!(
        "{} pods without metrics counted at {missing_at} of their request, {unready_counted} unready pods at 0%",
        missing.n
    );
    if tolerance.is_within(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(rec(
            current_replicas,
            format!(
                "utilization {utilization}% against {target}%, but with {assumption} the ratio becomes {new_ratio:.3}, within tolerance or reversing direction; no change"
            ),
        ));
    }
    let desired = (new_ratio * all.n as f64).ceil() as u64;
    if (new_ratio < 1.0 && desired > current_replicas)
        || (new_ratio > 1.0 && desired < current_replicas)
    {
        return Ok(rec(
            current_replicas,
            format!(
                "with {assumption} the count {desired} would move against the ratio {new_ratio:.3}; no change"
            ),
        ));
    }
    Ok(rec(
        desired,
        format!(
            "utilization {utilization}% against {target}%; with {assumption}: ceil({} x {new_ratio:.3}) = {desired}",
            all.n
        ),
    ))
}

/// `GetResourceUtilizationRatio`: integer percentage `floor(100 Σ usage / Σ request)` and its ratio to
/// the target.
/// Sums of a group of pods (milli-CPU), as `groupPods` and `calculatePodRequests` produce them.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    usage: i64,
    request: i64,
    n: usize,
    /// Σ `request × max(100, target) / 100` (missing pods only).
    fallback: i64,
}

impl Group {
    fn add(&mut self, usage: i64, request: i64) {
        self.add_all(usage, request, 1);
    }
    fn add_all(&mut self, usage: i64, request: i64, n: usize) {
        self.usage = self.usage.saturating_add(usage);
        self.request = self.request.saturating_add(request);
        self.n += n;
    }
}

/// A whole, non-negative milli-value that fits every sum (None otherwise).
fn milli(x: f64) -> Option<i64> {
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_992.0)
        .then_some(x as i64)
}

/// The typed error for a bad milli-value (only built on the error path).
fn pod_error(i: usize, field: &str, x: f64, positive: bool) -> Result<i64> {
    let f = format!("pods[{i}].{field}");
    let n = check::count(&f, x)?;
    if positive {
        check::at_least(&f, n, 1)?;
    }
    Err(Error::NotInteger { field: f, value: x })
}

fn utilization_ratio(g: Group, target: u64) -> (u64, f64) {
    let utilization = (g.usage.saturating_mul(100) / g.request.max(1)) as u64;
    (utilization, utilization as f64 / target as f64)
}
