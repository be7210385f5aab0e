//! The work a candidate handed in for a position (a written report, as a
//! PDF): uploaded by whoever assigns the session's examiners (the board
//! for an official session, the school's trainers for a mock one), read by
//! them and by the examiners assigned to the candidate's part, beside the
//! rubric. The file is checked by its content (a PDF, 10 MiB at most) and
//! stored once by SHA-256; it can be replaced or removed only while the
//! position has no evaluation, so that the work examiners scored stays.
//!
//! Where the organiser opens a submission window for a position (a
//! deadline), candidates hand in that work themselves through their
//! account until the deadline; grille-workflow decides
//! ([`Action::SubmitOwnWork`], [`grille_workflow::submission_open`]).

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, put_with};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use grille_scoring::case::{MAX_ATTACHMENT_BYTES, sniff_media_type};
use grille_scoring::{Message, MessageCode};
use grille_store::SubmissionWindow;
use grille_store::{Actor, CandidateNumber, NewSubmission, Submission};
use grille_workflow::{Action, Role as FlowRole};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_evaluations::{PositionPath, context};
use crate::auth::{CurrentUser, Staff};
use crate::error::{ApiError, FieldError};
use crate::exam;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
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
        .api_route(
            "/api/sessions/{id}/submission-windows",
            get_with(windows, |op| {
                op.tag(tag).summary("Les points d'appréciation pour lesquels les candidat·e·s déposent leur travail eux-mêmes, et jusqu'à quand")
            }),
        )
        .api_route(
            "/api/sessions/{id}/submission-windows/{position}",
            put_with(open_window, |op| {
                op.tag(tag).summary(
                    "Ouvrir (ou déplacer) le dépôt par les candidat·e·s pour un point d'appréciation, jusqu'à un délai (heure suisse `AAAA-MM-JJTHH:MM` ou UTC RFC 3339)",
                )
            })
            .delete_with(close_window, |op| {
                op.tag(tag).summary("Fermer le dépôt par les candidat·e·s (l'organisateur dépose encore)")
            }),
        )
        .api_route(
            "/api/me/submissions",
            get_with(my_work, |op| {
                op.tag(tag).summary("Les travaux que je peux ou pouvais remettre (candidat·e), avec leur délai et mon fichier")
            }),
        )
        .api_route(
            "/api/me/sessions/{id}/positions/{position}/submission",
            put_with(my_upload, |op| {
                op.tag(tag).summary(
                    "Remettre mon travail (PDF, 10 Mio au plus) avant le délai ; remplace le précédent tant que le point n'est pas évalué",
                )
            })
            .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES as usize + 1))
            .get_with(my_download, |op| op.tag(tag).summary("Mon travail remis (PDF)"))
            .delete_with(my_remove, |op| op.tag(tag).summary("Retirer mon travail avant le délai")),
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
    /// The same in Swiss local time (`AAAA-MM-JJTHH:MM`).
    pub uploaded_at_local: String,
}

impl SubmissionView {
    pub(crate) fn of(submission: &Submission) -> SubmissionView {
        SubmissionView {
            file_name: submission.file_name.clone(),
            sha256: submission.sha256.clone(),
            size: submission.size,
            uploaded_at: submission.uploaded_at.clone(),
            uploaded_at_local: grille_workflow::time::utc_to_swiss_local(&submission.uploaded_at)
                .unwrap_or_default(),
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

/// A file sent as a candidate's work: a PDF of 1 byte to 10 MiB, by its
/// content.
fn checked_pdf(body: &[u8]) -> Result<(), ApiError> {
    if body.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(ApiError::FileTooLarge { limit_mib: MAX_ATTACHMENT_BYTES / (1024 * 1024) });
    }
    if body.is_empty() {
        return Err(ApiError::Invalid(vec![FieldError::said_at("", Message::new(MessageCode::FileEmpty))]));
    }
    if sniff_media_type(body) != Some("application/pdf") {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "",
            Message::new(MessageCode::SubmissionNotPdf),
        )]));
    }
    Ok(())
}

/// The file name kept: trimmed, 1 to 200 characters, no control character.
/// Checks the name and the PDF of a candidate's work, then stores it for
/// `position` (the board's upload and the candidate's own).
async fn store_pdf(
    state: &AppState,
    actor: Actor,
    id: i64,
    number: CandidateNumber,
    position: String,
    name: &str,
    body: Bytes,
) -> Result<Json<SubmissionView>, ApiError> {
    let file_name = checked_name(name)?;
    checked_pdf(&body)?;
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

fn checked_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/name",
            Message::new(MessageCode::SubmissionFileName),
        )]));
    }
    Ok(name.to_owned())
}

fn scored_conflict(error: ApiError) -> ApiError {
    match error {
        ApiError::CodedConflict { code: "conflict.locked", .. } => {
            ApiError::ConflictSaid(Message::new(MessageCode::SubmissionEvaluated))
        }
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
    store_pdf(&state, Actor::user(&user), path.id, number, path.position, &query.name, body).await
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

// ---------------------------------------------------------------- windows

/// A window in which candidates hand in their work for a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SubmissionWindowView {
    /// The blueprint position.
    pub position: String,
    /// The deadline (RFC 3339, UTC): work is taken strictly before it.
    pub closes_at: String,
    /// The same in Swiss local time (`AAAA-MM-JJTHH:MM`).
    pub closes_at_local: String,
    /// Whether the deadline is still ahead.
    pub open: bool,
}

impl SubmissionWindowView {
    fn of(window: &SubmissionWindow, now: &str) -> SubmissionWindowView {
        SubmissionWindowView {
            position: window.position.clone(),
            closes_at: window.closes_at.clone(),
            closes_at_local: grille_workflow::time::utc_to_swiss_local(&window.closes_at).unwrap_or_default(),
            open: grille_workflow::submission_open(Some(&window.closes_at), now).is_ok(),
        }
    }
}

/// A position of a session, in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct WindowPath {
    /// The session id.
    id: i64,
    /// The blueprint position id.
    position: String,
}

/// Until when candidates hand in their work.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowRequest {
    /// The deadline: Swiss local time as a `datetime-local` field sends it
    /// (`2027-03-15T23:59`) or RFC 3339 UTC (`2027-03-15T22:59:00Z`); in
    /// the future.
    #[schemars(regex(
        pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?Z?$"
    ))]
    pub closes_at: String,
}

fn now() -> String {
    grille_store::time::utc_text(std::time::SystemTime::now())
}

async fn windows(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<SubmissionWindowView>>, ApiError> {
    let user = &staff.current.user;
    scope::cohort_in_reach(&state, user, path.id).await?;
    scope::load_for(&state, user, path.id, Action::ViewSession).await?;
    let rows = state.db(move |store| store.submission_windows(path.id)).await?;
    let now = now();
    Ok(Json(rows.iter().map(|window| SubmissionWindowView::of(window, &now)).collect()))
}

/// The deadline as stored (UTC), from either form a client may send.
fn deadline(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    let utc = if text.ends_with('Z') {
        grille_workflow::time::utc_to_swiss_local(text)
            .and_then(|local| grille_workflow::time::swiss_local_to_utc(&local))
            .map(|_| text.to_owned())
    } else {
        grille_workflow::time::swiss_local_to_utc(text)
    };
    let utc = utc.ok_or_else(|| {
        ApiError::Invalid(vec![FieldError::said_at(
            "/closes_at",
            Message::new(MessageCode::SubmissionDeadlineForm),
        )])
    })?;
    if utc <= now() {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/closes_at",
            Message::new(MessageCode::SubmissionDeadlinePast),
        )]));
    }
    Ok(utc)
}

async fn open_window(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<WindowPath>,
    ApiJson(request): ApiJson<WindowRequest>,
) -> Result<Json<SubmissionWindowView>, ApiError> {
    let user = staff.current.user.clone();
    scope::cohort_in_reach(&state, &user, path.id).await?;
    let (_, pinned) = scope::load_for(&state, &user, path.id, Action::AssignExaminers).await?;
    if pinned.blueprint.position(&path.position).is_none() {
        return Err(ApiError::NotFound("Point d'appréciation"));
    }
    let closes_at = deadline(&request.closes_at)?;
    let actor = Actor::user(&user);
    let window = state
        .db(move |store| store.set_submission_window(&actor, path.id, &path.position, &closes_at))
        .await?;
    Ok(Json(SubmissionWindowView::of(&window, &now())))
}

async fn close_window(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<WindowPath>,
) -> Result<Json<SubmissionRemoved>, ApiError> {
    let user = staff.current.user.clone();
    scope::cohort_in_reach(&state, &user, path.id).await?;
    scope::load_for(&state, &user, path.id, Action::AssignExaminers).await?;
    let actor = Actor::user(&user);
    state.db(move |store| store.close_submission_window(&actor, path.id, &path.position)).await?;
    Ok(Json(SubmissionRemoved { removed: true }))
}

// ---------------------------------------------------------------- candidates

/// Work a candidate hands in (or handed in) through their account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MyWork {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// The window: position and deadline.
    pub window: SubmissionWindowView,
    /// The position's title in French.
    pub position_title: String,
    /// Whether the position is being scored already (the file no longer
    /// changes).
    pub scored: bool,
    /// Whether the candidate may hand in or replace the file now.
    pub may_submit: bool,
    /// The file handed in, if any.
    pub file: Option<SubmissionView>,
}

/// The candidate number of the caller (a candidate's account linked to
/// their number), or the refusal.
async fn own_number(state: &AppState, current: &CurrentUser) -> Result<CandidateNumber, ApiError> {
    if current.user.role != grille_store::Role::Candidate {
        return Err(ApiError::Forbidden);
    }
    let user_id = current.user.id;
    state.db(move |store| store.user_candidate(user_id)).await?.ok_or(ApiError::NotFound("Candidat·e"))
}

/// Whether the caller may hand in work for `position` of `session` now,
/// and why not: the workflow's answer for a candidate, then the window.
fn may_submit(
    session: &grille_store::CandidateSession,
    window: Option<&SubmissionWindow>,
    now: &str,
) -> Result<(), ApiError> {
    let (state, kind) = (session.workflow_state, session.kind);
    let subject = grille_workflow::Subject {
        role: FlowRole::Candidate,
        own_candidate: true,
        kind,
        ..grille_workflow::Subject::default()
    };
    grille_workflow::permit(Action::SubmitOwnWork, state, &subject)?;
    if session.status != "present" {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::SubmissionNotSitting)));
    }
    grille_workflow::submission_open(window.map(|window| window.closes_at.as_str()), now)?;
    Ok(())
}

async fn my_work(State(state): State<AppState>, current: CurrentUser) -> Result<Json<Vec<MyWork>>, ApiError> {
    let number = own_number(&state, &current).await?;
    let (lookup, register) = (number.clone(), current.user.school_id);
    let sessions = state.db(move |store| store.candidate_sessions(register, &lookup)).await?;
    let now = now();
    let mut work = Vec::new();
    for session in sessions {
        let id = session.session_id;
        let windows = state.db(move |store| store.submission_windows(id)).await?;
        if windows.is_empty() {
            continue;
        }
        let (data, pinned) = exam::load(&state, id).await?;
        for window in &windows {
            let scored = data
                .evaluations
                .iter()
                .any(|evaluation| evaluation.candidate == number && evaluation.position == window.position);
            let (lookup, position) = (number.clone(), window.position.clone());
            let file = state.db(move |store| store.submission(id, &lookup, &position)).await?;
            work.push(MyWork {
                session_id: id,
                session_name: session.name.clone(),
                window: SubmissionWindowView::of(window, &now),
                position_title: pinned
                    .blueprint
                    .position(&window.position)
                    .map(|(_, position)| position.title.fr.clone())
                    .unwrap_or_default(),
                scored,
                may_submit: !scored && may_submit(&session, Some(window), &now).is_ok(),
                file: file.as_ref().map(SubmissionView::of),
            });
        }
    }
    Ok(Json(work))
}

/// A session of the caller and the window of a position in it (404 for a
/// session they are not enrolled in, as if it did not exist).
async fn own_sitting(
    state: &AppState,
    current: &CurrentUser,
    path: &WindowPath,
) -> Result<(CandidateNumber, grille_store::CandidateSession, Option<SubmissionWindow>), ApiError> {
    let number = own_number(state, current).await?;
    let (lookup, register) = (number.clone(), current.user.school_id);
    let session = state
        .db(move |store| store.candidate_sessions(register, &lookup))
        .await?
        .into_iter()
        .find(|session| session.session_id == path.id)
        .ok_or(ApiError::NotFound("Session d'examen"))?;
    let id = path.id;
    let window = state
        .db(move |store| store.submission_windows(id))
        .await?
        .into_iter()
        .find(|w| w.position == path.position);
    Ok((number, session, window))
}

async fn my_upload(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<WindowPath>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Bytes,
) -> Result<Json<SubmissionView>, ApiError> {
    let (number, session, window) = own_sitting(&state, &current, &path).await?;
    may_submit(&session, window.as_ref(), &now())?;
    store_pdf(&state, Actor::user(&current.user), path.id, number, path.position, &query.name, body).await
}

async fn my_download(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<WindowPath>,
) -> Result<StoredFile, ApiError> {
    let (number, _, _) = own_sitting(&state, &current, &path).await?;
    let (id, position) = (path.id, path.position);
    let submission = state
        .db(move |store| store.submission(id, &number, &position))
        .await?
        .ok_or(ApiError::NotFound("Travail remis"))?;
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

async fn my_remove(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<WindowPath>,
) -> Result<Json<SubmissionRemoved>, ApiError> {
    let (number, session, window) = own_sitting(&state, &current, &path).await?;
    may_submit(&session, window.as_ref(), &now())?;
    let actor = Actor::user(&current.user);
    let (id, position) = (path.id, path.position);
    state
        .db(move |store| store.delete_submission(&actor, id, &number, &position))
        .await
        .map_err(scored_conflict)?;
    Ok(Json(SubmissionRemoved { removed: true }))
}
