//! How fast the program starts: `grille catalogue list` as a process, and
//! `grille serve` restarted on an existing data folder until its first
//! `200` on `/health`.
//!
//! Run with `cargo build --release -p grille && cargo bench -p grille
//! --bench startup` (`-- --runs N --grille PATH`). Medians of `--runs`
//! runs (default 20), with the minimum and maximum.

#![allow(missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn argument(name: &str) -> Option<String> {
    let arguments: Vec<String> = std::env::args().collect();
    arguments.iter().position(|argument| argument == name).and_then(|at| arguments.get(at + 1)).cloned()
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |duration: Duration| format!("{:.1}", duration.as_secs_f64() * 1000.0);
    format!(
        "median {} ms (min {}, max {}, {} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

/// `GET /health` answered `200`.
fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let request = "GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_or(18080, |a| a.port())
}

fn main() {
    let runs: usize = argument("--runs").and_then(|text| text.parse().ok()).unwrap_or(20).max(1);
    let grille = argument("--grille")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/grille"));
    assert!(grille.exists(), "{} is missing: run `cargo build --release -p grille` first", grille.display());

    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(&grille)
            .args(["catalogue", "list"])
            .stdout(Stdio::null())
            .status()
            .expect("grille catalogue list");
        times.push(start.elapsed());
        assert!(status.success());
    }
    println!("grille catalogue list: {}", summary(times));

    let data = tempfile::tempdir().expect("a data folder");
    let mut times = Vec::new();
    // The first start creates the database and the first administrator; the
    // runs after it are restarts on existing data, as after an update.
    for run in 0..=runs {
        let port = free_port();
        let start = Instant::now();
        let mut child = Command::new(&grille)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
            .arg(data.path())
            .env("GRILLE_ADMIN_PASSWORD", "bench-admin-password-2026")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("grille serve");
        let deadline = start + Duration::from_secs(20);
        while !healthy(port) {
            assert!(Instant::now() < deadline, "grille serve did not answer within 20 s");
            std::thread::sleep(Duration::from_micros(200));
        }
        let elapsed = start.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        if run > 0 {
            times.push(elapsed);
        }
    }
    println!("grille serve restart to the first 200 on /health: {}", summary(times));
}
