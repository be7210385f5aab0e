//! The board reopens an examiner's submitted evaluation while the scoring
//! runs (a level clicked in error, an evaluation submitted too early): it
//! becomes that examiner's draft again, with the reason in the audit log.
//! grille-workflow decides who may (`Action::ReopenEvaluation`: the board,
//! a school's trainers on its mock exam, during the scoring only); the
//! store refuses it once an agreed evaluation rests on it.

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use axum::extract::State;
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, CandidateNumber, EvaluationKey};
use grille_workflow::Action;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, RequiredIfMatch};
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    ApiRouter::new().api_route(
        "/api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/{examiner}/reopen",
        post_with(reopen, |op| {
            op.tag("évaluations").summary(
                "Rouvrir l'évaluation soumise d'un·e expert·e, avec un motif (commission, pendant l'évaluation ; If-Match : sa version)",
            )
        }),
    )
}

/// An examiner's evaluation of a candidate's position, in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ReopenPath {
    /// The session id.
    id: i64,
    /// The candidate number.
    number: String,
    /// The blueprint position.
    position: String,
    /// The examiner's username.
    examiner: String,
}

/// Why the evaluation is reopened.
#[derive(Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    /// The reason, kept in the audit log (1 to 2000 characters).
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub reason: String,
}

/// The evaluation is a draft again.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Reopened {
    /// The examiner's username.
    pub examiner: String,
    /// Always `draft`.
    pub status: String,
    /// Its new version (for the examiner's next save).
    pub version: i64,
}

async fn reopen(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<ReopenPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiJson(request): ApiJson<ReopenRequest>,
) -> Result<Json<Reopened>, ApiError> {
    let user = staff.current.user.clone();
    scope::cohort_in_reach(&state, &user, path.id).await?;
    let (data, pinned) = scope::load_for(&state, &user, path.id, Action::ReopenEvaluation).await?;
    let number = CandidateNumber::parse(&path.number).map_err(|_| ApiError::NotFound("Candidat·e"))?;
    if !data.candidates.iter().any(|candidate| candidate.number == number) {
        return Err(ApiError::NotFound("Candidat·e"));
    }
    let (part, _) =
        pinned.blueprint.position(&path.position).ok_or(ApiError::NotFound("Point d'appréciation"))?;
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/reason",
            Message::new(MessageCode::ReopenReasonRequired),
        )]));
    }
    let username = path.examiner.clone();
    let examiner = state
        .db(move |store| store.user_by_username(&username))
        .await?
        .ok_or(ApiError::NotFound("Évaluation"))?;
    let key = EvaluationKey {
        session_id: path.id,
        candidate: number,
        part: part.id.clone(),
        position: path.position,
    };
    let actor = Actor::user(&user);
    let examiner_id = examiner.id;
    let evaluation =
        state.db(move |store| store.reopen_evaluation(&actor, &key, examiner_id, &reason, expected)).await?;
    Ok(Json(Reopened {
        examiner: examiner.username,
        status: "draft".to_owned(),
        version: evaluation.version,
    }))
}
