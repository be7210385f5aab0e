//! The what-if simulation and an examiner's history in a real browser
//! (issue 13): the board goes from the quality page to the simulation,
//! allows two insufficient parts instead of one, sees the candidate it
//! would flip with the explanation, and follows an examiner from the
//! quality page to their history; in French, German and Italian; at
//! 1366 px and on a 390 px phone, with screenshots.

use super::support::{BOARD_PASSWORD, Journey, journey, log_in};
use super::webdriver::Browser;
use super::{click_in_view, screenshot_path};

/// Types `value` into the field `id` in place of what it holds.
fn replace(browser: &Browser, id: &str, value: &str) {
    browser.execute(&format!("document.getElementById('{id}').value = '';"));
    browser.send_keys(&browser.find(&format!("#{id}")), value);
}

/// On the what-if page: two insufficient parts allowed, simulated.
fn allow_two_insufficient_parts(browser: &Browser) {
    browser.wait_element("#what-if-form");
    replace(browser, "field-pass_rule-max_insufficient_parts", "2");
    let submit = browser.find("#what-if-submit");
    browser.execute("document.getElementById('what-if-submit').scrollIntoView({ block: 'center' });");
    browser.click_and_load(&submit);
    browser.wait_element("#what-if-changes");
}

#[test]
fn the_board_tries_a_pass_rule_and_follows_an_examiners_history() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    browser.wait_address("the board's sessions", |url| url.ends_with("/board"));

    // From the quality page to the simulation.
    browser.set_size(1366, 900);
    browser.goto(&format!("{base}/board/sessions/1/quality"));
    browser.wait_element("#what-if-link");
    // The charts beside the tables: an image with a title per part.
    assert_eq!(browser.find_all("#severity-chart-3 svg[role='img'] > title").len(), 1);
    click_in_view(&browser, "#what-if-link");
    browser.wait_address("the what-if page", |url| url.ends_with("/board/sessions/1/what-if"));
    assert!(browser.text(&browser.find("#what-if-nothing-saved")).contains("Rien n'est enregistré"));
    allow_two_insufficient_parts(&browser);
    assert_eq!(browser.text(&browser.find("#count-gained")), "1");
    assert_eq!(browser.text(&browser.find("#count-lost")), "0");
    let row = browser.text(&browser.find("#change-2026-003"));
    assert!(row.contains("échoué") && row.contains("réussi"), "{row}");
    // The explanation opens in place.
    browser.click(&browser.find("#explain-2026-003 details summary"));
    browser.wait_for("the explanation", || {
        browser.text(&browser.find("#explain-2026-003 details")).contains("toutes les conditions de réussite")
    });
    browser.assert_no_csp_violations();
    browser.screenshot(&screenshot_path("what-if-1366"), 1366, 2600);
    browser.set_size(390, 844);
    let overflow = browser
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assert_eq!(overflow, serde_json::json!(0), "the page does not scroll sideways on a phone");
    browser.screenshot(&screenshot_path("what-if-390"), 390, 3200);

    // The same in German and Italian.
    for (lang, gained) in [("de", "Zusätzlich bestanden"), ("it", "Superamenti in più")] {
        browser.set_size(1366, 900);
        browser.goto(&format!("{base}/board/sessions/1/what-if?lang={lang}"));
        allow_two_insufficient_parts(&browser);
        assert!(browser.text(&browser.find("#what-if-counts")).contains(gained), "{lang}");
        assert!(browser.find_all("#change-2026-003").len() == 1, "{lang}");
        browser.screenshot(&screenshot_path(&format!("what-if-{lang}")), 1366, 1600);
    }

    // From the examiner's name on the quality page to their history.
    browser.goto(&format!("{base}/board/sessions/1/quality?lang=fr"));
    browser.wait_element("#severity-3");
    click_in_view(&browser, "#severity-3 a[href='/board/examiners/exp-05/history']");
    browser.wait_address("the history", |url| url.ends_with("/board/examiners/exp-05/history"));
    browser.wait_element("#history-table");
    let summary = browser.text(&browser.find("#history-summary"));
    assert!(summary.contains("exp-05") && summary.contains("généreusement"), "{summary}");
    assert_eq!(browser.find_all("#history-table tbody tr").len(), 1);
    assert_eq!(browser.find_all("#history-chart svg[role='img'] desc").len(), 1);
    browser.assert_no_csp_violations();
    browser.screenshot(&screenshot_path("examiner-history-1366"), 1366, 1400);
    browser.set_size(390, 844);
    browser.refresh();
    browser.wait_element("#history-table");
    let overflow = browser
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assert_eq!(overflow, serde_json::json!(0), "the history does not scroll sideways on a phone");
    browser.screenshot(&screenshot_path("examiner-history-390"), 390, 2400);
}
