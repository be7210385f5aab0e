//! Translations of the catalogue added without touching code.
//!
//! The official German and Italian profiles are not in the repository. A
//! board that holds one fills a sheet with one row per translatable text
//! (its [`TextId`], the French text, the translation) and imports it: the
//! rows are checked here ([`check_rows`]), merged into a
//! [`CatalogueTranslation`] file, and that file is laid over the catalogue
//! when it is loaded ([`Catalogue::translated`]). The French texts and
//! every id stay as they are.
//!
//! Nothing here reads or writes files, and nothing here is a sentence:
//! problems are values ([`RowProblem`]) that callers word in their
//! reader's language.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::model::{CatalogueFile, LocalizedText};

/// A language a catalogue can be translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TranslationLanguage {
    /// German (de-CH).
    De,
    /// Italian (it-CH).
    It,
}

impl TranslationLanguage {
    /// Both languages.
    pub const ALL: [TranslationLanguage; 2] = [TranslationLanguage::De, TranslationLanguage::It];

    /// The language code (`de`, `it`).
    pub fn code(self) -> &'static str {
        match self {
            TranslationLanguage::De => "de",
            TranslationLanguage::It => "it",
        }
    }

    /// The language of a code (`de`, `it`; case-insensitive).
    pub fn parse(code: &str) -> Option<TranslationLanguage> {
        TranslationLanguage::ALL
            .into_iter()
            .find(|language| language.code().eq_ignore_ascii_case(code.trim()))
    }

    fn slot(self, text: &mut LocalizedText) -> &mut Option<String> {
        match self {
            TranslationLanguage::De => &mut text.de,
            TranslationLanguage::It => &mut text.it,
        }
    }

    fn read(self, text: &LocalizedText) -> Option<&str> {
        match self {
            TranslationLanguage::De => text.de.as_deref(),
            TranslationLanguage::It => text.it.as_deref(),
        }
        .filter(|text| !text.trim().is_empty())
    }
}

/// The translation of a catalogue into one language, as a board imported
/// it: one text per [`TextId`]. The file a server reads at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueTranslation {
    /// The catalogue translated: its profile id (e.g. `asp-bf-2017`).
    pub profile: String,
    /// The profile's version (e.g. `2017-01-24`).
    pub version: String,
    /// The language of the texts.
    pub language: TranslationLanguage,
    /// The texts by id (`A1.title`, `A1.situation`, `A1.k3`, ...). Ids the
    /// catalogue does not know are refused when the translation is laid
    /// over it; ids left out keep the French text.
    pub texts: BTreeMap<String, String>,
}

/// The id of one translatable text of a catalogue: `profile.title`,
/// `section.1.1.title`, `section.1.1.text`, `A.title`,
/// `A.criteria_subject`, `A1.title`, `A1.short_title`, `A1.situation`, or a
/// criterion id (`A1.k3`) for the criterion's text.
pub type TextId = String;

/// One translatable text of a catalogue, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatableText<'a> {
    /// Its id.
    pub id: TextId,
    /// The French text.
    pub french: &'a str,
    /// The text in the language asked for, when the catalogue has one.
    pub translated: Option<&'a str>,
}

/// Visits every text of `file` with its id, in document order (the same
/// order as [`texts_mut`]).
fn walk<'a>(file: &'a CatalogueFile, visit: &mut dyn FnMut(TextId, &'a LocalizedText)) {
    let profile = &file.profile;
    visit("profile.title".to_owned(), &profile.title);
    for section in &profile.sections {
        visit(format!("section.{}.title", section.number), &section.title);
        visit(format!("section.{}.text", section.number), &section.text);
    }
    for domain in &file.domains {
        visit(format!("{}.title", domain.id), &domain.title);
        visit(format!("{}.criteria_subject", domain.id), &domain.criteria_subject);
        for competence in &domain.competences {
            visit(format!("{}.title", competence.id), &competence.title);
            if let Some(short_title) = &competence.short_title {
                visit(format!("{}.short_title", competence.id), short_title);
            }
            visit(format!("{}.situation", competence.id), &competence.situation);
            for criterion in &competence.criteria {
                visit(criterion.id.clone(), &criterion.text);
            }
        }
    }
}

/// Every text of `file` with its id, in document order, mutably.
fn texts_mut(file: &mut CatalogueFile) -> Vec<(TextId, &mut LocalizedText)> {
    let mut texts: Vec<(TextId, &mut LocalizedText)> = Vec::new();
    let profile = &mut file.profile;
    texts.push(("profile.title".to_owned(), &mut profile.title));
    for section in &mut profile.sections {
        texts.push((format!("section.{}.title", section.number), &mut section.title));
        texts.push((format!("section.{}.text", section.number), &mut section.text));
    }
    for domain in &mut file.domains {
        texts.push((format!("{}.title", domain.id), &mut domain.title));
        texts.push((format!("{}.criteria_subject", domain.id), &mut domain.criteria_subject));
        for competence in &mut domain.competences {
            texts.push((format!("{}.title", competence.id), &mut competence.title));
            if let Some(short_title) = &mut competence.short_title {
                texts.push((format!("{}.short_title", competence.id), short_title));
            }
            texts.push((format!("{}.situation", competence.id), &mut competence.situation));
            for criterion in &mut competence.criteria {
                texts.push((criterion.id.clone(), &mut criterion.text));
            }
        }
    }
    texts
}

impl Catalogue {
    /// Every translatable text of the catalogue, in catalogue order, with
    /// its translation into `language` when there is one.
    pub fn translatable_texts<'a>(&'a self, language: TranslationLanguage) -> Vec<TranslatableText<'a>> {
        let mut texts = Vec::new();
        walk(self.file(), &mut |id, text| {
            texts.push(TranslatableText { id, french: &text.fr, translated: language.read(text) });
        });
        texts
    }

    /// The text with id `id` (see [`TextId`]).
    pub fn localized(&self, id: &str) -> Option<&LocalizedText> {
        let file = self.file();
        if id == "profile.title" {
            return Some(&file.profile.title);
        }
        if let Some(rest) = id.strip_prefix("section.") {
            return file.profile.sections.iter().find_map(|section| {
                let tail = rest.strip_prefix(section.number.as_str())?;
                match tail {
                    ".title" => Some(&section.title),
                    ".text" => Some(&section.text),
                    _ => None,
                }
            });
        }
        if let Some((_, criterion)) = self.criterion(id) {
            return Some(&criterion.text);
        }
        let (owner, field) = id.rsplit_once('.')?;
        if let Some(domain) = self.domain(owner) {
            return match field {
                "title" => Some(&domain.title),
                "criteria_subject" => Some(&domain.criteria_subject),
                _ => None,
            };
        }
        let competence = self.competence(owner).filter(|competence| competence.id == owner)?;
        match field {
            "title" => Some(&competence.title),
            "short_title" => competence.short_title.as_ref(),
            "situation" => Some(&competence.situation),
            _ => None,
        }
    }

    /// This catalogue with `translation` laid over it: each text it names
    /// gets its translation, every other text keeps what it had. Refused,
    /// with every problem, when the translation is of another profile or
    /// names a text the catalogue does not have, or a text is blank.
    pub fn translated(
        &self,
        translation: &CatalogueTranslation,
    ) -> Result<Catalogue, Vec<TranslationProblem>> {
        let profile = self.profile();
        let mut problems = Vec::new();
        if translation.profile != profile.id || translation.version != profile.version {
            problems.push(TranslationProblem::OtherProfile {
                profile: translation.profile.clone(),
                version: translation.version.clone(),
            });
            return Err(problems);
        }
        let mut file = self.file().clone();
        let mut slots: HashMap<TextId, &mut LocalizedText> = texts_mut(&mut file).into_iter().collect();
        for (id, text) in &translation.texts {
            match slots.get_mut(id) {
                None => problems.push(TranslationProblem::UnknownId { id: id.clone() }),
                Some(_) if text.trim().is_empty() => {
                    problems.push(TranslationProblem::EmptyText { id: id.clone() });
                }
                Some(slot) => *translation.language.slot(slot) = Some(text.trim().to_owned()),
            }
        }
        drop(slots);
        if !problems.is_empty() {
            return Err(problems);
        }
        Catalogue::from_file(file).map_err(|_| vec![TranslationProblem::Invalid])
    }
}

/// Why a translation file cannot be laid over a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslationProblem {
    /// The file translates another profile or version.
    OtherProfile {
        /// Its profile id.
        profile: String,
        /// Its version.
        version: String,
    },
    /// The file names a text the catalogue does not have.
    UnknownId {
        /// The id.
        id: String,
    },
    /// The file gives a blank text.
    EmptyText {
        /// The id.
        id: String,
    },
    /// The translated catalogue fails its own checks (a build defect).
    Invalid,
}

/// One row of an imported sheet: its line in the file, the id and the
/// translated text as read, and the columns (from 1) of both cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line of the file (the header is line 1).
    pub line: u64,
    /// The id cell, trimmed.
    pub id: String,
    /// The translation cell, trimmed.
    pub text: String,
    /// The column of the id cell, from 1.
    pub id_column: usize,
    /// The column of the translation cell, from 1.
    pub text_column: usize,
}

/// Where a problem of an imported sheet is: a line and column of the file,
/// or the whole file (a text no row gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The line (the header is line 1); none for the whole file.
    pub line: Option<u64>,
    /// The column, from 1; none for a whole line or the whole file.
    pub column: Option<usize>,
}

/// What is wrong with an imported sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblemKind {
    /// The id names no text of the catalogue.
    UnknownId {
        /// The id as written.
        id: String,
    },
    /// The id was given on an earlier line already.
    DuplicateId {
        /// The id.
        id: String,
        /// The line that gave it first.
        first_line: u64,
    },
    /// The translation cell is empty (a full import needs every text).
    EmptyText {
        /// The id of the row.
        id: String,
    },
    /// The sheet has no row for this text (a full import needs every text).
    MissingId {
        /// The id of the text.
        id: String,
    },
}

/// One problem of an imported sheet, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// Where.
    pub place: Place,
    /// What.
    pub kind: RowProblemKind,
}

/// What a checked sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRows {
    /// The texts it translates, by id.
    pub texts: BTreeMap<TextId, String>,
    /// The catalogue's texts it leaves untranslated (a partial import):
    /// rows left out or with an empty cell, in catalogue order.
    pub untranslated: Vec<TextId>,
}

/// Checks the rows of an imported sheet against `catalogue`: every id
/// known and given once; and, unless `partial`, every text of the
/// catalogue given, none empty. A partial import takes the rows with a
/// text and lists the others as untranslated. Every problem is returned
/// at once, in the file's order (missing texts last).
pub fn check_rows(
    catalogue: &Catalogue,
    rows: &[Row],
    partial: bool,
) -> Result<CheckedRows, Vec<RowProblem>> {
    let order: Vec<TextId> =
        catalogue.translatable_texts(TranslationLanguage::De).into_iter().map(|text| text.id).collect();
    let known: HashMap<&str, usize> =
        order.iter().enumerate().map(|(index, id)| (id.as_str(), index)).collect();
    let mut problems = Vec::new();
    let mut first_lines: HashMap<&str, u64> = HashMap::new();
    let mut texts = BTreeMap::new();
    for row in rows {
        let place = |column| Place { line: Some(row.line), column: Some(column) };
        let Some((&id, _)) = known.get_key_value(row.id.as_str()) else {
            problems.push(RowProblem {
                place: place(row.id_column),
                kind: RowProblemKind::UnknownId { id: row.id.clone() },
            });
            continue;
        };
        if let Some(&first_line) = first_lines.get(id) {
            problems.push(RowProblem {
                place: place(row.id_column),
                kind: RowProblemKind::DuplicateId { id: id.to_owned(), first_line },
            });
            continue;
        }
        first_lines.insert(id, row.line);
        if row.text.trim().is_empty() {
            if !partial {
                problems.push(RowProblem {
                    place: place(row.text_column),
                    kind: RowProblemKind::EmptyText { id: id.to_owned() },
                });
            }
            continue;
        }
        texts.insert(id.to_owned(), row.text.trim().to_owned());
    }
    let untranslated: Vec<TextId> =
        order.iter().filter(|id| !texts.contains_key(id.as_str())).cloned().collect();
    if !partial {
        for id in order.iter().filter(|id| !first_lines.contains_key(id.as_str())) {
            problems.push(RowProblem {
                place: Place { line: None, column: None },
                kind: RowProblemKind::MissingId { id: id.clone() },
            });
        }
    }
    if problems.is_empty() { Ok(CheckedRows { texts, untranslated }) } else { Err(problems) }
}

/// `existing` (the translation file already imported, if any) with the
/// texts of `checked` merged in: a text given again replaces the old one.
pub fn merge(
    catalogue: &Catalogue,
    language: TranslationLanguage,
    existing: Option<CatalogueTranslation>,
    checked: &CheckedRows,
) -> CatalogueTranslation {
    let profile = catalogue.profile();
    let mut translation = existing
        .filter(|existing| {
            existing.profile == profile.id
                && existing.version == profile.version
                && existing.language == language
        })
        .unwrap_or_else(|| CatalogueTranslation {
            profile: profile.id.clone(),
            version: profile.version.clone(),
            language,
            texts: BTreeMap::new(),
        });
    for (id, text) in &checked.texts {
        translation.texts.insert(id.clone(), text.clone());
    }
    translation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::embedded().expect("the embedded catalogue")
    }

    #[test]
    fn every_text_has_one_id_and_the_ids_find_their_texts() {
        let catalogue = catalogue();
        let texts = catalogue.translatable_texts(TranslationLanguage::De);
        let mut seen = std::collections::HashSet::new();
        for text in &texts {
            assert!(seen.insert(text.id.clone()), "{} twice", text.id);
            assert_eq!(
                catalogue.localized(&text.id).map(|t| t.fr.as_str()),
                Some(text.french),
                "{}",
                text.id
            );
            assert_eq!(text.translated, None);
        }
        let criteria = catalogue.criteria().count();
        let competences = catalogue.competences().count();
        let short_titles = catalogue.competences().filter(|c| c.short_title.is_some()).count();
        let sections = catalogue.profile().sections.len();
        assert_eq!(texts.len(), 1 + 2 * sections + 2 * 5 + 2 * competences + short_titles + criteria);
        for id in ["profile.title", "section.1.1.title", "A.criteria_subject", "A7.situation", "A1.k3"] {
            assert!(seen.contains(id), "{id}");
        }
        for id in ["A", "A7", "A7.nothing", "section.9.title", "Z1.title", "A1.k99"] {
            assert!(catalogue.localized(id).is_none(), "{id}");
        }
    }

    #[test]
    fn a_translation_is_laid_over_the_french_and_keeps_the_rest() {
        let catalogue = catalogue();
        let profile = catalogue.profile();
        let translation = CatalogueTranslation {
            profile: profile.id.clone(),
            version: profile.version.clone(),
            language: TranslationLanguage::De,
            texts: BTreeMap::from([
                ("A.title".to_owned(), "Förderung der individuellen Entwicklung".to_owned()),
                ("A1.k3".to_owned(), " Kennt die Grundlagen. ".to_owned()),
            ]),
        };
        let german = catalogue.translated(&translation).expect("applies");
        assert_eq!(
            german.domain("A").unwrap().title.de.as_deref(),
            Some("Förderung der individuellen Entwicklung")
        );
        assert_eq!(german.criterion("A1.k3").unwrap().1.text.de.as_deref(), Some("Kennt die Grundlagen."));
        assert_eq!(german.domain("B").unwrap().title.de, None);
        assert_eq!(german.domain("A").unwrap().title.fr, catalogue.domain("A").unwrap().title.fr);

        let mut wrong = translation.clone();
        wrong.texts.insert("Z9.title".to_owned(), "x".to_owned());
        wrong.texts.insert("A2.title".to_owned(), " ".to_owned());
        assert_eq!(
            catalogue.translated(&wrong).unwrap_err(),
            vec![
                TranslationProblem::EmptyText { id: "A2.title".to_owned() },
                TranslationProblem::UnknownId { id: "Z9.title".to_owned() }
            ]
        );
        let mut other = translation;
        other.version = "2030-01-01".to_owned();
        assert!(matches!(
            catalogue.translated(&other).unwrap_err()[..],
            [TranslationProblem::OtherProfile { .. }]
        ));
    }

    #[test]
    fn rows_are_checked_for_unknown_duplicate_empty_and_missing_ids() {
        let catalogue = catalogue();
        let all: Vec<Row> = catalogue
            .translatable_texts(TranslationLanguage::De)
            .into_iter()
            .enumerate()
            .map(|(index, text)| Row {
                line: index as u64 + 2,
                id: text.id,
                text: format!("DE {index}"),
                id_column: 1,
                text_column: 3,
            })
            .collect();
        let full = check_rows(&catalogue, &all, false).expect("a full sheet");
        assert_eq!(full.texts.len(), all.len());
        assert!(full.untranslated.is_empty());

        let mut rows = all.clone();
        rows[1].text = String::new();
        rows[2].id = "A99.title".to_owned();
        let mut again = rows[3].clone();
        again.line = 900;
        rows.push(again);
        rows.remove(4);
        let problems = check_rows(&catalogue, &rows, false).unwrap_err();
        let kinds: Vec<(Place, &RowProblemKind)> = problems.iter().map(|p| (p.place, &p.kind)).collect();
        let at = |line, column| Place { line: Some(line), column: Some(column) };
        assert_eq!(kinds[0], (at(3, 3), &RowProblemKind::EmptyText { id: all[1].id.clone() }));
        assert_eq!(kinds[1], (at(4, 1), &RowProblemKind::UnknownId { id: "A99.title".to_owned() }));
        assert_eq!(
            kinds[2],
            (at(900, 1), &RowProblemKind::DuplicateId { id: all[3].id.clone(), first_line: 5 })
        );
        let missing: Vec<&RowProblemKind> = kinds[3..].iter().map(|(_, kind)| *kind).collect();
        assert_eq!(
            missing,
            [
                &RowProblemKind::MissingId { id: all[2].id.clone() },
                &RowProblemKind::MissingId { id: all[4].id.clone() }
            ]
        );

        // A partial import takes what is there and lists the rest.
        let part: Vec<Row> =
            all.iter().take(3).cloned().chain([Row { text: String::new(), ..all[3].clone() }]).collect();
        let checked = check_rows(&catalogue, &part, true).expect("a partial sheet");
        assert_eq!(checked.texts.len(), 3);
        assert_eq!(checked.untranslated.len(), all.len() - 3);
        assert_eq!(checked.untranslated[0], all[3].id);
        let merged = merge(&catalogue, TranslationLanguage::De, None, &checked);
        assert_eq!(merged.texts.len(), 3);
        let more = check_rows(&catalogue, &all[3..5], true).unwrap();
        let merged = merge(&catalogue, TranslationLanguage::De, Some(merged), &more);
        assert_eq!(merged.texts.len(), 5);
        assert!(catalogue.translated(&merged).is_ok());
    }
}
