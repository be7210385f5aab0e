//! The store's error type.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (I/O, corruption, a bug in a query). Internal: the
    /// server logs it and answers 500.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration could not be applied.
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        /// The migration's number.
        version: i64,
        /// The migration's file name.
        name: &'static str,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The database was written by a newer grille.
    #[error("the database has migration {found}, newer than this program knows ({known})")]
    TooNew {
        /// The highest migration recorded in the database.
        found: i64,
        /// The highest migration this program has.
        known: i64,
    },
    /// The store was closed.
    #[error("the store is closed")]
    Closed,
    /// The row named does not exist.
    #[error("{entity} not found")]
    NotFound {
        /// What was looked for (`exam session`, `candidate`, ...).
        entity: &'static str,
    },
    /// A row with the same unique key exists already.
    #[error("{entity} already exists")]
    AlreadyExists {
        /// What would have been duplicated.
        entity: &'static str,
    },
    /// An optimistic-concurrency check failed: the caller wrote on top of
    /// an older version than the one stored.
    #[error("stale version: expected {expected:?}, current {current}")]
    StaleVersion {
        /// The version the caller named (`None`: the caller thought the row
        /// did not exist yet).
        expected: Option<i64>,
        /// The version stored now.
        current: i64,
    },
    /// The row can no longer change (a submitted evaluation).
    #[error("{entity} is locked")]
    Locked {
        /// What is locked.
        entity: &'static str,
    },
    /// The exam session is not in the workflow state the change needs
    /// (another request moved it first).
    #[error("the session is in state {current}")]
    WrongState {
        /// The state it is in.
        current: String,
    },
    /// A stored document no longer matches its recorded hash.
    #[error("document {id} does not match its SHA-256 hash")]
    Corrupt {
        /// The document row id.
        id: i64,
    },
    /// A value read from the database is not one this program writes.
    #[error("unexpected value in the database: {0}")]
    BadValue(String),
}

/// Turns a unique-constraint failure into [`StoreError::AlreadyExists`] and a
/// foreign-key failure into [`StoreError::NotFound`]; anything else stays a
/// database error.
pub(crate) fn constraint(error: rusqlite::Error, entity: &'static str) -> StoreError {
    use rusqlite::ffi;
    if let rusqlite::Error::SqliteFailure(failure, _) = &error {
        match failure.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return StoreError::AlreadyExists { entity };
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return StoreError::NotFound { entity },
            _ => {}
        }
    }
    StoreError::Sqlite(error)
}
