//! The candidate's and the trainer's journeys in a real browser, over the
//! real app with the demo data (API and pages over one state, a temporary
//! folder, port 0). The official demo session is finalised and published
//! in the setup (2026-006, still unscored in the demo, recorded as an
//! unexcused withdrawal), so that candidat-demo (2026-001) has a result.
//!
//! As a candidate: the home with the grade sheet, part of the
//! self-assessment, then "another device" (a fresh browser profile) finds
//! it restored from the server, and the profile shows self against
//! external assessment. As a trainer: the mock exam, scoring its last
//! candidate through the examiner's pages, then the class view.

use std::time::Duration;

use serde_json::{Value, json};

use super::support::{BOARD_PASSWORD, Demo, Journey, journey, log_in, start_browser, wait_url};
use super::{click_in_view, is_checked, rate, screenshot_path};

/// The official demo session finalised and published through the API.
fn publish_the_demo_session(demo: &Demo) {
    let api = demo.api();
    let token = api.token("commission", BOARD_PASSWORD);
    let withdrawn = json!({"status": "withdrawn_unexcused"});
    for number in ["2026-006", "2026-007"] {
        api.ok("PUT", &format!("/api/sessions/1/candidates/{number}/status"), &token, Some(&withdrawn));
    }
    api.ok("POST", "/api/sessions/1/finalise", &token, None);
    api.ok("POST", "/api/sessions/1/publish", &token, None);
}

#[test]
fn a_candidate_continues_the_self_assessment_on_another_device_and_compares_it() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    publish_the_demo_session(&demo);
    log_in(&browser, &base, "candidat-demo", grille_server::DEMO_PASSWORD);
    wait_url(&browser, "/candidate");
    assert_eq!(browser.text(&browser.find("h1")), "Mon espace candidat·e");
    // The published official result, part by part, with its decision.
    assert_eq!(browser.find_all("article.candidate-result").len(), 1);
    assert!(browser.find_all("article.candidate-result.official").len() == 1);
    assert!(!browser.text(&browser.find("#overall-1")).is_empty());
    assert!(browser.find_all("#result-1 tr.position-row").len() >= 4);
    browser.screenshot(&screenshot_path("candidate-home"), 1280, 2400);

    browser.click(&browser.find("#self-link"));
    wait_url(&browser, "/candidate/self-assessment");
    for (criterion, level) in [("A1.p1", 4), ("A1.p2", 3), ("B1.p1", 1), ("C1.p1", 2), ("A8.p1", 2)] {
        rate(&browser, criterion, level);
    }
    let status = browser.find("#save-status");
    browser
        .wait_for("saved on the server", || browser.text(&status).starts_with("Enregistré sur le serveur"));
    // Let the last change reach the server (a save may still be running).
    browser.wait_for("version 5 or more", || {
        browser.execute("return Number(document.getElementById('toolbar').dataset.version);").as_i64()
            >= Some(5)
            || browser.text(&status).starts_with("Enregistré sur le serveur")
                && browser.execute("return document.getElementById('toolbar').dataset.version;") != json!("0")
    });
    std::thread::sleep(Duration::from_millis(800));
    drop(browser);

    // Another device: a fresh browser profile, nothing in its storage.
    let other = start_browser();
    log_in(&other, &base, "candidat-demo", grille_server::DEMO_PASSWORD);
    wait_url(&other, "/candidate");
    assert!(other.text(&other.find("#self-progress")).starts_with("5 critères évalués sur 270"));
    other.goto(&format!("{base}/candidate/self-assessment"));
    assert!(other.text(&other.find("#progress")).starts_with("5 critères évalués"));
    for (criterion, level) in [("A1.p1", 4), ("A1.p2", 3), ("B1.p1", 1), ("C1.p1", 2), ("A8.p1", 2)] {
        assert!(is_checked(&other, criterion, level), "{criterion} restored from the server");
    }
    rate(&other, "D1.p1", 3);
    let status = other.find("#save-status");
    other.wait_for("saved from the second device", || {
        other.text(&status).starts_with("Enregistré sur le serveur")
    });

    // Self against external assessment.
    other.goto(&format!("{base}/candidate/profile"));
    assert_eq!(other.find_all("#chart-domains svg.radar g.series").len(), 2, "two series");
    assert!(other.text(&other.find("#a8-note")).contains("A8"));
    assert!(other.text(&other.find("#external-source")).contains("Examen officiel"));
    assert_eq!(other.find_all("svg.paired").len(), 2);
    let first = other.execute("return document.querySelector('#work-on tbody tr').dataset.competence;");
    assert!(first.as_str().is_some_and(|id| !id.is_empty()), "{first}");
    other.screenshot(&screenshot_path("candidate-profile"), 1280, 5200);
    other.screenshot(&screenshot_path("candidate-profile-top"), 1280, 1400);
    other.set_size(1280, 1400);
    for id in ["domains", "categories", "competences"] {
        other.execute(&format!(
            "document.getElementById('chart-{id}-heading').parentElement.id = 'section-{id}';
             document.getElementById('section-{id}').scrollIntoView();"
        ));
        other.element_screenshot(
            &other.find(&format!("#section-{id}")),
            &screenshot_path(&format!("candidate-profile-{id}")),
        );
    }
    other.screenshot(&screenshot_path("candidate-profile-tablet"), 820, 5200);
}

#[test]
fn a_trainer_scores_the_mock_exam_and_opens_the_class_view() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    publish_the_demo_session(&demo);
    log_in(&browser, &base, "formatrice-demo", grille_server::DEMO_PASSWORD);
    wait_url(&browser, "/trainer");
    assert_eq!(browser.find_all("#sessions tbody tr").len(), 1);
    browser.screenshot(&screenshot_path("trainer-home"), 1280, 1600);
    browser.click(&browser.find("#sessions tbody tr th a"));
    wait_url(&browser, "/trainer/sessions/2");
    assert_eq!(browser.find_all("#cohort tbody tr").len(), 3);
    browser.click(&browser.find("#score-link"));
    wait_url(&browser, "/examiner");
    // ECOLE-03 is not scored yet: score each of its positions.
    let links = browser.execute(
        "return [...document.querySelectorAll('tr[data-candidate=\"ECOLE-03\"] a.state')].map(a => a.href);",
    );
    let links: Vec<String> =
        links.as_array().unwrap().iter().map(|link| link.as_str().unwrap().to_owned()).collect();
    assert!(!links.is_empty());
    for link in &links {
        browser.goto(link);
        browser.execute(
            "const names = new Set([...document.querySelectorAll('input[type=radio][name^=\"points-\"]')].map(i => i.name));
             names.forEach(name => {
               const levels = [...document.querySelectorAll('input[type=radio][name=\"' + name + '\"]')].filter(i => i.value !== 'na');
               levels[Math.min(1, levels.length - 1)].checked = true;
             });",
        );
        click_in_view(&browser, "#submit-button");
        browser.click(&browser.find("#submit-confirm"));
        wait_url(&browser, "/comparison?submitted=1");
    }
    // The class view: the session's statistics, weakest competences first.
    browser.goto(&format!("{base}/trainer/sessions/2"));
    browser.click(&browser.find("#class-view-link"));
    wait_url(&browser, "/results/statistics");
    browser.find("#chart-competences svg.bars");
    browser.find("#chart-categories svg.bars");
    // Weakest competences first: the table beside the chart is in
    // increasing order of mean achievement.
    let percents = browser.execute(
        "return [...document.getElementById('chart-competences').closest('section').querySelectorAll('tbody tr')]
           .map(tr => parseFloat(tr.lastElementChild.textContent));",
    );
    let percents: Vec<f64> = percents.as_array().unwrap().iter().filter_map(Value::as_f64).collect();
    assert!(percents.len() > 3, "{percents:?}");
    assert!(percents.windows(2).all(|pair| pair[0] <= pair[1]), "weakest first: {percents:?}");
    assert!(browser.text(&browser.find("h1")).len() > 3);
    browser.screenshot(&screenshot_path("trainer-class-view"), 1280, 7000);
    browser.screenshot(&screenshot_path("trainer-class-view-top"), 1280, 1400);
    browser.set_size(1280, 1400);
    browser.element_screenshot(
        &browser.find("#chart-competences"),
        &screenshot_path("trainer-class-view-competences"),
    );
    browser.screenshot(&screenshot_path("trainer-class-view-tablet"), 820, 9000);

    // The trainer closes the mock exam as the board closes an official one
    // (finalise, then publish, each confirmed); without the box ticked
    // nothing happens.
    browser.set_size(1280, 1400);
    browser.goto(&format!("{base}/trainer/sessions/2"));
    browser.wait_element("#close-form");
    assert!(browser.text(&browser.find("#close-heading")).contains("Arrêter"));
    browser.execute("document.getElementById('close-confirm').required = false;");
    click_in_view(&browser, "#close-submit");
    browser.wait_element("#close-errors");
    // Confirmed, but two pupils' evaluations are still missing: the step
    // is refused and the page says what blocks it.
    click_in_view(&browser, "#close-confirm");
    click_in_view(&browser, "#close-submit");
    browser.wait_element("#close-errors");
    let blocked = browser.text(&browser.find("#close-errors"));
    assert!(blocked.contains("ne peut pas être arrêtée") && blocked.contains("en attente"), "{blocked}");
    assert!(browser.text(&browser.find("h1")).contains("Examen blanc"));
    browser.screenshot(&screenshot_path("trainer-mock-not-ready"), 1280, 1400);
}
