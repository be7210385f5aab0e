//! An examiner's history across sessions (issue 13), for the board: the
//! examiner's many-facet Rasch severity in each part of each official
//! session they rated, read from each session's quality statistics (the
//! same estimation, memoised per session revision), oldest first, with a
//! precision-weighted summary. JSON and CSV.
//!
//! Every severity stays the one of its session's model (centred on that
//! part's panel): a joint model across sessions would need examiners who
//! link the sessions and the same rubric version, which a board cannot
//! guarantee; the rows say which rubrics each part used.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use grille_report::examiner_history::{ExaminerHistory, HistoryRow, PooledSeverity};
use grille_workflow::SessionKind;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Board;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::reply::Download;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "qualité";
    ApiRouter::new()
        .api_route(
            "/api/examiners/{username}/history",
            get_with(history, |op| {
                op.tag(tag).summary(
                    "Historique d'un·e expert·e : sa sévérité (modèle de Rasch) dans chaque session et épreuve de la commission, avec erreur type, signal et résumé pondéré",
                )
            }),
        )
        .api_route(
            "/api/examiners/{username}/history/csv",
            get_with(history_csv, |op| {
                op.tag(tag).summary("Historique d'un·e expert·e en CSV (UTF-8 avec BOM) ; séparateur ; ou ,")
            }),
        )
}

/// An examiner in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ExaminerPath {
    /// The examiner's login name.
    username: String,
}

/// Options of the CSV export.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct HistoryCsvParams {
    /// `semicolon` (default) or `comma`; `;` and `,` themselves are
    /// accepted too.
    #[serde(default)]
    delimiter: crate::api_quality::CsvDelimiter,
}

async fn collect(state: &AppState, board: &Board, username: &str) -> Result<ExaminerHistory, ApiError> {
    let name = username.to_owned();
    let known = state.db(move |store| store.user_by_username(&name)).await?;
    if known.is_none() {
        return Err(grille_store::StoreError::NotFound { entity: "user" }.into());
    }
    let mut sessions = state.db(|store| store.exam_sessions()).await?;
    sessions.retain(|session| session.kind == SessionKind::Official);
    // Over time: by exam date when known, else by creation.
    sessions.sort_by(|a, b| {
        let key = |s: &grille_store::ExamSession| {
            (s.exam_date.clone().unwrap_or_else(|| s.created_at.clone()), s.id)
        };
        key(a).cmp(&key(b))
    });
    let mut rows = Vec::new();
    let mut read = 0;
    for session in &sessions {
        // A session the board may not read the results of (or without
        // pinned documents) has no statistics: left out, counted apart.
        let Ok((data, exam)) = crate::api_quality::loaded_by(state, &board.current.user, session.id).await
        else {
            continue;
        };
        let computed = crate::api_quality::view_of(state, &data, &exam).await?;
        read += 1;
        for part in &computed.view().parts {
            let Some(examiner) = part.examiners.iter().find(|e| e.examiner == username) else { continue };
            let mut rubrics: Vec<String> = exam
                .blueprint
                .part(&part.part)
                .into_iter()
                .flat_map(|blueprint_part| &blueprint_part.positions)
                .filter_map(|position| exam.rubrics.iter().find(|rubric| rubric.id == position.rubric))
                .map(|rubric| format!("{} {}", rubric.id, rubric.version))
                .collect();
            rubrics.dedup();
            rows.push(HistoryRow {
                session_id: session.id,
                session_name: session.name.clone(),
                exam_date: session.exam_date.clone(),
                created_at: session.created_at.clone(),
                state: session.workflow_state,
                part: part.part.clone(),
                part_title: part.title.clone(),
                rubrics,
                panel: part.examiners.len(),
                ratings: examiner.ratings,
                severity: examiner.severity,
                standard_error: examiner.standard_error.clone(),
                infit: examiner.infit.clone(),
                outfit: examiner.outfit.clone(),
                grade_effect: examiner.grade_effect,
                flag: examiner.flag.as_ref().map(|flag| flag.direction.clone()),
                excluded: examiner.excluded.clone(),
            });
        }
    }
    let pooled = PooledSeverity::of(rows.iter().filter_map(|row| row.severity.zip(row.standard_error.value)));
    Ok(ExaminerHistory {
        examiner: username.to_owned(),
        limits: crate::api_quality::limits(),
        sessions_read: read,
        flagged: rows.iter().filter(|row| row.flag.is_some()).count(),
        rows,
        pooled,
    })
}

async fn history(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<ExaminerPath>,
) -> Result<Json<ExaminerHistory>, ApiError> {
    Ok(Json(collect(&state, &board, &path.username).await?))
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.filter(|value| value.is_finite()).map(|value| format!("{value:.decimals$}")).unwrap_or_default()
}

/// The CSV rows, header first; numbers with a decimal point.
pub(crate) fn csv_rows(history: &ExaminerHistory) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "session",
            "nom_session",
            "date",
            "epreuve",
            "grilles",
            "expert_e_s_epreuve",
            "evaluations",
            "severite_logits",
            "erreur_type",
            "infit",
            "outfit",
            "effet_note_au_seuil",
            "signal",
            "exclusion",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for row in &history.rows {
        rows.push(vec![
            row.session_id.to_string(),
            row.session_name.clone(),
            row.exam_date.clone().unwrap_or_else(|| row.created_at.chars().take(10).collect()),
            row.part.clone(),
            row.rubrics.join(" | "),
            row.panel.to_string(),
            row.ratings.to_string(),
            number(row.severity, 2),
            number(row.standard_error.value, 2),
            number(row.infit.value, 2),
            number(row.outfit.value, 2),
            number(row.grade_effect, 2),
            row.flag.clone().unwrap_or_default(),
            row.excluded.clone().unwrap_or_default(),
        ]);
    }
    rows
}

async fn history_csv(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<ExaminerPath>,
    ApiQuery(params): ApiQuery<HistoryCsvParams>,
) -> Result<Download, ApiError> {
    let history = collect(&state, &board, &path.username).await?;
    let delimiter = match params.delimiter {
        crate::api_quality::CsvDelimiter::Semicolon => b';',
        crate::api_quality::CsvDelimiter::Comma => b',',
    };
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(vec![0xEF, 0xBB, 0xBF]);
    for row in csv_rows(&history) {
        writer.write_record(&row).map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    let safe: String =
        path.username.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("historique-{safe}.csv"),
        body,
    })
}
