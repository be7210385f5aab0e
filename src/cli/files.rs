//! Reading input files and the errors the CLI prints.

use std::fmt;
use std::path::{Path, PathBuf};

use grille_competence::{Catalogue, Problem};

/// An error that stops a command. Printed once, in French, on stderr.
#[derive(Debug)]
pub(crate) enum CliError {
    /// A file could not be read.
    Read { path: PathBuf, source: std::io::Error },
    /// A document has problems; each names its JSON pointer.
    Invalid { file: String, problems: Vec<Problem> },
    /// An id the catalogue does not know.
    UnknownId { what: &'static str, id: String },
    /// A command-line value that cannot be used.
    Usage(String),
    /// Writing to stdout failed (e.g. a closed pipe).
    Output(String),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Read { path, source } => {
                write!(f, "impossible de lire « {} » : {}", path.display(), describe_io(source))
            }
            CliError::Invalid { file, problems } => {
                write!(f, "{} problème(s) dans {file} :", problems.len())?;
                for problem in problems {
                    write!(f, "\n  {file}:{problem}")?;
                }
                Ok(())
            }
            CliError::UnknownId { what, id } => write!(f, "{what} inconnu(e) : « {id} »"),
            CliError::Usage(message) => f.write_str(message),
            CliError::Output(message) => write!(f, "écriture impossible : {message}"),
        }
    }
}

fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable".to_owned(),
        std::io::ErrorKind::PermissionDenied => "accès refusé".to_owned(),
        std::io::ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".to_owned(),
        std::io::ErrorKind::InvalidData => "le fichier n'est pas du texte UTF-8".to_owned(),
        _ => error.to_string(),
    }
}

/// Reads a whole text file.
pub(crate) fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read { path: path.to_owned(), source })
}

/// The catalogue from `path`, or the embedded one.
pub(crate) fn load_catalogue(path: Option<&Path>) -> Result<Catalogue, CliError> {
    match path {
        Some(path) => {
            let text = read_text(path)?;
            Catalogue::from_json(&text)
                .map_err(|problems| CliError::Invalid { file: path.display().to_string(), problems })
        }
        None => Catalogue::embedded()
            .map_err(|problems| CliError::Invalid { file: "(catalogue intégré)".to_owned(), problems }),
    }
}
