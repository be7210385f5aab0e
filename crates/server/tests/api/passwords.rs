use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Auth, spawn_app};

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
                assert_eq!(
                    problem["errors"],
                    json!([{"pointer": "/password", "detail": message}]),
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
