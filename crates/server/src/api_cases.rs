//! The case bank: case studies written, reviewed, exchanged and released
//! by the board (and by each school for its mock exams), their
//! attachments, and which case each candidate of a session sits.
//!
//! Every route asks grille-workflow ([`case_permit`]) about the case it
//! touches; a case outside the caller's reach is answered 404 exactly like
//! a case that does not exist, so that confidential cases cannot be
//! counted. The text of a case goes through the same loader as a case file
//! (`CaseStudy::from_json`: schema, then meaning, with JSON pointers).

use std::collections::BTreeSet;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use base64ct::{Base64, Encoding as _};
use grille_competence::{Catalogue, Category, Problem};
use grille_scoring::case::{MAX_ATTACHMENT_BYTES, sniff_media_type};
use grille_scoring::{Attachment, CaseStudy, Message, MessageCode};
use grille_store::{Actor, CaseOwner, CaseRecord, CaseState, CaseText, Role, StoreError, User};
use grille_workflow::{CaseAction, CaseSubject, Denial, case_permit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::{CurrentUser, Staff};
use crate::error::{ApiError, FieldError};
use crate::exam;
use crate::extract::RequiredIfMatch;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::reply::{Created, JsonFile, StoredFile, Tagged};

/// The largest exported case with its attachments that an import takes.
const IMPORT_LIMIT: usize = 64 * 1024 * 1024;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "études de cas";
    ApiRouter::new()
        .api_route(
            "/api/cases",
            get_with(list, |op| {
                op.tag(tag).summary(
                    "La banque de cas : les cas que l'on peut lire, filtrés (compétence, catégorie, point d'appréciation, langue, état, année, texte)",
                )
            })
            .post_with(create, |op| op.tag(tag).summary("Écrire un nouveau cas (brouillon) dans sa banque")),
        )
        .api_route(
            "/api/cases/coverage",
            get_with(coverage, |op| {
                op.tag(tag).summary(
                    "Couverture du profil par les cas filtrés : compétences × catégories, et ce qu'aucun cas n'évalue",
                )
            }),
        )
        .api_route(
            "/api/cases/import",
            post_with(import, |op| op.tag(tag).summary("Importer un cas exporté (avec ses annexes) comme brouillon"))
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .api_route(
            "/api/cases/{case}",
            get_with(one, |op| {
                op.tag(tag).summary("Un cas : texte, notes pour les expert·e·s (si permis), utilisations")
            })
            .put_with(update, |op| {
                op.tag(tag).summary("Modifier un cas en brouillon ou prêt (If-Match : version de la fiche)")
            }),
        )
        .api_route(
            "/api/cases/{case}/state",
            post_with(change_state, |op| {
                op.tag(tag).summary("Changer l'état d'un cas : brouillon ↔ prêt, utilisé → publié (If-Match)")
            }),
        )
        .api_route(
            "/api/cases/{case}/duplicate",
            post_with(duplicate, |op| {
                op.tag(tag).summary("Copier un cas comme nouveau brouillon (nouvelle version) dans sa banque")
            }),
        )
        .api_route(
            "/api/cases/{case}/diff",
            get_with(diff, |op| op.tag(tag).summary("Les différences entre deux versions d'un cas (pointeurs JSON)")),
        )
        .api_route(
            "/api/cases/{case}/export",
            get_with(export, |op| op.tag(tag).summary("Exporter un cas avec ses annexes, en un fichier JSON")),
        )
        .api_route(
            "/api/cases/{case}/attachments",
            post_with(attach, |op| {
                op.tag(tag).summary(
                    "Joindre un fichier à un cas (PDF, PNG, JPEG, 10 Mio au plus ; type reconnu au contenu ; If-Match)",
                )
            })
            .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES as usize + 1)),
        )
        .api_route(
            "/api/cases/{case}/attachments/{sha256}",
            get_with(attachment, |op| op.tag(tag).summary("Le fichier joint d'un cas"))
                .delete_with(detach, |op| op.tag(tag).summary("Retirer un fichier d'un cas (If-Match)")),
        )
}

/// A case of a bank in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct CasePath {
    /// The case's row id in its bank.
    case: i64,
}

/// An attachment of a case in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct AttachmentPath {
    /// The case's row id in its bank.
    case: i64,
    /// The SHA-256 of the file, lowercase hex.
    sha256: String,
}

/// A session in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    pub(crate) id: i64,
}

/// A candidate's position in a session, in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SittingPath {
    /// The session id.
    pub(crate) id: i64,
    /// The candidate number.
    pub(crate) number: String,
    /// The blueprint position id.
    pub(crate) position: String,
}

/// An attachment of a candidate's case, in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SittingAttachmentPath {
    /// The session id.
    pub(crate) id: i64,
    /// The candidate number.
    pub(crate) number: String,
    /// The blueprint position id.
    pub(crate) position: String,
    /// The SHA-256 of the file.
    pub(crate) sha256: String,
}

/// Filters of the case bank; every one given must hold.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseFilter {
    /// A competence the case assesses, e.g. `A7`.
    #[serde(default)]
    pub competence: Option<String>,
    /// A criterion category the case reaches.
    #[serde(default)]
    pub category: Option<CategoryName>,
    /// A blueprint position the case can serve, e.g. `2.1`.
    #[serde(default)]
    pub position: Option<String>,
    /// The case's language.
    #[serde(default)]
    pub language: Option<grille_scoring::CaseLanguage>,
    /// The case's state in its bank.
    #[serde(default)]
    pub state: Option<CaseStateName>,
    /// The exam year.
    #[serde(default)]
    pub year: Option<u16>,
    /// Words that must all appear in the case (title, situation, tasks,
    /// notes), without regard to case or accents.
    #[serde(default)]
    pub q: Option<String>,
}

/// A criterion category, as named in filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CategoryName {
    /// Performance criteria.
    Performance,
    /// Knowledge.
    Knowledge,
    /// Attitudes.
    Attitudes,
    /// Metacognition.
    Metacognition,
}

impl CategoryName {
    fn of(category: Category) -> CategoryName {
        match category {
            Category::Performance => CategoryName::Performance,
            Category::Knowledge => CategoryName::Knowledge,
            Category::Attitudes => CategoryName::Attitudes,
            Category::Metacognition => CategoryName::Metacognition,
        }
    }
}

/// A case's state, as sent and named in filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaseStateName {
    /// Being written.
    Draft,
    /// Reviewed; may be assigned.
    Ready,
    /// Pinned by a session: immutable.
    Used,
    /// Released after the exam.
    Released,
}

impl CaseStateName {
    /// The workflow's state.
    pub fn state(self) -> CaseState {
        match self {
            CaseStateName::Draft => CaseState::Draft,
            CaseStateName::Ready => CaseState::Ready,
            CaseStateName::Used => CaseState::Used,
            CaseStateName::Released => CaseState::Released,
        }
    }

    /// The name of a workflow state.
    pub fn of(state: CaseState) -> CaseStateName {
        match state {
            CaseState::Draft => CaseStateName::Draft,
            CaseState::Ready => CaseStateName::Ready,
            CaseState::Used => CaseStateName::Used,
            CaseState::Released => CaseStateName::Released,
        }
    }
}

/// Whose bank a case is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BankName {
    /// The exam board's bank.
    Board,
    /// A school's bank.
    School {
        /// The school id.
        school_id: i64,
    },
}

impl BankName {
    fn of(owner: CaseOwner) -> BankName {
        match owner {
            CaseOwner::Board => BankName::Board,
            CaseOwner::School(school_id) => BankName::School { school_id },
        }
    }
}

/// One case version of a bank, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseSummary {
    /// The row id: the bank's handle on this version.
    pub id: i64,
    /// The case's own id.
    pub case_id: String,
    /// The version.
    pub version: String,
    /// The title.
    pub title: String,
    /// The language.
    pub language: grille_scoring::CaseLanguage,
    /// The exam year, if given.
    pub year: Option<u16>,
    /// The state.
    pub state: CaseStateName,
    /// Whose bank.
    pub bank: BankName,
    /// Whether it is in the caller's own bank (the board's for the board,
    /// their school's for a trainer).
    pub own: bool,
    /// The blueprint positions it can serve.
    pub positions: Vec<String>,
    /// The competences it assesses (named, or through its criteria), in
    /// catalogue order.
    pub competences: Vec<String>,
    /// The criterion categories it reaches.
    pub categories: Vec<CategoryName>,
    /// How many attachments.
    pub attachments: usize,
    /// The version of the bank row, for `If-Match`.
    pub row_version: i64,
    /// When last changed (RFC 3339).
    pub updated_at: String,
}

/// One use of a case version by a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseUseView {
    /// The version used.
    pub version: String,
    /// The session.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// The exam date, if known.
    pub exam_date: Option<String>,
    /// How many candidates sat it there.
    pub candidates: i64,
}

/// A case with what the caller may see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseDetail {
    /// The listing line.
    pub summary: CaseSummary,
    /// The case document (without examiner notes unless
    /// `examiner_notes_shown`).
    pub case: CaseStudy,
    /// Whether the examiner notes are included.
    pub examiner_notes_shown: bool,
    /// What the caller may do with it now.
    pub allowed: AllowedCaseActions,
    /// Which sessions used the versions of this case (its bank's owner
    /// only), newest first: a board avoids reusing a case with a cohort.
    pub uses: Vec<CaseUseView>,
    /// Every version of this case id in the same bank, oldest first.
    pub versions: Vec<CaseVersionView>,
}

/// Another version of the same case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseVersionView {
    /// Its row id.
    pub id: i64,
    /// Its version label.
    pub version: String,
    /// Its state.
    pub state: CaseStateName,
}

/// What the caller may do with a case now, as grille-workflow answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllowedCaseActions {
    /// Change its text.
    pub edit: bool,
    /// Draft ↔ ready.
    pub change_readiness: bool,
    /// Assign it to candidates.
    pub assign: bool,
    /// Release it.
    pub release: bool,
    /// Copy it as a new draft.
    pub duplicate: bool,
    /// Export it.
    pub export: bool,
}

/// A state to move a case to.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateRequest {
    /// `draft`, `ready` or `released`.
    pub state: CaseStateName,
}

/// How to copy a case.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRequest {
    /// The new version label (default: the next free number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A new case id, to make another case of it (default: the same id,
    /// a new version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// The exam year of the copy (default: the original's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
}

/// A file to attach, sent as the raw body with its name in the query.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttachQuery {
    /// The file name shown, e.g. `plan.pdf`.
    pub(crate) name: String,
}

/// An exported case: the document and its attachments, base64-encoded.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseBundle {
    /// Always `grille-case`.
    pub format: String,
    /// The bundle format's version: 1.
    pub format_version: u32,
    /// The case.
    pub case: CaseStudy,
    /// The bytes of every attachment the case names.
    pub files: Vec<BundleFile>,
}

/// One file of an exported case.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleFile {
    /// SHA-256 of the bytes, as the case names it.
    pub sha256: String,
    /// The bytes, base64 (standard alphabet, with padding).
    pub base64: String,
}

/// The case a candidate sits for a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SittingView {
    /// The candidate number.
    pub candidate: String,
    /// The blueprint position.
    pub position: String,
    /// The bank row of the version.
    pub case: i64,
    /// The case's own id.
    pub case_id: String,
    /// The version.
    pub version: String,
    /// The title.
    pub title: String,
    /// The examiners of the candidate's part who wrote or reviewed the
    /// case (its `authors`): they should not score this candidate.
    #[serde(default)]
    pub conflicts: Vec<String>,
}

/// Which case to give a candidate.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The bank row of the case version.
    #[schemars(range(min = 1))]
    pub case: i64,
}

/// A draw of cases for one position.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// The blueprint position.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,40}$"))]
    pub position: String,
    /// The case versions (bank rows) to draw from, at least one.
    #[schemars(length(min = 1))]
    pub cases: Vec<i64>,
    /// The seed: the same seed on the same session gives the same draw.
    pub seed: u64,
    /// Whether candidates who already have a case for the position get a
    /// new one too (default: no, they keep theirs).
    #[serde(default)]
    pub replace: bool,
}

/// What a draw did.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DrawResult {
    /// The assignments made, by candidate.
    pub assigned: Vec<SittingView>,
    /// Candidates who kept the case they had.
    pub kept: Vec<String>,
    /// How many candidates each case got, by bank row.
    pub counts: Vec<(i64, usize)>,
    /// Candidates who had sat every case of the draw before (they got the
    /// one they sat longest ago, and the board should check).
    pub repeated: Vec<String>,
    /// Candidates for whom every case of the draw was written by one of
    /// their examiners of the position (the board should reassign an
    /// examiner or add a case).
    #[serde(default)]
    pub conflicted: Vec<String>,
}

/// The case bank the user writes into: the board's or their school's.
fn own_bank(user: &User) -> Option<CaseOwner> {
    match user.role {
        Role::Admin => Some(CaseOwner::Board),
        Role::Trainer => user.school_id.map(CaseOwner::School),
        _ => None,
    }
}

pub(crate) fn subject(user: &User, record: &CaseRecord) -> CaseSubject {
    CaseSubject {
        role: exam::flow_role(user.role),
        own_bank: own_bank(user) == Some(record.owner),
        scores_it: false,
    }
}

/// grille-workflow's answer, with a hidden case answered as a missing one.
pub(crate) fn permit(action: CaseAction, record: &CaseRecord, subject: &CaseSubject) -> Result<(), ApiError> {
    case_permit(action, record.state, subject).map_err(|denial| match denial {
        Denial::Hidden => ApiError::NotFound("Étude de cas"),
        other => ApiError::from(other),
    })
}

fn allowed(record: &CaseRecord, subject: &CaseSubject) -> AllowedCaseActions {
    let may = |action| case_permit(action, record.state, subject).is_ok();
    AllowedCaseActions {
        edit: may(CaseAction::Edit),
        change_readiness: may(CaseAction::ChangeReadiness),
        assign: may(CaseAction::Assign),
        release: may(CaseAction::Release),
        duplicate: may(CaseAction::Duplicate),
        export: may(CaseAction::Export),
    }
}

fn invalid(problems: Vec<Problem>) -> ApiError {
    ApiError::Invalid(
        problems
            .into_iter()
            .map(|problem| FieldError::of_problem(problem.pointer.clone(), problem))
            .collect(),
    )
}

/// The stored text of a checked case: its canonical JSON.
fn canonical(case: &CaseStudy) -> String {
    let mut text = serde_json::to_string_pretty(case).unwrap_or_default();
    text.push('\n');
    text
}

/// A case checked as a file would be (schema, then meaning), from its
/// JSON value as the client sent it.
fn checked(catalogue: &Catalogue, value: &serde_json::Value) -> Result<CaseStudy, ApiError> {
    CaseStudy::from_json(&value.to_string(), catalogue).map_err(invalid)
}

/// What the bank stores and indexes of a checked case.
pub(crate) fn case_text(catalogue: &Catalogue, case: &CaseStudy) -> CaseText {
    let mut search = vec![case.id.clone(), case.title.clone(), case.situation.clone()];
    for task in &case.tasks {
        search.push(task.prompt.clone());
        search.extend(task.examiner_notes.iter().cloned());
    }
    search.extend(case.competences.iter().cloned());
    for criterion in &case.criteria {
        if let Some((_, found)) = catalogue.criterion(criterion) {
            search.push(found.text.fr.clone());
        }
    }
    CaseText {
        case_id: case.id.clone(),
        version: case.version.clone(),
        content: canonical(case),
        title: case.title.clone(),
        language: case.language.code().to_owned(),
        year: case.year,
        search_text: grille_competence::search::fold(&search.join("\n")),
    }
}

/// A stored case document; the store only keeps cases that passed the
/// loader, so a failure here is an internal error.
pub(crate) fn document_of(catalogue: &Catalogue, record: &CaseRecord) -> Result<CaseStudy, ApiError> {
    CaseStudy::from_json(&record.content, catalogue)
        .map_err(|problems| ApiError::internal(format!("stored case {} is invalid: {problems:?}", record.id)))
}

fn summary_of(catalogue: &Catalogue, record: &CaseRecord, case: &CaseStudy, own: bool) -> CaseSummary {
    let mut competences: BTreeSet<String> = case.competences.iter().cloned().collect();
    let mut categories = BTreeSet::new();
    for criterion in &case.criteria {
        if let Some((competence, found)) = catalogue.criterion(criterion) {
            competences.insert(competence.id.clone());
            categories.insert(found.category);
        }
    }
    let order: Vec<String> = catalogue
        .competences()
        .map(|competence| competence.id.clone())
        .filter(|id| competences.contains(id))
        .collect();
    CaseSummary {
        id: record.id,
        case_id: record.case_id.clone(),
        version: record.version.clone(),
        title: record.title.clone(),
        language: case.language,
        year: record.year,
        state: CaseStateName::of(record.state),
        bank: BankName::of(record.owner),
        own,
        positions: case.positions.clone(),
        competences: order,
        categories: Category::ALL
            .into_iter()
            .filter(|c| categories.contains(c))
            .map(CategoryName::of)
            .collect(),
        attachments: case.attachments.len(),
        row_version: record.row_version,
        updated_at: record.updated_at.clone(),
    }
}

fn matches(filter: &CaseFilter, summary: &CaseSummary, found: Option<&BTreeSet<i64>>) -> bool {
    filter
        .competence
        .as_ref()
        .is_none_or(|wanted| summary.competences.iter().any(|c| c.eq_ignore_ascii_case(wanted)))
        && filter.category.is_none_or(|wanted| summary.categories.contains(&wanted))
        && filter.position.as_ref().is_none_or(|wanted| summary.positions.contains(wanted))
        && filter.language.is_none_or(|wanted| summary.language == wanted)
        && filter.state.is_none_or(|wanted| summary.state == wanted)
        && filter.year.is_none_or(|wanted| summary.year == Some(wanted))
        && found.is_none_or(|found| found.contains(&summary.id))
}

/// Every case the user may read that `filter` selects, with its document.
async fn visible(
    state: &AppState,
    user: &User,
    filter: &CaseFilter,
) -> Result<Vec<(CaseSummary, CaseStudy)>, ApiError> {
    let words: Vec<String> = filter
        .q
        .as_deref()
        .map(|q| grille_competence::search::fold(q).split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let searched = words.clone();
    let (records, found) = state
        .db(move |store| {
            let found = if words.is_empty() { None } else { Some(store.search_cases(&words)?) };
            Ok((store.cases()?, found))
        })
        .await?;
    let found: Option<BTreeSet<i64>> = found.map(|ids| ids.into_iter().collect());
    let catalogue = state.catalogue();
    let mut cases = Vec::new();
    for record in records {
        let subject = subject(user, &record);
        if permit(CaseAction::Read, &record, &subject).is_err() {
            continue;
        }
        let case = document_of(catalogue, &record)?;
        // The search text holds the examiner notes: who may not read them
        // must not find a case by a word of them.
        if !searched.is_empty() && permit(CaseAction::ReadExaminerNotes, &record, &subject).is_err() {
            let text = case_text(catalogue, &case.for_candidates()).search_text;
            if !searched.iter().all(|word| text.contains(word.as_str())) {
                continue;
            }
        }
        let summary = summary_of(catalogue, &record, &case, subject.own_bank);
        if matches(filter, &summary, found.as_ref()) {
            cases.push((summary, case));
        }
    }
    Ok(cases)
}

async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<CaseFilter>,
) -> Result<Json<Vec<CaseSummary>>, ApiError> {
    let cases = visible(&state, &current.user, &filter).await?;
    Ok(Json(cases.into_iter().map(|(summary, _)| summary).collect()))
}

/// The coverage of the catalogue by a set of cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseCoverageView {
    /// How many cases were counted.
    pub cases: usize,
    /// One row per competence, in catalogue order.
    pub competences: Vec<CaseCoverageRow>,
}

/// How the cases assess one competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseCoverageRow {
    /// The competence id.
    pub competence: String,
    /// Case ids that assess it in any way.
    pub cases: Vec<String>,
    /// Per category (performance, knowledge, attitudes, metacognition):
    /// the case ids that name one of its criteria of that category.
    pub categories: Vec<(CategoryName, Vec<String>)>,
    /// Whether no case assesses it at all.
    pub unassessed: bool,
}

async fn coverage(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<CaseFilter>,
) -> Result<Json<CaseCoverageView>, ApiError> {
    let cases = visible(&state, &current.user, &filter).await?;
    let documents: Vec<&CaseStudy> = cases.iter().map(|(_, case)| case).collect();
    let report = grille_scoring::coverage::case_coverage(state.catalogue(), &documents);
    Ok(Json(CaseCoverageView {
        cases: documents.len(),
        competences: report
            .competences
            .into_iter()
            .map(|entry| CaseCoverageRow {
                unassessed: entry.positions.is_empty(),
                competence: entry.competence,
                cases: entry.positions,
                categories: entry
                    .categories
                    .into_iter()
                    .map(|(category, cases)| (CategoryName::of(category), cases))
                    .collect(),
            })
            .collect(),
    }))
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(fields): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Created<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    case_permit(
        CaseAction::Create,
        CaseState::Draft,
        &CaseSubject { role: exam::flow_role(user.role), ..CaseSubject::default() },
    )?;
    let value = serde_json::Value::Object(fields);
    let case = checked(state.catalogue(), &value)?;
    // A new case names only files already stored (by an import, or joined
    // to another case): its own are joined once it exists.
    let hashes: Vec<String> = case.attachments.iter().map(|attachment| attachment.sha256.clone()).collect();
    let stored = state
        .db(move |store| {
            hashes.iter().map(|hash| store.attachment(hash)).collect::<Result<Vec<_>, StoreError>>()
        })
        .await?;
    let unknown: Vec<FieldError> = case
        .attachments
        .iter()
        .zip(&stored)
        .enumerate()
        .filter(|(_, (attachment, file))| {
            file.as_ref().is_none_or(|file| {
                file.media_type != attachment.media_type || file.bytes.len() as u64 != attachment.size
            })
        })
        .map(|(index, _)| {
            FieldError::said_at(
                format!("/attachments/{index}"),
                Message::new(MessageCode::CaseBankAttachmentNotStored),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Invalid(unknown));
    }
    let text = case_text(state.catalogue(), &case);
    let actor = Actor::user(&user);
    let record =
        state.db(move |store| store.create_case(&actor, owner, &text)).await.map_err(already_there)?;
    Ok(Created(detail(&state, &user, record).await?))
}

fn already_there(error: ApiError) -> ApiError {
    match error {
        ApiError::CodedConflict { code: "conflict.exists", .. } => {
            ApiError::ConflictSaid(Message::new(MessageCode::CaseBankVersionTaken))
        }
        other => other,
    }
}

/// The case row `id`, as the user may see it: 404 when it does not exist
/// for them.
async fn record_for(state: &AppState, user: &User, id: i64) -> Result<(CaseRecord, CaseSubject), ApiError> {
    let record = state.db(move |store| store.case(id)).await?.ok_or(ApiError::NotFound("Étude de cas"))?;
    let subject = subject(user, &record);
    permit(CaseAction::Read, &record, &subject)?;
    Ok((record, subject))
}

async fn detail(state: &AppState, user: &User, record: CaseRecord) -> Result<CaseDetail, ApiError> {
    let subject = subject(user, &record);
    let catalogue = state.catalogue();
    let case = document_of(catalogue, &record)?;
    let notes = permit(CaseAction::ReadExaminerNotes, &record, &subject).is_ok();
    let owner = record.owner;
    let case_id = record.case_id.clone();
    let own = subject.own_bank;
    let (uses, versions) = state
        .db(move |store| {
            let uses = if own { store.case_uses(owner, &case_id)? } else { Vec::new() };
            let versions: Vec<CaseRecord> = store
                .cases()?
                .into_iter()
                .filter(|other| other.owner == owner && other.case_id == case_id)
                .collect();
            Ok((uses, versions))
        })
        .await?;
    Ok(CaseDetail {
        summary: summary_of(catalogue, &record, &case, subject.own_bank),
        case: if notes { case } else { case.for_candidates() },
        examiner_notes_shown: notes,
        allowed: allowed(&record, &subject),
        uses: uses
            .into_iter()
            .map(|found| CaseUseView {
                version: found.version,
                session_id: found.session_id,
                session_name: found.session_name,
                exam_date: found.exam_date,
                candidates: found.candidates,
            })
            .collect(),
        versions: versions
            .into_iter()
            .filter(|other| permit(CaseAction::Read, other, &subject).is_ok())
            .map(|other| CaseVersionView {
                id: other.id,
                version: other.version,
                state: CaseStateName::of(other.state),
            })
            .collect(),
    })
}

async fn one(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<CasePath>,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let (record, _) = record_for(&state, &current.user, path.case).await?;
    let version = record.row_version;
    Ok(Tagged { version, body: detail(&state, &current.user, record).await? })
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CasePath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiJson(fields): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let (record, subject) = record_for(&state, &user, path.case).await?;
    permit(CaseAction::Edit, &record, &subject)?;
    let value = serde_json::Value::Object(fields);
    let case = checked(state.catalogue(), &value)?;
    // Attachments are added and removed through their own routes: an edit
    // may keep or drop them, never name a file that is not stored.
    let stored = document_of(state.catalogue(), &record)?;
    let unknown: Vec<FieldError> = case
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, attachment)| !stored.attachments.contains(attachment))
        .map(|(index, _)| {
            FieldError::said_at(
                format!("/attachments/{index}"),
                Message::new(MessageCode::CaseBankAttachmentNotAttached),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Invalid(unknown));
    }
    let text = case_text(state.catalogue(), &case);
    let actor = Actor::user(&user);
    let id = record.id;
    let updated = state
        .db(move |store| store.update_case(&actor, id, expected, &text))
        .await
        .map_err(|error| locked_or(error, MessageCode::CaseBankVersionUsed))
        .map_err(already_there)?;
    let version = updated.row_version;
    Ok(Tagged { version, body: detail(&state, &user, updated).await? })
}

fn locked_or(error: ApiError, code: MessageCode) -> ApiError {
    match error {
        ApiError::CodedConflict { code: "conflict.locked", .. } => ApiError::ConflictSaid(Message::new(code)),
        other => other,
    }
}

async fn change_state(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CasePath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiJson(request): ApiJson<StateRequest>,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let (record, subject) = record_for(&state, &user, path.case).await?;
    let target = request.state.state();
    let action = match (record.state, target) {
        (CaseState::Draft, CaseState::Ready) | (CaseState::Ready, CaseState::Draft) => {
            CaseAction::ChangeReadiness
        }
        (CaseState::Used, CaseState::Released) => CaseAction::Release,
        _ => {
            return Err(ApiError::ConflictSaid(
                Message::new(MessageCode::CaseBankStateChange)
                    .with("from", record.state.as_str())
                    .with("to", target.as_str()),
            ));
        }
    };
    permit(action, &record, &subject)?;
    if action == CaseAction::Release && !released_sessions_are_published(&state, &record).await? {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::CaseBankReleaseUnpublished)));
    }
    let actor = Actor::user(&user);
    let id = record.id;
    let changed = state.db(move |store| store.set_case_state(&actor, id, expected, target)).await?;
    let version = changed.row_version;
    Ok(Tagged { version, body: detail(&state, &user, changed).await? })
}

/// Whether every session that used this case version is published.
async fn released_sessions_are_published(state: &AppState, record: &CaseRecord) -> Result<bool, ApiError> {
    let (owner, case_id, row) = (record.owner, record.case_id.clone(), record.id);
    state
        .db(move |store| {
            for found in store.case_uses(owner, &case_id)?.into_iter().filter(|found| found.case_row == row) {
                let session = store.exam_session(found.session_id)?;
                if session
                    .is_none_or(|session| session.workflow_state != grille_workflow::SessionState::Published)
                {
                    return Ok(false);
                }
            }
            Ok(true)
        })
        .await
}

async fn duplicate(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CasePath>,
    ApiJson(request): ApiJson<DuplicateRequest>,
) -> Result<Created<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let (record, subject) = record_for(&state, &user, path.case).await?;
    permit(CaseAction::Duplicate, &record, &subject)?;
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    let mut case = document_of(state.catalogue(), &record)?;
    if permit(CaseAction::ReadExaminerNotes, &record, &subject).is_err() {
        case = case.for_candidates();
    }
    if let Some(case_id) = request.case_id.filter(|id| !id.trim().is_empty()) {
        case.id = case_id.trim().to_owned();
    }
    if let Some(year) = request.year {
        case.year = Some(year);
    }
    let taken: Vec<String> = {
        let case_id = case.id.clone();
        state
            .db(move |store| {
                Ok(store
                    .cases()?
                    .into_iter()
                    .filter(|other| other.owner == owner && other.case_id == case_id)
                    .map(|other| other.version)
                    .collect())
            })
            .await?
    };
    case.version = match request.version.filter(|version| !version.trim().is_empty()) {
        Some(version) => version.trim().to_owned(),
        None => next_version(&case.version, &taken),
    };
    let checked = checked(state.catalogue(), &serde_json::to_value(&case).map_err(ApiError::internal)?)?;
    let text = case_text(state.catalogue(), &checked);
    let actor = Actor::user(&user);
    let created =
        state.db(move |store| store.create_case(&actor, owner, &text)).await.map_err(already_there)?;
    Ok(Created(detail(&state, &user, created).await?))
}

/// The next free version label after `current`: the next whole number when
/// versions are numbers, else `current-2`, `current-3`...
fn next_version(current: &str, taken: &[String]) -> String {
    let numbers: Vec<u64> = taken.iter().filter_map(|version| version.parse().ok()).collect();
    if let Ok(number) = current.parse::<u64>() {
        let highest = numbers.iter().copied().max().unwrap_or(number).max(number);
        return (highest + 1).to_string();
    }
    (2..).map(|n| format!("{current}-{n}")).find(|candidate| !taken.contains(candidate)).unwrap_or_default()
}

async fn export(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<CasePath>,
) -> Result<JsonFile<CaseBundle>, ApiError> {
    let (record, subject) = record_for(&state, &current.user, path.case).await?;
    permit(CaseAction::Export, &record, &subject)?;
    let mut case = document_of(state.catalogue(), &record)?;
    if permit(CaseAction::ReadExaminerNotes, &record, &subject).is_err() {
        case = case.for_candidates();
    }
    let hashes: Vec<String> = case.attachments.iter().map(|attachment| attachment.sha256.clone()).collect();
    let stored = state
        .db(move |store| {
            hashes.iter().map(|hash| store.attachment(hash)).collect::<Result<Vec<_>, StoreError>>()
        })
        .await?;
    let mut files = Vec::new();
    for (attachment, file) in case.attachments.iter().zip(stored) {
        let file =
            file.ok_or_else(|| ApiError::internal(format!("attachment {} missing", attachment.sha256)))?;
        files.push(BundleFile {
            sha256: attachment.sha256.clone(),
            base64: Base64::encode_string(&file.bytes),
        });
    }
    let bundle = CaseBundle { format: "grille-case".to_owned(), format_version: 1, case, files };
    let name = format!("{}-v{}.grille-case.json", record.case_id, record.version);
    Ok(JsonFile { file_name: ascii_file_name(&name), body: bundle })
}

/// The other version a diff compares with.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseDiffQuery {
    /// The bank row of the other version.
    with: i64,
}

async fn diff(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<CasePath>,
    ApiQuery(query): ApiQuery<CaseDiffQuery>,
) -> Result<Json<Vec<grille_competence::document::Change>>, ApiError> {
    let user = current.user;
    let (record, subject) = record_for(&state, &user, path.case).await?;
    let (other, other_subject) = record_for(&state, &user, query.with).await?;
    // Each side as its reader may see it: no notes leak through a diff.
    let shown = |record: &CaseRecord, subject: &CaseSubject| -> Result<serde_json::Value, ApiError> {
        let case = document_of(state.catalogue(), record)?;
        let case = if permit(CaseAction::ReadExaminerNotes, record, subject).is_ok() {
            case
        } else {
            case.for_candidates()
        };
        serde_json::to_value(case).map_err(ApiError::internal)
    };
    Ok(Json(grille_competence::document::json_diff(
        &shown(&other, &other_subject)?,
        &shown(&record, &subject)?,
    )))
}

/// A file name safe in a `Content-Disposition` header.
pub(crate) fn ascii_file_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect()
}

async fn import(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(bundle): ApiJson<CaseBundle>,
) -> Result<Created<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let owner = own_bank(&user).ok_or(ApiError::Forbidden)?;
    let mut errors = Vec::new();
    if bundle.format != "grille-case" || bundle.format_version != 1 {
        errors.push(FieldError::said_at("/format", Message::new(MessageCode::CaseBankNotExport)));
    }
    let case =
        match checked(state.catalogue(), &serde_json::to_value(&bundle.case).map_err(ApiError::internal)?) {
            Ok(case) => Some(case),
            Err(ApiError::Invalid(found)) => {
                errors.extend(found.into_iter().map(|error| error.under("/case")));
                None
            }
            Err(other) => return Err(other),
        };
    let mut decoded: Vec<(String, &'static str, Vec<u8>)> = Vec::new();
    for (index, file) in bundle.files.iter().enumerate() {
        let at = |field: &str| format!("/files/{index}{field}");
        // Refuse before decoding what could never fit (base64 is 4/3 of the bytes).
        if file.base64.len() as u64 > MAX_ATTACHMENT_BYTES / 3 * 4 + 4 {
            errors.push(FieldError::said_at(at("/base64"), Message::new(MessageCode::CaseBankFileTooLarge)));
            continue;
        }
        let Ok(bytes) = Base64::decode_vec(&file.base64) else {
            errors.push(FieldError::said_at(
                at("/base64"),
                Message::new(MessageCode::CaseBankBase64Unreadable),
            ));
            continue;
        };
        if grille_store::sha256_bytes(&bytes) != file.sha256 {
            errors
                .push(FieldError::said_at(at("/sha256"), Message::new(MessageCode::CaseBankSha256Mismatch)));
            continue;
        }
        let Some(media_type) = sniff_media_type(&bytes) else {
            errors.push(FieldError::said_at(at("/base64"), Message::new(MessageCode::CaseBankFileType)));
            continue;
        };
        decoded.push((file.sha256.clone(), media_type, bytes));
    }
    if let Some(case) = &case {
        for (index, attachment) in case.attachments.iter().enumerate() {
            match decoded.iter().find(|(hash, _, _)| *hash == attachment.sha256) {
                None => errors.push(FieldError::said_at(
                    format!("/case/attachments/{index}"),
                    Message::new(MessageCode::CaseBankAttachmentMissing),
                )),
                Some((_, media_type, bytes)) => {
                    if *media_type != attachment.media_type || bytes.len() as u64 != attachment.size {
                        errors.push(FieldError::said_at(
                            format!("/case/attachments/{index}"),
                            Message::new(MessageCode::CaseBankAttachmentMismatch),
                        ));
                    }
                }
            }
        }
    }
    let Some(case) = case.filter(|_| errors.is_empty()) else { return Err(ApiError::Invalid(errors)) };
    let text = case_text(state.catalogue(), &case);
    let actor = Actor::user(&user);
    let record = state
        .db(move |store| {
            for (_, media_type, bytes) in &decoded {
                store.put_attachment(&actor, media_type, bytes)?;
            }
            store.create_case(&actor, owner, &text)
        })
        .await
        .map_err(already_there)?;
    Ok(Created(detail(&state, &user, record).await?))
}

async fn attach(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CasePath>,
    RequiredIfMatch(expected): RequiredIfMatch,
    ApiQuery(query): ApiQuery<AttachQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let (record, subject) = record_for(&state, &user, path.case).await?;
    permit(CaseAction::Edit, &record, &subject)?;
    // Over the route's body limit axum answers in plain text: answer the
    // problem, like every other error.
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::FileTooLarge { limit_mib: MAX_ATTACHMENT_BYTES / (1024 * 1024) }
        } else {
            ApiError::Malformed("Le corps de la requête n'a pas pu être lu.".to_owned())
        }
    })?;
    if body.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(ApiError::FileTooLarge { limit_mib: MAX_ATTACHMENT_BYTES / (1024 * 1024) });
    }
    let Some(media_type) = sniff_media_type(&body) else {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "",
            Message::new(MessageCode::CaseBankFileTypeSniffed),
        )]));
    };
    let mut case = document_of(state.catalogue(), &record)?;
    let sha256 = grille_store::sha256_bytes(&body);
    if case.attachments.iter().any(|attachment| attachment.sha256 == sha256) {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::CaseBankAlreadyAttached)));
    }
    case.attachments.push(Attachment {
        name: query.name.trim().to_owned(),
        media_type: media_type.to_owned(),
        sha256,
        size: body.len() as u64,
    });
    // The name is checked as in a case file, at the attachment's pointer.
    let checked = CaseStudy::from_json(&canonical(&case), state.catalogue()).map_err(|problems| {
        ApiError::Invalid(
            problems
                .into_iter()
                .map(|problem| {
                    let field = if problem.pointer.ends_with("/name") { "/name" } else { "" };
                    FieldError::of_problem(field, problem)
                })
                .collect(),
        )
    })?;
    let text = case_text(state.catalogue(), &checked);
    let actor = Actor::user(&user);
    let id = record.id;
    let updated = state
        .db(move |store| {
            store.put_attachment(&actor, media_type, &body)?;
            store.update_case(&actor, id, expected, &text)
        })
        .await?;
    let version = updated.row_version;
    Ok(Tagged { version, body: detail(&state, &user, updated).await? })
}

async fn detach(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<AttachmentPath>,
    RequiredIfMatch(expected): RequiredIfMatch,
) -> Result<Tagged<CaseDetail>, ApiError> {
    let user = staff.current.user.clone();
    let (record, subject) = record_for(&state, &user, path.case).await?;
    permit(CaseAction::Edit, &record, &subject)?;
    let mut case = document_of(state.catalogue(), &record)?;
    let before = case.attachments.len();
    case.attachments.retain(|attachment| attachment.sha256 != path.sha256);
    if case.attachments.len() == before {
        return Err(ApiError::NotFound("Annexe"));
    }
    let text = case_text(state.catalogue(), &case);
    let actor = Actor::user(&user);
    let id = record.id;
    let updated = state.db(move |store| store.update_case(&actor, id, expected, &text)).await?;
    let version = updated.row_version;
    Ok(Tagged { version, body: detail(&state, &user, updated).await? })
}

/// An attachment's bytes, with its type and name, never rendered inline as
/// anything but itself.
pub(crate) async fn file_response(state: &AppState, attachment: &Attachment) -> Result<StoredFile, ApiError> {
    let hash = attachment.sha256.clone();
    let file = state.db(move |store| store.attachment(&hash)).await?.ok_or(ApiError::NotFound("Annexe"))?;
    Ok(StoredFile {
        media_type: file.media_type,
        file_name: ascii_file_name(&attachment.name),
        bytes: file.bytes,
        embeddable: false,
    })
}

async fn attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<AttachmentPath>,
) -> Result<StoredFile, ApiError> {
    let (record, _) = record_for(&state, &current.user, path.case).await?;
    let case = document_of(state.catalogue(), &record)?;
    let attachment = case
        .attachments
        .iter()
        .find(|attachment| attachment.sha256 == path.sha256)
        .ok_or(ApiError::NotFound("Annexe"))?;
    file_response(&state, attachment).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions_follow_numbers_or_suffix_the_label() {
        assert_eq!(next_version("1", &["1".into()]), "2");
        assert_eq!(next_version("1", &["1".into(), "2".into(), "5".into()]), "6");
        assert_eq!(next_version("2026-a", &["2026-a".into()]), "2026-a-2");
        assert_eq!(next_version("2026-a", &["2026-a".into(), "2026-a-2".into()]), "2026-a-3");
    }
}
