//! The case bank at the user-visible boundary: who sees which case (an
//! unreleased case is a 404 outside its bank, never a 403), examiner notes,
//! used versions that no longer change, bad input with its JSON pointer
//! (case text, If-Match, attachments, import bundles), and the seeded draw
//! of cases for a position.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use grille_scoring::embedded;
use serde_json::{Value, json};

use crate::support::{Answer, Auth, TestApp, spawn_app};
use crate::workflow::{
    EXAMINER_PASSWORD, example_cases, position_uri, prepare_example, score_example, send_json,
};

const PASSWORD: &str = "long-enough-pw";

/// Bytes the server takes for a PDF: only the signature counts.
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

/// The first example case under another id, serving `positions`.
fn case_json(id: &str, positions: &[&str]) -> Value {
    let mut case: Value = serde_json::from_str(embedded::EXAMPLE_CASES[0].text).unwrap();
    case["id"] = json!(id);
    case["positions"] = json!(positions);
    case["attachments"] = json!([]);
    case
}

/// Creates a case in the caller's bank and returns its bank row.
async fn create(app: &TestApp, auth: &Auth, case: &Value) -> i64 {
    let created = app.post_json("/api/cases", auth, case).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    assert_eq!(created.body["summary"]["state"], "draft");
    created.body["summary"]["id"].as_i64().unwrap()
}

/// The row version of a case, for If-Match.
async fn row_version(app: &TestApp, auth: &Auth, row: i64) -> i64 {
    let answer = app.get(&format!("/api/cases/{row}"), auth).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    answer.body["summary"]["row_version"].as_i64().unwrap()
}

/// Moves a case to `state` with the current If-Match.
async fn set_state(app: &TestApp, auth: &Auth, row: i64, state: &str) -> Answer {
    let version = row_version(app, auth, row).await;
    send_json(
        app,
        Method::POST,
        &format!("/api/cases/{row}/state"),
        auth,
        &json!({"state": state}),
        Some(version),
    )
    .await
}

async fn attach(
    app: &TestApp,
    auth: &Auth,
    row: i64,
    name: &str,
    bytes: Vec<u8>,
    if_match: Option<i64>,
) -> Answer {
    let uri = format!("/api/cases/{row}/attachments?name={name}");
    app.send_with(Method::POST, &uri, auth, Some("application/octet-stream"), bytes, if_match).await
}

/// The pointers of a problem's `errors`, after checking its status.
fn pointers(answer: &Answer, status: u16, context: &str) -> Vec<String> {
    answer.problem(status, context)["errors"]
        .as_array()
        .map(|errors| {
            errors.iter().map(|error| error["pointer"].as_str().unwrap_or("-").to_owned()).collect()
        })
        .unwrap_or_default()
}

async fn user(app: &TestApp, admin: &Auth, body: Value) {
    let answer = app.post_json("/api/users", admin, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{body}: {:#}", answer.body);
}

async fn school(app: &TestApp, admin: &Auth, name: &str) -> i64 {
    let answer = app.post_json("/api/schools", admin, &json!({"name": name})).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    answer.body["id"].as_i64().unwrap()
}

/// The case ids a caller finds in the bank listing.
async fn listed(app: &TestApp, auth: &Auth, query: &str) -> BTreeSet<String> {
    let answer = app.get(&format!("/api/cases{query}"), auth).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    answer.body.as_array().unwrap().iter().map(|s| s["case_id"].as_str().unwrap().to_owned()).collect()
}

/// The row of the case `case_id` (version 1) in the caller's listing.
async fn row_of(app: &TestApp, auth: &Auth, case_id: &str) -> i64 {
    let answer = app.get("/api/cases", auth).await;
    answer.body.as_array().unwrap().iter().find(|s| s["case_id"] == case_id && s["version"] == "1").unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Whether a case detail carries any examiner note.
fn has_notes(detail: &Value) -> bool {
    detail["case"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|task| task["examiner_notes"].as_array().is_some_and(|notes| !notes.is_empty()))
}

/// The examiner who scores `number` at `position` in the worked example.
fn examiner_of(number: &str, position: &str) -> String {
    let example = embedded::example_session().unwrap();
    let candidate = example.candidates.iter().find(|c| c.number == number).unwrap();
    let scoring = candidate.positions.iter().find(|p| p.position == position).unwrap();
    scoring.evaluations[0].examiner.clone()
}

/// The body of a row of the access table: its JSON, or a file to attach.
fn request_body(method: &Method, body: &Option<Value>) -> (Option<&'static str>, Vec<u8>) {
    match body {
        Some(body) => (Some("application/json"), body.to_string().into_bytes()),
        None if *method == Method::POST => (Some("application/pdf"), pdf("x")),
        None => (None, Vec::new()),
    }
}

/// Columns of the access table.
const CALLERS: [&str; 6] = ["anonymous", "board", "trainer A", "trainer B", "examiner", "candidate"];

/// The board runs the worked example to publication with its cases; a
/// board case with a plan is released after; school A writes a case.
#[tokio::test]
async fn case_routes_answer_each_caller_as_the_table_says() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let (a, b) = (school(&app, &admin, "École A").await, school(&app, &admin, "École B").await);
    user(
        &app,
        &admin,
        json!({"username": "formatrice-a", "password": PASSWORD, "role": "trainer", "school_id": a}),
    )
    .await;
    user(
        &app,
        &admin,
        json!({"username": "formateur-b", "password": PASSWORD, "role": "trainer", "school_id": b}),
    )
    .await;
    user(&app, &admin, json!({"username": "cand", "password": PASSWORD, "role": "candidate"})).await;
    let id = prepare_example(&app, &admin).await;
    let used = row_of(&app, &admin, "fall-2-grosskueche").await;

    // A board case with a plan, given to the withdrawn candidate: used.
    let plan_row = create(&app, &admin, &case_json("cas-plan", &["2.1"])).await;
    assert_eq!(set_state(&app, &admin, plan_row, "ready").await.status, StatusCode::OK);
    let plan = pdf("plan de l'atelier");
    let version = row_version(&app, &admin, plan_row).await;
    let attached = attach(&app, &admin, plan_row, "plan.pdf", plan.clone(), Some(version)).await;
    assert_eq!(attached.status, StatusCode::OK, "{:#}", attached.body);
    let sha = attached.body["case"]["attachments"][0]["sha256"].as_str().unwrap().to_owned();
    let uri = format!("{}/case", position_uri(id, "2026-005", "2.1"));
    let assigned = send_json(&app, Method::PUT, &uri, &admin, &json!({"case": plan_row}), None).await;
    assert_eq!(assigned.status, StatusCode::OK, "{:#}", assigned.body);

    let draft = create(&app, &admin, &case_json("cas-brouillon", &["2.1"])).await;
    let ready = create(&app, &admin, &case_json("cas-pret", &["2.1"])).await;
    assert_eq!(set_state(&app, &admin, ready, "ready").await.status, StatusCode::OK);
    let formatrice = app.login("formatrice-a", PASSWORD).await.bearer();
    let school_case = create(&app, &formatrice, &case_json("cas-ecole-a", &["2.1"])).await;

    // Before publication a used case is not released; a draft never is.
    let early = set_state(&app, &admin, plan_row, "released").await;
    early.problem(409, "release before publication");
    set_state(&app, &admin, draft, "released").await.problem(409, "draft to released");
    set_state(&app, &admin, draft, "used").await.problem(409, "draft to used");
    // A used version does not change: copy it to a new version.
    let mut edited = case_json("fall-2-grosskueche", &["2.1"]);
    edited["version"] = json!("1");
    let version = row_version(&app, &admin, used).await;
    let refused =
        send_json(&app, Method::PUT, &format!("/api/cases/{used}"), &admin, &edited, Some(version)).await;
    let detail = refused.problem(409, "edit of a used version")["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("copiez-la en une nouvelle version"), "{detail}");

    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    let published = app.post_json(&format!("/api/sessions/{id}/publish"), &admin, &json!({})).await;
    assert_eq!(published.body["state"], "published", "{:#}", published.body);
    let released = set_state(&app, &admin, plan_row, "released").await;
    assert_eq!(released.status, StatusCode::OK, "{:#}", released.body);
    assert_eq!(released.body["summary"]["state"], "released");

    let examiner_name = examiner_of("2026-002", "2.1");
    let callers = [
        Auth::None,
        admin.clone(),
        formatrice.clone(),
        app.login("formateur-b", PASSWORD).await.bearer(),
        app.login(&examiner_name, EXAMINER_PASSWORD).await.bearer(),
        app.login("cand", PASSWORD).await.bearer(),
    ];

    // (method, uri, body, If-Match, statuses in the order of CALLERS). The
    // writes are refused (no If-Match: 428, or the state: 409) so that the
    // table changes nothing.
    type Row = (Method, String, Option<Value>, Option<i64>, [u16; 6]);
    let mut table: Vec<Row> = Vec::new();
    let hidden_but_board = [401, 200, 404, 404, 404, 404];
    // Per case: GET it, export it, PUT `{}` (422 once the caller may edit),
    // move it to `ready` without If-Match (428 once the move is allowed),
    // attach a file without If-Match (428 once the caller may edit).
    for (row, read, export, edit, state, upload) in [
        (
            draft,
            hidden_but_board,
            hidden_but_board,
            [401, 422, 404, 404, 403, 403],
            [401, 428, 404, 404, 403, 403],
            [401, 428, 404, 404, 403, 403],
        ),
        (
            ready,
            hidden_but_board,
            hidden_but_board,
            [401, 422, 404, 404, 403, 403],
            [401, 409, 404, 404, 403, 403],
            [401, 428, 404, 404, 403, 403],
        ),
        (
            used,
            hidden_but_board,
            hidden_but_board,
            [401, 409, 404, 404, 403, 403],
            [401, 409, 404, 404, 403, 403],
            [401, 409, 404, 404, 403, 403],
        ),
        (
            plan_row,
            [401, 200, 200, 200, 200, 200],
            [401, 200, 200, 200, 403, 403],
            [401, 409, 403, 403, 403, 403],
            [401, 409, 409, 409, 403, 403],
            [401, 409, 403, 403, 403, 403],
        ),
        (
            school_case,
            [401, 404, 200, 404, 404, 404],
            [401, 404, 200, 404, 404, 404],
            [401, 404, 422, 404, 403, 403],
            [401, 404, 428, 404, 403, 403],
            [401, 404, 428, 404, 403, 403],
        ),
    ] {
        table.push((Method::GET, format!("/api/cases/{row}"), None, None, read));
        table.push((Method::GET, format!("/api/cases/{row}/export"), None, None, export));
        table.push((Method::PUT, format!("/api/cases/{row}"), Some(json!({})), Some(1), edit));
        // With a stale If-Match: who may act gets 409 (or what the case's
        // state says), who may not the same answer as before; without
        // If-Match every caller gets 428 first, which says nothing of the case.
        let stale = |expected: [u16; 6]| expected.map(|status| if status == 428 { 409 } else { status });
        table.push((
            Method::POST,
            format!("/api/cases/{row}/state"),
            Some(json!({"state": "ready"})),
            Some(999),
            stale(state),
        ));
        table.push((
            Method::POST,
            format!("/api/cases/{row}/attachments?name=plan.pdf"),
            None,
            Some(999),
            stale(upload),
        ));
    }
    table.push((
        Method::GET,
        format!("/api/cases/{plan_row}/attachments/{sha}"),
        None,
        None,
        [401, 200, 200, 200, 200, 200],
    ));
    table.push((
        Method::DELETE,
        format!("/api/cases/{plan_row}/attachments/{sha}"),
        None,
        Some(1),
        [401, 409, 403, 403, 403, 403],
    ));
    table.push((
        Method::GET,
        format!("/api/cases/{school_case}/attachments/{sha}"),
        None,
        None,
        [401, 404, 404, 404, 404, 404],
    ));
    // The plan of the case a withdrawn candidate sits, through the session:
    // the board; not an examiner who does not score that candidate.
    table.push((
        Method::GET,
        format!("{}/case/attachments/{sha}", position_uri(id, "2026-005", "2.1")),
        None,
        None,
        [401, 200, 404, 404, 403, 403],
    ));
    // The board reads the cases of its session; the others do not see it.
    table.push((
        Method::GET,
        format!("/api/sessions/{id}/cases"),
        None,
        None,
        [401, 200, 404, 404, 403, 403],
    ));
    let mut failures = Vec::new();
    for (method, uri, body, if_match, expected) in &table {
        for ((caller, auth), expected) in CALLERS.iter().zip(&callers).zip(expected) {
            let (content_type, bytes) = request_body(method, body);
            let answer = app.send_with(method.clone(), uri, auth, content_type, bytes, *if_match).await;
            if answer.status.as_u16() != *expected {
                failures.push(format!(
                    "{method} {uri} as {caller}: expected {expected}, got {} {}",
                    answer.status, answer.body
                ));
            } else if *expected == 404
                && let Some(row) =
                    uri.strip_prefix("/api/cases/").and_then(|rest| rest.split(['/', '?']).next())
                && app.get(&format!("/api/cases/{row}"), auth).await.status == StatusCode::NOT_FOUND
            {
                // A hidden case: word for word the answer for a case that does not exist.
                let missing = uri.replacen(&format!("/api/cases/{row}"), "/api/cases/999999", 1);
                let (content_type, bytes) = request_body(method, body);
                let other =
                    app.send_with(method.clone(), &missing, auth, content_type, bytes, *if_match).await;
                if other.body != answer.body {
                    failures.push(format!(
                        "{method} {uri} as {caller}: {} but {} for a missing case",
                        answer.body, other.body
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The listing and the coverage count only what each caller may read.
    let board_cases = ["cas-2-atelier-bois", "cas-brouillon", "cas-plan", "cas-pret", "fall-2-grosskueche"];
    let expected: [&[&str]; 5] =
        [&board_cases, &["cas-ecole-a", "cas-plan"], &["cas-plan"], &["cas-plan"], &["cas-plan"]];
    for ((caller, auth), cases) in CALLERS.iter().zip(&callers).skip(1).zip(expected) {
        let found = listed(&app, auth, "").await;
        assert_eq!(found, cases.iter().map(|c| c.to_string()).collect(), "{caller}");
        let coverage = app.get("/api/cases/coverage", auth).await;
        assert_eq!(coverage.body["cases"], cases.len(), "{caller}: {:#}", coverage.body);
    }
    app.get("/api/cases", &Auth::None).await.problem(401, "anonymous list");

    // Examiner notes: the owner and, once released, every staff role and
    // examiner; never a candidate, in the detail, the export or a search.
    for ((caller, auth), shown) in CALLERS.iter().zip(&callers).skip(1).zip([true, true, true, true, false]) {
        let detail = app.get(&format!("/api/cases/{plan_row}"), auth).await;
        assert_eq!(detail.body["examiner_notes_shown"], shown, "{caller}");
        assert_eq!(has_notes(&detail.body), shown, "{caller}: {:#}", detail.body["case"]["tasks"]);
        // Uses are the owner's business.
        let uses = detail.body["uses"].as_array().unwrap().len();
        assert_eq!(uses > 0, *caller == "board", "{caller}: {:#}", detail.body["uses"]);
    }
    let own = app.get(&format!("/api/cases/{school_case}"), &formatrice).await;
    assert_eq!((own.body["examiner_notes_shown"].as_bool(), has_notes(&own.body)), (Some(true), true));
    let own = app.get(&format!("/api/cases/{draft}"), &admin).await;
    assert_eq!((own.body["examiner_notes_shown"].as_bool(), has_notes(&own.body)), (Some(true), true));
    // "check-list" is only in the examiner notes of the case.
    let candidate = &callers[5];
    assert_eq!(listed(&app, candidate, "?q=atelier").await, BTreeSet::from(["cas-plan".to_owned()]));
    assert_eq!(listed(&app, &callers[3], "?q=check-list").await, BTreeSet::from(["cas-plan".to_owned()]));
    assert_eq!(
        listed(&app, candidate, "?q=check-list").await,
        BTreeSet::new(),
        "a search must not reveal the notes"
    );

    // The examiner's scoring form answers whether or not it shows the case.
    let examiner = &callers[4];
    let form = app.get(&format!("{}/form", position_uri(id, "2026-002", "2.1")), examiner).await;
    assert_eq!(form.status, StatusCode::OK, "{:#}", form.body);

    // Nobody copies a case they cannot see.
    for (auth, row) in
        [(&callers[3], school_case), (&admin, school_case), (&formatrice, draft), (&formatrice, used)]
    {
        send_json(&app, Method::POST, &format!("/api/cases/{row}/duplicate"), auth, &json!({}), None)
            .await
            .problem(404, "duplicate of a hidden case");
    }

    // A trainer imports the released board case into the school's bank:
    // the text and the plan come along, as a draft of the school.
    let bundle = app.get(&format!("/api/cases/{plan_row}/export"), &formatrice).await;
    assert_eq!(bundle.status, StatusCode::OK, "{:#}", bundle.body);
    assert_eq!(
        (bundle.body["format"].as_str(), bundle.body["files"].as_array().map(Vec::len)),
        (Some("grille-case"), Some(1))
    );
    let imported = app.post_json("/api/cases/import", &formatrice, &bundle.body).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{:#}", imported.body);
    assert_eq!(imported.body["summary"]["bank"], json!({"kind": "school", "school_id": a}));
    assert_eq!(imported.body["summary"]["state"], "draft");
    assert_eq!(imported.body["case"], bundle.body["case"]);
    let copy = imported.body["summary"]["id"].as_i64().unwrap();
    let file = app.get(&format!("/api/cases/{copy}/attachments/{sha}"), &formatrice).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_str().map(str::as_bytes), Some(plan.as_slice()));
    // ... and school B still does not see school A's copy.
    app.get(&format!("/api/cases/{copy}"), &callers[3]).await.problem(404, "school B on school A's import");

    // A trainer's mock session takes only cases of the school's bank.
    let mock = app.post_json("/api/sessions", &formatrice, &json!({"name": "Examen blanc"})).await;
    assert_eq!(mock.body["kind"], "mock", "{:#}", mock.body);
    let mock = mock.body["id"].as_i64().unwrap();
    let enrolled = app
        .post_json(
            &format!("/api/sessions/{mock}/candidates"),
            &formatrice,
            &json!({"candidates": [{"number": "2027-001", "family_name": "Classe", "given_name": "E"}]}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);
    let uri = format!("{}/case", position_uri(mock, "2027-001", "2.1"));
    for row in [plan_row, ready, 999_999] {
        let refused = send_json(&app, Method::PUT, &uri, &formatrice, &json!({"case": row}), None).await;
        assert_eq!(pointers(&refused, 422, "board case in a mock session"), ["/case"], "row {row}");
    }
    let copied = send_json(
        &app,
        Method::POST,
        &format!("/api/cases/{plan_row}/duplicate"),
        &formatrice,
        &json!({}),
        None,
    )
    .await;
    assert_eq!(copied.status, StatusCode::CREATED, "{:#}", copied.body);
    assert_eq!(copied.body["summary"]["bank"], json!({"kind": "school", "school_id": a}));
    assert_eq!(
        (copied.body["summary"]["version"].as_str(), copied.body["summary"]["state"].as_str()),
        (Some("2"), Some("draft"))
    );
    let copied = copied.body["summary"]["id"].as_i64().unwrap();
    // A draft is not assigned; once ready it is.
    let refused = send_json(&app, Method::PUT, &uri, &formatrice, &json!({"case": copied}), None).await;
    refused.problem(409, "draft assigned");
    assert_eq!(set_state(&app, &formatrice, copied, "ready").await.status, StatusCode::OK);
    let assigned = send_json(&app, Method::PUT, &uri, &formatrice, &json!({"case": copied}), None).await;
    assert_eq!(assigned.status, StatusCode::OK, "{:#}", assigned.body);
    assert_eq!(assigned.body[0]["case"], copied);
}

/// Bad input to the case routes: status and pointer, nothing saved.
#[tokio::test]
async fn bad_case_input_gets_its_problem_at_its_pointer() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let good = case_json("cas-saisie", &["2.1"]);
    let edit = |change: &dyn Fn(&mut Value)| {
        let mut case = good.clone();
        change(&mut case);
        case.to_string().into_bytes()
    };
    let inputs: Vec<(&str, Vec<u8>, u16, Option<&str>)> = vec![
        ("not JSON", b"{\"id\": ".to_vec(), 400, None),
        ("tasks not a list", edit(&|c| c["tasks"] = json!("t1")), 422, Some("/tasks")),
        ("unknown language", edit(&|c| c["language"] = json!("en")), 422, Some("/language")),
        (
            "competence not in the catalogue",
            edit(&|c| c["competences"] = json!(["Z9", "A1"])),
            422,
            Some("/competences/0"),
        ),
        ("duplicate task id", edit(&|c| c["tasks"][1]["id"] = json!("t1")), 422, Some("/tasks/1/id")),
        ("blank title", edit(&|c| c["title"] = json!("  ")), 422, Some("/title")),
        ("no position", edit(&|c| c["positions"] = json!([])), 422, Some("/positions")),
    ];
    for (what, body, status, pointer) in inputs {
        let answer = app.send(Method::POST, "/api/cases", &admin, Some("application/json"), body).await;
        let found = pointers(&answer, status, what);
        assert_eq!(found.first().map(String::as_str), pointer, "{what}: {:#}", answer.body);
    }
    assert_eq!(listed(&app, &admin, "").await, BTreeSet::new(), "nothing saved");

    // Two tabs edit the same version: the second is refused, the first stays.
    let row = create(&app, &admin, &good).await;
    let uri = format!("/api/cases/{row}");
    let version = row_version(&app, &admin, row).await;
    let mut first = good.clone();
    first["title"] = json!("Titre du premier onglet");
    let mut second = good.clone();
    second["title"] = json!("Titre du second onglet");
    let saved = send_json(&app, Method::PUT, &uri, &admin, &first, Some(version)).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.headers["etag"], format!("\"{}\"", version + 1));
    send_json(&app, Method::PUT, &uri, &admin, &second, Some(version)).await.problem(409, "stale tab");
    send_json(&app, Method::PUT, &uri, &admin, &second, None).await.problem(428, "no If-Match");
    let stored = app.get(&uri, &admin).await;
    assert_eq!(stored.body["case"]["title"], "Titre du premier onglet");
    assert_eq!(stored.body["summary"]["row_version"], version + 1);
    // An edit cannot name a file that is not attached.
    let mut phantom = first.clone();
    phantom["attachments"] =
        json!([{"name": "x.pdf", "media_type": "application/pdf", "sha256": "a".repeat(64), "size": 3}]);
    let answer = send_json(&app, Method::PUT, &uri, &admin, &phantom, Some(version + 1)).await;
    assert_eq!(pointers(&answer, 422, "unknown attachment"), ["/attachments/0"]);

    // Attachments are typed by their bytes, not their name.
    let version = row_version(&app, &admin, row).await;
    let too_big = {
        let mut bytes = pdf("gros");
        bytes.resize(10 * 1024 * 1024 + 1, b' ');
        bytes
    };
    // (what, bytes, If-Match, status, first pointer)
    type Upload = (&'static str, Vec<u8>, Option<i64>, u16, Option<&'static str>);
    let uploads: Vec<Upload> = vec![
        ("text renamed .pdf", b"Ceci est un texte.".to_vec(), Some(version), 422, Some("")),
        ("empty", Vec::new(), Some(version), 422, Some("")),
        ("over 10 MiB", too_big, Some(version), 413, None),
        ("without If-Match", pdf("plan"), None, 428, None),
        ("stale If-Match", pdf("plan"), Some(version - 1), 409, None),
    ];
    for (what, bytes, if_match, status, pointer) in uploads {
        let answer = attach(&app, &admin, row, "plan.pdf", bytes, if_match).await;
        let found = pointers(&answer, status, what);
        assert_eq!(found.first().map(String::as_str), pointer, "{what}");
    }
    // Past the route's limit too, the answer is a problem.
    let way_too_big = vec![b'%'; 11 * 1024 * 1024];
    attach(&app, &admin, row, "plan.pdf", way_too_big, Some(version)).await.problem(413, "11 MiB");
    assert_eq!(row_version(&app, &admin, row).await, version, "nothing saved");
    let plan = pdf("plan");
    let attached = attach(&app, &admin, row, "plan.pdf", plan.clone(), Some(version)).await;
    assert_eq!(attached.status, StatusCode::OK, "{:#}", attached.body);
    let listed_files = attached.body["case"]["attachments"].as_array().unwrap();
    assert_eq!(listed_files.len(), 1);
    let sha = listed_files[0]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha, grille_store::sha256_bytes(&plan));
    assert_eq!(
        (listed_files[0]["media_type"].as_str(), listed_files[0]["name"].as_str()),
        (Some("application/pdf"), Some("plan.pdf"))
    );
    assert_eq!(listed_files[0]["size"], plan.len());
    let version = version + 1;
    attach(&app, &admin, row, "encore.pdf", plan.clone(), Some(version))
        .await
        .problem(409, "same file twice");
    // More than the API's usual 2 MiB, less than 10 MiB: taken.
    let mut large = pdf("scan");
    large.resize(3 * 1024 * 1024, b' ');
    let taken = attach(&app, &admin, row, "scan.pdf", large, Some(version)).await;
    assert_eq!(taken.status, StatusCode::OK, "3 MiB: {}", taken.body);
    let scan = taken.body["case"]["attachments"][1]["sha256"].as_str().unwrap().to_owned();
    let removed = app
        .send_with(
            Method::DELETE,
            &format!("/api/cases/{row}/attachments/{scan}"),
            &admin,
            None,
            Vec::new(),
            Some(version + 1),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{:#}", removed.body);
    let file = app.get(&format!("/api/cases/{row}/attachments/{sha}"), &admin).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type(), "application/pdf");
    assert_eq!(file.headers["x-content-type-options"], "nosniff");
    assert_eq!(file.body.as_str().map(str::as_bytes), Some(plan.as_slice()));
    app.get(&format!("/api/cases/{row}/attachments/{}", "0".repeat(64)), &admin)
        .await
        .problem(404, "no such file");

    // Import: each broken bundle at its pointer.
    let bundle = app.get(&format!("/api/cases/{row}/export"), &admin).await;
    assert_eq!(bundle.status, StatusCode::OK, "{:#}", bundle.body);
    assert!(bundle.headers["content-disposition"].to_str().unwrap().contains("cas-saisie-v1"));
    let bundle = bundle.body;
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut copy = bundle.clone();
        change(&mut copy);
        copy
    };
    let text_bytes = b"pas un pdf".to_vec();
    let imports: Vec<(&str, Value, &str)> = vec![
        (
            "invalid base64",
            broken(&|b| b["files"][0]["base64"] = json!("%%%not base64%%%")),
            "/files/0/base64",
        ),
        ("sha256 mismatch", broken(&|b| b["files"][0]["sha256"] = json!("0".repeat(64))), "/files/0/sha256"),
        (
            "not a PDF, PNG or JPEG",
            broken(&|b| {
                use base64ct::Encoding as _;
                b["files"][0]["base64"] = json!(base64ct::Base64::encode_string(&text_bytes));
                b["files"][0]["sha256"] = json!(grille_store::sha256_bytes(&text_bytes));
            }),
            "/files/0/base64",
        ),
        ("file missing", broken(&|b| b["files"] = json!([])), "/case/attachments/0"),
        ("wrong format", broken(&|b| b["format"] = json!("zip")), "/format"),
        ("bad case inside", broken(&|b| b["case"]["competences"] = json!(["Z9"])), "/case/competences/0"),
    ];
    for (what, body, pointer) in imports {
        let answer = app.post_json("/api/cases/import", &admin, &body).await;
        assert!(pointers(&answer, 422, what).iter().any(|p| p == pointer), "{what}: {:#}", answer.body);
    }
    // The same bundle into the same bank: that version is there already.
    app.post_json("/api/cases/import", &admin, &bundle).await.problem(409, "import twice");
    assert_eq!(listed(&app, &admin, "").await, BTreeSet::from(["cas-saisie".to_owned()]));

    // Duplicate: the next version, as a draft, with the attachment.
    let copy =
        send_json(&app, Method::POST, &format!("/api/cases/{row}/duplicate"), &admin, &json!({}), None).await;
    assert_eq!(copy.status, StatusCode::CREATED, "{:#}", copy.body);
    assert_eq!(
        (copy.body["summary"]["version"].as_str(), copy.body["summary"]["state"].as_str()),
        (Some("2"), Some("draft"))
    );
    assert_eq!(copy.body["summary"]["attachments"], 1);
    assert_eq!(copy.body["versions"].as_array().unwrap().len(), 2);
    set_state(&app, &admin, row, "released").await.problem(409, "draft to released");
    let state = send_json(
        &app,
        Method::POST,
        &format!("/api/cases/{row}/state"),
        &admin,
        &json!({"state": "ready"}),
        None,
    )
    .await;
    state.problem(428, "state without If-Match");
    let state = send_json(
        &app,
        Method::POST,
        &format!("/api/cases/{row}/state"),
        &admin,
        &json!({"state": "gone"}),
        Some(1),
    )
    .await;
    assert_eq!(pointers(&state, 422, "unknown state"), ["/state"]);
}

/// A session in enrolment with seven candidates, the two example cases
/// (position 2.1) ready, and a ready case serving 3.1 only.
async fn draw_app() -> (TestApp, Auth, i64, [i64; 2], i64) {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let session = app.session(&app.admin().await).await;
    let candidates: Vec<Value> = (1..=7)
        .map(|n| json!({"number": format!("2027-00{n}"), "family_name": "Tirage", "given_name": "X"}))
        .collect();
    let enrolled = app
        .post_json(&format!("/api/sessions/{session}/candidates"), &admin, &json!({"candidates": candidates}))
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);
    let rows = example_cases(&app, &admin).await;
    let other = create(&app, &admin, &case_json("cas-3-autre", &["3.1"])).await;
    assert_eq!(set_state(&app, &admin, other, "ready").await.status, StatusCode::OK);
    (app, admin, session, [rows[0].1, rows[1].1], other)
}

async fn draw(app: &TestApp, auth: &Auth, session: i64, body: Value) -> Answer {
    app.post_json(&format!("/api/sessions/{session}/cases/draw"), auth, &body).await
}

/// Who sits which case at 2.1.
async fn sittings(app: &TestApp, auth: &Auth, session: i64) -> Vec<(String, i64)> {
    let answer = app.get(&format!("/api/sessions/{session}/cases"), auth).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let mut rows: Vec<(String, i64)> = answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["position"] == "2.1")
        .map(|s| (s["candidate"].as_str().unwrap().to_owned(), s["case"].as_i64().unwrap()))
        .collect();
    rows.sort();
    rows
}

fn assert_balanced(rows: &[(String, i64)], cases: [i64; 2], context: &str) {
    let counts = cases.map(|case| rows.iter().filter(|(_, row)| *row == case).count());
    assert_eq!(counts[0] + counts[1], rows.len(), "{context}");
    assert!(counts[0].abs_diff(counts[1]) <= 1, "{context}: {counts:?} {rows:?}");
}

#[tokio::test]
async fn the_seeded_draw_of_cases_is_reproducible_balanced_and_checked() {
    let (app, admin, session, cases, other) = draw_app().await;
    let body = json!({"position": "2.1", "cases": cases, "seed": 42});
    let drawn = draw(&app, &admin, session, body.clone()).await;
    assert_eq!(drawn.status, StatusCode::OK, "{:#}", drawn.body);
    assert_eq!(drawn.body["assigned"].as_array().unwrap().len(), 7);
    let first = sittings(&app, &admin, session).await;
    assert_eq!(first.len(), 7);
    assert_balanced(&first, cases, "first draw");
    let counts: Vec<u64> =
        drawn.body["counts"].as_array().unwrap().iter().map(|c| c[1].as_u64().unwrap()).collect();
    assert_eq!(counts.iter().sum::<u64>(), 7, "{:#}", drawn.body);

    // The same seed on an identical fresh server: the same draw.
    let (again, again_admin, again_session, again_cases, _) = draw_app().await;
    assert_eq!((again_session, again_cases), (session, cases));
    let redrawn = draw(&again, &again_admin, again_session, body.clone()).await;
    assert_eq!(redrawn.status, StatusCode::OK, "{:#}", redrawn.body);
    assert_eq!(sittings(&again, &again_admin, again_session).await, first);
    assert_eq!(redrawn.body["assigned"], drawn.body["assigned"]);
    // Another seed draws another way (for at least one of these).
    let mut differs = false;
    for seed in 1..=5 {
        let (other_app, other_admin, other_session, _, _) = draw_app().await;
        let answer = draw(
            &other_app,
            &other_admin,
            other_session,
            json!({"position": "2.1", "cases": cases, "seed": seed}),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        let rows = sittings(&other_app, &other_admin, other_session).await;
        assert_balanced(&rows, cases, &format!("seed {seed}"));
        differs |= rows != first;
    }
    assert!(differs, "the seed changes the draw");

    // replace: false keeps every existing assignment.
    let kept = draw(&app, &admin, session, json!({"position": "2.1", "cases": cases, "seed": 7})).await;
    assert_eq!(kept.status, StatusCode::OK, "{:#}", kept.body);
    assert_eq!(kept.body["assigned"], json!([]));
    assert_eq!(kept.body["kept"].as_array().unwrap().len(), 7);
    assert_eq!(sittings(&app, &admin, session).await, first);

    // A case that does not serve the position, at its index in the request.
    for (request, pointer) in [
        (json!([other, cases[0]]), "/cases/0"),
        (json!([cases[0], cases[1], other]), "/cases/2"),
        (json!([cases[0], 999_999]), "/cases/1"),
        (json!([]), "/cases"),
    ] {
        let answer =
            draw(&app, &admin, session, json!({"position": "2.1", "cases": request, "seed": 1})).await;
        assert_eq!(pointers(&answer, 422, "bad draw"), [pointer], "{request}");
    }
    let answer = draw(&app, &admin, session, json!({"position": "9.9", "cases": cases, "seed": 1})).await;
    assert_eq!(pointers(&answer, 422, "unknown position"), ["/position"]);
    assert_eq!(sittings(&app, &admin, session).await, first, "nothing changed");

    // A retake: in another session each candidate gets the case they did
    // not sit; with one case only, those who sat it are named.
    let retake = app.post_json("/api/sessions", &admin, &json!({"name": "Rattrapage"})).await;
    let retake = retake.body["id"].as_i64().unwrap();
    let candidates: Vec<Value> = first
        .iter()
        .map(|(number, _)| json!({"number": number, "family_name": "Tirage", "given_name": "X"}))
        .collect();
    let enrolled = app
        .post_json(&format!("/api/sessions/{retake}/candidates"), &admin, &json!({"candidates": candidates}))
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);
    let drawn = draw(&app, &admin, retake, json!({"position": "2.1", "cases": cases, "seed": 42})).await;
    assert_eq!(drawn.status, StatusCode::OK, "{:#}", drawn.body);
    assert_eq!(drawn.body["repeated"], json!([]));
    for ((number, now), (_, before)) in sittings(&app, &admin, retake).await.iter().zip(&first) {
        assert_ne!(now, before, "{number} sits the case they know");
    }
    let body = json!({"position": "2.1", "cases": [cases[0]], "seed": 42, "replace": true});
    let drawn = draw(&app, &admin, retake, body).await;
    assert_eq!(drawn.status, StatusCode::OK, "{:#}", drawn.body);
    let knew: Vec<&str> =
        first.iter().filter(|(_, row)| *row == cases[0]).map(|(number, _)| number.as_str()).collect();
    assert_eq!(drawn.body["repeated"], json!(knew));
}

/// A redraw (`replace: true`) after cases were given by hand balances the
/// new draw: the sittings it replaces do not count.
#[tokio::test]
async fn a_redraw_of_cases_is_balanced_whatever_was_assigned_before() {
    let (app, admin, session, cases, _) = draw_app().await;
    for n in 1..=7 {
        let uri = format!("{}/case", position_uri(session, &format!("2027-00{n}"), "2.1"));
        let answer = send_json(&app, Method::PUT, &uri, &admin, &json!({"case": cases[0]}), None).await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    }
    let drawn =
        draw(&app, &admin, session, json!({"position": "2.1", "cases": cases, "seed": 3, "replace": true}))
            .await;
    assert_eq!(drawn.status, StatusCode::OK, "{:#}", drawn.body);
    assert_balanced(&sittings(&app, &admin, session).await, cases, "redraw");
}

/// A trainer cannot tell a hidden board case from a missing one through
/// the draw of a mock session: both are 422 at the case's pointer.
#[tokio::test]
async fn a_draw_in_a_mock_session_does_not_reveal_board_cases() {
    let (app, admin, _, cases, _) = draw_app().await;
    let a = school(&app, &admin, "École A").await;
    user(
        &app,
        &admin,
        json!({"username": "formatrice-a", "password": PASSWORD, "role": "trainer", "school_id": a}),
    )
    .await;
    let trainer = app.login("formatrice-a", PASSWORD).await.bearer();
    let mock = app.post_json("/api/sessions", &trainer, &json!({"name": "Examen blanc"})).await;
    let mock = mock.body["id"].as_i64().unwrap();
    let enrolled = app
        .post_json(
            &format!("/api/sessions/{mock}/candidates"),
            &trainer,
            &json!({"candidates": [{"number": "2027-101", "family_name": "Classe", "given_name": "E"}]}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);
    let missing = draw(&app, &trainer, mock, json!({"position": "2.1", "cases": [999_999], "seed": 1})).await;
    let hidden = draw(&app, &trainer, mock, json!({"position": "2.1", "cases": [cases[0]], "seed": 1})).await;
    assert_eq!(pointers(&missing, 422, "missing case"), ["/cases/0"]);
    assert_eq!(pointers(&hidden, 422, "hidden board case"), ["/cases/0"], "{:#}", hidden.body);
}

/// Once a candidate's position has an evaluation, its case stays.
#[tokio::test]
async fn the_case_of_an_evaluated_position_no_longer_changes() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let atelier = row_of(&app, &admin, "cas-2-atelier-bois").await;
    let fall = row_of(&app, &admin, "fall-2-grosskueche").await;
    let example = embedded::example_session().unwrap();
    let scoring = example.candidates[0].positions.iter().find(|p| p.position == "2.1").unwrap();
    let evaluation = &scoring.evaluations[0];
    let login = app.login(&evaluation.examiner, EXAMINER_PASSWORD).await.bearer();
    let base = position_uri(id, "2026-001", "2.1");
    let body = json!({"answers": evaluation.answers, "remark": evaluation.remark});
    let saved = send_json(&app, Method::PUT, &format!("{base}/evaluations/mine"), &login, &body, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);

    let uri = format!("{base}/case");
    let refused = send_json(&app, Method::PUT, &uri, &admin, &json!({"case": fall}), None).await;
    let detail = refused.problem(409, "assign after evaluation")["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("déjà évalué"), "{detail}");
    app.send_with(Method::DELETE, &uri, &admin, None, Vec::new(), None)
        .await
        .problem(409, "unassign after evaluation");
    // A redraw over the evaluated position is refused whatever the seed
    // would pick, before anything is written.
    let before = app.get(&format!("/api/sessions/{id}/cases"), &admin).await.body;
    for seed in 1..=6 {
        let body = json!({"position": "2.1", "cases": [atelier, fall], "seed": seed, "replace": true});
        draw(&app, &admin, id, body).await.problem(409, "redraw over an evaluated position");
        assert_eq!(app.get(&format!("/api/sessions/{id}/cases"), &admin).await.body, before, "seed {seed}");
    }
    let sitting = before
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["candidate"] == "2026-001" && s["position"] == "2.1")
        .unwrap();
    assert_eq!(sitting["case"], atelier);
    // A candidate not evaluated yet at 2.1 still changes case.
    let other = send_json(
        &app,
        Method::PUT,
        &format!("{}/case", position_uri(id, "2026-003", "2.1")),
        &admin,
        &json!({"case": fall}),
        None,
    )
    .await;
    assert_eq!(other.status, StatusCode::OK, "{:#}", other.body);
}

/// The 413 of an attachment or an import says the limit of its route.
#[tokio::test]
async fn a_case_attachment_too_large_says_its_own_limit() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let row = create(&app, &admin, &case_json("cas-gros", &["2.1"])).await;
    let version = row_version(&app, &admin, row).await;
    let mut bytes = pdf("gros");
    bytes.resize(10 * 1024 * 1024 + 1, b' ');
    let answer = attach(&app, &admin, row, "plan.pdf", bytes, Some(version)).await;
    let detail = answer.problem(413, "10 MiB + 1")["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("10 Mio"), "{detail}");
}

#[tokio::test]
async fn two_versions_of_a_case_are_compared_without_showing_what_the_reader_may_not_see() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let first = create(&app, &admin, &case_json("cas-diff", &["2.1"])).await;
    let copy = app.post_json(&format!("/api/cases/{first}/duplicate"), &admin, &json!({})).await;
    assert_eq!(copy.status, StatusCode::CREATED, "{:#}", copy.body);
    let second = copy.body["summary"]["id"].as_i64().unwrap();
    let mut changed = copy.body["case"].clone();
    changed["title"] = json!("Un autre titre");
    changed["tasks"][0]["examiner_notes"] = json!(["Une note confidentielle"]);
    let version = copy.body["summary"]["row_version"].as_i64();
    let saved =
        send_json(&app, Method::PUT, &format!("/api/cases/{second}"), &admin, &changed, version).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    let diff = app.get(&format!("/api/cases/{second}/diff?with={first}"), &admin).await;
    let pointers: Vec<&str> =
        diff.body.as_array().unwrap().iter().filter_map(|c| c["pointer"].as_str()).collect();
    assert!(pointers.contains(&"/title") && pointers.contains(&"/version"), "{pointers:?}");
    assert!(pointers.iter().any(|p| p.starts_with("/tasks/0/examiner_notes")), "{pointers:?}");
    // A version outside the reader's reach is a 404, as for reading it.
    app.get(&format!("/api/cases/{second}/diff?with=99999"), &admin)
        .await
        .problem(404, "missing other version");
}

/// The (line, field, detail excerpt) of each problem of a refused upload.
fn line_problems(answer: &Answer, context: &str) -> Vec<(u64, Option<String>, String)> {
    answer.problem(422, context)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["line"].as_u64().unwrap_or(0),
                error["field"].as_str().map(str::to_owned),
                error["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn cases_are_given_by_csv_file_all_or_nothing_with_every_bad_row_at_its_line_and_column() {
    let (app, admin, session, [atelier, kueche], other) = draw_app().await;
    // A second ready version of the kitchen case: a row must then say which.
    let copy = app.post_json(&format!("/api/cases/{kueche}/duplicate"), &admin, &json!({})).await;
    assert_eq!(copy.status, StatusCode::CREATED, "{:#}", copy.body);
    let kueche_2 = copy.body["summary"]["id"].as_i64().unwrap();
    let kueche_2_version = copy.body["summary"]["version"].as_str().unwrap().to_owned();
    assert_eq!(set_state(&app, &admin, kueche_2, "ready").await.status, StatusCode::OK);
    let draft = create(&app, &admin, &case_json("cas-2-brouillon", &["2.1"])).await;
    let _ = draft;
    // Candidate 2027-007 has withdrawn.
    let status = send_json(
        &app,
        Method::PUT,
        &format!("/api/sessions/{session}/candidates/2027-007/status"),
        &admin,
        &json!({"status": "withdrawn_excused"}),
        None,
    )
    .await;
    assert_eq!(status.status, StatusCode::OK, "{:#}", status.body);

    let preview_uri = format!("/api/sessions/{session}/cases/csv/preview");
    let save_uri = format!("/api/sessions/{session}/cases/csv");
    type Rows<'a> = &'a [(u64, &'a str, &'a str)];
    let bad: Vec<(&str, String, Rows)> = vec![
        (
            "unknown number, bad number, unknown position, unknown case",
            "numéro;point d'appréciation;cas\n2099-001;2.1;cas-2-atelier-bois\nx y;2.1;cas-2-atelier-bois\n2027-001;9.9;cas-2-atelier-bois\n2027-002;2.1;cas-inconnu\n".to_owned(),
            &[
                (2, "candidate_number", "n'est pas inscrit"),
                (3, "candidate_number", "n'est pas un numéro"),
                (4, "position", "n'existe pas dans le plan"),
                (5, "case", "n'est pas dans la banque"),
            ],
        ),
        (
            "two ready versions without a version column; a draft only; a case for another position",
            "numero,position,cas\n2027-001,2.1,fall-2-grosskueche\n2027-002,2.1,cas-2-brouillon\n2027-003,2.1,cas-3-autre\n".to_owned(),
            &[
                (2, "version", "plusieurs versions"),
                (3, "case", "aucune version prête"),
                (4, "case", "ne sert pas le point d'appréciation 2.1"),
            ],
        ),
        (
            "a version that does not exist; a candidate twice; two versions of one case",
            format!(
                "Nummer;Beurteilungspunkt;Fall;Version\n2027-001;2.1;fall-2-grosskueche;9\n2027-002;2.1;cas-2-atelier-bois;1\n2027-002;2.1;cas-2-atelier-bois;1\n2027-003;2.1;fall-2-grosskueche;1\n2027-004;2.1;fall-2-grosskueche;{kueche_2_version}\n"
            ),
            &[
                (2, "version", "pas de version « 9 »"),
                (4, "position", "La ligne 3 donne déjà"),
                (6, "version", "La ligne 5 donne une autre version"),
            ],
        ),
        ("no row", "numéro;point d'appréciation;cas\n".to_owned(), &[(2, "", "aucun cas")]),
        ("a missing column", "numéro;cas\n2027-001;cas-2-atelier-bois\n".to_owned(), &[(1, "position", "")]),
    ];
    for (what, csv, expected) in &bad {
        for uri in [&preview_uri, &save_uri] {
            let answer = app.post_raw(uri, &admin, "text/csv; charset=utf-8", csv).await;
            let found = line_problems(&answer, what);
            assert_eq!(found.len(), expected.len(), "{what} ({uri}): {found:#?}");
            for ((line, field, detail), (want_line, want_field, excerpt)) in found.iter().zip(expected.iter())
            {
                assert_eq!(*line, *want_line, "{what}: {found:#?}");
                if !want_field.is_empty() {
                    assert_eq!(field.as_deref(), Some(*want_field), "{what}: {found:#?}");
                }
                assert!(detail.contains(excerpt), "{what}: {detail:?} lacks {excerpt:?}");
            }
        }
    }
    assert_eq!(sittings(&app, &admin, session).await, [], "nothing was saved by a refused file");
    // A draft's version named on a line: the workflow's refusal, said by
    // a code of the line's problem.
    let draft_version = case_json("x", &[])["version"].to_string().trim_matches('"').to_owned();
    let csv = format!("numero;position;cas;version\n2027-001;2.1;cas-2-brouillon;{draft_version}\n");
    let refused = app.post_raw(&preview_uri, &admin, "text/csv", &csv).await;
    let problem = refused.problem(422, "a draft named by its version");
    assert_eq!(
        (problem["errors"][0]["code"].as_str(), problem["errors"][0]["line"].as_u64()),
        (Some("sitting.case_draft"), Some(2)),
        "{problem:#}"
    );
    assert_eq!(
        problem["errors"][0]["detail"], "Ce cas est un brouillon : marquez-le « prêt » avant de l'attribuer.",
        "the workflow's sentence, as before"
    );
    let csv = "numero;position;cas\n2027-007;2.1;cas-2-atelier-bois\n";
    let found = line_problems(&app.post_raw(&save_uri, &admin, "text/csv", csv).await, "withdrawn");
    assert!(found[0].2.contains("ne passe pas l'examen"), "{found:?}");

    // A good file: the preview says what would change, saves nothing; the
    // upload saves it all, in one audited go.
    let csv = format!(
        "numéro;point d'appréciation;cas;version\n2027-001;2.1;cas-2-atelier-bois;\n2027-002;2.1;fall-2-grosskueche;{kueche_2_version}\n2027-003;2.1;cas-2-atelier-bois;1\n"
    );
    let preview = app.post_raw(&preview_uri, &admin, "text/csv", &csv).await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    let proposed: Vec<(u64, String, i64)> = preview.body["sittings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().unwrap(),
                s["candidate"].as_str().unwrap().to_owned(),
                s["case"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        proposed,
        [
            (2, "2027-001".to_owned(), atelier),
            (3, "2027-002".to_owned(), kueche_2),
            (4, "2027-003".to_owned(), atelier)
        ]
    );
    assert_eq!(sittings(&app, &admin, session).await, [], "a preview saves nothing");
    let saved = app.post_raw(&save_uri, &admin, "text/csv", &csv).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{:#}", saved.body);
    assert_eq!(saved.body["sittings"], preview.body["sittings"]);
    assert_eq!(
        sittings(&app, &admin, session).await,
        [
            ("2027-001".to_owned(), atelier),
            ("2027-002".to_owned(), kueche_2),
            ("2027-003".to_owned(), atelier)
        ]
    );
    let log = app.get("/api/audit?entity=session_case", &admin).await;
    assert_eq!(log.body.as_array().unwrap().len(), 3, "{:#}", log.body);

    // Sent again with one change: the same lines are unchanged, the changed
    // one says which case it replaces; the session's kitchen version is now
    // the one a row without a version means, the other one is refused.
    let csv = "numero;position;cas\n2027-001;2.1;cas-2-atelier-bois\n2027-003;2.1;fall-2-grosskueche\n";
    let again = app.post_raw(&preview_uri, &admin, "text/csv", csv).await;
    assert_eq!(again.status, StatusCode::OK, "{:#}", again.body);
    assert_eq!(again.body["unchanged"], json!([2]));
    assert_eq!(again.body["sittings"][0]["case"], kueche_2);
    assert_eq!(again.body["sittings"][0]["replaces"], "cas-2-atelier-bois 1");
    let csv = "numero;position;cas;version\n2027-004;2.1;fall-2-grosskueche;1\n";
    let found = line_problems(&app.post_raw(&preview_uri, &admin, "text/csv", csv).await, "other version");
    assert!(found[0].2.contains("utilise déjà une autre version"), "{found:?}");
    let _ = other;
}

#[tokio::test]
async fn examiners_who_wrote_a_case_are_kept_away_from_the_candidates_who_sit_it() {
    let (app, admin, session, [atelier, kueche], _) = draw_app().await;
    user(&app, &admin, json!({"username": "exp-auteure", "password": PASSWORD, "role": "examiner"})).await;
    // The author wrote a copy of the workshop case; she scores 2027-001..3.
    let mut authored = case_json("cas-2-auteure", &["2.1"]);
    authored["authors"] = json!(["exp-auteure"]);
    let authored = create(&app, &admin, &authored).await;
    assert_eq!(set_state(&app, &admin, authored, "ready").await.status, StatusCode::OK);
    for n in 1..=3 {
        let body = json!({"candidate_number": format!("2027-00{n}"), "part": "2", "examiner": "exp-auteure"});
        let answer = app.post_json(&format!("/api/sessions/{session}/assignments"), &admin, &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    }
    let drawn =
        draw(&app, &admin, session, json!({"position": "2.1", "cases": [authored, atelier], "seed": 5}))
            .await;
    assert_eq!(drawn.status, StatusCode::OK, "{:#}", drawn.body);
    assert_eq!(drawn.body["conflicted"], json!([]));
    for (number, row) in sittings(&app, &admin, session).await {
        if ["2027-001", "2027-002", "2027-003"].contains(&number.as_str()) {
            assert_eq!(row, atelier, "{number} is scored by the case's author");
        }
    }
    // A file giving one of her candidates her case: a warning to read
    // before confirming, not a refusal.
    let csv = "numero;position;cas\n2027-001;2.1;cas-2-auteure\n2027-004;2.1;fall-2-grosskueche\n";
    let preview =
        app.post_raw(&format!("/api/sessions/{session}/cases/csv/preview"), &admin, "text/csv", csv).await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    let warnings = preview.body["sittings"][0]["warnings"].to_string();
    assert!(warnings.contains("exp-auteure a rédigé ou relu ce cas"), "{warnings}");
    assert_eq!(preview.body["sittings"][0]["replaces"], "cas-2-atelier-bois 1");
    // 2027-004 (not hers) may sit the kitchen case already.
    match preview.body["sittings"].as_array().unwrap().get(1) {
        Some(fourth) => assert_eq!(fourth["warnings"], json!([]), "{fourth:#}"),
        None => assert_eq!(preview.body["unchanged"], json!([3])),
    }
    let _ = kueche;
    // With the author's case only, those she scores are named, and every
    // view of their sitting says so.
    let body = json!({"position": "2.1", "cases": [authored], "seed": 5, "replace": true});
    let drawn = draw(&app, &admin, session, body).await;
    assert_eq!(drawn.status, StatusCode::OK, "{:#}", drawn.body);
    assert_eq!(drawn.body["conflicted"], json!(["2027-001", "2027-002", "2027-003"]));
    let listed = app.get(&format!("/api/sessions/{session}/cases"), &admin).await;
    for sitting in listed.body.as_array().unwrap() {
        let number = sitting["candidate"].as_str().unwrap();
        let expected = if ["2027-001", "2027-002", "2027-003"].contains(&number) {
            json!(["exp-auteure"])
        } else {
            json!([])
        };
        assert_eq!(sitting["conflicts"], expected, "{sitting:#}");
    }
    // The board sees who wrote it (candidates never do: `for_candidates`).
    let detail = app.get(&format!("/api/cases/{authored}"), &admin).await;
    assert_eq!(detail.body["case"]["authors"], json!(["exp-auteure"]));
}
