//! Arbitration and the confirmation of joint evaluations (migration 0017):
//! the arbiter (chief expert) the board names per part or position, the
//! arbiter's versioned evaluation of a candidate's position, and each
//! examiner's confirmation of a joint evaluation on one of its versions.
//! Who may write what is decided by grille-workflow before these are
//! called; every write is audited in its db.

use serde_json::{Value, json};

use crate::audit::{record_in, record_save};
use crate::candidates::CandidateNumber;
use crate::db::Db;
use crate::evaluations::{
    Evaluation, EvaluationKey, EvaluationStatus, ScorerRow, evaluation_at, ids, insert_scorer_row,
    read_scored_row,
};
use crate::versioned::{VersionedWrite, refuse_if_stale, versioned_write};
use crate::workflow::number_of;
use crate::{Actor, Role, Store, StoreError, User};

/// The arbiter of a part (`position` empty: every position of the part)
/// or of one position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArbiterAssignment {
    /// The exam part.
    pub part: String,
    /// The position, or empty for the whole part.
    pub position: String,
    /// The arbiter's username.
    pub examiner: String,
    /// When named.
    pub assigned_at: String,
}

/// An arbiter's evaluation of a candidate's position.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionArbitration {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The arbiter's username.
    pub examiner: String,
    /// The evaluation, versioned like an examiner's.
    pub evaluation: Evaluation,
}

/// An examiner's confirmation of a joint evaluation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgreedConfirmation {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The position.
    pub position: String,
    /// The examiner's username.
    pub examiner: String,
    /// The version of the joint evaluation confirmed.
    pub agreed_version: i64,
    /// Why the examiner confirms a joint grade on the other side of the
    /// pass mark from their own, when they had to say.
    pub justification: Option<String>,
    /// The language of the justification (`fr`, `de` or `it`), when it
    /// was recorded (migration 0025); `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification_language: Option<String>,
    /// When confirmed.
    pub confirmed_at: String,
}

impl Store {
    /// Names `examiner` arbiter of `part` (`position` empty: every position
    /// of the part), replacing the one named before, or removes the
    /// arbiter (`None`). The user must be an examiner or a trainer.
    pub fn set_arbiter(
        &self,
        actor: &Actor,
        session_id: i64,
        part: &str,
        position: &str,
        examiner: Option<&User>,
    ) -> Result<Option<ArbiterAssignment>, StoreError> {
        if let Some(user) = examiner
            && !matches!(user.role, Role::Examiner | Role::Trainer)
        {
            return Err(StoreError::BadValue(format!("{} is not an examiner", user.username)));
        }
        self.write(|db| {
            let before = read_arbiters(db, session_id)?
                .into_iter()
                .find(|arbiter| arbiter.part == part && arbiter.position == position);
            db.run(
                "DELETE FROM arbiter_assignments WHERE session_id = ?1 AND part = ?2 AND position = ?3",
                (session_id, part, position),
            )?;
            let now = crate::time::now();
            let after = match examiner {
                Some(user) => {
                    db.run(
                        "INSERT INTO arbiter_assignments (session_id, part, position, examiner_id, assigned_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        (session_id, part, position, user.id, &now),
                    )?;
                    Some(ArbiterAssignment {
                        part: part.to_owned(),
                        position: position.to_owned(),
                        examiner: user.username.clone(),
                        assigned_at: now,
                    })
                }
                None => None,
            };
            record_in(
                db,
                actor,
                if after.is_some() { "arbiter.assign" } else { "arbiter.remove" },
                "arbiter_assignment",
                &format!("{session_id}/{part}/{position}"),
                before.as_ref().map(|before| json!({ "session_id": session_id, "arbiter": before })).as_ref(),
                after.as_ref().map(|after| json!({ "session_id": session_id, "arbiter": after })).as_ref(),
            )?;
            Ok(after)
        })
    }

    /// The arbiters named in a session, by part then position.
    pub fn session_arbiters(&self, session_id: i64) -> Result<Vec<ArbiterAssignment>, StoreError> {
        self.read_db(|db| read_arbiters(db, session_id))
    }

    /// Writes the arbiter's evaluation of a position, with the version rule
    /// of [`Store::save_evaluation`] (no version: create; a version: update
    /// it; a submitted one is locked). Refused once the session is final.
    pub fn save_arbitration(
        &self,
        actor: &Actor,
        key: &EvaluationKey,
        examiner_id: i64,
        content: &Value,
        status: EvaluationStatus,
        expected_version: Option<i64>,
    ) -> Result<Evaluation, StoreError> {
        self.write(|db| {
            let candidate_id = ids(db, key)?;
            crate::evaluations::writable(db, key.session_id)?;
            let before = read_arbitration(db, key, candidate_id)?;
            let now = crate::time::now();
            let text = content.to_string();
            // A submitted evaluation is final; one another arbiter started
            // (the board named someone else since) stays theirs.
            if before.as_ref().is_some_and(|current| {
                current.status == EvaluationStatus::Submitted || current.examiner_id != examiner_id
            }) {
                return Err(StoreError::Locked { entity: "evaluation" });
            }
            match versioned_write(
                before.as_ref().map(|stored| stored.version),
                expected_version,
                "evaluation",
            )? {
                VersionedWrite::Create => {
                    let scored = ScorerRow { key, candidate_id, examiner_id, status, text: &text, now: &now };
                    insert_scorer_row(db, "arbiter_evaluations", &scored)?;
                }
                VersionedWrite::Update { expected, current } => {
                    let changed = db.run(
                        "UPDATE arbiter_evaluations
                         SET status = ?1, content = ?2, version = version + 1, updated_at = ?3
                         WHERE session_id = ?4 AND candidate_id = ?5 AND position = ?6 AND version = ?7",
                        (status.as_str(), &text, &now, key.session_id, candidate_id, &key.position, expected),
                    )?;
                    refuse_if_stale(changed, Some(expected), current)?;
                }
            }
            let after = read_arbitration(db, key, candidate_id)?
                .ok_or(StoreError::NotFound { entity: "evaluation" })?;
            let action = match status {
                EvaluationStatus::Draft => "arbitration.save",
                EvaluationStatus::Submitted => "arbitration.submit",
            };
            let entity_id = format!("{}/{}/{}/{}", key.session_id, key.candidate, key.part, key.position);
            record_save(db, actor, action, "arbiter_evaluation", &entity_id, before.as_ref(), &after)?;
            Ok(after)
        })
    }

    /// Every arbiter's evaluation of a session (drafts included; the caller
    /// filters), by candidate and position.
    pub fn session_arbitrations(&self, session_id: i64) -> Result<Vec<SessionArbitration>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows("SELECT c.candidate_number, v.part, v.position, u.username, v.examiner_id, v.status, v.content,
                        v.version, v.updated_at
                 FROM arbiter_evaluations v
                 JOIN candidates c ON c.id = v.candidate_id
                 JOIN users u ON u.id = v.examiner_id
                 WHERE v.session_id = ?1 ORDER BY c.candidate_number, v.position", [session_id], |row| {
                    let (candidate, part, position, examiner, evaluation) = read_scored_row(row)?;
                    Ok(SessionArbitration { candidate, part, position, examiner, evaluation })
                })?;

            Ok(rows)
        })
    }

    /// Records that the examiner confirms the joint evaluation of a
    /// position as it is in version `agreed_version` (replacing their
    /// earlier confirmation). Refused with [`StoreError::StaleVersion`]
    /// when the joint evaluation has changed since (it is confirmed as the
    /// examiner saw it, or not at all), and once the session is final.
    /// `justification_language` is the language the justification is
    /// written in: `fr`, `de` or `it` (the database refuses any other).
    pub fn confirm_agreed(
        &self,
        actor: &Actor,
        key: &EvaluationKey,
        examiner: &User,
        agreed_version: i64,
        justification: Option<&str>,
        justification_language: Option<&str>,
    ) -> Result<AgreedConfirmation, StoreError> {
        self.write(|db| {
            let candidate_id = ids(db, key)?;
            crate::evaluations::writable(db, key.session_id)?;
            let current = crate::evaluations::read_agreed(db, key, candidate_id)?
                .ok_or(StoreError::NotFound { entity: "agreed evaluation" })?;
            if current.version != agreed_version {
                return Err(StoreError::StaleVersion {
                    expected: Some(agreed_version),
                    current: current.version,
                });
            }
            let now = crate::time::now();
            db.run(
                "INSERT INTO agreed_confirmations
                 (session_id, candidate_id, position, examiner_id, agreed_version, justification,
                  justification_language, confirmed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (session_id, candidate_id, position, examiner_id) DO UPDATE
                 SET agreed_version = excluded.agreed_version, justification = excluded.justification,
                     justification_language = excluded.justification_language,
                     confirmed_at = excluded.confirmed_at",
                (
                    key.session_id,
                    candidate_id,
                    &key.position,
                    examiner.id,
                    agreed_version,
                    justification,
                    justification_language,
                    &now,
                ),
            )?;
            let confirmation = AgreedConfirmation {
                candidate: key.candidate.clone(),
                position: key.position.clone(),
                examiner: examiner.username.clone(),
                agreed_version,
                justification: justification.map(str::to_owned),
                justification_language: justification_language.map(str::to_owned),
                confirmed_at: now,
            };
            record_in(
                db,
                actor,
                "agreed_evaluation.confirm",
                "agreed_evaluation",
                &format!("{}/{}/{}/{}", key.session_id, key.candidate, key.part, key.position),
                None,
                Some(&json!(confirmation)),
            )?;
            Ok(confirmation)
        })
    }

    /// Every confirmation of a joint evaluation in a session (on any
    /// version: the caller compares with the current one).
    pub fn session_confirmations(&self, session_id: i64) -> Result<Vec<AgreedConfirmation>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                "SELECT c.candidate_number, a.position, u.username, a.agreed_version, a.justification,
                        a.justification_language, a.confirmed_at
                 FROM agreed_confirmations a
                 JOIN candidates c ON c.id = a.candidate_id
                 JOIN users u ON u.id = a.examiner_id
                 WHERE a.session_id = ?1 ORDER BY c.candidate_number, a.position, u.username",
                [session_id],
                |row| {
                    Ok((
                        row.get::<String>(0)?,
                        row.get::<String>(1)?,
                        row.get::<String>(2)?,
                        row.get::<i64>(3)?,
                        row.get::<Option<String>>(4)?,
                        row.get::<Option<String>>(5)?,
                        row.get::<String>(6)?,
                    ))
                },
            )?;

            rows.into_iter()
                .map(|(number, position, examiner, agreed_version, justification, language, confirmed_at)| {
                    Ok(AgreedConfirmation {
                        candidate: number_of(&number)?,
                        position,
                        examiner,
                        agreed_version,
                        justification,
                        justification_language: language,
                        confirmed_at,
                    })
                })
                .collect()
        })
    }
}

fn read_arbiters(db: &Db<'_>, session_id: i64) -> Result<Vec<ArbiterAssignment>, StoreError> {
    let rows = db.rows(
        "SELECT a.part, a.position, u.username, a.assigned_at
         FROM arbiter_assignments a JOIN users u ON u.id = a.examiner_id
         WHERE a.session_id = ?1 ORDER BY a.part, a.position",
        [session_id],
        |row| {
            Ok(ArbiterAssignment {
                part: row.get(0)?,
                position: row.get(1)?,
                examiner: row.get(2)?,
                assigned_at: row.get(3)?,
            })
        },
    )?;

    Ok(rows)
}

fn read_arbitration(
    db: &Db<'_>,
    key: &EvaluationKey,
    candidate_id: i64,
) -> Result<Option<Evaluation>, StoreError> {
    db.row_opt(
        "SELECT examiner_id, status, content, version, updated_at FROM arbiter_evaluations
             WHERE session_id = ?1 AND candidate_id = ?2 AND position = ?3",
        (key.session_id, candidate_id, &key.position),
        |row| evaluation_at(row, 0),
    )
}
