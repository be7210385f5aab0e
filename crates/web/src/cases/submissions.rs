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

use axum::extract::{Form, Multipart, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::cases::Page;
use grille_report::i18n::Language;
use grille_scoring::CandidateStatus;
use grille_server::{
    CandidateView, SessionSubmission, SessionView, SubmissionView, SubmissionWindowView, WindowRequest,
};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::{
    Notice, Outcome, PositionColumn, field, plain, read_multipart, render, role_base, size_text, status_key,
};
use crate::api::Refusal;
use crate::auth_pages::see_other;
use crate::page::{PageError, StaffAccount};

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
    status: CandidateStatus,
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
struct SessionLink {
    id: i64,
    name: String,
    back: String,
}

#[derive(Debug, Serialize)]
struct SubmissionsView {
    account: grille_report::pages::AccountLayout,
    session: SessionLink,
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
    Some(Notice::success(grille_report::i18n::translate(language, key)))
}

fn api_uri(id: i64, number: &str, position: &str) -> String {
    format!("/api/sessions/{id}/candidates/{number}/positions/{position}/submission")
}

async fn render_submissions(staff: &StaffAccount, id: i64, outcome: Outcome) -> Result<Response, PageError> {
    let Outcome { status, errors, notice, .. } = outcome;
    let session: SessionView = staff.get(&format!("/api/sessions/{id}")).await?;
    let candidates: Vec<CandidateView> = staff.get(&format!("/api/sessions/{id}/candidates")).await?;
    let files: Vec<SessionSubmission> = staff.get(&format!("/api/sessions/{id}/submissions")).await?;
    let windows: Vec<SubmissionWindowView> =
        staff.get(&format!("/api/sessions/{id}/submission-windows")).await?;
    let code = staff.language.language.code();
    let positions: Vec<PositionColumn> = staff
        .api
        .pinned_exam(id)
        .iter()
        .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
        .map(|position| PositionColumn {
            id: position.id.clone(),
            title: position.title.get(code).to_owned(),
        })
        .collect();
    let base = format!("{}/sessions/{id}/submissions", role_base(staff));
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
        .into_iter()
        .map(|candidate| {
            let number = candidate.number;
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
            RowView { status_key: status_key(candidate.status), number, status: candidate.status, cells }
        })
        .collect();
    let view = SubmissionsView {
        account: staff.account.view(),
        session: SessionLink { id, name: session.name, back: format!("{}/sessions/{id}", role_base(staff)) },
        positions,
        windows,
        rows,
        errors,
        notice,
    };
    Ok(render(staff, status, Page::Submissions, &view))
}

pub(crate) async fn page(
    staff: StaffAccount,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = notice_of(staff.language.language, &query);
    render_submissions(&staff, id, Outcome::ok(notice)).await
}

/// After an upload, a removal or a change of a window: back to the page
/// with `done`, or the page again with the problems of a refusal, each
/// prefixed with what it concerns (a refusal that is not the form's, and
/// a session or candidate out of reach, is the refusal page).
async fn after(
    staff: &StaffAccount,
    id: i64,
    concerns: &str,
    sent: Result<(), Refusal>,
    done: &str,
) -> Result<Response, PageError> {
    let refusal = match sent {
        Ok(()) => {
            return Ok(see_other(&format!("{}/sessions/{id}/submissions?done={done}", role_base(staff))));
        }
        Err(refusal) => refusal,
    };
    let reply = staff.form_refusal(refusal)?;
    if matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
        return Err(staff.refused(reply));
    }
    let errors = reply
        .problems(staff.language.language, false)
        .into_iter()
        .map(|detail| grille_report::i18n::labelled(staff.language.language, concerns, &detail))
        .collect();
    render_submissions(staff, id, Outcome::refused(reply.status, errors)).await
}

pub(crate) async fn upload(
    staff: StaffAccount,
    Path((id, number, position)): Path<(i64, String, String)>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    if !plain(&number) || !plain(&position) {
        return Err(staff.not_found());
    }
    let uploaded = match read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            let outcome = Outcome::refused(StatusCode::BAD_REQUEST, vec![reason]);
            return render_submissions(&staff, id, outcome).await;
        }
    };
    let csrf = field(&uploaded.fields, "csrf");
    let Some((name, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let errors = vec![grille_report::i18n::labelled(
            staff.language.language,
            &format!("{number} · {position}"),
            &staff.tr("submissions.no_file"),
        )];
        let outcome = Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors);
        return render_submissions(&staff, id, outcome).await;
    };
    let target = format!("{}?name={}", api_uri(id, &number, &position), crate::auth_pages::encode(&name));
    let sent = staff
        .send_file::<SubmissionView>(Method::PUT, &target, csrf, None, "application/pdf", bytes)
        .await
        .map(|_| ());
    after(&staff, id, &format!("{number} · {position}"), sent, "uploaded").await
}

pub(crate) async fn remove(
    staff: StaffAccount,
    Path((id, number, position)): Path<(i64, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&number) || !plain(&position) {
        return Err(staff.not_found());
    }
    let uri = api_uri(id, &number, &position);
    let sent =
        staff.send::<IgnoredAny>(Method::DELETE, &uri, field(&fields, "csrf"), None, None::<&()>).await;
    after(&staff, id, &format!("{number} · {position}"), sent.map(|_| ()), "removed").await
}

/// Opens the candidates' window of a position, or moves its deadline.
pub(crate) async fn open_window(
    staff: StaffAccount,
    Path((id, position)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&position) {
        return Err(staff.not_found());
    }
    let request = WindowRequest { closes_at: field(&fields, "closes_at").to_owned() };
    let uri = format!("/api/sessions/{id}/submission-windows/{position}");
    let sent = staff
        .send::<SubmissionWindowView>(Method::PUT, &uri, field(&fields, "csrf"), None, Some(&request))
        .await;
    after(&staff, id, &position, sent.map(|_| ()), "window").await
}

/// Closes the candidates' window of a position.
pub(crate) async fn close_window(
    staff: StaffAccount,
    Path((id, position)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&position) {
        return Err(staff.not_found());
    }
    let uri = format!("/api/sessions/{id}/submission-windows/{position}");
    let sent =
        staff.send::<IgnoredAny>(Method::DELETE, &uri, field(&fields, "csrf"), None, None::<&()>).await;
    after(&staff, id, &position, sent.map(|_| ()), "window_closed").await
}
