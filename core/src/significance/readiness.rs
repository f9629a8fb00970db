//! Readiness, the "ready to scale" flag: an experiment and a policy in, a verdict with every reason out.

use serde::{Deserialize, Serialize};

use super::{
    Correction, Interval, MeanSummary, Proportion, RatioSummary, SequentialOptions, SrmOptions,
    SrmResult, TestOptions, correct, ratio, relative_change, sequential, srm, two_proportions,
    welch,
};
use crate::check;
use crate::error::{Error, Result};

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better (conversion, revenue).
    #[default]
    Increase,
    /// Lower is better (latency, errors, cost).
    Decrease,
}

/// The two arms of one metric, by kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetricData {
    /// Conversions out of visitors.
    Proportion {
        /// Control arm.
        control: Proportion,
        /// Treatment arm.
        treatment: Proportion,
    },
    /// A continuous metric from summary statistics.
    Mean {
        /// Control arm.
        control: MeanSummary,
        /// Treatment arm.
        treatment: MeanSummary,
    },
    /// A ratio metric from per-unit sums.
    Ratio {
        /// Control arm.
        control: RatioSummary,
        /// Treatment arm.
        treatment: RatioSummary,
    },
}

/// One metric of an experiment. JSON:
/// `{"name": "conversion", "kind": "proportion", "direction": "increase", "control": {...}, "treatment": {...}}`
/// where `kind` is `proportion`, `mean` or `ratio` and the arms are [`Proportion`], [`MeanSummary`] or
/// [`RatioSummary`]; `direction` defaults to `increase`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawMetric")]
pub struct Metric {
    /// Unique name within the experiment.
    pub name: String,
    /// Which way is better.
    pub direction: Direction,
    /// The arms.
    pub data: MetricData,
}

#[derive(Deserialize, Serialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum MetricKind {
    Proportion,
    Mean,
    Ratio,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    name: String,
    kind: MetricKind,
    #[serde(default)]
    direction: Direction,
    control: serde_json::Value,
    treatment: serde_json::Value,
}

impl TryFrom<RawMetric> for Metric {
    type Error = String;
    fn try_from(r: RawMetric) -> std::result::Result<Self, String> {
        fn arm<T: serde::de::DeserializeOwned>(
            metric: &str,
            which: &str,
            v: serde_json::Value,
        ) -> std::result::Result<T, String> {
            serde_json::from_value(v).map_err(|e| format!("metric `{metric}`, {which}: {e}"))
        }
        let (c, t) = (r.control, r.treatment);
        let data = match r.kind {
            MetricKind::Proportion => MetricData::Proportion {
                control: arm(&r.name, "control", c)?,
                treatment: arm(&r.name, "treatment", t)?,
            },
            MetricKind::Mean => MetricData::Mean {
                control: arm(&r.name, "control", c)?,
                treatment: arm(&r.name, "treatment", t)?,
            },
            MetricKind::Ratio => MetricData::Ratio {
                control: arm(&r.name, "control", c)?,
                treatment: arm(&r.name, "treatment", t)?,
            },
        };
        Ok(Metric {
            name: r.name,
            direction: r.direction,
            data,
        })
    }
}

impl Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Arm<'a> {
            P(&'a Proportion),
            M(&'a MeanSummary),
            R(&'a RatioSummary),
        }
        #[derive(Serialize)]
        struct Out<'a> {
            name: &'a str,
            kind: MetricKind,
            direction: Direction,
            control: Arm<'a>,
            treatment: Arm<'a>,
        }
        let (kind, control, treatment) = match &self.data {
            MetricData::Proportion { control, treatment } => {
                (MetricKind::Proportion, Arm::P(control), Arm::P(treatment))
            }
            MetricData::Mean { control, treatment } => {
                (MetricKind::Mean, Arm::M(control), Arm::M(treatment))
            }
            MetricData::Ratio { control, treatment } => {
                (MetricKind::Ratio, Arm::R(control), Arm::R(treatment))
            }
        };
        Out {
            name: &self.name,
            kind,
            direction: self.direction,
            control,
            treatment,
        }
        .serialize(s)
    }
}

/// Units assigned to each arm, and the configured split, for the sample-ratio-mismatch check.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Units assigned to the control.
    pub control_units: u64,
    /// Units assigned to the treatment.
    pub treatment_units: u64,
    /// Configured share of the treatment in (0, 1); default 0.5.
    #[serde(default = "half")]
    pub treatment_share: f64,
}

fn half() -> f64 {
    0.5
}

/// An experiment: its assignment, its runtime and its metrics.
///
/// # Example
/// ```
/// use scaleplan::significance::Experiment;
/// let e: Experiment = scaleplan::json::from_str(r#"{
///   "name": "one-click-checkout", "runtime_days": 14,
///   "assignment": {"control_units": 10000, "treatment_units": 10050},
///   "metrics": [{"name": "conversion", "kind": "proportion",
///                "control": {"visitors": 10000, "conversions": 1000},
///                "treatment": {"visitors": 10050, "conversions": 1230}}]}"#)?;
/// assert_eq!(e.metrics.len(), 1);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    /// Name.
    pub name: String,
    /// Days the experiment has run.
    pub runtime_days: f64,
    /// Units per arm and the configured split.
    pub assignment: Assignment,
    /// Metrics, each with a unique name.
    pub metrics: Vec<Metric>,
}

/// A guardrail: a metric that must not get worse than `max_relative_regression` (e.g. 0.02 = 2%).
///
/// The margin must be positive: a non-inferiority test with a margin of 0 asks the interval to rule out
/// *any* regression, which an unchanged metric never does (half its interval lies on the bad side), so
/// such a guardrail could never pass and is refused as `invalid_policy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardrailRule {
    /// The metric's name.
    pub metric: String,
    /// Largest tolerated relative change in the bad direction, `> 0`.
    pub max_relative_regression: f64,
}

/// The rules that decide whether an experiment is ready to scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadinessPolicy {
    /// The metric that must win.
    pub primary_metric: String,
    /// Significance level; default 0.05.
    pub alpha: f64,
    /// Multiple-testing correction within each family; default Holm.
    pub correction: Correction,
    /// Which metrics the decision's correction spans; default [`CorrectionFamily::Primary`], so that
    /// reporting one more secondary metric never changes the verdict.
    pub correction_family: CorrectionFamily,
    /// Minimum units per arm; default 1,000.
    pub min_sample_per_arm: u64,
    /// Minimum runtime in days; default 7 (a full weekly cycle).
    pub min_runtime_days: f64,
    /// Whether to run the sample-ratio-mismatch check; default true.
    pub srm_check: bool,
    /// SRM p-value threshold; default 0.001.
    pub srm_threshold: f64,
    /// Guardrail metrics and their margins.
    pub guardrails: Vec<GuardrailRule>,
    /// When set, the primary and secondary metrics use always-valid p-values and confidence sequences,
    /// so the flag may be checked at every tick without inflating false positives.
    pub sequential: Option<SequentialOptions>,
}

impl Default for ReadinessPolicy {
    fn default() -> Self {
        ReadinessPolicy {
            primary_metric: String::new(),
            alpha: 0.05,
            correction: Correction::Holm,
            correction_family: CorrectionFamily::Primary,
            min_sample_per_arm: 1000,
            min_runtime_days: 7.0,
            srm_check: true,
            srm_threshold: 0.001,
            guardrails: Vec::new(),
            sequential: None,
        }
    }
}

/// The family of metrics whose p-values are corrected together for the decision.
///
/// Guardrails are never in it: they are non-inferiority tests, judged on their intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionFamily {
    /// The decision metrics only (the primary). Secondary metrics are corrected among themselves, for the
    /// report, and never change the verdict. The default, as in GrowthBook and Eppo, which correct goal
    /// metrics and report secondary metrics apart.
    #[default]
    Primary,
    /// The primary and every secondary metric in one family: a stricter decision that weakens with every
    /// metric added.
    PrimaryAndSecondary,
}

impl CorrectionFamily {
    fn name(self) -> &'static str {
        match self {
            CorrectionFamily::Primary => "primary",
            CorrectionFamily::PrimaryAndSecondary => "primary_and_secondary",
        }
    }
}

/// A metric's role in the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricRole {
    /// Must win.
    Primary,
    /// Reported, does not gate; corrected with the primary only under
    /// [`CorrectionFamily::PrimaryAndSecondary`].
    Secondary,
    /// Must not regress beyond its margin.
    Guardrail,
}

/// The verdict on one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Significant change in the good direction.
    Win,
    /// Significant change in the bad direction.
    Loss,
    /// Not significant.
    Inconclusive,
    /// Guardrail: the interval rules out a regression beyond the margin.
    Pass,
    /// Guardrail: the estimate is worse than the margin.
    Regressed,
    /// Guardrail: the interval does not rule out a regression beyond the margin.
    Unproven,
}

/// The analysis of one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricVerdict {
    /// Metric name.
    pub metric: String,
    /// Role in the decision.
    pub role: MetricRole,
    /// Which way is better.
    pub direction: Direction,
    /// Control value (rate, mean or ratio).
    pub control_value: f64,
    /// Treatment value.
    pub treatment_value: f64,
    /// `treatment - control`.
    pub absolute_effect: f64,
    /// Interval for the difference (a confidence sequence in sequential mode).
    pub absolute_ci: Interval,
    /// Relative lift; `None` when the control value is 0.
    pub relative_lift: Option<f64>,
    /// Interval for the relative lift (a confidence sequence in sequential mode).
    pub relative_ci: Option<Interval>,
    /// Raw p-value (always-valid in sequential mode).
    pub p_value: f64,
    /// p-value after the policy's correction within the metric's family; `None` for guardrails.
    pub adjusted_p_value: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
}

/// One rule's outcome, with the numbers that decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Stable rule code: `sample_ratio`, `min_sample`, `min_runtime`, `primary_metric`, `guardrail`.
    pub rule: String,
    /// Whether the rule passed.
    pub passed: bool,
    /// The metric concerned, if any.
    pub metric: Option<String>,
    /// The observed figure.
    pub observed: f64,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// A sentence saying what was found.
    pub message: String,
}

/// The readiness verdict: `ready` is true iff every reason passed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    /// The experiment's name.
    pub experiment: String,
    /// Ready to scale.
    pub ready: bool,
    /// Every rule checked, passed or not, in a fixed order.
    pub reasons: Vec<Reason>,
    /// Per-metric analysis.
    pub verdicts: Vec<MetricVerdict>,
    /// The sample-ratio-mismatch test, when the policy asks for it.
    pub srm: Option<SrmResult>,
}

struct Analysis {
    control: f64,
    treatment: f64,
    effect: f64,
    se: f64,
    ci: Interval,
    lift: Option<f64>,
    lift_ci: Option<Interval>,
    /// The delta-method standard error of the relative lift (for the confidence sequence).
    lift_se: Option<f64>,
    p: f64,
}

fn analyse(m: &Metric, opts: &TestOptions) -> Result<Analysis> {
    let named = |e: Error| match e {
        Error::ZeroVariance { .. } => Error::ZeroVariance {
            what: format!("metric `{}`", m.name),
        },
        other => other,
    };
    Ok(match &m.data {
        MetricData::Proportion { control, treatment } => {
            let r = two_proportions(control, treatment, opts).map_err(named)?;
            let z = crate::dist::norm_ppf(1.0 - opts.alpha / 2.0);
            let se = (r.absolute_ci.hi - r.absolute_ci.lo) / 2.0 / z;
            Analysis {
                control: r.control_rate,
                treatment: r.treatment_rate,
                effect: r.absolute_effect,
                se,
                ci: r.absolute_ci,
                lift: r.relative_lift,
                lift_ci: r.relative_ci,
                lift_se: r.relative_ci.map(|ci| (ci.hi - ci.lo) / 2.0 / z),
                p: r.p_value,
            }
        }
        MetricData::Mean { control, treatment } => {
            let r = welch(control, treatment, opts).map_err(named)?;
            Analysis {
                control: r.control_mean,
                treatment: r.treatment_mean,
                effect: r.absolute_effect,
                se: (control.var_of_mean() + treatment.var_of_mean()).sqrt(),
                ci: r.absolute_ci,
                lift: r.relative_lift,
                lift_ci: r.relative_ci,
                lift_se: relative_change(
                    treatment.mean(),
                    treatment.var_of_mean(),
                    control.mean(),
                    control.var_of_mean(),
                )
                .map(|c| c.se),
                p: r.p_value,
            }
        }
        MetricData::Ratio { control, treatment } => {
            let r = ratio(control, treatment, opts).map_err(named)?;
            Analysis {
                control: r.control_ratio,
                treatment: r.treatment_ratio,
                effect: r.absolute_effect,
                se: (control.var_of_ratio() + treatment.var_of_ratio()).sqrt(),
                ci: r.absolute_ci,
                lift: r.relative_lift,
                lift_ci: r.relative_ci,
                lift_se: relative_change(
                    treatment.ratio(),
                    treatment.var_of_ratio(),
                    control.ratio(),
                    control.var_of_ratio(),
                )
                .map(|c| c.se),
                p: r.p_value,
            }
        }
    })
}

fn sample_sizes(m: &Metric) -> (u64, u64) {
    match &m.data {
        MetricData::Proportion { control, treatment } => (control.visitors(), treatment.visitors()),
        MetricData::Mean { control, treatment } => (control.n(), treatment.n()),
        MetricData::Ratio { control, treatment } => (control.n(), treatment.n()),
    }
}

fn validate(experiment: &Experiment, policy: &ReadinessPolicy) -> Result<()> {
    check::open_unit("alpha", policy.alpha)?;
    check::non_negative("runtime_days", experiment.runtime_days)?;
    check::non_negative("min_runtime_days", policy.min_runtime_days)?;
    check::open_unit("srm_threshold", policy.srm_threshold)?;
    check::open_unit(
        "assignment.treatment_share",
        experiment.assignment.treatment_share,
    )?;
    check::non_empty("metrics", &experiment.metrics)?;
    let mut seen = std::collections::HashSet::new();
    for m in &experiment.metrics {
        if !seen.insert(m.name.as_str()) {
            return Err(Error::DuplicateName {
                field: "metrics".into(),
                name: m.name.clone(),
            });
        }
    }
    let available = || {
        experiment
            .metrics
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let known = |name: &str| experiment.metrics.iter().any(|m| m.name == name);
    if !known(&policy.primary_metric) {
        return Err(Error::UnknownMetric {
            metric: policy.primary_metric.clone(),
            available: available(),
        });
    }
    let mut guards = std::collections::HashSet::new();
    for (i, g) in policy.guardrails.iter().enumerate() {
        if !known(&g.metric) {
            return Err(Error::UnknownMetric {
                metric: g.metric.clone(),
                available: available(),
            });
        }
        if !guards.insert(g.metric.as_str()) || g.metric == policy.primary_metric {
            return Err(Error::DuplicateName {
                field: "guardrails".into(),
                name: g.metric.clone(),
            });
        }
        let field = format!("guardrails[{i}].max_relative_regression");
        check::non_negative(&field, g.max_relative_regression)?;
        if g.max_relative_regression == 0.0 {
            return Err(Error::InvalidPolicy {
                field,
                message: format!(
                    "guardrail `{}` has a margin of 0, which no experiment can pass: half of an unchanged \
                     metric's interval lies on the bad side; give the largest tolerated regression, e.g. 0.01 for 1%",
                    g.metric
                ),
            });
        }
    }
    Ok(())
}

/// Decides whether `experiment` is ready to scale under `policy`.
///
/// Rules, in order (each gives one [`Reason`], passed or not):
/// 1. `sample_ratio`: the SRM test's p-value is at least `srm_threshold` (when `srm_check`).
/// 2. `min_sample`: every metric has at least `min_sample_per_arm` units in each arm.
/// 3. `min_runtime`: `runtime_days >= min_runtime_days`.
/// 4. `primary_metric`: the primary metric wins: corrected p-value `< alpha` and the effect goes in its
///    good direction. The correction spans [`ReadinessPolicy::correction_family`] (the primary alone by
///    default), and the reason names the family.
/// 5. `guardrail` (one per guardrail): non-inferiority: the bad-side end of the relative interval (level
///    `1 - alpha`) is within `max_relative_regression`.
///
/// With [`ReadinessPolicy::sequential`] set, every metric (guardrails included) reports always-valid
/// p-values and confidence sequences, for the absolute and for the relative change, so that every interval
/// a verdict rests on stays valid when the flag is checked at every tick.
///
/// # Errors
/// `unknown_metric` for a policy metric the experiment lacks; `duplicate_name`; `invalid_policy` for a
/// guardrail margin of 0; `out_of_range` for `alpha`,
/// `srm_threshold` or the treatment share; `zero_variance` for a metric whose arms have no variance.
///
/// # Example
/// ```
/// use scaleplan::significance::{assess_readiness, Experiment, ReadinessPolicy};
/// let e: Experiment = scaleplan::json::from_str(r#"{
///   "name": "one-click-checkout", "runtime_days": 14,
///   "assignment": {"control_units": 10000, "treatment_units": 10050},
///   "metrics": [{"name": "conversion", "kind": "proportion",
///                "control": {"visitors": 10000, "conversions": 1000},
///                "treatment": {"visitors": 10050, "conversions": 1230}}]}"#)?;
/// let policy = ReadinessPolicy { primary_metric: "conversion".into(), ..Default::default() };
/// let r = assess_readiness(&e, &policy)?;
/// assert!(r.ready);
/// let strict = ReadinessPolicy { min_runtime_days: 21.0, ..policy };
/// let r = assess_readiness(&e, &strict)?;
/// assert!(!r.ready);
/// assert_eq!(r.reasons.iter().find(|x| !x.passed).unwrap().rule, "min_runtime");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn assess_readiness(experiment: &Experiment, policy: &ReadinessPolicy) -> Result<Readiness> {
    validate(experiment, policy)?;
    let mut reasons = Vec::new();

    let srm_result = if policy.srm_check {
        let a = &experiment.assignment;
        let r = srm(
            &[a.control_units as f64, a.treatment_units as f64],
            &[1.0 - a.treatment_share, a.treatment_share],
            &SrmOptions {
                threshold: policy.srm_threshold,
            },
        )?;
        reasons.push(Reason {
            rule: "sample_ratio".into(),
            passed: !r.mismatch,
            metric: None,
            observed: r.p_value,
            threshold: policy.srm_threshold,
            message: format!(
                "{} control and {} treatment units against a {:.0}/{:.0} split: chi2 = {:.3}, p = {:.3e} ({} the threshold {})",
                a.control_units,
                a.treatment_units,
                100.0 * (1.0 - a.treatment_share),
                100.0 * a.treatment_share,
                r.chi2,
                r.p_value,
                if r.mismatch { "below" } else { "not below" },
                policy.srm_threshold
            ),
        });
        Some(r)
    } else {
        None
    };

    let smallest = experiment
        .metrics
        .iter()
        .map(|m| {
            let (c, t) = sample_sizes(m);
            (c.min(t), m.name.as_str())
        })
        .min()
        .unwrap_or((0, ""));
    reasons.push(Reason {
        rule: "min_sample".into(),
        passed: smallest.0 >= policy.min_sample_per_arm,
        metric: Some(smallest.1.to_string()),
        observed: smallest.0 as f64,
        threshold: policy.min_sample_per_arm as f64,
        message: format!(
            "smallest arm has {} units (metric `{}`); at least {} per arm are required",
            smallest.0, smallest.1, policy.min_sample_per_arm
        ),
    });
    reasons.push(Reason {
        rule: "min_runtime".into(),
        passed: experiment.runtime_days >= policy.min_runtime_days,
        metric: None,
        observed: experiment.runtime_days,
        threshold: policy.min_runtime_days,
        message: format!(
            "ran {} days; at least {} are required",
            experiment.runtime_days, policy.min_runtime_days
        ),
    });

    let opts = TestOptions {
        alpha: policy.alpha,
        ..TestOptions::default()
    };
    let role = |name: &str| {
        if name == policy.primary_metric {
            MetricRole::Primary
        } else if policy.guardrails.iter().any(|g| g.metric == name) {
            MetricRole::Guardrail
        } else {
            MetricRole::Secondary
        }
    };
    let mut analyses = Vec::with_capacity(experiment.metrics.len());
    for m in &experiment.metrics {
        let mut a = analyse(m, &opts)?;
        if let Some(seq) = &policy.sequential {
            let (nc, nt) = sample_sizes(m);
            let n = (nc + nt) as f64;
            let seq_opts = SequentialOptions {
                alpha: policy.alpha,
                ..*seq
            };
            let s = sequential(a.effect, a.se, n, &seq_opts, None)?;
            a.p = s.p_value;
            a.ci = s.confidence_sequence;
            a.lift_ci = match (a.lift, a.lift_se) {
                (Some(l), Some(se)) if se > 0.0 => {
                    Some(sequential(l, se, n, &seq_opts, None)?.confidence_sequence)
                }
                _ => a.lift_ci,
            };
        }
        analyses.push(a);
    }
    // The decision family and, under `Primary`, the secondary metrics as a family of their own.
    let in_decision = |r: MetricRole| match policy.correction_family {
        CorrectionFamily::Primary => r == MetricRole::Primary,
        CorrectionFamily::PrimaryAndSecondary => r != MetricRole::Guardrail,
    };
    let family: Vec<usize> = (0..experiment.metrics.len())
        .filter(|&i| in_decision(role(&experiment.metrics[i].name)))
        .collect();
    let secondary: Vec<usize> = (0..experiment.metrics.len())
        .filter(|&i| {
            let r = role(&experiment.metrics[i].name);
            r == MetricRole::Secondary && !in_decision(r)
        })
        .collect();
    let corrected = |members: &[usize]| -> Result<Vec<f64>> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let p: Vec<f64> = members.iter().map(|&i| analyses[i].p).collect();
        correct(&p, policy.correction)
    };
    let adjusted = corrected(&family)?;
    let adjusted_secondary = corrected(&secondary)?;

    let mut verdicts = Vec::with_capacity(experiment.metrics.len());
    for (i, (m, a)) in experiment.metrics.iter().zip(&analyses).enumerate() {
        let r = role(&m.name);
        let good = |x: f64| {
            if m.direction == Direction::Increase {
                x
            } else {
                -x
            }
        };
        let adj = family
            .iter()
            .position(|&j| j == i)
            .map(|k| adjusted[k])
            .or_else(|| {
                secondary
                    .iter()
                    .position(|&j| j == i)
                    .map(|k| adjusted_secondary[k])
            });
        let verdict = match (r, adj) {
            (MetricRole::Guardrail, _) | (_, None) => {
                let margin = policy
                    .guardrails
                    .iter()
                    .find(|g| g.metric == m.name)
                    .map_or(0.0, |g| g.max_relative_regression);
                guardrail_verdict(a, m.direction, margin)
            }
            (_, Some(p)) if p < policy.alpha => {
                if good(a.effect) > 0.0 {
                    Verdict::Win
                } else {
                    Verdict::Loss
                }
            }
            _ => Verdict::Inconclusive,
        };
        verdicts.push(MetricVerdict {
            metric: m.name.clone(),
            role: r,
            direction: m.direction,
            control_value: a.control,
            treatment_value: a.treatment,
            absolute_effect: a.effect,
            absolute_ci: a.ci,
            relative_lift: a.lift,
            relative_ci: a.lift_ci,
            p_value: a.p,
            adjusted_p_value: adj,
            verdict,
        });
    }

    let family_names = family
        .iter()
        .map(|&i| format!("`{}`", experiment.metrics[i].name))
        .collect::<Vec<_>>()
        .join(", ");
    let family_note = format!(
        "{} correction over the `{}` family: {} metric{}, {family_names}",
        policy.correction.name(),
        policy.correction_family.name(),
        family.len(),
        if family.len() == 1 { "" } else { "s" }
    );
    if let Some(v) = verdicts.iter().find(|v| v.role == MetricRole::Primary) {
        let p = v.adjusted_p_value.unwrap_or(v.p_value);
        let lift = v
            .relative_lift
            .map_or(String::new(), |l| format!(" ({:+.2}%)", 100.0 * l));
        let message = match v.verdict {
            Verdict::Win => format!(
                "`{}` wins: {:.6} -> {:.6}{lift}, adjusted p = {:.3e} < alpha {} ({family_note})",
                v.metric, v.control_value, v.treatment_value, p, policy.alpha
            ),
            Verdict::Loss => format!(
                "`{}` got worse: {:.6} -> {:.6}{lift}, adjusted p = {:.3e} < alpha {} ({family_note})",
                v.metric, v.control_value, v.treatment_value, p, policy.alpha
            ),
            _ => format!(
                "`{}` is not significant: {:.6} -> {:.6}{lift}, adjusted p = {:.3e} >= alpha {} ({family_note})",
                v.metric, v.control_value, v.treatment_value, p, policy.alpha
            ),
        };
        reasons.push(Reason {
            rule: "primary_metric".into(),
            passed: v.verdict == Verdict::Win,
            metric: Some(v.metric.clone()),
            observed: p,
            threshold: policy.alpha,
            message,
        });
    }
    for g in &policy.guardrails {
        if let Some(v) = verdicts.iter().find(|v| v.metric == g.metric) {
            let worst = worst_relative(v.relative_ci, v.direction);
            let message = match (v.verdict, worst) {
                (_, None) => format!(
                    "guardrail `{}`: control value is 0, the relative change is undefined",
                    v.metric
                ),
                (Verdict::Pass, Some(w)) => format!(
                    "guardrail `{}`: worst plausible change {:+.2}% is within the {:.2}% margin",
                    v.metric,
                    100.0 * w,
                    100.0 * g.max_relative_regression
                ),
                (_, Some(w)) => format!(
                    "guardrail `{}`: worst plausible change {:+.2}% exceeds the {:.2}% margin (estimate {:+.2}%)",
                    v.metric,
                    100.0 * w,
                    100.0 * g.max_relative_regression,
                    100.0 * v.relative_lift.unwrap_or(0.0)
                ),
            };
            reasons.push(Reason {
                rule: "guardrail".into(),
                passed: v.verdict == Verdict::Pass,
                metric: Some(v.metric.clone()),
                observed: worst.map_or(f64::MAX, |w| -w * sign(v.direction)),
                threshold: g.max_relative_regression,
                message,
            });
        }
    }
    let ready = reasons.iter().all(|r| r.passed);
    Ok(Readiness {
        experiment: experiment.name.clone(),
        ready,
        reasons,
        verdicts,
        srm: srm_result,
    })
}

fn sign(d: Direction) -> f64 {
    if d == Direction::Increase { 1.0 } else { -1.0 }
}

/// The end of the relative interval on the bad side, as a signed relative change.
fn worst_relative(ci: Option<Interval>, d: Direction) -> Option<f64> {
    ci.map(|ci| {
        if d == Direction::Increase {
            ci.lo
        } else {
            ci.hi
        }
    })
}

fn guardrail_verdict(a: &Analysis, d: Direction, margin: f64) -> Verdict {
    let (Some(lift), Some(worst)) = (a.lift, worst_relative(a.lift_ci, d)) else {
        return Verdict::Unproven;
    };
    let s = sign(d);
    if -worst * s <= margin {
        Verdict::Pass
    } else if -lift * s > margin {
        Verdict::Regressed
    } else {
        Verdict::Unproven
    }
}
