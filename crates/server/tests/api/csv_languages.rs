//! The CSV exports in the reader's language (`lang=fr|de|it`): the results
//! by criterion and every table of the exam's quality name their columns
//! and write their words in that language; the numbers, ids and codes are
//! the same in every language, and French stays as it was.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{prepare_example, score_example};

/// The lines of a CSV answer, after its byte order mark.
async fn csv_lines(app: &TestApp, uri: &str, token: &Auth) -> Vec<String> {
    let answer = app.get(uri, token).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {:#}", answer.body);
    let text = answer.body.as_str().unwrap_or_else(|| panic!("{uri}: not text"));
    assert!(text.starts_with('\u{feff}'), "{uri}: no byte order mark");
    text.trim_start_matches('\u{feff}').lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn the_results_by_criterion_and_the_quality_tables_follow_the_requested_language() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let finalised = app.post_json(&format!("/api/sessions/{id}/finalise"), &admin, &json!({})).await;
    assert_eq!(finalised.status, StatusCode::OK, "{:#}", finalised.body);

    // (query, header, the agreed evaluation's source, the marks "points",
    // "not assessable", "missing")
    let criterion_layouts = [
        (
            "",
            "numero;epreuve;point;source;critere;marque;points;points_max;note_point",
            "commune",
            ["points", "non évaluable", "manquant"],
        ),
        (
            "&lang=de",
            "nummer;pruefungsteil;position;quelle;kriterium;bewertung;punkte;punkte_max;note_position",
            "gemeinsam",
            ["Punkte", "nicht beurteilbar", "fehlend"],
        ),
        (
            "&lang=it",
            "numero;parte;punto;fonte;criterio;valutazione;punti;punti_max;nota_punto",
            "comune",
            ["punti", "non valutabile", "mancante"],
        ),
    ];
    let uri = |query: &str| format!("/api/sessions/{id}/results/csv?layout=criterion{query}");
    let french = csv_lines(&app, &uri(""), &admin).await;
    assert_eq!(csv_lines(&app, &uri("&lang=fr"), &admin).await, french, "lang=fr is the default");
    assert!(french.len() > 20, "{french:?}");
    for (query, header, agreed, marks) in criterion_layouts {
        let lines = csv_lines(&app, &uri(query), &admin).await;
        assert_eq!(lines[0], header, "{query}");
        assert_eq!(lines.len(), french.len(), "{query}");
        let mut sources = 0;
        for (line, french_line) in lines.iter().zip(&french).skip(1) {
            let fields: Vec<&str> = line.split(';').collect();
            let french_fields: Vec<&str> = french_line.split(';').collect();
            // The words in the language asked for, everything else as in French.
            let source = if french_fields[3] == "commune" { agreed } else { french_fields[3] };
            sources += usize::from(fields[3] == agreed);
            let mark = match french_fields[5] {
                "points" => marks[0],
                "non évaluable" => marks[1],
                "manquant" => marks[2],
                other => panic!("an unknown mark {other:?} in {french_line}"),
            };
            let mut expected = french_fields.clone();
            expected[3] = source;
            expected[5] = mark;
            assert_eq!(fields, expected, "{query}");
        }
        assert!(sources > 0, "{query}: the example has agreed evaluations");
    }

    // Each quality table: the header in the language asked for (the
    // statistics' own names alike), the rows the same but for the row of
    // all positions.
    // (table, French header's start, German's, Italian's)
    let tables = [
        (
            "severity",
            "epreuve;expert;evaluations;",
            "pruefungsteil;experte;bewertungen;",
            "parte;perito;valutazioni;",
        ),
        (
            "candidates",
            "epreuve;numero;evaluations;",
            "pruefungsteil;nummer;bewertungen;",
            "parte;numero;valutazioni;",
        ),
        (
            "criteria",
            "epreuve;point;grille;critere;",
            "pruefungsteil;position;raster;kriterium;",
            "parte;punto;griglia;criterio;",
        ),
        ("icc", "point;cibles;icc_1_1;", "position;leistungen;icc_1_1;", "punto;prestazioni;icc_1_1;"),
    ];
    for (table, fr, de, it) in tables {
        let uri = |lang: &str| format!("/api/sessions/{id}/quality/csv?table={table}{lang}");
        let french = csv_lines(&app, &uri(""), &admin).await;
        assert_eq!(
            csv_lines(&app, &uri("&lang=fr"), &admin).await,
            french,
            "{table}: lang=fr is the default"
        );
        assert!(french[0].starts_with(fr), "{table}: {}", french[0]);
        for (lang, start, all) in [("de", de, "alle"), ("it", it, "tutti")] {
            let lines = csv_lines(&app, &uri(&format!("&lang={lang}")), &admin).await;
            assert!(lines[0].starts_with(start), "{table} {lang}: {}", lines[0]);
            let columns = |line: &str| line.split(';').count();
            assert_eq!(columns(&lines[0]), columns(&french[0]), "{table} {lang}");
            // The statistics' own names in every language; every other
            // German name is German (an Italian one may be the French
            // word, as "numero").
            for (name, french_name) in lines[0].split(';').zip(french[0].split(';')) {
                let statistic = ["infit", "outfit"].contains(&name) || name.starts_with("icc_");
                if statistic || lang == "de" {
                    assert_eq!(name == french_name, statistic, "{table} {lang}: {name} / {french_name}");
                }
                assert!(!name.is_empty() && !name.contains('⟦'), "{table} {lang}: {}", lines[0]);
            }
            assert_eq!(lines.len(), french.len(), "{table} {lang}");
            for (line, french_line) in lines.iter().zip(&french).skip(1) {
                match french_line.strip_prefix("tous;") {
                    Some(rest) => assert_eq!(*line, format!("{all};{rest}"), "{table} {lang}"),
                    None => assert_eq!(line, french_line, "{table} {lang}"),
                }
            }
        }
        if table == "icc" {
            assert!(french.iter().any(|line| line.starts_with("tous;")), "{french:?}");
        }
    }
}
