//! The examiner's journey in a real browser, over the real app composed as
//! `grille serve --demo` composes it (API and pages over one state, demo
//! data in a temporary folder, port 0): login, candidates, the scoring
//! form with autosave, live grade, a reload, a lost connection, an
//! incomplete then a complete submission; the second examiner, a stale
//! save from "another tab", the side-by-side comparison and the agreed
//! evaluation.

use serde_json::json;

use super::support::{Journey, checked, choose, fill_login, journey, log_out, save_status, wait_url_end};
use super::{click_in_view, screenshot_path};

#[test]
fn examiners_score_compare_and_agree() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    let position = format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.2");

    // Anonymous: sent to the login page, then back to the list.
    browser.goto(&format!("{base}/examiner"));
    assert!(browser.url().ends_with("/login?next=/examiner"), "{}", browser.url());
    assert!(browser.text(&browser.find("#login-message")).contains("Veuillez vous connecter"));
    browser.screenshot(&screenshot_path("examiner-login"), 1280, 1000);
    fill_login(&browser, "exp-01", grille_server::DEMO_PASSWORD);
    wait_url_end(&browser, "/examiner");
    assert_eq!(browser.text(&browser.find("h1")), "Mes candidat·e·s");
    let row = browser.text(&browser.find("tr[data-candidate='2026-006']"));
    assert!(row.contains("à commencer") && row.contains("exp-02"), "{row}");
    assert!(browser.text(&browser.find("tr[data-candidate='2026-001']")).contains("soumise"));
    browser.screenshot(&screenshot_path("examiner-candidates"), 1280, 1400);
    browser.screenshot(&screenshot_path("examiner-candidates-tablet"), 820, 1600);

    // The scoring form: levels, a remark, autosave and the live grade.
    click_in_view(&browser, "tr[data-candidate='2026-006'] td[data-position='1.2'] a");
    wait_url_end(&browser, "/positions/1.2");
    assert_eq!(browser.find_all("fieldset.rubric-criterion").len(), 6);
    assert_eq!(browser.text(&browser.find("#live-grade")), "—");
    choose(&browser, "", "c1", 3);
    choose(&browser, "", "c2", 2);
    browser.send_keys(&browser.find("#remark-c1"), "Structure claire, fil rouge visible.");
    browser.wait_for("the draft to be saved", || save_status(&browser).starts_with("Brouillon enregistré"));
    // c1 = 3 and c2 = 2 × weight 2: 7 of 9 points, 1 + 5 × 7 / 9 = 4.89 → 5,
    // printed as a grade (5.0) and said to be partial (2 criteria of 6).
    browser.wait_for("the live grade", || browser.text(&browser.find("#live-grade")) == "5.0");
    assert_eq!(
        browser.text(&browser.find("#live-grade-partial")),
        "(partielle : sur 2 critère(s) évalué(s) sur 6)"
    );
    assert_eq!(browser.text(&browser.find("#live-points")), "7 / 9 points");
    assert_eq!(browser.text(&browser.find("#live-answered")), "2 / 6 critères");
    assert_eq!(browser.text(&browser.find("#live-grade-label")), "Note provisoire :");
    browser.screenshot(&screenshot_path("examiner-form-midway"), 1280, 2400);
    browser.screenshot(&screenshot_path("examiner-form-tablet"), 820, 1800);

    // A reload finds the draft intact (from the server).
    browser.refresh();
    assert!(checked(&browser, "level-c1-3") && checked(&browser, "level-c2-2"));
    assert_eq!(
        browser.property(&browser.find("#remark-c1"), "value"),
        json!("Structure claire, fil rouge visible.")
    );
    assert_eq!(browser.text(&browser.find("#live-grade")), "5.0", "computed by the server without script");
    assert!(browser.text(&browser.find("#live-grade-partial")).contains("sur 2 critère(s) évalué(s) sur 6"));

    // A lost connection: the change stays in the browser and comes back
    // after a reload, then reaches the server.
    browser.execute("window.fetch = () => Promise.reject(new TypeError('offline'));");
    choose(&browser, "", "c3", 2);
    browser.wait_for("the offline message", || save_status(&browser).starts_with("Connexion perdue"));
    browser.refresh();
    assert!(checked(&browser, "level-c3-2"), "restored from localStorage");
    browser.wait_for("the restored draft to be saved", || {
        let text = save_status(&browser);
        text.contains("restaurée") && text.contains("Brouillon enregistré")
    });
    browser.refresh();
    assert!(checked(&browser, "level-c3-2"), "now on the server");

    // Submitting asks first, and says what will be locked; cancelled, nothing happens.
    click_in_view(&browser, "#submit-button");
    browser.wait_for("the confirmation", || {
        browser.execute("return document.getElementById('submit-dialog').open;") == json!(true)
    });
    assert!(browser.text(&browser.find("#submit-dialog")).contains("verrouillée"));
    browser.screenshot(&screenshot_path("examiner-submit-confirm"), 1280, 900);
    browser.click(&browser.find("#submit-cancel"));
    assert!(browser.url().ends_with("/positions/1.2"));
    // Submitting too early lists what is missing, linked to the fields.
    click_in_view(&browser, "#submit-button");
    browser.click(&browser.find("#submit-confirm"));
    browser.wait_element("#missing-list");
    let missing: Vec<String> =
        browser.find_all("#missing-list li").iter().map(|li| browser.text(li)).collect();
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert!(missing[0].starts_with("c4 ") && missing[0].contains("n'a pas de réponse"), "{missing:?}");
    let link = browser.execute("return document.querySelector('#missing-list a').getAttribute('href');");
    assert_eq!(link, json!("#criterion-c4"));
    assert_eq!(browser.find_all("fieldset.has-error").len(), 3);
    browser.screenshot(&screenshot_path("examiner-submit-incomplete"), 1280, 1400);

    // Complete it (c5 not assessable) and submit.
    choose(&browser, "", "c4", 2);
    click_in_view(&browser, "label[for='na-c5']");
    choose(&browser, "", "c6", 3);
    browser.wait_for("the complete grade", || {
        browser.text(&browser.find("#live-grade-label")) == "Note du point :"
    });
    assert_eq!(browser.text(&browser.find("#live-grade-partial")), "", "complete: no longer partial");
    click_in_view(&browser, "#submit-button");
    browser.click(&browser.find("#submit-confirm"));
    wait_url_end(&browser, "/comparison?submitted=1");
    assert!(browser.text(&browser.find("#waiting-partner")).contains("exp-02"));
    let table = browser.text(&browser.find("#comparison"));
    assert!(!table.contains("identique") && table.contains("pas encore comparable"), "{table}");
    assert!(browser.find_all("#agreed-form").is_empty(), "no agreement before the partner submits");

    // Log out; the second examiner scores differently.
    log_out(&browser);
    browser.goto(&position);
    fill_login(&browser, "exp-02", grille_server::DEMO_PASSWORD);
    wait_url_end(&browser, "/positions/1.2");
    choose(&browser, "", "c1", 1);
    browser.wait_for("the draft to be saved", || save_status(&browser).starts_with("Brouillon enregistré"));

    // Another tab saves first: this tab's next save is refused, never silent.
    let other_tab = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         const form = document.getElementById('scoring-form');
         fetch(form.dataset.api + '/evaluations/mine', {
           method: 'PUT',
           headers: { 'Content-Type': 'application/json',
                      'X-CSRF-Token': form.querySelector('input[name=csrf]').value,
                      'If-Match': '\"' + document.getElementById('version').value + '\"' },
           body: JSON.stringify({ answers: [{ criterion: 'c1', points: '1' }] })
         }).then(r => done(r.status));",
    );
    assert_eq!(other_tab, json!(200));
    choose(&browser, "", "c2", 1);
    browser
        .wait_for("the conflict message", || save_status(&browser).starts_with("Une version plus récente"));
    // Both versions side by side: mine (c1 = 1, c2 = 1 here) and the
    // server's (c1 = 1, c2 unanswered); the examiner chooses.
    browser.wait_for("the two versions", || {
        browser.execute("return !document.getElementById('conflict-panel').hidden;") == json!(true)
    });
    let rows: Vec<String> =
        browser.find_all("#conflict-rows tr.differs").iter().map(|row| browser.text(row)).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("c2") && rows[0].contains("sans réponse"), "{rows:?}");
    browser.screenshot(&screenshot_path("examiner-conflict"), 1280, 1200);
    // Still there after a reload: the journal keeps mine until I choose.
    browser.refresh();
    browser.wait_for("the two versions again", || {
        browser.execute("return !document.getElementById('conflict-panel').hidden;") == json!(true)
    });
    click_in_view(&browser, "#conflict-take-theirs");
    browser.wait_for("the server's version", || save_status(&browser).starts_with("La version enregistrée"));
    browser.refresh();
    assert!(checked(&browser, "level-c1-1"));
    assert!(!checked(&browser, "level-c2-1"), "the server's version was kept");
    for (criterion, points) in [("c2", 1), ("c3", 1), ("c4", 2), ("c5", 2), ("c6", 1)] {
        choose(&browser, "", criterion, points);
    }
    // 1 + 2 + 1 + 2 + 2 + 1 = 9 of 21: 1 + 5 × 9 / 21 = 3.14 → 3.
    browser.wait_for("the grade of exp-02", || browser.text(&browser.find("#live-grade")) == "3.0");
    click_in_view(&browser, "#submit-button");
    browser.click(&browser.find("#submit-confirm"));
    wait_url_end(&browser, "/comparison?submitted=1");

    // Side by side: five criteria differ, grades 3 and 5, both flags.
    assert_eq!(browser.find_all("#comparison tbody tr").len(), 6);
    let differs: Vec<String> = browser
        .find_all("#comparison tbody tr.differs")
        .iter()
        .map(|row| browser.property(row, "dataset").to_string())
        .collect();
    assert_eq!(differs.len(), 5, "{differs:?}");
    let grades = browser.text(&browser.find("#comparison tfoot tr.differs"));
    assert!(grades.contains('3') && grades.contains('5') && grades.contains("écart 2"), "{grades}");
    assert_eq!(browser.find_all("#flags li").len(), 2);
    browser.screenshot(&screenshot_path("examiner-side-by-side"), 1280, 2000);

    // The agreed form is pre-filled where they agree (c4 at 2).
    assert!(checked(&browser, "agreed-level-c4-2"));
    assert!(!checked(&browser, "agreed-level-c1-1") && !checked(&browser, "agreed-level-c1-3"));
    for criterion in ["c1", "c2", "c3", "c5", "c6"] {
        choose(&browser, "agreed-", criterion, 2);
    }
    // The joint form shows its live grade as the examiner's form does:
    // 2 + 4 + 2 + 2 + 2 + 2 = 14 of 21 → 4.5, before anything is saved.
    browser.wait_for("the joint form's live grade of all six criteria", || {
        browser.text(&browser.find("#agreed-live-answered")).starts_with("6 / 6")
    });
    assert_eq!(browser.text(&browser.find("#agreed-live-grade")), "4.5");
    let live = browser.text(&browser.find("#agreed-live"));
    assert!(live.contains("14 / 21"), "{live}");
    browser.send_keys(&browser.find("#agreed-remark"), "Accord après discussion des exemples du rapport.");
    browser.execute("document.getElementById('agreed-heading').parentElement.id = 'agreed-section';");
    browser.set_size(1280, 1400);
    browser.element_screenshot(&browser.find("#agreed-section"), &screenshot_path("examiner-agreed-form"));
    click_in_view(&browser, "#agreed-submit");
    wait_url_end(&browser, "?agreed=4.5");
    // 2 + 4 + 2 + 2 + 2 + 2 = 14 of 21: 4.33 → 4.5.
    let notice = browser.text(&browser.find("#form-notice"));
    assert_eq!(notice, "Évaluation commune enregistrée : note 4.5.");
    // The joint grade counts once both examiners confirmed it in their accounts.
    assert!(browser.find_all("#official-grade").is_empty(), "not official before the confirmations");
    assert!(browser.text(&browser.find("#reconciliation")).contains("en attente de la confirmation"));
    assert!(checked(&browser, "agreed-level-c1-2"), "the agreed evaluation is shown");
    browser.screenshot(&screenshot_path("examiner-agreed"), 1280, 2600);
    browser.send_keys(
        &browser.find("#confirm-justification"),
        "Accord après discussion des exemples du rapport.",
    );
    click_in_view(&browser, "#confirm-submit");
    wait_url_end(&browser, "?confirmed=1");
    let confirmations = browser.text(&browser.find("#confirmations"));
    assert!(
        confirmations.contains("exp-02 : confirmée") && confirmations.contains("exp-01 : pas encore"),
        "{confirmations}"
    );

    // The list shows where things stand.
    browser.goto(&format!("{base}/examiner"));
    let cell = browser.text(&browser.find("tr[data-candidate='2026-006'] td[data-position='1.2']"));
    assert!(cell.contains("commune fixée"), "{cell}");
}
