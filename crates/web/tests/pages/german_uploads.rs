//! The API's own checks read in the reader's language: a board member
//! working in German sees the problems of an accounts, enrolment,
//! assignment or master-data file, and an examiner the problems of a
//! refused form, in German (codes `problem.<code>` of the catalogue), never
//! the French sentence the API writes beside the code.

use axum::http::StatusCode;

use crate::support::{self, BOARD_PASSWORD, PASSWORD};

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(name, value)| format!("{name}={}", urlencode(value))).collect::<Vec<_>>().join("&")
}

/// Checks that `body` shows every text of `shown` and none of `absent`.
fn says(what: &str, body: &str, shown: &[&str], absent: &[&str]) {
    for text in shown {
        assert!(body.contains(text), "{what}: «{text}» not shown in {body}");
    }
    for text in absent {
        assert!(!body.contains(text), "{what}: «{text}» shown in {body}");
    }
    assert!(!body.contains('⟦'), "{what}: a key is missing");
}

#[tokio::test]
async fn the_problems_of_an_accounts_file_read_in_german() {
    let app = support::app_with_board();
    let (board, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("the board logs in");
    let bad = "utilisateur;rôle;numéro\n\
               anna;expert·e;\n\
               anna;expert·e;\n\
               bob;chef;\n\
               c-1;candidat;2026-002\n\
               c-2;candidat;2026-002\n";
    let preview = app
        .send(
            "POST",
            "/board/users/import/preview?lang=de",
            &board,
            Some(&form(&[("csrf", &csrf), ("csv", bad)])),
        )
        .await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says(
        "accounts",
        &preview.body,
        &[
            "Der Benutzername «anna» steht bereits auf Zeile 2.",
            "Unbekannte Rolle «chef»",
            "Die Nummer «2026-002» steht bereits auf Zeile 5.",
        ],
        &["figure déjà", "Rôle inconnu", "formateur·trice"],
    );
    let unknown = "utilisateur;rôle;Farbe\nanna;expert;rot\n";
    let preview = app
        .send(
            "POST",
            "/board/users/import/preview?lang=de",
            &board,
            Some(&form(&[("csrf", &csrf), ("csv", unknown)])),
        )
        .await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says(
        "accounts header",
        &preview.body,
        &[
            "Unbekannte Spalte «Farbe» (erkanntes Trennzeichen: Strichpunkt «;»). Erwartete Spalten: «Benutzername» (",
            "«Schule» (école, school, Schule, scuola, freiwillig)",
        ],
        &["Colonne inconnue", "séparateur lu", "facultative"],
    );
    // In French, the sentence the API has always written.
    let preview = app
        .send(
            "POST",
            "/board/users/import/preview?lang=fr",
            &board,
            Some(&form(&[("csrf", &csrf), ("csv", unknown)])),
        )
        .await;
    says(
        "accounts header in French",
        &preview.body,
        &[
            "Colonne inconnue « Farbe » (séparateur lu : point-virgule « ; »). Colonnes attendues : « nom d&#x27;utilisateur » (",
        ],
        &["Unbekannte Spalte"],
    );
}

#[tokio::test]
async fn the_problems_of_enrolment_and_assignment_files_read_in_german() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("the board logs in");
    let answer =
        app.send("POST", "/board/sessions", &cookie, Some(&format!("name=Herbst&csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let session = answer.location.split('?').next().expect("a path").to_owned();

    let bad = "numero,nom,prenom\n2027-001,Muster,Anna\nmauvais numéro,Muster,Bea\n2027-001,Muster,Cleo\n2027-004,Muster\n";
    let body = form(&[("csrf", &csrf), ("csv", bad)]);
    let preview =
        app.send("POST", &format!("{session}/enrolment/preview?lang=de"), &cookie, Some(&body)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says(
        "enrolment",
        &preview.body,
        &[
            "Ungültige Kandidatennummer: 1 bis 32 Buchstaben, Ziffern oder «-».",
            "Die Nummer 2027-001 kommt zweimal vor.",
            "2 Wert(e) statt 3 (erkanntes Trennzeichen: Komma «,»).",
        ],
        &["Numéro de candidat·e invalide", "figure deux fois", "valeur(s) au lieu de"],
    );

    let no_examiner = "numero;epreuve\n2027-001;1\n";
    let body = form(&[("csrf", &csrf), ("csv", no_examiner)]);
    let preview =
        app.send("POST", &format!("{session}/assignments/preview?lang=de"), &cookie, Some(&body)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says("assignments header", &preview.body, &["Keine Spalte für Experten"], &["Aucune colonne"]);

    let bad = "numero;epreuve;expert\n2027-001;1;personne\n2027-001;1;personne\n";
    let body = form(&[("csrf", &csrf), ("csv", bad)]);
    let preview =
        app.send("POST", &format!("{session}/assignments/preview?lang=de"), &cookie, Some(&body)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says(
        "assignments",
        &preview.body,
        &[
            "Unbekannter Benutzer.",
            "Diese Nummer ist in dieser Session nicht eingeschrieben.",
            "Diese Zeile wiederholt Zeile 2.",
        ],
        &["Utilisateur inconnu", "n&#x27;est pas inscrit", "répète la ligne"],
    );
}

#[tokio::test]
async fn the_problems_of_a_master_data_file_read_in_german() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("the board logs in");
    let bad = "Nummer;Name;Vorname;Geburtsdatum;Prüfungssprache;Wohnkanton\n\
               2026-001;Meier;Lea;1990/12/31;de;BE\n\
               2026-002;Rossi;Marco;31.04.1985;rm;XY\n\
               2026-001;Meier;Lea;31.12.1990;de;BE\n";
    let body = form(&[("csrf", &csrf), ("csv", bad)]);
    let preview = app.send("POST", "/board/sessions/1/register/preview?lang=de", &cookie, Some(&body)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says(
        "master data",
        &preview.body,
        &[
            "«1990&#x2f;12&#x2f;31» ist kein Datum",
            "«31.04.1985»: Diesen Tag gibt es nicht.",
            "«rm» ist keine Prüfungssprache: fr, de oder it.",
            "«XY» ist kein Kanton",
            "Die Nummer 2026-001 kommt zweimal vor.",
        ],
        &[
            "n&#x27;est pas une date",
            "ce jour n&#x27;existe pas",
            "n&#x27;est pas un canton",
            "figure deux fois",
        ],
    );
}

#[tokio::test]
async fn a_refused_scoring_form_says_its_problems_in_german() {
    let app = support::app_with_board();
    let (cookie, csrf) =
        app.login("exp-01", PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    let uri = "/examiner/sessions/1/candidates/2026-006/positions/1.1?lang=de";
    let body = format!("action=submit&points-c1=7&csrf={csrf}");
    let refused = app.send("POST", uri, &cookie, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    says(
        "scoring form",
        &refused.body,
        &["Keine Stufe des Kriteriums c1 ist 7 Punkt(e) wert", "hat keine Antwort."],
        &["Aucun niveau", "n&#x27;a pas de réponse"],
    );
    // The page's script gets the same texts, and those of a refused login.
    let page = app.send("GET", uri, &cookie, None).await;
    let texts = page.body.split(r#"data-refusals=""#).nth(1).and_then(|rest| rest.split('"').next());
    let texts = texts.expect("the form carries its script's texts");
    for text in ["Das Kriterium {criterion} hat keine Antwort.", "Benutzername oder Passwort ist falsch."] {
        assert!(texts.contains(text), "{text} not in {texts}");
    }
    // The rubric's heading: its German title, its version and the note
    // that the German text is grille's translation.
    assert!(page.body.contains(r#"id="rubric-translation""#), "{}", page.body);
    assert!(page.body.contains("Übersetzung von"), "{}", page.body);
    assert!(page.body.contains("Reflexionsbericht"), "{}", page.body);
}

/// The file of the cases to fill in names its columns in German for a
/// German reader (names the upload reads), in French otherwise.
#[tokio::test]
async fn the_case_file_to_fill_in_names_its_columns_in_the_readers_language() {
    let app = support::app_with_board();
    let (board, _) = app.login("commission", BOARD_PASSWORD).await.expect("the board logs in");
    for (lang, header) in [
        ("de", "Nummer;Beurteilungspunkt;Fall;Version"),
        ("fr", "numero;point d'appréciation;cas;version"),
        ("it", "numero;point d'appréciation;cas;version"),
    ] {
        let uri = format!("/board/sessions/1/cases/csv/template.csv?lang={lang}");
        let answer = app.send("GET", &uri, &board, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{lang}: {}", answer.body);
        let first = answer.body.trim_start_matches('\u{feff}').lines().next().unwrap_or_default().to_owned();
        assert_eq!(first, header, "{lang}");
    }
}

/// The column tables of the board's uploads (enrolment, assignment, cases,
/// master data) name on a German page the German header each upload reads
/// first, the French one beside it marked `lang="fr"`; a French page names
/// the French ones unmarked. The account import's cancel link says where
/// it leads (the account list, not a session).
#[tokio::test]
async fn the_upload_columns_are_named_in_german_on_a_german_page() {
    let app = support::app_with_board();
    let (cookie, csrf) = app.login("commission", BOARD_PASSWORD).await.expect("the board logs in");
    let answer =
        app.send("POST", "/board/sessions", &cookie, Some(&format!("name=Herbst&csrf={csrf}"))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let session = answer.location.split('?').next().expect("a path").to_owned();
    let pages = [
        (
            format!("{session}?lang=de"),
            vec![
                r#"<code>Nummer</code>, <code lang="fr">numero</code>"#,
                r#"<code>Nachname</code>, <code lang="fr">nom</code>"#,
                r#"<code>E-Mail</code>, <code lang="fr">courriel</code>"#,
            ],
            vec!["<code>numero</code>", "<code>nom</code>"],
        ),
        (
            format!("{session}?lang=fr"),
            vec!["<code>numero</code>", "<code>nom</code>", "<code>courriel</code>"],
            vec!["Nummer</code>", r#"lang="fr">numero"#],
        ),
        (
            "/board/sessions/1?lang=de".to_owned(),
            vec![
                r#"<code>Prüfungsteil</code>, <code lang="fr">epreuve</code>"#,
                r#"<code>Experte 1</code>, <code>Experte 2</code>, <code lang="fr">expert 1</code>, <code lang="fr">expert 2</code>"#,
            ],
            vec!["<code>epreuve</code>", "<code>expert</code>"],
        ),
        (
            "/board/sessions/1/cases?lang=de".to_owned(),
            vec![
                r#"<code>Beurteilungspunkt</code>, <code lang="fr">point d&#x27;appréciation</code>"#,
                r#"<code>Fall</code>, <code lang="fr">cas</code>"#,
            ],
            vec!["<code>point d&#x27;appréciation</code>", "<code>cas</code>"],
        ),
        (
            "/board/sessions/1/register?lang=de".to_owned(),
            vec![
                r#"<code>Geburtsdatum</code>, <code lang="fr">date de naissance</code>"#,
                r#"<code>Heimatort</code>, <code lang="fr">lieu d&#x27;origine</code>"#,
                r#"<code>Prüfungssprache</code>, <code lang="fr">langue</code>"#,
            ],
            vec!["<code>date de naissance</code>", "<code>langue</code>"],
        ),
    ];
    for (uri, shown, absent) in &pages {
        let page = app.send("GET", uri, &cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        says(uri, &page.body, shown, absent);
    }
    let file = "utilisateur;rôle\nanna;chef\n";
    let preview = app
        .send(
            "POST",
            "/board/users/import/preview?lang=de",
            &cookie,
            Some(&form(&[("csrf", &csrf), ("csv", file)])),
        )
        .await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    says("account import", &preview.body, &["Abbrechen und zur Kontenliste zurück"], &["zur Session zurück"]);
}
