//! The quality of an exam session, for the board (and a trainer on a mock
//! session of their school: the same access rule as the results): how
//! severe each examiner is (many-facet Rasch model), how each rubric
//! criterion works (criterion analysis, Cronbach's alpha) and how much the
//! two examiners of a position agree (intraclass correlations), computed
//! by grille-statistics from the examiners' own submitted evaluations.
//!
//! Nothing here changes a grade: the official grades follow the grading
//! scheme only, and the "fair" measures are shown beside them as
//! information. The statistics are computed in floating point, once per
//! revision of the session (memoised on its snapshot, like the results).
//!
//! How the session's evaluations become ratings:
//! - a rating is one examiner's level on one criterion of one candidate's
//!   position, from submitted evaluations only (drafts, agreed evaluations
//!   and corrections are not an examiner's own judgement);
//! - a criterion's levels are numbered from 0 in ascending order of their
//!   points, so the statistics see levels, not points (criterion weights do
//!   not enter them); "not assessable" is counted apart, a criterion left
//!   out by the candidate's case is no rating at all;
//! - the Rasch model is estimated per exam part: examiners of different
//!   parts rate different criteria, so their severities could not be told
//!   apart from the criteria's difficulties (a confounded design); within
//!   a part, examiners who share candidates are compared on one scale;
//! - the criterion analysis is per position and rubric (a case may bring
//!   its own rubric), alpha over the candidates rated on every criterion;
//! - the intraclass correlations compare, for each candidate's position
//!   marked by two examiners or more, the first two examiners' scores in
//!   per cent of the maximum points (weights included; ordered by
//!   username), per position and over all positions.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::extract::State;
use axum::http::HeaderMap;
use grille_competence::LocalizedText;
use grille_report::i18n::{self, Language};
use grille_report::quality::model::{
    CandidateFairMeasure, ConvergenceView, CriterionQuality, ExaminerSeverity, ExclusionView, IccRow,
    IccValue, ModelProblem, PartSeverity, QualityLimits, QualityView, RubricQuality, SeverityFlagView, Stat,
};
use grille_scoring::{CandidateResult, Conversion, GradingScheme, Message, MessageCode, Rubric};
use grille_statistics::rasch::{self, Direction, ExclusionReason, RaschError, RaschOptions};
use grille_statistics::{Design, Estimate, Facet, Observation, Rating, icc, items};
use grille_store::EvaluationStatus;
use grille_workflow::{Action, SessionKind};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_results::SessionPath;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::exam::{PinnedExam, PinnedExamExt as _, SessionData, StoredContent};
use crate::extract::{ApiPath, ApiQuery};
use crate::reply::{Download, Precomputed, PrecomputedAnswer};
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "qualité";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/quality",
            get_with(quality, |op| {
                op.tag(tag).summary(
                    "Qualité de l'examen : sévérité des expert·e·s (modèle de Rasch à facettes), analyse des critères, alpha de Cronbach, corrélations intraclasse (information, ne change aucune note)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/quality/csv",
            get_with(quality_csv, |op| {
                op.tag(tag).summary(
                    "Un tableau de la qualité de l'examen en CSV (UTF-8 avec BOM) : severity, candidates, criteria ou icc ; séparateur ; ou , ; noms de colonnes dans la langue demandée (lang=fr, de ou it)",
                )
            }),
        )
}

/// The default limits of the flags, stated in the answer.
pub(crate) const SEVERITY_THRESHOLD: f64 = 0.5;
pub(crate) const SIGNIFICANCE: f64 = 2.0;

// ------------------------------------------------------------------ stats

/// A statistic of grille-statistics as the API states it.
fn stat_of(estimate: Estimate) -> Stat {
    match estimate {
        Estimate::Estimated { value } => Stat { value: Some(value), not_estimable: None },
        Estimate::NotEstimable { reason } => Stat { value: None, not_estimable: Some(reason_kind(&reason)) },
    }
}

/// What an examiner's ratings add up to before any model: ratings with a
/// level, "not assessable" ratings, the sum of the levels given and the
/// sum of the criteria's maxima.
pub(crate) type ExaminerSums = (usize, usize, f64, f64);

/// Adds one rating on a criterion of maximum `max` to the sums.
pub(crate) fn add_rating(sums: &mut ExaminerSums, rating: Rating, max: u32) {
    match rating {
        Rating::Level(level) => {
            sums.0 += 1;
            sums.2 += f64::from(level);
            sums.3 += f64::from(max);
        }
        Rating::NotAssessable => sums.1 += 1,
    }
}

/// An examiner's row before the model runs: what was observed only.
pub(crate) fn unestimated_examiner(name: &str, sums: ExaminerSums) -> ExaminerSeverity {
    let none = || stat_none("not_estimated");
    ExaminerSeverity {
        examiner: name.to_owned(),
        ratings: sums.0,
        not_assessable: sums.1,
        observed_share: if sums.3 > 0.0 { sums.2 / sums.3 } else { 0.0 },
        severity: None,
        standard_error: none(),
        infit: none(),
        outfit: none(),
        grade_effect: None,
        flag: None,
        excluded: None,
    }
}

/// Where the pass mark lies in a model: the ability at it (if found), the
/// criteria's total maximum and the conversion's slopes below and above it.
pub(crate) struct PassMark {
    pub(crate) ability: Option<f64>,
    pub(crate) total_max: f64,
    pub(crate) slopes: (f64, f64),
}

/// Fills an examiner's row from the model: severity, standard error, fit,
/// the effect at the pass mark in grade points and the flag, whose
/// sentence compares the examiner with the experts of `panel`
/// (`quality.panel.part`, `quality.panel.sessions`).
pub(crate) fn measure_examiner(
    row: &mut ExaminerSeverity,
    e: &rasch::ExaminerMeasure,
    estimate: &rasch::RaschEstimate,
    at_pass: &PassMark,
    panel: &Message,
) {
    row.severity = Some(e.severity);
    row.standard_error = stat_of(e.standard_error);
    row.infit = stat_of(e.fit.infit);
    row.outfit = stat_of(e.fit.outfit);
    row.grade_effect = at_pass
        .ability
        .and_then(|ability| estimate.severity_in_points(e.examiner, ability).ok())
        .filter(|_| at_pass.total_max > 0.0)
        .map(|points| {
            // Points lost (positive: severe) as a share of the maximum,
            // times the conversion's slope on that side of the pass mark.
            let lost = points / at_pass.total_max;
            -lost * if lost > 0.0 { at_pass.slopes.0 } else { at_pass.slopes.1 }
        });
    row.flag = e.flag.map(|flag| {
        let direction = match flag.direction {
            Direction::Severe => "severe",
            Direction::Lenient => "lenient",
        };
        let severe = flag.direction == Direction::Severe;
        let code = match (severe, row.grade_effect.is_some()) {
            (true, false) => MessageCode::QualityFlagSevere,
            (true, true) => MessageCode::QualityFlagSevereEffect,
            (false, false) => MessageCode::QualityFlagLenient,
            (false, true) => MessageCode::QualityFlagLenientEffect,
        };
        let mut message = Message::new(code)
            .with("examiner", &row.examiner)
            .with_message("panel", panel.clone())
            .with("logits", format!("{:+.2}", flag.difference))
            .with("z", format!("{:.1}", flag.z.abs()));
        if let Some(effect) = row.grade_effect {
            message = message.with("effect", format!("{effect:+.2}"));
        }
        SeverityFlagView {
            direction: direction.to_owned(),
            difference: flag.difference,
            z: flag.z,
            sentence: message.french(),
            message,
        }
    });
}

/// A statistic not computed, for the reason `kind`.
fn stat_none(kind: &str) -> Stat {
    Stat { value: None, not_estimable: Some(kind.to_owned()) }
}

fn reason_kind(reason: &impl Serialize) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|value| value.get("kind").and_then(|kind| kind.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "not_estimable".to_owned())
}

// ----------------------------------------------------------------- routes

pub(crate) async fn loaded(
    state: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<(Arc<SessionData>, Arc<PinnedExam>), ApiError> {
    loaded_by(state, &staff.current.user, id).await
}

/// A session loaded for `user` under the rule of the results.
pub(crate) async fn loaded_by(
    state: &AppState,
    user: &grille_store::User,
    id: i64,
) -> Result<(Arc<SessionData>, Arc<PinnedExam>), ApiError> {
    let (data, exam) = scope::load_for(state, user, id, Action::ViewSession).await?;
    scope::check_loaded(user, &data, &exam, Action::ReadResults)?;
    Ok((data, exam))
}

/// The view of a session at one revision and its JSON answer, memoised
/// on the session's snapshot ([`SessionData::quality`]).
#[derive(Debug)]
pub(crate) struct Computed {
    view: QualityView,
    json: Precomputed<QualityView>,
}

impl Computed {
    /// The statistics of the session.
    pub(crate) fn view(&self) -> &QualityView {
        &self.view
    }
}

/// The view of a loaded session, computed once per revision.
pub(crate) async fn view_of(
    state: &AppState,
    data: &Arc<SessionData>,
    exam: &Arc<PinnedExam>,
) -> Result<Arc<Computed>, ApiError> {
    if let Some(computed) = data.quality.peek() {
        return Ok(computed);
    }
    let scored = crate::api_evaluations::compute_progress(state.catalogue(), data, exam)?;
    let (data, exam) = (data.clone(), exam.clone());
    state
        .blocking(move || {
            let view = build(&data, &exam, &scored.1)?;
            let json = Precomputed::new(&view);
            Ok(data.quality.keep(Computed { view, json }))
        })
        .await
}

async fn quality(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    headers: HeaderMap,
) -> Result<PrecomputedAnswer<QualityView>, ApiError> {
    let (data, exam) = loaded(&state, &staff, path.id).await?;
    Ok(view_of(&state, &data, &exam).await?.json.answer(&headers))
}

/// Which table of the quality page.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum QualityTable {
    /// Examiner severity, one row per examiner and part.
    Severity,
    /// Candidates' fair measures, one row per candidate and part.
    Candidates,
    /// Criterion analysis, one row per criterion of each position.
    Criteria,
    /// Intraclass correlations, one row per position and one for all.
    Icc,
}

/// Options of the CSV export.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct QualityCsvParams {
    /// `severity`, `candidates`, `criteria` or `icc`.
    table: QualityTable,
    /// `semicolon` (default) or `comma`; `;` and `,` themselves are
    /// accepted too.
    #[serde(default)]
    delimiter: CsvDelimiter,
    /// The language of the column identifiers and of the row of all
    /// positions: `fr` (default), `de` or `it`. Codes (a flag's direction,
    /// a concern, a reason for an exclusion) are the same in every language,
    /// as in the JSON.
    #[serde(default)]
    lang: crate::api_results::CsvLanguage,
}

/// The field delimiter.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CsvDelimiter {
    /// Semicolon (Excel with Swiss locales).
    #[default]
    #[serde(alias = ";")]
    Semicolon,
    /// Comma.
    #[serde(alias = ",")]
    Comma,
}

async fn quality_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(params): ApiQuery<QualityCsvParams>,
) -> Result<Download, ApiError> {
    let (data, exam) = loaded(&state, &staff, path.id).await?;
    let computed = view_of(&state, &data, &exam).await?;
    let delimiter = match params.delimiter {
        CsvDelimiter::Semicolon => b';',
        CsvDelimiter::Comma => b',',
    };
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(vec![0xEF, 0xBB, 0xBF]);
    for row in csv_rows(&computed.view, params.table, params.lang.language()) {
        writer.write_record(&row).map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    let table = match params.table {
        QualityTable::Severity => "severite",
        QualityTable::Candidates => "candidats",
        QualityTable::Criteria => "criteres",
        QualityTable::Icc => "icc",
    };
    let prefix = if data.session.kind == SessionKind::Mock { "examen-blanc" } else { "session" };
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("{prefix}-{}-qualite-{table}.csv", path.id),
        body,
    })
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map(|value| format!("{value:.decimals$}")).unwrap_or_default()
}

fn stat(value: &Stat, decimals: usize) -> String {
    number(value.value, decimals)
}

/// The rows of one table, header first; numbers with a decimal point; the
/// column identifiers in `language` (`csv.column.*`; the statistics' own
/// names, `infit`, `icc_1_1`, ..., are the same in every language).
pub(crate) fn csv_rows(view: &QualityView, table: QualityTable, language: Language) -> Vec<Vec<String>> {
    let header = |names: &[&str]| {
        names
            .iter()
            // `@name`: a statistic's own name, written as it is.
            .map(|name| match name.strip_prefix('@') {
                Some(name) => (*name).to_owned(),
                None => i18n::translate(language, &format!("csv.column.{name}")),
            })
            .collect::<Vec<_>>()
    };
    let mut rows = Vec::new();
    match table {
        QualityTable::Severity => {
            rows.push(header(&[
                "part",
                "examiner",
                "ratings",
                "not_assessable",
                "observed_share",
                "severity",
                "standard_error",
                "@infit",
                "@outfit",
                "grade_effect",
                "flag",
                "excluded",
            ]));
            for part in &view.parts {
                for e in &part.examiners {
                    rows.push(vec![
                        part.part.clone(),
                        e.examiner.clone(),
                        e.ratings.to_string(),
                        e.not_assessable.to_string(),
                        number(Some(e.observed_share), 3),
                        number(e.severity, 2),
                        stat(&e.standard_error, 2),
                        stat(&e.infit, 2),
                        stat(&e.outfit, 2),
                        number(e.grade_effect, 2),
                        e.flag.as_ref().map(|flag| flag.direction.clone()).unwrap_or_default(),
                        e.excluded.clone().unwrap_or_default(),
                    ]);
                }
            }
        }
        QualityTable::Candidates => {
            rows.push(header(&[
                "part",
                "number",
                "ratings",
                "official_grade",
                "observed_share",
                "ability",
                "standard_error",
                "@infit",
                "fair_share",
                "fair_grade",
                "excluded",
            ]));
            for part in &view.parts {
                for c in &part.candidates {
                    rows.push(vec![
                        part.part.clone(),
                        c.number.clone(),
                        c.ratings.to_string(),
                        c.official_grade.clone().unwrap_or_default(),
                        number(Some(c.observed_share), 3),
                        number(c.ability, 2),
                        stat(&c.standard_error, 2),
                        stat(&c.infit, 2),
                        number(c.fair_share, 3),
                        c.fair_grade.clone().unwrap_or_default(),
                        c.excluded.clone().unwrap_or_default(),
                    ]);
                }
            }
        }
        QualityTable::Criteria => {
            rows.push(header(&[
                "part",
                "position",
                "rubric",
                "criterion",
                "max_level",
                "ratings",
                "not_assessable",
                "not_assessable_rate",
                "mean_level",
                "distribution",
                "facility",
                "rasch_difficulty",
                "discrimination",
                "alpha_if_deleted",
                "pairs",
                "disagreement",
                "mean_difference",
                "rubric_alpha",
                "concerns",
            ]));
            for rubric in &view.rubrics {
                for c in &rubric.criteria {
                    rows.push(vec![
                        rubric.part.clone(),
                        rubric.position.clone(),
                        rubric.rubric.clone(),
                        c.criterion.clone(),
                        c.max_level.to_string(),
                        c.ratings.to_string(),
                        c.not_assessable.to_string(),
                        stat(&c.not_assessable_rate, 3),
                        stat(&c.mean_level, 2),
                        c.distribution.iter().map(ToString::to_string).collect::<Vec<_>>().join("/"),
                        stat(&c.difficulty, 3),
                        number(c.rasch_difficulty, 2),
                        stat(&c.discrimination, 2),
                        stat(&c.alpha_if_deleted, 2),
                        c.pairs.to_string(),
                        stat(&c.disagreement, 3),
                        stat(&c.mean_absolute_difference, 2),
                        stat(&rubric.alpha, 2),
                        c.concerns.join(" "),
                    ]);
                }
            }
        }
        QualityTable::Icc => {
            rows.push(header(&[
                "position",
                "targets",
                "@icc_1_1",
                "@icc_1_1_min",
                "@icc_1_1_max",
                "@icc_2_1",
                "@icc_2_1_min",
                "@icc_2_1_max",
                "@icc_3_1",
                "@icc_3_1_min",
                "@icc_3_1_max",
                "problem",
            ]));
            let all_positions = i18n::translate(language, "csv.value.all_positions");
            for row in &view.icc {
                let mut line = vec![
                    row.position.clone().unwrap_or_else(|| all_positions.clone()),
                    row.targets.to_string(),
                ];
                for value in [&row.icc1_1, &row.icc2_1, &row.icc3_1] {
                    line.extend([stat(&value.value, 2), number(value.lower, 2), number(value.upper, 2)]);
                }
                line.push(row.problem.clone().unwrap_or_default());
                rows.push(line);
            }
        }
    }
    rows
}

// ------------------------------------------------------------ computation

/// One examiner's rating, with everything needed to place it.
#[derive(Debug, Clone)]
pub(crate) struct RatingRow {
    pub(crate) candidate: String,
    pub(crate) examiner: String,
    pub(crate) part: String,
    position: String,
    /// Rubric id and criterion id.
    pub(crate) rubric: String,
    pub(crate) criterion: String,
    pub(crate) max: u32,
    pub(crate) rating: Rating,
}

/// Every rating of a session's submitted evaluations of present
/// candidates (the ratings its Rasch models start from), for the joint
/// model of an examiner's history.
pub(crate) fn session_ratings(data: &SessionData, exam: &PinnedExam) -> Result<Vec<RatingRow>, ApiError> {
    Ok(ratings_of(&submitted(data, exam)?))
}

/// A criterion's level number (from 0, ascending points) and maximum.
fn level_of(rubric: &Rubric, criterion: &str, points: Decimal) -> Option<(u32, u32)> {
    let criterion = rubric.criterion(criterion)?;
    let mut levels: Vec<Decimal> = criterion.levels.iter().map(|level| level.points).collect();
    levels.sort();
    levels.dedup();
    let index = levels.iter().position(|&p| p == points)?;
    Some((u32::try_from(index).ok()?, u32::try_from(levels.len().saturating_sub(1)).ok()?))
}

fn max_level(rubric: &Rubric, criterion: &str) -> u32 {
    rubric
        .criterion(criterion)
        .map(|criterion| {
            let mut levels: Vec<Decimal> = criterion.levels.iter().map(|level| level.points).collect();
            levels.sort();
            levels.dedup();
            u32::try_from(levels.len().saturating_sub(1)).unwrap_or(0)
        })
        .unwrap_or(0)
}

/// One submitted evaluation of a present candidate's position, with the
/// rubric it was scored on.
struct Scored<'a> {
    candidate: String,
    examiner: String,
    part: String,
    position: String,
    rubric: &'a Rubric,
    content: StoredContent,
}

fn submitted<'a>(data: &SessionData, exam: &'a PinnedExam) -> Result<Vec<Scored<'a>>, ApiError> {
    let present: BTreeSet<&str> = data
        .candidates
        .iter()
        .filter(|candidate| candidate.status == "present")
        .map(|candidate| candidate.number.as_str())
        .collect();
    let mut found = Vec::new();
    for row in &data.evaluations {
        if row.evaluation.status != EvaluationStatus::Submitted || !present.contains(row.candidate.as_str()) {
            continue;
        }
        let Some((part, _)) = exam.blueprint.position(&row.position) else { continue };
        let case = data.case_of(exam, &row.candidate, &row.position);
        let Some(rubric) = exam.rubric_for(&row.position, case) else { continue };
        found.push(Scored {
            candidate: row.candidate.as_str().to_owned(),
            examiner: row.examiner.clone(),
            part: part.id.clone(),
            position: row.position.clone(),
            rubric,
            content: StoredContent::from_value(&row.evaluation.content)?,
        });
    }
    found.sort_by(|a, b| {
        (&a.position, &a.candidate, &a.examiner).cmp(&(&b.position, &b.candidate, &b.examiner))
    });
    Ok(found)
}

fn ratings_of(scored: &[Scored<'_>]) -> Vec<RatingRow> {
    let mut rows = Vec::new();
    for evaluation in scored {
        for answer in &evaluation.content.answers {
            let rating = if answer.not_assessable {
                Rating::NotAssessable
            } else if let Some(points) = answer.points {
                match level_of(evaluation.rubric, &answer.criterion, points) {
                    Some((level, _)) => Rating::Level(level),
                    None => continue,
                }
            } else {
                continue;
            };
            rows.push(RatingRow {
                candidate: evaluation.candidate.clone(),
                examiner: evaluation.examiner.clone(),
                part: evaluation.part.clone(),
                position: evaluation.position.clone(),
                rubric: evaluation.rubric.id.clone(),
                criterion: answer.criterion.clone(),
                max: max_level(evaluation.rubric, &answer.criterion),
                rating,
            });
        }
    }
    rows
}

/// Numbers the distinct values of an iterator, in sorted order.
fn index<T: Ord + Clone>(values: impl Iterator<Item = T>) -> Vec<T> {
    values.collect::<BTreeSet<T>>().into_iter().collect()
}

fn find<T: Ord>(sorted: &[T], value: &T) -> usize {
    sorted.binary_search(value).unwrap_or(0)
}

/// The limits of the flags, the same for every session.
pub(crate) fn limits() -> QualityLimits {
    let thresholds = items::ReviewThresholds::default();
    QualityLimits {
        severity_threshold: SEVERITY_THRESHOLD,
        significance: SIGNIFICANCE,
        min_discrimination: thresholds.min_discrimination,
        max_disagreement: thresholds.max_disagreement,
        max_not_assessable: thresholds.max_not_assessable,
    }
}

/// Builds the whole view from a session's data and its (preview or
/// official) results.
pub(crate) fn build(
    data: &SessionData,
    exam: &PinnedExam,
    results: &[CandidateResult],
) -> Result<QualityView, ApiError> {
    let scored = submitted(data, exam)?;
    let rows = ratings_of(&scored);
    let thresholds = items::ReviewThresholds::default();
    let limits = limits();
    let mut parts = Vec::new();
    let mut rasch_difficulty: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    for part in &exam.blueprint.parts {
        let part_rows: Vec<&RatingRow> = rows.iter().filter(|row| row.part == part.id).collect();
        if part_rows.is_empty() {
            continue;
        }
        let (severity, difficulties) = part_severity(part, &part_rows, &exam.scheme, results);
        rasch_difficulty.extend(difficulties);
        parts.push(severity);
    }
    let mut rubrics = Vec::new();
    for part in &exam.blueprint.parts {
        for position in &part.positions {
            let used: BTreeSet<&str> = rows
                .iter()
                .filter(|row| row.position == position.id)
                .map(|row| row.rubric.as_str())
                .collect();
            for rubric_id in used {
                let Some(rubric) = exam.rubrics.iter().find(|rubric| rubric.id == rubric_id) else {
                    continue;
                };
                let rubric_rows: Vec<&RatingRow> = rows
                    .iter()
                    .filter(|row| row.position == position.id && row.rubric == rubric_id)
                    .collect();
                rubrics.push(rubric_quality(
                    &part.id,
                    &position.id,
                    rubric,
                    &rubric_rows,
                    &thresholds,
                    &rasch_difficulty,
                ));
            }
        }
    }
    let icc = icc_rows(&scored, exam);
    Ok(QualityView {
        session_id: data.session.id,
        name: data.session.name.clone(),
        state: data.session.workflow_state,
        kind: data.session.kind,
        is_final: data.session.workflow_state.is_final(),
        ratings: rows.iter().filter(|row| matches!(row.rating, Rating::Level(_))).count(),
        not_assessable: rows.iter().filter(|row| row.rating == Rating::NotAssessable).count(),
        limits,
        parts,
        rubrics,
        icc,
    })
}

/// The share of the maximum that gives the pass mark, and the slopes of
/// the conversion (grade points per share of the maximum) below and above
/// it.
pub(crate) fn pass_share(scheme: &GradingScheme) -> (f64, f64, f64) {
    let f = |value: Decimal| value.to_f64().unwrap_or(0.0);
    let (min, max, pass) = (f(scheme.scale.min), f(scheme.scale.max), f(scheme.scale.pass_mark));
    let share = match &scheme.conversion {
        Conversion::Linear => {
            if max > min {
                (pass - min) / (max - min)
            } else {
                0.6
            }
        }
        Conversion::TwoPiece { pass_fraction } => f(*pass_fraction),
        Conversion::Table { max_points, thresholds } => thresholds
            .iter()
            .filter(|threshold| threshold.grade >= scheme.scale.pass_mark)
            .map(|threshold| f(threshold.min_points))
            .fold(None, |lowest: Option<f64>, points| Some(lowest.map_or(points, |l| l.min(points))))
            .map_or(0.6, |points| if f(*max_points) > 0.0 { points / f(*max_points) } else { 0.6 }),
    };
    let share = if share > 0.0 && share < 1.0 { share } else { 0.6 };
    ((share), (pass - min) / share, (max - pass) / (1.0 - share))
}

/// Why an element was left out of a model, as a message.
fn exclusion_message(reason: ExclusionReason) -> Message {
    Message::new(match reason {
        ExclusionReason::NoRatings => MessageCode::QualityExcludedNoRatings,
        ExclusionReason::NoRatingsLeft => MessageCode::QualityExcludedNoRatingsLeft,
        ExclusionReason::AllLowest => MessageCode::QualityExcludedAllLowest,
        ExclusionReason::AllHighest => MessageCode::QualityExcludedAllHighest,
        ExclusionReason::SingleLevel => MessageCode::QualityExcludedSingleLevel,
        ExclusionReason::SingleCategoryUsed => MessageCode::QualityExcludedSingleCategoryUsed,
    })
}

fn snake(value: &impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}

type CriterionKey = (String, String, String);

/// The Rasch model of one part, and the criteria's difficulties by
/// (position, rubric, criterion).
fn part_severity(
    part: &grille_scoring::Part,
    rows: &[&RatingRow],
    scheme: &GradingScheme,
    results: &[CandidateResult],
) -> (PartSeverity, BTreeMap<CriterionKey, f64>) {
    let candidates = index(rows.iter().map(|row| row.candidate.clone()));
    let examiners = index(rows.iter().map(|row| row.examiner.clone()));
    let criteria: Vec<CriterionKey> =
        index(rows.iter().map(|row| (row.position.clone(), row.rubric.clone(), row.criterion.clone())));
    let mut criterion_max = vec![0u32; criteria.len()];
    let observations: Vec<Observation> = rows
        .iter()
        .map(|row| {
            let criterion =
                find(&criteria, &(row.position.clone(), row.rubric.clone(), row.criterion.clone()));
            criterion_max[criterion] = row.max;
            Observation {
                candidate: find(&candidates, &row.candidate),
                criterion,
                examiner: find(&examiners, &row.examiner),
                rating: row.rating,
            }
        })
        .collect();
    let design = Design {
        candidates: candidates.len(),
        examiners: examiners.len(),
        criterion_max: criterion_max.clone(),
    };
    let options = RaschOptions {
        severity_threshold: SEVERITY_THRESHOLD,
        significance: SIGNIFICANCE,
        ..RaschOptions::default()
    };
    let (share, slope_below, slope_above) = pass_share(scheme);

    // Observed shares, whatever the model does.
    let mut examiner_sums: Vec<ExaminerSums> = vec![(0, 0, 0.0, 0.0); examiners.len()];
    let mut candidate_sums = vec![(0usize, 0.0f64, 0.0f64); candidates.len()];
    for o in &observations {
        add_rating(&mut examiner_sums[o.examiner], o.rating, criterion_max[o.criterion]);
        if let Rating::Level(level) = o.rating {
            let c = &mut candidate_sums[o.candidate];
            c.0 += 1;
            c.1 += f64::from(level);
            c.2 += f64::from(criterion_max[o.criterion]);
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let official = |number: &str| {
        results
            .iter()
            .find(|result| result.number == number)
            .and_then(|result| result.parts.iter().find(|p| p.part == part.id))
            .and_then(|p| p.grade)
            .map(grille_scoring::decimal::display_grade)
    };
    let none = || stat_none("not_estimated");
    let mut view = PartSeverity {
        part: part.id.clone(),
        title: part.title.clone(),
        ratings: examiner_sums.iter().map(|e| e.0).sum(),
        not_assessable: examiner_sums.iter().map(|e| e.1).sum(),
        estimated: false,
        problem: None,
        convergence: None,
        pass_ability: None,
        pass_share: share,
        examiners: examiners
            .iter()
            .zip(&examiner_sums)
            .map(|(name, sums)| unestimated_examiner(name, *sums))
            .collect(),
        candidates: candidates
            .iter()
            .zip(&candidate_sums)
            .map(|(number, sums)| CandidateFairMeasure {
                number: number.clone(),
                ratings: sums.0,
                official_grade: official(number),
                observed_share: ratio(sums.1, sums.2),
                ability: None,
                standard_error: none(),
                infit: none(),
                fair_share: None,
                fair_grade: None,
                excluded: None,
            })
            .collect(),
        exclusions: Vec::new(),
        disordered_scales: Vec::new(),
    };
    let label = |facet: Facet, index: usize| match facet {
        Facet::Candidate => candidates.get(index).cloned().unwrap_or_default(),
        Facet::Examiner => examiners.get(index).cloned().unwrap_or_default(),
        Facet::Criterion => criteria
            .get(index)
            .map(|(position, _, criterion)| format!("{position}/{criterion}"))
            .unwrap_or_default(),
    };
    let mut difficulties = BTreeMap::new();
    let estimate = match rasch::estimate(&design, &observations, &options) {
        Ok(estimate) => estimate,
        Err(error) => {
            let (kind, excluded, groups) = match &error {
                RaschError::Disconnected { subsets, excluded } => (
                    "disconnected",
                    excluded.clone(),
                    subsets
                        .iter()
                        .map(|s| s.examiners.iter().map(|&e| label(Facet::Examiner, e)).collect())
                        .collect(),
                ),
                RaschError::Confounded { groups, excluded } => (
                    "confounded",
                    excluded.clone(),
                    groups
                        .iter()
                        .filter(|g| g.facet == Facet::Examiner)
                        .flat_map(|g| {
                            g.groups
                                .iter()
                                .map(|group| group.iter().map(|&e| label(Facet::Examiner, e)).collect())
                        })
                        .collect(),
                ),
                RaschError::NothingToEstimate { excluded } => {
                    ("nothing_to_estimate", excluded.clone(), Vec::new())
                }
                RaschError::Input { .. } | RaschError::InvalidOption { .. } => {
                    ("input", Vec::new(), Vec::new())
                }
            };
            let message = match kind {
                "disconnected" => Message::new(MessageCode::QualityModelDisconnected),
                "confounded" => Message::new(MessageCode::QualityModelConfounded),
                "nothing_to_estimate" => Message::new(MessageCode::QualityModelNothingToEstimate),
                _ => Message::new(MessageCode::QualityModelInput).with("error", error.to_string()),
            };
            view.problem =
                Some(ModelProblem { kind: kind.to_owned(), detail: message.french(), message, groups });
            view.exclusions = exclusions(&excluded, &label);
            return (view, difficulties);
        }
    };
    view.estimated = true;
    view.convergence = Some(ConvergenceView {
        iterations: estimate.convergence.iterations,
        max_change: estimate.convergence.max_change,
        converged: estimate.convergence.converged,
    });
    view.exclusions = exclusions(&estimate.excluded, &label);
    view.disordered_scales = estimate.scales.iter().filter(|s| !s.ordered).map(|s| s.max).collect();
    let total_max: f64 = estimate.criteria.iter().map(|c| f64::from(criterion_max[c.criterion])).sum();
    let pass_ability = estimate.ability_for_total(share * total_max).ok();
    view.pass_ability = pass_ability;
    for c in &estimate.criteria {
        difficulties.insert(criteria[c.criterion].clone(), c.difficulty);
    }
    let at_pass = PassMark { ability: pass_ability, total_max, slopes: (slope_below, slope_above) };
    let panel = Message::new(MessageCode::QualityPanelPart).with("part", &part.id);
    for e in &estimate.examiners {
        measure_examiner(&mut view.examiners[e.examiner], e, &estimate, &at_pass, &panel);
    }
    for c in &estimate.candidates {
        let row = &mut view.candidates[c.candidate];
        row.ability = Some(c.ability);
        row.standard_error = stat_of(c.standard_error);
        row.infit = stat_of(c.fit.infit);
        let fair =
            estimate.expected_total(c.ability, estimate.panel_mean_severity).ok().filter(|_| total_max > 0.0);
        row.fair_share = fair.map(|total| total / total_max);
        row.fair_grade = row.fair_share.and_then(|share| fair_grade(share, scheme));
    }
    for exclusion in &estimate.excluded {
        let reason = snake(&exclusion.reason);
        match exclusion.facet {
            Facet::Candidate => {
                if let Some(row) = view.candidates.get_mut(exclusion.index) {
                    row.excluded = Some(reason);
                }
            }
            Facet::Examiner => {
                if let Some(row) = view.examiners.get_mut(exclusion.index) {
                    row.excluded = Some(reason);
                }
            }
            Facet::Criterion => {}
        }
    }
    view.examiners.sort_by(|a, b| {
        b.flag
            .is_some()
            .cmp(&a.flag.is_some())
            .then(b.severity.unwrap_or(f64::NEG_INFINITY).total_cmp(&a.severity.unwrap_or(f64::NEG_INFINITY)))
            .then(a.examiner.cmp(&b.examiner))
    });
    (view, difficulties)
}

fn exclusions(excluded: &[rasch::Exclusion], label: &impl Fn(Facet, usize) -> String) -> Vec<ExclusionView> {
    excluded
        .iter()
        .map(|exclusion| ExclusionView {
            facet: snake(&exclusion.facet),
            element: label(exclusion.facet, exclusion.index),
            reason: snake(&exclusion.reason),
            detail: exclusion_message(exclusion.reason).french(),
            message: exclusion_message(exclusion.reason),
        })
        .collect()
}

/// A share of the maximum converted by the scheme, at the position step:
/// information, never an official grade.
fn fair_grade(share: f64, scheme: &GradingScheme) -> Option<String> {
    let points = Decimal::try_from((share * 10_000.0).round() / 100.0).ok()?;
    let points = points.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    let grade = grille_scoring::calc::points_to_grade(points, Decimal::ONE_HUNDRED, scheme).ok()?;
    Some(grille_scoring::decimal::display_grade(grade.grade))
}

fn rubric_quality(
    part: &str,
    position: &str,
    rubric: &Rubric,
    rows: &[&RatingRow],
    thresholds: &items::ReviewThresholds,
    rasch_difficulty: &BTreeMap<CriterionKey, f64>,
) -> RubricQuality {
    let candidates = index(rows.iter().map(|row| row.candidate.clone()));
    let examiners = index(rows.iter().map(|row| row.examiner.clone()));
    let criteria: Vec<&str> = rubric.criteria.iter().map(|criterion| criterion.id.as_str()).collect();
    let observations: Vec<Observation> = rows
        .iter()
        .filter_map(|row| {
            Some(Observation {
                candidate: find(&candidates, &row.candidate),
                criterion: criteria.iter().position(|&id| id == row.criterion)?,
                examiner: find(&examiners, &row.examiner),
                rating: row.rating,
            })
        })
        .collect();
    let design = Design {
        candidates: candidates.len(),
        examiners: examiners.len(),
        criterion_max: criteria.iter().map(|id| max_level(rubric, id)).collect(),
    };
    let mut view = RubricQuality {
        part: part.to_owned(),
        position: position.to_owned(),
        rubric: rubric.id.clone(),
        version: rubric.version.clone(),
        title: rubric.title.clone(),
        alpha: stat_none("not_estimated"),
        complete_candidates: 0,
        incomplete_candidates: 0,
        criteria: Vec::new(),
    };
    let Ok(analysis) = items::analyse(&design, &observations) else { return view };
    view.alpha = stat_of(analysis.alpha);
    view.complete_candidates = analysis.complete_candidates;
    view.incomplete_candidates = analysis.incomplete_candidates;
    for review in items::worst_first(&analysis, thresholds) {
        let Some(stats) = analysis.criteria.get(review.criterion) else { continue };
        let id = criteria[review.criterion];
        let title = rubric
            .criterion(id)
            .map(|criterion| criterion.title.clone())
            .unwrap_or_else(|| LocalizedText::fr(id));
        view.criteria.push(CriterionQuality {
            criterion: id.to_owned(),
            title,
            max_level: stats.max,
            ratings: stats.ratings,
            not_assessable: stats.not_assessable,
            not_assessable_rate: stat_of(stats.not_assessable_rate),
            mean_level: stat_of(stats.mean_level),
            distribution: stats.distribution.clone(),
            difficulty: stat_of(stats.difficulty),
            rasch_difficulty: rasch_difficulty
                .get(&(position.to_owned(), rubric.id.clone(), id.to_owned()))
                .copied(),
            discrimination: stat_of(stats.discrimination),
            alpha_if_deleted: stat_of(stats.alpha_if_deleted),
            pairs: stats.disagreement.pairs,
            disagreement: stat_of(stats.disagreement.rate),
            mean_absolute_difference: stat_of(stats.disagreement.mean_absolute_difference),
            concerns: review.concerns.iter().map(reason_kind).collect(),
        });
    }
    view
}

/// A position score in per cent of its maximum points (weights included,
/// "not assessable" and left-out criteria leaving both).
fn percent(evaluation: &Scored<'_>) -> Option<f64> {
    let (mut points, mut max) = (Decimal::ZERO, Decimal::ZERO);
    for answer in &evaluation.content.answers {
        let (Some(given), false) = (answer.points, answer.not_assessable) else { continue };
        let criterion = evaluation.rubric.criterion(&answer.criterion)?;
        points += given * criterion.weight;
        max += criterion.max_points() * criterion.weight;
    }
    if max <= Decimal::ZERO {
        return None;
    }
    (points * Decimal::ONE_HUNDRED / max).to_f64()
}

fn icc_rows(scored: &[Scored<'_>], exam: &PinnedExam) -> Vec<IccRow> {
    // (position, candidate) → scores of the examiners, ordered by username
    // (`scored` is sorted so).
    let mut pairs: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for evaluation in scored {
        if let Some(score) = percent(evaluation) {
            pairs
                .entry((evaluation.position.as_str(), evaluation.candidate.as_str()))
                .or_default()
                .push(score);
        }
    }
    let matrix = |position: Option<&str>| -> Vec<Vec<f64>> {
        pairs
            .iter()
            .filter(|((p, _), scores)| scores.len() >= 2 && position.is_none_or(|position| *p == position))
            .map(|(_, scores)| scores[..2].to_vec())
            .collect()
    };
    let mut rows = Vec::new();
    let positions: Vec<&str> =
        exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()).map(|p| p.id.as_str()).collect();
    for position in positions.into_iter().map(Some).chain([None]) {
        let ratings = matrix(position);
        if position.is_some() && ratings.is_empty() {
            continue;
        }
        rows.push(icc_row(position, &ratings));
    }
    rows
}

fn icc_row(position: Option<&str>, ratings: &[Vec<f64>]) -> IccRow {
    let empty = || IccValue { value: stat_none("not_estimated"), lower: None, upper: None };
    let mut row = IccRow {
        position: position.map(str::to_owned),
        targets: ratings.len(),
        icc1_1: empty(),
        icc2_1: empty(),
        icc3_1: empty(),
        problem: None,
    };
    match icc::icc(ratings, 0.95) {
        Ok(report) => {
            let value = |coefficient: &icc::Coefficient| IccValue {
                value: stat_of(coefficient.value),
                lower: coefficient.interval.value().map(|interval| interval.lower),
                upper: coefficient.interval.value().map(|interval| interval.upper),
            };
            row.icc1_1 = value(&report.icc1_1);
            row.icc2_1 = value(&report.icc2_1);
            row.icc3_1 = value(&report.icc3_1);
        }
        Err(error) => row.problem = Some(reason_kind(&error)),
    }
    row
}
