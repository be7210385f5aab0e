//! The work candidates hand in (a PDF per candidate and position): who
//! may upload, replace, remove and read it, and the bad input refused.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::mock::{TRAINER_PASSWORD, prepare_mock, schools_and_trainers};
use crate::support::{Answer, Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example, send_json};

/// A small PDF (the example's plan).
const PDF: &[u8] = include_bytes!("../../../../examples/cases/plan-atelier-bois.pdf");

async fn upload(app: &TestApp, auth: &Auth, uri: &str, bytes: Vec<u8>) -> Answer {
    app.send(Method::PUT, &format!("{uri}?name=travail%20final.pdf"), auth, Some("application/pdf"), bytes)
        .await
}

fn header_of(answer: &Answer, name: header::HeaderName) -> &str {
    answer.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn the_board_uploads_the_work_and_only_the_examiners_of_the_part_read_it() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let school = app.post_json("/api/schools", &admin, &json!({"name": "École"})).await;
    for (username, role, school_id) in
        [("trainer", "trainer", school.body["id"].clone()), ("cand", "candidate", json!(null))]
    {
        let body =
            json!({"username": username, "password": "long-enough-pw", "role": role, "school_id": school_id});
        let answer = app.post_json("/api/users", &admin, &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    }
    let assigned = app.login("exp-03", EXAMINER_PASSWORD).await.bearer();
    let not_assigned = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let trainer = app.login("trainer", "long-enough-pw").await.bearer();
    let candidate = app.login("cand", "long-enough-pw").await.bearer();
    let uri = format!("{}/submission", position_uri(id, "2026-001", "2.1"));

    // Nothing uploaded yet.
    app.get(&uri, &admin).await.problem(404, "before upload");
    let form = app.get(&format!("{}/form", position_uri(id, "2026-001", "2.1")), &assigned).await;
    assert_eq!(form.status, StatusCode::OK, "{:#}", form.body);
    assert!(form.body["submission"].is_null());

    // Only the board uploads.
    for (who, auth, status) in [
        ("anonymous", Auth::None, 401),
        ("examiner", assigned.clone(), 403),
        ("candidate", candidate.clone(), 403),
        ("trainer", trainer.clone(), 404),
    ] {
        upload(&app, &auth, &uri, PDF.to_vec()).await.problem(status, who);
    }
    let stored = upload(&app, &admin, &uri, PDF.to_vec()).await;
    assert_eq!(stored.status, StatusCode::OK, "{:#}", stored.body);
    assert_eq!(stored.body["file_name"], "travail final.pdf");
    assert_eq!(stored.body["size"], PDF.len());
    assert_eq!(stored.body["sha256"], grille_store::sha256_bytes(PDF));

    // The board and the examiners assigned to part 2 read it; nobody else.
    for (who, auth) in [("board", &admin), ("assigned examiner", &assigned)] {
        let file = app.get(&uri, auth).await;
        assert_eq!(file.status, StatusCode::OK, "{who}");
        assert_eq!(file.content_type(), "application/pdf", "{who}");
        // This origin's scoring page shows it in a frame; nobody else may.
        assert_eq!(header_of(&file, header::X_FRAME_OPTIONS), "SAMEORIGIN", "{who}");
        let policy = header_of(&file, header::CONTENT_SECURITY_POLICY);
        assert!(policy.contains("frame-ancestors 'self'"), "{who}: {policy}");
        assert!(!policy.contains("frame-ancestors 'none'"), "{who}: {policy}");
        assert_eq!(header_of(&file, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header_of(&file, header::CACHE_CONTROL), "no-store");
    }
    for (who, auth, status) in [
        ("anonymous", Auth::None, 401),
        ("examiner of another part", not_assigned.clone(), 403),
        ("candidate", candidate.clone(), 403),
        ("trainer", trainer.clone(), 404),
    ] {
        app.get(&uri, &auth).await.problem(status, who);
    }
    // Other answers keep the strict framing rule.
    let session = app.get(&format!("/api/sessions/{id}"), &admin).await;
    assert_eq!(header_of(&session, header::X_FRAME_OPTIONS), "DENY");

    // The scoring form names it; the session's list has it.
    let form = app.get(&format!("{}/form", position_uri(id, "2026-001", "2.1")), &assigned).await;
    assert_eq!(form.body["submission"]["file_name"], "travail final.pdf");
    assert_eq!(form.body["submission"]["size"], PDF.len());
    let list = app.get(&format!("/api/sessions/{id}/submissions"), &admin).await;
    assert_eq!(list.status, StatusCode::OK, "{:#}", list.body);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["candidate"], "2026-001");
    assert_eq!(list.body[0]["position"], "2.1");
    app.get(&format!("/api/sessions/{id}/submissions"), &assigned).await.problem(403, "list, examiner");
    app.get(&format!("/api/sessions/{id}/submissions"), &trainer).await.problem(404, "list, trainer");

    // Replaced while not scored; audited.
    let mut other = PDF.to_vec();
    other.extend_from_slice(b"\n% v2\n");
    let replaced = upload(&app, &admin, &uri, other).await;
    assert_eq!(replaced.status, StatusCode::OK, "{:#}", replaced.body);
    assert_ne!(replaced.body["sha256"], stored.body["sha256"]);
    let audit = app.get("/api/audit?entity=submission", &admin).await;
    assert_eq!(audit.body[0]["action"], "submission.replace", "{:#}", audit.body);

    // Removed, then not found.
    let second = format!("{}/submission", position_uri(id, "2026-002", "2.1"));
    assert_eq!(upload(&app, &admin, &second, PDF.to_vec()).await.status, StatusCode::OK);
    app.send(Method::DELETE, &second, &assigned, None, Vec::new()).await.problem(403, "delete, examiner");
    let removed = app.send(Method::DELETE, &second, &admin, None, Vec::new()).await;
    assert_eq!(removed.status, StatusCode::OK, "{:#}", removed.body);
    app.get(&second, &admin).await.problem(404, "removed");
    app.send(Method::DELETE, &second, &admin, None, Vec::new()).await.problem(404, "removed twice");

    // Once an examiner has written an evaluation of the position, the work stays.
    let draft = json!({"answers": []});
    let mine = format!("{}/evaluations/mine", position_uri(id, "2026-001", "2.1"));
    let saved = send_json(&app, Method::PUT, &mine, &assigned, &draft, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    upload(&app, &admin, &uri, PDF.to_vec()).await.problem(409, "after evaluation");
    app.send(Method::DELETE, &uri, &admin, None, Vec::new()).await.problem(409, "delete after evaluation");
    assert_eq!(app.get(&uri, &assigned).await.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_problem() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let uri = format!("{}/submission", position_uri(id, "2026-003", "2.1"));
    let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0].to_vec();
    upload(&app, &admin, &uri, png).await.problem(422, "a PNG");
    upload(&app, &admin, &uri, b"<html>%PDF-".to_vec()).await.problem(422, "HTML named .pdf");
    upload(&app, &admin, &uri, Vec::new()).await.problem(422, "empty");
    let mut large = b"%PDF-1.4\n".to_vec();
    large.resize(10 * 1024 * 1024 + 1, b' ');
    upload(&app, &admin, &uri, large).await.problem(413, "too large");
    let unnamed = app.send(Method::PUT, &uri, &admin, Some("application/pdf"), PDF.to_vec()).await;
    unnamed.problem(400, "no name");
    let blank = app.send(Method::PUT, &format!("{uri}?name=%20"), &admin, None, PDF.to_vec()).await;
    assert_eq!(blank.problem(422, "blank name")["errors"][0]["pointer"], "/name");
    let unknown = format!("{}/submission", position_uri(id, "2099-999", "2.1"));
    upload(&app, &admin, &unknown, PDF.to_vec()).await.problem(404, "unknown candidate");
    let bad_number = format!("{}/submission", position_uri(id, "../x", "2.1"));
    assert!(upload(&app, &admin, &bad_number, PDF.to_vec()).await.status.is_client_error());
    let position = format!("{}/submission", position_uri(id, "2026-003", "9.9"));
    upload(&app, &admin, &position, PDF.to_vec()).await.problem(404, "unknown position");
    let session = format!("{}/submission", position_uri(id + 100, "2026-003", "2.1"));
    upload(&app, &admin, &session, PDF.to_vec()).await.problem(404, "unknown session");
    // Nothing of it was stored.
    let list = app.get(&format!("/api/sessions/{id}/submissions"), &admin).await;
    assert_eq!(list.body, json!([]));
}

#[tokio::test]
async fn a_trainer_uploads_for_a_mock_session_of_their_school_only() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    schools_and_trainers(&app, &admin).await;
    let trainer = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let id = prepare_mock(&app, &trainer).await;
    let uri = format!("{}/submission", position_uri(id, "2026-001", "2.1"));
    let stored = upload(&app, &trainer, &uri, PDF.to_vec()).await;
    assert_eq!(stored.status, StatusCode::OK, "{:#}", stored.body);
    let file = app.get(&uri, &trainer).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type(), "application/pdf");
    // The school's trainer assigned to part 2 reads it as its examiner.
    let scorer = app.login("exp-03", EXAMINER_PASSWORD).await.bearer();
    assert_eq!(app.get(&uri, &scorer).await.status, StatusCode::OK);
    // Another school's trainer and the board: the cohort does not exist for them.
    let other = app.login("autre-ecole", TRAINER_PASSWORD).await.bearer();
    for (who, auth) in [("other school", &other), ("board", &admin)] {
        upload(&app, auth, &uri, PDF.to_vec()).await.problem(404, who);
        app.get(&uri, auth).await.problem(404, who);
        app.send(Method::DELETE, &uri, auth, None, Vec::new()).await.problem(404, who);
    }
}

#[tokio::test]
async fn candidates_hand_in_their_own_work_while_the_organiser_keeps_it_open() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    for (username, number) in [("cand", "2026-002"), ("cand-other", "2026-003")] {
        let body = json!({"username": username, "password": "long-enough-pw", "role": "candidate", "candidate_number": number});
        let answer = app.post_json("/api/users", &admin, &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    }
    let candidate = app.login("cand", "long-enough-pw").await.bearer();
    let other = app.login("cand-other", "long-enough-pw").await.bearer();
    let examiner = app.login("exp-03", EXAMINER_PASSWORD).await.bearer();
    let mine = format!("/api/me/sessions/{id}/positions/2.1/submission");
    let window = format!("/api/sessions/{id}/submission-windows/2.1");

    // No window: nothing to hand in, an upload is refused.
    assert_eq!(app.get("/api/me/submissions", &candidate).await.body, json!([]));
    let refused = upload(&app, &candidate, &mine, PDF.to_vec()).await;
    assert!(refused.problem(409, "no window")["detail"].as_str().unwrap().contains("n'est pas ouvert"));

    // The board opens it, in Swiss time; bad deadlines at /closes_at.
    for (body, what) in [
        (json!({"closes_at": "demain"}), "not a date"),
        (json!({"closes_at": "2020-01-01T10:00"}), "past"),
        (json!({"closes_at": "2099-02-30T10:00"}), "no such day"),
    ] {
        let answer = send_json(&app, Method::PUT, &window, &admin, &body, None).await;
        assert_eq!(answer.problem(422, what)["errors"][0]["pointer"], "/closes_at", "{what}");
    }
    let unknown = format!("/api/sessions/{id}/submission-windows/9.9");
    send_json(&app, Method::PUT, &unknown, &admin, &json!({"closes_at": "2099-03-15T23:59"}), None)
        .await
        .problem(404, "unknown position");
    for (who, auth, status) in [("examiner", &examiner, 403), ("candidate", &candidate, 403)] {
        send_json(&app, Method::PUT, &window, auth, &json!({"closes_at": "2099-03-15T23:59"}), None)
            .await
            .problem(status, who);
    }
    let opened =
        send_json(&app, Method::PUT, &window, &admin, &json!({"closes_at": "2099-03-15T23:59"}), None).await;
    assert_eq!(opened.status, StatusCode::OK, "{:#}", opened.body);
    assert_eq!(opened.body["closes_at"], "2099-03-15T22:59:00Z");
    assert_eq!(opened.body["closes_at_local"], "2099-03-15T23:59");
    assert_eq!(opened.body["open"], true);
    let listed = app.get(&format!("/api/sessions/{id}/submission-windows"), &admin).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);

    // The candidate sees it, hands in a PDF (not a PNG), reads it back.
    let work = app.get("/api/me/submissions", &candidate).await;
    assert_eq!(work.status, StatusCode::OK, "{:#}", work.body);
    assert_eq!(work.body[0]["may_submit"], true, "{:#}", work.body);
    assert_eq!(work.body[0]["file"], json!(null));
    assert!(!work.body[0]["position_title"].as_str().unwrap().is_empty());
    let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0].to_vec();
    upload(&app, &candidate, &mine, png).await.problem(422, "a PNG");
    let stored = upload(&app, &candidate, &mine, PDF.to_vec()).await;
    assert_eq!(stored.status, StatusCode::OK, "{:#}", stored.body);
    let back = app.get(&mine, &candidate).await;
    assert_eq!((back.status, back.content_type()), (StatusCode::OK, "application/pdf"));
    assert_eq!(
        app.get("/api/me/submissions", &candidate).await.body[0]["file"]["file_name"],
        "travail final.pdf"
    );
    // The organiser and the examiners of the part read what the candidate handed in.
    let theirs = format!("{}/submission", position_uri(id, "2026-002", "2.1"));
    assert_eq!(app.get(&theirs, &examiner).await.status, StatusCode::OK);
    let list = app.get(&format!("/api/sessions/{id}/submissions"), &admin).await;
    assert_eq!(list.body[0]["candidate"], "2026-002", "{:#}", list.body);
    let audit = app.get("/api/audit?entity=submission", &admin).await;
    assert_eq!(audit.body[0]["actor"], "cand", "{:#}", audit.body[0]);
    // Another candidate reaches only their own (none), never this one;
    // a session one is not enrolled in does not exist.
    app.get(&mine, &other).await.problem(404, "another candidate");
    app.get(&format!("/api/me/sessions/{}/positions/2.1/submission", id + 100), &candidate)
        .await
        .problem(404, "not enrolled");
    // Staff do not hand in through the candidates' route.
    upload(&app, &examiner, &mine, PDF.to_vec()).await.problem(403, "examiner as candidate");

    // Withdrawn from the exam: closed for them.
    let status = send_json(
        &app,
        Method::PUT,
        &format!("/api/sessions/{id}/candidates/2026-003/status"),
        &admin,
        &json!({"status": "withdrawn_excused"}),
        None,
    )
    .await;
    assert_eq!(status.status, StatusCode::OK, "{:#}", status.body);
    let withdrawn = format!("/api/me/sessions/{id}/positions/2.1/submission");
    upload(&app, &other, &withdrawn, PDF.to_vec()).await.problem(409, "withdrawn");
    assert_eq!(app.get("/api/me/submissions", &other).await.body[0]["may_submit"], false);

    // Once scored, the file stays.
    let draft = format!("{}/evaluations/mine", position_uri(id, "2026-002", "2.1"));
    let saved = send_json(&app, Method::PUT, &draft, &examiner, &json!({"answers": []}), None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    upload(&app, &candidate, &mine, PDF.to_vec()).await.problem(409, "scored");
    app.send(Method::DELETE, &mine, &candidate, None, Vec::new()).await.problem(409, "delete scored");
    let work = app.get("/api/me/submissions", &candidate).await;
    assert_eq!(
        (work.body[0]["scored"].clone(), work.body[0]["may_submit"].clone()),
        (json!(true), json!(false))
    );

    // After the deadline (moved into the past in the store, as time would):
    // refused, and the board closing the window closes it for good.
    let system = grille_store::Actor::system();
    app.store.set_submission_window(&system, id, "2.1", "2020-01-01T00:00:00Z").unwrap();
    let cand_three = format!("/api/me/sessions/{id}/positions/2.1/submission");
    let late = upload(&app, &other, &cand_three, PDF.to_vec()).await;
    late.problem(409, "late");
    let closed = app.send(Method::DELETE, &window, &admin, None, Vec::new()).await;
    assert_eq!(closed.status, StatusCode::OK, "{:#}", closed.body);
    app.send(Method::DELETE, &window, &admin, None, Vec::new()).await.problem(404, "closed twice");
    assert_eq!(app.get("/api/me/submissions", &candidate).await.body, json!([]));
}
