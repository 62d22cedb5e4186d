//! JSON output: byte for byte what `serde_json` writes, faster.
//!
//! A report is about 60–80 KB of JSON, most of it strings (check messages, JSON
//! Pointers, provenance). `serde_json` looks up every byte of every string in its
//! escape table; this serializer tests eight bytes at a time for the few that need an
//! escape (`"`, `\`, and controls below U+0020) and copies the runs between them whole.
//! Everything else follows `serde_json` exactly, so the output is identical to
//! [`serde_json::to_vec`] and [`serde_json::to_vec_pretty`] (a property test compares
//! them on arbitrary values): compact or pretty with two-space indents, numbers as
//! `serde_json` formats them, map keys as strings, unit variants as strings, newtype,
//! tuple and struct variants as one-key objects, `None` and `()` as `null`.
//!
//! ```
//! let text = include_bytes!("../testdata/samples/qx-jxj-2023.txt");
//! let report = disclosure_report::parse_bytes(text, Some("qx-jxj-2023.txt"))?;
//! let json = disclosure_report::json::to_vec(&report)?;
//! assert_eq!(json, serde_json::to_vec(&report)?);
//! let pretty = disclosure_report::json::to_vec_pretty(&report)?;
//! assert_eq!(pretty, serde_json::to_vec_pretty(&report)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Errors are [`serde_json::Error`]s, as `serde_json` would return them: a map key that
//! is not a string, a number, a bool or a char, or a `Serialize` impl that fails.

use serde::ser::{self, Impossible, Serialize};

/// The error of this module: `serde_json`'s own.
pub type Error = serde_json::Error;

/// Serializes `value` as compact JSON (`serde_json::to_vec`). The buffer starts at
/// 64 KiB, about one report, so it seldom grows.
pub fn to_vec<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(64 * 1024);
    write(&mut out, value)?;
    Ok(out)
}

/// Serializes `value` as pretty JSON with two-space indents (`serde_json::to_vec_pretty`).
pub fn to_vec_pretty<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(64 * 1024);
    write_pretty(&mut out, value)?;
    Ok(out)
}

/// Appends the compact JSON of `value` to `out` (on error, `out` may hold part of it).
pub fn write<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Serializer::<false> { out, indent: 0 })
}

/// Appends the pretty JSON of `value` to `out` (on error, `out` may hold part of it).
pub fn write_pretty<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Serializer::<true> { out, indent: 0 })
}

/// Appends `s` as a JSON string, quotes included, escaped as `serde_json` escapes it.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = next_escape(bytes, 0);
    while let Some(&b) = bytes.get(i) {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0x0f)]);
                start = i + 1;
                i = next_escape(bytes, start);
                continue;
            }
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        out.extend_from_slice(escape);
        start = i + 1;
        i = next_escape(bytes, start);
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

/// Whether `b` is written escaped: `"`, `\` or a control below U+0020.
#[inline]
fn is_escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The index of the first byte at or after `from` that is written escaped, or the
/// length: eight bytes at a time while no byte of the word can be one.
#[inline]
fn next_escape(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for word in &mut words {
        if let Ok(w) = <[u8; 8]>::try_from(word) {
            if may_escape(u64::from_le_bytes(w)) {
                break;
            }
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|tail| tail.iter().position(|&b| is_escaped(b)))
        .map_or(bytes.len(), |p| at + p)
}

/// Whether one of the eight bytes of `w` is `"`, `\` or below 0x20 (exact for the word
/// as a whole; which byte it is, the caller finds by looking).
#[inline]
fn may_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let quote = has_zero(w ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(w ^ (ONES * u64::from(b'\\')));
    (below_space | quote | backslash) != 0
}

/// The ten integer methods of a `Serializer`, each `|self, v| body`.
macro_rules! integers {
    (|$this:ident, $v:ident| $body:expr) => {
        integers!(@each $this $v $body; serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_i128 i128, serialize_u8 u8, serialize_u16 u16,
            serialize_u32 u32, serialize_u64 u64, serialize_u128 u128);
    };
    (@each $this:ident $v:ident $body:expr; $($method:ident $t:ty),*) => {$(
        fn $method(self, $v: $t) -> Result<(), Error> {
            let $this = self;
            $body
        }
    )*};
}

/// A JSON serializer into a byte buffer; `PRETTY` chooses the layout.
struct Serializer<'o, const PRETTY: bool> {
    out: &'o mut Vec<u8>,
    /// Nesting depth of the open arrays and objects (pretty only).
    indent: usize,
}

impl<const PRETTY: bool> Serializer<'_, PRETTY> {
    fn open(&mut self, bracket: u8) {
        self.indent += 1;
        self.out.push(bracket);
    }

    fn close(&mut self, bracket: u8, had_items: bool) {
        self.indent -= 1;
        if PRETTY && had_items {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Before an array element or an object key.
    fn item(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
        if PRETTY {
            self.newline();
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.indent {
            self.out.extend_from_slice(b"  ");
        }
    }

    /// Between an object key and its value.
    fn colon(&mut self) {
        self.out
            .extend_from_slice(if PRETTY { b": " } else { b":" });
    }

    fn integer(&mut self, v: impl itoa::Integer) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// Floats as `serde_json` formats them (and `null` when not finite).
    fn float<F: Serialize>(&mut self, v: F) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, &v)
    }

    /// `{"variant":` of a newtype, tuple or struct variant.
    fn variant_key(&mut self, variant: &str) {
        self.open(b'{');
        self.item(true);
        write_str(self.out, variant);
        self.colon();
    }
}

/// An open array or object: whether an element was written yet.
struct Compound<'s, 'o, const PRETTY: bool> {
    ser: &'s mut Serializer<'o, PRETTY>,
    first: bool,
    /// Closes the `{"variant":…}` wrapper too.
    variant: bool,
}

impl<'s, 'o, const PRETTY: bool> Compound<'s, 'o, PRETTY> {
    fn new(ser: &'s mut Serializer<'o, PRETTY>, bracket: u8, variant: bool) -> Self {
        ser.open(bracket);
        Compound {
            ser,
            first: true,
            variant,
        }
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.item(self.first);
        self.first = false;
        value.serialize(&mut *self.ser)
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.ser.item(self.first);
        self.first = false;
        write_str(self.ser.out, key);
        self.ser.colon();
        value.serialize(&mut *self.ser)
    }

    fn finish(self, bracket: u8) -> Result<(), Error> {
        self.ser.close(bracket, !self.first);
        if self.variant {
            self.ser.close(b'}', true);
        }
        Ok(())
    }
}

impl<'s, 'o, const PRETTY: bool> ser::Serializer for &'s mut Serializer<'o, PRETTY> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'s, 'o, PRETTY>;
    type SerializeTuple = Compound<'s, 'o, PRETTY>;
    type SerializeTupleStruct = Compound<'s, 'o, PRETTY>;
    type SerializeTupleVariant = Compound<'s, 'o, PRETTY>;
    type SerializeMap = Compound<'s, 'o, PRETTY>;
    type SerializeStruct = Compound<'s, 'o, PRETTY>;
    type SerializeStructVariant = Compound<'s, 'o, PRETTY>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    integers!(|ser, v| {
        ser.integer(v);
        Ok(())
    });
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq as _;
        let mut seq = Compound::new(self, b'[', false);
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.finish(b']')
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant_key(variant);
        value.serialize(&mut *self)?;
        self.close(b'}', true);
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Ok(Compound::new(self, b'[', false))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Ok(Compound::new(self, b'[', false))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Ok(Compound::new(self, b'[', false))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        self.variant_key(variant);
        Ok(Compound::new(self, b'[', true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Ok(Compound::new(self, b'{', false))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Ok(Compound::new(self, b'{', false))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        self.variant_key(variant);
        Ok(Compound::new(self, b'{', true))
    }
}

/// The four array-like compounds: elements in brackets.
macro_rules! array_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<const PRETTY: bool> ser::$trait for Compound<'_, '_, PRETTY> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish(b']')
            }
        }
    )*};
}
array_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<const PRETTY: bool> ser::SerializeMap for Compound<'_, '_, PRETTY> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.ser.item(self.first);
        self.first = false;
        key.serialize(KeySerializer { out: self.ser.out })
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.colon();
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.finish(b'}')
    }
}

/// The two struct-like compounds: fields in braces.
macro_rules! struct_like {
    ($($trait:ident),*) => {$(
        impl<const PRETTY: bool> ser::$trait for Compound<'_, '_, PRETTY> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish(b'}')
            }
        }
    )*};
}
struct_like!(SerializeStruct, SerializeStructVariant);

/// A map key: a string, or a number, bool or char written as a string, as `serde_json`
/// allows; anything else is `serde_json`'s "key must be a string" error.
struct KeySerializer<'o> {
    out: &'o mut Vec<u8>,
}

impl KeySerializer<'_> {
    fn quoted(self, text: &str) -> Result<(), Error> {
        write_str(self.out, text);
        Ok(())
    }

    fn integer(self, v: impl itoa::Integer) -> Result<(), Error> {
        self.out.push(b'"');
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    /// A float key: `serde_json`'s own text of it, quoted (an error when not finite).
    fn float<F: Serialize>(self, v: F, finite: bool) -> Result<(), Error> {
        if !finite {
            return Err(float_key_must_be_finite());
        }
        self.out.push(b'"');
        serde_json::to_writer(&mut *self.out, &v)?;
        self.out.push(b'"');
        Ok(())
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

fn float_key_must_be_finite() -> Error {
    ser::Error::custom("float key must be finite (got NaN or +/-inf)")
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(if v { "true" } else { "false" })
    }
    integers!(|key, v| key.integer(v));
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.quoted(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.quoted(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    fn both(v: &impl Serialize) {
        assert_eq!(
            String::from_utf8(to_vec(v).unwrap()).unwrap(),
            serde_json::to_string(v).unwrap()
        );
        assert_eq!(
            String::from_utf8(to_vec_pretty(v).unwrap()).unwrap(),
            serde_json::to_string_pretty(v).unwrap()
        );
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        let s = "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{0}i\u{1f}j\u{7f}k/l 中文😀 0123456789abcdef\"";
        both(&s);
        assert_eq!(
            String::from_utf8(to_vec(&s).unwrap()).unwrap(),
            r#""a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj\u{7f}k/l 中文😀 0123456789abcdef\"""#
                .replace("\\u{7f}", "\u{7f}")
        );
        // Every byte below 0x80 at every position of an eight-byte word.
        for b in 0u8..0x80 {
            for pad in 0..9 {
                let s = format!("{}{}{}", "x".repeat(pad), char::from(b), "y".repeat(9));
                both(&s);
            }
        }
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, String),
        Struct { a: Option<u8>, b: Vec<u8> },
    }

    #[derive(Serialize)]
    struct S<'a> {
        unit: (),
        e: Vec<E>,
        empty: Vec<u8>,
        map: BTreeMap<u32, f64>,
        bytes: &'a serde_bytes_like::Bytes,
        tuple: (i64, char, bool),
        nested: Vec<Vec<Value>>,
        floats: [f64; 5],
    }

    mod serde_bytes_like {
        /// Serialized with `serialize_bytes`.
        pub struct Bytes(pub &'static [u8]);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
    }

    #[test]
    fn every_shape_matches_serde_json() {
        let s = S {
            unit: (),
            e: vec![
                E::Unit,
                E::New(7),
                E::Tuple(1, "x".into()),
                E::Struct { a: None, b: vec![] },
                E::Struct {
                    a: Some(2),
                    b: vec![3, 4],
                },
            ],
            empty: vec![],
            map: [(1, 0.5), (20, -1e300), (3, 12.0)].into_iter().collect(),
            bytes: &serde_bytes_like::Bytes(b"\x00\xff"),
            tuple: (i64::MIN, '"', true),
            nested: vec![
                vec![],
                vec![json!({}), json!([]), json!({"k": [1, {"z": null}]})],
            ],
            floats: [0.1, f64::NAN, f64::INFINITY, -0.0, 1e21],
        };
        both(&s);
        let keys: BTreeMap<i8, u8> = [(-1, 1)].into_iter().collect();
        both(&keys);
        let bad: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert!(to_vec(&bad).is_err() && serde_json::to_vec(&bad).is_err());
        let empty: BTreeMap<String, BTreeMap<u8, u8>> = BTreeMap::new();
        both(&empty);
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\\x00-\\x7f中\"\\\\]{0,40}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_values_match_serde_json(v in value()) {
            prop_assert_eq!(to_vec(&v).unwrap(), serde_json::to_vec(&v).unwrap());
            prop_assert_eq!(to_vec_pretty(&v).unwrap(), serde_json::to_vec_pretty(&v).unwrap());
        }
    }
}
