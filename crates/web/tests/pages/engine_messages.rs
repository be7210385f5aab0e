//! The engine speaks in codes, the pages in the reader's language: the
//! demo session read in German (results, grade sheets, candidate files
//! and sheets, minutes, then the board's decision letters, official grade
//! sheets and results CSV after the grading meeting) shows the decisions,
//! conditions, flags, grade sources and pending reasons in German, with
//! no sentence of the engine's French renderer left and no `lang="fr"`
//! on them.

use axum::http::StatusCode;
use grille_report::i18n::{self, Language};

use crate::support::{self, BOARD_PASSWORD};

/// The literal pieces of every French engine text (the catalogue's
/// `engine.*`, which a test of the report crate holds equal to the
/// engine's French renderer), long enough to be that text and no other
/// French word on a page, raw and as the templates escape them.
fn french_engine_pieces() -> Vec<String> {
    let mut pieces = Vec::new();
    for key in i18n::keys(Language::Fr).filter(|key| key.starts_with("engine.")) {
        literal_pieces(i18n::lookup(Language::Fr, key).unwrap_or_default(), &mut pieces);
    }
    pieces.sort();
    pieces.dedup();
    pieces
}

/// The literal pieces of a catalogue text between its `{name}`
/// placeholders, 16 characters or more (long enough to be that text and
/// no other), raw and as the templates escape them, added to `pieces`.
fn literal_pieces(text: &str, pieces: &mut Vec<String>) {
    let mut rest = text;
    let mut parts = Vec::new();
    while let Some(open) = rest.find('{') {
        parts.push(&rest[..open]);
        rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
    }
    parts.push(rest);
    for part in parts {
        let part = part.trim();
        if part.chars().count() >= 16 {
            pieces.push(part.to_owned());
            pieces.push(escape(part));
        }
    }
}

/// The French sentences a German page must not show: the literal pieces
/// of every French text of the catalogue (the interface, the engine's
/// explanations, the API's problems) that is not the same in German.
pub(crate) fn french_catalogue_pieces() -> Vec<String> {
    let mut pieces = Vec::new();
    for key in i18n::keys(Language::Fr) {
        let text = i18n::lookup(Language::Fr, key).unwrap_or_default();
        if i18n::lookup(Language::De, key) != Some(text) {
            literal_pieces(text, &mut pieces);
        }
    }
    pieces.sort();
    pieces.dedup();
    pieces
}

/// `page` without the elements marked French (`lang="fr"`, their content
/// included): what a German page says in its own language.
pub(crate) fn outside_french_marks(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(mark) = rest.find(r#" lang="fr""#) {
        // The start tag that carries the mark, and its name.
        let Some(open) = rest[..mark].rfind('<') else { break };
        let name: String =
            rest[open + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        out.push_str(&rest[..open]);
        let after_tag = rest[mark..].find('>').map_or(rest.len(), |end| mark + end + 1);
        // Its end tag, counting the elements of the same name opened inside.
        let (start, end) = (format!("<{name}"), format!("</{name}>"));
        let mut depth = 1;
        let mut at = after_tag;
        while depth > 0 {
            let next_end = rest[at..].find(&end).map(|found| at + found);
            let next_start = rest[at..]
                .match_indices(&start)
                .map(|(found, _)| at + found)
                .find(|&found| rest[found + start.len()..].starts_with([' ', '>']));
            match (next_start, next_end) {
                (Some(opened), Some(closed)) if opened < closed => {
                    depth += 1;
                    at = opened + start.len();
                }
                (_, Some(closed)) => {
                    depth -= 1;
                    at = closed + end.len();
                }
                // No end tag (an element that has none): the tag alone.
                (_, None) => {
                    at = after_tag;
                    break;
                }
            }
        }
        rest = &rest[at..];
    }
    out.push_str(rest);
    out
}

/// Fails naming every French sentence of `pieces` that `page` shows
/// outside the elements marked French, or a missing key.
pub(crate) fn assert_no_french_outside_marks(uri: &str, page: &str, pieces: &[String]) {
    let outside = outside_french_marks(page);
    let left: Vec<&String> = pieces.iter().filter(|piece| outside.contains(piece.as_str())).collect();
    assert!(left.is_empty(), "{uri} shows French outside lang=\"fr\": {left:?}");
    assert!(!page.contains('⟦'), "{uri}: a key is missing");
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// Fails naming every French engine piece `page` still shows.
fn assert_no_french_engine_text(uri: &str, page: &str, pieces: &[String]) {
    let left: Vec<&String> = pieces.iter().filter(|piece| page.contains(piece.as_str())).collect();
    assert!(left.is_empty(), "{uri} still shows French engine text {left:?}");
    assert!(!page.contains('⟦'), "{uri}: a key is missing");
}

/// The elements marked French on `page`, each with what follows the mark.
fn french_marks(page: &str) -> Vec<String> {
    page.match_indices(r#"lang="fr""#)
        .map(|(at, _)| page[at..].chars().take(120).collect::<String>())
        .collect()
}

const CANDIDATES: [&str; 5] = ["2026-001", "2026-002", "2026-003", "2026-004", "2026-005"];

#[tokio::test]
async fn the_demo_session_reads_in_german_without_a_french_engine_sentence() {
    let app = support::app();
    let pieces = french_engine_pieces();
    assert!(pieces.len() > 60, "too few pieces: {}", pieces.len());
    let mut uris = vec![
        "/demo/session?lang=de".to_owned(),
        "/demo/session/grade-sheets?lang=de".to_owned(),
        "/demo/session/minutes?lang=de".to_owned(),
    ];
    for number in CANDIDATES {
        uris.push(format!("/demo/candidates/{number}?lang=de"));
        uris.push(format!("/demo/candidates/{number}/file?lang=de"));
    }
    let mut seen = String::new();
    for uri in &uris {
        let page = app.send("GET", uri, "", None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert_no_french_engine_text(uri, &page.body, &pieces);
        // What stays marked French is catalogue and document text not yet
        // translated, never an engine sentence (checked above); the
        // decision itself is never marked.
        for mark in french_marks(&page.body) {
            assert!(!mark.contains("Prüfung"), "{uri}: a German text marked French: {mark}");
        }
        seen.push_str(&page.body);
    }
    // The German sentences are there instead: decisions, conditions, flags,
    // the joint evaluation that settled a discrepancy.
    for german in [
        "Prüfung bestanden: Gesamtnote",
        "Prüfung nicht bestanden (Gesamtnote",
        "nicht erfüllte Bedingung(en):",
        "gemeinsame Bewertung der Expertinnen und Experten",
        "Prüfungsteilnote(n) unter 4.0",
    ] {
        assert!(seen.contains(german), "no {german:?} in the German pages");
    }
    // The same pages in French still say what the engine said.
    let french = app.send("GET", "/demo/candidates/2026-003/file", "", None).await;
    assert!(french.body.contains("examen échoué (note globale"), "{}", french.body);
    // The check bites: the French page is full of the pieces looked for.
    assert!(pieces.iter().filter(|piece| french.body.contains(piece.as_str())).count() >= 3);
    for mark in french_marks(&seen) {
        println!("marked French: {mark}");
    }
}

#[tokio::test]
async fn decision_letters_official_sheets_and_the_csv_follow_the_reader_after_the_grading_meeting() {
    let app = support::app_with_board();
    let pieces = french_engine_pieces();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.unwrap();
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

    let mut uris = vec![
        "/board/sessions/1/decisions?lang=de&notified=01.07.2027".to_owned(),
        "/board/sessions/1/results/grade-sheets?lang=de".to_owned(),
        "/board/sessions/1/results?lang=de".to_owned(),
    ];
    for number in CANDIDATES {
        uris.push(format!("/board/sessions/1/candidates/{number}?lang=de"));
    }
    for uri in &uris {
        let page = app.send("GET", uri, &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert_no_french_engine_text(uri, &page.body, &pieces);
    }
    let letter = app
        .send("GET", "/board/sessions/1/decisions/2026-003?lang=de&notified=01.07.2027", &cookie, None)
        .await;
    assert!(letter.body.contains("Prüfungsteilnote(n) unter"), "{}", letter.body);

    let csv = app.send("GET", "/api/sessions/1/results/csv?lang=de", &cookie, None).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_no_french_engine_text("results CSV", &csv.body, &pieces);
    assert!(csv.body.contains("Prüfung bestanden: Gesamtnote"), "{}", csv.body);
    let french = app.send("GET", "/api/sessions/1/results/csv?lang=fr", &cookie, None).await;
    assert!(french.body.contains("examen réussi : note globale"), "{}", french.body);
}

#[tokio::test]
async fn a_candidates_own_pages_follow_their_exam_language_unless_they_chose_another() {
    let app = support::app_with_board();
    let (board, csrf) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    let master = format!("csrf={csrf}&family_name=Muster&given_name=Anne&exam_language=de");
    let uri = "/board/sessions/1/candidates/2026-001/register/master-data";
    assert_eq!(app.send("POST", uri, &board, Some(&master)).await.status, StatusCode::SEE_OTHER);
    let status = format!("status=withdrawn_excused&csrf={csrf}");
    for number in ["2026-006", "2026-007"] {
        let uri = format!("/board/sessions/1/candidates/{number}/status");
        assert_eq!(app.send("POST", &uri, &board, Some(&status)).await.status, StatusCode::SEE_OTHER);
    }
    let confirm = format!("confirm=yes&csrf={csrf}");
    for step in ["finalise", "publish"] {
        let answer = app.send("POST", &format!("/board/sessions/1/{step}"), &board, Some(&confirm)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{step}: {}", answer.body);
    }

    let (candidate, _) = app.login("candidat-demo", support::PASSWORD).await.unwrap();
    // No choice made: the exam language, German, engine texts included.
    let home = app.send("GET", "/candidate", &candidate, None).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains(r#"<html lang="de""#), "{}", home.body);
    assert!(home.body.contains("Prüfung bestanden: Gesamtnote"), "{}", home.body);
    assert_no_french_engine_text("/candidate", &home.body, &french_engine_pieces());
    // Chosen in the query, or earlier with the switch (its cookie): French.
    let chosen = app.send("GET", "/candidate?lang=fr", &candidate, None).await;
    assert!(chosen.body.contains(r#"<html lang="fr""#), "{}", chosen.body);
    assert!(chosen.body.contains("examen réussi : note globale"), "{}", chosen.body);
    let remembered = app.send("GET", "/candidate", &format!("{candidate}; lang=fr"), None).await;
    assert!(remembered.body.contains(r#"<html lang="fr""#), "{}", remembered.body);
    // The board's own pages keep the board's language.
    let board_page = app.send("GET", "/board/sessions/1/candidates/2026-003", &board, None).await;
    assert!(board_page.body.contains(r#"<html lang="fr""#), "{}", board_page.body);
}

/// The literal pieces of every French text the API says by a code (its
/// own checks `problem.*`, the generic problems `request.*`, the
/// workflow's refusals `denial.*`, the conflicts `conflict.*`), as
/// [`french_engine_pieces`] takes the engine's.
fn french_api_pieces() -> Vec<String> {
    let mut pieces = Vec::new();
    for key in i18n::keys(Language::Fr).filter(|key| {
        ["problem.", "request.", "denial.", "conflict."].iter().any(|prefix| key.starts_with(prefix))
    }) {
        let text = i18n::lookup(Language::Fr, key).unwrap_or_default();
        // A text the same in German (a URL, a product name) is no French.
        if i18n::lookup(Language::De, key) == Some(text) {
            continue;
        }
        literal_pieces(text, &mut pieces);
    }
    pieces.sort();
    pieces.dedup();
    pieces
}

/// The error states of the demo walk in German: a refused account (the
/// password rules), a refused session (its name), a role the account
/// cannot take, a page that does not exist; each says its problem in
/// German, with no French sentence of the API and German typography
/// ("Wort: Wert").
#[tokio::test]
async fn the_error_states_of_the_walk_read_in_german() {
    let app = support::app_with_board();
    let pieces = french_api_pieces();
    assert!(pieces.len() > 100, "too few pieces: {}", pieces.len());
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    // (what, method, uri, form, status, German text shown)
    let rows = [
        (
            "a password against the rules",
            "POST",
            "/board/users?lang=de".to_owned(),
            Some(format!("csrf={csrf}&username=exp-neu&role=examiner&password=kurz")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Das Passwort muss mindestens 12 Zeichen lang sein.",
        ),
        (
            "a session without a name",
            "POST",
            "/board/sessions?lang=de".to_owned(),
            Some(format!("csrf={csrf}&name=+")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Der Name muss 1 bis 200 Zeichen lang sein.",
        ),
        (
            "a role an account of a school cannot take",
            "POST",
            "/board/users/exp-02/role?lang=de".to_owned(),
            Some(format!("csrf={csrf}&role=chef")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "exp-02: Unbekannte Rolle.",
        ),
        (
            "the grade sheets of the demo session",
            "GET",
            "/demo/session/grade-sheets?lang=de".to_owned(),
            None,
            StatusCode::OK,
            "Entscheid: ",
        ),
    ];
    for (what, method, uri, form, status, german) in rows {
        let page = app.send(method, &uri, &cookie, form.as_deref()).await;
        assert_eq!(page.status, status, "{what}: {}", page.body);
        assert!(page.body.contains(german), "{what}: {german:?} not in {}", page.body);
        let left: Vec<&String> = pieces.iter().filter(|piece| page.body.contains(piece.as_str())).collect();
        assert!(left.is_empty(), "{what} still shows French {left:?}");
        assert!(!page.body.contains('⟦'), "{what}: a key is missing");
        assert!(!page.body.contains("Entscheid :"), "{what}: French typography in German");
    }
    // A case written in French offered in a German page is marked French.
    let cases = app.send("GET", "/board/sessions/1/cases?lang=de", &cookie, None).await;
    assert_eq!(cases.status, StatusCode::OK, "{}", cases.body);
    let marked = cases
        .body
        .match_indices("<option ")
        .map(|(at, _)| &cases.body[at..at + cases.body[at..].find("</option>").unwrap_or(0)])
        .filter(|option| option.contains("Reprise du travail"))
        .collect::<Vec<_>>();
    assert!(!marked.is_empty(), "no French case offered: {}", cases.body);
    assert!(marked.iter().all(|option| option.contains(r#"lang="fr""#)), "{marked:?}");
    // The check bites: the same refusal in French shows the API's sentence.
    let french = app.send("POST", "/board/sessions", &cookie, Some(&format!("csrf={csrf}&name=+"))).await;
    assert!(french.body.contains("Le nom doit compter de 1 à 200 caractères."), "{}", french.body);
}

/// The board's correction form and an arbitration asked with bad input, in
/// German: a correction before the results are final, without a reason,
/// with points that are no level, on a position that does not exist, a
/// proposal that does not exist, an arbitration nobody was named for.
/// Each page says its problems in German, with no French sentence of the
/// API and no missing key.
#[tokio::test]
async fn corrections_and_arbitration_refused_with_bad_input_read_in_german() {
    let app = support::app_with_board();
    let pieces = french_api_pieces();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    let german = |key: &str| escape(i18n::lookup(Language::De, key).unwrap_or_else(|| panic!("{key}")));
    let corrections = "/board/sessions/1/candidates/2026-001/corrections?lang=de";
    let correction = |position: &str, reason: &str, points: &str| {
        format!("csrf={csrf}&version=1&position={position}&reason={reason}&points-c1={points}&points-c2=2")
    };
    // (what, page, status, German texts shown)
    let mut answers = vec![(
        "a correction before the results are final",
        app.send("POST", corrections, &cookie, Some(&correction("1.1", "Recours+admis", "2"))).await,
        StatusCode::CONFLICT,
        Vec::new(),
    )];
    let status = format!("status=withdrawn_excused&csrf={csrf}");
    for number in ["2026-006", "2026-007"] {
        let uri = format!("/board/sessions/1/candidates/{number}/status");
        let answer = app.send("POST", &uri, &cookie, Some(&status)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    }
    let finalised = app
        .send("POST", "/board/sessions/1/finalise", &cookie, Some(&format!("confirm=yes&csrf={csrf}")))
        .await;
    assert_eq!(finalised.status, StatusCode::SEE_OTHER, "{}", finalised.body);
    // (what, method, uri, form, status, German texts shown)
    type Row<'a> = (&'a str, &'a str, String, Option<String>, StatusCode, Vec<String>);
    let rows: Vec<Row> = vec![
        (
            "a correction without a reason and with points that are no level",
            "POST",
            corrections.to_owned(),
            Some(correction("1.1", "+", "99")),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![german("problem.correction.reason_required")],
        ),
        (
            "a correction of a position that does not exist",
            "POST",
            corrections.to_owned(),
            Some(correction("9.9", "Recours+admis", "2")),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["9.9".to_owned()],
        ),
        (
            "a proposal that does not exist",
            "POST",
            "/board/sessions/1/candidates/2026-001/proposals/9999?lang=de".to_owned(),
            Some(format!("csrf={csrf}&decision=reject&note=Nein")),
            StatusCode::NOT_FOUND,
            Vec::new(),
        ),
    ];
    for (what, method, uri, form, status, texts) in rows {
        answers.push((what, app.send(method, &uri, &cookie, form.as_deref()).await, status, texts));
    }
    let (examiner, _) = app.login("exp-01", support::PASSWORD).await.unwrap();
    let arbitration = "/examiner/sessions/1/candidates/2026-001/positions/1.1/arbitration?lang=de";
    answers.push((
        "an arbitration nobody was named for",
        app.send("GET", arbitration, &examiner, None).await,
        StatusCode::FORBIDDEN,
        Vec::new(),
    ));
    for (what, page, status, texts) in answers {
        assert_eq!(page.status, status, "{what}: {}", page.body);
        assert!(page.body.contains(r#"<html lang="de""#), "{what}: {}", page.body);
        for text in texts {
            assert!(page.body.contains(&text), "{what}: {text:?} not in {}", page.body);
        }
        let left: Vec<&String> = pieces.iter().filter(|piece| page.body.contains(piece.as_str())).collect();
        assert!(left.is_empty(), "{what} still shows French {left:?}");
        assert!(!page.body.contains('⟦'), "{what}: a key is missing");
    }
}

#[test]
fn the_french_marked_elements_are_left_out_whole_and_nothing_else() {
    // (page, what is left of it)
    let cases = [
        (r#"<p>Hallo <span lang="fr">Bonjour</span> Welt</p>"#, "<p>Hallo  Welt</p>"),
        // An element of the same name inside the marked one.
        (
            r#"<p>a <span lang="fr">b <span>c</span> d</span> e <span>f</span></p>"#,
            "<p>a  e <span>f</span></p>",
        ),
        (
            r#"<select><option value="fr" lang="fr">Français</option><option value="de" lang="de">Deutsch</option></select>"#,
            r#"<select><option value="de" lang="de">Deutsch</option></select>"#,
        ),
        (r#"<textarea id="r" lang="fr">Vu.</textarea><em>x</em>"#, "<em>x</em>"),
        // An element without an end tag: the tag alone.
        (r#"<input lang="fr" value="oui"><b>ja</b>"#, "<b>ja</b>"),
        (r#"<p lang="de">Nichts</p>"#, r#"<p lang="de">Nichts</p>"#),
        (
            r#"<html lang="de"><body><a lang="fr">Français</a><a>Deutsch</a>"#,
            r#"<html lang="de"><body><a>Deutsch</a>"#,
        ),
    ];
    for (page, left) in cases {
        assert_eq!(outside_french_marks(page), left, "{page}");
    }
}
