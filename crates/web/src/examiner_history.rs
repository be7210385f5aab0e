//! The page of one examiner's severity across the board's sessions
//! (`GET /board/examiners/{username}/history`), linked from the examiner's
//! name on a session's quality page. The numbers are the API's
//! (`GET /api/examiners/{username}/history`, read typed as
//! [`grille_server::ExaminerHistory`]); grille-report renders them.
//! The page's form chooses the sessions of the joint estimate
//! (`?sessions=3&sessions=7`, the checkboxes), passed on to the API as
//! `?sessions=3,7`.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use grille_report::examiner_history::history_page;
use grille_server::ExaminerHistory;

use crate::page::{BoardAccount, PageError};

pub(crate) fn router() -> axum::Router<crate::WebState> {
    axum::Router::new().route("/board/examiners/{username}/history", axum::routing::get(page))
}

async fn page(
    board: BoardAccount,
    Path(username): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    // Only plain login names reach the API's path.
    if username.is_empty()
        || username.len() > 80
        || !username.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
    {
        return Err(board.not_found());
    }
    // The sessions of the joint estimate, as the form's checkboxes send
    // them; only numbers reach the API.
    let chosen: Vec<String> = crate::query_pairs(query.as_deref())
        .into_iter()
        .filter(|(name, _)| name == "sessions")
        .flat_map(|(_, value)| value.split(',').map(|id| id.trim().to_owned()).collect::<Vec<_>>())
        .filter(|id| !id.is_empty() && id.len() <= 18 && id.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let mut uri = format!("/api/examiners/{username}/history");
    if !chosen.is_empty() {
        uri.push_str(&format!("?sessions={}", chosen.join(",")));
    }
    let history: ExaminerHistory = board.get(&uri).await?;
    let environment = board.state.environment_for(query.as_deref(), Some(&board.account));
    let html = history_page(&environment, &history, &board.account.view(), board.language.language);
    Ok(board.language.respond(StatusCode::OK, html))
}
