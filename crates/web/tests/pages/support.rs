//! The harness shared by the access tests: the app composed as `grille
//! serve --demo` composes it (API + pages over one state, demo data in a
//! temporary database), requests sent with `oneshot`, and the login
//! through the login form.

// Some helpers serve only a few of the modules.
#![allow(dead_code)]

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use grille_server::{AppConfig, AppState, PasswordCost, ThrottleConfig};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

pub(crate) const PASSWORD: &str = grille_server::DEMO_PASSWORD;

pub(crate) struct App {
    router: Router,
    _dir: tempfile::TempDir,
}

/// The demo app, with a login slowdown after two failed attempts.
pub(crate) fn app() -> App {
    let config = AppConfig {
        password_cost: PasswordCost::TESTING,
        throttle: ThrottleConfig {
            free_attempts: 2,
            base_delay: Duration::from_secs(30),
            ..ThrottleConfig::default()
        },
        ..AppConfig::default()
    };
    app_with(config, |_| {})
}

/// The demo app under `config`, with `setup` run on its state after the
/// demo data is seeded.
pub(crate) fn app_with(config: AppConfig, setup: impl FnOnce(&AppState)) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = grille_store::Store::open(&dir.path().join("grille.sqlite")).unwrap();
    let state = AppState::new(store, config).unwrap();
    grille_server::seed_demo(&state).unwrap();
    setup(&state);
    let pages = grille_web::router(grille_web::WebState::with_app(state.clone()));
    App { router: grille_server::app_with_pages(state, pages), _dir: dir }
}

#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) location: String,
    pub(crate) cookies: Vec<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl App {
    /// The app's answer to `request` as it is (headers, extensions, body).
    pub(crate) async fn answer(&self, request: Request<Body>) -> axum::response::Response {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub(crate) async fn send(&self, method: &str, uri: &str, cookie: &str, form: Option<&str>) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        let body = match form {
            Some(form) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form.to_owned())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let cookies = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().split(';').next().unwrap().to_owned())
            .collect();
        let body =
            String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Answer { status, location, cookies, headers, body }
    }

    /// Sends `body` as `content_type` with the session cookie (a multipart
    /// form, say).
    pub(crate) async fn send_bytes(
        &self,
        uri: &str,
        cookie: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        let request = Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body =
            String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Answer { status, location, cookies: Vec::new(), headers, body }
    }

    /// Like [`App::send_json`] with an `If-Match` header.
    pub(crate) async fn send_json_with_if_match(
        &self,
        method: &str,
        uri: &str,
        cookie: &str,
        csrf: &str,
        json: &str,
        if_match: &str,
    ) -> Answer {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .header(header::IF_MATCH, if_match)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body =
            String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Answer { status, location: String::new(), cookies: Vec::new(), headers, body }
    }

    /// Sends a JSON body to the API with the session cookie and its CSRF
    /// token (as the pages' scripts do).
    pub(crate) async fn send_json(
        &self,
        method: &str,
        uri: &str,
        cookie: &str,
        csrf: &str,
        json: &str,
    ) -> Answer {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body =
            String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Answer { status, location: String::new(), cookies: Vec::new(), headers, body }
    }

    /// Posts the login form (with the token the form carries) and returns
    /// the answer.
    pub(crate) async fn post_login(&self, username: &str, password: &str) -> Answer {
        let form = self.send("GET", "/login", "", None).await;
        let login_cookie = form.cookies.iter().find(|c| c.starts_with("grille_login_csrf=")).unwrap().clone();
        let token = login_cookie.split_once('=').unwrap().1.to_owned();
        assert!(form.body.contains(&format!(r#"name="csrf" value="{token}""#)));
        let body = format!("csrf={token}&next=&username={username}&password={password}");
        self.send("POST", "/login", &login_cookie, Some(&body)).await
    }

    /// Logs in through the login form; returns the cookie header and the CSRF token.
    pub(crate) async fn login(&self, username: &str, password: &str) -> Result<(String, String), Answer> {
        let answer = self.post_login(username, password).await;
        if answer.status != StatusCode::SEE_OTHER {
            return Err(answer);
        }
        Ok(answer.session())
    }
}

impl Answer {
    /// The cookie header and the CSRF token of a successful login.
    pub(crate) fn session(&self) -> (String, String) {
        let session = self.cookies.iter().find(|c| c.starts_with("grille_session=")).unwrap();
        let csrf = self.cookies.iter().find(|c| c.starts_with("grille_csrf=")).unwrap();
        (format!("{session}; {csrf}"), csrf.split_once('=').unwrap().1.to_owned())
    }
}

/// The password of the board account `commission` of [`app_with_board`].
pub(crate) const BOARD_PASSWORD: &str = "commission-secret-2026";

/// The demo app with a board account `commission` (the demo's own board
/// account has a one-time password).
pub(crate) fn app_with_board() -> App {
    let config = AppConfig { password_cost: PasswordCost::TESTING, ..AppConfig::default() };
    app_with(config, |state| {
        let password_hash =
            grille_server::auth::hash_password(BOARD_PASSWORD, PasswordCost::TESTING).unwrap();
        let user = grille_store::NewUser {
            username: "commission".into(),
            password_hash,
            role: grille_store::Role::Admin,
        };
        state.store().create_user(&grille_store::Actor::system(), &user).unwrap();
    })
}
