//! A document's problems read in the reader's language: the board writes a
//! bad rubric in the document bank and sees each problem in German (or
//! Italian), through the catalogue's `problem.<code>`, and in French the
//! sentence the checks have always written.

use axum::http::StatusCode;

use crate::support::{self, BOARD_PASSWORD};

/// A rubric without an id whose first criterion names a performance
/// criterion the profile does not have.
fn bad_rubric(csrf: &str) -> String {
    [
        ("csrf", csrf),
        ("kind", "rubric"),
        ("id", ""),
        ("version", "1"),
        ("title_fr", "Grille"),
        ("c0_id", "k1"),
        ("c0_title_fr", "Analyse"),
        ("c0_weight", "1"),
        ("c0_cc0", "Z9.p1"),
        ("c0_l0_points", "0"),
        ("c0_l0_fr", "non"),
        ("c0_l1_points", "2"),
        ("c0_l1_fr", "oui"),
    ]
    .iter()
    .map(|(name, value)| format!("{name}={value}"))
    .collect::<Vec<_>>()
    .join("&")
}

#[tokio::test]
async fn a_bad_upload_shows_its_problems_in_the_readers_language() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.unwrap();
    // (language, texts shown, texts of another language not shown)
    let cases = [
        (
            "de",
            vec![
                "die Kennung des Bewertungsrasters ist leer",
                "das Leistungskriterium Z9.p1 gibt es im Qualifikationsprofil nicht",
            ],
            vec!["est vide", "n&#x27;existe pas dans le profil"],
        ),
        (
            "it",
            vec![
                "manca l&#x27;identificativo della griglia",
                "il criterio di prestazione Z9.p1 non esiste nel profilo di qualificazione",
            ],
            vec!["est vide", "ist leer"],
        ),
        (
            "fr",
            vec![
                "l&#x27;identifiant de la grille est vide",
                "le critère de performance Z9.p1 n&#x27;existe pas dans le profil de qualification",
            ],
            vec!["ist leer"],
        ),
    ];
    for (language, shown, absent) in cases {
        let page = app
            .send("POST", &format!("/documents/new?lang={language}"), &cookie, Some(&bad_rubric(&csrf)))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{language}: {}", page.body);
        for text in shown {
            assert!(page.body.contains(text), "{language}: {text} not shown");
        }
        for text in absent {
            assert!(!page.body.contains(text), "{language}: {text} shown");
        }
        assert!(!page.body.contains('⟦'), "{language}: a key is missing");
    }
}
