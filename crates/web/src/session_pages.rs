//! The session pages of [`grille_report::exam`] (results, statistics,
//! minutes, grade sheets, one grade sheet, a candidate's file), shared by
//! the demo, the board and the trainer: which page is asked for, the
//! documents and links it is rendered with, and the answer. Each caller
//! keeps its own access checks, refusals and frame (the board's layout, the
//! trainer's way back).

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Path, RawQuery};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use grille_competence::{Catalogue, LocalizedText};
use grille_report::exam::{self, BoardFrame, ExamDocuments, Links, ResultsFilter};
use grille_report::i18n::{self, Language};
use grille_report::official::Official;
use grille_scoring::{CandidateResult, DocumentRef, SessionResult, embedded};
use grille_workflow::SessionKind;
use minijinja::Environment;

use crate::api::SessionResults;
use crate::page::{BoardAccount, PageError, TrainerAccount, Visit};
use crate::{PageLanguage, WebState};

/// The result pages of a scored session, mounted three times: the worked example (public), the board's and a trainer's sessions.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    axum::Router::new()
        .merge(result_routes::<Public>("/demo/session", "/demo/candidates"))
        .merge(result_routes::<crate::page::BoardAccount>(
            "/board/sessions/{id}/results",
            "/board/sessions/{id}/candidates",
        ))
        .merge(result_routes::<crate::page::TrainerAccount>(
            "/trainer/sessions/{id}/results",
            "/trainer/sessions/{id}/candidates",
        ))
}

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
    /// not hold. What the page keeps of its rendering (the statistics'
    /// content) is kept in `kept`, which belongs to `result`.
    fn render(
        &self,
        environment: &Environment<'static>,
        documents: &ExamDocuments<'_>,
        links: &Links,
        (result, kept): (&SessionResult, &KeptContents),
        language: Language,
    ) -> Result<Option<String>, grille_report::pages::PageError> {
        match self {
            ExamPage::Results(filter) => {
                exam::session_results(environment, documents, links, result, filter, language).map(Some)
            }
            ExamPage::Statistics => {
                let content = kept.statistics(language, links, || {
                    exam::statistics_content(environment, documents, links, result, language)
                })?;
                exam::session_statistics_around(environment, documents, links, result, language, &content)
                    .map(Some)
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
        result: (&SessionResult, &KeptContents),
        not_found: impl Fn() -> Response,
    ) -> Response {
        match self.render(environment, documents, links, result, language.language) {
            Ok(Some(html)) => language.respond(StatusCode::OK, Ok(html)),
            Ok(None) => not_found(),
            Err(error) => language.respond(StatusCode::OK, Err(error)),
        }
    }
}

/// What the session pages keep of their rendering for one result (the
/// statistics' content: its charts and tables are most of its cost), by
/// language and by where the page links the quality page (the board's or a
/// trainer's). It lives as long as the result it belongs to: the demo's
/// for the process, a stored session's until the next write changes its
/// results (see [`SessionResults`]), so it can never show an older result
/// than the page around it.
#[derive(Debug, Default)]
pub(crate) struct KeptContents {
    statistics: std::sync::Mutex<KeptStatistics>,
}

/// How many contents one result keeps at most (3 languages × the board's
/// and a trainer's links fit many times).
const KEPT_CONTENTS: usize = 16;

impl KeptContents {
    /// The statistics' content in `language` with `links`, rendered by
    /// `render` the first time it is asked for.
    fn statistics(
        &self,
        language: Language,
        links: &Links,
        render: impl FnOnce() -> Result<String, grille_report::pages::PageError>,
    ) -> Result<Arc<str>, grille_report::pages::PageError> {
        let key = (language, links.quality_page());
        if let Some(content) = self.lock().get(&key) {
            return Ok(content.clone());
        }
        // Rendered outside the lock: two first requests may both render,
        // which costs a render, never a wait behind another page.
        let content: Arc<str> = render()?.into();
        let mut kept = self.lock();
        if kept.len() >= KEPT_CONTENTS {
            kept.clear();
        }
        kept.insert(key, content.clone());
        Ok(content)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, KeptStatistics> {
        // Nothing can be left half-written: an entry is inserted whole.
        self.statistics.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

type KeptStatistics = std::collections::HashMap<(Language, Option<String>), Arc<str>>;

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
        official: None,
    }
}

/// The links of a stored session's pages under `base`
/// (`/board/sessions/{id}`): `{base}/results` and `{base}/candidates`.
pub(crate) fn links(base: &str) -> Links {
    Links::new(format!("{base}/results"), format!("{base}/candidates"))
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

// ------------------------------------------------ one set of result pages

/// The result pages of a session as one audience reads them: the demo
/// (public, the worked example), the board (a stored session, in the
/// board's frame) and a trainer (a mock session of their school). Each
/// audience is an extractor that refuses whoever may not read, then says
/// which documents, result and links the pages are rendered with; the six
/// handlers below are the same for all three.
pub(crate) trait Audience: FromRequestParts<WebState, Rejection = PageError> + Send + 'static {
    /// What session `id` (`None` for the demo) is shown with.
    fn shown(
        &self,
        id: Option<i64>,
        query: Option<&str>,
    ) -> impl std::future::Future<Output = Result<Shown, PageError>> + Send;

    /// What the grade sheets of session `id` print as an official document
    /// (letterhead, names, days and places, signatures); `None` (the
    /// default) keeps them plain.
    fn official(&self, id: Option<i64>) -> impl std::future::Future<Output = Option<Official>> + Send {
        let _ = id;
        async { None }
    }
}

/// A session's result as its pages show it.
pub(crate) struct Shown {
    pub(crate) environment: Environment<'static>,
    pub(crate) language: PageLanguage,
    pub(crate) catalogue: Arc<Catalogue>,
    pub(crate) exam: Arc<embedded::ExamDocuments>,
    pub(crate) title: Option<LocalizedText>,
    pub(crate) links: Links,
    pub(crate) result: ShownResult,
    /// The answer when the page names a candidate the result does not hold.
    pub(crate) not_found: Box<dyn Fn() -> Response + Send + Sync>,
}

/// Where the result comes from.
pub(crate) enum ShownResult {
    /// Scored once when the pages started (the demo), with what its pages
    /// keep.
    Scored(Arc<SessionResult>, Arc<KeptContents>),
    /// The API's answer for session `id`, with or without the documents'
    /// assumptions, built once per answer.
    Api { id: i64, results: Arc<SessionResults>, with_assumptions: bool },
}

impl Shown {
    fn result(&self) -> (&SessionResult, &KeptContents) {
        match &self.result {
            ShownResult::Scored(result, kept) => (result, kept),
            ShownResult::Api { id, results, with_assumptions } => {
                results.session_result(*id, &self.exam, *with_assumptions)
            }
        }
    }

    fn respond(&self, page: &ExamPage, official: Option<&Official>) -> Response {
        let mut documents = exam_documents(&self.catalogue, &self.exam, self.title.as_ref());
        documents.official = official;
        page.respond(
            self.language,
            &self.environment,
            &documents,
            &self.links,
            self.result(),
            &self.not_found,
        )
    }
}

/// The path of a result page: the session (none for the demo) and the
/// candidate, where the page names one.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ResultPath {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    number: Option<String>,
}

async fn show<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    page: ExamPage,
    query: Option<String>,
) -> Result<Response, PageError> {
    let path = path.map(|Path(path)| path).unwrap_or_default();
    let shown = audience.shown(path.id, query.as_deref()).await?;
    let official = match page {
        ExamPage::GradeSheet(_) | ExamPage::GradeSheets => audience.official(path.id).await,
        _ => None,
    };
    Ok(shown.respond(&page, official.as_ref()))
}

fn candidate_of(path: &Option<Path<ResultPath>>) -> String {
    path.as_ref().and_then(|Path(path)| path.number.clone()).unwrap_or_default()
}

async fn results<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let page = ExamPage::results(query.as_deref());
    show(audience, path, page, query).await
}

async fn statistics<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(audience, path, ExamPage::Statistics, query).await
}

async fn minutes<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(audience, path, ExamPage::Minutes, query).await
}

async fn grade_sheets<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    show(audience, path, ExamPage::GradeSheets, query).await
}

async fn grade_sheet<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let number = candidate_of(&path);
    show(audience, path, ExamPage::GradeSheet(number), query).await
}

async fn candidate_file<A: Audience>(
    audience: A,
    path: Option<Path<ResultPath>>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let number = candidate_of(&path);
    show(audience, path, ExamPage::CandidateFile(number), query).await
}

/// The six result pages of audience `A`: the results table at `session`,
/// its statistics, minutes and grade sheets below it, and a candidate's
/// grade sheet and file at `{candidates}/{number}` and `.../file`.
pub(crate) fn result_routes<A: Audience>(session: &str, candidates: &str) -> Router<WebState> {
    Router::new()
        .route(session, get(results::<A>))
        .route(&format!("{session}/statistics"), get(statistics::<A>))
        .route(&format!("{session}/minutes"), get(minutes::<A>))
        .route(&format!("{session}/grade-sheets"), get(grade_sheets::<A>))
        .route(&format!("{candidates}/{{number}}"), get(grade_sheet::<A>))
        .route(&format!("{candidates}/{{number}}/file"), get(candidate_file::<A>))
}

/// Anybody, reading the worked example (fictitious data).
pub(crate) struct Public {
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
}

impl FromRequestParts<WebState> for Public {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, PageError> {
        let language = PageLanguage::from_headers(parts.uri.query(), &parts.headers);
        Ok(Public { state: state.clone(), language, headers: parts.headers.clone() })
    }
}

impl Audience for Public {
    async fn shown(&self, _id: Option<i64>, query: Option<&str>) -> Result<Shown, PageError> {
        let (state, language) = (self.state.clone(), self.language);
        let not_found = move || crate::not_found_page(&state, language);
        let Some(demo) = &self.state.demo else { return Err(PageError::from(not_found())) };
        Ok(Shown {
            environment: self.state.public_environment(query, &self.headers).await,
            language: self.language,
            catalogue: self.state.catalogue.clone(),
            exam: demo.documents.clone(),
            title: demo.session.title.clone(),
            links: crate::demo_links(),
            result: ShownResult::Scored(demo.result.clone(), demo.kept.clone()),
            not_found: Box::new(not_found),
        })
    }
}

/// The results of session `id` through the API (stored once final, a
/// preview before) and the documents it pins, parsed once by the server.
async fn from_api(
    visit: &Visit,
    id: Option<i64>,
) -> Result<(i64, Arc<SessionResults>, Arc<embedded::ExamDocuments>), PageError> {
    let Some(id) = id else { return Err(visit.not_found()) };
    let results =
        visit.api.session_results(id, &visit.reading()).await.map_err(|reply| visit.refused(reply))?;
    let exam = visit.api.pinned_exam(id).ok_or_else(|| {
        visit.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "board.error.internal",
            visit.tr("board.error.documents"),
        )
    })?;
    Ok((id, results, exam))
}

impl Audience for BoardAccount {
    async fn official(&self, id: Option<i64>) -> Option<Official> {
        crate::board::identity::official_for_sheets(self, id?).await
    }

    async fn shown(&self, id: Option<i64>, query: Option<&str>) -> Result<Shown, PageError> {
        let (id, results, exam) = from_api(self, id).await?;
        let base = format!("/board/sessions/{id}");
        let links = links(&base).with_board(BoardFrame {
            session_page: base,
            official: results.view.is_final,
            username: self.account.username.clone(),
            home: crate::board::HOME.to_owned(),
            csrf: self.account.csrf.clone(),
        });
        let (state, language) = (self.state.clone(), self.language);
        Ok(Shown {
            environment: self.state.environment_for(query, Some(&self.account)),
            language: self.language,
            catalogue: self.state.catalogue.clone(),
            exam,
            title: Some(LocalizedText::fr(results.view.name.clone())),
            links,
            result: ShownResult::Api { id, results, with_assumptions: true },
            not_found: Box::new(move || crate::not_found_page(&state, language)),
        })
    }
}

impl Audience for TrainerAccount {
    async fn shown(&self, id: Option<i64>, query: Option<&str>) -> Result<Shown, PageError> {
        let (id, results, exam) = from_api(self, id).await?;
        // A trainer reads mock sessions only; the API already keeps them
        // to their school's.
        if results.view.kind != SessionKind::Mock {
            return Err(self.not_found());
        }
        let mock = i18n::translate(self.language.language, "candidate.kind.mock");
        let title = LocalizedText::fr(format!("{mock} — {}", results.view.name));
        let base = format!("/trainer/sessions/{id}");
        let (state, language, account) = (self.state.clone(), self.language, self.account.clone());
        let not_found = move || {
            let status = StatusCode::NOT_FOUND;
            let key = "examiner.error.not_found";
            axum::response::IntoResponse::into_response(PageError::page(
                &state,
                language,
                Some(&account),
                status,
                key,
                String::new(),
            ))
        };
        Ok(Shown {
            environment: self.state.environment_for(query, Some(&self.account)),
            language: self.language,
            catalogue: self.state.catalogue.clone(),
            exam,
            title: Some(title),
            links: links(&base).with_back(base),
            result: ShownResult::Api { id, results, with_assumptions: false },
            not_found: Box::new(not_found),
        })
    }
}
