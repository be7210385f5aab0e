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
//! `-- RUNS`, default 30, `--only TEXT` to request only the pages
//! whose path contains TEXT, e.g. to profile one page alone, and
//! `--no-writes` to leave out the timed saves and submits that follow
//! the pages, so that a profile or a CPU count holds the pages alone).

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
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize =
        arguments.iter().filter_map(|argument| argument.parse().ok()).next().unwrap_or(30).max(1);
    let only: Option<String> = arguments
        .iter()
        .position(|argument| argument == "--only")
        .and_then(|at| arguments.get(at + 1))
        .cloned();
    let writes = !arguments.iter().any(|argument| argument == "--no-writes");
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
        let state_for_writes = state.clone();
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
            ("/board/sessions/1/exports", &board),
            ("/api/sessions/1/quality", &board),
            ("/board/sessions/1/quality", &board),
            ("/api/sessions/1/quality/csv?table=criteria", &board),
            ("/api/sessions/1/results/csv", &board),
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
        let wanted = |path: &str| only.as_deref().is_none_or(|only| path.contains(only));
        for (path, cookie) in pages.into_iter().filter(|(path, _)| wanted(path)) {
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
        if writes {
            write_round(&router, &state_for_writes, &examiner, &board, runs).await;
        }
    });
}

/// One answer per criterion of `rubric`, each at its highest level.
fn complete_answers(rubric: &grille_scoring::Rubric) -> serde_json::Value {
    let answers: Vec<serde_json::Value> = rubric
        .criteria
        .iter()
        .map(|criterion| {
            let points = criterion.levels.iter().map(|level| level.points).max().unwrap_or_default();
            serde_json::json!({"criterion": criterion.id, "points": points.to_string()})
        })
        .collect();
    serde_json::json!({"answers": answers, "remark": "banc d'essai"})
}

async fn send(
    router: &Router,
    method: &str,
    path: &str,
    cookie: &str,
    if_match: Option<i64>,
    body: Option<&serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(path).header(header::COOKIE, cookie);
    // The CSRF token is the value of the `grille_csrf` cookie.
    if let Some(token) = cookie.split("; ").find_map(|pair| pair.strip_prefix("grille_csrf=")) {
        request = request.header("x-csrf-token", token);
    }
    if let Some(version) = if_match {
        request = request.header(header::IF_MATCH, format!("\"{version}\""));
    }
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).expect("a request")).await.expect("an answer");
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

/// The examiner's write path through the API: save a complete draft, then
/// submit it; the board reopens it between rounds (not timed), so that
/// every round writes the same evaluation again.
async fn write_round(
    router: &Router,
    state: &grille_server::AppState,
    examiner: &str,
    board: &str,
    runs: usize,
) {
    let exam = state.pinned_exam(1).expect("the demo session's documents");
    let (_, position) = exam.blueprint.position("1.1").expect("position 1.1");
    let rubric = exam.rubrics.iter().find(|rubric| rubric.id == position.rubric).expect("its rubric");
    let body = complete_answers(rubric);
    let base = "/api/sessions/1/candidates/2026-006/positions/1.1/evaluations";
    let (mut saves, mut submits) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let (status, mine) = send(router, "GET", &format!("{base}/mine"), examiner, None, None).await;
        // No evaluation yet (404) before the first round: the save creates it.
        assert!(status == 200 || status == 404, "my evaluation: {status} {mine}");
        let version = mine["version"].as_i64();
        let start = Instant::now();
        let (status, saved) =
            send(router, "PUT", &format!("{base}/mine"), examiner, version, Some(&body)).await;
        saves.push(start.elapsed());
        assert!(status == 200 || status == 201, "save: {status} {saved}");
        let version = saved["version"].as_i64();
        let start = Instant::now();
        let (status, submitted) =
            send(router, "POST", &format!("{base}/mine/submit"), examiner, version, None).await;
        submits.push(start.elapsed());
        assert_eq!(status, 200, "submit: {submitted}");
        let version = submitted["version"].as_i64();
        let reason = serde_json::json!({"reason": "banc d'essai"});
        let (status, reopened) =
            send(router, "POST", &format!("{base}/exp-01/reopen"), board, version, Some(&reason)).await;
        assert_eq!(status, 200, "reopen: {reopened}");
    }
    for (label, mut times) in [("API save of a complete draft", saves), ("API submit", submits)] {
        times.sort();
        let percentile = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
        println!(
            "{:<58} {:>6} {:>8} {:>8} {:>8} {:>8}",
            label,
            200,
            milliseconds(times[0]),
            milliseconds(percentile(50)),
            milliseconds(percentile(95)),
            milliseconds(times[times.len() - 1]),
        );
    }
}
