//! The examiners' free text carries the language it was written in: a
//! remark whose language is not the page's is marked `lang`, so that a
//! screen reader reads a French remark on a German page as French (and a
//! German one on a French page as German); a remark in the page's language,
//! or of unknown language, is not marked.

use axum::http::StatusCode;

use crate::support::{self, BOARD_PASSWORD, PASSWORD};

/// (page, text that must follow `lang="fr">` on it): the worked example's
/// remarks, French by the session file's `remark_language`.
const FRENCH_REMARKS_ON_GERMAN_PAGES: &[(&str, &str)] = &[
    // A remark on a criterion and the overall remarks of both examiners.
    ("/demo/candidates/2026-002/file?lang=de", "Thème non abordé (temps écoulé)."),
    ("/demo/candidates/2026-002/file?lang=de", "Solutions pertinentes, réseau bien connu."),
    ("/demo/candidates/2026-004/file?lang=de", "Analyse et mesures superficielles."),
    // The justification of the joint evaluation, in the file and in the minutes.
    ("/demo/candidates/2026-002/file?lang=de", "Écart signalé (4.5 contre 3.5"),
    ("/demo/session/minutes?lang=de", "Écart signalé (4.5 contre 3.5"),
    // The same remarks as the board reads them from the store (the demo
    // seed records the session's language with every evaluation).
    ("/board/sessions/1/candidates/2026-002/file?lang=de", "Solutions pertinentes, réseau bien connu."),
    ("/board/sessions/1/candidates/2026-002/file?lang=de", "Écart signalé (4.5 contre 3.5"),
];

#[tokio::test]
async fn the_examiners_comparison_marks_the_partners_french_remarks_on_a_german_page() {
    let app = support::app();
    let (cookie, _) = app.login("exp-01", PASSWORD).await.unwrap();
    let uri = "/examiner/sessions/1/candidates/2026-002/positions/1.2/comparison";
    let german = app.send("GET", &format!("{uri}?lang=de"), &cookie, None).await;
    assert_eq!(german.status, StatusCode::OK, "{}", german.body);
    // Both examiners' remarks on c4, each in its quotation marks.
    for remark in ["Thème non abordé (temps écoulé).", "Le thème des ressources personnelles"] {
        assert!(german.body.contains(&format!(r#"<span lang="fr">{remark}"#)), "{remark}: {}", german.body);
    }
    let french = app.send("GET", &format!("{uri}?lang=fr"), &cookie, None).await;
    assert!(french.body.contains("Thème non abordé (temps écoulé)."), "{}", french.body);
    assert!(!french.body.contains(r#"lang="fr">Thème"#), "{}", french.body);
}

#[tokio::test]
async fn the_worked_example_marks_its_french_remarks_on_german_pages_only() {
    let app = support::app_with_board();
    let (cookie, _) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    for (uri, remark) in FRENCH_REMARKS_ON_GERMAN_PAGES {
        let page = app.send("GET", uri, &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert!(page.body.contains(r#"<html lang="de">"#), "{uri}: not a German page");
        assert!(page.body.contains(&format!(r#"lang="fr">{remark}"#)), "{uri}: {remark:?} not marked French");
        // The same page in French says the remark without marking it.
        let french_uri = uri.replace("?lang=de", "?lang=fr");
        let french = app.send("GET", &french_uri, &cookie, None).await;
        assert_eq!(french.status, StatusCode::OK, "{french_uri}");
        assert!(french.body.contains(remark), "{french_uri}: {remark:?} missing");
        assert!(!french.body.contains(&format!(r#"lang="fr">{remark}"#)), "{french_uri}: {remark:?} marked");
    }
}

/// The answers of position 1.1 as the worked example's first examiner gave
/// them, with a German remark on the first criterion and overall.
fn german_evaluation() -> serde_json::Value {
    let example = grille_scoring::embedded::example_session().unwrap();
    let scoring = example.candidates[0].positions.iter().find(|scoring| scoring.position == "1.1").unwrap();
    let mut answers = serde_json::to_value(&scoring.evaluations[0].answers).unwrap();
    answers[0]["remark"] = "Beobachtungen sauber von Deutungen getrennt.".into();
    serde_json::json!({"answers": answers, "remark": "Sorgfältig begründeter Bericht."})
}

#[tokio::test]
async fn a_remark_saved_in_german_is_stored_as_german_and_marked_on_the_french_board_pages() {
    let app = support::app_with_board();
    // exp-01 reads the pages in German (the language switch's cookie,
    // which the pages forward to the API) and scores 2026-006 on 1.1.
    let (session, csrf) = app.login("exp-01", PASSWORD).await.unwrap();
    let examiner = format!("{session}; lang=de");
    let mine = "/api/sessions/1/candidates/2026-006/positions/1.1/evaluations/mine";
    let saved = app.send_json("PUT", mine, &examiner, &csrf, &german_evaluation().to_string()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved: serde_json::Value = serde_json::from_str(&saved.body).unwrap();
    assert_eq!(saved["remark_language"], "de", "{saved:#}");
    let submitted =
        app.send_json_with_if_match("POST", &format!("{mine}/submit"), &examiner, &csrf, "", "\"1\"").await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    // Stored as German: read back without any language of the reader.
    let read = app.send("GET", mine, &session, None).await;
    let read: serde_json::Value = serde_json::from_str(&read.body).unwrap();
    assert_eq!(read["remark_language"], "de", "{read:#}");

    // The board reads the candidate's file in French: both remarks are
    // marked German, the French interface around them is not.
    let (board, _) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    let file = app.send("GET", "/board/sessions/1/candidates/2026-006/file?lang=fr", &board, None).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert!(file.body.contains(r#"<html lang="fr">"#));
    for remark in ["Beobachtungen sauber von Deutungen getrennt.", "Sorgfältig begründeter Bericht."] {
        assert!(
            file.body.contains(&format!(r#"<span lang="de">{remark}</span>"#)),
            "{remark}: {}",
            file.body
        );
    }
    // On a German page the same remarks need no mark.
    let german = app.send("GET", "/board/sessions/1/candidates/2026-006/file?lang=de", &board, None).await;
    assert!(german.body.contains(" Sorgfältig begründeter Bericht.</p>"), "{}", german.body);
    assert!(!german.body.contains(r#"lang="de">Sorgfältig"#), "{}", german.body);
    // The results API gives the language back with the file's evaluations.
    let api = app.send("GET", "/api/sessions/1/candidates/2026-006/file", &board, None).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let api: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let languages: Vec<&serde_json::Value> = api["positions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|position| position["evaluations"].as_array().unwrap())
        .map(|evaluation| &evaluation["content"]["remark_language"])
        .collect();
    assert_eq!(languages, [&serde_json::Value::from("de")], "{api:#}");
}

#[tokio::test]
async fn the_scoring_form_asks_the_remarks_language_and_keeps_it() {
    let app = support::app();
    let (cookie, csrf) = app.login("exp-01", PASSWORD).await.unwrap();
    let uri = "/examiner/sessions/1/candidates/2026-006/positions/1.1";
    // A German page proposes German, each choice named in its own language.
    let form = app.send("GET", &format!("{uri}?lang=de"), &cookie, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains(r#"<label for="remark-language">Sprache der Bemerkungen</label>"#),
        "{}",
        form.body
    );
    assert!(form.body.contains(r#"<option value="de" lang="de" selected>Deutsch</option>"#), "{}", form.body);
    assert!(form.body.contains(r#"<option value="fr" lang="fr">Français</option>"#), "{}", form.body);
    // (language chosen, page the form is read on afterwards, lang of the
    // remark fields there): a French remark written on a German page stays
    // French and is marked so; on a French page it needs no mark.
    let cases = [("fr", "de", Some("fr")), ("fr", "fr", None), ("it", "fr", Some("it")), ("de", "de", None)];
    for (chosen, page, marked) in cases {
        let body = format!(
            "action=save&points-c1=2&remark-c1=Vu.&remark=Bien.&remark_language={chosen}&csrf={csrf}&lang=de"
        );
        let version = app.send("GET", uri, &cookie, None).await;
        let version =
            version.body.split(r#"id="version" value=""#).nth(1).and_then(|rest| rest.split('"').next());
        let body = match version {
            Some(version) if !version.is_empty() => format!("{body}&version={version}"),
            _ => body,
        };
        let saved = app.send("POST", uri, &format!("{cookie}; lang=de"), Some(&body)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{chosen}: {}", saved.body);
        let shown = app.send("GET", &format!("{uri}?lang={page}"), &cookie, None).await;
        let selected = format!(r#"<option value="{chosen}" lang="{chosen}" selected>"#);
        assert!(shown.body.contains(&selected), "{chosen} on {page}: {}", shown.body);
        let textarea = r#"<textarea id="remark" name="remark" rows="4" maxlength="5000""#;
        let expected = match marked {
            Some(code) => format!(r#"{textarea} lang="{code}">Bien.</textarea>"#),
            None => format!("{textarea}>Bien.</textarea>"),
        };
        assert!(shown.body.contains(&expected), "{chosen} on {page}: {expected}\n{}", shown.body);
    }
}

/// Answers to the seven criteria of the rubric of 1.1, all at `level`.
fn joint_answers(level: u8) -> String {
    let list: Vec<String> =
        (1..=7).map(|index| format!(r#"{{"criterion": "c{index}", "points": {level}}}"#)).collect();
    format!(r#"{{"answers": [{}]}}"#, list.join(", "))
}

/// The `version` hidden field of the form `form_id` on `page`.
fn version_of(page: &str, form_id: &str) -> String {
    let form =
        page.split(&format!(r#"id="{form_id}""#)).nth(1).unwrap_or_else(|| panic!("{form_id}: {page}"));
    form.split(r#"name="version" value=""#).nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned()
}

#[tokio::test]
async fn the_joint_evaluation_and_the_confirmations_keep_the_language_of_their_text() {
    let app = support::app_with_board();
    let position = "/api/sessions/1/candidates/2026-006/positions/1.1";
    let page = "/examiner/sessions/1/candidates/2026-006/positions/1.1/comparison";
    let mut logins = Vec::new();
    for (examiner, level) in [("exp-01", 3), ("exp-02", 1)] {
        let (cookie, csrf) = app.login(examiner, PASSWORD).await.unwrap();
        let mine = format!("{position}/evaluations/mine");
        let saved = app.send_json("PUT", &mine, &cookie, &csrf, &joint_answers(level)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let submitted =
            app.send_json_with_if_match("POST", &format!("{mine}/submit"), &cookie, &csrf, "", "\"1\"").await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        logins.push((cookie, csrf));
    }
    let (first, first_csrf) = &logins[0];
    let (second, second_csrf) = &logins[1];
    let german = |cookie: &str| format!("{cookie}; lang=de");

    // exp-01 reads the page in German: the joint form has a remark field
    // per criterion and proposes German for the remarks.
    let empty = app.send("GET", page, &german(first), None).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert!(
        empty.body.contains(r#"<label for="agreed-remark-c1">Bemerkung zu c1</label>"#),
        "{}",
        empty.body
    );
    assert!(
        empty.body.contains(r#"<label for="agreed-remark-language">Sprache der Bemerkungen</label>"#),
        "{}",
        empty.body
    );
    let choice = empty.body.split(r#"id="agreed-remark-language""#).nth(1).unwrap();
    assert!(choice.contains(r#"<option value="de" lang="de" selected>Deutsch</option>"#), "{choice}");

    // They write the joint evaluation in French on the German page.
    let levels: Vec<String> = (1..=7).map(|index| format!("points-c{index}=2")).collect();
    let form = format!(
        "csrf={first_csrf}&version=&remark=Relu+ensemble.&remark-c1=Observations+bien+s%C3%A9par%C3%A9es.\
         &remark_language=fr&{}",
        levels.join("&")
    );
    let recorded = app.send("POST", page, &german(first), Some(&form)).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let agreed = app.send("GET", &format!("{position}/evaluations"), first, None).await;
    let agreed: serde_json::Value = serde_json::from_str(&agreed.body).unwrap();
    assert_eq!(agreed["agreed"]["remark_language"], "fr", "{agreed:#}");
    assert_eq!(agreed["agreed"]["answers"][0]["remark"], "Observations bien séparées.", "{agreed:#}");

    // (page language, lang of the joint form's remark fields there)
    for (language, marked) in [("de", Some("fr")), ("fr", None)] {
        let shown = app.send("GET", &format!("{page}?lang={language}"), first, None).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        let mark = marked.map(|code| format!(r#" lang="{code}""#)).unwrap_or_default();
        for (id, name, text) in [
            ("agreed-remark-c1", "remark-c1", "Observations bien séparées."),
            ("agreed-remark", "remark", "Relu ensemble."),
        ] {
            let rows = if name == "remark" { 4 } else { 2 };
            let field = format!(
                r#"<textarea id="{id}" name="{name}" rows="{rows}" maxlength="5000"{mark}>{text}</textarea>"#
            );
            assert!(shown.body.contains(&field), "{language}: {field}\n{}", shown.body);
        }
        let choice = shown.body.split(r#"id="agreed-remark-language""#).nth(1).unwrap();
        assert!(choice.contains(r#"<option value="fr" lang="fr" selected>"#), "{language}: {choice}");
    }

    // The board's file of the candidate marks the joint evaluation's
    // remarks French on a German page, not on a French one.
    let (board, _) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    let file = "/board/sessions/1/candidates/2026-006/file";
    for (language, marked) in [("de", true), ("fr", false)] {
        let shown = app.send("GET", &format!("{file}?lang={language}"), &board, None).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        for remark in ["Observations bien séparées.", "Relu ensemble."] {
            assert!(shown.body.contains(remark), "{language}: {remark}: {}", shown.body);
            let mark = format!(r#"<span lang="fr">{remark}</span>"#);
            assert_eq!(shown.body.contains(&mark), marked, "{language}: {mark}: {}", shown.body);
        }
    }

    // exp-02 confirms from a German page: the justification is German,
    // the language chosen beside it (German, the page's, proposed).
    let confirming = app.send("GET", page, &german(second), None).await;
    assert!(
        confirming
            .body
            .contains(r#"<label for="confirm-justification-language">Sprache der Begründung</label>"#),
        "{}",
        confirming.body
    );
    let choice = confirming.body.split(r#"id="confirm-justification-language""#).nth(1).unwrap();
    assert!(choice.contains(r#"<option value="de" lang="de" selected>"#), "{choice}");
    let version = version_of(&confirming.body, "confirm-form");
    // A refused confirmation (a version that is not the current one) keeps
    // the language chosen.
    let stale = format!(
        "csrf={second_csrf}&action=confirm&version=9&justification=Gelesen.&justification_language=it"
    );
    let refused = app.send("POST", page, &german(second), Some(&stale)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let choice = refused.body.split(r#"id="confirm-justification-language""#).nth(1).unwrap();
    assert!(choice.contains(r#"<option value="it" lang="it" selected>"#), "{choice}");
    let justified = format!(
        "csrf={second_csrf}&action=confirm&version={version}\
         &justification=Nach+gemeinsamer+Durchsicht+best%C3%A4tigt.&justification_language=de"
    );
    let confirmed = app.send("POST", page, &german(second), Some(&justified)).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    let listed = app.send("GET", &format!("{position}/evaluations"), second, None).await;
    let listed: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    let row = &listed["confirmations"][0];
    assert_eq!(
        (row["examiner"].as_str(), row["justification_language"].as_str()),
        (Some("exp-02"), Some("de")),
        "{listed:#}"
    );

    // The justification is marked German on a French page, not on a German one.
    let justification = "Nach gemeinsamer Durchsicht bestätigt.";
    let french = app.send("GET", &format!("{page}?lang=fr"), first, None).await;
    assert!(french.body.contains(&format!(r#"<span lang="de">{justification}</span>"#)), "{}", french.body);
    let german_page = app.send("GET", &format!("{page}?lang=de"), first, None).await;
    assert!(german_page.body.contains(justification), "{}", german_page.body);
    assert!(!german_page.body.contains(&format!(r#"lang="de">{justification}"#)), "{}", german_page.body);
}
