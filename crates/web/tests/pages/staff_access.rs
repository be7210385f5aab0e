//! Access to the pages of the board and trainers together (the case bank,
//! the exam documents, a session's cases and submitted work), over the
//! demo app driven with `oneshot`: anonymous users are sent to the login
//! and back, other roles get a 403 page, a forged or stale form is the
//! refusal page, and a refusal a form can answer is shown on its page.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

/// The staff pages on the demo session (id 1), as the board reaches them.
const PAGES: &[&str] = &[
    "/cases",
    "/cases/new",
    "/documents",
    "/documents/new?kind=scheme",
    "/board/sessions/1/cases",
    "/board/sessions/1/submissions",
];

async fn login(app: &App, username: &str, password: &str) -> (String, String) {
    app.login(username, password).await.unwrap_or_else(|answer| panic!("{username}: {}", answer.body))
}

#[tokio::test]
async fn the_staff_pages_send_strangers_to_the_login_and_refuse_other_roles() {
    let app = support::app_with_board();
    for uri in PAGES {
        let answer = app.send("GET", uri, "", None).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri}");
        let path = uri.split('?').next().unwrap();
        assert!(answer.location.starts_with(&format!("/login?next={path}")), "{uri}: {}", answer.location);
    }
    let answer = app.send("POST", "/documents/next-year", "", Some("version=2030")).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.location.starts_with("/login"), "{}", answer.location);
    for username in ["exp-01", "candidat-demo"] {
        let (cookie, csrf) = login(&app, username, PASSWORD).await;
        for uri in PAGES {
            let answer = app.send("GET", uri, &cookie, None).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{username} {uri}");
            assert!(answer.body.contains("réservée à la commission"), "{username} {uri}: {}", answer.body);
        }
        let body = format!("version=2030&csrf={csrf}");
        let answer = app.send("POST", "/documents/next-year", &cookie, Some(&body)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{username}");
    }
    let (cookie, _) = login(&app, "commission", BOARD_PASSWORD).await;
    for uri in PAGES {
        let answer = app.send("GET", uri, &cookie, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert!(!answer.body.contains('⟦'), "{uri}: missing key");
    }
}

#[tokio::test]
async fn a_refused_action_on_a_case_is_said_on_its_page_and_a_stale_form_is_refused() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let bank = app.send("GET", "/api/cases", &cookie, None).await;
    let bank: Value = serde_json::from_str(&bank.body).unwrap();
    let case = bank
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["case_id"] == "cas-2-atelier-bois")
        .unwrap_or_else(|| panic!("the demo's case: {bank}"));
    let (row, version) = (case["id"].as_i64().unwrap(), case["version"].as_str().unwrap());
    let page = app.send("GET", &format!("/cases/{row}"), &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    // A copy under a version the bank holds already: the API's reason on
    // the case page.
    let duplicate = format!("/cases/{row}/duplicate");
    let answer = app.send("POST", &duplicate, &cookie, Some(&format!("csrf={csrf}&version={version}"))).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    assert!(answer.body.contains(r#"id="case-errors""#), "{}", answer.body);
    // A year that is no number: the form's own problem, on the same page.
    let answer = app.send("POST", &duplicate, &cookie, Some(&format!("csrf={csrf}&year=soon"))).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("L&#x27;année doit être un nombre"), "{}", answer.body);
    // A stale token: the refusal page, not the case page.
    let answer = app.send("POST", &duplicate, &cookie, Some("csrf=wrong&version=99")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("jeton de sécurité"), "{}", answer.body);
    assert!(!answer.body.contains(r#"id="case-errors""#));
    // A state no form offers.
    let answer = app
        .send("POST", &format!("/cases/{row}/state"), &cookie, Some(&format!("csrf={csrf}&state=lost")))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A copy with a new version goes to the copy.
    let answer = app.send("POST", &duplicate, &cookie, Some(&format!("csrf={csrf}&version=99"))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(answer.location.ends_with("?done=duplicated"), "{}", answer.location);
    assert_ne!(answer.location, format!("/cases/{row}?done=duplicated"), "the copy, not the original");
    let copy = app.send("GET", &answer.location, &cookie, None).await;
    assert!(copy.body.contains("Copie"), "{}", copy.body);
}

#[tokio::test]
async fn a_missing_document_is_a_404_page_and_next_years_problems_are_listed() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let answer = app.send("GET", "/documents/999999", &cookie, None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
    assert!(answer.body.contains("Introuvable"), "{}", answer.body);
    let answer =
        app.send("POST", "/documents/next-year", &cookie, Some(&format!("csrf={csrf}&version=+"))).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert!(answer.body.contains("Version attendue"), "{}", answer.body);
}
