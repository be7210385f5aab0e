use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::support::{Auth, spawn_app};

/// Every route the server has, as "METHOD path". Adding a route means
/// adding it here; the tests below check that the router and the OpenAPI
/// document agree with this list.
const ROUTES: &[&str] = &[
    "GET /health",
    "GET /openapi.json",
    "GET /api/catalogue",
    "GET /api/catalogue/competences/{id}",
    "GET /api/board/identity",
    "PUT /api/board/identity",
    "GET /api/board/identity/logo",
    "PUT /api/board/identity/logo",
    "DELETE /api/board/identity/logo",
    "GET /api/sessions/{id}/particulars",
    "PUT /api/sessions/{id}/particulars",
    "GET /api/sessions/{id}/decisions",
    "GET /api/sessions/{id}/successful/csv",
    "GET /api/sessions/{id}/successful/xlsx",
    "GET /api/candidates/{number}/master-data",
    "PUT /api/candidates/{number}/master-data",
    "PUT /api/candidates/{number}/accommodation",
    "POST /api/candidates/master-data/csv/preview",
    "POST /api/candidates/master-data/csv",
    "GET /api/sessions/{id}/register",
    "GET /api/me/accommodations",
    "GET /api/me/conflicts",
    "POST /api/me/conflicts",
    "DELETE /api/me/conflicts/{number}",
    "GET /api/conflicts",
    "GET /api/sessions/{id}/appeals",
    "POST /api/sessions/{id}/appeals",
    "PUT /api/sessions/{id}/appeals/{appeal}",
    "GET /api/sessions/{id}/appeals/csv",
    "GET /api/sessions/{id}/standard-setting",
    "PUT /api/sessions/{id}/standard-setting",
    "POST /api/sessions/{id}/standard-setting/csv/preview",
    "GET /api/sessions/{id}/standard-setting/csv",
    "POST /api/sessions/{id}/standard-setting/csv",
    "GET /api/sessions/{id}/standard-setting/draft-scheme",
    "GET /api/catalogue/export/moodle.csv",
    "GET /api/catalogue/export/case.json",
    "POST /api/login",
    "POST /api/logout",
    "GET /api/me",
    "PUT /api/me/password",
    "POST /api/me/totp",
    "DELETE /api/me/totp",
    "GET /api/me/totp",
    "POST /api/me/totp/confirm",
    "GET /api/users",
    "POST /api/users",
    "GET /api/me/sessions",
    "DELETE /api/me/sessions/{id}",
    "DELETE /api/users/{username}/sessions",
    "DELETE /api/users/{username}/totp",
    "PUT /api/users/{username}/password",
    "PUT /api/users/{username}/active",
    "PUT /api/users/{username}/role",
    "POST /api/users/csv/preview",
    "POST /api/users/csv",
    "GET /api/audit",
    "GET /api/sessions",
    "POST /api/sessions",
    "GET /api/sessions/{id}",
    "GET /api/sessions/{id}/candidates",
    "POST /api/sessions/{id}/candidates",
    "POST /api/sessions/{id}/candidates/csv",
    "POST /api/sessions/{id}/candidates/csv/preview",
    "GET /api/sessions/{id}/assignments",
    "POST /api/sessions/{id}/assignments",
    "POST /api/sessions/{id}/assignments/csv",
    "POST /api/sessions/{id}/assignments/csv/preview",
    "GET /api/sessions/{id}/candidates/{number}/positions/{position}/evaluations",
    "GET /api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/mine",
    "PUT /api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/mine",
    "POST /api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/mine/submit",
    "PUT /api/sessions/{id}/candidates/{number}/positions/{position}/agreed",
    "POST /api/sessions/{id}/candidates/{number}/positions/{position}/agreed/confirm",
    "GET /api/sessions/{id}/arbiters",
    "PUT /api/sessions/{id}/arbiters",
    "GET /api/me/arbitrations",
    "GET /api/sessions/{id}/candidates/{number}/positions/{position}/arbitration",
    "PUT /api/sessions/{id}/candidates/{number}/positions/{position}/arbitration",
    "POST /api/sessions/{id}/candidates/{number}/positions/{position}/arbitration/preview",
    "POST /api/sessions/{id}/candidates/{number}/positions/{position}/arbitration/submit",
    "GET /api/me/assignments",
    "GET /api/sessions/{id}/candidates/{number}/positions/{position}/form",
    "POST /api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/preview",
    "GET /api/sessions/{id}/progress",
    "GET /api/sessions/{id}/class-grid",
    "GET /api/sessions/{id}/file-consultation",
    "PUT /api/sessions/{id}/file-consultation",
    "GET /api/me/development-plan",
    "PUT /api/me/development-plan",
    "GET /api/development-plans",
    "GET /api/development-plans/{username}",
    "POST /api/development-plans/{username}/comments",
    "GET /api/me/results/{id}/rubric",
    "POST /api/sessions/{id}/scoring",
    "POST /api/sessions/{id}/finalise",
    "POST /api/sessions/{id}/publish",
    "GET /api/sessions/{id}/results",
    "GET /api/sessions/{id}/results/csv",
    "GET /api/sessions/{id}/quality",
    "GET /api/sessions/{id}/quality/csv",
    "GET /api/sessions/{id}/what-if",
    "POST /api/sessions/{id}/what-if",
    "POST /api/sessions/{id}/what-if/csv",
    "GET /api/examiners/{username}/history",
    "GET /api/examiners/{username}/history/csv",
    "PUT /api/sessions/{id}/candidates/{number}/status",
    "POST /api/sessions/{id}/candidates/{number}/corrections",
    "POST /api/sessions/{id}/candidates/{number}/corrections/preview",
    "POST /api/sessions/{id}/candidates/{number}/corrections/proposals",
    "GET /api/sessions/{id}/corrections/proposals",
    "POST /api/sessions/{id}/corrections/proposals/{proposal}/approve",
    "POST /api/sessions/{id}/corrections/proposals/{proposal}/reject",
    "POST /api/sessions/{id}/corrections/proposals/{proposal}/withdraw",
    "GET /api/sessions/{id}/candidates/{number}/file",
    "PUT /api/sessions/{id}/retention",
    "GET /api/candidates/{number}/personal-data",
    "DELETE /api/candidates/{number}/personal-data",
    "GET /api/me/results",
    "GET /api/me/email",
    "PUT /api/me/email",
    "PUT /api/users/{username}/email",
    "POST /api/users/{username}/password/temporary",
    "GET /api/sessions/{id}/reminders",
    "POST /api/sessions/{id}/reminders/send",
    "GET /api/me/self-assessment",
    "PUT /api/me/self-assessment",
    "GET /api/schools",
    "POST /api/schools",
    "GET /api/schools/{id}",
    "PUT /api/schools/{id}",
    "DELETE /api/schools/{id}",
    "GET /api/cases",
    "POST /api/cases",
    "GET /api/cases/coverage",
    "POST /api/cases/import",
    "GET /api/cases/{case}",
    "PUT /api/cases/{case}",
    "POST /api/cases/{case}/state",
    "POST /api/cases/{case}/duplicate",
    "GET /api/cases/{case}/diff",
    "GET /api/cases/{case}/export",
    "POST /api/cases/{case}/attachments",
    "GET /api/cases/{case}/attachments/{sha256}",
    "DELETE /api/cases/{case}/attachments/{sha256}",
    "GET /api/sessions/{id}/cases",
    "POST /api/sessions/{id}/cases/draw",
    "POST /api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/{examiner}/reopen",
    "POST /api/sessions/{id}/cases/csv/preview",
    "POST /api/sessions/{id}/cases/csv",
    "PUT /api/sessions/{id}/candidates/{number}/positions/{position}/case",
    "DELETE /api/sessions/{id}/candidates/{number}/positions/{position}/case",
    "GET /api/sessions/{id}/candidates/{number}/positions/{position}/case/attachments/{sha256}",
    "GET /api/documents",
    "POST /api/documents/preview",
    "POST /api/documents",
    "POST /api/documents/next-year",
    "GET /api/documents/{document}",
    "PUT /api/documents/{document}",
    "POST /api/documents/{document}/state",
    "POST /api/documents/{document}/duplicate",
    "GET /api/documents/{document}/diff",
    "GET /api/sessions/{id}/submissions",
    "GET /api/sessions/{id}/submission-windows",
    "PUT /api/sessions/{id}/submission-windows/{position}",
    "DELETE /api/sessions/{id}/submission-windows/{position}",
    "GET /api/me/submissions",
    "PUT /api/me/sessions/{id}/positions/{position}/submission",
    "GET /api/me/sessions/{id}/positions/{position}/submission",
    "DELETE /api/me/sessions/{id}/positions/{position}/submission",
    "PUT /api/sessions/{id}/candidates/{number}/positions/{position}/submission",
    "GET /api/sessions/{id}/candidates/{number}/positions/{position}/submission",
    "DELETE /api/sessions/{id}/candidates/{number}/positions/{position}/submission",
];

fn documented(document: &Value) -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                routes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    routes
}

#[test]
fn the_document_lists_exactly_the_routes() {
    let document = grille_server::openapi();
    assert_eq!(document["openapi"], "3.1.0");
    let expected: BTreeSet<String> = ROUTES.iter().map(|r| r.to_string()).collect();
    assert_eq!(documented(&document), expected);
    // Every operation documents its error shape and a success response.
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("default"), "{method} {path}: no error response");
            assert!(
                responses.keys().any(|code| code.starts_with('2')),
                "{method} {path}: no success response"
            );
            assert!(operation.get("summary").is_some(), "{method} {path}: no summary");
        }
    }
}

/// Error answers without field errors leave `errors` out, so the schema
/// must not require it (schemathesis found every 401/403/404 in breach).
#[test]
fn the_problem_schema_matches_bodies_without_field_errors() {
    let document = grille_server::openapi();
    let problem = &document["components"]["schemas"]["Problem"];
    let required: Vec<&str> = problem["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert!(!required.contains(&"errors"), "Problem requires errors: {problem}");
    for field in ["type", "title", "status"] {
        assert!(required.contains(&field), "Problem should require {field}: {problem}");
    }
}

#[tokio::test]
async fn every_listed_route_exists_in_the_router() {
    let app = spawn_app();
    let admin = app.admin().await;
    for route in ROUTES {
        let (method, path) = route.split_once(' ').unwrap();
        let uri = path
            .replace("{id}", "A1")
            .replace("{number}", "X1")
            .replace("{position}", "1.1")
            .replace("{username}", "ghost");
        let uri = if uri.starts_with("/api/sessions/") { uri.replace("A1", "1") } else { uri };
        let method: Method = method.parse().unwrap();
        let answer = app.send(method, &uri, &admin.bearer(), Some("application/json"), b"{}".to_vec()).await;
        assert_ne!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{route}");
        if answer.status == StatusCode::NOT_FOUND {
            // A 404 must come from the handler (an unknown session), not from
            // the router's fallback.
            assert_ne!(answer.body["detail"], "Ressource introuvable.", "{route} is not routed");
        }
    }
    // The served document is the generated one.
    let served = app.get("/openapi.json", &Auth::None).await;
    assert_eq!(served.body, grille_server::openapi());
}

#[test]
fn no_route_bypasses_the_documented_router() {
    // Routes registered with plain axum `.route(` would be missing from the
    // document; all routes go through aide's `.api_route(`.
    let source_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(source_dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for needle in [".route(", ".route_service(", ".nest_service(", ".nest("] {
            assert!(!text.contains(needle), "{} uses {needle}", path.display());
        }
    }
}

/// What the server enforces is stated in the document: lengths, patterns,
/// enums and the If-Match header a write needs (schemathesis in `.ci/run`
/// checks the rest against the running server).
#[test]
fn the_document_states_the_constraints_the_server_enforces() {
    let document = grille_server::openapi();
    let text = document.to_string();
    for needle in [
        r#""minLength":1"#,
        r#""pattern":"^[a-z0-9._-]{3,64}$""#,
        r#""format":"date""#,
        r#""withdrawn_excused""#,
        r#""minItems":1"#,
    ] {
        assert!(text.contains(needle), "{needle} is not stated");
    }
    let state = &document["paths"]["/api/cases/{case}/state"]["post"]["parameters"];
    let if_match = state.as_array().unwrap().iter().find(|p| p["name"] == "If-Match").unwrap();
    assert_eq!(if_match["required"], true, "{if_match:#}");
    assert!(if_match["schema"]["pattern"].is_string());
}
