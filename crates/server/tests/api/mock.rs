//! Mock exams (examens blancs) of a training school: a trainer runs one
//! from creation to published results through the API alone; the access
//! table of the mock-session routes; bad input.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use grille_scoring::embedded;
use serde_json::{Value, json};

use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{
    EXAMINER_PASSWORD, actual_results, expected_results, part_of, position_uri, score_example, send_json,
};

pub(crate) const TRAINER_PASSWORD: &str = "trainer-password-1";

/// Creates a school and returns its id.
async fn school(app: &TestApp, admin: &Auth, name: &str) -> i64 {
    let answer = app.post_json("/api/schools", admin, &json!({"name": name})).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    answer.body["id"].as_i64().unwrap()
}

async fn user(app: &TestApp, admin: &Auth, body: Value) {
    let answer = app.post_json("/api/users", admin, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{body}: {:#}", answer.body);
}

/// School A with `formatrice` (who runs the mock exam) and one trainer per
/// examiner id of the worked example (who score it); school B with
/// `autre-ecole`. Returns (school A, school B).
pub(crate) async fn schools_and_trainers(app: &TestApp, admin: &Auth) -> (i64, i64) {
    let a = school(app, admin, "École A").await;
    let b = school(app, admin, "École B").await;
    user(
        app,
        admin,
        json!({"username": "formatrice", "password": TRAINER_PASSWORD, "role": "trainer", "school_id": a}),
    )
    .await;
    user(
        app,
        admin,
        json!({"username": "autre-ecole", "password": TRAINER_PASSWORD, "role": "trainer", "school_id": b}),
    )
    .await;
    let example = embedded::example_session().unwrap();
    let names: BTreeSet<&str> = example
        .candidates
        .iter()
        .flat_map(|c| c.positions.iter())
        .flat_map(|p| p.evaluations.iter())
        .map(|e| e.examiner.as_str())
        .collect();
    for name in names {
        user(
            app,
            admin,
            json!({"username": name, "password": EXAMINER_PASSWORD, "role": "trainer", "school_id": a}),
        )
        .await;
    }
    (a, b)
}

/// `formatrice` creates a mock session, enrols the example's cohort by
/// CSV, assigns the school's trainers by CSV, records statuses and opens the
/// scoring. Returns the session id.
pub(crate) async fn prepare_mock(app: &TestApp, trainer: &Auth) -> i64 {
    let example = embedded::example_session().unwrap();
    let created =
        app.post_json("/api/sessions", trainer, &json!({"name": "Examen blanc de printemps"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    assert_eq!(created.body["kind"], "mock");
    let id = created.body["id"].as_i64().unwrap();
    let mut csv = String::from("numero,nom,prenom\n");
    for candidate in &example.candidates {
        csv.push_str(&format!("{},Classe,Élève\n", candidate.number));
    }
    let enrolled =
        app.post_raw(&format!("/api/sessions/{id}/candidates/csv"), trainer, "text/csv", &csv).await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);
    let mut assignments = BTreeSet::new();
    for candidate in &example.candidates {
        for scoring in &candidate.positions {
            for evaluation in &scoring.evaluations {
                assignments.insert((
                    candidate.number.clone(),
                    part_of(&scoring.position),
                    evaluation.examiner.clone(),
                ));
            }
        }
        let status = serde_json::to_value(candidate.status).unwrap();
        if status != "present" {
            let uri = format!("/api/sessions/{id}/candidates/{}/status", candidate.number);
            let answer = send_json(app, Method::PUT, &uri, trainer, &json!({"status": status}), None).await;
            assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        }
    }
    // The school's trainers are assigned by one CSV file, German header.
    let mut csv = String::from("Nummer;Teil;Experte\n");
    for (number, part, examiner) in &assignments {
        csv.push_str(&format!("{number};{part};{examiner}\n"));
    }
    let answer =
        app.post_raw(&format!("/api/sessions/{id}/assignments/csv"), trainer, "text/csv", &csv).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    assert_eq!(answer.body["assigned"], assignments.len());
    // The school's own copies of the example's cases, in its bank.
    crate::workflow::assign_example_cases(app, trainer, id).await;
    let started = app.post_json(&format!("/api/sessions/{id}/scoring"), trainer, &json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{:#}", started.body);
    id
}

#[tokio::test]
async fn a_trainer_runs_a_mock_exam_to_published_results_through_the_api() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (a, _) = schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let id = prepare_mock(&app, &formatrice).await;

    // Blind double marking holds for a trainer who scores: no results
    // preview before submitting; the trainer running the session sees it.
    let scorer = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    app.get(&format!("/api/sessions/{id}/results"), &scorer).await.problem(403, "scorer before submitting");
    let preview = app.get(&format!("/api/sessions/{id}/results"), &formatrice).await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    assert_eq!((preview.body["kind"].as_str(), preview.body["final"].as_bool()), (Some("mock"), Some(false)));

    // A trainer who scores lists their own assignments like an examiner.
    let assigned = app.get("/api/me/assignments", &scorer).await;
    assert_eq!(assigned.status, StatusCode::OK, "{:#}", assigned.body);
    assert!(assigned.body.as_array().is_some_and(|rows| !rows.is_empty()), "{:#}", assigned.body);

    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &formatrice, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    assert_eq!(finalised.body["kind"], "mock");
    // Same documents, same rules: the grades are the scoring crate's.
    assert_eq!(actual_results(&finalised.body), expected_results());

    // A candidate account of the cohort sees the result once published, marked mock.
    user(
        &app,
        &admin,
        json!({"username": "eleve-001", "password": "candidate-password", "role": "candidate",
               "candidate_number": "2026-001", "school_id": a}),
    )
    .await;
    let eleve = app.login("eleve-001", "candidate-password").await.bearer();
    assert_eq!(app.get("/api/me/results", &eleve).await.body, json!([]));
    let published = app.post_json(&format!("/api/sessions/{id}/publish"), &formatrice, &json!({})).await;
    assert_eq!(published.body["state"], "published", "{:#}", published.body);
    let mine = app.get("/api/me/results", &eleve).await;
    assert_eq!(mine.body.as_array().map(Vec::len), Some(1), "{:#}", mine.body);
    assert_eq!(mine.body[0]["kind"], "mock");
    assert_eq!(mine.body[0]["result"]["number"], "2026-001");

    // The export says it is a mock exam.
    let csv = app.get(&format!("/api/sessions/{id}/results/csv"), &formatrice).await;
    assert_eq!(csv.status, StatusCode::OK);
    let disposition = csv.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains("examen-blanc"), "{disposition}");

    // The board sees the description, not the cohort or the results.
    let seen = app.get(&format!("/api/sessions/{id}"), &admin).await;
    assert_eq!((seen.status, seen.body["kind"].as_str()), (StatusCode::OK, Some("mock")));
    app.get(&format!("/api/sessions/{id}/results"), &admin).await.problem(403, "board on mock results");
    // Audit: the trainer's writes are recorded under their name.
    let audit = app.get(&format!("/api/audit?entity=exam_session&entity_id={id}"), &admin).await;
    let actors: BTreeSet<&str> =
        audit.body.as_array().unwrap().iter().filter_map(|e| e["actor"].as_str()).collect();
    assert_eq!(actors, BTreeSet::from(["formatrice"]));
    // ... but the board's audit reads say nothing about the cohort: no
    // evaluation, agreed evaluation, result, assignment or candidate entry
    // of the mock session, and its finalisation entry without the results.
    let finalisation = audit.body.as_array().unwrap().iter().find(|e| e["action"] == "session.finalised");
    let finalisation = finalisation.expect("the finalisation is recorded");
    assert_eq!(finalisation["after"]["workflow_state"], "finalised");
    assert_eq!(finalisation["after"].get("results"), None, "{finalisation:#}");
    for entity in ["evaluation", "agreed_evaluation", "result", "examiner_assignment", "candidate"] {
        let entries = app.get(&format!("/api/audit?entity={entity}&limit=1000"), &admin).await;
        assert_eq!(entries.status, StatusCode::OK);
        assert_eq!(entries.body, json!([]), "{entity}");
    }
    for uri in [
        "/api/audit?entity=candidate&entity_id=2026-001".to_owned(),
        format!("/api/audit?entity=result&entity_id={id}/2026-001"),
        "/api/audit?limit=1000".to_owned(),
    ] {
        let entries = app.get(&uri, &admin).await;
        let about_cohort: Vec<&Value> = entries
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                ["evaluation", "agreed_evaluation", "result", "examiner_assignment", "candidate"]
                    .contains(&e["entity"].as_str().unwrap_or_default())
                    || e["after"].get("results").is_some()
                    || e["after"].get("candidate_number").is_some()
            })
            .collect();
        assert!(about_cohort.is_empty(), "{uri}: {about_cohort:#?}");
    }
}

#[tokio::test]
async fn sessions_outside_a_trainers_reach_do_not_exist_for_them() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let other = app.login("autre-ecole", TRAINER_PASSWORD).await.bearer();
    let mock = app.post_json("/api/sessions", &formatrice, &json!({"name": "Blanc A"})).await.body["id"]
        .as_i64()
        .unwrap();
    let official = app.session(&app.admin().await).await;
    for (id, caller, label) in [(official, &formatrice, "official"), (mock, &other, "other school")] {
        for uri in [
            format!("/api/sessions/{id}"),
            format!("/api/sessions/{id}/results"),
            format!("/api/sessions/{id}/candidates"),
            format!("/api/sessions/{id}/candidates/X-1/positions/1.1/evaluations"),
        ] {
            let answer = app.get(&uri, caller).await;
            let problem = answer.problem(404, label);
            // Word for word the answer for a session that does not exist.
            assert_eq!(problem["detail"], "Session d'examen introuvable.", "{uri}");
        }
        let enrol = app
            .post_json(
                &format!("/api/sessions/{id}/candidates"),
                caller,
                &json!({"candidates": [{"number": "2026-001", "family_name": "X", "given_name": "Y"}]}),
            )
            .await;
        enrol.problem(404, label);
    }
    let listed = app.get("/api/sessions", &formatrice).await;
    let ids: Vec<i64> = listed.body.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [mock]);
    assert!(app.get("/api/sessions", &other).await.body.as_array().unwrap().is_empty());
    let board = app.get("/api/sessions", &admin).await;
    assert_eq!(board.body.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_input_about_schools_and_mock_sessions_is_refused_with_pointers() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (a, b) = schools_and_trainers(&app, &admin).await;
    // Users: a trainer needs a known school; an examiner has none.
    let cases = [
        (
            json!({"username": "t-un", "password": TRAINER_PASSWORD, "role": "trainer", "school_id": 999}),
            "/school_id",
        ),
        (json!({"username": "t-deux", "password": TRAINER_PASSWORD, "role": "trainer"}), "/school_id"),
        (
            json!({"username": "e-un", "password": TRAINER_PASSWORD, "role": "examiner", "school_id": a}),
            "/school_id",
        ),
    ];
    for (body, pointer) in cases {
        let answer = app.post_json("/api/users", &admin, &body).await;
        assert_eq!(answer.problem(422, pointer)["errors"][0]["pointer"], pointer, "{body}");
    }
    // Schools: empty and duplicate names, unknown id, deletion of a school in use.
    app.post_json("/api/schools", &admin, &json!({"name": " "})).await.problem(422, "empty name");
    app.post_json("/api/schools", &admin, &json!({"name": "École A"})).await.problem(409, "duplicate");
    app.get("/api/schools/999", &admin).await.problem(404, "unknown school");
    app.send(Method::DELETE, &format!("/api/schools/{a}"), &admin, None, Vec::new())
        .await
        .problem(409, "in use");
    let trainer = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    app.get("/api/schools", &trainer).await.problem(403, "schools are the board's");
    // Kinds: a trainer never creates an official session, the board never a mock one.
    app.post_json("/api/sessions", &trainer, &json!({"name": "X", "kind": "official"}))
        .await
        .problem(403, "trainer official");
    app.post_json("/api/sessions", &admin, &json!({"name": "X", "kind": "mock"}))
        .await
        .problem(403, "board mock");
    let expert = app.expert().await.bearer();
    app.post_json("/api/sessions", &expert, &json!({"name": "X"})).await.problem(403, "examiner");
    // Registers: a number is unique within its register only. A school
    // enrols any number, with the same answers whether or not the board
    // (or another school) uses it: no existence oracle (ASVS). The two
    // candidates stay apart.
    let official = app.session(&app.admin().await).await;
    let enrolled = app
        .post_json(
            &format!("/api/sessions/{official}/candidates"),
            &admin,
            &json!({"candidates": [{"number": "OFF-1", "family_name": "Officielle", "given_name": "B"}]}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED);
    let mock = app.post_json("/api/sessions", &trainer, &json!({"name": "Blanc"})).await.body["id"]
        .as_i64()
        .unwrap();
    // CSV errors by line, and nothing of an official number in them.
    let csv = "numero,nom,prenom\nECA-1,Muster,Anna\nOFF-1,Muster,Beat\nnot a number!,X,Y\n";
    let answer =
        app.post_raw(&format!("/api/sessions/{mock}/candidates/csv"), &trainer, "text/csv", csv).await;
    let errors = answer.problem(422, "csv")["errors"].as_array().unwrap().clone();
    let lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [4], "{errors:?}");
    let fresh = "numero,nom,prenom\nECA-1,Muster,Anna\nNEW-9,Muster,Beat\n";
    let taken = "numero,nom,prenom\nECA-1,Muster,Anna\nOFF-1,Muster,Beat\n";
    for route in ["csv/preview"] {
        let uri = format!("/api/sessions/{mock}/candidates/{route}");
        let a = app.post_raw(&uri, &trainer, "text/csv", fresh).await;
        let b = app.post_raw(&uri, &trainer, "text/csv", taken).await;
        assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK), "{:#} {:#}", a.body, b.body);
    }
    let by_json = app
        .post_json(
            &format!("/api/sessions/{mock}/candidates"),
            &trainer,
            &json!({"candidates": [{"number": "OFF-1", "family_name": "Ecole", "given_name": "C"}]}),
        )
        .await;
    assert_eq!(by_json.status, StatusCode::CREATED, "{:#}", by_json.body);
    // Two candidates: the board's OFF-1 keeps its name, the school's has its own.
    let board_view = app.get("/api/candidates/OFF-1/personal-data", &admin).await;
    assert_eq!(board_view.body["identity"]["family_name"], "Officielle", "{:#}", board_view.body);
    let sessions: Vec<i64> = board_view.body["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["session_id"].as_i64().unwrap())
        .collect();
    assert_eq!(sessions, [official]);
    let cohort = app.get(&format!("/api/sessions/{mock}/candidates"), &trainer).await;
    assert_eq!(cohort.body[0]["number"], "OFF-1", "{:#}", cohort.body);
    assert_ne!(cohort.body[0]["family_name"], "Officielle", "{:#}", cohort.body);
    // Assignments: only trainers of the school score a mock exam.
    let ok = app
        .post_json(
            &format!("/api/sessions/{mock}/candidates"),
            &trainer,
            &json!({"candidates": [{"number": "ECA-1", "family_name": "A", "given_name": "B"}]}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:#}", ok.body);
    for examiner in ["expert", "autre-ecole", "nobody"] {
        let body = json!({"candidate_number": "ECA-1", "part": "1", "examiner": examiner});
        let answer = app.post_json(&format!("/api/sessions/{mock}/assignments"), &trainer, &body).await;
        assert_eq!(answer.problem(422, examiner)["errors"][0]["pointer"], "/examiner");
    }
    // A cohort account must belong to the school of its number.
    let body = json!({"username": "eleve", "password": "candidate-password", "role": "candidate",
                      "candidate_number": "ECA-1", "school_id": b});
    app.post_json("/api/users", &admin, &body).await.problem(422, "cohort of another school");
}

/// Columns: anonymous, board, trainer running the session, trainer
/// assigned (exp-01, part 1 of 2026-001), trainer of another school,
/// examiner, candidate of the cohort.
const CALLERS: [&str; 7] =
    ["anonymous", "board", "formatrice", "exp-01 (assigned)", "other school", "examiner", "cohort candidate"];

type Row = (Method, String, Option<String>, Option<i64>, [u16; 7]);

#[tokio::test]
async fn every_mock_session_route_answers_each_caller_as_the_table_says() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (a, _) = schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let id = prepare_mock(&app, &formatrice).await;
    user(
        &app,
        &admin,
        json!({"username": "eleve", "password": "candidate-password", "role": "candidate",
               "candidate_number": "2026-001", "school_id": a}),
    )
    .await;
    let callers = [
        Auth::None,
        admin.clone(),
        formatrice.clone(),
        app.login("exp-01", EXAMINER_PASSWORD).await.bearer(),
        app.login("autre-ecole", TRAINER_PASSWORD).await.bearer(),
        app.expert().await.bearer(),
        app.login("eleve", "candidate-password").await.bearer(),
    ];
    let position = position_uri(id, "2026-001", "1.1");
    let unknown = position_uri(id, "NOPE-1", "1.1");
    let correction =
        json!({"position": "1.1", "reason": "Recours", "evaluation": {"answers": []}}).to_string();
    let bad_answers = json!({"answers": [{"criterion": "zz"}]}).to_string();
    let table: Vec<Row> = vec![
        (Method::GET, format!("/api/sessions/{id}"), None, None, [401, 200, 200, 200, 404, 403, 403]),
        (
            Method::GET,
            format!("/api/sessions/{id}/candidates"),
            None,
            None,
            [401, 403, 200, 200, 404, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/assignments"),
            None,
            None,
            [401, 403, 200, 200, 404, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/progress"),
            None,
            None,
            [401, 403, 200, 200, 404, 403, 403],
        ),
        // exp-01 still has marks to submit: blind double marking.
        (Method::GET, format!("/api/sessions/{id}/results"), None, None, [401, 403, 200, 403, 404, 403, 403]),
        (
            Method::GET,
            format!("/api/sessions/{id}/results/csv"),
            None,
            None,
            [401, 403, 200, 403, 404, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/sessions/{id}/candidates/2026-001/file"),
            None,
            None,
            [401, 404, 200, 403, 404, 403, 403],
        ),
        // A school's cohort does not exist for the board: every route about
        // one of its candidates answers 404, word for word as for a number
        // that is not enrolled (decided before the number is looked up).
        (Method::GET, format!("{position}/evaluations"), None, None, [401, 404, 200, 403, 404, 404, 403]),
        (Method::GET, format!("{unknown}/evaluations"), None, None, [401, 404, 404, 404, 404, 404, 404]),
        (
            Method::GET,
            format!("{position}/evaluations/mine"),
            None,
            None,
            [401, 404, 403, 404, 404, 404, 403],
        ),
        (
            Method::PUT,
            format!("{position}/evaluations/mine"),
            Some(bad_answers.clone()),
            None,
            [401, 404, 403, 422, 404, 404, 403],
        ),
        (
            Method::POST,
            format!("{position}/evaluations/mine/submit"),
            None,
            Some(1),
            [401, 404, 403, 409, 404, 404, 403],
        ),
        (
            Method::PUT,
            format!("{position}/agreed"),
            Some(bad_answers.clone()),
            None,
            [401, 404, 403, 403, 404, 404, 403],
        ),
        // The scoring form and the grade preview: scoring data of the cohort
        // (for those who score it: formatrice is not assigned here).
        (Method::GET, format!("{position}/form"), None, None, [401, 404, 403, 200, 404, 404, 403]),
        (Method::GET, format!("{unknown}/form"), None, None, [401, 404, 404, 404, 404, 404, 404]),
        (
            Method::POST,
            format!("{position}/evaluations/preview"),
            Some(json!({"answers": []}).to_string()),
            None,
            [401, 404, 403, 200, 404, 404, 403],
        ),
        (
            Method::POST,
            format!("{unknown}/evaluations/preview"),
            Some(json!({"answers": []}).to_string()),
            None,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/finalise"),
            Some("{}".into()),
            None,
            [401, 403, 409, 409, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/publish"),
            Some("{}".into()),
            None,
            [401, 403, 409, 409, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/scoring"),
            Some("{}".into()),
            None,
            [401, 403, 409, 409, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates"),
            Some(
                json!({"candidates": [{"number": "2026-001", "family_name": "X", "given_name": "Y"}]})
                    .to_string(),
            ),
            None,
            [401, 403, 422, 422, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/assignments"),
            Some(json!({"candidate_number": "2026-001", "part": "1", "examiner": "expert"}).to_string()),
            None,
            [401, 403, 422, 422, 404, 403, 403],
        ),
        // A CSV file with an unknown examiner: refused, nothing saved.
        (
            Method::POST,
            format!("/api/sessions/{id}/assignments/csv"),
            Some("numero;epreuve;expert\n2026-001;1.1;personne\n".into()),
            None,
            [401, 403, 422, 422, 404, 403, 403],
        ),
        // A CSV file with an unknown examiner: refused, nothing saved.
        (
            Method::POST,
            format!("/api/sessions/{id}/assignments/csv/preview"),
            Some("numero;epreuve;expert\n2026-001;1.1;personne\n".into()),
            None,
            [401, 403, 422, 422, 404, 403, 403],
        ),
        (
            Method::PUT,
            format!("/api/sessions/{id}/candidates/2026-001/status"),
            Some(json!({"status": "present"}).to_string()),
            None,
            [401, 404, 200, 200, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates/2026-001/corrections"),
            Some("{}".into()),
            Some(1),
            // The body's shape is refused before the session is read, for
            // anyone logged in with a role that may correct: nothing leaks.
            [401, 422, 422, 422, 422, 403, 403],
        ),
        // A well-formed correction: the board learns nothing about the number.
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates/2026-001/corrections"),
            Some(correction.clone()),
            Some(1),
            [401, 404, 409, 409, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/sessions/{id}/candidates/NOPE-1/corrections"),
            Some(correction.clone()),
            Some(1),
            [401, 404, 404, 404, 404, 403, 403],
        ),
        (
            Method::PUT,
            format!("/api/sessions/{id}/retention"),
            Some(json!({"until": "2099-12-31"}).to_string()),
            None,
            [401, 403, 200, 200, 404, 403, 403],
        ),
        (Method::GET, "/api/me/results".into(), None, None, [401, 403, 403, 403, 403, 403, 200]),
        // The board's personal-data routes: a number of a school's register
        // does not exist for the board (404 as for an unknown number).
        (
            Method::GET,
            "/api/candidates/2026-001/personal-data".into(),
            None,
            None,
            [401, 404, 403, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/candidates/NOPE-1/personal-data".into(),
            None,
            None,
            [401, 404, 403, 403, 403, 403, 403],
        ),
        (
            Method::DELETE,
            "/api/candidates/2026-001/personal-data".into(),
            None,
            None,
            [401, 404, 403, 403, 403, 403, 403],
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
