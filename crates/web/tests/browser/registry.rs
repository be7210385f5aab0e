//! The candidate register in a real browser, in German, over the app as
//! `grille serve --demo` composes it: a board member enters a candidate's
//! master data (a date typed the Swiss way, a day that does not exist
//! first), imports the others' from a CSV file through the preview,
//! grants an accommodation that the assigned examiner then sees, closes
//! the grading meeting and opens the decision letter, which carries the
//! address, date of birth and place of origin and is written in the
//! candidate's exam language.

use super::support::{BOARD_PASSWORD, Journey, journey, log_in, set_value, wait_url};
use super::{click_in_view, screenshot_path};

#[test]
fn a_german_board_enters_master_data_and_prints_the_decision_in_the_candidates_language() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    // German from the first page on (the language is remembered).
    browser.goto(&format!("{base}/login?lang=de"));
    log_in(&browser, &base, "commission", BOARD_PASSWORD);

    // The session's register, from its navigation.
    browser.goto(&format!("{base}/board/sessions/1?lang=de"));
    click_in_view(&browser, "#nav-register");
    wait_url(&browser, "/register");
    browser.wait_element("#register-table");
    assert!(browser.text(&browser.find("h1")).contains("Stammdaten und Nachteilsausgleich"));

    // One candidate by hand: a day that does not exist is refused on the form.
    click_in_view(&browser, "#register-2026-003 a");
    wait_url(&browser, "/candidates/2026-003/register");
    browser.wait_element("#master-form");
    set_value(&browser, "#master-family-name", "Muster");
    set_value(&browser, "#master-given-name", "Anne Lea");
    set_value(&browser, "#master-birth", "31.02.1990");
    set_value(&browser, "#master-origin", "Trub BE");
    set_value(&browser, "#master-address", "Bahnhofstrasse 12\n3011 Bern");
    set_value(&browser, "#master-language", "de");
    click_in_view(&browser, "#master-submit");
    browser.wait_element("#master-errors");
    assert!(browser.text(&browser.find("#master-errors")).contains("31.02.1990"));
    browser.screenshot(&screenshot_path("registry-master-refused-de"), 1280, 1400);
    set_value(&browser, "#master-birth", "28.02.1990");
    click_in_view(&browser, "#master-submit");
    wait_url(&browser, "saved=master");
    assert!(browser.text(&browser.find("#notice")).contains("Stammdaten gespeichert"));

    // The accommodation.
    set_value(&browser, "#accommodation-minutes", "30");
    set_value(&browser, "#accommodation-aids", "Laptop mit Vorlesefunktion");
    click_in_view(&browser, "#accommodation-submit");
    wait_url(&browser, "saved=accommodation");
    browser.screenshot(&screenshot_path("registry-candidate-de"), 1280, 1400);

    // The others from a file: a bad line first, then the right file.
    browser.goto(&format!("{base}/board/sessions/1/register?lang=de"));
    browser.wait_element("#register-csv-form");
    set_value(
        &browser,
        "#register-csv-text",
        "Nummer;Name;Vorname;Geburtsdatum;Heimatort;Prüfungssprache\n2026-001;Meier;Lea;1990/12/31;Luzern;de\n",
    );
    click_in_view(&browser, "#register-csv-preview");
    browser.wait_element("#csv-errors");
    let errors = browser.text(&browser.find("#csv-errors"));
    assert!(errors.contains("Geburtsdatum") && errors.contains("1990/12/31"), "{errors}");
    set_value(
        &browser,
        "#csv-text",
        "Nummer;Name;Vorname;Geburtsdatum;Heimatort;Prüfungssprache\n2026-001;Meier;Lea;31.12.1990;Luzern;de\n2026-002;Rossi;Marco;1985-04-02;Lugano;it\n",
    );
    click_in_view(&browser, "#csv-preview");
    browser.wait_element("#csv-rows");
    browser.screenshot(&screenshot_path("registry-csv-preview-de"), 1280, 1200);
    click_in_view(&browser, "#csv-confirm");
    wait_url(&browser, "imported=");
    let table = browser.text(&browser.find("#register-table"));
    assert!(
        table.contains("31.12.1990") && table.contains("Italienisch") && table.contains("28.02.1990"),
        "{table}"
    );
    browser.screenshot(&screenshot_path("registry-register-de"), 1280, 1400);

    // The grading meeting.
    for number in ["2026-006", "2026-007"] {
        browser.goto(&format!("{base}/board/sessions/1"));
        browser.wait_element(&format!("#status-{number}"));
        set_value(&browser, &format!("#status-{number}"), "withdrawn_excused");
        click_in_view(&browser, &format!("#status-submit-{number}"));
        wait_url(&browser, &format!("?status={number}"));
    }
    browser.goto(&format!("{base}/board/sessions/1/finalise"));
    browser.wait_element("#confirm-form");
    click_in_view(&browser, "#confirm-check");
    click_in_view(&browser, "#confirm-submit");
    browser.wait_for("finalised", || !browser.url().ends_with("/finalise"));

    // The letter of 2026-003, asked for in French, is written in German.
    browser.goto(&format!("{base}/board/sessions/1/decisions/2026-003?lang=fr&notified=01.07.2027"));
    browser.wait_element(".letter");
    let letter = browser.text(&browser.find(".letter"));
    for needle in [
        "Verfügung",
        "Anne Lea Muster",
        "Bahnhofstrasse 12",
        "3011 Bern",
        "28.02.1990",
        "Heimatort",
        "Trub BE",
    ] {
        assert!(letter.contains(needle), "{needle}: {letter}");
    }
    browser.emulate_media("print");
    browser.set_size(794, 2200);
    browser.element_screenshot(&browser.find("article.sheet"), &screenshot_path("registry-letter-2026-003"));
    browser.set_size(1280, 900);
    browser.emulate_media("");
    // The letter of 2026-002 is in Italian.
    browser.goto(&format!("{base}/board/sessions/1/decisions/2026-002?lang=de&notified=01.07.2027"));
    browser.wait_element(".letter");
    assert_eq!(
        browser.execute("return document.querySelector('article.letter').lang;"),
        serde_json::json!("it")
    );
    browser.assert_no_csp_violations();

    // The examiner assigned to 2026-003 sees the accommodation.
    log_in(&browser, &base, "exp-01", grille_server::DEMO_PASSWORD);
    browser.goto(&format!("{base}/examiner?lang=de"));
    browser.wait_element("#accommodation-2026-003");
    assert!(browser.text(&browser.find("#accommodation-2026-003")).contains("30 Min. zusätzlich"));
    browser.screenshot(&screenshot_path("registry-examiner-de"), 1280, 1200);
}
