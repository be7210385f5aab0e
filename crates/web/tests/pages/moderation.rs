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

/// An examiner's evaluation of 1.1: every criterion at `level`, a remark
/// on c1 and overall, and the language they are written in when named.
fn remarked(level: u8, remark: &str, language: Option<&str>) -> String {
    let mut answers: Vec<serde_json::Value> =
        (1..=7).map(|index| serde_json::json!({"criterion": format!("c{index}"), "points": level})).collect();
    answers[0]["remark"] = remark.into();
    let mut body = serde_json::json!({"answers": answers, "remark": remark});
    if let Some(language) = language {
        body["remark_language"] = language.into();
    }
    body.to_string()
}

/// The arbitration page walked in German with an arbitration open: a
/// session whose part 1 is reconciled by a chief expert, 2027-001 scored
/// 6.0 by exp-01 (remarks in French) and 2.5 by exp-02 (remarks in
/// German, the language of their pages), exp-03 named arbiter. exp-03
/// reads the page in German before and after saving a draft with French
/// remarks: German headings, flags, reconciliation and form, the French
/// remarks marked `lang="fr"`, and no French sentence of the catalogue
/// outside the elements so marked.
#[tokio::test]
async fn an_open_arbitration_reads_in_german_with_only_marked_french() {
    use crate::engine_messages::{assert_no_french_outside_marks, french_catalogue_pieces};
    let app = crate::support::app_with_board();
    let pieces = french_catalogue_pieces();
    assert!(pieces.len() > 500, "too few pieces: {}", pieces.len());
    let (board, csrf) = app
        .login("commission", crate::support::BOARD_PASSWORD)
        .await
        .unwrap_or_else(|a| panic!("{}", a.body));
    let blueprint = grille_scoring::embedded::BLUEPRINT.text.replacen(
        "\"examiners\": 2,",
        "\"examiners\": 2,\n      \"reconciliation\": \"arbitration\",",
        1,
    );
    let body = serde_json::json!({"name": "Session 2027", "blueprint": blueprint}).to_string();
    let created = app.send_json("POST", "/api/sessions", &board, &csrf, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["id"].as_i64().unwrap();
    let api = format!("/api/sessions/{id}");
    let candidates =
        r#"{"candidates": [{"number": "2027-001", "family_name": "Keller", "given_name": "Nina"}]}"#;
    // (method, route, body) of the board's setup.
    let mut setup = vec![("POST", format!("{api}/candidates"), candidates.to_owned())];
    for examiner in ["exp-01", "exp-02"] {
        let assignment =
            serde_json::json!({"candidate_number": "2027-001", "part": "1", "examiner": examiner});
        setup.push(("POST", format!("{api}/assignments"), assignment.to_string()));
    }
    setup.push(("PUT", format!("{api}/arbiters"), r#"{"part": "1", "examiner": "exp-03"}"#.to_owned()));
    setup.push(("POST", format!("{api}/scoring"), "{}".to_owned()));
    for (method, uri, body) in setup {
        let answer = app.send_json(method, &uri, &board, &csrf, &body).await;
        assert!(answer.status.is_success(), "{method} {uri}: {}", answer.body);
    }
    // exp-01 writes in French (named), exp-02 in German (their pages' language).
    let position = format!("{api}/candidates/2027-001/positions/1.1");
    let french_remark = "Analyse complète et bien structurée.";
    let german_remark = "Die Massnahmen bleiben allgemein.";
    for (examiner, level, remark, language, cookie_language) in
        [("exp-01", 3, french_remark, Some("fr"), "fr"), ("exp-02", 1, german_remark, None, "de")]
    {
        let (cookie, csrf) = app.login(examiner, PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
        let cookie = format!("{cookie}; lang={cookie_language}");
        let mine = format!("{position}/evaluations/mine");
        let saved = app.send_json("PUT", &mine, &cookie, &csrf, &remarked(level, remark, language)).await;
        assert_eq!(saved.status, StatusCode::OK, "{examiner}: {}", saved.body);
        let submit = format!("{mine}/submit");
        let submitted = app.send_json_with_if_match("POST", &submit, &cookie, &csrf, "", "\"1\"").await;
        assert_eq!(submitted.status, StatusCode::OK, "{examiner}: {}", submitted.body);
    }

    let (chief, chief_csrf) = app.login("exp-03", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let german = format!("{chief}; lang=de");
    let page = format!("/examiner/sessions/{id}/candidates/2027-001/positions/1.1/arbitration");
    let open = app.send("GET", &page, &german, None).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    assert!(open.body.contains(r#"<html lang="de">"#), "{}", open.body);
    for text in [
        "Stichentscheid 1.1 · 2027-001",
        "Die Expertinnen und Experten haben ihre Bewertungen eingereicht",
        "Differenz von mindestens einer Note",
        "Beidseits der genügenden Note",
        "Stichentscheid durch eine Chefexpertin oder einen Chefexperten",
        "wartet auf die Bewertung der Chefexpertin oder des Chefexperten",
        "Ihre Bewertung als Chefexpertin oder Chefexperte",
        "Bemerkung zu c1",
        "Begründung des Stichentscheids",
        r#"<label for="arbiter-remark-language">Sprache der Bemerkungen</label>"#,
        r#"<option value="de" lang="de" selected>Deutsch</option>"#,
        "Stichentscheid einreichen",
    ] {
        assert!(open.body.contains(text), "{text:?} not on the German page: {}", open.body);
    }
    // exp-01's French remarks marked, exp-02's German ones not.
    assert!(open.body.contains(&format!(r#"<span lang="fr">{french_remark}</span>"#)), "{}", open.body);
    assert!(open.body.contains(german_remark), "{}", open.body);
    assert!(!open.body.contains(&format!(r#"lang="de">{german_remark}"#)), "{}", open.body);
    assert_no_french_outside_marks(&page, &open.body, &pieces);

    // The arbiter saves a draft with French remarks from the German page.
    let levels: Vec<String> = (1..=7).map(|index| format!("points-c{index}=2")).collect();
    let draft = format!(
        "csrf={chief_csrf}&action=save&version=&remark=Niveau+2+partout.&remark-c1=Niveau+attendu.\
         &remark_language=fr&{}",
        levels.join("&")
    );
    let saved = app.send("POST", &page, &german, Some(&draft)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = app.send("GET", &saved.location, &german, None).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("Entwurf des Stichentscheids gespeichert."), "{}", shown.body);
    for field in [
        r#"<textarea id="arbiter-remark-c1" name="remark-c1" rows="2" maxlength="5000" lang="fr">Niveau attendu.</textarea>"#,
        r#"<textarea id="arbiter-remark" name="remark" rows="4" maxlength="5000" lang="fr">Niveau 2 partout.</textarea>"#,
        r#"<option value="fr" lang="fr" selected>"#,
    ] {
        assert!(shown.body.contains(field), "{field}: {}", shown.body);
    }
    assert_no_french_outside_marks(&saved.location, &shown.body, &pieces);

    // The check bites: the same page in French says these sentences.
    let french = app.send("GET", &format!("{page}?lang=fr"), &chief, None).await;
    assert!(french.body.contains(r#"<html lang="fr">"#), "{}", french.body);
    let said = pieces.iter().filter(|piece| french.body.contains(piece.as_str())).count();
    assert!(said >= 10, "only {said} French sentences on the French page");
}
