//! The candidate's loop in the pages: the filled rubric of a published
//! result, the development plan (edited by the candidate, printable,
//! shared or not with the trainers of their school) and the trainers'
//! reading and comments; the board's switch that opens an official
//! session's filled rubrics to its candidates.
//!
//! Every read and write goes through the API in-process
//! (`/api/me/results/{id}/rubric`, `/api/me/development-plan`,
//! `/api/development-plans/...`, `/api/sessions/{id}/file-consultation`),
//! so grille-workflow decides who sees what.
//!
//! Routes: `GET /candidate/results/{id}/rubric`; `GET|POST
//! /candidate/plan`; `GET /trainer/plans`, `GET /trainer/plans/{username}`,
//! `POST /trainer/plans/{username}/comments`; `POST
//! /board/sessions/{id}/file-consultation`; `GET /static/plan-print.js`.

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grille_competence::LocalizedText;
use grille_report::candidate::{self as pages, Page};
use grille_report::pages::AccountLayout;
use grille_server::{
    CommentRequest, ConsultationRequest, ConsultationView, FilledRubric, PlanCommentView, PlanInput,
    PlanItem, PlanProgress, PlanView, SharedPlanView,
};
use serde::Serialize;

use crate::auth_pages::see_other;
use crate::page::{BoardAccount, CandidateAccount, PageError, TrainerAccount};

pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/candidate/results/{id}/rubric", get(rubric))
        .route("/candidate/plan", get(plan).post(plan_post))
        .route("/trainer/plans", get(trainer_plans))
        .route("/trainer/plans/{username}", get(trainer_plan))
        .route("/trainer/plans/{username}/comments", post(trainer_comment))
        .route("/board/sessions/{id}/file-consultation", post(consultation))
        .route("/static/plan-print.js", get(script))
}

const SCRIPT: &str = include_str!("../assets/plan-print.js");

async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

fn competence_title(catalogue: &grille_competence::Catalogue, id: &str) -> Option<LocalizedText> {
    catalogue
        .competence(id)
        .map(|competence| competence.short_title.clone().unwrap_or_else(|| competence.title.clone()))
}

/// A catalogue criterion as the rubric page links it.
#[derive(Debug, Serialize)]
struct LinkView {
    id: String,
    competence: String,
    text: LocalizedText,
}

#[derive(Debug, Serialize)]
struct CriterionView {
    #[serde(flatten)]
    criterion: grille_server::FilledCriterion,
    /// The words of the mark (`rubric.mark.*`, listed in the report
    /// crate's `candidate::CODE_KEYS`).
    mark_key: String,
    catalogue: Vec<LinkView>,
}

#[derive(Debug, Serialize)]
struct PositionView {
    id_attr: String,
    position: String,
    title: String,
    rubric: LocalizedText,
    grade: Option<String>,
    criteria: Vec<CriterionView>,
    remarks: Vec<grille_server::FilledRemark>,
}

#[derive(Debug, Serialize)]
struct RubricHeader {
    session_name: String,
    kind: grille_workflow::SessionKind,
    positions: Vec<PositionView>,
}

#[derive(Debug, Serialize)]
struct RubricView {
    account: AccountLayout,
    rubric: RubricHeader,
}

async fn rubric(candidate: CandidateAccount, Path(id): Path<i64>) -> Result<Response, PageError> {
    let filled: FilledRubric = candidate.get(&format!("/api/me/results/{id}/rubric")).await?;
    let language = candidate.language;
    // The API gives a position's title in French; the session's pinned
    // blueprint has it in the page's language.
    let exam = candidate.api.pinned_exam(id);
    let title_of = |position: &str, french: String| {
        exam.as_ref()
            .and_then(|exam| exam.blueprint.position(position))
            .map(|(_, found)| found.title.get(language.language.code()).to_owned())
            .unwrap_or(french)
    };
    let positions = filled
        .positions
        .into_iter()
        .map(|position| PositionView {
            id_attr: position.position.replace('.', "-"),
            grade: position.grade.map(|grade| format!("{grade:.1}")),
            criteria: position
                .criteria
                .into_iter()
                .map(|criterion| CriterionView {
                    mark_key: format!("rubric.mark.{}", criterion.mark),
                    catalogue: criterion
                        .catalogue
                        .iter()
                        .map(|link| LinkView {
                            competence: link.id.split('.').next().unwrap_or_default().to_owned(),
                            id: link.id.clone(),
                            text: link.text.clone(),
                        })
                        .collect(),
                    criterion,
                })
                .collect(),
            title: title_of(&position.position, position.title),
            position: position.position,
            rubric: position.rubric,
            remarks: position.remarks,
        })
        .collect();
    let view = RubricView {
        account: candidate.account.view(),
        rubric: RubricHeader { session_name: filled.session_name, kind: filled.kind, positions },
    };
    Ok(language.respond(
        StatusCode::OK,
        pages::render_page(&candidate.state.environment, Page::CandidateRubric, &view, language.language),
    ))
}

/// An item of a plan as the pages print it.
#[derive(Debug, Serialize)]
struct ItemView {
    competence: String,
    title: Option<LocalizedText>,
    goal: String,
    actions: String,
    due: String,
    due_display: Option<String>,
    progress: &'static str,
    /// `plan.progress.*` (listed in `candidate::CODE_KEYS`).
    progress_key: String,
    progress_note: String,
}

fn progress_key(progress: PlanProgress) -> &'static str {
    match progress {
        PlanProgress::NotStarted => "not_started",
        PlanProgress::UnderWay => "under_way",
        PlanProgress::Reached => "reached",
    }
}

/// `2027-03-01` as people read it here: `01.03.2027`.
fn swiss_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [year, month, day] => format!("{day}.{month}.{year}"),
        _ => iso.to_owned(),
    }
}

fn item_view(catalogue: &grille_competence::Catalogue, item: &PlanItem) -> ItemView {
    ItemView {
        competence: item.competence.clone(),
        title: competence_title(catalogue, &item.competence),
        goal: item.goal.clone(),
        actions: item.actions.clone(),
        due: item.due.clone().unwrap_or_default(),
        due_display: item.due.as_deref().map(swiss_date),
        progress: progress_key(item.progress),
        progress_key: format!("plan.progress.{}", progress_key(item.progress)),
        progress_note: item.progress_note.clone(),
    }
}

#[derive(Debug, Serialize)]
struct CommentView {
    author: String,
    at: String,
    text: String,
}

fn comment_view(comment: &PlanCommentView) -> CommentView {
    CommentView {
        author: comment.author.clone(),
        at: grille_workflow::time::swiss_display(&comment.created_at),
        text: comment.text.clone(),
    }
}

#[derive(Debug, Serialize)]
struct PlanSheet {
    owner: String,
    items: Vec<ItemView>,
    shared: bool,
    version: i64,
    updated_at: Option<String>,
    comments: Vec<CommentView>,
}

fn sheet(catalogue: &grille_competence::Catalogue, plan: &PlanView) -> PlanSheet {
    PlanSheet {
        owner: plan.owner.clone(),
        items: plan.items.iter().map(|item| item_view(catalogue, item)).collect(),
        shared: plan.shared,
        version: plan.version,
        updated_at: plan.updated_at.as_deref().map(grille_workflow::time::swiss_display),
        comments: plan.comments.iter().map(comment_view).collect(),
    }
}

#[derive(Debug, Serialize)]
struct SuggestionView {
    competence: String,
    title: Option<LocalizedText>,
    self_percent: Option<String>,
    external_percent: Option<String>,
}

#[derive(Debug, Serialize)]
struct CompetenceOption {
    id: String,
    title: LocalizedText,
}

/// A choice of the progress select.
#[derive(Debug, Serialize)]
struct ProgressChoice {
    value: &'static str,
    key: &'static str,
}

const PROGRESS_CHOICES: [ProgressChoice; 3] = [
    ProgressChoice { value: "not_started", key: "plan.progress.not_started" },
    ProgressChoice { value: "under_way", key: "plan.progress.under_way" },
    ProgressChoice { value: "reached", key: "plan.progress.reached" },
];

#[derive(Debug, Serialize)]
struct PlanPageView {
    account: AccountLayout,
    progress_choices: &'static [ProgressChoice],
    plan: PlanSheet,
    suggestions: Vec<SuggestionView>,
    competences: Vec<CompetenceOption>,
    rows: Vec<ItemView>,
    form_shared: bool,
    notice: Option<String>,
    errors: Vec<String>,
}

/// How many empty rows the form offers below the plan's items.
const BLANK_ROWS: usize = 2;

async fn render_plan(
    candidate: &CandidateAccount,
    status: StatusCode,
    rows: Option<(Vec<ItemView>, bool)>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let plan: PlanView = candidate.get("/api/me/development-plan").await?;
    let catalogue = candidate.state.catalogue();
    let (mut rows, form_shared) = rows
        .unwrap_or_else(|| (plan.items.iter().map(|item| item_view(catalogue, item)).collect(), plan.shared));
    // The suggestion weakest first fills the first empty row.
    let suggested = plan
        .suggestions
        .iter()
        .map(|suggestion| suggestion.competence.clone())
        .find(|id| !rows.iter().any(|row| &row.competence == id));
    for index in 0..BLANK_ROWS {
        rows.push(ItemView {
            competence: if index == 0 { suggested.clone().unwrap_or_default() } else { String::new() },
            title: None,
            goal: String::new(),
            actions: String::new(),
            due: String::new(),
            due_display: None,
            progress: "not_started",
            progress_key: "plan.progress.not_started".to_owned(),
            progress_note: String::new(),
        });
    }
    let percent = |value: Option<rust_decimal::Decimal>| value.map(|value| format!("{value:.1}"));
    let view = PlanPageView {
        progress_choices: &PROGRESS_CHOICES,
        account: candidate.account.view(),
        suggestions: plan
            .suggestions
            .iter()
            .map(|suggestion| SuggestionView {
                competence: suggestion.competence.clone(),
                title: competence_title(catalogue, &suggestion.competence),
                self_percent: percent(suggestion.self_percent),
                external_percent: percent(suggestion.external_percent),
            })
            .collect(),
        competences: catalogue
            .domains()
            .iter()
            .flat_map(|domain| domain.competences.iter())
            .map(|competence| CompetenceOption {
                id: competence.id.clone(),
                title: competence.short_title.clone().unwrap_or_else(|| competence.title.clone()),
            })
            .collect(),
        plan: sheet(catalogue, &plan),
        rows,
        form_shared,
        notice,
        errors,
    };
    let language = candidate.language;
    Ok(language.respond(
        status,
        pages::render_page(&candidate.state.environment, Page::CandidatePlan, &view, language.language),
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct NoticeQuery {
    #[serde(default)]
    notice: Option<String>,
}

async fn plan(candidate: CandidateAccount, Query(query): Query<NoticeQuery>) -> Result<Response, PageError> {
    let notice = (query.notice.as_deref() == Some("saved")).then(|| candidate.tr("plan.saved"));
    render_plan(&candidate, StatusCode::OK, None, notice, Vec::new()).await
}

fn parse_progress(text: &str) -> PlanProgress {
    match text {
        "under_way" => PlanProgress::UnderWay,
        "reached" => PlanProgress::Reached,
        _ => PlanProgress::NotStarted,
    }
}

/// `POST /candidate/plan`: the form's rows (`competence-N`, `goal-N`,
/// ...; a row without competence and goal is an empty one, a row ticked
/// `remove-N` leaves the plan) saved with `If-Match` the version shown.
/// A refusal shows the form again as it was sent, with the API's
/// sentences; a plan changed meanwhile (409) says so.
async fn plan_post(
    candidate: CandidateAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| {
        fields.iter().find(|(key, _)| key == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    };
    let mut items = Vec::new();
    let mut rows = Vec::new();
    let catalogue = candidate.state.catalogue();
    for index in 0..60 {
        let field = |name: &str| value(&format!("{name}-{index}"));
        let (competence, goal) = (field("competence"), field("goal"));
        if !fields.iter().any(|(key, _)| key == &format!("competence-{index}")) {
            continue;
        }
        if (competence.is_empty() && goal.is_empty()) || field("remove") == "yes" {
            continue;
        }
        let item = PlanItem {
            competence,
            goal,
            actions: field("actions"),
            due: Some(field("due")).filter(|due| !due.is_empty()),
            progress: parse_progress(&field("progress")),
            progress_note: field("note"),
        };
        rows.push(item_view(catalogue, &item));
        items.push(item);
    }
    let shared = value("shared") == "yes";
    let version = value("version");
    let input = PlanInput { items, shared };
    let if_match = Some(version.as_str()).filter(|version| !version.is_empty());
    match candidate
        .send::<PlanView>(Method::PUT, "/api/me/development-plan", &value("csrf"), if_match, Some(&input))
        .await
    {
        Ok(_) => Ok(see_other("/candidate/plan?notice=saved")),
        Err(refusal) => {
            let reply = candidate.form_refusal(refusal)?;
            let mut errors = row_problems(&candidate, &reply);
            if reply.status == StatusCode::CONFLICT {
                errors.insert(0, candidate.tr("plan.stale"));
            }
            render_plan(&candidate, reply.status, Some((rows, shared)), None, errors).await
        }
    }
}

/// The API's problems with the plan, each placed by the form's words
/// ("Compétence 2 — Objectif : ...") rather than its JSON pointer.
fn row_problems(candidate: &CandidateAccount, reply: &crate::api::Reply) -> Vec<String> {
    let problem = reply.problem();
    let placed: Vec<String> = problem
        .errors
        .iter()
        .filter(|error| !error.detail.is_empty())
        .map(|error| {
            let text = crate::api::error_text(error, candidate.language.language);
            let pointer = error.pointer.clone().unwrap_or_default();
            let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
            match parts.as_slice() {
                ["items", index, field] => {
                    let row = index.parse::<usize>().map_or(1, |index| index + 1);
                    let key = match *field {
                        "competence" => "plan.competence",
                        "goal" => "plan.goal",
                        "actions" => "plan.actions",
                        "due" => "plan.due",
                        "progress_note" => "plan.progress_note",
                        _ => "plan.progress",
                    };
                    grille_report::i18n::labelled(
                        candidate.language.language,
                        &format!(
                            "{} — {}",
                            grille_report::i18n::format(&candidate.tr("plan.row"), &[("n", row.to_string())]),
                            candidate.tr(key)
                        ),
                        &text,
                    )
                }
                _ => text,
            }
        })
        .collect();
    if placed.is_empty() { reply.problems(candidate.language.language, false) } else { placed }
}

#[derive(Debug, Serialize)]
struct SharedRow {
    username: String,
    number: Option<String>,
    updated_at: String,
    comments: i64,
}

#[derive(Debug, Serialize)]
struct TrainerPlansView {
    account: AccountLayout,
    plans: Vec<SharedRow>,
}

async fn trainer_plans(trainer: TrainerAccount) -> Result<Response, PageError> {
    let plans: Vec<SharedPlanView> = trainer.get("/api/development-plans").await?;
    let view = TrainerPlansView {
        account: trainer.account.view(),
        plans: plans
            .into_iter()
            .map(|plan| SharedRow {
                username: plan.username,
                number: plan.number,
                updated_at: grille_workflow::time::swiss_display(&plan.updated_at),
                comments: plan.comments,
            })
            .collect(),
    };
    let language = trainer.language;
    Ok(language.respond(
        StatusCode::OK,
        pages::render_page(&trainer.state.environment, Page::TrainerPlans, &view, language.language),
    ))
}

#[derive(Debug, Serialize)]
struct TrainerPlanView {
    account: AccountLayout,
    plan: PlanSheet,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn render_trainer_plan(
    trainer: &TrainerAccount,
    username: &str,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let plan: PlanView =
        trainer.get(&format!("/api/development-plans/{}", crate::auth_pages::encode(username))).await?;
    let view = TrainerPlanView {
        account: trainer.account.view(),
        plan: sheet(trainer.state.catalogue(), &plan),
        notice,
        errors,
    };
    let language = trainer.language;
    Ok(language.respond(
        status,
        pages::render_page(&trainer.state.environment, Page::TrainerPlan, &view, language.language),
    ))
}

async fn trainer_plan(
    trainer: TrainerAccount,
    Path(username): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let notice = (query.notice.as_deref() == Some("commented")).then(|| trainer.tr("plan.comment.done"));
    render_trainer_plan(&trainer, &username, StatusCode::OK, notice, Vec::new()).await
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

async fn trainer_comment(
    trainer: TrainerAccount,
    Path(username): Path<String>,
    Form(form): Form<CommentForm>,
) -> Result<Response, PageError> {
    let uri = format!("/api/development-plans/{}/comments", crate::auth_pages::encode(&username));
    let request = CommentRequest { text: form.text.trim().to_owned() };
    match trainer.send::<PlanCommentView>(Method::POST, &uri, &form.csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other(&format!(
            "/trainer/plans/{}?notice=commented",
            crate::auth_pages::encode(&username)
        ))),
        Err(refusal) => {
            let reply = trainer.form_refusal(refusal)?;
            render_trainer_plan(
                &trainer,
                &username,
                reply.status,
                None,
                reply.problems(trainer.language.language, false),
            )
            .await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct ConsultationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    enabled: Option<String>,
}

/// `POST /board/sessions/{id}/file-consultation`: the board's switch,
/// back to the session page.
async fn consultation(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(form): Form<ConsultationForm>,
) -> Result<Response, PageError> {
    let request = ConsultationRequest { enabled: form.enabled.as_deref() == Some("yes") };
    let uri = format!("/api/sessions/{id}/file-consultation");
    match board.send::<ConsultationView>(Method::PUT, &uri, &form.csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other(&format!("/board/sessions/{id}?consultation=saved"))),
        Err(refusal) => Err(board.refused(refusal)),
    }
}
