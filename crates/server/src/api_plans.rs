//! The candidate's loop in the API: the development plan, and the filled
//! rubric of a published result.
//!
//! - `GET|PUT /api/me/development-plan`: the candidate's own plan (the
//!   competences they work on, with goals, actions, a date and progress,
//!   and whether the trainers of their school may read it), with
//!   suggestions drawn from their self-assessment and the external
//!   assessment of their latest published result. `PUT` replaces it,
//!   `If-Match` the version read (0 or none for the first), 409 when
//!   stale.
//! - `GET /api/development-plans`: a trainer's list of the plans their
//!   school's candidates share; `GET /api/development-plans/{username}`
//!   one of them; `POST .../comments` appends a comment. An unshared
//!   plan, or one of another school, is 404 (grille-workflow's
//!   `plan_permit`).
//! - `PUT /api/sessions/{id}/file-consultation`: the board opens (or
//!   closes) an official session's filled rubrics to its candidates,
//!   audited.
//! - `GET /api/me/results/{id}/rubric`: the candidate's filled rubric of a
//!   published result, per position: the level of the official evaluation
//!   per criterion, the examiners' remarks (anonymised: "expert·e 1"),
//!   and the catalogue criteria each rubric criterion relates to; for a
//!   mock exam once published, for an official one where the board opened
//!   the file (`filled_rubric_visible`).

use std::collections::{BTreeMap, BTreeSet};

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_competence::LocalizedText;
use grille_scoring::{EvaluationResult, Mark, Message, MessageCode};
use grille_store::{Actor, DevelopmentPlan, Role};
use grille_workflow::{
    Action, PlanAction, PlanSubject, SessionKind, Subject, consultation_permit, filled_rubric_visible,
    permit, plan_permit,
};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_class::{decimal_schema, optional_decimal_schema};
use crate::auth::{Board, CurrentUser};
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, IfMatch};
use crate::reply::Tagged;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "plan de développement";
    ApiRouter::new()
        .api_route(
            "/api/me/development-plan",
            get_with(mine, |op| {
                op.tag(tag).summary(
                    "Mon plan de développement (candidat·e), ses commentaires et des suggestions tirées de l'auto-évaluation et de l'évaluation externe ; version 0 s'il n'y en a pas",
                )
            })
            .put_with(save, |op| {
                op.tag(tag).summary(
                    "Enregistrer mon plan de développement (le remplace) ; If-Match : la version lue (0 ou absent pour la première), 409 si elle a changé entre-temps",
                )
            }),
        )
        .api_route(
            "/api/development-plans",
            get_with(shared_list, |op| {
                op.tag(tag).summary("Les plans que les candidat·e·s de mon école partagent (formateur·trice)")
            }),
        )
        .api_route(
            "/api/development-plans/{username}",
            get_with(shared_one, |op| {
                op.tag(tag).summary("Le plan partagé d'un·e candidat·e de mon école (formateur·trice)")
            }),
        )
        .api_route(
            "/api/development-plans/{username}/comments",
            post_with(comment, |op| {
                op.tag(tag).summary("Commenter le plan partagé d'un·e candidat·e de mon école (formateur·trice)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/file-consultation",
            get_with(consultation, |op| {
                op.tag("résultats").summary(
                    "Si les candidat·e·s d'une session officielle consultent leurs grilles remplies (commission)",
                )
            })
            .put_with(set_consultation, |op| {
                op.tag("résultats").summary(
                    "Ouvrir (ou fermer) aux candidat·e·s la consultation des grilles remplies d'une session officielle (commission)",
                )
            }),
        )
        .api_route(
            "/api/me/results/{id}/rubric",
            get_with(filled_rubric, |op| {
                op.tag("résultats").summary(
                    "Ma grille remplie : par point d'appréciation, le niveau retenu par critère, les remarques des expert·e·s et les critères du profil (examen blanc publié ; examen officiel dont la commission a ouvert la consultation)",
                )
            }),
        )
}

/// How far an item of the plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanProgress {
    /// Not started.
    NotStarted,
    /// Under way.
    UnderWay,
    /// The goal is reached.
    Reached,
}

/// One competence the candidate works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    /// The competence id (`A8`).
    #[schemars(regex(pattern = r"^[A-Z][0-9]{1,2}$"))]
    pub competence: String,
    /// The goal, 1 to 2000 characters.
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub goal: String,
    /// The actions planned, at most 4000 characters.
    #[serde(default)]
    #[schemars(length(max = 4000))]
    pub actions: String,
    /// By when (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"), extend("format" = "date"))]
    pub due: Option<String>,
    /// How far it is.
    pub progress: PlanProgress,
    /// What was done so far, at most 2000 characters.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub progress_note: String,
}

/// A plan to save.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The competences worked on, each once, at most 28.
    #[schemars(length(max = 28))]
    pub items: Vec<PlanItem>,
    /// Whether the trainers of the candidate's school may read and
    /// comment it.
    pub shared: bool,
}

/// A trainer's comment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PlanCommentView {
    /// Its id.
    pub id: i64,
    /// Who wrote it.
    pub author: String,
    /// The text.
    pub text: String,
    /// When (RFC 3339 UTC).
    pub created_at: String,
}

/// A competence the candidate might work on, and why.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PlanSuggestion {
    /// The competence id.
    pub competence: String,
    /// The self-assessment's share (levels 1 to 4 as 0 to 100 %), when
    /// the candidate rated some of its criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub self_percent: Option<Decimal>,
    /// The external assessment's share of the points (latest published
    /// result), when a position assessed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub external_percent: Option<Decimal>,
}

/// A development plan as its readers see it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PlanView {
    /// The candidate's username.
    pub owner: String,
    /// The items (none before the first save).
    pub items: Vec<PlanItem>,
    /// Shared with the school's trainers.
    pub shared: bool,
    /// 0 before the first save, +1 on each save (the `If-Match` of the next).
    pub version: i64,
    /// When it was last saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// The trainers' comments, oldest first.
    pub comments: Vec<PlanCommentView>,
    /// For the candidate: competences to consider, weakest first (self
    /// and external assessment); empty for a trainer.
    pub suggestions: Vec<PlanSuggestion>,
}

/// A shared plan in a trainer's list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SharedPlanView {
    /// The candidate's username (the plan's address).
    pub username: String,
    /// Their candidate number, when linked.
    pub number: Option<String>,
    /// The plan's version.
    pub version: i64,
    /// When it was last saved.
    pub updated_at: String,
    /// How many comments it has.
    pub comments: i64,
}

/// A comment to append.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// The text, 1 to 2000 characters.
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub text: String,
}

/// The board's switch.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationRequest {
    /// Whether the candidates see their filled rubrics.
    pub enabled: bool,
}

/// The switch as stored.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ConsultationView {
    /// The session.
    pub session_id: i64,
    /// Whether the candidates see their filled rubrics.
    pub enabled: bool,
}

/// A candidate's username in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct UserPath {
    /// The candidate's username.
    username: String,
}

const TEXT_LIMIT: usize = 2000;
const ACTIONS_LIMIT: usize = 4000;

fn items_of(plan: &DevelopmentPlan) -> Result<Vec<PlanItem>, ApiError> {
    serde_json::from_value(plan.items.clone()).map_err(ApiError::internal)
}

fn comments(state: &AppState, stored: Vec<grille_store::PlanComment>) -> Vec<PlanCommentView> {
    let _ = state;
    stored
        .into_iter()
        .map(|comment| PlanCommentView {
            id: comment.id,
            author: comment.author,
            text: comment.text,
            created_at: comment.created_at,
        })
        .collect()
}

/// The checks of meaning the schema cannot make: competences of the
/// catalogue, each once; texts not blank and within their lengths; dates
/// that exist. Every problem at once, with its pointer.
fn check(
    catalogue: &grille_competence::Catalogue,
    input: &PlanInput,
) -> Result<Vec<PlanItem>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    if input.items.len() > 28 {
        errors.push(FieldError::said_at(
            "/items",
            Message::new(MessageCode::PlanTooManyItems).with("max", "28"),
        ));
    }
    let mut items = Vec::new();
    for (index, item) in input.items.iter().enumerate() {
        let at = |field: &str| format!("/items/{index}/{field}");
        let competence = item.competence.trim();
        if catalogue.competence(competence).is_none() {
            errors.push(FieldError::said_at(
                at("competence"),
                Message::new(MessageCode::PlanCompetenceUnknown).with("competence", competence),
            ));
        } else if !seen.insert(competence.to_owned()) {
            errors.push(FieldError::said_at(
                at("competence"),
                Message::new(MessageCode::PlanCompetenceTwice).with("competence", competence),
            ));
        }
        let goal = item.goal.trim();
        if goal.is_empty() || goal.chars().count() > TEXT_LIMIT {
            errors.push(FieldError::said_at(at("goal"), Message::new(MessageCode::PlanGoalRequired)));
        }
        if item.actions.chars().count() > ACTIONS_LIMIT {
            errors.push(FieldError::said_at(
                at("actions"),
                Message::new(MessageCode::ExamRemarkTooLong).with("max", ACTIONS_LIMIT.to_string()),
            ));
        }
        if item.progress_note.chars().count() > TEXT_LIMIT {
            errors.push(FieldError::said_at(
                at("progress_note"),
                Message::new(MessageCode::ExamRemarkTooLong).with("max", TEXT_LIMIT.to_string()),
            ));
        }
        let due = item.due.as_deref().map(str::trim).filter(|due| !due.is_empty());
        if let Some(due) = due
            && (due.len() != 10 || grille_workflow::appeal::Date::parse(due).is_err())
        {
            errors.push(FieldError::said_at(
                at("due"),
                Message::new(MessageCode::PlanDueForm).with("text", due),
            ));
        }
        items.push(PlanItem {
            competence: competence.to_owned(),
            goal: goal.to_owned(),
            actions: item.actions.trim().to_owned(),
            due: due.map(str::to_owned),
            progress: item.progress,
            progress_note: item.progress_note.trim().to_owned(),
        });
    }
    if errors.is_empty() { Ok(items) } else { Err(errors) }
}

fn candidate_id(current: &CurrentUser) -> Result<i64, ApiError> {
    let subject =
        PlanSubject { role: crate::exam::flow_role(current.user.role), own: true, ..PlanSubject::default() };
    plan_permit(PlanAction::Edit, &subject)?;
    if current.user.role != Role::Candidate {
        return Err(ApiError::Forbidden);
    }
    Ok(current.user.id)
}

/// Per cent to one decimal, half up.
fn percent(points: Decimal, max: Decimal) -> Option<Decimal> {
    if max <= Decimal::ZERO {
        return None;
    }
    let value = points.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(max)?;
    grille_scoring::calc::round_half_up(value, Decimal::new(1, 1)).ok()
}

/// The competences to consider, weakest first: the self-assessment's
/// share per competence (level 1 = 0 %, 4 = 100 %) and the latest
/// published result's profile, ordered by the lower of the two.
async fn suggestions(state: &AppState, current: &CurrentUser) -> Result<Vec<PlanSuggestion>, ApiError> {
    let catalogue = state.catalogue();
    let user_id = current.user.id;
    let profile_id = catalogue.profile().id.clone();
    let ratings = state.db(move |store| store.self_assessment(user_id, &profile_id)).await?;
    let mut own: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for (criterion, level) in ratings.map(|stored| stored.ratings).unwrap_or_default() {
        if let Some((competence, _)) = catalogue.criterion(&criterion) {
            let entry = own.entry(competence.id.clone()).or_default();
            entry.0 += Decimal::from(level.saturating_sub(1));
            entry.1 += Decimal::from(3);
        }
    }
    let mut external: BTreeMap<String, Decimal> = BTreeMap::new();
    let results = crate::api_results::my_results_of(state, current).await?;
    if let Some(latest) = results.iter().max_by_key(|result| result.session_id) {
        for entry in &latest.result.explanation.profile.competences {
            external.insert(entry.id.clone(), entry.percent);
        }
    }
    let mut found: Vec<PlanSuggestion> = catalogue
        .domains()
        .iter()
        .flat_map(|domain| domain.competences.iter())
        .map(|competence| PlanSuggestion {
            competence: competence.id.clone(),
            self_percent: own.get(&competence.id).and_then(|(points, max)| percent(*points, *max)),
            external_percent: external.get(&competence.id).copied(),
        })
        .filter(|suggestion| suggestion.self_percent.is_some() || suggestion.external_percent.is_some())
        .collect();
    let lowest = |suggestion: &PlanSuggestion| {
        [suggestion.self_percent, suggestion.external_percent].into_iter().flatten().min().unwrap_or_default()
    };
    found.sort_by_key(lowest);
    found.truncate(8);
    Ok(found)
}

async fn plan_view(
    state: &AppState,
    owner: &grille_store::User,
    stored: Option<DevelopmentPlan>,
    suggestions: Vec<PlanSuggestion>,
) -> Result<Tagged<PlanView>, ApiError> {
    let owner_id = owner.id;
    let stored_comments = state.db(move |store| store.development_plan_comments(owner_id)).await?;
    let (items, shared, version, updated_at) = match &stored {
        Some(plan) => (items_of(plan)?, plan.shared, plan.version, Some(plan.updated_at.clone())),
        None => (Vec::new(), false, 0, None),
    };
    Ok(Tagged {
        version,
        body: PlanView {
            owner: owner.username.clone(),
            items,
            shared,
            version,
            updated_at,
            comments: comments(state, stored_comments),
            suggestions,
        },
    })
}

async fn mine(State(state): State<AppState>, current: CurrentUser) -> Result<Tagged<PlanView>, ApiError> {
    let user_id = candidate_id(&current)?;
    let stored = state.db(move |store| store.development_plan(user_id)).await?;
    let suggestions = suggestions(&state, &current).await?;
    plan_view(&state, &current.user, stored, suggestions).await
}

async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    IfMatch(expected): IfMatch,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Tagged<PlanView>, ApiError> {
    let user_id = candidate_id(&current)?;
    let items = check(state.catalogue(), &input).map_err(ApiError::Invalid)?;
    let value = serde_json::to_value(&items).map_err(ApiError::internal)?;
    let actor = Actor::user(&current.user);
    let shared = input.shared;
    let saved =
        state.db(move |store| store.save_development_plan(&actor, user_id, &value, shared, expected)).await?;
    let suggestions = suggestions(&state, &current).await?;
    plan_view(&state, &current.user, Some(saved), suggestions).await
}

/// The plan of `username` as a trainer asks for it, after
/// `plan_permit`: 404 for anyone the plan does not exist for.
async fn shared_plan(
    state: &AppState,
    current: &CurrentUser,
    username: &str,
    action: PlanAction,
) -> Result<(grille_store::User, DevelopmentPlan), ApiError> {
    let name = username.to_owned();
    let owner = state.db(move |store| store.user_by_username(&name)).await?;
    let owner = owner.filter(|owner| owner.role == Role::Candidate);
    let owner_id = owner.as_ref().map(|owner| owner.id);
    let plan = match owner_id {
        Some(id) => state.db(move |store| store.development_plan(id)).await?,
        None => None,
    };
    let subject = PlanSubject {
        role: crate::exam::flow_role(current.user.role),
        own: owner_id == Some(current.user.id),
        same_school: owner
            .as_ref()
            .is_some_and(|owner| owner.school_id.is_some() && owner.school_id == current.user.school_id),
        shared: plan.as_ref().is_some_and(|plan| plan.shared),
    };
    match plan_permit(action, &subject) {
        Ok(()) => {}
        Err(grille_workflow::Denial::Hidden) => return Err(ApiError::NotFound("Plan de développement")),
        Err(denial) => return Err(denial.into()),
    }
    match (owner, plan) {
        (Some(owner), Some(plan)) => Ok((owner, plan)),
        _ => Err(ApiError::NotFound("Plan de développement")),
    }
}

async fn shared_list(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<SharedPlanView>>, ApiError> {
    let Some(school) = current.user.school_id.filter(|_| current.user.role == Role::Trainer) else {
        return Err(ApiError::Forbidden);
    };
    let plans = state.db(move |store| store.shared_development_plans(school)).await?;
    Ok(Json(
        plans
            .into_iter()
            .map(|plan| SharedPlanView {
                username: plan.username,
                number: plan.number,
                version: plan.version,
                updated_at: plan.updated_at,
                comments: plan.comments,
            })
            .collect(),
    ))
}

async fn shared_one(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<UserPath>,
) -> Result<Tagged<PlanView>, ApiError> {
    let (owner, plan) = shared_plan(&state, &current, &path.username, PlanAction::Read).await?;
    plan_view(&state, &owner, Some(plan), Vec::new()).await
}

async fn comment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<UserPath>,
    ApiJson(request): ApiJson<CommentRequest>,
) -> Result<Json<PlanCommentView>, ApiError> {
    let text = request.text.trim().to_owned();
    let (owner, _) = shared_plan(&state, &current, &path.username, PlanAction::Comment).await?;
    if text.is_empty() || text.chars().count() > TEXT_LIMIT {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/text",
            Message::new(MessageCode::PlanCommentRequired),
        )]));
    }
    let actor = Actor::user(&current.user);
    let (owner_id, author_id) = (owner.id, current.user.id);
    let saved =
        state.db(move |store| store.comment_development_plan(&actor, owner_id, author_id, &text)).await?;
    Ok(Json(PlanCommentView {
        id: saved.id,
        author: saved.author,
        text: saved.text,
        created_at: saved.created_at,
    }))
}

async fn consultation(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<crate::api_results::SessionPath>,
) -> Result<Json<ConsultationView>, ApiError> {
    let user = board.current.user.clone();
    let session = crate::scope::session_in_reach(&state, &user, path.id).await?;
    consultation_permit(crate::exam::flow_role(user.role), session.kind)?;
    let id = path.id;
    let enabled = state.db(move |store| store.file_consultation(id)).await?;
    Ok(Json(ConsultationView { session_id: id, enabled }))
}

async fn set_consultation(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<crate::api_results::SessionPath>,
    ApiJson(request): ApiJson<ConsultationRequest>,
) -> Result<Json<ConsultationView>, ApiError> {
    let user = board.current.user.clone();
    let session = crate::scope::session_in_reach(&state, &user, path.id).await?;
    consultation_permit(crate::exam::flow_role(user.role), session.kind)?;
    let actor = Actor::user(&user);
    let (id, enabled) = (path.id, request.enabled);
    let enabled = state.db(move |store| store.set_file_consultation(&actor, id, enabled)).await?;
    Ok(Json(ConsultationView { session_id: id, enabled }))
}

/// One rubric criterion of the candidate's filled rubric.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FilledCriterion {
    /// The rubric criterion id.
    pub id: String,
    /// What is observed.
    pub title: LocalizedText,
    /// The mark of the official evaluation: `points`, `not_assessable`,
    /// `not_assessed_in_case` or `missing`.
    pub mark: String,
    /// The points of the level chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub points: Option<Decimal>,
    /// The criterion's highest level.
    #[schemars(schema_with = "decimal_schema")]
    pub max_points: Decimal,
    /// The rank of the level chosen among the criterion's levels (1 =
    /// lowest), and how many levels there are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// How many levels the criterion has.
    pub levels: usize,
    /// What the level chosen describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<LocalizedText>,
    /// The remarks on this criterion: the official evaluation's and each
    /// examiner's, labelled.
    pub remarks: Vec<FilledRemark>,
    /// The catalogue criteria it relates to.
    pub catalogue: Vec<CatalogueLink>,
}

/// A remark and whose it is.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FilledRemark {
    /// `agreed` (the official evaluation) or `examiner`.
    pub source: String,
    /// For an examiner: 1, 2... in the order of the evaluations (names
    /// are not given to candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub examiner: Option<usize>,
    /// The text.
    pub text: String,
    /// The language it is written in, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<grille_scoring::CaseLanguage>,
}

/// A catalogue criterion a rubric criterion relates to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogueLink {
    /// Its id (`A8.p1`).
    pub id: String,
    /// Its text.
    pub text: LocalizedText,
}

/// One position of the filled rubric.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FilledPosition {
    /// The position id.
    pub position: String,
    /// Its title (French).
    pub title: String,
    /// The rubric's title.
    pub rubric: LocalizedText,
    /// The official grade, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub grade: Option<Decimal>,
    /// Criterion by criterion, in rubric order.
    pub criteria: Vec<FilledCriterion>,
    /// The overall remarks on the position.
    pub remarks: Vec<FilledRemark>,
}

/// A candidate's filled rubric of one result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FilledRubric {
    /// The session.
    pub session_id: i64,
    /// Its name.
    pub session_name: String,
    /// Official or mock.
    pub kind: SessionKind,
    /// The positions, in blueprint order.
    pub positions: Vec<FilledPosition>,
}

fn mark_name(mark: &Mark) -> &'static str {
    match mark {
        Mark::Points(_) => "points",
        Mark::NotAssessable => "not_assessable",
        Mark::NotAssessedInCase => "not_assessed_in_case",
        Mark::Missing => "missing",
    }
}

fn remarks_of(
    official: Option<&EvaluationResult>,
    examiners: &[EvaluationResult],
    pick: impl Fn(&EvaluationResult) -> Option<&str>,
) -> Vec<FilledRemark> {
    let mut remarks = Vec::new();
    let own = |text: Option<&str>| text.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned);
    let official_text = official.and_then(|evaluation| own(pick(evaluation)));
    // An official evaluation that is an examiner's (identical
    // evaluations agree by themselves) is said once, as the examiner's.
    let official_is_examiner = official.is_some_and(|evaluation| evaluation.examiner.is_some());
    if let Some(text) = official_text.filter(|_| !official_is_examiner) {
        let language = official.and_then(|evaluation| evaluation.remark_language);
        remarks.push(FilledRemark { source: "agreed".to_owned(), examiner: None, text, language });
    }
    for (index, evaluation) in examiners.iter().enumerate() {
        if let Some(text) = own(pick(evaluation)) {
            remarks.push(FilledRemark {
                source: "examiner".to_owned(),
                examiner: Some(index + 1),
                text,
                language: evaluation.remark_language,
            });
        }
    }
    remarks
}

/// The filled rubric of a stored result, with the session's documents.
pub(crate) fn fill(
    catalogue: &grille_competence::Catalogue,
    exam: &crate::exam::PinnedExam,
    result: &grille_scoring::CandidateResult,
) -> Vec<FilledPosition> {
    let mut positions = Vec::new();
    for part in &result.parts {
        for position in &part.positions {
            let Some(rubric) = exam.rubrics.iter().find(|rubric| rubric.id == position.rubric.id) else {
                continue;
            };
            let official =
                position.agreed.as_ref().or_else(|| position.grade.and(position.evaluations.first()));
            let criteria = rubric
                .criteria
                .iter()
                .map(|criterion| {
                    let score = official.and_then(|evaluation| {
                        evaluation.criteria.iter().find(|score| score.criterion == criterion.id)
                    });
                    let points = score.and_then(|score| match score.mark {
                        Mark::Points(points) => Some(points),
                        _ => None,
                    });
                    let mut ranked: Vec<&grille_scoring::Level> = criterion.levels.iter().collect();
                    ranked.sort_by_key(|level| level.points);
                    let level =
                        points.and_then(|points| ranked.iter().position(|level| level.points == points));
                    FilledCriterion {
                        id: criterion.id.clone(),
                        title: criterion.title.clone(),
                        mark: score.map_or("missing", |score| mark_name(&score.mark)).to_owned(),
                        points,
                        max_points: criterion.max_points(),
                        level: level.map(|index| index + 1),
                        levels: ranked.len(),
                        descriptor: points
                            .and_then(|points| criterion.level(points))
                            .map(|level| level.descriptor.clone()),
                        remarks: remarks_of(official, &position.evaluations, |evaluation| {
                            evaluation
                                .criteria
                                .iter()
                                .find(|score| score.criterion == criterion.id)
                                .and_then(|score| score.remark.as_deref())
                        }),
                        catalogue: criterion
                            .catalogue_criteria
                            .iter()
                            .filter_map(|id| catalogue.criterion(id))
                            .map(|(_, found)| CatalogueLink {
                                id: found.id.clone(),
                                text: found.text.clone(),
                            })
                            .collect(),
                    }
                })
                .collect();
            positions.push(FilledPosition {
                position: position.position.clone(),
                title: position.title.clone(),
                rubric: rubric.title.clone(),
                grade: position.grade,
                criteria,
                remarks: remarks_of(official, &position.evaluations, |evaluation| {
                    evaluation.remark.as_deref()
                }),
            });
        }
    }
    positions
}

async fn filled_rubric(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<crate::api_results::SessionPath>,
) -> Result<Json<FilledRubric>, ApiError> {
    let role = crate::exam::flow_role(current.user.role);
    let user_id = current.user.id;
    let Some(number) = state.db(move |store| store.user_candidate(user_id)).await? else {
        return Err(if role == grille_workflow::Role::Candidate {
            ApiError::NotFound("Résultat")
        } else {
            ApiError::Forbidden
        });
    };
    let (lookup, register) = (number.clone(), current.user.school_id);
    let sessions = state.db(move |store| store.candidate_sessions(register, &lookup)).await?;
    let session = sessions
        .into_iter()
        .find(|session| session.session_id == path.id)
        .ok_or(ApiError::NotFound("Résultat"))?;
    let subject = Subject { role, own_candidate: true, kind: session.kind, ..Subject::default() };
    permit(Action::ReadOwnResult, session.workflow_state, &subject)?;
    let id = path.id;
    let consultation = state.db(move |store| store.file_consultation(id)).await?;
    if !filled_rubric_visible(session.kind, session.workflow_state, consultation) {
        return Err(ApiError::DeniedSaid(Message::new(MessageCode::PlanConsultationClosed)));
    }
    let lookup = number.clone();
    let stored = state
        .db(move |store| store.candidate_result(id, &lookup))
        .await?
        .ok_or(ApiError::NotFound("Résultat"))?;
    let result = crate::api_results::stored_view(stored)?;
    let exam_session =
        state.db(move |store| store.exam_session(id)).await?.ok_or(ApiError::NotFound("Résultat"))?;
    let exam = crate::exam::pinned_exam(&state, &exam_session)?;
    Ok(Json(FilledRubric {
        session_id: id,
        session_name: session.name,
        kind: session.kind,
        positions: fill(state.catalogue(), &exam, &result.explanation),
    }))
}
