//! The examiner never loses a mark: the scoring form in a real browser
//! while the connection to the server is cut (a proxy between them drops
//! every connection), across a reload without a connection (the service
//! worker's copy of the page), through an expired login (the password asked
//! in place) and against a second device that saved meanwhile (both
//! versions shown, the examiner chooses). Each time the server is asked
//! afterwards what it holds.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::support::{BOARD_PASSWORD, Journey, checked, choose, fill_login, journey, save_status};
use super::{click_in_view, screenshot_path};

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
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let api = demo.api();
    let relay = Relay::start(demo.address);
    let base = relay.base();
    let evaluation = "/api/sessions/1/candidates/2026-006/positions/1.1/evaluations/mine";
    let second_device = api.token("exp-01", grille_server::DEMO_PASSWORD);

    browser.goto(&format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.1"));
    fill_login(&browser, "exp-01", grille_server::DEMO_PASSWORD);
    browser.wait_address("the scoring form", |url| url.ends_with("/positions/1.1"));
    // The service worker takes the page over; read once more so that its
    // copy of the page exists.
    browser.wait_for("the service worker", || {
        browser.execute("return !!navigator.serviceWorker && !!navigator.serviceWorker.controller;")
            == json!(true)
    });
    browser.refresh();
    browser.wait_element("#scoring-form");
    choose(&browser, "", "c1", 3);
    browser.wait_for("the first save", || save_status(&browser).starts_with("Brouillon enregistré"));

    // The connection is lost: every change stays, the buttons do not leave
    // the page, and a reload without a connection shows the page and the
    // input again.
    relay.cut();
    choose(&browser, "", "c2", 2);
    let remark = "Reformule les objectifs avec la personne, vérifie sa compréhension.";
    browser.send_keys(&browser.find("#remark-c2"), remark);
    browser.wait_for("the offline message", || save_status(&browser).starts_with("Connexion perdue"));
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
    browser.wait_for("the restored input to be saved", || {
        save_status(&browser).contains("Brouillon enregistré")
    });
    let (code, held) = api.call("GET", evaluation, &second_device, None, None);
    assert_eq!(code, 200, "{held}");
    assert_eq!(on_server(&held, "c2")["remark"], json!(remark), "{held}");
    assert_eq!(on_server(&held, "c1")["points"], json!("3"), "{held}");

    // The login expires (the board ends exp-01's sessions): the password is
    // asked in place and the change waiting is sent after it.
    let board = api.token("commission", BOARD_PASSWORD);
    let (code, ended) = api.call("DELETE", "/api/users/exp-01/sessions", &board, None, None);
    assert_eq!(code, 200, "{ended}");
    choose(&browser, "", "c3", 1);
    browser.wait_for("the login dialog", || {
        browser.execute("return document.getElementById('login-dialog').open;") == json!(true)
    });
    assert!(save_status(&browser).starts_with("Votre session a expiré"));
    browser.screenshot(&screenshot_path("examiner-login-dialog"), 1280, 900);
    browser.send_keys(&browser.find("#login-dialog-password"), grille_server::DEMO_PASSWORD);
    browser.click(&browser.find("#login-dialog-submit"));
    browser.wait_for("the change sent after the login", || {
        save_status(&browser).starts_with("Brouillon enregistré")
    });
    let second_device = api.token("exp-01", grille_server::DEMO_PASSWORD);
    let (_, held) = api.call("GET", evaluation, &second_device, None, None);
    assert_eq!(on_server(&held, "c3")["points"], json!("1"), "{held}");

    // A second device saves meanwhile: the next save shows both versions;
    // the examiner keeps theirs, and it is what the server holds.
    let version = held["version"].as_i64();
    let mut theirs = held.clone();
    theirs["answers"] = json!([{"criterion": "c1", "points": "1"}]);
    let body = json!({"answers": theirs["answers"], "remark": "depuis la tablette"});
    let (code, _) = api.call("PUT", evaluation, &second_device, Some(&body), version);
    assert_eq!(code, 200);
    choose(&browser, "", "c4", 2);
    browser.wait_for("both versions", || {
        browser.execute("return !document.getElementById('conflict-panel').hidden;") == json!(true)
    });
    let differing: Vec<String> =
        browser.find_all("#conflict-rows tr.differs").iter().map(|row| browser.text(row)).collect();
    assert!(differing.iter().any(|row| row.starts_with("c1")), "{differing:?}");
    assert!(differing.iter().any(|row| row.contains("depuis la tablette")), "{differing:?}");
    browser.screenshot(&screenshot_path("examiner-two-devices"), 1280, 1400);
    click_in_view(&browser, "#conflict-keep-mine");
    browser.wait_for("mine saved over theirs", || save_status(&browser).starts_with("Brouillon enregistré"));
    let (_, held) = api.call("GET", evaluation, &second_device, None, None);
    assert_eq!(on_server(&held, "c1")["points"], json!("3"), "{held}");
    assert_eq!(on_server(&held, "c4")["points"], json!("2"), "{held}");
    assert_eq!(on_server(&held, "c2")["remark"], json!(remark), "{held}");
    browser.assert_no_csp_violations();
}
