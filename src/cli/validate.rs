//! `grille validate FILE...`: every problem of every file, then an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use grille_competence::{Catalogue, Problem, document};
use grille_scoring::{Blueprint, GradingScheme, Rubric, Session};
use serde_json::Value;

use super::EXIT_FAILURE;
use super::files::{CliError, load_catalogue, read_text};

/// The kinds of data file grille knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum FileKind {
    /// A competence catalogue (qualification profile).
    Catalogue,
    /// A grading scheme (barème).
    Scheme,
    /// An exam blueprint (plan d'examen).
    Blueprint,
    /// A rubric (grille d'évaluation).
    Rubric,
    /// An exam session with candidates and evaluations.
    Session,
}

impl FileKind {
    fn label(self) -> &'static str {
        match self {
            FileKind::Catalogue => "catalogue",
            FileKind::Scheme => "barème",
            FileKind::Blueprint => "plan d'examen",
            FileKind::Rubric => "grille d'évaluation",
            FileKind::Session => "session d'examen",
        }
    }

    /// Tells the kind from the top-level fields each kind requires or, for
    /// a grading scheme, the fields only it has.
    fn detect(value: &Value) -> Option<FileKind> {
        let object = value.as_object()?;
        let has = |key: &str| object.contains_key(key);
        if has("domains") || has("profile") {
            Some(FileKind::Catalogue)
        } else if has("candidates") {
            Some(FileKind::Session)
        } else if has("parts") {
            Some(FileKind::Blueprint)
        } else if has("criteria") {
            Some(FileKind::Rubric)
        } else if ["scale", "conversion", "rounding", "pass_rule", "double_marking"].iter().any(|k| has(k)) {
            Some(FileKind::Scheme)
        } else {
            None
        }
    }
}

pub(super) fn run(files: &[PathBuf], forced_kind: Option<FileKind>, catalogue: Option<&Path>) -> ExitCode {
    let catalogue = match load_catalogue(catalogue) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("erreur : {error}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    let mut invalid = 0;
    for path in files {
        match validate_file(path, forced_kind, &catalogue) {
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

fn validate_file(
    path: &Path,
    forced_kind: Option<FileKind>,
    catalogue: &Catalogue,
) -> Result<FileKind, CliError> {
    let file = path.display().to_string();
    let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };
    let text = read_text(path)?;
    let value = document::parse_json(&text).map_err(|problem| invalid(vec![problem]))?;
    let kind = forced_kind.or_else(|| FileKind::detect(&value)).ok_or_else(|| {
        invalid(vec![Problem::new(
            "",
            "type de fichier inconnu : aucun des champs « domains » (catalogue), « candidates » (session), \
             « parts » (plan d'examen), « criteria » (grille) ou « scale »/« conversion »/« pass_rule » (barème) ; \
             précisez-le avec --kind",
        )])
    })?;
    match kind {
        FileKind::Catalogue => {
            Catalogue::from_json(&text).map_err(invalid)?;
        }
        FileKind::Scheme => {
            GradingScheme::from_json(&text).map_err(invalid)?;
        }
        FileKind::Blueprint => {
            Blueprint::from_json(&text, catalogue).map_err(invalid)?;
        }
        FileKind::Rubric => {
            Rubric::from_json(&text, catalogue).map_err(invalid)?;
        }
        FileKind::Session => {
            Session::from_json(&text).map_err(invalid)?;
        }
    }
    Ok(kind)
}
