//! Accessibility of the main pages of every role, at a laptop's width
//! (1366 px) and a phone's (390 px): axe-core (the npm package, injected
//! through WebDriver, so the pages' Content-Security-Policy does not apply
//! to it) must find no serious and no critical violation; the figures of
//! every page and width are printed for the closing notes.
//!
//! axe-core is not a dependency of the product: `.ci/run` installs it with
//! npm under `target/axe-core` (another file through `GRILLE_AXE_JS`).
//! Without it the test fails and says how to install it.
//!
//! At 390 px the test also checks what a phone needs besides axe's rules:
//! no page scrolls sideways (wide tables scroll inside their own region,
//! which the keyboard can reach), a results table keeps the candidate, the
//! overall grade and the outcome in view, a sticky toolbar (self-assessment,
//! examiner's form) takes at most a quarter of the screen, and chart labels
//! are at least 12 px.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::support::{BOARD_PASSWORD, Journey, journey, log_in};
use super::webdriver::Browser;
use super::{click_in_view, screenshot_path};

/// The widths every page is checked at: a laptop and a phone.
const WIDTHS: [u32; 2] = [1366, 390];

/// A phone's screen height at 390 px wide (an iPhone 12 to 15).
pub(super) const PHONE_HEIGHT: u32 = 844;

/// The demo accounts' password (`grille serve --demo`).
const DEMO_PASSWORD: &str = "demo-grille-2026";

/// Where `.ci/run` installs axe-core (`npm install --prefix target/axe-core`).
fn axe_path() -> PathBuf {
    if let Some(path) = std::env::var_os("GRILLE_AXE_JS") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("axe-core/node_modules/axe-core/axe.min.js")
}

pub(super) fn axe_source() -> String {
    let path = axe_path();
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "axe-core is needed for the accessibility test ({}: {error}); install it with \
             `npm install --no-save --prefix target/axe-core axe-core@4.14.1` (as .ci/run does) \
             or name the file in GRILLE_AXE_JS",
            path.display()
        )
    })
}

/// One violation as the test reports it.
#[derive(Debug)]
pub(super) struct Violation {
    pub(super) rule: String,
    pub(super) impact: String,
    pub(super) nodes: Vec<String>,
}

/// Runs axe on the page shown (WCAG 2.x A and AA rules and axe's best
/// practices) and returns its violations.
pub(super) fn run_axe(browser: &Browser, axe: &str) -> Vec<Violation> {
    if browser.execute("return typeof window.axe;") != json!("object") {
        browser.execute(axe);
    }
    let answer = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then(result => done(result.violations.map(v => ({
              rule: v.id, impact: v.impact || 'minor',
              nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))
           }))))
           .catch(error => done({ error: String(error) }));",
    );
    if let Some(error) = answer.get("error") {
        panic!("axe failed on {}: {error}", browser.url());
    }
    let Value::Array(violations) = answer else { panic!("axe answered {answer}") };
    violations
        .into_iter()
        .map(|violation| Violation {
            rule: violation["rule"].as_str().unwrap_or_default().to_owned(),
            impact: violation["impact"].as_str().unwrap_or_default().to_owned(),
            nodes: violation["nodes"]
                .as_array()
                .map(|nodes| nodes.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// What a phone-width page must do besides axe's rules. Returns the
/// problems found (empty: none).
pub(super) fn phone_problems(browser: &Browser) -> Vec<String> {
    let found = browser.execute(
        "const problems = [];
         const root = document.documentElement;
         if (root.scrollWidth > root.clientWidth + 1) {
           const wide = [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
             .filter(e => !e.closest('.table-scroll, figure.chart, pre'))
             .filter(e => e.matches('.table-scroll, figure.chart') || ![...e.children].some(c => c.getBoundingClientRect().right > root.clientWidth + 1))
             .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''));
           const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
           for (let node = walker.nextNode(); node && wide.length < 3; node = walker.nextNode()) {
             const range = document.createRange(); range.selectNodeContents(node);
             if (range.getBoundingClientRect().right > root.clientWidth + 1 && !node.parentElement.closest('.table-scroll, figure.chart, pre')) {
               wide.push('text «' + node.textContent.trim().slice(0, 40) + '» in ' + node.parentElement.tagName.toLowerCase());
             }
           }
           if (wide.length === 0) {
             const all = [...document.querySelectorAll('body *')].map(e => [e, e.getBoundingClientRect().right]).sort((a, b) => b[1] - a[1]).slice(0, 4);
             for (const region of document.querySelectorAll('body *')) {
               const before = region.style.display; region.style.display = 'none';
               const width = root.scrollWidth; region.style.display = before;
               if (width <= root.clientWidth + 1) { var culprit = 'hiding ' + region.tagName.toLowerCase() + '#' + region.id + '.' + region.className + ' fixes it'; }
             }
             if (culprit) wide.push(culprit);
             for (const [e, right] of all) {
               const region = e.closest('.table-scroll, figure.chart');
               wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' right ' + Math.round(right) + ' region ' + (region ? getComputedStyle(region).overflowX + ' ' + region.clientWidth : 'none') + ' pos ' + getComputedStyle(e).position);
             }
           }
           problems.push('the page scrolls sideways (' + root.scrollWidth + ' px for ' + root.clientWidth + '): ' + wide.join(', '));
         }
         for (const region of document.querySelectorAll('.table-scroll, figure.chart')) {
           if (region.scrollWidth > region.clientWidth + 1 && region.tabIndex < 0) {
             problems.push('a scrollable region cannot be reached by the keyboard: ' + (region.id || region.className));
           }
           const rowHeader = region.querySelector('table.results tbody th');
           if (region.scrollWidth > region.clientWidth + 1 && rowHeader && getComputedStyle(rowHeader).position !== 'sticky') {
             problems.push('a results table scrolls its candidate column out of view: ' + (region.querySelector('table').id || 'table.results'));
           }
         }
         const summary = document.querySelector('table.results tbody th .phone-summary');
         if (summary && getComputedStyle(summary).display === 'none') {
           problems.push('a results table does not show the overall grade beside the candidate');
         }
         const toolbar = document.querySelector('.toolbar');
         if (toolbar && getComputedStyle(toolbar).position === 'sticky' && toolbar.offsetHeight > window.innerHeight / 4) {
           problems.push('the sticky toolbar takes ' + toolbar.offsetHeight + ' of ' + window.innerHeight + ' px');
         }
         for (const text of document.querySelectorAll('svg text')) {
           const size = parseFloat(getComputedStyle(text).fontSize);
           const box = text.getBoundingClientRect();
           const scale = text.ownerSVGElement && text.ownerSVGElement.viewBox.baseVal && text.ownerSVGElement.viewBox.baseVal.width
             ? text.ownerSVGElement.getBoundingClientRect().width / text.ownerSVGElement.viewBox.baseVal.width : 1;
           if (box.width > 0 && size * scale < 11.5) {
             problems.push('a chart label is ' + (size * scale).toFixed(1) + ' px: ' + text.textContent.slice(0, 30));
             break;
           }
         }
         return problems;",
    );
    found
        .as_array()
        .map(|all| all.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The first link on the current page matching `css`, as a path.
fn link(browser: &Browser, css: &str) -> String {
    let selector = serde_json::to_string(css).unwrap();
    let href = browser.execute(&format!(
        "const a = document.querySelector({selector}); return a && a.getAttribute('href');"
    ));
    href.as_str().unwrap_or_else(|| panic!("no link {css} on {}", browser.url())).to_owned()
}

#[test]
fn the_main_pages_pass_axe_at_laptop_and_phone_widths() {
    let axe = axe_source();
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();

    // (role, page name, path): dynamic paths are read off the role's pages.
    let mut pages: Vec<(String, String, String)> = Vec::new();
    let public = [
        ("home", "/"),
        ("catalogue", "/catalogue"),
        ("competence", "/catalogue/A7"),
        ("self-assessment", "/self-assessment"),
        ("demo-results", "/demo/session"),
        ("demo-statistics", "/demo/session/statistics"),
        ("demo-minutes", "/demo/session/minutes"),
        ("demo-grade-sheet", "/demo/candidates/2026-003"),
        ("demo-file", "/demo/candidates/2026-002/file"),
        ("login", "/login"),
    ];
    let board = [
        ("board-sessions", "/board"),
        ("board-session", "/board/sessions/1"),
        ("board-progress", "/board/sessions/1/progress"),
        ("board-results", "/board/sessions/1/results"),
        ("board-statistics", "/board/sessions/1/statistics"),
        ("board-quality", "/board/sessions/1/quality"),
        ("board-what-if", "/board/sessions/1/what-if"),
        ("board-examiner-history", "/board/examiners/exp-05/history"),
        ("board-journal", "/board/sessions/1/events"),
        ("board-candidate", "/board/sessions/1/candidates/2026-001/audit"),
        ("board-users", "/board/users"),
        ("board-identity", "/board/identity"),
        ("board-cases", "/cases"),
        ("board-documents", "/documents"),
        ("board-register", "/board/sessions/1/register"),
        ("board-appeals", "/board/sessions/1/appeals"),
        ("board-standard-setting", "/board/sessions/1/standard-setting"),
        ("account-security", "/account/security"),
    ];

    let mut report: BTreeMap<(String, u32), BTreeMap<String, usize>> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut check = |browser: &Browser, role: &str, name: &str, path: &str| {
        for width in WIDTHS {
            browser.set_size(width, if width < 500 { PHONE_HEIGHT } else { 900 });
            browser.goto(&format!("{base}{path}"));
            browser.wait_element("main");
            let inner = browser.execute("return window.innerWidth;");
            assert_eq!(inner, json!(width), "the window is {inner} px wide on {path}");
            let violations = run_axe(browser, &axe);
            let counts = report.entry((format!("{role} {name}"), width)).or_default();
            for violation in &violations {
                *counts.entry(format!("{} ({})", violation.impact, violation.rule)).or_default() += 1;
                if matches!(violation.impact.as_str(), "serious" | "critical") {
                    failures.push(format!(
                        "{path} at {width} px: {} ({}) on {:?}",
                        violation.rule, violation.impact, violation.nodes
                    ));
                }
            }
            if width < 500 {
                for problem in phone_problems(browser) {
                    failures.push(format!("{path} at {width} px: {problem}"));
                }
                browser.screenshot(&screenshot_path(&format!("phone-{role}-{name}")), width, 5000);
            }
        }
        pages.push((role.to_owned(), name.to_owned(), path.to_owned()));
    };

    for (name, path) in public {
        check(&browser, "public", name, path);
    }
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    for (name, path) in board {
        check(&browser, "board", name, path);
    }
    log_in(&browser, &base, "exp-01", DEMO_PASSWORD);
    check(&browser, "examiner", "candidates", "/examiner");
    browser.goto(&format!("{base}/examiner"));
    let form = link(&browser, "a[href*='/positions/']:not([href$='/comparison'])");
    check(&browser, "examiner", "form", &form);
    check(&browser, "examiner", "comparison", &format!("{form}/comparison"));
    check(&browser, "examiner", "conflicts", "/examiner/conflicts");
    // On a tablet (768 px), a criterion's four levels share one row.
    browser.set_size(768, 1024);
    browser.goto(&format!("{base}{form}"));
    let rows = browser.execute(
        "return [...document.querySelectorAll('.rubric-levels')].map(levels =>
           new Set([...levels.querySelectorAll('.rubric-level:not(.not-assessable)')]
             .map(level => Math.round(level.getBoundingClientRect().top))).size);",
    );
    let rows: Vec<u64> = rows.as_array().unwrap().iter().filter_map(Value::as_u64).collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|&count| count == 1),
        "level rows per criterion at 768 px: {rows:?}"
    );
    browser.screenshot(&screenshot_path("tablet-examiner-form"), 768, 3000);
    log_in(&browser, &base, "formatrice-demo", DEMO_PASSWORD);
    check(&browser, "trainer", "home", "/trainer");
    browser.goto(&format!("{base}/trainer"));
    let mock = link(&browser, "a[href^='/trainer/sessions/']");
    check(&browser, "trainer", "session", &mock);
    check(&browser, "trainer", "grid", &format!("{mock}/grid"));
    check(&browser, "trainer", "plans", "/trainer/plans");
    // A mock exam of the trainer's own, fresh, for its standard-setting
    // page (the demo's mock exam waits for the trainer's own marks).
    browser.goto(&format!("{base}/trainer"));
    browser.send_keys(&browser.find("#session-name"), "Blanc accessibilité");
    click_in_view(&browser, "#create-submit");
    browser.wait_address("the new mock exam", |url| url.contains("/trainer/sessions/"));
    let fresh = browser.url().trim_start_matches(&base).split('?').next().unwrap_or_default().to_owned();
    check(&browser, "trainer", "standard-setting", &format!("{fresh}/standard-setting"));
    log_in(&browser, &base, "candidat-demo", DEMO_PASSWORD);
    check(&browser, "candidate", "home", "/candidate");
    check(&browser, "candidate", "profile", "/candidate/profile");
    check(&browser, "candidate", "self-assessment", "/candidate/self-assessment");
    check(&browser, "candidate", "plan", "/candidate/plan");

    // The figures per page and width, for the closing note.
    println!("axe-core {} violations per page and width (impact and rule)", axe_version(&axe));
    for ((page, width), counts) in &report {
        let counts: Vec<String> = counts.keys().cloned().collect();
        let counts = if counts.is_empty() { "none".to_owned() } else { counts.join(", ") };
        println!("  {page:<32} {width:>5} px  {counts}");
    }
    assert!(pages.len() >= 30, "{} pages checked", pages.len());
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

fn axe_version(source: &str) -> &str {
    source.split("axe v").nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap_or("?")
}
