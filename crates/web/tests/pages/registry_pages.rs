//! The board's candidate register pages over the demo app: one
//! candidate's master data and accommodations (problems shown on the form,
//! what was typed kept), the CSV import through preview → confirm (lines
//! and columns named in the reader's language, nothing half-imported),
//! the accommodations on the assigned examiners' list, and the decision
//! letters and grade sheet written in the candidate's exam language.

use axum::http::StatusCode;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

async fn login(app: &App, username: &str, password: &str) -> (String, String) {
    let answer = app.post_login(username, password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{username}: {}", answer.body);
    answer.session()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(name, value)| format!("{name}={}", urlencode(value))).collect::<Vec<_>>().join("&")
}

fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[tokio::test]
async fn only_the_board_opens_the_register() {
    let app = support::app_with_board();
    let (examiner, _) = login(&app, "exp-01", PASSWORD).await;
    for uri in ["/board/sessions/1/register", "/board/sessions/1/candidates/2026-003/register"] {
        let anonymous = app.send("GET", uri, "", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(app.send("GET", uri, &examiner, None).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let (board, _) = login(&app, "commission", BOARD_PASSWORD).await;
    let post = app
        .send(
            "POST",
            "/board/sessions/1/candidates/2026-003/register/master-data",
            &board,
            Some("family_name=X&given_name=Y"),
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN, "no token, nothing saved: {}", post.body);
    let unknown = app.send("GET", "/board/sessions/1/candidates/2099-001/register", &board, None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_board_edits_one_candidate_with_problems_shown_on_the_form() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let page = app.send("GET", "/board/sessions/1/register?lang=de", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Stammdaten und Nachteilsausgleich")
            && page.body.contains(r#"id="register-2026-003""#)
    );
    let uri = "/board/sessions/1/candidates/2026-003/register/master-data?lang=de";
    let bad = form(&[
        ("csrf", &csrf),
        ("family_name", "Muster"),
        ("given_name", "Anne"),
        ("date_of_birth", "31.02.1990"),
        ("place_of_origin", "Trub BE"),
        ("address", "Bahnhofstrasse 1\r\n3000 Bern"),
        ("exam_language", "de"),
    ]);
    let refused = app.send("POST", uri, &cookie, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains("31.02.1990") && refused.body.contains(r#"id="master-errors""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"value="Trub BE""#), "what was typed stays");
    let unknown =
        form(&[("csrf", &csrf), ("family_name", "Muster"), ("given_name", "Anne"), ("exam_language", "en")]);
    let refused = app.send("POST", uri, &cookie, Some(&unknown)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Unbekannte Prüfungssprache"), "{}", refused.body);

    let good = bad.replace("31.02.1990", "30.01.1990");
    let saved = app.send("POST", uri, &cookie, Some(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.send("GET", &format!("{}&lang=de", saved.location), &cookie, None).await;
    assert!(
        page.body.contains("Stammdaten gespeichert.") && page.body.contains(r#"value="30.01.1990""#),
        "{}",
        page.body
    );

    let accommodation = "/board/sessions/1/candidates/2026-003/register/accommodation";
    let bad = form(&[("csrf", &csrf), ("extra_minutes", "eine Stunde"), ("aids", "Laptop")]);
    let refused = app.send("POST", accommodation, &cookie, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="accommodation-errors""#));
    let good = form(&[("csrf", &csrf), ("extra_minutes", "30"), ("aids", "Laptop mit Vorlesefunktion")]);
    assert_eq!(app.send("POST", accommodation, &cookie, Some(&good)).await.status, StatusCode::SEE_OTHER);
    let register = app.send("GET", "/board/sessions/1/register?lang=de", &cookie, None).await;
    assert!(register.body.contains("30.01.1990") && register.body.contains("Deutsch"), "{}", register.body);
    assert!(register.body.contains("30 Min. zusätzlich · Laptop mit Vorlesefunktion"), "{}", register.body);

    // The examiners of the candidate see it on their list and form.
    let (examiner, _) = login(&app, "exp-01", PASSWORD).await;
    let list = app.send("GET", "/examiner?lang=de", &examiner, None).await;
    assert!(list.body.contains(r#"id="accommodation-2026-003""#), "{}", list.body);
    assert!(!list.body.contains(r#"id="accommodation-2026-001""#));
    // The demo's unscored candidate has a scoring form to open.
    let unscored = "/board/sessions/1/candidates/2026-006/register/accommodation";
    assert_eq!(app.send("POST", unscored, &cookie, Some(&good)).await.status, StatusCode::SEE_OTHER);
    let form_page = app
        .send("GET", "/examiner/sessions/1/candidates/2026-006/positions/1.1?lang=de", &examiner, None)
        .await;
    assert_eq!(form_page.status, StatusCode::OK, "{}", form_page.body);
    assert!(form_page.body.contains(r#"id="form-accommodation""#), "{}", form_page.body);
}

#[tokio::test]
async fn a_master_data_file_is_previewed_then_saved_all_or_nothing() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let bad = "Nummer;Name;Vorname;Geburtsdatum;Prüfungssprache\n2026-001;Meier;Lea;1990/12/31;de\n2026-002;Rossi;Marco;02.04.1985;rm\n2026-001;Meier;Lea;31.12.1990;de\n";
    let body = form(&[("csrf", &csrf), ("csv", bad)]);
    let preview = app.send("POST", "/board/sessions/1/register/preview?lang=de", &cookie, Some(&body)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    for needle in [r#"<tr data-line="2">"#, "Geburtsdatum", "Prüfungssprache", r#"<tr data-line="4">"#] {
        assert!(preview.body.contains(needle), "{needle}: {}", preview.body);
    }
    let good = "Nummer;Name;Vorname;Geburtsdatum;Heimatort;Prüfungssprache\n2026-001;Meier;Lea;31.12.1990;Trub BE;de\n2026-002;Rossi;Marco;1985-04-02;Lugano;it\n";
    let body = form(&[("csrf", &csrf), ("csv", good)]);
    let preview = app.send("POST", "/board/sessions/1/register/preview?lang=de", &cookie, Some(&body)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("02.04.1985") && preview.body.contains("Italienisch"), "{}", preview.body);
    let register = app.send("GET", "/board/sessions/1/register", &cookie, None).await;
    assert!(!register.body.contains(r#"<td class="register-birth">31.12.1990"#), "a preview saves nothing");
    let confirm = app.send("POST", "/board/sessions/1/register/confirm", &cookie, Some(&body)).await;
    assert_eq!(confirm.status, StatusCode::SEE_OTHER, "{}", confirm.body);
    let register = app.send("GET", &confirm.location, &cookie, None).await;
    assert!(register.body.contains("31.12.1990") && register.body.contains("Trub BE"), "{}", register.body);
    assert!(register.body.contains(r#"id="notice""#), "{}", register.body);
}

#[tokio::test]
async fn letters_and_the_grade_sheet_follow_the_candidates_exam_language() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    for (number, language, canton) in [("2026-003", "de", "GE"), ("2026-001", "fr", "")] {
        let body = form(&[
            ("csrf", &csrf),
            ("family_name", "Muster"),
            ("given_name", "Anne"),
            ("date_of_birth", "1990-01-30"),
            ("place_of_origin", "Trub BE"),
            ("address", "Bahnhofstrasse 1\n3000 Bern"),
            ("exam_language", language),
            ("canton", canton),
        ]);
        let uri = format!("/board/sessions/1/candidates/{number}/register/master-data");
        assert_eq!(app.send("POST", &uri, &cookie, Some(&body)).await.status, StatusCode::SEE_OTHER);
    }
    let status = format!("status=withdrawn_excused&csrf={csrf}");
    for number in ["2026-006", "2026-007"] {
        let uri = format!("/board/sessions/1/candidates/{number}/status");
        assert_eq!(app.send("POST", &uri, &cookie, Some(&status)).await.status, StatusCode::SEE_OTHER);
    }
    let answer = app
        .send("POST", "/board/sessions/1/finalise", &cookie, Some(&format!("confirm=yes&csrf={csrf}")))
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    // The board reads French; each letter is in its candidate's language.
    let letters = app.send("GET", "/board/sessions/1/decisions?notified=01.07.2027", &cookie, None).await;
    assert_eq!(letters.status, StatusCode::OK, "{}", letters.body);
    let german =
        letters.body.split(r#"id="letter-2026-003""#).nth(1).unwrap().split("</article>").next().unwrap();
    assert!(
        german.contains("Verfügung") && german.contains("Heimatort") && german.contains("Trub BE"),
        "{german}"
    );
    assert!(german.contains("Bahnhofstrasse 1<br>3000 Bern") && german.contains("30.01.1990"), "{german}");
    let french =
        letters.body.split(r#"id="letter-2026-001""#).nth(1).unwrap().split("</article>").next().unwrap();
    assert!(french.contains("Lieu d&#x27;origine") && !french.contains("Verfügung"), "{french}");
    // 2026-003 lives in Geneva, whose holidays her period counts with (PA
    // art. 20 al. 3): notified on 10 July 2026, the 30th day is Thursday
    // 10 September, the Jeûne genevois; the others' is that very day.
    let letters = app.send("GET", "/board/sessions/1/decisions?notified=10.07.2026", &cookie, None).await;
    let letter = |number: &str| {
        letters
            .body
            .split(&format!(r#"id="letter-{number}""#))
            .nth(1)
            .unwrap()
            .split("</article>")
            .next()
            .unwrap()
    };
    assert!(
        letter("2026-003").contains("11.09.2026") && letter("2026-003").contains("jene des Wohnkantons (GE)"),
        "{}",
        letter("2026-003")
    );
    assert!(letter("2026-001").contains("10.09.2026") && !letter("2026-001").contains("canton de domicile"));
    let form_page = app.send("GET", "/board/sessions/1/candidates/2026-003/register", &cookie, None).await;
    assert!(form_page.body.contains(r#"<option value="GE" selected>GE</option>"#), "{}", form_page.body);
    let sheet = app.send("GET", "/board/sessions/1/candidates/2026-003", &cookie, None).await;
    assert!(sheet.body.contains(r#"lang="de""#) && sheet.body.contains("30.01.1990"), "{}", sheet.body);
    // The appeal register, now that the decisions exist.
    let page = app.send("GET", "/board/sessions/1/appeals?lang=de", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Keine Beschwerde erfasst.") && page.body.contains(r#"id="nav-appeals""#));
    let bad = form(&[
        ("csrf", &csrf),
        ("id", "0"),
        ("candidate_number", "2026-003"),
        ("received_on", "02.08.2027"),
        ("status", "rejected"),
    ]);
    let refused = app.send("POST", "/board/sessions/1/appeals?lang=de", &cookie, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="appeal-new-errors""#) && refused.body.contains(r#"value="02.08.2027""#)
    );
    let good = bad.replace("status=rejected", "status=received");
    let saved = app.send("POST", "/board/sessions/1/appeals", &cookie, Some(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.send("GET", &format!("{}&lang=de", saved.location), &cookie, None).await;
    assert!(
        page.body.contains("Beschwerde gespeichert.") && page.body.contains(r#"id="appeal-1""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("02.08.2027") && page.body.contains("eingegangen"), "{}", page.body);
    let update = form(&[
        ("csrf", &csrf),
        ("id", "1"),
        ("version", "1"),
        ("candidate_number", "2026-003"),
        ("received_on", "02.08.2027"),
        ("status", "rejected"),
        ("decided_on", "15.09.2027"),
        ("consultation_requested_on", "05.08.2027"),
        ("consultation_held_on", "12.08.2027"),
    ]);
    let saved = app.send("POST", "/board/sessions/1/appeals", &cookie, Some(&update)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stale = app.send("POST", "/board/sessions/1/appeals", &cookie, Some(&update)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "the same version again: {}", stale.body);
    let page = app.send("GET", "/board/sessions/1/appeals?lang=de", &cookie, None).await;
    assert!(page.body.contains("abgewiesen") && page.body.contains("12.08.2027"), "{}", page.body);

    let list = app.send("GET", "/api/sessions/1/successful/csv?lang=de", &cookie, None).await;
    assert!(list.body.contains("30.01.1990;Trub BE") || !list.body.contains("2026-003"), "{}", list.body);
}

#[tokio::test]
async fn an_examiner_declares_a_conflict_and_the_boards_assignment_form_says_why_it_is_refused() {
    let app = support::app_with_board();
    let (examiner, examiner_csrf) = login(&app, "exp-01", PASSWORD).await;
    let list = app.send("GET", "/examiner?lang=de", &examiner, None).await;
    assert!(list.body.contains(r#"id="conflicts-link""#));
    let page = app.send("GET", "/examiner/conflicts?lang=de", &examiner, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Meine Interessenkonflikte")
            && page.body.contains("Kein Interessenkonflikt erklärt.")
    );
    let bad = form(&[("csrf", &examiner_csrf), ("candidate_number", "2026 003!"), ("reason", "trained")]);
    let refused = app.send("POST", "/examiner/conflicts?lang=de", &examiner, Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="conflict-errors""#) && refused.body.contains(r#"value="2026 003!""#)
    );
    let good = form(&[
        ("csrf", &examiner_csrf),
        ("candidate_number", "2026-005"),
        ("reason", "employs"),
        ("note", "Arbeitgeberin seit 2023"),
    ]);
    let declared = app.send("POST", "/examiner/conflicts", &examiner, Some(&good)).await;
    assert_eq!(declared.status, StatusCode::SEE_OTHER, "{}", declared.body);
    let page = app.send("GET", "/examiner/conflicts?done=declared&lang=de", &examiner, None).await;
    assert!(
        page.body.contains(r#"id="conflict-2026-005""#) && page.body.contains("Ich beschäftige die Person"),
        "{}",
        page.body
    );

    // The board assigns exp-01 to 2026-005: refused with the reason.
    let (board, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let assign =
        form(&[("csrf", &csrf), ("candidate_number", "2026-005"), ("part", "3"), ("examiner", "exp-01")]);
    let refused = app.send("POST", "/board/sessions/1/assignments", &board, Some(&assign)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains("Conflit d&#x27;intérêts déclaré : exp-01 emploie la personne"),
        "{}",
        refused.body
    );

    // Withdrawn by the examiner.
    let withdraw = form(&[("csrf", &examiner_csrf)]);
    let answer = app.send("POST", "/examiner/conflicts/2026-005/withdraw", &examiner, Some(&withdraw)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = app.send("GET", &answer.location, &examiner, None).await;
    assert!(!page.body.contains(r#"id="conflict-2026-005""#));
}
