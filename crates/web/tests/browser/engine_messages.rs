//! The engine's decisions, conditions, flags and grade sources as a
//! German reader sees them in Chromium: the worked example's candidate
//! file and grade sheet with `?lang=de`, screenshots taken, the text read
//! back from the page and every element still marked French listed: the
//! French case study's title and the examiners' remarks, which the worked
//! example says are French (only the language switch's "Français" is
//! outside the content).

use serde_json::json;

use super::{Harness, harness, screenshot_path};

#[test]
fn a_german_reader_sees_the_engine_speak_german_on_the_file_and_the_sheet() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    // The texts left French are the title of the French case study the
    // candidate wrote on (the candidate's own exam document) and the
    // examiners' remarks on the file, each marked as such.
    let french_case = "Reprise du travail à l'atelier bois après un accident";
    let marked_in_file = |number: &str, case: bool| {
        let mut texts: Vec<String> = remarks_of(number);
        if case {
            texts.push(french_case.to_owned());
        }
        texts.sort();
        json!(texts)
    };
    for (uri, name, expected, marked_french) in [
        (
            "/demo/candidates/2026-003/file?lang=de",
            "engine-messages-file-de",
            [
                "Prüfung nicht bestanden (Gesamtnote",
                "nicht erfüllte Bedingung(en)",
                "Prüfungsteilnote(n) unter",
            ],
            marked_in_file("2026-003", true),
        ),
        (
            "/demo/candidates/2026-002/file?lang=de",
            "engine-messages-file-agreed-de",
            ["Prüfung bestanden: Gesamtnote", "gemeinsame Bewertung der Expertinnen und Experten", "linear"],
            marked_in_file("2026-002", false),
        ),
        (
            "/demo/candidates/2026-003?lang=de",
            "engine-messages-sheet-de",
            ["Prüfung nicht bestanden (Gesamtnote", "Prüfungsteilnote(n) unter", "Bestehensbedingungen"],
            json!([french_case]),
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
            "return Array.from(document.querySelectorAll('main [lang=fr]')).map(e => e.textContent.trim()).sort();",
        );
        assert_eq!(marked, marked_french, "{uri}: text marked French in the page's content");
    }
}

/// Every remark of candidate `number` in the worked example (overall, on
/// criteria, the joint evaluation's justification), as the file shows them.
fn remarks_of(number: &str) -> Vec<String> {
    let example = grille_scoring::embedded::example_session().expect("the worked example");
    let candidate =
        example.candidates.iter().find(|candidate| candidate.number == number).expect("candidate");
    let mut remarks = Vec::new();
    for position in &candidate.positions {
        let agreed = position.agreed.iter().map(|agreed| (&agreed.answers, &agreed.remark));
        let own = position.evaluations.iter().map(|evaluation| (&evaluation.answers, &evaluation.remark));
        for (answers, remark) in own.chain(agreed) {
            remarks.extend(answers.iter().filter_map(|answer| answer.remark.clone()));
            remarks.extend(remark.clone());
        }
    }
    remarks
}
