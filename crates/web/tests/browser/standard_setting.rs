//! Standard setting in a real browser (issue 13): a board member opens the
//! quality page of the demo session, follows the link to standard setting,
//! records a three-member Angoff panel in the table (with Hofstee ranges),
//! reads the cut score, the chart and its table, downloads the draft
//! conversion (fetched as the link would) and saves it into the document
//! bank; screenshots at 1366 and 390 px.

use super::support::{BOARD_PASSWORD, Journey, journey, log_in};
use super::{click_in_view, screenshot_path};

#[test]
fn a_board_member_records_a_panel_and_saves_the_draft_conversion() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    browser.wait_address("the board's sessions", |url| url.ends_with("/board"));

    // From the quality page to standard setting.
    browser.goto(&format!("{base}/board/sessions/1/quality"));
    browser.wait_element("#standard-setting-link");
    click_in_view(&browser, "#standard-setting-link");
    browser.wait_address("standard setting", |url| url.ends_with("/board/sessions/1/standard-setting"));
    browser.wait_element("#panel-table");
    assert!(browser.find_all("#angoff-results").is_empty(), "no panel yet");
    assert!(browser.text(&browser.find("#standard-setting-never-applied")).contains("ne change une note"));

    // Three panellists estimate every position: 50 %, 60 % and 70 % of its
    // maximum, and give their Hofstee ranges.
    let maxima: Vec<f64> = browser
        .find_all("#panel-table tbody tr:not(.ranges) td.number")
        .iter()
        .map(|cell| browser.text(cell).trim().parse().expect("a maximum"))
        .collect();
    assert_eq!(maxima.len(), 4, "four positions in the demo blueprint");
    let total: f64 = maxima.iter().sum();
    for (column, (name, share)) in
        [("Anna Keller", 0.5), ("Bruno Rossi", 0.6), ("Chiara Weber", 0.7)].iter().enumerate()
    {
        browser.send_keys(&browser.find(&format!("#name-{column}")), name);
        for (row, max) in maxima.iter().enumerate() {
            browser.send_keys(&browser.find(&format!("#est-{column}-{row}")), &format!("{:.2}", max * share));
        }
        let ranges = [total * 0.4, total * 0.8, 0.0, 60.0];
        for (field, value) in ["min_cut", "max_cut", "min_fail_rate", "max_fail_rate"].iter().zip(ranges) {
            browser.send_keys(&browser.find(&format!("#range-{column}-{field}")), &format!("{value:.2}"));
        }
    }
    click_in_view(&browser, "#panel-save");
    browser.wait_address("the saved panel", |url| url.contains("saved=1"));
    browser.wait_element("#angoff-results");
    assert!(browser.text(&browser.find("#notice")).contains("Le panel est enregistré"));
    let cut = browser.text(&browser.find("#angoff-cut-score"));
    assert_eq!(cut, format!("{:.2}", total * 0.6), "the mean of 50, 60 and 70 %");
    let sentence = browser.text(&browser.find("#angoff-sentence"));
    assert!(sentence.contains("tout juste compétent") && sentence.contains("(60.0 %)"), "{sentence}");
    let panellists = browser.find_all("#angoff-panellists tbody tr");
    assert_eq!(panellists.len(), 3);
    // The chart has its table beside it and labels of 12 px or more.
    assert_eq!(browser.find_all("#standard-setting-chart svg").len(), 1);
    assert_eq!(browser.find_all("#distribution-table tbody tr").len(), 10);
    let smallest = browser.execute(
        "return Math.min(...[...document.querySelectorAll('#standard-setting-chart svg text')].map(t => parseFloat(getComputedStyle(t).fontSize)));",
    );
    assert!(smallest.as_f64().unwrap_or(0.0) >= 12.0, "{smallest}");
    assert!(!browser.text(&browser.find("#hofstee-outcome")).is_empty());

    // The draft conversion: the download link gives a scheme whose
    // conversion puts 4.0 at 60 % of the maximum.
    browser.wait_element("#draft-angoff-download");
    let downloaded = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(document.querySelector('#draft-angoff-download').href, {credentials: 'same-origin'})
           .then(r => r.json()).then(s => done(s.conversion)).catch(e => done(String(e)));",
    );
    assert_eq!(downloaded["kind"], "two_piece", "{downloaded}");
    assert_eq!(downloaded["pass_fraction"], "0.6", "{downloaded}");
    browser.screenshot(&screenshot_path("board-standard-setting-1366"), 1366, 4000);
    browser.screenshot(&screenshot_path("board-standard-setting-390"), 390, 6000);
    let overflow = {
        browser.set_size(390, 900);
        let wide = browser.execute("return document.documentElement.scrollWidth > window.innerWidth + 1;");
        browser.set_size(1280, 900);
        wide
    };
    assert_eq!(overflow, serde_json::json!(false), "no sideways scrolling on a phone");

    // Saved into the bank as a draft; the session keeps its own scheme.
    click_in_view(&browser, "#draft-angoff-save");
    browser.wait_address("the saved draft", |url| url.contains("draft="));
    assert!(browser.text(&browser.find("#notice")).contains("brouillon"));
    browser.goto(&format!("{base}/documents"));
    browser.wait_for("the draft in the bank", || browser.text(&browser.find("main")).contains("angoff-s1v1"));
    browser.assert_no_csp_violations();

    // The page in German.
    browser.goto(&format!("{base}/board/sessions/1/standard-setting?lang=de"));
    browser.wait_element("#angoff-results");
    assert!(browser.text(&browser.find("h1")).contains("Bestehensgrenze"));
}

/// A trainer sets the standard of a mock exam of their school on the same
/// page: from the session's page to the panel, saved, the cut score read,
/// every link and form staying under the trainer's pages.
#[test]
fn a_trainer_records_a_panel_for_their_mock_exam() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    log_in(&browser, &base, "formatrice-demo", grille_server::DEMO_PASSWORD);
    browser.wait_address("the trainer's home", |url| url.ends_with("/trainer"));
    browser.send_keys(&browser.find("#session-name"), "Blanc seuil");
    click_in_view(&browser, "#create-submit");
    browser.wait_address("the new mock exam", |url| url.contains("/trainer/sessions/"));
    browser.wait_element("#standard-setting-link");
    click_in_view(&browser, "#standard-setting-link");
    browser.wait_address("standard setting", |url| url.ends_with("/standard-setting"));
    browser.wait_element("#panel-table");
    let links = browser.execute("return [...document.querySelectorAll('main a, main form')].map(e => e.getAttribute('href') || e.getAttribute('action'));");
    let links: Vec<&str> = links.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(links.iter().all(|link| !link.starts_with("/board")), "{links:?}");
    let maxima: Vec<f64> = browser
        .find_all("#panel-table tbody tr:not(.ranges) td.number")
        .iter()
        .map(|cell| browser.text(cell).trim().parse().expect("a maximum"))
        .collect();
    let total: f64 = maxima.iter().sum();
    for (column, (name, share)) in [("Dora", 0.5), ("Emil", 0.7)].iter().enumerate() {
        browser.send_keys(&browser.find(&format!("#name-{column}")), name);
        for (row, max) in maxima.iter().enumerate() {
            browser.send_keys(&browser.find(&format!("#est-{column}-{row}")), &format!("{:.2}", max * share));
        }
    }
    click_in_view(&browser, "#panel-save");
    browser
        .wait_address("the saved panel", |url| url.contains("/trainer/sessions/") && url.contains("saved=1"));
    browser.wait_element("#angoff-results");
    assert_eq!(browser.text(&browser.find("#angoff-cut-score")), format!("{:.2}", total * 0.6));
    click_in_view(&browser, "#back-link a");
    browser.wait_element("#cohort-heading");
    browser.assert_no_csp_violations();
}
