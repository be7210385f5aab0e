//! The work candidates handed in (a written report, as a PDF), one file
//! per candidate and position of a session, stored once by SHA-256 in
//! `attachments` (migration 0010).

use crate::audit::record_in;
use crate::candidates::CandidateNumber;
use crate::cases::sha256_bytes;
use crate::db::Db;
use crate::evaluations::unscored_candidate;
use crate::{Actor, Store, StoreError};

/// A candidate's submitted work for a position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Submission {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The blueprint position.
    pub position: String,
    /// SHA-256 of the file, lowercase hex (its key in the attachments).
    pub sha256: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The file's size in bytes.
    pub size: i64,
    /// When uploaded (RFC 3339, UTC).
    pub uploaded_at: String,
    /// Who uploaded it (username).
    pub uploaded_by: String,
}

/// What to store: the file, already checked by the caller (type by
/// content, size).
#[derive(Debug, Clone, Copy)]
pub struct NewSubmission<'a> {
    /// The candidate.
    pub candidate: &'a CandidateNumber,
    /// The blueprint position.
    pub position: &'a str,
    /// The file's name as uploaded.
    pub file_name: &'a str,
    /// `application/pdf`.
    pub media_type: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

const SUBMISSION_COLUMNS: &str =
    "c.candidate_number, s.position, s.sha256, s.file_name, a.size, s.uploaded_at, s.uploaded_by";

type Row = (String, String, String, String, i64, String, String);

fn read_row(row: &crate::db::Row<'_>) -> Result<Row, StoreError> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?))
}

fn with_number(row: Row) -> Result<Submission, StoreError> {
    let (number, position, sha256, file_name, size, uploaded_at, uploaded_by) = row;
    let candidate = CandidateNumber::parse(&number)
        .map_err(|_| StoreError::BadValue(format!("candidate number {number:?}")))?;
    Ok(Submission { candidate, position, sha256, file_name, size, uploaded_at, uploaded_by })
}

/// What the audit log keeps of a submission: not its file name, which
/// often names the candidate and could not be erased from the chained log.
fn audit_view(submission: &Submission) -> serde_json::Value {
    serde_json::json!({
        "sha256": submission.sha256,
        "size": submission.size,
    })
}

fn read_one(
    db: &Db<'_>,
    session_id: i64,
    candidate: i64,
    position: &str,
) -> Result<Option<Submission>, StoreError> {
    db.row_opt(
        &format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s
                 JOIN candidates c ON c.id = s.candidate_id
                 JOIN attachments a ON a.sha256 = s.sha256
                 WHERE s.session_id = ?1 AND s.candidate_id = ?2 AND s.position = ?3"
        ),
        (session_id, candidate, position),
        read_row,
    )?
    .map(with_number)
    .transpose()
}

/// A position for which candidates hand in their work themselves, until
/// a deadline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmissionWindow {
    /// The blueprint position.
    pub position: String,
    /// The deadline (RFC 3339, UTC): work is taken strictly before it.
    pub closes_at: String,
    /// When the window was opened or last changed.
    pub opened_at: String,
    /// Who opened it (username).
    pub opened_by: String,
}

fn read_window(row: &crate::db::Row<'_>) -> Result<SubmissionWindow, StoreError> {
    Ok(SubmissionWindow {
        position: row.get(0)?,
        closes_at: row.get(1)?,
        opened_at: row.get(2)?,
        opened_by: row.get(3)?,
    })
}

impl Store {
    /// Opens (or moves the deadline of) the window in which candidates of
    /// session `session_id` hand in their work for `position` themselves.
    pub fn set_submission_window(
        &self,
        actor: &Actor,
        session_id: i64,
        position: &str,
        closes_at: &str,
    ) -> Result<SubmissionWindow, StoreError> {
        self.write(|db| {
            let before = db
                .row_opt(
                    "SELECT position, closes_at, opened_at, opened_by FROM submission_windows
                     WHERE session_id = ?1 AND position = ?2",
                    (session_id, position),
                    read_window,
                )
                ?;
            let now = crate::time::now();
            db.run(
                "INSERT INTO submission_windows (session_id, position, closes_at, opened_at, opened_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (session_id, position) DO UPDATE SET
                   closes_at = excluded.closes_at, opened_at = excluded.opened_at, opened_by = excluded.opened_by",
                (session_id, position, closes_at, &now, &actor.name),
            )?;
            let after = SubmissionWindow {
                position: position.to_owned(),
                closes_at: closes_at.to_owned(),
                opened_at: now,
                opened_by: actor.name.clone(),
            };
            let entity = format!("{session_id}/{position}");
            let view = |window: &SubmissionWindow| serde_json::json!({ "closes_at": window.closes_at });
            record_in(
                db,
                actor,
                "submission_window.set",
                "submission_window",
                &entity,
                before.as_ref().map(view).as_ref(),
                Some(&view(&after)),
            )?;
            Ok(after)
        })
    }

    /// Closes the window of `position`: from now on only the organiser
    /// uploads work for it. [`StoreError::NotFound`] when none is open.
    pub fn close_submission_window(
        &self,
        actor: &Actor,
        session_id: i64,
        position: &str,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let closes_at: Option<String> = db.row_opt(
                "SELECT closes_at FROM submission_windows WHERE session_id = ?1 AND position = ?2",
                (session_id, position),
                |row| row.get(0),
            )?;
            let closes_at = closes_at.ok_or(StoreError::NotFound { entity: "submission window" })?;
            db.run(
                "DELETE FROM submission_windows WHERE session_id = ?1 AND position = ?2",
                (session_id, position),
            )?;
            let entity = format!("{session_id}/{position}");
            let before = serde_json::json!({ "closes_at": closes_at });
            record_in(
                db,
                actor,
                "submission_window.close",
                "submission_window",
                &entity,
                Some(&before),
                None,
            )?;
            Ok(())
        })
    }

    /// The submission windows of a session, by position.
    pub fn submission_windows(&self, session_id: i64) -> Result<Vec<SubmissionWindow>, StoreError> {
        self.read_db(|db| {
            db.rows(
                "SELECT position, closes_at, opened_at, opened_by FROM submission_windows
                 WHERE session_id = ?1 ORDER BY position",
                [session_id],
                read_window,
            )
        })
    }

    /// Stores the work `new.candidate` handed in for `new.position` (the
    /// bytes once per SHA-256), replacing an earlier file. The candidate
    /// must be enrolled ([`StoreError::NotFound`]); once the position has
    /// an evaluation the work they were scored on stays
    /// ([`StoreError::Locked`]).
    pub fn put_submission(
        &self,
        actor: &Actor,
        session_id: i64,
        new: &NewSubmission<'_>,
    ) -> Result<Submission, StoreError> {
        let hash = sha256_bytes(new.bytes);
        self.write(|db| {
            let candidate = unscored_candidate(db, session_id, new.candidate, new.position, "submission")?;
            let before = read_one(db, session_id, candidate, new.position)?;
            let now = crate::time::now();
            let stored = db.run(
                "INSERT INTO attachments (sha256, media_type, size, bytes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING",
                (&hash, new.media_type, new.bytes.len() as i64, new.bytes, &now),
            )?;
            if stored > 0 {
                let after = serde_json::json!({ "media_type": new.media_type, "size": new.bytes.len() });
                record_in(db, actor, "attachment.store", "attachment", &hash, None, Some(&after))?;
            }
            db.run(
                "INSERT INTO submissions (session_id, candidate_id, position, sha256, file_name, uploaded_at, uploaded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (session_id, candidate_id, position) DO UPDATE SET
                   sha256 = excluded.sha256, file_name = excluded.file_name,
                   uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by",
                (session_id, candidate, new.position, &hash, new.file_name, &now, &actor.name),
            )?;
            let after = read_one(db, session_id, candidate, new.position)?
                .ok_or(StoreError::NotFound { entity: "submission" })?;
            let entity = format!("{session_id}/{}/{}", new.candidate, new.position);
            let before_view = before.as_ref().map(audit_view);
            let action = if before.is_some() { "submission.replace" } else { "submission.upload" };
            record_in(
                db,
                actor,
                action,
                "submission",
                &entity,
                before_view.as_ref(),
                Some(&audit_view(&after)),
            )?;
            Ok(after)
        })
    }

    /// Removes the work of a candidate's position (while the position has
    /// no evaluation). [`StoreError::NotFound`] when there is none.
    pub fn delete_submission(
        &self,
        actor: &Actor,
        session_id: i64,
        number: &CandidateNumber,
        position: &str,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let candidate = unscored_candidate(db, session_id, number, position, "submission")?;
            let before = read_one(db, session_id, candidate, position)?
                .ok_or(StoreError::NotFound { entity: "submission" })?;
            db.run(
                "DELETE FROM submissions WHERE session_id = ?1 AND candidate_id = ?2 AND position = ?3",
                (session_id, candidate, position),
            )?;
            let entity = format!("{session_id}/{number}/{position}");
            record_in(
                db,
                actor,
                "submission.delete",
                "submission",
                &entity,
                Some(&audit_view(&before)),
                None,
            )?;
            Ok(())
        })
    }

    /// The work of one candidate's position, if uploaded.
    pub fn submission(
        &self,
        session_id: i64,
        number: &CandidateNumber,
        position: &str,
    ) -> Result<Option<Submission>, StoreError> {
        self.read_db(|db| {
            let candidate: Option<i64> = db.row_opt(
                "SELECT c.id FROM candidates c JOIN enrolments e ON e.candidate_id = c.id
                     WHERE e.session_id = ?1 AND c.candidate_number = ?2",
                (session_id, number.as_str()),
                |row| row.get(0),
            )?;
            let Some(candidate) = candidate else { return Ok(None) };
            read_one(db, session_id, candidate, position)
        })
    }

    /// Every submitted work of a session, by candidate and position.
    pub fn submissions(&self, session_id: i64) -> Result<Vec<Submission>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions s
                 JOIN candidates c ON c.id = s.candidate_id
                 JOIN attachments a ON a.sha256 = s.sha256
                 WHERE s.session_id = ?1 ORDER BY c.candidate_number, s.position"
                ),
                [session_id],
                read_row,
            )?;

            rows.into_iter().map(with_number).collect()
        })
    }
}
