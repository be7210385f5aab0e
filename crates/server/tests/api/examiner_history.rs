//! An examiner's history across sessions (issue 13): the severity of each
//! part of each official session the examiner rated, oldest first, the
//! weighted summary, the CSV, who may read it and bad input.

use axum::http::{Method, StatusCode, header};
use grille_scoring::embedded;
use serde_json::{Value, json};

use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example, score_example, send_json};

fn history(username: &str) -> String {
    format!("/api/examiners/{username}/history")
}

/// Two sessions of the worked example, both scored (exp-05 rates part 3
/// in each).
async fn two_scored_sessions(app: &TestApp, admin: &Auth) -> (i64, i64) {
    let first = prepare_example(app, admin).await;
    score_example(app, first).await;
    let second = prepare_example(app, admin).await;
    score_example(app, second).await;
    (first, second)
}

#[tokio::test]
async fn an_examiners_severity_is_listed_session_by_session() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    // Two sessions of the worked example, both scored: exp-05 rates part
    // 3 in each; a third, unscored, has no rating by anyone.
    let (first, second) = two_scored_sessions(&app, &admin).await;
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

/// The joint estimate: one Rasch model over the finalised sessions the
/// examiner scored in (or those the board chooses). Two sessions with the
/// same ratings: the joint severity is the session's, its standard error
/// the session's divided by √2 (twice the information); the CSV; the
/// choice of sessions and its refusals.
#[tokio::test]
async fn the_joint_estimate_pools_the_chosen_sessions() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (first, second) = two_scored_sessions(&app, &admin).await;
    let unscored = prepare_example(&app, &admin).await;
    // Nothing finalised yet: every session is offered, none pooled.
    let view: grille_server::ExaminerHistory =
        serde_json::from_value(app.get(&history("exp-05"), &admin).await.body).expect("typed");
    let offered: Vec<(i64, bool, bool)> =
        view.choices.iter().map(|c| (c.session_id, c.is_final, c.selected)).collect();
    assert_eq!(offered, [(first, false, false), (second, false, false)]);
    assert!(view.joint.is_none());
    for id in [first, second] {
        let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
        assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    }

    let answer = app.get(&history("exp-05"), &admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let view: grille_server::ExaminerHistory = serde_json::from_value(answer.body).expect("typed");
    let joint = view.joint.as_ref().expect("a joint estimate of the finalised sessions");
    assert!(!joint.chosen && joint.estimated && joint.problem.is_none(), "{joint:?}");
    // The worked example's part 3 is small (four candidates, two
    // examiners): whether the iterations converge is reported either way.
    let converged = joint.convergence.expect("the convergence is reported").converged;
    let pooled: Vec<(i64, Vec<String>)> =
        joint.sessions.iter().map(|s| (s.session_id, s.parts.clone())).collect();
    assert_eq!(pooled, [(first, vec!["3".to_owned()]), (second, vec!["3".to_owned()])]);
    // Candidates per session, the same rubric's criteria linked.
    let pooled_candidates = joint.candidates;
    assert_eq!(joint.linked_criteria, joint.criteria);
    let names: Vec<(&str, bool)> =
        joint.examiners.iter().map(|e| (e.measure.examiner.as_str(), e.subject)).collect();
    assert_eq!(names[0], ("exp-05", true), "the examiner followed first");
    assert_eq!(names.len(), 2, "exp-05 and exp-06: {names:?}");
    let subject = &joint.examiners[0].measure;
    let (session_severity, session_se) =
        (view.rows[0].severity.unwrap(), view.rows[0].standard_error.value.unwrap());
    let (severity, se) = (subject.severity.unwrap(), subject.standard_error.value.unwrap());
    assert_eq!(severity.signum(), session_severity.signum(), "{severity} vs {session_severity}");
    assert!(se < session_se, "pooled {se} vs one session {session_se}");
    if converged {
        // Twice the same ratings: the same maximum, twice the information.
        assert!((severity - session_severity).abs() < 1e-3, "{severity} vs {session_severity}");
        assert!((se - session_se / 2f64.sqrt()).abs() < 1e-3, "{se} vs {session_se} / √2");
    }
    assert!(subject.infit.value.is_some() && subject.outfit.value.is_some());
    assert!(subject.grade_effect.is_some(), "{subject:?}");
    assert_eq!(subject.ratings, 2 * view.rows[0].ratings);

    // The board chooses one session: the session's own estimate.
    let one: grille_server::ExaminerHistory = serde_json::from_value(
        app.get(&format!("{}?sessions={second}", history("exp-05")), &admin).await.body,
    )
    .expect("typed");
    let joint = one.joint.expect("the chosen session");
    assert!(joint.chosen && joint.sessions.len() == 1 && joint.linked_criteria == 0, "{joint:?}");
    assert_eq!(2 * joint.candidates, pooled_candidates, "each session's candidates counted apart");
    assert!(joint.examiners[0].measure.standard_error.value.unwrap() > se, "one session is less precise");
    assert_eq!(one.choices.iter().filter(|c| c.selected).count(), 1);

    // The joint table as CSV: one line per examiner, the one followed first.
    let csv = app.get(&format!("{}/csv?table=joint", history("exp-05")), &admin).await;
    assert_eq!(csv.status, StatusCode::OK, "{:#}", csv.body);
    let text = csv.body.as_str().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("\u{feff}expert_e;suivi_e;sessions;evaluations;severite_logits;"), "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("exp-05;oui;2;"), "{text}");
    assert!(lines[1].ends_with(&format!(";{first} {second};")), "{text}");
    let disposition = csv.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("historique-exp-05-conjoint.csv"), "{disposition}");

    // Refusals name the parameter: not a number, a session the examiner
    // did not score in.
    for query in ["?sessions=abc", &format!("?sessions={unscored}"), "?sessions=999999", "?sessions=1,-2"] {
        let refused = app.get(&format!("{}{query}", history("exp-05")), &admin).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {:#}", refused.body);
        assert_eq!(refused.body["errors"][0]["field"], "sessions", "{query}: {:#}", refused.body);
    }
    let refused = app.get(&format!("{}/csv?table=joint&sessions=x", history("exp-05")), &admin).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:#}", refused.body);
    let bad = app.get(&format!("{}/csv?table=everything", history("exp-05")), &admin).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{:#}", bad.body);
}

/// The joint estimate of `?sessions=…`: the followed examiner's ratings
/// and severity.
async fn joint_of(app: &TestApp, admin: &Auth, sessions: &str) -> (usize, Option<f64>) {
    let answer = app.get(&format!("{}?sessions={sessions}", history("exp-05")), admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let view: grille_server::ExaminerHistory = serde_json::from_value(answer.body).expect("typed");
    let joint = view.joint.expect("a joint estimate");
    let subject = &joint.examiners.iter().find(|e| e.subject).expect("the examiner followed").measure;
    (subject.ratings, subject.severity)
}

/// The joint estimate is kept between reads, by the sessions' revisions:
/// a write to one pooled session (the board reopens one of exp-05's
/// evaluations, which then no longer counts) is in the very next answer.
#[tokio::test]
async fn the_kept_joint_estimate_follows_a_write_to_a_pooled_session() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (first, second) = two_scored_sessions(&app, &admin).await;
    let both = format!("{first},{second}");
    let (ratings, severity) = joint_of(&app, &admin, &both).await;
    assert!(ratings > 0 && severity.is_some());
    // Read again unchanged: the same answer.
    assert_eq!(joint_of(&app, &admin, &both).await, (ratings, severity));
    // A single session is another key, not the pooled answer.
    let (alone, _) = joint_of(&app, &admin, &second.to_string()).await;
    assert_eq!(2 * alone, ratings);

    // The board reopens exp-05's first submitted evaluation in the second session.
    let example = embedded::example_session().unwrap();
    let (number, position, criteria) = example
        .candidates
        .iter()
        .find_map(|candidate| {
            candidate.positions.iter().find_map(|scoring| {
                let evaluation = scoring.evaluations.iter().find(|e| e.examiner == "exp-05")?;
                Some((candidate.number.clone(), scoring.position.clone(), evaluation.answers.len()))
            })
        })
        .expect("exp-05 scored in the example");
    let base = position_uri(second, &number, &position);
    let examiner = app.login("exp-05", EXAMINER_PASSWORD).await.bearer();
    let mine = app.get(&format!("{base}/evaluations/mine"), &examiner).await;
    let version = mine.body["version"].as_i64().expect("a version");
    let reason = json!({"reason": "Relecture demandée par la commission."});
    let reopen = format!("{base}/evaluations/exp-05/reopen");
    let reopened = send_json(&app, Method::POST, &reopen, &admin, &reason, Some(version)).await;
    assert_eq!(reopened.status, StatusCode::OK, "{:#}", reopened.body);

    // The next reads count one evaluation fewer, pooled and alone.
    let (after, _) = joint_of(&app, &admin, &both).await;
    assert!(after < ratings && after + criteria >= ratings, "{after} of {ratings} after the reopening");
    assert!(joint_of(&app, &admin, &second.to_string()).await.0 < alone);
    // The other session's own estimate did not change.
    assert_eq!(joint_of(&app, &admin, &first.to_string()).await.0, alone);
}
