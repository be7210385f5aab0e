//! The page "Historique d'un·e expert·e / Verlauf einer Expertin, eines
//! Experten": one examiner's Rasch severity in every session of the board,
//! part by part, listed over time with its standard error and flag, a
//! precision-weighted summary in a plain sentence, a chart beside the
//! table, and the CSV (`GET /api/examiners/{username}/history`, computed
//! by grille-server from each session's quality statistics). The answer's
//! types are here, below the server, so that the page reads them by field.
//!
//! Each severity is estimated in its own session's model (centred on that
//! part's panel), so a row compares the examiner with the colleagues of
//! that session; the summary is the inverse-variance weighted mean of the
//! rows, which says whether the examiner is consistently severe or
//! lenient, not a joint estimate across sessions.

use grille_competence::LocalizedText;
use grille_workflow::SessionState;
use minijinja::Environment;
use minijinja::value::{Serde, Value};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::{self, Language};
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
    };
    render(environment, "examiner_history.html", language, "examiner_history", view)
}

/// The keys this module builds from the data, listed so that a test
/// checks each exists in every language.
pub const CODE_KEYS: [&str; 9] = [
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
}
