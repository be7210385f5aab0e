use axum::http::{StatusCode, header};
use serde_json::json;

use crate::support::{ADMIN_PASSWORD, Auth, Backend, spawn_app, spawn_app_on};

#[tokio::test]
async fn login_sets_an_http_only_strict_cookie_and_returns_a_token() {
    let app = spawn_app();
    let answer = app
        .post_json("/api/login", &Auth::None, &json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let cookies: Vec<&str> =
        answer.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
    let session = cookies.iter().find(|c| c.starts_with("grille_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
    let csrf = cookies.iter().find(|c| c.starts_with("grille_csrf=")).expect("csrf cookie");
    assert!(!csrf.contains("HttpOnly"), "the page must be able to read {csrf}");
    let token = answer.body["token"].as_str().unwrap();
    assert!(session.starts_with(&format!("grille_session={token};")));
    assert_eq!(answer.body["user"]["role"], "admin");
}

#[tokio::test]
async fn me_works_with_bearer_and_cookie_and_logout_ends_the_login() {
    let app = spawn_app();
    let admin = app.admin().await;
    for auth in [admin.bearer(), admin.cookie_without_csrf()] {
        let me = app.get("/api/me", &auth).await;
        assert_eq!(me.status, StatusCode::OK, "{auth:?}");
        assert_eq!(me.body["username"], "admin");
    }
    // Logout is a write: with the cookie it needs the CSRF token.
    app.post_json("/api/logout", &admin.cookie_without_csrf(), &json!({}))
        .await
        .problem(403, "logout no csrf");
    let out = app.post_json("/api/logout", &admin.cookie(), &json!({})).await;
    assert_eq!(out.status, StatusCode::OK, "{:#}", out.body);
    app.get("/api/me", &admin.bearer()).await.problem(401, "after logout");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = spawn_app();
    let wrong =
        app.post_json("/api/login", &Auth::None, &json!({"username": "admin", "password": "nope"})).await;
    let unknown =
        app.post_json("/api/login", &Auth::None, &json!({"username": "ghost", "password": "nope"})).await;
    assert_eq!(wrong.problem(401, "wrong password"), unknown.problem(401, "unknown user"));
}

#[tokio::test]
async fn failed_logins_slow_down_that_username_only() {
    for backend in Backend::all() {
        slow_down_on(spawn_app_on(backend)).await;
    }
}

async fn slow_down_on(app: crate::support::TestApp) {
    let attempt = |username: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.post_json("/api/login", &Auth::None, &json!({"username": username, "password": password}))
                .await
        }
    };
    // Two free attempts, then a wait (30 s in the test configuration).
    attempt("admin", "wrong-1").await.problem(401, "first");
    attempt("admin", "wrong-2").await.problem(401, "second");
    attempt("admin", "wrong-3").await.problem(401, "third, now blocked");
    let blocked = attempt("admin", ADMIN_PASSWORD).await;
    blocked.problem(429, "blocked even with the right password");
    let retry_after: u64 = blocked.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    // Case and spaces do not get around it.
    attempt("ADMIN", ADMIN_PASSWORD).await.problem(429, "other case");
    // Another username is not affected.
    assert_eq!(attempt("expert", crate::support::EXPERT_PASSWORD).await.status, StatusCode::OK);
}

/// Sends one login per password at once (each on its own task) and
/// returns their statuses in the order of `passwords`.
async fn burst(
    app: &std::sync::Arc<crate::support::TestApp>,
    username: &str,
    passwords: Vec<String>,
) -> Vec<u16> {
    let tasks: Vec<_> = passwords
        .into_iter()
        .map(|password| {
            let app = app.clone();
            let body = json!({"username": username, "password": password});
            tokio::spawn(async move { app.post_json("/api/login", &Auth::None, &body).await.status.as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_of_guesses_gets_no_more_checks_than_guesses_in_sequence() {
    let app = std::sync::Arc::new(spawn_app());
    // In sequence: two free attempts, a third that sets the wait, then 429.
    let mut sequential = Vec::new();
    for n in 0..40 {
        let body = json!({"username": "expert", "password": format!("wrong-{n}")});
        sequential.push(app.post_json("/api/login", &Auth::None, &body).await.status.as_u16());
    }
    let checked_in_sequence = sequential.iter().filter(|status| **status == 401).count();
    assert_eq!(checked_in_sequence, 3, "{sequential:?}");
    // In parallel, on another account, with the right password in the middle.
    let mut passwords: Vec<String> = (0..40).map(|n| format!("wrong-{n}")).collect();
    passwords.insert(20, ADMIN_PASSWORD.to_owned());
    let statuses = burst(&app, "admin", passwords).await;
    let checked = statuses.iter().filter(|status| **status == 401 || **status == 200).count();
    // The attempts take their turns in no fixed order. A correct password
    // checked while the address still had free attempts logs in and, by
    // design, clears that address's failures: the guesses after it get the
    // free attempts again. So at most the free attempts before the
    // success, the success, and the free attempts after it are checked;
    // everything else waits (429).
    let succeeded = statuses.iter().filter(|status| **status == 200).count();
    let allowed = checked_in_sequence * (1 + succeeded) + succeeded;
    assert!(succeeded <= 1, "{statuses:?}");
    assert!(checked <= allowed, "{checked} checked, {allowed} allowed: {statuses:?}");
    assert!(statuses.iter().all(|status| [200, 401, 429].contains(status)), "{statuses:?}");
    let blocked = statuses.iter().filter(|status| **status == 429).count();
    assert_eq!(blocked, statuses.len() - checked);
    assert!(blocked >= statuses.len() - allowed, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_account_logging_in_from_several_devices_at_once_gets_in_every_time() {
    let app = std::sync::Arc::new(spawn_app());
    let statuses = burst(&app, "admin", vec![ADMIN_PASSWORD.to_owned(); 12]).await;
    assert_eq!(statuses, vec![200; 12]);
}

#[tokio::test]
async fn csrf_is_required_for_cookie_writes_only() {
    let app = spawn_app();
    let admin = app.admin().await;
    let body = json!({"name": "Session"});
    app.post_json("/api/sessions", &admin.cookie_without_csrf(), &body).await.problem(403, "no csrf");
    let wrong = Auth::Cookie { token: admin.token.clone(), csrf: Some("0".repeat(64)) };
    app.post_json("/api/sessions", &wrong, &body).await.problem(403, "wrong csrf");
    assert_eq!(app.post_json("/api/sessions", &admin.cookie(), &body).await.status, StatusCode::CREATED);
    assert_eq!(app.post_json("/api/sessions", &admin.bearer(), &body).await.status, StatusCode::CREATED);
    // Reads need no CSRF token.
    assert_eq!(app.get("/api/sessions", &admin.cookie_without_csrf()).await.status, StatusCode::OK);
}

#[tokio::test]
async fn only_the_board_manages_users() {
    let app = spawn_app();
    let admin = app.admin().await;
    let expert = app.expert().await;
    let new = json!({"username": "cand.one", "password": "long-enough-pw", "role": "candidate"});
    app.post_json("/api/users", &expert.bearer(), &new).await.problem(403, "expert creates user");
    let created = app.post_json("/api/users", &admin.bearer(), &new).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:#}", created.body);
    assert_eq!(
        created.body,
        json!({"username": "cand.one", "role": "candidate", "created_at": created.body["created_at"], "school_id": null})
    );
    app.post_json("/api/users", &admin.bearer(), &new).await.problem(409, "duplicate");
    let list = app.get("/api/users", &admin.bearer()).await;
    let names: Vec<&str> =
        list.body.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "cand.one", "expert"]);
    assert!(!list.body.to_string().contains("argon2"), "hashes must never be sent");
    let candidate = app.login("cand.one", "long-enough-pw").await;
    app.get("/api/sessions", &candidate.bearer()).await.problem(403, "candidate lists sessions");
}

#[tokio::test]
async fn behind_an_https_proxy_cookies_are_secure_answers_carry_hsts_and_clients_are_told_apart() {
    let proxy: std::net::IpAddr = "10.0.0.2".parse().unwrap();
    let config = grille_server::AppConfig {
        secure_cookies: true,
        hsts: true,
        trusted_proxies: vec![proxy],
        ..crate::support::config()
    };
    let app = crate::support::spawn_app_with(config);
    let login = |client: &'static str, password: &'static str| {
        let router = app.router.clone();
        async move {
            use tower::ServiceExt as _;
            let mut request = axum::http::Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", format!("198.51.100.200, {client}"))
                .body(axum::body::Body::from(json!({"username": "admin", "password": password}).to_string()))
                .unwrap();
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(proxy, 40000)));
            router.oneshot(request).await.unwrap()
        }
    };
    let ok = login("203.0.113.1", ADMIN_PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(ok.headers()[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap().starts_with("max-age="));
    for cookie in ok.headers().get_all(header::SET_COOKIE) {
        assert!(cookie.to_str().unwrap().contains("; Secure"), "{cookie:?}");
    }
    // Guesses from one client behind the proxy slow that client down...
    for _ in 0..3 {
        assert_eq!(login("203.0.113.66", "wrong-password-x").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login("203.0.113.66", ADMIN_PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // ... not the owner at another address behind the same proxy.
    assert_eq!(login("203.0.113.1", ADMIN_PASSWORD).await.status(), StatusCode::OK);
    // Without the HTTPS setting, no HSTS and no Secure cookie.
    let plain = spawn_app();
    let answer = plain
        .post_json("/api/login", &Auth::None, &json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .await;
    assert!(!answer.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    assert!(
        answer
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .all(|cookie| !cookie.to_str().unwrap().contains("Secure"))
    );
}
