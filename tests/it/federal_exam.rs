//! The federal exam files shipped in `rubrics/` (grading scheme, blueprint,
//! one rubric per position) and the worked example `examples/session-demo.json`:
//! they load and validate against the embedded catalogue, every position has
//! its rubric, the rubrics cover all 28 competences and the four categories,
//! and the example session gives the grades computed by hand in
//! `examples/session-demo.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use grille_competence::{Catalogue, Category, Problem};
use grille_scoring::decimal::display_grade;
use grille_scoring::{
    Answer, Blueprint, CandidateStatus, Conversion, DiscrepancyStatus, FlagKind, GradingScheme, Outcome,
    Rubric, ScoringInput, Session, SessionResult, score_session,
};

/// The exam documents of `rubrics/`, loaded and validated.
struct Exam {
    scheme: GradingScheme,
    blueprint: Blueprint,
    /// Rubrics by file name.
    rubrics: BTreeMap<String, Rubric>,
}

impl Exam {
    fn rubric(&self, id: &str) -> &Rubric {
        self.rubrics
            .values()
            .find(|rubric| rubric.id == id)
            .unwrap_or_else(|| panic!("no file under rubrics/ defines the rubric {id}"))
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue() -> Catalogue {
    Catalogue::embedded().expect("the embedded catalogue is valid")
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn explain(file: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> =
        problems.iter().map(|problem| format!("  {}: {}", problem.pointer, problem.message)).collect();
    format!("{file} does not validate:\n{}", lines.join("\n"))
}

/// Loads every file of `rubrics/` with the loader of its kind; a file of
/// unknown kind is an error, so nothing in the directory goes unchecked.
fn load_exam() -> Exam {
    let catalogue = catalogue();
    let mut scheme = None;
    let mut blueprint = None;
    let mut rubrics = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(root().join("rubrics"))
        .expect("rubrics/ exists")
        .map(|entry| entry.expect("readable entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let relative = format!("rubrics/{name}");
        let source = read(&relative);
        if name == "grading-scheme.json" {
            scheme = Some(
                GradingScheme::from_json(&source).unwrap_or_else(|p| panic!("{}", explain(&relative, &p))),
            );
        } else if name == "blueprint.json" {
            blueprint = Some(
                Blueprint::from_json(&source, &catalogue)
                    .unwrap_or_else(|p| panic!("{}", explain(&relative, &p))),
            );
        } else if name.starts_with("rubric-") && name.ends_with(".json") {
            let rubric = Rubric::from_json(&source, &catalogue)
                .unwrap_or_else(|p| panic!("{}", explain(&relative, &p)));
            rubrics.insert(name, rubric);
        } else {
            panic!(
                "{relative}: unexpected file (expected grading-scheme.json, blueprint.json or rubric-*.json)"
            );
        }
    }
    Exam {
        scheme: scheme.expect("rubrics/grading-scheme.json exists"),
        blueprint: blueprint.expect("rubrics/blueprint.json exists"),
        rubrics,
    }
}

fn load_session() -> Session {
    Session::from_json(&read("examples/session-demo.json"))
        .unwrap_or_else(|p| panic!("{}", explain("examples/session-demo.json", &p)))
}

#[test]
fn every_file_under_rubrics_loads_and_validates() {
    let exam = load_exam();
    assert_eq!(exam.rubrics.len(), 4, "one rubric per position: {:?}", exam.rubrics.keys());
    let mut ids = BTreeSet::new();
    for (file, rubric) in &exam.rubrics {
        assert!(ids.insert(rubric.id.as_str()), "{file}: the rubric id {} is used twice", rubric.id);
    }
}

#[test]
fn the_scheme_is_the_default_swiss_scheme_with_its_assumptions_stated() {
    let scheme = load_exam().scheme;
    assert!(matches!(scheme.conversion, Conversion::Linear));
    assert_eq!(scheme.scale.min.to_string(), "1");
    assert_eq!(scheme.scale.max.to_string(), "6");
    assert_eq!(scheme.scale.pass_mark.to_string(), "4");
    assert_eq!(scheme.rounding.position.to_string(), "0.5");
    assert_eq!(scheme.rounding.part.to_string(), "0.1");
    assert_eq!(scheme.rounding.overall.to_string(), "0.1");
    let rule = &scheme.pass_rule;
    assert_eq!(rule.min_overall.map(|grade| grade.to_string()), Some("4".to_owned()));
    assert_eq!(rule.max_insufficient_parts, Some(1));
    assert_eq!(rule.min_part_grade.map(|grade| grade.to_string()), Some("3".to_owned()));
    assert!(
        scheme.assumptions.iter().any(|note| note.contains("règlement d'examen")),
        "the scheme must say that the exam regulation is not available"
    );
}

#[test]
fn the_blueprint_follows_the_public_description_of_the_exam() {
    let blueprint = load_exam().blueprint;
    let shape: Vec<(&str, Vec<&str>)> = blueprint
        .parts
        .iter()
        .map(|part| (part.id.as_str(), part.positions.iter().map(|position| position.id.as_str()).collect()))
        .collect();
    assert_eq!(shape, vec![("1", vec!["1.1", "1.2"]), ("2", vec!["2.1"]), ("3", vec!["3.1"])]);
    for part in &blueprint.parts {
        assert_eq!(part.examiners, 2, "part {}", part.id);
    }
    assert!(blueprint.assumptions.iter().any(|note| note.contains("règlement d'examen")));
    assert!(
        blueprint.assumptions.iter().any(|note| note.contains("Pondérations")),
        "the weights must be marked as an assumption"
    );
}

#[test]
fn every_position_has_its_rubric_and_every_rubric_is_used() {
    let exam = load_exam();
    let used = exam.blueprint.rubric_ids();
    for (part, position) in exam
        .blueprint
        .parts
        .iter()
        .flat_map(|part| part.positions.iter().map(move |position| (part, position)))
    {
        let rubric = exam.rubric(&position.rubric);
        assert!(!rubric.criteria.is_empty(), "position {} of part {}", position.id, part.id);
        assert!(!position.competences.is_empty(), "position {} names no competence", position.id);
    }
    for (file, rubric) in &exam.rubrics {
        assert!(
            used.contains(&rubric.id.as_str()),
            "{file}: the rubric {} is used by no position",
            rubric.id
        );
    }
}

#[test]
fn rubrics_are_usable_scoring_forms() {
    let exam = load_exam();
    for (file, rubric) in &exam.rubrics {
        assert!((4..=8).contains(&rubric.criteria.len()), "{file}: {} criteria", rubric.criteria.len());
        for criterion in &rubric.criteria {
            let what = format!("{file} criterion {}", criterion.id);
            assert!((3..=5).contains(&criterion.levels.len()), "{what}: {} levels", criterion.levels.len());
            assert!(
                !criterion.catalogue_criteria.is_empty() || !criterion.competences.is_empty(),
                "{what} observes nothing of the catalogue"
            );
            let descriptors: BTreeSet<&str> =
                criterion.levels.iter().map(|level| level.descriptor.fr.as_str()).collect();
            assert_eq!(descriptors.len(), criterion.levels.len(), "{what}: two levels share a descriptor");
            for level in &criterion.levels {
                assert!(
                    level.descriptor.fr.len() >= 40,
                    "{what}: descriptor too short to apply: {}",
                    level.descriptor.fr
                );
            }
        }
    }
    assert!(
        exam.rubrics
            .values()
            .flat_map(|rubric| &rubric.criteria)
            .any(|criterion| criterion.not_assessable_allowed),
        "some criterion of an oral must allow \"not assessable\""
    );
}

/// For each competence, the positions that assess it: named by the
/// position itself, by one of its rubric criteria, or through a catalogue
/// criterion one of its rubric criteria observes.
fn coverage(exam: &Exam, catalogue: &Catalogue) -> BTreeMap<String, BTreeSet<String>> {
    let mut covered: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for position in exam.blueprint.parts.iter().flat_map(|part| &part.positions) {
        let mut add = |competence: &str| {
            covered.entry(competence.to_owned()).or_default().insert(position.id.clone());
        };
        position.competences.iter().for_each(|competence| add(competence));
        for criterion in &exam.rubric(&position.rubric).criteria {
            criterion.competences.iter().for_each(|competence| add(competence));
            for id in &criterion.catalogue_criteria {
                let (competence, _) = catalogue.criterion(id).expect("checked by the rubric loader");
                add(&competence.id);
            }
        }
    }
    covered
}

#[test]
fn every_competence_is_assessed() {
    let exam = load_exam();
    let catalogue = catalogue();
    let covered = coverage(&exam, &catalogue);
    let missing: Vec<&str> = catalogue
        .competences()
        .map(|competence| competence.id.as_str())
        .filter(|id| !covered.contains_key(*id))
        .collect();
    assert!(missing.is_empty(), "competences assessed by no position: {missing:?}");
    assert_eq!(catalogue.competences().count(), 28);

    // Stricter: every competence is observed by at least one rubric
    // criterion, so its result can be traced criterion by criterion.
    let observed: BTreeSet<String> = exam
        .rubrics
        .values()
        .flat_map(|rubric| &rubric.criteria)
        .flat_map(|criterion| {
            criterion.competences.iter().cloned().chain(
                criterion
                    .catalogue_criteria
                    .iter()
                    .map(|id| catalogue.criterion(id).expect("checked").0.id.clone()),
            )
        })
        .collect();
    let unobserved: Vec<&str> = catalogue
        .competences()
        .map(|competence| competence.id.as_str())
        .filter(|id| !observed.contains(*id))
        .collect();
    assert!(unobserved.is_empty(), "competences observed by no rubric criterion: {unobserved:?}");
}

#[test]
fn each_part_assesses_its_domains() {
    let exam = load_exam();
    let catalogue = catalogue();
    let covered = coverage(&exam, &catalogue);
    for (domain, positions) in [
        ("A", vec!["2.1"]),
        ("B", vec!["3.1"]),
        ("C", vec!["3.1"]),
        ("D", vec!["3.1"]),
        ("E", vec!["1.1", "1.2"]),
    ] {
        for competence in &catalogue.domain(domain).expect("domain").competences {
            for position in &positions {
                assert!(
                    covered[&competence.id].contains(*position),
                    "competence {} is not assessed by position {position}",
                    competence.id
                );
            }
        }
    }
}

#[test]
fn every_category_is_observed() {
    let exam = load_exam();
    let catalogue = catalogue();
    let mut per_position: BTreeMap<&str, BTreeSet<Category>> = BTreeMap::new();
    for position in exam.blueprint.parts.iter().flat_map(|part| &part.positions) {
        for criterion in &exam.rubric(&position.rubric).criteria {
            for id in &criterion.catalogue_criteria {
                let (_, found) = catalogue.criterion(id).expect("checked");
                per_position.entry(position.id.as_str()).or_default().insert(found.category);
            }
        }
    }
    let all: BTreeSet<Category> = per_position.values().flatten().copied().collect();
    assert_eq!(all, Category::ALL.into_iter().collect::<BTreeSet<_>>());
    // The reflection part carries metacognition.
    assert!(per_position["1.1"].contains(&Category::Metacognition));
    assert!(per_position["1.2"].contains(&Category::Metacognition));
}

fn answer_key(answers: &[Answer]) -> Vec<(String, Option<String>, bool)> {
    answers
        .iter()
        .map(|answer| {
            (answer.criterion.clone(), answer.points.map(|points| points.to_string()), answer.not_assessable)
        })
        .collect()
}

#[test]
fn the_example_session_loads_and_matches_the_exam_files() {
    let exam = load_exam();
    let session = load_session();
    assert_eq!(
        (session.scheme.id.as_str(), session.scheme.version.as_str()),
        (exam.scheme.id.as_str(), exam.scheme.version.as_str())
    );
    assert_eq!(
        (session.blueprint.id.as_str(), session.blueprint.version.as_str()),
        (exam.blueprint.id.as_str(), exam.blueprint.version.as_str())
    );
    let pinned: BTreeSet<(&str, &str)> =
        session.rubrics.iter().map(|reference| (reference.id.as_str(), reference.version.as_str())).collect();
    let shipped: BTreeSet<(&str, &str)> =
        exam.rubrics.values().map(|rubric| (rubric.id.as_str(), rubric.version.as_str())).collect();
    assert_eq!(pinned, shipped);
    // The worked example's cases are the files of examples/cases/, pinned by version.
    let cases = grille_scoring::embedded::example_cases(&catalogue()).unwrap_or_else(|p| panic!("{p:?}"));
    let pinned_cases: BTreeSet<(&str, &str)> =
        session.cases.iter().map(|reference| (reference.id.as_str(), reference.version.as_str())).collect();
    let shipped_cases: BTreeSet<(&str, &str)> =
        cases.iter().map(|case| (case.id.as_str(), case.version.as_str())).collect();
    assert_eq!(pinned_cases, shipped_cases);

    for candidate in &session.candidates {
        let who = format!("candidate {}", candidate.number);
        if candidate.status != CandidateStatus::Present {
            assert!(candidate.positions.is_empty(), "{who}");
            continue;
        }
        let scored: Vec<&str> = candidate.positions.iter().map(|scoring| scoring.position.as_str()).collect();
        let expected: Vec<&str> = exam
            .blueprint
            .parts
            .iter()
            .flat_map(|part| &part.positions)
            .map(|position| position.id.as_str())
            .collect();
        assert_eq!(scored, expected, "{who}: every position is evaluated, in blueprint order");
        for scoring in &candidate.positions {
            let (part, position) = exam.blueprint.position(&scoring.position).expect("known position");
            let rubric = exam.rubric(&position.rubric);
            let what = format!("{who}, position {}", position.id);
            assert_eq!(scoring.evaluations.len() as u32, part.examiners, "{what}: examiners");
            let mut sets: Vec<(&str, &[Answer])> = scoring
                .evaluations
                .iter()
                .map(|evaluation| (evaluation.examiner.as_str(), evaluation.answers.as_slice()))
                .collect();
            if let Some(agreed) = &scoring.agreed {
                sets.push(("agreed", agreed.answers.as_slice()));
            }
            for (by, answers) in sets {
                let criteria: Vec<&str> = answers.iter().map(|answer| answer.criterion.as_str()).collect();
                // A criterion the candidate's case leaves out has no answer.
                let leaves_out = |criterion: &str| {
                    candidate.cases.iter().any(|sitting| {
                        sitting.position == scoring.position
                            && cases.iter().any(|case| case.id == sitting.case && case.leaves_out(criterion))
                    })
                };
                let wanted: Vec<&str> = rubric
                    .criteria
                    .iter()
                    .map(|criterion| criterion.id.as_str())
                    .filter(|id| !leaves_out(id))
                    .collect();
                assert_eq!(criteria, wanted, "{what} ({by}): one answer per criterion, in rubric order");
                for answer in answers {
                    let criterion = rubric.criterion(&answer.criterion).expect("known criterion");
                    match (answer.points, answer.not_assessable) {
                        (Some(points), false) => assert!(
                            criterion.level(points).is_some(),
                            "{what} ({by}): {} points is no level of {}",
                            points,
                            criterion.id
                        ),
                        (None, true) => assert!(
                            criterion.not_assessable_allowed,
                            "{what} ({by}): {} may not be marked not assessable",
                            criterion.id
                        ),
                        _ => panic!("{what} ({by}): {} needs either points or not_assessable", criterion.id),
                    }
                }
            }
            let keys: BTreeSet<_> =
                scoring.evaluations.iter().map(|evaluation| answer_key(&evaluation.answers)).collect();
            assert!(
                keys.len() == 1 || scoring.agreed.is_some(),
                "{what}: the examiners differ, an agreed evaluation must be recorded"
            );
        }
    }
}

// ---------------------------------------------------------------------
// The hand computation of examples/session-demo.md (`expected()` below)
// is checked twice: against grille-scoring's engine (`score_session`), and
// against an independent recomputation in exact rationals from the files
// themselves, so that a wrong number in the data, in the engine or in the
// markdown cannot go unnoticed.
// ---------------------------------------------------------------------

/// An exact non-negative rational.
#[derive(Clone, Copy, Debug)]
struct Q {
    num: i128,
    den: i128,
}

impl Q {
    fn int(value: i128) -> Q {
        Q { num: value, den: 1 }
    }
    /// From a decimal's text, e.g. `"0.5"` or `"2"`.
    fn parse(text: &str) -> Q {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let den = 10_i128.pow(fraction.len() as u32);
        let num: i128 = format!("{whole}{fraction}").parse().expect("a decimal");
        Q { num, den }
    }
    fn add(self, other: Q) -> Q {
        Q { num: self.num * other.den + other.num * self.den, den: self.den * other.den }
    }
    fn sub(self, other: Q) -> Q {
        Q { num: self.num * other.den - other.num * self.den, den: self.den * other.den }
    }
    fn mul(self, other: Q) -> Q {
        Q { num: self.num * other.num, den: self.den * other.den }
    }
    fn div(self, other: Q) -> Q {
        Q { num: self.num * other.den, den: self.den * other.num }
    }
    fn less_than(self, other: Q) -> bool {
        self.num * other.den < other.num * self.den
    }
    /// Rounded half up to a multiple of `step`.
    fn round_half_up(self, step: Q) -> Q {
        let quotient = self.div(step).add(Q { num: 1, den: 2 });
        Q::int(quotient.num.div_euclid(quotient.den)).mul(step)
    }
    /// With one decimal, as on a decision: `5.5`, `4.0`.
    fn grade(self) -> String {
        let tenths = self.mul(Q::int(10));
        assert_eq!(tenths.num % tenths.den, 0, "{self:?} is not a multiple of 0.1");
        let tenths = tenths.num / tenths.den;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A decimal of the files, read through its text so that this test needs
/// no dependency on the decimal crate.
fn q(value: impl ToString) -> Q {
    Q::parse(&value.to_string())
}

/// What the board decides for one candidate.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Scored: position grades (blueprint order), part grades, overall
    /// grade, passed or not.
    Graded { positions: Vec<String>, parts: Vec<String>, overall: String, passed: bool },
    /// Failed without grades (unexcused withdrawal, exclusion).
    FailedWithoutGrades,
}

fn graded(positions: [&str; 4], parts: [&str; 3], overall: &str, passed: bool) -> Decision {
    Decision::Graded {
        positions: positions.map(str::to_owned).to_vec(),
        parts: parts.map(str::to_owned).to_vec(),
        overall: overall.to_owned(),
        passed,
    }
}

/// The results of `examples/session-demo.md`.
fn expected() -> BTreeMap<&'static str, Decision> {
    BTreeMap::from([
        // Passes comfortably.
        ("2026-001", graded(["5.5", "5.5", "5.0", "5.0"], ["5.5", "5.0", "5.0"], "5.2", true)),
        // Discrepancy on 3.1 (4.5 vs 3.5) resolved at 14/24 = 3.92 -> 4.0;
        // 1.2 with one criterion not assessable (12/18).
        ("2026-002", graded(["4.5", "4.5", "4.0", "4.0"], ["4.5", "4.0", "4.0"], "4.2", true)),
        // Overall 4.1 but two parts below 4.0: fails by the compensation rule.
        ("2026-003", graded(["5.5", "5.0", "3.5", "3.5"], ["5.3", "3.5", "3.5"], "4.1", false)),
        // Overall 4.4, one insufficient part, but it is below 3.0: fails.
        ("2026-004", graded(["5.0", "5.5", "2.5", "5.5"], ["5.3", "2.5", "5.5"], "4.4", false)),
        // Unexcused withdrawal.
        ("2026-005", Decision::FailedWithoutGrades),
    ])
}

fn compute(exam: &Exam, session: &Session) -> BTreeMap<String, Decision> {
    let scheme = &exam.scheme;
    assert!(
        matches!(scheme.conversion, Conversion::Linear),
        "this recomputation knows the linear scale only"
    );
    let min = q(scheme.scale.min);
    let max = q(scheme.scale.max);
    let pass_mark = q(scheme.scale.pass_mark);
    let mut outcomes = BTreeMap::new();
    for candidate in &session.candidates {
        let outcome = match candidate.status {
            CandidateStatus::WithdrawnUnexcused | CandidateStatus::Excluded => Decision::FailedWithoutGrades,
            CandidateStatus::Present => {
                let mut position_grades = Vec::new();
                let mut part_grades = Vec::new();
                let (mut weighted, mut weights) = (Q::int(0), Q::int(0));
                for part in &exam.blueprint.parts {
                    let (mut part_weighted, mut part_weights) = (Q::int(0), Q::int(0));
                    for position in &part.positions {
                        let scoring = candidate
                            .positions
                            .iter()
                            .find(|scoring| scoring.position == position.id)
                            .expect("every position is scored");
                        let answers = match &scoring.agreed {
                            Some(agreed) => &agreed.answers,
                            None => &scoring.evaluations[0].answers,
                        };
                        let rubric = exam.rubric(&position.rubric);
                        let (mut points, mut maximum) = (Q::int(0), Q::int(0));
                        for answer in answers {
                            if answer.not_assessable {
                                continue;
                            }
                            let criterion = rubric.criterion(&answer.criterion).expect("known");
                            let weight = q(criterion.weight);
                            points = points.add(weight.mul(q(answer.points.expect("points"))));
                            maximum = maximum.add(weight.mul(q(criterion.max_points())));
                        }
                        let raw = min.add(max.sub(min).mul(points).div(maximum));
                        let grade = raw.round_half_up(q(scheme.rounding.position));
                        position_grades.push(grade.grade());
                        let weight = q(position.weight);
                        part_weighted = part_weighted.add(weight.mul(grade));
                        part_weights = part_weights.add(weight);
                    }
                    let part_grade = part_weighted.div(part_weights).round_half_up(q(scheme.rounding.part));
                    part_grades.push((part.id.clone(), part_grade));
                    let weight = q(part.weight);
                    weighted = weighted.add(weight.mul(part_grade));
                    weights = weights.add(weight);
                }
                let overall = weighted.div(weights).round_half_up(q(scheme.rounding.overall));
                let rule = &scheme.pass_rule;
                let insufficient: Vec<&(String, Q)> =
                    part_grades.iter().filter(|(_, grade)| grade.less_than(pass_mark)).collect();
                let shortfall =
                    insufficient.iter().fold(Q::int(0), |sum, (_, grade)| sum.add(pass_mark.sub(*grade)));
                let passed = rule.min_overall.is_none_or(|least| !overall.less_than(q(least)))
                    && rule.max_insufficient_parts.is_none_or(|most| insufficient.len() <= most as usize)
                    && rule
                        .min_part_grade
                        .is_none_or(|least| part_grades.iter().all(|(_, grade)| !grade.less_than(q(least))))
                    && rule.max_shortfall_sum.is_none_or(|most| !q(most).less_than(shortfall))
                    && rule
                        .required_parts
                        .iter()
                        .all(|required| insufficient.iter().all(|(part, _)| part != required));
                Decision::Graded {
                    positions: position_grades,
                    parts: part_grades.iter().map(|(_, grade)| grade.grade()).collect(),
                    overall: overall.grade(),
                    passed,
                }
            }
            other => panic!("candidate {}: no rule here for status {other:?}", candidate.number),
        };
        outcomes.insert(candidate.number.clone(), outcome);
    }
    outcomes
}

#[test]
fn the_example_session_gives_the_hand_computed_results() {
    let exam = load_exam();
    let session = load_session();
    let computed = compute(&exam, &session);
    let expected = expected();
    assert_eq!(
        computed.keys().map(String::as_str).collect::<Vec<_>>(),
        expected.keys().copied().collect::<Vec<_>>()
    );
    for (number, outcome) in &expected {
        assert_eq!(&computed[*number], outcome, "candidate {number}");
    }
}

#[test]
fn the_example_session_shows_what_it_claims() {
    let exam = load_exam();
    let session = load_session();
    let computed = compute(&exam, &session);
    // A discrepancy: two examiners' grades of one position differ by at
    // least one grade and lie on both sides of 4.0, and an agreement is recorded.
    let candidate =
        session.candidates.iter().find(|candidate| candidate.number == "2026-002").expect("2026-002");
    let scoring = candidate.positions.iter().find(|scoring| scoring.position == "3.1").expect("3.1");
    assert!(scoring.agreed.is_some());
    let rubric = exam.rubric(&exam.blueprint.position("3.1").expect("3.1").1.rubric);
    let total = |answers: &[Answer]| -> i128 {
        answers.iter().map(|answer| Q::parse(&answer.points.expect("points").to_string()).num).sum::<i128>()
    };
    let maximum: i128 =
        rubric.criteria.iter().map(|criterion| Q::parse(&criterion.max_points().to_string()).num).sum();
    let grades: Vec<String> = scoring
        .evaluations
        .iter()
        .map(|evaluation| {
            Q::int(1)
                .add(Q::int(5).mul(Q::int(total(&evaluation.answers))).div(Q::int(maximum)))
                .round_half_up(Q::parse("0.5"))
                .grade()
        })
        .collect();
    assert_eq!(grades, ["4.5", "3.5"]);
    // A "not assessable" answer.
    assert!(
        session
            .candidates
            .iter()
            .flat_map(|candidate| &candidate.positions)
            .flat_map(|scoring| &scoring.evaluations)
            .flat_map(|evaluation| &evaluation.answers)
            .any(|answer| answer.not_assessable)
    );
    // A failure by the compensation rule with an overall grade of at least 4.0.
    match &computed["2026-003"] {
        Decision::Graded { overall, passed, .. } => assert!(!passed && overall.as_str() >= "4.0"),
        other => panic!("{other:?}"),
    }
}

fn engine_result(exam: &Exam, session: &Session) -> SessionResult {
    let catalogue = catalogue();
    let rubrics: Vec<Rubric> = exam.rubrics.values().cloned().collect();
    let cases = grille_scoring::embedded::example_cases(&catalogue).unwrap_or_else(|p| panic!("{p:?}"));
    let input = ScoringInput {
        catalogue: &catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &rubrics,
        cases: &cases,
        session,
    };
    score_session(&input)
        .unwrap_or_else(|p| panic!("{}", explain("examples/session-demo.json (scoring)", &p)))
}

#[test]
fn the_scoring_engine_gives_the_hand_computed_results() {
    let exam = load_exam();
    let session = load_session();
    let result = engine_result(&exam, &session);
    let mut computed = BTreeMap::new();
    for candidate in &result.candidates {
        assert!(
            candidate.pending.is_empty(),
            "candidate {}: pending {:?}",
            candidate.number,
            candidate.pending
        );
        let decision = match (candidate.outcome, &candidate.overall) {
            (Outcome::Failed, None) => Decision::FailedWithoutGrades,
            (outcome @ (Outcome::Passed | Outcome::Failed), Some(overall)) => Decision::Graded {
                positions: candidate
                    .parts
                    .iter()
                    .flat_map(|part| &part.positions)
                    .map(|position| display_grade(position.grade.expect("official position grade")))
                    .collect(),
                parts: candidate
                    .parts
                    .iter()
                    .map(|part| display_grade(part.grade.expect("part grade")))
                    .collect(),
                overall: display_grade(overall.value),
                passed: outcome == Outcome::Passed,
            },
            (outcome, _) => panic!("candidate {}: unexpected outcome {outcome:?}", candidate.number),
        };
        computed.insert(candidate.number.clone(), decision);
    }
    let expected = expected();
    assert_eq!(
        computed.keys().map(String::as_str).collect::<Vec<_>>(),
        expected.keys().copied().collect::<Vec<_>>()
    );
    for (number, decision) in &expected {
        assert_eq!(&computed[*number], decision, "candidate {number}");
    }
}

#[test]
fn the_scoring_engine_flags_the_discrepancy_and_explains_the_failures() {
    let exam = load_exam();
    let session = load_session();
    let result = engine_result(&exam, &session);
    let candidate = |number: &str| {
        result
            .candidates
            .iter()
            .find(|candidate| candidate.number == number)
            .expect("candidate in the result")
    };
    let position = |number: &str, id: &str| {
        candidate(number)
            .parts
            .iter()
            .flat_map(|part| &part.positions)
            .find(|position| position.position == id)
            .expect("position in the result")
            .clone()
    };

    // 2026-002, 3.1: 4.5 against 3.5, both flags, settled by agreement.
    let disputed = position("2026-002", "3.1");
    let comparison = disputed.comparison.expect("two examiners are compared");
    let kinds: Vec<FlagKind> = comparison.flags.iter().map(|flag| flag.kind).collect();
    assert!(kinds.contains(&FlagKind::Step) && kinds.contains(&FlagKind::Straddle), "{kinds:?}");
    assert_eq!(comparison.status, DiscrepancyStatus::Agreed);
    assert_eq!(comparison.difference.map(display_grade), Some("1.0".to_owned()));
    let agreed = disputed.agreed.expect("agreed evaluation");
    assert_eq!(
        (agreed.points.to_string(), agreed.max_points.to_string()),
        ("14".to_owned(), "24".to_owned())
    );

    // 2026-002, 1.2: the not-assessable criterion leaves the maximum (18, not 21).
    let reduced = position("2026-002", "1.2");
    let evaluation = &reduced.evaluations[0];
    assert_eq!(
        (evaluation.points.to_string(), evaluation.max_points.to_string()),
        ("12".to_owned(), "18".to_owned())
    );

    // 2026-002, 2.1: the German case leaves c4 out by design: 17/27, for
    // every candidate of that case; the explanation names the case and why.
    let by_case = position("2026-002", "2.1");
    let evaluation = &by_case.evaluations[0];
    assert_eq!(
        (evaluation.points.to_string(), evaluation.max_points.to_string()),
        ("17".to_owned(), "27".to_owned())
    );
    let c4 = evaluation.criteria.iter().find(|c| c.criterion == "c4").expect("c4 listed");
    assert_eq!(c4.mark, grille_scoring::Mark::NotAssessedInCase);
    let case = by_case.case.as_ref().expect("the case is named");
    assert_eq!((case.id.as_str(), case.version.as_str()), ("fall-2-grosskueche", "1"));
    assert!(case.explanation.contains("c4") && case.explanation.contains("par conception du cas"));
    assert_eq!(position("2026-004", "2.1").evaluations[0].max_points.to_string(), "27");
    assert_eq!(
        position("2026-001", "2.1").case.as_ref().map(|case| case.id.as_str()),
        Some("cas-2-atelier-bois")
    );
    assert_eq!(position("2026-001", "2.1").evaluations[0].max_points.to_string(), "30");

    // 2026-001, 2.1: the examiners differ by half a grade: no flag, agreement recorded.
    let small = position("2026-001", "2.1").comparison.expect("compared");
    assert!(small.flags.is_empty());
    assert_eq!(small.status, DiscrepancyStatus::Agreed);

    // Failures: by the number of insufficient parts, by a part below 3.0,
    // without grades; each with at least one failed condition named.
    for (number, condition) in [("2026-003", "max_insufficient_parts"), ("2026-004", "min_part_grade")] {
        let failed = candidate(number);
        assert_eq!(failed.outcome, Outcome::Failed, "{number}");
        let unmet: Vec<&str> =
            failed.conditions.iter().filter(|c| !c.satisfied).map(|c| c.condition.as_str()).collect();
        assert_eq!(unmet, [condition], "{number}: the only condition not met");
        assert!(failed.overall.as_ref().is_some_and(|overall| overall.value >= exam.scheme.scale.pass_mark));
    }
    assert_eq!(candidate("2026-005").outcome, Outcome::Failed);
    assert!(candidate("2026-005").parts.is_empty());
}
