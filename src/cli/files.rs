//! Reading input files and the errors the CLI prints.

use std::fmt;
use std::path::{Path, PathBuf};

use grille_competence::{Catalogue, Problem};

use super::text::{tr, tr_with};

/// An error that stops a command. Printed once, in the run's language, on
/// stderr.
#[derive(Debug)]
pub(crate) enum CliError {
    /// A file could not be read.
    Read { path: PathBuf, source: std::io::Error },
    /// A document has problems; each names its JSON pointer.
    Invalid { file: String, problems: Vec<Problem> },
    /// An unknown id; `message` is the catalogue key of the sentence for
    /// that kind of thing (`cli.error.unknown_*`, with an `{id}`).
    UnknownId { message: &'static str, id: String },
    /// A command-line value that cannot be used.
    Usage(String),
    /// Writing to stdout failed (e.g. a closed pipe).
    Output(String),
    /// A sheet (CSV) has problems; each line is already placed
    /// (`file:line:column: message`).
    Sheet { file: String, problems: Vec<String> },
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Read { path, source } => f.write_str(&tr_with(
                "cli.error.read",
                &[("path", path.display().to_string()), ("reason", describe_io(source))],
            )),
            CliError::Invalid { file, problems } => {
                f.write_str(&tr_with(
                    "cli.error.invalid",
                    &[("count", problems.len().to_string()), ("file", file.clone())],
                ))?;
                for problem in problems {
                    write!(f, "\n  {file}:{}", super::text::problem(problem))?;
                }
                Ok(())
            }
            CliError::UnknownId { message, id } => f.write_str(&tr_with(message, &[("id", id.clone())])),
            CliError::Usage(message) => f.write_str(message),
            CliError::Output(message) => {
                f.write_str(&tr_with("cli.error.output", &[("message", message.clone())]))
            }
            CliError::Sheet { file, problems } => {
                f.write_str(&tr_with(
                    "cli.translation.problems",
                    &[("count", problems.len().to_string()), ("file", file.clone())],
                ))?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => tr("cli.io.not_found"),
        std::io::ErrorKind::PermissionDenied => tr("cli.io.permission_denied"),
        std::io::ErrorKind::IsADirectory => tr("cli.io.is_a_directory"),
        std::io::ErrorKind::InvalidData => tr("cli.io.invalid_data"),
        std::io::ErrorKind::NotADirectory => tr("cli.io.not_a_directory"),
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
            .map_err(|problems| CliError::Invalid { file: tr("cli.source.embedded_catalogue"), problems }),
    }
}
