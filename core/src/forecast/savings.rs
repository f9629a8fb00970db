//! Savings recommendations: downsize what runs under 30 % utilisation, reserve what runs all the time;
//! each with a monthly saving in exact decimals, a confidence and a lifecycle
//! (pending → approved → implemented, or rejected, or expired).
//!
//! # Example
//! ```
//! use rust_decimal::Decimal;
//! use scaleplan::anomaly::budget::Date;
//! use scaleplan::forecast::savings::{recommend, ResourceUsage, SavingsOptions, Status};
//! use scaleplan::money::{Currency, Money};
//! let web = ResourceUsage {
//!     id: "web".into(),
//!     units: 10,
//!     unit_monthly_cost: Money::parse("70.00", Currency::USD)?,
//!     utilisation: vec![12.0, 15.0, 18.0, 14.0, 16.0, 13.0, 17.0], // percent, daily p95 say
//!     observed_days: 30,
//!     reserved_discount: Some(Decimal::new(30, 2)),
//! };
//! let today = Date::new(2026, 7, 1)?;
//! let mut recs = recommend(&[web], &SavingsOptions::new(today))?;
//! assert_eq!(recs[0].action.to_string(), "downsize web from 10 to 3 units");
//! assert_eq!(recs[0].monthly_saving.to_string(), "490.00 USD");
//! assert_eq!(recs[1].monthly_saving.to_string(), "63.00 USD"); // reserve the 3 left, 30 % off
//! recs[0].approve(today, "ops-lead")?;
//! recs[0].implement(today, "ops-lead")?;
//! assert_eq!(recs[0].status, Status::Implemented);
//! assert_eq!(recs[0].reject(today, "ops-lead").unwrap_err().code(), "illegal_transition");
//! # Ok::<(), scaleplan::Error>(())
//! ```

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::anomaly::budget::Date;
use crate::check;
use crate::error::{Error, Result};
use crate::money::Money;

/// A resource's size, price and observed utilisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceUsage {
    /// Its name.
    pub id: String,
    /// Instances (or nodes, or vCPU blocks) running now.
    pub units: u32,
    /// Monthly on-demand cost of one unit.
    pub unit_monthly_cost: Money,
    /// Utilisation samples in percent (0 to 100), e.g. hourly or daily peaks.
    pub utilisation: Vec<f64>,
    /// Days the samples cover.
    pub observed_days: u32,
    /// Discount of reserved or committed capacity as a fraction (0.30 for 30 % off), if offered.
    #[serde(default, with = "crate::money::opt_decimal_serde")]
    pub reserved_discount: Option<Decimal>,
}

/// Options of [`recommend`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavingsOptions {
    /// The day of the recommendation.
    pub as_of: Date,
    /// Downsize when the 95th percentile of utilisation is below this (percent, default 30).
    #[serde(default = "default_below")]
    pub downsize_below: f64,
    /// Size for this utilisation at the 95th percentile after downsizing (percent, default 60).
    #[serde(default = "default_target")]
    pub target_utilisation: f64,
    /// Days until a recommendation expires (default 30).
    #[serde(default = "default_valid")]
    pub valid_days: u32,
    /// Days of history for full confidence (default 30; fewer days scale the confidence down).
    #[serde(default = "default_valid")]
    pub full_confidence_days: u32,
}

fn default_below() -> f64 {
    30.0
}
fn default_target() -> f64 {
    60.0
}
fn default_valid() -> u32 {
    30
}

impl SavingsOptions {
    /// The defaults, on `as_of`.
    pub fn new(as_of: Date) -> SavingsOptions {
        SavingsOptions {
            as_of,
            downsize_below: default_below(),
            target_utilisation: default_target(),
            valid_days: default_valid(),
            full_confidence_days: default_valid(),
        }
    }
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Run fewer units.
    Downsize {
        /// The resource.
        resource: String,
        /// Units now.
        from: u32,
        /// Units recommended.
        to: u32,
    },
    /// Buy reserved capacity for the units that run all the time.
    Reserve {
        /// The resource.
        resource: String,
        /// Units to reserve.
        units: u32,
    },
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Downsize { resource, from, to } => {
                write!(f, "downsize {resource} from {from} to {to} units")
            }
            Action::Reserve { resource, units } => write!(f, "reserve {units} units of {resource}"),
        }
    }
}

/// Where a recommendation is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a decision.
    Pending,
    /// Accepted, not yet done.
    Approved,
    /// Done (final).
    Implemented,
    /// Turned down (final).
    Rejected,
    /// Not acted on before its expiry (final).
    Expired,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Implemented => "implemented",
            Status::Rejected => "rejected",
            Status::Expired => "expired",
        }
    }
}

/// One step of a recommendation's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// The day.
    pub date: Date,
    /// The new status.
    pub status: Status,
    /// Who (empty for an expiry).
    pub actor: String,
}

/// A savings recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `downsize:web`, `reserve:web`.
    pub id: String,
    /// What to do.
    pub action: Action,
    /// Estimated saving per month.
    pub monthly_saving: Money,
    /// In [0, 1]: history coverage times the headroom left at the peak after the change.
    pub confidence: f64,
    /// Lifecycle status.
    pub status: Status,
    /// The day it was made.
    pub created: Date,
    /// The day it expires if still pending or approved.
    pub expires: Date,
    /// Why, in words.
    pub reason: String,
    /// Status changes, oldest first.
    pub history: Vec<Transition>,
}

impl Recommendation {
    fn go(
        &mut self,
        date: Date,
        actor: &str,
        action: &'static str,
        from: &[Status],
        to: Status,
    ) -> Result<()> {
        if !from.contains(&self.status) {
            return Err(Error::RecommendationTransition {
                id: self.id.clone(),
                status: self.status.name(),
                action,
            });
        }
        if date >= self.expires && to != Status::Expired {
            self.expire_if_due(date);
            return Err(Error::RecommendationTransition {
                id: self.id.clone(),
                status: self.status.name(),
                action,
            });
        }
        self.status = to;
        self.history.push(Transition {
            date,
            status: to,
            actor: actor.to_string(),
        });
        Ok(())
    }

    /// pending → approved.
    ///
    /// # Errors
    /// `illegal_transition` from any other status, or on or after the expiry day (it expires then).
    pub fn approve(&mut self, date: Date, actor: &str) -> Result<()> {
        self.go(date, actor, "approve", &[Status::Pending], Status::Approved)
    }

    /// approved → implemented.
    ///
    /// # Errors
    /// `illegal_transition` unless approved and not expired.
    pub fn implement(&mut self, date: Date, actor: &str) -> Result<()> {
        self.go(
            date,
            actor,
            "implement",
            &[Status::Approved],
            Status::Implemented,
        )
    }

    /// pending or approved → rejected.
    ///
    /// # Errors
    /// `illegal_transition` from a final status.
    pub fn reject(&mut self, date: Date, actor: &str) -> Result<()> {
        self.go(
            date,
            actor,
            "reject",
            &[Status::Pending, Status::Approved],
            Status::Rejected,
        )
    }

    /// pending or approved → expired, when `date` is on or after the expiry day. Returns whether it expired.
    pub fn expire_if_due(&mut self, date: Date) -> bool {
        if matches!(self.status, Status::Pending | Status::Approved) && date >= self.expires {
            self.status = Status::Expired;
            self.history.push(Transition {
                date,
                status: Status::Expired,
                actor: String::new(),
            });
            true
        } else {
            false
        }
    }
}

/// A step of a recommendation's lifecycle, by name (`"approve"`, `"implement"`, `"reject"`, `"expire"`):
/// what the bindings and stored commands use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// [`Recommendation::approve`].
    Approve,
    /// [`Recommendation::implement`].
    Implement,
    /// [`Recommendation::reject`].
    Reject,
    /// [`Recommendation::expire_if_due`] (no change when not due).
    Expire,
}

impl std::str::FromStr for Step {
    type Err = Error;

    fn from_str(s: &str) -> Result<Step> {
        match s {
            "approve" => Ok(Step::Approve),
            "implement" => Ok(Step::Implement),
            "reject" => Ok(Step::Reject),
            "expire" => Ok(Step::Expire),
            _ => Err(Error::UnknownVariant {
                field: "action".into(),
                value: s.to_string(),
                expected: "approve, implement, reject, expire",
            }),
        }
    }
}

impl Recommendation {
    /// Applies a lifecycle step on `date` by `actor` (ignored for `expire`).
    ///
    /// # Errors
    /// As the step: `illegal_transition`.
    ///
    /// # Example
    /// ```
    /// # use scaleplan::forecast::savings::*;
    /// let step: Step = "approve".parse()?;
    /// assert_eq!(step, Step::Approve);
    /// assert_eq!("undo".parse::<Step>().unwrap_err().code(), "unknown_variant");
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    pub fn apply(&mut self, step: Step, date: Date, actor: &str) -> Result<()> {
        match step {
            Step::Approve => self.approve(date, actor),
            Step::Implement => self.implement(date, actor),
            Step::Reject => self.reject(date, actor),
            Step::Expire => {
                self.expire_if_due(date);
                Ok(())
            }
        }
    }
}

/// Recommendations for `resources`, largest saving first.
///
/// Downsize when the 95th percentile of utilisation is below `downsize_below`: to
/// `ceil(units × p95 / target_utilisation)` units (at least 1), saving the units removed. Reserve, when a
/// discount is offered and the resource was never idle (minimum utilisation above 0) over at least
/// `full_confidence_days`: the units left after downsizing, saving `units × cost × discount`.
///
/// # Errors
/// `empty_input` (no samples), `not_finite`, `out_of_range` for a sample outside [0, 100], thresholds
/// outside (0, 100) or a target at or below the downsizing threshold, a discount outside [0, 1),
/// `overflow`.
pub fn recommend(resources: &[ResourceUsage], o: &SavingsOptions) -> Result<Vec<Recommendation>> {
    let pct = |field: &str, v: f64| -> Result<()> {
        check::finite(field, v)?;
        if !(v > 0.0 && v < 100.0) {
            return Err(Error::OutOfRange {
                field: field.into(),
                value: v,
                allowed: "(0, 100)",
            });
        }
        Ok(())
    };
    pct("downsize_below", o.downsize_below)?;
    pct("target_utilisation", o.target_utilisation)?;
    if o.target_utilisation <= o.downsize_below {
        return Err(Error::OutOfRange {
            field: "target_utilisation".into(),
            value: o.target_utilisation,
            allowed: "(downsize_below, 100)",
        });
    }
    let mut out = Vec::new();
    for (r_i, r) in resources.iter().enumerate() {
        let field = |f: &str| format!("resources[{r_i}].{f}");
        check::non_empty(&field("utilisation"), &r.utilisation)?;
        for (i, &u) in r.utilisation.iter().enumerate() {
            check::finite(&format!("{}[{i}]", field("utilisation")), u)?;
            if !(0.0..=100.0).contains(&u) {
                return Err(Error::OutOfRange {
                    field: format!("{}[{i}]", field("utilisation")),
                    value: u,
                    allowed: "[0, 100]",
                });
            }
        }
        crate::money::non_negative(&field("unit_monthly_cost"), r.unit_monthly_cost.amount)?;
        if let Some(d) = r.reserved_discount
            && (d.is_sign_negative() || d >= Decimal::ONE)
        {
            return Err(Error::OutOfRange {
                field: field("reserved_discount"),
                value: crate::money::to_f64(d),
                allowed: "[0, 1)",
            });
        }
        let mut s = r.utilisation.clone();
        s.sort_unstable_by(f64::total_cmp);
        let p95 = crate::anomaly::quantile_sorted(&s, 0.95);
        let p99 = crate::anomaly::quantile_sorted(&s, 0.99);
        let coverage =
            (f64::from(r.observed_days) / f64::from(o.full_confidence_days.max(1))).min(1.0);
        let expires = o.as_of.add_days(i64::from(o.valid_days));
        let mut kept = r.units;
        if p95 < o.downsize_below && r.units > 1 {
            let need = (f64::from(r.units) * p95 / o.target_utilisation)
                .ceil()
                .max(1.0) as u32;
            if need < r.units {
                kept = need;
                let removed = r.units - need;
                let saving = r
                    .unit_monthly_cost
                    .checked_mul(Decimal::from(removed))?
                    .rounded();
                let peak_after = p99 * f64::from(r.units) / f64::from(need);
                let headroom =
                    ((100.0 - peak_after) / (100.0 - o.target_utilisation)).clamp(0.0, 1.0);
                let confidence = coverage * headroom;
                out.push(Recommendation {
                    id: format!("downsize:{}", r.id),
                    action: Action::Downsize {
                        resource: r.id.clone(),
                        from: r.units,
                        to: need,
                    },
                    monthly_saving: saving,
                    confidence,
                    status: Status::Pending,
                    created: o.as_of,
                    expires,
                    reason: format!(
                        "p95 utilisation {p95:.1}% is below {}%; {need} units run it at {:.1}% (target {}%), the p99 {p99:.1}% becomes {peak_after:.1}%; {} days of history",
                        o.downsize_below,
                        p95 * f64::from(r.units) / f64::from(need),
                        o.target_utilisation,
                        r.observed_days
                    ),
                    history: vec![Transition {
                        date: o.as_of,
                        status: Status::Pending,
                        actor: String::new(),
                    }],
                });
            }
        }
        if let Some(discount) = r.reserved_discount
            && discount > Decimal::ZERO
            && s[0] > 0.0
            && r.observed_days >= o.full_confidence_days
        {
            let saving = r
                .unit_monthly_cost
                .checked_mul(Decimal::from(kept))?
                .checked_mul(discount)?
                .rounded();
            out.push(Recommendation {
                id: format!("reserve:{}", r.id),
                action: Action::Reserve {
                    resource: r.id.clone(),
                    units: kept,
                },
                monthly_saving: saving,
                confidence: coverage,
                status: Status::Pending,
                created: o.as_of,
                expires,
                reason: format!(
                    "{kept} units ran all {} days (minimum utilisation {:.1}%); reserved capacity is {}% cheaper",
                    r.observed_days,
                    s[0],
                    discount * Decimal::from(100)
                ),
                history: vec![Transition {
                    date: o.as_of,
                    status: Status::Pending,
                    actor: String::new(),
                }],
            });
        }
    }
    out.sort_by(|a, b| {
        b.monthly_saving
            .amount
            .cmp(&a.monthly_saving.amount)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}
