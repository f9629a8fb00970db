//! Budgets: monthly, quarterly and annual, in exact decimals; spend to date, projected spend at period
//! end, threshold alerts that fire once per period, and cost attribution by service, team and feature.
//!
//! # Example
//! ```
//! use scaleplan::anomaly::budget::{Budget, BudgetPeriod, BudgetTracker, CostEntry, Date};
//! use scaleplan::money::{Currency, Money};
//! let budget = Budget::new("platform", BudgetPeriod::Monthly, Money::parse("3000.00", Currency::USD)?);
//! let mut tracker = BudgetTracker::new(budget)?;
//! let mut fired = Vec::new();
//! for day in 1..=20 {
//!     let date = Date::new(2026, 6, day)?;
//!     let cost = Money::parse("100.00", Currency::USD)?;
//!     fired.extend(tracker.record(&CostEntry::new(date, cost, "api", "core"))?);
//! }
//! // Spending 100 a day projects exactly the budget from day 1 on; 50 % is crossed on day 15.
//! assert_eq!(fired.iter().map(|a| a.message.as_str()).collect::<Vec<_>>(), [
//!     "platform: projected 3000.00 USD by 2026-06-30 is 100.0% of the 3000.00 USD budget",
//!     "platform: spent 1500.00 USD of 3000.00 USD (50.0%) by 2026-06-15, crossing the 50% threshold",
//! ]);
//! let status = tracker.status(Date::new(2026, 6, 20)?)?;
//! assert_eq!(status.spent.to_string(), "2000.00 USD");
//! # Ok::<(), scaleplan::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::money::Money;
use crate::time::{civil_from_days, days_from_civil, days_in_month};

/// A calendar date, `YYYY-MM-DD` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    /// A date from its parts.
    ///
    /// # Errors
    /// `invalid_date` when the day does not exist (2026-02-30) or the year is outside 1..=9999.
    pub fn new(year: i64, month: i64, day: i64) -> Result<Date> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
        {
            return Err(Error::InvalidDate {
                field: "date".into(),
                value: format!("{year:04}-{month:02}-{day:02}"),
            });
        }
        Ok(Date(days_from_civil(year, month, day)))
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// `invalid_date`, naming `field`.
    pub fn parse(field: &str, s: &str) -> Result<Date> {
        let bad = || Error::InvalidDate {
            field: field.to_string(),
            value: s.to_string(),
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let part = |r: std::ops::Range<usize>| -> Result<i64> {
            let t = &s[r];
            if t.bytes().all(|c| c.is_ascii_digit()) {
                t.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        Date::new(part(0..4)?, part(5..7)?, part(8..10)?).map_err(|_| bad())
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.0)
    }

    /// Days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i64 {
        other.0 - self.0
    }

    /// `n` days later (earlier for negative `n`).
    pub fn add_days(self, n: i64) -> Date {
        Date(self.0 + n)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse("date", &s).map_err(serde::de::Error::custom)
    }
}

/// The budget's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetPeriod {
    /// Calendar month.
    Monthly,
    /// Calendar quarter (January, April, July, October).
    Quarterly,
    /// Calendar year.
    Annual,
}

impl BudgetPeriod {
    /// First and last day of the period holding `d`.
    pub fn bounds(self, d: Date) -> (Date, Date) {
        let (y, m, _) = d.ymd();
        let (m0, months) = match self {
            BudgetPeriod::Monthly => (m, 1),
            BudgetPeriod::Quarterly => ((m - 1) / 3 * 3 + 1, 3),
            BudgetPeriod::Annual => (1, 12),
        };
        let m1 = m0 + months - 1;
        (
            Date(days_from_civil(y, m0, 1)),
            Date(days_from_civil(y, m1, days_in_month(y, m1))),
        )
    }
}

/// A budget for one period kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Its name, used in messages.
    pub name: String,
    /// Monthly, quarterly or annual.
    pub period: BudgetPeriod,
    /// The amount per period.
    pub amount: Money,
    /// Alert thresholds in percent of the amount, each firing once per period (default 50, 75, 90, 100).
    #[serde(default = "default_thresholds")]
    pub thresholds: Vec<u32>,
}

fn default_thresholds() -> Vec<u32> {
    vec![50, 75, 90, 100]
}

impl Budget {
    /// A budget with the default thresholds.
    pub fn new(name: &str, period: BudgetPeriod, amount: Money) -> Budget {
        Budget {
            name: name.to_string(),
            period,
            amount,
            thresholds: default_thresholds(),
        }
    }

    fn validate(&self) -> Result<()> {
        if self.amount.amount <= Decimal::ZERO {
            return Err(Error::OutOfRange {
                field: "amount".into(),
                value: crate::money::to_f64(self.amount.amount),
                allowed: "(0, inf)",
            });
        }
        for (i, &t) in self.thresholds.iter().enumerate() {
            if t == 0 || t > 1000 {
                return Err(Error::OutOfRange {
                    field: format!("thresholds[{i}]"),
                    value: f64::from(t),
                    allowed: "[1, 1000]",
                });
            }
        }
        Ok(())
    }
}

/// One day's cost of one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostEntry {
    /// The day.
    pub date: Date,
    /// The cost (not negative; credits are separate entries of a negative-cost kind we do not model).
    pub amount: Money,
    /// Service.
    pub service: String,
    /// Owning team.
    pub team: String,
    /// Feature, if tagged.
    #[serde(default)]
    pub feature: Option<String>,
}

impl CostEntry {
    /// An entry without a feature tag.
    pub fn new(date: Date, amount: Money, service: &str, team: &str) -> CostEntry {
        CostEntry {
            date,
            amount,
            service: service.to_string(),
            team: team.to_string(),
            feature: None,
        }
    }
}

/// Why a budget alert fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetAlertKind {
    /// Spend to date crossed a threshold.
    Threshold,
    /// The projection for the period's end reached the budget (once per period).
    Projected,
}

/// A budget alert; each threshold fires at most once per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetAlert {
    /// Threshold or projection.
    pub kind: BudgetAlertKind,
    /// The threshold in percent (100 for a projection).
    pub threshold: u32,
    /// The day it fired.
    pub date: Date,
    /// Spend (or projected spend) at that time.
    pub amount: Money,
    /// Percent of the budget.
    pub percent: f64,
    /// In words.
    pub message: String,
}

/// One line of an attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// Service, team or feature name (`untagged` for entries without a feature).
    pub name: String,
    /// Its spend in the period.
    pub amount: Money,
    /// Its share of the period's spend, in percent.
    pub percent: f64,
}

/// Spend in the period split three ways, largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// By service.
    pub by_service: Vec<Share>,
    /// By team.
    pub by_team: Vec<Share>,
    /// By feature.
    pub by_feature: Vec<Share>,
}

/// Where a budget stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetStatus {
    /// The budget's name.
    pub name: String,
    /// First day of the period.
    pub period_start: Date,
    /// Last day of the period.
    pub period_end: Date,
    /// The day of the status.
    pub as_of: Date,
    /// The budget.
    pub budget: Money,
    /// Spend from the period's start to `as_of`.
    pub spent: Money,
    /// Percent of the budget spent.
    pub spent_percent: f64,
    /// Spend plus the run rate (mean daily spend of the last 7 days, or of the days so far) times the
    /// days left, rounded to the currency's minor unit.
    pub projected: Money,
    /// Percent of the budget projected.
    pub projected_percent: f64,
    /// The daily run rate used.
    pub run_rate: Money,
    /// Alerts fired in this period, oldest first.
    pub alerts: Vec<BudgetAlert>,
    /// Spend by service, team and feature.
    pub attribution: Attribution,
}

/// Tracks one budget through a stream of cost entries; serialisable, so it can be stored and resumed.
/// Loading a stored tracker checks it (a valid budget, one period, every amount in the budget's
/// currency and not negative, dates within the period): an edited or corrupted state is refused with
/// `invalid_state` rather than producing NaN percentages or a panic later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "TrackerState")]
pub struct BudgetTracker {
    budget: Budget,
    period: Option<(Date, Date)>,
    /// Spend per day of the current period.
    daily: BTreeMap<Date, Money>,
    by_service: BTreeMap<String, Money>,
    by_team: BTreeMap<String, Money>,
    by_feature: BTreeMap<String, Money>,
    alerts: Vec<BudgetAlert>,
    last_date: Option<Date>,
}

/// A stored [`BudgetTracker`] before its checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackerState {
    budget: Budget,
    period: Option<(Date, Date)>,
    daily: BTreeMap<Date, Money>,
    by_service: BTreeMap<String, Money>,
    by_team: BTreeMap<String, Money>,
    by_feature: BTreeMap<String, Money>,
    alerts: Vec<BudgetAlert>,
    last_date: Option<Date>,
}

impl TryFrom<TrackerState> for BudgetTracker {
    type Error = Error;

    fn try_from(s: TrackerState) -> Result<BudgetTracker> {
        let bad = |reason: &str| Error::InvalidState {
            what: "BudgetTracker",
            reason: reason.to_string(),
        };
        s.budget.validate()?;
        if s.budget.thresholds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(bad("the thresholds are not sorted and distinct"));
        }
        let currency = s.budget.amount.currency;
        let amounts = s
            .daily
            .values()
            .chain(s.by_service.values())
            .chain(s.by_team.values())
            .chain(s.by_feature.values())
            .chain(s.alerts.iter().map(|a| &a.amount));
        for m in amounts {
            if m.currency != currency || m.amount < Decimal::ZERO {
                return Err(bad("an amount is negative or not in the budget's currency"));
            }
        }
        match (s.period, s.last_date) {
            (None, None) if s.daily.is_empty() && s.alerts.is_empty() => {}
            (Some((start, end)), Some(last)) => {
                if s.budget.period.bounds(start) != (start, end)
                    || !(start <= last && last <= end)
                    || s.daily.keys().any(|d| *d < start || *d > last)
                {
                    return Err(bad(
                        "the period, the last entry's date and the daily spend do not agree",
                    ));
                }
            }
            _ => return Err(bad("a period without a last entry, or the reverse")),
        }
        Ok(BudgetTracker {
            budget: s.budget,
            period: s.period,
            daily: s.daily,
            by_service: s.by_service,
            by_team: s.by_team,
            by_feature: s.by_feature,
            alerts: s.alerts,
            last_date: s.last_date,
        })
    }
}

impl BudgetTracker {
    /// A tracker for `budget`.
    ///
    /// # Errors
    /// `out_of_range` for an amount ≤ 0 or a threshold outside 1..=1000 %.
    pub fn new(mut budget: Budget) -> Result<BudgetTracker> {
        budget.validate()?;
        budget.thresholds.sort_unstable();
        budget.thresholds.dedup();
        Ok(BudgetTracker {
            budget,
            period: None,
            daily: BTreeMap::new(),
            by_service: BTreeMap::new(),
            by_team: BTreeMap::new(),
            by_feature: BTreeMap::new(),
            alerts: Vec::new(),
            last_date: None,
        })
    }

    /// Records an entry (entries come in date order; several per day are fine) and returns the alerts it
    /// fires. An entry in a later period starts that period afresh.
    ///
    /// # Errors
    /// `currency_mismatch`; `negative` for a negative amount; `invalid_timestamps` for an entry dated
    /// before the previous one (costs are recorded in order; a late entry would change alerts already
    /// sent); `overflow`.
    pub fn record(&mut self, e: &CostEntry) -> Result<Vec<BudgetAlert>> {
        if e.amount.currency != self.budget.amount.currency {
            return Err(Error::CurrencyMismatch {
                field: "amount".into(),
                expected: self.budget.amount.currency.code().to_string(),
                got: e.amount.currency.code().to_string(),
            });
        }
        crate::money::non_negative("amount", e.amount.amount)?;
        if let Some(last) = self.last_date
            && e.date < last
        {
            return Err(Error::InvalidTimestamps {
                field: "date".into(),
                reason: format!(
                    "{} comes before the previous entry's date {last}; record costs in date order",
                    e.date
                ),
            });
        }
        self.last_date = Some(e.date);
        let bounds = self.budget.period.bounds(e.date);
        if self.period != Some(bounds) {
            self.period = Some(bounds);
            self.daily.clear();
            self.by_service.clear();
            self.by_team.clear();
            self.by_feature.clear();
            self.alerts.clear();
        }
        let zero = Money::zero(e.amount.currency);
        let add = |map: &mut BTreeMap<String, Money>, k: &str| -> Result<()> {
            let slot = map.entry(k.to_string()).or_insert(zero);
            *slot = slot.checked_add(&e.amount)?;
            Ok(())
        };
        add(&mut self.by_service, &e.service)?;
        add(&mut self.by_team, &e.team)?;
        add(
            &mut self.by_feature,
            e.feature.as_deref().unwrap_or("untagged"),
        )?;
        let day = self.daily.entry(e.date).or_insert(zero);
        *day = day.checked_add(&e.amount)?;

        let before = self.alerts.len();
        // Only the totals: the attribution is built when a status is asked for, not on every entry.
        let (spent, _, projected) = self.totals(e.date)?;
        let (spent_percent, projected_percent) = (self.percent(spent), self.percent(projected));
        let period_end = bounds.1;
        let budget = self.budget.amount;
        for &t in &self.budget.thresholds {
            let fired = self
                .alerts
                .iter()
                .any(|a| a.kind == BudgetAlertKind::Threshold && a.threshold == t);
            if !fired && spent.amount * Decimal::from(100) >= budget.amount * Decimal::from(t) {
                self.alerts.push(BudgetAlert {
                    kind: BudgetAlertKind::Threshold,
                    threshold: t,
                    date: e.date,
                    amount: spent,
                    percent: spent_percent,
                    message: format!(
                        "{}: spent {} of {} ({:.1}%) by {}, crossing the {t}% threshold",
                        self.budget.name, spent, budget, spent_percent, e.date
                    ),
                });
            }
        }
        let projected_fired = self
            .alerts
            .iter()
            .any(|a| a.kind == BudgetAlertKind::Projected);
        if !projected_fired && spent.amount < budget.amount && projected.amount >= budget.amount {
            self.alerts.push(BudgetAlert {
                kind: BudgetAlertKind::Projected,
                threshold: 100,
                date: e.date,
                amount: projected,
                percent: projected_percent,
                message: format!(
                    "{}: projected {} by {} is {:.1}% of the {} budget",
                    self.budget.name, projected, period_end, projected_percent, budget
                ),
            });
        }
        Ok(self.alerts[before..].to_vec())
    }

    /// The status on `as_of` (in the current period, on or after the last entry).
    ///
    /// # Errors
    /// `invalid_timestamps` when `as_of` is before the last entry or in another period than the entries.
    pub fn status(&self, as_of: Date) -> Result<BudgetStatus> {
        if let Some(last) = self.last_date
            && (as_of < last || self.budget.period.bounds(as_of) != self.budget.period.bounds(last))
        {
            return Err(Error::InvalidTimestamps {
                field: "as_of".into(),
                reason: format!(
                    "{as_of} is not in the period of the last entry ({last}) or comes before it"
                ),
            });
        }
        self.compute(as_of)
    }

    /// Spend to date, the daily run rate and the projection at the period's end.
    fn totals(&self, as_of: Date) -> Result<(Money, Money, Money)> {
        let currency = self.budget.amount.currency;
        let zero = Money::zero(currency);
        let (start, end) = self.budget.period.bounds(as_of);
        let mut spent = zero;
        for v in self.daily.values() {
            spent = spent.checked_add(v)?;
        }
        let elapsed = start.days_until(as_of) + 1;
        let left = as_of.days_until(end);
        let recent_days = elapsed.min(7);
        let recent_start = Date(as_of.0 - recent_days + 1);
        let mut recent = zero;
        for (_, v) in self.daily.range(recent_start..=as_of) {
            recent = recent.checked_add(v)?;
        }
        let run_rate = Money::new(recent.amount / Decimal::from(recent_days), currency);
        let projected = spent
            .checked_add(&run_rate.checked_mul(Decimal::from(left))?)?
            .rounded();
        Ok((spent, run_rate, projected))
    }

    fn percent(&self, m: Money) -> f64 {
        100.0 * crate::money::to_f64(m.amount) / crate::money::to_f64(self.budget.amount.amount)
    }

    fn compute(&self, as_of: Date) -> Result<BudgetStatus> {
        let (start, end) = self.budget.period.bounds(as_of);
        let (spent, run_rate, projected) = self.totals(as_of)?;
        let pct = |m: Money| self.percent(m);
        let shares = |map: &BTreeMap<String, Money>| -> Vec<Share> {
            let mut v: Vec<Share> = map
                .iter()
                .map(|(k, m)| Share {
                    name: k.clone(),
                    amount: *m,
                    percent: if spent.amount.is_zero() {
                        0.0
                    } else {
                        100.0 * crate::money::to_f64(m.amount) / crate::money::to_f64(spent.amount)
                    },
                })
                .collect();
            v.sort_by(|a, b| {
                b.amount
                    .amount
                    .cmp(&a.amount.amount)
                    .then_with(|| a.name.cmp(&b.name))
            });
            v
        };
        Ok(BudgetStatus {
            name: self.budget.name.clone(),
            period_start: start,
            period_end: end,
            as_of,
            budget: self.budget.amount,
            spent_percent: pct(spent),
            spent,
            projected_percent: pct(projected),
            projected,
            run_rate: run_rate.rounded(),
            alerts: self.alerts.clone(),
            attribution: Attribution {
                by_service: shares(&self.by_service),
                by_team: shares(&self.by_team),
                by_feature: shares(&self.by_feature),
            },
        })
    }
}

/// The status of `budget` on `as_of` from entries in date order (those after `as_of` are ignored).
///
/// # Errors
/// As [`BudgetTracker::record`] and [`BudgetTracker::status`].
pub fn budget_status(budget: &Budget, entries: &[CostEntry], as_of: Date) -> Result<BudgetStatus> {
    let mut t = BudgetTracker::new(budget.clone())?;
    for (i, e) in entries.iter().enumerate() {
        if e.date > as_of {
            continue;
        }
        t.record(e)
            .map_err(|err| err.in_field(&format!("entries[{i}]")))?;
    }
    if t.last_date
        .is_some_and(|d| budget.period.bounds(d) != budget.period.bounds(as_of))
    {
        // No entry yet in as_of's period: an empty period.
        t = BudgetTracker::new(budget.clone())?;
    }
    t.status(as_of)
}
