//! Moderation in a real browser, over the real app with the demo data
//! (API and pages over one state, port 0). The setup, through the API as
//! the board and the examiners would: a second session whose blueprint
//! reconciles part 1 by arbitration, candidate 2027-001 scored 6.0 by
//! exp-01 and 2.5 by exp-02 on position 1.1 (a step and a straddle flag),
//! exp-03 named arbiter of part 1; in the demo session, candidate 2026-006
//! scored the same on 1.1 and a joint evaluation of 4.5 recorded by
//! exp-01.
//!
//! The journeys: the arbiter finds the position in their list only once
//! both examiners submitted, reads both evaluations side by side, scores
//! and submits, and their grade (4.5) is official, the page saying which
//! rule applied; exp-02, whose own 2.5 lies below 4.0 while the joint 4.5
//! lies above, is refused a confirmation without a justification and then
//! confirms with one; the board's progress shows who still has to confirm.

use serde_json::{Value, json};

use super::support::{Api, BOARD_PASSWORD, Demo, Journey, journey, log_in, wait_url};
use super::{click_in_view, screenshot_path};

const POSITION: &str = "1.1";

/// Answers to the seven criteria of the rubric of 1.1, all at `level`.
fn answers(level: u8) -> Value {
    let answers: Vec<Value> =
        (1..=7).map(|index| json!({"criterion": format!("c{index}"), "points": level})).collect();
    json!({"answers": answers})
}

/// `examiner` saves and submits answers all at `level` on 1.1.
fn score(api: &Api, session: i64, number: &str, examiner: &str, level: u8) {
    let token = api.token(examiner, grille_server::DEMO_PASSWORD);
    let base = format!("/api/sessions/{session}/candidates/{number}/positions/{POSITION}/evaluations/mine");
    let saved = api.ok("PUT", &base, &token, Some(&answers(level)));
    let version = saved["version"].as_i64();
    let (status, body) = api.call("POST", &format!("{base}/submit"), &token, None, version);
    assert_eq!(status, 200, "{body:#}");
}

/// Through the API: the arbitration session, its candidate scored by
/// both examiners, and the joint evaluation in the demo session; the
/// arbitration session's id.
fn set_up(demo: &Demo) -> i64 {
    let api = demo.api();
    let board = api.token("commission", BOARD_PASSWORD);

    // A session whose part 1 is reconciled by a chief expert.
    let blueprint = grille_scoring::embedded::BLUEPRINT.text.replacen(
        "\"examiners\": 2,",
        "\"examiners\": 2,\n      \"reconciliation\": \"arbitration\",",
        1,
    );
    let session = json!({"name": "Arbitrage 2027", "blueprint": blueprint});
    let id = api.ok("POST", "/api/sessions", &board, Some(&session))["id"].as_i64().unwrap();
    let candidate = json!({"number": "2027-001", "family_name": "Test", "given_name": "Arbitrage"});
    let uri = format!("/api/sessions/{id}/candidates");
    api.ok("POST", &uri, &board, Some(&json!({"candidates": [candidate]})));
    for examiner in ["exp-01", "exp-02"] {
        let assignment = json!({"candidate_number": "2027-001", "part": "1", "examiner": examiner});
        api.ok("POST", &format!("/api/sessions/{id}/assignments"), &board, Some(&assignment));
    }
    // A part not reconciled by arbitration takes no arbiter.
    let arbiters = format!("/api/sessions/{id}/arbiters");
    let (status, body) =
        api.call("PUT", &arbiters, &board, Some(&json!({"part": "2", "examiner": "exp-03"})), None);
    assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/part")), "{body:#}");
    api.ok("PUT", &arbiters, &board, Some(&json!({"part": "1", "examiner": "exp-03"})));
    api.ok("POST", &format!("/api/sessions/{id}/scoring"), &board, Some(&json!({})));

    // 6.0 by exp-01; until exp-02 submits, the arbiter sees nothing.
    score(&api, id, "2027-001", "exp-01", 3);
    let chief = api.token("exp-03", grille_server::DEMO_PASSWORD);
    assert_eq!(api.ok("GET", "/api/me/arbitrations", &chief, None), json!([]));
    let uri = format!("/api/sessions/{id}/candidates/2027-001/positions/{POSITION}/arbitration");
    let (status, _) = api.call("GET", &uri, &chief, None, None);
    assert_eq!(status, 409, "no arbitration before both submissions");
    // An examiner of the part is never its arbiter.
    let first = api.token("exp-01", grille_server::DEMO_PASSWORD);
    assert_eq!(api.call("GET", &uri, &first, None, None).0, 403);
    score(&api, id, "2027-001", "exp-02", 1);

    // The demo session: 2026-006 scored 6.0 and 2.5, agreed at 4.5.
    score(&api, 1, "2026-006", "exp-01", 3);
    score(&api, 1, "2026-006", "exp-02", 1);
    let agreed = format!("/api/sessions/1/candidates/2026-006/positions/{POSITION}/agreed");
    let mut joint = answers(2);
    joint["remark"] = json!("Niveau 2 partout après relecture commune du rapport.");
    api.ok("PUT", &agreed, &first, Some(&joint));
    id
}

#[test]
fn a_chief_expert_arbitrates_and_both_examiners_confirm_a_joint_grade() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    let id = set_up(&demo);

    // The arbiter's list: the flagged position, once both submitted.
    log_in(&browser, &base, "exp-03", grille_server::DEMO_PASSWORD);
    browser.goto(&format!("{base}/examiner"));
    let item = browser.text(&browser.find("#arbitrations li[data-candidate='2027-001']"));
    assert!(item.contains("Arbitrer 1.1 · 2027-001") && item.contains("Arbitrage 2027"), "{item}");
    browser.screenshot(&screenshot_path("arbitration-list"), 1280, 1200);
    click_in_view(&browser, "#arbitrations a.arbitration-link");
    wait_url(&browser, "/arbitration");
    // Both evaluations side by side, with the flags that call for arbitration.
    let heads: Vec<String> =
        browser.find_all("#comparison thead th").iter().map(|th| browser.text(th)).collect();
    assert_eq!(heads[1..3], ["exp-01".to_owned(), "exp-02".to_owned()], "{heads:?}");
    let flags = browser.text(&browser.find("#flags"));
    assert!(flags.contains("écart") && flags.contains("note suffisante"), "{flags}");
    assert!(
        browser.text(&browser.find("#reconciliation")).contains("en attente de l'évaluation de l'arbitre")
    );
    browser.screenshot(&screenshot_path("arbitration-form"), 1280, 2600);
    // Submitting an incomplete arbitration lists what is missing.
    click_in_view(&browser, "label[for='arbiter-level-c1-2']");
    click_in_view(&browser, "#arbitration-submit");
    browser.wait_element("#missing-list");
    assert!(browser.text(&browser.find("#missing-list")).contains("c2"));
    // Every criterion at level 2: 16 of 24 points, 1 + 5 × 16 / 24 = 4.33 → 4.5.
    for index in 2..=7 {
        click_in_view(&browser, &format!("label[for='arbiter-level-c{index}-2']"));
    }
    // The arbiter's form shows its live grade before anything is saved.
    browser.wait_for("the arbiter's live grade of all seven criteria", || {
        browser.text(&browser.find("#arbiter-live-answered")).starts_with("7 / 7")
    });
    assert_eq!(browser.text(&browser.find("#arbiter-live-grade")), "4.5");
    assert!(browser.text(&browser.find("#arbiter-live")).contains("16 / 24"));
    browser.send_keys(
        &browser.find("#arbiter-remark"),
        "Le rapport atteint le niveau attendu sur chaque critère.",
    );
    click_in_view(&browser, "#arbitration-submit");
    wait_url(&browser, "?submitted=1");
    assert!(browser.text(&browser.find("#official-grade")).contains("4.5"));
    let line = browser.text(&browser.find("#reconciliation"));
    assert!(
        line.contains("arbitrage par un·e expert·e en chef")
            && line.contains("l'évaluation de l'arbitre fait la note"),
        "{line}"
    );
    assert!(line.contains("exp-03"), "the engine names the arbiter: {line}");
    assert!(browser.find_all("#arbitration-form").is_empty(), "locked once submitted");
    browser.screenshot(&screenshot_path("arbitration-submitted"), 1280, 2000);

    // The examiners see the arbiter's grade and why on their comparison page.
    log_in(&browser, &base, "exp-01", grille_server::DEMO_PASSWORD);
    browser.goto(&format!("{base}/examiner/sessions/{id}/candidates/2027-001/positions/1.1/comparison"));
    assert!(browser.text(&browser.find("#official-grade")).contains("4.5"));
    assert!(browser.find_all("#agreed-form").is_empty(), "no joint evaluation in an arbitrated part");

    // The joint grade 4.5 against exp-02's own 2.5: a justification first.
    log_in(&browser, &base, "exp-02", grille_server::DEMO_PASSWORD);
    let comparison = format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.1/comparison");
    browser.goto(&comparison);
    let required = browser.text(&browser.find("#justification-required"));
    assert!(required.contains("4.5") && required.contains("2.5"), "{required}");
    let confirmations = browser.text(&browser.find("#confirmations"));
    assert!(confirmations.contains("exp-01 : pas encore confirmée"), "{confirmations}");
    click_in_view(&browser, "#confirm-submit");
    browser.wait_element("#form-notice");
    let refused = browser.text(&browser.find("#form-notice"));
    assert!(refused.contains("justification"), "{refused}");
    browser.screenshot(&screenshot_path("arbitration-confirm-refused"), 1280, 2600);
    browser.send_keys(
        &browser.find("#confirm-justification"),
        "Après relecture commune, le rapport atteint le niveau 2 ; ma première lecture était trop sévère.",
    );
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "?confirmed=1");
    let confirmations = browser.text(&browser.find("#confirmations"));
    assert!(
        confirmations.contains("exp-02 : confirmée") && confirmations.contains("trop sévère"),
        "{confirmations}"
    );
    assert!(confirmations.contains("exp-01 : pas encore confirmée"), "{confirmations}");
    assert!(browser.text(&browser.find("#reconciliation")).contains("en attente de la confirmation"));
    browser.screenshot(&screenshot_path("arbitration-confirmed-one"), 1280, 2600);

    // The board sees who still has to confirm.
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    browser.goto(&format!("{base}/board/sessions/1/progress"));
    let row = browser.text(&browser.find("tbody[data-number='2026-006']"));
    assert!(row.contains("confirmation attendue : exp-01"), "{row}");

    // exp-01 confirms (no justification needed: 6.0 and 4.5 are both sufficient).
    log_in(&browser, &base, "exp-01", grille_server::DEMO_PASSWORD);
    browser.goto(&comparison);
    assert!(browser.find_all("#justification-required").is_empty());
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "?confirmed=1");
    assert!(browser.text(&browser.find("#official-grade")).contains("4.5"));
    assert!(browser.text(&browser.find("#reconciliation")).contains("confirmée par chaque expert·e"));

    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    browser.goto(&format!("{base}/board/sessions/1/progress"));
    let row = browser.text(&browser.find("tbody[data-number='2026-006']"));
    assert!(row.contains("commune confirmée") && !row.contains("confirmation attendue"), "{row}");
    browser.screenshot(&screenshot_path("arbitration-board-progress"), 1280, 2400);
    browser.assert_no_csp_violations();
}
