use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Auth, Login, TestApp, config, spawn_app, spawn_app_with};

async fn sessions(app: &TestApp, login: &Login) -> Vec<Value> {
    let answer = app.get("/api/me/sessions", &login.bearer()).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    answer.body.as_array().unwrap().clone()
}

/// The id of `login`'s own session.
async fn own_id(app: &TestApp, login: &Login) -> i64 {
    let listed = sessions(app, login).await;
    let own: Vec<&Value> = listed.iter().filter(|session| session["current"] == true).collect();
    assert_eq!(own.len(), 1, "{listed:#?}");
    own[0]["id"].as_i64().unwrap()
}

async fn delete(app: &TestApp, uri: &str, auth: &Auth) -> crate::support::Answer {
    app.send(Method::DELETE, uri, auth, None, Vec::new()).await
}

async fn audit(app: &TestApp, admin: &Login, action: &str) -> Vec<Value> {
    let answer = app.get("/api/audit?entity=user", &admin.bearer()).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    answer.body.as_array().unwrap().iter().filter(|entry| entry["action"] == action).cloned().collect()
}

#[tokio::test]
async fn a_login_unused_for_longer_than_the_idle_timeout_ends() {
    let app = spawn_app_with(grille_server::AppConfig { idle_timeout: Duration::from_secs(1), ..config() });
    let expert = app.expert().await;
    assert_eq!(app.get("/api/me", &expert.bearer()).await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    app.get("/api/me", &expert.bearer()).await.problem(401, "idle, bearer");
    app.get("/api/me", &expert.cookie()).await.problem(401, "idle, cookie");
    // A new login is not idle.
    let again = app.expert().await;
    assert_eq!(app.get("/api/me", &again.bearer()).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_login_in_use_stays_open_past_the_idle_timeout() {
    // Idle after 4 s; the last use is noted when 2 s old.
    let app = spawn_app_with(grille_server::AppConfig { idle_timeout: Duration::from_secs(4), ..config() });
    let used = app.expert().await;
    let unused = app.expert().await;
    let opened = sessions(&app, &used).await;
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(app.get("/api/me", &used.bearer()).await.status, StatusCode::OK);
    let seen = sessions(&app, &used).await;
    let last_seen = |listed: &[Value], current: bool| {
        listed.iter().find(|s| s["current"] == current).unwrap()["last_seen_at"].as_str().unwrap().to_owned()
    };
    assert!(last_seen(&seen, true) > last_seen(&opened, true), "{opened:#?} {seen:#?}");
    assert_eq!(last_seen(&seen, false), last_seen(&opened, false), "the unused one is not touched");
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(app.get("/api/me", &used.bearer()).await.status, StatusCode::OK, "used 3 s ago");
    app.get("/api/me", &unused.bearer()).await.problem(401, "unused for 6 s");
    assert_eq!(sessions(&app, &used).await.len(), 1, "an idle session is not listed");
}

#[tokio::test]
async fn ones_sessions_are_listed_without_their_tokens() {
    let app = spawn_app();
    let laptop = app.expert().await;
    let phone = app.expert().await;
    let admin = app.admin().await;
    let listed = sessions(&app, &laptop).await;
    assert_eq!(listed.len(), 2, "{listed:#?}");
    for session in &listed {
        let mut keys: Vec<&str> = session.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["created_at", "current", "expires_at", "id", "last_seen_at", "user_agent"]);
        assert!(session["expires_at"].as_str().unwrap() > session["created_at"].as_str().unwrap());
    }
    let text = Value::Array(listed).to_string();
    for secret in [&laptop.token, &phone.token, &laptop.csrf, &phone.csrf] {
        assert!(!text.contains(secret.as_str()));
        assert!(!text.contains(&grille_store::sha256_hex(secret)));
    }
    let (laptop_id, phone_id) = (own_id(&app, &laptop).await, own_id(&app, &phone).await);
    assert_ne!(laptop_id, phone_id);
    // Another user's sessions are not listed.
    let admins = sessions(&app, &admin).await;
    assert_eq!(admins.len(), 1);
    assert!(admins[0]["id"] != laptop_id && admins[0]["id"] != phone_id);
    app.get("/api/me/sessions", &Auth::None).await.problem(401, "no login");
}

#[tokio::test]
async fn one_ends_ones_own_sessions_but_not_another_users() {
    let app = spawn_app();
    let laptop = app.expert().await;
    let phone = app.expert().await;
    let admin = app.admin().await;
    let phone_id = own_id(&app, &phone).await;
    let admin_id = own_id(&app, &admin).await;
    // Another user's session is not found, like one that never was.
    delete(&app, &format!("/api/me/sessions/{admin_id}"), &laptop.cookie()).await.problem(404, "admin's");
    delete(&app, "/api/me/sessions/999999", &laptop.cookie()).await.problem(404, "unknown");
    assert_eq!(app.get("/api/me", &admin.bearer()).await.status, StatusCode::OK);
    // A write: with the cookie, the CSRF token is needed.
    let uri = format!("/api/me/sessions/{phone_id}");
    delete(&app, &uri, &laptop.cookie_without_csrf()).await.problem(403, "no CSRF token");
    let ended = delete(&app, &uri, &laptop.cookie()).await;
    assert_eq!(ended.status, StatusCode::OK, "{:#}", ended.body);
    assert_eq!(ended.body, json!({"ended": 1}));
    app.get("/api/me", &phone.bearer()).await.problem(401, "the ended session");
    assert_eq!(app.get("/api/me", &laptop.bearer()).await.status, StatusCode::OK);
    delete(&app, &uri, &laptop.cookie()).await.problem(404, "ended already");
    let entries = audit(&app, &admin, "user.session.end").await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["actor"], "expert");
    assert_eq!(entries[0]["after"], json!({"session": phone_id}));
}

#[tokio::test]
async fn the_board_ends_every_session_of_a_user() {
    let app = spawn_app();
    let laptop = app.expert().await;
    let phone = app.expert().await;
    let admin = app.admin().await;
    delete(&app, "/api/users/admin/sessions", &laptop.bearer()).await.problem(403, "not the board");
    delete(&app, "/api/users/ghost/sessions", &admin.bearer()).await.problem(404, "unknown user");
    let ended = delete(&app, "/api/users/expert/sessions", &admin.cookie()).await;
    assert_eq!(ended.status, StatusCode::OK, "{:#}", ended.body);
    assert_eq!(ended.body, json!({"ended": 2}));
    for login in [&laptop, &phone] {
        app.get("/api/me", &login.bearer()).await.problem(401, "ended by the board");
    }
    assert_eq!(app.get("/api/me", &admin.bearer()).await.status, StatusCode::OK);
    let entries = audit(&app, &admin, "user.sessions.end").await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["actor"], "admin");
    assert_eq!(entries[0]["after"], json!({"sessions_ended": 2}));
    // The user logs in again as usual.
    app.expert().await;
}

#[tokio::test]
async fn the_board_gives_a_forgotten_password_a_new_one_and_every_session_ends() {
    let app = spawn_app();
    let laptop = app.expert().await;
    let admin = app.admin().await;
    let reset = |username: &str, password: &str, auth: Auth| {
        let uri = format!("/api/users/{username}/password");
        let body = json!({"new_password": password});
        let app = &app;
        async move {
            app.send(Method::PUT, &uri, &auth, Some("application/json"), body.to_string().into_bytes()).await
        }
    };
    let fresh = "Vert-Ardoise-Montagne-42";
    reset("admin", fresh, laptop.bearer()).await.problem(403, "not the board");
    reset("ghost", fresh, admin.bearer()).await.problem(404, "unknown user");
    let weak = reset("expert", "password1234", admin.bearer()).await;
    let problem = weak.problem(422, "a common password");
    assert_eq!(problem["errors"][0]["pointer"], "/new_password");
    reset("expert", fresh, admin.cookie_without_csrf()).await.problem(403, "CSRF");
    let done = reset("expert", fresh, admin.cookie()).await;
    assert_eq!(done.status, StatusCode::OK, "{:#}", done.body);
    assert_eq!(done.body, json!({"reset": true, "sessions_ended": 1}));
    app.get("/api/me", &laptop.bearer()).await.problem(401, "the old session ended");
    // The old password no longer logs in, the new one does.
    let old = app
        .post_json(
            "/api/login",
            &Auth::None,
            &json!({"username": "expert", "password": crate::support::EXPERT_PASSWORD}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("expert", fresh).await.token.len(), 64);
    let entries = audit(&app, &admin, "user.password.reset").await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["actor"], "admin");
    assert!(!entries[0].to_string().contains(fresh), "the audit never holds a password");
}
