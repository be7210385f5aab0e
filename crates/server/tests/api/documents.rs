//! The document bank: schemes, blueprints and rubrics written through the
//! API, checked as files are, versioned, pinned by the sessions created
//! from them, compared, and copied for next year's exam.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::send_json;

fn rubric(version: &str, first_level_points: Value) -> Value {
    json!({
        "id": "grille-test",
        "version": version,
        "title": {"fr": "Grille de test", "de": "Testraster"},
        "criteria": [
            {"id": "k1", "title": {"fr": "Analyse"}, "catalogue_criteria": ["A1.p2"],
             "levels": [{"points": first_level_points, "descriptor": {"fr": "non"}}, {"points": 3, "descriptor": {"fr": "oui"}}]},
            {"id": "k2", "title": {"fr": "Attitude"}, "competences": ["A3"], "weight": "2",
             "levels": [{"points": 0, "descriptor": {"fr": "non"}}, {"points": 2, "descriptor": {"fr": "oui"}}]}
        ]
    })
}

async fn create(app: &TestApp, auth: &Auth, kind: &str, document: Value) -> crate::support::Answer {
    app.post_json("/api/documents", auth, &json!({"kind": kind, "document": document})).await
}

#[tokio::test]
async fn a_rubric_is_written_checked_versioned_pinned_and_compared() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();

    // Bad input: every problem at its pointer under /document, nothing saved.
    let refused = create(&app, &admin, "rubric", rubric("1", json!(-1))).await;
    let problem = refused.problem(422, "negative level");
    let pointers: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().filter_map(|e| e["pointer"].as_str()).collect();
    assert!(pointers.contains(&"/document/criteria/0/levels/0/points"), "{pointers:?}");
    let mut duplicate_criterion = rubric("1", json!(0));
    duplicate_criterion["criteria"][1]["id"] = json!("k1");
    let refused = create(&app, &admin, "rubric", duplicate_criterion).await;
    assert!(refused.problem(422, "k1 twice")["errors"].to_string().contains("/document/criteria/1/id"));
    let mut unknown = rubric("1", json!(0));
    unknown["criteria"][0]["catalogue_criteria"] = json!(["Z9.p1"]);
    create(&app, &admin, "rubric", unknown).await.problem(422, "criterion not in the catalogue");
    assert!(app.get("/api/documents", &admin).await.body.as_array().unwrap().is_empty());

    // A draft, its preview (maximum 3 + 2 × 2 = 7 points, grade table, coverage).
    let created = create(&app, &admin, "rubric", rubric("1", json!(0))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    let row = created.body["summary"]["id"].as_i64().unwrap();
    assert_eq!(created.body["summary"]["state"], "draft");
    assert_eq!(created.body["preview"]["max_points"], "7");
    let grades = created.body["preview"]["grades"].as_array().unwrap();
    assert_eq!(grades.len(), 8);
    assert_eq!((grades[7]["points"].as_str(), grades[7]["grade"].as_str()), (Some("7"), Some("6.0")));
    let coverage = created.body["preview"]["coverage"].to_string();
    assert!(coverage.contains("A1") && coverage.contains("A3"), "{coverage}");
    // The same version twice is refused.
    create(&app, &admin, "rubric", rubric("1", json!(0))).await.problem(409, "same version");

    // Edits need the version they started from; a second tab is refused.
    let uri = format!("/api/documents/{row}");
    let edited =
        send_json(&app, Method::PUT, &uri, &admin, &json!({"document": rubric("1", json!(1))}), Some(1))
            .await;
    assert_eq!(edited.status, StatusCode::OK, "{:#}", edited.body);
    let stale =
        send_json(&app, Method::PUT, &uri, &admin, &json!({"document": rubric("1", json!(0))}), Some(1))
            .await;
    stale.problem(409, "stale edit");
    assert_eq!(app.get(&uri, &admin).await.body["document"]["criteria"][0]["levels"][0]["points"], "1");
    let without =
        send_json(&app, Method::PUT, &uri, &admin, &json!({"document": rubric("1", json!(0))}), None).await;
    without.problem(428, "no If-Match");

    // A draft cannot be pinned; ready, it can, and it is then used.
    let state_uri = format!("/api/documents/{row}/state");
    let session = json!({"name": "Examen 2027", "bank": {"rubrics": [row]}});
    let refused = app.post_json("/api/sessions", &admin, &session).await;
    assert!(refused.problem(422, "draft pinned")["errors"].to_string().contains("/bank/rubrics/0"));
    let ready = send_json(&app, Method::POST, &state_uri, &admin, &json!({"state": "ready"}), Some(2)).await;
    assert_eq!(ready.status, StatusCode::OK, "{:#}", ready.body);
    // The blueprint names other rubric ids: this one is pinned beside them.
    let pinned = app.post_json("/api/sessions", &admin, &session).await;
    assert_eq!(pinned.status, StatusCode::CREATED, "{:#}", pinned.body);
    let documents = pinned.body["documents"].to_string();
    assert!(documents.contains("grille-test"), "{documents}");
    let used = app.get(&uri, &admin).await;
    assert_eq!(used.body["summary"]["state"], "used");
    assert_eq!(used.body["editable"], false);
    let version = used.body["summary"]["row_version"].as_i64();
    let refused =
        send_json(&app, Method::PUT, &uri, &admin, &json!({"document": rubric("1", json!(0))}), version)
            .await;
    assert!(refused.problem(409, "used")["detail"].as_str().unwrap().contains("copiez"));

    // A copy is the next version, a draft; the diff names what changed.
    let copy = app.post_json(&format!("/api/documents/{row}/duplicate"), &admin, &json!({})).await;
    assert_eq!(copy.status, StatusCode::CREATED, "{:#}", copy.body);
    assert_eq!(copy.body["summary"]["version"], "2");
    let copy_row = copy.body["summary"]["id"].as_i64().unwrap();
    let copy_uri = format!("/api/documents/{copy_row}");
    let mut changed = rubric("2", json!(1));
    changed["criteria"][1]["weight"] = json!("3");
    let saved = send_json(&app, Method::PUT, &copy_uri, &admin, &json!({"document": changed}), Some(1)).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    let diff = app.get(&format!("{copy_uri}/diff?with={row}"), &admin).await;
    let pointers: Vec<&str> =
        diff.body.as_array().unwrap().iter().filter_map(|c| c["pointer"].as_str()).collect();
    assert_eq!(pointers, ["/criteria/1/weight", "/version"], "{:#}", diff.body);
    assert_eq!(saved.body["versions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn next_years_documents_are_copied_at_once_and_banks_are_private() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let next = app.post_json("/api/documents/next-year", &admin, &json!({"version": "2027"})).await;
    assert_eq!(next.status, StatusCode::CREATED, "{:#}", next.body);
    let created = next.body["created"].as_array().unwrap();
    // The shipped scheme, blueprint and four rubrics, as drafts of 2027.
    assert_eq!(created.len(), 6);
    assert!(created.iter().all(|d| d["version"] == "2027" && d["state"] == "draft"));
    assert_eq!(created[0]["kind"], "scheme");
    // Each carries its title in every language the document has it in:
    // the stored French title, and the German of the shipped translation.
    for document in created {
        assert_eq!(document["titles"]["fr"], document["title"], "{document:#}");
        assert!(document["titles"]["de"].as_str().is_some_and(|de| !de.is_empty()), "{document:#}");
        assert!(document["titles"].get("it").is_none(), "no Italian shipped: {document:#}");
    }
    // All or nothing: a second time is refused and creates nothing.
    app.post_json("/api/documents/next-year", &admin, &json!({"version": "2027"}))
        .await
        .problem(409, "twice");
    assert_eq!(app.get("/api/documents", &admin).await.body.as_array().unwrap().len(), 6);
    let blueprints = app.get("/api/documents?kind=blueprint", &admin).await;
    assert_eq!(blueprints.body.as_array().unwrap().len(), 1);
    app.get("/api/documents?kind=case", &admin).await.problem(400, "unknown kind");

    // The scheme's preview: a grade table out of 24 and outcomes of examples.
    let scheme_row = created[0]["id"].as_i64().unwrap();
    let scheme = app.get(&format!("/api/documents/{scheme_row}"), &admin).await;
    assert_eq!(scheme.body["preview"]["grades"].as_array().unwrap().len(), 25);
    let outcomes = scheme.body["preview"]["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 6);
    assert_eq!(outcomes[0]["passed"], true);
    assert!(outcomes.iter().any(|o| o["passed"] == false && !o["unmet"].as_array().unwrap().is_empty()));
    // The blueprint's preview: every competence covered by the rubrics.
    let blueprint_row = created[1]["id"].as_i64().unwrap();
    let blueprint = app.get(&format!("/api/documents/{blueprint_row}"), &admin).await;
    assert_eq!(blueprint.body["preview"]["coverage"].as_array().unwrap().len(), 28);

    // A trainer's bank is the school's: the board's documents do not exist for them.
    let school = app.post_json("/api/schools", &admin, &json!({"name": "École"})).await;
    let user = json!({"username": "formatrice", "password": "long-enough-pw", "role": "trainer", "school_id": school.body["id"]});
    assert_eq!(app.post_json("/api/users", &admin, &user).await.status, StatusCode::CREATED);
    let trainer = app.login("formatrice", "long-enough-pw").await.bearer();
    assert!(app.get("/api/documents", &trainer).await.body.as_array().unwrap().is_empty());
    app.get(&format!("/api/documents/{scheme_row}"), &trainer).await.problem(404, "another bank");
    let copy = app.post_json(&format!("/api/documents/{scheme_row}/duplicate"), &trainer, &json!({})).await;
    copy.problem(404, "copying another bank's document");
    // The school prepares its own mock exam's documents.
    let own = app.post_json("/api/documents/next-year", &trainer, &json!({"version": "blanc-1"})).await;
    assert_eq!(own.status, StatusCode::CREATED, "{:#}", own.body);
    assert_eq!(app.get("/api/documents", &admin).await.body.as_array().unwrap().len(), 6);
    // Examiners and candidates have no bank.
    let examiner = json!({"username": "exp", "password": "long-enough-pw", "role": "examiner"});
    assert_eq!(app.post_json("/api/users", &admin, &examiner).await.status, StatusCode::CREATED);
    let exp = app.login("exp", "long-enough-pw").await.bearer();
    app.get("/api/documents", &exp).await.problem(403, "examiner");
    app.post_json("/api/documents/next-year", &exp, &json!({"version": "x"})).await.problem(403, "examiner");
}

#[tokio::test]
async fn a_document_being_written_is_previewed_without_saving_under_the_chosen_scheme() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let preview = |body: Value| {
        let app = &app;
        let admin = &admin;
        async move { app.post_json("/api/documents/preview", admin, &body).await }
    };
    // The rubric's problems at their pointers, as a save would say them.
    let refused = preview(json!({"kind": "rubric", "document": rubric("1", json!(-1))})).await;
    let errors = refused.problem(422, "negative level")["errors"].to_string();
    assert!(errors.contains("/document/criteria/0/levels/0/points"), "{errors}");
    // Under the shipped scheme: 7 points, 4 of them give 4.0.
    let shipped = preview(json!({"kind": "rubric", "document": rubric("1", json!(0))})).await;
    assert_eq!(shipped.status, StatusCode::OK, "{:#}", shipped.body);
    assert_eq!(shipped.body["max_points"], "7");
    let grade_at = |body: &Value, points: &str| -> String {
        body["grades"].as_array().unwrap().iter().find(|row| row["points"] == points).unwrap()["grade"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(grade_at(&shipped.body, "4"), "4.0");
    assert!(shipped.body["coverage"].to_string().contains("A3"));
    // Under a bank scheme that gives 4.0 at half the points.
    let mut lenient: Value = serde_json::from_str(grille_scoring::embedded::GRADING_SCHEME.text).unwrap();
    lenient["id"] = json!("bareme-indulgent");
    lenient["conversion"] = json!({"kind": "two_piece", "pass_fraction": "0.5"});
    let saved = create(&app, &admin, "scheme", lenient).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{:#}", saved.body);
    let scheme_row = saved.body["summary"]["id"].as_i64().unwrap();
    let lenient =
        preview(json!({"kind": "rubric", "document": rubric("1", json!(0)), "scheme": scheme_row})).await;
    assert_eq!(lenient.status, StatusCode::OK, "{:#}", lenient.body);
    assert_ne!(lenient.body["grades"], shipped.body["grades"]);
    assert_eq!(grade_at(&lenient.body, "4"), "4.5");
    // A scheme row that is no scheme, or nobody's: at /scheme.
    let rubric_row =
        create(&app, &admin, "rubric", rubric("1", json!(0))).await.body["summary"]["id"].as_i64().unwrap();
    for row in [rubric_row, 999_999] {
        let refused =
            preview(json!({"kind": "rubric", "document": rubric("2", json!(0)), "scheme": row})).await;
        assert!(refused.problem(422, "bad scheme")["errors"].to_string().contains("/scheme"));
    }
    // A scheme previewed decides example grades; nothing was saved by any preview.
    let scheme: Value = serde_json::from_str(grille_scoring::embedded::GRADING_SCHEME.text).unwrap();
    let decided = preview(json!({"kind": "scheme", "document": scheme})).await;
    assert_eq!(decided.status, StatusCode::OK, "{:#}", decided.body);
    assert!(!decided.body["outcomes"].as_array().unwrap().is_empty());
    assert_eq!(app.get("/api/documents", &admin).await.body.as_array().unwrap().len(), 2);
    // Only those who write documents preview them.
    app.post_json(
        "/api/users",
        &admin,
        &json!({"username": "exp-x", "password": "long-enough-pw", "role": "examiner"}),
    )
    .await;
    let examiner = app.login("exp-x", "long-enough-pw").await.bearer();
    let answer = app
        .post_json(
            "/api/documents/preview",
            &examiner,
            &json!({"kind": "rubric", "document": rubric("1", json!(0))}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{:#}", answer.body);
}

/// A bad document's problems come with a stable code and its arguments
/// beside the French sentence, so that a client writes them in its
/// reader's language.
#[tokio::test]
async fn a_bad_document_answers_each_problem_with_its_code_and_arguments() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let mut duplicate = rubric("1", json!(0));
    duplicate["criteria"][1]["id"] = json!("k1");
    let mut unknown = rubric("1", json!(0));
    unknown["criteria"][0]["catalogue_criteria"] = json!(["Z9.p1"]);
    let mut wrong_type = rubric("1", json!(0));
    wrong_type["version"] = json!(["1"]);
    let mut unquoted = rubric("1", json!(0));
    unquoted["criteria"][1]["weight"] = json!(1.5);
    // (what, document, pointer, code, an argument and its value)
    let cases = [
        ("k1 twice", duplicate, "/document/criteria/1/id", "criterion_duplicate", ("criterion", json!("k1"))),
        (
            "unknown criterion",
            unknown,
            "/document/criteria/0/catalogue_criteria/0",
            "rubric.performance_criterion_unknown",
            ("criterion", json!("Z9.p1")),
        ),
        (
            "a list for a text",
            wrong_type,
            "/document/version",
            "schema.type",
            ("found", json!({"code": "json_type.array"})),
        ),
        (
            "an unquoted decimal",
            unquoted,
            "/document/criteria/1/weight",
            "unquoted_decimal",
            ("number", json!("1.5")),
        ),
    ];
    for (what, document, pointer, code, (name, value)) in cases {
        let refused = create(&app, &admin, "rubric", document).await;
        let problem = refused.problem(422, what);
        let errors = problem["errors"].as_array().unwrap();
        assert!(errors.iter().all(|error| error["code"].is_string()), "{what}: {errors:#?}");
        let error = errors
            .iter()
            .find(|error| error["pointer"] == pointer)
            .unwrap_or_else(|| panic!("{what}: nothing at {pointer}: {errors:#?}"));
        assert_eq!(error["code"], code, "{what}: {error:#}");
        assert_eq!(error["args"][name], value, "{what}: {error:#}");
        assert!(error["detail"].as_str().is_some_and(|detail| !detail.is_empty()), "{what}: {error:#}");
    }
}
