//! The work candidates handed in, for the board and for trainers (their
//! school's mock sessions): one PDF per candidate and position, uploaded,
//! replaced or removed through the API (which checks the file and who
//! may), each shown with a link to the file.
//!
//! Routes: `GET /{board,trainer}/sessions/{id}/submissions`, `POST
//! .../submissions/{number}/{position}` (multipart upload) and `POST
//! .../submissions/{number}/{position}/delete`; the windows in which
//! candidates hand in their work themselves: `POST
//! .../submissions/windows/{position}` (open or move the deadline) and
//! `.../windows/{position}/close`.

use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use grille_report::cases::Page;
use grille_report::i18n::{self, Language};
use grille_server::{SessionSubmission, SubmissionWindowView};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Notice, Outcome, PositionColumn, field, get, internal, plain, problems_of, read_multipart, refusal,
    render, role_base, size_text, staff_account, typed,
};
use crate::api::Api;
use crate::auth_pages::{Account, see_other};
use crate::{PageLanguage, WebState};

#[derive(Debug, Serialize)]
struct FileView {
    name: String,
    size: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct CellView {
    id: String,
    position: String,
    file: Option<FileView>,
    upload: String,
    remove: String,
}

#[derive(Debug, Serialize)]
struct RowView {
    number: String,
    status: String,
    status_key: &'static str,
    cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct WindowRow {
    position: String,
    title: String,
    id: String,
    window: Option<SubmissionWindowView>,
    /// Where the deadline form posts.
    action: String,
}

#[derive(Debug, Serialize)]
struct SessionView {
    id: i64,
    name: String,
    back: String,
}

#[derive(Debug, Serialize)]
struct SubmissionsView {
    account: grille_report::pages::AccountLayout,
    session: SessionView,
    positions: Vec<PositionColumn>,
    /// Per position: the window in which candidates hand in themselves.
    windows: Vec<WindowRow>,
    rows: Vec<RowView>,
    errors: Vec<String>,
    notice: Option<Notice>,
}

/// `?done=...` after a redirect.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

fn notice_of(language: Language, query: &DoneQuery) -> Option<Notice> {
    let key = match query.done.as_deref()? {
        "uploaded" => "submissions.done.uploaded",
        "removed" => "submissions.done.removed",
        "window" => "submissions.done.window",
        "window_closed" => "submissions.done.window_closed",
        _ => return None,
    };
    Some(Notice { kind: "success", text: i18n::translate(language, key) })
}

fn api_uri(id: i64, number: &str, position: &str) -> String {
    format!("/api/sessions/{id}/candidates/{number}/positions/{position}/submission")
}

async fn render_submissions(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    outcome: Outcome,
) -> Response {
    let Outcome { status, errors, notice, .. } = outcome;
    let session = get(api, account, &format!("/api/sessions/{id}")).await;
    if !session.ok() {
        return refusal(state, language, account, &session);
    }
    let candidates = get(api, account, &format!("/api/sessions/{id}/candidates")).await;
    if !candidates.ok() {
        return refusal(state, language, account, &candidates);
    }
    let files = get(api, account, &format!("/api/sessions/{id}/submissions")).await;
    if !files.ok() {
        return refusal(state, language, account, &files);
    }
    let files: Vec<SessionSubmission> = match typed(&files) {
        Ok(files) => files,
        Err(detail) => return internal(state, language, account, detail),
    };
    let windows = get(api, account, &format!("/api/sessions/{id}/submission-windows")).await;
    let windows: Vec<SubmissionWindowView> = match typed(&windows) {
        Ok(windows) => windows,
        Err(detail) => return internal(state, language, account, detail),
    };
    let code = language.language.code();
    let positions: Vec<PositionColumn> = api
        .pinned_exam(id)
        .iter()
        .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
        .map(|position| PositionColumn {
            id: position.id.clone(),
            title: position.title.get(code).to_owned(),
        })
        .collect();
    let base = format!("{}/sessions/{id}/submissions", role_base(account));
    let windows = positions
        .iter()
        .map(|position| WindowRow {
            position: position.id.clone(),
            title: position.title.clone(),
            id: position.id.replace('.', "-"),
            window: windows.iter().find(|window| window.position == position.id).cloned(),
            action: format!("{base}/windows/{}", position.id),
        })
        .collect();
    let rows = candidates
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|candidate| {
            let number = candidate["number"].as_str()?.to_owned();
            let status = candidate["status"].as_str().unwrap_or("present").to_owned();
            let cells = positions
                .iter()
                .map(|position| {
                    let file = files
                        .iter()
                        .find(|file| file.candidate == number && file.position == position.id)
                        .map(|file| FileView {
                            name: file.file.file_name.clone(),
                            size: size_text(u64::try_from(file.file.size).unwrap_or_default()),
                            url: api_uri(id, &number, &position.id),
                        });
                    CellView {
                        id: format!("{number}-{}", position.id.replace('.', "-")),
                        position: position.id.clone(),
                        file,
                        upload: format!("{base}/{number}/{}", position.id),
                        remove: format!("{base}/{number}/{}/delete", position.id),
                    }
                })
                .collect();
            Some(RowView {
                status_key: grille_report::board::candidate_status_key(&status),
                number,
                status,
                cells,
            })
        })
        .collect();
    let view = SubmissionsView {
        account: account.view(),
        session: SessionView {
            id,
            name: session.body["name"].as_str().unwrap_or_default().to_owned(),
            back: format!("{}/sessions/{id}", role_base(account)),
        },
        positions,
        windows,
        rows,
        errors,
        notice,
    };
    render(state, language, status, Page::Submissions, &view)
}

pub(crate) async fn page(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = notice_of(language.language, &query);
    render_submissions(&state, language, api, &account, id, Outcome::ok(notice)).await
}

/// The refusal of an upload or removal, shown on the page with the
/// candidate and position it concerns.
async fn refused(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    (number, position): (&str, &str),
    reply: &crate::api::Reply,
) -> Response {
    if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
        && reply.kind() != "urn:grille:csrf"
        && !reply.body["errors"].is_array()
    {
        return refusal(state, language, account, reply);
    }
    let errors = problems_of(language.language, reply)
        .into_iter()
        .map(|(_, detail)| format!("{number} · {position} : {detail}"))
        .collect();
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_submissions(state, language, api, account, id, Outcome::refused(status, errors)).await
}

pub(crate) async fn upload(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, number, position)): Path<(i64, String, String)>,
    multipart: Multipart,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&number) || !plain(&position) {
        return refusal(&state, language, &account, &not_found());
    }
    let uploaded = match read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            let outcome = Outcome::refused(StatusCode::BAD_REQUEST, vec![reason]);
            return render_submissions(&state, language, api, &account, id, outcome).await;
        }
    };
    let credentials = account.credentials(Some(field(&uploaded.fields, "csrf")));
    let Some((name, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let errors = vec![format!(
            "{number} · {position} : {}",
            i18n::translate(language.language, "submissions.no_file")
        )];
        let outcome = Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors);
        return render_submissions(&state, language, api, &account, id, outcome).await;
    };
    let target = format!("{}?name={}", api_uri(id, &number, &position), crate::auth_pages::encode(&name));
    let reply = api.call_bytes(Method::PUT, &target, &credentials, None, "application/pdf", bytes).await;
    if reply.ok() {
        return see_other(&format!("{}/sessions/{id}/submissions?done=uploaded", role_base(&account)));
    }
    refused(&state, language, api, &account, id, (&number, &position), &reply).await
}

pub(crate) async fn remove(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, number, position)): Path<(i64, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&number) || !plain(&position) {
        return refusal(&state, language, &account, &not_found());
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api.call(Method::DELETE, &api_uri(id, &number, &position), &credentials, None, None).await;
    if reply.ok() {
        return see_other(&format!("{}/sessions/{id}/submissions?done=removed", role_base(&account)));
    }
    refused(&state, language, api, &account, id, (&number, &position), &reply).await
}

/// Opens the candidates' window of a position, or moves its deadline.
pub(crate) async fn open_window(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, position)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&position) {
        return refusal(&state, language, &account, &not_found());
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let body = serde_json::json!({"closes_at": field(&fields, "closes_at")});
    let target = format!("/api/sessions/{id}/submission-windows/{position}");
    let reply = api.call(Method::PUT, &target, &credentials, None, Some(&body)).await;
    if reply.ok() {
        return see_other(&format!("{}/sessions/{id}/submissions?done=window", role_base(&account)));
    }
    window_refused(&state, language, api, &account, id, &position, &reply).await
}

/// Closes the candidates' window of a position.
pub(crate) async fn close_window(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, position)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&position) {
        return refusal(&state, language, &account, &not_found());
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let target = format!("/api/sessions/{id}/submission-windows/{position}");
    let reply = api.call(Method::DELETE, &target, &credentials, None, None).await;
    if reply.ok() {
        return see_other(&format!("{}/sessions/{id}/submissions?done=window_closed", role_base(&account)));
    }
    window_refused(&state, language, api, &account, id, &position, &reply).await
}

async fn window_refused(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    position: &str,
    reply: &crate::api::Reply,
) -> Response {
    if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        && reply.kind() != "urn:grille:csrf"
    {
        return refusal(state, language, account, reply);
    }
    let errors = problems_of(language.language, reply)
        .into_iter()
        .map(|(_, detail)| format!("{position} : {detail}"))
        .collect();
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_submissions(state, language, api, account, id, Outcome::refused(status, errors)).await
}

fn not_found() -> crate::api::Reply {
    crate::api::Reply { status: StatusCode::NOT_FOUND, headers: HeaderMap::new(), body: Value::Null }
}
