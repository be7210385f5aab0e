//! `grille validate FILE...`: every problem of every file, then an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use grille_competence::{Catalogue, Problem, document};
use serde_json::Value;

use super::EXIT_FAILURE;
use super::files::{CliError, read_text};

/// The kinds of data file grille knows, told apart by their top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Catalogue,
}

impl FileKind {
    fn label(self) -> &'static str {
        match self {
            FileKind::Catalogue => "catalogue",
        }
    }

    fn detect(value: &Value) -> Option<FileKind> {
        let object = value.as_object()?;
        if object.contains_key("domains") || object.contains_key("profile") {
            return Some(FileKind::Catalogue);
        }
        None
    }
}

pub(super) fn run(files: &[PathBuf]) -> ExitCode {
    let mut invalid = 0;
    for path in files {
        match validate_file(path) {
            Ok(kind) => println!("{} : valide ({})", path.display(), kind.label()),
            Err(error) => {
                invalid += 1;
                eprintln!("{error}");
            }
        }
    }
    if invalid == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("{invalid} fichier(s) sur {} non valide(s).", files.len());
        ExitCode::from(EXIT_FAILURE)
    }
}

fn validate_file(path: &std::path::Path) -> Result<FileKind, CliError> {
    let file = path.display().to_string();
    let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };
    let text = read_text(path)?;
    let value = document::parse_json(&text).map_err(|problem| invalid(vec![problem]))?;
    let kind = FileKind::detect(&value).ok_or_else(|| {
        invalid(vec![Problem::new(
            "",
            "type de fichier inconnu : un catalogue a les champs « profile » et « domains »",
        )])
    })?;
    match kind {
        FileKind::Catalogue => {
            let file = document::load_value(value).map_err(invalid)?;
            Catalogue::from_file(file).map_err(invalid)?;
        }
    }
    Ok(kind)
}
