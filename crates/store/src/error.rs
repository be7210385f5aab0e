//! The store's error type.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (I/O, corruption, a bug in a query). Internal: the
    /// server logs it and answers 500.
    #[error("erreur de la base de données : {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed (connection lost, a bug in a query). Internal:
    /// the server logs it and answers 500.
    #[error("erreur de la base de données PostgreSQL : {0}")]
    Postgres(postgres::Error),
    /// The database server cannot be reached now (PostgreSQL down,
    /// restarting, refusing connections, or the connection was lost): the
    /// transaction was not committed. The server answers 503 with
    /// `Retry-After`; the next request gets a new connection.
    #[error("base de données injoignable pour le moment : {0}")]
    Unavailable(String),
    /// A query that must return a row returned none (a bug in a query).
    #[error("erreur de la base de données : aucune ligne")]
    NoRow,
    /// The method exists for SQLite only (its journal mode).
    #[error("opération disponible avec SQLite seulement")]
    NotOnPostgres,
    /// A migration could not be applied.
    #[error("la migration {version} ({name}) a échoué : {source}")]
    Migration {
        /// The migration's number.
        version: i64,
        /// The migration's file name.
        name: &'static str,
        /// What the database said.
        source: Box<StoreError>,
    },
    /// The database was written by a newer grille.
    #[error(
        "la base de données est à la migration {found}, plus récente que celles que ce programme connaît ({known}) : mettez grille à jour"
    )]
    TooNew {
        /// The highest migration recorded in the database.
        found: i64,
        /// The highest migration this program has.
        known: i64,
    },
    /// A transaction holding several writes (a group commit) could not be
    /// committed: none of them was saved. Internal: 500.
    #[error("l'enregistrement groupé a échoué, rien n'a été enregistré : {0}")]
    Commit(String),
    /// The store was closed.
    #[error("la base de données est fermée")]
    Closed,
    /// The row named does not exist.
    #[error("{entity} introuvable")]
    NotFound {
        /// What was looked for (`exam session`, `candidate`, ...).
        entity: &'static str,
    },
    /// A row with the same unique key exists already.
    #[error("{entity} existe déjà")]
    AlreadyExists {
        /// What would have been duplicated.
        entity: &'static str,
    },
    /// An optimistic-concurrency check failed: the caller wrote on top of
    /// an older version than the one stored.
    #[error("version périmée : attendue {expected:?}, actuelle {current}")]
    StaleVersion {
        /// The version the caller named (`None`: the caller thought the row
        /// did not exist yet).
        expected: Option<i64>,
        /// The version stored now.
        current: i64,
    },
    /// The row is still referred to and cannot be deleted.
    #[error("{entity} est encore utilisé(e)")]
    InUse {
        /// What is referred to.
        entity: &'static str,
    },
    /// The row can no longer change (a submitted evaluation).
    #[error("{entity} est verrouillé(e)")]
    Locked {
        /// What is locked.
        entity: &'static str,
    },
    /// A submitted evaluation that cannot be reopened: not submitted, or
    /// an agreed evaluation rests on it.
    #[error("l'évaluation ne peut pas être rouverte : {reason}")]
    NotReopenable {
        /// Why, in French.
        reason: &'static str,
    },
    /// The exam session is not in the workflow state the change needs
    /// (another request moved it first).
    #[error("la session est dans l'état {current}")]
    WrongState {
        /// The state it is in.
        current: String,
    },
    /// A stored document no longer matches its recorded hash.
    #[error("le document {id} ne correspond plus à son empreinte SHA-256")]
    Corrupt {
        /// The document row id.
        id: i64,
    },
    /// A value read from the database is not one this program writes.
    #[error("valeur inattendue dans la base de données : {0}")]
    BadValue(String),
}

/// Turns a unique-constraint failure into [`StoreError::AlreadyExists`] and a
/// foreign-key failure into [`StoreError::NotFound`]; anything else stays a
/// database error (on either backend: see [`crate::db::constraint`]).
pub(crate) fn constraint(error: impl Into<StoreError>, entity: &'static str) -> StoreError {
    crate::db::constraint(error.into(), entity)
}

impl From<postgres::Error> for StoreError {
    /// A lost or refused connection is [`StoreError::Unavailable`];
    /// anything else (a constraint, a bug in a query) stays
    /// [`StoreError::Postgres`].
    fn from(error: postgres::Error) -> StoreError {
        if connection_lost(&error) {
            StoreError::Unavailable(error.to_string())
        } else {
            StoreError::Postgres(error)
        }
    }
}

/// Whether `error` says the server is out of reach rather than that a
/// statement failed: the connection is closed or broke (an I/O error), or
/// the server says it is shutting down, starting, out of connections
/// (SQLSTATE class 08, 57P01–57P03, 53300).
fn connection_lost(error: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    if error.is_closed() {
        return true;
    }
    if let Some(code) = error.code() {
        return code.code().starts_with("08")
            || [
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
                SqlState::TOO_MANY_CONNECTIONS,
            ]
            .contains(code);
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return true;
        }
        source = cause.source();
    }
    error.to_string().starts_with("error connecting to server")
}
