//! Exam sessions for the board: creation pinned to document versions,
//! enrolment of candidates (JSON or CSV); examiner assignments are in
//! [`crate::api_assignments`].

use std::collections::{BTreeMap, HashSet};

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_scoring::{Message, MessageCode};
use grille_store::{
    Actor, CandidateIdentity, CandidateNumber, DocumentKind, ExamSession, NewCandidate, NewDocument,
    NewExamSession, PinnedDocument, Role, SessionOwner, User,
};
use grille_workflow::{Action, SessionKind, SessionState};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Staff;
use crate::csv_columns;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, CsvBody};
use crate::reply::Created;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "sessions";
    ApiRouter::new()
        .api_route(
            "/api/sessions",
            post_with(create_session, |op| {
                op.tag(tag).summary(
                    "Créer une session d'examen figée sur ses documents (officielle : commission ; \
                     examen blanc : formateur·trice, pour son école)",
                )
            })
            .get_with(list_sessions, |op| {
                op.tag(tag).summary(
                    "Lister les sessions d'examen (commission : toutes ; formateur·trice : les examens blancs de son école)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}",
            get_with(get_session, |op| op.tag(tag).summary("Une session d'examen")),
        )
        .api_route(
            "/api/sessions/{id}/candidates",
            post_with(enrol_json, |op| op.tag(tag).summary("Inscrire des candidat·e·s (JSON, tout ou rien)"))
                .get_with(list_candidates, |op| op.tag(tag).summary("Lister les candidat·e·s inscrit·e·s")),
        )
        .api_route(
            "/api/sessions/{id}/candidates/csv",
            post_with(enrol_csv, |op| {
                op.tag(tag)
                    .summary("Inscrire des candidat·e·s par fichier CSV (tout ou rien, erreurs par ligne)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/candidates/csv/preview",
            post_with(preview_csv, |op| {
                op.tag(tag).summary(
                    "Vérifier un fichier CSV d'inscription sans rien enregistrer (mêmes contrôles, erreurs par ligne)",
                )
            }),
        )
}

/// A session id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    pub(crate) id: i64,
}

/// A document pinned to a session.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct PinnedDocumentView {
    /// Where it is used: `catalogue`, `blueprint`, `scheme` or `rubric:<part>`.
    pub slot: String,
    /// `catalogue`, `blueprint`, `scheme` or `rubric`.
    pub kind: String,
    /// The document's own id.
    pub document_id: String,
    /// The document's own version.
    pub version: String,
    /// SHA-256 of the exact text (hex).
    pub sha256: String,
}

impl From<&PinnedDocument> for PinnedDocumentView {
    fn from(document: &PinnedDocument) -> Self {
        PinnedDocumentView {
            slot: document.slot.clone(),
            kind: document.kind.as_str().to_owned(),
            document_id: document.document_id.clone(),
            version: document.version.clone(),
            sha256: document.sha256.clone(),
        }
    }
}

/// An exam session.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SessionView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Exam date (`YYYY-MM-DD`), if set.
    pub exam_date: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// The workflow state.
    pub state: SessionState,
    /// The federal exam (`official`, run by the board) or an examen
    /// blanc run by a school (`mock`).
    pub kind: SessionKind,
    /// The school running a mock session.
    pub school_id: Option<i64>,
    /// Personal data is kept until this date, if set.
    pub retention_until: Option<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// The document versions it is pinned to.
    pub documents: Vec<PinnedDocumentView>,
    /// Whether the caller may read its results now, as grille-workflow
    /// answers (the pages link to them only then): a trainer who scores
    /// in the mock session reads them once their own evaluations are
    /// submitted (blind double marking).
    pub results_readable: bool,
}

/// Whether `user` may read the results of `session` now.
async fn results_readable(state: &AppState, user: &grille_store::User, session: &ExamSession) -> bool {
    match crate::exam::load(state, session.id).await {
        Ok((data, pinned)) => crate::scope::check_loaded(user, &data, &pinned, Action::ReadResults).is_ok(),
        Err(_) => false,
    }
}

impl SessionView {
    async fn for_user(state: &AppState, user: &grille_store::User, session: &ExamSession) -> SessionView {
        let mut view = SessionView::from(session);
        view.results_readable = results_readable(state, user, session).await;
        view
    }
}

impl From<&ExamSession> for SessionView {
    fn from(session: &ExamSession) -> Self {
        SessionView {
            id: session.id,
            name: session.name.clone(),
            exam_date: session.exam_date.clone(),
            status: session.status.clone(),
            state: session.workflow_state,
            kind: session.kind,
            school_id: session.school_id,
            retention_until: session.retention_until.clone(),
            created_at: session.created_at.clone(),
            documents: session.documents.iter().map(PinnedDocumentView::from).collect(),
            results_readable: false,
        }
    }
}

/// A session to create. The embedded catalogue is always pinned. The
/// blueprint, grading scheme and rubrics may be given as their exact JSON
/// text (stored with its SHA-256 hash); each one not given is the federal
/// exam's document shipped with grille, so a session created with a name
/// only runs on the embedded defaults.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Name, 1 to 200 characters.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    /// `official` or `mock`; by default `official` for the board and
    /// `mock` (of the trainer's school) for a trainer. Only the board
    /// creates official sessions, only trainers mock ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<KindDto>,
    /// Exam date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"), extend("format" = "date"))]
    pub exam_date: Option<String>,
    /// If given, must be the id of the embedded catalogue's profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue_id: Option<String>,
    /// The exam blueprint, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<String>,
    /// The grading scheme, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Rubrics by rubric id (the ids the blueprint's positions name), each
    /// as JSON text. A rubric the blueprint uses and not given here is taken
    /// from the shipped ones.
    #[serde(default)]
    pub rubrics: BTreeMap<String, String>,
    /// Documents of the caller's document bank to pin instead (ready or
    /// used versions; each becomes `used`): they take the place of
    /// `scheme`, `blueprint` and the rubrics of the same id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<BankDocuments>,
}

/// Versions of the caller's document bank, by row id.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankDocuments {
    /// A grading scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<i64>,
    /// A blueprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<i64>,
    /// Rubrics.
    #[serde(default)]
    pub rubrics: Vec<i64>,
}

/// Puts the bank versions `bank` names in place of the request's texts;
/// every row that is not a ready or used version of the right kind in the
/// caller's bank is a problem at its pointer. Returns the rows to mark used.
async fn take_from_bank(
    state: &AppState,
    owner: SessionOwner,
    request: &mut CreateSessionRequest,
    errors: &mut Vec<FieldError>,
) -> Result<Vec<i64>, ApiError> {
    let Some(bank) = request.bank.clone() else { return Ok(Vec::new()) };
    let bank_owner = match owner {
        SessionOwner::Official => grille_store::CaseOwner::Board,
        SessionOwner::Mock { school_id } => grille_store::CaseOwner::School(school_id),
    };
    let records = state.db(|store| store.drafts()).await?;
    let mut rows = Vec::new();
    let mut wanted: Vec<(String, i64, DocumentKind)> = Vec::new();
    if let Some(row) = bank.scheme {
        wanted.push(("/bank/scheme".to_owned(), row, DocumentKind::Scheme));
    }
    if let Some(row) = bank.blueprint {
        wanted.push(("/bank/blueprint".to_owned(), row, DocumentKind::Blueprint));
    }
    for (index, row) in bank.rubrics.iter().enumerate() {
        wanted.push((format!("/bank/rubrics/{index}"), *row, DocumentKind::Rubric));
    }
    for (pointer, row, kind) in wanted {
        let found = records.iter().find(|record| record.id == row && record.owner == bank_owner);
        let Some(record) = found.filter(|record| record.kind == kind) else {
            errors.push(FieldError::said_at(pointer, Message::new(MessageCode::SessionDocumentNotInBank)));
            continue;
        };
        if record.state == grille_store::DraftState::Draft {
            errors.push(FieldError::said_at(
                pointer,
                Message::new(MessageCode::SessionDocumentDraft)
                    .with("id", &record.document_id)
                    .with("version", record.version.to_string()),
            ));
            continue;
        }
        match kind {
            DocumentKind::Scheme => request.scheme = Some(record.content.clone()),
            DocumentKind::Blueprint => request.blueprint = Some(record.content.clone()),
            _ => {
                request.rubrics.insert(record.document_id.clone(), record.content.clone());
            }
        }
        rows.push(record.id);
    }
    Ok(rows)
}

/// The kind of a session, as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KindDto {
    /// The federal exam (commission).
    Official,
    /// An examen blanc of a school.
    Mock,
}

pub(crate) fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let year: i64 = text[0..4].parse().unwrap_or(0);
    let month: i64 = text[5..7].parse().unwrap_or(0);
    let day: i64 = text[8..10].parse().unwrap_or(0);
    // A day that exists: the calendar's own round trip says so.
    (1..=12).contains(&month)
        && day >= 1
        && grille_workflow::time::civil_from_days(grille_workflow::time::days_from_civil(year, month, day))
            == (year, month, day)
}

pub(crate) fn is_part(text: &str) -> bool {
    (1..=16).contains(&text.len()) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}

/// The catalogue and the shipped federal exam documents, as pinned by a
/// session created with no document given.
pub(crate) fn shipped_documents(state: &AppState) -> Result<Vec<NewDocument>, ApiError> {
    let request = CreateSessionRequest {
        name: String::new(),
        kind: None,
        exam_date: None,
        catalogue_id: None,
        blueprint: None,
        scheme: None,
        rubrics: BTreeMap::new(),
        bank: None,
    };
    let mut errors = Vec::new();
    let profile = state.catalogue().profile();
    let mut documents = vec![NewDocument {
        slot: "catalogue".to_owned(),
        kind: DocumentKind::Catalogue,
        document_id: profile.id.clone(),
        version: profile.version.clone(),
        content: grille_competence::EMBEDDED_CATALOGUE_JSON.to_owned(),
    }];
    documents.extend(exam_documents(state, &request, &mut errors)?);
    if errors.is_empty() { Ok(documents) } else { Err(ApiError::internal(format!("{errors:?}"))) }
}

/// Checks the uploaded documents with the scoring crate's loaders and
/// completes them with the shipped federal exam documents; every problem
/// is reported with a pointer into the request (`/blueprint/parts/0/id`).
fn exam_documents(
    state: &AppState,
    request: &CreateSessionRequest,
    errors: &mut Vec<FieldError>,
) -> Result<Vec<NewDocument>, ApiError> {
    use grille_scoring::embedded;
    let catalogue = state.catalogue();
    let shipped = embedded::federal_exam(catalogue).map_err(|failures| {
        ApiError::internal(format!("embedded exam documents are invalid: {failures:?}"))
    })?;
    let before = errors.len();
    let report = |errors: &mut Vec<FieldError>, base: &str, problems: Vec<grille_scoring::Problem>| {
        errors.extend(
            problems
                .into_iter()
                .map(|problem| FieldError::of_problem(format!("{base}{}", problem.pointer), problem)),
        );
    };
    let (scheme, scheme_text) = match &request.scheme {
        None => (Some(shipped.scheme.clone()), embedded::GRADING_SCHEME.text.to_owned()),
        Some(text) => match grille_scoring::GradingScheme::from_json(text) {
            Ok(scheme) => (Some(scheme), text.clone()),
            Err(problems) => {
                report(errors, "/scheme", problems);
                (None, text.clone())
            }
        },
    };
    let (blueprint, blueprint_text) = match &request.blueprint {
        None => (Some(shipped.blueprint.clone()), embedded::BLUEPRINT.text.to_owned()),
        Some(text) => match grille_scoring::Blueprint::from_json(text, catalogue) {
            Ok(blueprint) => (Some(blueprint), text.clone()),
            Err(problems) => {
                report(errors, "/blueprint", problems);
                (None, text.clone())
            }
        },
    };
    let mut rubrics: Vec<(grille_scoring::Rubric, String)> = Vec::new();
    for (id, text) in &request.rubrics {
        let pointer = format!("/rubrics/{}", id.replace('~', "~0").replace('/', "~1"));
        match grille_scoring::Rubric::from_json(text, catalogue) {
            Ok(rubric) if rubric.id != *id => errors.push(FieldError::said_at(
                format!("{pointer}/id"),
                Message::new(MessageCode::SessionRubricIdMismatch).with("found", &rubric.id).with("id", id),
            )),
            Ok(rubric) => rubrics.push((rubric, text.clone())),
            Err(problems) => report(errors, &pointer, problems),
        }
    }
    let (Some(scheme), Some(blueprint)) = (scheme, blueprint) else { return Ok(Vec::new()) };
    for id in blueprint.rubric_ids() {
        if rubrics.iter().any(|(rubric, _)| rubric.id == id) {
            continue;
        }
        let shipped_rubric =
            shipped.rubrics.iter().zip(embedded::RUBRICS).find(|(rubric, _)| rubric.id == id);
        match shipped_rubric {
            Some((rubric, file)) => rubrics.push((rubric.clone(), file.text.to_owned())),
            None => errors.push(FieldError::said_at(
                "/rubrics",
                Message::new(MessageCode::SessionRubricMissing).with("id", id),
            )),
        }
    }
    if errors.len() > before {
        return Ok(Vec::new());
    }
    // The documents must fit together (pass-rule parts, rubric versions).
    let rubric_list: Vec<grille_scoring::Rubric> = rubrics.iter().map(|(rubric, _)| rubric.clone()).collect();
    let exam = crate::exam::PinnedExam {
        scheme: scheme.clone(),
        blueprint: blueprint.clone(),
        rubrics: rubric_list,
        cases: Vec::new(),
    };
    let documents = grille_scoring::SessionDocuments {
        catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &exam.rubrics,
        cases: &exam.cases,
    };
    if let Err(problems) =
        grille_scoring::Scorer::new(documents, crate::exam::PinnedExamExt::header(&exam, 0))
    {
        report(errors, "", problems);
        return Ok(Vec::new());
    }
    let mut documents = vec![
        NewDocument {
            slot: "scheme".into(),
            kind: DocumentKind::Scheme,
            document_id: scheme.id.clone(),
            version: scheme.version.clone(),
            content: scheme_text,
        },
        NewDocument {
            slot: "blueprint".into(),
            kind: DocumentKind::Blueprint,
            document_id: blueprint.id.clone(),
            version: blueprint.version.clone(),
            content: blueprint_text,
        },
    ];
    for (rubric, text) in rubrics {
        documents.push(NewDocument {
            slot: format!("rubric:{}", rubric.id),
            kind: DocumentKind::Rubric,
            document_id: rubric.id.clone(),
            version: rubric.version.clone(),
            content: text,
        });
    }
    Ok(documents)
}

async fn create_session(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(mut request): ApiJson<CreateSessionRequest>,
) -> Result<Created<SessionView>, ApiError> {
    let user = &staff.current.user;
    let owner = match (user.role, request.kind) {
        (Role::Admin, None | Some(KindDto::Official)) => SessionOwner::Official,
        (Role::Trainer, None | Some(KindDto::Mock)) => {
            let Some(school_id) = user.school_id else {
                return Err(ApiError::DeniedSaid(Message::new(MessageCode::SessionTrainerNoSchool)));
            };
            SessionOwner::Mock { school_id }
        }
        (Role::Trainer, Some(KindDto::Official)) => {
            return Err(ApiError::DeniedSaid(Message::new(MessageCode::SessionOfficialBoardOnly)));
        }
        (_, Some(KindDto::Mock)) => {
            return Err(ApiError::DeniedSaid(Message::new(MessageCode::SessionMockByTrainer)));
        }
        _ => return Err(ApiError::Forbidden),
    };
    let mut errors = Vec::new();
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::said_at("/name", Message::new(MessageCode::SessionNameLength)));
    }
    if let Some(date) = &request.exam_date
        && !is_iso_date(date)
    {
        errors.push(FieldError::said_at("/exam_date", Message::new(MessageCode::SessionExamDateForm)));
    }
    let profile = state.catalogue().profile();
    if let Some(id) = &request.catalogue_id
        && id != &profile.id
    {
        errors.push(FieldError::said_at(
            "/catalogue_id",
            Message::new(MessageCode::SessionCatalogueUnknown).with("id", &profile.id),
        ));
    }
    let mut documents = vec![NewDocument {
        slot: "catalogue".to_owned(),
        kind: DocumentKind::Catalogue,
        document_id: profile.id.clone(),
        version: profile.version.clone(),
        content: grille_competence::EMBEDDED_CATALOGUE_JSON.to_owned(),
    }];
    let bank_rows = take_from_bank(&state, owner, &mut request, &mut errors).await?;
    documents.extend(exam_documents(&state, &request, &mut errors)?);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let actor = Actor::user(user);
    let new = NewExamSession { name, exam_date: request.exam_date, documents };
    let session =
        state.db(move |store| store.create_exam_session_from_bank(&actor, &new, owner, &bank_rows)).await?;
    Ok(Created(SessionView::for_user(&state, &staff.current.user, &session).await))
}

async fn list_sessions(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<SessionView>>, ApiError> {
    let sessions = state.db(|store| store.exam_sessions()).await?;
    let user = &staff.current.user;
    let visible = sessions.iter().filter(|session| {
        let subject = crate::scope::subject(user, session);
        crate::exam::state_of(session)
            .is_ok_and(|current| grille_workflow::permit(Action::ViewSession, current, &subject).is_ok())
    });
    let mut views = Vec::new();
    for session in visible {
        views.push(SessionView::for_user(&state, user, session).await);
    }
    Ok(Json(views))
}

async fn get_session(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<SessionView>, ApiError> {
    let session =
        crate::scope::session_for(&state, &staff.current.user, path.id, Action::ViewSession).await?;
    Ok(Json(SessionView::for_user(&state, &staff.current.user, &session).await))
}

/// One candidate to enrol.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateInput {
    /// Candidate number: 1 to 32 letters, digits or `-`.
    #[schemars(regex(pattern = r"^[A-Za-z0-9-]{1,32}$"))]
    pub number: String,
    /// Family name.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub family_name: String,
    /// Given name.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub given_name: String,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Candidates to enrol, all or none.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The candidates.
    #[schemars(length(min = 1))]
    pub candidates: Vec<CandidateInput>,
}

/// The enrolment was saved.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct EnrolResponse {
    /// How many candidates were enrolled.
    pub enrolled: usize,
}

/// Where a bad value was: a JSON pointer or a CSV line and column.
enum Place {
    Json(usize),
    Csv(u64),
}

impl Place {
    fn error(&self, field: &str, message: Message) -> FieldError {
        match self {
            Place::Json(index) => FieldError::said_at(format!("/candidates/{index}/{field}"), message),
            Place::Csv(line) => FieldError::said_on_line(*line, Some(field), message),
        }
    }
}

/// Checks one candidate, pushing every problem found.
fn check_candidate(
    place: &Place,
    input: &CandidateInput,
    enrolled: &Register,
    seen: &mut HashSet<String>,
    errors: &mut Vec<FieldError>,
) -> Option<NewCandidate> {
    let before = errors.len();
    let number = match CandidateNumber::parse(&input.number) {
        Ok(number) => {
            if enrolled.enrolled.contains(number.as_str()) {
                errors.push(place.error(
                    "number",
                    Message::new(MessageCode::CandidateNumberEnrolled).with("number", number.as_str()),
                ));
            } else if !seen.insert(number.as_str().to_owned()) {
                errors.push(place.error(
                    "number",
                    Message::new(MessageCode::CandidateNumberRepeated).with("number", number.as_str()),
                ));
            }
            Some(number)
        }
        Err(_) => {
            errors.push(place.error("number", Message::new(MessageCode::CandidateNumberForm)));
            None
        }
    };
    for (field, value) in [("family_name", &input.family_name), ("given_name", &input.given_name)] {
        let length = value.trim().chars().count();
        if length == 0 || length > 200 {
            errors.push(place.error(field, Message::new(MessageCode::NameRequired)));
        }
    }
    let email = input.email.as_deref().map(str::trim).filter(|email| !email.is_empty());
    if let Some(email) = email
        && (!email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace))
    {
        errors.push(place.error("email", Message::new(MessageCode::EmailInvalid)));
    }
    if errors.len() > before {
        return None;
    }
    Some(NewCandidate {
        number: number?,
        identity: Some(CandidateIdentity {
            family_name: input.family_name.trim().to_owned(),
            given_name: input.given_name.trim().to_owned(),
            email: email.map(str::to_owned),
        }),
    })
}

/// The numbers a session's enrolment must avoid: those enrolled already,
/// (a number is the session's register's own: the same number in another
/// register is another candidate, so nothing is said about it).
#[derive(Debug, Default)]
struct Register {
    enrolled: HashSet<String>,
}

/// Checks that the caller sees the session (404 otherwise) and returns the
/// numbers already enrolled in it.
pub(crate) async fn enrolled_numbers(
    state: &AppState,
    user: &User,
    session_id: i64,
) -> Result<HashSet<String>, ApiError> {
    crate::scope::session_for(state, user, session_id, Action::ViewSession).await?;
    let candidates = state.db(move |store| store.session_candidates(session_id)).await?;
    Ok(candidates.into_iter().map(|candidate| candidate.number.as_str().to_owned()).collect())
}

/// [`enrolled_numbers`], for a caller who runs the session.
async fn register(state: &AppState, user: &User, session_id: i64) -> Result<Register, ApiError> {
    // Only those who run the session get past this point (the board sees
    // a mock session's description, not its cohort).
    crate::scope::session_for(state, user, session_id, Action::ViewProgress).await?;
    let enrolled = enrolled_numbers(state, user, session_id).await?;
    Ok(Register { enrolled })
}

async fn save_enrolment(
    state: &AppState,
    staff: &Staff,
    session_id: i64,
    candidates: Vec<NewCandidate>,
) -> Result<Created<EnrolResponse>, ApiError> {
    crate::scope::session_for(state, &staff.current.user, session_id, Action::EnrolCandidates).await?;
    let actor = Actor::user(&staff.current.user);
    let enrolled = state.db(move |store| store.enrol_candidates(&actor, session_id, &candidates)).await?;
    Ok(Created(EnrolResponse { enrolled }))
}

async fn enrol_json(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<Created<EnrolResponse>, ApiError> {
    let enrolled = register(&state, &staff.current.user, path.id).await?;
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let candidates: Vec<NewCandidate> = request
        .candidates
        .iter()
        .enumerate()
        .filter_map(|(index, input)| {
            check_candidate(&Place::Json(index), input, &enrolled, &mut seen, &mut errors)
        })
        .collect();
    if request.candidates.is_empty() {
        errors.push(FieldError::said_at("/candidates", Message::new(MessageCode::EnrolNoCandidate)));
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    save_enrolment(&state, &staff, path.id, candidates).await
}

/// Parses the CSV upload: every bad row is reported with its line number
/// (the header is line 1). The delimiter and the column names are those of
/// [`crate::csv_columns`].
fn parse_csv(text: &str, enrolled: &Register) -> Result<Vec<NewCandidate>, Vec<FieldError>> {
    let upload = csv_columns::read(text, csv_columns::CANDIDATE_COLUMNS)?;
    let mut errors = upload.errors;
    let mut seen = HashSet::new();
    let mut candidates = Vec::new();
    for row in &upload.rows {
        let input = CandidateInput {
            number: row.get("number").to_owned(),
            family_name: row.get("family_name").to_owned(),
            given_name: row.get("given_name").to_owned(),
            email: Some(row.get("email").to_owned()),
        };
        if let Some(candidate) =
            check_candidate(&Place::Csv(row.line), &input, enrolled, &mut seen, &mut errors)
        {
            candidates.push(candidate);
        }
    }
    // The lines are reported in the file's order.
    errors.sort_by_key(|error| error.line);
    if candidates.is_empty() && errors.is_empty() {
        errors.push(FieldError::said_on_line(2, None, Message::new(MessageCode::CsvNoCandidate)));
    }
    if errors.is_empty() { Ok(candidates) } else { Err(errors) }
}

/// The candidates a CSV upload would enrol.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct CsvPreview {
    /// The candidates, in the file's order; nothing is saved.
    pub candidates: Vec<CandidateView>,
    /// The encoding the file was read in (UTF-8, with or without BOM,
    /// UTF-16 or Windows-1252).
    pub encoding: crate::CsvEncoding,
}

/// Checks a CSV upload exactly as [`enrol_csv`] does (the caller may enrol
/// in the session, every row is valid) and returns what would be saved,
/// without saving anything.
async fn preview_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    CsvBody(text, encoding, _): CsvBody,
) -> Result<Json<CsvPreview>, ApiError> {
    let candidates = checked_csv(&state, &staff, path.id, &text).await?;
    crate::scope::session_for(&state, &staff.current.user, path.id, Action::EnrolCandidates).await?;
    Ok(Json(CsvPreview {
        candidates: candidates
            .into_iter()
            .map(|candidate| {
                let identity = candidate.identity;
                CandidateView {
                    number: candidate.number.as_str().to_owned(),
                    family_name: identity.as_ref().map(|i| i.family_name.clone()),
                    given_name: identity.as_ref().map(|i| i.given_name.clone()),
                    email: identity.and_then(|i| i.email),
                    enrolled_at: String::new(),
                    // A new enrolment sits the exam until the board says otherwise.
                    status: grille_scoring::CandidateStatus::Present,
                }
            })
            .collect(),
        encoding,
    }))
}

/// The candidates of a CSV upload, every row checked (422 with the
/// problems by line otherwise).
async fn checked_csv(
    state: &AppState,
    staff: &Staff,
    session_id: i64,
    text: &str,
) -> Result<Vec<NewCandidate>, ApiError> {
    let enrolled = register(state, &staff.current.user, session_id).await?;
    parse_csv(text, &enrolled).map_err(ApiError::Invalid)
}

async fn enrol_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    CsvBody(text, ..): CsvBody,
) -> Result<Created<EnrolResponse>, ApiError> {
    let candidates = checked_csv(&state, &staff, path.id, &text).await?;
    save_enrolment(&state, &staff, path.id, candidates).await
}

/// An enrolled candidate, with personal data (board only).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CandidateView {
    /// Candidate number.
    pub number: String,
    /// Family name (absent once erased).
    pub family_name: Option<String>,
    /// Given name (absent once erased).
    pub given_name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// When enrolled (RFC 3339).
    pub enrolled_at: String,
    /// Whether they sit the exam (present, withdrawn, excluded, absent).
    pub status: grille_scoring::CandidateStatus,
}

async fn list_candidates(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<CandidateView>>, ApiError> {
    crate::scope::session_for(&state, &staff.current.user, path.id, Action::ViewProgress).await?;
    let candidates = state.db(move |store| store.session_candidates(path.id)).await?;
    let views = candidates
        .into_iter()
        .map(|candidate| {
            let identity = candidate.identity;
            Ok(CandidateView {
                number: candidate.number.as_str().to_owned(),
                family_name: identity.as_ref().map(|i| i.family_name.clone()),
                given_name: identity.as_ref().map(|i| i.given_name.clone()),
                email: identity.and_then(|i| i.email),
                enrolled_at: candidate.enrolled_at,
                status: crate::exam::status_of(&candidate.status)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Json(views))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_days_of_the_calendar_are_dates() {
        for good in ["2027-05-03", "2028-02-29", "2027-12-31"] {
            assert!(is_iso_date(good), "{good}");
        }
        for bad in
            ["2027-09-31", "2027-02-29", "2027-13-01", "2027-00-10", "2027-1-1", "27-05-03", "2027/05/03"]
        {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
