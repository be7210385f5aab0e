//! An examiner's history across sessions (issue 13): the severity of each
//! part of each official session the examiner rated, oldest first, the
//! weighted summary, the CSV, who may read it and bad input.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::support::{Auth, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, score_example};

fn history(username: &str) -> String {
    format!("/api/examiners/{username}/history")
}

#[tokio::test]
async fn an_examiners_severity_is_listed_session_by_session() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    // Two sessions of the worked example, both scored: exp-05 rates part
    // 3 in each; a third, unscored, has no rating by anyone.
    let first = prepare_example(&app, &admin).await;
    score_example(&app, first).await;
    let second = prepare_example(&app, &admin).await;
    score_example(&app, second).await;
    let _empty = prepare_example(&app, &admin).await;

    let answer = app.get(&history("exp-05"), &admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let view: grille_server::ExaminerHistory = serde_json::from_value(answer.body.clone()).expect("typed");
    assert_eq!(view.examiner, "exp-05");
    assert_eq!(view.sessions_read, 3);
    let rows: Vec<(i64, &str)> = view.rows.iter().map(|row| (row.session_id, row.part.as_str())).collect();
    assert_eq!(rows, [(first, "3"), (second, "3")], "oldest first, the parts rated");
    for row in &view.rows {
        assert_eq!(row.panel, 2, "exp-05 and exp-06");
        assert!(row.ratings > 0 && !row.rubrics.is_empty(), "{row:?}");
        assert!(row.severity.is_some() && row.standard_error.value.is_some(), "{row:?}");
    }
    // The same data twice: the same severity, and the weighted mean is it.
    assert_eq!(view.rows[0].severity, view.rows[1].severity);
    let pooled = view.pooled.expect("a summary");
    assert_eq!(pooled.rows, 2);
    assert!((pooled.severity - view.rows[0].severity.unwrap()).abs() < 1e-9);
    let se = view.rows[0].standard_error.value.unwrap();
    assert!((pooled.standard_error - se / 2f64.sqrt()).abs() < 1e-9, "two equal rows: SE / √2");
    assert_eq!(view.flagged, view.rows.iter().filter(|row| row.flag.is_some()).count());

    // An examiner of part 1 only; a known user who rated nothing.
    let other = app.get(&history("exp-01"), &admin).await;
    assert!(other.body["rows"].as_array().unwrap().iter().all(|row| row["part"] == "1"), "{:#}", other.body);
    let nobody = app.get(&history("admin"), &admin).await;
    assert_eq!(nobody.status, StatusCode::OK);
    assert_eq!((nobody.body["rows"].clone(), nobody.body.get("pooled")), (json!([]), None));

    // The CSV: a BOM, the header, one line per row.
    let csv = app.get(&format!("{}/csv", history("exp-05")), &admin).await;
    assert_eq!(csv.status, StatusCode::OK, "{:#}", csv.body);
    let Value::String(text) = &csv.body else { panic!("not text") };
    assert!(text.starts_with("\u{feff}session;nom_session;date;epreuve;"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
    let disposition = csv.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("historique-exp-05.csv"), "{disposition}");
    let comma = app.get(&format!("{}/csv?delimiter=,", history("exp-05")), &admin).await;
    assert!(comma.body.as_str().unwrap()[3..].starts_with("session,nom_session,"));
}

#[tokio::test]
async fn the_history_is_the_boards_and_bad_input_is_refused() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    prepare_example(&app, &admin).await;
    let examiner = app.login("exp-05", EXAMINER_PASSWORD).await.bearer();
    for (name, auth, status) in
        [("anonymous", Auth::None, 401), ("exp-05", examiner, 403), ("board", admin.clone(), 200)]
    {
        for uri in [history("exp-05"), format!("{}/csv", history("exp-05"))] {
            let answer = app.get(&uri, &auth).await;
            assert_eq!(answer.status.as_u16(), status, "{name} {uri}: {:#}", answer.body);
        }
    }
    let unknown = app.get(&history("personne"), &admin).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{:#}", unknown.body);
    let bad = app.get(&format!("{}/csv?delimiter=tab", history("exp-05")), &admin).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{:#}", bad.body);
    assert_eq!(bad.headers[header::CONTENT_TYPE], "application/problem+json");
}
