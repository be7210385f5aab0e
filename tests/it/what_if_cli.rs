//! `grille score SESSION --what-if SCHEME.json` and `--weight PART=WEIGHT`
//! on the worked example: the candidates whose grades or decision would
//! change, computed by hand from `examples/session-demo.md`, and each kind
//! of bad input refused with where it is.

use grille_competence::document;
use serde_json::{Value, json};

use crate::support::{grille, grille_with_env, repo_root, temp_dir};

fn example() -> String {
    repo_root().join("examples/session-demo.json").display().to_string()
}

/// The shipped scheme with `change` applied to its JSON, written to a
/// temporary file (as a board would edit a copy for next year).
fn scheme_with(name: &str, change: impl FnOnce(&mut Value)) -> String {
    let text = std::fs::read_to_string(repo_root().join("rubrics/grading-scheme.json")).unwrap();
    let mut scheme: Value = serde_json::from_str(&text).unwrap();
    change(&mut scheme);
    let path = temp_dir(&format!("what-if-{name}")).join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&scheme).unwrap()).unwrap();
    path.display().to_string()
}

/// (what changes, candidates whose outcome flips as (number, before,
/// after), passes gained, passes lost, candidates with grades changed only).
struct Case {
    name: &'static str,
    args: Vec<String>,
    flips: Vec<(&'static str, &'static str, &'static str)>,
    gained: u64,
    lost: u64,
    grades_only: u64,
}

fn cases() -> Vec<Case> {
    vec![
        // The session's own scheme: nothing changes.
        Case {
            name: "own scheme",
            args: vec![
                "--what-if".into(),
                repo_root().join("rubrics/grading-scheme.json").display().to_string(),
            ],
            flips: vec![],
            gained: 0,
            lost: 0,
            grades_only: 0,
        },
        // Two insufficient parts allowed, none below 2.5: 2026-003 (parts
        // 5.3, 3.5, 3.5; overall 4.1) and 2026-004 (part 2 at 2.5, overall
        // 4.4) pass.
        Case {
            name: "lenient",
            args: vec![
                "--what-if".into(),
                scheme_with("lenient", |scheme| {
                    scheme["version"] = json!("2027-brouillon");
                    scheme["pass_rule"]["max_insufficient_parts"] = json!(2);
                    scheme["pass_rule"]["min_part_grade"] = json!("2.5");
                }),
            ],
            flips: vec![("2026-003", "failed", "passed"), ("2026-004", "failed", "passed")],
            gained: 2,
            lost: 0,
            grades_only: 0,
        },
        // An overall grade of 4.5 required: 2026-002 (4.2) fails.
        Case {
            name: "strict",
            args: vec![
                "--what-if".into(),
                scheme_with("strict", |scheme| scheme["pass_rule"]["min_overall"] = json!("4.5")),
            ],
            flips: vec![("2026-002", "passed", "failed")],
            gained: 0,
            lost: 1,
            grades_only: 0,
        },
        // Part 2 counts double and part 3 half: overall grades move
        // (2026-001 (5.5·1 + 5·2 + 5·0.5)/3.5 = 5.14 → 5.1), no decision.
        Case {
            name: "weights",
            args: vec!["--weight".into(), "2=2".into(), "--weight".into(), "3=0.5".into()],
            flips: vec![],
            gained: 0,
            lost: 0,
            grades_only: 4,
        },
    ]
}

#[test]
fn a_what_if_lists_the_candidates_it_would_change() {
    let schema_text = std::fs::read_to_string(repo_root().join("schemas/what-if.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    for case in cases() {
        let mut args = vec!["score".to_owned(), example(), "--format".to_owned(), "json".to_owned()];
        args.extend(case.args.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = grille(&args);
        assert_eq!(run.code, 0, "{}: {}", case.name, run.stderr);
        let what_if: Value = serde_json::from_str(&run.stdout).unwrap();
        let problems = document::schema_problems(&schema, &what_if);
        assert!(problems.is_empty(), "{}: off schemas/what-if.schema.json: {problems:?}", case.name);
        assert_eq!(what_if["candidates"], 5, "{}", case.name);
        assert_eq!(what_if["passes_gained"], case.gained, "{}: {what_if:#}", case.name);
        assert_eq!(what_if["passes_lost"], case.lost, "{}: {what_if:#}", case.name);
        assert_eq!(what_if["grades_only"], case.grades_only, "{}: {what_if:#}", case.name);
        let flips: Vec<(String, String, String)> = what_if["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|change| change["outcome_before"] != change["outcome_after"])
            .map(|change| {
                let text = |field: &str| change[field].as_str().unwrap().to_owned();
                (text("number"), text("outcome_before"), text("outcome_after"))
            })
            .collect();
        let expected: Vec<(String, String, String)> =
            case.flips.iter().map(|(n, b, a)| (n.to_string(), b.to_string(), a.to_string())).collect();
        assert_eq!(flips, expected, "{}", case.name);
    }
}

#[test]
fn the_weights_move_the_overall_grades_as_computed_by_hand() {
    let run = grille(&["score", &example(), "--weight", "2=2", "--weight", "3=0.5", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let what_if: Value = serde_json::from_str(&run.stdout).unwrap();
    let overall: Vec<(String, String, String)> = what_if["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |field: &str| c[field].as_str().unwrap_or("").to_owned();
            (text("number"), text("overall_before"), text("overall_after"))
        })
        .collect();
    // (part grades) · (1, 2, 0.5) / 3.5, rounded to 0.1:
    // 2026-001 (5.5, 5.0, 5.0): 17.96/3.5 → 5.1; 2026-002 (4.5, 4.0, 4.0): 14.5/3.5 = 4.14 → 4.1;
    // 2026-003 (5.3, 3.5, 3.5): 14.05/3.5 = 4.01 → 4.0; 2026-004 (5.3, 2.5, 5.5): 13.05/3.5 = 3.73 → 3.7.
    let expected = [
        ("2026-001", "5.2", "5.1"),
        ("2026-002", "4.2", "4.1"),
        ("2026-003", "4.1", "4.0"),
        ("2026-004", "4.4", "3.7"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(n, b, a)| (n.to_string(), b.to_string(), a.to_string())).collect();
    assert_eq!(overall, expected);
}

#[test]
fn the_table_and_the_csv_say_what_would_change_in_the_readers_language() {
    let lenient = scheme_with("lenient-table", |scheme| {
        scheme["pass_rule"]["max_insufficient_parts"] = json!(2);
    });
    let run = grille(&["score", &example(), "--what-if", &lenient]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for fragment in [
        "Simulation (rien n'est enregistré)",
        "5 candidat·e·s comparé·e·s : 1 décision(s) changée(s), 1 réussite(s) gagnée(s)",
        "Candidat·e 2026-003 : échoué → réussi ; note globale 4.1 → 4.1",
        "motif simulé : examen réussi",
    ] {
        assert!(run.stdout.contains(fragment), "{fragment}: {}", run.stdout);
    }
    let german = grille_with_env(
        &["score", &example(), "--what-if", &lenient, "--format", "csv"],
        &[("GRILLE_LANG", "de")],
    );
    assert_eq!(german.code, 0, "{}", german.stderr);
    let mut lines = german.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "\u{feff}Nummer;Tatsächliches Ergebnis;Simuliertes Ergebnis;Tatsächliche Gesamtnote;Simulierte Gesamtnote;Änderung;Geänderte Noten;Tatsächlicher Entscheid;Simulierter Entscheid"
        )
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("2026-003;nicht bestanden;bestanden;4.1;4.1;neu bestanden;;"), "{row}");
    assert_eq!(lines.next(), None);
}

#[test]
fn bad_what_if_input_is_refused_with_where_it_is() {
    let broken = temp_dir("what-if-broken").join("broken.json");
    std::fs::write(&broken, r#"{"id": "x""#).unwrap();
    let broken = broken.display().to_string();
    let invalid = scheme_with("invalid", |scheme| scheme["rounding"]["overall"] = json!("-1"));
    let missing = temp_dir("what-if-missing").join("missing.json").display().to_string();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["--what-if", &broken], vec!["broken.json"]),
        (vec!["--what-if", &invalid], vec!["invalid.json", "/rounding/overall"]),
        (vec!["--what-if", &missing], vec!["missing.json"]),
        (vec!["--weight", "9=2"], vec!["--weight:/weight/0", "l'épreuve 9 n'existe pas", "1, 2, 3"]),
        (vec!["--weight", "2"], vec!["--weight:/weight/0", "ÉPREUVE=POIDS"]),
        (vec!["--weight", "1=1", "--weight", "2=lourd"], vec!["--weight:/weight/1", "« lourd »"]),
        (vec!["--weight", "2=-1"], vec!["entre 0 et 1000"]),
    ];
    let session = example();
    for (extra, fragments) in cases {
        let mut args = vec!["score", session.as_str()];
        args.extend(extra.iter().copied());
        let run = grille(&args);
        assert_ne!(run.code, 0, "{extra:?} must fail");
        assert!(run.stdout.is_empty(), "{extra:?}: nothing printed on stdout: {}", run.stdout);
        for fragment in fragments {
            assert!(run.stderr.contains(fragment), "{extra:?}: {fragment} in {}", run.stderr);
        }
    }
}
