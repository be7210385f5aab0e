//! The catalogue's translations in the data folder: one file per language,
//! `<data>/catalogue/<profile id>.<language>.json` (a
//! [`CatalogueTranslation`]), written by `grille catalogue translation
//! import` and laid over the embedded catalogue when the server starts.
//!
//! Sessions keep pinning the French catalogue text (its ids and French
//! texts are the same), so a translation added later changes no session.

use std::path::{Path, PathBuf};

use grille_competence::translation::{CatalogueTranslation, TranslationLanguage, TranslationProblem};
use grille_competence::{Catalogue, Message, MessageCode, Problem, document};

/// The folder of the translation files inside the data folder.
pub const TRANSLATIONS_FOLDER: &str = "catalogue";

/// Where the translation of `catalogue` into `language` is kept under
/// `data_dir`.
pub fn translation_path(data_dir: &Path, catalogue: &Catalogue, language: TranslationLanguage) -> PathBuf {
    data_dir.join(TRANSLATIONS_FOLDER).join(format!("{}.{}.json", catalogue.profile().id, language.code()))
}

/// Why a translation file cannot be used.
#[derive(Debug)]
pub enum TranslationFileError {
    /// The file exists but cannot be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a translation file (JSON syntax or schema).
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem, with its JSON pointer.
        problems: Vec<Problem>,
    },
    /// The file does not fit the catalogue (another profile, unknown ids,
    /// blank texts), or is of another language than its name says.
    Mismatch {
        /// The file.
        path: PathBuf,
        /// Every problem.
        problems: Vec<TranslationProblem>,
    },
}

impl std::fmt::Display for TranslationFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TranslationFileError::Read { path, source } => write!(f, "{} : {source}", path.display()),
            TranslationFileError::Invalid { path, problems } => {
                write!(f, "{} :", path.display())?;
                for problem in problems {
                    write!(f, " {problem} ;")?;
                }
                Ok(())
            }
            TranslationFileError::Mismatch { path, problems } => {
                write!(f, "{} :", path.display())?;
                for problem in problems {
                    match problem {
                        TranslationProblem::OtherProfile { profile, version } => write!(
                            f,
                            " traduit le profil « {profile} » du {version}, pas celui du catalogue ;"
                        )?,
                        TranslationProblem::UnknownId { id } => write!(f, " texte inconnu « {id} » ;")?,
                        TranslationProblem::EmptyText { id } => write!(f, " texte vide pour « {id} » ;")?,
                        TranslationProblem::Invalid => write!(f, " catalogue traduit invalide ;")?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for TranslationFileError {}

/// The translation file of `language`, if the data folder has one.
pub fn read_translation(
    data_dir: &Path,
    catalogue: &Catalogue,
    language: TranslationLanguage,
) -> Result<Option<CatalogueTranslation>, TranslationFileError> {
    let path = translation_path(data_dir, catalogue, language);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(TranslationFileError::Read { path, source }),
    };
    let translation: CatalogueTranslation = document::load(&text)
        .map_err(|problems| TranslationFileError::Invalid { path: path.clone(), problems })?;
    if translation.language != language {
        return Err(TranslationFileError::Invalid {
            path,
            problems: vec![Problem::new(
                "/language",
                Message::new(MessageCode::TranslationFileLanguage)
                    .with("language", translation.language.code()),
            )],
        });
    }
    Ok(Some(translation))
}

/// `catalogue` with every translation of the data folder laid over it.
pub fn translated_catalogue(
    data_dir: &Path,
    catalogue: Catalogue,
) -> Result<Catalogue, TranslationFileError> {
    let mut current = catalogue;
    for language in TranslationLanguage::ALL {
        if let Some(translation) = read_translation(data_dir, &current, language)? {
            current =
                current.translated(&translation).map_err(|problems| TranslationFileError::Mismatch {
                    path: translation_path(data_dir, &current, language),
                    problems,
                })?;
        }
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_in_the_data_folder_are_laid_over_the_catalogue() {
        let folder = tempfile::tempdir().unwrap();
        let catalogue = Catalogue::embedded().unwrap();
        let same = translated_catalogue(folder.path(), catalogue.clone()).unwrap();
        assert_eq!(same.to_json(), catalogue.to_json(), "no folder, no change");
        let path = translation_path(folder.path(), &catalogue, TranslationLanguage::De);
        assert!(path.ends_with("catalogue/asp-bf-2017.de.json"), "{}", path.display());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            r#"{"profile": "asp-bf-2017", "version": "2017-01-24", "language": "de", "texts": {"A.title": "Förderung"}}"#,
        )
        .unwrap();
        let german = translated_catalogue(folder.path(), catalogue.clone()).unwrap();
        assert_eq!(german.domain("A").unwrap().title.de.as_deref(), Some("Förderung"));
        std::fs::write(
            &path,
            r#"{"profile": "asp-bf-2017", "version": "2017-01-24", "language": "it", "texts": {}}"#,
        )
        .unwrap();
        // A file of another language than its name: a problem with its
        // code, said in the reader's language.
        let Err(TranslationFileError::Invalid { problems, .. }) =
            translated_catalogue(folder.path(), catalogue.clone())
        else {
            panic!("an Italian file under a German name is refused");
        };
        let problem = problems.first().expect("one problem");
        assert_eq!(
            (problem.pointer.as_str(), problem.detail.code),
            ("/language", MessageCode::TranslationFileLanguage)
        );
        assert_eq!(problem.message, "la langue « it » n'est pas celle du nom du fichier");
        assert_eq!(
            grille_report::messages::render(&problem.detail, grille_report::i18n::Language::De),
            "die Sprache «it» ist nicht die des Dateinamens"
        );
        std::fs::write(
            &path,
            r#"{"profile": "asp-bf-2017", "version": "2017-01-24", "language": "de", "texts": {"Z.title": "x"}}"#,
        )
        .unwrap();
        let error = translated_catalogue(folder.path(), catalogue).unwrap_err();
        assert!(error.to_string().contains("texte inconnu « Z.title »"), "{error}");
    }
}
