//! `grille score` and `grille blueprint coverage` as a board member runs
//! them, on the worked example session and on spoiled copies of it.

use serde_json::{Value, json};

use crate::support::{Run, grille, grille_with_env, repo_root, temp_dir};

fn example_path() -> String {
    repo_root().join("examples/session-demo.json").display().to_string()
}

fn example_value() -> Value {
    serde_json::from_str(&std::fs::read_to_string(example_path()).unwrap()).unwrap()
}

/// (candidate, outcome, overall grade, part grades) of the worked example,
/// as computed by hand in `examples/session-demo.md`.
type Expected = (&'static str, &'static str, Option<&'static str>, [Option<&'static str>; 3]);
/// Grades are written with one decimal in JSON as in the table and CSV.
const EXPECTED: [Expected; 5] = [
    ("2026-001", "passed", Some("5.2"), [Some("5.5"), Some("5.0"), Some("5.0")]),
    ("2026-002", "passed", Some("4.2"), [Some("4.5"), Some("4.0"), Some("4.0")]),
    ("2026-003", "failed", Some("4.1"), [Some("5.3"), Some("3.5"), Some("3.5")]),
    ("2026-004", "failed", Some("4.4"), [Some("5.3"), Some("2.5"), Some("5.5")]),
    ("2026-005", "failed", None, [None, None, None]),
];

#[test]
fn the_example_session_scores_as_computed_by_hand_in_json() {
    let run = grille(&["score", &example_path(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).expect("the streamed JSON is one valid document");
    let candidates = result["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), EXPECTED.len());
    for (candidate, (number, outcome, overall, parts)) in candidates.iter().zip(EXPECTED) {
        assert_eq!(candidate["number"], number);
        assert_eq!(candidate["outcome"], outcome, "{number}");
        assert_eq!(candidate["overall"]["value"].as_str(), overall, "{number}: overall");
        for (index, grade) in parts.iter().enumerate() {
            let actual = candidate["parts"].get(index).and_then(|p| p["grade"].as_str());
            assert_eq!(actual, *grade, "{number}: part {}", index + 1);
        }
    }
    assert_eq!(result["summary"]["passed"], 2);
    assert_eq!(result["summary"]["failed"], 3);
    assert_eq!(result["summary"]["flagged_positions"], 1);
    assert_eq!(result["open_discrepancies"], json!([]));
    assert!(result["assumptions"].as_array().is_some_and(|a| !a.is_empty()), "assumptions are carried");
}

#[test]
fn the_table_explains_each_decision() {
    let run = grille(&["score", &example_path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for fragment in [
        "Candidat·e 2026-001 — réussi, note globale 5.2",
        "Note globale : (5.5 × 1 + 5 × 1 + 5 × 1) / 3 = 5.1666… → 5.2",
        "expert·e·s : exp-05 4.5, exp-06 3.5 — accord enregistré",
        "⚑ les notes 3.5 et 4.5 sont de part et d'autre de la note suffisante 4.0",
        "Candidat·e 2026-003 — échoué, note globale 4.1",
        "✗ 2 note(s) d'épreuve inférieure(s) à 4.0 (épreuve 2 : 3.5, épreuve 3 : 3.5) ; au plus 1 admise(s)",
        "✗ note(s) d'épreuve inférieure(s) à 3.0 : épreuve 2 : 2.5",
        "retrait sans motif valable",
        "5 candidat·e·s : 2 réussi(s), 3 échoué(s), 0 en attente, 0 sans résultat",
    ] {
        assert!(run.stdout.contains(fragment), "{fragment:?} missing from:\n{}", run.stdout);
    }
}

/// The CSV the command line writes (grille-report's, as the server's
/// export): a byte order mark, `;`, French column names by default.
fn csv_table(stdout: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let text = stdout.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("no byte order mark: {stdout}"));
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().iter().map(str::to_owned).collect();
    (headers, reader.records().map(Result::unwrap).collect())
}

#[test]
fn csv_has_one_row_per_candidate_with_every_part_and_position_grade() {
    let run = grille(&["score", &example_path(), "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (headers, rows) = csv_table(&run.stdout);
    assert_eq!(
        headers,
        [
            "Numéro",
            "Statut",
            "Tentative",
            "Note épreuve 1",
            "Note épreuve 2",
            "Note épreuve 3",
            "Note point 1.1",
            "Note point 1.2",
            "Note point 2.1",
            "Note point 3.1",
            "Note globale",
            "Résultat",
            "Décision",
            "En attente",
            "Divergences ouvertes"
        ]
    );
    assert_eq!(rows.len(), EXPECTED.len());
    for (row, (number, outcome, overall, parts)) in rows.iter().zip(EXPECTED) {
        assert_eq!(&row[0], number);
        for (index, grade) in parts.iter().enumerate() {
            assert_eq!(&row[3 + index], grade.unwrap_or_default(), "{number}: part {}", index + 1);
        }
        assert_eq!(&row[10], overall.unwrap_or_default(), "{number}");
        let outcome = match outcome {
            "passed" => "réussi",
            "failed" => "échoué",
            other => other,
        };
        assert_eq!(&row[11], outcome, "{number}");
    }
    // In German, as the reader asks.
    let run = grille_with_env(&["score", &example_path(), "--format", "csv"], &[("GRILLE_LANG", "de")]);
    let (headers, rows) = csv_table(&run.stdout);
    assert_eq!(headers[..4], ["Nummer", "Status", "Versuch", "Note Prüfungsteil 1"]);
    assert_eq!(&rows[0][11], "bestanden", "{:?}", rows[0]);
}

#[test]
fn an_open_discrepancy_is_listed_and_leaves_the_result_pending() {
    let mut session = example_value();
    // Candidate 2026-002's position 3.1 loses its agreed evaluation.
    let position = session["candidates"][1]["positions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["position"] == "3.1")
        .unwrap();
    position.as_object_mut().unwrap().remove("agreed");
    let dir = temp_dir("score-open");
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    let run = grille(&["score", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Candidat·e 2026-002 — en attente"), "{}", run.stdout);
    assert!(run.stdout.contains("Divergences ouvertes (1) :"), "{}", run.stdout);
    assert!(run.stdout.contains("2026-002 · 3.1 : exp-05 4.5, exp-06 3.5"), "{}", run.stdout);
}

fn score_spoiled(name: &str, spoil: impl FnOnce(&mut Value)) -> Run {
    let mut session = example_value();
    spoil(&mut session);
    let dir = temp_dir(name);
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    grille(&["score", path.to_str().unwrap()])
}

#[test]
fn each_kind_of_bad_session_is_refused_with_its_pointer() {
    type Spoil = fn(&mut Value);
    let cases: Vec<(&str, Spoil, &str)> = vec![
        (
            "unknown blueprint version",
            |s| s["blueprint"]["version"] = json!("9.9"),
            "session.json:/blueprint : plan d'examen « bf-asp-examen-final » version « 9.9 » introuvable",
        ),
        ("unknown scheme", |s| s["scheme"]["id"] = json!("autre"), "session.json:/scheme : barème « autre »"),
        (
            "unknown rubric version",
            |s| s["rubrics"][0]["version"] = json!("0.1"),
            "session.json:/rubrics/0 : grille d'évaluation",
        ),
        (
            "duplicate candidate number",
            |s| s["candidates"][1]["number"] = json!("2026-001"),
            "session.json:/candidates/1/number",
        ),
        (
            "unknown position",
            |s| s["candidates"][0]["positions"][0]["position"] = json!("9.9"),
            "session.json:/candidates/0/positions/0",
        ),
        (
            "unknown status",
            |s| s["candidates"][0]["status"] = json!("sick"),
            "session.json:/candidates/0/status",
        ),
        (
            "a session's remarks in a language grille does not know",
            |s| s["remark_language"] = json!("en"),
            r#"session.json:/remark_language : valeur "en" non admise ; valeurs possibles : ["fr","de","it",null]"#,
        ),
        (
            "an evaluation's remarks in a language grille does not know",
            |s| s["candidates"][0]["positions"][0]["evaluations"][1]["remark_language"] = json!("english"),
            "session.json:/candidates/0/positions/0/evaluations/1/remark_language",
        ),
        (
            "points as a float",
            |s| s["candidates"][0]["positions"][0]["evaluations"][0]["answers"][0]["points"] = json!(2.5),
            "session.json:/candidates/0/positions/0/evaluations/0/answers/0/points",
        ),
        (
            "missing candidates",
            |s| {
                s.as_object_mut().unwrap().remove("candidates");
            },
            "session.json:/ : le champ obligatoire \"candidates\" manque",
        ),
    ];
    for (description, spoil, fragment) in cases {
        let run = score_spoiled("score-bad", spoil);
        assert_eq!(run.code, 1, "{description}: {}", run.stderr);
        assert!(run.stderr.contains(fragment), "{description}: {fragment:?} not in:\n{}", run.stderr);
        assert!(run.stdout.is_empty(), "{description}: no partial result on stdout");
        assert!(!run.stderr.contains("panicked"), "{description}");
    }
}

#[test]
fn malformed_session_structure_is_refused_with_line_and_pointer() {
    let dir = temp_dir("score-structure");
    let header = r#""id": "s", "scheme": {"id": "bf-asp-bareme-defaut", "version": "1.0"},
        "blueprint": {"id": "bf-asp-examen-final", "version": "1.0"}, "rubrics": []"#;
    let cases = [
        ("not an object", "[1, 2]".to_owned(), "attendu un objet JSON (la session)"),
        ("candidates not a list", format!("{{{header}, \"candidates\": 5}}"), "attendu une liste"),
        (
            "text after the session",
            format!("{{{header}, \"candidates\": []}} x"),
            "JSON invalide à la ligne 2",
        ),
        ("no candidates", format!("{{{header}}}"), "le champ obligatoire \"candidates\" manque"),
        (
            "header and candidate problems together",
            format!(
                "{{{header}, \"extra\": 1, \"candidates\": [{{\"number\": \"\", \"status\": \"gone\"}}]}}"
            ),
            "champ inconnu : \"extra\"",
        ),
    ];
    for (description, text, fragment) in cases {
        let path = dir.join("session.json");
        std::fs::write(&path, &text).unwrap();
        let run = grille(&["score", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{description}: {}", run.stderr);
        assert!(run.stderr.contains(fragment), "{description}: {fragment:?} not in:\n{}", run.stderr);
        assert!(run.stdout.is_empty(), "{description}");
    }
    // Problems of the header and of the candidates come in one report.
    let run = grille(&["score", dir.join("session.json").to_str().unwrap()]);
    assert!(run.stderr.contains("session.json:/candidates/0/status"), "{}", run.stderr);
}

#[test]
fn unreadable_session_files_fail_clearly() {
    let dir = temp_dir("score-unreadable");
    let malformed = dir.join("malformed.json");
    std::fs::write(&malformed, "{\"id\": ").unwrap();
    let cases = [
        (dir.join("missing.json"), "fichier introuvable"),
        (malformed, "JSON invalide"),
        (dir.clone(), "impossible de lire"),
    ];
    for (path, fragment) in cases {
        let run = grille(&["score", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{path:?}");
        assert!(run.stderr.contains(fragment), "{path:?}: {}", run.stderr);
    }
}

#[test]
fn a_documents_folder_adds_versions_and_refuses_silent_changes() {
    let dir = temp_dir("score-documents");
    // A new version of the grading scheme: 4.0 at 55 %.
    let mut scheme: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("rubrics/grading-scheme.json")).unwrap(),
    )
    .unwrap();
    scheme["version"] = json!("2.0");
    scheme["conversion"] = json!({"kind": "two_piece", "pass_fraction": "0.55"});
    std::fs::write(dir.join("scheme-2.json"), scheme.to_string()).unwrap();
    let mut session = example_value();
    session["scheme"]["version"] = json!("2.0");
    let session_path = dir.join("session.json");
    std::fs::write(&session_path, session.to_string()).unwrap();
    let run = grille(&[
        "score",
        session_path.to_str().unwrap(),
        "--documents",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    let conversion =
        &result["candidates"][0]["parts"][0]["positions"][0]["evaluations"][0]["grade"]["conversion"];
    assert!(conversion.as_str().unwrap().contains("0.55"), "{conversion}");

    // The same id and version with another content is refused.
    scheme["version"] = json!("1.0");
    std::fs::write(dir.join("scheme-2.json"), scheme.to_string()).unwrap();
    let run = grille(&["score", &example_path(), "--documents", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("existe déjà avec un contenu différent"), "{}", run.stderr);
}

#[test]
fn coverage_shows_every_competence_and_names_gaps() {
    let run = grille(&["blueprint", "coverage"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("28 compétences sur 28 évaluées"), "{}", run.stdout);
    assert!(run.stdout.contains("Toutes les compétences sont évaluées."), "{}", run.stdout);
    for competence in ["A1 ", "A10 ", "B6 ", "C2 ", "D6 ", "E4 "] {
        assert!(run.stdout.lines().any(|l| l.starts_with(competence)), "{competence} missing");
    }

    // A blueprint that assesses A1 only names the 27 others.
    let dir = temp_dir("coverage");
    let mut blueprint: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("rubrics/blueprint.json")).unwrap())
            .unwrap();
    blueprint["id"] = json!("petit-examen");
    blueprint["parts"] = json!([{
        "id": "1", "title": {"fr": "Épreuve unique"},
        "positions": [{"id": "1.1", "title": {"fr": "Entretien"}, "rubric": "absente", "competences": ["A1"]}]
    }]);
    std::fs::write(dir.join("blueprint.json"), blueprint.to_string()).unwrap();
    let run = grille(&[
        "blueprint",
        "coverage",
        "--blueprint",
        "petit-examen",
        "--documents",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 compétences sur 28 évaluées"), "{}", run.stdout);
    assert!(run.stdout.contains("Non évaluées : A2, A3,"), "{}", run.stdout);
    assert!(run.stdout.contains("Grilles introuvables : absente"), "{}", run.stdout);

    let run = grille(&["blueprint", "coverage", "--blueprint", "inconnu"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("plan d'examen inconnu : « inconnu »"), "{}", run.stderr);
}

#[test]
fn validate_checks_a_session_against_the_documents_it_pins() {
    let run = grille(&["validate", &example_path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("valide (session d'examen)"), "{}", run.stdout);

    let dir = temp_dir("validate-session");
    let mut session = example_value();
    session["candidates"][0]["positions"][0]["position"] = json!("9.9");
    session["scheme"]["version"] = json!("2.0");
    let session_path = dir.join("session.json");
    std::fs::write(&session_path, session.to_string()).unwrap();
    let run = grille(&["validate", session_path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("session.json:/scheme : barème « bf-asp-bareme-defaut » version « 2.0 » introuvable"),
        "{}",
        run.stderr
    );

    // Given on the same command line, the new scheme version is used, and
    // the unknown position is then found against the blueprint.
    let mut scheme: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("rubrics/grading-scheme.json")).unwrap(),
    )
    .unwrap();
    scheme["version"] = json!("2.0");
    let scheme_path = dir.join("scheme.json");
    std::fs::write(&scheme_path, scheme.to_string()).unwrap();
    let run = grille(&["validate", scheme_path.to_str().unwrap(), session_path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("scheme.json : valide (barème)"), "{}", run.stdout);
    assert!(run.stderr.contains("session.json:/candidates/0/positions/0"), "{}", run.stderr);
    assert!(!run.stderr.contains("introuvable ;"), "the scheme was found: {}", run.stderr);
}

#[test]
fn validate_refuses_answers_that_can_never_be_right_and_notes_open_work() {
    let dir = temp_dir("validate-answers");
    let mut session = example_value();
    session["candidates"][0]["positions"][0]["evaluations"][0]["answers"][0]["criterion"] = json!("c99");
    session["candidates"][0]["positions"][0]["evaluations"][1]["answers"][1]["points"] = json!(-1);
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    let run = grille(&["validate", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for fragment in [
        "session.json:/candidates/0/positions/0/evaluations/0/answers/0/criterion : session : le critère c99 n'existe pas",
        "session.json:/candidates/0/positions/0/evaluations/1/answers/1/points : session : -1 point(s) ne correspond à aucun niveau",
    ] {
        assert!(run.stderr.contains(fragment), "{fragment:?} not in:\n{}", run.stderr);
    }
    // Scoring takes the same file as the engine does: the evaluation is
    // incomplete, with its reason, and the candidate pending.
    let run = grille(&["score", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, rows) = csv_table(&run.stdout);
    let first = rows.iter().find(|row| &row[0] == "2026-001").expect("2026-001");
    assert_eq!(first.iter().take(6).collect::<Vec<_>>(), ["2026-001", "présent·e", "1", "", "5.0", "5.0"]);
    assert_eq!((&first[10], &first[11]), ("", "en attente"), "{first:?}");

    // Work in progress is valid, and said to be open.
    let mut session = example_value();
    let position = session["candidates"][1]["positions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["position"] == "3.1")
        .unwrap();
    position.as_object_mut().unwrap().remove("agreed");
    std::fs::write(&path, session.to_string()).unwrap();
    let run = grille(&["validate", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "valide (session d'examen) ; 1 candidat·e·s sur 5 encore en attente, 1 divergence(s) ouverte(s)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn json_output_is_the_engines_session_result_pretty_or_compact() {
    let pretty = grille(&["score", &example_path(), "--format", "json"]);
    let compact = grille(&["score", &example_path(), "--format", "json", "--compact"]);
    assert_eq!(pretty.code, 0, "{}", pretty.stderr);
    assert_eq!(compact.code, 0, "{}", compact.stderr);
    assert_eq!(compact.stdout.lines().count(), 1, "compact JSON is one line");
    // The top-level fields, in the order written (two-space indentation).
    let keys: Vec<&str> = pretty
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  \""))
        .filter_map(|line| line.split_once('"').map(|(key, _)| key))
        .collect();
    assert_eq!(
        keys,
        [
            "session",
            "scheme",
            "blueprint",
            "rubrics",
            "assumptions",
            "candidates",
            "summary",
            "open_discrepancies"
        ]
    );
    let pretty: Value = serde_json::from_str(&pretty.stdout).expect("valid JSON");
    let compact: Value = serde_json::from_str(&compact.stdout).expect("valid JSON");
    assert_eq!(pretty, compact, "the same values either way");

    // The document is the engine's `SessionResult`, then the summary and
    // the open discrepancies, in that order.
    let catalogue = grille_competence::Catalogue::embedded().unwrap();
    let exam = grille_scoring::embedded::federal_exam(&catalogue).unwrap();
    let session = grille_scoring::embedded::example_session().unwrap();
    let cases = grille_scoring::embedded::example_cases(&catalogue).unwrap();
    let expected = grille_scoring::score_session(&grille_scoring::ScoringInput {
        catalogue: &catalogue,
        scheme: &exam.scheme,
        blueprint: &exam.blueprint,
        rubrics: &exam.rubrics,
        cases: &cases,
        session: &session,
    })
    .unwrap();
    let mut document = serde_json::to_value(&expected).unwrap();
    let fields = document.as_object_mut().unwrap();
    fields.insert("summary".to_owned(), serde_json::to_value(expected.summary()).unwrap());
    fields.insert("open_discrepancies".to_owned(), json!([]));
    assert_eq!(pretty, document);
}

/// The session text with `candidates` written first, then the header.
fn candidates_first(session: &Value) -> String {
    let fields = session.as_object().unwrap();
    let mut text = format!("{{\"candidates\": {}", fields["candidates"]);
    for (key, value) in fields.iter().filter(|(key, _)| *key != "candidates") {
        text.push_str(&format!(", {}: {value}", Value::String(key.clone())));
    }
    text.push('}');
    text
}

#[test]
fn sessions_the_typed_reading_does_not_take_are_scored_as_before() {
    let expected = grille(&["score", &example_path(), "--format", "csv"]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let dir = temp_dir("score-unusual");
    // The header after the candidates, and a candidate field written twice
    // (a JSON tree keeps the last one): valid sessions, read through the
    // JSON tree.
    let example = std::fs::read_to_string(example_path()).unwrap();
    let twice =
        example.replacen("\"number\": \"2026-001\"", "\"number\": \"x\", \"number\": \"2026-001\"", 1);
    assert_ne!(twice, example, "the example has the number to duplicate");
    for (name, text) in [("candidates-first", candidates_first(&example_value())), ("twice", twice)] {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, text).unwrap();
        for format in ["csv", "json", "table"] {
            let run = grille(&["score", path.to_str().unwrap(), "--format", format]);
            assert_eq!(run.code, 0, "{name} {format}: {}", run.stderr);
            let reference = grille(&["score", &example_path(), "--format", format]);
            let same = if format == "table" {
                run.stdout.replace(path.to_str().unwrap(), &example_path()) == reference.stdout
            } else {
                run.stdout == reference.stdout
            };
            assert!(same, "{name} {format}:\n{}", run.stdout);
        }
    }
}

#[test]
fn a_problem_in_the_last_candidate_prints_no_partial_result_in_any_format() {
    let mut session = example_value();
    let last = session["candidates"].as_array().unwrap().len() - 1;
    session["candidates"][last]["attempt"] = json!(0);
    session["candidates"][last]["status"] = json!("sick");
    let dir = temp_dir("score-last-bad");
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    for format in ["csv", "json", "table"] {
        let run = grille(&["score", path.to_str().unwrap(), "--format", format]);
        assert_ne!(run.code, 0, "{format}");
        assert_eq!(run.stdout, "", "{format}: nothing printed");
        assert!(run.stderr.contains(&format!("/candidates/{last}/status")), "{format}: {}", run.stderr);
    }
}

/// Writes `session` (the worked example pinning scheme version `version`)
/// and `scheme` into a fresh folder: (session path, documents folder).
fn with_scheme(name: &str, version: &str, scheme: Value, spoil: impl FnOnce(&mut Value)) -> (String, String) {
    let dir = temp_dir(name);
    let documents = dir.join("documents");
    std::fs::create_dir_all(&documents).unwrap();
    std::fs::write(documents.join("scheme.json"), scheme.to_string()).unwrap();
    let mut session = example_value();
    session["scheme"]["version"] = json!(version);
    spoil(&mut session);
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    (path.display().to_string(), documents.display().to_string())
}

#[test]
fn a_scheme_that_keeps_every_default_is_a_scheme() {
    let scheme =
        json!({"id": "bf-asp-bareme-defaut", "version": "minimal", "title": {"fr": "Barème minimal"}});
    let (session, documents) = with_scheme("minimal-scheme", "minimal", scheme, |_| {});
    let scheme_path = format!("{documents}/scheme.json");
    let run = grille(&["validate", &scheme_path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("scheme.json : valide (barème)"), "{}", run.stdout);
    // Given beside the session, it is the scheme the session pins.
    let run = grille(&["validate", &scheme_path, &session]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("session.json : valide (session d'examen)"), "{}", run.stdout);
    // In a documents folder too; its default rule is the overall grade alone.
    let run = grille(&["score", &session, "--documents", &documents, "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, rows) = csv_table(&run.stdout);
    let third = rows.iter().find(|row| &row[0] == "2026-003").expect("2026-003");
    assert_eq!(third.iter().take(6).collect::<Vec<_>>(), ["2026-003", "présent·e", "1", "5.3", "3.5", "3.5"]);
    assert_eq!((&third[10], &third[11]), ("4.1", "réussi"), "{third:?}");
    // A file with nothing that says what it is stays unknown.
    let dir = temp_dir("unknown-kind");
    let path = dir.join("notes.json");
    std::fs::write(&path, r#"{"id": "x", "notes": "rien"}"#).unwrap();
    let run = grille(&["validate", path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("type de fichier inconnu"), "{}", run.stderr);
}

#[test]
fn regulation_conditions_and_rounding_directions_decide_and_explain() {
    let scheme = json!({
        "id": "bf-asp-bareme-defaut",
        "version": "reglement",
        "title": {"fr": "Règlement"},
        "rounding": {"part_direction": "up", "overall_direction": "down"},
        "pass_rule": {
            "max_parts_below": [{"below": "4.5", "max": 1}],
            "part_minimums": [{"part": "1", "min": "4.5"}],
            "min_position_grade": "3",
            "position_minimums": [{"position": "3.1", "min": "4"}]
        }
    });
    let (session, documents) = with_scheme("regulation", "reglement", scheme, |_| {});
    let run = grille(&["score", &session, "--documents", &documents]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for fragment in [
        // 2026-001: (5.5 + 5 + 5) / 3 = 5.1666… rounded down.
        "Candidat·e 2026-001 — réussi, note globale 5.1",
        "Note globale : (5.5 × 1 + 5 × 1 + 5 × 1) / 3 = 5.1666… → 5.1 (arrondi au dixième inférieur)",
        "(5.5 × 1 + 5 × 1) / 2 = 5.25 → 5.3 (arrondi au dixième supérieur)",
        "✓ l'épreuve 1 doit atteindre 4.5 : note 5.5",
        "✓ aucune note de point d'appréciation inférieure à 3.0",
        "✓ le point d'appréciation 3.1 doit atteindre 4.0 : note 5.0",
        "✗ 2 note(s) d'épreuve inférieure(s) à 4.5 (épreuve 2 : 4.0, épreuve 3 : 4.0) ; au plus 1 admise(s)",
        "✗ le point d'appréciation 3.1 doit atteindre 4.0 : note 3.5",
        "✗ note(s) de point d'appréciation inférieure(s) à 3.0 : point 2.1 : 2.5",
    ] {
        assert!(run.stdout.contains(fragment), "{fragment:?} missing from:\n{}", run.stdout);
    }
    let run = grille(&["score", &session, "--documents", &documents, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    let first = &result["candidates"][0];
    assert_eq!(first["overall"]["rounding"]["direction"], "down");
    assert_eq!(first["overall"]["rounding"]["rule"], "arrondi au dixième inférieur");
    assert_eq!(first["parts"][0]["calculation"]["rounding"]["rule"], "arrondi au dixième supérieur");
    let conditions: Vec<&str> =
        first["conditions"].as_array().unwrap().iter().map(|c| c["condition"].as_str().unwrap()).collect();
    assert_eq!(
        conditions,
        ["min_overall", "max_parts_below", "part_minimum", "min_position_grade", "position_minimum"]
    );

    // Part and position ids are checked against the pinned blueprint.
    let scheme = json!({
        "id": "bf-asp-bareme-defaut",
        "version": "ids",
        "title": {"fr": "Ids"},
        "pass_rule": {"part_minimums": [{"part": "9", "min": "4.5"}], "position_minimums": [{"position": "3.9", "min": "4"}]}
    });
    let (session, documents) = with_scheme("regulation-ids", "ids", scheme, |_| {});
    let run = grille(&["score", &session, "--documents", &documents]);
    assert_eq!(run.code, 1);
    for fragment in [
        ":/pass_rule/part_minimums/0/part : barème : l'épreuve 9 n'existe pas dans le plan d'examen",
        ":/pass_rule/position_minimums/0/position : barème : le point d'appréciation 3.9 n'existe pas",
    ] {
        assert!(run.stderr.contains(fragment), "{fragment:?} missing from:\n{}", run.stderr);
    }
}

#[test]
fn a_carried_part_grade_must_lie_on_the_part_step() {
    let dir = temp_dir("carried-step");
    let mut session = example_value();
    let candidate = &mut session["candidates"][0];
    candidate["attempt"] = json!(2);
    candidate["carried_parts"] = json!([{"part": "1", "grade": "4.25"}]);
    let positions = candidate["positions"].as_array_mut().unwrap();
    positions.retain(|p| !p["position"].as_str().unwrap().starts_with("1."));
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    let fragment = "session.json:/candidates/0/carried_parts/0/grade : session : la note reportée 4.25 n'est pas arrondie au pas des notes d'épreuve du barème (0.1)";
    for command in ["validate", "score"] {
        let run = grille(&[command, path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{command}: {}", run.stdout);
        assert!(run.stderr.contains(fragment), "{command}: {fragment:?} missing from:\n{}", run.stderr);
    }
    // On the step, it is carried with one decimal.
    session["candidates"][0]["carried_parts"] = json!([{"part": "1", "grade": "5"}]);
    std::fs::write(&path, session.to_string()).unwrap();
    let run = grille(&["score", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(result["candidates"][0]["parts"][0]["grade"], "5.0");
}

#[test]
fn evaluations_kept_for_a_candidate_who_withdrew_are_a_warning_not_a_problem() {
    let dir = temp_dir("withdrawn-evaluations");
    let mut session = example_value();
    session["candidates"][1]["status"] = json!("withdrawn_excused");
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    let path = path.to_str().unwrap();

    let run = grille(&["validate", path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("session.json : valide (session d'examen)"), "{}", run.stdout);
    assert!(
        run.stderr.contains("avertissement : ")
            && run.stderr.contains("session.json:/candidates/1/positions : des évaluations sont saisies"),
        "{}",
        run.stderr
    );

    let run = grille(&["score", path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Candidat·e 2026-002 — sans résultat"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Avertissement : des évaluations sont saisies (point(s) 1.1, 1.2, 2.1, 3.1) alors que le statut est « retrait pour motif valable » : elles sont conservées mais ignorées pour la note"),
        "{}",
        run.stdout
    );
    let run = grille(&["score", path, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(result["candidates"][1]["outcome"], "no_result");
    assert_eq!(result["candidates"][1]["parts"], json!([]));
    assert_eq!(result["candidates"][1]["warnings"].as_array().map(Vec::len), Some(1));
    assert_eq!(result["summary"]["no_result"], 1);
}

#[test]
fn a_broken_document_no_session_uses_is_named_and_left_out() {
    let dir = temp_dir("broken-documents");
    // A rubric with a level below zero, a file of no known kind, and a
    // copy of the example's case: none of them stops the example.
    let rubric = json!({"id": "grille-cassee", "version": "1", "title": {"fr": "Cassée"},
        "criteria": [{"id": "k1", "title": {"fr": "K"}, "levels": [
            {"points": -1, "descriptor": {"fr": "non"}}, {"points": 2, "descriptor": {"fr": "oui"}}]}]});
    std::fs::write(dir.join("grille-cassee.json"), rubric.to_string()).unwrap();
    std::fs::write(dir.join("notes.json"), r#"{"remarque": "à relire"}"#).unwrap();
    let run = grille(&["score", &example_path(), "--documents", dir.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("grille-cassee.json") && run.stderr.contains("fichier ignoré"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("notes.json") && run.stderr.contains("--kind"), "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1 + 5, "{}", run.stdout);

    // A session that pins the broken rubric fails at its pointer, with a hint.
    let mut session: Value = serde_json::from_str(&std::fs::read_to_string(example_path()).unwrap()).unwrap();
    session["rubrics"].as_array_mut().unwrap().push(json!({"id": "grille-cassee", "version": "1"}));
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    let run = grille(&["score", path.to_str().unwrap(), "--documents", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("/rubrics/4"), "{}", run.stderr);
    assert!(run.stderr.contains("ignoré(s) car invalide(s)"), "{}", run.stderr);
}

/// The example's candidates repeated `count` times over, numbered in
/// order.
fn session_of(count: usize) -> Value {
    let mut session = example_value();
    let examples = session["candidates"].as_array().unwrap().clone();
    let candidates: Vec<Value> = (0..count)
        .map(|index| {
            let mut candidate = examples[index % examples.len()].clone();
            candidate["number"] = json!(format!("2026-{index:04}"));
            candidate
        })
        .collect();
    session["candidates"] = json!(candidates);
    session
}

#[test]
fn every_core_scores_a_large_session_in_the_sessions_order_as_one_would() {
    // The typed reading scores candidates in batches on several threads;
    // the explaining path (the same session with its candidates first)
    // scores them one by one. Around the size of a batch (32 candidates for the CSV, 8 for JSON) and beyond, both
    // print the same bytes.
    let dir = temp_dir("score-batches");
    for count in [0, 1, 7, 8, 9, 31, 32, 33, 200] {
        let session = session_of(count);
        let typed = dir.join(format!("typed-{count}.json"));
        let explained = dir.join(format!("explained-{count}.json"));
        std::fs::write(&typed, serde_json::to_string_pretty(&session).unwrap()).unwrap();
        std::fs::write(&explained, candidates_first(&session)).unwrap();
        for format in [&["--format", "csv"][..], &["--format", "json"], &["--format", "json", "--compact"]] {
            let run = |path: &std::path::Path| {
                let mut args = vec!["score", path.to_str().unwrap()];
                args.extend_from_slice(format);
                grille(&args)
            };
            let (fast, reference) = (run(&typed), run(&explained));
            assert_eq!(fast.code, 0, "{count} {format:?}: {}", fast.stderr);
            assert_eq!(reference.code, 0, "{count} {format:?}: {}", reference.stderr);
            assert!(fast.stdout == reference.stdout, "{count} {format:?}: the outputs differ");
            if format[1] == "csv" {
                let (_, rows) = csv_table(&fast.stdout);
                let numbers: Vec<String> = rows.iter().map(|row| row[0].to_owned()).collect();
                let expected: Vec<String> = (0..count).map(|index| format!("2026-{index:04}")).collect();
                assert_eq!(numbers, expected, "{count}: one line per candidate, in the session's order");
            } else {
                let document: Value = serde_json::from_str(&fast.stdout).expect("valid JSON");
                assert_eq!(document["summary"]["candidates"], json!(count));
                assert_eq!(document["candidates"].as_array().unwrap().len(), count);
            }
        }
    }
}

#[test]
fn a_problem_deep_in_a_large_session_prints_nothing_and_is_named() {
    // Candidate 150 of 200 (in the fifth batch) reuses the number of
    // candidate 3, and candidate 199 has an unknown status.
    let mut session = session_of(200);
    session["candidates"][150]["number"] = json!("2026-0003");
    session["candidates"][199]["status"] = json!("sick");
    let dir = temp_dir("score-batches-bad");
    let path = dir.join("session.json");
    std::fs::write(&path, session.to_string()).unwrap();
    for format in ["csv", "json", "table"] {
        let run = grille(&["score", path.to_str().unwrap(), "--format", format]);
        assert_ne!(run.code, 0, "{format}");
        assert_eq!(run.stdout, "", "{format}: nothing printed");
        for pointer in ["/candidates/150/number", "/candidates/199/status"] {
            assert!(run.stderr.contains(pointer), "{format}: {pointer} in {}", run.stderr);
        }
    }
}
