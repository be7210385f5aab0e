use std::str::FromStr;

use grille_competence::Catalogue;
use grille_scoring::{
    Answer, Blueprint, CandidateGrades, CandidateStatus, DiscrepancyStatus, FlagKind, GradingScheme, Mark,
    Outcome, PartResult, Rubric, Scorer, ScoringInput, Session, SessionDocuments, SessionResult,
    SessionSummary, judge, score_session,
};
use rust_decimal::Decimal;

use crate::documents::catalogue;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal literal")
}

struct World {
    catalogue: Catalogue,
    scheme: GradingScheme,
    blueprint: Blueprint,
    rubrics: Vec<Rubric>,
    session: Session,
}

fn world() -> World {
    let catalogue = catalogue();
    let scheme = GradingScheme::from_json(include_str!("../fixtures/grading-scheme.json")).unwrap();
    let blueprint = Blueprint::from_json(include_str!("../fixtures/blueprint.json"), &catalogue).unwrap();
    let rubrics = vec![
        Rubric::from_json(include_str!("../fixtures/rubric-reflexion.json"), &catalogue).unwrap(),
        Rubric::from_json(include_str!("../fixtures/rubric-developpement.json"), &catalogue).unwrap(),
    ];
    let session = Session::from_json(include_str!("../fixtures/session.json")).unwrap();
    World { catalogue, scheme, blueprint, rubrics, session }
}

impl World {
    fn score(&self) -> Result<SessionResult, Vec<grille_scoring::Problem>> {
        score_session(&ScoringInput {
            catalogue: &self.catalogue,
            scheme: &self.scheme,
            blueprint: &self.blueprint,
            rubrics: &self.rubrics,
            cases: &[],
            session: &self.session,
        })
    }
    fn result(&self) -> SessionResult {
        self.score().unwrap_or_else(|problems| panic!("scoring refused: {problems:?}"))
    }
    /// The answers of candidate `c`, position `p`, evaluation `e`.
    fn answers(&mut self, c: usize, p: usize, e: usize) -> &mut Vec<Answer> {
        &mut self.session.candidates[c].positions[p].evaluations[e].answers
    }
}

#[test]
fn fixture_session_end_to_end() {
    let result = world().result();
    let first = &result.candidates[0];
    assert_eq!(first.outcome, Outcome::Passed, "{}", first.decision);
    let part1 = &first.parts[0];
    // 1.1: identical evaluations 7/7 → 6, agreed automatically.
    assert_eq!(part1.positions[0].grade, Some(d("6")));
    assert_eq!(part1.positions[0].comparison.as_ref().unwrap().status, DiscrepancyStatus::None);
    // 1.2: 2/3 vs 1/3 (r2 not assessable) → 4.5 vs 2.5, flagged twice, settled by the agreed 4.5.
    let p12 = &part1.positions[1];
    let comparison = p12.comparison.as_ref().unwrap();
    let kinds: Vec<FlagKind> = comparison.flags.iter().map(|flag| flag.kind).collect();
    assert_eq!(kinds, vec![FlagKind::Step, FlagKind::Straddle]);
    assert_eq!(comparison.status, DiscrepancyStatus::Agreed);
    assert_eq!(p12.grade, Some(d("4.5")));
    assert_eq!(p12.evaluations[0].max_points, d("3"), "not assessable leaves the maximum");
    assert_eq!(p12.evaluations[0].criteria[1].mark, Mark::NotAssessable);
    // Part 1: (6 + 4.5) / 2 = 5.25 → 5.3; part 2: 8.5/10 → 5.25 → 5.5; overall (5.3 + 5.5) / 2 = 5.4.
    assert_eq!(part1.grade, Some(d("5.3")));
    assert_eq!(part1.calculation.as_ref().unwrap().unrounded, d("5.25"));
    assert_eq!(first.parts[1].grade, Some(d("5.5")));
    assert_eq!(first.overall.as_ref().unwrap().value, d("5.4"));
    assert!(first.conditions.iter().all(|condition| condition.satisfied));
    assert_eq!(first.conditions.len(), 4);

    assert_eq!(result.candidates[1].outcome, Outcome::Failed, "unexcused withdrawal");
    assert_eq!(result.candidates[2].outcome, Outcome::NoResult, "excused withdrawal");

    // Retake: part 1 carried at 4.5, part 2 scored 3.5 vs 6 with no agreement: open.
    let retake = &result.candidates[3];
    assert_eq!(retake.outcome, Outcome::Pending, "{}", retake.decision);
    assert_eq!(retake.parts[0].grade, Some(d("4.5")));
    assert!(retake.parts[0].carried.is_some());
    let open = retake.parts[1].positions[0].comparison.as_ref().unwrap();
    assert_eq!(open.status, DiscrepancyStatus::Open);
    assert_eq!(open.difference, Some(d("2.5")));
    assert!(
        retake.pending.iter().any(|reason| reason.contains("divergence ouverte")),
        "{:?}",
        retake.pending
    );

    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(json["candidates"][0]["overall"]["value"], "5.4", "decimals serialize as exact strings");
}

#[test]
fn competence_profile_attribution() {
    let result = world().result();
    let profile = &result.candidates[0].profile;
    let find = |entries: &[grille_scoring::ProfileEntry], id: &str| {
        let entry = entries.iter().find(|entry| entry.id == id).unwrap_or_else(|| panic!("{id} missing"));
        (entry.points.to_string(), entry.max_points.to_string())
    };
    type Case<'a> = (&'a str, &'a [grille_scoring::ProfileEntry], &'a str, (&'a str, &'a str));
    let cases: [Case<'_>; 9] = [
        (
            "A1: d1 once although it observes two A1 criteria, plus d3 via the position",
            &profile.competences,
            "A1",
            ("7", "7"),
        ),
        ("A2: r1 twice, d2 by competence, d3 via the position", &profile.competences, "A2", ("9.5", "12")),
        ("E1: r2 weighted twice, once (1.2 not assessable)", &profile.competences, "E1", ("4", "4")),
        ("domain A counts d3 once", &profile.domains, "A", ("13.5", "16")),
        ("domain E", &profile.domains, "E", ("4", "4")),
        ("metacognition", &profile.categories, "metacognition", ("5", "6")),
        ("performance", &profile.categories, "performance", ("4", "4")),
        ("criterion A1.k1", &profile.criteria, "A1.k1", ("4", "4")),
        ("criterion A2.m1", &profile.criteria, "A2.m1", ("5", "6")),
    ];
    for (description, entries, id, (points, max)) in cases {
        assert_eq!(find(entries, id), (points.to_owned(), max.to_owned()), "{description}");
    }
}

#[test]
fn incomplete_evaluations_give_no_grade() {
    type Edit = fn(&mut Vec<Answer>);
    let cases: [(&str, Edit, &str); 6] = [
        (
            "criterion unanswered",
            |answers| {
                answers.remove(0);
            },
            "n'a pas de réponse",
        ),
        (
            "level that does not exist",
            |answers| answers[0].points = Some(Decimal::new(25, 1)),
            "aucun niveau",
        ),
        (
            "not assessable where not allowed",
            |answers| {
                answers[0].points = None;
                answers[0].not_assessable = true;
            },
            "non évaluable",
        ),
        ("points and not assessable at once", |answers| answers[0].not_assessable = true, "à la fois"),
        (
            "unknown criterion",
            |answers| {
                answers.push(Answer {
                    criterion: "zz".to_owned(),
                    points: Some(Decimal::ONE),
                    not_assessable: false,
                    remark: None,
                })
            },
            "n'existe pas",
        ),
        ("empty answer", |answers| answers[0].points = None, "n'a pas de réponse"),
    ];
    for (description, edit, fragment) in cases {
        let mut world = world();
        edit(world.answers(0, 0, 0));
        let result = world.result();
        let position = &result.candidates[0].parts[0].positions[0];
        let evaluation = &position.evaluations[0];
        assert!(evaluation.grade.is_none(), "{description}: no grade");
        assert!(
            evaluation.incomplete.iter().any(|reason| reason.contains(fragment)),
            "{description}: reasons {:?}",
            evaluation.incomplete
        );
        assert_eq!(position.grade, None, "{description}: no official grade");
        assert_eq!(result.candidates[0].outcome, Outcome::Pending, "{description}");
    }
}

/// The same mistakes, seen by a file check: answers that can never be
/// right are problems with their pointer; a missing answer is work in
/// progress and is not.
#[test]
fn answers_that_can_never_be_right_are_file_problems() {
    type Edit = fn(&mut Vec<Answer>);
    /// (JSON pointer prefix, fragment of the message), or no problem.
    type Expected = Option<(&'static str, &'static str)>;
    let cases: [(&str, Edit, Expected); 6] = [
        (
            "level that does not exist",
            |answers| answers[0].points = Some(Decimal::new(25, 1)),
            Some((
                "/candidates/0/positions/0/evaluations/0/answers/0/points",
                "ne correspond à aucun niveau",
            )),
        ),
        (
            "not assessable where not allowed",
            |answers| {
                answers[0].points = None;
                answers[0].not_assessable = true;
            },
            Some(("/candidates/0/positions/0/evaluations/0/answers/0/not_assessable", "n'admet pas")),
        ),
        (
            "points and not assessable at once",
            |answers| answers[0].not_assessable = true,
            Some(("/candidates/0/positions/0/evaluations/0/answers/0", "à la fois")),
        ),
        (
            "unknown criterion",
            |answers| {
                let mut extra = answers[0].clone();
                extra.criterion = "zz".to_owned();
                answers.push(extra);
            },
            Some((
                "/candidates/0/positions/0/evaluations/0/answers/",
                "le critère zz n'existe pas dans la grille",
            )),
        ),
        (
            "two answers to one criterion",
            |answers| {
                let again = answers[0].clone();
                answers.push(again);
            },
            Some(("/candidates/0/positions/0/evaluations/0/answers/", "a deux réponses")),
        ),
        (
            "criterion unanswered (work in progress, not a file problem)",
            |answers| {
                answers.remove(0);
            },
            None,
        ),
    ];
    for (description, edit, expected) in cases {
        let mut world = world();
        edit(world.answers(0, 0, 0));
        let documents = SessionDocuments {
            catalogue: &world.catalogue,
            scheme: &world.scheme,
            blueprint: &world.blueprint,
            rubrics: &world.rubrics,
            cases: &[],
        };
        let scorer = Scorer::new(documents, world.session.header()).expect("documents fit");
        let problems = scorer.answer_problems(0, &world.session.candidates[0]);
        match expected {
            Some((pointer, fragment)) => assert!(
                problems.iter().any(|p| p.pointer.starts_with(pointer) && p.message.contains(fragment)),
                "{description}: expected {pointer} {fragment:?}, got {problems:?}"
            ),
            None => assert!(problems.is_empty(), "{description}: {problems:?}"),
        }
    }
    // The untouched fixture has none.
    let world = world();
    let documents = SessionDocuments {
        catalogue: &world.catalogue,
        scheme: &world.scheme,
        blueprint: &world.blueprint,
        rubrics: &world.rubrics,
        cases: &[],
    };
    let scorer = Scorer::new(documents, world.session.header()).expect("documents fit");
    for (index, candidate) in world.session.candidates.iter().enumerate() {
        assert_eq!(scorer.answer_problems(index, candidate), vec![], "candidate {index}");
    }
}

#[test]
fn reconciliation_rules() {
    // Missing second evaluation.
    let mut w = world();
    w.session.candidates[0].positions[0].evaluations.pop();
    let result = w.result();
    assert!(
        result.candidates[0].parts[0].positions[0]
            .pending
            .iter()
            .any(|r| r.contains("2 évaluation(s) attendue(s)"))
    );

    // Identical evaluations without automatic agreement.
    let mut w = world();
    w.scheme.double_marking.identical_agree = false;
    let result = w.result();
    assert_eq!(
        result.candidates[0].parts[0].positions[0].grade, None,
        "identical but explicit agreement required"
    );

    // Flags on position 2.1 of candidate 001 (maximum 10 points, linear).
    let mut w = world();
    let set = |answers: &mut Vec<Answer>, points: [&str; 3]| {
        for (answer, value) in answers.iter_mut().zip(points) {
            answer.points = Some(d(value));
        }
    };
    set(w.answers(0, 2, 0), ["2", "1.5", "0"]); // 3.5/10 → 2.75 → 3
    set(w.answers(0, 2, 1), ["2", "0", "3"]); // 5/10 → 3.5
    let cmp = w.result().candidates[0].parts[1].positions[0].comparison.clone().unwrap();
    assert!(cmp.flags.is_empty(), "0.5 apart, both below 4: no flag, {:?}", cmp.flags);
    assert_eq!(cmp.status, DiscrepancyStatus::Open, "they still differ");
    set(w.answers(0, 2, 0), ["4", "0", "0"]); // 4/10 → 3
    set(w.answers(0, 2, 1), ["2", "0", "3"]); // 3.5
    let cmp = w.result().candidates[0].parts[1].positions[0].comparison.clone().unwrap();
    assert!(cmp.flags.is_empty(), "{:?}", cmp.flags);
    set(w.answers(0, 2, 0), ["2", "0", "3"]); // 5/10 → 3.5
    set(w.answers(0, 2, 1), ["4", "0", "3"]); // 7/10 → 4.5
    let cmp = w.result().candidates[0].parts[1].positions[0].comparison.clone().unwrap();
    let kinds: Vec<FlagKind> = cmp.flags.iter().map(|flag| flag.kind).collect();
    assert_eq!(kinds, vec![FlagKind::Step, FlagKind::Straddle], "1 apart across 4");
    set(w.answers(0, 2, 0), ["2", "1.5", "3"]); // 6.5/10 → 4.25 → 4.5
    set(w.answers(0, 2, 1), ["2", "0", "3"]); // 5/10 → 3.5
    let cmp = w.result().candidates[0].parts[1].positions[0].comparison.clone().unwrap();
    let kinds: Vec<FlagKind> = cmp.flags.iter().map(|flag| flag.kind).collect();
    assert_eq!(kinds, vec![FlagKind::Step, FlagKind::Straddle]);
    w.scheme.double_marking.discrepancy_step = d("1.5");
    let cmp = w.result().candidates[0].parts[1].positions[0].comparison.clone().unwrap();
    let kinds: Vec<FlagKind> = cmp.flags.iter().map(|flag| flag.kind).collect();
    assert_eq!(kinds, vec![FlagKind::Straddle], "straddle alone with a larger step");
}

#[test]
fn candidate_states_decided_without_grades() {
    let cases = [
        (CandidateStatus::WithdrawnUnexcused, Outcome::Failed),
        (CandidateStatus::Excluded, Outcome::Failed),
        (CandidateStatus::WithdrawnExcused, Outcome::NoResult),
        (CandidateStatus::Absent, Outcome::Pending),
    ];
    for (status, outcome) in cases {
        let mut w = world();
        w.session.candidates[1].status = status;
        let result = w.result();
        assert_eq!(result.candidates[1].outcome, outcome, "{status:?}");
        assert!(!result.candidates[1].decision.is_empty(), "{status:?}: decision explained");
    }
}

#[test]
fn retake_scores_only_the_failed_parts() {
    let mut w = world();
    // Let the examiners agree on the retake's part 2: 5/10 → 3.5 fails the required part 2.
    let agreed_answers = w.session.candidates[3].positions[0].evaluations[0].answers.clone();
    w.session.candidates[3].positions[0].agreed = Some(grille_scoring::AgreedEvaluation {
        remark_language: None,
        examiners: vec![],
        answers: agreed_answers,
        remark: None,
        awaiting_confirmation: vec![],
    });
    let result = w.result();
    let retake = &result.candidates[3];
    assert_eq!(retake.parts[1].grade, Some(d("3.5")));
    assert_eq!(retake.overall.as_ref().unwrap().value, d("4"), "(4.5 + 3.5) / 2");
    assert_eq!(retake.outcome, Outcome::Failed);
    assert!(retake.decision.contains("l'épreuve 2 doit atteindre"), "{}", retake.decision);

    // Evaluating a carried part again is refused with a pointer.
    let mut w = world();
    let extra = w.session.candidates[0].positions[0].clone();
    w.session.candidates[3].positions.push(extra);
    let problems = w.score().unwrap_err();
    assert!(problems.iter().any(|p| p.pointer == "/candidates/3/positions/1/position"), "{problems:?}");
}

/// (part id, part grade, [(position id, position grade)]); a part without
/// positions is carried from an earlier attempt.
type PartGrades<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// Parts with position grades.
fn parts_with_positions(grades: &[PartGrades<'_>]) -> Vec<PartResult> {
    grades
        .iter()
        .map(|(id, grade, positions)| PartResult {
            part: (*id).to_owned(),
            title: String::new(),
            weight: Decimal::ONE,
            grade: Some(d(grade)),
            calculation: None,
            carried: positions.is_empty().then(|| "reportée".to_owned()),
            carried_message: None,
            positions: positions
                .iter()
                .map(|(position, grade)| grille_scoring::PositionResult {
                    position: (*position).to_owned(),
                    title: String::new(),
                    weight: Decimal::ONE,
                    rubric: grille_scoring::DocumentRef { id: String::new(), version: String::new() },
                    case: None,
                    evaluations: vec![],
                    agreed: None,
                    arbiter: None,
                    comparison: None,
                    reconciliation: None,
                    grade: Some(d(grade)),
                    grade_source: None,
                    grade_source_message: None,
                    pending: vec![],
                    pending_messages: Vec::new(),
                })
                .collect(),
            pending: vec![],
            pending_messages: Vec::new(),
        })
        .collect()
}

fn parts(grades: &[(&str, &str)]) -> Vec<PartResult> {
    grades
        .iter()
        .map(|(id, grade)| PartResult {
            part: (*id).to_owned(),
            title: String::new(),
            weight: Decimal::ONE,
            grade: Some(d(grade)),
            calculation: None,
            carried: None,
            carried_message: None,
            positions: vec![],
            pending: vec![],
            pending_messages: Vec::new(),
        })
        .collect()
}

#[test]
fn pass_conditions() {
    struct Case {
        description: &'static str,
        rule: &'static str,
        parts: &'static [(&'static str, &'static str)],
        overall: &'static str,
        failed: &'static [&'static str],
    }
    let cases = [
        Case {
            description: "default rule, 4.0 passes",
            rule: "{}",
            parts: &[("1", "4")],
            overall: "4",
            failed: &[],
        },
        Case {
            description: "default rule, 3.9 fails",
            rule: "{}",
            parts: &[("1", "3.9")],
            overall: "3.9",
            failed: &["min_overall"],
        },
        Case {
            description: "overall 4.5 still fails on the count of insufficient parts",
            rule: r#"{"max_insufficient_parts": 1}"#,
            parts: &[("1", "5.5"), ("2", "5.5"), ("3", "3.5"), ("4", "3.5")],
            overall: "4.5",
            failed: &["max_insufficient_parts"],
        },
        Case {
            description: "one insufficient part allowed",
            rule: r#"{"max_insufficient_parts": 1}"#,
            parts: &[("1", "5"), ("2", "3.5")],
            overall: "4.3",
            failed: &[],
        },
        Case {
            description: "no part below 3",
            rule: r#"{"min_part_grade": "3"}"#,
            parts: &[("1", "6"), ("2", "2.9")],
            overall: "4.5",
            failed: &["min_part_grade"],
        },
        Case {
            description: "part exactly at 3 is fine",
            rule: r#"{"min_part_grade": "3"}"#,
            parts: &[("1", "5"), ("2", "3")],
            overall: "4",
            failed: &[],
        },
        Case {
            description: "shortfall sum 0.6 + 0.5 = 1.1 > 1",
            rule: r#"{"max_shortfall_sum": "1"}"#,
            parts: &[("1", "6"), ("2", "3.4"), ("3", "3.5")],
            overall: "4.3",
            failed: &["max_shortfall_sum"],
        },
        Case {
            description: "shortfall sum exactly at the limit",
            rule: r#"{"max_shortfall_sum": "1"}"#,
            parts: &[("1", "6"), ("2", "3.5"), ("3", "3.5")],
            overall: "4.3",
            failed: &[],
        },
        Case {
            description: "required part below the pass mark",
            rule: r#"{"required_parts": ["2"]}"#,
            parts: &[("1", "6"), ("2", "3.9")],
            overall: "5",
            failed: &["required_part"],
        },
        Case {
            description: "every condition fails at once",
            rule: r#"{"min_overall": "4", "max_insufficient_parts": 0, "min_part_grade": "3", "max_shortfall_sum": "0.5", "required_parts": ["1"]}"#,
            parts: &[("1", "2.5"), ("2", "5")],
            overall: "3.8",
            failed: &[
                "min_overall",
                "max_insufficient_parts",
                "min_part_grade",
                "max_shortfall_sum",
                "required_part",
            ],
        },
        Case {
            description: "min_overall switched off",
            rule: r#"{"min_overall": null, "max_insufficient_parts": 0}"#,
            parts: &[("1", "4")],
            overall: "3.9",
            failed: &[],
        },
    ];
    for case in cases {
        let source =
            format!(r#"{{"id": "t", "version": "1", "title": {{"fr": "T"}}, "pass_rule": {}}}"#, case.rule);
        let scheme =
            GradingScheme::from_json(&source).unwrap_or_else(|p| panic!("{}: {p:?}", case.description));
        let conditions = judge(&scheme, &parts(case.parts), d(case.overall));
        let failed: Vec<&str> =
            conditions.iter().filter(|c| !c.satisfied).map(|c| c.condition.as_str()).collect();
        assert_eq!(failed, case.failed, "{}: {conditions:?}", case.description);
    }
}

#[test]
fn pass_conditions_on_floors_part_minimums_and_positions() {
    struct Case {
        description: &'static str,
        rule: &'static str,
        parts: &'static [PartGrades<'static>],
        failed: &'static [&'static str],
        explanation: &'static str,
    }
    let cases = [
        Case {
            description: "two parts below 3.5 allowed",
            rule: r#"{"min_overall": null, "max_parts_below": [{"below": "3.5", "max": 2}]}"#,
            parts: &[("1", "3.4", &[]), ("2", "3", &[]), ("3", "3.5", &[]), ("4", "6", &[])],
            failed: &[],
            explanation: "2 note(s) d'épreuve inférieure(s) à 3.5 (épreuve 1 : 3.4, épreuve 2 : 3.0) ; au plus 2 admise(s)",
        },
        Case {
            description: "three parts below 3.5 is one too many",
            rule: r#"{"min_overall": null, "max_parts_below": [{"below": "3.5", "max": 2}]}"#,
            parts: &[("1", "3.4", &[]), ("2", "3", &[]), ("3", "3.4", &[]), ("4", "6", &[])],
            failed: &["max_parts_below"],
            explanation: "3 note(s) d'épreuve inférieure(s) à 3.5",
        },
        Case {
            description: "each floor is a condition of its own",
            rule: r#"{"min_overall": null, "max_parts_below": [{"below": "4", "max": 2}, {"below": "3", "max": 0}]}"#,
            parts: &[("1", "3.5", &[]), ("2", "2.5", &[]), ("3", "5", &[])],
            failed: &["max_parts_below"],
            explanation: "1 note(s) d'épreuve inférieure(s) à 3.0 (épreuve 2 : 2.5) ; au plus 0 admise(s)",
        },
        Case {
            description: "part 1 at least 4.5: 4.4 fails",
            rule: r#"{"min_overall": null, "part_minimums": [{"part": "1", "min": "4.5"}]}"#,
            parts: &[("1", "4.4", &[]), ("2", "6", &[])],
            failed: &["part_minimum"],
            explanation: "l'épreuve 1 doit atteindre 4.5 : note 4.4",
        },
        Case {
            description: "part 1 at least 4.5: exactly 4.5 passes",
            rule: r#"{"min_overall": null, "part_minimums": [{"part": "1", "min": "4.5"}]}"#,
            parts: &[("1", "4.5", &[]), ("2", "3", &[])],
            failed: &[],
            explanation: "l'épreuve 1 doit atteindre 4.5 : note 4.5",
        },
        Case {
            description: "no position below 2",
            rule: r#"{"min_overall": null, "min_position_grade": "2"}"#,
            parts: &[("1", "4", &[("1.1", "6"), ("1.2", "1.5")]), ("2", "5", &[("2.1", "5")])],
            failed: &["min_position_grade"],
            explanation: "note(s) de point d'appréciation inférieure(s) à 2.0 : point 1.2 : 1.5",
        },
        Case {
            description: "every position at least 2",
            rule: r#"{"min_overall": null, "min_position_grade": "2"}"#,
            parts: &[("1", "4", &[("1.1", "6"), ("1.2", "2")])],
            failed: &[],
            explanation: "aucune note de point d'appréciation inférieure à 2.0",
        },
        Case {
            description: "position 2.1 at least 3: 2.5 fails even with good parts",
            rule: r#"{"min_overall": null, "position_minimums": [{"position": "2.1", "min": "3"}]}"#,
            parts: &[("1", "6", &[("1.1", "6")]), ("2", "4.3", &[("2.1", "2.5"), ("2.2", "6")])],
            failed: &["position_minimum"],
            explanation: "le point d'appréciation 2.1 doit atteindre 3.0 : note 2.5",
        },
        Case {
            description: "a position of a carried part is not judged",
            rule: r#"{"min_overall": null, "position_minimums": [{"position": "1.1", "min": "5"}]}"#,
            parts: &[("1", "4.5", &[]), ("2", "4", &[("2.1", "4")])],
            failed: &[],
            explanation: "non jugé, son épreuve est reportée",
        },
    ];
    for case in cases {
        let source =
            format!(r#"{{"id": "t", "version": "1", "title": {{"fr": "T"}}, "pass_rule": {}}}"#, case.rule);
        let scheme =
            GradingScheme::from_json(&source).unwrap_or_else(|p| panic!("{}: {p:?}", case.description));
        let conditions = judge(&scheme, &parts_with_positions(case.parts), d("4"));
        let failed: Vec<&str> =
            conditions.iter().filter(|c| !c.satisfied).map(|c| c.condition.as_str()).collect();
        assert_eq!(failed, case.failed, "{}: {conditions:?}", case.description);
        assert!(
            conditions.iter().any(|c| c.explanation.contains(case.explanation)),
            "{}: {:?} not in {conditions:?}",
            case.description,
            case.explanation
        );
    }
}

#[test]
fn pass_conditions_decide_the_fixture_session() {
    // Candidate 001: positions 6, 4.5 (part 1: 5.3) and 5.5 (part 2).
    let cases = [
        ("part 1 at least 5.5", r#"{"part_minimums": [{"part": "1", "min": "5.5"}]}"#, Outcome::Failed),
        ("part 1 at least 5.3", r#"{"part_minimums": [{"part": "1", "min": "5.3"}]}"#, Outcome::Passed),
        (
            "position 1.2 at least 5",
            r#"{"position_minimums": [{"position": "1.2", "min": "5"}]}"#,
            Outcome::Failed,
        ),
        ("no position below 4.5", r#"{"min_position_grade": "4.5"}"#, Outcome::Passed),
        ("no part below 5.4", r#"{"max_parts_below": [{"below": "5.4", "max": 0}]}"#, Outcome::Failed),
    ];
    for (description, rule, outcome) in cases {
        let mut w = world();
        w.scheme.pass_rule = serde_json::from_str(rule).unwrap();
        let result = w.result();
        assert_eq!(result.candidates[0].outcome, outcome, "{description}: {}", result.candidates[0].decision);
    }
}

#[test]
fn rounding_directions_are_applied_and_explained() {
    // Candidate 001: part 1 = (6 + 4.5) / 2 = 5.25; part 2: 8.5 / 10 → 5.25.
    struct Case {
        description: &'static str,
        rounding: &'static str,
        part1: &'static str,
        part2_position: &'static str,
        overall: &'static str,
        rules: [&'static str; 3],
    }
    let cases = [
        Case {
            description: "half up everywhere (default)",
            rounding: r#"{}"#,
            part1: "5.3",
            part2_position: "5.5",
            overall: "5.4",
            rules: [
                "arrondi à la demi-note, demi vers le haut",
                "arrondi au dixième, demi vers le haut",
                "arrondi au dixième, demi vers le haut",
            ],
        },
        Case {
            description: "up everywhere",
            rounding: r#"{"position_direction": "up", "part_direction": "up", "overall_direction": "up"}"#,
            part1: "5.3",
            part2_position: "5.5",
            overall: "5.4",
            rules: [
                "arrondi à la demi-note supérieure",
                "arrondi au dixième supérieur",
                "arrondi au dixième supérieur",
            ],
        },
        Case {
            description: "down everywhere",
            rounding: r#"{"position_direction": "down", "part_direction": "down", "overall_direction": "down"}"#,
            // 1.2: 1 + 5 × 2 / 3 = 4.33… → 4.0, so part 1 = (6 + 4) / 2.
            part1: "5.0",
            part2_position: "5.0",
            overall: "5.0",
            rules: [
                "arrondi à la demi-note inférieure",
                "arrondi au dixième inférieur",
                "arrondi au dixième inférieur",
            ],
        },
        Case {
            description: "half grades up for parts, as a regulation may say",
            rounding: r#"{"part": "0.5", "part_direction": "up", "overall_direction": "down"}"#,
            part1: "5.5",
            part2_position: "5.5",
            overall: "5.5",
            rules: [
                "arrondi à la demi-note, demi vers le haut",
                "arrondi à la demi-note supérieure",
                "arrondi au dixième inférieur",
            ],
        },
    ];
    for case in cases {
        let mut w = world();
        w.scheme.rounding = serde_json::from_str(case.rounding).unwrap();
        let result = w.result();
        let first = &result.candidates[0];
        let part1 = &first.parts[0];
        let position = &first.parts[1].positions[0];
        let explained = position.evaluations[0].grade.as_ref().unwrap();
        let overall = first.overall.as_ref().unwrap();
        assert_eq!(part1.grade.map(|g| g.to_string()).as_deref(), Some(case.part1), "{}", case.description);
        assert_eq!(
            position.grade.map(|g| g.to_string()).as_deref(),
            Some(case.part2_position),
            "{}",
            case.description
        );
        assert_eq!(overall.value.to_string(), case.overall, "{}", case.description);
        let rules = [
            explained.rounding.rule.as_str(),
            part1.calculation.as_ref().unwrap().rounding.rule.as_str(),
            overall.rounding.rule.as_str(),
        ];
        assert_eq!(rules, case.rules, "{}", case.description);
    }
}

#[test]
fn grades_carry_the_decimals_of_their_step_in_json() {
    let mut w = world();
    // A carried grade written "5" and a whole overall grade.
    w.session.candidates[3].carried_parts[0].grade = d("5");
    let json = serde_json::to_value(w.result()).unwrap();
    let first = &json["candidates"][0];
    assert_eq!(first["parts"][0]["positions"][0]["grade"], "6.0", "a position grade at half grades");
    assert_eq!(first["parts"][0]["positions"][0]["evaluations"][0]["grade"]["grade"], "6.0");
    assert_eq!(first["parts"][0]["positions"][0]["comparison"]["grades"][0]["grade"], "6.0");
    assert_eq!(first["parts"][0]["calculation"]["terms"][0]["grade"], "6.0");
    assert_eq!(first["parts"][0]["grade"], "5.3");
    assert_eq!(first["overall"]["value"], "5.4");
    assert_eq!(json["candidates"][3]["parts"][0]["grade"], "5.0", "a carried grade");

    // Whole-grade steps still print one decimal; quarter steps print two.
    for (step, expected) in [("1", "6.0"), ("0.25", "6.00")] {
        let mut w = world();
        w.scheme.rounding.position = d(step);
        let json = serde_json::to_value(w.result()).unwrap();
        assert_eq!(json["candidates"][0]["parts"][0]["positions"][0]["grade"], expected, "step {step}");
    }
}

#[test]
fn evaluations_of_a_candidate_who_withdrew_are_ignored_with_a_warning() {
    for status in
        [CandidateStatus::WithdrawnUnexcused, CandidateStatus::WithdrawnExcused, CandidateStatus::Absent]
    {
        let mut w = world();
        let evaluations = w.session.candidates[0].positions.clone();
        w.session.candidates[0].status = status;
        w.session.candidates[0].positions = evaluations;
        let result = w.result();
        let candidate = &result.candidates[0];
        assert!(candidate.parts.is_empty(), "{status:?}: not graded");
        assert!(candidate.overall.is_none(), "{status:?}");
        assert_eq!(candidate.warnings.len(), 1, "{status:?}");
        assert!(
            candidate.warnings[0].contains("point(s) 1.1, 1.2, 2.1")
                && candidate.warnings[0].contains("ignorées"),
            "{status:?}: {:?}",
            candidate.warnings
        );
        let json = serde_json::to_value(&result).unwrap();
        assert!(json["candidates"][0]["warnings"].is_array(), "{status:?}: warnings in JSON");
        assert!(json["candidates"][1].get("warnings").is_none(), "no empty warnings");
    }
}

#[test]
fn cross_reference_problems_have_pointers() {
    type Edit = fn(&mut World);
    let cases: [(&str, Edit, &str); 9] = [
        ("scheme version differs", |w| w.session.scheme.version = "2".to_owned(), "/scheme"),
        ("rubric version not supplied", |w| w.session.rubrics[1].version = "9".to_owned(), "/rubrics/1"),
        (
            "rubric not pinned",
            |w| {
                w.session.rubrics.pop();
            },
            "/rubrics",
        ),
        (
            "unknown position",
            |w| w.session.candidates[0].positions[0].position = "9.9".to_owned(),
            "/candidates/0/positions/0/position",
        ),
        (
            "carried grade below pass mark",
            |w| w.session.candidates[3].carried_parts[0].grade = d("3.5"),
            "/candidates/3/carried_parts/0/grade",
        ),
        ("too many attempts", |w| w.session.candidates[3].attempt = 4, "/candidates/3/attempt"),
        (
            "carried grade off the part step",
            |w| w.session.candidates[3].carried_parts[0].grade = d("4.25"),
            "/candidates/3/carried_parts/0/grade",
        ),
        (
            "part minimum for an unknown part",
            |w| {
                w.scheme.pass_rule.part_minimums =
                    vec![grille_scoring::PartMinimum { part: "9".to_owned(), min: d("4.5") }]
            },
            "/pass_rule/part_minimums/0/part",
        ),
        (
            "position minimum for an unknown position",
            |w| {
                w.scheme.pass_rule.position_minimums =
                    vec![grille_scoring::PositionMinimum { position: "9.1".to_owned(), min: d("3") }]
            },
            "/pass_rule/position_minimums/0/position",
        ),
    ];
    for (description, edit, pointer) in cases {
        let mut w = world();
        edit(&mut w);
        let problems = w.score().expect_err(description);
        assert!(problems.iter().any(|p| p.pointer == pointer), "{description}: {problems:?}");
    }
}

impl World {
    fn documents(&self) -> SessionDocuments<'_> {
        SessionDocuments {
            catalogue: &self.catalogue,
            scheme: &self.scheme,
            blueprint: &self.blueprint,
            rubrics: &self.rubrics,
            cases: &[],
        }
    }
}

#[test]
fn streaming_scorer_gives_the_same_results_as_score_session() {
    let w = world();
    let whole = w.result();
    let scorer = Scorer::new(w.documents(), w.session.header()).expect("documents are valid");
    let mut summary = SessionSummary::default();
    let mut streamed = Vec::new();
    for (index, candidate) in w.session.candidates.iter().enumerate() {
        assert_eq!(scorer.check_candidate(index, candidate), vec![], "candidate {index}");
        let result = scorer.score_candidate(candidate);
        summary.add(&result);
        streamed.push(result);
    }
    assert_eq!(scorer.session_result(streamed), whole);
    assert_eq!(summary, whole.summary());
    assert_eq!(
        summary,
        SessionSummary {
            candidates: 4,
            passed: 1,
            failed: 1,
            pending: 1,
            no_result: 1,
            open_discrepancies: 1,
            candidates_with_open_discrepancies: 1,
            // 1.2 of candidate 001 (settled) and 2.1 of candidate 004 (open).
            flagged_positions: 2,
        }
    );
}

#[test]
fn scorer_refuses_bad_documents_once_and_checks_candidates_one_by_one() {
    let mut w = world();
    w.session.scheme.version = "2".to_owned();
    let problems = Scorer::new(w.documents(), w.session.header()).expect_err("scheme version differs");
    assert!(problems.iter().any(|p| p.pointer == "/scheme"), "{problems:?}");

    let w = world();
    let scorer = Scorer::new(w.documents(), w.session.header()).unwrap();
    type Edit = fn(&mut grille_scoring::Candidate);
    // (description, edit of candidate 001 checked at index 7, pointer, fragment)
    let cases: [(&str, Edit, &str, &str); 5] = [
        (
            "unknown position",
            |c| c.positions[0].position = "9.9".to_owned(),
            "/candidates/7/positions/0/position",
            "n'existe pas",
        ),
        ("attempt 0", |c| c.attempt = 0, "/candidates/7/attempt", "tentative"),
        ("too many attempts", |c| c.attempt = 9, "/candidates/7/attempt", "en admet 3"),
        ("blank number", |c| c.number = " ".to_owned(), "/candidates/7/number", "vide"),
        (
            "duplicate examiner",
            |c| c.positions[0].evaluations[1].examiner = "E1".to_owned(),
            "/candidates/7/positions/0/evaluations/1/examiner",
            "deux évaluations",
        ),
    ];
    for (description, edit, pointer, fragment) in cases {
        let mut candidate = w.session.candidates[0].clone();
        candidate.number = format!("x-{description}");
        edit(&mut candidate);
        let problems = scorer.check_candidate(7, &candidate);
        assert!(
            problems.iter().any(|p| p.pointer == pointer && p.message.contains(fragment)),
            "{description}: expected {fragment:?} at {pointer:?}, got {problems:?}"
        );
    }
    // A number seen before is reported at its second use only.
    let first = w.session.candidates[1].clone();
    assert_eq!(scorer.check_candidate(0, &first), vec![]);
    let problems = scorer.check_candidate(5, &first);
    assert!(problems.iter().any(|p| p.pointer == "/candidates/5/number" && p.message.contains("deux fois")));
}

mod pipeline {
    use grille_scoring::{AgreedEvaluation, Answer, Outcome};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::world;
    use crate::calc::{any_conversion, any_direction, any_step};

    fn on_step(value: Decimal, step: Decimal) -> bool {
        (value / step).is_integer()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random levels (and "not assessable" where allowed) for every
        /// answer of candidate 001, each position settled by a random agreed
        /// evaluation, random conversion and rounding steps: every grade of
        /// every step stays within the scale and on its rounding step.
        #[test]
        fn grades_stay_within_the_scale_after_every_step(
            choices in prop::collection::vec(0..5usize, 64),
            conversion in any_conversion(),
            steps in (any_step(), any_step(), any_step()),
            directions in (any_direction(), any_direction(), any_direction()),
        ) {
            let mut w = world();
            w.scheme.conversion = conversion;
            (w.scheme.rounding.position, w.scheme.rounding.part, w.scheme.rounding.overall) = steps;
            let rounding = &mut w.scheme.rounding;
            (rounding.position_direction, rounding.part_direction, rounding.overall_direction) = directions;
            // A carried part grade lies on the part step: 5 lies on every step drawn.
            w.session.candidates[3].carried_parts[0].grade = Decimal::from(5);
            let mut choice = choices.into_iter().cycle();
            let rubrics = w.rubrics.clone();
            let blueprint = w.blueprint.clone();
            for scoring in &mut w.session.candidates[0].positions {
                let (_, position) = blueprint.position(&scoring.position).unwrap();
                let rubric = rubrics.iter().find(|rubric| rubric.id == position.rubric).unwrap();
                let mut answers = || -> Vec<Answer> {
                    rubric
                        .criteria
                        .iter()
                        .map(|criterion| {
                            let pick = choice.next().unwrap();
                            let not_assessable = criterion.not_assessable_allowed && pick == 4;
                            Answer {
                                criterion: criterion.id.clone(),
                                points: (!not_assessable).then(|| criterion.levels[pick % criterion.levels.len()].points),
                                not_assessable,
                                remark: None,
                            }
                        })
                        .collect()
                };
                for evaluation in &mut scoring.evaluations {
                    evaluation.answers = answers();
                }
                // A rubric whose every criterion is not assessable has no maximum:
                // keep the agreed evaluation's first criterion assessed.
                let mut agreed = answers();
                if agreed[0].not_assessable {
                    agreed[0].not_assessable = false;
                    agreed[0].points = Some(rubric.criteria[0].levels[0].points);
                }
                scoring.agreed = Some(AgreedEvaluation { remark_language: None, examiners: vec![], answers: agreed, remark: None, awaiting_confirmation: vec![] });
            }
            let result = w.result();
            let candidate = &result.candidates[0];
            let (min, max) = (w.scheme.scale.min, w.scheme.scale.max);
            let within = |grade: Decimal| grade >= min && grade <= max;
            for part in &candidate.parts {
                for position in &part.positions {
                    for evaluation in position.evaluations.iter().chain(&position.agreed) {
                        if let Some(grade) = &evaluation.grade {
                            prop_assert!(within(grade.grade), "examiner grade {}", grade.grade);
                            prop_assert!(on_step(grade.grade, steps.0), "examiner grade {} on {}", grade.grade, steps.0);
                        }
                    }
                    let grade = position.grade.expect("agreed evaluation gives the grade");
                    prop_assert!(within(grade) && on_step(grade, steps.0), "position grade {}", grade);
                }
                let grade = part.grade.expect("every position has a grade");
                prop_assert!(within(grade) && on_step(grade, steps.1), "part grade {} (step {})", grade, steps.1);
            }
            let overall = candidate.overall.as_ref().expect("overall grade").value;
            prop_assert!(within(overall) && on_step(overall, steps.2), "overall {} (step {})", overall, steps.2);
            prop_assert!(matches!(candidate.outcome, Outcome::Passed | Outcome::Failed), "{}", candidate.decision);
        }
    }
}

#[test]
fn pass_mark_boundaries_through_the_overall_rounding() {
    // (description, part grades, part weights, overall, passes min_overall 4)
    let cases = [
        ("4.0 exactly: passes", ["4.5", "3.5"], ["1", "1"], "4", true),
        ("3.95 rounds half up to 4.0: passes", ["3.9", "4"], ["1", "1"], "4", true),
        ("3.94 rounds to 3.9: fails", ["3.9", "4"], ["3", "2"], "3.9", false),
        ("3.9499... rounds to 3.9: fails", ["3.9", "4"], ["501", "499"], "3.9", false),
    ];
    let scheme = GradingScheme::with_defaults("t", "1");
    for (description, grades, weights, overall, passes) in cases {
        let grades: Vec<Decimal> = grades.into_iter().map(d).collect();
        let weights: Vec<Decimal> = weights.into_iter().map(d).collect();
        let mean = grille_scoring::mean(&grades, &weights, scheme.rounding.overall).unwrap();
        assert_eq!(mean.value, d(overall), "{description}: {}", mean.formula);
        let parts: Vec<PartResult> = parts(&[("1", "4"), ("2", "4")]);
        let conditions = judge(&scheme, &parts, mean.value);
        assert_eq!(conditions[0].condition, "min_overall");
        assert_eq!(conditions[0].satisfied, passes, "{description}: {}", conditions[0].explanation);
    }
}

#[test]
fn results_follow_their_json_schema_and_read_back() {
    use grille_competence::document::{schema_of, schema_problems};
    let mut w = world();
    // Cover "missing" marks and incomplete evaluations too.
    w.answers(0, 0, 0).remove(0);
    let result = w.result();
    let json = serde_json::to_value(&result).unwrap();
    let schema = schema_of::<SessionResult>();
    assert_eq!(schema_problems(&schema, &json), vec![], "the result follows its schema");
    // Decimals are documented as exact decimal strings.
    let text = serde_json::to_string(&schema).unwrap();
    assert!(text.contains(grille_scoring::decimal::DECIMAL_PATTERN.replace('\\', "\\\\").as_str()), "{text}");
    let read: SessionResult = serde_json::from_value(json).unwrap();
    assert_eq!(read, result, "a serialized result reads back unchanged");

    let summary = serde_json::to_value(result.summary()).unwrap();
    assert_eq!(schema_problems(&schema_of::<SessionSummary>(), &summary), vec![]);
    // A result that breaks the schema is caught (the schema is not vacuous).
    let mut broken = serde_json::to_value(&result).unwrap();
    broken["candidates"][0]["outcome"] = serde_json::json!("maybe");
    broken["candidates"][0]["parts"][0]["weight"] = serde_json::json!("4,5");
    let pointers: Vec<String> = schema_problems(&schema, &broken).into_iter().map(|p| p.pointer).collect();
    assert!(pointers.contains(&"/candidates/0/outcome".to_owned()), "{pointers:?}");
    assert!(pointers.contains(&"/candidates/0/parts/0/weight".to_owned()), "{pointers:?}");
}

/// The grades-only path (`grille score --format csv`) gives the grades,
/// outcome, decision, pending reasons and open discrepancies of the full
/// path, for every candidate of `session`.
fn assert_grades_match_full(documents: SessionDocuments<'_>, session: &Session, what: &str) {
    let scorer = Scorer::new(documents, session.header()).expect("documents are valid");
    for (index, candidate) in session.candidates.iter().enumerate() {
        assert_eq!(scorer.check_candidate(index, candidate), vec![], "{what}: candidate {index}");
        let full = scorer.score_candidate(candidate);
        let open = full
            .parts
            .iter()
            .flat_map(|part| &part.positions)
            .filter_map(|position| position.comparison.as_ref())
            .filter(|comparison| comparison.status == DiscrepancyStatus::Open)
            .count();
        let grades = scorer.score_candidate_grades(candidate);
        assert_eq!(grades, CandidateGrades::from(full.clone()), "{what}: candidate {index}");
        // Field by field against the full result, not only through `from`.
        assert_eq!(grades.number, full.number);
        assert_eq!(grades.outcome, full.outcome, "{what}: candidate {index}");
        assert_eq!(grades.decision, full.decision, "{what}: candidate {index}");
        assert_eq!(grades.pending, full.pending, "{what}: candidate {index}");
        assert_eq!(grades.overall, full.overall.as_ref().map(|overall| overall.value));
        let part_grades: Vec<_> = full.parts.iter().map(|part| (part.part.clone(), part.grade)).collect();
        let light: Vec<_> = grades.parts.iter().map(|part| (part.part.clone(), part.grade)).collect();
        assert_eq!(light, part_grades, "{what}: candidate {index}");
        assert_eq!(grades.open_discrepancies, open, "{what}: candidate {index}");
    }
}

#[test]
fn grades_only_scoring_gives_the_grades_and_decisions_of_the_full_path() {
    // The fixtures, and variations reaching every branch of the decision.
    let w = world();
    assert_grades_match_full(w.documents(), &w.session, "fixtures");
    for status in [
        CandidateStatus::WithdrawnUnexcused,
        CandidateStatus::Excluded,
        CandidateStatus::WithdrawnExcused,
        CandidateStatus::Absent,
    ] {
        let mut w = world();
        w.session.candidates[1].status = status;
        w.session.candidates[1].positions.clear();
        assert_grades_match_full(w.documents(), &w.session, &format!("{status:?}"));
    }
    let mut w = world();
    let agreed_answers = w.session.candidates[3].positions[0].evaluations[0].answers.clone();
    w.session.candidates[3].positions[0].agreed = Some(grille_scoring::AgreedEvaluation {
        remark_language: None,
        examiners: vec![],
        answers: agreed_answers,
        remark: None,
        awaiting_confirmation: vec![],
    });
    assert_grades_match_full(w.documents(), &w.session, "retake agreed");
    for conversion in [
        grille_scoring::Conversion::TwoPiece { pass_fraction: d("0.6") },
        grille_scoring::Conversion::Table {
            max_points: d("10"),
            thresholds: vec![
                grille_scoring::Threshold { min_points: d("0"), grade: d("1") },
                grille_scoring::Threshold { min_points: d("5"), grade: d("4") },
                grille_scoring::Threshold { min_points: d("8"), grade: d("5.5") },
            ],
        },
    ] {
        let mut w = world();
        w.scheme.conversion = conversion.clone();
        assert_grades_match_full(w.documents(), &w.session, &format!("{conversion:?}"));
    }
    let mut w = world();
    w.scheme.double_marking.identical_agree = false;
    assert_grades_match_full(w.documents(), &w.session, "explicit agreement required");

    // The worked example with the federal exam's documents.
    let catalogue = Catalogue::embedded().expect("embedded catalogue");
    let exam = grille_scoring::embedded::federal_exam(&catalogue).expect("federal exam documents");
    let session = grille_scoring::embedded::example_session().expect("worked example");
    let cases = grille_scoring::embedded::example_cases(&catalogue).expect("worked example's cases");
    let documents = SessionDocuments {
        catalogue: &catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &exam.rubrics,
        cases: &cases,
    };
    assert_grades_match_full(documents, &session, "worked example");
}

#[test]
fn the_one_answer_check_names_each_answer_and_its_first_broken_rule() {
    use grille_scoring::{AnswerFault, Completeness};
    let world = world();
    let rubric = world.rubrics.iter().find(|rubric| rubric.id == "reflexion").expect("fixture rubric");
    let answer = |criterion: &str, points: Option<i64>, not_assessable: bool| Answer {
        criterion: criterion.to_owned(),
        points: points.map(Decimal::from),
        not_assessable,
        remark: None,
    };
    type Expected = Vec<(&'static str, AnswerFault)>;
    let cases: Vec<(&str, Vec<Answer>, Completeness, Expected)> = vec![
        (
            "complete, in rubric order",
            vec![answer("r1", Some(3), false), answer("r2", None, true)],
            Completeness::Complete,
            vec![],
        ),
        ("a draft may leave criteria out", vec![answer("r2", Some(1), false)], Completeness::Draft, vec![]),
        (
            "a submission may not",
            vec![answer("r2", Some(1), false)],
            Completeness::Complete,
            vec![("/e/answers", AnswerFault::Missing)],
        ),
        (
            "unknown, twice, no level, both, refused, unanswered",
            vec![
                answer("r9", Some(1), false),
                answer("r1", Some(7), false),
                answer("r1", Some(1), false),
                answer("r2", Some(1), true),
            ],
            Completeness::Complete,
            vec![
                ("/e/answers/0/criterion", AnswerFault::UnknownCriterion),
                ("/e/answers/1/points", AnswerFault::NoSuchLevel(Decimal::from(7))),
                ("/e/answers/2/criterion", AnswerFault::Duplicate),
                ("/e/answers/3", AnswerFault::PointsAndNotAssessable),
            ],
        ),
        (
            "not assessable where the rubric does not allow it; an empty answer",
            vec![answer("r1", None, true), answer("r2", None, false)],
            Completeness::Complete,
            vec![
                ("/e/answers/0/not_assessable", AnswerFault::NotAssessableRefused),
                ("/e/answers/1/points", AnswerFault::Unanswered),
            ],
        ),
    ];
    for (description, answers, completeness, expected) in cases {
        let problems = rubric.check_answers(&answers, None, completeness);
        let found: Vec<(String, AnswerFault)> =
            problems.iter().map(|problem| (problem.pointer("/e"), problem.fault.clone())).collect();
        let expected: Vec<(String, AnswerFault)> =
            expected.into_iter().map(|(pointer, fault)| (pointer.to_owned(), fault)).collect();
        assert_eq!(found, expected, "{description}");
    }
}

/// What-if: the same candidates under another scheme, compared with their
/// real grades (`WhatIf`).
mod what_if {
    use grille_scoring::engine::WhatIf;
    use grille_scoring::{GradingScheme, Scorer, SessionDocuments};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::{World, world};
    use crate::calc::{any_conversion, any_direction, any_step};

    /// Every candidate of the fixture session scored under `real` and under
    /// `changed`, compared.
    fn compare(w: &World, real: &GradingScheme, changed: &GradingScheme) -> WhatIf {
        let documents = |scheme| SessionDocuments {
            catalogue: &w.catalogue,
            scheme,
            blueprint: &w.blueprint,
            rubrics: &w.rubrics,
            cases: &[],
        };
        // Each side pins its own scheme's version (as `grille score
        // --what-if` does for a draft of next year's scheme).
        let pinning = |scheme: &GradingScheme| {
            let mut header = w.session.header();
            header.scheme.version = scheme.version.clone();
            header
        };
        let before = Scorer::new(documents(real), pinning(real)).expect("real documents");
        let after = Scorer::new(documents(changed), pinning(changed)).expect("changed documents");
        let mut what_if = WhatIf::new();
        for candidate in &w.session.candidates {
            what_if.add(&before.score_candidate_grades(candidate), &after.score_candidate_grades(candidate));
        }
        what_if
    }

    /// A scheme drawn at random: conversion, rounding steps and directions,
    /// and the minimum overall grade.
    fn scheme(
        w: &World,
        conversion: grille_scoring::scheme::Conversion,
        steps: (Decimal, Decimal, Decimal),
        directions: (
            grille_scoring::scheme::RoundingDirection,
            grille_scoring::scheme::RoundingDirection,
            grille_scoring::scheme::RoundingDirection,
        ),
        min_overall_tenths: u32,
    ) -> GradingScheme {
        let mut scheme = w.scheme.clone();
        scheme.conversion = conversion;
        (scheme.rounding.position, scheme.rounding.part, scheme.rounding.overall) = steps;
        let rounding = &mut scheme.rounding;
        (rounding.position_direction, rounding.part_direction, rounding.overall_direction) = directions;
        scheme.pass_rule.min_overall = Some(Decimal::new(i64::from(min_overall_tenths), 1));
        scheme
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Under the session's own scheme, whatever it is, nothing changes:
        /// the simulation is the real result.
        #[test]
        fn the_own_scheme_changes_nothing(
            conversion in any_conversion(),
            steps in (any_step(), any_step(), any_step()),
            directions in (any_direction(), any_direction(), any_direction()),
            min_overall in 10u32..=60,
        ) {
            let mut w = world();
            // A carried part grade lies on every part step drawn.
            w.session.candidates[3].carried_parts[0].grade = Decimal::from(5);
            let real = scheme(&w, conversion, steps, directions, min_overall);
            let what_if = compare(&w, &real, &real.clone());
            prop_assert_eq!(what_if.candidates, w.session.candidates.len());
            prop_assert!(what_if.changes.is_empty(), "{:?}", what_if.changes);
        }

        /// Lowering the minimum overall grade only gains passes, raising it
        /// only loses them; grades never move (the rule is not a grade).
        #[test]
        fn the_minimum_overall_grade_moves_passes_one_way(
            conversion in any_conversion(),
            steps in (any_step(), any_step(), any_step()),
            directions in (any_direction(), any_direction(), any_direction()),
            minimums in (10u32..=60, 10u32..=60),
        ) {
            let mut w = world();
            w.session.candidates[3].carried_parts[0].grade = Decimal::from(5);
            let mut real = scheme(&w, conversion, steps, directions, minimums.0);
            let mut changed = real.clone();
            changed.pass_rule.min_overall = Some(Decimal::new(i64::from(minimums.1), 1));
            changed.version = "simulation".to_owned();
            let what_if = compare(&w, &real, &changed);
            prop_assert!(what_if.changes.iter().all(|change| change.grades.is_empty()
                && change.overall_before == change.overall_after), "{:?}", what_if.changes);
            if minimums.1 <= minimums.0 {
                prop_assert_eq!(what_if.passes_lost, 0, "{:?}", what_if.changes);
            } else {
                prop_assert_eq!(what_if.passes_gained, 0, "{:?}", what_if.changes);
            }
            // And back: the same flips in the other direction.
            real.version = "reverse".to_owned();
            let reverse = compare(&w, &changed, &real);
            prop_assert_eq!(reverse.passes_gained, what_if.passes_lost);
            prop_assert_eq!(reverse.passes_lost, what_if.passes_gained);
        }
    }
}

#[test]
fn remarks_carry_their_language_into_the_results() {
    use grille_scoring::CaseLanguage;
    // (session default, first examiner's own, agreed's own) → (examiner 1,
    // examiner 2, agreed) in the results of position 1.2.
    type Case = (Option<CaseLanguage>, Option<CaseLanguage>, Option<CaseLanguage>);
    let cases: [(Case, [Option<CaseLanguage>; 3]); 4] = [
        ((None, None, None), [None, None, None]),
        ((Some(CaseLanguage::Fr), None, None), [Some(CaseLanguage::Fr); 3]),
        (
            (Some(CaseLanguage::Fr), Some(CaseLanguage::De), None),
            [Some(CaseLanguage::De), Some(CaseLanguage::Fr), Some(CaseLanguage::Fr)],
        ),
        ((None, None, Some(CaseLanguage::It)), [None, None, Some(CaseLanguage::It)]),
    ];
    for ((default, first, agreed), expected) in cases {
        let mut world = world();
        world.session.remark_language = default;
        let position = &mut world.session.candidates[0].positions[1];
        position.evaluations[0].remark_language = first;
        position.agreed.as_mut().expect("agreed in the fixture").remark_language = agreed;
        let result = world.result();
        let scored = &result.candidates[0].parts[0].positions[1];
        let found = [
            scored.evaluations[0].remark_language,
            scored.evaluations[1].remark_language,
            scored.agreed.as_ref().and_then(|agreed| agreed.remark_language),
        ];
        assert_eq!(found, expected, "{default:?} {first:?} {agreed:?}");
        // The results' JSON says it beside the remark, and only when known.
        let json = serde_json::to_value(scored).expect("json");
        let agreed_json = &json["agreed"]["remark_language"];
        match expected[2] {
            Some(language) => assert_eq!(agreed_json, language.code()),
            None => assert!(agreed_json.is_null(), "{json}"),
        }
    }
}
