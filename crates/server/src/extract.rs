//! Extractors that answer with our problem shape instead of axum's plain
//! text: a JSON body ([`ApiJson`]), path parameters ([`ApiPath`]) and a CSV
//! body ([`CsvBody`]).

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

use crate::error::{ApiError, FieldError};

/// A JSON request body. Malformed JSON is a 400, a wrong media type a 415,
/// a body over the limit a 413, and missing fields or wrong types a 422
/// whose `errors` name the JSON pointer of the bad value.
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
    let sentence = grille_competence::document::serde_message_fr(message);
    let mut characters = sentence.chars();
    match characters.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), characters.as_str()),
        None => sentence,
    }
}

/// Parses JSON bytes into `T`, with our error shape.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // First the syntax, so that a syntax error is a 400 and a type error a 422.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
        ApiError::Malformed(format!("JSON mal formé (ligne {}, colonne {}).", error.line(), error.column()))
    })?;
    serde_path_to_error::deserialize(value).map_err(|error| {
        let message = error.inner().to_string();
        let pointer = pointer_of(error.path(), &message);
        ApiError::Invalid(vec![FieldError::at(pointer, detail_fr(&message))])
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
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

/// A CSV request body (`text/csv`), as UTF-8 text.
#[derive(Debug, Clone)]
pub struct CsvBody(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !media_type_is(&request, "text/csv") {
            return Err(ApiError::UnsupportedMediaType { expected: "text/csv" });
        }
        let bytes = Bytes::from_request(request, state).await.map_err(body_error)?;
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| ApiError::Malformed("Le fichier CSV doit être encodé en UTF-8.".to_owned()))?;
        Ok(CsvBody(text.trim_start_matches('\u{feff}').to_owned()))
    }
}

impl OperationInput for CsvBody {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let json_schema = ctx.schema.subschema_for::<String>();
        aide::operation::set_body(
            ctx,
            operation,
            RequestBody {
                description: Some(
                    "CSV UTF-8 avec en-tête : numero,nom,prenom,courriel (ou number,family_name,given_name,email)"
                        .to_owned(),
                ),
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

/// Query parameters; a value of the wrong form is a 400 problem.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "bad query");
                Err(ApiError::BadPath("Un paramètre de la requête a une forme incorrecte.".to_owned()))
            }
        }
    }
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

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else { return Ok(IfMatch(None)) };
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>().map(|version| IfMatch(Some(version))).map_err(|_| {
            ApiError::BadPath(
                "L'en-tête If-Match doit contenir la version reçue dans l'ETag, p. ex. \"3\".".to_owned(),
            )
        })
    }
}

impl OperationInput for IfMatch {
    fn operation_input(_ctx: &mut GenContext, operation: &mut Operation) {
        use aide::openapi::{Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr};
        let schema = schemars::json_schema!({"type": "string"});
        operation.parameters.push(ReferenceOr::Item(Parameter::Header {
            parameter_data: ParameterData {
                name: "If-Match".to_owned(),
                description: Some(
                    "La version modifiée, telle que reçue dans l'ETag (p. ex. \"3\").".to_owned(),
                ),
                required: false,
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
}
