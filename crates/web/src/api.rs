//! The pages call the JSON API in-process: the same router the server
//! answers `/api/...` with, driven through `tower::ServiceExt::oneshot`
//! with the browser's own cookie (and, for writes, the CSRF token of the
//! form). Every access rule, validation and grade computation therefore
//! has one implementation, in the server, and a page can never show or
//! write more than its user could through the API.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use grille_scoring::embedded;
use serde_json::Value;
use tower::ServiceExt as _;

/// The API router of the server, over the same state as the binary's.
#[derive(Clone)]
pub(crate) struct Api {
    router: Router,
    state: grille_server::AppState,
}

/// Who a call is made for: the browser's `Cookie` header and, for writes,
/// the CSRF token the form or script sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) cookie: Option<String>,
    pub(crate) csrf: Option<String>,
}

/// An answer of the API.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
}

impl Reply {
    /// The French explanation of a problem answer.
    pub(crate) fn detail(&self) -> String {
        self.body["detail"].as_str().or_else(|| self.body["title"].as_str()).unwrap_or_default().to_owned()
    }

    /// The problem kind (`urn:grille:...`).
    pub(crate) fn kind(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }

    /// The version in the `ETag` header, if any.
    pub(crate) fn etag(&self) -> Option<String> {
        let value = self.headers.get(header::ETAG)?.to_str().ok()?;
        Some(value.trim_start_matches("W/").trim_matches('"').to_owned())
    }

    pub(crate) fn ok(&self) -> bool {
        self.status.is_success()
    }
}

impl Api {
    pub(crate) fn new(state: grille_server::AppState) -> Api {
        Api { router: grille_server::app(state.clone()), state }
    }

    /// The parsed documents pinned to a session (scheme, blueprint,
    /// rubrics). Exam documents hold no personal data; callers ask only
    /// after the API has let the user read the session.
    pub(crate) fn pinned_exam(&self, session_id: i64) -> Option<Arc<embedded::ExamDocuments>> {
        self.state.pinned_exam(session_id)
    }

    /// A call with a raw body of `content_type` (a CSV upload).
    pub(crate) async fn call_raw(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        content_type: &str,
        body: String,
    ) -> Reply {
        self.send(method, uri, credentials, None, Some((content_type, body))).await
    }

    /// One call. `if_match` is a version number as text.
    pub(crate) async fn call(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        if_match: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        self.send(method, uri, credentials, if_match, body.map(|body| ("application/json", body.to_string())))
            .await
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        if_match: Option<&str>,
        body: Option<(&str, String)>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &credentials.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(csrf) = &credentials.csrf {
            request = request.header(grille_server::auth::CSRF_HEADER, csrf);
        }
        if let Some(version) = if_match.filter(|version| !version.is_empty()) {
            request = request.header(header::IF_MATCH, format!("\"{version}\""));
        }
        let body = match body {
            Some((content_type, body)) => {
                request = request.header(header::CONTENT_TYPE, content_type);
                Body::from(body)
            }
            None => Body::empty(),
        };
        let request = match request.body(body) {
            Ok(request) => request,
            Err(error) => return internal(error),
        };
        let response = match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = match axum::body::to_bytes(response.into_body(), grille_server::BODY_LIMIT * 4).await {
            Ok(bytes) => bytes,
            Err(error) => return internal(error),
        };
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, headers, body }
    }
}

fn internal(error: impl std::fmt::Display) -> Reply {
    eprintln!("grille-web: in-process API call failed: {error}");
    Reply {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        headers: HeaderMap::new(),
        body: serde_json::json!({"detail": "Erreur interne."}),
    }
}
