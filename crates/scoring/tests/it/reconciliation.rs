//! The three reconciliation modes of a part (`agreed`, `mean`,
//! `arbitration`), case by case from `fixtures/reconciliation.json`, whose
//! expected grades are computed by hand; and a property of the mean.

use std::str::FromStr;

use grille_scoring::{
    AgreedEvaluation, Answer, Blueprint, Candidate, CandidateStatus, DiscrepancyStatus, Evaluation,
    GradeSourceRef, GradingScheme, PositionResult, PositionScoring, Reconciliation, RoundingDirection,
    Rubric, ScoringInput, Session, score_session,
};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::documents::catalogue;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal literal")
}

/// Answers to the rubric `reflexion` ([r1, r2]); `None` leaves a criterion
/// unanswered.
fn answers(levels: &[Option<u32>]) -> Vec<Answer> {
    ["r1", "r2"]
        .iter()
        .zip(levels)
        .map(|(criterion, level)| Answer {
            criterion: (*criterion).to_owned(),
            points: level.map(Decimal::from),
            not_assessable: false,
            remark: None,
        })
        .collect()
}

fn levels(value: &Value) -> Vec<Option<u32>> {
    value
        .as_array()
        .expect("levels are an array")
        .iter()
        .map(|level| level.as_u64().map(|level| u32::try_from(level).expect("small level")))
        .collect()
}

/// Scores candidate 001 of a session holding only `scoring` for position
/// 1.1, whose part is reconciled by `mode`.
fn score(mode: Reconciliation, scheme: &GradingScheme, scoring: PositionScoring) -> PositionResult {
    let catalogue = catalogue();
    let mut blueprint = Blueprint::from_json(include_str!("../fixtures/blueprint.json"), &catalogue).unwrap();
    blueprint.parts[0].reconciliation = mode;
    assert_eq!(blueprint.check(&catalogue), vec![], "the blueprint stays valid with mode {mode:?}");
    let rubrics = vec![
        Rubric::from_json(include_str!("../fixtures/rubric-reflexion.json"), &catalogue).unwrap(),
        Rubric::from_json(include_str!("../fixtures/rubric-developpement.json"), &catalogue).unwrap(),
    ];
    let mut session = Session::from_json(include_str!("../fixtures/session.json")).unwrap();
    session.candidates = vec![Candidate {
        number: "001".to_owned(),
        status: CandidateStatus::Present,
        attempt: 1,
        carried_parts: Vec::new(),
        cases: Vec::new(),
        positions: vec![scoring],
    }];
    let result = score_session(&ScoringInput {
        catalogue: &catalogue,
        scheme,
        blueprint: &blueprint,
        rubrics: &rubrics,
        cases: &[],
        session: &session,
    })
    .unwrap_or_else(|problems| panic!("scoring refused: {problems:?}"));
    result.candidates[0].parts[0].positions[0].clone()
}

fn scheme() -> GradingScheme {
    GradingScheme::from_json(include_str!("../fixtures/grading-scheme.json")).unwrap()
}

#[test]
fn each_mode_gives_the_hand_computed_grade() {
    let fixture: Value = serde_json::from_str(include_str!("../fixtures/reconciliation.json")).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 15, "the fixture has its cases");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mode: Reconciliation = serde_json::from_value(case["mode"].clone()).unwrap();
        let mut scheme = scheme();
        if let Some(step) = case["discrepancy_step"].as_str() {
            scheme.double_marking.discrepancy_step = d(step);
        }
        if let Some(direction) = case.get("position_direction") {
            scheme.rounding.position_direction =
                serde_json::from_value::<RoundingDirection>(direction.clone()).unwrap();
        }
        let evaluations = case["evaluations"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(examiner, given)| Evaluation {
                remark_language: None,
                examiner: examiner.clone(),
                answers: answers(&levels(given)),
                remark: None,
            })
            .collect();
        let agreed = case.get("agreed").map(|given| AgreedEvaluation {
            remark_language: None,
            examiners: vec!["E1".to_owned(), "E2".to_owned()],
            answers: answers(&levels(given)),
            remark: None,
            awaiting_confirmation: case["awaiting_confirmation"]
                .as_array()
                .map(|names| names.iter().map(|name| name.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default(),
        });
        let arbiter = case.get("arbiter").map(|arbiter| Evaluation {
            remark_language: None,
            examiner: arbiter["examiner"].as_str().unwrap().to_owned(),
            answers: answers(&levels(&arbiter["levels"])),
            remark: None,
        });
        let position = score(
            mode,
            &scheme,
            PositionScoring { position: "1.1".to_owned(), evaluations, agreed, arbiter },
        );
        let expect = &case["expect"];
        let reconciliation =
            position.reconciliation.as_ref().unwrap_or_else(|| panic!("{name}: no reconciliation"));
        assert_eq!(reconciliation.mode, mode, "{name}");
        assert_eq!(
            position.grade.map(|grade| grade.to_string()),
            expect["grade"].as_str().map(str::to_owned),
            "{name}: grade ({})",
            reconciliation.explanation
        );
        assert_eq!(reconciliation.rule.as_str(), expect["rule"].as_str().unwrap(), "{name}");
        let sources: Vec<String> = reconciliation
            .sources
            .iter()
            .map(|source| match source {
                GradeSourceRef::Examiner(examiner) => examiner.clone(),
                GradeSourceRef::Agreed => "agreed".to_owned(),
                GradeSourceRef::Arbiter(examiner) => format!("arbiter:{examiner}"),
            })
            .collect();
        let expected_sources: Vec<String> =
            expect["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
        assert_eq!(sources, expected_sources, "{name}");
        match expect.get("unrounded").and_then(Value::as_str) {
            Some(unrounded) => {
                let calculation =
                    reconciliation.calculation.as_ref().unwrap_or_else(|| panic!("{name}: no mean"));
                assert_eq!(calculation.unrounded, d(unrounded), "{name}");
                assert!(
                    reconciliation.explanation.contains("moyenne"),
                    "{name}: {}",
                    reconciliation.explanation
                );
            }
            None => assert_eq!(reconciliation.calculation, None, "{name}"),
        }
        if let Some(flags) = expect.get("flags") {
            let kinds: Vec<Value> = position
                .comparison
                .as_ref()
                .unwrap()
                .flags
                .iter()
                .map(|flag| serde_json::to_value(flag.kind).unwrap())
                .collect();
            assert_eq!(&Value::Array(kinds), flags, "{name}");
        }
        if let Some(status) = expect.get("status") {
            let status: DiscrepancyStatus = serde_json::from_value(status.clone()).unwrap();
            assert_eq!(position.comparison.as_ref().unwrap().status, status, "{name}");
        }
        // A grade says where it comes from; a missing one says why.
        assert_eq!(position.grade.is_some(), position.grade_source.is_some(), "{name}");
        assert_eq!(position.grade.is_none(), !position.pending.is_empty(), "{name}: {:?}", position.pending);
    }
}

#[test]
fn an_arbiter_who_also_examined_is_refused() {
    let mut session = Session::from_json(include_str!("../fixtures/session.json")).unwrap();
    let scoring = &mut session.candidates[0].positions[0];
    scoring.arbiter = Some(Evaluation {
        remark_language: None,
        examiner: "E2".to_owned(),
        answers: answers(&[Some(3), Some(2)]),
        remark: None,
    });
    let problems = session.check();
    assert!(
        problems.iter().any(|problem| problem.pointer == "/candidates/0/positions/0/arbiter/examiner"
            && problem.message.contains("arbitrer")),
        "{problems:?}"
    );
}

#[test]
fn a_mean_or_arbitration_needs_two_examiners() {
    let catalogue = catalogue();
    let text = include_str!("../fixtures/blueprint.json").replacen(
        r#""weight": 1, "examiners": 2,"#,
        r#""weight": 1, "examiners": 1, "reconciliation": "mean","#,
        1,
    );
    let problems = Blueprint::from_json(&text, &catalogue).unwrap_err();
    assert!(problems.iter().any(|problem| problem.pointer == "/parts/0/reconciliation"), "{problems:?}");
    let unknown = include_str!("../fixtures/blueprint.json").replacen(
        r#""examiners": 2,"#,
        r#""examiners": 2, "reconciliation": "vote","#,
        1,
    );
    let problems = Blueprint::from_json(&unknown, &catalogue).unwrap_err();
    assert!(
        problems.iter().any(|problem| problem.pointer.starts_with("/parts/0/reconciliation")),
        "{problems:?}"
    );
}

#[test]
fn a_session_without_arbiter_reads_and_writes_as_before() {
    let text = include_str!("../fixtures/session.json");
    let session = Session::from_json(text).unwrap();
    let written = serde_json::to_string(&session).unwrap();
    assert!(!written.contains("arbiter"), "no arbiter field written when there is none");
    let blueprint = Blueprint::from_json(include_str!("../fixtures/blueprint.json"), &catalogue()).unwrap();
    assert!(!serde_json::to_string(&blueprint).unwrap().contains("reconciliation"));
}

mod mean_property {
    use proptest::prelude::*;

    use super::*;
    use crate::calc::{any_direction, any_step};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever both examiners' levels and the position rounding, the
        /// mean mode's grade lies between the two examiners' grades.
        #[test]
        fn the_mean_lies_between_the_examiners_grades(
            first in (0..4u32, 0..3u32),
            second in (0..4u32, 0..3u32),
            step in any_step(),
            direction in any_direction(),
        ) {
            let mut scheme = scheme();
            scheme.rounding.position = step;
            scheme.rounding.position_direction = direction;
            let evaluations = vec![
                Evaluation { remark_language: None, examiner: "E1".to_owned(), answers: answers(&[Some(first.0), Some(first.1)]), remark: None },
                Evaluation { remark_language: None, examiner: "E2".to_owned(), answers: answers(&[Some(second.0), Some(second.1)]), remark: None },
            ];
            let position = score(
                Reconciliation::Mean,
                &scheme,
                PositionScoring { position: "1.1".to_owned(), evaluations, agreed: None, arbiter: None },
            );
            let grades: Vec<Decimal> =
                position.evaluations.iter().map(|evaluation| evaluation.grade.as_ref().unwrap().grade).collect();
            let grade = position.grade.unwrap();
            let (low, high) = (grades[0].min(grades[1]), grades[0].max(grades[1]));
            prop_assert!(low <= grade && grade <= high, "{low} ≤ {grade} ≤ {high}");
            prop_assert!((grade / step).is_integer(), "{grade} on the step {step}");
        }
    }
}
