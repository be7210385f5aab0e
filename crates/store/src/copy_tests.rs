//! `copy`: a board's data SQLite → PostgreSQL → SQLite (PostgreSQL when
//! `GRILLE_TEST_POSTGRES` names a database), every table equal, the audit
//! chain intact, the id counters right; and each refusal, with the target
//! left as it was.

use std::path::{Path, PathBuf};

use crate::copy::{self, CopyError, Location};
use crate::*;

/// A schema of its own on the tests' PostgreSQL, as a URL whose
/// connections use it; dropped at the end.
struct PgSchema {
    url: String,
    admin: postgres::Config,
    schema: String,
}

impl PgSchema {
    fn new(name: &str) -> Option<PgSchema> {
        let base = std::env::var("GRILLE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())?;
        let admin: postgres::Config = base.parse().expect("GRILLE_TEST_POSTGRES is a PostgreSQL URL");
        let schema = format!("grille_copy_{}_{name}", std::process::id());
        let mut client = admin.connect(postgres::NoTls).expect("connect to GRILLE_TEST_POSTGRES");
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
            .expect("schema");
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        Some(PgSchema { url, admin, schema })
    }

    fn location(&self) -> Location {
        Location::Postgres(self.url.clone())
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut client) = self.admin.connect(postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema));
        }
    }
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser { username: username.into(), password_hash: "$argon2id$x".into(), role }
}

/// A board's data touching every kind of value: users and a school, a
/// session with candidates (one erased), evaluations (a NULL remark, a
/// submitted one), bytes with every byte value (an attachment, a logo),
/// login sessions of which one ended (so that the counter is above the
/// highest id), an e-mail address.
fn fill(store: &Store) {
    let board = Actor::system();
    let school = store.create_school(&board, "École « Ä » – Zürich").unwrap();
    store.create_user_in_school(&board, &new_user("trainer", Role::Trainer), Some(school.id)).unwrap();
    let examiner = store.create_user(&board, &new_user("exp-01", Role::Examiner)).unwrap();
    store.set_user_email(&board, "exp-01", Some("exp-01@example.org")).unwrap();
    let session = store
        .create_exam_session(
            &board,
            &NewExamSession {
                name: "Session 2026".into(),
                exam_date: Some("2026-06-01".into()),
                documents: vec![],
            },
        )
        .unwrap();
    let numbers: Vec<CandidateNumber> =
        (1..=3).map(|n| CandidateNumber::parse(&format!("2026-{n:03}")).unwrap()).collect();
    let candidates: Vec<NewCandidate> = numbers
        .iter()
        .map(|number| NewCandidate {
            number: number.clone(),
            identity: Some(CandidateIdentity {
                family_name: format!("Müller {number}"),
                given_name: "Zoë".into(),
                email: None,
            }),
        })
        .collect();
    store.enrol_candidates(&board, session.id, &candidates).unwrap();
    store.erase_candidate_identity(&board, None, &numbers[2]).unwrap();
    let actor = Actor::user(&examiner);
    for number in &numbers[..2] {
        let key = EvaluationKey {
            session_id: session.id,
            candidate: number.clone(),
            part: "1".into(),
            position: "1.1".into(),
        };
        let content =
            serde_json::json!({ "answers": [{ "criterion": "c1", "points": "1.5" }], "remark": null });
        store.save_evaluation(&actor, &key, examiner.id, &content, EvaluationStatus::Draft, None).unwrap();
    }
    let every_byte: Vec<u8> = (0..=255).collect();
    store.put_attachment(&board, "application/pdf", &every_byte).unwrap();
    store.set_board_logo(&board, Some(("image/png", &[0x89, b'P', b'N', b'G', 0, 0xff]))).unwrap();
    store.create_auth_session(&examiner, "hash-1", "csrf-1", "2999-01-01T00:00:00Z").unwrap();
    store.create_auth_session(&examiner, "hash-2", "csrf-2", "2999-01-01T00:00:00Z").unwrap();
    store.delete_auth_session(&examiner, "hash-2").unwrap();
}

fn sqlite_at(dir: &Path, name: &str) -> (PathBuf, Location) {
    let path = dir.join(name);
    (path.clone(), Location::Sqlite(path))
}

/// Every table of `location` is empty.
fn assert_empty(location: &Location) {
    let tables = copy::checksums(location).unwrap();
    assert!(tables.len() > 30);
    assert!(tables.iter().all(|table| table.rows == 0), "{location}: nothing half-copied: {tables:?}");
}

fn assert_copied(report: &copy::CopyReport, what: &str) {
    assert!(report.ok(), "{what}: {report:#?}");
    assert!(report.tables.len() > 30, "{what}: every table: {}", report.tables.len());
    let filled = report.tables.iter().filter(|table| table.source_rows > 0).count();
    assert!(filled >= 10, "{what}: {filled} tables with rows");
}

/// After a copy, a write on the target gets a new id, above every id the
/// source ever gave (the ended login session's included).
fn assert_next_ids(target: &Store, what: &str) {
    let examiner = target.user_by_username("exp-01").unwrap().expect("copied user");
    let id = target.create_auth_session(&examiner, "hash-3", "csrf-3", "2999-01-01T00:00:00Z").unwrap();
    assert_eq!(id, 3, "{what}: the ended session's id 2 is not given again");
    let user = target.create_user(&Actor::system(), &new_user("after-copy", Role::Examiner)).unwrap();
    assert!(user.id > examiner.id, "{what}");
    assert!(matches!(target.verify_audit_chain().unwrap(), AuditVerification::Intact(_)), "{what}");
}

#[test]
fn a_board_goes_to_postgres_and_back_with_every_table_equal() {
    let dir = tempfile::tempdir().unwrap();
    let (source_path, source) = sqlite_at(dir.path(), "board.sqlite");
    let store = Store::open(&source_path).unwrap();
    fill(&store);
    store.close().unwrap();
    let before = copy::checksums(&source).unwrap();

    // SQLite → SQLite always; SQLite → PostgreSQL → SQLite with a database.
    let (copy_path, copied) = sqlite_at(dir.path(), "copy.sqlite");
    assert_copied(&copy::copy(&source, &copied).unwrap(), "sqlite → sqlite");
    assert_eq!(copy::checksums(&copied).unwrap(), before);
    assert_next_ids(&Store::open(&copy_path).unwrap(), "sqlite → sqlite");

    let Some(schema) = PgSchema::new("round") else {
        return;
    };
    let report = copy::copy(&source, &schema.location()).unwrap();
    assert_copied(&report, "sqlite → postgres");
    assert!(report.target_migrated, "a blank schema gets the migrations");
    assert_eq!(copy::checksums(&schema.location()).unwrap(), before);
    let (back_path, back) = sqlite_at(dir.path(), "back.sqlite");
    assert_copied(&copy::copy(&schema.location(), &back).unwrap(), "postgres → sqlite");
    assert_eq!(copy::checksums(&back).unwrap(), before, "every table equal after the round trip");
    assert_next_ids(&Store::open_postgres(&schema.url).unwrap(), "sqlite → postgres");
    assert_next_ids(&Store::open(&back_path).unwrap(), "postgres → sqlite");
    let erased = Store::open(&back_path).unwrap().session_candidates_identities_for_test();
    assert_eq!(erased, (2, 3), "personal data as it was: two names, one erased");
}

impl Store {
    /// Candidates with a name, and candidates (for the round-trip test).
    fn session_candidates_identities_for_test(&self) -> (i64, i64) {
        self.read_db(|db| {
            Ok((
                db.row("SELECT COUNT(*) FROM candidate_identities", (), |row| row.get(0))?,
                db.row("SELECT COUNT(*) FROM candidates", (), |row| row.get(0))?,
            ))
        })
        .unwrap()
    }
}

#[test]
fn each_refusal_names_what_and_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (source_path, source) = sqlite_at(dir.path(), "board.sqlite");
    let store = Store::open(&source_path).unwrap();
    fill(&store);
    store.close().unwrap();

    // A target with rows: the source itself, and a store with one user.
    let (full_path, full) = sqlite_at(dir.path(), "full.sqlite");
    let other = Store::open(&full_path).unwrap();
    other.create_user(&Actor::system(), &new_user("someone", Role::Admin)).unwrap();
    other.close().unwrap();
    let full_before = copy::checksums(&full).unwrap();
    let refused = copy::copy(&source, &full);
    assert!(
        matches!(&refused, Err(CopyError::TargetNotEmpty { table, rows: 1, .. }) if table == "audit_log"),
        "{refused:?}"
    );
    assert!(refused.unwrap_err().to_string().contains("n'est pas vide"));
    assert_eq!(copy::checksums(&full).unwrap(), full_before, "untouched");

    // A target one migration behind.
    let (old_path, old) = sqlite_at(dir.path(), "old.sqlite");
    let mut connection = rusqlite::Connection::open(&old_path).unwrap();
    let last = MIGRATIONS.last().unwrap().version;
    migrate::apply_until(&mut connection, last - 1).unwrap();
    drop(connection);
    let refused = copy::copy(&source, &old);
    match &refused {
        Err(CopyError::LevelMismatch { source_level, target_level }) => {
            assert_eq!((*source_level, *target_level), (last, last - 1));
            let message = refused.as_ref().unwrap_err().to_string();
            assert!(
                message.contains(&format!("{last}")) && message.contains(&format!("{}", last - 1)),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }

    // A file that is not a database, as source and as target; a missing
    // source; a SQLite database that is not grille's; unknown schemes.
    let text = dir.path().join("notes.txt");
    let words = "ceci n'est pas une base de données, mais un texte assez long pour SQLite";
    std::fs::write(&text, words).unwrap();
    let not_db = Location::Sqlite(text.clone());
    assert!(matches!(copy::copy(&not_db, &full), Err(CopyError::NotADatabase { .. })));
    assert!(matches!(copy::copy(&source, &not_db), Err(CopyError::NotADatabase { .. })));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), words, "the text file is untouched");
    let missing = Location::Sqlite(dir.path().join("absent.sqlite"));
    assert!(matches!(copy::copy(&missing, &full), Err(CopyError::Missing(_))));
    let foreign_path = dir.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign_path).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let foreign = Location::Sqlite(foreign_path);
    assert!(matches!(copy::copy(&foreign, &full), Err(CopyError::NotGrille(_))));
    assert!(matches!(copy::copy(&source, &foreign), Err(CopyError::NotGrille(_))));
    for bad in ["mysql://root@localhost/grille", "board.sqlite", "sqlite:"] {
        assert!(matches!(Location::parse(bad), Err(CopyError::BadLocation { .. })), "{bad}");
    }

    // An unreachable server: a socket folder with no server in it.
    let nowhere = Location::Postgres(format!(
        "postgres://grille@localhost/grille?host={}&port=1&connect_timeout=2",
        dir.path().display()
    ));
    let refused = copy::copy(&source, &nowhere);
    assert!(matches!(&refused, Err(CopyError::Unreachable { .. })), "{refused:?}");
    let refused = copy::copy(&nowhere, &full);
    assert!(matches!(&refused, Err(CopyError::Unreachable { .. })), "{refused:?}");

    // A value that fails half-way (text in an integer column, written by
    // hand): the target keeps no row.
    let tampered_path = dir.path().join("tampered.sqlite");
    std::fs::copy(&source_path, &tampered_path).unwrap();
    rusqlite::Connection::open(&tampered_path)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; UPDATE users SET school_id = 'x' WHERE username = 'trainer'",
        )
        .unwrap();
    let tampered = Location::Sqlite(tampered_path);
    let (_, fresh) = sqlite_at(dir.path(), "fresh.sqlite");
    let refused = copy::copy(&tampered, &fresh);
    assert!(
        matches!(&refused, Err(CopyError::Store { .. })),
        "a foreign key checked at the commit: {refused:?}"
    );
    assert_empty(&fresh);

    // On PostgreSQL: the same half-way failure, and a target with rows,
    // each refused and the target left as it was.
    let Some(schema) = PgSchema::new("refusals") else {
        return;
    };
    let refused = copy::copy(&tampered, &schema.location());
    match &refused {
        Err(CopyError::Value { table, column, .. }) => {
            assert_eq!((table.as_str(), column.as_str()), ("users", "school_id"))
        }
        other => panic!("{other:?}"),
    }
    assert_empty(&schema.location());
    let Some(schema) = PgSchema::new("refusals") else {
        return;
    };
    let target = Store::open_postgres(&schema.url).unwrap();
    target.create_user(&Actor::system(), &new_user("someone", Role::Admin)).unwrap();
    target.close().unwrap();
    let before = copy::checksums(&schema.location()).unwrap();
    let refused = copy::copy(&source, &schema.location());
    assert!(matches!(&refused, Err(CopyError::TargetNotEmpty { .. })), "{refused:?}");
    assert_eq!(copy::checksums(&schema.location()).unwrap(), before);
}
