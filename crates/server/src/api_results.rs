//! The session workflow for the board (open the scoring, finalise at the
//! grading meeting, publish), results and their exports, corrections after
//! finalisation (appeals), candidates' own results, retention and personal
//! data.

use std::time::SystemTime;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, CandidateNumber, NewResult, StoredResult};
use grille_workflow::{
    Action, Readiness, SessionKind, SessionState, SessionTransition, Subject, permit, transition,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use grille_report::i18n::{self, Language};
use grille_report::results_csv::ResultsCsv;

use crate::AppState;
use crate::api_evaluations::compute_progress;
use crate::auth::{Board, CurrentUser, Staff};
use crate::error::{ApiError, FieldError};
use crate::exam::{self, PinnedExam, SessionData};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::reply::{Download, Precomputed, PrecomputedAnswer};
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "résultats";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/scoring",
            post_with(start_scoring, |op| op.tag(tag).summary("Ouvrir l'évaluation (fin des inscriptions)")),
        )
        .api_route(
            "/api/sessions/{id}/finalise",
            post_with(finalise, |op| {
                op.tag(tag).summary("Séance d'attribution des notes : calculer, enregistrer et verrouiller les résultats")
            }),
        )
        .api_route(
            "/api/sessions/{id}/publish",
            post_with(publish, |op| op.tag(tag).summary("Publier les résultats aux candidat·e·s")),
        )
        .api_route(
            "/api/sessions/{id}/results",
            get_with(results, |op| {
                op.tag(tag).summary(
                    "Résultats avec l'explication complète de chaque note (JSON ; aperçu avant l'arrêt des notes)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/results/csv",
            get_with(results_csv, |op| {
                op.tag(tag).summary(
                    "Résultats en CSV (UTF-8 avec BOM, séparateur ; ou ,) : une ligne par candidat·e (notes d'épreuve et de point) ou par critère, les noms de colonnes et les mots dans la langue demandée (lang=fr, de ou it)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/candidates/{number}/status",
            put_with(set_status, |op| {
                op.tag(tag).summary("Présence d'un·e candidat·e (présent, retrait excusé ou non, exclusion, absence)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/candidates/{number}/file",
            get_with(candidate_file, |op| {
                op.tag(tag).summary(
                    "Dossier complet d'un·e candidat·e (consultation du dossier, recours)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/retention",
            put_with(set_retention, |op| {
                op.tag("données personnelles").summary("Fixer la date de fin de conservation des données personnelles")
            }),
        )
        .api_route(
            "/api/candidates/{number}/personal-data",
            get_with(export_personal_data, |op| {
                op.tag("données personnelles").summary("Exporter les données personnelles d'un·e candidat·e")
            })
            .delete_with(erase_personal_data, |op| {
                op.tag("données personnelles").summary(
                    "Effacer les données personnelles après le délai de conservation (résultats anonymes conservés)",
                )
            }),
        )
        .api_route(
            "/api/me/results",
            get_with(my_results, |op| op.tag(tag).summary("Mes résultats publiés (candidat·e)")),
        )
}

/// A session id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    pub(crate) id: i64,
}

/// A candidate of a session in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct CandidatePath {
    /// The session id.
    pub(crate) id: i64,
    /// The candidate number.
    pub(crate) number: String,
}

/// A candidate number in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct NumberPath {
    /// The candidate number.
    pub(crate) number: String,
}

pub(crate) fn parse_number(text: &str) -> Result<CandidateNumber, ApiError> {
    CandidateNumber::parse(text).map_err(|_| ApiError::NotFound("Candidat·e"))
}

/// The session's state and the caller's subject, once the caller is known
/// to see the session (404 otherwise).
pub(crate) async fn session_state(
    state: &AppState,
    user: &grille_store::User,
    id: i64,
) -> Result<(SessionState, Subject), ApiError> {
    let session = scope::session_for(state, user, id, Action::ViewSession).await?;
    Ok((exam::state_of(&session)?, scope::subject(user, &session)))
}

/// The new state of a session.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct StateView {
    /// The session id.
    pub id: i64,
    /// The workflow state.
    pub state: SessionState,
}

async fn step(
    state: &AppState,
    staff: &Staff,
    id: i64,
    step: SessionTransition,
) -> Result<Json<StateView>, ApiError> {
    let (current, subject) = session_state(state, &staff.current.user, id).await?;
    permit(step.action(), current, &subject)?;
    let next = transition(current, step, Readiness::default())?;
    let actor = Actor::user(&staff.current.user);
    state.db(move |store| store.set_session_state(&actor, id, current.as_str(), next.as_str())).await?;
    Ok(Json(StateView { id, state: next }))
}

async fn start_scoring(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<StateView>, ApiError> {
    let (data, _exam) =
        crate::scope::load_for(&state, &staff.current.user, path.id, Action::ViewProgress).await?;
    if data.candidates.is_empty() {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::ScoringNoCandidate)));
    }
    step(&state, &staff, path.id, SessionTransition::StartScoring).await
}

async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<StateView>, ApiError> {
    step(&state, &staff, path.id, SessionTransition::Publish).await
}

/// One candidate's result.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ResultView {
    /// The candidate number.
    pub number: String,
    /// `passed`, `failed`, `pending` or `no_result`.
    pub outcome: String,
    /// The overall grade, if any.
    pub overall_grade: Option<String>,
    /// 1 at finalisation, +1 per correction (also the `If-Match` of a
    /// correction); 0 for a preview.
    pub version: i64,
    /// The scoring crate's explanation: part and position grades, each
    /// evaluation scored criterion by criterion, the arithmetic, the pass
    /// rule's conditions, the competence profile.
    pub explanation: grille_scoring::CandidateResult,
}

/// The results of a session.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct ResultsView {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub name: String,
    /// The workflow state.
    pub state: SessionState,
    /// Official or mock (examen blanc: never mixed with official
    /// results).
    pub kind: SessionKind,
    /// `true` once finalised: these are the stored, locked results; `false`:
    /// a preview computed now.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The pinned documents (slot, id, version, SHA-256).
    pub documents: Vec<crate::api_sessions::PinnedDocumentView>,
    /// One result per candidate, by number.
    pub candidates: Vec<ResultView>,
}

fn outcome_text(result: &grille_scoring::CandidateResult) -> String {
    serde_json::to_value(result.outcome)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn new_result(result: &grille_scoring::CandidateResult) -> Result<NewResult, ApiError> {
    Ok(NewResult {
        candidate: parse_number(&result.number)?,
        outcome: outcome_text(result),
        overall_grade: result
            .overall
            .as_ref()
            .map(|overall| grille_scoring::decimal::display_grade(overall.value)),
        explanation: serde_json::to_value(result).map_err(ApiError::internal)?,
    })
}

pub(crate) fn stored_view(result: StoredResult) -> Result<ResultView, ApiError> {
    Ok(ResultView {
        number: result.candidate.as_str().to_owned(),
        outcome: result.outcome,
        overall_grade: result.overall_grade,
        version: result.version,
        // Stored at finalisation from the engine's own value.
        explanation: serde_json::from_str(&result.explanation).map_err(ApiError::internal)?,
    })
}

/// The results: stored ones once final, a preview otherwise.
async fn results_of(
    state: &AppState,
    data: &SessionData,
    exam: &PinnedExam,
) -> Result<ResultsView, ApiError> {
    let current = exam::state_of(&data.session)?;
    let candidates = if current.is_final() {
        let id = data.session.id;
        state
            .db(move |store| store.session_results(id))
            .await?
            .into_iter()
            .map(stored_view)
            .collect::<Result<Vec<_>, ApiError>>()?
    } else {
        let scored = compute_progress(state.catalogue(), data, exam)?;
        scored
            .1
            .iter()
            .map(|result| {
                Ok(ResultView {
                    number: result.number.clone(),
                    outcome: outcome_text(result),
                    overall_grade: result
                        .overall
                        .as_ref()
                        .map(|overall| grille_scoring::decimal::display_grade(overall.value)),
                    version: 0,
                    explanation: result.clone(),
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?
    };
    Ok(ResultsView {
        session_id: data.session.id,
        name: data.session.name.clone(),
        state: current,
        kind: data.session.kind,
        is_final: current.is_final(),
        documents: data.session.documents.iter().map(crate::api_sessions::PinnedDocumentView::from).collect(),
        candidates,
    })
}

async fn finalise(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<ResultsView>, ApiError> {
    let (current, subject) = session_state(&state, &staff.current.user, path.id).await?;
    permit(Action::Finalise, current, &subject)?;
    let (data, exam) = exam::load(&state, path.id).await?;
    let current = exam::state_of(&data.session)?;
    let scored = compute_progress(state.catalogue(), &data, &exam)?;
    let (progress, results) = (&scored.0, &scored.1);
    let progress = serde_json::to_value(progress).map_err(ApiError::internal)?;
    let count = |name: &str| progress[name].as_u64().unwrap_or_default() as usize;
    let readiness = Readiness {
        pending_candidates: count("pending_candidates"),
        open_discrepancies: count("open_discrepancies"),
        drafts: count("drafts"),
    };
    transition(current, SessionTransition::Finalise, readiness)?;
    let new_results = results.iter().map(new_result).collect::<Result<Vec<_>, _>>()?;
    let actor = Actor::user(&staff.current.user);
    let stamp = data.stamp.clone();
    state.db(move |store| store.finalise_session(&actor, path.id, &stamp, &new_results)).await?;
    let (data, exam) = exam::load(&state, path.id).await?;
    Ok(Json(results_of(&state, &data, &exam).await?))
}

async fn results(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    headers: HeaderMap,
) -> Result<PrecomputedAnswer<ResultsView>, ApiError> {
    let (data, exam) =
        crate::scope::load_for(&state, &staff.current.user, path.id, Action::ViewSession).await?;
    scope::check_loaded(&staff.current.user, &data, &exam, Action::ReadResults)?;
    // The answer is the same for everyone allowed to read it: serialised
    // once per revision of the session, with an ETag from its bytes so that
    // a client holding it (the pages) gets 304 after the access checks.
    if let Some(answer) = data.results_json.peek() {
        return Ok(answer.answer(&headers));
    }
    let view = results_of(&state, &data, &exam).await?;
    Ok(data.results_json.keep(Precomputed::new(&view)).answer(&headers))
}

/// The shape of the CSV export.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Layout {
    /// One row per candidate: every part grade, the overall grade, the outcome.
    #[default]
    Candidate,
    /// One row per rubric criterion of each official evaluation.
    Criterion,
}

/// The field delimiter of the CSV export.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Delimiter {
    /// Comma; `,` itself is accepted too.
    #[serde(alias = ",")]
    Comma,
    /// Semicolon (Excel with Swiss locales); `;` itself is accepted too.
    #[default]
    #[serde(alias = ";")]
    Semicolon,
}

/// The language of the CSV export's column names and words.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CsvLanguage {
    /// French.
    #[default]
    Fr,
    /// German.
    De,
    /// Italian.
    It,
}

impl CsvLanguage {
    /// The report language.
    pub(crate) fn language(self) -> Language {
        match self {
            CsvLanguage::Fr => Language::Fr,
            CsvLanguage::De => Language::De,
            CsvLanguage::It => Language::It,
        }
    }
}

/// Options of the CSV export.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct CsvParams {
    /// `candidate` (default) or `criterion`.
    #[serde(default)]
    layout: Layout,
    /// `semicolon` (default, Excel with Swiss locales) or `comma`; `;` and
    /// `,` themselves are accepted too.
    #[serde(default)]
    delimiter: Delimiter,
    /// The language of the column names and words: `fr` (default), `de`
    /// or `it` (the `candidate` layout's statuses, outcomes, decisions and
    /// pending reasons; the `criterion` layout's column identifiers, its
    /// marks and the source of an agreed evaluation).
    #[serde(default)]
    lang: CsvLanguage,
}

/// The CSV rows of the criterion layout, header first (the candidate
/// layout is grille-report's `ResultsCsv`, as for the command line): the
/// column identifiers, the marks and the source of an agreed evaluation
/// in `language` (an examiner's source is their username).
fn criterion_rows(view: &ResultsView, language: Language) -> Vec<Vec<String>> {
    use grille_scoring::decimal::{display, display_grade};
    let tr = |key: &str| i18n::translate(language, key);
    let grade = |grade: Option<rust_decimal::Decimal>| grade.map(display_grade).unwrap_or_default();
    let header = [
        "number",
        "part",
        "position",
        "source",
        "criterion",
        "mark",
        "points",
        "max_points",
        "position_grade",
    ]
    .map(|column| tr(&format!("csv.column.{column}")));
    let agreed = tr("csv.value.agreed");
    let [points, not_assessable, missing] =
        ["points", "not_assessable", "missing"].map(|mark| tr(&format!("csv.value.mark.{mark}")));
    let mut rows: Vec<Vec<String>> = vec![header.to_vec()];
    for candidate in &view.candidates {
        for part in &candidate.explanation.parts {
            for position in &part.positions {
                // The official evaluation: the agreed one, or the
                // first examiner's where the position has a grade.
                let official = match (&position.agreed, position.grade) {
                    (Some(evaluation), _) => Some((agreed.clone(), evaluation)),
                    (None, Some(_)) => position
                        .evaluations
                        .first()
                        .map(|evaluation| (evaluation.examiner.clone().unwrap_or_default(), evaluation)),
                    (None, None) => None,
                };
                let Some((source, evaluation)) = official else { continue };
                for criterion in &evaluation.criteria {
                    let mark = match criterion.mark {
                        grille_scoring::Mark::Points(_) => &points,
                        grille_scoring::Mark::NotAssessable => &not_assessable,
                        grille_scoring::Mark::NotAssessedInCase | grille_scoring::Mark::Missing => &missing,
                    };
                    rows.push(vec![
                        candidate.number.clone(),
                        part.part.clone(),
                        position.position.clone(),
                        source.clone(),
                        criterion.criterion.clone(),
                        mark.clone(),
                        display(criterion.points),
                        display(criterion.max_points),
                        grade(position.grade),
                    ]);
                }
            }
        }
    }
    rows
}

async fn results_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(params): ApiQuery<CsvParams>,
) -> Result<Download, ApiError> {
    let (data, exam) =
        crate::scope::load_for(&state, &staff.current.user, path.id, Action::ViewSession).await?;
    scope::check_loaded(&staff.current.user, &data, &exam, Action::ExportResults)?;
    let view = results_of(&state, &data, &exam).await?;
    let delimiter = match params.delimiter {
        Delimiter::Comma => b',',
        Delimiter::Semicolon => b';',
    };
    let language = params.lang.language();
    let body = match params.layout {
        Layout::Candidate => {
            let mut csv = ResultsCsv::with_delimiter(Vec::new(), &exam.blueprint, language, delimiter)
                .map_err(ApiError::internal)?;
            for candidate in &view.candidates {
                let grades = grille_scoring::CandidateGrades::from(candidate.explanation.clone());
                csv.write(&grades).map_err(ApiError::internal)?;
            }
            csv.finish().map_err(ApiError::internal)?
        }
        Layout::Criterion => {
            let mut writer =
                csv::WriterBuilder::new().delimiter(delimiter).from_writer(vec![0xEF, 0xBB, 0xBF]);
            for row in criterion_rows(&view, language) {
                writer.write_record(&row).map_err(ApiError::internal)?;
            }
            writer.into_inner().map_err(ApiError::internal)?
        }
    };
    let layout = match params.layout {
        Layout::Candidate => "candidats",
        Layout::Criterion => "criteres",
    };
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        // A mock session's export says so in its name: it never passes for
        // official results.
        file_name: match data.session.kind.as_str() {
            "mock" => format!("examen-blanc-{}-resultats-{layout}.csv", path.id),
            _ => format!("session-{}-resultats-{layout}.csv", path.id),
        },
        body,
    })
}

/// Whether a candidate sat the exam.
#[derive(Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// `present`, `withdrawn_excused`, `withdrawn_unexcused`, `excluded` or `absent`.
    #[schemars(extend("enum" = ["present", "withdrawn_excused", "withdrawn_unexcused", "excluded", "absent"]))]
    pub status: String,
}

/// A candidate's status in a session.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct StatusView {
    /// The candidate number.
    pub number: String,
    /// The status.
    pub status: String,
}

async fn set_status(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CandidatePath>,
    ApiJson(request): ApiJson<StatusRequest>,
) -> Result<Json<StatusView>, ApiError> {
    scope::cohort_in_reach(&state, &staff.current.user, path.id).await?;
    let number = parse_number(&path.number)?;
    let (current, subject) = session_state(&state, &staff.current.user, path.id).await?;
    // Those who do not run the session learn nothing more (the board on a
    // mock session); the state is checked after the input.
    scope::session_for(&state, &staff.current.user, path.id, Action::ViewProgress).await?;
    if !grille_store::CANDIDATE_STATUSES.contains(&request.status.as_str()) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/status",
            Message::new(MessageCode::CandidateStatusUnknown)
                .with("allowed", grille_store::CANDIDATE_STATUSES.join(", ")),
        )]));
    }
    permit(Action::RecordCandidateStatus, current, &subject)?;
    let actor = Actor::user(&staff.current.user);
    let status = request.status.clone();
    let stored = number.clone();
    state.db(move |store| store.set_candidate_status(&actor, path.id, &stored, &status)).await?;
    Ok(Json(StatusView { number: number.as_str().to_owned(), status: request.status }))
}

/// A candidate's complete file.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct CandidateFile {
    /// The session.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// The workflow state.
    pub state: SessionState,
    /// Official or mock.
    pub kind: SessionKind,
    /// The candidate number.
    pub number: String,
    /// Whether they sat the exam.
    pub status: grille_scoring::CandidateStatus,
    /// The documents used: slot, id, version, SHA-256.
    pub documents: Vec<crate::api_sessions::PinnedDocumentView>,
    /// Per position: both examiners' evaluations (with remarks), the agreed
    /// one.
    pub positions: Vec<FilePosition>,
    /// The result with its arithmetic (stored once final, a preview before).
    pub result: Option<ResultView>,
    /// Corrections after finalisation, oldest first; the first one's
    /// `before` is the original result.
    pub corrections: Vec<CorrectionView>,
}

/// One position in a candidate's file.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct FilePosition {
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The rubric id the blueprint names.
    pub rubric: String,
    /// The examiners assigned to the part.
    pub examiners: Vec<String>,
    /// Every examiner's evaluation, drafts included.
    pub evaluations: Vec<FileEvaluation>,
    /// The agreed evaluation, if recorded.
    pub agreed: Option<FileAgreed>,
}

/// An evaluation's answers and overall remark.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct EvaluationContent {
    /// One answer per criterion answered.
    pub answers: Vec<grille_scoring::Answer>,
    /// The overall remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The language of the remarks, when recorded (`fr`, `de`, `it`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark_language: Option<grille_scoring::CaseLanguage>,
}

impl From<exam::StoredContent> for EvaluationContent {
    fn from(content: exam::StoredContent) -> EvaluationContent {
        EvaluationContent {
            answers: content.answers,
            remark: content.remark,
            remark_language: content.remark_language,
        }
    }
}

/// An examiner's evaluation in a candidate's file.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct FileEvaluation {
    /// The examiner's username.
    pub examiner: String,
    /// `draft` or `submitted`.
    pub status: crate::api_examiner::OwnState,
    /// The answers and remark.
    pub content: EvaluationContent,
    /// The version.
    pub version: i64,
    /// When last written (RFC 3339).
    pub updated_at: String,
}

/// The agreed evaluation in a candidate's file.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct FileAgreed {
    /// The answers and justification.
    pub content: EvaluationContent,
    /// The resulting position grade.
    pub grade: Option<String>,
    /// The version.
    pub version: i64,
    /// When last written (RFC 3339).
    pub updated_at: String,
}

/// A correction of a finalised result.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CorrectionView {
    /// Increasing id.
    pub id: i64,
    /// The position whose official evaluation was replaced.
    pub position: String,
    /// The stated reason.
    pub reason: String,
    /// The result before, with its explanation.
    pub before: grille_scoring::CandidateResult,
    /// The result after, with its explanation.
    pub after: grille_scoring::CandidateResult,
    /// When (RFC 3339).
    pub corrected_at: String,
    /// Who entered it (username); for a correction that changed the
    /// decision, who proposed it.
    pub corrected_by: String,
    /// The second board member who approved it (four-eyes), for a
    /// correction that changed the decision.
    pub approved_by: Option<String>,
}

impl TryFrom<grille_store::Correction> for CorrectionView {
    type Error = ApiError;

    fn try_from(correction: grille_store::Correction) -> Result<CorrectionView, ApiError> {
        Ok(CorrectionView {
            id: correction.id,
            position: correction.position,
            reason: correction.reason,
            before: serde_json::from_value(correction.before).map_err(ApiError::internal)?,
            after: serde_json::from_value(correction.after).map_err(ApiError::internal)?,
            corrected_at: correction.corrected_at,
            corrected_by: correction.corrected_by,
            approved_by: correction.approved_by,
        })
    }
}

async fn candidate_file(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<CandidatePath>,
) -> Result<Json<CandidateFile>, ApiError> {
    scope::cohort_in_reach(&state, &staff.current.user, path.id).await?;
    let number = parse_number(&path.number)?;
    let (data, exam) =
        crate::scope::load_for(&state, &staff.current.user, path.id, Action::ViewSession).await?;
    scope::check_loaded(&staff.current.user, &data, &exam, Action::ReadResults)?;
    let enrolled = data
        .candidates
        .iter()
        .find(|candidate| candidate.number == number)
        .ok_or(ApiError::NotFound("Candidat·e"))?
        .clone();
    let mut positions = Vec::new();
    for part in &exam.blueprint.parts {
        for position in &part.positions {
            let mut evaluations = Vec::new();
            for row in data.position_evaluations(&number, &position.id) {
                evaluations.push(FileEvaluation {
                    examiner: row.examiner.clone(),
                    status: match row.evaluation.status {
                        grille_store::EvaluationStatus::Draft => crate::api_examiner::OwnState::Draft,
                        grille_store::EvaluationStatus::Submitted => crate::api_examiner::OwnState::Submitted,
                    },
                    content: EvaluationContent::from(exam::StoredContent::from_value(
                        &row.evaluation.content,
                    )?),
                    version: row.evaluation.version,
                    updated_at: row.evaluation.updated_at.clone(),
                });
            }
            let agreed =
                match data.agreed.iter().find(|row| row.candidate == number && row.position == position.id) {
                    Some(row) => Some(FileAgreed {
                        content: EvaluationContent::from(exam::StoredContent::from_value(
                            &row.agreed.content,
                        )?),
                        grade: row.agreed.grade.clone(),
                        version: row.agreed.version,
                        updated_at: row.agreed.updated_at.clone(),
                    }),
                    None => None,
                };
            positions.push(FilePosition {
                part: part.id.clone(),
                position: position.id.clone(),
                rubric: position.rubric.clone(),
                examiners: data.examiners_of(&number, &part.id),
                evaluations,
                agreed,
            });
        }
    }
    let view = results_of(&state, &data, &exam).await?;
    let result = view.candidates.into_iter().find(|result| result.number == number.as_str());
    let lookup = number.clone();
    let corrections = state
        .db(move |store| store.corrections(path.id, &lookup))
        .await?
        .into_iter()
        .map(CorrectionView::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Json(CandidateFile {
        session_id: data.session.id,
        session_name: data.session.name.clone(),
        state: data.session.workflow_state,
        kind: data.session.kind,
        number: number.as_str().to_owned(),
        status: exam::status_of(&enrolled.status)?,
        documents: view.documents,
        positions,
        result,
        corrections,
    }))
}

/// How long personal data is kept.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetentionRequest {
    /// The last day personal data is kept, `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"), extend("format" = "date"))]
    until: String,
}

/// The retention date set.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct RetentionView {
    /// The session id.
    id: i64,
    /// The last day personal data is kept.
    until: String,
}

async fn set_retention(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<RetentionRequest>,
) -> Result<Json<RetentionView>, ApiError> {
    let (current, subject) = session_state(&state, &staff.current.user, path.id).await?;
    permit(Action::SetRetention, current, &subject)?;
    if !crate::api_sessions::is_iso_date(&request.until) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/until",
            Message::new(MessageCode::SessionExamDateForm),
        )]));
    }
    let actor = Actor::user(&staff.current.user);
    let until = request.until.clone();
    state.db(move |store| store.set_retention(&actor, path.id, &until)).await?;
    Ok(Json(RetentionView { id: path.id, until: request.until }))
}

/// A candidate's personal data and what is stored about them.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PersonalData {
    /// The candidate number.
    number: String,
    /// Name and e-mail, absent once erased.
    identity: Option<serde_json::Value>,
    /// The sessions they are enrolled in, with retention dates.
    sessions: Vec<serde_json::Value>,
    /// Their stored results.
    results: Vec<serde_json::Value>,
}

async fn export_personal_data(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<NumberPath>,
) -> Result<Json<PersonalData>, ApiError> {
    let number = parse_number(&path.number)?;
    candidate_in_reach(&state, &board.current.user, &number).await?;
    let lookup = number.clone();
    let (identity, sessions) = state
        .db(move |store| {
            Ok((store.candidate_identity(None, &lookup)?, store.candidate_sessions(None, &lookup)?))
        })
        .await?;
    let mut results = Vec::new();
    for session in &sessions {
        let (id, lookup) = (session.session_id, number.clone());
        if let Some(result) = state.db(move |store| store.candidate_result(id, &lookup)).await? {
            results.push(serde_json::json!({ "session_id": id, "result": stored_view(result)? }));
        }
    }
    Ok(Json(PersonalData {
        number: number.as_str().to_owned(),
        identity: identity.map(|identity| serde_json::to_value(identity).unwrap_or_default()),
        sessions: sessions.iter().map(|session| serde_json::to_value(session).unwrap_or_default()).collect(),
        results,
    }))
}

/// Whether candidate `number` exists in the board's register: 404
/// otherwise. A school's cohort is another register, so a number the board
/// does not use is unknown here whatever a school does with it
/// ([`grille_workflow::cohort_in_reach`] on the board's own register).
async fn candidate_in_reach(
    state: &AppState,
    user: &grille_store::User,
    number: &CandidateNumber,
) -> Result<(), ApiError> {
    let lookup = vec![number.clone()];
    let found = state.db(move |store| store.numbers_in_register(None, &lookup)).await?;
    if !found.contains(number.as_str()) {
        return Err(ApiError::NotFound("Candidat·e"));
    }
    grille_workflow::cohort_in_reach(&scope::register_subject(user, None))?;
    Ok(())
}

/// The personal data was erased.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Erased {
    /// The candidate number (kept, anonymous).
    number: String,
    /// Always `true`.
    erased: bool,
}

async fn erase_personal_data(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<NumberPath>,
) -> Result<Json<Erased>, ApiError> {
    let number = parse_number(&path.number)?;
    candidate_in_reach(&state, &board.current.user, &number).await?;
    let lookup = number.clone();
    let sessions = state.db(move |store| store.candidate_sessions(None, &lookup)).await?;
    let states: Vec<_> =
        sessions.iter().map(|session| (session.workflow_state, session.retention_until.as_deref())).collect();
    let today = grille_store::utc_text(SystemTime::now())[..10].to_owned();
    grille_workflow::may_erase(&states, &today)?;
    let actor = Actor::user(&board.current.user);
    let erased = number.clone();
    state.db(move |store| store.erase_candidate_identity(&actor, None, &erased)).await?;
    Ok(Json(Erased { number: number.as_str().to_owned(), erased: true }))
}

/// One published result of the candidate asking.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MyResult {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// Official or mock (examen blanc: an exercise, not a decision).
    pub kind: SessionKind,
    /// Whether the filled rubric can be read
    /// (`GET /api/me/results/{id}/rubric`): a mock exam's, or an official
    /// one's where the board opened the file to consultation.
    #[serde(default)]
    pub filled_rubric: bool,
    /// The result with its explanation.
    pub result: ResultView,
}

async fn my_results(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<MyResult>>, ApiError> {
    my_results_of(&state, &current).await.map(Json)
}

/// Takes out of a candidate's own result what only file consultation may
/// show: each examiner's evaluation (levels, points and remarks per
/// criterion), the agreed and the arbiter's evaluation, and the comparison
/// of the examiners. The grades, the decision, the conditions and the
/// competence profile stay.
fn withhold_evaluations(result: &mut grille_scoring::CandidateResult) {
    for position in result.parts.iter_mut().flat_map(|part| part.positions.iter_mut()) {
        position.evaluations.clear();
        position.agreed = None;
        position.arbiter = None;
        position.comparison = None;
    }
}

/// The published results of the logged-in candidate (403 for an account
/// that is no candidate's).
pub(crate) async fn my_results_of(
    state: &AppState,
    current: &CurrentUser,
) -> Result<Vec<MyResult>, ApiError> {
    let subject_role = exam::flow_role(current.user.role);
    let user_id = current.user.id;
    let number = state.db(move |store| store.user_candidate(user_id)).await?;
    let mut mine = Vec::new();
    let Some(number) = number else {
        if subject_role == grille_workflow::Role::Candidate {
            return Ok(mine);
        }
        return Err(ApiError::Forbidden);
    };
    // A candidate's account belongs to its school's register or the board's.
    let (lookup, register) = (number.clone(), current.user.school_id);
    let sessions = state.db(move |store| store.candidate_sessions(register, &lookup)).await?;
    for session in sessions {
        let (session_state, kind) = (session.workflow_state, session.kind);
        let subject = Subject { role: subject_role, own_candidate: true, kind, ..Subject::default() };
        if permit(Action::ReadOwnResult, session_state, &subject).is_err() {
            continue;
        }
        let (id, lookup) = (session.session_id, number.clone());
        if let Some(result) = state.db(move |store| store.candidate_result(id, &lookup)).await? {
            let consultation = state.db(move |store| store.file_consultation(id)).await?;
            let filled_rubric = grille_workflow::filled_rubric_visible(kind, session_state, consultation);
            let mut result = stored_view(result)?;
            if !filled_rubric {
                withhold_evaluations(&mut result.explanation);
            }
            mine.push(MyResult {
                session_id: id,
                session_name: session.name,
                kind: session.kind,
                filled_rubric,
                result,
            });
        }
    }
    Ok(mine)
}
