//! Input checks, in one place, each returning the right typed [`Error`].

use crate::error::{Error, Result};

/// `x` must be finite.
pub(crate) fn finite(field: &str, x: f64) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Error::NotFinite {
            field: field.to_string(),
            value: x,
        })
    }
}

/// `x` must be finite and `>= 0`.
pub(crate) fn non_negative(field: &str, x: f64) -> Result<f64> {
    finite(field, x)?;
    if x < 0.0 {
        Err(Error::Negative {
            field: field.to_string(),
            value: x,
        })
    } else {
        Ok(x)
    }
}

/// `x` must be finite and `> 0`.
pub(crate) fn positive(field: &str, x: f64) -> Result<f64> {
    non_negative(field, x)?;
    if x == 0.0 {
        Err(Error::OutOfRange {
            field: field.to_string(),
            value: x,
            allowed: "(0, inf)",
        })
    } else {
        Ok(x)
    }
}

/// `x` must lie strictly inside (0, 1): alpha, power, rates.
pub(crate) fn open_unit(field: &str, x: f64) -> Result<f64> {
    finite(field, x)?;
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(Error::OutOfRange {
            field: field.to_string(),
            value: x,
            allowed: "(0, 1)",
        })
    }
}

/// `x` must lie in [0, 1]: p-values.
pub(crate) fn closed_unit(field: &str, x: f64) -> Result<f64> {
    finite(field, x)?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(Error::OutOfRange {
            field: field.to_string(),
            value: x,
            allowed: "[0, 1]",
        })
    }
}

/// A whole, non-negative count given as a float (numpy and JS arrays carry counts as f64).
pub(crate) fn count(field: &str, x: f64) -> Result<u64> {
    non_negative(field, x)?;
    // 2^53: beyond it not every whole number is representable, so the count could be silently wrong.
    if x.fract() != 0.0 || x > 9_007_199_254_740_992.0 {
        return Err(Error::NotInteger {
            field: field.to_string(),
            value: x,
        });
    }
    Ok(x as u64)
}

/// `n >= min`.
pub(crate) fn at_least(field: &str, n: u64, min: u64) -> Result<u64> {
    if n < min {
        Err(Error::TooFewObservations {
            field: field.to_string(),
            min,
            got: n,
        })
    } else {
        Ok(n)
    }
}

/// The slice must not be empty.
pub(crate) fn non_empty<T>(field: &str, xs: &[T]) -> Result<()> {
    if xs.is_empty() {
        Err(Error::EmptyInput {
            field: field.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Every slice has the length of the first; none is empty.
pub(crate) fn same_len(fields: &[(&str, usize)]) -> Result<usize> {
    let Some(&(first, n)) = fields.first() else {
        return Ok(0);
    };
    if n == 0 {
        return Err(Error::EmptyInput {
            field: first.to_string(),
        });
    }
    for &(field, len) in &fields[1..] {
        if len != n {
            return Err(Error::LengthMismatch {
                field: field.to_string(),
                expected: n,
                got: len,
            });
        }
    }
    Ok(n)
}

/// `name[i]`, for errors inside batches.
pub(crate) fn at(name: &str, i: usize) -> String {
    format!("{name}[{i}]")
}

/// Every value in `values` is finite, else `Overflow` naming `what` (finite inputs whose combination
/// left the range of `f64`). `what` is built only on the error path.
pub(crate) fn no_overflow(what: impl FnOnce() -> String, values: &[f64]) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Error::Overflow { what: what() })
    }
}

/// `not_finite` for the first infinity in `xs`, a run starting at `offset` of the caller's `name` values
/// (NaN is allowed: a missing value). A branch-free scan first (it vectorises); the position only when
/// there is one.
pub(crate) fn no_infinity(name: &str, xs: &[f64], offset: usize) -> Result<()> {
    if xs.iter().fold(false, |any, x| any | x.is_infinite())
        && let Some(i) = xs.iter().position(|x| x.is_infinite())
    {
        return Err(Error::NotFinite {
            field: at(name, offset + i),
            value: xs[i],
        });
    }
    Ok(())
}
