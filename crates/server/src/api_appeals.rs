//! The appeal register of a session (the board's, official sessions, once
//! the results are final, as the decisions themselves):
//!
//! * `GET|POST /api/sessions/{id}/appeals`: the appeals received, each
//!   with the last day of the appeal period its session's decisions count
//!   and whether it came in time; record one;
//! * `PUT /api/sessions/{id}/appeals/{appeal}` (`If-Match` its version):
//!   its status (received, under review, then upheld, partly upheld,
//!   rejected or withdrawn with the decision day), the correction
//!   proposals it led to, the file consultation asked for and held;
//! * `GET /api/sessions/{id}/appeals/csv`: the register as CSV (`;`, BOM).

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, put_with};
use axum::Json;
use axum::extract::State;
use grille_report::i18n::{self, Language};
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, Appeal, AppealInput, CandidateNumber};
use grille_workflow::appeal::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_identity::AppealDeadlines;
use crate::auth::Board;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, RequiredIfMatch};
use crate::reply::{Created, Download};

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "recours";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/appeals",
            get_with(list, |op| {
                op.tag(tag).summary("Registre des recours d'une session : reçus, dans le délai ou non, état, décision")
            })
            .post_with(create, |op| {
                op.tag(tag).summary("Enregistrer un recours reçu (date jj.mm.aaaa ou aaaa-mm-jj, contrôlée contre le délai)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/appeals/{appeal}",
            put_with(update, |op| {
                op.tag(tag).summary(
                    "Mettre à jour un recours : état, décision, corrections liées, consultation du dossier (If-Match)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/appeals/csv",
            get_with(csv, |op| op.tag(tag).summary("Registre des recours en CSV (; avec BOM)")),
        )
}

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    /// Received, not yet examined.
    Received,
    /// Being examined.
    UnderReview,
    /// Decided: the appeal is upheld.
    Upheld,
    /// Decided: upheld in part.
    PartlyUpheld,
    /// Decided: rejected.
    Rejected,
    /// Withdrawn by the candidate.
    Withdrawn,
}

const STATUSES: [(AppealStatus, &str); 6] = [
    (AppealStatus::Received, "received"),
    (AppealStatus::UnderReview, "under_review"),
    (AppealStatus::Upheld, "upheld"),
    (AppealStatus::PartlyUpheld, "partly_upheld"),
    (AppealStatus::Rejected, "rejected"),
    (AppealStatus::Withdrawn, "withdrawn"),
];

impl AppealStatus {
    /// The status's code, as stored.
    pub fn code(self) -> &'static str {
        STATUSES.iter().find(|(status, _)| *status == self).map_or("received", |(_, code)| code)
    }

    fn from_code(code: &str) -> Option<AppealStatus> {
        STATUSES.iter().find(|(_, known)| *known == code).map(|(status, _)| *status)
    }

    /// Whether the appeal is closed (decided or withdrawn).
    pub fn is_closed(self) -> bool {
        !matches!(self, AppealStatus::Received | AppealStatus::UnderReview)
    }
}

/// An appeal as the board writes it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// The candidate number (enrolled in the session).
    #[schemars(regex(pattern = r"^[A-Za-z0-9-]{1,32}$"))]
    pub candidate_number: String,
    /// The day it was received: `02.08.2027` or `2027-08-02`.
    pub received_on: String,
    /// Where it stands.
    pub status: AppealStatus,
    /// The day it was decided or withdrawn (required then, absent before).
    #[serde(default)]
    pub decided_on: Option<String>,
    /// The ids of the session's correction proposals it led to (of this
    /// candidate), at most 20.
    #[serde(default)]
    #[schemars(length(max = 20))]
    pub corrections: Vec<i64>,
    /// The day the candidate asked to consult the file.
    #[serde(default)]
    pub consultation_requested_on: Option<String>,
    /// The day the consultation took place (after the request).
    #[serde(default)]
    pub consultation_held_on: Option<String>,
    /// A note of the board, at most 2000 characters.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub note: Option<String>,
}

/// An appeal in the register.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AppealRecord {
    /// Its id.
    pub id: i64,
    /// The candidate.
    pub candidate_number: String,
    /// The day received (ISO).
    pub received_on: String,
    /// The last day of the appeal period (ISO), where the notification
    /// day is known.
    pub deadline: Option<String>,
    /// Whether it was received by the last day (absent: unknown).
    pub on_time: Option<bool>,
    /// Where it stands.
    pub status: AppealStatus,
    /// The day decided or withdrawn (ISO).
    pub decided_on: Option<String>,
    /// The correction proposals it led to.
    pub corrections: Vec<i64>,
    /// The day the file consultation was asked for (ISO).
    pub consultation_requested_on: Option<String>,
    /// The day it took place (ISO).
    pub consultation_held_on: Option<String>,
    /// The board's note.
    pub note: Option<String>,
    /// The row's version, for `If-Match`.
    pub version: i64,
    /// When last written (RFC 3339 UTC).
    pub updated_at: String,
    /// By whom.
    pub updated_by: String,
}

/// A session id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    id: i64,
}

/// An appeal of a session in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct AppealPath {
    /// The session id.
    id: i64,
    /// The appeal id.
    appeal: i64,
}

fn view(appeal: Appeal, deadlines: &AppealDeadlines) -> Result<AppealRecord, ApiError> {
    let deadline = deadlines.last_day(appeal.candidate_number.as_str());
    let status = AppealStatus::from_code(&appeal.input.status)
        .ok_or_else(|| ApiError::internal("a stored appeal status is unknown"))?;
    let received = Date::parse(&appeal.input.received_on).ok();
    Ok(AppealRecord {
        id: appeal.id,
        candidate_number: appeal.candidate_number.as_str().to_owned(),
        received_on: appeal.input.received_on,
        deadline: deadline.map(Date::iso),
        on_time: deadline.zip(received).map(|(last, received)| received.days_since(last) <= 0),
        status,
        decided_on: appeal.input.decided_on,
        corrections: appeal.input.corrections,
        consultation_requested_on: appeal.input.consultation_requested_on,
        consultation_held_on: appeal.input.consultation_held_on,
        note: appeal.input.note,
        version: appeal.version,
        updated_at: appeal.updated_at,
        updated_by: appeal.updated_by,
    })
}

fn day(errors: &mut Vec<FieldError>, pointer: &str, text: &str) -> Option<Date> {
    match Date::parse(text) {
        Ok(date) => Some(date),
        Err(error) => {
            errors.push(FieldError::said_at(pointer, crate::error::date_message(&error, text.trim())));
            None
        }
    }
}

fn optional_day(errors: &mut Vec<FieldError>, pointer: &str, text: &Option<String>) -> Option<Date> {
    text.as_deref().map(str::trim).filter(|text| !text.is_empty()).and_then(|text| day(errors, pointer, text))
}

/// Checks an appeal against itself and the session's proposals of the
/// candidate.
async fn checked(
    state: &AppState,
    session_id: i64,
    request: &AppealRequest,
) -> Result<(CandidateNumber, AppealInput), ApiError> {
    let mut errors = Vec::new();
    let number = CandidateNumber::parse(&request.candidate_number).map_err(|_| {
        ApiError::Invalid(vec![FieldError::said_at(
            "/candidate_number",
            Message::new(MessageCode::AssignmentNumberInvalid),
        )])
    })?;
    let received = day(&mut errors, "/received_on", &request.received_on);
    let decided = optional_day(&mut errors, "/decided_on", &request.decided_on);
    let requested =
        optional_day(&mut errors, "/consultation_requested_on", &request.consultation_requested_on);
    let held = optional_day(&mut errors, "/consultation_held_on", &request.consultation_held_on);
    match (request.status.is_closed(), decided) {
        (true, None) if request.decided_on.as_deref().is_none_or(|text| text.trim().is_empty()) => {
            errors
                .push(FieldError::said_at("/decided_on", Message::new(MessageCode::AppealDecidedNeedsDate)));
        }
        (false, Some(_)) => errors
            .push(FieldError::said_at("/decided_on", Message::new(MessageCode::AppealOpenHasNoDecision))),
        _ => {}
    }
    if let (Some(received), Some(decided)) = (received, decided)
        && decided.days_since(received) < 0
    {
        errors
            .push(FieldError::said_at("/decided_on", Message::new(MessageCode::AppealDecisionBeforeReceipt)));
    }
    match (requested, held) {
        (None, Some(_)) => errors.push(FieldError::said_at(
            "/consultation_held_on",
            Message::new(MessageCode::AppealConsultationWithoutRequest),
        )),
        (Some(requested), Some(held)) if held.days_since(requested) < 0 => errors.push(FieldError::said_at(
            "/consultation_held_on",
            Message::new(MessageCode::AppealConsultationBeforeRequest),
        )),
        _ => {}
    }
    let note = request.note.as_deref().map(str::trim).filter(|note| !note.is_empty()).map(str::to_owned);
    if note.as_deref().is_some_and(|note| note.chars().count() > 2000) {
        errors.push(FieldError::said_at("/note", Message::new(MessageCode::TextTooLong).with("max", "2000")));
    }
    let lookup = number.clone();
    let proposals = state.db(move |store| store.correction_proposals(session_id, Some(&lookup))).await?;
    let mut corrections = request.corrections.clone();
    corrections.sort_unstable();
    corrections.dedup();
    for (index, id) in request.corrections.iter().enumerate() {
        if !proposals.iter().any(|proposal| proposal.id == *id) {
            errors.push(FieldError::said_at(
                format!("/corrections/{index}"),
                Message::new(MessageCode::AppealCorrectionUnknown)
                    .with("id", id.to_string())
                    .with("number", number.as_str()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok((
        number,
        AppealInput {
            received_on: received.map(Date::iso).unwrap_or_default(),
            status: request.status.code().to_owned(),
            decided_on: decided.map(Date::iso),
            corrections,
            consultation_requested_on: requested.map(Date::iso),
            consultation_held_on: held.map(Date::iso),
            note,
        },
    ))
}

async fn deadline(state: &AppState, board: &Board, id: i64) -> Result<AppealDeadlines, ApiError> {
    crate::api_identity::documents_scope(state, &board.current.user, id).await?;
    crate::api_identity::appeal_deadlines(state, id).await
}

async fn list(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<AppealRecord>>, ApiError> {
    let last = deadline(&state, &board, path.id).await?;
    let id = path.id;
    let appeals = state.db(move |store| store.session_appeals(id)).await?;
    Ok(Json(appeals.into_iter().map(|appeal| view(appeal, &last)).collect::<Result<_, _>>()?))
}

async fn create(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<AppealRequest>,
) -> Result<Created<AppealRecord>, ApiError> {
    let last = deadline(&state, &board, path.id).await?;
    let (number, input) = checked(&state, path.id, &request).await?;
    let actor = Actor::user(&board.current.user);
    let id = path.id;
    let saved =
        state.db(move |store| store.record_appeal(&actor, id, &number, &input)).await.map_err(|error| {
            match error {
                ApiError::NotFound(_) => ApiError::Invalid(vec![FieldError::said_at(
                    "/candidate_number",
                    Message::new(MessageCode::AssignmentNotEnrolled),
                )]),
                other => other,
            }
        })?;
    Ok(Created(view(saved, &last)?))
}

async fn update(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<AppealPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiJson(request): ApiJson<AppealRequest>,
) -> Result<Json<AppealRecord>, ApiError> {
    let last = deadline(&state, &board, path.id).await?;
    let (number, input) = checked(&state, path.id, &request).await?;
    let (id, appeal) = (path.id, path.appeal);
    let stored = state.db(move |store| store.session_appeals(id)).await?;
    let current = stored.iter().find(|row| row.id == appeal).ok_or(ApiError::NotFound("Recours"))?;
    if current.candidate_number != number {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/candidate_number",
            Message::new(MessageCode::AppealSameCandidate),
        )]));
    }
    let actor = Actor::user(&board.current.user);
    let saved = state.db(move |store| store.update_appeal(&actor, id, appeal, expected, &input)).await?;
    Ok(Json(view(saved, &last)?))
}

/// The language of the CSV's header and words.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsvQuery {
    /// `fr` (default), `de` or `it`.
    #[serde(default)]
    lang: Option<CsvLanguage>,
}

/// A language of the CSV.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum CsvLanguage {
    Fr,
    De,
    It,
}

async fn csv(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<CsvQuery>,
) -> Result<Download, ApiError> {
    let language = match query.lang.unwrap_or(CsvLanguage::Fr) {
        CsvLanguage::Fr => Language::Fr,
        CsvLanguage::De => Language::De,
        CsvLanguage::It => Language::It,
    };
    let last = deadline(&state, &board, path.id).await?;
    let id = path.id;
    let appeals = state.db(move |store| store.session_appeals(id)).await?;
    let tr = |key: &str| i18n::translate(language, key);
    let swiss = |iso: &Option<String>| {
        iso.as_deref().and_then(|iso| Date::parse(iso).ok()).map(Date::swiss).unwrap_or_default()
    };
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![0xEF, 0xBB, 0xBF]);
    let header: Vec<String> = [
        "appeals.csv.number",
        "appeals.csv.received_on",
        "appeals.csv.deadline",
        "appeals.csv.on_time",
        "appeals.csv.status",
        "appeals.csv.decided_on",
        "appeals.csv.corrections",
        "appeals.csv.consultation_requested_on",
        "appeals.csv.consultation_held_on",
    ]
    .iter()
    .map(|key| tr(key))
    .collect();
    writer.write_record(&header).map_err(ApiError::internal)?;
    for appeal in appeals {
        let row = view(appeal, &last)?;
        let on_time = match row.on_time {
            Some(true) => tr("appeals.on_time.yes"),
            Some(false) => tr("appeals.on_time.late"),
            None => tr("appeals.on_time.unknown"),
        };
        let corrections: Vec<String> = row.corrections.iter().map(i64::to_string).collect();
        writer
            .write_record([
                row.candidate_number.clone(),
                swiss(&Some(row.received_on.clone())),
                swiss(&row.deadline),
                on_time,
                tr(&format!("appeals.status.{}", row.status.code())),
                swiss(&row.decided_on),
                corrections.join(", "),
                swiss(&row.consultation_requested_on),
                swiss(&row.consultation_held_on),
            ])
            .map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("session-{}-recours-{}.csv", path.id, language.code()),
        body,
    })
}
