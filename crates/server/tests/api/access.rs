//! The access table of the workflow routes: for each route, the status
//! each kind of caller gets, in one table. The session is the worked
//! example in the scoring state, nothing scored yet; `exp-01` is assigned
//! to part 1 of candidate 2026-001, `exp-03` is not (it scores part 2).
//! A write whose caller passes the access checks is sent a body that the
//! route then refuses (422) or a request the workflow refuses in this state
//! (409), so that the table does not change the session as it runs.
//!
//! A trainer is answered 404 on an official session, as if it did not
//! exist (see `scope.rs` in the server); the mock sessions have their own
//! table in `mock.rs`.

use axum::http::Method;
use serde_json::json;

use crate::support::{Auth, Backend, TestApp, spawn_app, spawn_app_on};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example};

/// Columns: anonymous, board, examiner assigned, examiner not assigned,
/// trainer, candidate.
const CALLERS: [&str; 6] =
    ["anonymous", "board", "exp-01 (assigned)", "exp-03 (not assigned)", "trainer", "candidate"];

/// Method, URI, body, If-Match, the statuses in the order of [`CALLERS`].
type Row = (Method, String, Option<String>, Option<i64>, [u16; 6]);

/// On SQLite, and on PostgreSQL when the tests have a database (CI runs
/// it there whatever `GRILLE_TEST_API_BACKEND` says).
#[tokio::test]
async fn every_route_answers_each_caller_as_the_table_says() {
    for backend in Backend::all() {
        the_table_holds(spawn_app_on(backend)).await;
    }
}

async fn the_table_holds(app: TestApp) {
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let school = app.post_json("/api/schools", &admin, &json!({"name": "École"})).await;
    assert_eq!(school.status.as_u16(), 201, "{:#}", school.body);
    for (username, role, school_id) in
        [("trainer", "trainer", school.body["id"].clone()), ("cand", "candidate", json!(null))]
    {
        let answer = app
            .post_json(
                "/api/users",
                &admin,
                &json!({"username": username, "password": "long-enough-pw", "role": role, "school_id": school_id}),
            )
            .await;
        assert_eq!(answer.status.as_u16(), 201, "{:#}", answer.body);
    }
    let callers = [
        Auth::None,
        admin.clone(),
        app.login("exp-01", EXAMINER_PASSWORD).await.bearer(),
        app.login("exp-03", EXAMINER_PASSWORD).await.bearer(),
        app.login("trainer", "long-enough-pw").await.bearer(),
        app.login("cand", "long-enough-pw").await.bearer(),
    ];
    let position = position_uri(id, "2026-001", "1.1");
    let bad_answers = json!({"answers": [{"criterion": "zz"}]}).to_string();
    // (method, uri, body, If-Match, expected statuses in the order of CALLERS)
    let table: Vec<Row> = vec![
        (Method::GET, format!("/api/sessions/{id}"), None, None, [401, 200, 403, 403, 404, 403]),
        (Method::GET, format!("/api/sessions/{id}/progress"), None, None, [401, 200, 403, 403, 404, 403]),
        (Method::GET, format!("/api/sessions/{id}/class-grid"), None, None, [401, 200, 403, 403, 404, 403]),
        (
            Method::GET,
            format!("/api/sessions/{id}/file-consultation"),
            None,
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            format!("/api/sessions/{id}/file-consultation"),
            Some(json!({"enabled": "yes"}).to_string()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/me/results/{id}/rubric"), None, None, [401, 403, 403, 403, 403, 404]),
        (Method::GET, format!("/api/sessions/{id}/results"), None, None, [401, 200, 403, 403, 404, 403]),
        (Method::GET, format!("/api/sessions/{id}/results/csv"), None, None, [401, 200, 403, 403, 404, 403]),
        // The what-if simulation: the quality statistics' rule; a body the
        // route refuses (422), although a simulation stores nothing anyway.
        (Method::GET, format!("/api/sessions/{id}/what-if"), None, None, [401, 200, 403, 403, 404, 403]),
        (
            Method::POST,
            format!("/api/sessions/{id}/what-if"),
            Some(json!({"parts": [{"part": "9"}]}).to_string()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/what-if/csv?lang=de"),
            Some(json!({"parts": [{"part": "9"}]}).to_string()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        // An examiner's history across sessions: the board's.
        (Method::GET, "/api/examiners/exp-01/history".to_owned(), None, None, [401, 200, 403, 403, 403, 403]),
        (
            Method::GET,
            "/api/examiners/exp-01/history/csv".to_owned(),
            None,
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/candidates/2026-001/file"),
            None,
            None,
            [401, 200, 403, 403, 404, 403],
        ),
        (
            Method::GET,
            "/api/candidates/2026-001/personal-data".into(),
            None,
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        // Blind double marking: the assigned examiner sees the others only after submitting.
        (Method::GET, format!("{position}/evaluations"), None, None, [401, 200, 403, 403, 404, 403]),
        // Nothing written yet: 404 for the assigned examiner.
        (Method::GET, format!("{position}/evaluations/mine"), None, None, [401, 403, 404, 403, 404, 403]),
        // The scoring form and the grade preview: the assigned examiner and the board.
        (Method::GET, format!("{position}/form"), None, None, [401, 200, 200, 403, 404, 403]),
        (
            Method::POST,
            format!("{position}/evaluations/preview"),
            Some(json!({"answers": []}).to_string()),
            None,
            [401, 200, 200, 403, 404, 403],
        ),
        (
            Method::PUT,
            format!("{position}/evaluations/mine"),
            Some(bad_answers.clone()),
            None,
            [401, 403, 422, 403, 404, 403],
        ),
        // Nothing to submit: 409.
        (
            Method::POST,
            format!("{position}/evaluations/mine/submit"),
            None,
            Some(1),
            [401, 403, 409, 403, 404, 403],
        ),
        (
            Method::PUT,
            format!("{position}/agreed"),
            Some(bad_answers.clone()),
            None,
            [401, 403, 403, 403, 404, 403],
        ),
        // Confirming the joint evaluation: the rule of recording it.
        (
            Method::POST,
            format!("{position}/agreed/confirm"),
            Some(json!({"version": 1}).to_string()),
            None,
            [401, 403, 403, 403, 404, 403],
        ),
        // Arbiters: named by the board (the example's parts are not
        // reconciled by arbitration: 422), listed for the board.
        (Method::GET, format!("/api/sessions/{id}/arbiters"), None, None, [401, 200, 403, 403, 404, 403]),
        (
            Method::PUT,
            format!("/api/sessions/{id}/arbiters"),
            Some(json!({"part": "1", "examiner": "exp-03"}).to_string()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        (Method::GET, "/api/me/arbitrations".into(), None, None, [401, 403, 200, 200, 200, 403]),
        // Nobody is the named arbiter here.
        (Method::GET, format!("{position}/arbitration"), None, None, [401, 403, 403, 403, 404, 403]),
        (
            Method::PUT,
            format!("{position}/arbitration"),
            Some(bad_answers.clone()),
            None,
            [401, 403, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("{position}/arbitration/preview"),
            Some(bad_answers.clone()),
            None,
            [401, 403, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("{position}/arbitration/submit"),
            None,
            Some(1),
            [401, 403, 403, 403, 404, 403],
        ),
        // Not ready (nothing scored): 409.
        (
            Method::POST,
            format!("/api/sessions/{id}/finalise"),
            Some("{}".into()),
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/publish"),
            Some("{}".into()),
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/scoring"),
            Some("{}".into()),
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates"),
            Some(
                json!({"candidates": [{"number": "2026-001", "family_name": "X", "given_name": "Y"}]})
                    .to_string(),
            ),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        // A CSV file with an unknown examiner: refused, nothing saved.
        (
            Method::POST,
            format!("/api/sessions/{id}/assignments/csv"),
            Some("numero;epreuve;expert\n2026-001;1.1;personne\n".into()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        // A CSV file with an unknown examiner: refused, nothing saved.
        (
            Method::POST,
            format!("/api/sessions/{id}/assignments/csv/preview"),
            Some("numero;epreuve;expert\n2026-001;1.1;personne\n".into()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        (
            Method::PUT,
            format!("/api/sessions/{id}/candidates/2026-001/status"),
            Some(json!({"status": "present"}).to_string()),
            None,
            [401, 200, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates/2026-001/corrections"),
            Some("{}".into()),
            Some(1),
            // The body's shape is refused before the session is read.
            [401, 422, 403, 403, 422, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates/2026-001/corrections/preview"),
            Some("{}".into()),
            None,
            [401, 422, 403, 403, 422, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates/2026-001/corrections/proposals"),
            Some("{}".into()),
            Some(1),
            [401, 422, 403, 403, 422, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/corrections/proposals"),
            None,
            None,
            [401, 200, 403, 403, 404, 403],
        ),
        // Results are not final yet: the board is told so (409).
        (
            Method::POST,
            format!("/api/sessions/{id}/corrections/proposals/1/approve"),
            None,
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/corrections/proposals/1/reject"),
            Some(json!({"note": "non"}).to_string()),
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/corrections/proposals/1/withdraw"),
            Some("{}".into()),
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        (
            Method::PUT,
            format!("/api/sessions/{id}/retention"),
            Some(json!({"until": "2099-12-31"}).to_string()),
            None,
            [401, 200, 403, 403, 404, 403],
        ),
        // The retention period is not set: 409.
        (
            Method::DELETE,
            "/api/candidates/2026-001/personal-data".into(),
            None,
            None,
            [401, 409, 403, 403, 403, 403],
        ),
        // A candidate account without a linked number sees an empty list.
        (Method::GET, "/api/me/results".into(), None, None, [401, 403, 403, 403, 403, 200]),
        // Reminders: read with the progress; sending needs an SMTP relay,
        // which this app has not (409 for the board).
        (Method::GET, format!("/api/sessions/{id}/reminders"), None, None, [401, 200, 403, 403, 404, 403]),
        (
            Method::POST,
            format!("/api/sessions/{id}/reminders/send"),
            Some(json!({"examiners": ["nobody"]}).to_string()),
            None,
            [401, 409, 403, 403, 404, 403],
        ),
        // E-mail addresses: anyone's by the board (an unknown account 404),
        // one's own by everyone (a bad address 422).
        (
            Method::PUT,
            "/api/users/nobody/email".into(),
            Some(json!({"email": "x@example.ch"}).to_string()),
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/users/nobody/password/temporary".into(),
            Some(json!({"delivery": "show"}).to_string()),
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/me/email".into(), None, None, [401, 200, 200, 200, 200, 200]),
        (
            Method::PUT,
            "/api/me/email".into(),
            Some(json!({"email": "pas une adresse"}).to_string()),
            None,
            [401, 422, 422, 422, 422, 422],
        ),
        // Accounts: the board only (grille-workflow's account_permit); an
        // unknown account is 404 to the board, a file with an unknown role
        // 422, the board's own account 409.
        (Method::GET, "/api/users".into(), None, None, [401, 200, 403, 403, 403, 403]),
        (
            Method::POST,
            "/api/users".into(),
            Some(json!({"username": "x", "password": "long-enough-pw", "role": "examiner"}).to_string()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            "/api/users/nobody/active".into(),
            Some(json!({"active": false}).to_string()),
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            "/api/users/admin/active".into(),
            Some(json!({"active": false}).to_string()),
            None,
            [401, 409, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            "/api/users/nobody/role".into(),
            Some(json!({"role": "examiner"}).to_string()),
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/users/csv/preview".into(),
            Some("utilisateur;role\nx-y-z;chef\n".into()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/users/csv".into(),
            Some("utilisateur;role\nx-y-z;chef\n".into()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            "/api/users/nobody/password".into(),
            Some(json!({"new_password": "Vert-Ardoise-Montagne-42"}).to_string()),
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        (Method::DELETE, "/api/users/nobody/sessions".into(), None, None, [401, 404, 403, 403, 403, 403]),
        (Method::DELETE, "/api/users/nobody/totp".into(), None, None, [401, 404, 403, 403, 403, 403]),
        // The candidate register: the board's (grille-workflow's
        // register_permit); examiners read the accommodations of the
        // candidates they are assigned to through /api/me.
        (
            Method::GET,
            "/api/candidates/2026-001/master-data".into(),
            None,
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            "/api/candidates/2026-001/master-data".into(),
            Some(json!({"family_name": "", "given_name": "", "exam_language": "en"}).to_string()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (
            Method::PUT,
            "/api/candidates/2026-001/accommodation".into(),
            Some(json!({"extra_minutes": 601}).to_string()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/candidates/master-data/csv/preview".into(),
            Some("numéro;nom;prénoms;langue\n2026-001;A;B;rm\n".into()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/candidates/master-data/csv".into(),
            Some("numéro;nom;prénoms;langue\n2026-001;A;B;rm\n".into()),
            None,
            [401, 422, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/sessions/{id}/register"), None, None, [401, 200, 403, 403, 403, 403]),
        (Method::GET, "/api/me/accommodations".into(), None, None, [401, 200, 200, 200, 200, 200]),
        // Conflicts of interest: an examiner declares their own, the board reads them.
        (Method::GET, "/api/me/conflicts".into(), None, None, [401, 403, 200, 200, 403, 403]),
        (
            Method::POST,
            "/api/me/conflicts".into(),
            Some(json!({"candidate_number": "2026-001", "reason": "friend"}).to_string()),
            None,
            [401, 403, 422, 422, 403, 403],
        ),
        (Method::DELETE, "/api/me/conflicts/2099-001".into(), None, None, [401, 403, 404, 404, 403, 403]),
        (Method::GET, "/api/conflicts".into(), None, None, [401, 200, 403, 403, 403, 403]),
        // The appeal register: the board's, once the results are final (409 before).
        (Method::GET, format!("/api/sessions/{id}/appeals"), None, None, [401, 409, 403, 403, 403, 403]),
        (Method::GET, format!("/api/sessions/{id}/appeals/csv"), None, None, [401, 409, 403, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/sessions/{id}/appeals"),
            Some(
                json!({"candidate_number": "2026-001", "received_on": "01.08.2027", "status": "received"})
                    .to_string(),
            ),
            None,
            [401, 409, 403, 403, 403, 403],
        ),
        // Standard setting: the board's on an official session (a
        // trainer's on their school's mock exam, in `mock.rs`); a panel
        // that names no panellist is refused (422), nothing is saved.
        (
            Method::GET,
            format!("/api/sessions/{id}/standard-setting"),
            None,
            None,
            [401, 200, 403, 403, 404, 403],
        ),
        (
            Method::PUT,
            format!("/api/sessions/{id}/standard-setting"),
            Some(json!({"panellists": []}).to_string()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/standard-setting/csv?table=panel"),
            None,
            None,
            [401, 200, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/standard-setting/csv/preview"),
            Some("element;Anna\n9.9;1\n".to_owned()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/standard-setting/csv"),
            Some("element;Anna\n9.9;1\n".to_owned()),
            None,
            [401, 422, 403, 403, 404, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/standard-setting/draft-scheme"),
            None,
            None,
            [401, 409, 403, 403, 404, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (method, uri, body, if_match, expected) in &table {
        for ((caller, auth), expected) in CALLERS.iter().zip(&callers).zip(expected) {
            let csv = uri.ends_with("/csv") || uri.ends_with("/csv/preview");
            let content_type = body.as_ref().map(|_| if csv { "text/csv" } else { "application/json" });
            let bytes = body.clone().unwrap_or_default().into_bytes();
            let answer = app.send_with(method.clone(), uri, auth, content_type, bytes, *if_match).await;
            if answer.status.as_u16() != *expected {
                failures.push(format!(
                    "{method} {uri} as {caller}: expected {expected}, got {} {}",
                    answer.status, answer.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Blind double marking covers the partner's submission state too: after
/// exp-02 submits, exp-01 (not submitted yet) learns nothing from the
/// form, from the assignment list or from the evaluations route; once
/// exp-01 has submitted, both show it.
#[tokio::test]
async fn an_examiner_learns_nothing_of_the_partners_submission_before_submitting() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let position = position_uri(id, "2026-001", "1.1");
    let example = grille_scoring::embedded::example_session().unwrap();
    let scoring = example
        .candidates
        .iter()
        .find(|candidate| candidate.number == "2026-001")
        .and_then(|candidate| candidate.positions.iter().find(|p| p.position == "1.1"))
        .unwrap();
    let answers = |examiner: &str| {
        let evaluation = scoring.evaluations.iter().find(|e| e.examiner == examiner).unwrap();
        json!({"answers": evaluation.answers, "remark": evaluation.remark})
    };
    let submit = |auth: Auth, examiner: &'static str| {
        let (app, position, body) = (&app, position.clone(), answers(examiner));
        async move {
            let saved = crate::workflow::send_json(
                app,
                Method::PUT,
                &format!("{position}/evaluations/mine"),
                &auth,
                &body,
                None,
            )
            .await;
            assert_eq!(saved.status.as_u16(), 200, "{:#}", saved.body);
            let submitted = app
                .send_with(
                    Method::POST,
                    &format!("{position}/evaluations/mine/submit"),
                    &auth,
                    None,
                    Vec::new(),
                    Some(1),
                )
                .await;
            assert_eq!(submitted.status.as_u16(), 200, "{:#}", submitted.body);
        }
    };
    let exp01 = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let exp02 = app.login("exp-02", EXAMINER_PASSWORD).await.bearer();
    submit(exp02, "exp-02").await;

    let partners_in_list = |body: &serde_json::Value| {
        body.as_array()
            .unwrap()
            .iter()
            .find(|row| row["session_id"] == id && row["candidate"] == "2026-001" && row["part"] == "1")
            .and_then(|row| row["positions"].as_array())
            .and_then(|rows| rows.iter().find(|row| row["position"] == "1.1"))
            .map(|row| row["partners_submitted"].clone())
            .unwrap()
    };
    let form = app.get(&format!("{position}/form"), &exp01).await;
    assert_eq!(form.status.as_u16(), 200, "{:#}", form.body);
    assert_eq!(form.body["partners_submitted"], serde_json::Value::Null, "form before submitting");
    let listed = app.get("/api/me/assignments", &exp01).await;
    assert_eq!(partners_in_list(&listed.body), serde_json::Value::Null, "list before submitting");
    app.get(&format!("{position}/evaluations"), &exp01).await.problem(403, "evaluations before submitting");
    // The board, who may read every evaluation, sees the state.
    assert_eq!(app.get(&format!("{position}/form"), &admin).await.body["partners_submitted"], false);

    submit(exp01.clone(), "exp-01").await;
    assert_eq!(app.get(&format!("{position}/form"), &exp01).await.body["partners_submitted"], true);
    assert_eq!(partners_in_list(&app.get("/api/me/assignments", &exp01).await.body), true);
}
