use axum::http::Method;
use serde_json::json;

use crate::support::{Auth, spawn_app};

/// One bad request and the problem it must get.
struct Case {
    what: &'static str,
    method: Method,
    uri: &'static str,
    /// `admin`, `expert`, `none` or `cookie-no-csrf`.
    who: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    /// The first `errors[].pointer`, if any is expected.
    pointer: Option<&'static str>,
}

fn case(what: &'static str, method: Method, uri: &'static str, who: &'static str) -> Case {
    Case { what, method, uri, who, content_type: None, body: Vec::new(), status: 0, pointer: None }
}

impl Case {
    fn json(mut self, body: &str) -> Case {
        self.content_type = Some("application/json");
        self.body = body.as_bytes().to_vec();
        self
    }
    fn expect(mut self, status: u16, pointer: Option<&'static str>) -> Case {
        self.status = status;
        self.pointer = pointer;
        self
    }
}

#[tokio::test]
async fn each_kind_of_bad_input_gets_its_problem() {
    let app = spawn_app();
    let admin = app.admin().await;
    let expert = app.expert().await;
    let session = app.session(&admin).await;
    assert_eq!(session, 1);
    let too_large = format!("{{\"name\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let cases = vec![
        case("malformed JSON", Method::POST, "/api/sessions", "admin").json("{\"name\": ").expect(400, None),
        case("missing field", Method::POST, "/api/login", "none")
            .json(r#"{"username": "admin"}"#)
            .expect(422, Some("/password")),
        case("wrong type", Method::POST, "/api/login", "none")
            .json(r#"{"username": 3, "password": "x"}"#)
            .expect(422, Some("/username")),
        case("wrong type, nested", Method::POST, "/api/sessions/1/candidates", "admin")
            .json(r#"{"candidates": [{"number": "1", "family_name": "A", "given_name": 2}]}"#)
            .expect(422, Some("/candidates/0/given_name")),
        case("unknown enum value", Method::POST, "/api/users", "admin")
            .json(r#"{"username": "anna", "password": "123456789012", "role": "king"}"#)
            .expect(422, Some("/role")),
        case("wrong media type", Method::POST, "/api/login", "none").expect(415, None),
        case("too-large body", Method::POST, "/api/sessions", "admin").json(&too_large).expect(413, None),
        case("unknown competence", Method::GET, "/api/catalogue/competences/Z9", "none").expect(404, None),
        case("unknown session", Method::GET, "/api/sessions/999", "admin").expect(404, None),
        case("unknown session on enrol", Method::POST, "/api/sessions/999/candidates", "admin")
            .json(r#"{"candidates": [{"number": "1", "family_name": "A", "given_name": "B"}]}"#)
            .expect(404, None),
        case("non-numeric id", Method::GET, "/api/sessions/abc", "admin").expect(400, None),
        case("unknown route", Method::GET, "/api/nothing", "admin").expect(404, None),
        case("wrong method", Method::DELETE, "/api/catalogue", "none").expect(405, None),
        case("missing auth", Method::GET, "/api/me", "none").expect(401, None),
        case("missing auth on a write", Method::POST, "/api/sessions", "none").json("{}").expect(401, None),
        case("wrong role", Method::GET, "/api/users", "expert").expect(403, None),
        case("wrong role on a write", Method::POST, "/api/sessions", "expert")
            .json(r#"{"name": "x"}"#)
            .expect(403, None),
        case("CSRF token missing", Method::POST, "/api/sessions", "cookie-no-csrf")
            .json(r#"{"name": "x"}"#)
            .expect(403, None),
        case("invalid values, all reported", Method::POST, "/api/users", "admin")
            .json(r#"{"username": "A", "password": "short", "role": "examiner"}"#)
            .expect(422, Some("/username")),
        case("bad query parameter", Method::GET, "/api/audit?limit=many", "admin").expect(400, None),
    ];
    for case in cases {
        let auth = match case.who {
            "admin" => admin.bearer(),
            "expert" => expert.bearer(),
            "cookie-no-csrf" => admin.cookie_without_csrf(),
            _ => Auth::None,
        };
        let answer =
            app.send(case.method.clone(), case.uri, &auth, case.content_type, case.body.clone()).await;
        let problem = answer.problem(case.status, case.what);
        let title = problem["title"].as_str().unwrap_or_default();
        assert!(!title.is_empty(), "{}: empty title", case.what);
        if let Some(pointer) = case.pointer {
            assert_eq!(problem["errors"][0]["pointer"], pointer, "{}: {problem:#}", case.what);
        }
    }
}

#[tokio::test]
async fn invalid_values_are_all_reported_at_once() {
    let app = spawn_app();
    let admin = app.admin().await;
    let answer = app
        .post_json(
            "/api/users",
            &admin.bearer(),
            &json!({"username": "A", "password": "short", "role": "examiner"}),
        )
        .await;
    let problem = answer.problem(422, "two bad fields");
    let pointers: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, ["/username", "/password"]);
    assert_eq!(problem["title"], "Données invalides");
}

#[tokio::test]
async fn internal_details_are_not_sent() {
    let app = spawn_app();
    let admin = app.admin().await;
    app.store.close().unwrap();
    let answer = app.get("/api/sessions", &admin.bearer()).await;
    let problem = answer.problem(500, "closed store");
    let text = problem.to_string();
    assert!(!text.contains("closed") && !text.contains("database"), "{text}");
}
