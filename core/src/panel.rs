//! Many series at once: a panel is the series' values end to end with the offsets where each starts
//! (statsforecast's long frame of `unique_id`, `ds`, `y`, once sorted by id). The `*_many` functions of
//! the pillars run one series per task on rayon's pool, on every core (or `RAYON_NUM_THREADS`, or the
//! `threads` given), and return the results in series order.

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Series end to end: series `i` is `values[offsets[i]..offsets[i + 1]]`.
///
/// ```
/// use scaleplan::panel::Panel;
/// let values = [1.0, 2.0, 3.0, 10.0, 20.0];
/// let p = Panel::new(&values, &[0, 3, 5])?;
/// assert_eq!(p.len(), 2);
/// assert_eq!(p.series(1), &[10.0, 20.0]);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Panel<'a> {
    values: &'a [f64],
    offsets: &'a [usize],
}

impl<'a> Panel<'a> {
    /// The panel of `values` cut at `offsets` (the first 0, the last `values.len()`, non-decreasing).
    ///
    /// # Errors
    /// `out_of_range` naming the first offset out of order, or an end that does not match.
    pub fn new(values: &'a [f64], offsets: &'a [usize]) -> Result<Panel<'a>> {
        const ALLOWED: &str =
            "offsets from 0 to the number of values, non-decreasing, one more than the series";
        let bad = |i: usize, v: usize| Error::OutOfRange {
            field: format!("offsets[{i}]"),
            value: v as f64,
            allowed: ALLOWED,
        };
        match offsets {
            [] | [_] => {
                return Err(Error::OutOfRange {
                    field: "offsets".into(),
                    value: offsets.len() as f64,
                    allowed: "at least 2 offsets (0 and the number of values)",
                });
            }
            [first, ..] if *first != 0 => return Err(bad(0, *first)),
            [.., last] if *last != values.len() => return Err(bad(offsets.len() - 1, *last)),
            _ => {}
        }
        if let Some(i) = offsets.windows(2).position(|w| w[1] < w[0]) {
            return Err(bad(i + 1, offsets[i + 1]));
        }
        Ok(Panel { values, offsets })
    }

    /// Series in the panel.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True when the panel holds no series.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Series `i`.
    ///
    /// # Panics
    /// When `i >= len()`.
    pub fn series(&self, i: usize) -> &'a [f64] {
        &self.values[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The same cuts of another array of the same length (the timestamps of the values).
    ///
    /// # Errors
    /// `length_mismatch` when `other` is not as long as the values.
    pub fn same_cuts<'b>(&self, field: &str, other: &'b [f64]) -> Result<Panel<'b>>
    where
        'a: 'b,
    {
        if other.len() != self.values.len() {
            return Err(Error::LengthMismatch {
                field: field.into(),
                expected: self.values.len(),
                got: other.len(),
            });
        }
        Ok(Panel {
            values: other,
            offsets: self.offsets,
        })
    }

    /// `f` on each series, on rayon's pool (`threads`: that many threads, else the global pool); the
    /// results in series order. The error is the one of the first failing series, its field prefixed
    /// with `series[i]`.
    pub(crate) fn map<T, F>(&self, threads: Option<usize>, f: F) -> Result<Vec<T>>
    where
        T: Send,
        F: Fn(usize) -> Result<T> + Sync,
    {
        let run = || {
            let out: Vec<Result<T>> = (0..self.len()).into_par_iter().map(&f).collect();
            let mut done = Vec::with_capacity(out.len());
            for (i, r) in out.into_iter().enumerate() {
                done.push(r.map_err(|e| e.in_field(&format!("series[{i}]")))?);
            }
            Ok(done)
        };
        match threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::OutOfRange {
                    field: format!("threads (the pool could not start: {e})"),
                    value: n as f64,
                    allowed: "a thread count the machine can start",
                })?
                .install(run),
            None => run(),
        }
    }
}
