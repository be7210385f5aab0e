//! The HTML pages of grille, served by axum and rendered on the server with
//! the templates of [`grille_report`].
//!
//! The crate exposes one [`router`] over a small [`WebState`]; the server
//! crate merges it into its application (and will put authentication in
//! front of the pages that need it). Handlers are thin: they read the
//! request (language, form), call a page function of
//! [`grille_report::pages`] and wrap the HTML in a response.
//!
//! Pages: `/` (home), `/catalogue` and `/catalogue/{id}` (the competences),
//! `/self-assessment` (the candidate's self-assessment, kept in the
//! browser) and `POST /self-assessment/results` (the profile).
//!
//! With the server's API ([`WebState::with_app`]): `/login`, `/examiner`
//! (an examiner's or trainer's assignments), `/candidate` (a candidate's
//! published results, self-assessment saved on the server, self against
//! external assessment) and `/trainer` (a school's mock exams and their
//! class view).
//!
//! The worked example session, scored once when the state is built, is
//! public (fictitious data) and read-only: `/demo/session` (results table,
//! filters and sorting in the query), `/demo/session/statistics`,
//! `/demo/session/minutes`, `/demo/session/grade-sheets` (every sheet, one
//! per printed page), `/demo/candidates/{number}` (grade sheet) and
//! `/demo/candidates/{number}/file` (the full file for an appeal). The
//! pages are the pure functions of [`grille_report::exam`], which the
//! server will call the same way with stored results. The
//! interface language is French unless `?lang=de` is given, which is then
//! remembered in a `lang` cookie.
//!
//! ```no_run
//! # async fn serve() -> std::io::Result<()> {
//! let catalogue = grille_competence::Catalogue::embedded().expect("valid catalogue");
//! let app = grille_web::router(grille_web::WebState::new(catalogue));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

mod account;
mod api;
mod auth_pages;
mod board;
mod candidate;
mod cases;
mod class_grid;
mod conflicts;
mod documents;
mod examiner;
mod examiner_history;
mod page;
mod plans;
mod quality;
mod session_pages;
mod trainer;
mod what_if;

use std::sync::Arc;

use axum::Router;
use axum::extract::RawQuery;
use axum::extract::{Form, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use grille_competence::Catalogue;
use grille_report::exam::Links;
use grille_report::i18n::Language;
use grille_report::pages::{self, PageError};
use grille_report::self_assessment::Ratings;
use grille_scoring::embedded;
use grille_scoring::{ScoringInput, Session, SessionResult, score_session};
use minijinja::Environment;

/// The script of the anonymous self-assessment page: saving in
/// `localStorage`, beside [`SELF_ASSESSMENT_FORM_SCRIPT`].
pub const SELF_ASSESSMENT_SCRIPT: &str = include_str!("../assets/self-assessment.js");

/// What both self-assessment pages (anonymous and the candidate's) share,
/// served once and loaded before each page's own script: the ratings of
/// the form, progress, export and import.
pub const SELF_ASSESSMENT_FORM_SCRIPT: &str = include_str!("../assets/self-assessment-form.js");

/// What the pages need: the catalogue, the template environment and the
/// scored worked example. Cheap to clone.
#[derive(Clone)]
pub struct WebState {
    catalogue: Arc<Catalogue>,
    environment: Arc<Environment<'static>>,
    demo: Option<Arc<Demo>>,
    /// The federal exam's documents, checked once against the catalogue.
    shipped: Option<Arc<embedded::ExamDocuments>>,
    /// The server's API, called in-process by the login and examiner
    /// pages; `None` when the pages run without the server (those pages
    /// then answer 404).
    api: Option<api::Api>,
}

/// The worked example session with the documents it pins, scored once.
struct Demo {
    documents: Arc<embedded::ExamDocuments>,
    session: Session,
    result: Arc<SessionResult>,
    /// What the demo's pages keep of their rendering.
    kept: Arc<session_pages::KeptContents>,
}

impl Demo {
    /// Scores the embedded example against the embedded federal exam
    /// documents; `None` (and a message on stderr) if they do not fit
    /// `catalogue`, e.g. a custom catalogue.
    fn score(catalogue: &Catalogue) -> Option<Demo> {
        let documents = embedded::federal_exam(catalogue)
            .map_err(|problems| eprintln!("grille-web: demo documents unusable: {problems:?}"))
            .ok()?;
        let session = embedded::example_session()
            .map_err(|problems| eprintln!("grille-web: demo session unusable: {problems:?}"))
            .ok()?;
        let cases = embedded::example_cases(catalogue)
            .map_err(|problems| eprintln!("grille-web: demo cases unusable: {problems:?}"))
            .ok()?;
        let result = score_session(&ScoringInput {
            catalogue,
            scheme: &documents.scheme,
            blueprint: &documents.blueprint,
            rubrics: &documents.rubrics,
            cases: &cases,
            session: &session,
        })
        .map_err(|problems| eprintln!("grille-web: demo session not scored: {problems:?}"))
        .ok()?;
        Some(Demo { documents: Arc::new(documents), session, result: Arc::new(result), kept: Arc::default() })
    }
}

/// Where the demo pages live.
fn demo_links() -> Links {
    Links::new("/demo/session", "/demo/candidates")
}

impl WebState {
    /// The state for `catalogue`, with the templates of
    /// [`grille_report::pages::environment`] and the worked example
    /// session scored once (its pages answer 404 if the embedded exam
    /// documents do not fit `catalogue`).
    pub fn new(catalogue: Catalogue) -> WebState {
        let demo = Demo::score(&catalogue).map(Arc::new);
        let shipped = embedded::federal_exam(&catalogue).ok().map(Arc::new);
        WebState {
            catalogue: Arc::new(catalogue),
            environment: Arc::new(pages::environment()),
            demo,
            shipped,
            api: None,
        }
    }

    /// The state of the pages served beside the server's API: as
    /// [`WebState::new`] with the server's catalogue, plus the login and
    /// examiner pages, which call the API of `app` in-process with the
    /// browser's cookie (so that every access rule is the server's).
    pub fn with_app(app: grille_server::AppState) -> WebState {
        let mut state = WebState::new(app.catalogue().clone());
        state.api = Some(api::Api::new(app));
        state
    }

    /// The template environment of one request: the shared one with the
    /// request's `query` (kept by the language links) and `account`, who
    /// is logged in (shown in the header of every page).
    fn environment_for(
        &self,
        query: Option<&str>,
        account: Option<&auth_pages::Account>,
    ) -> Environment<'static> {
        let viewer = account.map(auth_pages::Account::viewer);
        pages::with_request(&self.environment, query, viewer.as_ref())
    }

    /// As [`WebState::environment_for`] for a page open to everyone: who is
    /// logged in is asked of the API when the browser has a session cookie.
    async fn public_environment(&self, query: Option<&str>, headers: &HeaderMap) -> Environment<'static> {
        let account = auth_pages::current_account(self, headers).await;
        self.environment_for(query, account.as_ref())
    }

    /// The catalogue the pages show.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
}

/// The router of the HTML pages and their static assets: each module's
/// own router, merged.
pub fn router(state: WebState) -> Router {
    Router::new()
        .merge(public_routes())
        .merge(auth_pages::router())
        .merge(account::router())
        .merge(examiner::router())
        .merge(conflicts::router())
        .merge(candidate::router())
        .merge(trainer::router())
        .merge(class_grid::router())
        .merge(plans::router())
        .merge(cases::router())
        .merge(documents::router())
        .merge(quality::router())
        .merge(what_if::router())
        .merge(examiner_history::router())
        .merge(board::routes())
        .merge(session_pages::router())
        .fallback(not_found)
        .with_state(state)
}

/// The public pages of this module and the shared static assets.
fn public_routes() -> Router<WebState> {
    Router::new()
        .route("/", get(home))
        .route("/catalogue", get(catalogue))
        .route("/catalogue/{id}", get(competence))
        .route("/self-assessment", get(self_assessment))
        .route("/self-assessment/results", get(results_without_ratings).post(results))
        .route("/static/grille.css", get(stylesheet))
        .route("/static/self-assessment.js", get(script))
        .route("/static/self-assessment-form.js", get(self_assessment_form_script))
        .route("/static/examiner.css", get(examiner_stylesheet))
        .route("/static/examiner.js", get(examiner_script))
        .route("/static/session-end.js", get(session_end_script))
        .route("/examiner/sw.js", get(examiner_service_worker))
}

/// The language of a request: `?lang=xx` first (then remembered in a
/// cookie), then the `lang` cookie, then French.
#[derive(Debug, Clone, Copy)]
struct PageLanguage {
    language: Language,
    /// Whether the language was chosen in this request's query, so that
    /// the response remembers it.
    chosen_now: bool,
    /// Whether the reader chose it (in the query or, earlier, with the
    /// language switch's cookie); otherwise a candidate's pages follow
    /// their exam language.
    explicit: bool,
}

impl PageLanguage {
    fn from_headers(query: Option<&str>, headers: &HeaderMap) -> PageLanguage {
        let from_query = query.and_then(|query| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| *name == "lang")
                .and_then(|(_, value)| Language::parse(value))
        });
        if let Some(language) = from_query {
            return PageLanguage { language, chosen_now: true, explicit: true };
        }
        let from_cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|cookie| cookie.trim().split_once('='))
            .find(|(name, _)| *name == "lang")
            .and_then(|(_, value)| Language::parse(value));
        PageLanguage {
            language: from_cookie.unwrap_or(Language::Fr),
            chosen_now: false,
            explicit: from_cookie.is_some(),
        }
    }

    /// An HTML response, remembering the language if it was just chosen.
    fn respond(self, status: StatusCode, page: Result<String, PageError>) -> Response {
        match page {
            Ok(html) => {
                let mut response = (status, Html(html)).into_response();
                if self.chosen_now {
                    let cookie =
                        format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", self.language.code());
                    if let Ok(value) = HeaderValue::from_str(&cookie) {
                        response.headers_mut().insert(header::SET_COOKIE, value);
                    }
                }
                response
            }
            Err(error) => {
                // A template or view bug: log the details, show none of them.
                eprintln!("grille-web: page rendering failed: {error:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, "Internal error / Interner Fehler").into_response()
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLanguage::from_headers(parts.uri.query(), &parts.headers))
    }
}

async fn home(
    State(state): State<WebState>,
    language: PageLanguage,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let environment = state.public_environment(query.as_deref(), &headers).await;
    language.respond(StatusCode::OK, pages::home(&environment, &state.catalogue, language.language))
}

async fn catalogue(
    State(state): State<WebState>,
    language: PageLanguage,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let environment = state.public_environment(query.as_deref(), &headers).await;
    language.respond(StatusCode::OK, pages::catalogue(&environment, &state.catalogue, language.language))
}

async fn competence(
    State(state): State<WebState>,
    language: PageLanguage,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let environment = state.public_environment(query.as_deref(), &headers).await;
    match pages::competence(&environment, &state.catalogue, &id, language.language) {
        Ok(Some(html)) => language.respond(StatusCode::OK, Ok(html)),
        Ok(None) => {
            language.respond(StatusCode::NOT_FOUND, pages::not_found(&environment, language.language))
        }
        Err(error) => language.respond(StatusCode::OK, Err(error)),
    }
}

async fn self_assessment(
    State(state): State<WebState>,
    language: PageLanguage,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let environment = state.public_environment(query.as_deref(), &headers).await;
    language
        .respond(StatusCode::OK, pages::self_assessment(&environment, &state.catalogue, language.language))
}

/// `POST /self-assessment/results`: the form's fields are criterion ids with
/// a level 1–4, plus `lang`. Unknown criteria and invalid levels are left
/// out of the profile rather than failing the page: the ratings come from
/// the candidate's own browser and may predate a catalogue correction.
async fn results(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let environment = state.public_environment(None, &headers).await;
    let form_language =
        fields.iter().find(|(name, _)| name == "lang").and_then(|(_, value)| Language::parse(value));
    let language = PageLanguage {
        language: form_language.unwrap_or(language.language),
        chosen_now: false,
        explicit: form_language.is_some() || language.explicit,
    };
    let pairs =
        fields.iter().filter(|(name, _)| name != "lang").map(|(name, value)| (name.as_str(), value.as_str()));
    let (ratings, _problems) = Ratings::parse(&state.catalogue, pairs);
    language.respond(
        StatusCode::OK,
        pages::self_assessment_results(&environment, &state.catalogue, &ratings, language.language),
    )
}

/// The results page has no state of its own: reached by a link (e.g. the
/// language switch), it sends the candidate back to the form, whose ratings
/// are in the browser.
async fn results_without_ratings(language: PageLanguage) -> Response {
    let mut response =
        Redirect::to(&format!("/self-assessment?lang={}", language.language.code())).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
}

/// Decoded `name=value` pairs of a query string (`+` is a space).
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte).to_digit(16).and_then(|digit| u8::try_from(digit).ok())
    }
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut index = 0;
        while index < bytes.len() {
            let escaped = (bytes[index] == b'%')
                .then(|| Some(hex(*bytes.get(index + 1)?)? * 16 + hex(*bytes.get(index + 2)?)?))
                .flatten();
            match (bytes[index], escaped) {
                (_, Some(byte)) => {
                    out.push(byte);
                    index += 2;
                }
                (b'+', None) => out.push(b' '),
                (byte, None) => out.push(byte),
            }
            index += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// A grade from the API's decimal string as the pages print it: one
/// decimal at least (`"5"` → `"5.0"`); text that is no number is kept.
pub(crate) fn grade_text(text: &str) -> String {
    pages::grade_filter(minijinja::Value::from(text)).to_string()
}

async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], grille_report::STYLESHEET)
}

async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SELF_ASSESSMENT_SCRIPT)
}

async fn self_assessment_form_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SELF_ASSESSMENT_FORM_SCRIPT)
}

/// The script of the scoring form: in-place saves through the API with
/// If-Match, a journal in `localStorage` until the server confirms, the
/// login dialog, the side-by-side conflict, live points and grade.
pub const EXAMINER_SCRIPT: &str = include_str!("../assets/examiner.js");

/// The service worker that keeps the examiner's opened pages for offline
/// use (network first).
pub const EXAMINER_SERVICE_WORKER: &str = include_str!("../assets/examiner-sw.js");

/// Shown with the login page: deletes the offline copies of the
/// examiner's pages.
pub const SESSION_END_SCRIPT: &str = include_str!("../assets/session-end.js");

/// Served under `/examiner/` so that its scope may cover the examiner's
/// pages; `Service-Worker-Allowed` lets it cover `/examiner` itself.
async fn examiner_service_worker() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::HeaderName::from_static("service-worker-allowed"), "/examiner"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        EXAMINER_SERVICE_WORKER,
    )
}

async fn session_end_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SESSION_END_SCRIPT)
}

async fn examiner_stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], grille_report::EXAMINER_STYLESHEET)
}

async fn examiner_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], EXAMINER_SCRIPT)
}

async fn not_found(State(state): State<WebState>, language: PageLanguage) -> Response {
    not_found_page(&state, language)
}

/// The 404 page.
fn not_found_page(state: &WebState, language: PageLanguage) -> Response {
    language.respond(StatusCode::NOT_FOUND, pages::not_found(&state.environment, language.language))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn app() -> Router {
        let catalogue =
            Catalogue::embedded().unwrap_or_else(|problems| panic!("embedded catalogue: {problems:?}"));
        router(WebState::new(catalogue))
    }

    async fn send(request: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    async fn get(uri: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap, String) {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        send(request.body(Body::empty()).unwrap()).await
    }

    #[tokio::test]
    async fn pages_answer_with_html_in_the_chosen_language() {
        for (uri, cookie, status, language, expected) in [
            ("/", None, 200, "fr", "Accueil"),
            ("/?lang=de", None, 200, "de", "Startseite"),
            ("/catalogue", Some("lang=de"), 200, "de", "Kompetenzkatalog"),
            ("/catalogue?lang=de", None, 200, "de", r#"href="/api/catalogue/export/moodle.csv?lang=de""#),
            ("/catalogue", None, 200, "fr", r#"href="/api/catalogue/export/case.json?lang=fr""#),
            ("/catalogue/a7", None, 200, "fr", "<span class=\"code\">A7</span> Aider le client"),
            ("/catalogue/Z9", None, 404, "fr", "Page introuvable"),
            ("/no/such/page?lang=de", None, 404, "de", "Seite nicht gefunden"),
            ("/self-assessment", None, 200, "fr", "pas encore"),
        ] {
            let (actual_status, _, body) = get(uri, cookie).await;
            assert_eq!(actual_status.as_u16(), status, "{uri}");
            assert!(body.contains(&format!(r#"<html lang="{language}">"#)), "{uri}: language");
            assert!(body.contains(expected), "{uri}: {expected:?} missing");
        }
    }

    #[tokio::test]
    async fn a_language_chosen_in_the_query_is_remembered_in_a_cookie() {
        let (_, headers, _) = get("/catalogue?lang=de", None).await;
        let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(cookie.starts_with("lang=de;"), "{cookie}");
        let (_, headers, _) = get("/catalogue", Some("lang=de")).await;
        assert!(headers.get(header::SET_COOKIE).is_none());
    }

    #[tokio::test]
    async fn results_render_the_posted_ratings() {
        let request = Request::post("/self-assessment/results")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("lang=de&A1.p1=4&A1.p2=2&B1.p1=1&Z9.p1=3&A1.k1=9"))
            .unwrap();
        let (status, _, body) = send(request).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(r#"<html lang="de">"#));
        assert!(body.contains("3 von "), "three valid ratings counted");
        assert!(body.contains(r#"class="chart radar""#));
    }

    #[tokio::test]
    async fn demo_pages_render_the_worked_example() {
        for (uri, status, expected) in [
            ("/demo/session", 200, "2026-003"),
            (
                "/demo/session?outcome=failed&below=any&sort=overall&order=desc",
                200,
                "2 candidat·e·s affiché·e·s sur 5",
            ),
            ("/demo/session?outcome=passed&open=1", 200, "0 candidat·e·s affiché·e·s sur 5"),
            ("/demo/session/statistics?lang=de", 200, "Erfolgsquote"),
            ("/demo/session/minutes", 200, "Procès-verbal de la séance d&#x27;attribution des notes"),
            ("/demo/session/grade-sheets", 200, "Bulletin de notes — candidat·e 2026-005"),
            ("/demo/candidates/2026-003", 200, "Voies de droit"),
            ("/demo/candidates/2026-002/file", 200, "Divergence réglée par une évaluation commune"),
            ("/demo/candidates/2026-999", 404, "Page introuvable"),
            ("/demo/candidates/2026-999/file?lang=de", 404, "Seite nicht gefunden"),
            ("/demo/candidates/%E2%82%AC%ZZ", 404, "Page introuvable"),
        ] {
            let (actual, _, body) = get(uri, None).await;
            assert_eq!(actual.as_u16(), status, "{uri}");
            assert!(body.contains(expected), "{uri}: {expected:?} missing");
        }
        let (_, _, home) = get("/", None).await;
        assert!(home.contains(r#"id="demo-link""#));
    }

    #[tokio::test]
    async fn italian_pages_are_italian_and_offer_every_language() {
        let (_, headers, body) = get("/catalogue?lang=it", None).await;
        assert!(body.contains(r#"<html lang="it">"#), "Italian pages are Italian");
        assert!(body.contains("Catalogo delle competenze operative"), "{body}");
        assert!(
            headers
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|cookie| cookie.to_str().unwrap_or("").starts_with("lang=it;"))
        );
        for code in ["fr", "de", "it"] {
            assert!(body.contains(&format!(r#"hreflang="{code}""#)), "a link to {code}");
        }
        let (_, _, body) = get("/demo/session?lang=it", None).await;
        assert!(body.contains(r#"<html lang="it">"#));
        assert!(body.contains("Risultati della sessione"));
    }

    #[tokio::test]
    async fn language_links_keep_the_other_query_parameters() {
        let (_, _, body) = get("/demo/session?outcome=failed&sort=overall&order=desc&lang=de", None).await;
        assert!(
            body.contains(r#"href="?outcome=failed&amp;sort=overall&amp;order=desc&amp;lang=fr""#),
            "{body}"
        );
        assert!(body.contains(r#"href="?outcome=failed&amp;sort=overall&amp;order=desc&amp;lang=de""#));
        let (_, _, body) = get("/catalogue", None).await;
        assert!(body.contains(r#"href="?lang=de""#));
    }

    #[tokio::test]
    async fn every_public_page_offers_the_login_when_logged_out() {
        for uri in [
            "/",
            "/catalogue",
            "/catalogue/A7",
            "/self-assessment",
            "/demo/session",
            "/demo/session/statistics",
            "/demo/candidates/2026-003",
            "/demo/candidates/2026-003/file",
        ] {
            let (_, _, body) = get(uri, None).await;
            assert!(body.contains(r#"<a href="/login" id="login-link">Se connecter</a>"#), "{uri}");
            assert!(!body.contains(r#"id="logout""#), "{uri}");
        }
        let (_, _, body) = get("/demo/session?lang=de", None).await;
        assert!(body.contains(r#"id="login-link">Anmelden</a>"#));
        // The demo pages are the worked example of the main navigation.
        assert!(body.contains(r#"<a href="/demo/session" aria-current="page">"#));
    }

    #[tokio::test]
    async fn german_pages_mark_french_content_and_say_so_once() {
        let (_, _, body) = get("/demo/session/statistics?lang=de", None).await;
        assert_eq!(body.matches(r#"id="language-note""#).count(), 1, "{body}");
        let (_, _, body) = get("/demo/session/statistics", None).await;
        assert!(!body.contains(r#"id="language-note""#));
    }

    #[test]
    fn grades_from_the_api_have_one_decimal_at_least() {
        for (text, shown) in [
            ("5", "5.0"),
            ("5.5", "5.5"),
            ("4.0", "4.0"),
            ("4.25", "4.25"),
            ("6", "6.0"),
            ("—", "—"),
            ("", ""),
        ] {
            assert_eq!(grade_text(text), shown, "{text:?}");
        }
    }

    #[test]
    fn query_pairs_are_decoded() {
        assert_eq!(
            query_pairs(Some("below=1.1&open=1&x=a%20b+c&bad=%ZZ%4&utf=%C3%A9")),
            vec![
                ("below".to_owned(), "1.1".to_owned()),
                ("open".to_owned(), "1".to_owned()),
                ("x".to_owned(), "a b c".to_owned()),
                ("bad".to_owned(), "%ZZ%4".to_owned()),
                ("utf".to_owned(), "é".to_owned()),
            ]
        );
        assert!(query_pairs(None).is_empty());
    }

    #[tokio::test]
    async fn assets_are_served_with_their_type() {
        for (uri, content_type) in [
            ("/static/grille.css", "text/css; charset=utf-8"),
            ("/static/self-assessment.js", "text/javascript; charset=utf-8"),
            ("/static/self-assessment-form.js", "text/javascript; charset=utf-8"),
        ] {
            let (status, headers, body) = get(uri, None).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert_eq!(headers[header::CONTENT_TYPE], content_type);
            assert!(!body.is_empty());
        }
    }
}
