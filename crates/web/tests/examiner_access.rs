//! Access to the login and examiner pages, over the app composed as
//! `grille serve --demo` composes it (API + pages over one state, demo
//! data in a temporary database), driven with `oneshot`: anonymous users
//! are sent to the login page and back, an examiner cannot open another
//! pair's candidate, a form post without the CSRF token is refused, a wrong
//! password and the login slowdown are said plainly.

mod support;

use axum::http::StatusCode;
use support::{PASSWORD, app};

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
