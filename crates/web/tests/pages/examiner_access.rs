//! Access to the login and examiner pages, over the app composed as
//! `grille serve --demo` composes it (API + pages over one state, demo
//! data in a temporary database), driven with `oneshot`: anonymous users
//! are sent to the login page and back, an examiner cannot open another
//! pair's candidate, a form post without the CSRF token is refused, a wrong
//! password and the login slowdown are said plainly.

use axum::http::StatusCode;

use crate::support::{self, PASSWORD, app};

#[tokio::test]
async fn anonymous_users_are_sent_to_the_login_and_back() {
    let app = app();
    for uri in ["/examiner", "/examiner/sessions/1/candidates/2026-006/positions/1.1", "/account"] {
        let answer = app.send("GET", uri, "", None).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(answer.location, format!("/login?next={uri}"), "{uri}");
    }
    let page = app.send("GET", "/login?next=/examiner", "", None).await;
    assert!(page.body.contains("Veuillez vous connecter"), "{}", page.body);
    // After the login, back where the examiner wanted to go.
    let form = app.send("GET", "/login", "", None).await;
    let login_cookie = form.cookies.iter().find(|c| c.starts_with("grille_login_csrf=")).unwrap().clone();
    let token = login_cookie.split_once('=').unwrap().1;
    let next = "/examiner/sessions/1/candidates/2026-006/positions/1.2";
    let body = format!("csrf={token}&next={next}&username=exp-01&password={PASSWORD}");
    let answer = app.send("POST", "/login", &login_cookie, Some(&body)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location, next);
    // An outside address is never followed.
    let body = format!("csrf={token}&next=//evil.example/&username=exp-01&password={PASSWORD}");
    let answer = app.send("POST", "/login", &login_cookie, Some(&body)).await;
    assert_eq!(answer.location, "/examiner");
}

#[tokio::test]
async fn an_examiner_cannot_open_another_pairs_candidate() {
    let app = app();
    let (cookie, _) = app.login("exp-03", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    // exp-03 scores part 2; part 1 of 2026-006 belongs to exp-01 and exp-02.
    for uri in [
        "/examiner/sessions/1/candidates/2026-006/positions/1.1",
        "/examiner/sessions/1/candidates/2026-001/positions/1.1/comparison",
    ] {
        let answer = app.send("GET", uri, &cookie, None).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(answer.body.contains("pas attribué·e"), "{}", answer.body);
    }
    let list = app.send("GET", "/examiner", &cookie, None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("2026-006"), "not exp-03's candidate");
    assert!(list.body.contains("2026-001"));
    // Unknown ids and path tricks are not found.
    let answer =
        app.send("GET", "/examiner/sessions/1/candidates/2026-001/positions/9.9", &cookie, None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn form_posts_without_the_csrf_token_are_refused() {
    let app = app();
    let (cookie, csrf) = app.login("exp-01", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let uri = "/examiner/sessions/1/candidates/2026-006/positions/1.1";
    for body in ["action=save&points-c1=2", "action=save&points-c1=2&csrf=wrong"] {
        let answer = app.send("POST", uri, &cookie, Some(body)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{body}");
        assert!(answer.body.contains("jeton de sécurité"), "{}", answer.body);
    }
    // With the token the draft is saved.
    let answer = app.send("POST", uri, &cookie, Some(&format!("action=save&points-c1=2&csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = app.send("GET", &answer.location, &cookie, None).await;
    assert!(page.body.contains(r#"value="2" checked"#), "{}", page.body);
    // Logging out needs the token too.
    let answer = app.send("POST", "/logout", &cookie, Some("csrf=")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = app.send("POST", "/logout", &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location, "/login?logged_out=1");
    // A login form posted without its own token is refused as well.
    let answer = app.send("POST", "/login", "", Some(&format!("username=exp-01&password={PASSWORD}"))).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn wrong_passwords_and_the_slowdown_are_explained() {
    let app = app();
    for _ in 0..2 {
        let answer = app.login("exp-01", "wrong-password").await.err().unwrap();
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.body.contains("Nom d&#x27;utilisateur ou mot de passe incorrect"), "{}", answer.body);
    }
    // The third failure blocks the account for a while: the page says how long.
    let _ = app.login("exp-01", "wrong-password").await.err().unwrap();
    let answer = app.login("exp-01", PASSWORD).await.err().unwrap();
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        answer.body.contains("Trop de tentatives pour ce compte. Réessayez dans 30 seconde(s)."),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn each_role_lands_on_its_home() {
    let app = app();
    let (cookie, _) = app.login("exp-02", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let account = app.send("GET", "/account", &cookie, None).await;
    assert_eq!(account.location, "/examiner");
    let list = app.send("GET", "/examiner", &cookie, None).await;
    assert!(list.body.contains(r#"<tr data-candidate="2026-006">"#), "{}", list.body);
    assert!(list.body.contains("à commencer"));
    assert!(list.body.contains(r#"id="logout""#));
}

/// Form-encodes `pairs` (the passwords may hold any character).
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

#[tokio::test]
async fn every_user_changes_their_own_password_in_the_pages() {
    let app = app();
    let (cookie, csrf) = app.login("exp-01", PASSWORD).await.expect("a login");
    let (other_device, _) = app.login("exp-01", PASSWORD).await.expect("a second login");
    // The link is in every signed-in page's header; the page has the form.
    let home = app.send("GET", "/examiner", &cookie, None).await;
    assert!(home.body.contains("href=\"/account/password\""), "{}", home.body);
    let page = app.send("GET", "/account/password", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"password-form\""), "{}", page.body);
    let german = app.send("GET", "/account/password?lang=de", &cookie, None).await;
    assert!(german.body.contains("Mein Passwort ändern"), "{}", german.body);
    let fresh = "Lac-Léman-à-l'aube-2027";
    let post = |pairs: Vec<(&'static str, String)>| {
        let body = form(&pairs.iter().map(|(name, value)| (*name, value.as_str())).collect::<Vec<_>>());
        let (app, cookie) = (&app, cookie.clone());
        async move { app.send("POST", "/account/password", &cookie, Some(&body)).await }
    };
    let entry = |current: &str, new: &str, confirm: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("current_password", current.to_owned()),
            ("new_password", new.to_owned()),
            ("confirm_password", confirm.to_owned()),
        ]
    };
    let mismatch = post(entry(PASSWORD, fresh, "autre-chose-encore")).await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch.body.contains("Les deux saisies du nouveau mot de passe diffèrent"),
        "{}",
        mismatch.body
    );
    let wrong = post(entry("pas-le-bon-mot-de-passe", fresh, fresh)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("Ce n&#x27;est pas votre mot de passe actuel")
            || wrong.body.contains("Ce n'est pas votre mot de passe actuel"),
        "{}",
        wrong.body
    );
    let weak = post(entry(PASSWORD, "password1234", "password1234")).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("id=\"new-error\""), "{}", weak.body);
    let mut no_csrf = entry(PASSWORD, fresh, fresh);
    no_csrf[0].1 = String::new();
    assert_eq!(post(no_csrf).await.status, StatusCode::FORBIDDEN);
    let done = post(entry(PASSWORD, fresh, fresh)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Mot de passe changé"), "{}", done.body);
    // The other device is signed out, this one goes on; the new password logs in.
    let elsewhere = app.send("GET", "/examiner", &other_device, None).await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
    assert_eq!(app.send("GET", "/examiner", &cookie, None).await.status, StatusCode::OK);
    assert!(app.login("exp-01", PASSWORD).await.is_err(), "the old password no longer works");
    assert!(app.login("exp-01", fresh).await.is_ok());
}

#[tokio::test]
async fn an_account_with_a_second_factor_logs_in_on_the_login_page_with_its_code() {
    use totp_rs::{Builder, Secret};
    let app = app();
    let (cookie, csrf) = app.login("exp-02", PASSWORD).await.expect("a login");
    let enrolled = app.send_json("POST", "/api/me/totp", &cookie, &csrf, "{}").await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    let answer: serde_json::Value = serde_json::from_str(&enrolled.body).unwrap();
    let secret = answer["secret"].as_str().unwrap().to_owned();
    let recovery = answer["recovery_codes"][0].as_str().unwrap().to_owned();
    let totp = Builder::new().with_secret(Secret::try_from_base32(&secret).unwrap()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    // Confirm with the previous step's code, so that the login below can use the current one.
    let confirm = format!(r#"{{"code": "{}"}}"#, totp.generate(now - 30));
    let confirmed = app.send_json("POST", "/api/me/totp/confirm", &cookie, &csrf, &confirm).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    // The login page has the code field; without a code the page asks for it.
    let page = app.send("GET", "/login", "", None).await;
    assert!(page.body.contains(r#"name="code""#), "{}", page.body);
    let without = app.post_login("exp-02", PASSWORD).await;
    assert_eq!(without.status, StatusCode::UNAUTHORIZED);
    assert!(without.body.contains("Ce compte a un second facteur"), "{}", without.body);
    // With a recovery code (each usable once), the login goes through.
    let form = app.send("GET", "/login", "", None).await;
    let login_cookie = form.cookies.iter().find(|c| c.starts_with("grille_login_csrf=")).unwrap().clone();
    let token = login_cookie.split_once('=').unwrap().1.to_owned();
    let body = format!("csrf={token}&next=&username=exp-02&password={PASSWORD}&code={recovery}");
    let answer = app.send("POST", "/login", &login_cookie, Some(&body)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let again = app.send("POST", "/login", &login_cookie, Some(&body)).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "a recovery code works once");
    assert!(again.body.contains("Code du second facteur incorrect"), "{}", again.body);
}

/// The text between `from` and the next `to` in `body`.
fn between<'a>(body: &'a str, from: &str, to: &str) -> &'a str {
    let start = body.find(from).map(|index| index + from.len()).unwrap_or(body.len());
    let rest = &body[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[tokio::test]
async fn every_user_sees_and_ends_their_sessions_and_turns_a_second_factor_on_and_off_in_the_pages() {
    use totp_rs::{Builder, Secret};
    let app = app();
    let (cookie, csrf) = app.login("exp-03", PASSWORD).await.expect("a login");
    let (other_device, _) = app.login("exp-03", PASSWORD).await.expect("a second login");
    let page = app.send("GET", "/account/security", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"id="account-security""#), "linked from the header");
    assert_eq!(page.body.matches("<tr data-session=").count(), 2, "{}", page.body);
    assert!(page.body.contains("cette session"));
    assert!(!page.body.contains(" UTC"), "Swiss time, not UTC");
    // Ending the others: the other device is signed out, this one goes on.
    let refused = app.send("POST", "/account/sessions/end-others", &cookie, Some("csrf=wrong")).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    let ended =
        app.send("POST", "/account/sessions/end-others", &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(ended.location, "/account/security?done=ended_others");
    assert_eq!(app.send("GET", "/examiner", &other_device, None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.send("GET", "/examiner", &cookie, None).await.status, StatusCode::OK);

    // The second factor: key, address and ten codes shown once; a wrong
    // first code is said at the field with the same key; the right one turns it on.
    let started = app.send("POST", "/account/totp/start", &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let secret = between(&started.body, r#"name="secret" value=""#, "\"").to_owned();
    assert!(secret.len() >= 32, "{secret}");
    assert_eq!(started.body.matches(r#"name="recovery_code""#).count(), 10);
    assert!(started.body.contains("otpauth:"), "{}", started.body);
    let totp = Builder::new().with_secret(Secret::try_from_base32(&secret).unwrap()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let carried: String = between(&started.body, "id=\"totp-confirm-form\"", "</form>")
        .split("name=\"recovery_code\" value=\"")
        .skip(1)
        .map(|rest| format!("&recovery_code={}", rest.split('"').next().unwrap()))
        .collect();
    let form = |code: &str| format!("csrf={csrf}&secret={secret}&otpauth_uri=x{carried}&code={code}");
    let wrong = app.send("POST", "/account/totp/confirm", &cookie, Some(&form("000000"))).await;
    let wrong = if totp.generate(now).to_string() == "000000" {
        app.send("POST", "/account/totp/confirm", &cookie, Some(&form("111111"))).await
    } else {
        wrong
    };
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains(r#"id="totp-code-error""#) && wrong.body.contains(&secret), "{}", wrong.body);
    let on = app
        .send("POST", "/account/totp/confirm", &cookie, Some(&form(&totp.generate(now - 30).to_string())))
        .await;
    assert_eq!(on.location, "/account/security?done=totp_on", "{}", on.body);
    let page = app.send("GET", "/account/security?done=totp_on", &cookie, None).await;
    assert!(page.body.contains("Second facteur activé") && page.body.contains(r#"id="totp-disable-form""#));
    // Off again with a code of the app.
    let off = app
        .send(
            "POST",
            "/account/totp/disable",
            &cookie,
            Some(&format!("csrf={csrf}&code={}", totp.generate(now))),
        )
        .await;
    assert_eq!(off.location, "/account/security?done=totp_off", "{}", off.body);
}

#[tokio::test]
async fn the_board_creates_accounts_resets_a_password_ends_sessions_and_removes_a_lost_second_factor() {
    use totp_rs::{Builder, Secret};
    let app = support::app_with_board();
    let (board, csrf) = app.login("commission", support::BOARD_PASSWORD).await.expect("the board logs in");
    let page = app.send("GET", "/board/users", &board, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"<tr data-user="exp-01">"#), "{}", page.body);
    // Others are refused the list.
    let (examiner, _) = app.login("exp-01", PASSWORD).await.expect("a login");
    assert_eq!(app.send("GET", "/board/users", &examiner, None).await.status, StatusCode::FORBIDDEN);

    // A bad account: the problems at their fields, what was typed kept.
    let bad = format!("csrf={csrf}&username=A+B&role=examiner&password=short&candidate_number=&school_id=");
    let refused = app.send("POST", "/board/users", &board, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="error-username""#) && refused.body.contains(r#"id="error-password""#)
    );
    let good = format!(
        "csrf={csrf}&username=exp-neuf&role=examiner&password=Soleil-sur-le-Jura-2027&candidate_number=&school_id="
    );
    let created = app.send("POST", "/board/users", &board, Some(&good)).await;
    assert_eq!(created.location, "/board/users?done=created&user=exp-neuf", "{}", created.body);
    let page = app.send("GET", &created.location, &board, None).await;
    assert!(page.body.contains("Compte exp-neuf créé."), "{}", page.body);

    // The new examiner turns a second factor on, then loses the phone.
    let (cookie, own_csrf) = app.login("exp-neuf", "Soleil-sur-le-Jura-2027").await.expect("a login");
    let enrolled = app.send_json("POST", "/api/me/totp", &cookie, &own_csrf, "{}").await;
    let secret = serde_json::from_str::<serde_json::Value>(&enrolled.body).unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let totp = Builder::new().with_secret(Secret::try_from_base32(&secret).unwrap()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let confirm = format!(r#"{{"code": "{}"}}"#, totp.generate(now - 30));
    assert_eq!(
        app.send_json("POST", "/api/me/totp/confirm", &cookie, &own_csrf, &confirm).await.status,
        StatusCode::OK
    );
    let page = app.send("GET", "/board/users", &board, None).await;
    let row = between(&page.body, r#"<tr data-user="exp-neuf">"#, "</tr>");
    assert!(row.contains("actif") && row.contains(r#"id="reset-totp-exp-neuf""#), "{row}");
    let removed =
        app.send("POST", "/board/users/exp-neuf/totp/reset", &board, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(removed.location, "/board/users?done=totp&user=exp-neuf", "{}", removed.body);
    assert_eq!(app.send("GET", "/examiner", &cookie, None).await.status, StatusCode::SEE_OTHER, "signed out");
    assert!(app.login("exp-neuf", "Soleil-sur-le-Jura-2027").await.is_ok(), "the password alone again");

    // A new password under the rules; the old one no longer works.
    let weak = app
        .send(
            "POST",
            "/board/users/exp-neuf/password",
            &board,
            Some(&format!("csrf={csrf}&new_password=password1234")),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("exp-neuf : "), "{}", weak.body);
    let reset = app
        .send(
            "POST",
            "/board/users/exp-neuf/password",
            &board,
            Some(&format!("csrf={csrf}&new_password=Brume-sur-le-lac-2028")),
        )
        .await;
    assert_eq!(reset.location, "/board/users?done=password&user=exp-neuf", "{}", reset.body);
    assert!(app.login("exp-neuf", "Soleil-sur-le-Jura-2027").await.is_err());
    let (again, _) = app.login("exp-neuf", "Brume-sur-le-lac-2028").await.expect("the new password");
    let ended =
        app.send("POST", "/board/users/exp-neuf/sessions/end", &board, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(ended.location, "/board/users?done=sessions&user=exp-neuf");
    assert_eq!(app.send("GET", "/examiner", &again, None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.send("POST", "/board/users/nobody/sessions/end", &board, Some(&format!("csrf={csrf}")))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
