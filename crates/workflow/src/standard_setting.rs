//! Who may read and record a session's standard-setting panel (modified
//! Angoff and Hofstee, a proposal for next year's grading scheme).
//!
//! Reading follows the session's results, as the quality page does: the
//! board on an official session, a school's trainers on their mock
//! session (and not while their own evaluations keep the marks hidden).
//! Recording is the organiser's: the board of an official session, or the
//! school's trainers acting as the board of their mock exam (who can read
//! the results: the answer shows the session's scores); the board
//! has no say in a school's mock exam, and nobody else records. In any
//! state of the session: a panel may sit before the exam (estimates) or
//! after it (with the score distribution), and it never changes a grade.

use crate::{Action, Denial, SessionState, Subject, permit};

/// What is done with the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardSettingAction {
    /// Read the panel, its cut scores and the draft conversion.
    Read,
    /// Record or change the panel, save a draft scheme from it.
    Record,
}

/// Whether `subject` may do `action` with the panel of a session in
/// `state`.
pub fn standard_setting_permit(
    action: StandardSettingAction,
    state: SessionState,
    subject: &Subject,
) -> Result<(), Denial> {
    match action {
        StandardSettingAction::Read => permit(Action::ReadResults, state, subject),
        // The organiser's own work on the session, in every state: the
        // rule of the progress page, which only the organiser sees; and
        // since its answer shows the session's scores, not while the
        // caller's own marks keep them hidden.
        StandardSettingAction::Record => {
            permit(Action::ViewProgress, state, subject)?;
            permit(Action::ReadResults, state, subject)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, SessionKind};

    #[test]
    fn the_organiser_records_the_panel_in_any_state() {
        use SessionState::*;
        use StandardSettingAction::*;
        let board = Subject { role: Role::Board, kind: SessionKind::Official, ..Subject::default() };
        let board_on_mock = Subject { kind: SessionKind::Mock, ..board };
        let trainer =
            Subject { role: Role::Trainer, kind: SessionKind::Mock, own_school: true, ..Subject::default() };
        let other_school = Subject { own_school: false, ..trainer };
        let trainer_official = Subject { kind: SessionKind::Official, ..trainer };
        let pending_trainer = Subject { own_pending: true, ..trainer };
        let examiner = Subject { role: Role::Examiner, assigned: true, ..board };
        let candidate = Subject { role: Role::Candidate, own_candidate: true, ..board };
        let rows = [
            (Record, board, Enrolment, Ok(())),
            (Record, board, Scoring, Ok(())),
            (Record, board, Finalised, Ok(())),
            (Record, board, Published, Ok(())),
            (Read, board, Published, Ok(())),
            (Record, board_on_mock, Published, Err(Denial::SchoolOnly)),
            (Read, board_on_mock, Published, Err(Denial::SchoolOnly)),
            (Record, trainer, Scoring, Ok(())),
            (Read, trainer, Published, Ok(())),
            (Record, pending_trainer, Scoring, Err(Denial::PartnerHidden)),
            (Record, pending_trainer, Finalised, Ok(())),
            (Read, pending_trainer, Scoring, Err(Denial::PartnerHidden)),
            (Record, other_school, Published, Err(Denial::Hidden)),
            (Read, other_school, Published, Err(Denial::Hidden)),
            (Record, trainer_official, Published, Err(Denial::Hidden)),
            (Record, examiner, Published, Err(Denial::Role)),
            (Read, examiner, Published, Err(Denial::Role)),
            (Record, candidate, Published, Err(Denial::Role)),
            (Read, candidate, Published, Err(Denial::Role)),
        ];
        for (action, subject, state, expected) in rows {
            assert_eq!(
                standard_setting_permit(action, state, &subject),
                expected,
                "{action:?} {subject:?} {state:?}"
            );
        }
    }
}
