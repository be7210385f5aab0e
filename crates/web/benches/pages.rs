//! How long each page takes to render on the demo data, in process.
//!
//! The issue asks that no page take longer than a blink on the demo data.
//! This builds the whole application as `grille serve --demo` does (API and
//! pages over a fresh SQLite store with the demonstration data), logs in
//! as the board, an examiner, a trainer and a candidate, then requests
//! every main page many times through the router (no socket, so the
//! figures are the server's own work: routing, the in-process API calls,
//! the store, scoring, rendering) and reports min, median, 95th percentile
//! and max per page, with the size of the HTML.
//!
//! Run with `cargo bench -p grille-web --bench pages` (optionally
//! `-- RUNS`, default 30).

#![allow(missing_docs)]

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

const DEMO_PASSWORD: &str = "demo-grille-2026";

async fn login(router: &Router, username: &str, password: &str) -> String {
    let body = serde_json::json!({"username": username, "password": password}).to_string();
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("a request");
    let response = router.clone().oneshot(request).await.expect("an answer");
    assert!(response.status().is_success(), "login {username}: {}", response.status());
    // Keep every cookie the login sets (session and CSRF), as a browser would.
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|cookie| cookie.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

async fn get(router: &Router, path: &str, cookie: &str) -> (u16, usize) {
    let mut request = Request::get(path);
    if !cookie.is_empty() {
        request = request.header(header::COOKIE, cookie);
    }
    let response =
        router.clone().oneshot(request.body(Body::empty()).expect("a request")).await.expect("an answer");
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    (status, bytes.len())
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn main() {
    let runs: usize =
        std::env::args().skip(1).filter_map(|argument| argument.parse().ok()).next().unwrap_or(30).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    runtime.expect("a runtime").block_on(async move {
        let dir = tempfile::tempdir().expect("a data folder");
        let store = grille_store::Store::open(&dir.path().join("grille.sqlite")).expect("the store");
        let config = grille_server::AppConfig {
            password_cost: grille_server::PasswordCost::TESTING,
            ..grille_server::AppConfig::default()
        };
        let state = grille_server::AppState::new(store, config).expect("the state");
        grille_server::seed_demo(&state).expect("the demo data");
        let hash =
            grille_server::auth::hash_password("bench-board-password", grille_server::PasswordCost::TESTING)
                .expect("a hash");
        let board = grille_store::NewUser {
            username: "bench-board".into(),
            password_hash: hash,
            role: grille_store::Role::Admin,
        };
        state.store().create_user(&grille_store::Actor::system(), &board).expect("the board account");
        let pages = grille_web::router(grille_web::WebState::with_app(state.clone()));
        let router = grille_server::app_with_pages(state, pages);

        let board = login(&router, "bench-board", "bench-board-password").await;
        let examiner = login(&router, "exp-01", DEMO_PASSWORD).await;
        let trainer = login(&router, "formatrice-demo", DEMO_PASSWORD).await;
        let candidate = login(&router, "candidat-demo", DEMO_PASSWORD).await;
        let pages: Vec<(&str, &str)> = vec![
            ("/", ""),
            ("/catalogue", ""),
            ("/catalogue/A7", ""),
            ("/self-assessment", ""),
            ("/demo/session", ""),
            ("/demo/session/statistics", ""),
            ("/demo/session/minutes", ""),
            ("/demo/candidates/2026-003/file", ""),
            ("/board", &board),
            ("/board/sessions/1", &board),
            ("/board/sessions/1/progress", &board),
            ("/board/sessions/1/results", &board),
            ("/board/sessions/1/results/statistics", &board),
            ("/board/sessions/1/candidates/2026-002/file", &board),
            ("/board/sessions/1/candidates/2026-002/audit", &board),
            ("/examiner", &examiner),
            ("/examiner/sessions/1/candidates/2026-006/positions/1.1", &examiner),
            ("/trainer", &trainer),
            ("/candidate", &candidate),
            ("/candidate/self-assessment", &candidate),
            ("/candidate/profile", &candidate),
        ];
        println!("{runs} requests per page, in process, demo data; times in ms");
        println!(
            "{:<58} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9}",
            "page", "status", "min", "median", "p95", "max", "bytes"
        );
        let mut slowest = Duration::ZERO;
        for (path, cookie) in pages {
            let mut times = Vec::with_capacity(runs);
            let mut answer = (0, 0);
            for _ in 0..runs {
                let start = Instant::now();
                answer = get(&router, path, cookie).await;
                times.push(start.elapsed());
            }
            times.sort();
            let percentile = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
            slowest = slowest.max(percentile(95));
            println!(
                "{:<58} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9}",
                path,
                answer.0,
                milliseconds(times[0]),
                milliseconds(percentile(50)),
                milliseconds(percentile(95)),
                milliseconds(times[times.len() - 1]),
                answer.1
            );
        }
        println!("slowest 95th percentile: {} ms", milliseconds(slowest));
    });
}
