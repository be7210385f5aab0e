//! Loading a JSON document in three steps, each reporting every problem it
//! finds: parse the text, validate it against the JSON Schema generated from
//! the Rust types, then deserialize. Checks of meaning (unique ids and the
//! like) belong to each document type and come after these.
//!
//! This module is shared by every data file of grille (catalogue, grading
//! scheme, blueprint, rubrics, sessions), so that they all report problems
//! the same way: a JSON pointer and a [`Message`] (a code and its
//! arguments), whose French sentence goes along for the readers that only
//! know French.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::message::{Message, MessageCode};

/// One thing wrong with a document: where (a JSON pointer, RFC 6901, empty
/// for the whole document) and what, as a [`Message`] that each reader
/// renders in their language, with its French sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the problem is: a JSON pointer such as `/domains/0/id`.
    pub pointer: String,
    /// What is wrong, as a French sentence (the French text of `detail`).
    pub message: String,
    /// What is wrong, as a code and its arguments.
    pub detail: Message,
}

impl Problem {
    /// A problem at `pointer`, said by `detail`.
    pub fn new(pointer: impl Into<String>, detail: Message) -> Self {
        Problem { pointer: pointer.into(), message: detail.french(), detail }
    }

    /// A problem at `pointer` whose text is already written in the
    /// reader's language by the caller (the CLI's own checks, a server's
    /// refusal): code `text`, shown as it is in every language.
    pub fn text(pointer: impl Into<String>, text: impl Into<String>) -> Self {
        Problem::new(pointer, Message::new(MessageCode::Text).with("text", text))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{pointer} : {}", self.message)
    }
}

/// The JSON Schema of a document type, as committed in `schemas/`.
pub fn schema_of<T: JsonSchema>() -> Value {
    let schema = schemars::schema_for!(T);
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// The schema as the text committed in `schemas/`: pretty JSON with a final
/// newline, so that a regeneration is byte-for-byte comparable.
pub fn schema_text_of<T: JsonSchema>() -> String {
    let mut text = serde_json::to_string_pretty(&schema_of::<T>()).unwrap_or_default();
    text.push('\n');
    text
}

/// Parses JSON text, reporting a syntax error with its line and column.
pub fn parse_json(source: &str) -> Result<Value, Problem> {
    // Windows editors (Notepad) put a byte-order mark first; it is not JSON
    // but it is no mistake of the author either.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    serde_json::from_str(source)
        .map_err(|error| Problem::new("", json_invalid(&error, describe_serde_error(&error))))
}

/// The problem of JSON text that does not parse: where (line, column) and
/// why (`error`).
pub fn json_invalid(error: &serde_json::Error, why: Message) -> Message {
    Message::new(MessageCode::JsonInvalid)
        .with("line", error.line().to_string())
        .with("column", error.column().to_string())
        .with_message("error", why)
}

/// Validates `instance` against `schema`, returning every violation. The
/// schema is compiled once per process (see [`compiled_schema`]).
pub fn schema_problems(schema: &Value, instance: &Value) -> Vec<Problem> {
    compiled_schema(schema).problems(instance, "")
}

/// Validates `instance` against the schema of `T`, returning every
/// violation. The schema is generated and compiled once per process.
pub fn schema_problems_of<T: JsonSchema>(instance: &Value) -> Vec<Problem> {
    compiled_schema_of::<T>().problems(instance, "")
}

/// A JSON Schema with its compiled validator, shared by every caller of
/// this process: compiling a schema costs far more than validating a small
/// document, and the server and `grille score` validate many.
pub struct CompiledSchema {
    schema: Value,
    validator: Result<jsonschema::Validator, String>,
}

impl CompiledSchema {
    fn compile(schema: Value) -> CompiledSchema {
        let validator = jsonschema::validator_for(&schema).map_err(|error| error.to_string());
        CompiledSchema { schema, validator }
    }

    /// The schema itself.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Every violation of `instance`, with pointers prefixed by `prefix`
    /// (e.g. `/candidates/12`) so that they point into the whole file.
    pub fn problems(&self, instance: &Value, prefix: &str) -> Vec<Problem> {
        match &self.validator {
            Ok(validator) => validator
                .iter_errors(instance)
                .map(|error| {
                    let pointer = format!("{prefix}{}", error.instance_path().as_str());
                    Problem::new(pointer, describe_with_schema(&self.schema, &error))
                })
                .collect(),
            Err(error) => {
                vec![Problem::new(
                    prefix,
                    Message::new(MessageCode::SchemaUnusable).with("error", error.clone()),
                )]
            }
        }
    }
}

/// Looks `key` up in `cache`, compiling and inserting the schema on a miss.
/// The compilation happens outside the lock, so that a slow compilation
/// does not hold up other threads validating with other schemas.
fn cached<K: std::hash::Hash + Eq>(
    cache: &Mutex<HashMap<K, Arc<CompiledSchema>>>,
    key: K,
    schema: impl FnOnce() -> Value,
) -> Arc<CompiledSchema> {
    // A panic elsewhere while holding the lock leaves a usable map.
    let lock = || cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = lock().get(&key) {
        return Arc::clone(found);
    }
    let compiled = Arc::new(CompiledSchema::compile(schema()));
    Arc::clone(lock().entry(key).or_insert(compiled))
}

/// The compiled schema of the document type `T`, generated and compiled
/// on the first call of the process, shared afterwards.
pub fn compiled_schema_of<T: JsonSchema>() -> Arc<CompiledSchema> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Arc<CompiledSchema>>>> = OnceLock::new();
    // The type's name identifies it without requiring `T: 'static`.
    cached(CACHE.get_or_init(Default::default), std::any::type_name::<T>(), schema_of::<T>)
}

/// The schema of `T` without the constraints on values that the receiving
/// code checks itself (lengths, patterns, item counts, the `date` format):
/// the shape only (types, required and unknown fields, enums, ranges). A
/// request body is checked against it first, so that the handler then
/// reports every value problem at once and in its own words, while the
/// published schema still states each constraint.
pub fn shape_schema_of<T: JsonSchema>() -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(fields) => {
                for keyword in ["minLength", "maxLength", "pattern", "minItems", "maxItems"] {
                    fields.remove(keyword);
                }
                if fields.get("format").and_then(Value::as_str) == Some("date") {
                    fields.remove("format");
                }
                fields.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut schema = schema_of::<T>();
    strip(&mut schema);
    schema
}

/// `schema` compiled, once per process for each distinct schema.
pub fn compiled_schema(schema: &Value) -> Arc<CompiledSchema> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<CompiledSchema>>>> = OnceLock::new();
    cached(CACHE.get_or_init(Default::default), schema.to_string(), || schema.clone())
}

/// The message of one schema violation, naming the allowed values of an
/// enum when the schema lists them.
fn describe_with_schema(schema: &Value, error: &jsonschema::ValidationError<'_>) -> Message {
    match allowed_constants(schema, error.schema_path().as_str()) {
        Some(options) => Message::new(MessageCode::SchemaNotAllowed)
            .with("value", short(error.instance()))
            .with("options", options),
        None => describe_schema_error(error),
    }
}

/// When the failing keyword is a `oneOf`/`anyOf` whose branches are all
/// constants (how schemars writes a documented enum), the allowed values.
fn allowed_constants(schema: &Value, schema_path: &str) -> Option<String> {
    if !(schema_path.ends_with("/oneOf") || schema_path.ends_with("/anyOf")) {
        return None;
    }
    let mut branches_at = schema.pointer(schema_path)?;
    // The path may go through a `$ref`; follow the last segment from the
    // definitions when the direct pointer does not resolve to branches.
    if !branches_at.is_array() {
        branches_at = schema.pointer(schema_path.rsplit_once("/$ref")?.1)?;
    }
    let constants: Option<Vec<String>> = branches_at
        .as_array()?
        .iter()
        .map(|branch| branch.get("const").map(|value| value.to_string()))
        .collect();
    constants.filter(|c| !c.is_empty()).map(|c| c.join(", "))
}

/// Parses `source`, validates it against the schema of `T` and deserializes
/// it. Every schema violation is reported at once.
pub fn load<T: JsonSchema + DeserializeOwned>(source: &str) -> Result<T, Vec<Problem>> {
    let value = parse_json(source).map_err(|problem| vec![problem])?;
    load_value(value)
}

/// Like [`load`], for a value already parsed.
pub fn load_value<T: JsonSchema + DeserializeOwned>(value: Value) -> Result<T, Vec<Problem>> {
    let problems = schema_problems_of::<T>(&value);
    if !problems.is_empty() {
        return Err(problems);
    }
    // The schema accepted the value, so this only fails where the schema is
    // weaker than serde (it should not be); report it rather than panic.
    serde_json::from_value(value).map_err(|error| vec![Problem::new("", nonconforming(&error))])
}

/// The problem of a value the schema accepted but serde did not.
fn nonconforming(error: &serde_json::Error) -> Message {
    Message::new(MessageCode::DocumentNonconforming).with_message("error", describe_serde_error(error))
}

/// serde's English message for a data error, as a message: "invalid type:
/// integer `5`, expected a string" becomes `serde.invalid_type` with what
/// was found (`json_type.integer` with its value 5) and what was expected
/// (`json_type.string`), in French "type incorrect : un entier (5),
/// attendu un texte". Unknown shapes keep serde's words, so nothing is
/// lost.
pub fn serde_message(message: &str) -> Message {
    let message = message.rsplit_once(" at line ").map_or(message, |(text, _)| text);
    let ticked = |text: &str| text.split('`').nth(1).map(str::to_owned);
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return Message::new(MessageCode::SerdeInvalidType)
            .with_message("found", serde_found(found))
            .with_message("expected", serde_expected(expected));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return Message::new(MessageCode::SerdeInvalidValue)
            .with_message("found", serde_found(found))
            .with_message("expected", serde_expected(expected));
    }
    if message.starts_with("missing field")
        && let Some(name) = ticked(message)
    {
        return Message::new(MessageCode::SerdeMissingField).with("name", name);
    }
    if message.starts_with("unknown field")
        && let (Some(name), Some((_, expected))) = (ticked(message), message.split_once(", expected "))
    {
        let expected = expected.trim();
        let names = serde_options(expected).unwrap_or_else(|| expected.to_owned());
        return Message::new(MessageCode::SerdeUnknownField).with("name", name).with("expected", names);
    }
    if message.starts_with("unknown variant")
        && let (Some(name), Some((_, expected))) = (ticked(message), message.split_once(", expected "))
    {
        return Message::new(MessageCode::SerdeUnknownVariant)
            .with("name", name)
            .with_message("expected", serde_expected(expected));
    }
    if message.starts_with("duplicate field")
        && let Some(name) = ticked(message)
    {
        return Message::new(MessageCode::SerdeDuplicateField).with("name", name);
    }
    let code = if message.starts_with("EOF while parsing") {
        MessageCode::SerdeEof
    } else if message.starts_with("expected value") {
        MessageCode::SerdeExpectedValue
    } else if message.starts_with("trailing characters") {
        MessageCode::SerdeTrailingCharacters
    } else if message.starts_with("key must be a string") {
        MessageCode::SerdeKeyMustBeString
    } else if message.starts_with("expected `,` or `}`") {
        MessageCode::SerdeExpectedCommaOrBrace
    } else if message.starts_with("expected `,` or `]`") {
        MessageCode::SerdeExpectedCommaOrBracket
    } else if message.starts_with("expected `:`") {
        MessageCode::SerdeExpectedColon
    } else {
        return Message::new(MessageCode::SerdeOther).with("message", message);
    };
    Message::new(code)
}

/// The French text of serde's English message (see [`serde_message`]).
pub fn serde_message_fr(message: &str) -> String {
    serde_message(message).french()
}

/// The values between backticks of serde's "`a` or `b`" / "one of `a`,
/// `b`", joined by commas, if the text lists values.
fn serde_options(expected: &str) -> Option<String> {
    if !(expected.contains(" or ") || expected.starts_with("one of")) {
        return None;
    }
    let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    (!options.is_empty()).then(|| options.join(", "))
}

/// A message of free text, shown as it is in every language.
fn verbatim(text: &str) -> Message {
    Message::new(MessageCode::Text).with("text", text)
}

/// What serde expected ("a string", "`a` or `b`", ...).
fn serde_expected(expected: &str) -> Message {
    let expected = expected.trim();
    let code = match expected {
        "a string" => MessageCode::JsonTypeString,
        "a sequence" => MessageCode::JsonTypeArray,
        "a map" | "struct" => MessageCode::JsonTypeObject,
        "a boolean" => MessageCode::JsonTypeBooleanLiteral,
        "i64" | "u64" | "u32" | "i32" | "u16" | "usize" | "an integer" => MessageCode::JsonTypeInteger,
        "f64" | "a number" => MessageCode::JsonTypeNumber,
        "a JSON object (the session)" => MessageCode::JsonTypeSessionObject,
        other => {
            return match serde_options(other) {
                Some(options) => Message::new(MessageCode::SerdeOneOf).with("options", options),
                None => verbatim(other),
            };
        }
    };
    Message::new(code)
}

/// What serde found ("integer `5`", "map", ...).
fn serde_found(found: &str) -> Message {
    let found = found.trim();
    let (kind, value) = match found.split_once(' ') {
        Some((kind, value)) => (kind, Some(value.trim_matches('`'))),
        None => (found, None),
    };
    let kind = match kind {
        "string" => Message::new(MessageCode::JsonTypeString),
        "integer" => Message::new(MessageCode::JsonTypeInteger),
        "floating" => Message::new(MessageCode::JsonTypeFloating),
        "boolean" => Message::new(MessageCode::JsonTypeBoolean),
        "sequence" => Message::new(MessageCode::JsonTypeArray),
        "map" => Message::new(MessageCode::JsonTypeObject),
        "null" => Message::new(MessageCode::JsonTypeNull),
        other => verbatim(other),
    };
    match value {
        Some(value) if !value.is_empty() && value != "point" => {
            Message::new(MessageCode::SerdeFoundValue).with_message("kind", kind).with("value", value)
        }
        _ => kind,
    }
}

/// The message of serde's error, by its category.
pub fn describe_serde_error(error: &serde_json::Error) -> Message {
    use serde_json::error::Category;
    let text = error.to_string();
    // serde_json appends " at line L column C"; we already say where.
    let text = match text.rfind(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    };
    match error.classify() {
        Category::Eof => Message::new(MessageCode::JsonEof),
        Category::Syntax => Message::new(MessageCode::JsonSyntax).with_message("error", serde_message(&text)),
        Category::Data | Category::Io => serde_message(&text),
    }
}

fn json_type(value: &Value) -> Message {
    Message::new(match value {
        Value::Null => MessageCode::JsonTypeNull,
        Value::Bool(_) => MessageCode::JsonTypeBoolean,
        Value::Number(_) => MessageCode::JsonTypeNumber,
        Value::String(_) => MessageCode::JsonTypeString,
        Value::Array(_) => MessageCode::JsonTypeArray,
        Value::Object(_) => MessageCode::JsonTypeObject,
    })
}

fn describe_schema_error(error: &jsonschema::ValidationError<'_>) -> Message {
    use jsonschema::error::ValidationErrorKind as Kind;
    let instance = error.instance();
    let value = || instance.to_string();
    let limit = |code: MessageCode, limit: &dyn std::fmt::Display| {
        Message::new(code).with("limit", limit.to_string())
    };
    match error.kind() {
        Kind::Required { property } => {
            Message::new(MessageCode::SchemaRequired).with("property", property.to_string())
        }
        Kind::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|name| format!("\"{name}\"")).collect();
            Message::new(MessageCode::SchemaAdditionalProperties).with("names", names.join(", "))
        }
        Kind::Type { kind } => Message::new(MessageCode::SchemaType)
            .with_list("expected_types", expected_types(&format!("{kind:?}")))
            .with_message("found", json_type(instance)),
        Kind::Enum { options } => Message::new(MessageCode::SchemaNotAllowed)
            .with("value", value())
            .with("options", options.to_string()),
        Kind::MinLength { limit: n } => limit(MessageCode::SchemaMinLength, n),
        Kind::MaxLength { limit: n } => limit(MessageCode::SchemaMaxLength, n),
        Kind::MinItems { limit: n } => limit(MessageCode::SchemaMinItems, n),
        Kind::MaxItems { limit: n } => limit(MessageCode::SchemaMaxItems, n),
        Kind::Minimum { limit: n } => limit(MessageCode::SchemaMinimum, n).with("value", value()),
        Kind::Maximum { limit: n } => limit(MessageCode::SchemaMaximum, n).with("value", value()),
        Kind::ExclusiveMinimum { limit: n } => {
            limit(MessageCode::SchemaExclusiveMinimum, n).with("value", value())
        }
        Kind::ExclusiveMaximum { limit: n } => {
            limit(MessageCode::SchemaExclusiveMaximum, n).with("value", value())
        }
        Kind::Pattern { pattern } if pattern.contains("\\.[0-9]") => match instance.as_str() {
            Some(text) if text.contains(',') => Message::new(MessageCode::SchemaDecimal)
                .with("value", value())
                .with("fixed", text.replace(',', ".")),
            _ => Message::new(MessageCode::SchemaDecimalExample).with("value", value()),
        },
        Kind::Pattern { pattern } => {
            Message::new(MessageCode::SchemaPattern).with("value", value()).with("pattern", pattern.clone())
        }
        Kind::Constant { expected_value } => Message::new(MessageCode::SchemaConst)
            .with("expected", expected_value.to_string())
            .with("value", value()),
        Kind::OneOfNotValid { .. } | Kind::AnyOf { .. } => {
            Message::new(MessageCode::SchemaNoForm).with("value", short(instance))
        }
        Kind::Format { format } => {
            Message::new(MessageCode::SchemaFormat).with("value", value()).with("format", format.clone())
        }
        _ => Message::new(MessageCode::SchemaOther).with("error", error.to_string()),
    }
}

/// The expected JSON types, from the validator's debug form such as
/// `Single(String)` or `Multiple(...)`; the debug form itself when it
/// names none.
fn expected_types(debug: &str) -> Vec<Message> {
    let names: Vec<Message> = [
        ("Null", MessageCode::JsonTypeNull),
        ("Boolean", MessageCode::JsonTypeBoolean),
        ("Integer", MessageCode::JsonTypeInteger),
        ("Number", MessageCode::JsonTypeNumber),
        ("String", MessageCode::JsonTypeString),
        ("Array", MessageCode::JsonTypeArray),
        ("Object", MessageCode::JsonTypeObject),
    ]
    .into_iter()
    // The set form reads `Multiple((null, integer, string))`: compare
    // without case. "Number" must not match inside another word.
    .filter(|(name, _)| {
        let debug = debug.to_ascii_lowercase();
        let name = name.to_ascii_lowercase();
        debug.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| word == name)
    })
    .map(|(_, code)| Message::new(code))
    .collect();
    if names.is_empty() { vec![verbatim(debug)] } else { names }
}

/// A value shown in a message, cut so that a whole object does not flood it.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The compiled schema of one document type, to validate many values of
/// that type (the candidates of a large session, one by one) without
/// compiling the schema each time. The compiled schema is shared by the
/// whole process (see [`compiled_schema_of`]): creating a `TypedValidator`
/// is cheap after the first.
pub struct TypedValidator<T> {
    compiled: Arc<CompiledSchema>,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T: JsonSchema + DeserializeOwned> TypedValidator<T> {
    /// The schema of `T`, compiled once per process.
    pub fn new() -> TypedValidator<T> {
        TypedValidator { compiled: compiled_schema_of::<T>(), _type: std::marker::PhantomData }
    }

    /// Like [`TypedValidator::new`] against [`shape_schema_of`]: the value
    /// constraints are left to the code that receives `T`.
    pub fn shape_only() -> TypedValidator<T> {
        TypedValidator { compiled: compiled_schema(&shape_schema_of::<T>()), _type: std::marker::PhantomData }
    }

    /// Validates `value` against the schema of `T` and deserializes it.
    /// Pointers are relative to `value`, prefixed with `prefix` (e.g.
    /// `/candidates/12`), so that they point into the whole file.
    pub fn load_value(&self, value: Value, prefix: &str) -> Result<T, Vec<Problem>> {
        let problems = match &self.compiled.validator {
            Ok(_) => self.compiled.problems(&value, prefix),
            Err(_) => vec![Problem::new(prefix, Message::new(MessageCode::SchemaUnusableBare))],
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        serde_json::from_value(value).map_err(|error| vec![Problem::new(prefix, nonconforming(&error))])
    }
}

impl<T: JsonSchema + DeserializeOwned> Default for TypedValidator<T> {
    fn default() -> Self {
        TypedValidator::new()
    }
}

/// Escapes one segment of a JSON pointer (RFC 6901).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod cache_tests {
    use std::sync::Arc;

    use super::*;

    #[derive(schemars::JsonSchema, serde::Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
    }

    #[test]
    fn a_schema_is_compiled_once_per_process() {
        let first = compiled_schema_of::<Sample>();
        let again = TypedValidator::<Sample>::new();
        assert!(Arc::ptr_eq(&first, &again.compiled), "the same compiled schema is shared");
        let schema = schema_of::<Sample>();
        assert!(Arc::ptr_eq(&compiled_schema(&schema), &compiled_schema(&schema)));
        // Still every problem, with its pointer.
        let problems = schema_problems_of::<Sample>(&serde_json::json!({"name": 3}));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pointer, "/name");
        assert_eq!(schema_problems(&schema, &serde_json::json!({"name": 3})), problems);
        assert!(again.load_value(serde_json::json!({"name": "x"}), "").is_ok());
    }
}

#[cfg(test)]
mod serde_message_tests {
    use super::serde_message_fr;

    #[test]
    fn serde_messages_read_in_french() {
        for (english, french) in [
            (
                "invalid type: integer `5`, expected a string",
                "type incorrect : un entier (5), attendu un texte",
            ),
            ("invalid type: map, expected a sequence", "type incorrect : un objet, attendu une liste"),
            (
                "unknown variant `weird`, expected `official` or `mock`",
                "valeur « weird » non admise ; attendu l'une des valeurs official, mock",
            ),
            ("missing field `number` at line 1 column 2", "le champ obligatoire « number » manque"),
            (
                "unknown field `nmae`, expected `name` or `kind`",
                "champ inconnu « nmae » ; champs admis : name, kind",
            ),
            ("EOF while parsing a value", "le texte se termine avant la fin du document"),
            ("expected value", "une valeur JSON est attendue ici"),
            ("something new", "donnée incorrecte (something new)"),
        ] {
            assert_eq!(serde_message_fr(english), french, "{english}");
        }
    }
}

/// One difference between two versions of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// Where, as a JSON pointer (`/criteria/2/levels/1/points`).
    pub pointer: String,
    /// The value before (absent: added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after (absent: removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Every difference between two JSON documents, deepest first where they
/// differ: objects member by member, arrays item by item (by position),
/// other values as a whole. Equal documents give no change.
pub fn json_diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    diff_at(String::new(), Some(before), Some(after), &mut changes);
    changes
}

fn diff_at(pointer: String, before: Option<&Value>, after: Option<&Value>, changes: &mut Vec<Change>) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> =
                a.keys().chain(b.keys().filter(|key| !a.contains_key(*key))).collect();
            keys.dedup();
            for key in keys {
                diff_at(format!("{pointer}/{}", pointer_segment(key)), a.get(key), b.get(key), changes);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for index in 0..a.len().max(b.len()) {
                diff_at(format!("{pointer}/{index}"), a.get(index), b.get(index), changes);
            }
        }
        (a, b) if a == b => {}
        (a, b) => changes.push(Change { pointer, before: a.cloned(), after: b.cloned() }),
    }
}

#[cfg(test)]
mod diff_tests {
    use super::*;

    #[test]
    fn the_diff_names_each_changed_added_and_removed_value_by_pointer() {
        let before = serde_json::json!({"id": "r", "version": "1", "criteria": [{"id": "k1", "weight": "1"}], "a/b": 1});
        let after = serde_json::json!({"id": "r", "version": "2", "criteria": [{"id": "k1", "weight": "2"}, {"id": "k2"}], "new": true});
        let changes = json_diff(&before, &after);
        let pointers: Vec<&str> = changes.iter().map(|change| change.pointer.as_str()).collect();
        // Members in key order, then the members only the second one has.
        assert_eq!(pointers, ["/a~1b", "/criteria/0/weight", "/criteria/1", "/version", "/new"]);
        assert_eq!(changes[3].before, Some(serde_json::json!("1")));
        assert_eq!(changes[0].after, None);
        assert_eq!(changes[4].before, None);
        assert!(json_diff(&before, &before).is_empty());
    }
}
