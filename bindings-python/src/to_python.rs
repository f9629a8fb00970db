//! A serde `Serializer` that builds Python objects straight from a core value, with the same result as
//! `json.loads` of the value's canonical JSON under the binding's one rule (a decimal string becomes a
//! `decimal.Decimal`), but without the JSON text and the parsed tree in between:
//!
//! | serde | Python (as through JSON) |
//! |---|---|
//! | bool, integers | `bool`, `int` |
//! | finite float | `float`; NaN and ±∞ give `None` (JSON's `null`) |
//! | string, char | `str` |
//! | none, unit, unit struct | `None` |
//! | unit variant | its name (`str`) |
//! | newtype struct `scaleplan::money::DECIMAL_NEWTYPE` (an exact amount) | `decimal.Decimal` |
//! | other newtype struct, some | the inner value |
//!
//! Money is told from text by the core's schema (the amount's newtype), never by the string's shape: a
//! name such as `"2024"` stays a `str`.
//! | sequence, tuple, bytes | `list` |
//! | map, struct | `dict` (map keys as JSON writes them: strings, integers and booleans as text) |
//! | newtype, tuple and struct variants | `{variant: value}` |

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::{IntoPyObjectExt, PyErr};
use serde::ser::{self, Serialize};

/// What went wrong: a Python error (out of memory, say), or a value JSON cannot write (a map key
/// that is not a string, a number or a boolean).
#[derive(Debug)]
pub(crate) enum ConvertError {
    Python(PyErr),
    Unsupported(String),
}

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConvertError::Python(e) => write!(f, "{e}"),
            ConvertError::Unsupported(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ConvertError {}

impl ser::Error for ConvertError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ConvertError::Unsupported(msg.to_string())
    }
}

impl From<PyErr> for ConvertError {
    fn from(e: PyErr) -> Self {
        ConvertError::Python(e)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, ConvertError>;

/// The serializer: the interpreter and `decimal.Decimal`.
#[derive(Clone, Copy)]
pub(crate) struct ToPython<'a, 'py> {
    pub(crate) py: Python<'py>,
    pub(crate) decimal: &'a Bound<'py, PyAny>,
}

impl<'a, 'py> ToPython<'a, 'py> {
    fn text(self, s: &str) -> Out<'py> {
        Ok(PyString::new(self.py, s).into_any())
    }

    fn none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }

    /// `{variant: value}`, as JSON writes an enum variant that carries data.
    fn tagged(self, variant: &str, value: Bound<'py, PyAny>) -> Out<'py> {
        let d = PyDict::new(self.py);
        d.set_item(PyString::new(self.py, variant), value)?;
        Ok(d.into_any())
    }
}

/// A list being filled (sequences, tuples), wrapped in `{variant: [...]}` for a tuple variant.
pub(crate) struct Seq<'a, 'py> {
    to: ToPython<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'a, 'py> Seq<'a, 'py> {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), ConvertError> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }

    fn finish(self) -> Out<'py> {
        let list = PyList::new(self.to.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.to.tagged(v, list),
            None => Ok(list),
        }
    }
}

/// A dict being filled (maps, structs), wrapped in `{variant: {...}}` for a struct variant.
pub(crate) struct Map<'a, 'py> {
    to: ToPython<'a, 'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyString>>,
    variant: Option<&'static str>,
}

impl<'a, 'py> Map<'a, 'py> {
    fn field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvertError> {
        let v = value.serialize(self.to)?;
        self.dict.set_item(PyString::new(self.to.py, key), v)?;
        Ok(())
    }

    fn finish(self) -> Out<'py> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(v) => self.to.tagged(v, dict),
            None => Ok(dict),
        }
    }
}

impl<'a, 'py> ser::Serializer for ToPython<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Seq<'a, 'py>;
    type SerializeMap = Map<'a, 'py>;
    type SerializeStruct = Map<'a, 'py>;
    type SerializeStructVariant = Map<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        if v.is_finite() {
            Ok(v.into_bound_py_any(self.py)?)
        } else {
            self.none()
        }
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        self.text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        self.none()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Out<'py> {
        Ok(PyString::new(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Out<'py> {
        let inner = value.serialize(self)?;
        if name == scaleplan::money::DECIMAL_NEWTYPE {
            Ok(self.decimal.call1((inner,))?)
        } else {
            Ok(inner)
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let v = value.serialize(self)?;
        self.tagged(variant, v)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a, 'py>, ConvertError> {
        Ok(Seq {
            to: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'py>, ConvertError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'py>, ConvertError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'py>, ConvertError> {
        Ok(Seq {
            to: self,
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'a, 'py>, ConvertError> {
        Ok(Map {
            to: self,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Map<'a, 'py>, ConvertError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Map<'a, 'py>, ConvertError> {
        Ok(Map {
            to: self,
            dict: PyDict::new(self.py),
            key: None,
            variant: Some(variant),
        })
    }
}

/// The four list-shaped serde traits, all filling a `Seq`.
macro_rules! list_shaped {
    ($($trait:ident::$method:ident),*) => {$(
        impl<'a, 'py> ser::$trait for Seq<'a, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = ConvertError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), ConvertError> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                self.finish()
            }
        }
    )*};
}
list_shaped!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<'a, 'py> ser::SerializeMap for Map<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), ConvertError> {
        self.key = Some(PyString::new(self.to.py, &key.serialize(KeyText)?));
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), ConvertError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ConvertError::Unsupported("a map value without its key".into()))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

/// The two struct-shaped serde traits, both filling a `Map`.
macro_rules! struct_shaped {
    ($($trait:ident),*) => {$(
        impl<'a, 'py> ser::$trait for Map<'a, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = ConvertError;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), ConvertError> {
                self.field(key, value)
            }
            fn end(self) -> Out<'py> {
                self.finish()
            }
        }
    )*};
}
struct_shaped!(SerializeStruct, SerializeStructVariant);

/// A map key as the text JSON gives it (serde_json's rule): strings as they are, integers, booleans
/// and unit variants as their text; anything else is refused.
struct KeyText;

/// Keys that JSON writes as their text: booleans, integers, characters.
macro_rules! key_as_text {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<String, ConvertError> {
            Ok(v.to_string())
        }
    )*};
}

fn refused() -> ConvertError {
    ConvertError::Unsupported("key must be a string".into())
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = ConvertError;
    type SerializeSeq = ser::Impossible<String, ConvertError>;
    type SerializeTuple = ser::Impossible<String, ConvertError>;
    type SerializeTupleStruct = ser::Impossible<String, ConvertError>;
    type SerializeTupleVariant = ser::Impossible<String, ConvertError>;
    type SerializeMap = ser::Impossible<String, ConvertError>;
    type SerializeStruct = ser::Impossible<String, ConvertError>;
    type SerializeStructVariant = ser::Impossible<String, ConvertError>;

    key_as_text!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_char: char
    );
    fn serialize_f32(self, _v: f32) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_f64(self, _v: f64) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_str(self, v: &str) -> Result<String, ConvertError> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_none(self) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _v: &T) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_unit(self) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<String, ConvertError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, ConvertError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, ConvertError> {
        Err(refused())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ConvertError> {
        Err(refused())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ConvertError> {
        Err(refused())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ConvertError> {
        Err(refused())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ConvertError> {
        Err(refused())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ConvertError> {
        Err(refused())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ConvertError> {
        Err(refused())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ConvertError> {
        Err(refused())
    }
}
