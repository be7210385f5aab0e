//! The append-only audit log. Rows are written only by [`record`], inside
//! the transaction of the write they describe; nothing updates or deletes
//! them.

use crate::CachedSql as _;
use rusqlite::{Connection, OptionalExtension as _};
use serde_json::Value;

use crate::{Actor, Store, StoreError};

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// Increasing id: the order of the writes.
    pub id: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// The user id, `None` for the system.
    pub actor_id: Option<i64>,
    /// The username or `system`.
    pub actor: String,
    /// What was done, e.g. `user.create`, `session.create`.
    pub action: String,
    /// The kind of thing changed, e.g. `user`, `exam_session`.
    pub entity: String,
    /// Its id (as text, since keys differ by entity).
    pub entity_id: String,
    /// The value before, as JSON, if there was one.
    pub before: Option<Value>,
    /// The value after, as JSON, if there is one.
    pub after: Option<Value>,
}

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only entries about this kind of entity.
    pub entity: Option<String>,
    /// Only entries about this entity id (with `entity`).
    pub entity_id: Option<String>,
    /// At most this many entries, newest first (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// Appends an entry. Called by every write method, inside its transaction.
pub(crate) fn record(
    connection: &Connection,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    connection.run(
        "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, before_value, after_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (
            crate::time::now(),
            actor.user_id,
            &actor.name,
            action,
            entity,
            entity_id,
            before.map(Value::to_string),
            after.map(Value::to_string),
        ),
    )?;
    Ok(())
}

impl Store {
    /// Reads the audit log, newest first.
    pub fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = i64::from(query.limit.unwrap_or(100).min(1000));
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, at, actor_id, actor, action, entity, entity_id, before_value, after_value
                 FROM audit_log
                 WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
                 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows = statement.query_map((&query.entity, &query.entity_id, limit), |row| {
                Ok((
                    AuditEntry {
                        id: row.get(0)?,
                        at: row.get(1)?,
                        actor_id: row.get(2)?,
                        actor: row.get(3)?,
                        action: row.get(4)?,
                        entity: row.get(5)?,
                        entity_id: row.get(6)?,
                        before: None,
                        after: None,
                    },
                    row.get::<_, Option<String>>(7)?,
                    row.get::<_, Option<String>>(8)?,
                ))
            })?;
            let mut entries = Vec::new();
            for row in rows {
                let (mut entry, before, after) = row?;
                entry.before = before.map(|text| parse_json(&text)).transpose()?;
                entry.after = after.map(|text| parse_json(&text)).transpose()?;
                entries.push(entry);
            }
            Ok(entries)
        })
    }

    /// The number of audit entries (for tests and monitoring).
    pub fn audit_count(&self) -> Result<i64, StoreError> {
        self.read(|connection| {
            Ok(connection
                .row("SELECT COUNT(*) FROM audit_log", [], |row| row.get(0))
                .optional()?
                .unwrap_or(0))
        })
    }
}

fn parse_json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::BadValue(format!("audit JSON: {error}")))
}
