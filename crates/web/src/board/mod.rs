//! The board's journey (commission d'examen): sessions, enrolment (one
//! candidate, or a CSV file checked in a preview before anything is saved),
//! examiner assignments, candidates' statuses, progress, the confirmed
//! steps of a session (open the scoring, finalise, publish), a candidate's
//! audit log with corrections after finalisation, and the exports. The
//! result pages of a session are [`crate::session_pages`]'s.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie, read into the API's own types ([`crate::page::Visit`]),
//! so that access, validation and grades are the server's; form posts
//! carry the session's CSRF token in a hidden field, passed to the API as
//! `X-CSRF-Token` (a post without it is refused by the API). The pages are
//! for the board ([`BoardAccount`]): another role gets a 403 page before
//! any call.
//!
//! One module per page family: [`overview`] (a session, enrolling one
//! candidate, assigning one examiner, a status), [`upload`] (the CSV
//! uploads), [`progress`] (and reopening an evaluation), [`steps`] (the
//! confirmed workflow steps), [`candidate`] (audit log and corrections).
//! [`identity`] (the exam body's identity, a session's official
//! documents). [`routes`] lists every route under `/board`.

use axum::Router;
use axum::extract::{Form, Path};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use grille_report::board::{self as pages, Page};
use grille_report::i18n::Language;
use grille_report::pages::AccountLayout;
use grille_scoring::embedded;
use grille_server::{CandidateView, CreateSessionRequest, PinnedDocumentView, Progress, SessionView};
use grille_workflow::SessionState;
use serde::Serialize;

use crate::WebState;
use crate::api::Reply;
use crate::auth_pages::see_other;
use crate::page::{BoardAccount, Notice, PageError};

mod appeals;
mod candidate;
mod events;
pub(crate) mod identity;
mod overview;
pub(crate) use upload::{Host, Upload, UploadForm, upload_confirm, upload_preview};

/// The enrolment template (for the trainers' cohort upload too).
pub(crate) fn csv_template_download() -> axum::response::Response {
    upload::template_download()
}
mod progress;
mod register;
mod standard_setting;
mod steps;
mod upload;

/// The board's home.
pub(crate) const HOME: &str = "/board";

/// Every page of the board, under `/board` (the result pages are mounted
/// apart, see [`crate::session_pages::result_routes`]).
pub(crate) fn routes() -> Router<WebState> {
    let session = "/board/sessions/{id}";
    let candidate = "/board/sessions/{id}/candidates/{number}";
    Router::new()
        .route("/board", get(sessions))
        .route("/board/sessions", post(create_session))
        .route(session, get(overview::session))
        .route(&format!("{session}/candidates"), post(overview::enrol_one))
        .route(&format!("{session}/assignments"), post(overview::assign))
        .route(&format!("{candidate}/status"), post(overview::set_status))
        .route(&format!("{session}/enrolment/template.csv"), get(upload::csv_template))
        .route(&format!("{session}/enrolment/preview"), post(upload::csv_preview))
        .route(&format!("{session}/enrolment/confirm"), post(upload::csv_confirm))
        .route(&format!("{session}/assignments/template.csv"), get(upload::assignment_csv_template))
        .route(&format!("{session}/assignments/preview"), post(upload::assignment_csv_preview))
        .route(&format!("{session}/assignments/confirm"), post(upload::assignment_csv_confirm))
        .route(&format!("{session}/appeals"), get(appeals::page).post(appeals::save))
        .route(&format!("{session}/register"), get(register::register_page))
        .route(&format!("{session}/register/template.csv"), get(upload::register_csv_template))
        .route(&format!("{session}/register/preview"), post(upload::register_csv_preview))
        .route(&format!("{session}/register/confirm"), post(upload::register_csv_confirm))
        .route(&format!("{candidate}/register"), get(register::candidate_page))
        .route(&format!("{candidate}/register/master-data"), post(register::save_master))
        .route(&format!("{candidate}/register/accommodation"), post(register::save_accommodation))
        .route(&format!("{session}/progress"), get(progress::progress))
        .route(&format!("{session}/progress/reopen"), post(progress::reopen))
        .route(&format!("{session}/progress/arbiters"), post(progress::arbiters))
        .route(&format!("{session}/progress/reminders"), post(progress::send_reminders))
        .route(&format!("{session}/scoring"), get(steps::scoring_page).post(steps::scoring_post))
        .route(&format!("{session}/finalise"), get(steps::finalise_page).post(steps::finalise_post))
        .route(&format!("{session}/publish"), get(steps::publish_page).post(steps::publish_post))
        .route(&format!("{candidate}/audit"), get(candidate::candidate_page))
        .route(&format!("{candidate}/corrections"), post(candidate::correct))
        .route(&format!("{candidate}/proposals/{{proposal}}"), post(candidate::decide_proposal))
        .route(&format!("{session}/exports"), get(exports))
        .route(&format!("{session}/events"), get(events::events))
        .route("/static/board.css", get(stylesheet))
        .route("/static/board.js", get(script))
        .merge(identity::routes())
        // The standard-setting page, the board's and a trainer's.
        .merge(standard_setting::routes::<BoardAccount>())
        .merge(standard_setting::routes::<crate::page::TrainerAccount>())
}

fn render(board: &BoardAccount, status: StatusCode, page: Page, view: &impl Serialize) -> Response {
    let language = board.language;
    language.respond(status, pages::render_page(&board.state.environment, page, view, language.language))
}

/// The server's explanation of a refusal a form shows, in words for
/// people: its problems (`detail` each), or its one sentence.
fn refusal_lines(board: &crate::page::Visit, reply: &Reply) -> Vec<String> {
    if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
        return reply.problems(board.language.language, false);
    }
    let detail = reply.detail();
    vec![if detail.is_empty() { board.tr("board.error.internal") } else { detail }]
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

/// Only plain candidate numbers reach the API's paths.
fn plain(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}

fn short(text: &str, length: usize) -> String {
    text.chars().take(length).collect()
}

/// The translation key of a session's state.
fn state_key(state: SessionState) -> &'static str {
    grille_report::examiner::session_state_key(state.as_str())
}

// ---------------------------------------------------------------- session data

/// A pinned document as the pages show it.
#[derive(Debug, Serialize)]
struct DocumentRow {
    kind_key: &'static str,
    slot_detail: Option<String>,
    id: String,
    version: String,
    sha256: String,
    sha_short: String,
    title: String,
    /// `fr` when `title` is the French shown for want of a translation.
    title_lang: Option<&'static str>,
}

impl From<&PinnedDocumentView> for DocumentRow {
    fn from(document: &PinnedDocumentView) -> DocumentRow {
        DocumentRow {
            kind_key: pages::document_kind_key(&document.kind),
            slot_detail: document.slot.strip_prefix("rubric:").map(|part| format!("({part})")),
            id: document.document_id.clone(),
            version: document.version.clone(),
            sha_short: short(&document.sha256, 12),
            sha256: document.sha256.clone(),
            title: String::new(),
            title_lang: None,
        }
    }
}

/// A session as the templates show it.
#[derive(Debug, Serialize)]
struct SessionHeader {
    id: i64,
    name: String,
    exam_date: Option<String>,
    kind: grille_workflow::SessionKind,
    state: SessionState,
    state_key: &'static str,
    documents: Vec<DocumentRow>,
}

impl From<&SessionView> for SessionHeader {
    fn from(session: &SessionView) -> SessionHeader {
        SessionHeader {
            id: session.id,
            name: session.name.clone(),
            exam_date: session.exam_date.clone(),
            kind: session.kind,
            state: session.state,
            state_key: state_key(session.state),
            documents: session.documents.iter().map(DocumentRow::from).collect(),
        }
    }
}

impl BoardAccount {
    /// Session `id` as the API shows it to the board, or the refusal page.
    async fn session(&self, id: i64) -> Result<SessionView, PageError> {
        self.get(&format!("/api/sessions/{id}")).await
    }

    /// The candidates enrolled in session `id`.
    async fn candidates(&self, id: i64) -> Result<Vec<CandidateView>, PageError> {
        self.get(&format!("/api/sessions/{id}/candidates")).await
    }

    /// The progress of session `id`.
    async fn progress_of(&self, id: i64) -> Result<Progress, PageError> {
        self.get(&format!("/api/sessions/{id}/progress")).await
    }

    /// The exam documents session `id` pins, parsed once per process by
    /// the server (see `grille_server::AppState::pinned_exam`); asked for
    /// only after the API let the board read the session.
    fn pinned_exam(&self, id: i64) -> Option<std::sync::Arc<embedded::ExamDocuments>> {
        self.api.pinned_exam(id)
    }
}

/// A part of a pinned blueprint (id and title).
#[derive(Debug, Serialize)]
struct PartRow {
    id: String,
    title: String,
}

/// The parts of a pinned blueprint.
fn parts_of(exam: Option<&embedded::ExamDocuments>, language: Language) -> Vec<PartRow> {
    exam.map(|exam| {
        exam.blueprint
            .parts
            .iter()
            .map(|part| PartRow { id: part.id.clone(), title: part.title.get(language.code()).to_owned() })
            .collect()
    })
    .unwrap_or_default()
}

// ---------------------------------------------------------------- sessions

/// The federal exam documents a new session pins by default.
fn shipped_documents(state: &WebState, language: Language) -> Vec<DocumentRow> {
    let profile = state.catalogue.profile();
    let row = |kind: &str, id: &str, version: &str, title: Option<&grille_competence::LocalizedText>| {
        let shown = title.map(|title| grille_report::i18n::localized(title, language));
        DocumentRow {
            kind_key: pages::document_kind_key(kind),
            slot_detail: None,
            id: id.to_owned(),
            version: version.to_owned(),
            sha256: String::new(),
            sha_short: String::new(),
            title: shown.map_or_else(String::new, |shown| shown.text.to_owned()),
            title_lang: shown.and_then(|shown| shown.lang),
        }
    };
    let mut list = vec![row("catalogue", &profile.id, &profile.version, None)];
    if let Some(exam) = &state.shipped {
        list.push(row("scheme", &exam.scheme.id, &exam.scheme.version, Some(&exam.scheme.title)));
        list.push(row("blueprint", &exam.blueprint.id, &exam.blueprint.version, Some(&exam.blueprint.title)));
        for rubric in &exam.rubrics {
            list.push(row("rubric", &rubric.id, &rubric.version, Some(&rubric.title)));
        }
    }
    list
}

/// One session in the board's list.
#[derive(Debug, Serialize)]
struct SessionRow {
    id: i64,
    name: String,
    exam_date: Option<String>,
    kind: grille_workflow::SessionKind,
    state: SessionState,
    state_key: &'static str,
    /// How many are enrolled ("—" where the board may not count them).
    candidates: String,
    expected: Option<usize>,
    submitted: Option<usize>,
    open: Option<usize>,
}

/// The creation form as posted.
#[derive(Debug, Default, Serialize)]
struct CreateForm {
    name: String,
    exam_date: String,
}

#[derive(Debug, Serialize)]
struct SessionsView {
    account: AccountLayout,
    sessions: Vec<SessionRow>,
    bank: crate::documents::BankChoice,
    documents: Vec<DocumentRow>,
    form: CreateForm,
    errors: Vec<String>,
}

async fn render_sessions(
    board: &BoardAccount,
    status: StatusCode,
    form: CreateForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let listed: Vec<SessionView> = board.get("/api/sessions").await?;
    let mut sessions = Vec::with_capacity(listed.len());
    for session in &listed {
        // A school's cohort of a mock session is not the board's to count
        // (the API refuses it): the list shows a dash there.
        let uri = format!("/api/sessions/{}/candidates", session.id);
        let candidates = board.api.get::<Vec<CandidateView>>(&uri, &board.reading()).await.ok();
        let progress = if session.state == SessionState::Scoring {
            let uri = format!("/api/sessions/{}/progress", session.id);
            board.api.get::<Progress>(&uri, &board.reading()).await.ok()
        } else {
            None
        };
        sessions.push(SessionRow {
            id: session.id,
            name: session.name.clone(),
            exam_date: session.exam_date.clone(),
            kind: session.kind,
            state: session.state,
            state_key: state_key(session.state),
            candidates: candidates.map_or_else(|| "—".to_owned(), |listed| listed.len().to_string()),
            expected: progress.as_ref().map(|p| p.evaluations_expected),
            submitted: progress.as_ref().map(|p| p.evaluations_submitted),
            open: progress.as_ref().map(|p| p.open_discrepancies),
        });
    }
    let view = SessionsView {
        account: board.account.view(),
        sessions,
        bank: crate::documents::bank_choice(&board.api, &board.account, board.language.language).await,
        documents: shipped_documents(&board.state, board.language.language),
        form,
        errors,
    };
    Ok(render(board, status, Page::Sessions, &view))
}

pub(crate) async fn sessions(board: BoardAccount) -> Result<Response, PageError> {
    render_sessions(&board, StatusCode::OK, CreateForm::default(), Vec::new()).await
}

pub(crate) async fn create_session(
    board: BoardAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = CreateForm {
        name: field(&fields, "name").trim().to_owned(),
        exam_date: field(&fields, "exam_date").trim().to_owned(),
    };
    let request = CreateSessionRequest {
        name: form.name.clone(),
        exam_date: Some(form.exam_date.clone()).filter(|date| !date.is_empty()),
        bank: crate::documents::bank_request(&fields),
        ..CreateSessionRequest::default()
    };
    let csrf = field(&fields, "csrf");
    match board.send::<SessionView>(Method::POST, "/api/sessions", csrf, None, Some(&request)).await {
        Ok(created) => Ok(see_other(&format!("/board/sessions/{}?created=1", created.id))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = refusal_lines(&board, &reply);
            render_sessions(&board, reply.status, form, errors).await
        }
    }
}

// ---------------------------------------------------------------- exports

/// An export layout offered.
#[derive(Debug, Serialize)]
struct Layout {
    value: &'static str,
    key: &'static str,
    hint: &'static str,
}

#[derive(Debug, Serialize)]
struct ExportsView {
    account: AccountLayout,
    session: SessionHeader,
    official: bool,
    layouts: [Layout; 2],
    candidates: Vec<String>,
}

pub(crate) async fn exports(board: BoardAccount, Path(id): Path<i64>) -> Result<Response, PageError> {
    let session = board.session(id).await?;
    let candidates = board.candidates(id).await?;
    let view = ExportsView {
        account: board.account.view(),
        official: matches!(session.state, SessionState::Finalised | SessionState::Published),
        session: SessionHeader::from(&session),
        layouts: [
            Layout {
                value: "candidate",
                key: "board.exports.layout.candidate",
                hint: "board.exports.layout.candidate_hint",
            },
            Layout {
                value: "criterion",
                key: "board.exports.layout.criterion",
                hint: "board.exports.layout.criterion_hint",
            },
        ],
        candidates: candidates.into_iter().map(|candidate| candidate.number).collect(),
    };
    Ok(render(&board, StatusCode::OK, Page::Exports, &view))
}

/// The script of the CSV forms (reads a chosen CSV file into the form).
pub(crate) const SCRIPT: &str = include_str!("../../assets/board.js");

pub(crate) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

pub(crate) async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], pages::STYLESHEET)
}
