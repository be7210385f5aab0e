//! The catalogue as it is written in `catalogue/*.json`.
//!
//! These types are the file format: they derive `Serialize`, `Deserialize`
//! and `JsonSchema`, and the committed schema in `schemas/` is generated
//! from them. Changing a field here is changing a file format that boards
//! keep for years, so fields are only ever added, optional, at the end.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A text in the languages of the Swiss federal exam.
///
/// French is the language of the seed and is always present; German and
/// Italian translations can be added later without changing any id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    /// French (fr-CH), the reference text.
    pub fr: String,
    /// German (de-CH), when translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<String>,
    /// Italian (it-CH), when translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub it: Option<String>,
}

impl LocalizedText {
    /// A text known in French only.
    pub fn fr(text: impl Into<String>) -> Self {
        LocalizedText { fr: text.into(), de: None, it: None }
    }

    /// The text in `language` ("fr", "de", "it"), falling back to French.
    pub fn get(&self, language: &str) -> &str {
        let translated = match language {
            "de" => self.de.as_deref(),
            "it" => self.it.as_deref(),
            _ => None,
        };
        translated.unwrap_or(&self.fr)
    }
}

/// Who translated the texts of a document into German or Italian, and
/// whether the body responsible for the document has checked them.
///
/// French stays the reference text: a translation not yet checked is shown
/// with a note saying so (`{"de": {"by": "grille", "checked_by_board":
/// false}}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Translations {
    /// The German (de-CH) translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<TranslationNote>,
    /// The Italian (it-CH) translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub it: Option<TranslationNote>,
}

impl Translations {
    /// The note of `language` ("de", "it"); none for French, the original.
    pub fn get(&self, language: &str) -> Option<&TranslationNote> {
        match language {
            "de" => self.de.as_ref(),
            "it" => self.it.as_ref(),
            _ => None,
        }
    }

    /// The translation into `language` of a document's `french`
    /// assumptions: the note's list when it has one text for each French
    /// assumption, none otherwise (no note, or a list that no longer
    /// matches because the French was edited since).
    pub fn assumptions<'a>(&'a self, language: &str, french: &[String]) -> Option<&'a [String]> {
        self.get(language)
            .map(|note| note.assumptions.as_slice())
            .filter(|translated| !french.is_empty() && translated.len() == french.len())
    }
}

/// One language's translation of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationNote {
    /// Who translated: `grille` for the translation shipped with grille,
    /// or the name of a person or body.
    pub by: String,
    /// Whether the exam board (or the body that owns the document) has
    /// checked the translation against the French text. Until it has, the
    /// French text is authoritative.
    pub checked_by_board: bool,
    /// The document's `assumptions` in this language, one for each and in
    /// the same order (blueprints and grading schemes, whose assumptions
    /// are plain French texts). A list of another length is not used: the
    /// French assumptions are shown instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    /// For a document that is itself the translation of another one (a
    /// case study, written in one language only): the document translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TranslationSource>,
}

/// The document a translation was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationSource {
    /// Its `id`, e.g. `cas-2-atelier-bois`.
    pub id: String,
    /// Its `version`.
    pub version: String,
}

/// A whole catalogue file: the qualification profile and its competences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// The profile itself: title, version, introductory sections.
    pub profile: Profile,
    /// The competence domains A to E, in order.
    pub domains: Vec<Domain>,
}

/// The qualification profile's identity and its introductory text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A stable identifier of this profile, e.g. `asp-bf-2017`.
    pub id: String,
    /// The title as printed on the profile.
    pub title: LocalizedText,
    /// The version date of the profile (ISO 8601, e.g. `2017-01-24`).
    pub version: String,
    /// Sections 1.1 to 1.4 of the profile, in order.
    pub sections: Vec<Section>,
}

/// One numbered introductory section of the profile (1.1 to 1.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section number as printed, e.g. `1.1`.
    pub number: String,
    /// The section title.
    pub title: LocalizedText,
    /// The section text; paragraphs are separated by a blank line.
    pub text: LocalizedText,
}

/// A competence domain (domaine de compétences opérationnelles), A to E.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// One capital letter, `A` to `E`.
    pub id: String,
    /// The domain title, e.g. "Promotion du développement individuel".
    pub title: LocalizedText,
    /// How the criteria of this domain name the professional, e.g.
    /// "L'accompagnant(e) socioprofessionnel(le)...".
    pub criteria_subject: LocalizedText,
    /// The domain's competences, numbered from 1 without gaps.
    pub competences: Vec<Competence>,
}

/// An operational competence (compétence opérationnelle), e.g. `A7`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Competence {
    /// The domain letter followed by the number, e.g. `A7`.
    pub id: String,
    /// The title as in section 3 of the profile.
    pub title: LocalizedText,
    /// The title in the overview table of section 2, where it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<LocalizedText>,
    /// The work situation (situation de travail); paragraphs are separated
    /// by a blank line.
    pub situation: LocalizedText,
    /// The performance criteria, grouped by category in the profile's
    /// order: performance, knowledge, attitudes, metacognition.
    pub criteria: Vec<Criterion>,
}

/// One performance criterion (critère de performance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// `<competence>.<category letter><position>`, e.g. `A1.k3`: the third
    /// knowledge criterion of A1. Letters: `p` performance, `k` knowledge,
    /// `a` attitudes, `m` metacognition. Positions start at 1.
    pub id: String,
    /// The category the profile puts this criterion in.
    pub category: Category,
    /// The criterion text, word for word (whitespace normalised).
    pub text: LocalizedText,
    /// The seed's original French wording, present only where `text.fr`
    /// corrects an obvious typo of the seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_text: Option<String>,
}

/// The four categories of performance criteria in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Potentiel de réalisation: what the person is able to do.
    Performance,
    /// Connaissances, compréhension.
    Knowledge,
    /// Attitudes, valeurs, motivation.
    Attitudes,
    /// Capacités métacognitives.
    Metacognition,
}

impl Category {
    /// All categories in the profile's order.
    pub const ALL: [Category; 4] =
        [Category::Performance, Category::Knowledge, Category::Attitudes, Category::Metacognition];

    /// The letter used in criterion ids.
    pub fn letter(self) -> char {
        match self {
            Category::Performance => 'p',
            Category::Knowledge => 'k',
            Category::Attitudes => 'a',
            Category::Metacognition => 'm',
        }
    }

    /// The category for a criterion-id letter.
    pub fn from_letter(letter: char) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.letter() == letter)
    }

    /// The machine name used in files and exports (`performance`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Category::Performance => "performance",
            Category::Knowledge => "knowledge",
            Category::Attitudes => "attitudes",
            Category::Metacognition => "metacognition",
        }
    }

    /// The code of the message that names this category in problems.
    pub fn message_code(self) -> crate::message::MessageCode {
        use crate::message::MessageCode;
        match self {
            Category::Performance => MessageCode::CategoryPerformance,
            Category::Knowledge => MessageCode::CategoryKnowledge,
            Category::Attitudes => MessageCode::CategoryAttitudes,
            Category::Metacognition => MessageCode::CategoryMetacognition,
        }
    }

    /// The heading the profile uses for this category (French).
    pub fn label_fr(self) -> &'static str {
        match self {
            Category::Performance => "Potentiel de réalisation",
            Category::Knowledge => "Connaissances, compréhension",
            Category::Attitudes => "Attitudes, valeurs, motivation",
            Category::Metacognition => "Capacités métacognitives",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translated_assumptions_are_used_only_one_for_one() {
        let french = vec!["Une".to_owned(), "Deux".to_owned()];
        let note = |assumptions: &[&str]| TranslationNote {
            by: "grille".to_owned(),
            checked_by_board: false,
            assumptions: assumptions.iter().map(|text| (*text).to_owned()).collect(),
            source: None,
        };
        let translations = Translations { de: Some(note(&["Eins", "Zwei"])), it: Some(note(&["Una"])) };
        assert_eq!(
            translations.assumptions("de", &french),
            Some(&["Eins".to_owned(), "Zwei".to_owned()][..])
        );
        assert_eq!(translations.assumptions("it", &french), None, "one missing: the French is shown");
        assert_eq!(translations.assumptions("fr", &french), None, "French is the original");
        assert_eq!(translations.assumptions("de", &[]), None);
        assert!(translations.get("de").is_some() && translations.get("en").is_none());
    }
}
