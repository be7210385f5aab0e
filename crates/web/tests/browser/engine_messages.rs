//! The engine's decisions, conditions, flags and grade sources as a
//! German reader sees them in Chromium: the worked example's candidate
//! file and grade sheet with `?lang=de`, screenshots taken, the text read
//! back from the page and every element still marked French listed (only
//! the language switch's "Français" may remain).

use serde_json::json;

use super::{Harness, harness, screenshot_path};

#[test]
fn a_german_reader_sees_the_engine_speak_german_on_the_file_and_the_sheet() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    // The one text left French is the title of the French case study the
    // candidate wrote on (the candidate's own exam document), marked as such.
    let french_case = json!(["Reprise du travail à l'atelier bois après un accident"]);
    for (uri, name, expected, marked_french) in [
        (
            "/demo/candidates/2026-003/file?lang=de",
            "engine-messages-file-de",
            [
                "Prüfung nicht bestanden (Gesamtnote",
                "nicht erfüllte Bedingung(en)",
                "Prüfungsteilnote(n) unter",
            ],
            french_case.clone(),
        ),
        (
            "/demo/candidates/2026-002/file?lang=de",
            "engine-messages-file-agreed-de",
            ["Prüfung bestanden: Gesamtnote", "gemeinsame Bewertung der Expertinnen und Experten", "linear"],
            json!([]),
        ),
        (
            "/demo/candidates/2026-003?lang=de",
            "engine-messages-sheet-de",
            ["Prüfung nicht bestanden (Gesamtnote", "Prüfungsteilnote(n) unter", "Bestehensbedingungen"],
            french_case.clone(),
        ),
    ] {
        browser.goto(&format!("{base}{uri}"));
        browser.wait_element("main");
        browser.screenshot(&screenshot_path(name), 1280, 2400);
        let text = browser.execute("return document.body.innerText;");
        let text = text.as_str().unwrap_or_default();
        for needle in expected {
            assert!(text.contains(needle), "{uri}: no {needle:?} in\n{text}");
        }
        for french in
            ["examen échoué", "examen réussi", "condition(s) non remplie(s)", "évaluation commune des"]
        {
            assert!(!text.contains(french), "{uri}: French engine text {french:?} left in\n{text}");
        }
        let marked = browser.execute(
            "return Array.from(document.querySelectorAll('main [lang=fr]')).map(e => e.textContent.trim());",
        );
        assert_eq!(marked, marked_french, "{uri}: text marked French in the page's content");
    }
}
