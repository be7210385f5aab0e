//! What every form does with the API's refusal of what it sent
//! (`Visit::form_refusal`): a refusal of the content (422, 409) is shown on
//! the form with the server's sentences and the form's own status; a
//! refusal of the account or a stale form's token (403) and a missing
//! object (404) are the refusal page, without the form.

use axum::http::StatusCode;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

async fn login(app: &App, username: &str, password: &str) -> (String, String) {
    app.login(username, password).await.unwrap_or_else(|answer| panic!("{username}: {}", answer.body))
}

/// The refusal page: the API's status, the page saying why, not the form.
fn assert_refusal_page(case: &str, answer: &support::Answer, status: StatusCode, form_marker: &str) {
    assert_eq!(answer.status, status, "{case}: {}", answer.body);
    assert!(!answer.body.contains(form_marker), "{case}: the form, not the refusal page: {}", answer.body);
    assert!(!answer.body.contains('⟦'), "{case}: missing key");
}

#[tokio::test]
async fn the_board_shows_a_422_on_its_form_and_a_403_as_the_refusal_page() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let inline = app.send("POST", "/board/sessions", &cookie, Some(&format!("csrf={csrf}&name=+"))).await;
    assert_eq!(inline.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", inline.body);
    assert!(inline.body.contains(r#"id="create-errors""#), "{}", inline.body);
    let refused = app.send("POST", "/board/sessions", &cookie, Some("csrf=stale&name=Session+2031")).await;
    assert_refusal_page("board, stale token", &refused, StatusCode::FORBIDDEN, r#"id="create-errors""#);
    assert!(refused.body.contains("jeton de sécurité"), "{}", refused.body);
}

#[tokio::test]
async fn the_cases_of_a_session_show_a_422_on_their_form_and_a_403_as_the_refusal_page() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let page = app.send("GET", "/board/sessions/1/cases", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The first candidate and position of the table, given a case the
    // bank does not hold.
    let field = page.body.split(r#"name="case:"#).nth(1).expect("a case choice on the page");
    let field = &field[..field.find('"').expect("the field's name ends")];
    let row = 999_999;
    let body = |csrf: &str| format!("csrf={csrf}&case%3A{}={row}", field.replace(':', "%3A"));
    let inline = app.send("POST", "/board/sessions/1/cases", &cookie, Some(&body(&csrf))).await;
    assert_eq!(inline.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", inline.body);
    assert!(inline.body.contains(r#"id="assign-errors""#), "{}", inline.body);
    assert!(inline.body.contains("Cas introuvable dans la banque."), "{}", inline.body);
    let refused = app.send("POST", "/board/sessions/1/cases", &cookie, Some(&body("stale"))).await;
    assert_refusal_page("cases, stale token", &refused, StatusCode::FORBIDDEN, r#"id="assign-errors""#);
}

#[tokio::test]
async fn the_trainer_shows_a_422_on_the_enrolment_form_and_a_403_or_404_as_the_refusal_page() {
    let app = support::app();
    let (cookie, csrf) = login(&app, "formatrice-demo", PASSWORD).await;
    let enrol = |session: &str, csrf: &str, number: &str| {
        (
            format!("/trainer/sessions/{session}/candidates"),
            format!("csrf={csrf}&number={number}&family_name=X&given_name=Y"),
        )
    };
    let created =
        app.send("POST", "/trainer/sessions", &cookie, Some(&format!("csrf={csrf}&name=Blanc+2031"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = created.location.trim_start_matches("/trainer/sessions/").split('?').next().unwrap().to_owned();
    let (uri, body) = enrol(&id, &csrf, "");
    let inline = app.send("POST", &uri, &cookie, Some(&body)).await;
    assert_eq!(inline.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", inline.body);
    assert!(inline.body.contains(r#"id="enrol-errors""#), "{}", inline.body);
    let (uri, body) = enrol(&id, "stale", "ECOLE-11");
    let refused = app.send("POST", &uri, &cookie, Some(&body)).await;
    assert_refusal_page("trainer, stale token", &refused, StatusCode::FORBIDDEN, r#"id="enrol-errors""#);
    // The board's session is no session of the trainer's school.
    let (uri, body) = enrol("1", &csrf, "ECOLE-11");
    let refused = app.send("POST", &uri, &cookie, Some(&body)).await;
    assert_refusal_page(
        "trainer, another's session",
        &refused,
        StatusCode::NOT_FOUND,
        r#"id="enrol-errors""#,
    );
}
