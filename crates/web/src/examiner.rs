//! The examiner's journey: their candidates, the scoring form of a
//! position (autosaved by `assets/examiner.js`, complete without it), and
//! after both submissions the side-by-side comparison with the agreed
//! evaluation.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie, read into the API's own types ([`Assigned`],
//! [`PositionForm`], [`PositionEvaluations`], the scoring crate's
//! [`Rubric`] and [`PositionResult`]), so access (grille-workflow's
//! `permit`, the store's assignments, blind double marking), validation and
//! grades are the server's. Form posts carry the session's CSRF token in a
//! hidden field, passed to the API as `X-CSRF-Token`; a post without it is
//! refused by the API (403). Any signed-in user reaches these pages
//! ([`SignedIn`]): trainers score mock exams here, and the API answers who
//! may score what.
//!
//! Routes: `GET /examiner`;
//! `GET|POST /examiner/sessions/{id}/candidates/{number}/positions/{position}`
//! (the form; `action=save` or `submit`);
//! `GET|POST .../comparison` (side by side; the agreed evaluation).

use std::collections::BTreeMap;
use std::str::FromStr as _;

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_competence::LocalizedText;
use grille_report::examiner::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_report::messages;
use grille_report::pages::AccountLayout;
use grille_scoring::CaseLanguage;
use grille_scoring::{CandidateStatus, DiscrepancyStatus, FlagKind, PositionResult, Rubric};
use grille_server::{
    AccommodationView, AgreedView, AnswerInput, Assigned, AssignedAccommodation, EvaluationInput,
    EvaluationView, OwnState, PositionEvaluations, PositionForm, PositionNeighbours, Preview, ScaleView,
};
use grille_workflow::SessionState;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::api::{Refusal, Reply};
use crate::auth_pages::see_other;
use crate::page::{Notice, PageError, SignedIn};

/// An examiner's (or trainer's) assignments, the scoring form and the comparison.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/examiner", get(candidates))
        .route(
            "/examiner/sessions/{id}/candidates/{number}/positions/{position}",
            get(form_page).post(form_post),
        )
        .route(
            "/examiner/sessions/{id}/candidates/{number}/positions/{position}/comparison",
            get(comparison_page).post(comparison_post),
        )
        .route(
            "/examiner/sessions/{id}/candidates/{number}/positions/{position}/arbitration",
            get(arbitration_page).post(arbitration_post),
        )
}

/// The path of a position: session id, candidate number, position id.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct PositionPath {
    id: i64,
    number: String,
    position: String,
}

impl PositionPath {
    /// Only plain ids reach the API's paths.
    fn valid(&self) -> bool {
        let plain = |text: &str| {
            !text.is_empty()
                && text.len() <= 40
                && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        };
        plain(&self.number) && plain(&self.position)
    }

    fn api(&self) -> String {
        format!("/api/sessions/{}/candidates/{}/positions/{}", self.id, self.number, self.position)
    }

    fn page(&self) -> String {
        format!("/examiner/sessions/{}/candidates/{}/positions/{}", self.id, self.number, self.position)
    }

    fn comparison(&self) -> String {
        format!("{}/comparison", self.page())
    }

    fn arbitration(&self) -> String {
        format!("{}/arbitration", self.page())
    }
}

fn text(decimal: Decimal) -> String {
    decimal.normalize().to_string()
}

/// One criterion's answer as the form holds it.
#[derive(Debug, Clone, Default, PartialEq)]
struct AnswerState {
    points: Option<Decimal>,
    not_assessable: bool,
    remark: String,
}

type Answers = BTreeMap<String, AnswerState>;

/// Answers as the API sends them.
fn answers_of(list: &[grille_scoring::Answer]) -> Answers {
    list.iter()
        .map(|answer| {
            (
                answer.criterion.clone(),
                AnswerState {
                    points: answer.points,
                    not_assessable: answer.not_assessable,
                    remark: answer.remark.clone().unwrap_or_default(),
                },
            )
        })
        .collect()
}

/// Answers from a posted form (`points-<id>` = points or `na`, `remark-<id>`).
fn answers_from_form(fields: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for (name, value) in fields {
        if let Some(id) = name.strip_prefix("points-") {
            let entry = answers.entry(id.to_owned()).or_default();
            if value == "na" {
                entry.not_assessable = true;
            } else {
                entry.points = Decimal::from_str(value.trim()).ok();
            }
        } else if let Some(id) = name.strip_prefix("remark-") {
            answers.entry(id.to_owned()).or_default().remark = value.clone();
        }
    }
    answers
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

/// The API's input for `answers`: one entry per rubric criterion, in rubric
/// order, so that a problem's pointer `/answers/N` names criterion N.
fn api_input(
    rubric: &Rubric,
    answers: &Answers,
    remark: &str,
    remark_language: Option<CaseLanguage>,
) -> EvaluationInput {
    let nonempty = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
    EvaluationInput {
        answers: rubric
            .criteria
            .iter()
            .map(|criterion| {
                let answer = answers.get(&criterion.id).cloned().unwrap_or_default();
                AnswerInput {
                    criterion: criterion.id.clone(),
                    points: answer
                        .points
                        .filter(|_| !answer.not_assessable)
                        .map(|points| serde_json::Value::String(text(points))),
                    not_assessable: answer.not_assessable,
                    remark: nonempty(&answer.remark),
                }
            })
            .collect(),
        remark: nonempty(remark),
        remark_language,
    }
}

/// The language a form's remarks are written in: the one posted in
/// `remark_language`, else the page's.
fn posted_remark_language(fields: &[(String, String)], page: Language) -> CaseLanguage {
    CaseLanguage::parse(field(fields, "remark_language")).unwrap_or_else(|| page_case_language(page))
}

/// A page language as a language of text.
fn page_case_language(page: Language) -> CaseLanguage {
    match page {
        Language::Fr => CaseLanguage::Fr,
        Language::De => CaseLanguage::De,
        Language::It => CaseLanguage::It,
    }
}

/// A problem the form lists, with the criterion it is about.
#[derive(Debug, Serialize)]
struct FieldProblem {
    anchor: Option<String>,
    label: String,
    detail: String,
}

/// A refusal's problems mapped to the criteria of the form.
fn field_errors(
    rubric: &Rubric,
    reply: &Reply,
    language: Language,
    prefix: &str,
) -> (Vec<FieldProblem>, BTreeMap<String, String>) {
    let mut list = Vec::new();
    let mut by_criterion = BTreeMap::new();
    let problem = reply.problem();
    for error in problem.errors {
        let detail = crate::api::error_text(&error, language);
        let index = error
            .pointer
            .as_deref()
            .and_then(|pointer| pointer.strip_prefix("/answers/"))
            .and_then(|rest| rest.split('/').next())
            .and_then(|index| index.parse::<usize>().ok());
        match index.and_then(|index| rubric.criteria.get(index)) {
            Some(criterion) => {
                let label = format!("{} {}", criterion.id, criterion.title.get(language.code()));
                list.push(FieldProblem {
                    anchor: Some(format!("{prefix}{}", criterion.id)),
                    label,
                    detail: detail.clone(),
                });
                by_criterion.insert(criterion.id.clone(), detail);
            }
            None => list.push(FieldProblem { anchor: None, label: String::new(), detail }),
        }
    }
    if list.is_empty() {
        list.push(FieldProblem { anchor: None, label: String::new(), detail: reply.detail() });
    }
    (list, by_criterion)
}

/// A level of a criterion in a radio form.
#[derive(Debug, Serialize)]
struct LevelView {
    points: String,
    descriptor: LocalizedText,
    checked: bool,
    input_id: String,
    chosen_by: Option<String>,
}

/// A criterion of a radio form.
#[derive(Debug, Serialize)]
struct CriterionView {
    id: String,
    title: LocalizedText,
    weight: String,
    not_assessable_allowed: bool,
    na_checked: bool,
    remark: String,
    levels: Vec<LevelView>,
    error: Option<String>,
    differs: bool,
    /// Why the candidate's case leaves it out (nobody scores it then).
    left_out: Option<String>,
}

/// What the criteria of a form show besides the answers.
#[derive(Default)]
struct CriteriaMarks<'a> {
    errors: Option<&'a BTreeMap<String, String>>,
    chosen_by: Option<&'a BTreeMap<(String, Decimal), Vec<String>>>,
    differs: Option<&'a BTreeMap<String, bool>>,
}

/// The criteria of the rubric with their levels, for a radio form.
fn criteria_view(
    rubric: &Rubric,
    answers: &Answers,
    id_prefix: &str,
    marks: &CriteriaMarks<'_>,
) -> Vec<CriterionView> {
    rubric
        .criteria
        .iter()
        .map(|criterion| {
            let id = &criterion.id;
            let answer = answers.get(id).cloned().unwrap_or_default();
            let levels = criterion
                .levels
                .iter()
                .enumerate()
                .map(|(index, level)| LevelView {
                    points: text(level.points),
                    descriptor: level.descriptor.clone(),
                    checked: !answer.not_assessable && answer.points == Some(level.points),
                    input_id: format!("{id_prefix}level-{id}-{index}"),
                    chosen_by: marks
                        .chosen_by
                        .and_then(|chosen| chosen.get(&(id.clone(), level.points)))
                        .map(|names| names.join(", ")),
                })
                .collect();
            CriterionView {
                id: id.clone(),
                title: criterion.title.clone(),
                weight: text(criterion.weight),
                not_assessable_allowed: criterion.not_assessable_allowed,
                na_checked: answer.not_assessable,
                remark: answer.remark,
                levels,
                error: marks.errors.and_then(|errors| errors.get(id)).cloned(),
                differs: marks.differs.and_then(|differs| differs.get(id)).copied().unwrap_or(false),
                left_out: None,
            }
        })
        .collect()
}

/// A level of a criterion on the scoring form, with its texts in the
/// reader's language picked and translated here: the form is the page
/// examiners load most, and a filter or function call per level in the
/// template costs more than the rest of its rendering.
#[derive(Debug, Serialize)]
struct FormLevel<'a> {
    points: String,
    /// "2 pts", as `examiner.level_points` says it.
    label: String,
    descriptor: &'a str,
    /// `fr` when the descriptor is the French shown for want of a
    /// translation (see [`i18n::localized`]).
    descriptor_lang: Option<&'static str>,
    checked: bool,
    input_id: String,
}

/// A criterion on the scoring form (see [`FormLevel`]).
#[derive(Debug, Serialize)]
struct FormCriterion<'a> {
    id: &'a str,
    title: &'a str,
    title_lang: Option<&'static str>,
    /// `examiner.weight` with the weight, for a weight other than 1.
    weight_label: Option<String>,
    not_assessable_allowed: bool,
    na_checked: bool,
    remark: String,
    /// `examiner.criterion_remark`: the label of the criterion's remark.
    remark_label: String,
    levels: Vec<FormLevel<'a>>,
    error: Option<String>,
    /// Why the candidate's case leaves it out (nobody scores it then).
    left_out: Option<&'a str>,
}

/// The criteria of the rubric on the scoring form in `language`, with the
/// answers shown, the problems of a refused post and what the case leaves
/// out.
fn form_criteria<'a>(
    rubric: &'a Rubric,
    answers: &Answers,
    errors: &BTreeMap<String, String>,
    case: Option<&'a grille_scoring::CaseStudy>,
    language: Language,
) -> Vec<FormCriterion<'a>> {
    let level_points = i18n::translate(language, "examiner.level_points");
    let weight = i18n::translate(language, "examiner.weight");
    let criterion_remark = i18n::translate(language, "examiner.criterion_remark");
    rubric
        .criteria
        .iter()
        .map(|criterion| {
            let id = &criterion.id;
            let answer = answers.get(id);
            let not_assessable = answer.is_some_and(|answer| answer.not_assessable);
            let chosen = answer.and_then(|answer| answer.points);
            let levels = criterion
                .levels
                .iter()
                .enumerate()
                .map(|(index, level)| {
                    let points = text(level.points);
                    let descriptor = i18n::localized(&level.descriptor, language);
                    FormLevel {
                        label: i18n::format(&level_points, &[("points", points.clone())]),
                        points,
                        descriptor: descriptor.text,
                        descriptor_lang: descriptor.lang,
                        checked: !not_assessable && chosen == Some(level.points),
                        input_id: format!("level-{id}-{index}"),
                    }
                })
                .collect();
            let title = i18n::localized(&criterion.title, language);
            let weight_text = text(criterion.weight);
            FormCriterion {
                id,
                title: title.text,
                title_lang: title.lang,
                weight_label: (weight_text != "1").then(|| i18n::format(&weight, &[("weight", weight_text)])),
                not_assessable_allowed: criterion.not_assessable_allowed,
                na_checked: not_assessable,
                remark: answer.map(|answer| answer.remark.clone()).unwrap_or_default(),
                remark_label: i18n::format(&criterion_remark, &[("id", id.clone())]),
                levels,
                error: errors.get(id).cloned(),
                left_out: case.and_then(|case| {
                    case.not_assessed
                        .iter()
                        .find(|item| &item.criterion == id)
                        .map(|item| item.reason.as_str())
                }),
            }
        })
        .collect()
}

/// An attachment of a case, served by the API.
#[derive(Debug, Serialize)]
struct AttachmentView {
    name: String,
    media_type: String,
    url: String,
}

/// The case a candidate sat, as the scoring form shows it beside the
/// rubric: text, tasks with the examiner notes, attachments.
#[derive(Debug, Serialize)]
struct CaseView<'a> {
    id: &'a str,
    version: &'a str,
    title: &'a str,
    language: grille_scoring::CaseLanguage,
    situation: &'a str,
    tasks: &'a [grille_scoring::CaseTask],
    attachments: Vec<AttachmentView>,
}

fn case_view<'a>(case: &'a grille_scoring::CaseStudy, path: &PositionPath) -> CaseView<'a> {
    CaseView {
        id: &case.id,
        version: &case.version,
        title: &case.title,
        language: case.language,
        situation: &case.situation,
        tasks: &case.tasks,
        attachments: case
            .attachments
            .iter()
            .map(|attachment| AttachmentView {
                name: attachment.name.clone(),
                media_type: attachment.media_type.clone(),
                url: format!("{}/case/attachments/{}", path.api(), attachment.sha256),
            })
            .collect(),
    }
}

/// Another candidate of the same position.
#[derive(Debug, Serialize)]
struct Neighbour {
    candidate: String,
    url: String,
}

#[derive(Debug, Default, Serialize)]
struct Neighbours {
    previous: Option<Neighbour>,
    next: Option<Neighbour>,
}

/// The links to the previous and next candidates of the position's pile,
/// as the form's answer names them.
fn neighbours(path: &PositionPath, pile: &PositionNeighbours) -> Neighbours {
    let link = |number: &String| {
        let other = PositionPath { id: path.id, number: number.clone(), position: path.position.clone() };
        Neighbour { candidate: number.clone(), url: other.page() }
    };
    Neighbours { previous: pile.previous.as_ref().map(link), next: pile.next.as_ref().map(link) }
}

fn notice(visit: &SignedIn, kind: &'static str, key: &str) -> Notice {
    Notice { kind, text: visit.tr(key) }
}

/// The notice of a 409 on the form: another version of the evaluation
/// (saved meanwhile elsewhere) is the conflict message; any other refusal
/// (a locked evaluation, a session that moved on) is said as the API
/// refuses it, in the reader's language.
fn conflict_notice(visit: &SignedIn, reply: &Reply) -> Notice {
    match reply.problem().code.as_deref() {
        None | Some("conflict.stale_version") => notice(visit, "error", "examiner.js.conflict"),
        Some(_) => Notice::error(reply.detail()),
    }
}

// ---------------------------------------------------------------- list

/// The state of a position in the examiner's list.
fn cell_state(own: OwnState, agreed: bool) -> &'static str {
    match own {
        OwnState::Submitted if agreed => "agreed",
        OwnState::Submitted => "submitted",
        OwnState::Draft => "draft",
        OwnState::NotStarted => "not_started",
    }
}

#[derive(Debug, Serialize)]
struct Cell {
    position: String,
    state: &'static str,
    state_key: String,
    url: String,
    discrepancy: Option<DiscrepancyStatus>,
    waiting: bool,
    grade: Option<String>,
}

#[derive(Debug, Serialize)]
struct CandidateRow {
    candidate: String,
    /// The compensation for disadvantages decided, in a few words.
    accommodation: Option<String>,
    absent: bool,
    partners: String,
    positions: Vec<Cell>,
}

#[derive(Debug, Serialize)]
struct PositionHead {
    id: String,
    title: String,
}

#[derive(Debug, Serialize)]
struct Group {
    session_id: i64,
    session_name: String,
    session_state_key: &'static str,
    part: String,
    part_title: String,
    positions: Vec<PositionHead>,
    rows: Vec<CandidateRow>,
}

#[derive(Debug, Serialize)]
struct Summary {
    todo: usize,
    drafts: usize,
    submitted: usize,
}

#[derive(Debug, Serialize)]
struct CandidatesView {
    account: AccountLayout,
    groups: Vec<Group>,
    summary: Summary,
    /// The positions one arbitrates, once arbitration is needed.
    arbitrations: Vec<ArbitrationLink>,
}

/// A position to arbitrate, in the candidates list.
#[derive(Debug, Serialize)]
struct ArbitrationLink {
    url: String,
    session_name: String,
    candidate: String,
    position: String,
    state_key: &'static str,
    grade: Option<String>,
}

pub(crate) async fn candidates(visit: SignedIn) -> Result<Response, PageError> {
    let assigned: Vec<Assigned> = visit.get("/api/me/assignments").await?;
    let accommodations = accommodations(&visit).await?;
    let code = visit.language.language.code();
    let mut groups: Vec<Group> = Vec::new();
    let mut summary = Summary { todo: 0, drafts: 0, submitted: 0 };
    for item in assigned {
        let absent = item.candidate_status != CandidateStatus::Present;
        let mut cells = Vec::with_capacity(item.positions.len());
        for position in &item.positions {
            if !absent {
                match position.own {
                    OwnState::Draft => summary.drafts += 1,
                    OwnState::Submitted => summary.submitted += 1,
                    OwnState::NotStarted => summary.todo += 1,
                }
            }
            let path = PositionPath {
                id: item.session_id,
                number: item.candidate.clone(),
                position: position.position.clone(),
            };
            let state = cell_state(position.own, position.agreed);
            cells.push(Cell {
                position: position.position.clone(),
                state,
                state_key: format!("examiner.state.{state}"),
                url: if position.own == OwnState::Submitted { path.comparison() } else { path.page() },
                discrepancy: position.discrepancy,
                waiting: position.partners_submitted == Some(false),
                grade: position.grade.clone(),
            });
        }
        let row = CandidateRow {
            accommodation: accommodation_for(&visit, &accommodations, item.session_id, &item.candidate),
            candidate: item.candidate.clone(),
            absent,
            partners: item.partners.join(", "),
            positions: cells,
        };
        match groups.iter_mut().find(|group| group.session_id == item.session_id && group.part == item.part) {
            Some(group) => group.rows.push(row),
            None => groups.push(Group {
                session_id: item.session_id,
                session_name: item.session_name.clone(),
                session_state_key: pages::session_state_key(item.session_state.as_str()),
                part_title: item.part_title.get(code).to_owned(),
                positions: item
                    .positions
                    .iter()
                    .map(|position| PositionHead {
                        id: position.position.clone(),
                        title: position.title.get(code).to_owned(),
                    })
                    .collect(),
                part: item.part,
                rows: vec![row],
            }),
        }
    }
    let items: Vec<grille_server::ArbitrationItem> = visit.get("/api/me/arbitrations").await?;
    let arbitrations = items
        .into_iter()
        .map(|item| ArbitrationLink {
            url: format!(
                "/examiner/sessions/{}/candidates/{}/positions/{}/arbitration",
                item.session_id, item.candidate, item.position
            ),
            session_name: item.session_name,
            candidate: item.candidate,
            position: item.position,
            state_key: match item.own {
                OwnState::NotStarted => "examiner.state.not_started",
                OwnState::Draft => "examiner.state.draft",
                OwnState::Submitted => "examiner.state.submitted",
            },
            grade: item.grade,
        })
        .collect();
    let view = CandidatesView { account: visit.account.view(), groups, summary, arbitrations };
    let language = visit.language;
    Ok(language.respond(
        StatusCode::OK,
        pages::render_page(&visit.state.environment, Page::Candidates, &view, language.language),
    ))
}

/// The accommodations of the candidates the examiner is assigned to.
async fn accommodations(visit: &SignedIn) -> Result<Vec<AssignedAccommodation>, PageError> {
    visit.get("/api/me/accommodations").await
}

/// The accommodation of one candidate in a few words, if any.
fn accommodation_for(
    visit: &SignedIn,
    accommodations: &[AssignedAccommodation],
    session_id: i64,
    number: &str,
) -> Option<String> {
    let found = accommodations.iter().find(|row| row.session_id == session_id && row.number == number)?;
    Some(accommodation_text(visit, &found.accommodation))
}

/// An accommodation in a few words: extra time, aids, note.
fn accommodation_text(visit: &SignedIn, accommodation: &AccommodationView) -> String {
    let mut parts = Vec::new();
    if let Some(minutes) = accommodation.extra_minutes {
        parts.push(i18n::format(
            &visit.tr("register.accommodation.minutes"),
            &[("minutes", minutes.to_string())],
        ));
    }
    parts.extend(accommodation.aids.iter().cloned());
    parts.extend(accommodation.note.iter().cloned());
    parts.join(" · ")
}

// ---------------------------------------------------------------- form

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Notices {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    submitted: Option<String>,
    #[serde(default)]
    agreed: Option<String>,
    #[serde(default)]
    confirmed: Option<String>,
}

struct FormRender<'a> {
    form: &'a PositionForm,
    answers: &'a Answers,
    remark: &'a str,
    /// The language the remarks are written in.
    remark_language: CaseLanguage,
    version: &'a str,
    errors: Vec<FieldProblem>,
    by_criterion: BTreeMap<String, String>,
    notice: Option<Notice>,
    saved_at: Option<String>,
    /// The answers shown are the saved ones: the form's own preview of
    /// them is used instead of asking the API again.
    saved_answers: bool,
}

/// An id with its title in the reader's language.
#[derive(Debug, Serialize)]
struct Titled {
    id: String,
    title: String,
}

#[derive(Debug, Serialize)]
struct Urls {
    form: String,
    api: String,
    comparison: String,
}

#[derive(Debug, Serialize)]
struct SubmissionLink<'a> {
    file_name: &'a str,
    url: String,
}

#[derive(Debug, Serialize)]
struct FormView<'a> {
    case: Option<CaseView<'a>>,
    submission: Option<SubmissionLink<'a>>,
    neighbours: Neighbours,
    assessed_total: usize,
    account: AccountLayout,
    candidate: &'a str,
    part: Titled,
    position: Titled,
    rubric: RubricHeading<'a>,
    scale: &'a ScaleView,
    urls: Urls,
    storage_key: String,
    criteria: Vec<FormCriterion<'a>>,
    remark: &'a str,
    /// The language of the remarks (the choice selected) and, where it
    /// is not the page's, the `lang` of the remark fields.
    remark_language: &'static str,
    remark_lang: Option<&'static str>,
    version: &'a str,
    preview: Preview,
    errors: Vec<FieldProblem>,
    notice: Option<Notice>,
    saved_at: Option<String>,
    accommodation: Option<String>,
}

/// What the form shows of its rubric beside the criteria: its title,
/// version and translation note. Only these go into the template's context, since the view is
/// converted into template values on every render and the whole rubric
/// (every level descriptor in every language) is most of the form's data.
#[derive(Debug, Serialize)]
struct RubricHeading<'a> {
    title: &'a grille_competence::LocalizedText,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation: Option<&'a grille_competence::Translations>,
}

async fn render_form(
    visit: &SignedIn,
    path: &PositionPath,
    status: StatusCode,
    render: FormRender<'_>,
) -> Result<Response, PageError> {
    let form = render.form;
    let rubric = &form.rubric;
    let preview = if render.saved_answers {
        form.preview.clone()
    } else {
        let input = api_input(rubric, render.answers, render.remark, Some(render.remark_language));
        let uri = format!("{}/evaluations/preview", path.api());
        // The preview of answers the API refused (a value out of range)
        // counts nothing rather than failing the page that shows why.
        visit
            .send::<Preview>(Method::POST, &uri, &visit.account.csrf, None, Some(&input))
            .await
            .unwrap_or_else(|_| Preview::nothing(rubric))
    };
    let criteria = form_criteria(
        rubric,
        render.answers,
        &render.by_criterion,
        form.case.as_ref(),
        visit.language.language,
    );
    let code = visit.language.language.code();
    let view = FormView {
        case: form.case.as_ref().map(|case| case_view(case, path)),
        submission: form.submission.as_ref().map(|submission| SubmissionLink {
            file_name: &submission.file_name,
            url: format!("{}/submission", path.api()),
        }),
        neighbours: neighbours(path, &form.neighbours),
        assessed_total: criteria.iter().filter(|criterion| criterion.left_out.is_none()).count(),
        account: visit.account.view(),
        candidate: &path.number,
        part: Titled { id: form.part.clone(), title: form.part_title.get(code).to_owned() },
        position: Titled { id: path.position.clone(), title: form.position_title.get(code).to_owned() },
        rubric: RubricHeading {
            title: &rubric.title,
            version: &rubric.version,
            translation: rubric.translation.as_ref(),
        },
        scale: &form.scale,
        urls: Urls { form: path.page(), api: path.api(), comparison: path.comparison() },
        storage_key: format!(
            "grille.evaluation.{}.{}.{}.{}",
            path.id, path.number, path.position, visit.account.username
        ),
        criteria,
        remark: render.remark,
        remark_language: render.remark_language.code(),
        remark_lang: i18n::text_lang(Some(render.remark_language), visit.language.language),
        version: render.version,
        preview,
        errors: render.errors,
        notice: render.notice,
        saved_at: render.saved_at,
        accommodation: form
            .accommodation
            .as_ref()
            .map(|accommodation| accommodation_text(visit, accommodation)),
    };
    let language = visit.language;
    Ok(language
        .respond(status, pages::render_page(&visit.state.environment, Page::Form, &view, language.language)))
}

/// The scoring form's data from the API, or the page saying why not.
async fn load_form(visit: &SignedIn, path: &PositionPath) -> Result<PositionForm, PageError> {
    if !path.valid() {
        return Err(visit.not_found());
    }
    visit.get(&format!("{}/form", path.api())).await
}

fn hhmm(updated_at: &str) -> Option<String> {
    // RFC 3339 UTC, e.g. 2026-05-04T09:12:33Z: the time of day in Swiss
    // local time is enough.
    grille_workflow::time::utc_to_swiss_local(updated_at)
        .and_then(|local| local.get(11..16).map(str::to_owned))
}

pub(crate) async fn form_page(
    visit: SignedIn,
    Path(path): Path<PositionPath>,
    Query(notices): Query<Notices>,
) -> Result<Response, PageError> {
    let form = load_form(&visit, &path).await?;
    let own: Option<&EvaluationView> = form.own.as_ref();
    if own.is_some_and(|own| own.status == OwnState::Submitted) {
        return Ok(see_other(&path.comparison()));
    }
    let answers = own.map(|own| answers_of(&own.answers)).unwrap_or_default();
    let remark = own.and_then(|own| own.remark.clone()).unwrap_or_default();
    let remark_language = own
        .and_then(|own| own.remark_language)
        .unwrap_or_else(|| page_case_language(visit.language.language));
    let version = own.map(|own| own.version.to_string()).unwrap_or_default();
    let render = FormRender {
        form: &form,
        answers: &answers,
        remark: &remark,
        remark_language,
        version: &version,
        errors: Vec::new(),
        by_criterion: BTreeMap::new(),
        notice: notices.saved.as_ref().map(|_| notice(&visit, "success", "examiner.notice.saved")),
        saved_at: own.and_then(|own| hhmm(&own.updated_at)),
        saved_answers: true,
    };
    render_form(&visit, &path, StatusCode::OK, render).await
}

pub(crate) async fn form_post(
    visit: SignedIn,
    Path(path): Path<PositionPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = load_form(&visit, &path).await?;
    if field(&fields, "action") == "confirm" {
        return confirm_post(&visit, &path, &form, &fields).await;
    }
    let answers = answers_from_form(&fields);
    let remark = field(&fields, "remark").to_owned();
    let remark_language = posted_remark_language(&fields, visit.language.language);
    let csrf = field(&fields, "csrf").to_owned();
    let version = field(&fields, "version").to_owned();
    let submit = field(&fields, "action") == "submit";
    let rubric = &form.rubric;
    let input = api_input(rubric, &answers, &remark, Some(remark_language));
    let mine = format!("{}/evaluations/mine", path.api());
    let saved = visit
        .api
        .send_typed::<EvaluationView>(Method::PUT, &mine, &visit.writing(&csrf), Some(&version), Some(&input))
        .await;
    let render = FormRender {
        form: &form,
        answers: &answers,
        remark: &remark,
        remark_language,
        version: &version,
        errors: Vec::new(),
        by_criterion: BTreeMap::new(),
        notice: None,
        saved_at: None,
        // The posted answers, not the form's saved ones.
        saved_answers: false,
    };
    let saved = match saved {
        Ok(saved) => saved,
        Err(refusal) => {
            let reply = visit.form_refusal(refusal)?;
            if reply.status == StatusCode::CONFLICT {
                let render = FormRender { notice: Some(conflict_notice(&visit, &reply)), ..render };
                return render_form(&visit, &path, StatusCode::CONFLICT, render).await;
            }
            let (errors, by_criterion) = field_errors(rubric, &reply, visit.language.language, "criterion-");
            let render = FormRender { errors, by_criterion, ..render };
            return render_form(&visit, &path, StatusCode::UNPROCESSABLE_ENTITY, render).await;
        }
    };
    if !submit {
        return Ok(see_other(&format!("{}?saved=1", path.page())));
    }
    let version = saved.version.to_string();
    let submitted = visit
        .send::<EvaluationView>(Method::POST, &format!("{mine}/submit"), &csrf, Some(&version), None::<&()>)
        .await;
    match submitted {
        Ok(_) => Ok(see_other(&format!("{}?submitted=1", path.comparison()))),
        Err(refusal) => {
            let reply = visit.form_refusal(refusal)?;
            if reply.status == StatusCode::CONFLICT {
                let render =
                    FormRender { version: &version, notice: Some(conflict_notice(&visit, &reply)), ..render };
                return render_form(&visit, &path, StatusCode::CONFLICT, render).await;
            }
            let (errors, by_criterion) = field_errors(rubric, &reply, visit.language.language, "criterion-");
            let render = FormRender {
                version: &version,
                errors,
                by_criterion,
                notice: Some(notice(&visit, "error", "examiner.notice.incomplete")),
                saved_at: hhmm(&saved.updated_at),
                ..render
            };
            render_form(&visit, &path, StatusCode::UNPROCESSABLE_ENTITY, render).await
        }
    }
}

// ---------------------------------------------------------------- comparison

struct Posted<'a> {
    answers: &'a Answers,
    remark: &'a str,
    remark_language: CaseLanguage,
    version: &'a str,
}

/// One examiner's answer to one criterion.
#[derive(Debug, Serialize)]
struct CompareCell {
    points: Option<String>,
    text: String,
    remark: Option<String>,
    /// The remark's language where it is not the page's (`lang`).
    remark_lang: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct CompareRow {
    id: String,
    title: LocalizedText,
    cells: Vec<CompareCell>,
    differs: bool,
    compared: bool,
}

#[derive(Debug, Serialize)]
struct Total {
    points: String,
    grade: Option<String>,
}

#[derive(Debug, Serialize)]
struct FlagView {
    kind: FlagKind,
    kind_key: &'static str,
    message: String,
}

#[derive(Debug, Serialize)]
struct Official {
    grade: String,
    source: Option<String>,
}

#[derive(Debug, Serialize)]
struct AgreedForm {
    criteria: Vec<CriterionView>,
    remark: String,
    /// The language of the remarks (the choice selected): the posted one,
    /// else the stored one, else the page's.
    remark_language: &'static str,
    /// That language where it is not the page's (`lang` of the fields).
    remark_lang: Option<&'static str>,
    version: String,
}

impl AgreedForm {
    /// A joint form (the agreed evaluation, the arbiter's) showing
    /// `answers` and `remark` written in `written` (`None`: unknown, the
    /// choice offers the page's language and nothing is marked).
    fn new(
        criteria: Vec<CriterionView>,
        remark: String,
        written: Option<CaseLanguage>,
        version: String,
        page: Language,
    ) -> AgreedForm {
        AgreedForm {
            criteria,
            remark,
            remark_language: written.unwrap_or_else(|| page_case_language(page)).code(),
            remark_lang: i18n::text_lang(written, page),
            version,
        }
    }
}

/// Which reconciliation applied to the position, and why.
#[derive(Debug, Serialize)]
pub(crate) struct ReconciliationLine {
    pub(crate) mode_key: &'static str,
    pub(crate) rule_key: &'static str,
    /// The engine's explanation with its numbers, in the page's language.
    pub(crate) explanation: String,
}

/// Where a position's official grade comes from, in the page's language.
fn official_source(result: &PositionResult, language: Language) -> Option<String> {
    let source = result.grade_source.as_ref()?;
    Some(messages::plain(result.grade_source_message.as_ref(), source, language))
}

impl ReconciliationLine {
    pub(crate) fn of(result: &PositionResult, language: Language) -> Option<ReconciliationLine> {
        result.reconciliation.as_ref().map(|reconciliation| ReconciliationLine {
            mode_key: grille_report::reconciliation::mode_key(reconciliation.mode),
            rule_key: grille_report::reconciliation::rule_key(reconciliation.rule),
            explanation: messages::plain(
                reconciliation.explanation_message.as_ref(),
                &reconciliation.explanation,
                language,
            ),
        })
    }
}

/// One examiner's confirmation of the joint evaluation.
#[derive(Debug, Serialize)]
struct ConfirmRow {
    examiner: String,
    confirmed: bool,
    justification: Option<String>,
    /// The justification's language where it is not the page's (`lang`).
    justification_lang: Option<&'static str>,
}

/// The confirmations of the joint evaluation and one's own confirm form.
#[derive(Debug, Serialize)]
struct ConfirmBlock {
    rows: Vec<ConfirmRow>,
    /// One's confirmation of the current version is missing and the
    /// session is scoring.
    can_confirm: bool,
    mine: bool,
    version: String,
    /// When the joint grade and one's own lie on both sides of the pass mark.
    required: Option<(String, String)>,
    pass_mark: String,
    justification: String,
    /// The language chosen for one's justification: the one posted with
    /// a refused confirmation, else the page's.
    justification_language: &'static str,
}

#[derive(Debug, Serialize)]
struct ComparisonView<'a> {
    account: AccountLayout,
    candidate: &'a str,
    part: Titled,
    position: Titled,
    urls: Urls,
    examiners: Vec<String>,
    waiting: Option<String>,
    rows: Vec<CompareRow>,
    totals: Vec<Total>,
    grades_differ: bool,
    difference: Option<String>,
    flags: Vec<FlagView>,
    status_key: Option<&'static str>,
    official: Option<Official>,
    reconciliation: Option<ReconciliationLine>,
    agreed_form: Option<AgreedForm>,
    confirm: Option<ConfirmBlock>,
    errors: Vec<FieldProblem>,
    notice: Option<Notice>,
}

/// What the comparison page shows besides the evaluations.
struct ComparisonRender<'a> {
    status: StatusCode,
    posted: Option<Posted<'a>>,
    errors: (Vec<FieldProblem>, BTreeMap<String, String>),
    notice: Option<Notice>,
    /// The justification typed in a refused confirmation, and the
    /// language chosen for it.
    justification: Option<(String, CaseLanguage)>,
}

/// Each examiner's points and grade on the position, in the order of
/// `examiners` (a dash for one who has not submitted).
fn examiner_totals(examiners: &[String], result: Option<&PositionResult>) -> Vec<Total> {
    examiners
        .iter()
        .map(|name| {
            let scored = result.and_then(|result| {
                result
                    .evaluations
                    .iter()
                    .find(|evaluation| evaluation.examiner.as_deref() == Some(name.as_str()))
            });
            match scored {
                Some(evaluation) => Total {
                    points: format!("{} / {}", text(evaluation.points), text(evaluation.max_points)),
                    grade: evaluation.grade.as_ref().map(|grade| grade.grade.to_string()),
                },
                None => Total { points: "—".to_owned(), grade: None },
            }
        })
        .collect()
}

/// The flags of a comparison (a straddle, a step), said in `language`.
fn flag_views(comparison: Option<&grille_scoring::Comparison>, language: Language) -> Vec<FlagView> {
    comparison
        .map(|comparison| {
            comparison
                .flags
                .iter()
                .map(|flag| FlagView {
                    kind: flag.kind,
                    kind_key: match flag.kind {
                        FlagKind::Straddle => "examiner.flag.straddle",
                        FlagKind::Step => "examiner.flag.step",
                    },
                    message: messages::plain(flag.detail.as_ref(), &flag.message, language),
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn render_comparison(
    visit: &SignedIn,
    path: &PositionPath,
    form: &PositionForm,
    render: ComparisonRender<'_>,
) -> Result<Response, PageError> {
    let language = visit.language.language;
    let listed: PositionEvaluations = visit.get(&format!("{}/evaluations", path.api())).await?;
    let rubric = &form.rubric;
    // Columns: oneself first, then the partners, in assignment order.
    let mut examiners: Vec<String> = vec![visit.account.username.clone()];
    for name in &form.examiners {
        if !examiners.contains(name) {
            examiners.push(name.clone());
        }
    }
    let by_examiner: BTreeMap<&str, Answers> = listed
        .evaluations
        .iter()
        .filter(|evaluation| evaluation.status == OwnState::Submitted)
        .map(|evaluation| (evaluation.examiner.as_str(), answers_of(&evaluation.answers)))
        .collect();
    let remark_langs: BTreeMap<&str, Option<&'static str>> = listed
        .evaluations
        .iter()
        .map(|evaluation| {
            (evaluation.examiner.as_str(), i18n::text_lang(evaluation.remark_language, language))
        })
        .collect();
    let waiting: Vec<&str> =
        examiners.iter().map(String::as_str).filter(|name| !by_examiner.contains_key(name)).collect();
    let not_submitted = visit.tr("examiner.not_submitted");
    let not_assessable = visit.tr("examiner.not_assessable");
    let mut rows = Vec::with_capacity(rubric.criteria.len());
    let mut differs_map = BTreeMap::new();
    let mut chosen_by: BTreeMap<(String, Decimal), Vec<String>> = BTreeMap::new();
    let mut agreeing = Answers::new();
    for criterion in &rubric.criteria {
        let id = &criterion.id;
        let mut cells = Vec::with_capacity(examiners.len());
        let mut marks = Vec::new();
        for name in &examiners {
            let Some(answers) = by_examiner.get(name.as_str()) else {
                cells.push(CompareCell {
                    points: None,
                    text: not_submitted.clone(),
                    remark: None,
                    remark_lang: None,
                });
                continue;
            };
            let answer = answers.get(id).cloned().unwrap_or_default();
            marks.push((answer.points, answer.not_assessable));
            if let Some(points) = answer.points {
                chosen_by.entry((id.clone(), points)).or_default().push(name.clone());
            }
            let descriptor = answer
                .points
                .and_then(|points| criterion.level(points))
                .map(|level| level.descriptor.get(language.code()).to_owned());
            cells.push(CompareCell {
                points: answer.points.map(text),
                text: if answer.not_assessable {
                    not_assessable.clone()
                } else {
                    descriptor.unwrap_or_default()
                },
                remark: Some(answer.remark.clone()).filter(|remark| !remark.is_empty()),
                remark_lang: remark_langs.get(name.as_str()).copied().flatten(),
            });
        }
        let differs = marks.len() > 1 && marks.iter().any(|mark| *mark != marks[0]);
        if marks.len() > 1 && !differs {
            agreeing.insert(
                id.clone(),
                AnswerState { points: marks[0].0, not_assessable: marks[0].1, remark: String::new() },
            );
        }
        differs_map.insert(id.clone(), differs);
        // Same or different only once at least two evaluations are submitted.
        rows.push(CompareRow {
            id: id.clone(),
            title: criterion.title.clone(),
            cells,
            differs,
            compared: marks.len() > 1,
        });
    }
    let result: Option<&PositionResult> = listed.result.as_ref();
    let totals = examiner_totals(&examiners, result);
    let grades: Vec<&String> = totals.iter().filter_map(|total| total.grade.as_ref()).collect();
    let grades_differ = grades.len() > 1 && grades.iter().any(|grade| *grade != grades[0]);
    let comparison = result.and_then(|result| result.comparison.as_ref());
    let flags = flag_views(comparison, language);
    let status_key = comparison.map(|comparison| match comparison.status {
        DiscrepancyStatus::Open => "examiner.comparison.status.open",
        DiscrepancyStatus::Agreed => "examiner.comparison.status.agreed",
        DiscrepancyStatus::None => "examiner.comparison.status.none",
    });
    let official = result.and_then(|result| {
        result
            .grade
            .map(|grade| Official { grade: grade.to_string(), source: official_source(result, language) })
    });
    let agreed_mode = listed.reconciliation == grille_scoring::Reconciliation::Agreed;
    let can_record = agreed_mode && waiting.is_empty() && form.session_state == SessionState::Scoring;
    let me = visit.account.username.as_str();
    let confirm = listed.agreed.as_ref().filter(|_| agreed_mode && waiting.is_empty()).map(|agreed| {
        let rows: Vec<ConfirmRow> = form
            .examiners
            .iter()
            .map(|name| {
                let current = listed.confirmations.iter().find(|row| &row.examiner == name && row.current);
                ConfirmRow {
                    examiner: name.clone(),
                    confirmed: current.is_some(),
                    justification: current.and_then(|row| row.justification.clone()),
                    justification_lang: current
                        .filter(|row| row.justification.is_some())
                        .and_then(|row| i18n::text_lang(row.justification_language, language)),
                }
            })
            .collect();
        let mine = rows.iter().any(|row| row.examiner == me && row.confirmed);
        let own_grade = totals.first().and_then(|total| total.grade.clone());
        let pass = Decimal::from_str(&form.scale.pass_mark).ok();
        let joint = agreed.grade.as_deref().and_then(|grade| Decimal::from_str(grade).ok());
        let own = own_grade.as_deref().and_then(|grade| Decimal::from_str(grade).ok());
        let required = match (joint, pass) {
            (Some(joint), Some(pass))
                if grille_workflow::justification_required(&joint, own.as_ref(), &pass) =>
            {
                Some((
                    crate::grade_text(agreed.grade.as_deref().unwrap_or_default()),
                    own_grade.map(|g| crate::grade_text(&g)).unwrap_or_default(),
                ))
            }
            _ => None,
        };
        ConfirmBlock {
            rows,
            can_confirm: !mine && form.session_state == SessionState::Scoring,
            mine,
            version: agreed.version.to_string(),
            required,
            pass_mark: crate::grade_text(&form.scale.pass_mark),
            justification: render.justification.as_ref().map(|(text, _)| text.clone()).unwrap_or_default(),
            justification_language: render
                .justification
                .as_ref()
                .map_or_else(|| page_case_language(language), |(_, written)| *written)
                .code(),
        }
    });
    let agreed_form = can_record.then(|| {
        let stored: Option<&AgreedView> = listed.agreed.as_ref();
        let (answers, remark, written, version) = match (&render.posted, stored) {
            (Some(posted), _) => (
                posted.answers.clone(),
                posted.remark.to_owned(),
                Some(posted.remark_language),
                posted.version.to_owned(),
            ),
            (None, Some(agreed)) => (
                answers_of(&agreed.answers),
                agreed.remark.clone().unwrap_or_default(),
                agreed.remark_language,
                agreed.version.to_string(),
            ),
            (None, None) => (agreeing.clone(), String::new(), None, String::new()),
        };
        let marks = CriteriaMarks {
            errors: Some(&render.errors.1),
            chosen_by: Some(&chosen_by),
            differs: Some(&differs_map),
        };
        AgreedForm::new(
            criteria_view(rubric, &answers, "agreed-", &marks),
            remark,
            written,
            version,
            language,
        )
    });
    let code = language.code();
    let view = ComparisonView {
        account: visit.account.view(),
        candidate: &path.number,
        part: Titled { id: form.part.clone(), title: form.part_title.get(code).to_owned() },
        position: Titled { id: path.position.clone(), title: form.position_title.get(code).to_owned() },
        urls: Urls { form: path.page(), api: path.api(), comparison: path.comparison() },
        waiting: (!waiting.is_empty()).then(|| waiting.join(", ")),
        examiners,
        rows,
        totals,
        grades_differ,
        difference: comparison
            .and_then(|comparison| comparison.difference)
            .map(|difference| difference.to_string()),
        flags,
        status_key,
        reconciliation: result.and_then(|result| ReconciliationLine::of(result, language)),
        official,
        agreed_form,
        confirm,
        errors: render.errors.0,
        notice: render.notice,
    };
    Ok(visit.language.respond(
        render.status,
        pages::render_page(&visit.state.environment, Page::Comparison, &view, language),
    ))
}

pub(crate) async fn comparison_page(
    visit: SignedIn,
    Path(path): Path<PositionPath>,
    Query(notices): Query<Notices>,
) -> Result<Response, PageError> {
    let form = load_form(&visit, &path).await?;
    if form.own.as_ref().is_none_or(|own| own.status != OwnState::Submitted) {
        return Ok(see_other(&path.page()));
    }
    let notice = if let Some(grade) = &notices.agreed {
        let text = i18n::format(&visit.tr("examiner.agreed.saved"), &[("grade", crate::grade_text(grade))]);
        Some(Notice::success(text))
    } else if notices.confirmed.is_some() {
        Some(notice(&visit, "success", "examiner.confirm.saved"))
    } else if notices.submitted.is_some() {
        Some(notice(&visit, "success", "examiner.notice.submitted"))
    } else {
        None
    };
    let render = ComparisonRender {
        status: StatusCode::OK,
        posted: None,
        errors: Default::default(),
        notice,
        justification: None,
    };
    render_comparison(&visit, &path, &form, render).await
}

pub(crate) async fn comparison_post(
    visit: SignedIn,
    Path(path): Path<PositionPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = load_form(&visit, &path).await?;
    if field(&fields, "action") == "confirm" {
        return confirm_post(&visit, &path, &form, &fields).await;
    }
    let answers = answers_from_form(&fields);
    let remark = field(&fields, "remark").to_owned();
    let version = field(&fields, "version").to_owned();
    let rubric = &form.rubric;
    let remark_language = posted_remark_language(&fields, visit.language.language);
    let input = api_input(rubric, &answers, &remark, Some(remark_language));
    let uri = format!("{}/agreed", path.api());
    let saved = visit
        .send::<AgreedView>(Method::PUT, &uri, field(&fields, "csrf"), Some(&version), Some(&input))
        .await;
    let posted = Posted { answers: &answers, remark: &remark, remark_language, version: &version };
    match saved {
        Ok(agreed) => {
            let grade = agreed.grade.as_deref().unwrap_or("—");
            Ok(see_other(&format!("{}?agreed={}", path.comparison(), crate::auth_pages::encode(grade))))
        }
        Err(refusal) => match visit.form_refusal(refusal)? {
            reply if reply.status == StatusCode::UNPROCESSABLE_ENTITY => {
                let errors = field_errors(rubric, &reply, visit.language.language, "agreed-");
                let render = ComparisonRender {
                    status: reply.status,
                    posted: Some(posted),
                    errors,
                    notice: None,
                    justification: None,
                };
                render_comparison(&visit, &path, &form, render).await
            }
            // Another examiner recorded it meanwhile: their version is shown
            // with the posted answers kept in the form.
            reply if reply.problem().code.as_deref() == Some("conflict.stale_version") => {
                let render = ComparisonRender {
                    status: StatusCode::CONFLICT,
                    posted: Some(posted),
                    errors: Default::default(),
                    notice: Some(notice(&visit, "error", "examiner.js.conflict")),
                    justification: None,
                };
                render_comparison(&visit, &path, &form, render).await
            }
            reply => Err(visit.refused(Refusal::Answer(Box::new(reply)))),
        },
    }
}

// ---------------------------------------------------------------- arbitration

#[derive(Debug, Serialize)]
struct ArbitrationPageView<'a> {
    account: AccountLayout,
    candidate: &'a str,
    position: Titled,
    url: String,
    /// The API route of the arbiter's live grade.
    preview_url: String,
    examiners: Vec<String>,
    rows: Vec<CompareRow>,
    totals: Vec<Total>,
    flags: Vec<FlagView>,
    reconciliation: Option<ReconciliationLine>,
    official: Option<Official>,
    /// The arbiter's form while it can still change.
    form: Option<AgreedForm>,
    submitted: bool,
    errors: Vec<FieldProblem>,
    notice: Option<Notice>,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct ArbitrationNotices {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    submitted: Option<String>,
}

async fn render_arbitration(
    visit: &SignedIn,
    path: &PositionPath,
    status: StatusCode,
    posted: Option<(&Answers, &str, CaseLanguage)>,
    errors: (Vec<FieldProblem>, BTreeMap<String, String>),
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let language = visit.language.language;
    let view: grille_server::ArbitrationView = visit.get(&format!("{}/arbitration", path.api())).await?;
    let rubric = &view.rubric;
    let examiners: Vec<String> =
        view.evaluations.iter().map(|evaluation| evaluation.examiner.clone()).collect();
    let by_examiner: Vec<Answers> =
        view.evaluations.iter().map(|evaluation| answers_of(&evaluation.answers)).collect();
    let remark_langs: Vec<Option<&'static str>> = view
        .evaluations
        .iter()
        .map(|evaluation| i18n::text_lang(evaluation.remark_language, language))
        .collect();
    let not_assessable = visit.tr("examiner.not_assessable");
    let mut chosen_by: BTreeMap<(String, Decimal), Vec<String>> = BTreeMap::new();
    let mut differs_map = BTreeMap::new();
    let rows: Vec<CompareRow> = rubric
        .criteria
        .iter()
        .map(|criterion| {
            let id = &criterion.id;
            let mut marks = Vec::new();
            let cells = by_examiner
                .iter()
                .zip(&examiners)
                .zip(&remark_langs)
                .map(|((answers, name), remark_lang)| {
                    let answer = answers.get(id).cloned().unwrap_or_default();
                    marks.push((answer.points, answer.not_assessable));
                    if let Some(points) = answer.points {
                        chosen_by.entry((id.clone(), points)).or_default().push(name.clone());
                    }
                    let descriptor = answer
                        .points
                        .and_then(|points| criterion.level(points))
                        .map(|level| level.descriptor.get(language.code()).to_owned());
                    CompareCell {
                        points: answer.points.map(text),
                        text: if answer.not_assessable {
                            not_assessable.clone()
                        } else {
                            descriptor.unwrap_or_default()
                        },
                        remark: Some(answer.remark.clone()).filter(|remark| !remark.is_empty()),
                        remark_lang: *remark_lang,
                    }
                })
                .collect();
            let differs = marks.len() > 1 && marks.iter().any(|mark| *mark != marks[0]);
            differs_map.insert(id.clone(), differs);
            CompareRow {
                id: id.clone(),
                title: criterion.title.clone(),
                cells,
                differs,
                compared: marks.len() > 1,
            }
        })
        .collect();
    let result = view.result.as_ref();
    let totals = examiner_totals(&examiners, result);
    let flags = flag_views(result.and_then(|result| result.comparison.as_ref()), language);
    let submitted = view.own.as_ref().is_some_and(|own| own.status == OwnState::Submitted);
    let form = (!submitted && view.session_state == SessionState::Scoring).then(|| {
        let (answers, remark, written) = match (posted, &view.own) {
            (Some((answers, remark, written)), _) => (answers.clone(), remark.to_owned(), Some(written)),
            (None, Some(own)) => {
                (answers_of(&own.answers), own.remark.clone().unwrap_or_default(), own.remark_language)
            }
            (None, None) => (Answers::new(), String::new(), None),
        };
        let marks = CriteriaMarks {
            errors: Some(&errors.1),
            chosen_by: Some(&chosen_by),
            differs: Some(&differs_map),
        };
        let version = view.own.as_ref().map(|own| own.version.to_string()).unwrap_or_default();
        AgreedForm::new(
            criteria_view(rubric, &answers, "arbiter-", &marks),
            remark,
            written,
            version,
            language,
        )
    });
    let page = ArbitrationPageView {
        account: visit.account.view(),
        candidate: &path.number,
        position: Titled {
            id: path.position.clone(),
            title: view.position_title.get(language.code()).to_owned(),
        },
        url: path.arbitration(),
        preview_url: format!("{}/arbitration/preview", path.api()),
        examiners,
        rows,
        totals,
        flags,
        reconciliation: result.and_then(|result| ReconciliationLine::of(result, language)),
        official: result.and_then(|result| {
            result
                .grade
                .map(|grade| Official { grade: grade.to_string(), source: official_source(result, language) })
        }),
        form,
        submitted,
        errors: errors.0,
        notice,
    };
    Ok(visit
        .language
        .respond(status, pages::render_page(&visit.state.environment, Page::Arbitration, &page, language)))
}

pub(crate) async fn arbitration_page(
    visit: SignedIn,
    Path(path): Path<PositionPath>,
    Query(notices): Query<ArbitrationNotices>,
) -> Result<Response, PageError> {
    if !path.valid() {
        return Err(visit.not_found());
    }
    let notice = if notices.submitted.is_some() {
        Some(notice(&visit, "success", "examiner.arbitration.submitted"))
    } else if notices.saved.is_some() {
        Some(notice(&visit, "success", "examiner.arbitration.saved"))
    } else {
        None
    };
    render_arbitration(&visit, &path, StatusCode::OK, None, Default::default(), notice).await
}

pub(crate) async fn arbitration_post(
    visit: SignedIn,
    Path(path): Path<PositionPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !path.valid() {
        return Err(visit.not_found());
    }
    let view: grille_server::ArbitrationView = visit.get(&format!("{}/arbitration", path.api())).await?;
    let rubric = &view.rubric;
    let answers = answers_from_form(&fields);
    let remark = field(&fields, "remark").to_owned();
    let version = field(&fields, "version").to_owned();
    let csrf = field(&fields, "csrf");
    let remark_language = posted_remark_language(&fields, visit.language.language);
    let input = api_input(rubric, &answers, &remark, Some(remark_language));
    let uri = format!("{}/arbitration", path.api());
    let expected = Some(version.as_str()).filter(|version| !version.is_empty());
    let mut saved = visit.send::<EvaluationView>(Method::PUT, &uri, csrf, expected, Some(&input)).await;
    let submit = field(&fields, "action") == "submit";
    if submit && let Ok(draft) = &saved {
        let version = draft.version.to_string();
        saved = visit
            .send::<EvaluationView>(Method::POST, &format!("{uri}/submit"), csrf, Some(&version), None::<&()>)
            .await;
    }
    match saved {
        Ok(_) if submit => Ok(see_other(&format!("{}?submitted=1", path.arbitration()))),
        Ok(_) => Ok(see_other(&format!("{}?saved=1", path.arbitration()))),
        Err(refusal) => {
            let reply = visit.form_refusal(refusal)?;
            let errors = if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
                field_errors(rubric, &reply, visit.language.language, "arbiter-")
            } else {
                Default::default()
            };
            let notice = Some(Notice::error(reply.problems(visit.language.language, false).join(" ")));
            let posted = Some((&answers, remark.as_str(), remark_language));
            render_arbitration(&visit, &path, reply.status, posted, errors, notice).await
        }
    }
}

/// One's confirmation of the joint evaluation: the API's answer, a 422
/// (justification required) shown on the page with what was typed.
async fn confirm_post(
    visit: &SignedIn,
    path: &PositionPath,
    form: &PositionForm,
    fields: &[(String, String)],
) -> Result<Response, PageError> {
    let justification = field(fields, "justification").to_owned();
    let version: i64 = field(fields, "version").parse().unwrap_or_default();
    // The language chosen beside the justification, else the page's.
    let language = CaseLanguage::parse(field(fields, "justification_language"))
        .unwrap_or_else(|| page_case_language(visit.language.language));
    let body = grille_server::ConfirmRequest {
        version,
        justification: Some(justification.clone()).filter(|text| !text.trim().is_empty()),
        justification_language: Some(language),
    };
    let uri = format!("{}/agreed/confirm", path.api());
    let sent = visit
        .send::<grille_server::ConfirmationView>(Method::POST, &uri, field(fields, "csrf"), None, Some(&body))
        .await;
    match sent {
        Ok(_) => Ok(see_other(&format!("{}?confirmed=1", path.comparison()))),
        Err(refusal) => {
            let reply = visit.form_refusal(refusal)?;
            let status = reply.status;
            let text = reply.problems(visit.language.language, false).join(" ");
            let render = ComparisonRender {
                status,
                posted: None,
                errors: Default::default(),
                notice: Some(Notice::error(text)),
                justification: Some((justification, language)),
            };
            render_comparison(visit, path, form, render).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_answers_become_one_api_answer_per_criterion() {
        let level = |points: &str| serde_json::json!({"points": points, "descriptor": {"fr": "niveau"}});
        let criterion = |id: &str| serde_json::json!({"id": id, "title": {"fr": id}, "levels": [level("0"), level("2")], "competences": ["A1"]});
        let rubric: Rubric = serde_json::from_value(serde_json::json!({
            "id": "r", "version": "1", "title": {"fr": "Grille"},
            "criteria": [criterion("c1"), criterion("c2"), criterion("c3")],
        }))
        .expect("a rubric");
        let fields: Vec<(String, String)> =
            [("points-c1", "2"), ("remark-c1", " vu "), ("points-c3", "na"), ("remark-c2", "")]
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect();
        let input = api_input(&rubric, &answers_from_form(&fields), "  ", None);
        assert_eq!(
            serde_json::to_value(&input).expect("json"),
            serde_json::json!({"answers": [
                {"criterion": "c1", "points": "2", "remark": "vu"},
                {"criterion": "c2"},
                {"criterion": "c3", "not_assessable": true},
            ]})
        );
    }

    #[test]
    fn only_plain_ids_reach_the_api() {
        let path = |number: &str, position: &str| PositionPath {
            id: 1,
            number: number.into(),
            position: position.into(),
        };
        assert!(path("2026-001", "1.1").valid());
        assert!(!path("2026-001/../../users", "1.1").valid());
        assert!(!path("2026-001", "1.1?x=1").valid());
    }
}
