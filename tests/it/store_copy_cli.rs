//! `grille store copy` as a user runs it: the demonstration board (as
//! `grille serve --demo` builds it, plus evaluations, audit entries,
//! personal data and documents) copied SQLite → PostgreSQL → a new SQLite
//! file (PostgreSQL when `GRILLE_TEST_POSTGRES` names a database, SQLite →
//! SQLite always), every table equal, the audit chain intact, a write on
//! the target; and each refusal with its message and exit code 1, the
//! target left as it was.

use std::path::{Path, PathBuf};

use grille_store::copy::{self, Location};
use grille_store::{
    Actor, AuditVerification, CandidateIdentity, CandidateNumber, EvaluationKey, EvaluationStatus,
    NewCandidate, NewUser, Role, Store,
};

use crate::support::{grille, grille_with_env, temp_dir};

/// A schema of its own on the tests' PostgreSQL, as a URL whose
/// connections use it; dropped at the end.
struct PgSchema {
    url: String,
    base: String,
    schema: String,
}

impl PgSchema {
    fn new(name: &str) -> Option<PgSchema> {
        let base = std::env::var("GRILLE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())?;
        let schema = format!("grille_cli_copy_{}_{name}", std::process::id());
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        psql(&base, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"));
        Some(PgSchema { url, base, schema })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        psql(&self.base, &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// Runs SQL on the tests' database with Debian's psql (libpq reads the
/// same URL, `host` and `port` query parameters included).
fn psql(url: &str, sql: &str) {
    let output = std::process::Command::new("psql")
        .args(["-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql, url])
        .output()
        .expect("psql runs (Debian's postgresql-client)");
    assert!(output.status.success(), "psql: {}", String::from_utf8_lossy(&output.stderr));
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser { username: username.into(), password_hash: "$argon2id$x".into(), role }
}

/// The demo board in `dir/board.sqlite`, as `grille serve --demo` builds
/// it, plus a draft evaluation, personal data (one candidate erased), an
/// attachment with every byte value, a logo, an e-mail address, and a
/// login session ended (so that an id counter is above the highest id).
fn demo_board(dir: &Path) -> PathBuf {
    let path = dir.join("board.sqlite");
    let store = Store::open(&path).unwrap();
    let config = grille_server::AppConfig {
        password_cost: grille_server::PasswordCost::TESTING,
        ..grille_server::AppConfig::default()
    };
    let state = grille_server::AppState::new(store.clone(), config).unwrap();
    grille_server::seed_demo(&state).unwrap();
    drop(state);
    let board = Actor::system();
    let session = store
        .create_exam_session(
            &board,
            &grille_store::NewExamSession {
                name: "Session de printemps".into(),
                exam_date: Some("2099-04-01".into()),
                documents: Vec::new(),
            },
        )
        .unwrap();
    let numbers: Vec<CandidateNumber> =
        ["2099-001", "2099-002"].iter().map(|number| CandidateNumber::parse(number).unwrap()).collect();
    let candidates: Vec<NewCandidate> = numbers
        .iter()
        .map(|number| NewCandidate {
            number: number.clone(),
            identity: Some(CandidateIdentity {
                family_name: "Übersetzer-Čapek".into(),
                given_name: "Zoë".into(),
                email: Some("zoe@example.org".into()),
            }),
        })
        .collect();
    store.enrol_candidates(&board, session.id, &candidates).unwrap();
    store.erase_candidate_identity(&board, None, &numbers[1]).unwrap();
    let examiner = store.create_user(&board, &new_user("copie-exp", Role::Examiner)).unwrap();
    store.set_user_email(&board, "copie-exp", Some("copie@example.org")).unwrap();
    let key = EvaluationKey {
        session_id: session.id,
        candidate: numbers[0].clone(),
        part: "1".into(),
        position: "1.1".into(),
    };
    let content = serde_json::json!({"answers": [{"criterion": "c1", "points": "2"}], "remark": null});
    store
        .save_evaluation(&Actor::user(&examiner), &key, examiner.id, &content, EvaluationStatus::Draft, None)
        .unwrap();
    let every_byte: Vec<u8> = (0..=255).collect();
    store.put_attachment(&board, "application/pdf", &every_byte).unwrap();
    store.set_board_logo(&board, Some(("image/png", &[0x89, b'P', b'N', b'G', 0, 0xff]))).unwrap();
    store.create_auth_session(&examiner, "hash-a", "csrf-a", "2999-01-01T00:00:00Z").unwrap();
    store.create_auth_session(&examiner, "hash-b", "csrf-b", "2999-01-01T00:00:00Z").unwrap();
    store.delete_auth_session(&examiner, "hash-b").unwrap();
    store.close().unwrap();
    path
}

fn sqlite(path: &Path) -> String {
    format!("sqlite:{}", path.display())
}

/// Runs `grille store copy` and checks that it succeeded with every table
/// the same.
fn copy_ok(from: &str, to: &str) {
    let run = grille(&["store", "copy", "--from", from, "--to", to]);
    assert_eq!(run.code, 0, "{from} → {to}\n{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("copie terminée et vérifiée"), "{}", run.stdout);
    assert!(run.stdout.contains("même dernière empreinte"), "{}", run.stdout);
    assert!(!run.stdout.contains("DIFFÉRENT"), "{}", run.stdout);
    for table in ["audit_log", "evaluations", "candidate_identities", "attachments", "board_identity"] {
        assert!(
            run.stdout.lines().any(|line| line.starts_with(table) && line.contains("OK")),
            "{table}\n{}",
            run.stdout
        );
    }
}

/// A write on the target works and gets fresh ids (the ended login
/// session's id is not given again); the audit chain stays intact.
fn write_on(store: &Store, what: &str) {
    let examiner = store.user_by_username("copie-exp").unwrap().expect("copied");
    let id = store.create_auth_session(&examiner, "hash-c", "csrf-c", "2999-01-01T00:00:00Z").unwrap();
    assert!(id > 2, "{what}: {id}");
    store.create_user(&Actor::system(), &new_user("apres-copie", Role::Examiner)).unwrap();
    assert!(matches!(store.verify_audit_chain().unwrap(), AuditVerification::Intact(_)), "{what}");
}

#[test]
fn the_demo_board_goes_to_postgres_and_back_with_every_table_equal() {
    let dir = temp_dir("store-copy");
    let board = demo_board(&dir);
    let before = copy::checksums(&Location::Sqlite(board.clone())).unwrap();
    assert!(before.iter().filter(|table| table.rows > 0).count() >= 15, "{before:?}");

    let plain = dir.join("copie.sqlite");
    copy_ok(&sqlite(&board), &sqlite(&plain));
    assert_eq!(copy::checksums(&Location::Sqlite(plain.clone())).unwrap(), before);
    write_on(&Store::open(&plain).unwrap(), "sqlite → sqlite");

    let Some(schema) = PgSchema::new("round") else {
        return;
    };
    copy_ok(&sqlite(&board), &schema.url);
    let back = dir.join("retour.sqlite");
    copy_ok(&schema.url, &sqlite(&back));
    assert_eq!(copy::checksums(&Location::Postgres(schema.url.clone())).unwrap(), before);
    assert_eq!(copy::checksums(&Location::Sqlite(back.clone())).unwrap(), before, "every table equal");
    write_on(&Store::open_postgres(&schema.url).unwrap(), "sqlite → postgres");
    write_on(&Store::open(&back).unwrap(), "postgres → sqlite");
}

#[test]
fn each_refusal_says_what_and_exits_1_leaving_the_target_as_it_was() {
    let dir = temp_dir("store-copy-refusals");
    let board = demo_board(&dir);
    let full = dir.join("pleine.sqlite");
    let store = Store::open(&full).unwrap();
    store.create_user(&Actor::system(), &new_user("quelqu-un", Role::Admin)).unwrap();
    store.close().unwrap();
    let full_before = copy::checksums(&Location::Sqlite(full.clone())).unwrap();
    let text = dir.join("notes.txt");
    std::fs::write(&text, "pas une base de données, seulement un texte assez long pour le dire").unwrap();
    let old = dir.join("ancienne.sqlite");
    {
        let old_store = Store::open(&old).unwrap();
        old_store.close().unwrap();
        let connection = rusqlite::Connection::open(&old).unwrap();
        connection
            .execute_batch(
                "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)",
            )
            .unwrap();
    }
    let last = grille_store::MIGRATIONS.last().unwrap().version;
    let nowhere = format!("postgres://grille@localhost/grille?host={}&port=1", dir.display());
    let cases: Vec<(String, String, String)> = vec![
        (
            sqlite(&board),
            sqlite(&full),
            "la base cible « sqlite:".to_owned() + &full.display().to_string() + " » n'est pas vide",
        ),
        (
            sqlite(&board),
            sqlite(&old),
            format!("la source est à la migration {last}, la cible à la migration {}", last - 1),
        ),
        (sqlite(&board), nowhere.clone(), "est injoignable".to_owned()),
        (nowhere, sqlite(&dir.join("jamais.sqlite")), "est injoignable".to_owned()),
        (
            sqlite(&text),
            sqlite(&dir.join("jamais.sqlite")),
            "n'est pas une base de données SQLite".to_owned(),
        ),
        (sqlite(&board), sqlite(&text), "n'est pas une base de données SQLite".to_owned()),
        (sqlite(&dir.join("absente.sqlite")), sqlite(&full), "n'existe pas".to_owned()),
        (
            "mysql://root@localhost/grille".into(),
            sqlite(&full),
            "n'est pas une base connue : écrivez sqlite:CHEMIN".to_owned(),
        ),
        (sqlite(&board), board.display().to_string(), "n'est pas une base connue".to_owned()),
    ];
    for (from, to, expected) in &cases {
        let run = grille(&["store", "copy", "--from", from, "--to", to]);
        assert_eq!(run.code, 1, "{from} → {to}: {}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(expected.as_str()), "{from} → {to}: {expected}\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert_eq!(copy::checksums(&Location::Sqlite(full.clone())).unwrap(), full_before, "untouched");
    assert!(!dir.join("jamais.sqlite").exists(), "no target created after a refused source");
    assert!(
        std::fs::read_to_string(&text).unwrap().starts_with("pas une base"),
        "the text file is untouched"
    );

    let german = grille_with_env(
        &["store", "copy", "--from", &sqlite(&board), "--to", &sqlite(&full)],
        &[("GRILLE_LANG", "de")],
    );
    assert_eq!(german.code, 1);
    assert!(german.stderr.contains("ist nicht leer"), "{}", german.stderr);

    let Some(schema) = PgSchema::new("refusals") else {
        return;
    };
    let target = Store::open_postgres(&schema.url).unwrap();
    target.create_user(&Actor::system(), &new_user("quelqu-un", Role::Admin)).unwrap();
    target.close().unwrap();
    let before = copy::checksums(&Location::Postgres(schema.url.clone())).unwrap();
    let run = grille(&["store", "copy", "--from", &sqlite(&board), "--to", &schema.url]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("n'est pas vide (la table audit_log a 1 ligne(s))"), "{}", run.stderr);
    assert_eq!(copy::checksums(&Location::Postgres(schema.url.clone())).unwrap(), before);
}
