//! The pages call the JSON API in-process: the same router the server
//! answers `/api/...` with, driven through `tower::ServiceExt::oneshot`
//! with the browser's own cookie (and, for writes, the CSRF token of the
//! form). Every access rule, validation and grade computation therefore
//! has one implementation, in the server, and a page can never show or
//! write more than its user could through the API.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use grille_report::i18n::Language;
use grille_scoring::SessionResult;
use grille_scoring::embedded;
use grille_server::Problem;
use grille_server::error::FieldError;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tower::ServiceExt as _;

/// The API router of the server, over the same state as the binary's.
#[derive(Clone)]
pub(crate) struct Api {
    router: Router,
    state: grille_server::AppState,
    /// Parsed results by session, with the ETag they were answered with.
    results: Arc<Mutex<KeptResults>>,
}

/// Who a call is made for: the browser's `Cookie` header and, for writes,
/// the CSRF token the form or script sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) cookie: Option<String>,
    pub(crate) csrf: Option<String>,
    /// The browser's User-Agent, passed on at login so that the session
    /// lists the device it was opened from.
    pub(crate) user_agent: Option<String>,
    /// The reader's language: a refusal with a code is said in it
    /// ([`Reply::detail`]); without one, the API's French sentence.
    pub(crate) language: Option<Language>,
}

/// One problem of a refusal in `language`: a document's problem (it has a
/// code) written through the catalogue (`problem.<code>`), the API's own
/// sentence (French) as it is.
pub(crate) fn error_text(error: &FieldError, language: Language) -> String {
    match error.message() {
        Some(message) => grille_report::messages::render(&message, language),
        None => error.detail.clone(),
    }
}

/// An answer of the API.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
    /// The language of the reader the call was made for.
    pub(crate) language: Option<Language>,
}

impl Reply {
    /// The problem a refusal explains (RFC 9457); an answer that is no
    /// problem document reads as one with its status and nothing else.
    pub(crate) fn problem(&self) -> Problem {
        Problem::deserialize(&self.body).unwrap_or_else(|_| Problem {
            kind: "about:blank".to_owned(),
            title: String::new(),
            status: self.status.as_u16(),
            detail: None,
            code: None,
            args: Default::default(),
            errors: Vec::new(),
        })
    }

    /// The explanation of a problem answer: its code (a workflow denial,
    /// a conflict, a message, or the generic code of its kind) in the
    /// reader's language; for a French reader, or without a code, the
    /// API's French sentence.
    pub(crate) fn detail(&self) -> String {
        let problem = self.problem();
        let said = match (&problem.code, self.language) {
            // The API's French sentence is the most precise French text.
            (_, Some(Language::Fr)) if problem.detail.is_some() => None,
            (Some(code), Some(language)) => grille_report::refusals::render(code, &problem.args, language),
            _ => None,
        };
        said.or(problem.detail).unwrap_or(problem.title)
    }

    /// The problem kind (`urn:grille:...`).
    pub(crate) fn kind(&self) -> String {
        self.problem().kind
    }

    /// Every problem of a refusal as a sentence in `language` (see
    /// [`error_text`]), with its place (pointer, field or line) first when
    /// `placed`; the explanation alone when the answer lists none.
    pub(crate) fn problems(&self, language: Language, placed: bool) -> Vec<String> {
        let problem = self.problem();
        let list: Vec<String> = problem
            .errors
            .iter()
            .filter(|error| !error.detail.is_empty())
            .map(|error| {
                let place = error
                    .pointer
                    .clone()
                    .filter(|pointer| !pointer.is_empty())
                    .or_else(|| error.field.clone())
                    .or_else(|| error.line.map(|line| line.to_string()));
                match place {
                    Some(place) if placed => {
                        grille_report::i18n::labelled(language, &place, &error_text(error, language))
                    }
                    _ => error_text(error, language),
                }
            })
            .collect();
        if list.is_empty() { vec![self.detail()] } else { list }
    }

    pub(crate) fn ok(&self) -> bool {
        self.status.is_success()
    }
}

/// Why a typed call gave no value: the API refused (its answer, with the
/// problem it explains), or its answer did not match the type the page
/// expects (a bug between the server and the pages, never shown as an
/// empty cell).
#[derive(Debug)]
pub(crate) enum Refusal {
    /// A non-success answer of the API.
    Answer(Box<Reply>),
    /// A success answer that is not of the expected type.
    Unreadable { uri: String, error: String },
}

impl Reply {
    /// A success answer of the API read as a `T` (`uri` names it in the
    /// log if it does not match); a refusal as it is.
    pub(crate) fn into_typed<T: DeserializeOwned>(self, uri: &str) -> Result<T, Refusal> {
        if !self.ok() {
            return Err(Refusal::Answer(Box::new(self)));
        }
        serde_json::from_value(self.body)
            .map_err(|error| Refusal::Unreadable { uri: uri.to_owned(), error: error.to_string() })
    }
}

impl From<Reply> for Refusal {
    fn from(reply: Reply) -> Refusal {
        Refusal::Answer(Box::new(reply))
    }
}

impl Api {
    /// `GET uri`, its answer read as a `T`.
    pub(crate) async fn get<T: DeserializeOwned + 'static>(
        &self,
        uri: &str,
        credentials: &Credentials,
    ) -> Result<T, Refusal> {
        self.send_typed::<T>(Method::GET, uri, credentials, None, None::<&()>).await
    }

    /// A call with a JSON body (if any), its answer read as a `T`. The
    /// call is marked [`grille_server::InProcess`]: a route that offers
    /// its answer typed hands over the value itself, without writing and
    /// reading back its JSON; any other answer is read from its JSON.
    pub(crate) async fn send_typed<T: DeserializeOwned + 'static>(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        if_match: Option<&str>,
        body: Option<&impl serde::Serialize>,
    ) -> Result<T, Refusal> {
        let body = match body.map(serde_json::to_vec).transpose() {
            Ok(body) => body.map(|bytes| ("application/json", bytes)),
            Err(error) => return Err(Refusal::Unreadable { uri: uri.to_owned(), error: error.to_string() }),
        };
        let mut request = request(method, uri, credentials, if_match, None, body).map_err(internal)?;
        request.extensions_mut().insert(grille_server::InProcess);
        let mut response = self.answer(request).await;
        let unreadable =
            |error: serde_json::Error| Refusal::Unreadable { uri: uri.to_owned(), error: error.to_string() };
        if response.status().is_success()
            && let Some(typed) = grille_server::take_typed(&mut response)
        {
            return typed.into_value::<T>().map_err(unreadable);
        }
        let (status, headers, bytes) = into_parts(response).await?;
        if !status.is_success() {
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let language = credentials.language;
            return Err(Refusal::Answer(Box::new(Reply { status, headers, body, language })));
        }
        // An empty answer (204) reads as `()` or as null.
        let bytes = if bytes.is_empty() { &b"null"[..] } else { &bytes[..] };
        serde_json::from_slice(bytes).map_err(unreadable)
    }

    /// A call with a JSON body whose answer is a file (a CSV): its
    /// headers and bytes as they are, or the refusal.
    pub(crate) async fn download(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        body: &impl serde::Serialize,
    ) -> Result<(HeaderMap, axum::body::Bytes), Refusal> {
        let body = serde_json::to_vec(body)
            .map_err(|error| Refusal::Unreadable { uri: uri.to_owned(), error: error.to_string() })?;
        let (status, headers, bytes) =
            self.send_raw(method, uri, credentials, None, None, Some(("application/json", body))).await?;
        if !status.is_success() {
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let language = credentials.language;
            return Err(Refusal::Answer(Box::new(Reply { status, headers, body, language })));
        }
        Ok((headers, bytes))
    }

    pub(crate) fn new(state: grille_server::AppState) -> Api {
        Api { router: grille_server::app(state.clone()), state, results: Arc::default() }
    }

    /// The parsed documents pinned to a session (scheme, blueprint,
    /// rubrics). Exam documents hold no personal data; callers ask only
    /// after the API has let the user read the session.
    pub(crate) fn pinned_exam(&self, session_id: i64) -> Option<Arc<embedded::ExamDocuments>> {
        self.state.pinned_exam(session_id)
    }

    /// Whether the server has an SMTP relay: the pages then offer to send
    /// what they otherwise show to copy.
    pub(crate) fn mail_configured(&self) -> bool {
        self.state.config().mail.is_some()
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
        self.send(method, uri, credentials, None, Some((content_type, body.into_bytes()))).await
    }

    /// A call with a binary body (an uploaded file) and a version.
    pub(crate) async fn call_bytes(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        if_match: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        self.send(method, uri, credentials, if_match, Some((content_type, body))).await
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
        let body = body.map(|body| ("application/json", body.to_string().into_bytes()));
        self.send(method, uri, credentials, if_match, body).await
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        if_match: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Reply {
        match self.send_raw(method, uri, credentials, if_match, None, body).await {
            Ok((status, headers, bytes)) => {
                let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                Reply { status, headers, body, language: credentials.language }
            }
            Err(reply) => reply,
        }
    }

    /// One call, answered with the body's bytes as they are.
    async fn send_raw(
        &self,
        method: Method,
        uri: &str,
        credentials: &Credentials,
        if_match: Option<&str>,
        if_none_match: Option<&HeaderValue>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<(StatusCode, HeaderMap, axum::body::Bytes), Reply> {
        let request = request(method, uri, credentials, if_match, if_none_match, body).map_err(internal)?;
        into_parts(self.answer(request).await).await
    }

    /// The API's answer to `request`.
    async fn answer(&self, request: Request<Body>) -> axum::response::Response {
        match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }

    /// A session's results (`GET /api/sessions/{id}/results`), typed. The
    /// API checks access on every call; the parsed answer is kept by its
    /// ETag, so an unchanged session costs a `304` instead of parsing the
    /// explanations of every candidate again.
    pub(crate) async fn session_results(
        &self,
        session_id: i64,
        credentials: &Credentials,
    ) -> Result<Arc<SessionResults>, Reply> {
        let uri = format!("/api/sessions/{session_id}/results");
        let kept = lock(&self.results).get(&session_id).cloned();
        let tag = kept.as_ref().map(|(tag, _)| tag);
        let (status, headers, bytes) = self.send_raw(Method::GET, &uri, credentials, None, tag, None).await?;
        if status == StatusCode::NOT_MODIFIED
            && let Some((_, results)) = kept
        {
            return Ok(results);
        }
        if !status.is_success() {
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            return Err(Reply { status, headers, body, language: credentials.language });
        }
        let results: SessionResults = serde_json::from_slice(&bytes).map_err(internal)?;
        let results = Arc::new(results);
        if let Some(tag) = headers.get(header::ETAG) {
            let mut kept = lock(&self.results);
            if kept.len() >= KEPT_RESULTS {
                kept.clear();
            }
            kept.insert(session_id, (tag.clone(), results.clone()));
        }
        Ok(results)
    }
}

/// How many sessions' parsed results the pages keep.
const KEPT_RESULTS: usize = 64;

type KeptResults = HashMap<i64, (HeaderValue, Arc<SessionResults>)>;

fn lock(mutex: &Mutex<KeptResults>) -> MutexGuard<'_, KeptResults> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The results answer of the API ([`grille_server::ResultsView`]), with
/// the session results the pages render built from it once.
#[derive(Debug, Deserialize)]
pub(crate) struct SessionResults {
    /// The API's answer.
    #[serde(flatten)]
    pub(crate) view: grille_server::ResultsView,
    /// The session result the board's pages render (with the documents'
    /// assumptions), built at the first use.
    #[serde(skip)]
    with_assumptions: OnceLock<SessionResult>,
    /// The same without assumptions (the trainer's pages).
    #[serde(skip)]
    without_assumptions: OnceLock<SessionResult>,
    /// What the pages keep of their rendering of each of the two.
    #[serde(skip)]
    kept: [crate::session_pages::KeptContents; 2],
}

impl SessionResults {
    /// The results as a [`SessionResult`] of session `id` over `exam`,
    /// with the scheme's and blueprint's assumptions or none; built once
    /// per answer of the API. With it, what the pages keep of their
    /// rendering of that result.
    pub(crate) fn session_result(
        &self,
        id: i64,
        exam: &embedded::ExamDocuments,
        with_assumptions: bool,
    ) -> (&SessionResult, &crate::session_pages::KeptContents) {
        let (cell, kept) = if with_assumptions {
            (&self.with_assumptions, &self.kept[0])
        } else {
            (&self.without_assumptions, &self.kept[1])
        };
        let result = cell.get_or_init(|| {
            let assumptions = if with_assumptions {
                exam.scheme.assumptions.iter().chain(&exam.blueprint.assumptions).cloned().collect()
            } else {
                Vec::new()
            };
            let candidates = self.view.candidates.iter().map(|entry| entry.explanation.clone()).collect();
            crate::session_pages::session_result(id, exam, assumptions, candidates)
        });
        (result, kept)
    }
}

/// The request of one call. `if_match` is a version number as text.
fn request(
    method: Method,
    uri: &str,
    credentials: &Credentials,
    if_match: Option<&str>,
    if_none_match: Option<&HeaderValue>,
    body: Option<(&str, Vec<u8>)>,
) -> Result<Request<Body>, axum::http::Error> {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(cookie) = &credentials.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(csrf) = &credentials.csrf {
        request = request.header(grille_server::auth::CSRF_HEADER, csrf);
    }
    if let Some(agent) = &credentials.user_agent {
        request = request.header(header::USER_AGENT, agent);
    }
    if let Some(version) = if_match.filter(|version| !version.is_empty()) {
        request = request.header(header::IF_MATCH, format!("\"{version}\""));
    }
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let body = match body {
        Some((content_type, body)) => {
            request = request.header(header::CONTENT_TYPE, content_type);
            Body::from(body)
        }
        None => Body::empty(),
    };
    request.body(body)
}

/// The status, headers and body bytes of an answer.
async fn into_parts(
    response: axum::response::Response,
) -> Result<(StatusCode, HeaderMap, axum::body::Bytes), Reply> {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes =
        axum::body::to_bytes(response.into_body(), grille_server::BODY_LIMIT * 64).await.map_err(internal)?;
    Ok((status, headers, bytes))
}

fn internal(error: impl std::fmt::Display) -> Reply {
    eprintln!("grille-web: in-process API call failed: {error}");
    Reply {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        headers: HeaderMap::new(),
        body: serde_json::json!({"detail": "Erreur interne."}),
        language: None,
    }
}
