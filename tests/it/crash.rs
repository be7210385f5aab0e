//! `grille serve` killed with SIGKILL while examiners save drafts, on the
//! embedded SQLite store and (when `GRILLE_TEST_POSTGRES` names one) on
//! PostgreSQL: after a restart, every save that was acknowledged with a
//! `200` is there. A save that was in flight at the kill may or may not
//! have been committed; it is never half there (its remark and its answers
//! come from one save).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::serve_cli::Server;
use crate::serve_postgres::{Schema, postgres_url};
use crate::support::temp_dir;

const ADMIN: [(&str, &str); 1] = [("GRILLE_ADMIN_PASSWORD", "mot-de-passe-du-test")];
const DEMO_PASSWORD: &str = "demo-grille-2026";
/// The demo's candidate waiting for part 1, and the examiners assigned.
const CANDIDATE: &str = "2026-006";
const EXAMINERS: [&str; 2] = ["exp-01", "exp-02"];
const POSITIONS: [&str; 2] = ["1.1", "1.2"];

/// One draft save (`PUT`, with the version last read as `If-Match`);
/// `None` when the connection fails or breaks (the
/// server was killed while it answered).
fn send(address: &str, path: &str, token: &str, version: Option<i64>, body: &str) -> Option<(u16, String)> {
    let if_match = version.map(|version| format!("If-Match: \"{version}\"\r\n")).unwrap_or_default();
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    write!(
        stream,
        "PUT {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n{if_match}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
    Some((status, body))
}

fn login(server: &Server, username: &str) -> String {
    let body = json!({"username": username, "password": DEMO_PASSWORD}).to_string();
    let (status, answer) = server.request("POST", "/api/login", Some(&body));
    assert_eq!(status, 200, "{username}: {answer}");
    let value: Value = serde_json::from_str(&answer).expect("JSON");
    value["token"].as_str().expect("a token").to_owned()
}

/// The demo session's id (ids differ between backends' sequences).
fn demo_session(server: &Server, token: &str) -> i64 {
    let (status, body) = server.request_as("GET", "/api/sessions", None, Some(token));
    assert_eq!(status, 200, "{body}");
    let sessions: Value = serde_json::from_str(&body).expect("JSON");
    sessions
        .as_array()
        .expect("a list")
        .iter()
        .find(|row| row["name"] == grille_server::DEMO_SESSION_NAME)
        .and_then(|row| row["id"].as_i64())
        .expect("the demo session")
}

/// The version a save answered with.
fn version_of(body: &str) -> i64 {
    let saved: Value = serde_json::from_str(body).expect("JSON");
    saved["version"].as_i64().expect("a version")
}

/// The draft body of save number `n`: the remark and the points both say
/// which save it is, so a half-written save would show.
fn draft(n: u64) -> String {
    let points = (n % 4).to_string();
    json!({"answers": [{"criterion": "c1", "points": points}], "remark": format!("save {n}")}).to_string()
}

/// Starts, lets the writers save for a while, kills the server with
/// SIGKILL, restarts it on the same data and checks every acknowledged
/// save.
fn acknowledged_saves_survive_a_kill(name: &str, extra: &[&str]) {
    let data = temp_dir(name);
    let mut arguments = vec!["--demo"];
    arguments.extend_from_slice(extra);
    let server = Server::start(&data, &arguments, &ADMIN);
    let admin = {
        let body = r#"{"username": "admin", "password": "mot-de-passe-du-test"}"#;
        let (status, answer) = server.request("POST", "/api/login", Some(body));
        assert_eq!(status, 200, "{answer}");
        serde_json::from_str::<Value>(&answer).expect("JSON")["token"].as_str().expect("token").to_owned()
    };
    let session = demo_session(&server, &admin);
    let writers: Vec<(String, String)> = EXAMINERS
        .iter()
        .flat_map(|examiner| {
            let token = login(&server, examiner);
            POSITIONS.iter().map(move |position| {
                let path = format!(
                    "/api/sessions/{session}/candidates/{CANDIDATE}/positions/{position}/evaluations/mine"
                );
                (token.clone(), path)
            })
        })
        .collect();
    let mut versions = Vec::new();
    for (token, path) in &writers {
        let answer = send(server.address(), path, token, None, &draft(0));
        let Some((200, body)) = answer else { panic!("the first save of {path} works: {answer:?}") };
        versions.push(version_of(&body));
    }

    let killed = AtomicBool::new(false);
    let address = server.address().to_owned();
    let acknowledged: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = writers
            .iter()
            .zip(&versions)
            .map(|((token, path), &version)| {
                let (address, killed) = (&address, &killed);
                scope.spawn(move || {
                    let (mut last, mut version) = (0, version);
                    for n in 1.. {
                        match send(address, path, token, Some(version), &draft(n)) {
                            Some((200, body)) => (last, version) = (n, version_of(&body)),
                            Some((status, body)) if !killed.load(Ordering::SeqCst) => {
                                panic!("save {n} of {path} refused before the kill: {status} {body}")
                            }
                            _ => break,
                        }
                    }
                    last
                })
            })
            .collect();
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(1500) {
            std::thread::sleep(Duration::from_millis(50));
        }
        killed.store(true, Ordering::SeqCst);
        server.kill_hard();
        handles.into_iter().map(|handle| handle.join().expect("a writer")).collect()
    });
    assert!(
        acknowledged.iter().all(|&last| last > 0),
        "every writer saved before the kill: {acknowledged:?}"
    );
    eprintln!("{name}: saves acknowledged before the kill, per writer: {acknowledged:?}");

    let server = Server::start(&data, extra, &[]);
    for ((examiner, position), ((_, path), last)) in EXAMINERS
        .iter()
        .flat_map(|examiner| POSITIONS.iter().map(move |position| (examiner, position)))
        .zip(writers.iter().zip(&acknowledged))
    {
        let token = login(&server, examiner);
        let (status, body) = server.request_as("GET", path, None, Some(&token));
        assert_eq!(status, 200, "{examiner} {position}: {body}");
        let saved: Value = serde_json::from_str(&body).expect("JSON");
        let remark = saved["remark"].as_str().expect("a remark");
        let n: u64 = remark.strip_prefix("save ").and_then(|n| n.parse().ok()).expect("save N");
        assert!(
            n == *last || n == last + 1,
            "{examiner} {position}: save {last} was acknowledged, the store has {remark:?} (only the one in flight may be there too)"
        );
        assert_eq!(
            saved["answers"][0]["points"].as_str(),
            Some((n % 4).to_string().as_str()),
            "{examiner} {position}: the answers and the remark come from the same save: {body}"
        );
    }
    let (code, log) = server.terminate();
    assert_eq!(code, 0, "{log}");
}

#[test]
fn acknowledged_saves_survive_sigkill_on_sqlite() {
    acknowledged_saves_survive_a_kill("crash-sqlite", &[]);
}

#[test]
fn acknowledged_saves_survive_sigkill_on_postgres() {
    let Some(base) = postgres_url() else { return };
    let schema = Schema::new(&base, "grille_it_crash");
    acknowledged_saves_survive_a_kill("crash-postgres", &["--database", schema.url.as_str()]);
}
