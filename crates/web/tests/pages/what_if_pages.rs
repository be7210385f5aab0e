//! The what-if page (issue 13), without a browser: reached from the
//! quality page, filled with the session's own settings, a changed pass
//! rule lists the candidates it would flip with their explanation, in
//! French, German and Italian; a number the form cannot read and a value
//! the API refuses come back on the form, the field marked; nothing is
//! stored.

use axum::http::StatusCode;
use grille_report::what_if::form_values;

use crate::support::{self, App, BOARD_PASSWORD, PASSWORD};

/// A form field's value, percent-encoded.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The form as the page fills it (the session's own settings), with
/// `changes` applied, and the CSRF token.
async fn form(app: &App, cookie: &str, csrf: &str, changes: &[(&str, &str)]) -> String {
    let pinned = app.send("GET", "/api/sessions/1/what-if", cookie, None).await;
    assert_eq!(pinned.status, StatusCode::OK, "{}", pinned.body);
    let view: grille_server::WhatIfView = serde_json::from_str(&pinned.body).unwrap();
    let mut values = form_values(&view.pinned);
    for (name, value) in changes {
        values.insert((*name).to_owned(), (*value).to_owned());
    }
    let mut body: Vec<String> = values.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    body.push(format!("csrf={}", encode(csrf)));
    body.join("&")
}

#[tokio::test]
async fn a_changed_pass_rule_lists_the_candidates_it_would_flip_in_each_language() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("login");
    let quality = app.send("GET", "/board/sessions/1/quality", &cookie, None).await;
    assert!(quality.body.contains(r#"id="what-if-link""#), "{}", quality.body);
    let results_before = app.send("GET", "/api/sessions/1/results", &cookie, None).await.body;

    // (language, the page's heading, a word of the nothing-saved notice)
    for (query, heading, saved) in [
        ("", "Simulation « et si »", "Rien n&#x27;est enregistré"),
        ("?lang=de", "Was-wäre-wenn", "Nichts wird gespeichert"),
        ("?lang=it", "Simulazione «e se»", "Nulla viene salvato"),
    ] {
        let page = app.send("GET", &format!("/board/sessions/1/what-if{query}"), &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
        assert!(page.body.contains(heading) && page.body.contains(saved), "{query}: {}", page.body);
        assert!(!page.body.contains('⟦'), "{query}: a key is missing: {}", page.body);
        assert!(page.body.contains(r#"name="pass_rule&#x2f;max_insufficient_parts""#), "{query}");
        assert!(page.body.contains(r#"name="parts&#x2f;0&#x2f;reconciliation""#), "{query}");
        assert!(!page.body.contains(r#"id="what-if-changes""#), "{query}: nothing simulated yet");
    }

    // Two insufficient parts allowed: 2026-003 (two parts at 3.5) passes.
    let body = form(&app, &cookie, &csrf, &[("pass_rule/max_insufficient_parts", "2")]).await;
    let passed = [
        ("fr", "toutes les conditions de réussite sont remplies"),
        ("de", "alle Bestehensbedingungen sind erfüllt"),
        ("it", "tutte le condizioni di superamento sono adempiute"),
    ];
    for (lang, sentence) in passed {
        let cookie = format!("{cookie}; lang={lang}");
        let page = app.send("POST", "/board/sessions/1/what-if", &cookie, Some(&body)).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
        assert!(!page.body.contains('⟦'), "{lang}: a key is missing");
        assert!(page.body.contains(r#"id="change-2026-003""#), "{lang}: {}", page.body);
        assert!(page.body.contains(r#"<dd id="count-gained">1</dd>"#), "{lang}: {}", page.body);
        assert!(page.body.contains(r#"<dd id="count-lost">0</dd>"#), "{lang}");
        // The explanation: the simulated decision and its conditions, and
        // the way to the real result.
        // The engine's decision in the reader's language, no French left.
        assert!(page.body.contains(sentence), "{lang}: {}", page.body);
        assert!(page.body.contains(r#"class="conditions""#), "{lang}");
        assert!(page.body.contains("candidates&#x2f;2026-003"), "{lang}: {}", page.body);
        assert!(page.body.contains(r#"id="what-if-edits""#), "{lang}");
    }
    // The form keeps the value tried.
    let page = app.send("POST", "/board/sessions/1/what-if", &cookie, Some(&body)).await;
    assert!(page.body.contains(r#"name="pass_rule&#x2f;max_insufficient_parts" value="2""#), "{}", page.body);
    // The session's own settings: nothing changes.
    let own = form(&app, &cookie, &csrf, &[]).await;
    let page = app.send("POST", "/board/sessions/1/what-if", &cookie, Some(&own)).await;
    assert!(page.body.contains(r#"id="what-if-unchanged""#) && page.body.contains(r#"id="what-if-none""#));

    // Nothing was stored.
    assert_eq!(app.send("GET", "/api/sessions/1/results", &cookie, None).await.body, results_before);
}

/// The hidden fields of the page's download form, unescaped.
fn download_fields(page: &str) -> Vec<(String, String)> {
    let form = page.split(r#"id="what-if-download""#).nth(1).expect("a download form");
    let form = form.split("</form>").next().unwrap();
    let unescape = |text: &str| {
        text.replace("&#x2f;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    form.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .map(|input| {
            let (name, rest) = input.split_once('"').unwrap();
            let value = rest.split(r#"value=""#).nth(1).unwrap().split('"').next().unwrap();
            (unescape(name), unescape(value))
        })
        .collect()
}

/// After a simulation, the page offers its comparison as a CSV file: the
/// same settings, exactly the candidates shown, in the reader's language.
#[tokio::test]
async fn the_simulation_downloads_as_csv_with_the_candidates_shown() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("login");
    // Two insufficient parts and no part floor: several candidates change.
    let changes = [("pass_rule/max_insufficient_parts", "2"), ("pass_rule/min_part_grade", "")];
    let body = form(&app, &cookie, &csrf, &changes).await;
    for (lang, header, gained) in [
        ("fr", "\u{feff}Numéro;Résultat réel;Résultat simulé;", "réussite gagnée"),
        ("de", "\u{feff}Nummer;Tatsächliches Ergebnis;Simuliertes Ergebnis;", "neu bestanden"),
        ("it", "\u{feff}Numero;Esito reale;Esito simulato;", "superamento guadagnato"),
    ] {
        let cookie = format!("{cookie}; lang={lang}");
        let page = app.send("POST", "/board/sessions/1/what-if", &cookie, Some(&body)).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
        assert!(page.body.contains(r#"id="what-if-csv""#) && !page.body.contains('⟦'), "{lang}");
        let shown: Vec<&str> =
            page.body.split(r#"<tr id="change-"#).skip(1).map(|row| row.split('"').next().unwrap()).collect();
        assert!(!shown.is_empty(), "{lang}: {}", page.body);
        let fields = download_fields(&page.body);
        assert!(
            fields.iter().any(|(name, value)| name == "pass_rule/max_insufficient_parts" && value == "2")
        );
        assert!(fields.iter().any(|(name, value)| name == "csrf" && value == &csrf));
        let sent: Vec<String> = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        let file = app.send("POST", "/board/sessions/1/what-if/csv", &cookie, Some(&sent.join("&"))).await;
        assert_eq!(file.status, StatusCode::OK, "{lang}: {}", file.body);
        assert!(file.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let disposition = file.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;") && disposition.contains(".csv"), "{disposition}");
        let mut lines = file.body.lines();
        assert!(lines.next().unwrap().starts_with(header), "{lang}: {}", file.body);
        let numbers: Vec<&str> = lines.map(|line| line.split(';').next().unwrap()).collect();
        assert_eq!(numbers, shown, "{lang}: {}", file.body);
        assert!(file.body.contains(gained), "{lang}: {}", file.body);
    }
    // A value the API refuses comes back on the form rather than a file;
    // a form of another login session is refused.
    let bad = form(&app, &cookie, &csrf, &[("parts/0/weight", "0")]).await;
    let page = app.send("POST", "/board/sessions/1/what-if/csv", &cookie, Some(&bad)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains(r#"id="what-if-problems""#));
    let stale = form(&app, &cookie, "another-token", &[]).await;
    let page = app.send("POST", "/board/sessions/1/what-if/csv", &cookie, Some(&stale)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // A trainer reaches no download of an official session.
    let (trainer, trainer_csrf) = app.login("formatrice-demo", PASSWORD).await.expect("login");
    let own = form(&app, &cookie, &trainer_csrf, &[]).await;
    let page = app.send("POST", "/trainer/sessions/1/what-if/csv", &trainer, Some(&own)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", page.body);
}

/// A trainer's what-if page of a mock exam of their school downloads its
/// comparison too, under the trainer's pages.
#[tokio::test]
async fn a_trainer_downloads_the_simulation_of_their_mock_exam() {
    let app = support::app();
    let id = crate::loops::published_mock(&app).await;
    let (cookie, csrf) = app.login("formatrice-demo", PASSWORD).await.expect("login");
    let pinned = app.send("GET", &format!("/api/sessions/{id}/what-if"), &cookie, None).await;
    assert_eq!(pinned.status, StatusCode::OK, "{}", pinned.body);
    let view: grille_server::WhatIfView = serde_json::from_str(&pinned.body).unwrap();
    let mut values = form_values(&view.pinned);
    // A pass mark out of reach: the mock exam's candidate fails.
    values.insert("pass_rule/min_overall".to_owned(), "6".to_owned());
    let mut body: Vec<String> = values.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    body.push(format!("csrf={}", encode(&csrf)));
    let body = body.join("&");
    let cookie = format!("{cookie}; lang=de");
    let page = app.send("POST", &format!("/trainer/sessions/{id}/what-if"), &cookie, Some(&body)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"id="change-ECOLE-01""#), "{}", page.body);
    let action =
        format!(r#"action="{}""#, format!("/trainer/sessions/{id}/what-if/csv").replace('/', "&#x2f;"));
    assert!(page.body.contains(&action), "{}", page.body);
    let fields = download_fields(&page.body);
    let sent: Vec<String> = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    let file = app
        .send("POST", &format!("/trainer/sessions/{id}/what-if/csv"), &cookie, Some(&sent.join("&")))
        .await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let disposition = file.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("examen-blanc-{id}-simulation.csv")), "{disposition}");
    let lines: Vec<&str> = file.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", file.body);
    assert!(lines[1].starts_with("ECOLE-01;bestanden;nicht bestanden;"), "{}", file.body);
    assert!(lines[1].contains(";nicht mehr bestanden;"), "{}", file.body);
}

/// (field, value typed, the field marked, a word of the problem): a number
/// the form cannot read (said by the page) and values the API refuses
/// (said by the API, the field named by its pointer).
/// Fields changed, the id of the field marked, a word of the problem.
type Case = (&'static [(&'static str, &'static str)], &'static str, &'static str);

#[tokio::test]
async fn bad_values_come_back_on_the_form_with_the_field_marked() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("login");
    let cases: [Case; 4] = [
        (&[("pass_rule/min_overall", "quatre")], "field-pass_rule-min_overall", "n&#x27;est pas un nombre"),
        (&[("parts/0/weight", "0")], "field-parts-0-weight", "poids"),
        (&[("scale/pass_mark", "9")], "field-scale-pass_mark", "note suffisante"),
        (
            &[("conversion/kind", "two_piece"), ("conversion/pass_fraction", "1.5")],
            "field-conversion-pass_fraction",
            "strictement entre 0 et 1",
        ),
    ];
    for (changes, id, words) in cases {
        let body = form(&app, &cookie, &csrf, changes).await;
        let page = app.send("POST", "/board/sessions/1/what-if", &cookie, Some(&body)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{changes:?}: {}", page.body);
        assert!(page.body.contains(r#"id="what-if-problems""#), "{changes:?}");
        assert!(page.body.contains(words), "{changes:?}: {}", page.body);
        let field = page.body.split(&format!(r#"id="{id}""#)).nth(1).expect(id);
        assert!(field.split('>').next().unwrap().contains(r#"aria-invalid="true""#), "{changes:?}: {field}");
        assert!(!page.body.contains(r#"id="what-if-changes""#), "{changes:?}: no simulation shown");
    }
}

/// Examiners and trainers do not reach the board's what-if page; a
/// trainer's page of an official session does not exist.
#[tokio::test]
async fn the_board_alone_simulates_an_official_session() {
    let app = support::app_with_board();
    let (trainer, _) = app.login("formatrice-demo", PASSWORD).await.expect("login");
    let answer = app.send("GET", "/trainer/sessions/1/what-if", &trainer, None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
    let answer = app.send("GET", "/board/sessions/1/what-if", &trainer, None).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

/// An examiner's history: reached from the examiner's name on the quality
/// page, the sentence, the chart and the table in each language, the CSV.
#[tokio::test]
async fn the_board_follows_an_examiner_from_the_quality_page_to_their_history() {
    let app = support::app_with_board();
    let (cookie, _) = app.login("commission", BOARD_PASSWORD).await.expect("login");
    let quality = app.send("GET", "/board/sessions/1/quality", &cookie, None).await;
    assert!(quality.body.contains(r#"href="/board/examiners/exp-05/history""#), "{}", quality.body);
    for (query, words) in
        [("", "note en moyenne"), ("?lang=de", "bewertet exp-05 im Mittel"), ("?lang=it", "valuta in media")]
    {
        let page = app.send("GET", &format!("/board/examiners/exp-05/history{query}"), &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
        assert!(!page.body.contains('⟦'), "{query}: a key is missing: {}", page.body);
        assert!(page.body.contains(words), "{query}: {}", page.body);
        for id in ["history-summary", "history-chart", "history-table", "history-csv"] {
            assert!(page.body.contains(&format!(r#"id="{id}""#)), "{query}: no {id}");
        }
        assert!(page.body.contains(r#"role="img""#));
    }
    // The joint estimate over the sessions chosen with the checkboxes.
    let page = app.send("GET", "/board/examiners/exp-05/history", &cookie, None).await;
    assert!(page.body.contains(r#"id="joint-heading""#), "{}", page.body);
    let chosen: Vec<&str> = page
        .body
        .split(r#"<input type="checkbox" name="sessions" value=""#)
        .skip(1)
        .map(|input| input.split('"').next().unwrap())
        .collect();
    assert!(!chosen.is_empty(), "{}", page.body);
    let query: Vec<String> = chosen.iter().map(|id| format!("sessions={id}")).collect();
    let page =
        app.send("GET", &format!("/board/examiners/exp-05/history?{}", query.join("&")), &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!page.body.contains('⟦'), "a key is missing: {}", page.body);
    assert!(page.body.contains(r#"id="joint-sentence""#) && page.body.contains(r#"id="joint-table""#));
    assert!(page.body.contains(r#"id="joint-subject""#) && page.body.contains(r#"id="joint-csv""#));
    for id in &chosen {
        assert!(page.body.contains(&format!(r#"value="{id}" id="joint-session-{id}" checked"#)), "{id}");
    }
    // A session the examiner did not score in is refused, said on a page;
    // what is no number never reaches the API.
    let refused = app.send("GET", "/board/examiners/exp-05/history?sessions=999", &cookie, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let ignored = app.send("GET", "/board/examiners/exp-05/history?sessions=x%27", &cookie, None).await;
    assert_eq!(ignored.status, StatusCode::OK);
    let csv = app.send("GET", "/api/examiners/exp-05/history/csv?table=joint", &cookie, None).await;
    assert!(csv.body.starts_with("\u{feff}expert_e;suivi_e;"), "{}", csv.body);

    let csv = app.send("GET", "/api/examiners/exp-05/history/csv", &cookie, None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("\u{feff}session;"), "{}", csv.body);
    // A name that is no login name, and an unknown one.
    for uri in ["/board/examiners/a%20b/history", "/board/examiners/personne/history"] {
        let page = app.send("GET", uri, &cookie, None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
    }
}
