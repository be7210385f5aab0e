//! What-if simulation for the board (issue 13): the session's candidates
//! scored a second time, by the scoring engine itself, under a copy of the
//! pinned grading scheme and blueprint that the request edits (scale,
//! conversion, rounding, pass rule, part weights and reconciliation modes),
//! and compared with their results under the pinned documents (the
//! engine's [`WhatIf`]).
//!
//! Nothing is written: no store call, no audit (a read), no cache entry.
//! The official results of a finalised session are stored and stay as they
//! are. The real side of the comparison is the engine's result under the
//! pinned documents from the same session data, so that the session's own
//! settings give an empty comparison by construction (tested).
//!
//! Who may ask: whoever may read the session's quality statistics (the
//! board; a trainer for a mock session of their school).
//!
//! `POST /api/sessions/{id}/what-if/csv` takes the same request and
//! answers the same comparison as a file (grille-report's what-if CSV, as
//! `grille score --what-if --format csv` prints it): one line per
//! candidate that would change, the column names and words in the
//! language asked (`?lang=fr|de|it`), `;` (or `?delimiter=comma`) and a
//! byte order mark. Same checks, same access, nothing stored.

use std::collections::BTreeMap;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_report::what_if::model::{PartSetting, WhatIfRequest, WhatIfSettings, WhatIfView};
use grille_scoring::engine::WhatIf;
use grille_scoring::{
    Blueprint, CandidateGrades, GradingScheme, Message, MessageCode, Problem, Scorer, SessionDocuments,
};
use rust_decimal::Decimal;

use crate::AppState;
use crate::api_results::SessionPath;
use crate::auth::Staff;
use crate::error::{ApiError, FieldError};
use crate::exam::{PinnedExam, PinnedExamExt as _, SessionData};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::reply::Download;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "qualité";
    ApiRouter::new().api_route(
        "/api/sessions/{id}/what-if",
        get_with(pinned, |op| {
            op.tag(tag).summary(
                "Simulation « et si » : les réglages figés de la session (barème, pondérations, conciliation), comparaison vide",
            )
        })
        .post_with(simulate, |op| {
            op.tag(tag).summary(
                "Simulation « et si » : les candidat·e·s dont les notes ou la décision changeraient sous un barème ou des pondérations modifiés (rien n'est enregistré)",
            )
        }),
    )
    .api_route(
        "/api/sessions/{id}/what-if/csv",
        post_with(simulate_csv, |op| {
            op.tag(tag)
                .summary("Simulation « et si » en CSV : les mêmes candidat·e·s que la simulation, une ligne chacun·e (UTF-8 avec BOM, ;)")
                .description(
                    "Le même corps que POST /api/sessions/{id}/what-if et les mêmes contrôles et droits ; la réponse est le fichier CSV \
                     de la comparaison (une ligne par candidat·e dont les notes ou la décision changeraient, dans l'ordre de la session), \
                     en-têtes, résultats et types de changement dans la langue demandée (lang=fr, de ou it), séparateur ; (ou delimiter=comma), \
                     UTF-8 avec BOM. Rien n'est enregistré.",
                )
        }),
    )
}

/// Options of the CSV answer.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
pub(crate) struct WhatIfCsvParams {
    /// The language of the column names, outcomes and kinds of change:
    /// `fr` (default), `de` or `it`.
    #[serde(default)]
    lang: crate::api_results::CsvLanguage,
    /// `semicolon` (default) or `comma`; `;` and `,` themselves are
    /// accepted too.
    #[serde(default)]
    delimiter: crate::api_quality::CsvDelimiter,
}

/// The largest part weight accepted here (a weight is relative: 1000
/// against 1 already leaves the other part without effect).
const LARGEST_WEIGHT: i64 = 1000;

async fn pinned(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<WhatIfView>, ApiError> {
    run(&state, &staff, path.id, WhatIfRequest::default()).await
}

async fn simulate(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<WhatIfRequest>,
) -> Result<Json<WhatIfView>, ApiError> {
    run(&state, &staff, path.id, request).await
}

async fn simulate_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(params): ApiQuery<WhatIfCsvParams>,
    ApiJson(request): ApiJson<WhatIfRequest>,
) -> Result<Download, ApiError> {
    let Json(view) = run(&state, &staff, path.id, request).await?;
    let language = params.lang.language();
    let delimiter = match params.delimiter {
        crate::api_quality::CsvDelimiter::Semicolon => b';',
        crate::api_quality::CsvDelimiter::Comma => b',',
    };
    let body = grille_report::what_if::csv::what_if_csv(Vec::new(), &view.comparison, language, delimiter)
        .map_err(ApiError::internal)?;
    let prefix = if view.kind == grille_workflow::SessionKind::Mock { "examen-blanc" } else { "session" };
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("{prefix}-{}-simulation.csv", path.id),
        body,
    })
}

async fn run(
    state: &AppState,
    staff: &Staff,
    id: i64,
    request: WhatIfRequest,
) -> Result<Json<WhatIfView>, ApiError> {
    let (data, exam) = crate::api_quality::loaded(state, staff, id).await?;
    // The edits are checked before any scoring: a bad edit costs nothing.
    let (scheme, blueprint) = edited(&exam, &request)?;
    let real = crate::api_evaluations::compute_progress(state.catalogue(), &data, &exam)?;
    let state = state.clone();
    state
        .clone()
        .blocking(move || {
            let view = compare(&state, &data, &exam, &real.1, &scheme, &blueprint)?;
            Ok(Json(view))
        })
        .await
}

/// The pinned scheme and blueprint with the request's edits, checked as
/// a scheme file is; every problem named by its pointer in the request.
fn edited(exam: &PinnedExam, request: &WhatIfRequest) -> Result<(GradingScheme, Blueprint), ApiError> {
    let mut scheme = exam.scheme.clone();
    if let Some(scale) = &request.scale {
        scheme.scale = scale.clone();
    }
    if let Some(conversion) = &request.conversion {
        scheme.conversion = conversion.clone();
    }
    if let Some(rounding) = &request.rounding {
        scheme.rounding = rounding.clone();
    }
    if let Some(pass_rule) = &request.pass_rule {
        scheme.pass_rule = pass_rule.clone();
    }
    let mut errors: Vec<FieldError> = scheme.check().into_iter().map(field_error).collect();
    let mut blueprint = exam.blueprint.clone();
    let mut seen = BTreeMap::new();
    let known = || exam.blueprint.parts.iter().map(|part| part.id.as_str()).collect::<Vec<_>>().join(", ");
    for (index, edit) in request.parts.iter().enumerate() {
        let pointer = format!("/parts/{index}");
        if let Some(first) = seen.insert(edit.part.clone(), index) {
            errors.push(FieldError::said_at(
                format!("{pointer}/part"),
                Message::new(MessageCode::WhatIfPartTwice)
                    .with("part", &edit.part)
                    .with("first", first.to_string()),
            ));
            continue;
        }
        let Some(part) = blueprint.parts.iter_mut().find(|part| part.id == edit.part) else {
            errors.push(FieldError::said_at(
                format!("{pointer}/part"),
                Message::new(MessageCode::WhatIfPartUnknown).with("part", &edit.part).with("parts", known()),
            ));
            continue;
        };
        if let Some(weight) = edit.weight {
            if weight <= Decimal::ZERO || weight > Decimal::from(LARGEST_WEIGHT) {
                errors.push(FieldError::said_at(
                    format!("{pointer}/weight"),
                    Message::new(MessageCode::WhatIfWeight)
                        .with("part", &edit.part)
                        .with("weight", weight.to_string())
                        .with("max", LARGEST_WEIGHT.to_string()),
                ));
            } else {
                part.weight = weight;
            }
        }
        if let Some(mode) = edit.reconciliation {
            part.reconciliation = mode;
        }
    }
    if errors.is_empty() { Ok((scheme, blueprint)) } else { Err(ApiError::Invalid(errors)) }
}

fn field_error(problem: Problem) -> FieldError {
    let mut detail = problem.message;
    if let Some(first) = detail.get(..1) {
        detail = format!("{}{}", first.to_uppercase(), &detail[1..]);
    }
    if !detail.ends_with('.') {
        detail.push('.');
    }
    FieldError::at(problem.pointer, detail).said_by(problem.detail)
}

/// The settings of a scheme and blueprint, as the form shows them.
fn settings(scheme: &GradingScheme, blueprint: &Blueprint) -> WhatIfSettings {
    WhatIfSettings {
        scale: scheme.scale.clone(),
        conversion: scheme.conversion.clone(),
        rounding: scheme.rounding.clone(),
        pass_rule: scheme.pass_rule.clone(),
        parts: blueprint
            .parts
            .iter()
            .map(|part| PartSetting {
                part: part.id.clone(),
                title: part.title.clone(),
                weight: part.weight,
                reconciliation: part.reconciliation,
            })
            .collect(),
    }
}

/// Every candidate scored under the edited documents, compared with the
/// results under the pinned ones.
fn compare(
    state: &AppState,
    data: &SessionData,
    exam: &PinnedExam,
    real: &[grille_scoring::CandidateResult],
    scheme: &GradingScheme,
    blueprint: &Blueprint,
) -> Result<WhatIfView, ApiError> {
    let documents = SessionDocuments {
        catalogue: state.catalogue(),
        scheme,
        blueprint,
        rubrics: &exam.rubrics,
        cases: &exam.cases,
    };
    // The edited copy keeps the pinned identity: it is this session's
    // scheme with other values, not another document.
    let scorer = Scorer::new(documents, exam.header(data.session.id))
        .map_err(|problems| ApiError::Invalid(problems.into_iter().map(field_error).collect()))?;
    let session = data.scoring_session(exam)?;
    let mut comparison = WhatIf::new();
    let mut explanations = Vec::new();
    for (candidate, before) in session.candidates.iter().zip(real) {
        let after = scorer.score_candidate(candidate);
        let changes = comparison.changes.len();
        comparison.add(&CandidateGrades::from(before.clone()), &CandidateGrades::from(after.clone()));
        if comparison.changes.len() > changes {
            explanations.push(after);
        }
    }
    let pinned = settings(&exam.scheme, &exam.blueprint);
    let simulated = settings(scheme, blueprint);
    let current = crate::exam::state_of(&data.session)?;
    Ok(WhatIfView {
        session_id: data.session.id,
        name: data.session.name.clone(),
        state: current,
        kind: data.session.kind,
        is_final: current.is_final(),
        saved: false,
        edited: pinned != simulated,
        pinned,
        simulated,
        comparison,
        explanations,
    })
}
