//! The HTML pages: a minijinja environment with the templates embedded at
//! build time, and one function per page that turns domain data into the
//! template's view and renders it.
//!
//! Templates are registered under names ending in `.html`, so every value
//! is HTML-escaped unless marked safe; only the SVG charts, which escape
//! their own text, are marked safe. Templates call `t("key")` (with named
//! arguments for placeholders: `t("self.progress", done=3, total=270)`)
//! and use the `loc` filter to pick a catalogue text in the page language
//! (French shown to a reader of another language is marked `lang="fr"`;
//! `loc_text` gives the plain text for attributes).

use grille_competence::{Catalogue, Category, Competence, Domain, LocalizedText};
use minijinja::value::{Kwargs, Serde, Value};
use minijinja::{Environment, Error, ErrorKind, State, context};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::charts::{self, Bar, Bars, Radar, Series};
use crate::i18n::{self, Language};
use crate::self_assessment::{Achievement, Level, Profile, Ratings, category_key};

/// The templates, by name, embedded at build time.
pub const TEMPLATES: [(&str, &str); 13] = [
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("catalogue.html", include_str!("../templates/catalogue.html")),
    ("competence.html", include_str!("../templates/competence.html")),
    ("self_assessment.html", include_str!("../templates/self_assessment.html")),
    ("results.html", include_str!("../templates/results.html")),
    ("not_found.html", include_str!("../templates/not_found.html")),
    ("session_layout.html", include_str!("../templates/session_layout.html")),
    ("session_results.html", include_str!("../templates/session_results.html")),
    ("session_statistics.html", include_str!("../templates/session_statistics.html")),
    ("grade_sheet.html", include_str!("../templates/grade_sheet.html")),
    ("candidate_file.html", include_str!("../templates/candidate_file.html")),
    ("minutes.html", include_str!("../templates/minutes.html")),
];

/// The page language of a template state: the context's `lang`, French if
/// missing or unknown.
fn state_language(state: &State<'_, '_>) -> Language {
    state.lookup("lang").and_then(|value| value.as_str().and_then(Language::parse)).unwrap_or(Language::Fr)
}

/// `t(key, **arguments)`: the translated text with its placeholders filled.
fn translate_function(state: &State<'_, '_>, key: &str, arguments: Kwargs) -> Result<String, Error> {
    let language = state_language(state);
    let mut filled = Vec::new();
    for name in arguments.args() {
        let value: Value = arguments.get(name)?;
        filled.push((name, value.to_string()));
    }
    arguments.assert_all_used()?;
    Ok(i18n::format(&i18n::translate(language, key), &filled))
}

/// The text of a localized value (`{fr, de, it}`) in `language`, and
/// whether it is the French fallback shown to a reader of another language
/// (the value has no text, or a blank one, in that language).
fn localized_text(value: &Value, language: Language) -> Result<(Value, bool), Error> {
    let translated = value
        .get_attr(language.code())
        .ok()
        .filter(|text| !text.is_undefined() && !text.is_none())
        .filter(|text| text.as_str().is_none_or(|text| !text.trim().is_empty()));
    match translated {
        Some(text) => Ok((text, false)),
        None => value
            .get_attr("fr")
            .ok()
            .filter(|text| !text.is_undefined() && !text.is_none())
            .map(|text| (text, language != Language::Fr))
            .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "loc expects a localized text")),
    }
}

/// `value|loc`: a localized text (`{fr, de, it}`) in the page language,
/// as element content. Where the text has no translation in that language
/// the French is shown marked `<span lang="fr">…</span>` (escaped inside),
/// so that screen readers read it as French. In an attribute, use
/// `loc_text`.
fn localize_filter(state: &State<'_, '_>, value: Value) -> Result<Value, Error> {
    let (text, french_fallback) = localized_text(&value, state_language(state))?;
    if !french_fallback {
        return Ok(text);
    }
    let plain = text.to_string();
    Ok(Value::from_safe_string(format!(r#"<span lang="fr">{}</span>"#, minijinja::HtmlEscape(&plain))))
}

/// `value|loc_text`: the same text as `loc` without markup, falling back
/// to French silently: for attribute values (`title`, `value`,
/// `placeholder`, `aria-label`) and `<option>` text, where an element
/// cannot be.
fn localize_text_filter(state: &State<'_, '_>, value: Value) -> Result<Value, Error> {
    localized_text(&value, state_language(state)).map(|(text, _)| text)
}

/// `document|translation_note`: for a document carrying a translation
/// note (`translation: {de: {by, checked_by_board}}`), the sentence that
/// says, in the page language, who translated its texts into that
/// language and whether the board has checked them; none in French (the
/// original) or when the document has no note for the page language.
/// `document|translation_note(code)` reads the note of language `code`
/// instead: a case is written in one language, whatever the reader's.
fn translation_note_filter(state: &State<'_, '_>, document: Value, of: Option<&str>) -> Value {
    let language = state_language(state);
    let code = of.unwrap_or(language.code());
    let note = document
        .get_attr("translation")
        .and_then(|translations| translations.get_attr(code))
        .ok()
        .filter(|note| !note.is_undefined() && !note.is_none());
    let Some(note) = note else { return Value::from(()) };
    let text = |value: Value, name: &str| {
        value.get_attr(name).ok().and_then(|text| text.as_str().map(str::to_owned)).unwrap_or_default()
    };
    let by = text(note.clone(), "by");
    let checked = note.get_attr("checked_by_board").is_ok_and(|checked| checked.is_true());
    let source = note
        .get_attr("source")
        .ok()
        .filter(|source| !source.is_undefined() && !source.is_none())
        .map(|source| format!("{} {}", text(source.clone(), "id"), text(source, "version")));
    Value::from(translation_sentence(language, &by, checked, source.as_deref()))
}

/// The sentence of a translation note in `language` (see
/// `translation_note`): who translated, whether the board checked it, and
/// the original when the translation is a document of its own.
pub(crate) fn translation_sentence(
    language: Language,
    by: &str,
    checked_by_board: bool,
    source: Option<&str>,
) -> String {
    let key = if checked_by_board { "translation.note.checked" } else { "translation.note.unchecked" };
    let mut sentence = i18n::format(&i18n::translate(language, key), &[("by", by.to_owned())]);
    if let Some(source) = source {
        sentence.push(' ');
        sentence.push_str(&i18n::format(
            &i18n::translate(language, "translation.note.source"),
            &[("source", source.to_owned())],
        ));
    }
    sentence
}

/// The sentence of a document's translation note in `language`, if the
/// document has one for that language (never for French, the original).
pub fn translation_note(
    translation: Option<&grille_competence::Translations>,
    language: Language,
) -> Option<String> {
    let note = translation?.get(language.code())?;
    let source = note.source.as_ref().map(|source| format!("{} {}", source.id, source.version));
    Some(translation_sentence(language, &note.by, note.checked_by_board, source.as_deref()))
}

/// `value|grade`: a grade as the pages print it, with one decimal at least
/// (`"5"` → `"5.0"`, `"5.5"` and `"4.25"` unchanged). The API answers
/// grades as decimal strings without trailing zeros; a value that is no
/// number (none, "—") is returned as it is.
pub fn grade_filter(value: Value) -> Value {
    let text = match value.as_str() {
        Some(text) => text.to_owned(),
        None if value.is_number() => value.to_string(),
        None => return value,
    };
    match text.trim().parse::<Decimal>() {
        Ok(grade) => Value::from(grille_scoring::decimal::display_grade(grade)),
        Err(_) => value,
    }
}

/// The environment with every template and the `t` function and `loc`,
/// `loc_text`, `translation_note` and `grade` filters registered.
pub fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    // A value a template names and its view lacks is an error, not an
    // empty cell: printing, iterating or calling it fails the render
    // (tests render every page). Only `{% if x %}` may ask whether an
    // optional value is there.
    environment.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
    let board = crate::board::TEMPLATES.into_iter().chain([crate::board::EXPORTS_TEMPLATE]);
    for (name, source) in TEMPLATES.into_iter().chain(crate::examiner::TEMPLATES).chain(board) {
        // The templates are compiled into the binary and a test renders
        // every one, so a syntax error cannot reach a release.
        if let Err(error) = environment.add_template(name, source) {
            panic!("template {name} does not compile: {error:#}");
        }
    }
    let more = crate::candidate::TEMPLATES
        .into_iter()
        .chain(crate::cases::TEMPLATES)
        .chain(crate::quality::TEMPLATES)
        .chain(crate::official::TEMPLATES);
    for (name, source) in more {
        if let Err(error) = environment.add_template(name, source) {
            panic!("template {name} does not compile: {error:#}");
        }
    }
    environment.add_function("t", translate_function);
    environment.add_filter("loc", localize_filter);
    environment.add_filter("loc_text", localize_text_filter);
    environment.add_filter("translation_note", translation_note_filter);
    environment.add_filter("grade", grade_filter);
    environment
        .add_filter("markdown", |text: &str| Value::from_safe_string(crate::markdown::to_safe_html(text)));
    environment
}

/// An error while rendering a page (a bug in a template or view).
pub type PageError = Error;

/// The `account` object of the page layouts: who is logged in, the role
/// (`admin`, `examiner`, `trainer`, `candidate`), the CSRF token the forms
/// carry and the way home.
#[derive(Debug, Clone, Serialize)]
pub struct AccountLayout {
    /// The account's name.
    pub username: String,
    /// The role's name.
    pub role: &'static str,
    /// The session's CSRF token.
    pub csrf: String,
    /// The role's home page.
    pub home: &'static str,
}

/// Who is logged in, as the header of every page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Viewer {
    /// The account's name.
    pub username: String,
    /// The role's home page (`/examiner`, `/board`, ...).
    pub home: String,
    /// The session's CSRF token, for the logout form.
    pub csrf: String,
}

/// The query string of a request without its `lang` pairs, as the language
/// links keep it (`sort=overall&order=desc`). The text stays percent-encoded
/// as the browser sent it; the template escapes it for the attribute.
pub fn query_without_language(query: Option<&str>) -> String {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| pair.split('=').next() != Some("lang"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A copy of `environment` for one request: with the request's query (so
/// that the language links keep the page's sorting and filters) and who is
/// logged in (so that every page's header shows the account or the way to
/// log in). Cloning an environment shares its compiled templates.
pub fn with_request(
    environment: &Environment<'static>,
    query: Option<&str>,
    viewer: Option<&Viewer>,
) -> Environment<'static> {
    let mut copy = environment.clone();
    copy.add_global("request_query", query_without_language(query));
    if let Some(viewer) = viewer {
        copy.add_global("viewer", Value::from(Serde(viewer)));
    }
    copy
}

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: String,
}

/// Renders `template` with the layout's context (`lang`, `html_lang`,
/// `languages`, `page`) merged into `view`.
///
/// `lang` is the interface language chosen (it picks the translations);
/// `html_lang` is the language the page is written in (the same). The layout also reads two optional
/// globals a caller may add to a per-request copy of the environment (see
/// [`with_request`]): `request_query`, the query of the page without its
/// `lang` pair, kept by the language links; and `viewer`, who is logged in
/// (shown in the header when the view has no `account` of its own).
pub(crate) fn render(
    environment: &Environment<'_>,
    template: &str,
    language: Language,
    page: &str,
    view: Value,
) -> Result<String, PageError> {
    let languages: Vec<LanguageLink> = Language::ALL
        .iter()
        .map(|language| LanguageLink {
            code: language.code(),
            name: i18n::translate(*language, "language.name"),
        })
        .collect();
    let context = context! {
        lang => language.code(),
        html_lang => language.document_code(),
        languages => Value::from(Serde(&languages)),
        page => page,
        ..view
    };
    environment.get_template(template)?.render(context)
}

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
    text.get(language.code()).to_owned()
}

/// A catalogue text as a page shows it: in the page language, or the
/// French (the 2017 profile, word for word) marked `lang="fr"` for want of
/// a translation, so that a screen reader pronounces it as French.
fn shown(text: &LocalizedText, language: Language) -> Value {
    let own = match language {
        Language::Fr => Some(text.fr.as_str()),
        Language::De => text.de.as_deref(),
        Language::It => text.it.as_deref(),
    };
    match own.filter(|own| !own.trim().is_empty()) {
        Some(own) => Value::from(own),
        None => {
            Value::from_safe_string(format!(r#"<span lang="fr">{}</span>"#, minijinja::HtmlEscape(&text.fr)))
        }
    }
}

/// The paragraphs of a catalogue text, as [`shown`].
fn shown_paragraphs(text: &LocalizedText, language: Language) -> Vec<Value> {
    let own = match language {
        Language::Fr => Some(text.fr.as_str()),
        Language::De => text.de.as_deref(),
        Language::It => text.it.as_deref(),
    }
    .filter(|own| !own.trim().is_empty());
    let source = own.unwrap_or(&text.fr);
    source
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| match own {
            Some(_) => Value::from(paragraph),
            None => Value::from_safe_string(format!(
                r#"<span lang="fr">{}</span>"#,
                minijinja::HtmlEscape(paragraph)
            )),
        })
        .collect()
}

fn competence_view(catalogue: &Catalogue, competence: &Competence, language: Language) -> CompetenceView {
    CompetenceView {
        id: competence.id.clone(),
        title: shown(&competence.title, language),
        title_text: text(&competence.title, language),
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
        profile_title => text(&profile.title, language),
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
        profile_title => text(&profile.title, language),
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

fn row(achievement: &Achievement, code: Option<&str>, label: String, language: Language) -> RowView {
    RowView {
        code: code.map(str::to_owned),
        label,
        rated: achievement.rated,
        total: achievement.total,
        value_text: value_text(achievement, language),
    }
}

fn bar(achievement: &Achievement, label: String, language: Language) -> Bar {
    Bar { label, value: achievement.percent, value_text: value_text(achievement, language) }
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

    let domain_titles: Vec<(String, String)> =
        catalogue.domains().iter().map(|domain| (domain.id.clone(), text(&domain.title, language))).collect();
    // The value is part of each axis label: an unrated domain is drawn at
    // zero, and its label says that it was not rated.
    let axes: Vec<String> = domain_titles
        .iter()
        .zip(&profile.domains)
        .map(|((id, title), achievement)| format!("{id} {title} ({})", value_text(achievement, language)))
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
            .map(|(achievement, (id, title))| row(achievement, Some(id), title.clone(), language))
            .collect(),
    };

    let category_labels: Vec<String> = Category::ALL.iter().map(|c| tr(category_key(*c))).collect();
    let category_bars: Vec<Bar> = profile
        .categories
        .iter()
        .zip(&category_labels)
        .map(|(a, label)| bar(a, label.clone(), language))
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
            .map(|(achievement, label)| row(achievement, None, label.clone(), language))
            .collect(),
    };

    let competence_title =
        |id: &str| catalogue.competence(id).map(|c| text(&c.title, language)).unwrap_or_default();
    let work_on = profile.competences_to_work_on();
    let competence_bars: Vec<Bar> = work_on
        .iter()
        .map(|achievement| {
            bar(achievement, format!("{} {}", achievement.id, competence_title(&achievement.id)), language)
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
        .map(|achievement| WorkOnView {
            id: achievement.id.clone(),
            label: competence_title(&achievement.id),
            value_text: value_text(achievement, language),
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
    fn the_grade_filter_prints_one_decimal_at_least() {
        let environment = environment();
        for (value, shown) in [
            (Value::from("5"), "5.0"),
            (Value::from("5.5"), "5.5"),
            (Value::from("4.25"), "4.25"),
            (Value::from(6), "6.0"),
            (Value::from("—"), "—"),
            (Value::from(()), "None"),
        ] {
            let rendered =
                environment.render_str("{{ value|grade }}", context! { value => value.clone() }).unwrap();
            assert_eq!(rendered, shown, "{value:?}");
        }
    }

    #[test]
    fn loc_marks_the_french_fallback_and_loc_text_gives_plain_text_for_attributes() {
        let mut environment = environment();
        environment
            .add_template(
                "probe.html",
                r#"<p>{{ text|loc }}</p><input value="{{ text|loc_text }}" title="{{ text|loc_text }}">"#,
            )
            .unwrap();
        let render = |language: &str, text: serde_json::Value| {
            environment
                .get_template("probe.html")
                .unwrap()
                .render(context! { lang => language, text => Value::from(Serde(&text)) })
                .unwrap()
        };
        let french_only = serde_json::json!({"fr": "Grille \"A\" & <B>"});
        assert_eq!(
            render("de", french_only.clone()),
            r#"<p><span lang="fr">Grille &quot;A&quot; &amp; &lt;B&gt;</span></p><input value="Grille &quot;A&quot; &amp; &lt;B&gt;" title="Grille &quot;A&quot; &amp; &lt;B&gt;">"#
        );
        assert_eq!(
            render("it", french_only.clone()),
            r#"<p><span lang="fr">Grille &quot;A&quot; &amp; &lt;B&gt;</span></p><input value="Grille &quot;A&quot; &amp; &lt;B&gt;" title="Grille &quot;A&quot; &amp; &lt;B&gt;">"#
        );
        assert_eq!(
            render("fr", french_only),
            r#"<p>Grille &quot;A&quot; &amp; &lt;B&gt;</p><input value="Grille &quot;A&quot; &amp; &lt;B&gt;" title="Grille &quot;A&quot; &amp; &lt;B&gt;">"#
        );
        let translated = serde_json::json!({"fr": "Grille", "de": "Raster", "it": "Griglia"});
        assert_eq!(render("de", translated.clone()), r#"<p>Raster</p><input value="Raster" title="Raster">"#);
        assert_eq!(render("it", translated), r#"<p>Griglia</p><input value="Griglia" title="Griglia">"#);
        // A blank translation is no translation.
        let blank = serde_json::json!({"fr": "Grille", "de": " "});
        assert_eq!(
            render("de", blank),
            r#"<p><span lang="fr">Grille</span></p><input value="Grille" title="Grille">"#
        );
    }

    #[test]
    fn no_template_puts_loc_markup_in_an_attribute_or_an_option() {
        let sources = TEMPLATES
            .into_iter()
            .chain(crate::examiner::TEMPLATES)
            .chain(crate::board::TEMPLATES)
            .chain([crate::board::EXPORTS_TEMPLATE])
            .chain(crate::candidate::TEMPLATES)
            .chain(crate::cases::TEMPLATES)
            .chain(crate::quality::TEMPLATES);
        for (name, source) in sources {
            for (at, _) in source.match_indices("|loc") {
                if source[at..].starts_with("|loc_text") {
                    continue;
                }
                let before = &source[..at];
                // Inside a tag (an attribute value) when the last `<` is
                // after the last `>`; inside an option's text when the last
                // tag opened is `<option`.
                let in_tag = before.rfind('<') > before.rfind('>');
                let last_tag = before.rfind('<').map(|start| &before[start..]).unwrap_or_default();
                assert!(!in_tag, "{name}: |loc inside a tag; use |loc_text there");
                assert!(
                    !last_tag.starts_with("<option"),
                    "{name}: |loc inside <option>; use |loc_text there"
                );
            }
        }
    }

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

    /// Every `t("key")` / `t('key')` with a literal key in the templates.
    fn literal_keys(source: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for quote in ['"', '\''] {
            let opening = format!("t({quote}");
            for (start, _) in source.match_indices(&opening) {
                // Only the function `t`, not e.g. `format(`.
                let preceding = source[..start].chars().last();
                if preceding.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &source[start + opening.len()..];
                if let Some(end) = rest.find(quote) {
                    keys.push(rest[..end].to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists_in_every_shipped_language() {
        let mut used: Vec<(String, &str)> = Vec::new();
        for (name, source) in TEMPLATES.into_iter().chain(crate::examiner::TEMPLATES) {
            used.extend(literal_keys(source).into_iter().map(|key| (key, name)));
        }
        for (name, source) in crate::candidate::TEMPLATES.into_iter().chain(crate::cases::TEMPLATES) {
            used.extend(literal_keys(source).into_iter().map(|key| (key, name)));
        }
        for (name, source) in crate::board::TEMPLATES.into_iter().chain(crate::quality::TEMPLATES) {
            used.extend(literal_keys(source).into_iter().map(|key| (key, name)));
        }
        for key in crate::quality::CODE_KEYS {
            used.push((key.to_owned(), "quality::CODE_KEYS"));
        }
        for key in crate::candidate::CODE_KEYS {
            used.push((key.to_owned(), "candidate::CODE_KEYS"));
        }
        for key in crate::cases::DYNAMIC_KEYS {
            used.push((key.to_owned(), "cases::DYNAMIC_KEYS"));
        }
        for (name, source) in crate::official::TEMPLATES {
            used.extend(literal_keys(source).into_iter().map(|key| (key, name)));
        }
        used.extend(
            crate::official::CODE_KEYS.into_iter().map(|key| (key.to_owned(), "official::CODE_KEYS")),
        );
        assert!(used.len() > 50, "the key scanner found too few keys: {}", used.len());
        for level in Level::ALL {
            used.push((level.label_key().to_owned(), "Level"));
            used.push((level.description_key().to_owned(), "Level"));
        }
        for category in Category::ALL {
            used.push((category_key(category).to_owned(), "Category"));
        }
        for language in Language::SHIPPED {
            for (key, place) in &used {
                assert!(
                    i18n::keys(language).any(|known| known == key),
                    "{place} uses {key}, missing in {}",
                    language.code()
                );
            }
        }
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

    #[test]
    fn values_in_html_templates_are_escaped() {
        let environment = environment();
        let rendered =
            environment.render_named_str("probe.html", "{{ x }}", context! { x => "<b>L'été</b>" }).unwrap();
        assert_eq!(rendered, "&lt;b&gt;L&#x27;été&lt;&#x2f;b&gt;");
    }
}
