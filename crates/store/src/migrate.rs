//! Schema migrations: `.sql` files embedded at build time, applied in order
//! and recorded in `schema_migrations`.

use rusqlite::Connection;

use crate::StoreError;

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
];

/// The migration that adds the audit log's hash chain: right after its SQL,
/// the entries already in the log are chained in Rust (SQLite has no
/// SHA-256), in the same transaction.
const AUDIT_CHAIN: i64 = 6;

pub(crate) fn apply(connection: &mut Connection) -> Result<(), StoreError> {
    apply_until(connection, i64::MAX)
}

/// Applies the pending migrations up to `last` (included): every one for
/// [`apply`]; the tests stop earlier to build an old database.
pub(crate) fn apply_until(connection: &mut Connection, last: i64) -> Result<(), StoreError> {
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )",
    )?;
    let done = applied(connection)?;
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    if let Some(&found) = done.last()
        && found > known
    {
        return Err(StoreError::TooNew { found, known });
    }
    for migration in
        MIGRATIONS.iter().filter(|migration| migration.version <= last && !done.contains(&migration.version))
    {
        let failed =
            |source| StoreError::Migration { version: migration.version, name: migration.name, source };
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration.sql).map_err(failed)?;
        if migration.version == AUDIT_CHAIN {
            crate::audit::chain_existing(&transaction).map_err(failed)?;
        }
        transaction
            .execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                (migration.version, migration.name, crate::time::now()),
            )
            .map_err(failed)?;
        transaction.commit()?;
    }
    Ok(())
}

pub(crate) fn applied(connection: &Connection) -> Result<Vec<i64>, StoreError> {
    let mut statement = connection.prepare("SELECT version FROM schema_migrations ORDER BY version")?;
    let versions = statement.query_map([], |row| row.get(0))?.collect::<Result<Vec<i64>, _>>()?;
    Ok(versions)
}
