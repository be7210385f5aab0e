//! Each kind of bad catalogue input, applied to the real catalogue, must
//! give its problem at the right JSON pointer with a plain sentence.

use grille_competence::{Catalogue, EMBEDDED_CATALOGUE_JSON};
use serde_json::{Value, json};

use crate::support::{grille, temp_dir};

/// One bad input: a description, how to spoil the catalogue, and the
/// problem expected (pointer, fragment of the sentence).
struct Case {
    description: &'static str,
    spoil: fn(&mut Value),
    pointer: &'static str,
    message: &'static str,
}

fn competence(value: &mut Value, domain: usize, competence: usize) -> &mut Value {
    &mut value["domains"][domain]["competences"][competence]
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            description: "a required field is missing",
            spoil: |v| {
                v["domains"][0].as_object_mut().unwrap().remove("title");
            },
            pointer: "/domains/0",
            message: "le champ obligatoire \"title\" manque",
        },
        Case {
            description: "a field has the wrong type",
            spoil: |v| v["profile"]["version"] = json!(2017),
            pointer: "/profile/version",
            message: "type incorrect : attendu un texte, trouvé un nombre",
        },
        Case {
            description: "an unknown field",
            spoil: |v| v["profile"]["editor"] = json!("x"),
            pointer: "/profile",
            message: "champ inconnu : \"editor\"",
        },
        Case {
            description: "an unknown criterion category",
            spoil: |v| competence(v, 0, 0)["criteria"][0]["category"] = json!("skills"),
            pointer: "/domains/0/competences/0/criteria/0/category",
            message: "valeur \"skills\" non admise",
        },
        Case {
            description: "a text without French",
            spoil: |v| competence(v, 0, 0)["title"] = json!({"de": "Neue Klienten integrieren"}),
            pointer: "/domains/0/competences/0/title",
            message: "le champ obligatoire \"fr\" manque",
        },
        Case {
            description: "a version that is not a date",
            spoil: |v| v["profile"]["version"] = json!("janvier 2017"),
            pointer: "/profile/version",
            message: "n'est pas une date AAAA-MM-JJ",
        },
        Case {
            description: "a duplicate domain",
            spoil: |v| v["domains"][1]["id"] = json!("A"),
            pointer: "/domains/1/id",
            message: "le domaine A est défini deux fois",
        },
        Case {
            description: "a duplicate competence id",
            spoil: |v| competence(v, 0, 1)["id"] = json!("A1"),
            pointer: "/domains/0/competences/1/id",
            message: "la compétence A1 est définie deux fois",
        },
        Case {
            description: "a competence id of another domain",
            spoil: |v| competence(v, 1, 0)["id"] = json!("A11"),
            pointer: "/domains/1/competences/0/id",
            message: "n'appartient pas au domaine B",
        },
        Case {
            description: "a gap in the numbering of competences",
            spoil: |v| {
                v["domains"][0]["competences"].as_array_mut().unwrap().remove(2);
            },
            pointer: "/domains/0/competences/2/id",
            message: "devrait s'appeler A3, pas A4",
        },
        Case {
            description: "a criterion id that does not match its position",
            spoil: |v| competence(v, 0, 0)["criteria"][0]["id"] = json!("A1.p9"),
            pointer: "/domains/0/competences/0/criteria/0/id",
            message: "le critère A1.p9 devrait s'appeler A1.p1",
        },
        Case {
            description: "a criterion id whose letter contradicts its category",
            spoil: |v| competence(v, 0, 0)["criteria"][0]["id"] = json!("A1.k1"),
            pointer: "/domains/0/competences/0/criteria/0/id",
            message: "devrait s'appeler A1.p1",
        },
        Case {
            description: "a duplicate criterion id",
            spoil: |v| {
                let first = competence(v, 0, 1)["criteria"][0]["id"].clone();
                competence(v, 0, 2)["criteria"][0]["id"] = first;
            },
            pointer: "/domains/0/competences/2/criteria/0/id",
            message: "le critère A2.p1 est défini deux fois",
        },
        Case {
            description: "an empty criterion text",
            spoil: |v| competence(v, 0, 0)["criteria"][0]["text"]["fr"] = json!("   "),
            pointer: "/domains/0/competences/0/criteria/0/text/fr",
            message: "le texte est vide",
        },
        Case {
            description: "an empty German translation",
            spoil: |v| competence(v, 0, 0)["situation"]["de"] = json!(""),
            pointer: "/domains/0/competences/0/situation/de",
            message: "le texte est vide",
        },
        Case {
            description: "a competence without criteria",
            spoil: |v| competence(v, 4, 0)["criteria"] = json!([]),
            pointer: "/domains/4/competences/0/criteria",
            message: "la compétence E1 n'a aucun critère",
        },
        Case {
            description: "categories out of the profile's order",
            spoil: |v| competence(v, 0, 0)["criteria"].as_array_mut().unwrap().reverse(),
            pointer: "/domains/0/competences/0/criteria/2/category",
            message: "hors de l'ordre des catégories",
        },
    ]
}

fn embedded_value() -> Value {
    serde_json::from_str(EMBEDDED_CATALOGUE_JSON).expect("embedded catalogue is JSON")
}

#[test]
fn each_kind_of_bad_catalogue_gives_its_problem() {
    for case in cases() {
        let mut value = embedded_value();
        (case.spoil)(&mut value);
        let problems = Catalogue::from_json(&value.to_string())
            .err()
            .unwrap_or_else(|| panic!("{}: the spoiled catalogue was accepted", case.description));
        assert!(
            problems.iter().any(|p| p.pointer == case.pointer && p.message.contains(case.message)),
            "{}: expected a problem at {} containing {:?}, got:\n{}",
            case.description,
            case.pointer,
            case.message,
            problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn malformed_json_names_line_and_column() {
    let problems = Catalogue::from_json("{\n  \"profile\": ,\n}").unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("ligne 2, colonne 14"), "{problems:?}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut value = embedded_value();
    value["profile"]["version"] = json!(2017);
    value["profile"]["editor"] = json!("x");
    competence(&mut value, 0, 0)["criteria"][0]["category"] = json!("skills");
    let problems = Catalogue::from_json(&value.to_string()).unwrap_err();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    for expected in ["/profile/version", "/profile", "/domains/0/competences/0/criteria/0/category"] {
        assert!(pointers.contains(&expected), "schema: {expected} missing from {pointers:?}");
    }

    let mut value = embedded_value();
    competence(&mut value, 0, 1)["id"] = json!("A1");
    competence(&mut value, 3, 0)["criteria"][0]["text"]["fr"] = json!("");
    value["profile"]["version"] = json!("hier");
    let problems = Catalogue::from_json(&value.to_string()).unwrap_err();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    for expected in
        ["/profile/version", "/domains/0/competences/1/id", "/domains/3/competences/0/criteria/0/text/fr"]
    {
        assert!(pointers.contains(&expected), "meaning: {expected} missing from {pointers:?}");
    }
}

/// The CLI's `validate`: exit 0 for good files, 1 with every problem listed
/// (file and pointer) otherwise; a clear message, never a panic.
#[test]
fn validate_command_reports_files_and_pointers() {
    let dir = temp_dir("validate");
    let good = dir.join("good.json");
    std::fs::write(&good, EMBEDDED_CATALOGUE_JSON).unwrap();
    let mut spoiled = embedded_value();
    spoiled["profile"]["version"] = json!(1);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, spoiled.to_string()).unwrap();
    let malformed = dir.join("malformed.json");
    std::fs::write(&malformed, "{ \"domains\": [ }").unwrap();
    let unknown = dir.join("unknown.json");
    std::fs::write(&unknown, "{\"hello\": 1}").unwrap();
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let missing = dir.join("missing.json");

    let run = grille(&["validate", good.to_str().unwrap()]);
    assert_eq!(run.code, 0, "good file: {}", run.stderr);
    assert!(run.stdout.contains("valide (catalogue)"), "{}", run.stdout);

    let expectations: [(&str, &std::path::Path, &str); 5] = [
        ("schema problem", &bad, "bad.json:/profile/version : type incorrect"),
        ("malformed JSON", &malformed, "malformed.json:/ : JSON invalide à la ligne 1"),
        ("unknown kind of file", &unknown, "type de fichier inconnu"),
        ("not UTF-8", &binary, "n'est pas du texte UTF-8"),
        ("missing file", &missing, "fichier introuvable"),
    ];
    for (description, path, fragment) in expectations {
        let run = grille(&["validate", good.to_str().unwrap(), path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{description}: exit code; stderr: {}", run.stderr);
        assert!(run.stderr.contains(fragment), "{description}: {fragment:?} not in stderr:\n{}", run.stderr);
        assert!(run.stderr.contains("1 fichier(s) sur 2 non valide(s)"), "{description}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{description}: {}", run.stderr);
    }

    let mut duplicate = embedded_value();
    competence(&mut duplicate, 0, 1)["id"] = json!("A1");
    std::fs::write(&bad, duplicate.to_string()).unwrap();
    let run = grille(&["validate", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("bad.json:/domains/0/competences/1/id : la compétence A1 est définie deux fois"),
        "{}",
        run.stderr
    );
}
