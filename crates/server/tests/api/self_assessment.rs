//! `GET|PUT /api/me/self-assessment`: a candidate's own ratings, versioned
//! with optimistic concurrency, checked against the catalogue.

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{Auth, Login, TestApp, spawn_app};

const URI: &str = "/api/me/self-assessment";

async fn candidate_account(app: &TestApp, admin: &Login, username: &str, number: &str) -> Login {
    let body = json!({"username": username, "password": "candidat-2027-secret", "role": "candidate",
                      "candidate_number": number});
    let answer = app.post_json("/api/users", &admin.bearer(), &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    app.login(username, "candidat-2027-secret").await
}

async fn put(app: &TestApp, auth: &Auth, body: &Value, if_match: Option<i64>) -> crate::support::Answer {
    app.send_with(Method::PUT, URI, auth, Some("application/json"), body.to_string().into_bytes(), if_match)
        .await
}

#[tokio::test]
async fn a_candidate_saves_their_own_ratings_and_stale_writes_are_refused() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let enrol = json!({"candidates": [
        {"number": "2027-001", "family_name": "Muster", "given_name": "Anna"},
        {"number": "2027-002", "family_name": "Exemple", "given_name": "Léa"}]});
    let answer = app.post_json(&format!("/api/sessions/{session}/candidates"), &admin.bearer(), &enrol).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    let anna = candidate_account(&app, &admin, "anna", "2027-001").await;
    let lea = candidate_account(&app, &admin, "lea", "2027-002").await;

    // Nothing saved yet: version 0.
    let first = app.get(URI, &anna.cookie()).await;
    assert_eq!(first.status, StatusCode::OK, "{:#}", first.body);
    assert_eq!(first.body["version"], 0);
    assert_eq!(first.body["ratings"], json!({}));
    assert_eq!(first.body["total"], 270);

    // The first write (no If-Match, or "0"), then writes naming the version read.
    let saved = put(&app, &anna.cookie(), &json!({"ratings": {"A1.p1": 4, "B2.k1": 1}}), None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.headers[header::ETAG], "\"1\"");
    assert_eq!(saved.body["rated"], 2);
    let second_device = put(&app, &anna.bearer(), &json!({"ratings": {"A1.p1": 1}}), Some(0)).await;
    second_device.problem(409, "a second first write");
    let saved =
        put(&app, &anna.bearer(), &json!({"ratings": {"A1.p1": 3, "B2.k1": 1, "E4.m1": 2}}), Some(1)).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body["version"], 2);
    // A device still at version 1 is refused; nothing is overwritten.
    put(&app, &anna.cookie(), &json!({"ratings": {}}), Some(1)).await.problem(409, "stale version");
    put(&app, &anna.cookie(), &json!({"ratings": {}}), None)
        .await
        .problem(409, "no If-Match on an existing one");
    let now = app.get(URI, &anna.cookie()).await;
    assert_eq!(now.body["ratings"], json!({"A1.p1": 3, "B2.k1": 1, "E4.m1": 2}));
    assert_eq!(now.headers[header::ETAG], "\"2\"");

    // Each candidate sees only their own.
    let other = app.get(URI, &lea.bearer()).await;
    assert_eq!(other.body["version"], 0);
    assert_eq!(other.body["ratings"], json!({}));

    // Bad input: every problem at once, with its pointer; nothing saved.
    let bad = put(
        &app,
        &anna.bearer(),
        &json!({"ratings": {"Z9.p1": 2, "A1.p1": 7, "A1.k1": "x", "a/b": 1}}),
        Some(2),
    )
    .await;
    let problem = bad.problem(422, "bad ratings");
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/ratings/A1.k1", "/ratings/A1.p1", "/ratings/Z9.p1", "/ratings/a~1b"]);
    put(&app, &anna.bearer(), &json!({"levels": {}}), Some(2)).await.problem(422, "no ratings");
    let malformed = app
        .send_with(Method::PUT, URI, &anna.bearer(), Some("application/json"), b"{".to_vec(), Some(2))
        .await;
    malformed.problem(400, "malformed JSON");
    let bad_version =
        app.send_with(Method::PUT, URI, &anna.bearer(), Some("application/json"), b"{}".to_vec(), None).await;
    assert!(bad_version.status.is_client_error());
    assert_eq!(app.get(URI, &anna.cookie()).await.body["version"], 2, "nothing saved by bad input");
}

#[tokio::test]
async fn only_logged_in_candidates_have_a_self_assessment() {
    let app = spawn_app();
    let admin = app.admin().await;
    let expert = app.expert().await;
    app.get(URI, &Auth::None).await.problem(401, "anonymous read");
    put(&app, &Auth::None, &json!({"ratings": {}}), None).await.problem(401, "anonymous write");
    app.get(URI, &expert.bearer()).await.problem(403, "an examiner");
    put(&app, &admin.bearer(), &json!({"ratings": {}}), None).await.problem(403, "the board");
    // A cookie write needs the CSRF token.
    let session = app.session(&admin).await;
    let enrol = json!({"candidates": [{"number": "2027-009", "family_name": "A", "given_name": "B"}]});
    app.post_json(&format!("/api/sessions/{session}/candidates"), &admin.bearer(), &enrol).await;
    let candidate = candidate_account(&app, &admin, "candidate-csrf", "2027-009").await;
    put(&app, &candidate.cookie_without_csrf(), &json!({"ratings": {}}), None)
        .await
        .problem(403, "no CSRF token");
}
