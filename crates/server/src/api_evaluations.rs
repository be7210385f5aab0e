//! Evaluations: an examiner's own draft and submission, blind double
//! marking, the agreed evaluation, and the board's progress view. Every
//! decision of who may do what is asked of grille-workflow.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use grille_scoring::{DiscrepancyStatus, Message, MessageCode};
use grille_store::{Actor, CandidateNumber, EvaluationKey, EvaluationStatus, User};
use grille_workflow::{Action, EvaluationState, Role as FlowRole, SessionState, Subject, permit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::{CurrentUser, Staff};
use crate::error::ApiError;
use std::sync::Arc;

use crate::exam::{
    self, EvaluationInput, PinnedExam, PinnedExamExt as _, SessionData, StoredContent, check_answers,
};
use crate::extract::RequiredIfMatch;
use crate::extract::{ApiJson, ApiPath, CallerLanguage, IfMatch};
use crate::reply::Tagged;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "évaluations";
    let base = "/api/sessions/{id}/candidates/{number}/positions/{position}";
    ApiRouter::new()
        .api_route(
            &format!("{base}/evaluations"),
            get_with(list, |op| {
                op.tag(tag).summary(
                    "Les évaluations d'un point d'appréciation, l'évaluation commune et la comparaison \
                     (commission ; expert·e après avoir soumis la sienne)",
                )
            }),
        )
        .api_route(
            &format!("{base}/evaluations/mine"),
            get_with(mine, |op| op.tag(tag).summary("Mon évaluation (expert·e attribué·e)"))
                .put_with(save, |op| {
                    op.tag(tag).summary("Enregistrer mon brouillon (If-Match pour modifier une version)")
                }),
        )
        .api_route(
            &format!("{base}/evaluations/mine/submit"),
            post_with(submit, |op| {
                op.tag(tag).summary(
                    "Soumettre mon évaluation (complète ; If-Match obligatoire) : elle est verrouillée",
                )
            }),
        )
        .api_route(
            &format!("{base}/agreed"),
            put_with(save_agreed, |op| {
                op.tag(tag).summary(
                    "Enregistrer l'évaluation commune (expert·e·s de l'épreuve, toutes évaluations soumises)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/progress",
            get_with(progress, |op| {
                op.tag(tag).summary("Avancement : évaluations manquantes, divergences ouvertes (commission)")
            }),
        )
}

/// A position of a candidate in a session.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct PositionPath {
    /// The session id.
    id: i64,
    /// The candidate number.
    number: String,
    /// The blueprint position id (`1.1`, `2.1`, ...).
    position: String,
}

impl PositionPath {
    /// The path of a candidate's position.
    pub(crate) fn new(id: i64, number: String, position: String) -> PositionPath {
        PositionPath { id, number, position }
    }

    /// The session id, the candidate number and the position, as sent.
    pub(crate) fn parts(self) -> (i64, String, String) {
        (self.id, self.number, self.position)
    }
}

/// An examiner's evaluation.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct EvaluationView {
    /// The examiner's username.
    pub examiner: String,
    /// `draft` or `submitted`.
    pub status: crate::api_examiner::OwnState,
    /// The answers, one per criterion answered.
    pub answers: Vec<grille_scoring::Answer>,
    /// The overall remark.
    pub remark: Option<String>,
    /// The language of the remarks, when recorded (`fr`, `de`, `it`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark_language: Option<grille_scoring::CaseLanguage>,
    /// The version (also sent as `ETag`).
    pub version: i64,
    /// When last written (RFC 3339).
    pub updated_at: String,
}

/// The agreed evaluation.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct AgreedView {
    /// The answers.
    pub answers: Vec<grille_scoring::Answer>,
    /// The justification.
    pub remark: Option<String>,
    /// The language of the justification and remarks, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark_language: Option<grille_scoring::CaseLanguage>,
    /// The resulting position grade.
    pub grade: Option<String>,
    /// The version (also sent as `ETag` by PUT).
    pub version: i64,
    /// When last written.
    pub updated_at: String,
}

/// Everything about one position of one candidate.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct PositionEvaluations {
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The examiners assigned to the part.
    pub examiners: Vec<String>,
    /// The evaluations visible to the caller.
    pub evaluations: Vec<EvaluationView>,
    /// The agreed evaluation, if recorded.
    pub agreed: Option<AgreedView>,
    /// The scoring crate's result of the position from the submitted
    /// evaluations: each one scored, their comparison criterion by
    /// criterion, the official grade and its source.
    pub result: Option<grille_scoring::PositionResult>,
    /// How the part reconciles differing evaluations: `agreed`, `mean` or
    /// `arbitration`.
    pub reconciliation: grille_scoring::Reconciliation,
    /// The examiners' confirmations of the joint evaluation (a
    /// confirmation on an older version is no longer `current`).
    pub confirmations: Vec<crate::api_arbitration::ConfirmationView>,
    /// The examiners who have not confirmed the current joint evaluation.
    pub awaiting_confirmation: Vec<String>,
    /// The arbiter named for the position (arbitration mode), shown once
    /// one's own evaluation is submitted.
    pub arbiter: Option<String>,
}

fn answers_json(content: &StoredContent) -> Vec<grille_scoring::Answer> {
    content.answers.clone()
}

pub(crate) fn evaluation_view(row: &grille_store::SessionEvaluation) -> Result<EvaluationView, ApiError> {
    let content = StoredContent::from_value(&row.evaluation.content)?;
    Ok(EvaluationView {
        examiner: row.examiner.clone(),
        status: match row.evaluation.status {
            EvaluationStatus::Draft => crate::api_examiner::OwnState::Draft,
            EvaluationStatus::Submitted => crate::api_examiner::OwnState::Submitted,
        },
        answers: answers_json(&content),
        remark: content.remark,
        remark_language: content.remark_language,
        version: row.evaluation.version,
        updated_at: row.evaluation.updated_at.clone(),
    })
}

fn agreed_view(agreed: &grille_store::AgreedEvaluation) -> Result<AgreedView, ApiError> {
    let content = StoredContent::from_value(&agreed.content)?;
    Ok(AgreedView {
        answers: answers_json(&content),
        remark: content.remark,
        remark_language: content.remark_language,
        grade: agreed.grade.clone(),
        version: agreed.version,
        updated_at: agreed.updated_at.clone(),
    })
}

/// A position resolved against the session: the candidate, the part, who
/// asks and what they are to it.
pub(crate) struct Context {
    pub(crate) data: Arc<SessionData>,
    pub(crate) exam: Arc<PinnedExam>,
    pub(crate) number: CandidateNumber,
    pub(crate) part: String,
    pub(crate) position: String,
    pub(crate) subject: Subject,
    pub(crate) user: User,
    state: AppState,
}

impl Context {
    fn key(&self) -> EvaluationKey {
        EvaluationKey {
            session_id: self.data.session.id,
            candidate: self.number.clone(),
            part: self.part.clone(),
            position: self.position.clone(),
        }
    }

    pub(crate) fn own(&self) -> Option<&grille_store::SessionEvaluation> {
        self.data
            .position_evaluations(&self.number, &self.position)
            .find(|row| row.examiner == self.user.username)
    }

    pub(crate) fn permit(&self, action: Action) -> Result<(), ApiError> {
        permit(action, exam::state_of(&self.data.session)?, &self.subject).map_err(ApiError::from)
    }

    pub(crate) fn rubric(&self) -> Result<&grille_scoring::Rubric, ApiError> {
        self.exam
            .rubric_for(&self.position, self.case())
            .ok_or_else(|| ApiError::internal("position without rubric"))
    }

    /// The case the candidate sat for this position, if the session assigns one.
    pub(crate) fn case(&self) -> Option<&grille_scoring::CaseStudy> {
        self.data.case_of(&self.exam, &self.number, &self.position)
    }

    /// The scored position from the stored (submitted) evaluations.
    pub(crate) fn position_result_now(&self) -> Result<Option<grille_scoring::PositionResult>, ApiError> {
        self.position_result(None)
    }

    /// The scored position from the stored (submitted) evaluations, with
    /// `agreed` in place of the stored agreed evaluation if given.
    fn position_result(
        &self,
        agreed: Option<&StoredContent>,
    ) -> Result<Option<grille_scoring::PositionResult>, ApiError> {
        let mut candidate = self.data.scoring_candidate(&self.number)?;
        if let Some(agreed) = agreed {
            match candidate.positions.iter_mut().find(|scoring| scoring.position == self.position) {
                Some(scoring) => {
                    scoring.agreed = Some(grille_scoring::AgreedEvaluation {
                        remark_language: agreed.remark_language,
                        examiners: Vec::new(),
                        answers: agreed.answers.clone(),
                        remark: agreed.remark.clone(),
                        awaiting_confirmation: Vec::new(),
                    });
                }
                None => return Ok(None),
            }
        }
        let session_id = self.data.session.id;
        let results =
            exam::score(self.state.catalogue(), &self.exam, session_id, std::slice::from_ref(&candidate))?;
        Ok(results
            .first()
            .and_then(|result| {
                result
                    .parts
                    .iter()
                    .flat_map(|part| part.positions.iter())
                    .find(|p| p.position == self.position)
            })
            .cloned())
    }
}

pub(crate) async fn context(
    state: &AppState,
    current: &CurrentUser,
    path: PositionPath,
) -> Result<Context, ApiError> {
    crate::scope::cohort_in_reach(state, &current.user, path.id).await?;
    let number = CandidateNumber::parse(&path.number).map_err(|_| ApiError::NotFound("Candidat·e"))?;
    let (data, exam) = exam::load_around(state, path.id, &number, &current.user.username).await?;
    if !data.candidates.iter().any(|candidate| candidate.number == number) {
        return Err(ApiError::NotFound("Candidat·e"));
    }
    let Some((part, _)) = exam.blueprint.position(&path.position) else {
        return Err(ApiError::NotFound("Point d'appréciation"));
    };
    let part = part.id.clone();
    let user = current.user.clone();
    let role = exam::flow_role(user.role);
    let own = data
        .position_evaluations(&number, &path.position)
        .find(|row| row.examiner == user.username)
        .map(|row| match row.evaluation.status {
            EvaluationStatus::Draft => EvaluationState::Draft,
            EvaluationStatus::Submitted => EvaluationState::Submitted,
        });
    let examiners = data.examiners_of(&number, &part);
    let partners_submitted = examiners.iter().filter(|name| **name != user.username).all(|name| {
        data.position_evaluations(&number, &path.position)
            .any(|row| &row.examiner == name && row.evaluation.status == EvaluationStatus::Submitted)
    });
    // Trainers score the mock sessions of their school like examiners.
    let scorer = matches!(role, FlowRole::Examiner | FlowRole::Trainer);
    let subject = Subject {
        assigned: scorer && data.assigned(&user.username, &number, &part),
        own_evaluation: own,
        partners_submitted,
        own_pending: crate::scope::own_pending(&data, &exam, &user),
        ..crate::scope::subject(&user, &data.session)
    };
    Ok(Context { data, exam, number, part, position: path.position, subject, user, state: state.clone() })
}

async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
) -> Result<Json<PositionEvaluations>, ApiError> {
    let context = context(&state, &current, path).await?;
    context.permit(Action::ReadPartnerEvaluations)?;
    let board = context.subject.role == FlowRole::Board;
    let evaluations = context
        .data
        .position_evaluations(&context.number, &context.position)
        .filter(|row| {
            board
                || row.examiner == context.user.username
                || row.evaluation.status == EvaluationStatus::Submitted
        })
        .map(evaluation_view)
        .collect::<Result<Vec<_>, _>>()?;
    let agreed = context
        .data
        .agreed
        .iter()
        .find(|row| row.candidate == context.number && row.position == context.position)
        .map(|row| agreed_view(&row.agreed))
        .transpose()?;
    Ok(Json(PositionEvaluations {
        part: context.part.clone(),
        position: context.position.clone(),
        examiners: context.data.examiners_of(&context.number, &context.part),
        evaluations,
        agreed,
        result: context.position_result(None)?,
        reconciliation: context
            .exam
            .blueprint
            .part(&context.part)
            .map(|part| part.reconciliation)
            .unwrap_or_default(),
        confirmations: crate::api_arbitration::confirmations_of(
            &context.data,
            &context.number,
            &context.position,
        ),
        awaiting_confirmation: context.data.awaiting_confirmation(
            &context.number,
            &context.part,
            &context.position,
        ),
        arbiter: context.data.arbiter_of(&context.part, &context.position).map(str::to_owned),
    }))
}

async fn mine(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
) -> Result<Tagged<EvaluationView>, ApiError> {
    let context = context(&state, &current, path).await?;
    context.permit(Action::ReadOwnEvaluation)?;
    let own = context.own().ok_or(ApiError::NotFound("Évaluation"))?;
    Ok(Tagged { version: own.evaluation.version, body: evaluation_view(own)? })
}

async fn write_own(
    state: &AppState,
    context: &Context,
    content: StoredContent,
    status: EvaluationStatus,
    expected: Option<i64>,
) -> Result<Tagged<EvaluationView>, ApiError> {
    let actor = Actor::user(&context.user);
    let key = context.key();
    let examiner_id = context.user.id;
    let examiner = context.user.username.clone();
    let value = content.to_value();
    let saved = state
        .db(move |store| store.save_evaluation(&actor, &key, examiner_id, &value, status, expected))
        .await?;
    let row = grille_store::SessionEvaluation {
        candidate: context.number.clone(),
        part: context.part.clone(),
        position: context.position.clone(),
        examiner,
        evaluation: saved,
    };
    Ok(Tagged { version: row.evaluation.version, body: evaluation_view(&row)? })
}

async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    IfMatch(expected): IfMatch,
    caller: CallerLanguage,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Tagged<EvaluationView>, ApiError> {
    let context = context(&state, &current, path).await?;
    context.permit(Action::SaveOwnEvaluation)?;
    let input = input.in_language(caller);
    let content =
        check_answers(context.rubric()?, context.case(), &input, false, "").map_err(ApiError::Invalid)?;
    write_own(&state, &context, content, EvaluationStatus::Draft, expected).await
}

async fn submit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
) -> Result<Tagged<EvaluationView>, ApiError> {
    let context = context(&state, &current, path).await?;
    context.permit(Action::SubmitOwnEvaluation)?;
    let own = context.own().ok_or(ApiError::NotFound("Évaluation"))?;
    let content = StoredContent::from_value(&own.evaluation.content)?;
    let input = input_of(&content);
    let content =
        check_answers(context.rubric()?, context.case(), &input, true, "").map_err(ApiError::Invalid)?;
    write_own(&state, &context, content, EvaluationStatus::Submitted, Some(expected)).await
}

/// Stored answers as the input they were saved from, to check them again
/// as complete on submission.
pub(crate) fn input_of(content: &StoredContent) -> EvaluationInput {
    EvaluationInput {
        answers: content
            .answers
            .iter()
            .map(|answer| exam::AnswerInput {
                criterion: answer.criterion.clone(),
                points: answer.points.map(|points| serde_json::Value::String(points.to_string())),
                not_assessable: answer.not_assessable,
                remark: answer.remark.clone(),
            })
            .collect(),
        remark: content.remark.clone(),
        remark_language: content.remark_language,
    }
}

async fn save_agreed(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    IfMatch(expected): IfMatch,
    caller: CallerLanguage,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Tagged<AgreedView>, ApiError> {
    let context = context(&state, &current, path).await?;
    context.permit(Action::RecordAgreed)?;
    let input = input.in_language(caller);
    let mode = context.exam.blueprint.part(&context.part).map(|part| part.reconciliation).unwrap_or_default();
    if mode != grille_scoring::Reconciliation::Agreed {
        // A mean or an arbiter makes the grade of such a part.
        return Err(ApiError::ConflictSaid(
            Message::new(MessageCode::AgreedNotAgreedMode)
                .with("part", &context.part)
                .with("mode", mode.as_str()),
        ));
    }
    let content =
        check_answers(context.rubric()?, context.case(), &input, true, "").map_err(ApiError::Invalid)?;
    // The grade as its JSON text (the decimals of the position step).
    let grade = context
        .position_result(Some(&content))?
        .and_then(|result| result.grade)
        .map(|grade| grade.to_string());
    let actor = Actor::user(&context.user);
    let key = context.key();
    let value = content.to_value();
    let stored_grade = grade.clone();
    let saved = state
        .db(move |store| {
            store.save_agreed_evaluation(&actor, &key, &value, stored_grade.as_deref(), expected)
        })
        .await?;
    Ok(Tagged { version: saved.version, body: agreed_view(&saved)? })
}

/// The progress of one position.
#[derive(Debug, Clone, Serialize, JsonSchema, Deserialize)]
pub struct PositionProgress {
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// Examiners assigned to the part.
    pub assigned: Vec<String>,
    /// Examiners expected by the blueprint.
    pub expected: u32,
    /// Examiners who submitted.
    pub submitted: Vec<String>,
    /// Examiners with a draft.
    pub drafts: Vec<String>,
    /// `none`, `open` or `agreed` (from the scoring crate's comparison).
    pub discrepancy: DiscrepancyStatus,
    /// The official grade, if any.
    pub grade: Option<String>,
    /// The reconciliation rule that applied or is awaited (absent while
    /// nothing is submitted).
    pub rule: Option<grille_scoring::ReconciliationRule>,
    /// Whether a joint evaluation is recorded.
    pub agreed: bool,
    /// The examiners who have not confirmed the current joint evaluation.
    pub awaiting_confirmation: Vec<String>,
    /// The arbiter named for the position (arbitration mode).
    pub arbiter: Option<String>,
}

/// The progress of one candidate.
#[derive(Debug, Clone, Serialize, JsonSchema, Deserialize)]
pub struct CandidateProgress {
    /// The candidate number.
    pub number: String,
    /// Whether they sat the exam.
    pub status: grille_scoring::CandidateStatus,
    /// Passed, failed, pending or no result (a preview until finalised).
    pub outcome: grille_scoring::Outcome,
    /// What is still missing, in French.
    pub pending: Vec<String>,
    /// `pending`, as codes and their arguments (one message per text),
    /// for readers of other languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_messages: Vec<grille_scoring::Message>,
    /// Position by position.
    pub positions: Vec<PositionProgress>,
}

/// The progress of a session.
#[derive(Debug, Clone, Serialize, JsonSchema, Deserialize)]
pub struct Progress {
    /// The workflow state.
    pub state: SessionState,
    /// Evaluations expected (positions × examiners, present candidates).
    pub evaluations_expected: usize,
    /// Evaluations submitted.
    pub evaluations_submitted: usize,
    /// Evaluations saved as drafts.
    pub drafts: usize,
    /// Positions whose examiners differ with no agreed evaluation.
    pub open_discrepancies: usize,
    /// Candidates whose outcome is pending.
    pub pending_candidates: usize,
    /// Candidate by candidate.
    pub candidates: Vec<CandidateProgress>,
}

/// The progress (and the readiness for finalisation) and every
/// candidate's scores: computed once per session snapshot.
pub(crate) fn compute_progress(
    catalogue: &grille_competence::Catalogue,
    data: &SessionData,
    exam: &PinnedExam,
) -> Result<Arc<exam::Scored>, ApiError> {
    data.scored.get_or_try(|| score_and_count(catalogue, data, exam))
}

fn score_and_count(
    catalogue: &grille_competence::Catalogue,
    data: &SessionData,
    exam: &PinnedExam,
) -> Result<exam::Scored, ApiError> {
    let session = data.scoring_session(exam)?;
    let results = exam::score(catalogue, exam, data.session.id, &session.candidates)?;
    let mut progress = Progress {
        state: data.session.workflow_state,
        evaluations_expected: 0,
        evaluations_submitted: 0,
        drafts: 0,
        open_discrepancies: 0,
        pending_candidates: 0,
        candidates: Vec::new(),
    };
    for (enrolled, result) in data.candidates.iter().zip(&results) {
        let mut positions = Vec::new();
        let present = enrolled.status == "present";
        for part in &exam.blueprint.parts {
            for position in &part.positions {
                let rows: Vec<_> = data.position_evaluations(&enrolled.number, &position.id).collect();
                let by = |status| {
                    rows.iter()
                        .filter(|row| row.evaluation.status == status)
                        .map(|row| row.examiner.clone())
                        .collect::<Vec<_>>()
                };
                let (submitted, drafts) = (by(EvaluationStatus::Submitted), by(EvaluationStatus::Draft));
                let scored = result
                    .parts
                    .iter()
                    .flat_map(|part| part.positions.iter())
                    .find(|scored| scored.position == position.id);
                let discrepancy = scored
                    .and_then(|scored| scored.comparison.as_ref())
                    .map_or(DiscrepancyStatus::None, |comparison| comparison.status);
                if present {
                    progress.evaluations_expected += part.examiners as usize;
                    progress.evaluations_submitted += submitted.len();
                    progress.drafts += drafts.len();
                    if discrepancy == DiscrepancyStatus::Open {
                        progress.open_discrepancies += 1;
                    }
                }
                positions.push(PositionProgress {
                    part: part.id.clone(),
                    position: position.id.clone(),
                    assigned: data.examiners_of(&enrolled.number, &part.id),
                    expected: part.examiners,
                    submitted,
                    drafts,
                    discrepancy,
                    grade: scored.and_then(|scored| scored.grade).map(grille_scoring::decimal::display),
                    rule: scored.and_then(|scored| scored.reconciliation.as_ref()).map(|r| r.rule),
                    agreed: data
                        .agreed
                        .iter()
                        .any(|row| row.candidate == enrolled.number && row.position == position.id),
                    awaiting_confirmation: data.awaiting_confirmation(
                        &enrolled.number,
                        &part.id,
                        &position.id,
                    ),
                    arbiter: data.arbiter_of(&part.id, &position.id).map(str::to_owned),
                });
            }
        }
        if result.outcome == grille_scoring::Outcome::Pending {
            progress.pending_candidates += 1;
        }
        progress.candidates.push(CandidateProgress {
            number: enrolled.number.as_str().to_owned(),
            status: exam::status_of(&enrolled.status)?,
            outcome: result.outcome,
            pending: result.pending.clone(),
            pending_messages: result.pending_messages.clone(),
            positions: if present { positions } else { Vec::new() },
        });
    }
    Ok((progress, results))
}

async fn progress(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<crate::api_results::SessionPath>,
) -> Result<Json<Progress>, ApiError> {
    let (data, exam) =
        crate::scope::load_for(&state, &staff.current.user, path.id, Action::ViewProgress).await?;
    let scored = compute_progress(state.catalogue(), &data, &exam)?;
    Ok(Json(scored.0.clone()))
}
