//! Who may read and write the candidate register: master data (names,
//! date of birth, place of origin, address, exam language) and the
//! accommodations decided for a candidate (compensation for
//! disadvantages), which must reach the examiners concerned and nobody
//! else.

use crate::{Denial, Role};

/// What is done with a candidate's register entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegisterAction {
    /// Read the master data (the board's candidate page, the documents).
    ReadMasterData,
    /// Write the master data, one candidate or a CSV file.
    EditMasterData,
    /// Write the accommodations.
    EditAccommodation,
    /// Read the accommodations of a candidate.
    ReadAccommodation,
    /// Declare (or withdraw) one's own conflict of interest with a
    /// candidate.
    DeclareConflict,
    /// Read every examiner's declarations.
    ReadConflicts,
}

impl RegisterAction {
    /// Every action.
    pub const ALL: [RegisterAction; 6] = [
        RegisterAction::ReadMasterData,
        RegisterAction::EditMasterData,
        RegisterAction::EditAccommodation,
        RegisterAction::ReadAccommodation,
        RegisterAction::DeclareConflict,
        RegisterAction::ReadConflicts,
    ];
}

/// Whether `role` may do `action` on a candidate's entry; `assigned` says
/// whether the user is assigned to one of the candidate's exam parts. The
/// board does everything; an examiner reads the accommodations of a
/// candidate they are assigned to ([`Denial::NotAssigned`] otherwise),
/// never the master data, and declares their own conflicts of interest,
/// which the board reads (and cannot declare for them); trainers and
/// candidates nothing ([`Denial::Role`]).
pub fn register_permit(action: RegisterAction, role: Role, assigned: bool) -> Result<(), Denial> {
    match (role, action) {
        (Role::Board, RegisterAction::DeclareConflict) => Err(Denial::Role),
        (Role::Board, _) => Ok(()),
        (Role::Examiner, RegisterAction::DeclareConflict) => Ok(()),
        (Role::Examiner, RegisterAction::ReadAccommodation) if assigned => Ok(()),
        (Role::Examiner, RegisterAction::ReadAccommodation) => Err(Denial::NotAssigned),
        _ => Err(Denial::Role),
    }
}

/// Why an examiner declared a conflict of interest with a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConflictReason {
    /// The examiner trained the candidate (school, practice supervision).
    Trained,
    /// The examiner employs the candidate or is their superior.
    Employs,
    /// Another tie the examiner declared (family, friendship, ...).
    Other,
}

impl ConflictReason {
    /// Every reason.
    pub const ALL: [ConflictReason; 3] =
        [ConflictReason::Trained, ConflictReason::Employs, ConflictReason::Other];

    /// The reason's code, as stored and in the API.
    pub fn code(self) -> &'static str {
        match self {
            ConflictReason::Trained => "trained",
            ConflictReason::Employs => "employs",
            ConflictReason::Other => "other",
        }
    }

    /// The reason of a code.
    pub fn from_code(code: &str) -> Option<ConflictReason> {
        ConflictReason::ALL.into_iter().find(|reason| reason.code() == code)
    }
}

/// A conflict of interest an examiner declared with a candidate number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared<'a> {
    /// The examiner's username.
    pub examiner: &'a str,
    /// The candidate number (of the board's register).
    pub candidate: &'a str,
    /// Why.
    pub reason: ConflictReason,
}

/// Whether `examiner` may be assigned to `candidate` given the conflicts
/// declared: the declared reason when a declaration names both, so that
/// the refusal can say why. A declaration binds the examiner who made it
/// only; the same number in a school's cohort is someone else (the
/// caller passes the board's declarations for official sessions only).
pub fn assignment_conflict(
    declared: &[Declared<'_>],
    examiner: &str,
    candidate: &str,
) -> Result<(), ConflictReason> {
    match declared.iter().find(|row| row.examiner == examiner && row.candidate == candidate) {
        Some(row) => Err(row.reason),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_is_the_boards_and_accommodations_reach_the_assigned_examiners() {
        let role = Err(Denial::Role);
        // (role, assigned, [read master, edit master, edit accommodation,
        //  read accommodation, declare a conflict, read the conflicts])
        let table = [
            (Role::Board, false, [Ok(()), Ok(()), Ok(()), Ok(()), role, Ok(())]),
            (Role::Examiner, true, [role, role, role, Ok(()), Ok(()), role]),
            (Role::Examiner, false, [role, role, role, Err(Denial::NotAssigned), Ok(()), role]),
            (Role::Trainer, true, [role, role, role, role, role, role]),
            (Role::Candidate, true, [role, role, role, role, role, role]),
        ];
        for (who, assigned, expected) in table {
            for (action, expected) in RegisterAction::ALL.into_iter().zip(expected) {
                assert_eq!(register_permit(action, who, assigned), expected, "{who:?} {assigned} {action:?}");
            }
        }
    }

    #[test]
    fn a_declared_conflict_blocks_that_examiner_with_that_candidate_only() {
        let declared = [
            Declared { examiner: "exp-01", candidate: "2026-003", reason: ConflictReason::Trained },
            Declared { examiner: "exp-02", candidate: "2026-001", reason: ConflictReason::Employs },
        ];
        let table = [
            ("exp-01", "2026-003", Err(ConflictReason::Trained)),
            ("exp-01", "2026-001", Ok(())),
            ("exp-02", "2026-001", Err(ConflictReason::Employs)),
            ("exp-02", "2026-003", Ok(())),
            ("exp-03", "2026-003", Ok(())),
        ];
        for (examiner, candidate, expected) in table {
            assert_eq!(
                assignment_conflict(&declared, examiner, candidate),
                expected,
                "{examiner} {candidate}"
            );
        }
        assert_eq!(assignment_conflict(&[], "exp-01", "2026-003"), Ok(()));
        for reason in ConflictReason::ALL {
            assert_eq!(ConflictReason::from_code(reason.code()), Some(reason));
        }
        assert_eq!(ConflictReason::from_code("friend"), None);
    }
}
