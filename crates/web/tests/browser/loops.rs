//! The trainer's and the candidate's loops in the browser: the class grid
//! of a mock exam being scored; a cohort enrolled by CSV, scored by two
//! trainers, finalised and published; the candidate's filled rubric and
//! development plan, shared and commented by a trainer, printed on A4.

use super::support::{Journey, journey, log_in, wait_url};
use super::webdriver::Browser;
use super::{click_in_view, screenshot_path};

/// Scores, as the logged-in trainer, every position of `number` in
/// session `id` with the second level of each criterion, and submits.
fn score_all(browser: &Browser, base: &str, id: i64, number: &str) {
    browser.goto(&format!("{base}/examiner"));
    let script = format!(
        "return [...document.querySelectorAll('tr[data-candidate=\"{number}\"] a.state')].map(a => a.href).filter(h => h.includes('/sessions/{id}/'));"
    );
    let links = browser.execute(&script);
    let links: Vec<String> =
        links.as_array().unwrap().iter().map(|link| link.as_str().unwrap().to_owned()).collect();
    assert_eq!(links.len(), 4, "{links:?}");
    for link in &links {
        browser.goto(link);
        browser.execute(
            "const names = new Set([...document.querySelectorAll('input[type=radio][name^=\"points-\"]')].map(i => i.name));
             names.forEach(name => {
               const levels = [...document.querySelectorAll('input[type=radio][name=\"' + name + '\"]')].filter(i => i.value !== 'na');
               levels[Math.min(1, levels.length - 1)].checked = true;
             });",
        );
        click_in_view(browser, "#submit-button");
        browser.click(&browser.find("#submit-confirm"));
        wait_url(browser, "/comparison?submitted=1");
    }
}

#[test]
fn the_trainer_publishes_a_mock_exam_and_the_candidate_plans_from_it() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let (base, browser) = (&demo.base(), &browser);
    log_in(browser, base, "formatrice-demo", grille_server::DEMO_PASSWORD);
    wait_url(browser, "/trainer");

    // The class grid of the demo mock exam, while it is scored.
    browser.goto(&format!("{base}/trainer/sessions/2"));
    browser.click_and_load(&browser.find("#class-grid-link"));
    wait_url(browser, "/trainer/sessions/2/grid");
    assert_eq!(browser.find_all("#grid-competences tbody tr").len(), 3);
    assert_eq!(browser.find_all("#grid-categories thead th").len(), 5);
    assert!(!browser.find_all("#grid-competences td.weakest").is_empty());
    let hidden = browser.text(&browser.find("tr[data-candidate='ECOLE-01'] td.weakest"));
    assert!(hidden.contains('%'), "{hidden}");
    browser.find("#grid-withheld");
    browser.screenshot(&screenshot_path("loops-class-grid"), 1366, 2400);
    browser.screenshot(&screenshot_path("loops-class-grid-phone"), 390, 4000);

    // A new mock exam: the cohort by CSV (preview, then confirm).
    browser.goto(&format!("{base}/trainer"));
    browser.send_keys(&browser.find("#session-name"), "Examen blanc publié");
    browser.click_and_load(&browser.find("#create-submit"));
    wait_url(browser, "notice=created");
    let id: i64 =
        browser.url().split("/trainer/sessions/").nth(1).unwrap().split('?').next().unwrap().parse().unwrap();
    browser.send_keys(&browser.find("#csv-text"), "numero;nom;prenom\nECOLE-01;Classe;Élève 1\n");
    click_in_view(browser, "#csv-preview");
    browser.wait_element("#csv-ready");
    browser.screenshot(&screenshot_path("loops-cohort-csv-preview"), 1366, 1400);
    click_in_view(browser, "#csv-confirm");
    wait_url(browser, "enrolled=1");
    assert!(browser.text(&browser.find("#cohort")).contains("ECOLE-01"));
    browser.send_keys(&browser.find("#partner"), "formateur-demo");
    click_in_view(browser, "#start-submit");
    wait_url(browser, "notice=started");

    // Both trainers score alike, then it is finalised and published.
    score_all(browser, base, id, "ECOLE-01");
    log_in(browser, base, "formateur-demo", grille_server::DEMO_PASSWORD);
    score_all(browser, base, id, "ECOLE-01");
    browser.goto(&format!("{base}/trainer/sessions/{id}"));
    for (step, notice) in [("finalise", "notice=finalised"), ("publish", "notice=published")] {
        browser.wait_element("#close-form");
        click_in_view(browser, "#close-confirm");
        click_in_view(browser, "#close-submit");
        wait_url(browser, notice);
        assert!(browser.find_all("#close-errors").is_empty(), "{step}");
    }
    browser.screenshot(&screenshot_path("loops-mock-published"), 1366, 1400);

    // The candidate reads the filled rubric.
    log_in(browser, base, "candidat-ecole-demo", grille_server::DEMO_PASSWORD);
    wait_url(browser, "/candidate");
    browser.click_and_load(&browser.find(&format!("#rubric-link-{id}")));
    wait_url(browser, "/rubric");
    assert_eq!(browser.find_all("table.filled-rubric").len(), 4);
    let first = browser.text(&browser.find("table.filled-rubric tbody tr"));
    assert!(first.contains("niveau 2 sur"), "{first}");
    assert!(!browser.find_all("table.filled-rubric .catalogue-links a").is_empty());
    browser.screenshot(&screenshot_path("loops-filled-rubric"), 1366, 3000);

    // ...and plans from it: a competence, a goal, shared.
    browser.click_and_load(&browser.find("#rubric-plan-link"));
    wait_url(browser, "/candidate/plan");
    browser.find("#plan-suggestions");
    browser.execute("document.getElementById('competence-0').value = 'A8';");
    browser.send_keys(&browser.find("#goal-0"), "Comparer mon regard et celui des autres");
    browser.send_keys(&browser.find("#actions-0"), "Un journal chaque semaine, relu avec ma formatrice");
    browser.execute("document.getElementById('due-0').value = '2027-03-01'; document.getElementById('progress-0').value = 'under_way';");
    click_in_view(browser, "#plan-shared");
    click_in_view(browser, "#plan-save");
    wait_url(browser, "notice=saved");
    assert!(browser.text(&browser.find("#plan-items")).contains("01.03.2027"));

    // The trainer comments it; the candidate reads the comment and prints.
    log_in(browser, base, "formatrice-demo", grille_server::DEMO_PASSWORD);
    browser.click_and_load(&browser.find("#plans-link"));
    wait_url(browser, "/trainer/plans");
    browser.click_and_load(&browser.find("#plans tbody a"));
    wait_url(browser, "/trainer/plans/candidat-ecole-demo");
    browser.send_keys(&browser.find("#comment-text"), "Objectif clair ; fixons un point en février.");
    click_in_view(browser, "#comment-submit");
    wait_url(browser, "notice=commented");
    browser.screenshot(&screenshot_path("loops-trainer-plan"), 1366, 1600);
    log_in(browser, base, "candidat-ecole-demo", grille_server::DEMO_PASSWORD);
    browser.goto(&format!("{base}/candidate/plan"));
    assert!(browser.text(&browser.find("#plan-comments")).contains("fixons un point"));
    browser.screenshot(&screenshot_path("loops-plan"), 1366, 3000);
    browser.emulate_media("print");
    browser.screenshot(&screenshot_path("loops-plan-print"), 794, 1123);
    let pdf = browser.print_pdf();
    assert!(pdf.starts_with(b"%PDF"), "the plan prints");
    browser.emulate_media("screen");
    browser.assert_no_csp_violations();
}
