//! The translation catalogue: every string of the interface, by key.
//!
//! The messages live in `locales/<language>.json`, one flat object of
//! `key → text` per language, embedded at build time. French is the
//! reference language; German is shipped complete (a test checks that
//! every key exists in every shipped language); Italian is not written yet
//! and falls back to French. A text may hold named placeholders such as
//! `{count}`, filled in by [`format`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// French (fr-CH), the reference language.
    Fr,
    /// German (de-CH).
    De,
    /// Italian (it-CH): not translated yet, every key falls back to French.
    It,
}

impl Language {
    /// The languages whose catalogue is shipped complete, reference first.
    pub const SHIPPED: [Language; 2] = [Language::Fr, Language::De];

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

    /// The language that texts missing in this one come from.
    fn fallback(self) -> Option<Language> {
        match self {
            Language::Fr => None,
            Language::De | Language::It => Some(Language::Fr),
        }
    }
}

/// The messages of one language.
type Messages = BTreeMap<String, String>;

const FRENCH_SOURCE: &str = include_str!("../locales/fr.json");
const GERMAN_SOURCE: &str = include_str!("../locales/de.json");

fn parse_messages(source: &str) -> Messages {
    // The files are part of the build and checked by the tests, so an
    // invalid file can only reach a developer, never a release.
    serde_json::from_str(source).unwrap_or_default()
}

static FRENCH: LazyLock<Messages> = LazyLock::new(|| parse_messages(FRENCH_SOURCE));
static GERMAN: LazyLock<Messages> = LazyLock::new(|| parse_messages(GERMAN_SOURCE));
static EMPTY: LazyLock<Messages> = LazyLock::new(Messages::new);

fn messages(language: Language) -> &'static Messages {
    match language {
        Language::Fr => &FRENCH,
        Language::De => &GERMAN,
        Language::It => &EMPTY,
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

/// The keys of a shipped language's own file (without fallback), sorted.
pub fn keys(language: Language) -> impl Iterator<Item = &'static str> {
    messages(language).keys().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_is_valid_json_and_not_empty() {
        for (name, source) in [("fr", FRENCH_SOURCE), ("de", GERMAN_SOURCE)] {
            let parsed: Result<Messages, _> = serde_json::from_str(source);
            let parsed = parsed.unwrap_or_else(|error| panic!("locales/{name}.json: {error}"));
            assert!(!parsed.is_empty(), "locales/{name}.json is empty");
            for (key, text) in &parsed {
                assert!(!text.trim().is_empty(), "locales/{name}.json: {key} is blank");
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

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        fn placeholders(text: &str) -> Vec<&str> {
            let mut found: Vec<&str> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            found.sort_unstable();
            found
        }
        for key in keys(Language::Fr) {
            let french = placeholders(lookup(Language::Fr, key).unwrap_or_default());
            let german = placeholders(lookup(Language::De, key).unwrap_or_default());
            assert_eq!(french, german, "placeholders of {key}");
        }
    }

    #[test]
    fn lookup_falls_back_to_french_and_marks_missing_keys() {
        assert_eq!(translate(Language::It, "nav.home"), "Accueil");
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
