//! Schema migrations: `.sql` files embedded at build time, applied in order
//! and recorded in `schema_migrations`.

use rusqlite::Connection;

use crate::StoreError;
use crate::db::{Db, Dialect, Pool};

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number; migrations run in increasing order.
    pub version: i64,
    /// Its file name.
    pub name: &'static str,
    /// Its SQL.
    pub sql: &'static str,
}

/// Every migration, in order. A new file gets the next number and a line
/// here; an applied file is never edited.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_initial.sql", sql: include_str!("../migrations/0001_initial.sql") },
    Migration { version: 2, name: "0002_workflow.sql", sql: include_str!("../migrations/0002_workflow.sql") },
    Migration { version: 3, name: "0003_schools.sql", sql: include_str!("../migrations/0003_schools.sql") },
    Migration {
        version: 4,
        name: "0004_self_assessments.sql",
        sql: include_str!("../migrations/0004_self_assessments.sql"),
    },
    Migration {
        version: 5,
        name: "0005_session_revision.sql",
        sql: include_str!("../migrations/0005_session_revision.sql"),
    },
    Migration {
        version: 6,
        name: "0006_audit_chain.sql",
        sql: include_str!("../migrations/0006_audit_chain.sql"),
    },
    Migration { version: 7, name: "0007_sessions.sql", sql: include_str!("../migrations/0007_sessions.sql") },
    Migration { version: 8, name: "0008_totp.sql", sql: include_str!("../migrations/0008_totp.sql") },
    Migration { version: 9, name: "0009_cases.sql", sql: include_str!("../migrations/0009_cases.sql") },
    Migration {
        version: 10,
        name: "0010_submissions.sql",
        sql: include_str!("../migrations/0010_submissions.sql"),
    },
    Migration {
        version: 11,
        name: "0011_document_bank.sql",
        sql: include_str!("../migrations/0011_document_bank.sql"),
    },
    Migration {
        version: 12,
        name: "0012_submission_windows.sql",
        sql: include_str!("../migrations/0012_submission_windows.sql"),
    },
    Migration {
        version: 13,
        name: "0013_register_numbers.sql",
        sql: include_str!("../migrations/0013_register_numbers.sql"),
    },
    Migration {
        version: 14,
        name: "0014_accounts.sql",
        sql: include_str!("../migrations/0014_accounts.sql"),
    },
    Migration {
        version: 15,
        name: "0015_board_identity.sql",
        sql: include_str!("../migrations/0015_board_identity.sql"),
    },
    Migration {
        version: 16,
        name: "0016_correction_proposals.sql",
        sql: include_str!("../migrations/0016_correction_proposals.sql"),
    },
    Migration {
        version: 17,
        name: "0017_arbitration.sql",
        sql: include_str!("../migrations/0017_arbitration.sql"),
    },
    Migration {
        version: 18,
        name: "0018_development_plans.sql",
        sql: include_str!("../migrations/0018_development_plans.sql"),
    },
    Migration {
        version: 19,
        name: "0019_candidate_register.sql",
        sql: include_str!("../migrations/0019_candidate_register.sql"),
    },
    Migration {
        version: 20,
        name: "0020_standard_setting.sql",
        sql: include_str!("../migrations/0020_standard_setting.sql"),
    },
    Migration {
        version: 21,
        name: "0021_account_email.sql",
        sql: include_str!("../migrations/0021_account_email.sql"),
    },
    Migration {
        version: 22,
        name: "0022_candidate_canton.sql",
        sql: include_str!("../migrations/0022_candidate_canton.sql"),
    },
    Migration {
        version: 23,
        name: "0023_login_throttle.sql",
        sql: include_str!("../migrations/0023_login_throttle.sql"),
    },
    Migration {
        version: 24,
        name: "0024_remark_language.sql",
        sql: include_str!("../migrations/0024_remark_language.sql"),
    },
    Migration {
        version: 25,
        name: "0025_justification_language.sql",
        sql: include_str!("../migrations/0025_justification_language.sql"),
    },
];

/// The PostgreSQL text of the migrations that the mechanical translation
/// ([`postgres_translation`]) cannot give: triggers (PL/pgSQL functions
/// instead of SQLite's trigger bodies), tables SQLite rebuilds where
/// PostgreSQL alters a constraint, `strftime` and `instr`. Every other
/// migration is its SQLite file, translated. A test checks that no
/// SQLite-only construct is left in a translated file.
pub(crate) const POSTGRES_VARIANTS: &[(i64, &str)] = &[
    (5, include_str!("../migrations/postgres/0005_session_revision.sql")),
    (7, include_str!("../migrations/postgres/0007_sessions.sql")),
    (9, include_str!("../migrations/postgres/0009_cases.sql")),
    (10, include_str!("../migrations/postgres/0010_submissions.sql")),
    (11, include_str!("../migrations/postgres/0011_document_bank.sql")),
    (12, include_str!("../migrations/postgres/0012_submission_windows.sql")),
    (13, include_str!("../migrations/postgres/0013_register_numbers.sql")),
    (17, include_str!("../migrations/postgres/0017_arbitration.sql")),
    (21, include_str!("../migrations/postgres/0021_account_email.sql")),
    (24, include_str!("../migrations/postgres/0024_remark_language.sql")),
];

/// The column type of a generated id on PostgreSQL (SQLite's `INTEGER
/// PRIMARY KEY`, an alias of the row id). `BY DEFAULT`, not `ALWAYS`, so
/// that a copied database keeps its ids.
const POSTGRES_IDENTITY: &str = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";

/// The differences between the two dialects that a migration file may
/// contain without a PostgreSQL variant, in the order they are applied:
/// a generated id (`AUTOINCREMENT`, or a column named `id` declared
/// `INTEGER PRIMARY KEY`) becomes an identity column, every other
/// `INTEGER` a `BIGINT` (SQLite integers are 64-bit; the store binds and
/// reads `i64`), `BLOB` becomes `BYTEA`. Booleans stay integers 0/1 with
/// their `CHECK` on both.
pub(crate) fn postgres_translation(sql: &str) -> String {
    let sql = sql
        .replace("INTEGER PRIMARY KEY AUTOINCREMENT", POSTGRES_IDENTITY)
        .replace(" id INTEGER PRIMARY KEY,", &format!(" id {POSTGRES_IDENTITY},"));
    let sql = replace_word(&sql, "INTEGER", "BIGINT");
    replace_word(&sql, "BLOB", "BYTEA")
}

/// What a translated migration must not contain: it needs a PostgreSQL
/// variant in [`POSTGRES_VARIANTS`] instead.
#[cfg(test)]
pub(crate) const SQLITE_ONLY: &[&str] = &[
    "TRIGGER",
    "PRAGMA",
    "AUTOINCREMENT",
    "strftime",
    "instr(",
    "RAISE(",
    "TEMPORARY",
    " OR IGNORE",
    " OR REPLACE",
];

/// `sql` with every whole-word, upper-case `word` replaced.
fn replace_word(sql: &str, word: &str, by: &str) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            out.push_str(word);
        } else {
            out.push_str(by);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// The SQL of `migration` for `dialect`.
pub(crate) fn migration_sql(migration: &Migration, dialect: Dialect) -> std::borrow::Cow<'static, str> {
    match dialect {
        Dialect::Sqlite => migration.sql.into(),
        Dialect::Postgres => {
            match POSTGRES_VARIANTS.iter().find(|(version, _)| *version == migration.version) {
                Some((_, sql)) => (*sql).into(),
                None => postgres_translation(migration.sql).into(),
            }
        }
    }
}

/// The migration that adds the audit log's hash chain: right after its SQL,
/// the entries already in the log are chained in Rust (SQLite has no
/// SHA-256), in the same transaction.
const AUDIT_CHAIN: i64 = 6;

const SCHEMA_MIGRATIONS: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

pub(crate) fn apply(connection: &mut Connection) -> Result<(), StoreError> {
    apply_until(connection, i64::MAX)
}

/// Applies the pending migrations up to `last` (included): every one for
/// [`apply`]; the tests stop earlier to build an old database.
pub(crate) fn apply_until(connection: &mut Connection, last: i64) -> Result<(), StoreError> {
    connection.execute_batch(SCHEMA_MIGRATIONS)?;
    for migration in pending(&Db::Sqlite(connection), last)? {
        let transaction = connection.transaction()?;
        apply_one(&Db::Sqlite(&transaction), migration)?;
        transaction.commit()?;
    }
    Ok(())
}

/// [`apply_until`] on PostgreSQL: each migration in its own write
/// transaction, which holds the write lock, so that two instances starting
/// together apply each migration once.
pub(crate) fn apply_postgres(pool: &Pool, last: i64) -> Result<(), StoreError> {
    pool.transaction(true, |db| db.batch(&postgres_translation(SCHEMA_MIGRATIONS)))?;
    loop {
        let applied = pool.transaction(true, |db| {
            let Some(migration) = pending(db, last)?.into_iter().next() else {
                return Ok(false);
            };
            apply_one(db, migration)?;
            Ok(true)
        })?;
        if !applied {
            return Ok(());
        }
    }
}

/// The migrations up to `last` not applied yet, in order;
/// [`StoreError::TooNew`] for a database of a newer grille.
fn pending(db: &Db<'_>, last: i64) -> Result<Vec<&'static Migration>, StoreError> {
    let done = applied(db)?;
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    if let Some(&found) = done.last()
        && found > known
    {
        return Err(StoreError::TooNew { found, known });
    }
    Ok(MIGRATIONS
        .iter()
        .filter(|migration| migration.version <= last && !done.contains(&migration.version))
        .collect())
}

/// Applies one migration and records it, inside the caller's transaction.
fn apply_one(db: &Db<'_>, migration: &Migration) -> Result<(), StoreError> {
    let failed = |source: StoreError| StoreError::Migration {
        version: migration.version,
        name: migration.name,
        source: Box::new(source),
    };
    db.batch(&migration_sql(migration, db.dialect())).map_err(failed)?;
    if migration.version == AUDIT_CHAIN {
        crate::audit::chain_existing(db).map_err(failed)?;
    }
    db.run(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
        (migration.version, migration.name, crate::time::now()),
    )
    .map_err(failed)?;
    Ok(())
}

pub(crate) fn applied(db: &Db<'_>) -> Result<Vec<i64>, StoreError> {
    db.rows("SELECT version FROM schema_migrations ORDER BY version", (), |row| row.get(0))
}
