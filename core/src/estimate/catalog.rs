//! Price catalogs: what compute, storage, bandwidth, database and cache tiers and team hours cost, in
//! exact `Decimal` amounts of one ISO currency.
//!
//! A catalog is read from JSON ([`PriceCatalog::from_json`]) or TOML ([`PriceCatalog::from_toml`]) and
//! validated once: a known currency, the same currency on every price that names one (a catalog mixing
//! currencies is refused, never silently summed), no negative prices, positive sizes, unique names.
//! Prices are decimal strings (`"0.192"`) or integers; floats are refused because they are not exact.
//! A month is 730 hours unless the catalog says otherwise (`hours_per_month`).
//!
//! The repository ships `examples/data/catalog.toml`, labelled as illustrative prices.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};
use crate::money::{self, Currency};

/// A compute instance type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceType {
    /// Its name, e.g. `m5.large`.
    pub name: String,
    /// Virtual CPUs.
    pub vcpu: f64,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// Price per hour.
    #[serde(with = "money::decimal_serde")]
    pub hourly: Decimal,
    /// Optional currency of this price; it must equal the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A storage class priced per GB-month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageClass {
    /// Its name, e.g. `ssd`.
    pub name: String,
    /// Price per GB-month.
    #[serde(with = "money::decimal_serde")]
    pub per_gb_month: Decimal,
    /// Optional currency of this price; it must equal the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Network egress priced per GB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandwidthClass {
    /// Its name, e.g. `internet-egress`.
    pub name: String,
    /// Price per GB transferred.
    #[serde(with = "money::decimal_serde")]
    pub per_gb: Decimal,
    /// Optional currency of this price; it must equal the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A managed database tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseTier {
    /// Its name, e.g. `db.large`.
    pub name: String,
    /// Virtual CPUs.
    pub vcpu: f64,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// The most client connections it accepts.
    pub max_connections: u32,
    /// Price per month.
    #[serde(with = "money::decimal_serde")]
    pub monthly: Decimal,
    /// Optional currency of this price; it must equal the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A managed cache tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheTier {
    /// Its name, e.g. `cache.medium`.
    pub name: String,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// Price per month.
    #[serde(with = "money::decimal_serde")]
    pub monthly: Decimal,
    /// Optional currency of this price; it must equal the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// An hourly rate for team work (engineering, SRE, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamRate {
    /// The role, e.g. `engineer`.
    pub role: String,
    /// Price per hour.
    #[serde(with = "money::decimal_serde")]
    pub hourly: Decimal,
    /// Optional currency of this price; it must equal the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

fn default_hours() -> Decimal {
    Decimal::from(730)
}

/// The catalog as written in a file, before validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    name: String,
    #[serde(default)]
    note: String,
    currency: String,
    #[serde(default = "default_hours", with = "money::decimal_serde")]
    hours_per_month: Decimal,
    #[serde(default)]
    instances: Vec<InstanceType>,
    #[serde(default)]
    storage: Vec<StorageClass>,
    #[serde(default)]
    bandwidth: Vec<BandwidthClass>,
    #[serde(default)]
    databases: Vec<DatabaseTier>,
    #[serde(default)]
    caches: Vec<CacheTier>,
    #[serde(default)]
    team_rates: Vec<TeamRate>,
}

/// A validated price catalog (build it with [`PriceCatalog::from_json`] or [`PriceCatalog::from_toml`]).
///
/// # Example
/// ```
/// use scaleplan::estimate::PriceCatalog;
/// let c = PriceCatalog::from_toml(r#"
///     name = "demo"
///     currency = "USD"
///     [[instances]]
///     name = "app.medium"
///     vcpu = 2
///     memory_gib = 8
///     hourly = "0.096"
/// "#)?;
/// assert_eq!(c.instance_monthly("app.medium")?.to_string(), "70.080");
/// assert_eq!(c.instance("app.huge").unwrap_err().code(), "unknown_resource");
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceCatalog {
    /// The catalog's name.
    pub name: String,
    /// Free text, e.g. "Illustrative prices, not a quote".
    pub note: String,
    /// The currency of every price.
    pub currency: Currency,
    /// Hours in a month for hourly prices (730 by default).
    #[serde(with = "money::decimal_serde")]
    pub hours_per_month: Decimal,
    /// Compute instance types.
    pub instances: Vec<InstanceType>,
    /// Storage classes.
    pub storage: Vec<StorageClass>,
    /// Bandwidth classes.
    pub bandwidth: Vec<BandwidthClass>,
    /// Managed database tiers.
    pub databases: Vec<DatabaseTier>,
    /// Managed cache tiers.
    pub caches: Vec<CacheTier>,
    /// Team hourly rates.
    pub team_rates: Vec<TeamRate>,
}

impl PriceCatalog {
    /// Reads and validates a JSON catalog.
    ///
    /// # Errors
    /// `json` for malformed JSON or a float price; `unknown_currency`, `currency_mismatch`, `negative`,
    /// `out_of_range`, `duplicate_name` as in [`PriceCatalog::from_toml`].
    pub fn from_json(text: &str) -> Result<PriceCatalog> {
        Self::validate(crate::json::from_str::<RawCatalog>(text)?)
    }

    /// Reads and validates a TOML catalog.
    ///
    /// # Errors
    /// `toml` for malformed TOML or a float price; `unknown_currency` for a code outside ISO 4217's
    /// table; `currency_mismatch` when a price names another currency than the catalog; `negative` for
    /// a negative price; `out_of_range` for a non-positive size or month; `duplicate_name`.
    pub fn from_toml(text: &str) -> Result<PriceCatalog> {
        let raw: RawCatalog = toml::from_str(text).map_err(|e| Error::Toml {
            what: "PriceCatalog",
            message: e.to_string().trim().replace('\n', " "),
        })?;
        Self::validate(raw)
    }

    fn validate(raw: RawCatalog) -> Result<PriceCatalog> {
        let currency: Currency = raw.currency.parse()?;
        let price = |field: String, amount: Decimal, own: &Option<String>| -> Result<()> {
            if let Some(code) = own {
                let c: Currency = code.parse()?;
                if c != currency {
                    return Err(Error::CurrencyMismatch {
                        field,
                        expected: currency.code().into(),
                        got: c.code().into(),
                    });
                }
            }
            money::non_negative(&field, amount).map(|_| ())
        };
        if raw.hours_per_month <= Decimal::ZERO {
            return Err(Error::OutOfRange {
                field: "hours_per_month".into(),
                value: money::to_f64(raw.hours_per_month),
                allowed: "(0, inf)",
            });
        }
        for (i, x) in raw.instances.iter().enumerate() {
            price(format!("instances[{i}].hourly"), x.hourly, &x.currency)?;
            check::positive(&format!("instances[{i}].vcpu"), x.vcpu)?;
            check::positive(&format!("instances[{i}].memory_gib"), x.memory_gib)?;
        }
        for (i, x) in raw.storage.iter().enumerate() {
            price(
                format!("storage[{i}].per_gb_month"),
                x.per_gb_month,
                &x.currency,
            )?;
        }
        for (i, x) in raw.bandwidth.iter().enumerate() {
            price(format!("bandwidth[{i}].per_gb"), x.per_gb, &x.currency)?;
        }
        for (i, x) in raw.databases.iter().enumerate() {
            price(format!("databases[{i}].monthly"), x.monthly, &x.currency)?;
            check::positive(&format!("databases[{i}].vcpu"), x.vcpu)?;
            check::positive(&format!("databases[{i}].memory_gib"), x.memory_gib)?;
        }
        for (i, x) in raw.caches.iter().enumerate() {
            price(format!("caches[{i}].monthly"), x.monthly, &x.currency)?;
            check::positive(&format!("caches[{i}].memory_gib"), x.memory_gib)?;
        }
        for (i, x) in raw.team_rates.iter().enumerate() {
            price(format!("team_rates[{i}].hourly"), x.hourly, &x.currency)?;
        }
        unique("instances", raw.instances.iter().map(|x| &x.name))?;
        unique("storage", raw.storage.iter().map(|x| &x.name))?;
        unique("bandwidth", raw.bandwidth.iter().map(|x| &x.name))?;
        unique("databases", raw.databases.iter().map(|x| &x.name))?;
        unique("caches", raw.caches.iter().map(|x| &x.name))?;
        unique("team_rates", raw.team_rates.iter().map(|x| &x.role))?;
        Ok(PriceCatalog {
            name: raw.name,
            note: raw.note,
            currency,
            hours_per_month: raw.hours_per_month,
            instances: raw.instances,
            storage: raw.storage,
            bandwidth: raw.bandwidth,
            databases: raw.databases,
            caches: raw.caches,
            team_rates: raw.team_rates,
        })
    }

    /// The instance type named `name`.
    ///
    /// # Errors
    /// `unknown_resource`, listing the catalog's instance types.
    pub fn instance(&self, name: &str) -> Result<&InstanceType> {
        find("instance type", &self.instances, name, |x| &x.name)
    }

    /// The monthly price of one instance: `hourly × hours_per_month`, exact (not rounded).
    ///
    /// # Errors
    /// `unknown_resource`; `overflow` beyond Decimal's range.
    pub fn instance_monthly(&self, name: &str) -> Result<Decimal> {
        let i = self.instance(name)?;
        i.hourly
            .checked_mul(self.hours_per_month)
            .ok_or_else(|| Error::Overflow {
                what: format!("monthly price of {name}"),
            })
    }

    /// The storage class named `name`.
    ///
    /// # Errors
    /// `unknown_resource`.
    pub fn storage_class(&self, name: &str) -> Result<&StorageClass> {
        find("storage class", &self.storage, name, |x| &x.name)
    }

    /// The bandwidth class named `name`.
    ///
    /// # Errors
    /// `unknown_resource`.
    pub fn bandwidth_class(&self, name: &str) -> Result<&BandwidthClass> {
        find("bandwidth class", &self.bandwidth, name, |x| &x.name)
    }

    /// The database tier named `name`.
    ///
    /// # Errors
    /// `unknown_resource`.
    pub fn database(&self, name: &str) -> Result<&DatabaseTier> {
        find("database tier", &self.databases, name, |x| &x.name)
    }

    /// The cache tier named `name`.
    ///
    /// # Errors
    /// `unknown_resource`.
    pub fn cache(&self, name: &str) -> Result<&CacheTier> {
        find("cache tier", &self.caches, name, |x| &x.name)
    }

    /// The hourly rate of `role`.
    ///
    /// # Errors
    /// `unknown_resource`.
    pub fn team_rate(&self, role: &str) -> Result<&TeamRate> {
        find("team role", &self.team_rates, role, |x| &x.role)
    }
}

fn find<'a, T>(
    kind: &'static str,
    items: &'a [T],
    name: &str,
    key: impl Fn(&T) -> &String,
) -> Result<&'a T> {
    items
        .iter()
        .find(|x| key(x) == name)
        .ok_or_else(|| Error::UnknownResource {
            kind,
            name: name.to_string(),
            available: if items.is_empty() {
                "none".to_string()
            } else {
                items
                    .iter()
                    .map(|x| key(x).as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
}

fn unique<'a>(field: &str, names: impl Iterator<Item = &'a String>) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(Error::DuplicateName {
                field: field.to_string(),
                name: n.clone(),
            });
        }
    }
    Ok(())
}
