//! The server under load, against this machine's own limits measured in
//! the same run.
//!
//! Starts the whole application as `grille serve --demo` does (API and
//! pages over a fresh SQLite file with the demonstration data), adds a
//! session of `--candidates` candidates scored by the API (the size of a
//! large board's year) and a session where 64 examiners each save their
//! own evaluation, and serves it on a loopback socket. A small HTTP/1.1
//! keep-alive client then sends requests from `--connections` connections
//! for `--seconds` per target and reports requests per second, median and
//! 99th percentile latency. Each read target is compared with a bare axum
//! route that serves the very same bytes (the fastest this machine answers
//! that response), and the draft saves with bare SQLite commits of the same
//! size (WAL, `synchronous = FULL`, one row per transaction).
//!
//! With `--database postgres://…` the store is on PostgreSQL instead (in a
//! schema of its own, created for the run and dropped after it), and the
//! saves are compared with bare PostgreSQL commits of the same size (one
//! connection, `synchronous_commit = on`, one row per transaction);
//! `--instances 2` serves two application states on that database, each
//! with its own `Store::open_postgres` pool and its own socket, the
//! connections of every target split between them (set-up and logins go
//! through the first).
//!
//! Run with `cargo bench -p grille-web --bench server_load`
//! (`-- --seconds 5 --connections 64 --candidates 500 --only TEXT
//! --database URL --instances 2`). The client runs in
//! the same process on the same two cores as the server, for grille and
//! for the baselines alike, so the ratios are the meaningful figures.

#![allow(missing_docs)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tower::ServiceExt as _;

const BOARD: (&str, &str) = ("bench-board", "bench-board-password");
const EXAMINER_PASSWORD: &str = "bench-examiner-password";
const DEMO_PASSWORD: &str = "demo-grille-2026";

struct Options {
    /// Only the targets whose name contains this text.
    only: Option<String>,
    seconds: f64,
    connections: usize,
    candidates: usize,
    /// A PostgreSQL URL; the embedded SQLite file when `None`.
    database: Option<String>,
    /// Application states serving the same database (PostgreSQL only).
    instances: usize,
}

fn options() -> Options {
    let mut options =
        Options { only: None, seconds: 4.0, connections: 64, candidates: 500, database: None, instances: 1 };
    let arguments: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        arguments.iter().position(|argument| argument == name).and_then(|at| arguments.get(at + 1)).cloned()
    };
    if let Some(seconds) = value("--seconds").and_then(|text| text.parse().ok()) {
        options.seconds = seconds;
    }
    if let Some(connections) = value("--connections").and_then(|text| text.parse().ok()) {
        options.connections = connections;
    }
    options.only = value("--only");
    options.database = value("--database");
    if let Some(instances) = value("--instances").and_then(|text| text.parse().ok()) {
        options.instances = instances;
    }
    assert!(
        options.instances >= 1 && (options.instances == 1 || options.database.is_some()),
        "--instances above 1 needs --database postgres://…"
    );
    if let Some(candidates) = value("--candidates").and_then(|text| text.parse().ok()) {
        options.candidates = candidates;
    }
    options
}

// ------------------------------------------------------------ set-up

/// An in-process client of the router, for the set-up.
struct Setup {
    router: Router,
}

impl Setup {
    async fn call(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> (u16, Value, Option<i64>) {
        let mut request = Request::builder().method(method).uri(uri);
        if !token.is_empty() {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(version) = if_match {
            request = request.header(header::IF_MATCH, format!("\"{version}\""));
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        let response =
            self.router.clone().oneshot(request.body(body).expect("a request")).await.expect("an answer");
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get(header::ETAG)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim_matches('"').parse().ok());
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), etag)
    }

    async fn ok(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> (Value, Option<i64>) {
        let (status, body, etag) = self.call(method, uri, token, body, if_match).await;
        assert!((200..300).contains(&status), "{method} {uri}: {status} {body:#}");
        (body, etag)
    }

    async fn login(&self, username: &str, password: &str) -> (String, String) {
        let request = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"username": username, "password": password}).to_string()))
            .expect("a request");
        let response = self.router.clone().oneshot(request).await.expect("an answer");
        assert!(response.status().is_success(), "login {username}: {}", response.status());
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|cookie| cookie.split(';').next())
            .collect::<Vec<_>>()
            .join("; ");
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        let body: Value = serde_json::from_slice(&bytes).expect("json");
        (body["token"].as_str().expect("a token").to_owned(), cookie)
    }
}

/// One position of a candidate: its id and each examiner's evaluation body.
type PositionAnswers = (String, Vec<(String, Value)>);

/// A read target: path, the request's authentication header line, and the
/// same as headers for the in-process fetch of its bytes.
type ReadTarget<'a> = (String, String, Vec<(&'a str, String)>);

/// Every position's example answers, by candidate of the worked example.
/// The benchmark's sessions pin no case study, so only the candidates whose
/// answers cover every criterion of the plain rubrics are kept (a case may
/// leave criteria out by design, and its answers would then be refused).
fn example_answers() -> Vec<Vec<PositionAnswers>> {
    let example = grille_scoring::embedded::example_session().expect("the example");
    let criteria_of = |scoring: &grille_scoring::PositionScoring| -> std::collections::BTreeSet<String> {
        scoring
            .evaluations
            .iter()
            .flat_map(|evaluation| evaluation.answers.iter().map(|answer| answer.criterion.clone()))
            .collect()
    };
    let mut full: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for scoring in example.candidates.iter().flat_map(|candidate| candidate.positions.iter()) {
        full.entry(scoring.position.clone()).or_default().extend(criteria_of(scoring));
    }
    example
        .candidates
        .iter()
        .filter(|candidate| !candidate.positions.is_empty())
        .filter(|candidate| {
            candidate
                .positions
                .iter()
                .all(|scoring| Some(&criteria_of(scoring)) == full.get(&scoring.position))
        })
        .map(|candidate| {
            candidate
                .positions
                .iter()
                .map(|scoring| {
                    let evaluations = scoring
                        .evaluations
                        .iter()
                        .map(|evaluation| {
                            (
                                evaluation.examiner.clone(),
                                json!({"answers": evaluation.answers, "remark": evaluation.remark}),
                            )
                        })
                        .collect();
                    (scoring.position.clone(), evaluations)
                })
                .collect()
        })
        .collect()
}

fn part_of(position: &str) -> &str {
    position.split('.').next().unwrap_or(position)
}

/// A session of `count` candidates, every evaluation submitted through
/// the API (answers of the worked example, candidate by candidate in turn).
async fn large_session(setup: &Setup, board: &str, count: usize) -> i64 {
    let (session, _) = setup
        .ok("POST", "/api/sessions", board, Some(json!({"name": format!("Charge {count}")})), None)
        .await;
    let id = session["id"].as_i64().expect("an id");
    let numbers: Vec<String> = (1..=count).map(|n| format!("L-{n:04}")).collect();
    let candidates: Vec<Value> = numbers
        .iter()
        .map(|number| json!({"number": number, "family_name": "Charge", "given_name": "Test"}))
        .collect();
    setup
        .ok(
            "POST",
            &format!("/api/sessions/{id}/candidates"),
            board,
            Some(json!({"candidates": candidates})),
            None,
        )
        .await;
    let answers = example_answers();
    let mut examiners = std::collections::BTreeSet::new();
    for candidate in &answers {
        for (_, evaluations) in candidate {
            for (examiner, _) in evaluations {
                examiners.insert(examiner.clone());
            }
        }
    }
    let mut tokens = std::collections::BTreeMap::new();
    for examiner in &examiners {
        let name = format!("charge-{examiner}");
        let created = setup
            .call(
                "POST",
                "/api/users",
                board,
                Some(json!({"username": name, "password": EXAMINER_PASSWORD, "role": "examiner"})),
                None,
            )
            .await;
        assert!(created.0 == 201 || created.0 == 409, "user {name}: {}", created.0);
        tokens.insert(examiner.clone(), setup.login(&name, EXAMINER_PASSWORD).await.0);
    }
    for (index, number) in numbers.iter().enumerate() {
        let mut assigned = std::collections::BTreeSet::new();
        for (position, evaluations) in &answers[index % answers.len()] {
            for (examiner, _) in evaluations {
                if assigned.insert((part_of(position).to_owned(), examiner.clone())) {
                    let body = json!({"candidate_number": number, "part": part_of(position), "examiner": format!("charge-{examiner}")});
                    setup
                        .ok("POST", &format!("/api/sessions/{id}/assignments"), board, Some(body), None)
                        .await;
                }
            }
        }
    }
    setup.ok("POST", &format!("/api/sessions/{id}/scoring"), board, Some(json!({})), None).await;
    for (index, number) in numbers.iter().enumerate() {
        for (position, evaluations) in &answers[index % answers.len()] {
            for (examiner, body) in evaluations {
                let token = &tokens[examiner];
                let uri =
                    format!("/api/sessions/{id}/candidates/{number}/positions/{position}/evaluations/mine");
                let (_, version) = setup.ok("PUT", &uri, token, Some(body.clone()), None).await;
                setup.ok("POST", &format!("{uri}/submit"), token, None, version).await;
            }
        }
    }
    id
}

/// A session where each of `writers` examiners has one evaluation of their
/// own to save (two examiners per candidate on position 1.1). Returns the
/// session id and each writer's (token, uri).
async fn writers_session(setup: &Setup, board: &str, writers: usize) -> (i64, Vec<(String, String)>) {
    let (session, _) =
        setup.ok("POST", "/api/sessions", board, Some(json!({"name": "Écritures"})), None).await;
    let id = session["id"].as_i64().expect("an id");
    let count = writers.div_ceil(2);
    let candidates: Vec<Value> = (1..=count)
        .map(|n| json!({"number": format!("W-{n:03}"), "family_name": "Écriture", "given_name": "Test"}))
        .collect();
    setup
        .ok(
            "POST",
            &format!("/api/sessions/{id}/candidates"),
            board,
            Some(json!({"candidates": candidates})),
            None,
        )
        .await;
    let mut result = Vec::new();
    for writer in 0..writers {
        let name = format!("ecrit-{writer:02}");
        setup
            .ok(
                "POST",
                "/api/users",
                board,
                Some(json!({"username": name, "password": EXAMINER_PASSWORD, "role": "examiner"})),
                None,
            )
            .await;
        let number = format!("W-{:03}", writer / 2 + 1);
        let body = json!({"candidate_number": number, "part": "1", "examiner": name});
        setup.ok("POST", &format!("/api/sessions/{id}/assignments"), board, Some(body), None).await;
        let token = setup.login(&name, EXAMINER_PASSWORD).await.0;
        result
            .push((token, format!("/api/sessions/{id}/candidates/{number}/positions/1.1/evaluations/mine")));
    }
    setup.ok("POST", &format!("/api/sessions/{id}/scoring"), board, Some(json!({})), None).await;
    (id, result)
}

// ------------------------------------------------------------ the client

/// What a connection sends next, given the `ETag` of its last answer.
type NextRequest = Box<dyn FnMut(Option<i64>) -> Vec<u8> + Send>;

struct Answer {
    status: u16,
    etag: Option<i64>,
    length: usize,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Reads one HTTP/1.1 response (Content-Length or chunked) from `stream`;
/// `chunk` is the connection's read buffer, `buffer` what was read and not
/// yet consumed.
async fn read_answer(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    chunk: &mut [u8],
) -> std::io::Result<Answer> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let header = |name: &str| {
        head.lines().find_map(|line| line.strip_prefix(name).map(|value| value.trim().to_owned()))
    };
    let etag = header("etag:").and_then(|value| value.trim_matches('"').parse().ok());
    if header("transfer-encoding:").is_some_and(|value| value.contains("chunked")) {
        let mut at = head_end;
        let mut length = 0;
        loop {
            let line_end = loop {
                if let Some(end) = find(&buffer[at..], b"\r\n") {
                    break at + end;
                }
                let read = stream.read(chunk).await?;
                if read == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buffer.extend_from_slice(&chunk[..read]);
            };
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&buffer[at..line_end]).trim(), 16).unwrap_or(0);
            let end = line_end + 2 + size + 2;
            while buffer.len() < end {
                let read = stream.read(chunk).await?;
                if read == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buffer.extend_from_slice(&chunk[..read]);
            }
            length += size;
            at = end;
            if size == 0 {
                buffer.drain(..at);
                return Ok(Answer { status, etag, length });
            }
        }
    }
    let length: usize = header("content-length:").and_then(|value| value.parse().ok()).unwrap_or(0);
    while buffer.len() < head_end + length {
        let read = stream.read(chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    buffer.drain(..head_end + length);
    Ok(Answer { status, etag, length })
}

struct Figures {
    per_second: f64,
    median: Duration,
    p99: Duration,
    errors: usize,
    statuses: std::collections::BTreeMap<u16, usize>,
    bytes: usize,
}

/// Sends requests from one connection per entry of `makers` for `seconds`,
/// the connections spread over `addresses` in turn.
async fn load(addresses: &[SocketAddr], makers: Vec<NextRequest>, seconds: f64) -> Figures {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let tasks: Vec<_> = makers
        .into_iter()
        .enumerate()
        .map(|(index, mut next)| {
            let address = addresses[index % addresses.len()];
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut statuses = std::collections::BTreeMap::new();
                let mut errors = 0;
                let mut bytes = 0;
                let Ok(mut stream) = TcpStream::connect(address).await else {
                    return (latencies, statuses, 1, 0);
                };
                let _ = stream.set_nodelay(true);
                let mut buffer = Vec::new();
                let mut chunk = vec![0u8; 1 << 16];
                let mut etag = None;
                while Instant::now() < deadline {
                    let request = next(etag);
                    let sent = Instant::now();
                    if stream.write_all(&request).await.is_err() {
                        errors += 1;
                        break;
                    }
                    match read_answer(&mut stream, &mut buffer, &mut chunk).await {
                        Ok(answer) => {
                            latencies.push(sent.elapsed());
                            *statuses.entry(answer.status).or_insert(0) += 1;
                            bytes = answer.length;
                            if answer.etag.is_some() {
                                etag = answer.etag;
                            }
                        }
                        Err(_) => {
                            errors += 1;
                            break;
                        }
                    }
                }
                (latencies, statuses, errors, bytes)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut statuses = std::collections::BTreeMap::new();
    let mut errors = 0;
    let mut bytes = 0;
    for task in tasks {
        let (mut own, own_statuses, own_errors, own_bytes) = task.await.expect("a connection task");
        latencies.append(&mut own);
        for (status, count) in own_statuses {
            *statuses.entry(status).or_insert(0) += count;
        }
        errors += own_errors;
        bytes = bytes.max(own_bytes);
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    let percentile = |p: f64| {
        latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1))).copied()
    };
    Figures {
        per_second: latencies.len() as f64 / elapsed,
        median: percentile(0.5).unwrap_or_default(),
        p99: percentile(0.99).unwrap_or_default(),
        errors,
        statuses,
        bytes,
    }
}

fn get_request(path: &str, auth: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: bench\r\n{auth}\r\n").into_bytes()
}

fn same_request(request: Vec<u8>) -> impl Fn(usize) -> NextRequest {
    move |_| {
        let request = request.clone();
        Box::new(move |_| request.clone())
    }
}

/// A bare axum server answering every path with `body` (the baseline).
async fn bare_server(body: axum::body::Bytes, content_type: String) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let router = Router::new().fallback(move || {
        let (body, content_type) = (body.clone(), content_type.clone());
        async move { ([(header::CONTENT_TYPE, content_type)], body) }
    });
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// The body and content type `path` answers with.
async fn fetch(router: &Router, path: &str, auth: &[(&str, String)]) -> (axum::body::Bytes, String) {
    let mut request = Request::get(path);
    for (name, value) in auth {
        request = request.header(*name, value);
    }
    let response =
        router.clone().oneshot(request.body(Body::empty()).expect("a request")).await.expect("an answer");
    assert!(response.status().is_success(), "{path}: {}", response.status());
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    (response.into_body().collect().await.expect("a body").to_bytes(), content_type)
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn row(name: &str, figures: &Figures, baseline: Option<&Figures>, baseline_name: &str) {
    let ratio =
        baseline.map(|base| format!("{:.3}", figures.per_second / base.per_second)).unwrap_or_default();
    let base = baseline.map(|base| format!("{:.0}", base.per_second)).unwrap_or_default();
    let statuses: Vec<String> =
        figures.statuses.iter().map(|(status, count)| format!("{status}×{count}")).collect();
    println!(
        "{name:<44} {:>9.0} {:>8} {:>8} {:>9} {:>11} {:>7}  {} {}",
        figures.per_second,
        milliseconds(figures.median),
        milliseconds(figures.p99),
        figures.bytes,
        base,
        ratio,
        statuses.join(" "),
        if figures.errors > 0 { format!("({} connection errors)", figures.errors) } else { String::new() },
    );
    if let Some(base) = baseline {
        println!(
            "  {baseline_name:<42} {:>9.0} {:>8} {:>8} {:>9}",
            base.per_second,
            milliseconds(base.median),
            milliseconds(base.p99),
            base.bytes
        );
    }
}

/// Single-row SQLite transactions of `size` bytes (WAL, synchronous FULL),
/// one writer as SQLite allows: commits per second.
fn sqlite_commits(dir: &std::path::Path, size: usize, seconds: f64) -> f64 {
    let connection = rusqlite::Connection::open(dir.join("baseline.sqlite")).expect("a database");
    let _: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).expect("wal");
    connection
        .execute_batch(
            "PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, content TEXT NOT NULL);",
        )
        .expect("a table");
    let content = "x".repeat(size);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut commits = 0usize;
    let mut statement_connection = connection;
    while Instant::now() < deadline {
        let transaction = statement_connection.transaction().expect("a transaction");
        transaction.execute("INSERT INTO t (content) VALUES (?1)", [&content]).expect("an insert");
        transaction.commit().expect("a commit");
        commits += 1;
    }
    commits as f64 / start.elapsed().as_secs_f64()
}

/// A schema of its own for the run on the PostgreSQL at `url`, dropped
/// when the run ends; `url` is the URL whose connections use it.
struct BenchSchema {
    base: String,
    schema: String,
    url: String,
}

impl BenchSchema {
    fn new(base: &str) -> BenchSchema {
        let schema = format!("grille_bench_{}", std::process::id());
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
        postgres_batch(base, &sql);
        BenchSchema { base: base.to_owned(), schema, url }
    }
}

impl Drop for BenchSchema {
    fn drop(&mut self) {
        postgres_batch(&self.base, &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// Runs SQL on PostgreSQL from a thread of its own (the synchronous
/// client cannot run on the async runtime's threads).
fn postgres_batch(url: &str, sql: &str) {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("PostgreSQL");
        client.batch_execute(&sql).expect("SQL");
    })
    .join()
    .expect("a PostgreSQL thread");
}

/// Single-row PostgreSQL transactions of `size` bytes on one connection
/// (`synchronous_commit = on`: each commit waits for its WAL flush):
/// commits per second.
fn postgres_commits(url: &str, size: usize, seconds: f64) -> f64 {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("PostgreSQL");
        client
            .batch_execute(
                "SET synchronous_commit = on;
                 CREATE TABLE bare_commits (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, content TEXT NOT NULL)",
            )
            .expect("a table");
        let insert = client.prepare("INSERT INTO bare_commits (content) VALUES ($1)").expect("a statement");
        let content = "x".repeat(size);
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let start = Instant::now();
        let mut commits = 0usize;
        while Instant::now() < deadline {
            let mut transaction = client.transaction().expect("a transaction");
            transaction.execute(&insert, &[&content]).expect("an insert");
            transaction.commit().expect("a commit");
            commits += 1;
        }
        commits as f64 / start.elapsed().as_secs_f64()
    })
    .join()
    .expect("a PostgreSQL thread")
}

fn main() {
    let options = options();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    runtime.expect("a runtime").block_on(async move {
        let dir = tempfile::tempdir().expect("a data folder");
        let schema = options.database.as_deref().map(BenchSchema::new);
        let stores: Vec<grille_store::Store> = match &schema {
            None => vec![grille_store::Store::open(&dir.path().join("grille.sqlite")).expect("the store")],
            Some(schema) => (0..options.instances)
                .map(|_| grille_store::Store::open_postgres(&schema.url).expect("the PostgreSQL store"))
                .collect(),
        };
        let config = grille_server::AppConfig {
            password_cost: grille_server::PasswordCost::TESTING,
            ..grille_server::AppConfig::default()
        };
        let states: Vec<grille_server::AppState> = stores
            .into_iter()
            .map(|store| grille_server::AppState::new(store, config.clone()).expect("the state"))
            .collect();
        let state = states[0].clone();
        match &schema {
            None => println!("backend: SQLite (embedded file)"),
            Some(_) => println!("backend: PostgreSQL, {} instance(s) on one database", states.len()),
        }
        grille_server::seed_demo(&state).expect("the demo data");
        let hash = grille_server::auth::hash_password(BOARD.1, grille_server::PasswordCost::TESTING).expect("a hash");
        let board_user = grille_store::NewUser { username: BOARD.0.into(), password_hash: hash, role: grille_store::Role::Admin };
        state.store().create_user(&grille_store::Actor::system(), &board_user).expect("the board account");
        let routers: Vec<Router> = states
            .iter()
            .map(|state| {
                let pages = grille_web::router(grille_web::WebState::with_app(state.clone()));
                grille_server::app_with_pages(state.clone(), pages)
            })
            .collect();
        let router = routers[0].clone();
        let setup = Setup { router: router.clone() };
        let (board_token, board_cookie) = setup.login(BOARD.0, BOARD.1).await;
        let (_, examiner_cookie) = setup.login("exp-01", DEMO_PASSWORD).await;

        let started = Instant::now();
        let large = large_session(&setup, &board_token, options.candidates).await;
        println!("set-up: a session of {} candidates scored through the API in {:.1} s", options.candidates, started.elapsed().as_secs_f64());
        let (_, writers) = writers_session(&setup, &board_token, options.connections).await;

        let mut addresses = Vec::new();
        for served in routers {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            addresses.push(listener.local_addr().expect("an address"));
            tokio::spawn(async move { axum::serve(listener, served).await });
        }

        println!(
            "\n{} connections, {} s per target, keep-alive HTTP/1.1 over loopback; times in ms",
            options.connections, options.seconds
        );
        println!(
            "{:<44} {:>9} {:>8} {:>8} {:>9} {:>11} {:>7}",
            "target", "req/s", "median", "p99", "bytes", "bare req/s", "ratio"
        );
        let bearer = format!("Authorization: Bearer {board_token}\r\n");
        let board_cookie_header = format!("Cookie: {board_cookie}\r\n");
        let examiner_cookie_header = format!("Cookie: {examiner_cookie}\r\n");
        let reads: Vec<ReadTarget<'_>> = vec![
            ("/api/catalogue".into(), String::new(), vec![]),
            ("/api/sessions/1/results".into(), bearer.clone(), vec![("authorization", format!("Bearer {board_token}"))]),
            (format!("/api/sessions/{large}/results"), bearer.clone(), vec![("authorization", format!("Bearer {board_token}"))]),
            ("/board/sessions/1/results".into(), board_cookie_header.clone(), vec![("cookie", board_cookie.clone())]),
            ("/board/sessions/1/results/statistics".into(), board_cookie_header.clone(), vec![("cookie", board_cookie.clone())]),
            (format!("/board/sessions/{large}/results"), board_cookie_header.clone(), vec![("cookie", board_cookie.clone())]),
            (
                "/examiner/sessions/1/candidates/2026-006/positions/1.1".into(),
                examiner_cookie_header.clone(),
                vec![("cookie", examiner_cookie.clone())],
            ),
        ];
        let wanted = |name: &str| options.only.as_ref().is_none_or(|only| name.contains(only.as_str()));
        for (path, auth, headers) in reads.iter().filter(|(path, _, _)| wanted(&format!("GET {path}"))) {
            let (bytes, content_type) = fetch(&router, path, headers).await;
            let makers: Vec<NextRequest> =
                (0..options.connections).map(same_request(get_request(path, auth))).collect();
            let figures = load(&addresses, makers, options.seconds).await;
            let bare = bare_server(bytes, content_type).await;
            let makers: Vec<NextRequest> = (0..options.connections).map(same_request(get_request("/", ""))).collect();
            let baseline = load(&[bare], makers, options.seconds).await;
            row(&format!("GET {path}"), &figures, Some(&baseline), "bare axum, same bytes");
        }

        if !wanted("PUT draft save") {
            return;
        }
        // Draft saves: every writer saves its own evaluation again and
        // again, each time with the version of its previous save.
        let body = json!({"answers": [{"criterion": "c1", "points": "2"}], "remark": "Brouillon enregistré pendant la mesure."}).to_string();
        let makers: Vec<NextRequest> = writers
            .iter()
            .map(|(token, uri)| {
                let (token, uri, body) = (token.clone(), uri.clone(), body.clone());
                Box::new(move |etag: Option<i64>| {
                    let if_match = etag.map(|version| format!("If-Match: \"{version}\"\r\n")).unwrap_or_default();
                    format!(
                        "PUT {uri} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n{if_match}Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .into_bytes()
                }) as NextRequest
            })
            .collect();
        let figures = load(&addresses, makers, options.seconds).await;
        let (size, seconds) = (body.len() + 600, options.seconds);
        let (commits, bare_name) = match &schema {
            None => {
                let path = dir.path().to_owned();
                let commits = tokio::task::spawn_blocking(move || sqlite_commits(&path, size, seconds))
                    .await
                    .expect("the baseline");
                (commits, "bare SQLite commits (WAL, synchronous=FULL, one row)")
            }
            Some(schema) => (
                postgres_commits(&schema.url, size, seconds),
                "bare PostgreSQL commits (synchronous_commit=on, one row)",
            ),
        };
        row(&format!("PUT draft save ({} writers)", writers.len()), &figures, None, "");
        println!("  {bare_name:<54} {commits:>9.0}   ratio {:.3}", figures.per_second / commits);
    });
}
