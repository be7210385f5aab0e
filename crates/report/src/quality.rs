//! The page "Qualité de l'examen / Prüfungsqualität": the quality
//! statistics of a session (examiner severity, candidates' fair measures,
//! criterion analysis, intraclass correlations) as the server computes them
//! (`GET /api/sessions/{id}/quality`, grille-server's `QualityView`), with
//! a plain-language explanation of each measure, flagged examiners and the
//! criteria to rewrite first, and a CSV link per table.
//!
//! The answer's types are defined here, in [`model`] (grille-server builds
//! them and re-exports them under the same names): the web crate reads the
//! API's answer into [`QualityView`] and hands it here; this module reads
//! it by field, formats the numbers, translates the sentences and renders
//! the template. Every number is information: no grade changes by it.

pub(crate) mod charts;
pub mod model;

use grille_competence::LocalizedText;
use grille_workflow::SessionKind;
use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::i18n::{self, Language};
use crate::templates::{AccountLayout, PageError, render};

pub use model::{
    CandidateFairMeasure, ConvergenceView, CriterionQuality, ExaminerSeverity, ExclusionView, IccRow,
    IccValue, ModelProblem, PartSeverity, QualityLimits, QualityView, RubricQuality, SeverityFlagView, Stat,
};

/// The keys this module builds from the data (a problem's kind, a concern,
/// an exclusion's reason), listed so that a test checks each exists in
/// every language.
pub const CODE_KEYS: [&str; 25] = [
    "quality.flag.severe",
    "quality.flag.lenient",
    "quality.flag.effect",
    "quality.problem.disconnected",
    "quality.problem.confounded",
    "quality.problem.nothing_to_estimate",
    "quality.problem.input",
    "quality.concern.low_discrimination",
    "quality.concern.no_variance",
    "quality.concern.frequent_disagreement",
    "quality.concern.often_not_assessable",
    "quality.concern.never_rated",
    "quality.exclusion.no_ratings",
    "quality.exclusion.no_ratings_left",
    "quality.exclusion.all_lowest",
    "quality.exclusion.all_highest",
    "quality.exclusion.single_level",
    "quality.exclusion.single_category_used",
    "quality.facet.candidate",
    "quality.facet.criterion",
    "quality.facet.examiner",
    "quality.icc_problem.too_small",
    "quality.icc_problem.no_variance",
    "quality.icc_problem.other",
    "quality.not_converged",
];

/// Where the page sits: the board's frame of a session, or a trainer's
/// mock session.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// The session's page (`/board/sessions/1`, `/trainer/sessions/3`).
    pub base: String,
    /// The board's frame (session navigation) rather than a trainer's way
    /// back.
    pub board: bool,
}

/// A number with `decimals` decimals, or "—" (none, or not finite: the
/// API's JSON has no such number).
fn number(value: Option<f64>, decimals: usize) -> String {
    value
        .filter(|value| value.is_finite())
        .map(|value| format!("{value:.decimals$}"))
        .map(|text| clean_zero(&text))
        .unwrap_or_else(dash)
}

/// A signed number (`+0.27`, `−0.30`).
fn signed(value: Option<f64>, decimals: usize) -> String {
    match value.filter(|value| value.is_finite()) {
        Some(value) => clean_zero(&format!("{value:+.decimals$}")).replace('-', "−"),
        None => dash(),
    }
}

/// `-0.00` is `0.00`.
fn clean_zero(text: &str) -> String {
    let stripped = text.trim_start_matches(['-', '+']);
    if stripped.chars().all(|c| c == '0' || c == '.') { stripped.to_owned() } else { text.to_owned() }
}

fn dash() -> String {
    "—".to_owned()
}

/// A [`Stat`]'s value, or "—" when it could not be computed.
fn stat(value: &Stat, decimals: usize) -> String {
    number(value.value, decimals)
}

/// A share (0–1) in per cent.
fn percent(value: Option<f64>) -> String {
    value
        .filter(|value| value.is_finite())
        .map(|value| format!("{:.0} %", value * 100.0))
        .unwrap_or_else(dash)
}

/// A localized text in `language`, French when not translated (or
/// translated by a blank).
fn localized(value: &LocalizedText, language: Language) -> String {
    i18n::localized(value, language).text.to_owned()
}

/// `prefix.kind` translated, or `prefix.fallback` when the kind is unknown.
fn keyed(language: Language, prefix: &str, kind: &str, fallback: &str) -> String {
    i18n::lookup(language, &format!("{prefix}.{kind}"))
        .map(str::to_owned)
        .unwrap_or_else(|| i18n::translate(language, &format!("{prefix}.{fallback}")))
}

#[derive(Serialize)]
struct ExaminerRow {
    examiner: String,
    ratings: usize,
    not_assessable: usize,
    observed: String,
    severity: String,
    standard_error: String,
    infit: String,
    outfit: String,
    effect: String,
    flag: Option<String>,
    misfit: bool,
    excluded: Option<String>,
}

#[derive(Serialize)]
struct CandidateRow {
    number: String,
    official: String,
    observed: String,
    ability: String,
    standard_error: String,
    fair_share: String,
    fair_grade: String,
    differs: bool,
    excluded: Option<String>,
}

#[derive(Serialize)]
struct PartView {
    part: String,
    title: String,
    ratings: usize,
    not_assessable: usize,
    estimated: bool,
    problem: Option<String>,
    groups: Vec<String>,
    converged: bool,
    iterations: u32,
    examiners: Vec<ExaminerRow>,
    candidates: Vec<CandidateRow>,
    exclusions: Vec<String>,
    disordered: bool,
    /// The severities with ±2 standard errors against the panel (SVG).
    chart: String,
}

#[derive(Serialize)]
struct CriterionRow {
    criterion: String,
    title: String,
    concerns: Vec<String>,
    mean_level: String,
    max_level: u32,
    distribution: String,
    difficulty: String,
    rasch_difficulty: String,
    discrimination: String,
    alpha_if_deleted: String,
    disagreement: String,
    pairs: usize,
    not_assessable: String,
}

#[derive(Serialize)]
struct RubricView {
    part: String,
    position: String,
    rubric: String,
    version: String,
    title: String,
    alpha: String,
    complete: usize,
    incomplete: usize,
    criteria: Vec<CriterionRow>,
    concerns: usize,
    /// Each criterion's discrimination against the limit (SVG).
    discrimination_chart: String,
    /// Each criterion's Rasch difficulty, when estimated (SVG).
    difficulty_chart: Option<String>,
}

#[derive(Serialize)]
struct IccView {
    position: Option<String>,
    targets: usize,
    values: Vec<String>,
    problem: Option<String>,
}

/// The sentence of a flagged examiner in `language`.
fn flag_sentence(examiner: &ExaminerSeverity, part: &str, language: Language) -> Option<String> {
    let flag = examiner.flag.as_ref()?;
    let key = if flag.direction == "severe" { "quality.flag.severe" } else { "quality.flag.lenient" };
    let mut sentence = i18n::format(
        &i18n::translate(language, key),
        &[
            ("examiner", examiner.examiner.clone()),
            ("part", part.to_owned()),
            ("logits", signed(Some(flag.difference), 2)),
            ("z", number(Some(flag.z.abs()), 1)),
        ],
    );
    if let Some(effect) = examiner.grade_effect.filter(|effect| effect.is_finite()) {
        sentence.push(' ');
        sentence.push_str(&i18n::format(
            &i18n::translate(language, "quality.flag.effect"),
            &[("effect", signed(Some(effect), 2))],
        ));
    }
    Some(sentence)
}

fn misfit(fit: &Stat) -> bool {
    fit.value.is_some_and(|value| !(0.5..=1.5).contains(&value))
}

fn part_view(part: &PartSeverity, language: Language, flagged: &mut Vec<String>) -> PartView {
    let id = part.part.clone();
    let exclusion = |reason: &str| keyed(language, "quality.exclusion", reason, "no_ratings");
    let examiners = part
        .examiners
        .iter()
        .map(|e| {
            let flag = flag_sentence(e, &id, language);
            if let Some(sentence) = &flag {
                flagged.push(sentence.clone());
            }
            ExaminerRow {
                examiner: e.examiner.clone(),
                ratings: e.ratings,
                not_assessable: e.not_assessable,
                observed: percent(Some(e.observed_share)),
                severity: signed(e.severity, 2),
                standard_error: stat(&e.standard_error, 2),
                infit: stat(&e.infit, 2),
                outfit: stat(&e.outfit, 2),
                effect: signed(e.grade_effect, 2),
                flag,
                misfit: misfit(&e.infit) || misfit(&e.outfit),
                excluded: e.excluded.as_deref().map(exclusion),
            }
        })
        .collect();
    let candidates = part
        .candidates
        .iter()
        .map(|c| {
            let official = c.official_grade.clone().unwrap_or_default();
            let fair = c.fair_grade.clone().unwrap_or_default();
            CandidateRow {
                number: c.number.clone(),
                differs: !official.is_empty()
                    && !fair.is_empty()
                    && match (official.parse::<f64>(), fair.parse::<f64>()) {
                        (Ok(a), Ok(b)) => (a - b).abs() >= 0.5,
                        _ => false,
                    },
                official: if official.is_empty() { dash() } else { official },
                observed: percent(Some(c.observed_share)),
                ability: signed(c.ability, 2),
                standard_error: stat(&c.standard_error, 2),
                fair_share: percent(c.fair_share),
                fair_grade: if fair.is_empty() { dash() } else { fair },
                excluded: c.excluded.as_deref().map(exclusion),
            }
        })
        .collect();
    let problem = part.problem.as_ref();
    let tr = |key: &str| i18n::translate(language, key);
    let dots: Vec<charts::Dot> = part
        .examiners
        .iter()
        .map(|e| {
            let se = e.standard_error.value.filter(|se| se.is_finite());
            charts::Dot {
                label: e.examiner.clone(),
                value: e.severity,
                interval: e.severity.zip(se).map(|(value, se)| (value - 2.0 * se, value + 2.0 * se)),
                flagged: e.flag.is_some(),
                text: signed(e.severity, 2),
            }
        })
        .collect();
    let title = i18n::format(&tr("quality.chart.severity.title"), &[("part", id.clone())]);
    let chart = charts::dot_plot(&charts::DotPlot {
        title: &title,
        description: &tr("quality.chart.severity.desc"),
        axis: &tr("quality.chart.severity.axis"),
        dots: &dots,
        references: &[charts::Reference { at: 0.0, label: tr("quality.chart.severity.panel") }],
        range: (-1.0, 1.0),
    });
    PartView {
        chart,
        title: localized(&part.title, language),
        ratings: part.ratings,
        not_assessable: part.not_assessable,
        estimated: part.estimated,
        problem: problem.map(|p| keyed(language, "quality.problem", &p.kind, "input")),
        groups: problem.into_iter().flat_map(|p| &p.groups).map(|group| group.join(", ")).collect(),
        converged: part.convergence.is_none_or(|convergence| convergence.converged),
        iterations: part.convergence.map_or(0, |convergence| convergence.iterations),
        examiners,
        candidates,
        exclusions: part
            .exclusions
            .iter()
            .map(|x| {
                i18n::labelled(
                    language,
                    &format!("{} {}", keyed(language, "quality.facet", &x.facet, "candidate"), x.element),
                    &exclusion(&x.reason),
                )
            })
            .collect(),
        disordered: !part.disordered_scales.is_empty(),
        part: id,
    }
}

fn rubric_view(rubric: &RubricQuality, limits: &QualityLimits, language: Language) -> RubricView {
    let criteria: Vec<CriterionRow> = rubric
        .criteria
        .iter()
        .map(|c| CriterionRow {
            criterion: c.criterion.clone(),
            title: localized(&c.title, language),
            concerns: c
                .concerns
                .iter()
                .map(|kind| keyed(language, "quality.concern", kind, "no_variance"))
                .collect(),
            mean_level: stat(&c.mean_level, 2),
            max_level: c.max_level,
            distribution: c.distribution.iter().map(usize::to_string).collect::<Vec<_>>().join(" / "),
            difficulty: stat(&c.difficulty, 2),
            rasch_difficulty: signed(c.rasch_difficulty, 2),
            discrimination: stat(&c.discrimination, 2),
            alpha_if_deleted: stat(&c.alpha_if_deleted, 2),
            disagreement: percent(c.disagreement.value),
            pairs: c.pairs,
            not_assessable: percent(c.not_assessable_rate.value),
        })
        .collect();
    let tr = |key: &str| i18n::translate(language, key);
    let dot = |c: &CriterionQuality, value: Option<f64>, text: String| charts::Dot {
        label: c.criterion.clone(),
        value,
        interval: None,
        flagged: !c.concerns.is_empty(),
        text,
    };
    let discrimination: Vec<charts::Dot> =
        rubric.criteria.iter().map(|c| dot(c, c.discrimination.value, stat(&c.discrimination, 2))).collect();
    let position = [("position", rubric.position.clone())];
    let discrimination_title = i18n::format(&tr("quality.chart.discrimination.title"), &position);
    let discrimination_chart = charts::dot_plot(&charts::DotPlot {
        title: &discrimination_title,
        description: &tr("quality.chart.discrimination.desc"),
        axis: &tr("quality.chart.discrimination.axis"),
        dots: &discrimination,
        references: &[charts::Reference {
            at: limits.min_discrimination,
            label: i18n::format(
                &tr("quality.chart.discrimination.limit"),
                &[("limit", number(Some(limits.min_discrimination), 2))],
            ),
        }],
        range: (0.0, 1.0),
    });
    let difficulty: Vec<charts::Dot> =
        rubric.criteria.iter().map(|c| dot(c, c.rasch_difficulty, signed(c.rasch_difficulty, 2))).collect();
    let difficulty_title = i18n::format(&tr("quality.chart.difficulty.title"), &position);
    let difficulty_chart = difficulty.iter().any(|d| d.value.is_some()).then(|| {
        charts::dot_plot(&charts::DotPlot {
            title: &difficulty_title,
            description: &tr("quality.chart.difficulty.desc"),
            axis: &tr("quality.chart.difficulty.axis"),
            dots: &difficulty,
            references: &[charts::Reference { at: 0.0, label: tr("quality.chart.difficulty.mean") }],
            range: (-1.0, 1.0),
        })
    });
    RubricView {
        discrimination_chart,
        difficulty_chart,
        part: rubric.part.clone(),
        position: rubric.position.clone(),
        rubric: rubric.rubric.clone(),
        version: rubric.version.clone(),
        title: localized(&rubric.title, language),
        alpha: stat(&rubric.alpha, 2),
        complete: rubric.complete_candidates,
        incomplete: rubric.incomplete_candidates,
        concerns: criteria.iter().filter(|c| !c.concerns.is_empty()).count(),
        criteria,
    }
}

fn icc_view(row: &IccRow, language: Language) -> IccView {
    let value = |coefficient: &IccValue| {
        let point = stat(&coefficient.value, 2);
        match (coefficient.lower, coefficient.upper) {
            (Some(lower), Some(upper)) if lower.is_finite() && upper.is_finite() => {
                format!("{point} [{lower:.2}{}{upper:.2}]", i18n::semicolon(language))
            }
            _ => point,
        }
    };
    IccView {
        position: row.position.clone(),
        targets: row.targets,
        values: [&row.icc1_1, &row.icc2_1, &row.icc3_1].into_iter().map(value).collect(),
        problem: row.problem.as_deref().map(|kind| keyed(language, "quality.icc_problem", kind, "other")),
    }
}

/// Renders the page from the API's answer (`GET /api/sessions/{id}/quality`).
pub fn quality_page(
    environment: &Environment<'_>,
    quality: &QualityView,
    frame: &Frame,
    account: &AccountLayout,
    language: Language,
) -> Result<String, PageError> {
    let mut flagged = Vec::new();
    let parts: Vec<PartView> =
        quality.parts.iter().map(|part| part_view(part, language, &mut flagged)).collect();
    let rubrics: Vec<RubricView> =
        quality.rubrics.iter().map(|r| rubric_view(r, &quality.limits, language)).collect();
    // The criteria to rewrite first, across rubrics.
    let mut worst: Vec<(String, String, String, Vec<String>)> = rubrics
        .iter()
        .flat_map(|rubric| {
            rubric.criteria.iter().filter(|c| !c.concerns.is_empty()).map(move |c| {
                (rubric.position.clone(), c.criterion.clone(), c.title.clone(), c.concerns.clone())
            })
        })
        .collect();
    worst.sort_by_key(|row| std::cmp::Reverse(row.3.len()));
    let icc: Vec<IccView> = quality.icc.iter().map(|row| icc_view(row, language)).collect();
    let id = quality.session_id;
    let name = &quality.name;
    let limits = &quality.limits;
    let csv = |table: &str| format!("/api/sessions/{id}/quality/csv?table={table}&lang={}", language.code());
    let view = minijinja::context! {
        account => Value::from(Serde(account)),
        // The board's layout shows the session's navigation when it has
        // the session.
        session => if frame.board { minijinja::context! { id => id, name => name } } else { Value::UNDEFINED },
        quality_session => minijinja::context! { id => id, name => name, mock => quality.kind == SessionKind::Mock, official => quality.is_final },
        frame => Value::from(Serde(frame)),
        ratings => quality.ratings,
        not_assessable => quality.not_assessable,
        threshold => number(Some(limits.severity_threshold), 1),
        significance => number(Some(limits.significance), 1),
        min_discrimination => number(Some(limits.min_discrimination), 2),
        max_disagreement => percent(Some(limits.max_disagreement)),
        max_not_assessable => percent(Some(limits.max_not_assessable)),
        flagged => flagged,
        parts => Value::from(Serde(&parts)),
        rubrics => Value::from(Serde(&rubrics)),
        worst => Value::from(Serde(&worst)),
        icc => Value::from(Serde(&icc)),
        csv => minijinja::context! { severity => csv("severity"), candidates => csv("candidates"), criteria => csv("criteria"), icc => csv("icc") },
        json => format!("/api/sessions/{id}/quality"),
    };
    render(environment, "session_quality.html", language, "session_quality", view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(number(Some(0.7054), 2), "0.71");
        assert_eq!(number(None, 2), "—");
        assert_eq!(number(Some(f64::NAN), 2), "—");
        assert_eq!(signed(Some(-0.3), 2), "−0.30");
        assert_eq!(signed(Some(-0.0001), 2), "0.00");
        assert_eq!(signed(Some(0.27), 2), "+0.27");
        assert_eq!(percent(Some(0.784)), "78 %");
    }

    fn examiner(flag: Option<SeverityFlagView>) -> ExaminerSeverity {
        let none = || Stat { value: None, not_estimable: Some("not_estimated".into()) };
        ExaminerSeverity {
            examiner: "exp-05".into(),
            ratings: 12,
            not_assessable: 0,
            observed_share: 0.6,
            severity: Some(-1.1),
            standard_error: none(),
            infit: none(),
            outfit: none(),
            grade_effect: Some(0.27),
            flag,
            excluded: None,
        }
    }

    #[test]
    fn a_flag_reads_as_a_sentence_in_each_language() {
        let flagged = examiner(Some(SeverityFlagView {
            direction: "lenient".into(),
            difference: -1.32,
            z: -2.26,
            sentence: String::new(),
            message: grille_competence::Message::new(grille_competence::MessageCode::QualityFlagLenient),
        }));
        let fr = flag_sentence(&flagged, "3", Language::Fr).unwrap();
        assert!(fr.starts_with("exp-05 ") && fr.contains("−1.32") && fr.contains("+0.27"), "{fr}");
        let de = flag_sentence(&flagged, "3", Language::De).unwrap();
        assert!(de.contains("exp-05") && de.contains("Prüfungsteil 3"), "{de}");
        assert!(flag_sentence(&examiner(None), "1", Language::Fr).is_none());
    }

    #[test]
    fn the_page_renders_in_every_language_with_every_key() {
        // The API's answer for the worked example (two parts, one rubric),
        // read into its type as the web crate reads it.
        let quality: QualityView = serde_json::from_str(include_str!("testdata/quality.json")).unwrap();
        let environment = crate::templates::environment();
        let account =
            AccountLayout { username: "admin".into(), role: "admin", csrf: "token".into(), home: "/board" };
        for board in [true, false] {
            let frame = Frame { base: "/board/sessions/1".into(), board };
            for language in Language::ALL {
                let page = quality_page(&environment, &quality, &frame, &account, language).unwrap();
                assert!(!page.contains('⟦'), "{language:?}: a key is missing: {page}");
                assert!(page.contains(r#"id="severity-1""#) && page.contains(r#"id="icc-table""#));
                assert!(page.contains("exp-05"), "the flagged examiner");
                assert!(page.contains("quality&#x2f;csv?table=severity"), "{page}");
            }
        }
        let fr = quality_page(
            &environment,
            &quality,
            &Frame { base: "/board/sessions/1".into(), board: true },
            &account,
            Language::Fr,
        )
        .unwrap();
        assert!(fr.contains("Qualité de l&#x27;examen") || fr.contains("Qualité de l'examen"), "{fr}");
        assert!(fr.contains("exp-05 note plus généreusement"), "{fr}");
    }
}
