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

/// The progress page names arbiters only where the pinned blueprint
/// reconciles a part by arbitration: the demo session has none, so no
/// section; a session whose part 1 is arbitrated offers that part, its
/// positions and the examiner accounts to choose from, and the choice is
/// saved and listed.
#[tokio::test]
async fn arbiters_are_named_from_the_arbitrated_parts_only() {
    let app = crate::support::app_with_board();
    let (cookie, csrf) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|a| panic!("{}", a.body));
    let demo = app.send("GET", "/board/sessions/1/progress", &cookie, None).await;
    assert_eq!(demo.status, StatusCode::OK, "{}", demo.body);
    assert!(!demo.body.contains(r#"id="arbiters""#), "no arbitrated part, no arbiter section");

    let blueprint = grille_scoring::embedded::BLUEPRINT.text.replacen(
        "\"examiners\": 2,",
        "\"examiners\": 2,\n      \"reconciliation\": \"arbitration\",",
        1,
    );
    let body = serde_json::json!({"name": "Arbitrage 2027", "blueprint": blueprint}).to_string();
    let created = app.send_json("POST", "/api/sessions", &cookie, &csrf, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["id"].as_i64().unwrap();
    let candidates =
        r#"{"candidates": [{"number": "2027-001", "family_name": "Test", "given_name": "Arbitrage"}]}"#;
    let enrolled =
        app.send_json("POST", &format!("/api/sessions/{id}/candidates"), &cookie, &csrf, candidates).await;
    assert!(enrolled.status.is_success(), "{}", enrolled.body);
    let opened = app.send_json("POST", &format!("/api/sessions/{id}/scoring"), &cookie, &csrf, "{}").await;
    assert!(opened.status.is_success(), "{}", opened.body);

    let url = format!("/board/sessions/{id}/progress");
    let page = app.send("GET", &url, &cookie, None).await;
    assert!(page.body.contains(r#"id="arbiters-none""#), "{}", page.body);
    let part = page.body.split(r#"id="arbiter-part""#).nth(1).unwrap().split("</select>").next().unwrap();
    assert_eq!(part.matches("<option").count(), 1, "only part 1 is arbitrated: {part}");
    assert!(part.contains(r#"value="1""#));
    let position =
        page.body.split(r#"id="arbiter-position""#).nth(1).unwrap().split("</select>").next().unwrap();
    assert!(position.contains(r#"value="1.1""#) && !position.contains(r#"value="2.1""#), "{position}");
    let examiner =
        page.body.split(r#"id="arbiter-examiner""#).nth(1).unwrap().split("</select>").next().unwrap();
    assert!(
        examiner.contains(r#"value="exp-03""#) && !examiner.contains(r#"value="commission""#),
        "{examiner}"
    );

    let form = format!("csrf={csrf}&part=1&position=&examiner=exp-03");
    let saved = app.send("POST", &format!("{url}/arbiters"), &cookie, Some(&form)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let listed = saved.body.split(r#"id="arbiters-list""#).nth(1).unwrap().split("</ul>").next().unwrap();
    assert!(listed.contains("exp-03") && listed.contains("toute l&#x27;épreuve"), "{listed}");
    // A part that is not arbitrated is refused with the field named.
    let refused = format!("csrf={csrf}&part=2&position=&examiner=exp-03");
    let answer = app.send("POST", &format!("{url}/arbiters"), &cookie, Some(&refused)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
}
