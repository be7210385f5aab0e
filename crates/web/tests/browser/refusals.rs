//! A German examiner's scoring form in Chromium: the live grade's
//! provisional label and partial note are German, and when the API
//! refuses a save (here: the board has closed the scoring meanwhile, a
//! 409 whose `detail` is French) the form says the refusal in German,
//! from its code, with the session's state in German.

use std::time::Duration;

use grille_report::i18n::{self, Language};
use grille_workflow::{Action, Denial, SessionState};

use super::webdriver::Browser;
use super::{ONE_BROWSER, click_in_view, screenshot_path};

/// `grille serve --demo` in-process on port 0; its address, the app's
/// state (to move the session on behind the examiner's back) and the data
/// folder (removed when dropped).
fn start_server() -> (String, grille_server::AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let data_dir = dir.path().join("data");
    let (sender, receiver) = std::sync::mpsc::channel();
    // The pages are built once the server runs: their builder hands the
    // state over.
    let (state_sender, state_receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        let runtime = runtime.expect("a tokio runtime");
        runtime.block_on(async move {
            let config = grille_server::ServeConfig {
                addr: "127.0.0.1:0".parse().expect("an address"),
                data_dir,
                demo: true,
                database: None,
                database_pool: grille_store::Store::DEFAULT_POOL,
                app: grille_server::AppConfig {
                    password_cost: grille_server::PasswordCost::TESTING,
                    ..grille_server::AppConfig::default()
                },
                pages: Some(grille_server::PagesBuilder::new(move |state| {
                    // Only the first build is waited for.
                    let _ = state_sender.send(state.clone());
                    grille_web::router(grille_web::WebState::with_app(state.clone()))
                })),
            };
            let server = grille_server::Server::bind(config).await.expect("the server starts");
            sender.send(server.local_addr().expect("its address")).expect("the test waits");
            server.run_until(std::future::pending()).await.expect("the server runs");
        });
    });
    let address = receiver.recv_timeout(Duration::from_secs(60)).expect("the server started");
    let state = state_receiver.recv_timeout(Duration::from_secs(60)).expect("the app's state");
    (format!("http://{address}"), state, dir)
}

fn status(browser: &Browser) -> String {
    let text =
        browser.execute("const s = document.getElementById('save-status'); return s ? s.textContent : '';");
    text.as_str().unwrap_or_default().trim().to_owned()
}

#[test]
fn a_german_examiner_reads_the_live_grade_and_a_refused_save_in_german() {
    if std::env::var_os("GRILLE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("GRILLE_SKIP_BROWSER_TESTS=1: browser test skipped (CI must run it)");
        return;
    }
    let _guard = ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (base, state, _data) = start_server();
    let browser = Browser::start().unwrap_or_else(|message| panic!("{message}"));
    let de = |key: &str| i18n::translate(Language::De, key);

    // The form in German (the login brings the examiner back to it).
    browser.goto(&format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.2?lang=de"));
    browser.send_keys(&browser.find("#username"), "exp-01");
    browser.send_keys(&browser.find("#password"), grille_server::DEMO_PASSWORD);
    browser.click(&browser.find("#login-submit"));
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
    browser.wait_for("the draft to be saved", || status(&browser).starts_with(&saved));

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
    browser.wait_for("the refusal in German", || status(&browser) == refusal);
    let text = browser.execute("return document.body.innerText;");
    let text = text.as_str().unwrap_or_default();
    assert!(!text.contains("Action impossible"), "French refusal left in\n{text}");
    browser.screenshot(&screenshot_path("examiner-refusal-de"), 1280, 1400);
}
