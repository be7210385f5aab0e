//! A refusal of the workflow and a conflict with a concurrent change carry
//! a stable `code` and its `args` beside the French `detail` (which stays
//! word for word what it was), so that a client says them in its reader's
//! language. One table: the request, the status, the code, the arguments
//! and the French sentence.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Answer, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, position_uri, prepare_example, score_example, send_json};

/// What a refusal must say: its status, code, arguments and French detail.
struct Expected {
    what: &'static str,
    status: u16,
    code: &'static str,
    args: Value,
    detail: &'static str,
}

fn check(answer: &Answer, expected: &Expected) {
    let body = answer.problem(expected.status, expected.what);
    assert_eq!(body["code"], expected.code, "{}: {body:#}", expected.what);
    let args = body.get("args").cloned().unwrap_or(json!({}));
    assert_eq!(args, expected.args, "{}: {body:#}", expected.what);
    assert_eq!(body["detail"], expected.detail, "{}: {body:#}", expected.what);
}

#[tokio::test]
async fn refusals_carry_their_code_and_arguments_beside_the_french_detail() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let base = position_uri(id, "2026-001", "1.1");
    let mine = format!("{base}/evaluations/mine");
    let draft = json!({"answers": []});

    let mut answers: Vec<(Answer, Expected)> = Vec::new();
    // Publishing while scoring: the session's state, named by its stored name.
    answers.push((
        app.post_json(&format!("/api/sessions/{id}/publish"), &admin, &json!({})).await,
        Expected {
            what: "publish while scoring",
            status: 409,
            code: "denial.wrong_state",
            args: json!({"state": "scoring"}),
            detail: "Action impossible dans l'état actuel de la session (évaluation en cours).",
        },
    ));
    // Blind double marking: 403 with its code.
    answers.push((
        send_json(&app, Method::PUT, &format!("{base}/agreed"), &examiner, &draft, None).await,
        Expected {
            what: "the agreed evaluation before one's own is submitted",
            status: 403,
            code: "denial.partner_hidden",
            args: json!({}),
            detail: "Double correction à l'aveugle : soumettez d'abord votre propre évaluation.",
        },
    ));
    // Finalising while things are pending: the counts, as the detail
    // says them.
    let refused = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    let body = refused.problem(409, "finalise while pending").clone();
    assert_eq!(body["code"], "denial.not_ready", "{body:#}");
    for name in ["pending_candidates", "open_discrepancies", "drafts"] {
        let count = body["args"][name].as_str().unwrap_or_default();
        assert!(count.parse::<usize>().is_ok(), "{name}: {body:#}");
        assert!(body["detail"].as_str().unwrap_or_default().contains(count), "{name}: {body:#}");
    }
    // Everything scored and submitted: a submitted evaluation is locked.
    score_example(&app, id).await;
    answers.push((
        send_json(&app, Method::PUT, &mine, &examiner, &draft, None).await,
        Expected {
            what: "a submitted evaluation changed",
            status: 409,
            code: "denial.locked",
            args: json!({}),
            detail: "Cette évaluation est soumise et verrouillée.",
        },
    ));
    // A stale version: the store's conflict, with the current version.
    let current = app.get(&mine, &examiner).await.body["version"].as_i64().expect("a version");
    let reopen = format!("{base}/evaluations/exp-01/reopen");
    let reason = json!({"reason": "Vérification du code de refus."});
    let stale = send_json(&app, Method::POST, &reopen, &admin, &reason, Some(current + 5)).await;
    let body = stale.problem(409, "a stale version").clone();
    assert_eq!(body["code"], "conflict.stale_version", "{body:#}");
    assert_eq!(body["args"], json!({"current": current.to_string()}), "{body:#}");
    assert_eq!(
        body["detail"],
        format!(
            "Une autre modification a été enregistrée entre-temps (version actuelle {current}) ; rechargez."
        ),
    );
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);
    answers.push((
        app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await,
        Expected {
            what: "finalise twice",
            status: 409,
            code: "denial.wrong_state",
            args: json!({"state": "finalised"}),
            detail: "Action impossible dans l'état actuel de la session (notes arrêtées).",
        },
    ));
    answers.push((
        app.send_with(
            Method::DELETE,
            "/api/candidates/2026-001/personal-data",
            &admin,
            None,
            Vec::new(),
            None,
        )
        .await,
        Expected {
            what: "erase during retention",
            status: 409,
            code: "denial.retention_running",
            args: json!({}),
            detail: "Le délai de conservation fixé par la commission n'est pas échu.",
        },
    ));
    for (answer, expected) in &answers {
        check(answer, expected);
    }
    // A thing not found has the generic code, the thing named in French
    // (the pages say it in their reader's language).
    let unknown = app.get("/api/sessions/999999", &admin).await;
    let body = unknown.problem(404, "unknown session");
    assert_eq!(body["code"], "request.not_found", "{body:#}");
    assert_eq!(body["args"], json!({"what": "Session d'examen"}), "{body:#}");
    assert_eq!(body["detail"], "Session d'examen introuvable.", "{body:#}");
}
