//! Demand and the three capacity models that turn demand into instances.
//!
//! Demand is measured at the experiment's original scope ([`DemandProfile`]) and scales linearly with
//! users: at `U` users the peak arrival rate is `λ = U × peak_rps_per_user`. Then:
//!
//! * [`CapacityModel::Linear`]: cores `= λ × cpu_seconds_per_request`, instances
//!   `= ceil(cores × (1 + headroom) / (vcpu × target_utilization))` (target utilisation 70% by default);
//! * [`CapacityModel::Usl`]: the Universal Scalability Law fitted to load-test points (nodes →
//!   throughput); instances = the fewest nodes `N` with `X(N) >= λ × (1 + headroom)`. When even the peak
//!   `X(N*)` falls short, the answer is `capacity_unreachable`: adding nodes past `N*` lowers throughput;
//! * [`CapacityModel::Queueing`]: M/M/c with one server per vCPU and service time
//!   `cpu_seconds_per_request`: the fewest cores meeting the waiting criterion (Erlang C), then
//!   `ceil(cores × (1 + headroom) / vcpu)` instances; Little's law gives the requests in flight.

use serde::{Deserialize, Serialize};

use super::queueing::{ErlangC, ServerCriterion, min_servers};
use super::usl::{UslFit, usl_fit};
use crate::check;
use crate::error::{Error, Result};

fn one() -> f64 {
    1.0
}
fn default_uncertainty() -> f64 {
    0.2
}
fn default_target_utilization() -> f64 {
    0.7
}

/// What one scope of users demands, measured at the experiment's original scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandProfile {
    /// Users at the original scope (e.g. 1,000).
    pub users: f64,
    /// Requests per second per user at peak.
    pub peak_rps_per_user: f64,
    /// CPU-seconds one request costs.
    pub cpu_seconds_per_request: f64,
    /// Memory one instance of the service needs, in GiB (the instance type must have at least this).
    #[serde(default)]
    pub memory_gib_per_instance: f64,
    /// Storage growth per user per month, in GB.
    #[serde(default)]
    pub storage_gb_per_user_month: f64,
    /// Egress per user per month, in GB.
    #[serde(default)]
    pub bandwidth_gb_per_user_month: f64,
    /// Peak-to-average ratio of traffic (>= 1); the off-peak fleet is `instances / peak_to_average`.
    #[serde(default = "one")]
    pub peak_to_average: f64,
    /// Database connections each instance holds (0: do not size the database).
    #[serde(default)]
    pub db_connections_per_instance: f64,
    /// Cache memory per user, in GiB (0: do not size the cache).
    #[serde(default)]
    pub cache_gib_per_user: f64,
    /// Relative uncertainty of the per-user demand (0.2 = ±20%), which drives the low/high range.
    #[serde(default = "default_uncertainty")]
    pub uncertainty: f64,
}

impl DemandProfile {
    /// Checks every field.
    ///
    /// # Errors
    /// `out_of_range` for zero users; `negative` / `not_finite` for negative or non-finite demand;
    /// `out_of_range` for `peak_to_average < 1` or `uncertainty` outside [0, 1).
    pub fn validate(&self) -> Result<()> {
        check::positive("demand.users", self.users)?;
        check::non_negative("demand.peak_rps_per_user", self.peak_rps_per_user)?;
        check::non_negative(
            "demand.cpu_seconds_per_request",
            self.cpu_seconds_per_request,
        )?;
        check::non_negative(
            "demand.memory_gib_per_instance",
            self.memory_gib_per_instance,
        )?;
        check::non_negative(
            "demand.storage_gb_per_user_month",
            self.storage_gb_per_user_month,
        )?;
        check::non_negative(
            "demand.bandwidth_gb_per_user_month",
            self.bandwidth_gb_per_user_month,
        )?;
        check::non_negative(
            "demand.db_connections_per_instance",
            self.db_connections_per_instance,
        )?;
        check::non_negative("demand.cache_gib_per_user", self.cache_gib_per_user)?;
        check::finite("demand.peak_to_average", self.peak_to_average)?;
        if self.peak_to_average < 1.0 {
            return Err(Error::OutOfRange {
                field: "demand.peak_to_average".into(),
                value: self.peak_to_average,
                allowed: "[1, inf)",
            });
        }
        check::finite("demand.uncertainty", self.uncertainty)?;
        if !(0.0..1.0).contains(&self.uncertainty) {
            return Err(Error::OutOfRange {
                field: "demand.uncertainty".into(),
                value: self.uncertainty,
                allowed: "[0, 1)",
            });
        }
        Ok(())
    }

    /// Peak requests per second at `users` users, times `factor` (the scenario's demand multiplier).
    pub fn peak_rps(&self, users: f64, factor: f64) -> f64 {
        users * self.peak_rps_per_user * factor
    }
}

/// How demand becomes instances; `{"model": "linear", ...}` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
pub enum CapacityModel {
    /// CPU-seconds at a target utilisation.
    Linear {
        /// Utilisation to run at, in (0, 1] (default 0.7).
        #[serde(default = "default_target_utilization")]
        target_utilization: f64,
        /// Extra capacity on top, e.g. 0.2 for 20% (default 0).
        #[serde(default)]
        headroom: f64,
    },
    /// Universal Scalability Law fitted to a load test of the instance type (nodes → requests/s).
    Usl {
        /// Nodes (or concurrency) of each load-test point.
        concurrency: Vec<f64>,
        /// Requests per second measured at each point.
        throughput: Vec<f64>,
        /// Extra capacity on top (default 0).
        #[serde(default)]
        headroom: f64,
    },
    /// M/M/c queueing (Erlang C) with one server per vCPU.
    Queueing {
        /// What the queue must achieve.
        criterion: ServerCriterion,
        /// The criterion's value (a probability or a quantile level).
        value: f64,
        /// Answer time in seconds, for the service-level and percentile criteria.
        #[serde(default)]
        answer_time: Option<f64>,
        /// Extra capacity on top (default 0).
        #[serde(default)]
        headroom: f64,
    },
}

impl Default for CapacityModel {
    fn default() -> Self {
        CapacityModel::Linear {
            target_utilization: default_target_utilization(),
            headroom: 0.0,
        }
    }
}

/// Model-specific evidence behind an instance count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
pub enum SizingDetail {
    /// Linear sizing.
    Linear {
        /// CPU cores busy at peak, `λ × cpu_seconds_per_request`.
        busy_cores: f64,
        /// The target utilisation used.
        target_utilization: f64,
    },
    /// USL sizing.
    Usl {
        /// The fitted model.
        fit: UslFit,
        /// Predicted throughput of the chosen node count.
        predicted_throughput: f64,
    },
    /// Queueing sizing.
    Queueing {
        /// The M/M/c metrics at the chosen core count.
        queue: ErlangC,
        /// Requests in flight (in queue or in service) by Little's law, `λ (W_q + s)`.
        in_flight: f64,
    },
}

/// Instances one model needs for one demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizing {
    /// Peak requests per second served.
    pub peak_rps: f64,
    /// Instances needed at peak (at least 1).
    pub instances: u64,
    /// Instances needed off peak, `ceil(instances / peak_to_average)`.
    pub off_peak_instances: u64,
    /// CPU utilisation at peak on that many instances.
    pub peak_utilization: f64,
    /// How the model got there.
    pub detail: SizingDetail,
}

/// A capacity model checked once (the USL fitted once), ready to size many demands.
#[derive(Debug, Clone)]
pub(crate) enum PreparedModel {
    Linear {
        target: f64,
        headroom: f64,
    },
    Usl {
        fit: Box<UslFit>,
        headroom: f64,
    },
    Queueing {
        criterion: ServerCriterion,
        value: f64,
        answer_time: Option<f64>,
        headroom: f64,
    },
}

/// The most USL nodes searched when the model never peaks (`κ = 0`).
const MAX_NODES: u64 = 1_000_000;

impl PreparedModel {
    pub(crate) fn new(model: &CapacityModel) -> Result<PreparedModel> {
        let headroom = |h: f64| check::non_negative("model.headroom", h);
        Ok(match model {
            CapacityModel::Linear {
                target_utilization,
                headroom: h,
            } => {
                check::finite("model.target_utilization", *target_utilization)?;
                if !(*target_utilization > 0.0 && *target_utilization <= 1.0) {
                    return Err(Error::OutOfRange {
                        field: "model.target_utilization".into(),
                        value: *target_utilization,
                        allowed: "(0, 1]",
                    });
                }
                PreparedModel::Linear {
                    target: *target_utilization,
                    headroom: headroom(*h)?,
                }
            }
            CapacityModel::Usl {
                concurrency,
                throughput,
                headroom: h,
            } => {
                if concurrency.is_empty() {
                    return Err(Error::EmptyInput {
                        field: "model.concurrency (the load test)".into(),
                    });
                }
                let fit = usl_fit(concurrency, throughput).map_err(|e| e.in_field("model"))?;
                PreparedModel::Usl {
                    fit: Box::new(fit),
                    headroom: headroom(*h)?,
                }
            }
            CapacityModel::Queueing {
                criterion,
                value,
                answer_time,
                headroom: h,
            } => PreparedModel::Queueing {
                criterion: *criterion,
                value: *value,
                answer_time: *answer_time,
                headroom: headroom(*h)?,
            },
        })
    }

    /// Sizes `peak_rps` on instances with `vcpu` cores each.
    pub(crate) fn size(
        &self,
        demand: &DemandProfile,
        peak_rps: f64,
        vcpu: f64,
        what: &str,
    ) -> Result<Sizing> {
        let busy_cores = peak_rps * demand.cpu_seconds_per_request;
        let (instances, detail) = match self {
            PreparedModel::Linear { target, headroom } => {
                let n = busy_cores * (1.0 + headroom) / (vcpu * target);
                (
                    whole(n, what)?,
                    SizingDetail::Linear {
                        busy_cores,
                        target_utilization: *target,
                    },
                )
            }
            PreparedModel::Usl { fit, headroom } => {
                let required = peak_rps * (1.0 + headroom);
                let (n, x) = usl_nodes(fit, required, what)?;
                (
                    n,
                    SizingDetail::Usl {
                        fit: (**fit).clone(),
                        predicted_throughput: x,
                    },
                )
            }
            PreparedModel::Queueing {
                criterion,
                value,
                answer_time,
                headroom,
            } => {
                if peak_rps == 0.0 || demand.cpu_seconds_per_request == 0.0 {
                    return Err(Error::OutOfRange {
                        field: "demand (queueing needs a positive arrival rate and service time)"
                            .into(),
                        value: busy_cores,
                        allowed: "(0, inf)",
                    });
                }
                let q = min_servers(
                    peak_rps,
                    demand.cpu_seconds_per_request,
                    *criterion,
                    *value,
                    *answer_time,
                )
                .map_err(|e| e.in_field("model"))?;
                let n = q.servers as f64 * (1.0 + headroom) / vcpu;
                let in_flight = peak_rps * (q.mean_wait + demand.cpu_seconds_per_request);
                (
                    whole(n, what)?,
                    SizingDetail::Queueing {
                        queue: q,
                        in_flight,
                    },
                )
            }
        };
        let instances = instances.max(1);
        Ok(Sizing {
            peak_rps,
            instances,
            off_peak_instances: (instances as f64 / demand.peak_to_average).ceil().max(1.0) as u64,
            peak_utilization: busy_cores / (instances as f64 * vcpu),
            detail,
        })
    }
}

/// `ceil(n)` as a count, refusing the absurd.
fn whole(n: f64, what: &str) -> Result<u64> {
    crate::check::no_overflow(|| format!("{what}: instance count"), &[n])?;
    // A tiny tolerance so that 15.000000000000002 (binary noise of an exact 15) stays 15.
    let c = (n - 1e-9).ceil().max(0.0);
    if c > 1e15 {
        return Err(Error::Overflow {
            what: format!("{what}: instance count {n:e}"),
        });
    }
    Ok(c as u64)
}

/// The fewest nodes whose USL throughput reaches `required`, with that throughput.
fn usl_nodes(fit: &UslFit, required: f64, what: &str) -> Result<(u64, f64)> {
    let x = |n: u64| fit.throughput(n as f64).unwrap_or(0.0);
    let limit = match fit.peak_concurrency {
        Some(p) => (p.floor() as u64).clamp(1, MAX_NODES),
        None => MAX_NODES,
    };
    // Throughput rises monotonically up to the peak, so bisect on [1, limit] (and try ceil(N*) too).
    let best = [limit, limit + 1]
        .into_iter()
        .map(|n| (n, x(n)))
        .fold((1, x(1)), |a, b| if b.1 > a.1 { b } else { a });
    if best.1 < required {
        return Err(Error::CapacityUnreachable {
            what: format!(
                "{what}: the USL peaks at N* = {} nodes",
                fit.peak_concurrency
                    .map_or_else(|| "never".to_string(), |p| format!("{p:.1}"))
            ),
            required,
            max: best.1,
        });
    }
    let (mut lo, mut hi) = (1u64, best.0);
    if x(lo) >= required {
        return Ok((lo, x(lo)));
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if x(mid) >= required {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok((hi, x(hi)))
}
