//! Serde for floats that may be NaN (a missing point): JSON has no NaN, so NaN is written as `null`.

/// `f64` with NaN as `null`.
pub(crate) mod scalar {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_nan() {
            s.serialize_none()
        } else {
            s.serialize_some(x)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// `Vec<f64>` with NaN entries as `null`.
pub(crate) mod vec {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(xs.len()))?;
        for x in xs {
            seq.serialize_element(&(!x.is_nan()).then_some(*x))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Option<f64>>::deserialize(d)?
            .into_iter()
            .map(|x| x.unwrap_or(f64::NAN))
            .collect())
    }
}

/// `Vec<f64>` with +∞ entries (a threshold not yet learnt) as `null`: JSON has no infinity.
pub(crate) mod inf_vec {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(xs.len()))?;
        for x in xs {
            seq.serialize_element(&(*x != f64::INFINITY).then_some(*x))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Option<f64>>::deserialize(d)?
            .into_iter()
            .map(|x| x.unwrap_or(f64::INFINITY))
            .collect())
    }
}

/// A queue of `(f64, f64)` pairs with NaN entries (no baseline yet) as `null`.
pub(crate) mod pairs {
    use std::collections::VecDeque;

    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    type Pair = (Option<f64>, Option<f64>);

    pub(crate) fn serialize<S: Serializer>(
        xs: &VecDeque<(f64, f64)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(xs.len()))?;
        for &(a, b) in xs {
            let p: Pair = ((!a.is_nan()).then_some(a), (!b.is_nan()).then_some(b));
            seq.serialize_element(&p)?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<VecDeque<(f64, f64)>, D::Error> {
        Ok(Vec::<Pair>::deserialize(d)?
            .into_iter()
            .map(|(a, b)| (a.unwrap_or(f64::NAN), b.unwrap_or(f64::NAN)))
            .collect())
    }
}
