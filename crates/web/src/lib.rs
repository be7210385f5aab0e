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
//! browser) and `POST /self-assessment/results` (the profile). The
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

use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use grille_competence::Catalogue;
use grille_report::i18n::Language;
use grille_report::pages::{self, PageError};
use grille_report::self_assessment::Ratings;
use minijinja::Environment;

/// The script of the self-assessment page: saving in `localStorage`,
/// progress, export and import.
pub const SELF_ASSESSMENT_SCRIPT: &str = include_str!("../assets/self-assessment.js");

/// What the pages need: the catalogue and the template environment. Cheap
/// to clone.
#[derive(Clone)]
pub struct WebState {
    catalogue: Arc<Catalogue>,
    environment: Arc<Environment<'static>>,
}

impl WebState {
    /// The state for `catalogue`, with the templates of
    /// [`grille_report::pages::environment`].
    pub fn new(catalogue: Catalogue) -> WebState {
        WebState { catalogue: Arc::new(catalogue), environment: Arc::new(pages::environment()) }
    }

    /// The catalogue the pages show.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
}

/// The router of the HTML pages and their static assets.
pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/catalogue", get(catalogue))
        .route("/catalogue/{id}", get(competence))
        .route("/self-assessment", get(self_assessment))
        .route("/self-assessment/results", get(results_without_ratings).post(results))
        .route("/static/grille.css", get(stylesheet))
        .route("/static/self-assessment.js", get(script))
        .fallback(not_found)
        .with_state(state)
}

/// The language of a request: `?lang=xx` first (then remembered in a
/// cookie), then the `lang` cookie, then French.
#[derive(Debug, Clone, Copy)]
struct PageLanguage {
    language: Language,
    /// Whether the language was chosen in this request's query, so that
    /// the response remembers it.
    chosen_now: bool,
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
            return PageLanguage { language, chosen_now: true };
        }
        let from_cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|cookie| cookie.trim().split_once('='))
            .find(|(name, _)| *name == "lang")
            .and_then(|(_, value)| Language::parse(value));
        PageLanguage { language: from_cookie.unwrap_or(Language::Fr), chosen_now: false }
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

async fn home(State(state): State<WebState>, language: PageLanguage) -> Response {
    language.respond(StatusCode::OK, pages::home(&state.environment, &state.catalogue, language.language))
}

async fn catalogue(State(state): State<WebState>, language: PageLanguage) -> Response {
    language
        .respond(StatusCode::OK, pages::catalogue(&state.environment, &state.catalogue, language.language))
}

async fn competence(
    State(state): State<WebState>,
    language: PageLanguage,
    Path(id): Path<String>,
) -> Response {
    match pages::competence(&state.environment, &state.catalogue, &id, language.language) {
        Ok(Some(html)) => language.respond(StatusCode::OK, Ok(html)),
        Ok(None) => {
            language.respond(StatusCode::NOT_FOUND, pages::not_found(&state.environment, language.language))
        }
        Err(error) => language.respond(StatusCode::OK, Err(error)),
    }
}

async fn self_assessment(State(state): State<WebState>, language: PageLanguage) -> Response {
    language.respond(
        StatusCode::OK,
        pages::self_assessment(&state.environment, &state.catalogue, language.language),
    )
}

/// `POST /self-assessment/results`: the form's fields are criterion ids with
/// a level 1–4, plus `lang`. Unknown criteria and invalid levels are left
/// out of the profile rather than failing the page: the ratings come from
/// the candidate's own browser and may predate a catalogue correction.
async fn results(
    State(state): State<WebState>,
    language: PageLanguage,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let form_language =
        fields.iter().find(|(name, _)| name == "lang").and_then(|(_, value)| Language::parse(value));
    let language = PageLanguage { language: form_language.unwrap_or(language.language), chosen_now: false };
    let pairs =
        fields.iter().filter(|(name, _)| name != "lang").map(|(name, value)| (name.as_str(), value.as_str()));
    let (ratings, _problems) = Ratings::parse(&state.catalogue, pairs);
    language.respond(
        StatusCode::OK,
        pages::self_assessment_results(&state.environment, &state.catalogue, &ratings, language.language),
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

async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], grille_report::STYLESHEET)
}

async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SELF_ASSESSMENT_SCRIPT)
}

async fn not_found(State(state): State<WebState>, language: PageLanguage) -> Response {
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
    async fn assets_are_served_with_their_type() {
        for (uri, content_type) in [
            ("/static/grille.css", "text/css; charset=utf-8"),
            ("/static/self-assessment.js", "text/javascript; charset=utf-8"),
        ] {
            let (status, headers, body) = get(uri, None).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert_eq!(headers[header::CONTENT_TYPE], content_type);
            assert!(!body.is_empty());
        }
    }
}
