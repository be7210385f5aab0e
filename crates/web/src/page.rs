//! What every signed-in page shares: who is asking (the role extractors
//! [`BoardAccount`], [`TrainerAccount`], [`CandidateAccount`],
//! [`StaffAccount`]; the examiner's pages take any signed-in user,
//! [`SignedIn`], since
//! trainers score mock exams with them and the API decides who may score
//! what), typed calls to the in-process API on their behalf
//! ([`Visit::get`]), and one error type, [`PageError`], whose answer is a
//! page in the reader's language (or the login, or a redirect).
//!
//! A handler reads
//! `async fn page(board: BoardAccount, ...) -> Result<Response, PageError>`
//! and uses `?` on every call: the access rules stay the API's, the page
//! only says in words why it cannot show what was asked.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use grille_report::i18n;
use grille_server::RoleDto;
use minijinja::Environment;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{Api, Credentials, Refusal, Reply};
use crate::auth_pages::{Account, current_account, login_redirect};
use crate::{PageLanguage, WebState};

/// Why a page is not shown as asked. Its answer is an error page in the
/// reader's language (with the account's header when someone is logged
/// in), the login page, or a redirect.
pub(crate) struct PageError(Box<Answer>);

enum Answer {
    /// A ready answer: a redirect (to the login, back to a form).
    Ready(Response),
    /// A page that says why.
    Page {
        environment: Arc<Environment<'static>>,
        language: PageLanguage,
        account: Option<Account>,
        status: StatusCode,
        title_key: &'static str,
        detail: String,
    },
}

impl PageError {
    /// An error page: `title_key` is a translation key, `detail` a sentence
    /// already in the reader's language.
    pub(crate) fn page(
        state: &WebState,
        language: PageLanguage,
        account: Option<&Account>,
        status: StatusCode,
        title_key: &'static str,
        detail: String,
    ) -> PageError {
        PageError(Box::new(Answer::Page {
            environment: state.environment.clone(),
            language,
            account: account.cloned(),
            status,
            title_key,
            detail,
        }))
    }
}

/// The transition from handlers that built their refusal themselves.
impl From<Response> for PageError {
    fn from(response: Response) -> PageError {
        PageError(Box::new(Answer::Ready(response)))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match *self.0 {
            Answer::Ready(response) => response,
            Answer::Page { environment, language, account, status, title_key, detail } => {
                crate::auth_pages::render_error(
                    &environment,
                    language,
                    account.as_ref(),
                    status,
                    title_key,
                    detail,
                )
            }
        }
    }
}

/// A notice above a page or form: a success after an action, or an error
/// the page shows beside what it could still show.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Notice {
    pub(crate) kind: &'static str,
    pub(crate) text: String,
}

impl Notice {
    pub(crate) fn success(text: String) -> Notice {
        Notice { kind: "success", text }
    }

    pub(crate) fn error(text: String) -> Notice {
        Notice { kind: "error", text }
    }
}

/// One visit of a signed-in user: the pages' state, the reader's language,
/// the account and the API to call on its behalf.
pub(crate) struct Visit {
    pub(crate) state: WebState,
    pub(crate) language: PageLanguage,
    pub(crate) account: Account,
    pub(crate) api: Api,
    /// The page asked for (path and query), where the login comes back to.
    pub(crate) here: String,
}

impl Visit {
    /// Credentials for a read.
    pub(crate) fn reading(&self) -> Credentials {
        Credentials { language: Some(self.language.language), ..self.account.credentials(None) }
    }

    /// Credentials for a write, with the CSRF token the form sent.
    pub(crate) fn writing(&self, csrf: &str) -> Credentials {
        Credentials { language: Some(self.language.language), ..self.account.credentials(Some(csrf)) }
    }

    /// `GET uri` on the API, typed. A refusal becomes the page saying why.
    pub(crate) async fn get<T: DeserializeOwned + 'static>(&self, uri: &str) -> Result<T, PageError> {
        self.api.get::<T>(uri, &self.reading()).await.map_err(|refusal| self.refused(refusal))
    }

    /// A write on the API whose answer is typed; a refusal is the API's
    /// answer, for the form to show its problems.
    pub(crate) async fn send<T: DeserializeOwned + 'static>(
        &self,
        method: Method,
        uri: &str,
        csrf: &str,
        if_match: Option<&str>,
        body: Option<&impl Serialize>,
    ) -> Result<T, Refusal> {
        self.api.send_typed::<T>(method, uri, &self.writing(csrf), if_match, body).await
    }

    /// A write whose body is a file as it was sent (an attachment, an
    /// exported case, a CSV, a PDF), its answer read as a `T`.
    pub(crate) async fn send_file<T: DeserializeOwned>(
        &self,
        method: Method,
        uri: &str,
        csrf: &str,
        if_match: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<T, Refusal> {
        let credentials = self.writing(csrf);
        self.api.call_bytes(method, uri, &credentials, if_match, content_type, body).await.into_typed(uri)
    }

    /// The page saying why the API refused (or why its answer could not be
    /// read): the login again for an expired session, 403, 404, a conflict
    /// with the server's explanation, or an internal error.
    pub(crate) fn refused(&self, refusal: impl Into<Refusal>) -> PageError {
        match refusal.into() {
            Refusal::Answer(reply) => self.refused_reply(&reply),
            Refusal::Unreadable { uri, error } => {
                // A server type and its page disagree: a bug, logged with
                // what the reader must not see.
                eprintln!("grille-web: the answer of {uri} does not match its type: {error}");
                self.error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "board.error.internal",
                    self.tr("board.error.internal"),
                )
            }
        }
    }

    /// What a form does with the API's refusal of what it sent, the one
    /// rule of every form: a refusal of the content (400, 409, 413, 415,
    /// 422) is the API's answer, for the form to show again with the
    /// server's sentences; anything else is no matter of the form and
    /// becomes the refusal page ([`Visit::refused`]): an expired login goes
    /// to the login (401), a refusal of the account, a stale form's token or
    /// a missing object (403, 404) and the server's errors say why on a page
    /// of their own.
    pub(crate) fn form_refusal(&self, refusal: Refusal) -> Result<Reply, PageError> {
        match refusal {
            Refusal::Answer(reply) if form_shows(&reply) => Ok(*reply),
            refusal => Err(self.refused(refusal)),
        }
    }

    fn refused_reply(&self, reply: &Reply) -> PageError {
        refused_reply(&self.state, self.language, &self.account, &self.here, reply)
    }

    /// An error page for this visit.
    pub(crate) fn error(&self, status: StatusCode, title_key: &'static str, detail: String) -> PageError {
        PageError::page(&self.state, self.language, Some(&self.account), status, title_key, detail)
    }

    /// The 404 page.
    pub(crate) fn not_found(&self) -> PageError {
        self.error(StatusCode::NOT_FOUND, "examiner.error.not_found", self.tr("examiner.error.not_found"))
    }

    /// A translated string in the reader's language.
    pub(crate) fn tr(&self, key: &str) -> String {
        i18n::translate(self.language.language, key)
    }
}

/// Whether a form shows this answer of the API itself (see
/// [`Visit::form_refusal`]).
fn form_shows(reply: &Reply) -> bool {
    matches!(
        reply.status,
        StatusCode::BAD_REQUEST
            | StatusCode::CONFLICT
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::UNPROCESSABLE_ENTITY
    ) && reply.kind() != "urn:grille:csrf"
}

/// The page saying why the API refused `reply` to `account` on page
/// `here` (where the login comes back to after an expired session).
pub(crate) fn refused_reply(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    here: &str,
    reply: &Reply,
) -> PageError {
    let (status, title_key) = match reply.status {
        StatusCode::UNAUTHORIZED => return PageError::from(login_redirect(here)),
        StatusCode::FORBIDDEN => (StatusCode::FORBIDDEN, "examiner.error.forbidden"),
        StatusCode::NOT_FOUND => (StatusCode::NOT_FOUND, "examiner.error.not_found"),
        status if status.is_server_error() => (status, "board.error.internal"),
        status => (status, "examiner.error.conflict"),
    };
    let tr = |key: &str| i18n::translate(language.language, key);
    let detail = if reply.kind() == "urn:grille:csrf" {
        tr("examiner.error.csrf")
    } else {
        let detail = reply.detail();
        if detail.is_empty() { tr("board.error.internal") } else { detail }
    };
    PageError::page(state, language, Some(account), status, title_key, detail)
}

/// Who is logged in, with the API, or the login page (and back here).
async fn visit(parts: &Parts, state: &WebState) -> Result<Visit, PageError> {
    let mut language = PageLanguage::from_headers(parts.uri.query(), &parts.headers);
    let api = crate::auth_pages::api_of(state, language)?.clone();
    let here = parts.uri.path_and_query().map(|path| path.as_str()).unwrap_or("/").to_owned();
    let Some(account) = current_account(state, &parts.headers).await else {
        return Err(PageError::from(login_redirect(&here)));
    };
    // A candidate reads their own pages in their exam language unless
    // they chose another one with the language switch.
    if let Some(exam_language) = account.exam_language.filter(|_| !language.explicit) {
        language.language = exam_language;
    }
    Ok(Visit { state: state.clone(), language, account, api, here })
}

/// The 403 page for a signed-in user of another role.
fn wrong_role(visit: &Visit, refusal_key: &str) -> PageError {
    visit.error(StatusCode::FORBIDDEN, "examiner.error.forbidden", visit.tr(refusal_key))
}

/// Any signed-in user (the examiner's pages: trainers score mock exams
/// with them, and the API answers who may score what).
pub(crate) struct SignedIn(pub(crate) Visit);

impl FromRequestParts<WebState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, PageError> {
        Ok(SignedIn(visit(parts, state).await?))
    }
}

impl Deref for SignedIn {
    type Target = Visit;

    fn deref(&self) -> &Visit {
        &self.0
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, [$($role:ident),+], $refusal:literal) => {
        $(#[$doc])*
        pub(crate) struct $name(pub(crate) Visit);

        impl FromRequestParts<WebState> for $name {
            type Rejection = PageError;

            async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, PageError> {
                let visit = visit(parts, state).await?;
                if !matches!(visit.account.role, $(RoleDto::$role)|+) {
                    return Err(wrong_role(&visit, $refusal));
                }
                Ok($name(visit))
            }
        }

        impl Deref for $name {
            type Target = Visit;

            fn deref(&self) -> &Visit {
                &self.0
            }
        }
    };
}

role_extractor!(
    /// A board member (commission d'examen); anybody else gets a 403 page.
    BoardAccount,
    [Admin],
    "board.error.board_only"
);
role_extractor!(
    /// A trainer of a school; anybody else gets a 403 page.
    TrainerAccount,
    [Trainer],
    "trainer.error.role"
);
role_extractor!(
    /// A candidate; anybody else gets a 403 page.
    CandidateAccount,
    [Candidate],
    "candidate.error.role"
);
role_extractor!(
    /// Someone who writes exam documents and cases: the board or a trainer.
    StaffAccount,
    [Admin, Trainer],
    "cases.error.staff_only"
);
