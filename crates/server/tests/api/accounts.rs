//! The board's administration of accounts: disabling and enabling, roles,
//! the device of a login session, and accounts created from a CSV file.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::support::{ADMIN_PASSWORD, Answer, Auth, EXPERT_PASSWORD, TestApp, spawn_app};

async fn put(app: &TestApp, uri: &str, auth: &Auth, body: Value) -> Answer {
    app.send(Method::PUT, uri, auth, Some("application/json"), body.to_string().into_bytes()).await
}

async fn login(app: &TestApp, username: &str, password: &str) -> Answer {
    app.post_json("/api/login", &Auth::None, &json!({"username": username, "password": password})).await
}

fn line<'a>(listed: &'a Answer, username: &str) -> &'a Value {
    listed.body.as_array().unwrap().iter().find(|user| user["username"] == username).unwrap()
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_logs_in_again_only_once_enabled() {
    let app = spawn_app();
    let admin = app.admin().await;
    // The expert logs in from a named browser: its session says so.
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0")
        .body(Body::from(json!({"username": "expert", "password": EXPERT_PASSWORD}).to_string()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let expert = Auth::Bearer(body["token"].as_str().unwrap().to_owned());
    let sessions = app.get("/api/me/sessions", &expert).await;
    assert_eq!(sessions.body[0]["user_agent"], "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0");

    let uri = "/api/users/expert/active";
    put(&app, uri, &expert, json!({"active": false})).await.problem(403, "not the board");
    put(&app, "/api/users/ghost/active", &admin.bearer(), json!({"active": false}))
        .await
        .problem(404, "unknown user");
    put(&app, "/api/users/admin/active", &admin.bearer(), json!({"active": false}))
        .await
        .problem(409, "not one's own account");
    put(&app, uri, &admin.cookie_without_csrf(), json!({"active": false})).await.problem(403, "CSRF");
    let disabled = put(&app, uri, &admin.cookie(), json!({"active": false})).await;
    assert_eq!(disabled.status, StatusCode::OK, "{:#}", disabled.body);
    assert_eq!(disabled.body, json!({"active": false, "sessions_ended": 1}));
    app.get("/api/me", &expert).await.problem(401, "its session ended");
    // The right password is told the account is disabled; a wrong one
    // learns nothing more than usual.
    let refused = login(&app, "expert", EXPERT_PASSWORD).await;
    assert!(refused.problem(403, "disabled")["detail"].as_str().unwrap().contains("désactivé"));
    login(&app, "expert", "not-the-password-at-all").await.problem(401, "wrong password");
    let listed = app.get("/api/users", &admin.bearer()).await;
    assert_eq!(line(&listed, "expert")["disabled"], true);
    assert_eq!(line(&listed, "admin")["disabled"], false);

    let enabled = put(&app, uri, &admin.bearer(), json!({"active": true})).await;
    assert_eq!(enabled.body, json!({"active": true, "sessions_ended": 0}));
    assert_eq!(login(&app, "expert", EXPERT_PASSWORD).await.status, StatusCode::OK);
    let audit = app.get("/api/audit?entity=user", &admin.bearer()).await.body.to_string();
    assert!(audit.contains("user.disable") && audit.contains("user.enable"), "{audit}");
}

#[tokio::test]
async fn a_role_changes_where_it_fits_the_account() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let expert = app.expert().await.bearer();
    let uri = "/api/users/expert/role";
    put(&app, uri, &expert, json!({"role": "admin"})).await.problem(403, "not the board");
    put(&app, "/api/users/admin/role", &admin, json!({"role": "examiner"}))
        .await
        .problem(409, "not one's own role");
    put(&app, uri, &admin, json!({"role": "chef"})).await.problem(422, "unknown role");
    // A trainer belongs to a school; this account has none.
    let refused = put(&app, uri, &admin, json!({"role": "trainer"})).await;
    assert_eq!(refused.problem(422, "no school")["errors"][0]["pointer"], "/role");
    app.get("/api/users", &expert).await.problem(403, "still an examiner");
    let changed = put(&app, uri, &admin, json!({"role": "admin"})).await;
    assert_eq!(changed.status, StatusCode::OK, "{:#}", changed.body);
    assert_eq!(changed.body["role"], "admin");
    // The same session has the new role at once.
    assert_eq!(app.get("/api/users", &expert).await.status, StatusCode::OK);
    let audit = app.get("/api/audit?entity=user", &admin).await.body.to_string();
    assert!(audit.contains("user.role"), "{audit}");
}

#[tokio::test]
async fn the_board_does_not_reset_its_own_password_or_second_factor_through_its_routes() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let body = json!({"new_password": "Vert-Ardoise-Montagne-42"}).to_string().into_bytes();
    app.send(Method::PUT, "/api/users/admin/password", &admin, Some("application/json"), body)
        .await
        .problem(409, "own password");
    app.send(Method::DELETE, "/api/users/admin/totp", &admin, None, Vec::new())
        .await
        .problem(409, "own second factor");
    // The password did not change.
    assert_eq!(login(&app, "admin", ADMIN_PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn accounts_from_a_file_are_checked_line_by_line_and_created_all_or_none() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let school = app.post_json("/api/schools", &admin, &json!({"name": "École du Lac"})).await;
    assert_eq!(school.status, StatusCode::CREATED, "{:#}", school.body);
    let session = app.session(&app.admin().await).await;
    let enrolled = app
        .post_json(
            &format!("/api/sessions/{session}/candidates"),
            &admin,
            &json!({"candidates": [
                {"number": "2027-001", "family_name": "Muster", "given_name": "Anna"},
                {"number": "2027-002", "family_name": "Rossi", "given_name": "Luca"},
            ]}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:#}", enrolled.body);

    let bad = "utilisateur;rôle;numéro;école\n\
               anna;expert·e;;\n\
               anna;Experte;;\n\
               bob;chef;;\n\
               expert;expert;;\n\
               cand-a;candidat;2027-001;\n\
               cand-b;Kandidatin;2027-001;\n\
               form;formatrice;;\n\
               Bad Name;expert;;\n\
               boss;admin;;\n";
    for uri in ["/api/users/csv/preview", "/api/users/csv"] {
        let answer = app.post_raw(uri, &admin, "text/csv", bad).await;
        let problem = answer.problem(422, uri);
        let errors: Vec<(u64, &str)> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| (error["line"].as_u64().unwrap(), error["field"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(
            errors,
            [
                (3, "username"),
                (4, "role"),
                (5, "username"),
                (7, "candidate_number"),
                (8, "school"),
                (9, "username"),
                (10, "role"),
            ],
            "{problem:#}"
        );
        assert!(problem["errors"][0]["detail"].as_str().unwrap().contains("ligne 2"), "{problem:#}");
    }
    // Nothing was created, not even the good lines.
    let listed = app.get("/api/users", &admin).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2, "{:#}", listed.body);

    let good = "\u{feff}Benutzername,Rolle,Kandidatennummer,Schule\r\n\
                anna,Experte,,\r\n\
                lea,Berufsbildnerin,,école du lac\r\n\
                cand-a,Kandidat,2027-001,\r\n";
    let preview = app.post_raw("/api/users/csv/preview", &admin, "text/csv", good).await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    assert_eq!(preview.body["accounts"][1]["school"], "École du Lac");
    assert_eq!(preview.body["accounts"][2]["candidate_number"], "2027-001");
    assert_eq!(
        app.get("/api/users", &admin).await.body.as_array().unwrap().len(),
        2,
        "a preview saves nothing"
    );
    let created = app.post_raw("/api/users/csv", &admin, "text/csv", good).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    let accounts = created.body["created"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    let password = accounts[0]["temporary_password"].as_str().unwrap();
    assert_ne!(password, accounts[1]["temporary_password"].as_str().unwrap());
    assert_eq!(login(&app, "anna", password).await.status, StatusCode::OK);
    let listed = app.get("/api/users", &admin).await;
    assert_eq!(line(&listed, "cand-a")["candidate_number"], "2027-001");
    assert_eq!(line(&listed, "lea")["role"], "trainer");
    assert!(line(&listed, "lea")["school_id"].is_i64());
    // The audit log never holds a temporary password.
    let audit = app.get("/api/audit?entity=user", &admin).await.body.to_string();
    assert!(!audit.contains(password), "{audit}");
    // The same file again: every name is taken, number 2027-001 is linked.
    let again = app.post_raw("/api/users/csv", &admin, "text/csv", good).await;
    let problem = again.problem(422, "again");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 4, "{problem:#}");
}
