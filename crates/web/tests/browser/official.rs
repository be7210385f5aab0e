//! The board's official documents in a real browser, over the app as
//! `grille serve --demo` composes it: the exam body's identity written
//! on its page (with a logo uploaded), the demo session finalised and
//! published, its days and places entered, then every grade sheet and
//! decision letter printed to PDF by Chromium (WebDriver "Print Page", A4)
//! in French and in German: each single document is one page, a batch is
//! one page per candidate.

use serde_json::json;

use super::support::{BOARD_PASSWORD, Journey, journey, log_in, set_value, wait_url};
use super::webdriver::Browser;
use super::{click_in_view, screenshot_path};

/// The number of pages of a PDF as Chromium writes it: its page objects
/// (`/Type /Page`, not the `/Type /Pages` tree).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut count = 0;
    let mut rest = text.as_ref();
    while let Some(index) = rest.find("/Type") {
        rest = &rest[index + "/Type".len()..];
        let after = rest.trim_start();
        if let Some(name) = after.strip_prefix("/Page")
            && !name.starts_with('s')
        {
            count += 1;
        }
    }
    count
}

/// Prints the current page to PDF and saves a picture of it as printed.
fn printed(browser: &Browser, name: &str) -> usize {
    browser.emulate_media("print");
    browser.screenshot(&screenshot_path(name), 794, 6000);
    browser.emulate_media("");
    // The first document as printed, whole, to look at.
    browser.emulate_media("print");
    browser.set_size(794, 2200);
    browser.element_screenshot(&browser.find("article.sheet"), &screenshot_path(&format!("{name}-first")));
    browser.set_size(1280, 900);
    browser.emulate_media("");
    let pdf = browser.print_pdf();
    assert!(pdf.starts_with(b"%PDF"), "{name}: a PDF document");
    let path = screenshot_path(name).with_extension("pdf");
    std::fs::write(&path, &pdf).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    pdf_pages(&pdf)
}

#[test]
fn the_counting_of_pdf_pages_skips_the_page_tree() {
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page /Parent 1 0 R >>\n3 0 obj <</Type/Page/Parent 1 0 R>>";
    assert_eq!(pdf_pages(pdf), 2);
}

#[test]
fn the_board_prints_one_page_per_grade_sheet_and_decision_letter() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    let dir = demo.dir();
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.wait_element("#identity-link");

    // The exam body's identity, from the board's home.
    click_in_view(&browser, "#identity-link");
    wait_url(&browser, "/board/identity");
    browser.wait_element("#identity-form");
    browser
        .send_keys(&browser.find("#identity-name"), "Commission d'examen Arbeitsagogik / Agogie du travail");
    set_value(&browser, "#identity-address", "Case postale 1234\n3001 Berne");
    browser.send_keys(&browser.find("#identity-seat"), "Berne");
    browser.send_keys(&browser.find("#signatory-1-name"), "Anne Muster");
    browser.send_keys(&browser.find("#signatory-1-function"), "Présidente de la commission d'examen");
    browser.send_keys(&browser.find("#signatory-2-name"), "Beat Beispiel");
    browser.send_keys(&browser.find("#signatory-2-function"), "Responsable des examens");
    set_value(&browser, "#identity-canton", "BE");
    // The canton's holidays, ticked by the page's script without a round
    // trip: Berne adds 2 January to the days every canton keeps.
    let checked =
        |code: &str| browser.execute(&format!("return document.getElementById('holiday-{code}').checked;"));
    assert_eq!(checked("berchtold"), json!(false));
    click_in_view(&browser, "#identity-propose-holidays");
    browser.wait_for("the proposal said", || {
        browser
            .text(&browser.find("#identity-holidays-status"))
            .contains("Jours fériés proposés pour le canton BE")
    });
    for (code, ticked) in
        [("berchtold", true), ("st_stephen", true), ("labour_day", false), ("jeune_genevois", false)]
    {
        assert_eq!(checked(code), json!(ticked), "{code}");
    }
    assert!(browser.url().ends_with("/board/identity"), "nothing sent");
    click_in_view(&browser, "#identity-save");
    wait_url(&browser, "?saved=identity");
    assert!(browser.text(&browser.find("#notice")).contains("Identité enregistrée"));

    // A logo, chosen as a file.
    let logo = dir.join("logo.svg");
    std::fs::write(
        &logo,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40"><rect width="40" height="40" fill="#1b4f72"/><rect x="48" y="8" width="72" height="8" fill="#1b4f72"/><rect x="48" y="24" width="50" height="8" fill="#5d8aa8"/></svg>"##,
    )
    .unwrap();
    browser.send_keys(&browser.find("#logo-file"), logo.to_str().unwrap());
    click_in_view(&browser, "#logo-upload");
    wait_url(&browser, "?saved=logo");
    browser.wait_for("the logo shown", || {
        browser.execute("var i = document.getElementById('identity-logo'); return !!i && i.complete && i.naturalWidth > 0;")
            == json!(true)
    });
    browser.screenshot(&screenshot_path("board-identity"), 1280, 3000);
    browser.goto(&format!("{base}/board/identity?lang=de"));
    browser.wait_element("#identity-form");
    assert!(browser.text(&browser.find("h1")).contains("Identität des Prüfungsträgers"));
    browser.screenshot(&screenshot_path("board-identity-de"), 1280, 3000);

    // The grading meeting and the publication of the demo session (back
    // in French: the language chosen is kept).
    browser.goto(&format!("{base}/board?lang=fr"));
    for number in ["2026-006", "2026-007"] {
        browser.goto(&format!("{base}/board/sessions/1"));
        browser.wait_element(&format!("#status-{number}"));
        set_value(&browser, &format!("#status-{number}"), "withdrawn_excused");
        click_in_view(&browser, &format!("#status-submit-{number}"));
        wait_url(&browser, &format!("?status={number}"));
    }
    for step in ["finalise", "publish"] {
        browser.goto(&format!("{base}/board/sessions/1/{step}"));
        browser.wait_element("#confirm-form");
        click_in_view(&browser, "#confirm-check");
        click_in_view(&browser, "#confirm-submit");
        browser.wait_for(step, || !browser.url().ends_with(&format!("/{step}")));
    }

    // The session's days and places, on its official documents page.
    browser.goto(&format!("{base}/board/sessions/1"));
    click_in_view(&browser, "#nav-official");
    wait_url(&browser, "/official");
    browser.wait_element("#particulars-form");
    set_value(&browser, "#sitting-1-date", "03.05.2027");
    set_value(&browser, "#sitting-1-place", "Olten");
    set_value(&browser, "#sitting-2-date", "04.05.2027");
    set_value(&browser, "#sitting-2-place", "Berne");
    click_in_view(&browser, "#particulars-save");
    wait_url(&browser, "?saved=particulars");
    let deadline = browser.text(&browser.find("#deadline-summary"));
    assert!(
        deadline.contains("publication") && deadline.contains("Dernier jour pour recourir"),
        "{deadline}"
    );
    browser.screenshot(&screenshot_path("board-official"), 1280, 2400);
    let candidates = browser.find_all("#official-candidates tbody tr").len();
    assert_eq!(candidates, 7);

    // Each document alone is one A4 page, in French and in German.
    for lang in ["fr", "de"] {
        for number in ["2026-003", "2026-001", "2026-005"] {
            browser.goto(&format!("{base}/board/sessions/1/candidates/{number}?lang={lang}"));
            browser.wait_element(".letterhead");
            assert_eq!(
                printed(&browser, &format!("official-grade-sheet-{number}-{lang}")),
                1,
                "sheet {number} {lang}"
            );
            browser.goto(&format!("{base}/board/sessions/1/decisions/{number}?lang={lang}"));
            browser.wait_element(".letter");
            let remedies = browser.text(&browser.find(".remedies"));
            let expected = if lang == "de" { "Rechtsmittelbelehrung" } else { "Voie de droit" };
            assert!(remedies.contains(expected) && remedies.contains("30"), "{remedies}");
            assert_eq!(
                printed(&browser, &format!("official-letter-{number}-{lang}")),
                1,
                "letter {number} {lang}"
            );
        }
    }
    // A batch is one page per candidate.
    browser.goto(&format!("{base}/board/sessions/1/decisions?lang=de"));
    browser.wait_element(".letter");
    assert_eq!(printed(&browser, "official-letters-de"), candidates);
    browser.goto(&format!("{base}/board/sessions/1/official"));
    click_in_view(&browser, "#all-sheets");
    wait_url(&browser, "/grade-sheets");
    browser.wait_element(".letterhead");
    assert_eq!(printed(&browser, "official-grade-sheets-de"), candidates);
    browser.assert_no_csp_violations();
}
