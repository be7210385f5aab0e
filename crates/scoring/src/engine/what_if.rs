//! What-if: the same candidates scored under another grading scheme (pass
//! rule, conversion, rounding) or other part weights, compared with their
//! real results. Nothing is saved: the caller scores each candidate twice,
//! with the session's own [`Scorer`](super::Scorer) and with one over the
//! changed documents, and hands both grades to [`WhatIf::add`].
//!
//! Under the session's own documents the comparison is empty by
//! construction (the same function scores both sides); a property test
//! keeps it so.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::decimal::optional_decimal_schema;
use crate::message::Message;

use super::{CandidateGrades, Outcome};

/// Whether a changed grade is a part's or a position's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeLevel {
    /// A part (épreuve) grade.
    Part,
    /// A position (point d'appréciation) grade.
    Position,
}

/// One grade that would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GradeChange {
    /// A part's or a position's grade.
    pub level: GradeLevel,
    /// The part or position id.
    pub id: String,
    /// The real grade (absent: none yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub before: Option<Decimal>,
    /// The grade under the changed documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub after: Option<Decimal>,
}

/// A candidate whose grades or decision would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CandidateChange {
    /// The candidate number.
    pub number: String,
    /// The real outcome.
    pub outcome_before: Outcome,
    /// The outcome under the changed documents.
    pub outcome_after: Outcome,
    /// The real decision's reason (French).
    pub decision_before: String,
    /// The decision's reason under the changed documents (French).
    pub decision_after: String,
    /// `decision_before`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_before_message: Option<Message>,
    /// `decision_after`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_after_message: Option<Message>,
    /// The real overall grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub overall_before: Option<Decimal>,
    /// The overall grade under the changed documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub overall_after: Option<Decimal>,
    /// The part and position grades that differ, in blueprint order.
    pub grades: Vec<GradeChange>,
}

impl CandidateChange {
    /// Whether the decision itself changes (not only grades).
    pub fn decision_changes(&self) -> bool {
        self.outcome_before != self.outcome_after
    }
}

/// The comparison of a whole session: counts and every candidate that
/// changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WhatIf {
    /// Candidates compared.
    pub candidates: usize,
    /// Candidates who pass only under the changed documents.
    pub passes_gained: usize,
    /// Candidates who pass only under the real documents.
    pub passes_lost: usize,
    /// Candidates whose outcome changes in any way (pass, fail, pending).
    pub decisions_changed: usize,
    /// Candidates whose grades change but not their outcome.
    pub grades_only: usize,
    /// Every candidate with a change, in the session's order.
    pub changes: Vec<CandidateChange>,
}

impl WhatIf {
    /// An empty comparison.
    pub fn new() -> WhatIf {
        WhatIf::default()
    }

    /// Compares one candidate's real grades with those under the changed
    /// documents (the same candidate, scored twice).
    pub fn add(&mut self, before: &CandidateGrades, after: &CandidateGrades) {
        self.candidates += 1;
        let grades = grade_changes(before, after);
        let outcome_changes = before.outcome != after.outcome;
        if !outcome_changes && grades.is_empty() && before.overall == after.overall {
            return;
        }
        match (before.outcome == Outcome::Passed, after.outcome == Outcome::Passed) {
            (false, true) => self.passes_gained += 1,
            (true, false) => self.passes_lost += 1,
            _ => {}
        }
        if outcome_changes {
            self.decisions_changed += 1;
        } else {
            self.grades_only += 1;
        }
        self.changes.push(CandidateChange {
            number: before.number.clone(),
            outcome_before: before.outcome,
            outcome_after: after.outcome,
            decision_before: before.decision.clone(),
            decision_after: after.decision.clone(),
            decision_before_message: before.decision_message.clone(),
            decision_after_message: after.decision_message.clone(),
            overall_before: before.overall,
            overall_after: after.overall,
            grades,
        });
    }
}

/// The part and position grades that differ, parts first in blueprint
/// order, each followed by its positions. Both sides come from the same
/// blueprint, so parts and positions pair up by id.
fn grade_changes(before: &CandidateGrades, after: &CandidateGrades) -> Vec<GradeChange> {
    let mut changes = Vec::new();
    for part in &before.parts {
        let other = after.parts.iter().find(|candidate| candidate.part == part.part);
        let after_grade = other.and_then(|other| other.grade);
        if part.grade != after_grade {
            changes.push(GradeChange {
                level: GradeLevel::Part,
                id: part.part.clone(),
                before: part.grade,
                after: after_grade,
            });
        }
        for position in &part.positions {
            let after_position = other
                .and_then(|other| other.positions.iter().find(|each| each.position == position.position))
                .and_then(|each| each.grade);
            if position.grade != after_position {
                changes.push(GradeChange {
                    level: GradeLevel::Position,
                    id: position.position.clone(),
                    before: position.grade,
                    after: after_position,
                });
            }
        }
    }
    changes
}
