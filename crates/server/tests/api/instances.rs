//! Several server instances on one database behave as one: what is
//! written or ended through one is seen through the other, the login
//! throttle counts the guesses made through both, and a stale version is
//! refused whichever instance it reaches. On PostgreSQL each instance has
//! a pool of its own, as two `grille serve` processes would (the tests of
//! the top-level crate also run two real processes); on SQLite the two
//! share the store, as one process does. Also: PostgreSQL stopped under a
//! running server is answered 503 with `Retry-After`, and the server
//! recovers when it is back.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::support::{Auth, Backend, EXPERT_PASSWORD, TestApp, app_over, config, spawn_app_on};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example, send_json};

#[tokio::test]
async fn a_login_its_end_and_failed_logins_are_seen_by_every_instance() {
    for backend in Backend::all() {
        let one = spawn_app_on(backend);
        let two = one.second_instance();
        let admin = one.admin().await;
        for auth in [admin.bearer(), admin.cookie()] {
            let me = two.get("/api/me", &auth).await;
            assert_eq!(me.status, StatusCode::OK, "{backend:?}: {:#}", me.body);
            assert_eq!(me.body["username"], "admin", "{backend:?}");
        }
        let out = one.post_json("/api/logout", &admin.cookie(), &json!({})).await;
        assert_eq!(out.status, StatusCode::OK, "{backend:?}: {:#}", out.body);
        two.get("/api/me", &admin.bearer()).await.problem(401, "logged out through the other instance");
        // Two free attempts (test configuration), the third sets a wait:
        // guesses through one instance block the account on the other.
        for attempt in ["wrong-1", "wrong-2", "wrong-3"] {
            let body = json!({"username": "expert", "password": attempt});
            one.post_json("/api/login", &Auth::None, &body).await.problem(401, attempt);
        }
        let body = json!({"username": "expert", "password": EXPERT_PASSWORD});
        let blocked = two.post_json("/api/login", &Auth::None, &body).await;
        blocked.problem(429, "blocked on the other instance");
        let retry_after: u64 = blocked.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=30).contains(&retry_after), "{backend:?}: {retry_after}");
    }
}

#[tokio::test]
async fn writes_through_one_instance_are_read_through_the_other() {
    for backend in Backend::all() {
        let one = spawn_app_on(backend);
        let two = one.second_instance();
        let board_one = one.admin().await.bearer();
        let board_two = two.admin().await.bearer();
        let session = prepare_example(&one, &board_one).await;
        // The other instance keeps its own snapshot of the results.
        let results = format!("/api/sessions/{session}/results");
        let before = two.get(&results, &board_two).await;
        assert_eq!(before.status, StatusCode::OK, "{backend:?}: {:#}", before.body);
        // A draft written through one is read through the other, and a
        // write of the version it replaced is refused there.
        let examiner = one.login("exp-01", EXAMINER_PASSWORD).await.bearer();
        let mine = format!("{}/evaluations/mine", position_uri(session, "2026-001", "1.1"));
        let draft = |remark: &str| json!({"answers": [], "remark": remark});
        let first = send_json(&one, Method::PUT, &mine, &examiner, &draft("premier"), None).await;
        assert_eq!(first.status, StatusCode::OK, "{backend:?}: {:#}", first.body);
        let second = send_json(&one, Method::PUT, &mine, &examiner, &draft("second"), Some(1)).await;
        assert_eq!(second.status, StatusCode::OK, "{backend:?}: {:#}", second.body);
        let read = two.get(&mine, &examiner).await;
        assert_eq!((read.body["version"].clone(), read.body["remark"].clone()), (json!(2), json!("second")));
        let stale = send_json(&two, Method::PUT, &mine, &examiner, &draft("perdu"), Some(1)).await;
        stale.problem(409, "a stale version through the other instance");
        assert_eq!(stale.body["code"], "conflict.stale_version", "{backend:?}");
        // A change of a candidate's status through one instance shows in
        // the results the other answers next, as a fresh server computes
        // them.
        let changed = send_json(
            &one,
            Method::PUT,
            &format!("/api/sessions/{session}/candidates/2026-001/status"),
            &board_one,
            &json!({"status": "withdrawn_excused"}),
            None,
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{backend:?}: {:#}", changed.body);
        let after = two.get(&results, &board_two).await;
        assert_ne!(after.body, before.body, "{backend:?}: the other instance served its old results");
        let fresh = one.reopened();
        let fresh_board = fresh.admin().await.bearer();
        assert_eq!(after.body, fresh.get(&results, &fresh_board).await.body, "{backend:?}");
    }
}

/// A private PostgreSQL cluster of this test (`.ci/postgres`), stopped
/// and removed when dropped: the test stops and starts it, which the
/// cluster the other tests share must not see.
struct Cluster {
    dir: std::path::PathBuf,
}

const CLUSTER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.ci/postgres");

impl Cluster {
    fn run(&self, action: &str) -> String {
        let output = std::process::Command::new("bash")
            .args([CLUSTER_SCRIPT, action, self.dir.to_str().unwrap(), "5441"])
            .output()
            .expect(".ci/postgres runs");
        assert!(
            output.status.success(),
            ".ci/postgres {action}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .args([CLUSTER_SCRIPT, "stop", self.dir.to_str().unwrap()])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The problem of a database out of reach: 503, `Retry-After`, our type.
fn unavailable(answer: &crate::support::Answer, context: &str) {
    let problem = answer.problem(503, context);
    assert_eq!(problem["type"], "urn:grille:database-unavailable", "{context}: {problem:#}");
    let retry_after: u64 = answer.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!(retry_after >= 1, "{context}");
}

#[tokio::test]
async fn postgres_stopped_is_answered_503_and_the_server_recovers_when_it_is_back() {
    if crate::support::postgres_url().is_none() {
        // PostgreSQL is not installed here (the tests have no database).
        return;
    }
    // Under /tmp itself: the `postgres` account must reach the folder.
    let dir = std::env::temp_dir().join(format!("grille-outage-{}", std::process::id()));
    let cluster = Cluster { dir };
    let url = cluster.run("start");
    let app: TestApp = app_over(grille_store::Store::open_postgres(&url).expect("store"), config());
    let board = app.admin().await.bearer();
    let session = prepare_example(&app, &board).await;
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let mine = format!("{}/evaluations/mine", position_uri(session, "2026-001", "1.1"));
    let saved =
        send_json(&app, Method::PUT, &mine, &examiner, &json!({"answers": [], "remark": "avant"}), None)
            .await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);

    cluster.run("stop");
    unavailable(&app.get("/api/sessions", &board).await, "a read while PostgreSQL is down");
    let written = app.post_json("/api/sessions", &board, &json!({"name": "Pendant la panne"})).await;
    unavailable(&written, "a write while PostgreSQL is down");
    let draft = json!({"answers": [{"criterion": "c1", "points": "1"}], "remark": "pendant"});
    let saved = send_json(&app, Method::PUT, &mine, &examiner, &draft, Some(1)).await;
    unavailable(&saved, "an evaluation saved while PostgreSQL is down");
    let body = json!({"username": "admin", "password": crate::support::ADMIN_PASSWORD});
    unavailable(&app.post_json("/api/login", &Auth::None, &body).await, "a login while PostgreSQL is down");

    cluster.run("start");
    // The first request after the restart may still meet a connection
    // that broke with the old server (it is then dropped): the second
    // gets a new one.
    let mut answer = app.get("/api/sessions", &board).await;
    if answer.status == StatusCode::SERVICE_UNAVAILABLE {
        answer = app.get("/api/sessions", &board).await;
    }
    assert_eq!(answer.status, StatusCode::OK, "recovered without a restart: {:#}", answer.body);
    assert_eq!(answer.body.as_array().unwrap().len(), 1, "the refused write left nothing: {:#}", answer.body);
    let read = app.get(&mine, &examiner).await;
    assert_eq!((read.body["version"].clone(), read.body["remark"].clone()), (json!(1), json!("avant")));
    let saved = send_json(&app, Method::PUT, &mine, &examiner, &draft, Some(1)).await;
    assert_eq!(saved.status, StatusCode::OK, "saved once PostgreSQL is back: {:#}", saved.body);
    app.login("admin", crate::support::ADMIN_PASSWORD).await;
    app.store.close().unwrap();
}
