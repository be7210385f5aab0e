//! Proposed corrections: a correction that changes a candidate's decision
//! waits here until a second board member approves it (then it is saved as
//! a correction, in the same transaction) or rejects it, or its author
//! withdraws it. Who may do which is grille-workflow's rule; the store
//! makes each step atomic and audited, and refuses a proposal decided
//! twice or approved on a result that changed since.

use serde_json::{Value, json};

use crate::audit::record_in;
use crate::candidates::CandidateNumber;
use crate::db::Db;
use crate::evaluations::parse_content;
use crate::workflow::{Approval, NewCorrection, StoredResult, apply_correction, enrolled_id, read_results};
use crate::{Actor, Store, StoreError};

/// A correction to propose.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProposal {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The position whose official evaluation would be replaced.
    pub position: String,
    /// The stated reason (required).
    pub reason: String,
    /// The corrected evaluation, as JSON.
    pub evaluation: Value,
    /// The result's version it was computed on.
    pub result_version: i64,
    /// The result the correction gives (explanation), as JSON.
    pub after: Value,
}

/// How a proposal ended, or `None` while it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalDecision {
    /// Saved as a correction by a second board member.
    Approved,
    /// Refused by a second board member: nothing changed.
    Rejected,
    /// Taken back by its author: nothing changed.
    Withdrawn,
}

impl ProposalDecision {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalDecision::Approved => "approved",
            ProposalDecision::Rejected => "rejected",
            ProposalDecision::Withdrawn => "withdrawn",
        }
    }

    fn parse(text: &str) -> Result<ProposalDecision, StoreError> {
        match text {
            "approved" => Ok(ProposalDecision::Approved),
            "rejected" => Ok(ProposalDecision::Rejected),
            "withdrawn" => Ok(ProposalDecision::Withdrawn),
            other => Err(StoreError::BadValue(format!("correction proposal decision {other:?}"))),
        }
    }
}

/// A proposed correction.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Proposal {
    /// Increasing id.
    pub id: i64,
    /// The candidate.
    pub candidate: String,
    /// The position.
    pub position: String,
    /// The stated reason.
    pub reason: String,
    /// The corrected evaluation, as JSON.
    pub evaluation: Value,
    /// The result's version it was computed on.
    pub result_version: i64,
    /// The result before, as JSON.
    pub before: Value,
    /// The result after, as JSON.
    pub after: Value,
    /// When proposed.
    pub proposed_at: String,
    /// Who proposed (user id, for the four-eyes rule).
    pub proposed_by_id: i64,
    /// Who proposed (username).
    pub proposed_by: String,
    /// How it ended; `None` while it waits.
    pub decision: Option<ProposalDecision>,
    /// The note given with a rejection or withdrawal.
    pub decision_note: Option<String>,
    /// When it was decided.
    pub decided_at: Option<String>,
    /// Who decided (username).
    pub decided_by: Option<String>,
}

const SELECT_PROPOSALS: &str =
    "SELECT p.id, c.candidate_number, p.position, p.reason, p.evaluation, p.result_version,
        p.before_value, p.after_value, p.proposed_at, p.proposed_by, COALESCE(u.username, 'system'),
        p.decision, p.decision_note, p.decided_at, d.username
 FROM correction_proposals p JOIN candidates c ON c.id = p.candidate_id
 LEFT JOIN users u ON u.id = p.proposed_by LEFT JOIN users d ON d.id = p.decided_by";

type ProposalRow = (
    (i64, String, String, String),
    (String, i64, String, String),
    (String, i64, String),
    (Option<String>, Option<String>, Option<String>, Option<String>),
);

fn proposal_row(row: &crate::db::Row<'_>) -> Result<ProposalRow, StoreError> {
    Ok((
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
        (row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?),
        (row.get(8)?, row.get(9)?, row.get(10)?),
        (row.get(11)?, row.get(12)?, row.get(13)?, row.get(14)?),
    ))
}

fn proposal(row: ProposalRow) -> Result<Proposal, StoreError> {
    let ((id, candidate, position, reason), (evaluation, result_version, before, after), proposer, decided) =
        row;
    let (proposed_at, proposed_by_id, proposed_by) = proposer;
    let (decision, decision_note, decided_at, decided_by) = decided;
    Ok(Proposal {
        id,
        candidate,
        position,
        reason,
        evaluation: parse_content(&evaluation)?,
        result_version,
        before: parse_content(&before)?,
        after: parse_content(&after)?,
        proposed_at,
        proposed_by_id,
        proposed_by,
        decision: decision.as_deref().map(ProposalDecision::parse).transpose()?,
        decision_note,
        decided_at,
        decided_by,
    })
}

fn read_proposal(db: &Db<'_>, session_id: i64, id: i64) -> Result<Proposal, StoreError> {
    let row = db
        .row_opt(
            &format!("{SELECT_PROPOSALS} WHERE p.session_id = ?1 AND p.id = ?2"),
            (session_id, id),
            proposal_row,
        )?
        .ok_or(StoreError::NotFound { entity: "correction proposal" })?;
    proposal(row)
}

/// Refuses a write on a session whose results are not final.
fn final_session(db: &Db<'_>, session_id: i64) -> Result<(), StoreError> {
    let current: String = db
        .row_opt("SELECT workflow_state FROM exam_sessions WHERE id = ?1", [session_id], |row| row.get(0))?
        .ok_or(StoreError::NotFound { entity: "exam session" })?;
    if current != "finalised" && current != "published" {
        return Err(StoreError::WrongState { current });
    }
    Ok(())
}

impl Store {
    /// Records a proposed correction computed on the result's version
    /// `proposal.result_version`: refused if the result changed since
    /// ([`StoreError::StaleVersion`]) or if another proposal for the same
    /// candidate is still open ([`StoreError::AlreadyExists`]).
    pub fn propose_correction(
        &self,
        actor: &Actor,
        session_id: i64,
        proposal: &NewProposal,
    ) -> Result<Proposal, StoreError> {
        self.write(|db| {
            final_session(db, session_id)?;
            let candidate_id = enrolled_id(db, session_id, &proposal.candidate)?;
            let before = read_results(db, session_id, Some(&proposal.candidate))?
                .into_iter()
                .next()
                .ok_or(StoreError::NotFound { entity: "result" })?;
            if before.version != proposal.result_version {
                return Err(StoreError::StaleVersion {
                    expected: Some(proposal.result_version),
                    current: before.version,
                });
            }
            let now = crate::time::now();
            let id: i64 = db
                .row(
                    "INSERT INTO correction_proposals
                     (session_id, candidate_id, position, reason, evaluation, result_version, before_value,
                      after_value, proposed_at, proposed_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                    (
                        session_id,
                        candidate_id,
                        &proposal.position,
                        &proposal.reason,
                        proposal.evaluation.to_string(),
                        proposal.result_version,
                        before.explanation.to_string(),
                        proposal.after.to_string(),
                        &now,
                        actor.user_id,
                    ),
                    |row| row.get(0),
                )
                .map_err(|error| crate::error::constraint(error, "open correction proposal"))?;
            record_in(
                db,
                actor,
                "result.correction_propose",
                "result",
                &format!("{session_id}/{}", proposal.candidate.as_str()),
                Some(&json!({ "outcome": before.outcome, "overall_grade": before.overall_grade, "version": before.version })),
                Some(&json!({
                    "proposal": id,
                    "outcome": proposal.after.get("outcome"),
                    "position": proposal.position,
                    "reason": proposal.reason,
                })),
            )?;
            let stored = read_proposal(db, session_id, id)?;
            Ok(stored)
        })
    }

    /// The proposed corrections of a session (of one candidate if given),
    /// oldest first.
    pub fn correction_proposals(
        &self,
        session_id: i64,
        number: Option<&CandidateNumber>,
    ) -> Result<Vec<Proposal>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(&format!(
                "{SELECT_PROPOSALS} WHERE p.session_id = ?1 AND (?2 IS NULL OR c.candidate_number = ?2) ORDER BY p.id"
            ), (session_id, number.map(CandidateNumber::as_str)), proposal_row)?;

            rows.into_iter().map(proposal).collect()
        })
    }

    /// One proposed correction of a session.
    pub fn correction_proposal(&self, session_id: i64, id: i64) -> Result<Proposal, StoreError> {
        self.read_db(|db| read_proposal(db, session_id, id))
    }

    /// Rejects or withdraws an open proposal (nothing else changes):
    /// [`StoreError::Locked`] if it was decided meanwhile.
    pub fn close_correction_proposal(
        &self,
        actor: &Actor,
        session_id: i64,
        id: i64,
        decision: ProposalDecision,
        note: &str,
    ) -> Result<Proposal, StoreError> {
        self.write(|db| {
            let open = read_proposal(db, session_id, id)?;
            let changed = db.run(
                "UPDATE correction_proposals SET decision = ?1, decision_note = ?2, decided_at = ?3, decided_by = ?4
                 WHERE session_id = ?5 AND id = ?6 AND decision IS NULL",
                (decision.as_str(), note, crate::time::now(), actor.user_id, session_id, id),
            )?;
            if changed == 0 {
                return Err(StoreError::Locked { entity: "correction proposal" });
            }
            let action = match decision {
                ProposalDecision::Withdrawn => "result.correction_withdraw",
                ProposalDecision::Rejected | ProposalDecision::Approved => "result.correction_reject",
            };
            record_in(
                db,
                actor,
                action,
                "result",
                &format!("{session_id}/{}", open.candidate),
                None,
                Some(&json!({ "proposal": id, "position": open.position, "reason": note })),
            )?;
            let stored = read_proposal(db, session_id, id)?;
            Ok(stored)
        })
    }

    /// Approves an open proposal: the correction (computed again by the
    /// caller from the proposal's evaluation) is saved with the approver
    /// recorded, in the same transaction that closes the proposal.
    /// [`StoreError::Locked`] if it was decided meanwhile,
    /// [`StoreError::StaleVersion`] if the result changed since it was
    /// proposed (the proposal stays open, to be withdrawn or rejected).
    pub fn approve_correction(
        &self,
        actor: &Actor,
        session_id: i64,
        id: i64,
        correction: &NewCorrection,
    ) -> Result<StoredResult, StoreError> {
        self.write(|db| {
            let open = read_proposal(db, session_id, id)?;
            let changed = db.run(
                "UPDATE correction_proposals SET decision = 'approved', decided_at = ?1, decided_by = ?2
                 WHERE session_id = ?3 AND id = ?4 AND decision IS NULL",
                (crate::time::now(), actor.user_id, session_id, id),
            )?;
            if changed == 0 {
                return Err(StoreError::Locked { entity: "correction proposal" });
            }
            let approval = Approval { proposal: id, proposed_by: open.proposed_by_id };
            let after =
                apply_correction(db, actor, session_id, correction, open.result_version, Some(approval))?;
            Ok(after)
        })
    }
}
