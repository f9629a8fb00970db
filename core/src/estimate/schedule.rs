//! Predictive scaling: capacity scheduled from the forecast, before the load arrives, priced against the
//! reactive behaviour and backtested on the history.
//!
//! Modelled on AWS EC2 Auto Scaling predictive scaling ("Predictive scaling for Amazon EC2 Auto
//! Scaling", AWS documentation): an hourly forecast of the load 48 hours ahead, capacity from the
//! forecast, a *scheduling buffer* that launches instances ahead of each forecast hour, a
//! *forecast-only* mode that reports without acting, and a maximum capacity that is honoured. Here the
//! forecast is the library's ETS with its interval ([`crate::forecast::forecast`], the season from the
//! timestamps: one day of periods), and every period is sized by the capacity model of the estimate
//! pillar (linear, USL or queueing) at a chosen quantile of the forecast. Capacity scheduled for a
//! period is in place from `prewarm_secs` before it starts until `scale_in_delay_secs` after it ends;
//! the count at any instant is the largest any such period needs, never below `min_instances`.
//!
//! The reactive baseline replays a Kubernetes HPA on the same demand: each period runs on what the
//! previous period's load required (the controller reacts to load it has seen) and scale-in waits for
//! the stabilization window (`scale_in_delay_secs`, the HPA's 300 s by default).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::capacity::{CapacityModel, DemandProfile, PreparedModel};
use super::catalog::PriceCatalog;
use crate::check;
use crate::error::{Error, Result};
use crate::forecast::{ForecastOptions, ModelChoice, forecast};
use crate::money::Money;
use crate::time::Timestamp;

/// Act on the schedule, or only report it (AWS's `ForecastOnly`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMode {
    /// The scaling actions are listed for execution.
    #[default]
    ForecastAndScale,
    /// The forecast and the capacity it calls for, with no actions.
    ForecastOnly,
}

/// Options of [`predictive_schedule`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleOptions {
    /// The catalog's instance type the fleet runs on.
    pub instance_type: String,
    /// CPU-seconds one request costs (as the demand profile of an estimate).
    pub cpu_seconds_per_request: f64,
    /// Periods ahead (default 48: two days of hours, as AWS).
    pub horizon: usize,
    /// The forecast quantile each period is sized for, in (0, 1) (default 0.9: one hour in ten may
    /// exceed the plan before the model's headroom).
    pub quantile: f64,
    /// Seconds before a period that its capacity must be running (AWS's scheduling buffer; default 300).
    pub prewarm_secs: i64,
    /// Seconds after a period that its capacity is kept (default 300, the HPA's scale-down
    /// stabilization window; the reactive replay uses the same).
    pub scale_in_delay_secs: i64,
    /// Floor (default 1).
    pub min_instances: u64,
    /// Ceiling, honoured like AWS's `HonorMaxCapacity` (none: no ceiling); periods that need more are
    /// flagged.
    pub max_instances: Option<u64>,
    /// Act or only report.
    pub mode: ScheduleMode,
    /// The forecasting model (automatic ETS by default; seasonal naive for a benchmark).
    pub forecast_model: ModelChoice,
    /// Periods per season (default: the periods in one day, from the timestamps).
    pub season_length: Option<usize>,
}

impl Default for ScheduleOptions {
    fn default() -> Self {
        ScheduleOptions {
            instance_type: String::new(),
            cpu_seconds_per_request: 0.0,
            horizon: 48,
            quantile: 0.9,
            prewarm_secs: 300,
            scale_in_delay_secs: 300,
            min_instances: 1,
            max_instances: None,
            mode: ScheduleMode::ForecastAndScale,
            forecast_model: ModelChoice::Auto,
            season_length: None,
        }
    }
}

/// One forecast period of the schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleStep {
    /// Period start.
    pub start: Timestamp,
    /// Forecast request rate (requests per second, the mean).
    pub forecast: f64,
    /// Lower bound of the forecast interval.
    pub lower: f64,
    /// Upper bound of the forecast interval.
    pub upper: f64,
    /// The rate sized for: the forecast's `quantile`.
    pub planned_rps: f64,
    /// Instances the capacity model needs for `planned_rps`.
    pub needed: u64,
    /// Instances running at the period's start (pre-warm, scale-in delay, floor and ceiling applied).
    pub instances: u64,
    /// Why, in words.
    pub reason: String,
}

/// A capacity change to schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingAction {
    /// When to act.
    pub at: Timestamp,
    /// Instances before.
    pub from: u64,
    /// Instances after.
    pub to: u64,
}

/// A predictive schedule with its price and the reactive baseline on the same forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictiveSchedule {
    /// Act or only report.
    pub mode: ScheduleMode,
    /// The forecasting model used, e.g. `ETS(A,N,A)`.
    pub model: String,
    /// The season used.
    pub season_length: Option<usize>,
    /// The quantile sized for.
    pub quantile: f64,
    /// Seconds per period (from the timestamps).
    pub period_secs: i64,
    /// One step per forecast period.
    pub steps: Vec<ScheduleStep>,
    /// The capacity changes, in time order (empty in `forecast_only` mode).
    pub actions: Vec<ScalingAction>,
    /// Cost of the predictive capacity over the horizon (pre-warm and delays included).
    pub cost: Money,
    /// Cost of the reactive replay on the forecast mean.
    pub reactive_cost: Money,
    /// Periods in which the reactive replay runs below what the forecast mean needs.
    pub reactive_short_periods: usize,
    /// Cost of running the horizon's peak count throughout (static peak provisioning).
    pub static_peak_cost: Money,
    /// Periods whose need the ceiling cut.
    pub capped_periods: usize,
    /// What to know (a season that could not be fitted, the ceiling).
    pub notes: Vec<String>,
}

/// A backtest of [`predictive_schedule`] on the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleBacktest {
    /// Forecast origins (one per day of the last `days`).
    pub origins: Vec<Timestamp>,
    /// Periods replayed.
    pub periods: usize,
    /// Periods whose actual demand needed more than the predictive schedule ran.
    pub predictive_short_periods: usize,
    /// The same for the reactive replay on the actual demand.
    pub reactive_short_periods: usize,
    /// Cost of the predictive schedules over the replayed periods.
    pub predictive_cost: Money,
    /// Cost of the reactive replay.
    pub reactive_cost: Money,
    /// Cost of running the replay's peak need throughout (never short).
    pub static_peak_cost: Money,
}

struct Setup<'a> {
    model: PreparedModel,
    demand: DemandProfile,
    vcpu: f64,
    hourly: Decimal,
    catalog: &'a PriceCatalog,
    step: i64,
    season: Option<usize>,
}

fn setup<'a>(
    history: &[f64],
    timestamps: &[Timestamp],
    model: &CapacityModel,
    catalog: &'a PriceCatalog,
    o: &ScheduleOptions,
) -> Result<Setup<'a>> {
    check::same_len(&[("history", history.len()), ("timestamps", timestamps.len())])?;
    check::at_least("history", history.len() as u64, 2)?;
    for (i, v) in history.iter().enumerate() {
        check::non_negative(&check::at("history", i), *v)?;
    }
    let step = timestamps[1].since(timestamps[0]);
    if step <= 0 {
        return Err(Error::InvalidTimestamps {
            field: "timestamps[1]".into(),
            reason: "must be after timestamps[0]".into(),
        });
    }
    for (i, w) in timestamps.windows(2).enumerate() {
        if w[1].since(w[0]) != step {
            return Err(Error::InvalidTimestamps {
                field: format!("timestamps[{}]", i + 1),
                reason: format!(
                    "{} s after the previous one; the history must be evenly spaced ({step} s)",
                    w[1].since(w[0])
                ),
            });
        }
    }
    check::positive("cpu_seconds_per_request", o.cpu_seconds_per_request)?;
    check::finite("quantile", o.quantile)?;
    if !(o.quantile > 0.0 && o.quantile < 1.0) {
        return Err(Error::OutOfRange {
            field: "quantile".into(),
            value: o.quantile,
            allowed: "(0, 1)",
        });
    }
    for (field, v) in [
        ("prewarm_secs", o.prewarm_secs),
        ("scale_in_delay_secs", o.scale_in_delay_secs),
    ] {
        if v < 0 {
            return Err(Error::Negative {
                field: field.into(),
                value: v as f64,
            });
        }
    }
    if let Some(max) = o.max_instances
        && max < o.min_instances
    {
        return Err(Error::OutOfRange {
            field: "max_instances".into(),
            value: max as f64,
            allowed: "at least min_instances",
        });
    }
    let it = catalog.instance(&o.instance_type)?;
    let demand = DemandProfile {
        users: 1.0,
        peak_rps_per_user: 0.0,
        cpu_seconds_per_request: o.cpu_seconds_per_request,
        memory_gib_per_instance: 0.0,
        storage_gb_per_user_month: 0.0,
        bandwidth_gb_per_user_month: 0.0,
        peak_to_average: 1.0,
        db_connections_per_instance: 0.0,
        cache_gib_per_user: 0.0,
        uncertainty: 0.0,
    };
    let season = o
        .season_length
        .or_else(|| (step < 86_400 && 86_400 % step == 0).then(|| (86_400 / step) as usize));
    Ok(Setup {
        model: PreparedModel::new(model)?,
        demand,
        vcpu: it.vcpu,
        hourly: it.hourly,
        catalog,
        step,
        season,
    })
}

impl Setup<'_> {
    fn need(&self, rps: f64, what: &str) -> Result<u64> {
        Ok(self
            .model
            .size(&self.demand, rps.max(0.0), self.vcpu, what)?
            .instances)
    }

    /// The capacity curve of counts given per period (`counts[t]` from `starts[t]`, starts increasing),
    /// each period's count in place `prewarm` before it and kept `delay` after it: between two
    /// breakpoints the capacity is the largest count whose stretched interval covers it. The periods
    /// covering an instant are a contiguous run of indices that only moves forward, so one pass with a
    /// monotonic deque gives every maximum (O(n)).
    fn curve(&self, starts: &[Timestamp], counts: &[u64], prewarm: i64, delay: i64) -> Curve {
        let mut points: Vec<i64> = starts
            .iter()
            .flat_map(|s| [s.unix() - prewarm, s.unix() + self.step + delay])
            .collect();
        points.sort_unstable();
        points.dedup();
        let (mut lo, mut hi) = (0usize, 0usize);
        let mut deque: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
        let mut segments = Vec::with_capacity(points.len());
        for w in points.windows(2) {
            let tau = w[0];
            // periods with s - prewarm <= tau join ...
            while hi < starts.len() && starts[hi].unix() - prewarm <= tau {
                while deque.back().is_some_and(|&j| counts[j] <= counts[hi]) {
                    deque.pop_back();
                }
                deque.push_back(hi);
                hi += 1;
            }
            // ... and those with s + step + delay <= tau have left
            while lo < hi && starts[lo].unix() + self.step + delay <= tau {
                lo += 1;
            }
            while deque.front().is_some_and(|&j| j < lo) {
                deque.pop_front();
            }
            let n = deque.front().map_or(0, |&j| counts[j]);
            segments.push((w[0], w[1], n));
        }
        Curve { segments }
    }

    fn price(&self, curve: &Curve) -> Money {
        let secs: Decimal = curve
            .segments
            .iter()
            .map(|&(a, b, n)| Decimal::from(b - a) * Decimal::from(n))
            .sum();
        Money::new(
            (secs * self.hourly / Decimal::from(3_600)).round_dp(4),
            self.catalog.currency,
        )
    }
}

struct Curve {
    segments: Vec<(i64, i64, u64)>,
}

impl Curve {
    /// The capacity at `tau` (segments are sorted and contiguous: a binary search).
    fn at(&self, tau: i64) -> u64 {
        let i = self.segments.partition_point(|&(_, b, _)| b <= tau);
        match self.segments.get(i) {
            Some(&(a, _, n)) if a <= tau => n,
            _ => 0,
        }
    }
}

fn z(p: f64) -> f64 {
    crate::dist::norm_ppf(p)
}

/// The reactive replay: period `t` runs on what `demand[t-1]` needed (`start_need` for the first).
fn reactive_counts(needs: &[u64], start_need: u64, floor: u64) -> Vec<u64> {
    std::iter::once(start_need)
        .chain(needs.iter().copied())
        .take(needs.len())
        .map(|n| n.max(floor))
        .collect()
}

/// Schedules capacity from the forecast of `history` (requests per second per period, evenly spaced at
/// `timestamps`), sized by `model` on the catalog's `options.instance_type`, and prices it against the
/// reactive replay and static peak provisioning on the same forecast.
///
/// # Errors
/// `length_mismatch`, `too_few_observations`, `negative` / `not_finite` history,
/// `invalid_timestamps` for uneven spacing, `unknown_resource` for the instance type, `out_of_range`
/// for a quantile outside (0, 1) or a ceiling under the floor, the capacity model's errors
/// (`capacity_unreachable` when the USL cannot serve a forecast), and the forecast's.
///
/// # Example
/// ```
/// use scaleplan::estimate::{predictive_schedule, CapacityModel, PriceCatalog, ScheduleOptions};
/// use scaleplan::forecast::ModelChoice;
/// use scaleplan::rollout::Timestamp;
/// let catalog = PriceCatalog::from_json(r#"{"name": "demo", "currency": "USD",
///     "instances": [{"name": "app.large", "vcpu": 2, "memory_gib": 8, "hourly": "0.10"}]}"#)?;
/// // three days of hourly load: 100 req/s at night, 700 req/s from 09:00 to 17:00
/// let history: Vec<f64> = (0..72).map(|h| if (9..17).contains(&(h % 24)) { 700.0 } else { 100.0 }).collect();
/// let ts: Vec<Timestamp> = (0..72).map(|h| Timestamp::from_unix(3600 * h)).collect();
/// let o = ScheduleOptions { instance_type: "app.large".into(), cpu_seconds_per_request: 0.01,
///     forecast_model: ModelChoice::SeasonalNaive, quantile: 0.5, ..ScheduleOptions::default() };
/// let s = predictive_schedule(&history, &ts, &CapacityModel::default(), &catalog, &o)?;
/// // 700 req/s x 0.01 s = 7 busy cores at 70 % of 2 vCPU: 5 instances; at night 1
/// assert_eq!((s.steps[9].needed, s.steps[3].needed), (5, 1));
/// // the 09:00 scale-up is scheduled five minutes early, the 17:00 scale-in five minutes late
/// assert_eq!(s.actions[0].at.to_string(), "1970-01-04T08:55:00Z");
/// assert_eq!(s.actions[1].at.to_string(), "1970-01-04T17:05:00Z");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn predictive_schedule(
    history: &[f64],
    timestamps: &[Timestamp],
    model: &CapacityModel,
    catalog: &PriceCatalog,
    options: &ScheduleOptions,
) -> Result<PredictiveSchedule> {
    let s = setup(history, timestamps, model, catalog, options)?;
    plan(&s, history, timestamps, options)
}

fn plan(
    s: &Setup<'_>,
    history: &[f64],
    timestamps: &[Timestamp],
    o: &ScheduleOptions,
) -> Result<PredictiveSchedule> {
    let level = 80.0;
    let f = forecast(
        history,
        &ForecastOptions {
            horizon: o.horizon,
            season_length: s.season,
            level,
            model: o.forecast_model.clone(),
            thorough: false,
        },
    )?;
    let z_level = z(0.5 + level / 200.0);
    let zq = z(o.quantile);
    let last = timestamps[timestamps.len() - 1];
    let mut steps = Vec::with_capacity(o.horizon);
    let mut needs = Vec::with_capacity(o.horizon);
    let mut mean_needs = Vec::with_capacity(o.horizon);
    let mut capped = 0;
    let headroom = match s.model {
        PreparedModel::Linear { headroom, .. }
        | PreparedModel::Usl { headroom, .. }
        | PreparedModel::Queueing { headroom, .. } => headroom,
    };
    for h in 0..o.horizon {
        let start = last.plus(s.step * (h as i64 + 1));
        let (m, lo, hi) = (f.mean[h], f.lower[h], f.upper[h]);
        let spread = if zq >= 0.0 { hi - m } else { m - lo };
        let planned = (m + zq * spread / z_level).max(0.0);
        let what = format!("schedule period {start}");
        let mut n = s.need(planned, &what)?.max(o.min_instances);
        if let Some(max) = o.max_instances
            && n > max
        {
            n = max;
            capped += 1;
        }
        needs.push(n);
        mean_needs.push(s.need(m, &what)?);
        steps.push(ScheduleStep {
            start,
            forecast: m,
            lower: lo,
            upper: hi,
            planned_rps: planned,
            needed: n,
            instances: 0,
            reason: format!(
                "{} forecasts {m:.1} req/s ({level:.0} % interval {lo:.1} to {hi:.1}); sized for its {:.0} % quantile {planned:.1} req/s: {n} x {} by the {} model (headroom {:.0} %){}",
                f.model,
                100.0 * o.quantile,
                o.instance_type,
                model_name(&s.model),
                100.0 * headroom,
                if o.max_instances.is_some_and(|m| n == m) { ", at the ceiling" } else { "" }
            ),
        });
    }
    let starts: Vec<Timestamp> = steps.iter().map(|x| x.start).collect();
    let curve = s.curve(&starts, &needs, o.prewarm_secs, o.scale_in_delay_secs);
    for st in &mut steps {
        st.instances = curve.at(st.start.unix()).max(o.min_instances);
    }
    let mut actions = Vec::new();
    if o.mode == ScheduleMode::ForecastAndScale {
        let mut prev = s
            .need(history[history.len() - 1], "schedule: the last period")?
            .max(o.min_instances);
        for &(a, _, n) in &curve.segments {
            let n = n.max(o.min_instances);
            if n != prev {
                actions.push(ScalingAction {
                    at: Timestamp::from_unix(a),
                    from: prev,
                    to: n,
                });
                prev = n;
            }
        }
    }
    let start_need = s.need(history[history.len() - 1], "schedule: the last period")?;
    let reactive = reactive_counts(&mean_needs, start_need, o.min_instances);
    let reactive_short = mean_needs
        .iter()
        .zip(&reactive)
        .filter(|(n, r)| n > r)
        .count();
    let rcurve = s.curve(&starts, &reactive, 0, o.scale_in_delay_secs);
    let peak = needs.iter().copied().max().unwrap_or(o.min_instances);
    let flat = vec![peak; needs.len()];
    let mut notes = f.notes.clone();
    if capped > 0 {
        notes.push(format!(
            "{capped} period(s) need more than max_instances {}: capped (the ceiling is honoured)",
            o.max_instances.unwrap_or(0)
        ));
    }
    Ok(PredictiveSchedule {
        mode: o.mode,
        model: f.model.clone(),
        season_length: f.season_length,
        quantile: o.quantile,
        period_secs: s.step,
        steps,
        actions,
        cost: s.price(&curve),
        reactive_cost: s.price(&rcurve),
        reactive_short_periods: reactive_short,
        static_peak_cost: s.price(&s.curve(&starts, &flat, 0, 0)),
        capped_periods: capped,
        notes,
    })
}

fn model_name(m: &PreparedModel) -> &'static str {
    match m {
        PreparedModel::Linear { .. } => "linear",
        PreparedModel::Usl { .. } => "USL",
        PreparedModel::Queueing { .. } => "queueing",
    }
}

/// Days [`backtest_schedule`] replays when the caller names none (a week: every weekday once).
pub const BACKTEST_DAYS: usize = 7;

/// Replays [`predictive_schedule`] on the last `days` days of the history: at each day's start it
/// forecasts the next day from everything before, and counts the periods whose *actual* demand needed
/// more instances than the schedule ran, with the cost, beside the reactive replay on the actual demand
/// and static provisioning at the replay's peak need.
///
/// # Errors
/// As [`predictive_schedule`]; `too_few_observations` when fewer than two seasons precede the first
/// origin.
pub fn backtest_schedule(
    history: &[f64],
    timestamps: &[Timestamp],
    model: &CapacityModel,
    catalog: &PriceCatalog,
    options: &ScheduleOptions,
    days: usize,
) -> Result<ScheduleBacktest> {
    let s = setup(history, timestamps, model, catalog, options)?;
    let per_day = (86_400 / s.step).max(1) as usize;
    let season = s.season.unwrap_or(per_day);
    let span = days * per_day;
    if days == 0 || history.len() < span + 2 * season {
        return Err(Error::TooFewObservations {
            field: format!("history (backtest of {days} day(s) after two seasons)"),
            min: (span.max(per_day) + 2 * season) as u64,
            got: history.len() as u64,
        });
    }
    let o = ScheduleOptions {
        horizon: per_day,
        mode: ScheduleMode::ForecastAndScale,
        ..options.clone()
    };
    let first = history.len() - span;
    let mut origins = Vec::new();
    let (mut starts, mut planned, mut actual_needs) = (Vec::new(), Vec::new(), Vec::new());
    for d in 0..days {
        let origin = first + d * per_day;
        let p = plan(&s, &history[..origin], &timestamps[..origin], &o)?;
        origins.push(timestamps[origin]);
        for (k, st) in p.steps.iter().enumerate() {
            starts.push(st.start);
            planned.push(st.needed);
            actual_needs.push(
                s.need(history[origin + k], "backtest: actual demand")?
                    .max(o.min_instances),
            );
        }
    }
    let curve = s.curve(&starts, &planned, o.prewarm_secs, o.scale_in_delay_secs);
    let short = starts
        .iter()
        .zip(&actual_needs)
        .filter(|(t, n)| curve.at(t.unix()) < **n)
        .count();
    let before = s.need(history[first - 1], "backtest: the period before")?;
    let reactive = reactive_counts(&actual_needs, before, o.min_instances);
    let reactive_short = actual_needs
        .iter()
        .zip(&reactive)
        .filter(|(n, r)| n > r)
        .count();
    let peak = actual_needs
        .iter()
        .copied()
        .max()
        .unwrap_or(o.min_instances);
    Ok(ScheduleBacktest {
        origins,
        periods: starts.len(),
        predictive_short_periods: short,
        reactive_short_periods: reactive_short,
        predictive_cost: s.price(&curve),
        reactive_cost: s.price(&s.curve(&starts, &reactive, 0, o.scale_in_delay_secs)),
        static_peak_cost: s.price(&s.curve(&starts, &vec![peak; starts.len()], 0, 0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass curve against its definition, on pseudo-random counts and every shape of overlap.
    #[test]
    fn the_curve_is_its_definition() {
        let catalog = PriceCatalog::from_json(
            r#"{"name": "t", "currency": "USD", "instances": [{"name": "a", "vcpu": 2, "memory_gib": 4, "hourly": "1"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut x: u64 = 42;
        for (prewarm, delay) in [(0, 0), (300, 300), (3_600, 0), (0, 7_200), (5_000, 9_000)] {
            let starts: Vec<Timestamp> = (0..60).map(|i| Timestamp::from_unix(3_600 * i)).collect();
            let counts: Vec<u64> = (0..60)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (x >> 60) + 1
                })
                .collect();
            let o = ScheduleOptions {
                instance_type: "a".into(),
                cpu_seconds_per_request: 0.01,
                ..ScheduleOptions::default()
            };
            let h = vec![1.0; 4];
            let t: Vec<Timestamp> = (0..4).map(|i| Timestamp::from_unix(3_600 * i)).collect();
            let s = setup(&h, &t, &CapacityModel::default(), &catalog, &o)
                .unwrap_or_else(|e| panic!("{e}"));
            let c = s.curve(&starts, &counts, prewarm, delay);
            let brute = |tau: i64| {
                starts
                    .iter()
                    .zip(&counts)
                    .filter(|(st, _)| st.unix() - prewarm <= tau && tau < st.unix() + 3_600 + delay)
                    .map(|(_, &n)| n)
                    .max()
                    .unwrap_or(0)
            };
            for &(a, b, n) in &c.segments {
                assert_eq!(n, brute(a), "({prewarm}, {delay}) at {a}");
                assert_eq!(c.at(a), n);
                assert_eq!(c.at(b - 1), n);
            }
        }
    }
}
