//! The examiner never loses a mark: the scoring form in a real browser
//! while the connection to the server is cut (a proxy between them drops
//! every connection), across a reload without a connection (the service
//! worker's copy of the page), through an expired login (the password asked
//! in place) and against a second device that saved meanwhile (both
//! versions shown, the examiner chooses). Each time the server is asked
//! afterwards what it holds.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Browser;
use super::{ONE_BROWSER, click_in_view, screenshot_path};

const BOARD_PASSWORD: &str = "commission-outage-2026";

/// `grille serve --demo` in-process on port 0, with a board account.
fn start_server() -> (SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let data_dir = dir.path().join("data");
    let (sender, receiver) = std::sync::mpsc::channel();
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
                pages: Some(grille_server::PagesBuilder::new(|state| {
                    let store = state.store();
                    if store.user_by_username("commission").ok().flatten().is_none() {
                        let password_hash = grille_server::auth::hash_password(
                            BOARD_PASSWORD,
                            grille_server::PasswordCost::TESTING,
                        )
                        .expect("a hash");
                        let user = grille_store::NewUser {
                            username: "commission".into(),
                            password_hash,
                            role: grille_store::Role::Admin,
                        };
                        store.create_user(&grille_store::Actor::system(), &user).expect("the board account");
                    }
                    grille_web::router(grille_web::WebState::with_app(state.clone()))
                })),
            };
            let server = grille_server::Server::bind(config).await.expect("the server starts");
            sender.send(server.local_addr().expect("its address")).expect("the test waits");
            server.run_until(std::future::pending()).await.expect("the server runs");
        });
    });
    let address = receiver.recv_timeout(Duration::from_secs(60)).expect("the server started");
    (address, dir)
}

/// A TCP relay between the browser and the server that can be cut: while
/// down it closes every open connection and every new one at once, as a
/// lost network does to the browser.
struct Relay {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a relay port");
        let address = listener.local_addr().expect("its address");
        let up = Arc::new(AtomicBool::new(true));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::new(Mutex::new(Vec::new()));
        let (accept_up, accept_open) = (up.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !accept_up.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target) else { continue };
                for stream in [&client, &server] {
                    if let Ok(copy) = stream.try_clone() {
                        accept_open.lock().expect("the list").push(copy);
                    }
                }
                for (mut from, mut to) in [
                    (client.try_clone().expect("a clone"), server.try_clone().expect("a clone")),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let mut buffer = [0u8; 16 * 1024];
                        while let Ok(read) = from.read(&mut buffer) {
                            if read == 0 || to.write_all(&buffer[..read]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                        let _ = from.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Relay { address, up, open }
    }

    fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.open.lock().expect("the list").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// One API request straight to the server (a second device, the board):
/// status and JSON body.
fn api(
    server: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
    if_match: Option<&str>,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(server).expect("the server answers");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("a timeout");
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

fn bearer(server: SocketAddr, username: &str, password: &str) -> String {
    let (status, body) = api(
        server,
        "POST",
        "/api/login",
        "",
        Some(&json!({"username": username, "password": password})),
        None,
    );
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().expect("a token").to_owned()
}

fn status(browser: &Browser) -> String {
    let text =
        browser.execute("const s = document.getElementById('save-status'); return s ? s.textContent : '';");
    text.as_str().unwrap_or_default().trim().to_owned()
}

fn checked(browser: &Browser, id: &str) -> bool {
    browser.execute(&format!("const e = document.getElementById('{id}'); return !!e && e.checked;"))
        == json!(true)
}

fn choose(browser: &Browser, criterion: &str, points: u8) {
    click_in_view(browser, &format!("label[for='level-{criterion}-{points}']"));
}

/// The answer the server holds for `criterion` of exp-01's evaluation.
fn on_server(evaluation: &Value, criterion: &str) -> Value {
    evaluation["answers"]
        .as_array()
        .and_then(|answers| answers.iter().find(|answer| answer["criterion"] == criterion))
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn an_examiner_loses_no_mark_offline_after_a_reload_an_expired_login_or_a_second_device() {
    if std::env::var_os("GRILLE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("GRILLE_SKIP_BROWSER_TESTS=1: browser test skipped (CI must run it)");
        return;
    }
    let _guard = ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (server, _data) = start_server();
    let relay = Relay::start(server);
    let base = relay.base();
    let browser = Browser::start().unwrap_or_else(|message| panic!("{message}"));
    let evaluation = "/api/sessions/1/candidates/2026-006/positions/1.1/evaluations/mine";
    let second_device = bearer(server, "exp-01", grille_server::DEMO_PASSWORD);

    browser.goto(&format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.1"));
    browser.send_keys(&browser.find("#username"), "exp-01");
    browser.send_keys(&browser.find("#password"), grille_server::DEMO_PASSWORD);
    browser.click(&browser.find("#login-submit"));
    browser.wait_address("the scoring form", |url| url.ends_with("/positions/1.1"));
    // The service worker takes the page over; read once more so that its
    // copy of the page exists.
    browser.wait_for("the service worker", || {
        browser.execute("return !!navigator.serviceWorker && !!navigator.serviceWorker.controller;")
            == json!(true)
    });
    browser.refresh();
    browser.wait_element("#scoring-form");
    choose(&browser, "c1", 3);
    browser.wait_for("the first save", || status(&browser).starts_with("Brouillon enregistré"));

    // The connection is lost: every change stays, the buttons do not leave
    // the page, and a reload without a connection shows the page and the
    // input again.
    relay.cut();
    choose(&browser, "c2", 2);
    let remark = "Reformule les objectifs avec la personne, vérifie sa compréhension.";
    browser.send_keys(&browser.find("#remark-c2"), remark);
    browser.wait_for("the offline message", || status(&browser).starts_with("Connexion perdue"));
    click_in_view(&browser, "#save-button");
    assert!(browser.url().ends_with("/positions/1.1"), "still on the form: {}", browser.url());
    browser.screenshot(&screenshot_path("examiner-offline"), 1280, 900);
    browser.refresh();
    browser.wait_element("#scoring-form");
    assert!(checked(&browser, "level-c2-2"), "restored without a connection");
    assert_eq!(browser.property(&browser.find("#remark-c2"), "value"), json!(remark));
    browser.screenshot(&screenshot_path("examiner-offline-reload"), 1280, 900);

    // The connection returns: what waited reaches the server by itself.
    relay.restore();
    browser.wait_for("the restored input to be saved", || status(&browser).contains("Brouillon enregistré"));
    let (code, held) = api(server, "GET", evaluation, &second_device, None, None);
    assert_eq!(code, 200, "{held}");
    assert_eq!(on_server(&held, "c2")["remark"], json!(remark), "{held}");
    assert_eq!(on_server(&held, "c1")["points"], json!("3"), "{held}");

    // The login expires (the board ends exp-01's sessions): the password is
    // asked in place and the change waiting is sent after it.
    let board = bearer(server, "commission", BOARD_PASSWORD);
    let (code, ended) = api(server, "DELETE", "/api/users/exp-01/sessions", &board, None, None);
    assert_eq!(code, 200, "{ended}");
    choose(&browser, "c3", 1);
    browser.wait_for("the login dialog", || {
        browser.execute("return document.getElementById('login-dialog').open;") == json!(true)
    });
    assert!(status(&browser).starts_with("Votre session a expiré"));
    browser.screenshot(&screenshot_path("examiner-login-dialog"), 1280, 900);
    browser.send_keys(&browser.find("#login-dialog-password"), grille_server::DEMO_PASSWORD);
    browser.click(&browser.find("#login-dialog-submit"));
    browser
        .wait_for("the change sent after the login", || status(&browser).starts_with("Brouillon enregistré"));
    let second_device = bearer(server, "exp-01", grille_server::DEMO_PASSWORD);
    let (_, held) = api(server, "GET", evaluation, &second_device, None, None);
    assert_eq!(on_server(&held, "c3")["points"], json!("1"), "{held}");

    // A second device saves meanwhile: the next save shows both versions;
    // the examiner keeps theirs, and it is what the server holds.
    let version = held["version"].to_string();
    let mut theirs = held.clone();
    theirs["answers"] = json!([{"criterion": "c1", "points": "1"}]);
    let body = json!({"answers": theirs["answers"], "remark": "depuis la tablette"});
    let (code, _) = api(server, "PUT", evaluation, &second_device, Some(&body), Some(&version));
    assert_eq!(code, 200);
    choose(&browser, "c4", 2);
    browser.wait_for("both versions", || {
        browser.execute("return !document.getElementById('conflict-panel').hidden;") == json!(true)
    });
    let differing: Vec<String> =
        browser.find_all("#conflict-rows tr.differs").iter().map(|row| browser.text(row)).collect();
    assert!(differing.iter().any(|row| row.starts_with("c1")), "{differing:?}");
    assert!(differing.iter().any(|row| row.contains("depuis la tablette")), "{differing:?}");
    browser.screenshot(&screenshot_path("examiner-two-devices"), 1280, 1400);
    click_in_view(&browser, "#conflict-keep-mine");
    browser.wait_for("mine saved over theirs", || status(&browser).starts_with("Brouillon enregistré"));
    let (_, held) = api(server, "GET", evaluation, &second_device, None, None);
    assert_eq!(on_server(&held, "c1")["points"], json!("3"), "{held}");
    assert_eq!(on_server(&held, "c4")["points"], json!("2"), "{held}");
    assert_eq!(on_server(&held, "c2")["remark"], json!(remark), "{held}");
    browser.assert_no_csp_violations();
}
