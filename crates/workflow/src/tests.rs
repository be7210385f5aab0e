//! The whole access and transition table, as data.

use super::*;

/// The subjects of the access table, in column order.
fn subjects() -> [(&'static str, Subject); 9] {
    let examiner = |own_evaluation, partners_submitted| Subject {
        role: Role::Examiner,
        assigned: true,
        own_evaluation,
        partners_submitted,
        ..Subject::default()
    };
    [
        ("board", Subject { role: Role::Board, ..Subject::default() }),
        ("examiner, nothing written", examiner(None, true)),
        ("examiner, draft", examiner(Some(EvaluationState::Draft), true)),
        ("examiner, submitted", examiner(Some(EvaluationState::Submitted), true)),
        ("examiner, submitted, partner pending", examiner(Some(EvaluationState::Submitted), false)),
        ("examiner, not assigned", Subject { role: Role::Examiner, ..Subject::default() }),
        ("trainer", Subject { role: Role::Trainer, ..Subject::default() }),
        ("candidate, own", Subject { role: Role::Candidate, own_candidate: true, ..Subject::default() }),
        ("candidate, other", Subject { role: Role::Candidate, ..Subject::default() }),
    ]
}

/// One letter per answer.
fn code(result: Result<(), Denial>) -> char {
    match result {
        Ok(()) => '.',
        Err(Denial::Role) => 'R',
        Err(Denial::NotAssigned) => 'A',
        Err(Denial::PartnerHidden) => 'H',
        Err(Denial::WrongState { .. }) => 'S',
        Err(Denial::Locked) => 'L',
        Err(Denial::PartnersPending) => 'W',
        Err(Denial::NothingToSubmit) => 'N',
        Err(Denial::NotReady(_)) => 'Y',
        Err(Denial::NotPublished) => 'P',
        Err(Denial::RetentionRunning) => 'K',
        Err(Denial::Hidden) => 'X',
        Err(Denial::SchoolOnly) => 'O',
        Err(Denial::UnknownCandidate) => 'C',
        Err(Denial::CaseState(_)) => 'S',
        Err(Denial::SubmissionClosed) => 'Z',
        Err(Denial::OwnAccount) => 'M',
        Err(Denial::SecondApprovalNeeded) => '2',
        Err(Denial::OwnProposal) => 'E',
        Err(Denial::ArbiterIsExaminer | Denial::NoArbitration | Denial::JustificationRequired) => '?',
    }
}

/// The access table: for each action, one group of nine letters per
/// session state (enrolment, scoring, finalised, published), one letter
/// per subject in the order of [`subjects`]:
/// board, examiner (nothing written / draft / submitted / submitted with
/// partner pending / not assigned), trainer, candidate (own / other).
///
/// `.` allowed, `R` role, `A` not assigned, `H` partner hidden (blind
/// double marking), `S` wrong session state, `L` locked, `W` partners not
/// submitted, `N` nothing to submit, `P` not published (as if absent),
/// `X` hidden (the session does not exist for the caller), `O` the board
/// on a mock session (school only).
///
/// An official session: a trainer is `X` everywhere.
const TABLE: &str = "
ViewSession            .RRRRRXRR .RRRRRXRR .RRRRRXRR .RRRRRXRR
EnrolCandidates        .RRRRRXRR SRRRRRXRR SRRRRRXRR SRRRRRXRR
AssignExaminers        .RRRRRXRR .RRRRRXRR SRRRRRXRR SRRRRRXRR
RecordCandidateStatus  .RRRRRXRR .RRRRRXRR SRRRRRXRR SRRRRRXRR
StartScoring           .RRRRRXRR SRRRRRXRR SRRRRRXRR SRRRRRXRR
ViewProgress           .RRRRRXRR .RRRRRXRR .RRRRRXRR .RRRRRXRR
ReadOwnEvaluation      R....AXRR R....AXRR R....AXRR R....AXRR
SaveOwnEvaluation      RSSSSAXRR R..LLAXRR RSSSSAXRR RSSSSAXRR
SubmitOwnEvaluation    RSSSSAXRR RN.LLAXRR RSSSSAXRR RSSSSAXRR
ReadPartnerEvaluations .HH..AXRR .HH..AXRR .HH..AXRR .HH..AXRR
RecordAgreed           RSSSSAXRR RHH.WAXRR RSSSSAXRR RSSSSAXRR
Finalise               SRRRRRXRR .RRRRRXRR SRRRRRXRR SRRRRRXRR
CorrectResult          SRRRRRXRR SRRRRRXRR .RRRRRXRR .RRRRRXRR
Publish                SRRRRRXRR SRRRRRXRR .RRRRRXRR SRRRRRXRR
ReadResults            .RRRRRXRR .RRRRRXRR .RRRRRXRR .RRRRRXRR
ExportResults          .RRRRRXRR .RRRRRXRR .RRRRRXRR .RRRRRXRR
ReadOwnResult          RRRRRRXPP RRRRRRXPP RRRRRRXPP RRRRRRX.P
SetRetention           .RRRRRXRR .RRRRRXRR .RRRRRXRR .RRRRRXRR
ExportPersonalData     .RRRRRXRR .RRRRRXRR .RRRRRXRR .RRRRRXRR
ErasePersonalData      SRRRRRXRR SRRRRRXRR .RRRRRXRR .RRRRRXRR
SubmitOwnWork          RRRRRRX.C RRRRRRX.C RRRRRRXSC RRRRRRXSC
ReopenEvaluation       SRRRRRXRR .RRRRRXRR SRRRRRXRR SRRRRRXRR
SendReminders          SRRRRRXRR .RRRRRXRR SRRRRRXRR SRRRRRXRR
";

#[test]
fn the_access_table_holds() {
    check_table(TABLE, &subjects());
}

fn check_table(table: &str, subjects: &[(&'static str, Subject)]) {
    check_access_table(table, &Action::ALL, &SessionState::ALL, subjects, |action, state, (_, subject)| {
        code(permit(action, state, subject))
    });
}

/// Checks an access table written as text: one row per action, named as
/// its `Debug` form and in the order of `actions`, then one group per
/// state (in the order of `states`) with one letter per subject, the
/// letter `letter` gives for that action, state and subject. Every row
/// that differs is reported at once.
pub(crate) fn check_access_table<A: Copy + std::fmt::Debug, T: Copy, S>(
    table: &str,
    actions: &[A],
    states: &[T],
    subjects: &[S],
    letter: impl Fn(A, T, &S) -> char,
) {
    let rows: Vec<&str> = table.lines().filter(|line| !line.trim().is_empty()).collect();
    assert_eq!(rows.len(), actions.len(), "one row per action");
    let mut failures = Vec::new();
    for (row, &action) in rows.iter().zip(actions) {
        let mut words = row.split_whitespace();
        assert_eq!(words.next(), Some(format!("{action:?}").as_str()), "rows follow the actions' order");
        let expected: Vec<&str> = words.collect();
        let actual: Vec<String> = states
            .iter()
            .map(|&state| subjects.iter().map(|subject| letter(action, state, subject)).collect())
            .collect();
        if expected != actual {
            failures.push(format!("{action:?}: expected {expected:?}, got {actual:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn session_transitions_follow_the_chain() {
    let ready = Readiness::default();
    // (from, transition, expected next state or None when refused)
    let cases = [
        (SessionState::Enrolment, SessionTransition::StartScoring, Some(SessionState::Scoring)),
        (SessionState::Enrolment, SessionTransition::Finalise, None),
        (SessionState::Enrolment, SessionTransition::Publish, None),
        (SessionState::Scoring, SessionTransition::StartScoring, None),
        (SessionState::Scoring, SessionTransition::Finalise, Some(SessionState::Finalised)),
        (SessionState::Scoring, SessionTransition::Publish, None),
        (SessionState::Finalised, SessionTransition::StartScoring, None),
        (SessionState::Finalised, SessionTransition::Finalise, None),
        (SessionState::Finalised, SessionTransition::Publish, Some(SessionState::Published)),
        (SessionState::Published, SessionTransition::StartScoring, None),
        (SessionState::Published, SessionTransition::Finalise, None),
        (SessionState::Published, SessionTransition::Publish, None),
    ];
    assert_eq!(cases.len(), SessionState::ALL.len() * SessionTransition::ALL.len());
    for (from, step, expected) in cases {
        let actual = transition(from, step, ready);
        assert_eq!(actual.ok(), expected, "{from} {step:?}");
        if expected.is_none() {
            assert!(matches!(actual, Err(Denial::WrongState { state, .. }) if state == from));
        }
    }
}

#[test]
fn finalisation_needs_nothing_pending() {
    for readiness in [
        Readiness { pending_candidates: 1, ..Readiness::default() },
        Readiness { open_discrepancies: 2, ..Readiness::default() },
        Readiness { drafts: 1, ..Readiness::default() },
    ] {
        assert_eq!(
            transition(SessionState::Scoring, SessionTransition::Finalise, readiness),
            Err(Denial::NotReady(readiness))
        );
    }
}

#[test]
fn evaluation_transitions() {
    use EvaluationState::*;
    let cases = [
        (None, EvaluationOp::Save, Ok(Draft)),
        (None, EvaluationOp::Submit, Err(Denial::NothingToSubmit)),
        (Some(Draft), EvaluationOp::Save, Ok(Draft)),
        (Some(Draft), EvaluationOp::Submit, Ok(Submitted)),
        (Some(Submitted), EvaluationOp::Save, Err(Denial::Locked)),
        (Some(Submitted), EvaluationOp::Submit, Err(Denial::Locked)),
    ];
    for (current, op, expected) in cases {
        assert_eq!(evaluation_transition(current, op), expected, "{current:?} {op:?}");
    }
}

#[test]
fn erasure_waits_for_every_retention_date() {
    let today = "2030-01-10";
    type Case<'a> = (&'a [(SessionState, Option<&'a str>)], Result<(), Denial>);
    let cases: [Case<'_>; 6] = [
        (&[(SessionState::Published, Some("2030-01-09"))], Ok(())),
        (&[(SessionState::Published, Some("2030-01-10"))], Err(Denial::RetentionRunning)),
        (&[(SessionState::Finalised, None)], Err(Denial::RetentionRunning)),
        (
            &[(SessionState::Published, Some("2029-01-01")), (SessionState::Published, Some("2031-01-01"))],
            Err(Denial::RetentionRunning),
        ),
        (
            &[(SessionState::Scoring, Some("2000-01-01"))],
            Err(Denial::WrongState { state: SessionState::Scoring, action: Action::ErasePersonalData }),
        ),
        (&[], Ok(())),
    ];
    for (states, expected) in cases {
        assert_eq!(may_erase(states, today), expected, "{states:?}");
    }
}

#[test]
fn states_round_trip_and_every_denial_speaks_french() {
    for state in SessionState::ALL {
        assert_eq!(SessionState::parse(state.as_str()), Some(state));
    }
    assert_eq!(SessionState::parse("closed"), None);
    for denial in Denial::examples() {
        assert!(denial.message_fr().ends_with('.'), "{denial:?}");
        assert!(denial.code().starts_with("denial."), "{denial:?}");
    }
}

#[test]
fn every_denial_has_its_own_code_and_the_arguments_its_sentence_names() {
    let examples = Denial::examples();
    let mut codes: Vec<&str> = examples.iter().map(Denial::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), examples.len(), "two examples share a code, or a code repeats");
    // A released case is refused as a used one: same code, same sentence.
    let (used, released) = (Denial::CaseState(CaseState::Used), Denial::CaseState(CaseState::Released));
    assert_eq!(used.code(), released.code());
    assert_eq!(used.message_fr(), released.message_fr());
    // The counts are the numbers the French sentence shows (the state is
    // its stored name, which readers turn into their label).
    for denial in examples {
        let sentence = denial.message_fr();
        for (name, value) in denial.args().into_iter().filter(|(name, _)| *name != "state") {
            assert!(sentence.contains(&value), "{denial:?}: {name}={value} in {sentence:?}");
        }
    }
    let wrong = Denial::WrongState { state: SessionState::Finalised, action: Action::SaveOwnEvaluation };
    assert_eq!(wrong.args(), vec![("state", "finalised".to_owned())]);
    assert_eq!(wrong.message_fr(), "Action impossible dans l'état actuel de la session (notes arrêtées).");
}

/// The subjects of the mock-session table, in column order.
fn mock_subjects() -> [(&'static str, Subject); 11] {
    let mock = Subject { kind: SessionKind::Mock, ..Subject::default() };
    let trainer = Subject { role: Role::Trainer, own_school: true, ..mock };
    let scoring = |own_evaluation, partners_submitted| Subject {
        assigned: true,
        own_evaluation,
        partners_submitted,
        own_pending: own_evaluation != Some(EvaluationState::Submitted),
        ..trainer
    };
    [
        ("board", Subject { role: Role::Board, ..mock }),
        ("trainer of the school, not scoring", trainer),
        ("trainer assigned, nothing written", scoring(None, true)),
        ("trainer assigned, draft", scoring(Some(EvaluationState::Draft), true)),
        ("trainer assigned, submitted", scoring(Some(EvaluationState::Submitted), true)),
        ("trainer assigned, submitted, partner pending", scoring(Some(EvaluationState::Submitted), false)),
        ("trainer not assigned here, own marks pending elsewhere", Subject { own_pending: true, ..trainer }),
        ("trainer of another school", Subject { own_school: false, ..trainer }),
        ("examiner", Subject { role: Role::Examiner, assigned: true, ..mock }),
        ("candidate, own", Subject { role: Role::Candidate, own_candidate: true, ..mock }),
        ("candidate, other", Subject { role: Role::Candidate, ..mock }),
    ]
}

/// The access table of a mock session, in the same letters as [`TABLE`];
/// columns in the order of [`mock_subjects`]: board, trainer of the
/// school (not scoring / assigned with nothing written, draft, submitted,
/// submitted with partner pending / not assigned here with marks pending
/// elsewhere), trainer of another school, examiner, candidate (own /
/// other).
const MOCK_TABLE: &str = "
ViewSession            .......XXRR .......XXRR .......XXRR .......XXRR
EnrolCandidates        O......XXRR OSSSSSSXXRR OSSSSSSXXRR OSSSSSSXXRR
AssignExaminers        O......XXRR O......XXRR OSSSSSSXXRR OSSSSSSXXRR
RecordCandidateStatus  O......XXRR O......XXRR OSSSSSSXXRR OSSSSSSXXRR
StartScoring           O......XXRR OSSSSSSXXRR OSSSSSSXXRR OSSSSSSXXRR
ViewProgress           O......XXRR O......XXRR O......XXRR O......XXRR
ReadOwnEvaluation      OA....AXXRR OA....AXXRR OA....AXXRR OA....AXXRR
SaveOwnEvaluation      OASSSSAXXRR OA..LLAXXRR OASSSSAXXRR OASSSSAXXRR
SubmitOwnEvaluation    OASSSSAXXRR OAN.LLAXXRR OASSSSAXXRR OASSSSAXXRR
ReadPartnerEvaluations O.HH...XXRR O.HH...XXRR O.HH...XXRR O.HH...XXRR
RecordAgreed           OASSSSAXXRR OAHH.WAXXRR OASSSSAXXRR OASSSSAXXRR
Finalise               OSSSSSSXXRR O......XXRR OSSSSSSXXRR OSSSSSSXXRR
CorrectResult          OSSSSSSXXRR OSSSSSSXXRR O......XXRR O......XXRR
Publish                OSSSSSSXXRR OSSSSSSXXRR O......XXRR OSSSSSSXXRR
ReadResults            O......XXRR O.HH..HXXRR O......XXRR O......XXRR
ExportResults          O......XXRR O.HH..HXXRR O......XXRR O......XXRR
ReadOwnResult          ORRRRRRXXPP ORRRRRRXXPP ORRRRRRXXPP ORRRRRRXX.P
SetRetention           O......XXRR O......XXRR O......XXRR O......XXRR
ExportPersonalData     O......XXRR O......XXRR O......XXRR O......XXRR
ErasePersonalData      OSSSSSSXXRR OSSSSSSXXRR O......XXRR O......XXRR
SubmitOwnWork          ORRRRRRXX.C ORRRRRRXX.C ORRRRRRXXSC ORRRRRRXXSC
ReopenEvaluation       OSSSSSSXXRR O......XXRR OSSSSSSXXRR OSSSSSSXXRR
SendReminders          OSSSSSSXXRR O......XXRR OSSSSSSXXRR OSSSSSSXXRR
";

#[test]
fn the_mock_access_table_holds() {
    check_table(MOCK_TABLE, &mock_subjects());
}

#[test]
fn only_trainers_of_the_school_the_board_and_candidates_reach_a_mock_session() {
    let reached: Vec<&str> = mock_subjects()
        .into_iter()
        .filter(|(_, subject)| in_reach(subject).is_ok())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(reached.len(), 9, "{reached:?}");
    for (name, subject) in mock_subjects() {
        let expected = !matches!(name, "trainer of another school" | "examiner");
        assert_eq!(in_reach(&subject).is_ok(), expected, "{name}");
    }
    for (name, subject) in subjects() {
        assert_eq!(in_reach(&subject).is_ok(), subject.role != Role::Trainer, "{name}");
    }
}

#[test]
fn a_cohort_exists_only_for_those_who_run_or_sit_its_session() {
    // One letter per subject of `subjects` (official) and `mock_subjects`:
    // `.` the candidates exist, `X` the session does not, `C` the
    // candidates do not (the board on a mock session: 404 as if the
    // number were not enrolled, decided before any look-up).
    let official: String = subjects().iter().map(|(_, subject)| code(cohort_in_reach(subject))).collect();
    assert_eq!(official, "......X..");
    let mock: String = mock_subjects().iter().map(|(_, subject)| code(cohort_in_reach(subject))).collect();
    assert_eq!(mock, "C......XX..");
}

#[test]
fn partners_are_visible_only_once_ones_own_is_submitted() {
    // Whether every partner submitted is itself a fact about the partners'
    // evaluations: the same answer as `ReadPartnerEvaluations`.
    for state in SessionState::ALL {
        let official: String = subjects()
            .iter()
            .map(|(_, subject)| if partners_visible(state, subject) { '.' } else { 'H' })
            .collect();
        assert_eq!(official, ".HH..HHHH", "{state}");
        let mock: String = mock_subjects()
            .iter()
            .map(|(_, subject)| if partners_visible(state, subject) { '.' } else { 'H' })
            .collect();
        assert_eq!(mock, "H.HH...HHHH", "{state}");
    }
}

/// The subjects of the case table, in column order.
fn case_subjects() -> [(&'static str, CaseSubject); 8] {
    let subject = |role, own_bank, scores_it| CaseSubject { role, own_bank, scores_it };
    [
        ("board, own bank", subject(Role::Board, true, false)),
        ("board, a school's case", subject(Role::Board, false, false)),
        ("trainer, own school", subject(Role::Trainer, true, false)),
        ("trainer, other bank", subject(Role::Trainer, false, false)),
        ("trainer, scores a mock candidate who sat it", subject(Role::Trainer, false, true)),
        ("examiner, scores a candidate who sat it", subject(Role::Examiner, false, true)),
        ("examiner, not concerned", subject(Role::Examiner, false, false)),
        ("candidate", subject(Role::Candidate, false, false)),
    ]
}

/// The case access table: for each action, one group of eight letters per
/// case state (draft, ready, used, released), one letter per subject in
/// the order of [`case_subjects`]. Letters as in [`TABLE`]; `S` here is
/// the case's state.
///
/// Before release a case exists only for its bank's owner and for those
/// who score a candidate who sat it; candidates never read examiner notes.
const CASE_TABLE: &str = "
    Read               .X.X..XX .X.X..XX .X.X..XX ........
    ReadExaminerNotes  .X.X..XX .X.X..XX .X.X..XX .......R
    Edit               .X.XRRXX .X.XRRXX SXSXRRXX SRSRRRRR
    ChangeReadiness    .X.XRRXX .X.XRRXX SXSXRRXX SRSRRRRR
    Assign             SXSXRRXX .X.XRRXX .X.XRRXX SRSRRRRR
    Release            SXSXRRXX SXSXRRXX .X.XRRXX SRSRRRRR
    Duplicate          .X.X.RXX .X.X.RXX .X.X.RXX .....RRR
    Export             .X.XRRXX .X.XRRXX .X.XRRXX .....RRR
    Create             .....RRR .....RRR .....RRR .....RRR
";

#[test]
fn case_access_table_holds() {
    check_access_table(
        CASE_TABLE,
        &CaseAction::ALL,
        &CaseState::ALL,
        &case_subjects(),
        |action, state, (_, subject)| code(case_permit(action, state, subject)),
    );
    for state in CaseState::ALL {
        assert_eq!(CaseState::parse(state.as_str()), Some(state));
    }
}

#[test]
fn work_is_taken_until_the_window_closes() {
    let closes = "2027-03-15T22:59:00Z";
    assert_eq!(submission_open(Some(closes), "2027-03-15T22:58:59Z"), Ok(()));
    assert_eq!(submission_open(Some(closes), "2027-03-15T22:59:00Z"), Err(Denial::SubmissionClosed));
    assert_eq!(submission_open(Some(closes), "2027-04-01T00:00:00Z"), Err(Denial::SubmissionClosed));
    assert_eq!(submission_open(None, "2027-01-01T00:00:00Z"), Err(Denial::SubmissionClosed));
}

/// Account management: one line per action, one letter per subject:
/// board (another account), board (own account), examiner, trainer,
/// candidate (each on another account, then on their own). `M`: not on
/// one's own account.
const ACCOUNT_TABLE: &str = "
    List               ..RRRRRR
    Create             ..RRRRRR
    Import             ..RRRRRR
    ResetPassword      .MRRRRRR
    EndSessions        ..RRRRRR
    ResetSecondFactor  .MRRRRRR
    Disable            .MRRRRRR
    Enable             ..RRRRRR
    ChangeRole         .MRRRRRR
    SetEmail           ..RRRRRR
";

#[test]
fn account_access_table_holds() {
    let subjects: Vec<AccountSubject> = [Role::Board, Role::Examiner, Role::Trainer, Role::Candidate]
        .into_iter()
        .flat_map(|role| [false, true].map(|own_account| AccountSubject { role, own_account }))
        .collect();
    // An account action does not depend on a session: one group per row.
    check_access_table(ACCOUNT_TABLE, &AccountAction::ALL, &[()], &subjects, |action, (), subject| {
        code(account_permit(action, subject))
    });
}
