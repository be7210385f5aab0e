//! The case bank and the document bank in a real browser, over the real
//! app composed as `grille serve --demo` composes it, with a board account
//! `commission`.
//!
//! The board writes next year's case in the editor (a refused save shows
//! the problem at its field and keeps what was typed), attaches its plan
//! (a text file named `.pdf` is refused), marks it ready; prepares next
//! year's documents from the shipped ones, edits the blueprint, marks the
//! documents ready and creates a session pinned to them; enrols a
//! candidate, assigns examiners and the case, opens the scoring; `exp-03`
//! scores the candidate with the case beside the rubric and the criterion
//! the case leaves out shown without levels.
//!
//! A trainer writes a mock case in her school's bank (the board's cases
//! stay out of it), draws it for a mock exam with a fixed seed, opens the
//! scoring and finds the case in the scoring form.

use serde_json::{Value, json};

use super::support::{
    BOARD_PASSWORD, Journey, fill_login, journey, log_in, set_value, text_of, type_into, value_of, wait_url,
};
use super::webdriver::Browser;
use super::{click_in_view, screenshot_path};

/// The case row of the bank listed as `case_id`, if it is listed.
fn bank_row(browser: &Browser, case_id: &str) -> Option<i64> {
    let script = format!(
        "const row = [...document.querySelectorAll('#cases-table tbody tr')]
           .find(tr => tr.querySelector('code').textContent === {});
         return row ? Number(row.dataset.case) : null;",
        serde_json::to_string(case_id).unwrap()
    );
    browser.execute(&script).as_i64()
}

/// The rows of the document bank (`data-document`) of one kind and version.
fn documents(browser: &Browser, kind: &str, version: &str) -> Vec<i64> {
    let script = format!(
        "return [...document.querySelectorAll('#documents-table tbody tr')]
           .filter(tr => tr.cells[0].textContent.trim() === {} && tr.cells[3].textContent.trim() === {})
           .map(tr => Number(tr.dataset.document));",
        serde_json::to_string(kind).unwrap(),
        serde_json::to_string(version).unwrap()
    );
    browser.execute(&script).as_array().unwrap().iter().filter_map(Value::as_i64).collect()
}

/// Marks the document at `row` ready from its page.
fn mark_document_ready(browser: &Browser, base: &str, row: i64) {
    browser.goto(&format!("{base}/documents/{row}"));
    click_in_view(browser, "#document-ready");
    wait_url(browser, &format!("/documents/{row}?done=state"));
    assert_eq!(text_of(browser, "#document-state"), "prêt");
}

/// Writes a case in the editor: identity, situation, tasks with their
/// notes, competences, criteria and positions (the left-out criteria are
/// the caller's).
struct NewCase<'a> {
    id: &'a str,
    language: &'a str,
    year: &'a str,
    title: &'a str,
    situation: &'a str,
    tasks: &'a [(&'a str, &'a str, &'a str)],
    competences: &'a [&'a str],
    criteria: &'a str,
    position: &'a str,
}

fn fill_case(browser: &Browser, case: &NewCase) {
    browser.wait_element("#case-form");
    type_into(browser, "#case-id", case.id);
    assert_eq!(value_of(browser, "#case-version"), json!("1"), "a new case starts at version 1");
    set_value(browser, "#case-language", case.language);
    type_into(browser, "#case-year", case.year);
    type_into(browser, "#case-title", case.title);
    type_into(browser, "#case-situation", case.situation);
    for (index, (id, prompt, notes)) in case.tasks.iter().enumerate() {
        type_into(browser, &format!("#task-id-{index}"), id);
        type_into(browser, &format!("#task-prompt-{index}"), prompt);
        type_into(browser, &format!("#task-notes-{index}"), notes);
    }
    for competence in case.competences {
        click_in_view(browser, &format!("input[name='competence'][value='{competence}']"));
    }
    type_into(browser, "#case-criteria", case.criteria);
    click_in_view(browser, &format!("input[name='position'][value='{}']", case.position));
}

#[test]
fn a_board_prepares_next_years_exam_with_a_case_and_an_examiner_scores_it() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    let dir = demo.dir();

    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.wait_element("#sessions-table");

    // The board's bank holds the demo's cases.
    browser.goto(&format!("{base}/cases"));
    browser.wait_element("#cases-table");
    assert!(bank_row(&browser, "cas-2-atelier-bois").is_some(), "the demo's case is in the board's bank");
    assert!(bank_row(&browser, "fall-2-grosskueche").is_some());
    click_in_view(&browser, "#nav-new");
    wait_url(&browser, "/cases/new");

    // Next year's case, in German, with a criterion the profile does not have.
    let situation =
        "Sie begleiten in der **Schreinerei** einer Stiftung Herrn K., 34 Jahre, nach einem Rückfall.";
    let case = NewCase {
        id: "fall-2-schreinerei",
        language: "de",
        year: "2027",
        title: "Rückfall in der Schreinerei",
        situation,
        tasks: &[
            (
                "t1",
                "Analysieren Sie die Situation von Herrn K.",
                "Beobachtungen von Hypothesen getrennt\nSicht von Herrn K. einbezogen",
            ),
            ("t2", "Planen Sie die nächsten sechs Wochen mit Herrn K.", "Überprüfbare Ziele mit Termin"),
        ],
        competences: &["A1", "A3"],
        criteria: "A1.p2 A3.p1 A1.p99",
        position: "2.1",
    };
    fill_case(&browser, &case);
    set_value(&browser, "#na-criterion-0", "c4");
    type_into(
        &browser,
        "#na-reason-0",
        "Der Arbeitsplatz ist seit Jahren eingerichtet: keine Instruktion verlangt.",
    );
    click_in_view(&browser, "#case-save");
    browser.wait_element("#edit-errors");
    let error = text_of(&browser, "#error-criteria");
    assert!(error.contains("A1.p99") && error.contains("n'existe pas"), "{error}");
    assert_eq!(
        browser.execute("return document.getElementById('case-criteria').getAttribute('aria-invalid');"),
        json!("true")
    );
    // What was typed is still there.
    assert_eq!(value_of(&browser, "#case-title"), json!("Rückfall in der Schreinerei"));
    assert_eq!(value_of(&browser, "#case-situation"), json!(situation));
    assert_eq!(value_of(&browser, "#case-language"), json!("de"));
    assert_eq!(
        value_of(&browser, "#task-prompt-1"),
        json!("Planen Sie die nächsten sechs Wochen mit Herrn K.")
    );
    assert_eq!(
        value_of(&browser, "#task-notes-0"),
        json!("Beobachtungen von Hypothesen getrennt\nSicht von Herrn K. einbezogen")
    );
    assert_eq!(value_of(&browser, "#na-criterion-0"), json!("c4"));
    let checked = browser.execute(
        "return [...document.querySelectorAll('input[name=competence]:checked, input[name=position]:checked')].map(i => i.value);",
    );
    assert_eq!(checked, json!(["A1", "A3", "2.1"]));
    browser.screenshot(&screenshot_path("case-editor-error"), 1280, 2400);

    // Fixed and saved: the case's page, a draft.
    set_value(&browser, "#case-criteria", "");
    type_into(&browser, "#case-criteria", "A1.p2 A3.p1");
    // exp-04 reviewed it: the assignment will say so.
    type_into(&browser, "#case-authors", "exp-04");
    click_in_view(&browser, "#case-save");
    wait_url(&browser, "?done=created");
    let row: i64 = browser.url().split("/cases/").nth(1).unwrap().split('?').next().unwrap().parse().unwrap();
    assert_eq!(text_of(&browser, "#notice"), "Cas créé (brouillon).");
    assert_eq!(text_of(&browser, "h1"), "Rückfall in der Schreinerei");
    assert_eq!(text_of(&browser, "#case-state"), "brouillon");
    assert_eq!(text_of(&browser, "#situation strong"), "Schreinerei");
    assert!(text_of(&browser, "#not-assessed").contains("c4"));
    assert!(browser.find_all("#no-attachments").len() == 1);

    // A text file named .pdf is refused, said on the page.
    let fake = dir.join("plan-schreinerei-faux.pdf");
    std::fs::write(&fake, "Ceci n'est pas un PDF.\n").expect("the fake file");
    browser.send_keys(&browser.find("#attach-file"), fake.to_str().expect("a UTF-8 path"));
    click_in_view(&browser, "#attach-submit");
    browser.wait_element("#case-errors");
    let refused = text_of(&browser, "#case-errors");
    assert!(refused.contains("n'est ni un PDF"), "{refused}");
    assert!(browser.find_all("#no-attachments").len() == 1, "nothing attached");

    // The real plan is attached.
    let plan = dir.join("plan-schreinerei.pdf");
    std::fs::write(&plan, include_bytes!("../../../../examples/cases/plan-atelier-bois.pdf"))
        .expect("the plan");
    browser.send_keys(&browser.find("#attach-file"), plan.to_str().expect("a UTF-8 path"));
    click_in_view(&browser, "#attach-submit");
    wait_url(&browser, &format!("/cases/{row}?done=attached"));
    assert_eq!(text_of(&browser, "#notice"), "Annexe jointe.");
    let attachments = text_of(&browser, "#attachments");
    assert!(attachments.contains("plan-schreinerei.pdf") && attachments.contains("PDF"), "{attachments}");

    // Ready to be used.
    click_in_view(&browser, "#mark-ready");
    wait_url(&browser, &format!("/cases/{row}?done=state"));
    assert_eq!(text_of(&browser, "#case-state"), "prêt");
    browser.screenshot(&screenshot_path("case-ready"), 1280, 2400);

    // Next year's documents, from the shipped ones.
    click_in_view(&browser, "#nav-documents");
    wait_url(&browser, "/documents");
    browser.wait_element("#next-year-form");
    set_value(&browser, "#next-version", "2027");
    set_value(&browser, "#next-from", "");
    click_in_view(&browser, "#next-year-submit");
    wait_url(&browser, "/documents?done=next_year");
    assert_eq!(text_of(&browser, "#notice"), "Documents de l'examen suivant créés en brouillons.");
    let blueprints = documents(&browser, "Plan d'examen", "2027");
    let schemes = documents(&browser, "Barème", "2027");
    let rubrics = documents(&browser, "Grille d'évaluation", "2027");
    assert_eq!((blueprints.len(), schemes.len()), (1, 1), "{blueprints:?} {schemes:?}");
    assert!(!rubrics.is_empty());
    browser.screenshot(&screenshot_path("documents-next-year"), 1280, 1800);

    // The blueprint of 2027: part 2 gets a new title.
    let blueprint = blueprints[0];
    click_in_view(&browser, &format!("#documents-table tr[data-document='{blueprint}'] a"));
    wait_url(&browser, &format!("/documents/{blueprint}"));
    click_in_view(&browser, "#edit-document");
    wait_url(&browser, &format!("/documents/{blueprint}/edit"));
    browser.wait_element("#document-form");
    assert_eq!(value_of(&browser, "#doc-version"), json!("2027"));
    assert_eq!(value_of(&browser, "#p1-id"), json!("2"));
    // The preview beside the editor follows what is typed, saving nothing:
    // the coverage at first, the problems of a blank id, the coverage again.
    browser.wait_element("#live-preview #document-coverage");
    let id = value_of(&browser, "#doc-id");
    let id = id.as_str().unwrap().to_owned();
    set_value(&browser, "#doc-id", "");
    type_into(&browser, "#doc-id", " ");
    browser.wait_element("#live-preview #preview-problems");
    let problems = text_of(&browser, "#preview-problems");
    assert!(problems.contains("identifiant"), "{problems}");
    set_value(&browser, "#doc-id", "");
    type_into(&browser, "#doc-id", &id);
    browser.wait_element("#live-preview #document-coverage");
    let title = "Étude de cas (examen 2027)";
    set_value(&browser, "#p1-title-fr", "");
    type_into(&browser, "#p1-title-fr", title);
    click_in_view(&browser, "#document-save");
    wait_url(&browser, &format!("/documents/{blueprint}?done=saved"));
    assert_eq!(text_of(&browser, "#notice"), "Document enregistré.");
    assert_eq!(text_of(&browser, "#document-state"), "brouillon");
    let coverage = browser.find_all("#document-coverage tbody tr").len();
    assert!(coverage > 5, "the coverage table lists the competences: {coverage}");
    browser.screenshot(&screenshot_path("document-blueprint-2027"), 1280, 2400);
    browser.goto(&format!("{base}/documents/{blueprint}/edit"));
    assert_eq!(value_of(&browser, "#p1-title-fr"), json!(title), "the edit is kept");
    mark_document_ready(&browser, &base, blueprint);
    for row in schemes.iter().chain(&rubrics) {
        mark_document_ready(&browser, &base, *row);
    }

    // A session pinned to the ready 2027 documents of the bank.
    browser.goto(&format!("{base}/board"));
    browser.wait_element("#bank-choice");
    type_into(&browser, "#session-name", "Examen final 2027");
    set_value(&browser, "#bank-scheme", &schemes[0].to_string());
    set_value(&browser, "#bank-blueprint", &blueprint.to_string());
    for rubric in &rubrics {
        click_in_view(&browser, &format!("input[name='bank_rubric'][value='{rubric}']"));
    }
    click_in_view(&browser, "#create-submit");
    wait_url(&browser, "?created=1");
    browser.wait_element("#pinned-documents");
    let session: i64 =
        browser.url().split("/sessions/").nth(1).unwrap().split('?').next().unwrap().parse().unwrap();
    let pinned = text_of(&browser, "#pinned-documents");
    assert!(pinned.contains("2027"), "{pinned}");
    let pinned_2027 = browser
        .find_all("#pinned-documents tbody tr")
        .iter()
        .filter(|tr| browser.text(tr).contains(" 2027 "))
        .count();
    assert_eq!(pinned_2027, 2 + rubrics.len(), "the scheme, the blueprint and the rubrics of 2027: {pinned}");

    // One candidate, examined on part 2 by exp-03 and exp-04.
    type_into(&browser, "#enrol-number", "2027-001");
    type_into(&browser, "#enrol-family", "Keller");
    type_into(&browser, "#enrol-given", "Jonas");
    click_in_view(&browser, "#enrol-submit");
    wait_url(&browser, "?enrolled=1");
    browser.wait_element("#candidates-table");
    for examiner in ["exp-03", "exp-04"] {
        set_value(&browser, "#assign-candidate", "2027-001");
        set_value(&browser, "#assign-part", "2");
        set_value(&browser, "#assign-examiner", examiner);
        click_in_view(&browser, "#assign-submit");
        // Each answer names its examiner: the second round must not take
        // the first one's address for its own.
        wait_url(&browser, examiner);
        browser.wait_element("#candidates-table");
    }
    let row_text = text_of(&browser, "#candidates-table tbody tr[data-number='2027-001']");
    assert!(row_text.contains("exp-03, exp-04"), "{row_text}");
    let part_two =
        browser.execute("return document.querySelector('#assign-part option[value=\"2\"]').textContent;");
    assert!(part_two.as_str().is_some_and(|text| text.contains(title)), "the edited blueprint: {part_two}");

    // The case for 2027-001's position 2.1, by CSV file: a wrong line
    // first (nothing saved, the line shown), then the preview with the
    // warning about exp-04, then the confirmation.
    browser.goto(&format!("{base}/board/sessions/{session}/cases"));
    browser.wait_element("#session-cases-table");
    let select = "select[name='case:2027-001:2.1']";
    let offered = browser.execute(&format!(
        "return [...document.querySelector(\"{select}\").options].map(o => o.textContent);"
    ));
    let offered: Vec<&str> = offered.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(offered.iter().any(|label| label.starts_with("fall-2-schreinerei v1")), "{offered:?}");
    // A file Excel saved in Windows-1252 is read into the text as such.
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("cas.csv");
    std::fs::write(&file, b"numero;point d'appr\xe9ciation;cas\r\n2027-001;2.1;fall-2-schreinerei\r\n")
        .unwrap();
    browser.send_keys(&browser.find("#cases-csv-file"), file.to_str().unwrap());
    // The file is read in the background: wait for the text.
    let mut read = Value::Null;
    for _ in 0..50 {
        read = browser.execute("return document.getElementById('cases-csv-text').value;");
        if read.as_str().is_some_and(|text| !text.is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(read.as_str().unwrap_or_default().starts_with("numero;point d'appréciation;cas"), "{read}");
    set_value(&browser, "#cases-csv-text", "");
    type_into(
        &browser,
        "#cases-csv-text",
        "numero;point d'appréciation;cas\n2027-001;2.1;fall-2-schreinerei\n2027-999;2.1;fall-2-schreinerei\n",
    );
    click_in_view(&browser, "#cases-csv-preview");
    browser.wait_element("#csv-errors");
    let refused = text_of(&browser, "#csv-errors tbody tr[data-line='3']");
    assert!(refused.contains("2027-999") && refused.contains("n'est pas inscrit"), "{refused}");
    set_value(&browser, "#csv-text", "numero;point d'appréciation;cas\n2027-001;2.1;fall-2-schreinerei\n");
    click_in_view(&browser, "#csv-preview");
    browser.wait_element("#csv-rows");
    let proposed = text_of(&browser, "#csv-rows tbody tr[data-line='2']");
    assert!(
        proposed.contains("fall-2-schreinerei v1") && proposed.contains("exp-04 a rédigé ou relu"),
        "{proposed}"
    );
    assert!(text_of(&browser, "#csv-warned").contains("1 ligne"));
    browser.screenshot(&screenshot_path("board-session-cases-csv-preview"), 1280, 1000);
    click_in_view(&browser, "#csv-confirm");
    wait_url(&browser, &format!("/board/sessions/{session}/cases?done=assigned"));
    assert_eq!(text_of(&browser, "#notice"), "Attributions enregistrées.");
    assert_eq!(value_of(&browser, select), json!(row.to_string()));
    let conflict = text_of(&browser, "[data-conflict='2027-001-2.1']");
    assert!(conflict.contains("exp-04"), "{conflict}");
    browser.screenshot(&screenshot_path("board-session-cases"), 1280, 1400);

    // The scoring opens.
    browser.goto(&format!("{base}/board/sessions/{session}"));
    click_in_view(&browser, "#next-step");
    wait_url(&browser, "/scoring");
    browser.wait_element("#confirm-form");
    click_in_view(&browser, "#confirm-check");
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "?step=scoring");
    assert!(text_of(&browser, "#session-summary").contains("évaluation en cours"));
    click_in_view(&browser, "#logout");
    wait_url(&browser, "/login?logged_out=1");

    // exp-03 scores 2027-001 on 2.1 beside the German case.
    let form = format!("{base}/examiner/sessions/{session}/candidates/2027-001/positions/2.1");
    browser.goto(&form);
    fill_login(&browser, "exp-03", grille_server::DEMO_PASSWORD);
    wait_url(&browser, "/positions/2.1");
    browser.wait_element("#scoring-form");
    let panel = text_of(&browser, "#case-panel summary");
    assert!(panel.contains("Rückfall in der Schreinerei") && panel.contains("fall-2-schreinerei"), "{panel}");
    assert_eq!(text_of(&browser, "#case-situation strong"), "Schreinerei");
    assert_eq!(browser.execute("return document.getElementById('case-situation').lang;"), json!("de"));
    let notes = text_of(&browser, "#case-tasks");
    assert!(
        notes.contains("Sicht von Herrn K. einbezogen") && notes.contains("Überprüfbare Ziele mit Termin"),
        "{notes}"
    );
    assert_eq!(text_of(&browser, "a.case-attachment"), "plan-schreinerei.pdf");
    let left_out = browser.find("fieldset.left-out#criterion-c4");
    assert!(browser.text(&left_out).contains("keine Instruktion verlangt"), "{}", browser.text(&left_out));
    assert_eq!(browser.find_all("fieldset.left-out").len(), 1);
    assert!(browser.find_all("input[name='points-c4']").is_empty(), "no level for a left-out criterion");
    browser.screenshot(&screenshot_path("examiner-form-case-left-out"), 1280, 2400);

    // Every other criterion scored, then saved.
    let scored = browser.execute(
        "const names = new Set([...document.querySelectorAll('input[type=radio][name^=\"points-\"]')].map(i => i.name));
         names.forEach(name => {
           const levels = [...document.querySelectorAll('input[type=radio][name=\"' + name + '\"]')].filter(i => i.value !== 'na');
           levels[levels.length - 1].checked = true;
         });
         return [...names];",
    );
    let scored: Vec<&str> = scored.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(!scored.is_empty() && !scored.contains(&"points-c4"), "{scored:?}");
    click_in_view(&browser, "#save-button");
    // Saved in place; the page read again shows what the server holds.
    browser.wait_for("the in-place save", || {
        text_of(&browser, "#save-status").starts_with("Brouillon enregistré")
    });
    browser.refresh();
    browser.wait_element("#scoring-form");
    let all_checked = browser.execute(&format!(
        "return {}.every(name => !!document.querySelector('input[name=\"' + name + '\"]:checked'));",
        serde_json::to_string(&scored).unwrap()
    ));
    assert_eq!(all_checked, json!(true), "the levels are saved");
    let answered = text_of(&browser, "#live-answered");
    let total = scored.len();
    assert!(answered.starts_with(&format!("{total} / {total}")), "{answered}");
    browser.screenshot(&screenshot_path("examiner-form-case-saved"), 1280, 2400);
}

#[test]
fn a_trainer_writes_a_mock_case_and_runs_a_mock_exam_with_it() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();

    log_in(&browser, &base, "formatrice-demo", grille_server::DEMO_PASSWORD);
    wait_url(&browser, "/trainer");
    click_in_view(&browser, "#case-bank-link");
    wait_url(&browser, "/cases");
    browser.wait_element("#case-filters");
    // The board's cases stay in the board's bank (none is released).
    assert_eq!(bank_row(&browser, "cas-2-atelier-bois"), None);
    assert_eq!(bank_row(&browser, "fall-2-grosskueche"), None);

    // A mock case in French for position 2.1.
    click_in_view(&browser, "#nav-new");
    wait_url(&browser, "/cases/new");
    let case = NewCase {
        id: "blanc-2-buanderie",
        language: "fr",
        year: "2026",
        title: "Reprise du travail à la buanderie",
        situation: "Vous accompagnez Mme L. à la **buanderie** d'un foyer après trois mois d'absence.",
        tasks: &[(
            "t1",
            "Préparez l'entretien de reprise avec Mme L.",
            "Objectifs de la reprise fixés avec elle",
        )],
        competences: &["A1"],
        criteria: "A1.p2",
        position: "2.1",
    };
    fill_case(&browser, &case);
    click_in_view(&browser, "#case-save");
    wait_url(&browser, "?done=created");
    let row: i64 = browser.url().split("/cases/").nth(1).unwrap().split('?').next().unwrap().parse().unwrap();
    assert_eq!(text_of(&browser, "h1"), "Reprise du travail à la buanderie");
    assert_eq!(text_of(&browser, "#situation strong"), "buanderie");
    click_in_view(&browser, "#mark-ready");
    wait_url(&browser, &format!("/cases/{row}?done=state"));
    assert_eq!(text_of(&browser, "#case-state"), "prêt");
    browser.goto(&format!("{base}/cases"));
    assert_eq!(bank_row(&browser, "blanc-2-buanderie"), Some(row), "in the school's bank");

    // A mock exam with one candidate of the cohort.
    browser.goto(&format!("{base}/trainer"));
    browser.wait_element("#create-form");
    type_into(&browser, "#session-name", "Examen blanc — cas de la buanderie");
    click_in_view(&browser, "#create-submit");
    wait_url(&browser, "?notice=created");
    let session: i64 =
        browser.url().split("/sessions/").nth(1).unwrap().split('?').next().unwrap().parse().unwrap();
    assert_eq!(text_of(&browser, "#notice"), "Examen blanc créé.");
    type_into(&browser, "#number", "ECOLE-01");
    type_into(&browser, "#family_name", "Rochat");
    type_into(&browser, "#given_name", "Léa");
    click_in_view(&browser, "#enrol-submit");
    browser.wait_for("the enrolment", || {
        browser.url().contains("?notice=enrolled") || !browser.find_all("#enrol-errors").is_empty()
    });
    assert!(browser.find_all("#enrol-errors").is_empty(), "{}", text_of(&browser, "#enrol-errors"));
    assert_eq!(browser.find_all("#cohort tbody tr").len(), 1);
    assert!(text_of(&browser, "#cohort tbody tr th").contains("ECOLE-01"));

    // The case drawn for 2.1 with a fixed seed: the only candidate gets it.
    browser.goto(&format!("{base}/trainer/sessions/{session}/cases"));
    browser.wait_element("#draw-form");
    assert_eq!(value_of(&browser, "select[name='case:ECOLE-01:2.1']"), json!(""), "no case yet");
    set_value(&browser, "#draw-position", "2.1");
    click_in_view(&browser, &format!("#draw-form input[name='case'][value='{row}']"));
    set_value(&browser, "#draw-seed", "2027");
    click_in_view(&browser, "#draw-submit");
    browser.wait_element("#draw-result");
    let result = text_of(&browser, "#draw-result");
    assert!(
        result.contains("1 attribution(s) faite(s), 0 gardée(s).")
            && result.contains("blanc-2-buanderie v1 — Reprise du travail à la buanderie (fr) : 1"),
        "{result}"
    );
    assert_eq!(value_of(&browser, "select[name='case:ECOLE-01:2.1']"), json!(row.to_string()));
    browser.screenshot(&screenshot_path("trainer-session-cases-draw"), 1280, 1400);

    // Scoring opened with a colleague, then the form with the case.
    browser.goto(&format!("{base}/trainer/sessions/{session}"));
    browser.wait_element("#start-submit");
    type_into(&browser, "#partner", "formateur-demo");
    click_in_view(&browser, "#start-submit");
    wait_url(&browser, "?notice=started");
    click_in_view(&browser, "#score-link");
    wait_url(&browser, "/examiner");
    // This session's row of ECOLE-01 (the cohort also sits the demo's mock exam).
    let link = format!(
        "tr[data-candidate='ECOLE-01'] td[data-position='2.1'] a[href$='/sessions/{session}/candidates/ECOLE-01/positions/2.1']"
    );
    browser.wait_element(&link);
    click_in_view(&browser, &link);
    wait_url(&browser, "/positions/2.1");
    browser.wait_element("#scoring-form");
    let panel = text_of(&browser, "#case-panel summary");
    assert!(panel.contains("Reprise du travail à la buanderie"), "{panel}");
    assert_eq!(text_of(&browser, "#case-situation strong"), "buanderie");
    assert!(text_of(&browser, "#case-tasks").contains("Objectifs de la reprise fixés avec elle"));
    assert!(browser.find_all("fieldset.left-out").is_empty());
    browser.screenshot(&screenshot_path("trainer-form-mock-case"), 1280, 2400);
}
