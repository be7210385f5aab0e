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
