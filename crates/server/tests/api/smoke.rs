use std::time::Duration;

use grille_server::{ServeConfig, Server};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[tokio::test]
async fn serves_on_a_real_socket_and_shuts_down_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        demo: true,
        database: None,
        database_pool: grille_store::Store::DEFAULT_POOL,
        app: crate::support::config(),
        pages: None,
    };
    let server = Server::bind(config).await.unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running).await.unwrap().unwrap().unwrap();

    // The database was created, migrated, seeded with the first admin and
    // the demo, and closed with its WAL checkpointed.
    let database = dir.path().join("data").join(grille_server::DATABASE_FILE);
    let wal = dir.path().join("data").join("grille.sqlite-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0, "WAL not checkpointed");
    let store = grille_store::Store::open(&database).unwrap();
    let usernames: Vec<String> = store.users().unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(
        usernames,
        [
            "admin",
            "candidat-demo",
            "candidat-ecole-demo",
            "exp-01",
            "exp-02",
            "exp-03",
            "exp-04",
            "exp-05",
            "exp-06",
            "formateur-demo",
            "formatrice-demo"
        ]
    );
    let (sessions, mocks): (Vec<_>, Vec<_>) = store
        .exam_sessions()
        .unwrap()
        .into_iter()
        .partition(|session| session.kind == grille_workflow::SessionKind::Official);
    assert_eq!(sessions.len(), 1);
    // The demo school's mock exam: three candidates, part 1 partly scored
    // (two evaluations per position for the first, one for the second).
    assert_eq!(mocks.len(), 1);
    assert_eq!((mocks[0].workflow_state.as_str(), mocks[0].school_id.is_some()), ("scoring", true));
    assert_eq!(store.session_candidates(mocks[0].id).unwrap().len(), 3);
    let scored = store.session_evaluations(mocks[0].id).unwrap();
    assert!(!scored.is_empty() && scored.iter().all(|row| row.part == "1"));
    assert_eq!(sessions[0].workflow_state, grille_workflow::SessionState::Scoring);
    // Four candidates sat the exam, two examiners per part, three parts;
    // 2026-006 waits for exp-01 and exp-02 on part 1, 2026-007 for exp-03
    // and exp-04 on part 2 (with a case study).
    assert_eq!(store.assignments(sessions[0].id).unwrap().len(), 4 * 3 * 2 + 2 + 2);
    let cases = store.session_cases(sessions[0].id).unwrap();
    assert_eq!(cases.len(), 5 + 1, "the example's five candidates and 2026-007 sit a case for 2.1");
    // Four positions, two evaluations each, for four candidates.
    assert_eq!(store.session_evaluations(sessions[0].id).unwrap().len(), 4 * 4 * 2);
}
