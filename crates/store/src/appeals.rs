//! The appeal register of a session (migration 0019): one row per appeal
//! received, with its status, decision day, linked correction proposals
//! and the file consultation asked for and held. The caller checks the
//! values (days, statuses, that the proposals are the session's); the
//! store keeps them, audits every write in the same transaction and
//! refuses a stale version.

use serde_json::json;

use crate::audit::record_in;
use crate::candidates::enrolled_candidate_id;
use crate::db::{Db, ToValue};
use crate::{Actor, CandidateNumber, Store, StoreError};

/// What the board writes about an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct AppealInput {
    /// The day the appeal was received (ISO).
    pub received_on: String,
    /// `received`, `under_review`, `upheld`, `partly_upheld`, `rejected`
    /// or `withdrawn`.
    pub status: String,
    /// The day it was decided (ISO), once decided.
    pub decided_on: Option<String>,
    /// The ids of the correction proposals it led to.
    pub corrections: Vec<i64>,
    /// The day the candidate asked to consult the file (ISO).
    pub consultation_requested_on: Option<String>,
    /// The day the consultation took place (ISO).
    pub consultation_held_on: Option<String>,
    /// A note of the board.
    pub note: Option<String>,
}

/// An appeal as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appeal {
    /// Its id.
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// The candidate.
    pub candidate_number: CandidateNumber,
    /// What was written.
    pub input: AppealInput,
    /// Its version (1 when recorded).
    pub version: i64,
    /// When last written (RFC 3339 UTC).
    pub updated_at: String,
    /// By whom.
    pub updated_by: String,
}

const COLUMNS: &str = "a.id, a.session_id, c.candidate_number, a.received_on, a.status, a.decided_on,
     a.corrections, a.consultation_requested_on, a.consultation_held_on, a.note, a.version, a.updated_at,
     a.updated_by";

fn appeal(row: &crate::db::Row<'_>) -> Result<Appeal, StoreError> {
    let corrections: String = row.get(6)?;
    Ok(Appeal {
        id: row.get(0)?,
        session_id: row.get(1)?,
        candidate_number: CandidateNumber::stored(row.get(2)?),
        input: AppealInput {
            received_on: row.get(3)?,
            status: row.get(4)?,
            decided_on: row.get(5)?,
            corrections: serde_json::from_str(&corrections).unwrap_or_default(),
            consultation_requested_on: row.get(7)?,
            consultation_held_on: row.get(8)?,
            note: row.get(9)?,
        },
        version: row.get(10)?,
        updated_at: row.get(11)?,
        updated_by: row.get(12)?,
    })
}

fn appeal_in(db: &Db<'_>, session_id: i64, id: i64) -> Result<Option<Appeal>, StoreError> {
    db.row_opt(
        &format!(
            "SELECT {COLUMNS} FROM appeals a JOIN candidates c ON c.id = a.candidate_id
                 WHERE a.session_id = ?1 AND a.id = ?2"
        ),
        (session_id, id),
        appeal,
    )
}

/// The audit snapshot of an appeal: the candidate number and what the
/// board wrote, never the note's text (it may name the person).
fn snapshot(number: &CandidateNumber, input: &AppealInput) -> serde_json::Value {
    json!({
        "candidate_number": number.as_str(),
        "received_on": input.received_on,
        "status": input.status,
        "decided_on": input.decided_on,
        "corrections": input.corrections,
        "consultation_requested_on": input.consultation_requested_on,
        "consultation_held_on": input.consultation_held_on,
        "note_given": input.note.is_some(),
    })
}

/// Calls `write` with the parameters of both writes of an appeal, which
/// use the same placeholders: ?1 and ?2 the row's keys (session and
/// candidate for a new appeal, id and version for an update), ?3 to ?9
/// the input, ?10 and ?11 when and by whom.
fn with_appeal_params<T>(
    keys: [i64; 2],
    input: &AppealInput,
    actor: &Actor,
    write: impl FnOnce(&[&dyn ToValue]) -> T,
) -> T {
    let corrections = serde_json::to_string(&input.corrections).unwrap_or_else(|_| "[]".to_owned());
    write(&[
        &keys[0],
        &keys[1],
        &input.received_on,
        &input.status,
        &input.decided_on,
        &corrections,
        &input.consultation_requested_on,
        &input.consultation_held_on,
        &input.note,
        &crate::time::now(),
        &actor.name,
    ])
}

impl Store {
    /// Records an appeal of candidate `number`, who must be enrolled in
    /// the session ([`StoreError::NotFound`] otherwise), audited.
    pub fn record_appeal(
        &self,
        actor: &Actor,
        session_id: i64,
        number: &CandidateNumber,
        input: &AppealInput,
    ) -> Result<Appeal, StoreError> {
        self.write(|db| {
            let candidate = enrolled_candidate_id(db, session_id, number)?;
            let id: i64 = with_appeal_params([session_id, candidate], input, actor, |params| {
                db.row(
                    "INSERT INTO appeals (session_id, candidate_id, received_on, status, decided_on, corrections,
                       consultation_requested_on, consultation_held_on, note, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                    params,
                    |row| row.get(0),
                )
            })?;
            let after = snapshot(number, input);
            record_in(db, actor, "appeal.record", "appeal", &id.to_string(), None, Some(&after))?;
            let saved = appeal_in(db, session_id, id)?.ok_or(StoreError::NotFound { entity: "appeal" })?;
            Ok(saved)
        })
    }

    /// Rewrites appeal `id` of the session if its version is still
    /// `expected` ([`StoreError::StaleVersion`] otherwise), audited with
    /// the before and after.
    pub fn update_appeal(
        &self,
        actor: &Actor,
        session_id: i64,
        id: i64,
        expected: i64,
        input: &AppealInput,
    ) -> Result<Appeal, StoreError> {
        self.write(|db| {
            let before = appeal_in(db, session_id, id)?.ok_or(StoreError::NotFound { entity: "appeal" })?;
            let changed = with_appeal_params([id, expected], input, actor, |params| {
                db.run(
                    "UPDATE appeals SET received_on = ?3, status = ?4, decided_on = ?5, corrections = ?6,
                       consultation_requested_on = ?7, consultation_held_on = ?8, note = ?9,
                       version = version + 1, updated_at = ?10, updated_by = ?11
                     WHERE id = ?1 AND version = ?2",
                    params,
                )
            })?;
            crate::versioned::refuse_if_stale(changed, Some(expected), before.version)?;
            let old = snapshot(&before.candidate_number, &before.input);
            let new = snapshot(&before.candidate_number, input);
            record_in(db, actor, "appeal.update", "appeal", &id.to_string(), Some(&old), Some(&new))?;
            let saved = appeal_in(db, session_id, id)?.ok_or(StoreError::NotFound { entity: "appeal" })?;
            Ok(saved)
        })
    }

    /// The appeals of a session, by day received then id.
    pub fn session_appeals(&self, session_id: i64) -> Result<Vec<Appeal>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                &format!(
                    "SELECT {COLUMNS} FROM appeals a JOIN candidates c ON c.id = a.candidate_id
                 WHERE a.session_id = ?1 ORDER BY a.received_on, a.id"
                ),
                [session_id],
                appeal,
            )?;

            Ok(rows)
        })
    }
}
