//! `grille catalogue ...` as a user runs it.

use grille_competence::{Catalogue, Category, EMBEDDED_CATALOGUE_JSON};

use crate::support::{grille, temp_dir};

fn embedded() -> Catalogue {
    Catalogue::from_json(EMBEDDED_CATALOGUE_JSON).expect("embedded catalogue is valid")
}

#[test]
fn list_shows_every_domain_and_competence() {
    let run = grille(&["catalogue", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for competence in embedded().competences() {
        let line = format!("{:<4} {}", competence.id, competence.title.fr);
        assert!(run.stdout.contains(&line), "{line:?} missing from the list");
    }
    for domain in ["A  Promotion du développement individuel", "E  Automanagement"] {
        assert!(run.stdout.contains(domain), "{domain:?} missing");
    }
    assert!(run.stdout.contains("5 domaines, 28 compétences"), "{}", run.stdout);
}

#[test]
fn show_gives_situation_and_criteria_by_category() {
    let catalogue = embedded();
    for id in ["A7", "a7", "E4"] {
        let run = grille(&["catalogue", "show", id]);
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        let competence = catalogue.competence(id).unwrap();
        assert!(run.stdout.starts_with(&format!("{}  {}", competence.id, competence.title.fr)), "{id}");
        assert!(run.stdout.contains("Situation de travail"), "{id}");
        for category in Category::ALL {
            assert!(run.stdout.contains(category.label_fr()), "{id}: heading {category:?} missing");
        }
        for criterion in &competence.criteria {
            assert!(run.stdout.contains(&criterion.id), "{id}: criterion {} missing", criterion.id);
        }
    }
}

#[test]
fn show_gives_the_seed_wording_of_a_corrected_criterion() {
    let run = grille(&["catalogue", "show", "E3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("(texte du profil, corrigé : « est disposé à réagir de manière flexible à des"),
        "{}",
        run.stdout
    );
}

#[test]
fn show_of_an_unknown_competence_fails_clearly() {
    for id in ["Z9", "A11", ""] {
        let run = grille(&["catalogue", "show", id]);
        assert_eq!(run.code, 1, "{id:?}");
        assert!(run.stderr.contains("compétence inconnue : «"), "{id:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{id:?}");
    }
}

#[test]
fn search_ignores_case_and_accents() {
    // (query, an id that must be found, the folded text it matched)
    let cases = [
        ("evaluation nuancee", "A1.m2", "évaluation nuancée"),
        ("ÉVALUATION NUANCÉE", "A1.m2", "évaluation nuancée"),
        ("toxicodependance", "A1.k1", "toxicodépendance"),
        ("investigations et tests", "A2", "Investigations et tests"),
        ("automanagement", "E", "Automanagement"),
    ];
    for (query, id, text) in cases {
        let run = grille(&["catalogue", "search", query]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
        let found = run.stdout.lines().any(|line| line.starts_with(&format!("{id} ")) && line.contains(text));
        assert!(found, "{query:?} should find {id} with {text:?}:\n{}", run.stdout);
    }
    let run = grille(&["catalogue", "search", "évaluation"]);
    let hits =
        run.stdout.lines().filter(|line| line.contains("valuation") || line.contains("VALUATION")).count();
    assert!(hits >= 5, "\"évaluation\" should match many texts:\n{}", run.stdout);

    let run = grille(&["catalogue", "search", "zzzz-introuvable"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Aucun résultat"), "{}", run.stdout);
}

#[test]
fn json_export_reimports_as_the_same_catalogue() {
    let run = grille(&["catalogue", "export", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exported = Catalogue::from_json(&run.stdout).expect("the export is a valid catalogue");
    assert_eq!(exported.file(), embedded().file());

    // The exported file is accepted back as the catalogue of the CLI.
    let dir = temp_dir("export-json");
    let path = dir.join("catalogue.json");
    std::fs::write(&path, &run.stdout).unwrap();
    let list = grille(&["catalogue", "list", "--catalogue", path.to_str().unwrap()]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.stdout, grille(&["catalogue", "list"]).stdout);
    let validate = grille(&["validate", path.to_str().unwrap()]);
    assert_eq!(validate.code, 0, "{}", validate.stderr);
}

#[test]
fn csv_export_has_one_row_per_criterion_and_reimports() {
    let run = grille(&["catalogue", "export", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["domain", "competence", "category", "criterion_id", "text"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("a well-formed row")).collect();

    let catalogue = embedded();
    let expected: Vec<[String; 5]> = catalogue
        .criteria()
        .map(|(competence, criterion)| {
            [
                catalogue.domain_of(&competence.id).unwrap().id.clone(),
                competence.id.clone(),
                criterion.category.key().to_owned(),
                criterion.id.clone(),
                criterion.text.fr.clone(),
            ]
        })
        .collect();
    let reimported: Vec<[String; 5]> =
        rows.iter().map(|row| std::array::from_fn(|column| row[column].to_owned())).collect();
    assert_eq!(reimported.len(), expected.len(), "one row per criterion");
    assert_eq!(reimported, expected, "the CSV gives back every criterion, word for word");
}

#[test]
fn a_bad_catalogue_file_stops_every_catalogue_command() {
    let dir = temp_dir("bad-catalogue");
    let path = dir.join("broken.json");
    std::fs::write(&path, "{\"profile\": {}, \"domains\": []}").unwrap();
    for command in [&["list"][..], &["show", "A1"], &["search", "x"], &["export", "--format", "csv"]] {
        let mut args = vec!["catalogue"];
        args.extend_from_slice(command);
        args.extend_from_slice(&["--catalogue", path.to_str().unwrap()]);
        let run = grille(&args);
        assert_eq!(run.code, 1, "{command:?}");
        assert!(
            run.stderr.contains("broken.json:/profile : le champ obligatoire"),
            "{command:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{command:?}: nothing on stdout");
    }
}
