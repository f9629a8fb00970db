//! Rule-based scaling triggers, each recommendation with its evidence:
//!
//! * CPU above 80% **sustained** for 5 minutes, or a 1-hour CPU average above 70% → scale up;
//! * database connections above 80% of the maximum → scale up;
//! * p95 latency above 2,000 ms or p99 above 5,000 ms → scale up;
//! * 1-hour CPU average below 30% (and no scale-up rule firing) → downsize to the fewest instances
//!   that would run at the 70% target, with the monthly saving in `Decimal`.
//!
//! A window only counts when the samples cover it: the first sample at most `max_gap_seconds` after
//! the window's start, the last at most `max_gap_seconds` before `now`, and no gap between samples
//! longer than that. Without coverage a rule does not fire and says so in `insufficient_data`: missing
//! data never passes for health, and never triggers a downsize.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};
use crate::money::{self, Currency};

/// One metric sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Time in seconds.
    pub time: f64,
    /// The value.
    pub value: f64,
}

/// Thresholds of the trigger rules (defaults from the seeds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TriggerRules {
    /// CPU % that must be exceeded for the whole sustained window (80).
    pub cpu_sustained_percent: f64,
    /// Length of the sustained window, in seconds (300).
    pub cpu_sustained_seconds: f64,
    /// 1-hour average CPU % that triggers a scale-up (70).
    pub cpu_average_percent: f64,
    /// Length of the averaging window, in seconds (3,600).
    pub cpu_average_seconds: f64,
    /// Share of the maximum database connections that triggers a scale-up (0.8).
    pub db_connections_fraction: f64,
    /// p95 latency threshold in ms (2,000).
    pub p95_ms: f64,
    /// p99 latency threshold in ms (5,000).
    pub p99_ms: f64,
    /// 1-hour average CPU % under which a downsize is recommended (30).
    pub downsize_below_percent: f64,
    /// Utilisation the downsized fleet should run at, in % (70).
    pub downsize_target_percent: f64,
    /// Largest gap between samples that still counts as coverage, in seconds (120).
    pub max_gap_seconds: f64,
}

impl Default for TriggerRules {
    fn default() -> Self {
        TriggerRules {
            cpu_sustained_percent: 80.0,
            cpu_sustained_seconds: 300.0,
            cpu_average_percent: 70.0,
            cpu_average_seconds: 3600.0,
            db_connections_fraction: 0.8,
            p95_ms: 2000.0,
            p99_ms: 5000.0,
            downsize_below_percent: 30.0,
            downsize_target_percent: 70.0,
            max_gap_seconds: 120.0,
        }
    }
}

/// The state of a service that the rules read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerInput {
    /// Now, in the samples' time unit (seconds).
    pub now: f64,
    /// CPU utilisation samples, in percent, in time order.
    #[serde(default)]
    pub cpu_percent: Vec<Sample>,
    /// Database connections in use.
    #[serde(default)]
    pub db_connections: Option<f64>,
    /// The database's connection limit.
    #[serde(default)]
    pub db_max_connections: Option<f64>,
    /// Current p95 latency in ms.
    #[serde(default)]
    pub p95_ms: Option<f64>,
    /// Current p99 latency in ms.
    #[serde(default)]
    pub p99_ms: Option<f64>,
    /// Instances running.
    pub instances: u64,
    /// Monthly price of one instance, for the downsize saving.
    #[serde(default, with = "money::opt_decimal_serde")]
    pub instance_monthly_price: Option<Decimal>,
    /// Currency of that price (USD by default).
    #[serde(default)]
    pub currency: Currency,
}

/// Scale up or downsize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerAction {
    /// Add capacity.
    ScaleUp,
    /// Remove capacity.
    Downsize,
}

/// What a rule saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The metric, e.g. `cpu_percent`.
    pub metric: String,
    /// The window in seconds (0 for an instantaneous value).
    pub window_seconds: f64,
    /// The observed value (the window's minimum for a sustained rule, its mean for an average).
    pub observed: f64,
    /// The threshold.
    pub threshold: f64,
    /// `>` or `<`.
    pub comparison: String,
}

/// One recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerRecommendation {
    /// Scale up or downsize.
    pub action: TriggerAction,
    /// The rule, e.g. `cpu_sustained`.
    pub rule: String,
    /// Why, in words.
    pub reason: String,
    /// What was observed.
    pub evidence: Evidence,
    /// For a downsize: the instances to keep.
    pub suggested_instances: Option<u64>,
    /// For a downsize: the monthly saving, rounded half-even to the minor unit.
    #[serde(with = "money::opt_decimal_serde")]
    pub monthly_saving: Option<Decimal>,
}

/// The result of [`scaling_triggers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerReport {
    /// Rules that fired.
    pub recommendations: Vec<TriggerRecommendation>,
    /// Rules that could not be evaluated, and why (e.g. a gap in the CPU samples).
    pub insufficient_data: Vec<String>,
}

/// Samples of the window `[now − length, now]`, if they cover it. The samples are validated to be in
/// time order and none after `now`, so the window is a sub-slice (no allocation).
fn window(samples: &[Sample], now: f64, length: f64, max_gap: f64) -> Option<&[Sample]> {
    let start = now - length;
    let inside = &samples[samples.partition_point(|s| s.time < start)..];
    let (first, last) = (inside.first()?, inside.last()?);
    let covered = first.time - start <= max_gap
        && now - last.time <= max_gap
        && inside.windows(2).all(|w| w[1].time - w[0].time <= max_gap);
    covered.then_some(inside)
}

/// Evaluates the trigger rules on `input`.
///
/// # Errors
/// `not_finite` / `negative` for bad samples or thresholds; `out_of_range` for samples out of time
/// order or after `now`, or `db_connections_fraction` outside (0, 1].
///
/// # Example
/// ```
/// use scaleplan::estimate::{scaling_triggers, Sample, TriggerInput, TriggerRules};
/// // One sample a minute for an hour at 20% CPU on 10 instances of 70.08 a month.
/// let cpu = (0..=60).map(|m| Sample { time: 60.0 * m as f64, value: 20.0 }).collect();
/// let r = scaling_triggers(&TriggerInput {
///     now: 3600.0, cpu_percent: cpu, db_connections: None, db_max_connections: None,
///     p95_ms: Some(350.0), p99_ms: None, instances: 10,
///     instance_monthly_price: Some("70.08".parse().unwrap()), currency: Default::default(),
/// }, &TriggerRules::default())?;
/// let d = &r.recommendations[0];
/// assert_eq!(d.suggested_instances, Some(3));            // ceil(10 × 20 / 70)
/// assert_eq!(d.monthly_saving.unwrap().to_string(), "490.56"); // 7 × 70.08
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn scaling_triggers(input: &TriggerInput, rules: &TriggerRules) -> Result<TriggerReport> {
    validate(input, rules)?;
    let mut recs = Vec::new();
    let mut missing = Vec::new();
    let up = |rule: &str, reason: String, evidence: Evidence| TriggerRecommendation {
        action: TriggerAction::ScaleUp,
        rule: rule.into(),
        reason,
        evidence,
        suggested_instances: None,
        monthly_saving: None,
    };
    let ev = |metric: &str, window_seconds, observed, threshold, comparison: &str| Evidence {
        metric: metric.into(),
        window_seconds,
        observed,
        threshold,
        comparison: comparison.into(),
    };
    let now = input.now;
    match window(
        &input.cpu_percent,
        now,
        rules.cpu_sustained_seconds,
        rules.max_gap_seconds,
    ) {
        Some(v) => {
            let lowest = v.iter().map(|s| s.value).fold(f64::INFINITY, f64::min);
            if lowest > rules.cpu_sustained_percent {
                recs.push(up(
                    "cpu_sustained",
                    format!(
                        "CPU stayed above {}% for {} s (lowest sample {lowest:.1}%)",
                        rules.cpu_sustained_percent, rules.cpu_sustained_seconds
                    ),
                    ev(
                        "cpu_percent",
                        rules.cpu_sustained_seconds,
                        lowest,
                        rules.cpu_sustained_percent,
                        ">",
                    ),
                ));
            }
        }
        None => missing.push(format!(
            "cpu_sustained: the CPU samples do not cover the last {} s (gaps over {} s)",
            rules.cpu_sustained_seconds, rules.max_gap_seconds
        )),
    }
    let average = window(
        &input.cpu_percent,
        now,
        rules.cpu_average_seconds,
        rules.max_gap_seconds,
    )
    .map(|v| v.iter().map(|s| s.value).sum::<f64>() / v.len() as f64);
    match average {
        Some(mean) if mean > rules.cpu_average_percent => recs.push(up(
            "cpu_average",
            format!(
                "CPU averaged {mean:.1}% over {} s, above {}%",
                rules.cpu_average_seconds, rules.cpu_average_percent
            ),
            ev(
                "cpu_percent",
                rules.cpu_average_seconds,
                mean,
                rules.cpu_average_percent,
                ">",
            ),
        )),
        Some(_) => {}
        None => missing.push(format!(
            "cpu_average: the CPU samples do not cover the last {} s (gaps over {} s)",
            rules.cpu_average_seconds, rules.max_gap_seconds
        )),
    }
    if let (Some(used), Some(max)) = (input.db_connections, input.db_max_connections) {
        let share = used / max;
        if share > rules.db_connections_fraction {
            recs.push(up(
                "db_connections",
                format!(
                    "{used} of {max} database connections in use ({:.0}%, above {:.0}%)",
                    100.0 * share,
                    100.0 * rules.db_connections_fraction
                ),
                ev(
                    "db_connections_fraction",
                    0.0,
                    share,
                    rules.db_connections_fraction,
                    ">",
                ),
            ));
        }
    }
    for (rule, value, threshold) in [
        ("p95_latency", input.p95_ms, rules.p95_ms),
        ("p99_latency", input.p99_ms, rules.p99_ms),
    ] {
        if let Some(v) = value
            && v > threshold
        {
            recs.push(up(
                rule,
                format!("{rule} is {v} ms, above {threshold} ms"),
                ev(&format!("{rule}_ms"), 0.0, v, threshold, ">"),
            ));
        }
    }
    if let Some(mean) = average
        && recs.is_empty()
        && mean < rules.downsize_below_percent
        && input.instances > 1
    {
        let keep = ((input.instances as f64 * mean / rules.downsize_target_percent) - 1e-9)
            .ceil()
            .max(1.0) as u64;
        let saving = match input.instance_monthly_price {
            Some(p) => Some(
                input.currency.round(
                    p.checked_mul(Decimal::from(input.instances - keep))
                        .ok_or_else(|| Error::Overflow {
                            what: "downsize saving".into(),
                        })?,
                ),
            ),
            None => None,
        };
        recs.push(TriggerRecommendation {
            action: TriggerAction::Downsize,
            rule: "low_utilization".into(),
            reason: format!(
                "CPU averaged {mean:.1}% over {} s, below {}%: {keep} of {} instances would run at about {:.0}%",
                rules.cpu_average_seconds,
                rules.downsize_below_percent,
                input.instances,
                input.instances as f64 * mean / keep as f64
            ),
            evidence: ev(
                "cpu_percent",
                rules.cpu_average_seconds,
                mean,
                rules.downsize_below_percent,
                "<",
            ),
            suggested_instances: Some(keep),
            monthly_saving: saving,
        });
    }
    Ok(TriggerReport {
        recommendations: recs,
        insufficient_data: missing,
    })
}

fn validate(input: &TriggerInput, rules: &TriggerRules) -> Result<()> {
    check::finite("now", input.now)?;
    let mut prev = f64::NEG_INFINITY;
    for (i, s) in input.cpu_percent.iter().enumerate() {
        check::finite(&format!("cpu_percent[{i}].time"), s.time)?;
        check::non_negative(&format!("cpu_percent[{i}].value"), s.value)?;
        if s.time < prev || s.time > input.now {
            return Err(Error::OutOfRange {
                field: format!("cpu_percent[{i}].time"),
                value: s.time,
                allowed: "non-decreasing times, none after now",
            });
        }
        prev = s.time;
    }
    for (f, v) in [
        ("db_connections", input.db_connections),
        ("p95_ms", input.p95_ms),
        ("p99_ms", input.p99_ms),
    ] {
        if let Some(v) = v {
            check::non_negative(f, v)?;
        }
    }
    if let Some(m) = input.db_max_connections {
        check::positive("db_max_connections", m)?;
    }
    if let Some(p) = input.instance_monthly_price {
        money::non_negative("instance_monthly_price", p)?;
    }
    for (f, v) in [
        ("rules.cpu_sustained_percent", rules.cpu_sustained_percent),
        ("rules.cpu_average_percent", rules.cpu_average_percent),
        ("rules.p95_ms", rules.p95_ms),
        ("rules.p99_ms", rules.p99_ms),
        ("rules.downsize_below_percent", rules.downsize_below_percent),
    ] {
        check::non_negative(f, v)?;
    }
    for (f, v) in [
        ("rules.cpu_sustained_seconds", rules.cpu_sustained_seconds),
        ("rules.cpu_average_seconds", rules.cpu_average_seconds),
        (
            "rules.downsize_target_percent",
            rules.downsize_target_percent,
        ),
        ("rules.max_gap_seconds", rules.max_gap_seconds),
    ] {
        check::positive(f, v)?;
    }
    let f = rules.db_connections_fraction;
    check::finite("rules.db_connections_fraction", f)?;
    if !(f > 0.0 && f <= 1.0) {
        return Err(Error::OutOfRange {
            field: "rules.db_connections_fraction".into(),
            value: f,
            allowed: "(0, 1]",
        });
    }
    Ok(())
}
