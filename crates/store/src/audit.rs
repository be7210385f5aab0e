//! The append-only audit log. Rows are written only by [`record`], inside
//! the transaction of the write they describe; nothing updates or deletes
//! them.
//!
//! # The hash chain
//!
//! The log is tamper-evident: every entry stores the hash of the entry
//! before it (`previous_hash`) and its own `hash`, the lowercase hex of
//!
//! ```text
//! SHA-256(previous_hash || canonical serialisation of the entry)
//! ```
//!
//! where the first entry's `previous_hash` is [`GENESIS_HASH`] (64 zeros)
//! and the canonical serialisation is the compact JSON array of the stored
//! values `[id, at, actor_id, actor, action, entity, entity_id,
//! before_value, after_value]` (integers as numbers, texts as JSON strings
//! — `before_value` and `after_value` are the JSON *texts* as stored —,
//! absent values as `null`). [`record`] reads the last hash inside the
//! writing transaction (or group-commit savepoint), so the chain stays
//! linear and an entry rolled back with its savepoint is simply not there:
//! the next one takes its id and chains to the entry before it.
//!
//! [`Store::verify_audit_chain`] and [`verify_audit_file`] walk the chain:
//! an edited entry no longer matches its hash; a deleted or inserted entry
//! breaks the link of the entry after it. Removing the newest entries is
//! not detectable from the log alone: the hash printed by a successful
//! verification, kept elsewhere, anchors the chain up to that point.

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::db::{AnyValue, Db, Row};
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
        "evaluation" | "agreed_evaluation" | "arbiter_evaluation" | "result" | "session_case"
        | "submission" => {
            let mut parts = entry.entity_id.split('/');
            let session = parts.next().and_then(|text| text.parse().ok());
            Scope::Cohort(session, parts.next())
        }
        "candidate" => Scope::Cohort(recorded_session(), Some(entry.entity_id.as_str())),
        // Who arbitrates a school's mock exam is the school's own business.
        "arbiter_assignment" => Scope::Cohort(recorded_session(), None),
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

/// The `previous_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an entry: SHA-256 of the previous hash followed by the
/// canonical serialisation of the entry's stored values (see the module).
fn entry_hash(previous: &str, fields: Vec<Value>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(Value::Array(fields).to_string().as_bytes());
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A stored value as it enters the canonical serialisation.
fn canonical(value: AnyValue) -> Value {
    match value {
        AnyValue::Null => Value::Null,
        AnyValue::Integer(number) => Value::from(number),
        AnyValue::Text(text) => Value::String(text),
        AnyValue::Bytes(bytes) => Value::String(bytes.iter().map(|byte| format!("{byte:02x}")).collect()),
    }
}

/// The columns of an entry in canonical order, then its links.
const CHAIN_COLUMNS: &str = "id, at, actor_id, actor, action, entity, entity_id, before_value, after_value, \
     previous_hash, hash";

/// One stored entry as the chain sees it.
struct ChainRow {
    fields: Vec<Value>,
    previous_hash: Option<String>,
    hash: Option<String>,
}

fn chain_row(row: &Row<'_>) -> Result<ChainRow, StoreError> {
    let mut fields = Vec::with_capacity(9);
    for index in 0..9 {
        fields.push(canonical(row.get::<AnyValue>(index)?));
    }
    Ok(ChainRow { fields, previous_hash: row.get(9)?, hash: row.get(10)? })
}

/// Appends an entry, chained to the last one. Called by every write
/// method, inside its transaction.
/// Records `action` by `user` about their own account (login, logout,
/// password, second factor): the actor and the entity are the same user.
pub(crate) fn record_own(
    db: &Db<'_>,
    user: &crate::User,
    action: &str,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    record_in(db, &Actor::user(user), action, "user", &user.id.to_string(), None, after)
}

/// Appends the entry of a versioned row's save: the row as it was (none
/// when the save created it) and as it is now, each as its JSON.
pub(crate) fn record_save<T: serde::Serialize>(
    db: &Db<'_>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&T>,
    after: &T,
) -> Result<(), StoreError> {
    let before = before.map(|before| serde_json::json!(before));
    record_in(db, actor, action, entity, entity_id, before.as_ref(), Some(&serde_json::json!(after)))
}

/// Appends an entry, chained to the last one, inside the transaction of
/// the write it describes (on either backend).
pub(crate) fn record_in(
    db: &Db<'_>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    // Read inside the current transaction (or savepoint): writers are
    // serial on both backends (one SQLite writer; PostgreSQL's write lock
    // taken at the start of the transaction), so nothing can come between
    // this read and the insert.
    let (last_id, previous) = db
        .row_opt("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", (), |row| {
            Ok((row.get::<i64>(0)?, row.get::<Option<String>>(1)?))
        })?
        .map_or((0, None), |(id, hash)| (id, hash));
    let previous = previous.unwrap_or_else(|| GENESIS_HASH.to_owned());
    let id = last_id + 1;
    let at = crate::time::now();
    let before = before.map(Value::to_string);
    let after = after.map(Value::to_string);
    let hash = entry_hash(
        &previous,
        vec![
            Value::from(id),
            Value::from(at.as_str()),
            actor.user_id.map_or(Value::Null, Value::from),
            Value::from(actor.name.as_str()),
            Value::from(action),
            Value::from(entity),
            Value::from(entity_id),
            before.as_deref().map_or(Value::Null, Value::from),
            after.as_deref().map_or(Value::Null, Value::from),
        ],
    );
    db.run(
        "INSERT INTO audit_log
         (id, at, actor_id, actor, action, entity, entity_id, before_value, after_value, previous_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        (id, &at, actor.user_id, &actor.name, action, entity, entity_id, &before, &after, &previous, &hash),
    )?;
    Ok(())
}

/// Chains the entries written before migration 6, in id order. Run by the
/// migration, inside its transaction, right after its SQL.
pub(crate) fn chain_existing(db: &Db<'_>) -> Result<(), StoreError> {
    let rows = db.rows(&format!("SELECT {CHAIN_COLUMNS} FROM audit_log ORDER BY id"), (), |row| {
        Ok((row.get::<i64>(0)?, chain_row(row)?.fields))
    })?;
    let mut previous = GENESIS_HASH.to_owned();
    for (id, fields) in rows {
        let hash = entry_hash(&previous, fields);
        db.run("UPDATE audit_log SET previous_hash = ?2, hash = ?3 WHERE id = ?1", (id, &previous, &hash))?;
        previous = hash;
    }
    Ok(())
}

/// The outcome of walking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    /// Every entry matches its hash and links to the one before.
    Intact(AuditChainSummary),
    /// The first entry that does not.
    Broken(AuditBreak),
    /// The database has no chain to check: it predates migration 6 (start
    /// grille once on it to chain its log), or is not a grille database.
    /// Only [`verify_audit_file`] answers this.
    Unchained,
}

/// An intact chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditChainSummary {
    /// How many entries were checked.
    pub entries: i64,
    /// When the first was written (`None` for an empty log).
    pub first_at: Option<String>,
    /// When the last was written (`None` for an empty log).
    pub last_at: Option<String>,
    /// The last entry's hash ([`GENESIS_HASH`] for an empty log): kept
    /// elsewhere, it lets a later check see that no entry up to this one
    /// was removed from the end.
    pub last_hash: String,
}

/// The first entry where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    /// Its id.
    pub id: i64,
    /// Its time, as stored.
    pub at: String,
    /// Its action, as stored.
    pub action: String,
    /// Its entity, as stored.
    pub entity: String,
    /// Its entity id, as stored.
    pub entity_id: String,
    /// What is wrong.
    pub problem: ChainProblem,
    /// How many entries before it are intact.
    pub intact_before: i64,
}

/// How an entry breaks the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainProblem {
    /// Its content does not match its hash: the entry was edited (or added
    /// outside grille, without a hash).
    HashMismatch,
    /// It does not link to the entry before it: an entry was deleted or
    /// inserted before it.
    LinkMismatch,
}

/// Walks the whole chain in id order, in one read transaction (one
/// snapshot: writes committed meanwhile are not seen, and cannot make the
/// walk fail).
fn walk(db: &Db<'_>) -> Result<AuditVerification, StoreError> {
    let mut expected_previous = GENESIS_HASH.to_owned();
    let mut entries = 0;
    let mut first_at = None;
    let mut last_at = None;
    let mut broken = None;
    db.for_each(&format!("SELECT {CHAIN_COLUMNS} FROM audit_log ORDER BY id"), (), |row| {
        let ChainRow { fields, previous_hash, hash } = chain_row(row)?;
        let text = |index: usize| match &fields[index] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let at = text(1);
        let problem = match (&previous_hash, &hash) {
            (Some(previous), Some(hash)) if entry_hash(previous, fields.clone()) != *hash => {
                Some(ChainProblem::HashMismatch)
            }
            (None, _) | (_, None) => Some(ChainProblem::HashMismatch),
            (Some(previous), Some(_)) if *previous != expected_previous => Some(ChainProblem::LinkMismatch),
            _ => None,
        };
        if let Some(problem) = problem {
            broken = Some(AuditBreak {
                id: fields[0].as_i64().unwrap_or_default(),
                at,
                action: text(4),
                entity: text(5),
                entity_id: text(6),
                problem,
                intact_before: entries,
            });
            return Ok(false);
        }
        entries += 1;
        if first_at.is_none() {
            first_at = Some(at.clone());
        }
        last_at = Some(at);
        expected_previous = hash.unwrap_or_default();
        Ok(true)
    })?;
    if let Some(broken) = broken {
        return Ok(AuditVerification::Broken(broken));
    }
    Ok(AuditVerification::Intact(AuditChainSummary {
        entries,
        first_at,
        last_at,
        last_hash: expected_previous,
    }))
}

/// Checks the audit chain of the database file at `path` without changing
/// it (read-only, like a backup), whether a server is using it or not.
pub fn verify_audit_file(path: &Path) -> Result<AuditVerification, StoreError> {
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    connection.busy_timeout(std::time::Duration::from_secs(10))?;
    let chained: i64 = connection.query_row(
        "SELECT COUNT(*) FROM pragma_table_info('audit_log') WHERE name IN ('previous_hash', 'hash')",
        [],
        |row| row.get(0),
    )?;
    if chained < 2 {
        return Ok(AuditVerification::Unchained);
    }
    let transaction = connection.unchecked_transaction()?;
    walk(&Db::Sqlite(&transaction))
}

impl Store {
    /// Reads the audit log, newest first, without what
    /// [`AuditQuery::hidden_sessions`] and [`AuditQuery::hidden_registers`]
    /// hide (the limit counts the entries returned).
    pub fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = usize::from(u16::try_from(query.limit.unwrap_or(100).min(1000)).unwrap_or(1000));
        let hiding = !query.hidden_sessions.is_empty() || !query.hidden_registers.is_empty();
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.read_db(|db| {
            let hidden_numbers: BTreeSet<String> = if query.hidden_registers.is_empty() {
                BTreeSet::new()
            } else {
                let rows = db.rows(
                    "SELECT candidate_number, school_id FROM candidates WHERE school_id IS NOT NULL",
                    (),
                    |row| Ok((row.get::<String>(0)?, row.get::<i64>(1)?)),
                )?;
                rows.into_iter()
                    .filter(|(_, school)| query.hidden_registers.contains(school))
                    .map(|(number, _)| number)
                    .collect()
            };
            // Without anything to hide, the database applies the limit.
            let sql_limit = if hiding { i64::MAX } else { i64::try_from(limit).unwrap_or(1000) };
            let mut entries = Vec::new();
            db.for_each(
                "SELECT id, at, actor_id, actor, action, entity, entity_id, before_value, after_value
                 FROM audit_log
                 WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
                 ORDER BY id DESC LIMIT ?3",
                (&query.entity, &query.entity_id, sql_limit),
                |row| {
                    let (mut entry, before, after) = (
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
                        row.get::<Option<String>>(7)?,
                        row.get::<Option<String>>(8)?,
                    );
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
                            return Ok(true);
                        }
                        _ => {}
                    }
                    entries.push(entry);
                    Ok(entries.len() < limit)
                },
            )?;
            Ok(entries)
        })
    }

    /// Walks the audit log's hash chain in id order, in one read
    /// transaction, and says whether it is intact or where it first breaks.
    pub fn verify_audit_chain(&self) -> Result<AuditVerification, StoreError> {
        self.read_snapshot(walk)
    }

    /// The number of audit entries (for tests and monitoring).
    pub fn audit_count(&self) -> Result<i64, StoreError> {
        self.read_db(|db| {
            Ok(db.row_opt("SELECT COUNT(*) FROM audit_log", (), |row| row.get(0))?.unwrap_or(0))
        })
    }
}

fn parse_json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::BadValue(format!("audit JSON: {error}")))
}
