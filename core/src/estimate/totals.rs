//! One-time and monthly totals of line items, exact in `Decimal`.
//!
//! **Rounding rule**: each line's `quantity × unit_price` is rounded half-even to the currency's minor
//! unit first, then the rounded lines are summed (so the printed lines always add up to the printed
//! totals). `first_month = one_time + monthly`, `first_year = one_time + 12 × monthly`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};
use crate::money::{self, Currency};

/// Whether a cost recurs every month or is paid once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Recurs every month (instances, storage, tiers).
    Monthly,
    /// Paid once (team hours, migration).
    OneTime,
}

/// One line of a cost breakdown: `quantity` units at `unit_price` each.
///
/// In JSON, `quantity` and `unit_price` are decimal strings: `{"name": "compute", "quantity": "15",
/// "unit_price": "160.00", "kind": "monthly"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    /// What is bought, e.g. `+15 × m5.large`.
    pub name: String,
    /// How many units (instances, GB, hours); may be fractional.
    #[serde(with = "crate::money::decimal_serde")]
    pub quantity: Decimal,
    /// Price of one unit, in the totals' currency.
    #[serde(with = "crate::money::decimal_serde")]
    pub unit_price: Decimal,
    /// Monthly or one-time.
    pub kind: CostKind,
}

/// A line's rounded total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineTotal {
    /// The line's name.
    pub name: String,
    /// Monthly or one-time.
    pub kind: CostKind,
    /// `quantity × unit_price`, rounded half-even to the minor unit.
    #[serde(with = "crate::money::decimal_serde")]
    pub total: Decimal,
}

/// The result of [`cost_totals`]; every amount is at the currency's minor unit (`"2400.00"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostTotals {
    /// The currency of every amount.
    pub currency: Currency,
    /// One rounded total per line item, in input order.
    pub line_totals: Vec<LineTotal>,
    /// Sum of the one-time lines.
    #[serde(with = "crate::money::decimal_serde")]
    pub one_time: Decimal,
    /// Sum of the monthly lines.
    #[serde(with = "crate::money::decimal_serde")]
    pub monthly: Decimal,
    /// `one_time + monthly`.
    #[serde(with = "crate::money::decimal_serde")]
    pub first_month: Decimal,
    /// `one_time + 12 × monthly`.
    #[serde(with = "crate::money::decimal_serde")]
    pub first_year: Decimal,
}

/// Totals of `items` in `currency` (see the module docs for the rounding rule).
///
/// # Errors
/// `empty_input` for no items; `negative` for a negative quantity or unit price (naming
/// `line_items[i].unit_price`); `overflow` beyond Decimal's 28 significant digits.
///
/// # Example
/// ```
/// use scaleplan::estimate::{cost_totals, CostKind, LineItem};
/// use scaleplan::money::Currency;
/// let item = |name: &str, q: &str, p: &str, kind| LineItem {
///     name: name.into(), quantity: q.parse().unwrap(), unit_price: p.parse().unwrap(), kind };
/// let t = cost_totals(&[
///     item("compute", "15", "160.00", CostKind::Monthly),
///     item("storage GB", "50", "0.50", CostKind::Monthly),
///     item("team hours", "40", "100.00", CostKind::OneTime),
/// ], Currency::USD)?;
/// assert_eq!(t.monthly.to_string(), "2425.00");
/// assert_eq!(t.one_time.to_string(), "4000.00");
/// assert_eq!(t.first_month.to_string(), "6425.00");
/// assert_eq!(t.first_year.to_string(), "33100.00");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn cost_totals(items: &[LineItem], currency: Currency) -> Result<CostTotals> {
    check::non_empty("line_items", items)?;
    let overflow = |what: &str| Error::Overflow {
        what: format!("cost totals: {what}"),
    };
    let mut line_totals = Vec::with_capacity(items.len());
    let (mut one_time, mut monthly) = (Decimal::ZERO, Decimal::ZERO);
    for (i, item) in items.iter().enumerate() {
        let at = |f: &str| format!("line_items[{i}].{f}");
        money::non_negative(&at("quantity"), item.quantity)?;
        money::non_negative(&at("unit_price"), item.unit_price)?;
        let total = currency.round(
            item.quantity
                .checked_mul(item.unit_price)
                .ok_or_else(|| overflow(&at("total")))?,
        );
        let sum = match item.kind {
            CostKind::Monthly => &mut monthly,
            CostKind::OneTime => &mut one_time,
        };
        *sum = sum.checked_add(total).ok_or_else(|| overflow("sum"))?;
        line_totals.push(LineTotal {
            name: item.name.clone(),
            kind: item.kind,
            total,
        });
    }
    let first_month = one_time
        .checked_add(monthly)
        .ok_or_else(|| overflow("first month"))?;
    let first_year = monthly
        .checked_mul(Decimal::from(12))
        .and_then(|y| y.checked_add(one_time))
        .ok_or_else(|| overflow("first year"))?;
    Ok(CostTotals {
        currency,
        line_totals,
        one_time: currency.round(one_time),
        monthly: currency.round(monthly),
        first_month: currency.round(first_month),
        first_year: currency.round(first_year),
    })
}
