//! What an examiner's pages need beside the evaluation routes: the list of
//! one's own assignments with the state of each evaluation, a position's
//! scoring form (rubric, scale, own evaluation), and a preview of the
//! points and grade of answers being entered, computed by
//! `grille_scoring::calc::points_to_grade` so that the page and the engine
//! share one implementation. Access is asked of grille-workflow like every
//! other evaluation route.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_competence::LocalizedText;
use grille_scoring::{CandidateStatus, DiscrepancyStatus, Mark};
use grille_store::{EvaluationStatus, Role};
use grille_workflow::{
    Action, EvaluationState, RegisterAction, Role as FlowRole, SessionState, Subject, register_permit,
};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_evaluations::{self, EvaluationView, PositionPath, compute_progress, context};
use crate::api_registry::{AccommodationView, RegisterEntryView};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::exam::{self, EvaluationInput, StoredContent, check_answers};
use crate::extract::{ApiJson, ApiPath};
use crate::reply::{Caller, Typed};

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "évaluations";
    let base = "/api/sessions/{id}/candidates/{number}/positions/{position}";
    ApiRouter::new()
        .api_route(
            "/api/me/assignments",
            get_with(my_assignments, |op| {
                op.tag(tag).summary(
                    "Mes attributions (expert·e) : candidat·e·s par épreuve et état de chaque évaluation",
                )
            }),
        )
        .api_route(
            &format!("{base}/form"),
            get_with(position_form, |op| {
                op.tag(tag).summary(
                    "Le formulaire d'un point d'appréciation : grille, échelle, mon évaluation (expert·e attribué·e)",
                )
            }),
        )
        .api_route(
            &format!("{base}/evaluations/preview"),
            post_with(preview, |op| {
                op.tag(tag).summary(
                    "Points et note d'un point d'appréciation pour des réponses en cours (sans enregistrer)",
                )
            }),
        )
}

/// The state of one position for the examiner who asks.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct AssignedPosition {
    /// The position id.
    pub position: String,
    /// The position title, in French and German.
    pub title: LocalizedText,
    /// One's own evaluation: `not_started`, `draft` or `submitted`.
    pub own: OwnState,
    /// Whether every other examiner of the part has submitted (shown only
    /// once one's own evaluation is submitted, blind double marking).
    pub partners_submitted: Option<bool>,
    /// Whether an agreed evaluation is recorded.
    pub agreed: bool,
    /// `none`, `open` or `agreed` (only once one's own is submitted).
    pub discrepancy: Option<DiscrepancyStatus>,
    /// The official position grade so far (only once one's own is submitted).
    pub grade: Option<String>,
}

/// Where one's own evaluation of a position stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OwnState {
    /// Nothing saved yet.
    NotStarted,
    /// Saved, not submitted.
    Draft,
    /// Submitted.
    Submitted,
}

/// One candidate's part assigned to the examiner.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct Assigned {
    /// The session id.
    pub session_id: i64,
    /// The session name.
    pub session_name: String,
    /// The session's workflow state.
    pub session_state: SessionState,
    /// The candidate number.
    pub candidate: String,
    /// Whether the candidate sat the exam (`present`, ...).
    pub candidate_status: CandidateStatus,
    /// The exam part id.
    pub part: String,
    /// The part title, in French and German.
    pub part_title: LocalizedText,
    /// The other examiners of the part.
    pub partners: Vec<String>,
    /// Position by position.
    pub positions: Vec<AssignedPosition>,
}

async fn my_assignments(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<Assigned>>, ApiError> {
    if !matches!(current.user.role, Role::Examiner | Role::Trainer) {
        return Err(ApiError::Forbidden);
    }
    let username = current.user.username.clone();
    // Only the caller's own assignments, by one indexed query: the work
    // must not grow with every session and examiner the host keeps.
    let user_id = current.user.id;
    let mine = state.db(move |store| store.user_assignments(user_id)).await?;
    let mut session_ids: Vec<i64> = mine.iter().map(|assignment| assignment.session_id).collect();
    session_ids.dedup();
    // Newest session first, as the session lists are.
    session_ids.reverse();
    let mut list = Vec::new();
    for id in session_ids {
        let (data, pinned) = exam::load(&state, id).await?;
        let session_state = exam::state_of(&data.session)?;
        let scored = compute_progress(state.catalogue(), &data, &pinned)?;
        for assignment in mine.iter().filter(|assignment| assignment.session_id == id) {
            let Some(part) = pinned.blueprint.part(&assignment.part) else { continue };
            let number = &assignment.candidate_number;
            let enrolled = data.candidates.iter().find(|candidate| &candidate.number == number);
            let candidate_progress = scored.0.candidates.iter().find(|row| row.number == number.as_str());
            let mut positions = Vec::new();
            for position in &part.positions {
                let rows: Vec<_> = data.position_evaluations(number, &position.id).collect();
                let own = rows.iter().find(|row| row.examiner == username).map(|row| row.evaluation.status);
                // Blind double marking, the rule of the form and of every
                // evaluation route: nothing about the partners before one's
                // own evaluation is submitted.
                let subject = Subject {
                    assigned: true,
                    own_evaluation: own.map(|status| match status {
                        EvaluationStatus::Draft => EvaluationState::Draft,
                        EvaluationStatus::Submitted => EvaluationState::Submitted,
                    }),
                    ..crate::scope::subject(&current.user, &data.session)
                };
                let submitted = grille_workflow::partners_visible(session_state, &subject);
                let partners = data.examiners_of(number, &part.id);
                let partners_submitted = partners.iter().filter(|name| **name != username).all(|name| {
                    rows.iter().any(|row| {
                        &row.examiner == name && row.evaluation.status == EvaluationStatus::Submitted
                    })
                });
                let scored = candidate_progress
                    .and_then(|row| row.positions.iter().find(|row| row.position == position.id));
                positions.push(AssignedPosition {
                    position: position.id.clone(),
                    title: position.title.clone(),
                    own: match own {
                        None => OwnState::NotStarted,
                        Some(EvaluationStatus::Draft) => OwnState::Draft,
                        Some(EvaluationStatus::Submitted) => OwnState::Submitted,
                    },
                    partners_submitted: submitted.then_some(partners_submitted),
                    agreed: data
                        .agreed
                        .iter()
                        .any(|row| &row.candidate == number && row.position == position.id),
                    discrepancy: scored.filter(|_| submitted).map(|row| row.discrepancy),
                    grade: scored.filter(|_| submitted).and_then(|row| row.grade.clone()),
                });
            }
            list.push(Assigned {
                session_id: id,
                session_name: data.session.name.clone(),
                session_state: data.session.workflow_state,
                candidate: number.as_str().to_owned(),
                candidate_status: match enrolled {
                    Some(candidate) => exam::status_of(&candidate.status)?,
                    None => CandidateStatus::Present,
                },
                part: part.id.clone(),
                part_title: part.title.clone(),
                partners: data
                    .examiners_of(number, &part.id)
                    .into_iter()
                    .filter(|name| *name != username)
                    .collect(),
                positions,
            });
        }
    }
    Ok(Json(list))
}

/// The grade scale of the pinned scheme, as decimal text.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct ScaleView {
    /// Lowest grade.
    pub min: String,
    /// Highest grade.
    pub max: String,
    /// Lowest sufficient grade.
    pub pass_mark: String,
    /// Rounding step of position grades.
    pub position_step: String,
}

/// Everything the scoring form of a position shows.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct PositionForm {
    /// The session id.
    pub session_id: i64,
    /// The session name.
    pub session_name: String,
    /// The session's workflow state.
    pub session_state: SessionState,
    /// The candidate number.
    pub candidate: String,
    /// The part id.
    pub part: String,
    /// The part title, in French and German.
    pub part_title: LocalizedText,
    /// The position id.
    pub position: String,
    /// The position title, in French and German.
    pub position_title: LocalizedText,
    /// The pinned rubric of the position.
    pub rubric: grille_scoring::Rubric,
    /// The scale of the pinned scheme.
    pub scale: ScaleView,
    /// The examiners assigned to the part.
    pub examiners: Vec<String>,
    /// The caller's own evaluation, if written.
    pub own: Option<EvaluationView>,
    /// Whether every other examiner has submitted; absent (`null`) until
    /// the caller may read the partners' evaluations (blind double
    /// marking: an examiner learns nothing about them, not even whether
    /// they are submitted, before submitting their own).
    pub partners_submitted: Option<bool>,
    /// Whether an agreed evaluation is recorded.
    pub agreed: bool,
    /// Points and provisional grade of the saved answers (as the preview
    /// route computes them), so that the form needs no second call.
    pub preview: Preview,
    /// The case study the candidate sat for this position, with its
    /// examiner notes (those who score it read them), when the session
    /// assigns one; its attachments are served under
    /// `.../positions/{position}/case/attachments/{sha256}`.
    pub case: Option<grille_scoring::CaseStudy>,
    /// The work the candidate handed in for this position (a PDF), when
    /// uploaded; served at `.../positions/{position}/submission`.
    pub submission: Option<crate::api_submissions::SubmissionView>,
    /// The candidates before and after this one among the caller's own
    /// assignments to the part in the session (candidate-number order, as
    /// `/api/me/assignments` lists them), for moving through a pile of
    /// written work; both absent for a caller not assigned to the part.
    pub neighbours: PositionNeighbours,
    /// The accommodation decided for the candidate (extra time, aids),
    /// when the caller may read it: the board, and the examiners assigned
    /// to the candidate; absent when none was decided.
    pub accommodation: Option<AccommodationView>,
}

/// The previous and next candidates of a position's pile.
#[derive(Debug, Default, Clone, Serialize, JsonSchema, Deserialize)]
pub struct PositionNeighbours {
    /// The candidate number before this one.
    pub previous: Option<String>,
    /// The candidate number after this one.
    pub next: Option<String>,
}

impl PositionNeighbours {
    /// The neighbours of `number` in `pile` (sorted, without repeats).
    fn of(pile: &[String], number: &str) -> PositionNeighbours {
        let Some(index) = pile.iter().position(|other| other == number) else {
            return PositionNeighbours::default();
        };
        PositionNeighbours {
            previous: index.checked_sub(1).and_then(|before| pile.get(before)).cloned(),
            next: pile.get(index + 1).cloned(),
        }
    }
}

async fn position_form(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    caller: Caller,
) -> Result<Typed<PositionForm>, ApiError> {
    let context = context(&state, &current, path).await?;
    match context.subject.role {
        FlowRole::Board => context.permit(Action::ViewSession)?,
        _ => context.permit(Action::ReadOwnEvaluation)?,
    }
    let rubric = context.rubric()?.clone();
    let saved = match context.own() {
        Some(own) => exam::StoredContent::from_value(&own.evaluation.content)?,
        None => exam::StoredContent { answers: Vec::new(), remark: None, remark_language: None },
    };
    let preview = preview_of(&rubric, context.case(), &context.exam.scheme, &saved);
    let submission = crate::api_submissions::of_position(&state, &context).await?;
    let (neighbours, accommodation) = pile_and_accommodation(&state, &context).await?;
    let scale = &context.exam.scheme.scale;
    let display = grille_scoring::decimal::display;
    let (part, position) = context
        .exam
        .blueprint
        .position(&context.position)
        .ok_or(ApiError::NotFound("Point d'appréciation"))?;
    Ok(caller.answer(PositionForm {
        session_id: context.data.session.id,
        session_name: context.data.session.name.clone(),
        session_state: context.data.session.workflow_state,
        candidate: context.number.as_str().to_owned(),
        part: part.id.clone(),
        part_title: part.title.clone(),
        position: position.id.clone(),
        position_title: position.title.clone(),
        rubric,
        scale: ScaleView {
            min: display(scale.min),
            max: display(scale.max),
            pass_mark: display(scale.pass_mark),
            position_step: display(context.exam.scheme.rounding.position),
        },
        examiners: context.data.examiners_of(&context.number, &context.part),
        own: context.own().map(api_evaluations::evaluation_view).transpose()?,
        partners_submitted: grille_workflow::partners_visible(
            exam::state_of(&context.data.session)?,
            &context.subject,
        )
        .then_some(context.subject.partners_submitted),
        agreed: context
            .data
            .agreed
            .iter()
            .any(|row| row.candidate == context.number && row.position == context.position),
        preview,
        case: context.case().cloned(),
        submission,
        neighbours,
        accommodation,
    }))
}

/// What the form shows beside the rubric, read in one trip to the store:
/// the caller's pile for the part (their own assignments, by the
/// examiner index) and the candidate's accommodation, asked of the
/// register rules as `/api/me/accommodations` asks them.
async fn pile_and_accommodation(
    state: &AppState,
    context: &api_evaluations::Context,
) -> Result<(PositionNeighbours, Option<AccommodationView>), ApiError> {
    let user_id = context.user.id;
    let session_id = context.data.session.id;
    let register = context.data.session.school_id;
    let part = context.part.clone();
    let number = context.number.clone();
    let role = exam::flow_role(context.user.role);
    let may_read = register_permit(RegisterAction::ReadAccommodation, role, context.subject.assigned).is_ok();
    let (pile, entry) = state
        .db(move |store| {
            let mut pile: Vec<String> = store
                .user_assignments(user_id)?
                .into_iter()
                .filter(|assignment| assignment.session_id == session_id && assignment.part == part)
                .map(|assignment| assignment.candidate_number.as_str().to_owned())
                .collect();
            pile.dedup();
            let entry = if may_read {
                match store.register_entry(register, &number) {
                    Ok(entry) => Some(entry),
                    Err(grille_store::StoreError::NotFound { .. }) => None,
                    Err(error) => return Err(error),
                }
            } else {
                None
            };
            Ok((pile, entry))
        })
        .await?;
    let accommodation = entry
        .map(|entry| RegisterEntryView::from(entry).accommodation)
        .filter(|accommodation| !accommodation.is_empty());
    Ok((PositionNeighbours::of(&pile, context.number.as_str()), accommodation))
}

/// Points and grade of answers being entered.
#[derive(Debug, Clone, Serialize, JsonSchema, Deserialize)]
pub struct Preview {
    /// Σ weighted points of the criteria answered with a level.
    pub points: String,
    /// Σ weighted maxima of those criteria.
    pub max_points: String,
    /// Criteria answered (a level or "not assessable").
    pub answered: usize,
    /// Criteria of the rubric.
    pub total: usize,
    /// Ids of the criteria still without an answer, in rubric order.
    pub missing: Vec<String>,
    /// Every criterion answered: the grade is the one the engine gives.
    pub complete: bool,
    /// The position grade of the points so far (provisional while
    /// incomplete), rounded at the position step.
    pub grade: Option<String>,
    /// The grade before rounding.
    pub unrounded: Option<String>,
    /// The computation, in French.
    pub formula: Option<String>,
    /// `formula`, as a code and its arguments, where it has words (a
    /// table of thresholds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula_message: Option<grille_scoring::Message>,
}

impl Preview {
    /// Nothing answered yet (what a page shows when the answers posted
    /// could not be previewed).
    pub fn nothing(rubric: &grille_scoring::Rubric) -> Preview {
        Preview {
            points: "0".to_owned(),
            max_points: "0".to_owned(),
            answered: 0,
            total: rubric.criteria.len(),
            missing: rubric.criteria.iter().map(|criterion| criterion.id.clone()).collect(),
            complete: false,
            grade: None,
            unrounded: None,
            formula: None,
            formula_message: None,
        }
    }
}

async fn preview(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<PositionPath>,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Json<Preview>, ApiError> {
    let context = context(&state, &current, path).await?;
    match context.subject.role {
        FlowRole::Board => context.permit(Action::ViewSession)?,
        _ => context.permit(Action::ReadOwnEvaluation)?,
    }
    let rubric = context.rubric()?;
    let content = check_answers(rubric, context.case(), &input, false, "").map_err(ApiError::Invalid)?;
    Ok(Json(preview_of(rubric, context.case(), &context.exam.scheme, &content)))
}

/// Points and the provisional grade of `content` under `rubric`: the same
/// figures for the preview route and for the form's saved answers.
pub(crate) fn preview_of(
    rubric: &grille_scoring::Rubric,
    case: Option<&grille_scoring::CaseStudy>,
    scheme: &grille_scoring::GradingScheme,
    content: &StoredContent,
) -> Preview {
    // The engine scores the answers as it scores a session; the preview
    // adds the provisional grade of the points so far while incomplete.
    let scored = grille_scoring::score_evaluation_answers(scheme, rubric, case, &content.answers);
    let assessed = scored.criteria.iter().filter(|score| score.mark != Mark::NotAssessedInCase);
    let missing: Vec<String> = scored
        .criteria
        .iter()
        .filter(|score| score.mark == Mark::Missing)
        .map(|score| score.criterion.clone())
        .collect();
    let total = assessed.count();
    let (points, max_points) = (scored.points, scored.max_points);
    let display = grille_scoring::decimal::display;
    let explained = match scored.grade {
        Some(grade) => Some(grade),
        None => (max_points > Decimal::ZERO)
            .then(|| grille_scoring::calc::points_to_grade(points, max_points, scheme).ok())
            .flatten(),
    };
    Preview {
        points: display(points),
        max_points: display(max_points),
        answered: total - missing.len(),
        total,
        complete: missing.is_empty(),
        missing,
        grade: explained.as_ref().map(|grade| display(grade.grade)),
        unrounded: explained.as_ref().map(|grade| display(grade.unrounded)),
        formula_message: explained.as_ref().and_then(|grade| grade.formula_message.clone()),
        formula: explained.map(|grade| grade.formula),
    }
}
