use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use grille_server::auth::hash_password;
use grille_server::{AppConfig, AppState, PasswordCost, ThrottleConfig, app};
use grille_store::{Actor, NewUser, Role, Store};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

pub(crate) const ADMIN_PASSWORD: &str = "admin-password-123";
pub(crate) const EXPERT_PASSWORD: &str = "expert-password-123";

pub(crate) struct TestApp {
    pub(crate) router: Router,
    pub(crate) store: Store,
    _dir: Option<tempfile::TempDir>,
}

pub(crate) fn config() -> AppConfig {
    AppConfig {
        password_cost: PasswordCost::TESTING,
        throttle: ThrottleConfig {
            free_attempts: 2,
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(300),
            forget_after: Duration::from_secs(3600),
            capacity: 100,
            account_free_attempts: 20,
        },
        ..AppConfig::default()
    }
}

/// A fresh database with `admin` (board) and `expert` (examiner).
pub(crate) fn spawn_app() -> TestApp {
    spawn_app_with(config())
}

/// Like [`spawn_app`], with another configuration.
pub(crate) fn spawn_app_with(config: AppConfig) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_app(dir.path(), config);
    app._dir = Some(dir);
    app
}

/// The app over the database in `path`, created with `admin` and `expert`
/// if new, reopened otherwise (a restarted server).
pub(crate) fn spawn_app_in(path: &std::path::Path) -> TestApp {
    open_app(path, config())
}

fn open_app(path: &std::path::Path, config: AppConfig) -> TestApp {
    let store = Store::open(&path.join("grille.sqlite")).expect("store");
    let users = if store.user_count().expect("count") == 0 {
        vec![("admin", ADMIN_PASSWORD, Role::Admin), ("expert", EXPERT_PASSWORD, Role::Examiner)]
    } else {
        Vec::new()
    };
    for (username, password, role) in users {
        let password_hash = hash_password(password, PasswordCost::TESTING).expect("hash");
        store
            .create_user(&Actor::system(), &NewUser { username: username.into(), password_hash, role })
            .expect("user");
    }
    let state = AppState::new(store.clone(), config).expect("state");
    TestApp { router: app(state), store, _dir: None }
}

impl TestApp {
    /// A second application over the same database, with nothing cached:
    /// what a restarted server would answer.
    pub(crate) fn reopened(&self) -> TestApp {
        let state = AppState::new(self.store.clone(), config()).expect("state");
        TestApp { router: app(state), store: self.store.clone(), _dir: None }
    }
}

/// An answer: status, headers, body as JSON (or `Value::String` of the text).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
}

impl Answer {
    pub(crate) fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts the problem shape and returns it.
    pub(crate) fn problem(&self, status: u16, context: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{context}: {:#}", self.body);
        assert_eq!(self.content_type(), "application/problem+json", "{context}");
        for field in ["type", "title", "status"] {
            assert!(self.body.get(field).is_some(), "{context}: no {field} in {:#}", self.body);
        }
        assert_eq!(self.body["status"], status, "{context}");
        &self.body
    }
}

/// How a request authenticates.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    None,
    Bearer(String),
    /// Session cookie, with the CSRF header if `Some`.
    Cookie {
        token: String,
        csrf: Option<String>,
    },
}

pub(crate) struct Login {
    pub(crate) token: String,
    pub(crate) csrf: String,
}

impl Login {
    pub(crate) fn bearer(&self) -> Auth {
        Auth::Bearer(self.token.clone())
    }
    pub(crate) fn cookie(&self) -> Auth {
        Auth::Cookie { token: self.token.clone(), csrf: Some(self.csrf.clone()) }
    }
    pub(crate) fn cookie_without_csrf(&self) -> Auth {
        Auth::Cookie { token: self.token.clone(), csrf: None }
    }
}

impl TestApp {
    pub(crate) async fn send(
        &self,
        method: Method,
        uri: &str,
        auth: &Auth,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        self.send_with(method, uri, auth, content_type, body, None).await
    }

    /// Like [`TestApp::send`], with an `If-Match` version.
    pub(crate) async fn send_with(
        &self,
        method: Method,
        uri: &str,
        auth: &Auth,
        content_type: Option<&str>,
        body: Vec<u8>,
        if_match: Option<i64>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(version) = if_match {
            request = request.header(header::IF_MATCH, format!("\"{version}\""));
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => request = request.header(header::AUTHORIZATION, format!("Bearer {token}")),
            Auth::Cookie { token, csrf } => {
                request = request.header(header::COOKIE, format!("other=1; grille_session={token}"));
                if let Some(csrf) = csrf {
                    request = request.header("x-csrf-token", csrf);
                }
            }
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Answer { status, headers, body }
    }

    pub(crate) async fn get(&self, uri: &str, auth: &Auth) -> Answer {
        self.send(Method::GET, uri, auth, None, Vec::new()).await
    }

    pub(crate) async fn post_json(&self, uri: &str, auth: &Auth, body: &Value) -> Answer {
        self.send(Method::POST, uri, auth, Some("application/json"), body.to_string().into_bytes()).await
    }

    pub(crate) async fn post_raw(&self, uri: &str, auth: &Auth, content_type: &str, body: &str) -> Answer {
        self.send(Method::POST, uri, auth, Some(content_type), body.as_bytes().to_vec()).await
    }

    pub(crate) async fn login(&self, username: &str, password: &str) -> Login {
        let answer = self
            .post_json(
                "/api/login",
                &Auth::None,
                &serde_json::json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "login {username}: {:#}", answer.body);
        Login {
            token: answer.body["token"].as_str().unwrap().to_owned(),
            csrf: answer.body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    pub(crate) async fn admin(&self) -> Login {
        self.login("admin", ADMIN_PASSWORD).await
    }

    pub(crate) async fn expert(&self) -> Login {
        self.login("expert", EXPERT_PASSWORD).await
    }

    /// Creates a session and returns its id.
    pub(crate) async fn session(&self, admin: &Login) -> i64 {
        let answer = self
            .post_json("/api/sessions", &admin.bearer(), &serde_json::json!({"name": "Printemps 2027"}))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
        answer.body["id"].as_i64().unwrap()
    }
}
