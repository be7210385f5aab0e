//! The account pages beyond creating one: the board disables and enables
//! accounts, changes a role, imports accounts from a CSV file (problems at
//! their line and column, then all created with temporary passwords shown
//! once); every user's security page shows the device of each session and
//! a QR code to enrol a second factor.

use axum::http::StatusCode;

use crate::support::{self, PASSWORD, app_with_board};

/// Form-encodes `pairs`.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| {
            let encoded: String = value
                .bytes()
                .map(|byte| match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (byte as char).to_string()
                    }
                    _ => format!("%{byte:02X}"),
                })
                .collect();
            format!("{name}={encoded}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The text between `from` and the next `to` in `body`.
fn between<'a>(body: &'a str, from: &str, to: &str) -> &'a str {
    let start = body.find(from).map(|index| index + from.len()).unwrap_or(body.len());
    let rest = &body[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_board_disables_enables_and_re_roles_accounts_in_the_pages() {
    let app = app_with_board();
    let (board, csrf) = app.login("commission", support::BOARD_PASSWORD).await.expect("the board logs in");
    let page = app.send("GET", "/board/users", &board, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // One's own account is not disabled or re-roled from this list.
    let own = between(&page.body, r#"<tr data-user="commission">"#, "</tr>");
    assert!(!own.contains("id=\"disable-commission\"") && own.contains("/account/security"), "{own}");
    assert!(page.body.contains(r#"id="disable-exp-01""#), "{}", page.body);
    assert!(!page.body.contains(" style="), "no inline style (CSP)");

    let (examiner, _) = app.login("exp-01", PASSWORD).await.expect("exp-01 logs in");
    let off = form(&[("csrf", &csrf), ("active", "false")]);
    let refused =
        app.send("POST", "/board/users/exp-01/active", &board, Some("csrf=wrong&active=false")).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER, "CSRF");
    let disabled = app.send("POST", "/board/users/exp-01/active", &board, Some(&off)).await;
    assert_eq!(disabled.location, "/board/users?done=disabled&user=exp-01", "{}", disabled.body);
    assert_eq!(
        app.send("GET", "/examiner", &examiner, None).await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    let login = app.post_login("exp-01", PASSWORD).await;
    assert_eq!(login.status, StatusCode::FORBIDDEN, "{}", login.body);
    assert!(login.body.contains("Ce compte est désactivé"), "{}", login.body);
    let page = app.send("GET", &disabled.location, &board, None).await;
    assert!(page.body.contains(r#"<tr data-user="exp-01" class="disabled">"#), "{}", page.body);
    assert!(page.body.contains("exp-01 désactivé"), "{}", page.body);
    let on = form(&[("csrf", &csrf), ("active", "true")]);
    let enabled = app.send("POST", "/board/users/exp-01/active", &board, Some(&on)).await;
    assert_eq!(enabled.location, "/board/users?done=enabled&user=exp-01");
    assert!(app.login("exp-01", PASSWORD).await.is_ok());

    // A role that does not fit the account is said on the list; one that
    // fits is saved.
    let trainer = form(&[("csrf", &csrf), ("role", "trainer")]);
    let refused = app.send("POST", "/board/users/exp-02/role", &board, Some(&trainer)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("exp-02 : ") && refused.body.contains("école"), "{}", refused.body);
    let admin = form(&[("csrf", &csrf), ("role", "admin")]);
    let changed = app.send("POST", "/board/users/exp-02/role", &board, Some(&admin)).await;
    assert_eq!(changed.location, "/board/users?done=role&user=exp-02", "{}", changed.body);
    let (new_board, _) = app.login("exp-02", PASSWORD).await.expect("exp-02 logs in");
    assert_eq!(app.send("GET", "/board/users", &new_board, None).await.status, StatusCode::OK);

    // Another role is refused every action.
    let (examiner, examiner_csrf) = app.login("exp-03", PASSWORD).await.expect("exp-03 logs in");
    let attempt = form(&[("csrf", &examiner_csrf), ("active", "false")]);
    let forbidden = app.send("POST", "/board/users/exp-01/active", &examiner, Some(&attempt)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // German.
    let german = app.send("GET", "/board/users?lang=de", &board, None).await;
    assert!(german.body.contains("Konten importieren") && german.body.contains("Konto deaktivieren"));
}

#[tokio::test]
async fn the_board_imports_accounts_from_a_file_with_a_preview_then_all_at_once() {
    let app = app_with_board();
    let (board, csrf) = app.login("commission", support::BOARD_PASSWORD).await.expect("the board logs in");
    let template = app.send("GET", "/board/users/template.csv", &board, None).await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.body.contains("utilisateur;role;numero;ecole"), "{}", template.body);

    let bad = "utilisateur;rôle;numéro\n\
               anna;expert·e;\n\
               anna;expert·e;\n\
               bob;chef;\n\
               c-1;candidat;2026-002\n\
               c-2;candidat;2026-002\n";
    let preview = app
        .send("POST", "/board/users/import/preview", &board, Some(&form(&[("csrf", &csrf), ("csv", bad)])))
        .await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    for (line, field) in [("3", "username"), ("4", "role"), ("6", "candidate_number")] {
        let marker = format!(r#"<tr data-line="{line}" data-field="{field}">"#);
        assert!(preview.body.contains(&marker), "{marker} in {}", preview.body);
    }
    assert!(preview.body.contains("<td>identifiant</td>"), "column named in the reader's language");
    assert!(preview.body.contains(r#"id="csv-form""#), "the file kept for correction");

    let good = "utilisateur;role;numero\nanna;expert;\nc-1;candidat;2026-002\n";
    let preview = app
        .send("POST", "/board/users/import/preview", &board, Some(&form(&[("csrf", &csrf), ("csv", good)])))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains(r#"id="csv-ready""#) && preview.body.contains(r#"id="csv-confirm-form""#));
    assert!(app.login("anna", "anything-at-all").await.is_err(), "a preview creates nothing");
    let forged = app.send("POST", "/board/users/import/confirm", &board, Some(&form(&[("csv", good)]))).await;
    assert_ne!(forged.status, StatusCode::CREATED, "CSRF");
    let done = app
        .send("POST", "/board/users/import/confirm", &board, Some(&form(&[("csrf", &csrf), ("csv", good)])))
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    let password = between(&done.body, r#"<tr data-user="anna">"#, "</tr>");
    let password = between(password, r#"<code class="temporary-password">"#, "</code>").to_owned();
    assert_eq!(password.len(), 19, "{}", done.body);
    assert!(app.login("anna", &password).await.is_ok(), "the temporary password logs in");
    // The list shows the candidate's number.
    let page = app.send("GET", "/board/users", &board, None).await;
    assert!(between(&page.body, r#"<tr data-user="c-1">"#, "</tr>").contains("2026-002"), "{}", page.body);
    // The same file again: refused at its lines, nothing more created.
    let again = app
        .send("POST", "/board/users/import/confirm", &board, Some(&form(&[("csrf", &csrf), ("csv", good)])))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);

    // Not the board: refused.
    let (examiner, examiner_csrf) = app.login("exp-01", PASSWORD).await.expect("exp-01 logs in");
    let refused = app
        .send(
            "POST",
            "/board/users/import/preview",
            &examiner,
            Some(&form(&[("csrf", &examiner_csrf), ("csv", good)])),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_security_page_names_each_device_and_draws_the_enrolment_as_a_qr_code() {
    let app = app_with_board();
    let (cookie, csrf) = app.login("exp-03", PASSWORD).await.expect("a login");
    let page = app.send("GET", "/account/security", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Appareil"), "{}", page.body);
    let started = app.send("POST", "/account/totp/start", &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert!(started.body.contains(r#"<svg class="totp-qr" role="img" aria-labelledby="totp-qr-caption""#));
    assert!(!started.body.contains("<?xml"), "no XML declaration inside HTML");
    assert!(started.body.contains(r#"id="totp-qr-caption""#));
    assert!(!started.body.contains(" style="), "no inline style (CSP)");
}

#[tokio::test]
async fn refusals_of_the_account_forms_are_said_in_the_readers_language() {
    let app = app_with_board();
    let (board, csrf) = app.login("commission", support::BOARD_PASSWORD).await.expect("the board logs in");
    // A role the form does not offer is said on the list, nothing sent.
    let create = form(&[
        ("csrf", &csrf),
        ("username", "exp-role"),
        ("role", "chef"),
        ("password", "Soleil-sur-le-Jura-2027"),
    ]);
    let refused = app.send("POST", "/board/users?lang=de", &board, Some(&create)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Unbekannte Rolle."), "{}", refused.body);
    assert!(refused.body.contains(r#"value="exp-role""#), "what was typed is kept");
    assert!(!refused.body.contains("Soleil-sur-le-Jura-2027"), "never a password");
    let role = form(&[("csrf", &csrf), ("role", "chef")]);
    let refused = app.send("POST", "/board/users/exp-02/role", &board, Some(&role)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("exp-02 : Rôle inconnu."), "{}", refused.body);

    // A stale form on the security page: the refusal page says why, in
    // the reader's language.
    let (cookie, _) = app.login("exp-03", PASSWORD).await.expect("a login");
    let stale = app.send("POST", "/account/totp/start?lang=de", &cookie, Some("csrf=wrong")).await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN, "{}", stale.body);
    assert!(stale.body.contains("Sicherheitstoken"), "{}", stale.body);
    let stale =
        app.send("POST", "/board/users/exp-02/active?lang=de", &board, Some("csrf=wrong&active=false")).await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN, "{}", stale.body);
    assert!(stale.body.contains("Sicherheitstoken"), "{}", stale.body);
}
