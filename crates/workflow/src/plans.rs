//! The candidate's loop: who reads, edits and comments a development plan,
//! who opens an official session's filled rubrics to its candidates, and
//! when a candidate sees the filled rubric of a result.
//!
//! A plan belongs to its candidate: only they edit it. The trainers of
//! the candidate's school read and comment it once the candidate shares
//! it; for everyone else, and for those trainers while it is not shared,
//! it does not exist ([`Denial::Hidden`], answered 404 like a plan never
//! written, so that sharing is not revealed). The board and examiners
//! have no part in it.

use crate::{Denial, Role, SessionKind, SessionState};

/// What can be done with a development plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAction {
    /// Read it (and its comments).
    Read,
    /// Write its items and whether it is shared.
    Edit,
    /// Append a comment.
    Comment,
}

/// Who asks about a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanSubject {
    /// The caller's role.
    pub role: Role,
    /// The plan is the caller's own.
    pub own: bool,
    /// A trainer of the plan's candidate's school.
    pub same_school: bool,
    /// The candidate shares the plan with their school's trainers.
    pub shared: bool,
}

/// Whether `subject` may do `action` with a plan.
pub fn plan_permit(action: PlanAction, subject: &PlanSubject) -> Result<(), Denial> {
    match subject.role {
        Role::Candidate if subject.own => match action {
            PlanAction::Read | PlanAction::Edit => Ok(()),
            PlanAction::Comment => Err(Denial::Role),
        },
        Role::Candidate => Err(Denial::Hidden),
        Role::Trainer if subject.same_school && subject.shared => match action {
            PlanAction::Read | PlanAction::Comment => Ok(()),
            PlanAction::Edit => Err(Denial::Role),
        },
        Role::Trainer => Err(Denial::Hidden),
        Role::Board | Role::Examiner => Err(Denial::Role),
    }
}

/// Whether `role` may open (or close) a session's filled rubrics to its
/// candidates: the board, for an official session (a mock exam's are open
/// to its candidates once published anyway).
pub fn consultation_permit(role: Role, kind: SessionKind) -> Result<(), Denial> {
    match (role, kind) {
        (Role::Board, SessionKind::Official) => Ok(()),
        (Role::Trainer, SessionKind::Official) => Err(Denial::Hidden),
        _ => Err(Denial::Role),
    }
}

/// Whether a candidate sees the filled rubric of their result: once it is
/// published, for a mock exam always, for an official exam where the
/// board opened the file to consultation.
pub fn filled_rubric_visible(kind: SessionKind, state: SessionState, consultation: bool) -> bool {
    state == SessionState::Published && (kind == SessionKind::Mock || consultation)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per caller; columns Read, Edit, Comment: `.` allowed, `H`
    /// hidden (404), `R` role (403).
    const TABLE: &[(&str, PlanSubject, &str)] = &[
        (
            "own candidate",
            PlanSubject { role: Role::Candidate, own: true, same_school: false, shared: false },
            "..R",
        ),
        (
            "own, shared",
            PlanSubject { role: Role::Candidate, own: true, same_school: false, shared: true },
            "..R",
        ),
        (
            "other candidate",
            PlanSubject { role: Role::Candidate, own: false, same_school: true, shared: true },
            "HHH",
        ),
        (
            "school trainer, shared",
            PlanSubject { role: Role::Trainer, own: false, same_school: true, shared: true },
            ".R.",
        ),
        (
            "school trainer, unshared",
            PlanSubject { role: Role::Trainer, own: false, same_school: true, shared: false },
            "HHH",
        ),
        (
            "other school's trainer",
            PlanSubject { role: Role::Trainer, own: false, same_school: false, shared: true },
            "HHH",
        ),
        ("board", PlanSubject { role: Role::Board, own: false, same_school: false, shared: true }, "RRR"),
        (
            "examiner",
            PlanSubject { role: Role::Examiner, own: false, same_school: false, shared: true },
            "RRR",
        ),
    ];

    fn code(answer: Result<(), Denial>) -> char {
        match answer {
            Ok(()) => '.',
            Err(Denial::Hidden) => 'H',
            Err(Denial::Role) => 'R',
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn plan_access_follows_the_table() {
        for (name, subject, expected) in TABLE {
            let found: String = [PlanAction::Read, PlanAction::Edit, PlanAction::Comment]
                .into_iter()
                .map(|action| code(plan_permit(action, subject)))
                .collect();
            assert_eq!(&found, expected, "{name}");
        }
    }

    #[test]
    fn only_the_board_opens_an_official_file() {
        let table = [
            (Role::Board, SessionKind::Official, '.'),
            (Role::Board, SessionKind::Mock, 'R'),
            (Role::Trainer, SessionKind::Official, 'H'),
            (Role::Trainer, SessionKind::Mock, 'R'),
            (Role::Examiner, SessionKind::Official, 'R'),
            (Role::Candidate, SessionKind::Official, 'R'),
        ];
        for (role, kind, expected) in table {
            assert_eq!(code(consultation_permit(role, kind)), expected, "{role:?} {kind:?}");
        }
    }

    #[test]
    fn the_filled_rubric_shows_once_published_and_for_an_official_exam_when_opened() {
        use SessionState::*;
        let table = [
            (SessionKind::Mock, Published, false, true),
            (SessionKind::Mock, Finalised, false, false),
            (SessionKind::Mock, Scoring, true, false),
            (SessionKind::Official, Published, false, false),
            (SessionKind::Official, Published, true, true),
            (SessionKind::Official, Finalised, true, false),
        ];
        for (kind, state, consultation, expected) in table {
            assert_eq!(
                filled_rubric_visible(kind, state, consultation),
                expected,
                "{kind:?} {state:?} {consultation}"
            );
        }
    }
}
