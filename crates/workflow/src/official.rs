//! Who may keep the exam body's identity (name, address, logo,
//! signatories, the wording of the legal remedies) and issue the official
//! documents of a session (decision letters, the list of successful
//! candidates for the federal office).

use crate::{Action, Denial, Role, SessionState, Subject, permit};

/// What is done with the exam body's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityAction {
    /// Read it (the board's page, the documents it heads).
    Read,
    /// Change it, logo included.
    Edit,
}

impl IdentityAction {
    /// Every action.
    pub const ALL: [IdentityAction; 2] = [IdentityAction::Read, IdentityAction::Edit];
}

/// Whether `role` may do `action` with the identity: the board only
/// ([`Denial::Role`], 403, for everyone else).
pub fn identity_permit(action: IdentityAction, role: Role) -> Result<(), Denial> {
    let _ = action;
    if role == Role::Board { Ok(()) } else { Err(Denial::Role) }
}

/// Whether `subject` may issue the official documents of a session in
/// `state`: whoever may export its results ([`Action::ExportResults`]),
/// once the grading meeting has fixed them (finalised or published);
/// before that [`Denial::WrongState`] (409). Only an official session
/// has them: the board on a mock session gets [`Denial::SchoolOnly`],
/// a trainer [`Denial::Role`].
pub fn documents_permit(state: SessionState, subject: &Subject) -> Result<(), Denial> {
    permit(Action::ExportResults, state, subject)?;
    if subject.role != Role::Board {
        return Err(Denial::Role);
    }
    if !state.is_final() {
        return Err(Denial::WrongState { state, action: Action::ExportResults });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SessionKind;

    #[test]
    fn only_the_board_keeps_the_identity() {
        for action in IdentityAction::ALL {
            for role in Role::ALL {
                let expected = if role == Role::Board { Ok(()) } else { Err(Denial::Role) };
                assert_eq!(identity_permit(action, role), expected, "{action:?} {role:?}");
            }
        }
    }

    #[test]
    fn official_documents_follow_the_results_once_final() {
        use SessionState::*;
        let board = Subject { role: Role::Board, kind: SessionKind::Official, ..Subject::default() };
        let mock = Subject { kind: SessionKind::Mock, ..board };
        let trainer =
            Subject { role: Role::Trainer, kind: SessionKind::Mock, own_school: true, ..Subject::default() };
        let examiner = Subject { role: Role::Examiner, assigned: true, ..board };
        let candidate = Subject { role: Role::Candidate, own_candidate: true, ..board };
        let wrong = |state| Err(Denial::WrongState { state, action: Action::ExportResults });
        let rows = [
            (board, Enrolment, wrong(Enrolment)),
            (board, Scoring, wrong(Scoring)),
            (board, Finalised, Ok(())),
            (board, Published, Ok(())),
            (mock, Published, Err(Denial::SchoolOnly)),
            (trainer, Published, Err(Denial::Role)),
            (examiner, Published, Err(Denial::Role)),
            (candidate, Published, Err(Denial::Role)),
        ];
        for (subject, state, expected) in rows {
            assert_eq!(documents_permit(state, &subject), expected, "{subject:?} {state:?}");
        }
    }
}
