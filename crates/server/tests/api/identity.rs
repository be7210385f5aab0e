//! The exam body's identity (texts and logo), a session's particulars,
//! the decisions' notification and appeal deadline, and the list of
//! successful candidates: who may read and write them, and the bad input
//! refused with its pointer.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::mock::{TRAINER_PASSWORD, prepare_mock, schools_and_trainers};
use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, score_example, send_json};

fn identity() -> Value {
    json!({
        "name": "Commission d'examen Arbeitsagogik",
        "address": ["Case postale 12", "3000 Berne 1"],
        "seat": "Berne",
        "signatories": [
            {"name": "Anne Muster", "function": "Présidente de la commission"},
            {"name": "Beat Beispiel", "function": "Responsable des examens"}
        ],
        "canton": "be",
        "holidays": ["new_year", "berchtold", "good_friday", "easter_monday", "ascension", "whit_monday", "national_day", "christmas", "st_stephen"],
        "postal_days": 2,
        "remedy": {"de": "Gegen diese Verfügung kann beim SBFI Beschwerde geführt werden.", "fr": "  "}
    })
}

async fn put(app: &TestApp, uri: &str, auth: &Auth, body: &Value) -> crate::support::Answer {
    send_json(app, Method::PUT, uri, auth, body, None).await
}

fn pointers(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors.iter().filter_map(|error| error["pointer"].as_str().map(str::to_owned)).collect()
        })
        .unwrap_or_default()
}

/// Optimistic concurrency: the identity's version is its ETag; a write
/// naming the version it read succeeds and gives a new one; a second tab
/// still holding the old version gets 409 with the current version, and
/// nothing is written.
#[tokio::test]
async fn a_stale_tab_does_not_overwrite_the_identity() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let uri = "/api/board/identity";
    let empty = app.get(uri, &admin).await;
    assert_eq!(empty.body["version"].as_i64(), Some(0));
    assert_eq!(empty.headers["etag"], "\"0\"");

    // Two tabs read version 0; the first saves.
    let first = send_json(&app, Method::PUT, uri, &admin, &identity(), Some(0)).await;
    assert_eq!(first.status, StatusCode::OK, "{:#}", first.body);
    let version = first.body["version"].as_i64().expect("a version");
    assert_ne!(version, 0);
    assert_eq!(first.headers["etag"], format!("\"{version}\"").as_str());
    let read = app.get(uri, &admin).await;
    assert_eq!(
        (read.body["version"].as_i64(), &read.headers["etag"]),
        (Some(version), &first.headers["etag"])
    );

    // The second tab, still at version 0: refused, the current version named.
    let mut stale = identity();
    stale["name"] = json!("Ancien nom d'un onglet oublié");
    let refused = send_json(&app, Method::PUT, uri, &admin, &stale, Some(0)).await;
    let problem = refused.problem(409, "a stale version");
    assert_eq!(problem["code"], "conflict.stale_version", "{problem:#}");
    assert_eq!(problem["args"], json!({"current": version.to_string()}), "{problem:#}");
    assert_eq!(
        app.get(uri, &admin).await.body["name"],
        "Commission d'examen Arbeitsagogik",
        "nothing written"
    );

    // With the version it now reads, the second tab's change goes through.
    let saved = send_json(&app, Method::PUT, uri, &admin, &stale, Some(version)).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_ne!(saved.body["version"].as_i64(), Some(version), "every write gives a new version");
    assert_eq!(app.get(uri, &admin).await.body["name"], "Ancien nom d'un onglet oublié");
}

#[tokio::test]
async fn the_board_writes_the_identity_and_nobody_else_reads_it() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let examiner = app.expert().await.bearer();

    let empty = app.get("/api/board/identity", &admin).await;
    assert_eq!(empty.status, StatusCode::OK, "{:#}", empty.body);
    assert_eq!(empty.body["configured"], false);
    assert_eq!(empty.body["postal_days"], 2);
    assert_eq!(empty.body["holidays"].as_array().unwrap().len(), 8);
    assert!(empty.body["remedy_default"]["de"].as_str().unwrap().contains("SBFI"));

    for (who, auth, status) in [("anonymous", Auth::None, 401), ("examiner", examiner.clone(), 403)] {
        app.get("/api/board/identity", &auth).await.problem(status, who);
        put(&app, "/api/board/identity", &auth, &identity()).await.problem(status, who);
        app.get("/api/board/identity/logo", &auth).await.problem(status, who);
    }

    let saved = put(&app, "/api/board/identity", &admin, &identity()).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body["configured"], true);
    assert_eq!(saved.body["canton"], "BE", "codes are kept upper case");
    assert_eq!(saved.body["remedy"]["fr"], Value::Null, "a blank text means the default");
    assert_eq!(saved.body["signatories"][1]["name"], "Beat Beispiel");
    assert_eq!(app.get("/api/board/identity", &admin).await.body, saved.body);

    let audit = app.get("/api/audit?entity=board_identity", &admin).await;
    assert_eq!(audit.body[0]["action"], "board_identity.update", "{:#}", audit.body);
}

/// Without a list of holidays, a canton's proposal (or, without a canton,
/// the days nearly every canton keeps) is saved; every canton's proposal
/// is in the answer for the page to offer.
#[tokio::test]
async fn holidays_left_out_are_the_cantons_proposal() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let proposals = app.get("/api/board/identity", &admin).await.body["canton_holidays"].clone();
    assert_eq!(proposals.as_array().map(Vec::len), Some(26), "{proposals:#}");
    let proposal = |canton: &str| {
        proposals.as_array().unwrap().iter().find(|each| each["canton"] == canton).unwrap()["holidays"]
            .clone()
    };
    assert_eq!(proposal("GE"), json!(grille_workflow::appeal::canton_holidays("GE").unwrap()));
    let rows = [
        (json!({"name": "x", "canton": "ge"}), proposal("GE")),
        (json!({"name": "x", "canton": "TI"}), proposal("TI")),
        (json!({"name": "x"}), json!(grille_workflow::appeal::Holiday::DEFAULT)),
        // A list given, even empty, is the board's choice.
        (json!({"name": "x", "canton": "TI", "holidays": []}), json!([])),
        (
            json!({"name": "x", "canton": "VD", "holidays": ["fast_monday", "new_year"]}),
            json!(["new_year", "fast_monday"]),
        ),
    ];
    for (body, expected) in rows {
        let saved = put(&app, "/api/board/identity", &admin, &body).await;
        assert_eq!(saved.status, StatusCode::OK, "{body}: {:#}", saved.body);
        let mut sorted: Vec<grille_workflow::appeal::Holiday> = serde_json::from_value(expected).unwrap();
        sorted.sort();
        assert_eq!(saved.body["holidays"], json!(sorted), "{body}");
    }
    assert!(proposal("GE").as_array().unwrap().contains(&json!("jeune_genevois")));
    assert!(!proposal("TI").as_array().unwrap().contains(&json!("good_friday")));
}

#[tokio::test]
async fn a_bad_identity_is_refused_with_every_problem_at_its_pointer() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let four = json!({"name": "N", "function": "F"});
    let rows: Vec<(Value, Vec<&str>)> = vec![
        (json!({"name": "  "}), vec!["/name"]),
        (
            json!({"name": "x", "signatories": [four, four, four, four], "canton": "XY", "postal_days": 30}),
            vec!["/signatories", "/canton", "/postal_days"],
        ),
        (
            json!({"name": "x", "signatories": [{"name": "", "function": "Présidente"}], "address": ["a", "b\u{7}"]}),
            vec!["/address/1", "/signatories/0/name"],
        ),
        (json!({"name": "x", "remedy": {"it": "x".repeat(3001)}}), vec!["/remedy/it"]),
    ];
    for (body, expected) in rows {
        let answer = put(&app, "/api/board/identity", &admin, &body).await;
        let problem = answer.problem(422, &body.to_string());
        assert_eq!(pointers(problem), expected, "{body}");
    }
    // The schema refuses unknown holidays and fields before anything else.
    for body in [json!({"name": "x", "holidays": ["carnival"]}), json!({"name": "x", "colour": "red"})] {
        put(&app, "/api/board/identity", &admin, &body).await.problem(422, &body.to_string());
    }
    assert_eq!(app.get("/api/board/identity", &admin).await.body["configured"], false, "nothing half-saved");
}

#[tokio::test]
async fn the_logo_is_typed_by_its_content_and_size_limited() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let uri = "/api/board/identity/logo";
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();

    app.get(uri, &admin).await.problem(404, "no logo yet");
    app.send(Method::DELETE, uri, &admin, None, Vec::new()).await.problem(404, "nothing to remove");
    let refused: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("empty", Vec::new(), 422, "vide"),
        ("a PDF", b"%PDF-1.7\n".to_vec(), 422, "PNG, JPEG ou SVG"),
        ("a GIF", b"GIF89a....".to_vec(), 422, "PNG, JPEG ou SVG"),
        (
            "an SVG with a script",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>".to_vec(),
            422,
            "scripts",
        ),
        (
            "just too large",
            [png.clone(), vec![0; grille_server::MAX_LOGO_BYTES - png.len() + 1]].concat(),
            413,
            "Mio",
        ),
        ("far too large", [png.clone(), vec![0; 3 * grille_server::MAX_LOGO_BYTES]].concat(), 413, "Mio"),
    ];
    for (what, bytes, status, says) in refused {
        let answer = app.send(Method::PUT, uri, &admin, Some("image/png"), bytes).await;
        let problem = answer.problem(status, what);
        assert!(problem.to_string().contains(says), "{what}: {problem:#}");
    }

    let stored = app.send(Method::PUT, uri, &admin, Some("application/octet-stream"), png.clone()).await;
    assert_eq!(stored.status, StatusCode::OK, "{:#}", stored.body);
    assert_eq!(stored.body["logo"]["media_type"], "image/png");
    assert_eq!(stored.body["configured"], true);
    let served = app.get(uri, &admin).await;
    assert_eq!((served.status, served.content_type()), (StatusCode::OK, "image/png"));
    assert_eq!(served.headers["x-content-type-options"], "nosniff");

    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>";
    let replaced = app.send(Method::PUT, uri, &admin, Some("image/svg+xml"), svg.to_vec()).await;
    assert_eq!(replaced.body["logo"]["media_type"], "image/svg+xml", "{:#}", replaced.body);

    let removed = app.send(Method::DELETE, uri, &admin, None, Vec::new()).await;
    assert_eq!(removed.status, StatusCode::OK, "{:#}", removed.body);
    assert_eq!(removed.body["logo"], Value::Null);
}

/// Scores the example, sets its particulars, finalises and publishes it.
async fn finished_example(app: &TestApp, admin: &Auth) -> i64 {
    let id = prepare_example(app, admin).await;
    score_example(app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    id
}

#[tokio::test]
async fn decisions_count_the_appeal_deadline_from_the_notification_day() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    put(&app, "/api/board/identity", &admin, &identity()).await;
    let id = prepare_example(&app, &admin).await;
    let decisions = format!("/api/sessions/{id}/decisions");
    let particulars = format!("/api/sessions/{id}/particulars");

    // Days and places can be written at any time; dates in both forms.
    let body = json!({"sittings": [{"date": "03.05.2027", "place": "Olten"}, {"date": "2027-05-04", "place": "Berne"}]});
    let saved = put(&app, &particulars, &admin, &body).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body["sittings"][0]["date"], "2027-05-03");
    let bad = json!({"sittings": [{"date": "31.02.2027", "place": ""}, {"date": "3/5/2027", "place": "x"}], "notified_on": "demain"});
    let problem = put(&app, &particulars, &admin, &bad).await;
    assert_eq!(
        pointers(problem.problem(422, "bad particulars")),
        ["/sittings/0/date", "/sittings/0/place", "/sittings/1/date", "/notified_on"]
    );
    assert!(problem.body.to_string().contains("31.02.2027"), "{:#}", problem.body);

    // No decision before the grading meeting.
    app.get(&decisions, &admin).await.problem(409, "before finalisation");
    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK);

    // Finalised, not published, no day entered: unknown.
    let answer = app.get(&decisions, &admin).await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(answer.body["notification"]["source"], "unknown");
    assert_eq!(answer.body["notification"]["appeal"], Value::Null);
    assert_eq!(answer.body["sittings"][1]["place"], "Berne");
    assert_eq!(answer.body["candidates"][0]["family_name"], "Exemple");
    assert_eq!(answer.body["candidates"][0]["date_of_birth"], Value::Null);
    assert_eq!(answer.body["identity"]["name"], "Commission d'examen Arbeitsagogik");

    // Published: the publication day plus two postal days.
    app.post_json(&format!("/api/sessions/{id}/publish"), &admin, &json!({})).await;
    let published = app.get(&decisions, &admin).await;
    let notification = &published.body["notification"];
    assert_eq!(notification["source"], "publication", "{:#}", published.body);
    let published_on =
        grille_workflow::appeal::Date::parse(notification["published_on"].as_str().unwrap()).unwrap();
    let holidays: Vec<grille_workflow::appeal::Holiday> =
        serde_json::from_value(published.body["identity"]["holidays"].clone()).unwrap();
    let expected = grille_workflow::appeal::appeal_deadline(published_on.plus(2), &holidays);
    assert_eq!(notification["appeal"]["notified_on"], published_on.plus(2).iso());
    assert_eq!(notification["appeal"]["last_day"], expected.last_day.iso());

    // A day entered by the board, or asked for: counted by PA art. 20/22a.
    let rows = [
        ("01.07.2027", "asked", "2027-09-01", "wednesday", json!(["summer"])),
        ("2026-12-01", "asked", "2027-01-18", "monday", json!(["winter"])),
    ];
    for (asked, source, last_day, weekday, stood_still) in rows {
        let answer = app.get(&format!("{decisions}?notified={asked}"), &admin).await;
        let appeal = &answer.body["notification"]["appeal"];
        assert_eq!(answer.body["notification"]["source"], source, "{asked}");
        assert_eq!(
            (appeal["last_day"].as_str(), appeal["last_weekday"].as_str()),
            (Some(last_day), Some(weekday)),
            "{asked}"
        );
        assert_eq!(appeal["stood_still"], stood_still, "{asked}");
    }
    let problem = app.get(&format!("{decisions}?notified=32.01.2027"), &admin).await;
    assert!(problem.problem(422, "bad day").to_string().contains("notified"), "{:#}", problem.body);
    let entered =
        put(&app, &particulars, &admin, &json!({"sittings": [], "notified_on": "14.04.2026"})).await;
    assert_eq!(entered.body["notified_on"], "2026-04-14");
    let answer = app.get(&decisions, &admin).await;
    assert_eq!(answer.body["notification"]["source"], "entered");
    // 30th day on Ascension 2026 (Thursday 14 May): Friday 15 May.
    assert_eq!(answer.body["notification"]["appeal"]["last_day"], "2026-05-15");
    assert_eq!(answer.body["sittings"], json!([]), "no day entered any more, the session has no date");
}

#[tokio::test]
async fn the_list_of_successful_candidates_is_a_semicolon_csv_with_bom() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = finished_example(&app, &admin).await;
    put(
        &app,
        &format!("/api/sessions/{id}/particulars"),
        &admin,
        &json!({"sittings": [{"date": "2027-05-03", "place": "Olten"}]}),
    )
    .await;
    let results = app.get(&format!("/api/sessions/{id}/results"), &admin).await;
    let mut passed: Vec<String> = results.body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result["outcome"] == "passed")
        .map(|result| result["number"].as_str().unwrap().to_owned())
        .collect();
    passed.sort();
    assert!(!passed.is_empty());
    for (lang, header) in [
        (
            "fr",
            "Numéro de candidat·e;Nom;Prénom(s);Date de naissance;Lieu d'origine;Note globale;Date(s) d'examen",
        ),
        ("de", "Kandidatennummer;Name;Vorname(n);Geburtsdatum;Heimatort;Gesamtnote;Prüfungsdatum"),
    ] {
        let answer = app.get(&format!("/api/sessions/{id}/successful/csv?lang={lang}"), &admin).await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        assert_eq!(answer.content_type(), "text/csv; charset=utf-8");
        let text = answer.body.as_str().unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a BOM first");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], header);
        let numbers: Vec<&str> = lines[1..].iter().map(|line| line.split(';').next().unwrap()).collect();
        assert_eq!(numbers, passed, "{lang}");
        assert!(lines[1].contains(";Exemple;X;;;") && lines[1].ends_with(";03.05.2027"), "{}", lines[1]);
    }
    app.get(&format!("/api/sessions/{id}/successful/csv?lang=en"), &admin)
        .await
        .problem(400, "unknown language");

    // The same list as an Excel workbook (a zip of XML parts).
    let uri = format!("/api/sessions/{id}/successful/xlsx?lang=de");
    let answer = app.get(&uri, &admin).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let disposition = answer.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("session-{id}-reussites-de.xlsx")), "{disposition}");
    let text = answer.body.as_str().unwrap_or_default();
    assert!(text.starts_with("PK") && text.contains("xl/worksheets/sheet1.xml"), "a workbook");
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    app.get(&uri, &examiner).await.problem(403, "an examiner");
}

#[tokio::test]
async fn official_documents_are_the_boards_for_official_sessions_only() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = finished_example(&app, &admin).await;
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    for uri in [
        format!("/api/sessions/{id}/decisions"),
        format!("/api/sessions/{id}/successful/csv"),
        format!("/api/sessions/{id}/particulars"),
    ] {
        app.get(&uri, &Auth::None).await.problem(401, &uri);
        app.get(&uri, &examiner).await.problem(403, &uri);
        app.get(&uri.replace(&format!("/{id}/"), "/999/"), &admin).await.problem(404, &uri);
    }
    // A mock exam has no official documents: its description is all the
    // board sees, and trainers are not the board.
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    schools_and_trainers(&app, &admin).await;
    let trainer = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let mock = prepare_mock(&app, &trainer).await;
    for uri in [format!("/api/sessions/{mock}/decisions"), format!("/api/sessions/{mock}/particulars")] {
        app.get(&uri, &admin).await.problem(403, &uri);
        app.get(&uri, &trainer).await.problem(403, &uri);
    }
}
