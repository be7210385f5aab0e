//! The life of a case study in a case bank, and who may see or change it.
//!
//! ```text
//! Draft --mark_ready--> Ready --(assigned in a session)--> Used --release--> Released
//!   ^                     |
//!   +----back_to_draft----+
//! ```
//!
//! * **Draft**: being written; editable.
//! * **Ready**: reviewed; editable still, and the only state a case can be
//!   assigned to candidates from.
//! * **Used**: a session pins this version: it never changes again (an
//!   edit is a new version, made by copying it).
//! * **Released**: the session is published and the bank's owner released
//!   the case, e.g. for schools to reuse as practice: every role may read
//!   it (candidates without the examiner notes).
//!
//! A bank belongs to the board or to one school. Before release a case is
//! confidential: outside its bank it does not exist ([`Denial::Hidden`]),
//! except for an examiner who scores a candidate who sat it, who reads it
//! with its examiner notes.

use crate::{Denial, Role};

/// The state of one case version in its bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseState {
    /// Being written.
    Draft,
    /// Reviewed, may be assigned.
    Ready,
    /// Pinned by a session: immutable.
    Used,
    /// Released after the exam: readable by all.
    Released,
}

impl CaseState {
    /// Every state, in order.
    pub const ALL: [CaseState; 4] =
        [CaseState::Draft, CaseState::Ready, CaseState::Used, CaseState::Released];

    /// The name stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Draft => "draft",
            CaseState::Ready => "ready",
            CaseState::Used => "used",
            CaseState::Released => "released",
        }
    }

    /// The state named `text`, if any.
    pub fn parse(text: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Whether the text of this version can still change.
    pub fn is_editable(self) -> bool {
        matches!(self, CaseState::Draft | CaseState::Ready)
    }
}

/// What a user does with a case of a bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseAction {
    /// Read the case as candidates see it (situation, tasks, attachments).
    Read,
    /// Read the examiner notes (expected elements of a good answer).
    ReadExaminerNotes,
    /// Change the text of this version.
    Edit,
    /// Draft → Ready, or Ready → Draft.
    ChangeReadiness,
    /// Assign this version to candidates of a session of the bank's owner.
    Assign,
    /// Used → Released.
    Release,
    /// Copy the case into one's own bank as a new draft.
    Duplicate,
    /// Export the case with its attachments as one file.
    Export,
    /// Create cases and import exported ones into one's own bank.
    Create,
}

impl CaseAction {
    /// Every action.
    pub const ALL: [CaseAction; 9] = [
        CaseAction::Read,
        CaseAction::ReadExaminerNotes,
        CaseAction::Edit,
        CaseAction::ChangeReadiness,
        CaseAction::Assign,
        CaseAction::Release,
        CaseAction::Duplicate,
        CaseAction::Export,
        CaseAction::Create,
    ];
}

/// Who asks about a case, with what they are to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CaseSubject {
    /// The role.
    pub role: Role,
    /// The case is in the caller's own bank: the board's bank for the
    /// board, their school's bank for a trainer.
    pub own_bank: bool,
    /// For an examiner (or a trainer scoring a mock exam): assigned to a
    /// candidate who sat this case.
    pub scores_it: bool,
}

/// Whether `subject` may do `action` on a case in `state`. A case outside
/// one's reach is [`Denial::Hidden`] for every action, so that a 404 says
/// nothing about it; a case one may read but not change answers
/// [`Denial::Role`]; an action the case's state forbids answers
/// [`Denial::CaseState`].
pub fn case_permit(action: CaseAction, state: CaseState, subject: &CaseSubject) -> Result<(), Denial> {
    let owner = subject.own_bank && matches!(subject.role, Role::Board | Role::Trainer);
    if action == CaseAction::Create {
        return if matches!(subject.role, Role::Board | Role::Trainer) { Ok(()) } else { Err(Denial::Role) };
    }
    let released = state == CaseState::Released;
    let visible = owner || released || subject.scores_it;
    if !visible {
        return Err(Denial::Hidden);
    }
    let needs = |allowed: &[CaseState]| {
        if allowed.contains(&state) { Ok(()) } else { Err(Denial::CaseState(state)) }
    };
    match action {
        CaseAction::Read => Ok(()),
        CaseAction::ReadExaminerNotes => {
            // Candidates never read the notes, even of a released case.
            if owner || subject.scores_it || (released && subject.role != Role::Candidate) {
                Ok(())
            } else {
                Err(Denial::Role)
            }
        }
        CaseAction::Duplicate => {
            if matches!(subject.role, Role::Board | Role::Trainer) {
                Ok(())
            } else {
                Err(Denial::Role)
            }
        }
        CaseAction::Edit | CaseAction::ChangeReadiness if owner => {
            needs(&[CaseState::Draft, CaseState::Ready])
        }
        CaseAction::Assign if owner => needs(&[CaseState::Ready, CaseState::Used]),
        CaseAction::Release if owner => needs(&[CaseState::Used]),
        CaseAction::Export if owner => Ok(()),
        CaseAction::Export if released && matches!(subject.role, Role::Board | Role::Trainer) => Ok(()),
        _ => Err(Denial::Role),
    }
}
