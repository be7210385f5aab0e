//! What the journeys over the real app share: the demo server
//! (`grille serve --demo` in-process on port 0, with two board accounts),
//! one browser at a time, a blocking API client for the setup and for
//! "another device", and the few page gestures every journey repeats
//! (logging in, waiting for an address, reading and setting fields).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::MutexGuard;
use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Browser;
use super::{ONE_BROWSER, click_in_view};

/// The password of the board accounts [`BOARD_MEMBERS`].
pub(super) const BOARD_PASSWORD: &str = "commission-secret-2026";

/// The board accounts of every demo server: two, since a correction that
/// changes a decision needs two board members (four-eyes).
pub(super) const BOARD_MEMBERS: [&str; 2] = ["commission", "commission-2"];

/// Whether the browser tests are skipped on this machine (said on stderr).
pub(super) fn skipped() -> bool {
    let skipped = std::env::var_os("GRILLE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1");
    if skipped {
        eprintln!("GRILLE_SKIP_BROWSER_TESTS=1: browser test skipped (CI must run it)");
    }
    skipped
}

/// The lock that lets one browser run at a time.
pub(super) fn one_browser() -> MutexGuard<'static, ()> {
    ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A headless Chromium, or a panic that says what to install.
pub(super) fn start_browser() -> Browser {
    Browser::start().unwrap_or_else(|message| panic!("{message}"))
}

/// `grille serve --demo` running in its own thread and runtime.
pub(super) struct Demo {
    /// The address the server listens on.
    pub(super) address: SocketAddr,
    /// The app's state, to change what the server holds behind a page's back.
    pub(super) state: grille_server::AppState,
    /// The data folder, removed when dropped.
    dir: tempfile::TempDir,
}

impl Demo {
    /// `http://` and the address.
    pub(super) fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A temporary folder for the files a journey uploads.
    pub(super) fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A client of the server's API.
    pub(super) fn api(&self) -> Api {
        Api(self.address)
    }
}

/// Starts `grille serve --demo` in-process on port 0, as the binary
/// composes it (API and pages over one state, the demo data in a
/// temporary folder), with the board accounts [`BOARD_MEMBERS`].
pub(super) fn serve_demo() -> Demo {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let data_dir = dir.path().join("data");
    let (sender, receiver) = std::sync::mpsc::channel();
    // The pages are built once the store is open: their builder hands the
    // state over.
    let (state_sender, state_receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        let runtime = runtime.expect("a tokio runtime");
        runtime.block_on(async move {
            let config = grille_server::ServeConfig {
                addr: "127.0.0.1:0".parse().expect("an address"),
                data_dir,
                demo: true,
                database: None,
                database_pool: grille_store::Store::DEFAULT_POOL,
                app: grille_server::AppConfig {
                    password_cost: grille_server::PasswordCost::TESTING,
                    ..grille_server::AppConfig::default()
                },
                pages: Some(grille_server::PagesBuilder::new(move |state| {
                    add_board_members(state);
                    // Only the first build is waited for.
                    let _ = state_sender.send(state.clone());
                    grille_web::router(grille_web::WebState::with_app(state.clone()))
                })),
            };
            let server = grille_server::Server::bind(config).await.expect("the server starts");
            sender.send(server.local_addr().expect("its address")).expect("the test waits");
            server.run_until(std::future::pending()).await.expect("the server runs");
        });
    });
    let address = receiver.recv_timeout(Duration::from_secs(60)).expect("the server started");
    let state = state_receiver.recv_timeout(Duration::from_secs(60)).expect("the app's state");
    Demo { address, state, dir }
}

fn add_board_members(state: &grille_server::AppState) {
    let store = state.store();
    for username in BOARD_MEMBERS {
        if store.user_by_username(username).ok().flatten().is_some() {
            continue;
        }
        let password_hash =
            grille_server::auth::hash_password(BOARD_PASSWORD, grille_server::PasswordCost::TESTING)
                .expect("a hash");
        let user = grille_store::NewUser {
            username: username.into(),
            password_hash,
            role: grille_store::Role::Admin,
        };
        store.create_user(&grille_store::Actor::system(), &user).expect("the board account");
    }
}

/// A journey: the browser lock held, the demo server, a browser.
pub(super) struct Journey {
    /// Held until the journey ends: one browser at a time.
    pub(super) lock: MutexGuard<'static, ()>,
    pub(super) demo: Demo,
    pub(super) browser: Browser,
}

/// A journey over a fresh demo server, or `None` when the browser tests
/// are skipped. Bind `lock` (as `_lock`) so that it lives to the end.
pub(super) fn journey() -> Option<Journey> {
    if skipped() {
        return None;
    }
    let lock = one_browser();
    let demo = serve_demo();
    let browser = start_browser();
    Some(Journey { lock, demo, browser })
}

/// A blocking client of the API over loopback TCP (the setup of a
/// journey, another device, the board behind the page's back).
pub(super) struct Api(SocketAddr);

impl Api {
    /// One request; its status and JSON body (`null` if none). `token`
    /// may be empty; `if_match` is the version the change is based on.
    pub(super) fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&Value>,
        if_match: Option<i64>,
    ) -> (u16, Value) {
        let server = self.0;
        let mut stream = TcpStream::connect(server).expect("the server answers");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("a timeout");
        let payload = body.map(Value::to_string).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\nAccept: application/json\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            payload.len()
        );
        if !token.is_empty() {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some(version) = if_match {
            request.push_str(&format!("If-Match: \"{version}\"\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(&payload);
        stream.write_all(request.as_bytes()).expect("the request is sent");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_owned()
        };
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    /// One request that must succeed (2xx); its JSON body.
    pub(super) fn ok(&self, method: &str, path: &str, token: &str, body: Option<&Value>) -> Value {
        let (status, value) = self.call(method, path, token, body, None);
        assert!((200..300).contains(&status), "{method} {path}: {status} {value:#}");
        value
    }

    /// A bearer token of `username`.
    pub(super) fn token(&self, username: &str, password: &str) -> String {
        let login = json!({"username": username, "password": password});
        let answer = self.ok("POST", "/api/login", "", Some(&login));
        answer["token"].as_str().expect("a token").to_owned()
    }
}

/// The body of a chunked answer.
fn dechunk(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || after.len() < size {
            break;
        }
        body.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    body
}

/// Fills the login form on the current page (where a protected page sent
/// the browser) and sends it.
pub(super) fn fill_login(browser: &Browser, username: &str, password: &str) {
    browser.send_keys(&browser.find("#username"), username);
    browser.send_keys(&browser.find("#password"), password);
    browser.click(&browser.find("#login-submit"));
}

/// Logs out whoever is logged in, logs `username` in from the login page
/// and waits for the home page the login leads to.
pub(super) fn log_in(browser: &Browser, base: &str, username: &str, password: &str) {
    browser.goto(&format!("{base}/login"));
    if !browser.find_all("#logout").is_empty() {
        click_in_view(browser, "#logout");
        browser.wait_address("the login page", |url| url.contains("logged_out=1"));
    }
    fill_login(browser, username, password);
    browser.wait_address("a home page", |url| !url.contains("/login"));
}

/// Logs out from the button every page has.
pub(super) fn log_out(browser: &Browser) {
    click_in_view(browser, "#logout");
    browser.wait_address("the login page", |url| url.contains("logged_out=1"));
}

/// Waits until the page at an address containing `part` has loaded.
pub(super) fn wait_url(browser: &Browser, part: &str) {
    browser.wait_address(&format!("an address with {part}"), |url| url.contains(part));
}

/// Waits until the page at an address ending with `suffix` has loaded.
pub(super) fn wait_url_end(browser: &Browser, suffix: &str) {
    browser.wait_address(&format!("an address ending with {suffix}"), |url| url.ends_with(suffix));
}

/// Sets a form field's value as a person would have chosen it (selects,
/// or a field retyped from scratch).
pub(super) fn set_value(browser: &Browser, css: &str, value: &str) {
    let selector = serde_json::to_string(css).unwrap();
    let value = serde_json::to_string(value).unwrap();
    browser.execute(&format!("document.querySelector({selector}).value = {value};"));
}

/// The value of the field matching `css`.
pub(super) fn value_of(browser: &Browser, css: &str) -> Value {
    browser.property(&browser.find(css), "value")
}

/// The text of the element matching `css`.
pub(super) fn text_of(browser: &Browser, css: &str) -> String {
    browser.text(&browser.find(css))
}

/// Types into a field after scrolling it into view.
pub(super) fn type_into(browser: &Browser, css: &str, text: &str) {
    let selector = serde_json::to_string(css).unwrap();
    browser.execute(&format!("document.querySelector({selector}).scrollIntoView({{ block: 'center' }});"));
    browser.send_keys(&browser.find(css), text);
}

/// The scoring form's save status, read through a script: the element may
/// be replaced while polling.
pub(super) fn save_status(browser: &Browser) -> String {
    let text =
        browser.execute("const s = document.getElementById('save-status'); return s ? s.textContent : '';");
    text.as_str().unwrap_or_default().trim().to_owned()
}

/// Whether the input `id` exists and is checked.
pub(super) fn checked(browser: &Browser, id: &str) -> bool {
    browser.execute(&format!("const e = document.getElementById('{id}'); return !!e && e.checked;"))
        == json!(true)
}

/// Chooses the level worth `points` of a criterion on the scoring form
/// (its label, as a person clicks); `prefix` names the form's copy.
pub(super) fn choose(browser: &Browser, prefix: &str, criterion: &str, points: u8) {
    click_in_view(browser, &format!("label[for='{prefix}level-{criterion}-{points}']"));
}
