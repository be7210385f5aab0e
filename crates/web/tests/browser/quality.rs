//! The quality of the exam in a real browser (issue 13): the board opens
//! the demo session's statistics, follows the link to the quality page
//! and reads the severity table, the flagged examiner first, and the CSV
//! links; CSP holds on the page.

use super::support::{BOARD_PASSWORD, Journey, journey, log_in};
use super::{click_in_view, screenshot_path};

#[test]
fn the_board_reads_examiner_severity_on_the_quality_page() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    browser.wait_address("the board's sessions", |url| url.ends_with("/board"));

    // From the statistics of the demo session to its quality page.
    browser.goto(&format!("{base}/board/sessions/1/results/statistics"));
    browser.wait_element("#quality-link");
    click_in_view(&browser, "#quality-link");
    browser.wait_address("the quality page", |url| url.ends_with("/board/sessions/1/quality"));
    browser.wait_element("#severity-3");
    assert!(browser.text(&browser.find("#quality-heading")).contains("Qualité de l'examen"));
    // The severity table of each part, every examiner of the example in it.
    let tables = browser.find_all("table.severity-table");
    assert_eq!(tables.len(), 3, "one severity table per exam part");
    let part3: Vec<String> =
        browser.find_all("#severity-3 tbody tr").iter().map(|row| browser.text(row)).collect();
    assert_eq!(part3.len(), 2, "{part3:?}");
    assert!(part3[0].starts_with("exp-05") && part3[0].contains("signalé"), "flagged first: {part3:?}");
    let flagged = browser.text(&browser.find("#flagged-examiners"));
    assert!(flagged.contains("exp-05 note plus généreusement"), "{flagged}");
    // A CSV link per table, and the tables beside them.
    for id in ["#csv-severity", "#csv-candidates", "#csv-criteria", "#csv-icc", "#icc-table", "#criteria-1"] {
        assert_eq!(browser.find_all(id).len(), 1, "{id}");
    }
    browser.assert_no_csp_violations();
    browser.screenshot(&screenshot_path("board-quality"), 1280, 3000);

    // The same page in German.
    browser.goto(&format!("{base}/board/sessions/1/quality?lang=de"));
    browser.wait_element("#severity-1");
    assert!(browser.text(&browser.find("#quality-heading")).contains("Prüfungsqualität"));
    assert!(browser.text(&browser.find("#flagged-examiners")).contains("grosszügiger"));
}
