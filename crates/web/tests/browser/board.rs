//! The board's journey in a real browser, over the real app composed as
//! `grille serve --demo` composes it (API and pages over one state, demo
//! data in a temporary folder, port 0) with a board account `commission`:
//! sessions, a new session pinned to the shipped documents, a CSV
//! enrolment whose preview shows the bad line (nothing saved), fixed and
//! confirmed, examiners assigned; on the demo session the progress,
//! 2026-006 recorded absent, finalisation confirmed, publication, a CSV
//! export, a grade sheet, a correction with its reason and the candidate's
//! audit log.

use serde_json::json;

use super::support::{BOARD_PASSWORD, Journey, fill_login, journey, log_in, set_value, text_of, wait_url};
use super::{click_in_view, screenshot_path};

#[test]
fn a_board_member_runs_a_session_from_enrolment_to_correction() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();

    // Log in: the board lands on its sessions.
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.wait_element("#sessions-table");
    let demo = text_of(&browser, "#sessions-table tbody tr[data-session='1']");
    assert!(
        demo.contains(grille_server::DEMO_SESSION_NAME) && demo.contains("évaluation en cours"),
        "{demo}"
    );
    assert!(text_of(&browser, "#default-documents").contains("Plan d'examen"));
    browser.screenshot(&screenshot_path("board-sessions"), 1280, 1800);

    // A new session, pinned to the shipped documents.
    browser.send_keys(&browser.find("#session-name"), "Session d'automne 2026");
    click_in_view(&browser, "#create-submit");
    wait_url(&browser, "?created=1");
    browser.wait_element("#pinned-documents");
    let session = browser.url().split('?').next().unwrap().to_owned();
    assert!(text_of(&browser, "#notice").contains("Session créée"));
    assert!(browser.find_all("#pinned-documents tbody tr").len() >= 4);
    assert!(browser.find_all("#no-candidate").len() == 1);

    // A CSV with a bad row: the preview names the line and saves nothing.
    set_value(
        &browser,
        "#csv-text",
        "numero,nom,prenom,courriel\n2026-101,Rochat,Lea,lea.rochat@example.ch\n2026 102,Baumann,Marc,\n2026-103,Favre,Ines,pas-une-adresse\n",
    );
    click_in_view(&browser, "#csv-preview");
    wait_url(&browser, "/enrolment/preview");
    browser.wait_element("#csv-errors");
    let errors: Vec<String> =
        browser.find_all("#csv-errors tbody tr").iter().map(|row| browser.text(row)).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with('3') && errors[0].contains("2026 102"), "{errors:?}");
    assert!(errors[1].starts_with('4') && errors[1].contains("électronique"), "{errors:?}");
    assert!(text_of(&browser, "#csv-errors-summary").contains("Rien n'a été enregistré"));
    browser.screenshot(&screenshot_path("board-csv-preview-errors"), 1280, 1600);
    browser.goto(&session);
    browser.wait_element("#no-candidate");

    // Fixed, checked again, then confirmed: all rows at once.
    browser.goto(&session);
    browser.wait_element("#csv-text");
    set_value(
        &browser,
        "#csv-text",
        "numero,nom,prenom,courriel\n2026-101,Rochat,Lea,lea.rochat@example.ch\n2026-102,Baumann,Marc,\n2026-103,Favre,Ines,ines.favre@example.ch\n",
    );
    click_in_view(&browser, "#csv-preview");
    browser.wait_element("#csv-confirm");
    assert_eq!(browser.find_all("#csv-rows tbody tr").len(), 3);
    browser.screenshot(&screenshot_path("board-csv-preview-ready"), 1280, 1200);
    click_in_view(&browser, "#csv-confirm");
    wait_url(&browser, "?enrolled=3");
    browser.wait_element("#candidates-table");
    assert_eq!(browser.find_all("#candidates-table tbody tr").len(), 3);

    // Two examiners for part 1 of 2026-101.
    for examiner in ["exp-01", "exp-02"] {
        set_value(&browser, "#assign-candidate", "2026-101");
        set_value(&browser, "#assign-part", "1");
        set_value(&browser, "#assign-examiner", examiner);
        click_in_view(&browser, "#assign-submit");
        wait_url(&browser, examiner);
        browser.wait_element("#notice");
    }
    let row = text_of(&browser, "#candidates-table tbody tr[data-number='2026-101']");
    assert!(row.contains("exp-01, exp-02"), "{row}");

    // The other pairs by CSV: a bad row is shown by line and column and
    // nothing is saved; the corrected file is confirmed.
    set_value(
        &browser,
        "#assign-csv-text",
        "numero;epreuve;expert 1;expert 2\n2026-102;1;exp-01;exp-02\n2026-103;1;exp-01;exp-01\n",
    );
    click_in_view(&browser, "#assign-csv-preview");
    wait_url(&browser, "/assignments/preview");
    browser.wait_element("#csv-errors");
    let errors: Vec<String> =
        browser.find_all("#csv-errors tbody tr").iter().map(|row| browser.text(row)).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with('3') && errors[0].contains("expert·e 2"), "{errors:?}");
    browser.screenshot(&screenshot_path("board-assignment-csv-errors"), 1280, 1400);
    set_value(
        &browser,
        "#csv-text",
        "numero;epreuve;expert 1;expert 2\n2026-102;1;exp-01;exp-02\n2026-103;1;exp-01;exp-02\n",
    );
    click_in_view(&browser, "#csv-preview");
    browser.wait_element("#csv-confirm");
    assert_eq!(browser.find_all("#csv-rows tbody tr").len(), 4);
    click_in_view(&browser, "#csv-confirm");
    wait_url(&browser, "?assigned_count=4");
    browser.wait_element("#candidates-table");
    let row = text_of(&browser, "#candidates-table tbody tr[data-number='2026-103']");
    assert!(row.contains("exp-01, exp-02"), "{row}");
    browser.screenshot(&screenshot_path("board-session-enrolment"), 1280, 2600);

    // A file saved by Excel on a Swiss Windows (Windows-1252), chosen in
    // the form: the preview says how it was read and « Müller » is right.
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("inscriptions.csv");
    std::fs::write(&file, b"Nummer;Name;Vorname\r\n2026-104;M\xfcller;Zo\xe9\r\n").unwrap();
    browser.send_keys(&browser.find("#csv-file"), file.to_str().unwrap());
    click_in_view(&browser, "#csv-preview");
    wait_url(&browser, "/enrolment/preview");
    browser.wait_element("#csv-encoding");
    assert!(text_of(&browser, "#csv-encoding").contains("Windows-1252"));
    let rows = text_of(&browser, "#csv-rows");
    assert!(rows.contains("Müller") && rows.contains("Zoé"), "{rows}");
    browser.screenshot(&screenshot_path("board-csv-preview-windows-1252"), 1280, 1200);
    click_in_view(&browser, "#csv-confirm");
    wait_url(&browser, "?enrolled=1");
    browser.wait_element("#candidates-table");
    let row = text_of(&browser, "#candidates-table tbody tr[data-number='2026-104']");
    assert!(row.contains("Müller"), "{row}");

    // The demo session: what is missing, and for whom.
    browser.goto(&format!("{base}/board/sessions/1/progress"));
    browser.wait_element("#progress-table");
    let pending = text_of(&browser, "#progress-table tbody[data-number='2026-006']");
    assert!(pending.contains("exp-01") && pending.contains("en attente"), "{pending}");
    // A reminder per examiner, ready to copy: exp-01 still owes 2026-006.
    click_in_view(&browser, "#reminder-exp-01 > summary");
    let reminder = browser.property(&browser.find("#reminder-text-exp-01"), "value");
    let reminder = reminder.as_str().unwrap_or_default();
    assert!(
        reminder.starts_with("Bonjour exp-01,") && reminder.contains("2026-006, point 1.1"),
        "{reminder}"
    );
    assert!(!reminder.contains("2026-001"), "only what is missing: {reminder}");
    let copy = browser.find("#reminder-exp-01 .copy-button");
    assert_eq!(browser.property(&copy, "hidden"), json!(false), "the copy button shows with the script");
    browser.screenshot(&screenshot_path("board-progress"), 1280, 3000);

    // Finalisation is blocked by 2026-006, said before anything is tried.
    browser.goto(&format!("{base}/board/sessions/1/finalise"));
    browser.wait_element("#checks");
    assert!(text_of(&browser, "#checks").contains("2026-006"));
    assert_eq!(browser.find_all("#blocked").len(), 1);

    // 2026-006 did not come: recorded absent on the session page.
    browser.goto(&format!("{base}/board/sessions/1"));
    browser.wait_element("#status-2026-006");
    set_value(&browser, "#status-2026-006", "absent");
    click_in_view(&browser, "#status-submit-2026-006");
    wait_url(&browser, "?status=2026-006");
    assert!(text_of(&browser, "#notice").contains("2026-006"));

    // An absence without a decided reason still leaves the outcome open;
    // the board qualifies it as an excused withdrawal.
    browser.goto(&format!("{base}/board/sessions/1/finalise"));
    browser.wait_element("#checks");
    assert!(text_of(&browser, "#checks").contains("2026-006"), "absent: still pending");
    browser.goto(&format!("{base}/board/sessions/1"));
    browser.wait_element("#status-2026-006");
    set_value(&browser, "#status-2026-006", "withdrawn_excused");
    click_in_view(&browser, "#status-submit-2026-006");
    wait_url(&browser, "?status=2026-006");
    // 2026-007 (part 2, on a case study) did not come either.
    browser.goto(&format!("{base}/board/sessions/1"));
    browser.wait_element("#status-2026-007");
    set_value(&browser, "#status-2026-007", "withdrawn_excused");
    click_in_view(&browser, "#status-submit-2026-007");
    wait_url(&browser, "?status=2026-007");

    // Finalise, with the confirmation: effects listed, nothing blocking.
    click_in_view(&browser, "#next-step");
    wait_url(&browser, "/finalise");
    browser.wait_element("#confirm-form");
    assert!(browser.find_all("#blocked").is_empty(), "nothing blocks now");
    assert_eq!(browser.find_all("#checks .check-blocking").len(), 0);
    browser.screenshot(&screenshot_path("board-finalise-confirmation"), 1280, 1400);
    // The confirmation box is required by the page itself, not by a script.
    let required = browser.execute("return document.getElementById('confirm-check').required;");
    assert_eq!(required, json!(true));
    click_in_view(&browser, "#confirm-check");
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "/board/sessions/1/results");
    browser.wait_element("#results-status.official");
    assert_eq!(browser.find_all("#results-table tbody tr").len(), 7);
    browser.screenshot(&screenshot_path("board-results"), 1280, 1800);

    // Publish.
    browser.goto(&format!("{base}/board/sessions/1/publish"));
    browser.wait_element("#confirm-form");
    click_in_view(&browser, "#confirm-check");
    click_in_view(&browser, "#confirm-submit");
    wait_url(&browser, "?step=published");
    assert!(
        text_of(&browser, "#session-summary").contains("résultats publiés"),
        "{}",
        text_of(&browser, "#session-summary")
    );

    // Export: the CSV for Excel (semicolon, UTF-8 with BOM).
    browser.goto(&format!("{base}/board/sessions/1/exports"));
    browser.wait_element("#csv-candidate-semicolon");
    let csv = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(document.getElementById('csv-candidate-semicolon').href)
           .then(r => r.arrayBuffer()).then(b => {
             const bytes = new Uint8Array(b);
             done({bom: bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF,
                   text: new TextDecoder().decode(b)});
           });",
    );
    assert_eq!(csv["bom"], json!(true), "{csv}");
    let text = csv["text"].as_str().unwrap();
    assert!(text.contains("Numéro;Statut;Tentative;") && text.contains("2026-003;"), "{text}");

    // A grade sheet from the results table.
    browser.goto(&format!("{base}/board/sessions/1/results"));
    browser.wait_element("#results-table");
    click_in_view(&browser, "#results-table tbody tr[data-number='2026-003'] th a");
    wait_url(&browser, "/candidates/2026-003");
    assert_eq!(text_of(&browser, "h1"), "Bulletin de notes — candidat·e 2026-003");
    let before = text_of(&browser, "#overall-2026-003");

    // A correction on appeal, with its reason: the original stays visible.
    click_in_view(&browser, "#audit-link");
    wait_url(&browser, "/audit");
    browser.wait_element("#position-choice");
    set_value(&browser, "#correction-position", "1.1");
    click_in_view(&browser, "#choose-position");
    wait_url(&browser, "position=1.1");
    browser.wait_element("#correction-form");
    // Every criterion one level up where possible (the appeal was upheld).
    browser.execute(
        "for (const fieldset of document.querySelectorAll('#correction-form fieldset')) {
           const radios = [...fieldset.querySelectorAll('input[type=radio]:not([value=na])')];
           const index = radios.findIndex(radio => radio.checked);
           if (index >= 0 && index + 1 < radios.length) { radios[index + 1].checked = true; }
         }",
    );
    browser.send_keys(&browser.find("#correction-reason"), "Décision sur recours du 12 juillet 2026");
    // First what it changes, nothing saved yet; the decision stays, so one
    // board member saves it.
    click_in_view(&browser, "#correction-submit");
    browser.wait_element("#correction-preview");
    let preview = text_of(&browser, "#preview-table");
    assert!(preview.contains("Note globale") && preview.contains(&before), "{preview}");
    assert!(preview.contains("1.1"), "the position's grade before and after: {preview}");
    assert!(browser.find_all("#four-eyes-notice").is_empty(), "{preview}");
    assert_eq!(browser.find_all("#corrections-table").len(), 0, "nothing saved by the preview");
    browser.screenshot(&screenshot_path("board-correction-preview"), 1280, 2400);
    click_in_view(&browser, "#correction-confirm");
    wait_url(&browser, "corrected=");
    browser.wait_element("#corrections-table");
    assert!(text_of(&browser, "#notice").contains("Correction enregistrée"));
    let corrections = text_of(&browser, "#corrections-table");
    assert!(corrections.contains("Décision sur recours du 12 juillet 2026"), "{corrections}");
    assert!(corrections.contains(&before), "the original grade {before} stays visible: {corrections}");
    let log = text_of(&browser, "#audit-table");
    assert!(log.contains("Correction de la note") && log.contains("commission"), "{log}");
    assert!(log.contains("Décision sur recours"), "{log}");
    browser.screenshot(&screenshot_path("board-audit-log"), 1280, 3000);
    browser.screenshot(&screenshot_path("board-audit-log-tablet"), 820, 3000);

    // Four eyes: part 2 at its best turns the failure into a pass; the
    // correction is proposed, and only a second board member applies it.
    let audit = browser.url().split('?').next().unwrap().to_owned();
    browser.goto(&format!("{audit}?position=2.1"));
    browser.wait_element("#correction-form");
    browser.execute(
        "for (const fieldset of document.querySelectorAll('#correction-form fieldset')) {
           const radios = [...fieldset.querySelectorAll('input[type=radio]:not([value=na])')];
           radios[radios.length - 1].checked = true;
         }",
    );
    browser.send_keys(&browser.find("#correction-reason"), "Décision sur recours du 3 août 2026");
    click_in_view(&browser, "#correction-submit");
    browser.wait_element("#four-eyes-notice");
    let preview = text_of(&browser, "#preview-table");
    assert!(preview.contains("échoué") && preview.contains("réussi"), "{preview}");
    assert!(browser.find_all("#correction-confirm").is_empty(), "no direct save of a changed decision");
    browser.screenshot(&screenshot_path("board-correction-four-eyes"), 1280, 2400);
    click_in_view(&browser, "#correction-propose");
    wait_url(&browser, "proposal=proposed");
    browser.wait_element("#proposals-table");
    assert!(text_of(&browser, "#notice").contains("Correction proposée"));
    assert!(text_of(&browser, "#proposals-table").contains("Décision sur recours du 3 août 2026"));
    assert!(browser.find_all("#proposals-table button[id^='approve-']").is_empty(), "not one's own");
    assert_eq!(browser.find_all("#proposals-table button[id^='withdraw-']").len(), 1);
    let lead = text_of(&browser, ".lead");
    assert!(lead.contains("échoué"), "nothing applied yet: {lead}");

    click_in_view(&browser, "#logout");
    browser.wait_element("#username");
    fill_login(&browser, "commission-2", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.goto(&audit);
    browser.wait_element("#proposals-table");
    click_in_view(&browser, "#proposals-table button[id^='approve-']");
    wait_url(&browser, "proposal=approved");
    browser.wait_element("#corrections-table");
    assert!(text_of(&browser, "#notice").contains("approuvée"));
    let lead = text_of(&browser, ".lead");
    assert!(lead.contains("réussi"), "{lead}");
    let corrections = text_of(&browser, "#corrections-table");
    assert!(corrections.contains("approuvée par commission-2"), "{corrections}");
    assert!(text_of(&browser, "#decided-proposals").contains("approuvée par commission-2"));
    assert!(text_of(&browser, "#audit-table").contains("Correction proposée (quatre yeux)"));
    browser.screenshot(&screenshot_path("board-correction-approved"), 1280, 3000);

    // The session's own journal: every step, filterable, exportable.
    click_in_view(&browser, "#nav-session-events");
    browser.wait_element("#events-table");
    let journal = text_of(&browser, "#events-table");
    for step in
        ["Notes arrêtées", "Résultats publiés", "Correction proposée (quatre yeux)", "Correction de la note"]
    {
        assert!(journal.contains(step), "{step} in {journal}");
    }
    set_value(&browser, "#events-kind", "corrections");
    click_in_view(&browser, "#events-apply");
    wait_url(&browser, "kind=corrections");
    browser.wait_element("#events-table");
    let corrections = text_of(&browser, "#events-table");
    assert!(
        !corrections.contains("Notes arrêtées") && corrections.contains("candidat·e 2026-003"),
        "{corrections}"
    );
    let csv = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(document.getElementById('events-csv').href).then(r => r.text()).then(done);",
    );
    let csv = csv.as_str().unwrap_or_default();
    // (fetch's text() drops the BOM the file starts with.)
    assert!(csv.starts_with("quand;qui;quoi;"), "{csv}");
    assert!(csv.contains("commission-2") && csv.contains("Décision sur recours du 3 août 2026"), "{csv}");
    browser.screenshot(&screenshot_path("board-session-journal"), 1280, 2400);
}
