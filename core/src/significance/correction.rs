//! Multiple-testing corrections: Holm (family-wise error) and Benjamini–Hochberg (false discovery rate).

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

/// A multiple-testing correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// No correction.
    None,
    /// Holm's step-down method (controls the family-wise error rate).
    #[default]
    Holm,
    /// Benjamini–Hochberg (controls the false discovery rate).
    BenjaminiHochberg,
}

impl Correction {
    /// The canonical (snake_case) name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Correction::None => "none",
            Correction::Holm => "holm",
            Correction::BenjaminiHochberg => "benjamini_hochberg",
        }
    }
}

impl std::str::FromStr for Correction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "none" => Ok(Correction::None),
            "holm" => Ok(Correction::Holm),
            "benjamini_hochberg" | "fdr_bh" | "bh" => Ok(Correction::BenjaminiHochberg),
            _ => Err(Error::UnknownVariant {
                field: "correction".into(),
                value: s.into(),
                expected: "\"none\", \"holm\", \"benjamini_hochberg\"",
            }),
        }
    }
}

/// Applies `method` to `p_values`, returning adjusted p-values in the input order.
///
/// # Errors
/// As [`holm`].
pub fn correct(p_values: &[f64], method: Correction) -> Result<Vec<f64>> {
    match method {
        Correction::None => {
            validate(p_values)?;
            Ok(p_values.to_vec())
        }
        Correction::Holm => holm(p_values),
        Correction::BenjaminiHochberg => benjamini_hochberg(p_values),
    }
}

fn validate(p: &[f64]) -> Result<()> {
    check::non_empty("p_values", p)?;
    for (i, &x) in p.iter().enumerate() {
        check::closed_unit(&check::at("p_values", i), x)?;
    }
    Ok(())
}

fn order(p: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    // Stable sort, so ties keep their input order (as statsmodels' mergesort).
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    idx
}

/// Holm's step-down adjusted p-values: `max_{j<=i} min(1, (m - j + 1) p_(j))` in sorted order.
///
/// # Errors
/// `empty_input`; `not_finite` or `out_of_range` naming `p_values[i]`.
///
/// # Example
/// ```
/// use scaleplan::significance::holm;
/// assert_eq!(holm(&[0.01, 0.04, 0.03])?, vec![0.03, 0.06, 0.06]);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// Holm (1979); statsmodels `multipletests(method="holm")`; fixture `testdata/significance/correction.json`.
pub fn holm(p_values: &[f64]) -> Result<Vec<f64>> {
    validate(p_values)?;
    let m = p_values.len();
    let idx = order(p_values);
    let mut out = vec![0.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in idx.iter().enumerate() {
        let adj = ((m - rank) as f64 * p_values[i]).min(1.0);
        running = running.max(adj);
        out[i] = running;
    }
    Ok(out)
}

/// Benjamini–Hochberg adjusted p-values (q-values): `min_{j>=i} min(1, m p_(j) / j)` in sorted order.
///
/// # Errors
/// As [`holm`].
///
/// # Example
/// ```
/// use scaleplan::significance::benjamini_hochberg;
/// let q = benjamini_hochberg(&[0.01, 0.04, 0.03])?;
/// assert!((q[0] - 0.03).abs() < 1e-15 && (q[1] - 0.04).abs() < 1e-15 && (q[2] - 0.04).abs() < 1e-15);
/// # Ok::<(), scaleplan::Error>(())
/// ```
///
/// # References
/// Benjamini & Hochberg (1995); statsmodels `multipletests(method="fdr_bh")`.
pub fn benjamini_hochberg(p_values: &[f64]) -> Result<Vec<f64>> {
    validate(p_values)?;
    let m = p_values.len();
    let idx = order(p_values);
    let mut out = vec![0.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in idx.iter().enumerate().rev() {
        let adj = (m as f64 * p_values[i] / (rank + 1) as f64).min(1.0);
        running = running.min(adj);
        // m p / rank >= p in exact arithmetic; keep it so when rounding says otherwise.
        out[i] = running.max(p_values[i]);
    }
    Ok(out)
}
