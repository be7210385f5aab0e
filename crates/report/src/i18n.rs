//! The translation catalogue: every string of the interface, by key.
//!
//! The messages live in flat JSON objects of `key → text`, embedded at
//! build time. One language's catalogue is assembled from several files
//! merged into one map: `locales/<language>.json` (pages and reports) and
//! `locales/cli.<language>.json` (the command line's messages, keys
//! `cli.*`); a test checks that no key is defined in two files of one
//! language. French is the reference language; German is shipped complete
//! (a test checks that every key exists in every shipped language);
//! Italian is shipped in part: a key missing in Italian falls back to
//! French, key by key (a test counts and prints the missing keys). A text
//! may hold named placeholders such as `{count}`, filled in by [`format`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// French (fr-CH), the reference language.
    Fr,
    /// German (de-CH).
    De,
    /// Italian (it-CH): translated in part, each missing key falls back to
    /// French.
    It,
}

impl Language {
    /// The languages whose catalogue is shipped complete, reference first.
    pub const SHIPPED: [Language; 2] = [Language::Fr, Language::De];

    /// Every language of the interface, as the pages offer them (Italian
    /// included, whose missing texts are French).
    pub const ALL: [Language; 3] = [Language::Fr, Language::De, Language::It];

    /// The language for a code such as `fr`, `de-CH` or `IT`, if known.
    pub fn parse(code: &str) -> Option<Language> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "fr" => Some(Language::Fr),
            "de" => Some(Language::De),
            "it" => Some(Language::It),
            _ => None,
        }
    }

    /// The two-letter code used in `lang` attributes and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::De => "de",
            Language::It => "it",
        }
    }

    /// The code of the language a page in this language is written in,
    /// for `<html lang>`: its own code (Italian pages are Italian; the few
    /// interface texts not yet translated are French).
    pub fn document_code(self) -> &'static str {
        self.code()
    }

    /// The language that texts missing in this one come from.
    fn fallback(self) -> Option<Language> {
        match self {
            Language::Fr => None,
            Language::De | Language::It => Some(Language::Fr),
        }
    }
}

/// The `lang` attribute that free text written in `written` needs on a
/// page in `page` (an examiner's remark, a justification): its code where
/// it differs from the page's language, `None` where it is the page's or
/// unknown (then nothing is marked, as for text of no known language).
pub fn text_lang(written: Option<grille_scoring::CaseLanguage>, page: Language) -> Option<&'static str> {
    written.map(grille_scoring::CaseLanguage::code).filter(|code| *code != page.document_code())
}

/// A text of a document (the catalogue, a rubric) as a reader gets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<'a> {
    /// The text in the reader's language, or the French reference.
    pub text: &'a str,
    /// `Some("fr")` when `text` is the French shown for want of a
    /// translation into the reader's language (the element holding it then
    /// needs `lang="fr"`), `None` when it is in the reader's language.
    pub lang: Option<&'static str>,
}

/// `text` for a reader of `language`: its translation, or the French
/// where there is none (a missing or blank translation), marked so. The
/// one decision of what a page, a table or a chart marks `lang="fr"`.
pub fn localized(text: &grille_competence::LocalizedText, language: Language) -> Localized<'_> {
    let own = match language {
        Language::Fr => Some(text.fr.as_str()),
        Language::De => text.de.as_deref(),
        Language::It => text.it.as_deref(),
    };
    match own.filter(|own| !own.trim().is_empty()) {
        Some(own) => Localized { text: own, lang: None },
        None => Localized { text: &text.fr, lang: Some("fr") },
    }
}

/// The messages of one language.
type Messages = BTreeMap<String, String>;

/// The files of one language, by name (relative to `locales/`) and text.
type Sources = [(&'static str, &'static str)];

const FRENCH_SOURCES: &Sources = &[
    ("fr.json", include_str!("../locales/fr.json")),
    ("cli.fr.json", include_str!("../locales/cli.fr.json")),
];
const GERMAN_SOURCES: &Sources = &[
    ("de.json", include_str!("../locales/de.json")),
    ("cli.de.json", include_str!("../locales/cli.de.json")),
];
const ITALIAN_SOURCES: &Sources = &[
    ("it.json", include_str!("../locales/it.json")),
    ("cli.it.json", include_str!("../locales/cli.it.json")),
];

fn parse_messages(source: &str) -> Messages {
    // The files are part of the build and checked by the tests, so an
    // invalid file can only reach a developer, never a release.
    serde_json::from_str(source).unwrap_or_default()
}

/// The files of one language merged into one map. A key defined in two
/// files keeps its first text; a test forbids that anyway.
fn merge_messages(sources: &Sources) -> Messages {
    let mut merged = Messages::new();
    for (_, source) in sources {
        for (key, text) in parse_messages(source) {
            merged.entry(key).or_insert(text);
        }
    }
    merged
}

static FRENCH: LazyLock<Messages> = LazyLock::new(|| merge_messages(FRENCH_SOURCES));
static GERMAN: LazyLock<Messages> = LazyLock::new(|| merge_messages(GERMAN_SOURCES));
static ITALIAN: LazyLock<Messages> = LazyLock::new(|| merge_messages(ITALIAN_SOURCES));

fn messages(language: Language) -> &'static Messages {
    match language {
        Language::Fr => &FRENCH,
        Language::De => &GERMAN,
        Language::It => &ITALIAN,
    }
}

/// The text of `key` in `language`, falling back to French, or `None` if
/// the key is in no catalogue.
pub fn lookup(language: Language, key: &str) -> Option<&'static str> {
    let mut current = Some(language);
    while let Some(language) = current {
        if let Some(text) = messages(language).get(key) {
            return Some(text.as_str());
        }
        current = language.fallback();
    }
    None
}

/// The text of `key` in `language` (see [`lookup`]). A missing key shows
/// as `⟦key⟧`, so that it is visible on the page and caught by tests,
/// instead of failing the whole page.
pub fn translate(language: Language, key: &str) -> String {
    match lookup(language, key) {
        Some(text) => text.to_owned(),
        None => format!("⟦{key}⟧"),
    }
}

/// `template` with every `{name}` replaced by the value of `name` in
/// `arguments`. Unknown placeholders are left as they are.
pub fn format(template: &str, arguments: &[(&str, String)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in arguments {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// `label` and `value` joined as the language writes it: French puts a
/// space before the colon ("Note : 4.5"), German and Italian do not
/// ("Note: 4.5").
pub fn labelled(language: Language, label: &str, value: &str) -> String {
    match language {
        Language::Fr => format!("{label} : {value}"),
        Language::De | Language::It => format!("{label}: {value}"),
    }
}

/// The semicolon between the items of a list as the language writes it:
/// French with a space before it ("a ; b"), German and Italian without
/// ("a; b").
pub fn semicolon(language: Language) -> &'static str {
    match language {
        Language::Fr => " ; ",
        Language::De | Language::It => "; ",
    }
}

/// The keys of a language's own files (without fallback), sorted.
pub fn keys(language: Language) -> impl Iterator<Item = &'static str> {
    messages(language).keys().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_is_valid_json_and_not_empty() {
        for (name, source) in FRENCH_SOURCES.iter().chain(GERMAN_SOURCES).chain(ITALIAN_SOURCES) {
            let parsed: Result<Messages, _> = serde_json::from_str(source);
            let parsed = parsed.unwrap_or_else(|error| panic!("locales/{name}: {error}"));
            assert!(!parsed.is_empty(), "locales/{name} is empty");
            for (key, text) in &parsed {
                assert!(!text.trim().is_empty(), "locales/{name}: {key} is blank");
            }
        }
    }

    #[test]
    fn no_key_is_defined_in_two_files_of_one_language() {
        for (language, sources) in [("fr", FRENCH_SOURCES), ("de", GERMAN_SOURCES), ("it", ITALIAN_SOURCES)] {
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for (name, source) in sources {
                for key in parse_messages(source).into_keys() {
                    if let Some(first) = seen.insert(key.clone(), name) {
                        panic!("{language}: key {key} is defined in both locales/{first} and locales/{name}");
                    }
                }
            }
        }
    }

    #[test]
    fn command_line_keys_live_in_the_command_line_files_only() {
        for sources in [FRENCH_SOURCES, GERMAN_SOURCES, ITALIAN_SOURCES] {
            for (name, source) in sources {
                let command_line = name.starts_with("cli.");
                for key in parse_messages(source).into_keys() {
                    assert_eq!(key.starts_with("cli."), command_line, "locales/{name}: key {key}");
                }
            }
        }
    }

    #[test]
    fn every_key_exists_in_every_shipped_language() {
        let reference: Vec<&str> = keys(Language::Fr).collect();
        for language in Language::SHIPPED {
            let own: Vec<&str> = keys(language).collect();
            let missing: Vec<&&str> = reference.iter().filter(|key| !own.contains(key)).collect();
            let extra: Vec<&&str> = own.iter().filter(|key| !reference.contains(key)).collect();
            assert!(missing.is_empty(), "{}: missing keys {missing:?}", language.code());
            assert!(extra.is_empty(), "{}: keys not in French {extra:?}", language.code());
        }
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        for key in keys(Language::Fr) {
            let french = placeholders(lookup(Language::Fr, key).unwrap_or_default());
            let german = placeholders(lookup(Language::De, key).unwrap_or_default());
            assert_eq!(french, german, "placeholders of {key}");
        }
    }

    /// Italian is translated in part: the keys it lacks are counted and
    /// printed (`cargo test -p grille-report italian -- --nocapture`), never
    /// a failure; a key French does not know, or a text whose placeholders
    /// differ from the French text's, is one.
    #[test]
    fn italian_has_only_french_keys_with_the_same_placeholders_and_the_missing_ones_are_counted() {
        let french: Vec<&str> = keys(Language::Fr).collect();
        let italian: Vec<&str> = keys(Language::It).collect();
        let unknown: Vec<&&str> = italian.iter().filter(|key| !french.contains(key)).collect();
        assert!(unknown.is_empty(), "it: keys not in French {unknown:?}");
        let mut differing = Vec::new();
        for key in &italian {
            let own = messages(Language::It).get(*key).map(String::as_str).unwrap_or_default();
            let reference = lookup(Language::Fr, key).unwrap_or_default();
            if placeholders(own) != placeholders(reference) {
                differing.push(format!(
                    "{key}: {:?} in French, {:?} in Italian",
                    placeholders(reference),
                    placeholders(own)
                ));
            }
        }
        assert!(differing.is_empty(), "it: placeholders differ from French:\n{}", differing.join("\n"));
        let missing: Vec<&&str> = french.iter().filter(|key| !italian.contains(key)).collect();
        println!(
            "it: {} of {} keys translated, {} missing (shown in French): {missing:?}",
            italian.len(),
            french.len(),
            missing.len()
        );
        // Whatever is missing, every key gives a text.
        for key in &french {
            assert!(lookup(Language::It, key).is_some(), "it: {key} has no text at all");
        }
    }

    #[test]
    fn the_files_of_a_language_are_merged() {
        assert_eq!(translate(Language::Fr, "nav.home"), "Accueil");
        assert_eq!(translate(Language::Fr, "cli.outcome.passed"), "réussi");
        assert_eq!(translate(Language::De, "cli.outcome.passed"), "bestanden");
        assert_eq!(translate(Language::It, "cli.outcome.passed"), "superato");
        assert!(keys(Language::De).any(|key| key == "nav.home"));
        assert!(keys(Language::De).any(|key| key == "cli.error"));
        assert!(keys(Language::It).any(|key| key == "nav.home"));
        assert!(keys(Language::It).any(|key| key == "cli.error"));
    }

    #[test]
    fn lookup_falls_back_to_french_key_by_key_and_marks_missing_keys() {
        assert_eq!(translate(Language::It, "nav.home"), "Pagina iniziale");
        // A key Italian lacks: its French text.
        let untranslated = keys(Language::Fr).find(|key| !keys(Language::It).any(|own| own == *key));
        if let Some(key) = untranslated {
            assert_eq!(translate(Language::It, key), translate(Language::Fr, key), "{key}");
        }
        assert_eq!(translate(Language::De, "nav.home"), "Startseite");
        assert_eq!(translate(Language::Fr, "no.such.key"), "⟦no.such.key⟧");
    }

    #[test]
    fn parses_language_codes() {
        for (code, expected) in [
            ("fr", Some(Language::Fr)),
            ("de-CH", Some(Language::De)),
            ("IT", Some(Language::It)),
            ("en", None),
            ("", None),
        ] {
            assert_eq!(Language::parse(code), expected, "parsing {code:?}");
        }
    }

    #[test]
    fn formats_named_placeholders() {
        let text = format("{done} sur {total}", &[("done", "3".into()), ("total", "270".into())]);
        assert_eq!(text, "3 sur 270");
        assert_eq!(format("{unknown}", &[]), "{unknown}");
    }
}
