//! The page "Simulation « et si » / Was-wäre-wenn" of a session, reached
//! from its quality page: the board's (`/board/sessions/{id}/what-if`)
//! and a trainer's for a mock session of their school
//! (`/trainer/sessions/{id}/what-if`). `GET` shows the form filled with
//! the session's own settings; `POST` sends the form as the API's typed
//! request (`POST /api/sessions/{id}/what-if`, [`WhatIfRequest`]) and
//! shows the candidates who would change. The API decides who may
//! simulate and checks every value; nothing is stored by either.
//!
//! After a simulation the page offers its comparison as a CSV file: a
//! form whose hidden fields carry the simulated settings, sent to
//! `POST …/what-if/csv`, which reads them as the simulation's form and
//! asks the API for the same comparison as a file
//! (`POST /api/sessions/{id}/what-if/csv?lang=…`, grille-report's what-if
//! CSV) in the reader's language: exactly the candidates the page showed.

use axum::Form;
use axum::extract::{Path, RawQuery};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::quality::Frame;
use grille_report::what_if::{FieldProblem, WhatIfPage, form_values, request_from_form, what_if_page};
use grille_server::WhatIfView;

use crate::api::Refusal;
use crate::page::{BoardAccount, PageError, TrainerAccount, Visit};

pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/board/sessions/{id}/what-if", get(board).post(board_simulate))
        .route("/trainer/sessions/{id}/what-if", get(trainer).post(trainer_simulate))
        .route("/board/sessions/{id}/what-if/csv", axum::routing::post(board_csv))
        .route("/trainer/sessions/{id}/what-if/csv", axum::routing::post(trainer_csv))
}

fn uri(id: i64) -> String {
    format!("/api/sessions/{id}/what-if")
}

fn respond(
    visit: &Visit,
    status: StatusCode,
    view: &WhatIfView,
    page: &WhatIfPage<'_>,
    frame: &Frame,
    query: Option<&str>,
) -> Response {
    let environment = visit.state.environment_for(query, Some(&visit.account));
    let html = what_if_page(&environment, view, page, frame, &visit.account.view(), visit.language.language);
    visit.language.respond(status, html)
}

/// The form with the session's own settings.
async fn show(visit: &Visit, id: i64, frame: Frame, query: Option<String>) -> Result<Response, PageError> {
    let view: WhatIfView = visit.get(&uri(id)).await?;
    let values = form_values(&view.pinned);
    let page = WhatIfPage { values: &values, problems: &[], simulated: false };
    Ok(respond(visit, StatusCode::OK, &view, &page, &frame, query.as_deref()))
}

/// A form of another login session is refused before anything, as the
/// API refuses it, even when the form's numbers cannot be read.
fn checked_csrf<'a>(visit: &Visit, fields: &'a [(String, String)]) -> Result<&'a str, PageError> {
    let csrf = crate::cases::field(fields, "csrf");
    if csrf.is_empty() || csrf != visit.account.csrf {
        return Err(visit.error(
            StatusCode::FORBIDDEN,
            "examiner.error.forbidden",
            visit.tr("examiner.error.csrf"),
        ));
    }
    Ok(csrf)
}

/// The problems of a refusal of the API, for the form to show.
fn refusal_problems(visit: &Visit, refusal: Refusal) -> Result<(StatusCode, Vec<FieldProblem>), PageError> {
    let reply = visit.form_refusal(refusal)?;
    let problem = reply.problem();
    let mut problems: Vec<FieldProblem> = problem
        .errors
        .iter()
        .map(|error| FieldProblem {
            // A document's problem reads in the page's language; the
            // API's own sentences are French.
            french: error.code.is_none(),
            field: error.pointer.clone().or_else(|| error.field.clone()).unwrap_or_default(),
            detail: crate::api::error_text(error, visit.language.language),
        })
        .collect();
    if problems.is_empty() {
        // A refusal with a code is said in the reader's language.
        let french = problem.code.is_none();
        problems.push(FieldProblem { field: String::new(), detail: reply.detail(), french });
    }
    Ok((reply.status, problems))
}

/// The form sent: the simulation (or, with `csv`, its comparison as a
/// file), or the form again with its problems.
async fn simulate(
    visit: &Visit,
    id: i64,
    frame: Frame,
    fields: Vec<(String, String)>,
    csv: bool,
) -> Result<Response, PageError> {
    let csrf = checked_csrf(visit, &fields)?;
    // The pinned settings (and the access check) first: the form edits a
    // copy of them.
    let pinned: WhatIfView = visit.get(&uri(id)).await?;
    let typed: std::collections::BTreeMap<String, String> =
        fields.iter().filter(|(name, _)| name != "csrf").cloned().collect();
    let refused = |status: StatusCode, problems: Vec<FieldProblem>| {
        let page = WhatIfPage { values: &typed, problems: &problems, simulated: false };
        respond(visit, status, &pinned, &page, &frame, None)
    };
    let request = match request_from_form(&fields, &pinned.pinned, visit.language.language) {
        Ok(request) => request,
        Err(problems) => return Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, problems)),
    };
    if csv {
        let file = format!("{}/csv?lang={}", uri(id), visit.language.language.code());
        return match visit.api.download(Method::POST, &file, &visit.writing(csrf), &request).await {
            Ok((headers, bytes)) => Ok(attachment(&headers, bytes)),
            Err(refusal) => {
                let (status, problems) = refusal_problems(visit, refusal)?;
                Ok(refused(status, problems))
            }
        };
    }
    match visit.send::<WhatIfView>(Method::POST, &uri(id), csrf, None, Some(&request)).await {
        Ok(view) => {
            let values = form_values(&view.simulated);
            let page = WhatIfPage { values: &values, problems: &[], simulated: true };
            Ok(respond(visit, StatusCode::OK, &view, &page, &frame, None))
        }
        Err(refusal) => {
            let (status, problems) = refusal_problems(visit, refusal)?;
            Ok(refused(status, problems))
        }
    }
}

/// The API's file, with its type and name.
fn attachment(headers: &axum::http::HeaderMap, bytes: axum::body::Bytes) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse as _;
    let mut response = (StatusCode::OK, bytes).into_response();
    for name in [header::CONTENT_TYPE, header::CONTENT_DISPOSITION] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

fn board_frame(id: i64) -> Frame {
    Frame { base: format!("/board/sessions/{id}"), board: true }
}

fn trainer_frame(id: i64) -> Frame {
    Frame { base: format!("/trainer/sessions/{id}"), board: false }
}

/// `GET /board/sessions/{id}/what-if`.
pub(crate) async fn board(
    board: BoardAccount,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(&board, id, board_frame(id), query).await
}

/// `POST /board/sessions/{id}/what-if`.
pub(crate) async fn board_simulate(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    simulate(&board, id, board_frame(id), fields, false).await
}

/// `GET /trainer/sessions/{id}/what-if`.
pub(crate) async fn trainer(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(&trainer, id, trainer_frame(id), query).await
}

/// `POST /trainer/sessions/{id}/what-if`.
pub(crate) async fn trainer_simulate(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    simulate(&trainer, id, trainer_frame(id), fields, false).await
}

/// `POST /board/sessions/{id}/what-if/csv`: the simulation's comparison
/// as a CSV file.
pub(crate) async fn board_csv(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    simulate(&board, id, board_frame(id), fields, true).await
}

/// `POST /trainer/sessions/{id}/what-if/csv`.
pub(crate) async fn trainer_csv(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    simulate(&trainer, id, trainer_frame(id), fields, true).await
}
