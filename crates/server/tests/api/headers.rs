//! The security headers and the cache policy of every kind of answer: API
//! JSON (anonymous, bearer, cookie), problems, a `304`, the OpenAPI
//! document, a CSV export, and what the pages fallback answers (a page, its
//! 404, a static asset). The real pages are checked the same way in
//! `crates/web/tests/pages/security_headers.rs`.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::Html;
use axum::routing::get;
use grille_server::headers::SECURITY_HEADERS;
use grille_server::{AppState, app_with_pages};
use serde_json::json;
use tower::ServiceExt as _;

use crate::support::{config, spawn_app};

/// A stand-in for the pages router: a page, a static asset with its own
/// caching, and a 404 page.
fn pages() -> Router {
    Router::new()
        .route("/", get(|| async { Html("<h1>accueil</h1>") }))
        .route(
            "/static/grille.css",
            get(|| async { ([(header::CACHE_CONTROL, "public, max-age=3600")], "body {}") }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, Html("<h1>page introuvable</h1>")) })
}

/// Who sends a request.
#[derive(Clone, Copy)]
enum Who {
    Nobody,
    Bearer,
    Cookie,
}

/// (method, path, who, If-None-Match, JSON body, status, Cache-Control exactly)
type Case<'a> = (Method, &'a str, Who, Option<&'a HeaderValue>, Option<&'a str>, u16, Option<&'a str>);

/// Asserts the security headers every answer must carry, whatever it is.
fn assert_security_headers(case: &str, headers: &HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        let sent: Vec<&HeaderValue> = headers.get_all(name).iter().collect();
        assert_eq!(sent, [value], "{case}: {name}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_its_cache_policy() {
    let test = spawn_app();
    let state = AppState::new(test.store.clone(), config()).expect("state");
    let seeded = state.clone();
    tokio::task::spawn_blocking(move || grille_server::seed_demo(&seeded)).await.unwrap().expect("demo");
    let router = app_with_pages(state, pages());
    let admin = test.admin().await;
    let sessions = test.store.exam_sessions().expect("sessions");
    let session =
        sessions.iter().find(|s| s.name == grille_server::DEMO_SESSION_NAME).expect("demo session").id;
    let catalogue =
        router.clone().oneshot(Request::get("/api/catalogue").body(Body::empty()).unwrap()).await.unwrap();
    let catalogue_tag = catalogue.headers()[header::ETAG].clone();
    let openapi =
        router.clone().oneshot(Request::get("/openapi.json").body(Body::empty()).unwrap()).await.unwrap();
    let openapi_tag = openapi.headers()[header::ETAG].clone();
    let results_csv = format!("/api/sessions/{session}/results/csv");
    let unknown_session = "/api/sessions/999999";
    let login = json!({"username": "admin", "password": crate::support::ADMIN_PASSWORD}).to_string();

    // (method, path, who, If-None-Match, JSON body, status, Cache-Control exactly)
    let cases: Vec<Case<'_>> = vec![
        // Public and immutable: revalidated, never no-store.
        (Method::GET, "/api/catalogue", Who::Nobody, None, None, 200, Some("no-cache")),
        (Method::GET, "/api/catalogue", Who::Bearer, None, None, 200, Some("no-cache")),
        (Method::GET, "/api/catalogue", Who::Nobody, Some(&catalogue_tag), None, 304, Some("no-cache")),
        (Method::GET, "/api/catalogue", Who::Cookie, Some(&catalogue_tag), None, 304, Some("no-cache")),
        (Method::GET, "/openapi.json", Who::Nobody, None, None, 200, Some("no-cache")),
        (Method::GET, "/openapi.json", Who::Nobody, Some(&openapi_tag), None, 304, Some("no-cache")),
        // Every other API answer, authenticated or not, success or problem.
        (Method::GET, "/api/catalogue/competences/A7", Who::Nobody, None, None, 200, Some("no-store")),
        (Method::DELETE, "/api/catalogue", Who::Nobody, None, None, 405, Some("no-store")),
        (Method::GET, "/api/me", Who::Bearer, None, None, 200, Some("no-store")),
        (Method::GET, "/api/me", Who::Cookie, None, None, 200, Some("no-store")),
        (Method::GET, "/api/sessions", Who::Bearer, None, None, 200, Some("no-store")),
        (Method::GET, "/api/sessions", Who::Nobody, None, None, 401, Some("no-store")),
        (Method::GET, unknown_session, Who::Bearer, None, None, 404, Some("no-store")),
        (Method::POST, "/api/sessions", Who::Bearer, None, Some(r#"{"name": 7}"#), 422, Some("no-store")),
        (Method::GET, "/api/ailleurs", Who::Nobody, None, None, 404, Some("no-store")),
        (Method::POST, "/api/login", Who::Nobody, None, Some(&login), 200, Some("no-store")),
        (Method::GET, &results_csv, Who::Bearer, None, None, 200, Some("no-store")),
        (Method::GET, &results_csv, Who::Cookie, None, None, 200, Some("no-store")),
        // Outside the API: the same for nobody, no-store with credentials.
        (Method::GET, "/health", Who::Nobody, None, None, 200, None),
        (Method::GET, "/health", Who::Bearer, None, None, 200, Some("no-store")),
        (Method::GET, "/", Who::Nobody, None, None, 200, None),
        (Method::GET, "/", Who::Cookie, None, None, 200, Some("no-store")),
        (Method::GET, "/ailleurs", Who::Nobody, None, None, 404, None),
        (Method::GET, "/ailleurs", Who::Cookie, None, None, 404, Some("no-store")),
        // A static asset keeps its own caching, whoever asks.
        (Method::GET, "/static/grille.css", Who::Nobody, None, None, 200, Some("public, max-age=3600")),
        (Method::GET, "/static/grille.css", Who::Cookie, None, None, 200, Some("public, max-age=3600")),
    ];
    for (method, path, who, if_none_match, body, status, cache_control) in cases {
        let case = format!(
            "{method} {path} ({})",
            match who {
                Who::Nobody => "nobody",
                Who::Bearer => "bearer",
                Who::Cookie => "cookie",
            }
        );
        let mut request = Request::builder().method(method).uri(path);
        match who {
            Who::Nobody => {}
            Who::Bearer => request = request.header(header::AUTHORIZATION, format!("Bearer {}", admin.token)),
            Who::Cookie => {
                request = request
                    .header(header::COOKIE, format!("lang=fr; grille_session={}", admin.token))
                    .header("x-csrf-token", &admin.csrf);
            }
        }
        if let Some(tag) = if_none_match {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(body.to_owned())
            }
            None => Body::empty(),
        };
        let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{case}");
        assert_security_headers(&case, response.headers());
        let sent: Vec<&str> =
            response.headers().get_all(header::CACHE_CONTROL).iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(sent, cache_control.into_iter().collect::<Vec<_>>(), "{case}: Cache-Control");
        if status == 304 {
            assert!(response.headers().contains_key(header::ETAG), "{case}: ETag");
        }
    }
}
