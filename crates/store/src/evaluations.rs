//! Examiners' evaluations and agreed evaluations, with optimistic
//! concurrency: each row carries a version that grows by one on every
//! write, a writer names the version it read, and a write on top of a newer
//! version is refused with [`StoreError::StaleVersion`] (the server answers
//! 409 and the client reloads). The check and the update are one
//! `UPDATE ... WHERE version = ?`, so two racing writers cannot both win.

use serde_json::{Value, json};

use crate::audit::{record_in, record_save};
use crate::candidates::CandidateNumber;
use crate::db::Db;
use crate::versioned::{VersionedWrite, refuse_if_stale, versioned_write};
use crate::{Actor, Store, StoreError};

/// Where an evaluation belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationKey {
    /// The exam session.
    pub session_id: i64,
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The exam part (`1.1`, `2`, ...).
    pub part: String,
    /// The position (point d'appréciation) within the part.
    pub position: String,
}

/// A draft can change; a submitted evaluation is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvaluationStatus {
    /// Work in progress, visible to its examiner only.
    Draft,
    /// Handed in; no longer editable.
    Submitted,
}

impl EvaluationStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EvaluationStatus::Draft => "draft",
            EvaluationStatus::Submitted => "submitted",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<EvaluationStatus, StoreError> {
        match text {
            "draft" => Ok(EvaluationStatus::Draft),
            "submitted" => Ok(EvaluationStatus::Submitted),
            other => Err(StoreError::BadValue(format!("evaluation status {other:?}"))),
        }
    }
}

/// One examiner's evaluation of a position.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    /// The examiner's user id.
    pub examiner_id: i64,
    /// Draft or submitted.
    pub status: EvaluationStatus,
    /// The scoring, as JSON (its shape belongs to the scoring crate).
    pub content: Value,
    /// The version, 1 for the first write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: String,
}

/// The examiners' joint evaluation of a position.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AgreedEvaluation {
    /// The agreed scoring, as JSON.
    pub content: Value,
    /// The agreed grade as decimal text (`4.5`), if set.
    pub grade: Option<String>,
    /// The version, 1 for the first write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: String,
}

pub(crate) fn ids(db: &Db<'_>, key: &EvaluationKey) -> Result<i64, StoreError> {
    db.row_opt(
        "SELECT c.id FROM candidates c JOIN enrolments e ON e.candidate_id = c.id
             WHERE c.candidate_number = ?1 AND e.session_id = ?2",
        (key.candidate.as_str(), key.session_id),
        |row| row.get(0),
    )?
    .ok_or(StoreError::NotFound { entity: "enrolment" })
}

/// Evaluations can no longer change once the session's results are
/// stored: checked inside the writing transaction, so a write racing the
/// finalisation either lands before it or is refused.
pub(crate) fn writable(db: &Db<'_>, session_id: i64) -> Result<(), StoreError> {
    let state: String = db
        .row_opt("SELECT workflow_state FROM exam_sessions WHERE id = ?1", [session_id], |row| row.get(0))?
        .ok_or(StoreError::NotFound { entity: "exam session" })?;
    if state == "finalised" || state == "published" {
        return Err(StoreError::Locked { entity: "exam session" });
    }
    Ok(())
}

fn entity_id(key: &EvaluationKey, examiner_id: Option<i64>) -> String {
    let base = format!("{}/{}/{}/{}", key.session_id, key.candidate, key.part, key.position);
    match examiner_id {
        Some(id) => format!("{base}/{id}"),
        None => base,
    }
}

pub(crate) fn parse_content(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::BadValue(format!("evaluation JSON: {error}")))
}

impl Store {
    /// An examiner's evaluation of a position, if written.
    pub fn evaluation(
        &self,
        key: &EvaluationKey,
        examiner_id: i64,
    ) -> Result<Option<Evaluation>, StoreError> {
        self.read_db(|db| {
            let candidate_id = ids(db, key)?;
            read_evaluation(db, key, candidate_id, examiner_id)
        })
    }

    /// The board reopens an examiner's submitted evaluation (a mark
    /// entered in error, an evaluation submitted too early): it becomes a
    /// draft again, its version bumped, the reason in its audit entry. Only
    /// while the session is scored ([`StoreError::Locked`] after), only a
    /// submitted one, and not once an agreed evaluation of the position
    /// rests on it ([`StoreError::Conflict`]). `expected_version` is the
    /// version the board saw ([`StoreError::StaleVersion`] otherwise).
    pub fn reopen_evaluation(
        &self,
        actor: &Actor,
        key: &EvaluationKey,
        examiner_id: i64,
        reason: &str,
        expected_version: i64,
    ) -> Result<Evaluation, StoreError> {
        self.write(|db| {
            writable(db, key.session_id)?;
            let candidate_id = ids(db, key)?;
            let before = read_evaluation(db, key, candidate_id, examiner_id)?
                .ok_or(StoreError::NotFound { entity: "evaluation" })?;
            if before.status != EvaluationStatus::Submitted {
                return Err(StoreError::NotReopenable { reason: "elle n'est pas soumise" });
            }
            if before.version != expected_version {
                return Err(StoreError::StaleVersion { expected: Some(expected_version), current: before.version });
            }
            let agreed: Option<i64> = db
                .row_opt(
                    "SELECT 1 FROM agreed_evaluations WHERE session_id = ?1 AND candidate_id = ?2 AND position = ?3",
                    (key.session_id, candidate_id, &key.position),
                    |row| row.get(0),
                )
                ?;
            if agreed.is_some() {
                return Err(StoreError::NotReopenable {
                    reason: "une évaluation commune du point d'appréciation repose déjà sur elle",
                });
            }
            db.run(
                "UPDATE evaluations SET status = 'draft', version = version + 1, updated_at = ?1
                 WHERE session_id = ?2 AND candidate_id = ?3 AND position = ?4 AND examiner_id = ?5",
                (crate::time::now(), key.session_id, candidate_id, &key.position, examiner_id),
            )?;
            let after = read_evaluation(db, key, candidate_id, examiner_id)?
                .ok_or(StoreError::NotFound { entity: "evaluation" })?;
            record_in(
                db,
                actor,
                "evaluation.reopen",
                "evaluation",
                &entity_id(key, Some(examiner_id)),
                Some(&json!({ "status": "submitted", "version": before.version })),
                Some(&json!({ "status": "draft", "version": after.version, "reason": reason })),
            )?;
            Ok(after)
        })
    }

    /// Writes an examiner's evaluation. `expected_version` is the version
    /// the examiner started from: `None` for a first write. A submitted
    /// evaluation is [`StoreError::Locked`].
    pub fn save_evaluation(
        &self,
        actor: &Actor,
        key: &EvaluationKey,
        examiner_id: i64,
        content: &Value,
        status: EvaluationStatus,
        expected_version: Option<i64>,
    ) -> Result<Evaluation, StoreError> {
        if let Some(pool) = &self.postgres {
            // One transaction per save: group commit shares SQLite's one
            // writer and its `fsync`; PostgreSQL commits each transaction
            // with its own WAL flush (grouped by the server itself).
            return pool.transaction(true, |db| {
                save_in(db, actor, key, examiner_id, content, status, expected_version)
            });
        }
        let (reply, answer) = std::sync::mpsc::channel();
        let save = Save {
            actor: actor.clone(),
            key: key.clone(),
            examiner_id,
            content: content.clone(),
            status,
            expected_version,
            reply,
        };
        self.group_commit(save, &answer)
    }

    /// Group commit: the save waits in a queue; whoever gets the writer
    /// next runs every waiting save in one transaction, each in its own
    /// savepoint (a refused save is rolled back alone), commits once (one
    /// `fsync` for all) and only then answers each of them. A save is
    /// acknowledged only once it is durable, as before, but 64 examiners
    /// saving at once no longer wait for 64 `fsync`s one after the other.
    fn group_commit(
        &self,
        save: Save,
        answer: &std::sync::mpsc::Receiver<Result<Evaluation, StoreError>>,
    ) -> Result<Evaluation, StoreError> {
        use std::sync::mpsc::TryRecvError;
        let answered = || match answer.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            // The leader that took this save went away without answering
            // (it panicked): whether it was saved is unknown, so say so.
            Err(TryRecvError::Disconnected) => {
                Some(Err(StoreError::Commit("l'écriture groupée a été interrompue".to_owned())))
            }
        };
        lock_queue(&self.saves).push(save);
        loop {
            if let Some(result) = answered() {
                return result;
            }
            let mut guard = self.lock();
            // The previous leader may have run this save while we waited.
            if let Some(result) = answered() {
                return result;
            }
            let batch = std::mem::take(&mut *lock_queue(&self.saves));
            let Some(connection) = guard.as_mut() else {
                for save in batch {
                    let _ = save.reply.send(Err(StoreError::Closed));
                }
                continue;
            };
            run_saves(connection, batch);
        }
    }

    /// The agreed evaluation of a position, if written.
    pub fn agreed_evaluation(&self, key: &EvaluationKey) -> Result<Option<AgreedEvaluation>, StoreError> {
        self.read_db(|db| {
            let candidate_id = ids(db, key)?;
            read_agreed(db, key, candidate_id)
        })
    }

    /// Writes the agreed evaluation of a position, with the same version
    /// rule as [`Store::save_evaluation`]. `grade` is decimal text.
    pub fn save_agreed_evaluation(
        &self,
        actor: &Actor,
        key: &EvaluationKey,
        content: &Value,
        grade: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<AgreedEvaluation, StoreError> {
        self.write(|db| {
            let candidate_id = ids(db, key)?;
            writable(db, key.session_id)?;
            let before = read_agreed(db, key, candidate_id)?;
            let now = crate::time::now();
            let text = content.to_string();
            match versioned_write(before.as_ref().map(|stored| stored.version), expected_version, "agreed evaluation")? {
                VersionedWrite::Create => {
                    db.run(
                        "INSERT INTO agreed_evaluations
                         (session_id, candidate_id, part, position, content, grade, version, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)",
                        (key.session_id, candidate_id, &key.part, &key.position, &text, grade, &now, actor.user_id),
                    )?;
                }
                VersionedWrite::Update { expected, current } => {
                    let changed = db.run(
                        "UPDATE agreed_evaluations
                         SET content = ?1, grade = ?2, version = version + 1, updated_at = ?3, updated_by = ?4
                         WHERE session_id = ?5 AND candidate_id = ?6 AND part = ?7 AND position = ?8 AND version = ?9",
                        (
                            &text,
                            grade,
                            &now,
                            actor.user_id,
                            key.session_id,
                            candidate_id,
                            &key.part,
                            &key.position,
                            expected,
                        ),
                    )?;
                    refuse_if_stale(changed, Some(expected), current)?;
                }
            }
            let after = read_agreed(db, key, candidate_id)?
                .ok_or(StoreError::NotFound { entity: "agreed evaluation" })?;
            let id = entity_id(key, None);
            record_save(db, actor, "agreed_evaluation.save", "agreed_evaluation", &id, before.as_ref(), &after)?;
            Ok(after)
        })
    }
}

pub(crate) fn read_evaluation(
    db: &Db<'_>,
    key: &EvaluationKey,
    candidate_id: i64,
    examiner_id: i64,
) -> Result<Option<Evaluation>, StoreError> {
    db.row_opt(
        "SELECT examiner_id, status, content, version, updated_at FROM evaluations
         WHERE session_id = ?1 AND candidate_id = ?2 AND part = ?3 AND position = ?4 AND examiner_id = ?5",
        (key.session_id, candidate_id, &key.part, &key.position, examiner_id),
        |row| evaluation_at(row, 0),
    )
}

/// Reads an [`Evaluation`] from the five columns from `first` on:
/// examiner id, status, content, version and update time, which the
/// examiners' and the arbiters' tables keep alike.
pub(crate) fn evaluation_at(row: &crate::db::Row<'_>, first: usize) -> Result<Evaluation, StoreError> {
    Ok(Evaluation {
        examiner_id: row.get(first)?,
        status: EvaluationStatus::parse(&row.get::<String>(first + 1)?)?,
        content: parse_content(&row.get::<String>(first + 2)?)?,
        version: row.get(first + 3)?,
        updated_at: row.get(first + 4)?,
    })
}

pub(crate) fn read_agreed(
    db: &Db<'_>,
    key: &EvaluationKey,
    candidate_id: i64,
) -> Result<Option<AgreedEvaluation>, StoreError> {
    let row = db.row_opt(
        "SELECT content, grade, version, updated_at FROM agreed_evaluations
             WHERE session_id = ?1 AND candidate_id = ?2 AND part = ?3 AND position = ?4",
        (key.session_id, candidate_id, &key.part, &key.position),
        |row| {
            Ok((
                row.get::<String>(0)?,
                row.get::<Option<String>>(1)?,
                row.get::<i64>(2)?,
                row.get::<String>(3)?,
            ))
        },
    )?;
    row.map(|(content, grade, version, updated_at)| {
        Ok(AgreedEvaluation { content: parse_content(&content)?, grade, version, updated_at })
    })
    .transpose()
}

/// One waiting save of [`Store::save_evaluation`] and where to answer it.
#[derive(Debug)]
pub(crate) struct Save {
    actor: Actor,
    key: EvaluationKey,
    examiner_id: i64,
    content: Value,
    status: EvaluationStatus,
    expected_version: Option<i64>,
    reply: std::sync::mpsc::Sender<Result<Evaluation, StoreError>>,
}

fn lock_queue(queue: &std::sync::Mutex<Vec<Save>>) -> std::sync::MutexGuard<'_, Vec<Save>> {
    queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `batch` in one transaction, a savepoint per save; answers every
/// save after the commit (or with the commit's error: then none is saved).
fn run_saves(connection: &mut rusqlite::Connection, batch: Vec<Save>) {
    let mut transaction = match connection.transaction() {
        Ok(transaction) => transaction,
        Err(error) => {
            let message = error.to_string();
            for save in batch {
                let _ = save.reply.send(Err(StoreError::Commit(message.clone())));
            }
            return;
        }
    };
    let mut done = Vec::with_capacity(batch.len());
    for save in batch {
        let result = match transaction.savepoint() {
            Ok(mut savepoint) => {
                let result = save_in(
                    &Db::Sqlite(&savepoint),
                    &save.actor,
                    &save.key,
                    save.examiner_id,
                    &save.content,
                    save.status,
                    save.expected_version,
                );
                match result {
                    Ok(evaluation) => savepoint.commit().map(|()| evaluation).map_err(StoreError::from),
                    Err(error) => {
                        let _ = savepoint.rollback();
                        Err(error)
                    }
                }
            }
            Err(error) => Err(StoreError::from(error)),
        };
        done.push((save.reply, result));
    }
    match transaction.commit() {
        Ok(()) => {
            for (reply, result) in done {
                let _ = reply.send(result);
            }
        }
        Err(error) => {
            let message = error.to_string();
            for (reply, _) in done {
                let _ = reply.send(Err(StoreError::Commit(message.clone())));
            }
        }
    }
}

/// A scorer's evaluation with where it belongs: candidate, part,
/// position, the scorer's username and the evaluation.
pub(crate) type ScoredRow = (CandidateNumber, String, String, String, Evaluation);

/// Reads a [`ScoredRow`] from the columns candidate number, part,
/// position, username, examiner id, status, content, version and update
/// time, in that order: the examiners' list and the arbiters' select them
/// alike.
pub(crate) fn read_scored_row(row: &crate::db::Row<'_>) -> Result<ScoredRow, StoreError> {
    let number: String = row.get(0)?;
    Ok((crate::workflow::number_of(&number)?, row.get(1)?, row.get(2)?, row.get(3)?, evaluation_at(row, 4)?))
}

/// The id of candidate `number`, enrolled in the session, as long as no
/// evaluation of `position` exists: what the candidate was scored on (the
/// case they sat, the work they handed in) stays as it was, and a change
/// to it is [`StoreError::Locked`] about `entity`.
pub(crate) fn unscored_candidate(
    db: &Db<'_>,
    session_id: i64,
    number: &CandidateNumber,
    position: &str,
    entity: &'static str,
) -> Result<i64, StoreError> {
    let candidate = crate::candidates::enrolled_candidate_id(db, session_id, number)?;
    let scored: Option<i64> = db.row_opt(
        "SELECT 1 FROM evaluations WHERE session_id = ?1 AND candidate_id = ?2 AND position = ?3 LIMIT 1",
        (session_id, candidate, position),
        |row| row.get(0),
    )?;
    if scored.is_some() { Err(StoreError::Locked { entity }) } else { Ok(candidate) }
}

/// One scorer's evaluation of a position as it is first written: the
/// examiners' table and the arbiters' have the same columns.
pub(crate) struct ScorerRow<'a> {
    pub(crate) key: &'a EvaluationKey,
    pub(crate) candidate_id: i64,
    pub(crate) examiner_id: i64,
    pub(crate) status: EvaluationStatus,
    pub(crate) text: &'a str,
    pub(crate) now: &'a str,
}

/// Inserts `row` at version 1 into `table` (`evaluations` or
/// `arbiter_evaluations`, a name of ours, never input).
pub(crate) fn insert_scorer_row(
    db: &Db<'_>,
    table: &'static str,
    row: &ScorerRow<'_>,
) -> Result<usize, StoreError> {
    db.run(
        &format!(
            "INSERT INTO {table}
             (session_id, candidate_id, part, position, examiner_id, status, content, version, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8)"
        ),
        (
            row.key.session_id,
            row.candidate_id,
            &row.key.part,
            &row.key.position,
            row.examiner_id,
            row.status.as_str(),
            row.text,
            row.now,
        ),
    )
}

/// The work of one evaluation save inside a transaction (or savepoint).
fn save_in(
    db: &Db<'_>,
    actor: &Actor,
    key: &EvaluationKey,
    examiner_id: i64,
    content: &Value,
    status: EvaluationStatus,
    expected_version: Option<i64>,
) -> Result<Evaluation, StoreError> {
    let candidate_id = ids(db, key)?;
    writable(db, key.session_id)?;
    let before = read_evaluation(db, key, candidate_id, examiner_id)?;
    let now = crate::time::now();
    let text = content.to_string();
    if before.as_ref().is_some_and(|current| current.status == EvaluationStatus::Submitted) {
        return Err(StoreError::Locked { entity: "evaluation" });
    }
    match versioned_write(before.as_ref().map(|stored| stored.version), expected_version, "evaluation")? {
        VersionedWrite::Create => {
            let scored = ScorerRow { key, candidate_id, examiner_id, status, text: &text, now: &now };
            insert_scorer_row(db, "evaluations", &scored)
                .map_err(|error| crate::error::constraint(error, "examiner"))?;
        }
        VersionedWrite::Update { expected, current } => {
            let changed = db.run(
                "UPDATE evaluations SET status = ?1, content = ?2, version = version + 1, updated_at = ?3
             WHERE session_id = ?4 AND candidate_id = ?5 AND part = ?6 AND position = ?7
               AND examiner_id = ?8 AND version = ?9",
                (
                    status.as_str(),
                    &text,
                    &now,
                    key.session_id,
                    candidate_id,
                    &key.part,
                    &key.position,
                    examiner_id,
                    expected,
                ),
            )?;
            refuse_if_stale(changed, Some(expected), current)?;
        }
    }
    let after = read_evaluation(db, key, candidate_id, examiner_id)?
        .ok_or(StoreError::NotFound { entity: "evaluation" })?;
    let id = entity_id(key, Some(examiner_id));
    record_save(db, actor, "evaluation.save", "evaluation", &id, before.as_ref(), &after)?;
    Ok(after)
}
