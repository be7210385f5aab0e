//! Candidates, their personal data, enrolments and examiner assignments.

use std::fmt;

use serde_json::json;

use crate::audit::record_in;
use crate::db::{Db, constraint};
use crate::workflow::Focus;
use crate::{Actor, Role, Store, StoreError, User};

/// A candidate number: 1 to 32 ASCII letters, digits or `-`. It is the only
/// way a candidate is named outside the board's personal-data table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct CandidateNumber(String);

/// Why a text is not a candidate number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a candidate number has 1 to 32 letters, digits or '-'")]
pub struct InvalidCandidateNumber;

impl CandidateNumber {
    /// Checks and wraps a candidate number (surrounding spaces are dropped).
    pub fn parse(text: &str) -> Result<CandidateNumber, InvalidCandidateNumber> {
        let text = text.trim();
        let valid = !text.is_empty()
            && text.len() <= 32
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if valid { Ok(CandidateNumber(text.to_owned())) } else { Err(InvalidCandidateNumber) }
    }

    /// A number read back from the store, checked when it was written.
    pub(crate) fn stored(text: String) -> CandidateNumber {
        CandidateNumber(text)
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CandidateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Personal data of a candidate, seen by the board only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CandidateIdentity {
    /// Family name.
    pub family_name: String,
    /// Given name.
    pub given_name: String,
    /// E-mail address, if known.
    pub email: Option<String>,
}

/// A candidate to enrol.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    /// The candidate number (an existing candidate is reused: a retake).
    pub number: CandidateNumber,
    /// Personal data to store or replace, if given.
    pub identity: Option<CandidateIdentity>,
}

/// A candidate enrolled in a session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EnrolledCandidate {
    /// The candidate number.
    pub number: CandidateNumber,
    /// Personal data, `None` once erased (or never given).
    pub identity: Option<CandidateIdentity>,
    /// When the candidate was enrolled in this session.
    pub enrolled_at: String,
    /// Whether they sat the exam: `present`, `withdrawn_excused`,
    /// `withdrawn_unexcused`, `excluded` or `absent`.
    pub status: String,
}

/// An examiner assigned to a candidate's exam part.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    /// The candidate.
    pub candidate_number: CandidateNumber,
    /// The exam part (`1.1`, `2`, ...).
    pub part: String,
    /// The examiner's username.
    pub examiner: String,
    /// When.
    pub assigned_at: String,
}

/// One assignment of an examiner, with its session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserAssignment {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// `official` or `mock`.
    pub kind: String,
    /// The session's workflow state.
    pub workflow_state: String,
    /// The candidate.
    pub candidate_number: CandidateNumber,
    /// The exam part.
    pub part: String,
    /// When assigned.
    pub assigned_at: String,
}

/// The candidate `number` of `register` (`None`: the board's; `Some`: a
/// school's cohort). The same number may exist in several registers: they
/// are different candidates.
pub(crate) fn candidate_id(
    db: &Db<'_>,
    register: Option<i64>,
    number: &CandidateNumber,
) -> Result<Option<i64>, StoreError> {
    db.row_opt(
        "SELECT id FROM candidates WHERE candidate_number = ?1 AND school_id IS NOT DISTINCT FROM ?2",
        (number.as_str(), register),
        |row| row.get(0),
    )
}

/// The candidate `number` enrolled in session `session_id` (whose register
/// it is). [`StoreError::NotFound`] (`candidate`) otherwise.
pub(crate) fn enrolled_candidate_id(
    db: &Db<'_>,
    session_id: i64,
    number: &CandidateNumber,
) -> Result<i64, StoreError> {
    db.row_opt(
        "SELECT c.id FROM candidates c JOIN enrolments e ON e.candidate_id = c.id
             WHERE e.session_id = ?1 AND c.candidate_number = ?2",
        (session_id, number.as_str()),
        |row| row.get(0),
    )?
    .ok_or(StoreError::NotFound { entity: "candidate" })
}

impl Store {
    /// Enrols candidates in a session, all or none: if any of them is
    /// already enrolled ([`StoreError::AlreadyExists`]) or the session does
    /// not exist ([`StoreError::NotFound`]), nothing is saved.
    ///
    /// The audit log records the candidate numbers, never the personal data,
    /// so that erasing an identity erases it everywhere.
    pub fn enrol_candidates(
        &self,
        actor: &Actor,
        session_id: i64,
        candidates: &[NewCandidate],
    ) -> Result<usize, StoreError> {
        self.write(|db| {
            // The session's register: NULL (the board's) or its school.
            let register: Option<i64> = db
                .row_opt("SELECT school_id FROM exam_sessions WHERE id = ?1", [session_id], |row| row.get(0))
                ?
                .ok_or(StoreError::NotFound { entity: "exam session" })?;
            let now = crate::time::now();
            for candidate in candidates {
                // The number in the session's own register only: another
                // register's candidate of the same number is someone else.
                let existing = candidate_id(db, register, &candidate.number)?;
                let id = match existing {
                    Some(id) => id,
                    None => db.row(
                        "INSERT INTO candidates (candidate_number, created_at, school_id) VALUES (?1, ?2, ?3)
                         RETURNING id",
                        (candidate.number.as_str(), &now, register),
                        |row| row.get(0),
                    )?,
                };
                if let Some(identity) = &candidate.identity {
                    // Names and e-mail replaced; the master data (date of
                    // birth, origin, address, language, accommodations)
                    // entered apart stays for a retake.
                    db.run(
                        "INSERT INTO candidate_identities (candidate_id, family_name, given_name, email, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (candidate_id) DO UPDATE SET family_name = excluded.family_name,
                           given_name = excluded.given_name, email = excluded.email, updated_at = excluded.updated_at",
                        (id, &identity.family_name, &identity.given_name, &identity.email, &now),
                    )?;
                }
                db
                    .run(
                        "INSERT INTO enrolments (session_id, candidate_id, enrolled_at) VALUES (?1, ?2, ?3)",
                        (session_id, id, &now),
                    )
                    .map_err(|error| constraint(error, "enrolment"))?;
                let after = json!({
                    "session_id": session_id,
                    "candidate_number": candidate.number.as_str(),
                    "identity_given": candidate.identity.is_some(),
                });
                record_in(db, actor, "candidate.enrol", "candidate", candidate.number.as_str(), None, Some(&after))?;
            }
            Ok(candidates.len())
        })
    }

    /// The candidates of a session, by number, with personal data.
    pub fn session_candidates(&self, session_id: i64) -> Result<Vec<EnrolledCandidate>, StoreError> {
        self.session_candidates_in(session_id, Focus::All)
    }

    /// The candidates of a session that `focus` selects.
    pub fn session_candidates_in(
        &self,
        session_id: i64,
        focus: Focus<'_>,
    ) -> Result<Vec<EnrolledCandidate>, StoreError> {
        self.read_db(|db| {
            // A focus reads its candidate and the candidates its user is
            // assigned to.
            let sql = match focus {
                Focus::All => {
                    "SELECT c.candidate_number, e.enrolled_at, i.family_name, i.given_name, i.email,
                            e.candidate_status
                     FROM enrolments e
                     JOIN candidates c ON c.id = e.candidate_id
                     LEFT JOIN candidate_identities i ON i.candidate_id = c.id
                     WHERE e.session_id = ?1 AND ?2 IS NULL AND ?3 IS NULL ORDER BY c.candidate_number"
                }
                Focus::Around { .. } => {
                    "SELECT c.candidate_number, e.enrolled_at, i.family_name, i.given_name, i.email,
                            e.candidate_status
                     FROM enrolments e
                     JOIN candidates c ON c.id = e.candidate_id
                     LEFT JOIN candidate_identities i ON i.candidate_id = c.id
                     WHERE e.session_id = ?1 AND e.candidate_id IN (
                         SELECT id FROM candidates WHERE candidate_number = ?2
                         UNION
                         SELECT a.candidate_id FROM examiner_assignments a
                         WHERE a.examiner_id = (SELECT id FROM users WHERE username = ?3) AND a.session_id = ?1)
                     ORDER BY c.candidate_number"
                }
            };
            db.rows(sql, (session_id, focus.candidate(), focus.user()), |row| {
                let number: String = row.get(0)?;
                let family_name: Option<String> = row.get(2)?;
                let given_name: Option<String> = row.get(3)?;
                let identity = match (family_name, given_name) {
                    (Some(family_name), Some(given_name)) => {
                        Some(CandidateIdentity { family_name, given_name, email: row.get(4)? })
                    }
                    _ => None,
                };
                Ok(EnrolledCandidate {
                    number: CandidateNumber(number),
                    identity,
                    enrolled_at: row.get(1)?,
                    status: row.get(5)?,
                })
            })
        })
    }

    /// Deletes a candidate's personal data; the number, enrolments and
    /// results stay. [`StoreError::NotFound`] for an unknown number.
    pub fn erase_candidate_identity(
        &self,
        actor: &Actor,
        register: Option<i64>,
        number: &CandidateNumber,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let id = candidate_id(db, register, number)?
                .ok_or(StoreError::NotFound { entity: "candidate" })?;
            let erased = db.run("DELETE FROM candidate_identities WHERE candidate_id = ?1", [id])?;
            // The work they handed in is theirs too (it often names them):
            // its rows go, and its bytes unless a case or another
            // candidate's row holds the same file.
            let files: Vec<String> =
                db.rows("SELECT sha256 FROM submissions WHERE candidate_id = ?1", [id], |row| row.get(0))?;
            let works = db.run("DELETE FROM submissions WHERE candidate_id = ?1", [id])?;
            for sha256 in &files {
                db.run(
                    "DELETE FROM attachments WHERE sha256 = ?1
                       AND NOT EXISTS (SELECT 1 FROM submissions WHERE sha256 = ?1)
                       AND NOT EXISTS (SELECT 1 FROM case_bank WHERE content LIKE '%' || ?1 || '%')",
                    [sha256],
                )?;
            }
            // What the candidate wrote about themselves in their account (the
            // development plan with its trainers' comments, the
            // self-assessment) is personal data as well; the account itself
            // stays for the board to disable.
            db.run(
                "DELETE FROM development_plan_comments
                 WHERE plan_user_id IN (SELECT id FROM users WHERE candidate_id = ?1)",
                [id],
            )?;
            let plans = db
                .run("DELETE FROM development_plans WHERE user_id IN (SELECT id FROM users WHERE candidate_id = ?1)", [id])?;
            let assessments = db
                .run("DELETE FROM self_assessments WHERE user_id IN (SELECT id FROM users WHERE candidate_id = ?1)", [id])?;
            let after = json!({
                "identity_erased": erased > 0,
                "submissions_erased": works,
                "development_plans_erased": plans,
                "self_assessments_erased": assessments,
            });
            record_in(
                db,
                actor,
                "candidate.erase_identity",
                "candidate",
                number.as_str(),
                None,
                Some(&after),
            )?;
            Ok(())
        })
    }

    /// Assigns an examiner to a candidate's exam part. The candidate must be
    /// enrolled in the session ([`StoreError::NotFound`] otherwise) and the
    /// user must have the examiner role ([`StoreError::BadValue`]).
    pub fn assign_examiner(
        &self,
        actor: &Actor,
        session_id: i64,
        number: &CandidateNumber,
        part: &str,
        examiner: &User,
    ) -> Result<Assignment, StoreError> {
        let mut saved =
            self.assign_examiners(actor, session_id, &[(number.clone(), part.to_owned(), examiner.clone())])?;
        saved.pop().ok_or(StoreError::NotFound { entity: "assignment" })
    }

    /// Assigns examiners to candidates' exam parts, all or none, in one
    /// transaction: each assignment is checked and audited as by
    /// [`Store::assign_examiner`], and the first refused one undoes them all.
    pub fn assign_examiners(
        &self,
        actor: &Actor,
        session_id: i64,
        assignments: &[(CandidateNumber, String, User)],
    ) -> Result<Vec<Assignment>, StoreError> {
        // Trainers score the mock sessions of their school; the server
        // checks which role fits which kind of session.
        if let Some((_, _, examiner)) = assignments
            .iter()
            .find(|(_, _, examiner)| !matches!(examiner.role, Role::Examiner | Role::Trainer))
        {
            return Err(StoreError::BadValue(format!("{} is not an examiner", examiner.username)));
        }
        self.write(|db| {
            let now = crate::time::now();
            let mut saved = Vec::with_capacity(assignments.len());
            for (number, part, examiner) in assignments {
                let id = enrolled_candidate_id(db, session_id, number)?;
                let assignment_id: i64 = db
                    .row(
                        "INSERT INTO examiner_assignments (session_id, candidate_id, part, examiner_id, assigned_at)
                         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                        (session_id, id, part, examiner.id, &now),
                        |row| row.get(0),
                    )
                    .map_err(|error| constraint(error, "enrolment"))?;
                let assignment = Assignment {
                    candidate_number: number.clone(),
                    part: part.clone(),
                    examiner: examiner.username.clone(),
                    assigned_at: now.clone(),
                };
                let after = json!({ "session_id": session_id, "assignment": assignment });
                record_in(
                    db,
                    actor,
                    "assignment.create",
                    "examiner_assignment",
                    &assignment_id.to_string(),
                    None,
                    Some(&after),
                )?;
                saved.push(assignment);
            }
            Ok(saved)
        })
    }

    /// Which of these numbers exist in `register` (`None`: the board's
    /// candidates; `Some(school)`: that school's cohort).
    pub fn numbers_in_register(
        &self,
        register: Option<i64>,
        numbers: &[CandidateNumber],
    ) -> Result<std::collections::BTreeSet<String>, StoreError> {
        self.read_db(|db| {
            let mut found = std::collections::BTreeSet::new();
            for number in numbers {
                let sql = "SELECT 1 FROM candidates WHERE candidate_number = ?1 AND school_id IS NOT DISTINCT FROM ?2";
                if db.row_opt(sql, (number.as_str(), register), |_| Ok(()))?.is_some() {
                    found.insert(number.as_str().to_owned());
                }
            }
            Ok(found)
        })
    }

    /// Every assignment of one examiner (or trainer), across sessions,
    /// by session then candidate and part.
    pub fn user_assignments(&self, user_id: i64) -> Result<Vec<UserAssignment>, StoreError> {
        self.read_db(|db| {
            db.rows(
                "SELECT s.id, s.name, s.kind, s.workflow_state, c.candidate_number, a.part, a.assigned_at
                 FROM examiner_assignments a
                 JOIN exam_sessions s ON s.id = a.session_id
                 JOIN candidates c ON c.id = a.candidate_id
                 WHERE a.examiner_id = ?1 ORDER BY s.id, c.candidate_number, a.part",
                [user_id],
                |row| {
                    Ok(UserAssignment {
                        session_id: row.get(0)?,
                        session_name: row.get(1)?,
                        kind: row.get(2)?,
                        workflow_state: row.get(3)?,
                        candidate_number: CandidateNumber(row.get(4)?),
                        part: row.get(5)?,
                        assigned_at: row.get(6)?,
                    })
                },
            )
        })
    }

    /// The examiner assignments of a session.
    pub fn assignments(&self, session_id: i64) -> Result<Vec<Assignment>, StoreError> {
        self.assignments_in(session_id, Focus::All)
    }

    /// The examiner assignments of a session that `focus` selects.
    pub fn assignments_in(&self, session_id: i64, focus: Focus<'_>) -> Result<Vec<Assignment>, StoreError> {
        self.read_db(|db| {
            let sql = match focus {
                Focus::All => ASSIGNMENTS_ALL,
                Focus::Around { .. } => ASSIGNMENTS_AROUND,
            };
            db.rows(sql, (session_id, focus.candidate(), focus.user()), |row| {
                Ok(Assignment {
                    candidate_number: CandidateNumber(row.get(0)?),
                    part: row.get(1)?,
                    examiner: row.get(2)?,
                    assigned_at: row.get(3)?,
                })
            })
        })
    }
}

/// The assignments of a session (`?2` and `?3` are null).
const ASSIGNMENTS_ALL: &str = "SELECT c.candidate_number, a.part, u.username, a.assigned_at
     FROM examiner_assignments a
     JOIN candidates c ON c.id = a.candidate_id
     JOIN users u ON u.id = a.examiner_id
     WHERE a.session_id = ?1 AND ?2 IS NULL AND ?3 IS NULL
     ORDER BY c.candidate_number, a.part, u.username";

/// The assignments of a session about candidate `?2` or user `?3`, each
/// half found through an index, so that the cost does not grow with the
/// session.
const ASSIGNMENTS_AROUND: &str = "SELECT c.candidate_number, a.part, u.username, a.assigned_at
     FROM examiner_assignments a
     JOIN candidates c ON c.id = a.candidate_id
     JOIN users u ON u.id = a.examiner_id
     WHERE a.session_id = ?1 AND a.candidate_id IN (SELECT id FROM candidates WHERE candidate_number = ?2)
     UNION
     SELECT c.candidate_number, a.part, u.username, a.assigned_at
     FROM examiner_assignments a
     JOIN candidates c ON c.id = a.candidate_id
     JOIN users u ON u.id = a.examiner_id
     WHERE a.examiner_id = (SELECT id FROM users WHERE username = ?3) AND a.session_id = ?1
     ORDER BY 1, 2, 3";
