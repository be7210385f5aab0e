//! The quality statistics of a session (issue 13): examiner severity by
//! exam part, criterion analysis, intraclass correlations, their CSV
//! tables, who may read them (the rule of the results), and bad input.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::mock::{TRAINER_PASSWORD, prepare_mock, schools_and_trainers};
use crate::support::{Auth, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, score_example};

fn quality(id: i64) -> String {
    format!("/api/sessions/{id}/quality")
}

#[tokio::test]
async fn the_board_reads_severity_criteria_and_iccs_of_the_worked_example() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let answer = app.get(&quality(id), &admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    // The answer is the server's public type.
    let view: grille_server::QualityView = serde_json::from_value(answer.body.clone()).expect("typed");
    assert_eq!(view.session_id, id);
    assert!(view.ratings > 0);
    // One model per exam part: every examiner of the example is in the part
    // they scored, with an observed share; estimated or with a reason.
    let examiners: Vec<(&str, &str)> = view
        .parts
        .iter()
        .flat_map(|part| part.examiners.iter().map(move |e| (part.part.as_str(), e.examiner.as_str())))
        .collect();
    for (part, examiner) in
        [("1", "exp-01"), ("1", "exp-02"), ("2", "exp-03"), ("2", "exp-04"), ("3", "exp-05"), ("3", "exp-06")]
    {
        assert!(examiners.contains(&(part, examiner)), "{part} {examiner}: {examiners:?}");
    }
    for part in &view.parts {
        assert!(part.estimated || part.problem.is_some(), "{part:?}");
        assert!(part.pass_share > 0.5 && part.pass_share < 0.7, "linear scale: 4 at 60 %");
        for e in &part.examiners {
            assert!((0.0..=1.0).contains(&e.observed_share));
            if part.estimated && e.excluded.is_none() {
                assert!(e.severity.is_some() && e.standard_error.value.is_some(), "{e:?}");
            }
        }
        for c in &part.candidates {
            assert!(c.official_grade.is_some(), "{c:?}");
        }
    }
    // One rubric analysis per position of the example, every criterion listed.
    let positions: Vec<&str> = view.rubrics.iter().map(|r| r.position.as_str()).collect();
    for position in ["1.1", "1.2", "2.1", "3.1"] {
        assert!(positions.contains(&position), "{positions:?}");
    }
    assert!(view.rubrics.iter().all(|r| !r.criteria.is_empty()));
    // Every position is double-marked: one ICC row per position and the total.
    assert_eq!(view.icc.len(), 5, "{:?}", view.icc);
    let all = view.icc.last().unwrap();
    assert_eq!((all.position.as_deref(), all.targets), (None, 16));
    assert!(all.icc1_1.value.value.is_some(), "{all:?}");

    // Computed once per revision: the same bytes and ETag; 304 when held.
    let again = app.get(&quality(id), &admin).await;
    assert_eq!(again.body, answer.body);
    let etag = answer.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(again.headers[header::ETAG].to_str().unwrap(), etag);
}

#[tokio::test]
async fn each_table_downloads_as_csv_with_a_bom() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    for (table, first) in [
        ("severity", "epreuve;expert;"),
        ("candidates", "epreuve;numero;"),
        ("criteria", "epreuve;point;grille;critere;"),
        ("icc", "point;cibles;icc_1_1;"),
    ] {
        let answer = app.get(&format!("{}/csv?table={table}", quality(id)), &admin).await;
        assert_eq!(answer.status, StatusCode::OK, "{table}: {:#}", answer.body);
        let Value::String(text) = &answer.body else { panic!("{table}: not text") };
        assert!(text.starts_with('\u{feff}'), "{table}: no BOM");
        assert!(text[3..].starts_with(first), "{table}: {text}");
        assert!(text.lines().count() > 2, "{table}: {text}");
        let disposition = answer.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.contains(&format!("session-{id}-qualite-")), "{disposition}");
    }
    let comma = app.get(&format!("{}/csv?table=icc&delimiter=,", quality(id)), &admin).await;
    assert!(comma.body.as_str().unwrap()[3..].starts_with("point,cibles,"));
    // Bad input: a clear 4xx that names the parameter.
    for uri in [
        format!("{}/csv", quality(id)),
        format!("{}/csv?table=everything", quality(id)),
        format!("{}/csv?table=icc&delimiter=tab", quality(id)),
    ] {
        let answer = app.get(&uri, &admin).await;
        assert_eq!(answer.status.as_u16(), 400, "{uri}: {:#}", answer.body);
        assert_eq!(answer.headers[header::CONTENT_TYPE], "application/problem+json", "{uri}");
    }
}

/// Checks each URI of `table` with each caller.
async fn check_table(app: &crate::support::TestApp, callers: &[(&str, Auth)], table: &[(String, Vec<u16>)]) {
    for (uri, expected) in table {
        for ((name, auth), status) in callers.iter().zip(expected) {
            let answer = app.get(uri, auth).await;
            assert_eq!(answer.status.as_u16(), *status, "{name} GET {uri}: {:#}", answer.body);
            if *status >= 400 {
                assert!(answer.body.get("status").is_some(), "{name} {uri}: a problem document");
            }
        }
    }
}

/// Who reads the quality of an official session: the board; a trainer is
/// answered as if it did not exist, an examiner and a candidate 403.
#[tokio::test]
async fn the_quality_of_an_official_session_is_the_boards() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let school = app.post_json("/api/schools", &admin, &json!({"name": "École"})).await;
    for (username, role, school_id) in
        [("formatrice", "trainer", school.body["id"].clone()), ("cand", "candidate", json!(null))]
    {
        let body =
            json!({"username": username, "password": "long-enough-pw", "role": role, "school_id": school_id});
        assert_eq!(app.post_json("/api/users", &admin, &body).await.status, StatusCode::CREATED);
    }
    let callers = [
        ("anonymous", Auth::None),
        ("board", admin.clone()),
        ("exp-01", app.login("exp-01", EXAMINER_PASSWORD).await.bearer()),
        ("trainer", app.login("formatrice", "long-enough-pw").await.bearer()),
        ("candidate", app.login("cand", "long-enough-pw").await.bearer()),
    ];
    let table = vec![
        (quality(id), vec![401, 200, 403, 404, 403]),
        (format!("{}/csv?table=severity", quality(id)), vec![401, 200, 403, 404, 403]),
        (quality(999_999), vec![401, 404, 403, 404, 403]),
    ];
    check_table(&app, &callers, &table).await;
}

/// A mock session's quality is its school's: the trainer who runs it reads
/// it, a trainer of another school gets 404, a trainer who still has marks
/// to submit 403 (blind double marking), the board 403, as for the results.
#[tokio::test]
async fn the_quality_of_a_mock_session_is_its_schools() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (a, _) = schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let mock = prepare_mock(&app, &formatrice).await;
    let candidate = app
        .post_json(
            "/api/users",
            &admin,
            &json!({"username": "eleve", "password": "candidate-password", "role": "candidate",
                    "candidate_number": "2026-001", "school_id": a}),
        )
        .await;
    assert_eq!(candidate.status, StatusCode::CREATED, "{:#}", candidate.body);
    let callers = [
        ("anonymous", Auth::None),
        ("board", admin.clone()),
        ("formatrice", formatrice.clone()),
        ("autre-ecole", app.login("autre-ecole", TRAINER_PASSWORD).await.bearer()),
        ("exp-01", app.login("exp-01", EXAMINER_PASSWORD).await.bearer()),
        ("candidate", app.login("eleve", "candidate-password").await.bearer()),
    ];
    let table = vec![
        (quality(mock), vec![401, 403, 200, 404, 403, 403]),
        (format!("{}/csv?table=criteria", quality(mock)), vec![401, 403, 200, 404, 403, 403]),
    ];
    check_table(&app, &callers, &table).await;
    // Once scored, the school's quality statistics are there.
    score_example(&app, mock).await;
    let answer = app.get(&quality(mock), &formatrice).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["kind"], "mock");
    assert!(answer.body["ratings"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn a_session_without_evaluations_has_empty_tables_not_an_error() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let answer = app.get(&quality(id), &admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(answer.body["ratings"], 0);
    assert_eq!(answer.body["parts"], json!([]));
    assert_eq!(answer.body["icc"][0]["targets"], 0);
    assert!(answer.body["icc"][0]["problem"].is_string(), "{:#}", answer.body);
}

/// Every sentence of the quality answer (a flagged examiner, a model not
/// estimated, an element left out) carries its message beside the French
/// text it always had: the French text is the message's, and the message
/// reads in German and Italian without French left.
#[tokio::test]
async fn the_quality_sentences_carry_codes_said_in_the_readers_language() {
    use grille_report::i18n::Language;
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let answer = app.get(&quality(id), &admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let view: grille_server::QualityView = serde_json::from_value(answer.body.clone()).expect("typed");
    let mut said: Vec<(&grille_scoring::Message, &str)> = Vec::new();
    for part in &view.parts {
        said.extend(part.problem.iter().map(|problem| (&problem.message, problem.detail.as_str())));
        said.extend(part.exclusions.iter().map(|exclusion| (&exclusion.message, exclusion.detail.as_str())));
        for examiner in &part.examiners {
            said.extend(examiner.flag.iter().map(|flag| (&flag.message, flag.sentence.as_str())));
        }
    }
    assert!(!said.is_empty(), "the worked example has no sentence to say: {:#}", answer.body);
    for (message, french) in said {
        let code = message.code.as_str();
        assert!(code.starts_with("quality."), "{code}");
        assert_eq!(message.french(), french, "{code}: the French text is the message's");
        assert_eq!(grille_report::messages::render(message, Language::Fr), french, "{code}");
        for language in [Language::De, Language::It] {
            let text = grille_report::messages::render(message, language);
            assert!(text != french && !text.contains('⟦') && !text.contains('{'), "{code}: {text}");
            for piece in ["expert·e·s", "évaluation", "l'épreuve", "erreurs types", " : "] {
                assert!(!text.contains(piece), "{code} in {}: «{piece}» in {text}", language.code());
            }
        }
    }
}
