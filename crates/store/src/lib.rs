//! Persistence of grille: one SQLite database file per installation.
//!
//! # Why rusqlite and not sqlx
//!
//! The store uses [rusqlite] with its `bundled` SQLite, behind a small typed
//! API ([`Store`]); no SQL leaves this crate.
//!
//! * Build cost: rusqlite is a thin wrapper over the C library (one C
//!   compile, no procedural macros, no async runtime glue). sqlx brings its
//!   macros, `sqlx-core`, an async executor layer and, for the checked
//!   queries, a database at build time. On the project's 2-core machines
//!   that is the larger share of a clean build.
//! * One writer: SQLite serialises writers anyway. A single connection
//!   behind a mutex, used from `tokio::task::spawn_blocking` in the server,
//!   gives the same throughput as a pool for an exam board's load (tens of
//!   users) and makes every transaction plainly sequential.
//! * PostgreSQL: the server only sees the typed methods of [`Store`].
//!   They run on either backend through the backend-neutral layer (`db`):
//!   SQLite, the default, or PostgreSQL through the synchronous `postgres`
//!   crate (see ARCHITECTURE.md, "PostgreSQL"), which `grille serve
//!   --database` opens.
//!
//! # Guarantees
//!
//! * WAL journal, `synchronous = FULL`: a write that returned `Ok` is on
//!   disk and survives a crash or power loss.
//! * Foreign keys are enforced (`PRAGMA foreign_keys = ON` on every open).
//! * Migrations are applied in order at [`Store::open`] and recorded in
//!   `schema_migrations`; a database newer than this program is refused.
//! * Every write method takes an [`Actor`] and appends its audit entry
//!   (who, what, when, before, after) in the same transaction: there is no
//!   write without its audit entry and no audit entry without its write.
//! * The audit log is a hash chain (each entry holds the SHA-256 of the one
//!   before and of its own content): [`Store::verify_audit_chain`] and
//!   [`verify_audit_file`] name the first edited, deleted or inserted entry.
//! * Documents (catalogue, blueprint, scheme, rubric) are stored once per
//!   SHA-256 content hash and never updated; an exam session points at the
//!   exact rows it was created with, so a later edit of a document can
//!   never change an old session.
//! * Decimals (grades) are stored as text, never as floating point.
//!
//! ```
//! use grille_store::{Actor, NewUser, Role, Store};
//!
//! let dir = std::env::temp_dir().join(format!("grille-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let store = Store::open(&dir.join("doc.sqlite")).unwrap();
//! let user = store
//!     .create_user(&Actor::system(), &NewUser {
//!         username: "admin".into(),
//!         password_hash: "$argon2id$...".into(),
//!         role: Role::Admin,
//!     })
//!     .unwrap();
//! assert_eq!(user.role, Role::Admin);
//! store.close().unwrap();
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod appeals;
mod arbitration;
mod audit;
pub mod backup;
mod bank;
mod candidates;
mod cases;
pub mod copy;
mod corrections;
mod db;
mod development_plans;
mod document_bank;
mod error;
mod evaluations;
mod identity;
mod migrate;
mod registry;
mod schools;
mod self_assessments;
mod sessions;
mod standard_setting;
mod submissions;
mod throttle;
pub mod time;
mod totp;
mod users;
mod versioned;
mod workflow;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

pub use appeals::{Appeal, AppealInput};
pub use arbitration::{AgreedConfirmation, ArbiterAssignment, SessionArbitration};
pub use audit::{
    AuditBreak, AuditChainSummary, AuditEntry, AuditQuery, AuditVerification, ChainProblem, GENESIS_HASH,
    verify_audit_file,
};
pub use candidates::{
    Assignment, CandidateIdentity, CandidateNumber, EnrolledCandidate, InvalidCandidateNumber, NewCandidate,
    UserAssignment,
};
pub use cases::{
    CaseOwner, CaseRecord, CaseState, CaseText, CaseUse, SessionCase, StoredAttachment, sha256_bytes,
};
pub use corrections::{NewProposal, Proposal, ProposalDecision};
pub use development_plans::{DevelopmentPlan, PlanComment, SharedPlan};
pub use document_bank::{DraftRecord, DraftState, DraftText};
pub use error::StoreError;
pub use evaluations::{AgreedEvaluation, Evaluation, EvaluationKey, EvaluationStatus};
pub use identity::{
    BoardIdentity, Logo, LogoInfo, NO_IDENTITY_VERSION, SessionParticulars, Signatory, Sitting,
    StoredIdentity,
};
pub use migrate::{MIGRATIONS, Migration};
pub use registry::{Accommodation, ConflictDeclaration, MasterData, RegisterEntry};
pub use schools::{School, SessionOwner};
pub use self_assessments::SelfAssessment;
pub use sessions::{
    Document, DocumentKind, ExamSession, NewDocument, NewExamSession, PinnedDocument, sha256_hex,
};
pub use standard_setting::{PanelInput, PanelRanges, Panellist, StoredPanel};
pub use submissions::{NewSubmission, Submission, SubmissionWindow};
pub use throttle::{ThrottleBounds, ThrottleEntry};
pub use time::utc_text;
pub use totp::{AccountOverview, TotpState};
pub use users::{AuthSession, LoginSession, NewAccount, NewUser, Role, User, UserCredentials};
pub use workflow::{
    CANDIDATE_STATUSES, CandidateSession, Correction, Focus, NewCorrection, NewResult, SessionAgreed,
    SessionEvaluation, StoredResult,
};

/// Who does a write, as recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id, or `None` for the system itself (start-up, migrations).
    pub user_id: Option<i64>,
    /// The username, or `system`.
    pub name: String,
}

impl Actor {
    /// The program itself, e.g. creating the first admin at start-up.
    pub fn system() -> Actor {
        Actor { user_id: None, name: "system".to_owned() }
    }

    /// A logged-in user.
    pub fn user(user: &User) -> Actor {
        Actor { user_id: Some(user.id), name: user.username.clone() }
    }
}

/// The database. Cheap to clone (all clones share one connection); every
/// method blocks, so async callers run it in `spawn_blocking`.
#[derive(Debug, Clone)]
pub struct Store {
    /// The one connection that writes (and reads inside write transactions).
    connection: Arc<Mutex<Option<Connection>>>,
    /// Read-only connections for the reads that serve requests: in WAL mode
    /// they see every committed write and never wait for the writer's
    /// `fsync`, so a reader is not stuck behind an evaluation being saved.
    /// Empty for an in-memory database (reads then use the writer).
    readers: Arc<Vec<Mutex<Option<Connection>>>>,
    /// Evaluation saves waiting for the next group commit.
    saves: Arc<Mutex<Vec<evaluations::Save>>>,
    /// The PostgreSQL pool when the store is on PostgreSQL (then
    /// `connection` and `readers` are empty).
    postgres: Option<Arc<db::Pool>>,
}

/// How many read-only connections a file database keeps.
const READERS: usize = 4;

/// Turns on SQLite's query planner stability guarantee, so that a cached
/// statement keeps its plan whatever values are bound to it.
///
/// Without it, SQLite (3.54 here) marks a parameter compared with `=` for
/// re-planning when its value crosses 0/1, and parameters of `LIMIT ?`
/// or of a partial index's condition for re-planning on any new value;
/// rusqlite's statement cache clears the bindings of every statement it
/// takes back, which expires every statement so marked. Nearly every
/// cached statement was then parsed and planned again on each use (a
/// profile of the examiner's form: 18 % of the time in
/// `sqlite3Reprepare`). No table is analysed, so re-planning on values
/// had nothing to gain.
fn keep_plans(connection: &Connection) -> Result<(), StoreError> {
    connection.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

impl Store {
    /// Opens (or creates) the database file, sets WAL mode, full sync and
    /// foreign keys, and applies the pending migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let connection = Connection::open(path)?;
        let mut store = Store::from_connection(connection)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let flags =
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let reader = Connection::open_with_flags(path, flags)?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            keep_plans(&reader)?;
            reader.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
            readers.push(Mutex::new(Some(reader)));
        }
        store.readers = Arc::new(readers);
        Ok(store)
    }

    /// An in-memory database, for tests of other crates.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::from_connection(Connection::open_in_memory()?)
    }

    /// Opens the PostgreSQL database at `url` (`postgres://USER@HOST/DB`,
    /// or `host=... user=... dbname=...`) and applies the pending
    /// migrations.
    ///
    /// Every method works but [`Store::journal_mode`] (SQLite's), which
    /// answers [`StoreError::NotOnPostgres`]. At most
    /// [`Store::DEFAULT_POOL`] connections.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        Store::open_postgres_pool(url, Store::DEFAULT_POOL)
    }

    /// The number of PostgreSQL connections [`Store::open_postgres`] opens
    /// at most: writes are serial anyway (one advisory lock), reads are
    /// short, and a few instances of 16 fit well under PostgreSQL's default
    /// `max_connections` (100).
    pub const DEFAULT_POOL: usize = db::Pool::DEFAULT_SIZE;

    /// [`Store::open_postgres`] with at most `size` connections at once (a
    /// call beyond waits up to 10 s for a free one, then answers
    /// [`StoreError::Unavailable`]).
    pub fn open_postgres_pool(url: &str, size: usize) -> Result<Store, StoreError> {
        let pool = db::Pool::open(url, size)?;
        migrate::apply_postgres(&pool, i64::MAX)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(None)),
            readers: Arc::new(Vec::new()),
            saves: Arc::default(),
            postgres: Some(Arc::new(pool)),
        })
    }

    /// Opens the PostgreSQL database at `url` with grille's tables in the
    /// schema `schema` (created when absent), so that several boards, or
    /// several tests, share one database. `schema` is a lower-case SQL name
    /// (`[a-z_][a-z0-9_]*`, at most 63 characters).
    pub fn open_postgres_schema(url: &str, schema: &str) -> Result<Store, StoreError> {
        let mut config = postgres_schema_config(url, schema)?;
        db::off_runtime(|| {
            let mut client = config.connect(postgres::NoTls)?;
            client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))?;
            Ok(())
        })?;
        config.options(&format!("-c search_path={schema}"));
        let pool = db::Pool::open_config(config, db::Pool::DEFAULT_SIZE)?;
        migrate::apply_postgres(&pool, i64::MAX)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(None)),
            readers: Arc::new(Vec::new()),
            saves: Arc::default(),
            postgres: Some(Arc::new(pool)),
        })
    }

    /// Drops the schema `schema` of the PostgreSQL database at `url` with
    /// everything in it (the end of a test that used
    /// [`Store::open_postgres_schema`]).
    pub fn drop_postgres_schema(url: &str, schema: &str) -> Result<(), StoreError> {
        let config = postgres_schema_config(url, schema)?;
        db::off_runtime(|| {
            let mut client = config.connect(postgres::NoTls)?;
            client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
            Ok(())
        })
    }

    /// [`Store::open_postgres`] with a parsed configuration (the tests put
    /// each store in its own schema through its options).
    #[cfg(test)]
    pub(crate) fn open_postgres_config(config: postgres::Config) -> Result<Store, StoreError> {
        let pool = db::Pool::open_config(config, db::Pool::DEFAULT_SIZE)?;
        migrate::apply_postgres(&pool, i64::MAX)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(None)),
            readers: Arc::new(Vec::new()),
            saves: Arc::default(),
            postgres: Some(Arc::new(pool)),
        })
    }

    /// A store on a SQLite connection as it is: no pragma, no migration
    /// (`copy` reads a source without changing it and checks a target's
    /// migrations before it gives it any).
    pub(crate) fn unmigrated(connection: Connection) -> Store {
        Store {
            connection: Arc::new(Mutex::new(Some(connection))),
            readers: Arc::new(Vec::new()),
            saves: Arc::default(),
            postgres: None,
        }
    }

    /// [`Store::unmigrated`] on a PostgreSQL pool.
    pub(crate) fn unmigrated_postgres(pool: db::Pool) -> Store {
        Store {
            connection: Arc::new(Mutex::new(None)),
            readers: Arc::new(Vec::new()),
            saves: Arc::default(),
            postgres: Some(Arc::new(pool)),
        }
    }

    fn from_connection(mut connection: Connection) -> Result<Store, StoreError> {
        // journal_mode answers with a row, so it is read with query_row.
        let _mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        connection.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        keep_plans(&connection)?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrate::apply(&mut connection)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(Some(connection))),
            readers: Arc::new(Vec::new()),
            saves: Arc::default(),
            postgres: None,
        })
    }

    /// The journal mode in force (`wal` for a file database).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        self.with(|connection| Ok(connection.query_row("PRAGMA journal_mode", [], |row| row.get(0))?))
    }

    /// The migration versions recorded as applied, in order.
    pub fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        self.read_db(migrate::applied)
    }

    /// Checkpoints the WAL into the main file and closes the connection.
    /// Later calls on any clone return [`StoreError::Closed`].
    pub fn close(&self) -> Result<(), StoreError> {
        if let Some(pool) = &self.postgres {
            pool.close();
            return Ok(());
        }
        for reader in self.readers.iter() {
            let taken = reader.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
            if let Some(reader) = taken {
                reader.close().map_err(|(_, error)| StoreError::Sqlite(error))?;
            }
        }
        let mut guard = self.lock();
        if let Some(connection) = guard.take() {
            let _: (i64, i64, i64) = connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            connection.close().map_err(|(_, error)| StoreError::Sqlite(error))?;
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Option<Connection>> {
        // A panic while holding the lock cannot leave a transaction open
        // (rusqlite rolls back on drop), so a poisoned lock is still usable.
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs a read on a free read-only connection (waiting for one only
    /// when all are busy), or on the writer for an in-memory database. A
    /// read sees every write committed before it started.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        if self.postgres.is_some() {
            return Err(StoreError::NotOnPostgres);
        }
        if self.readers.is_empty() {
            return self.with(|connection| f(connection));
        }
        // Start at a different reader per thread so that threads spread out.
        thread_local! {
            static START: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
        }
        let start = START.with(|start| {
            if start.get() == usize::MAX {
                start.set(next_reader());
            }
            start.get()
        });
        let count = self.readers.len();
        for offset in 0..count {
            if let Ok(mut guard) = self.readers[(start + offset) % count].try_lock() {
                let connection = guard.as_mut().ok_or(StoreError::Closed)?;
                return f(connection);
            }
        }
        let mut guard = self.readers[start % count].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let connection = guard.as_mut().ok_or(StoreError::Closed)?;
        f(connection)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        if self.postgres.is_some() {
            return Err(StoreError::NotOnPostgres);
        }
        let mut guard = self.lock();
        let connection = guard.as_mut().ok_or(StoreError::Closed)?;
        f(connection)
    }

    /// Runs a read of a converted module on either backend: a read-only
    /// SQLite connection (see [`Store::read`]), or a pooled PostgreSQL
    /// connection, each statement seeing every committed write.
    fn read_db<T: Send>(
        &self,
        f: impl FnOnce(&db::Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        match &self.postgres {
            Some(pool) => pool.autocommit(f),
            None => self.read(|connection| f(&db::Db::Sqlite(connection))),
        }
    }

    /// Runs several reads of a converted module on one snapshot: a SQLite
    /// read transaction, or a PostgreSQL repeatable-read one.
    fn read_snapshot<T: Send>(
        &self,
        f: impl FnOnce(&db::Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        match &self.postgres {
            Some(pool) => pool.transaction(false, f),
            None => self.read(|connection| {
                let transaction = connection.unchecked_transaction()?;
                f(&db::Db::Sqlite(&transaction))
            }),
        }
    }

    /// Runs the writes of a converted module in one transaction (with
    /// their audit entries), committed when `f` returns `Ok`. Write
    /// transactions are serial on both backends (see [`db`]).
    fn write<T: Send>(
        &self,
        f: impl FnOnce(&db::Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        match &self.postgres {
            Some(pool) => pool.transaction(true, f),
            None => self.with(|connection| {
                let transaction = connection.transaction()?;
                let value = f(&db::Db::Sqlite(&transaction))?;
                transaction.commit()?;
                Ok(value)
            }),
        }
    }

    /// Runs one statement of a converted module that needs no transaction
    /// (it commits alone, with no audit entry: a login session's last use).
    fn write_once<T: Send>(
        &self,
        f: impl FnOnce(&db::Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        match &self.postgres {
            Some(pool) => pool.autocommit(f),
            None => self.with(|connection| f(&db::Db::Sqlite(connection))),
        }
    }
}

/// The configuration of `url`, once `schema` is checked to be a plain
/// lower-case SQL name (it is written into SQL as it is).
fn postgres_schema_config(url: &str, schema: &str) -> Result<postgres::Config, StoreError> {
    let mut chars = schema.chars();
    let plain = schema.len() <= 63
        && chars.next().is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain {
        return Err(StoreError::BadValue(format!(
            "schéma PostgreSQL « {schema} » : lettres minuscules, chiffres et _ seulement"
        )));
    }
    url.parse().map_err(|error| StoreError::BadValue(format!("PostgreSQL URL: {error}")))
}

/// A different starting reader for each thread that reads.
fn next_reader() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Enough cached statements for every SQL text of the store.
const STATEMENT_CACHE: usize = 256;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod account_tests;

#[cfg(test)]
mod backend_tests;

#[cfg(test)]
mod copy_tests;
