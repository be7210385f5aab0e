//! The joint grade confirmed by both examiners, without script, over the
//! demo app: 2026-006 scored 6.0 by exp-01 and 2.5 by exp-02 on 1.1, a
//! joint evaluation of 4.5 recorded on the comparison page; exp-02 (own
//! 2.5, joint 4.5: both sides of 4.0) is refused without a justification
//! (422, the page says why and keeps the form), confirms with one, a stale
//! version is a 409 on the page, and the page then says who confirmed.

use axum::http::StatusCode;

use crate::support::{PASSWORD, app};

const POSITION: &str = "/api/sessions/1/candidates/2026-006/positions/1.1";
const PAGE: &str = "/examiner/sessions/1/candidates/2026-006/positions/1.1/comparison";

fn answers(level: u8) -> String {
    let list: Vec<String> =
        (1..=7).map(|index| format!(r#"{{"criterion": "c{index}", "points": {level}}}"#)).collect();
    format!(r#"{{"answers": [{}]}}"#, list.join(", "))
}

#[tokio::test]
async fn a_joint_grade_across_the_pass_mark_is_confirmed_with_a_justification() {
    let app = app();
    let mut logins = Vec::new();
    for (examiner, level) in [("exp-01", 3), ("exp-02", 1)] {
        let (cookie, csrf) = app.login(examiner, PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
        let mine = format!("{POSITION}/evaluations/mine");
        let saved = app.send_json("PUT", &mine, &cookie, &csrf, &answers(level)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let submitted =
            app.send_json_with_if_match("POST", &format!("{mine}/submit"), &cookie, &csrf, "", "\"1\"").await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        logins.push((cookie, csrf));
    }
    // exp-01 records the joint evaluation on the page (level 2 everywhere: 4.5).
    let (first, first_csrf) = &logins[0];
    let levels: Vec<String> = (1..=7).map(|index| format!("points-c{index}=2")).collect();
    let form = format!("csrf={first_csrf}&version=&remark=Relu+ensemble&{}", levels.join("&"));
    let recorded = app.send("POST", PAGE, first, Some(&form)).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    assert!(recorded.location.ends_with("?agreed=4.5"), "{}", recorded.location);

    let (second, csrf) = &logins[1];
    let page = app.send("GET", PAGE, second, None).await;
    assert!(page.body.contains(r#"id="justification-required""#), "{}", page.body);
    assert!(page.body.contains("exp-01 : pas encore confirmée"));
    // Without a justification: 422, said on the page, the form kept.
    let bare = format!("csrf={csrf}&action=confirm&version=1&justification=+++");
    let refused = app.send("POST", PAGE, second, Some(&bare)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("justification écrite est requise"), "{}", refused.body);
    assert!(refused.body.contains(r#"id="confirm-form""#));
    // On a version that is not the current one: 409, nothing confirmed.
    let stale = format!("csrf={csrf}&action=confirm&version=7&justification=Relu");
    let conflict = app.send("POST", PAGE, second, Some(&stale)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    // Without the CSRF token nothing happens.
    let forged = "csrf=x&action=confirm&version=1&justification=Relu".to_owned();
    assert_ne!(app.send("POST", PAGE, second, Some(&forged)).await.status, StatusCode::SEE_OTHER);
    let justified =
        format!("csrf={csrf}&action=confirm&version=1&justification=Niveau+2+apr%C3%A8s+relecture");
    let confirmed = app.send("POST", PAGE, second, Some(&justified)).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    let page = app.send("GET", &confirmed.location, second, None).await;
    assert!(page.body.contains("exp-02 : confirmée"), "{}", page.body);
    assert!(page.body.contains("Niveau 2 après relecture"));
    assert!(page.body.contains("en attente de la confirmation"), "not official before exp-01 confirms");
    assert!(!page.body.contains(r#"id="confirm-form""#), "nothing left to confirm for exp-02");
}
