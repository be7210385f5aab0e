use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{Method, StatusCode};
use grille_server::SecondFactorPolicy;
use serde_json::{Value, json};
use totp_rs::{Builder, Secret, Totp};

use crate::support::{
    ADMIN_PASSWORD, Answer, Auth, EXPERT_PASSWORD, TestApp, config, spawn_app, spawn_app_with,
};

const STEP: u64 = 30;

/// Now, in Unix seconds, at least 8 s before the next 30-s step, so that a
/// test's codes stay within their window while it runs.
async fn early_in_a_step() -> u64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    if now % STEP > STEP - 8 {
        tokio::time::sleep(Duration::from_secs(STEP - now % STEP)).await;
        return SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    }
    now
}

fn totp(secret: &str) -> Totp {
    Builder::new().with_secret(Secret::try_from_base32(secret).unwrap()).build().unwrap()
}

/// The code of the step `offset` steps from `now`.
fn code(secret: &str, now: u64, offset: i64) -> String {
    totp(secret).generate(now.checked_add_signed(offset * STEP as i64).unwrap()).to_string()
}

/// A six-digit code that is none of the codes accepted around `now`.
fn wrong_code(secret: &str, now: u64) -> String {
    let taken: Vec<String> = (-1..=1).map(|offset| code(secret, now, offset)).collect();
    (0..).map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000)).find(|c| !taken.contains(c)).unwrap()
}

async fn login_with(app: &TestApp, username: &str, password: &str, code: Option<&str>) -> Answer {
    let mut body = json!({"username": username, "password": password});
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    app.post_json("/api/login", &Auth::None, &body).await
}

async fn delete_json(app: &TestApp, uri: &str, auth: &Auth, body: &Value) -> Answer {
    app.send(Method::DELETE, uri, auth, Some("application/json"), body.to_string().into_bytes()).await
}

/// Enrols `auth`'s user and confirms with the code of the step before
/// `now`; returns the secret and the recovery codes.
async fn enrol(app: &TestApp, auth: &Auth, username: &str, now: u64) -> (String, Vec<String>) {
    let answer = app.post_json("/api/me/totp", auth, &json!({})).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let secret = answer.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        answer.body["otpauth_uri"],
        format!("otpauth://totp/grille:{username}?secret={secret}&issuer=grille")
    );
    let codes: Vec<String> = answer.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let confirmed =
        app.post_json("/api/me/totp/confirm", auth, &json!({"code": code(&secret, now, -1)})).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:#}", confirmed.body);
    assert_eq!(confirmed.body["enabled"], true);
    (secret, codes)
}

#[tokio::test]
async fn enrolment_login_with_a_code_replay_recovery_codes_and_disabling() {
    let app = spawn_app();
    let now = early_in_a_step().await;
    let expert = app.expert().await;
    // Writes by cookie need the CSRF token, like every write.
    let answer = app.post_json("/api/me/totp", &expert.cookie_without_csrf(), &json!({})).await;
    assert_eq!(answer.problem(403, "csrf")["type"], "urn:grille:csrf");
    // Before confirmation, nothing changes at login.
    let answer = app.post_json("/api/me/totp", &expert.cookie(), &json!({})).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(login_with(&app, "expert", EXPERT_PASSWORD, None).await.status, StatusCode::OK);
    // A wrong first code does not confirm.
    let pending = answer.body["secret"].as_str().unwrap().to_owned();
    let wrong = app
        .post_json("/api/me/totp/confirm", &expert.bearer(), &json!({"code": wrong_code(&pending, now)}))
        .await;
    wrong.problem(422, "wrong confirmation code");
    // Enrolling again replaces the pending secret.
    let (secret, recovery) = enrol(&app, &expert.bearer(), "expert", now).await;
    assert_ne!(secret, pending);
    // Once confirmed, enrolling again is refused until it is turned off.
    app.post_json("/api/me/totp", &expert.bearer(), &json!({})).await.problem(409, "second enrolment");

    let answer = login_with(&app, "expert", EXPERT_PASSWORD, None).await;
    assert_eq!(answer.problem(401, "no code")["type"], "urn:grille:second-factor-required");
    assert!(answer.body.get("token").is_none());
    let answer = login_with(&app, "expert", EXPERT_PASSWORD, Some(&wrong_code(&secret, now))).await;
    assert_eq!(answer.problem(401, "wrong code")["type"], "urn:grille:second-factor-invalid");
    // A wrong password with a right code says nothing about the code.
    let answer = login_with(&app, "expert", "not-the-password", Some(&code(&secret, now, 0))).await;
    assert_eq!(answer.problem(401, "wrong password")["type"], "urn:grille:bad-credentials");

    let right = code(&secret, now, 0);
    let answer = login_with(&app, "expert", EXPERT_PASSWORD, Some(&right)).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    // The same code again, or the one of the step before: refused.
    for replay in [right.clone(), code(&secret, now, -1)] {
        let answer = login_with(&app, "expert", EXPERT_PASSWORD, Some(&replay)).await;
        assert_eq!(answer.problem(401, "replay")["type"], "urn:grille:second-factor-invalid");
    }
    // A recovery code works once, typed in capitals or without dashes.
    let typed = recovery[3].to_uppercase().replace('-', "");
    assert_eq!(login_with(&app, "expert", EXPERT_PASSWORD, Some(&typed)).await.status, StatusCode::OK);
    let answer = login_with(&app, "expert", EXPERT_PASSWORD, Some(&recovery[3])).await;
    assert_eq!(answer.problem(401, "recovery code reused")["type"], "urn:grille:second-factor-invalid");

    // The audit log says what happened, never the secret nor a code.
    let admin = app.admin().await;
    let audit = app.get("/api/audit?entity=user", &admin.bearer()).await;
    let text = audit.body.to_string();
    for action in ["user.totp.start", "user.totp.confirm", "user.totp.recovery_code"] {
        assert!(text.contains(action), "{action} in {text}");
    }
    assert!(!text.contains(&secret) && !text.contains(&recovery[0]) && !text.contains(&recovery[3]));

    // Turning it off takes a code; then the password alone is enough again.
    let session = app.expert_with_code(&recovery[0]).await;
    delete_json(&app, "/api/me/totp", &session, &json!({"code": "123"})).await.problem(422, "wrong code");
    let answer = delete_json(&app, "/api/me/totp", &session, &json!({"code": code(&secret, now, 1)})).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(answer.body["enabled"], false);
    assert_eq!(login_with(&app, "expert", EXPERT_PASSWORD, None).await.status, StatusCode::OK);
    delete_json(&app, "/api/me/totp", &session, &json!({"code": "123456"}))
        .await
        .problem(404, "nothing to turn off");
}

impl TestApp {
    async fn expert_with_code(&self, code: &str) -> Auth {
        let answer = login_with(self, "expert", EXPERT_PASSWORD, Some(code)).await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        Auth::Bearer(answer.body["token"].as_str().unwrap().to_owned())
    }
}

#[tokio::test]
async fn a_board_account_without_a_second_factor_may_only_enrol_one_when_it_is_required() {
    let app = spawn_app_with(grille_server::AppConfig {
        require_second_factor: SecondFactorPolicy::Board,
        ..config()
    });
    let now = early_in_a_step().await;
    let admin = app.admin().await;
    let answer = app.get("/api/users", &admin.bearer()).await;
    assert_eq!(answer.problem(403, "board route")["type"], "urn:grille:second-factor-setup-required");
    let answer = app.post_json("/api/sessions", &admin.cookie(), &json!({"name": "Automne 2027"})).await;
    assert_eq!(answer.problem(403, "board write")["type"], "urn:grille:second-factor-setup-required");
    assert_eq!(app.get("/api/me", &admin.bearer()).await.status, StatusCode::OK);
    // Another role is not concerned by the board's policy.
    let expert = app.expert().await;
    assert_eq!(app.get("/api/me/assignments", &expert.bearer()).await.status, StatusCode::OK);

    let (secret, _) = enrol(&app, &admin.cookie(), "admin", now).await;
    // The same session, now with its second factor: as usual.
    assert_eq!(app.get("/api/users", &admin.bearer()).await.status, StatusCode::OK);
    // While it is required, it cannot be turned off.
    let answer =
        delete_json(&app, "/api/me/totp", &admin.bearer(), &json!({"code": code(&secret, now, 0)})).await;
    answer.problem(403, "turning off a required second factor");
    let answer = login_with(&app, "admin", ADMIN_PASSWORD, Some(&code(&secret, now, 0))).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(app.post_json("/api/logout", &admin.bearer(), &json!({})).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_code_counts_in_the_login_throttle_like_a_wrong_password() {
    let app = spawn_app();
    let now = early_in_a_step().await;
    let expert = app.expert().await;
    let (secret, _) = enrol(&app, &expert.bearer(), "expert", now).await;
    // A missing code is not a guess: it is not counted.
    for _ in 0..4 {
        let answer = login_with(&app, "expert", EXPERT_PASSWORD, None).await;
        assert_eq!(answer.problem(401, "no code")["type"], "urn:grille:second-factor-required");
    }
    // Two free attempts, and the third sets the wait (see support::config).
    let wrong = wrong_code(&secret, now);
    for attempt in 0..3 {
        let answer = login_with(&app, "expert", EXPERT_PASSWORD, Some(&wrong)).await;
        assert_eq!(
            answer.problem(401, &format!("attempt {attempt}"))["type"],
            "urn:grille:second-factor-invalid"
        );
    }
    let answer = login_with(&app, "expert", EXPERT_PASSWORD, Some(&code(&secret, now, 0))).await;
    assert_eq!(answer.problem(429, "blocked")["type"], "urn:grille:too-many-attempts");
    assert!(answer.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn the_board_removes_a_lost_second_factor_and_sees_it_in_the_list_of_accounts() {
    let app = spawn_app();
    let now = early_in_a_step().await;
    let admin = app.admin().await.bearer();
    let expert = app.expert().await.bearer();
    let status = app.get("/api/me/totp", &expert).await;
    assert_eq!(status.body, json!({"enabled": false, "pending": false, "required": false}));
    let started = app.post_json("/api/me/totp", &expert, &json!({})).await;
    assert_eq!(started.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/me/totp", &expert).await.body,
        json!({"enabled": false, "pending": true, "required": false})
    );
    let secret = started.body["secret"].as_str().unwrap().to_owned();
    let confirmed =
        app.post_json("/api/me/totp/confirm", &expert, &json!({"code": code(&secret, now, -1)})).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:#}", confirmed.body);
    assert_eq!(
        app.get("/api/me/totp", &expert).await.body,
        json!({"enabled": true, "pending": false, "required": false})
    );

    // The board's list says who has a second factor and who logged in last.
    let listed = app.get("/api/users", &admin).await;
    let line = listed.body.as_array().unwrap().iter().find(|u| u["username"] == "expert").unwrap().clone();
    assert_eq!(line["second_factor"], true, "{line:#}");
    assert!(line["last_login_at"].as_str().is_some_and(|at| at.ends_with('Z')), "{line:#}");

    // Only the board removes it; then the expert's sessions are over and a
    // password alone logs in again.
    let uri = "/api/users/expert/totp";
    app.send(Method::DELETE, uri, &expert, None, Vec::new()).await.problem(403, "not the board");
    app.send(Method::DELETE, "/api/users/nobody/totp", &admin, None, Vec::new())
        .await
        .problem(404, "unknown");
    let removed = app.send(Method::DELETE, uri, &admin, None, Vec::new()).await;
    assert_eq!(removed.status, StatusCode::OK, "{:#}", removed.body);
    assert!(removed.body["ended"].as_u64().unwrap() >= 1);
    app.get("/api/me", &expert).await.problem(401, "sessions ended");
    let again = login_with(&app, "expert", EXPERT_PASSWORD, None).await;
    assert_eq!(again.status, StatusCode::OK, "{:#}", again.body);
    app.send(Method::DELETE, uri, &admin, None, Vec::new()).await.problem(404, "nothing left to remove");
    let audit = app.get("/api/audit?entity=user", &admin).await;
    assert!(audit.body.to_string().contains("user.totp.reset"), "{:#}", audit.body);
    assert!(!audit.body.to_string().contains(&secret), "the audit log never holds the secret");
}
