//! `grille validate FILE...`: every problem of every file, then an exit code.
//!
//! Exam documents (schemes, blueprints, rubrics) given on the same command
//! line join the embedded federal exam's, so that a session is checked
//! against the documents it pins, as `grille score` would.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use grille_competence::{Catalogue, Problem, document};
use grille_scoring::{Blueprint, CaseStudy, GradingScheme, Rubric, SessionLoader};
use serde_json::Value;

use super::EXIT_FAILURE;
use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue, read_text};
use super::session_check::{Answers, candidates_pass, header_pass, scorer, summary_pass};
use super::text::{tr, tr_with};

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
    /// A case study (étude de cas).
    Case,
    /// An exam session with candidates and evaluations.
    Session,
}

impl FileKind {
    fn label(self) -> String {
        tr(match self {
            FileKind::Catalogue => "cli.noun.catalogue",
            FileKind::Scheme => "cli.noun.scheme",
            FileKind::Blueprint => "cli.noun.blueprint",
            FileKind::Rubric => "cli.noun.rubric",
            FileKind::Case => "cli.noun.case",
            FileKind::Session => "cli.noun.session",
        })
    }

    /// Tells the kind from the top-level fields each kind requires or, for
    /// a grading scheme (whose fields all have defaults but its identity),
    /// the fields only it has or an identity with nothing that is not a
    /// scheme field (see [`GradingScheme::has_scheme_fields`]). The exam
    /// documents folder of `grille score --documents` is sorted the same way.
    pub(super) fn detect(value: &Value) -> Option<FileKind> {
        let object = value.as_object()?;
        let has = |key: &str| object.contains_key(key);
        if has("domains") || has("profile") {
            Some(FileKind::Catalogue)
        } else if has("candidates") {
            Some(FileKind::Session)
        } else if has("situation") || has("tasks") {
            // Before rubrics: a case names catalogue `criteria` too.
            Some(FileKind::Case)
        } else if has("parts") {
            Some(FileKind::Blueprint)
        } else if has("criteria") {
            Some(FileKind::Rubric)
        } else if GradingScheme::has_scheme_fields(object) {
            Some(FileKind::Scheme)
        } else {
            None
        }
    }

    fn is_exam_document(self) -> bool {
        matches!(self, FileKind::Scheme | FileKind::Blueprint | FileKind::Rubric | FileKind::Case)
    }
}

pub(super) fn run(files: &[PathBuf], forced_kind: Option<FileKind>, catalogue: Option<&Path>) -> ExitCode {
    let catalogue = match load_catalogue(catalogue) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("{}", tr_with("cli.error", &[("message", error.to_string())]));
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    // Every file on its own first; sessions wait for the exam documents.
    let mut outcomes: Vec<Result<(FileKind, Option<String>), CliError>> = Vec::new();
    // The warnings of valid sessions, by file index.
    let mut warnings: Vec<(usize, Vec<Problem>)> = Vec::new();
    let mut sessions = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let outcome = read_and_check(path, forced_kind, &catalogue);
        if let Ok((FileKind::Session, text)) = &outcome {
            sessions.push((index, text.clone()));
        }
        outcomes.push(outcome.map(|(kind, _)| (kind, None)));
    }
    if !sessions.is_empty() {
        let documents: Vec<&Path> = files
            .iter()
            .zip(&outcomes)
            .filter(|(_, outcome)| outcome.as_ref().is_ok_and(|(kind, _)| kind.is_exam_document()))
            .map(|(path, _)| path.as_path())
            .collect();
        match DocumentPool::with_files(&catalogue, &documents) {
            Ok(pool) => {
                for (index, text) in sessions {
                    outcomes[index] = match session_problems(&text, &pool, &catalogue) {
                        Ok((note, session_warnings)) => {
                            warnings.push((index, session_warnings));
                            Ok((FileKind::Session, note))
                        }
                        Err(problems) => {
                            Err(CliError::Invalid { file: files[index].display().to_string(), problems })
                        }
                    };
                }
            }
            Err(error) => {
                for (index, _) in sessions {
                    outcomes[index] = Err(CliError::Usage(tr_with(
                        "cli.validate.documents_unusable",
                        &[("file", files[index].display().to_string()), ("error", error.to_string())],
                    )));
                }
            }
        }
    }
    let mut invalid = 0;
    for (index, (path, outcome)) in files.iter().zip(outcomes).enumerate() {
        match outcome {
            Ok((kind, note)) => {
                let file = path.display().to_string();
                let line = tr_with("cli.validate.valid", &[("file", file.clone()), ("kind", kind.label())]);
                match note {
                    Some(note) => println!("{line} ; {note}"),
                    None => println!("{line}"),
                }
                let file_warnings = warnings.iter().filter(|(at, _)| *at == index).flat_map(|(_, w)| w);
                for warning in file_warnings {
                    eprintln!(
                        "{}",
                        tr_with(
                            "cli.validate.warning",
                            &[("file", file.clone()), ("problem", super::text::problem(warning))]
                        )
                    );
                }
            }
            Err(error) => {
                invalid += 1;
                eprintln!("{error}");
            }
        }
    }
    if invalid == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{}",
            tr_with(
                "cli.validate.invalid_count",
                &[("invalid", invalid.to_string()), ("total", files.len().to_string())],
            )
        );
        ExitCode::from(EXIT_FAILURE)
    }
}

/// Reads and checks one file on its own; a session's text is returned for
/// the checks against its pinned documents.
fn read_and_check(
    path: &Path,
    forced_kind: Option<FileKind>,
    catalogue: &Catalogue,
) -> Result<(FileKind, String), CliError> {
    let file = path.display().to_string();
    let invalid = |problems: Vec<Problem>| CliError::Invalid { file: file.clone(), problems };
    let text = read_text(path)?;
    // The top-level fields without the candidates: a session of thousands
    // of candidates is told apart without building its whole JSON tree.
    let value = match grille_scoring::stream::walk(&text, None) {
        Ok(top) if top.has_candidates => Value::Object(
            [("candidates".to_owned(), Value::Array(Vec::new()))].into_iter().chain(top.fields).collect(),
        ),
        Ok(top) => Value::Object(top.fields),
        // Not an object, or not JSON: the document parser says which, and where.
        Err(_) => document::parse_json(&text).map_err(|problem| invalid(vec![problem]))?,
    };
    let kind = forced_kind
        .or_else(|| FileKind::detect(&value))
        .ok_or_else(|| invalid(vec![Problem::text("", tr("cli.validate.unknown_kind"))]))?;
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
        FileKind::Case => {
            let case = CaseStudy::from_json(&text, catalogue).map_err(invalid)?;
            let problems = attachment_problems(&case, path.parent().unwrap_or(Path::new(".")));
            if !problems.is_empty() {
                return Err(invalid(problems));
            }
        }
        FileKind::Session => {}
    }
    Ok((kind, text))
}

/// The attachments a case names, checked against the files beside it (as
/// a board keeps a case and its files in one folder): each is there, has
/// the bytes the case's SHA-256 names, the size and type it declares, and
/// fits the size limit.
fn attachment_problems(case: &CaseStudy, folder: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, attachment) in case.attachments.iter().enumerate() {
        let pointer = |field: &str| format!("/attachments/{index}/{field}");
        let file = folder.join(&attachment.name);
        let name = |key: &str| {
            tr_with(key, &[("name", attachment.name.clone()), ("folder", folder.display().to_string())])
        };
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(_) => {
                problems.push(Problem::text(pointer("name"), name("cli.case.attachment_missing")));
                continue;
            }
        };
        if bytes.len() as u64 > grille_scoring::case::MAX_ATTACHMENT_BYTES {
            problems.push(Problem::text(pointer("size"), name("cli.case.attachment_too_large")));
        }
        if grille_store::sha256_bytes(&bytes) != attachment.sha256 {
            problems.push(Problem::text(pointer("sha256"), name("cli.case.attachment_hash")));
        } else if bytes.len() as u64 != attachment.size {
            problems.push(Problem::text(pointer("size"), name("cli.case.attachment_size")));
        }
        if grille_scoring::case::sniff_media_type(&bytes) != Some(attachment.media_type.as_str()) {
            problems.push(Problem::text(pointer("media_type"), name("cli.case.attachment_type")));
        }
    }
    problems
}

/// Every problem of a session: its own, against the documents it pins, and
/// answers that can never be right. Without problems, a note of what is
/// still open (pending candidates, discrepancies), if anything, and the
/// warnings (what the file keeps but grading ignores).
fn session_problems(
    text: &str,
    pool: &DocumentPool,
    catalogue: &Catalogue,
) -> Result<(Option<String>, Vec<Problem>), Vec<Problem>> {
    let loader = SessionLoader::new();
    let mut problems = Vec::new();
    let pinned = match header_pass(text, &loader, pool, &mut problems) {
        Ok(pinned) => pinned,
        Err(syntax) => return Err(vec![syntax]),
    };
    let mut scorer = scorer(catalogue, &pinned, &mut problems);
    if let Err(syntax) = candidates_pass(text, &loader, scorer.as_mut(), Answers::Strict, &mut problems) {
        problems.push(syntax);
    }
    match scorer {
        Some(scorer) if problems.is_empty() => {
            let (summary, warnings) = summary_pass(text, &loader, &scorer);
            let open = summary.pending > 0 || summary.open_discrepancies > 0;
            let note = open.then(|| {
                tr_with(
                    "cli.validate.session_open",
                    &[
                        ("pending", summary.pending.to_string()),
                        ("candidates", summary.candidates.to_string()),
                        ("discrepancies", summary.open_discrepancies.to_string()),
                    ],
                )
            });
            Ok((note, warnings))
        }
        _ => Err(problems),
    }
}
