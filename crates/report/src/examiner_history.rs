//! The page "Historique d'un·e expert·e / Verlauf einer Expertin, eines
//! Experten": one examiner's Rasch severity in every session of the board,
//! part by part, listed over time with its standard error and flag, a
//! precision-weighted summary in a plain sentence, a chart beside the
//! table, and the CSV (`GET /api/examiners/{username}/history`, computed
//! by grille-server from each session's quality statistics). The answer's
//! types are here, below the server, so that the page reads them by field.
//!
//! Each row's severity is estimated in its own session's model (centred
//! on that part's panel), so a row compares the examiner with the
//! colleagues of that session; the summary is the inverse-variance
//! weighted mean of the rows. Below them, the joint estimate
//! ([`JointSeverity`]): one Rasch model on the pooled ratings of the
//! sessions the board ticks (the page's form, `?sessions=…`), with the
//! panel's other examiners for context, its convergence, and the groups of
//! sessions that nothing links when it cannot be estimated; its table also
//! as CSV (`…/history/csv?table=joint`).

use grille_competence::LocalizedText;
use grille_workflow::SessionState;
use minijinja::Environment;
use minijinja::value::{Serde, Value};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::{self, Language};
use crate::quality::model::ExaminerSeverity;
use crate::quality::{QualityLimits, Stat, charts};
use crate::templates::{AccountLayout, PageError, render};

/// One examiner's severities across the board's sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExaminerHistory {
    /// The examiner's username.
    pub examiner: String,
    /// The limits of the flags (those of the quality page).
    pub limits: QualityLimits,
    /// Sessions whose statistics were read (every official session the
    /// board may read the results of).
    pub sessions_read: usize,
    /// One row per session and part the examiner rated, oldest first.
    pub rows: Vec<HistoryRow>,
    /// The inverse-variance weighted mean of the estimated severities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooled: Option<PooledSeverity>,
    /// Rows in which the examiner was flagged.
    pub flagged: usize,
    /// The official sessions in which the examiner scored, for the board
    /// to choose those the joint estimate pools.
    #[serde(default)]
    pub choices: Vec<SessionChoice>,
    /// One Rasch model estimated on the pooled ratings of the chosen
    /// sessions; absent when no session is chosen (none finalised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint: Option<JointSeverity>,
}

/// An official session the examiner scored in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SessionChoice {
    /// The session id.
    pub session_id: i64,
    /// Its name.
    pub name: String,
    /// The exam date, else the creation date.
    pub date: String,
    /// `true` once finalised (the default choice).
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Whether the joint estimate pools it.
    pub selected: bool,
}

/// The examiner's severity estimated once over several sessions: one
/// many-facet Rasch model on the pooled ratings of every part in which
/// the examiner scored in the chosen sessions, candidates distinct per
/// session, examiners shared, criteria linked when they are the same
/// rubric criterion (rubric id, criterion id and number of levels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JointSeverity {
    /// Whether the board chose the sessions (else: every finalised one).
    pub chosen: bool,
    /// The sessions pooled, oldest first.
    pub sessions: Vec<JointSession>,
    /// Ratings with a level pooled.
    pub ratings: usize,
    /// Candidates (each session's counted apart).
    pub candidates: usize,
    /// Criteria of the pooled model.
    pub criteria: usize,
    /// Criteria rated in more than one session (the rubric links).
    pub linked_criteria: usize,
    /// Whether the model could be estimated.
    pub estimated: bool,
    /// Why not, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<JointProblem>,
    /// How the iterations ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convergence: Option<JointConvergence>,
    /// The share of the maximum at the pass mark used for the grade effect
    /// (the grading scheme of the latest pooled session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_share: Option<f64>,
    /// The examiner followed, then the other examiners of the pooled parts
    /// (flagged first, then from the most severe).
    pub examiners: Vec<JointExaminer>,
    /// Elements left out of the estimation, with the reason.
    pub exclusions: Vec<JointExclusion>,
}

/// A pooled session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct JointSession {
    /// The session id.
    pub session_id: i64,
    /// Its name.
    pub name: String,
    /// The exam date, else the creation date.
    pub date: String,
    /// The parts pooled (those the examiner scored in).
    pub parts: Vec<String>,
    /// Ratings it brings (with a level or "not assessable").
    pub ratings: usize,
}

/// Why the joint model could not be estimated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct JointProblem {
    /// `disconnected` (no shared examiner or criterion links the
    /// groups), `confounded` (only shared criteria link them, so severity
    /// and ability cannot be told apart), `nothing_to_estimate` (no rating
    /// left after the extreme scores) or `input`.
    pub kind: String,
    /// The groups of sessions that nothing links (ids), when known.
    pub session_groups: Vec<Vec<i64>>,
    /// The groups of examiners that cannot be compared, when known.
    pub examiner_groups: Vec<Vec<String>>,
}

/// How the iterations ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JointConvergence {
    /// Iterations run.
    pub iterations: u32,
    /// Largest change in the last one, in logits.
    pub max_change: f64,
    /// Whether it converged.
    pub converged: bool,
}

/// One examiner in the joint model: their measures, as the quality page
/// gives them for one part, over the pooled sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JointExaminer {
    /// Whether this is the examiner whose history is shown.
    pub subject: bool,
    /// Pooled sessions the examiner scored in.
    pub sessions: usize,
    /// Ratings, severity centred on the pooled panel, standard error, fit,
    /// the effect at the pass mark and the flag.
    #[serde(flatten)]
    pub measure: ExaminerSeverity,
}

/// An element left out of the joint model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct JointExclusion {
    /// `candidate`, `criterion` or `examiner`.
    pub facet: String,
    /// Which one (`session / number` for a candidate, `rubric / criterion`
    /// for a criterion, the username for an examiner).
    pub element: String,
    /// The reason (the quality page's codes).
    pub reason: String,
}

/// The examiner in one part of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryRow {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// The exam date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam_date: Option<String>,
    /// When the session was created (the order when no exam date).
    pub created_at: String,
    /// The session's workflow state.
    pub state: SessionState,
    /// The exam part.
    pub part: String,
    /// The part's title.
    pub part_title: LocalizedText,
    /// The rubrics of the part's positions (`id version`), which the
    /// sessions compared share or not.
    pub rubrics: Vec<String>,
    /// Examiners in the part's model (the panel).
    pub panel: usize,
    /// Ratings by the examiner.
    pub ratings: usize,
    /// Severity in logits, centred on the part's panel (positive: severe).
    pub severity: Option<f64>,
    /// Its standard error.
    pub standard_error: Stat,
    /// Infit mean square.
    pub infit: Stat,
    /// Outfit mean square.
    pub outfit: Stat,
    /// The effect at the pass mark, in grade points.
    pub grade_effect: Option<f64>,
    /// `severe` or `lenient` when flagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// Why the examiner was left out of the estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

/// A weighted mean of severities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PooledSeverity {
    /// The mean, in logits.
    pub severity: f64,
    /// Its standard error (1 / √Σ weights).
    pub standard_error: f64,
    /// Rows that entered it (estimated, with a standard error).
    pub rows: usize,
}

impl PooledSeverity {
    /// The inverse-variance weighted mean of `(severity, standard error)`
    /// pairs; `None` without any usable pair.
    pub fn of(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<PooledSeverity> {
        let (mut weights, mut sum, mut rows) = (0.0, 0.0, 0);
        for (severity, se) in pairs {
            if severity.is_finite() && se.is_finite() && se > 0.0 {
                let weight = 1.0 / (se * se);
                weights += weight;
                sum += weight * severity;
                rows += 1;
            }
        }
        (rows > 0).then(|| PooledSeverity {
            severity: sum / weights,
            standard_error: 1.0 / weights.sqrt(),
            rows,
        })
    }
}

fn number(value: Option<f64>, decimals: usize) -> String {
    match value.filter(|value| value.is_finite()) {
        Some(value) => format!("{value:.decimals$}"),
        None => "—".to_owned(),
    }
}

fn signed(value: Option<f64>) -> String {
    match value.filter(|value| value.is_finite()) {
        Some(value) if value.abs() < 0.005 => "0.00".to_owned(),
        Some(value) => format!("{value:+.2}").replace('-', "−"),
        None => "—".to_owned(),
    }
}

/// The plain sentence that sums the history up.
pub fn summary_sentence(history: &ExaminerHistory, language: Language) -> String {
    let tr = |key: &str| i18n::translate(language, key);
    let Some(pooled) = history.pooled else {
        return i18n::format(&tr("history.summary.none"), &[("examiner", history.examiner.clone())]);
    };
    let threshold = history.limits.severity_threshold;
    let significant = (pooled.severity / pooled.standard_error).abs() > history.limits.significance;
    let direction = if pooled.severity > threshold && significant {
        "history.summary.severe"
    } else if pooled.severity < -threshold && significant {
        "history.summary.lenient"
    } else {
        "history.summary.close"
    };
    let sessions: std::collections::BTreeSet<i64> = history.rows.iter().map(|row| row.session_id).collect();
    i18n::format(
        &tr("history.summary.text"),
        &[
            ("examiner", history.examiner.clone()),
            ("rows", pooled.rows.to_string()),
            ("sessions", sessions.len().to_string()),
            ("severity", signed(Some(pooled.severity))),
            ("se", number(Some(pooled.standard_error), 2)),
            ("direction", tr(direction)),
            ("flagged", history.flagged.to_string()),
        ],
    )
}

#[derive(Serialize)]
struct RowView {
    session_id: i64,
    session: String,
    date: String,
    state_key: String,
    part: String,
    part_title: String,
    rubrics: String,
    panel: usize,
    ratings: usize,
    severity: String,
    standard_error: String,
    infit: String,
    outfit: String,
    effect: String,
    flag: Option<String>,
    excluded: Option<String>,
}

#[derive(Serialize)]
struct JointRow {
    examiner: String,
    subject: bool,
    sessions: usize,
    ratings: usize,
    severity: String,
    standard_error: String,
    infit: String,
    outfit: String,
    effect: String,
    flag: Option<String>,
    excluded: Option<String>,
}

#[derive(Serialize)]
struct JointView {
    sentence: String,
    flag: Option<String>,
    design: String,
    sessions: String,
    convergence: Option<String>,
    converged: bool,
    problem: Option<String>,
    groups: Option<String>,
    rows: Vec<JointRow>,
    exclusions: Vec<String>,
}

fn exclusion_reason(reason: &str, language: Language) -> String {
    i18n::lookup(language, &format!("quality.exclusion.{reason}"))
        .map(str::to_owned)
        .unwrap_or_else(|| i18n::translate(language, "quality.exclusion.no_ratings"))
}

/// The plain sentences and the table of the joint estimate.
fn joint_view(history: &ExaminerHistory, joint: &JointSeverity, language: Language) -> JointView {
    let tr = |key: &str| i18n::translate(language, key);
    let name = |id: i64| {
        joint.sessions.iter().find(|s| s.session_id == id).map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let subject = joint.examiners.iter().find(|e| e.subject).map(|e| &e.measure);
    let limits = &history.limits;
    let sentence = match subject.and_then(|e| e.severity.zip(e.standard_error.value)) {
        Some((severity, se)) => {
            let significant = se > 0.0 && (severity / se).abs() > limits.significance;
            let direction = if severity > limits.severity_threshold && significant {
                "history.summary.severe"
            } else if severity < -limits.severity_threshold && significant {
                "history.summary.lenient"
            } else {
                "history.summary.close"
            };
            i18n::format(
                &tr("history.joint.sentence"),
                &[
                    ("examiner", history.examiner.clone()),
                    ("sessions", joint.sessions.len().to_string()),
                    ("ratings", subject.map_or(0, |e| e.ratings).to_string()),
                    ("severity", signed(Some(severity))),
                    ("se", number(Some(se), 2)),
                    ("direction", tr(direction)),
                ],
            )
        }
        None => i18n::format(
            &tr("history.joint.sentence.none"),
            &[
                ("examiner", history.examiner.clone()),
                (
                    "reason",
                    match (&joint.problem, subject.and_then(|e| e.excluded.as_deref())) {
                        (Some(_), _) => tr("history.joint.reason.model"),
                        (None, Some(reason)) => exclusion_reason(reason, language),
                        (None, None) => tr("history.joint.reason.no_information"),
                    },
                ),
            ],
        ),
    };
    let flag = subject.and_then(|e| {
        let flag = e.flag.as_ref()?;
        let effect = e
            .grade_effect
            .map(|effect| i18n::format(&tr("history.joint.effect"), &[("effect", signed(Some(effect)))]))
            .unwrap_or_default();
        Some(i18n::format(
            &tr("history.joint.flag"),
            &[
                ("examiner", e.examiner.clone()),
                ("manner", tr(&format!("history.joint.manner.{}", flag.direction))),
                ("difference", signed(Some(flag.difference))),
                ("z", number(Some(flag.z.abs()), 1)),
                ("effect", effect),
            ],
        ))
    });
    let problem = joint.problem.as_ref().map(|problem| {
        i18n::lookup(language, &format!("history.joint.problem.{}", problem.kind))
            .map(str::to_owned)
            .unwrap_or_else(|| tr("history.joint.problem.input"))
    });
    let groups = joint.problem.as_ref().filter(|p| p.session_groups.len() > 1).map(|problem| {
        let groups: Vec<String> = problem
            .session_groups
            .iter()
            .map(|group| format!("[{}]", group.iter().map(|&id| name(id)).collect::<Vec<_>>().join(", ")))
            .collect();
        i18n::format(&tr("history.joint.groups"), &[("groups", groups.join(" · "))])
    });
    let convergence = joint.convergence.map(|c| {
        if c.converged {
            i18n::format(&tr("history.joint.converged"), &[("iterations", c.iterations.to_string())])
        } else {
            i18n::format(
                &tr("history.joint.not_converged"),
                &[("iterations", c.iterations.to_string()), ("change", number(Some(c.max_change), 4))],
            )
        }
    });
    let rows = joint
        .examiners
        .iter()
        .map(|joint| {
            let e = &joint.measure;
            JointRow {
                examiner: e.examiner.clone(),
                subject: joint.subject,
                sessions: joint.sessions,
                ratings: e.ratings,
                severity: signed(e.severity),
                standard_error: number(e.standard_error.value, 2),
                infit: number(e.infit.value, 2),
                outfit: number(e.outfit.value, 2),
                effect: signed(e.grade_effect),
                flag: e.flag.as_ref().map(|flag| tr(&format!("history.flag.{}", flag.direction))),
                excluded: e.excluded.as_deref().map(|reason| exclusion_reason(reason, language)),
            }
        })
        .collect();
    JointView {
        sentence,
        flag,
        design: i18n::format(
            &tr("history.joint.design"),
            &[
                ("candidates", joint.candidates.to_string()),
                ("criteria", joint.criteria.to_string()),
                ("linked", joint.linked_criteria.to_string()),
                ("examiners", joint.examiners.len().to_string()),
                ("ratings", joint.ratings.to_string()),
            ],
        ),
        sessions: i18n::format(
            &tr("history.joint.sessions"),
            &[(
                "sessions",
                joint
                    .sessions
                    .iter()
                    .map(|s| format!("{} ({}, {})", s.name, s.date, s.parts.join(", ")))
                    .collect::<Vec<_>>()
                    .join(i18n::semicolon(language)),
            )],
        ),
        converged: joint.convergence.is_some_and(|c| c.converged),
        convergence,
        problem,
        groups,
        rows,
        exclusions: joint
            .exclusions
            .iter()
            .map(|e| format!("{} — {}", e.element, exclusion_reason(&e.reason, language)))
            .collect(),
    }
}

/// Renders the page from the API's answer.
pub fn history_page(
    environment: &Environment<'_>,
    history: &ExaminerHistory,
    account: &AccountLayout,
    language: Language,
) -> Result<String, PageError> {
    let tr = |key: &str| i18n::translate(language, key);
    let rows: Vec<RowView> = history
        .rows
        .iter()
        .map(|row| RowView {
            session_id: row.session_id,
            session: row.session_name.clone(),
            date: row.exam_date.clone().unwrap_or_else(|| row.created_at.chars().take(10).collect()),
            state_key: crate::examiner::session_state_key(row.state.as_str()).to_owned(),
            part: row.part.clone(),
            part_title: row.part_title.get(language.code()).to_owned(),
            rubrics: row.rubrics.join(", "),
            panel: row.panel,
            ratings: row.ratings,
            severity: signed(row.severity),
            standard_error: number(row.standard_error.value, 2),
            infit: number(row.infit.value, 2),
            outfit: number(row.outfit.value, 2),
            effect: signed(row.grade_effect),
            flag: row.flag.as_ref().map(|direction| tr(&format!("history.flag.{direction}"))),
            excluded: row.excluded.as_ref().map(|reason| {
                i18n::lookup(language, &format!("quality.exclusion.{reason}"))
                    .map(str::to_owned)
                    .unwrap_or_else(|| tr("quality.exclusion.no_ratings"))
            }),
        })
        .collect();
    let dots: Vec<charts::Dot> = history
        .rows
        .iter()
        .map(|row| {
            let se = row.standard_error.value.filter(|se| se.is_finite());
            charts::Dot {
                // The date and the part: short enough for the chart's
                // labels; the table names the session.
                label: i18n::format(
                    &tr("history.chart.row"),
                    &[
                        (
                            "date",
                            row.exam_date
                                .clone()
                                .unwrap_or_else(|| row.created_at.chars().take(10).collect()),
                        ),
                        ("part", row.part.clone()),
                    ],
                ),
                value: row.severity,
                interval: row.severity.zip(se).map(|(value, se)| (value - 2.0 * se, value + 2.0 * se)),
                flagged: row.flag.is_some(),
                text: signed(row.severity),
            }
        })
        .collect();
    let title = i18n::format(&tr("history.chart.title"), &[("examiner", history.examiner.clone())]);
    let chart = (!dots.is_empty()).then(|| {
        charts::dot_plot(&charts::DotPlot {
            title: &title,
            description: &tr("history.chart.desc"),
            axis: &tr("quality.chart.severity.axis"),
            dots: &dots,
            references: &[charts::Reference { at: 0.0, label: tr("quality.chart.severity.panel") }],
            range: (-1.0, 1.0),
        })
    });
    let base = format!("/api/examiners/{}/history", history.examiner);
    let joint = history.joint.as_ref().map(|joint| joint_view(history, joint, language));
    let chosen: Vec<String> = history
        .joint
        .as_ref()
        .filter(|joint| joint.chosen)
        .map(|joint| joint.sessions.iter().map(|s| s.session_id.to_string()).collect())
        .unwrap_or_default();
    let joint_csv = if chosen.is_empty() {
        format!("{base}/csv?table=joint")
    } else {
        format!("{base}/csv?table=joint&sessions={}", chosen.join(","))
    };
    let view = minijinja::context! {
        account => Value::from(Serde(account)),
        examiner => &history.examiner,
        sentence => summary_sentence(history, language),
        sessions_read => history.sessions_read,
        rows => Value::from(Serde(&rows)),
        chart => chart,
        threshold => number(Some(history.limits.severity_threshold), 1),
        significance => number(Some(history.limits.significance), 1),
        csv => format!("{base}/csv"),
        json => base,
        joint => joint.map(|joint| Value::from(Serde(joint))),
        joint_csv => joint_csv,
        choices => Value::from(Serde(&history.choices)),
        joint_none => i18n::format(&tr("history.joint.none"), &[("examiner", history.examiner.clone())]),
        choose_hint => i18n::format(&tr("history.joint.choose.hint"), &[("examiner", history.examiner.clone())]),
    };
    render(environment, "examiner_history.html", language, "examiner_history", view)
}

/// The keys this module builds from the data, listed so that a test
/// checks each exists in every language.
pub const CODE_KEYS: [&str; 28] = [
    "history.joint.none",
    "history.joint.choose.hint",
    "history.joint.sentence",
    "history.joint.sentence.none",
    "history.joint.reason.model",
    "history.joint.reason.no_information",
    "history.joint.effect",
    "history.joint.flag",
    "history.joint.manner.severe",
    "history.joint.manner.lenient",
    "history.joint.problem.disconnected",
    "history.joint.problem.confounded",
    "history.joint.problem.nothing_to_estimate",
    "history.joint.problem.input",
    "history.joint.groups",
    "history.joint.converged",
    "history.joint.not_converged",
    "history.joint.design",
    "history.joint.sessions",
    "history.summary.none",
    "history.summary.text",
    "history.summary.severe",
    "history.summary.lenient",
    "history.summary.close",
    "history.flag.severe",
    "history.flag.lenient",
    "history.chart.row",
    "history.chart.title",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn row(session: i64, severity: f64, se: f64, flag: Option<&str>) -> HistoryRow {
        let stat = |value: f64| Stat { value: Some(value), not_estimable: None };
        HistoryRow {
            session_id: session,
            session_name: format!("Session {session}"),
            exam_date: None,
            created_at: "2026-01-01T00:00:00Z".into(),
            state: SessionState::Finalised,
            part: "3".into(),
            part_title: LocalizedText::fr("Épreuve orale"),
            rubrics: vec!["grille-3 1".into()],
            panel: 2,
            ratings: 40,
            severity: Some(severity),
            standard_error: stat(se),
            infit: stat(1.0),
            outfit: stat(1.1),
            grade_effect: Some(-severity / 2.0),
            flag: flag.map(str::to_owned),
            excluded: None,
        }
    }

    fn limits() -> QualityLimits {
        QualityLimits {
            severity_threshold: 0.5,
            significance: 2.0,
            min_discrimination: 0.2,
            max_disagreement: 0.3,
            max_not_assessable: 0.2,
        }
    }

    #[test]
    fn the_pooled_severity_weights_each_row_by_its_precision() {
        let pooled = PooledSeverity::of([(1.0, 0.5), (-1.0, 1.0), (f64::NAN, 0.2), (2.0, 0.0)]).unwrap();
        // Weights 4 and 1: (4 − 1) / 5 = 0.6; SE 1/√5.
        assert!((pooled.severity - 0.6).abs() < 1e-12);
        assert!((pooled.standard_error - 1.0 / 5f64.sqrt()).abs() < 1e-12);
        assert_eq!(pooled.rows, 2);
        assert!(PooledSeverity::of([]).is_none());
    }

    #[test]
    fn the_page_says_in_a_sentence_what_the_history_shows_in_every_language() {
        let rows = vec![row(1, -1.2, 0.3, Some("lenient")), row(2, -0.9, 0.3, None)];
        let pooled = PooledSeverity::of(rows.iter().map(|r| (r.severity.unwrap(), 0.3)));
        let history = ExaminerHistory {
            examiner: "exp-05".into(),
            limits: limits(),
            sessions_read: 2,
            rows,
            pooled,
            flagged: 1,
            choices: Vec::new(),
            joint: None,
        };
        let environment = crate::templates::environment();
        let account =
            AccountLayout { username: "admin".into(), role: "admin", csrf: "token".into(), home: "/board" };
        for language in Language::ALL {
            let sentence = summary_sentence(&history, language);
            assert!(sentence.contains("exp-05") && sentence.contains("−1.05"), "{language:?}: {sentence}");
            let page = history_page(&environment, &history, &account, language).unwrap();
            assert!(!page.contains('⟦'), "{language:?}: a key is missing");
            assert!(page.contains(r#"id="history-table""#) && page.contains(r#"role="img""#));
        }
        assert!(summary_sentence(&history, Language::Fr).contains("plus généreusement"));
        let empty = ExaminerHistory { rows: vec![], pooled: None, flagged: 0, ..history };
        assert!(summary_sentence(&empty, Language::De).contains("exp-05"));
    }

    fn joint_examiner(name: &str, subject: bool, severity: f64, flag: Option<&str>) -> JointExaminer {
        let stat = |value: f64| Stat { value: Some(value), not_estimable: None };
        let measure = ExaminerSeverity {
            examiner: name.into(),
            ratings: 120,
            not_assessable: 0,
            observed_share: 0.6,
            severity: Some(severity),
            standard_error: stat(0.12),
            infit: stat(1.0),
            outfit: stat(1.05),
            grade_effect: Some(-severity / 3.0),
            flag: flag.map(|direction| crate::quality::model::SeverityFlagView {
                direction: direction.into(),
                difference: severity,
                z: severity / 0.12,
                sentence: String::new(),
                message: grille_competence::Message::new(grille_competence::MessageCode::QualityFlagSevere),
            }),
            excluded: None,
        };
        JointExaminer { subject, sessions: 2, measure }
    }

    fn joint_history(joint: JointSeverity) -> ExaminerHistory {
        ExaminerHistory {
            examiner: "exp-05".into(),
            limits: limits(),
            sessions_read: 2,
            rows: vec![row(1, 0.9, 0.3, None), row(2, 0.8, 0.3, None)],
            pooled: None,
            flagged: 0,
            choices: vec![
                SessionChoice {
                    session_id: 1,
                    name: "Session 1".into(),
                    date: "2026-05-01".into(),
                    is_final: true,
                    selected: true,
                },
                SessionChoice {
                    session_id: 2,
                    name: "Session 2".into(),
                    date: "2026-09-01".into(),
                    is_final: false,
                    selected: false,
                },
            ],
            joint: Some(joint),
        }
    }

    fn joint() -> JointSeverity {
        JointSeverity {
            chosen: false,
            sessions: vec![JointSession {
                session_id: 1,
                name: "Session 1".into(),
                date: "2026-05-01".into(),
                parts: vec!["3".into()],
                ratings: 300,
            }],
            ratings: 290,
            candidates: 40,
            criteria: 12,
            linked_criteria: 12,
            estimated: true,
            problem: None,
            convergence: Some(JointConvergence { iterations: 30, max_change: 0.000_001, converged: true }),
            pass_share: Some(0.6),
            examiners: vec![
                joint_examiner("exp-05", true, 0.85, Some("severe")),
                joint_examiner("exp-01", false, -0.4, None),
            ],
            exclusions: vec![JointExclusion {
                facet: "candidate".into(),
                element: "Session 1 / 3 / A1".into(),
                reason: "all_highest".into(),
            }],
        }
    }

    #[test]
    fn the_joint_estimate_is_said_in_sentences_with_its_table_in_every_language() {
        let environment = crate::templates::environment();
        let account =
            AccountLayout { username: "admin".into(), role: "admin", csrf: "token".into(), home: "/board" };
        let history = joint_history(joint());
        for language in Language::ALL {
            let page = history_page(&environment, &history, &account, language).unwrap();
            assert!(!page.contains('⟦'), "{language:?}: a key is missing");
            for id in [
                "joint-form",
                "joint-sentence",
                "joint-flag",
                "joint-table",
                "joint-subject",
                "joint-csv",
                "joint-exclusions",
            ] {
                assert!(page.contains(&format!(r#"id="{id}""#)), "{language:?}: no {id}");
            }
            assert!(page.contains("+0.85") && page.contains("0.12"), "{language:?}");
        }
        let french = history_page(&environment, &history, &account, Language::Fr).unwrap();
        assert!(french.contains("plus sévèrement que les autres expert·e·s"), "{french}");
        assert!(french.contains(r#"value="1" id="joint-session-1" checked"#), "{french}");
        assert!(!french.contains(r#"value="2" id="joint-session-2" checked"#));

        // Sessions that nothing links: the groups by name, no table row
        // with a severity.
        let mut broken = joint();
        broken.estimated = false;
        broken.convergence = None;
        broken.chosen = true;
        broken.sessions.push(JointSession {
            session_id: 2,
            name: "Session 2".into(),
            date: "2026-09-01".into(),
            parts: vec!["3".into()],
            ratings: 100,
        });
        broken.problem = Some(JointProblem {
            kind: "disconnected".into(),
            session_groups: vec![vec![1], vec![2]],
            examiner_groups: vec![],
        });
        for examiner in &mut broken.examiners {
            examiner.measure.severity = None;
            examiner.measure.flag = None;
        }
        let history = joint_history(broken);
        for language in Language::ALL {
            let page = history_page(&environment, &history, &account, language).unwrap();
            assert!(!page.contains('⟦'), "{language:?}: a key is missing");
            assert!(
                page.contains(r#"id="joint-problem""#) && page.contains("[Session 1] · [Session 2]"),
                "{language:?}"
            );
            assert!(
                page.contains("table=joint&amp;sessions=1,2")
                    || page.contains("table=joint&amp;sessions=1%2C2")
                    || page.contains("sessions=1,2"),
                "{language:?}"
            );
        }
    }
}
