//! The board's journey (commission d'examen): sessions, enrolment (one
//! candidate, or a CSV file checked in a preview before anything is saved),
//! examiner assignments, candidates' statuses, progress, the confirmed
//! steps of a session (open the scoring, finalise, publish), the results
//! of a stored session with the same page functions as the demo, a
//! candidate's audit log with corrections after finalisation, and the
//! exports.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie ([`crate::api`]), so that access, validation and
//! grades are the server's; form posts carry the session's CSRF token in a
//! hidden field, passed to the API as `X-CSRF-Token` (a post without it is
//! refused by the API). The pages are for the board: another role gets a
//! 403 page before any call.
//!
//! Routes, all under `/board`: `GET /board` (sessions) and `POST
//! /board/sessions` (create); `GET /board/sessions/{id}` (overview);
//! `POST .../candidates` (enrol one), `GET .../enrolment/template.csv`,
//! `POST .../enrolment/preview`, `POST .../enrolment/confirm`; `POST
//! .../assignments` (assign one), `GET .../assignments/template.csv`,
//! `POST .../assignments/preview`, `POST .../assignments/confirm`; `POST .../candidates/{number}/status`; `GET
//! .../progress`; `GET|POST .../scoring`, `.../finalise`, `.../publish`
//! (confirmation, then the step); `GET .../results` (and `/statistics`,
//! `/minutes`, `/grade-sheets`), `GET .../candidates/{number}` (grade
//! sheet), `.../file` (appeal file), `.../audit` (log and correction
//! form), `POST .../corrections`; `GET .../exports`.

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use grille_report::board::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_scoring::embedded;
use serde_json::{Value, json};

use crate::api::{Api, Reply};
use crate::auth_pages::{Account, encode, error_page, require_role, see_other};
use crate::{PageLanguage, WebState};

/// The board's home.
pub(crate) const HOME: &str = "/board";

/// The logged-in board member, or the answer for anybody else: the login
/// page for nobody, a 403 page for another role.
async fn board_account<'s>(
    state: &'s WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Account, &'s Api), Response> {
    require_role(state, language, headers, uri, "admin", "board.error.board_only").await
}

fn render(
    state: &WebState,
    language: PageLanguage,
    status: StatusCode,
    page: Page,
    view: &Value,
) -> Response {
    language.respond(status, pages::render_page(&state.environment, page, view, language.language))
}

/// The page's answer to an API refusal that leaves nothing to show.
fn refusal(state: &WebState, language: PageLanguage, account: &Account, reply: &Reply) -> Response {
    let (status, title) = match reply.status {
        StatusCode::FORBIDDEN => (StatusCode::FORBIDDEN, "examiner.error.forbidden"),
        StatusCode::NOT_FOUND => (StatusCode::NOT_FOUND, "examiner.error.not_found"),
        StatusCode::UNAUTHORIZED => return see_other("/login"),
        status if status.is_server_error() => (status, "board.error.internal"),
        status => (status, "examiner.error.conflict"),
    };
    error_page(state, language, Some(account), status, title, message(language.language, reply))
}

/// The server's explanation of a refusal, in words for people.
fn message(language: Language, reply: &Reply) -> String {
    if reply.kind() == "urn:grille:csrf" {
        return i18n::translate(language, "examiner.error.csrf");
    }
    let detail = reply.detail();
    if detail.is_empty() { i18n::translate(language, "board.error.internal") } else { detail }
}

/// Every problem of a 422 answer, as sentences (`field : detail`).
fn problems(reply: &Reply) -> Vec<String> {
    let list: Vec<String> = reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| error["detail"].as_str().unwrap_or_default().to_owned())
        .filter(|detail| !detail.is_empty())
        .collect();
    if list.is_empty() { vec![reply.detail()] } else { list }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

fn notice(kind: &str, text: String) -> Value {
    json!({"kind": kind, "text": text})
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

// ---------------------------------------------------------------- session data

/// A session as the API describes it, with what the templates need.
fn session_view(body: &Value) -> Value {
    let documents: Vec<Value> = body["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|document| {
            let kind = document["kind"].as_str().unwrap_or_default();
            let slot = document["slot"].as_str().unwrap_or_default();
            let sha = document["sha256"].as_str().unwrap_or_default();
            json!({
                "kind_key": pages::document_kind_key(kind),
                "slot_detail": slot.strip_prefix("rubric:").map(|part| format!("({part})")),
                "id": document["document_id"],
                "version": document["version"],
                "sha256": sha,
                "sha_short": short(sha, 12),
            })
        })
        .collect();
    let state = body["state"].as_str().unwrap_or("enrolment");
    json!({
        "id": body["id"],
        "name": body["name"],
        "exam_date": body["exam_date"],
        "kind": body["kind"],
        "state": state,
        "state_key": grille_report::examiner::session_state_key(state),
        "documents": documents,
    })
}

async fn get(api: &Api, account: &Account, uri: &str) -> Reply {
    api.call(Method::GET, uri, &account.credentials(None), None, None).await
}

/// The session `id`, or the refusal page.
async fn load_session(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
) -> Result<Value, Response> {
    let reply = get(api, account, &format!("/api/sessions/{id}")).await;
    if !reply.ok() {
        return Err(refusal(state, language, account, &reply));
    }
    Ok(reply.body)
}

/// The exam documents a session pins, parsed once per process by the
/// server (see `grille_server::AppState::pinned_exam`).
fn pinned_exam(api: &Api, session: &Value) -> Option<Arc<embedded::ExamDocuments>> {
    api.pinned_exam(session["id"].as_i64()?)
}

/// The parts of a pinned blueprint (id and title).
fn parts_view(exam: Option<&embedded::ExamDocuments>, language: Language) -> Vec<Value> {
    exam.map(|exam| {
        exam.blueprint
            .parts
            .iter()
            .map(|part| json!({"id": part.id, "title": part.title.get(language.code())}))
            .collect()
    })
    .unwrap_or_default()
}

// ---------------------------------------------------------------- sessions

/// The federal exam documents a new session pins by default.
fn shipped_documents(state: &WebState, language: Language) -> Vec<Value> {
    let profile = state.catalogue.profile();
    let mut list = vec![json!({
        "kind_key": pages::document_kind_key("catalogue"),
        "id": profile.id, "version": profile.version, "title": "",
    })];
    if let Some(exam) = &state.shipped {
        let code = language.code();
        list.push(json!({"kind_key": pages::document_kind_key("scheme"), "id": exam.scheme.id,
            "version": exam.scheme.version, "title": exam.scheme.title.get(code)}));
        list.push(json!({"kind_key": pages::document_kind_key("blueprint"), "id": exam.blueprint.id,
            "version": exam.blueprint.version, "title": exam.blueprint.title.get(code)}));
        for rubric in &exam.rubrics {
            list.push(json!({"kind_key": pages::document_kind_key("rubric"), "id": rubric.id,
                "version": rubric.version, "title": rubric.title.get(code)}));
        }
    }
    list
}

async fn render_sessions(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    status: StatusCode,
    form: Value,
    errors: Vec<String>,
) -> Response {
    let reply = get(api, account, "/api/sessions").await;
    if !reply.ok() {
        return refusal(state, language, account, &reply);
    }
    let mut sessions = Vec::new();
    for session in reply.body.as_array().into_iter().flatten() {
        let id = session["id"].as_i64().unwrap_or_default();
        let candidates = get(api, account, &format!("/api/sessions/{id}/candidates")).await;
        let count = candidates.body.as_array().map(Vec::len);
        let progress = if session["state"] == "scoring" {
            Some(get(api, account, &format!("/api/sessions/{id}/progress")).await.body)
        } else {
            None
        };
        let view = session_view(session);
        sessions.push(json!({
            "id": id,
            "name": view["name"],
            "exam_date": view["exam_date"],
            "kind": view["kind"],
            "state": view["state"],
            "state_key": view["state_key"],
            "candidates": count.map_or_else(|| "—".to_owned(), |count| count.to_string()),
            "expected": progress.as_ref().and_then(|p| p["evaluations_expected"].as_u64()),
            "submitted": progress.as_ref().and_then(|p| p["evaluations_submitted"].as_u64()),
            "open": progress.as_ref().and_then(|p| p["open_discrepancies"].as_u64()),
        }));
    }
    let bank = crate::documents::bank_choice(api, account).await;
    let view = json!({
        "account": account.view(),
        "sessions": sessions,
        "bank": bank,
        "documents": shipped_documents(state, language.language),
        "form": form,
        "errors": errors,
    });
    render(state, language, status, Page::Sessions, &view)
}

pub(crate) async fn sessions(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let form = json!({"name": "", "exam_date": ""});
    render_sessions(&state, language, api, &account, StatusCode::OK, form, Vec::new()).await
}

pub(crate) async fn create_session(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let name = field(&fields, "name").trim().to_owned();
    let date = field(&fields, "exam_date").trim().to_owned();
    let mut body = json!({"name": name});
    if !date.is_empty() {
        body["exam_date"] = json!(date);
    }
    if let Some(bank) = crate::documents::bank_request(&fields) {
        body["bank"] = serde_json::to_value(bank).unwrap_or_default();
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api.call(Method::POST, "/api/sessions", &credentials, None, Some(&body)).await;
    if reply.ok() {
        let id = reply.body["id"].as_i64().unwrap_or_default();
        return see_other(&format!("/board/sessions/{id}?created=1"));
    }
    let form = json!({"name": name, "exam_date": date});
    let errors = match reply.status {
        StatusCode::UNPROCESSABLE_ENTITY => problems(&reply),
        _ => vec![message(language.language, &reply)],
    };
    render_sessions(&state, language, api, &account, reply.status, form, errors).await
}

// ---------------------------------------------------------------- overview

/// What the forms of the overview show again after a refused post.
#[derive(Debug, Default)]
struct Posted {
    enrol: Value,
    assign: Value,
    csv: String,
    notice: Option<Value>,
}

async fn render_session(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    status: StatusCode,
    posted: Posted,
) -> Response {
    let lang = language.language;
    let session = match load_session(state, language, api, account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let exam = pinned_exam(api, &session);
    let parts = parts_view(exam.as_deref(), lang);
    let candidates = get(api, account, &format!("/api/sessions/{id}/candidates")).await;
    if !candidates.ok() {
        return refusal(state, language, account, &candidates);
    }
    let assignments = get(api, account, &format!("/api/sessions/{id}/assignments")).await;
    let assignments = assignments.body.as_array().cloned().unwrap_or_default();
    // Statuses come with the progress (present candidates only have positions).
    let progress = get(api, account, &format!("/api/sessions/{id}/progress")).await;
    let statuses: BTreeMap<String, String> = progress.body["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["number"].as_str().unwrap_or_default().to_owned(),
                c["status"].as_str().unwrap_or("present").to_owned(),
            )
        })
        .collect();
    let rows: Vec<Value> = candidates
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|candidate| {
            let number = candidate["number"].as_str().unwrap_or_default();
            let name = match (candidate["given_name"].as_str(), candidate["family_name"].as_str()) {
                (Some(given), Some(family)) => Some(format!("{given} {family}")),
                _ => None,
            };
            let examiners: Vec<String> = parts
                .iter()
                .map(|part| {
                    assignments
                        .iter()
                        .filter(|a| a["candidate_number"] == number && a["part"] == part["id"])
                        .filter_map(|a| a["examiner"].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect();
            let status = statuses.get(number).cloned().unwrap_or_else(|| "present".to_owned());
            json!({
                "number": number,
                "name": name,
                "examiners": examiners,
                "status_key": pages::candidate_status_key(&status),
                "status": status,
            })
        })
        .collect();
    let users = get(api, account, "/api/users").await;
    let examiners: Vec<String> = users
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter(|user| user["role"] == "examiner" || (session["kind"] == "mock" && user["role"] == "trainer"))
        .filter_map(|user| user["username"].as_str().map(str::to_owned))
        .collect();
    let current = session["state"].as_str().unwrap_or("enrolment").to_owned();
    let next = match current.as_str() {
        "enrolment" if rows.is_empty() => json!({"key": "board.next.enrolment_empty"}),
        "enrolment" => {
            json!({"key": "board.next.enrolment", "url": format!("/board/sessions/{id}/scoring"), "button": "board.next.open_scoring"})
        }
        "scoring" => {
            json!({"key": "board.next.scoring", "url": format!("/board/sessions/{id}/finalise"), "button": "board.next.finalise"})
        }
        "finalised" => {
            json!({"key": "board.next.finalised", "url": format!("/board/sessions/{id}/publish"), "button": "board.next.publish"})
        }
        _ => {
            json!({"key": "board.next.published", "url": format!("/board/sessions/{id}/results"), "button": "board.next.results"})
        }
    };
    let statuses: Vec<Value> = pages::CANDIDATE_STATUSES
        .iter()
        .map(|status| json!({"value": status, "key": pages::candidate_status_key(status)}))
        .collect();
    let mut enrol = posted.enrol;
    if enrol.is_null() {
        enrol = json!({});
    }
    let mut assign = posted.assign;
    if assign.is_null() {
        assign = json!({});
    }
    let view = json!({
        "account": account.view(),
        "session": session_view(&session),
        "candidates": rows,
        "assignment_count": assignments.len(),
        "parts": parts,
        "examiners": examiners,
        "statuses": statuses,
        "next": next,
        "can": {
            "enrol": current == "enrolment",
            "assign": (current == "enrolment" || current == "scoring") && !rows.is_empty(),
            "status": current == "enrolment" || current == "scoring",
        },
        "enrol": enrol,
        "assign": assign,
        "csv_text": posted.csv,
        "enrol_csv": Upload::Enrolment.view(id, account),
        "assign_csv": Upload::Assignments.view(id, account),
        "assign_csv_text": "",
        "notice": posted.notice,
    });
    render(state, language, status, Page::Session, &view)
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SessionNotices {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    enrolled: Option<String>,
    #[serde(default)]
    assigned: Option<String>,
    #[serde(default)]
    assigned_count: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    step: Option<String>,
}

pub(crate) async fn session(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(notices): Query<SessionNotices>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let lang = language.language;
    let success = |key: &str, arguments: &[(&str, String)]| {
        Some(notice("success", i18n::format(&i18n::translate(lang, key), arguments)))
    };
    let notice_value = if notices.created.is_some() {
        success("board.notice.created", &[])
    } else if let Some(count) = notices.enrolled {
        success("board.notice.enrolled", &[("count", count)])
    } else if let Some(text) = notices.assigned {
        success("board.notice.assigned", &[("assignment", text)])
    } else if let Some(count) = notices.assigned_count {
        success("board.notice.assigned_count", &[("count", count)])
    } else if let Some(number) = notices.status {
        success("board.notice.status", &[("number", number)])
    } else if let Some(step) = notices.step {
        let key = match step.as_str() {
            "scoring" => "board.notice.step.scoring",
            _ => "board.notice.step.published",
        };
        success(key, &[])
    } else {
        None
    };
    let posted = Posted { notice: notice_value, ..Posted::default() };
    render_session(&state, language, api, &account, id, StatusCode::OK, posted).await
}

pub(crate) async fn enrol_one(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let candidate = json!({
        "number": field(&fields, "number").trim(),
        "family_name": field(&fields, "family_name"),
        "given_name": field(&fields, "given_name"),
        "email": Some(field(&fields, "email").trim()).filter(|email| !email.is_empty()),
    });
    let body = json!({"candidates": [candidate]});
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call(Method::POST, &format!("/api/sessions/{id}/candidates"), &credentials, None, Some(&body))
        .await;
    if reply.ok() {
        return see_other(&format!("/board/sessions/{id}?enrolled=1"));
    }
    let mut enrol = candidate;
    enrol["errors"] = json!(match reply.status {
        StatusCode::UNPROCESSABLE_ENTITY => problems(&reply),
        _ => vec![message(language.language, &reply)],
    });
    let refused = (reply.status != StatusCode::UNPROCESSABLE_ENTITY)
        .then(|| notice("error", message(language.language, &reply)));
    let posted = Posted { enrol, notice: refused, ..Posted::default() };
    render_session(&state, language, api, &account, id, reply.status, posted).await
}

pub(crate) async fn assign(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let body = json!({
        "candidate_number": field(&fields, "candidate_number"),
        "part": field(&fields, "part"),
        "examiner": field(&fields, "examiner"),
    });
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call(Method::POST, &format!("/api/sessions/{id}/assignments"), &credentials, None, Some(&body))
        .await;
    if reply.ok() {
        let text = format!(
            "{} · {} · {}",
            field(&fields, "candidate_number"),
            field(&fields, "part"),
            field(&fields, "examiner")
        );
        return see_other(&format!("/board/sessions/{id}?assigned={}", encode(&text)));
    }
    let mut assign = body;
    assign["errors"] = json!(match reply.status {
        StatusCode::UNPROCESSABLE_ENTITY => problems(&reply),
        _ => vec![message(language.language, &reply)],
    });
    let refused = (reply.status != StatusCode::UNPROCESSABLE_ENTITY)
        .then(|| notice("error", message(language.language, &reply)));
    let posted = Posted { assign, notice: refused, ..Posted::default() };
    render_session(&state, language, api, &account, id, reply.status, posted).await
}

/// A session id and a candidate number in the path.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CandidatePath {
    id: i64,
    number: String,
}

pub(crate) async fn set_status(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<CandidatePath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&path.number) {
        return crate::not_found(State(state), language).await;
    }
    let body = json!({"status": field(&fields, "status")});
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let uri = format!("/api/sessions/{}/candidates/{}/status", path.id, path.number);
    let reply = api.call(Method::PUT, &uri, &credentials, None, Some(&body)).await;
    if reply.ok() {
        return see_other(&format!("/board/sessions/{}?status={}", path.id, encode(&path.number)));
    }
    let posted =
        Posted { notice: Some(notice("error", message(language.language, &reply))), ..Posted::default() };
    render_session(&state, language, api, &account, path.id, reply.status, posted).await
}

// ---------------------------------------------------------------- CSV uploads

/// The CSV uploads of the session page, which share one flow: a form with
/// the expected columns and a template, a preview that shows every problem
/// row before anything is saved, and a confirmation that saves all or
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upload {
    /// Candidates (`/board/sessions/{id}/enrolment/...`).
    Enrolment,
    /// Examiner assignments (`/board/sessions/{id}/assignments/...`).
    Assignments,
}

impl Upload {
    /// The API route that saves the file (`/preview` checks it).
    fn api(self, id: i64) -> String {
        match self {
            Upload::Enrolment => format!("/api/sessions/{id}/candidates/csv"),
            Upload::Assignments => format!("/api/sessions/{id}/assignments/csv"),
        }
    }

    /// The key of the rows in the API's preview.
    fn rows(self) -> &'static str {
        match self {
            Upload::Enrolment => "candidates",
            Upload::Assignments => "assignments",
        }
    }

    /// Where the browser goes once the file is saved.
    fn done(self, id: i64, reply: &Reply) -> String {
        match self {
            Upload::Enrolment => {
                let count = reply.body["enrolled"].as_u64().unwrap_or_default();
                format!("/board/sessions/{id}?enrolled={count}")
            }
            Upload::Assignments => {
                let count = reply.body["assigned"].as_u64().unwrap_or_default();
                format!("/board/sessions/{id}?assigned_count={count}")
            }
        }
    }

    /// What the templates need: the form's address, its element ids'
    /// prefix, its translation keys' prefix, the columns.
    fn view(self, id: i64, account: &Account) -> Value {
        let column = |names: &[&str], key: &str| json!({"names": names, "key": key});
        let (kind, prefix, keys, action, columns) = match self {
            Upload::Enrolment => (
                "enrolment",
                "csv",
                "board.csv",
                format!("/board/sessions/{id}/enrolment"),
                vec![
                    column(&["numero"], "board.csv.column.number"),
                    column(&["nom"], "board.csv.column.family_name"),
                    column(&["prenom"], "board.csv.column.given_name"),
                    column(&["courriel"], "board.csv.column.email"),
                ],
            ),
            Upload::Assignments => (
                "assignments",
                "assign-csv",
                "board.assign_csv",
                format!("/board/sessions/{id}/assignments"),
                vec![
                    column(&["numero"], "board.assign_csv.column.number"),
                    column(&["epreuve"], "board.assign_csv.column.part"),
                    column(&["expert 1", "expert 2"], "board.assign_csv.column.pair"),
                    column(&["expert"], "board.assign_csv.column.examiner"),
                ],
            ),
        };
        json!({"kind": kind, "prefix": prefix, "keys": keys, "action": action, "columns": columns,
               "csrf": account.csrf})
    }
}

/// The template offered for download: the expected columns and one
/// example row, UTF-8 with a BOM so that Excel reads the accents.
pub(crate) const CSV_TEMPLATE: &str =
    "\u{feff}numero,nom,prenom,courriel\r\n2026-101,Exemple,Anne,anne.exemple@example.ch\r\n";

/// A CSV file to download, UTF-8 with a BOM.
fn csv_download(text: String, filename: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

pub(crate) async fn csv_template(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(response) = board_account(&state, language, &headers, &uri).await {
        return response;
    }
    csv_download(CSV_TEMPLATE.to_owned(), "inscriptions-modele.csv")
}

/// The assignment template of a session: one row per enrolled candidate
/// and part of its blueprint, the two examiner cells to fill in.
fn assignment_template(numbers: &[&str], parts: &[String]) -> String {
    let mut text = String::from("\u{feff}numero,epreuve,expert 1,expert 2\r\n");
    for number in numbers {
        for part in parts {
            text.push_str(&format!("{number},{part},,\r\n"));
        }
    }
    text
}

pub(crate) async fn assignment_csv_template(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let session = match load_session(&state, language, api, &account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let candidates = get(api, &account, &format!("/api/sessions/{id}/candidates")).await;
    if !candidates.ok() {
        return refusal(&state, language, &account, &candidates);
    }
    let numbers: Vec<&str> =
        candidates.body.as_array().into_iter().flatten().filter_map(|c| c["number"].as_str()).collect();
    let exam = pinned_exam(api, &session);
    let parts: Vec<String> = parts_view(exam.as_deref(), language.language)
        .iter()
        .filter_map(|part| part["id"].as_str().map(str::to_owned))
        .collect();
    csv_download(assignment_template(&numbers, &parts), "attributions-modele.csv")
}

/// The text of line `line` (1 = header) of the uploaded CSV.
fn csv_line(text: &str, line: u64) -> String {
    let index = usize::try_from(line).unwrap_or(0);
    if index == 0 {
        return String::new();
    }
    text.lines().nth(index - 1).map(|row| short(row, 120)).unwrap_or_default()
}

/// The CSV as the form sent it, without a BOM and with `\n` line ends.
fn clean_csv(text: &str) -> String {
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n")
}

#[allow(clippy::too_many_arguments)]
fn render_preview(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    session: &Value,
    upload: Upload,
    status: StatusCode,
    csv: &str,
    reply: &Reply,
) -> Response {
    let (errors, rows) = if reply.ok() {
        (Vec::new(), reply.body[upload.rows()].as_array().cloned().unwrap_or_default())
    } else if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
        let errors = reply.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|error| {
                let line = error["line"].as_u64();
                json!({
                    "line": line,
                    "field": error["field"],
                    "detail": error["detail"],
                    "row": line.map(|line| csv_line(csv, line)).unwrap_or_default(),
                })
            })
            .collect();
        (errors, Vec::new())
    } else {
        let detail = message(language.language, reply);
        (vec![json!({"line": null, "field": null, "detail": detail, "row": ""})], Vec::new())
    };
    let id = session["id"].as_i64().unwrap_or_default();
    let view = json!({
        "account": account.view(),
        "session": session_view(session),
        "upload": upload.view(id, account),
        "csv": csv,
        "errors": errors,
        "rows": rows,
    });
    render(state, language, status, Page::CsvPreview, &view)
}

/// Checks the posted file with the API's preview and shows the result.
async fn upload_preview(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    id: i64,
    fields: Vec<(String, String)>,
    upload: Upload,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let session = match load_session(&state, language, api, &account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let csv = clean_csv(field(&fields, "csv"));
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let uri = format!("{}/preview", upload.api(id));
    let reply = api.call_raw(Method::POST, &uri, &credentials, "text/csv; charset=utf-8", csv.clone()).await;
    let status = if reply.ok() { StatusCode::OK } else { reply.status };
    render_preview(&state, language, &account, &session, upload, status, &csv, &reply)
}

/// Saves the posted file (all or nothing), or shows why not.
async fn upload_confirm(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    id: i64,
    fields: Vec<(String, String)>,
    upload: Upload,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let csv = clean_csv(field(&fields, "csv"));
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call_raw(Method::POST, &upload.api(id), &credentials, "text/csv; charset=utf-8", csv.clone())
        .await;
    if reply.ok() {
        return see_other(&upload.done(id, &reply));
    }
    let session = match load_session(&state, language, api, &account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    render_preview(&state, language, &account, &session, upload, reply.status, &csv, &reply)
}

pub(crate) async fn csv_preview(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    upload_preview(state, language, headers, uri, id, fields, Upload::Enrolment).await
}

pub(crate) async fn csv_confirm(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    upload_confirm(state, language, headers, uri, id, fields, Upload::Enrolment).await
}

pub(crate) async fn assignment_csv_preview(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    upload_preview(state, language, headers, uri, id, fields, Upload::Assignments).await
}

pub(crate) async fn assignment_csv_confirm(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    upload_confirm(state, language, headers, uri, id, fields, Upload::Assignments).await
}

// ---------------------------------------------------------------- progress

/// `?reopened=...` after a reopening.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ProgressQuery {
    #[serde(default)]
    reopened: Option<String>,
}

pub(crate) async fn progress(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(query): Query<ProgressQuery>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice_value = query.reopened.map(|what| {
        notice(
            "success",
            i18n::format(&i18n::translate(language.language, "board.reopen.done"), &[("what", what)]),
        )
    });
    render_progress(&state, language, api, &account, id, StatusCode::OK, notice_value).await
}

/// The progress page with a notice (after an action) or a refusal.
async fn render_progress(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    status: StatusCode,
    notice_value: Option<Value>,
) -> Response {
    let session = match load_session(state, language, api, account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let reply = get(api, account, &format!("/api/sessions/{id}/progress")).await;
    if !reply.ok() {
        return refusal(state, language, account, &reply);
    }
    let body = &reply.body;
    let count = |name: &str| body[name].as_u64().unwrap_or_default();
    let mut candidates = Vec::new();
    for candidate in body["candidates"].as_array().into_iter().flatten() {
        let status = candidate["status"].as_str().unwrap_or("present");
        let outcome = candidate["outcome"].as_str().unwrap_or("pending");
        let mut positions = Vec::new();
        let mut complete = true;
        for position in candidate["positions"].as_array().into_iter().flatten() {
            let names = |key: &str| -> Vec<String> {
                position[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            };
            let (assigned, submitted, drafts) = (names("assigned"), names("submitted"), names("drafts"));
            let expected =
                usize::try_from(position["expected"].as_u64().unwrap_or_default()).unwrap_or_default();
            let mut missing: Vec<String> =
                assigned.iter().filter(|name| !submitted.contains(name)).cloned().collect();
            let unassigned = expected.saturating_sub(assigned.len());
            if unassigned > 0 {
                missing.push(i18n::format(
                    &i18n::translate(language.language, "board.progress.unassigned"),
                    &[("count", unassigned.to_string())],
                ));
            }
            let discrepancy = position["discrepancy"].as_str().unwrap_or("none");
            let problem = !missing.is_empty() || discrepancy == "open" || !drafts.is_empty();
            complete &= !problem;
            positions.push(json!({
                "position": position["position"],
                "submitted_by": submitted,
                "examiners": assigned.join(", "),
                "missing": missing.join(", "),
                "drafts": drafts.join(", "),
                "discrepancy": discrepancy,
                "grade": position["grade"],
                "problem": problem,
            }));
        }
        if positions.is_empty() {
            positions.push(json!({"position": null}));
        }
        candidates.push(json!({
            "number": candidate["number"],
            "status_key": pages::candidate_status_key(status),
            "outcome_key": pages::outcome_key(outcome),
            "outcome": outcome,
            "complete": complete && outcome != "pending",
            "positions": positions,
        }));
    }
    let (expected, submitted) = (count("evaluations_expected"), count("evaluations_submitted"));
    let summary = json!({
        "expected": expected,
        "submitted": submitted,
        "missing": expected.saturating_sub(submitted),
        "drafts": count("drafts"),
        "open": count("open_discrepancies"),
        "pending": count("pending_candidates"),
        "ready": body["state"] == "scoring" && count("pending_candidates") == 0 && count("open_discrepancies") == 0 && count("drafts") == 0,
    });
    let view = json!({
        "account": account.view(),
        "session": session_view(&session),
        "session_id": id,
        "summary": summary,
        "candidates": candidates,
        "scoring": body["state"] == "scoring",
        "notice": notice_value,
    });
    render(state, language, status, Page::Progress, &view)
}

/// `POST /board/sessions/{id}/progress/reopen`: the board reopens an
/// examiner's submitted evaluation with a reason (the version is the one
/// stored now, read just before).
pub(crate) async fn reopen(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (number, position, examiner) =
        (field(&fields, "number"), field(&fields, "position"), field(&fields, "examiner"));
    if !plain(number) || !plain(position) || !plain(examiner) {
        return crate::not_found(State(state), language).await;
    }
    let base = format!("/api/sessions/{id}/candidates/{number}/positions/{position}");
    let list = get(api, &account, &format!("{base}/evaluations")).await;
    if !list.ok() {
        return refusal(&state, language, &account, &list);
    }
    let version = list.body["evaluations"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|evaluation| evaluation["examiner"] == examiner)
        .and_then(|evaluation| evaluation["version"].as_i64())
        .map(|version| version.to_string())
        .unwrap_or_default();
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let body = json!({"reason": field(&fields, "reason")});
    let reply = api
        .call(
            Method::POST,
            &format!("{base}/evaluations/{examiner}/reopen"),
            &credentials,
            Some(&version),
            Some(&body),
        )
        .await;
    let what = format!("{number} · {position} · {examiner}");
    if reply.ok() {
        return see_other(&format!("/board/sessions/{id}/progress?reopened={}", encode(&what)));
    }
    if reply.status == StatusCode::UNAUTHORIZED {
        return see_other("/login");
    }
    let detail = reply.body["errors"][0]["detail"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| message(language.language, &reply));
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_progress(
        &state,
        language,
        api,
        &account,
        id,
        status,
        Some(notice("error", format!("{what} : {detail}"))),
    )
    .await
}

// ---------------------------------------------------------------- steps

/// A step of the session's workflow, confirmed on its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Scoring,
    Finalise,
    Publish,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Scoring => "scoring",
            Step::Finalise => "finalise",
            Step::Publish => "publish",
        }
    }

    /// The state the session must be in.
    fn state_before(self) -> &'static str {
        match self {
            Step::Scoring => "enrolment",
            Step::Finalise => "scoring",
            Step::Publish => "finalised",
        }
    }

    fn effects(self) -> &'static [&'static str] {
        match self {
            Step::Scoring => &["board.step.scoring.effect.lock", "board.step.scoring.effect.examiners"],
            Step::Finalise => &[
                "board.step.finalise.effect.compute",
                "board.step.finalise.effect.lock",
                "board.step.finalise.effect.corrections",
            ],
            Step::Publish => &["board.step.publish.effect.candidates", "board.step.publish.effect.final"],
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_step(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    step: Step,
    status: StatusCode,
    refusal_text: Option<String>,
) -> Response {
    let lang = language.language;
    let session = match load_session(state, language, api, account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let available = session["state"] == step.state_before();
    let mut checks = Vec::new();
    if available {
        let check = |ok: bool, key: &str, arguments: &[(&str, String)], link: Option<String>| json!({"ok": ok, "text": i18n::format(&i18n::translate(lang, key), arguments), "link": link});
        match step {
            Step::Scoring => {
                let candidates = get(api, account, &format!("/api/sessions/{id}/candidates")).await;
                let count = candidates.body.as_array().map_or(0, Vec::len);
                checks.push(check(
                    count > 0,
                    "board.step.check.candidates",
                    &[("count", count.to_string())],
                    None,
                ));
            }
            Step::Finalise => {
                let progress = get(api, account, &format!("/api/sessions/{id}/progress")).await;
                let body = &progress.body;
                let link = Some(format!("/board/sessions/{id}/progress"));
                let pending: Vec<String> = body["candidates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|c| c["outcome"] == "pending")
                    .filter_map(|c| c["number"].as_str().map(str::to_owned))
                    .collect();
                let count = |name: &str| body[name].as_u64().unwrap_or_default();
                checks.push(if pending.is_empty() {
                    check(true, "board.step.check.no_pending", &[], None)
                } else {
                    check(
                        false,
                        "board.step.check.pending",
                        &[("count", pending.len().to_string()), ("numbers", pending.join(", "))],
                        link.clone(),
                    )
                });
                let open = count("open_discrepancies");
                checks.push(check(
                    open == 0,
                    "board.step.check.open",
                    &[("count", open.to_string())],
                    link.clone(),
                ));
                let drafts = count("drafts");
                checks.push(check(
                    drafts == 0,
                    "board.step.check.drafts",
                    &[("count", drafts.to_string())],
                    link,
                ));
            }
            Step::Publish => {
                checks.push(check(true, "board.step.check.finalised", &[], None));
            }
        }
    }
    let blocked = checks.iter().any(|check| check["ok"] == false);
    let name = step.name();
    let others: Vec<Value> = match session["state"].as_str() {
        Some("finalised") if step != Step::Publish => {
            vec![json!({"url": format!("/board/sessions/{id}/publish"), "key": "board.next.publish"})]
        }
        Some("finalised" | "published") => {
            vec![json!({"url": format!("/board/sessions/{id}/results"), "key": "board.next.results"})]
        }
        Some("enrolment") if step != Step::Scoring => {
            vec![json!({"url": format!("/board/sessions/{id}/scoring"), "key": "board.next.open_scoring"})]
        }
        _ => Vec::new(),
    };
    let view = json!({
        "account": account.view(),
        "session": session_view(&session),
        "refusal": refusal_text,
        "others": others,
        "step": {
            "title": format!("board.step.{name}.title"),
            "available": available,
            "effects": step.effects(),
            "checks": checks,
            "blocked": blocked,
            "action": format!("/board/sessions/{id}/{name}"),
            "confirm_label": format!("board.step.{name}.confirm"),
            "button": format!("board.step.{name}.button"),
            "unavailable": format!("board.step.{name}.unavailable"),
        },
    });
    render(state, language, status, Page::Confirm, &view)
}

async fn step_page(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    id: i64,
    step: Step,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    render_step(&state, language, api, &account, id, step, StatusCode::OK, None).await
}

async fn step_post(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    id: i64,
    step: Step,
    fields: Vec<(String, String)>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if field(&fields, "confirm") != "yes" {
        let text = i18n::translate(language.language, "board.step.confirm_missing");
        return render_step(
            &state,
            language,
            api,
            &account,
            id,
            step,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(text),
        )
        .await;
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call(Method::POST, &format!("/api/sessions/{id}/{}", step.name()), &credentials, None, None)
        .await;
    if reply.ok() {
        return match step {
            Step::Finalise => see_other(&format!("/board/sessions/{id}/results")),
            Step::Scoring => see_other(&format!("/board/sessions/{id}?step=scoring")),
            Step::Publish => see_other(&format!("/board/sessions/{id}?step=published")),
        };
    }
    let text = message(language.language, &reply);
    render_step(&state, language, api, &account, id, step, reply.status, Some(text)).await
}

macro_rules! step_handlers {
    ($page:ident, $post:ident, $step:expr) => {
        pub(crate) async fn $page(
            State(state): State<WebState>,
            language: PageLanguage,
            headers: HeaderMap,
            uri: Uri,
            Path(id): Path<i64>,
        ) -> Response {
            step_page(state, language, headers, uri, id, $step).await
        }

        pub(crate) async fn $post(
            State(state): State<WebState>,
            language: PageLanguage,
            headers: HeaderMap,
            uri: Uri,
            Path(id): Path<i64>,
            Form(fields): Form<Vec<(String, String)>>,
        ) -> Response {
            step_post(state, language, headers, uri, id, $step, fields).await
        }
    };
}

step_handlers!(scoring_page, scoring_post, Step::Scoring);
step_handlers!(finalise_page, finalise_post, Step::Finalise);
step_handlers!(publish_page, publish_post, Step::Publish);

// ---------------------------------------------------------------- results

// ---------------------------------------------------------------- audit and corrections

/// A value of an audit entry in words: statuses and outcomes translated.
fn audit_value(language: Language, key: &str, value: &Value) -> String {
    match value {
        Value::String(text) if key == "status" && pages::CANDIDATE_STATUSES.contains(&text.as_str()) => {
            i18n::translate(language, pages::candidate_status_key(text))
        }
        Value::String(text) if key == "status" && (text == "draft" || text == "submitted") => {
            i18n::translate(language, &format!("examiner.state.{text}"))
        }
        Value::String(text) if key == "outcome" => i18n::translate(language, pages::outcome_key(text)),
        Value::String(text) if text.len() >= 16 && text.as_bytes().get(10) == Some(&b'T') => when(text),
        Value::String(text) => text.clone(),
        Value::Null => "—".to_owned(),
        Value::Bool(true) => i18n::translate(language, "board.audit.yes"),
        Value::Bool(false) => i18n::translate(language, "board.audit.no"),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => i18n::format(
            &i18n::translate(language, "board.audit.items"),
            &[("count", items.len().to_string())],
        ),
        Value::Object(_) => short(&value.to_string(), 120),
    }
}

/// The fields of an audit value as `label: value` pairs, without the
/// session id (the page is the session's).
fn audit_fields(language: Language, value: &Value) -> Vec<Value> {
    let Some(object) = value.as_object() else {
        return if value.is_null() {
            Vec::new()
        } else {
            vec![json!({"label": "", "value": audit_value(language, "", value)})]
        };
    };
    let mut fields = Vec::new();
    for (key, value) in object {
        if key == "session_id" {
            continue;
        }
        if key == "assignment" && value.is_object() {
            fields.extend(audit_fields(language, value));
            continue;
        }
        let label = if pages::AUDIT_FIELDS.contains(&key.as_str()) {
            i18n::translate(language, &format!("board.audit.field.{key}"))
        } else {
            key.replace('_', " ")
        };
        fields.push(json!({"label": label, "value": audit_value(language, key, value)}));
    }
    fields
}

/// `2026-05-04T09:12:33Z` as Swiss local time, `04.05.2026 11:12`.
fn when(at: &str) -> String {
    grille_workflow::time::swiss_display(at)
}

/// The audit entries about candidate `number` in session `id`, newest first.
async fn candidate_audit(
    api: &Api,
    account: &Account,
    id: i64,
    number: &str,
    language: Language,
) -> Vec<Value> {
    let mut entries: Vec<Value> = Vec::new();
    let prefix = format!("{id}/{number}/");
    let queries = [
        format!("/api/audit?entity=candidate&entity_id={}&limit=1000", encode(number)),
        format!("/api/audit?entity=result&entity_id={}&limit=1000", encode(&format!("{id}/{number}"))),
        "/api/audit?entity=evaluation&limit=1000".to_owned(),
        "/api/audit?entity=agreed_evaluation&limit=1000".to_owned(),
        "/api/audit?entity=examiner_assignment&limit=1000".to_owned(),
    ];
    for query in &queries {
        let reply = get(api, account, query).await;
        for entry in reply.body.as_array().into_iter().flatten() {
            let entity = entry["entity"].as_str().unwrap_or_default();
            let entity_id = entry["entity_id"].as_str().unwrap_or_default();
            let after = &entry["after"];
            let before = &entry["before"];
            let session_of = |value: &Value| value["session_id"].as_i64();
            let ours = match entity {
                "evaluation" | "agreed_evaluation" => entity_id.starts_with(&prefix),
                "examiner_assignment" => {
                    session_of(after) == Some(id) && after["assignment"]["candidate_number"] == number
                }
                "candidate" => session_of(after).or(session_of(before)).is_none_or(|session| session == id),
                _ => true,
            };
            if ours {
                entries.push(entry.clone());
            }
        }
    }
    entries.sort_by_key(|entry| std::cmp::Reverse(entry["id"].as_i64().unwrap_or_default()));
    entries
        .iter()
        .map(|entry| {
            let action = entry["action"].as_str().unwrap_or_default();
            let entity = entry["entity"].as_str().unwrap_or_default();
            let entity_id = entry["entity_id"].as_str().unwrap_or_default();
            let detail = match entity {
                "evaluation" | "agreed_evaluation" => {
                    let mut parts = entity_id.split('/').skip(2);
                    let part = parts.next().unwrap_or_default();
                    let position = parts.next().unwrap_or_default();
                    Some(i18n::format(
                        &i18n::translate(language, "board.audit.position_detail"),
                        &[("part", part.to_owned()), ("position", position.to_owned())],
                    ))
                }
                _ => None,
            };
            // An evaluation's full content is in the appeal file; here its
            // state and version say what changed.
            let summarise = |value: &Value| -> Value {
                if matches!(entity, "evaluation" | "agreed_evaluation") && value.is_object() {
                    let mut summary = serde_json::Map::new();
                    for key in ["status", "version", "grade"] {
                        if let Some(field) = value.get(key).filter(|field| !field.is_null()) {
                            summary.insert(key.to_owned(), field.clone());
                        }
                    }
                    if let Some(answers) = value.pointer("/content/answers").or_else(|| value.get("answers"))
                    {
                        summary.insert("answers".to_owned(), answers.clone());
                    }
                    Value::Object(summary)
                } else {
                    value.clone()
                }
            };
            json!({
                "at": when(entry["at"].as_str().unwrap_or_default()),
                "actor": entry["actor"],
                "action": action,
                "action_key": pages::audit_action_key(action),
                "detail": detail,
                "before": audit_fields(language, &summarise(&entry["before"])),
                "after": audit_fields(language, &summarise(&entry["after"])),
            })
        })
        .collect()
}

/// A result (`{outcome, overall_grade}`) in words.
fn result_text(language: Language, value: &Value) -> String {
    let outcome =
        i18n::translate(language, pages::outcome_key(value["outcome"].as_str().unwrap_or("pending")));
    let grade = value["overall_grade"]
        .as_str()
        .or_else(|| value["overall"]["value"].as_str())
        .map(crate::grade_text)
        .unwrap_or_else(|| "—".to_owned());
    i18n::format(
        &i18n::translate(language, "board.candidate.result_short"),
        &[("outcome", outcome), ("grade", grade)],
    )
}

/// What the correction form shows again after a refused post.
#[derive(Debug, Default)]
struct CorrectionPosted {
    position: String,
    reason: String,
    answers: BTreeMap<String, String>,
    errors: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    corrected: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render_candidate(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    path: &CandidatePath,
    status: StatusCode,
    posted: Option<CorrectionPosted>,
    notice_value: Option<Value>,
) -> Response {
    let lang = language.language;
    let id = path.id;
    let session = match load_session(state, language, api, account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let file = get(api, account, &format!("/api/sessions/{id}/candidates/{}/file", path.number)).await;
    if !file.ok() {
        return refusal(state, language, account, &file);
    }
    let body = &file.body;
    let result = &body["result"];
    let corrections: Vec<Value> = body["corrections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|correction| {
            json!({
                "at": when(correction["corrected_at"].as_str().unwrap_or_default()),
                "by": correction["corrected_by"],
                "position": correction["position"],
                "reason": correction["reason"],
                "before": result_text(lang, &correction["before"]),
                "after": result_text(lang, &correction["after"]),
            })
        })
        .collect();
    let original =
        body["corrections"].get(0).map(|first| result_text(lang, &first["before"])).unwrap_or_default();
    let final_result = body["state"] == "finalised" || body["state"] == "published";
    let present = body["status"] == "present";
    let exam = pinned_exam(api, &session);
    let explanation: Option<grille_scoring::CandidateResult> =
        serde_json::from_value(result["explanation"].clone()).ok();
    let correction = match (&exam, &explanation) {
        (Some(exam), Some(explanation)) if final_result && present => {
            let posted = posted.unwrap_or_default();
            let chosen = if posted.position.is_empty() { String::new() } else { posted.position.clone() };
            let positions: Vec<Value> = exam
                .blueprint
                .parts
                .iter()
                .flat_map(|part| part.positions.iter())
                .map(|position| {
                    let grade = explanation
                        .parts
                        .iter()
                        .flat_map(|part| part.positions.iter())
                        .find(|scored| scored.position == position.id)
                        .and_then(|scored| scored.grade)
                        .map(grille_scoring::decimal::display_grade);
                    json!({"id": position.id, "title": position.title.get(lang.code()), "grade": grade})
                })
                .collect();
            let criteria = correction_criteria(exam, explanation, &chosen, &posted.answers);
            let source = explanation
                .parts
                .iter()
                .flat_map(|part| part.positions.iter())
                .find(|scored| scored.position == chosen)
                .map(|scored| {
                    if scored.agreed.is_some() {
                        i18n::translate(lang, "board.correction.source.agreed")
                    } else {
                        scored.evaluations.first().and_then(|e| e.examiner.clone()).unwrap_or_default()
                    }
                })
                .unwrap_or_default();
            Some(json!({
                "positions": positions,
                "position": chosen,
                "version": result["version"],
                "criteria": criteria,
                "source": source,
                "reason": posted.reason,
                "errors": posted.errors,
            }))
        }
        _ => None,
    };
    let correction_unavailable = if correction.is_some() {
        None
    } else if !final_result {
        Some("board.correction.unavailable.not_final")
    } else {
        Some("board.correction.unavailable.absent")
    };
    let status_text = body["status"].as_str().unwrap_or("present");
    let view = json!({
        "account": account.view(),
        "session": session_view(&session),
        "number": path.number,
        "status_key": pages::candidate_status_key(status_text),
        "result": result.is_object().then(|| json!({
            "outcome_key": pages::outcome_key(result["outcome"].as_str().unwrap_or("pending")),
            "grade": result["overall_grade"],
            "version": result["version"],
        })),
        "corrections": corrections,
        "original": original,
        "correction": correction,
        "correction_unavailable": correction_unavailable,
        "audit": candidate_audit(api, account, id, &path.number, lang).await,
        "notice": notice_value,
    });
    render(state, language, status, Page::Candidate, &view)
}

/// The criteria of the chosen position's rubric, each level checked as in
/// the official evaluation (or as posted).
fn correction_criteria(
    exam: &embedded::ExamDocuments,
    explanation: &grille_scoring::CandidateResult,
    position_id: &str,
    posted: &BTreeMap<String, String>,
) -> Vec<Value> {
    let Some(position) =
        exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()).find(|p| p.id == position_id)
    else {
        return Vec::new();
    };
    let scored =
        explanation.parts.iter().flat_map(|part| part.positions.iter()).find(|p| p.position == position_id);
    let Some(rubric) = scored
        .and_then(|scored| {
            exam.rubrics.iter().find(|r| r.id == scored.rubric.id && r.version == scored.rubric.version)
        })
        .or_else(|| exam.rubrics.iter().find(|r| r.id == position.rubric))
    else {
        return Vec::new();
    };
    let official = scored.and_then(|scored| scored.agreed.as_ref().or(scored.evaluations.first()));
    rubric
        .criteria
        .iter()
        .map(|criterion| {
            let mark = official
                .and_then(|evaluation| evaluation.criteria.iter().find(|c| c.criterion == criterion.id))
                .map(|c| c.mark);
            let chosen: Option<String> = match posted.get(&criterion.id) {
                Some(value) => Some(value.clone()),
                None if posted.is_empty() => match mark {
                    Some(grille_scoring::Mark::Points(points)) => Some(points.normalize().to_string()),
                    Some(grille_scoring::Mark::NotAssessable) => Some("na".to_owned()),
                    _ => None,
                },
                None => None,
            };
            let levels: Vec<Value> = criterion
                .levels
                .iter()
                .map(|level| {
                    let points = level.points.normalize().to_string();
                    json!({
                        "points": points,
                        "descriptor": level.descriptor,
                        "checked": chosen.as_deref() == Some(points.as_str()),
                        "input_id": format!("level-{}-{}", criterion.id, points),
                    })
                })
                .collect();
            json!({
                "id": criterion.id,
                "title": criterion.title,
                "levels": levels,
                "not_assessable_allowed": criterion.not_assessable_allowed,
                "na_checked": chosen.as_deref() == Some("na"),
            })
        })
        .collect()
}

pub(crate) async fn candidate_page(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<CandidatePath>,
    Query(query): Query<AuditQuery>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&path.number) {
        return crate::not_found(State(state), language).await;
    }
    let posted =
        CorrectionPosted { position: query.position.unwrap_or_default(), ..CorrectionPosted::default() };
    let notice_value = query.corrected.map(|grade| {
        notice(
            "success",
            i18n::format(&i18n::translate(language.language, "board.notice.corrected"), &[("grade", grade)]),
        )
    });
    render_candidate(&state, language, api, &account, &path, StatusCode::OK, Some(posted), notice_value).await
}

pub(crate) async fn correct(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<CandidatePath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&path.number) {
        return crate::not_found(State(state), language).await;
    }
    let position = field(&fields, "position").to_owned();
    let reason = field(&fields, "reason").to_owned();
    let answers: BTreeMap<String, String> = fields
        .iter()
        .filter_map(|(name, value)| name.strip_prefix("points-").map(|id| (id.to_owned(), value.clone())))
        .collect();
    let list: Vec<Value> = answers
        .iter()
        .map(|(criterion, value)| {
            if value == "na" {
                json!({"criterion": criterion, "not_assessable": true})
            } else {
                json!({"criterion": criterion, "points": value})
            }
        })
        .collect();
    let body = json!({"position": position, "reason": reason, "evaluation": {"answers": list}});
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let uri = format!("/api/sessions/{}/candidates/{}/corrections", path.id, path.number);
    let reply =
        api.call(Method::POST, &uri, &credentials, Some(field(&fields, "version")), Some(&body)).await;
    if reply.ok() {
        let grade =
            reply.body["overall_grade"].as_str().map(crate::grade_text).unwrap_or_else(|| "—".to_owned());
        return see_other(&format!(
            "/board/sessions/{}/candidates/{}/audit?corrected={}",
            path.id,
            encode(&path.number),
            encode(&grade)
        ));
    }
    let errors = match reply.status {
        StatusCode::UNPROCESSABLE_ENTITY => problems(&reply),
        _ => vec![message(language.language, &reply)],
    };
    let refused = (reply.status != StatusCode::UNPROCESSABLE_ENTITY)
        .then(|| notice("error", message(language.language, &reply)));
    let posted = CorrectionPosted { position, reason, answers, errors };
    render_candidate(&state, language, api, &account, &path, reply.status, Some(posted), refused).await
}

// ---------------------------------------------------------------- exports

pub(crate) async fn exports(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    let (account, api) = match board_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let session = match load_session(&state, language, api, &account, id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let candidates = get(api, &account, &format!("/api/sessions/{id}/candidates")).await;
    let numbers: Vec<Value> = candidates
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|candidate| candidate["number"].clone())
        .collect();
    let official = session["state"] == "finalised" || session["state"] == "published";
    let view = json!({
        "account": account.view(),
        "session": session_view(&session),
        "official": official,
        "layouts": [
            {"value": "candidate", "key": "board.exports.layout.candidate", "hint": "board.exports.layout.candidate_hint"},
            {"value": "criterion", "key": "board.exports.layout.criterion", "hint": "board.exports.layout.criterion_hint"},
        ],
        "candidates": numbers,
    });
    render(&state, language, StatusCode::OK, Page::Exports, &view)
}

/// The script of the CSV forms (reads a chosen CSV file into the form).
pub(crate) const SCRIPT: &str = include_str!("../assets/board.js");

pub(crate) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

pub(crate) async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], pages::STYLESHEET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_values_read_as_words() {
        let fields = audit_fields(
            Language::Fr,
            &json!({"session_id": 1, "status": "absent", "outcome": "failed", "answers": [1, 2], "reason": "Recours"}),
        );
        let text: Vec<String> = fields
            .iter()
            .map(|f| format!("{}={}", f["label"].as_str().unwrap(), f["value"].as_str().unwrap()))
            .collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text.iter().any(|t| t.ends_with("=absent·e (motif encore à décider)")), "{text:?}");
        assert!(text.iter().any(|t| t.ends_with("=échoué")), "{text:?}");
        assert_eq!(when("2026-05-04T09:12:33Z"), "04.05.2026 11:12");
        assert_eq!(when("2026-12-04T09:12:33Z"), "04.12.2026 10:12");
        assert_eq!(csv_line("a\nb\nc", 2), "b");
        assert_eq!(clean_csv("\u{feff}a\r\nb"), "a\nb");
        assert_eq!(
            assignment_template(&["A1", "A2"], &["1".to_owned(), "2".to_owned()]),
            "\u{feff}numero,epreuve,expert 1,expert 2\r\nA1,1,,\r\nA1,2,,\r\nA2,1,,\r\nA2,2,,\r\n"
        );
    }
}
