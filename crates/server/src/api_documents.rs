//! The exam documents a board (or a school) writes in the browser: grading
//! schemes, blueprints and rubrics, as versions in a bank (draft → ready →
//! used), each saved through the same loader as a file (schema, then
//! meaning, with JSON pointers), with previews computed by the scoring
//! crate (points → grade tables, coverage of the profile, what a scheme
//! decides on example grades), a diff between any two versions, and
//! "prepare next year's exam" (copy a session's documents as new drafts).
//!
//! A bank is its owner's only: another bank's documents answer 404. The
//! rules of a bank version are grille-workflow's rules of a case in a bank
//! ([`case_permit`]: a used version never changes, an edit is a copy).

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_competence::document::{Change, json_diff};
use grille_competence::{Catalogue, LocalizedText, Problem};
use grille_scoring::{Blueprint, GradingScheme, Message, MessageCode, Rubric};
use grille_store::{Actor, CaseOwner, DocumentKind, DraftRecord, DraftState, DraftText, Role, User};
use grille_workflow::{CaseAction, CaseState, CaseSubject, Denial, case_permit};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiError, FieldError};
use crate::exam;
use crate::extract::RequiredIfMatch;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::reply::{Created, Tagged};

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "documents d'examen";
    ApiRouter::new()
        .api_route(
            "/api/documents",
            get_with(list, |op| op.tag(tag).summary("Les barèmes, plans d'examen et grilles de sa banque"))
                .post_with(create, |op| op.tag(tag).summary("Écrire un nouveau document (brouillon)")),
        )
        .api_route(
            "/api/documents/next-year",
            post_with(next_year, |op| {
                op.tag(tag).summary(
                    "Préparer l'examen suivant : copier le barème, le plan d'examen et les grilles d'une session (ou ceux livrés) en nouveaux brouillons",
                )
            }),
        )
        .api_route(
            "/api/documents/preview",
            post_with(live_preview, |op| {
                op.tag(tag).summary(
                    "L'aperçu d'un document en cours d'écriture, sans rien enregistrer : mêmes contrôles qu'à l'enregistrement, tableau des notes sous le barème choisi, couverture, décisions",
                )
            }),
        )
        .api_route(
            "/api/documents/{document}",
            get_with(one, |op| op.tag(tag).summary("Un document avec son aperçu (tableau des notes, couverture, décisions)"))
                .put_with(update, |op| op.tag(tag).summary("Modifier un document en brouillon ou prêt (If-Match)")),
        )
        .api_route(
            "/api/documents/{document}/state",
            post_with(change_state, |op| op.tag(tag).summary("Brouillon ↔ prêt (If-Match)")),
        )
        .api_route(
            "/api/documents/{document}/duplicate",
            post_with(duplicate, |op| op.tag(tag).summary("Copier un document en nouvelle version (brouillon)")),
        )
        .api_route(
            "/api/documents/{document}/diff",
            get_with(diff, |op| op.tag(tag).summary("Les différences entre deux versions (pointeurs JSON)")),
        )
}

/// A bank document in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct DocumentPath {
    /// The row id in its bank.
    document: i64,
}

/// The kind of an exam document, as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExamDocumentKind {
    /// A grading scheme (barème).
    Scheme,
    /// An exam blueprint (plan d'examen).
    Blueprint,
    /// A rubric (grille d'évaluation).
    Rubric,
}

impl ExamDocumentKind {
    fn store(self) -> DocumentKind {
        match self {
            ExamDocumentKind::Scheme => DocumentKind::Scheme,
            ExamDocumentKind::Blueprint => DocumentKind::Blueprint,
            ExamDocumentKind::Rubric => DocumentKind::Rubric,
        }
    }

    fn of(kind: DocumentKind) -> Option<ExamDocumentKind> {
        match kind {
            DocumentKind::Scheme => Some(ExamDocumentKind::Scheme),
            DocumentKind::Blueprint => Some(ExamDocumentKind::Blueprint),
            DocumentKind::Rubric => Some(ExamDocumentKind::Rubric),
            DocumentKind::Catalogue | DocumentKind::Case => None,
        }
    }
}

/// The kind filter of the list.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentFilter {
    /// Only documents of this kind.
    #[serde(default)]
    pub kind: Option<ExamDocumentKind>,
}

/// A new document: its kind and its content (as the file would hold it).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBankDocument {
    /// What it is.
    pub kind: ExamDocumentKind,
    /// The document itself.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub document: serde_json::Value,
}

/// A changed document.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentUpdate {
    /// The document itself.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub document: serde_json::Value,
}

/// Where a bank document is in its life, as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentStateName {
    /// Being written.
    Draft,
    /// Reviewed; a session may pin it.
    Ready,
    /// Pinned by a session: never changes again.
    Used,
}

impl DocumentStateName {
    fn of(state: DraftState) -> DocumentStateName {
        match state {
            DraftState::Draft => DocumentStateName::Draft,
            DraftState::Ready => DocumentStateName::Ready,
            DraftState::Used => DocumentStateName::Used,
        }
    }

    fn store(self) -> DraftState {
        match self {
            DocumentStateName::Draft => DraftState::Draft,
            DocumentStateName::Ready => DraftState::Ready,
            DocumentStateName::Used => DraftState::Used,
        }
    }
}

/// A state to move a document to.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentStateRequest {
    /// `draft` or `ready`.
    pub state: DocumentStateName,
}

/// How to copy a document.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentCopyRequest {
    /// The new version label (default: the next free number, or
    /// `label-2`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The other version a diff compares with.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The row id of the other version (the earlier one, usually).
    pub with: i64,
}

/// What to copy for next year's exam.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextYearRequest {
    /// The version label of the copies, e.g. `2027`.
    #[schemars(length(min = 1, max = 40), regex(pattern = r"\S"))]
    pub version: String,
    /// The session whose pinned scheme, blueprint and rubrics are copied
    /// (default: the federal exam's documents shipped with grille).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_session: Option<i64>,
}

/// One document of a bank, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankDocumentSummary {
    /// The row id.
    pub id: i64,
    /// What it is.
    pub kind: ExamDocumentKind,
    /// The document's own id.
    pub document_id: String,
    /// The version label.
    pub version: String,
    /// The title as the bank stores it: the document's French title.
    pub title: String,
    /// The document's title in every language it carries (`fr` always,
    /// the same as `title`; `de` and `it` where translated), so that a
    /// page shows it in its reader's language and marks the French where
    /// there is no translation.
    pub titles: LocalizedText,
    /// `draft`, `ready` or `used`.
    pub state: DocumentStateName,
    /// The row's version, for `If-Match`.
    pub row_version: i64,
    /// When last changed.
    pub updated_at: String,
}

/// Another version of the same document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentVersionView {
    /// Its row id.
    pub id: i64,
    /// Its version label.
    pub version: String,
    /// Its state.
    pub state: DocumentStateName,
}

/// A bank document with its preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BankDocumentDetail {
    /// The listing line.
    pub summary: BankDocumentSummary,
    /// The document.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub document: serde_json::Value,
    /// Whether it may be changed now (draft or ready).
    pub editable: bool,
    /// Every version of this document id in the bank.
    pub versions: Vec<DocumentVersionView>,
    /// What the scoring crate computes from it.
    pub preview: DocumentPreview,
}

/// What a document gives, computed by the scoring crate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct DocumentPreview {
    /// Rubric: the scheme its points are converted under (`id version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Rubric: the maximum points (weights applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<String>,
    /// Rubric (under the shipped scheme) or scheme (out of 24 points):
    /// points → unrounded grade → grade.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<GradeRow>,
    /// Rubric or blueprint: how it covers the competences of the profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<CoverageLine>,
    /// Blueprint: rubric ids it names that no bank or shipped rubric has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_rubrics: Vec<String>,
    /// Scheme: what it decides on example part grades.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<OutcomeExample>,
}

/// One line of a points → grade table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GradeRow {
    /// The points.
    pub points: String,
    /// The grade before rounding.
    pub unrounded: String,
    /// The grade.
    pub grade: String,
}

/// How one competence is covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CoverageLine {
    /// The competence id.
    pub competence: String,
    /// What assesses it (criteria of a rubric, positions of a blueprint).
    pub by: Vec<String>,
    /// The categories reached (`performance`, `knowledge`, ...).
    pub categories: Vec<String>,
}

/// A scheme applied to example part grades.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeExample {
    /// The part grades, parts `1`, `2`, `3` of weight 1.
    pub grades: Vec<String>,
    /// The overall grade.
    pub overall: Option<String>,
    /// Whether the exam is passed.
    pub passed: bool,
    /// The conditions not met, in French.
    pub unmet: Vec<String>,
    /// `unmet`, as codes and arguments (see `grille_scoring::Message`).
    #[serde(default)]
    pub unmet_messages: Vec<grille_scoring::Message>,
}

fn own_bank(user: &User) -> Option<CaseOwner> {
    match user.role {
        Role::Admin => Some(CaseOwner::Board),
        Role::Trainer => user.school_id.map(CaseOwner::School),
        _ => None,
    }
}

fn case_state(state: DraftState) -> CaseState {
    match state {
        DraftState::Draft => CaseState::Draft,
        DraftState::Ready => CaseState::Ready,
        DraftState::Used => CaseState::Used,
    }
}

fn permit(action: CaseAction, user: &User, record: &DraftRecord) -> Result<(), ApiError> {
    let subject = CaseSubject {
        role: exam::flow_role(user.role),
        own_bank: own_bank(user) == Some(record.owner),
        scores_it: false,
    };
    case_permit(action, case_state(record.state), &subject).map_err(|denial| match denial {
        Denial::Hidden => ApiError::NotFound("Document"),
        Denial::CaseState(_) => ApiError::ConflictSaid(Message::new(MessageCode::DocumentBankVersionUsed)),
        other => ApiError::from(other),
    })
}

fn invalid(base: &str, problems: Vec<Problem>) -> ApiError {
    ApiError::Invalid(
        problems
            .into_iter()
            .map(|problem| FieldError::of_problem(format!("{base}{}", problem.pointer), problem))
            .collect(),
    )
}

/// A document checked by the loader of its kind, and what the bank keeps.
fn checked(
    catalogue: &Catalogue,
    kind: ExamDocumentKind,
    value: &serde_json::Value,
) -> Result<DraftText, ApiError> {
    let text = value.to_string();
    let (document_id, version, title, content) = match kind {
        ExamDocumentKind::Scheme => {
            let scheme =
                GradingScheme::from_json(&text).map_err(|problems| invalid("/document", problems))?;
            let content = pretty(&scheme);
            (scheme.id, scheme.version, scheme.title.fr, content)
        }
        ExamDocumentKind::Blueprint => {
            let blueprint =
                Blueprint::from_json(&text, catalogue).map_err(|problems| invalid("/document", problems))?;
            let content = pretty(&blueprint);
            (blueprint.id, blueprint.version, blueprint.title.fr, content)
        }
        ExamDocumentKind::Rubric => {
            let rubric =
                Rubric::from_json(&text, catalogue).map_err(|problems| invalid("/document", problems))?;
            let content = pretty(&rubric);
            (rubric.id, rubric.version, rubric.title.fr, content)
        }
    };
    Ok(DraftText { kind: kind.store(), document_id, version, content, title })
}

fn pretty(document: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// Only the title of a stored document (every kind has one, a localized
/// text), read without the rest.
#[derive(Deserialize)]
struct StoredTitle {
    title: LocalizedText,
}

/// The localized title of a stored document; its stored French title alone
/// if the content cannot be read (the bank checked it when it was saved).
fn titles(record: &DraftRecord) -> LocalizedText {
    serde_json::from_str::<StoredTitle>(&record.content)
        .map(|stored| stored.title)
        .unwrap_or_else(|_| LocalizedText::fr(record.title.clone()))
}

fn summary(record: &DraftRecord) -> Option<BankDocumentSummary> {
    Some(BankDocumentSummary {
        titles: titles(record),
        id: record.id,
        kind: ExamDocumentKind::of(record.kind)?,
        document_id: record.document_id.clone(),
        version: record.version.clone(),
        title: record.title.clone(),
        state: DocumentStateName::of(record.state),
        row_version: record.row_version,
        updated_at: record.updated_at.clone(),
    })
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(filter): ApiQuery<DocumentFilter>,
) -> Result<Json<Vec<BankDocumentSummary>>, ApiError> {
    let user = staff.current.user;
    let records = state.db(|store| store.drafts()).await?;
    Ok(Json(
        records
            .iter()
            .filter(|record| permit(CaseAction::Read, &user, record).is_ok())
            .filter_map(summary)
            .filter(|summary| filter.kind.is_none_or(|kind| summary.kind == kind))
            .collect(),
    ))
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<NewBankDocument>,
) -> Result<Created<BankDocumentDetail>, ApiError> {
    let user = staff.current.user;
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    let text = checked(state.catalogue(), request.kind, &request.document)?;
    let actor = Actor::user(&user);
    let record = state.db(move |store| store.create_draft(&actor, owner, &text)).await.map_err(taken)?;
    Ok(Created(detail(&state, &user, record).await?))
}

fn taken(error: ApiError) -> ApiError {
    match error {
        ApiError::CodedConflict { code: "conflict.exists", .. } => {
            ApiError::ConflictSaid(Message::new(MessageCode::DocumentBankVersionTaken))
        }
        other => other,
    }
}

async fn record_for(state: &AppState, user: &User, id: i64) -> Result<DraftRecord, ApiError> {
    let record = state.db(move |store| store.draft(id)).await?.ok_or(ApiError::NotFound("Document"))?;
    permit(CaseAction::Read, user, &record)?;
    Ok(record)
}

async fn detail(state: &AppState, user: &User, record: DraftRecord) -> Result<BankDocumentDetail, ApiError> {
    let document: serde_json::Value = serde_json::from_str(&record.content)
        .map_err(|error| ApiError::internal(format!("stored document: {error}")))?;
    let all = state.db(|store| store.drafts()).await?;
    let versions = all
        .iter()
        .filter(|other| {
            other.owner == record.owner
                && other.kind == record.kind
                && other.document_id == record.document_id
        })
        .map(|other| DocumentVersionView {
            id: other.id,
            version: other.version.clone(),
            state: DocumentStateName::of(other.state),
        })
        .collect();
    let bank_rubrics: Vec<Rubric> = all
        .iter()
        .filter(|other| other.owner == record.owner && other.kind == DocumentKind::Rubric)
        .filter_map(|other| Rubric::from_json(&other.content, state.catalogue()).ok())
        .collect();
    let scheme = shipped(state.catalogue())?.scheme;
    let preview = preview(state.catalogue(), record.kind, &record.content, &bank_rubrics, &scheme)?;
    Ok(BankDocumentDetail {
        summary: summary(&record).ok_or_else(|| ApiError::internal("not an exam document"))?,
        editable: permit(CaseAction::Edit, user, &record).is_ok(),
        document,
        versions,
        preview,
    })
}

fn shipped(catalogue: &Catalogue) -> Result<grille_scoring::embedded::ExamDocuments, ApiError> {
    grille_scoring::embedded::federal_exam(catalogue)
        .map_err(|failures| ApiError::internal(format!("embedded documents: {failures:?}")))
}

fn grade_rows(max: Decimal, scheme: &GradingScheme) -> Vec<GradeRow> {
    let display = grille_scoring::decimal::display;
    // Whole points up to the maximum (at most 60 lines; a larger maximum is
    // shown every few points).
    let whole = max.trunc();
    let step = if whole > Decimal::from(60) { (whole / Decimal::from(60)).ceil() } else { Decimal::ONE };
    let mut rows = Vec::new();
    let mut points = Decimal::ZERO;
    while points <= max {
        if let Ok(grade) = grille_scoring::points_to_grade(points, max, scheme) {
            rows.push(GradeRow {
                points: display(points),
                unrounded: display(grade.unrounded.round_dp(3)),
                grade: grille_scoring::decimal::display_grade(grade.grade),
            });
        }
        points += step;
    }
    rows
}

fn category_name(category: grille_competence::Category) -> String {
    serde_json::to_value(category)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// What a document gives: its points → grade table (a rubric under
/// `scheme`), its coverage of the profile, its decisions on example grades.
/// `content` has passed its loader already (a stored or just checked
/// document).
fn preview(
    catalogue: &Catalogue,
    kind: DocumentKind,
    content: &str,
    bank_rubrics: &[Rubric],
    scheme: &GradingScheme,
) -> Result<DocumentPreview, ApiError> {
    let broken = |_| ApiError::internal(format!("a checked {kind:?} no longer loads"));
    let mut preview = DocumentPreview::default();
    match kind {
        DocumentKind::Rubric => {
            let rubric = Rubric::from_json(content, catalogue).map_err(broken)?;
            let max: Decimal = rubric
                .criteria
                .iter()
                .map(|criterion| criterion.max_points().saturating_mul(criterion.weight))
                .fold(Decimal::ZERO, Decimal::saturating_add);
            preview.max_points = Some(grille_scoring::decimal::display(max));
            preview.grades = grade_rows(max, scheme);
            preview.scheme = Some(format!("{} {}", scheme.id, scheme.version));
            let mut lines: Vec<CoverageLine> = Vec::new();
            for criterion in &rubric.criteria {
                let mut reached: Vec<(String, Option<String>)> =
                    criterion.competences.iter().map(|id| (id.clone(), None)).collect();
                for id in &criterion.catalogue_criteria {
                    if let Some((competence, found)) = catalogue.criterion(id) {
                        reached.push((competence.id.clone(), Some(category_name(found.category))));
                    }
                }
                for (competence, category) in reached {
                    let line = match lines.iter_mut().position(|line| line.competence == competence) {
                        Some(index) => &mut lines[index],
                        None => {
                            lines.push(CoverageLine { competence, by: Vec::new(), categories: Vec::new() });
                            lines.last_mut().ok_or_else(|| ApiError::internal("coverage"))?
                        }
                    };
                    if !line.by.contains(&criterion.id) {
                        line.by.push(criterion.id.clone());
                    }
                    if let Some(category) = category.filter(|c| !line.categories.contains(c)) {
                        line.categories.push(category);
                    }
                }
            }
            let order: Vec<&str> = catalogue.competences().map(|c| c.id.as_str()).collect();
            lines.sort_by_key(|line| order.iter().position(|id| *id == line.competence));
            preview.coverage = lines;
        }
        DocumentKind::Blueprint => {
            let blueprint = Blueprint::from_json(content, catalogue).map_err(broken)?;
            // The bank's rubrics (latest version per id), then the shipped ones.
            let mut rubrics: Vec<Rubric> = Vec::new();
            for rubric in bank_rubrics.iter().rev().chain(shipped(catalogue)?.rubrics.iter()) {
                if !rubrics.iter().any(|known| known.id == rubric.id) {
                    rubrics.push(rubric.clone());
                }
            }
            let report = grille_scoring::coverage::coverage(catalogue, &blueprint, &rubrics);
            preview.missing_rubrics = report.missing_rubrics.clone();
            preview.coverage = report
                .competences
                .into_iter()
                .map(|entry| CoverageLine {
                    by: entry.positions,
                    categories: entry
                        .categories
                        .into_iter()
                        .filter(|(_, positions)| !positions.is_empty())
                        .map(|(category, _)| category_name(category))
                        .collect(),
                    competence: entry.competence,
                })
                .collect();
        }
        DocumentKind::Scheme => {
            let scheme = GradingScheme::from_json(content).map_err(broken)?;
            preview.grades = grade_rows(Decimal::from(24), &scheme);
            let examples: [[&str; 3]; 6] = [
                ["4.0", "4.0", "4.0"],
                ["4.5", "3.5", "4.5"],
                ["5.0", "3.5", "3.5"],
                ["5.5", "2.5", "5.0"],
                ["3.9", "4.0", "4.2"],
                ["6.0", "3.0", "3.0"],
            ];
            for grades in examples {
                let parts: Vec<(&str, Decimal, Decimal)> = ["1", "2", "3"]
                    .into_iter()
                    .zip(grades)
                    .map(|(id, grade)| (id, grade.parse().unwrap_or_default(), Decimal::ONE))
                    .collect();
                let outcome = grille_scoring::simulate(&scheme, &parts);
                let unmet: Vec<_> =
                    outcome.conditions.into_iter().filter(|condition| !condition.satisfied).collect();
                preview.outcomes.push(OutcomeExample {
                    grades: grades.iter().map(|grade| (*grade).to_owned()).collect(),
                    overall: outcome.overall.map(grille_scoring::decimal::display_grade),
                    passed: outcome.passed,
                    unmet_messages: unmet
                        .iter()
                        .filter_map(|condition| condition.explanation_message.clone())
                        .collect(),
                    unmet: unmet.into_iter().map(|condition| condition.explanation).collect(),
                });
            }
        }
        DocumentKind::Catalogue | DocumentKind::Case => {}
    }
    Ok(preview)
}

/// A document being written, to preview.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Its kind.
    pub kind: ExamDocumentKind,
    /// The document as it stands in the editor.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub document: serde_json::Value,
    /// For a rubric: the bank row of the grading scheme to convert its
    /// points under (default: the shipped federal scheme).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<i64>,
}

/// The preview of a document being written: the same loader and checks
/// as a save (422 with every problem at its pointer), then the same
/// preview as a saved document's page. Nothing is written.
async fn live_preview(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<PreviewRequest>,
) -> Result<Json<DocumentPreview>, ApiError> {
    let user = staff.current.user;
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    let text = checked(state.catalogue(), request.kind, &request.document)?;
    let scheme = match request.scheme {
        None => shipped(state.catalogue())?.scheme,
        Some(row) => {
            let found = record_for(&state, &user, row).await.map_err(|_| {
                ApiError::Invalid(vec![FieldError::said_at(
                    "/scheme",
                    Message::new(MessageCode::DocumentBankSchemeUnknown),
                )])
            })?;
            if found.kind != DocumentKind::Scheme {
                return Err(ApiError::Invalid(vec![FieldError::said_at(
                    "/scheme",
                    Message::new(MessageCode::DocumentBankNotScheme),
                )]));
            }
            GradingScheme::from_json(&found.content)
                .map_err(|_| ApiError::internal(format!("stored scheme {row} no longer loads")))?
        }
    };
    let bank_rubrics: Vec<Rubric> = if text.kind == DocumentKind::Blueprint {
        let all = state.db(|store| store.drafts()).await?;
        all.iter()
            .filter(|other| other.owner == owner && other.kind == DocumentKind::Rubric)
            .filter_map(|other| Rubric::from_json(&other.content, state.catalogue()).ok())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(preview(state.catalogue(), text.kind, &text.content, &bank_rubrics, &scheme)?))
}

async fn one(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<DocumentPath>,
) -> Result<Tagged<BankDocumentDetail>, ApiError> {
    let user = staff.current.user;
    let record = record_for(&state, &user, path.document).await?;
    let version = record.row_version;
    Ok(Tagged { version, body: detail(&state, &user, record).await? })
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<DocumentPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiJson(request): ApiJson<DocumentUpdate>,
) -> Result<Tagged<BankDocumentDetail>, ApiError> {
    let user = staff.current.user;
    let record = record_for(&state, &user, path.document).await?;
    permit(CaseAction::Edit, &user, &record)?;
    let kind = ExamDocumentKind::of(record.kind).ok_or_else(|| ApiError::internal("not an exam document"))?;
    let text = checked(state.catalogue(), kind, &request.document)?;
    let actor = Actor::user(&user);
    let id = record.id;
    let updated =
        state.db(move |store| store.update_draft(&actor, id, expected, &text)).await.map_err(taken)?;
    let version = updated.row_version;
    Ok(Tagged { version, body: detail(&state, &user, updated).await? })
}

async fn change_state(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<DocumentPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiJson(request): ApiJson<DocumentStateRequest>,
) -> Result<Tagged<BankDocumentDetail>, ApiError> {
    let user = staff.current.user;
    let record = record_for(&state, &user, path.document).await?;
    if request.state == DocumentStateName::Used {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/state",
            Message::new(MessageCode::DocumentBankUsedByHand),
        )]));
    }
    permit(CaseAction::ChangeReadiness, &user, &record)?;
    let actor = Actor::user(&user);
    let id = record.id;
    let target = request.state.store();
    let changed = state.db(move |store| store.set_draft_state(&actor, id, expected, target)).await?;
    let version = changed.row_version;
    Ok(Tagged { version, body: detail(&state, &user, changed).await? })
}

/// The next free version label after `current` among `taken`.
fn next_version(current: &str, taken: &[String]) -> String {
    if let Ok(number) = current.parse::<u64>() {
        let highest = taken.iter().filter_map(|version| version.parse::<u64>().ok()).max().unwrap_or(number);
        return (highest.max(number) + 1).to_string();
    }
    (2..).map(|n| format!("{current}-{n}")).find(|candidate| !taken.contains(candidate)).unwrap_or_default()
}

/// `document` with its `version` member set to `version`.
fn with_version(mut document: serde_json::Value, version: &str) -> serde_json::Value {
    if let Some(object) = document.as_object_mut() {
        object.insert("version".to_owned(), serde_json::Value::String(version.to_owned()));
    }
    document
}

async fn duplicate(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<DocumentPath>,
    ApiJson(request): ApiJson<DocumentCopyRequest>,
) -> Result<Created<BankDocumentDetail>, ApiError> {
    let user = staff.current.user;
    let record = record_for(&state, &user, path.document).await?;
    permit(CaseAction::Duplicate, &user, &record)?;
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    let all = state.db(|store| store.drafts()).await?;
    let versions: Vec<String> = all
        .iter()
        .filter(|other| {
            other.owner == owner && other.kind == record.kind && other.document_id == record.document_id
        })
        .map(|other| other.version.clone())
        .collect();
    let version = match request.version.map(|version| version.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(version) => version,
        None => next_version(&record.version, &versions),
    };
    let document: serde_json::Value = serde_json::from_str(&record.content)
        .map_err(|error| ApiError::internal(format!("stored document: {error}")))?;
    let kind = ExamDocumentKind::of(record.kind).ok_or_else(|| ApiError::internal("not an exam document"))?;
    let text = checked(state.catalogue(), kind, &with_version(document, &version))?;
    let actor = Actor::user(&user);
    let created = state.db(move |store| store.create_draft(&actor, owner, &text)).await.map_err(taken)?;
    Ok(Created(detail(&state, &user, created).await?))
}

async fn diff(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<DocumentPath>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Json<Vec<Change>>, ApiError> {
    let user = staff.current.user;
    let record = record_for(&state, &user, path.document).await?;
    let other = record_for(&state, &user, query.with).await?;
    let parse = |record: &DraftRecord| -> Result<serde_json::Value, ApiError> {
        serde_json::from_str(&record.content)
            .map_err(|error| ApiError::internal(format!("stored document: {error}")))
    };
    Ok(Json(json_diff(&parse(&other)?, &parse(&record)?)))
}

/// The documents copied for next year's exam.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct NextYearResult {
    /// The new drafts, scheme and blueprint first.
    pub created: Vec<BankDocumentSummary>,
}

async fn next_year(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<NextYearRequest>,
) -> Result<Created<NextYearResult>, ApiError> {
    let user = staff.current.user;
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    let version = request.version.trim().to_owned();
    if version.is_empty() || version.chars().count() > 40 {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/version",
            Message::new(MessageCode::DocumentBankVersionForm),
        )]));
    }
    let catalogue = state.catalogue();
    let (scheme, blueprint, rubrics) = match request.from_session {
        None => {
            let exam = shipped(catalogue)?;
            (exam.scheme, exam.blueprint, exam.rubrics)
        }
        Some(id) => {
            let session = crate::scope::session_for(&state, &user, id, grille_workflow::Action::ViewSession)
                .await
                .map_err(|error| match error {
                    ApiError::NotFound(_) => ApiError::Invalid(vec![FieldError::said_at(
                        "/from_session",
                        Message::new(MessageCode::DocumentBankSessionUnknown),
                    )]),
                    other => other,
                })?;
            let exam = crate::exam::pinned_exam(&state, &session)?;
            (exam.scheme.clone(), exam.blueprint.clone(), exam.rubrics.clone())
        }
    };
    let mut texts = Vec::new();
    texts.push(checked(catalogue, ExamDocumentKind::Scheme, &with_version(to_value(&scheme)?, &version))?);
    texts.push(checked(
        catalogue,
        ExamDocumentKind::Blueprint,
        &with_version(to_value(&blueprint)?, &version),
    )?);
    for rubric in &rubrics {
        texts.push(checked(catalogue, ExamDocumentKind::Rubric, &with_version(to_value(rubric)?, &version))?);
    }
    let actor = Actor::user(&user);
    let created = state.db(move |store| store.create_drafts(&actor, owner, &texts)).await.map_err(
        |error| match error {
            ApiError::CodedConflict { code: "conflict.exists", .. } => ApiError::ConflictSaid(
                Message::new(MessageCode::DocumentBankVersionsTaken).with("version", &version),
            ),
            other => other,
        },
    )?;
    Ok(Created(NextYearResult { created: created.iter().filter_map(summary).collect() }))
}

fn to_value(document: &impl Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(document).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_count_up_or_suffix_the_label() {
        assert_eq!(next_version("1.0", &["1.0".into()]), "1.0-2");
        assert_eq!(next_version("2026", &["2026".into(), "2027".into()]), "2028");
    }
}
