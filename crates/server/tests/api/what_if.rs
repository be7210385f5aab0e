//! The what-if simulation (issue 13): the board edits a copy of the pinned
//! grading scheme or part weights and gets every candidate who would
//! change, counted; the session's own settings give an empty comparison;
//! nothing is stored; bad edits are refused with their pointer; the
//! access rule is the quality statistics'.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::mock::{TRAINER_PASSWORD, prepare_mock, schools_and_trainers};
use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, score_example};

fn what_if(id: i64) -> String {
    format!("/api/sessions/{id}/what-if")
}

/// The simulation's answer, read into the server's public type.
fn typed(answer: &crate::support::Answer) -> grille_server::WhatIfView {
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    serde_json::from_value(answer.body.clone()).expect("the answer is a WhatIfView")
}

/// The request that sets every member to the session's own settings.
fn own_settings(view: &grille_server::WhatIfView) -> Value {
    let pinned = &view.pinned;
    json!({
        "scale": pinned.scale,
        "conversion": pinned.conversion,
        "rounding": pinned.rounding,
        "pass_rule": pinned.pass_rule,
        "parts": pinned.parts.iter().map(|part| json!({
            "part": part.part, "weight": part.weight, "reconciliation": part.reconciliation,
        })).collect::<Vec<_>>(),
    })
}

/// The session's own settings, sent back whole or left out, give an
/// empty comparison, whatever the state of the session.
async fn assert_own_settings_change_nothing(app: &TestApp, admin: &Auth, id: i64) {
    let read = typed(&app.get(&what_if(id), admin).await);
    assert!(!read.saved && !read.edited, "{read:?}");
    assert_eq!(read.pinned, read.simulated);
    for body in [json!({}), own_settings(&read)] {
        let view = typed(&app.post_json(&what_if(id), admin, &body).await);
        assert!(view.comparison.changes.is_empty(), "{body}: {:#?}", view.comparison);
        assert_eq!(
            (view.comparison.passes_gained, view.comparison.passes_lost, view.comparison.decisions_changed),
            (0, 0, 0)
        );
        assert_eq!(view.comparison.candidates, 5);
        assert!(view.explanations.is_empty() && !view.edited && !view.saved);
    }
}

#[tokio::test]
async fn the_sessions_own_settings_change_nothing_at_every_step() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    // Nothing scored yet, scored, finalised.
    assert_own_settings_change_nothing(&app, &admin, id).await;
    score_example(&app, id).await;
    assert_own_settings_change_nothing(&app, &admin, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    assert_own_settings_change_nothing(&app, &admin, id).await;
}

/// Each edit and what it does to the worked example (pass rule of the
/// federal exam's scheme: overall at least 4.0, at most one part below
/// 4.0, no part below 3.0): the candidates whose decision changes, the
/// passes gained and lost.
#[tokio::test]
async fn each_edit_lists_the_candidates_it_would_flip() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    let results_before = app.get(&format!("/api/sessions/{id}/results"), &admin).await.body;
    let audit_before = app.get("/api/audit", &admin).await.body;

    // (edit, candidates whose decision flips, passes gained, lost)
    let table: Vec<(Value, Vec<&str>, usize, usize)> = vec![
        // Two insufficient parts allowed: 2026-003 (two parts at 3.5) passes.
        (
            json!({"pass_rule": {"min_overall": "4", "max_insufficient_parts": 2, "min_part_grade": "3"}}),
            vec!["2026-003"],
            1,
            0,
        ),
        // No floor under a part: 2026-004 (a part at 2.5, overall 4.4) passes too.
        (
            json!({"pass_rule": {"min_overall": "4", "max_insufficient_parts": 2}}),
            vec!["2026-003", "2026-004"],
            2,
            0,
        ),
        // An overall grade of at least 4.5: 2026-002 (4.2) fails.
        (
            json!({"pass_rule": {"min_overall": "4.5", "max_insufficient_parts": 1, "min_part_grade": "3"}}),
            vec!["2026-002"],
            0,
            1,
        ),
        // Whole grades for the overall grade, rounded down: grades change,
        // 2026-002 (4.2 → 4) still passes.
        (json!({"rounding": {"overall": "1", "overall_direction": "down"}}), vec![], 0, 0),
    ];
    for (edit, flipped, gained, lost) in table {
        let view = typed(&app.post_json(&what_if(id), &admin, &edit).await);
        assert!(view.edited && !view.saved, "{edit}");
        let comparison = &view.comparison;
        let decisions: Vec<&str> = comparison
            .changes
            .iter()
            .filter(|change| change.decision_changes())
            .map(|change| change.number.as_str())
            .collect();
        assert_eq!(decisions, flipped, "{edit}: {comparison:#?}");
        assert_eq!((comparison.passes_gained, comparison.passes_lost), (gained, lost), "{edit}");
        assert_eq!(comparison.decisions_changed, flipped.len(), "{edit}");
        // One simulated result, with its explanation, per candidate listed.
        assert_eq!(view.explanations.len(), comparison.changes.len(), "{edit}");
        for (change, explained) in comparison.changes.iter().zip(&view.explanations) {
            assert_eq!(change.number, explained.number);
            assert_eq!(change.outcome_after, explained.outcome);
            assert_eq!(change.decision_after, explained.decision);
            assert!(!explained.conditions.is_empty() || explained.overall.is_none(), "{explained:?}");
        }
    }
    let rounded = typed(
        &app.post_json(
            &what_if(id),
            &admin,
            &json!({"rounding": {"overall": "1", "overall_direction": "down"}}),
        )
        .await,
    );
    assert_eq!(rounded.comparison.grades_only, 4, "{:#?}", rounded.comparison);
    // Part weights and reconciliation modes: part 1 counts three times.
    let weighted = typed(
        &app.post_json(
            &what_if(id),
            &admin,
            &json!({"parts": [{"part": "1", "weight": "3", "reconciliation": "mean"}]}),
        )
        .await,
    );
    let part = weighted.simulated.parts.iter().find(|part| part.part == "1").unwrap();
    assert_eq!((part.weight.to_string().as_str(), part.reconciliation.as_str()), ("3", "mean"));
    let first = weighted.comparison.changes.iter().find(|change| change.number == "2026-001").unwrap();
    assert_eq!(first.overall_before.map(|g| g.to_string()), Some("5.2".to_owned()));
    assert_eq!(first.overall_after.map(|g| g.to_string()), Some("5.3".to_owned()), "{first:?}");

    // Nothing was stored: the results and the session's journal are as before.
    assert_eq!(app.get(&format!("/api/sessions/{id}/results"), &admin).await.body, results_before);
    assert_eq!(app.get("/api/audit", &admin).await.body, audit_before);
}

/// Every kind of bad edit: a 422 (400 for what is no JSON) whose errors
/// name the JSON pointer of the bad value.
#[tokio::test]
async fn bad_edits_are_refused_with_their_pointer() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let table: Vec<(Value, &str)> = vec![
        (json!({"pass_rule": {"min_overall": "four"}}), "/pass_rule/min_overall"),
        (json!({"pass_rule": {"max_insufficient_parts": -1}}), "/pass_rule"),
        (json!({"pass_rule": {"required_parts": ["9"]}}), "/pass_rule/required_parts/0"),
        (json!({"conversion": {"kind": "two_piece", "pass_fraction": "1.5"}}), "/conversion/pass_fraction"),
        (json!({"conversion": {"kind": "curve"}}), "/conversion"),
        (json!({"scale": {"pass_mark": "7"}}), "/scale/pass_mark"),
        (json!({"rounding": {"overall_direction": "sideways"}}), "/rounding"),
        (json!({"parts": [{"part": "9"}]}), "/parts/0/part"),
        (json!({"parts": [{"part": "1", "weight": "0"}]}), "/parts/0/weight"),
        (json!({"parts": [{"part": "1", "weight": "1001"}]}), "/parts/0/weight"),
        (json!({"parts": [{"part": "1", "reconciliation": "vote"}]}), "/parts/0/reconciliation"),
        (json!({"parts": [{"part": "1"}, {"part": "1"}]}), "/parts/1/part"),
        (json!({"parts": [{"weight": "2"}]}), "/parts/0/part"),
        (json!({"passrule": {}}), "/passrule"),
    ];
    for (body, pointer) in table {
        let answer = app.post_json(&what_if(id), &admin, &body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:#}", answer.body);
        let pointers: Vec<&str> =
            answer.body["errors"].as_array().unwrap().iter().filter_map(|e| e["pointer"].as_str()).collect();
        assert!(
            pointers.iter().any(|found| found.starts_with(pointer)),
            "{body}: {pointer} not in {:#}",
            answer.body
        );
    }
    let malformed = app.post_raw(&what_if(id), &admin, "application/json", "{\"pass_rule\":").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST, "{:#}", malformed.body);
    let wrong_type = app.post_raw(&what_if(id), &admin, "text/plain", "{}").await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{:#}", wrong_type.body);
    let missing = app.post_json(&what_if(999_999), &admin, &json!({})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{:#}", missing.body);
}

/// A mock session's simulation is its school's, as its quality statistics.
#[tokio::test]
async fn a_trainer_simulates_a_mock_session_of_their_school() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let mock = prepare_mock(&app, &formatrice).await;
    score_example(&app, mock).await;
    let other = app.login("autre-ecole", TRAINER_PASSWORD).await.bearer();
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let edit = json!({"pass_rule": {"min_overall": "4", "max_insufficient_parts": 2}});
    // The rule of the quality statistics, caller by caller.
    for (name, auth, status) in [
        ("formatrice", &formatrice, 200),
        ("autre-ecole", &other, 404),
        ("board", &admin, 403),
        ("exp-01", &examiner, 0),
        ("anonymous", &Auth::None, 401),
    ] {
        let quality = app.get(&format!("/api/sessions/{mock}/quality"), auth).await.status.as_u16();
        let answer = app.post_json(&what_if(mock), auth, &edit).await;
        assert_eq!(answer.status.as_u16(), quality, "{name}: {:#}", answer.body);
        if status != 0 {
            assert_eq!(quality, status, "{name}");
        }
    }
    let view = typed(&app.post_json(&what_if(mock), &formatrice, &edit).await);
    assert_eq!(view.kind, grille_workflow::SessionKind::Mock);
    assert!(view.comparison.passes_gained >= 1, "{:#?}", view.comparison);
}

/// The comparison as a file: exactly the candidates of the simulation, in
/// its order, the column names and words in the language asked, `;` and a
/// byte order mark; the same refusals and access as the simulation.
#[tokio::test]
async fn the_csv_holds_the_simulations_candidates_in_the_language_asked() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let csv = |query: &str| format!("{}/csv{query}", what_if(id));
    for edit in [
        json!({"pass_rule": {"min_overall": "4", "max_insufficient_parts": 2}}),
        json!({"rounding": {"overall": "1", "overall_direction": "down"}}),
        json!({}),
    ] {
        let view = typed(&app.post_json(&what_if(id), &admin, &edit).await);
        for (query, language, header) in [
            ("", "fr", "\u{feff}Numéro;Résultat réel;Résultat simulé;"),
            ("?lang=de", "de", "\u{feff}Nummer;Tatsächliches Ergebnis;Simuliertes Ergebnis;"),
            ("?lang=it", "it", "\u{feff}Numero;Esito reale;Esito simulato;"),
        ] {
            let answer = app.post_json(&csv(query), &admin, &edit).await;
            assert_eq!(answer.status, StatusCode::OK, "{edit} {query}: {:#}", answer.body);
            assert!(answer.content_type().starts_with("text/csv"), "{}", answer.content_type());
            let disposition = answer.headers["content-disposition"].to_str().unwrap();
            assert_eq!(disposition, format!("attachment; filename=\"session-{id}-simulation.csv\""));
            let text = answer.body.as_str().expect("a CSV text");
            let mut lines = text.lines();
            assert!(lines.next().unwrap().starts_with(header), "{language}: {text}");
            let numbers: Vec<&str> = lines.map(|line| line.split(';').next().unwrap()).collect();
            let expected: Vec<&str> = view.comparison.changes.iter().map(|c| c.number.as_str()).collect();
            assert_eq!(numbers, expected, "{edit} {language}");
        }
    }
    // The kind of change, in the reader's words; a comma on request.
    let edit = json!({"pass_rule": {"min_overall": "4", "max_insufficient_parts": 2}});
    let text = app.post_json(&csv("?lang=de&delimiter=comma"), &admin, &edit).await.body;
    let text = text.as_str().unwrap();
    assert!(text.lines().any(|line| line.starts_with("2026-003,nicht bestanden,bestanden,")), "{text}");
    assert!(text.contains(",neu bestanden,"), "{text}");
    // Refusals as for the simulation; an unknown language is named.
    let refused = app.post_json(&csv("?lang=de"), &admin, &json!({"parts": [{"part": "9"}]})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:#}", refused.body);
    assert_eq!(refused.body["errors"][0]["pointer"], "/parts/0/part", "{:#}", refused.body);
    let language = app.post_json(&csv("?lang=en"), &admin, &json!({})).await;
    assert!(language.status.is_client_error(), "{:#}", language.body);
    assert!(language.body.to_string().contains("lang"), "{:#}", language.body);
    let missing = app.post_json(&format!("{}/csv", what_if(999_999)), &admin, &json!({})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{:#}", missing.body);
}

/// A mock session's simulation downloads as its school's: its trainer
/// gets the file, another school's trainer is answered as if it did not
/// exist, the board is refused.
#[tokio::test]
async fn a_mock_sessions_csv_is_its_schools() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let edit = json!({"pass_rule": {"min_overall": "4", "max_insufficient_parts": 2}});
    schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let mock = prepare_mock(&app, &formatrice).await;
    score_example(&app, mock).await;
    let other = app.login("autre-ecole", TRAINER_PASSWORD).await.bearer();
    let uri = format!("{}/csv", what_if(mock));
    let answer = app.post_json(&uri, &formatrice, &edit).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let disposition = answer.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("examen-blanc-{mock}-simulation.csv")), "{disposition}");
    assert_eq!(app.post_json(&uri, &other, &edit).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post_json(&uri, &admin, &edit).await.status, StatusCode::FORBIDDEN);
}
