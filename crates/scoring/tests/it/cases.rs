//! Case studies: loading, every kind of bad case with its pointer, and how
//! a case changes scoring (criteria left out by design, a rubric of its own).

use grille_competence::Catalogue;
use grille_scoring::case::sniff_media_type;
use grille_scoring::{Blueprint, CaseStudy, GradingScheme, Mark, Rubric, Scorer, Session, SessionDocuments};

use crate::documents::catalogue;

const CASE: &str = include_str!("../fixtures/case.json");

fn edit(source: &str, from: &str, to: &str) -> String {
    assert!(source.contains(from), "fixture no longer contains {from:?}");
    source.replacen(from, to, 1)
}

#[test]
fn the_case_fixture_loads_and_hides_its_notes_from_candidates() {
    let case = CaseStudy::from_json(CASE, &catalogue()).expect("case");
    assert!(case.leaves_out("d3") && !case.leaves_out("d1"));
    assert!(case.serves("2.1") && !case.serves("1.1"));
    assert!(case.written_by("exp-09") && !case.written_by("exp-01"));
    let public = case.for_candidates();
    assert!(public.tasks.iter().all(|task| task.examiner_notes.is_empty()));
    assert!(public.authors.is_empty(), "candidates never learn who wrote a case");
    assert_eq!(public.situation, case.situation);
}

#[test]
fn bad_cases_are_reported_with_pointers() {
    // (description, source, pointer, fragment of the message)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        ("not JSON", "[".to_owned(), "", "JSON"),
        (
            "unknown field",
            edit(CASE, r#""year": 2027,"#, r#""year": 2027, "colour": 1,"#),
            "",
            "champ inconnu",
        ),
        ("unknown language", edit(CASE, r#""language": "fr""#, r#""language": "en""#), "/language", ""),
        ("blank title", edit(CASE, r#""title": "Un cas de test""#, r#""title": " ""#), "/title", "titre"),
        (
            "blank situation",
            edit(CASE, r#""situation": "Une personne"#, r#""situation": " ", "x": "Une"#),
            "",
            "",
        ),
        (
            "author twice",
            edit(CASE, r#""authors": ["exp-09"]"#, r#""authors": ["exp-09", "exp-09"]"#),
            "/authors/1",
            "deux fois",
        ),
        (
            "blank author",
            edit(CASE, r#""authors": ["exp-09"]"#, r#""authors": [" "]"#),
            "/authors/0",
            "auteur",
        ),
        ("year out of range", edit(CASE, r#""year": 2027"#, r#""year": 1990"#), "/year", "2000"),
        ("no task", edit(CASE, r#""tasks": ["#, r#""tasks": [], "old_tasks": ["#), "", "champ inconnu"),
        ("task twice", edit(CASE, r#""id": "t2""#, r#""id": "t1""#), "/tasks/1/id", "deux fois"),
        (
            "blank prompt",
            edit(CASE, r#""prompt": "Proposez des objectifs.""#, r#""prompt": """#),
            "/tasks/1/prompt",
            "énoncé",
        ),
        (
            "blank examiner note",
            edit(CASE, r#"["Ressources et limites distinguées."]"#, r#"[" "]"#),
            "/tasks/0/examiner_notes/0",
            "élément",
        ),
        (
            "attachment of another type",
            edit(CASE, r#""application/pdf""#, r#""application/zip""#),
            "/attachments/0/media_type",
            "PDF, PNG et JPEG",
        ),
        (
            "attachment name with a path",
            edit(CASE, r#""plan.pdf""#, r#""../plan.pdf""#),
            "/attachments/0/name",
            "/",
        ),
        (
            "attachment hash not a hash",
            edit(CASE, r#""aaaaaaaa"#, r#""AAAAAAAA"#),
            "/attachments/0/sha256",
            "SHA-256",
        ),
        (
            "attachment too large",
            edit(CASE, r#""size": 1200"#, r#""size": 20000000"#),
            "/attachments/0/size",
            "Mio",
        ),
        ("empty attachment", edit(CASE, r#""size": 1200"#, r#""size": 0"#), "/attachments/0/size", "octet"),
        ("unknown competence", edit(CASE, r#"["A1"]"#, r#"["Z9"]"#), "/competences/0", "n'existe pas"),
        ("competence in another case", edit(CASE, r#"["A1"]"#, r#"["a1"]"#), "/competences/0", "écrivez"),
        (
            "unknown catalogue criterion",
            edit(CASE, r#"["A1.p1"]"#, r#"["A1.p9"]"#),
            "/criteria/0",
            "n'existe pas",
        ),
        (
            "no position",
            edit(CASE, r#""positions": ["2.1"]"#, r#""positions": []"#),
            "/positions",
            "aucun point",
        ),
        ("position twice", edit(CASE, r#"["2.1"]"#, r#"["2.1", "2.1"]"#), "/positions/1", "deux fois"),
        (
            "criterion left out twice",
            edit(CASE, r#""not_assessed": [{"#, r#""not_assessed": [{"criterion": "d3", "reason": "x"}, {"#),
            "/not_assessed/1/criterion",
            "deux fois",
        ),
        (
            "left out without a reason",
            edit(CASE, r#""reason": "le cas ne demande pas de vue d'ensemble""#, r#""reason": """#),
            "/not_assessed/0/reason",
            "raison",
        ),
    ];
    let catalogue = catalogue();
    for (description, source, pointer, fragment) in cases {
        let problems = match CaseStudy::from_json(&source, &catalogue) {
            Ok(_) => panic!("{description}: accepted"),
            Err(problems) => problems,
        };
        assert!(
            problems.iter().any(|p| p.pointer == pointer && p.message.contains(fragment)),
            "{description}: expected {fragment:?} at {pointer:?}, got {problems:?}"
        );
    }
}

#[test]
fn attachments_are_typed_by_their_bytes_not_their_name() {
    assert_eq!(sniff_media_type(b"%PDF-1.7\n..."), Some("application/pdf"));
    assert_eq!(sniff_media_type(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0]), Some("image/png"));
    assert_eq!(sniff_media_type(&[0xff, 0xd8, 0xff, 0xe0]), Some("image/jpeg"));
    for not_allowed in [&b"PK\x03\x04zip"[..], b"<html>", b"", b"%PD"] {
        assert_eq!(sniff_media_type(not_allowed), None, "{not_allowed:?}");
    }
}

struct World {
    catalogue: Catalogue,
    scheme: GradingScheme,
    blueprint: Blueprint,
    rubrics: Vec<Rubric>,
    cases: Vec<CaseStudy>,
    session: Session,
}

fn world(session: &str) -> World {
    let catalogue = catalogue();
    World {
        scheme: GradingScheme::from_json(include_str!("../fixtures/grading-scheme.json")).unwrap(),
        blueprint: Blueprint::from_json(include_str!("../fixtures/blueprint.json"), &catalogue).unwrap(),
        rubrics: vec![
            Rubric::from_json(include_str!("../fixtures/rubric-reflexion.json"), &catalogue).unwrap(),
            Rubric::from_json(include_str!("../fixtures/rubric-developpement.json"), &catalogue).unwrap(),
        ],
        cases: vec![CaseStudy::from_json(CASE, &catalogue).unwrap()],
        session: Session::from_json(session).unwrap(),
        catalogue,
    }
}

impl World {
    fn documents(&self) -> SessionDocuments<'_> {
        SessionDocuments {
            catalogue: &self.catalogue,
            scheme: &self.scheme,
            blueprint: &self.blueprint,
            rubrics: &self.rubrics,
            cases: &self.cases,
        }
    }
}

/// The fixture session with the case pinned and sat by candidate 001 for
/// 2.1, whose examiners answer d3 with `d3` (`None`: no answer).
fn session_with_case(d3: Option<serde_json::Value>) -> String {
    let mut session: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/session.json")).expect("fixture");
    session["cases"] = serde_json::json!([{"id": "cas-test", "version": "1"}]);
    let first = &mut session["candidates"][0];
    assert_eq!(first["number"], "001");
    first["cases"] = serde_json::json!([{"position": "2.1", "case": "cas-test"}]);
    let positions = first["positions"].as_array_mut().expect("positions");
    let scoring = positions.iter_mut().find(|p| p["position"] == "2.1").expect("2.1");
    for evaluation in scoring["evaluations"].as_array_mut().expect("evaluations") {
        let answers = evaluation["answers"].as_array_mut().expect("answers");
        answers.retain(|answer| answer["criterion"] != "d3");
        if let Some(d3) = &d3 {
            answers.push(d3.clone());
        }
    }
    session.to_string()
}

#[test]
fn a_criterion_the_case_leaves_out_leaves_the_maximum_for_everyone_who_sat_it() {
    // Examiners answer d1 and d2 only: d3 is left out by the case.
    let w = world(&session_with_case(None));
    let scorer = Scorer::new(w.documents(), w.session.header()).expect("documents fit");
    let candidate = &w.session.candidates[0];
    assert_eq!(scorer.check_candidate(0, candidate), vec![]);
    assert_eq!(scorer.answer_problems(0, candidate), vec![]);
    let result = scorer.score_candidate(candidate);
    let position =
        result.parts.iter().flat_map(|part| &part.positions).find(|p| p.position == "2.1").unwrap();
    let evaluation = &position.evaluations[0];
    // d1 4 + d2 1.5 of a maximum 4 + 3 (d3's 3 points leave the maximum).
    assert_eq!(
        (evaluation.points.to_string(), evaluation.max_points.to_string()),
        ("5.5".into(), "7".into())
    );
    let d3 = evaluation.criteria.iter().find(|c| c.criterion == "d3").unwrap();
    assert_eq!(d3.mark, Mark::NotAssessedInCase);
    assert!(evaluation.incomplete.is_empty(), "{:?}", evaluation.incomplete);
    let case = position.case.as_ref().expect("case named");
    assert_eq!(case.id, "cas-test");
    assert!(
        case.explanation.contains("d3 (le cas ne demande pas de vue d'ensemble)"),
        "{}",
        case.explanation
    );
    // Candidate 004 sat no case: scored on all three criteria.
    let other = scorer.score_candidate(&w.session.candidates[3]);
    let other = other.parts.iter().flat_map(|part| &part.positions).find(|p| p.position == "2.1").unwrap();
    assert!(other.case.is_none());
    assert_eq!(other.evaluations[0].max_points.to_string(), "10");
}

#[test]
fn points_given_to_a_criterion_the_case_leaves_out_are_reported_not_dropped() {
    let w = world(&session_with_case(Some(serde_json::json!({"criterion": "d3", "points": 3}))));
    let scorer = Scorer::new(w.documents(), w.session.header()).expect("documents fit");
    let candidate = &w.session.candidates[0];
    let problems = scorer.answer_problems(0, candidate);
    assert!(
        problems
            .iter()
            .any(|p| p.pointer.ends_with("/answers/2/points") && p.message.contains("écarte le critère d3")),
        "{problems:?}"
    );
    let result = scorer.score_candidate(candidate);
    let position =
        result.parts.iter().flat_map(|part| &part.positions).find(|p| p.position == "2.1").unwrap();
    assert!(position.grade.is_none());
    assert!(position.pending.iter().any(|reason| reason.contains("d3")), "{:?}", position.pending);
}

#[test]
fn session_references_to_cases_are_checked() {
    let source = session_with_case(Some(serde_json::json!({"criterion": "d3", "not_assessable": true})));
    // A case the session does not supply, a case pinned twice, a case sat
    // for a position it does not serve, a case not pinned.
    let mut w = world(&source);
    w.cases.clear();
    let problems = Scorer::new(w.documents(), w.session.header()).unwrap_err();
    assert!(
        problems.iter().any(|p| p.pointer == "/cases/0" && p.message.contains("n'est pas fourni")),
        "{problems:?}"
    );

    let twice = edit(
        &source,
        r#""cases":[{"id":"cas-test","version":"1"}"#,
        r#""cases":[{"id":"cas-test","version":"1"},{"id":"cas-test","version":"2"}"#,
    );
    let problems = Session::from_json(&twice).unwrap_err();
    assert!(
        problems.iter().any(|p| p.pointer == "/cases/1/id" && p.message.contains("deux fois")),
        "{problems:?}"
    );

    let wrong_position =
        edit(&source, r#"{"case":"cas-test","position":"2.1"}"#, r#"{"case":"cas-test","position":"1.1"}"#);
    let w = world(&wrong_position);
    let scorer = Scorer::new(w.documents(), w.session.header()).unwrap();
    let problems = scorer.check_candidate(0, &w.session.candidates[0]);
    assert!(
        problems
            .iter()
            .any(|p| p.pointer == "/candidates/0/cases/0/case" && p.message.contains("ne sert pas")),
        "{problems:?}"
    );

    let unknown = edit(&source, r#"{"case":"cas-test","#, r#"{"case":"cas-autre","#);
    let w = world(&unknown);
    let scorer = Scorer::new(w.documents(), w.session.header()).unwrap();
    let problems = scorer.check_candidate(0, &w.session.candidates[0]);
    assert!(
        problems
            .iter()
            .any(|p| p.pointer == "/candidates/0/cases/0/case" && p.message.contains("n'est pas épinglé")),
        "{problems:?}"
    );

    // A case that leaves out a criterion its position's rubric does not have.
    let mut w = world(&source);
    w.cases[0].not_assessed[0].criterion = "d9".to_owned();
    let problems = Scorer::new(w.documents(), w.session.header()).unwrap_err();
    assert!(
        problems.iter().any(|p| p.pointer == "/not_assessed/0/criterion" && p.message.contains("d9")),
        "{problems:?}"
    );
    // ... or every criterion of it.
    let mut w = world(&source);
    for id in ["d1", "d2"] {
        w.cases[0]
            .not_assessed
            .push(grille_scoring::NotAssessed { criterion: id.into(), reason: "r".into() });
    }
    let problems = Scorer::new(w.documents(), w.session.header()).unwrap_err();
    assert!(
        problems.iter().any(|p| p.pointer == "/not_assessed" && p.message.contains("plus rien")),
        "{problems:?}"
    );
}

#[test]
fn a_case_with_a_rubric_of_its_own_is_scored_with_it() {
    let source = session_with_case(Some(serde_json::json!({"criterion": "d3", "points": 3})));
    let mut w = world(&source);
    w.cases[0].rubric = Some("reflexion".to_owned());
    w.cases[0].not_assessed.clear();
    let scorer = Scorer::new(w.documents(), w.session.header()).expect("documents fit");
    let candidate = &w.session.candidates[0];
    assert_eq!(scorer.check_candidate(0, candidate), vec![]);
    // 001's answers of 2.1 are d1..d3: against the case's rubric they are unknown criteria.
    let problems = scorer.answer_problems(0, candidate);
    assert!(
        problems.iter().any(|p| p.message.contains("n'existe pas dans la grille reflexion")),
        "{problems:?}"
    );
    let result = scorer.score_candidate(candidate);
    let position =
        result.parts.iter().flat_map(|part| &part.positions).find(|p| p.position == "2.1").unwrap();
    assert_eq!(position.rubric.id, "reflexion");
}
