//! An examiner's history across sessions (issue 13), for the board: the
//! examiner's many-facet Rasch severity in each part of each official
//! session they rated, read from each session's quality statistics (the
//! same estimation, memoised per session revision), oldest first, with a
//! precision-weighted summary. JSON and CSV.
//!
//! Every row's severity stays the one of its session's model (centred on
//! that part's panel); the rows say which rubrics each part used.
//!
//! Besides, the joint estimate (`joint`): one many-facet Rasch model on
//! the pooled ratings of the sessions the board chooses (`?sessions=3,7`;
//! by default every finalised official session in which the examiner
//! scored), restricted to the parts in which the examiner scored (the
//! panels the examiner sat on). Candidates stay distinct per session and
//! part, examiners are shared by username, criteria are linked across
//! sessions when they are the same rubric criterion (rubric id, criterion
//! id and number of levels; another rubric, or another number of levels,
//! is another criterion). The sessions are thus linked through the
//! examiners who rated in several; when nothing links them the answer says
//! which sessions fall into which group instead of comparing severities
//! that share no scale. `?table=joint` gives its table as CSV.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use grille_report::examiner_history::{
    ExaminerHistory, HistoryRow, JointConvergence, JointExaminer, JointExclusion, JointProblem, JointSession,
    JointSeverity, PooledSeverity, SessionChoice,
};
use grille_scoring::{Message, MessageCode};
use grille_statistics::rasch::pooled::{PooledError, SessionRatings, estimate_pooled};
use grille_statistics::rasch::{RaschError, RaschOptions};
use grille_statistics::{Facet, Observation};
use grille_workflow::SessionKind;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::AppState;
use crate::api_quality::{ExaminerSums, PassMark, add_rating, measure_examiner, unestimated_examiner};
use crate::auth::Board;
use crate::cache::JointKey;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiPath, ApiQuery};
use crate::reply::Download;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "qualité";
    ApiRouter::new()
        .api_route(
            "/api/examiners/{username}/history",
            get_with(history, |op| {
                op.tag(tag)
                    .summary(
                        "Historique d'un·e expert·e : sa sévérité (modèle de Rasch) dans chaque session et épreuve de la commission, avec erreur type, signal et résumé pondéré, et une estimation conjointe sur les sessions choisies",
                    )
                    .description(
                        "joint : un seul modèle de Rasch estimé sur les évaluations réunies des sessions choisies (sessions=3,7 ; par défaut toutes les sessions officielles arrêtées où l'expert·e a noté), dans les épreuves où l'expert·e a noté : candidat·e·s distinct·e·s par session, expert·e·s partagé·e·s, critères reliés s'ils sont le même critère de la même grille. Une session non reliée aux autres est signalée (problem), jamais comparée.",
                    )
            }),
        )
        .api_route(
            "/api/examiners/{username}/history/csv",
            get_with(history_csv, |op| {
                op.tag(tag).summary(
                    "Historique d'un·e expert·e en CSV (UTF-8 avec BOM) ; séparateur ; ou , ; table=sessions (défaut) ou joint (l'estimation conjointe)",
                )
            }),
        )
}

/// An examiner in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ExaminerPath {
    /// The examiner's login name.
    username: String,
}

/// Which sessions the joint estimate pools.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub(crate) struct HistoryParams {
    /// Session ids separated by commas (`3,7`), among the official
    /// sessions in which the examiner scored; by default every finalised
    /// one.
    #[serde(default)]
    sessions: Option<String>,
}

/// Which table the CSV holds.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum HistoryTable {
    /// One row per session and part (default).
    #[default]
    Sessions,
    /// The joint estimate: one row per examiner of the pooled parts.
    Joint,
}

/// Options of the CSV export.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct HistoryCsvParams {
    /// `semicolon` (default) or `comma`; `;` and `,` themselves are
    /// accepted too.
    #[serde(default)]
    delimiter: crate::api_quality::CsvDelimiter,
    /// `sessions` (default) or `joint`.
    #[serde(default)]
    table: HistoryTable,
    /// The sessions of the joint estimate, as for the JSON answer.
    #[serde(default)]
    sessions: Option<String>,
}

/// The session ids asked for, each checked to be a number.
fn chosen(sessions: Option<&str>) -> Result<Option<BTreeSet<i64>>, ApiError> {
    let Some(text) = sessions.map(str::trim).filter(|text| !text.is_empty()) else { return Ok(None) };
    let mut ids = BTreeSet::new();
    for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
        match part.parse::<i64>() {
            Ok(id) if id > 0 => {
                ids.insert(id);
            }
            _ => {
                return Err(ApiError::Invalid(vec![FieldError::said_in_field(
                    "sessions",
                    Message::new(MessageCode::ExaminerHistorySessionNumber).with("text", part),
                )]));
            }
        }
    }
    Ok(Some(ids))
}

/// One session's ratings in the parts the examiner scored in.
struct Pooling {
    session: grille_store::ExamSession,
    /// The revision of the session's data (the joint estimate's cache key).
    revision: Option<i64>,
    scheme: grille_scoring::GradingScheme,
    parts: BTreeSet<String>,
    rows: Vec<crate::api_quality::RatingRow>,
}

async fn collect(
    state: &AppState,
    board: &Board,
    username: &str,
    sessions_asked: Option<&str>,
) -> Result<ExaminerHistory, ApiError> {
    let asked = chosen(sessions_asked)?;
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
    let mut choices = Vec::new();
    let mut pooled = Vec::new();
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
        // The joint estimate's sessions: those in which the examiner
        // scored, finalised by default or as chosen.
        let ratings = crate::api_quality::session_ratings(&data, &exam)?;
        let parts: BTreeSet<String> =
            ratings.iter().filter(|row| row.examiner == username).map(|row| row.part.clone()).collect();
        if parts.is_empty() {
            continue;
        }
        let is_final = session.workflow_state.is_final();
        let selected = asked.as_ref().map_or(is_final, |asked| asked.contains(&session.id));
        choices.push(SessionChoice {
            session_id: session.id,
            name: session.name.clone(),
            date: date_of(session),
            is_final,
            selected,
        });
        if selected {
            let rows = ratings.into_iter().filter(|row| parts.contains(&row.part)).collect();
            pooled.push(Pooling {
                session: session.clone(),
                revision: data.revision,
                scheme: exam.scheme.clone(),
                parts,
                rows,
            });
        }
    }
    if let Some(asked) = &asked {
        let known: BTreeSet<i64> = choices.iter().map(|choice| choice.session_id).collect();
        let unknown: Vec<String> = asked.difference(&known).map(i64::to_string).collect();
        if !unknown.is_empty() {
            let message = if known.is_empty() {
                Message::new(MessageCode::ExaminerHistorySessionsNone)
            } else {
                Message::new(MessageCode::ExaminerHistorySessionsUnknown)
                    .with("known", known.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
            };
            let message = message.with("username", username).with("unknown", unknown.join(", "));
            return Err(ApiError::Invalid(vec![FieldError::said_in_field("sessions", message)]));
        }
    }
    let joint = if pooled.is_empty() {
        None
    } else {
        Some(joint_of(state, username, asked.is_some(), pooled).await?)
    };
    let pooled = PooledSeverity::of(rows.iter().filter_map(|row| row.severity.zip(row.standard_error.value)));
    Ok(ExaminerHistory {
        examiner: username.to_owned(),
        limits: crate::api_quality::limits(),
        sessions_read: read,
        flagged: rows.iter().filter(|row| row.flag.is_some()).count(),
        rows,
        pooled,
        choices,
        joint,
    })
}

/// The joint estimate of the pooled sessions, estimated once per set of
/// session revisions (see [`crate::cache`]): a write to one of the
/// sessions changes its revision, hence the key.
async fn joint_of(
    state: &AppState,
    subject: &str,
    chosen: bool,
    pooled: Vec<Pooling>,
) -> Result<JointSeverity, ApiError> {
    let sessions: Option<Vec<(i64, i64)>> =
        pooled.iter().map(|p| p.revision.map(|revision| (p.session.id, revision))).collect();
    let key = sessions.map(|sessions| JointKey { examiner: subject.to_owned(), chosen, sessions });
    if let Some(kept) = key.as_ref().and_then(|key| state.caches().joint(key)) {
        return Ok(JointSeverity::clone(&kept));
    }
    let subject = subject.to_owned();
    let joint = state.blocking(move || Ok(joint_severity(&subject, &pooled, chosen))).await?;
    if let Some(key) = key {
        state.caches().keep_joint(key, Arc::new(joint.clone()));
    }
    Ok(joint)
}

fn date_of(session: &grille_store::ExamSession) -> String {
    session.exam_date.clone().unwrap_or_else(|| session.created_at.chars().take(10).collect())
}

fn snake(value: &impl serde::Serialize) -> String {
    let value = serde_json::to_value(value).unwrap_or_default();
    value
        .as_str()
        .map(str::to_owned)
        .or_else(|| value.get("kind").and_then(|kind| kind.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// The pooled model of the chosen sessions, for the examiner `subject`.
fn joint_severity(subject: &str, pooled: &[Pooling], chosen: bool) -> JointSeverity {
    // Shared examiners and criteria (rubric, criterion, levels).
    let examiners: Vec<String> = pooled
        .iter()
        .flat_map(|p| p.rows.iter().map(|row| row.examiner.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let criteria: Vec<(String, String, u32)> = pooled
        .iter()
        .flat_map(|p| p.rows.iter().map(|row| (row.rubric.clone(), row.criterion.clone(), row.max)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let position = |sorted: &[String], value: &str| sorted.iter().position(|each| each == value).unwrap_or(0);
    let mut sessions = Vec::new();
    let mut candidates: Vec<String> = Vec::new();
    let mut sessions_of: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    let mut criterion_sessions: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let mut examiner_sums: Vec<ExaminerSums> = vec![(0, 0, 0.0, 0.0); examiners.len()];
    for (index, p) in pooled.iter().enumerate() {
        // Local elements: a candidate per part (an ability per exam part,
        // as in the session's own models).
        let local_candidates: Vec<(String, String)> = p
            .rows
            .iter()
            .map(|row| (row.part.clone(), row.candidate.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let local_examiners: Vec<usize> = p
            .rows
            .iter()
            .map(|row| position(&examiners, &row.examiner))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let local_criteria: Vec<usize> = p
            .rows
            .iter()
            .map(|row| {
                criteria.binary_search(&(row.rubric.clone(), row.criterion.clone(), row.max)).unwrap_or(0)
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let observations = p
            .rows
            .iter()
            .map(|row| {
                let examiner = position(&examiners, &row.examiner);
                let criterion = criteria
                    .binary_search(&(row.rubric.clone(), row.criterion.clone(), row.max))
                    .unwrap_or(0);
                sessions_of.entry(row.examiner.as_str()).or_default().insert(p.session.id);
                add_rating(&mut examiner_sums[examiner], row.rating, row.max);
                criterion_sessions.entry(criterion).or_default().insert(index);
                Observation {
                    candidate: local_candidates
                        .binary_search(&(row.part.clone(), row.candidate.clone()))
                        .unwrap_or(0),
                    criterion: local_criteria.binary_search(&criterion).unwrap_or(0),
                    examiner: local_examiners.binary_search(&examiner).unwrap_or(0),
                    rating: row.rating,
                }
            })
            .collect();
        candidates.extend(
            local_candidates.iter().map(|(part, number)| format!("{} / {part} / {number}", p.session.name)),
        );
        sessions.push(SessionRatings {
            candidates: local_candidates.len(),
            examiners: local_examiners,
            criteria: local_criteria,
            observations,
        });
    }
    let options = RaschOptions {
        severity_threshold: crate::api_quality::SEVERITY_THRESHOLD,
        significance: crate::api_quality::SIGNIFICANCE,
        ..RaschOptions::default()
    };
    let maxima: Vec<u32> = criteria.iter().map(|(_, _, max)| *max).collect();
    let label = |facet: Facet, index: usize| match facet {
        Facet::Candidate => candidates.get(index).cloned().unwrap_or_default(),
        Facet::Examiner => examiners.get(index).cloned().unwrap_or_default(),
        Facet::Criterion => criteria
            .get(index)
            .map(|(rubric, criterion, _)| format!("{rubric} / {criterion}"))
            .unwrap_or_default(),
    };
    let exclusions = |excluded: &[grille_statistics::rasch::Exclusion]| -> Vec<JointExclusion> {
        excluded
            .iter()
            .map(|e| JointExclusion {
                facet: snake(&e.facet),
                element: label(e.facet, e.index),
                reason: snake(&e.reason),
            })
            .collect()
    };
    let mut view = JointSeverity {
        chosen,
        sessions: pooled
            .iter()
            .zip(&sessions)
            .map(|(p, ratings)| JointSession {
                session_id: p.session.id,
                name: p.session.name.clone(),
                date: date_of(&p.session),
                parts: p.parts.iter().cloned().collect(),
                ratings: ratings.observations.len(),
            })
            .collect(),
        ratings: pooled
            .iter()
            .flat_map(|p| &p.rows)
            .filter(|row| matches!(row.rating, grille_statistics::Rating::Level(_)))
            .count(),
        candidates: candidates.len(),
        criteria: criteria.len(),
        linked_criteria: criterion_sessions.values().filter(|sessions| sessions.len() > 1).count(),
        estimated: false,
        problem: None,
        convergence: None,
        pass_share: None,
        examiners: examiners
            .iter()
            .zip(&examiner_sums)
            .map(|(name, sums)| JointExaminer {
                subject: name == subject,
                sessions: sessions_of.get(name.as_str()).map_or(0, BTreeSet::len),
                measure: unestimated_examiner(name, *sums),
            })
            .collect(),
        exclusions: Vec::new(),
    };
    let fit = match estimate_pooled(examiners.len(), &maxima, &sessions, &options) {
        Ok(fit) => fit,
        Err(error) => {
            let ids = |groups: &[Vec<usize>]| -> Vec<Vec<i64>> {
                groups.iter().map(|group| group.iter().map(|&s| pooled[s].session.id).collect()).collect()
            };
            let names = |groups: Vec<&Vec<usize>>| -> Vec<Vec<String>> {
                groups
                    .iter()
                    .map(|group| group.iter().map(|&e| label(Facet::Examiner, e)).collect())
                    .collect()
            };
            view.problem = Some(match &error {
                PooledError::Rasch { error, session_groups } => {
                    let (kind, examiner_groups, excluded) = match error {
                        RaschError::Disconnected { subsets, excluded } => (
                            "disconnected",
                            names(subsets.iter().map(|s| &s.examiners).filter(|e| !e.is_empty()).collect()),
                            excluded.as_slice(),
                        ),
                        RaschError::Confounded { groups, excluded } => (
                            "confounded",
                            names(
                                groups
                                    .iter()
                                    .filter(|g| g.facet == Facet::Examiner)
                                    .flat_map(|g| g.groups.iter())
                                    .collect(),
                            ),
                            excluded.as_slice(),
                        ),
                        RaschError::NothingToEstimate { excluded } => {
                            ("nothing_to_estimate", Vec::new(), excluded.as_slice())
                        }
                        RaschError::Input { .. } | RaschError::InvalidOption { .. } => {
                            ("input", Vec::new(), &[][..])
                        }
                    };
                    view.exclusions = exclusions(excluded);
                    JointProblem {
                        kind: kind.to_owned(),
                        session_groups: ids(session_groups),
                        examiner_groups,
                    }
                }
                PooledError::Link { .. } | PooledError::Input { .. } => JointProblem {
                    kind: "input".to_owned(),
                    session_groups: Vec::new(),
                    examiner_groups: Vec::new(),
                },
            });
            return view;
        }
    };
    let estimate = &fit.estimate;
    view.estimated = true;
    view.convergence = Some(JointConvergence {
        iterations: estimate.convergence.iterations,
        max_change: estimate.convergence.max_change,
        converged: estimate.convergence.converged,
    });
    view.exclusions = exclusions(&estimate.excluded);
    // The grade effect at the pass mark of the latest session's scheme,
    // over the pooled criteria (as the quality page does over a part's).
    let latest = pooled.last().map(|p| &p.scheme);
    let (share, below, above) = latest.map_or((0.6, 0.0, 0.0), crate::api_quality::pass_share);
    let total_max: f64 = estimate.criteria.iter().map(|c| f64::from(maxima[c.criterion])).sum();
    let pass_ability = estimate.ability_for_total(share * total_max).ok();
    view.pass_share = pass_ability.map(|_| share);
    let at_pass = PassMark { ability: pass_ability, total_max, slopes: (below, above) };
    for e in &estimate.examiners {
        measure_examiner(
            &mut view.examiners[e.examiner].measure,
            e,
            estimate,
            &at_pass,
            &Message::new(MessageCode::QualityPanelSessions),
        );
    }
    for exclusion in estimate.excluded.iter().filter(|e| e.facet == Facet::Examiner) {
        if let Some(row) = view.examiners.get_mut(exclusion.index) {
            row.measure.excluded = Some(snake(&exclusion.reason));
        }
    }
    view.examiners.sort_by(|a, b| {
        let (m, n) = (&a.measure, &b.measure);
        b.subject
            .cmp(&a.subject)
            .then(n.flag.is_some().cmp(&m.flag.is_some()))
            .then(n.severity.unwrap_or(f64::NEG_INFINITY).total_cmp(&m.severity.unwrap_or(f64::NEG_INFINITY)))
            .then(m.examiner.cmp(&n.examiner))
    });
    view
}

async fn history(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<ExaminerPath>,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> Result<Json<ExaminerHistory>, ApiError> {
    Ok(Json(collect(&state, &board, &path.username, params.sessions.as_deref()).await?))
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

/// The joint estimate's CSV rows, header first: one row per examiner,
/// the examiner followed first; no row but the header without a joint
/// estimate.
pub(crate) fn joint_csv_rows(history: &ExaminerHistory) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "expert_e",
            "suivi_e",
            "sessions",
            "evaluations",
            "severite_logits",
            "erreur_type",
            "infit",
            "outfit",
            "effet_note_au_seuil",
            "signal",
            "exclusion",
            "sessions_reunies",
            "probleme",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let Some(joint) = &history.joint else { return rows };
    let pooled: Vec<String> = joint.sessions.iter().map(|s| s.session_id.to_string()).collect();
    let problem = joint.problem.as_ref().map(|p| p.kind.clone()).unwrap_or_default();
    for joint_examiner in &joint.examiners {
        let e = &joint_examiner.measure;
        rows.push(vec![
            e.examiner.clone(),
            if joint_examiner.subject { "oui" } else { "non" }.to_owned(),
            joint_examiner.sessions.to_string(),
            e.ratings.to_string(),
            number(e.severity, 2),
            number(e.standard_error.value, 2),
            number(e.infit.value, 2),
            number(e.outfit.value, 2),
            number(e.grade_effect, 2),
            e.flag.as_ref().map(|flag| flag.direction.clone()).unwrap_or_default(),
            e.excluded.clone().unwrap_or_default(),
            pooled.join(" "),
            problem.clone(),
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
    let history = collect(&state, &board, &path.username, params.sessions.as_deref()).await?;
    let delimiter = match params.delimiter {
        crate::api_quality::CsvDelimiter::Semicolon => b';',
        crate::api_quality::CsvDelimiter::Comma => b',',
    };
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(vec![0xEF, 0xBB, 0xBF]);
    let rows = match params.table {
        HistoryTable::Sessions => csv_rows(&history),
        HistoryTable::Joint => joint_csv_rows(&history),
    };
    for row in rows {
        writer.write_record(&row).map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    let safe: String =
        path.username.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: match params.table {
            HistoryTable::Sessions => format!("historique-{safe}.csv"),
            HistoryTable::Joint => format!("historique-{safe}-conjoint.csv"),
        },
        body,
    })
}
