//! The page "Qualité de l'examen / Prüfungsqualität" of a session: the
//! board's (`GET /board/sessions/{id}/quality`, linked from the session's
//! statistics) and a trainer's for a mock session of their school (`GET
//! /trainer/sessions/{id}/quality`). The numbers are the API's
//! (`GET /api/sessions/{id}/quality`, read typed as
//! [`grille_server::QualityView`], grille-report's type re-exported), which
//! decides who may read them; [`grille_report::quality`] renders them by
//! field.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use grille_report::quality::{Frame, quality_page};
use grille_server::QualityView;

use crate::page::{BoardAccount, PageError, TrainerAccount, Visit};

/// The quality of an exam, for the board and for a trainer.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/board/sessions/{id}/quality", get(board))
        .route("/trainer/sessions/{id}/quality", get(trainer))
}

async fn show(visit: &Visit, id: i64, frame: Frame, query: Option<String>) -> Result<Response, PageError> {
    let quality: QualityView = visit.get(&format!("/api/sessions/{id}/quality")).await?;
    let environment = visit.state.environment_for(query.as_deref(), Some(&visit.account));
    let page = quality_page(&environment, &quality, &frame, &visit.account.view(), visit.language.language);
    Ok(visit.language.respond(StatusCode::OK, page))
}

/// The board's page of a session.
pub(crate) async fn board(
    board: BoardAccount,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(&board, id, Frame { base: format!("/board/sessions/{id}"), board: true }, query).await
}

/// A trainer's page of a mock session of their school.
pub(crate) async fn trainer(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(&trainer, id, Frame { base: format!("/trainer/sessions/{id}"), board: false }, query).await
}
