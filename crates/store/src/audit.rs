//! The append-only audit log. Rows are written only by [`record`], inside
//! the transaction of the write they describe; nothing updates or deletes
//! them.

use crate::CachedSql as _;
use rusqlite::{Connection, OptionalExtension as _};
use std::collections::BTreeSet;

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
    /// Sessions whose cohort the reader may not see: entries about their
    /// candidates, assignments, evaluations, agreed evaluations and
    /// results are left out, and the results recorded in the session's
    /// own entries (finalisation) are removed from them.
    pub hidden_sessions: BTreeSet<i64>,
    /// Registers (schools) whose candidates the reader may not see:
    /// entries about those candidate numbers are left out.
    pub hidden_registers: BTreeSet<i64>,
}

/// What an entry is about, as far as hiding goes.
enum Scope<'a> {
    /// An entry about the session itself (its description, its states).
    Session(i64),
    /// An entry about a session's cohort (session id when recorded, and
    /// the candidate number when the entry names one).
    Cohort(Option<i64>, Option<&'a str>),
    /// Anything else.
    Other,
}

/// The scope of an entry, from the ids and values written by the store's
/// own write methods.
fn scope_of(entry: &AuditEntry) -> Scope<'_> {
    let recorded_session = || {
        [&entry.after, &entry.before]
            .into_iter()
            .flatten()
            .find_map(|value| value.get("session_id").and_then(Value::as_i64))
    };
    match entry.entity.as_str() {
        "exam_session" => entry.entity_id.parse().map_or(Scope::Other, Scope::Session),
        // `{session}/{number}/...`
        "evaluation" | "agreed_evaluation" | "result" => {
            let mut parts = entry.entity_id.split('/');
            let session = parts.next().and_then(|text| text.parse().ok());
            Scope::Cohort(session, parts.next())
        }
        "candidate" => Scope::Cohort(recorded_session(), Some(entry.entity_id.as_str())),
        "examiner_assignment" => Scope::Cohort(
            recorded_session(),
            entry.after.as_ref().and_then(|value| value["assignment"]["candidate_number"].as_str()),
        ),
        "user" => match entry.after.as_ref().and_then(|value| value.get("candidate_number")) {
            Some(number) => Scope::Cohort(None, number.as_str()),
            None => Scope::Other,
        },
        _ => Scope::Other,
    }
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
    /// Reads the audit log, newest first, without what
    /// [`AuditQuery::hidden_sessions`] and [`AuditQuery::hidden_registers`]
    /// hide (the limit counts the entries returned).
    pub fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = usize::from(u16::try_from(query.limit.unwrap_or(100).min(1000)).unwrap_or(1000));
        let hiding = !query.hidden_sessions.is_empty() || !query.hidden_registers.is_empty();
        self.read(|connection| {
            let hidden_numbers: BTreeSet<String> = if query.hidden_registers.is_empty() {
                BTreeSet::new()
            } else {
                let mut statement = connection.prepare_cached(
                    "SELECT candidate_number, school_id FROM candidates WHERE school_id IS NOT NULL",
                )?;
                let rows =
                    statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))?;
                let mut numbers = BTreeSet::new();
                for row in rows {
                    let (number, school) = row?;
                    if query.hidden_registers.contains(&school) {
                        numbers.insert(number);
                    }
                }
                numbers
            };
            // Without anything to hide, the database applies the limit.
            let sql_limit = if hiding { -1 } else { i64::try_from(limit).unwrap_or(1000) };
            let mut statement = connection.prepare_cached(
                "SELECT id, at, actor_id, actor, action, entity, entity_id, before_value, after_value
                 FROM audit_log
                 WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
                 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows = statement.query_map((&query.entity, &query.entity_id, sql_limit), |row| {
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
                if entries.len() >= limit {
                    break;
                }
                let (mut entry, before, after) = row?;
                entry.before = before.map(|text| parse_json(&text)).transpose()?;
                entry.after = after.map(|text| parse_json(&text)).transpose()?;
                match scope_of(&entry) {
                    Scope::Session(session) if query.hidden_sessions.contains(&session) => {
                        for value in [&mut entry.before, &mut entry.after].into_iter().flatten() {
                            if let Some(object) = value.as_object_mut() {
                                object.remove("results");
                            }
                        }
                    }
                    Scope::Cohort(session, number)
                        if session.is_some_and(|session| query.hidden_sessions.contains(&session))
                            || number.is_some_and(|number| hidden_numbers.contains(number)) =>
                    {
                        continue;
                    }
                    _ => {}
                }
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
