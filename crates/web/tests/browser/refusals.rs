//! A German examiner's scoring form in Chromium: the live grade's
//! provisional label and partial note are German, and when the API
//! refuses a save (here: the board has closed the scoring meanwhile, a
//! 409 whose `detail` is French) the form says the refusal in German,
//! from its code, with the session's state in German.

use grille_report::i18n::{self, Language};
use grille_workflow::{Action, Denial, SessionState};

use super::support::{Journey, fill_login, journey, save_status};
use super::{click_in_view, screenshot_path};

#[test]
fn a_german_examiner_reads_the_live_grade_and_a_refused_save_in_german() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let (base, state) = (demo.base(), &demo.state);
    let de = |key: &str| i18n::translate(Language::De, key);

    // The form in German (the login brings the examiner back to it).
    browser.goto(&format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.2?lang=de"));
    fill_login(&browser, "exp-01", grille_server::DEMO_PASSWORD);
    browser.wait_address("the scoring form", |url| url.contains("/positions/1.2"));
    browser.wait_element("#scoring-form");

    // Two criteria of six: the live grade is provisional and partial, in German.
    click_in_view(&browser, "label[for='level-c1-3']");
    click_in_view(&browser, "label[for='level-c2-2']");
    browser.wait_for("the live grade", || browser.text(&browser.find("#live-grade")) == "5.0");
    let partial = i18n::format(
        &de("examiner.grade.partial"),
        &[("answered", "2".to_owned()), ("total", "6".to_owned())],
    );
    assert_eq!(browser.text(&browser.find("#live-grade-partial")), partial);
    assert_eq!(browser.text(&browser.find("#live-grade-label")), de("examiner.grade.provisional"));
    let saved = de("examiner.js.saved");
    browser.wait_for("the draft to be saved", || save_status(&browser).starts_with(&saved));

    // The board closes the scoring behind the examiner's back: the next
    // save is refused (409, French detail) and the form says it in German.
    let store = state.store();
    store
        .set_session_state(&grille_store::Actor::system(), 1, "scoring", "finalised")
        .expect("the session moves on");
    click_in_view(&browser, "label[for='level-c3-2']");
    let refusal = grille_report::refusals::denial(
        &Denial::WrongState { state: SessionState::Finalised, action: Action::SaveOwnEvaluation },
        Language::De,
    );
    assert!(refusal.contains("Noten festgelegt"), "{refusal}");
    browser.wait_for("the refusal in German", || save_status(&browser) == refusal);
    let text = browser.execute("return document.body.innerText;");
    let text = text.as_str().unwrap_or_default();
    assert!(!text.contains("Action impossible"), "French refusal left in\n{text}");
    browser.screenshot(&screenshot_path("examiner-refusal-de"), 1280, 1400);
}
