//! The work a candidate handed in for a position (a written report, as a
//! PDF): uploaded by whoever assigns the session's examiners (the board
//! for an official session, the school's trainers for a mock one), read by
//! them and by the examiners assigned to the candidate's part, beside the
//! rubric. The file is checked by its content (a PDF, 10 MiB at most) and
//! stored once by SHA-256; it can be replaced or removed only while the
//! position has no evaluation, so that the work examiners scored stays.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, put_with};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use grille_scoring::case::{MAX_ATTACHMENT_BYTES, sniff_media_type};
use grille_store::{Actor, CandidateNumber, NewSubmission, Submission};
use grille_workflow::{Action, Role as FlowRole};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_evaluations::{PositionPath, context};
use crate::auth::{CurrentUser, Staff};
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiPath, ApiQuery};
use crate::reply::StoredFile;
use crate::scope;

/// The path of a position of a candidate, as the other position routes.
const POSITION: &str = "/api/sessions/{id}/candidates/{number}/positions/{position}";

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "travaux remis";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/submissions",
            get_with(session_list, |op| {
                op.tag(tag).summary(
                    "Les travaux remis d'une session, par candidat·e et point d'appréciation (commission ou école qui organise)",
                )
            }),
        )
        .api_route(
        &format!("{POSITION}/submission"),
        put_with(upload, |op| {
            op.tag(tag).summary(
                "Déposer le travail remis par un·e candidat·e pour un point d'appréciation (PDF, 10 Mio au plus, \
                 reconnu au contenu ; remplace le précédent tant que le point n'est pas évalué)",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES as usize + 1))
        .get_with(download, |op| {
            op.tag(tag).summary(
                "Le travail remis (PDF) : commission ou école qui organise, expert·e·s attribué·e·s à l'épreuve",
            )
        })
        .delete_with(remove, |op| {
            op.tag(tag).summary("Retirer le travail remis (tant que le point d'appréciation n'est pas évalué)")
        }),
        )
}

/// A session in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    id: i64,
}

async fn session_list(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<SessionSubmission>>, ApiError> {
    Ok(Json(of_session(&state, &staff.current.user, path.id).await?))
}

/// The path of a candidate's position.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SubmissionPath {
    /// The session id.
    id: i64,
    /// The candidate number.
    number: String,
    /// The blueprint position id.
    position: String,
}

/// The name of the uploaded file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UploadQuery {
    /// The file name shown, e.g. `travail.pdf`.
    name: String,
}

/// A candidate's submitted work, as the scoring form and the upload show it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SubmissionView {
    /// The file's name as uploaded.
    pub file_name: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
    /// When uploaded (RFC 3339, UTC).
    pub uploaded_at: String,
}

impl SubmissionView {
    pub(crate) fn of(submission: &Submission) -> SubmissionView {
        SubmissionView {
            file_name: submission.file_name.clone(),
            sha256: submission.sha256.clone(),
            size: submission.size,
            uploaded_at: submission.uploaded_at.clone(),
        }
    }
}

/// The submitted work was removed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SubmissionRemoved {
    /// Always `true`.
    removed: bool,
}

/// The work of every candidate of a session (for the upload page).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SessionSubmission {
    /// The candidate number.
    pub candidate: String,
    /// The blueprint position.
    pub position: String,
    /// The file.
    #[serde(flatten)]
    pub file: SubmissionView,
}

/// Resolves the session, the candidate and the position for someone who
/// assigns the session's examiners (404 for what is out of reach or
/// unknown, 403 for a role that may not).
async fn organiser_scope(
    state: &AppState,
    user: &grille_store::User,
    path: &SubmissionPath,
) -> Result<CandidateNumber, ApiError> {
    scope::cohort_in_reach(state, user, path.id).await?;
    let (data, pinned) = scope::load_for(state, user, path.id, Action::AssignExaminers).await?;
    let number = CandidateNumber::parse(&path.number).map_err(|_| ApiError::NotFound("Candidat·e"))?;
    if !data.candidates.iter().any(|candidate| candidate.number == number) {
        return Err(ApiError::NotFound("Candidat·e"));
    }
    if pinned.blueprint.position(&path.position).is_none() {
        return Err(ApiError::NotFound("Point d'appréciation"));
    }
    Ok(number)
}

/// The file name kept: trimmed, 1 to 200 characters, no control character.
fn checked_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::Invalid(vec![FieldError::at(
            "/name",
            "Le nom du fichier doit compter de 1 à 200 caractères, sans caractère de contrôle.",
        )]));
    }
    Ok(name.to_owned())
}

fn scored_conflict(error: ApiError) -> ApiError {
    match error {
        ApiError::Conflict(text) if text == "Cet élément est verrouillé." => ApiError::Conflict(
            "Ce point d'appréciation est déjà évalué pour ce·tte candidat·e : le travail évalué ne change plus."
                .to_owned(),
        ),
        other => other,
    }
}

async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SubmissionPath>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Bytes,
) -> Result<Json<SubmissionView>, ApiError> {
    let user = staff.current.user.clone();
    let number = organiser_scope(&state, &user, &path).await?;
    let file_name = checked_name(&query.name)?;
    if body.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(ApiError::TooLarge);
    }
    if body.is_empty() {
        return Err(ApiError::Invalid(vec![FieldError::at("", "Le fichier est vide.")]));
    }
    if sniff_media_type(&body) != Some("application/pdf") {
        return Err(ApiError::Invalid(vec![FieldError::at(
            "",
            "Ce fichier n'est pas un PDF (le type est reconnu au contenu, pas au nom).",
        )]));
    }
    let actor = Actor::user(&user);
    let (id, position) = (path.id, path.position);
    let stored = state
        .db(move |store| {
            let new = NewSubmission {
                candidate: &number,
                position: &position,
                file_name: &file_name,
                media_type: "application/pdf",
                bytes: &body,
            };
            store.put_submission(&actor, id, &new)
        })
        .await
        .map_err(scored_conflict)?;
    Ok(Json(SubmissionView::of(&stored)))
}

async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SubmissionPath>,
) -> Result<Json<SubmissionRemoved>, ApiError> {
    let user = staff.current.user.clone();
    let number = organiser_scope(&state, &user, &path).await?;
    let actor = Actor::user(&user);
    let (id, position) = (path.id, path.position);
    state
        .db(move |store| store.delete_submission(&actor, id, &number, &position))
        .await
        .map_err(scored_conflict)?;
    Ok(Json(SubmissionRemoved { removed: true }))
}

/// Whether the caller may read the work of this position: the organiser
/// (the board, or a trainer of the school on its mock session) and the
/// examiners assigned to the candidate's part, as for the case's
/// attachments.
async fn readable(
    state: &AppState,
    current: &CurrentUser,
    path: PositionPath,
) -> Result<crate::api_evaluations::Context, ApiError> {
    let context = context(state, current, path).await?;
    match context.subject.role {
        FlowRole::Board => context.permit(Action::ViewSession)?,
        // A trainer of the school runs its mock session like the board;
        // assigned, they also read it as its examiner.
        FlowRole::Trainer if context.permit(Action::ViewSession).is_ok() => {}
        _ => context.permit(Action::ReadOwnEvaluation)?,
    }
    Ok(context)
}

/// The work of a position for the scoring form, if the caller may read it.
pub(crate) async fn of_position(
    state: &AppState,
    context: &crate::api_evaluations::Context,
) -> Result<Option<SubmissionView>, ApiError> {
    let (id, number, position) = (context.data.session.id, context.number.clone(), context.position.clone());
    let found = state.db(move |store| store.submission(id, &number, &position)).await?;
    Ok(found.as_ref().map(SubmissionView::of))
}

async fn download(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<SubmissionPath>,
) -> Result<StoredFile, ApiError> {
    let position = PositionPath::new(path.id, path.number, path.position);
    let context = readable(&state, &current, position).await?;
    let submission = of_position(&state, &context).await?.ok_or(ApiError::NotFound("Travail remis"))?;
    let hash = submission.sha256.clone();
    let file =
        state.db(move |store| store.attachment(&hash)).await?.ok_or(ApiError::NotFound("Travail remis"))?;
    Ok(StoredFile {
        media_type: file.media_type,
        file_name: crate::api_cases::ascii_file_name(&submission.file_name),
        bytes: file.bytes,
        embeddable: true,
    })
}

/// The work of every candidate of a session, for its organiser.
async fn of_session(
    state: &AppState,
    user: &grille_store::User,
    id: i64,
) -> Result<Vec<SessionSubmission>, ApiError> {
    scope::cohort_in_reach(state, user, id).await?;
    scope::load_for(state, user, id, Action::ViewSession).await?;
    let rows = state.db(move |store| store.submissions(id)).await?;
    Ok(rows
        .iter()
        .map(|row| SessionSubmission {
            candidate: row.candidate.as_str().to_owned(),
            position: row.position.clone(),
            file: SubmissionView::of(row),
        })
        .collect())
}
