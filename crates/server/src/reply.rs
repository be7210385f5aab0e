//! Response types that aide can document: 201 Created with a JSON body, and
//! a JSON body with `Set-Cookie` headers.

use aide::OperationOutput;
use aide::generate::GenContext;
use aide::openapi::{Operation, Response as ApiResponse, StatusCode as ApiStatus};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;

/// Documents a response type as the JSON body `T` it carries (200): the
/// headers it adds (cookies, ETag) do not change the documented body.
macro_rules! documented_as_json {
    ($name:ident) => {
        impl<T: JsonSchema> OperationOutput for $name<T> {
            type Inner = T;

            fn operation_response(ctx: &mut GenContext, operation: &mut Operation) -> Option<ApiResponse> {
                Json::<T>::operation_response(ctx, operation)
            }

            fn inferred_responses(
                ctx: &mut GenContext,
                operation: &mut Operation,
            ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
                Json::<T>::inferred_responses(ctx, operation)
            }
        }
    };
}

/// 201 Created with a JSON body.
#[derive(Debug)]
pub(crate) struct Created<T>(pub(crate) T);

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self.0)).into_response()
    }
}

impl<T: JsonSchema> OperationOutput for Created<T> {
    type Inner = T;

    fn operation_response(ctx: &mut GenContext, operation: &mut Operation) -> Option<ApiResponse> {
        Json::<T>::operation_response(ctx, operation)
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(Some(ApiStatus::Code(201)), response)])
            .unwrap_or_default()
    }
}

/// 200 with a JSON body and cookies to set.
#[derive(Debug)]
pub(crate) struct WithCookies<T> {
    pub(crate) cookies: Vec<String>,
    pub(crate) body: T,
}

impl<T: Serialize> IntoResponse for WithCookies<T> {
    fn into_response(self) -> Response {
        let mut response = Json(self.body).into_response();
        for cookie in self.cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }
}

documented_as_json!(WithCookies);

/// 200 with a JSON body and an `ETag` naming its version (`"3"`).
#[derive(Debug)]
pub(crate) struct Tagged<T> {
    pub(crate) version: i64,
    pub(crate) body: T,
}

/// A JSON answer with one header more (left out if `value` cannot be a
/// header's value).
fn json_with_header(body: impl Serialize, name: header::HeaderName, value: &str) -> Response {
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
    response
}

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        json_with_header(self.body, header::ETAG, &format!("\"{}\"", self.version))
    }
}

documented_as_json!(Tagged);

/// 200 with a body of another media type (CSV).
#[derive(Debug)]
pub(crate) struct Download {
    pub(crate) content_type: &'static str,
    pub(crate) file_name: String,
    pub(crate) body: Vec<u8>,
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::OK, self.body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", self.file_name)) {
            response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
        response
    }
}

impl OperationOutput for Download {
    type Inner = String;

    fn operation_response(ctx: &mut GenContext, operation: &mut Operation) -> Option<ApiResponse> {
        let mut response = String::operation_response(ctx, operation)?;
        response.description = "Fichier CSV (UTF-8 avec BOM)".to_owned();
        if let Some(media) = response.content.shift_remove("text/plain; charset=utf-8") {
            response.content.insert("text/csv".to_owned(), media);
        }
        Some(response)
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(Some(ApiStatus::Code(200)), response)])
            .unwrap_or_default()
    }
}

/// 200 with a JSON body offered as a file to save (`Content-Disposition:
/// attachment`), e.g. an exported case.
#[derive(Debug)]
pub(crate) struct JsonFile<T> {
    pub(crate) file_name: String,
    pub(crate) body: T,
}

impl<T: Serialize> IntoResponse for JsonFile<T> {
    fn into_response(self) -> Response {
        let disposition = format!("attachment; filename=\"{}\"", self.file_name);
        json_with_header(self.body, header::CONTENT_DISPOSITION, &disposition)
    }
}

documented_as_json!(JsonFile);

/// 200 with the bytes of a stored file (a PDF or an image), shown by the
/// browser as itself (`inline`, `nosniff`: never as HTML).
#[derive(Debug)]
pub(crate) struct StoredFile {
    pub(crate) media_type: String,
    pub(crate) file_name: String,
    pub(crate) bytes: Vec<u8>,
    /// The pages of this origin may show it in a frame (a candidate's work
    /// beside the rubric): see [`crate::headers::SameOriginFrame`].
    pub(crate) embeddable: bool,
}

impl IntoResponse for StoredFile {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::OK, self.bytes).into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.media_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", self.file_name)) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        if self.embeddable {
            response.extensions_mut().insert(crate::headers::SameOriginFrame);
        }
        response
    }
}

impl OperationOutput for StoredFile {
    type Inner = Vec<u8>;

    fn operation_response(_ctx: &mut GenContext, _operation: &mut Operation) -> Option<ApiResponse> {
        let mut response =
            ApiResponse { description: "Le fichier (PDF, PNG ou JPEG)".to_owned(), ..Default::default() };
        for media_type in ["application/pdf", "image/png", "image/jpeg"] {
            response.content.insert(media_type.to_owned(), aide::openapi::MediaType::default());
        }
        Some(response)
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(Some(ApiStatus::Code(200)), response)])
            .unwrap_or_default()
    }
}

/// A JSON answer serialised once and served as the same bytes to every
/// request, with a strong `ETag` from their SHA-256; a request whose
/// `If-None-Match` names it gets `304 Not Modified` without a body. For
/// immutable answers (the catalogue, the OpenAPI document).
#[derive(Debug)]
pub(crate) struct Precomputed<T> {
    bytes: axum::body::Bytes,
    etag: HeaderValue,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T: Serialize> Precomputed<T> {
    /// Serialises `value` once.
    pub(crate) fn new(value: &T) -> Precomputed<T> {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        let etag = HeaderValue::from_str(&format!(
            "\"{}\"",
            &grille_store::sha256_hex(std::str::from_utf8(&bytes).unwrap_or_default())[..32]
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        Precomputed { bytes: bytes.into(), etag, _type: std::marker::PhantomData }
    }

    /// The answer to a request with these headers.
    pub(crate) fn answer(&self, request: &axum::http::HeaderMap) -> PrecomputedAnswer<T> {
        let fresh = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.trim_start_matches("W/").as_bytes() == self.etag.as_bytes()
            });
        PrecomputedAnswer {
            body: (!fresh).then(|| self.bytes.clone()),
            etag: self.etag.clone(),
            _type: std::marker::PhantomData,
        }
    }
}

/// See [`Precomputed::answer`]: 200 with the bytes, or 304.
#[derive(Debug)]
pub(crate) struct PrecomputedAnswer<T> {
    body: Option<axum::body::Bytes>,
    etag: HeaderValue,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T> IntoResponse for PrecomputedAnswer<T> {
    fn into_response(self) -> Response {
        let mut response = match self.body {
            Some(bytes) => ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes)
                .into_response(),
            None => StatusCode::NOT_MODIFIED.into_response(),
        };
        response.headers_mut().insert(header::ETAG, self.etag);
        response
    }
}

documented_as_json!(PrecomputedAnswer);

/// A request extension that only code in the same process can set (it
/// never comes from the wire): the pages put it on their in-process calls
/// of the API. A route that answers with [`Typed`] then hands them its
/// value as it is, in the response's extensions, instead of writing it
/// as JSON for the page to read back; every extractor and access check of
/// the route has run exactly as for any other caller.
#[derive(Debug, Clone, Copy)]
pub struct InProcess;

/// Whether the request is an in-process call of the pages ([`InProcess`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller {
    in_process: bool,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Caller { in_process: parts.extensions.get::<InProcess>().is_some() })
    }
}

impl aide::OperationInput for Caller {}

impl Caller {
    /// `value` as this caller reads it: JSON, or the value itself for the
    /// pages in the same process.
    pub(crate) fn answer<T>(self, value: T) -> Typed<T> {
        Typed { value, in_process: self.in_process }
    }
}

/// 200 with a JSON body, or for an [`InProcess`] call the value itself
/// (see [`take_typed`]) with an empty body.
#[derive(Debug)]
pub(crate) struct Typed<T> {
    value: T,
    in_process: bool,
}

impl<T: Serialize + Send + 'static> IntoResponse for Typed<T> {
    fn into_response(self) -> Response {
        if !self.in_process {
            return Json(self.value).into_response();
        }
        let mut response = StatusCode::OK.into_response();
        let value: Box<dyn AnyAnswer> = Box::new(self.value);
        response.extensions_mut().insert(TypedBody(std::sync::Arc::new(std::sync::Mutex::new(Some(value)))));
        response
    }
}

documented_as_json!(Typed);

/// A value answered in process, whatever its type.
trait AnyAnswer: Send {
    /// The value itself if it is of type `wanted`, else its JSON, as any
    /// other caller gets it.
    fn into_any_or_json(
        self: Box<Self>,
        wanted: std::any::TypeId,
    ) -> Result<Box<dyn std::any::Any + Send>, serde_json::Result<Vec<u8>>>;
}

impl<T: Serialize + Send + 'static> AnyAnswer for T {
    fn into_any_or_json(
        self: Box<Self>,
        wanted: std::any::TypeId,
    ) -> Result<Box<dyn std::any::Any + Send>, serde_json::Result<Vec<u8>>> {
        if std::any::TypeId::of::<T>() == wanted { Ok(self) } else { Err(serde_json::to_vec(&*self)) }
    }
}

/// The response extension of a [`Typed`] answer (extensions must be
/// `Clone`; the value is taken once).
#[derive(Clone)]
struct TypedBody(std::sync::Arc<std::sync::Mutex<Option<Box<dyn AnyAnswer>>>>);

/// The value of an answer given in process, taken out of `response`.
pub struct TypedAnswer(Box<dyn AnyAnswer>);

impl std::fmt::Debug for TypedAnswer {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("TypedAnswer")
    }
}

impl TypedAnswer {
    /// The value as a `T`: itself when the route answered a `T`, else
    /// read from its JSON, as from any other answer.
    pub fn into_value<T: serde::de::DeserializeOwned + 'static>(self) -> serde_json::Result<T> {
        match self.0.into_any_or_json(std::any::TypeId::of::<T>()) {
            Ok(value) => value
                .downcast::<T>()
                .map(|value| *value)
                .map_err(|_| serde::de::Error::custom("the answer is not of the type it said")),
            Err(json) => serde_json::from_slice(&json?),
        }
    }
}

/// The value a route answered to an [`InProcess`] call, if it answered
/// one (a refusal is a problem document as always).
pub fn take_typed(response: &mut Response) -> Option<TypedAnswer> {
    let body = response.extensions_mut().remove::<TypedBody>()?;
    let value = body.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()?;
    Some(TypedAnswer(value))
}
