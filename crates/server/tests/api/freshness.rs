//! The server keeps parsed documents and each session's data and results
//! by the session's revision. These tests check the promise that makes
//! that safe: an answer never shows less than a write the server has
//! acknowledged before the request was sent, however many writes and
//! reads run at once.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use grille_scoring::embedded;
use serde_json::{Value, json};

use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example, send_json};

/// Every (candidate, position, examiner) of the worked example.
fn example_evaluations() -> Vec<(String, String, String, Value)> {
    let example = embedded::example_session().unwrap();
    let mut all = Vec::new();
    for candidate in &example.candidates {
        for scoring in &candidate.positions {
            for evaluation in &scoring.evaluations {
                all.push((
                    candidate.number.clone(),
                    scoring.position.clone(),
                    evaluation.examiner.clone(),
                    json!({"answers": evaluation.answers, "remark": evaluation.remark}),
                ));
            }
        }
    }
    all
}

/// The examiners listed as submitted for a position in the progress.
fn submitted_in(progress: &Value, number: &str, position: &str) -> BTreeSet<String> {
    progress["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|candidate| candidate["number"] == number)
        .flat_map(|candidate| candidate["positions"].as_array().unwrap().iter())
        .filter(|row| row["position"] == position)
        .flat_map(|row| row["submitted"].as_array().unwrap().iter())
        .map(|name| name.as_str().unwrap().to_owned())
        .collect()
}

/// One examiner's run on one evaluation: three drafts, each read back
/// through the examiner's own evaluation and the position list, then the
/// submission, read back through the board's progress and results.
async fn write_then_read(
    app: &TestApp,
    board: &Auth,
    session: i64,
    (number, position, examiner, final_body): (String, String, String, Value),
) {
    let login = app.login(&examiner, EXAMINER_PASSWORD).await.bearer();
    let base = position_uri(session, &number, &position);
    let mine = format!("{base}/evaluations/mine");
    let mut version = None;
    for round in 0..3 {
        let body = json!({"answers": [], "remark": format!("brouillon {round} de {examiner}")});
        let saved = send_json(app, Method::PUT, &mine, &login, &body, version).await;
        assert_eq!(saved.status, StatusCode::OK, "{mine}: {:#}", saved.body);
        let saved_version = saved.headers["etag"].to_str().unwrap().trim_matches('"').parse::<i64>().unwrap();
        let read = app.get(&mine, &login).await;
        assert_eq!(read.status, StatusCode::OK, "{mine}: {:#}", read.body);
        assert_eq!(read.body["version"], saved_version, "{mine}: the read is older than the write");
        assert_eq!(read.body["remark"], body["remark"], "{mine}");
        version = Some(saved_version);
    }
    let saved = send_json(app, Method::PUT, &mine, &login, &final_body, version).await;
    assert_eq!(saved.status, StatusCode::OK, "{mine}: {:#}", saved.body);
    let saved_version = saved.headers["etag"].to_str().unwrap().trim_matches('"').parse::<i64>().unwrap();
    let submitted = app
        .send_with(Method::POST, &format!("{mine}/submit"), &login, None, Vec::new(), Some(saved_version))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{mine}: {:#}", submitted.body);
    let progress = app.get(&format!("/api/sessions/{session}/progress"), board).await;
    assert_eq!(progress.status, StatusCode::OK, "{:#}", progress.body);
    assert!(
        submitted_in(&progress.body, &number, &position).contains(&examiner),
        "{examiner}'s submission of {number} {position} is missing from the progress read after it"
    );
    let results = app.get(&format!("/api/sessions/{session}/results"), board).await;
    assert_eq!(results.status, StatusCode::OK, "{:#}", results.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_answer_is_older_than_a_write_acknowledged_before_it() {
    let app = std::sync::Arc::new(spawn_app());
    let board = app.admin().await.bearer();
    let session = prepare_example(&app, &board).await;
    // Warm the caches, so that the runs below start from a kept snapshot.
    assert_eq!(app.get(&format!("/api/sessions/{session}/results"), &board).await.status, StatusCode::OK);
    let runs = example_evaluations().into_iter().map(|evaluation| {
        let (app, board) = (app.clone(), board.clone());
        tokio::spawn(async move { write_then_read(&app, &board, session, evaluation).await })
    });
    for run in runs.collect::<Vec<_>>() {
        run.await.unwrap();
    }
    // After every write: the progress lists every submission, and the
    // results read now equal the results of a fresh server on the same
    // data (nothing cached).
    let progress = app.get(&format!("/api/sessions/{session}/progress"), &board).await;
    for (number, position, examiner, _) in example_evaluations() {
        assert!(submitted_in(&progress.body, &number, &position).contains(&examiner), "{number} {position}");
    }
    let cached = app.get(&format!("/api/sessions/{session}/results"), &board).await;
    let fresh_app = app.reopened();
    let fresh_board = fresh_app.admin().await.bearer();
    let fresh = fresh_app.get(&format!("/api/sessions/{session}/results"), &fresh_board).await;
    assert_eq!(cached.body, fresh.body);
}

#[tokio::test]
async fn a_status_change_and_a_correction_show_at_once() {
    let app = spawn_app();
    let board = app.admin().await.bearer();
    let session = prepare_example(&app, &board).await;
    crate::workflow::score_example(&app, session).await;
    let results_uri = format!("/api/sessions/{session}/results");
    let outcome_of = |results: &Value, number: &str| {
        results["candidates"].as_array().unwrap().iter().find(|c| c["number"] == number).unwrap()["outcome"]
            .clone()
    };
    let before = app.get(&results_uri, &board).await;
    assert_ne!(outcome_of(&before.body, "2026-001"), "withdrawn");
    let changed = send_json(
        &app,
        Method::PUT,
        &format!("/api/sessions/{session}/candidates/2026-001/status"),
        &board,
        &json!({"status": "withdrawn_excused"}),
        None,
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{:#}", changed.body);
    let after = app.get(&results_uri, &board).await;
    assert_ne!(after.body, before.body, "the status change is in the next read");
    assert_ne!(outcome_of(&after.body, "2026-001"), outcome_of(&before.body, "2026-001"));
}

#[tokio::test]
async fn results_and_catalogue_answer_304_to_a_client_holding_them_and_200_after_a_change() {
    let app = spawn_app();
    let board = app.admin().await.bearer();
    let session = prepare_example(&app, &board).await;
    let uri = format!("/api/sessions/{session}/results");
    let first = app.get(&uri, &board).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers["etag"].to_str().unwrap().to_owned();
    let conditional = |tag: String| {
        let (app, board, uri) = (&app, board.clone(), uri.clone());
        async move {
            let mut request = axum::http::Request::get(&uri).header(axum::http::header::IF_NONE_MATCH, tag);
            if let Auth::Bearer(token) = &board {
                request = request.header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"));
            }
            use tower::ServiceExt as _;
            app.router.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap()
        }
    };
    let unchanged = conditional(tag.clone()).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    // Access is still checked before a 304: an examiner gets no answer.
    let examiner = app.login("expert", crate::support::EXPERT_PASSWORD).await.bearer();
    let refused = app.get(&uri, &examiner).await;
    assert!(refused.status.is_client_error(), "{:?}", refused.status);
    // A write changes the answer and its tag.
    let (number, position, examiner, body) = example_evaluations().remove(0);
    let login = app.login(&examiner, EXAMINER_PASSWORD).await.bearer();
    let base = position_uri(session, &number, &position);
    let saved = send_json(&app, Method::PUT, &format!("{base}/evaluations/mine"), &login, &body, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    let submitted = app
        .send_with(
            Method::POST,
            &format!("{base}/evaluations/mine/submit"),
            &login,
            None,
            Vec::new(),
            Some(1),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{:#}", submitted.body);
    let changed = conditional(tag.clone()).await;
    assert_eq!(changed.status(), StatusCode::OK, "a submitted evaluation changes the results");
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);

    let catalogue = app.get("/api/catalogue", &Auth::None).await;
    let tag = catalogue.headers["etag"].clone();
    let request = axum::http::Request::get("/api/catalogue")
        .header(axum::http::header::IF_NONE_MATCH, tag)
        .body(axum::body::Body::empty())
        .unwrap();
    use tower::ServiceExt as _;
    let again = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_form_carries_the_preview_of_its_saved_answers_as_the_preview_route_computes_it() {
    let app = spawn_app();
    let board = app.admin().await.bearer();
    let session = prepare_example(&app, &board).await;
    let (number, position, examiner, body) = example_evaluations().remove(0);
    let login = app.login(&examiner, EXAMINER_PASSWORD).await;
    let base = position_uri(session, &number, &position);
    let empty = app.get(&format!("{base}/form"), &login.bearer()).await;
    assert_eq!(empty.status, StatusCode::OK, "{:#}", empty.body);
    assert_eq!(empty.body["preview"]["answered"], 0);
    assert_eq!(empty.body["preview"]["grade"], Value::Null);
    let saved =
        send_json(&app, Method::PUT, &format!("{base}/evaluations/mine"), &login.bearer(), &body, None).await;
    assert_eq!(saved.status, StatusCode::OK);
    let form = app.get(&format!("{base}/form"), &login.bearer()).await;
    let preview = send_json(
        &app,
        Method::POST,
        &format!("{base}/evaluations/preview"),
        &login.cookie(),
        &json!({"answers": body["answers"]}),
        None,
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    assert_eq!(form.body["preview"], preview.body);
    assert_eq!(form.body["preview"]["complete"], true);
}
