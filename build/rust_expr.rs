//! Writes any `Serialize` value as a Rust constant expression, so build.rs can emit the built-in
//! rules as static tables without naming their fields: a field added to a policy type is emitted
//! with no edit here.
//!
//! The serde data model maps onto Rust syntax as follows:
//! - a struct is `Name { field: value, … }`, a tuple struct `Name(value, …)`, a unit struct `Name`;
//! - an enum variant is `Type::Variant`, `Type::Variant(value)`, `Type::Variant(a, …)` or
//!   `Type::Variant { field: value, … }`;
//! - a newtype struct is `Name::new(value)`: the policy types that serialise as one (the compiled
//!   globs) hold fields derived from their text, which their `const fn new` works out;
//! - a sequence is `Cow::Borrowed(&[…])`, the static form of the policy types' lists;
//! - `None` and `Some(value)`; strings, characters, booleans and integers as literals; a tuple as
//!   `(a, …)`.
//!
//! Maps, byte strings and floats that are not finite have no static form here: serialising one is
//! an error, which fails the build.

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};

/// Why a value has no constant expression.
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `value` as a Rust constant expression.
pub fn to_expr<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    value.serialize(Expr)
}

/// The serializer: each value becomes its expression, built from its parts' expressions.
struct Expr;

/// The parts of a compound value, joined when it ends.
pub struct Parts {
    open: String,
    items: Vec<String>,
    close: &'static str,
}

impl Parts {
    fn new(open: String, close: &'static str) -> Parts {
        Parts { open, items: Vec::new(), close }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(to_expr(value)?);
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.items.push(format!("{name}: {}", to_expr(value)?));
        Ok(())
    }

    fn finish(self) -> String {
        // A one-element tuple needs its comma: `(a,)`.
        let comma = if self.close == ")" && self.open == "(" && self.items.len() == 1 { "," } else { "" };
        format!("{}{}{comma}{}", self.open, self.items.join(", "), self.close)
    }
}

fn unsupported<T>(what: &str) -> Result<T, Error> {
    Err(Error(format!("a {what} has no static form in the generated rule tables")))
}

impl ser::Serializer for Expr {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Parts;
    type SerializeTuple = Parts;
    type SerializeTupleStruct = Parts;
    type SerializeTupleVariant = Parts;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = Parts;
    type SerializeStructVariant = Parts;

    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, Error> {
        if v.is_finite() { Ok(format!("{v:?}_f32")) } else { unsupported("float that is not finite") }
    }
    fn serialize_f64(self, v: f64) -> Result<String, Error> {
        if v.is_finite() { Ok(format!("{v:?}_f64")) } else { unsupported("float that is not finite") }
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(format!("{v:?}"))
    }
    // `Debug` writes a string as a Rust literal, escapes included.
    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(format!("{v:?}"))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        unsupported("byte string")
    }
    fn serialize_none(self) -> Result<String, Error> {
        Ok("None".to_owned())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Error> {
        Ok(format!("Some({})", to_expr(value)?))
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Ok("()".to_owned())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<String, Error> {
        Ok(name.to_owned())
    }
    fn serialize_unit_variant(self, name: &'static str, _: u32, variant: &'static str) -> Result<String, Error> {
        Ok(format!("{name}::{variant}"))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<String, Error> {
        Ok(format!("{name}::new({})", to_expr(value)?))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, name: &'static str, _: u32, variant: &'static str, value: &T) -> Result<String, Error> {
        Ok(format!("{name}::{variant}({})", to_expr(value)?))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Parts, Error> {
        Ok(Parts::new("Cow::Borrowed(&[".to_owned(), "])"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Parts, Error> {
        Ok(Parts::new("(".to_owned(), ")"))
    }
    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Parts, Error> {
        Ok(Parts::new(format!("{name}("), ")"))
    }
    fn serialize_tuple_variant(self, name: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Parts, Error> {
        Ok(Parts::new(format!("{name}::{variant}("), ")"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        unsupported("map")
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Parts, Error> {
        Ok(Parts::new(format!("{name} {{ "), " }"))
    }
    fn serialize_struct_variant(self, name: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Parts, Error> {
        Ok(Parts::new(format!("{name}::{variant} {{ "), " }"))
    }
}

/// serde's traits for the parts of a compound value: a positional part is pushed as it is, a
/// named one as `name: value`.
macro_rules! parts {
    (positional: $($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Parts {
            type Ok = String;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<String, Error> {
                Ok(self.finish())
            }
        }
    )*};
    (named: $($trait:ident),*) => {$(
        impl ser::$trait for Parts {
            type Ok = String;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            // A field left out (`skip_serializing_if`) would have no value in the table; one that
            // is never serialised (`#[serde(skip)]`) is missing from the expression, and the
            // generated code fails to compile, naming it. Either way no default stands in for it
            // silently.
            fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
                Err(Error(format!("field `{key}` is skipped when serialised, so the generated table cannot give it a value")))
            }
            fn end(self) -> Result<String, Error> {
                Ok(self.finish())
            }
        }
    )*};
}

parts!(positional: SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);
parts!(named: SerializeStruct, SerializeStructVariant);
