//! The store's tests that run on every backend: SQLite always, PostgreSQL
//! too when `GRILLE_TEST_POSTGRES` names a database (`postgres://...` or
//! `host=... dbname=...`; `.ci/postgres` starts one). Each PostgreSQL
//! store lives in a schema of its own, dropped at the end of its test, so
//! that tests run in parallel on one database.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::*;

/// The variable that names the PostgreSQL database of the tests.
const POSTGRES_VARIABLE: &str = "GRILLE_TEST_POSTGRES";

/// A fresh store on one backend, removed when dropped.
pub(crate) struct TestStore {
    pub(crate) store: Store,
    /// `sqlite` or `postgres`, for the assertion messages.
    pub(crate) backend: &'static str,
    place: Place,
}

enum Place {
    Sqlite { _dir: tempfile::TempDir, path: std::path::PathBuf },
    Postgres { config: Box<postgres::Config>, schema: String },
}

impl TestStore {
    /// Runs SQL on the store's database behind its back (to tamper with
    /// it, or to look at the schema).
    pub(crate) fn raw(&self, sql: &str) {
        match &self.place {
            Place::Sqlite { path, .. } => {
                rusqlite::Connection::open(path).expect("open").execute_batch(sql).expect("raw SQL");
            }
            Place::Postgres { config, schema } => {
                let mut client = config.connect(postgres::NoTls).expect("connect");
                client.batch_execute(&format!("SET search_path TO {schema}; {sql}")).expect("raw SQL");
            }
        }
    }

    /// The same database opened again (after [`Store::close`]): what a
    /// restart of the server sees.
    pub(crate) fn reopen(&self) -> Store {
        match &self.place {
            Place::Sqlite { path, .. } => Store::open(path).expect("reopen"),
            Place::Postgres { config, .. } => {
                Store::open_postgres_config((**config).clone()).expect("reopen")
            }
        }
    }

    /// The column names of every table, sorted, from the database's own
    /// catalogue.
    fn columns(&self) -> Vec<(String, String)> {
        let mut columns: Vec<(String, String)> = match &self.place {
            Place::Sqlite { path, .. } => {
                let connection = rusqlite::Connection::open(path).expect("open");
                let mut statement = connection
                    .prepare(
                        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
                         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
                    )
                    .expect("prepare");
                statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows")
            }
            Place::Postgres { config, schema } => {
                let mut client = config.connect(postgres::NoTls).expect("connect");
                client
                    .query(
                        "SELECT table_name::text, column_name::text FROM information_schema.columns
                         WHERE table_schema = $1",
                        &[schema],
                    )
                    .expect("query")
                    .iter()
                    .map(|row| (row.get(0), row.get(1)))
                    .collect()
            }
        };
        columns.sort();
        columns
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let _ = self.store.close();
        if let Place::Postgres { config, schema } = &self.place
            && let Ok(mut client) = config.connect(postgres::NoTls)
        {
            let _ = client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
        }
    }
}

/// A fresh SQLite store in a temporary folder.
pub(crate) fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grille.sqlite");
    let store = Store::open(&path).expect("open");
    TestStore { store, backend: "sqlite", place: Place::Sqlite { _dir: dir, path } }
}

/// A fresh PostgreSQL store in a schema of its own, when the tests have a
/// database.
pub(crate) fn postgres() -> Option<TestStore> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = std::env::var(POSTGRES_VARIABLE).ok().filter(|url| !url.is_empty())?;
    let mut config: postgres::Config = url.parse().expect("GRILLE_TEST_POSTGRES is a PostgreSQL URL");
    let schema = format!("grille_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut client = config.connect(postgres::NoTls).expect("connect to GRILLE_TEST_POSTGRES");
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        .expect("schema");
    config.options(&format!("-c search_path={schema}"));
    let store = Store::open_postgres_config(config.clone()).expect("open on PostgreSQL");
    Some(TestStore {
        store,
        backend: "postgres",
        place: Place::Postgres { config: Box::new(config), schema },
    })
}

/// A fresh store on every backend the tests have.
pub(crate) fn backends() -> Vec<TestStore> {
    std::iter::once(sqlite()).chain(postgres()).collect()
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser { username: username.into(), password_hash: "$argon2id$x".into(), role }
}

#[test]
fn every_migration_applies_and_both_backends_have_the_same_columns() {
    let every: Vec<i64> = MIGRATIONS.iter().map(|migration| migration.version).collect();
    let reference = sqlite();
    for test in backends() {
        assert_eq!(test.store.applied_migrations().unwrap(), every, "{}", test.backend);
        assert_eq!(test.columns(), reference.columns(), "{}: tables and columns", test.backend);
    }
}

#[test]
fn a_translated_migration_has_no_sqlite_only_construct() {
    let translated = MIGRATIONS.iter().filter(|migration| {
        !migrate::POSTGRES_VARIANTS.iter().any(|(version, _)| *version == migration.version)
    });
    for migration in translated {
        let postgres = migrate::migration_sql(migration, db::Dialect::Postgres);
        for construct in migrate::SQLITE_ONLY {
            assert!(
                !postgres.contains(construct),
                "{}: {construct} needs a PostgreSQL variant in POSTGRES_VARIANTS",
                migration.name
            );
        }
    }
}

#[test]
fn a_generated_id_is_an_identity_and_other_integers_are_bigint_on_postgres() {
    let translated = migrate::postgres_translation(
        "CREATE TABLE t (\n    id INTEGER PRIMARY KEY,\n    n INTEGER NOT NULL,\n    b BLOB,\n    user_id INTEGER PRIMARY KEY REFERENCES users (id),\n    INTEGERS TEXT\n);",
    );
    assert_eq!(
        translated,
        "CREATE TABLE t (\n    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n    n BIGINT NOT NULL,\n    b BYTEA,\n    user_id BIGINT PRIMARY KEY REFERENCES users (id),\n    INTEGERS TEXT\n);"
    );
}

#[test]
fn schools_are_created_renamed_and_deleted_only_when_unused() {
    for test in backends() {
        let (store, backend) = (&test.store, test.backend);
        let board = Actor::system();
        let school = store.create_school(&board, "École A").unwrap();
        let again = store.create_school(&board, "École A");
        assert!(matches!(again, Err(StoreError::AlreadyExists { entity: "school" })), "{backend}: {again:?}");
        let other = store.create_school(&board, "École B").unwrap();
        let taken = store.rename_school(&board, other.id, "École A");
        assert!(matches!(taken, Err(StoreError::AlreadyExists { entity: "school" })), "{backend}: {taken:?}");
        store.rename_school(&board, other.id, "École C").unwrap();
        let names: Vec<String> = store.schools().unwrap().into_iter().map(|school| school.name).collect();
        assert_eq!(names, ["École A", "École C"], "{backend}");
        store.create_user_in_school(&board, &new_user("tina", Role::Trainer), Some(school.id)).unwrap();
        assert_eq!(store.school_users(school.id).unwrap().len(), 1, "{backend}");
        let used = store.delete_school(&board, school.id);
        assert!(matches!(used, Err(StoreError::InUse { entity: "school" })), "{backend}: {used:?}");
        store.delete_school(&board, other.id).unwrap();
        assert!(store.school(other.id).unwrap().is_none(), "{backend}");
        let unknown = store.create_user_in_school(&board, &new_user("ulla", Role::Trainer), Some(other.id));
        assert!(matches!(unknown, Err(StoreError::NotFound { entity: "school" })), "{backend}: {unknown:?}");
        let actions: Vec<String> =
            store.audit_log(&AuditQuery::default()).unwrap().into_iter().map(|entry| entry.action).collect();
        assert_eq!(
            actions,
            ["school.delete", "user.create", "school.rename", "school.create", "school.create"],
            "{backend}: newest first, nothing for the refused writes"
        );
        assert!(matches!(store.verify_audit_chain().unwrap(), AuditVerification::Intact(_)), "{backend}");
    }
}

#[test]
fn an_email_address_without_at_sign_is_refused_by_the_database() {
    for test in backends() {
        let (store, backend) = (&test.store, test.backend);
        store.create_user(&Actor::system(), &new_user("anna", Role::Examiner)).unwrap();
        let refused = store.set_user_email(&Actor::system(), "anna", Some("anna.example.org"));
        assert!(matches!(refused, Err(StoreError::BadValue(_))), "{backend}: {refused:?}");
        assert!(
            store.set_user_email(&Actor::system(), "anna", Some("anna@example.org")).unwrap(),
            "{backend}"
        );
        assert_eq!(store.user_email("anna").unwrap().as_deref(), Some("anna@example.org"), "{backend}");
        assert_eq!(store.user_emails().unwrap().len(), 1, "{backend}");
        assert_eq!(store.audit_count().unwrap(), 2, "{backend}: the refused write left no entry");
    }
}

#[test]
fn the_audit_log_filters_by_entity_and_limits_newest_first() {
    for test in backends() {
        let (store, backend) = (&test.store, test.backend);
        let board = Actor::system();
        for name in ["a", "b", "c"] {
            store.create_user(&board, &new_user(name, Role::Examiner)).unwrap();
        }
        store.create_school(&board, "École").unwrap();
        let users = store
            .audit_log(&AuditQuery { entity: Some("user".into()), limit: Some(2), ..AuditQuery::default() })
            .unwrap();
        let names: Vec<&str> =
            users.iter().map(|entry| entry.after.as_ref().unwrap()["username"].as_str().unwrap()).collect();
        assert_eq!(names, ["c", "b"], "{backend}");
        let one = store
            .audit_log(&AuditQuery {
                entity: Some("user".into()),
                entity_id: Some(users[1].entity_id.clone()),
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(one.len(), 1, "{backend}");
        assert!(store.audit_log(&AuditQuery { limit: Some(0), ..AuditQuery::default() }).unwrap().is_empty());
        let AuditVerification::Intact(summary) = store.verify_audit_chain().unwrap() else {
            panic!("{backend}: chain broken");
        };
        assert_eq!(summary.entries, 4, "{backend}");
    }
}

#[test]
fn an_edited_or_deleted_audit_entry_is_found_on_every_backend() {
    for test in backends() {
        let (store, backend) = (&test.store, test.backend);
        for name in ["a", "b", "c", "d"] {
            store.create_user(&Actor::system(), &new_user(name, Role::Examiner)).unwrap();
        }
        test.raw("UPDATE audit_log SET actor = 'mallory' WHERE id = 2");
        let AuditVerification::Broken(broken) = store.verify_audit_chain().unwrap() else {
            panic!("{backend}: an edit went unseen");
        };
        assert_eq!((broken.id, broken.problem, broken.intact_before), (2, ChainProblem::HashMismatch, 1));
        test.raw("DELETE FROM audit_log WHERE id = 2");
        let AuditVerification::Broken(broken) = store.verify_audit_chain().unwrap() else {
            panic!("{backend}: a deletion went unseen");
        };
        assert_eq!((broken.id, broken.problem), (3, ChainProblem::LinkMismatch), "{backend}");
    }
}

#[test]
fn concurrent_writers_keep_the_audit_chain_linear() {
    for test in backends() {
        let store = &test.store;
        std::thread::scope(|scope| {
            for thread in 0..4 {
                scope.spawn(move || {
                    for index in 0..10 {
                        store
                            .create_user(
                                &Actor::system(),
                                &new_user(&format!("u{thread}-{index}"), Role::Examiner),
                            )
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(store.user_count().unwrap(), 40, "{}", test.backend);
        let AuditVerification::Intact(summary) = store.verify_audit_chain().unwrap() else {
            panic!("{}: chain broken", test.backend);
        };
        assert_eq!(summary.entries, 40, "{}", test.backend);
    }
}

#[test]
fn a_closed_store_refuses_later_calls_on_every_backend() {
    for test in backends() {
        test.store.close().unwrap();
        let count = test.store.user_count();
        assert!(matches!(count, Err(StoreError::Closed)), "{}: {count:?}", test.backend);
        test.store.close().unwrap();
    }
}

#[test]
fn the_journal_mode_is_sqlite_only() {
    for test in backends() {
        let mode = test.store.journal_mode();
        match test.backend {
            "postgres" => assert!(matches!(mode, Err(StoreError::NotOnPostgres)), "{mode:?}"),
            _ => assert_eq!(mode.unwrap(), "wal"),
        }
    }
}

#[test]
fn the_login_throttle_keeps_its_counts_bounded_and_forgets_old_ones() {
    for test in backends() {
        let (store, backend) = (&test.store, test.backend);
        let bounds = |forget_before_ms: i64| ThrottleBounds { forget_before_ms, capacity: 3 };
        let count = |entries: &mut [Option<ThrottleEntry>], at: i64| {
            for entry in entries.iter_mut() {
                let entry =
                    entry.get_or_insert(ThrottleEntry { failures: 0, last_ms: at, blocked_until_ms: 0 });
                entry.failures += 1;
                entry.last_ms = at;
            }
        };
        // Two attempts on one account from one address: both keys count 2.
        for at in [1_000, 2_000] {
            store.login_throttle(&["pair:a", "account:a"], bounds(0), |entries| count(entries, at)).unwrap();
        }
        let seen =
            store.login_throttle(&["pair:a", "account:a"], bounds(0), |entries| entries.to_vec()).unwrap();
        let expected = Some(ThrottleEntry { failures: 2, last_ms: 2_000, blocked_until_ms: 0 });
        assert_eq!(seen, [expected, expected], "{backend}");
        // A fourth key makes room: the oldest pair goes, the account stays.
        store.login_throttle(&["pair:b"], bounds(0), |entries| count(entries, 3_000)).unwrap();
        store.login_throttle(&["pair:c"], bounds(0), |entries| count(entries, 4_000)).unwrap();
        assert_eq!(store.login_throttle_len().unwrap(), 3, "{backend}");
        let seen =
            store.login_throttle(&["pair:a", "account:a"], bounds(0), |entries| entries.to_vec()).unwrap();
        assert_eq!(seen, [None, expected], "{backend}: pairs go before accounts");
        // `None` deletes; rows older than the bound are forgotten.
        store.login_throttle(&["pair:b"], bounds(0), |entries| entries[0] = None).unwrap();
        let seen = store
            .login_throttle(&["account:a", "pair:c"], bounds(3_500), |entries| entries.to_vec())
            .unwrap();
        assert_eq!(seen[0], None, "{backend}: forgotten after the bound");
        assert_eq!(seen[1].map(|entry| entry.failures), Some(1), "{backend}");
        assert_eq!(store.login_throttle_len().unwrap(), 1, "{backend}");
    }
}
