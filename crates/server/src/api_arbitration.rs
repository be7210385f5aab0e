//! Moderation as boards run it: the arbiter (chief expert) of a part
//! reconciled by arbitration, and the examiners' confirmation of a joint
//! evaluation. Who may do what is asked of grille-workflow
//! (`arbiter_permit`, `confirmation_check`); the engine says, per
//! position, which reconciliation rule applied.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_scoring::{Message, MessageCode, PositionResult, Reconciliation};
use grille_store::{Actor, CandidateNumber, EvaluationKey, EvaluationStatus, Role};
use grille_workflow::{Action, ArbiterAction, ArbiterSubject, EvaluationState, SessionState};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_evaluations::{EvaluationView, PositionPath, compute_progress};
use crate::api_examiner::OwnState;
use crate::api_results::SessionPath;
use crate::auth::{CurrentUser, Staff};
use crate::error::{ApiError, FieldError};
use crate::exam::{
    self, EvaluationInput, PinnedExam, PinnedExamExt as _, SessionData, StoredContent, check_answers,
};
use crate::extract::{ApiJson, ApiPath, CallerLanguage, IfMatch, RequiredIfMatch};
use crate::reply::Tagged;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "arbitrage";
    let base = "/api/sessions/{id}/candidates/{number}/positions/{position}";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/arbiters",
            get_with(list_arbiters, |op| {
                op.tag(tag).summary("Les arbitres (expert·e·s en chef) nommé·e·s par épreuve ou point d'appréciation")
            })
            .put_with(set_arbiter, |op| {
                op.tag(tag).summary(
                    "Nommer (ou retirer) l'arbitre d'une épreuve ou d'un point d'appréciation (commission)",
                )
            }),
        )
        .api_route(
            "/api/me/arbitrations",
            get_with(my_arbitrations, |op| {
                op.tag(tag).summary("Les points d'appréciation à arbitrer (arbitre, une fois l'arbitrage nécessaire)")
            }),
        )
        .api_route(
            &format!("{base}/arbitration"),
            get_with(read_arbitration, |op| {
                op.tag(tag).summary("Les deux évaluations côte à côte et mon arbitrage (arbitre nommé·e)")
            })
            .put_with(save_arbitration, |op| {
                op.tag(tag).summary("Enregistrer mon arbitrage en brouillon (If-Match pour modifier une version)")
            }),
        )
        .api_route(
            &format!("{base}/arbitration/preview"),
            post_with(preview_arbitration, |op| {
                op.tag(tag).summary(
                    "Points et note de mon arbitrage en cours, sans l'enregistrer (arbitre nommé·e)",
                )
            }),
        )
        .api_route(
            &format!("{base}/arbitration/submit"),
            post_with(submit_arbitration, |op| {
                op.tag(tag).summary("Soumettre mon arbitrage (complet ; If-Match obligatoire) : il devient officiel")
            }),
        )
        .api_route(
            &format!("{base}/agreed/confirm"),
            post_with(confirm_agreed, |op| {
                op.tag(tag).summary(
                    "Confirmer l'évaluation commune dans mon compte (justification requise de part et d'autre de 4 ; sa langue : celle nommée, sinon celle de l'appelant·e)",
                )
            }),
        )
}

/// An arbiter named for a part or a position.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ArbiterView {
    /// The exam part.
    pub part: String,
    /// The position, absent when named for the whole part.
    pub position: Option<String>,
    /// The arbiter's username.
    pub examiner: String,
    /// When named (RFC 3339).
    pub assigned_at: String,
}

impl From<grille_store::ArbiterAssignment> for ArbiterView {
    fn from(row: grille_store::ArbiterAssignment) -> ArbiterView {
        ArbiterView {
            part: row.part,
            position: (!row.position.is_empty()).then_some(row.position),
            examiner: row.examiner,
            assigned_at: row.assigned_at,
        }
    }
}

/// Names (or removes) the arbiter of a part or a position.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArbiterRequest {
    /// The exam part.
    pub part: String,
    /// A position of the part, or nothing for the whole part.
    #[serde(default)]
    pub position: Option<String>,
    /// The arbiter's username; nothing removes the arbiter.
    #[serde(default)]
    pub examiner: Option<String>,
}

async fn list_arbiters(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<ArbiterView>>, ApiError> {
    let (data, _) =
        crate::scope::load_for(&state, &staff.current.user, path.id, Action::ViewProgress).await?;
    Ok(Json(data.arbiters.iter().cloned().map(ArbiterView::from).collect()))
}

async fn set_arbiter(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<ArbiterRequest>,
) -> Result<Json<Vec<ArbiterView>>, ApiError> {
    let user = staff.current.user.clone();
    let (data, exam) = crate::scope::load_for(&state, &user, path.id, Action::ViewProgress).await?;
    grille_workflow::permit(
        Action::AssignExaminers,
        exam::state_of(&data.session)?,
        &crate::scope::subject(&user, &data.session),
    )?;
    let mut errors = Vec::new();
    let part = exam.blueprint.part(&request.part);
    match part {
        None => errors.push(FieldError::said_at("/part", Message::new(MessageCode::ArbitrationPartUnknown))),
        Some(part) if part.reconciliation != Reconciliation::Arbitration => errors.push(FieldError::said_at(
            "/part",
            Message::new(MessageCode::ArbitrationPartNotArbitrated).with("part", &part.id),
        )),
        Some(_) => {}
    }
    let position = request.position.clone().unwrap_or_default();
    if !position.is_empty() && !part.is_some_and(|part| part.positions.iter().any(|p| p.id == position)) {
        errors.push(FieldError::said_at("/position", Message::new(MessageCode::ArbitrationPositionUnknown)));
    }
    let examiner = match request.examiner.clone() {
        Some(name) => {
            let found = state.db(move |store| store.user_by_username(&name)).await?;
            let fits = |user: &grille_store::User| match data.session.school_id {
                Some(school) => user.role == Role::Trainer && user.school_id == Some(school),
                None => user.role == Role::Examiner,
            };
            match found {
                Some(user) if fits(&user) => Some(user),
                _ => {
                    errors.push(FieldError::said_at(
                        "/examiner",
                        Message::new(MessageCode::ArbitrationExaminerUnknown),
                    ));
                    None
                }
            }
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let actor = Actor::user(&user);
    let part = request.part.clone();
    let id = path.id;
    state.db(move |store| store.set_arbiter(&actor, id, &part, &position, examiner.as_ref())).await?;
    let rows = state.db(move |store| store.session_arbiters(id)).await?;
    Ok(Json(rows.into_iter().map(ArbiterView::from).collect()))
}

/// A candidate's position as its arbiter sees it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ArbitrationView {
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The arbiter.
    pub arbiter: String,
    /// The position's title.
    pub position_title: grille_competence::LocalizedText,
    /// The session's workflow state.
    pub session_state: SessionState,
    /// The rubric the position is scored with (the candidate's case's, if
    /// it has its own).
    pub rubric: grille_scoring::Rubric,
    /// The examiners' submitted evaluations, side by side.
    pub evaluations: Vec<EvaluationView>,
    /// The arbiter's own evaluation, once saved.
    pub own: Option<EvaluationView>,
    /// The engine's result of the position (its comparison, flags and
    /// reconciliation).
    pub result: Option<PositionResult>,
}

/// A position the caller arbitrates, in their list.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ArbitrationItem {
    /// The session id.
    pub session_id: i64,
    /// The session name.
    pub session_name: String,
    /// The candidate number.
    pub candidate: String,
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// One's arbitration: `not_started`, `draft` or `submitted`.
    pub own: OwnState,
    /// The official grade so far.
    pub grade: Option<String>,
}

/// Whether every examiner of the candidate's part has submitted the
/// position and the comparison of their grades is flagged.
fn needed(
    data: &SessionData,
    exam: &PinnedExam,
    result: Option<&PositionResult>,
    number: &CandidateNumber,
    part: &str,
    position: &str,
) -> bool {
    let expected = exam.blueprint.part(part).map_or(2, |part| part.examiners as usize);
    let examiners = data.examiners_of(number, part);
    let submitted = data
        .position_evaluations(number, position)
        .filter(|row| row.evaluation.status == EvaluationStatus::Submitted)
        .count();
    let every = submitted >= expected
        && examiners.iter().all(|name| {
            data.position_evaluations(number, position)
                .any(|row| &row.examiner == name && row.evaluation.status == EvaluationStatus::Submitted)
        });
    let flagged = result.and_then(|result| result.comparison.as_ref()).is_some_and(|c| !c.flags.is_empty());
    grille_workflow::arbitration_needed(every, flagged)
}

/// The position resolved for its arbiter.
struct Arbitration {
    data: std::sync::Arc<SessionData>,
    exam: std::sync::Arc<PinnedExam>,
    number: CandidateNumber,
    part: String,
    position: String,
    user: grille_store::User,
    subject: ArbiterSubject,
    result: Option<PositionResult>,
}

impl Arbitration {
    async fn load(
        state: &AppState,
        current: &CurrentUser,
        path: PositionPath,
    ) -> Result<Arbitration, ApiError> {
        let (id, number, position) = path.parts();
        crate::scope::session_in_reach(state, &current.user, id).await?;
        let number = CandidateNumber::parse(&number).map_err(|_| ApiError::NotFound("Candidat·e"))?;
        let (data, exam) = exam::load(state, id).await?;
        if !data.candidates.iter().any(|candidate| candidate.number == number) {
            return Err(ApiError::NotFound("Candidat·e"));
        }
        let Some((part, _)) = exam.blueprint.position(&position) else {
            return Err(ApiError::NotFound("Point d'appréciation"));
        };
        let part = part.id.clone();
        let scored = compute_progress(state.catalogue(), &data, &exam)?;
        let index = data.candidates.iter().position(|candidate| candidate.number == number);
        let result = index
            .and_then(|index| scored.1.get(index))
            .and_then(|result| {
                result.parts.iter().flat_map(|p| p.positions.iter()).find(|p| p.position == position)
            })
            .cloned();
        let user = current.user.clone();
        let own =
            data.arbitration_of(&number, &position).filter(|row| row.examiner == user.username).map(|row| {
                match row.evaluation.status {
                    EvaluationStatus::Draft => EvaluationState::Draft,
                    EvaluationStatus::Submitted => EvaluationState::Submitted,
                }
            });
        let base = crate::scope::subject(&user, &data.session);
        let arbitrated =
            exam.blueprint.part(&part).is_some_and(|p| p.reconciliation == Reconciliation::Arbitration);
        let subject = ArbiterSubject {
            role: base.role,
            kind: base.kind,
            own_school: base.own_school,
            named: arbitrated && data.arbiter_of(&part, &position) == Some(user.username.as_str()),
            examines: data.assigned(&user.username, &number, &part),
            needed: needed(&data, &exam, result.as_ref(), &number, &part, &position),
            own,
        };
        Ok(Arbitration { data, exam, number, part, position, user, subject, result })
    }

    fn permit(&self, action: ArbiterAction) -> Result<(), ApiError> {
        grille_workflow::arbiter_permit(action, exam::state_of(&self.data.session)?, &self.subject)
            .map_err(ApiError::from)
    }

    fn key(&self) -> EvaluationKey {
        EvaluationKey {
            session_id: self.data.session.id,
            candidate: self.number.clone(),
            part: self.part.clone(),
            position: self.position.clone(),
        }
    }

    fn own_row(&self) -> Option<&grille_store::SessionArbitration> {
        self.data
            .arbitration_of(&self.number, &self.position)
            .filter(|row| row.examiner == self.user.username)
    }

    fn rubric(&self) -> Result<&grille_scoring::Rubric, ApiError> {
        let case = self.data.case_of(&self.exam, &self.number, &self.position);
        self.exam
            .rubric_for(&self.position, case)
            .ok_or_else(|| ApiError::internal("position without rubric"))
    }

    fn view(&self) -> Result<ArbitrationView, ApiError> {
        Ok(ArbitrationView {
            part: self.part.clone(),
            position: self.position.clone(),
            arbiter: self.user.username.clone(),
            position_title: self
                .exam
                .blueprint
                .position(&self.position)
                .map(|(_, position)| position.title.clone())
                .unwrap_or_else(|| grille_competence::LocalizedText::fr(self.position.clone())),
            session_state: self.data.session.workflow_state,
            rubric: self.rubric()?.clone(),
            evaluations: self
                .data
                .position_evaluations(&self.number, &self.position)
                .filter(|row| row.evaluation.status == EvaluationStatus::Submitted)
                .map(crate::api_evaluations::evaluation_view)
                .collect::<Result<Vec<_>, _>>()?,
            own: self.own_row().map(arbitration_view).transpose()?,
            result: self.result.clone(),
        })
    }

    async fn write(
        &self,
        state: &AppState,
        content: StoredContent,
        status: EvaluationStatus,
        expected: Option<i64>,
    ) -> Result<Tagged<EvaluationView>, ApiError> {
        let actor = Actor::user(&self.user);
        let key = self.key();
        let examiner_id = self.user.id;
        let value = content.to_value();
        let saved = state
            .db(move |store| store.save_arbitration(&actor, &key, examiner_id, &value, status, expected))
            .await?;
        let row = grille_store::SessionArbitration {
            candidate: self.number.clone(),
            part: self.part.clone(),
            position: self.position.clone(),
            examiner: self.user.username.clone(),
            evaluation: saved,
        };
        Ok(Tagged { version: row.evaluation.version, body: arbitration_view(&row)? })
    }
}

fn arbitration_view(row: &grille_store::SessionArbitration) -> Result<EvaluationView, ApiError> {
    crate::api_evaluations::evaluation_view(&grille_store::SessionEvaluation {
        candidate: row.candidate.clone(),
        part: row.part.clone(),
        position: row.position.clone(),
        examiner: row.examiner.clone(),
        evaluation: row.evaluation.clone(),
    })
}

async fn read_arbitration(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
) -> Result<Json<ArbitrationView>, ApiError> {
    let arbitration = Arbitration::load(&state, &current, path).await?;
    arbitration.permit(ArbiterAction::Read)?;
    Ok(Json(arbitration.view()?))
}

async fn save_arbitration(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    IfMatch(expected): IfMatch,
    caller: crate::extract::CallerLanguage,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Tagged<EvaluationView>, ApiError> {
    let arbitration = Arbitration::load(&state, &current, path).await?;
    arbitration.permit(ArbiterAction::Save)?;
    let input = input.in_language(caller);
    let case = arbitration.data.case_of(&arbitration.exam, &arbitration.number, &arbitration.position);
    let content = check_answers(arbitration.rubric()?, case, &input, false, "").map_err(ApiError::Invalid)?;
    arbitration.write(&state, content, EvaluationStatus::Draft, expected).await
}

/// The arbiter's form shows its live grade as the examiner's does: the same
/// preview of the engine, for answers not saved yet.
async fn preview_arbitration(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Json<crate::api_examiner::Preview>, ApiError> {
    let arbitration = Arbitration::load(&state, &current, path).await?;
    arbitration.permit(ArbiterAction::Read)?;
    let case = arbitration.data.case_of(&arbitration.exam, &arbitration.number, &arbitration.position);
    let rubric = arbitration.rubric()?;
    let content = check_answers(rubric, case, &input, false, "").map_err(ApiError::Invalid)?;
    Ok(Json(crate::api_examiner::preview_of(rubric, case, &arbitration.exam.scheme, &content)))
}

async fn submit_arbitration(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
) -> Result<Tagged<EvaluationView>, ApiError> {
    let arbitration = Arbitration::load(&state, &current, path).await?;
    arbitration.permit(ArbiterAction::Submit)?;
    let own = arbitration.own_row().ok_or(ApiError::NotFound("Évaluation"))?;
    let content = StoredContent::from_value(&own.evaluation.content)?;
    let input = crate::api_evaluations::input_of(&content);
    let case = arbitration.data.case_of(&arbitration.exam, &arbitration.number, &arbitration.position);
    let content = check_answers(arbitration.rubric()?, case, &input, true, "").map_err(ApiError::Invalid)?;
    arbitration.write(&state, content, EvaluationStatus::Submitted, Some(expected)).await
}

async fn my_arbitrations(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<ArbitrationItem>>, ApiError> {
    if !matches!(current.user.role, Role::Examiner | Role::Trainer) {
        return Err(ApiError::Forbidden);
    }
    let username = current.user.username.clone();
    let sessions = state.db(|store| store.exam_sessions()).await?;
    let mut list = Vec::new();
    for session in sessions {
        let id = session.id;
        let arbiters = state.db(move |store| store.session_arbiters(id)).await?;
        if !arbiters.iter().any(|arbiter| arbiter.examiner == username) {
            continue;
        }
        let (data, exam) = exam::load(&state, id).await?;
        if !matches!(
            data.session.workflow_state,
            SessionState::Scoring | SessionState::Finalised | SessionState::Published
        ) {
            continue;
        }
        let scored = compute_progress(state.catalogue(), &data, &exam)?;
        for (candidate, result) in data.candidates.iter().zip(scored.1.iter()) {
            for part in
                exam.blueprint.parts.iter().filter(|part| part.reconciliation == Reconciliation::Arbitration)
            {
                for position in &part.positions {
                    if data.arbiter_of(&part.id, &position.id) != Some(username.as_str())
                        || data.assigned(&username, &candidate.number, &part.id)
                    {
                        continue;
                    }
                    let scored = result
                        .parts
                        .iter()
                        .flat_map(|p| p.positions.iter())
                        .find(|p| p.position == position.id);
                    // Blind until needed: a position enters the list only
                    // once both examiners submitted and a flag is raised.
                    if !needed(&data, &exam, scored, &candidate.number, &part.id, &position.id) {
                        continue;
                    }
                    let own = data
                        .arbitration_of(&candidate.number, &position.id)
                        .filter(|row| row.examiner == username)
                        .map_or(OwnState::NotStarted, |row| match row.evaluation.status {
                            EvaluationStatus::Draft => OwnState::Draft,
                            EvaluationStatus::Submitted => OwnState::Submitted,
                        });
                    list.push(ArbitrationItem {
                        session_id: id,
                        session_name: data.session.name.clone(),
                        candidate: candidate.number.as_str().to_owned(),
                        part: part.id.clone(),
                        position: position.id.clone(),
                        own,
                        grade: scored.and_then(|p| p.grade).map(grille_scoring::decimal::display),
                    });
                }
            }
        }
    }
    Ok(Json(list))
}

/// An examiner confirms the joint evaluation as it is in `version`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The version of the joint evaluation confirmed (as read).
    pub version: i64,
    /// Required when the joint grade and one's own grade lie on both sides
    /// of the pass mark.
    #[serde(default)]
    pub justification: Option<String>,
    /// The language the justification is written in (`fr`, `de`, `it`).
    /// Absent: the caller's language (the `lang` cookie, else
    /// `Accept-Language`), else unknown. Recorded only with a
    /// justification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification_language: Option<grille_scoring::CaseLanguage>,
}

/// One examiner's confirmation of a joint evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ConfirmationView {
    /// The examiner.
    pub examiner: String,
    /// Whether their confirmation is on the current version.
    pub current: bool,
    /// The version confirmed.
    pub agreed_version: i64,
    /// Their justification, when given.
    pub justification: Option<String>,
    /// The language of the justification, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification_language: Option<grille_scoring::CaseLanguage>,
    /// When confirmed (RFC 3339).
    pub confirmed_at: String,
}

/// The confirmations of a position's joint evaluation, current or not.
pub(crate) fn confirmations_of(
    data: &SessionData,
    number: &CandidateNumber,
    position: &str,
) -> Vec<ConfirmationView> {
    let version = data
        .agreed
        .iter()
        .find(|row| &row.candidate == number && row.position == position)
        .map(|row| row.agreed.version);
    data.confirmations
        .iter()
        .filter(|row| &row.candidate == number && row.position == position)
        .map(|row| ConfirmationView {
            examiner: row.examiner.clone(),
            current: Some(row.agreed_version) == version,
            agreed_version: row.agreed_version,
            justification: row.justification.clone(),
            justification_language: stored_language(row.justification_language.as_deref()),
            confirmed_at: row.confirmed_at.clone(),
        })
        .collect()
}

/// A language the store kept (the database admits only `fr`, `de`, `it`).
fn stored_language(code: Option<&str>) -> Option<grille_scoring::CaseLanguage> {
    code.and_then(grille_scoring::CaseLanguage::parse)
}

const JUSTIFICATION_LIMIT: usize = 5000;

async fn confirm_agreed(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    caller: CallerLanguage,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> Result<Json<ConfirmationView>, ApiError> {
    let context = crate::api_evaluations::context(&state, &current, path).await?;
    // The same rule as recording it: an examiner of the part, both
    // evaluations submitted, while scoring.
    context.permit(Action::RecordAgreed)?;
    let agreed = context
        .data
        .agreed
        .iter()
        .find(|row| row.candidate == context.number && row.position == context.position)
        .ok_or(ApiError::NotFound("Évaluation commune"))?;
    let justification = request.justification.as_deref().map(str::trim).filter(|text| !text.is_empty());
    if justification.is_some_and(|text| text.chars().count() > JUSTIFICATION_LIMIT) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/justification",
            Message::new(MessageCode::AgreedJustificationTooLong)
                .with("max", JUSTIFICATION_LIMIT.to_string()),
        )]));
    }
    // The joint grade against one's own, as the engine computes both.
    let joint = agreed.agreed.grade.as_deref().and_then(|grade| grade.parse::<rust_decimal::Decimal>().ok());
    let own = context.position_result_now()?.and_then(|result| {
        result
            .evaluations
            .iter()
            .find(|evaluation| evaluation.examiner.as_deref() == Some(context.user.username.as_str()))
            .and_then(|evaluation| evaluation.grade.as_ref().map(|grade| grade.grade))
    });
    if let Some(joint) = joint {
        grille_workflow::confirmation_check(
            &joint,
            own.as_ref(),
            &context.exam.scheme.scale.pass_mark,
            justification,
        )?;
    }
    if request.version != agreed.agreed.version {
        return Err(ApiError::from(grille_store::StoreError::StaleVersion {
            expected: Some(request.version),
            current: agreed.agreed.version,
        }));
    }
    let actor = Actor::user(&context.user);
    let key = EvaluationKey {
        session_id: context.data.session.id,
        candidate: context.number.clone(),
        part: context.part.clone(),
        position: context.position.clone(),
    };
    let user = context.user.clone();
    let version = request.version;
    let text = justification.map(str::to_owned);
    // A language only where there is a justification to say it of.
    let language = request.justification_language.or(caller.0).filter(|_| text.is_some());
    let saved = state
        .db(move |store| {
            store.confirm_agreed(&actor, &key, &user, version, text.as_deref(), language.map(|l| l.code()))
        })
        .await?;
    Ok(Json(ConfirmationView {
        examiner: saved.examiner,
        current: true,
        agreed_version: saved.agreed_version,
        justification: saved.justification,
        justification_language: stored_language(saved.justification_language.as_deref()),
        confirmed_at: saved.confirmed_at,
    }))
}
