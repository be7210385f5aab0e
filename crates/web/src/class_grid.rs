//! The class grid of a mock exam for its trainers: candidate × competence
//! and candidate × criterion category, from `GET
//! /api/sessions/{id}/class-grid` (the server decides what counts: the
//! official evaluations, else those submitted so far, never a position
//! whose own evaluation the trainer has not submitted yet). The weakest
//! cells are marked by words as well as by colour, incomplete cells say
//! so, and the grid downloads as CSV.
//!
//! Routes: `GET /trainer/sessions/{id}/grid`, `GET
//! /trainer/sessions/{id}/grid.csv`.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grille_competence::LocalizedText;
use grille_report::candidate::{self as pages, Page};
use grille_report::pages::AccountLayout;
use grille_server::{ClassGrid, GridCell, SessionView};
use grille_workflow::SessionKind;
use serde::Serialize;

use crate::page::{PageError, TrainerAccount};

pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/trainer/sessions/{id}/grid", get(page))
        .route("/trainer/sessions/{id}/grid.csv", get(csv))
}

/// A column: a competence (its id and short title) or a category.
#[derive(Debug, Serialize)]
struct Column {
    id: String,
    title: Option<LocalizedText>,
    key: Option<String>,
}

/// A cell as the template prints it.
#[derive(Debug, Serialize)]
struct CellView {
    percent: Option<String>,
    points: String,
    max_points: String,
    incomplete: bool,
    withheld: bool,
    weak: bool,
    weakest: bool,
}

impl From<&GridCell> for CellView {
    fn from(cell: &GridCell) -> Self {
        CellView {
            percent: cell.percent.map(|percent| format!("{percent:.1}")),
            points: cell.points.normalize().to_string(),
            max_points: cell.max_points.normalize().to_string(),
            incomplete: cell.incomplete,
            withheld: cell.withheld,
            weak: cell.weak,
            weakest: cell.weakest,
        }
    }
}

#[derive(Debug, Serialize)]
struct RowView {
    number: String,
    name: Option<String>,
    status_key: &'static str,
    competences: Vec<CellView>,
    categories: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct SessionHeader {
    id: i64,
    name: String,
    state_key: &'static str,
}

#[derive(Debug, Serialize)]
struct GridView {
    account: AccountLayout,
    session: SessionHeader,
    competences: Vec<Column>,
    categories: Vec<Column>,
    rows: Vec<RowView>,
    class_competences: Vec<CellView>,
    class_categories: Vec<CellView>,
    incomplete: bool,
    withheld: bool,
}

/// The grid of the trainer's mock session `id` (another kind: 404).
async fn grid_of(trainer: &TrainerAccount, id: i64) -> Result<ClassGrid, PageError> {
    let session: SessionView = trainer.get(&format!("/api/sessions/{id}")).await?;
    if session.kind != SessionKind::Mock {
        return Err(trainer.not_found());
    }
    trainer.get(&format!("/api/sessions/{id}/class-grid")).await
}

fn status_key(status: &str) -> &'static str {
    grille_scoring::CandidateStatus::parse(status)
        .map_or("exam.status.present", grille_report::exam::status_key)
}

async fn page(trainer: TrainerAccount, Path(id): Path<i64>) -> Result<Response, PageError> {
    let grid = grid_of(&trainer, id).await?;
    let catalogue = trainer.state.catalogue();
    let competences = grid
        .competences
        .iter()
        .map(|id| Column {
            id: id.clone(),
            title: catalogue
                .competence(id)
                .map(|competence| competence.short_title.clone().unwrap_or_else(|| competence.title.clone())),
            key: None,
        })
        .collect();
    let categories = grid
        .categories
        .iter()
        .map(|key| Column { id: key.clone(), title: None, key: Some(format!("category.{key}")) })
        .collect();
    let cells = |cells: &[GridCell]| cells.iter().map(CellView::from).collect::<Vec<_>>();
    let view = GridView {
        account: trainer.account.view(),
        session: SessionHeader {
            id,
            name: grid.name.clone(),
            state_key: crate::trainer::state_key(grid.state),
        },
        competences,
        categories,
        rows: grid
            .rows
            .iter()
            .map(|row| RowView {
                number: row.number.clone(),
                name: row.name.clone(),
                status_key: status_key(&row.status),
                competences: cells(&row.competences),
                categories: cells(&row.categories),
            })
            .collect(),
        class_competences: cells(&grid.class_competences),
        class_categories: cells(&grid.class_categories),
        incomplete: grid.incomplete,
        withheld: grid.withheld,
    };
    let language = trainer.language;
    Ok(language.respond(
        StatusCode::OK,
        pages::render_page(&trainer.state.environment, Page::TrainerGrid, &view, language.language),
    ))
}

/// One CSV field, quoted when it holds the separator, a quote or a line
/// break.
fn field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The grid as CSV for Excel on a Swiss Windows: UTF-8 with a BOM, `;`,
/// the column names in the reader's language, the shares in per cent
/// (empty where nothing is scored yet) and, last, the cells still
/// incomplete.
pub(crate) fn grid_csv(grid: &ClassGrid, tr: &dyn Fn(&str) -> String) -> String {
    let mut header = vec![tr("grid.csv.number"), tr("grid.csv.name")];
    header.extend(grid.competences.iter().cloned());
    header.extend(grid.categories.iter().map(|key| tr(&format!("category.{key}"))));
    header.push(tr("grid.csv.incomplete"));
    let mut text = String::from("\u{feff}");
    let line = |text: &mut String, fields: Vec<String>| {
        text.push_str(&fields.iter().map(|value| field(value)).collect::<Vec<_>>().join(";"));
        text.push_str("\r\n");
    };
    line(&mut text, header);
    let percent = |cell: &GridCell| cell.percent.map(|value| format!("{value:.1}")).unwrap_or_default();
    let incomplete = |cells: &mut dyn Iterator<Item = &GridCell>| {
        cells.filter(|cell| cell.incomplete).map(|cell| cell.id.clone()).collect::<Vec<_>>().join(" ")
    };
    for row in &grid.rows {
        let mut fields = vec![row.number.clone(), row.name.clone().unwrap_or_default()];
        fields.extend(row.competences.iter().chain(&row.categories).map(percent));
        fields.push(incomplete(&mut row.competences.iter().chain(&row.categories)));
        line(&mut text, fields);
    }
    let mut fields = vec![tr("grid.class"), String::new()];
    fields.extend(grid.class_competences.iter().chain(&grid.class_categories).map(percent));
    fields.push(incomplete(&mut grid.class_competences.iter().chain(&grid.class_categories)));
    line(&mut text, fields);
    text
}

async fn csv(trainer: TrainerAccount, Path(id): Path<i64>) -> Result<Response, PageError> {
    let grid = grid_of(&trainer, id).await?;
    let text = grid_csv(&grid, &|key| trainer.tr(key));
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    let name = format!("attachment; filename=\"grille-classe-{id}.csv\"");
    if let Ok(value) = HeaderValue::from_str(&name) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
