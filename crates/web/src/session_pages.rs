//! The session pages of [`grille_report::exam`] (results, statistics,
//! minutes, grade sheets, one grade sheet, a candidate's file), shared by
//! the demo, the board and the trainer: which page is asked for, the
//! documents and links it is rendered with, and the answer. Each caller
//! keeps its own access checks, refusals and frame (the board's layout, the
//! trainer's way back).

use axum::http::StatusCode;
use axum::response::Response;
use grille_competence::{Catalogue, LocalizedText};
use grille_report::exam::{self, ExamDocuments, Links, ResultsFilter};
use grille_report::i18n::Language;
use grille_report::pages::PageError;
use grille_scoring::{CandidateResult, DocumentRef, SessionResult, embedded};
use minijinja::Environment;
use serde_json::Value;

use crate::PageLanguage;
use std::sync::Arc;

use crate::api::{Api, Reply, SessionResults};
use crate::auth_pages::Account;

/// One of the session pages of [`grille_report::exam`].
pub(crate) enum ExamPage {
    /// The results table, filtered and sorted by the query.
    Results(ResultsFilter),
    Statistics,
    Minutes,
    GradeSheets,
    /// The grade sheet of the candidate with this number.
    GradeSheet(String),
    /// The (appeal) file of the candidate with this number.
    CandidateFile(String),
}

impl ExamPage {
    /// The results table, with the filter of the query string `query`.
    pub(crate) fn results(query: Option<&str>) -> ExamPage {
        let pairs = crate::query_pairs(query);
        ExamPage::Results(ResultsFilter::from_pairs(
            pairs.iter().map(|(name, value)| (name.as_str(), value.as_str())),
        ))
    }

    /// The page's HTML; `None` when it names a candidate the result does
    /// not hold.
    fn render(
        &self,
        environment: &Environment<'static>,
        documents: &ExamDocuments<'_>,
        links: &Links,
        result: &SessionResult,
        language: Language,
    ) -> Result<Option<String>, PageError> {
        match self {
            ExamPage::Results(filter) => {
                exam::session_results(environment, documents, links, result, filter, language).map(Some)
            }
            ExamPage::Statistics => {
                exam::session_statistics(environment, documents, links, result, language).map(Some)
            }
            ExamPage::Minutes => {
                exam::grading_minutes(environment, documents, links, result, language).map(Some)
            }
            ExamPage::GradeSheets => {
                exam::grade_sheets(environment, documents, links, result, language).map(Some)
            }
            ExamPage::GradeSheet(number) => {
                exam::grade_sheet(environment, documents, links, result, number, language)
            }
            ExamPage::CandidateFile(number) => {
                exam::candidate_file(environment, documents, links, result, number, language)
            }
        }
    }

    /// The answer: the page (200), `not_found()` when it names a candidate
    /// the result does not hold, or the rendering error.
    pub(crate) fn respond(
        &self,
        language: PageLanguage,
        environment: &Environment<'static>,
        documents: &ExamDocuments<'_>,
        links: &Links,
        result: &SessionResult,
        not_found: impl FnOnce() -> Response,
    ) -> Response {
        match self.render(environment, documents, links, result, language.language) {
            Ok(Some(html)) => language.respond(StatusCode::OK, Ok(html)),
            Ok(None) => not_found(),
            Err(error) => language.respond(StatusCode::OK, Err(error)),
        }
    }
}

/// The documents the pages need: `exam`'s, with `title` as the session's.
pub(crate) fn exam_documents<'a>(
    catalogue: &'a Catalogue,
    exam: &'a embedded::ExamDocuments,
    title: Option<&'a LocalizedText>,
) -> ExamDocuments<'a> {
    ExamDocuments {
        catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &exam.rubrics,
        session_title: title,
        appeal_notice: None,
    }
}

/// The links of a stored session's pages under `base`
/// (`/board/sessions/{id}`): `{base}/results` and `{base}/candidates`.
pub(crate) fn links(base: &str) -> Links {
    Links::new(format!("{base}/results"), format!("{base}/candidates"))
}

/// Session `id` (id, name, kind and pinned documents, as the session
/// answer has them) and its results (stored once final, a preview before)
/// through one call of the API, or the reply that refused it. The results
/// route decides access as the session route does (view the session), and
/// also whether its reader may see the results.
pub(crate) async fn session_and_results(
    api: &Api,
    account: &Account,
    id: i64,
) -> Result<(Value, Arc<SessionResults>), Reply> {
    let results = api.session_results(id, &account.credentials(None)).await?;
    let session = serde_json::json!({
        "id": results.session_id,
        "name": results.name,
        "kind": results.kind,
        "documents": results.documents,
    });
    Ok((session, results))
}

/// The result of session `id` over `exam`'s documents.
pub(crate) fn session_result(
    id: i64,
    exam: &embedded::ExamDocuments,
    assumptions: Vec<String>,
    candidates: Vec<CandidateResult>,
) -> SessionResult {
    let reference = |id: &str, version: &str| DocumentRef { id: id.to_owned(), version: version.to_owned() };
    SessionResult {
        session: id.to_string(),
        scheme: reference(&exam.scheme.id, &exam.scheme.version),
        blueprint: reference(&exam.blueprint.id, &exam.blueprint.version),
        rubrics: exam.rubrics.iter().map(|rubric| reference(&rubric.id, &rubric.version)).collect(),
        assumptions,
        candidates,
    }
}
