//! The public pages (home, catalogue, competence, self-assessment and its
//! results, not found): one function per page that turns domain data into
//! the template's view and renders it with [`crate::templates`] (whose
//! layout types and environment are re-exported here for the web crate).

use grille_competence::{Catalogue, Category, Competence, Domain, LocalizedText};
use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::charts::{self, Axis, Bar, Bars, Radar, Series};
use crate::i18n::{self, Language};
use crate::self_assessment::{Achievement, Level, Profile, Ratings, category_key};
use crate::templates::render;
pub use crate::templates::{
    AccountLayout, PageError, Viewer, environment, grade_filter, query_without_language, translation_note,
    with_request,
};

#[derive(Serialize)]
struct CriterionView {
    id: String,
    text: Value,
}

#[derive(Serialize)]
struct CategoryGroup {
    label_key: &'static str,
    criteria: Vec<CriterionView>,
}

#[derive(Serialize)]
struct CompetenceView {
    id: String,
    title: Value,
    /// The title without markup (the window title).
    title_text: String,
    /// The language of `title_text` where it is not the page's (the
    /// French for want of a translation), for the window title's `lang`.
    title_lang: Option<String>,
    situation: Vec<Value>,
    criterion_count: usize,
    categories: Vec<CategoryGroup>,
}

#[derive(Serialize)]
pub(crate) struct DomainView {
    id: String,
    title: Value,
    criteria_subject: Value,
    competences: Vec<CompetenceView>,
}

fn text(text: &LocalizedText, language: Language) -> String {
    i18n::localized(text, language).text.to_owned()
}

/// A catalogue text as a page shows it: in the page language, or the
/// French (the 2017 profile, word for word) marked `lang="fr"` for want of
/// a translation, so that a screen reader pronounces it as French.
fn shown(text: &LocalizedText, language: Language) -> Value {
    let shown = i18n::localized(text, language);
    marked(shown.text, shown.lang)
}

/// `text` as element content, in a `<span lang>` when `lang` is set.
fn marked(text: &str, lang: Option<&str>) -> Value {
    match lang {
        None => Value::from(text),
        Some(lang) => {
            let (lang, text) = (minijinja::HtmlEscape(lang), minijinja::HtmlEscape(text));
            Value::from_safe_string(format!(r#"<span lang="{lang}">{text}</span>"#))
        }
    }
}

/// The paragraphs of a catalogue text, as [`shown`].
fn shown_paragraphs(text: &LocalizedText, language: Language) -> Vec<Value> {
    let shown = i18n::localized(text, language);
    shown
        .text
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| marked(paragraph, shown.lang))
        .collect()
}

fn competence_view(catalogue: &Catalogue, competence: &Competence, language: Language) -> CompetenceView {
    CompetenceView {
        id: competence.id.clone(),
        title: shown(&competence.title, language),
        title_text: text(&competence.title, language),
        title_lang: i18n::localized(&competence.title, language).lang.map(str::to_owned),
        situation: shown_paragraphs(&competence.situation, language),
        criterion_count: competence.criteria.len(),
        categories: Category::ALL
            .into_iter()
            .map(|category| CategoryGroup {
                label_key: category_key(category),
                criteria: catalogue
                    .criteria_in(competence, category)
                    .map(|criterion| CriterionView {
                        id: criterion.id.clone(),
                        text: shown(&criterion.text, language),
                    })
                    .collect(),
            })
            .filter(|group| !group.criteria.is_empty())
            .collect(),
    }
}

fn domain_view(catalogue: &Catalogue, domain: &Domain, language: Language) -> DomainView {
    DomainView {
        id: domain.id.clone(),
        title: shown(&domain.title, language),
        criteria_subject: shown(&domain.criteria_subject, language),
        competences: domain.competences.iter().map(|c| competence_view(catalogue, c, language)).collect(),
    }
}

pub(crate) fn domain_views(catalogue: &Catalogue, language: Language) -> Vec<DomainView> {
    catalogue.domains().iter().map(|domain| domain_view(catalogue, domain, language)).collect()
}

/// The home page.
pub fn home(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    language: Language,
) -> Result<String, PageError> {
    let profile = catalogue.profile();
    let view = context! {
        profile_title => shown(&profile.title, language),
        profile_version => profile.version.clone(),
        competence_count => catalogue.competences().count(),
        criterion_count => catalogue.criteria().count(),
    };
    render(environment, "home.html", language, "home", view)
}

/// The catalogue: the competences by domain.
pub fn catalogue(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    language: Language,
) -> Result<String, PageError> {
    let profile = catalogue.profile();
    let view = context! {
        profile_title => shown(&profile.title, language),
        profile_version => profile.version.clone(),
        domains => Value::from(Serde(domain_views(catalogue, language))),
    };
    render(environment, "catalogue.html", language, "catalogue", view)
}

/// One competence: its work situation and criteria by category, or `None`
/// if the catalogue has no such competence.
pub fn competence(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    id: &str,
    language: Language,
) -> Result<Option<String>, PageError> {
    let (Some(competence), Some(domain)) = (catalogue.competence(id), catalogue.domain_of(id)) else {
        return Ok(None);
    };
    let ids: Vec<&str> = catalogue.competences().map(|c| c.id.as_str()).collect();
    let position = ids.iter().position(|other| *other == competence.id).unwrap_or_default();
    let view = context! {
        domain => context! {
            id => domain.id.clone(),
            title => shown(&domain.title, language),
            criteria_subject => shown(&domain.criteria_subject, language),
        },
        competence => Value::from(Serde(competence_view(catalogue, competence, language))),
        previous => position.checked_sub(1).and_then(|index| ids.get(index)).copied(),
        next => ids.get(position + 1).copied(),
    };
    render(environment, "competence.html", language, "catalogue", view).map(Some)
}

#[derive(Serialize)]
pub(crate) struct LevelView {
    value: u8,
    label_key: &'static str,
    description_key: &'static str,
}

/// The four levels of the self-assessment form.
pub(crate) fn level_views() -> Vec<LevelView> {
    Level::ALL
        .into_iter()
        .map(|level| LevelView {
            value: level.number(),
            label_key: level.label_key(),
            description_key: level.description_key(),
        })
        .collect()
}

/// The self-assessment form over every criterion of the catalogue.
pub fn self_assessment(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    language: Language,
) -> Result<String, PageError> {
    let levels = level_views();
    let view = context! {
        catalogue_id => catalogue.profile().id.clone(),
        total => catalogue.criteria().count(),
        levels => Value::from(Serde(levels)),
        domains => Value::from(Serde(domain_views(catalogue, language))),
    };
    render(environment, "self_assessment.html", language, "self_assessment", view)
}

#[derive(Serialize)]
struct RowView {
    code: Option<String>,
    label: String,
    /// `fr` when the label is the catalogue's French, not yet translated.
    label_lang: Option<&'static str>,
    rated: usize,
    total: usize,
    value_text: String,
}

#[derive(Serialize)]
struct ChartView {
    id: &'static str,
    heading: String,
    caption: String,
    label_heading: String,
    svg: String,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct WorkOnView {
    id: String,
    label: String,
    /// `fr` when the label is the catalogue's French, not yet translated.
    label_lang: Option<&'static str>,
    value_text: String,
}

fn value_text(achievement: &Achievement, language: Language) -> String {
    match achievement.rounded_percent() {
        Some(percent) => {
            i18n::format(&i18n::translate(language, "results.percent"), &[("value", percent.to_string())])
        }
        None => i18n::translate(language, "results.not_rated"),
    }
}

fn row(
    achievement: &Achievement,
    code: Option<&str>,
    label: i18n::Localized<'_>,
    language: Language,
) -> RowView {
    RowView {
        code: code.map(str::to_owned),
        label: label.text.to_owned(),
        label_lang: label.lang,
        rated: achievement.rated,
        total: achievement.total,
        value_text: value_text(achievement, language),
    }
}

fn bar(achievement: &Achievement, label: String, lang: Option<&'static str>, language: Language) -> Bar {
    Bar { label, value: achievement.percent, value_text: value_text(achievement, language), lang }
}

/// The profile of a self-assessment: the competences to work on first,
/// then the radar by domain and the bars by category and by competence,
/// each with its numbers in a table.
pub fn self_assessment_results(
    environment: &Environment<'_>,
    catalogue: &Catalogue,
    ratings: &Ratings,
    language: Language,
) -> Result<String, PageError> {
    let profile = Profile::compute(catalogue, ratings);
    let tr = |key: &str| i18n::translate(language, key);
    let hundred = Decimal::ONE_HUNDRED;

    // A catalogue title shown in French for want of a translation is
    // marked so in the tables and the charts alike.
    let domain_titles: Vec<(String, i18n::Localized<'_>)> = catalogue
        .domains()
        .iter()
        .map(|domain| (domain.id.clone(), i18n::localized(&domain.title, language)))
        .collect();
    // The value is written under each axis label: an unrated domain is
    // drawn at zero, and its axis says that it was not rated.
    let axes: Vec<Axis> = domain_titles
        .iter()
        .zip(&profile.domains)
        .map(|((id, title), achievement)| Axis {
            label: format!("{id} {}", title.text),
            lang: title.lang,
            note: Some(format!("({})", value_text(achievement, language))),
        })
        .collect();
    let series = [Series {
        name: tr("results.series.self"),
        values: profile.domains.iter().map(|a| a.percent.unwrap_or(Decimal::ZERO)).collect(),
    }];
    let domains_title = tr("results.domains.chart");
    let domains_chart = ChartView {
        id: "chart-domains",
        heading: tr("results.domains.heading"),
        caption: tr("results.domains.caption"),
        label_heading: tr("results.domains.column"),
        svg: charts::radar(&Radar { title: &domains_title, axes: &axes, series: &series, maximum: hundred }),
        rows: profile
            .domains
            .iter()
            .zip(&domain_titles)
            .map(|(achievement, (id, title))| row(achievement, Some(id), *title, language))
            .collect(),
    };

    let category_labels: Vec<String> = Category::ALL.iter().map(|c| tr(category_key(*c))).collect();
    let category_bars: Vec<Bar> = profile
        .categories
        .iter()
        .zip(&category_labels)
        .map(|(a, label)| bar(a, label.clone(), None, language))
        .collect();
    let categories_title = tr("results.categories.chart");
    let categories_chart = ChartView {
        id: "chart-categories",
        heading: tr("results.categories.heading"),
        caption: tr("results.categories.caption"),
        label_heading: tr("results.categories.column"),
        svg: charts::bars(&Bars { title: &categories_title, bars: &category_bars, maximum: hundred }),
        rows: profile
            .categories
            .iter()
            .zip(&category_labels)
            .map(|(achievement, label)| {
                row(achievement, None, i18n::Localized { text: label, lang: None }, language)
            })
            .collect(),
    };

    let competence_title = |id: &str| {
        catalogue
            .competence(id)
            .map(|c| i18n::localized(&c.title, language))
            .unwrap_or(i18n::Localized { text: "", lang: None })
    };
    let work_on = profile.competences_to_work_on();
    let competence_bars: Vec<Bar> = work_on
        .iter()
        .map(|achievement| {
            let title = competence_title(&achievement.id);
            bar(achievement, format!("{} {}", achievement.id, title.text), title.lang, language)
        })
        .collect();
    let competences_title = tr("results.competences.chart");
    let competences_chart = ChartView {
        id: "chart-competences",
        heading: tr("results.competences.heading"),
        caption: tr("results.competences.caption"),
        label_heading: tr("results.competences.column"),
        svg: charts::bars(&Bars { title: &competences_title, bars: &competence_bars, maximum: hundred }),
        rows: work_on
            .iter()
            .map(|achievement| {
                row(achievement, Some(&achievement.id), competence_title(&achievement.id), language)
            })
            .collect(),
    };

    let work_on_view: Vec<WorkOnView> = work_on
        .iter()
        .map(|achievement| {
            let title = competence_title(&achievement.id);
            WorkOnView {
                id: achievement.id.clone(),
                label: title.text.to_owned(),
                label_lang: title.lang,
                value_text: value_text(achievement, language),
            }
        })
        .collect();

    let view = context! {
        rated => profile.overall.rated,
        total => profile.overall.total,
        work_on => Value::from(Serde(work_on_view)),
        charts => Value::from(Serde([domains_chart, categories_chart, competences_chart])),
    };
    render(environment, "results.html", language, "self_assessment", view)
}

/// The page shown for an unknown address.
pub fn not_found(environment: &Environment<'_>, language: Language) -> Result<String, PageError> {
    render(environment, "not_found.html", language, "not_found", context! {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_shows_who_is_logged_in_or_the_login_link() {
        let catalogue = Catalogue::embedded().unwrap();
        let shared = environment();
        let anonymous = with_request(&shared, Some("lang=de&x=1"), None);
        let page = home(&anonymous, &catalogue, Language::Fr).unwrap();
        assert!(page.contains(r#"<a href="/login" id="login-link">Se connecter</a>"#));
        assert!(page.contains(r#"href="?x=1&amp;lang=de""#));
        let viewer = Viewer { username: "exp-01".into(), home: "/examiner".into(), csrf: "token".into() };
        let logged_in = with_request(&shared, None, Some(&viewer));
        let page = catalogue_page(&logged_in, &catalogue);
        assert!(page.contains("Connecté·e : exp-01"), "{page}");
        assert!(page.contains(r#"<a href="&#x2f;examiner" id="account-home">"#), "{page}");
        assert!(page.contains(r#"name="csrf" value="token""#) && page.contains(r#"id="logout""#));
        assert!(!page.contains("login-link"));
    }

    fn catalogue_page(environment: &Environment<'static>, catalogue: &Catalogue) -> String {
        super::catalogue(environment, catalogue, Language::Fr).unwrap()
    }

    fn load_catalogue() -> Catalogue {
        Catalogue::embedded().unwrap_or_else(|problems| panic!("embedded catalogue: {problems:?}"))
    }

    #[test]
    fn every_page_renders_in_every_language_without_missing_keys() {
        let environment = environment();
        let catalogue = load_catalogue();
        let (ratings, _) = Ratings::parse(&catalogue, [("A1.p1", "4"), ("B2.k1", "1"), ("E4.m1", "3")]);
        for language in [Language::Fr, Language::De, Language::It] {
            let pages = [
                home(&environment, &catalogue, language).unwrap(),
                super::catalogue(&environment, &catalogue, language).unwrap(),
                competence(&environment, &catalogue, "A7", language).unwrap().unwrap(),
                self_assessment(&environment, &catalogue, language).unwrap(),
                self_assessment_results(&environment, &catalogue, &ratings, language).unwrap(),
                self_assessment_results(&environment, &catalogue, &Ratings::default(), language).unwrap(),
                not_found(&environment, language).unwrap(),
            ];
            for page in pages {
                assert!(!page.contains('⟦'), "missing translation in {}:\n{page}", language.code());
                assert!(page.contains(&format!(r#"<html lang="{}">"#, language.document_code())));
                for landmark in ["<header", "<nav", "<main", "<footer", r##"href="#main""##] {
                    assert!(page.contains(landmark), "{landmark} missing");
                }
            }
        }
    }

    #[test]
    fn catalogue_text_without_a_translation_is_marked_french() {
        let catalogue = load_catalogue();
        let german = competence(&environment(), &catalogue, "A7", Language::De).unwrap().unwrap();
        let criterion = catalogue.competence("A7").unwrap().criteria.first().unwrap();
        let marked = format!(r#"<span lang="fr">{}</span>"#, minijinja::HtmlEscape(&criterion.text.fr));
        assert!(german.contains(&marked), "{german}");
        // The window title has no markup; the French page marks nothing.
        assert!(!german.split("</title>").next().unwrap().contains("<span"), "{german}");
        let french = competence(&environment(), &catalogue, "A7", Language::Fr).unwrap().unwrap();
        assert!(!french.contains(r#"<span lang="fr">"#), "{french}");
    }

    #[test]
    fn unknown_competence_has_no_page() {
        assert_eq!(competence(&environment(), &load_catalogue(), "Z9", Language::Fr).unwrap(), None);
    }

    #[test]
    fn self_assessment_has_a_labelled_radio_group_per_criterion() {
        let catalogue = load_catalogue();
        let page = self_assessment(&environment(), &catalogue, Language::Fr).unwrap();
        let criteria = catalogue.criteria().count();
        assert_eq!(page.matches("<fieldset class=\"criterion\"").count(), criteria);
        assert_eq!(page.matches("type=\"radio\"").count(), criteria * 4);
        assert_eq!(page.matches("<label for=\"r-").count(), criteria * 4);
        assert!(page.contains("pas encore") && page.contains("entièrement"));
    }

    #[test]
    fn results_list_weakest_first_with_charts_and_tables() {
        let catalogue = load_catalogue();
        let (ratings, _) = Ratings::parse(&catalogue, [("A1.p1", "4"), ("B2.k1", "1")]);
        let page = self_assessment_results(&environment(), &catalogue, &ratings, Language::Fr).unwrap();
        let b2 = page.find(r#"<a href="/catalogue/B2">"#).unwrap();
        let a1 = page.find(r#"<a href="/catalogue/A1">"#).unwrap();
        assert!(b2 < a1, "B2 (0 %) comes before A1 (100 %)");
        assert!(page.contains(r#"class="chart radar""#));
        assert_eq!(page.matches(r#"class="chart bars""#).count(), 2);
        assert_eq!(page.matches("<table").count(), 3);
        assert!(page.contains("2 critères évalués sur"));
    }
}
