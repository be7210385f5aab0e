use axum::http::StatusCode;
use grille_store::sha256_hex;
use serde_json::{Value, json};

use crate::support::{TestApp, spawn_app};

fn numbers(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_session_without_documents_pins_the_shipped_federal_exam() {
    use grille_scoring::embedded;
    let app = spawn_app();
    let admin = app.admin().await;
    let answer = app
        .post_json(
            "/api/sessions",
            &admin.bearer(),
            &json!({"name": "Printemps 2027", "exam_date": "2027-05-03"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    assert_eq!(answer.body["state"], "enrolment");
    let documents = answer.body["documents"].as_array().unwrap();
    let pinned: Vec<(&str, &str)> =
        documents.iter().map(|d| (d["slot"].as_str().unwrap(), d["sha256"].as_str().unwrap())).collect();
    let mut expected = vec![
        ("blueprint".to_owned(), sha256_hex(embedded::BLUEPRINT.text)),
        ("catalogue".to_owned(), sha256_hex(grille_competence::EMBEDDED_CATALOGUE_JSON)),
        ("scheme".to_owned(), sha256_hex(embedded::GRADING_SCHEME.text)),
    ];
    for file in embedded::RUBRICS {
        let id = serde_json::from_str::<Value>(file.text).unwrap()["id"].as_str().unwrap().to_owned();
        expected.push((format!("rubric:{id}"), sha256_hex(file.text)));
    }
    expected.sort();
    let expected: Vec<(&str, &str)> = expected.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(pinned, expected);
    let id = answer.body["id"].as_i64().unwrap();
    let again = app.get(&format!("/api/sessions/{id}"), &admin.bearer()).await;
    assert_eq!(again.body, answer.body);
}

#[tokio::test]
async fn an_uploaded_scheme_is_pinned_by_its_exact_text() {
    use grille_scoring::embedded;
    let app = spawn_app();
    let admin = app.admin().await;
    let scheme =
        embedded::GRADING_SCHEME.text.replacen("\"version\": \"1.0\"", "\"version\": \"1.1-board\"", 1);
    assert_ne!(scheme, embedded::GRADING_SCHEME.text, "the fixture must change the version");
    let answer = app
        .post_json("/api/sessions", &admin.bearer(), &json!({"name": "Automne 2027", "scheme": scheme}))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    let slot =
        answer.body["documents"].as_array().unwrap().iter().find(|d| d["slot"] == "scheme").unwrap().clone();
    assert_eq!(
        (slot["sha256"].as_str().unwrap(), slot["version"].as_str().unwrap()),
        (sha256_hex(&scheme).as_str(), "1.1-board")
    );
}

#[tokio::test]
async fn bad_session_documents_are_reported_by_pointer() {
    let app = spawn_app();
    let admin = app.admin().await;
    let answer = app
        .post_json(
            "/api/sessions",
            &admin.bearer(),
            &json!({"name": " ", "exam_date": "03.05.2027", "catalogue_id": "other", "blueprint": "{oops",
                    "scheme": "[1]", "rubrics": {"a/b": "{}"}}),
        )
        .await;
    let problem = answer.problem(422, "bad documents");
    let pointers: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(
        pointers,
        [
            "/name",
            "/exam_date",
            "/catalogue_id",
            "/scheme",
            "/blueprint",
            // The empty rubric lacks its id, version, title and criteria.
            "/rubrics/a~1b",
            "/rubrics/a~1b",
            "/rubrics/a~1b",
            "/rubrics/a~1b"
        ]
    );
    assert!(app.get("/api/sessions", &admin.bearer()).await.body.as_array().unwrap().is_empty());
}

async fn enrol_csv(
    app: &TestApp,
    auth: &crate::support::Auth,
    session: i64,
    csv: &str,
) -> crate::support::Answer {
    app.post_raw(&format!("/api/sessions/{session}/candidates/csv"), auth, "text/csv; charset=utf-8", csv)
        .await
}

#[tokio::test]
async fn csv_enrolment_reports_every_bad_line_and_saves_nothing() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let csv = "numero,nom,prenom,courriel\n\
               2027-001,Muster,Anna,anna@example.ch\n\
               bad number,Muster,Bea,\n\
               2027-003,Muster,Carla,not-an-email\n\
               2027-001,Muster,Dora,\n\
               2027-005,,Eva,\n\
               2027-006,Muster\n\
               2027-007,Muster,Fritz,\n";
    let answer = enrol_csv(&app, &admin.bearer(), session, csv).await;
    let problem = answer.problem(422, "bad csv");
    let found: Vec<(u64, Option<&str>)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str()))
        .collect();
    assert_eq!(
        found,
        [(3, Some("number")), (4, Some("email")), (5, Some("number")), (6, Some("family_name")), (7, None)]
    );
    let list = app.get(&format!("/api/sessions/{session}/candidates"), &admin.bearer()).await;
    assert!(list.body.as_array().unwrap().is_empty(), "nothing may be saved: {:#}", list.body);

    let good = "number,family_name,given_name,email\n2027-001,Muster,Anna,anna@example.ch\n\n2027-002,Beispiel,Ben,\n";
    let answer = enrol_csv(&app, &admin.bearer(), session, good).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    assert_eq!(answer.body["enrolled"], 2);
    let list = app.get(&format!("/api/sessions/{session}/candidates"), &admin.bearer()).await;
    assert_eq!(numbers(&list.body), ["2027-001", "2027-002"]);
    assert_eq!(list.body[0]["email"], "anna@example.ch");

    // Enrolling the same number again is reported on its line.
    let again = enrol_csv(&app, &admin.bearer(), session, "numero,nom,prenom\n2027-002,Beispiel,Ben\n").await;
    assert_eq!(again.problem(422, "again")["errors"][0]["line"], 2);
}

#[tokio::test]
async fn csv_preview_checks_like_the_enrolment_and_saves_nothing() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let preview = |csv: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            app.post_raw(
                &format!("/api/sessions/{session}/candidates/csv/preview"),
                &admin.bearer(),
                "text/csv; charset=utf-8",
                csv,
            )
            .await
        }
    };
    let bad = preview("numero,nom,prenom\n2027-001,Muster,Anna\nbad number,Muster,Bea\n").await;
    assert_eq!(bad.problem(422, "bad preview")["errors"][0]["line"], 3);
    let good = preview("numero,nom,prenom,courriel\n2027-001,Muster,Anna,anna@example.ch\n").await;
    assert_eq!(good.status, StatusCode::OK, "{:#}", good.body);
    assert_eq!(good.body["candidates"][0]["number"], "2027-001");
    assert_eq!(good.body["candidates"][0]["email"], "anna@example.ch");
    let list = app.get(&format!("/api/sessions/{session}/candidates"), &admin.bearer()).await;
    assert!(list.body.as_array().unwrap().is_empty(), "a preview saves nothing: {:#}", list.body);
}

#[tokio::test]
async fn csv_header_problems_are_on_line_one() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let answer = enrol_csv(&app, &admin.bearer(), session, "numero,surname\n1,A\n").await;
    let problem = answer.problem(422, "bad header");
    let fields: Vec<(u64, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [(1, "surname"), (1, "family_name"), (1, "given_name")]);
    enrol_csv(&app, &admin.bearer(), session, "").await.problem(422, "empty file");
    app.post_raw(
        &format!("/api/sessions/{session}/candidates/csv"),
        &admin.bearer(),
        "application/json",
        "{}",
    )
    .await
    .problem(415, "csv route with JSON");
}

#[tokio::test]
async fn json_enrolment_reports_by_pointer() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let uri = format!("/api/sessions/{session}/candidates");
    let bad = json!({"candidates": [
        {"number": "A1", "family_name": "X", "given_name": "Y"},
        {"number": "A1", "family_name": "X", "given_name": ""},
    ]});
    let problem = app.post_json(&uri, &admin.bearer(), &bad).await;
    let pointers: Vec<&str> = problem.problem(422, "json enrol")["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/candidates/1/number", "/candidates/1/given_name"]);
    let good = json!({"candidates": [{"number": "A1", "family_name": "X", "given_name": "Y"}]});
    assert_eq!(app.post_json(&uri, &admin.bearer(), &good).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn examiners_are_assigned_per_candidate_and_part() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let enrol = json!({"candidates": [{"number": "A1", "family_name": "X", "given_name": "Y"}]});
    app.post_json(&format!("/api/sessions/{session}/candidates"), &admin.bearer(), &enrol).await;
    let uri = format!("/api/sessions/{session}/assignments");
    let ok = app
        .post_json(
            &uri,
            &admin.bearer(),
            &json!({"candidate_number": "A1", "part": "1", "examiner": "expert"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:#}", ok.body);
    app.post_json(
        &uri,
        &admin.bearer(),
        &json!({"candidate_number": "A1", "part": "1", "examiner": "expert"}),
    )
    .await
    .problem(409, "twice");
    let bad = app
        .post_json(&uri, &admin.bearer(), &json!({"candidate_number": "Z9", "part": "", "examiner": "admin"}))
        .await;
    let pointers: Vec<&str> = bad.problem(422, "bad assignment")["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/part", "/examiner", "/candidate_number"]);
    let list = app.get(&uri, &admin.bearer()).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["examiner"], "expert");
}

#[tokio::test]
async fn every_write_is_in_the_audit_log() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    app.post_raw(
        &format!("/api/sessions/{session}/candidates/csv"),
        &admin.bearer(),
        "text/csv",
        "numero,nom,prenom\nA1,Muster,Anna\n",
    )
    .await;
    app.post_json(
        &format!("/api/sessions/{session}/assignments"),
        &admin.bearer(),
        &json!({"candidate_number": "A1", "part": "2", "examiner": "expert"}),
    )
    .await;
    app.post_json(
        "/api/users",
        &admin.bearer(),
        &json!({"username": "new.user", "password": "long-enough-pw", "role": "candidate"}),
    )
    .await;
    // A refused write leaves no entry.
    app.post_json("/api/sessions", &admin.bearer(), &json!({"name": ""})).await.problem(422, "refused");
    let log = app.get("/api/audit?limit=6", &admin.bearer()).await;
    assert_eq!(log.status, StatusCode::OK, "{:#}", log.body);
    let entries: Vec<(&str, &str)> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            ("admin", "user.create"),
            ("admin", "assignment.create"),
            ("admin", "candidate.enrol"),
            ("admin", "session.create"),
            ("admin", "user.login"),
            ("system", "user.create"),
        ]
    );
    assert!(!log.body.to_string().contains("Muster"), "personal data must stay out of the audit log");
    let filtered =
        app.get(&format!("/api/audit?entity=exam_session&entity_id={session}"), &admin.bearer()).await;
    assert_eq!(filtered.body.as_array().unwrap().len(), 1);
    assert_eq!(filtered.body[0]["after"]["name"], "Printemps 2027");
    app.get("/api/audit", &app.expert().await.bearer()).await.problem(403, "expert reads the audit log");
}
