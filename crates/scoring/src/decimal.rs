//! Decimals in files: how they are written, their JSON Schema, and the
//! loading step shared by every document of this crate.
//!
//! Every decimal of a grille file (grades, points, weights, fractions) is
//! written either as a JSON string such as `"4.5"` or `"0.55"`, or as a JSON
//! integer such as `20`. A JSON number with a fraction (`4.5` without
//! quotes) is refused with a clear message: JSON parsers read such numbers
//! as binary floating point, which cannot hold 0.1 or 0.55 exactly, and
//! grades must be exact.

use crate::message::{Message, MessageCode};
use grille_competence::Problem;
use grille_competence::document::{self, pointer_segment};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The pattern a decimal written as a string must follow.
pub const DECIMAL_PATTERN: &str = "^[+-]?[0-9]+(\\.[0-9]+)?$";

/// The JSON Schema of a decimal: a string such as `"4.5"` or an integer.
pub(crate) fn decimal_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "integer"],
        "pattern": DECIMAL_PATTERN,
        "description": "Nombre décimal exact : un texte comme \"4.5\" ou un entier comme 20."
    })
}

/// The JSON Schema of an optional decimal (`null` switches it off).
pub(crate) fn optional_decimal_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "integer", "null"],
        "pattern": DECIMAL_PATTERN,
        "description": "Nombre décimal exact (texte comme \"4.5\" ou entier), ou null pour désactiver."
    })
}

/// Whether `text` follows [`DECIMAL_PATTERN`] (checked by hand: this runs
/// for every decimal of a session read without its schema).
fn follows_decimal_pattern(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// Deserializing a decimal exactly as the schema admits it: a string
/// following [`DECIMAL_PATTERN`] or a JSON integer, never a number with a
/// fraction (binary floating point). Documents read without schema
/// validation (a session's candidates, see [`crate::stream`]) are then no
/// more lenient than with it; after a schema validation it changes nothing.
pub(crate) mod strict {
    use std::fmt;
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::de::{self, Deserialize, Deserializer, Visitor};

    /// A decimal deserialized strictly.
    struct Strict(Decimal);

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
            deserializer.deserialize_any(StrictVisitor).map(Strict)
        }
    }

    struct StrictVisitor;

    impl Visitor<'_> for StrictVisitor {
        type Value = Decimal;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a decimal as a string such as \"4.5\" or an integer")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Decimal, E> {
            if !super::follows_decimal_pattern(value) {
                return Err(E::invalid_value(de::Unexpected::Str(value), &self));
            }
            // As rust_decimal's own deserializer reads a string.
            Decimal::from_str(value)
                .or_else(|_| Decimal::from_scientific(value))
                .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }

    /// For `#[serde(deserialize_with)]` on a `Decimal`.
    pub(crate) fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        Strict::deserialize(deserializer).map(|strict| strict.0)
    }

    /// For `#[serde(deserialize_with)]` on an `Option<Decimal>` (`null` is
    /// `None`; add `#[serde(default)]` for an absent field).
    pub(crate) fn optional_decimal<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<Strict>::deserialize(deserializer).map(|strict| strict.map(|strict| strict.0))
    }
}

/// Parses JSON text, refuses numbers with a fraction, validates against the
/// schema of `T` and deserializes. Every problem is reported at once.
pub(crate) fn load<T: JsonSchema + DeserializeOwned>(source: &str) -> Result<T, Vec<Problem>> {
    load_refined(source, |_, problems| problems)
}

/// Like [`load`], with a step that may rewrite the schema problems with the
/// document in hand (for messages more precise than the generic ones).
pub(crate) fn load_refined<T: JsonSchema + DeserializeOwned>(
    source: &str,
    refine: impl FnOnce(&Value, Vec<Problem>) -> Vec<Problem>,
) -> Result<T, Vec<Problem>> {
    let mut value = document::parse_json(source).map_err(|problem| vec![problem])?;
    let mut problems = Vec::new();
    // Numbers with a fraction are mistakes and rare: look for one before
    // walking the document with pointers (a pointer per node is costly on
    // a large session).
    if has_fractional_number(&value) {
        quote_fractional_numbers(&mut value, String::new(), &mut problems);
    }
    let schema_problems = document::schema_problems_of::<T>(&value);
    problems.extend(refine(&value, schema_problems));
    if !problems.is_empty() {
        return Err(problems);
    }
    document::load_value(value)
}

/// Reports every JSON number with a fraction in `value` (pointers prefixed
/// with `prefix`) and quotes it, so that schema validation goes on.
pub(crate) fn reject_fractional_numbers(value: &mut Value, prefix: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if has_fractional_number(value) {
        quote_fractional_numbers(value, prefix.to_owned(), &mut problems);
    }
    problems
}

/// Whether the document holds a JSON number with a fraction or an exponent.
fn has_fractional_number(value: &Value) -> bool {
    match value {
        Value::Number(number) => !(number.is_i64() || number.is_u64()),
        Value::Array(items) => items.iter().any(has_fractional_number),
        Value::Object(fields) => fields.values().any(has_fractional_number),
        _ => false,
    }
}

/// Reports every JSON number with a fraction or an exponent and replaces it
/// by its text, so that schema validation goes on without reporting the
/// same place twice.
fn quote_fractional_numbers(value: &mut Value, pointer: String, problems: &mut Vec<Problem>) {
    match value {
        Value::Number(number) if !(number.is_i64() || number.is_u64()) => {
            let text = number.to_string();
            problems.push(Problem::new(
                pointer,
                Message::new(MessageCode::UnquotedDecimal).with("number", text.clone()),
            ));
            *value = Value::String(text);
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                quote_fractional_numbers(item, format!("{pointer}/{index}"), problems);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields.iter_mut() {
                quote_fractional_numbers(item, format!("{pointer}/{}", pointer_segment(key)), problems);
            }
        }
        _ => {}
    }
}

/// A decimal as people read it: trailing zeros removed (`4.50` → `4.5`,
/// `4.0` → `4`).
pub fn display(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A grade as printed on a decision: at least one decimal (`4` → `4.0`,
/// `4.25` stays `4.25`).
pub fn display_grade(value: Decimal) -> String {
    let normalized = value.normalize();
    if normalized.scale() == 0 { format!("{normalized}.0") } else { normalized.to_string() }
}

/// A grade the calculator rounded, as printed everywhere (tables, CSV,
/// JSON): such a grade carries the decimals of its rounding step, at least
/// one (`4.0`, `4.5`, `4.25` at step 0.25), and is printed with them; a
/// whole number gets `.0`.
pub fn display_rounded(value: Decimal) -> String {
    if value.scale() == 0 { format!("{value}.0") } else { value.to_string() }
}

/// Pushes a problem when `value` lies outside `[min, max]`.
pub(crate) fn check_range(
    problems: &mut Vec<Problem>,
    pointer: &str,
    value: Decimal,
    min: Decimal,
    max: Decimal,
    what: MessageCode,
) {
    if value < min || value > max {
        problems.push(Problem::new(
            pointer,
            Message::new(MessageCode::OutOfRange)
                .with_message("what", Message::new(what))
                .with("value", display(value))
                .with("min", display(min))
                .with("max", display(max)),
        ));
    }
}

/// Pushes a problem when a text is blank.
pub(crate) fn check_not_blank(problems: &mut Vec<Problem>, pointer: &str, text: &str, what: MessageCode) {
    if text.trim().is_empty() {
        problems.push(Problem::new(
            pointer,
            Message::new(MessageCode::Blank).with_message("what", Message::new(what)),
        ));
    }
}

/// The largest magnitude accepted for points and weights in files, so that
/// no sum or product in the engine can overflow a decimal.
pub(crate) const LARGEST_VALUE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

#[cfg(test)]
mod strict_tests {
    use rust_decimal::Decimal;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(deserialize_with = "super::strict::decimal")]
        value: Decimal,
    }

    fn read(json: &str) -> Option<String> {
        serde_json::from_str::<Holder>(json).ok().map(|holder| holder.value.to_string())
    }

    #[test]
    fn strict_decimals_are_those_the_schema_admits() {
        assert_eq!(read(r#"{"value": "4.5"}"#).as_deref(), Some("4.5"));
        assert_eq!(read(r#"{"value": "-0.55"}"#).as_deref(), Some("-0.55"));
        assert_eq!(read(r#"{"value": "+3"}"#).as_deref(), Some("3"));
        assert_eq!(read(r#"{"value": 20}"#).as_deref(), Some("20"));
        for refused in [
            r#"{"value": 4.5}"#,
            r#"{"value": 4.0}"#,
            r#"{"value": 1e2}"#,
            r#"{"value": "4,5"}"#,
            r#"{"value": "1_000"}"#,
            r#"{"value": ".5"}"#,
            r#"{"value": "5."}"#,
            r#"{"value": " 5"}"#,
            r#"{"value": "1e2"}"#,
            r#"{"value": ""}"#,
            r#"{"value": null}"#,
        ] {
            assert_eq!(read(refused), None, "{refused}");
        }
    }
}
