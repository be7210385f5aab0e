//! The appeal register of a session for the board: every appeal with the
//! day received against the last day of the appeal period (on time or
//! late), its status and decision, the correction proposals it led to and
//! the file consultation; a form to record an appeal, one per appeal to
//! update it (`If-Match` its version), and the CSV export. Available once
//! the results are final, as the decisions themselves (the API says 409
//! before, shown as the refusal page).

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::board::Page;
use grille_report::pages::AccountLayout;
use grille_server::{AppealRecord, AppealRequest, AppealStatus};
use serde::{Deserialize, Serialize};

use super::{Notice, SessionHeader, field, refusal_lines, render};
use crate::auth_pages::see_other;
use crate::page::{BoardAccount, PageError};

const STATUSES: [AppealStatus; 6] = [
    AppealStatus::Received,
    AppealStatus::UnderReview,
    AppealStatus::Upheld,
    AppealStatus::PartlyUpheld,
    AppealStatus::Rejected,
    AppealStatus::Withdrawn,
];

/// `2027-07-01` as `01.07.2027`.
fn swiss(iso: &str) -> String {
    grille_workflow::appeal::Date::parse(iso).map(|date| date.swiss()).unwrap_or_else(|_| iso.to_owned())
}

fn swiss_or_empty(iso: &Option<String>) -> String {
    iso.as_deref().map(swiss).unwrap_or_default()
}

/// An appeal as a row and its form show it.
#[derive(Debug, Default, Serialize)]
struct Row {
    id: i64,
    version: i64,
    candidate_number: String,
    received_on: String,
    deadline: Option<String>,
    /// `on_time`, `late` or `unknown`.
    timeliness: &'static str,
    status: String,
    status_key: String,
    decided_on: String,
    corrections: String,
    consultation_requested_on: String,
    consultation_held_on: String,
    note: String,
    errors: Vec<String>,
}

#[derive(Debug, Serialize)]
struct StatusChoice {
    code: &'static str,
    key: String,
}

#[derive(Debug, Serialize)]
struct AppealsPage {
    account: AccountLayout,
    session: SessionHeader,
    appeals: Vec<Row>,
    /// The form recording a new appeal (as posted, after a refusal).
    new: Row,
    candidates: Vec<String>,
    statuses: Vec<StatusChoice>,
    notice: Option<Notice>,
    /// The results are not final yet: no decision, so no appeal; the page
    /// says so instead of a register.
    not_final: bool,
}

fn row(view: &AppealRecord) -> Row {
    Row {
        id: view.id,
        version: view.version,
        candidate_number: view.candidate_number.clone(),
        received_on: swiss(&view.received_on),
        deadline: view.deadline.as_deref().map(swiss),
        timeliness: match view.on_time {
            Some(true) => "on_time",
            Some(false) => "late",
            None => "unknown",
        },
        status: view.status.code().to_owned(),
        status_key: format!("appeals.status.{}", view.status.code()),
        decided_on: swiss_or_empty(&view.decided_on),
        corrections: view.corrections.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
        consultation_requested_on: swiss_or_empty(&view.consultation_requested_on),
        consultation_held_on: swiss_or_empty(&view.consultation_held_on),
        note: view.note.clone().unwrap_or_default(),
        errors: Vec::new(),
    }
}

async fn render_page(
    board: &BoardAccount,
    id: i64,
    status: StatusCode,
    posted: Option<Row>,
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let session = board.session(id).await?;
    let not_final = !session.state.is_final();
    let views: Vec<AppealRecord> =
        if not_final { Vec::new() } else { board.get(&format!("/api/sessions/{id}/appeals")).await? };
    let candidates = board.candidates(id).await?.into_iter().map(|candidate| candidate.number).collect();
    let mut appeals: Vec<Row> = views.iter().map(row).collect();
    let mut new = Row { status: "received".to_owned(), ..Row::default() };
    if let Some(posted) = posted {
        match appeals.iter_mut().find(|row| row.id == posted.id && posted.id != 0) {
            Some(shown) => *shown = posted,
            None => new = posted,
        }
    }
    let view = AppealsPage {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        appeals,
        new,
        candidates,
        statuses: STATUSES
            .iter()
            .map(|status| StatusChoice {
                code: status.code(),
                key: format!("appeals.status.{}", status.code()),
            })
            .collect(),
        notice,
        not_final,
    };
    Ok(render(board, status, Page::Appeals, &view))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Saved {
    saved: Option<String>,
}

pub(crate) async fn page(
    board: BoardAccount,
    Path(id): Path<i64>,
    Query(query): Query<Saved>,
) -> Result<Response, PageError> {
    let notice = query.saved.map(|_| Notice::success(board.tr("appeals.notice.saved")));
    render_page(&board, id, StatusCode::OK, None, notice).await
}

/// The form as posted, and the request it makes (`None`: a status the
/// form does not offer).
fn posted(fields: &[(String, String)]) -> (Row, Option<AppealRequest>) {
    let text = |name: &str| field(fields, name).trim().to_owned();
    let row = Row {
        id: text("id").parse().unwrap_or(0),
        version: text("version").parse().unwrap_or(0),
        candidate_number: text("candidate_number"),
        received_on: text("received_on"),
        status: text("status"),
        status_key: "appeals.status.received".to_owned(),
        decided_on: text("decided_on"),
        corrections: text("corrections"),
        consultation_requested_on: text("consultation_requested_on"),
        consultation_held_on: text("consultation_held_on"),
        note: field(fields, "note").to_owned(),
        timeliness: "unknown",
        ..Row::default()
    };
    let status = STATUSES.iter().copied().find(|status| status.code() == row.status);
    let optional = |value: &str| Some(value.to_owned()).filter(|value| !value.is_empty());
    let request = status.map(|status| AppealRequest {
        candidate_number: row.candidate_number.clone(),
        received_on: row.received_on.clone(),
        status,
        decided_on: optional(&row.decided_on),
        // A number that is not one is sent as 0: the API names it.
        corrections: row
            .corrections
            .split([',', ' ', ';'])
            .filter(|part| !part.is_empty())
            .map(|part| part.parse().unwrap_or(0))
            .collect(),
        consultation_requested_on: optional(&row.consultation_requested_on),
        consultation_held_on: optional(&row.consultation_held_on),
        note: optional(row.note.trim()),
    });
    (row, request)
}

pub(crate) async fn save(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (mut row, request) = posted(&fields);
    let Some(request) = request else {
        row.errors.push(board.tr("appeals.error.status"));
        return render_page(&board, id, StatusCode::UNPROCESSABLE_ENTITY, Some(row), None).await;
    };
    let csrf = field(&fields, "csrf");
    let answer = if row.id == 0 {
        board
            .send::<AppealRecord>(
                Method::POST,
                &format!("/api/sessions/{id}/appeals"),
                csrf,
                None,
                Some(&request),
            )
            .await
    } else {
        let uri = format!("/api/sessions/{id}/appeals/{}", row.id);
        let version = row.version.to_string();
        board.send::<AppealRecord>(Method::PUT, &uri, csrf, Some(&version), Some(&request)).await
    };
    match answer {
        Ok(_) => Ok(see_other(&format!("/board/sessions/{id}/appeals?saved=1"))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            row.errors = refusal_lines(&board, &reply);
            render_page(&board, id, reply.status, Some(row), None).await
        }
    }
}
