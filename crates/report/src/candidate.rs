//! The candidate's and the trainer's pages: the candidate's home (their
//! published results as grade sheets, official and mock apart), the
//! self-assessment saved on the server, the profile comparing the
//! self-assessment with an external assessment (a published result), and
//! the trainer's home with the mock sessions of their school.
//!
//! # Self against external assessment
//!
//! Competence A8 of the qualification profile asks the professional to
//! discuss with a person "how they see themselves and how they are seen":
//! the profile page does that comparison for the candidate. The
//! self-assessment gives a share per competence (levels 0, ⅓, ⅔, 1 of the
//! rated criteria, see [`crate::self_assessment`]); the external
//! assessment is the competence profile of a result (points obtained over
//! points possible in the rubric criteria that assess the competence).
//! Both are percentages, but of different scales: the page says so, and
//! compares directions, not decimals.
//!
//! **The competences to work on first** ([`Comparison::work_on`]) are
//! ordered by a priority computed for each competence with an external
//! value: `priority = (100 − external) + max(0, self − external)`. The
//! first term puts the weakest competences (as others saw them) first;
//! the second adds the overestimation, the blind spot: a competence one
//! believes mastered gets no attention unless the gap is named. An
//! underestimation (self below external) adds nothing: it is a resource to
//! recognise, not a weakness. Ties go to the larger gap, then to catalogue
//! order. Competences without an external value (no position of the exam
//! assessed them) follow, weakest self-assessment first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use grille_competence::{Catalogue, Category};
use grille_scoring::{CandidateResult, CompetenceProfile, Outcome};
use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::charts::{self, Axis, Radar, Series};
use crate::i18n::{self, Language};
use crate::messages::EngineText;
use crate::pages::{domain_views, level_views};
use crate::self_assessment::{Profile, Ratings, category_key};
use crate::svg::{coordinate as c, escape, wrap};
use crate::templates::{PageError, render};

/// The pages of this module rendered from a view assembled by the web
/// crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The candidate's home: results and the way to the self-assessment.
    CandidateHome,
    /// The trainer's home: the school's mock sessions.
    TrainerHome,
    /// One mock session for its trainer: candidates, enrolment, links.
    TrainerSession,
    /// The class grid of a mock session: candidate × competence and ×
    /// category.
    TrainerGrid,
    /// A candidate's filled rubric of a published result.
    CandidateRubric,
    /// A candidate's development plan.
    CandidatePlan,
    /// The plans a school's candidates share with its trainers.
    TrainerPlans,
    /// One shared plan, with its comments.
    TrainerPlan,
    /// The preview of a cohort's CSV enrolment.
    TrainerCsvPreview,
}

/// Renders `page` with its `view` (a serializable struct with `account`).
pub fn render_page(
    environment: &Environment<'_>,
    page: Page,
    view: &impl serde::Serialize,
    language: Language,
) -> Result<String, PageError> {
    let (template, name) = match page {
        Page::CandidateHome => ("candidate_home.html", "candidate_home"),
        Page::TrainerHome => ("trainer_home.html", "trainer_home"),
        Page::TrainerSession => ("trainer_session.html", "trainer_session"),
        Page::TrainerGrid => ("trainer_grid.html", "trainer_grid"),
        Page::CandidateRubric => ("candidate_rubric.html", "candidate_rubric"),
        Page::CandidatePlan => ("candidate_plan.html", "candidate_plan"),
        Page::TrainerPlans => ("trainer_plans.html", "trainer_plans"),
        Page::TrainerPlan => ("trainer_plan.html", "trainer_plan"),
        Page::TrainerCsvPreview => ("trainer_csv_preview.html", "trainer_csv_preview"),
    };
    render(environment, template, language, name, Value::from(Serde(view)))
}

/// The self-assessment form of a logged-in candidate: the anonymous form,
/// filled with the `ratings` saved on the server, saved there by the
/// script (`api`, `version`, `csrf`) and posted to `action` without it.
pub struct ServerSelfAssessment<'a> {
    /// The ratings saved so far.
    pub ratings: &'a Ratings,
    /// The stored version (0: none yet).
    pub version: i64,
    /// The CSRF token of the session, for the script's writes and the form.
    pub csrf: &'a str,
    /// The logged-in account (`username`, `home`, `csrf`) for the layout.
    pub account: &'a crate::templates::AccountLayout,
}

/// The self-assessment form saved on the server (see [`ServerSelfAssessment`]).
pub fn self_assessment(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    server: &ServerSelfAssessment<'_>,
    language: Language,
) -> Result<String, PageError> {
    let ratings: BTreeMap<String, u8> = catalogue
        .criteria()
        .filter_map(|(_, criterion)| {
            server.ratings.level(&criterion.id).map(|level| (criterion.id.clone(), level.number()))
        })
        .collect();
    let view = context! {
        catalogue_id => catalogue.profile().id.clone(),
        total => catalogue.criteria().count(),
        levels => Value::from(Serde(level_views())),
        domains => Value::from(Serde(domain_views(catalogue, language))),
        account => Value::from(Serde(server.account)),
        server => context! {
            api => "/api/me/self-assessment",
            action => "/candidate/self-assessment",
            version => server.version,
            csrf => server.csrf,
            rated => ratings.len(),
            ratings => Value::from(Serde(&ratings)),
        },
    };
    render(environment, "self_assessment.html", language, "candidate_self_assessment", view)
}

fn round(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero).normalize()
}

/// One competence (domain, category) with both values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    /// The competence id, domain letter or category key.
    pub id: String,
    /// The self-assessment in percent, if rated.
    pub own: Option<Decimal>,
    /// The external assessment in percent, if assessed.
    pub external: Option<Decimal>,
}

impl Compared {
    /// self − external, when both exist.
    pub fn gap(&self) -> Option<Decimal> {
        Some(self.own? - self.external?)
    }

    /// `(100 − external) + max(0, self − external)`, when the external
    /// value exists (a missing self value adds nothing).
    pub fn priority(&self) -> Option<Decimal> {
        let external = self.external?;
        let overestimation = self.gap().unwrap_or(Decimal::ZERO).max(Decimal::ZERO);
        Some(Decimal::ONE_HUNDRED - external + overestimation)
    }
}

/// The self-assessment against an external one, by domain, category and
/// competence, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// A to E.
    pub domains: Vec<Compared>,
    /// The four categories.
    pub categories: Vec<Compared>,
    /// A1 to E4.
    pub competences: Vec<Compared>,
}

impl Comparison {
    /// Compares `ratings` with the external `profile`.
    pub fn compute(catalogue: &Catalogue, ratings: &Ratings, profile: &CompetenceProfile) -> Comparison {
        let own = Profile::compute(catalogue, ratings);
        let pair = |mine: &[crate::self_assessment::Achievement], theirs: &[grille_scoring::ProfileEntry]| {
            mine.iter()
                .map(|achievement| Compared {
                    id: achievement.id.clone(),
                    own: achievement.percent,
                    external: theirs
                        .iter()
                        .find(|entry| entry.id == achievement.id && entry.max_points > Decimal::ZERO)
                        .map(|entry| entry.percent),
                })
                .collect::<Vec<_>>()
        };
        Comparison {
            domains: pair(&own.domains, &profile.domains),
            categories: pair(&own.categories, &profile.categories),
            competences: pair(&own.competences, &profile.competences),
        }
    }

    /// The competences to work on first (see the module's documentation):
    /// those with an external value by decreasing priority (ties: larger
    /// gap, then catalogue order), then those self-rated only, weakest
    /// first. Competences with neither value are left out.
    pub fn work_on(&self) -> Vec<&Compared> {
        let mut assessed: Vec<&Compared> = self.competences.iter().filter(|c| c.external.is_some()).collect();
        assessed.sort_by(|a, b| {
            b.priority()
                .cmp(&a.priority())
                .then_with(|| b.gap().map(|g| g.abs()).cmp(&a.gap().map(|g| g.abs())))
        });
        let mut own_only: Vec<&Compared> =
            self.competences.iter().filter(|c| c.external.is_none() && c.own.is_some()).collect();
        own_only.sort_by_key(|c| c.own);
        assessed.extend(own_only);
        assessed
    }
}

/// The external assessment shown on the profile page.
pub struct External<'a> {
    /// The result whose competence profile is compared.
    pub result: &'a CandidateResult,
    /// The session's name.
    pub session_name: &'a str,
    /// Whether it is a mock exam (examen blanc).
    pub mock: bool,
}

/// A result the candidate can choose to compare with.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// Where the page compares with it (`/candidate/profile?session=3`).
    pub url: String,
    /// The session's name.
    pub name: String,
    /// Whether it is a mock exam.
    pub mock: bool,
    /// Whether it is the one shown.
    pub current: bool,
}

fn percent_text(value: Option<Decimal>, language: Language, missing: &str) -> String {
    match value {
        Some(value) => i18n::format(
            &i18n::translate(language, "results.percent"),
            &[("value", round(value).to_string())],
        ),
        None => i18n::translate(language, missing),
    }
}

fn gap_text(value: Option<Decimal>, language: Language) -> String {
    match value.map(round) {
        Some(gap) if gap > Decimal::ZERO => i18n::format(
            &i18n::translate(language, "candidate.profile.gap.over"),
            &[("value", gap.to_string())],
        ),
        Some(gap) if gap < Decimal::ZERO => i18n::format(
            &i18n::translate(language, "candidate.profile.gap.under"),
            &[("value", (-gap).to_string())],
        ),
        Some(_) => i18n::translate(language, "candidate.profile.gap.none"),
        None => "–".to_owned(),
    }
}

/// One row of a paired bar chart: a label and both values.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedBar {
    /// The label left of the bars.
    pub label: String,
    /// The self-assessment and the external value (`None`: no bar).
    pub values: [Option<Decimal>; 2],
    /// The values as written at the end of each bar.
    pub texts: [String; 2],
    /// The language of the label when it is not the page's (`fr` for a
    /// catalogue title not yet translated).
    pub lang: Option<&'static str>,
}

/// A horizontal bar chart with two bars per row (self and external
/// assessment), told apart by colour, pattern (the second hatched) and
/// the legend; the numbers are written beside each bar.
pub fn paired_bars(title: &str, names: [&str; 2], rows: &[PairedBar], maximum: Decimal) -> String {
    const COLOURS: [&str; 2] = ["#1f5fa8", "#a34700"];
    let (label_width, bar_width, row_height, top) = (250.0_f64, 300.0_f64, 46.0_f64, 34.0_f64);
    let width = 690u32;
    let height = (top + 8.0 + row_height * rows.len() as f64).ceil() as u32;
    let fraction = |value: Decimal| -> f64 {
        use rust_decimal::prelude::ToPrimitive as _;
        if maximum <= Decimal::ZERO {
            return 0.0;
        }
        (value / maximum).clamp(Decimal::ZERO, Decimal::ONE).to_f64().unwrap_or(0.0)
    };
    let title_text = escape(title);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart bars paired" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{title_text}"><title>{title_text}</title>"#
    );
    let _ = write!(
        out,
        r##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>"##,
        COLOURS[1]
    );
    // Legend on top.
    let mut x = label_width + 10.0;
    for (index, name) in names.iter().enumerate() {
        let fill = if index == 0 { COLOURS[0].to_owned() } else { "url(#hatch)".to_owned() };
        let _ = write!(
            out,
            r##"<g class="legend-item"><rect x="{}" y="8" width="18" height="12" fill="{fill}"/><text x="{}" y="19" font-size="13" fill="#1d2025">{}</text></g>"##,
            c(x),
            c(x + 24.0),
            escape(name)
        );
        x += 34.0 + 8.0 * name.chars().count() as f64;
    }
    let x0 = label_width + 10.0;
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a8f98" stroke-width="1"/>"##,
        c(x0),
        c(top - 4.0),
        c(x0),
        c(f64::from(height) - 4.0)
    );
    for (index, row) in rows.iter().enumerate() {
        let y = top + row_height * index as f64;
        let lines = wrap(&row.label, 34, 2);
        let lang = row.lang.map(|lang| format!(r#" lang="{}""#, escape(lang))).unwrap_or_default();
        // A tooltip is in one language: a label in another language than
        // the page's is its tooltip alone (the values are written beside
        // the bars).
        match row.lang {
            None => {
                let _ = write!(
                    out,
                    r#"<g class="bar-pair"><title>{}: {} {} · {} {}</title>"#,
                    escape(&row.label),
                    escape(names[0]),
                    escape(&row.texts[0]),
                    escape(names[1]),
                    escape(&row.texts[1])
                );
            }
            Some(_) => {
                let _ = write!(out, r#"<g class="bar-pair"><title{lang}>{}</title>"#, escape(&row.label));
            }
        }
        let first_line_y = y + row_height / 2.0 + 4.5 - 7.5 * (lines.len() as f64 - 1.0);
        let _ = write!(out, r##"<text text-anchor="end" font-size="13" fill="#1d2025"{lang}>"##);
        for (line_index, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                c(label_width),
                c(first_line_y + 15.0 * line_index as f64),
                escape(line)
            );
        }
        out.push_str("</text>");
        for series in 0..2 {
            let bar_y = y + 5.0 + 18.0 * series as f64;
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="14" fill="#eef0f4"/>"##,
                c(x0),
                c(bar_y),
                c(bar_width)
            );
            if let Some(value) = row.values[series] {
                let fill = if series == 0 { COLOURS[0].to_owned() } else { "url(#hatch)".to_owned() };
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="14" fill="{fill}"/>"#,
                    c(x0),
                    c(bar_y),
                    c(bar_width * fraction(value))
                );
            }
            let _ = write!(
                out,
                r##"<text x="{}" y="{}" font-size="12" fill="#1d2025">{}</text>"##,
                c(x0 + bar_width + 8.0),
                c(bar_y + 11.5),
                escape(&row.texts[series])
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

#[derive(Serialize)]
struct CompareRow {
    code: Option<String>,
    label: String,
    /// `fr` when the label is the catalogue's French, not yet translated.
    label_lang: Option<&'static str>,
    own: String,
    external: String,
    gap: String,
    over: bool,
}

#[derive(Serialize)]
struct CompareChart {
    id: &'static str,
    heading: String,
    caption: String,
    column: String,
    svg: String,
    rows: Vec<CompareRow>,
}

#[derive(Serialize)]
struct WorkOnRow {
    id: String,
    label: String,
    /// `fr` when the label is the catalogue's French, not yet translated.
    label_lang: Option<&'static str>,
    own: String,
    external: String,
    gap: String,
    reason: String,
}

/// The profile page: the self-assessment, compared with `external` when
/// there is one (radar by domain with both series, paired bars by
/// category and by competence, tables with both values, the competences
/// to work on first and why), or alone otherwise.
pub fn profile(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    ratings: &Ratings,
    external: Option<&External<'_>>,
    choices: &[Choice],
    account: &crate::templates::AccountLayout,
    language: Language,
) -> Result<String, PageError> {
    let tr = |key: &str| i18n::translate(language, key);
    let empty = CompetenceProfile::default();
    let comparison =
        Comparison::compute(catalogue, ratings, external.map_or(&empty, |external| &external.result.profile));
    let own_profile = Profile::compute(catalogue, ratings);
    let names = [tr("results.series.self"), tr("candidate.profile.series.external")];
    let hundred = Decimal::ONE_HUNDRED;
    // A catalogue text shown in French for want of a translation is
    // marked so, in the tables and the charts alike (screen readers then
    // read it as French).
    let text = |text: &grille_competence::LocalizedText| i18n::localized(text, language).text.to_owned();
    let fallback = |text: &grille_competence::LocalizedText| i18n::localized(text, language).lang;
    let competence_title = |id: &str| catalogue.competence(id).map(|c| text(&c.title)).unwrap_or_default();
    let competence_lang = |id: &str| catalogue.competence(id).and_then(|c| fallback(&c.title));
    let row = |compared: &Compared, code: Option<String>, label: String, label_lang: Option<&'static str>| {
        CompareRow {
            code,
            label,
            label_lang,
            own: percent_text(compared.own, language, "results.not_rated"),
            external: percent_text(compared.external, language, "candidate.profile.not_assessed"),
            gap: gap_text(compared.gap(), language),
            over: compared.gap().is_some_and(|gap| round(gap) > Decimal::ZERO),
        }
    };

    // Radar by domain, one or two series.
    let domain_titles: Vec<(String, String, Option<&'static str>)> = catalogue
        .domains()
        .iter()
        .map(|domain| (domain.id.clone(), text(&domain.title), fallback(&domain.title)))
        .collect();
    let axes: Vec<Axis> = domain_titles
        .iter()
        .map(|(id, title, lang)| Axis { label: format!("{id} {title}"), lang: *lang, note: None })
        .collect();
    let mut series = vec![Series {
        name: names[0].clone(),
        values: comparison.domains.iter().map(|d| d.own.unwrap_or(Decimal::ZERO)).collect(),
    }];
    if external.is_some() {
        series.push(Series {
            name: names[1].clone(),
            values: comparison.domains.iter().map(|d| d.external.unwrap_or(Decimal::ZERO)).collect(),
        });
    }
    let radar_title = tr("candidate.profile.domains.chart");
    let domains = CompareChart {
        id: "chart-domains",
        heading: tr("results.domains.heading"),
        caption: tr("candidate.profile.domains.caption"),
        column: tr("results.domains.column"),
        svg: charts::radar(&Radar { title: &radar_title, axes: &axes, series: &series, maximum: hundred }),
        rows: comparison
            .domains
            .iter()
            .zip(&domain_titles)
            .map(|(compared, (id, title, lang))| row(compared, Some(id.clone()), title.clone(), *lang))
            .collect(),
    };

    let paired = |compared: &Compared, label: String, lang: Option<&'static str>| PairedBar {
        label,
        lang,
        values: [compared.own, compared.external],
        texts: [
            percent_text(compared.own, language, "results.not_rated"),
            percent_text(compared.external, language, "candidate.profile.not_assessed"),
        ],
    };
    let category_labels: Vec<String> = Category::ALL.iter().map(|c| tr(category_key(*c))).collect();
    let category_rows: Vec<PairedBar> = comparison
        .categories
        .iter()
        .zip(&category_labels)
        .map(|(compared, label)| paired(compared, label.clone(), None))
        .collect();
    let names_ref = [names[0].as_str(), names[1].as_str()];
    let categories_title = tr("candidate.profile.categories.chart");
    let categories = CompareChart {
        id: "chart-categories",
        heading: tr("results.categories.heading"),
        caption: tr("candidate.profile.categories.caption"),
        column: tr("results.categories.column"),
        svg: paired_bars(&categories_title, names_ref, &category_rows, hundred),
        rows: comparison
            .categories
            .iter()
            .zip(&category_labels)
            .map(|(compared, label)| row(compared, None, label.clone(), None))
            .collect(),
    };

    let work_on = comparison.work_on();
    let competence_rows: Vec<PairedBar> = work_on
        .iter()
        .map(|compared| {
            let label = format!("{} {}", compared.id, competence_title(&compared.id));
            paired(compared, label, competence_lang(&compared.id))
        })
        .collect();
    let competences_title = tr("candidate.profile.competences.chart");
    let competences = CompareChart {
        id: "chart-competences",
        heading: tr("results.competences.heading"),
        caption: tr("candidate.profile.competences.caption"),
        column: tr("results.competences.column"),
        svg: paired_bars(&competences_title, names_ref, &competence_rows, hundred),
        rows: work_on
            .iter()
            .map(|compared| {
                row(
                    compared,
                    Some(compared.id.clone()),
                    competence_title(&compared.id),
                    competence_lang(&compared.id),
                )
            })
            .collect(),
    };

    let reason = |compared: &Compared| -> String {
        match (compared.external, compared.gap().map(round)) {
            (Some(_), Some(gap)) if gap > Decimal::ZERO => tr("candidate.profile.reason.blind_spot"),
            (Some(_), Some(gap)) if gap < Decimal::ZERO => tr("candidate.profile.reason.underestimated"),
            (Some(_), _) => tr("candidate.profile.reason.external"),
            (None, _) => tr("candidate.profile.reason.self_only"),
        }
    };
    let work_on_rows: Vec<WorkOnRow> = work_on
        .iter()
        .take(5)
        .map(|compared| WorkOnRow {
            id: compared.id.clone(),
            label: competence_title(&compared.id),
            label_lang: competence_lang(&compared.id),
            own: percent_text(compared.own, language, "results.not_rated"),
            external: percent_text(compared.external, language, "candidate.profile.not_assessed"),
            gap: gap_text(compared.gap(), language),
            reason: reason(compared),
        })
        .collect();

    let external_view = external.map(|external| {
        context! {
            session => external.session_name,
            mock => external.mock,
            outcome_key => format!("exam.outcome.{}", outcome_name(external.result.outcome)),
            assessed => comparison.competences.iter().filter(|c| c.external.is_some()).count(),
        }
    });
    let view = context! {
        account => Value::from(Serde(account)),
        rated => own_profile.overall.rated,
        total => own_profile.overall.total,
        external => external_view,
        choices => Value::from(Serde(choices)),
        work_on => Value::from(Serde(work_on_rows)),
        charts => Value::from(Serde([domains, categories, competences])),
    };
    render(environment, "candidate_profile.html", language, "candidate_profile", view)
}

/// The view of one published result on the candidate's home: every part
/// and position grade, the overall grade, the outcome, the decision and
/// the conditions of the pass rule. Part titles come from `blueprint` in
/// the page language when given (the pinned blueprint), else from the
/// result (French); grades below `pass_mark` are marked.
pub fn result_view(
    result: &CandidateResult,
    blueprint: Option<&grille_scoring::Blueprint>,
    pass_mark: Decimal,
    language: Language,
) -> serde_json::Value {
    use grille_scoring::decimal::display_grade;
    let grade = |value: Option<Decimal>| value.map(display_grade);
    let below = |value: Option<Decimal>| value.is_some_and(|value| value < pass_mark);
    let weight = |value: Decimal| value.normalize().to_string();
    let parts: Vec<serde_json::Value> = result
        .parts
        .iter()
        .map(|part| {
            let title = blueprint
                .and_then(|blueprint| blueprint.part(&part.part))
                .map(|found| found.title.get(language.code()).to_owned())
                .unwrap_or_else(|| part.title.clone());
            let positions: Vec<serde_json::Value> = part
                .positions
                .iter()
                .map(|position| {
                    let title = blueprint
                        .and_then(|blueprint| blueprint.position(&position.position))
                        .map(|(_, found)| found.title.get(language.code()).to_owned())
                        .unwrap_or_else(|| position.title.clone());
                    serde_json::json!({
                        "id": position.position, "title": title, "weight": weight(position.weight),
                        "grade": grade(position.grade), "below": below(position.grade),
                    })
                })
                .collect();
            serde_json::json!({
                "id": part.part, "title": title, "weight": weight(part.weight),
                "grade": grade(part.grade), "below": below(part.grade), "positions": positions,
            })
        })
        .collect();
    let overall = result.overall.as_ref().map(|overall| overall.value);
    serde_json::json!({
        "outcome": outcome_name(result.outcome),
        "outcome_key": format!("exam.outcome.{}", outcome_name(result.outcome)),
        "decision": EngineText::of(result.decision_message.as_ref(), &result.decision, language),
        "conditions": result.conditions.iter().map(|condition| serde_json::json!({
            "satisfied": condition.satisfied,
            "explanation": EngineText::of(condition.explanation_message.as_ref(), &condition.explanation, language),
        })).collect::<Vec<_>>(),
        "parts": parts,
        "overall": grade(overall),
        "overall_below": below(overall),
    })
}

/// The name of an outcome as in the translation keys (`exam.outcome.*`).
pub fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Pending => "pending",
        Outcome::NoResult => "no_result",
    }
}

/// The translation keys the web crate puts in views of these pages, for
/// the test that every key exists in every language.
pub const CODE_KEYS: [&str; 13] = [
    "rubric.mark.points",
    "rubric.mark.not_assessable",
    "rubric.mark.not_assessed_in_case",
    "rubric.mark.missing",
    "plan.progress.not_started",
    "plan.progress.under_way",
    "plan.progress.reached",
    "candidate.kind.mock",
    "candidate.kind.official",
    "trainer.state.enrolment",
    "trainer.state.scoring",
    "trainer.state.finalised",
    "trainer.state.published",
];

#[cfg(test)]
mod tests {
    use super::*;
    use grille_scoring::ProfileEntry;

    fn catalogue() -> Catalogue {
        Catalogue::embedded().unwrap_or_else(|problems| panic!("embedded catalogue: {problems:?}"))
    }

    fn entry(id: &str, percent: u32) -> ProfileEntry {
        ProfileEntry {
            id: id.to_owned(),
            points: Decimal::from(percent),
            max_points: Decimal::ONE_HUNDRED,
            percent: Decimal::from(percent),
        }
    }

    #[test]
    fn the_weakest_and_the_overestimated_come_first() {
        let catalogue = catalogue();
        // Self: A1 100 %, A2 0 %, A3 100 %, B1 67 %; external: A1 50 %,
        // A2 40 %, A3 90 %; B1 has no external value.
        let (ratings, _) =
            Ratings::parse(&catalogue, [("A1.p1", "4"), ("A2.p1", "1"), ("A3.p1", "4"), ("B1.p1", "3")]);
        let external = CompetenceProfile {
            competences: vec![entry("A1", 50), entry("A2", 40), entry("A3", 90)],
            ..CompetenceProfile::default()
        };
        let comparison = Comparison::compute(&catalogue, &ratings, &external);
        let order: Vec<&str> = comparison.work_on().iter().map(|c| c.id.as_str()).collect();
        // A1: 50 + 50 = 100; A2: 60 + 0 = 60; A3: 10 + 10 = 20; B1 self only.
        assert_eq!(order, ["A1", "A2", "A3", "B1"]);
        let a2 = comparison.competences.iter().find(|c| c.id == "A2").unwrap();
        assert_eq!(a2.gap(), Some(Decimal::from(-40)));
        assert_eq!(a2.priority(), Some(Decimal::from(60)));
    }

    #[test]
    fn the_profile_page_shows_both_series_and_cites_a8() {
        let catalogue = catalogue();
        let environment = crate::templates::environment();
        let (ratings, _) = Ratings::parse(&catalogue, [("A1.p1", "4"), ("B2.k1", "1")]);
        let result: CandidateResult = serde_json::from_value(serde_json::json!({
            "number": "2026-001", "status": "present", "attempt": 1, "outcome": "passed",
            "decision": "Réussi.", "pending": [], "parts": [], "conditions": [],
            "profile": {"competences": [{"id": "A1", "points": "5", "max_points": "10", "percent": "50"}],
                        "domains": [{"id": "A", "points": "5", "max_points": "10", "percent": "50"}],
                        "categories": [{"id": "performance", "points": "5", "max_points": "10", "percent": "50"}],
                        "criteria": []}
        }))
        .unwrap();
        let external = External { result: &result, session_name: "Examen blanc", mock: true };
        let account = crate::templates::AccountLayout {
            username: "c".to_owned(),
            role: "candidate",
            csrf: "x".to_owned(),
            home: "/candidate",
        };
        for language in [Language::Fr, Language::De] {
            let page = profile(&environment, &catalogue, &ratings, Some(&external), &[], &account, language)
                .unwrap();
            assert!(!page.contains('⟦'), "{page}");
            assert!(page.contains(r#"href="/catalogue/A8""#));
            assert_eq!(page.matches("class=\"series series-").count(), 2, "two radar series");
            assert!(page.contains("chart bars paired"));
            let alone = profile(&environment, &catalogue, &ratings, None, &[], &account, language).unwrap();
            assert!(!alone.contains('⟦'));
            assert_eq!(alone.matches("class=\"series series-").count(), 1);
        }
    }

    #[test]
    fn paired_bars_write_both_values() {
        let rows = [PairedBar {
            label: "Connaissances".into(),
            values: [Some(Decimal::from(80)), None],
            texts: ["80 %".into(), "non évaluée".into()],
            lang: Some("fr"),
        }];
        let svg = paired_bars("Titre", ["Auto", "Externe"], &rows, Decimal::ONE_HUNDRED);
        assert!(svg.starts_with("<svg") && svg.contains("80 %") && svg.contains("non évaluée"));
        assert!(svg.contains(r##"fill="#1d2025" lang="fr"><tspan"##), "{svg}");
        assert!(svg.contains(r#"role="img""#));
    }
}
