//! Moderation beyond the agreed evaluation: the third examiner (chief
//! expert, *arbitre*) of a part reconciled by arbitration, and the joint
//! grade that counts only once both examiners have confirmed it.
//!
//! # Arbitration
//!
//! The board (a school's trainer on its mock exam) names an arbiter per
//! part or per position, as it assigns examiners
//! ([`crate::Action::AssignExaminers`]). The arbiter is a third person:
//! an examiner of the candidate's part cannot arbitrate it
//! ([`Denial::ArbiterIsExaminer`]). The arbiter learns nothing about a
//! candidate's position until arbitration is needed: every examiner has
//! submitted and their grades raise a discrepancy flag
//! ([`arbitration_needed`]); before that the position answers
//! [`Denial::NoArbitration`], so blind double marking is untouched for the
//! two examiners (they never see the arbiter's evaluation before their own
//! is submitted, and it is written only after both are). The arbiter then
//! reads both evaluations side by side, saves drafts and submits like an
//! examiner ([`crate::evaluation_transition`]).
//!
//! # Confirmation of the joint grade
//!
//! In the `agreed` mode the joint evaluation counts once every examiner of
//! the part has confirmed it in their own account, on the version recorded
//! (a new version clears every confirmation: [`awaiting_confirmation`]).
//! An examiner whose own position grade and the joint grade lie on both
//! sides of the pass mark writes a justification to confirm
//! ([`confirmation_check`]).

use crate::{Denial, EvaluationOp, EvaluationState, Role, SessionKind, SessionState, evaluation_transition};

/// What an arbiter does with a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArbiterAction {
    /// Read both examiners' evaluations and one's own arbitration.
    Read,
    /// Save one's arbitration as a draft.
    Save,
    /// Submit one's arbitration: it is locked and official.
    Submit,
}

impl ArbiterAction {
    /// Every action.
    pub const ALL: [ArbiterAction; 3] = [ArbiterAction::Read, ArbiterAction::Save, ArbiterAction::Submit];
}

/// Who asks to arbitrate a candidate's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ArbiterSubject {
    /// The caller's role.
    pub role: Role,
    /// The kind of the session.
    pub kind: SessionKind,
    /// For a trainer: the (mock) session belongs to their school.
    pub own_school: bool,
    /// The caller is the arbiter named for this position (or its part).
    pub named: bool,
    /// The caller is also one of the examiners of the candidate's part.
    pub examines: bool,
    /// Arbitration is needed: see [`arbitration_needed`].
    pub needed: bool,
    /// The state of the caller's arbitration (`None`: not written yet).
    pub own: Option<EvaluationState>,
}

/// Whether a position reconciled by arbitration needs its arbiter: every
/// examiner expected has submitted and their grades raise at least one
/// discrepancy flag.
pub fn arbitration_needed(every_examiner_submitted: bool, flagged: bool) -> bool {
    every_examiner_submitted && flagged
}

/// Whether `subject` may do `action` on a position in a session in
/// `state`. The checks run in a fixed order: reach (an official session
/// for a trainer, a mock one for an examiner: [`Denial::Hidden`]), role,
/// named arbiter, not an examiner of the part, session state, arbitration
/// needed, then the arbitration's own state.
pub fn arbiter_permit(
    action: ArbiterAction,
    state: SessionState,
    subject: &ArbiterSubject,
) -> Result<(), Denial> {
    match (subject.role, subject.kind) {
        (Role::Trainer, SessionKind::Official) | (Role::Examiner, SessionKind::Mock) => {
            return Err(Denial::Hidden);
        }
        (Role::Trainer, SessionKind::Mock) if !subject.own_school => return Err(Denial::Hidden),
        (Role::Examiner, _) | (Role::Trainer, _) => {}
        (Role::Board | Role::Candidate, _) => return Err(Denial::Role),
    }
    if !subject.named {
        return Err(Denial::NotAssigned);
    }
    if subject.examines {
        return Err(Denial::ArbiterIsExaminer);
    }
    let states: &[SessionState] = match action {
        ArbiterAction::Read => &[SessionState::Scoring, SessionState::Finalised, SessionState::Published],
        ArbiterAction::Save | ArbiterAction::Submit => &[SessionState::Scoring],
    };
    if !states.contains(&state) {
        return Err(Denial::WrongState { state, action: crate::Action::SaveOwnEvaluation });
    }
    if !subject.needed {
        return Err(Denial::NoArbitration);
    }
    match action {
        ArbiterAction::Read => Ok(()),
        ArbiterAction::Save => evaluation_transition(subject.own, EvaluationOp::Save).map(drop),
        ArbiterAction::Submit => evaluation_transition(subject.own, EvaluationOp::Submit).map(drop),
    }
}

/// The examiners of a part who have not confirmed the joint evaluation's
/// current version: `confirmed` lists each confirmation as (examiner, the
/// version it was given on); one given on an older version no longer
/// counts. The joint evaluation counts when the answer is empty (and there
/// is at least one examiner).
pub fn awaiting_confirmation(examiners: &[String], confirmed: &[(String, i64)], version: i64) -> Vec<String> {
    examiners
        .iter()
        .filter(|examiner| !confirmed.iter().any(|(who, on)| who == *examiner && *on == version))
        .cloned()
        .collect()
}

/// Whether an examiner may confirm a joint grade `joint` with their own
/// position grade `own` (`None`: not known) and the justification they
/// wrote: when the two grades lie on both sides of `pass_mark` (one
/// sufficient, the other not), a justification that is not blank is
/// required ([`Denial::JustificationRequired`]).
pub fn confirmation_check<G: PartialOrd>(
    joint: &G,
    own: Option<&G>,
    pass_mark: &G,
    justification: Option<&str>,
) -> Result<(), Denial> {
    if justification_required(joint, own, pass_mark)
        && justification.is_none_or(|text| text.trim().is_empty())
    {
        Err(Denial::JustificationRequired)
    } else {
        Ok(())
    }
}

/// Whether the joint grade and an examiner's own grade lie on both sides
/// of the pass mark.
pub fn justification_required<G: PartialOrd>(joint: &G, own: Option<&G>, pass_mark: &G) -> bool {
    own.is_some_and(|own| (joint >= pass_mark) != (own >= pass_mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The subjects of the arbitration table, in column order.
    fn subjects() -> Vec<(&'static str, ArbiterSubject)> {
        let arbiter = |needed, own| ArbiterSubject {
            role: Role::Examiner,
            named: true,
            needed,
            own,
            ..ArbiterSubject::default()
        };
        vec![
            (
                "board",
                ArbiterSubject { role: Role::Board, named: true, needed: true, ..ArbiterSubject::default() },
            ),
            ("arbiter, not needed yet", arbiter(false, None)),
            ("arbiter, nothing written", arbiter(true, None)),
            ("arbiter, draft", arbiter(true, Some(EvaluationState::Draft))),
            ("arbiter, submitted", arbiter(true, Some(EvaluationState::Submitted))),
            (
                "examiner not named",
                ArbiterSubject { role: Role::Examiner, needed: true, ..ArbiterSubject::default() },
            ),
            ("named but examines the part", ArbiterSubject { examines: true, ..arbiter(true, None) }),
            (
                "trainer, own mock",
                ArbiterSubject {
                    role: Role::Trainer,
                    kind: SessionKind::Mock,
                    own_school: true,
                    ..arbiter(true, None)
                },
            ),
            ("trainer, official", ArbiterSubject { role: Role::Trainer, ..arbiter(true, None) }),
            (
                "candidate",
                ArbiterSubject {
                    role: Role::Candidate,
                    named: true,
                    needed: true,
                    ..ArbiterSubject::default()
                },
            ),
        ]
    }

    fn code(result: Result<(), Denial>) -> char {
        match result {
            Ok(()) => '.',
            Err(Denial::Role) => 'R',
            Err(Denial::NotAssigned) => 'A',
            Err(Denial::ArbiterIsExaminer) => 'E',
            Err(Denial::WrongState { .. }) => 'S',
            Err(Denial::NoArbitration) => 'Q',
            Err(Denial::Locked) => 'L',
            Err(Denial::NothingToSubmit) => 'N',
            Err(Denial::Hidden) => 'X',
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    /// For each action, one group per session state (enrolment, scoring,
    /// finalised, published), one letter per subject of [`subjects`]. `.`
    /// allowed, `R` role, `A` not the named arbiter, `E` examines the part,
    /// `S` state, `Q` no arbitration needed (yet), `L` locked, `N` nothing
    /// to submit, `X` hidden.
    const TABLE: &str = "
Read    RSSSSAESXR RQ...AE.XR RQ...AE.XR RQ...AE.XR
Save    RSSSSAESXR RQ..LAE.XR RSSSSAESXR RSSSSAESXR
Submit  RSSSSAESXR RQN.LAENXR RSSSSAESXR RSSSSAESXR
";

    #[test]
    fn the_arbitration_table_holds() {
        crate::tests::check_access_table(
            TABLE,
            &ArbiterAction::ALL,
            &SessionState::ALL,
            &subjects(),
            |action, state, (_, subject)| code(arbiter_permit(action, state, subject)),
        );
    }

    #[test]
    fn arbitration_is_needed_only_when_both_submitted_and_flagged() {
        for (submitted, flagged, needed) in
            [(false, false, false), (false, true, false), (true, false, false), (true, true, true)]
        {
            assert_eq!(arbitration_needed(submitted, flagged), needed, "{submitted} {flagged}");
        }
    }

    #[test]
    fn confirmations_count_on_the_current_version_only() {
        let examiners = vec!["anna".to_owned(), "ben".to_owned()];
        let on = |who: &str, version| (who.to_owned(), version);
        // (confirmations, current version, still awaited)
        type Case = (Vec<(String, i64)>, i64, Vec<&'static str>);
        let cases: Vec<Case> = vec![
            (vec![], 1, vec!["anna", "ben"]),
            (vec![on("anna", 1)], 1, vec!["ben"]),
            (vec![on("anna", 1), on("ben", 1)], 1, vec![]),
            // The joint evaluation changed to version 2: both confirm again.
            (vec![on("anna", 1), on("ben", 1)], 2, vec!["anna", "ben"]),
            (vec![on("anna", 2), on("ben", 1)], 2, vec!["ben"]),
            // Someone who is not an examiner of the part changes nothing.
            (vec![on("carla", 1), on("anna", 1)], 1, vec!["ben"]),
        ];
        for (confirmed, version, expected) in cases {
            assert_eq!(
                awaiting_confirmation(&examiners, &confirmed, version),
                expected,
                "{confirmed:?} v{version}"
            );
        }
    }

    #[test]
    fn a_justification_is_required_across_the_pass_mark() {
        // Grades in tenths: (joint, own, justification, allowed)
        let cases: [(u32, Option<u32>, Option<&str>, bool); 9] = [
            (45, Some(50), None, true),
            (45, Some(40), None, true),
            (40, Some(35), None, false),
            (40, Some(35), Some("   "), false),
            (40, Some(35), Some("Accord après relecture du rapport."), true),
            (35, Some(40), None, false),
            (35, Some(30), None, true),
            (35, Some(45), Some("Le critère 3 manque."), true),
            (35, None, None, true),
        ];
        for (joint, own, justification, allowed) in cases {
            let result = confirmation_check(&joint, own.as_ref(), &40, justification);
            assert_eq!(result.is_ok(), allowed, "{joint} {own:?} {justification:?}");
            if !allowed {
                assert_eq!(result, Err(Denial::JustificationRequired));
            }
        }
    }
}
