//! The candidate register: master data (one candidate, or a CSV file
//! checked line by line, all or nothing), the exam language the decision
//! letters follow, accommodations shown to the assigned examiners only,
//! and each kind of bad input refused where it is.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, score_example, send_json};

async fn put(app: &TestApp, uri: &str, auth: &Auth, body: &Value) -> crate::support::Answer {
    send_json(app, Method::PUT, uri, auth, body, None).await
}

fn places(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|error| match (error["pointer"].as_str(), error["line"].as_u64(), error["field"].as_str()) {
            (Some(pointer), _, _) => pointer.to_owned(),
            (None, Some(line), Some(field)) => format!("{line}:{field}"),
            (None, Some(line), None) => format!("{line}"),
            _ => "?".to_owned(),
        })
        .collect()
}

fn anna() -> Value {
    json!({
        "family_name": "Muster",
        "given_name": "Anna Maria",
        "date_of_birth": "31.12.1990",
        "place_of_origin": "Trub BE",
        "address": ["Bahnhofstrasse 1", "3000 Bern"],
        "exam_language": "de",
        "canton": "ge"
    })
}

#[tokio::test]
async fn master_data_reaches_the_decisions_and_the_list_of_successful_candidates() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let uri = "/api/candidates/2026-001/master-data";
    let saved = put(&app, uri, &admin, &anna()).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body["date_of_birth"], "1990-12-31", "answered as ISO");
    assert_eq!(saved.body["exam_language"], "de");
    assert_eq!(saved.body["canton"], "GE", "codes are kept upper case");
    assert_eq!(app.get(uri, &admin).await.body, saved.body);
    let register = app.get(&format!("/api/sessions/{id}/register"), &admin).await;
    assert_eq!(register.body[0]["place_of_origin"], "Trub BE", "{:#}", register.body);
    // The audit log names the fields, never the values.
    let audit = app.get("/api/audit?entity=candidate&entity_id=2026-001", &admin).await;
    assert_eq!(audit.body[0]["action"], "candidate.master_data", "{:#}", audit.body);
    assert!(!audit.body.to_string().contains("Trub"), "{:#}", audit.body);

    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    let decisions = app.get(&format!("/api/sessions/{id}/decisions"), &admin).await;
    let first = &decisions.body["candidates"][0];
    assert_eq!(
        (&first["date_of_birth"], &first["place_of_origin"], &first["language"], &first["address"][1]),
        (&json!("1990-12-31"), &json!("Trub BE"), &json!("de"), &json!("3000 Bern")),
        "{first:#}"
    );
    let results = app.get(&format!("/api/sessions/{id}/results"), &admin).await;
    let passed = results.body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|result| result["number"] == "2026-001" && result["outcome"] == "passed");
    // Her appeal period counts with Geneva's holidays (PA art. 20 al. 3),
    // the others' with the board's: notified on 10 July 2026, the 30th
    // day is Thursday 10 September, the Jeûne genevois.
    let decisions = app.get(&format!("/api/sessions/{id}/decisions?notified=10.07.2026"), &admin).await;
    assert_eq!(decisions.body["notification"]["appeal"]["last_day"], "2026-09-10", "{:#}", decisions.body);
    let candidates = decisions.body["candidates"].as_array().unwrap();
    for candidate in candidates {
        let (canton, last_day) = if candidate["number"] == "2026-001" {
            (json!("GE"), "2026-09-11")
        } else {
            (Value::Null, "2026-09-10")
        };
        assert_eq!((&candidate["canton"], &candidate["appeal"]["last_day"]), (&canton, &json!(last_day)));
    }
    let list = app.get(&format!("/api/sessions/{id}/successful/csv?lang=de"), &admin).await;
    let text = list.body.as_str().unwrap();
    assert_eq!(text.contains("2026-001;Muster;Anna Maria;31.12.1990;Trub BE;"), passed, "{text}");
}

#[tokio::test]
async fn bad_master_data_is_refused_at_its_pointer_and_nothing_changes() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    prepare_example(&app, &admin).await;
    let uri = "/api/candidates/2026-001/master-data";
    let with = |field: &str, value: Value| {
        let mut body = anna();
        body[field] = value;
        body
    };
    let rows: Vec<(&str, Value, Vec<&str>)> = vec![
        ("a date in no known form", with("date_of_birth", json!("3/5/1990")), vec!["/date_of_birth"]),
        ("a day that does not exist", with("date_of_birth", json!("31.02.1990")), vec!["/date_of_birth"]),
        ("a birth in the future", with("date_of_birth", json!("01.01.2150")), vec!["/date_of_birth"]),
        ("an unknown language", with("exam_language", json!("en")), vec!["/exam_language"]),
        ("a surname too long", with("family_name", json!("x".repeat(201))), vec!["/family_name"]),
        ("a blank given name", with("given_name", json!("   ")), vec!["/given_name"]),
        (
            "a place of origin too long",
            with("place_of_origin", json!("y".repeat(121))),
            vec!["/place_of_origin"],
        ),
        ("an address too long", with("address", json!(["1", "2", "3", "4", "5", "6"])), vec!["/address"]),
        ("an address line too long", with("address", json!(["z".repeat(121)])), vec!["/address/0"]),
        ("an unknown field", with("email", json!("a@b.ch")), vec![""]),
        ("not a canton", with("canton", json!("XY")), vec!["/canton"]),
        ("a canton by its name", with("canton", json!("Genève")), vec!["/canton"]),
    ];
    for (what, body, expected) in rows {
        let answer = put(&app, uri, &admin, &body).await;
        let problem = answer.problem(422, what);
        let found = places(problem);
        if expected == [""] {
            assert!(!found.is_empty(), "{what}: {problem:#}");
        } else {
            assert_eq!(found, expected, "{what}: {problem:#}");
        }
    }
    let stored = app.get(uri, &admin).await;
    assert_eq!(stored.body["date_of_birth"], Value::Null, "nothing saved: {:#}", stored.body);
    put(&app, "/api/candidates/NOBODY/master-data", &admin, &anna()).await.problem(404, "unknown number");
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    put(&app, uri, &examiner, &anna()).await.problem(403, "an examiner");
    app.get(uri, &examiner).await.problem(403, "an examiner reading");
    put(&app, uri, &Auth::None, &anna()).await.problem(401, "anonymous");
}

#[tokio::test]
async fn a_master_data_file_is_checked_line_by_line_and_saved_all_or_nothing() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let preview = "/api/candidates/master-data/csv/preview";
    let import = "/api/candidates/master-data/csv";
    let good = "Nummer;Name;Vorname;Geburtsdatum;Heimatort;Adresse;Prüfungssprache;Wohnkanton\n\
                2026-001;Muster;Anna;31.12.1990;Trub BE;\"Bahnhofstrasse 1, 3000 Bern\";Deutsch;be\n\
                2026-002;Rossi;Marco;1985-04-02;Lugano;;it;\n";
    let answer = app.post_raw(preview, &admin, "text/csv", good).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(answer.body["candidates"][0]["address"], json!(["Bahnhofstrasse 1", "3000 Bern"]));
    assert_eq!(answer.body["candidates"][1]["exam_language"], "it");
    assert_eq!(
        (&answer.body["candidates"][0]["canton"], &answer.body["candidates"][1]["canton"]),
        (&json!("BE"), &Value::Null)
    );
    assert_eq!(answer.body["encoding"], "utf8");
    let register = format!("/api/sessions/{id}/register");
    assert_eq!(
        app.get(&register, &admin).await.body[0]["date_of_birth"],
        Value::Null,
        "a preview saves nothing"
    );

    let bad = "numéro;nom;prénoms;date de naissance;langue d'examen;canton\n\
               2026-001;Muster;Anna;1990/12/31;de;BE\n\
               2026-002;Rossi;Marco;02.04.1985;rm;TI\n\
               2026-001;Muster;Anna;31.12.1990;de;\n\
               NOBODY;Niemand;Nie;01.01.1980;fr;VD\n\
               2026-003;;Lea;30.02.1980;fr;Waadt\n";
    let answer = app.post_raw(import, &admin, "text/csv", bad).await;
    let problem = answer.problem(422, "bad lines");
    assert_eq!(
        places(problem),
        [
            "2:date_of_birth",
            "3:exam_language",
            "4:number",
            "5:number",
            "6:family_name",
            "6:date_of_birth",
            "6:canton"
        ],
        "{problem:#}"
    );
    assert!(problem.to_string().contains("1990/12/31"), "{problem:#}");
    assert_eq!(
        app.get(&register, &admin).await.body[0]["date_of_birth"],
        Value::Null,
        "nothing half-imported"
    );

    let missing =
        app.post_raw(import, &admin, "text/csv", "numéro;date de naissance\n2026-001;01.01.1990\n").await;
    assert!(!places(missing.problem(422, "no name columns")).is_empty());

    let saved = app.post_raw(import, &admin, "text/csv", good).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body, json!({"lines": 2, "changed": 2}));
    let entries = app.get(&register, &admin).await.body;
    assert_eq!(
        (&entries[0]["date_of_birth"], &entries[1]["exam_language"]),
        (&json!("1990-12-31"), &json!("it"))
    );
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    app.post_raw(import, &examiner, "text/csv", good).await.problem(403, "an examiner");
}

#[tokio::test]
async fn accommodations_reach_the_examiners_assigned_to_the_candidate_only() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let uri = "/api/candidates/2026-001/accommodation";
    let body = json!({"extra_minutes": 30, "aids": "Laptop mit Vorlesefunktion", "note": "Separater Raum"});
    let saved = put(&app, uri, &admin, &body).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body["accommodation"]["extra_minutes"], 30);
    for (what, bad, pointer) in [
        ("too much time", json!({"extra_minutes": 601}), "/extra_minutes"),
        ("negative time", json!({"extra_minutes": -5}), "/extra_minutes"),
        ("aids too long", json!({"aids": "a".repeat(501)}), "/aids"),
        ("note too long", json!({"note": "n".repeat(1001)}), "/note"),
    ] {
        let answer = put(&app, uri, &admin, &bad).await;
        assert_eq!(places(answer.problem(422, what)), [pointer], "{what}");
    }
    let assignments = app.get(&format!("/api/sessions/{id}/assignments"), &admin).await;
    let rows = assignments.body.as_array().expect("a list of assignments");
    let examiners: std::collections::BTreeSet<String> =
        rows.iter().map(|row| row["examiner"].as_str().unwrap().to_owned()).collect();
    let assigned: Vec<String> = rows
        .iter()
        .filter(|row| row["candidate_number"] == "2026-001")
        .map(|row| row["examiner"].as_str().unwrap().to_owned())
        .collect();
    assert!(!assigned.is_empty(), "{rows:#?}");
    // An examiner of no part of this candidate.
    let created = app
        .post_json(
            "/api/users",
            &admin,
            &json!({"username": "exp-other", "password": EXAMINER_PASSWORD, "role": "examiner"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    let mut examiners = examiners;
    examiners.insert("exp-other".to_owned());
    let audit = app.get("/api/audit?entity=candidate&entity_id=2026-001", &admin).await;
    assert_eq!(audit.body[0]["action"], "candidate.accommodation", "{:#}", audit.body);
    for examiner in &examiners {
        let login = app.login(examiner, EXAMINER_PASSWORD).await;
        let mine = app.get("/api/me/accommodations", &login.bearer()).await;
        assert_eq!(mine.status, StatusCode::OK, "{:#}", mine.body);
        let sees = mine.body.as_array().unwrap().iter().any(|row| row["number"] == "2026-001");
        assert_eq!(sees, assigned.contains(examiner), "{examiner}: {:#}", mine.body);
        // The scoring form of each position the examiner scores carries the
        // accommodation of its candidate (and only of 2026-001), and the
        // pile's neighbours as the assignment list orders it.
        let list = app.get("/api/me/assignments", &login.bearer()).await;
        let items = list.body.as_array().expect("a list of assignments");
        for item in items.iter().filter(|item| item["session_id"] == id) {
            let number = item["candidate"].as_str().unwrap();
            for position in item["positions"].as_array().unwrap() {
                let position = position["position"].as_str().unwrap();
                let pile: Vec<&str> = items
                    .iter()
                    .filter(|other| other["session_id"] == id && other["part"] == item["part"])
                    .map(|other| other["candidate"].as_str().unwrap())
                    .collect();
                let at = pile.iter().position(|other| *other == number).unwrap();
                let form = app
                    .get(
                        &format!("/api/sessions/{id}/candidates/{number}/positions/{position}/form"),
                        &login.bearer(),
                    )
                    .await;
                assert_eq!(form.status, StatusCode::OK, "{:#}", form.body);
                let previous = at.checked_sub(1).map(|before| pile[before]);
                assert_eq!(
                    form.body["neighbours"]["previous"].as_str(),
                    previous,
                    "{examiner} {number} {position}"
                );
                assert_eq!(
                    form.body["neighbours"]["next"].as_str(),
                    pile.get(at + 1).copied(),
                    "{examiner} {number}"
                );
                if number == "2026-001" {
                    assert_eq!(form.body["accommodation"]["extra_minutes"], 30, "{:#}", form.body);
                    assert_eq!(form.body["accommodation"]["aids"], "Laptop mit Vorlesefunktion");
                } else {
                    assert!(
                        form.body["accommodation"].is_null(),
                        "{number}: {:#}",
                        form.body["accommodation"]
                    );
                }
            }
        }
    }
    // The board reads the accommodation on the form too; no pile of its own.
    let form = app.get(&format!("/api/sessions/{id}/candidates/2026-001/positions/1.1/form"), &admin).await;
    assert_eq!(form.status, StatusCode::OK, "{:#}", form.body);
    assert_eq!(form.body["accommodation"]["note"], "Separater Raum");
    assert!(form.body["neighbours"]["previous"].is_null() && form.body["neighbours"]["next"].is_null());
    put(&app, uri, &app.login("exp-01", EXAMINER_PASSWORD).await.bearer(), &body)
        .await
        .problem(403, "an examiner writing");
}

#[tokio::test]
async fn a_declared_conflict_of_interest_refuses_the_assignment_with_its_reason() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let examiner = app.expert().await.bearer();
    let declared = app
        .post_json(
            "/api/me/conflicts",
            &examiner,
            &json!({"candidate_number": "C-7", "reason": "trained", "note": "Praxisausbildnerin 2024"}),
        )
        .await;
    assert_eq!(declared.status, StatusCode::CREATED, "{:#}", declared.body);
    for (what, body, pointer) in [
        ("an unknown reason", json!({"candidate_number": "C-7", "reason": "friend"}), "/reason"),
        ("a bad number", json!({"candidate_number": "C 7!", "reason": "other"}), "/candidate_number"),
        (
            "a note too long",
            json!({"candidate_number": "C-7", "reason": "other", "note": "n".repeat(501)}),
            "/note",
        ),
    ] {
        let answer = app.post_json("/api/me/conflicts", &examiner, &body).await;
        assert_eq!(places(answer.problem(422, what)), [pointer], "{what}");
    }
    let mine = app.get("/api/me/conflicts", &examiner).await;
    assert_eq!(mine.body[0]["reason"], "trained", "{:#}", mine.body);
    let all = app.get("/api/conflicts", &admin).await;
    let name = all.body[0]["examiner"].as_str().unwrap().to_owned();

    let created = app.post_json("/api/sessions", &admin, &json!({"name": "Konflikte"})).await;
    let id = created.body["id"].as_i64().unwrap();
    let candidates = json!({"candidates": [
        {"number": "C-7", "family_name": "Muster", "given_name": "Anna"},
        {"number": "C-8", "family_name": "Beispiel", "given_name": "Beat"}
    ]});
    app.post_json(&format!("/api/sessions/{id}/candidates"), &admin, &candidates).await;
    let refused = app
        .post_json(
            &format!("/api/sessions/{id}/assignments"),
            &admin,
            &json!({"candidate_number": "C-7", "part": "1", "examiner": name}),
        )
        .await;
    let problem = refused.problem(422, "a declared conflict");
    assert_eq!(places(problem), ["/examiner"], "{problem:#}");
    assert!(problem.to_string().contains("a formé la personne"), "{problem:#}");
    let csv = format!("numéro;épreuve;expert·e\nC-8;1;{name}\nC-7;1;{name}\n");
    let preview =
        app.post_raw(&format!("/api/sessions/{id}/assignments/csv/preview"), &admin, "text/csv", &csv).await;
    assert_eq!(places(preview.problem(422, "the same in a file")), ["3:examiner"]);
    let fine = app
        .post_json(
            &format!("/api/sessions/{id}/assignments"),
            &admin,
            &json!({"candidate_number": "C-8", "part": "1", "examiner": name}),
        )
        .await;
    assert_eq!(fine.status, StatusCode::CREATED, "{:#}", fine.body);
    // The examiner withdraws it (once).
    let withdrawn =
        send_json(&app, Method::DELETE, "/api/me/conflicts/C-7", &examiner, &json!(null), None).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:#}", withdrawn.body);
    app.send_with(Method::DELETE, "/api/me/conflicts/C-7", &examiner, None, Vec::new(), None)
        .await
        .problem(404, "withdrawn twice");
    app.get("/api/conflicts", &examiner).await.problem(403, "an examiner reads only their own");
    app.post_json("/api/me/conflicts", &admin, &json!({"candidate_number": "C-7", "reason": "other"}))
        .await
        .problem(403, "the board declares for nobody");
}

#[tokio::test]
async fn the_appeal_register_checks_each_appeal_against_the_deadline_and_its_own_days() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let uri = format!("/api/sessions/{id}/appeals");
    let appeal = json!({"candidate_number": "2026-003", "received_on": "15.05.2026", "status": "received"});
    app.post_json(&uri, &admin, &appeal).await.problem(409, "before the results are final");
    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    // Notified on 14 April 2026: the 30th day is Ascension, the last day Friday 15 May.
    let particulars = json!({"sittings": [], "notified_on": "14.04.2026"});
    put(&app, &format!("/api/sessions/{id}/particulars"), &admin, &particulars).await;

    let on_time = app.post_json(&uri, &admin, &appeal).await;
    assert_eq!(on_time.status, StatusCode::CREATED, "{:#}", on_time.body);
    assert_eq!(
        (&on_time.body["received_on"], &on_time.body["deadline"], &on_time.body["on_time"]),
        (&json!("2026-05-15"), &json!("2026-05-15"), &json!(true))
    );
    let late = app
        .post_json(
            &uri,
            &admin,
            &json!({"candidate_number": "2026-001", "received_on": "2026-05-16", "status": "received"}),
        )
        .await;
    assert_eq!(late.body["on_time"], false, "{:#}", late.body);

    let with = |field: &str, value: Value| {
        let mut body = appeal.clone();
        body[field] = value;
        body
    };
    let rows: Vec<(&str, Value, Vec<&str>)> = vec![
        ("a day that does not exist", with("received_on", json!("32.05.2026")), vec!["/received_on"]),
        ("a day in no known form", with("received_on", json!("15/05/2026")), vec!["/received_on"]),
        ("an unknown status", with("status", json!("lost")), vec!["/status"]),
        ("decided without a day", with("status", json!("rejected")), vec!["/decided_on"]),
        ("a decision day while received", with("decided_on", json!("20.05.2026")), vec!["/decided_on"]),
        (
            "a consultation held but never asked for",
            with("consultation_held_on", json!("20.05.2026")),
            vec!["/consultation_held_on"],
        ),
        ("a correction of nobody", with("corrections", json!([999])), vec!["/corrections/0"]),
        ("a number not enrolled", with("candidate_number", json!("2099-001")), vec!["/candidate_number"]),
        ("a note too long", with("note", json!("n".repeat(2001))), vec!["/note"]),
    ];
    for (what, body, expected) in rows {
        let answer = app.post_json(&uri, &admin, &body).await;
        assert_eq!(places(answer.problem(422, what)), expected, "{what}");
    }

    // Decided, with the file consulted; If-Match its version.
    let appeal_uri = format!("{uri}/{}", on_time.body["id"]);
    let decided = json!({
        "candidate_number": "2026-003", "received_on": "15.05.2026", "status": "partly_upheld",
        "decided_on": "30.06.2026", "consultation_requested_on": "20.05.2026", "consultation_held_on": "02.06.2026"
    });
    send_json(&app, Method::PUT, &appeal_uri, &admin, &decided, None).await.problem(428, "no If-Match");
    let saved = send_json(&app, Method::PUT, &appeal_uri, &admin, &decided, Some(1)).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!((&saved.body["status"], &saved.body["version"]), (&json!("partly_upheld"), &json!(2)));
    send_json(&app, Method::PUT, &appeal_uri, &admin, &decided, Some(1))
        .await
        .problem(409, "a stale version");
    let audit = app.get(&format!("/api/audit?entity=appeal&entity_id={}", on_time.body["id"]), &admin).await;
    assert_eq!(audit.body[0]["action"], "appeal.update", "{:#}", audit.body);

    let list = app.get(&format!("{uri}/csv?lang=de"), &admin).await;
    assert_eq!(list.status, StatusCode::OK);
    let text = list.body.as_str().unwrap();
    assert!(text.starts_with('\u{feff}') && text.contains("Kandidatennummer;Eingegangen am"), "{text}");
    assert!(text.contains("2026-001;16.05.2026;15.05.2026;nein, verspätet;eingegangen"), "{text}");
    assert!(
        text.contains(
            "2026-003;15.05.2026;15.05.2026;ja;teilweise gutgeheissen;30.06.2026;;20.05.2026;02.06.2026"
        ),
        "{text}"
    );
    // A candidate whose canton of domicile the register holds counts with
    // its holidays (PA art. 20 al. 3): notified on 10 July 2026, the 30th
    // day is Thursday 10 September, Geneva's fast, so the last day is the
    // 11th for a candidate of Geneva and the 10th for the others.
    let master = json!({"family_name": "Rossi", "given_name": "Marco", "canton": "GE"});
    assert_eq!(
        put(&app, "/api/candidates/2026-002/master-data", &admin, &master).await.status,
        StatusCode::OK
    );
    let particulars = json!({"sittings": [], "notified_on": "10.07.2026"});
    put(&app, &format!("/api/sessions/{id}/particulars"), &admin, &particulars).await;
    for (number, deadline, on_time) in [("2026-002", "2026-09-11", true), ("2026-004", "2026-09-10", false)] {
        let body = json!({"candidate_number": number, "received_on": "11.09.2026", "status": "received"});
        let answer = app.post_json(&uri, &admin, &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{number}: {:#}", answer.body);
        assert_eq!(
            (&answer.body["deadline"], &answer.body["on_time"]),
            (&json!(deadline), &json!(on_time)),
            "{number}"
        );
    }

    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    app.get(&uri, &examiner).await.problem(403, "an examiner");
}
