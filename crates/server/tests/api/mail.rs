//! E-mail through an SMTP relay (the fake one of `relay.rs`). The
//! journeys: addresses set by the board and by the user themselves (bad ones refused with their pointer), reminders sent to the
//! examiners who owe something (each gets only their own list, in the
//! language asked), who has no address said, a refused recipient reported
//! without stopping the others, the audit entry naming usernames only;
//! temporary passwords shown once or e-mailed (and then usable, the old
//! one not); without a relay, 409 and nothing sent.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::relay::{decoded, fake_relay};
use crate::support::{Auth, TestApp, config, spawn_app, spawn_app_with};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, send_json};

async fn put(app: &TestApp, uri: &str, auth: &Auth, body: &Value) -> crate::support::Answer {
    send_json(app, Method::PUT, uri, auth, body, None).await
}

#[tokio::test]
async fn reminders_go_by_email_to_the_examiners_with_an_address() {
    let (port, taken) = fake_relay("exp-bounce@example.ch").await;
    let mail = grille_server::mail::MailConfig::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Commission d'examen <examens@example.ch>",
    )
    .unwrap();
    let app = spawn_app_with(grille_server::AppConfig { mail: Some(mail), ..config() });
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;

    // Who owes what: every examiner of the example, nothing submitted yet.
    let reminders = app.get(&format!("/api/sessions/{id}/reminders"), &admin).await;
    assert_eq!(reminders.status, StatusCode::OK, "{:#}", reminders.body);
    assert_eq!(reminders.body["mail"], true);
    let examiners: Vec<String> = reminders.body["examiners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reminder| reminder["examiner"].as_str().unwrap().to_owned())
        .collect();
    assert!(examiners.len() >= 3, "{examiners:?}");
    assert!(reminders.body["examiners"].as_array().unwrap().iter().all(|r| r["has_email"] == false));

    // Addresses: the board sets two, one examiner their own; bad ones are
    // refused with their pointer and change nothing.
    let (first, second, third) = (&examiners[0], &examiners[1], &examiners[2]);
    let set =
        put(&app, &format!("/api/users/{first}/email"), &admin, &json!({"email": "exp-one@example.ch"}))
            .await;
    assert_eq!(set.status, StatusCode::OK, "{:#}", set.body);
    let bounce = json!({"email": "exp-bounce@example.ch"});
    assert_eq!(
        put(&app, &format!("/api/users/{second}/email"), &admin, &bounce).await.status,
        StatusCode::OK
    );
    for bad in ["pas une adresse", "a@b", "anna muster@example.ch"] {
        let refused = put(&app, &format!("/api/users/{third}/email"), &admin, &json!({"email": bad})).await;
        assert_eq!(refused.problem(422, bad)["errors"][0]["pointer"], "/email");
    }
    let examiner = app.login(third, EXAMINER_PASSWORD).await.bearer();
    let refused =
        put(&app, &format!("/api/users/{first}/email"), &examiner, &json!({"email": "x@example.ch"})).await;
    refused.problem(403, "an examiner sets no one else's address");
    let own = put(&app, "/api/me/email", &examiner, &json!({"email": " exp-three@example.ch "})).await;
    assert_eq!((own.status, own.body["email"].as_str()), (StatusCode::OK, Some("exp-three@example.ch")));
    assert_eq!(app.get("/api/me/email", &examiner).await.body["email"], "exp-three@example.ch");
    let listed = app.get("/api/users", &admin).await;
    let row = listed.body.as_array().unwrap().iter().find(|user| user["username"] == *first).unwrap();
    assert_eq!(row["email"], "exp-one@example.ch");

    // Bad requests: an unknown examiner, an unknown language; only the board.
    let send = format!("/api/sessions/{id}/reminders/send");
    let unknown = app.post_json(&send, &admin, &json!({"examiners": ["nobody"]})).await;
    assert_eq!(unknown.problem(422, "unknown examiner")["errors"][0]["pointer"], "/examiners/0");
    let language = app.post_json(&send, &admin, &json!({"language": "en"})).await;
    assert_eq!(language.problem(422, "language")["errors"][0]["pointer"], "/language");
    app.post_json(&send, &examiner, &json!({})).await.problem(403, "an examiner sends no reminders");
    assert!(taken.lock().unwrap().is_empty());

    // Everyone, in German: the two with a good address get their own list,
    // the refused recipient is reported, the others have no address.
    let sent = app.post_json(&send, &admin, &json!({"language": "de"})).await;
    assert_eq!(sent.status, StatusCode::OK, "{:#}", sent.body);
    let names = |key: &str| -> Vec<String> {
        sent.body[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    };
    let mut reached = names("sent");
    reached.sort();
    let mut expected = vec![first.clone(), third.clone()];
    expected.sort();
    assert_eq!(reached, expected, "{:#}", sent.body);
    assert_eq!(sent.body["failed"][0]["examiner"], *second);
    assert!(sent.body["failed"][0]["reason"].as_str().unwrap().contains("550"), "{:#}", sent.body);
    assert_eq!(names("without_address").len(), examiners.len() - 3);
    let messages = taken.lock().unwrap().clone();
    assert_eq!(messages.len(), 2);
    let to_first = messages.iter().find(|m| m.to == "exp-one@example.ch").unwrap();
    assert!(to_first.data.contains("From: =?utf-8?") || to_first.data.contains("examens@example.ch"));
    let text = decoded(&to_first.data);
    assert!(text.contains(&format!("Guten Tag {first}")) && text.contains("Démo API"), "{text}");
    assert!(text.contains("Bewertung noch nicht begonnen"), "{text}");
    assert!(!text.contains(&format!("Guten Tag {third}")), "each gets only their own list");

    // One examiner only.
    let one = app.post_json(&send, &admin, &json!({"examiners": [first]})).await;
    assert_eq!(one.body["sent"], json!([first]));
    assert_eq!(taken.lock().unwrap().len(), 3);

    // The audit log names who was reached, never an address.
    let audit = app.get("/api/audit?entity=exam_session", &admin).await;
    let text = audit.body.to_string();
    assert!(text.contains("session.reminders") && !text.contains("exp-one@example.ch"), "{text}");
    let users = app.get("/api/audit?entity=user", &admin).await.body.to_string();
    assert!(users.contains("user.email") && !users.contains("exp-three@example.ch"), "{users}");
}

#[tokio::test]
async fn without_a_relay_reminders_are_read_but_not_sent() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let reminders = app.get(&format!("/api/sessions/{id}/reminders"), &admin).await;
    assert_eq!(reminders.body["mail"], false);
    let sent = app.post_json(&format!("/api/sessions/{id}/reminders/send"), &admin, &json!({})).await;
    assert!(sent.problem(409, "no relay")["detail"].as_str().unwrap().contains("SMTP"));
    let email = json!({"delivery": "email"});
    let temporary = app.post_json("/api/users/exp-01/password/temporary", &admin, &email).await;
    assert!(temporary.problem(409, "no relay")["detail"].as_str().unwrap().contains("SMTP"));
}

#[tokio::test]
async fn a_temporary_password_is_shown_once_or_emailed() {
    let (port, taken) = fake_relay("nobody-here@example.ch").await;
    let mail =
        grille_server::mail::MailConfig::new(&format!("smtp://127.0.0.1:{port}"), "examens@example.ch")
            .unwrap();
    let app = spawn_app_with(grille_server::AppConfig { mail: Some(mail), ..config() });
    let admin = app.admin().await.bearer();
    prepare_example(&app, &admin).await;
    let uri = "/api/users/exp-01/password/temporary";

    // Shown: a 16-character password that logs in; the old one no longer does.
    let shown = app.post_json(uri, &admin, &json!({"delivery": "show"})).await;
    assert_eq!(shown.status, StatusCode::OK, "{:#}", shown.body);
    let password = shown.body["password"].as_str().unwrap().to_owned();
    assert_eq!(
        (password.len(), shown.body["sent_to"].is_null()),
        (19, true),
        "four groups of four: {password}"
    );
    let old = app
        .post_json("/api/login", &Auth::None, &json!({"username": "exp-01", "password": EXAMINER_PASSWORD}))
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let examiner = app.login("exp-01", &password).await.bearer();

    // E-mailed: refused while the account has no address (nothing changes),
    // then sent to it in the language asked; the answer carries no password.
    app.post_json(uri, &admin, &json!({"delivery": "email"})).await.problem(409, "no address");
    assert_eq!(app.get("/api/me", &examiner).await.status, StatusCode::OK, "the password did not change");
    put(&app, "/api/users/exp-01/email", &admin, &json!({"email": "exp-one@example.ch"})).await;
    let sent = app.post_json(uri, &admin, &json!({"delivery": "email", "language": "de"})).await;
    assert_eq!(sent.status, StatusCode::OK, "{:#}", sent.body);
    assert_eq!(
        (sent.body["password"].is_null(), sent.body["sent_to"].as_str()),
        (true, Some("exp-one@example.ch"))
    );
    let message = taken.lock().unwrap().last().cloned().unwrap();
    assert_eq!(message.to, "exp-one@example.ch");
    let text = decoded(&message.data);
    assert!(text.contains("provisorisches Passwort") && text.contains("exp-01"), "{text}");
    let mailed = text.lines().map(str::trim).find(|line| line.len() == 19 && line.matches('-').count() == 3);
    let mailed = mailed.unwrap_or_else(|| panic!("the password is in the mail: {text}"));
    assert_eq!(app.get("/api/me", &examiner).await.status, StatusCode::UNAUTHORIZED, "sessions ended");
    app.login("exp-01", mailed).await;

    // A relay that refuses the recipient: 409, said; bad requests.
    put(&app, "/api/users/exp-02/email", &admin, &json!({"email": "nobody-here@example.ch"})).await;
    let refused =
        app.post_json("/api/users/exp-02/password/temporary", &admin, &json!({"delivery": "email"})).await;
    assert!(refused.problem(409, "relay refused")["detail"].as_str().unwrap().contains("550"));
    let bad = app.post_json(uri, &admin, &json!({"delivery": "pigeon"})).await;
    assert_eq!(bad.problem(422, "delivery")["errors"][0]["pointer"], "/delivery");
    app.post_json("/api/users/ghost/password/temporary", &admin, &json!({"delivery": "show"}))
        .await
        .problem(404, "unknown");
    let exp = app.login("exp-03", EXAMINER_PASSWORD).await.bearer();
    app.post_json(uri, &exp, &json!({"delivery": "show"})).await.problem(403, "examiner");
    // The audit log never carries a password.
    let audit = app.get("/api/audit?entity=user", &admin).await.body.to_string();
    assert!(audit.contains("user.password.reset") && !audit.contains(&password) && !audit.contains(mailed));
}
