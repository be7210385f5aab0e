use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{Answer, Auth, EXPERT_PASSWORD, spawn_app};

const SHORT: &str = "Le mot de passe doit compter au moins 12 caractères.";
const LONG: &str = "Le mot de passe doit compter au plus 128 caractères.";
const USERNAME: &str = "Le mot de passe ne doit pas reprendre le nom d'utilisateur.";
const COMMON: &str = "Ce mot de passe est trop courant ou trop facile à deviner. \
                      Choisissez-en un plus long ou moins prévisible, \
                      par exemple quelques mots sans rapport entre eux.";

/// A new user's password, and the message it gets (`None`: accepted).
struct Case {
    username: &'static str,
    password: String,
    refused: Option<&'static str>,
}

fn case(username: &'static str, password: impl Into<String>, refused: Option<&'static str>) -> Case {
    Case { username, password: password.into(), refused }
}

fn cases() -> Vec<Case> {
    vec![
        // Length, in characters of normal form C, not in bytes.
        case("anna", "", Some(SHORT)),
        case("anna", "court", Some(SHORT)),
        case("anna", "onze-carac!", Some(SHORT)),
        case("anna", "e\u{301}".repeat(6), Some(SHORT)),
        case("anna", "Kx9#mQ2vLr8p", None),
        case("anna", "été à Genève, 1291", None),
        case("anna", "soleil-lune-étoile", None),
        case("anna", "Marmotte-siffle-4-fois ".repeat(6)[..128].to_owned(), None),
        case("anna", "Marmotte-siffle-4-fois ".repeat(6)[..129].to_owned(), Some(LONG)),
        // The username, whatever the case; contained only from 4 characters.
        case("jean.dupont.1985", "JEAN.DUPONT.1985", Some(USERNAME)),
        case("anna", "Anna-Karenina-1877", Some(USERNAME)),
        case("marc", "lac-Marc-Léman-42", Some(USERNAME)),
        case("bob", "bobsleigh-lausanne-88", None),
        // Common, breached or easily guessed.
        case("anna", "password1234", Some(COMMON)),
        case("anna", "123456789012", Some(COMMON)),
        case("anna", "12345678901234567890", Some(COMMON)),
        case("anna", "azertyuiopqs", Some(COMMON)),
        case("anna", "qwertyuiop123", Some(COMMON)),
        case("anna", "iloveyou2026", Some(COMMON)),
        case("anna", "p@ssw0rd1234", Some(COMMON)),
        case("anna", "Password2026!", Some(COMMON)),
        case("anna", "aaaaaaaaaaaa", Some(COMMON)),
        // Accepted passphrases, and the demo password.
        case("anna", "correct horse battery staple", None),
        case("anna", "Trois pommes vertes sur la table", None),
        case("anna", grille_server::DEMO_PASSWORD, None),
    ]
}

#[tokio::test]
async fn new_passwords_follow_the_policy() {
    let app = spawn_app();
    let admin = app.admin().await;
    for (n, case) in cases().into_iter().enumerate() {
        // A fresh username per case, as long as the one of the case.
        let username = format!("{}{n}", case.username);
        let username = if case.refused == Some(USERNAME) { case.username.to_owned() } else { username };
        let body = json!({"username": username, "password": case.password, "role": "examiner"});
        let answer = app.post_json("/api/users", &admin.bearer(), &body).await;
        match case.refused {
            None => assert_eq!(answer.status, StatusCode::CREATED, "{:?}: {:#}", case.password, answer.body),
            Some(message) => {
                let problem = answer.problem(422, &case.password);
                // The French sentence as it always was, and its code.
                let code = match message {
                    SHORT => "password.too_short",
                    LONG => "password.too_long",
                    USERNAME => "password.has_username",
                    _ => "password.too_common",
                };
                assert_eq!(
                    problem["errors"],
                    json!([{"pointer": "/password", "detail": message, "code": code}]),
                    "{:?}",
                    case.password
                );
            }
        }
    }
}

#[tokio::test]
async fn a_password_logs_in_whatever_its_unicode_normalisation() {
    let app = spawn_app();
    let admin = app.admin().await;
    let composed = "mot de passe d\u{e9}j\u{e0} vu en \u{e9}t\u{e9}";
    let decomposed = "mot de passe de\u{301}ja\u{300} vu en e\u{301}te\u{301}";
    for (username, created, typed) in [("lea", composed, decomposed), ("noe", decomposed, composed)] {
        let body = json!({"username": username, "password": created, "role": "examiner"});
        let answer = app.post_json("/api/users", &admin.bearer(), &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
        app.login(username, typed).await;
        app.login(username, created).await;
    }
    let wrong = json!({"username": "lea", "password": "mot de passe deja vu en ete"});
    app.post_json("/api/login", &Auth::None, &wrong).await.problem(401, "without the accents");
}

const NEW_PASSWORD: &str = "Nouveau-mot-2027-lac";

fn change(current: &str, new: &str) -> Vec<u8> {
    json!({"current_password": current, "new_password": new}).to_string().into_bytes()
}

async fn put_password(app: &crate::support::TestApp, auth: &Auth, current: &str, new: &str) -> Answer {
    app.send(Method::PUT, "/api/me/password", auth, Some("application/json"), change(current, new)).await
}

#[tokio::test]
async fn changing_ones_password_ends_the_other_sessions_only() {
    let app = spawn_app();
    let laptop = app.expert().await;
    let phone = app.expert().await;
    let other_user = app.admin().await;
    let answer = put_password(&app, &laptop.cookie(), EXPERT_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(answer.body, json!({"changed": true, "other_sessions_ended": 1}));
    // The session that changed it goes on; the other one is over.
    assert_eq!(app.get("/api/me", &laptop.bearer()).await.status, StatusCode::OK);
    app.get("/api/me", &phone.bearer()).await.problem(401, "the other session");
    // Another user's session is not touched.
    assert_eq!(app.get("/api/me", &other_user.bearer()).await.status, StatusCode::OK);
    // The old password no longer logs in, the new one does.
    let old = json!({"username": "expert", "password": EXPERT_PASSWORD});
    app.post_json("/api/login", &Auth::None, &old).await.problem(401, "old password");
    app.login("expert", NEW_PASSWORD).await;
    // The audit log says it happened, without any password.
    let audit = app.get("/api/audit?entity=user", &other_user.bearer()).await;
    let entries = audit.body.as_array().unwrap();
    let entry = entries.iter().find(|entry| entry["action"] == "user.password").expect("an audit entry");
    assert_eq!(entry["actor"], "expert");
    assert_eq!(entry["after"], json!({"other_sessions_ended": 1}));
    let text = audit.body.to_string();
    assert!(!text.contains(NEW_PASSWORD) && !text.contains(EXPERT_PASSWORD) && !text.contains("argon2"));
}

#[tokio::test]
async fn a_wrong_current_password_is_refused_and_counted_as_a_failed_login() {
    let app = spawn_app();
    let expert = app.expert().await;
    // Two free attempts in the test configuration, then a wait.
    for attempt in ["wrong-1", "wrong-2", "wrong-3"] {
        let answer = put_password(&app, &expert.bearer(), attempt, NEW_PASSWORD).await;
        let problem = answer.problem(401, attempt);
        assert_eq!(problem["type"], "urn:grille:wrong-password");
        assert_eq!(problem["errors"][0]["pointer"], "/current_password");
    }
    put_password(&app, &expert.bearer(), EXPERT_PASSWORD, NEW_PASSWORD).await.problem(429, "blocked");
    let login = json!({"username": "expert", "password": EXPERT_PASSWORD});
    app.post_json("/api/login", &Auth::None, &login).await.problem(429, "the login is blocked too");
    // Nothing changed.
    assert_eq!(app.get("/api/me", &expert.bearer()).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_password_follows_the_policy() {
    let app = spawn_app();
    let expert = app.expert().await;
    let cases = [
        ("court".to_owned(), SHORT),
        ("Expert-du-jury-2027".to_owned(), USERNAME),
        ("password1234".to_owned(), COMMON),
        ("a".repeat(129), LONG),
    ];
    for (new, message) in cases {
        let answer = put_password(&app, &expert.bearer(), EXPERT_PASSWORD, &new).await;
        let problem = answer.problem(422, &new);
        assert_eq!(problem["errors"][0]["pointer"], "/new_password", "{new}");
        assert_eq!(problem["errors"][0]["detail"], message, "{new}");
        let code = problem["errors"][0]["code"].as_str().unwrap_or_default();
        assert!(code.starts_with("password."), "{new}: {problem:#}");
    }
    app.login("expert", EXPERT_PASSWORD).await;
}

#[tokio::test]
async fn changing_ones_password_needs_a_login_and_the_csrf_token() {
    let app = spawn_app();
    let expert = app.expert().await;
    put_password(&app, &Auth::None, EXPERT_PASSWORD, NEW_PASSWORD).await.problem(401, "no login");
    put_password(&app, &expert.cookie_without_csrf(), EXPERT_PASSWORD, NEW_PASSWORD)
        .await
        .problem(403, "cookie without the CSRF token");
    app.login("expert", EXPERT_PASSWORD).await;
    // With the token (and with a bearer token) it works.
    let answer = put_password(&app, &expert.cookie(), EXPERT_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let answer = put_password(&app, &expert.bearer(), NEW_PASSWORD, "Ancien-mot-2027-lac").await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(answer.body["other_sessions_ended"], 0);
}
