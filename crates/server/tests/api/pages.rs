//! Serving the HTML pages beside the API: the API keeps its paths and its
//! problem documents, every other path goes to the pages.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::Html;
use axum::routing::get;
use grille_server::{AppState, app_with_pages};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use crate::support::{config, spawn_app};

fn pages() -> Router {
    Router::new()
        .route("/", get(|| async { Html("<h1>accueil</h1>") }))
        .fallback(|| async { (StatusCode::NOT_FOUND, Html("<h1>page introuvable</h1>")) })
}

#[tokio::test]
async fn api_paths_stay_with_the_api_and_the_rest_goes_to_the_pages() {
    let test = spawn_app();
    let state = AppState::new(test.store.clone(), config()).expect("state");
    let router = app_with_pages(state, pages());
    // (path, status, content type, a fragment of the body)
    let cases = [
        ("/", 200, "text/html", "accueil"),
        ("/ailleurs", 404, "text/html", "page introuvable"),
        ("/api/inconnu", 404, "application/problem+json", "Introuvable"),
        ("/api", 404, "application/problem+json", "Introuvable"),
        ("/health", 200, "application/json", "ok"),
        ("/api/catalogue/competences/A7", 200, "application/json", "A7"),
    ];
    for (path, status, content_type, fragment) in cases {
        let response =
            router.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.expect("answer");
        assert_eq!(response.status().as_u16(), status, "{path}");
        let actual_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(actual_type.starts_with(content_type), "{path}: {actual_type}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains(fragment), "{path}: {body}");
    }
}
