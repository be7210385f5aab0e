//! The candidates' submitted work in a real browser, over the real app
//! composed as `grille serve --demo` composes it, with a board account
//! `commission`: the board uploads 2026-007's work for position 2.1 on
//! the session's page of submitted work; `exp-03`, assigned to part 2,
//! opens the scoring form and reads the PDF in a frame beside the rubric,
//! with the case panel and a link to the previous candidate of the same
//! position.

use serde_json::json;

use super::support::{BOARD_PASSWORD, Journey, fill_login, journey, log_in, wait_url};
use super::{click_in_view, screenshot_path};

#[test]
fn the_board_uploads_a_candidates_work_and_the_examiner_reads_it_beside_the_rubric() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    let dir = demo.dir();
    // The example's plan stands in for a candidate's written work.
    let pdf = include_bytes!("../../../../examples/cases/plan-atelier-bois.pdf");
    let work = dir.join("travail-2026-007.pdf");
    std::fs::write(&work, pdf).expect("the work file");

    // The board opens the session's submitted work from the session's navigation.
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.goto(&format!("{base}/board/sessions/1"));
    click_in_view(&browser, "#nav-session-submissions");
    wait_url(&browser, "/board/sessions/1/submissions");
    browser.wait_element("#submissions-table");
    let cell = "tr[data-candidate='2026-007'] td[data-position='2.1']";
    assert!(browser.text(&browser.find(cell)).contains("Aucun travail déposé"));
    browser.send_keys(&browser.find("#input-2026-007-2-1"), work.to_str().expect("a UTF-8 path"));
    click_in_view(&browser, "#upload-2026-007-2-1 button");
    wait_url(&browser, "?done=uploaded");
    assert_eq!(browser.text(&browser.find("#file-2026-007-2-1")), "travail-2026-007.pdf");
    assert!(!browser.find_all("#remove-2026-007-2-1").is_empty(), "it can be removed before scoring");
    browser.screenshot(&screenshot_path("board-submissions"), 1280, 1400);
    click_in_view(&browser, "#logout");
    wait_url(&browser, "/login?logged_out=1");

    // exp-03 scores 2026-007 on part 2: the PDF beside the rubric and the case.
    let form = format!("{base}/examiner/sessions/1/candidates/2026-007/positions/2.1");
    browser.goto(&form);
    fill_login(&browser, "exp-03", grille_server::DEMO_PASSWORD);
    wait_url(&browser, "/positions/2.1");
    browser.wait_element("#split-view");
    browser.wait_element("#case-panel");
    browser.wait_element("#scoring-form");
    let frame = browser.find("iframe#submission-frame");
    let title = browser.property(&frame, "title");
    assert!(title.as_str().is_some_and(|title| title.contains("2026-007")), "{title}");
    let src = browser.property(&frame, "src");
    let src = src.as_str().expect("the frame's address");
    assert!(src.ends_with("/api/sessions/1/candidates/2026-007/positions/2.1/submission"), "{src}");
    assert_eq!(
        browser.text(&browser.find("#submission-link")),
        "Ouvrir travail-2026-007.pdf dans un nouvel onglet"
    );
    let answer = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(document.getElementById('submission-frame').src)
           .then(r => r.arrayBuffer().then(b => done({
             status: r.status,
             type: r.headers.get('content-type'),
             frame: r.headers.get('x-frame-options'),
             size: b.byteLength,
           })))
           .catch(e => done({error: String(e)}));",
    );
    assert_eq!(
        answer,
        json!({"status": 200, "type": "application/pdf", "frame": "SAMEORIGIN", "size": pdf.len()})
    );
    // The previous candidate of the same position among exp-03's own.
    let previous = browser.find("#previous-candidate");
    assert!(browser.text(&previous).contains("2026-004"), "{}", browser.text(&previous));
    assert!(browser.find_all("#next-candidate").is_empty(), "2026-007 is the last");
    browser.screenshot(&screenshot_path("examiner-form-with-work"), 1280, 1400);
    browser.screenshot(&screenshot_path("examiner-form-with-work-narrow"), 600, 2000);
    browser.assert_no_csp_violations();
}
