//! [`impact`]: the annual value of scaling a winner, from its lift and the lift's interval.
//!
//! Extra conversions a year `= users × opportunities_per_user_per_year × baseline_rate × lift`, and
//! their value `= conversions × value_per_conversion`, for the lift's low, expected and high values.
//! The statistic is `f64`; it becomes money once, through [`crate::money::from_f64`], and is then
//! rounded half-even to the currency's minor unit.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::resources::LiftRange;
use crate::check;
use crate::error::{Error, Result};
use crate::money::{self, Currency};

fn one() -> f64 {
    1.0
}

/// What [`impact`] needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactInput {
    /// Users reached after scaling (e.g. 50,000).
    pub users: f64,
    /// Conversion rate without the change, in (0, 1).
    pub baseline_rate: f64,
    /// Relative lift of the rate with its interval (e.g. +23%, 95% CI +8% to +38%).
    pub lift: LiftRange,
    /// Value of one conversion.
    #[serde(with = "money::decimal_serde")]
    pub value_per_conversion: Decimal,
    /// Currency of the value.
    pub currency: Currency,
    /// Chances to convert per user per year (visits, sessions, billing cycles); default 1.
    #[serde(default = "one")]
    pub opportunities_per_user_per_year: f64,
}

/// One scenario of [`Impact`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactScenario {
    /// The lift used.
    pub lift: f64,
    /// Extra conversions a year.
    pub extra_conversions: f64,
    /// Their annual value, rounded half-even to the minor unit.
    #[serde(with = "money::decimal_serde")]
    pub annual_value: Decimal,
}

/// The annual value of scaling, low / expected / high.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// Currency of every value.
    pub currency: Currency,
    /// At the lift's lower bound (negative when the interval crosses zero).
    pub low: ImpactScenario,
    /// At the point estimate.
    pub expected: ImpactScenario,
    /// At the upper bound.
    pub high: ImpactScenario,
    /// The assumptions, in words.
    pub assumptions: Vec<String>,
}

/// The annual value of the lift (see the module docs).
///
/// # Errors
/// `out_of_range` for zero users, a baseline outside (0, 1) or a lift range out of order;
/// `negative` for a negative value per conversion; `overflow` for values beyond Decimal's range.
///
/// # Example
/// ```
/// use scaleplan::estimate::{impact, ImpactInput, LiftRange};
/// use scaleplan::money::Currency;
/// let i = impact(&ImpactInput {
///     users: 50_000.0, baseline_rate: 0.10, opportunities_per_user_per_year: 12.0,
///     lift: LiftRange { low: 0.08, expected: 0.23, high: 0.38 },
///     value_per_conversion: "4.50".parse().unwrap(), currency: Currency::USD,
/// })?;
/// // 50,000 × 12 × 0.10 × 0.23 = 13,800 extra conversions × 4.50 = 62,100.00 a year.
/// assert_eq!(i.expected.annual_value.to_string(), "62100.00");
/// assert_eq!(i.low.annual_value.to_string(), "21600.00");
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn impact(input: &ImpactInput) -> Result<Impact> {
    check::positive("users", input.users)?;
    check::open_unit("baseline_rate", input.baseline_rate)?;
    check::positive(
        "opportunities_per_user_per_year",
        input.opportunities_per_user_per_year,
    )?;
    input.lift.validate("lift")?;
    money::non_negative("value_per_conversion", input.value_per_conversion)?;
    let base = input.users * input.opportunities_per_user_per_year * input.baseline_rate;
    let scenario = |lift: f64| -> Result<ImpactScenario> {
        let extra = base * lift;
        let value = money::from_f64("extra_conversions", extra)?
            .checked_mul(input.value_per_conversion)
            .ok_or_else(|| Error::Overflow {
                what: "annual value".into(),
            })?;
        Ok(ImpactScenario {
            lift,
            extra_conversions: extra,
            annual_value: input.currency.round(value),
        })
    };
    Ok(Impact {
        currency: input.currency,
        low: scenario(input.lift.low)?,
        expected: scenario(input.lift.expected)?,
        high: scenario(input.lift.high)?,
        assumptions: vec![
            format!(
                "{} users × {} opportunities a year × {:.4} baseline rate = {:.0} conversions a year without the change",
                input.users, input.opportunities_per_user_per_year, input.baseline_rate, base
            ),
            "the lift measured in the experiment holds at the target scope (no novelty decay, no saturation)".into(),
            format!(
                "each conversion is worth {} {}; values are rounded half-even to the minor unit",
                input.value_per_conversion, input.currency
            ),
        ],
    })
}
