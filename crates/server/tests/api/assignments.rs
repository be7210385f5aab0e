//! Examiner assignments from a CSV file, as boards write them: one row per
//! examiner or one row per pair, French, German or English headers, `;`,
//! `,` or tab; all or nothing, every bad row reported by line and column,
//! the preview saving nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{Auth, TestApp, spawn_app};

/// What an assignment file must give: the assignments as (line, number,
/// part, examiner), or the problems as (line, field, a piece of the detail).
enum Expect {
    Assigned(&'static [(u64, &'static str, &'static str, &'static str)]),
    Problems(&'static [(u64, Option<&'static str>, &'static str)]),
}

async fn prepare(app: &TestApp, admin: &Auth, session: i64) {
    for username in ["expert2", "expert3"] {
        let body = json!({"username": username, "password": "long-enough-pw", "role": "examiner"});
        let answer = app.post_json("/api/users", admin, &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    }
    let csv = "numero;nom;prenom\nA1;Muster;Anna\nA2;Muster;Bea\nA3;Muster;Carla\nA4;Muster;Dora\n";
    let answer =
        app.post_raw(&format!("/api/sessions/{session}/candidates/csv"), admin, "text/csv", csv).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
}

fn assigned(body: &Value) -> Vec<(u64, String, String, String)> {
    body["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let text = |key: &str| a[key].as_str().unwrap().to_owned();
            (a["line"].as_u64().unwrap(), text("candidate_number"), text("part"), text("examiner"))
        })
        .collect()
}

#[tokio::test]
async fn csv_assignments_are_all_or_nothing_with_every_bad_row_by_line_and_column() {
    let app = spawn_app();
    let login = app.admin().await;
    let admin = login.bearer();
    let session = app.session(&login).await;
    prepare(&app, &admin, session).await;
    let cases: Vec<(&str, &str, Expect)> = vec![
        (
            "French header, `;`, one examiner per row",
            "numéro;épreuve;expert·e\nA1;1;expert\nA1;1;expert2\n",
            Expect::Assigned(&[(2, "A1", "1", "expert"), (3, "A1", "1", "expert2")]),
        ),
        (
            "English header, `,`, a pair per row, a second examiner left empty",
            "number,part,examiner 1,examiner 2\nA2,2,expert,expert2\nA3,3,expert2,\n",
            Expect::Assigned(&[
                (2, "A2", "2", "expert"),
                (2, "A2", "2", "expert2"),
                (3, "A3", "3", "expert2"),
            ]),
        ),
        (
            "German header, tab, BOM and CRLF",
            "\u{feff}Nummer\tPrüfungsteil\tExpertin\r\nA4\t1\texpert3\r\n",
            Expect::Assigned(&[(2, "A4", "1", "expert3")]),
        ),
        (
            "French header, `;`, every kind of bad row",
            "numero;epreuve;expert 1;expert 2\n\
             A1;1;expert;expert3\n\
             Z9;1;expert;expert2\n\
             A4;9;expert;expert2\n\
             A4;2;personne;admin\n\
             A4;3;expert3;expert3\n\
             A4;2;expert3;expert2\n\
             A4;2;expert3;expert2\n\
             A4;2;expert2;\n\
             A4;3;;\n\
             A4,3,expert\n",
            Expect::Problems(&[
                (
                    2,
                    Some("examiner_1"),
                    "déjà attribué·e à ce·tte candidat·e pour cette épreuve (attribution enregistrée)",
                ),
                (3, Some("candidate_number"), "n'est pas inscrit"),
                (4, Some("part"), "Épreuve inconnue du plan d'examen ; épreuves : 1, 2, 3."),
                (5, Some("examiner_1"), "Utilisateur inconnu"),
                (5, Some("examiner_2"), "n'a pas le rôle d'expert·e"),
                (6, Some("examiner_2"), "expert3 figure deux fois"),
                (8, None, "répète la ligne 7"),
                (9, Some("examiner_1"), "à la ligne 7"),
                (10, Some("examiner_1"), "Aucun·e expert·e"),
                (11, None, "1 valeur(s) au lieu de 4 (séparateur lu : point-virgule"),
            ]),
        ),
        (
            "`,` file, one examiner per row: the same row twice, a bad number",
            "numero,epreuve,expert\nA4,2,expert\nA4,2,expert\nA 4,2,expert\n",
            Expect::Problems(&[(3, None, "répète la ligne 2"), (4, Some("candidate_number"), "invalide")]),
        ),
        (
            "no examiner column",
            "numero;epreuve\nA4;2\n",
            Expect::Problems(&[(1, Some("examiner"), "Aucune colonne d'expert·e")]),
        ),
        (
            "an unknown column: the accepted names are listed",
            "numero;epreuve;expert;Telefon\nA4;2;expert;079\n",
            Expect::Problems(&[(
                1,
                Some("Telefon"),
                "« épreuve » (epreuve, épreuve, part, Prüfungsteil, Teil)",
            )]),
        ),
        ("no row", "numéro;épreuve;expert\n", Expect::Problems(&[(2, None, "aucune attribution")])),
    ];
    for (what, csv, expect) in cases {
        for route in ["csv/preview", "csv"] {
            let uri = format!("/api/sessions/{session}/assignments/{route}");
            let answer = app.post_raw(&uri, &admin, "text/csv; charset=utf-8", csv).await;
            match &expect {
                Expect::Assigned(expected) => {
                    if route == "csv" {
                        assert_eq!(answer.status, StatusCode::CREATED, "{what}: {:#}", answer.body);
                        assert_eq!(answer.body["assigned"], expected.len(), "{what}");
                    } else {
                        assert_eq!(answer.status, StatusCode::OK, "{what}: {:#}", answer.body);
                        let expected: Vec<(u64, String, String, String)> = expected
                            .iter()
                            .map(|(line, n, p, e)| (*line, n.to_string(), p.to_string(), e.to_string()))
                            .collect();
                        assert_eq!(assigned(&answer.body), expected, "{what}");
                    }
                }
                Expect::Problems(problems) => {
                    let problem = answer.problem(422, what);
                    let errors = problem["errors"].as_array().unwrap();
                    assert_eq!(errors.len(), problems.len(), "{what} ({route}): {problem:#}");
                    for (error, (line, field, detail)) in errors.iter().zip(problems.iter()) {
                        assert_eq!(error["line"], *line, "{what}: {error:#}");
                        assert_eq!(error["field"].as_str(), *field, "{what}: {error:#}");
                        let text = error["detail"].as_str().unwrap();
                        assert!(text.contains(detail), "{what}: {text:?} lacks {detail:?}");
                    }
                }
            }
        }
    }
    // Only the good files were saved, each assignment audited.
    let list = app.get(&format!("/api/sessions/{session}/assignments"), &admin).await;
    let saved: Vec<String> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} {} {}", a["candidate_number"], a["part"], a["examiner"]).replace('"', ""))
        .collect();
    assert_eq!(
        saved,
        ["A1 1 expert", "A1 1 expert2", "A2 2 expert", "A2 2 expert2", "A3 3 expert2", "A4 1 expert3"]
    );
    let log = app.get("/api/audit?entity=examiner_assignment", &admin).await;
    assert_eq!(log.status, StatusCode::OK, "{:#}", log.body);
    let actions: Vec<&str> =
        log.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["assignment.create"; 6]);
}

#[tokio::test]
async fn csv_assignments_follow_the_rules_of_single_assignments() {
    let app = spawn_app();
    let login = app.admin().await;
    let admin = login.bearer();
    let session = app.session(&login).await;
    prepare(&app, &admin, session).await;
    let uri = format!("/api/sessions/{session}/assignments/csv");
    let csv = "numero;epreuve;expert\nA1;1;expert\n";
    // Only `text/csv`.
    app.post_raw(&uri, &admin, "application/json", csv).await.problem(415, "JSON content type");
    // An examiner may not assign.
    app.post_raw(&uri, &app.expert().await.bearer(), "text/csv", csv).await.problem(403, "examiner");
    // A session out of reach does not exist.
    let missing = format!("/api/sessions/{}/assignments/csv/preview", session + 100);
    app.post_raw(&missing, &admin, "text/csv", csv).await.problem(404, "no such session");
    let answer = app.post_raw(&uri, &admin, "text/csv", csv).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
}
