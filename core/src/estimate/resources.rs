//! [`estimate`]: what scaling from the experiment's scope to a target scope needs and costs, with a
//! low / expected / high range and the assumptions; [`capacity_milestones`]: the configuration and run
//! rate along a growth path of users.
//!
//! **Scenarios.** The per-user demand is uncertain by `demand.uncertainty` (±20% by default) and the
//! winner's lift changes it by `lift` (relative, with its interval). The demand multipliers are
//! `low = (1 − u)(1 + lift.low)`, `expected = 1 + lift.expected`, `high = (1 + u)(1 + lift.high)`; each
//! scenario is sized and priced in full (instances, tiers, storage, bandwidth).
//!
//! **Money.** Every line is `quantity × unit price`, rounded half-even to the currency's minor unit, and
//! the rounded lines are summed ([`super::cost_totals`]); hourly prices become monthly at the catalog's
//! `hours_per_month` (730), exactly.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::capacity::{CapacityModel, DemandProfile, PreparedModel, Sizing};
use super::catalog::PriceCatalog;
use super::totals::{CostKind, CostTotals, LineItem, cost_totals};
use crate::check;
use crate::error::{Error, Result};
use crate::money::{self, Currency};

fn default_tier_utilization() -> f64 {
    0.8
}
fn default_storage_months() -> u32 {
    12
}

/// A relative change with its interval, e.g. a lift of +23% with a 95% interval of +8% to +38%:
/// `{"low": 0.08, "expected": 0.23, "high": 0.38}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftRange {
    /// Lower bound (e.g. of the 95% interval).
    pub low: f64,
    /// Point estimate.
    pub expected: f64,
    /// Upper bound.
    pub high: f64,
}

impl LiftRange {
    /// No change.
    pub const NONE: LiftRange = LiftRange {
        low: 0.0,
        expected: 0.0,
        high: 0.0,
    };

    /// Checks `-1 < low <= expected <= high`, all finite.
    ///
    /// # Errors
    /// `not_finite`; `out_of_range` for `low <= -1` or bounds out of order.
    pub fn validate(&self, field: &str) -> Result<()> {
        check::finite(&format!("{field}.low"), self.low)?;
        check::finite(&format!("{field}.expected"), self.expected)?;
        check::finite(&format!("{field}.high"), self.high)?;
        if self.low <= -1.0 {
            return Err(Error::OutOfRange {
                field: format!("{field}.low"),
                value: self.low,
                allowed: "(-1, inf): a relative change above -100%",
            });
        }
        if !(self.low <= self.expected && self.expected <= self.high) {
            return Err(Error::OutOfRange {
                field: format!("{field}.expected"),
                value: self.expected,
                allowed: "[low, high]",
            });
        }
        Ok(())
    }
}

/// A tier change: from the current tier (if any) to a named tier, or to the smallest tier that fits
/// (`to` absent).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierChoice {
    /// The tier in use today, if any.
    #[serde(default)]
    pub current: Option<String>,
    /// The tier to move to; absent: the cheapest tier that fits the target demand.
    #[serde(default)]
    pub target: Option<String>,
}

/// Team work needed once to scale (migration, rollout, on-call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamHours {
    /// The role, priced by the catalog's `team_rates`.
    pub role: String,
    /// Hours of work.
    #[serde(with = "money::decimal_serde")]
    pub hours: Decimal,
}

/// What to estimate: demand, target scope, model and resources by their catalog names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateRequest {
    /// Users at the target scope (e.g. 50,000); at least `demand.users`.
    pub target_users: f64,
    /// Demand measured at the original scope.
    pub demand: DemandProfile,
    /// The catalog's instance type the service runs on.
    pub instance_type: String,
    /// Instances running today.
    #[serde(default)]
    pub current_instances: u64,
    /// How demand becomes instances (linear at 70% by default).
    #[serde(default)]
    pub model: CapacityModel,
    /// Storage class for the data growth (absent: no storage line).
    #[serde(default)]
    pub storage: Option<String>,
    /// Months of data growth to provision (default 12).
    #[serde(default = "default_storage_months")]
    pub storage_months: u32,
    /// Bandwidth class for egress (absent: no bandwidth line).
    #[serde(default)]
    pub bandwidth: Option<String>,
    /// Database tier change (absent: no database line).
    #[serde(default)]
    pub database: Option<TierChoice>,
    /// Cache tier change (absent: no cache line).
    #[serde(default)]
    pub cache: Option<TierChoice>,
    /// The most a sized database or cache tier may be filled (connections, memory); default 0.8.
    #[serde(default = "default_tier_utilization")]
    pub max_tier_utilization: f64,
    /// One-time team work.
    #[serde(default)]
    pub team_hours: Vec<TeamHours>,
    /// The winner's relative change of per-user demand, with its interval (absent: none).
    #[serde(default)]
    pub lift: Option<LiftRange>,
}

/// The configuration that serves one number of users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// Users served.
    pub users: f64,
    /// Demand multiplier of the scenario (1 = as measured).
    pub demand_factor: f64,
    /// The instance type.
    pub instance_type: String,
    /// The sizing of the instances.
    pub sizing: Sizing,
    /// Database tier (when sized or named).
    pub database_tier: Option<String>,
    /// Cache tier (when sized or named).
    pub cache_tier: Option<String>,
    /// Storage provisioned, in GB.
    pub storage_gb: f64,
    /// Egress per month, in GB.
    pub bandwidth_gb: f64,
}

/// One scenario's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCost {
    /// Demand multiplier (see the module docs).
    pub demand_factor: f64,
    /// Instances at peak.
    pub instances: u64,
    /// The scenario's totals.
    pub totals: CostTotals,
}

/// Low / expected / high.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostRange {
    /// Low demand and low lift.
    pub low: ScenarioCost,
    /// Demand as measured, expected lift.
    pub expected: ScenarioCost,
    /// High demand and high lift.
    pub high: ScenarioCost,
}

/// The result of [`estimate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceEstimate {
    /// Currency of every amount.
    pub currency: Currency,
    /// Users at the original scope.
    pub original_users: f64,
    /// Users at the target scope.
    pub target_users: f64,
    /// The expected scenario's configuration at the target.
    pub configuration: Configuration,
    /// What to buy, expected scenario: `+N × type`, storage, tier changes, team hours.
    pub line_items: Vec<LineItem>,
    /// Totals of `line_items` (one-time, monthly, first month, first year).
    pub totals: CostTotals,
    /// The range over scenarios.
    pub range: CostRange,
    /// Every assumption the numbers rest on, in words.
    pub assumptions: Vec<String>,
    /// Things to look at (e.g. a tier already too small, a low-fit USL).
    pub warnings: Vec<String>,
}

struct Planner<'a> {
    req: &'a EstimateRequest,
    catalog: &'a PriceCatalog,
    model: PreparedModel,
    vcpu: f64,
    instance_monthly: Decimal,
}

impl<'a> Planner<'a> {
    fn new(req: &'a EstimateRequest, catalog: &'a PriceCatalog) -> Result<Self> {
        req.demand.validate()?;
        let inst = catalog.instance(&req.instance_type)?;
        if inst.memory_gib < req.demand.memory_gib_per_instance {
            return Err(Error::OutOfRange {
                field: "demand.memory_gib_per_instance".into(),
                value: req.demand.memory_gib_per_instance,
                allowed: "at most the instance type's memory_gib",
            });
        }
        let u = req.max_tier_utilization;
        check::finite("max_tier_utilization", u)?;
        if !(u > 0.0 && u <= 1.0) {
            return Err(Error::OutOfRange {
                field: "max_tier_utilization".into(),
                value: u,
                allowed: "(0, 1]",
            });
        }
        if let Some(l) = &req.lift {
            l.validate("lift")?;
        }
        Ok(Planner {
            req,
            catalog,
            model: PreparedModel::new(&req.model)?,
            vcpu: inst.vcpu,
            instance_monthly: catalog.instance_monthly(&req.instance_type)?,
        })
    }

    fn configuration(&self, users: f64, factor: f64) -> Result<Configuration> {
        let d = &self.req.demand;
        let what = format!("{} users", users);
        let sizing = self
            .model
            .size(d, d.peak_rps(users, factor), self.vcpu, &what)?;
        let database_tier = match &self.req.database {
            None => None,
            Some(choice) => Some(self.database_for(choice, sizing.instances)?),
        };
        let cache_tier = match &self.req.cache {
            None => None,
            Some(choice) => Some(self.cache_for(choice, users * factor)?),
        };
        Ok(Configuration {
            users,
            demand_factor: factor,
            instance_type: self.req.instance_type.clone(),
            sizing,
            database_tier,
            cache_tier,
            storage_gb: users
                * factor
                * d.storage_gb_per_user_month
                * f64::from(self.req.storage_months),
            bandwidth_gb: users * factor * d.bandwidth_gb_per_user_month,
        })
    }

    /// The named target database tier, or the cheapest whose connection limit fits.
    fn database_for(&self, choice: &TierChoice, instances: u64) -> Result<String> {
        let need = instances as f64 * self.req.demand.db_connections_per_instance
            / self.req.max_tier_utilization;
        pick_tier(
            choice,
            &self.catalog.databases,
            need,
            "database: no tier in the catalog has enough connections",
            |t| (&t.name, f64::from(t.max_connections), t.monthly),
            |name| self.catalog.database(name).map(|_| ()),
        )
    }

    /// The named target cache tier, or the cheapest whose memory fits.
    fn cache_for(&self, choice: &TierChoice, users: f64) -> Result<String> {
        let need = users * self.req.demand.cache_gib_per_user / self.req.max_tier_utilization;
        pick_tier(
            choice,
            &self.catalog.caches,
            need,
            "cache: no tier in the catalog has enough memory (GiB)",
            |t| (&t.name, t.memory_gib, t.monthly),
            |name| self.catalog.cache(name).map(|_| ()),
        )
    }

    /// Line items that take today's setup to `config`.
    fn delta_lines(&self, config: &Configuration) -> Result<Vec<LineItem>> {
        let mut lines = Vec::new();
        let added = config
            .sizing
            .instances
            .saturating_sub(self.req.current_instances);
        if added > 0 {
            lines.push(LineItem {
                name: format!("compute: +{added} × {}", self.req.instance_type),
                quantity: Decimal::from(added),
                unit_price: self.instance_monthly,
                kind: CostKind::Monthly,
            });
        }
        self.storage_and_bandwidth(config, &mut lines)?;
        if let (Some(choice), Some(tier)) = (&self.req.database, &config.database_tier) {
            let to = self.catalog.database(tier)?;
            let from = match &choice.current {
                Some(c) => self.catalog.database(c)?.monthly,
                None => Decimal::ZERO,
            };
            tier_line(
                &mut lines,
                "database",
                &choice.current,
                tier,
                to.monthly,
                from,
            )?;
        }
        if let (Some(choice), Some(tier)) = (&self.req.cache, &config.cache_tier) {
            let to = self.catalog.cache(tier)?;
            let from = match &choice.current {
                Some(c) => self.catalog.cache(c)?.monthly,
                None => Decimal::ZERO,
            };
            tier_line(&mut lines, "cache", &choice.current, tier, to.monthly, from)?;
        }
        for (i, t) in self.req.team_hours.iter().enumerate() {
            money::non_negative(&format!("team_hours[{i}].hours"), t.hours)?;
            let rate = self.catalog.team_rate(&t.role)?;
            lines.push(LineItem {
                name: format!("team: {} hours", t.role),
                quantity: t.hours,
                unit_price: rate.hourly,
                kind: CostKind::OneTime,
            });
        }
        Ok(lines)
    }

    /// Lines for the whole run rate of `config` (milestones).
    fn run_rate_lines(&self, config: &Configuration) -> Result<Vec<LineItem>> {
        let mut lines = vec![LineItem {
            name: format!(
                "compute: {} × {}",
                config.sizing.instances, self.req.instance_type
            ),
            quantity: Decimal::from(config.sizing.instances),
            unit_price: self.instance_monthly,
            kind: CostKind::Monthly,
        }];
        self.storage_and_bandwidth(config, &mut lines)?;
        if let Some(t) = &config.database_tier {
            lines.push(LineItem {
                name: format!("database: {t}"),
                quantity: Decimal::ONE,
                unit_price: self.catalog.database(t)?.monthly,
                kind: CostKind::Monthly,
            });
        }
        if let Some(t) = &config.cache_tier {
            lines.push(LineItem {
                name: format!("cache: {t}"),
                quantity: Decimal::ONE,
                unit_price: self.catalog.cache(t)?.monthly,
                kind: CostKind::Monthly,
            });
        }
        Ok(lines)
    }

    fn storage_and_bandwidth(&self, c: &Configuration, lines: &mut Vec<LineItem>) -> Result<()> {
        if let Some(s) = &self.req.storage {
            let class = self.catalog.storage_class(s)?;
            let gb = gigabytes("storage_gb", c.storage_gb)?;
            if gb > Decimal::ZERO {
                lines.push(LineItem {
                    name: format!("storage: +{gb} GB {s}"),
                    quantity: gb,
                    unit_price: class.per_gb_month,
                    kind: CostKind::Monthly,
                });
            }
        }
        if let Some(b) = &self.req.bandwidth {
            let class = self.catalog.bandwidth_class(b)?;
            let gb = gigabytes("bandwidth_gb", c.bandwidth_gb)?;
            if gb > Decimal::ZERO {
                lines.push(LineItem {
                    name: format!("bandwidth: {gb} GB/month {b}"),
                    quantity: gb,
                    unit_price: class.per_gb,
                    kind: CostKind::Monthly,
                });
            }
        }
        Ok(())
    }
}

/// The tier for `need` units of capacity: the named target, else the cheapest tier with enough capacity,
/// keeping the current tier when it fits and is no dearer (never a silent downgrade).
/// `key` gives a tier's name, capacity and monthly price; `known` checks a name against the catalog.
fn pick_tier<T>(
    choice: &TierChoice,
    tiers: &[T],
    need: f64,
    unreachable: &str,
    key: impl Fn(&T) -> (&String, f64, Decimal),
    known: impl Fn(&str) -> Result<()>,
) -> Result<String> {
    if let Some(c) = &choice.current {
        known(c)?;
    }
    if let Some(t) = &choice.target {
        known(t)?;
        return Ok(t.clone());
    }
    let current = choice
        .current
        .as_ref()
        .and_then(|c| tiers.iter().map(&key).find(|(n, ..)| *n == c));
    let fits = tiers
        .iter()
        .map(&key)
        .filter(|&(_, capacity, _)| capacity >= need)
        .min_by(|a, b| a.2.cmp(&b.2));
    match (fits, current) {
        (Some(f), Some(c)) if f.2 <= c.2 && c.1 >= need => Ok(c.0.clone()),
        (Some(f), _) => Ok(f.0.clone()),
        (None, _) => Err(Error::CapacityUnreachable {
            what: unreachable.to_string(),
            required: need,
            max: tiers.iter().map(|t| key(t).1).fold(0.0, f64::max),
        }),
    }
}

/// Whole gigabytes, rounded up (you buy whole GB).
fn gigabytes(field: &str, gb: f64) -> Result<Decimal> {
    money::from_f64(field, (gb - 1e-9).ceil().max(0.0))
}

fn tier_line(
    lines: &mut Vec<LineItem>,
    kind: &str,
    current: &Option<String>,
    target: &str,
    to: Decimal,
    from: Decimal,
) -> Result<()> {
    if current.as_deref() == Some(target) {
        return Ok(());
    }
    let delta = to - from;
    money::non_negative(
        &format!("{kind}.target (a cheaper tier is not a scale-up)"),
        delta,
    )?;
    let name = match current {
        Some(c) => format!("{kind}: {c} -> {target} (difference)"),
        None => format!("{kind}: {target}"),
    };
    lines.push(LineItem {
        name,
        quantity: Decimal::ONE,
        unit_price: delta,
        kind: CostKind::Monthly,
    });
    Ok(())
}

/// Estimates what scaling `req.demand.users` to `req.target_users` needs and costs.
///
/// # Errors
/// `out_of_range` for zero users or a target below the original scope, for a utilisation outside
/// (0, 1] and for an instance type with less memory than the demand; `negative` for negative demand;
/// `empty_input` / `too_few_observations` for an empty or too short USL load test; `unknown_resource`
/// for a name the catalog lacks; `capacity_unreachable` when the model cannot serve the demand.
///
/// # Example
/// ```
/// use scaleplan::estimate::{estimate, EstimateRequest, PriceCatalog};
/// let catalog = PriceCatalog::from_json(r#"{"name": "demo", "currency": "USD",
///     "instances": [{"name": "app", "vcpu": 2, "memory_gib": 8, "hourly": "0.2"}]}"#)?;
/// let req: EstimateRequest = scaleplan::json::from_str(r#"{"target_users": 50000,
///     "demand": {"users": 1000, "peak_rps_per_user": 0.05, "cpu_seconds_per_request": 0.02},
///     "instance_type": "app", "current_instances": 1}"#)?;
/// let e = estimate(&req, &catalog)?;
/// // 2,500 req/s × 0.02 CPU-s = 50 cores; at 70% on 2 vCPU: ceil(35.7) = 36 instances.
/// assert_eq!(e.configuration.sizing.instances, 36);
/// assert_eq!(e.totals.monthly.to_string(), "5110.00"); // 35 added × 0.2 × 730
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn estimate(req: &EstimateRequest, catalog: &PriceCatalog) -> Result<ResourceEstimate> {
    let planner = Planner::new(req, catalog)?;
    let original = req.demand.users;
    check::positive("target_users", req.target_users)?;
    if req.target_users < original {
        return Err(Error::OutOfRange {
            field: "target_users".into(),
            value: req.target_users,
            allowed: "[demand.users, inf): the target scope must not be below the original",
        });
    }
    let lift = req.lift.unwrap_or(LiftRange::NONE);
    let u = req.demand.uncertainty;
    let factors = [
        (1.0 - u) * (1.0 + lift.low),
        1.0 + lift.expected,
        (1.0 + u) * (1.0 + lift.high),
    ];
    let scenario = |f: f64| -> Result<(Configuration, Vec<LineItem>, CostTotals)> {
        let config = planner.configuration(req.target_users, f)?;
        let lines = planner.delta_lines(&config)?;
        let totals = priced(&lines, catalog.currency)?;
        Ok((config, lines, totals))
    };
    let cost = |f: f64, (c, _, t): &(Configuration, Vec<LineItem>, CostTotals)| ScenarioCost {
        demand_factor: f,
        instances: c.sizing.instances,
        totals: t.clone(),
    };
    let (lo, hi) = (scenario(factors[0])?, scenario(factors[2])?);
    let expected = scenario(factors[1])?;
    let (low, exp, high) = (
        cost(factors[0], &lo),
        cost(factors[1], &expected),
        cost(factors[2], &hi),
    );
    let (configuration, line_items, totals) = expected;
    let warnings = warnings(req, &configuration);
    Ok(ResourceEstimate {
        currency: catalog.currency,
        original_users: original,
        target_users: req.target_users,
        assumptions: assumptions(req, catalog, &configuration, factors),
        warnings,
        configuration,
        line_items,
        totals,
        range: CostRange {
            low,
            expected: exp,
            high,
        },
    })
}

/// `cost_totals`, or all zero when there is nothing to buy.
fn priced(lines: &[LineItem], currency: Currency) -> Result<CostTotals> {
    if lines.is_empty() {
        let z = currency.round(Decimal::ZERO);
        return Ok(CostTotals {
            currency,
            line_totals: Vec::new(),
            one_time: z,
            monthly: z,
            first_month: z,
            first_year: z,
        });
    }
    cost_totals(lines, currency)
}

fn assumptions(
    req: &EstimateRequest,
    catalog: &PriceCatalog,
    c: &Configuration,
    factors: [f64; 3],
) -> Vec<String> {
    let d = &req.demand;
    let mut a = vec![
        format!(
            "demand scales linearly with users: {} users measured, {} targeted ({:.1}×)",
            d.users,
            req.target_users,
            req.target_users / d.users
        ),
        format!(
            "peak load {:.1} req/s at the target ({} req/s per user at peak × demand factor {:.3})",
            c.sizing.peak_rps, d.peak_rps_per_user, c.demand_factor
        ),
        format!(
            "demand factors low / expected / high = {:.3} / {:.3} / {:.3} (±{:.0}% demand uncertainty{})",
            factors[0],
            factors[1],
            factors[2],
            100.0 * d.uncertainty,
            if req.lift.is_some() {
                ", times 1 + the lift's low / expected / high"
            } else {
                ", no lift given"
            }
        ),
        match &req.model {
            CapacityModel::Linear {
                target_utilization,
                headroom,
            } => format!(
                "linear model: {} CPU-s per request, instances run at {:.0}% CPU with {:.0}% headroom",
                d.cpu_seconds_per_request,
                100.0 * target_utilization,
                100.0 * headroom
            ),
            CapacityModel::Usl {
                concurrency,
                headroom,
                ..
            } => format!(
                "USL model fitted to {} load-test points of {} (nodes -> req/s), {:.0}% headroom",
                concurrency.len(),
                req.instance_type,
                100.0 * headroom
            ),
            CapacityModel::Queueing {
                criterion,
                value,
                answer_time,
                headroom,
            } => format!(
                "M/M/c queueing: one server per vCPU, service time {} s, criterion {:?} {} (answer time {:?} s), {:.0}% headroom",
                d.cpu_seconds_per_request,
                criterion,
                value,
                answer_time,
                100.0 * headroom
            ),
        },
        format!(
            "instances are provisioned for peak; off peak {} would do (peak-to-average {})",
            c.sizing.off_peak_instances, d.peak_to_average
        ),
        format!(
            "prices from catalog \"{}\" in {}; a month is {} hours{}",
            catalog.name,
            catalog.currency,
            catalog.hours_per_month,
            if catalog.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", catalog.note)
            }
        ),
        "each line is rounded half-even to the currency's minor unit, then lines are summed; first year = one-time + 12 × monthly".to_string(),
    ];
    if req.storage.is_some() {
        a.push(format!(
            "storage provisioned for {} months of growth at {} GB per user per month",
            req.storage_months, d.storage_gb_per_user_month
        ));
    }
    if req.database.is_some() || req.cache.is_some() {
        a.push(format!(
            "database and cache tiers are filled to at most {:.0}% (connections, memory)",
            100.0 * req.max_tier_utilization
        ));
    }
    a
}

fn warnings(req: &EstimateRequest, c: &Configuration) -> Vec<String> {
    let mut w = Vec::new();
    if let super::capacity::SizingDetail::Usl { fit, .. } = &c.sizing.detail {
        if fit.r_squared < 0.9 {
            w.push(format!(
                "the USL fits the load test poorly (R² = {:.3}): treat the instance count with care",
                fit.r_squared
            ));
        }
        if let Some(m) = fit.past_peak_warning(c.sizing.instances as f64) {
            w.push(m);
        }
    }
    if c.sizing.instances < req.current_instances {
        w.push(format!(
            "{} instances run today but {} suffice at the target: a downsize is possible",
            req.current_instances, c.sizing.instances
        ));
    }
    w
}

/// A point on a growth path, e.g. `{"label": "day 30", "users": 250}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Its label.
    pub label: String,
    /// Users at that point.
    pub users: f64,
}

/// The configuration and monthly run rate at one milestone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestonePlan {
    /// The milestone's label.
    pub label: String,
    /// The configuration (expected demand and lift).
    pub configuration: Configuration,
    /// The whole run rate's lines and totals (not the increment).
    pub totals: CostTotals,
}

/// The configuration (instances, database and cache tiers) and monthly cost at each milestone of a
/// growth path, as in a 30/60/90-day plan. Uses `req`'s demand, model, resources and expected lift;
/// `req.target_users` is ignored.
///
/// # Errors
/// As [`estimate`]; `empty_input` for no milestones; `out_of_range` for a milestone with zero users.
pub fn capacity_milestones(
    req: &EstimateRequest,
    catalog: &PriceCatalog,
    milestones: &[Milestone],
) -> Result<Vec<MilestonePlan>> {
    check::non_empty("milestones", milestones)?;
    let planner = Planner::new(req, catalog)?;
    let factor = 1.0 + req.lift.map_or(0.0, |l| l.expected);
    milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            check::positive(&format!("milestones[{i}].users"), m.users)?;
            let configuration = planner.configuration(m.users, factor)?;
            let lines = planner.run_rate_lines(&configuration)?;
            Ok(MilestonePlan {
                label: m.label.clone(),
                totals: cost_totals(&lines, catalog.currency)?,
                configuration,
            })
        })
        .collect()
}
