//! The whole access and transition table, as data.

use super::*;

/// The subjects of the access table, in column order.
fn subjects() -> [(&'static str, Subject); 9] {
    let examiner = |own_evaluation, partners_submitted| Subject {
        role: Role::Examiner,
        assigned: true,
        own_evaluation,
        partners_submitted,
        own_candidate: false,
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
/// submitted, `N` nothing to submit, `P` not published (as if absent).
const TABLE: &str = "
ViewSession            .RRRRRRRR .RRRRRRRR .RRRRRRRR .RRRRRRRR
EnrolCandidates        .RRRRRRRR SRRRRRRRR SRRRRRRRR SRRRRRRRR
AssignExaminers        .RRRRRRRR .RRRRRRRR SRRRRRRRR SRRRRRRRR
RecordCandidateStatus  .RRRRRRRR .RRRRRRRR SRRRRRRRR SRRRRRRRR
StartScoring           .RRRRRRRR SRRRRRRRR SRRRRRRRR SRRRRRRRR
ViewProgress           .RRRRRRRR .RRRRRRRR .RRRRRRRR .RRRRRRRR
ReadOwnEvaluation      R....ARRR R....ARRR R....ARRR R....ARRR
SaveOwnEvaluation      RSSSSARRR R..LLARRR RSSSSARRR RSSSSARRR
SubmitOwnEvaluation    RSSSSARRR RN.LLARRR RSSSSARRR RSSSSARRR
ReadPartnerEvaluations .HH..ARRR .HH..ARRR .HH..ARRR .HH..ARRR
RecordAgreed           RSSSSARRR RHH.WARRR RSSSSARRR RSSSSARRR
Finalise               SRRRRRRRR .RRRRRRRR SRRRRRRRR SRRRRRRRR
CorrectResult          SRRRRRRRR SRRRRRRRR .RRRRRRRR .RRRRRRRR
Publish                SRRRRRRRR SRRRRRRRR .RRRRRRRR SRRRRRRRR
ReadResults            .RRRRRRRR .RRRRRRRR .RRRRRRRR .RRRRRRRR
ExportResults          .RRRRRRRR .RRRRRRRR .RRRRRRRR .RRRRRRRR
ReadOwnResult          RRRRRRRPP RRRRRRRPP RRRRRRRPP RRRRRRR.P
SetRetention           .RRRRRRRR .RRRRRRRR .RRRRRRRR .RRRRRRRR
ExportPersonalData     .RRRRRRRR .RRRRRRRR .RRRRRRRR .RRRRRRRR
ErasePersonalData      SRRRRRRRR SRRRRRRRR .RRRRRRRR .RRRRRRRR
";

#[test]
fn the_access_table_holds() {
    let rows: Vec<&str> = TABLE.lines().filter(|line| !line.trim().is_empty()).collect();
    assert_eq!(rows.len(), Action::ALL.len(), "one row per action");
    let mut failures = Vec::new();
    for (row, action) in rows.iter().zip(Action::ALL) {
        let mut words = row.split_whitespace();
        assert_eq!(words.next(), Some(format!("{action:?}").as_str()), "rows follow Action::ALL");
        let expected: Vec<&str> = words.collect();
        let actual: Vec<String> = SessionState::ALL
            .iter()
            .map(|&state| {
                subjects().iter().map(|(_, subject)| code(permit(action, state, subject))).collect()
            })
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
    let denials = [
        Denial::Role,
        Denial::NotAssigned,
        Denial::PartnerHidden,
        Denial::WrongState { state: SessionState::Scoring, action: Action::Publish },
        Denial::Locked,
        Denial::PartnersPending,
        Denial::NothingToSubmit,
        Denial::NotReady(Readiness::default()),
        Denial::NotPublished,
        Denial::RetentionRunning,
    ];
    for denial in denials {
        assert!(denial.message_fr().ends_with('.'), "{denial:?}");
    }
}
