//! The candidates' submitted work in a real browser, over the real app
//! composed as `grille serve --demo` composes it, with a board account
//! `commission`: the board uploads 2026-007's work for position 2.1 on
//! the session's page of submitted work; `exp-03`, assigned to part 2,
//! opens the scoring form and reads the PDF in a frame beside the rubric,
//! with the case panel and a link to the previous candidate of the same
//! position.

use std::time::Duration;

use serde_json::json;

use super::webdriver::Browser;
use super::{ONE_BROWSER, click_in_view, screenshot_path};

const BOARD_PASSWORD: &str = "commission-secret-2026";

/// Starts `grille serve --demo` in-process on port 0, with a board account.
fn start_server() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let data_dir = dir.path().join("data");
    let (sender, receiver) = std::sync::mpsc::channel();
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
                pages: Some(grille_server::PagesBuilder::new(|state| {
                    let store = state.store();
                    if store.user_by_username("commission").ok().flatten().is_none() {
                        let password_hash = grille_server::auth::hash_password(
                            BOARD_PASSWORD,
                            grille_server::PasswordCost::TESTING,
                        )
                        .expect("a hash");
                        let user = grille_store::NewUser {
                            username: "commission".into(),
                            password_hash,
                            role: grille_store::Role::Admin,
                        };
                        store.create_user(&grille_store::Actor::system(), &user).expect("the board account");
                    }
                    grille_web::router(grille_web::WebState::with_app(state.clone()))
                })),
            };
            let server = grille_server::Server::bind(config).await.expect("the server starts");
            sender.send(server.local_addr().expect("its address")).expect("the test waits");
            server.run_until(std::future::pending()).await.expect("the server runs");
        });
    });
    let address = receiver.recv_timeout(Duration::from_secs(60)).expect("the server started");
    (format!("http://{address}"), dir)
}

fn wait_url(browser: &Browser, part: &str) {
    browser.wait_address(&format!("an address with {part}"), |url| url.contains(part));
}

#[test]
fn the_board_uploads_a_candidates_work_and_the_examiner_reads_it_beside_the_rubric() {
    if std::env::var_os("GRILLE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("GRILLE_SKIP_BROWSER_TESTS=1: browser test skipped (CI must run it)");
        return;
    }
    let _guard = ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (base, dir) = start_server();
    let browser = Browser::start().unwrap_or_else(|message| panic!("{message}"));
    // The example's plan stands in for a candidate's written work.
    let pdf = include_bytes!("../../../../examples/cases/plan-atelier-bois.pdf");
    let work = dir.path().join("travail-2026-007.pdf");
    std::fs::write(&work, pdf).expect("the work file");

    // The board opens the session's submitted work from the session's navigation.
    browser.goto(&format!("{base}/login"));
    browser.send_keys(&browser.find("#username"), "commission");
    browser.send_keys(&browser.find("#password"), BOARD_PASSWORD);
    browser.click(&browser.find("#login-submit"));
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
    browser.send_keys(&browser.find("#username"), "exp-03");
    browser.send_keys(&browser.find("#password"), grille_server::DEMO_PASSWORD);
    browser.click(&browser.find("#login-submit"));
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
