//! The optimistic-concurrency rule every versioned row of the store keeps:
//! a writer names the version it saw, and an `UPDATE ... WHERE version = ?`
//! that changes nothing means another write came first.

use crate::StoreError;

/// What a write of a versioned row does, decided from the version stored
/// and the version its writer saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionedWrite {
    /// Nothing is stored and the writer saw nothing: insert at version 1.
    Create,
    /// The writer saw `expected`: update the row if it is still there.
    Update {
        /// The version the update requires.
        expected: i64,
        /// The version stored when the write began, for a refusal.
        current: i64,
    },
}

/// The rule of a row that a writer creates by naming no version and
/// updates by naming the one it saw: a version named for a row that does
/// not exist is [`StoreError::NotFound`] (`entity`), no version named for
/// one that does is [`StoreError::StaleVersion`].
pub(crate) fn versioned_write(
    stored: Option<i64>,
    expected: Option<i64>,
    entity: &'static str,
) -> Result<VersionedWrite, StoreError> {
    match (stored, expected) {
        (None, None) => Ok(VersionedWrite::Create),
        (None, Some(_)) => Err(StoreError::NotFound { entity }),
        (Some(current), None) => Err(StoreError::StaleVersion { expected: None, current }),
        (Some(current), Some(expected)) => Ok(VersionedWrite::Update { expected, current }),
    }
}

/// The answer to a versioned `UPDATE`: `changed` rows written is the
/// write done; none means the row moved on from `expected`, and `current`
/// (the version read before the update) goes into the refusal.
pub(crate) fn refuse_if_stale(changed: usize, expected: Option<i64>, current: i64) -> Result<(), StoreError> {
    if changed == 0 { Err(StoreError::StaleVersion { expected, current }) } else { Ok(()) }
}
