//! E-mail from the pages, over the demo app with an SMTP relay (the fake
//! one of the API tests): the board sets an examiner's address on the
//! accounts page, sends the reminders of the demo session from its
//! progress page (one examiner, then all: who had no address is said),
//! gives a temporary password shown once or e-mailed; a user sets their
//! own address on their security page.

use axum::http::StatusCode;
use grille_server::{AppConfig, PasswordCost};

use crate::relay::{decoded, fake_relay};
use crate::support::{App, PASSWORD, app_with};

const BOARD_PASSWORD: &str = "commission-secret-2026";

fn app_with_relay(port: u16) -> App {
    let mail =
        grille_server::mail::MailConfig::new(&format!("smtp://127.0.0.1:{port}"), "examens@example.ch");
    let config =
        AppConfig { password_cost: PasswordCost::TESTING, mail: Some(mail.unwrap()), ..AppConfig::default() };
    app_with(config, |state| {
        let password_hash =
            grille_server::auth::hash_password(BOARD_PASSWORD, PasswordCost::TESTING).unwrap();
        let user = grille_store::NewUser {
            username: "commission".into(),
            password_hash,
            role: grille_store::Role::Admin,
        };
        state.store().create_user(&grille_store::Actor::system(), &user).unwrap();
    })
}

/// The part of `body` from the element with `id` to the end of its line
/// block (enough to look inside one form or notice).
fn around<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("#{id} in {body}"));
    &body[start..(start + 900).min(body.len())]
}

#[tokio::test]
async fn the_board_emails_reminders_and_temporary_passwords_from_the_pages() {
    let (port, taken) = fake_relay("never@example.ch").await;
    let app = app_with_relay(port);
    let (cookie, csrf) =
        app.login("commission", BOARD_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));

    // An address on the accounts page; a bad one is refused and said.
    let users = app.send("GET", "/board/users", &cookie, None).await;
    assert!(users.body.contains(r#"id="email-exp-01""#), "{}", users.body);
    let bad = format!("csrf={csrf}&email=pas+une+adresse");
    let refused = app.send("POST", "/board/users/exp-01/email", &cookie, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("adresse électronique"), "{}", refused.body);
    let good = format!("csrf={csrf}&email=exp-one%40example.ch");
    let saved = app.send("POST", "/board/users/exp-01/email", &cookie, Some(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let users = app.send("GET", &saved.location, &cookie, None).await;
    assert!(users.body.contains(r#"value="exp-one@example.ch""#), "{}", users.body);
    assert!(users.body.contains("Adresse électronique de exp-01 enregistrée"), "{}", users.body);

    // The progress page offers to send: exp-01 has an address, the others not.
    let progress = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    assert_eq!(progress.status, StatusCode::OK, "{}", progress.body);
    assert!(progress.body.contains(r#"id="reminders-send-all""#), "{}", progress.body);
    assert!(progress.body.contains(r#"id="reminder-send-exp-01""#), "{}", progress.body);
    assert!(progress.body.contains(r#"id="reminder-no-address-exp-02""#), "{}", progress.body);
    let one = format!("csrf={csrf}&examiner=exp-01");
    let sent = app.send("POST", "/board/sessions/1/progress/reminders", &cookie, Some(&one)).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Rappel envoyé par courriel à : exp-01"), "{}", sent.body);
    {
        let messages = taken.lock().unwrap();
        assert_eq!((messages.len(), messages[0].to.as_str()), (1, "exp-one@example.ch"));
        let text = decoded(&messages[0].data);
        assert!(text.contains("Bonjour exp-01") && text.contains("2026-"), "{text}");
    }
    // All, in German: who has no address is said.
    let all = format!("csrf={csrf}");
    let sent = app.send("POST", "/board/sessions/1/progress/reminders?lang=de", &cookie, Some(&all)).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(
        sent.body.contains("Ohne E-Mail-Adresse (Nachricht kopieren): ") && sent.body.contains("exp-02"),
        "{}",
        sent.body
    );
    assert!(decoded(&taken.lock().unwrap()[1].data).contains("Guten Tag exp-01"));
    // Without the CSRF token nothing is sent.
    let forged = app.send("POST", "/board/sessions/1/progress/reminders", &cookie, Some("csrf=x")).await;
    assert_ne!(forged.status, StatusCode::OK);
    assert_eq!(taken.lock().unwrap().len(), 2);

    // A temporary password shown once on the page, never in an address.
    let show = format!("csrf={csrf}&delivery=show");
    let shown = app.send("POST", "/board/users/exp-02/password/temporary", &cookie, Some(&show)).await;
    assert_eq!((shown.status, shown.location.as_str()), (StatusCode::OK, ""), "{}", shown.body);
    let notice = around(&shown.body, "temporary-password");
    let password =
        notice.split("<code class=\"temporary-password\">").nth(1).unwrap().split('<').next().unwrap();
    assert_eq!(password.len(), 19, "{notice}");
    app.login("exp-02", password).await.unwrap_or_else(|a| panic!("the shown password logs in: {}", a.body));
    // E-mailed where the account has an address (the button is offered then).
    assert!(
        shown.body.contains(r#"id="temporary-email-exp-01""#)
            && !shown.body.contains(r#"id="temporary-email-exp-02""#)
    );
    let email = format!("csrf={csrf}&delivery=email");
    let mailed = app.send("POST", "/board/users/exp-01/password/temporary", &cookie, Some(&email)).await;
    assert_eq!(mailed.status, StatusCode::OK, "{}", mailed.body);
    assert!(mailed.body.contains("envoyé à exp-one@example.ch"), "{}", mailed.body);
    assert!(!mailed.body.contains(r#"id="temporary-password""#), "an e-mailed password is not shown");
    assert!(decoded(&taken.lock().unwrap()[2].data).contains("mot de passe provisoire"));
    // Without an address: refused on the page, nothing changes.
    let refused = app.send("POST", "/board/users/exp-03/password/temporary", &cookie, Some(&email)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("pas d&#x27;adresse électronique")
            || refused.body.contains("pas d'adresse électronique"),
        "{}",
        refused.body
    );
    app.login("exp-03", PASSWORD)
        .await
        .unwrap_or_else(|a| panic!("exp-03's password did not change: {}", a.body));
}

#[tokio::test]
async fn every_user_sets_their_own_address_on_their_security_page() {
    let (port, _taken) = fake_relay("never@example.ch").await;
    let app = app_with_relay(port);
    let (cookie, csrf) = app.login("exp-03", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let page = app.send("GET", "/account/security", &cookie, None).await;
    assert!(
        page.body.contains(r#"id="email-form""#)
            && page.body.contains(r#"id="own-email" name="email" value="""#)
    );
    let bad = format!("csrf={csrf}&email=exp-03");
    let refused = app.send("POST", "/account/email", &cookie, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let good = format!("csrf={csrf}&email=exp-three%40example.ch");
    let saved = app.send("POST", "/account/email", &cookie, Some(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.send("GET", &saved.location, &cookie, None).await;
    assert!(
        page.body.contains(r#"value="exp-three@example.ch""#)
            && page.body.contains("Adresse électronique enregistrée")
    );
    // An empty field removes it.
    let removed = app.send("POST", "/account/email", &cookie, Some(&format!("csrf={csrf}&email="))).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let page = app.send("GET", "/account/security", &cookie, None).await;
    assert!(page.body.contains(r#"id="own-email" name="email" value="""#), "{}", page.body);
}
