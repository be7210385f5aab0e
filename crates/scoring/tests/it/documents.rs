use grille_competence::Catalogue;
use grille_scoring::{Blueprint, GradingScheme, Rubric, Session};

pub(crate) fn catalogue() -> Catalogue {
    Catalogue::from_json(include_str!("../fixtures/catalogue.json")).expect("test catalogue")
}

#[test]
fn fixtures_load() {
    let catalogue = catalogue();
    GradingScheme::from_json(include_str!("../fixtures/grading-scheme.json")).expect("scheme");
    Blueprint::from_json(include_str!("../fixtures/blueprint.json"), &catalogue).expect("blueprint");
    Rubric::from_json(include_str!("../fixtures/rubric-reflexion.json"), &catalogue).expect("rubric");
    Rubric::from_json(include_str!("../fixtures/rubric-developpement.json"), &catalogue).expect("rubric");
    Session::from_json(include_str!("../fixtures/session.json")).expect("session");
    let minimal =
        GradingScheme::from_json(r#"{"id": "m", "version": "1", "title": {"fr": "M"}}"#).expect("minimal");
    let mut expected = GradingScheme::with_defaults("m", "1");
    expected.title = grille_competence::LocalizedText::fr("M");
    assert_eq!(minimal, expected);
}

/// Replaces `from` by `to` in `source`, failing loudly when `from` is absent
/// (so a stale case cannot pass silently).
fn edit(source: &str, from: &str, to: &str) -> String {
    assert!(source.contains(from), "fixture no longer contains {from:?}");
    source.replacen(from, to, 1)
}

type Loader = fn(&str, &Catalogue) -> Result<(), Vec<grille_scoring::Problem>>;

fn load_scheme(source: &str, _: &Catalogue) -> Result<(), Vec<grille_scoring::Problem>> {
    GradingScheme::from_json(source).map(drop)
}
fn load_blueprint(source: &str, catalogue: &Catalogue) -> Result<(), Vec<grille_scoring::Problem>> {
    Blueprint::from_json(source, catalogue).map(drop)
}
fn load_rubric(source: &str, catalogue: &Catalogue) -> Result<(), Vec<grille_scoring::Problem>> {
    Rubric::from_json(source, catalogue).map(drop)
}
fn load_session(source: &str, _: &Catalogue) -> Result<(), Vec<grille_scoring::Problem>> {
    Session::from_json(source).map(drop)
}

#[test]
fn bad_inputs_are_reported_with_pointers() {
    let scheme = include_str!("../fixtures/grading-scheme.json");
    let blueprint = include_str!("../fixtures/blueprint.json");
    let rubric = include_str!("../fixtures/rubric-reflexion.json");
    let session = include_str!("../fixtures/session.json");
    // (description, loader, source, pointer, fragment of the message)
    let cases: Vec<(&str, Loader, String, &str, &str)> = vec![
        ("scheme: not JSON", load_scheme, "{".to_owned(), "", "JSON invalide"),
        (
            "scheme: fractional number without quotes",
            load_scheme,
            edit(scheme, r#""min_part_grade": "3""#, r#""min_part_grade": 3.5"#),
            "/pass_rule/min_part_grade",
            "guillemets",
        ),
        (
            "scheme: unknown field",
            load_scheme,
            edit(scheme, r#""id": "test-scheme","#, r#""id": "test-scheme", "colour": 1,"#),
            "",
            "champ inconnu",
        ),
        (
            "scheme: missing title",
            load_scheme,
            edit(scheme, r#""title": {"fr": "Barème de test"},"#, ""),
            "",
            "title",
        ),
        (
            "scheme: text that is not a decimal",
            load_scheme,
            edit(scheme, r#""part": "0.1""#, r#""part": "un dixième""#),
            "/rounding/part",
            "n'est pas un nombre décimal exact",
        ),
        (
            "scheme: zero rounding step",
            load_scheme,
            edit(scheme, r#""part": "0.1""#, r#""part": "0""#),
            "/rounding/part",
            "pas d'arrondi",
        ),
        (
            "scheme: pass mark above max",
            load_scheme,
            edit(scheme, r#""conversion""#, r#""scale": {"pass_mark": 7}, "conversion""#),
            "/scale/pass_mark",
            "note suffisante",
        ),
        (
            "scheme: pass fraction 1",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": "two_piece", "pass_fraction": 1}"#),
            "/conversion/pass_fraction",
            "strictement",
        ),
        (
            "scheme: unknown conversion",
            load_scheme,
            edit(scheme, r#""linear""#, r#""cubic""#),
            "/conversion/kind",
            "forme de conversion \"cubic\" inconnue ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction",
        ),
        (
            "scheme: conversion without kind",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"pass_fraction": "0.55"}"#),
            "/conversion",
            "le champ kind manque ; formes admises : linear",
        ),
        (
            "scheme: conversion kind not a text",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": 2}"#),
            "/conversion/kind",
            "forme de conversion 2 inconnue ; formes admises",
        ),
        (
            "scheme: conversion written as a bare text",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#""linear""#),
            "/conversion",
            "doit être un objet avec un champ kind",
        ),
        (
            "scheme: two_piece without pass_fraction",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": "two_piece"}"#),
            "/conversion",
            "conversion two_piece : le champ obligatoire \"pass_fraction\" manque",
        ),
        (
            "scheme: two_piece with a misspelt field",
            load_scheme,
            edit(
                scheme,
                r#"{"kind": "linear"}"#,
                r#"{"kind": "two_piece", "pass_fraction": "0.55", "pass_mark": 4}"#,
            ),
            "/conversion",
            "conversion two_piece : champ inconnu : \"pass_mark\" ; champs admis : kind, pass_fraction",
        ),
        (
            "scheme: two_piece fraction that is not a decimal",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": "two_piece", "pass_fraction": "55 %"}"#),
            "/conversion/pass_fraction",
            "conversion two_piece : la valeur \"55 %\" n'est pas un nombre décimal exact",
        ),
        (
            "scheme: two_piece fraction without quotes",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": "two_piece", "pass_fraction": 0.55}"#),
            "/conversion/pass_fraction",
            "guillemets",
        ),
        (
            "scheme: linear with an extra field",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": "linear", "max_points": 20}"#),
            "/conversion",
            "conversion linear : champ inconnu : \"max_points\" ; champs admis : kind",
        ),
        (
            "scheme: table without thresholds",
            load_scheme,
            edit(scheme, r#"{"kind": "linear"}"#, r#"{"kind": "table", "max_points": 20}"#),
            "/conversion",
            "conversion table : le champ obligatoire \"thresholds\" manque",
        ),
        (
            "scheme: table threshold missing its grade",
            load_scheme,
            edit(
                scheme,
                r#"{"kind": "linear"}"#,
                r#"{"kind": "table", "max_points": 20, "thresholds": [{"min_points": 0, "grade": 1}, {"min_points": 12}]}"#,
            ),
            "/conversion/thresholds/1",
            "conversion table : le champ obligatoire \"grade\" manque",
        ),
        (
            "scheme: table threshold with a bad decimal",
            load_scheme,
            edit(
                scheme,
                r#"{"kind": "linear"}"#,
                r#"{"kind": "table", "max_points": 20, "thresholds": [{"min_points": "zéro", "grade": 1}]}"#,
            ),
            "/conversion/thresholds/0/min_points",
            "conversion table : la valeur \"zéro\" n'est pas un nombre décimal exact",
        ),
        (
            "scheme: table not starting at 0",
            load_scheme,
            edit(
                scheme,
                r#"{"kind": "linear"}"#,
                r#"{"kind": "table", "max_points": 10, "thresholds": [{"min_points": 2, "grade": 1}, {"min_points": 6, "grade": 4}]}"#,
            ),
            "/conversion/thresholds/0/min_points",
            "0 point",
        ),
        (
            "scheme: table grades going down",
            load_scheme,
            edit(
                scheme,
                r#"{"kind": "linear"}"#,
                r#"{"kind": "table", "max_points": 10, "thresholds": [{"min_points": 0, "grade": 4}, {"min_points": 6, "grade": 3}]}"#,
            ),
            "/conversion/thresholds/1/grade",
            "baisser",
        ),
        (
            "scheme: table thresholds not increasing",
            load_scheme,
            edit(
                scheme,
                r#"{"kind": "linear"}"#,
                r#"{"kind": "table", "max_points": 10, "thresholds": [{"min_points": 0, "grade": 1}, {"min_points": 0, "grade": 3}]}"#,
            ),
            "/conversion/thresholds/1/min_points",
            "croître",
        ),
        (
            "scheme: overall minimum outside the scale",
            load_scheme,
            edit(scheme, r#""min_overall": "4""#, r#""min_overall": "9""#),
            "/pass_rule/min_overall",
            "entre",
        ),
        (
            "scheme: negative discrepancy step",
            load_scheme,
            edit(scheme, r#""discrepancy_step": "1""#, r#""discrepancy_step": "-1""#),
            "/double_marking/discrepancy_step",
            "écart",
        ),
        (
            "scheme: floor of a count of parts outside the scale",
            load_scheme,
            edit(
                scheme,
                r#""min_part_grade": "3""#,
                r#""max_parts_below": [{"below": "3.5", "max": 2}, {"below": "0.5", "max": 1}]"#,
            ),
            "/pass_rule/max_parts_below/1/below",
            "entre 1 et 6",
        ),
        (
            "scheme: the same floor twice",
            load_scheme,
            edit(
                scheme,
                r#""min_part_grade": "3""#,
                r#""max_parts_below": [{"below": "3.5", "max": 2}, {"below": "3.5", "max": 1}]"#,
            ),
            "/pass_rule/max_parts_below/1/below",
            "deux fois",
        ),
        (
            "scheme: a count of parts below a floor needs its maximum",
            load_scheme,
            edit(scheme, r#""min_part_grade": "3""#, r#""max_parts_below": [{"below": "3.5"}]"#),
            "/pass_rule/max_parts_below/0",
            "max",
        ),
        (
            "scheme: part minimum above the scale",
            load_scheme,
            edit(scheme, r#""min_part_grade": "3""#, r#""part_minimums": [{"part": "1", "min": "7"}]"#),
            "/pass_rule/part_minimums/0/min",
            "entre 1 et 6",
        ),
        (
            "scheme: part minimum for a part named twice",
            load_scheme,
            edit(
                scheme,
                r#""min_part_grade": "3""#,
                r#""part_minimums": [{"part": "1", "min": "4.5"}, {"part": "1", "min": "5"}]"#,
            ),
            "/pass_rule/part_minimums/1/part",
            "deux fois",
        ),
        (
            "scheme: part minimum without a part id",
            load_scheme,
            edit(scheme, r#""min_part_grade": "3""#, r#""part_minimums": [{"part": " ", "min": "4.5"}]"#),
            "/pass_rule/part_minimums/0/part",
            "vide",
        ),
        (
            "scheme: position grade minimum outside the scale",
            load_scheme,
            edit(scheme, r#""min_part_grade": "3""#, r#""min_position_grade": "0""#),
            "/pass_rule/min_position_grade",
            "entre 1 et 6",
        ),
        (
            "scheme: position minimum for a position named twice",
            load_scheme,
            edit(
                scheme,
                r#""min_part_grade": "3""#,
                r#""position_minimums": [{"position": "2.1", "min": "3"}, {"position": "2.1", "min": "4"}]"#,
            ),
            "/pass_rule/position_minimums/1/position",
            "deux fois",
        ),
        (
            "scheme: position minimum above the scale",
            load_scheme,
            edit(
                scheme,
                r#""min_part_grade": "3""#,
                r#""position_minimums": [{"position": "2.1", "min": "6.5"}]"#,
            ),
            "/pass_rule/position_minimums/0/min",
            "entre 1 et 6",
        ),
        (
            "scheme: unknown rounding direction",
            load_scheme,
            edit(scheme, r#""overall": "0.1""#, r#""overall": "0.1", "overall_direction": "nearest""#),
            "/rounding/overall_direction",
            "",
        ),
        (
            "scheme: no condition at all",
            load_scheme,
            edit(scheme, r#""pass_rule": {"#, r#""pass_rule": {"min_overall": null}, "x_rule": {"#),
            "",
            "champ inconnu",
        ),
        (
            "scheme: empty pass rule",
            load_scheme,
            r#"{"id": "t", "version": "1", "title": {"fr": "T"}, "pass_rule": {"min_overall": null}}"#
                .to_owned(),
            "/pass_rule",
            "aucune condition",
        ),
        (
            "scheme: zero attempts",
            load_scheme,
            edit(scheme, r#""assumptions""#, r#""max_attempts": 0, "assumptions""#),
            "/max_attempts",
            "tentatives",
        ),
        (
            "blueprint: unknown competence",
            load_blueprint,
            edit(blueprint, r#"["E1"]"#, r#"["Z9"]"#),
            "/parts/0/positions/0/competences/0",
            "Z9",
        ),
        (
            "blueprint: lower-case competence",
            load_blueprint,
            edit(blueprint, r#"["E1"]"#, r#"["e1"]"#),
            "/parts/0/positions/0/competences/0",
            "comme le profil",
        ),
        (
            "blueprint: duplicate position id",
            load_blueprint,
            edit(blueprint, r#""id": "1.2""#, r#""id": "1.1""#),
            "/parts/0/positions/1/id",
            "deux fois",
        ),
        (
            "blueprint: duplicate part id",
            load_blueprint,
            edit(blueprint, r#""id": "2", "title""#, r#""id": "1", "title""#),
            "/parts/1/id",
            "deux fois",
        ),
        (
            "blueprint: zero weight",
            load_blueprint,
            edit(blueprint, r#""weight": 1"#, r#""weight": 0"#),
            "/parts/0/weight",
            "pondération",
        ),
        (
            "blueprint: no examiner",
            load_blueprint,
            edit(blueprint, r#""examiners": 2"#, r#""examiners": 0"#),
            "/parts/0/examiners",
            "expert",
        ),
        (
            "blueprint: negative examiners (schema)",
            load_blueprint,
            edit(blueprint, r#""examiners": 2"#, r#""examiners": -1"#),
            "/parts/0/examiners",
            "minimum",
        ),
        (
            "blueprint: missing rubric",
            load_blueprint,
            edit(blueprint, r#", "rubric": "developpement""#, ""),
            "/parts/1/positions/0",
            "rubric",
        ),
        (
            "blueprint: no parts",
            load_blueprint,
            r#"{"id": "b", "version": "1", "title": {"fr": "B"}, "parts": []}"#.to_owned(),
            "/parts",
            "aucune épreuve",
        ),
        (
            "rubric: unknown catalogue criterion",
            load_rubric,
            edit(rubric, r#""A2.m1""#, r#""A2.m9""#),
            "/criteria/0/catalogue_criteria/0",
            "A2.m9",
        ),
        (
            "rubric: duplicate level points",
            load_rubric,
            edit(
                rubric,
                r#"{"points": 1, "descriptor": {"fr": "partiel"}}"#,
                r#"{"points": 0, "descriptor": {"fr": "partiel"}}"#,
            ),
            "/criteria/0/levels/1/points",
            "distincts",
        ),
        (
            "rubric: negative level",
            load_rubric,
            edit(
                rubric,
                r#"{"points": 0, "descriptor": {"fr": "absent"}}"#,
                r#"{"points": "-1", "descriptor": {"fr": "absent"}}"#,
            ),
            "/criteria/0/levels/0/points",
            "entre 0",
        ),
        (
            "rubric: duplicate criterion id",
            load_rubric,
            edit(rubric, r#""id": "r2""#, r#""id": "r1""#),
            "/criteria/1/id",
            "deux fois",
        ),
        (
            "rubric: empty descriptor",
            load_rubric,
            edit(rubric, r#"{"fr": "complet"}"#, r#"{"fr": " "}"#),
            "/criteria/0/levels/3/descriptor/fr",
            "vide",
        ),
        (
            "rubric: zero weight",
            load_rubric,
            edit(rubric, r#""weight": "2""#, r#""weight": "0""#),
            "/criteria/1/weight",
            "pondération",
        ),
        (
            "rubric: unknown field in a level",
            load_rubric,
            edit(rubric, r#"{"points": 3, "descriptor""#, r#"{"points": 3, "label": "x", "descriptor""#),
            "/criteria/0/levels/3",
            "champ inconnu",
        ),
        (
            "session: duplicate candidate",
            load_session,
            edit(session, r#""number": "002""#, r#""number": "001""#),
            "/candidates/1/number",
            "deux fois",
        ),
        (
            "session: unknown status",
            load_session,
            edit(session, r#""withdrawn_unexcused""#, r#""sick""#),
            "/candidates/1/status",
            "non admise",
        ),
        (
            "session: attempt 0",
            load_session,
            edit(session, r#""attempt": 2"#, r#""attempt": 0"#),
            "/candidates/3/attempt",
            "tentative",
        ),
        (
            "session: duplicate examiner",
            load_session,
            edit(session, r#""examiner": "E2""#, r#""examiner": "E1""#),
            "/candidates/0/positions/0/evaluations/1/examiner",
            "deux évaluations",
        ),
        (
            "session: rubric pinned twice",
            load_session,
            edit(
                session,
                r#"{"id": "developpement", "version": "3"}"#,
                r#"{"id": "reflexion", "version": "2"}"#,
            ),
            "/rubrics/1/id",
            "deux fois",
        ),
        (
            "session: a remark language that is not fr, de or it",
            load_session,
            edit(session, r#""rubrics": ["#, r#""remark_language": "en", "rubrics": ["#),
            "/remark_language",
            "non admise",
        ),
        (
            "session: an evaluation's remark language in capitals",
            load_session,
            edit(
                session,
                r#""remark": "très bien"}]}"#,
                r#""remark": "très bien"}], "remark_language": "FR"}"#,
            ),
            "/candidates/0/positions/0/evaluations/1/remark_language",
            "non admise",
        ),
        (
            "session: an agreed evaluation's remark language as a number",
            load_session,
            edit(
                session,
                r#""remark": "accord après discussion""#,
                r#""remark": "accord après discussion", "remark_language": 1"#,
            ),
            // An optional object is one of two forms in the schema: the
            // problem points at the agreed evaluation that fits neither.
            "/candidates/0/positions/1/agreed",
            "aucune des formes admises",
        ),
        (
            "session: points as a float",
            load_session,
            edit(session, r#""points": "1.5""#, r#""points": 1.5"#),
            "/candidates/0/positions/2/evaluations/0/answers/1/points",
            "guillemets",
        ),
    ];
    let catalogue = catalogue();
    for (description, loader, source, pointer, fragment) in cases {
        let problems = match loader(&source, &catalogue) {
            Ok(()) => panic!("{description}: accepted"),
            Err(problems) => problems,
        };
        assert!(
            problems.iter().any(|p| p.pointer == pointer && p.message.contains(fragment)),
            "{description}: expected {fragment:?} at {pointer:?}, got {problems:?}"
        );
    }
}

#[test]
fn evaluations_of_a_candidate_who_did_not_sit_are_kept_with_a_warning() {
    let session = edit(
        include_str!("../fixtures/session.json"),
        r#"{"number": "002", "status": "withdrawn_unexcused"}"#,
        r#"{"number": "002", "status": "withdrawn_unexcused", "positions": [{"position": "1.1"}]}"#,
    );
    let session = grille_scoring::Session::from_json(&session).expect("the file stays valid");
    let warnings = session.candidates[1].warnings(1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer, "/candidates/1/positions");
    assert!(warnings[0].message.contains("ignorées pour la note"), "{warnings:?}");
    assert!(session.candidates[0].warnings(0).is_empty(), "a present candidate has none");
}

#[test]
fn a_scheme_is_told_by_its_fields_even_with_every_default() {
    let object =
        |json: &str| serde_json::from_str::<serde_json::Value>(json).unwrap().as_object().unwrap().clone();
    let cases = [
        (r#"{"id": "s", "version": "1", "title": {"fr": "S"}}"#, true),
        (r#"{"id": "s", "version": "1", "title": {"fr": "S"}, "assumptions": []}"#, true),
        (r#"{"id": "s", "version": "1", "title": {"fr": "S"}, "max_attempts": 2}"#, true),
        (r#"{"pass_rule": {}}"#, true),
        (r#"{"id": "s", "version": "1", "title": {"fr": "S"}, "notes": "x"}"#, false),
        (r#"{"version": "1", "title": {"fr": "S"}}"#, false),
        (r#"{}"#, false),
        (r#"{"id": "b", "version": "1", "title": {"fr": "B"}, "parts": []}"#, false),
    ];
    for (json, expected) in cases {
        assert_eq!(grille_scoring::GradingScheme::has_scheme_fields(&object(json)), expected, "{json}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let source = r#"{"id": " ", "version": "", "title": {"fr": "T"}, "rounding": {"position": "0"}, "max_attempts": 0}"#;
    let problems = GradingScheme::from_json(source).unwrap_err();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(pointers, ["/id", "/version", "/rounding/position", "/max_attempts"], "{problems:?}");
}

#[test]
fn malformed_conversions_never_get_the_generic_message() {
    let scheme = include_str!("../fixtures/grading-scheme.json");
    let conversions = [
        r#""cubic""#,
        r#"{"kind": "cubic"}"#,
        r#"{}"#,
        r#"{"kind": "two_piece"}"#,
        r#"{"kind": "two_piece", "pass_fraction": "x", "y": 1}"#,
        r#"{"kind": "table", "max_points": 20, "thresholds": [{"min_points": 0}]}"#,
        r#"[]"#,
    ];
    for conversion in conversions {
        let source = edit(scheme, r#"{"kind": "linear"}"#, conversion);
        let problems = GradingScheme::from_json(&source).expect_err(conversion);
        assert!(
            problems.iter().all(|p| !p.message.contains("aucune des formes")),
            "{conversion}: {problems:?}"
        );
        assert!(problems.iter().any(|p| p.pointer.starts_with("/conversion")), "{conversion}: {problems:?}");
    }
}
