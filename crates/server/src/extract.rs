//! Extractors that answer with our problem shape instead of axum's plain
//! text: a JSON body ([`ApiJson`]), path parameters ([`ApiPath`]), query
//! parameters ([`ApiQuery`]), the `If-Match` header ([`IfMatch`]) and a CSV
//! body ([`CsvBody`]).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, OnceLock};

use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::{MediaType, Operation, RequestBody, SchemaObject};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use grille_competence::document::{Problem, TypedValidator};
use grille_scoring::{Message, MessageCode};
use serde_json::Value;

use crate::csv_text::{CsvEncoding, decode_csv};
use crate::error::{ApiError, FieldError};

/// A JSON request body. Malformed JSON is a 400, a wrong media type a 415,
/// a body over the limit a 413, and missing fields or wrong types a 422
/// whose `errors` name the JSON pointer of every bad value: the body is
/// validated against the JSON Schema of `T` before it is deserialized.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn body_error(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge
    } else {
        ApiError::Malformed("Le corps de la requête n'a pas pu être lu.".to_owned())
    }
}

fn media_type_is(request: &Request, expected: &str) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| {
            let essence = essence.trim().to_ascii_lowercase();
            essence == expected || (expected == "application/json" && essence.ends_with("+json"))
        })
}

/// Turns a serde path (`candidates[2].number`) and message into a pointer
/// (`/candidates/2/number`); a missing field gets its own name appended.
fn pointer_of(path: &serde_path_to_error::Path, message: &str) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", escape(variant))),
            Segment::Unknown => pointer.push_str("/?"),
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(name) = rest.split('`').next()
    {
        pointer.push_str(&format!("/{}", escape(name)));
    }
    pointer
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A French sentence for a serde data error (the same translation as the
/// data files use), as a sentence with a capital and a full stop.
fn detail_fr(message: &str) -> String {
    sentence(&grille_competence::document::serde_message_fr(message))
}

/// `text` with a capital and a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim().trim_end_matches('.');
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), characters.as_str()),
        None => String::new(),
    }
}

/// The compiled JSON Schema of a request type, compiled once per type.
struct Compiled<T> {
    validator: TypedValidator<T>,
    schema: Value,
}

fn compiled<T: JsonSchema + DeserializeOwned + 'static>() -> Arc<Compiled<T>> {
    type Cache = Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let mut cache = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = cache.entry(TypeId::of::<T>()).or_insert_with(|| {
        Arc::new(Compiled::<T> {
            validator: TypedValidator::shape_only(),
            schema: grille_competence::document::shape_schema_of::<T>(),
        })
    });
    // The entry of `TypeId::of::<T>()` is always a `Compiled<T>`.
    Arc::clone(entry).downcast::<Compiled<T>>().unwrap_or_else(|_| {
        Arc::new(Compiled {
            validator: TypedValidator::shape_only(),
            schema: grille_competence::document::shape_schema_of::<T>(),
        })
    })
}

/// Follows `$ref`s (`#/$defs/...`) from `schema` within `root`.
fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(target) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match root.pointer(target) {
            Some(next) => schema = next,
            None => break,
        }
    }
    schema
}

/// The branches of a choice (`anyOf`, `oneOf`), flattened and resolved;
/// any other schema is its own only branch.
fn branches<'a>(root: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let schema = resolve(root, schema);
    match schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        Some(choices) => choices.iter().flat_map(|choice| branches(root, choice)).collect(),
        None => vec![schema],
    }
}

/// The schema of the value at `pointer` of an instance of `root`.
fn schema_at<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut current = root;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        current = branches(root, current).into_iter().find_map(|branch| {
            branch
                .get("properties")
                .and_then(|properties| properties.get(&segment))
                .or_else(|| branch.get("items").filter(|_| segment.parse::<usize>().is_ok()))
                .or_else(|| branch.get("additionalProperties").filter(|schema| schema.is_object()))
        })?;
    }
    Some(current)
}

/// The values a schema lists (constants of a documented enum, `enum`),
/// `null` aside.
fn allowed_values(root: &Value, schema: &Value) -> Vec<String> {
    let mut values = Vec::new();
    for branch in branches(root, schema) {
        if let Some(constant) = branch.get("const").filter(|constant| !constant.is_null()) {
            values.push(constant.to_string());
        }
        if let Some(list) = branch.get("enum").and_then(Value::as_array) {
            values.extend(list.iter().filter(|value| !value.is_null()).map(Value::to_string));
        }
    }
    values
}

/// The field names an object schema admits.
fn property_names(root: &Value, schema: &Value) -> Vec<String> {
    branches(root, schema)
        .into_iter()
        .filter_map(|branch| branch.get("properties").and_then(Value::as_object))
        .flat_map(|properties| properties.keys().cloned())
        .collect()
}

/// The request's problems found by the schema, with pointers to the bad
/// value itself (a missing or unknown field is pointed at, not its
/// object) and the values or fields admitted where the schema lists them.
fn schema_errors(root: &Value, value: &Value, problems: Vec<Problem>) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = Vec::new();
    for problem in problems {
        let Problem { pointer, message, detail } = problem;
        if let Some(name) =
            message.strip_prefix("le champ obligatoire ").and_then(|m| m.strip_suffix(" manque"))
        {
            let name = name.trim_matches('"');
            errors.push(FieldError::said_at(
                format!("{pointer}/{}", escape(name)),
                Message::new(MessageCode::BodyMissingField).with("name", name),
            ));
        } else if let Some(names) = message.strip_prefix("champ inconnu : ") {
            let admitted =
                schema_at(root, &pointer).map(|schema| property_names(root, schema)).unwrap_or_default();
            for name in names.split("\", \"").map(|name| name.trim_matches('"')) {
                let said = if admitted.is_empty() {
                    Message::new(MessageCode::BodyUnknownField)
                } else {
                    Message::new(MessageCode::BodyUnknownFieldAdmitted).with("admitted", admitted.join(", "))
                };
                errors.push(FieldError::said_at(
                    format!("{pointer}/{}", escape(name)),
                    said.with("name", name),
                ));
            }
        } else if message.contains("aucune des formes admises")
            && let Some(allowed) = schema_at(root, &pointer)
                .map(|schema| allowed_values(root, schema))
                .filter(|allowed| !allowed.is_empty())
        {
            let found = value.pointer(&pointer).map(Value::to_string).unwrap_or_default();
            let said = Message::new(MessageCode::BodyValueNotAdmitted)
                .with("found", found)
                .with("allowed", allowed.join(", "));
            errors.push(FieldError::said_at(pointer, said));
        } else {
            errors.push(FieldError::at(pointer, sentence(&message)).said_by(detail));
        }
    }
    errors.dedup();
    errors
}

/// Deserializes a value with serde alone: the first problem, with its
/// pointer.
fn deserialize<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let message = error.inner().to_string();
        let pointer = pointer_of(error.path(), &message);
        let said = grille_competence::document::serde_message(&message);
        ApiError::Invalid(vec![FieldError::at(pointer, detail_fr(&message)).said_by(said)])
    })
}

/// Parses JSON bytes into `T`, with our error shape: the syntax first (a
/// 400), then the JSON Schema of `T`, which reports every problem at once
/// (a 422), then serde.
/// `3.0` is the integer 3 in JSON (and in JSON Schema's `integer`), but
/// serde refuses it for an integer field: such numbers are made integers
/// before the body is read, so that a client writing `3.0` is understood.
fn whole_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) if number.is_f64() => {
            if let Some(float) = number.as_f64()
                && float.fract() == 0.0
                && float.abs() < 9.0e15
            {
                *value = Value::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

pub(crate) fn parse_json<T: DeserializeOwned + JsonSchema + 'static>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: Value = serde_json::from_slice(bytes)
        .map_err(|error| ApiError::MalformedJson { line: error.line(), column: error.column() })?;
    whole_numbers_as_integers(&mut value);
    let compiled = compiled::<T>();
    match compiled.validator.load_value(value.clone(), "") {
        Ok(parsed) => Ok(parsed),
        // Where the schema accepted what serde refuses (or could not be
        // compiled), serde's own error, with its pointer.
        Err(problems)
            if problems.iter().any(|problem| {
                problem.message.starts_with("document non conforme")
                    || problem.message.starts_with("schéma interne")
            }) =>
        {
            deserialize(value)
        }
        Err(problems) => Err(ApiError::Invalid(schema_errors(&compiled.schema, &value, problems))),
    }
}

impl<T: DeserializeOwned + JsonSchema + 'static, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !media_type_is(&request, "application/json") {
            return Err(ApiError::UnsupportedMediaType { expected: "application/json" });
        }
        let bytes = Bytes::from_request(request, state).await.map_err(body_error)?;
        parse_json(&bytes).map(ApiJson)
    }
}

impl<T: JsonSchema> OperationInput for ApiJson<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        <axum::Json<T> as OperationInput>::operation_input(ctx, operation);
    }
}

/// What a CSV upload holds: its columns, for the OpenAPI document.
pub trait CsvLayout {
    /// The columns, with their accepted names.
    #[doc(hidden)]
    fn columns() -> &'static [crate::csv_columns::Column];
    /// What the columns list does not say, in French (may be empty).
    #[doc(hidden)]
    fn note() -> &'static str {
        ""
    }
}

/// An enrolment file: one candidate per row.
#[derive(Debug, Clone, Copy)]
pub struct CandidatesCsv;

impl CsvLayout for CandidatesCsv {
    fn columns() -> &'static [crate::csv_columns::Column] {
        crate::csv_columns::CANDIDATE_COLUMNS
    }
}

/// An assignment file: one examiner per row, or a pair per row.
#[derive(Debug, Clone, Copy)]
pub struct AssignmentsCsv;

impl CsvLayout for AssignmentsCsv {
    fn columns() -> &'static [crate::csv_columns::Column] {
        crate::csv_columns::ASSIGNMENT_COLUMNS
    }
    fn note() -> &'static str {
        " Au moins une colonne d'expert·e : « expert·e » (une ligne par candidat·e, épreuve et expert·e) \
         ou « expert·e 1 » et « expert·e 2 » (une ligne par candidat·e et épreuve) ; une cellule d'expert·e \
         vide n'attribue personne."
    }
}

/// A file giving candidates their cases: one row per candidate and
/// position.
#[derive(Debug, Clone, Copy)]
pub struct CasesCsv;

impl CsvLayout for CasesCsv {
    fn columns() -> &'static [crate::csv_columns::Column] {
        crate::csv_columns::CASE_COLUMNS
    }
    fn note() -> &'static str {
        " Une ligne par candidat·e et point d'appréciation : « numéro », « point d'appréciation », « cas » \
         (l'identifiant du cas dans la banque) et, si la banque en a plusieurs, « version »."
    }
}

/// A CSV request body (`text/csv`) as text, whatever encoding Excel
/// saved it in (see [`crate::csv_text`]), and the encoding it was read
/// in; `L` says which columns it holds. A body that is no text is a 422
/// with where it went wrong.
#[derive(Debug, Clone)]
pub struct CsvBody<L = CandidatesCsv>(pub String, pub CsvEncoding, pub PhantomData<L>);

impl<L, S: Send + Sync> FromRequest<S> for CsvBody<L> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !media_type_is(&request, "text/csv") {
            return Err(ApiError::UnsupportedMediaType { expected: "text/csv" });
        }
        let bytes = Bytes::from_request(request, state).await.map_err(body_error)?;
        let (text, encoding) = decode_csv(&bytes).map_err(|error| {
            ApiError::Invalid(vec![FieldError {
                pointer: None,
                line: error.line(),
                ..FieldError::said_at("", error.message())
            }])
        })?;
        Ok(CsvBody(text, encoding, PhantomData))
    }
}

impl<L: CsvLayout> OperationInput for CsvBody<L> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let json_schema = ctx.schema.subschema_for::<String>();
        aide::operation::set_body(
            ctx,
            operation,
            RequestBody {
                description: Some(format!(
                    "CSV avec une ligne d'en-tête, en UTF-8 (avec ou sans BOM), UTF-16 avec BOM ou sinon Windows-1252 \
                     (ISO-8859-1), l'encodage lu étant dit dans l'aperçu ; séparateur « ; », « , » ou tabulation, reconnu \
                     d'après l'en-tête ; colonnes (sans égard à la casse ni aux accents) : {}.{}",
                    crate::csv_columns::expected_fr(L::columns()),
                    L::note()
                )),
                content: IndexMap::from_iter([(
                    "text/csv".to_owned(),
                    MediaType {
                        schema: Some(SchemaObject { json_schema, example: None, external_docs: None }),
                        ..Default::default()
                    },
                )]),
                required: true,
                extensions: IndexMap::default(),
            },
        );
    }
}

/// Path parameters; a value of the wrong form is a 400 problem.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "bad path");
                Err(ApiError::BadPath("Un paramètre de l'adresse a une forme incorrecte.".to_owned()))
            }
        }
    }
}

impl<T: JsonSchema> OperationInput for ApiPath<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        <Path<T> as OperationInput>::operation_input(ctx, operation);
    }
}

/// Query parameters; a value of the wrong form is a 400 problem that names
/// the parameter, the value found and what is admitted.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + JsonSchema, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "bad query");
                Err(query_error::<T>(&parts.uri, &rejection))
            }
        }
    }
}

/// The parameter and serde's message of a query that did not deserialize.
fn query_failure(rejection: &axum::extract::rejection::QueryRejection) -> (String, String) {
    type PathError = serde_path_to_error::Error<serde::de::value::Error>;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = source {
        if let Some(error) = error.downcast_ref::<PathError>() {
            let message = error.inner().to_string();
            let path = error.path().to_string();
            return (if path == "." { String::new() } else { path }, message);
        }
        source = error.source();
    }
    // Not reached with axum 0.8; its text reads "...: <path>: <message>".
    let text = rejection.body_text();
    let text = text.split_once(": ").map_or(text.as_str(), |(_, rest)| rest).to_owned();
    match text.split_once(": ") {
        Some((path, message)) => (path.to_owned(), message.to_owned()),
        None => (String::new(), text),
    }
}

/// What a schema expects, as a message (`un entier de 0 à 4294967295`):
/// its JSON type and its bounds.
fn expected_message(root: &Value, schema: &Value) -> Option<Message> {
    let branch = branches(root, schema)
        .into_iter()
        .find(|branch| branch.get("type").is_some_and(|kind| kind != "null"))?;
    let kinds: Vec<&str> = match branch.get("type")? {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let kind = kinds.into_iter().find(|kind| *kind != "null")?;
    let kind = Message::new(match kind {
        "integer" => MessageCode::JsonTypeInteger,
        "number" => MessageCode::JsonTypeNumber,
        "boolean" => MessageCode::JsonTypeBooleanLiteral,
        "string" => MessageCode::JsonTypeString,
        _ => return None,
    });
    let bound = |key: &str| branch.get(key).and_then(Value::as_f64).filter(|bound| bound.abs() < 1e15);
    let bounded = |code: MessageCode| Message::new(code).with_message("kind", kind.clone());
    Some(match (bound("minimum"), bound("maximum")) {
        (Some(minimum), Some(maximum)) => bounded(MessageCode::QueryExpectedRange)
            .with("minimum", minimum.to_string())
            .with("maximum", maximum.to_string()),
        (Some(0.0), None) => bounded(MessageCode::QueryExpectedNonNegative),
        (Some(minimum), None) => {
            bounded(MessageCode::QueryExpectedAtLeast).with("minimum", minimum.to_string())
        }
        (None, Some(maximum)) => {
            bounded(MessageCode::QueryExpectedAtMost).with("maximum", maximum.to_string())
        }
        (None, None) => kind,
    })
}

/// The problem of a query string that `T` refuses: the parameter, the
/// value found and the values (or the form) admitted, from `T`'s schema,
/// as a message.
fn query_error<T: JsonSchema>(
    uri: &axum::http::Uri,
    rejection: &axum::extract::rejection::QueryRejection,
) -> ApiError {
    let (mut parameter, message) = query_failure(rejection);
    if parameter.is_empty()
        && let Some(name) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next())
    {
        parameter = name.to_owned();
    }
    let root = grille_competence::document::schema_of::<T>();
    let schema = schema_at(&root, &format!("/{}", escape(&parameter)));
    let found = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
        .ok()
        .and_then(|axum::extract::Query(pairs)| pairs.into_iter().find(|(name, _)| *name == parameter))
        .map(|(_, value)| value);
    let allowed = schema.map(|schema| allowed_values(&root, schema)).unwrap_or_default();
    let said = if parameter.is_empty() {
        Message::new(MessageCode::QueryInvalid)
            .with_message("error", grille_competence::document::serde_message(&message))
    } else if message.starts_with("missing field") {
        Message::new(MessageCode::QueryRequired).with("parameter", &parameter)
    } else {
        let found_or = |seen: MessageCode, unseen: MessageCode| match &found {
            Some(found) => Message::new(seen).with("found", found),
            None => Message::new(unseen),
        };
        let said = if !allowed.is_empty() {
            let allowed: Vec<&str> = allowed.iter().map(|value| value.trim_matches('"')).collect();
            found_or(MessageCode::QueryValueAllowed, MessageCode::QueryValueAllowedUnseen)
                .with("allowed", allowed.join(", "))
        } else if let Some(expected) = schema.and_then(|schema| expected_message(&root, schema)) {
            found_or(MessageCode::QueryValueExpected, MessageCode::QueryValueExpectedUnseen)
                .with_message("expected", expected)
        } else {
            found_or(MessageCode::QueryValueError, MessageCode::QueryValueErrorUnseen)
                .with_message("error", grille_competence::document::serde_message(&message))
        };
        said.with("parameter", &parameter)
    };
    ApiError::BadQuery { parameter: (!parameter.is_empty()).then_some(parameter), message: said }
}

impl<T: JsonSchema> OperationInput for ApiQuery<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        <axum::extract::Query<T> as OperationInput>::operation_input(ctx, operation);
    }
}

/// The `If-Match` header as a version number (`"3"`, `W/"3"` or `3`);
/// `None` when absent. A value of another form is a 400 problem.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

/// The pattern of an `If-Match` value the server reads, as documented.
const IF_MATCH_PATTERN: &str = r#"^(W/)?"?[0-9]{1,18}"?$"#;

/// The `If-Match` header of a write that must name the version it
/// replaces: absent is 428, a value of another form 400.
#[derive(Debug, Clone, Copy)]
pub struct RequiredIfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RequiredIfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match IfMatch::from_request_parts(parts, state).await? {
            IfMatch(Some(version)) => Ok(RequiredIfMatch(version)),
            IfMatch(None) => Err(ApiError::PreconditionRequired),
        }
    }
}

impl OperationInput for RequiredIfMatch {
    fn operation_input(_ctx: &mut GenContext, operation: &mut Operation) {
        if_match_parameter(operation, true);
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else { return Ok(IfMatch(None)) };
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>().map(|version| IfMatch(Some(version))).map_err(|_| {
            ApiError::BadIfMatch(match value.to_str() {
                Ok(found) => Message::new(MessageCode::IfMatchForm).with("found", found),
                Err(_) => Message::new(MessageCode::IfMatchFormUnreadable),
            })
        })
    }
}

impl OperationInput for IfMatch {
    fn operation_input(_ctx: &mut GenContext, operation: &mut Operation) {
        if_match_parameter(operation, false);
    }
}

/// Documents the `If-Match` header: the version as received in the ETag.
fn if_match_parameter(operation: &mut Operation, required: bool) {
    use aide::openapi::{Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr};
    let schema = schemars::json_schema!({"type": "string", "pattern": IF_MATCH_PATTERN});
    operation.parameters.push(ReferenceOr::Item(Parameter::Header {
        parameter_data: ParameterData {
            name: "If-Match".to_owned(),
            description: Some(if required {
                "Obligatoire : la version modifiée, telle que reçue dans l'ETag (p. ex. \"3\") ; sans elle, 428.".to_owned()
            } else {
                "La version modifiée, telle que reçue dans l'ETag (p. ex. \"3\").".to_owned()
            }),
            required,
            deprecated: None,
            format: ParameterSchemaOrContent::Schema(SchemaObject {
                json_schema: schema,
                example: None,
                external_docs: None,
            }),
            example: None,
            examples: IndexMap::default(),
            explode: None,
            extensions: IndexMap::default(),
        },
        style: Default::default(),
    }));
}

/// The language the caller writes in, for the free text of a write that
/// does not name its own: the `lang` cookie (the pages' language switch,
/// which the pages forward with every call), else the first language of
/// `Accept-Language` grille knows (highest weight first, `q=0` left out);
/// `None` when neither names French, German or Italian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerLanguage(pub Option<grille_scoring::CaseLanguage>);

impl CallerLanguage {
    /// The caller's language from a request's headers.
    pub fn of(headers: &axum::http::HeaderMap) -> CallerLanguage {
        let cookie = crate::auth::cookie(headers, "lang").and_then(language_tag);
        if cookie.is_some() {
            return CallerLanguage(cookie);
        }
        let mut ranked: Vec<(u32, usize, grille_scoring::CaseLanguage)> = headers
            .get_all(header::ACCEPT_LANGUAGE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .enumerate()
            .filter_map(|(order, item)| {
                let mut parts = item.split(';');
                let language = language_tag(parts.next()?)?;
                let weight = parts
                    .filter_map(|parameter| parameter.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                // Weights have three decimals at most (RFC 9110, 12.4.2).
                let weight = (weight.clamp(0.0, 1.0) * 1000.0).round() as u32;
                (weight > 0).then_some((weight, order, language))
            })
            .collect();
        ranked.sort_by_key(|&(weight, order, _)| (std::cmp::Reverse(weight), order));
        CallerLanguage(ranked.first().map(|&(_, _, language)| language))
    }
}

/// The language of a tag such as `de`, `de-CH` or `FR`, if grille knows it.
fn language_tag(tag: &str) -> Option<grille_scoring::CaseLanguage> {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    grille_scoring::CaseLanguage::parse(&primary)
}

impl<S: Send + Sync> FromRequestParts<S> for CallerLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(CallerLanguage::of(&parts.headers))
    }
}

impl OperationInput for CallerLanguage {}
