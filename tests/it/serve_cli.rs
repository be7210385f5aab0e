//! `grille serve` as a real process: it starts on its embedded defaults,
//! serves the API and the pages, takes the first administrator's password
//! from the environment, seeds the demo, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::temp_dir;

pub(crate) struct Server {
    child: Child,
    addr: String,
    stderr: BufReader<std::process::ChildStderr>,
    /// What it wrote on stderr up to the line that says where it listens.
    started: String,
}

impl Server {
    pub(crate) fn start(data: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_grille"));
        // French whatever the machine's locale, unless `env` says otherwise.
        for name in crate::support::LANGUAGE_VARIABLES {
            command.env_remove(name);
        }
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--data", data.to_str().unwrap()])
            .args(extra)
            .env_remove("GRILLE_ADMIN_PASSWORD")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("grille serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        let addr = loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("grille serve stopped before listening:\n{seen}");
            }
            seen.push_str(&line);
            // "grille : à l'écoute sur http://…", "grille: bereit auf http://…", ...
            let line = line.trim();
            if let Some((_, rest)) = line.split_once(" http://").filter(|_| line.starts_with("grille")) {
                break rest.to_owned();
            }
        };
        Server { child, addr, stderr, started: seen }
    }

    /// Sends a request and returns (status, body).
    pub(crate) fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        self.request_as(method, path, body, None)
    }

    /// Like [`Server::request`], with a bearer token if given.
    pub(crate) fn request_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let body = body.unwrap_or("");
        let authorization =
            token.map(|token| format!("Authorization: Bearer {token}\r\n")).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{authorization}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read answer");
        let status = answer.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
        (status, body)
    }

    /// What it wrote on stderr before listening (the first administrator,
    /// the demo data, the address).
    pub(crate) fn started(&self) -> &str {
        &self.started
    }

    /// The address it listens on (`127.0.0.1:PORT`).
    pub(crate) fn address(&self) -> &str {
        &self.addr
    }

    /// SIGKILL: the process ends at once, as in a crash or power cut
    /// (nothing is flushed or closed by grille).
    pub(crate) fn kill_hard(mut self) {
        self.child.kill().expect("SIGKILL sent");
        self.child.wait().expect("the process ended");
    }

    /// SIGTERM, then the exit status and the rest of stderr.
    pub(crate) fn terminate(mut self) -> (i32, String) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        let mut rest = String::new();
        self.stderr.read_to_string(&mut rest).ok();
        let status = self.child.wait().expect("exit status");
        (status.code().unwrap_or(-1), rest)
    }
}

#[test]
fn serve_runs_on_embedded_defaults_and_stops_cleanly() {
    let data = temp_dir("serve").join("data");
    let server = Server::start(&data, &["--demo"], &[("GRILLE_ADMIN_PASSWORD", "mot-de-passe-du-test")]);

    let (status, body) = server.request("GET", "/health", None);
    assert_eq!(status, 200, "{body}");
    let (status, body) = server.request("GET", "/", None);
    assert_eq!(status, 200);
    assert!(body.contains("<html"), "the home page is HTML");
    let (status, body) = server.request("GET", "/api/catalogue/competences/A7", None);
    assert_eq!(status, 200);
    assert!(body.contains("Aider le client/la cliente sur le lieu de travail"), "{body}");
    let (status, body) = server.request("GET", "/api/nope", None);
    assert_eq!(status, 404);
    assert!(body.contains("\"status\":404"), "{body}");

    // The administrator's password came from the environment.
    let login = r#"{"username": "admin", "password": "mot-de-passe-du-test"}"#;
    let (status, body) = server.request("POST", "/api/login", Some(login));
    assert_eq!(status, 200, "{body}");
    // The demo examiners exist with the documented demo password.
    let login = format!(r#"{{"username": "exp-01", "password": "{}"}}"#, grille_server::DEMO_PASSWORD);
    let (status, body) = server.request("POST", "/api/login", Some(&login));
    assert_eq!(status, 200, "{body}");

    let (code, log) = server.terminate();
    assert_eq!(code, 0, "graceful exit; stderr:\n{log}");
    assert!(log.contains("arrêt demandé"), "{log}");
    assert!(data.join("grille.sqlite").exists());

    // A restart on the same data keeps everything and does not seed twice.
    let server = Server::start(&data, &["--demo"], &[]);
    let login = r#"{"username": "admin", "password": "mot-de-passe-du-test"}"#;
    let (status, _) = server.request("POST", "/api/login", Some(login));
    assert_eq!(status, 200, "the administrator survived the restart");
    let (code, _) = server.terminate();
    assert_eq!(code, 0);
}

#[test]
fn an_address_in_use_is_a_clear_error() {
    let data = temp_dir("serve-busy").join("data");
    let server = Server::start(&data, &[], &[]);
    let output = Command::new(env!("CARGO_BIN_EXE_grille"))
        .args(["serve", "--addr", &server.addr, "--data", data.to_str().unwrap()])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("second grille serve runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("impossible d'écouter sur"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    server.terminate();
}

#[test]
fn a_public_address_that_is_not_http_or_https_is_refused_before_starting() {
    let dir = crate::support::temp_dir("serve-public-url");
    for url in ["examens.exemple.ch", "ftp://examens.exemple.ch", "https://"] {
        let run = crate::support::grille(&["serve", "--public-url", url, "--data", dir.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{url}: {}", run.stdout);
        assert!(run.stderr.contains("écrivez-la avec http:// ou https://"), "{url}: {}", run.stderr);
    }
    assert!(!dir.join("grille.sqlite").exists(), "nothing was created");
}

#[test]
fn a_sigterm_sent_as_soon_as_the_server_listens_stops_it_cleanly() {
    // A supervisor that stops the server right after its "listening" line,
    // without a request in between: the signal is already caught then.
    for round in 0..5 {
        let data = temp_dir(&format!("serve-early-stop-{round}")).join("data");
        let server = Server::start(&data, &[], &[]);
        let (code, log) = server.terminate();
        assert_eq!(code, 0, "round {round}: graceful exit; stderr:\n{log}");
        assert!(log.contains("arrêt demandé"), "round {round}: {log}");
    }
}
