//! Corrections of finalised results (appeals): a preview of what a
//! correction changes, the direct correction when the decision stays, and
//! the four-eyes proposals when it changes (grille-workflow's
//! `correction_route` and `proposal_permit` decide which).

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, CandidateNumber, NewCorrection, NewProposal, ProposalDecision};
use grille_workflow::{
    Action, CorrectionRoute, ProposalAction, SessionKind, correction_route, permit, proposal_permit,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_results::{
    CandidatePath, ResultView, SessionPath, new_result, parse_number, session_state, stored_view,
};
use crate::auth::Staff;
use crate::error::{ApiError, FieldError};
use crate::exam::{self, EvaluationInput, PinnedExamExt as _, check_answers};
use crate::extract::{ApiJson, ApiPath, RequiredIfMatch};
use crate::reply::{Created, Tagged};
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "résultats";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/candidates/{number}/corrections",
            post_with(correct, |op| {
                op.tag(tag).summary(
                    "Corriger une note arrêtée (recours) avec un motif ; If-Match : version du résultat. Une correction qui change la décision se propose (principe des quatre yeux)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/candidates/{number}/corrections/preview",
            post_with(preview, |op| {
                op.tag(tag).summary(
                    "Aperçu d'une correction : notes et décision avant et après, sans rien enregistrer",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/candidates/{number}/corrections/proposals",
            post_with(propose, |op| {
                op.tag(tag).summary(
                    "Proposer une correction qui change la décision ; un·e second·e membre de la commission l'approuve (If-Match : version du résultat)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/corrections/proposals",
            get_with(proposals, |op| {
                op.tag(tag).summary("Corrections proposées de la session (en attente et tranchées)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/corrections/proposals/{proposal}/approve",
            post_with(approve, |op| {
                op.tag(tag).summary(
                    "Approuver la correction proposée par un·e autre membre de la commission : elle s'applique",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/corrections/proposals/{proposal}/reject",
            post_with(reject, |op| {
                op.tag(tag).summary("Rejeter la correction proposée par un·e autre membre (motif requis)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/corrections/proposals/{proposal}/withdraw",
            post_with(withdraw, |op| op.tag(tag).summary("Retirer sa propre proposition de correction")),
        )
}

/// A correction of a finalised grade.
#[derive(Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    /// The position whose official evaluation is replaced.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,40}$"))]
    pub position: String,
    /// Why (decision on appeal, error found): required.
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub reason: String,
    /// The corrected evaluation, complete.
    pub evaluation: EvaluationInput,
}

impl CorrectionRequest {
    /// The request with the caller's language for remarks that name none.
    fn in_language(self, caller: crate::extract::CallerLanguage) -> CorrectionRequest {
        CorrectionRequest { evaluation: self.evaluation.in_language(caller), ..self }
    }
}

/// What a correction would change, computed and not saved.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CorrectionPreview {
    /// The result as it stands (its `version` is the `If-Match` to send).
    pub before: ResultView,
    /// The result the correction gives (version 0: not saved).
    pub after: ResultView,
    /// `true` when the decision changes (passed ↔ failed).
    pub decision_changes: bool,
    /// `true` when the correction must be proposed and approved by a
    /// second board member rather than saved at once.
    pub needs_second_approval: bool,
}

/// A proposed correction.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ProposalView {
    /// Its id.
    pub id: i64,
    /// The candidate number.
    pub number: String,
    /// The position whose official evaluation would be replaced.
    pub position: String,
    /// The stated reason.
    pub reason: String,
    /// The result's version it was computed on.
    pub result_version: i64,
    /// The result before, with its explanation.
    pub before: grille_scoring::CandidateResult,
    /// The result the correction gives.
    pub after: grille_scoring::CandidateResult,
    /// When proposed (RFC 3339).
    pub proposed_at: String,
    /// Who proposed (username).
    pub proposed_by: String,
    /// `approved`, `rejected`, `withdrawn`; absent while it waits.
    pub decision: Option<String>,
    /// The note given with a rejection or withdrawal.
    pub decision_note: Option<String>,
    /// When decided (RFC 3339).
    pub decided_at: Option<String>,
    /// Who decided (username).
    pub decided_by: Option<String>,
    /// Whether the caller may approve or reject it (another's, still open).
    pub can_decide: bool,
    /// Whether the caller may withdraw it (their own, still open).
    pub can_withdraw: bool,
}

impl ProposalView {
    fn of(proposal: grille_store::Proposal, caller: i64) -> Result<ProposalView, ApiError> {
        let open = proposal.decision.is_none();
        let own = proposal.proposed_by_id == caller;
        Ok(ProposalView {
            id: proposal.id,
            number: proposal.candidate,
            position: proposal.position,
            reason: proposal.reason,
            result_version: proposal.result_version,
            before: serde_json::from_value(proposal.before).map_err(ApiError::internal)?,
            after: serde_json::from_value(proposal.after).map_err(ApiError::internal)?,
            proposed_at: proposal.proposed_at,
            proposed_by: proposal.proposed_by,
            decision: proposal.decision.map(|decision| decision.as_str().to_owned()),
            decision_note: proposal.decision_note,
            decided_at: proposal.decided_at,
            decided_by: proposal.decided_by,
            can_decide: open && !own,
            can_withdraw: open && own,
        })
    }
}

/// Why a proposal is rejected or withdrawn.
#[derive(Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalNote {
    /// The reason, required for a rejection (the proposer reads it).
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub note: String,
}

/// A proposal of a session in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ProposalPath {
    /// The session id.
    id: i64,
    /// The proposal id.
    proposal: i64,
}

/// A correction computed against the stored result.
struct Computed {
    number: CandidateNumber,
    kind: SessionKind,
    before: grille_store::StoredResult,
    correction: NewCorrection,
    after: grille_scoring::CandidateResult,
}

impl Computed {
    fn decision_route(&self) -> CorrectionRoute {
        correction_route(self.kind, &self.before.outcome, &self.correction.result.outcome)
    }
}

/// Checks a correction and scores the candidate with it, against the
/// session's stored data; nothing is saved.
async fn compute(
    state: &AppState,
    staff: &Staff,
    session_id: i64,
    number: &str,
    request: &CorrectionRequest,
) -> Result<Computed, ApiError> {
    scope::cohort_in_reach(state, &staff.current.user, session_id).await?;
    let number = parse_number(number)?;
    let (_, subject) = session_state(state, &staff.current.user, session_id).await?;
    let (data, exam) = exam::load(state, session_id).await?;
    if !data.candidates.iter().any(|candidate| candidate.number == number) {
        return Err(ApiError::NotFound("Candidat·e"));
    }
    permit(Action::CorrectResult, exam::state_of(&data.session)?, &subject)?;
    let mut errors = Vec::new();
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 2000 {
        errors.push(FieldError::said_at("/reason", Message::new(MessageCode::CorrectionReasonRequired)));
    }
    let case = data.case_of(&exam, &number, &request.position);
    let content = match exam.rubric_for(&request.position, case) {
        None => {
            errors.push(FieldError::said_at(
                "/position",
                Message::new(MessageCode::SittingPositionUnknown).with("position", &request.position),
            ));
            None
        }
        Some(rubric) => match check_answers(rubric, case, &request.evaluation, true, "/evaluation") {
            Ok(content) => Some(content),
            Err(found) => {
                errors.extend(found);
                None
            }
        },
    };
    let Some(content) = content.filter(|_| errors.is_empty()) else { return Err(ApiError::Invalid(errors)) };
    // A copy of the snapshot with the correction in place (the cached one
    // stays as stored until the correction is saved).
    let kind = data.session.kind;
    let mut data = (*data).clone();
    data.corrections.insert((number.as_str().to_owned(), request.position.clone()), content.to_value());
    let candidate = data.scoring_candidate(&number)?;
    if candidate.status != grille_scoring::CandidateStatus::Present {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::CorrectionNotSat)));
    }
    let results = exam::score(state.catalogue(), &exam, session_id, std::slice::from_ref(&candidate))?;
    let after = results.into_iter().next().ok_or_else(|| ApiError::internal("no result"))?;
    let stored = number.clone();
    let before = state
        .db(move |store| store.candidate_result(session_id, &stored))
        .await?
        .ok_or(ApiError::NotFound("Résultat"))?;
    let correction = NewCorrection {
        position: request.position.clone(),
        reason,
        evaluation: content.to_value(),
        result: new_result(&after)?,
    };
    Ok(Computed { number, kind, before, correction, after })
}

async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CandidatePath>,
    caller: crate::extract::CallerLanguage,
    ApiJson(request): ApiJson<CorrectionRequest>,
) -> Result<Json<CorrectionPreview>, ApiError> {
    let request = request.in_language(caller);
    let computed = compute(&state, &staff, path.id, &path.number, &request).await?;
    let route = computed.decision_route();
    let decision_changes = computed.before.outcome != computed.correction.result.outcome;
    let after = ResultView {
        number: computed.number.as_str().to_owned(),
        outcome: computed.correction.result.outcome.clone(),
        overall_grade: computed.correction.result.overall_grade.clone(),
        version: 0,
        explanation: computed.after,
    };
    Ok(Json(CorrectionPreview {
        before: stored_view(computed.before)?,
        after,
        decision_changes,
        needs_second_approval: route == CorrectionRoute::SecondApproval,
    }))
}

async fn correct(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CandidatePath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    caller: crate::extract::CallerLanguage,
    ApiJson(request): ApiJson<CorrectionRequest>,
) -> Result<Tagged<ResultView>, ApiError> {
    let request = request.in_language(caller);
    let computed = compute(&state, &staff, path.id, &path.number, &request).await?;
    let user = staff.current.user.id;
    proposal_permit(ProposalAction::SaveDirectly(computed.decision_route()), user, user)?;
    let actor = Actor::user(&staff.current.user);
    let correction = computed.correction;
    let stored = state.db(move |store| store.correct_result(&actor, path.id, &correction, expected)).await?;
    Ok(Tagged { version: stored.version, body: stored_view(stored)? })
}

async fn propose(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CandidatePath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    caller: crate::extract::CallerLanguage,
    ApiJson(request): ApiJson<CorrectionRequest>,
) -> Result<Created<ProposalView>, ApiError> {
    let request = request.in_language(caller);
    let computed = compute(&state, &staff, path.id, &path.number, &request).await?;
    if computed.decision_route() == CorrectionRoute::Direct {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::CorrectionKeepsDecision)));
    }
    let proposal = NewProposal {
        candidate: computed.number,
        position: computed.correction.position,
        reason: computed.correction.reason,
        evaluation: computed.correction.evaluation,
        result_version: expected,
        after: computed.correction.result.explanation,
    };
    let actor = Actor::user(&staff.current.user);
    let stored = state.db(move |store| store.propose_correction(&actor, path.id, &proposal)).await?;
    Ok(Created(ProposalView::of(stored, staff.current.user.id)?))
}

/// The session's proposals, for whoever may correct its results.
async fn proposals(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    scope::cohort_in_reach(&state, &staff.current.user, path.id).await?;
    let (current, subject) = session_state(&state, &staff.current.user, path.id).await?;
    permit(Action::ReadResults, current, &subject)?;
    let id = path.id;
    let stored = state.db(move |store| store.correction_proposals(id, None)).await?;
    let caller = staff.current.user.id;
    Ok(Json(stored.into_iter().map(|proposal| ProposalView::of(proposal, caller)).collect::<Result<_, _>>()?))
}

/// The proposal, once the caller is known to be allowed to correct the
/// session's results and to do `action` on it.
async fn proposal_for(
    state: &AppState,
    staff: &Staff,
    path: &ProposalPath,
    action: ProposalAction,
) -> Result<grille_store::Proposal, ApiError> {
    scope::cohort_in_reach(state, &staff.current.user, path.id).await?;
    let (current, subject) = session_state(state, &staff.current.user, path.id).await?;
    permit(Action::CorrectResult, current, &subject)?;
    let (id, proposal) = (path.id, path.proposal);
    let stored = state.db(move |store| store.correction_proposal(id, proposal)).await?;
    proposal_permit(action, staff.current.user.id, stored.proposed_by_id)?;
    Ok(stored)
}

async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<ProposalPath>,
) -> Result<Tagged<ResultView>, ApiError> {
    let proposal = proposal_for(&state, &staff, &path, ProposalAction::Approve).await?;
    // The correction is computed again on today's data: the same
    // evaluation, the same rules (the result's version guards the rest).
    // Stored as the scoring crate's answers, whose JSON is an input's.
    let evaluation: EvaluationInput =
        serde_json::from_value(proposal.evaluation).map_err(ApiError::internal)?;
    let request = CorrectionRequest { position: proposal.position, reason: proposal.reason, evaluation };
    let computed = compute(&state, &staff, path.id, &proposal.candidate, &request).await?;
    let actor = Actor::user(&staff.current.user);
    let correction = computed.correction;
    let stored =
        state.db(move |store| store.approve_correction(&actor, path.id, path.proposal, &correction)).await?;
    Ok(Tagged { version: stored.version, body: stored_view(stored)? })
}

async fn reject(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<ProposalPath>,
    ApiJson(note): ApiJson<ProposalNote>,
) -> Result<Json<ProposalView>, ApiError> {
    close(state, staff, path, note, ProposalDecision::Rejected).await
}

async fn withdraw(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<ProposalPath>,
    ApiJson(note): ApiJson<ProposalNote>,
) -> Result<Json<ProposalView>, ApiError> {
    close(state, staff, path, note, ProposalDecision::Withdrawn).await
}

async fn close(
    state: AppState,
    staff: Staff,
    path: ProposalPath,
    note: ProposalNote,
    decision: ProposalDecision,
) -> Result<Json<ProposalView>, ApiError> {
    let action = match decision {
        ProposalDecision::Withdrawn => ProposalAction::Withdraw,
        ProposalDecision::Rejected | ProposalDecision::Approved => ProposalAction::Reject,
    };
    proposal_for(&state, &staff, &path, action).await?;
    let note = note.note.trim().to_owned();
    if note.chars().count() > 2000 || (decision == ProposalDecision::Rejected && note.is_empty()) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/note",
            Message::new(MessageCode::CorrectionRejectReasonRequired),
        )]));
    }
    let actor = Actor::user(&staff.current.user);
    let stored = state
        .db(move |store| store.close_correction_proposal(&actor, path.id, path.proposal, decision, &note))
        .await?;
    Ok(Json(ProposalView::of(stored, staff.current.user.id)?))
}
