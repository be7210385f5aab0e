//! The template machinery every page shares: the minijinja environment
//! with every template embedded at build time, the `t` function and the
//! `loc`, `loc_text`, `translation_note`, `grade` and `markdown` filters,
//! the layout's context (`render`), who is logged in (`Viewer`,
//! `AccountLayout`) and the per-request copy of the environment. The
//! modules of pages (`pages`, `exam`, `board`, `examiner`, `candidate`,
//! `cases`, `quality`) depend on this one; it depends on none of them.
//!
//! Templates are registered under names ending in `.html`, so every value
//! is HTML-escaped unless marked safe; only the SVG charts, which escape
//! their own text, are marked safe. Templates call `t("key")` (with named
//! arguments for placeholders: `t("self.progress", done=3, total=270)`)
//! and use the `loc` filter to pick a catalogue text in the page language
//! (French shown to a reader of another language is marked `lang="fr"`;
//! `loc_text` gives the plain text for attributes). Parts shared by
//! several templates are macros in `macros.html`.

use minijinja::value::{Kwargs, Serde, Value};
use minijinja::{Environment, Error, ErrorKind, State, context};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::i18n::{self, Language};

/// Every template, by name, embedded at build time.
pub const TEMPLATES: [(&str, &str); 75] = [
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
    ("session_statistics_content.html", include_str!("../templates/session_statistics_content.html")),
    ("grade_sheet.html", include_str!("../templates/grade_sheet.html")),
    ("candidate_file.html", include_str!("../templates/candidate_file.html")),
    ("minutes.html", include_str!("../templates/minutes.html")),
    ("examiner_layout.html", include_str!("../templates/examiner_layout.html")),
    ("auth_login.html", include_str!("../templates/auth_login.html")),
    ("auth_account.html", include_str!("../templates/auth_account.html")),
    ("auth_password.html", include_str!("../templates/auth_password.html")),
    ("account_security.html", include_str!("../templates/account_security.html")),
    ("board_users.html", include_str!("../templates/board_users.html")),
    ("board_users_import.html", include_str!("../templates/board_users_import.html")),
    ("examiner_error.html", include_str!("../templates/examiner_error.html")),
    ("examiner_candidates.html", include_str!("../templates/examiner_candidates.html")),
    ("examiner_conflicts.html", include_str!("../templates/examiner_conflicts.html")),
    ("examiner_form.html", include_str!("../templates/examiner_form.html")),
    ("examiner_comparison.html", include_str!("../templates/examiner_comparison.html")),
    ("examiner_arbitration.html", include_str!("../templates/examiner_arbitration.html")),
    ("board_layout.html", include_str!("../templates/board_layout.html")),
    ("board_sessions.html", include_str!("../templates/board_sessions.html")),
    ("board_session.html", include_str!("../templates/board_session.html")),
    ("board_csv_preview.html", include_str!("../templates/board_csv_preview.html")),
    ("board_progress.html", include_str!("../templates/board_progress.html")),
    ("board_confirm.html", include_str!("../templates/board_confirm.html")),
    ("board_candidate.html", include_str!("../templates/board_candidate.html")),
    ("board_exports.html", include_str!("../templates/board_exports.html")),
    ("board_events.html", include_str!("../templates/board_events.html")),
    ("official_letterhead.html", include_str!("../templates/official_letterhead.html")),
    ("official_signatures.html", include_str!("../templates/official_signatures.html")),
    ("official_letter.html", include_str!("../templates/official_letter.html")),
    ("official_letters.html", include_str!("../templates/official_letters.html")),
    ("board_identity.html", include_str!("../templates/board_identity.html")),
    ("board_register.html", include_str!("../templates/board_register.html")),
    ("board_appeals.html", include_str!("../templates/board_appeals.html")),
    ("board_register_candidate.html", include_str!("../templates/board_register_candidate.html")),
    ("board_official.html", include_str!("../templates/board_official.html")),
    ("candidate_home.html", include_str!("../templates/candidate_home.html")),
    ("candidate_profile.html", include_str!("../templates/candidate_profile.html")),
    ("trainer_home.html", include_str!("../templates/trainer_home.html")),
    ("trainer_session.html", include_str!("../templates/trainer_session.html")),
    ("trainer_grid.html", include_str!("../templates/trainer_grid.html")),
    ("candidate_rubric.html", include_str!("../templates/candidate_rubric.html")),
    ("candidate_plan.html", include_str!("../templates/candidate_plan.html")),
    ("plan_items.html", include_str!("../templates/plan_items.html")),
    ("trainer_plans.html", include_str!("../templates/trainer_plans.html")),
    ("trainer_plan.html", include_str!("../templates/trainer_plan.html")),
    ("csv_preview_body.html", include_str!("../templates/csv_preview_body.html")),
    ("trainer_csv_preview.html", include_str!("../templates/trainer_csv_preview.html")),
    ("bank_choice.html", include_str!("../templates/bank_choice.html")),
    ("documents.html", include_str!("../templates/documents.html")),
    ("document_view.html", include_str!("../templates/document_view.html")),
    ("document_edit.html", include_str!("../templates/document_edit.html")),
    ("document_preview.html", include_str!("../templates/document_preview.html")),
    ("document_live_preview.html", include_str!("../templates/document_live_preview.html")),
    ("cases_layout.html", include_str!("../templates/cases_layout.html")),
    ("cases_bank.html", include_str!("../templates/cases_bank.html")),
    ("case_view.html", include_str!("../templates/case_view.html")),
    ("case_edit.html", include_str!("../templates/case_edit.html")),
    ("session_cases.html", include_str!("../templates/session_cases.html")),
    ("session_cases_csv.html", include_str!("../templates/session_cases_csv.html")),
    ("session_submissions.html", include_str!("../templates/session_submissions.html")),
    ("session_quality.html", include_str!("../templates/session_quality.html")),
    ("session_what_if.html", include_str!("../templates/session_what_if.html")),
    ("examiner_history.html", include_str!("../templates/examiner_history.html")),
    ("session_standard_setting.html", include_str!("../templates/session_standard_setting.html")),
    ("macros.html", include_str!("../templates/macros.html")),
];

/// The page language of a template state: the context's `lang`, French if
/// missing or unknown.
fn state_language(state: &State<'_, '_>) -> Language {
    state.lookup("lang").and_then(|value| value.as_str().and_then(Language::parse)).unwrap_or(Language::Fr)
}

/// `t(key, **arguments)`: the translated text with its placeholders filled.
fn translate_function(state: &State<'_, '_>, key: &str, arguments: Kwargs) -> Result<Value, Error> {
    let language = state_language(state);
    if arguments.args().next().is_none() {
        // No placeholder to fill: the text as it is.
        return Ok(Value::from(i18n::translate(language, key)));
    }
    let mut values = Vec::new();
    for name in arguments.args() {
        let value: Value = arguments.get(name)?;
        values.push((name, value));
    }
    arguments.assert_all_used()?;
    let template = i18n::translate(language, key);
    if !values.iter().any(|(_, value)| value.is_safe()) {
        let filled: Vec<(&str, String)> =
            values.iter().map(|(name, value)| (*name, value.to_string())).collect();
        return Ok(Value::from(i18n::format(&template, &filled)));
    }
    // An argument with markup (a text marked with its language, see
    // `in_language`): the sentence and the other arguments are escaped
    // here, the markup is kept.
    let filled: Vec<(&str, String)> = values
        .iter()
        .map(|(name, value)| {
            let text = if value.is_safe() {
                value.to_string()
            } else {
                minijinja::HtmlEscape(&value.to_string()).to_string()
            };
            (*name, text)
        })
        .collect();
    let escaped = minijinja::HtmlEscape(&template).to_string();
    Ok(Value::from_safe_string(i18n::format(&escaped, &filled)))
}

/// `text|in_language(code)`: the text marked with the language it is
/// written in (`<span lang="fr">`) when `code` is given (the text's
/// language differs from the page's), else the text as it is. Passed to
/// `t(...)` as an argument, the mark stays inside the sentence.
fn in_language_filter(value: Value, code: Option<String>) -> Value {
    match code.filter(|code| !code.is_empty()) {
        Some(code) => Value::from_safe_string(format!(
            r#"<span lang="{}">{}</span>"#,
            minijinja::HtmlEscape(&code),
            minijinja::HtmlEscape(&value.to_string())
        )),
        None => value,
    }
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

/// `value|lang_attr`: ` lang="fr"` when a localized value is shown in
/// French for want of a translation in the page language, else nothing:
/// for an element whose text is `value|loc_text` (an `<option>`, an
/// `<abbr>` whose title it is).
fn lang_attr_filter(state: &State<'_, '_>, value: Value) -> Result<Value, Error> {
    let (_, french_fallback) = localized_text(&value, state_language(state))?;
    Ok(Value::from_safe_string(if french_fallback { r#" lang="fr""#.to_owned() } else { String::new() }))
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

/// The environment with every template, the `t` and `refusal_texts`
/// functions and the `loc`, `loc_text`, `translation_note` and `grade`
/// filters registered.
pub fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    // A value a template names and its view lacks is an error, not an
    // empty cell: printing, iterating or calling it fails the render
    // (tests render every page). Only `{% if x %}` may ask whether an
    // optional value is there.
    environment.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
    for (name, source) in TEMPLATES {
        // The templates are compiled into the binary and a test renders
        // every one, so a syntax error cannot reach a release.
        if let Err(error) = environment.add_template(name, source) {
            panic!("template {name} does not compile: {error:#}");
        }
    }
    environment.add_function("t", translate_function);
    environment.add_function("refusal_texts", |state: &State<'_, '_>| {
        Value::from_safe_string(escaped_script_texts(state_language(state)).to_owned())
    });
    // The colon and the guillemets as the reader's language sets them:
    // French "Note : 4.5" and « texte », German and Italian "Note: 4.5"
    // and «Text».
    environment.add_function("colon", |state: &State<'_, '_>| match state_language(state) {
        Language::Fr => " :",
        Language::De | Language::It => ":",
    });
    environment.add_function("quote_open", |state: &State<'_, '_>| match state_language(state) {
        Language::Fr => "« ",
        Language::De | Language::It => "«",
    });
    environment.add_function("quote_close", |state: &State<'_, '_>| match state_language(state) {
        Language::Fr => " »",
        Language::De | Language::It => "»",
    });
    environment.add_function("semicolon", |state: &State<'_, '_>| i18n::semicolon(state_language(state)));
    // The page's language code, where a template shows something other
    // than text of the catalogue (a CSV column's names in German first).
    environment.add_function("page_lang", |state: &State<'_, '_>| state_language(state).code());
    environment.add_filter("loc", localize_filter);
    environment.add_filter("loc_text", localize_text_filter);
    environment.add_filter("lang_attr", lang_attr_filter);
    environment.add_filter("in_language", in_language_filter);
    environment.add_filter("translation_note", translation_note_filter);
    environment.add_filter("grade", grade_filter);
    environment
        .add_filter("markdown", |text: &str| Value::from_safe_string(crate::markdown::to_safe_html(text)));
    environment
}

/// The script's text table of `language` ([`crate::refusals::script_texts`]),
/// escaped for an HTML attribute: built on first use and kept for the
/// process, since the translation catalogue is compiled in. The scoring
/// form carries it on every render (about 20 KB of JSON).
fn escaped_script_texts(language: Language) -> &'static str {
    static TABLES: [std::sync::OnceLock<String>; 3] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let slot = match language {
        Language::Fr => &TABLES[0],
        Language::De => &TABLES[1],
        Language::It => &TABLES[2],
    };
    slot.get_or_init(|| minijinja::HtmlEscape(&crate::refusals::script_texts(language)).to_string())
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
    // Each language named in its own language: the same on every page,
    // built once.
    static LANGUAGES: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let languages = LANGUAGES.get_or_init(|| {
        let links: Vec<LanguageLink> = Language::ALL
            .iter()
            .map(|language| LanguageLink {
                code: language.code(),
                name: i18n::translate(*language, "language.name"),
            })
            .collect();
        Value::from(Serde(links))
    });
    let context = context! {
        lang => language.code(),
        html_lang => language.document_code(),
        languages => languages.clone(),
        page => page,
        ..view
    };
    environment.get_template(template)?.render(context)
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
        for (name, source) in TEMPLATES {
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
    fn values_in_html_templates_are_escaped() {
        let environment = environment();
        let rendered =
            environment.render_named_str("probe.html", "{{ x }}", context! { x => "<b>L'été</b>" }).unwrap();
        assert_eq!(rendered, "&lt;b&gt;L&#x27;été&lt;&#x2f;b&gt;");
    }

    #[test]
    fn the_shared_conditions_table_speaks_the_page_language() {
        let environment = environment();
        let source = r#"{% from "macros.html" import conditions_table %}{{ conditions_table(conditions) }}"#;
        let conditions = serde_json::json!([
            {"label": "Note globale", "satisfied": true, "verdict": "remplie", "explanation": {"text": "4.5 ≥ 4.0", "lang": null}},
            {"label": "Épreuve 1", "satisfied": false, "verdict": "non remplie", "explanation": {"text": "3.5 < 4.0", "lang": "fr"}},
        ]);
        for (language, caption) in [("fr", "Conditions de réussite"), ("de", "Bestehensbedingungen")] {
            let rendered = environment
                .render_named_str(
                    "probe.html",
                    source,
                    context! { lang => language, conditions => Value::from(Serde(&conditions)) },
                )
                .unwrap();
            assert!(rendered.contains(&format!("<caption>{caption}</caption>")), "{rendered}");
            assert_eq!(rendered.matches(r#"<tr class="met">"#).count(), 1, "{rendered}");
            assert_eq!(rendered.matches(r#"<tr class="not-met">"#).count(), 1, "{rendered}");
            // Only an explanation kept as French text is marked French.
            assert_eq!(rendered.matches(r#"lang="fr""#).count(), 1, "{rendered}");
        }
    }
}
