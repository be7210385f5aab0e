//! The session workflow's persistence: state changes (compare-and-set),
//! candidate statuses, the reading of every evaluation of a session,
//! finalised results, corrections, retention and candidate accounts.
//! Which change is allowed when is decided by grille-workflow in the
//! server; the store only makes each change atomic and audited.

use grille_workflow::{SessionKind, SessionState};
use serde_json::{Value, json};

use crate::audit::record_in;
use crate::candidates::{CandidateNumber, candidate_id};
use crate::db::Db;
use crate::evaluations::{AgreedEvaluation, Evaluation, parse_content, read_scored_row};
use crate::{Actor, Store, StoreError};

/// Which rows of a session a read returns: all of them, or only those a
/// write about one candidate needs (the candidate's, and the acting user's
/// own across the session). A focused read touches a few rows of a large
/// session instead of every evaluation in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus<'a> {
    /// Every row of the session.
    All,
    /// The rows of `candidate` and the rows of `user` (an examiner's own
    /// evaluations and assignments).
    Around {
        /// The candidate number.
        candidate: &'a str,
        /// The username.
        user: &'a str,
    },
}

impl Focus<'_> {
    pub(crate) fn candidate(&self) -> Option<&str> {
        match self {
            Focus::All => None,
            Focus::Around { candidate, .. } => Some(candidate),
        }
    }

    pub(crate) fn user(&self) -> Option<&str> {
        match self {
            Focus::All => None,
            Focus::Around { user, .. } => Some(user),
        }
    }
}

/// The columns of an evaluation read, before its `WHERE`.
macro_rules! evaluations_select {
    () => {
        "SELECT c.candidate_number, v.part, v.position, u.username, v.examiner_id, v.status,
                v.content, v.version, v.updated_at
         FROM evaluations v JOIN candidates c ON c.id = v.candidate_id
         JOIN users u ON u.id = v.examiner_id "
    };
}

macro_rules! agreed_select {
    () => {
        "SELECT c.candidate_number, a.part, a.position, a.content, a.grade, a.version, a.updated_at
         FROM agreed_evaluations a JOIN candidates c ON c.id = a.candidate_id "
    };
}

/// One examiner's evaluation with where it belongs, for scoring a session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvaluation {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The examiner's username.
    pub examiner: String,
    /// The evaluation.
    pub evaluation: Evaluation,
}

/// An agreed evaluation with where it belongs.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionAgreed {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The agreed evaluation.
    pub agreed: AgreedEvaluation,
}

/// A result to store at finalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResult {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// `passed`, `failed`, `pending` or `no_result`.
    pub outcome: String,
    /// The overall grade as decimal text, if any.
    pub overall_grade: Option<String>,
    /// The explained result (the scoring crate's), as JSON.
    pub explanation: Value,
}

/// A stored result.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResult {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The outcome.
    pub outcome: String,
    /// The overall grade as decimal text, if any.
    pub overall_grade: Option<String>,
    /// The explained result as the JSON text stored (the scoring crate's
    /// `CandidateResult`), handed over unparsed: its reader parses it once,
    /// straight into its type, instead of through a JSON tree.
    pub explanation: String,
    /// 1 at finalisation, +1 per correction.
    pub version: i64,
    /// When it was last decided (finalisation or correction).
    pub decided_at: String,
}

/// A correction of a finalised result (appeal).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Correction {
    /// Increasing id.
    pub id: i64,
    /// The position whose official evaluation was replaced.
    pub position: String,
    /// The stated reason.
    pub reason: String,
    /// The new official evaluation of the position, as JSON.
    pub evaluation: Value,
    /// The result before.
    pub before: Value,
    /// The result after.
    pub after: Value,
    /// When.
    pub corrected_at: String,
    /// Who (username): the board member who entered it (proposed it,
    /// when it needed a second approval).
    pub corrected_by: String,
    /// The second board member who approved it, for a correction that
    /// changed the decision (four-eyes); `None` for one saved directly.
    pub approved_by: Option<String>,
}

/// A correction to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCorrection {
    /// The position whose official evaluation is replaced.
    pub position: String,
    /// The stated reason (required).
    pub reason: String,
    /// The new official evaluation, as JSON.
    pub evaluation: Value,
    /// The recomputed result.
    pub result: NewResult,
}

/// A session a candidate is enrolled in, for personal-data requests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CandidateSession {
    /// The session id.
    pub session_id: i64,
    /// Its name.
    pub name: String,
    /// Its workflow state.
    pub workflow_state: SessionState,
    /// Its retention date.
    pub retention_until: Option<String>,
    /// When the candidate was enrolled.
    pub enrolled_at: String,
    /// The candidate's status in it.
    pub status: String,
    /// Official or mock.
    pub kind: SessionKind,
}

/// The candidate statuses the store accepts.
pub const CANDIDATE_STATUSES: [&str; 5] =
    ["present", "withdrawn_excused", "withdrawn_unexcused", "excluded", "absent"];

pub(crate) fn session_state(db: &Db<'_>, session_id: i64) -> Result<String, StoreError> {
    db.row_opt("SELECT workflow_state FROM exam_sessions WHERE id = ?1", [session_id], |row| row.get(0))?
        .ok_or(StoreError::NotFound { entity: "exam session" })
}

pub(crate) fn enrolled_id(db: &Db<'_>, session_id: i64, number: &CandidateNumber) -> Result<i64, StoreError> {
    db.row_opt(
        "SELECT c.id FROM candidates c JOIN enrolments e ON e.candidate_id = c.id
             WHERE c.candidate_number = ?1 AND e.session_id = ?2",
        (number.as_str(), session_id),
        |row| row.get(0),
    )?
    .ok_or(StoreError::NotFound { entity: "enrolment" })
}

/// A count and a sum of versions over every evaluation and agreed
/// evaluation of a session: any write changes it, since versions only grow
/// and rows are never deleted.
fn stamp(db: &Db<'_>, session_id: i64) -> Result<String, StoreError> {
    let (count, sum): (i64, i64) = db.row(
        // The sum is cast back to an integer (PostgreSQL sums bigints as
        // numeric); the subquery is named, as PostgreSQL 15 needs.
        "SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM (
             SELECT version FROM evaluations WHERE session_id = ?1
             UNION ALL SELECT version FROM agreed_evaluations WHERE session_id = ?1
             UNION ALL SELECT version FROM arbiter_evaluations WHERE session_id = ?1
             UNION ALL SELECT agreed_version FROM agreed_confirmations WHERE session_id = ?1) AS versions",
        [session_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(format!("{count}:{sum}"))
}

fn insert_result(
    db: &Db<'_>,
    actor: &Actor,
    session_id: i64,
    result: &NewResult,
    now: &str,
) -> Result<(), StoreError> {
    let candidate_id = enrolled_id(db, session_id, &result.candidate)?;
    db.run(
        "INSERT INTO session_results
             (session_id, candidate_id, outcome, overall_grade, explanation, version, decided_at, decided_by)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7)",
        (
            session_id,
            candidate_id,
            &result.outcome,
            &result.overall_grade,
            result.explanation.to_string(),
            now,
            actor.user_id,
        ),
    )
    .map_err(|error| crate::error::constraint(error, "result"))?;
    Ok(())
}

pub(crate) fn read_results(
    db: &Db<'_>,
    session_id: i64,
    number: Option<&CandidateNumber>,
) -> Result<Vec<StoredResult>, StoreError> {
    let rows = db.rows(
        "SELECT c.candidate_number, r.outcome, r.overall_grade, r.explanation, r.version, r.decided_at
         FROM session_results r JOIN candidates c ON c.id = r.candidate_id
         WHERE r.session_id = ?1 AND (?2 IS NULL OR c.candidate_number = ?2)
         ORDER BY c.candidate_number",
        (session_id, number.map(CandidateNumber::as_str)),
        |row| {
            Ok((
                row.get::<String>(0)?,
                row.get::<String>(1)?,
                row.get::<Option<String>>(2)?,
                row.get::<String>(3)?,
                row.get::<i64>(4)?,
                row.get::<String>(5)?,
            ))
        },
    )?;

    rows.into_iter()
        .map(|(number, outcome, overall_grade, explanation, version, decided_at)| {
            Ok(StoredResult {
                candidate: CandidateNumber::parse(&number)
                    .map_err(|_| StoreError::BadValue(format!("candidate number {number:?}")))?,
                outcome,
                overall_grade,
                explanation,
                version,
                decided_at,
            })
        })
        .collect()
}

impl Store {
    /// Moves a session from state `from` to state `to`, atomically:
    /// [`StoreError::WrongState`] if it is no longer in `from`.
    pub fn set_session_state(
        &self,
        actor: &Actor,
        session_id: i64,
        from: &str,
        to: &str,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let current = session_state(db, session_id)?;
            if current != from {
                return Err(StoreError::WrongState { current });
            }
            db.run("UPDATE exam_sessions SET workflow_state = ?1 WHERE id = ?2", (to, session_id))?;
            record_in(
                db,
                actor,
                &format!("session.{to}"),
                "exam_session",
                &session_id.to_string(),
                Some(&json!({ "workflow_state": from })),
                Some(&json!({ "workflow_state": to })),
            )?;
            Ok(())
        })
    }

    /// Records that reminders were e-mailed to the examiners of a session:
    /// who got one and who did not (no address, the relay refused), by
    /// username; never the addresses or the text.
    pub fn record_reminders(
        &self,
        actor: &Actor,
        session_id: i64,
        sent: &[String],
        not_sent: &[String],
    ) -> Result<(), StoreError> {
        self.write(|db| {
            session_state(db, session_id)?;
            let after = json!({ "sent": sent, "not_sent": not_sent });
            record_in(
                db,
                actor,
                "session.reminders",
                "exam_session",
                &session_id.to_string(),
                None,
                Some(&after),
            )?;
            Ok(())
        })
    }

    /// Sets the retention date of a session's personal data.
    pub fn set_retention(&self, actor: &Actor, session_id: i64, until: &str) -> Result<(), StoreError> {
        self.write(|db| {
            let before: Option<String> = db
                .row_opt("SELECT retention_until FROM exam_sessions WHERE id = ?1", [session_id], |row| {
                    row.get(0)
                })?
                .ok_or(StoreError::NotFound { entity: "exam session" })?;
            db.run("UPDATE exam_sessions SET retention_until = ?1 WHERE id = ?2", (until, session_id))?;
            record_in(
                db,
                actor,
                "session.retention",
                "exam_session",
                &session_id.to_string(),
                Some(&json!({ "retention_until": before })),
                Some(&json!({ "retention_until": until })),
            )?;
            Ok(())
        })
    }

    /// Records whether a candidate sat the exam (one of
    /// [`CANDIDATE_STATUSES`]).
    pub fn set_candidate_status(
        &self,
        actor: &Actor,
        session_id: i64,
        number: &CandidateNumber,
        status: &str,
    ) -> Result<(), StoreError> {
        if !CANDIDATE_STATUSES.contains(&status) {
            return Err(StoreError::BadValue(format!("candidate status {status:?}")));
        }
        self.write(|db| {
            let candidate_id = enrolled_id(db, session_id, number)?;
            let before: String = db.row(
                "SELECT candidate_status FROM enrolments WHERE session_id = ?1 AND candidate_id = ?2",
                (session_id, candidate_id),
                |row| row.get(0),
            )?;
            db.run(
                "UPDATE enrolments SET candidate_status = ?1 WHERE session_id = ?2 AND candidate_id = ?3",
                (status, session_id, candidate_id),
            )?;
            record_in(
                db,
                actor,
                "candidate.status",
                "candidate",
                number.as_str(),
                Some(&json!({ "session_id": session_id, "status": before })),
                Some(&json!({ "session_id": session_id, "status": status })),
            )?;
            Ok(())
        })
    }

    /// Every examiner's evaluation of a session (drafts included; the
    /// caller filters), ordered by candidate, position and examiner.
    pub fn session_evaluations(&self, session_id: i64) -> Result<Vec<SessionEvaluation>, StoreError> {
        self.session_evaluations_in(session_id, Focus::All)
    }

    /// The evaluations of a session that `focus` selects.
    pub fn session_evaluations_in(
        &self,
        session_id: i64,
        focus: Focus<'_>,
    ) -> Result<Vec<SessionEvaluation>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                match focus {
                    Focus::All => concat!(
                        evaluations_select!(),
                        "WHERE v.session_id = ?1 AND ?2 IS NULL AND ?3 IS NULL
                     ORDER BY c.candidate_number, v.position, u.username"
                    ),
                    Focus::Around { .. } => concat!(
                        evaluations_select!(),
                        "WHERE v.session_id = ?1
                           AND v.candidate_id IN (SELECT id FROM candidates WHERE candidate_number = ?2) UNION ",
                        evaluations_select!(),
                        "WHERE v.examiner_id = (SELECT id FROM users WHERE username = ?3) AND v.session_id = ?1
                         ORDER BY 1, 3, 4"
                    ),
                },
                (session_id, focus.candidate(), focus.user()),
                |row| {
                    let (candidate, part, position, examiner, evaluation) = read_scored_row(row)?;
                    Ok(SessionEvaluation { candidate, part, position, examiner, evaluation })
                },
            )?;

            Ok(rows)
        })
    }

    /// Every agreed evaluation of a session.
    pub fn session_agreed(&self, session_id: i64) -> Result<Vec<SessionAgreed>, StoreError> {
        self.session_agreed_in(session_id, Focus::All)
    }

    /// The agreed evaluations of a session that `focus` selects (those of
    /// its candidate).
    pub fn session_agreed_in(
        &self,
        session_id: i64,
        focus: Focus<'_>,
    ) -> Result<Vec<SessionAgreed>, StoreError> {
        self.read_db(|db| {
            // Agreed evaluations belong to no user: a focus reads its candidate's.
            // Each focus has its own statement, so that the one about a
            // candidate goes through the index and not the whole session.
            let rows = db.rows(
                match focus {
                    Focus::All => concat!(
                        agreed_select!(),
                        "WHERE a.session_id = ?1 AND ?2 IS NULL ORDER BY c.candidate_number, a.position"
                    ),
                    Focus::Around { .. } => concat!(
                        agreed_select!(),
                        "WHERE a.session_id = ?1
                           AND a.candidate_id IN (SELECT id FROM candidates WHERE candidate_number = ?2)
                         ORDER BY c.candidate_number, a.position"
                    ),
                },
                (session_id, focus.candidate()),
                |row| {
                    Ok((
                        (row.get::<String>(0)?, row.get::<String>(1)?, row.get::<String>(2)?),
                        (row.get::<String>(3)?, row.get::<Option<String>>(4)?),
                        (row.get::<i64>(5)?, row.get::<String>(6)?),
                    ))
                },
            )?;

            rows.into_iter()
                .map(|((number, part, position), (content, grade), (version, updated_at))| {
                    Ok(SessionAgreed {
                        candidate: number_of(&number)?,
                        part,
                        position,
                        agreed: AgreedEvaluation {
                            content: parse_content(&content)?,
                            grade,
                            version,
                            updated_at,
                        },
                    })
                })
                .collect()
        })
    }

    /// A fingerprint of every evaluation of a session: it changes with any
    /// write. [`Store::finalise_session`] compares it with the one the
    /// results were computed from.
    pub fn evaluation_stamp(&self, session_id: i64) -> Result<String, StoreError> {
        // One statement: consistent on its own, on a reader.
        self.read_db(|db| stamp(db, session_id))
    }

    /// Stores the results and moves the session from `scoring` to
    /// `finalised`, in one db. Refused with
    /// [`StoreError::WrongState`] if the session is no longer in scoring,
    /// and with [`StoreError::StaleVersion`] if an evaluation changed
    /// since the results were computed (`stamp` differs).
    pub fn finalise_session(
        &self,
        actor: &Actor,
        session_id: i64,
        expected_stamp: &str,
        results: &[NewResult],
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let current = session_state(db, session_id)?;
            if current != "scoring" {
                return Err(StoreError::WrongState { current });
            }
            if stamp(db, session_id)? != expected_stamp {
                return Err(StoreError::StaleVersion { expected: None, current: 0 });
            }
            let now = crate::time::now();
            for result in results {
                insert_result(db, actor, session_id, result, &now)?;
            }
            db.run("UPDATE exam_sessions SET workflow_state = 'finalised' WHERE id = ?1", [session_id])?;
            let outcomes: Vec<Value> = results
                .iter()
                .map(|result| {
                    json!({
                        "candidate": result.candidate.as_str(),
                        "outcome": result.outcome,
                        "overall_grade": result.overall_grade,
                    })
                })
                .collect();
            record_in(
                db,
                actor,
                "session.finalised",
                "exam_session",
                &session_id.to_string(),
                Some(&json!({ "workflow_state": "scoring" })),
                Some(&json!({ "workflow_state": "finalised", "results": outcomes })),
            )?;
            Ok(())
        })
    }

    /// The stored results of a session, by candidate number.
    pub fn session_results(&self, session_id: i64) -> Result<Vec<StoredResult>, StoreError> {
        self.read_db(|db| read_results(db, session_id, None))
    }

    /// The stored result of one candidate.
    pub fn candidate_result(
        &self,
        session_id: i64,
        number: &CandidateNumber,
    ) -> Result<Option<StoredResult>, StoreError> {
        self.read_db(|db| Ok(read_results(db, session_id, Some(number))?.into_iter().next()))
    }

    /// Records a correction of a finalised result and replaces the result,
    /// if it is still at `expected_version` ([`StoreError::StaleVersion`]
    /// otherwise). Only in a finalised or published session.
    pub fn correct_result(
        &self,
        actor: &Actor,
        session_id: i64,
        correction: &NewCorrection,
        expected_version: i64,
    ) -> Result<StoredResult, StoreError> {
        self.write(|db| {
            let after = apply_correction(db, actor, session_id, correction, expected_version, None)?;
            Ok(after)
        })
    }

    /// The corrections of one candidate's result, oldest first.
    pub fn corrections(
        &self,
        session_id: i64,
        number: &CandidateNumber,
    ) -> Result<Vec<Correction>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows("SELECT k.id, k.position, k.reason, k.evaluation, k.before_value, k.after_value, k.corrected_at,
                        COALESCE(u.username, 'system'), a.username
                 FROM result_corrections k JOIN candidates c ON c.id = k.candidate_id
                 LEFT JOIN users u ON u.id = k.corrected_by LEFT JOIN users a ON a.id = k.approved_by
                 WHERE k.session_id = ?1 AND c.candidate_number = ?2 ORDER BY k.id", (session_id, number.as_str()), |row| {
                    Ok((
                        (row.get::<i64>(0)?, row.get::<String>(1)?, row.get::<String>(2)?),
                        (row.get::<String>(3)?, row.get::<String>(4)?, row.get::<String>(5)?),
                        (row.get::<String>(6)?, row.get::<String>(7)?, row.get::<Option<String>>(8)?),
                    ))
                })?;

            rows.into_iter()
                .map(|((id, position, reason), (evaluation, before, after), (corrected_at, corrected_by, approved_by))| {
                    Ok(Correction {
                        id,
                        position,
                        reason,
                        evaluation: parse_content(&evaluation)?,
                        before: parse_content(&before)?,
                        after: parse_content(&after)?,
                        corrected_at,
                        corrected_by,
                        approved_by,
                    })
                })
                .collect()
        })
    }

    /// Links a user (role candidate) to a candidate number.
    pub fn link_candidate_user(
        &self,
        actor: &Actor,
        user_id: i64,
        number: &CandidateNumber,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            // The number of the account's own register: a school's cohort
            // for an account of that school, the board's otherwise.
            let register: Option<Option<i64>> =
                db.row_opt("SELECT school_id FROM users WHERE id = ?1", [user_id], |row| row.get(0))?;
            let register = register.ok_or(StoreError::NotFound { entity: "user" })?;
            let id =
                candidate_id(db, register, number)?.ok_or(StoreError::NotFound { entity: "candidate" })?;
            let changed = db.run("UPDATE users SET candidate_id = ?1 WHERE id = ?2", (id, user_id))?;
            if changed == 0 {
                return Err(StoreError::NotFound { entity: "user" });
            }
            record_in(
                db,
                actor,
                "user.link_candidate",
                "user",
                &user_id.to_string(),
                None,
                Some(&json!({ "candidate_number": number.as_str() })),
            )?;
            Ok(())
        })
    }

    /// The candidate number a user is linked to, if any.
    pub fn user_candidate(&self, user_id: i64) -> Result<Option<CandidateNumber>, StoreError> {
        self.read_db(|db| {
            let number: Option<Option<String>> = db.row_opt(
                "SELECT c.candidate_number FROM users u LEFT JOIN candidates c ON c.id = u.candidate_id
                     WHERE u.id = ?1",
                [user_id],
                |row| row.get(0),
            )?;
            number.flatten().map(|text| number_of(&text)).transpose()
        })
    }

    /// Whether a candidate number exists in `register`.
    pub fn candidate_exists(
        &self,
        register: Option<i64>,
        number: &CandidateNumber,
    ) -> Result<bool, StoreError> {
        self.write(|db| Ok(candidate_id(db, register, number)?.is_some()))
    }

    /// The sessions candidate `number` of `register` is enrolled in.
    pub fn candidate_sessions(
        &self,
        register: Option<i64>,
        number: &CandidateNumber,
    ) -> Result<Vec<CandidateSession>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows("SELECT s.id, s.name, s.workflow_state, s.retention_until, e.enrolled_at, e.candidate_status, s.kind
                 FROM enrolments e JOIN candidates c ON c.id = e.candidate_id
                 JOIN exam_sessions s ON s.id = e.session_id
                 WHERE c.candidate_number = ?1 AND c.school_id IS NOT DISTINCT FROM ?2 ORDER BY s.id", (number.as_str(), register), |row| {
                Ok((
                    CandidateSession {
                        session_id: row.get(0)?,
                        name: row.get(1)?,
                        workflow_state: SessionState::Enrolment,
                        retention_until: row.get(3)?,
                        enrolled_at: row.get(4)?,
                        status: row.get(5)?,
                        kind: SessionKind::Official,
                    },
                    row.get::<String>(2)?,
                    row.get::<String>(6)?,
                ))
            })?;

            rows.into_iter()
                .map(|(mut session, state, kind)| {
                // Text the workflow does not know is a damaged row, never a default.
                session.workflow_state = SessionState::parse(&state)
                    .ok_or_else(|| StoreError::BadValue(format!("session {}: state {state:?}", session.session_id)))?;
                session.kind = SessionKind::parse(&kind)
                    .ok_or_else(|| StoreError::BadValue(format!("session {}: kind {kind:?}", session.session_id)))?;
                Ok(session)
            })
            .collect()
        })
    }

    /// The personal data of one candidate, if stored.
    pub fn candidate_identity(
        &self,
        register: Option<i64>,
        number: &CandidateNumber,
    ) -> Result<Option<crate::CandidateIdentity>, StoreError> {
        self.read_db(|db| {
            db.row_opt(
                "SELECT i.family_name, i.given_name, i.email FROM candidate_identities i
                     JOIN candidates c ON c.id = i.candidate_id
                     WHERE c.candidate_number = ?1 AND c.school_id IS NOT DISTINCT FROM ?2",
                (number.as_str(), register),
                |row| {
                    Ok(crate::CandidateIdentity {
                        family_name: row.get(0)?,
                        given_name: row.get(1)?,
                        email: row.get(2)?,
                    })
                },
            )
        })
    }
}

/// A correction saved through a proposal: which, and who proposed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Approval {
    /// The proposal's id.
    pub(crate) proposal: i64,
    /// The proposer's user id (the approver is the actor).
    pub(crate) proposed_by: i64,
}

/// Replaces a finalised result by its correction, appends the correction
/// and its audit entry, in the caller's transaction: the result's version
/// must still be `expected_version`.
pub(crate) fn apply_correction(
    db: &Db<'_>,
    actor: &Actor,
    session_id: i64,
    correction: &NewCorrection,
    expected_version: i64,
    approval: Option<Approval>,
) -> Result<StoredResult, StoreError> {
    let number = correction.result.candidate.clone();
    let current = session_state(db, session_id)?;
    if current != "finalised" && current != "published" {
        return Err(StoreError::WrongState { current });
    }
    let candidate_id = enrolled_id(db, session_id, &number)?;
    let before = read_results(db, session_id, Some(&number))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound { entity: "result" })?;
    let now = crate::time::now();
    let result = &correction.result;
    let changed = db.run(
        "UPDATE session_results SET outcome = ?1, overall_grade = ?2, explanation = ?3,
         version = version + 1, decided_at = ?4, decided_by = ?5
         WHERE session_id = ?6 AND candidate_id = ?7 AND version = ?8",
        (
            &result.outcome,
            &result.overall_grade,
            result.explanation.to_string(),
            &now,
            actor.user_id,
            session_id,
            candidate_id,
            expected_version,
        ),
    )?;
    crate::versioned::refuse_if_stale(changed, Some(expected_version), before.version)?;
    let mut after = json!({
        "outcome": result.outcome,
        "overall_grade": result.overall_grade,
        "position": correction.position,
        "reason": correction.reason,
    });
    if let Some(approval) = approval {
        after["proposal"] = json!(approval.proposal);
    }
    // Saved through a proposal: the proposer is the one who corrected, the
    // actor the one who approved.
    let (corrected_by, approved_by) = match approval {
        Some(approval) => (Some(approval.proposed_by), actor.user_id),
        None => (actor.user_id, None),
    };
    db.run(
        "INSERT INTO result_corrections
         (session_id, candidate_id, position, reason, evaluation, before_value, after_value, corrected_at,
          corrected_by, approved_by, proposal_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        (
            session_id,
            candidate_id,
            &correction.position,
            &correction.reason,
            correction.evaluation.to_string(),
            before.explanation.to_string(),
            result.explanation.to_string(),
            &now,
            corrected_by,
            approved_by,
            approval.map(|approval| approval.proposal),
        ),
    )?;
    record_in(
        db,
        actor,
        "result.correct",
        "result",
        &format!("{session_id}/{number}"),
        Some(
            &json!({ "outcome": before.outcome, "overall_grade": before.overall_grade, "version": before.version }),
        ),
        Some(&after),
    )?;
    read_results(db, session_id, Some(&number))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound { entity: "result" })
}

pub(crate) fn number_of(text: &str) -> Result<CandidateNumber, StoreError> {
    CandidateNumber::parse(text).map_err(|_| StoreError::BadValue(format!("candidate number {text:?}")))
}
