//! The language of the CLI's own messages: German with `GRILLE_LANG=de` or
//! a German locale, Italian likewise, French otherwise. The engine's
//! decisions, conditions, flags and explanations are messages written in
//! that language too, and so are the validation problems of documents;
//! the catalogue's content stays French for now.

use crate::support::{Run, grille_with_env, repo_root};

const GERMAN: &[(&str, &str)] = &[("GRILLE_LANG", "de")];

fn german(args: &[&str]) -> Run {
    grille_with_env(args, GERMAN)
}

/// Asserts that `text` holds every one of `present` and none of `absent`.
fn assert_labels(what: &str, text: &str, present: &[&str], absent: &[&str]) {
    for label in present {
        assert!(text.contains(label), "{what}: {label:?} missing in\n{text}");
    }
    for label in absent {
        assert!(!text.contains(label), "{what}: {label:?} still there in\n{text}");
    }
}

#[test]
fn grade_points_in_german() {
    let run = german(&["grade", "points", "17", "--max", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_labels(
        "grade points",
        &run.stdout,
        &["Punkte:", "17 von 20", "Umrechnung:", "Berechnung:", "Rundung:", "Note:", "5.5 (genügend)"],
        &[
            "Points      :",
            " sur ",
            "Conversion  :",
            "Calcul",
            "Arrondi     :",
            "Note        :",
            "suffisante",
        ],
    );
    let run = german(&["grade", "points", "5", "--max", "20"]);
    assert_labels("insufficient", &run.stdout, &["(ungenügend)"], &["insuffisante"]);
}

#[test]
fn grade_errors_in_german() {
    let run = german(&["grade", "points", "abc", "--max", "20"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.trim(), "Fehler: Punkte: «abc» ist keine Dezimalzahl (z. B. 4.5)");
    let run = german(&["grade", "points", "17", "--max", "20", "--scale", "foo"]);
    assert_eq!(run.code, 1);
    assert_labels(
        "--scale",
        &run.stderr,
        &["Fehler: --scale:", "keine bekannte Skala"],
        &["erreur", "échelle"],
    );
}

#[test]
fn catalogue_list_in_german() {
    let run = german(&["catalogue", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_labels(
        "catalogue list",
        &run.stdout,
        &[
            "Fassung vom 2017-01-24",
            "(10 Kriterien)",
            "5 Handlungskompetenzbereiche, 28 Handlungskompetenzen, 270 Kriterien",
        ],
        &["Version du", " critères)", "domaines,"],
    );
}

#[test]
fn catalogue_show_in_german() {
    let run = german(&["catalogue", "show", "A7"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_labels(
        "catalogue show",
        &run.stdout,
        &["Handlungskompetenzbereich A:", "Arbeitssituation", "Leistungskriterien — ", "Handlungsfähigkeit"],
        &["Domaine A", "Situation de travail", "Critères de performance", "Potentiel de réalisation"],
    );
}

#[test]
fn an_unknown_competence_in_german() {
    let run = german(&["catalogue", "show", "A99"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(run.stderr.trim(), "Fehler: Unbekannte Kompetenz: «A99»");
}

#[test]
fn catalogue_search_in_german() {
    let run = german(&["catalogue", "search", "xyzzyq"]);
    assert_eq!(run.stdout.trim(), "Keine Treffer für «xyzzyq».");
    let run = german(&["catalogue", "search", "evaluation"]);
    assert_labels("search", &run.stdout, &["Kriterium", " Treffer."], &[" critère ", "résultats."]);
}

#[test]
fn validate_a_missing_file_in_german() {
    let session = repo_root().join("examples/session-demo.json");
    let run = german(&["validate", "/nonexistent/grille.json", session.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_labels(
        "validate stdout",
        &run.stdout,
        &["session-demo.json: gültig (Prüfungssession)"],
        &["valide", "session d'examen"],
    );
    assert_labels(
        "validate stderr",
        &run.stderr,
        &[
            "«/nonexistent/grille.json» kann nicht gelesen werden: Datei nicht gefunden",
            "1 von 2 Datei(en) ungültig.",
        ],
        &["impossible de lire", "fichier introuvable", "non valide"],
    );
}

#[test]
fn score_in_german() {
    let session = repo_root().join("examples/session-demo.json");
    let run = german(&["score", session.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_labels(
        "score",
        &run.stdout,
        &[
            "Bewertungsschema bf-asp-bareme-defaut (1.0), Prüfungsplan bf-asp-examen-final (1.0), Datei ",
            "Kandidat/in 2026-001 — bestanden, Gesamtnote 5.2",
            "  Prüfungsteil 1 ",
            " Pkt. ",
            "Expert/innen: ",
            "Einigung erfasst",
            "Quelle: ",
            "  Gesamtnote: ",
            "  Entscheid: ",
            "nicht bestanden",
            "5 Kandidat/innen: 2 bestanden, 3 nicht bestanden, 0 ausstehend, 0 ohne Ergebnis",
            "Keine offenen Abweichungen zwischen Expert/innen.",
            "Anhand der Prüfungsordnung zu bestätigende Annahmen (",
            // The assumptions themselves, from the documents' German translation.
            "  - Skala von 1 bis 6, genügend ab 4",
            "  - Gewichtungen: Die drei Prüfungsteile zählen gleich viel",
        ],
        &[
            "Barème ",
            "Candidat·e ",
            "Épreuve ",
            " pts ",
            "expert·e·s :",
            "accord enregistré",
            "source :",
            "Note globale :",
            "Décision :",
            "Échelle de 1 à 6",
            "candidat·e·s :",
            "Aucune divergence",
            "Hypothèses",
        ],
    );
    // The CSV is the results export people open in Excel: its column
    // names and words follow the reader's language, as the server's do.
    let csv = german(&["score", session.to_str().unwrap(), "--format", "csv"]);
    assert!(csv.stdout.starts_with("\u{feff}Nummer;Status;Versuch;"), "{}", csv.stdout);
}

#[test]
fn a_german_locale_gives_german() {
    for variable in ["LANG", "LC_MESSAGES", "LC_ALL"] {
        let run = grille_with_env(&["grade", "points", "17", "--max", "20"], &[(variable, "de_CH.UTF-8")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("Note:         5.5 (genügend)"), "{variable}: {}", run.stdout);
    }
    // GRILLE_LANG wins over the locale.
    let run =
        grille_with_env(&["catalogue", "show", "A99"], &[("GRILLE_LANG", "fr"), ("LANG", "de_CH.UTF-8")]);
    assert_eq!(run.stderr.trim(), "erreur : compétence inconnue : « A99 »");
}

#[test]
fn italian_with_grille_lang_or_an_italian_locale() {
    let run = grille_with_env(&["grade", "points", "17", "--max", "20"], &[("GRILLE_LANG", "it")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_labels(
        "grade points in Italian",
        &run.stdout,
        &["Punti:          17 su 20", "Nota:           5.5 (sufficiente)"],
        &["Points      :", "suffisante"],
    );
    let run = grille_with_env(&["catalogue", "show", "A99"], &[("LANG", "it_CH.UTF-8")]);
    assert_eq!(run.stderr.trim(), "errore: competenza sconosciuta: «A99»");
}

#[test]
fn without_any_language_setting_french() {
    let run = grille_with_env(&["grade", "points", "17", "--max", "20"], &[("LANG", "C.UTF-8")]);
    assert!(run.stdout.contains("Points      : 17 sur 20"), "{}", run.stdout);
}

#[test]
fn the_engine_speaks_german_in_the_score_table() {
    let session = repo_root().join("examples/session-demo.json");
    let run = german(&["score", session.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_labels(
        "score",
        &run.stdout,
        &[
            "Prüfung nicht bestanden (Gesamtnote",
            "Prüfung bestanden: Gesamtnote",
            "Prüfungsteilnote(n) unter 4.0",
            "gemeinsame Bewertung der Expertinnen und Experten",
        ],
        &["examen échoué", "examen réussi", "condition(s) non remplie(s)", "évaluation commune des"],
    );
    let run = german(&["grade", "points", "17", "--max", "20"]);
    assert_labels("conversion", &run.stdout, &["linear"], &["linéaire"]);
    // French stays what it was.
    let run = grille_with_env(&["score", session.to_str().unwrap()], &[("GRILLE_LANG", "fr")]);
    assert!(run.stdout.contains("examen échoué (note globale"), "{}", run.stdout);
}

/// A document's problems in the run's language: each line of
/// `grille validate` in German and Italian, and in French the line it has
/// always printed.
#[test]
fn validation_problems_in_the_runs_language() {
    let dir = crate::support::temp_dir("cli-problems-language");
    let rubric = dir.join("rubric.json");
    std::fs::write(
        &rubric,
        r#"{"id": " ", "version": "1", "title": {"fr": "Grille"},
 "criteria": [{"id": "k1", "title": {"fr": "Analyse"}, "catalogue_criteria": ["Z9.p1"], "weight": 2.5,
   "levels": [{"points": 0, "descriptor": {"fr": "non"}}]}]}"#,
    )
    .unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"id\": ").unwrap();
    let unquoted_weight = ["rubric.json:/criteria/0/weight", "(\"2.5\")"];
    // (language, file, lines expected on stderr, texts of another language)
    let cases: [(&str, &std::path::Path, Vec<String>, &[&str]); 5] = [
        (
            "de",
            &rubric,
            vec![format!(
                "{}: die Zahl 2.5 muss in Anführungszeichen geschrieben werden {}, um exakt zu bleiben",
                unquoted_weight[0], unquoted_weight[1]
            )],
            &["le nombre", "guillemets"],
        ),
        (
            "fr",
            &rubric,
            vec![format!(
                "{} : le nombre 2.5 doit être écrit entre guillemets {} pour rester exact : les nombres à virgule sans guillemets sont lus en virgule flottante binaire",
                unquoted_weight[0], unquoted_weight[1]
            )],
            &["Anführungszeichen"],
        ),
        (
            "de",
            &broken,
            vec!["broken.json:/: Ungültiges JSON in Zeile 1, Spalte 7: die Datei endet vor dem Ende des Dokuments".to_owned()],
            &["JSON invalide", "se termine"],
        ),
        (
            "it",
            &broken,
            vec!["broken.json:/: JSON non valido alla riga 1, colonna 7: il file termina prima della fine del documento".to_owned()],
            &["JSON invalide", "Ungültiges"],
        ),
        (
            "fr",
            &broken,
            vec!["broken.json:/ : JSON invalide à la ligne 1, colonne 7 : le fichier se termine avant la fin du document".to_owned()],
            &["Ungültiges"],
        ),
    ];
    for (language, file, lines, absent) in cases {
        let run = grille_with_env(&["validate", file.to_str().unwrap()], &[("GRILLE_LANG", language)]);
        assert_eq!(run.code, 1, "{language}: {}", run.stderr);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_labels(language, &run.stderr, &lines, absent);
    }
    // Once the number is quoted, the checks of meaning, in German.
    let text = std::fs::read_to_string(&rubric).unwrap().replace("2.5", "\"2.5\"");
    std::fs::write(&rubric, text).unwrap();
    let run = german(&["validate", rubric.to_str().unwrap()]);
    assert_labels(
        "checks of meaning",
        &run.stderr,
        &[
            "rubric.json:/id: die Kennung des Bewertungsrasters ist leer",
            "rubric.json:/criteria/0/catalogue_criteria/0: das Leistungskriterium Z9.p1 gibt es im Qualifikationsprofil nicht",
            "rubric.json:/criteria/0/levels: das Kriterium k1 muss mindestens zwei Stufen haben",
        ],
        &["est vide", "n'existe pas", "niveaux"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `grille serve` under a German (or Italian) locale says on its console,
/// in that language, where it listens, the first administrator it created,
/// the demo data it loaded and that it stops; and its refusals to start
/// (a weak administrator password, an address in use) too.
#[test]
fn serve_speaks_the_language_of_the_locale_on_its_console() {
    // (locale, lines said on starting and stopping, the French lines they replace)
    let rows: [(&str, [&str; 4], [&str; 3]); 2] = [
        (
            "de_CH.UTF-8",
            [
                "grille: bereit auf http://127.0.0.1:",
                "grille: Benutzer «admin» erstellt. Passwort (wird nur einmal angezeigt): ",
                "grille (Demo): Session «Demo 2026» geladen (Nr. 1), ",
                "grille: Beenden verlangt, laufende Anfragen werden abgeschlossen…",
            ],
            ["à l'écoute", "créé", "chargée"],
        ),
        (
            "it_CH.UTF-8",
            [
                "grille: in ascolto su http://127.0.0.1:",
                "grille: utente «admin» creato. Password (mostrata una sola volta): ",
                "grille (demo): sessione «Demo 2026» caricata (n. 1), ",
                "grille: arresto richiesto, conclusione delle richieste in corso…",
            ],
            ["à l'écoute", "créé", "chargée"],
        ),
    ];
    for (locale, [listening, admin, demo, stopping], french) in rows {
        let data = crate::support::temp_dir(&format!("serve-{locale}")).join("data");
        let server = crate::serve_cli::Server::start(&data, &["--demo"], &[("LANG", locale)]);
        let started = server.started().to_owned();
        assert_labels(locale, &started, &[listening, admin, demo], &french);

        // A second server on the same address is refused, in the same language.
        let data = data.to_str().unwrap().to_owned();
        let busy =
            grille_with_env(&["serve", "--addr", server.address(), "--data", &data], &[("LANG", locale)]);
        assert_eq!(busy.code, 1, "{locale}: {}", busy.stderr);
        let refusal = if locale.starts_with("de") {
            "kann nicht gehört werden"
        } else {
            "impossibile restare in ascolto"
        };
        assert_labels(locale, &busy.stderr, &[refusal, "--addr"], &["impossible d'écouter", "serveur :"]);

        // Serving (its pages built, its signals heard) before it is stopped.
        let (status, body) = server.request("GET", "/health", None);
        assert_eq!(status, 200, "{locale}: {body}");
        let (code, log) = server.terminate();
        assert_eq!(code, 0, "{locale}: {log}");
        assert_labels(locale, &log, &[stopping], &["arrêt demandé"]);
    }

    // A weak first administrator's password: the server does not start, and says why in German.
    let data = crate::support::temp_dir("serve-weak-admin").join("data");
    let run = grille_with_env(
        &["serve", "--addr", "127.0.0.1:0", "--data", data.to_str().unwrap()],
        &[("LANG", "de_CH.UTF-8"), ("GRILLE_ADMIN_PASSWORD", "kurz")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_labels(
        "weak password",
        &run.stderr,
        &["Das Passwort aus GRILLE_ADMIN_PASSWORD wird abgelehnt: ", "Der Server startet nicht."],
        &["refusé", "mise en place", "ne démarre pas"],
    );
}
