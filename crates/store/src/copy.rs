//! A board's data moved between the two backends: SQLite to PostgreSQL
//! and back (`grille store copy`), so that a board can start embedded and
//! grow.
//!
//! # What a copy does
//!
//! 1. The source is opened as it is (a SQLite file read-only, no
//!    migration applied) and must be a grille database this program knows.
//! 2. The target must be empty: a database with nothing in it (it then
//!    gets the source's migrations, up to the source's level), or one
//!    with the migrations applied and no row in any table. Its migrations
//!    must be exactly the source's.
//! 3. Every table but `schema_migrations` (the target has its own) is read
//!    from one snapshot of the source and written in one transaction on
//!    the target, in an order that respects the foreign keys (parents
//!    first; on SQLite the keys are also deferred to the commit). The
//!    triggers are off while the rows go in (dropped and created again in
//!    the same transaction on SQLite, `DISABLE TRIGGER USER` on
//!    PostgreSQL): the revision counters they keep are copied as stored,
//!    not counted again. Values go across as stored: integers (booleans
//!    are 0 and 1 on both), texts (times are RFC 3339 texts), bytes, NULLs.
//! 4. The id counters are set after the rows, in the same transaction:
//!    PostgreSQL's identity sequences (`setval`) and SQLite's
//!    `sqlite_sequence`, each to the source's counter or the highest id
//!    copied, whichever is higher, so that an id is never given twice.
//! 5. After the commit, each table of the target is read again: its row
//!    count and checksum (see [`checksums`]) are compared with the source's, and
//!    the audit chain is verified on the target.
//!
//! Nothing is half-copied: any error before the commit rolls the target
//! back (a target that was blank keeps only its migrations, and a later
//! copy accepts it).
//!
//! This module and [`crate::migrate`] are the only ones that read the
//! catalogues of the two databases (`sqlite_master`, `information_schema`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use crate::db::{AnyValue, Db, Dialect, Kind, Param, Params, Pool};
use crate::migrate::{self, MIGRATIONS};
use crate::{AuditVerification, Store, StoreError};

/// Where a database is: a SQLite file or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// `sqlite:PATH`.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…` (a URL the `postgres` crate
    /// understands).
    Postgres(String),
}

impl Location {
    /// Reads `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    pub fn parse(text: &str) -> Result<Location, CopyError> {
        let text = text.trim();
        if let Some(path) = text.strip_prefix("sqlite:") {
            // `sqlite:///var/grille.sqlite` as well as `sqlite:data/grille.sqlite`.
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(CopyError::BadLocation { location: text.to_owned() });
            }
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        Err(CopyError::BadLocation { location: text.to_owned() })
    }
}

/// Shown with the password of a PostgreSQL URL hidden.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Location::Postgres(url) => f.write_str(&hide_password(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `url` with the password of its user part (`user:password@`) replaced.
fn hide_password(url: &str) -> String {
    let Some(start) = url.find("://").map(|at| at + 3) else {
        return url.to_owned();
    };
    let authority_end = url[start..].find(['/', '?']).map_or(url.len(), |end| start + end);
    let Some(at) = url[start..authority_end].rfind('@').map(|at| start + at) else {
        return url.to_owned();
    };
    match url[start..at].find(':') {
        Some(colon) => format!("{}:***{}", &url[..start + colon], &url[at..]),
        None => url.to_owned(),
    }
}

/// Why a copy was refused or failed. Refusals come before anything is
/// written; a failure while writing rolls the target back.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// Neither `sqlite:PATH` nor a PostgreSQL URL.
    #[error(
        "« {location} » n'est pas une base connue : écrivez sqlite:CHEMIN ou postgres://UTILISATEUR@HÔTE/BASE"
    )]
    BadLocation {
        /// What was given.
        location: String,
    },
    /// The source SQLite file does not exist.
    #[error("la base source {0} n'existe pas")]
    Missing(Location),
    /// The file is not a SQLite database (or cannot be opened as one).
    #[error("{location} n'est pas une base de données SQLite : {reason}")]
    NotADatabase {
        /// The file.
        location: Location,
        /// What SQLite said.
        reason: String,
    },
    /// A database, but not grille's (no `schema_migrations`), and not empty.
    #[error("{0} n'est pas une base grille (pas de table schema_migrations)")]
    NotGrille(Location),
    /// The PostgreSQL server cannot be reached, or refused the connection.
    #[error("{location} est injoignable : {reason}")]
    Unreachable {
        /// The server.
        location: Location,
        /// What the connection attempt said.
        reason: String,
    },
    /// The target holds rows already.
    #[error("la base cible {location} n'est pas vide : la table {table} a {rows} ligne(s)")]
    TargetNotEmpty {
        /// The target.
        location: Location,
        /// The first table found with rows.
        table: String,
        /// How many.
        rows: i64,
    },
    /// The two databases are not at the same migration.
    #[error(
        "les migrations diffèrent : la source est à la migration {source_level}, la cible à la migration {target_level}"
    )]
    LevelMismatch {
        /// The source's highest migration.
        source_level: i64,
        /// The target's highest migration.
        target_level: i64,
    },
    /// A database of a newer grille.
    #[error(
        "{location} est à la migration {found}, plus récente que ce programme ({known}) : mettez grille à jour"
    )]
    TooNew {
        /// The database.
        location: Location,
        /// Its highest migration.
        found: i64,
        /// This program's newest migration.
        known: i64,
    },
    /// The same migrations but not the same tables or columns (a database
    /// changed by hand).
    #[error("la table {table} n'a pas les mêmes colonnes dans la source et dans la cible")]
    SchemaMismatch {
        /// The table.
        table: String,
    },
    /// A value the target's column cannot hold.
    #[error("table {table}, colonne {column} : {reason}")]
    Value {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What is wrong.
        reason: String,
    },
    /// The database failed while reading or writing (nothing was
    /// committed when it failed before the commit).
    #[error("{location} : {source}")]
    Store {
        /// The database.
        location: Location,
        /// What it said.
        source: StoreError,
    },
}

/// One table compared after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    /// Its name.
    pub table: String,
    /// Rows in the source.
    pub source_rows: u64,
    /// Rows in the target, read again after the commit.
    pub target_rows: u64,
    /// The source's checksum (see [`checksums`]).
    pub source_checksum: String,
    /// The target's checksum, read again after the commit.
    pub target_checksum: String,
}

impl TableCopy {
    /// Whether the target holds exactly the source's rows.
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_checksum == self.target_checksum
    }
}

/// What a copy did and what its checks found.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// The migration level of both databases.
    pub migration: i64,
    /// Whether the target was blank and got its migrations from the copy.
    pub target_migrated: bool,
    /// Every table, in the order it was copied.
    pub tables: Vec<TableCopy>,
    /// The id counters set on the target (table, next id minus one).
    pub counters: Vec<(String, i64)>,
    /// The audit chain of the source, as read.
    pub source_audit: AuditVerification,
    /// The audit chain of the target, verified after the commit.
    pub target_audit: AuditVerification,
}

impl CopyReport {
    /// Whether every table matches and the target's audit chain is intact
    /// with as many entries as the source's.
    pub fn ok(&self) -> bool {
        let audit = match (&self.source_audit, &self.target_audit) {
            (AuditVerification::Intact(source), AuditVerification::Intact(target)) => {
                source.entries == target.entries && source.last_hash == target.last_hash
            }
            _ => false,
        };
        audit && self.tables.iter().all(TableCopy::matches)
    }
}

/// The row count and checksum of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChecksum {
    /// The table.
    pub table: String,
    /// Its rows.
    pub rows: u64,
    /// Its checksum (see [`checksums`]).
    pub checksum: String,
}

/// Copies every table of `from` into `to` (see the module documentation)
/// and compares them afterwards. `Ok` holds the report, whose
/// [`CopyReport::ok`] tells whether every check passed; `Err` is a refusal
/// or a failure, with nothing committed on the target.
pub fn copy(from: &Location, to: &Location) -> Result<CopyReport, CopyError> {
    let source = open(from, Role::Source)?;
    let source_levels = levels(&source.store, from)?.ok_or_else(|| CopyError::NotGrille(from.clone()))?;
    let source_level = source_levels.last().copied().unwrap_or(0);
    let target = open(to, Role::Target)?;
    let target_migrated = match levels(&target.store, to)? {
        Some(_) => false,
        None => {
            migrate_blank(&target, source_level).map_err(store_error(to))?;
            true
        }
    };
    let target_levels = levels(&target.store, to)?.unwrap_or_default();
    if target_levels != source_levels {
        return Err(CopyError::LevelMismatch {
            source_level,
            target_level: target_levels.last().copied().unwrap_or(0),
        });
    }
    let target_tables = target.store.read_db(tables).map_err(store_error(to))?;
    if let Some((table, rows)) =
        target.store.read_db(|db| first_filled(db, &target_tables)).map_err(store_error(to))?
    {
        return Err(CopyError::TargetNotEmpty { location: to.clone(), table, rows });
    }

    // One snapshot of the source: its tables, rows and counters.
    let snapshot = source.store.read_snapshot(read_source).map_err(store_error(from))?;
    let source_tables: Vec<&Table> = snapshot.iter().map(|(table, _)| table).collect();
    for table in &target_tables {
        match source_tables.iter().find(|source| source.name == table.name) {
            Some(source) if source.column_names() == table.column_names() => {}
            _ => return Err(CopyError::SchemaMismatch { table: table.name.clone() }),
        }
    }
    if let Some(extra) =
        source_tables.iter().find(|source| !target_tables.iter().any(|t| t.name == source.name))
    {
        return Err(CopyError::SchemaMismatch { table: extra.name.clone() });
    }
    let source_counters = source.store.read_db(counters).map_err(store_error(from))?;
    let source_audit = source.store.verify_audit_chain().map_err(store_error(from))?;

    let order = target.store.read_db(|db| insertion_order(db, &target_tables)).map_err(store_error(to))?;
    let by_table: BTreeMap<&str, &Rows> =
        snapshot.iter().map(|(table, rows)| (table.name.as_str(), rows)).collect();
    let strict = target.dialect == Dialect::Postgres;
    // A refusal found inside the transaction: the transaction is rolled
    // back (its closure answers an error) and the refusal is returned.
    let refusal: Mutex<Option<CopyError>> = Mutex::new(None);
    let refuse = |error: CopyError| {
        *refusal.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(error);
        StoreError::Commit("copie refusée".to_owned())
    };
    let written = target.store.write(|db| {
        // Checked again inside the transaction: nobody wrote meanwhile.
        if let Some((table, rows)) = first_filled(db, &target_tables)? {
            return Err(refuse(CopyError::TargetNotEmpty { location: to.clone(), table, rows }));
        }
        let triggers = triggers_off(db, &target_tables)?;
        for table in &order {
            if let Err(refused) = insert_rows(db, table, by_table.get(table.name.as_str()).copied(), strict)?
            {
                return Err(refuse(refused));
            }
        }
        triggers_on(db, &target_tables, &triggers)?;
        set_counters(db, &target_tables, &source_counters)
    });
    let counters = match written {
        Ok(set) => set,
        Err(error) => {
            let refused = refusal.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
            return Err(refused.unwrap_or(CopyError::Store { location: to.clone(), source: error }));
        }
    };

    // The checks, on the target as committed.
    let after = target.store.read_snapshot(|db| table_checksums(db, &order)).map_err(store_error(to))?;
    let target_audit = target.store.verify_audit_chain().map_err(store_error(to))?;
    let tables = order
        .iter()
        .zip(after)
        .map(|(table, target)| {
            let source_rows = by_table.get(table.name.as_str()).map_or(&[][..], |rows| rows.as_slice());
            TableCopy {
                table: table.name.clone(),
                source_rows: source_rows.len() as u64,
                target_rows: target.rows,
                source_checksum: checksum(source_rows),
                target_checksum: target.checksum,
            }
        })
        .collect();
    drop(source);
    target.store.close().map_err(store_error(to))?;
    Ok(CopyReport { migration: source_level, target_migrated, tables, counters, source_audit, target_audit })
}

/// The row count and checksum of every table of the database at
/// `location` (but `schema_migrations`), by table name; read without
/// changing it (a SQLite file is opened read-only). A checksum is the
/// SHA-256 of the row count and of the sorted SHA-256 of each row's
/// canonical encoding (its columns by name), the same on both backends.
pub fn checksums(location: &Location) -> Result<Vec<TableChecksum>, CopyError> {
    let opened = open(location, Role::Source)?;
    levels(&opened.store, location)?.ok_or_else(|| CopyError::NotGrille(location.clone()))?;
    let found = opened
        .store
        .read_snapshot(|db| {
            let tables = tables(db)?;
            table_checksums(db, &tables)
        })
        .map_err(store_error(location))?;
    drop(opened);
    Ok(found)
}

/// The checksum of a table's rows: the SHA-256 of the row count and of
/// the sorted SHA-256 of each row's canonical encoding (so that it does
/// not depend on the order either database returns rows in, nor on its
/// collation). A row is encoded value by value, in column order: `N` for
/// NULL; `I` and the integer as 8 bytes, big-endian; `T` or `B`, the
/// length as 8 bytes and the text's UTF-8 bytes or the bytes. Lowercase
/// hex.
pub(crate) fn checksum(rows: &[Vec<AnyValue>]) -> String {
    let mut digests: Vec<[u8; 32]> = rows
        .iter()
        .map(|row| {
            let mut hasher = Sha256::new();
            for value in row {
                match value {
                    AnyValue::Null => hasher.update(b"N"),
                    AnyValue::Integer(number) => {
                        hasher.update(b"I");
                        hasher.update(number.to_be_bytes());
                    }
                    AnyValue::Text(text) => {
                        hasher.update(b"T");
                        hasher.update((text.len() as u64).to_be_bytes());
                        hasher.update(text.as_bytes());
                    }
                    AnyValue::Bytes(bytes) => {
                        hasher.update(b"B");
                        hasher.update((bytes.len() as u64).to_be_bytes());
                        hasher.update(bytes);
                    }
                }
            }
            hasher.finalize().into()
        })
        .collect();
    digests.sort_unstable();
    let mut hasher = Sha256::new();
    hasher.update((rows.len() as u64).to_be_bytes());
    for digest in &digests {
        hasher.update(digest);
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

// ------------------------------------------------------------ opening

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Source,
    Target,
}

struct Opened {
    store: Store,
    dialect: Dialect,
}

fn store_error(location: &Location) -> impl Fn(StoreError) -> CopyError + '_ {
    move |source| CopyError::Store { location: location.clone(), source }
}

/// Opens a database as it is: no migration; a source SQLite file
/// read-only and required to exist.
fn open(location: &Location, role: Role) -> Result<Opened, CopyError> {
    match location {
        Location::Sqlite(path) => {
            if role == Role::Source && !path.is_file() {
                return Err(CopyError::Missing(location.clone()));
            }
            let not_a_database = |error: rusqlite::Error| CopyError::NotADatabase {
                location: location.clone(),
                reason: error.to_string(),
            };
            let connection = match role {
                Role::Source => Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                ),
                Role::Target => Connection::open(path),
            }
            .map_err(not_a_database)?;
            connection.busy_timeout(std::time::Duration::from_secs(10)).map_err(not_a_database)?;
            // The first read tells a file that is not a database.
            let _: i64 = connection
                .query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get(0))
                .map_err(not_a_database)?;
            if role == Role::Target {
                let _mode: String = connection
                    .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                    .map_err(not_a_database)?;
                connection
                    .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
                    .map_err(not_a_database)?;
            }
            Ok(Opened { store: Store::unmigrated(connection), dialect: Dialect::Sqlite })
        }
        Location::Postgres(url) => {
            // The copy is one transaction; a second connection reads beside it.
            let pool = Pool::open(url, 2).map_err(|error| match error {
                StoreError::BadValue(reason) | StoreError::Unavailable(reason) => {
                    CopyError::Unreachable { location: location.clone(), reason }
                }
                StoreError::Postgres(error) => {
                    CopyError::Unreachable { location: location.clone(), reason: postgres_reason(&error) }
                }
                other => CopyError::Store { location: location.clone(), source: other },
            })?;
            Ok(Opened { store: Store::unmigrated_postgres(pool), dialect: Dialect::Postgres })
        }
    }
}

/// A PostgreSQL error with its cause (the `postgres` crate's own text is
/// often just "error connecting to server").
fn postgres_reason(error: &postgres::Error) -> String {
    use std::error::Error as _;
    match error.source() {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}

/// The migrations applied, or `None` when the database has no
/// `schema_migrations` and no table at all (blank); a database with tables
/// but no `schema_migrations` is not grille's.
fn levels(store: &Store, location: &Location) -> Result<Option<Vec<i64>>, CopyError> {
    let found = store
        .read_db(|db| {
            let (has_migrations, table_count): (bool, i64) = match db.dialect() {
                Dialect::Sqlite => (
                    db.row(
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                        (),
                        |row| row.get::<i64>(0),
                    )? > 0,
                    db.row(
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                        (),
                        |row| row.get(0),
                    )?,
                ),
                Dialect::Postgres => (
                    db.row("SELECT to_regclass('schema_migrations') IS NOT NULL", (), |row| row.get(0))?,
                    db.row(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                        (),
                        |row| row.get(0),
                    )?,
                ),
            };
            if has_migrations {
                Ok(Ok(Some(migrate::applied(db)?)))
            } else if table_count == 0 {
                Ok(Ok(None))
            } else {
                Ok(Err(CopyError::NotGrille(location.clone())))
            }
        })
        .map_err(store_error(location))??;
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    if let Some(found) = found.as_ref().and_then(|levels| levels.last().copied())
        && found > known
    {
        return Err(CopyError::TooNew { location: location.clone(), found, known });
    }
    Ok(found)
}

/// Gives a blank target the migrations up to `level`.
fn migrate_blank(target: &Opened, level: i64) -> Result<(), StoreError> {
    match &target.store.postgres {
        Some(pool) => migrate::apply_postgres(pool, level),
        None => target.store.with(|connection| migrate::apply_until(connection, level)),
    }
}

// ------------------------------------------------------------ catalogues

/// A table's rows, each its values in column order.
type Rows = Vec<Vec<AnyValue>>;

/// One column: its name and the kind of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    kind: Kind,
}

/// One table of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    name: String,
    columns: Vec<Column>,
    /// The primary key's columns, in key order (rows are read in that
    /// order, so that a row referring to an earlier one of its own table
    /// comes after it).
    primary_key: Vec<String>,
}

impl Table {
    fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|column| column.name.as_str()).collect()
    }

    fn select(&self) -> String {
        let columns: Vec<String> = self.columns.iter().map(|column| quote(&column.name)).collect();
        let mut sql = format!("SELECT {} FROM {}", columns.join(", "), quote(&self.name));
        if !self.primary_key.is_empty() {
            let key: Vec<String> = self.primary_key.iter().map(|column| quote(column)).collect();
            sql.push_str(" ORDER BY ");
            sql.push_str(&key.join(", "));
        }
        sql
    }
}

/// A name as a quoted identifier (both dialects).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The kind of a SQLite declared type, by its affinity rules.
fn sqlite_kind(declared: &str) -> Kind {
    let declared = declared.to_ascii_uppercase();
    if declared.contains("INT") {
        Kind::Integer
    } else if declared.contains("BLOB") || declared.is_empty() {
        Kind::Bytes
    } else {
        Kind::Text
    }
}

/// The kind of a PostgreSQL type (`information_schema.columns.data_type`).
fn postgres_kind(data_type: &str) -> Kind {
    match data_type {
        "bigint" | "integer" | "smallint" | "boolean" => Kind::Integer,
        "bytea" => Kind::Bytes,
        _ => Kind::Text,
    }
}

/// Every table but `schema_migrations` (and SQLite's own), by name.
fn tables(db: &Db<'_>) -> Result<Vec<Table>, StoreError> {
    let mut names: Vec<String> = match db.dialect() {
        Dialect::Sqlite => db.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             AND name <> 'schema_migrations'",
            (),
            |row| row.get(0),
        )?,
        Dialect::Postgres => db.rows(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
             AND table_name <> 'schema_migrations'",
            (),
            |row| row.get(0),
        )?,
    };
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let (columns, primary_key) = match db.dialect() {
                Dialect::Sqlite => {
                    let found: Vec<(String, String, i64)> = db.rows(
                        "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid",
                        [&name],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )?;
                    let mut key: Vec<(i64, String)> = found
                        .iter()
                        .filter(|(_, _, pk)| *pk > 0)
                        .map(|(column, _, pk)| (*pk, column.clone()))
                        .collect();
                    key.sort();
                    let columns = found
                        .into_iter()
                        .map(|(column, declared, _)| Column { name: column, kind: sqlite_kind(&declared) })
                        .collect();
                    (columns, key.into_iter().map(|(_, column)| column).collect())
                }
                Dialect::Postgres => {
                    let columns = db.rows(
                        "SELECT column_name::text, data_type::text FROM information_schema.columns
                         WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position",
                        [&name],
                        |row| Ok(Column { name: row.get(0)?, kind: postgres_kind(&row.get::<String>(1)?) }),
                    )?;
                    let key = db.rows(
                        "SELECT k.column_name::text FROM information_schema.table_constraints c
                         JOIN information_schema.key_column_usage k
                           ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
                          AND k.table_name = c.table_name
                         WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()
                           AND c.table_name = ?1
                         ORDER BY k.ordinal_position",
                        [&name],
                        |row| row.get(0),
                    )?;
                    (columns, key)
                }
            };
            // By name: the two backends may order the columns differently
            // (a column added to a table SQLite rebuilt), and the checksums
            // read them in one order.
            let mut columns: Vec<Column> = columns;
            columns.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(Table { name, columns, primary_key })
        })
        .collect()
}

/// The first table that has rows, with their count.
fn first_filled(db: &Db<'_>, tables: &[Table]) -> Result<Option<(String, i64)>, StoreError> {
    for table in tables {
        let rows: i64 =
            db.row(&format!("SELECT COUNT(*) FROM {}", quote(&table.name)), (), |row| row.get(0))?;
        if rows > 0 {
            return Ok(Some((table.name.clone(), rows)));
        }
    }
    Ok(None)
}

/// The foreign keys as (table, table it refers to).
fn foreign_keys(db: &Db<'_>) -> Result<Vec<(String, String)>, StoreError> {
    match db.dialect() {
        Dialect::Sqlite => db.rows(
            "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table'",
            (),
            |row| Ok((row.get(0)?, row.get(1)?)),
        ),
        Dialect::Postgres => db.rows(
            "SELECT child.relname::text, parent.relname::text FROM pg_constraint c
             JOIN pg_class child ON child.oid = c.conrelid
             JOIN pg_class parent ON parent.oid = c.confrelid
             JOIN pg_namespace n ON n.oid = c.connamespace
             WHERE c.contype = 'f' AND n.nspname = current_schema()",
            (),
            |row| Ok((row.get(0)?, row.get(1)?)),
        ),
    }
}

/// The tables with every table after the ones it refers to (by name among
/// the tables free to go; a reference to itself is left to the row
/// order; a cycle, which the schema has not, would keep the name order).
fn insertion_order(db: &Db<'_>, tables: &[Table]) -> Result<Vec<Table>, StoreError> {
    let mut waiting: BTreeMap<&str, BTreeSet<String>> =
        tables.iter().map(|table| (table.name.as_str(), BTreeSet::new())).collect();
    for (child, parent) in foreign_keys(db)? {
        if child != parent
            && waiting.contains_key(parent.as_str())
            && let Some(parents) = waiting.get_mut(child.as_str())
        {
            parents.insert(parent);
        }
    }
    let mut order = Vec::with_capacity(tables.len());
    while !waiting.is_empty() {
        let next = waiting
            .iter()
            .find(|(_, parents)| parents.is_empty())
            .map(|(name, _)| *name)
            .or_else(|| waiting.keys().next().copied())
            .unwrap_or_default();
        waiting.remove(next);
        for parents in waiting.values_mut() {
            parents.remove(next);
        }
        if let Some(table) = tables.iter().find(|table| table.name == next) {
            order.push(table.clone());
        }
    }
    Ok(order)
}

/// The rows of one table, in primary-key order.
fn read_rows(db: &Db<'_>, table: &Table) -> Result<Rows, StoreError> {
    let width = table.columns.len();
    db.rows(&table.select(), (), |row| (0..width).map(|index| row.get::<AnyValue>(index)).collect())
}

/// Every table of the source with its rows.
fn read_source(db: &Db<'_>) -> Result<Vec<(Table, Rows)>, StoreError> {
    tables(db)?
        .into_iter()
        .map(|table| {
            let rows = read_rows(db, &table)?;
            Ok((table, rows))
        })
        .collect()
}

/// The row count and checksum of each of `tables`.
fn table_checksums(db: &Db<'_>, tables: &[Table]) -> Result<Vec<TableChecksum>, StoreError> {
    tables
        .iter()
        .map(|table| {
            let rows = read_rows(db, table)?;
            Ok(TableChecksum {
                table: table.name.clone(),
                rows: rows.len() as u64,
                checksum: checksum(&rows),
            })
        })
        .collect()
}

// ------------------------------------------------------------ counters

/// The highest id each table has given: SQLite's `sqlite_sequence`, or
/// the last value of each PostgreSQL identity sequence.
fn counters(db: &Db<'_>) -> Result<BTreeMap<String, i64>, StoreError> {
    match db.dialect() {
        Dialect::Sqlite => {
            let has_sequence: i64 = db.row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
                (),
                |row| row.get(0),
            )?;
            if has_sequence == 0 {
                return Ok(BTreeMap::new());
            }
            Ok(db
                .rows("SELECT name, seq FROM sqlite_sequence", (), |row| Ok((row.get(0)?, row.get(1)?)))?
                .into_iter()
                .collect())
        }
        Dialect::Postgres => {
            let mut found = BTreeMap::new();
            for (table, column) in identities(db)? {
                let last: Option<i64> = db.row(
                    "SELECT pg_sequence_last_value(pg_get_serial_sequence(?1, ?2)::regclass)",
                    (&table, &column),
                    |row| row.get(0),
                )?;
                if let Some(last) = last {
                    found.insert(table, last);
                }
            }
            Ok(found)
        }
    }
}

/// The identity columns of PostgreSQL, as (table, column).
fn identities(db: &Db<'_>) -> Result<Vec<(String, String)>, StoreError> {
    db.rows(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        (),
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// Sets the target's counters after the rows: each to the source's counter
/// or the highest id copied, whichever is higher. Returns what was set.
fn set_counters(
    db: &Db<'_>,
    tables: &[Table],
    source: &BTreeMap<String, i64>,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut set = Vec::new();
    match db.dialect() {
        Dialect::Postgres => {
            for (table, column) in identities(db)? {
                let highest: Option<i64> =
                    db.row(&format!("SELECT MAX({}) FROM {}", quote(&column), quote(&table)), (), |row| {
                        row.get(0)
                    })?;
                let value = highest.unwrap_or(0).max(source.get(&table).copied().unwrap_or(0));
                if value > 0 {
                    let _: i64 = db.row(
                        "SELECT setval(pg_get_serial_sequence(?1, ?2)::regclass, ?3)",
                        (&table, &column, value),
                        |row| row.get(0),
                    )?;
                    set.push((table, value));
                }
            }
        }
        Dialect::Sqlite => {
            for table in tables {
                let autoincrement: i64 = db.row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1
                     AND sql LIKE '%AUTOINCREMENT%'",
                    [&table.name],
                    |row| row.get(0),
                )?;
                let Some(counter) = source.get(&table.name).copied().filter(|_| autoincrement > 0) else {
                    continue;
                };
                // The inserts have already raised it to the highest id.
                let current: Option<i64> =
                    db.row_opt("SELECT seq FROM sqlite_sequence WHERE name = ?1", [&table.name], |row| {
                        row.get(0)
                    })?;
                match current {
                    Some(current) if current >= counter => set.push((table.name.clone(), current)),
                    Some(_) => {
                        db.run(
                            "UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1",
                            (&table.name, counter),
                        )?;
                        set.push((table.name.clone(), counter));
                    }
                    None => {
                        db.run(
                            "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
                            (&table.name, counter),
                        )?;
                        set.push((table.name.clone(), counter));
                    }
                }
            }
        }
    }
    set.sort();
    Ok(set)
}

// ------------------------------------------------------------ writing

/// The triggers switched off for the copy: on SQLite, the dropped ones
/// with their SQL; on PostgreSQL none to remember.
fn triggers_off(db: &Db<'_>, tables: &[Table]) -> Result<Vec<(String, String)>, StoreError> {
    match db.dialect() {
        Dialect::Sqlite => {
            db.batch("PRAGMA defer_foreign_keys = ON")?;
            let triggers: Vec<(String, String)> = db.rows(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
                (),
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            for (name, _) in &triggers {
                db.batch(&format!("DROP TRIGGER {}", quote(name)))?;
            }
            Ok(triggers)
        }
        Dialect::Postgres => {
            for table in tables {
                db.batch(&format!("ALTER TABLE {} DISABLE TRIGGER USER", quote(&table.name)))?;
            }
            Ok(Vec::new())
        }
    }
}

/// Switches the triggers on again, in the same transaction.
fn triggers_on(db: &Db<'_>, tables: &[Table], dropped: &[(String, String)]) -> Result<(), StoreError> {
    match db.dialect() {
        Dialect::Sqlite => {
            for (_, sql) in dropped {
                db.batch(sql)?;
            }
        }
        Dialect::Postgres => {
            for table in tables {
                db.batch(&format!("ALTER TABLE {} ENABLE TRIGGER USER", quote(&table.name)))?;
            }
        }
    }
    Ok(())
}

/// The parameters of one insert.
struct Values<'a>(Vec<Param<'a>>);

impl Params for Values<'_> {
    fn params(&self) -> Vec<Param<'_>> {
        self.0.clone()
    }
}

/// Inserts a table's rows; `Ok(Err(_))` for a value the target's column
/// cannot hold (`strict`: PostgreSQL checks each value's kind against its
/// column's; SQLite stores what it is given).
fn insert_rows(
    db: &Db<'_>,
    table: &Table,
    rows: Option<&Rows>,
    strict: bool,
) -> Result<Result<(), CopyError>, StoreError> {
    let Some(rows) = rows else {
        return Ok(Ok(()));
    };
    let names: Vec<String> = table.columns.iter().map(|column| quote(&column.name)).collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|index| format!("?{index}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(&table.name),
        names.join(", "),
        placeholders.join(", ")
    );
    for row in rows {
        let mut values = Vec::with_capacity(row.len());
        for (value, column) in row.iter().zip(&table.columns) {
            let param = match (value, column.kind) {
                (AnyValue::Null, kind) => Param::Null(kind),
                (AnyValue::Integer(number), Kind::Integer) => Param::Integer(*number),
                (AnyValue::Text(text), Kind::Text) => Param::Text(text),
                (AnyValue::Bytes(bytes), Kind::Bytes) => Param::Bytes(bytes),
                (AnyValue::Integer(number), _) if !strict => Param::Integer(*number),
                (AnyValue::Text(text), _) if !strict => Param::Text(text),
                (AnyValue::Bytes(bytes), _) if !strict => Param::Bytes(bytes),
                (value, kind) => {
                    return Ok(Err(CopyError::Value {
                        table: table.name.clone(),
                        column: column.name.clone(),
                        reason: format!("{} dans une colonne de type {}", describe(value), kind_name(kind)),
                    }));
                }
            };
            values.push(param);
        }
        db.run(&sql, Values(values))?;
    }
    Ok(Ok(()))
}

fn describe(value: &AnyValue) -> String {
    match value {
        AnyValue::Null => "NULL".to_owned(),
        AnyValue::Integer(number) => format!("l'entier {number}"),
        AnyValue::Text(text) => format!("le texte « {} »", text.chars().take(40).collect::<String>()),
        AnyValue::Bytes(bytes) => format!("{} octet(s)", bytes.len()),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "entier",
        Kind::Text => "texte",
        Kind::Bytes => "octets",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_by_their_scheme() {
        assert_eq!(
            Location::parse("sqlite:data/grille.sqlite").unwrap(),
            Location::Sqlite("data/grille.sqlite".into())
        );
        assert_eq!(
            Location::parse("sqlite:///var/grille.sqlite").unwrap(),
            Location::Sqlite("/var/grille.sqlite".into())
        );
        assert_eq!(
            Location::parse("postgresql://grille@localhost/grille").unwrap(),
            Location::Postgres("postgresql://grille@localhost/grille".into())
        );
        for bad in ["mysql://x@y/z", "data/grille.sqlite", "sqlite:", ""] {
            assert!(matches!(Location::parse(bad), Err(CopyError::BadLocation { .. })), "{bad}");
        }
    }

    #[test]
    fn a_password_is_never_shown() {
        let cases = [
            ("postgres://grille:secret@db.example/grille", "postgres://grille:***@db.example/grille"),
            ("postgres://grille@db.example/grille", "postgres://grille@db.example/grille"),
            ("postgres://db.example/grille?user=x", "postgres://db.example/grille?user=x"),
        ];
        for (url, shown) in cases {
            assert_eq!(Location::Postgres(url.into()).to_string(), shown);
        }
    }

    #[test]
    fn the_checksum_ignores_row_order_but_not_values_or_types() {
        let a = vec![AnyValue::Integer(1), AnyValue::Text("a".into()), AnyValue::Null];
        let b = vec![AnyValue::Integer(2), AnyValue::Bytes(b"a".to_vec()), AnyValue::Text(String::new())];
        let both = checksum(&[a.clone(), b.clone()]);
        assert_eq!(both, checksum(&[b.clone(), a.clone()]));
        let typed = vec![AnyValue::Integer(1), AnyValue::Bytes(b"a".to_vec()), AnyValue::Null];
        assert_ne!(both, checksum(&[typed, b.clone()]));
        let empty_text =
            vec![AnyValue::Integer(1), AnyValue::Text("a".into()), AnyValue::Text(String::new())];
        assert_ne!(both, checksum(&[empty_text, b]));
        assert_ne!(checksum(&[]), checksum(&[vec![]]));
    }
}
