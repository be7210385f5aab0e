//! The trainer's and the candidate's loops: the class grid of a mock exam,
//! the cohort enrolled by CSV, the filled rubric, the development plan,
//! and the ways through each role's pages.

use axum::http::StatusCode;

use crate::support::{PASSWORD, app};

/// The cells of one row of a grid table, as text.
fn row_of<'a>(body: &'a str, table: &str, candidate: &str) -> &'a str {
    let table_at = body.find(&format!(r#"id="{table}""#)).unwrap_or_else(|| panic!("no {table}: {body}"));
    let rest = &body[table_at..];
    let start =
        rest.find(&format!(r#"data-candidate="{candidate}""#)).unwrap_or_else(|| panic!("no {candidate}"));
    let end = rest[start..].find("</tr>").unwrap();
    &rest[start..start + end]
}

#[tokio::test]
async fn the_class_grid_shows_the_mock_while_it_is_scored() {
    let app = app();
    let (cookie, _) = app.login("formatrice-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let session = app.send("GET", "/trainer/sessions/2", &cookie, None).await;
    assert!(session.body.contains(r#"href="/trainer/sessions/2/grid""#), "{}", session.body);
    let grid = app.send("GET", "/trainer/sessions/2/grid", &cookie, None).await;
    assert_eq!(grid.status, StatusCode::OK, "{}", grid.body);
    let body = &grid.body;
    for id in ["grid-competences", "grid-categories", "grid-incomplete", "grid-withheld", "grid-csv"] {
        assert!(body.contains(&format!(r#"id="{id}""#)), "{id}: {body}");
    }
    // ECOLE-01 is scored by both trainers: its cells are shares, and the
    // weakest of its row is said in words, not by colour only.
    let first = row_of(body, "grid-competences", "ECOLE-01");
    assert!(first.contains(" %"), "{first}");
    assert!(first.contains("(la plus faible de la ligne)"), "{first}");
    // ECOLE-03 is not scored: nothing to show, and the cells say why.
    let third = row_of(body, "grid-competences", "ECOLE-03");
    assert!(!third.contains(" %") && third.contains("(en attente de votre évaluation)"), "{third}");
    let categories = row_of(body, "grid-categories", "ECOLE-01");
    assert_eq!(categories.matches("<td").count(), 4, "{categories}");
    // The CSV: BOM, `;`, the columns in the reader's language.
    let csv = app.send("GET", "/trainer/sessions/2/grid.csv", &cookie, None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("\u{feff}numero;nom;"), "{}", csv.body);
    assert!(csv.body.contains("Potentiel de réalisation"), "{}", csv.body);
    assert!(csv.body.lines().any(|line| line.starts_with("ECOLE-01;")), "{}", csv.body);
    assert!(csv.body.lines().any(|line| line.starts_with("Classe;")), "{}", csv.body);
    let german = app.send("GET", "/trainer/sessions/2/grid.csv?lang=de", &cookie, None).await;
    assert!(german.body.starts_with("\u{feff}Nummer;Name;"), "{}", german.body);
    // Outside the school's mock exams there is no grid.
    for uri in ["/trainer/sessions/1/grid", "/trainer/sessions/99/grid.csv"] {
        assert_eq!(app.send("GET", uri, &cookie, None).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let (candidate, _) =
        app.login("candidat-ecole-demo", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    assert_eq!(
        app.send("GET", "/trainer/sessions/2/grid", &candidate, None).await.status,
        StatusCode::FORBIDDEN
    );
}
