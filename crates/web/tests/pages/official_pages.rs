//! The board's pages of the exam body's identity and of a session's
//! official documents, over the demo app driven with `oneshot`: the
//! identity form (its problems shown on the form with the field they
//! concern, nothing half-saved), the logo upload typed by content, the
//! days, places and notification of a session, the decision letters and
//! the official grade sheet once the results are final.

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

fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "grille-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn only_the_board_opens_the_identity_and_official_pages() {
    let app = support::app_with_board();
    let (examiner, _) = login(&app, "exp-01", PASSWORD).await;
    for uri in ["/board/identity", "/board/sessions/1/official", "/board/sessions/1/decisions"] {
        let anonymous = app.send("GET", uri, "", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(anonymous.location.starts_with("/login"), "{uri}");
        let refused = app.send("GET", uri, &examiner, None).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let (board, _) = login(&app, "commission", BOARD_PASSWORD).await;
    // Every form needs the session's token.
    for (uri, body) in [
        ("/board/identity", "name=Pirate"),
        ("/board/sessions/1/official", "date_1=01.05.2027&place_1=X"),
        ("/board/identity/logo/delete", ""),
    ] {
        let answer = app.send("POST", uri, &board, Some(body)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}: {}", answer.body);
    }
    let page = app.send("GET", "/board/identity", &board, None).await;
    assert!(!page.body.contains("Pirate"), "nothing saved without the token");
}

/// The version the identity form carries (its hidden field).
fn form_version(page: &str) -> String {
    let marker = r#"id="identity-version" value=""#;
    let start = page.find(marker).expect("the identity form's version") + marker.len();
    page[start..].split('"').next().unwrap_or_default().to_owned()
}

/// Two tabs open the identity form; the first saves; the second, still
/// holding the old version, is refused with the conflict said on the form
/// and what it typed kept, now with the current version: sent again, it
/// replaces the first tab's save.
#[tokio::test]
async fn a_stale_identity_tab_is_told_and_overwrites_nothing() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let page = app.send("GET", "/board/identity", &cookie, None).await;
    let old = form_version(&page.body);
    assert_eq!(old, "0", "nothing saved yet");
    let fields = |name: &str, version: &str| {
        form(&[
            ("csrf", &csrf),
            ("name", name),
            ("postal_days", "2"),
            ("seat", "Berne"),
            ("version", version),
        ])
    };

    let first = app
        .send("POST", "/board/identity", &cookie, Some(&fields("Commission du premier onglet", &old)))
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let current = form_version(&app.send("GET", "/board/identity", &cookie, None).await.body);
    assert_ne!(current, old);

    let second = app
        .send("POST", "/board/identity", &cookie, Some(&fields("Commission du second onglet", &old)))
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    assert!(second.body.contains(r#"id="identity-errors""#), "{}", second.body);
    assert!(second.body.contains("Une autre modification a été enregistrée entre-temps"), "{}", second.body);
    assert!(second.body.contains("Commission du second onglet"), "what was typed stays");
    assert_eq!(form_version(&second.body), current, "the form now names the version saved meanwhile");
    let page = app.send("GET", "/board/identity", &cookie, None).await;
    assert!(page.body.contains("Commission du premier onglet"), "nothing overwritten");

    let again = app
        .send("POST", "/board/identity", &cookie, Some(&fields("Commission du second onglet", &current)))
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let page = app.send("GET", "/board/identity", &cookie, None).await;
    assert!(page.body.contains("Commission du second onglet"), "{}", page.body);
}

#[tokio::test]
async fn the_board_writes_its_identity_with_problems_shown_on_the_form() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let sessions = app.send("GET", "/board", &cookie, None).await;
    assert!(sessions.body.contains(r#"id="identity-link""#), "linked from the board's home");

    for (lang, heading, holiday) in [
        ("fr", "Identité de l&#x27;organe d&#x27;examen", "Lundi de Pentecôte"),
        ("de", "Identität des Prüfungsträgers", "Pfingstmontag"),
    ] {
        let page = app.send("GET", &format!("/board/identity?lang={lang}"), &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(heading) && page.body.contains(holiday), "{lang}: {}", page.body);
        assert!(!page.body.contains('⟦'), "{lang}: missing key");
        assert!(page.body.contains(r#"id="holiday-whit_monday" name="holiday" value="whit_monday" checked"#));
        assert!(page.body.contains(r#"id="no-logo""#));
    }

    // An empty name and an unknown canton: both said, by field, nothing saved.
    let bad =
        form(&[("csrf", &csrf), ("name", " "), ("canton", "XY"), ("postal_days", "2"), ("seat", "Berne")]);
    let answer = app.send("POST", "/board/identity", &cookie, Some(&bad)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert!(
        answer.body.contains("Nom de l&#x27;organe d&#x27;examen : Ce champ est obligatoire."),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("Canton : « XY » n&#x27;est pas un canton"), "{}", answer.body);
    assert!(answer.body.contains(r#"value="Berne""#), "what was typed stays");
    // A signatory without a function.
    let bad =
        form(&[("csrf", &csrf), ("name", "Commission"), ("signatory_name_2", "Beat"), ("postal_days", "2")]);
    let answer = app.send("POST", "/board/identity", &cookie, Some(&bad)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("Fonction 1 : Ce champ est obligatoire."), "{}", answer.body);

    let good = form(&[
        ("csrf", &csrf),
        ("name", "Commission d'examen Arbeitsagogik"),
        ("address", "Case postale 12\r\n3000 Berne 1\r\n"),
        ("seat", "Berne"),
        ("signatory_name_1", "Anne Muster"),
        ("signatory_function_1", "Présidente"),
        ("canton", "BE"),
        ("holiday", "new_year"),
        ("holiday", "berchtold"),
        ("holiday", "ascension"),
        ("postal_days", "3"),
        ("remedy_de", "Beschwerde beim SBFI innert 30 Tagen."),
    ]);
    let answer = app.send("POST", "/board/identity", &cookie, Some(&good)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = app.send("GET", &answer.location, &cookie, None).await;
    assert!(page.body.contains("Identité enregistrée."), "{}", page.body);
    assert!(page.body.contains("Case postale 12\n3000 Berne 1</textarea>"), "{}", page.body);
    assert!(
        page.body.contains(r#"value="berchtold" checked"#)
            && !page.body.contains(r#"value="whit_monday" checked"#)
    );
    assert!(page.body.contains(r#" selected>BE</option>"#), "{}", page.body);
    assert!(page.body.contains("Beschwerde beim SBFI innert 30 Tagen.</textarea>"));
    assert!(page.body.contains("Modifiée en dernier par commission"));
}

/// "Propose the canton's holidays" without the page's script: the form
/// comes back with the canton's days ticked and what was typed kept,
/// nothing saved; without a canton it says to choose one.
#[tokio::test]
async fn the_cantons_holidays_are_proposed_on_the_form_unsaved() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let page = app.send("GET", "/board/identity", &cookie, None).await;
    assert!(
        page.body.contains(r#"<option value="GE" data-holidays="new_year good_friday easter_monday ascension whit_monday national_day jeune_genevois christmas restoration">"#),
        "{}",
        page.body
    );
    for (lang, canton, ticked, unticked, says) in [
        ("fr", "GE", "jeune_genevois", "st_stephen", "Jours fériés proposés pour le canton GE"),
        ("de", "TI", "peter_and_paul", "good_friday", "Vorgeschlagene Feiertage für den Kanton TI"),
    ] {
        let posted = form(&[
            ("csrf", &csrf),
            ("name", "Commission typée"),
            ("canton", canton),
            ("holiday", "good_friday"),
            ("holiday", "st_stephen"),
            ("postal_days", "2"),
            ("action", "propose_holidays"),
        ]);
        let answer = app.send("POST", &format!("/board/identity?lang={lang}"), &cookie, Some(&posted)).await;
        assert_eq!(answer.status, StatusCode::OK, "{lang}: {}", answer.body);
        assert!(answer.body.contains(says), "{lang}: {}", answer.body);
        assert!(answer.body.contains(&format!(r#"value="{ticked}" checked"#)), "{lang}");
        assert!(!answer.body.contains(&format!(r#"value="{unticked}" checked"#)), "{lang}");
        assert!(answer.body.contains(r#"value="Commission typée""#), "{lang}: what was typed stays");
    }
    let posted =
        form(&[("csrf", &csrf), ("name", "x"), ("postal_days", "2"), ("action", "propose_holidays")]);
    let answer = app.send("POST", "/board/identity", &cookie, Some(&posted)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("Choisissez d&#x27;abord un canton."), "{}", answer.body);
    let page = app.send("GET", "/board/identity", &cookie, None).await;
    assert!(!page.body.contains("Commission typée"), "nothing saved");
}

#[tokio::test]
async fn the_logo_is_uploaded_typed_by_its_content_and_removed() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let (kind, body) = multipart(&csrf, "logo.png", b"not an image at all");
    let refused = app.send_bytes("/board/identity/logo", &cookie, &kind, body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("pas une image PNG, JPEG ou SVG"), "{}", refused.body);
    let (kind, body) = multipart(&csrf, "logo.png", b"");
    let empty = app.send_bytes("/board/identity/logo", &cookie, &kind, body).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Choisissez un fichier image."), "{}", empty.body);

    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#1b4f72"/></svg>"##;
    let (kind, body) = multipart(&csrf, "logo.svg", svg);
    let stored = app.send_bytes("/board/identity/logo", &cookie, &kind, body).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let page = app.send("GET", &stored.location, &cookie, None).await;
    assert!(
        page.body.contains("Logo enregistré.") && page.body.contains(r#"id="identity-logo""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("image/svg+xml"));
    let removed =
        app.send("POST", "/board/identity/logo/delete", &cookie, Some(&format!("csrf={csrf}"))).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let page = app.send("GET", &removed.location, &cookie, None).await;
    assert!(page.body.contains("Logo retiré.") && page.body.contains(r#"id="no-logo""#));
}

#[tokio::test]
async fn the_official_documents_of_a_session_once_its_results_are_final() {
    let app = support::app_with_board();
    let (cookie, csrf) = login(&app, "commission", BOARD_PASSWORD).await;
    let identity = form(&[
        ("csrf", &csrf),
        ("name", "Commission d'examen AA"),
        ("seat", "Olten"),
        ("signatory_name_1", "Anne Muster"),
        ("signatory_function_1", "Présidente"),
        ("holiday", "ascension"),
        ("postal_days", "2"),
    ]);
    assert_eq!(
        app.send("POST", "/board/identity", &cookie, Some(&identity)).await.status,
        StatusCode::SEE_OTHER
    );

    // Before the grading meeting: the particulars, no documents.
    let page = app.send("GET", "/board/sessions/1/official", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"id="documents-not-final""#) && page.body.contains(r#"id="nav-official""#));
    let letters = app.send("GET", "/board/sessions/1/decisions", &cookie, None).await;
    assert_eq!(letters.status, StatusCode::CONFLICT, "{}", letters.body);

    let bad =
        form(&[("csrf", &csrf), ("date_1", "31.02.2027"), ("place_1", "Olten"), ("notified_on", "bientôt")]);
    let answer = app.send("POST", "/board/sessions/1/official", &cookie, Some(&bad)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert!(answer.body.contains("Date 1 : « 31.02.2027 » : ce jour n&#x27;existe pas."), "{}", answer.body);
    assert!(answer.body.contains("Date de notification des décisions : « bientôt »"), "{}", answer.body);
    assert!(answer.body.contains(r#"value="31.02.2027""#), "what was typed stays");
    let good = form(&[
        ("csrf", &csrf),
        ("date_1", "2027-05-03"),
        ("place_1", "Olten"),
        ("date_2", "04.05.2027"),
        ("place_2", "Berne"),
    ]);
    let answer = app.send("POST", "/board/sessions/1/official", &cookie, Some(&good)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = app.send("GET", &answer.location, &cookie, None).await;
    assert!(page.body.contains("Dates, lieux et notification enregistrés."), "{}", page.body);
    assert!(page.body.contains(r#"value="03.05.2027""#) && page.body.contains(r#"value="Berne""#));

    // The grading meeting (2026-006 and 2026-007 withdrew, excused).
    let status = format!("status=withdrawn_excused&csrf={csrf}");
    for number in ["2026-006", "2026-007"] {
        let uri = format!("/board/sessions/1/candidates/{number}/status");
        let answer = app.send("POST", &uri, &cookie, Some(&status)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    }
    let answer = app
        .send("POST", "/board/sessions/1/finalise", &cookie, Some(&format!("confirm=yes&csrf={csrf}")))
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);

    let page = app.send("GET", "/board/sessions/1/official", &cookie, None).await;
    assert!(page.body.contains(r#"id="official-candidates""#), "{}", page.body);
    assert!(
        page.body.contains(r#"id="list-csv-de""#)
            && page.body.contains(r#"id="list-xlsx-it""#)
            && page.body.contains(r#"id="letter-link-2026-003""#)
    );
    assert!(page.body.contains("Date de notification inconnue"), "not published, nothing entered");

    // Letters for a notification day asked for: 1 July 2027, summer
    // stand-still, last day Wednesday 1 September 2027.
    let all = app.send("GET", "/board/sessions/1/decisions?notified=01.07.2027", &cookie, None).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let count = all.body.matches(r#"<article class="sheet letter""#).count();
    assert_eq!(count, page.body.matches(r#"id="letter-link-"#).count(), "one letter per candidate");
    assert!(count >= 5);
    assert_eq!(all.body.matches("échoit le mercredi 01.09.2027").count(), count, "{}", all.body);
    assert!(
        all.body.contains("du 15 juillet au 15 août") && all.body.contains("Commission d&#x27;examen AA")
    );
    assert!(all.body.contains("03.05.2027, Olten; 04.05.2027, Berne"), "{}", all.body);
    let german = app
        .send("GET", "/board/sessions/1/decisions/2026-003?lang=de&notified=2027-07-01", &cookie, None)
        .await;
    assert_eq!(german.status, StatusCode::OK, "{}", german.body);
    for needle in [
        "Verfügung",
        "Sie haben die Prüfung nicht bestanden.",
        "Begründung",
        "Rechtsmittelbelehrung",
        "SBFI",
        "endet am Mittwoch, 01.09.2027",
    ] {
        assert!(german.body.contains(needle), "{needle}: {}", german.body);
    }
    assert!(!german.body.contains('⟦'));
    // The subject names the exam by the session's title: in the letter's
    // language where the session has it, else in French marked so.
    let subject = |body: &str| {
        let start = body.find(r#"<p class="letter-subject">"#).expect("a subject line");
        let end = body[start..].find("</p>").expect("its end") + start;
        body[start..end].to_owned()
    };
    let french =
        app.send("GET", "/board/sessions/1/decisions/2026-003?notified=2027-07-01", &cookie, None).await;
    let italian = app
        .send("GET", "/board/sessions/1/decisions/2026-003?lang=it&notified=2027-07-01", &cookie, None)
        .await;
    // The demo session's title is written in French only.
    assert!(
        subject(&french.body).ends_with("Examen professionnel fédéral — Demo 2026"),
        "{}",
        subject(&french.body)
    );
    for (letter, exam) in
        [(&german, "Eidgenössische Berufsprüfung"), (&italian, "Esame professionale federale")]
    {
        let line = subject(&letter.body);
        assert!(line.ends_with(&format!(r#"{exam} — <span lang="fr">Demo 2026</span>"#)), "{line}");
    }
    let unknown = app.send("GET", "/board/sessions/1/decisions/2099-001", &cookie, None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad_day = app.send("GET", "/board/sessions/1/decisions?notified=32.13.2027", &cookie, None).await;
    assert_eq!(bad_day.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad_day.body);

    // The page's links lead to the documents.
    let sheets = app.send("GET", "/board/sessions/1/results/grade-sheets", &cookie, None).await;
    assert!(
        page.body.contains(r#"href="/board/sessions/1/results/grade-sheets" id="all-sheets""#),
        "{}",
        page.body
    );
    assert_eq!(sheets.body.matches(r#"<header class="letterhead">"#).count(), count, "{}", sheets.body);

    // The board's grade sheet is now an official document.
    let sheet = app.send("GET", "/board/sessions/1/candidates/2026-003?lang=de", &cookie, None).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(
        sheet.body.contains(r#"class="letterhead""#) && sheet.body.contains("Anne Muster"),
        "{}",
        sheet.body
    );
    assert!(sheet.body.contains("Entscheid: <strong>nicht bestanden</strong>"), "{}", sheet.body);
    // The demo's public sheet stays plain.
    let demo = app.send("GET", "/demo/candidates/2026-003", "", None).await;
    assert!(!demo.body.contains(r#"class="letterhead""#));
}
