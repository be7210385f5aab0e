//! What the case bank and the document bank keep alike: versions in a
//! table of ours, each row with a state, an optimistic `row_version` and
//! audited changes. The banks differ in their columns and in which moves
//! they allow; reading, listing and moving a row to a state are written
//! once here.

use crate::audit::record_in;
use crate::db::{Db, Row};
use crate::{Actor, StoreError};

/// One bank's table and records.
pub(crate) trait Bank {
    /// What a row is read into.
    type Record;
    /// The table (a name of ours, written into SQL as it is).
    const TABLE: &'static str;
    /// The columns [`Bank::read`] takes, in its order.
    const COLUMNS: &'static str;
    /// The order of [`read_all`].
    const ORDER: &'static str;
    /// What a row is called: in a refusal, and before the state in the
    /// audit action of a move (`case.ready`, `document.ready`).
    const ENTITY: &'static str;
    /// What the audit log calls a row.
    const AUDIT_ENTITY: &'static str;

    /// Reads one row of [`Bank::COLUMNS`].
    fn read(row: &Row<'_>) -> Result<Self::Record, StoreError>;

    /// The row id.
    fn id(record: &Self::Record) -> i64;

    /// The row's optimistic-concurrency version.
    fn row_version(record: &Self::Record) -> i64;

    /// What the audit log keeps of a row (not its text).
    fn audit_view(record: &Self::Record) -> serde_json::Value;

    /// Appends the audit entry of a change of `after` (from `before`).
    fn audit(
        db: &Db<'_>,
        actor: &Actor,
        action: &str,
        before: Option<&Self::Record>,
        after: &Self::Record,
    ) -> Result<(), StoreError> {
        let before = before.map(Self::audit_view);
        let id = Self::id(after).to_string();
        record_in(db, actor, action, Self::AUDIT_ENTITY, &id, before.as_ref(), Some(&Self::audit_view(after)))
    }
}

/// The row `id` of bank `B`, if there is one.
pub(crate) fn read_one<B: Bank>(db: &Db<'_>, id: i64) -> Result<Option<B::Record>, StoreError> {
    db.row_opt(&format!("SELECT {} FROM {} WHERE id = ?1", B::COLUMNS, B::TABLE), [id], B::read)
}

/// The row `id` of bank `B`, which must exist.
pub(crate) fn read_existing<B: Bank>(db: &Db<'_>, id: i64) -> Result<B::Record, StoreError> {
    read_one::<B>(db, id)?.ok_or(StoreError::NotFound { entity: B::ENTITY })
}

/// Every row of bank `B`, in its order.
pub(crate) fn read_all<B: Bank>(db: &Db<'_>) -> Result<Vec<B::Record>, StoreError> {
    db.rows(&format!("SELECT {} FROM {} ORDER BY {}", B::COLUMNS, B::TABLE, B::ORDER), (), B::read)
}

/// Moves row `id` of bank `B` to `state` if the row is still at `expected`
/// and `allowed` accepts the row as it is, audited as `<entity>.<state>`.
pub(crate) fn set_state<B: Bank>(
    db: &Db<'_>,
    actor: &Actor,
    id: i64,
    expected: i64,
    state: &str,
    allowed: impl FnOnce(&B::Record) -> Result<(), StoreError>,
) -> Result<B::Record, StoreError> {
    let before = read_existing::<B>(db, id)?;
    allowed(&before)?;
    let changed = db.run(
        &format!(
            "UPDATE {} SET state = ?1, row_version = row_version + 1, updated_at = ?2
             WHERE id = ?3 AND row_version = ?4",
            B::TABLE
        ),
        (state, crate::time::now(), id, expected),
    )?;
    crate::versioned::refuse_if_stale(changed, Some(expected), B::row_version(&before))?;
    let after = read_existing::<B>(db, id)?;
    B::audit(db, actor, &format!("{}.{state}", B::ENTITY), Some(&before), &after)?;
    Ok(after)
}

/// Marks row `id` of bank `B` used (pinned by a session) whatever its
/// version: the session's own write decides, and a used row never changes
/// again. The caller audits the pinning.
pub(crate) fn mark_row_used<B: Bank>(db: &Db<'_>, id: i64) -> Result<(), StoreError> {
    db.run(
        &format!(
            "UPDATE {} SET state = 'used', row_version = row_version + 1, updated_at = ?1 WHERE id = ?2",
            B::TABLE
        ),
        (crate::time::now(), id),
    )?;
    Ok(())
}
