//! Exact money: [`Currency`] (ISO 4217 with its minor unit), [`Money`] (a `Decimal` amount with its
//! currency) and the one rounding rule, [`Currency::round`]: half-even ("banker's rounding") to the
//! currency's minor unit.
//!
//! Amounts are `rust_decimal::Decimal` and serialise as decimal **strings** (`"2400.00"`), so no JSON
//! reader turns a price into a float. Statistics stay `f64`; the only bridges between the two are
//! [`from_f64`] and [`to_f64`], explicit and rounded by a stated rule.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// ISO 4217 codes scaleplan knows, with their minor units (digits after the point). The table covers the
/// currencies of the major cloud price lists; others are an [`Error::UnknownCurrency`].
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AUD", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("MXN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("PLN", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TRY", 2),
    ("TWD", 2),
    ("USD", 2),
    ("ZAR", 2),
];

/// An ISO 4217 currency. Serialises as its code (`"USD"`).
///
/// # Example
/// ```
/// use scaleplan::money::Currency;
/// let usd: Currency = "USD".parse()?;
/// assert_eq!(usd.minor_units(), 2);
/// assert_eq!("XYZ".parse::<Currency>().unwrap_err().code(), "unknown_currency");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

impl Currency {
    /// US dollar.
    pub const USD: Currency = Currency {
        code: "USD",
        minor_units: 2,
    };

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point (2 for USD, 0 for JPY, 3 for KWD).
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }

    /// Rounds half-even to the minor unit and fixes the scale, so `2400` becomes `2400.00` in USD.
    ///
    /// # Example
    /// ```
    /// use rust_decimal::Decimal;
    /// use scaleplan::money::Currency;
    /// let r = |s: &str| Currency::USD.round(s.parse::<Decimal>().unwrap()).to_string();
    /// assert_eq!(r("0.125"), "0.12");   // half to even
    /// assert_eq!(r("0.135"), "0.14");
    /// assert_eq!(r("2400"), "2400.00");
    /// ```
    pub fn round(&self, amount: Decimal) -> Decimal {
        let mut d =
            amount.round_dp_with_strategy(self.minor_units, RoundingStrategy::MidpointNearestEven);
        d.rescale(self.minor_units);
        d
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(code: &str) -> Result<Self> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(code, minor_units)| Currency { code, minor_units })
            .ok_or_else(|| Error::UnknownCurrency {
                code: code.to_string(),
            })
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code.to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::USD
    }
}

/// An exact amount in one currency.
///
/// # Example
/// ```
/// use scaleplan::money::{Currency, Money};
/// let a = Money::parse("2400.00", Currency::USD)?;
/// let b = Money::parse("25.00", Currency::USD)?;
/// assert_eq!(a.checked_add(&b)?.to_string(), "2425.00 USD");
/// let eur = Money::parse("1", "EUR".parse()?)?;
/// assert_eq!(a.checked_add(&eur).unwrap_err().code(), "currency_mismatch");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The amount, serialised as a decimal string.
    #[serde(with = "crate::money::decimal_serde")]
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// An amount in `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Zero in `currency`, at its minor unit's scale.
    pub fn zero(currency: Currency) -> Money {
        Money::new(currency.round(Decimal::ZERO), currency)
    }

    /// Parses an exact decimal string (`"160.00"`, `"1e3"` is refused: write it out).
    ///
    /// # Errors
    /// `invalid_decimal` when the text is not a plain decimal number.
    pub fn parse(text: &str, currency: Currency) -> Result<Money> {
        Ok(Money::new(parse_decimal("amount", text)?, currency))
    }

    /// `self + other`.
    ///
    /// # Errors
    /// `currency_mismatch`, or `overflow` beyond Decimal's 28 digits.
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        self.same_currency("other", other)?;
        self.amount
            .checked_add(other.amount)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(|| Error::Overflow {
                what: "money addition".into(),
            })
    }

    /// `self * factor`, unrounded.
    ///
    /// # Errors
    /// `overflow` beyond Decimal's 28 digits.
    pub fn checked_mul(&self, factor: Decimal) -> Result<Money> {
        self.amount
            .checked_mul(factor)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(|| Error::Overflow {
                what: "money multiplication".into(),
            })
    }

    /// Rounded half-even to the minor unit ([`Currency::round`]).
    pub fn rounded(&self) -> Money {
        Money::new(self.currency.round(self.amount), self.currency)
    }

    fn same_currency(&self, field: &str, other: &Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                field: field.to_string(),
                expected: self.currency.code().to_string(),
                got: other.currency.code().to_string(),
            })
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Parses a plain decimal string (digits, optional sign and point).
pub(crate) fn parse_decimal(field: &str, text: &str) -> Result<Decimal> {
    Decimal::from_str_exact(text.trim()).map_err(|_| Error::InvalidDecimal {
        field: field.to_string(),
        text: text.to_string(),
    })
}

/// `amount >= 0`, else [`Error::NegativeAmount`] naming `field`.
pub(crate) fn non_negative(field: &str, amount: Decimal) -> Result<Decimal> {
    if amount.is_sign_negative() && !amount.is_zero() {
        Err(Error::NegativeAmount {
            field: field.to_string(),
            value: amount.to_string(),
        })
    } else {
        Ok(amount)
    }
}

/// An `f64` statistic (e.g. an instance count times a price range factor) as a `Decimal`, rounded
/// half-even to 12 decimal places first so that binary noise does not leak into money.
///
/// # Errors
/// `not_finite` for NaN or infinities; `overflow` beyond Decimal's range.
pub fn from_f64(field: &str, x: f64) -> Result<Decimal> {
    crate::check::finite(field, x)?;
    let d = Decimal::from_f64_retain(x).ok_or_else(|| Error::Overflow {
        what: format!("{field} as a decimal"),
    })?;
    Ok(d.round_dp_with_strategy(12, RoundingStrategy::MidpointNearestEven))
}

/// A `Decimal` as the nearest `f64` (for statistics on money, never for sums).
pub fn to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

/// The serde newtype-struct name under which [`decimal_serde`] writes an exact amount.
///
/// JSON (serde_json) and TOML write a newtype struct as its inner value, so the canonical JSON is the
/// plain decimal string (`"160.00"`); a serializer that cares can tell an exact amount from text by this
/// name instead of by the string's shape. The Python binding builds a `decimal.Decimal` for it, so that an
/// experiment named `"2024"` stays a `str`.
pub const DECIMAL_NEWTYPE: &str = "$scaleplan::Decimal";

/// Serde for exact amounts: written as a decimal string (`"160.00"`, through the newtype
/// [`DECIMAL_NEWTYPE`]); read from a decimal string or a JSON/TOML **integer** (`15`), never from a float
/// (`0.5` is refused: binary floats are not exact, so write `"0.5"`). Use with
/// `#[serde(with = "scaleplan::money::decimal_serde")]`.
pub mod decimal_serde {
    use std::fmt;

    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer, de};

    /// Writes the amount as its decimal string, marked as the newtype [`super::DECIMAL_NEWTYPE`].
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(super::DECIMAL_NEWTYPE, d.to_string().as_str())
    }

    /// Reads a decimal string or an integer; refuses floats.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(Exact)
    }

    struct Exact;

    impl de::Visitor<'_> for Exact {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal string such as \"160.00\" or an integer")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            Decimal::from_str_exact(v.trim()).map_err(|_| {
                E::custom(format_args!(
                    "\"{v}\" is not a decimal number such as \"160.00\""
                ))
            })
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::custom(format_args!(
                "{v} is a float, and floats are not exact: write money as a decimal string (\"{v}\")"
            )))
        }
    }
}

/// Like [`decimal_serde`] for an optional amount (`null` or absent is `None`).
pub mod opt_decimal_serde {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `null` or the decimal string.
    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::decimal_serde::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    /// Reads `null`, a decimal string or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct W(#[serde(with = "super::decimal_serde")] Decimal);
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}
