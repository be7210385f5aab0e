//! The bridge between the store and the scoring crate: a session's pinned
//! documents loaded as scoring types, the session's evaluations assembled
//! into a scoring [`Session`], answers checked against the pinned rubric,
//! and the workflow questions (state, who is assigned) asked of the store.

use std::collections::BTreeMap;
use std::str::FromStr as _;
use std::sync::Arc;

use grille_competence::Catalogue;
use grille_scoring::{
    AgreedEvaluation, Answer, AnswerFault, AnswerProblem, Blueprint, Candidate, CandidateResult,
    CandidateStatus, CaseLanguage, CaseSitting, CaseStudy, Completeness, DocumentRef, Evaluation,
    GradingScheme, PositionScoring, Rubric, Scorer, Session, SessionDocuments, SessionHeader,
};
use grille_scoring::{Message, MessageCode};
use grille_store::{
    CandidateNumber, EvaluationStatus, ExamSession, Focus, SessionAgreed, SessionEvaluation, Store,
    StoreError,
};
use grille_workflow::{Role as FlowRole, SessionState};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cache::Memo;
use crate::error::{ApiError, FieldError};

/// The documents a session is pinned to, loaded and checked: the same
/// type as the embedded federal exam's documents, so that the pages use
/// either without copying.
pub(crate) type PinnedExam = grille_scoring::embedded::ExamDocuments;

/// What the server asks of a pinned exam.
pub(crate) trait PinnedExamExt {
    /// The scoring header of session `id`.
    fn header(&self, session_id: i64) -> SessionHeader;
    /// The rubric of a position, for a candidate who sat `case` there.
    fn rubric_for(&self, position: &str, case: Option<&CaseStudy>) -> Option<&Rubric>;
    /// A pinned case by id.
    fn case(&self, case_id: &str) -> Option<&CaseStudy>;
}

impl PinnedExamExt for PinnedExam {
    fn header(&self, session_id: i64) -> SessionHeader {
        SessionHeader {
            id: session_id.to_string(),
            title: None,
            scheme: DocumentRef { id: self.scheme.id.clone(), version: self.scheme.version.clone() },
            blueprint: DocumentRef { id: self.blueprint.id.clone(), version: self.blueprint.version.clone() },
            rubrics: self
                .rubrics
                .iter()
                .map(|rubric| DocumentRef { id: rubric.id.clone(), version: rubric.version.clone() })
                .collect(),
            cases: self
                .cases
                .iter()
                .map(|case| DocumentRef { id: case.id.clone(), version: case.version.clone() })
                .collect(),
            // Each stored evaluation records its own.
            remark_language: None,
        }
    }

    fn rubric_for(&self, position: &str, case: Option<&CaseStudy>) -> Option<&Rubric> {
        let (_, position) = self.blueprint.position(position)?;
        let id = case.and_then(|case| case.rubric.as_deref()).unwrap_or(&position.rubric);
        self.rubrics.iter().find(|rubric| rubric.id == id)
    }

    fn case(&self, case_id: &str) -> Option<&CaseStudy> {
        self.cases.iter().find(|case| case.id == case_id)
    }
}

/// The workflow state of a stored session.
pub(crate) fn state_of(session: &ExamSession) -> Result<SessionState, ApiError> {
    Ok(session.workflow_state)
}

/// The workflow's role for a stored role.
pub(crate) fn flow_role(role: grille_store::Role) -> FlowRole {
    match role {
        grille_store::Role::Admin => FlowRole::Board,
        grille_store::Role::Examiner => FlowRole::Examiner,
        grille_store::Role::Trainer => FlowRole::Trainer,
        grille_store::Role::Candidate => FlowRole::Candidate,
    }
}

/// Loads the pinned scheme, blueprint and rubrics of a session. A session
/// created before documents were pinned has none: 409.
pub(crate) fn no_documents() -> ApiError {
    ApiError::ConflictSaid(grille_scoring::Message::new(grille_scoring::MessageCode::ExamSessionNoDocuments))
}

/// A session's data and its pinned documents: the snapshot of the
/// session's current revision, read from the store only when a write
/// changed the session since the last read (see [`crate::cache`]).
pub(crate) async fn load(
    state: &crate::AppState,
    session_id: i64,
) -> Result<(Arc<SessionData>, Arc<PinnedExam>), ApiError> {
    // The revision is one indexed read on a read-only connection: read it
    // here; only a session changed since the last read goes to the
    // blocking pool to be read whole.
    let revision = current_revision(state, session_id)?;
    if let Some(snapshot) = state.caches().session(session_id, revision) {
        return Ok((snapshot.data, snapshot.exam));
    }
    let state_clone = state.clone();
    state
        .blocking(move || {
            // Read after the revision: the data is at least as recent as the key.
            let mut data = read_session_data(state_clone.store(), session_id)?;
            data.revision = Some(revision);
            let data = Arc::new(data);
            let exam = pinned_exam(&state_clone, &data.session)?;
            let snapshot = crate::cache::Snapshot { revision, data: data.clone(), exam: exam.clone() };
            state_clone.caches().keep_session(session_id, snapshot);
            Ok((data, exam))
        })
        .await
}

fn current_revision(state: &crate::AppState, session_id: i64) -> Result<i64, ApiError> {
    state
        .read_now(|store| store.session_revision(session_id))?
        .ok_or_else(|| StoreError::NotFound { entity: "exam session" }.into())
}

/// What a write about one candidate by `user` needs: the snapshot of the
/// session's current revision if it is kept, otherwise only the rows
/// about that candidate and that user (see [`read_session_rows`]), so that
/// saving an evaluation in a large session does not read all of it. Such
/// a focused read is kept by the revision, the candidate and the user,
/// like a snapshot: read after the revision, it is at least that recent.
pub(crate) async fn load_around(
    state: &crate::AppState,
    session_id: i64,
    number: &CandidateNumber,
    user: &str,
) -> Result<(Arc<SessionData>, Arc<PinnedExam>), ApiError> {
    let revision = current_revision(state, session_id)?;
    if let Some(snapshot) = state.caches().session(session_id, revision) {
        return Ok((snapshot.data, snapshot.exam));
    }
    let key = crate::cache::AroundKey {
        session: session_id,
        revision,
        candidate: number.as_str().to_owned(),
        user: user.to_owned(),
    };
    if let Some(kept) = state.caches().around(&key) {
        return Ok((kept.data, kept.exam));
    }
    let state = state.clone();
    state
        .clone()
        .blocking(move || {
            let focus = Focus::Around { candidate: &key.candidate, user: &key.user };
            let data = Arc::new(read_session_rows(state.store(), session_id, focus)?);
            let exam = pinned_exam(&state, &data.session)?;
            let snapshot = crate::cache::Snapshot { revision, data: data.clone(), exam: exam.clone() };
            state.caches().keep_around(key, snapshot);
            Ok((data, exam))
        })
        .await
}

/// The parsed documents a session pins, from the cache by their hashes or
/// read and checked once.
pub(crate) fn pinned_exam(
    state: &crate::AppState,
    session: &ExamSession,
) -> Result<Arc<PinnedExam>, ApiError> {
    let key = session
        .documents
        .iter()
        .filter(|document| document.slot != "catalogue")
        .map(|document| format!("{}={}", document.slot, document.sha256))
        .collect::<Vec<_>>()
        .join(";");
    if let Some(exam) = state.caches().exam(&key) {
        return Ok(exam);
    }
    let exam = Arc::new(load_pinned(state.store(), state.catalogue(), session)?);
    state.caches().keep_exam(key, exam.clone());
    Ok(exam)
}

fn load_pinned(store: &Store, catalogue: &Catalogue, session: &ExamSession) -> Result<PinnedExam, ApiError> {
    let text = |slot: &str| -> Result<Option<String>, ApiError> {
        Ok(store.pinned_document(session.id, slot)?.map(|document| document.content))
    };
    let broken = |slot: &str| {
        ApiError::internal(format!("pinned document {slot} of session {} is invalid", session.id))
    };
    let (Some(scheme), Some(blueprint)) = (text("scheme")?, text("blueprint")?) else {
        return Err(no_documents());
    };
    let scheme = GradingScheme::from_json(&scheme).map_err(|_| broken("scheme"))?;
    let blueprint = Blueprint::from_json(&blueprint, catalogue).map_err(|_| broken("blueprint"))?;
    let mut rubrics = Vec::new();
    let mut cases = Vec::new();
    for document in &session.documents {
        if document.slot.starts_with("rubric:") {
            let content = text(&document.slot)?.ok_or_else(|| broken(&document.slot))?;
            rubrics.push(Rubric::from_json(&content, catalogue).map_err(|_| broken(&document.slot))?);
        } else if document.slot.starts_with("case:") {
            let content = text(&document.slot)?.ok_or_else(|| broken(&document.slot))?;
            cases.push(CaseStudy::from_json(&content, catalogue).map_err(|_| broken(&document.slot))?);
        }
    }
    Ok(PinnedExam { scheme, blueprint, rubrics, cases })
}

/// What is stored for an evaluation: the scoring crate's answers and the
/// overall remark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredContent {
    pub(crate) answers: Vec<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) remark: Option<String>,
    /// The language of the remarks (overall and per criterion), recorded
    /// when the evaluation was written; absent in evaluations stored
    /// before it was (migration 0024) and when nothing says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) remark_language: Option<CaseLanguage>,
}

impl StoredContent {
    pub(crate) fn from_value(value: &serde_json::Value) -> Result<StoredContent, ApiError> {
        serde_json::from_value(value.clone()).map_err(ApiError::internal)
    }

    pub(crate) fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// One answer as a client sends it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// The rubric criterion id.
    pub criterion: String,
    /// The points of the chosen level: a string such as `"2.5"` or an integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub points: Option<serde_json::Value>,
    /// The criterion could not be observed (where the rubric allows it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_assessable: bool,
    /// A remark on this criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// An evaluation as a client sends it.
#[derive(Debug, Clone, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    /// One answer per rubric criterion (a draft may leave some out).
    pub answers: Vec<AnswerInput>,
    /// The overall remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The language the remarks are written in (`fr`, `de`, `it`).
    /// Absent: the caller's language (the `lang` cookie, else
    /// `Accept-Language`), else unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark_language: Option<CaseLanguage>,
}

impl EvaluationInput {
    /// The input with the caller's language for remarks that name none.
    pub(crate) fn in_language(mut self, caller: crate::extract::CallerLanguage) -> EvaluationInput {
        self.remark_language = self.remark_language.or(caller.0);
        self
    }
}

const REMARK_LIMIT: usize = 5000;

fn points_of(value: &serde_json::Value) -> Option<Decimal> {
    match value {
        serde_json::Value::String(text) => Decimal::from_str(text.trim()).ok(),
        serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => {
            Decimal::from_str(&number.to_string()).ok()
        }
        _ => None,
    }
}

/// Checks answers against the pinned rubric with the scoring crate's one
/// answer check ([`Rubric::check_answers`]); `complete` also requires an
/// answer for every criterion (a submission, an agreed evaluation). Every
/// problem is reported with its pointer under `base` (e.g. `` or
/// `/evaluation`), one per answer at most, in the answers' order.
pub(crate) fn check_answers(
    rubric: &Rubric,
    case: Option<&CaseStudy>,
    input: &EvaluationInput,
    complete: bool,
    base: &str,
) -> Result<StoredContent, Vec<FieldError>> {
    // Points that are neither text nor an integer are this API's own
    // problem; the answer is checked without them.
    let mut unreadable = vec![false; input.answers.len()];
    let answers: Vec<Answer> = input
        .answers
        .iter()
        .enumerate()
        .map(|(index, answer)| {
            let points = match &answer.points {
                None | Some(serde_json::Value::Null) => None,
                Some(value) => {
                    let points = points_of(value);
                    unreadable[index] = points.is_none();
                    points
                }
            };
            Answer {
                criterion: answer.criterion.clone(),
                points,
                not_assessable: answer.not_assessable,
                remark: answer.remark.clone().filter(|remark| !remark.trim().is_empty()),
            }
        })
        .collect();
    let completeness = if complete { Completeness::Complete } else { Completeness::Draft };
    let problems = rubric.check_answers(&answers, case, completeness);
    let mut errors: Vec<FieldError> = Vec::new();
    for (index, answer) in input.answers.iter().enumerate() {
        let problem = problems.iter().find(|problem| problem.index == Some(index));
        let at = |field: &str| format!("{base}/answers/{index}{field}");
        match problem {
            // An unknown or repeated criterion is said before unreadable points.
            Some(problem) if problem.about_the_answer() || !unreadable[index] => {
                errors.push(FieldError::said_at(problem.pointer(base), form_message(rubric, problem)));
            }
            _ if unreadable[index] => errors
                .push(FieldError::said_at(at("/points"), Message::new(MessageCode::ExamPointsUnreadable))),
            _ if answer.remark.as_ref().is_some_and(|remark| remark.chars().count() > REMARK_LIMIT) => {
                errors.push(FieldError::said_at(at("/remark"), remark_too_long()));
            }
            _ => {}
        }
    }
    for problem in problems.iter().filter(|problem| problem.index.is_none()) {
        errors.push(FieldError::said_at(problem.pointer(base), form_message(rubric, problem)));
    }
    if input.remark.as_ref().is_some_and(|remark| remark.chars().count() > REMARK_LIMIT) {
        errors.push(FieldError::said_at(format!("{base}/remark"), remark_too_long()));
    }
    if errors.is_empty() {
        let remark = input.remark.clone().filter(|remark| !remark.trim().is_empty());
        // A language only where there is a remark to say it of.
        let remarked = remark.is_some() || answers.iter().any(|answer| answer.remark.is_some());
        let remark_language = input.remark_language.filter(|_| remarked);
        Ok(StoredContent { answers, remark, remark_language })
    } else {
        Err(errors)
    }
}

/// A remark over the limit.
fn remark_too_long() -> Message {
    Message::new(MessageCode::ExamRemarkTooLong).with("max", REMARK_LIMIT.to_string())
}

/// A problem of the answers as the examiner's form states it (codes
/// `exam.*`, said in the examiner's language by the pages and the script).
fn form_message(rubric: &Rubric, problem: &AnswerProblem) -> Message {
    let criterion = problem.criterion.as_str();
    match &problem.fault {
        AnswerFault::UnknownCriterion => Message::new(MessageCode::ExamUnknownCriterion)
            .with("rubric", rubric.id.as_str())
            .with("criterion", criterion),
        AnswerFault::Duplicate => Message::new(MessageCode::ExamDuplicate).with("criterion", criterion),
        AnswerFault::PointsOnLeftOut => {
            Message::new(MessageCode::ExamPointsOnLeftOut).with("criterion", criterion)
        }
        AnswerFault::PointsAndNotAssessable => Message::new(MessageCode::ExamPointsAndNotAssessable),
        AnswerFault::NotAssessableRefused => {
            Message::new(MessageCode::ExamNotAssessableRefused).with("criterion", criterion)
        }
        AnswerFault::NoSuchLevel(given) => Message::new(MessageCode::ExamNoSuchLevel)
            .with("criterion", criterion)
            .with("points", grille_scoring::decimal::display(*given))
            .with("levels", grille_scoring::answers::levels(rubric, criterion)),
        AnswerFault::Unanswered | AnswerFault::Missing => {
            Message::new(MessageCode::ExamUnanswered).with("criterion", criterion)
        }
    }
}

/// Everything stored about a session's evaluations, read once.
#[derive(Debug, Clone)]
pub(crate) struct SessionData {
    pub(crate) session: ExamSession,
    pub(crate) candidates: Vec<grille_store::EnrolledCandidate>,
    pub(crate) evaluations: Vec<SessionEvaluation>,
    pub(crate) agreed: Vec<SessionAgreed>,
    pub(crate) assignments: Vec<grille_store::Assignment>,
    /// The arbiters named per part or position (migration 0017).
    pub(crate) arbiters: Vec<grille_store::ArbiterAssignment>,
    /// The arbiters' evaluations, drafts included.
    pub(crate) arbitrations: Vec<grille_store::SessionArbitration>,
    /// The examiners' confirmations of joint evaluations, on any version.
    pub(crate) confirmations: Vec<grille_store::AgreedConfirmation>,
    /// Which case each candidate sits, by position.
    pub(crate) cases: Vec<grille_store::SessionCase>,
    /// The latest correction per (candidate, position), for finalised sessions.
    pub(crate) corrections: BTreeMap<(String, String), serde_json::Value>,
    /// See [`Store::evaluation_stamp`].
    pub(crate) stamp: String,
    /// The revision this data is a snapshot of (at least as recent); `None`
    /// for a focused read, which is never a snapshot.
    pub(crate) revision: Option<i64>,
    /// The scores and progress, computed once per snapshot.
    pub(crate) scored: Memo<Scored>,
    /// The results answer of the API, serialised once per snapshot.
    pub(crate) results_json: Memo<crate::reply::Precomputed<crate::api_results::ResultsView>>,
    /// The quality statistics, computed once per snapshot.
    pub(crate) quality: Memo<crate::api_quality::Computed>,
}

/// Every candidate scored, and the progress of the scoring.
pub(crate) type Scored = (crate::api_evaluations::Progress, Vec<CandidateResult>);

/// Reads a session and everything scoring it needs.
pub(crate) fn read_session_data(store: &Store, session_id: i64) -> Result<SessionData, StoreError> {
    read_session_rows(store, session_id, Focus::All)
}

/// Reads the rows of a session that `focus` selects. A focused read has
/// every row about its candidate and its user but not the others', and no
/// stamp: it serves a write about that candidate, never results or
/// finalisation, and is never kept in the cache.
fn read_session_rows(store: &Store, session_id: i64, focus: Focus<'_>) -> Result<SessionData, StoreError> {
    let session = store.exam_session(session_id)?.ok_or(StoreError::NotFound { entity: "exam session" })?;
    let candidates = store.session_candidates_in(session_id, focus)?;
    let mut corrections = BTreeMap::new();
    if session.workflow_state.is_final() {
        for candidate in &candidates {
            for correction in store.corrections(session_id, &candidate.number)? {
                corrections.insert(
                    (candidate.number.as_str().to_owned(), correction.position.clone()),
                    correction.evaluation,
                );
            }
        }
    }
    Ok(SessionData {
        stamp: match focus {
            Focus::All => store.evaluation_stamp(session_id)?,
            Focus::Around { .. } => String::new(),
        },
        revision: None,
        evaluations: store.session_evaluations_in(session_id, focus)?,
        agreed: store.session_agreed_in(session_id, focus)?,
        assignments: store.assignments_in(session_id, focus)?,
        // Few rows per session: read whole whatever the focus.
        arbiters: store.session_arbiters(session_id)?,
        arbitrations: store.session_arbitrations(session_id)?,
        confirmations: store.session_confirmations(session_id)?,
        cases: store.session_cases(session_id)?,
        candidates,
        corrections,
        session,
        scored: Memo::default(),
        results_json: Memo::default(),
        quality: Memo::default(),
    })
}

/// A stored candidate status; text the scoring crate does not know is a
/// damaged row (500), never read as "present".
pub(crate) fn status_of(text: &str) -> Result<CandidateStatus, ApiError> {
    CandidateStatus::parse(text)
        .ok_or_else(|| ApiError::internal(format!("unknown candidate status {text:?}")))
}

impl SessionData {
    /// The scoring crate's view of one candidate: submitted evaluations
    /// only (drafts do not count), the agreed evaluation, or the latest
    /// correction in its place.
    pub(crate) fn scoring_candidate(&self, number: &CandidateNumber) -> Result<Candidate, ApiError> {
        let enrolled = self
            .candidates
            .iter()
            .find(|candidate| &candidate.number == number)
            .ok_or(ApiError::NotFound("Candidat·e"))?;
        let status = status_of(&enrolled.status)?;
        let mut positions: BTreeMap<String, PositionScoring> = BTreeMap::new();
        for row in self.evaluations.iter().filter(|row| &row.candidate == number) {
            if row.evaluation.status != EvaluationStatus::Submitted {
                continue;
            }
            let content = StoredContent::from_value(&row.evaluation.content)?;
            positions
                .entry(row.position.clone())
                .or_insert_with(|| empty_scoring(&row.position))
                .evaluations
                .push(Evaluation {
                    examiner: row.examiner.clone(),
                    answers: content.answers,
                    remark: content.remark,
                    remark_language: content.remark_language,
                });
        }
        for row in self.agreed.iter().filter(|row| &row.candidate == number) {
            let content = StoredContent::from_value(&row.agreed.content)?;
            positions.entry(row.position.clone()).or_insert_with(|| empty_scoring(&row.position)).agreed =
                Some(AgreedEvaluation {
                    examiners: Vec::new(),
                    answers: content.answers,
                    remark: content.remark,
                    remark_language: content.remark_language,
                    awaiting_confirmation: self.awaiting_confirmation(number, &row.part, &row.position),
                });
        }
        for row in self.arbitrations.iter().filter(|row| &row.candidate == number) {
            if row.evaluation.status != EvaluationStatus::Submitted {
                continue;
            }
            let content = StoredContent::from_value(&row.evaluation.content)?;
            positions.entry(row.position.clone()).or_insert_with(|| empty_scoring(&row.position)).arbiter =
                Some(Evaluation {
                    examiner: row.examiner.clone(),
                    answers: content.answers,
                    remark: content.remark,
                    remark_language: content.remark_language,
                });
        }
        for ((candidate, position), evaluation) in &self.corrections {
            if candidate == number.as_str() {
                let content = StoredContent::from_value(evaluation)?;
                positions.entry(position.clone()).or_insert_with(|| empty_scoring(position)).agreed =
                    Some(AgreedEvaluation {
                        examiners: Vec::new(),
                        answers: content.answers,
                        remark: content.remark,
                        remark_language: content.remark_language,
                        awaiting_confirmation: Vec::new(),
                    });
            }
        }
        let present = status == CandidateStatus::Present;
        let cases = self
            .cases
            .iter()
            .filter(|sitting| &sitting.candidate == number)
            .map(|sitting| CaseSitting { position: sitting.position.clone(), case: sitting.case_id.clone() })
            .collect();
        Ok(Candidate {
            number: number.as_str().to_owned(),
            status,
            attempt: 1,
            carried_parts: Vec::new(),
            cases,
            positions: if present { positions.into_values().collect() } else { Vec::new() },
        })
    }

    /// The scoring session of every enrolled candidate.
    pub(crate) fn scoring_session(&self, exam: &PinnedExam) -> Result<Session, ApiError> {
        let header = exam.header(self.session.id);
        let candidates = self
            .candidates
            .iter()
            .map(|candidate| self.scoring_candidate(&candidate.number))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Session {
            remark_language: None,
            id: header.id,
            title: None,
            scheme: header.scheme,
            blueprint: header.blueprint,
            rubrics: header.rubrics,
            cases: header.cases,
            candidates,
        })
    }

    /// The case the candidate sits for `position`, as pinned in `exam`.
    pub(crate) fn case_of<'e>(
        &self,
        exam: &'e PinnedExam,
        number: &CandidateNumber,
        position: &str,
    ) -> Option<&'e CaseStudy> {
        let sitting =
            self.cases.iter().find(|sitting| &sitting.candidate == number && sitting.position == position)?;
        exam.case(&sitting.case_id)
    }

    /// Whether `examiner` is assigned to the candidate's part.
    pub(crate) fn assigned(&self, examiner: &str, number: &CandidateNumber, part: &str) -> bool {
        self.assignments.iter().any(|assignment| {
            assignment.examiner == examiner
                && &assignment.candidate_number == number
                && assignment.part == part
        })
    }

    /// The examiners of the candidate's part who have not confirmed the
    /// current version of the position's joint evaluation (empty when
    /// there is none, or when every examiner has).
    pub(crate) fn awaiting_confirmation(
        &self,
        number: &CandidateNumber,
        part: &str,
        position: &str,
    ) -> Vec<String> {
        let Some(agreed) =
            self.agreed.iter().find(|row| &row.candidate == number && row.position == position)
        else {
            return Vec::new();
        };
        let confirmed: Vec<(String, i64)> = self
            .confirmations
            .iter()
            .filter(|row| &row.candidate == number && row.position == position)
            .map(|row| (row.examiner.clone(), row.agreed_version))
            .collect();
        grille_workflow::awaiting_confirmation(
            &self.examiners_of(number, part),
            &confirmed,
            agreed.agreed.version,
        )
    }

    /// The arbiter of a position: the one named for it, else the one named
    /// for its part.
    pub(crate) fn arbiter_of(&self, part: &str, position: &str) -> Option<&str> {
        let named = |wanted: &str| {
            self.arbiters
                .iter()
                .find(|arbiter| arbiter.part == part && arbiter.position == wanted)
                .map(|arbiter| arbiter.examiner.as_str())
        };
        named(position).or_else(|| named(""))
    }

    /// The arbiter's evaluation of a candidate's position, if written.
    pub(crate) fn arbitration_of(
        &self,
        number: &CandidateNumber,
        position: &str,
    ) -> Option<&grille_store::SessionArbitration> {
        self.arbitrations.iter().find(|row| &row.candidate == number && row.position == position)
    }

    /// The examiners assigned to the candidate's part.
    pub(crate) fn examiners_of(&self, number: &CandidateNumber, part: &str) -> Vec<String> {
        self.assignments
            .iter()
            .filter(|assignment| &assignment.candidate_number == number && assignment.part == part)
            .map(|assignment| assignment.examiner.clone())
            .collect()
    }

    /// The evaluations of one position.
    pub(crate) fn position_evaluations<'a>(
        &'a self,
        number: &'a CandidateNumber,
        position: &'a str,
    ) -> impl Iterator<Item = &'a SessionEvaluation> + 'a {
        self.evaluations.iter().filter(move |row| &row.candidate == number && row.position == position)
    }
}

fn empty_scoring(position: &str) -> PositionScoring {
    PositionScoring { position: position.to_owned(), evaluations: Vec::new(), agreed: None, arbiter: None }
}

/// Scores candidates with the pinned documents. Problems of the assembled
/// session are internal errors: every answer was checked on the way in.
pub(crate) fn score(
    catalogue: &Catalogue,
    exam: &PinnedExam,
    session_id: i64,
    candidates: &[Candidate],
) -> Result<Vec<CandidateResult>, ApiError> {
    let documents = SessionDocuments {
        catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &exam.rubrics,
        cases: &exam.cases,
    };
    let scorer = Scorer::new(documents, exam.header(session_id)).map_err(|problems| {
        ApiError::internal(format!("pinned documents do not fit together: {problems:?}"))
    })?;
    let mut results = Vec::with_capacity(candidates.len());
    for (index, candidate) in candidates.iter().enumerate() {
        let problems = scorer.check_candidate(index, candidate);
        if !problems.is_empty() {
            return Err(ApiError::internal(format!("stored evaluations do not fit: {problems:?}")));
        }
        results.push(scorer.score_candidate(candidate));
    }
    Ok(results)
}
