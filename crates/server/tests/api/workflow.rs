//! The board runs the worked example session from enrolment to published
//! results through the API alone; races, restarts and bad input.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use grille_scoring::{ScoringInput, embedded, score_session};
use serde_json::{Value, json};

use crate::support::{Answer, Auth, Backend, TestApp, spawn_app, spawn_app_on};

pub(crate) const EXAMINER_PASSWORD: &str = "examiner-password-1";

/// The part of a blueprint position of the shipped exam.
pub(crate) fn part_of(position: &str) -> String {
    let catalogue = grille_competence::Catalogue::embedded().unwrap();
    let exam = embedded::federal_exam(&catalogue).unwrap();
    exam.blueprint.position(position).unwrap().0.id.clone()
}

pub(crate) async fn send_json(
    app: &TestApp,
    method: Method,
    uri: &str,
    auth: &Auth,
    body: &Value,
    if_match: Option<i64>,
) -> Answer {
    app.send_with(method, uri, auth, Some("application/json"), body.to_string().into_bytes(), if_match).await
}

/// A session with the example's candidates enrolled, its examiners created
/// and assigned, its statuses recorded, in the scoring state. Returns the
/// session id.
pub(crate) async fn prepare_example(app: &TestApp, admin: &Auth) -> i64 {
    let example = embedded::example_session().unwrap();
    let created = app.post_json("/api/sessions", admin, &json!({"name": "Démo API"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let candidates: Vec<Value> = example
        .candidates
        .iter()
        .map(|c| json!({"number": c.number, "family_name": "Exemple", "given_name": "X"}))
        .collect();
    let enrolled = app
        .post_json(&format!("/api/sessions/{id}/candidates"), admin, &json!({"candidates": candidates}))
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);
    let mut examiners = BTreeSet::new();
    let mut assignments = BTreeSet::new();
    for candidate in &example.candidates {
        for scoring in &candidate.positions {
            for evaluation in &scoring.evaluations {
                examiners.insert(evaluation.examiner.clone());
                assignments.insert((
                    candidate.number.clone(),
                    part_of(&scoring.position),
                    evaluation.examiner.clone(),
                ));
            }
        }
    }
    for name in &examiners {
        let answer = app
            .post_json(
                "/api/users",
                admin,
                &json!({"username": name, "password": EXAMINER_PASSWORD, "role": "examiner"}),
            )
            .await;
        // A second session of the example has its examiners already.
        assert!(
            answer.status == StatusCode::CREATED || answer.status == StatusCode::CONFLICT,
            "{:#}",
            answer.body
        );
    }
    for (number, part, examiner) in &assignments {
        let answer = app
            .post_json(
                &format!("/api/sessions/{id}/assignments"),
                admin,
                &json!({"candidate_number": number, "part": part, "examiner": examiner}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    }
    for candidate in &example.candidates {
        let status = serde_json::to_value(candidate.status).unwrap();
        if status != "present" {
            let answer = send_json(
                app,
                Method::PUT,
                &format!("/api/sessions/{id}/candidates/{}/status", candidate.number),
                admin,
                &json!({"status": status}),
                None,
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        }
    }
    assign_example_cases(app, admin, id).await;
    let started = app.post_json(&format!("/api/sessions/{id}/scoring"), admin, &json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{:#}", started.body);
    id
}

/// The worked example's cases in the caller's bank (created, or found when
/// they are there already), ready to assign: (case id, bank row).
pub(crate) async fn example_cases(app: &TestApp, auth: &Auth) -> Vec<(String, i64)> {
    let mut rows = Vec::new();
    for file in embedded::EXAMPLE_CASES {
        let case: Value = serde_json::from_str(file.text).unwrap();
        // Imported with its attachments, as a board would receive it.
        let files: Vec<Value> = case["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|attachment| {
                let (_, bytes) = embedded::EXAMPLE_ATTACHMENTS
                    .iter()
                    .find(|(name, _)| attachment["name"] == *name)
                    .expect("the attachment's file");
                json!({"sha256": attachment["sha256"], "base64": base64(bytes)})
            })
            .collect();
        let bundle = json!({"format": "grille-case", "format_version": 1, "case": case, "files": files});
        let created = app.post_json("/api/cases/import", auth, &bundle).await;
        let summary = if created.status == StatusCode::CREATED {
            created.body["summary"].clone()
        } else {
            assert_eq!(created.status, StatusCode::CONFLICT, "{:#}", created.body);
            let listed = app.get(&format!("/api/cases?q={}", case["id"].as_str().unwrap()), auth).await;
            listed.body.as_array().unwrap().iter().find(|s| s["case_id"] == case["id"]).unwrap().clone()
        };
        let row = summary["id"].as_i64().unwrap();
        if summary["state"] == "draft" {
            let uri = format!("/api/cases/{row}/state");
            let version = summary["row_version"].as_i64();
            let ready = send_json(app, Method::POST, &uri, auth, &json!({"state": "ready"}), version).await;
            assert_eq!(ready.status, StatusCode::OK, "{:#}", ready.body);
        }
        rows.push((case["id"].as_str().unwrap().to_owned(), row));
    }
    rows
}

/// Standard base64 with padding (what an exported case holds).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, byte)| n | u32::from(*byte) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// Each candidate of the example sits the case the example names.
pub(crate) async fn assign_example_cases(app: &TestApp, auth: &Auth, id: i64) {
    let rows = example_cases(app, auth).await;
    let example = embedded::example_session().unwrap();
    for candidate in &example.candidates {
        for sitting in &candidate.cases {
            let row = rows.iter().find(|(case, _)| *case == sitting.case).unwrap().1;
            let uri = format!("{}/case", position_uri(id, &candidate.number, &sitting.position));
            let answer = send_json(app, Method::PUT, &uri, auth, &json!({"case": row}), None).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}: {:#}", answer.body);
        }
    }
}

pub(crate) fn position_uri(id: i64, number: &str, position: &str) -> String {
    format!("/api/sessions/{id}/candidates/{number}/positions/{position}")
}

/// Every examiner saves a draft and submits; the agreed evaluations are
/// recorded by the first examiner.
pub(crate) async fn score_example(app: &TestApp, id: i64) {
    let example = embedded::example_session().unwrap();
    for candidate in &example.candidates {
        for scoring in &candidate.positions {
            let base = position_uri(id, &candidate.number, &scoring.position);
            for evaluation in &scoring.evaluations {
                let login = app.login(&evaluation.examiner, EXAMINER_PASSWORD).await;
                let body = json!({"answers": evaluation.answers, "remark": evaluation.remark});
                let saved = send_json(
                    app,
                    Method::PUT,
                    &format!("{base}/evaluations/mine"),
                    &login.cookie(),
                    &body,
                    None,
                )
                .await;
                assert_eq!(saved.status, StatusCode::OK, "{base}: {:#}", saved.body);
                assert_eq!(saved.headers["etag"], "\"1\"");
                let submitted = app
                    .send_with(
                        Method::POST,
                        &format!("{base}/evaluations/mine/submit"),
                        &login.bearer(),
                        None,
                        Vec::new(),
                        Some(1),
                    )
                    .await;
                assert_eq!(submitted.status, StatusCode::OK, "{base}: {:#}", submitted.body);
                assert_eq!(submitted.body["status"], "submitted");
            }
            if let Some(agreed) = &scoring.agreed {
                let login = app.login(&scoring.evaluations[0].examiner, EXAMINER_PASSWORD).await;
                let body = json!({"answers": agreed.answers, "remark": agreed.remark});
                let saved =
                    send_json(app, Method::PUT, &format!("{base}/agreed"), &login.bearer(), &body, None)
                        .await;
                assert_eq!(saved.status, StatusCode::OK, "{base}: {:#}", saved.body);
                // It counts once each examiner confirmed it in their account;
                // across the pass mark from one's own grade, with a reason.
                let version = saved.body["version"].as_i64().unwrap();
                for evaluation in &scoring.evaluations {
                    let login = app.login(&evaluation.examiner, EXAMINER_PASSWORD).await;
                    let uri = format!("{base}/agreed/confirm");
                    let bare = app.post_json(&uri, &login.bearer(), &json!({"version": version})).await;
                    if bare.status == StatusCode::UNPROCESSABLE_ENTITY {
                        assert_eq!(bare.body["errors"][0]["pointer"], "/justification", "{:#}", bare.body);
                        let justified =
                            json!({"version": version, "justification": "Accord après discussion."});
                        let confirmed = app.post_json(&uri, &login.bearer(), &justified).await;
                        assert_eq!(confirmed.status, StatusCode::OK, "{base}: {:#}", confirmed.body);
                    } else {
                        assert_eq!(bare.status, StatusCode::OK, "{base}: {:#}", bare.body);
                    }
                }
            }
        }
    }
}

/// One candidate's result: number, outcome, overall grade, part grades.
pub(crate) type ResultRow = (String, String, Option<String>, Vec<(String, String)>);

/// The results the scoring crate computes for the example: (number,
/// outcome, overall grade, part grades).
pub(crate) fn expected_results() -> Vec<ResultRow> {
    let catalogue = grille_competence::Catalogue::embedded().unwrap();
    let exam = embedded::federal_exam(&catalogue).unwrap();
    let session = embedded::example_session().unwrap();
    let result = score_session(&ScoringInput {
        catalogue: &catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &exam.rubrics,
        cases: &embedded::example_cases(&catalogue).unwrap(),
        session: &session,
    })
    .unwrap();
    let mut rows: Vec<_> = result
        .candidates
        .iter()
        .map(|c| {
            (
                c.number.clone(),
                serde_json::to_value(c.outcome).unwrap().as_str().unwrap().to_owned(),
                c.overall.as_ref().map(|o| grille_scoring::decimal::display_grade(o.value)),
                c.parts
                    .iter()
                    .map(|p| {
                        (p.part.clone(), p.grade.map(grille_scoring::decimal::display).unwrap_or_default())
                    })
                    .collect(),
            )
        })
        .collect();
    rows.sort();
    rows
}

pub(crate) fn actual_results(body: &Value) -> Vec<ResultRow> {
    let mut rows: Vec<_> = body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let parts = c["explanation"]["parts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let grade = p["grade"].as_str().map(|g| g.parse::<rust_decimal::Decimal>().unwrap());
                    (
                        p["part"].as_str().unwrap().to_owned(),
                        grade.map(grille_scoring::decimal::display).unwrap_or_default(),
                    )
                })
                .collect();
            (
                c["number"].as_str().unwrap().to_owned(),
                c["outcome"].as_str().unwrap().to_owned(),
                c["overall_grade"].as_str().map(str::to_owned),
                parts,
            )
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn the_board_runs_the_example_session_to_published_results_through_the_api() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    // Nothing can be finalised before the examiners have scored.
    app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({}))
        .await
        .problem(409, "too early");
    score_example(&app, id).await;
    let progress = app.get(&format!("/api/sessions/{id}/progress"), &admin).await;
    assert_eq!(progress.status, StatusCode::OK, "{:#}", progress.body);
    assert_eq!(
        (progress.body["pending_candidates"].as_u64(), progress.body["open_discrepancies"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(progress.body["evaluations_submitted"], progress.body["evaluations_expected"]);

    // A candidate account, linked to its number, sees nothing before publication.
    let account = app
        .post_json(
            "/api/users",
            &admin,
            &json!({"username": "cand-001", "password": "candidate-password", "role": "candidate", "candidate_number": "2026-001"}),
        )
        .await;
    assert_eq!(account.status, StatusCode::CREATED, "{:#}", account.body);
    let candidate = app.login("cand-001", "candidate-password").await.bearer();

    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    assert_eq!(finalised.body["final"], true);
    let expected = expected_results();
    assert_eq!(actual_results(&finalised.body), expected);
    assert!(expected.iter().any(|row| row.1 == "failed") && expected.iter().any(|row| row.1 == "passed"));
    assert_eq!(app.get("/api/me/results", &candidate).await.body, json!([]));

    let published = app.post_json(&format!("/api/sessions/{id}/publish"), &admin, &json!({})).await;
    assert_eq!(published.body["state"], "published", "{:#}", published.body);
    let mine = app.get("/api/me/results", &candidate).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1, "{:#}", mine.body);
    let own = expected.iter().find(|row| row.0 == "2026-001").unwrap();
    assert_eq!(mine.body[0]["result"]["number"], "2026-001");
    assert_eq!(mine.body[0]["result"]["overall_grade"].as_str(), own.2.as_deref());
    // An official exam's file is closed to consultation until the board opens
    // it: the candidate gets grades and decision, never the examiners' levels,
    // points and remarks (those are the filled rubric).
    let evaluations_shown = |body: &Value| {
        let parts = body[0]["result"]["explanation"]["parts"].as_array().unwrap();
        let positions: Vec<&Value> =
            parts.iter().flat_map(|part| part["positions"].as_array().unwrap()).collect();
        assert!(!positions.is_empty() && positions.iter().all(|p| p["grade"].is_string()), "{body:#}");
        positions.iter().any(|p| {
            !p["evaluations"].as_array().unwrap().is_empty()
                || !p["agreed"].is_null()
                || !p["comparison"].is_null()
        })
    };
    assert_eq!(mine.body[0]["filled_rubric"], false);
    assert!(!evaluations_shown(&mine.body), "{:#}", mine.body);
    let body = json!({"enabled": true}).to_string().into_bytes();
    let uri = format!("/api/sessions/{id}/file-consultation");
    let opened = app.send(Method::PUT, &uri, &admin, Some("application/json"), body).await;
    assert_eq!(opened.status, StatusCode::OK, "{:#}", opened.body);
    let mine = app.get("/api/me/results", &candidate).await;
    assert_eq!(mine.body[0]["filled_rubric"], true);
    assert!(evaluations_shown(&mine.body), "{:#}", mine.body);

    // Exports: CSV with BOM and `;` (the default), one row per candidate
    // (the command line's columns, in the reader's language) and per
    // criterion.
    let csv = app.get(&format!("/api/sessions/{id}/results/csv"), &admin).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Numéro;Statut;Tentative;Note épreuve 1;Note épreuve 2;Note épreuve 3;Note point 1.1;Note point 1.2;\
         Note point 2.1;Note point 3.1;Note globale;Résultat;Décision;En attente;Divergences ouvertes"
    );
    assert_eq!(lines.len(), 1 + expected.len());
    let first = lines.iter().find(|line| line.starts_with("2026-001;")).unwrap();
    assert!(first.contains(&format!(";{};", own.2.as_deref().unwrap())), "{first}");
    let german = app.get(&format!("/api/sessions/{id}/results/csv?lang=de&delimiter=comma"), &admin).await;
    let german = german.body.as_str().unwrap();
    assert!(german.starts_with("\u{feff}Nummer,Status,Versuch,Note Prüfungsteil 1,"), "{german}");
    let criteria =
        app.get(&format!("/api/sessions/{id}/results/csv?layout=criterion&delimiter=comma"), &admin).await;
    let criteria_text = criteria.body.as_str().unwrap();
    assert!(criteria_text.trim_start_matches('\u{feff}').starts_with("numero,epreuve,point,source,critere,"));
    assert!(criteria_text.lines().count() > 20);

    // The candidate file: both evaluations, the documents with hashes.
    let file = app.get(&format!("/api/sessions/{id}/candidates/2026-001/file"), &admin).await;
    assert_eq!(file.status, StatusCode::OK, "{:#}", file.body);
    assert_eq!(file.body["positions"][0]["evaluations"].as_array().unwrap().len(), 2);
    assert!(
        file.body["documents"].as_array().unwrap().iter().all(|d| d["sha256"].as_str().unwrap().len() == 64)
    );
    assert!(file.body["result"]["explanation"]["overall"]["formula"].is_string());

    // An appeal: a correction with a reason changes the grade, keeps the original.
    let example = embedded::example_session().unwrap();
    let scoring = &example.candidates[0].positions[0];
    let mut answers = serde_json::to_value(&scoring.evaluations[0].answers).unwrap();
    for answer in answers.as_array_mut().unwrap() {
        answer["points"] = json!("0");
    }
    let correction = json!({"position": scoring.position, "reason": "Recours admis : erreur de saisie", "evaluation": {"answers": answers}});
    let uri = format!("/api/sessions/{id}/candidates/2026-001/corrections");
    send_json(&app, Method::POST, &uri, &admin, &correction, None).await.problem(428, "no If-Match");
    send_json(&app, Method::POST, &uri, &admin, &correction, Some(9))
        .await
        .problem(409, "stale result version");
    // Before saving, the board sees what changes: this one lowers the grade
    // and keeps the decision, so one board member saves it.
    let preview = app.post_json(&format!("{uri}/preview"), &admin, &correction).await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    assert_eq!(
        (preview.body["before"]["outcome"].as_str(), preview.body["before"]["version"].as_i64()),
        (Some("passed"), Some(1))
    );
    assert_eq!(
        (preview.body["after"]["outcome"].as_str(), preview.body["after"]["version"].as_i64()),
        (Some("passed"), Some(0))
    );
    assert_eq!(preview.body["before"]["overall_grade"].as_str(), own.2.as_deref());
    assert_eq!(
        (preview.body["decision_changes"].as_bool(), preview.body["needs_second_approval"].as_bool()),
        (Some(false), Some(false))
    );
    send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &correction, Some(1))
        .await
        .problem(409, "nothing to propose when the decision stays");
    let corrected = send_json(&app, Method::POST, &uri, &admin, &correction, Some(1)).await;
    assert_eq!(corrected.status, StatusCode::OK, "{:#}", corrected.body);
    assert_eq!(corrected.body["version"], 2);
    assert_ne!(corrected.body["overall_grade"].as_str(), own.2.as_deref());
    assert_eq!(
        corrected.body["overall_grade"], preview.body["after"]["overall_grade"],
        "the preview said so"
    );
    let file = app.get(&format!("/api/sessions/{id}/candidates/2026-001/file"), &admin).await;
    let corrections = file.body["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0]["reason"], "Recours admis : erreur de saisie");
    assert_eq!(
        (corrections[0]["corrected_by"].as_str(), corrections[0]["approved_by"].as_str()),
        (Some("admin"), None)
    );
    assert_eq!(
        corrections[0]["before"]["overall"]["value"]
            .as_str()
            .map(|v| grille_scoring::decimal::display_grade(v.parse().unwrap())),
        own.2.clone()
    );

    // Four eyes: a correction that turns the pass into a failure is only
    // proposed; a second board member approves it.
    let part_two =
        example.candidates[0].positions.iter().find(|position| position.position == "2.1").unwrap();
    let mut answers = serde_json::to_value(&part_two.evaluations[0].answers).unwrap();
    for answer in answers.as_array_mut().unwrap() {
        answer["points"] = json!("0");
    }
    let failing = json!({"position": "2.1", "reason": "Recours de l'office : plagiat établi", "evaluation": {"answers": answers}});
    let preview = app.post_json(&format!("{uri}/preview"), &admin, &failing).await;
    assert_eq!(
        (preview.body["before"]["outcome"].as_str(), preview.body["after"]["outcome"].as_str()),
        (Some("passed"), Some("failed")),
        "{:#}",
        preview.body
    );
    assert_eq!(
        (preview.body["decision_changes"].as_bool(), preview.body["needs_second_approval"].as_bool()),
        (Some(true), Some(true))
    );
    send_json(&app, Method::POST, &uri, &admin, &failing, Some(2))
        .await
        .problem(409, "a changed decision needs a second board member");
    let proposed =
        send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &failing, Some(2)).await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{:#}", proposed.body);
    let proposal = proposed.body["id"].as_i64().unwrap();
    assert_eq!(
        (proposed.body["can_decide"].as_bool(), proposed.body["can_withdraw"].as_bool()),
        (Some(false), Some(true))
    );
    send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &failing, Some(2))
        .await
        .problem(409, "one open proposal per candidate");
    let approve = format!("/api/sessions/{id}/corrections/proposals/{proposal}/approve");
    app.post_json(&approve, &admin, &json!({})).await.problem(409, "nobody approves their own proposal");
    let unchanged = app.get(&format!("/api/sessions/{id}/candidates/2026-001/file"), &admin).await;
    assert_eq!(unchanged.body["result"]["version"], 2, "nothing changed yet");
    let created = app
        .post_json(
            "/api/users",
            &admin,
            &json!({"username": "board-2", "password": "second-board-password", "role": "admin"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    let second = app.login("board-2", "second-board-password").await.bearer();
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    assert_eq!(app.post_json(&approve, &examiner, &json!({})).await.status, StatusCode::FORBIDDEN);
    let listed = app.get(&format!("/api/sessions/{id}/corrections/proposals"), &second).await;
    assert_eq!(
        (listed.body[0]["can_decide"].as_bool(), listed.body[0]["can_withdraw"].as_bool()),
        (Some(true), Some(false)),
        "{:#}",
        listed.body
    );
    app.post_json(
        &format!("/api/sessions/{id}/corrections/proposals/{proposal}/withdraw"),
        &second,
        &json!({}),
    )
    .await
    .problem(409, "only the proposer withdraws");
    let approved = app.post_json(&approve, &second, &json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{:#}", approved.body);
    assert_eq!(
        (approved.body["version"].as_i64(), approved.body["outcome"].as_str()),
        (Some(3), Some("failed"))
    );
    assert_eq!(approved.body["overall_grade"], preview.body["after"]["overall_grade"]);
    app.post_json(&approve, &second, &json!({})).await.problem(409, "approved twice");
    let file = app.get(&format!("/api/sessions/{id}/candidates/2026-001/file"), &admin).await;
    let last = &file.body["corrections"][1];
    assert_eq!(
        (last["corrected_by"].as_str(), last["approved_by"].as_str()),
        (Some("admin"), Some("board-2"))
    );
    let decided = app.get(&format!("/api/sessions/{id}/corrections/proposals"), &admin).await;
    assert_eq!(
        (decided.body[0]["decision"].as_str(), decided.body[0]["decided_by"].as_str()),
        (Some("approved"), Some("board-2"))
    );

    // A proposal rejected needs its reason and changes nothing; a stale one
    // is refused.
    let back = json!({"position": "2.1", "reason": "Recours du candidat", "evaluation": {"answers": serde_json::to_value(&part_two.evaluations[0].answers).unwrap()}});
    send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &back, Some(2))
        .await
        .problem(409, "proposed on an old version");
    let reproposed = send_json(&app, Method::POST, &format!("{uri}/proposals"), &admin, &back, Some(3)).await;
    assert_eq!(reproposed.status, StatusCode::CREATED, "{:#}", reproposed.body);
    let reject = format!("/api/sessions/{id}/corrections/proposals/{}/reject", reproposed.body["id"]);
    app.post_json(&reject, &second, &json!({"note": "  "})).await.problem(422, "a rejection says why");
    let rejected = app.post_json(&reject, &second, &json!({"note": "Le recours est rejeté"})).await;
    assert_eq!(rejected.body["decision"], "rejected", "{:#}", rejected.body);
    let after = app.get(&format!("/api/sessions/{id}/candidates/2026-001/file"), &admin).await;
    assert_eq!(
        (after.body["result"]["version"].as_i64(), after.body["result"]["outcome"].as_str()),
        (Some(3), Some("failed"))
    );
    let audit = app.get("/api/audit?entity=result", &admin).await;
    let actions: Vec<&str> =
        audit.body.as_array().unwrap().iter().filter_map(|entry| entry["action"].as_str()).collect();
    for action in ["result.correction_propose", "result.correct", "result.correction_reject"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

/// On every backend the tests have; on PostgreSQL the two writes go
/// through two instances, each with its own connections.
#[tokio::test]
async fn two_concurrent_writes_of_the_same_version_one_wins_the_other_gets_409() {
    for backend in Backend::all() {
        let app = spawn_app_on(backend);
        let other = app.second_instance();
        one_of_two_concurrent_writes_wins(&app, &other).await;
    }
}

/// Two writes of version 1 at once, through `app` and `other` (two
/// instances over one database, or the same one twice).
async fn one_of_two_concurrent_writes_wins(app: &TestApp, other: &TestApp) {
    let admin = app.admin().await.bearer();
    let id = prepare_example(app, &admin).await;
    let login = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let base = position_uri(id, "2026-001", "1.1");
    let draft = |points: &str| json!({"answers": [{"criterion": "c1", "points": points}]});
    let first =
        send_json(app, Method::PUT, &format!("{base}/evaluations/mine"), &login, &draft("1"), None).await;
    assert_eq!(first.status, StatusCode::OK, "{:#}", first.body);
    let uri = format!("{base}/evaluations/mine");
    let (two, three) = (draft("2"), draft("3"));
    let (a, b) = tokio::join!(
        send_json(app, Method::PUT, &uri, &login, &two, Some(1)),
        send_json(other, Method::PUT, &uri, &login, &three, Some(1)),
    );
    let statuses: BTreeSet<u16> = [a.status.as_u16(), b.status.as_u16()].into();
    assert_eq!(statuses, [200, 409].into(), "{:#} {:#}", a.body, b.body);
    let winner = if a.status == StatusCode::OK { &a } else { &b };
    let stored = other.get(&uri, &login).await;
    assert_eq!(stored.body["version"], 2);
    assert_eq!(stored.body["answers"], winner.body["answers"], "the winner's write is the one stored");
    // The loser reloads and writes on top of version 2: nothing lost.
    let stale = send_json(other, Method::PUT, &uri, &login, &draft("2"), Some(1)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a stale version is refused on either instance");
    let again = send_json(other, Method::PUT, &uri, &login, &draft("3"), Some(2)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.headers["etag"], "\"3\"");
}

#[tokio::test]
async fn a_restarted_server_on_the_same_data_has_everything_and_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let (id, before) = {
        let app = crate::support::spawn_app_in(dir.path());
        let admin = app.admin().await.bearer();
        let id = prepare_example(&app, &admin).await;
        score_example(&app, id).await;
        let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
        assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
        app.store.close().unwrap();
        (id, finalised.body)
    };
    let app = crate::support::spawn_app_in(dir.path());
    let admin = app.admin().await.bearer();
    let after = app.get(&format!("/api/sessions/{id}/results"), &admin).await;
    assert_eq!(after.body, before);
    let login = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let mine = app.get(&format!("{}/evaluations/mine", position_uri(id, "2026-001", "1.1")), &login).await;
    assert_eq!(mine.body["status"], "submitted");
}

#[tokio::test]
async fn bad_evaluation_input_is_refused_with_pointers_and_nothing_is_saved() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let login = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let base = position_uri(id, "2026-001", "1.1");
    let uri = format!("{base}/evaluations/mine");
    // Malformed JSON, wrong types.
    app.send_with(Method::PUT, &uri, &login, Some("application/json"), b"{oops".to_vec(), None)
        .await
        .problem(400, "malformed");
    send_json(&app, Method::PUT, &uri, &login, &json!({"answers": 3}), None).await.problem(422, "wrong type");
    // Answers that do not fit the rubric, each at its pointer.
    let bad = json!({"answers": [
        {"criterion": "zz", "points": "1"},
        {"criterion": "c1", "points": "7"},
        {"criterion": "c2", "points": "1", "not_assessable": true},
        {"criterion": "c3", "points": 2.5},
        {"criterion": "c4", "points": "1"},
        {"criterion": "c4", "points": "1"},
    ]});
    let answer = send_json(&app, Method::PUT, &uri, &login, &bad, None).await;
    let pointers: Vec<&str> = answer.problem(422, "rubric")["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/answers/0/criterion",
            "/answers/1/points",
            "/answers/2",
            "/answers/3/points",
            "/answers/5/criterion"
        ]
    );
    app.get(&uri, &login).await.problem(404, "nothing saved");
    // Unknown ids.
    let ok = json!({"answers": [{"criterion": "c1", "points": "1"}]});
    send_json(
        &app,
        Method::PUT,
        &format!("{}/evaluations/mine", position_uri(id, "NOPE", "1.1")),
        &login,
        &ok,
        None,
    )
    .await
    .problem(404, "candidate");
    send_json(
        &app,
        Method::PUT,
        &format!("{}/evaluations/mine", position_uri(id, "2026-001", "9.9")),
        &login,
        &ok,
        None,
    )
    .await
    .problem(404, "position");
    send_json(
        &app,
        Method::PUT,
        &format!("{}/evaluations/mine", position_uri(999, "2026-001", "1.1")),
        &login,
        &ok,
        None,
    )
    .await
    .problem(404, "session");
    // A stale version, a blind overwrite, an incomplete submission, a submission without If-Match.
    assert_eq!(send_json(&app, Method::PUT, &uri, &login, &ok, None).await.status, StatusCode::OK);
    send_json(&app, Method::PUT, &uri, &login, &ok, None).await.problem(409, "overwrite without If-Match");
    send_json(&app, Method::PUT, &uri, &login, &ok, Some(7)).await.problem(409, "stale");
    app.send_with(Method::PUT, &uri, &login, Some("application/json"), ok.to_string().into_bytes(), None)
        .await;
    let submit = format!("{base}/evaluations/mine/submit");
    app.send_with(Method::POST, &submit, &login, None, Vec::new(), None)
        .await
        .problem(428, "submit without If-Match");
    let incomplete = app.send_with(Method::POST, &submit, &login, None, Vec::new(), Some(1)).await;
    assert!(
        incomplete.problem(422, "incomplete")["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["pointer"] == "/answers")
    );
    // The agreed evaluation waits for both submissions.
    send_json(&app, Method::PUT, &format!("{base}/agreed"), &login, &ok, None)
        .await
        .problem(403, "agreed before submitting");
    // After finalisation nothing changes (the session cannot be finalised
    // while pending, so the store's lock is checked by the restart test's
    // session; here the state refuses writes in enrolment).
    let session =
        app.post_json("/api/sessions", &admin, &json!({"name": "Vide"})).await.body["id"].as_i64().unwrap();
    app.post_json(&format!("/api/sessions/{session}/publish"), &admin, &json!({}))
        .await
        .problem(409, "publish in enrolment");
    app.post_json(&format!("/api/sessions/{session}/scoring"), &admin, &json!({}))
        .await
        .problem(409, "scoring without candidates");
    send_json(
        &app,
        Method::PUT,
        &format!("/api/sessions/{id}/candidates/2026-001/status"),
        &admin,
        &json!({"status": "gone"}),
        None,
    )
    .await
    .problem(422, "unknown status");
    send_json(
        &app,
        Method::PUT,
        &format!("/api/sessions/{id}/retention"),
        &admin,
        &json!({"until": "31.12.2030"}),
        None,
    )
    .await
    .problem(422, "bad date");
    app.send_with(Method::DELETE, "/api/candidates/NOPE/personal-data", &admin, None, Vec::new(), None)
        .await
        .problem(404, "unknown candidate");
    app.send_with(Method::DELETE, "/api/candidates/2026-001/personal-data", &admin, None, Vec::new(), None)
        .await
        .problem(409, "retention running");
}

#[tokio::test]
async fn writes_after_finalisation_are_refused_and_personal_data_is_erased_after_retention() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    assert_eq!(
        app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await.status,
        StatusCode::OK
    );
    let login = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let uri = format!("{}/evaluations/mine", position_uri(id, "2026-001", "1.1"));
    send_json(&app, Method::PUT, &uri, &login, &json!({"answers": []}), Some(2))
        .await
        .problem(409, "write after finalisation");
    app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({}))
        .await
        .problem(409, "finalise twice");
    // Retention in the past: the identity goes, the anonymous result stays.
    let set = send_json(
        &app,
        Method::PUT,
        &format!("/api/sessions/{id}/retention"),
        &admin,
        &json!({"until": "2000-01-01"}),
        None,
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{:#}", set.body);
    let before = app.get("/api/candidates/2026-001/personal-data", &admin).await;
    assert_eq!(before.body["identity"]["family_name"], "Exemple");
    let erased = app
        .send_with(Method::DELETE, "/api/candidates/2026-001/personal-data", &admin, None, Vec::new(), None)
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{:#}", erased.body);
    let after = app.get("/api/candidates/2026-001/personal-data", &admin).await;
    assert_eq!(after.body["identity"], Value::Null);
    assert_eq!(after.body["results"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_board_reopens_a_submitted_evaluation_with_a_reason_while_scoring() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let example = embedded::example_session().unwrap();
    // The first evaluation of the example that has no agreed evaluation.
    let (number, scoring) = example
        .candidates
        .iter()
        .flat_map(|c| c.positions.iter().map(move |p| (c.number.clone(), p)))
        .find(|(_, p)| p.agreed.is_none() && !p.evaluations.is_empty())
        .unwrap();
    let evaluation = &scoring.evaluations[0];
    let base = position_uri(id, &number, &scoring.position);
    let examiner = app.login(&evaluation.examiner, EXAMINER_PASSWORD).await.bearer();
    let body = json!({"answers": evaluation.answers, "remark": evaluation.remark});
    let saved =
        send_json(&app, Method::PUT, &format!("{base}/evaluations/mine"), &examiner, &body, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    let submitted = app
        .send_with(
            Method::POST,
            &format!("{base}/evaluations/mine/submit"),
            &examiner,
            None,
            Vec::new(),
            Some(1),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{:#}", submitted.body);
    let version = submitted.body["version"].as_i64().unwrap();
    let uri = format!("{base}/evaluations/{}/reopen", evaluation.examiner);
    let reason = json!({"reason": "Niveau de c2 saisi par erreur, confirmé par l'expert·e."});

    // Only the board, with the version it saw and a reason.
    send_json(&app, Method::POST, &uri, &examiner, &reason, Some(version)).await.problem(403, "examiner");
    send_json(&app, Method::POST, &uri, &admin, &reason, None).await.problem(428, "no If-Match");
    send_json(&app, Method::POST, &uri, &admin, &reason, Some(version + 5)).await.problem(409, "stale");
    let blank = send_json(&app, Method::POST, &uri, &admin, &json!({"reason": "  "}), Some(version)).await;
    assert_eq!(blank.problem(422, "blank reason")["errors"][0]["pointer"], "/reason");
    let nobody = format!("{base}/evaluations/nobody/reopen");
    send_json(&app, Method::POST, &nobody, &admin, &reason, Some(version))
        .await
        .problem(404, "unknown examiner");

    let reopened = send_json(&app, Method::POST, &uri, &admin, &reason, Some(version)).await;
    assert_eq!(reopened.status, StatusCode::OK, "{:#}", reopened.body);
    assert_eq!(reopened.body["status"], "draft");
    // The examiner's draft again: they change it and submit again.
    let mine = app.get(&format!("{base}/evaluations/mine"), &examiner).await;
    assert_eq!(mine.body["status"], "draft");
    let again = send_json(
        &app,
        Method::POST,
        &uri,
        &admin,
        &reason,
        Some(reopened.body["version"].as_i64().unwrap()),
    )
    .await;
    assert!(again.problem(409, "not submitted")["detail"].as_str().unwrap().contains("pas soumise"));
    let audit = app.get("/api/audit?entity=evaluation", &admin).await;
    let entry =
        audit.body.as_array().unwrap().iter().find(|e| e["action"] == "evaluation.reopen").unwrap().clone();
    assert_eq!(entry["after"]["reason"], reason["reason"], "{entry:#}");
}
