//! The presentation layer of grille: translations, HTML pages, charts and
//! the statistics shown on them. The crate does no I/O and knows nothing
//! of HTTP: callers hand it data and get strings back.
//!
//! - [`i18n`]: the one translation catalogue for every interface string
//!   (French first, German shipped complete, Italian in part, each missing
//!   Italian text falling back to French).
//! - [`templates`]: the minijinja environment with every template embedded,
//!   its functions and filters, the layout's context; the page modules
//!   depend on it and it on none of them.
//! - [`pages`]: the public pages (home, catalogue, self-assessment).
//! - [`charts`]: SVG charts drawn as strings (radar, bars, grade histogram).
//! - [`agreement`]: agreement between two examiners (exact and adjacent
//!   agreement, Cohen's weighted kappa).
//! - [`self_assessment`]: a candidate's ratings and the profile computed
//!   from them.
//! - [`exam`]: the pages of a scored exam session (results table,
//!   statistics, grade sheets, the appeal file, the grading-meeting
//!   minutes), pure functions of a `grille_scoring::SessionResult`.
//! - [`candidate`]: the candidate's pages (results, self-assessment saved
//!   on the server, self against external assessment) and the trainer's.
//! - [`quality`]: the page on the quality of an exam (examiner severity,
//!   criterion analysis, intraclass correlations) from the server's
//!   statistics, and in [`quality::model`] the types of the API's answer
//!   (`QualityView`), which the server builds.
//! - [`examiner_history`]: one examiner's severity across the board's
//!   sessions (page and the API's answer types).
//! - [`what_if`]: the board's what-if simulation page (a copy of the
//!   grading scheme or weights edited, every candidate who would change),
//!   and in [`what_if::model`] the API's request and answer types.
//! - [`official`]: the exam body's official documents (letterhead and
//!   signatures of the grade sheet, decision letters with the legal
//!   remedies and the appeal deadline) and the board's pages around them.
//! - [`refusals`]: the API's refusals (workflow denials, conflicts, date
//!   errors), said from their codes in the reader's language.
//! - [`results_csv`]: the one CSV of a session's results, for the command
//!   line and the server's export.
//! - [`statistics`]: the numbers behind the session statistics (pass rate,
//!   grade distributions, mean achievement, agreement between examiners).
//!
//! ```
//! use grille_report::i18n::{Language, translate};
//!
//! assert_eq!(translate(Language::Fr, "nav.home"), "Accueil");
//! assert_eq!(translate(Language::De, "nav.home"), "Startseite");
//! assert_eq!(translate(Language::It, "nav.home"), "Pagina iniziale");
//! ```

pub mod agreement;
pub mod board;
pub mod candidate;
pub mod cases;
pub mod charts;
pub mod exam;
pub mod examiner;
pub mod examiner_history;
pub mod i18n;
pub mod markdown;
pub mod messages;
pub mod official;
pub mod pages;
pub mod quality;
pub mod reconciliation;
pub mod refusals;
pub mod reminders;
pub mod results_csv;
pub mod self_assessment;
pub mod standard_setting;
pub mod statistics;
mod svg;
pub mod templates;
pub mod what_if;

/// The stylesheet of every page (screen and print), served by the web crate.
pub const STYLESHEET: &str = include_str!("../assets/grille.css");

/// The stylesheet of the login and examiner pages, beside [`STYLESHEET`].
pub const EXAMINER_STYLESHEET: &str = include_str!("../assets/examiner.css");

#[cfg(test)]
mod tests {
    use grille_competence::Category;

    use crate::i18n::{self, Language};
    use crate::self_assessment::{Level, category_key};

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
        for (name, source) in crate::templates::TEMPLATES {
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
        for key in crate::examiner_history::CODE_KEYS {
            used.push((key.to_owned(), "examiner_history::CODE_KEYS"));
        }
        for key in crate::what_if::CODE_KEYS {
            used.push((key.to_owned(), "what_if::CODE_KEYS"));
        }
        for key in crate::what_if::csv::CODE_KEYS {
            used.push((key.to_owned(), "what_if::csv::CODE_KEYS"));
        }
        for key in crate::standard_setting::CODE_KEYS {
            used.push((key.to_owned(), "standard_setting::CODE_KEYS"));
        }
        for key in crate::official::CODE_KEYS {
            used.push((key.to_owned(), "official::CODE_KEYS"));
        }
        for key in crate::messages::code_keys() {
            used.push((key, "messages::code_keys"));
        }
        for key in crate::reconciliation::code_keys() {
            used.push((key.to_owned(), "reconciliation::code_keys"));
        }
        for key in crate::refusals::code_keys() {
            used.push((key.to_owned(), "refusals::code_keys"));
        }
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
}
