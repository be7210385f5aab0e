use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// The PostgreSQL schema of this app, dropped with it.
    _schema: Option<Arc<Schema>>,
}

/// The variable that names the PostgreSQL database of the tests
/// (`.ci/postgres start DIR` prints one).
pub(crate) const POSTGRES_VARIABLE: &str = "GRILLE_TEST_POSTGRES";

/// The variable that puts every test of this suite on PostgreSQL
/// (`GRILLE_TEST_API_BACKEND=postgres`, with [`POSTGRES_VARIABLE`] set);
/// SQLite otherwise.
pub(crate) const BACKEND_VARIABLE: &str = "GRILLE_TEST_API_BACKEND";

/// Where a test app keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A schema of its own in the PostgreSQL database of
    /// [`POSTGRES_VARIABLE`].
    Postgres,
}

impl Backend {
    /// The backend of [`spawn_app`]: PostgreSQL when [`BACKEND_VARIABLE`]
    /// asks for it.
    pub(crate) fn chosen() -> Backend {
        match std::env::var(BACKEND_VARIABLE).as_deref() {
            Ok("postgres") => {
                assert!(postgres_url().is_some(), "{BACKEND_VARIABLE}=postgres needs {POSTGRES_VARIABLE}");
                Backend::Postgres
            }
            _ => Backend::Sqlite,
        }
    }

    /// SQLite, and PostgreSQL too when the tests have a database: for the
    /// tests that run on both whatever [`BACKEND_VARIABLE`] says.
    pub(crate) fn all() -> Vec<Backend> {
        let mut all = vec![Backend::Sqlite];
        if postgres_url().is_some() {
            all.push(Backend::Postgres);
        }
        all
    }
}

/// The PostgreSQL database of the tests, if any.
pub(crate) fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_VARIABLE).ok().filter(|url| !url.is_empty())
}

/// A schema of the tests' PostgreSQL database, dropped when the last app
/// over it is dropped.
pub(crate) struct Schema {
    url: String,
    name: String,
    /// The stores to close before the schema goes.
    stores: std::sync::Mutex<Vec<Store>>,
}

impl Schema {
    /// A new, empty schema with a name no other test uses.
    pub(crate) fn fresh() -> Arc<Schema> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let url = postgres_url().expect("GRILLE_TEST_POSTGRES");
        let name = format!("grille_api_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        Store::drop_postgres_schema(&url, &name).expect("no schema left from an earlier run");
        Arc::new(Schema { url, name, stores: std::sync::Mutex::new(Vec::new()) })
    }

    /// A store over this schema (a pool of its own, as a second server
    /// process would have).
    pub(crate) fn open(&self) -> Store {
        let store = Store::open_postgres_schema(&self.url, &self.name).expect("store on PostgreSQL");
        self.stores.lock().unwrap().push(store.clone());
        store
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        for store in self.stores.lock().unwrap().drain(..) {
            let _ = store.close();
        }
        let _ = Store::drop_postgres_schema(&self.url, &self.name);
    }
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

/// A fresh database with `admin` (board) and `expert` (examiner), on the
/// backend [`Backend::chosen`].
pub(crate) fn spawn_app() -> TestApp {
    spawn_app_with(config())
}

/// Like [`spawn_app`], on the backend given.
pub(crate) fn spawn_app_on(backend: Backend) -> TestApp {
    spawn_app_on_with(backend, config())
}

/// Like [`spawn_app`], with another configuration.
pub(crate) fn spawn_app_with(config: AppConfig) -> TestApp {
    spawn_app_on_with(Backend::chosen(), config)
}

fn spawn_app_on_with(backend: Backend, config: AppConfig) -> TestApp {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut app = open_app(dir.path(), config);
            app._dir = Some(dir);
            app
        }
        Backend::Postgres => {
            let schema = Schema::fresh();
            let mut app = app_over(schema.open(), config);
            app._schema = Some(schema);
            app
        }
    }
}

/// The app over the database in `path`, created with `admin` and `expert`
/// if new, reopened otherwise (a restarted server). On PostgreSQL the
/// data is a schema named after `path`, which stays in the tests'
/// database after the test (no app knows it is the last one over it).
pub(crate) fn spawn_app_in(path: &std::path::Path) -> TestApp {
    match Backend::chosen() {
        Backend::Sqlite => open_app(path, config()),
        Backend::Postgres => {
            let url = postgres_url().expect("GRILLE_TEST_POSTGRES");
            let name = format!("grille_api_dir_{:016x}", {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                path.hash(&mut hasher);
                hasher.finish()
            });
            let store = Store::open_postgres_schema(&url, &name).expect("store on PostgreSQL");
            app_over(store, config())
        }
    }
}

fn open_app(path: &std::path::Path, config: AppConfig) -> TestApp {
    let store = Store::open(&path.join("grille.sqlite")).expect("store");
    app_over(store, config)
}

/// The app over `store`, with `admin` and `expert` created if it has no
/// user yet.
pub(crate) fn app_over(store: Store, config: AppConfig) -> TestApp {
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
    TestApp { router: app(state), store, _dir: None, _schema: None }
}

impl TestApp {
    /// A second application over the same database, with nothing cached:
    /// what a restarted server would answer.
    pub(crate) fn reopened(&self) -> TestApp {
        let state = AppState::new(self.store.clone(), config()).expect("state");
        TestApp { router: app(state), store: self.store.clone(), _dir: None, _schema: self._schema.clone() }
    }

    /// A second instance over the same database with its own connections
    /// (on PostgreSQL a pool of its own; on SQLite the same store, as one
    /// process has one): writes through one are read through the other.
    pub(crate) fn second_instance(&self) -> TestApp {
        let store = match &self._schema {
            Some(schema) => schema.open(),
            None => self.store.clone(),
        };
        let state = AppState::new(store.clone(), config()).expect("state");
        TestApp { router: app(state), store, _dir: None, _schema: self._schema.clone() }
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
