//! The language of the command line's messages and their texts.
//!
//! Every sentence and label the CLI prints comes from the translation
//! catalogue the pages use (`grille_report::i18n`), under `cli.*` keys
//! (`crates/report/locales/cli.<language>.json`). The language is chosen
//! once per run, see [`choose`].
//!
//! What stays French, on purpose:
//! - the `--help` texts: clap reads the doc comments of the argument types
//!   at compile time, so they cannot follow the language of a run;
//! - the engine's formulas and the catalogue's content: they are French
//!   data for now (the engine's decisions, conditions, flags, pending
//!   reasons and explanations are messages, written in the run's language
//!   by [`engine`], and so are the validation problems of the documents,
//!   by [`problem`]);
//! - the column names of the CSV and JSON outputs: machine names.

use std::sync::LazyLock;

use grille_report::i18n;

pub(crate) use i18n::Language;

/// The language of this run.
static LANGUAGE: LazyLock<Language> = LazyLock::new(|| choose(|name| std::env::var(name).ok()));

/// The language of this run's messages.
pub(crate) fn language() -> Language {
    *LANGUAGE
}

/// The text of `key` in this run's language (French where it is missing).
pub(crate) fn tr(key: &str) -> String {
    i18n::translate(language(), key)
}

/// The text of `key` with its `{name}` placeholders filled in.
pub(crate) fn tr_with(key: &str, arguments: &[(&str, String)]) -> String {
    i18n::format(&tr(key), arguments)
}

/// An engine message in this run's language; `french`, the result's French
/// text, when the result carries no message.
pub(crate) fn engine(message: Option<&grille_scoring::Message>, french: &str) -> String {
    grille_report::messages::plain(message, french, language())
}

/// A document's problem in this run's language, after its JSON pointer
/// (`/` for the whole document), as `grille validate` and every refused
/// file print it; in French, the problem's `Display` exactly.
pub(crate) fn problem(problem: &grille_competence::Problem) -> String {
    let pointer = if problem.pointer.is_empty() { "/" } else { &problem.pointer };
    tr_with(
        "cli.error.problem",
        &[
            ("pointer", pointer.to_owned()),
            ("message", grille_report::messages::render(&problem.detail, language())),
        ],
    )
}

/// A list of engine messages in this run's language (see [`engine`]).
pub(crate) fn engine_list(messages: &[grille_scoring::Message], french: &[String]) -> Vec<String> {
    grille_report::messages::plain_list(messages, french, language())
}

/// The language for the environment read by `variable`: `GRILLE_LANG` if
/// it names a language (`fr`, `de`, `it`, also `de-CH`), else the locale
/// of messages as POSIX defines it (the first set of `LC_ALL`,
/// `LC_MESSAGES`, `LANG`, e.g. `de_CH.UTF-8` → German), else French.
/// Italian texts the catalogue lacks fall back to French, one by one.
pub(crate) fn choose(variable: impl Fn(&str) -> Option<String>) -> Language {
    let set = |name: &str| variable(name).filter(|value| !value.trim().is_empty());
    if let Some(language) = set("GRILLE_LANG").and_then(|value| Language::parse(&value)) {
        return language;
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(set)
        // `de_CH.UTF-8`, `de_CH@euro`: the language is before the codeset.
        .and_then(|locale| Language::parse(locale.split(['.', '@']).next().unwrap_or_default()))
        .unwrap_or(Language::Fr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(variables: &[(&str, &str)]) -> Language {
        choose(|name| variables.iter().find(|(n, _)| *n == name).map(|(_, value)| (*value).to_owned()))
    }

    #[test]
    fn grille_lang_first_then_the_locale_then_french() {
        assert_eq!(chosen(&[]), Language::Fr);
        assert_eq!(chosen(&[("GRILLE_LANG", "de")]), Language::De);
        assert_eq!(chosen(&[("GRILLE_LANG", "it"), ("LANG", "de_CH.UTF-8")]), Language::It);
        assert_eq!(chosen(&[("GRILLE_LANG", "fr"), ("LC_ALL", "de_CH.UTF-8")]), Language::Fr);
        assert_eq!(chosen(&[("LANG", "de_CH.UTF-8")]), Language::De);
        assert_eq!(chosen(&[("LC_MESSAGES", "de_CH.UTF-8"), ("LANG", "fr_CH.UTF-8")]), Language::De);
        assert_eq!(chosen(&[("LC_ALL", "fr_CH.UTF-8"), ("LC_MESSAGES", "de_CH")]), Language::Fr);
    }

    #[test]
    fn unknown_or_empty_values_are_skipped_as_posix_says() {
        // An unknown GRILLE_LANG leaves the choice to the locale.
        assert_eq!(chosen(&[("GRILLE_LANG", "en"), ("LANG", "de_CH.UTF-8")]), Language::De);
        assert_eq!(chosen(&[("GRILLE_LANG", ""), ("LANG", "de_CH.UTF-8")]), Language::De);
        // The first locale variable set decides, even if it is not one of ours.
        assert_eq!(chosen(&[("LC_ALL", "C.UTF-8"), ("LANG", "de_CH.UTF-8")]), Language::Fr);
        assert_eq!(chosen(&[("LC_ALL", ""), ("LANG", "de_CH.UTF-8")]), Language::De);
        assert_eq!(chosen(&[("LANG", "en_US.UTF-8")]), Language::Fr);
        assert_eq!(chosen(&[("LANG", "de.UTF-8")]), Language::De);
    }

    #[test]
    fn italian_has_its_own_texts() {
        assert_eq!(i18n::translate(Language::It, "cli.outcome.passed"), "superato");
        assert_eq!(chosen(&[("LANG", "it_CH.UTF-8")]), Language::It);
    }
}
