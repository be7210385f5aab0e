//! The CSV uploads fuzzed with proptest: text shaped like what Excel
//! writes (separators, quotes, a byte-order mark, header names, empty and
//! ragged lines, any Unicode) and raw bytes that are not UTF-8, sent to the
//! enrolment and assignment previews and uploads. Every answer is a 2xx
//! or a 4xx problem, never a 5xx, and an upload is all or nothing.
//! 64 cases per property; `PROPTEST_CASES=5000` for a longer run.

use proptest::prelude::*;

use crate::support::{Auth, TestApp, spawn_app};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// One CSV cell: header names, numbers, parts, usernames, quotes, noise.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("numéro".to_owned()),
        Just("Nummer".to_owned()),
        Just("nom".to_owned()),
        Just("prénom".to_owned()),
        Just("épreuve".to_owned()),
        Just("expert·e 1".to_owned()),
        Just("expert·e 2".to_owned()),
        Just("2027-001".to_owned()),
        Just("1".to_owned()),
        Just("expert".to_owned()),
        Just("\"a;b\"".to_owned()),
        Just("\"".to_owned()),
        Just(String::new()),
        ".{0,12}",
    ]
}

fn csv_text() -> impl Strategy<Value = String> {
    let separator = prop_oneof![Just(";"), Just(","), Just("\t"), Just("|")];
    let line =
        (prop::collection::vec(cell(), 0..6), separator).prop_map(|(cells, separator)| cells.join(separator));
    (any::<bool>(), prop::collection::vec(line, 0..8), prop_oneof![Just("\n"), Just("\r\n"), Just("\r")])
        .prop_map(|(bom, lines, end)| format!("{}{}", if bom { "\u{feff}" } else { "" }, lines.join(end)))
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: TestApp,
    board: Auth,
    session: i64,
}

fn fixture() -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let app = spawn_app();
    let (board, session) = runtime.block_on(async {
        let admin = app.admin().await;
        let session = app.session(&admin).await;
        (admin.bearer(), session)
    });
    Fixture { runtime, app, board, session }
}

impl Fixture {
    fn send(&self, path: &str, body: Vec<u8>) -> u16 {
        let uri = format!("/api/sessions/{}/{path}", self.session);
        self.runtime.block_on(async {
            self.app
                .send(axum::http::Method::POST, &uri, &self.board, Some("text/csv"), body)
                .await
                .status
                .as_u16()
        })
    }

    fn enrolled(&self) -> usize {
        let uri = format!("/api/sessions/{}/candidates", self.session);
        self.runtime
            .block_on(async { self.app.get(&uri, &self.board).await.body.as_array().map_or(0, Vec::len) })
    }
}

const ROUTES: [&str; 4] =
    ["candidates/csv/preview", "candidates/csv", "assignments/csv/preview", "assignments/csv"];

/// Runs `property` on `cases` inputs against one application (a fresh one
/// per input would spend the run creating databases).
fn check<S: Strategy>(strategy: S, property: impl Fn(&Fixture, S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let fixture = fixture();
    let mut runner = proptest::test_runner::TestRunner::new(config());
    if let Err(failure) = runner.run(&strategy, |input| property(&fixture, input)) {
        panic!("{failure}");
    }
}

#[test]
fn csv_shaped_text_never_gets_a_server_error() {
    check(csv_text(), |fixture, text| {
        for route in ROUTES {
            let status = fixture.send(route, text.clone().into_bytes());
            prop_assert!(status < 500, "{route}: {status} for {text:?}");
        }
        Ok(())
    });
}

#[test]
fn bytes_that_are_not_utf8_never_get_a_server_error() {
    check(prop::collection::vec(any::<u8>(), 0..200), |fixture, bytes| {
        for route in ROUTES {
            let status = fixture.send(route, bytes.clone());
            prop_assert!(status < 500, "{route}: {status} for {bytes:?}");
        }
        Ok(())
    });
}

#[test]
fn a_refused_upload_enrols_nobody_more() {
    check(csv_text(), |fixture, text| {
        let before = fixture.enrolled();
        let status = fixture.send("candidates/csv", text.clone().into_bytes());
        if status >= 400 {
            prop_assert_eq!(fixture.enrolled(), before, "a refused upload enrolled someone: {:?}", text);
        }
        Ok(())
    });
}
