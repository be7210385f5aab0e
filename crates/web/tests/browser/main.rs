//! End-to-end tests of the pages in a real headless Chromium.
//!
//! Each test starts the router on 127.0.0.1 port 0 and a chromedriver on a
//! free port, then drives the browser like a candidate. They need Debian's
//! `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`; other paths through `GRILLE_CHROMIUM` and
//! `GRILLE_CHROMEDRIVER`). Without them the tests fail and say what to
//! install; `GRILLE_SKIP_BROWSER_TESTS=1` skips them on a machine without a
//! browser (CI must not set it). Screenshots of the main pages are written
//! to `target/screenshots/*.png` for a person to look at.
//!
//! The WebDriver client is ours (`webdriver.rs`, std sockets and
//! serde_json): the dozen commands we use do not justify the dependency
//! tree of a client crate on a two-core build machine.

/// axe-core on every main page at laptop and phone widths.
mod accessibility;
/// Accounts: created by the board, a second factor enrolled and reset.
mod accounts;
/// Moderation: a chief expert's arbitration, a joint grade confirmed by both examiners.
mod arbitration;
/// The board's journey over the real app.
mod board;
/// The candidate's and the trainer's journeys over the real app.
mod candidate;
/// The case and document banks: next year's exam, a mock exam with a case.
mod cases;
/// The examiner's journey over the real app.
mod examiner;
/// The trainer's and the candidate's loops: class grid, cohort CSV, publish,
/// filled rubric, development plan.
mod loops;
/// The examiner's form through a lost connection, a reload offline, an
/// expired login and a second device.
mod outage;
/// The quality of the exam: examiner severity on the board's page.
mod quality;
/// The language of the examiner's remarks: chosen at a phone's width in
/// German, and two tabs on one draft.
mod remark_language;
/// Standard setting: an Angoff panel recorded in the page, the draft conversion.
mod standard_setting;
/// The candidates' submitted work: uploaded by the board, read beside the rubric.
mod submissions;
/// What the journeys share: the demo server, the browser lock, an API
/// client, logging in and the usual page gestures.
mod support;
/// The WebDriver client and the chromedriver process.
mod webdriver;
/// The what-if simulation of a pass rule, and an examiner's history.
mod what_if;

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use grille_competence::Catalogue;
use serde_json::json;
use webdriver::Browser;

/// One browser at a time: two cores do not run three Chromiums well.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// A running app and a browser, or `None` when the tests are skipped.
struct Harness {
    base: String,
    browser: Browser,
    _guard: MutexGuard<'static, ()>,
}

fn catalogue() -> Catalogue {
    Catalogue::embedded().unwrap_or_else(|problems| panic!("embedded catalogue: {problems:?}"))
}

/// Starts the app on port 0 in its own thread and runtime.
fn start_app() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).expect("non-blocking listener");
    let address = listener.local_addr().expect("local address");
    // With the headers `grille serve` sends, so that the pages are tested
    // under its Content-Security-Policy.
    let app = grille_server::headers::secure(grille_web::router(grille_web::WebState::new(catalogue())));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build();
        let runtime = runtime.expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    format!("http://{address}")
}

fn harness() -> Option<Harness> {
    if support::skipped() {
        return None;
    }
    let guard = support::one_browser();
    let base = start_app();
    let browser = support::start_browser();
    Some(Harness { base, browser, _guard: guard })
}

fn screenshot_path(name: &str) -> PathBuf {
    // CARGO_MANIFEST_DIR is crates/web; the workspace target is two up.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("screenshots").join(format!("{name}.png"))
}

/// Clicks the element matching `css` after scrolling it to the middle of
/// the window, as a person would, so that the sticky toolbar does not cover
/// it (WebDriver only scrolls elements that are out of view).
fn click_in_view(browser: &Browser, css: &str) {
    let element = browser.find(css);
    let selector = serde_json::to_string(css).unwrap();
    browser.execute(&format!("document.querySelector({selector}).scrollIntoView({{ block: 'center' }});"));
    browser.click(&element);
}

/// Opens a competence's section of the form and clicks a level's label.
fn rate(browser: &Browser, criterion: &str, level: u8) {
    let competence = criterion.split('.').next().unwrap();
    let details = browser.find(&format!("details#sa-{competence}"));
    if browser.property(&details, "open") != json!(true) {
        click_in_view(browser, &format!("details#sa-{competence} > summary"));
    }
    let id = format!("r-{criterion}-{level}").replace('.', "\\.");
    click_in_view(browser, &format!("label[for='{id}']"));
}

fn is_checked(browser: &Browser, criterion: &str, level: u8) -> bool {
    let id = format!("r-{criterion}-{level}");
    browser.execute(&format!("return document.getElementById('{id}').checked;")) == json!(true)
}

#[test]
fn the_content_security_policy_is_enforced_and_watched() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    browser.goto(&format!("{base}/self-assessment"));
    browser.find("#progress");
    // The export downloads a blob URL: a navigation, which the policy
    // leaves alone (downloads are refused here, to write no file).
    browser.deny_downloads();
    browser.click(&browser.find("#export"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    browser.assert_no_csp_violations();
    // What the policy forbids is blocked, and the harness sees it.
    browser.execute("document.body.setAttribute('style', 'color: red');");
    let script = "var s = document.createElement('script'); s.textContent = 'window.__inline = 1;'; document.body.appendChild(s);";
    browser.execute(script);
    browser.wait_for("two violations", || {
        browser.execute("return window.__grilleCspViolations.length;") == json!(2)
    });
    assert_eq!(browser.execute("return window.__inline === undefined;"), json!(true));
    let violations = browser.take_csp_violations();
    assert!(violations[0].starts_with("style-src-attr"), "{violations:?}");
    assert!(violations[1].starts_with("script-src-elem"), "{violations:?}");
}

#[test]
fn self_assessment_is_kept_across_a_reload_and_gives_a_profile() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    let total = catalogue().criteria().count();
    browser.goto(&format!("{base}/self-assessment"));
    let progress = browser.find("#progress");
    assert_eq!(browser.text(&progress), format!("0 critères évalués sur {total}"));

    rate(&browser, "A1.p1", 4);
    rate(&browser, "A1.p2", 3);
    rate(&browser, "A1.k1", 2);
    rate(&browser, "B2.p1", 1);
    // Changing one's mind replaces the rating; it does not add one.
    rate(&browser, "A1.k1", 3);
    assert_eq!(browser.text(&browser.find("#progress")), format!("4 critères évalués sur {total}"));
    assert_eq!(browser.text(&browser.find("#save-status")), "Enregistré dans ce navigateur.");
    let a1_count = browser.find(r#".competence-count[data-competence="A1"]"#);
    assert!(browser.text(&a1_count).starts_with("3 / "), "{}", browser.text(&a1_count));

    browser.refresh();
    assert_eq!(browser.text(&browser.find("#progress")), format!("4 critères évalués sur {total}"));
    assert_eq!(browser.text(&browser.find("#save-status")), "Vos réponses précédentes ont été restaurées.");
    for (criterion, level) in [("A1.p1", 4), ("A1.p2", 3), ("A1.k1", 3), ("B2.p1", 1)] {
        assert!(is_checked(&browser, criterion, level), "{criterion} at level {level} after reload");
    }
    assert!(!is_checked(&browser, "A1.k1", 2));
    click_in_view(&browser, "details#sa-A1 > summary");
    browser.screenshot(&screenshot_path("self-assessment"), 1280, 2200);

    browser.click_and_load(&browser.find("#show-results"));
    browser.find("#chart-domains svg.radar");
    let role = browser.execute("return document.querySelector('#chart-domains svg').getAttribute('role');");
    assert_eq!(role, json!("img"));
    let label =
        browser.execute("return document.querySelector('#chart-domains svg').getAttribute('aria-label');");
    assert_eq!(label, json!("Profil par domaine de compétences (diagramme en radar)"));
    assert_eq!(browser.find_all("svg.bars").len(), 2);
    assert!(browser.text(&browser.find("#results-summary")).starts_with("4 critères évalués sur"));
    // B2 (0 %) is the first competence to work on, A1 the last: levels 4, 3
    // and 3 score 3 + 2 + 2 = 7 of 9 steps, 77.8 % shown as 78 %.
    let work_on: Vec<String> = browser.find_all("#work-on li").iter().map(|li| browser.text(li)).collect();
    assert_eq!(work_on.len(), 2, "{work_on:?}");
    assert!(work_on[0].starts_with("B2 ") && work_on[0].ends_with("0 %"), "{work_on:?}");
    assert!(work_on[1].starts_with("A1 ") && work_on[1].ends_with("78 %"), "{work_on:?}");
    let bars_text = browser.text(&browser.find("#chart-categories"));
    assert!(bars_text.contains("Potentiel de réalisation"), "{bars_text}");
    browser.screenshot(&screenshot_path("results"), 1280, 3600);
    browser.screenshot(&screenshot_path("results-tablet"), 820, 3600);
}

#[test]
fn ratings_are_exported_and_imported_as_json() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    browser.goto(&format!("{base}/self-assessment"));
    rate(&browser, "C1.p1", 2);
    // Catch the download: the script clicks a link to a blob URL. The
    // blob is read as it is made: the policy (connect-src 'self') would
    // refuse a fetch of the blob URL, as it should.
    let exported = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         let blob = null;
         const create = URL.createObjectURL;
         URL.createObjectURL = function (made) { blob = made; return create.call(URL, made); };
         HTMLAnchorElement.prototype.click = function () {
           const name = this.download;
           blob.text().then(text => done({ name, text }));
         };
         document.getElementById('export').click();",
    );
    assert!(exported["name"].as_str().unwrap().starts_with("grille-self-assessment-"), "{exported}");
    let file: serde_json::Value = serde_json::from_str(exported["text"].as_str().unwrap()).unwrap();
    assert_eq!(file["format"], "grille-self-assessment");
    assert_eq!(file["ratings"], json!({ "C1.p1": 2 }));

    let import = std::env::temp_dir().join(format!("grille-import-{}.json", std::process::id()));
    let content = json!({ "format": "grille-self-assessment", "version": 1, "catalogue": file["catalogue"],
                          "ratings": { "D1.p1": 4, "E1.k1": 1, "Z9.p1": 3, "E2.p1": 7 } });
    std::fs::write(&import, content.to_string()).unwrap();
    browser.send_keys(&browser.find("#import"), import.to_str().unwrap());
    let status = browser.find("#save-status");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while browser.text(&status) != "Réponses importées depuis le fichier." {
        assert!(std::time::Instant::now() < deadline, "import status: {}", browser.text(&status));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = std::fs::remove_file(&import);
    // The import replaces the ratings; unknown criteria and bad levels are dropped.
    assert!(is_checked(&browser, "D1.p1", 4) && is_checked(&browser, "E1.k1", 1));
    assert!(!is_checked(&browser, "C1.p1", 2));
    assert!(browser.text(&browser.find("#progress")).starts_with("2 critères évalués"));
}

#[test]
fn the_interface_switches_to_german_and_remembers_it() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    browser.goto(&format!("{base}/self-assessment?lang=de"));
    assert_eq!(browser.text(&browser.find("h1")), "Selbsteinschätzung der Kompetenzen");
    assert_eq!(browser.execute("return document.documentElement.lang;"), json!("de"));
    rate(&browser, "A1.p1", 1);
    let label = browser.find(r"label[for='r-A1\.p1-1']");
    assert_eq!(browser.text(&label), "noch nicht");
    assert!(browser.text(&browser.find("#progress")).starts_with("1 von "));
    browser.screenshot(&screenshot_path("self-assessment-de"), 1280, 1600);

    // Without the query the cookie keeps German.
    browser.goto(&format!("{base}/catalogue"));
    assert_eq!(browser.text(&browser.find("h1")), "Katalog der Handlungskompetenzen");
    browser.click_and_load(&browser.find("#main a[href='/catalogue/A7']"));
    assert_eq!(browser.text(&browser.find("#situation-heading")), "Arbeitssituation");
    // Back to French with the language switch.
    browser.click_and_load(&browser.find(".language-nav a[lang='fr']"));
    assert_eq!(browser.text(&browser.find("#situation-heading")), "Situation de travail");
    assert!(browser.url().ends_with("/catalogue/A7?lang=fr"), "{}", browser.url());
}

#[test]
fn main_pages_render_and_are_keyboard_reachable() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    browser.goto(&format!("{base}/"));
    assert!(browser.text(&browser.find("h1")).starts_with("grille"));
    // The first focusable element is the skip link to the main content.
    let first = browser.execute(
        "const focusable = document.querySelectorAll('a[href], button, input, summary');
         return focusable[0].getAttribute('href');",
    );
    assert_eq!(first, json!("#main"));
    browser.screenshot(&screenshot_path("home"), 1280, 1400);
    browser.goto(&format!("{base}/catalogue"));
    assert_eq!(browser.find_all(".competence-list li").len(), catalogue().competences().count());
    browser.screenshot(&screenshot_path("catalogue"), 1280, 2600);
    browser.goto(&format!("{base}/catalogue/A7"));
    assert!(browser.find_all("ul.criteria li").len() > 3);
    browser.screenshot(&screenshot_path("competence-a7"), 1280, 2600);
    browser.screenshot(&screenshot_path("competence-a7-tablet"), 820, 2600);
}

/// Saves a screenshot of the current page as it prints (print media, A4
/// width at 96 dpi), then returns to screen media.
fn print_screenshot(browser: &Browser, name: &str) {
    browser.emulate_media("print");
    browser.screenshot(&screenshot_path(name), 794, 6000);
    browser.emulate_media("");
}

#[test]
fn a_board_member_reviews_the_example_session() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    browser.goto(&format!("{base}/"));
    browser.click_and_load(&browser.find("#demo-link"));
    assert_eq!(browser.text(&browser.find("h1")), "Résultats de la session");
    assert_eq!(browser.find_all("#results-table tbody tr").len(), 5);
    browser.screenshot(&screenshot_path("session-results"), 1280, 1600);

    // Filter to the failed candidates, without any script: a GET form.
    let select = browser.find("#filter-outcome");
    browser.execute("document.getElementById('filter-outcome').value = 'failed';");
    assert_eq!(browser.property(&select, "value"), json!("failed"));
    browser.click_and_load(&browser.find("#apply-filters"));
    assert!(browser.url().contains("outcome=failed"), "{}", browser.url());
    let rows: Vec<String> =
        browser.find_all("#results-table tbody tr").iter().map(|row| browser.text(row)).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|row| row.contains("échoué")), "{rows:?}");
    // Sort by overall grade, highest first (two clicks on the header).
    browser.click_and_load(&browser.find("#results-table thead th:nth-last-child(4) a"));
    browser.click_and_load(&browser.find("#results-table thead th:nth-last-child(4) a"));
    let order = browser.execute(
        "return [...document.querySelectorAll('#results-table tbody tr')].map(r => r.dataset.number);",
    );
    assert_eq!(order, json!(["2026-004", "2026-003", "2026-005"]));
    assert!(browser.url().contains("outcome=failed"), "the filter is kept: {}", browser.url());
    browser.screenshot(&screenshot_path("session-results-failed"), 1280, 1400);

    // The grade sheet of 2026-003: failed with 4.1, two parts below 4.
    browser.click_and_load(&browser.find("#results-table tbody tr[data-number='2026-003'] th a"));
    assert_eq!(browser.text(&browser.find("h1")), "Bulletin de notes — candidat·e 2026-003");
    assert_eq!(browser.text(&browser.find("#overall-2026-003")), "4.1");
    let conditions = browser.text(&browser.find("table.conditions"));
    assert!(conditions.contains("non remplie") && conditions.contains("au plus 1"), "{conditions}");
    assert!(browser.text(&browser.find(".appeal")).contains("SEFRI"));
    browser.screenshot(&screenshot_path("grade-sheet"), 1280, 2000);
    print_screenshot(&browser, "grade-sheet-print");
    let pdf = browser.print_pdf();
    assert!(pdf.starts_with(b"%PDF"), "a PDF document");

    // The appeal file of 2026-002: the settled discrepancy on 3.1.
    browser.goto(&format!("{base}/demo/candidates/2026-002/file"));
    let comparison = browser.text(&browser.find("#position-3\\.1-heading ~ .comparison"));
    assert!(comparison.contains("exp-05 : 4.5 · exp-06 : 3.5"), "{comparison}");
    assert!(comparison.contains("Divergence réglée"), "{comparison}");
    assert_eq!(browser.find_all("#criteria-3\\.1 tbody tr").len(), 8);
    assert_eq!(browser.text(&browser.find("#file-overall")), "4.2");
    browser.screenshot(&screenshot_path("appeal-file"), 1280, 9000);
    browser.set_size(1280, 1400);
    let position = browser.find("#position-3\\.1-heading");
    let section = browser
        .execute("return document.getElementById('position-3.1-heading').parentElement.id = 'section-3-1';");
    let _ = (position, section);
    browser.element_screenshot(&browser.find("#section-3-1"), &screenshot_path("appeal-file-position-3-1"));
    print_screenshot(&browser, "appeal-file-print");

    // Statistics: SVG charts drawn on the server, numbers beside them.
    browser.click_and_load(&browser.find(".session-nav a[href$='/statistics']"));
    assert_eq!(browser.find_all("svg.histogram").len(), 4);
    assert_eq!(browser.find_all("svg.bars").len(), 3);
    let role = browser.execute("return document.querySelector('#hist-overall svg').getAttribute('role');");
    assert_eq!(role, json!("img"));
    assert!(browser.text(&browser.find("#pass-rate")).contains("40 %"));
    let pairs = browser.text(&browser.find("#agreement-pairs"));
    assert!(pairs.contains("exp-05 / exp-06"), "{pairs}");
    browser.screenshot(&screenshot_path("session-statistics"), 1280, 9000);
    browser.set_size(1280, 1400);
    browser.element_screenshot(
        &browser.find("#grades-heading + p + section"),
        &screenshot_path("statistics-overall"),
    );
    browser
        .element_screenshot(&browser.find("#chart-competences"), &screenshot_path("statistics-competences"));
    browser.execute("document.getElementById('agreement-heading').parentElement.id = 'agreement-section';");
    browser.element_screenshot(&browser.find("#agreement-section"), &screenshot_path("statistics-agreement"));
    browser.screenshot(&screenshot_path("session-statistics-tablet"), 820, 12000);

    // Minutes, on screen and as printed.
    browser.click_and_load(&browser.find(".session-nav a[href$='/minutes']"));
    let discrepancies = browser.text(&browser.find("#minutes-discrepancies"));
    assert!(discrepancies.contains("2026-002"), "{discrepancies}");
    browser.screenshot(&screenshot_path("minutes"), 1280, 4000);
    print_screenshot(&browser, "minutes-print");

    // Every grade sheet, as printed, and a narrow viewport of the results.
    browser.goto(&format!("{base}/demo/session/grade-sheets"));
    assert_eq!(browser.find_all("article.sheet").len(), 5);
    print_screenshot(&browser, "grade-sheets-print");
    browser.goto(&format!("{base}/demo/session?lang=de"));
    assert_eq!(browser.text(&browser.find("h1")), "Ergebnisse der Session");
    browser.screenshot(&screenshot_path("session-results-narrow-de"), 400, 2400);
}

/// The reviewer's layout findings at 1280 px: a stacked bar chart keeps its
/// natural height above its table; the German results table fits without
/// a horizontal scrollbar; the language links keep the sorting; the header
/// offers the login.
#[test]
fn session_pages_fit_a_laptop_screen_in_french_and_german() {
    let Some(Harness { base, browser, _guard }) = harness() else { return };
    browser.set_size(1280, 900);
    browser.goto(&format!("{base}/demo/session/statistics"));
    let gap = browser.execute(
        "const figure = document.getElementById('chart-competences');
         const table = figure.parentElement.querySelector('table');
         return table.getBoundingClientRect().top - figure.getBoundingClientRect().bottom;",
    );
    assert!(gap.as_f64().is_some_and(|gap| gap >= 0.0), "chart overlaps its table by {gap}");
    browser.execute("document.getElementById('chart-competences').scrollIntoView();");
    browser.screenshot(&screenshot_path("statistics-competence-stacked"), 1280, 1800);

    browser.goto(&format!("{base}/demo/session?sort=overall&order=desc&lang=de"));
    let overflow = browser.execute(
        "const wrapper = document.querySelector('.table-scroll');
         return [wrapper.scrollWidth - wrapper.clientWidth, document.documentElement.scrollWidth - window.innerWidth];",
    );
    assert_eq!(overflow, json!([0, 0]), "the results table overflows at 1280 px");
    assert!(browser.text(&browser.find("#results-table thead")).contains("Dokumente"));
    browser.screenshot(&screenshot_path("session-results-de"), 1280, 1100);
    browser.click_and_load(&browser.find(".language-nav a[hreflang='fr']"));
    let url = browser.url();
    assert!(url.contains("sort=overall") && url.contains("order=desc") && url.contains("lang=fr"), "{url}");
    assert_eq!(browser.text(&browser.find("#login-link")), "Se connecter");

    // On a phone the table scrolls inside its wrapper, not the page.
    browser.set_size(420, 900);
    browser.refresh();
    let page_overflow = browser
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assert_eq!(page_overflow, json!(0));
}
/// The exam body's official documents printed to PDF, one page each.
mod official;
/// The candidate register: master data, CSV import, accommodations and
/// the decision letter in the candidate's language, in German.
mod registry;
// The engine's messages read in German in a real browser: the demo's
// candidate file and grade sheet, looked at in screenshots.
mod engine_messages;
// A German examiner's live grade and a refused save, said in German.
mod refusals;
